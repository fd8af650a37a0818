//! Character classes the detectors share: Hangul syllables, jamo, Han, and membership in
//! KS X 1001 (the 2,350 Hangul syllables and 4,888 Hanja of EUC-KR, which cover almost all
//! real Korean text).

use std::sync::OnceLock;

/// A precomposed Hangul syllable (U+AC00–D7A3).
pub fn is_hangul_syllable(c: char) -> bool {
    ('\u{AC00}'..='\u{D7A3}').contains(&c)
}

/// `char::is_whitespace`, answered for ASCII and Hangul syllables (nearly every character of a
/// Korean text) without the Unicode table.
pub fn is_space(c: char) -> bool {
    if c.is_ascii() {
        matches!(c, ' ' | '\t'..='\r')
    } else {
        !is_hangul_syllable(c) && c.is_whitespace()
    }
}

/// A CJK unified ideograph of the basic block (U+4E00–9FFF).
pub fn is_han(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c)
}

/// The KS X 1001 sets as bitmaps, decoded once from EUC-KR (lead 0xB0–0xC8 for Hangul,
/// 0xCA–0xFD for Hanja, trail 0xA1–0xFE). Hanja of KS X 1001 decode to the unified block or to
/// compatibility ideographs (U+F900–FAFF).
struct KsX1001 {
    /// Bit `c - U+AC00` for Hangul syllables.
    hangul: Vec<u64>,
    /// Bit `c - U+4E00` for unified ideographs, then 0x5200 + `c - U+F900` for compatibility.
    hanja: Vec<u64>,
    hangul_count: usize,
    hanja_count: usize,
}

const HANJA_COMPAT_OFFSET: u32 = 0x5200;

fn hanja_bit(c: char) -> Option<usize> {
    match c as u32 {
        u @ 0x4E00..=0x9FFF => Some((u - 0x4E00) as usize),
        u @ 0xF900..=0xFAFF => Some((u - 0xF900 + HANJA_COMPAT_OFFSET) as usize),
        _ => None,
    }
}

fn test_bit(bits: &[u64], i: usize) -> bool {
    bits.get(i / 64).is_some_and(|w| w & (1 << (i % 64)) != 0)
}

/// Builds the KS X 1001 tables now (see `quality::warm_up`).
pub(crate) fn warm_up() {
    ksx1001();
}

fn ksx1001() -> &'static KsX1001 {
    static SETS: OnceLock<KsX1001> = OnceLock::new();
    SETS.get_or_init(|| {
        let mut sets = KsX1001 {
            hangul: vec![0; 11172 / 64 + 1],
            hanja: vec![0; (HANJA_COMPAT_OFFSET as usize + 0x200) / 64 + 1],
            hangul_count: 0,
            hanja_count: 0,
        };
        for lead in 0xB0..=0xFDu8 {
            for trail in 0xA1..=0xFEu8 {
                let pair = [lead, trail];
                let (text, had_errors) = encoding_rs::EUC_KR.decode_without_bom_handling(&pair);
                let Some(c) = text.chars().next().filter(|_| !had_errors) else {
                    continue;
                };
                if is_hangul_syllable(c) && lead <= 0xC8 {
                    let i = (c as u32 - 0xAC00) as usize;
                    sets.hangul[i / 64] |= 1 << (i % 64);
                    sets.hangul_count += 1;
                } else if let (true, Some(i)) = (lead >= 0xCA, hanja_bit(c)) {
                    sets.hanja[i / 64] |= 1 << (i % 64);
                    sets.hanja_count += 1;
                }
            }
        }
        sets
    })
}

/// One of the 2,350 KS X 1001 Hangul syllables.
pub fn is_ksx1001_hangul(c: char) -> bool {
    is_hangul_syllable(c) && test_bit(&ksx1001().hangul, (c as u32 - 0xAC00) as usize)
}

/// One of the 4,888 KS X 1001 Hanja.
pub fn is_ksx1001_hanja(c: char) -> bool {
    hanja_bit(c).is_some_and(|i| test_bit(&ksx1001().hanja, i))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_syllables_are_in_ks_x_1001_and_rare_ones_are_not() {
        assert!("사회적경제".chars().all(is_ksx1001_hangul));
        assert!(!is_ksx1001_hangul('똠'));
        assert!(!is_ksx1001_hangul('엺'));
        assert_eq!(ksx1001().hangul_count, 2350);
        assert_eq!(ksx1001().hanja_count, 4888);
    }

    #[test]
    fn is_space_is_unicode_whitespace() {
        // Every code point: ASCII and Hangul take the short way, the rest the Unicode table.
        for c in '\0'..=char::MAX {
            assert_eq!(is_space(c), c.is_whitespace(), "{:?}", c);
        }
    }

    #[test]
    fn hanja_membership_separates_korean_hanja_from_simplified_chinese() {
        assert!("漢字".chars().all(is_ksx1001_hanja));
        assert!(!is_ksx1001_hanja('们'));
        assert!(!is_ksx1001_hanja('这'));
    }
}
