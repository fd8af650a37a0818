//! Document scores rank the shared real PDFs the way a reader would: the cairo-rendered press
//! release whose text layer has no Korean scores <= 0.3 with every page
//! `unreadable_text_layer`; every clean PDF (text layer carries the page's text; see the
//! folders' READMEs) scores >= 0.9; the hydrogen report's empty page 2 is `blank`, not a scan.
//! Skipped when `../shared/real-pdfs` is absent.

mod common;

use jaryo::document::{Document, PageVerdict};
use jaryo::pipeline::{process_file, PipelineOptions};

fn document(dir: &std::path::Path, name: &str) -> Option<Document> {
    let path = dir.join(name);
    if !path.exists() {
        eprintln!("skipping {}: missing", path.display());
        return None;
    }
    let doc = process_file(&path, &PipelineOptions::default(), common::analyzer())
        .expect("the PDF goes through the pipeline");
    Some(doc)
}

#[test]
fn scores_rank_real_documents_like_a_reader() {
    let Some(real) = common::real_pdfs_dir() else {
        eprintln!("skipping: ../shared/real-pdfs is missing");
        return;
    };
    let pairs = real.join("../hwp-pairs");
    if let Some(cairo) = document(&real, "gov_fsc_press_cairo_notext.pdf") {
        println!("gov_fsc_press_cairo_notext.pdf  {:.3}", cairo.quality.score);
        assert!(cairo.quality.score <= 0.3, "{}", cairo.quality.score);
        for page in &cairo.quality.pages {
            assert_eq!(page.verdict, PageVerdict::UnreadableTextLayer, "{page:?}");
            assert!(page.reocr);
        }
    }
    let clean = [
        (&real, "gov_niklp_workplan_hancom.pdf"),
        (&real, "gov_niklp_workplan_quartz.pdf"),
        (&real, "gov_mof_hydrogen_report.pdf"),
        (&real, "gov_moef_fdi_press.pdf"),
        (&real, "book_pcasm_xelatex_168p.pdf"),
        (&real, "card_brochure_tables.pdf"),
        (&real, "pdfjs_bug1627427_batangche.pdf"),
        (&pairs, "biz_plan.pdf"),
        (&pairs, "footnote01.pdf"),
        (&pairs, "hongbo.pdf"),
        (&pairs, "kps_ai.pdf"),
        (&pairs, "kwater_rfp.pdf"),
        (&pairs, "oss_rst.pdf"),
        (&pairs, "reg76076.pdf"),
        (&pairs, "reg80250.pdf"),
        (&pairs, "reg86712.pdf"),
        (&pairs, "so_sueop.pdf"),
        (&pairs, "table_test.pdf"),
    ];
    for (dir, name) in clean {
        let Some(doc) = document(dir, name) else {
            continue;
        };
        println!("{name:<32} {:.3}", doc.quality.score);
        assert!(doc.quality.score >= 0.9, "{name}: {}", doc.quality.score);
        if name == "gov_mof_hydrogen_report.pdf" {
            // Page 1 is an image-only cover, page 2 is empty.
            assert_eq!(doc.quality.pages[0].verdict, PageVerdict::NoTextLayer);
            assert_eq!(doc.quality.pages[1].verdict, PageVerdict::Blank);
            assert!(!doc.quality.pages[1].reocr);
        }
    }
}
