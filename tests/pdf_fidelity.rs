//! Issue 16 (Korean text fidelity on the PDF path) on the fixtures of
//! `scripts/make_fidelity_fixtures.py` in `tests/pdf_layout/`: narrow two-column pages wrapping
//! inside words, digits and Latin letters in their own font run, a two-column exam page. jaryo
//! must meet the issue-16 targets (CER <= 0.5 %, spacing F1 >= 0.995, order exact) and be no
//! worse than pdftotext and PyMuPDF (where installed) on each. Prints the evaluation table.

mod common;

use std::path::Path;

use jaryo::eval::{evaluate, pipeline_runner, render_table, Baseline};

#[test]
fn fidelity_fixtures_meet_issue_16_targets_ahead_of_both_baselines() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/pdf_layout");
    let report = match evaluate(&dir, Baseline::Layout, pipeline_runner(common::analyzer())) {
        Ok(r) => r,
        Err(e) => panic!("cannot evaluate {}: {e}", dir.display()),
    };
    eprintln!("{}", render_table(&report));
    let names: Vec<&str> = report.fixtures.iter().map(|f| f.fixture.as_str()).collect();
    for expected in ["narrow_two_column", "latin_runs", "exam_two_column"] {
        assert!(
            names.contains(&expected),
            "{expected} missing from {names:?}"
        );
    }
    let missed: Vec<String> = report
        .fixtures
        .iter()
        .flat_map(|f| {
            let failed = f.jaryo.error.iter().map(|e| format!("jaryo failed: {e}"));
            f.missed_fidelity_targets
                .iter()
                .chain(&f.missed_extraction_targets)
                .cloned()
                .chain(failed)
                .map(move |m| format!("{}: {m}", f.fixture))
        })
        .collect();
    assert!(
        missed.is_empty(),
        "issue-16 targets missed:\n{}",
        missed.join("\n")
    );
}

#[test]
fn the_exam_page_takes_no_question_stem_for_its_title() {
    // exam_two_column sets its stems in the body size: the first short paragraph on page 1 is
    // `윗글의 (가)와 (나)에 … 것은? 단, … 문단이다.`, prose and no title.
    let pdf = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/pdf_layout/exam_two_column.pdf");
    let options = jaryo::pipeline::PipelineOptions::default();
    let document = jaryo::pipeline::process_file(&pdf, &options, common::analyzer())
        .unwrap_or_else(|e| panic!("{}: {e}", pdf.display()));
    assert!(
        document
            .title
            .as_deref()
            .is_none_or(|t| !t.contains("것은?")),
        "{:?}",
        document.title
    );
}
