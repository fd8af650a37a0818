//! Tables from ruling lines: horizontal and vertical strokes that cross each other form a grid.
//! Row bands lie between the horizontal rulings, columns between the distinct vertical ones;
//! a cell spans the columns no vertical ruling separates inside its band, and the bands no
//! horizontal ruling separates across its width (a missing inner rule merges). Glyphs inside a
//! grid are taken out of the page flow and belong to their cell.

use super::capture::{Glyph, Segment};

/// A ruled table found on a page: its outline, its grid and the glyphs of each cell.
#[derive(Debug, Clone, PartialEq)]
pub struct RuledTable {
    pub bbox: [f32; 4],
    /// Number of grid rows and columns.
    pub rows: usize,
    pub cols: usize,
    /// Cells sorted by `(row, col)`; grid positions a span covers have no cell of their own.
    pub cells: Vec<GridCell>,
    /// What the grid was read from: ruling lines, or column alignment (`aligned.rs`).
    pub origin: crate::model::TableOrigin,
}

/// One cell of a ruled grid.
#[derive(Debug, Clone, PartialEq)]
pub struct GridCell {
    pub row: usize,
    pub col: usize,
    pub row_span: usize,
    pub col_span: usize,
    pub bbox: [f32; 4],
    pub glyphs: Vec<Glyph>,
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

/// Strokes on one line (fixed coordinates within `SNAP` of the first) whose extents touch or
/// overlap become one rule. Sweeping each line's strokes in order of their start joins a
/// dotted rule whose dashes sit a hair above and below each other.
fn merge_rules(mut rules: Vec<Rule>) -> Vec<Rule> {
    rules.sort_by(|a, b| a.at.total_cmp(&b.at));
    let mut merged: Vec<Rule> = Vec::new();
    let mut start = 0;
    while start < rules.len() {
        let at = rules[start].at;
        let end = start + rules[start..].partition_point(|r| r.at - at <= SNAP);
        let line = &mut rules[start..end];
        line.sort_by(|a, b| a.from.total_cmp(&b.from));
        let first = merged.len();
        for rule in line.iter() {
            match merged[first..].last_mut() {
                Some(m) if rule.from <= m.to + SNAP => m.to = m.to.max(rule.to),
                _ => merged.push(*rule),
            }
        }
        start = end;
    }
    merged
}

/// The rules at least `MIN_RULE_LENGTH` long.
fn long_rules(mut rules: Vec<Rule>) -> Vec<Rule> {
    rules.retain(|r| r.to - r.from >= MIN_RULE_LENGTH);
    rules
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
    // Strokes are joined before short ones are dropped: Hancom draws a dotted cell border as
    // hundreds of 0.5pt dashes 1.2pt apart, which together are one rule.
    let horizontal = long_rules(merge_rules(
        segments
            .iter()
            .filter(|s| s.is_horizontal())
            .map(|s| Rule {
                at: (s.y0 + s.y1) / 2.0,
                from: s.x0,
                to: s.x1,
            })
            .collect(),
    ));
    let vertical = long_rules(merge_rules(
        segments
            .iter()
            .filter(|s| s.is_vertical())
            .map(|s| Rule {
                at: (s.x0 + s.x1) / 2.0,
                from: s.y0,
                to: s.y1,
            })
            .collect(),
    ));
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
            if crosses && !end_closed_short(h, v, &horizontal, &vertical) {
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
    let mut components = bridge_open_sides(
        components
            .into_iter()
            .filter(|c| c.1.len() >= 2 && !c.2.is_empty())
            .map(|(_, hs, vs)| (hs, vs))
            .collect(),
    );
    // A table nested in another's cell is a grid of its own inside the outer one: built first
    // (smaller first), it takes its glyphs before the outer cell could.
    let area = |hs: &[Rule], vs: &[Rule]| {
        let (x0, x1) = hs
            .iter()
            .fold((f32::INFINITY, f32::NEG_INFINITY), |(a, b), h| {
                (a.min(h.from), b.max(h.to))
            });
        let (y0, y1) = vs
            .iter()
            .fold((f32::INFINITY, f32::NEG_INFINITY), |(a, b), v| {
                (a.min(v.from), b.max(v.to))
            });
        (x1 - x0).max(0.0) * (y1 - y0).max(0.0)
    };
    components.sort_by(|a, b| area(&a.0, &a.1).total_cmp(&area(&b.0, &b.1)));
    let mut tables = Vec::new();
    for (hs, vs) in components {
        let mut hs = hs;
        hs.extend(fused_row_rules(&hs, &vs, glyphs));
        if let Some(table) = build_grid(&hs, &vs, glyphs) {
            tables.push(table);
        }
    }
    tables.sort_by(|a, b| a.bbox[1].total_cmp(&b.bbox[1]));
    tables
}

/// Rules this close (points) meet exactly: a grid's own rules end on each other.
const EXACT: f32 = 0.5;

/// Whether `h` and `v` only come near each other past an end of one of them that a rule of
/// its own grid closes exactly: a table nested in a cell, its rules ending on its own sides
/// 1.8pt short of the outer cell's rule (reg80250.pdf page 2: `유형 | 인원수 또는 규모` in
/// `8. 피규제집단 및 이해관계자`), is a grid of its own, not part of the outer one.
fn end_closed_short(h: &Rule, v: &Rule, horizontal: &[Rule], vertical: &[Rule]) -> bool {
    let meets = |a: &Rule, at: f32, b: &Rule| {
        (b.at - at).abs() <= EXACT && a.at >= b.from - EXACT && a.at <= b.to + EXACT
    };
    let h_end = if v.at > h.to + EXACT {
        Some(h.to)
    } else if v.at < h.from - EXACT {
        Some(h.from)
    } else {
        None
    };
    let v_end = if h.at > v.to + EXACT {
        Some(v.to)
    } else if h.at < v.from - EXACT {
        Some(v.from)
    } else {
        None
    };
    h_end.is_some_and(|x| vertical.iter().any(|o| meets(h, x, o)))
        || v_end.is_some_and(|y| horizontal.iter().any(|o| meets(v, y, o)))
}

/// Largest gap (points) between two open-sided grids that a row spanning all columns bridges.
const MAX_BRIDGED_ROW: f32 = 40.0;

/// Grids of a table drawn without side rules (Hancom's horizontal-rules style) joined: a row
/// that spans all columns (`Ⅰ. 회사소개` over `항목 | 작성방법`) has no vertical rule at all,
/// so the grids above and below it are not connected. Two such grids with the same left and
/// right ends, the lower starting at most `MAX_BRIDGED_ROW` below the upper, are one table.
/// Boxed grids stay apart: a row of a boxed table keeps its side rules, so a gap between two
/// boxed grids is text between two tables.
fn bridge_open_sides(mut components: Vec<(Vec<Rule>, Vec<Rule>)>) -> Vec<(Vec<Rule>, Vec<Rule>)> {
    struct Extent {
        x0: f32,
        x1: f32,
        top: f32,
        bottom: f32,
        open: bool,
    }
    let extent = |hs: &[Rule], vs: &[Rule]| {
        let x0 = hs.iter().map(|h| h.from).fold(f32::INFINITY, f32::min);
        let x1 = hs.iter().map(|h| h.to).fold(f32::NEG_INFINITY, f32::max);
        let side = |x: f32| vs.iter().any(|v| (v.at - x).abs() <= SNAP);
        Extent {
            x0,
            x1,
            top: hs.iter().map(|h| h.at).fold(f32::INFINITY, f32::min),
            bottom: hs.iter().map(|h| h.at).fold(f32::NEG_INFINITY, f32::max),
            open: !side(x0) && !side(x1),
        }
    };
    components.sort_by(|a, b| extent(&a.0, &a.1).top.total_cmp(&extent(&b.0, &b.1).top));
    let mut out: Vec<(Vec<Rule>, Vec<Rule>)> = Vec::with_capacity(components.len());
    for (hs, vs) in components {
        let below = extent(&hs, &vs);
        let joins = out.last().is_some_and(|(ahs, avs)| {
            let above = extent(ahs, avs);
            above.open
                && below.open
                && (above.x0 - below.x0).abs() <= SNAP
                && (above.x1 - below.x1).abs() <= SNAP
                && below.top > above.bottom
                && below.top - above.bottom <= MAX_BRIDGED_ROW
        });
        match out.last_mut() {
            Some(last) if joins => {
                last.0.extend(hs);
                last.1.extend(vs);
            }
            _ => out.push((hs, vs)),
        }
    }
    out
}

/// Whether a horizontal rule closes cells: each of its ends meets a vertical rule or the
/// table's side. Underlines (the amended words of a 조문 대비표 are underlined) and other
/// strokes inside a cell end in the middle of it and are not row boundaries.
fn closes_cells(h: &Rule, vs: &[Rule], x0: f32, x1: f32) -> bool {
    let end_ok = |x: f32| {
        (x - x0).abs() <= SNAP + 0.5
            || (x - x1).abs() <= SNAP + 0.5
            || vs.iter().any(|v| {
                (v.at - x).abs() <= SNAP + 0.5 && h.at >= v.from - SNAP && h.at <= v.to + SNAP
            })
    };
    end_ok(h.from) && end_ok(h.to)
}

/// How far below a baseline (in font sizes) an underline is drawn at most; a cell's bottom
/// rule lies below the descenders and the cell margin.
const UNDERLINE_DEPTH: f32 = 0.25;
/// How far (points) an underline's ends lie from the ends of the text it underlines.
const UNDERLINE_SLACK: f32 = 0.75;

/// Whether a horizontal rule underlines the text right above it: a line's baselines lie just
/// above it and its ends are that text's ends. An underlined line that fills its cell
/// (reg80250.pdf page 4: `제14조의8(특별교통수단의 운전업무 종`, its words amended) reaches
/// the cell's sides within a margin's width and would otherwise close the cell.
fn underlines_text(h: &Rule, glyphs: &[Glyph]) -> bool {
    let (mut left, mut right) = (f32::INFINITY, f32::NEG_INFINITY);
    for g in glyphs {
        let depth = h.at - g.baseline;
        let cx = g.center_x();
        if !g.space && depth >= 0.0 && depth <= UNDERLINE_DEPTH * g.size && cx > h.from && cx < h.to
        {
            left = left.min(g.x0);
            right = right.max(g.x1);
        }
    }
    (left - h.from).abs() <= UNDERLINE_SLACK && (right - h.to).abs() <= UNDERLINE_SLACK
}

fn build_grid(hs: &[Rule], vs: &[Rule], glyphs: &mut Vec<Glyph>) -> Option<RuledTable> {
    let x0 = hs.iter().map(|h| h.from).fold(f32::INFINITY, f32::min);
    let x1 = hs.iter().map(|h| h.to).fold(f32::NEG_INFINITY, f32::max);
    let hs: Vec<Rule> = hs
        .iter()
        .filter(|h| closes_cells(h, vs, x0, x1) && !underlines_text(h, glyphs))
        .copied()
        .collect();
    let hs = hs.as_slice();
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
    let band_columns = band_columns(&bands, vs, x0, x1);
    let max_cells = band_columns.iter().map(|c| c.len() - 1).max().unwrap_or(0);
    if bands.len() * max_cells < 2 {
        // A single framed box is a text frame, not a table.
        return None;
    }
    let grid = Grid::new(&bands, &band_columns, hs);
    let mut cell_glyphs: Vec<Vec<Glyph>> = vec![Vec::new(); grid.cells.len()];
    let mut band_has_text = vec![false; bands.len()];
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
                    .map(|k| (b, grid.owner[b][k]))
            });
        match slot {
            Some((b, cell)) => {
                if !g.space {
                    taken += 1;
                    band_has_text[b] = true;
                }
                cell_glyphs[cell].push(g);
            }
            None => kept.push(g),
        }
    }
    if taken == 0 {
        // Nothing inside: give everything back (a decorative frame or a chart grid without text).
        kept.extend(cell_glyphs.into_iter().flatten());
        *glyphs = kept;
        return None;
    }
    *glyphs = kept;
    // Rows without any text are dropped (the thin bands between double rules, empty spacer
    // rows); spans shrink accordingly.
    let new_index: Vec<usize> = band_has_text
        .iter()
        .scan(0usize, |count, &keep| {
            let index = *count;
            *count += usize::from(keep);
            Some(index)
        })
        .collect();
    let rows = band_has_text.iter().filter(|&&k| k).count();
    let mut cells: Vec<GridCell> = grid
        .cells
        .iter()
        .zip(cell_glyphs)
        .filter_map(|(proto, glyphs)| {
            let span = band_has_text[proto.first_band..=proto.last_band]
                .iter()
                .filter(|&&k| k)
                .count();
            (span > 0).then(|| GridCell {
                row: new_index[proto.first_band],
                col: proto.first_col,
                row_span: span,
                col_span: proto.last_col - proto.first_col,
                bbox: [
                    grid.xs[proto.first_col],
                    bands[proto.first_band].0,
                    grid.xs[proto.last_col],
                    bands[proto.last_band].1,
                ],
                glyphs,
            })
        })
        .collect();
    cells.sort_by_key(|c| (c.row, c.col));
    Some(RuledTable {
        bbox: [x0, y0, x1, y1],
        rows,
        cols: grid.xs.len() - 1,
        cells,
        origin: crate::model::TableOrigin::Ruled,
    })
}

/// Column boundaries of each band: the table's sides and the verticals crossing the band.
fn band_columns(bands: &[(f32, f32)], vs: &[Rule], x0: f32, x1: f32) -> Vec<Vec<f32>> {
    bands
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
        .collect()
}

/// Rows fused into one band: a table drawn without horizontal rules between its rows comes
/// back as one band whose cells each hold several lines (`'23.1Q` / `'24.1Q` / `증감률` over
/// `66.8` / `55.0` / `(17.8)`). When every non-empty cell of a band holds the same number (two
/// or more) of text lines, their baselines line up across the cells, and some cell holds only
/// numbers, each line is a row: rules between the lines split the band. Wrapped text cells
/// (a label and its description each over two lines) have no all-number cell and stay whole,
/// and so does a band whose number cell wraps one number over two lines.
fn fused_row_rules(hs: &[Rule], vs: &[Rule], glyphs: &[Glyph]) -> Vec<Rule> {
    let x0 = hs.iter().map(|h| h.from).fold(f32::INFINITY, f32::min);
    let x1 = hs.iter().map(|h| h.to).fold(f32::NEG_INFINITY, f32::max);
    let ys = distinct(hs.iter().map(|h| h.at).collect());
    let bands: Vec<(f32, f32)> = ys
        .windows(2)
        .map(|w| (w[0], w[1]))
        .filter(|(a, b)| b - a >= 3.0)
        .collect();
    let columns = band_columns(&bands, vs, x0, x1);
    let band_slots: Vec<Vec<Slot>> = bands
        .iter()
        .zip(&columns)
        .map(|(&(top, bottom), xs)| band_lines(top, bottom, xs, glyphs))
        .collect();
    // A table whose ruled rows hold a number over another in one cell beside a one-line label
    // (`제조업 | 111.8 / (288.4)`) writes several lines per cell by habit: split none.
    let stacked_by_habit = band_slots.iter().any(|slots| {
        slots.iter().any(|s| s.lines.len() >= 2 && s.numeric())
            && slots.iter().any(|s| s.lines.len() == 1)
    });
    if stacked_by_habit {
        return Vec::new();
    }
    let mut rules = Vec::new();
    for slots in band_slots {
        let Some(first) = slots.first().map(|s| &s.lines) else {
            continue;
        };
        let k = first.len();
        let aligned = slots.len() >= 2
            && k >= 2
            && slots.iter().all(|s| s.lines.len() == k)
            && (0..k).all(|i| {
                let size = first[i].size;
                slots
                    .iter()
                    .all(|s| (s.lines[i].baseline - first[i].baseline).abs() <= 0.6 * size)
            });
        let numeric = slots.iter().any(Slot::numeric);
        // A number wrapped in a narrow cell is one value, not a row per line.
        let wrapped = slots.iter().any(|s| s.numeric() && s.wraps());
        if !(aligned && numeric) || wrapped {
            continue;
        }
        for i in 0..k - 1 {
            let (a, b) = (&first[i], &first[i + 1]);
            let at = (a.baseline + 0.2 * a.size + b.baseline - 0.8 * b.size) / 2.0;
            rules.push(Rule {
                at,
                from: x0,
                to: x1,
            });
        }
    }
    rules
}

/// The text lines of each non-empty column slot of a band.
fn band_lines(top: f32, bottom: f32, xs: &[f32], glyphs: &[Glyph]) -> Vec<Slot> {
    xs.windows(2)
        .map(|w| {
            let inside: Vec<&Glyph> = glyphs
                .iter()
                .filter(|g| !g.space)
                .filter(|g| {
                    let (cx, cy) = (g.center_x(), g.baseline - 0.3 * g.size);
                    cx > w[0] && cx < w[1] && cy > top && cy < bottom
                })
                .collect();
            Slot {
                width: w[1] - w[0],
                lines: text_lines(inside),
            }
        })
        .filter(|slot| !slot.lines.is_empty())
        .collect()
}

/// Hancom's cell margin left and right (1.8 mm, its default), in points: the room a cell's
/// text line has is the cell's width less twice this.
const CELL_MARGIN: f32 = 5.1;

/// The text lines of one column slot of a band, and the slot's width.
struct Slot {
    width: f32,
    lines: Vec<TextLine>,
}

impl Slot {
    /// Whether every line holds only a number.
    fn numeric(&self) -> bool {
        self.lines.iter().all(|l| l.numeric)
    }

    /// Whether the slot's lines are one text wrapped: a number too wide for a narrow cell
    /// (reg86712.pdf page 29: `88.2` over `7` is 88.27, `101.` over `84` is 101.84). A line
    /// wrapped when the next line's first glyph would not have fitted after it.
    fn wraps(&self) -> bool {
        self.lines.windows(2).any(|w| {
            let room = self.width - 2.0 * CELL_MARGIN;
            w[0].x1 - w[0].x0 + w[1].first_width > room
        })
    }
}

/// One line of text inside a cell: its baseline, size, extent, the width of its first glyph,
/// and whether it holds only a number.
struct TextLine {
    baseline: f32,
    size: f32,
    x0: f32,
    x1: f32,
    first_width: f32,
    numeric: bool,
}

/// Glyphs grouped into lines by baseline (top to bottom).
fn text_lines(mut glyphs: Vec<&Glyph>) -> Vec<TextLine> {
    glyphs.sort_by(|a, b| a.baseline.total_cmp(&b.baseline));
    let mut lines: Vec<TextLine> = Vec::new();
    for g in glyphs {
        let numeric = g
            .text
            .chars()
            .all(|c| c.is_ascii_digit() || ".,%()-+'‘’△▲▽▼~".contains(c));
        match lines.last_mut() {
            Some(last) if (g.baseline - last.baseline).abs() <= 0.5 * last.size.max(g.size) => {
                last.numeric &= numeric;
                if g.x0 < last.x0 {
                    last.first_width = g.x1 - g.x0;
                }
                last.x0 = last.x0.min(g.x0);
                last.x1 = last.x1.max(g.x1);
            }
            _ => lines.push(TextLine {
                baseline: g.baseline,
                size: g.size,
                x0: g.x0,
                x1: g.x1,
                first_width: g.x1 - g.x0,
                numeric,
            }),
        }
    }
    lines
}

/// A cell before glyphs are assigned: the bands and the grid columns it covers.
#[derive(Debug, Clone, Copy)]
struct ProtoCell {
    first_band: usize,
    last_band: usize,
    /// Grid column boundaries (`first_col..last_col` are the columns covered).
    first_col: usize,
    last_col: usize,
}

/// The grid of a ruled table: the column boundaries of all bands together, the cells with
/// their spans, and which cell each band's slot belongs to.
struct Grid {
    xs: Vec<f32>,
    cells: Vec<ProtoCell>,
    /// `owner[band][slot]`: the cell holding the band's `slot`-th column slot.
    owner: Vec<Vec<usize>>,
}

impl Grid {
    fn new(bands: &[(f32, f32)], band_columns: &[Vec<f32>], hs: &[Rule]) -> Grid {
        let xs = distinct(band_columns.iter().flatten().copied().collect());
        let column = |x: f32| {
            xs.iter()
                .position(|&v| (v - x).abs() <= SNAP)
                .unwrap_or_default()
        };
        let mut cells: Vec<ProtoCell> = Vec::new();
        let mut owner: Vec<Vec<usize>> = Vec::with_capacity(bands.len());
        for (b, columns) in band_columns.iter().enumerate() {
            let mut slots = Vec::with_capacity(columns.len().saturating_sub(1));
            for w in columns.windows(2) {
                let (first_col, last_col) = (column(w[0]), column(w[1]).max(column(w[0]) + 1));
                // The cell above continues down when no horizontal rule closes it here.
                let above = b
                    .checked_sub(1)
                    .filter(|&a| !closed_between(hs, bands[a].1, bands[b].0, (w[0] + w[1]) / 2.0))
                    .and_then(|a| {
                        cells.iter().position(|c| {
                            c.last_band == a && c.first_col == first_col && c.last_col == last_col
                        })
                    });
                let index = match above {
                    Some(index) => {
                        cells[index].last_band = b;
                        index
                    }
                    None => {
                        cells.push(ProtoCell {
                            first_band: b,
                            last_band: b,
                            first_col,
                            last_col,
                        });
                        cells.len() - 1
                    }
                };
                slots.push(index);
            }
            owner.push(slots);
        }
        Grid { xs, cells, owner }
    }
}

/// Whether a horizontal rule between `top` and `bottom` (the boundary of two bands, which may
/// be a double rule) crosses `x`.
fn closed_between(hs: &[Rule], top: f32, bottom: f32, x: f32) -> bool {
    hs.iter().any(|h| {
        h.at >= top - SNAP && h.at <= bottom + SNAP && h.from - SNAP <= x && h.to + SNAP >= x
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
        Glyph::for_test(text, x0, baseline, 10.0)
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
        assert_eq!((tables[0].rows, tables[0].cols), (2, 2));
        assert_eq!(tables[0].cells.len(), 4);
        assert_eq!(tables[0].cells[1].glyphs.len(), 2);
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

    #[test]
    fn a_missing_inner_rule_merges_cells() {
        // A header over two columns (no vertical between x=150 and 250 in the top band), and
        // a row label over two rows (no horizontal at y=140 between x=50 and 150).
        let segments = vec![
            h(100.0, 50.0, 250.0),
            h(120.0, 50.0, 250.0),
            h(140.0, 150.0, 250.0),
            h(160.0, 50.0, 250.0),
            v(50.0, 100.0, 160.0),
            v(150.0, 100.0, 160.0),
            v(200.0, 120.0, 160.0),
            v(250.0, 100.0, 160.0),
        ];
        let mut glyphs = vec![
            glyph("구", 60.0, 115.0),
            glyph("연", 180.0, 115.0),
            glyph("서", 60.0, 145.0),
            glyph("1", 160.0, 135.0),
            glyph("2", 210.0, 135.0),
            glyph("3", 160.0, 155.0),
            glyph("4", 210.0, 155.0),
        ];
        let tables = extract_tables(&segments, &mut glyphs);
        assert_eq!(tables.len(), 1);
        let t = &tables[0];
        assert_eq!((t.rows, t.cols), (3, 3));
        let spans: Vec<(usize, usize, usize, usize)> = t
            .cells
            .iter()
            .map(|c| (c.row, c.col, c.row_span, c.col_span))
            .collect();
        assert_eq!(
            spans,
            vec![
                (0, 0, 1, 1),
                (0, 1, 1, 2),
                (1, 0, 2, 1),
                (1, 1, 1, 1),
                (1, 2, 1, 1),
                (2, 1, 1, 1),
                (2, 2, 1, 1),
            ]
        );
        assert_eq!(t.cells[1].glyphs[0].text, "연");
        assert_eq!(t.cells[2].glyphs[0].text, "서");
    }

    #[test]
    fn empty_bands_are_dropped_and_spans_shrink() {
        // A double rule at 120/121.5 makes a thin band; an empty spacer row at 140-160.
        let segments = vec![
            h(100.0, 50.0, 250.0),
            h(120.0, 50.0, 250.0),
            h(121.5, 50.0, 250.0),
            h(140.0, 50.0, 250.0),
            h(160.0, 50.0, 250.0),
            v(50.0, 100.0, 160.0),
            v(150.0, 100.0, 160.0),
            v(250.0, 100.0, 160.0),
        ];
        let mut glyphs = vec![glyph("가", 60.0, 115.0), glyph("나", 60.0, 135.0)];
        let t = &extract_tables(&segments, &mut glyphs)[0];
        assert_eq!((t.rows, t.cols), (2, 2));
        assert!(t.cells.iter().all(|c| c.row_span == 1 && c.row < 2));
    }

    #[test]
    fn rows_drawn_without_rules_between_them_are_split_when_a_column_is_numbers() {
        // A press release's table: three quarters in one ruled band, values aligned per line.
        let segments = vec![
            h(100.0, 50.0, 250.0),
            h(160.0, 50.0, 250.0),
            v(50.0, 100.0, 160.0),
            v(150.0, 100.0, 160.0),
            v(250.0, 100.0, 160.0),
        ];
        let mut glyphs = Vec::new();
        for (i, (label, value)) in [("가", "66.8"), ("나", "55.0"), ("다", "(17.8)")]
            .iter()
            .enumerate()
        {
            let baseline = 115.0 + 15.0 * i as f32;
            glyphs.push(glyph(label, 60.0, baseline));
            for (k, c) in value.chars().enumerate() {
                glyphs.push(glyph(&c.to_string(), 160.0 + 6.0 * k as f32, baseline));
            }
        }
        let t = &extract_tables(&segments, &mut glyphs)[0];
        assert_eq!((t.rows, t.cols), (3, 2));
        // Wrapped text in both cells of one row stays one row.
        let mut glyphs = vec![
            glyph("정", 60.0, 115.0),
            glyph("책", 60.0, 130.0),
            glyph("사", 160.0, 115.0),
            glyph("업", 160.0, 130.0),
        ];
        let t = &extract_tables(&segments, &mut glyphs)[0];
        assert_eq!((t.rows, t.cols), (1, 2));
    }

    #[test]
    fn a_number_wrapped_in_a_narrow_cell_is_not_split_into_rows() {
        // reg86712.pdf page 29: `주거용 / 건물` beside `88.2 / 7` (88.27 wrapped in a cell
        // 29pt wide), one ruled row.
        let segments = vec![
            h(100.0, 50.0, 200.0),
            h(160.0, 50.0, 200.0),
            v(50.0, 100.0, 160.0),
            v(150.0, 100.0, 160.0),
            v(200.0, 100.0, 160.0),
        ];
        let mut glyphs = vec![glyph("주", 60.0, 115.0), glyph("건", 60.0, 130.0)];
        for (k, c) in ["8", "8", ".", "2"].iter().enumerate() {
            glyphs.push(glyph(c, 155.0 + 7.0 * k as f32, 115.0));
        }
        glyphs.push(glyph("7", 170.0, 130.0));
        let t = &extract_tables(&segments, &mut glyphs)[0];
        assert_eq!((t.rows, t.cols), (1, 2));
        assert_eq!(t.cells[1].glyphs.len(), 5);
    }

    #[test]
    fn underlines_inside_a_cell_are_not_row_boundaries() {
        // A 조문 대비표: `<신 설>` on the left, the amended text on the right with its changed
        // words underlined (strokes ending inside the cell).
        let segments = vec![
            h(100.0, 50.0, 250.0),
            h(120.0, 50.0, 250.0),
            h(180.0, 50.0, 250.0),
            h(136.0, 158.0, 230.0),
            h(151.0, 158.0, 200.0),
            v(50.0, 100.0, 180.0),
            v(150.0, 100.0, 180.0),
            v(250.0, 100.0, 180.0),
        ];
        let mut glyphs = vec![
            glyph("현", 60.0, 115.0),
            glyph("개", 160.0, 115.0),
            glyph("신", 60.0, 150.0),
            glyph("제", 160.0, 135.0),
            glyph("사", 160.0, 150.0),
            glyph("서", 160.0, 165.0),
        ];
        let t = &extract_tables(&segments, &mut glyphs)[0];
        assert_eq!((t.rows, t.cols), (2, 2));
        assert_eq!(t.cells[3].glyphs.len(), 3);
    }

    #[test]
    fn an_underline_as_wide_as_its_cell_is_not_a_row_boundary() {
        // reg80250.pdf page 4: the amended title `제14조의8(특별교통수단의 운전업무 종` fills
        // its cell and is underlined from its first glyph to its last, 1.5pt inside the cell.
        let segments = vec![
            h(100.0, 50.0, 250.0),
            h(180.0, 50.0, 250.0),
            v(50.0, 100.0, 180.0),
            v(150.0, 100.0, 180.0),
            v(250.0, 100.0, 180.0),
            h(117.0, 151.5, 248.5),
        ];
        let mut glyphs = vec![glyph("신", 60.0, 115.0)];
        for k in 0..10 {
            let x = 151.5 + 10.0 * k as f32;
            glyphs.push(glyph("제", x.min(238.5), 115.0));
        }
        glyphs.push(glyph("사", 160.0, 135.0));
        let t = &extract_tables(&segments, &mut glyphs)[0];
        assert_eq!((t.rows, t.cols), (1, 2));
        // The same stroke 5pt below the text is a rule.
        let mut ruled = segments.clone();
        ruled[5] = h(121.0, 150.0, 250.0);
        let mut glyphs = vec![glyph("제", 160.0, 115.0), glyph("사", 160.0, 135.0)];
        let t = &extract_tables(&ruled, &mut glyphs)[0];
        assert_eq!((t.rows, t.cols), (2, 2));
    }

    #[test]
    fn a_dotted_border_separates_rows() {
        // reg76076.pdf page 6: `대안명` over `내용`, split by a dotted rule of 0.5pt dashes
        // 1.2pt apart (some a hair lower than the others).
        let mut segments = vec![
            h(100.0, 50.0, 250.0),
            h(140.0, 50.0, 250.0),
            v(50.0, 100.0, 140.0),
            v(150.0, 100.0, 140.0),
            v(250.0, 100.0, 140.0),
        ];
        let mut x = 150.0;
        let mut k = 0;
        while x < 250.0 {
            let y = if k % 2 == 0 { 120.0 } else { 120.05 };
            // A stroked dash: a zero-thickness segment.
            segments.push(Segment {
                x0: x,
                y0: y,
                x1: x + 0.5,
                y1: y,
            });
            x += 1.2;
            k += 1;
        }
        let mut glyphs = vec![
            glyph("대", 160.0, 115.0),
            glyph("내", 160.0, 135.0),
            glyph("가", 60.0, 125.0),
        ];
        let t = &extract_tables(&segments, &mut glyphs)[0];
        assert_eq!((t.rows, t.cols), (2, 2));
        let spans: Vec<(usize, usize, usize, usize)> = t
            .cells
            .iter()
            .map(|c| (c.row, c.col, c.row_span, c.col_span))
            .collect();
        assert_eq!(spans, vec![(0, 0, 2, 1), (0, 1, 1, 1), (1, 1, 1, 1)]);
    }

    #[test]
    fn grids_without_side_rules_join_across_a_row_spanning_all_columns() {
        // kps_ai.pdf page 37 (제안서 세부작성지침): `항목 | 작성방법`, then `Ⅰ. 회사소개` over
        // both columns with no vertical rule, then `1. 일반현황 | 제안사의 …`; no side rules.
        let segments = vec![
            h(100.0, 50.0, 250.0),
            h(120.0, 50.0, 250.0),
            v(150.0, 100.0, 120.0),
            h(145.0, 50.0, 250.0),
            h(165.0, 50.0, 250.0),
            v(150.0, 145.0, 165.0),
        ];
        let mut glyphs = vec![
            glyph("항", 60.0, 115.0),
            glyph("작", 160.0, 115.0),
            glyph("Ⅰ", 60.0, 137.0),
            glyph("일", 60.0, 160.0),
            glyph("제", 160.0, 160.0),
        ];
        let tables = extract_tables(&segments, &mut glyphs);
        assert_eq!(tables.len(), 1);
        let t = &tables[0];
        assert_eq!((t.rows, t.cols), (3, 2));
        assert_eq!((t.cells[2].row, t.cells[2].col_span), (1, 2));
        assert_eq!(t.cells[2].glyphs[0].text, "Ⅰ");
        assert!(glyphs.is_empty());
        // Boxed grids with a line of text between them are two tables and the text stays.
        let mut boxed = segments.clone();
        boxed.extend([
            v(50.0, 100.0, 120.0),
            v(250.0, 100.0, 120.0),
            v(50.0, 145.0, 165.0),
            v(250.0, 145.0, 165.0),
        ]);
        let mut glyphs = vec![
            glyph("항", 60.0, 115.0),
            glyph("표", 60.0, 137.0),
            glyph("일", 60.0, 160.0),
        ];
        assert_eq!(extract_tables(&boxed, &mut glyphs).len(), 2);
        assert_eq!(glyphs.len(), 1);
    }

    /// A 1x2 outer table whose right cell holds a 2x2 table (reg76076 and reg80250 page 2:
    /// `8. 피규제집단 및 이해관계자` holds `유형 | 인원수 또는 규모`): the outer table's right rule at
    /// `outer_right`, the inner table's horizontal rules ending at `inner_rules_right`, its
    /// own right rule at `inner_right`; and the glyphs of both tables.
    fn nested_in_cell(
        outer_right: f32,
        inner_rules_right: f32,
        inner_right: f32,
    ) -> (Vec<Segment>, Vec<Glyph>) {
        let segments = vec![
            h(100.0, 50.0, outer_right),
            h(200.0, 50.0, outer_right),
            v(50.0, 100.0, 200.0),
            v(150.0, 100.0, 200.0),
            v(outer_right, 100.0, 200.0),
            h(130.0, 160.0, inner_rules_right),
            h(150.0, 160.0, inner_rules_right),
            h(170.0, 160.0, inner_rules_right),
            v(160.0, 130.0, 170.0),
            v(250.0, 130.0, 170.0),
            v(inner_right, 130.0, 170.0),
        ];
        let glyphs = vec![
            glyph("피", 60.0, 150.0),
            glyph("사", 160.0, 120.0),
            glyph("유", 170.0, 145.0),
            glyph("인", 260.0, 145.0),
            glyph("피", 170.0, 165.0),
            glyph("약", 260.0, 165.0),
        ];
        (segments, glyphs)
    }

    #[test]
    fn a_nested_table_ending_just_short_of_the_outer_rule_is_a_table_of_its_own() {
        // reg80250.pdf page 2: the inner table's rules end at 540.91 on its own right side
        // (540.67), 1.8pt short of the outer cell's right rule at 542.71 (shifted by -200).
        let (segments, mut glyphs) = nested_in_cell(342.71, 340.91, 340.67);
        let tables = extract_tables(&segments, &mut glyphs);
        assert_eq!(tables.len(), 2);
        assert_eq!((tables[0].rows, tables[0].cols), (1, 2));
        assert_eq!((tables[1].rows, tables[1].cols), (2, 2));
        // A rule that ends 1.8pt short of a side with no rule of its own there still joins.
        let mut open = segments.clone();
        open.remove(10);
        let mut glyphs = vec![glyph("피", 60.0, 150.0), glyph("유", 170.0, 145.0)];
        assert_eq!(extract_tables(&open, &mut glyphs).len(), 1);
    }

    #[test]
    fn a_table_nested_in_a_cell_keeps_its_own_glyphs() {
        // reg76076.pdf page 2: the inner table is clear of the cell's rules.
        let (segments, mut glyphs) = nested_in_cell(350.0, 340.0, 340.0);
        let tables = extract_tables(&segments, &mut glyphs);
        assert_eq!(tables.len(), 2);
        let outer = &tables[0];
        assert_eq!((outer.rows, outer.cols), (1, 2));
        assert_eq!(
            outer.cells[1].glyphs.len(),
            1,
            "only 사 is the outer cell's"
        );
        let inner = &tables[1];
        assert_eq!((inner.rows, inner.cols), (2, 2));
        assert_eq!(inner.cells[0].glyphs[0].text, "유");
    }
}
