//! Nonsense syllable sequences: Hangul that is not Korean. mecab-ko-dic analyses almost any
//! Hangul string into some morphemes, so the signals are the cost of the best analysis per
//! syllable compared with the rest of the document (robust z-score, median/MAD), odd morpheme
//! patterns (runs of single-syllable content morphemes), and syllables outside KS X 1001,
//! which real text almost never uses.

use std::collections::HashMap;

use rayon::prelude::*;

use super::charset::{is_hangul_syllable, is_ksx1001_hangul};
use crate::analyze::Analyzer;
use crate::document::{Block, Flag, Severity};

/// Rare (non-KS X 1001) syllables this close together mean glyph ids or mojibake.
const RARE_WINDOW: usize = 8;
const RARE_IN_WINDOW: usize = 2;

/// Flags clusters of syllables outside KS X 1001.
pub fn detect_rare_syllables(text: &str, out: &mut Vec<Flag>) {
    let syllables: Vec<(usize, char)> = text
        .char_indices()
        .filter(|(_, c)| is_hangul_syllable(*c))
        .collect();
    let rare: Vec<usize> = (0..syllables.len())
        .filter(|k| !is_ksx1001_hangul(syllables[*k].1))
        .collect();
    let mut k = 0;
    while k < rare.len() {
        let mut j = k;
        while j + 1 < rare.len() && rare[j + 1] - rare[j] < RARE_WINDOW {
            j += 1;
        }
        if j + 1 - k >= RARE_IN_WINDOW {
            let (start, _) = syllables[rare[k]];
            let (last, c) = syllables[rare[j]];
            let (start, end) = word_bounds(text, start, last + c.len_utf8());
            out.push(super::flag(
                "nonsense",
                start,
                end,
                Severity::Warning,
                format!(
                    "{} syllables outside KS X 1001 close together (glyph ids or mojibake)",
                    j + 1 - k
                ),
            ));
        }
        k = j + 1;
    }
}

/// Extends a span to the whitespace around it.
fn word_bounds(text: &str, start: usize, end: usize) -> (usize, usize) {
    let s = text[..start]
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_whitespace())
        .map_or(0, |(i, c)| i + c.len_utf8());
    let e = text[end..]
        .char_indices()
        .find(|(_, c)| c.is_whitespace())
        .map_or(text.len(), |(i, _)| end + i);
    (s, e)
}

/// A Hangul run this long or longer is scored; shorter ones are too often rare real words.
pub const MIN_SYLLABLES: usize = 3;

/// A syllable seen at most this often in the whole document is rare in it.
pub const RARE_IN_DOCUMENT: usize = 2;

/// A run needs this many document-rare syllables, and this share of its syllables in tenths,
/// to be looked at by the analyzer.
pub const RARE_SYLLABLES: usize = 2;
pub const RARE_SHARE_TENTHS: usize = 4;

/// Documents with fewer Hangul syllables than this have no useful syllable statistics: every
/// syllable is rare in them, so the analyzer's evidence alone decides, more strictly.
pub const SMALL_DOCUMENT: usize = 3000;

/// In a small document a run needs at least this many syllables left unknown by the analyzer.
pub const SMALL_DOCUMENT_UNKNOWN: usize = 2;

/// Evidence from the analysis (syllables it could not explain + costly single-syllable
/// content morphemes + 1 for a path cost that stands out) that makes a rare run nonsense.
pub const EVIDENCE: usize = 2;

/// Robust z-score of path cost per syllable that counts as one piece of evidence.
pub const COST_Z: f64 = 3.5;

/// A single-syllable content morpheme with at least this word cost is costly: the analyzer
/// had to use a rare one-syllable word to cover the text.
const COSTLY_SINGLE: i32 = 2500;

/// Predicate stems (verb, adjective, auxiliary, copula, verb/adjective suffix): an unknown
/// token right after one is an inflected ending mecab-ko-dic lacks (`이르`+`렀다는`, 러-irregular),
/// not evidence of nonsense.
const PREDICATE_STEM: &[&str] = &["VV", "VA", "VX", "VCP", "VCN", "XSV", "XSA"];

/// An ending the dictionary lacks is short (`렀다는`); a longer unknown run after a stem is
/// still evidence.
const INFLECTION_GAP_SYLLABLES: usize = 3;

/// How many runs the document's cost baseline is computed from (evenly spaced).
const BASELINE_RUNS: usize = 150;

/// What the analyzer says about one Hangul run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RunScore {
    /// Best-path cost per syllable.
    pub cost_per_syllable: f64,
    /// Syllables covered by unknown-word tokens.
    pub unknown_syllables: usize,
    /// Single-syllable content morphemes with a high word cost.
    pub costly_singles: usize,
}

/// Scores one Hangul run with the analyzer (`None` when the analyzer fails).
pub fn score_run(run: &str, analyzer: &Analyzer) -> Option<RunScore> {
    // The morphemes without tokens: only the tags of the path are read, none kept.
    let mut morphemes = Vec::new();
    let path_cost = analyzer.morphemes(run, &mut morphemes);
    let syllables = run
        .chars()
        .filter(|c| is_hangul_syllable(*c))
        .count()
        .max(1);
    let mut unknown_syllables = 0;
    let mut costly_singles = 0;
    let mut previous_pos: Option<&str> = None;
    for morpheme in &morphemes {
        let n = run
            .get(morpheme.start..morpheme.end)
            .unwrap_or("")
            .chars()
            .filter(|c| is_hangul_syllable(*c))
            .count();
        let pos = analyzer.pos(morpheme);
        let after_stem = previous_pos.is_some_and(|previous| PREDICATE_STEM.contains(&previous));
        previous_pos = Some(pos);
        if morpheme.unknown() && after_stem && n <= INFLECTION_GAP_SYLLABLES {
            // `이르`+`렀다는`: an inflected ending the dictionary lacks, not nonsense.
            continue;
        }
        if morpheme.unknown() {
            unknown_syllables += n;
        } else if n == 1
            && morpheme.cost >= COSTLY_SINGLE
            && !(pos.starts_with('J') || pos.starts_with('E') || pos.starts_with("XS"))
        {
            costly_singles += 1;
        }
    }
    Some(RunScore {
        cost_per_syllable: path_cost as f64 / syllables as f64,
        unknown_syllables,
        costly_singles,
    })
}

/// The final consonant index of ㅅ in a precomposed syllable (jongseong order).
const JONG_SIOT: u32 = 19;

/// `run` with the 사이시옷 taken off every syllable that ends in ㅅ and is followed by another
/// syllable (`임곗값을` → `임계값을`); `None` when no syllable has one.
pub fn without_sai_siot(run: &str) -> Option<String> {
    let chars: Vec<char> = run.chars().collect();
    let mut changed = false;
    let plain: String = chars
        .iter()
        .enumerate()
        .map(|(k, &c)| {
            let index = (c as u32).wrapping_sub(0xAC00);
            let next_is_syllable = chars.get(k + 1).is_some_and(|n| is_hangul_syllable(*n));
            if is_hangul_syllable(c) && index % 28 == JONG_SIOT && next_is_syllable {
                changed = true;
                char::from_u32(0xAC00 + index - JONG_SIOT).unwrap_or(c)
            } else {
                c
            }
        })
        .collect();
    changed.then_some(plain)
}

/// Hangul runs (maximal runs of syllables) of at least `MIN_SYLLABLES`, as byte ranges.
pub fn hangul_runs(text: &str) -> Vec<(usize, usize)> {
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for (i, c) in text.char_indices() {
        if is_hangul_syllable(c) {
            match runs.last_mut() {
                Some(r) if r.1 == i => r.1 = i + c.len_utf8(),
                _ => runs.push((i, i + c.len_utf8())),
            }
        }
    }
    // (Every Hangul syllable is three bytes of UTF-8.)
    runs.retain(|(s, e)| (e - s) / 3 >= MIN_SYLLABLES);
    runs
}

/// The document's distribution of cost per syllable: median and MAD.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Baseline {
    pub median: f64,
    pub mad: f64,
}

impl Baseline {
    /// From the scores of runs of the document; `None` with fewer than 30 runs.
    pub fn from_scores(scores: &[f64]) -> Option<Baseline> {
        if scores.len() < 30 {
            return None;
        }
        let median = median(scores.to_vec());
        let mad = median_abs_dev(scores, median).max(1.0);
        Some(Baseline { median, mad })
    }

    /// The robust z-score of `x`.
    pub fn z(&self, x: f64) -> f64 {
        0.6745 * (x - self.median) / self.mad
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n == 0 {
        return 0.0;
    }
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

fn median_abs_dev(v: &[f64], m: f64) -> f64 {
    median(v.iter().map(|x| (x - m).abs()).collect())
}

/// Whether a run with this analysis is nonsense, given whether its path cost stands out from
/// the document's (`costly_path`).
fn is_nonsense(score: RunScore, syllables: usize, small_document: bool, costly_path: bool) -> bool {
    let evidence = score.unknown_syllables + score.costly_singles + usize::from(costly_path);
    let needed = if small_document {
        EVIDENCE.max(3).max((syllables * 6).div_ceil(10))
    } else {
        EVIDENCE
    };
    // Without document statistics, one-syllable readings of a loanword the dictionary lacks
    // (`인/큐/베이/팅` for 인큐베이팅) look like evidence too: a small document needs syllables
    // the analyzer could not explain at all.
    let explained = small_document && score.unknown_syllables < SMALL_DOCUMENT_UNKNOWN;
    evidence >= needed && !explained
}

/// Whether the verdict on a run can depend on the document's cost baseline: only a run that
/// is nonsense with a path cost that stands out is (and its flag then quotes the z-score).
pub fn needs_baseline(score: RunScore, syllables: usize, small_document: bool) -> bool {
    is_nonsense(score, syllables, small_document, true)
}

/// The verdict on one run: its analysis evidence against what the document needs.
pub fn judge(
    score: RunScore,
    syllables: usize,
    rare: usize,
    small_document: bool,
    baseline: Option<&Baseline>,
) -> Option<String> {
    let z = baseline.map(|b| b.z(score.cost_per_syllable));
    let costly_path = z.is_some_and(|z| z > COST_Z);
    is_nonsense(score, syllables, small_document, costly_path).then(|| {
        format!(
            "not Korean: {} of {syllables} syllables unknown to the dictionary, {} costly one-syllable morphemes, {rare} syllables rare in the document, path cost {:.0} per syllable{}",
            score.unknown_syllables,
            score.costly_singles,
            score.cost_per_syllable,
            z.map_or(String::new(), |z| format!(" (robust z {z:.1})")),
        )
    })
}

/// The texts of a block the nonsense scorer looks at: (cell, text).
pub(crate) fn texts_of(block: &Block) -> Vec<(Option<[usize; 2]>, &str)> {
    match &block.table {
        Some(table) if !table.rows.is_empty() => table
            .rows
            .iter()
            .enumerate()
            .flat_map(|(r, row)| {
                row.iter()
                    .enumerate()
                    .map(move |(c, cell)| (Some([r, c]), cell.as_str()))
            })
            .collect(),
        _ => vec![(None, block.text.as_str())],
    }
}

/// A Hangul run found in a block: (block index, cell, start, end, text).
type RunAt<'a> = (usize, Option<[usize; 2]>, usize, usize, &'a str);

/// Finds nonsense runs: runs with syllables rare in the document (cheap, from the document's
/// own syllable counts) are analysed alone, and flagged when the analysis shows enough
/// evidence. Only a sample of runs is analysed for the cost baseline, so the cost stays a
/// small share of the pipeline.
pub fn detect_costly_words<'a>(
    blocks: &'a [Block],
    analyzer: &Analyzer,
    per_block: &mut [Vec<Flag>],
) {
    // How often each of the 11,172 syllables occurs in the document.
    let mut frequency = vec![0usize; 11172];
    let index = |c: char| (c as u32).wrapping_sub(0xAC00) as usize;
    // First walk: the syllable counts and how many runs there are. The runs themselves are
    // not kept (a long OCR text has millions); the second walk keeps only those it needs.
    let mut run_count = 0usize;
    walk_hangul_runs(blocks, |c| frequency[index(c)] += 1, |_| run_count += 1);
    let total: usize = frequency.iter().sum();
    let small_document = total < SMALL_DOCUMENT;
    let rare_in = |run: &str| {
        run.chars()
            .filter(|c| frequency.get(index(*c)).copied().unwrap_or(0) <= RARE_IN_DOCUMENT)
            .count()
    };
    let is_candidate = |run: &str| {
        let rare = rare_in(run);
        // (A run is Hangul syllables only, three bytes each.)
        let syllables = run.len() / 3;
        let candidate = small_document
            || (rare >= RARE_SYLLABLES && rare * 10 >= syllables * RARE_SHARE_TENTHS);
        candidate.then_some((rare, syllables))
    };
    // Second walk: every `step`-th run for the cost baseline, and the candidates (runs with
    // syllables rare in the document) in document order, with their counts.
    let step = (run_count / BASELINE_RUNS).max(1);
    let mut sampled: Vec<&'a str> = Vec::new();
    let mut found: Vec<(RunAt<'a>, usize, usize)> = Vec::new();
    let mut nth = 0usize;
    walk_hangul_runs(
        blocks,
        |_| {},
        |at| {
            if nth.is_multiple_of(step) {
                sampled.push(at.4);
            }
            nth += 1;
            if let Some((rare, syllables)) = is_candidate(at.4) {
                found.push((at, rare, syllables));
            }
        },
    );
    // Scoring a run is a morphological analysis: each distinct run is scored once (the same
    // words come back all through a document), the independent ones in parallel. The
    // candidates first: the cost baseline (a sample of ~150 runs to score) is needed only when
    // some candidate's verdict can depend on it, and most documents have no such candidate.
    let score_all = |runs: &mut Vec<&'a str>| -> HashMap<&'a str, Option<RunScore>> {
        runs.sort_unstable();
        runs.dedup();
        runs.par_iter()
            .map(|&run| (run, score_run(run, analyzer)))
            .collect()
    };
    let mut scores = score_all(&mut found.iter().map(|(at, ..)| at.4).collect());
    let baseline_matters = found.iter().any(|&(at, _, syllables)| {
        scores
            .get(at.4)
            .copied()
            .flatten()
            .is_some_and(|score| needs_baseline(score, syllables, small_document))
    });
    let baseline = if baseline_matters {
        let mut unscored: Vec<&str> = sampled
            .iter()
            .copied()
            .filter(|run| !scores.contains_key(run))
            .collect();
        scores.extend(score_all(&mut unscored));
        let sampled: Vec<f64> = sampled
            .iter()
            .filter_map(|run| scores.get(run).copied().flatten())
            .map(|s| s.cost_per_syllable)
            .collect();
        Baseline::from_scores(&sampled)
    } else {
        None
    };
    let score_of = |run: &str| scores.get(run).copied().flatten();
    // Only the candidates get a verdict to look up, each distinct run once.
    let mut candidates: Vec<(&str, usize, usize)> = found
        .iter()
        .map(|&(at, rare, syllables)| (at.4, rare, syllables))
        .collect();
    candidates.sort_unstable();
    candidates.dedup();
    let verdicts: HashMap<&str, Option<String>> = candidates
        .par_iter()
        .map(|&(run, rare, syllables)| {
            let verdict = score_of(run)
                .and_then(|score| judge(score, syllables, rare, small_document, baseline.as_ref()))
                .filter(|_| {
                    // A compound written with 사이시옷 (`임곗값`, `최댓값`) whose plain form the
                    // dictionary segments cleanly is a word.
                    without_sai_siot(run).is_none_or(|plain| {
                        score_run(&plain, analyzer).is_none_or(|score| {
                            judge(score, syllables, rare, small_document, baseline.as_ref())
                                .is_some()
                        })
                    })
                });
            (run, verdict)
        })
        .collect();
    for ((b, cell, s, e, run), ..) in found {
        if let Some(Some(detail)) = verdicts.get(run) {
            let mut f = super::flag("nonsense", s, e, Severity::Warning, detail.clone());
            f.cell = cell;
            if !per_block[b].iter().any(|g| super::overlaps(g, &f)) {
                per_block[b].push(f);
            }
        }
    }
}

/// Walks the blocks' texts (cells for tables) once: `on_syllable` sees every Hangul syllable,
/// `on_run` every run of at least MIN_SYLLABLES syllables (as `hangul_runs` finds them).
fn walk_hangul_runs<'a>(
    blocks: &'a [Block],
    mut on_syllable: impl FnMut(char),
    mut on_run: impl FnMut(RunAt<'a>),
) {
    for (b, block) in blocks.iter().enumerate() {
        for (cell, text) in texts_of(block) {
            let mut run: Option<(usize, usize)> = None;
            let mut close = |run: Option<(usize, usize)>| {
                // (Every Hangul syllable is three bytes of UTF-8.)
                if let Some((s, e)) = run.filter(|(s, e)| (e - s) / 3 >= MIN_SYLLABLES) {
                    on_run((b, cell, s, e, &text[s..e]));
                }
            };
            for (i, c) in text.char_indices() {
                if !is_hangul_syllable(c) {
                    close(run.take());
                    continue;
                }
                on_syllable(c);
                let end = i + c.len_utf8();
                match &mut run {
                    Some(r) => r.1 = end,
                    None => run = Some((i, end)),
                }
            }
            close(run);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spans(text: &str) -> Vec<String> {
        let mut flags = Vec::new();
        detect_rare_syllables(text, &mut flags);
        flags
            .iter()
            .map(|f| text[f.start..f.end].to_string())
            .collect()
    }

    #[test]
    fn clusters_of_rare_syllables_are_caught() {
        // Glyph ids read as code points land anywhere in the 11,172 syllables.
        assert_eq!(spans("센터 쏀엺뙇 운영"), vec!["쏀엺뙇"]);
    }

    #[test]
    fn ordinary_text_and_a_single_rare_syllable_are_not() {
        // Sample booklet line 1992 (without the Vietnamese word) and a name with `똠`.
        assert!(spans("어른나기 : 어르신들의 실태 파악 및").is_empty());
        assert!(spans("똠양꿍 가게").is_empty());
    }

    #[test]
    fn sai_siot_comes_off_before_a_syllable_only() {
        assert_eq!(without_sai_siot("임곗값을").as_deref(), Some("임계값을"));
        assert_eq!(without_sai_siot("최댓값").as_deref(), Some("최대값"));
        // A final ㅅ at the end of the run, or none at all: nothing to take off.
        assert_eq!(without_sai_siot("그릇"), None);
        assert_eq!(without_sai_siot("사회적경제"), None);
    }

    #[test]
    fn only_a_run_the_path_cost_could_flag_needs_the_baseline() {
        // A costly path (z far above COST_Z) and a cheap one, and no baseline at all.
        let costly = Baseline {
            median: 100.0,
            mad: 1.0,
        };
        let cheap = Baseline {
            median: 1e9,
            mad: 1.0,
        };
        let mut needed = 0;
        for unknown_syllables in 0..4 {
            for costly_singles in 0..3 {
                for (syllables, small_document) in [(3, false), (5, true), (9, true)] {
                    let score = RunScore {
                        cost_per_syllable: 1000.0,
                        unknown_syllables,
                        costly_singles,
                    };
                    let verdicts: Vec<bool> = [Some(&costly), Some(&cheap), None]
                        .into_iter()
                        .map(|b| judge(score, syllables, 0, small_document, b).is_some())
                        .collect();
                    if needs_baseline(score, syllables, small_document) {
                        needed += 1;
                        // Flagged with a costly path, and the flag quotes the z-score.
                        assert!(verdicts[0], "{score:?}");
                    } else {
                        assert_eq!(verdicts, [false; 3], "{score:?}");
                    }
                }
            }
        }
        // One unknown syllable in a large document: the path cost decides.
        let one_unknown = RunScore {
            cost_per_syllable: 1000.0,
            unknown_syllables: 1,
            costly_singles: 0,
        };
        assert!(needs_baseline(one_unknown, 3, false));
        assert!(!needs_baseline(one_unknown, 3, true));
        assert!(needed > 0 && needed < 36, "{needed}");
    }

    #[test]
    fn robust_z_uses_median_and_mad() {
        let scores: Vec<f64> = (0..40).map(|i| 1000.0 + (i % 5) as f64 * 10.0).collect();
        let baseline = Baseline::from_scores(&scores).expect("enough scores");
        assert_eq!(baseline.median, 1020.0);
        assert!(baseline.z(5000.0) > COST_Z);
        assert!(baseline.z(1030.0) < COST_Z);
    }
}
