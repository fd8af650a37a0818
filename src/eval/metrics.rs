//! The measures `jaryo eval` reports, as pure functions over text: character error rate on
//! whitespace-free text, word-spacing F1, paragraph order, heading recall and table cell F1.
//!
//! All comparisons first fold text with NFKC (so `¹` and `1`, full-width and half-width forms
//! compare equal) and then drop whitespace and control characters (counted: each is an error
//! in the CER); what is left is a sequence of characters. A block
//! list (an extractor's body blocks, or the truth's) becomes one such sequence, remembering for
//! every character whether whitespace preceded it inside its block and whether it starts a block.

use std::collections::HashMap;

use serde::Serialize;
use unicode_normalization::UnicodeNormalization;

/// Above this many DP cells (truth length × output length) the alignment is refused rather than
/// allocate without bound; fixtures are a few thousand characters.
pub const MAX_ALIGN_CELLS: usize = 80_000_000;

/// Text as compared: whitespace-free characters with the spacing facts around them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Squashed {
    pub chars: Vec<char>,
    /// Whitespace came before this character inside the same block.
    pub space_before: Vec<bool>,
    /// This character is the first of its block.
    pub block_start: Vec<bool>,
    /// For every block, the range of its characters in `chars`.
    pub blocks: Vec<std::ops::Range<usize>>,
    /// Control characters dropped from the text (pdf-extract's U+0001 for a stretched space):
    /// neither characters nor spaces here, and each one an error in the CER.
    pub controls: usize,
}

impl Squashed {
    /// Folds and concatenates blocks in order.
    pub fn from_blocks<S: AsRef<str>>(blocks: &[S]) -> Squashed {
        let mut out = Squashed::default();
        for block in blocks {
            let start = out.chars.len();
            let mut pending_space = false;
            for c in block.as_ref().nfkc() {
                if c.is_whitespace() {
                    pending_space = true;
                    continue;
                }
                if c.is_control() {
                    out.controls += 1;
                    continue;
                }
                let first = out.chars.len() == start;
                out.chars.push(c);
                out.space_before.push(pending_space && !first);
                out.block_start.push(first);
                pending_space = false;
            }
            out.blocks.push(start..out.chars.len());
        }
        out
    }

    pub fn len(&self) -> usize {
        self.chars.len()
    }

    pub fn is_empty(&self) -> bool {
        self.chars.is_empty()
    }
}

/// NFKC-folded text without whitespace, as a `String` (for exact comparisons of short texts).
pub fn squash(text: &str) -> String {
    text.nfkc().filter(|c| !c.is_whitespace()).collect()
}

/// A minimum-cost alignment of two character sequences (unit-cost Levenshtein).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alignment {
    /// Insertions + deletions + substitutions.
    pub distance: usize,
    /// Pairs `(i, j)` where `a[i] == b[j]` are aligned to each other, increasing in both.
    pub matches: Vec<(usize, usize)>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("texts too long to align ({a} × {b} characters)")]
pub struct TooLong {
    pub a: usize,
    pub b: usize,
}

/// Aligns `a` (truth) with `b` (output) by Levenshtein distance and recovers the matched
/// characters. Ties prefer a match, then a deletion, then an insertion, so the result is
/// deterministic.
pub fn align(a: &[char], b: &[char]) -> Result<Alignment, TooLong> {
    // A common prefix and suffix are always matched in some optimal alignment; only the middle
    // needs the quadratic table (good output is aligned in linear time).
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let middle = align_full(&a[prefix..a.len() - suffix], &b[prefix..b.len() - suffix])?;
    let mut matches: Vec<(usize, usize)> = (0..prefix).map(|k| (k, k)).collect();
    matches.extend(
        middle
            .matches
            .iter()
            .map(|&(i, j)| (i + prefix, j + prefix)),
    );
    let (a_end, b_end) = (a.len() - suffix, b.len() - suffix);
    matches.extend((0..suffix).map(|k| (a_end + k, b_end + k)));
    Ok(Alignment {
        distance: middle.distance,
        matches,
    })
}

fn align_full(a: &[char], b: &[char]) -> Result<Alignment, TooLong> {
    let (n, m) = (a.len(), b.len());
    if n.saturating_mul(m) > MAX_ALIGN_CELLS {
        return Err(TooLong { a: n, b: m });
    }
    // Step that reached each cell: 0 diagonal (match or substitution), 1 up (delete a[i]),
    // 2 left (insert b[j]).
    const DIAG: u8 = 0;
    const UP: u8 = 1;
    const LEFT: u8 = 2;
    let width = m + 1;
    let mut steps = vec![DIAG; (n + 1) * width];
    let mut prev: Vec<usize> = (0..=m).collect();
    let mut cur = vec![0usize; m + 1];
    steps[1..=m].fill(LEFT);
    for i in 1..=n {
        cur[0] = i;
        steps[i * width] = UP;
        for j in 1..=m {
            let diag = prev[j - 1] + usize::from(a[i - 1] != b[j - 1]);
            let up = prev[j] + 1;
            let left = cur[j - 1] + 1;
            let (cost, step) = if diag <= up && diag <= left {
                (diag, DIAG)
            } else if up <= left {
                (up, UP)
            } else {
                (left, LEFT)
            };
            cur[j] = cost;
            steps[i * width + j] = step;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    let distance = prev[m];
    let mut matches = Vec::new();
    let (mut i, mut j) = (n, m);
    while i > 0 || j > 0 {
        match steps[i * width + j] {
            DIAG if i > 0 && j > 0 => {
                if a[i - 1] == b[j - 1] {
                    matches.push((i - 1, j - 1));
                }
                i -= 1;
                j -= 1;
            }
            UP if i > 0 => i -= 1,
            _ if j > 0 => j -= 1,
            _ => i -= 1,
        }
    }
    matches.reverse();
    Ok(Alignment { distance, matches })
}

/// Character error rate: edit distance over the truth's length (can exceed 1 when the output
/// is much longer than the truth). An empty truth scores 0 against an empty output, else 1.
pub fn cer(distance: usize, truth_len: usize, output_len: usize) -> f64 {
    if truth_len == 0 {
        return if output_len == 0 { 0.0 } else { 1.0 };
    }
    distance as f64 / truth_len as f64
}

/// Precision, recall and F1 with the raw counts.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct F1 {
    pub true_pos: usize,
    pub false_pos: usize,
    pub false_neg: usize,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

impl F1 {
    /// From counts. With nothing to find and nothing found, all three are 1.
    pub fn from_counts(true_pos: usize, false_pos: usize, false_neg: usize) -> F1 {
        let ratio = |num: usize, den: usize| {
            if den == 0 {
                1.0
            } else {
                num as f64 / den as f64
            }
        };
        let precision = ratio(true_pos, true_pos + false_pos);
        let recall = ratio(true_pos, true_pos + false_neg);
        let f1 = ratio(2 * true_pos, 2 * true_pos + false_pos + false_neg);
        F1 {
            true_pos,
            false_pos,
            false_neg,
            precision,
            recall,
            f1,
        }
    }
}

/// Word-spacing F1: do spaces sit between the same characters as in the truth?
///
/// Both texts are folded and stripped of whitespace ([`Squashed`]) and aligned character by
/// character ([`align`]). A *position* is an aligned pair `(i, j)` whose predecessors
/// `(i-1, j-1)` are aligned to each other too, i.e. the same two characters are adjacent on both
/// sides; positions at the start of a block on either side are skipped (a block boundary is
/// neither a space nor a join). At each position, "space" means whitespace came between the two
/// characters. The truth's spaced positions are the set to find: a true positive is a position
/// spaced on both sides, a false positive is spaced only in the output (a word split, e.g. a
/// mid-word line wrap kept as a space), a false negative is spaced only in the truth (words run
/// together, e.g. stretched spaces lost). Characters not aligned are the character error rate's
/// business, not this measure's.
pub fn spacing_f1(truth: &Squashed, output: &Squashed, alignment: &Alignment) -> F1 {
    let (mut tp, mut fp, mut fneg) = (0, 0, 0);
    for (i, j) in spacing_positions(truth, output, alignment) {
        match (truth.space_before[i], output.space_before[j]) {
            (true, true) => tp += 1,
            (false, true) => fp += 1,
            (true, false) => fneg += 1,
            (false, false) => {}
        }
    }
    F1::from_counts(tp, fp, fneg)
}

/// The positions [`spacing_f1`] judges: aligned pairs whose predecessors are aligned to each
/// other, neither starting a block.
fn spacing_positions<'a>(
    truth: &'a Squashed,
    output: &'a Squashed,
    alignment: &'a Alignment,
) -> impl Iterator<Item = (usize, usize)> + 'a {
    alignment.matches.windows(2).filter_map(|pair| {
        let ((pi, pj), (i, j)) = (pair[0], pair[1]);
        let adjacent = pi + 1 == i && pj + 1 == j;
        (adjacent && !truth.block_start[i] && !output.block_start[j]).then_some((i, j))
    })
}

/// Characters of context shown on each side of an error.
const CONTEXT_CHARS: usize = 8;

/// A spacing disagreement, to show where a spacing score is lost.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SpacingError {
    /// `missing`: the truth has a space the output lacks; `extra`: the output splits a word.
    pub kind: &'static str,
    /// The truth's whitespace-free text around the place, `|` marking it.
    pub context: String,
}

/// Every spacing disagreement in truth order.
pub fn spacing_errors(
    truth: &Squashed,
    output: &Squashed,
    alignment: &Alignment,
) -> Vec<SpacingError> {
    spacing_positions(truth, output, alignment)
        .filter_map(|(i, j)| {
            let kind = match (truth.space_before[i], output.space_before[j]) {
                (true, false) => "missing",
                (false, true) => "extra",
                _ => return None,
            };
            let before: String = truth.chars[i.saturating_sub(CONTEXT_CHARS)..i]
                .iter()
                .collect();
            let after: String = truth.chars[i..(i + CONTEXT_CHARS).min(truth.len())]
                .iter()
                .collect();
            Some(SpacingError {
                kind,
                context: format!("{before}|{after}"),
            })
        })
        .collect()
}

/// A stretch where the output differs from the truth (whitespace-free text).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EditRegion {
    /// The truth's characters there (empty: the output inserted text).
    pub truth: String,
    /// The output's characters there (empty: the output lost text).
    pub output: String,
    /// The truth's text just before the region.
    pub after: String,
}

/// Longest side of an edit region shown in full; longer ones keep their start and a count.
const MAX_REGION_CHARS: usize = 40;

fn shortened(chars: &[char]) -> String {
    if chars.len() <= MAX_REGION_CHARS {
        return chars.iter().collect();
    }
    let head: String = chars[..MAX_REGION_CHARS].iter().collect();
    format!("{head}…(+{})", chars.len() - MAX_REGION_CHARS)
}

/// The regions between aligned characters where truth and output differ, in truth order
/// (each side cut to its first 40 characters and a count of the rest).
pub fn edit_regions(truth: &[char], output: &[char], alignment: &Alignment) -> Vec<EditRegion> {
    let mut regions = Vec::new();
    let mut previous: Option<(usize, usize)> = None;
    let ends = alignment
        .matches
        .iter()
        .copied()
        .chain(std::iter::once((truth.len(), output.len())));
    for (i, j) in ends {
        let (ti, oj) = previous.map_or((0, 0), |(pi, pj)| (pi + 1, pj + 1));
        if i > ti || j > oj {
            regions.push(EditRegion {
                truth: shortened(&truth[ti..i]),
                output: shortened(&output[oj..j]),
                after: truth[ti.saturating_sub(CONTEXT_CHARS)..ti].iter().collect(),
            });
        }
        previous = Some((i, j));
    }
    regions
}

/// Length of the character n-grams that anchor a truth paragraph in the output.
const ANCHOR_LEN: usize = 6;
/// Paragraphs shorter than this (whitespace-free) are too short to place reliably.
const MIN_PARAGRAPH_CHARS: usize = 12;
/// A paragraph counts as found when at least this share of its n-grams are anchors.
const MIN_ANCHOR_SHARE: f64 = 0.3;

/// Where the truth's paragraphs ended up in the output, and whether their order survived.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OrderScore {
    /// Paragraphs long enough to place.
    pub paragraphs: usize,
    /// Of those, found in the output.
    pub found: usize,
    /// Pairs of found paragraphs that come out in the opposite order.
    pub inversions: usize,
    /// Consecutive found paragraphs whose text overlaps in the output (lines interleaved).
    pub interleaved: usize,
    /// Kendall's tau over the found paragraphs (1 = same order, -1 = reversed).
    pub kendall_tau: f64,
    /// Every paragraph found, none inverted, none interleaved.
    pub exact: bool,
}

/// Paragraph order by anchors: every character n-gram that occurs exactly once in the whole
/// truth and exactly once in the output fixes where that bit of a paragraph landed. A paragraph
/// is found when enough of its n-grams are anchors; its place is the median anchor position and
/// its extent the span from its first to its last anchor. Order is exact when every paragraph is
/// found, their places increase in truth order (no inversions), and no paragraph's extent
/// overlaps the next one's (no interleaving, as when two columns are read across).
pub fn paragraph_order<S: AsRef<str>>(
    paragraphs: &[S],
    truth: &Squashed,
    output: &Squashed,
) -> OrderScore {
    let truth_counts = ngram_counts(&truth.chars);
    let output_positions = unique_ngram_positions(&output.chars);
    let mut placed: Vec<(usize, usize, usize)> = Vec::new(); // (median, first, last)
    let mut considered = 0;
    for paragraph in paragraphs {
        let chars: Vec<char> = squash(paragraph.as_ref()).chars().collect();
        if chars.len() < MIN_PARAGRAPH_CHARS {
            continue;
        }
        considered += 1;
        let grams = chars.len() + 1 - ANCHOR_LEN;
        let mut anchors: Vec<usize> = chars
            .windows(ANCHOR_LEN)
            .filter(|g| truth_counts.get(*g) == Some(&1))
            .filter_map(|g| output_positions.get(g).copied().flatten())
            .collect();
        if (anchors.len() as f64) < MIN_ANCHOR_SHARE * grams as f64 {
            continue;
        }
        anchors.sort_unstable();
        let median = anchors[anchors.len() / 2];
        let first = anchors[anchors.len() / 10];
        let last = anchors[anchors.len() - 1 - anchors.len() / 10];
        placed.push((median, first, last));
    }
    let found = placed.len();
    let mut inversions = 0;
    for i in 0..found {
        for j in i + 1..found {
            if placed[i].0 > placed[j].0 {
                inversions += 1;
            }
        }
    }
    let interleaved = placed.windows(2).filter(|w| w[0].2 >= w[1].1).count();
    let pairs = found * found.saturating_sub(1) / 2;
    let kendall_tau = if pairs == 0 {
        1.0
    } else {
        1.0 - 2.0 * inversions as f64 / pairs as f64
    };
    OrderScore {
        paragraphs: considered,
        found,
        inversions,
        interleaved,
        kendall_tau,
        exact: found == considered && inversions == 0 && interleaved == 0,
    }
}

fn ngram_counts(chars: &[char]) -> HashMap<&[char], usize> {
    let mut counts = HashMap::new();
    for g in chars.windows(ANCHOR_LEN) {
        *counts.entry(g).or_insert(0) += 1;
    }
    counts
}

/// For every n-gram of `chars`: `Some(position)` when it occurs once, `None` when repeated.
fn unique_ngram_positions(chars: &[char]) -> HashMap<&[char], Option<usize>> {
    let mut positions: HashMap<&[char], Option<usize>> = HashMap::new();
    for (i, g) in chars.windows(ANCHOR_LEN).enumerate() {
        positions
            .entry(g)
            .and_modify(|p| *p = None)
            .or_insert(Some(i));
    }
    positions
}

/// Share of truth headings the output has as headings. A truth heading is recalled when some
/// output heading equals it after folding and whitespace removal, or is within an edit distance
/// of a tenth of its length (at least 1) — a stray symbol or a dropped bullet still counts.
pub fn heading_recall<S: AsRef<str>, T: AsRef<str>>(truth: &[S], output: &[T]) -> f64 {
    if truth.is_empty() {
        return 1.0;
    }
    let found: Vec<Vec<char>> = output
        .iter()
        .map(|h| squash(h.as_ref()).chars().collect())
        .collect();
    let recalled = truth
        .iter()
        .filter(|t| {
            let t: Vec<char> = squash(t.as_ref()).chars().collect();
            let allowed = (t.len() / 10).max(1);
            found.iter().any(|h| {
                h == &t
                    || (h.len().abs_diff(t.len()) <= allowed
                        && align(&t, h).map(|a| a.distance <= allowed).unwrap_or(false))
            })
        })
        .count();
    recalled as f64 / truth.len() as f64
}

/// A table as rows of cells.
pub type Grid = Vec<Vec<String>>;

/// Row and column shifts tried when laying an output table over a truth table (a caption row
/// taken into the table, a row-header column split off).
const ROW_SHIFTS: std::ops::RangeInclusive<isize> = -2..=2;
const COL_SHIFTS: std::ops::RangeInclusive<isize> = -1..=1;

/// Table cell F1 over non-empty cells. A cell is a true positive when the output has the same
/// text (folded, whitespace-free) at the same row and column of the table matched to the truth
/// table. Truth and output tables are paired greedily by shared cells; within a pair the output
/// may be shifted by up to two rows and one column as a whole (the best shift counts). Cells of
/// unpaired tables are all misses (truth) or false alarms (output).
pub fn table_cell_f1(truth: &[Grid], output: &[Grid]) -> F1 {
    let count = |g: &Grid| g.iter().flatten().filter(|c| !squash(c).is_empty()).count();
    let truth_cells: usize = truth.iter().map(count).sum();
    let output_cells: usize = output.iter().map(count).sum();
    let mut pairs: Vec<(usize, usize, usize)> = Vec::new(); // (shared, truth, output)
    for (ti, t) in truth.iter().enumerate() {
        for (oi, o) in output.iter().enumerate() {
            let shared = shared_cells(t, o);
            if shared > 0 {
                pairs.push((shared, ti, oi));
            }
        }
    }
    pairs.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut truth_used = vec![false; truth.len()];
    let mut output_used = vec![false; output.len()];
    let mut tp = 0;
    for (shared, ti, oi) in pairs {
        if !truth_used[ti] && !output_used[oi] {
            truth_used[ti] = true;
            output_used[oi] = true;
            tp += shared;
        }
    }
    F1::from_counts(tp, output_cells - tp, truth_cells - tp)
}

/// Non-empty cells of `truth` with the same text at the same place in `output`, under the best
/// whole-table shift.
fn shared_cells(truth: &Grid, output: &Grid) -> usize {
    let folded: Vec<Vec<String>> = output
        .iter()
        .map(|r| r.iter().map(|c| squash(c)).collect())
        .collect();
    let mut best = 0;
    for dr in ROW_SHIFTS {
        for dc in COL_SHIFTS {
            let mut shared = 0;
            for (r, row) in truth.iter().enumerate() {
                for (c, cell) in row.iter().enumerate() {
                    let cell = squash(cell);
                    if cell.is_empty() {
                        continue;
                    }
                    let (or, oc) = (r as isize + dr, c as isize + dc);
                    if or < 0 || oc < 0 {
                        continue;
                    }
                    let hit = folded
                        .get(or as usize)
                        .and_then(|row| row.get(oc as usize))
                        .is_some_and(|o| *o == cell);
                    shared += usize::from(hit);
                }
            }
            best = best.max(shared);
        }
    }
    best
}

/// How many blocks contain the running header (folded, whitespace-free).
pub fn header_leaks<S: AsRef<str>>(blocks: &[S], header: &str) -> usize {
    let header = squash(header);
    if header.is_empty() {
        return 0;
    }
    blocks
        .iter()
        .filter(|b| squash(b.as_ref()).contains(&header))
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn squashing_drops_whitespace_and_folds_superscripts() {
        let s = Squashed::from_blocks(&["운영 중에 있음¹", " 또한 24개"]);
        assert_eq!(s.chars.iter().collect::<String>(), "운영중에있음1또한24개");
        // 운영|중에 : space before 중 (index 2) and 있 (index 4); the second block's 또 starts a
        // block, so its leading space is not a word space.
        let spaced: Vec<usize> = (0..s.len()).filter(|&i| s.space_before[i]).collect();
        assert_eq!(spaced, vec![2, 4, 9]);
        assert_eq!(s.blocks, vec![0..7, 7..12]);
        assert!(s.block_start[7]);
    }

    #[test]
    fn control_characters_are_dropped_and_counted() {
        // pdf-extract's U+0001 where Chrome stretched a space: no space, no character.
        let s = Squashed::from_blocks(&["사회적\u{1}경제 지원"]);
        assert_eq!(s.chars.iter().collect::<String>(), "사회적경제지원");
        assert_eq!(s.controls, 1);
        let spaced: Vec<usize> = (0..s.len()).filter(|&i| s.space_before[i]).collect();
        assert_eq!(spaced, vec![5]);
    }

    #[test]
    fn edit_distance_of_known_pairs() {
        // kitten → sitting: k→s, e→i, +g.
        assert_eq!(
            align(&chars("kitten"), &chars("sitting")).unwrap().distance,
            3
        );
        // 때문에 → 때문 에 after squashing is identical.
        assert_eq!(
            align(&chars("때문에"), &chars("때문에")).unwrap().distance,
            0
        );
        assert_eq!(align(&chars(""), &chars("abc")).unwrap().distance, 3);
        assert_eq!(
            align(&chars("사회적경제"), &chars("사회경제"))
                .unwrap()
                .distance,
            1
        );
    }

    #[test]
    fn alignment_matches_equal_characters_in_order() {
        let a = align(&chars("abcd"), &chars("axcd")).unwrap();
        assert_eq!(a.matches, vec![(0, 0), (2, 2), (3, 3)]);
        let a = align(&chars("성과포럼"), &chars("X성과포럼")).unwrap();
        assert_eq!(a.distance, 1);
        assert_eq!(a.matches, vec![(0, 1), (1, 2), (2, 3), (3, 4)]);
    }

    #[test]
    fn alignment_refuses_huge_inputs_but_not_identical_ones() {
        let long = vec!['가'; 10_000];
        let other = vec!['나'; 10_000];
        assert!(align(&long, &other).is_err());
        let same = align(&long, &long).unwrap();
        assert_eq!(same.distance, 0);
        assert_eq!(same.matches.len(), 10_000);
    }

    #[test]
    fn alignment_with_shared_prefix_and_suffix() {
        // 지역 [의→에] 사회 with a shared prefix and suffix around the difference.
        let a = align(&chars("지역의사회"), &chars("지역에사회")).unwrap();
        assert_eq!(a.distance, 1);
        assert_eq!(a.matches, vec![(0, 0), (1, 1), (3, 3), (4, 4)]);
        let a = align(&chars("ab"), &chars("aab")).unwrap();
        assert_eq!(a.distance, 1);
        assert_eq!(a.matches.len(), 2);
    }

    #[test]
    fn cer_is_distance_over_truth_length() {
        assert_eq!(cer(3, 6, 7), 0.5);
        assert_eq!(cer(0, 0, 0), 0.0);
        assert_eq!(cer(2, 0, 2), 1.0);
    }

    #[test]
    fn spacing_f1_by_hand() {
        // Truth "그 때문에 우리는": spaces before 때 and 우.
        // Output "그때문 에 우리는": the space before 때 is lost (FN), a wrap space before 에 is
        // kept (FP), the space before 우 is right (TP). P = 1/2, R = 1/2, F1 = 2/4 = 0.5.
        let truth = Squashed::from_blocks(&["그 때문에 우리는"]);
        let output = Squashed::from_blocks(&["그때문 에 우리는"]);
        let a = align(&truth.chars, &output.chars).unwrap();
        let f = spacing_f1(&truth, &output, &a);
        assert_eq!((f.true_pos, f.false_pos, f.false_neg), (1, 1, 1));
        assert!((f.f1 - 0.5).abs() < 1e-9);
    }

    #[test]
    fn spacing_errors_name_the_place() {
        let truth = Squashed::from_blocks(&["그 때문에 우리는"]);
        let output = Squashed::from_blocks(&["그때문 에 우리는"]);
        let a = align(&truth.chars, &output.chars).unwrap();
        let errors = spacing_errors(&truth, &output, &a);
        assert_eq!(
            errors,
            vec![
                SpacingError {
                    kind: "missing",
                    context: "그|때문에우리는".into()
                },
                SpacingError {
                    kind: "extra",
                    context: "그때문|에우리는".into()
                },
            ]
        );
    }

    #[test]
    fn edit_regions_between_aligned_characters() {
        // 사회적경제 → 사회경제 (적 lost), then "12" inserted at the end.
        let (t, o) = (chars("사회적경제"), chars("사회경제12"));
        let a = align(&t, &o).unwrap();
        let regions = edit_regions(&t, &o, &a);
        assert_eq!(regions.len(), 2);
        assert_eq!(
            (regions[0].truth.as_str(), regions[0].output.as_str()),
            ("적", "")
        );
        assert_eq!(regions[0].after, "사회");
        assert_eq!(
            (regions[1].truth.as_str(), regions[1].output.as_str()),
            ("", "12")
        );
        assert!(edit_regions(&t, &t, &align(&t, &t).unwrap()).is_empty());
        let long = vec!['가'; 45];
        let regions = edit_regions(&long, &[], &align(&long, &[]).unwrap());
        assert_eq!(regions[0].truth, format!("{}…(+5)", "가".repeat(40)));
    }

    #[test]
    fn spacing_f1_ignores_block_boundaries_and_unaligned_characters() {
        // The output splits the paragraph into two blocks before 우 (no verdict there) and
        // has a leaked page number "12" (not aligned, so no verdict either).
        let truth = Squashed::from_blocks(&["그 때문에 우리는"]);
        let output = Squashed::from_blocks(&["12 그 때문에", "우리는"]);
        let a = align(&truth.chars, &output.chars).unwrap();
        let f = spacing_f1(&truth, &output, &a);
        assert_eq!((f.true_pos, f.false_pos, f.false_neg), (1, 0, 0));
        assert_eq!(f.f1, 1.0);
    }

    #[test]
    fn f1_counts() {
        let f = F1::from_counts(8, 2, 0);
        assert!((f.precision - 0.8).abs() < 1e-9);
        assert_eq!(f.recall, 1.0);
        assert!((f.f1 - 16.0 / 18.0).abs() < 1e-9);
        assert_eq!(F1::from_counts(0, 0, 0).f1, 1.0);
    }

    const P1: &str = "지역의 사회적경제 거버넌스를 구축하고 확장했다는 것입니다.";
    const P2: &str = "사회적경제 마켓이나 공공구매 지원하는 것이 쉽지 않은데";
    const P3: &str = "거버넌스에 대해 생각해보면서 우리의 거버넌스가 가진 이슈";

    fn order(truth: &[&str], output: &[&str]) -> OrderScore {
        paragraph_order(
            truth,
            &Squashed::from_blocks(truth),
            &Squashed::from_blocks(output),
        )
    }

    #[test]
    fn order_exact_when_same() {
        let o = order(&[P1, P2, P3], &["머리말", P1, P2, P3, "12"]);
        assert_eq!(
            (o.paragraphs, o.found, o.inversions, o.interleaved),
            (3, 3, 0, 0)
        );
        assert!(o.exact);
        assert_eq!(o.kendall_tau, 1.0);
    }

    #[test]
    fn order_counts_inversions() {
        // P3 first: pairs (P1,P3) and (P2,P3) inverted → 2 of 3 pairs, tau = 1 - 4/3.
        let o = order(&[P1, P2, P3], &[P3, P1, P2]);
        assert_eq!(o.inversions, 2);
        assert!(!o.exact);
        assert!((o.kendall_tau - (1.0 - 4.0 / 3.0)).abs() < 1e-9);
    }

    #[test]
    fn order_sees_interleaved_lines() {
        // Two paragraphs read across columns: half of P1, half of P2, rest of P1, rest of P2.
        let (a1, a2) = P1.split_at(P1.char_indices().nth(16).unwrap().0);
        let (b1, b2) = P2.split_at(P2.char_indices().nth(16).unwrap().0);
        let mixed = format!("{a1}{b1}{a2}{b2}");
        let o = order(&[P1, P2], &[&mixed]);
        assert_eq!(o.found, 2);
        assert_eq!(o.interleaved, 1);
        assert!(!o.exact);
    }

    #[test]
    fn order_reports_missing_paragraphs() {
        let o = order(&[P1, P2, P3], &[P1, P3]);
        assert_eq!((o.paragraphs, o.found), (3, 2));
        assert!(!o.exact);
    }

    #[test]
    fn heading_recall_tolerates_small_differences() {
        let truth = [
            "■ 성과2 지역 사회적경제 거버넌스 구축 및 확장",
            "2. 자치구별 SE 생태계 구축 전략",
        ];
        // The bullet dropped: 1 edit on 20 characters, allowed (max(1, 20 / 10)).
        let output = ["성과2 지역 사회적경제 거버넌스 구축 및 확장"];
        assert_eq!(heading_recall(&truth, &output), 0.5);
        assert_eq!(heading_recall::<&str, &str>(&[], &[]), 1.0);
    }

    fn grid(rows: &[&[&str]]) -> Grid {
        rows.iter()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect()
    }

    #[test]
    fn table_cells_by_position() {
        let truth = vec![grid(&[
            &["구분", "참여 인원"],
            &["서남권", "30명"],
            &["동북권", "28명"],
        ])];
        // 28명 read as 82명; spacing inside cells does not matter; empty cells are not counted:
        // TP 5, FP 1, FN 1.
        let output = vec![grid(&[
            &["구분", "참여인원"],
            &["서남권", "30 명"],
            &["동북권", "82명"],
            &["", ""],
        ])];
        let f = table_cell_f1(&truth, &output);
        assert_eq!((f.true_pos, f.false_pos, f.false_neg), (5, 1, 1));
        // Shifted down by a caption row: same result.
        let shifted = vec![grid(&[
            &["<캡션>", ""],
            &["구분", "참여인원"],
            &["서남권", "30 명"],
            &["동북권", "82명"],
        ])];
        let f = table_cell_f1(&truth, &shifted);
        assert_eq!((f.true_pos, f.false_pos, f.false_neg), (5, 2, 1));
    }

    #[test]
    fn table_cells_of_unpaired_tables_are_misses() {
        let truth = vec![grid(&[&["a", "b"]]), grid(&[&["c"]])];
        let f = table_cell_f1(&truth, &[]);
        assert_eq!((f.true_pos, f.false_pos, f.false_neg), (0, 0, 3));
        assert_eq!(f.f1, 0.0);
    }

    #[test]
    fn header_leaks_counted_per_block() {
        let header = "2020년 서울시 사회적경제 생태계 구축 성과 포럼";
        let blocks = [
            "2020년 서울시 사회적경제 생태계 구축 성과 포럼 전략1.",
            "본문",
            header,
        ];
        assert_eq!(header_leaks(&blocks, header), 2);
    }
}
