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
    /// Print a document's section tree, tables and flagged passages (FILE: an input, or a
    /// jaryo JSON output).
    Inspect {
        file: PathBuf,
        /// Also list the headings inside each section.
        #[arg(long)]
        headings: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let dict_dir = cli.dict.unwrap_or_else(jaryo::dict::default_dict_dir);
    match cli.command {
        Command::Inspect { file, headings } => inspect(&file, headings, &dict_dir),
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
