//! The quality thresholds, checked on the calibration set (`tests/data/calibration.jsonl`, made
//! by `scripts/make_calibration.py`): clean lines and rows of the sample booklet with
//! corruptions of every kind injected at known spans, plus as many untouched items.
//! Prints recall per kind (and per injection variant) and the untouched false-positive rate;
//! asserts recall ≥ 0.95 per kind (nonsense ≥ 0.8) and ≤ 2 % of untouched items flagged.

mod common;

use std::collections::BTreeMap;

use jaryo::document::{Block, BlockType, Document, Flag, Table};
use jaryo::model::Format;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct Span {
    cell: Option<[usize; 2]>,
    start: usize,
    end: usize,
}

#[derive(Debug, Deserialize)]
struct Item {
    id: String,
    kind: String,
    variant: String,
    text: Option<String>,
    rows: Option<Vec<Vec<String>>>,
    #[serde(default)]
    header_rows: usize,
    spans: Vec<Span>,
}

fn load_items() -> Vec<Item> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/calibration.jsonl");
    let text = std::fs::read_to_string(path).expect("tests/data/calibration.jsonl is committed");
    text.lines()
        .map(|l| serde_json::from_str(l).expect("valid calibration line"))
        .collect()
}

fn block_of(index: usize, item: &Item) -> Block {
    let (text, table) = match (&item.text, &item.rows) {
        (Some(text), _) => (text.clone(), None),
        (None, Some(rows)) => (
            rows.iter()
                .map(|r| r.join("\t"))
                .collect::<Vec<_>>()
                .join("\n"),
            Some(Table {
                rows: rows.clone(),
                header_rows: item.header_rows,
                caption: None,
                cells: Vec::new(),
                pages: Vec::new(),
                repeated_headers: Vec::new(),
            }),
        ),
        (None, None) => panic!("{}: neither text nor rows", item.id),
    };
    let kind = if table.is_some() {
        BlockType::Table
    } else {
        BlockType::Paragraph
    };
    Block {
        table: table.map(Box::new),
        ..Block::new(format!("b{}", index + 1), kind, text)
    }
}

/// The span is caught when a flag of the injected kind covers part of it (row-level kinds:
/// a flag on the same row).
fn caught(span: &Span, kind: &str, flags: &[Flag]) -> bool {
    flags.iter().any(|f| {
        f.kind == kind
            && match (span.cell, f.cell) {
                (None, None) => f.start < span.end && span.start < f.end.max(f.start + 1),
                (Some(s), Some(c)) if matches!(kind, "repeated_line" | "uniform_table") => {
                    s[0] == c[0]
                }
                (Some(s), Some(c)) => {
                    s == c && f.start < span.end && span.start < f.end.max(f.start + 1)
                }
                _ => false,
            }
    })
}

#[test]
fn calibration_recall_and_false_positive_rate() {
    let items = load_items();
    let analyzer = common::analyzer();
    let blocks = items
        .iter()
        .enumerate()
        .map(|(i, it)| block_of(i, it))
        .collect();
    let mut document = Document::of_blocks("tests/data/calibration.jsonl", Format::Text, blocks);
    jaryo::quality::assess(&mut document, &[], analyzer);

    let mut by_kind: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut by_variant: BTreeMap<(&str, &str), (usize, usize)> = BTreeMap::new();
    let mut untouched: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut misses = Vec::new();
    let mut false_positives = Vec::new();
    for (item, block) in items.iter().zip(&document.blocks) {
        let flags = &block.quality.flags;
        if item.kind == "untouched" {
            let e = untouched.entry(item.variant.as_str()).or_default();
            e.0 += 1;
            if !flags.is_empty() {
                e.1 += 1;
                false_positives.push(format!("{} {:?} {:?}", item.id, block.text, flags));
            }
            continue;
        }
        let hit = item.spans.iter().all(|s| caught(s, &item.kind, flags));
        for e in [
            by_kind.entry(item.kind.as_str()).or_default(),
            by_variant
                .entry((item.kind.as_str(), item.variant.as_str()))
                .or_default(),
        ] {
            e.0 += 1;
            e.1 += usize::from(hit);
        }
        if !hit {
            misses.push(format!(
                "{} {}/{} {:?} {:?}",
                item.id, item.kind, item.variant, block.text, flags
            ));
        }
    }

    println!("\n| kind | injected | caught | recall |\n|---|---:|---:|---:|");
    for (kind, (n, hit)) in &by_kind {
        println!("| {kind} | {n} | {hit} | {:.3} |", *hit as f64 / *n as f64);
    }
    println!("\nby variant:");
    for ((kind, variant), (n, hit)) in &by_variant {
        println!("  {kind:18} {variant:22} {hit:3}/{n:3}");
    }
    let (n_untouched, n_flagged) = untouched
        .values()
        .fold((0, 0), |a, (n, f)| (a.0 + n, a.1 + f));
    let fp_rate = n_flagged as f64 / n_untouched as f64;
    println!(
        "\nuntouched: {n_flagged}/{n_untouched} flagged ({:.2} %)",
        fp_rate * 100.0
    );
    for (shape, (n, f)) in &untouched {
        println!("  {shape:6} {f}/{n}");
    }
    for m in misses.iter().take(80) {
        println!("MISS {m}");
    }
    for fp in false_positives.iter().take(40) {
        println!("FP   {fp}");
    }

    for (kind, (n, hit)) in &by_kind {
        let recall = *hit as f64 / *n as f64;
        let needed = if *kind == "nonsense" { 0.8 } else { 0.95 };
        assert!(
            recall >= needed,
            "recall of {kind} is {recall:.3} < {needed}"
        );
    }
    assert!(
        fp_rate <= 0.02,
        "{:.2} % of untouched items flagged",
        fp_rate * 100.0
    );
}
