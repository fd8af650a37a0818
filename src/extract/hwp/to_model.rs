//! The HWP document becomes `model` pages: one line per paragraph with its source hint,
//! header/footer lines as running furniture, notes after the paragraph that references them,
//! tables as typed tables with an anchor line, captions, figures and equations as hinted lines.
//! Pages advance only where the file says (explicit page breaks, new sections).

use super::doc::{Caption, Control, Document, HeadKind, Para, SectionDef, Table};
use super::numbering::Numberer;
use crate::model::{
    Cell, ExtractedDocument, Format, HintKind, Line, LineRole, Page, PageFacts, PageFlag,
    SourceHint, SourceRef, Table as ModelTable, TableOrigin,
};

/// Converts a read document into pages.
pub fn to_model(document: &Document, format: Format) -> ExtractedDocument {
    let mut builder = Builder {
        document,
        pages: vec![new_page(1)],
        numberer: Numberer::default(),
        section: SectionDef {
            footnote_suffix: ")".into(),
            endnote_suffix: ")".into(),
            ..SectionDef::default()
        },
        footnotes: 0,
        endnotes: 0,
    };
    for (index, section) in document.sections.iter().enumerate() {
        // A new section starts a new page.
        if index > 0 {
            builder.break_page();
        }
        for (p, para) in section.paras.iter().enumerate() {
            let at = SourceRef {
                section: index as u32,
                paragraph: p as u32,
                cell: None,
            };
            builder.top_paragraph(para, at);
        }
        if let Some(loss) = &section.loss {
            builder.page().facts.flags.push(PageFlag {
                kind: "extraction_failed".into(),
                detail: loss.clone(),
            });
        }
    }
    let mut pages = builder.pages;
    for page in &mut pages {
        let glyphs: usize = page
            .lines
            .iter()
            .map(|l| l.text.chars().filter(|c| !c.is_whitespace()).count())
            .chain(page.tables.iter().flat_map(|t| &t.cells).flat_map(|c| {
                c.lines
                    .iter()
                    .map(|l| l.text.chars().filter(|c| !c.is_whitespace()).count())
            }))
            .sum();
        page.facts.glyphs = glyphs;
        page.facts.text_layer = glyphs > 0;
    }
    ExtractedDocument { format, pages }
}

fn new_page(number: u32) -> Page {
    Page {
        number,
        facts: PageFacts::default(),
        ..Page::default()
    }
}

struct Builder<'d> {
    document: &'d Document,
    pages: Vec<Page>,
    numberer: Numberer,
    /// The current section's definition.
    section: SectionDef,
    footnotes: u32,
    endnotes: u32,
}

impl Builder<'_> {
    fn page(&mut self) -> &mut Page {
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    fn page_number(&self) -> u32 {
        self.pages.len() as u32
    }

    /// Starts a new page unless the current one is still empty.
    fn break_page(&mut self) {
        let page = self.page();
        if !page.lines.is_empty() || !page.tables.is_empty() {
            let number = self.page_number() + 1;
            self.pages.push(new_page(number));
        }
    }

    fn push(&mut self, line: Line) {
        self.page().lines.push(line);
    }

    /// A body paragraph with everything it anchors.
    fn top_paragraph(&mut self, para: &Para, at: SourceRef) {
        if para.page_break {
            self.break_page();
        }
        for control in &para.controls {
            if let Control::Section(def) = control {
                self.section = def.clone();
            }
        }
        for control in &para.controls {
            let (paras, role) = match control {
                Control::Header(paras) => (paras, LineRole::RunningHeader),
                Control::Footer(paras) => (paras, LineRole::RunningFooter),
                _ => continue,
            };
            for p in paras {
                let mut line = self.paragraph_line(p, at, HintKind::Text);
                line.role = role;
                if !line.text.trim().is_empty() {
                    self.push(line);
                }
            }
        }
        let line = self.paragraph_line(para, at, HintKind::Text);
        if !line.text.trim().is_empty() {
            self.push(line);
        }
        let mut notes = Vec::new();
        for control in &para.controls {
            match control {
                Control::Table(table) => self.table(table, at),
                Control::Shape(shape) => {
                    self.caption(shape.caption.as_ref(), true, at);
                    if shape.picture || !shape.description.is_empty() {
                        // One line: the description's own line breaks become spaces.
                        let description = shape.description.split_whitespace();
                        let text = description.collect::<Vec<_>>().join(" ");
                        let line = self.hinted(text, at, HintKind::Figure);
                        self.push(line);
                    }
                    for p in &shape.text {
                        self.body_line(p, at);
                    }
                    self.caption(shape.caption.as_ref(), false, at);
                }
                Control::Equation { script, caption } => {
                    self.caption(caption.as_ref(), true, at);
                    let line = self.hinted(script.trim().to_string(), at, HintKind::Equation);
                    if !line.text.is_empty() {
                        self.push(line);
                    }
                    self.caption(caption.as_ref(), false, at);
                }
                Control::Footnote(paras) => {
                    self.footnotes += 1;
                    let marker = format!(
                        "{}{}{}",
                        self.section.footnote_prefix, self.footnotes, self.section.footnote_suffix
                    );
                    notes.push((marker, paras));
                }
                Control::Endnote(paras) => {
                    self.endnotes += 1;
                    let marker = format!(
                        "{}{}{}",
                        self.section.endnote_prefix, self.endnotes, self.section.endnote_suffix
                    );
                    notes.push((marker, paras));
                }
                Control::Header(_) | Control::Footer(_) | Control::Section(_) => {}
            }
        }
        for (marker, paras) in notes {
            for p in paras {
                let line = self.paragraph_line(
                    p,
                    at,
                    HintKind::Footnote {
                        marker: marker.clone(),
                    },
                );
                if !line.text.trim().is_empty() {
                    self.push(line);
                }
            }
        }
    }

    /// A paragraph inside a text box or caption: its line and what it anchors, flattened.
    fn body_line(&mut self, para: &Para, at: SourceRef) {
        let line = self.paragraph_line(para, at, HintKind::Text);
        if !line.text.trim().is_empty() {
            self.push(line);
        }
        for control in &para.controls {
            if let Control::Table(table) = control {
                self.table(table, at);
            }
        }
    }

    fn caption(&mut self, caption: Option<&Caption>, before: bool, at: SourceRef) {
        let Some(caption) = caption.filter(|c| c.before == before) else {
            return;
        };
        for p in &caption.paras {
            let line = self.paragraph_line(p, at, HintKind::Caption);
            if !line.text.trim().is_empty() {
                self.push(line);
            }
        }
    }

    fn hinted(&self, text: String, at: SourceRef, kind: HintKind) -> Line {
        Line {
            text,
            page: self.page_number(),
            starts_paragraph: true,
            hint: Some(Box::new(SourceHint {
                kind,
                location: Some(at),
                ..SourceHint::default()
            })),
            ..Line::default()
        }
    }

    /// One paragraph's line with its hint: outline level, style name, generated marker.
    fn paragraph_line(&mut self, para: &Para, at: SourceRef, kind: HintKind) -> Line {
        let definitions = &self.document.definitions;
        let shape = definitions
            .para_shapes
            .get(para.para_shape as usize)
            .copied()
            .unwrap_or_default();
        let list_marker = if para.text.trim().is_empty() {
            None
        } else {
            self.numberer
                .marker(definitions, &shape, self.section.outline_numbering)
                .filter(|m| !m.is_empty())
        };
        let heading_level = (shape.head == HeadKind::Outline).then_some(shape.level + 1);
        let style = definitions
            .styles
            .get(para.style as usize)
            .filter(|s| !s.is_empty())
            .cloned();
        Line {
            text: para.text.trim_end().to_string(),
            page: self.page_number(),
            starts_paragraph: true,
            hint: Some(Box::new(SourceHint {
                heading_level,
                style,
                list_marker,
                kind,
                location: Some(at),
            })),
            ..Line::default()
        }
    }

    /// A typed table with its anchor line and captions.
    fn table(&mut self, table: &Table, at: SourceRef) {
        self.caption(table.caption.as_ref(), true, at);
        let page = self.page_number();
        let mut cells = Vec::new();
        for cell in &table.cells {
            let cell_at = SourceRef {
                cell: Some([cell.row, cell.col]),
                ..at
            };
            let mut lines = Vec::new();
            for p in &cell.paras {
                self.cell_lines(p, cell_at, &mut lines, 0);
            }
            cells.push(Cell {
                row: cell.row,
                col: cell.col,
                row_span: cell.row_span.max(1),
                col_span: cell.col_span.max(1),
                lines,
                bbox: None,
                page,
                header: cell.header,
            });
        }
        if let [only] = cells.as_slice() {
            // A one-cell table is a framed text box (a title or chapter box), as the PDF path
            // also takes it: its paragraphs are the document's own lines.
            for line in only.lines.clone() {
                self.push(line);
            }
            self.caption(table.caption.as_ref(), false, at);
            return;
        }
        let mut typed = ModelTable {
            page,
            cells,
            origin: TableOrigin::Hwp,
            ..ModelTable::default()
        };
        typed.normalize_grid();
        if is_implausibly_sparse(typed.rows, typed.cols, typed.cells.len()) {
            compact_grid(&mut typed.cells);
            typed.normalize_grid();
        }
        // The declared size counts when it is plausible for the cells there are.
        if !is_implausibly_sparse(table.rows, table.cols, typed.cells.len()) {
            typed.rows = typed.rows.max(table.rows);
            typed.cols = typed.cols.max(table.cols);
        }
        typed.header_rows = header_rows(&typed);
        let index = self.page().tables.len() as u32;
        self.page().tables.push(typed);
        self.push(Line {
            text: String::new(),
            page,
            starts_paragraph: true,
            table: Some(index),
            hint: Some(Box::new(SourceHint {
                location: Some(at),
                ..SourceHint::default()
            })),
            ..Line::default()
        });
        self.caption(table.caption.as_ref(), false, at);
    }

    /// A cell paragraph's lines. Nested tables, text boxes and captions inside the cell are
    /// flattened into the cell's lines in reading order (the model has no nested tables).
    fn cell_lines(&mut self, para: &Para, at: SourceRef, out: &mut Vec<Line>, depth: usize) {
        let line = self.paragraph_line(para, at, HintKind::Text);
        if !line.text.trim().is_empty() {
            out.push(line);
        }
        if depth > 16 {
            return;
        }
        for control in &para.controls {
            let mut nested: Vec<(&Para, HintKind)> = Vec::new();
            match control {
                Control::Table(table) => {
                    let captions = table.caption.iter().flat_map(|c| &c.paras);
                    nested.extend(captions.map(|p| (p, HintKind::Caption)));
                    for cell in &table.cells {
                        nested.extend(cell.paras.iter().map(|p| (p, HintKind::Text)));
                    }
                }
                Control::Shape(shape) => {
                    nested.extend(shape.text.iter().map(|p| (p, HintKind::Text)));
                    let captions = shape.caption.iter().flat_map(|c| &c.paras);
                    nested.extend(captions.map(|p| (p, HintKind::Caption)));
                }
                _ => {}
            }
            for (p, kind) in nested {
                if kind == HintKind::Text {
                    self.cell_lines(p, at, out, depth + 1);
                } else {
                    let line = self.paragraph_line(p, at, kind);
                    if !line.text.trim().is_empty() {
                        out.push(line);
                    }
                }
            }
        }
    }
}

/// A grid with many more rows or columns than cells could fill: cell addresses or spans
/// from a damaged or hostile file (a row address of 40 000 in a 12-cell table), which would
/// make every later stage walk a grid of billions of positions. Real tables have at most a
/// few rows or columns per cell (those wholly covered by spans).
fn is_implausibly_sparse(rows: u32, cols: u32, cells: usize) -> bool {
    let bound = 4 * cells as u64 + 16;
    u64::from(rows) > bound || u64::from(cols) > bound
}

/// Renumbers rows and columns by the positions where cells start, so a sparse grid becomes a
/// dense one with the cells in the same order; a span reaches as far as the starts it covered.
fn compact_grid(cells: &mut [Cell]) {
    for row in [true, false] {
        let start_of = |c: &Cell| if row { c.row } else { c.col };
        let mut starts: Vec<u32> = cells.iter().map(start_of).collect();
        starts.sort_unstable();
        starts.dedup();
        for cell in cells.iter_mut() {
            let (start, span) = if row {
                (cell.row, cell.row_span)
            } else {
                (cell.col, cell.col_span)
            };
            let end = start.saturating_add(span.max(1));
            let new_start = starts.partition_point(|&s| s < start) as u32;
            let new_end = starts.partition_point(|&s| s < end) as u32;
            let new_span = new_end.saturating_sub(new_start).max(1);
            if row {
                (cell.row, cell.row_span) = (new_start, new_span);
            } else {
                (cell.col, cell.col_span) = (new_start, new_span);
            }
        }
    }
}

/// Leading rows whose cells the file marks as headers; `None` when it marks none.
fn header_rows(table: &ModelTable) -> Option<u32> {
    let mut rows = 0;
    while rows < table.rows {
        let starting: Vec<&Cell> = table.cells.iter().filter(|c| c.row == rows).collect();
        if starting.is_empty() || !starting.iter().all(|c| c.header) {
            break;
        }
        rows += 1;
    }
    (rows > 0).then_some(rows)
}
