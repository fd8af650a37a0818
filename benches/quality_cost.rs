//! What quality scoring costs, as its share of the whole pipeline on one input.
//!
//! Each round, on the same machine load: the whole pipeline with quality; the pipeline without
//! it (`skip_quality`), then `quality::assess` alone on that very document. The share is
//! quality / (rest + quality) of the same round; the medians over the rounds are printed, and
//! beside them what the with/without pair of runs says (a difference of two noisy times, so a
//! cross-check, not the figure).
//!
//! `cargo bench --bench quality_cost -- [INPUT] [ROUNDS]` (default: the sample booklet, 15
//! rounds). Needs the dictionary (`JARYO_DICT` or `dictionaries/ko-dic`).

mod common;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use jaryo::analyze::Analyzer;
use jaryo::model::Page;
use jaryo::pipeline::{process_file, PipelineOptions};

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// The normalized pages `quality::assess` reads beside the document (as the pipeline passes
/// them): read once, they are the same every round.
fn pages_of(input: &Path) -> Result<Vec<Page>, String> {
    let source = jaryo::source::read(input).map_err(|e| e.to_string())?;
    let (mut extracted, _) =
        jaryo::extract::extract(&source, &Default::default()).map_err(|e| e.to_string())?;
    jaryo::normalize::normalize(&mut extracted.pages);
    Ok(extracted.pages)
}

/// One round's times.
struct Round {
    with: Duration,
    rest: Duration,
    quality: Duration,
}

fn round(
    input: &Path,
    pages: &[Page],
    analyzer: &Analyzer,
    with: &PipelineOptions,
    without: &PipelineOptions,
) -> Result<Round, String> {
    let start = Instant::now();
    process_file(input, with, analyzer).map_err(|e| e.to_string())?;
    let with = start.elapsed();
    let start = Instant::now();
    let mut document = process_file(input, without, analyzer).map_err(|e| e.to_string())?;
    let rest = start.elapsed();
    let start = Instant::now();
    jaryo::quality::assess(&mut document, pages, analyzer);
    let quality = start.elapsed();
    std::hint::black_box(document);
    Ok(Round {
        with,
        rest,
        quality,
    })
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
    let analyzer = match common::load_analyzer() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("quality_cost: {e}");
            return ExitCode::from(1);
        }
    };
    let pages = match pages_of(&input) {
        Ok(p) => p,
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
    let mut results = Vec::new();
    // One warm-up round, then the measured ones.
    for r in 0..=rounds {
        match round(&input, &pages, &analyzer, &with, &without) {
            Ok(times) if r > 0 => results.push(times),
            Ok(_) => {}
            Err(e) => {
                eprintln!("quality_cost: {e}");
                return ExitCode::from(1);
            }
        }
    }
    let each = |f: fn(&Round) -> f64| median(results.iter().map(f).collect());
    let rest = each(|r| ms(r.rest));
    let quality = each(|r| ms(r.quality));
    let whole = each(|r| ms(r.with));
    let share = each(|r| 100.0 * ms(r.quality) / (ms(r.rest) + ms(r.quality)));
    let paired = each(|r| 100.0 * (ms(r.with) - ms(r.rest)) / ms(r.with));
    println!("input: {}", input.display());
    println!("rounds: {rounds} (medians)");
    println!("pipeline without quality: {rest:.1} ms");
    println!("quality alone:            {quality:.1} ms");
    println!("pipeline with quality:    {whole:.1} ms");
    println!(
        "quality share: {share:.1} % of the pipeline (quality / (rest + quality), same round)"
    );
    println!(
        "cross-check: (with - without) / with = {paired:.1} % (difference of two separate runs)"
    );
    ExitCode::SUCCESS
}
