//! Quality flags on the sample booklet, through the real pipeline (`pipeline::process_file`):
//! the garbled passages the issue names are flagged, and few ordinary prose lines are.
//!
//! "Ordinary prose lines" are the booklet's source lines that are not table rows (no tab),
//! carry at least 10 Hangul syllables, and are at least half Hangul (non-space characters),
//! minus the two lines the issue names as garbage (240, the Chinese date; 1992, the Vietnamese
//! word). A prose line counts as flagged when a flag of a block built from it covers text of
//! that line.

mod common;

use std::path::Path;

use jaryo::document::{Block, Document, Flag};
use jaryo::pipeline::{process_file, PipelineOptions};

const SAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/input/seoul_social_economy_forum_2020.txt"
);

fn sample_document() -> Document {
    process_file(
        Path::new(SAMPLE),
        &PipelineOptions::default(),
        common::analyzer(),
    )
    .expect("the sample booklet goes through the pipeline")
}

fn source_lines() -> Vec<String> {
    std::fs::read_to_string(SAMPLE)
        .expect("sample booklet")
        .lines()
        .map(str::to_string)
        .collect()
}

/// The text a flag covers (in the block text or its cell).
fn flagged_text<'a>(block: &'a Block, flag: &Flag) -> &'a str {
    let source = match (flag.cell, &block.table) {
        (Some([r, c]), Some(table)) => table
            .rows
            .get(r)
            .and_then(|row| row.get(c))
            .map_or("", String::as_str),
        _ => block.text.as_str(),
    };
    source.get(flag.start..flag.end).unwrap_or("")
}

/// Blocks built from source line `n` (1-based).
fn blocks_at(document: &Document, n: usize) -> Vec<&Block> {
    document
        .blocks
        .iter()
        .filter(|b| {
            b.lines
                .is_some_and(|[first, last]| (first..=last).contains(&n))
        })
        .collect()
}

/// Flags of blocks built from line `n` whose flagged text lies in that line.
fn flags_on_line<'a>(document: &'a Document, n: usize, line: &str) -> Vec<(&'a Block, &'a Flag)> {
    let mut out = Vec::new();
    for block in blocks_at(document, n) {
        for flag in &block.quality.flags {
            let text = flagged_text(block, flag);
            let row_flag = flag.kind == "repeated_line" || flag.kind == "uniform_table";
            let on_line = if row_flag {
                // Row-level flags: the flagged row is this line.
                flag.cell.is_some_and(|[r, _]| {
                    block.table.as_ref().is_some_and(|t| {
                        t.rows
                            .get(r)
                            .is_some_and(|row| row.iter().all(|cell| line.contains(cell.trim())))
                    })
                })
            } else {
                !text.trim().is_empty()
                    && (line.contains(text.trim()) || text.contains(line.trim()))
            };
            if on_line {
                out.push((block, flag));
            }
        }
    }
    out
}

fn assert_flagged(document: &Document, lines: &[String], n: usize, kind: &str) {
    let line = &lines[n - 1];
    let flags = flags_on_line(document, n, line);
    assert!(
        flags.iter().any(|(_, f)| f.kind == kind),
        "line {n} `{line}` should carry a `{kind}` flag; blocks there: {:?}",
        blocks_at(document, n)
            .iter()
            .map(|b| (&b.id, &b.text, &b.quality.flags))
            .collect::<Vec<_>>()
    );
}

#[test]
fn the_garbled_passages_of_the_sample_are_flagged_and_ordinary_prose_is_not() {
    let document = sample_document();
    let lines = source_lines();

    // The Chinese date-and-weather fragment and the Vietnamese word.
    assert_flagged(&document, &lines, 240, "foreign_script");
    assert_flagged(&document, &lines, 1992, "foreign_script");
    // Every `[illegible]` marker.
    let illegible: Vec<usize> = (1..=lines.len())
        .filter(|n| lines[n - 1].contains("[illegible]"))
        .collect();
    assert_eq!(illegible.len(), 6);
    for n in illegible {
        assert_flagged(&document, &lines, n, "illegible");
    }
    // The nine identical rows of the 노원구 table.
    for n in 1230..=1238 {
        assert_flagged(&document, &lines, n, "repeated_line");
    }
    // The `이름이름이름` cells.
    for n in 1974..=1978 {
        assert_flagged(&document, &lines, n, "repeated_phrase");
    }

    // Ordinary prose lines: at most 2 % flagged.
    let prose: Vec<usize> = (1..=lines.len())
        .filter(|&n| n != 240 && n != 1992)
        .filter(|&n| {
            let line = &lines[n - 1];
            let chars: Vec<char> = line.chars().filter(|c| !c.is_whitespace()).collect();
            let hangul = chars
                .iter()
                .filter(|c| ('\u{AC00}'..='\u{D7A3}').contains(*c))
                .count();
            !line.contains('\t') && hangul >= 10 && hangul * 2 >= chars.len()
        })
        .collect();
    let flagged: Vec<(usize, Vec<String>)> = prose
        .iter()
        .filter_map(|&n| {
            let flags = flags_on_line(&document, n, &lines[n - 1]);
            (!flags.is_empty()).then(|| {
                (
                    n,
                    flags
                        .iter()
                        .map(|(b, f)| format!("{} `{}`: {}", f.kind, flagged_text(b, f), f.detail))
                        .collect(),
                )
            })
        })
        .collect();
    let rate = flagged.len() as f64 / prose.len() as f64;
    println!(
        "ordinary prose lines flagged: {}/{} ({:.2} %)",
        flagged.len(),
        prose.len(),
        rate * 100.0
    );
    for (n, flags) in &flagged {
        println!("  line {n}: {}", flags.join("; "));
    }
    println!("document quality: {:?}", document.quality.flags_by_kind);
    assert!(
        rate <= 0.02,
        "{:.2} % of ordinary prose lines flagged",
        rate * 100.0
    );
}
