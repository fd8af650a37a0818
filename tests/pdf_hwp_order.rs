//! Reading order of the PDF path against the HWP documents Hancom printed (`../shared/hwp-pairs`,
//! skipped with a note where absent): the HWP's body paragraphs are placed in the PDF's body
//! text, and the longest run of them found in increasing order must hold at least 99 % of the
//! placed ones (over all documents; each document's share is printed). And paragraphs kept
//! whole: jaryo's blocks hold at least as many of the HWP's paragraphs whole as PyMuPDF's
//! blocks (`page.get_text("blocks")`; skipped with a note where PyMuPDF is not installed).

mod common;

use std::path::Path;
use std::process::Command;

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

/// Paragraphs at least this long (in kept characters) are counted for "found whole": shorter
/// ones fit in any block by chance.
const WHOLE_MIN_CHARS: usize = 20;

/// PyMuPDF's text blocks of a PDF (`page.get_text("blocks")`, text blocks only), separated by
/// U+001E; exit 3 when PyMuPDF is not installed.
const PYMUPDF_BLOCKS: &str = r#"
import sys
try:
    import pymupdf
except ImportError:
    try:
        import fitz as pymupdf
    except ImportError:
        sys.exit(3)
out = []
for page in pymupdf.open(sys.argv[1]):
    out.extend(b[4] for b in page.get_text("blocks") if b[6] == 0)
sys.stdout.write("\x1e".join(out))
"#;

/// PyMuPDF's blocks of `pdf`, or `None` when PyMuPDF is not installed.
fn pymupdf_blocks(pdf: &Path) -> Option<Vec<String>> {
    let output = Command::new("python3")
        .arg("-c")
        .arg(PYMUPDF_BLOCKS)
        .arg(pdf)
        .output()
        .unwrap_or_else(|e| panic!("cannot run python3: {e}"));
    match output.status.code() {
        Some(0) => Some(
            String::from_utf8_lossy(&output.stdout)
                .split('\u{1e}')
                .map(squeeze)
                .collect(),
        ),
        Some(3) => None,
        _ => panic!(
            "PyMuPDF failed on {}: {}",
            pdf.display(),
            String::from_utf8_lossy(&output.stderr)
        ),
    }
}

/// How many of `paragraphs` lie whole inside one of `blocks` (both squeezed).
fn found_whole(paragraphs: &[String], blocks: &[String]) -> usize {
    paragraphs
        .iter()
        .filter(|p| blocks.iter().any(|b| b.contains(p.as_str())))
        .count()
}

#[test]
fn jaryo_keeps_at_least_as_many_hwp_paragraphs_whole_as_pymupdf() {
    let Some(dir) = common::hwp_pairs_dir() else {
        return;
    };
    let analyzer = common::analyzer();
    let options = jaryo::pipeline::PipelineOptions::default();
    let (mut ours, mut theirs, mut total) = (0, 0, 0);
    let mut behind = Vec::new();
    for name in common::HWP_PAIRS_WITH_TEXT {
        let pdf = dir.join(name).with_extension("pdf");
        let Some(mupdf) = pymupdf_blocks(&pdf) else {
            eprintln!("skipped: PyMuPDF is not installed (pip install pymupdf)");
            return;
        };
        let paragraphs: Vec<String> = hwp_paragraphs(&read(&dir.join(name)))
            .into_iter()
            .filter(|p| p.chars().count() >= WHOLE_MIN_CHARS)
            .collect();
        let document = jaryo::pipeline::process_file(&pdf, &options, analyzer)
            .unwrap_or_else(|e| panic!("{}: {e}", pdf.display()));
        // A block's list marker (`가.`, `1)`) is printed in front of its text, as the HWP's
        // paragraph text and PyMuPDF's blocks have it.
        let blocks: Vec<String> = document
            .blocks
            .iter()
            .map(|b| squeeze(&format!("{} {}", b.marker.as_deref().unwrap_or(""), b.text)))
            .collect();
        let (j, m) = (
            found_whole(&paragraphs, &blocks),
            found_whole(&paragraphs, &mupdf),
        );
        eprintln!(
            "{name}: {} paragraphs of {WHOLE_MIN_CHARS}+ characters, whole in jaryo's blocks {j}, \
             in PyMuPDF's {m}",
            paragraphs.len()
        );
        if j < m {
            behind.push(format!("{name}: jaryo {j} < PyMuPDF {m}"));
        }
        ours += j;
        theirs += m;
        total += paragraphs.len();
    }
    eprintln!("all: {total} paragraphs, whole in jaryo's blocks {ours}, in PyMuPDF's {theirs}");
    assert!(
        behind.is_empty(),
        "jaryo behind PyMuPDF:\n{}",
        behind.join("\n")
    );
}

#[test]
fn a_paragraph_is_whole_only_inside_one_block() {
    let paragraphs = vec![squeeze(
        "지역의 사회적경제 거버넌스를 구축하고 확장했다는 것입니다.",
    )];
    let split = vec![
        squeeze("지역의 사회적경제 거버넌스를"),
        squeeze("구축하고 확장했다는 것입니다."),
    ];
    assert_eq!(found_whole(&paragraphs, &split), 0);
    let whole = vec![squeeze(
        "1. 지역의 사회적경제 거버넌스를 구축하고 확장했다는 것입니다. 또한",
    )];
    assert_eq!(found_whole(&paragraphs, &whole), 1);
}

#[test]
fn the_longest_increasing_run_skips_what_is_out_of_place() {
    assert_eq!(longest_increasing_run(&[1, 5, 2, 3, 9, 4]), 4);
    assert_eq!(longest_increasing_run(&[]), 0);
}
