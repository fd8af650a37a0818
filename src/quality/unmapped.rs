//! Text drawn with fonts that have no usable Unicode mapping (facts from the PDF stage): the
//! plane-15 markers `extract::fonts` leaves for such glyphs, and the `UnmappedFont` spans on
//! lines, mapped onto the blocks built from those lines. Such text is unverified even when it
//! looks like Hangul.

use crate::document::{Block, Flag, Severity};
use crate::extract::fonts::is_unmapped_marker;
use crate::model::{Line, Page, SpanKind};

/// Flags runs of unmapped-glyph markers inside one text.
pub fn detect(text: &str, out: &mut Vec<Flag>) {
    let mut run: Option<(usize, usize)> = None;
    let mut runs = Vec::new();
    for (i, c) in text.char_indices() {
        if is_unmapped_marker(c) {
            match &mut run {
                Some(r) if text[r.1..i].trim().is_empty() => r.1 = i + c.len_utf8(),
                _ => {
                    runs.extend(run.take());
                    run = Some((i, i + c.len_utf8()));
                }
            }
        } else if !c.is_whitespace() {
            runs.extend(run.take());
        }
    }
    runs.extend(run);
    for (start, end) in runs {
        out.push(super::flag(
            "unmapped_font",
            start,
            end,
            Severity::Error,
            format!(
                "{} glyphs of a font without a Unicode mapping",
                text[start..end]
                    .chars()
                    .filter(|c| is_unmapped_marker(*c))
                    .count()
            ),
        ));
    }
}

/// True when `line` is one of the lines `block` was built from.
fn block_covers(block: &Block, line: &Line) -> bool {
    if block.page != Some(line.page) {
        return false;
    }
    if let (Some([first, last]), Some(n)) = (block.lines, line.source_line) {
        return (first..=last).contains(&n);
    }
    if let (Some(b), Some(l)) = (block.bbox, line.bbox) {
        return b[0] < l[2] && l[0] < b[2] && b[1] < l[3] && l[1] < b[3];
    }
    false
}

/// Flags, on every block built from a line carrying an `UnmappedFont` span, the span's text
/// (or the whole block when the text cannot be found again after normalisation).
pub fn flag_blocks_on_unmapped_lines(
    blocks: &[Block],
    pages: &[Page],
    per_block: &mut [Vec<Flag>],
) {
    for page in pages {
        let cell_lines = page
            .tables
            .iter()
            .flat_map(|t| t.cells.iter().flat_map(|c| &c.lines));
        for line in page.lines.iter().chain(cell_lines) {
            for span in &line.spans {
                let SpanKind::UnmappedFont { font } = &span.kind else {
                    continue;
                };
                let piece = line.text.get(span.start..span.end).unwrap_or("").trim();
                for (block, flags) in blocks.iter().zip(per_block.iter_mut()) {
                    if block_covers(block, line) {
                        flags.push(locate(block, piece, font));
                    }
                }
            }
        }
    }
}

fn locate(block: &Block, piece: &str, font: &str) -> Flag {
    let detail = format!("text drawn with font `{font}`, which has no usable Unicode mapping");
    let mut f = super::flag(
        "unmapped_font",
        0,
        block.text.len(),
        Severity::Error,
        detail,
    );
    if piece.is_empty() {
        return f;
    }
    if let Some(table) = &block.table {
        for (r, row) in table.rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                if let Some(at) = cell.find(piece) {
                    (f.start, f.end, f.cell) = (at, at + piece.len(), Some([r, c]));
                    return f;
                }
            }
        }
    } else if let Some(at) = block.text.find(piece) {
        (f.start, f.end) = (at, at + piece.len());
    }
    f
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{BlockQuality, BlockType};
    use crate::model::LineSpan;

    #[test]
    fn unmapped_markers_in_text_are_flagged() {
        let mut flags = Vec::new();
        detect("센터 \u{F0041}\u{F0042} \u{F0043} 장", &mut flags);
        assert_eq!(flags.len(), 1);
        assert_eq!(flags[0].kind, "unmapped_font");
        assert!(flags[0].detail.starts_with("3 glyphs"));
    }

    #[test]
    fn blocks_built_from_unmapped_lines_are_flagged_at_the_span() {
        // Looks like Hangul, but the font had no ToUnicode: unverified.
        let text = "마을자치로서의 행정개편 시도".to_string();
        let line = Line {
            text: text.clone(),
            page: 3,
            source_line: Some(7),
            spans: vec![LineSpan {
                start: 0,
                end: "마을자치로서의".len(),
                kind: SpanKind::UnmappedFont {
                    font: "F1+Batang".into(),
                },
            }],
            ..Line::default()
        };
        let page = Page {
            number: 3,
            lines: vec![line],
            ..Page::default()
        };
        let block = Block {
            id: "b1".into(),
            kind: BlockType::Paragraph,
            section: None,
            text,
            level: None,
            marker: None,
            page: Some(3),
            bbox: None,
            lines: Some([7, 7]),
            end_page: None,
            location: None,
            table: None,
            figure: None,
            annotation: None,
            emphasis: vec![],
            tokens: vec![],
            quality: BlockQuality::default(),
        };
        let mut per_block = vec![Vec::new()];
        flag_blocks_on_unmapped_lines(&[block], &[page], &mut per_block);
        assert_eq!(per_block[0].len(), 1);
        assert_eq!((per_block[0][0].start, per_block[0][0].end), (0, 21));
    }
}
