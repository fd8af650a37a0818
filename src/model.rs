//! Plain data passed between the pipeline stages: what `extract` produces and everything after
//! it reads. The PDF path and the text path both end up here, so `normalize`, `structure`,
//! `analyze` and `quality` never need to know where a line came from.

use serde::{Deserialize, Serialize};

/// The input formats jaryo reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Pdf,
    Text,
}

/// A rectangle in PDF points with a top-left origin: `[x0, y0, x1, y1]`, `y` growing downwards.
pub type BBox = [f32; 4];

/// What a line is on its page. Furniture (headers, footers, page numbers) stays in the JSON as
/// its own block type but never enters body text or paragraphs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LineRole {
    #[default]
    Body,
    RunningHeader,
    RunningFooter,
    PageNumber,
}

/// A marked byte range inside `Line::text` that later stages must know about.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LineSpan {
    pub start: usize,
    pub end: usize,
    pub kind: SpanKind,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SpanKind {
    /// Glyphs drawn with a font that has no usable Unicode mapping: the text is unverified.
    UnmappedFont { font: String },
    /// A raised, smaller run (footnote marker such as `¹` or a superscript digit).
    Superscript,
    /// Bold or otherwise emphasised text (markdown `**…**` on the text path, a bold font on PDF).
    Emphasis,
}

/// One line of text in reading order.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Line {
    /// The text, normalised by `normalize`. On table rows, cells are separated by `\t`.
    pub text: String,
    /// 1-based page number (PDF page; on the text path, the page as counted by page breaks).
    pub page: u32,
    /// Text path: the 1-based line number in the source file.
    pub source_line: Option<usize>,
    /// PDF path: where the line sits on its page.
    pub bbox: Option<BBox>,
    /// PDF path: the dominant font size in points.
    pub font_size: Option<f32>,
    pub role: LineRole,
    /// Layout evidence that a new paragraph starts here (a blank line before it on the text
    /// path; a vertical gap, indentation or column change on the PDF path).
    pub starts_paragraph: bool,
    /// Glyph evidence that this line continues the previous one inside a word (the previous
    /// line ended flush at the column edge mid-word). `None` when there is no such evidence.
    pub joins_previous_word: Option<bool>,
    /// PDF path: the id of the ruled or aligned table this row belongs to (cells in `text`
    /// separated by `\t`). Rows of one table share the id.
    pub table: Option<u32>,
    /// 0-based column on the page, in reading order (PDF path).
    pub column: u32,
    pub spans: Vec<LineSpan>,
}

#[cfg(test)]
impl Line {
    /// A line with only its text (tests).
    pub(crate) fn with_text(text: &str) -> Line {
        Line {
            text: text.to_string(),
            ..Line::default()
        }
    }
}

/// A problem found on a page as a whole (no text layer, an unmapped font, a panic caught).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PageFlag {
    /// `no_text_layer`, `unmapped_font`, `extraction_failed`, `private_use`, …
    pub kind: String,
    pub detail: String,
}

/// Facts about one page that the quality stage reports in `quality.pages`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct PageFacts {
    /// The page carries a text layer (at least one glyph).
    pub text_layer: bool,
    pub glyphs: usize,
    /// Glyphs drawn with fonts that have no usable Unicode mapping.
    pub unmapped_glyphs: usize,
    pub flags: Vec<PageFlag>,
}

/// A ruling line or filled rectangle on a PDF page (tables are drawn with them).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Rule {
    pub bbox: BBox,
}

/// One page after extraction.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Page {
    /// 1-based.
    pub number: u32,
    /// PDF path: the page size in points (0 on the text path).
    pub width: f32,
    pub height: f32,
    pub lines: Vec<Line>,
    pub rules: Vec<Rule>,
    pub facts: PageFacts,
}

/// What `extract` hands to the rest of the pipeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExtractedDocument {
    pub format: Format,
    pub pages: Vec<Page>,
}

impl ExtractedDocument {
    /// Every line's text in reading order, one line per `\n` (furniture included).
    pub fn text(&self) -> String {
        self.pages
            .iter()
            .flat_map(|p| &p.lines)
            .map(|l| l.text.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    }
}
