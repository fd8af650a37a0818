//! Spacing damage, which is repairable and reported apart from garbage: OCR text layers that put
//! a space between every syllable (`사 회 적 경 제`), and long Hangul runs whose spaces were lost.

use super::charset::is_hangul_syllable;
use crate::document::{Flag, Severity, Token};

/// This many single-syllable words in a row mean syllable-spaced text. Korean has
/// single-syllable words (그, 수, 및, 더), but four in a row are rare in prose.
pub const SYLLABLE_SPACED_RUN: usize = 4;

/// A word with this many Hangul syllables has lost its spaces. The longest real words in the
/// sample booklet are organisation names with a particle (20 syllables:
/// `서울자치구사회적경제지원센터연대회의에서`); eojeols average about 2.8 syllables.
pub const LOST_SPACES_RUN: usize = 22;

/// Byte ranges of whitespace-separated words, found byte by byte: only the lead bytes of
/// ASCII whitespace and of the few non-ASCII whitespace characters need a closer look.
fn words(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let bytes = text.as_bytes();
    let mut k = 0;
    std::iter::from_fn(move || {
        let mut start = None;
        while k < bytes.len() {
            let b = bytes[k];
            // (Every whitespace character starts with a byte up to b' ' or in 0xC2..=0xE3.)
            let space = if b > b' ' && !(0xC2..=0xE3).contains(&b) {
                0
            } else {
                space_len(text, k)
            };
            match (space, start) {
                (0, None) => start = Some(k),
                (0, Some(_)) => {}
                (n, Some(s)) => {
                    k += n;
                    return Some((s, k - n));
                }
                (n, None) => {
                    k += n;
                    continue;
                }
            }
            k += 1;
        }
        start.map(|s| (s, bytes.len()))
    })
}

/// The length of the whitespace character starting at byte `i` of `text`; 0 when none does.
fn space_len(text: &str, i: usize) -> usize {
    match text.as_bytes()[i] {
        b' ' | b'\t'..=b'\r' => 1,
        // (The lead bytes of U+0085, U+00A0, U+1680, U+2000–205F and U+3000.)
        0xC2 | 0xE1 | 0xE2 | 0xE3 => text
            .get(i..)
            .and_then(|rest| rest.chars().next())
            .filter(|c| c.is_whitespace())
            .map_or(0, char::len_utf8),
        _ => 0,
    }
}

/// A word that is one Hangul syllable, maybe with trailing punctuation (`제,`).
/// Byte ranges of the maximal runs of at least `min` Hangul syllables.
fn long_hangul_runs(text: &str, min: usize) -> Vec<(usize, usize)> {
    let mut runs = Vec::new();
    let mut run: Option<(usize, usize)> = None;
    // (Every Hangul syllable is three bytes of UTF-8.)
    let mut close = |run: Option<(usize, usize)>| {
        runs.extend(run.filter(|(s, e)| (e - s) / 3 >= min));
    };
    for (i, c) in text.char_indices() {
        if !is_hangul_syllable(c) {
            close(run.take());
        } else if let Some(r) = &mut run {
            r.1 = i + c.len_utf8();
        } else {
            run = Some((i, i + c.len_utf8()));
        }
    }
    close(run);
    runs
}

fn is_single_syllable(word: &str) -> bool {
    let mut chars = word.chars();
    chars.next().is_some_and(is_hangul_syllable)
        && chars.all(|c| c.is_ascii_punctuation() || matches!(c, '·' | '，' | '。'))
}

pub fn detect(text: &str, out: &mut Vec<Flag>) {
    let words: Vec<(usize, usize)> = words(text).collect();
    let mut i = 0;
    while i < words.len() {
        let mut j = i;
        let mut syllables = 0;
        let mut last = i;
        // Lone punctuation (`먹 거 리 , 돌 봄`) neither counts nor breaks the run.
        while j < words.len() {
            let word = &text[words[j].0..words[j].1];
            if is_single_syllable(word) {
                syllables += 1;
                last = j;
            } else if !(syllables > 0 && word.chars().all(|c| c.is_ascii_punctuation())) {
                break;
            }
            j += 1;
        }
        if syllables >= SYLLABLE_SPACED_RUN {
            let (start, end) = (words[i].0, words[last].1);
            out.push(super::flag(
                "syllable_spacing",
                start,
                end,
                Severity::Info,
                format!(
                    "{syllables} syllables each standing alone (syllable-spaced OCR; repairable)"
                ),
            ));
        }
        i = j.max(i + 1);
    }
    let mut flagged_runs = Vec::new();
    // (Whitespace ends a run: a long run lies inside a word at least three bytes a syllable long.)
    let long_runs = words
        .iter()
        .filter(|(s, e)| e - s >= 3 * LOST_SPACES_RUN)
        .flat_map(|(s, e)| {
            long_hangul_runs(&text[*s..*e], LOST_SPACES_RUN)
                .into_iter()
                .map(move |(a, b)| (s + a, s + b))
        });
    for (start, end) in long_runs.collect::<Vec<_>>() {
        // (Every Hangul syllable is three bytes of UTF-8.)
        let syllables = (end - start) / 3;
        flagged_runs.push((start, end));
        out.push(super::flag(
            "lost_spaces",
            start,
            end,
            Severity::Info,
            format!("{syllables} Hangul syllables without a space (lost spaces; repairable)"),
        ));
    }
    // A long word glued together with sentence punctuation (`조성,시민자선금/…(공간확보)`);
    // lists joined only by `/` and `-` are how booklets write names, not lost spaces.
    // (A word shorter than three bytes a syllable cannot hold enough syllables.)
    for (start, end) in words
        .into_iter()
        .filter(|(s, e)| e - s >= 3 * LOST_SPACES_RUN)
    {
        let word = &text[start..end];
        let syllables = word.chars().filter(|c| is_hangul_syllable(*c)).count();
        if syllables >= LOST_SPACES_RUN
            && word.contains(SENTENCE_PUNCTUATION)
            && !flagged_runs.iter().any(|(s, e)| *s < end && start < *e)
        {
            out.push(super::flag(
                "lost_spaces",
                start,
                end,
                Severity::Info,
                format!(
                    "{syllables} Hangul syllables glued together with punctuation (lost spaces; repairable)"
                ),
            ));
        }
    }
}

/// Punctuation that a space normally follows in Korean text.
const SENTENCE_PUNCTUATION: &[char] = &[',', ':', ';', '(', ')', '.', '→', '!', '?'];

/// A word of this many Hangul syllables is checked against the analysis for lost spaces.
pub const LOST_SPACES_ANALYZED_RUN: usize = 12;

/// This many particles or endings inside one word (followed by more Hangul) mean the spaces
/// after them were lost: in real text a particle or ending closes its eojeol.
pub const INNER_ENDINGS: usize = 2;

/// True for particles (J…) and endings (E…), alone or closing a compound analysis (`VV+EC`).
fn closes_eojeol(pos: &str) -> bool {
    pos.split('+')
        .next_back()
        .is_some_and(|last| last.starts_with('J') || last.starts_with('E'))
}

/// A content morpheme: nouns, verbs, adjectives, adverbs, determiners, roots.
fn is_content(pos: &str) -> bool {
    ["NN", "NP", "NR", "VV", "VA", "MA", "MM", "XR", "SL", "SH"]
        .iter()
        .any(|p| pos.starts_with(p))
}

/// Lost spaces seen through the analysis: a long word with a particle or ending inside it
/// (`사회적경제가일상에서체감되는`), which a long compound noun or organisation name never has
/// (their particle closes the word: `…연대회의에서`).
pub fn detect_lost_spaces_by_tokens(text: &str, tokens: &[Token], out: &mut Vec<Flag>) {
    // (A word shorter than three bytes a syllable cannot hold enough syllables.)
    let long_enough = |(s, e): &(usize, usize)| e - s >= 3 * LOST_SPACES_ANALYZED_RUN;
    for (start, end) in words(text).filter(long_enough) {
        let word = &text[start..end];
        let syllables = word.chars().filter(|c| is_hangul_syllable(*c)).count();
        if !(LOST_SPACES_ANALYZED_RUN..LOST_SPACES_RUN).contains(&syllables) {
            continue;
        }
        // Endings followed by a content morpheme later in the same word are inner (particles
        // stacked at the end, `…센터와의`, are not).
        let first = tokens.partition_point(|t| t.start < start);
        let in_word: Vec<&Token> = tokens[first..]
            .iter()
            .take_while(|t| t.end <= end)
            .collect();
        let inner = in_word
            .iter()
            .enumerate()
            .filter(|(k, t)| {
                closes_eojeol(&t.pos) && in_word[k + 1..].iter().any(|n| is_content(&n.pos))
            })
            .count();
        if inner >= INNER_ENDINGS {
            out.push(super::flag(
                "lost_spaces",
                start,
                end,
                Severity::Info,
                format!(
                    "{syllables} Hangul syllables without a space, {inner} particle(s)/ending(s) inside (lost spaces; repairable)"
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(String, String)> {
        crate::quality::flagged(detect, text)
    }

    #[test]
    fn words_are_split_at_unicode_whitespace() {
        // Sample booklet line 135, with the other whitespace characters between its words.
        let line = "서울자치구사회적경제지원센터연대회의에서 제안하였습니다.";
        for space in ('\0'..=char::MAX).filter(|c| c.is_whitespace()) {
            let text = format!(
                "{space}{}{space}{space}",
                line.replace(' ', &space.to_string())
            );
            let expected: Vec<&str> = text.split_whitespace().collect();
            let found: Vec<&str> = words(&text).map(|(s, e)| &text[s..e]).collect();
            assert_eq!(found, expected, "{:?}", space);
        }
    }

    #[test]
    fn syllable_spaced_ocr_is_caught() {
        assert_eq!(
            kinds("2020년 서울시 사 회 적 경 제 생태계"),
            vec![("syllable_spacing".into(), "사 회 적 경 제".into())]
        );
        assert_eq!(
            kinds("환경, 먹 거 리 , 돌 봄, 교육")[0].1,
            "먹 거 리 , 돌 봄,"
        );
    }

    #[test]
    fn lost_spaces_are_caught() {
        let line = "지역사회문제해결과시민들이체감하는사회적경제로넓혀가는것에기여하고있습니다.";
        assert_eq!(kinds(line)[0].0, "lost_spaces");
        let glued = "-지역기금조성,시민자선금/사회주체등기반물리적자산회(공간확보)";
        assert_eq!(kinds(glued)[0].1, glued);
    }

    #[test]
    fn real_lines_of_the_sample_are_not_spacing_damage() {
        // Sample booklet lines 135 and 1754 (a long organisation name; spaced labels).
        assert!(kinds("서울자치구사회적경제지원센터연대회의에서 제안하였습니다.").is_empty());
        assert!(kinds("나. 일 정 : 2020.11.26.(목)").is_empty());
        // Line 389: slashes and hyphens separate the names.
        assert!(
            kinds("서울시-자치구/서울시경센터-자치구시경센터/서시경넷-자치구시경넷").is_empty()
        );
    }
}
