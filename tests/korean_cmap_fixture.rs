//! The Korean predefined-CMap fixture (`fixtures/fonts/make_cmap_fixture.py`): every page's
//! text comes out exactly, where pdf-extract alone panics on each of them.

use std::panic::{catch_unwind, AssertUnwindSafe};

use jaryo::extract::fonts::{prepare, FontMapping};

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/fixtures/fonts/korean_cmaps.pdf"
);
const EXPECTED: &str = include_str!("../fixtures/fonts/korean_cmaps.expected.txt");

fn page_text(doc: &lopdf::Document, page: u32) -> Option<String> {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let result = catch_unwind(AssertUnwindSafe(|| {
        let mut text = String::new();
        let mut output = pdf_extract::PlainTextOutput::new(&mut text);
        pdf_extract::output_doc_page(doc, &mut output, page).ok()?;
        Some(text)
    }));
    std::panic::set_hook(previous);
    result.ok().flatten()
}

/// Lines without their surrounding blanks, empty lines dropped.
fn lines(text: &str) -> Vec<String> {
    text.lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect()
}

#[test]
fn korean_cmap_pages_decode_exactly() {
    let mut doc = lopdf::Document::load(FIXTURE).expect("fixture loads");
    let expected: Vec<&str> = EXPECTED.split('\u{c}').collect();
    assert_eq!(expected.len(), 3);
    for page in 1..=3 {
        assert_eq!(
            page_text(&doc, page),
            None,
            "pdf-extract alone panics on page {page}"
        );
    }
    let report = prepare(&mut doc);
    let mut cmaps: Vec<String> = report
        .fonts
        .values()
        .filter_map(|f| match &f.mapping {
            FontMapping::KoreanCMap(name) => Some(name.clone()),
            _ => None,
        })
        .collect();
    cmaps.sort();
    assert_eq!(cmaps, ["KSCms-UHC-H", "UniKS-UCS2-H", "UniKS-UTF16-H"]);
    for (page, want) in (1..=3).zip(expected) {
        let got = page_text(&doc, page).expect("no panic after prepare");
        assert_eq!(lines(&got), lines(want), "page {page}");
    }
}

#[test]
fn korean_cmap_pages_come_through_the_whole_extraction() {
    let bytes = std::fs::read(FIXTURE).expect("fixture reads");
    let mut doc =
        jaryo::extract::pdf::extract_bytes(&bytes, &Default::default()).expect("the fixture opens");
    jaryo::normalize::normalize(&mut doc.pages);
    let expected: Vec<&str> = EXPECTED.split('\u{c}').collect();
    assert_eq!(doc.pages.len(), expected.len());
    for (page, want) in doc.pages.iter().zip(expected) {
        assert!(
            page.facts.flags.is_empty(),
            "page {}: {:?}",
            page.number,
            page.facts.flags
        );
        let got: Vec<String> = page.lines.iter().map(|l| l.text.clone()).collect();
        assert_eq!(got, lines(want), "page {}", page.number);
    }
}
