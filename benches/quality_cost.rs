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
//!
//! With `--checks`, it prints instead what each check costs on its own, in CPU time of one
//! thread (median and minimum over the rounds, same document each round): where quality's time
//! goes.

mod common;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use jaryo::analyze::Analyzer;
use jaryo::document::Document;
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

/// The CPU time the calling thread has used, in ms: unlike the wall clock, it does not count
/// the time other processes of a loaded machine take the core.
fn thread_cpu_ms() -> f64 {
    let mut t = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `t` is a valid timespec to write to; the clock id is a constant libc defines.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) };
    t.tv_sec as f64 * 1e3 + t.tv_nsec as f64 / 1e6
}

/// Times each check on `document` alone, `rounds` times on one thread, and prints the medians.
fn checks(
    document: &Document,
    pages: &[Page],
    analyzer: &Analyzer,
    rounds: usize,
) -> Result<(), String> {
    use jaryo::quality::{facts, hallucination, nonsense, repetition, spacing, unmapped};
    let blocks = &document.blocks;
    let texts: Vec<&str> = blocks
        .iter()
        .flat_map(|b| match &b.table {
            Some(t) if !t.rows.is_empty() => t.rows.iter().flatten().map(String::as_str).collect(),
            _ => vec![b.text.as_str()],
        })
        .collect();
    let empty = || vec![Vec::new(); blocks.len()];
    type Check<'a> = (&'a str, Box<dyn Fn() + Sync + 'a>);
    let texts = &texts;
    let each_text = |f: fn(&str, &mut Vec<jaryo::document::Flag>)| {
        Box::new(move || {
            let mut out = Vec::new();
            for t in texts {
                f(t, &mut out);
            }
            std::hint::black_box(out);
        }) as Box<dyn Fn() + Sync>
    };
    let checks: Vec<Check> = vec![
        (
            "assess (whole, 1 thread)",
            Box::new(|| {
                let mut d = document.clone();
                jaryo::quality::assess(&mut d, pages, analyzer);
                std::hint::black_box(d);
            }),
        ),
        (
            "  document clone (in the line above)",
            Box::new(|| {
                std::hint::black_box(document.clone());
            }),
        ),
        (
            "  detect_text / detect_table, all texts",
            Box::new(|| {
                for b in blocks {
                    std::hint::black_box(match &b.table {
                        Some(t) if !t.rows.is_empty() => {
                            jaryo::quality::detect_table(&t.rows, t.header_rows)
                        }
                        _ => jaryo::quality::detect_text(&b.text),
                    });
                }
            }),
        ),
        (
            "    facts::TextFacts::of",
            Box::new(|| {
                for t in texts {
                    std::hint::black_box(facts::TextFacts::of(t));
                }
            }),
        ),
        (
            "    repetition::detect_phrases",
            each_text(repetition::detect_phrases),
        ),
        ("    spacing::detect", each_text(spacing::detect)),
        (
            "    markers::detect",
            each_text(jaryo::quality::markers::detect),
        ),
        (
            "  spacing::detect_lost_spaces_by_tokens",
            Box::new(|| {
                let mut out = Vec::new();
                for b in blocks {
                    spacing::detect_lost_spaces_by_tokens(&b.text, &b.tokens, &mut out);
                }
                std::hint::black_box(out);
            }),
        ),
        (
            "  unmapped::flag_blocks_on_unmapped_lines",
            Box::new(|| {
                let mut per_block = empty();
                unmapped::flag_blocks_on_unmapped_lines(blocks, pages, &mut per_block);
                std::hint::black_box(per_block);
            }),
        ),
        (
            "  nonsense::detect_costly_words",
            Box::new(|| {
                let mut per_block = empty();
                nonsense::detect_costly_words(blocks, analyzer, &mut per_block);
                std::hint::black_box(per_block);
            }),
        ),
        (
            "  repetition::detect_repeated_blocks",
            Box::new(|| {
                let mut per_block = empty();
                repetition::detect_repeated_blocks(blocks, &mut per_block);
                std::hint::black_box(per_block);
            }),
        ),
        (
            "  hallucination::detect_rows",
            Box::new(|| {
                let mut per_block = empty();
                hallucination::detect_rows(blocks, Some(analyzer), &mut per_block);
                std::hint::black_box(per_block);
            }),
        ),
        (
            "  summary::document_quality",
            Box::new(|| {
                std::hint::black_box(jaryo::quality::summary::document_quality(blocks, pages));
            }),
        ),
    ];
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .map_err(|e| e.to_string())?;
    let mut times = vec![Vec::new(); checks.len()];
    pool.install(|| {
        for r in 0..=rounds {
            for (k, (_, check)) in checks.iter().enumerate() {
                let start = thread_cpu_ms();
                check();
                if r > 0 {
                    times[k].push(thread_cpu_ms() - start);
                }
            }
        }
    });
    println!("blocks: {}, texts: {}", blocks.len(), texts.len());
    println!("rounds: {rounds} (CPU time of the one thread: median, minimum)");
    for ((name, _), t) in checks.iter().zip(times) {
        let least = t.iter().copied().fold(f64::INFINITY, f64::min);
        println!("{name:<45} {:>7.2} ms {least:>7.2} ms", median(t));
    }
    Ok(())
}

fn main() -> ExitCode {
    let per_check = std::env::args().any(|a| a == "--checks");
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
    if per_check {
        let done = process_file(&input, &without, &analyzer)
            .map_err(|e| e.to_string())
            .and_then(|document| checks(&document, &pages, &analyzer, rounds));
        return match done {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("quality_cost: {e}");
                ExitCode::from(1)
            }
        };
    }
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
