//! Issue 15's "every shared real PDF with 10 or more headings gets a section tree (at least 2
//! sections)", on `../shared/real-pdfs` and on the Hancom-printed PDFs of
//! `../shared/hwp-pairs`: the PDFs most booklets resemble, with and without a TOC. Prints each
//! document's headings, sections and TOC entries (`--nocapture`). Skips, saying so, when the
//! shared folders are absent.

mod common;

use std::path::{Path, PathBuf};

use jaryo::document::{BlockType, Document, Section};
use jaryo::pipeline::{process_file, PipelineOptions};

/// A document with at least this many headings has an outline worth a tree.
const MANY_HEADINGS: usize = 10;
/// The smallest tree: two sections.
const MIN_SECTIONS: usize = 2;

fn pdfs(dir: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| entries.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    found.retain(|p| p.extension().is_some_and(|e| e == "pdf"));
    found.sort();
    found
}

fn all(sections: &[Section]) -> Vec<&Section> {
    let mut out = Vec::new();
    for s in sections {
        out.push(s);
        out.extend(all(&s.children));
    }
    out
}

/// (headings, sections, sections that own blocks) of a document.
fn anatomy(document: &Document) -> (usize, usize, usize) {
    let headings = document
        .blocks
        .iter()
        .filter(|b| b.kind == BlockType::Heading)
        .count();
    let sections = all(&document.sections);
    let owning = sections.iter().filter(|s| !s.blocks.is_empty()).count();
    (headings, sections.len(), owning)
}

#[test]
fn every_real_pdf_with_many_headings_gets_a_section_tree() {
    let mut files: Vec<PathBuf> = Vec::new();
    match common::real_pdfs_dir() {
        Some(dir) => files.extend(pdfs(&dir)),
        None => eprintln!("skipped: no ../shared/real-pdfs folder"),
    }
    if let Some(dir) = common::hwp_pairs_dir() {
        files.extend(pdfs(&dir));
    }
    if files.is_empty() {
        return;
    }
    let mut failures = Vec::new();
    let mut checked = 0;
    println!("document                              headings  sections  owning  toc");
    for path in &files {
        let name = path
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into());
        let document = match process_file(path, &PipelineOptions::default(), common::analyzer()) {
            Ok(d) => d,
            Err(e) => {
                failures.push(format!("{name}: {e}"));
                continue;
            }
        };
        let (headings, sections, owning) = anatomy(&document);
        println!(
            "{name:<38}{headings:>8}{sections:>10}{owning:>8}{:>5}",
            document.toc.len()
        );
        if headings < MANY_HEADINGS {
            continue;
        }
        checked += 1;
        if owning < MIN_SECTIONS {
            failures.push(format!(
                "{name}: {headings} headings but {owning} sections with blocks ({sections} in all)"
            ));
        }
    }
    assert!(checked > 0, "no document with {MANY_HEADINGS} headings");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
