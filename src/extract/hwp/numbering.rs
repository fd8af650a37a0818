//! List and outline numbering as Hancom generates it: per-definition counters for levels 1–10
//! that restart deeper levels when a shallower one advances, and format strings such as `^1.`
//! or `(^2)` where `^n` is level n's counter written in that level's number shape.

use std::collections::HashMap;

use super::doc::{Definitions, HeadKind, NumberShape, Numbering, ParaShape};

/// Hancom's default outline numbering (used when a section names none): level formats and
/// shapes for 개요 1–7.
const DEFAULT_OUTLINE: [(&str, NumberShape); 7] = [
    ("^1.", NumberShape::Digit),           // 1.
    ("^2.", NumberShape::HangulSyllable),  // 가.
    ("^3)", NumberShape::Digit),           // 1)
    ("^4)", NumberShape::HangulSyllable),  // 가)
    ("(^5)", NumberShape::Digit),          // (1)
    ("(^6)", NumberShape::HangulSyllable), // (가)
    ("^7", NumberShape::CircledDigit),     // ①
];

/// Syllables Hancom counts with for 가나다 numbering (14 basic consonants with ㅏ).
const HANGUL_SYLLABLES: [char; 14] = [
    '가', '나', '다', '라', '마', '바', '사', '아', '자', '차', '카', '타', '파', '하',
];
/// Jamo for ㄱㄴㄷ numbering.
const HANGUL_JAMO: [char; 14] = [
    'ㄱ', 'ㄴ', 'ㄷ', 'ㄹ', 'ㅁ', 'ㅂ', 'ㅅ', 'ㅇ', 'ㅈ', 'ㅊ', 'ㅋ', 'ㅌ', 'ㅍ', 'ㅎ',
];
/// 일이삼 numbering.
const HANGUL_PHONETIC: [&str; 10] = ["일", "이", "삼", "사", "오", "육", "칠", "팔", "구", "십"];
/// 一二三 numbering.
const IDEOGRAPHS: [char; 10] = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

/// `value` written in `shape`; shapes with a short alphabet fall back to digits past its end.
pub fn format_number(value: u32, shape: NumberShape) -> String {
    let index = value.saturating_sub(1) as usize;
    let circled = |base: u32, count: u32| -> Option<String> {
        (value >= 1 && value <= count)
            .then(|| char::from_u32(base + value - 1).map(String::from))
            .flatten()
    };
    let from = |alphabet: &[char]| alphabet.get(index).map(|c| c.to_string());
    let written = match shape {
        NumberShape::Digit => None,
        NumberShape::CircledDigit => circled(0x2460, 20),
        NumberShape::RomanCapital => Some(roman(value).to_uppercase()),
        NumberShape::RomanSmall => Some(roman(value)),
        NumberShape::LatinCapital => latin(value).map(|s| s.to_uppercase()),
        NumberShape::LatinSmall => latin(value),
        NumberShape::CircledLatinCapital => circled(0x24B6, 26),
        NumberShape::CircledLatinSmall => circled(0x24D0, 26),
        NumberShape::HangulSyllable => from(&HANGUL_SYLLABLES),
        NumberShape::CircledHangulSyllable => circled(0x326E, 14),
        NumberShape::HangulJamo => from(&HANGUL_JAMO),
        NumberShape::CircledHangulJamo => circled(0x3260, 14),
        NumberShape::HangulPhonetic => HANGUL_PHONETIC.get(index).map(|s| s.to_string()),
        NumberShape::Ideograph => from(&IDEOGRAPHS),
        NumberShape::CircledIdeograph => circled(0x3280, 10),
    };
    written.unwrap_or_else(|| value.to_string())
}

fn latin(value: u32) -> Option<String> {
    (1..=26)
        .contains(&value)
        .then(|| char::from(b'a' + (value - 1) as u8).to_string())
}

fn roman(mut value: u32) -> String {
    const TABLE: [(u32, &str); 13] = [
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ];
    let mut out = String::new();
    for (n, s) in TABLE {
        while value >= n {
            out.push_str(s);
            value -= n;
        }
    }
    out
}

/// Expands `^n` in `format` with the counters of levels 1..=n.
fn expand(format: &str, counters: &[u32], shapes: &[NumberShape]) -> String {
    let mut out = String::new();
    let mut chars = format.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '^' {
            if let Some(d) = chars.peek().and_then(|d| d.to_digit(10)) {
                chars.next();
                // `^0` stands for level 10 in Hancom's format strings.
                let level = if d == 0 { 10 } else { d } as usize;
                let value = counters.get(level - 1).copied().unwrap_or(1).max(1);
                let shape = shapes.get(level - 1).copied().unwrap_or_default();
                out.push_str(&format_number(value, shape));
                continue;
            }
        }
        out.push(c);
    }
    out.trim().to_string()
}

/// Which numbering a paragraph counts in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Counter {
    Outline(u16),
    Number(u16),
}

/// Counters over a document, fed paragraph by paragraph in reading order.
#[derive(Debug, Default)]
pub struct Numberer {
    counters: HashMap<Counter, [u32; 10]>,
}

impl Numberer {
    /// The marker Hancom shows before a paragraph of `shape`, advancing the counters.
    /// `outline_numbering` is the section's outline numbering id (0 = Hancom's default).
    pub fn marker(
        &mut self,
        definitions: &Definitions,
        shape: &ParaShape,
        outline_numbering: u16,
    ) -> Option<String> {
        let level = usize::from(shape.level).min(9);
        match shape.head {
            HeadKind::None => None,
            HeadKind::Bullet => {
                let index = usize::from(shape.head_id).checked_sub(1)?;
                definitions.bullets.get(index).cloned()
            }
            HeadKind::Outline => {
                let numbering = usize::from(outline_numbering)
                    .checked_sub(1)
                    .and_then(|i| definitions.numberings.get(i));
                let key = Counter::Outline(outline_numbering);
                match numbering {
                    Some(numbering) => Some(self.advance(key, numbering, level)),
                    None => {
                        let numbering = Numbering {
                            levels: DEFAULT_OUTLINE
                                .iter()
                                .map(|(f, s)| super::doc::LevelFormat {
                                    format: f.to_string(),
                                    shape: *s,
                                    start: 1,
                                })
                                .collect(),
                        };
                        Some(self.advance(key, &numbering, level))
                    }
                }
            }
            HeadKind::Number => {
                let index = usize::from(shape.head_id).checked_sub(1)?;
                let numbering = definitions.numberings.get(index)?;
                Some(self.advance(Counter::Number(shape.head_id), numbering, level))
            }
        }
    }

    fn advance(&mut self, key: Counter, numbering: &Numbering, level: usize) -> String {
        let starts: Vec<u32> = (0..10)
            .map(|l| numbering.levels.get(l).map_or(1, |f| f.start))
            .collect();
        let counters = self.counters.entry(key).or_insert([0; 10]);
        counters[level] = if counters[level] == 0 {
            starts[level]
        } else {
            counters[level] + 1
        };
        for deeper in counters.iter_mut().skip(level + 1) {
            *deeper = 0;
        }
        // A level never reached before its deeper one counts from its start.
        let shown: Vec<u32> = (0..10)
            .map(|l| {
                if counters[l] == 0 {
                    starts[l]
                } else {
                    counters[l]
                }
            })
            .collect();
        let shapes: Vec<NumberShape> = (0..10)
            .map(|l| numbering.levels.get(l).map(|f| f.shape).unwrap_or_default())
            .collect();
        let format = numbering
            .levels
            .get(level)
            .map_or("", |f| f.format.as_str());
        expand(format, &shown, &shapes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::hwp::doc::LevelFormat;

    fn outline(level: u8) -> ParaShape {
        ParaShape {
            head: HeadKind::Outline,
            level,
            head_id: 0,
        }
    }

    #[test]
    fn shapes_write_counters_as_hancom_does() {
        assert_eq!(format_number(2, NumberShape::HangulSyllable), "나");
        assert_eq!(format_number(3, NumberShape::CircledDigit), "③");
        assert_eq!(format_number(4, NumberShape::RomanCapital), "IV");
        assert_eq!(format_number(1, NumberShape::CircledHangulSyllable), "㉮");
        assert_eq!(format_number(3, NumberShape::LatinSmall), "c");
        assert_eq!(format_number(15, NumberShape::HangulSyllable), "15");
    }

    #[test]
    fn default_outline_restarts_deeper_levels() {
        let definitions = Definitions::default();
        let mut n = Numberer::default();
        let got: Vec<String> = [0, 1, 1, 2, 0, 1]
            .iter()
            .filter_map(|&l| n.marker(&definitions, &outline(l), 0))
            .collect();
        assert_eq!(got, ["1.", "가.", "나.", "1)", "2.", "가."]);
    }

    #[test]
    fn numbering_formats_refer_to_outer_levels() {
        let definitions = Definitions {
            numberings: vec![Numbering {
                levels: vec![
                    LevelFormat {
                        format: "^1.".into(),
                        shape: NumberShape::RomanCapital,
                        start: 1,
                    },
                    LevelFormat {
                        format: "^1-^2".into(),
                        shape: NumberShape::Digit,
                        start: 1,
                    },
                ],
            }],
            ..Definitions::default()
        };
        let shape = |level| ParaShape {
            head: HeadKind::Number,
            level,
            head_id: 1,
        };
        let mut n = Numberer::default();
        let got: Vec<String> = [0, 1, 1, 0]
            .iter()
            .filter_map(|&l| n.marker(&definitions, &shape(l), 0))
            .collect();
        assert_eq!(got, ["I.", "I-1", "I-2", "II."]);
    }
}
