//! Which of the lines the segmenter took for headings head the document's outline, decided on
//! the evidence a document without section markers gives (reports, RFPs, regulatory
//! analyses): a heading is short, does not end a sentence and states no `label: value`; it
//! stands in the body, not on a sparse cover page and not inside a ruled box of several lines
//! (a quoted statute, a form); a document that numbers its headings numbers all of them; the
//! outline is at most [`MAX_DEPTH`] levels deep; a numbering that starts again with no heading
//! above it since opens a list. An entry of the document's TOC is a heading whatever its
//! length. Headings that fail become list items (keeping their marker) or paragraphs; numbered
//! one-line list items of the PDF path that pass become headings. The levels themselves are
//! learnt by `outline`, on the headings kept here.

use std::cell::RefCell;

use crate::document::BlockType;
use crate::model::{BBox, Line, LineRole, Page, Rule};

use super::blocks::Draft;
use super::outline::{self, learnable, scheme_of, scheme_of_marker, size_of, Scheme, LARGER_RATIO};
use super::rules::{FOOTNOTE_REFERENCE, LABEL_VALUE, SENTENCE_END, SENTENCE_GOES_ON};

/// A heading's title (after its marker) is at most this many characters, about one line of
/// an A4 page in body type: a numbered line that runs on is a clause (kps_ai.pdf: `가. 본 제안
/// 사업의 수행이 가능한 업체(공동이행포함)로서 다음 요건을 모두 갖춘 업체만 입찰 가능`).
const TITLE_MAX_CHARS: usize = 40;
/// Headings go at most this many levels deep (`Ⅰ.` › `1.` › `가.`); deeper numbering (`1)`,
/// `가)`, `(1)`) numbers the clauses of a section (kwater_rfp.pdf: `1) 사업기간 : …`).
pub const MAX_DEPTH: u8 = 3;
/// A document with at least this many numbered headings numbers its outline: a line that is a
/// heading by its type alone (a form's title, a table's `해당없음`) is not one of them.
const NUMBERED_OUTLINE_MIN: usize = 5;
/// A first page with at most this many body lines, in a document of at least
/// [`COVER_MIN_PAGES`] pages, is a cover (reg86712.pdf: title, `<목 차>`, signatures).
const COVER_MAX_LINES: usize = 12;
const COVER_MIN_PAGES: usize = 5;
/// A ruled box around at least this many lines holds boxed content (reg86712.pdf's quoted
/// statutes `1. 추진위원의 선임방법 및 변경` …, kps_ai.pdf's sample proposal outline); a box
/// around one title line is the title's decoration.
const BOX_MIN_LINES: usize = 3;
/// A box drawn at the same place on at least this share of the pages (and on three pages or
/// more) frames the page's text area (gov_mof_hydrogen_report.pdf), it is not a box.
const PAGE_FRAME_SHARE: f32 = 0.5;
const PAGE_FRAME_MIN_PAGES: usize = 3;
/// Two rulings this close (points) are at the same place.
const SAME_PLACE: f32 = 2.0;
/// A ruling this thin is a line, not a filled rectangle (points).
const RULE_THICKNESS: f32 = 3.0;
/// Slack when comparing a ruling with a text box (points).
const SLACK: f32 = 1.0;

/// Keeps the outline's headings and learns their levels (see the module head). Documents
/// whose sections open with markers (`[발제1]`) keep the rule table's headings and levels.
pub fn settle(drafts: &mut [Draft], lines: &[&Line], pages: &[Page]) {
    if drafts.iter().any(|d| d.mark.is_some()) {
        return;
    }
    let listed = toc_listed(drafts);
    let page = Pages::new(lines, pages);
    let alone: Vec<bool> = (0..drafts.len()).map(|i| !in_a_run(drafts, i)).collect();
    for ((d, listed), alone) in drafts.iter_mut().zip(&listed).zip(alone) {
        let candidate = learnable(d, lines) || (promotable(d, lines) && alone);
        if !candidate {
            continue;
        }
        let first = lines.get(d.first_line()).copied();
        let keep = *listed
            || (shaped_like_a_heading(title(d))
                && !first.is_some_and(|l| page.is_cover(l.page) || page.boxed(l)));
        match (d.kind, keep) {
            (BlockType::Heading, false) => demote(d),
            (BlockType::ListItem, true) => promote(d),
            _ => {}
        }
    }
    drop_unnumbered(drafts, lines, &listed);
    outline::learn_levels(drafts, lines);
    prune(drafts, lines, &listed);
}

/// A numbered list item of one PDF line (`나. 주요 네트워크 구성도`, `① 대안의 비교`) that the
/// segmenter put in a list: a heading when its shape says so.
fn promotable(d: &Draft, lines: &[&Line]) -> bool {
    d.kind == BlockType::ListItem
        && d.lines.len() == 1
        && d.speaker.is_none()
        && d.marker
            .as_deref()
            .and_then(scheme_of_marker)
            .is_some_and(|s| matches!(s, Scheme::Numbered(_)))
        && lines
            .get(d.first_line())
            .is_some_and(|l| l.bbox.is_some() && l.hint.is_none())
}

/// Whether the draft at `i` has a short list item of its own numbering scheme right before or
/// after it (furniture aside): then it is one of a list (so_sueop.pdf's answer key `30)
/// 1인칭관찰자`, `31) 그의 인생 역정`, …), not a heading standing over content. A long clause
/// beside it is content (kps_ai.pdf p.50: `다. 제출서류` after `나. 입찰 … 제출하여야 한다.`).
fn in_a_run(drafts: &[Draft], i: usize) -> bool {
    let scheme = |d: &Draft| d.marker.as_deref().and_then(scheme_of_marker);
    let Some(own) = scheme(&drafts[i]) else {
        return false;
    };
    let sibling = |d: &Draft| {
        d.kind == BlockType::ListItem && scheme(d) == Some(own) && shaped_like_a_heading(&d.text)
    };
    let content = |d: &&Draft| d.kind != BlockType::Furniture;
    drafts[..i].iter().rev().find(content).is_some_and(sibling)
        || drafts[i + 1..].iter().find(content).is_some_and(sibling)
}

/// The title a heading or item states, without its marker.
fn title(d: &Draft) -> &str {
    let text = d.text.trim();
    match (&d.kind, d.marker.as_deref()) {
        (BlockType::Heading, Some(m)) => text.strip_prefix(m).unwrap_or(text).trim(),
        _ => text,
    }
}

/// Whether a title reads as a heading: short, balanced, ending neither a sentence
/// (`라. 본 과업은 하도급을 불허한다.`, `해당없음`) nor in the middle of one, stating no
/// `label: value` (`가. 추진기간 : 6개월(계약일로부터 6개월)`).
pub fn shaped_like_a_heading(title: &str) -> bool {
    // Footnote references (`언어모델(LLM)1)`) are not the title's.
    let title = FOOTNOTE_REFERENCE.replace_all(title.trim(), "$before");
    let title = title.as_ref();
    let n = title.chars().count();
    n > 0
        && n <= TITLE_MAX_CHARS
        && !SENTENCE_END.is_match(title)
        && !SENTENCE_GOES_ON.is_match(title)
        && !LABEL_VALUE.is_match(title)
        && title.matches('(').count() == title.matches(')').count()
        && !title.ends_with([',', ':', '：'])
}

/// Letters and digits only: how a heading is compared with a TOC entry.
fn key(text: &str) -> String {
    text.chars().filter(|c| c.is_alphanumeric()).collect()
}

/// For each draft, whether the document's TOC lists it: its text is an entry's, or begins
/// with it (the body says more: `가. 시스템 장비구성 요구사항(Equipment Composition
/// Requirement)` for the entry `가. 시스템 장비구성 요구사항`).
fn toc_listed(drafts: &[Draft]) -> Vec<bool> {
    let entries: Vec<String> = drafts
        .iter()
        .flat_map(|d| &d.toc)
        .map(|t| key(&format!("{} {}", t.label.as_deref().unwrap_or(""), t.title)))
        .filter(|k| k.chars().count() >= 4)
        .collect();
    drafts
        .iter()
        .map(|d| {
            let text = match (&d.kind, d.marker.as_deref()) {
                (BlockType::ListItem, Some(m)) => format!("{m} {}", d.text),
                _ => d.text.clone(),
            };
            let k = key(&text);
            matches!(d.kind, BlockType::Heading | BlockType::ListItem)
                && entries.iter().any(|e| k.starts_with(e.as_str()))
        })
        .collect()
}

/// A heading that fails becomes a list item keeping its marker, or a paragraph.
fn demote(d: &mut Draft) {
    match d.marker.clone() {
        Some(marker) => {
            if d.kind == BlockType::Heading {
                if let Some(rest) = d.text.strip_prefix(marker.as_str()) {
                    let rest = rest.trim_start().to_string();
                    shift_emphasis(d, -((d.text.len() - rest.len()) as isize));
                    d.text = rest;
                }
            }
            d.kind = BlockType::ListItem;
            d.level = Some(1);
        }
        None => {
            d.kind = BlockType::Paragraph;
            d.level = None;
        }
    }
}

/// A numbered item that passes becomes a heading, its marker back in its text.
fn promote(d: &mut Draft) {
    let Some(marker) = d.marker.clone() else {
        return;
    };
    let text = format!("{marker} {}", d.text);
    shift_emphasis(d, (text.len() - d.text.len()) as isize);
    d.text = text;
    d.kind = BlockType::Heading;
}

/// Moves the emphasis spans (byte offsets) by `by`, dropping what falls before the text.
fn shift_emphasis(d: &mut Draft, by: isize) {
    d.emphasis = d
        .emphasis
        .iter()
        .map(|[s, e]| {
            let at = |x: usize| (x as isize + by).max(0) as usize;
            [at(*s), at(*e)]
        })
        .filter(|[s, e]| e > s)
        .collect();
}

/// In a document that numbers its outline, the headings by type alone that the TOC does not
/// list are paragraphs (kps_ai.pdf's form titles `일반현황 및 연혁`, reg86712.pdf's `해당없음`).
fn drop_unnumbered(drafts: &mut [Draft], lines: &[&Line], listed: &[bool]) {
    let schemes: Vec<Option<Scheme>> = drafts
        .iter()
        .map(|d| learnable(d, lines).then(|| scheme_of(d, lines)))
        .collect();
    let numbered = schemes
        .iter()
        .filter(|s| matches!(s, Some(Scheme::Numbered(_))))
        .count();
    if numbered < NUMBERED_OUTLINE_MIN {
        return;
    }
    // Set clearly larger than every numbered heading, it is a chapter's title over them
    // (book_pcasm_xelatex_168p.pdf: `시작하기 앞서서` at 20.7 pt over `1.1 기수법` at 13 pt).
    let largest_numbered = drafts
        .iter()
        .zip(&schemes)
        .filter(|(_, s)| matches!(s, Some(Scheme::Numbered(_))))
        .filter_map(|(d, _)| size_of(d, lines))
        .fold(0.0f32, f32::max);
    for ((d, scheme), listed) in drafts.iter_mut().zip(&schemes).zip(listed) {
        let chapter = size_of(d, lines)
            .is_some_and(|s| largest_numbered > 0.0 && s >= largest_numbered * LARGER_RATIO);
        if matches!(scheme, Some(Scheme::Typeset { .. })) && !listed && !chapter {
            demote(d);
        }
    }
}

/// The value a numbering marker counts: `3.` → 3, `1.2.` → 2, `Ⅲ.` → 3, `다.` → 3, `②` → 2,
/// `(4)` → 4; `None` for symbols.
pub fn value_of(marker: &str) -> Option<u32> {
    const ROMAN: &str = "ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ";
    const HANGUL: &str = "가나다라마바사아자차카타파하";
    const LATIN_ROMAN: [&str; 10] = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"];
    let core = marker.trim_matches(|c: char| matches!(c, '(' | ')' | '.' | ' '));
    let last = core.rsplit(['.', '-']).next().unwrap_or(core);
    if let Ok(n) = last.parse::<u32>() {
        return Some(n);
    }
    if let Some(i) = LATIN_ROMAN.iter().position(|r| *r == last) {
        return Some(i as u32 + 1);
    }
    let mut chars = last.chars();
    let (c, None) = (chars.next()?, chars.next()) else {
        return None;
    };
    let position = |table: &str| table.chars().position(|t| t == c).map(|i| i as u32 + 1);
    position(ROMAN)
        .or_else(|| position(HANGUL))
        .or_else(|| ('①'..='⑳').contains(&c).then(|| c as u32 - '①' as u32 + 1))
}

/// How far a scheme has counted since the last heading above it.
struct Count {
    scheme: Scheme,
    level: u8,
    /// The value of its last heading.
    heading: Option<u32>,
    /// The value of the last item of a list it opened by starting again.
    list: Option<u32>,
}

/// After the levels: headings deeper than [`MAX_DEPTH`] are list items, and so is a numbered
/// heading below the top that does not go on counting from its scheme's last heading since
/// the heading above it (kps_ai.pdf p.62: `1. 발주기관과의 …`, `2. …` after `6. 입찰서류 및
/// 제안서 제출안내`), with the numbers that continue the list it opens. The TOC's entries stay.
fn prune(drafts: &mut [Draft], lines: &[&Line], listed: &[bool]) {
    let top = drafts
        .iter()
        .filter(|d| learnable(d, lines))
        .filter_map(|d| d.level)
        .min()
        .unwrap_or(1);
    let mut counts: Vec<Count> = Vec::new();
    for (d, listed) in drafts.iter_mut().zip(listed) {
        if !learnable(d, lines) {
            continue;
        }
        let Some(level) = d.level else { continue };
        if level > top + MAX_DEPTH - 1 && !listed {
            demote(d);
            continue;
        }
        let scheme = scheme_of(d, lines);
        let value = d.marker.as_deref().and_then(value_of);
        let at = counts.iter().position(|c| c.scheme == scheme);
        if let (Some(v), Some(at), false) = (value, at, level == top || *listed) {
            let c = &mut counts[at];
            let behind = c.heading.is_some_and(|h| v <= h);
            let continues_list = c.list.is_some_and(|l| v == l + 1);
            if behind || continues_list {
                c.list = Some(v);
                demote(d);
                continue;
            }
        }
        let c = match at {
            Some(at) => &mut counts[at],
            None => {
                counts.push(Count {
                    scheme,
                    level,
                    heading: None,
                    list: None,
                });
                counts.last_mut().expect("just pushed")
            }
        };
        c.heading = value;
        c.list = None;
        c.level = level;
        // A heading restarts the count of every scheme below it.
        for c in counts.iter_mut().filter(|c| c.level > level) {
            c.heading = None;
            c.list = None;
        }
    }
}

/// The page facts the heading tests ask for: the cover and the ruled boxes.
struct Pages<'a> {
    lines: &'a [&'a Line],
    pages: &'a [Page],
    cover: Option<u32>,
    /// Boxes already asked about, and whether each frames the pages.
    frames: RefCell<Vec<(BBox, bool)>>,
}

impl<'a> Pages<'a> {
    fn new(lines: &'a [&'a Line], pages: &'a [Page]) -> Pages<'a> {
        let body = |p: &Page| {
            p.lines
                .iter()
                .filter(|l| l.role == LineRole::Body && !l.text.trim().is_empty())
                .count()
        };
        let cover = pages
            .first()
            .filter(|p| pages.len() >= COVER_MIN_PAGES && body(p) <= COVER_MAX_LINES)
            .map(|p| p.number);
        Pages {
            lines,
            pages,
            cover,
            frames: RefCell::new(Vec::new()),
        }
    }

    fn is_cover(&self, page: u32) -> bool {
        self.cover == Some(page)
    }

    /// Whether `line` stands inside a ruled box that holds [`BOX_MIN_LINES`] lines or more
    /// and is not the page's border.
    fn boxed(&self, line: &Line) -> bool {
        let (Some(bbox), Some(page)) =
            (line.bbox, self.pages.iter().find(|p| p.number == line.page))
        else {
            return false;
        };
        let Some(frame) = enclosing_box(&page.rules, bbox) else {
            return false;
        };
        if self.frames_the_pages(frame) {
            return false;
        }
        let inside = self
            .lines
            .iter()
            .filter(|l| l.page == line.page && l.role == LineRole::Body)
            .filter_map(|l| l.bbox)
            .filter(|b| {
                b[0] >= frame[0] - SLACK
                    && b[1] >= frame[1] - SLACK
                    && b[2] <= frame[2] + SLACK
                    && b[3] <= frame[3] + SLACK
            })
            .count();
        inside >= BOX_MIN_LINES
    }
}

impl Pages<'_> {
    /// Whether the box `frame` is drawn on most pages (a frame around the text area).
    fn frames_the_pages(&self, frame: BBox) -> bool {
        let near = |a: BBox, b: BBox| a.iter().zip(&b).all(|(x, y)| (x - y).abs() <= SAME_PLACE);
        if let Some((_, answer)) = self.frames.borrow().iter().find(|(f, _)| near(*f, frame)) {
            return *answer;
        }
        let drawn = |p: &Page| {
            let edge = |x0: f32, y0: f32, x1: f32, y1: f32| {
                p.rules.iter().any(|r| near(r.bbox, [x0, y0, x1, y1]))
            };
            let [x0, y0, x1, y1] = frame;
            edge(x0, y0, x1, y0)
                && edge(x0, y1, x1, y1)
                && edge(x0, y0, x0, y1)
                && edge(x1, y0, x1, y1)
        };
        let on = self.pages.iter().filter(|p| drawn(p)).count();
        let answer =
            on >= PAGE_FRAME_MIN_PAGES && on as f32 >= PAGE_FRAME_SHARE * self.pages.len() as f32;
        self.frames.borrow_mut().push((frame, answer));
        answer
    }
}

/// The box the page's rulings draw around `b`: the nearest vertical rulings left and right of
/// it and horizontal ones above and below it that span it.
fn enclosing_box(rules: &[Rule], b: BBox) -> Option<BBox> {
    let (mut left, mut top) = (None::<f32>, None::<f32>);
    let (mut right, mut bottom) = (None::<f32>, None::<f32>);
    for r in rules {
        let [x0, y0, x1, y1] = r.bbox;
        let vertical = (x1 - x0).abs() < RULE_THICKNESS && y1 - y0 > RULE_THICKNESS;
        let horizontal = (y1 - y0).abs() < RULE_THICKNESS && x1 - x0 > RULE_THICKNESS;
        if vertical && y0 <= b[1] + SLACK && y1 >= b[3] - SLACK {
            if x0 <= b[0] + SLACK {
                left = Some(left.map_or(x0, |l| l.max(x0)));
            } else if x0 >= b[2] - SLACK {
                right = Some(right.map_or(x0, |r| r.min(x0)));
            }
        }
        if horizontal && x0 <= b[0] + SLACK && x1 >= b[2] - SLACK {
            if y0 <= b[1] + SLACK {
                top = Some(top.map_or(y0, |t| t.max(y0)));
            } else if y0 >= b[3] - SLACK {
                bottom = Some(bottom.map_or(y0, |v| v.min(y0)));
            }
        }
    }
    let frame = [left?, top?, right?, bottom?];
    closed(rules, frame).then_some(frame)
}

/// Whether rulings draw all four sides of `frame` (the nearest rulings on each side may
/// belong to different boxes: a figure's bottom edge above, the page frame around).
fn closed(rules: &[Rule], [x0, y0, x1, y1]: BBox) -> bool {
    let side = |a: BBox| {
        rules.iter().any(|r| {
            let [rx0, ry0, rx1, ry1] = r.bbox;
            rx0 - SAME_PLACE <= a[0]
                && ry0 - SAME_PLACE <= a[1]
                && rx1 + SAME_PLACE >= a[2]
                && ry1 + SAME_PLACE >= a[3]
                && (rx1 - rx0).min(ry1 - ry0) < RULE_THICKNESS
        })
    };
    side([x0, y0, x1, y0])
        && side([x0, y1, x1, y1])
        && side([x0, y0, x0, y1])
        && side([x1, y0, x1, y1])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_titles_have_a_headings_shape_and_clauses_do_not() {
        // kps_ai.pdf, kwater_rfp.pdf, reg86712.pdf headings (after their markers).
        for title in [
            "사업개요",
            "전 직원이 생성형 AI 활용을 극대화할 수 있는 AI 서비스 기반 구축",
            "대기업 참여사항 및 상호출자제한기업집단 소속기업 참여제한 사항",
            "특별정비구역 제안 요건 등",
            "목적‧수단 간 비례적 타당성",
            "대안의 비교",
            "내부 설치형 언어모델(LLM)1) 및 검색증강생성(RAG)2)도입⋅적용",
        ] {
            assert!(shaped_like_a_heading(title), "{title}");
        }
        for clause in [
            // Too long: a clause that runs on.
            "본 제안 사업의 수행이 가능한 업체(공동이행포함)로서 다음 요건을 모두 갖춘 업체만 입찰 가능",
            // Ends a sentence.
            "본 과업은 하도급을 불허한다.",
            "해당없음",
            "것으로 판단됨",
            // Stops in the middle of one.
            "제안서의 모든 기재사항은 객관적으로 입증할 수 있는 관계서류를 첨부하여야 하며,",
            // States a value.
            "추진기간 : 6개월(계약일로부터 6개월)",
            // Cut inside a parenthesis.
            "「국토의 계획 및 이용에 관한 법률」에 따른 지구단위계획구역(법 제17조",
        ] {
            assert!(!shaped_like_a_heading(clause), "{clause}");
        }
    }

    #[test]
    fn markers_count_their_values() {
        for (marker, value) in [
            ("3.", Some(3)),
            ("10.", Some(10)),
            ("1.2.", Some(2)),
            ("2-3.", Some(3)),
            ("Ⅲ.", Some(3)),
            ("IV.", Some(4)),
            ("다.", Some(3)),
            ("나)", Some(2)),
            ("(4)", Some(4)),
            ("②", Some(2)),
            ("□", None),
        ] {
            assert_eq!(value_of(marker), value, "{marker}");
        }
    }

    fn line(text: &str, page: u32, y: f32) -> Line {
        Line {
            text: text.into(),
            page,
            bbox: Some([60.0, y, 300.0, y + 14.0]),
            font_size: Some(14.0),
            starts_paragraph: true,
            ..Line::default()
        }
    }

    fn heading(marker: Option<&str>, text: &str, at: usize) -> Draft {
        let mut d = Draft::new(BlockType::Heading, text.to_string(), vec![at]);
        d.marker = marker.map(str::to_string);
        d
    }

    fn page(number: u32, lines: Vec<Line>, rules: Vec<Rule>) -> Page {
        Page {
            number,
            width: 595.0,
            height: 842.0,
            lines,
            rules,
            tables: Vec::new(),
            facts: Default::default(),
            wrap_habit: Default::default(),
        }
    }

    /// The kinds and levels `settle` leaves for `(marker, text)` headings, one line each on
    /// page 2 of a six-page document.
    fn settled(texts: &[(Option<&str>, &str)], rules: Vec<Rule>) -> Vec<(BlockType, Option<u8>)> {
        let body: Vec<Line> = texts
            .iter()
            .enumerate()
            .map(|(i, (_, t))| line(t, 2, 60.0 + 20.0 * i as f32))
            .collect();
        let mut pages = vec![page(1, vec![line("표지", 1, 100.0)], Vec::new())];
        pages.push(page(2, body, rules));
        pages.extend((3..=6).map(|n| page(n, Vec::new(), Vec::new())));
        let lines: Vec<&Line> = pages.iter().flat_map(|p| &p.lines).collect();
        let mut drafts: Vec<Draft> = texts
            .iter()
            .enumerate()
            .map(|(i, (m, t))| heading(*m, t, i + 1))
            .collect();
        let cover = heading(None, "표지", 0);
        drafts.insert(0, cover);
        settle(&mut drafts, &lines, &pages);
        drafts[1..].iter().map(|d| (d.kind, d.level)).collect()
    }

    /// kwater_rfp.pdf's outline: `1.` › `1.1.` › `가.` are headings; `1)` and `가)` below them
    /// number clauses.
    #[test]
    fn the_outline_is_three_levels_deep() {
        let got = settled(
            &[
                (Some("1."), "1. 제안공모요강"),
                (Some("1.1."), "1.1. 일반사항"),
                (Some("가."), "가. 개요"),
                (Some("5)"), "5) 사업방향"),
                (Some("6)"), "6) 사업범위"),
                (Some("가)"), "가) 서버 클라우드 컴퓨팅 환경 구축"),
                (Some("나)"), "나) 데이터허브 구축"),
                (Some("나."), "나. 하도급"),
                (Some("1.2."), "1.2. 제안참가안내"),
                (Some("가."), "가. 제안참가신청"),
                (Some("2."), "2. 제안자를 위한 정보"),
            ],
            Vec::new(),
        );
        use BlockType::{Heading, ListItem};
        let item = (ListItem, Some(1));
        assert_eq!(
            got,
            [
                (Heading, Some(1)),
                (Heading, Some(2)),
                (Heading, Some(3)),
                item,
                item,
                item,
                item,
                (Heading, Some(3)),
                (Heading, Some(2)),
                (Heading, Some(3)),
                (Heading, Some(1)),
            ]
        );
    }

    /// kps_ai.pdf p.62: a form's `1.`, `2.` under `6. 입찰서류 및 제안서 제출안내`, with no
    /// chapter between, number a list; `7.` after them goes on counting the headings.
    #[test]
    fn a_numbering_that_starts_again_under_no_new_heading_is_a_list() {
        let got = settled(
            &[
                (Some("Ⅴ."), "Ⅴ. 사업자 선정 방안"),
                (Some("5."), "5. 기타사항"),
                (Some("6."), "6. 입찰서류 및 제안서 제출안내"),
                (Some("1."), "1. 발주자 및 구성원 전원이 동의하는 경우"),
                (Some("2."), "2. 공동수급체 구성원의 탈퇴"),
                (Some("7."), "7. 붙임 서식"),
                (Some("Ⅵ."), "Ⅵ. 기타"),
                (Some("1."), "1. 보안 특약"),
            ],
            Vec::new(),
        );
        let kinds: Vec<BlockType> = got.iter().map(|(k, _)| *k).collect();
        use BlockType::{Heading, ListItem};
        assert_eq!(
            kinds,
            [Heading, Heading, Heading, ListItem, ListItem, Heading, Heading, Heading]
        );
    }

    /// reg86712.pdf: headings by type alone in a numbered document, a clause in the outline's
    /// numbering and a cover line are no headings.
    #[test]
    fn numbered_documents_number_their_headings() {
        let got = settled(
            &[
                (Some("Ⅰ."), "Ⅰ. 규제의 필요성 및 대안선택"),
                (Some("1."), "1. 추진배경 및 정부개입 필요성"),
                (None, "해당없음"),
                (None, "별 첨 비용편익분석 상세내역"),
                (Some("2."), "2. 규제 대안 검토 및 선택"),
                (Some("3."), "3. 규제목표"),
                (
                    Some("4."),
                    "4. 토지등소유자의 비용부담을 수반하거나 권리ㆍ의무에 변동을 일으킬 수 있는 사항",
                ),
                (Some("Ⅱ."), "Ⅱ. 규제의 적정성"),
            ],
            Vec::new(),
        );
        use BlockType::{Heading, ListItem, Paragraph};
        let kinds: Vec<BlockType> = got.iter().map(|(k, _)| *k).collect();
        assert_eq!(
            kinds,
            [Heading, Heading, Paragraph, Paragraph, Heading, Heading, ListItem, Heading]
        );
        assert_eq!(got[0].1, Some(1));
        assert_eq!(got[1].1, Some(2));
    }

    /// reg86712.pdf p.19: statute clauses quoted in a ruled box are no headings; a box around
    /// one title line is the title's frame.
    #[test]
    fn boxed_clauses_are_no_headings() {
        let texts = [
            (Some("Ⅰ."), "Ⅰ. 규제의 필요성 및 대안선택"),
            (Some("1."), "1. 추진배경 및 정부개입 필요성"),
            (Some("2."), "2. 규제 대안 검토 및 선택"),
            (Some("3."), "3. 추진위원의 선임방법 및 변경"),
            (Some("4."), "4. 추진위원의 권리ㆍ의무"),
            (Some("5."), "5. 추진위원회의 업무범위"),
            (Some("3."), "3. 규제목표"),
            (Some("4."), "4. 비용편익 분석"),
            (Some("5."), "5. 종합결론"),
        ];
        // Lines sit at y = 60 + 20 i; the box spans lines 3 to 5.
        let edge = |bbox: BBox| Rule { bbox };
        let boxed = vec![
            edge([50.0, 115.0, 50.0, 180.0]),
            edge([400.0, 115.0, 400.0, 180.0]),
            edge([50.0, 115.0, 400.0, 115.0]),
            edge([50.0, 180.0, 400.0, 180.0]),
        ];
        use BlockType::{Heading, ListItem};
        let kinds = |rules: Vec<Rule>| -> Vec<BlockType> {
            settled(&texts, rules).iter().map(|(k, _)| *k).collect()
        };
        assert_eq!(
            kinds(boxed),
            [Heading, Heading, Heading, ListItem, ListItem, ListItem, Heading, Heading, Heading]
        );
        // The same box around the first heading alone leaves it a heading.
        let framed = vec![
            edge([50.0, 55.0, 50.0, 78.0]),
            edge([400.0, 55.0, 400.0, 78.0]),
            edge([50.0, 55.0, 400.0, 55.0]),
            edge([50.0, 78.0, 400.0, 78.0]),
        ];
        assert_eq!(kinds(framed)[0], Heading);
    }

    /// gov_mof_hydrogen_report.pdf draws a box around the text area of every page: the
    /// lines inside it are the page's, not a box's.
    #[test]
    fn a_box_on_every_page_is_the_page_frame() {
        let edge = |bbox: BBox| Rule { bbox };
        let frame = || {
            vec![
                edge([71.0, 113.0, 71.0, 785.0]),
                edge([524.0, 113.0, 524.0, 785.0]),
                edge([71.0, 113.0, 524.0, 113.0]),
                edge([71.0, 784.0, 524.0, 784.0]),
            ]
        };
        let texts = [
            "1) 배경 및 필요성",
            "□ 화석연료 사용 급증으로",
            "◦ 화석연료 사용으로",
        ];
        let lines_on = |n: u32| -> Vec<Line> {
            texts
                .iter()
                .enumerate()
                .map(|(i, t)| {
                    let y = 180.0 + 30.0 * i as f32;
                    Line {
                        bbox: Some([80.0, y, 400.0, y + 14.0]),
                        ..line(t, n, y)
                    }
                })
                .collect()
        };
        let boxed_first_line = |framed_pages: u32| {
            let pages: Vec<Page> = (1..=6)
                .map(|n| {
                    let rules = if n <= framed_pages {
                        frame()
                    } else {
                        Vec::new()
                    };
                    page(n, lines_on(n), rules)
                })
                .collect();
            let lines: Vec<&Line> = pages.iter().flat_map(|p| &p.lines).collect();
            Pages::new(&lines, &pages).boxed(lines[0])
        };
        assert!(boxed_first_line(1));
        assert!(!boxed_first_line(6));
        // p.13: a figure's box ends above the lines; with the page frame around them its
        // bottom edge makes no box.
        let mut rules = frame();
        rules.extend([
            edge([74.0, 100.0, 74.0, 170.0]),
            edge([521.0, 100.0, 521.0, 170.0]),
            edge([74.0, 100.0, 521.0, 100.0]),
            edge([74.0, 170.0, 521.0, 170.0]),
        ]);
        let pages = vec![page(1, lines_on(1), rules)];
        let lines: Vec<&Line> = pages.iter().flat_map(|p| &p.lines).collect();
        assert_eq!(
            enclosing_box(&pages[0].rules, [80.0, 180.0, 400.0, 194.0]),
            None
        );
        assert!(!Pages::new(&lines, &pages).boxed(lines[0]));
    }

    /// book_pcasm_xelatex_168p.pdf: a chapter title set far larger than the numbered sections
    /// under it stays a heading in a numbered document; a line at their size does not.
    #[test]
    fn a_chapter_title_set_larger_stays() {
        let texts: [(Option<&str>, &str, f32); 7] = [
            (None, "시작하기 앞서서", 20.7),
            (Some("1.1"), "1.1 기수법", 13.0),
            (Some("1.1.1"), "1.1.1 십진법", 13.0),
            (Some("1.1.2"), "1.1.2 이진법", 13.0),
            (None, "이 책을 쓴 이유", 13.0),
            (Some("1.2"), "1.2 컴퓨터의 구조", 13.0),
            (Some("1.2.1"), "1.2.1 메모리", 13.0),
        ];
        let body: Vec<Line> = texts
            .iter()
            .enumerate()
            .map(|(i, (_, t, size))| Line {
                font_size: Some(*size),
                ..line(t, 2, 60.0 + 30.0 * i as f32)
            })
            .collect();
        let pages = vec![page(2, body, Vec::new())];
        let lines: Vec<&Line> = pages.iter().flat_map(|p| &p.lines).collect();
        let mut drafts: Vec<Draft> = texts
            .iter()
            .enumerate()
            .map(|(i, (m, t, _))| heading(*m, t, i))
            .collect();
        settle(&mut drafts, &lines, &pages);
        let kinds: Vec<BlockType> = drafts.iter().map(|d| d.kind).collect();
        use BlockType::{Heading, Paragraph};
        assert_eq!(
            kinds,
            [Heading, Heading, Heading, Heading, Paragraph, Heading, Heading]
        );
    }

    /// A numbered item standing alone among the content is a heading (reg76076.pdf: `①
    /// 대안의 비교` over its table); items with siblings beside them are a list.
    #[test]
    fn a_lone_numbered_item_heads_and_a_run_is_a_list() {
        let items = [
            "① 대안의 비교",
            "② 이해관계자 의견수렴",
            "③ 대안의 선택 및 근거",
        ];
        let body: Vec<Line> = items
            .iter()
            .enumerate()
            .map(|(i, t)| line(t, 2, 60.0 + 30.0 * i as f32))
            .collect();
        let pages = vec![page(2, body, Vec::new())];
        let lines: Vec<&Line> = pages.iter().flat_map(|p| &p.lines).collect();
        let item = |i: usize| {
            let (marker, rest) = items[i].split_once(' ').expect("marker");
            let mut d = Draft::new(BlockType::ListItem, rest.to_string(), vec![i]);
            d.marker = Some(marker.to_string());
            d
        };
        let paragraph = |i: usize| Draft::new(BlockType::Paragraph, "표 1".into(), vec![i]);
        let mut apart = vec![item(0), paragraph(0), item(1), paragraph(1), item(2)];
        settle(&mut apart, &lines, &pages);
        assert_eq!(apart[0].kind, BlockType::Heading);
        assert_eq!(apart[0].text, "① 대안의 비교");
        assert_eq!(apart[4].kind, BlockType::Heading);
        let mut run = vec![item(0), item(1), item(2)];
        settle(&mut run, &lines, &pages);
        assert!(run.iter().all(|d| d.kind == BlockType::ListItem));
    }
}
