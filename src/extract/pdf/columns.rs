//! Columns and reading order. The page is cut into horizontal slabs (bands with no text
//! crossing their edges); consecutive slabs that share an empty vertical gutter, with real
//! text on both sides, form a multi-column region that is read down the left side and then the
//! right (recursively, so three columns and nested layouts work). Everything else is read row
//! by row, top to bottom. Tables are placed as single items.

use super::rows::Fragment;
use super::tables::RuledTable;

/// One unit of the page in reading order.
#[derive(Debug, Clone, PartialEq)]
pub struct Placed {
    pub unit: Unit,
    /// 0-based column, counted left to right inside multi-column regions.
    pub column: u32,
    /// Units of one region (a column of a multi-column region, or a single-column stretch)
    /// share a block number.
    pub block: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Unit {
    /// Fragments (indices) that form one line, left to right.
    Line(Vec<usize>),
    /// A table (index).
    Table(usize),
}

#[derive(Debug, Clone, Copy)]
enum Kind {
    Fragment(usize),
    Table(usize),
}

#[derive(Debug, Clone, Copy)]
struct Item {
    x0: f32,
    x1: f32,
    top: f32,
    bottom: f32,
    baseline: f32,
    size: f32,
    kind: Kind,
}

impl Item {
    fn center(&self) -> f32 {
        (self.x0 + self.x1) / 2.0
    }
}

/// Each side of a column gutter must hold text at least this share of the region's width.
const MIN_COLUMN_SHARE: f32 = 0.2;
/// …and at least this many distinct text rows.
const MIN_COLUMN_ROWS: usize = 2;
/// A gutter is at least this many ems wide (and at least `MIN_GUTTER_POINTS`).
const MIN_GUTTER_EMS: f32 = 0.8;
const MIN_GUTTER_POINTS: f32 = 6.0;

/// Orders the page's fragments and tables for reading.
pub fn reading_order(fragments: &[Fragment], tables: &[RuledTable]) -> Vec<Placed> {
    let mut items: Vec<Item> = fragments
        .iter()
        .enumerate()
        .map(|(i, f)| Item {
            x0: f.x0,
            x1: f.x1,
            top: f.top,
            bottom: f.bottom,
            baseline: f.baseline,
            size: f.size,
            kind: Kind::Fragment(i),
        })
        .collect();
    items.extend(tables.iter().enumerate().map(|(i, t)| Item {
        x0: t.bbox[0],
        x1: t.bbox[2],
        top: t.bbox[1],
        bottom: t.bbox[3],
        baseline: t.bbox[3],
        size: 10.0,
        kind: Kind::Table(i),
    }));
    let mut out = Vec::new();
    let mut blocks = Blocks::default();
    order(items, 0, &mut out, &mut blocks);
    out
}

fn median_size(items: &[Item]) -> f32 {
    let mut sizes: Vec<f32> = items
        .iter()
        .filter(|i| matches!(i.kind, Kind::Fragment(_)))
        .map(|i| i.size)
        .collect();
    if sizes.is_empty() {
        return 10.0;
    }
    sizes.sort_by(f32::total_cmp);
    sizes[sizes.len() / 2]
}

fn slabs(mut items: Vec<Item>) -> Vec<Vec<Item>> {
    items.sort_by(|a, b| a.top.total_cmp(&b.top));
    let mut out: Vec<Vec<Item>> = Vec::new();
    let mut bottom = f32::NEG_INFINITY;
    for item in items {
        if item.top < bottom - 0.5 {
            bottom = bottom.max(item.bottom);
            if let Some(slab) = out.last_mut() {
                slab.push(item);
            }
        } else {
            bottom = item.bottom;
            out.push(vec![item]);
        }
    }
    out
}

/// Empty vertical strips inside `(from, to)` that no item of `slab` covers.
fn free_intervals(slab: &[Item], from: f32, to: f32, min_width: f32) -> Vec<(f32, f32)> {
    let mut spans: Vec<(f32, f32)> = slab.iter().map(|i| (i.x0, i.x1)).collect();
    spans.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut out = Vec::new();
    let mut cursor = from;
    for (x0, x1) in spans {
        if x0 - cursor >= min_width {
            out.push((cursor, x0));
        }
        cursor = cursor.max(x1);
    }
    if to - cursor >= min_width {
        out.push((cursor, to));
    }
    out
}

fn intersect(a: &[(f32, f32)], b: &[(f32, f32)], min_width: f32) -> Vec<(f32, f32)> {
    let mut out = Vec::new();
    for &(a0, a1) in a {
        for &(b0, b1) in b {
            let (lo, hi) = (a0.max(b0), a1.min(b1));
            if hi - lo >= min_width {
                out.push((lo, hi));
            }
        }
    }
    out
}

fn distinct_rows(items: &[&Item]) -> usize {
    let mut baselines: Vec<f32> = items.iter().map(|i| i.baseline).collect();
    baselines.sort_by(f32::total_cmp);
    let mut rows = 0;
    let mut last = f32::NEG_INFINITY;
    for b in baselines {
        if b - last > 2.0 {
            rows += 1;
            last = b;
        }
    }
    rows
}

/// Block numbering: consecutive row-by-row stretches share a block; each column of a
/// multi-column region gets its own.
#[derive(Debug, Default)]
struct Blocks {
    last: u32,
    open: bool,
}

impl Blocks {
    fn for_rows(&mut self) -> u32 {
        if !self.open {
            self.last += 1;
            self.open = true;
        }
        self.last
    }
    fn close(&mut self) {
        self.open = false;
    }
}

/// Orders `items` starting at `column`; returns the last column number used.
fn order(items: Vec<Item>, column: u32, out: &mut Vec<Placed>, block: &mut Blocks) -> u32 {
    if items.is_empty() {
        return column;
    }
    let from = items.iter().map(|i| i.x0).fold(f32::INFINITY, f32::min);
    let to = items.iter().map(|i| i.x1).fold(f32::NEG_INFINITY, f32::max);
    let min_gutter = (MIN_GUTTER_EMS * median_size(&items)).max(MIN_GUTTER_POINTS);
    let mut max_column = column;
    let mut run: Vec<Vec<Item>> = Vec::new();
    let mut candidates: Vec<(f32, f32)> = Vec::new();
    for slab in slabs(items) {
        let free = free_intervals(&slab, from, to, min_gutter);
        let continued = intersect(&candidates, &free, min_gutter);
        if !run.is_empty() && !continued.is_empty() {
            candidates = continued;
            run.push(slab);
            continue;
        }
        if !run.is_empty() {
            let done = std::mem::take(&mut run);
            max_column = max_column.max(flush(done, &candidates, from, to, column, out, block));
        }
        candidates = free;
        run.push(slab);
    }
    if !run.is_empty() {
        max_column = max_column.max(flush(run, &candidates, from, to, column, out, block));
    }
    max_column
}

/// Emits a run of slabs: as columns if one of the candidate gutters is real, row by row if not.
fn flush(
    run: Vec<Vec<Item>>,
    candidates: &[(f32, f32)],
    from: f32,
    to: f32,
    column: u32,
    out: &mut Vec<Placed>,
    block: &mut Blocks,
) -> u32 {
    let items: Vec<Item> = run.iter().flatten().copied().collect();
    let region_width = (to - from).max(1.0);
    let mut gutters: Vec<(f32, f32)> = candidates
        .iter()
        .copied()
        .filter(|&(lo, hi)| lo > from + 0.5 && hi < to - 0.5)
        .collect();
    gutters.sort_by(|a, b| (b.1 - b.0).total_cmp(&(a.1 - a.0)));
    for (lo, hi) in gutters {
        let middle = (lo + hi) / 2.0;
        let (left, right): (Vec<&Item>, Vec<&Item>) =
            items.iter().partition(|i| i.center() < middle);
        let width = |side: &[&Item]| {
            side.iter().map(|i| i.x1).fold(f32::NEG_INFINITY, f32::max)
                - side.iter().map(|i| i.x0).fold(f32::INFINITY, f32::min)
        };
        let real = distinct_rows(&left) >= MIN_COLUMN_ROWS
            && distinct_rows(&right) >= MIN_COLUMN_ROWS
            && width(&left) >= MIN_COLUMN_SHARE * region_width
            && width(&right) >= MIN_COLUMN_SHARE * region_width;
        if real {
            let left: Vec<Item> = left.into_iter().copied().collect();
            let right: Vec<Item> = right.into_iter().copied().collect();
            block.close();
            let last_left = order(left, column, out, block);
            block.close();
            let last = order(right, last_left + 1, out, block);
            block.close();
            return last;
        }
    }
    let number = block.for_rows();
    for slab in run {
        emit_rows(slab, column, number, out);
    }
    column
}

/// Emits one slab read row by row: fragments sharing a baseline form one line.
fn emit_rows(mut slab: Vec<Item>, column: u32, block: u32, out: &mut Vec<Placed>) {
    slab.sort_by(|a, b| a.baseline.total_cmp(&b.baseline));
    let mut units: Vec<(f32, Unit)> = Vec::new();
    let mut row: Vec<Item> = Vec::new();
    let mut row_baseline = f32::NEG_INFINITY;
    let flush_row = |row: &mut Vec<Item>, units: &mut Vec<(f32, Unit)>| {
        if row.is_empty() {
            return;
        }
        row.sort_by(|a, b| a.x0.total_cmp(&b.x0));
        let top = row.iter().map(|i| i.top).fold(f32::INFINITY, f32::min);
        let indices = row
            .iter()
            .filter_map(|i| match i.kind {
                Kind::Fragment(f) => Some(f),
                Kind::Table(_) => None,
            })
            .collect();
        units.push((top, Unit::Line(indices)));
        row.clear();
    };
    for item in slab {
        match item.kind {
            Kind::Table(t) => units.push((item.top, Unit::Table(t))),
            Kind::Fragment(_) => {
                if (item.baseline - row_baseline).abs() > 0.3 * item.size {
                    flush_row(&mut row, &mut units);
                    row_baseline = item.baseline;
                }
                row.push(item);
            }
        }
    }
    flush_row(&mut row, &mut units);
    units.sort_by(|a, b| a.0.total_cmp(&b.0));
    out.extend(units.into_iter().map(|(_, unit)| Placed {
        unit,
        column,
        block,
    }));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::pdf::capture::Glyph;

    fn fragment(x0: f32, x1: f32, baseline: f32) -> Fragment {
        let glyph = |x: f32| Glyph {
            text: "가".into(),
            x0: x,
            x1: x + 10.0,
            baseline,
            size: 10.0,
            space: false,
            unmapped: false,
            upright: true,
            run: 0,
        };
        Fragment::new(vec![glyph(x0), glyph(x1 - 10.0)])
    }

    fn lines_in_order(fragments: &[Fragment]) -> Vec<(f32, f32)> {
        reading_order(fragments, &[])
            .into_iter()
            .filter_map(|p| match p.unit {
                Unit::Line(f) => Some((fragments[f[0]].x0, fragments[f[0]].baseline)),
                Unit::Table(_) => None,
            })
            .collect()
    }

    #[test]
    fn two_columns_read_left_then_right_under_a_full_width_title() {
        let mut fragments = vec![fragment(50.0, 550.0, 60.0)];
        for row in 0..4 {
            let y = 100.0 + 14.0 * row as f32;
            fragments.push(fragment(50.0, 280.0, y));
            fragments.push(fragment(320.0, 550.0, y));
        }
        let order = lines_in_order(&fragments);
        let xs: Vec<f32> = order.iter().map(|o| o.0).collect();
        assert_eq!(
            xs,
            vec![50.0, 50.0, 50.0, 50.0, 50.0, 320.0, 320.0, 320.0, 320.0]
        );
    }

    #[test]
    fn right_aligned_page_numbers_stay_on_their_rows() {
        // A table of contents: titles on the left, page numbers on the right edge.
        let mut fragments = Vec::new();
        for row in 0..5 {
            let y = 100.0 + 14.0 * row as f32;
            fragments.push(fragment(50.0, 300.0, y));
            fragments.push(fragment(530.0, 550.0, y));
        }
        let placed = reading_order(&fragments, &[]);
        assert_eq!(
            placed.len(),
            5,
            "each title joins its page number: {placed:?}"
        );
    }
}
