//! The false-alarm set: short clean passages from the clean PDFs of `../shared/real-pdfs` and
//! `../shared/hwp-pairs` (`tests/data/false_alarms.jsonl`, made by
//! `scripts/make_false_alarm_set.py` and checked by hand), assessed per source document the
//! way the pipeline assesses a document. At most 0.5 % of them may carry a warning or error
//! flag.

mod common;

use std::collections::BTreeMap;

use jaryo::document::{Block, BlockType, Document, Severity};
use jaryo::model::Format;

/// Warning/error flags allowed on this share of the clean blocks.
const MAX_FLAGGED_SHARE: f64 = 0.005;

fn block(id: usize, page: u32, text: &str) -> Block {
    Block {
        page: Some(page),
        ..Block::new(format!("b{id}"), BlockType::Paragraph, text)
    }
}

#[test]
fn clean_passages_from_real_documents_are_not_flagged() {
    let path = common::repo_root().join("tests/data/false_alarms.jsonl");
    let data = std::fs::read_to_string(&path).expect("the false-alarm set is in the repository");
    let mut by_source: BTreeMap<String, Vec<Block>> = BTreeMap::new();
    for (i, line) in data.lines().enumerate() {
        let item: serde_json::Value = serde_json::from_str(line).expect("one JSON object a line");
        let source = item["source"].as_str().expect("source").to_string();
        let page = item["page"].as_u64().unwrap_or(1) as u32;
        let text = item["text"].as_str().expect("text");
        by_source
            .entry(source)
            .or_default()
            .push(block(i, page, text));
    }
    let (mut total, mut flagged) = (0usize, Vec::new());
    for (source, blocks) in by_source {
        let mut doc = Document::of_blocks(source.clone(), Format::Pdf, blocks);
        jaryo::quality::assess(&mut doc, &[], common::analyzer());
        total += doc.blocks.len();
        for b in &doc.blocks {
            let bad: Vec<_> = b
                .quality
                .flags
                .iter()
                .filter(|f| f.severity >= Severity::Warning)
                .map(|f| format!("{} `{}`", f.kind, f.text))
                .collect();
            if !bad.is_empty() {
                flagged.push(format!(
                    "{source} p.{:?}: {} — {}",
                    b.page,
                    b.text,
                    bad.join(", ")
                ));
            }
        }
    }
    let share = flagged.len() as f64 / total.max(1) as f64;
    println!(
        "false alarms: {} of {total} clean blocks ({:.2} %)",
        flagged.len(),
        100.0 * share
    );
    for f in &flagged {
        println!("  {f}");
    }
    assert!(total >= 300, "the set has {total} blocks");
    assert!(
        share <= MAX_FLAGGED_SHARE,
        "{share:.4} of clean blocks flagged"
    );
}
