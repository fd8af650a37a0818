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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let dict_dir = cli.dict.unwrap_or_else(jaryo::dict::default_dict_dir);
    match cli.command {
        Command::Extract {
            input,
            password,
            json,
        } => extract_command(&input, password, json),
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

fn extract_command(input: &std::path::Path, password: Option<String>, json: bool) -> ExitCode {
    let options = jaryo::extract::ExtractOptions { password };
    let extracted = jaryo::source::read(input)
        .map_err(jaryo::extract::ExtractError::from)
        .and_then(|source| jaryo::extract::extract(&source, &options));
    match extracted {
        Ok((document, _)) if json => match serde_json::to_string_pretty(&document) {
            Ok(text) => {
                println!("{text}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("jaryo: {e}");
                ExitCode::from(1)
            }
        },
        Ok((document, _)) => {
            print!("{}", jaryo::extract::listing::render(&document.pages));
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("jaryo: {e}");
            ExitCode::from(1)
        }
    }
}
