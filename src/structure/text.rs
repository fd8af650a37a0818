//! Block text from source lines: hard-wrapped lines joined (with a space, or without one when
//! the break falls inside a word), markdown emphasis (`**…**`) and PDF bold spans turned into
//! byte ranges, superscript spans turned into superscript digits (`¹`), HTML residue removed.

use crate::analyze::Analyzer;
use crate::model::{Line, SpanKind};

use super::rules::{DEPENDENT_POS, EMPHASIS_MARK, HTML_TAG, SUPERSCRIPT_DIGITS};

/// Decides whether a line break between `before` and `after` falls inside a word.
pub type WordJoin<'a> = &'a dyn Fn(&str, &str) -> bool;

fn is_hangul(c: char) -> bool {
    ('\u{AC00}'..='\u{D7A3}').contains(&c)
}

/// The last word of `text` and the first word of the next line, as the analyzer sees them.
fn edge_words<'a>(before: &'a str, after: &'a str) -> (&'a str, &'a str) {
    let last = before.rsplit(char::is_whitespace).next().unwrap_or(before);
    let first = after.split(char::is_whitespace).next().unwrap_or(after);
    (last, first)
}

/// Whether the break between two lines needs no space: the line's own glyph evidence when
/// the PDF engine gave one, else the analyzer's decision for a break between two Hangul
/// syllables. Anything else (punctuation, Latin, digits at the break) gets a space.
pub fn joins_without_space(before: &str, next: &Line, after: &str, join: WordJoin) -> bool {
    if let Some(evidence) = next.joins_previous_word {
        return evidence;
    }
    let (Some(b), Some(a)) = (before.chars().last(), after.chars().next()) else {
        return false;
    };
    if !(is_hangul(b) && is_hangul(a)) {
        return false;
    }
    let (last, first) = edge_words(before, after);
    join(last, first)
}

/// The analyzer's word-break decision for a line break between `before` and `after` (the
/// words touching the break), from the analysis of the joined form:
/// - the first morpheme after the break cannot start a word (`때문`+`에/JKB`,
///   `사회`+`적/XSN`, `도래`+`하/XSV`), or a morpheme crosses the break (`지속가`+`능한` →
///   `가능`, `시기입`+`니다` → `입니다`, `계`+`기로` → `계기`): inside a word;
/// - except when that morpheme takes one syllable from a whole word after a whole word
///   before (`도봉구`|`민선5기` → `구민`, `송반장`|`성과공유회` → `성/XSN`): the joined form
///   only re-reads as other words;
/// - otherwise the lines were wrapped at a space (`거버넌스`|`구축/NNG`).
pub fn analyzer_joins(analyzer: &Analyzer, before: &str, after: &str) -> bool {
    let joined = format!("{before}{after}");
    let cut = before.len();
    let Ok(analysis) = analyzer.analyze(&joined) else {
        return false;
    };
    // The morpheme that takes the first syllables after the break.
    let Some(at_cut) = analysis
        .tokens
        .iter()
        .find(|t| t.start <= cut && cut < t.end)
    else {
        return false;
    };
    let crosses = at_cut.start < cut;
    let dependent = at_cut.start == cut && DEPENDENT_POS.is_match(&at_cut.pos);
    if !(crosses || dependent) {
        return false;
    }
    // A re-reading that takes a single syllable from a whole word on each side
    // (`도봉구`|`민선5기` → `구민`, `송반장`|`성과공유회` → `성/XSN`) does not count when the
    // text after the break starts with a noun of its own.
    let taken = joined
        .get(cut..at_cut.end.min(joined.len()))
        .map_or(0, |t| t.chars().count());
    let whole_left = before.chars().filter(|c| c.is_alphabetic()).count() >= 2;
    if taken <= 1 && whole_left {
        let noun_after = analyzer.analyze(after).is_ok_and(|a| {
            a.tokens
                .first()
                .is_some_and(|t| t.pos.starts_with("NN") && t.text.chars().count() >= 2)
        });
        if noun_after {
            return false;
        }
    }
    true
}

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

    fn line(text: &str) -> Line {
        Line {
            text: text.into(),
            ..Line::default()
        }
    }

    #[test]
    fn wrapped_prose_joins_with_a_space_at_word_breaks() {
        let mut b = TextBuilder::default();
        let never = |_: &str, _: &str| false;
        b.push_wrapped(&line("자치구 사회적경제 생태계 권역별로 진행한"), &never);
        b.push_wrapped(&line("사전포럼 과정을 통해 자치구 생태계 구축의"), &never);
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
        let inside = |before: &str, after: &str| before == "도래" && after == "하는";
        b.push_wrapped(&line("10년차에 도래"), &inside);
        b.push_wrapped(&line("하는 시기입니다."), &inside);
        assert_eq!(b.finish().0, "10년차에 도래하는 시기입니다.");
    }

    #[test]
    fn glyph_evidence_wins_over_the_analyzer() {
        let mut b = TextBuilder::default();
        let always = |_: &str, _: &str| true;
        b.push_wrapped(&line("지역 사회적경제"), &always);
        let mut next = line("연대");
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
        let mut l = line("운영 중에 있음1. 또한");
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
        let l = line(
            r#"<p>사회경제적 인식개선</p> <ul style="list-style-type: none"> • 다양한 수준의 여가데이"#,
        );
        assert_eq!(
            prepare_line(&l).0,
            "사회경제적 인식개선 • 다양한 수준의 여가데이"
        );
    }
}
