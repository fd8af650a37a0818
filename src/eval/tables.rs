//! Table scoring against truth tables with spans (the HWP file's own tables are the truth for
//! the PDF Hancom printed from it): cell-text precision, recall and F1 over all tables of a
//! document, and how many matched cells have the right row and column span.
//!
//! Tables are paired greedily by the cell texts they share; cells are matched by their text
//! with white space removed (a PDF and its HWP differ in how cell text wraps, not in what it
//! says), the nearest grid position first. Empty cells do not count.

use serde::{Deserialize, Serialize};

use crate::document::TableCell;

/// One cell of a truth table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TruthCell {
    pub row: usize,
    pub col: usize,
    pub row_span: usize,
    pub col_span: usize,
    pub text: String,
    /// The cell is a header cell (HWP: 제목 셀 or a shaded leading row); `None` when the truth
    /// cannot tell (a table drawn without any shading or header flag), and then not scored.
    #[serde(default)]
    pub header: Option<bool>,
}

/// One truth table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TruthTable {
    pub cells: Vec<TruthCell>,
}

/// A document's truth tables (`tests/data/table_truth/<name>.json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TableTruth {
    /// The file the truth was derived from (its name only).
    pub source: String,
    pub tables: Vec<TruthTable>,
}

/// The scores of one document's tables.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct TableScore {
    pub truth_cells: usize,
    pub predicted_cells: usize,
    pub matched_cells: usize,
    /// Matched cells whose row and column span are the truth's.
    pub spans_right: usize,
    /// Truth cells that span more than one grid position, and of them those matched with
    /// the right span.
    pub spanning_truth: usize,
    pub spanning_right: usize,
    /// Matched cells the truth marks as headers, those predicted as headers, and both.
    pub header_truth: usize,
    pub header_predicted: usize,
    pub header_both: usize,
    /// Paired tables whose truth tells header cells, and those whose matched cells all have
    /// the truth's header flag.
    pub tables_paired: usize,
    pub tables_header_right: usize,
}

impl TableScore {
    pub fn precision(&self) -> f64 {
        ratio(self.matched_cells, self.predicted_cells)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.matched_cells, self.truth_cells)
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
    /// Share of matched cells with the right span.
    pub fn span_accuracy(&self) -> f64 {
        ratio(self.spans_right, self.matched_cells)
    }
    /// F1 of the header flag over matched cells.
    pub fn header_f1(&self) -> f64 {
        let (p, r) = (
            ratio(self.header_both, self.header_predicted),
            ratio(self.header_both, self.header_truth),
        );
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
    /// Share of paired tables whose header cells are the truth's.
    pub fn header_table_accuracy(&self) -> f64 {
        ratio(self.tables_header_right, self.tables_paired)
    }
    /// Adds another document's counts.
    pub fn add(&mut self, other: &TableScore) {
        self.truth_cells += other.truth_cells;
        self.predicted_cells += other.predicted_cells;
        self.matched_cells += other.matched_cells;
        self.spans_right += other.spans_right;
        self.spanning_truth += other.spanning_truth;
        self.spanning_right += other.spanning_right;
        self.header_truth += other.header_truth;
        self.header_predicted += other.header_predicted;
        self.header_both += other.header_both;
        self.tables_paired += other.tables_paired;
        self.tables_header_right += other.tables_header_right;
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        1.0
    } else {
        a as f64 / b as f64
    }
}

/// A cell's text as matching compares it: no white space.
fn key(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// A cell reduced to what scoring needs.
#[derive(Debug, Clone)]
struct Scored {
    row: usize,
    col: usize,
    span: (usize, usize),
    key: String,
    header: Option<bool>,
}

fn truth_cells(table: &TruthTable) -> Vec<Scored> {
    table
        .cells
        .iter()
        .map(|c| Scored {
            row: c.row,
            col: c.col,
            span: (c.row_span.max(1), c.col_span.max(1)),
            key: key(&c.text),
            header: c.header,
        })
        .filter(|c| !c.key.is_empty())
        .collect()
}

fn predicted_cells(cells: &[TableCell]) -> Vec<Scored> {
    cells
        .iter()
        .map(|c| Scored {
            row: c.row,
            col: c.col,
            span: (c.row_span.max(1), c.col_span.max(1)),
            key: key(&c.text),
            header: Some(c.header),
        })
        .filter(|c| !c.key.is_empty())
        .collect()
}

/// How many cell texts two tables share (multiset intersection).
fn shared(a: &[Scored], b: &[Scored]) -> usize {
    let mut keys: Vec<&str> = b.iter().map(|c| c.key.as_str()).collect();
    keys.sort_unstable();
    let mut count = 0;
    for c in a {
        if let Ok(i) = keys.binary_search(&c.key.as_str()) {
            keys.remove(i);
            count += 1;
        }
    }
    count
}

/// Scores the predicted tables (each a list of cells) against the truth tables.
pub fn score(truth: &[TruthTable], predicted: &[&[TableCell]]) -> TableScore {
    let truths: Vec<Vec<Scored>> = truth.iter().map(truth_cells).collect();
    let preds: Vec<Vec<Scored>> = predicted.iter().map(|c| predicted_cells(c)).collect();
    let mut result = TableScore {
        truth_cells: truths.iter().map(Vec::len).sum(),
        predicted_cells: preds.iter().map(Vec::len).sum(),
        ..TableScore::default()
    };
    result.spanning_truth = truths.iter().flatten().filter(|c| c.span != (1, 1)).count();
    // Pair tables greedily, the pairs sharing most cell texts first.
    let mut pairs: Vec<(usize, usize, usize)> = Vec::new();
    for (t, tc) in truths.iter().enumerate() {
        for (p, pc) in preds.iter().enumerate() {
            let n = shared(tc, pc);
            if n > 0 {
                pairs.push((n, t, p));
            }
        }
    }
    pairs.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut truth_used = vec![false; truths.len()];
    let mut pred_used = vec![false; preds.len()];
    for (_, t, p) in pairs {
        if truth_used[t] || pred_used[p] {
            continue;
        }
        truth_used[t] = true;
        pred_used[p] = true;
        let wrong_headers = match_cells(&truths[t], &preds[p], &mut result);
        if truths[t].iter().any(|c| c.header.is_some()) {
            result.tables_paired += 1;
            result.tables_header_right += usize::from(wrong_headers == 0);
        }
    }
    result
}

/// Matches the cells of one table pair by text, the nearest grid position first; returns how
/// many matched cells have a header flag unlike the truth's.
fn match_cells(truth: &[Scored], predicted: &[Scored], result: &mut TableScore) -> usize {
    let mut wrong_headers = 0;
    let mut taken = vec![false; predicted.len()];
    for t in truth {
        let best = predicted
            .iter()
            .enumerate()
            .filter(|(i, p)| !taken[*i] && p.key == t.key)
            .min_by_key(|(_, p)| p.row.abs_diff(t.row) + p.col.abs_diff(t.col));
        if let Some((i, p)) = best {
            taken[i] = true;
            result.matched_cells += 1;
            if let (Some(truth), Some(predicted)) = (t.header, p.header) {
                result.header_truth += usize::from(truth);
                result.header_predicted += usize::from(predicted);
                result.header_both += usize::from(truth && predicted);
                wrong_headers += usize::from(truth != predicted);
            }
            if p.span == t.span {
                result.spans_right += 1;
                if t.span != (1, 1) {
                    result.spanning_right += 1;
                }
            }
        }
    }
    wrong_headers
}

#[cfg(test)]
mod tests {
    use super::*;

    fn truth(row: usize, col: usize, rs: usize, cs: usize, text: &str) -> TruthCell {
        TruthCell {
            row,
            col,
            row_span: rs,
            col_span: cs,
            text: text.into(),
            header: None,
        }
    }

    fn cell(row: usize, col: usize, rs: usize, cs: usize, text: &str) -> TableCell {
        TableCell {
            row,
            col,
            row_span: rs,
            col_span: cs,
            text: text.into(),
            bbox: None,
            page: None,
            header: false,
            spaced_as: None,
        }
    }

    #[test]
    fn matching_cells_ignore_wrapping_and_check_spans() {
        let truth = [TruthTable {
            cells: vec![
                truth(0, 0, 2, 1, "구분"),
                truth(0, 1, 1, 2, "2024년"),
                truth(1, 1, 1, 1, "1분기"),
                truth(1, 2, 1, 1, "2분기"),
                truth(2, 0, 1, 1, "제조 업"),
                truth(2, 1, 1, 1, ""),
            ],
        }];
        let predicted = vec![
            cell(0, 0, 1, 1, "구분"),
            cell(0, 1, 1, 2, "2024 년"),
            cell(1, 1, 1, 1, "1분기"),
            cell(1, 2, 1, 1, "2분기"),
            cell(2, 0, 1, 1, "제조업"),
            cell(2, 1, 1, 1, "66.8"),
        ];
        let s = score(&truth, &[&predicted]);
        assert_eq!(
            (s.truth_cells, s.predicted_cells, s.matched_cells),
            (5, 6, 5)
        );
        assert_eq!((s.spanning_truth, s.spanning_right), (2, 1));
        assert_eq!(s.spans_right, 4);
        assert!((s.recall() - 1.0).abs() < 1e-9);
        assert!((s.precision() - 5.0 / 6.0).abs() < 1e-9);
    }

    #[test]
    fn header_flags_are_scored_on_matched_cells_where_the_truth_tells() {
        let mut known = vec![truth(0, 0, 1, 1, "구분"), truth(1, 0, 1, 1, "제조업")];
        known[0].header = Some(true);
        known[1].header = Some(false);
        let unknown = vec![truth(0, 0, 1, 1, "항목"), truth(1, 0, 1, 1, "66.8")];
        let mut first = vec![cell(0, 0, 1, 1, "구분"), cell(1, 0, 1, 1, "제조업")];
        first[0].header = true;
        let mut second = vec![cell(0, 0, 1, 1, "항목"), cell(1, 0, 1, 1, "66.8")];
        second[0].header = true;
        second[1].header = true;
        let truths = [TruthTable { cells: known }, TruthTable { cells: unknown }];
        let s = score(&truths, &[&first, &second]);
        assert_eq!(
            (s.header_truth, s.header_predicted, s.header_both),
            (1, 1, 1)
        );
        assert_eq!((s.tables_paired, s.tables_header_right), (1, 1));
        first[1].header = true;
        let s = score(&truths, &[&first, &second]);
        assert_eq!((s.header_predicted, s.tables_header_right), (2, 0));
        assert!((s.header_f1() - 2.0 / 3.0).abs() < 1e-9);
    }

    #[test]
    fn tables_pair_by_shared_text_and_unpaired_ones_cost_precision() {
        let truth = [
            TruthTable {
                cells: vec![truth(0, 0, 1, 1, "가"), truth(0, 1, 1, 1, "나")],
            },
            TruthTable {
                cells: vec![truth(0, 0, 1, 1, "다"), truth(0, 1, 1, 1, "라")],
            },
        ];
        let second = vec![cell(0, 0, 1, 1, "다"), cell(0, 1, 1, 1, "라")];
        let stray = vec![cell(0, 0, 1, 1, "가"), cell(0, 1, 1, 1, "마")];
        let s = score(&truth, &[&second, &stray]);
        assert_eq!(
            (s.truth_cells, s.predicted_cells, s.matched_cells),
            (4, 4, 3)
        );
    }
}
