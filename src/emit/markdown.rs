//! `<name>.md`: the document as Markdown for people and for Markdown-first tools — the section
//! tree as headings at their level, paragraphs, list items with their markers, tables (pipe
//! tables, or HTML `<table>` with `rowspan`/`colspan` when a cell spans), captions, footnotes,
//! flagged passages marked with `<mark>` and a footnote-style note (kind, severity, detail,
//! repair), and `<!-- page N -->` comments where a new page starts.

use std::collections::HashSet;

use crate::document::{Block, BlockType, Document, Flag, Section, Severity, Table};

use super::{grid_cells, section_name};

/// The Markdown of `document`.
pub fn document_markdown(document: &Document) -> String {
    let mut writer = Writer {
        out: String::new(),
        notes: 0,
    };
    let order = preorder(&document.sections);
    let position: std::collections::HashMap<&str, usize> = order
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.as_str(), i))
        .collect();
    // Sections whose heading is written; the next one in preorder to write.
    let mut next_section = 0;
    let mut written_heading_of: HashSet<&str> = HashSet::new();
    let mut page = None;
    for block in &document.blocks {
        if block.kind == BlockType::Furniture {
            continue;
        }
        if let Some(index) = block.section.as_deref().and_then(|id| position.get(id)) {
            while next_section <= *index {
                writer.heading(order[next_section]);
                next_section += 1;
            }
        }
        if block.page.is_some() && block.page != page {
            page = block.page;
            if let Some(n) = page {
                writer.line(&format!("<!-- page {n} -->"));
                writer.blank();
            }
        }
        let section = block
            .section
            .as_deref()
            .and_then(|id| position.get(id))
            .map(|&i| order[i]);
        // The heading block that heads its section is the section heading already written.
        if block.kind == BlockType::Heading {
            if let Some(section) = section {
                if !written_heading_of.contains(section.id.as_str())
                    && heads_section(&block.text, section)
                {
                    written_heading_of.insert(section.id.as_str());
                    writer.notes_of(block);
                    continue;
                }
            }
        }
        writer.block(block, section.map(|s| s.level));
    }
    while next_section < order.len() {
        writer.heading(order[next_section]);
        next_section += 1;
    }
    let mut out = writer.out;
    while out.ends_with("\n\n") {
        out.pop();
    }
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// Sections in document order (a parent before its children).
fn preorder(sections: &[Section]) -> Vec<&Section> {
    fn walk<'a>(sections: &'a [Section], out: &mut Vec<&'a Section>) {
        for section in sections {
            out.push(section);
            walk(&section.children, out);
        }
    }
    let mut out = Vec::new();
    walk(sections, &mut out);
    out
}

/// Letters and digits only: `[발제1] 자치구별 …` and `발제1 자치구별 …` compare equal.
fn letters(text: &str) -> String {
    text.chars().filter(|c| c.is_alphanumeric()).collect()
}

/// True when a heading block's text is the section's own heading (its label and title, its
/// title, or its label).
fn heads_section(text: &str, section: &Section) -> bool {
    let text = letters(text);
    !text.is_empty()
        && [
            Some(section_name(section)),
            section.title.clone(),
            section.label.clone(),
        ]
        .into_iter()
        .flatten()
        .any(|name| letters(&name) == text)
}

struct Writer {
    out: String,
    /// Flag notes written so far (their numbers are global to the document).
    notes: usize,
}

impl Writer {
    fn line(&mut self, text: &str) {
        self.out.push_str(text);
        self.out.push('\n');
    }

    fn blank(&mut self) {
        self.out.push('\n');
    }

    /// `## 발제1 자치구별 …` at the section's level; untitled sections have no heading.
    fn heading(&mut self, section: &Section) {
        if section.label.is_none() && section.title.is_none() {
            return;
        }
        let level = usize::from(section.level.clamp(1, 6));
        let text = one_line(&section_name(section));
        self.line(&format!("{} {}", "#".repeat(level), escape_inline(&text)));
        self.blank();
    }

    fn block(&mut self, block: &Block, section_level: Option<u8>) {
        let flags = &block.quality.flags;
        match block.kind {
            BlockType::Furniture => return,
            BlockType::Table => {
                if let Some(table) = &block.table {
                    let refs = self.table(table, flags);
                    self.flag_notes(refs, flags);
                    return;
                }
            }
            BlockType::Figure => {
                if let Some(figure) = &block.figure {
                    let fence = if figure.source.contains("```") {
                        "~~~~"
                    } else {
                        "```"
                    };
                    let language = figure.language.as_deref().unwrap_or("");
                    self.line(&format!("{fence}{language}"));
                    self.line(figure.source.trim_end_matches('\n'));
                    self.line(fence);
                    self.blank();
                    let refs = self.unplaced_refs(flags);
                    self.flag_notes(refs, flags);
                    return;
                }
            }
            _ => {}
        }
        let (body, refs) = self.marked_text(&block.text, flags);
        let text = match block.kind {
            BlockType::Title => format!("# {body}"),
            BlockType::Heading => {
                let level = section_level.unwrap_or(0) + block.level.unwrap_or(1);
                format!("{} {body}", "#".repeat(usize::from(level.clamp(1, 6))))
            }
            BlockType::ListItem | BlockType::TocEntry => {
                let depth = usize::from(block.level.unwrap_or(1).max(1) - 1);
                let marker = match block.marker.as_deref() {
                    None | Some("-") | Some("*") | Some("•") | Some("·") => String::new(),
                    Some(other) => format!("{} ", escape_inline(other)),
                };
                let body = if marker.is_empty() {
                    escape_line_start(&body)
                } else {
                    body
                };
                format!("{}- {marker}{body}", "  ".repeat(depth))
            }
            BlockType::Caption => format!("*{body}*"),
            BlockType::Byline => format!("_{body}_"),
            BlockType::Footnote => match block.marker.as_deref() {
                Some(marker) => format!("<sup>{}</sup> {body}", escape_html(marker)),
                None => escape_line_start(&body),
            },
            _ => escape_line_start(&body),
        };
        self.line(&text);
        self.blank();
        self.flag_notes(refs, flags);
    }

    /// Notes for the flags of a block that is not written (the section's own heading block).
    fn notes_of(&mut self, block: &Block) {
        let refs = self.unplaced_refs(&block.quality.flags);
        self.flag_notes(refs, &block.quality.flags);
    }

    /// Numbers for flags that are not placed in the text.
    fn unplaced_refs(&mut self, flags: &[Flag]) -> Vec<usize> {
        flags.iter().map(|_| self.next_note()).collect()
    }

    fn next_note(&mut self) -> usize {
        self.notes += 1;
        self.notes
    }

    /// The block text on one line, escaped, with every flagged span that does not overlap an
    /// earlier one in `<mark>` followed by its note reference; references of the other flags
    /// follow the text. Returns the text (not escaped at its start: see
    /// [`escape_line_start`]) and each flag's note number.
    fn marked_text(&mut self, text: &str, flags: &[Flag]) -> (String, Vec<usize>) {
        let mut order: Vec<usize> = (0..flags.len()).collect();
        order.sort_by_key(|&i| (flags[i].start, flags[i].end));
        let mut refs = vec![0; flags.len()];
        for &i in &order {
            refs[i] = self.next_note();
        }
        let mut out = String::new();
        let mut at = 0;
        let mut trailing = Vec::new();
        for &i in &order {
            let flag = &flags[i];
            let placeable = flag.cell.is_none()
                && flag.start >= at
                && flag.start < flag.end
                && flag.end <= text.len()
                && text.is_char_boundary(flag.start)
                && text.is_char_boundary(flag.end);
            if !placeable {
                trailing.push(refs[i]);
                continue;
            }
            out.push_str(&escape_inline(&one_line(&text[at..flag.start])));
            out.push_str("<mark>");
            out.push_str(&escape_inline(&one_line(&text[flag.start..flag.end])));
            out.push_str(&format!("</mark>[^flag-{}]", refs[i]));
            at = flag.end;
        }
        out.push_str(&escape_inline(&one_line(&text[at..])));
        for number in trailing {
            out.push_str(&format!("[^flag-{number}]"));
        }
        (out, refs)
    }

    /// One note per flag: `[^flag-3]: **warning** `illegible` — detail (repair: …)`.
    fn flag_notes(&mut self, refs: Vec<usize>, flags: &[Flag]) {
        if flags.is_empty() {
            return;
        }
        let mut notes: Vec<(&usize, &Flag)> = refs.iter().zip(flags).collect();
        notes.sort_by_key(|(number, _)| **number);
        for (number, flag) in notes {
            let cell = flag
                .cell
                .map(|[r, c]| format!(" (row {}, column {})", r + 1, c + 1))
                .unwrap_or_default();
            let repair = flag
                .repair
                .as_deref()
                .map(|r| format!(" — repair: {}", escape_inline(&one_line(r))))
                .unwrap_or_default();
            self.line(&format!(
                "[^flag-{number}]: **{}** `{}`{cell}: {}{repair}",
                severity_name(flag.severity),
                flag.kind,
                escape_inline(&one_line(&flag.detail)),
            ));
        }
        self.blank();
    }

    /// Writes the table (pipe table, or HTML when a cell spans or the header is not one row);
    /// cells holding a flag get its note reference. Returns each flag's note number.
    fn table(&mut self, table: &Table, flags: &[Flag]) -> Vec<usize> {
        let refs: Vec<usize> = flags.iter().map(|_| self.next_note()).collect();
        let cells = grid_cells(table);
        let refs_of = |row: usize, col: usize| -> String {
            flags
                .iter()
                .zip(&refs)
                .filter(|(f, _)| f.cell == Some([row, col]))
                .map(|(_, n)| format!("[^flag-{n}]"))
                .collect()
        };
        let spans = cells.iter().any(|c| c.row_span > 1 || c.col_span > 1);
        let columns = table.rows.iter().map(Vec::len).max().unwrap_or(0);
        if spans || table.header_rows > 1 || columns == 0 {
            self.line("<table>");
            for row in 0..table.rows.len() {
                self.out.push_str("<tr>");
                for cell in cells.iter().filter(|c| c.row == row) {
                    let tag = if cell.header || row < table.header_rows {
                        "th"
                    } else {
                        "td"
                    };
                    let mut attributes = String::new();
                    if cell.row_span > 1 {
                        attributes.push_str(&format!(" rowspan=\"{}\"", cell.row_span));
                    }
                    if cell.col_span > 1 {
                        attributes.push_str(&format!(" colspan=\"{}\"", cell.col_span));
                    }
                    self.out.push_str(&format!(
                        "<{tag}{attributes}>{}{}</{tag}>",
                        escape_html(&cell.text).replace('\n', "<br>"),
                        refs_of(cell.row, cell.col)
                    ));
                }
                self.out.push_str("</tr>\n");
            }
            self.line("</table>");
        } else {
            let cell_text = |row: usize, col: usize| -> String {
                let text = table
                    .rows
                    .get(row)
                    .and_then(|r| r.get(col))
                    .map(String::as_str)
                    .unwrap_or("");
                format!("{}{}", escape_cell(text), refs_of(row, col))
            };
            let row_line = |row: Option<usize>| -> String {
                let fields: Vec<String> = (0..columns)
                    .map(|col| row.map(|r| cell_text(r, col)).unwrap_or_default())
                    .collect();
                format!("| {} |", fields.join(" | "))
            };
            // A table without a header row gets an empty one: pipe tables need a header.
            let (header, body_from) = if table.header_rows == 1 {
                (row_line(Some(0)), 1)
            } else {
                (row_line(None), 0)
            };
            self.line(&header);
            self.line(&format!("|{}", " --- |".repeat(columns)));
            for row in body_from..table.rows.len() {
                let line = row_line(Some(row));
                self.line(&line);
            }
        }
        self.blank();
        refs
    }
}

/// `info`, `warning`, `error`: the names the JSON uses.
pub fn severity_name(severity: Severity) -> &'static str {
    match severity {
        Severity::Info => "info",
        Severity::Warning => "warning",
        Severity::Error => "error",
    }
}

/// Line breaks inside a block become spaces: a block is one Markdown paragraph.
fn one_line(text: &str) -> String {
    text.replace(['\r', '\n'], " ")
}

/// Backslash-escapes the characters that would start Markdown inline syntax.
fn escape_inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '*' | '_' | '`' | '[' | ']' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            _ => out.push(c),
        }
    }
    out
}

/// A paragraph starting like a heading, quote, list or rule is escaped to stay a paragraph.
fn escape_line_start(text: &str) -> String {
    let starts_block = text.starts_with(['#', '>', '-', '+', '=', '|'])
        || text
            .split_once(['.', ')'])
            .is_some_and(|(n, _)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    if !starts_block {
        return text.to_string();
    }
    if text.starts_with(['#', '>', '-', '+', '=', '|']) {
        return format!("\\{text}");
    }
    // `1. …` or `1) …`: escape the punctuation after the number.
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    format!("{}\\{}", &text[..digits], &text[digits..])
}

fn escape_cell(text: &str) -> String {
    escape_inline(text)
        .replace('|', "\\|")
        .replace("\r\n", "<br>")
        .replace('\n', "<br>")
}

fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::TableCell;

    fn table_block(table: Table, flags: Vec<Flag>) -> Block {
        let mut block = super::super::tests::block("b2", Some("s2"), "", Some(table));
        block.quality.flags = flags;
        block
    }

    fn flag(kind: &str, start: usize, end: usize, cell: Option<[usize; 2]>) -> Flag {
        Flag {
            kind: kind.into(),
            start,
            end,
            cell,
            detail: "detail".into(),
            severity: Severity::Warning,
            repair: None,
            ..Flag::default()
        }
    }

    #[test]
    fn section_titles_are_headings_at_their_level_and_tables_pipe_tables() {
        let markdown = document_markdown(&super::super::tests::sample());
        assert!(
            markdown.contains("# 발제1 마포구 사회적경제 생태계\n"),
            "{markdown}"
        );
        assert!(markdown.contains("\n## 1.\n"), "{markdown}");
        assert!(
            markdown.contains("| 구분 | 참여 기관 | 참여 인원 |\n| --- | --- | --- |\n"),
            "{markdown}"
        );
        assert!(markdown.contains("| 서남권 | 금천, 관악 \"센터\" | 30명 |"));
        assert!(markdown.contains("<!-- page 1 -->"));
    }

    /// The sample booklet's 2020 centre table: 생태계사업단 spans three columns of the
    /// header, 통합지원센터 six.
    #[test]
    fn a_table_with_spans_is_html_with_rowspan_and_colspan() {
        let mut cells = vec![
            TableCell {
                row: 0,
                col: 0,
                row_span: 1,
                col_span: 3,
                text: "생태계사업단".into(),
                bbox: None,
                page: None,
                header: true,
                spaced_as: None,
            },
            TableCell {
                row: 0,
                col: 3,
                row_span: 2,
                col_span: 1,
                text: "통합지원센터".into(),
                bbox: None,
                page: None,
                header: true,
                spaced_as: None,
            },
        ];
        for (col, text) in ["1년차", "2년차", "3년차"].into_iter().enumerate() {
            cells.push(TableCell {
                row: 1,
                col,
                row_span: 1,
                col_span: 1,
                text: text.into(),
                bbox: None,
                page: None,
                header: true,
                spaced_as: None,
            });
        }
        for (col, text) in ["-", "강남구 서대문구 (직영)", "중구", "강서 & 종로"]
            .into_iter()
            .enumerate()
        {
            cells.push(TableCell {
                row: 2,
                col,
                row_span: 1,
                col_span: 1,
                text: text.into(),
                bbox: None,
                page: None,
                header: false,
                spaced_as: None,
            });
        }
        let table = Table {
            rows: vec![
                vec![
                    "생태계사업단".into(),
                    "".into(),
                    "".into(),
                    "통합지원센터".into(),
                ],
                vec!["1년차".into(), "2년차".into(), "3년차".into(), "".into()],
                vec![
                    "-".into(),
                    "강남구 서대문구 (직영)".into(),
                    "중구".into(),
                    "강서 & 종로".into(),
                ],
            ],
            header_rows: 2,
            caption: None,
            cells,
            pages: vec![3],
            repeated_headers: Vec::new(),
        };
        let mut document = super::super::tests::sample();
        document.blocks[1] = table_block(table, vec![flag("illegible", 0, 3, Some([2, 2]))]);
        let markdown = document_markdown(&document);
        assert!(
            markdown.contains(
                "<tr><th colspan=\"3\">생태계사업단</th><th rowspan=\"2\">통합지원센터</th></tr>"
            ),
            "{markdown}"
        );
        assert!(markdown.contains("<tr><th>1년차</th><th>2년차</th><th>3년차</th></tr>"));
        assert!(markdown.contains("<td>중구[^flag-1]</td><td>강서 &amp; 종로</td>"));
        assert!(markdown.contains("[^flag-1]: **warning** `illegible` (row 3, column 3): detail"));
        assert!(!markdown.contains("| --- |"));
    }

    #[test]
    fn flagged_spans_are_marked_and_noted() {
        let mut document = super::super::tests::sample();
        // A sample booklet line with an illegible run (the OCR's ▯ stand-ins).
        let text = "서울시 ▯▯▯ 사회적경제 지원센터";
        document.blocks[0].text = text.into();
        let start = text.find('▯').unwrap();
        let end = start + "▯▯▯".len();
        let mut illegible = flag("illegible", start, end, None);
        illegible.severity = Severity::Error;
        illegible.repair = Some("*고침*".into());
        document.blocks[0].quality.flags = vec![illegible, flag("spacing", 0, 100, None)];
        let markdown = document_markdown(&document);
        assert!(
            markdown.contains("서울시 <mark>▯▯▯</mark>[^flag-2] 사회적경제 지원센터[^flag-1]"),
            "{markdown}"
        );
        // Notes in number order: the span covering the whole text starts first.
        assert!(markdown.contains(
            "[^flag-1]: **warning** `spacing`: detail\n[^flag-2]: **error** `illegible`: detail — repair: \\*고침\\*\n"
        ), "{markdown}");
    }

    #[test]
    fn list_markers_are_kept_and_paragraph_starts_escaped() {
        let mut document = super::super::tests::sample();
        document.blocks[0].kind = BlockType::ListItem;
        document.blocks[0].marker = Some("■".into());
        document.blocks[0].text = "성과1. 24개 자치구 사회적경제 생태계 기반 조성".into();
        let mut numbered = super::super::tests::block("b3", Some("s2"), "1. 사업 개요", None);
        numbered.page = Some(2);
        document.blocks.push(numbered);
        let markdown = document_markdown(&document);
        assert!(markdown.contains("- ■ 성과1. 24개 자치구 사회적경제 생태계 기반 조성\n"));
        assert!(
            markdown.contains("<!-- page 2 -->\n\n1\\. 사업 개요\n"),
            "{markdown}"
        );
    }
}
