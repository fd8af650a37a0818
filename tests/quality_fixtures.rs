//! Quality on the PDF fixtures (made by `fixtures/make_fixtures.sh`): every page of the
//! image-only file and of the file whose fonts lost their ToUnicode maps is flagged and worth
//! OCR again; the OCR'd file's syllable-spaced text layer is reported as spacing damage.

mod common;

use std::path::Path;

use jaryo::pipeline::{process_file, PipelineOptions};

fn document(name: &str) -> Option<jaryo::document::Document> {
    let path = common::repo_root().join("fixtures/pdf").join(name);
    if !path.exists() {
        eprintln!("skipping: {} is missing", path.display());
        return None;
    }
    Some(
        process_file(
            Path::new(&path),
            &PipelineOptions::default(),
            common::analyzer(),
        )
        .expect("fixture goes through the pipeline"),
    )
}

#[test]
fn every_page_of_the_image_only_file_is_flagged() {
    let Some(doc) = document("image_only.pdf") else {
        return;
    };
    assert!(!doc.quality.pages.is_empty());
    for page in &doc.quality.pages {
        assert!(!page.text_layer, "page {}", page.page);
        assert!(page.flags.iter().any(|f| f == "no_text_layer"), "{page:?}");
        assert!(page.reocr, "{page:?}");
    }
    assert_eq!(doc.quality.score, 0.0);
}

#[test]
fn every_page_of_the_stripped_tounicode_file_is_flagged() {
    let Some(doc) = document("no_tounicode.pdf") else {
        return;
    };
    assert!(!doc.quality.pages.is_empty());
    for page in &doc.quality.pages {
        assert!(!page.flags.is_empty(), "{page:?}");
        assert!(page.reocr, "{page:?}");
    }
}

#[test]
fn the_ocr_text_layer_is_reported_as_syllable_spacing() {
    let Some(doc) = document("ocr_searchable.pdf") else {
        return;
    };
    let flagged: Vec<_> = doc
        .blocks
        .iter()
        .filter(|b| !b.quality.flags.is_empty())
        .collect();
    println!(
        "ocr_searchable: {}/{} blocks flagged, kinds {:?}",
        flagged.len(),
        doc.blocks.len(),
        doc.quality.flags_by_kind
    );
    assert!(doc.quality.flags_by_kind.contains_key("syllable_spacing"));
}

#[test]
fn an_inflection_the_dictionary_lacks_is_not_nonsense() {
    // Fixture text (one_column, from the booklet): mecab-ko-dic has no `렀` ending after `이르`,
    // so the analyzer leaves `렀다는` unknown; that is a dictionary gap, not garbage.
    let score = jaryo::quality::nonsense::score_run("이르렀다는", common::analyzer())
        .expect("the analyzer scores the run");
    assert_eq!(score.unknown_syllables, 0, "{score:?}");
}

#[test]
fn clean_text_fixtures_carry_no_nonsense_flags() {
    for name in [
        "one_column.pdf",
        "two_column.pdf",
        "tables.pdf",
        "justified_narrow.pdf",
    ] {
        let Some(doc) = document(name) else {
            return;
        };
        let nonsense: Vec<String> = doc
            .blocks
            .iter()
            .flat_map(|b| b.quality.flags.iter().map(move |f| (b, f)))
            .filter(|(_, f)| f.kind == "nonsense")
            .map(|(b, f)| {
                let text = match (f.cell, &b.table) {
                    (Some([r, c]), Some(t)) => t.rows[r][c].as_str(),
                    _ => b.text.as_str(),
                };
                text.get(f.start..f.end).unwrap_or("?").to_string()
            })
            .collect();
        assert!(nonsense.is_empty(), "{name}: {nonsense:?}");
    }
}
