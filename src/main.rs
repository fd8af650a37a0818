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
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let dict_dir = cli.dict.unwrap_or_else(jaryo::dict::default_dict_dir);
    match cli.command {
        Command::Eval {
            dir,
            json,
            baseline,
            check,
        } => eval_command(&dir, &dict_dir, json, &baseline, check),
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

/// `jaryo eval`: jaryo's column reports an analyzer that fails to load instead of stopping.
fn eval_command(
    dir: &std::path::Path,
    dict_dir: &std::path::Path,
    json: bool,
    baseline: &str,
    check: bool,
) -> ExitCode {
    use jaryo::eval::{evaluate, pipeline_runner, Baseline};
    let baseline = if baseline == "plain" {
        Baseline::Plain
    } else {
        Baseline::Layout
    };
    let user_dict = jaryo::dict::default_user_dict();
    let analyzer = Analyzer::load(dict_dir, Some(&user_dict));
    let report = match &analyzer {
        Ok(a) => evaluate(dir, baseline, pipeline_runner(a)),
        Err(e) => evaluate(dir, baseline, |_: &std::path::Path| Err(e.to_string())),
    };
    let report = match report {
        Ok(r) => r,
        Err(e) => {
            eprintln!("jaryo: {e}");
            return ExitCode::from(1);
        }
    };
    if json {
        match serde_json::to_string_pretty(&report) {
            Ok(text) => println!("{text}"),
            Err(e) => {
                eprintln!("jaryo: {e}");
                return ExitCode::from(1);
            }
        }
    } else {
        print!("{}", jaryo::eval::render_table(&report));
    }
    if check && !report.all_targets_met() {
        ExitCode::from(3)
    } else {
        ExitCode::SUCCESS
    }
}
