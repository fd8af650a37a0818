//! Hostile files never take a batch down (issue 21): the crafted corpus of
//! `scripts/make_hostile.py` beside good fixtures at `--jobs 2` ends with exit 2, every input in
//! the manifest (failures with a reason naming the file), the good ones byte-identical to a run
//! without the hostile ones, bounded memory and time, nothing written outside the output
//! directory. A worker that dies (its memory limit) fails its document only; SIGTERM stops a
//! run with its manifest written and exit 130.

mod batch_common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use batch_common::*;

/// The crafted corpus written into `dir` with bombs of `bomb_mib` MiB; `None` (with a message)
/// when python3 is missing.
fn make_hostile(dir: &Path, bomb_mib: u32) -> Option<Vec<PathBuf>> {
    let made = Command::new("python3")
        .arg(repo().join("scripts/make_hostile.py"))
        .arg(dir)
        .arg("--good")
        .arg(repo().join("fixtures/pdf/one_column.pdf"))
        .args(["--bomb-mib", &bomb_mib.to_string()])
        .output();
    let Ok(made) = made else {
        eprintln!("skipped: python3 is not installed (needed by scripts/make_hostile.py)");
        return None;
    };
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let listing = String::from_utf8(made.stdout).unwrap();
    Some(
        listing
            .lines()
            .map(|l| dir.join(l.split('\t').next().unwrap()))
            .collect(),
    )
}

/// Every file under `dir`, relative to it.
fn tree(dir: &Path) -> BTreeSet<PathBuf> {
    fn walk(dir: &Path, base: &Path, out: &mut BTreeSet<PathBuf>) {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            out.insert(path.strip_prefix(base).unwrap().to_path_buf());
            if path.is_dir() {
                walk(&path, base, out);
            }
        }
    }
    let mut out = BTreeSet::new();
    walk(dir, dir, &mut out);
    out
}

/// The largest resident set of any finished child of this process (and their children, which
/// jaryo waits for), in KiB.
fn children_max_rss_kib() -> i64 {
    // SAFETY: a zeroed rusage is a valid value for getrusage to fill in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: a valid pointer to our own rusage.
    unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    usage.ru_maxrss
}

#[test]
fn a_hostile_batch_fails_its_hostile_files_only() {
    let work = tempfile::tempdir().unwrap();
    let hostile_dir = work.path().join("hostile");
    let Some(hostile) = make_hostile(&hostile_dir, 300) else {
        return;
    };
    let good: Vec<PathBuf> = ["tables.pdf", "two_column.pdf", "headings_footnote.pdf"]
        .iter()
        .map(|f| repo().join("fixtures/pdf").join(f))
        .collect();
    let good_refs: Vec<&Path> = good.iter().map(PathBuf::as_path).collect();

    let alone = work.path().join("alone");
    let run_alone = run(&good_refs, &alone, &["--jobs", "2", "--quiet"]);
    assert_eq!(run_alone.status.code(), Some(0), "{}", stderr(&run_alone));

    // Run from inside the work directory, so a write outside the output directory would show.
    let out = work.path().join("out");
    let before = tree(work.path());
    let mut inputs: Vec<&Path> = hostile.iter().map(PathBuf::as_path).collect();
    inputs.extend(&good_refs);
    let start = Instant::now();
    let output = jaryo()
        .current_dir(work.path())
        .arg("run")
        .args(&inputs)
        .arg("-o")
        .arg(&out)
        .args([
            "--jobs",
            "2",
            "--max-memory",
            "700M",
            "--timeout",
            "60",
            "--quiet",
        ])
        .output()
        .unwrap();
    let took = start.elapsed();
    eprintln!("{}", stderr(&output));
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(took < Duration::from_secs(90), "took {took:?}");
    let peak = children_max_rss_kib();
    eprintln!("took {took:?}, largest process {} MiB", peak / 1024);
    // Two workers of at most 700 MiB each and the run: under 1.5 GB together.
    assert!(peak < 700 * 1024, "a process reached {peak} KiB");

    let manifest = manifest(&out);
    let entries = manifest["entries"].as_array().unwrap();
    for input in &inputs {
        let path = input.display().to_string();
        let entry = entries
            .iter()
            .find(|e| e["path"] == path.as_str())
            .unwrap_or_else(|| panic!("{path} is not in the manifest: {manifest:#}"));
        match entry["status"].as_str() {
            Some("ok") => {}
            Some("failed") => {
                let error = entry["error"].as_str().unwrap();
                assert!(error.starts_with(&path), "{error}");
                assert!(error.len() > path.len() + 2, "no reason: {error}");
            }
            other => panic!("{path}: {other:?}"),
        }
    }
    // The bombs and the loops are refused, not read.
    for name in [
        "decompression_bomb.pdf",
        "tounicode_bomb.pdf",
        "xref_w_zero.pdf",
    ] {
        assert_eq!(entry(&out, name)["status"], "failed", "{name}");
    }
    // Damage that is recovered from: read, not refused. Damaged text is read, its holes
    // U+FFFD (flagged `replacement_char`).
    for name in [
        "no_trailer.pdf",
        "sparse_table.hwpx",
        "invalid_byte.txt",
        "cut_short.txt",
    ] {
        assert_eq!(entry(&out, name)["status"], "ok", "{name}");
    }
    // The good ones are as they are alone, byte for byte.
    for file in &good {
        let name = file.display().to_string();
        let entry = entry(&out, &name);
        assert_eq!(entry["status"], "ok", "{entry:#}");
        for output in entry["outputs"].as_array().unwrap() {
            let output = output.as_str().unwrap();
            assert_eq!(
                std::fs::read(out.join(output)).unwrap(),
                std::fs::read(alone.join(output)).unwrap(),
                "{output} differs"
            );
        }
    }
    // Nothing new outside the output directory.
    let after: BTreeSet<PathBuf> = tree(work.path())
        .into_iter()
        .filter(|p| !p.starts_with("out"))
        .collect();
    let before: BTreeSet<PathBuf> = before
        .into_iter()
        .filter(|p| !p.starts_with("out"))
        .collect();
    assert_eq!(after, before);
}

#[test]
fn a_worker_past_its_memory_limit_fails_its_document_only() {
    let work = tempfile::tempdir().unwrap();
    // A 240 MiB bomb: under the per-stream cap, over a 512 MiB worker (inflating it takes
    // 384 MiB as its buffer doubles, beside some 300 MiB of binary, dictionary and stacks).
    let Some(hostile) = make_hostile(&work.path().join("hostile"), 240) else {
        return;
    };
    let bomb = hostile
        .iter()
        .find(|p| p.ends_with("decompression_bomb.pdf"))
        .unwrap();
    let good = repo().join("fixtures/pdf/tables.pdf");
    let out = work.path().join("out");
    let output = run(
        &[bomb, &good],
        &out,
        &["--jobs", "1", "--max-memory", "512M", "--quiet"],
    );
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let error = entry(&out, "decompression_bomb.pdf")["error"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(error.contains("memory limit 512 MiB exceeded"), "{error}");
    // The next document ran in a fresh worker.
    assert_eq!(entry(&out, "tables.pdf")["status"], "ok");
}

/// The worker processes of the jaryo process `pid` now.
fn children_of(pid: u32) -> Vec<u32> {
    let mut out = Vec::new();
    for task in std::fs::read_dir(format!("/proc/{pid}/task"))
        .into_iter()
        .flatten()
        .flatten()
    {
        let children = std::fs::read_to_string(task.path().join("children")).unwrap_or_default();
        out.extend(
            children
                .split_whitespace()
                .filter_map(|c| c.parse::<u32>().ok()),
        );
    }
    out
}

fn is_gone(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Err(_) => true,
        // A zombie waiting for its reaper counts as gone.
        Ok(stat) => stat
            .rsplit(')')
            .next()
            .is_some_and(|rest| rest.trim_start().starts_with('Z')),
    }
}

#[test]
fn sigterm_stops_the_run_with_its_manifest_and_exit_130() {
    let work = tempfile::tempdir().unwrap();
    let input = work.path().join("input");
    std::fs::create_dir_all(&input).unwrap();
    let sample = std::fs::read_to_string(sample_text()).unwrap();
    for copy in 0..8 {
        std::fs::write(
            input.join(format!("booklet_{copy:02}.txt")),
            format!("{sample}\n{copy}번째 사본\n"),
        )
        .unwrap();
    }
    let out = work.path().join("out");
    let mut child = jaryo()
        .arg("run")
        .arg(&input)
        .arg("-o")
        .arg(&out)
        .args(["--jobs", "1", "--quiet"])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Stop it once the first document is recorded.
    let start = Instant::now();
    while !out.join("manifest.json").exists() {
        assert!(child.try_wait().unwrap().is_none(), "jaryo ended early");
        assert!(start.elapsed() < Duration::from_secs(120), "no manifest");
        std::thread::sleep(Duration::from_millis(10));
    }
    let workers = children_of(child.id());
    assert!(!workers.is_empty(), "no worker process");
    // SAFETY: signalling our own child.
    unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGTERM) };
    let stopped = Instant::now();
    let status = child.wait().unwrap();
    assert!(
        stopped.elapsed() < Duration::from_secs(5),
        "{:?}",
        stopped.elapsed()
    );
    assert_eq!(status.code(), Some(130));
    let entries = manifest(&out)["entries"].as_array().unwrap().clone();
    assert!(
        !entries.is_empty() && entries.len() < 8,
        "{}",
        entries.len()
    );
    assert!(entries.iter().all(|e| e["status"] == "ok"));
    std::thread::sleep(Duration::from_millis(200));
    for pid in workers {
        assert!(is_gone(pid), "worker {pid} outlived the run");
    }
    // The next run does the rest.
    let rerun = run(&[&input], &out, &["--quiet"]);
    assert_eq!(rerun.status.code(), Some(0), "{}", stderr(&rerun));
    assert_eq!(manifest(&out)["entries"].as_array().unwrap().len(), 8);
}
