//! Header rows of a ruled table from how it is drawn: leading rows whose every cell is shaded
//! (a coloured rectangle filled behind it) above a body that is not. Only clear evidence
//! counts; otherwise the structure stage decides from the text.

use super::fills::Fill;
use super::tables::RuledTable;

/// A fill covering at least this share of a cell's area shades the cell.
const MIN_COVER: f32 = 0.5;
/// At most this many leading shaded rows are header rows; more is a shaded block of body rows
/// (a form's shaded label rows), not a header.
const MAX_HEADER_ROWS: usize = 3;

/// The shading behind a cell: the last drawn fill covering at least `MIN_COVER` of it (a
/// later fill paints over an earlier one), when that fill is not white.
pub fn cell_shade(bbox: [f32; 4], fills: &[Fill]) -> Option<[f32; 3]> {
    let area = (bbox[2] - bbox[0]) * (bbox[3] - bbox[1]);
    if area <= 0.0 {
        return None;
    }
    fills
        .iter()
        .rev()
        .find(|f| {
            let w = (bbox[2].min(f.bbox[2]) - bbox[0].max(f.bbox[0])).max(0.0);
            let h = (bbox[3].min(f.bbox[3]) - bbox[1].max(f.bbox[1])).max(0.0);
            w * h / area >= MIN_COVER
        })
        .filter(|f| f.is_shade())
        .map(|f| f.rgb)
}

/// How many leading rows of `table` are header rows by their shading: every cell starting in
/// them is shaded, the row after them has a cell that is not, and there are at most
/// `MAX_HEADER_ROWS` of them. `Some(0)` for a form whose shaded cells are its label column
/// (the first row is a label and a value, not a header). `None` when the drawing says
/// nothing (no shading, the table shaded all over, or shading of another kind).
pub fn shaded_header_rows(table: &RuledTable, fills: &[Fill]) -> Option<u32> {
    if !fills.iter().any(Fill::is_shade) {
        return None;
    }
    let shaded: Vec<bool> = table
        .cells
        .iter()
        .map(|c| cell_shade(c.bbox, fills).is_some())
        .collect();
    let shaded_row = |row: usize| {
        let mut starting = table
            .cells
            .iter()
            .zip(&shaded)
            .filter(|(c, _)| c.row == row)
            .peekable();
        starting.peek().is_some() && starting.all(|(_, s)| *s)
    };
    let leading = (0..table.rows).take_while(|&r| shaded_row(r)).count();
    if leading > 0 && leading < table.rows && leading <= MAX_HEADER_ROWS {
        return Some(leading as u32);
    }
    // A label column: the first column's cells mostly shaded (two at least), the others not.
    let first: Vec<bool> = table
        .cells
        .iter()
        .zip(&shaded)
        .filter(|(c, _)| c.col == 0)
        .map(|(_, s)| *s)
        .collect();
    let labels = first.iter().filter(|s| **s).count();
    let others_plain = table
        .cells
        .iter()
        .zip(&shaded)
        .any(|(c, s)| c.col > 0 && !*s);
    (leading == 0 && labels >= 2 && 2 * labels >= first.len() && others_plain).then_some(0)
}

#[cfg(test)]
mod tests {
    use super::super::tables::GridCell;
    use super::*;

    const GRAY: [f32; 3] = [0.9, 0.9, 0.9];

    fn cell(row: usize, col: usize, bbox: [f32; 4]) -> GridCell {
        GridCell {
            row,
            col,
            row_span: 1,
            col_span: 1,
            bbox,
            glyphs: Vec::new(),
        }
    }

    /// A 3×2 grid of 100×20 cells from (50, 100).
    fn grid() -> RuledTable {
        let mut cells = Vec::new();
        for row in 0..3 {
            for col in 0..2 {
                let (x, y) = (50.0 + 100.0 * col as f32, 100.0 + 20.0 * row as f32);
                cells.push(cell(row, col, [x, y, x + 100.0, y + 20.0]));
            }
        }
        RuledTable {
            bbox: [50.0, 100.0, 250.0, 160.0],
            rows: 3,
            cols: 2,
            cells,
            origin: crate::model::TableOrigin::Ruled,
        }
    }

    fn fill(bbox: [f32; 4]) -> Fill {
        Fill { bbox, rgb: GRAY }
    }

    #[test]
    fn a_shaded_first_row_is_a_header_row() {
        // kps_ai's tables: `구분 | 주요내용` on a gray (0.9) band, the body rows white; Hancom
        // fills each header cell on its own, a hair inside the rules.
        let fills = [
            fill([50.3, 100.3, 149.7, 119.7]),
            fill([150.3, 100.3, 249.7, 119.7]),
        ];
        assert_eq!(shaded_header_rows(&grid(), &fills), Some(1));
        // One band behind the whole row does the same.
        assert_eq!(
            shaded_header_rows(&grid(), &[fill([50.0, 100.0, 250.0, 120.0])]),
            Some(1)
        );
    }

    #[test]
    fn a_shaded_label_column_says_no_header_and_an_all_shaded_table_says_nothing() {
        // kps_ai's requirement forms: `요구사항 분류 | 기능 요구사항`, `요구사항 고유번호 |
        // SFR-01`, … with the label column gray and the values white.
        let column = [
            fill([50.0, 100.0, 150.0, 120.0]),
            fill([50.0, 120.0, 150.0, 140.0]),
            fill([50.0, 140.0, 150.0, 160.0]),
        ];
        assert_eq!(shaded_header_rows(&grid(), &column), Some(0));
        // One shaded label is no pattern.
        assert_eq!(shaded_header_rows(&grid(), &column[1..2]), None);
        let all = [fill([50.0, 100.0, 250.0, 160.0])];
        assert_eq!(shaded_header_rows(&grid(), &all), None);
        assert_eq!(shaded_header_rows(&grid(), &[]), None);
    }

    #[test]
    fn a_fill_covering_a_sliver_of_a_cell_does_not_shade_it() {
        // A highlighted word inside a cell is no cell shading.
        let word = [fill([60.0, 104.0, 90.0, 116.0])];
        assert_eq!(cell_shade([50.0, 100.0, 150.0, 120.0], &word), None);
    }

    #[test]
    fn a_white_fill_drawn_over_a_gray_band_unshades_the_cell() {
        // Hancom paints every cell, unshaded ones white (`1 g f*`), after any band below.
        let white = Fill {
            bbox: [50.0, 100.0, 150.0, 120.0],
            rgb: [1.0; 3],
        };
        let band = fill([50.0, 100.0, 250.0, 120.0]);
        assert_eq!(
            cell_shade([50.0, 100.0, 150.0, 120.0], &[band, white]),
            None
        );
        assert_eq!(
            cell_shade([50.0, 100.0, 150.0, 120.0], &[white, band]),
            Some(GRAY)
        );
    }
}
