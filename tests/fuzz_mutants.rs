//! A stable mutation fuzzer over `jaryo run`: mutants of the fixture PDFs and of a slice of the
//! sample text (bit flips, byte runs, cuts, duplicated chunks, and PDF tokens that made
//! trouble: huge counts, self references, deep nesting) go through the binary in batches at
//! `--jobs 2`. Every batch must end with exit 0 or 2 and every mutant in the manifest; a
//! worker's death (abort, crash, stack overflow, memory limit) or a timeout is a finding: the
//! mutant is kept under `target/fuzz-findings/` and the test fails.
//!
//! Short by default (one batch per seed, a few seconds); a long run:
//!
//!     JARYO_FUZZ_SECONDS=1800 cargo test --release --test fuzz_mutants -- --nocapture

mod batch_common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use batch_common::*;

/// Mutants per batch (one `jaryo run`).
const BATCH: usize = 40;

/// Per-document limits of the fuzzing runs: well under what a real booklet needs.
const TIMEOUT: &str = "20";
const MAX_MEMORY: &str = "1G";

/// Reasons that mean the worker did not end the document itself.
const FINDINGS: &[&str] = &[
    "worker aborted",
    "worker crashed",
    "worker was killed",
    "worker exited",
    "stack overflow",
    "memory limit",
    "timed out",
];

/// PDF fragments spliced in at random places: the kinds of lies that made trouble.
const TOKENS: &[&[u8]] = &[
    b"/Count 2000000000",
    b"/Parent 3 0 R",
    b"/Kids [2 0 R 2 0 R]",
    b"/Size 99999999",
    b"/W [0 0 0]",
    b"/Length 999999999",
    b"/Filter /FlateDecode",
    b"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
    b"<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<",
    b"/XObject << /X1 1 0 R >>",
    b"1 0 R",
    b"-1",
    b"endobj",
    b"stream\n",
    b"/Type /XRef",
    b"/FontFile2 5 0 R",
    b"/ToUnicode 4 0 R",
];

/// A small deterministic generator (xorshift*), so a seed replays a run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// One to four mutations of `seed_bytes`. Most keep every byte where it was (the PDF's
/// cross-reference offsets stay right, so the mutant gets past the parser); the others shift
/// bytes about.
fn mutate(seed_bytes: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut bytes = seed_bytes.to_vec();
    for _ in 0..1 + rng.below(4) {
        let len = bytes.len().max(1);
        let at = rng.below(len);
        if rng.below(3) > 0 {
            // In place: a hostile token over what was there, or a few flipped bits.
            if rng.below(2) == 0 {
                let token = TOKENS[rng.below(TOKENS.len())];
                for (i, &b) in token.iter().enumerate() {
                    if let Some(slot) = bytes.get_mut(at + i) {
                        *slot = b;
                    }
                }
            } else if at < bytes.len() {
                bytes[at] ^= 1 << rng.below(8);
            }
            continue;
        }
        match rng.below(7) {
            0 => {
                for _ in 0..1 + rng.below(16) {
                    let i = rng.below(len);
                    if i < bytes.len() {
                        bytes[i] ^= 1 << rng.below(8);
                    }
                }
            }
            1 => {
                let run = 1 + rng.below(64);
                let value = rng.next() as u8;
                bytes.splice(at..at, std::iter::repeat_n(value, run));
            }
            2 => {
                let end = (at + 1 + rng.below(4096)).min(bytes.len());
                bytes.drain(at.min(end)..end);
            }
            3 => bytes.truncate(at),
            4 => {
                let end = (at + 1 + rng.below(2048)).min(bytes.len());
                let chunk = bytes[at.min(end)..end].to_vec();
                let to = rng.below(bytes.len().max(1));
                bytes.splice(to..to, chunk);
            }
            _ => {
                let token = TOKENS[rng.below(TOKENS.len())];
                bytes.splice(
                    at.min(bytes.len())..at.min(bytes.len()),
                    token.iter().copied(),
                );
            }
        }
    }
    bytes
}

/// The seeds: the fixture PDFs and the sample text's first 300 lines.
fn seeds() -> Vec<(String, Vec<u8>)> {
    let mut seeds = Vec::new();
    let mut pdfs: Vec<PathBuf> = std::fs::read_dir(repo().join("fixtures/pdf"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    pdfs.sort();
    for pdf in pdfs {
        let stem = pdf.file_stem().unwrap().to_string_lossy().into_owned();
        seeds.push((format!("{stem}.pdf"), std::fs::read(&pdf).unwrap()));
    }
    let text: String = std::fs::read_to_string(sample_text())
        .unwrap()
        .lines()
        .take(300)
        .map(|l| format!("{l}\n"))
        .collect();
    seeds.push(("sample.txt".to_string(), text.into_bytes()));
    seeds
}

/// Runs one batch of mutants; returns the findings (file, reason) and how many were read ok.
fn run_batch(work: &Path, batch: u64, rng: &mut Rng) -> (Vec<(PathBuf, String)>, usize) {
    let seeds = seeds();
    let input = work.join(format!("batch{batch}"));
    std::fs::create_dir_all(&input).unwrap();
    for k in 0..BATCH {
        let (name, bytes) = &seeds[rng.below(seeds.len())];
        let mutant = mutate(bytes, rng);
        std::fs::write(input.join(format!("m{k:03}_{name}")), mutant).unwrap();
    }
    let out = work.join(format!("out{batch}"));
    let output = jaryo()
        .arg("run")
        .arg(&input)
        .arg("-o")
        .arg(&out)
        .args(["--jobs", "2", "--quiet", "--timeout", TIMEOUT])
        .args(["--max-memory", MAX_MEMORY])
        .output()
        .unwrap();
    let code = output.status.code();
    assert!(
        matches!(code, Some(0) | Some(2)),
        "batch {batch}: exit {code:?}: {}",
        stderr(&output)
    );
    let manifest = manifest(&out);
    let entries = manifest["entries"].as_array().unwrap();
    assert_eq!(entries.len(), BATCH, "batch {batch}: {manifest:#}");
    let mut findings = Vec::new();
    let ok = entries.iter().filter(|e| e["status"] == "ok").count();
    for entry in entries {
        let error = entry["error"].as_str().unwrap_or("");
        if FINDINGS.iter().any(|f| error.contains(f)) {
            findings.push((
                PathBuf::from(entry["path"].as_str().unwrap()),
                error.to_string(),
            ));
        }
    }
    let _ = std::fs::remove_dir_all(&out);
    if findings.is_empty() {
        let _ = std::fs::remove_dir_all(&input);
    }
    (findings, ok)
}

#[test]
fn mutants_never_kill_a_worker() {
    let seconds: u64 = std::env::var("JARYO_FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let seed: u64 = std::env::var("JARYO_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x6a61_7279_6f21);
    let mut rng = Rng(seed | 1);
    let work = tempfile::tempdir().unwrap();
    let keep = repo().join("target/fuzz-findings");
    let start = Instant::now();
    let (mut ran, mut read, mut batch, mut findings) = (0, 0, 0u64, Vec::new());
    loop {
        let (found, ok) = run_batch(work.path(), batch, &mut rng);
        ran += BATCH;
        read += ok;
        batch += 1;
        for (file, reason) in found {
            std::fs::create_dir_all(&keep).unwrap();
            let kept = keep.join(file.file_name().unwrap());
            std::fs::copy(&file, &kept).unwrap();
            eprintln!("finding: {} — {reason}", kept.display());
            findings.push(reason);
        }
        if start.elapsed() >= Duration::from_secs(seconds) {
            break;
        }
    }
    eprintln!(
        "fuzz: {ran} mutants ({read} read ok) in {batch} batches, {:.0} s, {} findings \
         (seed {seed})",
        start.elapsed().as_secs_f64(),
        findings.len()
    );
    assert!(findings.is_empty(), "{findings:#?}");
}
