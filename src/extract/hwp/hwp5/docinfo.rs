//! The `DocInfo` stream of an HWP 5.0 file: the paragraph shapes (outline/numbering/bullet
//! heads and levels), style names, numbering formats and bullet characters that body
//! paragraphs refer to by id.

use super::records::{tag, Cursor, Record};
use crate::extract::hwp::doc::{
    Definitions, HeadKind, LevelFormat, NumberShape, Numbering, ParaShape,
};

/// HWP 5.0 number shape codes (번호 모양 table), in code order.
const NUMBER_SHAPES: [NumberShape; 15] = [
    NumberShape::Digit,                 // 0: 1, 2, 3
    NumberShape::CircledDigit,          // 1: ①, ②, ③
    NumberShape::RomanCapital,          // 2: I, II, III
    NumberShape::RomanSmall,            // 3: i, ii, iii
    NumberShape::LatinCapital,          // 4: A, B, C
    NumberShape::LatinSmall,            // 5: a, b, c
    NumberShape::CircledLatinCapital,   // 6: Ⓐ, Ⓑ, Ⓒ
    NumberShape::CircledLatinSmall,     // 7: ⓐ, ⓑ, ⓒ
    NumberShape::HangulSyllable,        // 8: 가, 나, 다
    NumberShape::CircledHangulSyllable, // 9: ㉮, ㉯, ㉰
    NumberShape::HangulJamo,            // 10: ㄱ, ㄴ, ㄷ
    NumberShape::CircledHangulJamo,     // 11: ㉠, ㉡, ㉢
    NumberShape::HangulPhonetic,        // 12: 일, 이, 삼
    NumberShape::Ideograph,             // 13: 一, 二, 三
    NumberShape::CircledIdeograph,      // 14: ㊀, ㊁, ㊂
];

/// The number shape for an HWP 5.0 code (unknown codes are written as digits).
pub fn number_shape(code: u32) -> NumberShape {
    NUMBER_SHAPES
        .get(code as usize)
        .copied()
        .unwrap_or_default()
}

/// Reads the definitions from the DocInfo records; a record too short to read is skipped.
pub fn read(records: &[Record<'_>]) -> Definitions {
    let mut definitions = Definitions::default();
    for record in records {
        match record.tag {
            tag::PARA_SHAPE => definitions
                .para_shapes
                .push(para_shape(record.data).unwrap_or_default()),
            tag::STYLE => definitions
                .styles
                .push(Cursor::new(record.data).wstring().unwrap_or_default()),
            tag::NUMBERING => definitions
                .numberings
                .push(numbering(record.data).unwrap_or_default()),
            tag::BULLET => definitions
                .bullets
                .push(bullet(record.data).unwrap_or_default()),
            tag::BORDER_FILL => definitions.cell_fills.push(solid_fill(record.data)),
            _ => {}
        }
    }
    definitions
}

/// `BORDER_FILL`: property (2 bytes), four borders and a diagonal (type, width, colour: 6
/// bytes each), then the fill type; bit 0 of it is a solid fill whose background colour
/// follows. `0xFFFFFFFF` is "no colour".
fn solid_fill(data: &[u8]) -> Option<u32> {
    let mut c = Cursor::new(data);
    c.skip(2 + 5 * 6)?;
    let fill_type = c.u32()?;
    let background = c.u32()?;
    (fill_type & 1 != 0 && background != u32::MAX).then_some(background)
}

/// `PARA_SHAPE`: property 1 bits 23–24 say the head kind, bits 25–27 the level; the
/// numbering/bullet id follows the six margins and the tab definition id.
fn para_shape(data: &[u8]) -> Option<ParaShape> {
    let mut c = Cursor::new(data);
    let property = c.u32()?;
    let head = match (property >> 23) & 0x3 {
        1 => HeadKind::Outline,
        2 => HeadKind::Number,
        3 => HeadKind::Bullet,
        _ => HeadKind::None,
    };
    let level = ((property >> 25) & 0x7) as u8;
    c.skip(6 * 4 + 2)?;
    let head_id = c.u16().unwrap_or(0);
    Some(ParaShape {
        head,
        level,
        head_id,
    })
}

/// `NUMBERING`: seven levels of (head info, format string), the start number, then the
/// per-level start numbers and (HWP 5.1) levels 8–10.
fn numbering(data: &[u8]) -> Option<Numbering> {
    let mut c = Cursor::new(data);
    let mut levels = Vec::new();
    for _ in 0..7 {
        let property = c.u32()?;
        c.skip(2 + 2 + 4)?;
        let format = c.wstring()?;
        levels.push(LevelFormat {
            format,
            shape: number_shape((property >> 5) & 0xF),
            start: 1,
        });
    }
    let start = c.u16().map_or(1, u32::from);
    for level in levels.iter_mut() {
        level.start = start.max(1);
    }
    for level in levels.iter_mut() {
        match c.u32() {
            Some(s) => level.start = s.max(1),
            None => return Some(Numbering { levels }),
        }
    }
    let mut extra = Vec::new();
    for _ in 0..3 {
        let Some(property) = c.u32() else { break };
        if c.skip(8).is_none() {
            break;
        }
        let Some(format) = c.wstring() else { break };
        extra.push(LevelFormat {
            format,
            shape: number_shape((property >> 5) & 0xF),
            start: 1,
        });
    }
    for level in extra.iter_mut() {
        level.start = c.u32().unwrap_or(1).max(1);
    }
    levels.extend(extra);
    Some(Numbering { levels })
}

/// `BULLET`: the head info (12 bytes), then the bullet character.
fn bullet(data: &[u8]) -> Option<String> {
    let mut c = Cursor::new(data);
    c.skip(12)?;
    let unit = c.u16()?;
    char::from_u32(u32::from(unit))
        .filter(|ch| !ch.is_control())
        .map(String::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A `BORDER_FILL` record: property, five (type, width, colour) lines, then the fill.
    fn border_fill(fill_type: u32, background: u32) -> Vec<u8> {
        let mut data = vec![0u8; 2 + 5 * 6];
        data.extend(fill_type.to_le_bytes());
        data.extend(background.to_le_bytes());
        data.extend(0u32.to_le_bytes());
        data.extend((-1i32).to_le_bytes());
        data
    }

    #[test]
    fn a_solid_cell_fill_gives_its_background_and_white_is_no_shading() {
        // reg86712.hwp shades header cells 0xD9D9D9 (Hancom's 15 % gray), body cells white.
        let definitions = Definitions {
            cell_fills: vec![
                solid_fill(&border_fill(1, 0x00D9_D9D9)),
                solid_fill(&border_fill(1, 0x00FF_FFFF)),
                solid_fill(&border_fill(0, 0x00D9_D9D9)),
                solid_fill(&border_fill(1, u32::MAX)),
                solid_fill(&[0u8; 10]),
            ],
            ..Definitions::default()
        };
        assert_eq!(definitions.shading(1), Some([0xD9; 3]));
        assert_eq!(definitions.shading(2), None);
        assert_eq!(definitions.shading(3), None);
        assert_eq!(definitions.shading(4), None);
        assert_eq!(definitions.shading(5), None);
        assert_eq!(definitions.shading(0), None);
    }
}
