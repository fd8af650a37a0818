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
    /// The advance width of the line's first word (what a writer that keeps words whole must
    /// have found no room for at the end of the line above).
    pub first_word_width: f32,
}

/// Where the line sits: letter-spaced rejoining is bolder inside table cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    Body,
    TableCell,
}

/// A gap wider than this many ems (beyond the line's own letter spacing) is a word space.
const WORD_GAP_EMS: f32 = 0.15;
/// A glyph at most this share of the line's size, raised by at least `SUPERSCRIPT_RAISE` ems
/// above the full-size glyph next to it, is a superscript (smaller alone is not: `제1교시` with
/// the digit in a smaller font on the same baseline is ordinary text).
const SUPERSCRIPT_MAX_SIZE: f32 = 0.8;
const SUPERSCRIPT_RAISE: f32 = 0.15;
/// Where a text run of one script meets a run of another (`2012` + `에`, `TF` + `가`; writers
/// set digits and Latin letters in another font), a gap with no space glyph is a word space only
/// when it is at least this share of the width the line gives its drawn spaces.
const SCRIPT_EDGE_SPACE_SHARE: f32 = 0.8;
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

/// The script of a glyph, for telling where a run in one font meets a run in another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Script {
    Hangul,
    /// ASCII letters and digits (set in a Latin font next to Hangul).
    LatinDigit,
    Other,
}

fn script(text: &str) -> Script {
    match text.chars().next() {
        Some(c)
            if ('\u{AC00}'..='\u{D7A3}').contains(&c) || ('\u{3131}'..='\u{318E}').contains(&c) =>
        {
            Script::Hangul
        }
        Some(c) if c.is_ascii_alphanumeric() => Script::LatinDigit,
        _ => Script::Other,
    }
}

/// Which ink glyphs are superscripts: smaller than the line's size and raised above the
/// baseline of the nearest full-size glyph (before it, else after it, else the line's own).
fn superscripts(glyphs: &[Glyph], ink: &[usize], line_size: f32, baseline: f32) -> Vec<bool> {
    let small = |i: usize| glyphs[i].size <= SUPERSCRIPT_MAX_SIZE * line_size;
    let mut out = vec![false; glyphs.len()];
    for (k, &i) in ink.iter().enumerate() {
        if !small(i) {
            continue;
        }
        let neighbour = ink[..k]
            .iter()
            .rev()
            .chain(&ink[k + 1..])
            .find(|&&j| !small(j))
            .map(|&j| &glyphs[j]);
        let (base, size) = neighbour.map_or((baseline, line_size), |n| (n.baseline, n.size));
        out[i] = base - glyphs[i].baseline >= SUPERSCRIPT_RAISE * size;
    }
    for &i in opening_list_number(glyphs, ink) {
        out[i] = false;
    }
    out
}

/// What closes a question or list number (`13)`, `2.`).
const LIST_NUMBER_CLOSERS: [&str; 2] = [")", "."];

/// The glyphs of a number that opens the line and is closed by `)` or `.` (so_sueop.pdf:
/// `13) 이 작품의 시점은?` with `13)` set smaller and higher): a question or list number,
/// not a superscript.
fn opening_list_number<'a>(glyphs: &[Glyph], ink: &'a [usize]) -> &'a [usize] {
    let digits = ink
        .iter()
        .take_while(|&&i| glyphs[i].text.chars().all(|c| c.is_ascii_digit()))
        .count();
    match ink.get(digits) {
        Some(&closer)
            if digits > 0 && LIST_NUMBER_CLOSERS.contains(&glyphs[closer].text.as_str()) =>
        {
            &ink[..=digits]
        }
        _ => &[],
    }
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
    let ink: Vec<usize> = (0..glyphs.len()).filter(|&i| !glyphs[i].space).collect();
    let superscript_at = superscripts(glyphs, &ink, line_size, baseline);
    let is_superscript = |i: usize| superscript_at[i];
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
    // The width of the spaces the line draws itself, if it draws any.
    let drawn_space_width = (!spaces.is_empty()).then_some(space_width);

    let mut words: Vec<Word> = Vec::new();
    let mut space_pending = false;
    let mut last_ink: Option<usize> = None;
    for (i, g) in glyphs.iter().enumerate() {
        if g.space {
            space_pending = last_ink.is_some();
            continue;
        }
        let gap = last_ink.map_or(0.0, |p| g.x0 - glyphs[p].x1);
        let superscript_edge = last_ink.is_some_and(|p| is_superscript(i) != is_superscript(p));
        let script_edge = last_ink.is_some_and(|p| {
            let (a, b) = (script(&glyphs[p].text), script(&g.text));
            glyphs[p].run != g.run && a != b && a != Script::Other && b != Script::Other
        });
        let new_word = match (last_ink, drawn_space_width) {
            (None, _) => true,
            (Some(_), _) if superscript_edge => gap > threshold.max(0.3 * line_size),
            (Some(_), Some(space)) if script_edge => {
                space_pending || gap > threshold.max(SCRIPT_EDGE_SPACE_SHARE * space)
            }
            (Some(_), _) => space_pending || gap > threshold,
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
    let breaks = if joined {
        0
    } else {
        words.len().saturating_sub(1)
    };

    let mut out = LineText {
        ends_with_space_glyph: glyphs.last().is_some_and(|g| g.space) && last_ink.is_some(),
        natural_width: ink_width + breaks as f32 * space_width,
        first_word_width: match (joined, words.first()) {
            (false, Some(word)) => word
                .glyphs
                .iter()
                .map(|&i| glyphs[i].x1 - glyphs[i].x0)
                .sum(),
            _ => ink_width,
        },
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
            if is_superscript(i) {
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

    #[test]
    fn a_small_raised_number_opening_the_line_is_a_question_number() {
        // so_sueop.pdf (Hancom): `13) 이 작품의 시점은?` with `13)` at 7.4pt, raised, before
        // 9.7pt text; mid-line, `김병욱4)을` keeps its superscript.
        let small = |text: &str, x0: f32| Glyph {
            text: text.into(),
            x0,
            x1: x0 + 4.0,
            baseline: 197.0,
            size: 7.4,
            space: false,
            unmapped: false,
            upright: true,
            run: 1,
        };
        let mut glyphs = vec![small("1", 80.0), small("3", 84.0), small(")", 88.0)];
        glyphs.extend(line("이 작품의 시점은?", 0.0, 3.0));
        let out = compose(&glyphs, 10.0, 200.0, Context::Body, "");
        assert_eq!(out.text, "13) 이 작품의 시점은?");
        assert!(out.spans.is_empty(), "{:?}", out.spans);
        let mut glyphs = line("김병욱", 0.0, 0.0);
        glyphs.extend([small("4", 130.0), small(")", 134.0)]);
        glyphs.extend(line("을", 0.0, 0.0).into_iter().map(|mut g| {
            g.x0 += 38.0;
            g.x1 += 38.0;
            g
        }));
        let out = compose(&glyphs, 10.0, 200.0, Context::Body, "");
        assert_eq!(out.text, "김병욱4)을");
        assert_eq!(out.spans.len(), 1, "{:?}", out.spans);
        assert_eq!(out.spans[0].kind, SpanKind::Superscript);
    }

    /// A line drawn as text runs the way LibreOffice writes mixed scripts: each part is its own
    /// run `(text, advance per glyph, gap before the part)`, size 10pt on baseline 200; a space
    /// in a part is a drawn space glyph `space` points wide.
    fn runs(parts: &[(&str, f32, f32)], space: f32) -> Vec<Glyph> {
        let mut x = 100.0;
        let mut out = Vec::new();
        for (run, &(text, advance, gap)) in parts.iter().enumerate() {
            x += gap;
            for c in text.chars() {
                let width = if c == ' ' { space } else { advance };
                out.push(Glyph {
                    text: c.to_string(),
                    x0: x,
                    x1: x + width,
                    baseline: 200.0,
                    size: 10.0,
                    space: c == ' ',
                    unmapped: false,
                    upright: true,
                    run: run as u32,
                });
                x += width;
            }
        }
        out
    }

    #[test]
    fn digit_run_next_to_hangul_run_stays_joined() {
        // `2012년부터 서울시는 사회적경제` (sample, paragraph 2): digits 5.56pt wide in a Latin
        // font, then a Hangul run 1.7pt further on; the line draws 2.6pt spaces.
        let glyphs = runs(
            &[
                ("2012", 5.56, 0.0),
                ("년부터 서울시는 사회적경제", 9.2, 1.7),
            ],
            2.6,
        );
        let text = compose(&glyphs, 10.0, 200.0, Context::Body, "").text;
        assert_eq!(text, "2012년부터 서울시는 사회적경제");
    }

    #[test]
    fn latin_run_keeps_real_spaces_and_joins_small_gaps() {
        // `주민 참여형 SE전략 / 공동체 기반 SE 전략 정비` (sample, strategy 3): `SE` is its own
        // run; before `전략` a 1.7pt gap, before ` 전략` a drawn space.
        let glyphs = runs(
            &[
                ("주민 참여형 ", 9.2, 0.0),
                ("SE", 6.67, 0.0),
                ("전략 / 공동체 기반 ", 9.2, 1.7),
                ("SE", 6.67, 0.0),
                (" 전략 정비", 9.2, 0.0),
            ],
            2.6,
        );
        let text = compose(&glyphs, 10.0, 200.0, Context::Body, "").text;
        assert_eq!(text, "주민 참여형 SE전략 / 공동체 기반 SE 전략 정비");
    }

    #[test]
    fn undrawn_space_between_runs_as_wide_as_a_space_is_kept() {
        // Same line, but the space before the second `전략` is a 2.8pt gap with no glyph.
        let glyphs = runs(
            &[
                ("공동체 기반 ", 9.2, 0.0),
                ("SE", 6.67, 0.0),
                ("전략 정비", 9.2, 2.8),
            ],
            2.6,
        );
        let text = compose(&glyphs, 10.0, 200.0, Context::Body, "").text;
        assert_eq!(text, "공동체 기반 SE 전략 정비");
    }

    #[test]
    fn smaller_digit_on_the_baseline_is_not_a_superscript() {
        // `제1교시`: the digit is 7pt in another font, on the same baseline as the Hangul.
        let mut glyphs = line("제교시", 0.0, 0.0);
        for g in &mut glyphs[1..] {
            g.x0 += 4.0;
            g.x1 += 4.0;
        }
        glyphs.insert(
            1,
            Glyph {
                text: "1".into(),
                x0: 110.0,
                x1: 114.0,
                baseline: 200.0,
                size: 7.0,
                space: false,
                unmapped: false,
                upright: true,
                run: 1,
            },
        );
        // The line's baseline comes from another fragment set 3pt lower; the digit's own
        // neighbours decide.
        let out = compose(&glyphs, 10.0, 203.0, Context::Body, "");
        assert_eq!(out.text, "제1교시");
        assert!(out.spans.is_empty(), "{:?}", out.spans);
    }
}
