//! Reading order of the PDF path against the HWP documents Hancom printed (`../shared/hwp-pairs`,
//! skipped with a note where absent): the HWP's body paragraphs are placed in the PDF's body
//! text, and the longest run of them found in increasing order must hold at least 99 % of the
//! placed ones (over all documents; each document's share is printed).

mod common;

use std::path::Path;

use jaryo::extract::{extract, ExtractOptions};
use jaryo::model::{ExtractedDocument, HintKind, LineRole};

/// Paragraphs shorter than this (in kept characters) are too common to place.
const MIN_CHARS: usize = 12;
/// The share of placed paragraphs that must be in order.
const MIN_IN_ORDER: f64 = 0.99;

fn read(path: &Path) -> ExtractedDocument {
    let source = jaryo::source::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    extract(&source, &ExtractOptions::default())
        .map(|(document, _)| document)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Hangul, digits and Latin letters only: spacing, punctuation and bullet glyphs differ between
/// the HWP's text and the PDF's.
fn squeeze(text: &str) -> String {
    text.chars()
        .filter(|c| ('\u{AC00}'..='\u{D7A3}').contains(c) || c.is_ascii_alphanumeric())
        .collect()
}

/// The HWP's printed body paragraphs outside tables, in document order. Footnotes (at the
/// foot of the page in the PDF) and figure descriptions (never printed) are left out.
fn hwp_paragraphs(hwp: &ExtractedDocument) -> Vec<String> {
    hwp.pages
        .iter()
        .flat_map(|p| &p.lines)
        .filter(|l| l.role == LineRole::Body && l.table.is_none())
        .filter(|l| {
            !matches!(
                l.hint.as_ref().map(|h| &h.kind),
                Some(HintKind::Figure | HintKind::Footnote { .. })
            )
        })
        .map(|l| squeeze(&l.text))
        .filter(|t| t.chars().count() >= MIN_CHARS)
        .collect()
}

fn longest_increasing_run(positions: &[usize]) -> usize {
    let mut tails: Vec<usize> = Vec::new();
    for &p in positions {
        let at = tails.partition_point(|&t| t < p);
        if at == tails.len() {
            tails.push(p);
        } else {
            tails[at] = p;
        }
    }
    tails.len()
}

/// (paragraphs, found whole, placed at a unique spot, longest increasing run of those).
fn order_of(hwp: &ExtractedDocument, pdf: &ExtractedDocument) -> (usize, usize, usize, usize) {
    let text: String = pdf
        .pages
        .iter()
        .flat_map(|p| &p.lines)
        .filter(|l| l.role == LineRole::Body)
        .map(|l| squeeze(&l.text))
        .collect();
    let paragraphs = hwp_paragraphs(hwp);
    let mut whole = 0;
    let mut positions = Vec::new();
    for paragraph in &paragraphs {
        let start: String = paragraph.chars().take(MIN_CHARS).collect();
        // The whole paragraph where it is unique, else its start where that is unique.
        let place = if text.matches(paragraph.as_str()).count() == 1 {
            whole += 1;
            text.find(paragraph.as_str())
        } else {
            whole += usize::from(text.contains(paragraph.as_str()));
            (text.matches(start.as_str()).count() == 1)
                .then(|| text.find(start.as_str()))
                .flatten()
        };
        positions.extend(place);
    }
    let run = longest_increasing_run(&positions);
    (paragraphs.len(), whole, positions.len(), run)
}

#[test]
fn hwp_paragraphs_are_in_the_same_order_in_the_pdf_text() {
    let Some(dir) = common::hwp_pairs_dir() else {
        return;
    };
    let (mut placed, mut in_order) = (0, 0);
    for name in common::HWP_PAIRS_WITH_TEXT {
        let hwp = read(&dir.join(name));
        let pdf = read(&dir.join(name).with_extension("pdf"));
        let (paragraphs, whole, at, run) = order_of(&hwp, &pdf);
        eprintln!(
            "{name}: {paragraphs} paragraphs, {whole} whole in the PDF text, {at} placed, \
             in order {:.4}",
            run as f64 / at.max(1) as f64
        );
        placed += at;
        in_order += run;
    }
    let share = in_order as f64 / placed.max(1) as f64;
    eprintln!("all: {in_order} of {placed} placed paragraphs in order ({share:.4})");
    assert!(placed > 1000, "only {placed} paragraphs placed");
    assert!(
        share >= MIN_IN_ORDER,
        "in order {share:.4} < {MIN_IN_ORDER}"
    );
}

#[test]
fn the_longest_increasing_run_skips_what_is_out_of_place() {
    assert_eq!(longest_increasing_run(&[1, 5, 2, 3, 9, 4]), 4);
    assert_eq!(longest_increasing_run(&[]), 0);
}
