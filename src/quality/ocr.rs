//! Plausibility of an invisible OCR text layer (a scan's hidden text, `ocr_layer` pages): the
//! OCR engine's reading can be wrong but plausible (`서을특별시`, `부등산(원룹)`, `계악내용`)
//! or junk (`’지 지一만」대 — -一}:_`). Two checks, only on OCR-layer pages: runs of
//! junk-symbol tokens, and words one visually confusable vowel or final away from a word the
//! dictionary knows much better, flagged with that word as the `repair`.

use super::charset::is_hangul_syllable;
use crate::analyze::Analyzer;
use crate::document::{Flag, Severity};

/// Characters an OCR engine emits for specks and rules, never in ordinary Korean prose.
const JUNK_CHARS: &[char] = &['}', '{', '_', '|', '~', '^', '」', '「', '一', '—'];

/// Junk tokens in a row from which the run is flagged.
const JUNK_RUN: usize = 3;

/// Vowel pairs OCR engines confuse (one stroke apart), as jungseong indices: ㅡ/ㅜ (`서을`),
/// ㅡ/ㅗ (`부등산`), ㅏ/ㅑ (`계악`), ㅓ/ㅕ, ㅗ/ㅛ, ㅜ/ㅠ.
const VOWEL_CONFUSIONS: &[(u32, u32)] = &[(18, 13), (18, 8), (0, 2), (4, 6), (8, 12), (13, 17)];

/// Final consonant pairs OCR engines confuse, as jongseong indices: ㅂ/ㅁ (`원룹`), ㅇ/ㅁ.
const FINAL_CONFUSIONS: &[(u32, u32)] = &[(17, 16), (21, 16)];

/// A confusable spelling is taken as the reading when its best analysis costs at least this
/// much less than the text's (mecab-ko-dic cost units: `서을특별시` 4180 against `서울특별시`
/// 1398, `부등산` 3157 against `부동산` -379) and needs fewer morphemes (a misread letter
/// breaks a word into pieces: `서/을/특별시`).
pub const COST_GAIN: i64 = 2500;

/// The longest Hangul run tried (the swap search is quadratic in its length).
const MAX_RUN: usize = 12;

/// A token is junk when it has a junk character, or fewer than half of its characters are
/// letters or digits (and it is more than one character long).
fn is_junk_token(token: &str) -> bool {
    let chars = token.chars().count();
    let alnum = token.chars().filter(|c| c.is_alphanumeric()).count();
    token.chars().any(|c| JUNK_CHARS.contains(&c)) || (chars >= 2 && alnum * 2 < chars)
}

/// Flags runs of at least `JUNK_RUN` junk tokens in a row.
pub fn detect_junk(text: &str, out: &mut Vec<Flag>) {
    let mut tokens = Vec::new();
    let mut start = None;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        match (c.is_whitespace(), start) {
            (false, None) => start = Some(i),
            (true, Some(s)) => {
                tokens.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    let mut k = 0;
    while k < tokens.len() {
        let mut j = k;
        while j < tokens.len() && is_junk_token(&text[tokens[j].0..tokens[j].1]) {
            j += 1;
        }
        if j - k >= JUNK_RUN {
            let (s, e) = (tokens[k].0, tokens[j - 1].1);
            out.push(super::flag(
                "ocr_junk",
                s,
                e,
                Severity::Warning,
                format!(
                    "{} junk-symbol tokens in a row in an OCR text layer: `{}`",
                    j - k,
                    &text[s..e]
                ),
            ));
        }
        k = j.max(k + 1);
    }
}

/// The syllable with jungseong `v` and jongseong `t` replaced.
fn with_parts(c: char, v: Option<u32>, t: Option<u32>) -> Option<char> {
    let index = c as u32 - 0xAC00;
    let (l, old_v, old_t) = (index / 588, (index % 588) / 28, index % 28);
    char::from_u32(0xAC00 + l * 588 + v.unwrap_or(old_v) * 28 + t.unwrap_or(old_t))
}

/// Spellings of `run` one confusable vowel or final away.
fn confusable_spellings(run: &[char]) -> Vec<String> {
    let mut out = Vec::new();
    for (k, &c) in run.iter().enumerate() {
        let index = c as u32 - 0xAC00;
        let (v, t) = ((index % 588) / 28, index % 28);
        let swaps = VOWEL_CONFUSIONS
            .iter()
            .filter_map(|&(a, b)| (v == a).then_some(b).or((v == b).then_some(a)))
            .filter_map(|nv| with_parts(c, Some(nv), None))
            .chain(
                FINAL_CONFUSIONS
                    .iter()
                    .filter_map(|&(a, b)| (t == a).then_some(b).or((t == b).then_some(a)))
                    .filter_map(|nt| with_parts(c, None, Some(nt))),
            );
        for swapped in swaps {
            let mut spelled = run.to_vec();
            spelled[k] = swapped;
            out.push(spelled.into_iter().collect());
        }
    }
    out
}

/// The best analysis of `text`: its cost, unknown-word tokens and morphemes.
fn cost(text: &str, analyzer: &Analyzer) -> Option<(i64, usize, usize)> {
    let mut morphemes = Vec::new();
    let path_cost = analyzer.morphemes(text, &mut morphemes);
    let unknown = morphemes.iter().filter(|m| m.unknown()).count();
    Some((path_cost, unknown, morphemes.len()))
}

/// The reading of a Hangul run one confusion away that the dictionary explains much better,
/// if there is exactly one such reading.
pub fn likely_reading(run: &str, analyzer: &Analyzer) -> Option<String> {
    let chars: Vec<char> = run.chars().collect();
    if chars.len() < 2 || chars.len() > MAX_RUN || !chars.iter().all(|c| is_hangul_syllable(*c)) {
        return None;
    }
    let (base, base_unknown, base_tokens) = cost(run, analyzer)?;
    let mut best: Option<(i64, String)> = None;
    let mut ties = 0;
    for spelled in confusable_spellings(&chars) {
        let Some((c, unknown, tokens)) = cost(&spelled, analyzer) else {
            continue;
        };
        if unknown > base_unknown || tokens >= base_tokens || base - c < COST_GAIN {
            continue;
        }
        match &best {
            Some((b, _)) if c > *b => {}
            Some((b, _)) if c == *b => ties += 1,
            _ => {
                best = Some((c, spelled));
                ties = 0;
            }
        }
    }
    best.filter(|_| ties == 0).map(|(_, s)| s)
}

/// Flags words of an OCR-layer text one confusion away from a much likelier word, with it as
/// the repair.
pub fn detect_misreadings(text: &str, analyzer: &Analyzer, out: &mut Vec<Flag>) {
    let mut start = None;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        match (is_hangul_syllable(c), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                start = None;
                let run = &text[s..i];
                if let Some(reading) = likely_reading(run, analyzer) {
                    let mut f = super::flag(
                        "ocr_misreading",
                        s,
                        i,
                        Severity::Warning,
                        format!("OCR text layer: `{run}` reads much more likely as `{reading}`"),
                    );
                    f.repair = Some(reading);
                    out.push(f);
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn junk(text: &str) -> Vec<(String, String)> {
        crate::quality::flagged(detect_junk, text)
    }

    #[test]
    fn junk_symbol_runs_are_caught() {
        // The hidden OCR layer of a scanned contract (issue 17).
        let found = junk("임대인 ’지 지一만」대 — -一}:_ 서명");
        assert_eq!(found.len(), 1, "{found:?}");
        // Ordinary punctuation between words is not junk.
        assert!(junk("보증금 : 1,000만원 (월세 - 없음) · 관리비 별도").is_empty());
    }

    #[test]
    fn confusable_spellings_swap_one_vowel_or_final() {
        let run: Vec<char> = "서을".chars().collect();
        let spellings = confusable_spellings(&run);
        assert!(spellings.contains(&"서울".to_string()), "{spellings:?}");
        let run: Vec<char> = "원룹".chars().collect();
        assert!(confusable_spellings(&run).contains(&"원룸".to_string()));
        let run: Vec<char> = "계악".chars().collect();
        assert!(confusable_spellings(&run).contains(&"계약".to_string()));
    }
}
