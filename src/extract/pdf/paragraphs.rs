//! Paragraphs and wraps: which body lines start a paragraph (a wider vertical gap, a first-line
//! indent, a short previous line, a size change, a new region), and glyph evidence on whether a
//! wrapped line continues a word (`때문` / `에`): a line that ends with a drawn space glyph
//! wrapped at a word boundary. The absence of one proves nothing (Chrome never draws trailing
//! spaces, Hancom only sometimes), so those wraps are left to the analyzer (`None`).

use crate::model::{Line, LineRole};

/// What layout knows about a line beyond `model::Line`.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct LineEvidence {
    /// Region number from the reading-order analysis.
    pub block: u32,
    /// The last glyph drawn on the line was a space.
    pub ends_with_space_glyph: bool,
}

/// A vertical gap this many times the usual line pitch separates paragraphs.
const PARAGRAPH_GAP_RATIO: f32 = 1.45;
/// A first line indented by this many ems starts a paragraph.
const INDENT_EMS: f32 = 0.8;
/// A previous line ending this many ems short of the right edge ended its paragraph.
const SHORT_LINE_EMS: f32 = 2.0;
/// A size change by this share starts a new paragraph (a heading).
const SIZE_CHANGE: f32 = 0.15;

fn baseline(line: &Line) -> f32 {
    line.bbox.map_or(0.0, |b| b[3])
}

/// Sets `starts_paragraph` and `joins_previous_word` on the body lines of a document's pages,
/// in reading order. `evidence` runs parallel to each page's lines.
pub fn mark(pages: &mut [(Vec<Line>, Vec<LineEvidence>)]) {
    // The last body line seen and the right edge of its region, carried across pages.
    let mut previous: Option<(Line, LineEvidence, f32)> = None;
    for (lines, evidence) in pages.iter_mut() {
        let body: Vec<usize> = (0..lines.len())
            .filter(|&i| lines[i].role == LineRole::Body && lines[i].table.is_none())
            .collect();
        let regions = region_metrics(lines, evidence, &body);
        for (k, &i) in body.iter().enumerate() {
            let ev = evidence[i];
            let (left, right, pitch) = regions
                .iter()
                .find(|r| r.0 == ev.block)
                .map_or((0.0, 0.0, 0.0), |r| (r.1, r.2, r.3));
            let line = &lines[i];
            let size = line.font_size.unwrap_or(10.0);
            let bbox = line.bbox.unwrap_or_default();
            // A first-line indent: in from the previous line, and the next line is back out.
            // (A hanging indent keeps its continuation lines in, so it does not count.)
            let next_x0 = body.get(k + 1).and_then(|&n| lines[n].bbox).map(|b| b[0]);
            let prev_x0 = previous
                .as_ref()
                .filter(|p| k > 0 && p.1.block == ev.block)
                .and_then(|p| p.0.bbox)
                .map(|b| b[0]);
            let indent = INDENT_EMS * size;
            let indented = prev_x0.is_some_and(|p| bbox[0] > p + indent)
                && next_x0.is_some_and(|n| n < bbox[0] - indent);
            let outdented =
                prev_x0.is_some_and(|p| bbox[0] < p - indent) && bbox[0] < left + indent;
            let starts = match &previous {
                None => true,
                Some((prev, prev_ev, prev_right)) => {
                    let prev_size = prev.font_size.unwrap_or(size);
                    let prev_bbox = prev.bbox.unwrap_or_default();
                    let same_region = k > 0 && prev_ev.block == ev.block;
                    let short = prev_bbox[2] < prev_right - SHORT_LINE_EMS * prev_size;
                    let size_change = (prev_size - size).abs() > SIZE_CHANGE * size.max(prev_size);
                    let gap = baseline(line) - baseline(prev);
                    let wide_gap = same_region && pitch > 0.0 && gap > PARAGRAPH_GAP_RATIO * pitch;
                    let went_up = same_region && gap < 0.0;
                    short || size_change || wide_gap || went_up || indented || outdented
                }
            };
            let joins = match &previous {
                Some((prev, prev_ev, _)) if !starts => wrap_evidence(prev, prev_ev, line),
                _ => None,
            };
            let line = &mut lines[i];
            line.starts_paragraph = starts;
            line.joins_previous_word = joins;
            previous = Some((line.clone(), ev, right));
        }
    }
}

/// Glyph evidence on whether `line` continues the word `prev` ended with.
fn wrap_evidence(prev: &Line, prev_ev: &LineEvidence, line: &Line) -> Option<bool> {
    if prev.text.trim().is_empty() || line.text.trim().is_empty() {
        return None;
    }
    if prev_ev.ends_with_space_glyph {
        return Some(false);
    }
    None
}

/// Per region (block): its left edge, right edge and usual baseline-to-baseline pitch.
fn region_metrics(
    lines: &[Line],
    evidence: &[LineEvidence],
    body: &[usize],
) -> Vec<(u32, f32, f32, f32)> {
    let mut out: Vec<(u32, f32, f32, f32)> = Vec::new();
    let mut pitches: Vec<(u32, f32)> = Vec::new();
    let mut rights: Vec<(u32, f32)> = Vec::new();
    let mut last: Option<(u32, f32)> = None;
    for &i in body {
        let block = evidence[i].block;
        let Some(bbox) = lines[i].bbox else { continue };
        rights.push((block, bbox[2]));
        match out.iter_mut().find(|r| r.0 == block) {
            Some(r) => r.1 = r.1.min(bbox[0]),
            None => out.push((block, bbox[0], bbox[2], 0.0)),
        }
        if let Some((b, y)) = last {
            if b == block && bbox[3] > y {
                pitches.push((block, bbox[3] - y));
            }
        }
        last = Some((block, bbox[3]));
    }
    for region in &mut out {
        // The right edge most lines reach (a wider title or table does not move it).
        let mut edges: Vec<f32> = rights
            .iter()
            .filter(|r| r.0 == region.0)
            .map(|r| r.1)
            .collect();
        edges.sort_by(f32::total_cmp);
        if let Some(&edge) = edges.get(edges.len() * 3 / 4) {
            region.2 = edge;
        }
        let mut values: Vec<f32> = pitches
            .iter()
            .filter(|p| p.0 == region.0)
            .map(|p| p.1)
            .collect();
        if !values.is_empty() {
            values.sort_by(f32::total_cmp);
            region.3 = values[values.len() / 3];
        }
    }
    out
}
