//! The corpus check: every PDF of a folder through jaryo's extraction (extract + normalize),
//! with what a person needs to trust it — pages, pages with text, pages flagged by kind, panics
//! caught, Hangul extracted beside pdftotext's count on the same file, doubled runs (shadow text
//! drawn twice), and time beside pdftotext's. (Issue 7.)

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use serde::Serialize;
use thiserror::Error;

use crate::extract::pdf::isolate::run_isolated;
use crate::extract::{self, ExtractOptions};
use crate::model::ExtractedDocument;

#[derive(Debug, Error)]
pub enum CorpusError {
    #[error("cannot read folder {path}: {source}")]
    ReadDir {
        path: String,
        source: std::io::Error,
    },
}

/// What to compare jaryo against.
#[derive(Debug, Clone)]
pub struct CorpusOptions {
    /// Run pdftotext on each file (skipped silently when it is not installed).
    pub pdftotext: bool,
    /// The pdftotext program.
    pub pdftotext_program: PathBuf,
    /// Also count doubled runs in pdf-extract's own plain text (after font preparation, without
    /// jaryo's layout): the "before" of the duplicate-glyph removal.
    pub baseline: bool,
}

impl Default for CorpusOptions {
    fn default() -> Self {
        CorpusOptions {
            pdftotext: true,
            pdftotext_program: PathBuf::from("pdftotext"),
            baseline: false,
        }
    }
}

/// One file's figures.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FileReport {
    pub path: String,
    pub pages: usize,
    pub pages_with_text: usize,
    /// The 1-based pages carrying each flag kind.
    pub flagged_pages: BTreeMap<String, Vec<u32>>,
    /// Pages whose extraction panicked and was caught (`extraction_failed`).
    pub panics_caught: usize,
    /// The document failed as a whole (an error, or a panic that escaped the page isolation).
    pub failure: Option<String>,
    /// Hangul syllables (U+AC00–U+D7A3) in jaryo's lines.
    pub hangul: usize,
    pub pdftotext_hangul: Option<usize>,
    /// Runs of two or more Hangul syllables repeated back to back (`별첨별첨`).
    pub doubled_runs: usize,
    pub pdftotext_doubled_runs: Option<usize>,
    /// Doubled runs in pdf-extract's plain text (with `baseline`).
    pub raw_doubled_runs: Option<usize>,
    pub seconds: f64,
    pub pdftotext_seconds: Option<f64>,
}

impl FileReport {
    /// jaryo's Hangul count relative to pdftotext's, in percent (`None` without pdftotext or
    /// when pdftotext found none).
    pub fn hangul_difference_percent(&self) -> Option<f64> {
        let theirs = self.pdftotext_hangul? as f64;
        (theirs > 0.0).then(|| (self.hangul as f64 - theirs) / theirs * 100.0)
    }
}

/// Every file's figures and the totals.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CorpusReport {
    pub files: Vec<FileReport>,
}

impl CorpusReport {
    pub fn total_pages(&self) -> usize {
        self.files.iter().map(|f| f.pages).sum()
    }
    pub fn total_seconds(&self) -> f64 {
        self.files.iter().map(|f| f.seconds).sum()
    }
    /// pdftotext's total time, when it ran on every file.
    pub fn total_pdftotext_seconds(&self) -> Option<f64> {
        self.files.iter().map(|f| f.pdftotext_seconds).sum()
    }
    /// jaryo's time over pdftotext's on the same files.
    pub fn time_ratio(&self) -> Option<f64> {
        let theirs = self.total_pdftotext_seconds()?;
        (theirs > 0.0).then(|| self.total_seconds() / theirs)
    }
    pub fn failures(&self) -> usize {
        self.files.iter().filter(|f| f.failure.is_some()).count()
    }
}

/// The PDFs directly inside `dir`, sorted by name.
pub fn pdf_files(dir: &Path) -> Result<Vec<PathBuf>, CorpusError> {
    let entries = std::fs::read_dir(dir).map_err(|source| CorpusError::ReadDir {
        path: dir.display().to_string(),
        source,
    })?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e.eq_ignore_ascii_case("pdf")))
        .collect();
    files.sort();
    Ok(files)
}

/// Checks every PDF in `dir`.
pub fn check_dir(dir: &Path, options: &CorpusOptions) -> Result<CorpusReport, CorpusError> {
    let files = pdf_files(dir)?;
    Ok(CorpusReport {
        files: files.iter().map(|p| check_file(p, options)).collect(),
    })
}

/// Checks one PDF.
pub fn check_file(path: &Path, options: &CorpusOptions) -> FileReport {
    let mut report = FileReport {
        path: path.display().to_string(),
        ..FileReport::default()
    };
    let started = Instant::now();
    // The engine isolates pages itself; a panic caught here is one that escaped it.
    let outcome = std::panic::catch_unwind(|| extract_and_normalize(path));
    report.seconds = started.elapsed().as_secs_f64();
    match outcome {
        Ok(Ok(doc)) => fill_from_document(&mut report, &doc),
        Ok(Err(reason)) => report.failure = Some(reason),
        Err(payload) => report.failure = Some(format!("panic escaped: {}", panic_text(&payload))),
    }
    if options.baseline {
        report.raw_doubled_runs = pdf_extract_plain_text(path).map(|t| count_doubled_runs(&t));
    }
    if options.pdftotext {
        let started = Instant::now();
        if let Some(text) = pdftotext(&options.pdftotext_program, path) {
            report.pdftotext_seconds = Some(started.elapsed().as_secs_f64());
            report.pdftotext_hangul = Some(count_hangul(&text));
            report.pdftotext_doubled_runs = Some(count_doubled_runs(&text));
        }
    }
    report
}

fn extract_and_normalize(path: &Path) -> Result<ExtractedDocument, String> {
    let source = crate::source::read(path).map_err(|e| e.to_string())?;
    let (mut doc, _) =
        extract::extract(&source, &ExtractOptions::default()).map_err(|e| e.to_string())?;
    crate::normalize::normalize(&mut doc.pages);
    Ok(doc)
}

fn fill_from_document(report: &mut FileReport, doc: &ExtractedDocument) {
    report.pages = doc.pages.len();
    for page in &doc.pages {
        if page
            .lines
            .iter()
            .any(|l| l.text.chars().any(|c| !c.is_whitespace()))
        {
            report.pages_with_text += 1;
        }
        let mut kinds: Vec<&str> = page.facts.flags.iter().map(|f| f.kind.as_str()).collect();
        kinds.sort_unstable();
        kinds.dedup();
        for kind in kinds {
            report
                .flagged_pages
                .entry(kind.to_string())
                .or_default()
                .push(page.number);
            if kind == "extraction_failed" {
                report.panics_caught += 1;
            }
        }
        report.hangul += page.texts().map(count_hangul).sum::<usize>();
    }
    report.doubled_runs = count_doubled_runs(&doc.text());
}

/// pdf-extract's plain text of every page that it reads without panicking, after
/// `fonts::prepare`; `None` when the file does not open.
pub fn pdf_extract_plain_text(path: &Path) -> Option<String> {
    let mut doc = lopdf::Document::load(path).ok()?;
    run_isolated(|| crate::extract::fonts::prepare(&mut doc)).ok()?;
    let mut all = String::new();
    for number in doc.get_pages().keys() {
        let page = run_isolated(|| {
            let mut text = String::new();
            let mut output = pdf_extract::PlainTextOutput::new(&mut text);
            pdf_extract::output_doc_page(&doc, &mut output, *number).map(|_| text)
        });
        if let Ok(Ok(text)) = page {
            all.push_str(&text);
            all.push('\n');
        }
    }
    Some(all)
}

fn panic_text(payload: &Box<dyn std::any::Any + Send>) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_string())
}

/// pdftotext's text of the file, `None` when it is missing or fails.
pub fn pdftotext(program: &Path, path: &Path) -> Option<String> {
    let output = Command::new(program)
        .args(["-q", "-enc", "UTF-8"])
        .arg(path)
        .arg("-")
        .output()
        .ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).into_owned())
}

fn is_hangul_syllable(c: char) -> bool {
    ('\u{AC00}'..='\u{D7A3}').contains(&c)
}

/// Hangul syllables in `text`.
pub fn count_hangul(text: &str) -> usize {
    text.chars().filter(|c| is_hangul_syllable(*c)).count()
}

/// Runs of two to eight Hangul syllables immediately repeated (`별첨별첨`, `추진배경추진배경`):
/// the trace of text drawn twice for a shadow or bold effect. Real reduplications of that
/// length (`하나하나`, `구석구석`) exist too, so compare against pdftotext's count on the same file,
/// which drops overlapping copies.
pub fn count_doubled_runs(text: &str) -> usize {
    let mut count = 0;
    for run in text.split(|c: char| !is_hangul_syllable(c)) {
        let syllables: Vec<char> = run.chars().collect();
        let mut i = 0;
        'scan: while i < syllables.len() {
            for len in (2..=8).rev() {
                if i + 2 * len <= syllables.len()
                    && syllables[i..i + len] == syllables[i + len..i + 2 * len]
                {
                    count += 1;
                    i += 2 * len;
                    continue 'scan;
                }
            }
            i += 1;
        }
    }
    count
}

impl fmt::Display for CorpusReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{:<36} {:>5} {:>5} {:>6} {:>8} {:>9} {:>7} {:>9} {:>7} {:>8}  flagged pages",
            "file",
            "pages",
            "text",
            "panics",
            "hangul",
            "pdftotext",
            "diff%",
            "doubled",
            "sec",
            "pdftt_s"
        )?;
        for file in &self.files {
            let name = Path::new(&file.path)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| file.path.clone());
            let opt = |v: Option<usize>| v.map(|v| v.to_string()).unwrap_or_else(|| "-".into());
            let flags = if let Some(failure) = &file.failure {
                format!("FAILED: {failure}")
            } else {
                file.flagged_pages
                    .iter()
                    .map(|(k, pages)| format!("{k}={}", page_list(pages)))
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            writeln!(
                f,
                "{:<36} {:>5} {:>5} {:>6} {:>8} {:>9} {:>7} {:>9} {:>7.2} {:>8}  {}",
                truncate(&name, 36),
                file.pages,
                file.pages_with_text,
                file.panics_caught,
                file.hangul,
                opt(file.pdftotext_hangul),
                file.hangul_difference_percent()
                    .map(|d| format!("{d:+.2}"))
                    .unwrap_or_else(|| "-".into()),
                match file.raw_doubled_runs {
                    Some(raw) => format!(
                        "{raw}>{}/{}",
                        file.doubled_runs,
                        opt(file.pdftotext_doubled_runs)
                    ),
                    None => format!("{}/{}", file.doubled_runs, opt(file.pdftotext_doubled_runs)),
                },
                file.seconds,
                file.pdftotext_seconds
                    .map(|s| format!("{s:.2}"))
                    .unwrap_or_else(|| "-".into()),
                flags
            )?;
        }
        let hangul: usize = self.files.iter().map(|f| f.hangul).sum();
        let theirs: Option<usize> = self.files.iter().map(|f| f.pdftotext_hangul).sum();
        write!(
            f,
            "total: {} files, {} pages, {} failed, {} panics caught, hangul {} (pdftotext {}), {:.2} s",
            self.files.len(),
            self.total_pages(),
            self.failures(),
            self.files.iter().map(|f| f.panics_caught).sum::<usize>(),
            hangul,
            theirs.map(|t| t.to_string()).unwrap_or_else(|| "-".into()),
            self.total_seconds(),
        )?;
        if let (Some(theirs), Some(ratio)) = (self.total_pdftotext_seconds(), self.time_ratio()) {
            write!(f, " vs pdftotext {theirs:.2} s: {ratio:.2}x")?;
        }
        writeln!(f)
    }
}

/// `1,2,5-9` for pages 1 2 5 6 7 8 9.
fn page_list(pages: &[u32]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < pages.len() {
        let start = pages[i];
        let mut end = start;
        while i + 1 < pages.len() && pages[i + 1] == end + 1 {
            i += 1;
            end = pages[i];
        }
        parts.push(if start == end {
            start.to_string()
        } else {
            format!("{start}-{end}")
        });
        i += 1;
    }
    parts.join(",")
}

fn truncate(name: &str, width: usize) -> String {
    if name.chars().count() <= width {
        name.to_string()
    } else {
        let kept: String = name.chars().take(width - 1).collect();
        format!("{kept}…")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubled_runs_are_counted_once_each() {
        // Hancom shadow text as pdf-extract returns it, and the clean line.
        assert_eq!(count_doubled_runs("별첨별첨 1 사업 추진 계획"), 1);
        assert_eq!(count_doubled_runs("추진배경추진배경 및 목적목적"), 2);
        assert_eq!(count_doubled_runs("별첨 1 사업 추진 계획"), 0);
        // Single-syllable reduplication (점점, 곳곳) is ordinary Korean.
        assert_eq!(count_doubled_runs("점점 늘어나는 곳곳의 센터"), 0);
    }

    #[test]
    fn flagged_pages_print_as_ranges() {
        assert_eq!(page_list(&[1, 2, 3, 5, 7, 8]), "1-3,5,7-8");
        assert_eq!(page_list(&[]), "");
    }

    #[test]
    fn hangul_is_counted_by_syllable() {
        assert_eq!(count_hangul("2020년 서울시 사회적경제 (ㅇ ㆍ)"), 9);
    }

    #[test]
    fn a_missing_pdftotext_is_tolerated() {
        let missing = Path::new("/nonexistent/pdftotext");
        assert_eq!(pdftotext(missing, Path::new("x.pdf")), None);
    }

    #[test]
    fn a_missing_folder_is_an_error() {
        assert!(check_dir(Path::new("/nonexistent/folder"), &CorpusOptions::default()).is_err());
    }

    #[test]
    fn broken_files_are_reported_not_fatal() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("broken.pdf"), b"%PDF-1.4\nnot really").unwrap();
        let report = check_dir(
            dir.path(),
            &CorpusOptions {
                pdftotext: false,
                ..CorpusOptions::default()
            },
        )
        .unwrap();
        assert_eq!(report.files.len(), 1);
        assert!(report.files[0].failure.is_some());
        assert!(report.to_string().contains("FAILED"));
    }
}
