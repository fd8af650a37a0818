//! The PDF path on the real Korean PDFs in `../shared/real-pdfs/` (made by others: Hancom,
//! XeLaTeX, cairo, Quartz, iLovePDF). Skips when that folder is absent.

mod common;

use jaryo::extract::pdf::extract_bytes;
use jaryo::extract::ExtractOptions;
use jaryo::model::ExtractedDocument;

fn real_pdf(name: &str) -> Option<ExtractedDocument> {
    let Some(dir) = common::real_pdfs_dir() else {
        eprintln!("skipped: ../shared/real-pdfs missing (or set JARYO_REAL_PDFS)");
        return None;
    };
    let bytes = std::fs::read(dir.join(name)).ok()?;
    Some(
        extract_bytes(&bytes, &ExtractOptions::default()).unwrap_or_else(|e| panic!("{name}: {e}")),
    )
}

fn has_flag(doc: &ExtractedDocument, page: usize, kind: &str) -> bool {
    doc.pages[page].facts.flags.iter().any(|f| f.kind == kind)
}

#[test]
fn xelatex_book_keeps_every_page_but_the_one_that_fails() {
    let Some(doc) = real_pdf("book_pcasm_xelatex_168p.pdf") else {
        return;
    };
    assert_eq!(doc.pages.len(), 168);
    let with_text = doc.pages.iter().filter(|p| !p.lines.is_empty()).count();
    assert!(with_text >= 167, "{with_text} of 168 pages yield text");
    for (i, page) in doc.pages.iter().enumerate() {
        if has_flag(&doc, i, "extraction_failed") {
            let flag = page
                .facts
                .flags
                .iter()
                .find(|f| f.kind == "extraction_failed");
            assert!(flag.is_some_and(|f| !f.detail.is_empty()));
        }
    }
}

#[test]
fn hydrogen_report_image_cover_is_flagged() {
    let Some(doc) = real_pdf("gov_mof_hydrogen_report.pdf") else {
        return;
    };
    assert!(has_flag(&doc, 0, "no_text_layer"));
    assert!(doc.pages[2..].iter().filter(|p| p.facts.text_layer).count() >= 12);
}

#[test]
fn cairo_press_release_is_flagged_on_every_page() {
    let Some(doc) = real_pdf("gov_fsc_press_cairo_notext.pdf") else {
        return;
    };
    for i in 0..doc.pages.len() {
        assert!(has_flag(&doc, i, "unmapped_font"), "page {}", i + 1);
    }
}

#[test]
fn hancom_shadow_text_is_not_doubled() {
    for name in [
        "gov_niklp_workplan_hancom.pdf",
        "gov_moef_fdi_press.pdf",
        "gov_mof_hydrogen_report.pdf",
    ] {
        let Some(doc) = real_pdf(name) else {
            return;
        };
        let text = doc.text();
        assert_eq!(text.matches("별첨별첨").count(), 0, "{name}");
        assert_eq!(text.matches("부 동 산 업").count(), 0, "{name}");
    }
}

#[test]
fn clean_documents_are_not_flagged() {
    for name in [
        "gov_niklp_workplan_hancom.pdf",
        "gov_niklp_workplan_quartz.pdf",
        "card_brochure_tables.pdf",
        "pdfjs_bug1627427_batangche.pdf",
    ] {
        let Some(doc) = real_pdf(name) else {
            return;
        };
        for page in &doc.pages {
            assert!(
                page.facts.flags.is_empty(),
                "{name} page {}: {:?}",
                page.number,
                page.facts.flags
            );
        }
    }
}
