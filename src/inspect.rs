//! `jaryo inspect`: a document (a jaryo/1 JSON, or the result of running the pipeline on an
//! input) printed for a person at a terminal: the section tree with speakers and pages, the
//! table of contents and where each entry points, the tables with their shapes and captions,
//! and the passages the quality stage flagged.

use std::fmt::Write;

use crate::document::{Block, BlockType, Document, Section};

/// What to print besides the section tree.
#[derive(Debug, Clone, Copy, Default)]
pub struct InspectOptions {
    /// Print the headings under each section.
    pub headings: bool,
}

fn shorten(text: &str, max: usize) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= max {
        return one_line;
    }
    let mut out: String = one_line.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

fn place(block: &Block) -> String {
    match (block.lines, block.page, block.bbox) {
        (Some([a, b]), _, _) if a == b => format!("line {a}"),
        (Some([a, b]), _, _) => format!("lines {a}–{b}"),
        (None, Some(p), Some(bb)) => {
            format!(
                "p.{p} [{:.0},{:.0},{:.0},{:.0}]",
                bb[0], bb[1], bb[2], bb[3]
            )
        }
        (None, Some(p), None) => format!("p.{p}"),
        _ => "?".to_string(),
    }
}

fn section_span(section: &Section, blocks: &[Block]) -> String {
    let own: Vec<&Block> = section
        .blocks
        .iter()
        .filter_map(|id| blocks.iter().find(|b| &b.id == id))
        .collect();
    let lines: Vec<usize> = own.iter().filter_map(|b| b.lines).flatten().collect();
    if let (Some(a), Some(b)) = (lines.iter().min(), lines.iter().max()) {
        return format!("lines {a}–{b}");
    }
    let pages: Vec<u32> = own.iter().filter_map(|b| b.page).collect();
    match (pages.iter().min(), pages.iter().max()) {
        (Some(a), Some(b)) if a == b => format!("PDF p.{a}"),
        (Some(a), Some(b)) => format!("PDF pp.{a}–{b}"),
        _ => "empty".to_string(),
    }
}

fn write_section(
    out: &mut String,
    section: &Section,
    blocks: &[Block],
    depth: usize,
    options: InspectOptions,
) {
    let indent = "  ".repeat(depth + 1);
    let kind = serde_json::to_value(section.kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    let label = section.label.as_deref().unwrap_or("");
    let title = section
        .title
        .as_deref()
        .map(|t| shorten(t, 60))
        .unwrap_or_default();
    let page = section
        .page
        .map(|p| format!("p.{p}"))
        .unwrap_or_else(|| "p.?".into());
    let _ = writeln!(
        out,
        "{indent}{:<4} {:<13} {:<6} {title}  [{page}, {}, {} blocks]",
        section.id,
        kind,
        label,
        section_span(section, blocks),
        section.blocks.len()
    );
    for s in &section.speakers {
        let detail: Vec<&str> = [s.role.as_deref(), s.affiliation.as_deref()]
            .into_iter()
            .flatten()
            .collect();
        let _ = writeln!(
            out,
            "{indent}     speaker: {} ({})",
            s.name,
            detail.join(", ")
        );
    }
    if let Some(how) = &section.located_by {
        let _ = writeln!(out, "{indent}     placed by: {how}");
    }
    if options.headings {
        for id in &section.blocks {
            if let Some(b) = blocks
                .iter()
                .find(|b| &b.id == id && b.kind == BlockType::Heading)
            {
                let level = b.level.unwrap_or(0) as usize;
                let _ = writeln!(
                    out,
                    "{indent}     {}h{} {}  ({})",
                    "  ".repeat(level.saturating_sub(1)),
                    level,
                    shorten(&b.text, 60),
                    place(b)
                );
            }
        }
    }
    for child in &section.children {
        write_section(out, child, blocks, depth + 1, options);
    }
}

/// The whole report as text.
pub fn render(document: &Document, options: InspectOptions) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}  ({:?}, {} pages, {} blocks)",
        document.source.path,
        document.source.format,
        document.source.pages,
        document.blocks.len()
    );
    if let Some(title) = &document.title {
        let _ = writeln!(out, "title: {title}");
    }
    write_page_verdicts(&mut out, document);
    let _ = writeln!(out, "\ntable of contents ({} entries)", document.toc.len());
    for entry in &document.toc {
        let page = entry
            .page
            .map(|p| p.to_string())
            .unwrap_or_else(|| "?".into());
        let _ = writeln!(
            out,
            "  p.{page:<4} {:<7} {}  → {}",
            entry.label.as_deref().unwrap_or(""),
            shorten(&entry.title, 56),
            entry.section.as_deref().unwrap_or("(no section)")
        );
    }
    let _ = writeln!(out, "\nsections");
    for section in &document.sections {
        write_section(&mut out, section, &document.blocks, 0, options);
    }
    let tables: Vec<&Block> = document
        .blocks
        .iter()
        .filter(|b| b.table.is_some())
        .collect();
    let _ = writeln!(out, "\ntables ({})", tables.len());
    for block in tables {
        let Some(table) = &block.table else { continue };
        let columns = table.rows.first().map_or(0, Vec::len);
        let caption = table
            .caption
            .as_ref()
            .and_then(|id| document.blocks.iter().find(|b| &b.id == id))
            .map(|b| format!("  caption: {}", shorten(&b.text, 40)))
            .unwrap_or_default();
        let first = table
            .rows
            .first()
            .map(|r| shorten(&r.join(" | "), 50))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  {:<6} {:>2} rows × {:<2} cols, {} header  {:<14} {}{caption}",
            block.id,
            table.rows.len(),
            columns,
            table.header_rows,
            place(block),
            first
        );
    }
    let flagged: Vec<&Block> = document
        .blocks
        .iter()
        .filter(|b| !b.quality.flags.is_empty())
        .collect();
    let _ = writeln!(out, "\nflagged passages ({} blocks)", flagged.len());
    for block in flagged {
        let _ = writeln!(
            out,
            "  {:<6} {:<14} score {:.2}  {}",
            block.id,
            place(block),
            block.quality.score,
            shorten(&block.text, 50)
        );
        for flag in &block.quality.flags {
            let span = shorten(&flag_excerpt(block, flag), 40);
            let cell = flag
                .cell
                .map(|[r, c]| format!(" cell [{r},{c}]"))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "         {:?} {}{cell}: \"{span}\" {}",
                flag.severity, flag.kind, flag.detail
            );
        }
    }
    out
}

/// The text a flag points at: its own `text`, or (for output JSON written before flags carried
/// it) the span of the cell it names or of the block text.
fn flag_excerpt(block: &Block, flag: &crate::document::Flag) -> String {
    if !flag.text.is_empty() || flag.start == flag.end {
        return flag.text.clone();
    }
    let source = match (flag.cell, &block.table) {
        (Some([r, c]), Some(table)) => table
            .rows
            .get(r)
            .and_then(|row| row.get(c))
            .map_or("", String::as_str),
        _ => block.text.as_str(),
    };
    source
        .get(flag.start..flag.end)
        .unwrap_or_default()
        .to_string()
}

/// The document score and every page whose verdict is not plain text (scans, unreadable text
/// layers, OCR layers, blank pages), one line each.
fn write_page_verdicts(out: &mut String, document: &Document) {
    let pages = &document.quality.pages;
    let odd: Vec<_> = pages
        .iter()
        .filter(|p| p.verdict != crate::document::PageVerdict::Text)
        .collect();
    let _ = writeln!(
        out,
        "quality: score {:.2}, {} of {} pages with text",
        document.quality.score,
        pages.len() - odd.len(),
        pages.len()
    );
    for page in odd {
        let verdict = serde_json::to_value(page.verdict)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  p.{:<4} {verdict}{}",
            page.page,
            if page.reocr { "  (worth OCR)" } else { "" }
        );
    }
}
