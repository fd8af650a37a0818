//! What quality scoring costs: times `pipeline::process_file` on one input with and without
//! `quality::assess`, alternating in one run, and prints the medians and their ratio.
//!
//! `cargo bench --bench quality_cost -- [INPUT] [ROUNDS]` (default: the sample booklet, 15
//! rounds). Needs the dictionary (`JARYO_DICT` or `dictionaries/ko-dic`).

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use jaryo::analyze::Analyzer;
use jaryo::pipeline::{process_file, PipelineOptions};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let input = args
        .first()
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("input/seoul_social_economy_forum_2020.txt"));
    let rounds: usize = args
        .get(1)
        .and_then(|r| r.parse().ok())
        .unwrap_or(15)
        .max(1);
    let dict = std::env::var_os(jaryo::dict::DICT_ENV)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("dictionaries/ko-dic"));
    let builtin = jaryo::analyze::UserDict::Builtin;
    let analyzer = match Analyzer::load_with(&dict, Some(&builtin)) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("quality_cost: {e}");
            return ExitCode::from(1);
        }
    };
    let with = PipelineOptions::default();
    let without = PipelineOptions {
        skip_quality: true,
        ..PipelineOptions::default()
    };
    let (mut t_with, mut t_without) = (Vec::new(), Vec::new());
    // One warm-up of each, then alternate so both see the same machine load.
    for round in 0..=rounds {
        for (options, times) in [(&without, &mut t_without), (&with, &mut t_with)] {
            let start = Instant::now();
            if let Err(e) = process_file(&input, options, &analyzer) {
                eprintln!("quality_cost: {e}");
                return ExitCode::from(1);
            }
            if round > 0 {
                times.push(start.elapsed());
            }
        }
    }
    let (a, b) = (median(t_without), median(t_with));
    println!("input: {}", input.display());
    println!("rounds: {rounds}");
    println!(
        "pipeline without quality: {:.1} ms (median)",
        a.as_secs_f64() * 1e3
    );
    println!(
        "pipeline with quality:    {:.1} ms (median)",
        b.as_secs_f64() * 1e3
    );
    println!(
        "quality adds {:.1} % to the pipeline",
        (b.as_secs_f64() / a.as_secs_f64() - 1.0) * 100.0
    );
    ExitCode::SUCCESS
}
