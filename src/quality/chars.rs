//! Characters that have no business in extracted Korean text: U+FFFD, control characters,
//! private-use and unassigned code points, noncharacters, and CJK compatibility / Ext-A /
//! Kangxi radical characters (font artefacts). Runs of one class become one flag.

use std::sync::OnceLock;

use regex::Regex;
use unicode_normalization::UnicodeNormalization;

use crate::document::{Flag, Severity};
use crate::extract::fonts::is_unmapped_marker;

/// The class of a suspicious character, `None` for an ordinary one.
fn class_of(c: char) -> Option<(&'static str, Severity, &'static str)> {
    let u = c as u32;
    match u {
        // U+FFFD: bytes that could not be decoded.
        0xFFFD => Some((
            "replacement_char",
            Severity::Error,
            "U+FFFD replacement characters",
        )),
        // U+0001 is how Chrome-printed justified pages encode a stretched space: not garbage.
        0x01 | 0x09 | 0x0A | 0x0D => None,
        // C0 and C1 controls, DEL.
        0x00..=0x1F | 0x7F..=0x9F => {
            Some(("control_char", Severity::Warning, "control characters"))
        }
        // Basic Multilingual Plane private use area (symbol fonts, glyph ids as code points).
        0xE000..=0xF8FF => Some((
            "private_use",
            Severity::Warning,
            "private-use characters (U+E000–F8FF; U+E0BC–F8F7 may be Hanyang-PUA old Hangul)",
        )),
        // Supplementary private use planes 15–16 (plane-15 unmapped-glyph markers are the
        // `unmapped` module's).
        _ if is_unmapped_marker(c) => None,
        0xF0000..=0x10FFFD => Some((
            "private_use",
            Severity::Warning,
            "supplementary private-use characters",
        )),
        // CJK compatibility squares (㍿ ㌔); units after a digit are checked by the caller.
        0x3300..=0x33FF => Some((
            "rare_cjk",
            Severity::Warning,
            "CJK compatibility characters",
        )),
        // CJK Ext-A: almost never in a modern Korean booklet.
        0x3400..=0x4DBF => Some(("rare_cjk", Severity::Warning, "CJK Ext-A ideographs")),
        // Kangxi radicals and the radical supplement: a font artefact, NFKC repairs them.
        0x2E80..=0x2FDF => Some((
            "rare_cjk",
            Severity::Warning,
            "Kangxi/CJK radicals (font artefact; NFKC repairs them)",
        )),
        _ => None,
    }
}

/// Korean numerals a unit follows (`5만㎥`).
const NUMERAL_SYLLABLES: &[char] = &['십', '백', '천', '만', '억', '조'];

/// Unit squares (㎡ ㎞ ㎏ …, U+3380–33DF) are ordinary after a number (`120㎡`, `5만㎥`), after
/// `/` in a rate (`원/㎡`, `80g/㎡`), or after a Latin prefix letter (`N㎥`, `k㎥`).
fn is_unit_after_number(text: &str, start: usize, c: char) -> bool {
    ('\u{3380}'..='\u{33DF}').contains(&c)
        && text[..start]
            .trim_end()
            .chars()
            .next_back()
            .is_some_and(|p| {
                p.is_ascii_alphanumeric() || p == '/' || NUMERAL_SYLLABLES.contains(&p)
            })
}

/// Symbol-font bullets PDF producers map to U+F000 + the font's code, and what they draw
/// (Symbol 0xB7 is its bullet; the rest are Wingdings codes).
const PUA_BULLETS: &[(char, &str)] = &[
    // Symbol: bullet.
    ('\u{F0B7}', "•"),
    // Wingdings: small bullet, small square, black circle, black square, arrowhead, check.
    ('\u{F09F}', "•"),
    ('\u{F0A7}', "▪"),
    ('\u{F06C}', "●"),
    ('\u{F06E}', "■"),
    ('\u{F0D8}', "➢"),
    ('\u{F0FC}', "✓"),
];

/// The bullet a symbol-font private-use code draws (`U+F09F` → `•`), if it is a known one.
pub fn drawn_bullet(c: char) -> Option<&'static str> {
    PUA_BULLETS.iter().find(|(b, _)| *b == c).map(|(_, r)| *r)
}

/// Hanyang-PUA old Hangul (the range Hancom's old fonts use for old-Hangul syllables).
fn is_hanyang_pua(c: char) -> bool {
    ('\u{E0BC}'..='\u{F8F7}').contains(&c)
}

/// A lone private-use glyph used as a bullet: at the start of the text or after a space, and
/// followed by a space or the end (Wingdings/Symbol bullets).
fn is_bullet_glyph(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    before.is_none_or(char::is_whitespace) && after.is_none_or(char::is_whitespace)
}

pub(crate) fn unassigned() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    // \p{Cn} covers unassigned code points and the 66 noncharacters.
    RE.get_or_init(|| Regex::new(r"\p{Cn}+").expect("constant pattern"))
}

pub fn detect(text: &str, out: &mut Vec<Flag>) {
    let mut run: Option<(usize, usize, &'static str, Severity, &'static str)> = None;
    let mut runs = Vec::new();
    for (i, c) in text.char_indices() {
        let class = class_of(c).filter(|_| !is_unit_after_number(text, i, c));
        let end = i + c.len_utf8();
        match (class, &mut run) {
            (Some((kind, _, _)), Some(r)) if r.2 == kind && r.1 == i => r.1 = end,
            (Some((kind, severity, what)), _) => {
                runs.extend(run.take());
                run = Some((i, end, kind, severity, what));
            }
            (None, _) => runs.extend(run.take()),
        }
    }
    runs.extend(run);
    for (start, end, kind, severity, what) in runs {
        let span = &text[start..end];
        let mut f = super::flag(
            kind,
            start,
            end,
            severity,
            format!("{what}: {}", code_points(span)),
        );
        if kind == "private_use" {
            // Every private-use character is flagged; a lone symbol-font bullet only as info,
            // with the bullet it draws when the code is a known one.
            let one = span.chars().next().filter(|_| span.chars().count() == 1);
            if let Some(c) = one.filter(|_| is_bullet_glyph(text, start, end)) {
                f.severity = Severity::Info;
                f.detail = format!("a symbol-font bullet glyph: {}", code_points(span));
                f.repair = PUA_BULLETS
                    .iter()
                    .find(|(b, _)| *b == c)
                    .map(|(_, r)| r.to_string());
            } else if span.chars().all(is_hanyang_pua)
                && text[..start]
                    .chars()
                    .next_back()
                    .is_some_and(super::charset::is_hangul_syllable)
            {
                f.detail = format!(
                    "private-use characters next to Hangul, probably Hanyang-PUA old Hangul (convert with a Hanyang-PUA table): {}",
                    code_points(span)
                );
            }
        }
        if kind == "rare_cjk" {
            let nfkc: String = span.nfkc().collect();
            if nfkc != span && nfkc.chars().all(|c| class_of(c).is_none()) {
                f.repair = Some(nfkc);
            }
        }
        out.push(f);
    }
    for m in unassigned().find_iter(text) {
        out.push(super::flag(
            "unassigned",
            m.start(),
            m.end(),
            Severity::Warning,
            format!(
                "unassigned code points or noncharacters: {}",
                code_points(m.as_str())
            ),
        ));
    }
}

/// `U+FFFD U+E012 …` for a detail message (at most eight).
pub(crate) fn code_points(span: &str) -> String {
    let mut s: Vec<String> = span
        .chars()
        .take(8)
        .map(|c| format!("U+{:04X}", c as u32))
        .collect();
    if span.chars().count() > 8 {
        s.push("…".into());
    }
    s.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<(String, String)> {
        crate::quality::flagged(detect, text)
    }

    #[test]
    fn replacement_and_control_characters_are_caught() {
        assert_eq!(
            found("사회적\u{FFFD}\u{FFFD}경제"),
            vec![("replacement_char".into(), "\u{FFFD}\u{FFFD}".into())]
        );
        assert_eq!(found("지역\u{0}사회")[0].0, "control_char");
        assert_eq!(found("지역\u{85}사회")[0].0, "control_char");
    }

    #[test]
    fn chrome_stretched_space_and_tabs_are_not_control_garbage() {
        assert!(found("사회적경제\u{1}지원센터").is_empty());
        assert!(found("연도\t마을사업 모집률 (%)").is_empty());
    }

    #[test]
    fn private_use_runs_are_caught_but_a_bullet_glyph_is_not() {
        assert_eq!(found("센터\u{E012}\u{E013}장")[0].0, "private_use");
        // A lone symbol-font bullet is still reported, as info with the bullet it draws.
        let mut flags = Vec::new();
        detect(
            "\u{F0B7} 사회적경제조직을 아우르는 네트워크 부재",
            &mut flags,
        );
        assert_eq!(flags.len(), 1);
        assert_eq!(flags[0].severity, Severity::Info);
        assert_eq!(flags[0].repair.as_deref(), Some("•"));
        // so_sueop.pdf: U+F000 around titles is flagged, one by one too.
        assert_eq!(found("단편 \u{F000}스리\u{F000}를 발표하면서").len(), 2);
        assert_eq!(found("센터\u{10FFF0}장")[0].0, "private_use");
    }

    #[test]
    fn every_private_use_code_point_is_flagged() {
        // Inside a word, alone between spaces (a bullet's place) and next to Hangul (where
        // Hanyang-PUA old Hangul sits): none goes unreported, whatever detector claims it.
        let pua = ('\u{E000}'..='\u{F8FF}').chain('\u{F0000}'..='\u{10FFFD}');
        for c in pua {
            for text in [format!("센터{c}장"), format!("{c} 센터"), format!("센{c}")] {
                let start = text.find(c).unwrap_or(0);
                let flags = super::super::detect_text(&text);
                assert!(
                    flags.iter().any(|f| f.start <= start && start < f.end),
                    "U+{:04X} in {text:?}: {flags:?}",
                    c as u32
                );
            }
        }
    }

    #[test]
    fn unassigned_and_noncharacters_are_caught() {
        assert_eq!(found("마을\u{FDD0}")[0].0, "unassigned");
        assert_eq!(found("마을\u{0378}")[0].0, "unassigned");
    }

    #[test]
    fn compat_and_ext_a_are_caught_but_units_after_numbers_are_not() {
        assert_eq!(found("사업\u{3400}\u{3401}")[0].0, "rare_cjk");
        assert!(found("면적 120㎡ 규모").is_empty());
        // reg86712.pdf and kps_ai.pdf: units in rates.
        assert!(found("기본형건축비(222만원/㎡) 적용").is_empty());
        assert!(found("210㎜×297㎜(백상지 80g/㎡)").is_empty());
        // gov_mof_hydrogen_report.pdf: normal cubic metres and Korean numerals.
        assert!(found("수소비용 30엔/N㎥(‘30) 액화수소탱크 규모(5만㎥)").is_empty());
        let mut flags = Vec::new();
        detect("⼄ 지역", &mut flags);
        assert_eq!(flags[0].repair.as_deref(), Some("乙"));
    }
}
