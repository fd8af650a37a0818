//! Glyph clean-up before layout: control characters that stand for spaces become spaces,
//! unmapped-font markers become U+FFFD glyphs marked `unmapped`, and overlapping duplicates
//! (text drawn twice for a shadow or fake bold: `별첨별첨`) are dropped.

use super::capture::Glyph;
use crate::extract::fonts::is_unmapped_marker;

/// The text given to a glyph whose font has no usable Unicode mapping.
pub const UNMAPPED_TEXT: &str = "\u{FFFD}";

/// Characters that are a word space when drawn as a glyph of their own: Chrome's justified
/// pages draw stretched spaces as U+0001, other writers use NUL or TAB, and the usual spaces.
fn is_space_standin(c: char) -> bool {
    matches!(
        c,
        '\u{0}' | '\u{1}' | '\t' | ' ' | '\u{A0}' | '\u{3000}' | '\u{2002}'..='\u{200A}'
    )
}

/// Cleans glyphs in place and drops duplicates; returns how many duplicates were dropped.
pub fn clean(glyphs: &mut Vec<Glyph>) -> usize {
    for glyph in glyphs.iter_mut() {
        if !glyph.text.is_empty() && glyph.text.chars().all(is_space_standin) {
            glyph.space = true;
            glyph.text = " ".to_string();
        } else if glyph.text.chars().any(is_unmapped_marker) {
            glyph.unmapped = true;
            glyph.text = UNMAPPED_TEXT.to_string();
        } else if glyph.text.chars().any(char::is_control) {
            glyph.text.retain(|c| !c.is_control());
        }
    }
    glyphs.retain(|g| !g.text.is_empty());
    drop_duplicates(glyphs)
}

/// Two copies of a glyph closer than this share of its advance (or half a point) are one glyph.
const DUPLICATE_TOLERANCE: f32 = 0.3;

/// Drops glyphs that repeat an earlier glyph's text at nearly the same place and size.
fn drop_duplicates(glyphs: &mut Vec<Glyph>) -> usize {
    let mut order: Vec<usize> = (0..glyphs.len()).filter(|&i| !glyphs[i].space).collect();
    order.sort_by(|&a, &b| {
        glyphs[a]
            .text
            .cmp(&glyphs[b].text)
            .then(glyphs[a].baseline.total_cmp(&glyphs[b].baseline))
    });
    let mut duplicate = vec![false; glyphs.len()];
    for (k, &i) in order.iter().enumerate() {
        if duplicate[i] {
            continue;
        }
        let a = &glyphs[i];
        let tolerance = (DUPLICATE_TOLERANCE * (a.x1 - a.x0)).max(0.5);
        for &j in &order[k + 1..] {
            let b = &glyphs[j];
            if b.text != a.text || b.baseline - a.baseline > tolerance {
                break;
            }
            if !duplicate[j]
                && (b.x0 - a.x0).abs() <= tolerance
                && (b.size - a.size).abs() <= 0.15 * a.size
            {
                // Keep the copy drawn first.
                let later = if glyphs[j].run >= a.run { j } else { i };
                duplicate[later] = true;
                if later == i {
                    break;
                }
            }
        }
    }
    let dropped = duplicate.iter().filter(|&&d| d).count();
    if dropped > 0 {
        let mut index = 0;
        glyphs.retain(|_| {
            let keep = !duplicate[index];
            index += 1;
            keep
        });
    }
    dropped
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glyph(text: &str, x0: f32, baseline: f32, run: u32) -> Glyph {
        Glyph {
            run,
            ..Glyph::for_test(text, x0, baseline, 10.0)
        }
    }

    #[test]
    fn shadow_copy_is_dropped() {
        // Hancom draws `별첨` twice, the second copy offset by half a point.
        let mut glyphs = vec![
            glyph("별", 100.0, 50.0, 1),
            glyph("첨", 110.0, 50.0, 1),
            glyph("별", 100.5, 50.4, 2),
            glyph("첨", 110.5, 50.4, 2),
        ];
        assert_eq!(clean(&mut glyphs), 2);
        let text: String = glyphs.iter().map(|g| g.text.as_str()).collect();
        assert_eq!(text, "별첨");
    }

    #[test]
    fn repeated_characters_side_by_side_are_kept() {
        let mut glyphs = vec![glyph("점", 100.0, 50.0, 1), glyph("점", 110.0, 50.0, 1)];
        assert_eq!(clean(&mut glyphs), 0);
        assert_eq!(glyphs.len(), 2);
    }

    #[test]
    fn chrome_space_standins_become_spaces() {
        let mut glyphs = vec![glyph("\u{1}", 100.0, 50.0, 1), glyph("\t", 120.0, 50.0, 1)];
        clean(&mut glyphs);
        assert!(glyphs.iter().all(|g| g.space && g.text == " "));
    }

    #[test]
    fn unmapped_markers_become_replacement_glyphs() {
        let marker = char::from_u32(crate::extract::fonts::UNMAPPED_BASE + 0x41).unwrap_or('?');
        let mut glyphs = vec![glyph(&marker.to_string(), 100.0, 50.0, 1)];
        clean(&mut glyphs);
        assert!(glyphs[0].unmapped);
        assert_eq!(glyphs[0].text, UNMAPPED_TEXT);
    }
}
