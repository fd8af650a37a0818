//! The Markdown path: Markdown that a conversion tool (marker, Azure Document Intelligence, a
//! person) wrote becomes pages of lines whose `SourceHint` says what the syntax said (heading
//! level, list marker, quote, code, footnote, figure, equation), and typed tables from pipe
//! tables and HTML `<table>` blocks. Every line keeps its 1-based source line number.
//!
//! Pages come from the page markers such tools write on a line of their own
//! ([`PAGE_MARKERS`]) and from form feeds; a text with none is one page.

use std::collections::HashSet;
use std::sync::LazyLock;

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};
use regex::Regex;

use crate::model::{
    Cell, ExtractedDocument, Format, HintKind, Line, LineSpan, Page, PageFacts, SourceHint,
    SpanKind, Table, TableOrigin,
};

/// What a page marker says about the page that starts or holds it.
#[derive(Debug, Clone, Copy)]
enum Marker {
    /// The page with this 1-based number starts after the marker.
    Starts { zero_based: bool },
    /// The next page starts after the marker.
    Break,
    /// The page the marker sits on has this printed number.
    Number,
}

/// Page markers, each alone on its line; the number (if any) is capture group 1.
static PAGE_MARKERS: LazyLock<Vec<(Regex, Marker)>> = LazyLock::new(|| {
    [
        // Generic: `<!-- page 3 -->`.
        (
            r"(?i)^[ \t]*<!--[ \t]*page[ \t]*(\d{1,6})[ \t]*-->[ \t]*$",
            Marker::Starts { zero_based: false },
        ),
        // marker's `--paginate_output`: `{2}------` before the third page (0-based index).
        (
            r"^[ \t]*\{(\d{1,6})\}-{3,}[ \t]*$",
            Marker::Starts { zero_based: true },
        ),
        // Azure Document Intelligence: `<!-- PageBreak -->` between pages.
        (r"^[ \t]*<!--[ \t]*PageBreak[ \t]*-->[ \t]*$", Marker::Break),
        // Azure Document Intelligence: `<!-- PageNumber="3" -->`, the printed page number.
        (
            r#"^[ \t]*<!--[ \t]*PageNumber[ \t]*=[ \t]*"[^"\d]*(\d{1,6})[^"]*"[ \t]*-->[ \t]*$"#,
            Marker::Number,
        ),
    ]
    .into_iter()
    .filter_map(|(pattern, marker)| Regex::new(pattern).ok().map(|r| (r, marker)))
    .collect()
});

/// The highest page number a marker may name: every page up to it is allocated, so a hostile
/// `<!-- page 999999 -->` must not cost gigabytes.
const MAX_PAGE: u32 = 100_000;

/// The form feed that separates pages in text that tools write.
const FORM_FEED: char = '\u{c}';

/// Reads Markdown `text` into pages of hinted lines and typed tables.
pub fn extract(text: &str) -> ExtractedDocument {
    let (copy, segments) = page_segments(text);
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_MATH
        | Options::ENABLE_STRIKETHROUGH;
    let events = Parser::new_ext(&copy, options).into_offset_iter();
    assemble(text, &copy, &segments, events, Format::Markdown)
}

/// Pages of hinted lines and typed tables from Markdown `events` over `copy` (the text as
/// `page_segments` made it; ranges are byte offsets into it and into `text`), paged by
/// `segments`. The HTML reader feeds its own events of the same kinds.
pub(super) fn assemble<'e>(
    text: &str,
    copy: &str,
    segments: &[(usize, u32)],
    events: impl Iterator<Item = (Event<'e>, std::ops::Range<usize>)>,
    format: Format,
) -> ExtractedDocument {
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(at, _)| at + 1))
        .collect();
    let page_starts: Vec<usize> = segments.iter().map(|s| s.0).collect();
    let mut builder = Builder::new(copy, &line_starts, &page_starts);
    for (event, range) in events {
        builder.event(event, range);
    }
    builder.flush();
    let items = builder.items;

    let page_of = |offset: usize| {
        let at = segments.partition_point(|s| s.0 <= offset);
        segments.get(at.saturating_sub(1)).map_or(1, |s| s.1)
    };
    let last = segments.iter().map(|s| s.1).max().unwrap_or(1).max(1);
    let mut pages: Vec<Page> = (1..=last)
        .map(|number| Page {
            number,
            facts: PageFacts {
                text_layer: true,
                ..PageFacts::default()
            },
            ..Page::default()
        })
        .collect();
    for item in items {
        let number = page_of(item.offset);
        let Some(page) = pages.get_mut(number as usize - 1) else {
            continue;
        };
        let mut line = item.line;
        line.page = number;
        if let Some(mut table) = item.table {
            table.page = number;
            for cell in &mut table.cells {
                cell.page = number;
                for cell_line in &mut cell.lines {
                    cell_line.page = number;
                    page.facts.glyphs += cell_line.text.chars().count();
                }
            }
            line.table = Some(page.tables.len() as u32);
            page.tables.push(table);
        }
        page.facts.glyphs += line.text.chars().count();
        page.lines.push(line);
    }
    ExtractedDocument { format, pages }
}

/// The text to parse (page marker lines blanked, form feeds made line breaks, byte offsets
/// unchanged) and where each page starts: `(byte offset, page number)`, sorted.
pub(super) fn page_segments(text: &str) -> (String, Vec<(usize, u32)>) {
    // (start offset, page the marker names, printed number found on the page)
    let mut raw: Vec<(usize, Option<u32>, Option<u32>)> = vec![(0, None, None)];
    let mut copy = String::with_capacity(text.len());
    let mut offset = 0;
    // The fence of the open code block: a marker inside one is code, not a page break.
    let mut fence: Option<(char, usize)> = None;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        fence = match (fence, fence_of(body)) {
            (None, Some(open)) => Some(open),
            // A closing fence: as long as the opening one, nothing after it.
            (Some((c, n)), Some((d, m)))
                if c == d && m >= n && body.trim().chars().all(|x| x == c) =>
            {
                None
            }
            (open, _) => open,
        };
        let in_code = fence.is_some();
        let found = PAGE_MARKERS
            .iter()
            .filter(|_| !in_code)
            .find_map(|(rule, marker)| {
                let captures = rule.captures(body)?;
                let number = captures.get(1).and_then(|m| m.as_str().parse::<u32>().ok());
                Some((*marker, number))
            });
        match found {
            Some((marker, number)) => {
                let next = offset + line.len();
                match marker {
                    Marker::Starts { zero_based } => {
                        let page = number.map(|n| if zero_based { n + 1 } else { n.max(1) });
                        raw.push((next, page, None));
                    }
                    Marker::Break => raw.push((next, None, None)),
                    Marker::Number => {
                        if let Some(last) = raw.last_mut() {
                            last.2 = last.2.or(number);
                        }
                    }
                }
                // The marker is not content: blank it, keeping every byte offset.
                copy.extend(body.chars().map(|_| ' ').take(body.len()));
                copy.push_str(&line[body.len()..]);
            }
            None => {
                for (at, c) in line.char_indices() {
                    if c == FORM_FEED {
                        raw.push((offset + at + 1, None, None));
                        copy.push('\n');
                    } else {
                        copy.push(c);
                    }
                }
            }
        }
        offset += line.len();
    }
    let mut segments = Vec::with_capacity(raw.len());
    let mut previous = 0u32;
    for (start, named, printed) in raw {
        let page = named.or(printed).unwrap_or(previous + 1).clamp(1, MAX_PAGE);
        segments.push((start, page));
        previous = page;
    }
    (copy, segments)
}

/// The fence character and length of a code fence line (```` ``` ````, `~~~~`), indented at
/// most three spaces.
fn fence_of(line: &str) -> Option<(char, usize)> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    let rest = &line[indent..];
    let c = rest.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let n = rest.chars().take_while(|&d| d == c).count();
    (indent <= 3 && n >= 3).then_some((c, n))
}

/// One piece of the document in reading order: a line, or a table's anchor line with the
/// table; `offset` is its byte offset in the source (for its page).
struct Item {
    line: Line,
    offset: usize,
    table: Option<Table>,
}

/// A pipe table being read: rows of cells, each cell its lines.
struct PipeTable {
    offset: usize,
    rows: Vec<Vec<Vec<Line>>>,
    head: bool,
    header_rows: u32,
}

/// Turns parser events into items, keeping what the syntax said about each line.
struct Builder<'a> {
    source: &'a str,
    line_starts: &'a [usize],
    /// Byte offsets where pages start: a soft break across one ends the line.
    page_starts: &'a [usize],
    items: Vec<Item>,
    text: String,
    spans: Vec<LineSpan>,
    /// Byte offset of the current line's first content.
    start: Option<usize>,
    new_paragraph: bool,
    heading: Option<u8>,
    /// The next number of each open list (`None`: a bullet list).
    lists: Vec<Option<u64>>,
    marker: Option<String>,
    quotes: u32,
    footnote: Option<String>,
    emphasis: Vec<usize>,
    image: Option<(String, usize)>,
    code: Option<(Option<String>, String, usize)>,
    table: Option<PipeTable>,
    /// An HTML block being read: its start offset and its end so far.
    html: Option<(usize, usize)>,
    /// An HTML `<table>` that spans several blocks: its start offset and end so far.
    html_table: Option<(usize, usize)>,
}

impl<'a> Builder<'a> {
    fn new(source: &'a str, line_starts: &'a [usize], page_starts: &'a [usize]) -> Builder<'a> {
        Builder {
            source,
            line_starts,
            page_starts,
            items: Vec::new(),
            text: String::new(),
            spans: Vec::new(),
            start: None,
            new_paragraph: true,
            heading: None,
            lists: Vec::new(),
            marker: None,
            quotes: 0,
            footnote: None,
            emphasis: Vec::new(),
            image: None,
            code: None,
            table: None,
            html: None,
            html_table: None,
        }
    }

    /// 1-based source line of a byte offset.
    fn line_of(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|&s| s <= offset).max(1)
    }

    fn event(&mut self, event: Event<'_>, range: std::ops::Range<usize>) {
        if let Some((start, end)) = self.html_table {
            let end = end.max(range.end);
            self.html_table = Some((start, end));
            if let Event::Html(_) | Event::InlineHtml(_) = event {
                let raw = self.source.get(start..end).unwrap_or("");
                if table_tags_balanced(raw) {
                    self.html_table = None;
                    self.push_html_table(start, raw);
                }
            }
            return;
        }
        match event {
            Event::Start(tag) => self.start_tag(tag, range.start),
            Event::End(tag) => self.end_tag(tag, range.end),
            Event::Text(text) => {
                if let Some((_, code, _)) = &mut self.code {
                    code.push_str(&text);
                } else if let Some((alt, _)) = &mut self.image {
                    alt.push_str(&text);
                } else {
                    self.append(&text, range.start);
                }
            }
            Event::Code(text) => self.append(&text, range.start),
            Event::InlineMath(text) => self.append(&format!("${text}$"), range.start),
            Event::DisplayMath(text) => {
                self.flush();
                self.push_special(text.trim(), HintKind::Equation, range.start);
            }
            Event::Html(text) => {
                if let Some((_, end)) = &mut self.html {
                    *end = (*end).max(range.end);
                } else {
                    self.inline_html(&text, range.start);
                }
            }
            Event::InlineHtml(text) => self.inline_html(&text, range.start),
            Event::FootnoteReference(label) => {
                let start = self.text.len();
                self.append(&label, range.start);
                self.spans.push(LineSpan {
                    start,
                    end: self.text.len(),
                    kind: SpanKind::Superscript,
                });
            }
            Event::SoftBreak => {
                let crosses_page = self.start.is_some_and(|start| {
                    self.page_starts.partition_point(|&p| p <= start)
                        != self.page_starts.partition_point(|&p| p <= range.end)
                });
                if crosses_page || self.plain_paragraph() {
                    self.flush();
                } else if self.image.is_none() && !self.text.is_empty() {
                    self.text.push(' ');
                }
            }
            Event::HardBreak => self.break_line(),
            Event::Rule => self.flush(),
            Event::TaskListMarker(_) => {}
        }
    }

    fn start_tag(&mut self, tag: Tag<'_>, offset: usize) {
        match tag {
            Tag::Paragraph => {
                self.flush();
                self.new_paragraph = true;
            }
            Tag::Heading { level, .. } => {
                self.flush();
                self.heading = Some(level as u8);
                self.new_paragraph = true;
            }
            Tag::BlockQuote(_) => {
                self.flush();
                self.quotes += 1;
            }
            Tag::CodeBlock(kind) => {
                self.flush();
                let language = match kind {
                    CodeBlockKind::Fenced(info) => info
                        .split_whitespace()
                        .next()
                        .map(|word| word.to_ascii_lowercase()),
                    CodeBlockKind::Indented => None,
                };
                self.code = Some((language, String::new(), offset));
            }
            Tag::HtmlBlock => {
                self.flush();
                self.html = Some((offset, offset));
            }
            Tag::List(first) => {
                self.flush();
                self.lists.push(first);
            }
            Tag::Item => {
                self.flush();
                self.marker = Some(match self.lists.last_mut() {
                    Some(Some(number)) => {
                        let marker = format!("{number}.");
                        *number += 1;
                        marker
                    }
                    _ => "-".to_string(),
                });
                self.new_paragraph = true;
            }
            Tag::FootnoteDefinition(label) => {
                self.flush();
                self.footnote = Some(label.to_string());
                self.new_paragraph = true;
            }
            Tag::Table(_) => {
                self.flush();
                self.table = Some(PipeTable {
                    offset,
                    rows: Vec::new(),
                    head: false,
                    header_rows: 0,
                });
            }
            Tag::TableHead => {
                if let Some(table) = &mut self.table {
                    table.head = true;
                    table.header_rows += 1;
                    table.rows.push(Vec::new());
                }
            }
            Tag::TableRow => {
                if let Some(table) = &mut self.table {
                    table.rows.push(Vec::new());
                }
            }
            Tag::TableCell => {
                if let Some(row) = self.table.as_mut().and_then(|t| t.rows.last_mut()) {
                    row.push(Vec::new());
                }
            }
            Tag::Emphasis | Tag::Strong => self.emphasis.push(self.text.len()),
            Tag::Image { .. } => self.image = Some((String::new(), offset)),
            _ => {}
        }
    }

    fn end_tag(&mut self, tag: TagEnd, end: usize) {
        match tag {
            TagEnd::Paragraph | TagEnd::Item | TagEnd::List(_) | TagEnd::TableCell => {
                self.flush();
                if matches!(tag, TagEnd::List(_)) {
                    self.lists.pop();
                }
            }
            TagEnd::Heading(_) => {
                self.flush();
                self.heading = None;
            }
            TagEnd::BlockQuote(_) => {
                self.flush();
                self.quotes = self.quotes.saturating_sub(1);
            }
            TagEnd::FootnoteDefinition => {
                self.flush();
                self.footnote = None;
            }
            TagEnd::CodeBlock => {
                if let Some((language, code, offset)) = self.code.take() {
                    self.push_special(code.trim_end(), HintKind::Code { language }, offset);
                }
            }
            TagEnd::HtmlBlock => {
                if let Some((start, last)) = self.html.take() {
                    let raw = self.source.get(start..last.max(end)).unwrap_or("");
                    self.html_block(start, raw);
                }
            }
            TagEnd::TableHead => {
                if let Some(table) = &mut self.table {
                    table.head = false;
                }
            }
            TagEnd::Table => {
                self.flush();
                if let Some(pipe) = self.table.take() {
                    let table = pipe_table(pipe.rows, pipe.header_rows);
                    self.push_table(table, pipe.offset);
                }
            }
            TagEnd::Emphasis | TagEnd::Strong => {
                if let Some(start) = self.emphasis.pop() {
                    if start < self.text.len() {
                        self.spans.push(LineSpan {
                            start,
                            end: self.text.len(),
                            kind: SpanKind::Emphasis,
                        });
                    }
                }
            }
            TagEnd::Image => {
                if let Some((alt, offset)) = self.image.take() {
                    self.break_line();
                    self.push_special(alt.trim(), HintKind::Figure, offset);
                }
            }
            _ => {}
        }
    }

    fn append(&mut self, text: &str, offset: usize) {
        if self.start.is_none() {
            self.start = Some(offset);
        }
        self.text.push_str(text);
    }

    /// `<br>` breaks the line; other inline tags are dropped.
    fn inline_html(&mut self, html: &str, offset: usize) {
        if html.trim_start().to_ascii_lowercase().starts_with("<br") {
            self.break_line();
        } else if !html.trim_start().starts_with('<') {
            self.append(html, offset);
        }
    }

    /// Whether the open block is a plain paragraph (no heading, list, quote, footnote, table or
    /// image): its soft breaks keep the source's lines, so the structure stage's rules see each
    /// line as on the text path (TOC lines, bylines, numbered headings); the lines are joined
    /// with a space, as CommonMark reads a soft break.
    fn plain_paragraph(&self) -> bool {
        self.heading.is_none()
            && self.lists.is_empty()
            && self.quotes == 0
            && self.footnote.is_none()
            && self.table.is_none()
            && self.image.is_none()
    }

    /// Ends the current line inside its block (a hard break): the next one continues it.
    fn break_line(&mut self) {
        self.flush();
    }

    /// The hint the open blocks give the current line.
    fn hint(&self, kind: Option<HintKind>) -> Option<Box<SourceHint>> {
        let kind = kind.unwrap_or_else(|| match (&self.footnote, self.quotes) {
            (Some(marker), _) => HintKind::Footnote {
                marker: marker.clone(),
            },
            (None, 0) => HintKind::Text,
            (None, _) => HintKind::Quote,
        });
        let hint = SourceHint {
            heading_level: self.heading,
            list_marker: self.marker.clone(),
            kind,
            ..SourceHint::default()
        };
        (hint != SourceHint::default()).then(|| Box::new(hint))
    }

    /// Ends the current line: into the open table cell, or as an item.
    fn flush(&mut self) {
        // Emphasis still open goes on at the start of the next line.
        for start in &mut self.emphasis {
            if *start < self.text.len() {
                self.spans.push(LineSpan {
                    start: *start,
                    end: self.text.len(),
                    kind: SpanKind::Emphasis,
                });
            }
            *start = 0;
        }
        let text = std::mem::take(&mut self.text);
        let spans = std::mem::take(&mut self.spans);
        let start = self.start.take();
        if text.trim().is_empty() {
            return;
        }
        let offset = start.unwrap_or(0);
        let line = Line {
            text,
            spans,
            source_line: Some(self.line_of(offset)),
            starts_paragraph: self.new_paragraph,
            // A soft or hard break is whitespace in Markdown (CommonMark), never inside a word.
            joins_previous_word: (!self.new_paragraph && self.table.is_none()).then_some(false),
            hint: if self.table.is_some() {
                None
            } else {
                self.hint(None)
            },
            ..Line::default()
        };
        if let Some(cell) = self
            .table
            .as_mut()
            .and_then(|t| t.rows.last_mut())
            .and_then(|row| row.last_mut())
        {
            cell.push(line);
        } else {
            self.items.push(Item {
                line,
                offset,
                table: None,
            });
        }
        self.new_paragraph = false;
        self.marker = None;
    }

    /// A line of its own kind (code, equation, figure) that is its own paragraph.
    fn push_special(&mut self, text: &str, kind: HintKind, offset: usize) {
        if text.is_empty() && kind != HintKind::Figure {
            return;
        }
        let line = Line {
            text: text.to_string(),
            source_line: Some(self.line_of(offset)),
            starts_paragraph: true,
            hint: self.hint(Some(kind)),
            ..Line::default()
        };
        self.items.push(Item {
            line,
            offset,
            table: None,
        });
        self.marker = None;
    }

    fn push_table(&mut self, mut table: Table, offset: usize) {
        let source_line = self.line_of(offset);
        for cell in &mut table.cells {
            for line in &mut cell.lines {
                line.source_line = line.source_line.or(Some(source_line));
            }
        }
        table.normalize_grid();
        if table.cells.is_empty() {
            return;
        }
        let line = Line {
            source_line: Some(source_line),
            starts_paragraph: true,
            ..Line::default()
        };
        self.items.push(Item {
            line,
            offset,
            table: Some(table),
        });
    }

    /// An HTML block: a `<table>` (maybe unfinished: read on until it closes) or text.
    fn html_block(&mut self, start: usize, raw: &str) {
        if raw.to_ascii_lowercase().contains("<table") {
            if table_tags_balanced(raw) {
                self.push_html_table(start, raw);
            } else {
                self.html_table = Some((start, start + raw.len()));
            }
            return;
        }
        let mut offset = start;
        for piece in raw.split_inclusive('\n') {
            let text = strip_tags(piece);
            if !text.trim().is_empty() {
                self.append(text.trim(), offset);
                self.new_paragraph = true;
                self.flush();
            }
            offset += piece.len();
        }
    }

    /// An HTML table, and its `<caption>` as a caption line after it (the structure stage
    /// gives a caption to the table just above it first).
    fn push_html_table(&mut self, start: usize, raw: &str) {
        let (table, caption) = html_table(raw);
        self.push_table(table, start);
        if let Some(caption) = caption {
            self.push_special(&caption, HintKind::Caption, start);
        }
    }
}

/// True when every `<table` in `html` has its `</table>`.
fn table_tags_balanced(html: &str) -> bool {
    let lower = html.to_ascii_lowercase();
    lower.matches("</table").count() >= lower.matches("<table").count()
}

/// A typed table from a pipe table's rows (the first `header_rows` rows are headers).
fn pipe_table(rows: Vec<Vec<Vec<Line>>>, header_rows: u32) -> Table {
    let mut cells = Vec::new();
    for (r, row) in rows.into_iter().enumerate() {
        for (c, lines) in row.into_iter().enumerate() {
            let mut cell = Cell::new(r as u32, c as u32, 1, lines);
            cell.header = (r as u32) < header_rows;
            cells.push(cell);
        }
    }
    Table {
        cells,
        header_rows: (header_rows > 0).then_some(header_rows),
        origin: TableOrigin::Markup,
        ..Table::default()
    }
}

/// `rowspan="2"` / `colspan=3` inside a cell's start tag.
static SPAN_ATTRIBUTE: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r#"(?i)\b(rowspan|colspan)\s*=\s*["']?\s*(\d{1,6})"#).ok());

/// The largest column span taken from HTML (the HTML standard's own limit).
const MAX_COL_SPAN: u32 = 1000;

/// A cell read from HTML before it is placed on the grid.
struct HtmlCell {
    header: bool,
    row_span: u32,
    col_span: u32,
    text: String,
}

/// A typed table from an HTML `<table>`: a tolerant scan of `<tr>`, `<td>`, `<th>` and
/// `<br>`, spans placed on the grid the way browsers place them; and the text of its
/// `<caption>`, if any.
fn html_table(html: &str) -> (Table, Option<String>) {
    let mut rows: Vec<Vec<HtmlCell>> = Vec::new();
    let mut in_cell = false;
    let mut caption: Option<String> = None;
    let mut in_caption = false;
    let mut rest = html;
    while !rest.is_empty() {
        let (text, tag, after) = match rest.find('<') {
            Some(at) => {
                let close = rest[at..].find('>').map_or(rest.len(), |e| at + e + 1);
                (&rest[..at], &rest[at..close], &rest[close..])
            }
            None => (rest, "", ""),
        };
        if in_caption {
            caption
                .get_or_insert_with(String::new)
                .push_str(&decode_entities(text));
        } else if in_cell {
            if let Some(cell) = rows.last_mut().and_then(|r| r.last_mut()) {
                cell.text.push_str(&decode_entities(text));
            }
        }
        rest = after;
        let name: String = tag
            .trim_start_matches('<')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '/')
            .collect::<String>()
            .to_ascii_lowercase();
        match name.as_str() {
            "tr" => {
                rows.push(Vec::new());
                in_cell = false;
            }
            "td" | "th" => {
                if rows.is_empty() {
                    rows.push(Vec::new());
                }
                let mut cell = HtmlCell {
                    header: name == "th",
                    row_span: 1,
                    col_span: 1,
                    text: String::new(),
                };
                if let Some(rule) = SPAN_ATTRIBUTE.as_ref() {
                    for captures in rule.captures_iter(tag) {
                        let value = captures[2].parse::<u32>().unwrap_or(1).max(1);
                        if captures[1].eq_ignore_ascii_case("rowspan") {
                            cell.row_span = value;
                        } else {
                            cell.col_span = value.min(MAX_COL_SPAN);
                        }
                    }
                }
                if let Some(row) = rows.last_mut() {
                    row.push(cell);
                }
                in_cell = true;
            }
            "caption" => in_caption = true,
            "/caption" => in_caption = false,
            "/td" | "/th" | "/tr" | "/table" => in_cell = false,
            "br" | "p" | "/p" | "div" | "/div" | "li" => {
                if let Some(cell) = rows.last_mut().and_then(|r| r.last_mut()) {
                    cell.text.push('\n');
                }
            }
            _ => {}
        }
    }
    rows.retain(|r| !r.is_empty());
    let row_count = rows.len() as u32;
    let header_rows = rows
        .iter()
        .take_while(|r| r.iter().all(|c| c.header))
        .count() as u32;
    let mut taken: HashSet<(u32, u32)> = HashSet::new();
    let mut cells = Vec::new();
    for (r, row) in rows.into_iter().enumerate() {
        let r = r as u32;
        let mut c = 0u32;
        for raw in row {
            while taken.contains(&(r, c)) {
                c += 1;
            }
            // A row span past the last row is clipped to it, as browsers do.
            let row_span = raw.row_span.min(row_count - r).max(1);
            for dr in 1..row_span {
                for dc in 0..raw.col_span {
                    taken.insert((r + dr, c + dc));
                }
            }
            let lines = raw
                .text
                .split('\n')
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(|t| Line {
                    text: t.to_string(),
                    ..Line::default()
                })
                .collect();
            let mut cell = Cell::new(r, c, 1, lines);
            cell.row_span = row_span;
            cell.col_span = raw.col_span;
            cell.header = raw.header;
            cells.push(cell);
            c += raw.col_span;
        }
    }
    let table = Table {
        cells,
        header_rows: (header_rows > 0).then_some(header_rows),
        origin: TableOrigin::Markup,
        ..Table::default()
    };
    let caption = caption
        .map(|c| c.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|c| !c.is_empty());
    (table, caption)
}

/// The HTML entities conversion tools write in table cells.
const ENTITIES: &[(&str, &str)] = &[
    ("&nbsp;", " "),
    ("&lt;", "<"),
    ("&gt;", ">"),
    ("&quot;", "\""),
    ("&#39;", "'"),
    // Last, so `&amp;lt;` stays `&lt;`.
    ("&amp;", "&"),
];

pub(super) fn decode_entities(text: &str) -> String {
    let text = text.replace(['\n', '\r'], " ");
    ENTITIES
        .iter()
        .fold(text, |text, (entity, plain)| text.replace(entity, plain))
}

/// Text of an HTML fragment without its tags.
fn strip_tags(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        out.push_str(&rest[..at]);
        rest = rest[at..].find('>').map_or("", |e| &rest[at + e + 1..]);
    }
    out.push_str(rest);
    decode_entities(&out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(document: &ExtractedDocument) -> Vec<&Line> {
        document.pages.iter().flat_map(|p| &p.lines).collect()
    }

    #[test]
    fn headings_keep_their_level_and_lose_the_hashes() {
        let text = "# 2020년 서울시 사회적경제 생태계 구축 성과 포럼\n\n## [발제1] 서울시 사회적경제 정책 성과\n\n토론 1\n------\n";
        let document = extract(text);
        let lines = lines(&document);
        let levels: Vec<_> = lines
            .iter()
            .map(|l| {
                (
                    l.text.as_str(),
                    l.hint.as_ref().and_then(|h| h.heading_level),
                )
            })
            .collect();
        assert_eq!(
            levels,
            [
                ("2020년 서울시 사회적경제 생태계 구축 성과 포럼", Some(1)),
                ("[발제1] 서울시 사회적경제 정책 성과", Some(2)),
                ("토론 1", Some(2)),
            ]
        );
        assert_eq!(
            lines.iter().map(|l| l.source_line).collect::<Vec<_>>(),
            [Some(1), Some(3), Some(5)]
        );
    }

    #[test]
    fn paragraphs_keep_their_lines_and_emphasis_as_spans() {
        // Sample lines 90-91 and 1496-1497 (bold over a line break).
        let text = "자치구 사회적경제 생태계 권역별로 진행한\n**사전포럼** 과정을 통해\n\n**도봉구\n민선5기**\n\n- 목록의\n이어진 줄";
        let document = extract(text);
        let lines = lines(&document);
        let texts: Vec<_> = lines
            .iter()
            .map(|l| (l.text.as_str(), l.starts_paragraph))
            .collect();
        assert_eq!(
            texts,
            [
                ("자치구 사회적경제 생태계 권역별로 진행한", true),
                ("사전포럼 과정을 통해", false),
                ("도봉구", true),
                ("민선5기", false),
                ("목록의 이어진 줄", true),
            ]
        );
        assert_eq!(lines[1].joins_previous_word, Some(false));
        assert_eq!(lines[0].joins_previous_word, None);
        let span = &lines[1].spans[0];
        assert_eq!(span.kind, SpanKind::Emphasis);
        assert_eq!(&lines[1].text[span.start..span.end], "사전포럼");
        assert!(lines[0].hint.is_none());
        // Emphasis open across the break covers both lines.
        assert_eq!((lines[2].spans[0].start, lines[2].spans[0].end), (0, 9));
        assert_eq!((lines[3].spans[0].start, lines[3].spans[0].end), (0, 10));
        assert_eq!(
            lines[4]
                .hint
                .as_ref()
                .and_then(|h| h.list_marker.as_deref()),
            Some("-")
        );
    }

    #[test]
    fn a_page_marker_inside_a_code_fence_is_code() {
        let text = "앞\n\n```\n<!-- page 5 -->\n{7}------\n```\n\n~~~~\n```\n<!-- page 9 -->\n~~~~\n\n뒤\n";
        let document = extract(text);
        assert_eq!(document.pages.len(), 1);
        let lines = lines(&document);
        assert_eq!(lines[1].text, "<!-- page 5 -->\n{7}------");
        assert_eq!(lines[2].text, "```\n<!-- page 9 -->");
        assert_eq!(lines[3].text, "뒤");
        // Outside the fence it still starts a page.
        assert_eq!(extract("```\na\n```\n<!-- page 5 -->\nb\n").pages.len(), 5);
    }

    #[test]
    fn an_html_caption_is_a_caption_line_after_its_table() {
        let text = "<table><caption>사업주체별 역할</caption>\n<tr><th>주체</th><th>추진사항</th></tr>\n<tr><td>서울시</td><td>지역특화사업 기본계획 수립</td></tr>\n</table>\n";
        let document = extract(text);
        let page = &document.pages[0];
        assert_eq!((page.tables[0].rows, page.tables[0].cols), (2, 2));
        assert_eq!(page.tables[0].cells[0].text(), "주체");
        assert_eq!(page.lines.len(), 2);
        assert_eq!(page.lines[0].table, Some(0));
        assert_eq!(page.lines[1].text, "사업주체별 역할");
        assert_eq!(
            page.lines[1].hint.as_ref().map(|h| h.kind.clone()),
            Some(HintKind::Caption)
        );
    }

    #[test]
    fn lists_quotes_code_images_footnotes_and_math() {
        let text = "- 사회적기업\n- 협동조합\n\n1. 첫째\n2. 둘째\n\n> 인용문\n\n```mermaid\ngraph TD\nA-->B\n```\n\n![조직도](org.png)\n\n본문[^1] $x+1$\n\n$$\nE=mc^2\n$$\n\n[^1]: 각주 내용\n";
        let document = extract(text);
        let lines = lines(&document);
        let hint = |i: usize| lines[i].hint.as_deref().cloned().unwrap_or_default();
        assert_eq!(lines[0].text, "사회적기업");
        assert_eq!(hint(0).list_marker.as_deref(), Some("-"));
        assert_eq!(hint(3).list_marker.as_deref(), Some("2."));
        assert_eq!(hint(4).kind, HintKind::Quote);
        assert_eq!(
            hint(5).kind,
            HintKind::Code {
                language: Some("mermaid".into())
            }
        );
        assert_eq!(lines[5].text, "graph TD\nA-->B");
        assert_eq!(
            (lines[6].text.as_str(), hint(6).kind),
            ("조직도", HintKind::Figure)
        );
        assert_eq!(lines[7].text, "본문1 $x+1$");
        assert_eq!(lines[8].text, "E=mc^2");
        assert_eq!(hint(8).kind, HintKind::Equation);
        assert_eq!(lines[9].text, "각주 내용");
        assert_eq!(hint(9).kind, HintKind::Footnote { marker: "1".into() });
    }

    #[test]
    fn pipe_table_has_a_header_row() {
        let text = "| 구분 | 2019 | 2020 |\n|---|---:|---:|\n| 사회적기업 | 10 | 12 |\n";
        let document = extract(text);
        let page = &document.pages[0];
        assert_eq!(page.lines[0].table, Some(0));
        assert_eq!(page.lines[0].text, "");
        let table = &page.tables[0];
        assert_eq!((table.rows, table.cols), (2, 3));
        assert_eq!(table.header_rows, Some(1));
        assert_eq!(table.origin, TableOrigin::Markup);
        assert!(table.cells[0].header && !table.cells[3].header);
        assert_eq!(table.cells[3].text(), "사회적기업");
    }

    #[test]
    fn html_table_places_row_and_column_spans() {
        let text = "<table>\n<tr><th rowspan=\"2\">구분</th><th colspan=2>연도</th></tr>\n<tr><th>2019</th><th>2020</th></tr>\n<tr><td>기업&amp;조합</td><td>10<br>(추정)</td><td>12</td></tr>\n</table>\n";
        let document = extract(text);
        let table = &document.pages[0].tables[0];
        assert_eq!((table.rows, table.cols), (3, 3));
        assert_eq!(table.header_rows, Some(2));
        let spans: Vec<_> = table
            .cells
            .iter()
            .map(|c| (c.row, c.col, c.row_span, c.col_span))
            .collect();
        assert_eq!(
            spans,
            [
                (0, 0, 2, 1),
                (0, 1, 1, 2),
                (1, 1, 1, 1),
                (1, 2, 1, 1),
                (2, 0, 1, 1),
                (2, 1, 1, 1),
                (2, 2, 1, 1)
            ]
        );
        assert_eq!(table.cells[4].text(), "기업&조합");
        assert_eq!(table.cells[5].text(), "10\n(추정)");
    }

    #[test]
    fn page_markers_give_pages() {
        let text = "첫 쪽\n\n<!-- page 3 -->\n\n셋째 쪽\n\n{4}------\n\n다섯째 쪽\u{c}여섯째 쪽\n";
        let document = extract(text);
        let pages: Vec<_> = lines(&document)
            .iter()
            .map(|l| (l.text.as_str(), l.page))
            .collect();
        assert_eq!(
            pages,
            [
                ("첫 쪽", 1),
                ("셋째 쪽", 3),
                ("다섯째 쪽", 5),
                ("여섯째 쪽", 6)
            ]
        );
        assert_eq!(document.pages.len(), 6);
        let hostile = extract("<!-- page 999999 -->\n끝\n");
        assert_eq!(hostile.pages.len(), MAX_PAGE as usize);
        let azure = "앞\n<!-- PageNumber=\"7\" -->\n<!-- PageBreak -->\n뒤\n";
        let pages: Vec<_> = lines(&extract(azure)).iter().map(|l| l.page).collect();
        assert_eq!(pages, [7, 8]);
    }
}
