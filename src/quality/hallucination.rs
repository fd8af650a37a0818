//! Hallucinated table rows: an OCR engine that invents a row strings together syllables the
//! document uses everywhere, so neither rare syllables nor the dictionary's segmentation give
//! it away (it segments almost any syllable string into some words). Two kinds of evidence
//! do, judged on a whole body row and, when the row as a whole passes, on each cell alone:
//! - syllable pairs: a real row's adjacent syllables (`공공`, `공언`, `언어`) mostly occur
//!   elsewhere in the same document, a made-up row's mostly nowhere else;
//! - dictionary cost: the analyzer covers a made-up string with rare words and one-syllable
//!   morphemes (`치습/NNG 별사/NNG 과보/NNG 자억/NNG 치/XSN 뭉/UNKNOWN`), so its best path costs
//!   far more per syllable than real Korean (`국어/NNG 문화/NNG 발전/NNG …`). This needs no
//!   document statistics, so it also judges the rows of short documents.
//!
//! Rows, not single words, are the unit, since a real row may hold one unique name.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use rayon::prelude::*;

use super::charset::is_hangul_syllable;
use crate::analyze::Analyzer;
use crate::document::{Block, Flag, Severity, Table};

/// A row is hallucinated by its pairs alone when at least this many of its adjacent syllable
/// pairs occur nowhere else in the document …
pub const MIN_UNSEEN_PAIRS: usize = 3;
/// … and they are at least this share (in tenths) of its pairs. Measured on
/// `tests/data/hallucinated_rows.jsonl`: 7/10 and 3 pairs gave recall 0.95 at precision 0.97
/// in the prototype over whole documents.
pub const UNSEEN_SHARE_TENTHS: usize = 7;

/// Documents with fewer syllable pairs than this (about two pages of Korean text) have no pair
/// statistics to speak of: pairs alone judge nothing there. The one- and two-page PDF fixtures
/// have 550–1,400 pairs; their real district-name rows (`강서, 종로, 서초, 송파`) look unseen.
pub const MIN_DOCUMENT_PAIRS: u32 = 1500;

/// The dictionary rule: a stretch (row or cell) of at least this many syllables …
pub const COST_MIN_SYLLABLES: usize = 6;
/// … whose Hangul's best analysis costs at least this much per syllable (the 2,961 body rows
/// of 6+ syllables in the shared documents' tables: median 680, 99th percentile 1,430, 0.4 %
/// at 1,700 or more; the set's made-up rows: median 2,000, a quarter under 1,660) …
pub const COST_PER_SYLLABLE: i64 = 1700;
/// … and with at least `MIN_UNSEEN_PAIRS` unseen pairs making this share (tenths) of its
/// pairs in a row, `UNSEEN_SHARE_TENTHS` in a single cell, is hallucinated. Measured on
/// `tests/data/hallucinated_rows.jsonl` (recall 0.93 at precision 0.965) and on all 2,961
/// body rows of 6+ syllables in the shared documents' tables (one real row more flagged than
/// by the pair rule alone).
pub const COST_ROW_SHARE_TENTHS: usize = 5;
/// A single cell needs this many syllables: a cell of a few short names
/// (`동작 (직영), 용산` in fixtures/pdf/tables.pdf, 6 syllables) pays a word boundary every
/// two syllables and reads as costly as made-up text.
pub const COST_CELL_MIN_SYLLABLES: usize = 8;

/// Hashes a pair key with one multiplication (FxHash's): the keys are plain integers from the
/// document, and SipHash's defence against chosen keys cost most of the counting.
#[derive(Default)]
struct PairHasher(u64);

impl Hasher for PairHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.write_u64(u64::from(*b));
        }
    }

    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

/// Syllable-pair counts by pair key.
type PairCounts = HashMap<u32, u32, BuildHasherDefault<PairHasher>>;

fn pair_key(a: char, b: char) -> u32 {
    (a as u32 - 0xAC00) * 11172 + (b as u32 - 0xAC00)
}

/// Adjacent syllable pairs of `text` (inside Hangul runs), with the byte offset of the first.
fn pairs(text: &str) -> impl Iterator<Item = (usize, u32)> + '_ {
    let mut previous: Option<char> = None;
    text.char_indices().filter_map(move |(i, c)| {
        let pair = match previous {
            Some(p) if is_hangul_syllable(c) => Some((i - p.len_utf8(), pair_key(p, c))),
            _ => None,
        };
        previous = is_hangul_syllable(c).then_some(c);
        pair
    })
}

/// The texts of a block: its text, or every cell of its table.
fn texts(block: &Block) -> Vec<&str> {
    match &block.table {
        Some(t) if !t.rows.is_empty() => t.rows.iter().flatten().map(String::as_str).collect(),
        _ => vec![block.text.as_str()],
    }
}

/// What a row, or one of its cells, shows.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Evidence {
    syllables: usize,
    /// Adjacent syllable pairs, and those that occur nowhere outside the row.
    pairs: usize,
    unseen: usize,
    /// Best-path cost of the Hangul alone (runs joined by spaces); `None` until analysed.
    cost: Option<i64>,
}

impl Evidence {
    fn add(&mut self, other: &Evidence) {
        self.syllables += other.syllables;
        self.pairs += other.pairs;
        self.unseen += other.unseen;
    }

    fn unseen_share_at_least(&self, tenths: usize) -> bool {
        self.unseen >= MIN_UNSEEN_PAIRS && self.unseen * 10 >= self.pairs * tenths
    }

    /// Whether the dictionary rule could apply (then the cost is worth computing).
    fn cost_candidate(&self, share_tenths: usize) -> bool {
        self.syllables >= COST_MIN_SYLLABLES && self.unseen_share_at_least(share_tenths)
    }

    fn cost_per_syllable(&self) -> Option<i64> {
        self.cost.map(|c| c / self.syllables.max(1) as i64)
    }

    /// The verdict, as the flag's detail: pairs alone in a document with pair statistics,
    /// or the dictionary cost with a weaker pair share.
    fn verdict(&self, statistics: bool, share_tenths: usize, what: &str) -> Option<String> {
        let (unseen, pairs) = (self.unseen, self.pairs);
        let by_pairs = statistics && self.unseen_share_at_least(UNSEEN_SHARE_TENTHS);
        let costly = self
            .cost_per_syllable()
            .filter(|c| *c >= COST_PER_SYLLABLE && self.cost_candidate(share_tenths));
        match (by_pairs, costly) {
            (_, Some(c)) => Some(format!(
                "hallucinated {what}? {unseen} of its {pairs} syllable pairs occur nowhere else in the document, and the dictionary reads it at cost {c} per syllable"
            )),
            (true, None) => Some(format!(
                "hallucinated {what}? {unseen} of its {pairs} syllable pairs occur nowhere else in the document"
            )),
            (false, None) => None,
        }
    }
}

/// The Hangul of `text` alone: its syllable runs joined by single spaces.
fn hangul_only(text: &str) -> String {
    text.split(|c: char| !is_hangul_syllable(c))
        .filter(|run| !run.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The cell's evidence: pairs against the document's counts (`counts`) less the row's own
/// (`own`), so a pair the row repeats is still unseen.
fn cell_evidence(cell: &str, counts: &PairCounts, own: &PairCounts) -> Evidence {
    let mut e = Evidence {
        syllables: cell.chars().filter(|c| is_hangul_syllable(*c)).count(),
        ..Evidence::default()
    };
    for (_, key) in pairs(cell) {
        e.pairs += 1;
        let in_row = own.get(&key).copied().unwrap_or(0);
        if counts.get(&key).copied().unwrap_or(0) <= in_row {
            e.unseen += 1;
        }
    }
    e
}

/// The document's counts of the syllable pairs its table body rows hold (the only pairs the
/// rules look up), and whether the document has enough pairs to judge by.
fn document_pairs(blocks: &[Block]) -> (PairCounts, bool) {
    let mut counts = PairCounts::default();
    // Which syllables start a counted pair: most pairs of the text need no look-up at all.
    let mut starts = vec![false; 11172];
    for table in blocks.iter().filter_map(|b| b.table.as_ref()) {
        for cell in table.rows.iter().skip(table.header_rows).flatten() {
            for (_, key) in pairs(cell) {
                counts.insert(key, 0);
                starts[(key / 11172) as usize] = true;
            }
        }
    }
    let mut total: u32 = 0;
    for block in blocks {
        for text in texts(block) {
            for (_, key) in pairs(text) {
                total += 1;
                if starts[(key / 11172) as usize] {
                    if let Some(n) = counts.get_mut(&key) {
                        *n += 1;
                    }
                }
            }
        }
    }
    (counts, total >= MIN_DOCUMENT_PAIRS)
}

/// Analyses each distinct Hangul text once.
struct Costs<'a> {
    analyzer: Option<&'a Analyzer>,
    seen: HashMap<String, Option<i64>>,
}

impl Costs<'_> {
    fn of(&mut self, cell: &str) -> Option<i64> {
        let analyzer = self.analyzer?;
        let hangul = hangul_only(cell);
        if hangul.is_empty() {
            return Some(0);
        }
        if let Some(cost) = self.seen.get(&hangul) {
            return *cost;
        }
        let cost = Some(analyzer.path_cost(&hangul));
        self.seen.insert(hangul, cost);
        cost
    }
}

/// Flags the Hangul of table body rows, or of single cells, that the rest of the document and
/// the dictionary say were made up. Without an analyzer only the pair rule applies.
pub fn detect_rows(blocks: &[Block], analyzer: Option<&Analyzer>, per_block: &mut [Vec<Flag>]) {
    add_row_flags(row_flags(blocks, analyzer), per_block);
}

/// What [`detect_rows`] finds, per block in the order it finds it, without adding it yet: it
/// reads no flags, so it can run beside the checks that add theirs first.
pub fn row_flags(blocks: &[Block], analyzer: Option<&Analyzer>) -> Vec<Vec<Flag>> {
    // Only table rows are judged: a document without a table has none to count pairs for.
    let has_table = |b: &Block| b.table.as_ref().is_some_and(|t| !t.rows.is_empty());
    if !blocks.iter().any(has_table) {
        return Vec::new();
    }
    let (counts, statistics) = document_pairs(blocks);
    // Tables are judged independently (the analyses are the cost), each with its own cache.
    blocks
        .par_iter()
        .map(|block| {
            let Some(table) = block.table.as_ref().filter(|t| !t.rows.is_empty()) else {
                return Vec::new();
            };
            let mut costs = Costs {
                analyzer,
                seen: HashMap::new(),
            };
            (table.header_rows..table.rows.len())
                .flat_map(|r| judge_row(table, r, &counts, statistics, &mut costs))
                .collect()
        })
        .collect()
}

/// Adds [`row_flags`]' findings where no flag of the block overlaps them.
pub fn add_row_flags(found: Vec<Vec<Flag>>, per_block: &mut [Vec<Flag>]) {
    for (flags, found) in per_block.iter_mut().zip(found) {
        for f in found {
            if !flags.iter().any(|g| super::overlaps(g, &f)) {
                flags.push(f);
            }
        }
    }
}

/// The flags on body row `r`: on its cells with unseen pairs when the row as a whole is made
/// up, else on any single cell that is.
fn judge_row(
    table: &Table,
    r: usize,
    counts: &PairCounts,
    statistics: bool,
    costs: &mut Costs,
) -> Vec<Flag> {
    let row = &table.rows[r];
    let mut own = PairCounts::default();
    for cell in row {
        for (_, key) in pairs(cell) {
            *own.entry(key).or_default() += 1;
        }
    }
    let mut cells: Vec<Evidence> = row
        .iter()
        .map(|cell| cell_evidence(cell, counts, &own))
        .collect();
    let mut whole = Evidence::default();
    for e in &cells {
        whole.add(e);
    }
    // Analysing is the expensive part: only rows and cells the pairs already point at.
    if whole.cost_candidate(COST_ROW_SHARE_TENTHS) {
        whole.cost = row.iter().map(|cell| costs.of(cell)).sum();
    }
    let mut out = Vec::new();
    if let Some(detail) = whole.verdict(statistics, COST_ROW_SHARE_TENTHS, "row") {
        for (c, (cell, e)) in row.iter().zip(&cells).enumerate() {
            if e.unseen > 0 || e.pairs == 0 {
                out.extend(cell_flag(cell, r, c, &detail));
            }
        }
        return out;
    }
    for (c, (cell, e)) in row.iter().zip(cells.iter_mut()).enumerate() {
        if e.syllables >= COST_CELL_MIN_SYLLABLES && e.cost_candidate(UNSEEN_SHARE_TENTHS) {
            e.cost = costs.of(cell);
            // A single cell is judged by the dictionary rule only: one unique name is not a
            // made-up cell.
            if let Some(detail) = e.verdict(false, UNSEEN_SHARE_TENTHS, "cell") {
                out.extend(cell_flag(cell, r, c, &detail));
            }
        }
    }
    out
}

/// A warning on the Hangul stretch of one cell.
fn cell_flag(cell: &str, r: usize, c: usize, detail: &str) -> Option<Flag> {
    let start = cell.find(is_hangul_syllable)?;
    let end = cell
        .rfind(is_hangul_syllable)
        .map_or(cell.len(), |i| i + '가'.len_utf8());
    let mut f = super::flag("nonsense", start, end, Severity::Warning, detail);
    f.cell = Some([r, c]);
    Some(f)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_stay_inside_hangul_runs() {
        let found: Vec<u32> = pairs("공공 언어(A)평가").map(|(_, k)| k).collect();
        assert_eq!(
            found,
            vec![
                pair_key('공', '공'),
                pair_key('언', '어'),
                pair_key('평', '가')
            ]
        );
    }

    #[test]
    fn only_the_hangul_is_analysed() {
        // A row cell of gov_niklp_workplan_hancom.pdf's budget table.
        assert_eq!(
            hangul_only("- 국어문화발전 기초연구"),
            "국어문화발전 기초연구"
        );
        assert_eq!(
            hangul_only("□ 기본경비 (총액인건비 )"),
            "기본경비 총액인건비"
        );
        assert_eq!(hangul_only("2,269"), "");
    }

    #[test]
    fn a_pair_the_row_repeats_is_still_unseen() {
        let cell = "공공언어 공공기관";
        let mut own = PairCounts::default();
        for (_, key) in pairs(cell) {
            *own.entry(key).or_insert(0u32) += 1;
        }
        // The document holds this cell and one more `언어` elsewhere.
        let mut counts = own.clone();
        *counts.entry(pair_key('언', '어')).or_insert(0) += 1;
        let e = cell_evidence(cell, &counts, &own);
        assert_eq!((e.syllables, e.pairs, e.unseen), (8, 6, 5));
    }

    #[test]
    fn the_dictionary_rule_needs_cost_and_unseen_pairs() {
        let made_up = Evidence {
            syllables: 10,
            pairs: 8,
            unseen: 5,
            cost: Some(10 * COST_PER_SYLLABLE),
        };
        assert!(made_up
            .verdict(false, COST_ROW_SHARE_TENTHS, "row")
            .is_some());
        // Cheap to read: real Korean, however new its pairs are to a short document.
        let cheap = Evidence {
            cost: Some(10 * (COST_PER_SYLLABLE - 1)),
            ..made_up
        };
        assert!(cheap.verdict(false, COST_ROW_SHARE_TENTHS, "row").is_none());
        // Costly but its pairs are the document's own: a rare but real term.
        let familiar = Evidence {
            unseen: 2,
            ..made_up
        };
        assert!(familiar
            .verdict(false, COST_ROW_SHARE_TENTHS, "row")
            .is_none());
        // With pair statistics, unseen pairs alone are enough.
        let unread = Evidence {
            cost: None,
            unseen: 7,
            ..made_up
        };
        assert!(unread.verdict(true, COST_ROW_SHARE_TENTHS, "row").is_some());
        assert!(unread
            .verdict(false, COST_ROW_SHARE_TENTHS, "row")
            .is_none());
    }
}
