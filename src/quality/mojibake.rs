//! Mojibake: Korean text decoded with the wrong encoding. Three shapes, each named in the flag:
//! UTF-8 read as CP1252/Latin-1 (`ì•ˆë…•`), CP949/EUC-KR read as Latin-1 (`ÇÑ±Û`), and UTF-8
//! read as CP949 (`濡쒓렇`). A repair is given only when re-encoding the span gives valid text
//! in the original encoding with no byte lost; otherwise the flag says "probably".

use std::collections::HashMap;
use std::sync::OnceLock;

use super::charset::{is_hangul_syllable, is_ksx1001_hangul};
use crate::document::{Flag, Severity};

/// The byte a CP1252 (or Latin-1) decoder turned into `c`, if any.
fn cp1252_byte(c: char) -> Option<u8> {
    static SPECIALS: OnceLock<HashMap<char, u8>> = OnceLock::new();
    let u = c as u32;
    if u < 0x100 {
        return Some(u as u8);
    }
    // The CP1252 specials (`Œ` U+0152 … `™` U+2122): Hangul and most text never get to the map.
    if !(0x152..=0x2122).contains(&u) {
        return None;
    }
    SPECIALS
        .get_or_init(|| {
            (0x80..=0x9Fu8)
                .filter_map(|b| {
                    let byte = [b];
                    let (s, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(&byte);
                    let c = s.chars().next();
                    c.map(|c| (c, b))
                })
                .collect()
        })
        .get(&c)
        .copied()
}

/// Byte ranges of maximal runs of characters matching `pred`.
fn runs(text: &str, pred: impl Fn(char) -> bool) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    for (i, c) in text.char_indices() {
        if pred(c) {
            match out.last_mut() {
                Some(r) if r.1 == i => r.1 = i + c.len_utf8(),
                _ => out.push((i, i + c.len_utf8())),
            }
        }
    }
    out
}

/// A character standing for a continuation byte of UTF-8 after a CP1252 decoder.
fn is_continuation_char(c: char) -> bool {
    cp1252_byte(c).is_some_and(|b| (0x80..=0xBF).contains(&b))
}

pub fn detect(text: &str, out: &mut Vec<Flag>) {
    // Runs of non-ASCII characters a single-byte decoder can produce.
    for (start, end) in runs(text, |c| !c.is_ascii() && cp1252_byte(c).is_some()) {
        let span = &text[start..end];
        let chars = span.chars().count();
        // One character repeated is a leader or a rule (`··········` in a table of contents),
        // not text: Korean decoded wrongly gives varied bytes.
        let mut distinct = span.chars();
        let first = distinct.next();
        if chars < 2 || distinct.all(|c| Some(c) == first) {
            continue;
        }
        let bytes: Vec<u8> = span.chars().filter_map(cp1252_byte).collect();
        if let Ok(repaired) = std::str::from_utf8(&bytes) {
            let mut f = super::flag(
                "mojibake",
                start,
                end,
                Severity::Error,
                format!("UTF-8 read as CP1252/Latin-1; original: `{repaired}`"),
            );
            f.repair = Some(repaired.to_string());
            out.push(f);
            continue;
        }
        if let Some(repaired) = as_euc_kr(&bytes) {
            let mut f = super::flag(
                "mojibake",
                start,
                end,
                Severity::Error,
                format!("CP949/EUC-KR read as Latin-1; original: `{repaired}`"),
            );
            f.repair = Some(repaired);
            out.push(f);
            continue;
        }
        // Lead bytes of Hangul in UTF-8 (0xEA–0xED: ê ë ì í) followed by continuation bytes,
        // with some bytes lost (CP1252 has no character for 0x81, 0x8D, 0x8F, 0x90, 0x9D).
        let pairs = span
            .chars()
            .zip(span.chars().skip(1))
            .filter(|(a, b)| matches!(a, 'ê' | 'ë' | 'ì' | 'í') && is_continuation_char(*b))
            .count();
        if pairs >= 2 {
            out.push(super::flag(
                "mojibake",
                start,
                end,
                Severity::Error,
                "probably UTF-8 read as CP1252 (bytes lost, no certain repair)",
            ));
        }
    }
    // Words of Hangul/Han that are UTF-8 bytes read as CP949.
    for (start, end) in runs(text, |c| {
        !c.is_whitespace() && !c.is_ascii_punctuation() || c == '?'
    }) {
        let span = &text[start..end];
        // UTF-8 Hangul read as CP949 always starts a character with a lead byte 0xEA–0xED,
        // which CP949 decodes as Hanja (or loses): no Han, no loss, no mojibake of this shape.
        if !span.chars().any(|c| {
            super::charset::is_han(c)
                || c == '\u{FFFD}'
                || c == '?'
                || (is_hangul_syllable(c) && !is_ksx1001_hangul(c))
        }) {
            continue;
        }
        if span.contains(['\u{FFFD}', '?']) {
            // Bytes were lost: UTF-8 read as CP949 leaves Hanja and CP949-extension syllables
            // (outside KS X 1001) around the losses.
            let extension = span
                .chars()
                .filter(|c| is_hangul_syllable(*c) && !is_ksx1001_hangul(*c))
                .count();
            let han = span.chars().filter(|c| super::charset::is_han(*c)).count();
            if extension >= 2 || (extension >= 1 && han >= 1) {
                out.push(super::flag(
                    "mojibake",
                    start,
                    end,
                    Severity::Error,
                    "probably UTF-8 read as CP949 (bytes lost, no certain repair)",
                ));
            }
            continue;
        }
        let (bytes, _, unmappable) = encoding_rs::EUC_KR.encode(span);
        if unmappable {
            continue;
        }
        let decoded = String::from_utf8_lossy(&bytes);
        let hangul = decoded.chars().filter(|c| is_hangul_syllable(*c)).count();
        let lost = decoded.chars().filter(|c| *c == '\u{FFFD}').count();
        let non_ascii = decoded.chars().filter(|c| !c.is_ascii()).count();
        if hangul < 2 || hangul * 10 < non_ascii * 6 {
            continue;
        }
        let certain = lost == 0;
        let mut f = super::flag(
            "mojibake",
            start,
            end,
            Severity::Error,
            if certain {
                format!("UTF-8 read as CP949; original: `{decoded}`")
            } else {
                format!("probably UTF-8 read as CP949 (bytes lost); best guess: `{decoded}`")
            },
        );
        if certain {
            f.repair = Some(decoded.into_owned());
        }
        out.push(f);
    }
}

/// `bytes` decoded as EUC-KR/CP949 when that gives at least two syllables, 80 % of them
/// KS X 1001 Hangul, with no invalid sequence.
fn as_euc_kr(bytes: &[u8]) -> Option<String> {
    let (text, had_errors) = encoding_rs::EUC_KR.decode_without_bom_handling(bytes);
    if had_errors {
        return None;
    }
    let total = text.chars().filter(|c| !c.is_whitespace()).count();
    let ks = text.chars().filter(|c| is_ksx1001_hangul(*c)).count();
    (ks >= 2 && ks * 10 >= total * 8).then(|| text.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_cp1252_byte_maps_back_from_its_character() {
        for b in 0x80..=0xFFu8 {
            let byte = [b];
            let (s, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(&byte);
            let c = s.chars().next().unwrap_or('\u{FFFD}');
            assert_eq!(cp1252_byte(c), Some(b), "{c:?}");
        }
        assert_eq!(cp1252_byte('사'), None);
    }

    fn found(text: &str) -> Vec<Flag> {
        let mut flags = Vec::new();
        detect(text, &mut flags);
        flags
    }

    fn utf8_as_cp1252(s: &str) -> String {
        encoding_rs::WINDOWS_1252
            .decode_without_bom_handling(s.as_bytes())
            .0
            .into_owned()
    }

    #[test]
    fn dot_leaders_are_not_mojibake() {
        // biz_plan.pdf and so_sueop.pdf tables of contents: `·` (0xB7) twice is `렁` in EUC-KR.
        let mut flags = Vec::new();
        detect(
            "보고계획··········································3",
            &mut flags,
        );
        assert!(flags.is_empty(), "{flags:?}");
    }

    #[test]
    fn utf8_read_as_cp1252_is_repaired() {
        // A line of the sample booklet, broken the way a CP1252 reader breaks it.
        let garbled = utf8_as_cp1252("사회적경제 생태계");
        let flags = found(&garbled);
        let repairs: Vec<_> = flags.iter().filter_map(|f| f.repair.clone()).collect();
        assert_eq!(
            repairs,
            vec!["사회적경제".to_string(), "생태계".to_string()]
        );
        assert!(flags[0].detail.starts_with("UTF-8 read as CP1252"));
    }

    #[test]
    fn cp949_read_as_latin1_is_repaired() {
        let (bytes, _, _) = encoding_rs::EUC_KR.encode("한글 자료집");
        let garbled: String = bytes.iter().map(|&b| char::from(b)).collect::<String>();
        let flags = found(&garbled);
        assert_eq!(flags.len(), 2, "{flags:?}");
        assert_eq!(flags[0].repair.as_deref(), Some("한글"));
        assert!(flags[0].detail.starts_with("CP949/EUC-KR read as Latin-1"));
    }

    #[test]
    fn utf8_read_as_cp949_is_caught() {
        let bytes = "서울시 사회적경제".as_bytes();
        let (garbled, _) = encoding_rs::EUC_KR.decode_without_bom_handling(bytes);
        let flags = found(&garbled);
        assert!(
            flags
                .iter()
                .any(|f| f.detail.contains("UTF-8 read as CP949")),
            "{garbled} {flags:?}"
        );
        // `경제` happens to survive the round trip whole (`寃쎌젣`): the repair is certain.
        let (garbled, _) = encoding_rs::EUC_KR.decode_without_bom_handling("경제".as_bytes());
        let flags = found(&garbled);
        assert_eq!(
            flags[0].repair.as_deref(),
            Some("경제"),
            "{garbled} {flags:?}"
        );
    }

    #[test]
    fn korean_with_latin1_symbols_is_not_mojibake() {
        // Sample booklet line 240 carries degrees; `·` is the Korean middle dot.
        assert!(found("14° 16° 기온").is_empty());
        assert!(found("인적·물적 자원의 취약함으로 인해").is_empty());
        assert!(found("사회적 경제 조직들 간의 상호 협력체계가 수립되어 있지 못하다.").is_empty());
        assert!(found("café 운영").is_empty());
    }
}
