//! Hangul jamo outside syllables: runs of compatibility jamo (`ㅅㅏ회`), a jamo stuck to a
//! syllable inside a word, conjoining jamo left after NFC, and half-width Hangul. Korean
//! conventions are not flagged: `ㅇ`/`ㅁ` bullets, `ㆍ` as a middle dot, `ㄱ. ㄴ.` list markers,
//! `ㅇㅇ` masks.

use super::charset::is_hangul_syllable;
use crate::document::{Flag, Severity};

/// Compatibility jamo (U+3131–318E) other than `ㆍ` (U+318D, the Korean middle dot).
fn is_compat_jamo(c: char) -> bool {
    ('\u{3131}'..='\u{318E}').contains(&c) && c != 'ㆍ'
}

/// Conjoining jamo (U+1100–11FF, A960–A97F, D7B0–D7FF) and half-width Hangul (U+FFA0–FFDC):
/// never ordinary text after NFC.
fn is_conjoining_or_halfwidth(c: char) -> bool {
    matches!(c, '\u{1100}'..='\u{11FF}' | '\u{A960}'..='\u{A97F}' | '\u{D7B0}'..='\u{D7FF}' | '\u{FFA0}'..='\u{FFDC}')
}

/// Consonants Korean documents use as bullets (`ㅇ공공용어 정비`, `ㅁ 사업 개요`): at the start of
/// a word (the line or item start, or after a space where lines were joined) they open an item,
/// even glued to the syllable after them.
const BULLET_JAMO: &[char] = &['ㅇ', 'ㅁ'];

/// Consonants used as masks (`ㅇㅇ구`, `ㅁㅁ센터`) when doubled or tripled.
const MASK_JAMO: &[char] = &['ㅇ', 'ㅁ', 'ㅅ', 'ㄱ'];

pub fn detect(text: &str, out: &mut Vec<Flag>) {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (start, c) = chars[i];
        if !(is_compat_jamo(c) || is_conjoining_or_halfwidth(c)) {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < chars.len()
            && (is_compat_jamo(chars[j].1) || is_conjoining_or_halfwidth(chars[j].1))
        {
            j += 1;
        }
        let end = chars.get(j).map_or(text.len(), |(b, _)| *b);
        let run: Vec<char> = chars[i..j].iter().map(|(_, c)| *c).collect();
        let before = i.checked_sub(1).map(|k| chars[k].1);
        let after = chars.get(j).map(|(_, c)| *c);
        i = j;
        let reason = if run.iter().any(|c| is_conjoining_or_halfwidth(*c)) {
            Some("conjoining or half-width jamo that did not compose into syllables")
        } else if run.len() >= 2 {
            let mask = run.len() <= 3 && run.iter().all(|c| *c == run[0] && MASK_JAMO.contains(c));
            (!mask).then_some("a run of Hangul jamo")
        } else {
            // A single jamo: a bullet or list marker when it stands alone, garbage when it is
            // stuck to a syllable.
            let stuck =
                before.is_some_and(is_hangul_syllable) || after.is_some_and(is_hangul_syllable);
            let bullet = BULLET_JAMO.contains(&run[0]) && before.is_none_or(char::is_whitespace);
            (stuck && !bullet).then_some("a jamo stuck to a syllable inside a word")
        };
        if let Some(reason) = reason {
            out.push(super::flag(
                "jamo",
                start,
                end,
                Severity::Warning,
                format!("{reason}: `{}`", &text[start..end]),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spans(text: &str) -> Vec<String> {
        crate::quality::flagged(detect, text)
            .into_iter()
            .map(|(_, span)| span)
            .collect()
    }

    #[test]
    fn decomposed_and_stuck_jamo_are_caught() {
        assert_eq!(spans("ㅅㅏ회적경제"), vec!["ㅅㅏ"]);
        assert_eq!(spans("지역생태ㄱ계 구축"), vec!["ㄱ"]);
        assert_eq!(spans("사\u{1112}\u{1161}회"), vec!["\u{1112}\u{1161}"]);
    }

    #[test]
    fn korean_conventions_are_not_flagged() {
        assert!(spans("ㅇ 마을기반 협동조합 인큐베이팅").is_empty());
        assert!(spans("ㅁ 사업 개요").is_empty());
        assert!(spans("ㄱ. 사업명 ㄴ. 일정").is_empty());
        assert!(spans("인적ㆍ물적 자원").is_empty());
        assert!(spans("ㅇㅇ구 사회적경제지원센터").is_empty());
        // gov_niklp_workplan_hancom.pdf: `ㅇ` bullets glued to the item, also where the
        // paragraph joined the lines.
        assert!(spans("ㅇ공공기관 공공언어 사용 실태 점검").is_empty());
        assert!(spans("자료 감수 및 정비(연중) ㅇ개방형 한국어 통합 사전").is_empty());
        // Other consonants at a word start are still stray (`ㅉ발제`, `ㄹ통한`).
        assert_eq!(spans("지역을 ㄹ통한 발제"), vec!["ㄹ"]);
        assert_eq!(spans("센터ㅇ장"), vec!["ㅇ"]);
    }
}
