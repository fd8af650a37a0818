//! Block text from source lines: hard-wrapped lines joined (with a space, or without one when
//! the break falls inside a word), markdown emphasis (`**…**`) and PDF bold spans turned into
//! byte ranges, superscript spans turned into superscript digits (`¹`), HTML residue removed.

use crate::analyze::{Analyzer, Morpheme};
use crate::model::{Line, SpanKind};

use super::rules::{
    DEPENDENT_POS, EMPHASIS_MARK, HTML_TAG, LONE_PARTICLE, NOUN_LIKE, PARTICLE_OR_ENDING,
    SUPERSCRIPT_DIGITS, VERB_SUFFIX,
};
use super::usage::Usage;

/// Decides whether a line break between `before` and `after` falls inside a word.
pub type WordJoin<'a> = &'a dyn Fn(&str, &str) -> bool;

fn is_hangul(c: char) -> bool {
    ('\u{AC00}'..='\u{D7A3}').contains(&c)
}

/// The last two words of `text` and the first two words of the next line (context the
/// analyzer needs: `전략의` alone reads `의` as a noun, `가야` alone as a noun).
fn edge_words<'a>(before: &'a str, after: &'a str) -> (&'a str, &'a str) {
    let before = before.trim_end();
    let start = before
        .char_indices()
        .rev()
        .filter(|(_, c)| c.is_whitespace())
        .nth(1)
        .map_or(0, |(i, c)| i + c.len_utf8());
    let last = &before[start..];
    let after = after.trim_start();
    let end = after
        .char_indices()
        .filter(|(_, c)| c.is_whitespace())
        .nth(1)
        .map_or(after.len(), |(i, _)| i);
    (last, &after[..end])
}

/// Whether the break between two lines needs no space: the line's own glyph evidence when
/// the PDF engine gave one, else the analyzer's decision for a break before a Hangul syllable
/// after a Hangul syllable, a digit or a Latin letter (`TF`|`가`, `6`|`번`). Anything else
/// (punctuation at the break, Latin or digits after it) gets a space.
pub fn joins_without_space(before: &str, next: &Line, after: &str, join: WordJoin) -> bool {
    match join_query(before, next, after) {
        Ok((last, first)) => join(last, first),
        Err(decided) => decided,
    }
}

/// Whether the analyzer reads one word across the break between `before` and `after`
/// (`…응답한 사` / `항은 법적`), whatever the line's glyph evidence says: a paragraph split by a
/// page or column break continues where a word does.
pub fn word_crosses(before: &str, after: &str, join: WordJoin) -> bool {
    let (Some(b), Some(a)) = (
        before.trim_end().chars().last(),
        after.trim_start().chars().next(),
    ) else {
        return false;
    };
    if !((is_hangul(b) || b.is_ascii_alphanumeric()) && is_hangul(a)) {
        return false;
    }
    let (last, first) = edge_words(before, after);
    join(last, first)
}

/// What [`joins_without_space`] asks the analyzer for that break (the edge words), or the
/// decision it makes without asking.
pub fn join_query<'a>(
    before: &'a str,
    next: &Line,
    after: &'a str,
) -> Result<(&'a str, &'a str), bool> {
    if let Some(evidence) = next.joins_previous_word {
        return Err(evidence);
    }
    let (Some(b), Some(a)) = (before.chars().last(), after.chars().next()) else {
        return Err(false);
    };
    if !((is_hangul(b) || b.is_ascii_alphanumeric()) && is_hangul(a)) {
        return Err(false);
    }
    Ok(edge_words(before, after))
}

/// The analyzer's word-break decision for a line break between `before` (the last word of
/// a line) and `after` (the first words of the next), from the analysis of the joined form:
/// - a line that starts with a particle alone (`전략`|`의 수립`) continues the word above;
/// - a particle or an ending right after the break (`때문`+`에/JKB`, `바뀌면`+`서/EC`) is
///   inside a word;
/// - a noun suffix or the copula right after the break joins a noun before it
///   (`사회`+`적/XSN`, `시기`+`입니다/VCP`) but not a verb form, nor a whole word before a noun
///   of its own (`송반장`|`성과공유회` → `성/XSN`);
/// - 하다/되다 right after a noun (`설계`+`하/XSV`, `법인화`+`하/XSV`, `supervision`+`하/XSV`)
///   joins it: the genre does write some apart (`참여 하기보다는`, `발제 해보고자`), but in the
///   sample booklet joined forms outnumber spaced ones about thirty to one;
/// - a counter right after a number (`6`+`번/NNBC`) joins it;
/// - a morpheme across the break (`지속가`+`능한` → `가능`, `계`+`기로` → `계기`) is inside a
///   word when the joined reading is clearly cheaper than the spaced one (by
///   [`CROSSING_MIN_GAIN`]); re-readings such as `도봉구`|`민선5기` → `구민` gain less;
/// - otherwise the lines were wrapped at a space (`거버넌스`|`구축/NNG`).
pub fn analyzer_joins(analyzer: &Analyzer, before: &str, after: &str) -> bool {
    let first_word = after.split_whitespace().next().unwrap_or("");
    if LONE_PARTICLE.is_match(first_word) {
        return true;
    }
    let joined = format!("{before}{after}");
    let cut = before.len();
    // Only the tags of the morphemes at the cut are read.
    let mut morphemes = Vec::new();
    let joined_cost = analyzer.morphemes(&joined, &mut morphemes);
    let Some(at_cut) = morphemes.iter().find(|m| m.start <= cut && cut < m.end) else {
        return false;
    };
    if at_cut.start < cut {
        let spaced = analyzer.path_cost(&format!("{before} {after}"));
        return spaced - joined_cost >= CROSSING_MIN_GAIN;
    }
    let at_cut = analyzer.pos(at_cut);
    if PARTICLE_OR_ENDING.is_match(at_cut) {
        return true;
    }
    let before_cut = morphemes
        .iter()
        .rfind(|m| m.end == cut)
        .map(|m| analyzer.pos(m));
    if at_cut.starts_with("NNBC") && before_cut.is_some_and(|pos| pos.starts_with("SN")) {
        return true;
    }
    if !DEPENDENT_POS.is_match(at_cut) {
        return false;
    }
    if VERB_SUFFIX.is_match(at_cut) {
        return before_cut.is_some_and(|pos| NOUN_LIKE.is_match(pos) || pos.starts_with("XSN"));
    }
    let after_noun = before_cut.is_some_and(|pos| NOUN_LIKE.is_match(pos));
    if !after_noun {
        return false;
    }
    let last_word = before.split_whitespace().last().unwrap_or("");
    let whole_left = last_word.chars().filter(|c| c.is_alphabetic()).count() >= 2;
    !(whole_left && starts_with_a_noun(analyzer, first_word, &mut morphemes))
}

/// Whether `word` read alone starts with a noun of two or more characters.
fn starts_with_a_noun(analyzer: &Analyzer, word: &str, morphemes: &mut Vec<Morpheme>) -> bool {
    analyzer.morphemes(word, morphemes);
    morphemes.first().is_some_and(|m| {
        analyzer.pos(m).starts_with("NN")
            && word.get(m.start..m.end).unwrap_or("").chars().count() >= 2
    })
}

/// The decision in a document whose lines break anywhere (`WrapHabit::Anywhere`: Chromium's
/// default for Korean, Hancom's break by letter), where wraps that left room for a syllable
/// are already marked as word boundaries and most remaining wraps fall inside a word. Joins
/// where [`analyzer_joins`] does, and besides it:
/// - where the document writes the pair run on more often than apart inside its own lines
///   (`10년`|`차에` beside `10년차이면`): the analyzer reads both alike;
/// - a one-syllable noun right after a number (`1,2`|`기 센터의`): a unit or counter;
/// - where the joined reading is cheaper by [`ANYWHERE_MIN_GAIN`] (`자`|`치구`, `정보의비`|`대칭`,
///   `사회적`|`경제`): a wrap at a space gains nothing.
///
/// The rules are alternatives, so they are tried cheapest first: the document's own usage
/// (a table lookup) decides about three of four joins on the sample booklet before any
/// analysis, and the two-word cost comparison comes before the four-word analysis.
pub fn analyzer_joins_anywhere(
    analyzer: &Analyzer,
    usage: &Usage,
    before: &str,
    after: &str,
) -> bool {
    let last_word = before.split_whitespace().last().unwrap_or("");
    let usage_joins = after
        .trim_start()
        .chars()
        .next()
        .is_some_and(|next| is_hangul(next) && usage.mostly_joined(last_word, next));
    usage_joins
        || unit_after_number(analyzer, before, after)
        || analyzer
            .join_gain(before, after)
            .is_some_and(|gain| gain >= ANYWHERE_MIN_GAIN)
        || analyzer_joins(analyzer, before, after)
}

/// The least join gain that means a wrap inside a word where lines break anywhere; calibrated
/// on the sample booklet printed by Chromium: of its wraps at spaces (that left no room for a
/// syllable), 101 of 102 gain under 800 (`참여`|`하기` 3,000, spaced once in the booklet and
/// joined 14 times), of its wraps inside words 162 of 205 gain 3,000 or more, 26 between 1,000
/// and 3,000 (`사회적`|`경제` 1,826) and 17 compound seams under 700.
pub const ANYWHERE_MIN_GAIN: i64 = 1000;

/// Whether the line after a number starts with a one-syllable noun (`1,2`|`기`, `10`|`곳`):
/// a unit or counter, written joined to its digits.
fn unit_after_number(analyzer: &Analyzer, before: &str, after: &str) -> bool {
    if !before.trim_end().ends_with(|c: char| c.is_ascii_digit()) {
        return false;
    }
    let first_word = after.split_whitespace().next().unwrap_or("");
    let mut morphemes = Vec::new();
    analyzer.morphemes(first_word, &mut morphemes);
    morphemes.first().is_some_and(|m| {
        let surface = first_word.get(m.start..m.end).unwrap_or("");
        m.start == 0
            && analyzer.pos(m).starts_with("NN")
            && surface.chars().count() == 1
            && surface.chars().all(is_hangul)
    })
}

/// How much cheaper (in path cost) the joined reading must be than the spaced one for a
/// morpheme across a line break to count; calibrated on the PDF fixtures, where true breaks
/// inside words gain 3,450-20,000 and re-readings of two words 600-3,300.
pub const CROSSING_MIN_GAIN: i64 = 3400;

/// A line's text prepared for a block: superscript spans turned into superscript digits,
/// HTML residue removed, and the emphasis spans carried along (byte ranges into the result).
pub fn prepare_line(line: &Line) -> (String, Vec<[usize; 2]>) {
    let raw = line.text.as_str();
    let mut out = String::with_capacity(raw.len());
    let mut map = vec![0usize; raw.len() + 1];
    for (i, c) in raw.char_indices() {
        map[i] = out.len();
        let superscript = line
            .spans
            .iter()
            .any(|s| s.kind == SpanKind::Superscript && s.start <= i && i < s.end);
        match c.to_digit(10) {
            Some(d) if superscript => out.push(SUPERSCRIPT_DIGITS[d as usize]),
            _ => out.push(c),
        }
        for slot in &mut map[i + 1..i + c.len_utf8()] {
            *slot = out.len();
        }
    }
    map[raw.len()] = out.len();
    let mut emphasis: Vec<[usize; 2]> = line
        .spans
        .iter()
        .filter(|s| s.kind == SpanKind::Emphasis && s.start < s.end && s.end <= raw.len())
        .map(|s| [map[s.start], map[s.end]])
        .collect();
    if HTML_TAG.is_match(&out) {
        out = HTML_TAG.replace_all(&out, " ").into_owned();
        out = out.split_whitespace().collect::<Vec<_>>().join(" ");
        emphasis.clear();
    }
    (out, emphasis)
}

/// Builds one block's text from its lines.
#[derive(Debug, Default)]
pub struct TextBuilder {
    pub text: String,
    pub emphasis: Vec<[usize; 2]>,
}

impl TextBuilder {
    /// Appends a line, joined to what came before as a wrapped line of the same paragraph.
    pub fn push_wrapped(&mut self, line: &Line, join: WordJoin) {
        let (text, emphasis) = prepare_line(line);
        self.push_text(&text, &emphasis, Some(line), join);
    }

    /// Appends already prepared text, joined as a wrapped continuation.
    pub fn push_text(
        &mut self,
        text: &str,
        emphasis: &[[usize; 2]],
        line: Option<&Line>,
        join: WordJoin,
    ) {
        let lead = text.len() - text.trim_start().len();
        let piece = text.trim();
        if piece.is_empty() {
            return;
        }
        if !self.text.is_empty() {
            let glue = match line {
                Some(l) => !joins_without_space(&self.text, l, piece, join),
                None => true,
            };
            if glue {
                self.text.push(' ');
            }
        }
        let base = self.text.len();
        self.text.push_str(piece);
        for [s, e] in emphasis {
            let s = s.saturating_sub(lead).min(piece.len());
            let e = e.saturating_sub(lead).min(piece.len());
            if s < e {
                self.emphasis.push([base + s, base + e]);
            }
        }
    }

    /// Finishes the text: markdown emphasis markers removed and remembered as ranges.
    pub fn finish(self) -> (String, Vec<[usize; 2]>) {
        strip_markdown_emphasis(&self.text, &self.emphasis)
    }
}

/// Removes `**` markers from `text`, returning the text and the emphasised byte ranges (the
/// given ranges moved to the new offsets, plus one per `**…**` pair). An unpaired marker is
/// dropped.
pub fn strip_markdown_emphasis(text: &str, existing: &[[usize; 2]]) -> (String, Vec<[usize; 2]>) {
    if !text.contains(EMPHASIS_MARK) {
        return (text.to_string(), existing.to_vec());
    }
    let positions: Vec<usize> = text.match_indices(EMPHASIS_MARK).map(|(i, _)| i).collect();
    let mut out = String::with_capacity(text.len());
    let mut removed_before = Vec::with_capacity(positions.len());
    let mut last = 0;
    for &p in &positions {
        if p < last {
            continue; // `***` overlaps
        }
        out.push_str(&text[last..p]);
        removed_before.push((p, out.len()));
        last = p + EMPHASIS_MARK.len();
    }
    out.push_str(&text[last..]);
    let shift = |offset: usize| -> usize {
        let removed = removed_before.iter().filter(|(p, _)| *p < offset).count();
        offset.saturating_sub(removed * EMPHASIS_MARK.len())
    };
    let mut emphasis: Vec<[usize; 2]> = existing
        .iter()
        .map(|[s, e]| [shift(*s), shift(*e)])
        .collect();
    for pair in removed_before.chunks(2) {
        if let [(_, start), (_, end)] = pair {
            let (start, end) = trim_range(&out, *start, *end);
            if start < end {
                emphasis.push([start, end]);
            }
        }
    }
    // A sentence that lost its markers may now carry doubled spaces; keep offsets valid by
    // leaving the text as is apart from trimming.
    emphasis.sort_unstable();
    (out, emphasis)
}

fn trim_range(text: &str, start: usize, end: usize) -> (usize, usize) {
    let slice = &text[start..end];
    let s = start + (slice.len() - slice.trim_start().len());
    let e = end - (slice.len() - slice.trim_end().len());
    (s, e.max(s))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::LineSpan;

    #[test]
    fn wrapped_prose_joins_with_a_space_at_word_breaks() {
        let mut b = TextBuilder::default();
        let never = |_: &str, _: &str| false;
        b.push_wrapped(
            &Line::with_text("자치구 사회적경제 생태계 권역별로 진행한"),
            &never,
        );
        b.push_wrapped(
            &Line::with_text("사전포럼 과정을 통해 자치구 생태계 구축의"),
            &never,
        );
        let (text, _) = b.finish();
        assert_eq!(
            text,
            "자치구 사회적경제 생태계 권역별로 진행한 사전포럼 과정을 통해 자치구 생태계 구축의"
        );
    }

    #[test]
    fn a_break_inside_a_word_joins_without_a_space() {
        // Lines 96-97 of the sample if the break had fallen inside `도래하는`.
        let mut b = TextBuilder::default();
        // The decision sees the words around the break: `10년차에 도래` | `하는 시기입니다.`.
        let inside =
            |before: &str, after: &str| before == "10년차에 도래" && after == "하는 시기입니다.";
        b.push_wrapped(&Line::with_text("10년차에 도래"), &inside);
        b.push_wrapped(&Line::with_text("하는 시기입니다."), &inside);
        assert_eq!(b.finish().0, "10년차에 도래하는 시기입니다.");
    }

    #[test]
    fn glyph_evidence_wins_over_the_analyzer() {
        let mut b = TextBuilder::default();
        let always = |_: &str, _: &str| true;
        b.push_wrapped(&Line::with_text("지역 사회적경제"), &always);
        let mut next = Line::with_text("연대");
        next.joins_previous_word = Some(false);
        b.push_wrapped(&next, &always);
        assert_eq!(b.finish().0, "지역 사회적경제 연대");
    }

    #[test]
    fn markdown_emphasis_is_removed_and_remembered() {
        let (text, emphasis) =
            strip_markdown_emphasis("■ **성과1.** 24개 자치구 사회적경제 생태계 기반 조성", &[]);
        assert_eq!(text, "■ 성과1. 24개 자치구 사회적경제 생태계 기반 조성");
        assert_eq!(emphasis.len(), 1);
        let [s, e] = emphasis[0];
        assert_eq!(&text[s..e], "성과1.");
        // An unpaired trailing marker (sample line 1242) is just dropped.
        let (text, emphasis) = strip_markdown_emphasis(
            "1. 사회적경제의 사회적 가치가 제대로 평가되지 못하고 있다.**",
            &[],
        );
        assert_eq!(
            text,
            "1. 사회적경제의 사회적 가치가 제대로 평가되지 못하고 있다."
        );
        assert!(emphasis.is_empty());
    }

    #[test]
    fn superscript_spans_become_superscript_digits() {
        let mut l = Line::with_text("운영 중에 있음1. 또한");
        let at = l.text.find('1').expect("digit");
        l.spans.push(LineSpan {
            start: at,
            end: at + 1,
            kind: SpanKind::Superscript,
        });
        assert_eq!(prepare_line(&l).0, "운영 중에 있음¹. 또한");
    }

    #[test]
    fn html_residue_is_removed_from_lines() {
        let l = Line::with_text(
            r#"<p>사회경제적 인식개선</p> <ul style="list-style-type: none"> • 다양한 수준의 여가데이"#,
        );
        assert_eq!(
            prepare_line(&l).0,
            "사회경제적 인식개선 • 다양한 수준의 여가데이"
        );
    }
}
