//! Foreign-script fragments inside Korean text: Chinese date/weather strings and Han runs that
//! are not Korean Hanja, Latin words with Vietnamese diacritics, kana, Cyrillic, Thai and
//! other scripts a Korean booklet does not use. A Hanja gloss such as `한자(漢字)` is
//! legitimate and not flagged.

use std::sync::OnceLock;

use regex::Regex;

use super::charset::{is_han, is_hangul_syllable, is_ksx1001_hanja};
use crate::document::{Flag, Severity};

/// Chinese-only patterns (pattern, what it catches).
const CHINESE_RULES: &[(&str, &str)] = &[
    // Chinese dates `12月18日` (Korean writes 12월 18일), optionally with the year.
    (
        r"(?:\d{2,4}\s*年\s*)?\d{1,2}\s*月\s*\d{1,2}\s*日",
        "a Chinese date",
    ),
    // Weekdays `星期二`, `周三`, `礼拜天`.
    (
        r"星期[一二三四五六日天]|礼拜[一二三四五六日天]|周[一二三四五六日]",
        "a Chinese weekday",
    ),
    // Function characters of Chinese sentences that Korean Hanja text never strings together.
    (
        r"[\p{Han}]*[了们这那吗呢么吧][\p{Han}]*",
        "Chinese function characters",
    ),
];

pub(crate) fn chinese_rules() -> &'static [(Regex, &'static str)] {
    static RULES: OnceLock<Vec<(Regex, &'static str)>> = OnceLock::new();
    RULES.get_or_init(|| {
        CHINESE_RULES
            .iter()
            .map(|(p, what)| (Regex::new(p).expect("constant pattern"), *what))
            .collect()
    })
}

/// A Han-only text (no Hangul at all, e.g. a table cell `誤 用`) of KS X 1001 Hanja is a Hanja
/// term or label up to this many characters; longer, it reads as a Chinese sentence.
const HANJA_TERM_MAX: usize = 8;

/// Scripts a Korean booklet does not use (name, test).
type ScriptTest = fn(char) -> bool;

const FOREIGN_SCRIPTS: &[(&str, ScriptTest)] = &[
    // Hiragana, katakana, half-width katakana.
    ("kana", |c| {
        matches!(c, '\u{3040}'..='\u{309F}' | '\u{30A0}'..='\u{30FF}' | '\u{31F0}'..='\u{31FF}' | '\u{FF66}'..='\u{FF9D}')
            && c != '\u{30FB}'
    }),
    // Cyrillic (also homoglyphs inside Latin words).
    ("Cyrillic", |c| matches!(c, '\u{0400}'..='\u{052F}')),
    // Thai.
    ("Thai", |c| matches!(c, '\u{0E00}'..='\u{0E7F}')),
    // Arabic and Hebrew.
    ("Arabic/Hebrew", |c| matches!(c, '\u{0590}'..='\u{06FF}')),
    // Devanagari and other Indic scripts.
    ("Indic", |c| matches!(c, '\u{0900}'..='\u{0DFF}')),
];

/// Latin letters that mark Vietnamese: the Latin Extended Additional block and ă â đ ê ô ơ ư.
fn is_vietnamese_letter(c: char) -> bool {
    matches!(
        c,
        '\u{1E00}'..='\u{1EFF}' | 'ă' | 'Ă' | 'đ' | 'Đ' | 'ơ' | 'Ơ' | 'ư' | 'Ư'
    )
}

/// Other Latin letters with diacritics (é, ü, ñ …).
fn is_accented_latin(c: char) -> bool {
    matches!(c, '\u{00C0}'..='\u{024F}') && c != '×' && c != '÷'
}

/// The whitespace-delimited word around byte `at`.
fn word_around(text: &str, at: usize, end: usize) -> (usize, usize) {
    let start = text[..at]
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_whitespace() || is_hangul_syllable(*c))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let stop = text[end..]
        .char_indices()
        .find(|(_, c)| c.is_whitespace() || is_hangul_syllable(*c))
        .map_or(text.len(), |(i, _)| end + i);
    (start, stop)
}

/// The fragment of non-Hangul text around a hit (`12月18日 星期二 14° 16° 4=2+1+`), trimmed.
fn fragment_around(text: &str, at: usize, end: usize) -> (usize, usize) {
    let start = text[..at]
        .char_indices()
        .rev()
        .find(|(_, c)| is_hangul_syllable(*c))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let stop = text[end..]
        .char_indices()
        .find(|(_, c)| is_hangul_syllable(*c))
        .map_or(text.len(), |(i, _)| end + i);
    let piece = &text[start..stop];
    let lead = piece.len() - piece.trim_start().len();
    let trail = piece.len() - piece.trim_end().len();
    // Keep a bracket that opens or closes around Hangul out of the fragment.
    let mut s = start + lead;
    let mut e = stop - trail;
    while s < e && text[s..e].starts_with(['(', '[', '<', '"', '\'', '“', '‘']) {
        s += text[s..].chars().next().map_or(1, char::len_utf8);
    }
    while s < e && text[s..e].ends_with([')', ']', '>', '"', '\'', '”', '’', ',', '.']) {
        e -= text[..e].chars().next_back().map_or(1, char::len_utf8);
    }
    (s, e.max(s))
}

/// A Han run that glosses Hangul next to it: `한자(漢字)` or `漢字(한자)`.
fn is_gloss(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().rev().take(2).collect::<Vec<_>>();
    let after = text[end..].chars().take(2).collect::<Vec<_>>();
    let gloss_after_hangul = before.first() == Some(&'(')
        && before.get(1).is_some_and(|c| is_hangul_syllable(*c))
        && after.first() == Some(&')');
    let hangul_gloss_follows =
        after.first() == Some(&'(') && after.get(1).is_some_and(|c| is_hangul_syllable(*c));
    gloss_after_hangul || hangul_gloss_follows
}

pub fn detect(text: &str, out: &mut Vec<Flag>) {
    let mut found: Vec<Flag> = Vec::new();
    let has_hangul = text.chars().any(is_hangul_syllable);
    // Every Chinese rule and Han run needs a unified ideograph.
    let has_han = text.chars().any(is_han);
    // Chinese-only patterns: the whole non-Hangul fragment around them.
    for (regex, what) in chinese_rules().iter().filter(|_| has_han) {
        for m in regex.find_iter(text) {
            let (s, e) = fragment_around(text, m.start(), m.end());
            found.push(super::flag(
                "foreign_script",
                s,
                e,
                Severity::Warning,
                format!("Chinese text ({what}): `{}`", &text[s..e]),
            ));
        }
    }
    // Han runs: simplified/Japanese forms outside KS X 1001, or Han with no Hangul anywhere.
    let runs = if has_han { han_runs(text) } else { Vec::new() };
    for (start, end) in runs {
        let run = &text[start..end];
        // Spaces inside the run are not characters to check (`誤 用` is two KS X 1001 Hanja).
        let non_korean = run
            .chars()
            .filter(|c| !c.is_whitespace() && !is_ksx1001_hanja(*c))
            .count();
        let reason = if non_korean > 0 {
            Some("Han characters that are not Korean Hanja (KS X 1001)")
        } else if !has_hangul
            && run.chars().filter(|c| is_han(*c)).count() > HANJA_TERM_MAX
            && !is_gloss(text, start, end)
        {
            Some("Han text with no Hangul in a Korean document")
        } else {
            None
        };
        if let Some(reason) = reason {
            let (s, e) = fragment_around(text, start, end);
            found.push(super::flag(
                "foreign_script",
                s,
                e,
                Severity::Warning,
                format!("{reason}: `{}`", &text[s..e]),
            ));
        }
    }
    // Other scripts: the word they stand in.
    // (ASCII and Hangul syllables belong to none of the scripts below.)
    for (i, c) in text
        .char_indices()
        .filter(|(_, c)| !c.is_ascii() && !is_hangul_syllable(*c))
    {
        let script = FOREIGN_SCRIPTS
            .iter()
            .find(|(_, test)| test(c))
            .map(|(name, _)| *name);
        let (name, severity) = match script {
            Some(name) => (name, Severity::Warning),
            None if is_vietnamese_letter(c) => ("Vietnamese", Severity::Warning),
            None if c == 'Ÿ' && is_lone(text, i, i + c.len_utf8()) => {
                // Wingdings draws its small bullet at the code WinAnsi reads as `Ÿ`; at a line
                // start normalisation maps it, elsewhere it is reported with the repair.
                let mut f = super::flag(
                    "foreign_script",
                    i,
                    i + c.len_utf8(),
                    Severity::Info,
                    "a Wingdings bullet read as `Ÿ`",
                );
                f.repair = Some("•".into());
                found.push(f);
                continue;
            }
            None if is_accented_latin(c) && has_hangul => ("Latin with diacritics", Severity::Info),
            None => continue,
        };
        let (s, e) = word_around(text, i, i + c.len_utf8());
        found.push(super::flag(
            "foreign_script",
            s,
            e,
            severity,
            format!("{name} letters inside Korean text: `{}`", &text[s..e]),
        ));
    }
    merge_into(found, out);
}

/// The character at `start..end` stands alone: whitespace or the text's ends around it.
fn is_lone(text: &str, start: usize, end: usize) -> bool {
    text[..start]
        .chars()
        .next_back()
        .is_none_or(char::is_whitespace)
        && text[end..].chars().next().is_none_or(char::is_whitespace)
}

/// Byte ranges of Han runs (spaces between Han characters kept inside a run).
fn han_runs(text: &str) -> Vec<(usize, usize)> {
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for (i, c) in text.char_indices() {
        if is_han(c) {
            match runs.last_mut() {
                Some(r) if text[r.1..i].trim().is_empty() => r.1 = i + c.len_utf8(),
                _ => runs.push((i, i + c.len_utf8())),
            }
        }
    }
    runs
}

/// Merges overlapping flags of this module into one (the first one's detail wins).
fn merge_into(mut found: Vec<Flag>, out: &mut Vec<Flag>) {
    found.sort_by_key(|f| (f.start, std::cmp::Reverse(f.end)));
    let mut merged: Vec<Flag> = Vec::new();
    for f in found {
        match merged.last_mut() {
            Some(last) if f.start < last.end => {
                last.end = last.end.max(f.end);
                last.severity = last.severity.max(f.severity);
            }
            _ => merged.push(f),
        }
    }
    out.extend(merged);
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
    fn chinese_date_line_of_the_sample_is_one_fragment() {
        // Sample booklet line 240.
        assert_eq!(
            spans("12月18日 星期二 14° 16° 4=2+1+"),
            vec!["12月18日 星期二 14° 16° 4=2+1+"]
        );
    }

    #[test]
    fn every_chinese_rule_match_holds_a_unified_ideograph() {
        // `detect` runs the Chinese rules only on texts with one.
        for hit in [
            "2020 年 12月18日",
            "12月 18 日",
            "星期二",
            "礼拜天",
            "周三",
            "我们",
            "了",
        ] {
            for (regex, _) in chinese_rules() {
                if let Some(m) = regex.find(hit) {
                    assert!(m.as_str().chars().any(is_han), "{hit}");
                }
            }
        }
    }

    #[test]
    fn vietnamese_word_of_the_sample_is_caught() {
        // Sample booklet line 1992.
        assert_eq!(
            spans("어른나기 : 어르신들의 실 trạng 파악 및"),
            vec!["trạng"]
        );
    }

    #[test]
    fn kana_cyrillic_thai_and_simplified_han_are_caught() {
        assert_eq!(
            spans("지역 네트워크 ネットワーク 구축"),
            vec!["ネットワーク"]
        );
        assert_eq!(spans("협동조합 сеть 운영"), vec!["сеть"]);
        assert_eq!(spans("마을 ตลาด 사업"), vec!["ตลาด"]);
        assert_eq!(spans("사회적경제 我们这个 사업"), vec!["我们这个"]);
    }

    #[test]
    fn hanja_glosses_and_ordinary_symbols_are_not_flagged() {
        assert!(spans("사회적경제(社會的經濟)의 가치").is_empty());
        assert!(spans("株式會社(주식회사) 설립").is_empty());
        assert!(spans("(주)한국 사회적 경제 · 협동조합 ① ② → ■").is_empty());
        assert!(spans("SVI컨설팅 지원사업, OMB 10×20").is_empty());
        // A table cell of KS X 1001 Hanja (the issue's `誤 用`) is a term, not Chinese.
        assert!(spans("誤 用").is_empty());
        assert!(spans("正 答").is_empty());
    }

    #[test]
    fn a_lone_wingdings_bullet_gets_an_info_repair() {
        // biz_plan.pdf: joined lines keep the bullet inside the block.
        let mut flags = Vec::new();
        detect("작업결과 확인 Ÿ 단계별 산출물", &mut flags);
        assert_eq!(flags.len(), 1, "{flags:?}");
        assert_eq!(flags[0].severity, Severity::Info);
        assert_eq!(flags[0].repair.as_deref(), Some("•"));
    }
}
