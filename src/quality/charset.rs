//! Character classes the detectors share: Hangul syllables, jamo, Han, and membership in
//! KS X 1001 (the 2,350 Hangul syllables and 4,888 Hanja of EUC-KR, which cover almost all
//! real Korean text).

use std::collections::HashSet;
use std::sync::OnceLock;

/// A precomposed Hangul syllable (U+AC00–D7A3).
pub fn is_hangul_syllable(c: char) -> bool {
    ('\u{AC00}'..='\u{D7A3}').contains(&c)
}

/// A CJK unified ideograph of the basic block (U+4E00–9FFF).
pub fn is_han(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c)
}

/// The KS X 1001 sets, decoded once from EUC-KR (lead 0xB0–0xC8 for Hangul, 0xCA–0xFD for
/// Hanja, trail 0xA1–0xFE).
struct KsX1001 {
    hangul: HashSet<char>,
    hanja: HashSet<char>,
}

fn ksx1001() -> &'static KsX1001 {
    static SETS: OnceLock<KsX1001> = OnceLock::new();
    SETS.get_or_init(|| {
        let decode_rows = |leads: std::ops::RangeInclusive<u8>| {
            let mut set = HashSet::new();
            for lead in leads {
                for trail in 0xA1..=0xFEu8 {
                    let pair = [lead, trail];
                    let (text, had_errors) = encoding_rs::EUC_KR.decode_without_bom_handling(&pair);
                    if !had_errors {
                        set.extend(text.chars());
                    }
                }
            }
            set
        };
        KsX1001 {
            hangul: decode_rows(0xB0..=0xC8),
            hanja: decode_rows(0xCA..=0xFD),
        }
    })
}

/// One of the 2,350 KS X 1001 Hangul syllables.
pub fn is_ksx1001_hangul(c: char) -> bool {
    ksx1001().hangul.contains(&c)
}

/// One of the 4,888 KS X 1001 Hanja.
pub fn is_ksx1001_hanja(c: char) -> bool {
    ksx1001().hanja.contains(&c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_syllables_are_in_ks_x_1001_and_rare_ones_are_not() {
        assert!("사회적경제".chars().all(is_ksx1001_hangul));
        assert!(!is_ksx1001_hangul('똠'));
        assert!(!is_ksx1001_hangul('엺'));
        assert_eq!(ksx1001().hangul.len(), 2350);
        assert_eq!(ksx1001().hanja.len(), 4888);
    }

    #[test]
    fn hanja_membership_separates_korean_hanja_from_simplified_chinese() {
        assert!("漢字".chars().all(is_ksx1001_hanja));
        assert!(!is_ksx1001_hanja('们'));
        assert!(!is_ksx1001_hanja('这'));
    }
}
