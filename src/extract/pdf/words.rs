//! Words: the text of one line from its glyphs. A space goes where a space glyph was drawn or
//! where the gap between two glyphs is wide for the font size (justified text stretches gaps;
//! Korean has no spaces inside words). Letter-spaced labels (`부 동 산 업`) are rejoined,
//! superscript markers and unmapped-font glyphs are marked as spans.

use super::capture::Glyph;
use crate::model::{LineSpan, SpanKind};

/// The text of a line and what is marked inside it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LineText {
    pub text: String,
    pub spans: Vec<LineSpan>,
    /// The line's last drawn glyph was a space (a wrap at a word boundary).
    pub ends_with_space_glyph: bool,
    /// The width the line would have unjustified: its glyphs' advances plus one ordinary space
    /// per word break.
    pub natural_width: f32,
}

/// Where the line sits: letter-spaced rejoining is bolder inside table cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    Body,
    TableCell,
}

/// A gap wider than this many ems (beyond the line's own letter spacing) is a word space.
const WORD_GAP_EMS: f32 = 0.15;
/// A glyph at most this share of the line's size, raised by at least `SUPERSCRIPT_RAISE` ems,
/// is a superscript.
const SUPERSCRIPT_MAX_SIZE: f32 = 0.8;
const SUPERSCRIPT_RAISE: f32 = 0.15;
/// The width of an ordinary word space where the line draws none, in ems.
const NATURAL_SPACE_EMS: f32 = 0.3;
/// Letter-spaced words: gaps may differ by at most this many ems to count as uniform.
const LETTER_SPACING_SPREAD_EMS: f32 = 0.35;
/// …and may be at most this many ems wide outside table cells.
const LETTER_SPACING_MAX_EMS: f32 = 1.5;

struct Word {
    glyphs: Vec<usize>,
    /// Gap to the previous word in points (0 for the first).
    gap_before: f32,
}

fn is_hangul_syllable(text: &str) -> bool {
    let mut chars = text.chars();
    matches!((chars.next(), chars.next()), (Some(c), None) if ('\u{AC00}'..='\u{D7A3}').contains(&c))
}

/// Composes the text of `glyphs` (sorted left to right) on a line of size `line_size` whose
/// baseline is `baseline`. `unmapped_font` names the font(s) of unmapped glyphs.
pub fn compose(
    glyphs: &[Glyph],
    line_size: f32,
    baseline: f32,
    context: Context,
    unmapped_font: &str,
) -> LineText {
    let is_superscript = |g: &Glyph| {
        g.size <= SUPERSCRIPT_MAX_SIZE * line_size
            && baseline - g.baseline >= SUPERSCRIPT_RAISE * line_size
    };
    let ink: Vec<usize> = (0..glyphs.len()).filter(|&i| !glyphs[i].space).collect();
    // The line's own letter spacing: the lowest decile of the gaps between glyphs (robust to
    // a kerned pair, and low enough that lines of short words keep their spaces).
    let mut gaps: Vec<f32> = ink
        .windows(2)
        .map(|w| (glyphs[w[1]].x0 - glyphs[w[0]].x1) / line_size)
        .collect();
    gaps.sort_by(f32::total_cmp);
    let letter_gap = gaps
        .get(gaps.len() / 10)
        .copied()
        .unwrap_or(0.0)
        .clamp(0.0, 0.5);
    let threshold = (letter_gap + WORD_GAP_EMS) * line_size;

    let mut words: Vec<Word> = Vec::new();
    let mut space_pending = false;
    let mut last_ink: Option<usize> = None;
    for (i, g) in glyphs.iter().enumerate() {
        if g.space {
            space_pending = last_ink.is_some();
            continue;
        }
        let gap = last_ink.map_or(0.0, |p| g.x0 - glyphs[p].x1);
        let superscript_edge =
            last_ink.is_some_and(|p| is_superscript(g) != is_superscript(&glyphs[p]));
        let new_word = match last_ink {
            None => true,
            Some(_) if superscript_edge => gap > threshold.max(0.3 * line_size),
            Some(_) => space_pending || gap > threshold,
        };
        if new_word {
            words.push(Word {
                glyphs: vec![i],
                gap_before: if last_ink.is_some() {
                    gap.max(0.0)
                } else {
                    0.0
                },
            });
        } else if let Some(word) = words.last_mut() {
            word.glyphs.push(i);
        }
        space_pending = false;
        last_ink = Some(i);
    }
    let joined = letter_spaced(&words, glyphs, line_size, context);
    let ink_width: f32 = ink.iter().map(|&i| glyphs[i].x1 - glyphs[i].x0).sum();
    let spaces: Vec<f32> = glyphs
        .iter()
        .filter(|g| g.space)
        .map(|g| g.x1 - g.x0)
        .collect();
    let space_width = if spaces.is_empty() {
        NATURAL_SPACE_EMS * line_size
    } else {
        (spaces.iter().sum::<f32>() / spaces.len() as f32).clamp(0.2 * line_size, 0.5 * line_size)
    };
    let breaks = if joined {
        0
    } else {
        words.len().saturating_sub(1)
    };

    let mut out = LineText {
        ends_with_space_glyph: glyphs.last().is_some_and(|g| g.space) && last_ink.is_some(),
        natural_width: ink_width + breaks as f32 * space_width,
        ..LineText::default()
    };
    let mut superscript: Option<usize> = None;
    let mut unmapped: Option<usize> = None;
    for (w, word) in words.iter().enumerate() {
        if w > 0 && !joined {
            close_span(&mut out, &mut superscript, SpanKind::Superscript);
            out.text.push(' ');
        }
        for &i in &word.glyphs {
            let g = &glyphs[i];
            let start = out.text.len();
            if is_superscript(g) {
                superscript.get_or_insert(start);
            } else {
                close_span(&mut out, &mut superscript, SpanKind::Superscript);
            }
            if g.unmapped {
                unmapped.get_or_insert(start);
            } else {
                close_span(
                    &mut out,
                    &mut unmapped,
                    SpanKind::UnmappedFont {
                        font: unmapped_font.to_string(),
                    },
                );
            }
            out.text.push_str(&g.text);
        }
    }
    close_span(&mut out, &mut superscript, SpanKind::Superscript);
    close_span(
        &mut out,
        &mut unmapped,
        SpanKind::UnmappedFont {
            font: unmapped_font.to_string(),
        },
    );
    out.spans.sort_by_key(|s| s.start);
    out
}

fn close_span(out: &mut LineText, start: &mut Option<usize>, kind: SpanKind) {
    if let Some(start) = start.take() {
        let end = out.text.trim_end_matches(' ').len();
        if end > start {
            out.spans.push(LineSpan { start, end, kind });
        }
    }
}

/// Whether the words are one letter-spaced word: single Hangul syllables with uniform gaps
/// (`부 동 산 업`, `목   차`). Two syllables suffice in a table cell; elsewhere three, and the
/// gaps must be modest.
fn letter_spaced(words: &[Word], glyphs: &[Glyph], line_size: f32, context: Context) -> bool {
    let min_words = match context {
        Context::TableCell => 2,
        Context::Body => 3,
    };
    if words.len() < min_words {
        return false;
    }
    if !words
        .iter()
        .all(|w| w.glyphs.len() == 1 && is_hangul_syllable(&glyphs[w.glyphs[0]].text))
    {
        return false;
    }
    let gaps: Vec<f32> = words
        .iter()
        .skip(1)
        .map(|w| w.gap_before / line_size)
        .collect();
    let (min, max) = gaps
        .iter()
        .fold((f32::INFINITY, f32::NEG_INFINITY), |(lo, hi), &g| {
            (lo.min(g), hi.max(g))
        });
    let uniform = max - min <= LETTER_SPACING_SPREAD_EMS.max(0.25 * max);
    uniform && (context == Context::TableCell || max <= LETTER_SPACING_MAX_EMS)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Glyphs of `text` at 10pt, each 10pt wide, with `gap` points after each glyph and an extra
    /// `space` points where the text has a space.
    fn line(text: &str, gap: f32, space: f32) -> Vec<Glyph> {
        let mut x = 100.0;
        let mut out = Vec::new();
        for c in text.chars() {
            if c == ' ' {
                x += space;
                continue;
            }
            out.push(Glyph {
                text: c.to_string(),
                x0: x,
                x1: x + 10.0,
                baseline: 200.0,
                size: 10.0,
                space: false,
                unmapped: false,
                upright: true,
                run: 0,
            });
            x += 10.0 + gap;
        }
        out
    }

    #[test]
    fn justified_gaps_are_spaces_and_syllables_stay_together() {
        // A line of the sample booklet, with wide justified spaces of 6pt.
        let glyphs = line("사회적경제 생태계 구축 성과 포럼", 0.0, 6.0);
        let text = compose(&glyphs, 10.0, 200.0, Context::Body, "").text;
        assert_eq!(text, "사회적경제 생태계 구축 성과 포럼");
    }

    #[test]
    fn letter_spaced_line_keeps_its_word_spaces() {
        // 1pt letter spacing everywhere, 4pt more at word spaces.
        let glyphs = line("서울시 사회적경제 지원센터", 1.0, 4.0);
        let text = compose(&glyphs, 10.0, 200.0, Context::Body, "").text;
        assert_eq!(text, "서울시 사회적경제 지원센터");
    }

    #[test]
    fn letter_spaced_table_label_is_rejoined() {
        let glyphs = line("부동산업", 8.0, 0.0);
        let text = compose(&glyphs, 10.0, 200.0, Context::TableCell, "").text;
        assert_eq!(text, "부동산업");
    }

    #[test]
    fn ordinary_words_are_not_rejoined() {
        let glyphs = line("및 그 외 기관", 0.0, 4.0);
        let text = compose(&glyphs, 10.0, 200.0, Context::Body, "").text;
        assert_eq!(text, "및 그 외 기관");
    }

    #[test]
    fn raised_small_digit_is_a_superscript_span() {
        let mut glyphs = line("중랑구", 0.0, 0.0);
        glyphs.push(Glyph {
            text: "1".into(),
            x0: 130.0,
            x1: 133.0,
            baseline: 196.0,
            size: 6.0,
            space: false,
            unmapped: false,
            upright: true,
            run: 0,
        });
        let out = compose(&glyphs, 10.0, 200.0, Context::Body, "");
        assert_eq!(out.text, "중랑구1");
        assert_eq!(
            out.spans,
            vec![LineSpan {
                start: "중랑구".len(),
                end: "중랑구1".len(),
                kind: SpanKind::Superscript
            }]
        );
    }
}
