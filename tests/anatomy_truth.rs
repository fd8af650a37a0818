//! The anatomy scorer (`jaryo::eval::anatomy`) on the Hancom-printed PDFs of
//! `../shared/hwp-pairs` against the truth written from their HWP sources
//! (`tests/data/anatomy/*.json`, `scripts/make_anatomy_truth.py`). Prints the table (run with
//! `--nocapture`) and fails when a figure falls below today's floor. Skips, saying so, when
//! the shared folder is absent. `JARYO_ANATOMY_DUMP=1` also prints each document's headings
//! beside the truth (false ones, missed ones, levels off: [`dump`]).

mod common;

use std::path::Path;

use jaryo::eval::anatomy::{dump, score, table, AnatomyScore, Truth};
use jaryo::pipeline::{process_file, PipelineOptions};

/// Today's figures per document, the floors a change may not go below: heading recall,
/// heading precision, level accuracy, share of paged TOC entries found with their page.
/// (doc, recall, precision, levels, toc pages), each the figure rounded down to a hundredth.
/// What is left over (`JARYO_ANATOMY_DUMP=1` lists it): kps_ai's `목차` is a heading block
/// the HWP's text does not hold (its TOC starts at `Ⅰ. 사업개요`); the regulatory analyses'
/// annex headings `가. 대안별 분석 비교표`, `나. 각 대안의 활동별 …` are level 3 in jaryo's outline
/// (they nest under the chapter's `1.`) and level 4, so no heading, in the truth (its schemes
/// rank by first appearance); kps_ai's `나. 업무혁신과 …` and `다. 생성형 AI와 …` stand in a run
/// of short `가.`–`다.` lines with nothing between, which jaryo reads as a list; kwater_rfp's
/// `마. 하도급` shares one HWP paragraph with the line above it, so the truth never sees it.
const FLOORS: &[(&str, f64, f64, f64, f64)] = &[
    ("kps_ai", 0.97, 0.98, 1.00, 1.00),
    ("kwater_rfp", 1.00, 0.97, 1.00, 1.00),
    ("reg76076", 1.00, 0.95, 1.00, 1.00),
    ("reg80250", 1.00, 1.00, 1.00, 1.00),
    ("reg86712", 1.00, 0.91, 1.00, 1.00),
];

fn truths() -> Vec<Truth> {
    let dir = common::repo_root().join("tests/data/anatomy");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .map(|entries| entries.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    paths.retain(|p| p.extension().is_some_and(|e| e == "json"));
    paths.sort();
    paths
        .iter()
        .map(|p| {
            let text = std::fs::read_to_string(p)
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()));
            serde_json::from_str(&text)
                .unwrap_or_else(|e| panic!("bad truth file {}: {e}", p.display()))
        })
        .collect()
}

fn scores(pairs: &Path) -> Vec<AnatomyScore> {
    truths()
        .iter()
        .map(|truth| {
            let pdf = pairs.join(&truth.pdf);
            let document = process_file(&pdf, &PipelineOptions::default(), common::analyzer())
                .unwrap_or_else(|e| panic!("{}: {e}", pdf.display()));
            if std::env::var_os("JARYO_ANATOMY_DUMP").is_some() {
                println!("{}", dump(&document, truth));
            }
            score(&document, truth)
        })
        .collect()
}

#[test]
fn anatomy_of_the_hwp_pairs_stays_at_or_above_its_floors() {
    let Some(pairs) = common::hwp_pairs_dir() else {
        return;
    };
    let scores = scores(&pairs);
    println!("{}", table(&scores));
    assert!(scores.len() >= 5, "expected the five truth files");
    let mut failures = Vec::new();
    for s in &scores {
        if s.toc_found < s.truth_toc {
            failures.push(format!(
                "{}: {} of {} TOC entries found",
                s.doc, s.toc_found, s.truth_toc
            ));
        }
        if s.leaders_in_titles > 0 {
            failures.push(format!(
                "{}: {} titles keep a dot leader",
                s.doc, s.leaders_in_titles
            ));
        }
        let Some(&(_, recall, precision, levels, toc)) =
            FLOORS.iter().find(|(doc, ..)| *doc == s.doc)
        else {
            failures.push(format!("{}: no floor", s.doc));
            continue;
        };
        for (what, now, floor) in [
            ("heading recall", s.heading_recall(), recall),
            ("heading precision", s.heading_precision(), precision),
            ("level accuracy", s.level_accuracy(), levels),
            ("TOC pages", s.toc_page_accuracy(), toc),
        ] {
            if now + 1e-9 < floor {
                failures.push(format!("{}: {what} {now:.2} < floor {floor:.2}", s.doc));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
