//! A human-readable listing of extracted pages (`jaryo extract`): one line per text line with
//! its role, column, paragraph and wrap marks, and each page's facts and flags.

use std::fmt::Write;

use crate::model::{LineRole, Page};

/// Renders `pages` for reading in a terminal.
pub fn render(pages: &[Page]) -> String {
    let mut out = String::new();
    for page in pages {
        let _ = writeln!(
            out,
            "=== page {} ({:.0}×{:.0} pt, {} glyphs, {} unmapped){}",
            page.number,
            page.width,
            page.height,
            page.facts.glyphs,
            page.facts.unmapped_glyphs,
            if page.facts.text_layer {
                ""
            } else {
                ", no text layer"
            }
        );
        for flag in &page.facts.flags {
            let _ = writeln!(out, "!!! {}: {}", flag.kind, flag.detail);
        }
        for line in &page.lines {
            if let Some(table) = line.table.and_then(|t| page.tables.get(t as usize)) {
                if line.text.is_empty() {
                    write_table(&mut out, line.column, table);
                    continue;
                }
            }
            let role = match line.role {
                LineRole::Body => "",
                LineRole::RunningHeader => "[header] ",
                LineRole::RunningFooter => "[footer] ",
                LineRole::PageNumber => "[page#] ",
            };
            let mark = if line.table.is_some() {
                "T"
            } else if line.starts_paragraph {
                "¶"
            } else {
                match line.joins_previous_word {
                    Some(true) => "+",
                    Some(false) => "_",
                    None => " ",
                }
            };
            let _ = writeln!(
                out,
                "{mark} c{} {}{}",
                line.column,
                role,
                line.text.replace('\t', " | ")
            );
        }
    }
    out
}

/// A typed table, one `T` line per grid row: each cell's lines joined by ` / `, a span shown
/// as `{rows×cols}` after the cell.
fn write_table(out: &mut String, column: u32, table: &crate::model::Table) {
    for row in 0..table.rows {
        let cells: Vec<String> = table
            .cells
            .iter()
            .filter(|c| c.row == row)
            .map(|c| {
                let text: Vec<&str> = c.lines.iter().map(|l| l.text.as_str()).collect();
                let span = if c.row_span > 1 || c.col_span > 1 {
                    format!(" {{{}×{}}}", c.row_span, c.col_span)
                } else {
                    String::new()
                };
                format!("{}{span}", text.join(" / "))
            })
            .collect();
        let _ = writeln!(out, "T c{column} {}", cells.join(" | "));
    }
}
