//! Dev tool: prints what the HWP reader makes of `.hwp`/`.hwpx` files. Default: the typed
//! tables as JSON (one object per table: page, rows, cols, header_rows, cells with spans and
//! text), for scoring the PDF path's tables against the HWP truth. `--lines`: every line with
//! its hint. `--summary`: counts per file.

use std::path::Path;
use std::process::ExitCode;

use jaryo::model::{ExtractedDocument, HintKind};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mode = args
        .iter()
        .find(|a| a.starts_with("--"))
        .cloned()
        .unwrap_or_default();
    let mut failed = false;
    for path in args.iter().filter(|a| !a.starts_with("--")) {
        let bytes = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(error) => {
                eprintln!("{path}: {error}");
                failed = true;
                continue;
            }
        };
        let started = std::time::Instant::now();
        let document = match jaryo::extract::hwp::read(&bytes, Path::new(path)) {
            Ok(document) => document,
            Err(error) => {
                eprintln!("{path}: {error}");
                failed = true;
                continue;
            }
        };
        let elapsed = started.elapsed();
        match mode.as_str() {
            "--lines" => print_lines(&document),
            "--summary" => summary(path, &document, elapsed),
            _ => print_tables(&document),
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn print_tables(document: &ExtractedDocument) {
    for page in &document.pages {
        for table in &page.tables {
            let cells: Vec<serde_json::Value> = table
                .cells
                .iter()
                .map(|c| {
                    serde_json::json!({
                        "row": c.row, "col": c.col, "row_span": c.row_span,
                        "col_span": c.col_span, "header": c.header, "text": c.text(),
                    })
                })
                .collect();
            let value = serde_json::json!({
                "page": table.page, "rows": table.rows, "cols": table.cols,
                "header_rows": table.header_rows, "cells": cells,
            });
            println!("{value}");
        }
    }
}

fn print_lines(document: &ExtractedDocument) {
    for page in &document.pages {
        for line in &page.lines {
            let hint = line.hint.as_deref();
            let marker = hint.and_then(|h| h.list_marker.as_deref()).unwrap_or("");
            let level = hint
                .and_then(|h| h.heading_level)
                .map(|l| format!("H{l}"))
                .unwrap_or_default();
            let style = hint.and_then(|h| h.style.as_deref()).unwrap_or("");
            let kind = match hint.map(|h| &h.kind) {
                Some(HintKind::Text) | None => String::new(),
                Some(other) => format!("{other:?}"),
            };
            let table = line
                .table
                .map(|t| format!("[table {t}]"))
                .unwrap_or_default();
            println!(
                "p{} {:?} {level} [{style}] {kind} {marker} {}{table}",
                line.page, line.role, line.text
            );
        }
    }
}

fn summary(path: &str, document: &ExtractedDocument, elapsed: std::time::Duration) {
    let lines: Vec<_> = document.pages.iter().flat_map(|p| &p.lines).collect();
    let hint = |k: fn(&HintKind) -> bool| {
        lines
            .iter()
            .filter(|l| l.hint.as_ref().is_some_and(|h| k(&h.kind)))
            .count()
    };
    let tables: Vec<_> = document.pages.iter().flat_map(|p| &p.tables).collect();
    let spanning = tables
        .iter()
        .flat_map(|t| &t.cells)
        .filter(|c| c.row_span > 1 || c.col_span > 1)
        .count();
    let headings = lines
        .iter()
        .filter(|l| l.hint.as_ref().is_some_and(|h| h.heading_level.is_some()))
        .count();
    let markers = lines
        .iter()
        .filter(|l| l.hint.as_ref().is_some_and(|h| h.list_marker.is_some()))
        .count();
    let flags: usize = document.pages.iter().map(|p| p.facts.flags.len()).sum();
    println!(
        "{path}\t{:?} pages={} lines={} tables={} spanning_cells={spanning} headings={headings} markers={markers} footnotes={} figures={} equations={} captions={} flags={flags} {:?}",
        document.format,
        document.pages.len(),
        lines.len(),
        tables.len(),
        hint(|k| matches!(k, HintKind::Footnote { .. })),
        hint(|k| matches!(k, HintKind::Figure)),
        hint(|k| matches!(k, HintKind::Equation)),
        hint(|k| matches!(k, HintKind::Caption)),
        elapsed
    );
}
