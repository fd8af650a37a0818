//! Support for the batch tests: running the built `jaryo` binary, making broken inputs at run
//! time (a minimal PDF writer, so truncated and zero-page files need no committed binaries),
//! and reading the manifest.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The sample booklet as text.
pub fn sample_text() -> PathBuf {
    repo().join("input/seoul_social_economy_forum_2020.txt")
}

#[path = "../common/mod.rs"]
mod common;

/// The built Korean dictionary the binary is pointed at (the project's test dictionary,
/// installed on first use).
pub fn dict_dir() -> PathBuf {
    common::dict_dir()
}

/// `jaryo` with the test dictionary, ready for arguments.
pub fn jaryo() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_jaryo"));
    command.arg("--dict").arg(dict_dir());
    command.env_remove("JARYO_PDF_PASSWORD");
    command
}

/// Runs `jaryo run INPUTS -o OUT EXTRA…`.
pub fn run(inputs: &[&Path], out: &Path, extra: &[&str]) -> Output {
    let mut command = jaryo();
    command
        .arg("run")
        .args(inputs)
        .arg("-o")
        .arg(out)
        .args(extra);
    let output = command.output().expect("the jaryo binary runs");
    eprintln!(
        "jaryo run → {:?}\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

pub fn manifest(out: &Path) -> serde_json::Value {
    let bytes = std::fs::read(out.join("manifest.json")).expect("manifest.json exists");
    serde_json::from_slice(&bytes).expect("manifest.json parses")
}

/// The manifest entry whose path ends with `suffix`.
pub fn entry(out: &Path, suffix: &str) -> serde_json::Value {
    let manifest = manifest(out);
    manifest["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .find(|e| e["path"].as_str().is_some_and(|p| p.ends_with(suffix)))
        .cloned()
        .unwrap_or_else(|| panic!("no manifest entry for {suffix}: {manifest:#}"))
}

/// A small, valid PDF with one page per text (Helvetica, so ASCII text), or no page at all.
pub fn minimal_pdf(pages: &[&str]) -> Vec<u8> {
    let page_count = pages.len();
    // Objects: 1 catalog, 2 pages, 3 font, then a page and its content stream per page.
    let mut objects: Vec<String> = Vec::new();
    objects.push("<< /Type /Catalog /Pages 2 0 R >>".to_string());
    let kids: Vec<String> = (0..page_count)
        .map(|i| format!("{} 0 R", 4 + 2 * i))
        .collect();
    objects.push(format!(
        "<< /Type /Pages /Kids [{}] /Count {page_count} >>",
        kids.join(" ")
    ));
    objects.push("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string());
    for (i, text) in pages.iter().enumerate() {
        let content = format!("BT /F1 14 Tf 72 760 Td ({text}) Tj ET");
        objects.push(format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] \
             /Resources << /Font << /F1 3 0 R >> >> /Contents {} 0 R >>",
            5 + 2 * i
        ));
        objects.push(format!(
            "<< /Length {} >>\nstream\n{content}\nendstream",
            content.len()
        ));
    }
    common::pdf_of(&objects)
}

/// Deterministic pseudo-random bytes (a linear congruential generator).
pub fn noise(length: usize, seed: u64) -> Vec<u8> {
    let mut state = seed;
    (0..length)
        .map(|_| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) as u8
        })
        .collect()
}

/// The five broken inputs of the batch, written into `dir`: a `.pdf` that is not a PDF,
/// an empty file, a truncated PDF, random bytes after a PDF header, a PDF with zero pages.
pub fn write_five_broken(dir: &Path) -> Vec<PathBuf> {
    std::fs::create_dir_all(dir).unwrap();
    let whole = minimal_pdf(&[
        "Seoul social economy forum 2020",
        "Discussion 1",
        "Appendix 1",
    ]);
    let files: [(&str, Vec<u8>); 5] = [
        (
            "not_a_pdf.pdf",
            "2020년 서울시 사회적경제 생태계 구축 성과 포럼 자료집\n"
                .as_bytes()
                .to_vec(),
        ),
        ("empty.pdf", Vec::new()),
        ("truncated.pdf", whole[..whole.len() / 3].to_vec()),
        (
            "random_after_header.pdf",
            [b"%PDF-1.7\n".as_slice(), &noise(4096, 7)].concat(),
        ),
        ("zero_pages.pdf", minimal_pdf(&[])),
    ];
    files
        .into_iter()
        .map(|(name, bytes)| {
            let path = dir.join(name);
            std::fs::write(&path, bytes).unwrap();
            path
        })
        .collect()
}

/// Every file under `dir`, recursively, relative to it.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    fn visit(dir: &Path, base: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                visit(&path, base, out);
            } else {
                out.push(path.strip_prefix(base).unwrap().to_path_buf());
            }
        }
    }
    let mut out = Vec::new();
    visit(dir, dir, &mut out);
    out.sort();
    out
}

/// Checks that every output file under `dir` is whole: JSON parses, every JSONL (and `_bulk`
/// NDJSON) line parses, CSV, Markdown and HTML are UTF-8 ending in a line break. Hidden files
/// (the lock, temporary files) are returned for the caller to judge.
pub fn check_outputs_whole(dir: &Path) -> Vec<PathBuf> {
    let mut hidden = Vec::new();
    for file in files_under(dir) {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        let path = dir.join(&file);
        if name.starts_with('.') {
            hidden.push(file);
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        if name.ends_with(".jsonl") || name.ends_with(".ndjson") {
            let text = String::from_utf8(bytes).unwrap();
            assert!(
                text.is_empty() || text.ends_with('\n'),
                "{name} ends mid-line"
            );
            for line in text.lines() {
                serde_json::from_str::<serde_json::Value>(line)
                    .unwrap_or_else(|e| panic!("{name}: bad line: {e}"));
            }
        } else if name.ends_with(".json") {
            serde_json::from_slice::<serde_json::Value>(&bytes)
                .unwrap_or_else(|e| panic!("{name}: {e}"));
        } else if name.ends_with(".csv") {
            let text = String::from_utf8(bytes).unwrap();
            assert!(text.ends_with("\r\n"), "{name} ends mid-row");
        } else if name.ends_with(".md") || name.ends_with(".html") {
            let text = String::from_utf8(bytes).unwrap();
            assert!(text.ends_with('\n'), "{name} ends mid-line");
        } else {
            panic!("unexpected output file {}", file.display());
        }
    }
    hidden
}

/// The validator for `<name>.json`, from the schema `jaryo schema` prints.
pub fn schema_validator() -> jsonschema::Validator {
    let output = Command::new(env!("CARGO_BIN_EXE_jaryo"))
        .arg("schema")
        .output()
        .expect("jaryo schema runs");
    assert!(output.status.success());
    let schema: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("the schema is JSON");
    jsonschema::validator_for(&schema).expect("the schema is a valid JSON Schema")
}

/// Asserts `json` satisfies the schema, listing every violation otherwise.
pub fn assert_valid(validator: &jsonschema::Validator, json: &serde_json::Value, what: &str) {
    let errors: Vec<String> = validator
        .iter_errors(json)
        .take(10)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{what} violates the schema:\n{}",
        errors.join("\n")
    );
}

/// The fixture PDFs committed under `fixtures/pdf/`, sorted.
pub fn fixture_pdfs() -> Vec<PathBuf> {
    let dir = repo().join("fixtures/pdf");
    let mut pdfs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| {
            panic!(
                "{}: {e} (fixtures/make_fixtures.sh makes them)",
                dir.display()
            )
        })
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    pdfs.sort();
    pdfs
}
