//! Markers that extraction and OCR tools leave where they could not read the text: `[illegible]`
//! and its Korean equivalents, and placeholders for glyphs without a Unicode mapping. Any hit
//! is a verdict.

use std::sync::OnceLock;

use regex::Regex;

use super::facts::TextFacts;
use crate::document::{Flag, Severity};

/// (pattern, ASCII characters one of which every match holds, kind, what it catches). A text
/// without any of those characters is not searched with the pattern.
type Rule = (&'static str, &'static [u8], &'static str, &'static str);

const RULES: &[Rule] = &[
    // OCR/LLM-OCR markers for unreadable passages: `[illegible]`, `[unclear]`, `[판독 불가]`.
    (
        r"(?i)[\[(<{]\s*(?:illegible|unreadable|unclear|inaudible|indecipherable|판독\s*불[가능]|판독\s*불능|식별\s*불가|글자\s*깨짐)\s*[\])>}]",
        b"[(<{",
        "illegible",
        "OCR marker for text it could not read",
    ),
    // pdfminer/pdfplumber: a CID with no Unicode mapping.
    (
        r"\(cid:\d+\)",
        b"(",
        "placeholder",
        "(cid:N): a glyph without a Unicode mapping",
    ),
    // Poppler/MuPDF style glyph placeholders.
    (
        r"GLYPH<[^>]{0,32}>",
        b"<",
        "placeholder",
        "GLYPH<…>: a glyph without a Unicode mapping",
    ),
    // Glyph ids printed as names: `/gid123`, `/G12/G34`.
    (
        r"/gid\d+|(?:/G[0-9A-Fa-f]{2,4}){2,}",
        b"/",
        "placeholder",
        "glyph ids printed as names",
    ),
    // A `?` between Hangul syllables: a character lost in transcoding (`사?회`).
    (
        r"[가-힣]\?+[가-힣]",
        b"?",
        "placeholder",
        "`?` inside a Hangul word: a character lost in transcoding",
    ),
];

/// A compiled rule: (regex, ASCII characters one of which every match holds, kind, what).
type Compiled = (Regex, &'static [u8], &'static str, &'static str);

pub(crate) fn rules() -> &'static [Compiled] {
    static RULES_COMPILED: OnceLock<Vec<Compiled>> = OnceLock::new();
    RULES_COMPILED.get_or_init(|| {
        RULES
            .iter()
            .map(|(pattern, needs, kind, what)| {
                let regex = Regex::new(pattern).expect("constant pattern");
                (regex, *needs, *kind, *what)
            })
            .collect()
    })
}

pub fn detect(text: &str, out: &mut Vec<Flag>) {
    detect_with(text, &TextFacts::of(text), out);
}

/// `detect` with the text's facts already known.
pub(crate) fn detect_with(text: &str, facts: &TextFacts, out: &mut Vec<Flag>) {
    for (regex, needs, kind, what) in rules() {
        if !needs.iter().any(|b| facts.has_ascii(*b)) {
            continue;
        }
        for m in regex.find_iter(text) {
            let (mut start, mut end) = (m.start(), m.end());
            if m.as_str().contains('?') && !m.as_str().starts_with('(') {
                // Only the question marks, not the syllables around them.
                start += m.as_str().find('?').unwrap_or(0);
                end = start + m.as_str().matches('?').count();
            }
            out.push(super::flag(
                kind,
                start,
                end,
                Severity::Error,
                format!("{what}: `{}`", &text[start..end]),
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
    fn illegible_marker_of_the_sample_is_caught() {
        // Line 1600 of the sample booklet.
        assert_eq!(
            kinds("[illegible]"),
            vec![("illegible".to_string(), "[illegible]".to_string())]
        );
        assert_eq!(kinds("현황 [판독 불가] 정리")[0].1, "[판독 불가]");
    }

    #[test]
    fn placeholders_are_caught() {
        assert_eq!(kinds("사회(cid:1234)(cid:88)경제").len(), 2);
        assert_eq!(kinds("GLYPH<c3> 센터")[0].0, "placeholder");
        assert_eq!(kinds("/G12/G34/G56")[0].1, "/G12/G34/G56");
        assert_eq!(kinds("사회?경제")[0].1, "?");
    }

    #[test]
    fn every_match_holds_a_character_its_rule_needs() {
        let hits = [
            "[illegible]",
            "<판독 불가>",
            "{UNCLEAR}",
            "(cid:12)",
            "GLYPH<c3>",
            "/gid7",
            "/G12/G34",
            "사?회",
        ];
        for hit in hits {
            let matched: Vec<_> = rules()
                .iter()
                .filter(|(regex, ..)| regex.is_match(hit))
                .collect();
            assert!(!matched.is_empty(), "{hit}");
            for (_, needs, ..) in matched {
                assert!(hit.bytes().any(|b| needs.contains(&b)), "{hit}");
            }
        }
    }

    #[test]
    fn question_marks_of_real_sentences_are_not_placeholders() {
        // Sample booklet: `왜 다시 '마을'을 얘기하는가?` and `2021년 도봉구?`.
        assert!(kinds("왜 다시 '마을'을 얘기하는가?").is_empty());
        assert!(kinds("2021년 도봉구?").is_empty());
    }
}
