//! Paragraphs and wraps: which body lines start a paragraph (a wider vertical gap, a first-line
//! indent, a short previous line, a size change, a new region), and glyph evidence on whether a
//! wrapped line continues a word (`때문` / `에`). Two kinds of glyph evidence show a wrap at a
//! word boundary: the line ends with a drawn space glyph, or the line's natural (unjustified)
//! width leaves so much room before the column edge that the next syllable would have fitted
//! had the writer been allowed to break there. A document whose wrapped lines often leave
//! such room breaks lines only at spaces (CSS `word-break: keep-all`): all its wraps are word
//! boundaries. A document whose wrapped lines fill their column to within a syllable breaks
//! anywhere (Chromium's default for Korean): there a line leaving room for a syllable ended at
//! a word boundary, and the document's `WrapHabit` tells the structure stage that the other
//! wraps are mostly inside words. Room counts only where the fonts' advances measure it as the
//! writer did: a writer wraps because the next word does not fit, so where wrapped lines often
//! leave room for the next line's whole first word (Hancom lays lines out with metrics of its
//! own and breaks Korean between syllables), room is no evidence, only drawn spaces are, and
//! the writer is taken to break anywhere. Nothing proves a wrap inside a word (Chrome never
//! draws trailing spaces, Hancom only sometimes), so the remaining wraps are left to the
//! analyzer (`None`).

use crate::model::{Line, LineRole, WrapHabit};

/// What layout knows about a line beyond `model::Line`.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct LineEvidence {
    /// Region number from the reading-order analysis.
    pub block: u32,
    /// The last glyph drawn on the line was a space.
    pub ends_with_space_glyph: bool,
    /// The line's width without justification (`words::LineText::natural_width`).
    pub natural_width: f32,
    /// The advance width of the line's first word (`words::LineText::first_word_width`).
    pub first_word_width: f32,
}

/// A vertical gap this many times the usual line pitch separates paragraphs.
const PARAGRAPH_GAP_RATIO: f32 = 1.45;
/// A first line indented by this many ems starts a paragraph.
const INDENT_EMS: f32 = 0.8;
/// A previous line ending this many ems short of the right edge ended its paragraph.
const SHORT_LINE_EMS: f32 = 2.0;
/// A size change by this share starts a new paragraph (a heading).
const SIZE_CHANGE: f32 = 0.15;

fn baseline(line: &Line) -> f32 {
    line.bbox.map_or(0.0, |b| b[3])
}

/// Sets `starts_paragraph` and `joins_previous_word` on the body lines of a document's pages,
/// in reading order, and returns how the document's writer broke its lines. `evidence` runs
/// parallel to each page's lines.
pub fn mark(pages: &mut [(Vec<Line>, Vec<LineEvidence>)]) -> WrapHabit {
    // The last body line seen and the right edges of its region and of its column, carried
    // across pages.
    let mut previous: Option<(Line, LineEvidence, f32, f32)> = None;
    let mut wraps: Vec<Wrap> = Vec::new();
    for (page_index, (lines, evidence)) in pages.iter_mut().enumerate() {
        let body: Vec<usize> = (0..lines.len())
            .filter(|&i| lines[i].role == LineRole::Body && lines[i].table.is_none())
            .collect();
        let regions = region_metrics(lines, evidence, &body);
        let column_right = |column: u32| {
            body.iter()
                .filter(|&&i| lines[i].column == column)
                .filter_map(|&i| lines[i].bbox)
                .fold(0.0f32, |r, b| r.max(b[2]))
        };
        let column_rights: Vec<(u32, f32)> = body
            .iter()
            .map(|&i| lines[i].column)
            .collect::<std::collections::BTreeSet<u32>>()
            .into_iter()
            .map(|c| (c, column_right(c)))
            .collect();
        for (k, &i) in body.iter().enumerate() {
            let ev = evidence[i];
            let (left, right, pitch) = regions
                .iter()
                .find(|r| r.0 == ev.block)
                .map_or((0.0, 0.0, 0.0), |r| (r.1, r.2, r.3));
            let line = &lines[i];
            let size = line.font_size.unwrap_or(10.0);
            let bbox = line.bbox.unwrap_or_default();
            // A first-line indent: in from the previous line, and the next line is back out.
            // (A hanging indent keeps its continuation lines in, so it does not count.)
            let next_x0 = body.get(k + 1).and_then(|&n| lines[n].bbox).map(|b| b[0]);
            let prev_x0 = previous
                .as_ref()
                .filter(|p| k > 0 && p.1.block == ev.block)
                .and_then(|p| p.0.bbox)
                .map(|b| b[0]);
            let indent = INDENT_EMS * size;
            // …unless the line above fills its column and stops mid-sentence: then this is
            // the hanging indent of an answer choice or list item (`① …한계를 밝힌` / `다.`).
            let hanging = previous
                .as_ref()
                .is_some_and(|(prev, _, prev_right, _)| wraps_mid_sentence(prev, *prev_right));
            let indented = prev_x0.is_some_and(|p| bbox[0] > p + indent)
                && next_x0.is_some_and(|n| n < bbox[0] - indent)
                && !hanging;
            let outdented =
                prev_x0.is_some_and(|p| bbox[0] < p - indent) && bbox[0] < left + indent;
            let starts = match &previous {
                None => true,
                Some((prev, prev_ev, prev_right, _)) => {
                    let prev_size = prev.font_size.unwrap_or(size);
                    let prev_bbox = prev.bbox.unwrap_or_default();
                    let same_region = k > 0 && prev_ev.block == ev.block;
                    let short = prev_bbox[2] < prev_right - SHORT_LINE_EMS * prev_size;
                    let size_change = (prev_size - size).abs() > SIZE_CHANGE * size.max(prev_size);
                    let gap = baseline(line) - baseline(prev);
                    let wide_gap = same_region && pitch > 0.0 && gap > PARAGRAPH_GAP_RATIO * pitch;
                    let went_up = same_region && gap < 0.0;
                    short || size_change || wide_gap || went_up || indented || outdented
                }
            };
            if let Some((prev, prev_ev, prev_right, prev_column_right)) =
                previous.as_ref().filter(|_| !starts)
            {
                let slack = slack_ems(prev, prev_ev, *prev_right);
                let prev_size = prev.font_size.unwrap_or(10.0).max(1.0);
                let column_room = prev.bbox.map(|b| (prev_column_right - b[2]) / prev_size);
                wraps.push(Wrap {
                    page: page_index,
                    line: i,
                    evidence: wrap_evidence(prev, prev_ev, slack, line),
                    slack,
                    column_room,
                    next_word: (ev.first_word_width > 0.0).then(|| ev.first_word_width / size),
                });
            }
            let line = &mut lines[i];
            line.starts_paragraph = starts;
            line.joins_previous_word = None;
            let column_right = column_rights
                .iter()
                .find(|c| c.0 == line.column)
                .map_or(right, |c| c.1);
            previous = Some((line.clone(), ev, right, column_right));
        }
    }
    // Slack is measured with the fonts' advance widths; where they do not match the drawn
    // glyphs (OCR text layers, broken width tables) words fall apart into syllables, and
    // neither the slack nor a trailing space (OCR layers end every line with one) means
    // anything.
    let widths_trusted = words_look_whole(pages);
    // Where wrapped lines often leave room for the next line's first word, the room measured
    // from the fonts is not the room the writer saw (Hancom lays lines out with metrics of its
    // own: in its PDFs wraps inside words and at spaces leave the same ~2 ems). Room then
    // shows neither a word boundary nor the writer's habit, and only drawn spaces count. Such
    // a writer did not keep words whole either (a word that fitted went to the next line), so
    // the analyzer reads its other wraps as a writer's that breaks anywhere. So too where the
    // writer draws the space it broke at on some wraps but not on most (Hancom again): those
    // are the word boundaries it shows, and the wraps without one are mostly inside words.
    let room_measured = room_is_evidence(&wraps) && !draws_some_wrap_spaces(&wraps);
    if !room_measured {
        for wrap in &mut wraps {
            wrap.slack = None;
            wrap.column_room = None;
            wrap.evidence = wrap.evidence.filter(|e| *e == Evidence::DrawnSpace);
        }
    }
    let habit = match (widths_trusted, room_measured) {
        (false, _) => WrapHabit::Unknown,
        (true, true) => wrap_habit(&wraps),
        (true, false) => WrapHabit::Anywhere,
    };

    for wrap in wraps {
        let boundary = match habit {
            WrapHabit::AtSpaces => true,
            // A writer that breaks anywhere breaks at a space only when the next syllable
            // does not fit: a line with room for one (in its region, or by far in its column:
            // a stack of short labels makes a narrow region of its own) ended at a word
            // boundary.
            WrapHabit::Anywhere => {
                wrap.evidence.is_some()
                    || wrap.slack.is_some_and(|s| s >= ANYWHERE_ROOM_EMS)
                    || wrap
                        .column_room
                        .is_some_and(|r| r >= ANYWHERE_COLUMN_ROOM_EMS)
            }
            WrapHabit::Unknown => widths_trusted && wrap.evidence.is_some(),
        };
        if let Some(l) = pages[wrap.page].0.get_mut(wrap.line) {
            l.joins_previous_word = boundary.then_some(false);
        }
    }
    habit
}

/// Characters that can end a sentence or a heading line (`…이다.`, `…무엇인가?`, `…함`).
const SENTENCE_FINAL: &str = ".?!。:;…\"”’)]다음함임됨";

/// A line that reaches its column's right edge and stops mid-sentence: the next line
/// continues it, however far it is indented.
fn wraps_mid_sentence(line: &Line, right: f32) -> bool {
    let size = line.font_size.unwrap_or(10.0);
    let full = line
        .bbox
        .is_some_and(|b| b[2] >= right - SHORT_LINE_EMS * size);
    let last = line.text.trim_end().chars().last();
    full && last.is_some_and(|c| !SENTENCE_FINAL.contains(c))
}

/// Wraps inside paragraphs needed to judge a document's line-breaking rule.
const MIN_WRAPS_FOR_RULE: usize = 8;
/// Share of wraps leaving room for more than a syllable above which the writer breaks lines only
/// at spaces (Hancom's default, CSS `word-break: keep-all`): a writer that breaks anywhere fills
/// every line to within a syllable.
const ROOMY_WRAP_SHARE: f32 = 0.3;
const ROOMY_SLACK_EMS: f32 = 1.2;

/// A wrap inside a paragraph and what the glyphs say about it.
struct Wrap {
    page: usize,
    line: usize,
    evidence: Option<Evidence>,
    /// The room the line before leaves to its region's right edge at its natural width, in ems.
    slack: Option<f32>,
    /// The room the line before leaves to the rightmost body line of its page column, in ems.
    column_room: Option<f32>,
    /// The width of the wrapped line's first word, in ems of the line.
    next_word: Option<f32>,
}

/// Share of wraps leaving room for more than a syllable at or below which the writer breaks
/// lines anywhere (Chromium's default for Korean): lines are filled to within a syllable but
/// for the odd Latin word or number that cannot be broken.
const ANYWHERE_MAX_ROOMY_SHARE: f32 = 0.1;
/// In a document that breaks anywhere, a wrapped line leaving at least this many ems (a
/// syllable and some measuring error) ended at a word boundary.
const ANYWHERE_ROOM_EMS: f32 = 1.2;
/// …and a line leaving this many ems to the right edge of its page column (a box's padding
/// and a syllable leave less).
const ANYWHERE_COLUMN_ROOM_EMS: f32 = 4.0;

/// How the document's lines break, judged from how much room its wrapped lines leave.
fn wrap_habit(wraps: &[Wrap]) -> WrapHabit {
    let slacks: Vec<f32> = wraps.iter().filter_map(|w| w.slack).collect();
    if slacks.len() < MIN_WRAPS_FOR_RULE {
        return WrapHabit::Unknown;
    }
    let roomy = slacks.iter().filter(|&&s| s >= ROOMY_SLACK_EMS).count() as f32;
    let wraps = slacks.len() as f32;
    if roomy >= ROOMY_WRAP_SHARE * wraps {
        WrapHabit::AtSpaces
    } else if roomy <= ANYWHERE_MAX_ROOMY_SHARE * wraps {
        WrapHabit::Anywhere
    } else {
        WrapHabit::Unknown
    }
}

/// A wrapped line whose natural width leaves room for the next line's first word and this
/// many ems more (measuring error, a forbidden line-start mark) was not wrapped for want of
/// room.
const FIT_MARGIN_EMS: f32 = 0.5;
/// Share of wraps that left room for the next word above which the room measured is no
/// evidence (the writer laid the lines out with other widths).
const MAX_MISFIT_SHARE: f32 = 0.08;

/// Whether the room wrapped lines leave, as measured from the fonts' advances, is the room the
/// writer saw: a writer wraps a line because the next word (or syllable) does not fit, so few
/// wrapped lines leave room for the whole first word of the next line.
fn room_is_evidence(wraps: &[Wrap]) -> bool {
    let judged: Vec<(f32, f32)> = wraps
        .iter()
        .filter_map(|w| Some((w.slack?, w.next_word?)))
        .collect();
    if judged.len() < MIN_WRAPS_FOR_RULE {
        return true;
    }
    let misfits = judged
        .iter()
        .filter(|(slack, word)| *slack >= word + FIT_MARGIN_EMS)
        .count();
    misfits as f32 <= MAX_MISFIT_SHARE * judged.len() as f32
}

/// Share of wraps ending with a drawn space glyph over which the writer shows the spaces it
/// breaks at (Hancom: 18-50 % of wraps, nearly every wrap at a space; Chromium draws none)…
const SOME_DRAWN_SPACES: f32 = 0.15;
/// …and under which it breaks elsewhere too (a writer that draws every space it breaks at and
/// keeps words whole ends every wrap with one).
const MOST_DRAWN_SPACES: f32 = 0.8;

/// Whether the writer ends some of its wrapped lines, but not most, with a drawn space.
fn draws_some_wrap_spaces(wraps: &[Wrap]) -> bool {
    if wraps.len() < MIN_WRAPS_FOR_RULE {
        return false;
    }
    let drawn = wraps
        .iter()
        .filter(|w| w.evidence == Some(Evidence::DrawnSpace))
        .count() as f32;
    let share = drawn / wraps.len() as f32;
    (SOME_DRAWN_SPACES..MOST_DRAWN_SPACES).contains(&share)
}

/// A line whose natural width leaves at least this many ems to its column's right edge was
/// not broken inside a word (a syllable and a forbidden line-start mark would have fitted).
const WORD_BOUNDARY_SLACK_EMS: f32 = 2.2;

/// The room (in ems) the line `prev` leaves before its region's right edge at its natural
/// width; `None` without a natural width.
fn slack_ems(prev: &Line, prev_ev: &LineEvidence, prev_right: f32) -> Option<f32> {
    let size = prev.font_size.unwrap_or(10.0).max(1.0);
    let x0 = prev.bbox.map_or(0.0, |b| b[0]);
    (prev_ev.natural_width > 0.0).then(|| (prev_right - x0 - prev_ev.natural_width) / size)
}

/// Why a wrap is at a word boundary.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Evidence {
    /// The line ends with a drawn space glyph.
    DrawnSpace,
    /// The line leaves room for more than the next syllable.
    Room,
}

/// Glyph evidence that `line` does not continue the word `prev` ended with; `None` when the
/// glyphs cannot tell.
fn wrap_evidence(
    prev: &Line,
    prev_ev: &LineEvidence,
    slack: Option<f32>,
    line: &Line,
) -> Option<Evidence> {
    if prev.text.trim().is_empty() || line.text.trim().is_empty() {
        return None;
    }
    if prev_ev.ends_with_space_glyph {
        return Some(Evidence::DrawnSpace);
    }
    slack
        .filter(|&s| s >= WORD_BOUNDARY_SLACK_EMS)
        .map(|_| Evidence::Room)
}

/// Above this share of one-syllable Hangul words the words have fallen apart (Korean prose has
/// about one in eight).
const MAX_ONE_SYLLABLE_SHARE: f32 = 0.3;

/// Whether the body text's Hangul words look whole (few one-syllable words).
fn words_look_whole(pages: &[(Vec<Line>, Vec<LineEvidence>)]) -> bool {
    let (mut words, mut single) = (0usize, 0usize);
    for line in pages
        .iter()
        .flat_map(|p| &p.0)
        .filter(|l| l.role == LineRole::Body && l.table.is_none())
    {
        for word in line.text.split_whitespace() {
            let syllables = word
                .chars()
                .filter(|c| ('\u{AC00}'..='\u{D7A3}').contains(c))
                .count();
            if syllables > 0 {
                words += 1;
                if syllables == 1 && word.chars().count() == 1 {
                    single += 1;
                }
            }
        }
    }
    words == 0 || (single as f32) < MAX_ONE_SYLLABLE_SHARE * words as f32
}

/// Per region (block): its left edge, right edge and usual baseline-to-baseline pitch.
fn region_metrics(
    lines: &[Line],
    evidence: &[LineEvidence],
    body: &[usize],
) -> Vec<(u32, f32, f32, f32)> {
    let mut out: Vec<(u32, f32, f32, f32)> = Vec::new();
    let mut pitches: Vec<(u32, f32)> = Vec::new();
    let mut rights: Vec<(u32, f32)> = Vec::new();
    let mut last: Option<(u32, f32)> = None;
    for &i in body {
        let block = evidence[i].block;
        let Some(bbox) = lines[i].bbox else { continue };
        rights.push((block, bbox[2]));
        match out.iter_mut().find(|r| r.0 == block) {
            Some(r) => r.1 = r.1.min(bbox[0]),
            None => out.push((block, bbox[0], bbox[2], 0.0)),
        }
        if let Some((b, y)) = last {
            if b == block && bbox[3] > y {
                pitches.push((block, bbox[3] - y));
            }
        }
        last = Some((block, bbox[3]));
    }
    for region in &mut out {
        // The right edge most lines reach (a wider title or table does not move it).
        let mut edges: Vec<f32> = rights
            .iter()
            .filter(|r| r.0 == region.0)
            .map(|r| r.1)
            .collect();
        edges.sort_by(f32::total_cmp);
        if let Some(&edge) = edges.get(edges.len() * 3 / 4) {
            region.2 = edge;
        }
        let mut values: Vec<f32> = pitches
            .iter()
            .filter(|p| p.0 == region.0)
            .map(|p| p.1)
            .collect();
        if !values.is_empty() {
            values.sort_by(f32::total_cmp);
            region.3 = values[values.len() / 3];
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(text: &str, x0: f32, x1: f32, y: f32) -> Line {
        Line {
            text: text.to_string(),
            bbox: Some([x0, y - 10.0, x1, y]),
            font_size: Some(10.0),
            ..Line::default()
        }
    }

    fn evidence() -> LineEvidence {
        LineEvidence {
            block: 0,
            ends_with_space_glyph: false,
            natural_width: 0.0,
            first_word_width: 0.0,
        }
    }

    #[test]
    fn a_hanging_indent_under_an_answer_choice_continues_it() {
        // exam_two_column: choice ① fills the column and wraps its last syllable `다.` under
        // the hanging indent; choice ② starts back at the margin.
        let lines = vec![
            line(
                "윗글의 (가)와 (나)에 대한 설명으로 가장 적절한 것은?",
                57.0,
                287.0,
                100.0,
            ),
            line(
                "① (가)는 사전포럼의 목적을, (나)는 그 한계를 밝힌",
                68.0,
                286.0,
                116.0,
            ),
            line("다.", 79.0, 90.0, 132.0),
            line(
                "② (가)와 달리 (나)는 거버넌스의 성과를 제시한다.",
                68.0,
                280.0,
                148.0,
            ),
        ];
        let mut pages = vec![(lines, vec![evidence(); 4])];
        mark(&mut pages);
        let starts: Vec<bool> = pages[0].0.iter().map(|l| l.starts_paragraph).collect();
        assert!(!starts[2], "{starts:?}");
    }

    #[test]
    fn a_first_line_indent_after_a_finished_sentence_starts_a_paragraph() {
        // Sample lines 113-114 set full width: the sentence above ends, the next line is
        // indented and the one after it is back at the margin.
        let lines = vec![
            line(
                "자치구 생태계구축사업은 2012에 시작되면서 10년차에",
                57.0,
                287.0,
                100.0,
            ),
            line("도래하는 시기입니다.", 57.0, 286.0, 116.0),
            line(
                "현재 서울시와 민간전문가들이 모여 정책을 생산하는",
                68.0,
                287.0,
                132.0,
            ),
            line(
                "서울시사회적경제민관정책협의회에서 자치구 생태계",
                57.0,
                287.0,
                148.0,
            ),
        ];
        let mut pages = vec![(lines, vec![evidence(); 4])];
        mark(&mut pages);
        assert!(pages[0].0[2].starts_paragraph);
    }

    /// reg86712.pdf (`../shared/hwp-pairs`, printed by Hancom) page 10: its lines, the room
    /// each leaves at its natural width (in ems, as measured) and whether it fills the column.
    const HANCOM_LINES: [(&str, f32, bool); 16] = [
        (
            "ㅇ ｢노후계획도시정비법｣은 1기 신도시 등 노후계획도시를 광역적‧체계적",
            1.63,
            true,
        ),
        (
            "으로 정비하기 위하여 ‘24.4월부터 시행 중인 제도로서 사업구역별",
            2.87,
            true,
        ),
        (
            "행정계획인 특별정비계획 수립 지원을 위하여 하위 지침으로 ｢노후계",
            1.68,
            true,
        ),
        (
            "획도시 특별정비계획 수립 지침(’25.3 제정)｣을 제정하였는데, 이 법에",
            1.90,
            true,
        ),
        (
            "따른 최초 사업인 1기 신도시 선도지구 정비 추진을 위하여 해당 지",
            2.60,
            true,
        ),
        (
            "침에 따라 주민대표단 및 예비사업시행자 제도를 우선 도입하여 지원",
            1.85,
            true,
        ),
        ("하고 있고,", 0.0, false),
        (
            "ㅇ 정비사업 절차 개선, 계획 수립 지원 확대 등의 대책을 포함한 \"주택",
            1.87,
            true,
        ),
        (
            "공급확대방안(9.7)\" 후속 조치로 사업기간 단축 등을 위한 ｢노후계획",
            1.47,
            true,
        ),
        (
            "도시정비법｣이 개정(법률 제21322호, 2026. 2. 3. 공포, 2026. 8. 4. 시행)됨",
            2.29,
            true,
        ),
        (
            "에 따라 노후계획도시정비사업을 재개발·재건축 사업으로 추진하는",
            2.51,
            true,
        ),
        (
            "경우 특별정비계획과 사업시행계획을 동시에 수립할 수 있도록 하는",
            2.17,
            true,
        ),
        (
            "사업시행 특례를 마련함과 동시에 이를 실행하기 위하여 주민대표단,",
            1.88,
            true,
        ),
        (
            "예비사업시행자 제도를 법률로 상향 입법하고, 동의인정 특례 제도",
            2.88,
            true,
        ),
        ("등을 신설하였음.", 0.0, false),
        (
            "ㅇ 이에 법정 주민단체의 조기 설립을 목적으로 신설된 제도인 주민대표",
            2.46,
            true,
        ),
    ];

    /// The Hancom lines above, each leaving `room(slack, next first word)` ems.
    fn hancom_page(room: impl Fn(f32, f32) -> f32) -> Vec<(Vec<Line>, Vec<LineEvidence>)> {
        let (size, x0, right) = (14.04, 86.8, 538.6);
        let first_word = |text: &str| {
            text.split_whitespace()
                .next()
                .map_or(0, |w| w.chars().count())
        };
        let mut lines = Vec::new();
        let mut measured = Vec::new();
        for (k, &(text, slack, full)) in HANCOM_LINES.iter().enumerate() {
            let next_word = HANCOM_LINES.get(k + 1).map_or(0, |n| first_word(n.0)) as f32;
            let x1 = if full { right } else { x0 + 10.0 * size };
            let y = 100.0 + 24.0 * k as f32;
            lines.push(Line {
                text: text.to_string(),
                bbox: Some([x0, y - size, x1, y]),
                font_size: Some(size),
                ..Line::default()
            });
            measured.push(LineEvidence {
                natural_width: (right - x0) - room(slack, next_word) * size,
                first_word_width: first_word(text) as f32 * size,
                ..evidence()
            });
        }
        vec![(lines, measured)]
    }

    #[test]
    fn room_for_the_next_word_shows_the_fonts_do_not_measure_the_writers_lines() {
        // As measured, Hancom's wrapped lines leave ~2 ems, often room for the next line's
        // first word (`해당 지` / `침에`, `시행)됨` / `에`): they break between syllables,
        // and the room is no evidence.
        let mut pages = hancom_page(|slack, _| slack);
        assert_eq!(mark(&mut pages), WrapHabit::Anywhere);
        let wraps: Vec<Option<bool>> = pages[0]
            .0
            .iter()
            .filter(|l| !l.starts_paragraph)
            .map(|l| l.joins_previous_word)
            .collect();
        assert!(wraps.len() >= 12, "{wraps:?}");
        assert!(wraps.iter().all(Option::is_none), "{wraps:?}");
        // The same lines leaving that room but never room for the next word are a writer's
        // that keeps words whole: every wrap is at a space.
        let mut pages = hancom_page(|slack, next_word| slack.min(next_word - 0.6));
        assert_eq!(mark(&mut pages), WrapHabit::AtSpaces);
        assert!(pages[0]
            .0
            .iter()
            .filter(|l| !l.starts_paragraph)
            .all(|l| l.joins_previous_word == Some(false)));
    }

    #[test]
    fn a_writer_that_draws_the_space_at_some_wraps_shows_its_word_boundaries() {
        // The same Hancom lines leaving room as a writer that keeps words whole would, but
        // ending with a drawn space where Hancom drew one (`사업구역별 `, `이 법에 `,
        // `추진하는 `, `하는 `, `주민대표단, `, `특례 제도 `): those wraps are at spaces, the
        // others are left to the analyzer as a writer's that breaks anywhere.
        let drawn = [1, 3, 10, 11, 12, 13];
        let mut pages = hancom_page(|slack, next_word| slack.min(next_word - 0.6));
        for &k in &drawn {
            pages[0].1[k].ends_with_space_glyph = true;
        }
        assert_eq!(mark(&mut pages), WrapHabit::Anywhere);
        for (k, line) in pages[0].0.iter().enumerate().skip(1) {
            if line.starts_paragraph {
                continue;
            }
            let expected = drawn.contains(&(k - 1)).then_some(false);
            assert_eq!(line.joins_previous_word, expected, "{k}: {}", line.text);
        }
    }
}
