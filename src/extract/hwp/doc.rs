//! The HWP/HWPX document as both readers produce it, before it becomes `model` pages: paragraphs
//! with their shape and style ids, and the controls (tables, header/footer, notes, shapes,
//! equations) they hold. HWP 5.0 records and HWPX XML both land here, so numbering and the
//! conversion to pages are written once.

/// How a paragraph shape numbers its paragraphs (HWP 5.0 `PARA_SHAPE` bits 23–24, HWPX
/// `hh:heading type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HeadKind {
    #[default]
    None,
    /// 개요: the section's outline numbering; an outline paragraph is a heading.
    Outline,
    /// 문단 번호: a numbering definition.
    Number,
    /// 글머리표: a bullet definition.
    Bullet,
}

/// What the readers keep of a paragraph shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ParaShape {
    pub head: HeadKind,
    /// 0-based level (개요 1 = 0).
    pub level: u8,
    /// The numbering or bullet id as the file stores it (1-based; 0 = none).
    pub head_id: u16,
}

/// One level of a numbering definition: the format string (`^1.`, `(^2)`) and how the
/// counter is written.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LevelFormat {
    pub format: String,
    pub shape: NumberShape,
    pub start: u32,
}

/// A numbering definition (`NUMBERING` record, `hh:numbering`): formats for levels 1–10.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Numbering {
    pub levels: Vec<LevelFormat>,
}

/// How a counter value is written (HWP 5.0 number shape codes, HWPX `numFormat`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NumberShape {
    #[default]
    Digit,
    CircledDigit,
    RomanCapital,
    RomanSmall,
    LatinCapital,
    LatinSmall,
    CircledLatinCapital,
    CircledLatinSmall,
    HangulSyllable,
    CircledHangulSyllable,
    HangulJamo,
    CircledHangulJamo,
    HangulPhonetic,
    Ideograph,
    CircledIdeograph,
}

/// The document-wide definitions paragraphs refer to by id.
#[derive(Debug, Clone, Default)]
pub struct Definitions {
    /// Indexed by the paragraph's shape id.
    pub para_shapes: Vec<ParaShape>,
    /// Style names, indexed by the paragraph's style id.
    pub styles: Vec<String>,
    /// Indexed by id − 1.
    pub numberings: Vec<Numbering>,
    /// Bullet characters, indexed by id − 1.
    pub bullets: Vec<String>,
    /// Each border/fill definition's solid background as `0x00BBGGRR`, `None` without one;
    /// indexed by id − 1.
    pub cell_fills: Vec<Option<u32>>,
}

impl Definitions {
    /// The solid background colour of border/fill definition `id` (1-based), as `[r, g, b]`;
    /// `None` when it has none or is white.
    pub fn shading(&self, id: u16) -> Option<[u8; 3]> {
        let colour = (*self.cell_fills.get(usize::from(id).checked_sub(1)?)?)?;
        let rgb = [colour as u8, (colour >> 8) as u8, (colour >> 16) as u8];
        (rgb != [255, 255, 255]).then_some(rgb)
    }
}

/// A paragraph: its text (controls removed), ids and the controls it holds, in file order.
#[derive(Debug, Clone, Default)]
pub struct Para {
    pub text: String,
    pub para_shape: u32,
    pub style: u32,
    /// The file puts a page break (or a new section on a new page) before this paragraph.
    pub page_break: bool,
    pub controls: Vec<Control>,
}

/// Something anchored in a paragraph.
#[derive(Debug, Clone)]
pub enum Control {
    Table(Table),
    Header(Vec<Para>),
    Footer(Vec<Para>),
    Footnote(Vec<Para>),
    Endnote(Vec<Para>),
    Shape(Shape),
    Equation {
        script: String,
        caption: Option<Caption>,
    },
    /// Section definition: the outline numbering id and the footnote marker's decoration.
    Section(SectionDef),
}

/// What a section definition says that reading needs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SectionDef {
    /// The numbering id used by outline paragraphs (1-based; 0 = the document default).
    pub outline_numbering: u16,
    pub footnote_prefix: String,
    pub footnote_suffix: String,
    pub endnote_prefix: String,
    pub endnote_suffix: String,
}

/// A caption and whether it sits above/left of its object (`true`) or below/right.
#[derive(Debug, Clone, Default)]
pub struct Caption {
    pub paras: Vec<Para>,
    pub before: bool,
}

/// A drawing object: a picture, a text box or another shape (groups flattened).
#[derive(Debug, Clone, Default)]
pub struct Shape {
    pub picture: bool,
    /// The object's description (alt text), if any.
    pub description: String,
    pub caption: Option<Caption>,
    /// Text box paragraphs in reading order.
    pub text: Vec<Para>,
}

/// A table as the file defines it.
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub rows: u32,
    pub cols: u32,
    /// The table repeats its header rows on each page (제목 줄 반복).
    pub repeat_header: bool,
    pub cells: Vec<TableCell>,
    pub caption: Option<Caption>,
}

#[derive(Debug, Clone, Default)]
pub struct TableCell {
    pub row: u32,
    pub col: u32,
    pub row_span: u32,
    pub col_span: u32,
    pub header: bool,
    /// The cell's border/fill definition (1-based into `Definitions::cell_fills`; 0 unknown).
    pub border_fill: u16,
    pub paras: Vec<Para>,
}

/// One body section (`BodyText/SectionN`, `Contents/sectionN.xml`).
#[derive(Debug, Clone, Default)]
pub struct Section {
    pub paras: Vec<Para>,
    /// Why part of the section could not be read (the paragraphs before the loss are kept).
    pub loss: Option<String>,
}

/// A whole document.
#[derive(Debug, Clone, Default)]
pub struct Document {
    pub definitions: Definitions,
    pub sections: Vec<Section>,
}
