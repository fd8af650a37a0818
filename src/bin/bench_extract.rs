//! Benchmark of the PDF path. For each PDF given (default: the one-column layout fixture):
//! extraction with layout in pages per second on one core (rayon limited to one thread,
//! repeated), then whole-process wall time of `jaryo run` (or `jaryo extract` when no
//! dictionary is installed) beside `pdftotext -layout` on the same file in the same run (the
//! median of `--repeat` runs of each, alternating, so a burst of load on the shared machine
//! hits both; `paired` is the median of each alternation's own ratio), and the Hangul
//! characters each extracted.
//!
//! Usage: cargo run --release --bin bench_extract -- [--repeat N] [FILE.pdf | DIR]...

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use jaryo::extract::pdf::extract_bytes;
use jaryo::extract::ExtractOptions;

/// CPU time this process has used (user + system), from `/proc/self/stat`; `None` elsewhere.
/// The machine is shared, so pages per CPU-second is steadier than pages per wall-second.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let after_name = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    // Fields 14 and 15 of the file (utime, stime) are 12 and 13 after the name; ticks of 1/100 s.
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

fn hangul(text: &str) -> usize {
    text.chars()
        .filter(|c| ('\u{AC00}'..='\u{D7A3}').contains(c))
        .count()
}

fn pdf_files(args: &[String]) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for arg in args {
        let path = PathBuf::from(arg);
        if path.is_dir() {
            if let Ok(entries) = std::fs::read_dir(&path) {
                let mut found: Vec<PathBuf> = entries
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("pdf")))
                    .collect();
                found.sort();
                files.extend(found);
            }
        } else {
            files.push(path);
        }
    }
    if files.is_empty() {
        files.push(PathBuf::from("tests/pdf_layout/one_column.pdf"));
    }
    files
}

/// Two commands timed `times` times each, alternating.
struct Paired {
    /// Median wall times; `None` for a command that cannot run or fails.
    first: Option<Duration>,
    second: Option<Duration>,
    /// The median of each alternation's first/second ratio: a burst of load on the shared
    /// machine that hits one alternation moves it less than the ratio of the medians.
    ratio: Option<f64>,
}

fn median_pair(
    times: usize,
    first: impl Fn() -> Option<Duration>,
    second: impl Fn() -> Option<Duration>,
) -> Paired {
    let (mut a, mut b) = (Vec::new(), Vec::new());
    for _ in 0..times {
        a.push(first());
        b.push(second());
    }
    let mut ratios: Vec<f64> = a
        .iter()
        .zip(&b)
        .filter_map(|(x, y)| Some(x.as_ref()?.as_secs_f64() / y.as_ref()?.as_secs_f64().max(1e-9)))
        .collect();
    ratios.sort_by(f64::total_cmp);
    let ratio = (ratios.len() == times)
        .then(|| ratios.get(times / 2).copied())
        .flatten();
    Paired {
        first: median(a),
        second: median(b),
        ratio,
    }
}

fn median(mut samples: Vec<Option<Duration>>) -> Option<Duration> {
    if samples.iter().any(Option::is_none) {
        return None;
    }
    samples.sort();
    samples.get(samples.len() / 2).copied().flatten()
}

/// Wall time of a command, its stdout discarded; `None` when it cannot run or fails.
fn time_command(program: &Path, args: &[&str]) -> Option<Duration> {
    let start = Instant::now();
    let status = Command::new(program)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .ok()?;
    status.success().then(|| start.elapsed())
}

fn pdftotext_hangul(file: &Path) -> Option<usize> {
    let out = Command::new("pdftotext").arg(file).arg("-").output().ok()?;
    out.status
        .success()
        .then(|| hangul(&String::from_utf8_lossy(&out.stdout)))
}

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut repeat = 5usize;
    if let Some(i) = args.iter().position(|a| a == "--repeat") {
        repeat = args
            .get(i + 1)
            .and_then(|n| n.parse().ok())
            .unwrap_or(5)
            .max(1);
        args.drain(i..(i + 2).min(args.len()));
    }
    let files = pdf_files(&args);
    let jaryo = std::env::current_exe()
        .ok()
        .and_then(|e| e.parent().map(|d| d.join("jaryo")))
        .unwrap_or_else(|| PathBuf::from("jaryo"));
    let pool = match rayon::ThreadPoolBuilder::new().num_threads(1).build() {
        Ok(pool) => pool,
        Err(e) => {
            eprintln!("bench_extract: {e}");
            return ExitCode::from(1);
        }
    };
    let out_dir = std::env::temp_dir().join(format!("jaryo-bench-{}", std::process::id()));
    println!(
        "{:<34} {:>5} {:>9} {:>9} {:>9} {:>10} {:>10} {:>6} {:>6} {:>8} {:>8} {:>7}",
        "file",
        "pages",
        "pages/s",
        "p/cpu-s",
        "ms/page",
        "jaryo s",
        "pdftotext",
        "ratio",
        "paired",
        "hangul",
        "pdftotxt",
        "diff%"
    );
    let (mut total_jaryo, mut total_pdftotext) = (Duration::ZERO, Duration::ZERO);
    for file in files {
        let name = file
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        let bytes = match std::fs::read(&file) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("{}: {e}", file.display());
                continue;
            }
        };
        let options = ExtractOptions::default();
        let mut pages = 0usize;
        let mut extracted_hangul = 0usize;
        let start = Instant::now();
        let cpu_start = cpu_seconds();
        for _ in 0..repeat {
            match pool.install(|| extract_bytes(&bytes, &options)) {
                Ok(doc) => {
                    pages += doc.pages.len();
                    extracted_hangul = doc
                        .pages
                        .iter()
                        .flat_map(|p| &p.lines)
                        .map(|l| hangul(&l.text))
                        .sum();
                }
                Err(e) => {
                    eprintln!("{name}: {e}");
                    break;
                }
            }
        }
        let one_core = start.elapsed();
        let per_second = pages as f64 / one_core.as_secs_f64().max(1e-9);
        let per_cpu_second = cpu_start
            .zip(cpu_seconds())
            .map(|(a, b)| pages as f64 / (b - a).max(0.01));
        let file_arg = file.to_string_lossy().into_owned();
        let out_arg = out_dir.to_string_lossy().into_owned();
        let how = if time_command(&jaryo, &["run", &file_arg, "-o", &out_arg]).is_some() {
            "run"
        } else {
            "extract"
        };
        let timed = median_pair(
            repeat,
            || match how {
                "run" => time_command(&jaryo, &["run", &file_arg, "-o", &out_arg, "--force"]),
                _ => time_command(&jaryo, &["extract", &file_arg]),
            },
            || time_command(Path::new("pdftotext"), &["-layout", &file_arg, "/dev/null"]),
        );
        let jaryo_time = timed.first.map(|t| (t, how));
        let pdftotext_time = timed.second;
        let reference = pdftotext_hangul(&file);
        let diff = reference
            .filter(|&r| r > 0)
            .map(|r| {
                format!(
                    "{:+.1}",
                    100.0 * (extracted_hangul as f64 - r as f64) / r as f64
                )
            })
            .unwrap_or_else(|| "-".into());
        let ratio = match (jaryo_time, pdftotext_time) {
            (Some((j, _)), Some(p)) => {
                total_jaryo += j;
                total_pdftotext += p;
                format!("{:.2}", j.as_secs_f64() / p.as_secs_f64().max(1e-9))
            }
            _ => "-".into(),
        };
        println!(
            "{:<34} {:>5} {:>9.1} {:>9} {:>9.2} {:>10} {:>10} {:>6} {:>6} {:>8} {:>8} {:>7}",
            name.chars().take(34).collect::<String>(),
            pages / repeat,
            per_second,
            per_cpu_second.map_or("-".into(), |p| format!("{p:.1}")),
            1000.0 / per_second.max(1e-9),
            jaryo_time.map_or("-".into(), |(t, how)| format!(
                "{:.3}{}",
                t.as_secs_f64(),
                if how == "run" { "" } else { "x" }
            )),
            pdftotext_time.map_or("-".into(), |t| format!("{:.3}", t.as_secs_f64())),
            ratio,
            timed.ratio.map_or("-".into(), |r| format!("{r:.2}")),
            extracted_hangul,
            reference.map_or("-".into(), |r| r.to_string()),
            diff,
        );
    }
    let _ = std::fs::remove_dir_all(&out_dir);
    if total_pdftotext > Duration::ZERO {
        println!(
            "total: jaryo {:.3}s, pdftotext {:.3}s, ratio {:.2} (an `x` after a time: `jaryo extract`, no dictionary for `jaryo run`)",
            total_jaryo.as_secs_f64(),
            total_pdftotext.as_secs_f64(),
            total_jaryo.as_secs_f64() / total_pdftotext.as_secs_f64()
        );
    }
    ExitCode::SUCCESS
}
