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
    /// HWP 5.0 (compound file), whatever the file's extension.
    Hwp,
    /// HWPX (OWPML zip).
    Hwpx,
    /// Markdown (CommonMark with GFM tables), by extension `.md` or by content.
    Markdown,
    /// HTML, by extension `.html` or `.htm`; read through the Markdown path's page model.
    Html,
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
    /// The line stands for a table: the index of that table in its page's `Page::tables`.
    /// Such lines keep the table's place in the reading order: one anchor line with empty
    /// text (PDF, HWP, Markdown), or the table's own source rows (tab-separated text, whose
    /// rows keep their text because the structure stage may read them as TOC lines). The
    /// table's content is in its typed cells either way.
    pub table: Option<u32>,
    /// 0-based column on the page, in reading order (PDF path).
    pub column: u32,
    pub spans: Vec<LineSpan>,
    /// What the source format itself says about this line (HWP/HWPX styles and outline
    /// levels, Markdown syntax). `None` on PDF and plain text.
    pub hint: Option<Box<SourceHint>>,
}

/// What a structured source (HWP/HWPX, Markdown) says about a line: stronger evidence than
/// anything the structure stage infers from the text alone.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct SourceHint {
    /// The heading level the source gives, 1 = top (HWP outline level + 1, Markdown `#` count).
    pub heading_level: Option<u8>,
    /// The paragraph style's name (HWP/HWPX `개요 1`, `본문`, …).
    pub style: Option<String>,
    /// A list marker the source generates or writes (`1.`, `가.`, `•`), not part of `text`.
    pub list_marker: Option<String>,
    pub kind: HintKind,
    /// Where in the file the line comes from (HWP: section and paragraph).
    pub location: Option<SourceRef>,
}

/// What kind of content a structured source says a line is.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HintKind {
    /// Ordinary text (a heading when `heading_level` is set).
    #[default]
    Text,
    /// A footnote or endnote body with its marker (`1)`, `*`).
    Footnote { marker: String },
    /// A caption of a table or picture.
    Caption,
    /// A picture or drawing object; `text` holds its description or alt text.
    Figure,
    /// An equation; `text` holds its script (not prose).
    Equation,
    /// Fenced code or a diagram source (`mermaid`).
    Code { language: Option<String> },
    /// A block quote.
    Quote,
    /// PDF: text that exists only in an annotation (a form field's value, a FreeText note),
    /// not in the page's content.
    Annotation(Annotation),
}

/// Text a PDF annotation carries: which kind of annotation, and the form field's name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Annotation {
    pub kind: AnnotationKind,
    /// Form fields: the field's full name (`/T` of the field and its parents, dot-joined).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AnnotationKind {
    /// A form field's value (`/Widget` with `/V`, or the text of its appearance stream).
    FormField,
    /// A `FreeText` annotation (text typed onto the page).
    FreeText,
}

/// A place inside a structured source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceRef {
    /// HWP/HWPX body section, 0-based.
    pub section: u32,
    /// Paragraph index inside the section (top-level paragraphs; a cell's paragraph gets the
    /// index of the paragraph holding the table), 0-based.
    pub paragraph: u32,
    /// For text inside a table: `[row, column]` of the cell.
    pub cell: Option<[u32; 2]>,
}

/// Where a typed table came from: how much its grid can be trusted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TableOrigin {
    /// PDF: cells from ruling lines.
    #[default]
    Ruled,
    /// PDF: cells from column alignment without rulings.
    Aligned,
    /// Text: tab-separated rows.
    Delimited,
    /// Markdown pipe tables or HTML `<table>`.
    Markup,
    /// HWP/HWPX: the file's own table.
    Hwp,
}

/// One cell of a typed table. A cell covers `row..row + row_span` and `col..col + col_span`;
/// grid positions covered by another cell's span have no cell of their own.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cell {
    pub row: u32,
    pub col: u32,
    /// At least 1.
    pub row_span: u32,
    /// At least 1.
    pub col_span: u32,
    /// The cell's text lines in reading order (their own bbox, spans and hints).
    pub lines: Vec<Line>,
    pub bbox: Option<BBox>,
    /// 1-based page the cell is on.
    pub page: u32,
    /// The source marks the cell as a header (HWP header row, `<th>`, a Markdown header row).
    pub header: bool,
}

/// A table with typed cells, as every reader produces it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Table {
    /// 1-based page of the table's first row.
    pub page: u32,
    pub bbox: Option<BBox>,
    pub rows: u32,
    pub cols: u32,
    /// Sorted by `(row, col)`.
    pub cells: Vec<Cell>,
    /// How many leading rows are headers when the source says so (HWP, Markdown, HTML) or a
    /// PDF's drawing shows it (shaded leading rows); `None` leaves it to the structure stage.
    pub header_rows: Option<u32>,
    pub origin: TableOrigin,
}

impl Cell {
    /// A one-by-one cell at `(row, col)` on `page` holding `lines`.
    pub fn new(row: u32, col: u32, page: u32, lines: Vec<Line>) -> Cell {
        Cell {
            row,
            col,
            row_span: 1,
            col_span: 1,
            lines,
            bbox: None,
            page,
            header: false,
        }
    }

    /// The cell's lines' texts joined by `\n`.
    pub fn text(&self) -> String {
        self.lines
            .iter()
            .map(|l| l.text.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    }
}

impl Table {
    /// Sorts the cells and derives `rows` and `cols` from them (the smallest grid that holds
    /// every cell with its spans).
    pub fn normalize_grid(&mut self) {
        self.cells.sort_by_key(|c| (c.row, c.col));
        self.rows = self
            .cells
            .iter()
            .map(|c| c.row + c.row_span.max(1))
            .max()
            .unwrap_or(0);
        self.cols = self
            .cells
            .iter()
            .map(|c| c.col + c.col_span.max(1))
            .max()
            .unwrap_or(0);
    }

    /// The rows `first..end` as a table of their own (cells that start there; spans clipped
    /// at `end`).
    pub fn row_range(&self, first: u32, end: u32) -> Table {
        let cells = self
            .cells
            .iter()
            .filter(|c| c.row >= first && c.row < end)
            .map(|c| Cell {
                row: c.row - first,
                row_span: c.row_span.max(1).min(end - c.row),
                ..c.clone()
            })
            .collect();
        let mut table = Table {
            cells,
            header_rows: self.header_rows.filter(|_| first == 0),
            ..self.clone()
        };
        table.normalize_grid();
        table.cols = table.cols.max(self.cols);
        table
    }

    /// The cell whose area covers grid position `(row, col)`, if any.
    pub fn cell_at(&self, row: u32, col: u32) -> Option<&Cell> {
        self.cells.iter().find(|c| {
            row >= c.row
                && row < c.row + c.row_span.max(1)
                && col >= c.col
                && col < c.col + c.col_span.max(1)
        })
    }
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
    /// PDF path: image XObjects the page draws.
    #[serde(default)]
    pub images: usize,
    /// PDF path: ruling lines and box edges the page draws.
    #[serde(default)]
    pub drawings: usize,
    /// PDF path: why the text layer is an invisible OCR layer (render mode 3, a GlyphLessFont
    /// or Hidden…OCR font), when it is one.
    #[serde(default)]
    pub ocr_layer: Option<String>,
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
    /// The page's typed tables; each has its anchor line(s) (`Line::table`) in `lines`.
    pub tables: Vec<Table>,
    pub facts: PageFacts,
    /// PDF path: how the document's writer broke its lines (the same on every page).
    #[serde(default)]
    pub wrap_habit: WrapHabit,
}

/// How a PDF's writer broke its lines, judged from the room its wrapped lines leave before the
/// column edge (PDF path; `Unknown` elsewhere).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WrapHabit {
    /// Too few wraps to tell, mixed, or not a PDF.
    #[default]
    Unknown,
    /// Only at spaces (CSS `word-break: keep-all`): wrapped lines often leave room for more than
    /// a syllable, and every wrap is a word boundary.
    AtSpaces,
    /// Anywhere, inside words too (Chromium's default for Korean, `break-all`; Hancom's break
    /// between syllables): wrapped lines fill their column to within a syllable, or leave room
    /// the fonts cannot measure, and most wraps fall inside a word.
    Anywhere,
}

/// What `extract` hands to the rest of the pipeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExtractedDocument {
    pub format: Format,
    pub pages: Vec<Page>,
}

impl Page {
    /// Every line's text in reading order, a table anchor giving its cells' lines (row by
    /// row) in its place (furniture included).
    pub fn texts(&self) -> impl Iterator<Item = &str> {
        self.lines.iter().flat_map(move |line| {
            let anchored = line
                .table
                .filter(|_| line.text.is_empty())
                .and_then(|t| self.tables.get(t as usize));
            let cells = anchored
                .into_iter()
                .flat_map(|t| t.cells.iter().flat_map(|c| c.lines.iter()))
                .map(|l| l.text.as_str());
            let own = anchored.is_none().then_some(line.text.as_str());
            own.into_iter().chain(cells)
        })
    }
}

impl ExtractedDocument {
    /// Every line's text in reading order, one line per `\n` (furniture and table cells
    /// included).
    pub fn text(&self) -> String {
        self.pages
            .iter()
            .flat_map(Page::texts)
            .collect::<Vec<_>>()
            .join("\n")
    }
}
