//! OCR text layers: the fixture made by OCR (`fixtures/pdf/ocr_searchable.pdf`, an invisible
//! text layer over a scan) gets the `ocr_layer` page verdict, and the misreadings of a scanned
//! contract's OCR layer (issue 17) are read back as the words they should be, while correct
//! words are left alone.

mod common;

use std::path::Path;

use jaryo::document::PageVerdict;
use jaryo::pipeline::{process_file, PipelineOptions};
use jaryo::quality::ocr::likely_reading;

#[test]
fn misreadings_of_a_scanned_contract_are_repaired() {
    let analyzer = common::analyzer();
    for (read, meant) in [
        ("서을특별시", "서울특별시"),
        ("부등산", "부동산"),
        ("원룹", "원룸"),
        ("계악내용", "계약내용"),
    ] {
        assert_eq!(
            likely_reading(read, analyzer).as_deref(),
            Some(meant),
            "{read}"
        );
    }
}

#[test]
fn correct_words_are_left_alone() {
    let analyzer = common::analyzer();
    // Words of the sample booklet and of a lease.
    for word in [
        "서울특별시",
        "부동산",
        "원룸",
        "계약내용",
        "사회적경제",
        "지원센터",
        "임대차",
        "보증금",
        "협동조합",
        "자치구",
        "활성화",
        "네트워크",
        "마을기업",
        "주민",
        "생태계",
        "중간지원조직",
        // One confusable vowel away from another word: both are words, so neither is a
        // misreading of the other.
        "등산",
        "동산",
        "거래",
        "가래",
    ] {
        assert_eq!(likely_reading(word, analyzer), None, "{word}");
    }
}

#[test]
fn the_ocr_fixture_has_an_ocr_layer_verdict() {
    let path = common::repo_root().join("fixtures/pdf/ocr_searchable.pdf");
    if !path.exists() {
        eprintln!("skipping: {} is missing", path.display());
        return;
    }
    let doc = process_file(
        Path::new(&path),
        &PipelineOptions::default(),
        common::analyzer(),
    )
    .expect("fixture goes through the pipeline");
    assert!(!doc.quality.pages.is_empty());
    for page in &doc.quality.pages {
        assert_eq!(page.verdict, PageVerdict::OcrLayer, "{page:?}");
        assert!(page.flags.iter().any(|f| f == "ocr_layer"), "{page:?}");
    }
}
