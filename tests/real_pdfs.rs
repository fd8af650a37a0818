//! The corpus check on the real Korean PDFs in `../shared/real-pdfs/` (made by others: Hancom,
//! XeLaTeX, cairo, Quartz, iLovePDF; see its README). Skips when that folder is absent.
//! `jaryo corpus ../shared/real-pdfs` prints the same figures for a person.

mod common;

use std::sync::OnceLock;

use jaryo::corpus::{check_dir, CorpusOptions, CorpusReport, FileReport};

/// The whole folder, checked once for all tests (it takes a few seconds).
fn corpus() -> Option<&'static CorpusReport> {
    static REPORT: OnceLock<Option<CorpusReport>> = OnceLock::new();
    REPORT
        .get_or_init(|| {
            let dir = common::real_pdfs_dir()?;
            let options = CorpusOptions {
                baseline: true,
                ..CorpusOptions::default()
            };
            let report = check_dir(&dir, &options).expect("the folder is readable");
            eprintln!("{report}");
            Some(report)
        })
        .as_ref()
}

fn file(name: &str) -> Option<&'static FileReport> {
    let report = corpus()?;
    report.files.iter().find(|f| f.path.ends_with(name))
}

fn skipped() -> bool {
    let absent = corpus().is_none();
    if absent {
        eprintln!("skipped: ../shared/real-pdfs missing (or set JARYO_REAL_PDFS)");
    }
    absent
}

#[test]
fn no_document_fails_and_no_panic_escapes() {
    if skipped() {
        return;
    }
    let report = corpus().unwrap();
    assert_eq!(report.files.len(), 8, "the eight real PDFs");
    for file in &report.files {
        assert_eq!(file.failure, None, "{}", file.path);
        assert!(file.pages > 0, "{}", file.path);
    }
}

#[test]
fn xelatex_book_yields_text_on_167_of_168_pages() {
    if skipped() {
        return;
    }
    let book = file("book_pcasm_xelatex_168p.pdf").unwrap();
    assert_eq!(book.pages, 168);
    // pdf-extract alone panics on page 155 and returns nothing for the whole book.
    assert!(
        book.pages_with_text >= 167,
        "{} pages with text",
        book.pages_with_text
    );
}

#[test]
fn image_cover_and_cairo_pages_are_flagged() {
    if skipped() {
        return;
    }
    let hydrogen = file("gov_mof_hydrogen_report.pdf").unwrap();
    let no_text = hydrogen
        .flagged_pages
        .get("no_text_layer")
        .cloned()
        .unwrap_or_default();
    assert!(
        no_text.contains(&1),
        "hydrogen report cover: {:?}",
        hydrogen.flagged_pages
    );
    let cairo = file("gov_fsc_press_cairo_notext.pdf").unwrap();
    for page in 1..=cairo.pages as u32 {
        let flagged = cairo.flagged_pages.iter().any(|(kind, pages)| {
            (kind == "unmapped_font" || kind == "no_text_layer") && pages.contains(&page)
        });
        assert!(flagged, "cairo page {page}: {:?}", cairo.flagged_pages);
    }
}

#[test]
fn hangul_counts_match_pdftotext_within_two_percent() {
    if skipped() {
        return;
    }
    for file in &corpus().unwrap().files {
        // pdftotext's text is right on every file of this folder where it finds Hangul; on the
        // cairo file neither tool has any (the Korean is not in the text layer: flagged above).
        let Some(difference) = file.hangul_difference_percent() else {
            continue;
        };
        assert!(
            difference.abs() <= 2.0,
            "{}: jaryo {} vs pdftotext {:?} Hangul ({difference:+.2}%)",
            file.path,
            file.hangul,
            file.pdftotext_hangul
        );
    }
}

#[test]
fn hancom_shadow_text_is_not_doubled() {
    if skipped() {
        return;
    }
    let mut before = 0;
    for name in [
        "gov_niklp_workplan_hancom.pdf",
        "gov_moef_fdi_press.pdf",
        "gov_mof_hydrogen_report.pdf",
    ] {
        let file = file(name).unwrap();
        before += file.raw_doubled_runs.unwrap_or(0);
        // pdftotext drops overlapping copies: its count is what the page really repeats.
        let allowed = file.pdftotext_doubled_runs.unwrap_or(0);
        assert!(
            file.doubled_runs <= allowed,
            "{name}: {} doubled runs (pdf-extract alone {:?}, pdftotext {allowed})",
            file.doubled_runs,
            file.raw_doubled_runs
        );
    }
    // pdf-extract's own text repeats shadowed headings (`별첨별첨`, `언어자원언어자원`).
    assert!(before > 0, "the Hancom files carry shadow text");
}
