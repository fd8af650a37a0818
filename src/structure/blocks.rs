//! Lines into typed blocks: headings with levels, paragraphs (hard-wrapped lines joined),
//! list items with their markers, footnotes, captions, bylines, tables, fenced figures,
//! table-of-contents entries, and furniture (running headers, footers, page numbers), each
//! remembering the lines it came from. Section markers found here are passed on to
//! `sections`, which builds the tree.

use crate::document::{BlockType, Figure, SectionKind, Speaker, Table};
use crate::model::{self, HintKind, Line, LineRole, SourceHint, SpanKind, TableOrigin};

use super::rules::CapturesIfMatch;
use super::rules::{
    CAPTION, CAPTION_LABEL_MAX_CHARS, DANGLING_END, FENCE, FOOTNOTE, HEADING_MAX_CHARS,
    HEADING_RULES, INNER_MARKER, LATIN_O_BULLET, LIST_BULLET, MERMAID_LABEL, MERMAID_START,
    PAGE_NUMBER, SECTION_RULES, SENTENCE_END, SENTENCE_GOES_ON, SPEAKER_NAME_ROLE,
    SUPERSCRIPT_DIGITS, TOC_HEADING, TOC_NUMBERING, UNNUMBERED_HEADING_LEVEL,
};
use super::text::{prepare_line, TextBuilder, WordJoin};
use super::{speakers, tables, toc};

/// A section marker found on a heading line (`[발제1] …`, `부록1. …`, `<1차> …`).
#[derive(Debug, Clone, PartialEq)]
pub struct SectionMark {
    pub kind: SectionKind,
    pub label: String,
    pub title: String,
}

/// A block before it gets an id and a section.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    pub kind: BlockType,
    pub text: String,
    pub level: Option<u8>,
    pub marker: Option<String>,
    /// Indices into the document's flat line list, in order.
    pub lines: Vec<usize>,
    pub emphasis: Vec<[usize; 2]>,
    pub table: Option<Table>,
    pub figure: Option<Figure>,
    pub speaker: Option<Speaker>,
    pub mark: Option<SectionMark>,
    pub toc: Vec<toc::TocItem>,
    /// Furniture: the printed page number the line shows.
    pub page_number: Option<u32>,
    /// The first and last source line when the lines' own are not the block's (a table's
    /// come from its cells).
    pub source_lines: Option<[usize; 2]>,
}

impl Draft {
    pub(crate) fn new(kind: BlockType, text: String, lines: Vec<usize>) -> Draft {
        Draft {
            kind,
            text,
            level: None,
            marker: None,
            lines,
            emphasis: Vec::new(),
            table: None,
            figure: None,
            speaker: None,
            mark: None,
            toc: Vec::new(),
            page_number: None,
            source_lines: None,
        }
    }

    pub fn first_line(&self) -> usize {
        self.lines.first().copied().unwrap_or(0)
    }
}

/// Heading levels from font sizes (PDF path): the body size and the larger sizes in use.
#[derive(Debug, Clone, Default)]
pub struct FontLevels {
    pub body: Option<f32>,
    /// Heading sizes, largest first; a line's level is its size's position + 1.
    pub sizes: Vec<f32>,
}

/// A heading line this many points larger than the next line of its paragraph heads the
/// bullets below it instead of being one of them.
const LARGER_THAN_BULLETS_PT: f32 = 0.5;
/// A numbered line this long that stops on a particle is a sentence's start even when the
/// layout put the rest in another paragraph (kwater_rfp.pdf: `가. 입찰참가자는 효율적인 업무
/// 수행이 가능하도록 세부 추진계획 및 추진방법 등을`).
const DANGLING_HEADING_MIN_CHARS: usize = 25;
/// A numbered title this long that ends a sentence is a list item.
const SENTENCE_HEADING_MIN_CHARS: usize = 40;
/// A line is a heading by size when it is at least this much larger than the body text.
const HEADING_SIZE_RATIO: f32 = 1.15;
/// A line set in a larger size is a heading only when it is this short.
const SIZE_HEADING_MAX_CHARS: usize = 80;

impl FontLevels {
    pub fn from_lines(lines: &[&Line]) -> FontLevels {
        let mut sized: Vec<(f32, usize)> = lines
            .iter()
            .filter(|l| l.role == LineRole::Body && l.table.is_none())
            .filter_map(|l| l.font_size.map(|s| (s, l.text.chars().count())))
            .filter(|(s, _)| s.is_finite() && *s > 0.0)
            .collect();
        if sized.is_empty() {
            return FontLevels::default();
        }
        sized.sort_by(|a, b| a.0.total_cmp(&b.0));
        let total: usize = sized.iter().map(|(_, n)| n).sum();
        let mut acc = 0;
        let mut body = sized[0].0;
        for (s, n) in &sized {
            acc += n;
            if acc * 2 >= total {
                body = *s;
                break;
            }
        }
        let mut sizes: Vec<f32> = lines
            .iter()
            .filter(|l| l.role == LineRole::Body && l.table.is_none())
            .filter(|l| l.text.trim().chars().count() <= SIZE_HEADING_MAX_CHARS)
            .filter_map(|l| l.font_size)
            .filter(|s| *s >= body * HEADING_SIZE_RATIO)
            .map(|s| (s * 2.0).round() / 2.0)
            .collect();
        sizes.sort_by(|a, b| b.total_cmp(a));
        sizes.dedup();
        FontLevels {
            body: Some(body),
            sizes,
        }
    }

    /// The heading level of a line by its size, if it is set larger than the body.
    pub fn level_of(&self, line: &Line) -> Option<u8> {
        let body = self.body?;
        let size = line.font_size?;
        if size < body * HEADING_SIZE_RATIO
            || line.text.trim().chars().count() > SIZE_HEADING_MAX_CHARS
        {
            return None;
        }
        let rounded = (size * 2.0).round() / 2.0;
        let index = self.sizes.iter().position(|s| *s <= rounded).unwrap_or(0);
        Some((index as u8 + 1).min(4))
    }

    /// The level for a short line set entirely in bold at body size.
    pub fn bold_level(&self) -> u8 {
        (self.sizes.len() as u8 + 1).clamp(2, 5)
    }
}

fn chars(text: &str) -> usize {
    text.trim().chars().count()
}

fn is_hangul(c: char) -> bool {
    ('\u{AC00}'..='\u{D7A3}').contains(&c)
}

/// What one line is, judged on its own.
#[derive(Debug, Clone, PartialEq)]
enum LineClass {
    Section(SectionMark),
    Byline(Speaker),
    Caption(String),
    Heading {
        level: u8,
        label: Option<String>,
        rest: String,
        ordinal: bool,
        symbol: bool,
    },
    Bullet {
        marker: String,
        rest: String,
        nested: bool,
    },
    Plain,
}

fn section_mark(text: &str) -> Option<SectionMark> {
    SECTION_RULES.iter().find_map(|rule| {
        let c = rule.pattern.captures_if_match(text)?;
        Some(SectionMark {
            kind: rule.kind,
            label: (rule.label)(&c["n"]),
            title: c["rest"].trim().to_string(),
        })
    })
}

fn bullet(text: &str) -> Option<LineClass> {
    let c = LIST_BULLET
        .captures_if_match(text)
        .or_else(|| LATIN_O_BULLET.captures_if_match(text))?;
    let mut marker = c["marker"].to_string();
    let mut rest = c["rest"].to_string();
    if let Some(inner) = INNER_MARKER.captures_if_match(&rest) {
        if let Some(m) = inner.name("marker").or_else(|| inner.name("marker2")) {
            marker = m.as_str().to_string();
            rest = inner["rest"].to_string();
        }
    }
    Some(LineClass::Bullet {
        marker,
        rest: rest.trim().to_string(),
        nested: !c["indent"].is_empty(),
    })
}

/// Whether emphasis covers at least nine tenths of the line (a bold line).
pub(crate) fn emphasised_whole_line(line: &Line) -> bool {
    let len = line.text.trim().len();
    let covered: usize = line
        .spans
        .iter()
        .filter(|s| s.kind == SpanKind::Emphasis)
        .map(|s| s.end.saturating_sub(s.start))
        .sum();
    len > 0 && covered * 10 >= len * 9
}

fn classify_line(line: &Line, fonts: &FontLevels) -> LineClass {
    let text = line.text.trim();
    if let Some(mark) = section_mark(text) {
        return LineClass::Section(mark);
    }
    if let Some(s) = speakers::parse_byline_line(text) {
        return LineClass::Byline(s);
    }
    if let Some(c) = CAPTION.captures_if_match(text) {
        if let Some(square) = c.name("square") {
            if chars(square.as_str()) <= CAPTION_LABEL_MAX_CHARS {
                return LineClass::Heading {
                    level: UNNUMBERED_HEADING_LEVEL,
                    label: None,
                    rest: square.as_str().trim().to_string(),
                    ordinal: false,
                    symbol: false,
                };
            }
        }
        let inner = c.name("angle").or_else(|| c.name("square"));
        return LineClass::Caption(inner.map(|m| m.as_str().trim()).unwrap_or(text).to_string());
    }
    if let Some(b) = bullet(line.text.as_str()) {
        return b;
    }
    // Try the text as written first (so `**…**` stays in the title and becomes emphasis),
    // then without markdown markers (`**01 강북구 …**`).
    let plain_text = text.replace(super::rules::EMPHASIS_MARK, "");
    for rule in HEADING_RULES.iter() {
        let Some(c) = rule
            .pattern
            .captures_if_match(text)
            .or_else(|| rule.pattern.captures_if_match(&plain_text))
        else {
            continue;
        };
        let label = c["label"].trim().to_string();
        let rest = c["rest"].trim().to_string();
        let symbol = !label.chars().any(|ch| ch.is_alphanumeric());
        if chars(&rest) > HEADING_MAX_CHARS {
            return LineClass::Bullet {
                marker: label,
                rest,
                nested: false,
            };
        }
        return LineClass::Heading {
            level: rule.level,
            label: Some(label),
            rest,
            ordinal: rule.ordinal,
            symbol,
        };
    }
    // At least two letters (counted only as far as needed: most lines are long).
    let two_letters = || text.chars().filter(|c| c.is_alphabetic()).nth(1).is_some();
    if let Some(level) = fonts.level_of(line).filter(|_| two_letters()) {
        if !SENTENCE_END.is_match(text) || chars(text) < 30 {
            return LineClass::Heading {
                level,
                label: None,
                rest: text.to_string(),
                ordinal: false,
                symbol: false,
            };
        }
    }
    if emphasised_whole_line(line) && chars(text) <= 60 && !SENTENCE_END.is_match(text) {
        return LineClass::Heading {
            level: fonts.bold_level(),
            label: None,
            rest: text.to_string(),
            ordinal: false,
            symbol: false,
        };
    }
    LineClass::Plain
}

/// Segments the document's lines into drafts.
pub struct Segmenter<'a> {
    lines: &'a [&'a Line],
    /// For each line that stands for a table (`Line::table`), that table.
    tables: Vec<Option<&'a model::Table>>,
    join: WordJoin<'a>,
    fonts: FontLevels,
    drafts: Vec<Draft>,
    /// Footnote numbers used as superscript markers and not yet matched by a footnote.
    pending_notes: Vec<u32>,
}

#[derive(PartialEq)]
enum TocState {
    NotSeen,
    Open,
    Done,
}

impl<'a> Segmenter<'a> {
    /// A segmenter over lines that stand for no table.
    pub fn new(lines: &'a [&'a Line], join: WordJoin<'a>) -> Segmenter<'a> {
        Segmenter::with_tables(lines, vec![None; lines.len()], join)
    }

    /// A segmenter over lines and, for each line, the typed table it stands for.
    pub fn with_tables(
        lines: &'a [&'a Line],
        tables: Vec<Option<&'a model::Table>>,
        join: WordJoin<'a>,
    ) -> Segmenter<'a> {
        Segmenter {
            lines,
            tables,
            join,
            fonts: FontLevels::from_lines(lines),
            drafts: Vec::new(),
            pending_notes: Vec::new(),
        }
    }

    fn line(&self, i: usize) -> &'a Line {
        self.lines[i]
    }

    /// The typed table line `i` stands for.
    fn table_at(&self, i: usize) -> Option<&'a model::Table> {
        self.tables.get(i).copied().flatten()
    }

    /// The text of a one-row table with a single filled cell at line `i`: a title framed in a
    /// box (`| 목차 | |`, kps_ai.pdf).
    fn framed_text(&self, i: usize) -> Option<String> {
        let table = self.table_at(i).filter(|t| t.rows == 1)?;
        let mut filled = table.cells.iter().filter_map(|c| {
            let text: Vec<&str> = c.lines.iter().map(|l| l.text.trim()).collect();
            let text = text.join(" ");
            (!text.trim().is_empty()).then(|| text.trim().to_string())
        });
        let only = filled.next()?;
        filled.next().is_none().then_some(only)
    }

    /// A table line that can only be a table (a grid the reader found, not tab-separated text
    /// rows, which the TOC may claim first).
    fn certain_table_at(&self, i: usize) -> bool {
        self.table_at(i)
            .is_some_and(|t| t.origin != TableOrigin::Delimited)
    }

    /// The table block starting at line `i`: the lines standing for the same table (one
    /// anchor, or a delimited table's rows; the TOC may have taken rows before `i`). Returns
    /// the index after them.
    fn push_table(&mut self, i: usize) -> usize {
        let Some(table) = self.table_at(i) else {
            return i + 1;
        };
        let same = |k: usize| {
            self.line(k).table == self.line(i).table && self.line(k).page == self.line(i).page
        };
        let mut end = i + 1;
        while end < self.lines.len() && same(end) {
            end += 1;
        }
        let mut first = i;
        while first > 0 && same(first - 1) {
            first -= 1;
        }
        let built = if table.origin == TableOrigin::Delimited
            && (first, end - first) != (i, table.rows as usize)
        {
            // One row per line: only the rows the TOC left.
            let part = table.row_range((i - first) as u32, (end - first) as u32);
            tables::build(&part, self.join)
        } else {
            tables::build(table, self.join)
        };
        let mut d = Draft::new(BlockType::Table, built.text, (i..end).collect());
        d.table = Some(built.table);
        d.emphasis = built.emphasis;
        d.source_lines = built.source_lines;
        self.push(d);
        end
    }

    fn push(&mut self, draft: Draft) {
        let mut previous = ' ';
        for c in draft.text.chars() {
            // A superscript after a Latin letter is a unit (`m²`), not a footnote marker.
            if let Some(d) = SUPERSCRIPT_DIGITS.iter().position(|s| *s == c) {
                if !previous.is_ascii_alphabetic() {
                    self.pending_notes.push(d as u32);
                }
            }
            previous = c;
        }
        self.drafts.push(draft);
    }

    fn builder_text(&self, range: impl Iterator<Item = usize>) -> (String, Vec<[usize; 2]>) {
        let mut b = TextBuilder::default();
        for i in range {
            b.push_wrapped(self.line(i), self.join);
        }
        b.finish()
    }

    /// The block a structured source (HWP/HWPX, Markdown) says line `i` is: a footnote, a
    /// caption, a figure or equation, a heading at its outline level, or a list item with the
    /// marker the source generates. `None` for ordinary text, which the rules read as usual.
    fn hinted(&self, i: usize, hint: &SourceHint) -> Option<Draft> {
        let (text, mut emphasis) = super::text::prepare_line(self.line(i));
        let text = text.trim().to_string();
        let mut d = match &hint.kind {
            HintKind::Footnote { marker } => {
                let mut d = Draft::new(BlockType::Footnote, text, vec![i]);
                d.marker = Some(marker.clone());
                d
            }
            HintKind::Caption => Draft::new(BlockType::Caption, text, vec![i]),
            HintKind::Figure => Draft::new(BlockType::Figure, text, vec![i]),
            HintKind::Equation | HintKind::Code { .. } => {
                let language = match &hint.kind {
                    HintKind::Code { language } => language.clone(),
                    _ => Some("equation".to_string()),
                };
                let mut d = Draft::new(BlockType::Figure, text.clone(), vec![i]);
                d.figure = Some(Figure {
                    language,
                    source: text,
                });
                d
            }
            HintKind::Quote => Draft::new(BlockType::Paragraph, text, vec![i]),
            // A block of its own; `Block::annotation` says what it is.
            HintKind::Annotation(_) => Draft::new(BlockType::Paragraph, text, vec![i]),
            HintKind::Text => {
                if let Some(level) = hint.heading_level {
                    let mut d = Draft::new(BlockType::Heading, text, vec![i]);
                    d.level = Some(level.max(1));
                    d.marker = hint.list_marker.clone();
                    d.mark = section_mark(&d.text);
                    d
                } else {
                    let marker = hint.list_marker.clone()?;
                    // A list item naming a presenter (`- 발제자 : … 강선규 센터장`) is a byline,
                    // as on the text path.
                    if let Some(speaker) = super::speakers::parse_byline_line(&text) {
                        let mut d = Draft::new(BlockType::Byline, text, vec![i]);
                        d.speaker = Some(speaker);
                        return Some(d);
                    }
                    // `- ❖ 비전과 과제 …`: the symbol inside the item is its marker, as on the
                    // text path.
                    let inner = INNER_MARKER.captures_if_match(&text).and_then(|c| {
                        let m = c.name("marker").or_else(|| c.name("marker2"))?;
                        Some((m.as_str().to_string(), c.name("rest")?.start()))
                    });
                    let (marker, text) = match inner {
                        Some((inner, at)) => {
                            for span in &mut emphasis {
                                *span = [span[0].saturating_sub(at), span[1].saturating_sub(at)];
                            }
                            emphasis.retain(|[s, e]| s < e);
                            (inner, text[at..].to_string())
                        }
                        None => (marker, text),
                    };
                    let mut d = Draft::new(BlockType::ListItem, text, vec![i]);
                    d.marker = Some(marker);
                    d.level = Some(1);
                    d
                }
            }
        };
        d.emphasis = emphasis;
        Some(d)
    }

    /// Runs the segmentation and the passes that look across blocks.
    pub fn run(mut self) -> Vec<Draft> {
        let n = self.lines.len();
        let mut toc_state = TocState::NotSeen;
        // The page of a TOC that prints no page numbers (kwater_rfp.pdf), while it is read.
        let mut pageless_toc: Option<u32> = None;
        let mut i = 0;
        while i < n {
            let line = self.line(i);
            let text = line.text.trim();
            if line.role != LineRole::Body {
                let mut d = Draft::new(BlockType::Furniture, text.to_string(), vec![i]);
                if line.role == LineRole::PageNumber {
                    d.page_number = PAGE_NUMBER
                        .captures_if_match(text)
                        .and_then(|c| c["n"].parse().ok());
                }
                self.drafts.push(d);
                i += 1;
                continue;
            }
            // A TOC heading, also framed as a one-row table (`| 목차 | |`, kps_ai.pdf).
            let toc_heading = (toc_state == TocState::NotSeen)
                .then(|| self.framed_text(i).unwrap_or_else(|| text.to_string()))
                .filter(|t| TOC_HEADING.is_match(t));
            if self.certain_table_at(i) && toc_heading.is_none() {
                // A table ends a TOC that prints no pages (reg76076.pdf: the author box under
                // its list of regulations).
                if pageless_toc.take().is_some() {
                    toc_state = TocState::Done;
                }
                i = self.push_table(i);
                continue;
            }
            if text.is_empty() && toc_heading.is_none() {
                i += 1;
                continue;
            }
            // A TOC heading the source marks as a heading (`## 목 차`) still opens its TOC.
            let opens_toc = toc_heading.is_some()
                && (self.toc_line_follows(i) || self.toc_table_after(i).is_some());
            if let Some(d) = line
                .hint
                .as_deref()
                .filter(|_| !opens_toc)
                .and_then(|h| self.hinted(i, h))
            {
                self.push(d);
                i += 1;
                continue;
            }
            if toc_state == TocState::Open && pageless_toc.is_some() {
                if pageless_toc == Some(line.page) && pageless_toc_entry(text) {
                    let mut d = Draft::new(BlockType::TocEntry, String::new(), vec![i]);
                    self.fill_toc_entry(&mut d);
                    self.drafts.push(d);
                    i += 1;
                    continue;
                }
                toc_state = TocState::Done;
            }
            if toc_state == TocState::Open {
                let open_entry = self.drafts.last().is_some_and(|d| {
                    d.kind == BlockType::TocEntry && d.toc.iter().all(|t| t.page.is_none())
                });
                let has_page = self.is_toc_entry_line(i);
                // An entry whose page sits at the end of its wrapped last line:
                // `[발제1] … 마포구사회적경제통합지원센터` / `홍진주 센터장 8`.
                let closes_open = open_entry
                    && has_page
                    && !starts_entry(text)
                    && self.continues_toc_entry(i, true);
                if closes_open
                    || (!has_page && !starts_entry(text) && self.continues_toc_entry(i, false))
                {
                    if let Some(mut d) = self.drafts.pop() {
                        d.lines.push(i);
                        self.fill_toc_entry(&mut d);
                        self.drafts.push(d);
                    }
                    i += 1;
                    continue;
                }
                if has_page || (starts_entry(text) && self.toc_line_follows(i)) {
                    let mut d = Draft::new(BlockType::TocEntry, String::new(), vec![i]);
                    self.fill_toc_entry(&mut d);
                    self.drafts.push(d);
                    i += 1;
                    continue;
                }
                toc_state = TocState::Done;
            }
            if let Some(heading) = toc_heading {
                // A TOC a layout tool wrote as a title | page table: one entry block of its rows.
                if let Some((k, items)) = self.toc_table_after(i) {
                    let mut d = Draft::new(BlockType::Heading, heading, vec![i]);
                    d.level = Some(1);
                    self.drafts.push(d);
                    let mut entry = Draft::new(BlockType::TocEntry, String::new(), vec![k]);
                    entry.text = items
                        .iter()
                        .map(|t| t.title.as_str())
                        .collect::<Vec<_>>()
                        .join("\n");
                    entry.toc = items;
                    self.drafts.push(entry);
                    toc_state = TocState::Done;
                    i = k + 1;
                    continue;
                }
                let next = (i + 1..n).find(|&k| {
                    self.line(k).role == LineRole::Body && !self.line(k).text.trim().is_empty()
                });
                let _ = next;
                let with_pages = self.toc_line_follows(i);
                if !with_pages {
                    pageless_toc = self.pageless_toc_follows(i, &heading);
                }
                if with_pages || pageless_toc.is_some() {
                    let mut d = Draft::new(BlockType::Heading, heading, vec![i]);
                    d.level = Some(1);
                    self.drafts.push(d);
                    toc_state = TocState::Open;
                    i += 1;
                    continue;
                }
            }
            if line.table.is_some() {
                i = self.push_table(i);
                continue;
            }
            if let Some(open) = FENCE.captures_if_match(text) {
                if let Some(close) = (i + 1..n).find(|&k| FENCE.is_match(self.line(k).text.trim()))
                {
                    let figure = self.figure(i, close, open["lang"].to_string());
                    self.push(figure);
                    i = close + 1;
                    continue;
                }
            }
            let mut j = i + 1;
            while j < n {
                let next = self.line(j);
                if next.role != LineRole::Body
                    || next.starts_paragraph
                    || next.table.is_some()
                    || FENCE.is_match(next.text.trim())
                    || size_break(self.line(j - 1), next)
                {
                    break;
                }
                j += 1;
            }
            self.group(i, j);
            i = j;
        }
        let mut drafts = std::mem::take(&mut self.drafts);
        merge_lone_markers(&mut drafts);
        merge_affiliation_into_byline(&mut drafts);
        self.merge_split_tables(&mut drafts);
        self.merge_wrapped_headings(&mut drafts);
        ordinal_runs_to_lists(&mut drafts);
        self.merge_across_breaks(&mut drafts);
        drafts
    }

    /// A TOC entry draft's text and items from its lines: the first carries the page, the
    /// others continue its text (`… 마포구사회적경제통합지원센터 8` / `홍진주 센터장`).
    fn fill_toc_entry(&self, d: &mut Draft) {
        let mut page = None;
        let mut b = TextBuilder::default();
        for &k in &d.lines {
            let line = self.line(k);
            match toc::split_page(&line.text) {
                Some((p, text)) if page.is_none() => {
                    page = Some(p);
                    let piece = Line {
                        text,
                        ..line.clone()
                    };
                    b.push_wrapped(&piece, self.join);
                }
                _ => b.push_wrapped(line, self.join),
            }
        }
        let (body, _) = b.finish();
        d.toc = toc::items(&body, page);
        d.text = body;
    }

    /// The page of a TOC without page numbers whose heading is line `i`: on the PDF path, the
    /// next three lines are numbered entries (`1. 제안공모요강`, `1.1. 일반사항`) on the heading's
    /// page, or fewer ended by a table or the page (reg80250.pdf: `<목 차>`, one regulation,
    /// the author box). A program's `순서` does not open one (its numbered steps are no TOC).
    fn pageless_toc_follows(&self, i: usize, text: &str) -> Option<u32> {
        let heading = self.line(i);
        let order = TOC_HEADING
            .captures(text)
            .is_some_and(|c| c.name("order").is_some());
        if heading.bbox.is_none() || order {
            return None;
        }
        let next: Vec<usize> = (i + 1..self.lines.len())
            .filter(|&k| {
                let line = self.line(k);
                line.role == LineRole::Body
                    && (line.table.is_some() || !line.text.trim().is_empty())
            })
            .take(3)
            .collect();
        let run = next
            .iter()
            .take_while(|&&k| self.line(k).table.is_none() && self.line(k).page == heading.page)
            .count();
        let numbered = run >= 1
            && (run == 3
                || next.get(run).is_none_or(|&k| {
                    self.line(k).table.is_some() || self.line(k).page != heading.page
                }))
            && next[..run].iter().all(|&k| {
                let line = self.line(k);
                chars(&line.text) <= PAGELESS_TOC_ENTRY_MAX_CHARS
                    && TOC_NUMBERING.iter().any(|r| r.is_match(&line.text))
            });
        numbered.then_some(heading.page)
    }

    /// The next body line after `i` when it anchors a table that is a TOC (`toc::table_entries`),
    /// with the entries.
    fn toc_table_after(&self, i: usize) -> Option<(usize, Vec<toc::TocItem>)> {
        let k = (i + 1..self.lines.len()).find(|&k| {
            self.line(k).role == LineRole::Body
                && (self.table_at(k).is_some() || !self.line(k).text.trim().is_empty())
        })?;
        // Tab-separated rows are read as TOC lines, one by one.
        let table = self.table_at(k).filter(|_| self.certain_table_at(k))?;
        toc::table_entries(table).map(|items| (k, items))
    }

    /// Whether a line with a page number (a TOC entry) comes within the next three lines.
    fn toc_line_follows(&self, i: usize) -> bool {
        (i + 1..self.lines.len())
            .filter(|&k| {
                self.line(k).role == LineRole::Body && !self.line(k).text.trim().is_empty()
            })
            .take(3)
            .any(|k| self.is_toc_entry_line(k))
    }

    /// Whether line `i` is the next TOC entry: a page number, not a table row, and pages that
    /// do not go backwards (a TOC runs forwards; `1 성과` on the next page is a table).
    fn is_toc_entry_line(&self, i: usize) -> bool {
        let line = self.line(i);
        let Some((page, _)) = toc::split_page(&line.text) else {
            return false;
        };
        let previous = self
            .drafts
            .iter()
            .rev()
            .take_while(|d| d.kind == BlockType::TocEntry)
            .find_map(|d| d.toc.iter().find_map(|t| t.page));
        !self.certain_table_at(i) && previous.is_none_or(|p| page >= p)
    }

    /// Whether line `i` (no page number) is the wrapped rest of the TOC entry above it: short,
    /// right under it, and not itself the start of something else.
    fn continues_toc_entry(&self, i: usize, closing: bool) -> bool {
        let Some(last) = self.drafts.last() else {
            return false;
        };
        if last.kind != BlockType::TocEntry || last.lines.len() >= 3 {
            return false;
        }
        let line = self.line(i);
        if (!closing && chars(&line.text) > 40) || line.text.contains('\t') {
            return false;
        }
        if closing {
            let above = self.line(*last.lines.last().unwrap_or(&i));
            return line.bbox.is_none() || line.page == above.page;
        }
        let above = self.line(*last.lines.last().unwrap_or(&i));
        if line.bbox.is_some() && line.page != above.page {
            return false;
        }
        let next_is_entry = (i + 1..self.lines.len())
            .find(|&k| self.line(k).role == LineRole::Body && !self.line(k).text.trim().is_empty())
            .is_some_and(|k| self.is_toc_entry_line(k));
        let stacked = match (above.bbox, line.bbox, line.font_size) {
            (Some(a), Some(b), Some(size)) => {
                above.page == line.page && b[1] >= a[1] && b[1] - a[3] < 1.0 * size
            }
            _ => false,
        };
        next_is_entry || stacked
    }

    fn figure(&self, open: usize, close: usize, language: String) -> Draft {
        let inner: Vec<&str> = (open + 1..close)
            .map(|k| self.line(k).text.as_str())
            .collect();
        let source = inner.join("\n");
        let first = inner
            .iter()
            .find(|l| !l.trim().is_empty())
            .copied()
            .unwrap_or("");
        let language = if !language.is_empty() {
            Some(language)
        } else if MERMAID_START.is_match(first) {
            Some("mermaid".to_string())
        } else {
            None
        };
        let text = if language.as_deref() == Some("mermaid") {
            let mut labels: Vec<String> = Vec::new();
            for c in MERMAID_LABEL.captures_iter(&source) {
                let label = c["label"].trim().to_string();
                if !labels.contains(&label) {
                    labels.push(label);
                }
            }
            labels.join("\n")
        } else {
            source.clone()
        };
        let mut d = Draft::new(BlockType::Figure, text, (open..=close).collect());
        d.figure = Some(Figure { language, source });
        d
    }

    /// Classifies one group of lines (a paragraph by layout) into drafts.
    fn group(&mut self, start: usize, end: usize) {
        let len = end - start;
        let first = self.line(start);
        let first_text = first.text.trim();
        if len == 1 && PAGE_NUMBER.is_match(first_text) {
            let mut d = Draft::new(BlockType::Furniture, first_text.to_string(), vec![start]);
            d.page_number = PAGE_NUMBER
                .captures_if_match(first_text)
                .and_then(|c| c["n"].parse().ok());
            self.drafts.push(d);
            return;
        }
        if let Some(c) = FOOTNOTE.captures_if_match(first_text) {
            let n: u32 = c["n"].parse().unwrap_or(0);
            if let Some(pos) = self.pending_notes.iter().position(|p| *p == n) {
                self.pending_notes.remove(pos);
                let mut b = TextBuilder::default();
                b.push_text(&c["rest"], &[], None, self.join);
                for k in start + 1..end {
                    b.push_wrapped(self.line(k), self.join);
                }
                let (text, emphasis) = b.finish();
                let mut d = Draft::new(BlockType::Footnote, text, (start..end).collect());
                d.marker = Some(n.to_string());
                d.emphasis = emphasis;
                self.drafts.push(d);
                return;
            }
        }
        if len == 2 {
            if let Some(s) = speakers::parse_two_lines(first_text, self.line(start + 1).text.trim())
            {
                let text = format!("{} {}", first_text, self.line(start + 1).text.trim());
                let mut d = Draft::new(BlockType::Byline, text, vec![start, start + 1]);
                d.speaker = Some(s);
                self.push(d);
                return;
            }
        }
        if len == 1 && SPEAKER_NAME_ROLE.is_match(first_text) {
            if let Some(s) = speakers::parse(first_text) {
                let mut d = Draft::new(BlockType::Byline, first_text.to_string(), vec![start]);
                d.speaker = Some(s);
                self.push(d);
                return;
            }
        }
        let mut classes: Vec<LineClass> = (start..end)
            .map(|k| classify_line(self.line(k), &self.fonts))
            .collect();
        // A wrapped line that starts with what looks like a Hangul ordinal (`다. 다만 …` after
        // `…할 수 있습니`) continues the sentence above it.
        for k in 1..len {
            let line = self.line(start + k);
            let previous = self.line(start + k - 1).text.trim();
            // On a PDF page the layout also says whether the line wrapped: then it may
            // continue a list item too (`① …한계를 밝힌` / `다.`).
            let layout_wrap = line.bbox.is_some() && !line.starts_paragraph;
            let continuable = classes[k - 1] == LineClass::Plain
                || (layout_wrap && matches!(classes[k - 1], LineClass::Bullet { .. }));
            // An ordinal that starts where the bullet above it starts, not right of it where
            // the item's wrapped lines go, opens an item of its own (kps_ai.pdf p.4: `❍ 디지털
            // 기반 사업지원 강화를 위한 …` / `나. 내부 설치형 언어모델(LLM)…`).
            let under_the_bullet = matches!(classes[k - 1], LineClass::Bullet { .. })
                && matches!(
                    (line.bbox, self.line(start + k - 1).bbox),
                    (Some(a), Some(b)) if a[0] <= b[0] + 1.0
                );
            let continues = line.joins_previous_word == Some(true)
                || (continuable
                    && !SENTENCE_END.is_match(previous)
                    && !previous.ends_with([':', '：']));
            let hangul_ordinal = match &classes[k] {
                LineClass::Heading {
                    label: Some(l),
                    ordinal: true,
                    ..
                }
                // `다.`, `나)`, and `(나)` inside a sentence (`… 단, (가)는 첫째 문단이고` /
                // `(나)는 둘째 문단이다.`).
                | LineClass::Bullet { marker: l, .. } => {
                    l.trim_start_matches('(').chars().next().is_some_and(is_hangul)
                        && l.ends_with(['.', ')'])
                }
                _ => false,
            };
            if continues
                && ((hangul_ordinal && !under_the_bullet) || line.joins_previous_word == Some(true))
            {
                classes[k] = LineClass::Plain;
            }
            // A line that wraps the item or paragraph above it, in the same type, is its text,
            // not a heading set larger than the body (reg86712 p.11: `ㅇ 「노후계획도시정비법」은
            // … 재건축사업 등` / `각종 정비사업에 대한 특례법으로 …`).
            let same_type = matches!(
                (line.font_size, self.line(start + k - 1).font_size),
                (Some(a), Some(b)) if (a - b).abs() < 0.6
            );
            if continues
                && layout_wrap
                && same_type
                && matches!(classes[k], LineClass::Heading { label: None, .. })
            {
                classes[k] = LineClass::Plain;
            }
        }
        let marked = classes
            .iter()
            .filter(|c| {
                matches!(c, LineClass::Bullet { .. })
                    || matches!(c, LineClass::Heading { ordinal: true, .. })
                    || matches!(c, LineClass::Heading { symbol: true, .. })
            })
            .count();
        let list_group = marked >= 2;
        // A heading line set larger than the bullets under it (`□ 용어 자원 통합 관리 체계 구축` at
        // 16pt over `- 용어 분야 분류 …` at 15pt, gov_niklp_workplan) heads them.
        let heads_list = len > 1
            && matches!(classes[0], LineClass::Heading { .. })
            && matches!(
                (first.font_size, self.line(start + 1).font_size),
                (Some(a), Some(b)) if a >= b + LARGER_THAN_BULLETS_PT
            );
        let mut k = 0;
        while k < len {
            let at = start + k;
            match classes[k].clone() {
                LineClass::Section(mark) if k == 0 => {
                    let mut stop = k + 1;
                    while stop < len
                        && stop <= 3
                        && classes[stop] == LineClass::Plain
                        && chars(&self.line(start + stop).text) <= 40
                    {
                        stop += 1;
                    }
                    let mut b = TextBuilder::default();
                    b.push_text(&mark.title, &[], None, self.join);
                    for q in k + 1..stop {
                        b.push_wrapped(self.line(start + q), self.join);
                    }
                    let (title, _) = b.finish();
                    let (text, emphasis) = self.builder_text(at..start + stop);
                    let mut d = Draft::new(BlockType::Heading, text, (at..start + stop).collect());
                    d.level = Some(1);
                    d.emphasis = emphasis;
                    d.mark = Some(SectionMark { title, ..mark });
                    self.push(d);
                    k = stop;
                }
                LineClass::Byline(s) => {
                    let mut d = Draft::new(
                        BlockType::Byline,
                        self.line(at).text.trim().to_string(),
                        vec![at],
                    );
                    d.speaker = Some(s);
                    self.push(d);
                    k += 1;
                }
                LineClass::Caption(text) => {
                    let (text, emphasis) = super::text::strip_markdown_emphasis(&text, &[]);
                    let mut d = Draft::new(BlockType::Caption, text, vec![at]);
                    d.emphasis = emphasis;
                    self.push(d);
                    k += 1;
                }
                LineClass::Heading {
                    level,
                    label,
                    rest,
                    symbol,
                    ..
                } if !list_group || (k == 0 && heads_list) => {
                    let rest_plain = (k + 1..len).all(|q| classes[q] == LineClass::Plain);
                    let continuation = len - k - 1;
                    let joins_title = rest_plain
                        && continuation > 0
                        && continuation <= 2
                        && (k + 1..len).all(|q| {
                            let t = self.line(start + q).text.trim();
                            chars(t) <= 40 && !t.contains(". ") && !SENTENCE_END.is_match(t)
                        });
                    // PDF: the lines after a heading set in the same larger size continue
                    // its title (`성과2. 지역의 사회적경제 거버넌스` / `구축 및 확장`).
                    let same_size = |q: usize| {
                        matches!(
                            (self.line(start + q).font_size, self.line(at).font_size),
                            (Some(a), Some(b)) if (a - b).abs() < 0.6
                        )
                    };
                    let stop = if self.fonts.level_of(self.line(at)).is_some() {
                        let mut q = k + 1;
                        while q < len
                            && q - k <= 3
                            && same_size(q)
                            && matches!(
                                classes[q],
                                LineClass::Plain | LineClass::Heading { label: None, .. }
                            )
                        {
                            q += 1;
                        }
                        q
                    } else if joins_title {
                        len
                    } else {
                        // PDF: a heading line that fills its column and stops mid-sentence
                        // wraps onto the next line (so_sueop: `13) … 등장 인물들에게 어떠한` /
                        // `감동을 주고 있는 가? …`).
                        let mut q = k + 1;
                        while q < len
                            && classes[q] == LineClass::Plain
                            && same_size(q)
                            && self.wraps_onto(start + q - 1, start + q)
                        {
                            q += 1;
                        }
                        q
                    };
                    if label.is_some() && self.reads_as_sentence(&classes, start, k, stop, &rest) {
                        let stop = self.continuation_end(&classes, k, len);
                        self.list_item(start, k, stop, label.unwrap_or_default(), rest, false);
                        k = stop;
                        continue;
                    }
                    let mut b = TextBuilder::default();
                    let head = match (&label, symbol) {
                        (Some(l), false) => format!("{l} {rest}"),
                        _ => rest.clone(),
                    };
                    let (head_text, head_emphasis) = prepare_line(&Line {
                        text: head,
                        ..self.line(at).clone()
                    });
                    b.push_text(&head_text, &head_emphasis, None, self.join);
                    for q in k + 1..stop {
                        b.push_wrapped(self.line(start + q), self.join);
                    }
                    let (text, emphasis) = b.finish();
                    let mut d = Draft::new(BlockType::Heading, text, (at..start + stop).collect());
                    d.level = Some(level);
                    d.marker = label;
                    d.emphasis = emphasis;
                    self.push(d);
                    k = stop;
                }
                LineClass::Heading { label, rest, .. } => {
                    let stop = self.continuation_end(&classes, k, len);
                    self.list_item(start, k, stop, label.unwrap_or_default(), rest, false);
                    k = stop;
                }
                LineClass::Bullet {
                    marker,
                    rest,
                    nested,
                } => {
                    let stop = self.continuation_end(&classes, k, len);
                    self.list_item(start, k, stop, marker, rest, nested);
                    k = stop;
                }
                LineClass::Plain | LineClass::Section(_) => {
                    let mut stop = k + 1;
                    while stop < len
                        && matches!(classes[stop], LineClass::Plain | LineClass::Section(_))
                    {
                        stop += 1;
                    }
                    let this = chars(&self.line(at).text);
                    if stop - k >= 2 {
                        let next = chars(&self.line(at + 1).text);
                        if this <= 40
                            && next >= 60.max(2 * this)
                            && !SENTENCE_END.is_match(self.line(at).text.trim())
                        {
                            let (text, emphasis) = self.builder_text(at..at + 1);
                            let mut d = Draft::new(BlockType::Heading, text, vec![at]);
                            d.level = Some(UNNUMBERED_HEADING_LEVEL);
                            d.emphasis = emphasis;
                            self.push(d);
                            k += 1;
                            continue;
                        }
                    }
                    let (text, emphasis) = self.builder_text(at..start + stop);
                    let mut d =
                        Draft::new(BlockType::Paragraph, text, (at..start + stop).collect());
                    d.emphasis = emphasis;
                    self.push(d);
                    k = stop;
                }
            }
        }
    }

    /// A numbered line that starts a sentence, not a title: it stops mid-sentence and the
    /// next line of its paragraph goes on (`□ 「산업안전보건기준에 관한 규칙」제87조에서는
    /// 기계의 회전 부위에` / `…`), or the title it would make ends a sentence and is long
    /// (`1. 동 개정안은 … 설치하도록 한다.`). It is a list item.
    fn reads_as_sentence(
        &self,
        classes: &[LineClass],
        start: usize,
        k: usize,
        stop: usize,
        rest: &str,
    ) -> bool {
        let runs_on = stop == k + 1
            && (classes.get(k + 1) == Some(&LineClass::Plain)
                || chars(rest) >= DANGLING_HEADING_MIN_CHARS)
            && SENTENCE_GOES_ON.is_match(rest.trim_end());
        let last = if stop > k + 1 {
            self.line(start + stop - 1).text.trim()
        } else {
            rest.trim()
        };
        let length = chars(rest)
            + (k + 1..stop)
                .map(|q| chars(&self.line(start + q).text))
                .sum::<usize>();
        // PDF: a numbered line in body type that reaches the right edge of its column and goes
        // on in the next line of its paragraph is a clause wrapped there, not a title
        // (kps_ai.pdf: `가. 제출된 제안서의 내용은 발주자가 요청하지 않는 한 변경․보완․삭제할 수
        // 없으며,` / `계약체결 시 계약조건의 일부로 간주한다.`).
        let line = self.line(start + k);
        let wraps_on = classes.get(k + 1) == Some(&LineClass::Plain)
            && self
                .lines
                .get(start + k + 1)
                .is_some_and(|next| next.bbox.is_some() && !next.starts_paragraph)
            && self.fonts.level_of(line).is_none()
            && self.fills_its_column(line);
        runs_on || wraps_on || (length > SENTENCE_HEADING_MIN_CHARS && SENTENCE_END.is_match(last))
    }

    fn continuation_end(&self, classes: &[LineClass], k: usize, len: usize) -> usize {
        let mut stop = k + 1;
        while stop < len && classes[stop] == LineClass::Plain {
            stop += 1;
        }
        stop
    }

    fn list_item(
        &mut self,
        start: usize,
        k: usize,
        stop: usize,
        marker: String,
        rest: String,
        nested: bool,
    ) {
        let at = start + k;
        let (first, first_emphasis) = prepare_line(&Line {
            text: rest,
            ..self.line(at).clone()
        });
        let mut b = TextBuilder::default();
        b.push_text(&first, &first_emphasis, None, self.join);
        for q in k + 1..stop {
            b.push_wrapped(self.line(start + q), self.join);
        }
        let (text, emphasis) = b.finish();
        let mut d = Draft::new(BlockType::ListItem, text, (at..start + stop).collect());
        d.marker = Some(marker);
        d.level = Some(if nested { 2 } else { 1 });
        d.emphasis = emphasis;
        self.push(d);
    }

    /// PDF: a table that runs over a page break comes back as two tables (one per page);
    /// the part at the top of the next page with the same columns continues it (its repeated
    /// header rows are kept apart, its rows keep their page).
    fn merge_split_tables(&self, drafts: &mut Vec<Draft>) {
        let mut i = 0;
        while i < drafts.len() {
            if drafts[i].kind != BlockType::Table {
                i += 1;
                continue;
            }
            // A table nested in this one's cell (its own block after it) does not end it.
            let Some(j) = (i + 1..drafts.len()).find(|&j| {
                drafts[j].kind != BlockType::Furniture && !self.nested_in(&drafts[i], &drafts[j])
            }) else {
                break;
            };
            if !self.table_continues(&drafts[i], &drafts[j]) {
                i += 1;
                continue;
            }
            let next = drafts.remove(j);
            let (Some(a), Some(b)) = (drafts[i].table.as_mut(), next.table) else {
                i += 1;
                continue;
            };
            tables::append_continuation(a, b);
            let text = tables::render_rows(&a.rows);
            let d = &mut drafts[i];
            d.text = text;
            d.emphasis.clear();
            d.lines.extend(next.lines);
        }
    }

    /// Whether `b` is a table inside the box of `a`'s last line (a table) on the same page.
    fn nested_in(&self, a: &Draft, b: &Draft) -> bool {
        let (Some(&last), Some(&first)) = (a.lines.last(), b.lines.first()) else {
            return false;
        };
        let (x, y) = (self.line(last), self.line(first));
        match (x.bbox, y.bbox) {
            (Some(outer), Some(inner)) => {
                b.kind == BlockType::Table
                    && x.page == y.page
                    && inner[0] >= outer[0]
                    && inner[1] >= outer[1]
                    && inner[2] <= outer[2]
                    && inner[3] <= outer[3]
            }
            _ => false,
        }
    }

    fn table_continues(&self, a: &Draft, b: &Draft) -> bool {
        if b.kind != BlockType::Table {
            return false;
        }
        let (Some(ta), Some(tb)) = (&a.table, &b.table) else {
            return false;
        };
        let (Some(&last), Some(&first)) = (a.lines.last(), b.lines.first()) else {
            return false;
        };
        let (x, y) = (self.line(last), self.line(first));
        // Only on the PDF path, where a page break really cuts tables.
        x.bbox.is_some() && y.page == x.page + 1 && tables::continues(ta, tb)
    }

    /// PDF: a heading whose second line the layout put in a paragraph of its own (same size,
    /// same column, right below it) is one heading.
    fn merge_wrapped_headings(&self, drafts: &mut Vec<Draft>) {
        let mut i = 0;
        while i + 1 < drafts.len() {
            let (a, b) = (&drafts[i], &drafts[i + 1]);
            let joined = a.kind == BlockType::Heading
                && b.kind == BlockType::Heading
                && b.marker.is_none()
                && b.mark.is_none()
                && !SENTENCE_END.is_match(a.text.trim_end())
                && self.stacked(a, b);
            if joined {
                let b = drafts.remove(i + 1);
                let a = &mut drafts[i];
                let next_line = self.line(b.first_line());
                if !super::text::joins_without_space(&a.text, next_line, &b.text, self.join) {
                    a.text.push(' ');
                }
                a.text.push_str(&b.text);
                a.lines.extend(b.lines);
                if let Some(mark) = a.mark.as_mut() {
                    mark.title = format!("{} {}", mark.title, b.text).trim().to_string();
                }
                continue;
            }
            i += 1;
        }
    }

    /// Whether `b`'s first line sits right under `a`'s last line in the same size and column.
    fn stacked(&self, a: &Draft, b: &Draft) -> bool {
        let (Some(&last), Some(&first)) = (a.lines.last(), b.lines.first()) else {
            return false;
        };
        let (x, y) = (self.line(last), self.line(first));
        match (x.bbox, y.bbox, x.font_size, y.font_size) {
            (Some(bx), Some(by), Some(sx), Some(sy)) => {
                x.page == y.page
                    && x.column == y.column
                    && (sx - sy).abs() < 0.6
                    && by[1] >= bx[1]
                    && by[1] - bx[3] < 0.8 * sx
            }
            _ => false,
        }
    }

    /// A paragraph cut by a page break (or a blank line the layout tool left) continues in
    /// the next paragraph when it stops mid-sentence: `…외부 연구자들에 의해` / `이루어졌지만 …`.
    fn merge_across_breaks(&self, drafts: &mut Vec<Draft>) {
        let mut i = 0;
        while i < drafts.len() {
            if !matches!(drafts[i].kind, BlockType::Paragraph | BlockType::ListItem) {
                i += 1;
                continue;
            }
            let Some(j) = (i + 1..drafts.len()).find(|&j| drafts[j].kind != BlockType::Furniture)
            else {
                break;
            };
            if self.continues_across(&drafts[i], &drafts[j]) {
                let next = drafts.remove(j);
                let a = &mut drafts[i];
                let last_line = self.line(*a.lines.last().unwrap_or(&0));
                let first_line = self.line(next.first_line());
                let inside_word = super::text::word_crosses(&a.text, &next.text, self.join)
                    || super::text::joins_without_space(&a.text, first_line, &next.text, self.join);
                let glue = !inside_word || last_line.text.ends_with(' ');
                if glue {
                    a.text.push(' ');
                }
                let base = a.text.len();
                a.text.push_str(&next.text);
                a.emphasis
                    .extend(next.emphasis.iter().map(|[s, e]| [s + base, e + base]));
                a.lines.extend(next.lines);
                continue;
            }
            i += 1;
        }
    }

    /// Whether a PDF line reaches the right edge of its column (the rightmost body line of
    /// that page and column, within two ems): a word can only be broken there. A poster line
    /// (`…송진사와 송반장 성과공유회`) stops short. Text lines have no geometry: true.
    fn fills_its_column(&self, line: &Line) -> bool {
        let Some(bbox) = line.bbox else {
            return true;
        };
        let right = self
            .lines
            .iter()
            .filter(|l| l.page == line.page && l.column == line.column && l.role == LineRole::Body)
            .filter_map(|l| l.bbox)
            .map(|b| b[2])
            .fold(bbox[2], f32::max);
        bbox[2] >= right - 2.0 * line.font_size.unwrap_or(10.0)
    }

    /// Whether PDF line `a` wraps onto line `b`: the layout continues the paragraph, and `a`
    /// fills its column without ending a sentence.
    fn wraps_onto(&self, a: usize, b: usize) -> bool {
        let (a, b) = (self.line(a), self.line(b));
        b.bbox.is_some()
            && !b.starts_paragraph
            && a.page == b.page
            && a.column == b.column
            && !SENTENCE_END.is_match(a.text.trim_end())
            && self.fills_its_column(a)
    }

    fn continues_across(&self, a: &Draft, b: &Draft) -> bool {
        if b.kind != BlockType::Paragraph {
            return false;
        }
        let Some(&last) = a.lines.last() else {
            return false;
        };
        let last_line = self.line(last);
        let first_next = self.line(b.first_line());
        if chars(&last_line.text) < 18 || chars(&a.text) < 30 || chars(&first_next.text) < 15 {
            return false;
        }
        if SENTENCE_END.is_match(a.text.trim_end()) {
            return false;
        }
        if !b.text.chars().next().is_some_and(is_hangul) {
            return false;
        }
        // The last word dangles (`…에 의해`), or the break falls inside a word
        // (`…질의 응답한 사` / `항은 법적 효력을 갖지 못한다.`).
        let dangling = DANGLING_END.is_match(a.text.trim_end());
        let broken_word = self.fills_its_column(last_line)
            && super::text::word_crosses(&a.text, &b.text, self.join);
        if !(dangling || broken_word) {
            return false;
        }
        // On the PDF path only a page or column change splits a paragraph this way.
        if last_line.bbox.is_some()
            && last_line.page == first_next.page
            && last_line.column == first_next.column
        {
            return false;
        }
        true
    }
}

/// Whether a TOC line without a page opens an entry of its own (a section marker or a
/// numbered title) rather than continuing the entry above.
/// The longest entry of a TOC without page numbers: `2.3. 주요 시스템 현황 및 목표시스템
/// 구성도` is 29 characters; a body paragraph below the TOC is longer.
const PAGELESS_TOC_ENTRY_MAX_CHARS: usize = 50;

/// Whether a line of a TOC without page numbers is an entry: numbered, or a short line that
/// does not end a sentence (`첨부1 : 제안서 평가기준 및 작성양식(별도첨부)`).
fn pageless_toc_entry(text: &str) -> bool {
    chars(text) <= PAGELESS_TOC_ENTRY_MAX_CHARS
        && (TOC_NUMBERING.iter().any(|r| r.is_match(text)) || !SENTENCE_END.is_match(text))
}

fn starts_entry(text: &str) -> bool {
    section_mark(text).is_some() || HEADING_RULES.iter().any(|r| r.pattern.is_match(text))
}

/// Two consecutive lines of clearly different sizes (PDF) are not one paragraph.
fn size_break(previous: &Line, next: &Line) -> bool {
    match (previous.font_size, next.font_size) {
        (Some(a), Some(b)) => (a - b).abs() > 1.0,
        _ => false,
    }
}

/// A marker standing alone (`✓`, `➡` on their own lines) belongs to the block after it.
fn merge_lone_markers(drafts: &mut Vec<Draft>) {
    let mut i = 0;
    while i + 1 < drafts.len() {
        let lone = drafts[i].kind == BlockType::ListItem && drafts[i].text.trim().is_empty();
        let next_ok = matches!(
            drafts[i + 1].kind,
            BlockType::Paragraph | BlockType::Heading | BlockType::ListItem
        ) && drafts[i + 1].mark.is_none();
        if lone && next_ok {
            let lone = drafts.remove(i);
            let next = &mut drafts[i];
            next.kind = BlockType::ListItem;
            next.marker = lone.marker;
            next.level = Some(1);
            let mut lines = lone.lines;
            lines.extend(next.lines.iter().copied());
            next.lines = lines;
        }
        i += 1;
    }
}

/// `홍진주 센터장` alone whose affiliation line the layout put in its own paragraph just
/// above (PDF): the two lines are one byline.
fn merge_affiliation_into_byline(drafts: &mut Vec<Draft>) {
    let mut i = 1;
    while i < drafts.len() {
        let (above, byline) = (&drafts[i - 1], &drafts[i]);
        let merged = byline.kind == BlockType::Byline
            && byline.lines.len() == 1
            && byline
                .speaker
                .as_ref()
                .is_some_and(|s| s.affiliation.is_none())
            && matches!(above.kind, BlockType::Paragraph | BlockType::Heading)
            && above.mark.is_none()
            && above.lines.len() == 1;
        let speaker = if merged {
            speakers::parse_two_lines(&above.text, &byline.text)
        } else {
            None
        };
        if let Some(speaker) = speaker {
            let byline = drafts.remove(i);
            let d = &mut drafts[i - 1];
            d.kind = BlockType::Byline;
            d.level = None;
            d.marker = None;
            d.text = format!("{} {}", d.text, byline.text);
            d.lines.extend(byline.lines);
            d.speaker = Some(speaker);
            continue;
        }
        i += 1;
    }
}

/// The ordinal value of a label (`3.` → 3, `나.` → 2, `2)` → 2) and its family.
fn ordinal(label: &str) -> Option<(u32, char)> {
    const HANGUL: &str = "가나다라마바사아자차카타파하";
    let trimmed = label.trim();
    let family = trimmed.chars().last()?;
    let body = trimmed.trim_end_matches(['.', ')']);
    if let Ok(n) = body.parse::<u32>() {
        return Some((n, family));
    }
    let c = body.chars().next()?;
    let pos = HANGUL.chars().position(|h| h == c)?;
    Some((pos as u32 + 1, if family == '.' { '가' } else { '나' }))
}

/// How many sequentially numbered one-line headings in a row make a list.
const MIN_ORDINAL_RUN: usize = 3;

/// Single-line headings numbered in sequence with nothing between them (`가. 사업명 : …`,
/// `나. 일 정 : …`, `다. 장 소 : …`) are a list, not a run of headings.
fn ordinal_runs_to_lists(drafts: &mut [Draft]) {
    let key = |d: &Draft| -> Option<(u32, char)> {
        if d.kind != BlockType::Heading || d.lines.len() != 1 || d.mark.is_some() {
            return None;
        }
        ordinal(d.marker.as_deref()?)
    };
    let mut i = 0;
    while i < drafts.len() {
        let Some((mut n, family)) = key(&drafts[i]) else {
            i += 1;
            continue;
        };
        let mut j = i + 1;
        while j < drafts.len() {
            match key(&drafts[j]) {
                Some((m, f)) if f == family && m == n + 1 => {
                    n = m;
                    j += 1;
                }
                _ => break,
            }
        }
        if j - i >= MIN_ORDINAL_RUN {
            for d in &mut drafts[i..j] {
                d.kind = BlockType::ListItem;
                if let Some(m) = &d.marker {
                    if let Some(rest) = d.text.strip_prefix(m.as_str()) {
                        d.text = rest.trim().to_string();
                    }
                }
                d.level = Some(1);
            }
        }
        i = j;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segment(text: &str) -> Vec<Draft> {
        let pages = crate::extract::text::extract(text).pages;
        let refs: Vec<&Line> = pages.iter().flat_map(|p| &p.lines).collect();
        let tables = pages
            .iter()
            .flat_map(|p| {
                p.lines
                    .iter()
                    .map(|l| l.table.and_then(|t| p.tables.get(t as usize)))
            })
            .collect();
        let never = |_: &str, _: &str| false;
        Segmenter::with_tables(&refs, tables, &never).run()
    }

    #[test]
    fn wrapped_prose_is_one_paragraph() {
        let d = segment("자치구 사회적경제 생태계 권역별로 진행한\n사전포럼 과정을 통해 자치구 생태계 구축의\n성과는 무엇이지, 그것을 기반으로 앞으로\n");
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].kind, BlockType::Paragraph);
        assert_eq!(d[0].lines, vec![0, 1, 2]);
        assert!(d[0]
            .text
            .starts_with("자치구 사회적경제 생태계 권역별로 진행한 사전포럼"));
    }

    #[test]
    fn presentation_heading_joins_its_wrapped_title_and_byline_follows() {
        let d = segment("[발제3] 서울시 사회적경제 5개년\n계획에서는 광역-자치구 지원센터의\n관계를 어떻게 설정하였는가?\n\n서울시사회적경제지원센터 시민경제연구U\n권소일 책임\n");
        assert_eq!(d[0].kind, BlockType::Heading);
        let mark = d[0].mark.as_ref().expect("mark");
        assert_eq!(mark.label, "발제3");
        assert_eq!(
            mark.title,
            "서울시 사회적경제 5개년 계획에서는 광역-자치구 지원센터의 관계를 어떻게 설정하였는가?"
        );
        assert_eq!(d[1].kind, BlockType::Byline);
        assert_eq!(
            d[1].speaker.as_ref().map(|s| s.name.as_str()),
            Some("권소일")
        );
    }

    #[test]
    fn numbered_heading_over_prose_is_split() {
        let d = segment("성과1. 24개 자치구 사회적경제 생태계 기반 조성\n현제 통합지원센터 21개소, 생태계 사업단 3개소가\n운영 중입니다. 이것을 계기로 자치구 사회적경제\n");
        assert_eq!(d[0].kind, BlockType::Heading);
        assert_eq!(d[0].level, Some(2));
        assert_eq!(d[0].text, "성과1. 24개 자치구 사회적경제 생태계 기반 조성");
        assert_eq!(d[1].kind, BlockType::Paragraph);
    }

    /// reg76076.pdf: a `□` line that stops mid-sentence (`…회전 부위에`) starts a list item,
    /// and so does a long numbered line that ends a sentence; a short title stays a heading.
    #[test]
    fn numbered_lines_that_read_as_sentences_are_list_items() {
        let d = segment("□ 「산업안전보건기준에 관한 규칙」제87조에서는 기계의 회전 부위에\n덮개나 울을 설치하도록 규정하고 있음\n");
        assert_eq!(d[0].kind, BlockType::ListItem);
        assert_eq!(d[0].marker.as_deref(), Some("□"));
        assert!(d[0].text.ends_with("규정하고 있음"));
        let d = segment("1. 동 개정안은 사고 예방을 위해 회전 기계에 설치된 덮개나 울을 개방하고 작업하는 경우의 방호조치를 규정한다.\n");
        assert_eq!(d[0].kind, BlockType::ListItem);
        let d = segment("가. 입찰참가자는 효율적인 업무 수행이 가능하도록 세부 추진계획 및 추진방법 등을\n\n제시하여야 한다.\n");
        assert_eq!(d[0].kind, BlockType::ListItem);
        let d = segment("□ 직접비용\n\n산업안전보건기준에 관한 규칙 개정에 따라 사업장이 부담하는 비용은 다음과 같이 추정하였다.\n");
        assert_eq!(d[0].kind, BlockType::Heading);
    }

    #[test]
    fn a_heading_wrapped_over_two_lines_is_one_heading() {
        let d = segment("성과3. 지역문제해결형, 시민체감형 사회적경제\n정책 실천\n\n요즘 시민체감, 시민참여와 연결된 키워드인데요.\n");
        assert_eq!(d[0].kind, BlockType::Heading);
        assert_eq!(
            d[0].text,
            "성과3. 지역문제해결형, 시민체감형 사회적경제 정책 실천"
        );
        assert_eq!(d[0].lines, vec![0, 1]);
    }

    #[test]
    fn emphasised_symbol_heading() {
        let d = segment("■ **성과1.** 24개 자치구 사회적경제 생태계 기반 조성\n");
        assert_eq!(d[0].kind, BlockType::Heading);
        assert_eq!(d[0].marker.as_deref(), Some("■"));
        assert_eq!(d[0].text, "성과1. 24개 자치구 사회적경제 생태계 기반 조성");
    }

    #[test]
    fn list_items_keep_markers_and_continuations() {
        let d = segment("- 지역의 '사회적 가치 창출' 과정에 사회적경제가 참여 함으로써 보호적, 관계기반 사회적경제 모델 제시\n시민들의 사회 연결망 사회적경제 모델 구축\n");
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].kind, BlockType::ListItem);
        assert_eq!(d[0].marker.as_deref(), Some("-"));
        assert!(d[0]
            .text
            .ends_with("모델 제시 시민들의 사회 연결망 사회적경제 모델 구축"));
        let d = segment("- ❖ 비전과 과제 수립 및 추진 과정에서 지역에 대한 소외\n- ❖ 자치구 전문가의 참여가 자연스럽게 제한됨\n");
        assert_eq!(d.len(), 2);
        assert_eq!(d[1].marker.as_deref(), Some("❖"));
        assert_eq!(d[1].text, "자치구 전문가의 참여가 자연스럽게 제한됨");
    }

    #[test]
    fn numbered_lines_together_are_a_list() {
        let d = segment("1. 공동체주의와 참여주의를 기반으로\n2. 민주적 운영과정에 핵심가치를 두며\n3. 협력의 원리로\n");
        assert_eq!(d.len(), 3);
        assert!(d.iter().all(|b| b.kind == BlockType::ListItem));
        assert_eq!(d[2].marker.as_deref(), Some("3."));
    }

    #[test]
    fn sequential_ordinals_in_separate_paragraphs_are_a_list() {
        let d = segment("가. 사업명 : 자치구 사회적경제지원센터 권역별(서북권) 사전 포럼\n\n나. 일 정 : 2020.11.26.(목)\n\n다. 장 소 : 온라인 화상회의\n");
        // Two numbered slide titles in a row stay headings (sample lines 495, 499).
        let two =
            segment("4. 민민거버넌스 사례 (생태계 사업별로 구성)\n\n5. 은평 사회적경제 통합돌봄\n");
        assert!(two.iter().all(|b| b.kind == BlockType::Heading));
        assert!(d.iter().all(|b| b.kind == BlockType::ListItem), "{d:?}");
        assert_eq!(d[1].text, "일 정 : 2020.11.26.(목)");
    }

    #[test]
    fn lone_check_mark_belongs_to_the_next_line() {
        let d = segment("✓\n\n지역사회 거버넌스 구조 다양화 필요\n");
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].kind, BlockType::ListItem);
        assert_eq!(d[0].marker.as_deref(), Some("✓"));
        assert_eq!(d[0].lines, vec![0, 1]);
    }

    #[test]
    fn affiliation_in_its_own_paragraph_joins_the_byline() {
        let d = segment("마포구사회적경제통합지원센터\n\n홍진주 센터장\n");
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].kind, BlockType::Byline);
        let s = d[0].speaker.as_ref().expect("speaker");
        assert_eq!(
            s.affiliation.as_deref(),
            Some("마포구사회적경제통합지원센터")
        );
        assert_eq!(d[0].lines, vec![0, 1]);
    }

    #[test]
    fn footnote_needs_its_superscript() {
        let text = "중에 있음¹. 또한 24개 자치구에 사회적경제 전반을 아울러 지원하고 육성하는\n\n1 중랑구의 경우, 자치구 내 사회적경제팀과 사회적경제 입주공간 지원 등을 자체적으로 진행하고 있으나\n\n1 사회적경제활성화 인프라 구축\n";
        let d = segment(text);
        assert_eq!(d[1].kind, BlockType::Footnote);
        assert_eq!(d[1].marker.as_deref(), Some("1"));
        assert!(d[1].text.starts_with("중랑구의 경우"));
        assert_ne!(d[2].kind, BlockType::Footnote);
    }

    #[test]
    fn page_break_inside_a_paragraph_is_joined() {
        let text = "있었던 것은 아닐까 생각합니다. 또 자치구\n생태계 사업에 대한 연구가 외부 연구자들에 의해\n\n\n\n이루어졌지만 결과나 과정이 현장과 공감하고\n이해하는 평가의 기회들이 부족했던 아쉬움이\n";
        let d = segment(text);
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(d[0].text.contains("연구자들에 의해 이루어졌지만"));
        assert_eq!(d[0].lines, vec![0, 1, 2, 3]);
    }

    #[test]
    fn standalone_page_numbers_are_furniture() {
        let d = segment("것입니다.\n\n28\n\n29\n\n[발제3] 서울시 사회적경제 5개년\n");
        assert_eq!(d[1].kind, BlockType::Furniture);
        assert_eq!(d[1].page_number, Some(28));
        assert_eq!(d[2].page_number, Some(29));
    }

    #[test]
    fn mermaid_fence_is_a_figure() {
        let d = segment("```\n\ngraph TD\n    A[민간주도 네트워크] --> D[지역특화사업 그 이후]\n    B[통합센터] --> D\n```\n\n민간주도\n");
        assert_eq!(d[0].kind, BlockType::Figure);
        let figure = d[0].figure.as_ref().expect("figure");
        assert_eq!(figure.language.as_deref(), Some("mermaid"));
        assert!(figure.source.starts_with("graph TD"));
        assert_eq!(
            d[0].text,
            "민간주도 네트워크\n지역특화사업 그 이후\n통합센터"
        );
        assert_eq!(d[1].kind, BlockType::Paragraph);
    }

    #[test]
    fn toc_lines_are_entries_not_a_table() {
        let d = segment("목 차\n\n8\t[발제1] 자치구별 사회적경제 통합지원센터 현황과 전략과제 : 마포구사회적경제통합지원센터 홍진주 센터장\n22\t토론 1 관악사회적경제통합지원센터장 이종환\n\n2012년부터 서울시는 사회적경제 활성화 지원 정책 중 하나로\n");
        assert_eq!(d[0].kind, BlockType::Heading);
        assert_eq!(d[1].kind, BlockType::TocEntry);
        assert_eq!(d[2].kind, BlockType::TocEntry);
        assert_eq!(d[2].toc[0].page, Some(22));
        assert_eq!(d[3].kind, BlockType::Paragraph);
    }

    #[test]
    fn short_title_over_a_long_line_is_a_heading() {
        let d = segment("지역사회적경제연대 구조(법인) 형성과 성장지원전략 필요\n민민거버넌스 역량강화를 통해 논의의 균형 및 주도적인 역할 확보 필요가 있습니다. 지역 사회적경제연대 네트워크 형성과 성장전략 필요하다는 의견과 더불어서\n");
        assert_eq!(d[0].kind, BlockType::Heading);
        assert_eq!(d[1].kind, BlockType::Paragraph);
    }

    #[test]
    fn presenter_line_inside_a_list_is_a_byline() {
        let d = segment("- 1) 자치구 사회적경제 생태계 구축 발전방향\n발제자 : 관악구 사회적경제통합지원센터 이종환 센터장\n");
        assert_eq!(d[0].kind, BlockType::ListItem);
        assert_eq!(d[0].marker.as_deref(), Some("1)"));
        assert_eq!(d[1].kind, BlockType::Byline);
    }

    #[test]
    fn a_wrapped_sentence_ending_is_not_an_ordinal() {
        // `…할 수 있습니` / `다. 다만 …`: the PDF wrapped inside the word.
        let d = segment("민관에서는 민간의 주도성 기반 구축하였고, 성과라고 할 수 있습니\n다. 다만 행정 견인을 위한 민간 역량강화를 어떻게 할 것인가는\n");
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].kind, BlockType::Paragraph);
    }

    #[test]
    fn a_paragraph_broken_inside_a_word_at_a_page_break_is_one_block() {
        // hwp-pairs kwater_rfp pages 6-7: `…구두로 질의 응답한 사` | page number | `항은 법적
        // 효력을 갖지 못한다.`; the join decision says the break is inside a word (사항).
        let at = |t: &str, page: u32, y: f32, role: LineRole| Line {
            text: t.into(),
            page,
            role,
            font_size: Some(12.0),
            bbox: Some([127.68, y, 540.0, y + 12.0]),
            starts_paragraph: true,
            ..Line::default()
        };
        let mut continued = at("항은 법적 효력을 갖지 못한다.", 7, 85.0, LineRole::Body);
        // The layout says the document breaks lines only at spaces: the analyzer still wins.
        continued.joins_previous_word = Some(false);
        let owned = [
            at(
                "․ 질의사항은 반드시 서면질의하고 전화문의 또는 구두로 질의 응답한 사",
                6,
                759.0,
                LineRole::Body,
            ),
            at("-4-", 6, 790.0, LineRole::PageNumber),
            continued,
            at(
                "※ 제안관련 문의 : K-water 디지털전환추진단",
                7,
                104.0,
                LineRole::Body,
            ),
        ];
        let refs: Vec<&Line> = owned.iter().collect();
        let word = |last: &str, first: &str| last.ends_with('사') && first.starts_with('항');
        let d = Segmenter::new(&refs, &word).run();
        let body: Vec<&Draft> = d
            .iter()
            .filter(|d| d.kind != BlockType::Furniture)
            .collect();
        assert!(
            body[0]
                .text
                .ends_with("질의 응답한 사항은 법적 효력을 갖지 못한다."),
            "{d:?}"
        );
        // A line that stops short of its column's edge breaks no word: the blocks stay apart.
        let mut short = owned.to_vec();
        short[0].bbox = Some([127.68, 759.0, 400.0, 771.0]);
        short.insert(
            0,
            at(
                "제안서는 기한 내에 제출하여야 한다.",
                6,
                700.0,
                LineRole::Body,
            ),
        );
        let refs_short: Vec<&Line> = short.iter().collect();
        let d = Segmenter::new(&refs_short, &word).run();
        assert!(d.iter().any(|d| d.text.starts_with("항은")), "{d:?}");
        // Without a word across the break (and no dangling particle) the blocks stay apart.
        let never = |_: &str, _: &str| false;
        let d = Segmenter::new(&refs, &never).run();
        let body: Vec<&Draft> = d
            .iter()
            .filter(|d| d.kind != BlockType::Furniture)
            .collect();
        assert!(body[1].text.starts_with("항은"), "{d:?}");
    }

    #[test]
    fn a_parenthesised_hangul_ordinal_inside_a_sentence_is_text() {
        // exam_two_column's stem wrapped before `(나)`: the marker-like start is text.
        let d = segment("윗글의 (가)와 (나)에 대한 설명으로 가장 적절한 것은? 단, (가)는 첫째 문단이고\n(나)는 둘째 문단이다.\n");
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(d[0]
            .text
            .ends_with("(가)는 첫째 문단이고 (나)는 둘째 문단이다."));
    }

    #[test]
    fn a_pdf_answer_choice_keeps_its_wrapped_last_syllable() {
        // exam_two_column: `① …한계를 밝힌` / `다.` (a layout wrap), then choice ②.
        let at = |t: &str, x0: f32, y: f32, starts: bool| Line {
            text: t.into(),
            page: 1,
            font_size: Some(10.0),
            bbox: Some([x0, y, 286.0, y + 10.0]),
            starts_paragraph: starts,
            ..Line::default()
        };
        let owned = [
            at(
                "① (가)는 사전포럼의 목적을, (나)는 그 한계를 밝힌",
                68.0,
                100.0,
                true,
            ),
            at("다.", 79.0, 116.0, false),
            at(
                "② (가)와 달리 (나)는 거버넌스의 성과를 제시한다.",
                68.0,
                132.0,
                true,
            ),
        ];
        let refs: Vec<&Line> = owned.iter().collect();
        let never = |_: &str, _: &str| false;
        let d = Segmenter::new(&refs, &never).run();
        assert_eq!(d.len(), 2, "{d:?}");
        assert_eq!(d[0].kind, BlockType::ListItem);
        assert!(d[0].text.ends_with("한계를 밝힌 다."), "{}", d[0].text);
        assert_eq!(d[1].marker.as_deref(), Some("②"));
    }

    #[test]
    fn a_line_under_the_bullet_above_it_is_no_wrap_of_it() {
        // kps_ai.pdf p.4: the layout sees one paragraph; `나.` starts where `❍` starts.
        let at = |t: &str, x1: f32, y: f32, starts: bool| Line {
            text: t.into(),
            page: 4,
            font_size: Some(15.0),
            bbox: Some([42.0, y, x1, y + 15.0]),
            starts_paragraph: starts,
            ..Line::default()
        };
        let owned = [
            at(
                "❍ 디지털 기반 사업지원 강화를 위한 전력산업 특화 서비스 개발",
                500.0,
                553.0,
                true,
            ),
            at(
                "나. 내부 설치형 언어모델(LLM)1) 및 검색증강생성(RAG)2)도입⋅적용",
                499.0,
                576.0,
                false,
            ),
            at(
                "❍ 우리회사 고유업무 및 유관분야 도메인3)에 특화된 언어모델 구축",
                514.0,
                600.0,
                false,
            ),
        ];
        let refs: Vec<&Line> = owned.iter().collect();
        let never = |_: &str, _: &str| false;
        let d = Segmenter::new(&refs, &never).run();
        let markers: Vec<Option<&str>> = d.iter().map(|b| b.marker.as_deref()).collect();
        assert_eq!(markers, [Some("❍"), Some("나."), Some("❍")], "{d:?}");
    }

    #[test]
    fn pdf_heading_wrapped_over_two_lines_is_one_heading() {
        let at = |t: &str, y: f32, size: f32, starts: bool| Line {
            text: t.into(),
            page: 1,
            font_size: Some(size),
            bbox: Some([57.0, y, 283.0, y + size]),
            starts_paragraph: starts,
            ..Line::default()
        };
        for second_starts in [false, true] {
            let owned = [
                at("성과2. 지역의 사회적경제 거버넌스", 76.0, 16.0, true),
                at("구축 및 확장", 97.0, 16.0, second_starts),
                at(
                    "지역의 사회적경제 거버넌스를 구축하고 확장했다는 것입니다. 현재 22개 지역에",
                    125.0,
                    10.0,
                    true,
                ),
            ];
            let refs: Vec<&Line> = owned.iter().collect();
            let never = |_: &str, _: &str| false;
            let d = Segmenter::new(&refs, &never).run();
            assert_eq!(d[0].kind, BlockType::Heading);
            assert_eq!(d[0].text, "성과2. 지역의 사회적경제 거버넌스 구축 및 확장");
            assert_eq!(d[1].kind, BlockType::Paragraph);
        }
    }

    #[test]
    fn pdf_lines_set_larger_are_headings() {
        let body = |t: &str| Line {
            text: t.into(),
            font_size: Some(10.0),
            bbox: Some([0.0, 0.0, 100.0, 10.0]),
            starts_paragraph: true,
            ..Line::default()
        };
        let mut title = body("사회적경제 생태계의 개념");
        title.font_size = Some(16.0);
        let owned = [
            title,
            body("사회적경제운동에 참여하는 다양한 이해당사자주체와 조직 간의 네트워크 체계이자 연대의 관계망"),
            body("사회적경제 조직이 성장할 수 있는 유기적인 환경체계를 의미"),
        ];
        let refs: Vec<&Line> = owned.iter().collect();
        let never = |_: &str, _: &str| false;
        let d = Segmenter::new(&refs, &never).run();
        assert_eq!(d[0].kind, BlockType::Heading);
        assert_eq!(d[0].level, Some(1));
        assert_eq!(d[1].kind, BlockType::Paragraph);
    }

    /// reg86712.pdf page 11: the wrapped lines of a `ㅇ` item, set in the item's type (larger
    /// than the document's body), stay the item's text instead of becoming a heading.
    #[test]
    fn a_wrapped_item_in_larger_type_keeps_its_lines() {
        let at = |t: &str, y: f32, size: f32, starts: bool| Line {
            text: t.into(),
            page: 1,
            font_size: Some(size),
            bbox: Some([82.0, y, 544.0, y + size]),
            starts_paragraph: starts,
            ..Line::default()
        };
        let body =
            "주민대표단 구성 및 운영에 관한 사항을 정하고 동의서 검인 절차를 규정하는 것으로 한다.";
        let owned = [
            at(
                "ㅇ 「노후계획도시정비법」은 「도시정비법」에 따른 재건축사업 등",
                100.0,
                15.0,
                true,
            ),
            at(
                "각종 정비사업에 대한 특례법으로 절차상 노후계획도시정비법에",
                120.0,
                15.0,
                false,
            ),
            at(
                "따른 구역(특별정비구역)을 지정하는 경우 개별사업법*에 따른 구역",
                140.0,
                15.0,
                false,
            ),
            at(body, 170.0, 11.0, true),
            at(body, 190.0, 11.0, true),
            at(body, 210.0, 11.0, true),
        ];
        let refs: Vec<&Line> = owned.iter().collect();
        let never = |_: &str, _: &str| false;
        let d = Segmenter::new(&refs, &never).run();
        assert_eq!(d[0].kind, BlockType::ListItem, "{d:?}");
        assert!(
            d[0].text.ends_with("개별사업법*에 따른 구역"),
            "{}",
            d[0].text
        );
        assert!(d.iter().all(|b| b.kind != BlockType::Heading), "{d:?}");
    }

    /// gov_niklp_workplan.pdf page 9: a `□` line at 15.96pt heads the `-` bullets at 15pt of
    /// its paragraph; at the bullets' size it is one of them.
    #[test]
    fn a_larger_symbol_line_heads_its_bullets() {
        let run = |size: f32| {
            let mut owned = pdf_page_lines(
                8,
                &[
                    "□ 용어 자원 통합 관리 체계 구축(1,213백만원)",
                    "- 용어 분야 분류 통합 정비 및 우리말샘과의 일치 여부 검토(각 2만 건)",
                    "- 전문용어집 전산 데이터베이스화(7권),",
                ],
            );
            owned[0].font_size = Some(size);
            for l in &mut owned[1..] {
                l.font_size = Some(15.0);
                l.starts_paragraph = false;
            }
            let refs: Vec<&Line> = owned.iter().collect();
            let never = |_: &str, _: &str| false;
            let d = Segmenter::new(&refs, &never).run();
            d.iter().map(|d| d.kind).collect::<Vec<_>>()
        };
        assert_eq!(
            run(15.96),
            [BlockType::Heading, BlockType::ListItem, BlockType::ListItem]
        );
        assert_eq!(run(15.0), [BlockType::ListItem; 3]);
    }

    fn pdf_page_lines(page: u32, texts: &[&str]) -> Vec<Line> {
        texts
            .iter()
            .map(|t| Line {
                text: (*t).into(),
                page,
                font_size: Some(10.0),
                bbox: Some([0.0, 0.0, 100.0, 10.0]),
                starts_paragraph: true,
                ..Line::default()
            })
            .collect()
    }

    #[test]
    fn a_toc_without_pages_ends_with_its_page() {
        // kwater_rfp.pdf: the TOC on page 2 prints no page numbers; page 3 opens the body.
        let mut owned = pdf_page_lines(
            2,
            &[
                "목 차",
                "1. 제안공모요강",
                "1.1. 일반사항",
                "1.2. 제안참가안내",
                "첨부1 : 제안서 평가기준 및 작성양식(별도첨부)",
            ],
        );
        owned.extend(pdf_page_lines(3, &["1. 제안공모요강", "1.1. 일반사항"]));
        let refs: Vec<&Line> = owned.iter().collect();
        let never = |_: &str, _: &str| false;
        let d = Segmenter::new(&refs, &never).run();
        assert_eq!(d[0].kind, BlockType::Heading);
        let entries: Vec<&str> = d
            .iter()
            .filter(|d| d.kind == BlockType::TocEntry)
            .map(|d| d.text.as_str())
            .collect();
        assert_eq!(
            entries,
            [
                "1. 제안공모요강",
                "1.1. 일반사항",
                "1.2. 제안참가안내",
                "첨부1 : 제안서 평가기준 및 작성양식(별도첨부)"
            ]
        );
        assert!(d[5..].iter().all(|d| d.kind != BlockType::TocEntry));
    }

    #[test]
    fn a_program_order_without_pages_is_no_toc() {
        // Numbered steps under `기자회견 순서` with no page numbers stay body text (constructed
        // lines: ../shared holds no such program page).
        let owned = pdf_page_lines(
            1,
            &[
                "기자회견 순서",
                "1. 개회 및 취지 발언",
                "2. 발언",
                "3. 기자회견문 낭독",
            ],
        );
        let refs: Vec<&Line> = owned.iter().collect();
        let never = |_: &str, _: &str| false;
        let d = Segmenter::new(&refs, &never).run();
        assert!(d.iter().all(|d| d.kind != BlockType::TocEntry), "{d:?}");
    }

    #[test]
    fn hinted_items_take_bylines_and_inner_markers_and_a_hinted_toc_heading_opens_the_toc() {
        // The sample's lines as Markdown gives them: `## 목 차`, a TOC line (page last, as
        // marker writes it), and line 1671 `- 발제자 : …` as a list item.
        let hinted = |text: &str, hint: SourceHint| Line {
            text: text.into(),
            starts_paragraph: true,
            hint: Some(Box::new(hint)),
            ..Line::with_text(text)
        };
        let plain = |text: &str| Line {
            starts_paragraph: true,
            ..Line::with_text(text)
        };
        let lines = [
            hinted(
                "목 차",
                SourceHint {
                    heading_level: Some(2),
                    ..SourceHint::default()
                },
            ),
            plain("토론 1 관악사회적경제통합지원센터장 이종환 22"),
            plain("토론 2 노원사회적경제지원센터 우순영 센터장 26"),
            hinted(
                "발제자 : 서대문사회적경제마을자치센터 강선규 센터장",
                SourceHint {
                    list_marker: Some("-".into()),
                    ..SourceHint::default()
                },
            ),
            // Line 866, `- ❖ …`.
            hinted(
                "❖ 비전과 과제 수립 및 추진 과정에서 지역에 대한 소외",
                SourceHint {
                    list_marker: Some("-".into()),
                    ..SourceHint::default()
                },
            ),
        ];
        let refs: Vec<&Line> = lines.iter().collect();
        let never = |_: &str, _: &str| false;
        let d = Segmenter::new(&refs, &never).run();
        let kinds: Vec<BlockType> = d.iter().map(|d| d.kind).collect();
        assert_eq!(
            kinds,
            [
                BlockType::Heading,
                BlockType::TocEntry,
                BlockType::TocEntry,
                BlockType::Byline,
                BlockType::ListItem
            ]
        );
        assert_eq!(
            (d[4].marker.as_deref(), d[4].text.as_str()),
            (
                Some("❖"),
                "비전과 과제 수립 및 추진 과정에서 지역에 대한 소외"
            )
        );
        assert_eq!(d[1].toc[0].page, Some(22));
        assert_eq!(
            d[3].speaker.as_ref().map(|s| s.name.as_str()),
            Some("강선규")
        );
    }

    #[test]
    fn source_hints_make_headings_items_notes_and_figures() {
        // Lines as the HWP reader gives them for reg86712 and footnote01.
        let hinted = |text: &str, hint: SourceHint| Line {
            text: text.into(),
            starts_paragraph: true,
            hint: Some(Box::new(hint)),
            ..Line::with_text(text)
        };
        let lines = [
            hinted(
                "규제의 필요성 및 대안선택",
                SourceHint {
                    heading_level: Some(1),
                    list_marker: Some("Ⅰ.".into()),
                    ..SourceHint::default()
                },
            ),
            hinted(
                "플라스틱 액체와 같은 원료를 사출해 3차원 모양의 고체 물질을 찍어내는 기술",
                SourceHint {
                    list_marker: Some("❍".into()),
                    ..SourceHint::default()
                },
            ),
            hinted(
                "플라스틱 액체란 열을 가해 녹인 플라스틱",
                SourceHint {
                    kind: HintKind::Footnote {
                        marker: "1)".into(),
                    },
                    ..SourceHint::default()
                },
            ),
            hinted(
                "x = {a} over {b}",
                SourceHint {
                    kind: HintKind::Equation,
                    ..SourceHint::default()
                },
            ),
            hinted("ㅇ 그간 교통수단의 다변화로", SourceHint::default()),
        ];
        let refs: Vec<&Line> = lines.iter().collect();
        let never = |_: &str, _: &str| false;
        let d = Segmenter::new(&refs, &never).run();
        let kinds: Vec<(BlockType, Option<u8>, Option<&str>)> = d
            .iter()
            .map(|d| (d.kind, d.level, d.marker.as_deref()))
            .collect();
        assert_eq!(
            kinds,
            vec![
                (BlockType::Heading, Some(1), Some("Ⅰ.")),
                (BlockType::ListItem, Some(1), Some("❍")),
                (BlockType::Footnote, None, Some("1)")),
                (BlockType::Figure, None, None),
                // Without a hint `ㅇ` is still a bullet: the list-marker table has it (issue 17).
                (BlockType::ListItem, Some(1), Some("ㅇ")),
            ]
        );
        assert_eq!(
            d[3].figure.as_ref().and_then(|f| f.language.as_deref()),
            Some("equation")
        );
    }
}
