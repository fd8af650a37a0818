//! Batch benchmark (issue 6): wall-clock time of `jaryo run --jobs 1` against `--jobs 2` on a
//! batch of fixture PDFs, and the peak memory (max RSS) of a run on the sample booklet PDF.
//! Issue 21: the cost of isolation, `jaryo run` (worker processes) against `--in-process` on
//! the sample PDF and on the fixture batch, as paired ratios (the two runs of a round side by
//! side in time, alternating which goes first). Runs the release binary as a child process, so
//! the figures are what a user gets.
//!
//!     JARYO_DICT=/path/to/ko-dic cargo bench --bench batch
//!
//! Options (environment): `BENCH_ROUNDS` (default 3; the best round of each setting counts),
//! `BENCH_COPIES` (default 1; how many copies of each fixture make up the batch).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn dict_dir() -> PathBuf {
    std::env::var_os("JARYO_DICT")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("dictionaries/ko-dic"))
}

/// What one run of the binary cost.
struct Cost {
    wall: Duration,
    /// User plus system CPU time of the child.
    cpu: Duration,
    max_rss_kib: i64,
    exit: i32,
}

/// Runs `jaryo run INPUT -o OUT --force --quiet EXTRA…` and measures it with wait4.
// wait4 reaps the child (std's `wait` cannot report its resource usage).
#[allow(clippy::zombie_processes)]
fn measure(input: &Path, out: &Path, extra: &[&str]) -> Cost {
    let start = Instant::now();
    let child = Command::new(env!("CARGO_BIN_EXE_jaryo"))
        .arg("--dict")
        .arg(dict_dir())
        .arg("run")
        .arg(input)
        .arg("-o")
        .arg(out)
        .args(["--force", "--quiet"])
        .args(extra)
        .stdout(Stdio::null())
        .spawn()
        .expect("the jaryo binary runs");
    let mut status = 0;
    // SAFETY: a zeroed rusage is a valid value for wait4 to fill in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: the pid is our own child, not yet waited for; both pointers are valid.
    let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    assert_eq!(pid, child.id() as libc::pid_t, "wait4 failed");
    Cost {
        wall: start.elapsed(),
        cpu: timeval(usage.ru_utime) + timeval(usage.ru_stime),
        max_rss_kib: usage.ru_maxrss,
        exit: if libc::WIFEXITED(status) {
            libc::WEXITSTATUS(status)
        } else {
            -1
        },
    }
}

/// The sum of the per-document seconds in the run's manifest: divided by the wall time, how
/// many documents were being worked on at once on average.
fn document_seconds(out: &Path) -> f64 {
    let Ok(bytes) = std::fs::read(out.join("manifest.json")) else {
        return 0.0;
    };
    let manifest: serde_json::Value = serde_json::from_slice(&bytes).unwrap_or_default();
    manifest["entries"]
        .as_array()
        .map(|entries| entries.iter().filter_map(|e| e["seconds"].as_f64()).sum())
        .unwrap_or(0.0)
}

fn timeval(t: libc::timeval) -> Duration {
    Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64)
}

fn main() {
    let rounds: usize = std::env::var("BENCH_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3)
        .max(1);
    let copies: usize = std::env::var("BENCH_COPIES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1);
    let work = tempfile::tempdir().expect("a temporary directory");

    // Peak memory on the sample booklet PDF (one document, so jobs do not matter).
    let sample_pdf = repo().join("input/seoul_social_economy_forum_2020.pdf");
    if sample_pdf.exists() {
        let cost = measure(&sample_pdf, &work.path().join("sample"), &["--jobs", "1"]);
        println!(
            "sample PDF ({}): exit {}, {:.2} s wall, {:.2} s CPU, peak memory {:.1} MB \
             (limit 300 MB)",
            sample_pdf.display(),
            cost.exit,
            cost.wall.as_secs_f64(),
            cost.cpu.as_secs_f64(),
            cost.max_rss_kib as f64 / 1024.0
        );
    } else {
        println!(
            "sample PDF {} absent: memory not measured",
            sample_pdf.display()
        );
    }

    // The batch: every fixture PDF, `copies` times (each copy its own document).
    let batch = work.path().join("batch");
    let mut documents = 0;
    let mut pdfs: Vec<PathBuf> = std::fs::read_dir(repo().join("fixtures/pdf"))
        .expect("fixtures/pdf (fixtures/make_fixtures.sh makes it)")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    pdfs.sort();
    for copy in 0..copies {
        let dir = batch.join(format!("copy{copy}"));
        std::fs::create_dir_all(&dir).expect("batch directory");
        for pdf in &pdfs {
            std::fs::copy(pdf, dir.join(pdf.file_name().expect("a file name")))
                .expect("copy a fixture");
            documents += 1;
        }
    }
    assert!(documents >= 8, "at least 8 documents: {documents}");

    let mut best = [Duration::MAX, Duration::MAX];
    // Each round's --jobs 1 / --jobs 2 ratio: the two runs sit next to each other in time, so
    // the median of these is steadier on a shared machine than the ratio of the bests.
    let mut paired = Vec::new();
    for round in 0..rounds {
        let mut walls = [Duration::ZERO; 2];
        for (slot, jobs) in ["1", "2"].into_iter().enumerate() {
            let out = work.path().join(format!("out{jobs}"));
            let cost = measure(&batch, &out, &["--jobs", jobs]);
            println!(
                "round {}: --jobs {jobs}: exit {}, {:.3} s wall, {:.3} s CPU ({:.2} cores busy), \
                 {:.2} documents in flight, peak memory {:.1} MB",
                round + 1,
                cost.exit,
                cost.wall.as_secs_f64(),
                cost.cpu.as_secs_f64(),
                cost.cpu.as_secs_f64() / cost.wall.as_secs_f64(),
                document_seconds(&out) / cost.wall.as_secs_f64(),
                cost.max_rss_kib as f64 / 1024.0
            );
            best[slot] = best[slot].min(cost.wall);
            walls[slot] = cost.wall;
        }
        paired.push(walls[0].as_secs_f64() / walls[1].as_secs_f64().max(1e-9));
    }
    paired.sort_by(f64::total_cmp);
    let median_ratio = paired[paired.len() / 2];
    println!(
        "batch of {documents} fixture PDFs: best --jobs 1 {:.3} s, best --jobs 2 {:.3} s, \
         speed-up {:.2}x; median of the rounds' ratios {median_ratio:.2}x (target 1.7x on 2 cores)",
        best[0].as_secs_f64(),
        best[1].as_secs_f64(),
        best[0].as_secs_f64() / best[1].as_secs_f64()
    );

    // Isolation: the default run (worker processes) against `--in-process`, default jobs.
    let mut inputs = vec![("fixture batch", batch.clone())];
    if sample_pdf.exists() {
        inputs.insert(0, ("sample PDF", sample_pdf.clone()));
    }
    for (what, input) in inputs {
        let mut walls = Vec::new();
        let mut cpus = Vec::new();
        for round in 0..rounds.max(5) {
            let mut cost = [None, None];
            // Alternate which goes first, so neither always runs on a warmer machine.
            let order: [usize; 2] = if round % 2 == 0 { [0, 1] } else { [1, 0] };
            for slot in order {
                let extra: &[&str] = if slot == 0 { &[] } else { &["--in-process"] };
                cost[slot] = Some(measure(&input, &work.path().join("isolation"), extra));
            }
            let [Some(isolated), Some(in_process)] = cost else {
                continue;
            };
            walls.push(isolated.wall.as_secs_f64() / in_process.wall.as_secs_f64().max(1e-9));
            cpus.push(isolated.cpu.as_secs_f64() / in_process.cpu.as_secs_f64().max(1e-9));
            println!(
                "isolation, {what}, round {}: workers {:.3} s wall {:.3} s CPU (exit {}), \
                 in-process {:.3} s wall {:.3} s CPU (exit {})",
                round + 1,
                isolated.wall.as_secs_f64(),
                isolated.cpu.as_secs_f64(),
                isolated.exit,
                in_process.wall.as_secs_f64(),
                in_process.cpu.as_secs_f64(),
                in_process.exit
            );
        }
        println!(
            "isolation, {what}: median wall ratio workers/in-process {:.3} (target <= 1.05), \
             median CPU ratio {:.3}, over {} paired rounds",
            median(&mut walls),
            median(&mut cpus),
            walls.len()
        );
    }
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(f64::NAN)
}
