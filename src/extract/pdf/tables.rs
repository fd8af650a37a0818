//! Tables from ruling lines: horizontal and vertical strokes that cross each other form a grid;
//! its row bands and the vertical rulings crossing each band give the cells. Glyphs inside a
//! grid are taken out of the page flow and become table rows (cells separated by `\t`).

use super::capture::{Glyph, Segment};

/// A ruled table found on a page: its outline and, per row band, the glyphs of each cell.
#[derive(Debug, Clone, PartialEq)]
pub struct RuledTable {
    pub bbox: [f32; 4],
    pub rows: Vec<TableRow>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TableRow {
    /// Top and bottom of the row band.
    pub y0: f32,
    pub y1: f32,
    /// Glyphs of each cell, left to right.
    pub cells: Vec<Vec<Glyph>>,
}

/// Rulings shorter than this (points) are ignored (underlines of single glyphs, ticks).
const MIN_RULE_LENGTH: f32 = 5.0;
/// Strokes closer than this (points) are the same line; ends closer than this touch.
const SNAP: f32 = 2.0;

#[derive(Debug, Clone, Copy)]
struct Rule {
    /// The fixed coordinate (y of a horizontal rule, x of a vertical one).
    at: f32,
    from: f32,
    to: f32,
}

fn merge_rules(mut rules: Vec<Rule>) -> Vec<Rule> {
    rules.sort_by(|a, b| a.at.total_cmp(&b.at).then(a.from.total_cmp(&b.from)));
    let mut merged: Vec<Rule> = Vec::new();
    for rule in rules {
        if let Some(m) = merged
            .iter_mut()
            .rev()
            .take_while(|m| rule.at - m.at <= SNAP)
            .find(|m| rule.from <= m.to + SNAP && rule.to >= m.from - SNAP)
        {
            m.from = m.from.min(rule.from);
            m.to = m.to.max(rule.to);
            continue;
        }
        merged.push(rule);
    }
    merged
}

fn find_root(parent: &mut [usize], i: usize) -> usize {
    let mut root = i;
    while parent[root] != root {
        root = parent[root];
    }
    let mut node = i;
    while parent[node] != root {
        let next = parent[node];
        parent[node] = root;
        node = next;
    }
    root
}

/// Distinct values, sorted, closer ones merged.
fn distinct(mut values: Vec<f32>) -> Vec<f32> {
    values.sort_by(f32::total_cmp);
    let mut out: Vec<f32> = Vec::new();
    for v in values {
        if out.last().is_none_or(|&last| v - last > SNAP) {
            out.push(v);
        }
    }
    out
}

/// Finds ruled tables and moves the glyphs inside them out of `glyphs`.
pub fn extract_tables(segments: &[Segment], glyphs: &mut Vec<Glyph>) -> Vec<RuledTable> {
    let horizontal = merge_rules(
        segments
            .iter()
            .filter(|s| s.is_horizontal() && s.x1 - s.x0 >= MIN_RULE_LENGTH)
            .map(|s| Rule {
                at: (s.y0 + s.y1) / 2.0,
                from: s.x0,
                to: s.x1,
            })
            .collect(),
    );
    let vertical = merge_rules(
        segments
            .iter()
            .filter(|s| s.is_vertical() && s.y1 - s.y0 >= MIN_RULE_LENGTH)
            .map(|s| Rule {
                at: (s.x0 + s.x1) / 2.0,
                from: s.y0,
                to: s.y1,
            })
            .collect(),
    );
    if horizontal.len() < 2 || vertical.is_empty() || glyphs.is_empty() {
        return Vec::new();
    }
    // Connected components of crossing rules.
    let n_h = horizontal.len();
    let mut parent: Vec<usize> = (0..n_h + vertical.len()).collect();
    for (i, h) in horizontal.iter().enumerate() {
        for (j, v) in vertical.iter().enumerate() {
            let crosses = v.at >= h.from - SNAP
                && v.at <= h.to + SNAP
                && h.at >= v.from - SNAP
                && h.at <= v.to + SNAP;
            if crosses {
                let (a, b) = (find_root(&mut parent, i), find_root(&mut parent, n_h + j));
                if a != b {
                    parent[a] = b;
                }
            }
        }
    }
    let mut components: Vec<(usize, Vec<Rule>, Vec<Rule>)> = Vec::new();
    for i in 0..parent.len() {
        let root = find_root(&mut parent, i);
        let index = match components.iter().position(|c| c.0 == root) {
            Some(index) => index,
            None => {
                components.push((root, Vec::new(), Vec::new()));
                components.len() - 1
            }
        };
        if i < n_h {
            components[index].1.push(horizontal[i]);
        } else {
            components[index].2.push(vertical[i - n_h]);
        }
    }
    let mut tables = Vec::new();
    for (_, hs, vs) in components {
        if hs.len() < 2 || vs.is_empty() {
            continue;
        }
        if let Some(table) = build_grid(&hs, &vs, glyphs) {
            tables.push(table);
        }
    }
    tables.sort_by(|a, b| a.bbox[1].total_cmp(&b.bbox[1]));
    tables
}

fn build_grid(hs: &[Rule], vs: &[Rule], glyphs: &mut Vec<Glyph>) -> Option<RuledTable> {
    let x0 = hs.iter().map(|h| h.from).fold(f32::INFINITY, f32::min);
    let x1 = hs.iter().map(|h| h.to).fold(f32::NEG_INFINITY, f32::max);
    let ys = distinct(hs.iter().map(|h| h.at).collect());
    let (y0, y1) = (*ys.first()?, *ys.last()?);
    if ys.len() < 2 || x1 - x0 < 20.0 || y1 - y0 < 8.0 {
        return None;
    }
    let bands: Vec<(f32, f32)> = ys
        .windows(2)
        .map(|w| (w[0], w[1]))
        .filter(|(a, b)| b - a >= 3.0)
        .collect();
    // Column boundaries of each band: the table's sides and the verticals crossing the band.
    let band_columns: Vec<Vec<f32>> = bands
        .iter()
        .map(|&(top, bottom)| {
            let middle = (top + bottom) / 2.0;
            let mut xs = vec![x0, x1];
            xs.extend(
                vs.iter()
                    .filter(|v| {
                        v.from <= middle && v.to >= middle && v.at > x0 + SNAP && v.at < x1 - SNAP
                    })
                    .map(|v| v.at),
            );
            distinct(xs)
        })
        .collect();
    let max_cells = band_columns.iter().map(|c| c.len() - 1).max().unwrap_or(0);
    if bands.len() * max_cells < 2 {
        // A single framed box is a text frame, not a table.
        return None;
    }
    let mut rows: Vec<TableRow> = bands
        .iter()
        .zip(&band_columns)
        .map(|(&(top, bottom), xs)| TableRow {
            y0: top,
            y1: bottom,
            cells: vec![Vec::new(); xs.len() - 1],
        })
        .collect();
    let mut taken = 0usize;
    let mut kept = Vec::with_capacity(glyphs.len());
    for g in glyphs.drain(..) {
        let cy = g.baseline - 0.3 * g.size;
        let cx = g.center_x();
        let inside = cx > x0 - 1.0 && cx < x1 + 1.0 && cy > y0 - 1.0 && cy < y1 + 1.0;
        let slot = inside
            .then(|| {
                bands
                    .iter()
                    .position(|&(top, bottom)| cy >= top - 1.0 && cy <= bottom + 1.0)
            })
            .flatten()
            .and_then(|b| {
                let xs = &band_columns[b];
                xs.windows(2)
                    .position(|w| cx >= w[0] - 1.0 && cx <= w[1] + 1.0)
                    .map(|c| (b, c))
            });
        match slot {
            Some((b, c)) => {
                if !g.space {
                    taken += 1;
                }
                rows[b].cells[c].push(g);
            }
            None => kept.push(g),
        }
    }
    if taken == 0 {
        // Nothing inside: give everything back (a decorative frame or a chart grid without text).
        kept.extend(rows.into_iter().flat_map(|r| r.cells.into_iter().flatten()));
        *glyphs = kept;
        return None;
    }
    *glyphs = kept;
    rows.retain(|r| r.cells.iter().any(|c| c.iter().any(|g| !g.space)));
    Some(RuledTable {
        bbox: [x0, y0, x1, y1],
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(y: f32, x0: f32, x1: f32) -> Segment {
        Segment {
            x0,
            y0: y - 0.25,
            x1,
            y1: y + 0.25,
        }
    }
    fn v(x: f32, y0: f32, y1: f32) -> Segment {
        Segment {
            x0: x - 0.25,
            y0,
            x1: x + 0.25,
            y1,
        }
    }
    fn glyph(text: &str, x0: f32, baseline: f32) -> Glyph {
        Glyph {
            text: text.into(),
            x0,
            x1: x0 + 10.0,
            baseline,
            size: 10.0,
            space: false,
            unmapped: false,
            upright: true,
            run: 0,
        }
    }

    #[test]
    fn a_two_by_two_grid_gives_two_rows_of_two_cells() {
        let segments = vec![
            h(100.0, 50.0, 250.0),
            h(120.0, 50.0, 250.0),
            h(140.0, 50.0, 250.0),
            v(50.0, 100.0, 140.0),
            v(150.0, 100.0, 140.0),
            v(250.0, 100.0, 140.0),
        ];
        let mut glyphs = vec![
            glyph("구", 60.0, 115.0),
            glyph("분", 70.0, 115.0),
            glyph("인", 160.0, 115.0),
            glyph("원", 170.0, 115.0),
            glyph("3", 160.0, 135.0),
            glyph("바", 60.0, 300.0),
        ];
        let tables = extract_tables(&segments, &mut glyphs);
        assert_eq!(tables.len(), 1);
        assert_eq!(tables[0].rows.len(), 2);
        assert_eq!(tables[0].rows[0].cells[1].len(), 2);
        assert_eq!(glyphs.len(), 1, "the glyph outside stays in the page flow");
    }

    #[test]
    fn a_framed_box_is_not_a_table() {
        let segments = vec![
            h(100.0, 50.0, 250.0),
            h(140.0, 50.0, 250.0),
            v(50.0, 100.0, 140.0),
            v(250.0, 100.0, 140.0),
        ];
        let mut glyphs = vec![glyph("□", 60.0, 125.0)];
        assert!(extract_tables(&segments, &mut glyphs).is_empty());
        assert_eq!(glyphs.len(), 1);
    }
}
