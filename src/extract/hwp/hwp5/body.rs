//! Body sections of an HWP 5.0 file: the record tree of paragraphs (`PARA_HEADER` with its
//! text and controls one level deeper) and the controls' lists of paragraphs (table cells,
//! captions, header/footer, notes, text boxes), read into `doc` paragraphs.

use super::records::{subtree_end, tag, utf16, Cursor, Record};
use crate::extract::hwp::doc::{Caption, Control, Para, SectionDef, Shape, Table, TableCell};

/// Paragraph break kinds in `PARA_HEADER` that start a new page: bit 2 쪽 나누기 (a new
/// section, bit 0, starts its own stream and is handled there).
const PAGE_BREAK_BITS: u8 = 0x04;

/// Nesting deeper than this is not followed (a hostile file could nest tables without end).
const MAX_DEPTH: usize = 32;

/// The top-level paragraphs of a section stream's records.
pub fn read_section(records: &[Record<'_>]) -> Vec<Para> {
    let Some(base) = records.iter().map(|r| r.level).min() else {
        return Vec::new();
    };
    let mut paras = Vec::new();
    let mut i = 0;
    while i < records.len() {
        let end = subtree_end(records, i);
        if records[i].tag == tag::PARA_HEADER && records[i].level == base {
            paras.push(paragraph(records, i, end, 0));
        }
        i = end;
    }
    paras
}

/// The paragraph whose `PARA_HEADER` is `records[index]` and whose subtree ends at `end`.
fn paragraph(records: &[Record<'_>], index: usize, end: usize, depth: usize) -> Para {
    let header = records[index];
    let mut c = Cursor::new(header.data);
    let _chars = c.u32();
    let _control_mask = c.u32();
    let para_shape = c.u16().map_or(0, u32::from);
    let style = c.u8().map_or(0, u32::from);
    let breaks = c.u8().unwrap_or(0);
    let mut para = Para {
        para_shape,
        style,
        page_break: breaks & PAGE_BREAK_BITS != 0,
        ..Para::default()
    };
    // The controls' headers in order: the n-th extended control character in the text is
    // the n-th of them.
    let controls: Vec<&[u8]> = records[index + 1..end]
        .iter()
        .filter(|r| r.level == header.level + 1 && r.tag == tag::CTRL_HEADER)
        .map(|r| r.data)
        .collect();
    let mut j = index + 1;
    while j < end {
        let child_end = subtree_end(records, j);
        let child = records[j];
        if child.level == header.level + 1 {
            match child.tag {
                tag::PARA_TEXT => para.text.push_str(&paragraph_text(child.data, &controls)),
                tag::CTRL_HEADER if depth < MAX_DEPTH => {
                    if let Some(control) = control(records, j, child_end, depth + 1) {
                        para.controls.push(control);
                    }
                }
                _ => {}
            }
        }
        j = child_end;
    }
    para
}

/// Control characters in `PARA_TEXT` (codes 0–31): how many UTF-16 units each takes and what
/// it becomes in the text. Inline and extended controls take 8 units (code, 6 units of data,
/// code again); character controls take one.
fn control_char(code: u16) -> (usize, Option<char>) {
    match code {
        // 줄 바꿈 inside a paragraph: one Line per paragraph, so a space.
        10 => (1, Some(' ')),
        // 문단 끝.
        13 => (1, None),
        // 하이픈.
        24 => (1, Some('-')),
        // 묶음 빈칸 (a no-break space) and 고정폭 빈칸 (HWPX writes it as U+2007).
        30 => (1, Some('\u{00A0}')),
        31 => (1, Some('\u{2007}')),
        // 탭 (inline control): a space, since `\t` separates table cells in a Line.
        9 => (8, Some(' ')),
        // Other inline controls (field end, …) and every extended control (tables, shapes,
        // notes, header/footer: read from their CTRL_HEADER records instead).
        4..=8 | 19 | 20 | 1..=3 | 11 | 12 | 14..=18 | 21..=23 => (8, None),
        // Unused codes: one unit, nothing.
        _ => (1, None),
    }
}

/// Extended control characters (8 units each, one `CTRL_HEADER` each, in order).
fn is_extended(code: u16) -> bool {
    matches!(code, 1..=3 | 11 | 12 | 14..=18 | 21..=23)
}

/// Field start (extended) and field end (inline) control characters.
const FIELD_START: u16 = 3;
const FIELD_END: u16 = 4;

/// A 누름틀 (click-here field) never edited since it was made: its content is the guide text
/// Hancom shows on screen in place of an answer and never prints (field property bit 15 says
/// the content was modified). reg80250.hwp's "☞ 특정 예비분석모델을 사용한 이유 입력" is one.
fn is_unedited_click_here(header: &[u8]) -> bool {
    let mut c = Cursor::new(header);
    let property = c.skip(4).and_then(|_| c.u32());
    control_id(header) == *b"%clk" && property.is_some_and(|p| p & 0x8000 == 0)
}

/// The text of a `PARA_TEXT` record without its control characters and without the guide
/// text of unedited click-here fields; `controls` are the paragraph's `CTRL_HEADER`s.
pub fn paragraph_text(data: &[u8], controls: &[&[u8]]) -> String {
    let units: Vec<u16> = data
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect();
    let mut text = String::new();
    let mut extended = 0usize;
    // Nesting depth of fields, and the depth at which a guide text started (if inside one).
    let mut fields = 0usize;
    let mut guide_from: Option<usize> = None;
    let mut i = 0;
    while i < units.len() {
        let unit = units[i];
        if unit < 32 {
            let (width, replacement) = control_char(unit);
            if is_extended(unit) {
                let header = controls.get(extended).copied().unwrap_or_default();
                extended += 1;
                if unit == FIELD_START {
                    fields += 1;
                    if guide_from.is_none() && is_unedited_click_here(header) {
                        guide_from = Some(fields);
                    }
                }
            } else if unit == FIELD_END {
                if guide_from == Some(fields) {
                    guide_from = None;
                }
                fields = fields.saturating_sub(1);
            }
            if guide_from.is_none() {
                text.extend(replacement);
            }
            i += width;
            continue;
        }
        let run_end = units[i..]
            .iter()
            .position(|&u| u < 32)
            .map_or(units.len(), |p| i + p);
        if guide_from.is_none() {
            text.extend(
                char::decode_utf16(units[i..run_end].iter().copied())
                    .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER)),
            );
        }
        i = run_end;
    }
    text
}

/// The four-letter id of a `CTRL_HEADER` (stored as a little-endian u32 of the reversed id).
fn control_id(data: &[u8]) -> [u8; 4] {
    let mut id = [0u8; 4];
    if let Some(bytes) = data.get(..4) {
        id.copy_from_slice(bytes);
        id.reverse();
    }
    id
}

/// A control by its id; controls the reader has no use for are `None`.
fn control(records: &[Record<'_>], index: usize, end: usize, depth: usize) -> Option<Control> {
    let data = records[index].data;
    match &control_id(data) {
        b"tbl " => Some(Control::Table(table(records, index, end, depth))),
        b"gso " => Some(Control::Shape(shape(records, index, end, depth))),
        b"eqed" => Some(equation(records, index, end, depth)),
        b"head" => Some(Control::Header(all_paras(records, index, end, depth))),
        b"foot" => Some(Control::Footer(all_paras(records, index, end, depth))),
        b"fn  " => Some(Control::Footnote(all_paras(records, index, end, depth))),
        b"en  " => Some(Control::Endnote(all_paras(records, index, end, depth))),
        b"secd" => Some(Control::Section(section_def(records, index, end))),
        _ => None,
    }
}

/// The direct children of `records[index]`: lists (a `LIST_HEADER` and the paragraphs after
/// it, same level) and other records, in order.
enum Child<'a> {
    List { header: &'a [u8], paras: Vec<Para> },
    Other(usize),
}

fn children<'a>(records: &[Record<'a>], index: usize, end: usize, depth: usize) -> Vec<Child<'a>> {
    let level = records[index].level + 1;
    let mut out: Vec<Child<'a>> = Vec::new();
    let mut j = index + 1;
    while j < end {
        let child_end = subtree_end(records, j);
        let record = records[j];
        if record.level == level {
            match record.tag {
                tag::LIST_HEADER => out.push(Child::List {
                    header: record.data,
                    paras: Vec::new(),
                }),
                tag::PARA_HEADER => {
                    let para = paragraph(records, j, child_end, depth);
                    match out.last_mut() {
                        Some(Child::List { paras, .. }) => paras.push(para),
                        _ => out.push(Child::List {
                            header: &[],
                            paras: vec![para],
                        }),
                    }
                }
                _ => out.push(Child::Other(j)),
            }
        }
        j = child_end;
    }
    out
}

/// Every paragraph of every list under a control (header/footer, notes).
fn all_paras(records: &[Record<'_>], index: usize, end: usize, depth: usize) -> Vec<Para> {
    children(records, index, end, depth)
        .into_iter()
        .flat_map(|child| match child {
            Child::List { paras, .. } => paras,
            Child::Other(_) => Vec::new(),
        })
        .collect()
}

/// List header fields: paragraph count (i16), 2 unused bytes, property (u32); then the
/// list-specific part (cell address and spans, caption direction).
const LIST_HEADER_SIZE: usize = 8;

/// A caption list: its direction (bits 0–1: left, right, top, bottom) says where it goes.
fn caption(header: &[u8], paras: Vec<Para>) -> Caption {
    let mut c = Cursor::new(header);
    let direction = c
        .skip(LIST_HEADER_SIZE)
        .and_then(|_| c.u32())
        .map_or(3, |p| p & 0x3);
    Caption {
        paras,
        before: direction == 0 || direction == 2,
    }
}

/// A table: the `TABLE` record (property, rows, columns), the caption list before it and one
/// list per cell after it (column, row, column span, row span after the list header).
fn table(records: &[Record<'_>], index: usize, end: usize, depth: usize) -> Table {
    let mut out = Table::default();
    let mut seen_table = false;
    for child in children(records, index, end, depth) {
        match child {
            Child::Other(j) if records[j].tag == tag::TABLE => {
                seen_table = true;
                let mut c = Cursor::new(records[j].data);
                let property = c.u32().unwrap_or(0);
                // Bit 2: 제목 줄 자동 반복 (the header rows repeat on each page).
                out.repeat_header = property & 0x4 != 0;
                out.rows = c.u16().map_or(0, u32::from);
                out.cols = c.u16().map_or(0, u32::from);
            }
            Child::List { header, paras } if !seen_table => {
                out.caption = Some(caption(header, paras));
            }
            Child::List { header, paras } => {
                let mut c = Cursor::new(header);
                let property = c.skip(4).and_then(|_| c.u32()).unwrap_or(0);
                let col = c.u16().map_or(0, u32::from);
                let row = c.u16().map_or(0, u32::from);
                let col_span = c.u16().map_or(1, u32::from).max(1);
                let row_span = c.u16().map_or(1, u32::from).max(1);
                // Width and height (u32 each), four margins (u16 each), the border/fill id.
                let border_fill = c.skip(16).and_then(|_| c.u16()).unwrap_or(0);
                out.cells.push(TableCell {
                    row,
                    col,
                    row_span,
                    col_span,
                    // Bit 18 of the cell's list property: 제목 셀 (header cell).
                    header: property & (1 << 18) != 0,
                    border_fill,
                    paras,
                });
            }
            Child::Other(_) => {}
        }
    }
    out
}

/// The description (alt text) in a drawing object's common properties, after the fixed part.
fn description(data: &[u8]) -> String {
    let mut c = Cursor::new(data);
    c.skip(44)
        .and_then(|_| c.wstring())
        .unwrap_or_default()
        .trim()
        .to_string()
}

/// A drawing object: caption list before the shape component; inside the component (and
/// nested group members) a picture record or text box lists.
fn shape(records: &[Record<'_>], index: usize, end: usize, depth: usize) -> Shape {
    let mut out = Shape {
        description: description(records[index].data),
        ..Shape::default()
    };
    for child in children(records, index, end, depth) {
        match child {
            Child::List { header, paras } => out.caption = Some(caption(header, paras)),
            Child::Other(j) => {
                let child_end = subtree_end(records, j);
                scan_component(records, j, child_end, depth, &mut out);
            }
        }
    }
    out
}

/// Walks a shape component's subtree: pictures, text box paragraphs, group members.
fn scan_component(records: &[Record<'_>], start: usize, end: usize, depth: usize, out: &mut Shape) {
    let mut list_level = None;
    let mut j = start;
    while j < end {
        let record = records[j];
        let next = match record.tag {
            tag::SHAPE_COMPONENT_PICTURE => {
                out.picture = true;
                j + 1
            }
            tag::LIST_HEADER => {
                list_level = Some(record.level);
                j + 1
            }
            tag::PARA_HEADER => {
                let para_end = subtree_end(records, j);
                if list_level == Some(record.level) {
                    out.text.push(paragraph(records, j, para_end, depth));
                }
                para_end
            }
            _ => j + 1,
        };
        j = next;
    }
}

/// An equation: its `EQEDIT` record holds the script after a 32-bit property.
fn equation(records: &[Record<'_>], index: usize, end: usize, depth: usize) -> Control {
    let mut script = String::new();
    let mut caption_list = None;
    for child in children(records, index, end, depth) {
        match child {
            Child::Other(j) if records[j].tag == tag::EQEDIT => {
                let mut c = Cursor::new(records[j].data);
                script = c.skip(4).and_then(|_| c.wstring()).unwrap_or_default();
            }
            Child::List { header, paras } => caption_list = Some(caption(header, paras)),
            Child::Other(_) => {}
        }
    }
    Control::Equation {
        script,
        caption: caption_list,
    }
}

/// A section definition: the outline numbering id, then the footnote and endnote shapes'
/// prefix and suffix characters.
fn section_def(records: &[Record<'_>], index: usize, end: usize) -> SectionDef {
    let mut c = Cursor::new(records[index].data);
    let outline_numbering = c.skip(18).and_then(|_| c.u16()).unwrap_or(0);
    let mut def = SectionDef {
        outline_numbering,
        footnote_suffix: ")".into(),
        endnote_suffix: ")".into(),
        ..SectionDef::default()
    };
    let shapes: Vec<&[u8]> = records[index + 1..end]
        .iter()
        .filter(|r| r.tag == tag::FOOTNOTE_SHAPE)
        .map(|r| r.data)
        .collect();
    let decoration = |data: &[u8]| -> (String, String) {
        let one = |bytes: &[u8]| utf16(bytes).replace('\0', "");
        let prefix = data.get(6..8).map(one).unwrap_or_default();
        let suffix = data.get(8..10).map(one).unwrap_or_default();
        (prefix, suffix)
    };
    if let Some(data) = shapes.first() {
        (def.footnote_prefix, def.footnote_suffix) = decoration(data);
    }
    if let Some(data) = shapes.get(1) {
        (def.endnote_prefix, def.endnote_suffix) = decoration(data);
    }
    def
}

#[cfg(test)]
mod tests {
    use super::*;

    fn units(text: &[u16]) -> Vec<u8> {
        text.iter().flat_map(|u| u.to_le_bytes()).collect()
    }

    #[test]
    fn control_characters_are_dropped_or_replaced() {
        // "표" then an extended control (a table, 8 units), a tab (8 units), "가", line
        // break, "나", paragraph end.
        let mut text = vec![0xD45C];
        text.extend([11, 0x6C74, 0x2062, 0, 0, 0, 0, 11]);
        text.extend([9, 0, 0, 0, 0, 0, 0, 9]);
        text.extend([0xAC00, 10, 0xB098, 13]);
        assert_eq!(paragraph_text(&units(&text), &[]), "표 가 나");
    }

    #[test]
    fn unedited_click_here_fields_lose_their_guide_text() {
        // reg80250.hwp: "판단 근거" cell, a 누름틀 holding "☞ … 입력" (property 0x1), then
        // the same field once edited (property 0x8001).
        let field = |property: u32| {
            let mut header = b"klc%".to_vec();
            header.extend_from_slice(&property.to_le_bytes());
            header
        };
        let mut text = vec![3, 0x6B6C, 0x6325, 0, 0, 0, 0, 3];
        text.extend("☞ 이유 입력".encode_utf16());
        text.extend([4, 0x6B6C, 0x6325, 0, 0, 0, 0, 4]);
        text.extend("근거".encode_utf16());
        text.push(13);
        let unedited = field(0x1);
        assert_eq!(paragraph_text(&units(&text), &[&unedited]), "근거");
        let edited = field(0x8001);
        assert_eq!(paragraph_text(&units(&text), &[&edited]), "☞ 이유 입력근거");
    }
}
