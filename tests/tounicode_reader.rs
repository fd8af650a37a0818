//! jaryo's ToUnicode CMap reader against pdf-extract's (`adobe_cmap_parser::get_unicode_map`)
//! on every ToUnicode stream of the committed fixture PDFs and of the real PDFs beside the
//! repository (skipped when absent): the same map, or both fail. Each stream is also read cut
//! short at a few points (unterminated strings, odd hex digits, sections that run past the
//! end), and the streams `fonts::prepare` generates are read as well. Finally, pieces of the
//! fixture streams with random bytes inserted, replaced or removed must read the same.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use jaryo::extract::fonts::unicode_cmap::{read_unicode_map, CMapError, UnicodeMap};
use jaryo::extract::pdf::isolate::run_isolated;
use lopdf::{Document, Object, ObjectId};

/// Streams the committed fixtures alone must yield: a floor so the test cannot pass on nothing.
const MIN_FIXTURE_STREAMS: usize = 40;
/// Password of `tests/data/broken/encrypted.pdf` (see its make_encrypted.sh).
const FIXTURE_PASSWORD: &str = "jaryo-test";

/// The committed PDFs that carry fonts.
fn fixture_pdfs() -> Vec<PathBuf> {
    let root = common::repo_root();
    let mut files = Vec::new();
    for dir in [
        "fixtures/pdf",
        "fixtures/fonts",
        "tests/pdf_layout",
        "tests/data/broken",
    ] {
        files.extend(pdfs_in(&root.join(dir)));
    }
    files
}

fn pdfs_in(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|e| e == "pdf"))
        .collect();
    files.sort();
    files
}

fn open(path: &Path) -> Option<Document> {
    let bytes = std::fs::read(path).ok()?;
    jaryo::extract::pdf::load::open(&bytes, None)
        .or_else(|_| jaryo::extract::pdf::load::open(&bytes, Some(FIXTURE_PASSWORD)))
        .ok()
}

/// The decompressed content of every stream a `/ToUnicode` entry refers to, by object id.
fn to_unicode_streams(doc: &Document) -> BTreeMap<ObjectId, Vec<u8>> {
    let mut streams = BTreeMap::new();
    for object in doc.objects.values() {
        let Ok(dict) = object.as_dict() else {
            continue;
        };
        if let Ok(Object::Reference(id)) = dict.get(b"ToUnicode") {
            if let Ok(Object::Stream(stream)) = doc.get_object(*id) {
                let content = stream
                    .decompressed_content()
                    .unwrap_or_else(|_| stream.content.clone());
                streams.insert(*id, content);
            }
        }
    }
    streams
}

/// pdf-extract's reading: `Err(None)` when its parser panics.
fn original(input: &[u8]) -> Result<UnicodeMap, Option<&'static str>> {
    match run_isolated(|| adobe_cmap_parser::get_unicode_map(input)) {
        Ok(Ok(map)) => Ok(map),
        Ok(Err(message)) => Err(Some(message)),
        Err(_) => Err(None),
    }
}

/// Whether both readers agree on `input`; the disagreement otherwise.
fn compare(input: &[u8]) -> Result<(), String> {
    let ours = read_unicode_map(input);
    match (&ours, original(input)) {
        (Ok(map), Ok(theirs)) if *map == theirs => Ok(()),
        (Err(CMapError::Rejected(message)), Err(Some(theirs))) if *message == theirs => Ok(()),
        (Err(CMapError::Unreadable(_)), Err(None)) => Ok(()),
        // A debug build of the original panics where a bfrange's u16/u32 arithmetic overflows;
        // the release build (what ships, and what this reader follows) wraps.
        (Ok(_), Err(None)) if cfg!(debug_assertions) => Ok(()),
        (ours, theirs) => Err(format!(
            "ours {:?}, pdf-extract's {:?}",
            ours.as_ref().map(|m| m.len()),
            theirs.as_ref().map(|m| m.len())
        )),
    }
}

/// Compares every ToUnicode stream of `path` (whole and cut short), before and after
/// `prepare`; returns how many whole streams were compared.
fn compare_file(path: &Path, failures: &mut Vec<String>) -> usize {
    let Some(mut doc) = open(path) else {
        return 0;
    };
    let mut compared = 0;
    let before = to_unicode_streams(&doc);
    let _ = run_isolated(|| jaryo::extract::fonts::prepare(&mut doc));
    let after = to_unicode_streams(&doc);
    for (id, content) in before.iter().chain(after.iter()) {
        compared += 1;
        let cuts = [
            content.len(),
            content.len() / 3,
            content.len() / 2,
            content.len() * 2 / 3,
        ];
        for cut in cuts {
            if let Err(problem) = compare(&content[..cut]) {
                failures.push(format!(
                    "{} stream {id:?} cut at {cut}/{}: {problem}",
                    path.display(),
                    content.len()
                ));
            }
        }
    }
    compared
}

#[test]
fn every_fixture_to_unicode_stream_reads_as_pdf_extract_reads_it() {
    let mut failures = Vec::new();
    let compared: usize = fixture_pdfs()
        .iter()
        .map(|path| compare_file(path, &mut failures))
        .sum();
    println!("compared {compared} ToUnicode streams of the committed fixtures");
    assert!(failures.is_empty(), "{failures:#?}");
    assert!(
        compared >= MIN_FIXTURE_STREAMS,
        "only {compared} streams compared"
    );
}

/// A xorshift generator: the same mutations on every run.
struct Mutator(u64);

impl Mutator {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }
}

/// Bytes that matter to the lexer, most often inserted.
const LEXER_BYTES: &[u8] = b"()<>[]{}/%#\\\0\x0c \t\r\n0123456789aAfF+-.trueXbeginbfcharange*'\"";

#[test]
fn mutated_pieces_of_fixture_streams_read_as_pdf_extract_reads_them() {
    let mut streams = Vec::new();
    for path in fixture_pdfs() {
        if let Some(doc) = open(&path) {
            streams.extend(to_unicode_streams(&doc).into_values());
        }
    }
    assert!(!streams.is_empty());
    let mut mutator = Mutator(0x9E37_79B9_7F4A_7C15);
    let mut failures = Vec::new();
    for _ in 0..2000 {
        let stream = &streams[mutator.below(streams.len())];
        // A piece from a line start, so that it holds whole sections more often than not.
        let from = mutator.below(stream.len());
        let start = stream[from..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(0, |at| from + at + 1);
        let end = (start + 1 + mutator.below(1200)).min(stream.len());
        let mut piece = stream[start..end].to_vec();
        for _ in 0..1 + mutator.below(4) {
            let at = mutator.below(piece.len() + 1).min(piece.len());
            let byte = LEXER_BYTES[mutator.below(LEXER_BYTES.len())];
            match mutator.below(3) {
                0 => piece.insert(at, byte),
                1 if at < piece.len() => piece[at] = byte,
                _ if at < piece.len() => {
                    piece.remove(at);
                }
                _ => {}
            }
        }
        // The original would spend minutes expanding such a range: not compared.
        if let Err(CMapError::RangeTooLarge(_)) = read_unicode_map(&piece) {
            continue;
        }
        if let Err(problem) = compare(&piece) {
            failures.push(format!("{:?}: {problem}", String::from_utf8_lossy(&piece)));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn every_real_pdf_to_unicode_stream_reads_as_pdf_extract_reads_it() {
    let Some(dir) = common::real_pdfs_dir() else {
        eprintln!("skipped: ../shared/real-pdfs missing (or set JARYO_REAL_PDFS)");
        return;
    };
    let files = pdfs_in(&dir);
    let mut failures = Vec::new();
    let compared: usize = files
        .iter()
        .map(|path| compare_file(path, &mut failures))
        .sum();
    println!(
        "compared {compared} ToUnicode streams of {} real PDFs",
        files.len()
    );
    assert!(failures.is_empty(), "{failures:#?}");
    assert!(
        files.is_empty() || compared > 0,
        "real PDFs without a single ToUnicode stream"
    );
}
