//! What the structure stage costs: on each input, times the whole pipeline
//! (`pipeline::process_file`, as `jaryo run` runs one document) and, right after it in the same
//! round, `structure::build` alone on the same extracted and normalised pages; prints the
//! medians and structure's share of the pipeline (issue 15: under 10 % on the sample PDF).
//!
//! `cargo bench --bench structure_cost -- [INPUT...] [--rounds N]` (default: the sample booklet
//! as PDF and as text, 15 rounds). Needs the dictionary (`JARYO_DICT` or `dictionaries/ko-dic`).

mod common;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use jaryo::analyze::Analyzer;
use jaryo::pipeline::{process_file, PipelineOptions};

/// Structure's share of the pipeline that issue 15 allows.
const BUDGET: f64 = 0.10;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// (pipeline, structure) times of `rounds` paired runs on `input`, after one warm-up pair.
fn measure(
    input: &Path,
    rounds: usize,
    analyzer: &Analyzer,
) -> Result<(Vec<Duration>, Vec<Duration>), String> {
    let options = PipelineOptions::default();
    let source = jaryo::source::read(input).map_err(|e| e.to_string())?;
    let (mut extracted, _) =
        jaryo::extract::extract(&source, &options.extract).map_err(|e| e.to_string())?;
    jaryo::normalize::normalize(&mut extracted.pages);
    let (mut pipeline, mut structure) = (Vec::new(), Vec::new());
    for round in 0..=rounds {
        let start = Instant::now();
        process_file(input, &options, analyzer).map_err(|e| e.to_string())?;
        let whole = start.elapsed();
        let start = Instant::now();
        let built = jaryo::structure::build(&extracted.pages, analyzer);
        let part = start.elapsed();
        std::hint::black_box(built);
        if round > 0 {
            pipeline.push(whole);
            structure.push(part);
        }
    }
    Ok((pipeline, structure))
}

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1).filter(|a| a != "--bench");
    let mut inputs: Vec<PathBuf> = Vec::new();
    let mut rounds = 15usize;
    while let Some(arg) = args.next() {
        if arg == "--rounds" {
            rounds = args
                .next()
                .and_then(|r| r.parse().ok())
                .unwrap_or(rounds)
                .max(1);
        } else if !arg.starts_with("--") {
            inputs.push(PathBuf::from(arg));
        }
    }
    if inputs.is_empty() {
        inputs = vec![
            PathBuf::from("input/seoul_social_economy_forum_2020.pdf"),
            PathBuf::from("input/seoul_social_economy_forum_2020.txt"),
        ];
    }
    let analyzer = match common::load_analyzer() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("structure_cost: {e}");
            return ExitCode::from(1);
        }
    };
    println!("rounds: {rounds} (each: the pipeline, then structure alone on its pages)");
    for input in &inputs {
        let (pipeline, structure) = match measure(input, rounds, &analyzer) {
            Ok(times) => times,
            Err(e) => {
                eprintln!("structure_cost: {}: {e}", input.display());
                return ExitCode::from(1);
            }
        };
        // The share per round, so a round slowed by the machine counts once.
        let mut shares: Vec<f64> = pipeline
            .iter()
            .zip(&structure)
            .map(|(p, s)| s.as_secs_f64() / p.as_secs_f64())
            .collect();
        shares.sort_by(f64::total_cmp);
        let share = shares[shares.len() / 2];
        let (p, s) = (median(pipeline), median(structure));
        println!("input: {}", input.display());
        println!("  pipeline:  {:.1} ms (median)", p.as_secs_f64() * 1e3);
        println!("  structure: {:.1} ms (median)", s.as_secs_f64() * 1e3);
        println!(
            "  structure is {:.1} % of the pipeline (median of the rounds' shares; budget {:.0} %){}",
            share * 100.0,
            BUDGET * 100.0,
            if share > BUDGET { " OVER" } else { "" }
        );
    }
    ExitCode::SUCCESS
}
