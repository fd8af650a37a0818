//! The `jaryo` command line. Argument parsing and error reporting live here; the work is done
//! by the library.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use jaryo::analyze::Analyzer;
use jaryo::batch::RunOptions;

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
    Run {
        /// Files or directories; default `input/`.
        inputs: Vec<PathBuf>,
        /// Output directory.
        #[arg(short, long, default_value = "output")]
        output: PathBuf,
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

fn main() -> ExitCode {
    let cli = Cli::parse();
    let dict_dir = cli.dict.unwrap_or_else(jaryo::dict::default_dict_dir);
    match cli.command {
        Command::Corpus {
            dir,
            json,
            no_pdftotext,
            baseline,
        } => corpus_command(&dir, json, no_pdftotext, baseline),
        Command::Run { inputs, output } => {
            let user_dict = jaryo::dict::default_user_dict();
            let analyzer = match Analyzer::load(&dict_dir, Some(&user_dict)) {
                Ok(a) => a,
                Err(e) => {
                    eprintln!("jaryo: {e}");
                    return ExitCode::from(1);
                }
            };
            let inputs = if inputs.is_empty() {
                vec![PathBuf::from("input")]
            } else {
                inputs
            };
            let options = RunOptions {
                inputs,
                output_dir: output,
                ..RunOptions::default()
            };
            match jaryo::batch::run(&options, &analyzer) {
                Ok(outcomes) => {
                    let mut failed = false;
                    for outcome in outcomes {
                        match outcome.result {
                            Ok(path) => eprintln!("ok      {}", path.display()),
                            Err(reason) => {
                                failed = true;
                                eprintln!("failed  {reason}");
                            }
                        }
                    }
                    if failed {
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
    }
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
                match serde_json::to_string_pretty(&report) {
                    Ok(text) => println!("{text}"),
                    Err(e) => {
                        eprintln!("jaryo: {e}");
                        return ExitCode::from(1);
                    }
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
