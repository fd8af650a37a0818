//! Tables without vertical rulings, read from column alignment: at least three consecutive text
//! rows cut by the same wide gutters into at least three cells whose edges line up, the cells
//! after the first mostly numbers. Only strong evidence makes a table; prose, two-column page
//! text, tables of contents, programs and label/value forms stay text. The glyphs of a table
//! found here are taken out of the page flow and belong to their cell, as for ruled tables.

use super::capture::{Glyph, Segment};
use super::rows;
use super::tables::{GridCell, RuledTable};
use crate::model::TableOrigin;

/// A gap wider than this many ems between two glyphs of a row is a gutter between cells (word
/// spaces of justified Korean prose stay well under it).
const GUTTER_EMS: f32 = 1.5;
/// Consecutive rows of a table: baselines at most this many ems apart.
const ROW_STEP_EMS: f32 = 3.0;
/// Cell edges within this many ems of each other are aligned.
const ALIGN_EMS: f32 = 0.35;
/// At least this many body rows and columns.
const MIN_ROWS: usize = 3;
const MIN_COLS: usize = 3;
/// At least this share of the body cells after the first column are numbers.
const MIN_NUMERIC_SHARE: f32 = 0.8;
/// No body cell is longer than this many characters (spaces not counted): cells are short.
const MAX_CELL_CHARS: usize = 16;
/// A run of this many leader dots marks a table of contents.
const LEADER_RUN: usize = 4;
/// Trailing unit characters a number cell may carry (`30명`, `2개소`, `250억원`).
const MAX_UNIT_CHARS: usize = 2;

/// One text row cut at its gutters.
struct Row {
    glyphs: Vec<Glyph>,
    /// `(first, end)` glyph index range and `(x0, x1)` ink extent of each cell.
    cells: Vec<Chunk>,
    top: f32,
    bottom: f32,
    baseline: f32,
    size: f32,
}

#[derive(Clone, Copy)]
struct Chunk {
    first: usize,
    end: usize,
    x0: f32,
    x1: f32,
}

impl Row {
    fn new(glyphs: Vec<Glyph>) -> Row {
        let fragment = rows::Fragment::new(glyphs);
        let size = fragment.size;
        let mut cells: Vec<Chunk> = Vec::new();
        let mut start = 0;
        let mut ink: Option<(f32, f32)> = None;
        for (i, g) in fragment.glyphs.iter().enumerate() {
            if g.space {
                continue;
            }
            if let Some((x0, x1)) = ink {
                if g.x0 - x1 > GUTTER_EMS * size {
                    cells.push(Chunk {
                        first: start,
                        end: i,
                        x0,
                        x1,
                    });
                    start = i;
                    ink = None;
                }
            }
            ink = Some(ink.map_or((g.x0, g.x1), |(x0, x1)| (x0.min(g.x0), x1.max(g.x1))));
        }
        if let Some((x0, x1)) = ink {
            cells.push(Chunk {
                first: start,
                end: fragment.glyphs.len(),
                x0,
                x1,
            });
        }
        Row {
            cells,
            top: fragment.top,
            bottom: fragment.bottom,
            baseline: fragment.baseline,
            size,
            glyphs: fragment.glyphs,
        }
    }

    fn text(&self, cell: &Chunk) -> String {
        self.glyphs[cell.first..cell.end]
            .iter()
            .filter(|g| !g.space)
            .map(|g| g.text.as_str())
            .collect()
    }
}

/// Whether a cell reads as a number: digits with separators and signs, at most a short unit
/// after them (`26,105`, `30명`, `12.5%`, `-`).
fn is_numeric(text: &str) -> bool {
    let digits = text.chars().filter(char::is_ascii_digit).count();
    if text == "-" || text == "–" {
        return true;
    }
    let body = text.trim_end_matches(|c: char| !c.is_ascii_digit() && c != '%' && c != ')');
    let unit = text.chars().count() - body.chars().count();
    digits > 0
        && unit <= MAX_UNIT_CHARS
        && body
            .chars()
            .all(|c| c.is_ascii_digit() || ",.%+-−()~△▲▽▼".contains(c))
}

/// Whether the edges of `chunks` line up: all left edges, all right edges or all centres
/// within `tolerance`.
fn aligned(chunks: &[Chunk], tolerance: f32) -> bool {
    let spread = |f: &dyn Fn(&Chunk) -> f32| {
        let (lo, hi) = chunks
            .iter()
            .map(f)
            .fold((f32::INFINITY, f32::NEG_INFINITY), |(lo, hi), v| {
                (lo.min(v), hi.max(v))
            });
        hi - lo <= tolerance
    };
    spread(&|c| c.x0) || spread(&|c| c.x1) || spread(&|c| (c.x0 + c.x1) / 2.0)
}

/// Whether rows `from..to` (same cell count) keep every column aligned and the columns apart.
fn columns_hold(rows: &[Row], from: usize, to: usize) -> bool {
    let cols = rows[from].cells.len();
    let size = rows[from..to].iter().map(|r| r.size).fold(0.0, f32::max);
    let mut previous_right = f32::NEG_INFINITY;
    for col in 0..cols {
        let chunks: Vec<Chunk> = rows[from..to].iter().map(|r| r.cells[col]).collect();
        if !aligned(&chunks, ALIGN_EMS * size) {
            return false;
        }
        let left = chunks.iter().map(|c| c.x0).fold(f32::INFINITY, f32::min);
        if left - previous_right < size {
            return false;
        }
        previous_right = chunks
            .iter()
            .map(|c| c.x1)
            .fold(f32::NEG_INFINITY, f32::max);
    }
    true
}

/// Whether row `next` follows row `prev` closely enough to be the next row of a table.
fn follows(prev: &Row, next: &Row) -> bool {
    let step = next.baseline - prev.baseline;
    step > 0.0 && step <= ROW_STEP_EMS * prev.size.max(next.size)
}

/// The content evidence: short cells, no leader dots, the cells after the first column mostly
/// numbers.
fn content_holds(rows: &[Row]) -> bool {
    let mut numeric = 0usize;
    let mut total = 0usize;
    for row in rows {
        for (col, cell) in row.cells.iter().enumerate() {
            let text = row.text(cell);
            if text.chars().count() > MAX_CELL_CHARS
                || text.contains(&".".repeat(LEADER_RUN))
                || text.contains(&"·".repeat(LEADER_RUN))
                || text.contains(&"…".repeat(LEADER_RUN / 2))
            {
                return false;
            }
            if col > 0 {
                total += 1;
                numeric += usize::from(is_numeric(&text));
            }
        }
    }
    total > 0 && numeric as f32 >= MIN_NUMERIC_SHARE * total as f32
}

/// Each column's extent over body rows of the same cell count.
fn body_spans(rows: &[Row]) -> Vec<(f32, f32)> {
    let cols = rows.first().map_or(0, |r| r.cells.len());
    (0..cols)
        .map(|c| {
            rows.iter()
                .fold((f32::INFINITY, f32::NEG_INFINITY), |(x0, x1), r| {
                    (x0.min(r.cells[c].x0), x1.max(r.cells[c].x1))
                })
        })
        .collect()
}

/// The column a header cell sits in: the one whose body cells' span it overlaps, if it
/// overlaps only one.
fn header_column(cell: &Chunk, spans: &[(f32, f32)]) -> Option<usize> {
    let mut hits = spans
        .iter()
        .enumerate()
        .filter(|(_, (x0, x1))| cell.x0 < *x1 && cell.x1 > *x0)
        .map(|(i, _)| i);
    let first = hits.next()?;
    hits.next().is_none().then_some(first)
}

/// Finds tables from column alignment among `glyphs` (what the ruled tables left) and moves
/// their glyphs out of `glyphs`. A region crossed by a vertical ruling is left alone.
pub fn extract_aligned(segments: &[Segment], glyphs: &mut Vec<Glyph>) -> Vec<RuledTable> {
    let (upright, other): (Vec<Glyph>, Vec<Glyph>) =
        std::mem::take(glyphs).into_iter().partition(|g| g.upright);
    let rows: Vec<Row> = rows::text_rows(upright).into_iter().map(Row::new).collect();
    let verticals: Vec<&Segment> = segments
        .iter()
        .filter(|s| s.is_vertical() && s.y1 - s.y0 >= 5.0)
        .collect();
    // Row index ranges `(header, body_start, body_end)` of the tables found.
    let mut found: Vec<(Option<usize>, usize, usize)> = Vec::new();
    let mut i = 0;
    while i < rows.len() {
        let cols = rows[i].cells.len();
        if cols < MIN_COLS {
            i += 1;
            continue;
        }
        let mut end = i + 1;
        while end < rows.len()
            && rows[end].cells.len() == cols
            && follows(&rows[end - 1], &rows[end])
            && columns_hold(&rows, i, end + 1)
        {
            end += 1;
        }
        if end - i < MIN_ROWS || !content_holds(&rows[i..end]) {
            i += 1;
            continue;
        }
        // The row above is the header when its cells each sit in one column and fill all
        // columns but at most one (a caption and a unit note above are no header).
        let spans = body_spans(&rows[i..end]);
        let header = i.checked_sub(1).filter(|&h| {
            let row = &rows[h];
            let free = found.last().is_none_or(|&(_, _, e)| e <= h);
            let mut columns: Vec<Option<usize>> =
                row.cells.iter().map(|c| header_column(c, &spans)).collect();
            let all_placed = columns.iter().all(Option::is_some);
            columns.dedup();
            free && follows(row, &rows[i])
                && row.cells.len() + 1 >= cols.max(3)
                && all_placed
                && columns.len() == row.cells.len()
                && row
                    .cells
                    .iter()
                    .all(|c| row.text(c).chars().count() <= MAX_CELL_CHARS)
        });
        let top = header.map_or(rows[i].top, |h| rows[h].top);
        let bottom = rows[end - 1].bottom;
        let (left, right) = (spans[0].0, spans[cols - 1].1);
        let ruled_through = verticals
            .iter()
            .any(|v| v.x1 > left && v.x0 < right && v.y1 > top && v.y0 < bottom);
        if ruled_through {
            i += 1;
            continue;
        }
        found.push((header, i, end));
        i = end;
    }
    let mut used = vec![false; rows.len()];
    let mut tables = Vec::new();
    for &(header, start, end) in &found {
        let table_rows: Vec<usize> = header.into_iter().chain(start..end).collect();
        let cols = rows[start].cells.len();
        let spans = body_spans(&rows[start..end]);
        // Cells reach to the middle of the gutters; the outer edges take in a wider header.
        let mut outline = gutter_spans(&spans);
        for &index in &table_rows {
            for chunk in &rows[index].cells {
                outline[0].0 = outline[0].0.min(chunk.x0);
                outline[cols - 1].1 = outline[cols - 1].1.max(chunk.x1);
            }
        }
        let mut cells = Vec::new();
        for (r, &index) in table_rows.iter().enumerate() {
            used[index] = true;
            let row = &rows[index];
            for (c, &(x0, x1)) in outline.iter().enumerate() {
                let glyphs: Vec<Glyph> = row
                    .cells
                    .iter()
                    .filter(|chunk| header_column(chunk, &spans) == Some(c))
                    .flat_map(|chunk| row.glyphs[chunk.first..chunk.end].iter().cloned())
                    .collect();
                cells.push(GridCell {
                    row: r,
                    col: c,
                    row_span: 1,
                    col_span: 1,
                    bbox: [x0, row.top, x1, row.bottom],
                    glyphs,
                });
            }
        }
        let first = &rows[table_rows[0]];
        let last = &rows[end - 1];
        tables.push(RuledTable {
            bbox: [outline[0].0, first.top, outline[cols - 1].1, last.bottom],
            rows: table_rows.len(),
            cols,
            cells,
            origin: TableOrigin::Aligned,
        });
    }
    *glyphs = other;
    for (row, used) in rows.into_iter().zip(used) {
        if !used {
            glyphs.extend(row.glyphs);
        }
    }
    tables
}

/// Column spans widened to the middle of each gutter, so that a header cell a little wider or
/// offset from its column still falls in it (the outer edges stay the ink edges).
fn gutter_spans(spans: &[(f32, f32)]) -> Vec<(f32, f32)> {
    let mut out: Vec<(f32, f32)> = spans.to_vec();
    for i in 1..spans.len() {
        let middle = (spans[i - 1].1 + spans[i].0) / 2.0;
        out[i - 1].1 = middle;
        out[i].0 = middle;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glyph(text: &str, x0: f32, baseline: f32) -> Glyph {
        Glyph::for_test(text, x0, baseline, 10.0)
    }

    /// A row of cells, each `(text, left edge)`, one glyph per character.
    fn row(cells: &[(&str, f32)], baseline: f32) -> Vec<Glyph> {
        cells
            .iter()
            .flat_map(|(text, x)| {
                text.chars()
                    .enumerate()
                    .map(move |(i, ch)| glyph(&ch.to_string(), x + 10.0 * i as f32, baseline))
            })
            .collect()
    }

    #[test]
    fn numbers_and_units_are_numeric_and_words_are_not() {
        // Cells of the sample's 서남권 현황 (line 995) and 운영 현황 (line 28).
        for text in ["26,105", "113,944", "30", "2개소", "-", "12.5%"] {
            assert!(is_numeric(text), "{text}");
        }
        for text in ["관악구", "강서, 종로, 서초, 송파", "토론1", "[발제1]"] {
            assert!(!is_numeric(text), "{text}");
        }
    }

    #[test]
    fn aligned_number_rows_make_a_table_with_their_header() {
        // 서남권 현황 (sample lines 995-998): 구 | 면적 | 인구수 | 기업개수.
        let mut glyphs = [
            row(
                &[
                    ("구", 50.0),
                    ("면적", 120.0),
                    ("인구수", 200.0),
                    ("기업개수", 300.0),
                ],
                100.0,
            ),
            row(
                &[
                    ("관악구", 50.0),
                    ("30", 120.0),
                    ("51", 200.0),
                    ("26,105", 300.0),
                ],
                120.0,
            ),
            row(
                &[
                    ("양천구", 50.0),
                    ("17", 120.0),
                    ("46", 200.0),
                    ("26,126", 300.0),
                ],
                140.0,
            ),
            row(
                &[
                    ("강서구", 50.0),
                    ("41", 120.0),
                    ("54", 200.0),
                    ("38,524", 300.0),
                ],
                160.0,
            ),
        ]
        .concat();
        let tables = extract_aligned(&[], &mut glyphs);
        assert_eq!(tables.len(), 1);
        assert_eq!((tables[0].rows, tables[0].cols), (4, 4));
        assert!(glyphs.is_empty());
        let first: String = tables[0].cells[4]
            .glyphs
            .iter()
            .map(|g| g.text.as_str())
            .collect();
        assert_eq!(first, "관악구");
    }

    #[test]
    fn a_caption_with_its_unit_above_the_rows_is_no_header() {
        let mut glyphs = [
            row(&[("현황", 50.0), ("(단위:명)", 300.0)], 100.0),
            row(
                &[
                    ("관악구", 50.0),
                    ("30", 120.0),
                    ("51", 200.0),
                    ("193", 300.0),
                ],
                120.0,
            ),
            row(
                &[
                    ("양천구", 50.0),
                    ("17", 120.0),
                    ("46", 200.0),
                    ("110", 300.0),
                ],
                140.0,
            ),
            row(
                &[
                    ("강서구", 50.0),
                    ("41", 120.0),
                    ("54", 200.0),
                    ("170", 300.0),
                ],
                160.0,
            ),
        ]
        .concat();
        let tables = extract_aligned(&[], &mut glyphs);
        assert_eq!(tables.len(), 1);
        assert_eq!(tables[0].rows, 3);
        assert_eq!(glyphs.len(), 8, "the caption stays text");
    }

    #[test]
    fn words_in_columns_and_two_rows_are_no_table() {
        // A program (sample line 8): a page number, a title, a speaker per row.
        let mut program = [
            row(&[("8", 50.0), ("발제1", 120.0), ("홍진주", 300.0)], 100.0),
            row(&[("16", 50.0), ("발제2", 120.0), ("박치득", 300.0)], 120.0),
            row(&[("22", 50.0), ("토론1", 120.0), ("이종환", 300.0)], 140.0),
        ]
        .concat();
        assert!(extract_aligned(&[], &mut program).is_empty());
        assert_eq!(program.len(), 23);
        let mut two_rows = [
            row(&[("관악구", 50.0), ("30", 120.0), ("51", 200.0)], 100.0),
            row(&[("양천구", 50.0), ("17", 120.0), ("46", 200.0)], 120.0),
        ]
        .concat();
        assert!(extract_aligned(&[], &mut two_rows).is_empty());
    }

    #[test]
    fn columns_that_do_not_line_up_are_no_table() {
        let mut glyphs = [
            row(&[("관악구", 50.0), ("30", 120.0), ("51", 200.0)], 100.0),
            row(&[("양천구", 50.0), ("17", 150.0), ("46", 230.0)], 120.0),
            row(&[("강서구", 50.0), ("41", 120.0), ("54", 200.0)], 140.0),
        ]
        .concat();
        assert!(extract_aligned(&[], &mut glyphs).is_empty());
    }
}
