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
