//! Rows and fragments: glyphs that share a baseline form a row (raised small glyphs such as
//! footnote markers join the row they belong to), and each row is cut into fragments at wide
//! gaps and at vertical rulings. Fragments are what the reading-order analysis arranges.

use super::capture::{Glyph, Segment};

/// Glyphs on one baseline, in left-to-right order, with no wide gap or ruling inside.
#[derive(Debug, Clone, PartialEq)]
pub struct Fragment {
    pub glyphs: Vec<Glyph>,
    pub x0: f32,
    pub x1: f32,
    pub top: f32,
    pub bottom: f32,
    pub baseline: f32,
    /// The dominant (most common by count) glyph size.
    pub size: f32,
}

impl Fragment {
    pub fn new(glyphs: Vec<Glyph>) -> Fragment {
        let size = dominant_size(&glyphs);
        let main: Vec<&Glyph> = glyphs
            .iter()
            .filter(|g| !g.space && g.size >= 0.85 * size)
            .collect();
        let baseline = if main.is_empty() {
            glyphs.first().map_or(0.0, |g| g.baseline)
        } else {
            main.iter().map(|g| g.baseline).sum::<f32>() / main.len() as f32
        };
        let x0 = glyphs.iter().map(|g| g.x0).fold(f32::INFINITY, f32::min);
        let x1 = glyphs
            .iter()
            .map(|g| g.x1)
            .fold(f32::NEG_INFINITY, f32::max);
        let top = glyphs.iter().map(Glyph::top).fold(f32::INFINITY, f32::min);
        let bottom = glyphs
            .iter()
            .map(Glyph::bottom)
            .fold(f32::NEG_INFINITY, f32::max);
        Fragment {
            glyphs,
            x0,
            x1,
            top,
            bottom,
            baseline,
            size,
        }
    }

    /// Whether the fragment holds nothing but spaces.
    pub fn is_blank(&self) -> bool {
        self.glyphs.iter().all(|g| g.space)
    }
}

/// The size most glyphs (by count, spaces excluded) have.
pub fn dominant_size(glyphs: &[Glyph]) -> f32 {
    let mut sizes: Vec<(f32, usize)> = Vec::new();
    for g in glyphs.iter().filter(|g| !g.space) {
        match sizes
            .iter_mut()
            .find(|(s, _)| (s - g.size).abs() < 0.05 * g.size)
        {
            Some(entry) => entry.1 += 1,
            None => sizes.push((g.size, 1)),
        }
    }
    sizes
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(a.0.total_cmp(&b.0)))
        .map_or_else(|| glyphs.first().map_or(10.0, |g| g.size), |(s, _)| s)
}

/// Glyphs whose baselines differ by less than this share of the font size share a row.
const ROW_BASELINE_TOLERANCE: f32 = 0.3;
/// A gap wider than this many ems between two glyphs of a row starts a new fragment.
const FRAGMENT_GAP_EMS: f32 = 1.0;
/// A row of glyphs at most this share of a neighbouring row's size, raised into its upper part,
/// is a superscript of that row.
const SUPERSCRIPT_MAX_SIZE: f32 = 0.8;

/// Groups upright glyphs into fragments (spaces included, sorted left to right); glyphs that run
/// in another direction become one fragment per text-showing run.
pub fn fragments(glyphs: Vec<Glyph>, segments: &[Segment]) -> Vec<Fragment> {
    let (mut upright, other): (Vec<Glyph>, Vec<Glyph>) =
        glyphs.into_iter().partition(|g| g.upright);
    let mut out = Vec::new();
    upright.sort_by(|a, b| a.baseline.total_cmp(&b.baseline));
    let rows = merge_superscript_rows(group_rows(upright));
    let verticals: Vec<&Segment> = segments.iter().filter(|s| s.is_vertical()).collect();
    for mut row in rows {
        row.sort_by(|a, b| a.x0.total_cmp(&b.x0));
        split_row(row, &verticals, &mut out);
    }
    let mut runs: Vec<Vec<Glyph>> = Vec::new();
    for g in other {
        match runs.last_mut() {
            Some(run) if run.last().is_some_and(|l| l.run == g.run) => run.push(g),
            _ => runs.push(vec![g]),
        }
    }
    out.extend(runs.into_iter().map(Fragment::new));
    out.retain(|f| !f.is_blank());
    out
}

fn group_rows(sorted: Vec<Glyph>) -> Vec<Vec<Glyph>> {
    let mut rows: Vec<Vec<Glyph>> = Vec::new();
    let mut row_baseline = f32::NEG_INFINITY;
    let mut row_size = 0.0f32;
    for g in sorted {
        let tolerance = ROW_BASELINE_TOLERANCE
            * g.size
                .max(row_size)
                .min(2.0 * g.size.min(row_size).max(1.0));
        if rows.is_empty() || (g.baseline - row_baseline).abs() > tolerance {
            row_baseline = g.baseline;
            row_size = g.size;
            rows.push(vec![g]);
        } else if let Some(row) = rows.last_mut() {
            if !g.space && g.size > row_size {
                row_size = g.size;
            }
            row.push(g);
        }
    }
    rows
}

fn row_extent(row: &[Glyph]) -> (f32, f32, f32, f32) {
    let size = dominant_size(row);
    let main: Vec<&Glyph> = row
        .iter()
        .filter(|g| !g.space && g.size >= 0.85 * size)
        .collect();
    let baseline = main.first().map_or(0.0, |g| g.baseline);
    let x0 = row.iter().map(|g| g.x0).fold(f32::INFINITY, f32::min);
    let x1 = row.iter().map(|g| g.x1).fold(f32::NEG_INFINITY, f32::max);
    (size, baseline, x0, x1)
}

/// Moves rows of small raised glyphs (footnote markers, superscripts) into the row below them
/// that they belong to.
fn merge_superscript_rows(rows: Vec<Vec<Glyph>>) -> Vec<Vec<Glyph>> {
    let mut rows: Vec<Option<Vec<Glyph>>> = rows.into_iter().map(Some).collect();
    for i in 0..rows.len() {
        let Some(small) = rows[i].as_ref() else {
            continue;
        };
        let (size, baseline, x0, x1) = row_extent(small);
        // Candidate host rows: the next rows below (their baseline is larger).
        let mut host = None;
        for (j, candidate) in rows.iter().enumerate().skip(i + 1) {
            let Some(candidate) = candidate.as_ref() else {
                continue;
            };
            let (c_size, c_base, c_x0, c_x1) = row_extent(candidate);
            let raise = c_base - baseline;
            if raise > 0.8 * c_size {
                break;
            }
            if size <= SUPERSCRIPT_MAX_SIZE * c_size
                && raise >= 0.15 * c_size
                && x0 <= c_x1 + c_size
                && x1 >= c_x0 - c_size
            {
                host = Some(j);
                break;
            }
        }
        if let Some(j) = host {
            if let Some(glyphs) = rows[i].take() {
                if let Some(target) = rows[j].as_mut() {
                    target.extend(glyphs);
                }
            }
        }
    }
    rows.into_iter().flatten().collect()
}

fn split_row(row: Vec<Glyph>, verticals: &[&Segment], out: &mut Vec<Fragment>) {
    let mut current: Vec<Glyph> = Vec::new();
    let mut last_ink: Option<(f32, f32, f32)> = None; // x1, size, baseline of the last non-space glyph
    for g in row {
        if !g.space {
            if let Some((prev_x1, prev_size, baseline)) = last_ink {
                let gap = g.x0 - prev_x1;
                let em = prev_size.max(g.size);
                let ruled = verticals.iter().any(|v| {
                    let x = (v.x0 + v.x1) / 2.0;
                    x > prev_x1 - 1.0
                        && x < g.x0 + 1.0
                        && v.y0 < baseline - 0.3 * em
                        && v.y1 > baseline - 0.3 * em
                });
                if gap > FRAGMENT_GAP_EMS * em || ruled {
                    out.push(Fragment::new(std::mem::take(&mut current)));
                }
            }
            last_ink = Some((g.x1, g.size, g.baseline));
        }
        current.push(g);
    }
    if !current.is_empty() {
        out.push(Fragment::new(current));
    }
}

/// Glyphs grouped into text rows (top to bottom, each left to right), superscripts merged into
/// their rows; used inside table cells where no column analysis is needed.
pub fn text_rows(mut glyphs: Vec<Glyph>) -> Vec<Vec<Glyph>> {
    glyphs.sort_by(|a, b| a.baseline.total_cmp(&b.baseline));
    let mut rows = merge_superscript_rows(group_rows(glyphs));
    for row in &mut rows {
        row.sort_by(|a, b| a.x0.total_cmp(&b.x0));
    }
    rows.retain(|row| row.iter().any(|g| !g.space));
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glyph(text: &str, x0: f32, baseline: f32, size: f32) -> Glyph {
        Glyph::for_test(text, x0, baseline, size)
    }

    #[test]
    fn footnote_marker_joins_its_row() {
        // `중랑구¹` : the marker is 6pt, raised 4pt above the 10pt baseline.
        let glyphs = vec![
            glyph("중", 100.0, 200.0, 10.0),
            glyph("랑", 110.0, 200.0, 10.0),
            glyph("구", 120.0, 200.0, 10.0),
            glyph("1", 130.0, 196.0, 6.0),
        ];
        let fragments = fragments(glyphs, &[]);
        assert_eq!(fragments.len(), 1);
        assert_eq!(fragments[0].glyphs.len(), 4);
    }

    #[test]
    fn wide_gap_splits_a_row() {
        let glyphs = vec![
            glyph("가", 100.0, 200.0, 10.0),
            glyph("나", 300.0, 200.0, 10.0),
        ];
        assert_eq!(fragments(glyphs, &[]).len(), 2);
    }
}
