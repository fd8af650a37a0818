//! The output contract, schema `jaryo/1` (see DESIGN.md): the types serialised to
//! `output/<name>.json`. `jaryo schema` prints the JSON Schema generated from these types.
//! Keep the field names; add fields freely.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::model::{BBox, Format};

mod token;

pub use token::{Pos, Token, TokenJson, TokensJson};

pub const SCHEMA_ID: &str = "jaryo/1";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Document {
    pub schema: String,
    pub source: SourceInfo,
    /// PDF input: each page's size in points, in page order (blocks' `bbox`es are within it).
    /// Text input has no page boxes: the field is omitted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pages: Vec<PageSize>,
    pub title: Option<String>,
    pub toc: Vec<TocEntry>,
    /// The section tree, in document order.
    pub sections: Vec<Section>,
    /// Every block once, in reading order.
    pub blocks: Vec<Block>,
    /// Key/value metadata from the colophon (발행처, 발행일, 주소, …).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub colophon: Vec<KeyValue>,
    /// The program (순서, 식순, 프로그램) of a forum or press conference: who does what, in
    /// order. Omitted when the document has none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub program: Vec<ProgramItem>,
    pub quality: DocumentQuality,
}

/// One item of a program: its role (사회, 발표, 토론, …), what it is about, and who.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ProgramItem {
    pub role: ProgramRole,
    /// What the item is about (`진상규명 과제`), when the program says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub speakers: Vec<Speaker>,
    /// The page the item is listed on.
    pub page: Option<u32>,
}

/// The part someone plays in a program.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProgramRole {
    /// 사회, 진행
    Moderator,
    /// 좌장
    Chair,
    /// 인사말, 개회사, 환영사
    Greeting,
    /// 축사
    Congratulation,
    /// 기조발제, 기조강연
    Keynote,
    /// 발표, 발제, 주제발표
    Presentation,
    /// 토론, 지정토론, 종합토론
    Discussion,
    /// 질의, 질의응답
    Questions,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SourceInfo {
    pub path: String,
    pub sha256: String,
    pub format: Format,
    pub pages: u32,
    /// Text input: the encoding it was decoded from (`utf-8`, `euc-kr`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
}

/// A page's box: 1-based number, width and height in points.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PageSize {
    pub page: u32,
    pub width: f32,
    pub height: f32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TocEntry {
    pub label: Option<String>,
    pub title: String,
    pub page: Option<u32>,
    /// The id of the section this entry points to.
    pub section: Option<String>,
    /// The entry's depth in the TOC from its numbering (`Ⅰ.` → 1, `1.` → 2, `가.` → 3; the
    /// first scheme seen is the top), when it is numbered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<u8>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct KeyValue {
    pub key: String,
    pub value: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SectionKind {
    FrontMatter,
    Presentation,
    Discussion,
    Appendix,
    Forum,
    Colophon,
    Other,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Speaker {
    pub name: String,
    pub role: Option<String>,
    pub affiliation: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Section {
    pub id: String,
    pub kind: SectionKind,
    pub label: Option<String>,
    pub title: Option<String>,
    pub level: u8,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub speakers: Vec<Speaker>,
    pub page: Option<u32>,
    /// Ids of the blocks directly in this section (not in its children), in reading order.
    pub blocks: Vec<String>,
    pub children: Vec<Section>,
    /// For a section the TOC lists but the body never heads: the evidence used to place it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub located_by: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum BlockType {
    Title,
    Heading,
    Paragraph,
    ListItem,
    Table,
    Caption,
    Footnote,
    Figure,
    TocEntry,
    Byline,
    /// Running headers, footers and page numbers: kept for provenance, never body text.
    Furniture,
}

// Serialised through `BlockJson`, which writes the tokens with their text. (A plain comment:
// doc comments here go into the JSON Schema.)
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
pub struct Block {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: BlockType,
    /// The id of the innermost section holding this block.
    pub section: Option<String>,
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<u8>,
    /// A list or footnote marker (`-`, `①`, `1`, `¹`), kept out of `text`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub marker: Option<String>,
    /// 1-based page: the PDF's page; on text input the booklet's printed page; on HWP/HWPX
    /// input counted from the file's explicit page breaks, null when the file has none.
    pub page: Option<u32>,
    /// PDF input: points, top-left origin.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bbox: Option<BBox>,
    /// PDF input: the last page of a block that continues across a page break (a paragraph
    /// from the foot of one page onto the next); absent when the block stays on `page`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_page: Option<u32>,
    /// Text input: first and last source line (1-based).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lines: Option<[usize; 2]>,
    /// HWP/HWPX input: where the block's first paragraph is in the file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<SourceLocation>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table: Option<Box<Table>>,
    /// Figure blocks: the source of a fenced diagram (e.g. mermaid) and its language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub figure: Option<Figure>,
    /// PDF input: the block is the text of an annotation (a form field's value, a FreeText
    /// note), not of the page's content.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotation: Option<crate::model::Annotation>,
    /// Byte ranges of `text` that were emphasised (`**…**`, bold fonts).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub emphasis: Vec<[usize; 2]>,
    #[schemars(with = "Vec<TokenJson<'static>>")]
    pub tokens: Vec<Token>,
    pub quality: BlockQuality,
}

/// A block as it is written: [`Block`]'s fields, borrowed, in order, with the tokens given
/// their text.
#[derive(Serialize)]
struct BlockJson<'a> {
    id: &'a str,
    #[serde(rename = "type")]
    kind: BlockType,
    section: Option<&'a str>,
    text: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    level: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    marker: Option<&'a str>,
    page: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    bbox: Option<BBox>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_page: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    lines: Option<[usize; 2]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    location: Option<SourceLocation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    table: Option<&'a Table>,
    #[serde(skip_serializing_if = "Option::is_none")]
    figure: Option<&'a Figure>,
    #[serde(skip_serializing_if = "Option::is_none")]
    annotation: Option<&'a crate::model::Annotation>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    emphasis: &'a [[usize; 2]],
    tokens: TokensJson<'a>,
    quality: &'a BlockQuality,
}

impl Serialize for Block {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        BlockJson {
            id: &self.id,
            kind: self.kind,
            section: self.section.as_deref(),
            text: &self.text,
            level: self.level,
            marker: self.marker.as_deref(),
            page: self.page,
            bbox: self.bbox,
            end_page: self.end_page,
            lines: self.lines,
            location: self.location,
            table: self.table.as_deref(),
            figure: self.figure.as_ref(),
            annotation: self.annotation.as_ref(),
            emphasis: &self.emphasis,
            tokens: TokensJson {
                text: &self.text,
                tokens: &self.tokens,
            },
            quality: &self.quality,
        }
        .serialize(serializer)
    }
}

/// A place in an HWP/HWPX file: body section and paragraph (0-based, top-level paragraphs; a
/// table cell's text gives the paragraph holding the table and the cell).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct SourceLocation {
    pub section: u32,
    pub paragraph: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cell: Option<[u32; 2]>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
pub struct Table {
    /// Cells as a 2-D array; every row has the same number of cells (empty cells kept). A
    /// cell that spans several grid positions gives its text to its top-left position; the
    /// positions it covers are empty strings (see `cells` for the spans).
    pub rows: Vec<Vec<String>>,
    pub header_rows: usize,
    /// The id of the caption block attached to this table.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caption: Option<String>,
    /// The typed cells with their spans, sorted by `(row, col)`; grid positions covered by a
    /// span have no cell of their own.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cells: Vec<TableCell>,
    /// Pages the table's rows are on (a table continued over pages lists each).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pages: Vec<u32>,
    /// Header rows a continuation page repeats, kept out of `rows` and `cells` (the same text
    /// as the first `header_rows` rows).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub repeated_headers: Vec<RepeatedHeader>,
}

/// The header rows a table repeats at the top of a continuation page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RepeatedHeader {
    pub page: u32,
    pub rows: Vec<Vec<String>>,
}

/// One cell of a table with its span, text and provenance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TableCell {
    /// 0-based row of the cell's top-left grid position.
    pub row: usize,
    /// 0-based column of the cell's top-left grid position.
    pub col: usize,
    pub row_span: usize,
    pub col_span: usize,
    pub text: String,
    /// PDF input: the cell's box in points, top-left origin.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bbox: Option<BBox>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    /// The cell is a header cell (a header row, or marked so by the source).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub header: bool,
    /// A letter-spaced label (`정 책 책 임 자`) as the source spread it; `text` has it joined.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spaced_as: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Figure {
    pub language: Option<String>,
    pub source: String,
}

#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Worth a look; the text is probably usable.
    #[default]
    Info,
    /// The span is probably damaged.
    Warning,
    /// The span cannot be trusted.
    Error,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Flag {
    /// What was detected (`illegible`, `replacement_char`, `mojibake`, `foreign_script`, …).
    pub kind: String,
    /// Byte offsets into the block text, or into the cell named by `cell` for tables.
    pub start: usize,
    pub end: usize,
    /// `start`/`end` in Unicode code points, into the same text (what Python, pandas and
    /// DuckDB slice by).
    #[serde(default)]
    pub char_start: usize,
    #[serde(default)]
    pub char_end: usize,
    /// The flagged span itself: the text between `start` and `end`.
    #[serde(default)]
    pub text: String,
    /// Tables: `[row, column]` of the cell the offsets refer to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cell: Option<[usize; 2]>,
    pub detail: String,
    pub severity: Severity,
    /// The repaired text, when the repair is certain (mojibake).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repair: Option<String>,
}

impl Flag {
    /// Fills `text`, `char_start` and `char_end` from the byte offsets into `source` (the
    /// block text, or the cell the flag names). Offsets inside a character are moved back to
    /// its start; offsets past the end are clamped.
    pub fn locate(&mut self, source: &str) {
        let start = token::floor_char_boundary(source, self.start);
        let end = token::floor_char_boundary(source, self.end).max(start);
        self.char_start = source[..start].chars().count();
        self.char_end = self.char_start + source[start..end].chars().count();
        self.text = source[start..end].to_string();
    }
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
pub struct BlockQuality {
    /// 1.0 is clean text; 0.0 is text that cannot be trusted at all.
    pub score: f32,
    pub flags: Vec<Flag>,
}

/// What a page's text layer is worth, as a reader would judge it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PageVerdict {
    /// The text layer carries the page's text (flags on blocks may still mark damage).
    #[default]
    Text,
    /// No text layer, but the page shows images or drawings (a scan): worth OCR.
    NoTextLayer,
    /// A text layer that does not carry the visible text (unmapped fonts, mostly U+FFFD, no
    /// Hangul where the page shows Korean): worth OCR.
    UnreadableTextLayer,
    /// An invisible OCR layer (render mode 3, GlyphLessFont, Hidden…OCR fonts) over a scan: the
    /// text is an OCR engine's reading, as plausible as its flags say.
    OcrLayer,
    /// Nothing on the page: no glyph, no image, no drawing. Not a scan, not worth OCR.
    Blank,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
pub struct PageQuality {
    pub page: u32,
    /// The page's verdict: `text`, `no_text_layer`, `unreadable_text_layer`, `ocr_layer` or
    /// `blank`.
    #[serde(default)]
    pub verdict: PageVerdict,
    pub text_layer: bool,
    /// Page-level flag kinds (`no_text_layer`, `unmapped_font`, `extraction_failed`, …) and the
    /// kinds of the block flags on this page.
    pub flags: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub details: Vec<String>,
    /// Share of this page's text bytes covered by flags.
    #[serde(default)]
    pub flagged_share: f32,
    /// The page is worth sending to OCR again.
    #[serde(default)]
    pub reocr: bool,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
pub struct DocumentQuality {
    pub score: f32,
    pub flagged_blocks: usize,
    /// Flag counts by kind.
    #[serde(default)]
    pub flags_by_kind: std::collections::BTreeMap<String, usize>,
    /// Share of the document's text bytes covered by flags.
    #[serde(default)]
    pub flagged_share: f32,
    pub pages: Vec<PageQuality>,
}

impl Document {
    /// A document made by hand of `blocks` from `path` in `format`, with nothing else (no
    /// TOC, sections or quality yet): for tools and tests that assess hand-built blocks.
    pub fn of_blocks(path: impl Into<String>, format: Format, blocks: Vec<Block>) -> Document {
        Document {
            schema: SCHEMA_ID.to_string(),
            source: SourceInfo {
                path: path.into(),
                sha256: String::new(),
                format,
                pages: 1,
                encoding: None,
            },
            pages: Vec::new(),
            title: None,
            toc: Vec::new(),
            sections: Vec::new(),
            blocks,
            colophon: Vec::new(),
            program: Vec::new(),
            quality: DocumentQuality::default(),
        }
    }
}

impl Block {
    /// A block with its id, type and text, on page 1, and nothing else: for tools and tests
    /// that build blocks by hand.
    pub fn new(id: impl Into<String>, kind: BlockType, text: impl Into<String>) -> Block {
        Block {
            id: id.into(),
            kind,
            section: None,
            text: text.into(),
            level: None,
            marker: None,
            page: Some(1),
            bbox: None,
            lines: None,
            end_page: None,
            location: None,
            table: None,
            figure: None,
            annotation: None,
            emphasis: Vec::new(),
            tokens: Vec::new(),
            quality: BlockQuality::default(),
        }
    }
}
