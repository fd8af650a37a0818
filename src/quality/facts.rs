//! What one pass over a text tells the detectors before they run, so that the character-class
//! detectors skip the many texts they cannot flag (most lines of a Korean booklet are nothing
//! but ASCII and common Hangul syllables).

use super::charset::{is_hangul_syllable, is_ksx1001_hangul};

/// Facts about one text (a block's text or one table cell), from one walk over its characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextFacts {
    /// Every character is printable ASCII, a tab, CR or LF, or one of the 2,350 KS X 1001
    /// Hangul syllables. Such a text has no control, private-use, unassigned, rare CJK,
    /// unmapped-font, Latin-1, Han, foreign-script, jamo or non-KS X 1001 character, so
    /// `chars`, `unmapped`, `mojibake`, `script`, `jamo` and the rare-syllable rule have
    /// nothing to flag in it.
    pub plain: bool,
    /// Which ASCII characters occur: bit `b` for byte `b`.
    ascii: u128,
}

/// A character of a plain text: printable ASCII, tab, CR, LF, KS X 1001 Hangul.
fn is_plain(c: char) -> bool {
    matches!(c, ' '..='~' | '\t' | '\n' | '\r') || (is_hangul_syllable(c) && is_ksx1001_hangul(c))
}

impl TextFacts {
    pub fn of(text: &str) -> TextFacts {
        let mut ascii = 0u128;
        let mut plain = true;
        for c in text.chars() {
            if c.is_ascii() {
                ascii |= 1 << (c as u32);
            }
            plain = plain && is_plain(c);
        }
        TextFacts { plain, ascii }
    }

    /// Whether the ASCII character `b` occurs in the text (false for any other byte).
    pub fn has_ascii(&self, b: u8) -> bool {
        b.is_ascii() && self.ascii & (1 << b) != 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Flag;
    use crate::quality::{chars, jamo, mojibake, nonsense, script, unmapped};

    type Detector = fn(&str, &mut Vec<Flag>);

    /// The detectors `detect_text` skips on plain texts.
    const SKIPPED: &[(&str, Detector)] = &[
        ("chars", chars::detect),
        ("unmapped", unmapped::detect),
        ("mojibake", mojibake::detect),
        ("script", script::detect),
        ("jamo", jamo::detect),
        ("rare_syllables", nonsense::detect_rare_syllables),
    ];

    #[test]
    fn sample_lines_are_plain_or_not_by_their_characters() {
        // Sample booklet lines: a plain one, one with a middle dot, one with a Chinese date.
        assert!(TextFacts::of("사회적경제는 지역사회와 밀접되어 있고, 2020.11.26.(목)").plain);
        assert!(!TextFacts::of("인적·물적 자원").plain);
        assert!(!TextFacts::of("12月18日 星期二").plain);
        assert!(!TextFacts::of("똠양꿍 가게").plain);
        assert!(!TextFacts::of("지역\u{0}사회").plain);
    }

    #[test]
    fn ascii_characters_are_known_by_byte() {
        let facts = TextFacts::of("사회?경제 (cid:12)");
        assert!(facts.has_ascii(b'?') && facts.has_ascii(b'(') && facts.has_ascii(b' '));
        assert!(!facts.has_ascii(b'[') && !facts.has_ascii(b'/'));
        // The bytes of Hangul are not ASCII characters.
        assert!(!facts.has_ascii(0xEC));
    }

    #[test]
    fn no_skipped_detector_flags_any_plain_character() {
        // Every plain character alone, doubled, glued to Hangul and around `?` (which the
        // mojibake rule looks at), so a detector that could flag one would show it here.
        let plain = (' '..='~')
            .chain(['\t', '\n', '\r'])
            .chain(('\u{AC00}'..='\u{D7A3}').filter(|c| is_ksx1001_hangul(*c)));
        for c in plain {
            for text in [
                format!("{c}"),
                format!("센터{c}{c}장 {c}"),
                format!("{c}?{c}가? 나{c}{c}{c}"),
                format!("사회적경제 {c}{c}{c}{c} 지원"),
            ] {
                assert!(TextFacts::of(&text).plain, "{text:?}");
                for (name, detect) in SKIPPED {
                    let mut flags = Vec::new();
                    detect(&text, &mut flags);
                    assert!(flags.is_empty(), "{name} on {text:?}: {flags:?}");
                }
            }
        }
    }
}
