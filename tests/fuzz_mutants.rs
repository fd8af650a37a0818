//! A stable mutation fuzzer over `jaryo run`: mutants of the fixture PDFs, of HWP/HWPX files
//! (`../shared/hwp-pairs`, skipped when absent) and of a slice of the sample text (bit flips,
//! byte runs, cuts, duplicated chunks, and tokens that made trouble: huge counts, self
//! references, deep nesting) go through the binary in batches at `--jobs 2`. HWP and HWPX
//! mutants are structure-aware: the mutation lands inside a decompressed HWP stream or a zip
//! entry of HWPX, which is then packed again, so the mutant reaches the record and XML readers
//! instead of failing at the container; most text mutants stay valid UTF-8 (lines deleted,
//! repeated, cut, very long, or OCR debris spliced in) so they reach the structure rules. Every batch must end with exit 0 or 2 and every mutant in the manifest; a
//! worker's death (abort, crash, stack overflow, memory limit) or a timeout is a finding: the
//! mutant is kept under `target/fuzz-findings/` and the test fails.
//!
//! Short by default (one batch per seed, a few seconds); a long run:
//!
//!     JARYO_FUZZ_SECONDS=1800 cargo test --release --test fuzz_mutants -- --nocapture
//!
//! `JARYO_FUZZ_BIN=/path/to/jaryo` runs another binary (a copy, so rebuilding `target/` during
//! a long run does not swap the binary under it).

mod batch_common;

use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
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

/// XML fragments spliced into HWPX entries: deep nesting, entities, DTDs, broken tags.
const XML_TOKENS: &[&[u8]] = &[
    b"<hp:p><hp:run><hp:t>",
    b"</hp:t></hp:run></hp:p>",
    b"<hp:tbl rowCnt=\"99999\" colCnt=\"99999\">",
    b"<hp:tc><hp:cellAddr colAddr=\"65535\" rowAddr=\"-1\"/><hp:cellSpan colSpan=\"0\" rowSpan=\"99999\"/>",
    b"<!DOCTYPE x [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;\">]>",
    b"&#xFFFF;&#0;&#xD800;",
    b"<a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a>",
    b"<![CDATA[",
    b"\xff\xfe\x00",
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
fn mutate(seed_bytes: &[u8], rng: &mut Rng, tokens: &[&[u8]]) -> Vec<u8> {
    let mut bytes = seed_bytes.to_vec();
    for _ in 0..1 + rng.below(4) {
        let len = bytes.len().max(1);
        let at = rng.below(len);
        if rng.below(3) > 0 {
            // In place: a hostile token over what was there, or a few flipped bits.
            if rng.below(2) == 0 {
                let token = tokens[rng.below(tokens.len())];
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
                let token = tokens[rng.below(tokens.len())];
                bytes.splice(
                    at.min(bytes.len())..at.min(bytes.len()),
                    token.iter().copied(),
                );
            }
        }
    }
    bytes
}

/// Lines spliced into text mutants: what OCR and layout tools leave behind and what made the
/// structure rules work hard (leader lines, tab tables, markers, control and private-use
/// characters, a very long line, deep numbering).
const TEXT_TOKENS: &[&str] = &[
    "목 차 ··························································· 3",
    "구분\t2018\t2019\t2020\n사회적기업\t120\t135\t150",
    "\u{FFFD}\u{FFFD}\u{FFFD} (cid:123) GLYPH<1F> /gid00042",
    "\u{0}\u{1}\u{7}\u{1B}[31m\u{FEFF}\u{200B}\u{F0041}",
    "1. 2. 3. 가. 나. ① ② ③ ※ - • ▶ □ ○",
    "Ⅰ. 서론\nⅡ. 본론\n1.1.1.1.1.1.1.1.1.1.1.1.1. 깊은 번호",
    "[발제1] 토론자: 홍길동 (서울시 사회적경제지원센터)",
    "- 12 -",
    "\u{C0}\u{AC00}\u{1100}\u{1161}\u{11A8}\u{3131}\u{D7A3}",
];

/// A text mutant that stays valid UTF-8, so it reaches the pipeline rather than the decoder:
/// lines deleted, duplicated, repeated many times, cut mid-line, or a token line spliced in.
fn mutate_text(seed_bytes: &[u8], rng: &mut Rng) -> Option<Vec<u8>> {
    let text = std::str::from_utf8(seed_bytes).ok()?;
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(lines.len().max(1));
        match rng.below(6) {
            0 => {
                let end = (at + 1 + rng.below(40)).min(lines.len());
                lines.drain(at.min(end)..end);
            }
            1 => {
                let line = lines.get(at).cloned().unwrap_or_default();
                let times = 1 + rng.below(2000);
                lines.splice(at..at, std::iter::repeat_n(line, times));
            }
            2 => {
                if let Some(line) = lines.get_mut(at) {
                    let cut = line
                        .char_indices()
                        .map(|(i, _)| i)
                        .nth(rng.below(line.chars().count().max(1)))
                        .unwrap_or(0);
                    line.truncate(cut);
                }
            }
            3 => {
                let long = "사회적경제 ".repeat(1 + rng.below(20_000));
                lines.insert(at.min(lines.len()), long);
            }
            _ => {
                let token = TEXT_TOKENS[rng.below(TEXT_TOKENS.len())];
                lines.insert(at.min(lines.len()), token.to_string());
            }
        }
    }
    Some((lines.join("\n") + "\n").into_bytes())
}

/// HWP/HWPX seeds taken from `../shared/hwp-pairs`: the small ones, so batches stay quick.
const HWP_SEEDS: &[&str] = &[
    "footnote01.hwp",
    "footnote01.hwpx",
    "oss_rst.hwp",
    "oss_rst.hwpx",
    "table_test.hwp",
    "biz_plan.hwp",
    "reg80250.hwpx",
];

/// The files with `extension` in `dir`, sorted.
fn files_in(dir: &Path, extension: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == extension));
    files.sort();
    files
}

/// The seeds: the fixture PDFs, the layout test PDFs, small HWP/HWPX files when
/// `../shared/hwp-pairs` is there, and the sample text's first 300 lines.
fn seeds() -> Vec<(String, Vec<u8>)> {
    let mut seeds = Vec::new();
    let pdfs = files_in(&repo().join("fixtures/pdf"), "pdf")
        .into_iter()
        .chain(files_in(&repo().join("tests/pdf_layout"), "pdf"));
    for pdf in pdfs {
        let stem = pdf.file_stem().unwrap().to_string_lossy().into_owned();
        seeds.push((format!("{stem}.pdf"), std::fs::read(&pdf).unwrap()));
    }
    if let Some(pairs) = hwp_pairs() {
        for name in HWP_SEEDS {
            if let Ok(bytes) = std::fs::read(pairs.join(name)) {
                seeds.push((name.to_string(), bytes));
            }
        }
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

/// `../shared/hwp-pairs` (or `$JARYO_HWP_PAIRS`), saying so when it is missing.
fn hwp_pairs() -> Option<PathBuf> {
    let found = std::env::var_os("JARYO_HWP_PAIRS")
        .map(PathBuf::from)
        .into_iter()
        .chain([
            repo().join("../shared/hwp-pairs"),
            repo().join("../../shared/hwp-pairs"),
        ])
        .find(|dir| dir.is_dir());
    if found.is_none() {
        eprintln!("skipped: HWP/HWPX seeds (no ../shared/hwp-pairs folder)");
    }
    found
}

/// A mutant of an HWP 5 file: one of its streams (DocInfo, a BodyText section, …) is
/// inflated when the file is compressed, mutated and packed again. `None` when the seed does
/// not open as a compound file.
fn mutate_hwp(seed_bytes: &[u8], rng: &mut Rng) -> Option<Vec<u8>> {
    let mut file = cfb::CompoundFile::open(Cursor::new(seed_bytes.to_vec())).ok()?;
    let mut header = Vec::new();
    file.open_stream("/FileHeader")
        .ok()?
        .read_to_end(&mut header)
        .ok()?;
    let compressed = header.get(36).is_some_and(|flags| flags & 1 == 1);
    let mut streams: Vec<PathBuf> = file
        .walk()
        .filter(|e| e.is_stream() && e.path() != Path::new("/FileHeader"))
        .map(|e| e.path().to_path_buf())
        .collect();
    streams.sort();
    // Most mutants go to the body text, where the records are.
    let body: Vec<&PathBuf> = streams
        .iter()
        .filter(|p| p.starts_with("/BodyText") || p.starts_with("/DocInfo"))
        .collect();
    let path = match (rng.below(4), body.is_empty()) {
        (0, _) | (_, true) => streams.get(rng.below(streams.len()))?.clone(),
        _ => body[rng.below(body.len())].clone(),
    };
    let mut raw = Vec::new();
    file.open_stream(&path).ok()?.read_to_end(&mut raw).ok()?;
    let plain = if compressed {
        let mut out = Vec::new();
        flate2::read::DeflateDecoder::new(raw.as_slice())
            .take(64 << 20)
            .read_to_end(&mut out)
            .ok()?;
        out
    } else {
        raw
    };
    let mutant = mutate(&plain, rng, TOKENS);
    let packed = if compressed && rng.below(8) > 0 {
        let mut encoder =
            flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::fast());
        encoder.write_all(&mutant).ok()?;
        encoder.finish().ok()?
    } else {
        // Now and then the stream is left unpacked in a file that says it is packed.
        mutant
    };
    file.create_stream(&path).ok()?.write_all(&packed).ok()?;
    file.flush().ok()?;
    Some(file.into_inner().into_inner())
}

/// A mutant of an HWPX file: one zip entry (mostly a section or the header XML) is mutated
/// and the archive written again.
fn mutate_hwpx(seed_bytes: &[u8], rng: &mut Rng) -> Option<Vec<u8>> {
    let mut archive = zip::ZipArchive::new(Cursor::new(seed_bytes)).ok()?;
    let mut entries = Vec::new();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).ok()?;
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).ok()?;
        entries.push((entry.name().ok()?.to_string(), bytes));
    }
    let xml: Vec<usize> = (0..entries.len())
        .filter(|&i| entries[i].0.ends_with(".xml"))
        .collect();
    let target = match (rng.below(5), xml.is_empty()) {
        (0, _) | (_, true) => rng.below(entries.len()),
        _ => xml[rng.below(xml.len())],
    };
    let tokens = if rng.below(2) == 0 {
        XML_TOKENS
    } else {
        TOKENS
    };
    entries[target].1 = mutate(&entries[target].1, rng, tokens);
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, bytes) in &entries {
        let method = if name == "mimetype" {
            zip::CompressionMethod::Stored
        } else {
            zip::CompressionMethod::Deflated
        };
        let options = zip::write::SimpleFileOptions::default().compression_method(method);
        writer.start_file(name.as_str(), options).ok()?;
        writer.write_all(bytes).ok()?;
    }
    Some(writer.finish().ok()?.into_inner())
}

/// A mutant of the seed `name`: structure-aware for HWP/HWPX and text (falling back to raw
/// bytes now and then, and when the seed does not open), raw bytes for PDF.
fn mutant_of(name: &str, bytes: &[u8], rng: &mut Rng) -> Vec<u8> {
    let aware = rng.below(6) > 0;
    let structured = if aware && name.ends_with(".hwp") {
        mutate_hwp(bytes, rng)
    } else if aware && name.ends_with(".hwpx") {
        mutate_hwpx(bytes, rng)
    } else if aware && name.ends_with(".txt") {
        mutate_text(bytes, rng)
    } else {
        None
    };
    structured.unwrap_or_else(|| mutate(bytes, rng, TOKENS))
}

/// The binary under test: `$JARYO_FUZZ_BIN` or the one cargo built, with the test dictionary.
fn jaryo_under_test() -> Command {
    match std::env::var_os("JARYO_FUZZ_BIN") {
        Some(bin) => {
            let mut command = Command::new(bin);
            command.arg("--dict").arg(dict_dir());
            command.env_remove("JARYO_PDF_PASSWORD");
            command
        }
        None => jaryo(),
    }
}

/// Mutants run and read ok, by input format (file extension).
type Tally = std::collections::BTreeMap<String, (usize, usize)>;

/// Runs `mutant` alone with the fuzzing limits; whether it times out again.
fn times_out_alone(work: &Path, mutant: &Path) -> bool {
    let out = work.join("alone");
    let _ = std::fs::remove_dir_all(&out);
    let output = jaryo_under_test()
        .arg("run")
        .arg(mutant)
        .arg("-o")
        .arg(&out)
        .args(["--quiet", "--timeout", TIMEOUT, "--max-memory", MAX_MEMORY])
        .output();
    let again = output.is_ok()
        && manifest(&out)["entries"][0]["error"]
            .as_str()
            .is_some_and(|e| e.contains("timed out"));
    let _ = std::fs::remove_dir_all(&out);
    again
}

/// Runs one batch of mutants; returns the findings (file, reason) and adds each mutant to
/// `tally`.
/// The first batch takes every seed in turn, so the short run covers each format.
fn run_batch(
    work: &Path,
    seeds: &[(String, Vec<u8>)],
    batch: u64,
    rng: &mut Rng,
    tally: &mut Tally,
) -> Vec<(PathBuf, String)> {
    let input = work.join(format!("batch{batch}"));
    std::fs::create_dir_all(&input).unwrap();
    for k in 0..BATCH {
        let pick = if batch == 0 {
            k % seeds.len()
        } else {
            rng.below(seeds.len())
        };
        let (name, bytes) = &seeds[pick];
        let mutant = mutant_of(name, bytes, rng);
        std::fs::write(input.join(format!("m{k:03}_{name}")), mutant).unwrap();
    }
    let out = work.join(format!("out{batch}"));
    let output = jaryo_under_test()
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
    for entry in entries {
        let path = entry["path"].as_str().unwrap_or("");
        let format = path.rsplit('.').next().unwrap_or("").to_string();
        let counts = tally.entry(format).or_default();
        counts.0 += 1;
        counts.1 += usize::from(entry["status"] == "ok");
    }
    for entry in entries {
        let error = entry["error"].as_str().unwrap_or("");
        let path = PathBuf::from(entry["path"].as_str().unwrap());
        // The timeout is wall-clock: on a loaded machine a starved worker can pass it. A
        // timeout counts when the mutant times out again run alone.
        if error.contains("timed out") && !times_out_alone(work, &path) {
            eprintln!(
                "timeout not repeated alone (machine load): {}",
                path.display()
            );
            continue;
        }
        if FINDINGS.iter().any(|f| error.contains(f)) {
            findings.push((path, error.to_string()));
        }
    }
    let _ = std::fs::remove_dir_all(&out);
    if findings.is_empty() {
        let _ = std::fs::remove_dir_all(&input);
    }
    findings
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
    let seeds = seeds();
    let start = Instant::now();
    let (mut tally, mut batch, mut findings) = (Tally::new(), 0u64, Vec::new());
    loop {
        let found = run_batch(work.path(), &seeds, batch, &mut rng, &mut tally);
        batch += 1;
        for (file, reason) in found {
            std::fs::create_dir_all(&keep).unwrap();
            let name = file.file_name().unwrap().to_string_lossy();
            let kept = keep.join(format!("s{seed}_b{batch}_{name}"));
            std::fs::copy(&file, &kept).unwrap();
            eprintln!("finding: {} — {reason}", kept.display());
            findings.push(reason);
        }
        if start.elapsed() >= Duration::from_secs(seconds) {
            break;
        }
    }
    eprintln!(
        "fuzz: {} mutants ({} read ok; by format, run/ok: {tally:?}) in {batch} batches, \
         {:.0} s, {} findings \
         (seed {seed})",
        tally.values().map(|c| c.0).sum::<usize>(),
        tally.values().map(|c| c.1).sum::<usize>(),
        start.elapsed().as_secs_f64(),
        findings.len()
    );
    assert!(findings.is_empty(), "{findings:#?}");
}
