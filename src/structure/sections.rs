//! The section tree: sections opened by markers in the body (presentations, appendices,
//! regional forums), sections the TOC lists but the body never heads (the sample's
//! discussions) placed where they really start, front matter and colophon; TOC entries
//! linked to their sections; forums nested under their appendix.

use std::sync::LazyLock;

use regex::Regex;

use crate::document::{BlockType, SectionKind, Speaker};
use crate::model::{Line, LineRole};

use super::blocks::Draft;
use super::rules::{DISCUSSION_CUE, HEADING_MAX_CHARS, POLITE_REGISTER, SENTENCE_END, TOC_HEADING};
use super::speakers;
use super::toc::TocItem;

/// A section before it gets an id: where it starts (a draft index) and what it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub start: usize,
    pub kind: SectionKind,
    pub label: Option<String>,
    pub title: Option<String>,
    pub speakers: Vec<Speaker>,
    /// The printed page (text path: from the TOC or estimated; PDF path: the PDF page).
    pub page: Option<u32>,
    pub level: u8,
    /// Index into the TOC entries linked to this section.
    pub toc: Vec<usize>,
    /// How a section missing from the body was placed.
    pub located_by: Option<String>,
}

impl Plan {
    fn new(start: usize, kind: SectionKind) -> Plan {
        Plan {
            start,
            kind,
            label: None,
            title: None,
            speakers: Vec::new(),
            page: None,
            level: 1,
            toc: Vec::new(),
            located_by: None,
        }
    }
}

/// Where a draft sits for page arithmetic: its first source line (text path) or its index.
fn position(draft: &Draft, lines: &[&Line]) -> f64 {
    let first = draft.first_line();
    lines
        .get(first)
        .and_then(|l| l.source_line)
        .map_or(first as f64, |s| s as f64)
}

/// Printed page numbers along the document, from the standalone page-number lines the body
/// carries (`28` between two pages of the booklet), from sections whose TOC page is known and,
/// when those are too few, from the PDF's own page-number furniture.
#[derive(Debug, Clone)]
pub struct PageMap {
    /// `(position, printed page starting there)`, increasing in both.
    anchors: Vec<(f64, f64)>,
    /// PDF input: a section's own page is its PDF page.
    pdf: bool,
}

impl PageMap {
    pub fn build(drafts: &[Draft], lines: &[&Line], linked: &[(usize, u32)]) -> PageMap {
        let pdf = lines.iter().any(|l| l.bbox.is_some());
        let is_furniture_role = |d: &Draft| {
            lines
                .get(d.first_line())
                .is_some_and(|l| l.role != LineRole::Body)
        };
        // Numbers standing alone in the body close the page they end.
        let mut anchors: Vec<(f64, f64)> = drafts
            .iter()
            .filter(|d| !is_furniture_role(d))
            .filter_map(|d| Some((position(d, lines) + 0.5, d.page_number? as f64 + 1.0)))
            .collect();
        for (start, page) in linked {
            if let Some(d) = drafts.get(*start) {
                anchors.push((position(d, lines), *page as f64));
            }
        }
        if anchors.len() < 2 {
            // The PDF's page-number furniture: the page it sits on starts at its first line.
            for d in drafts.iter().filter(|d| is_furniture_role(d)) {
                let (Some(n), Some(line)) = (d.page_number, lines.get(d.first_line())) else {
                    continue;
                };
                let first = lines.iter().position(|l| l.page == line.page).unwrap_or(0);
                anchors.push((first as f64, n as f64));
            }
        }
        anchors.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut monotone: Vec<(f64, f64)> = Vec::new();
        for a in anchors {
            if monotone
                .last()
                .is_none_or(|last| a.1 > last.1 && a.0 > last.0)
            {
                monotone.push(a);
            }
        }
        PageMap {
            anchors: monotone,
            pdf,
        }
    }

    /// The estimated position of the start of printed page `page`, and the positions one
    /// page spans there.
    pub fn locate(&self, page: u32) -> Option<(f64, f64)> {
        let anchors = &self.anchors;
        let p = page as f64;
        if anchors.len() < 2 {
            return None;
        }
        let pair = anchors
            .windows(2)
            .find(|w| w[0].1 <= p && p <= w[1].1)
            .map(|w| (w[0], w[1]))
            .unwrap_or_else(|| {
                if p < anchors[0].1 {
                    (anchors[0], anchors[1])
                } else {
                    (anchors[anchors.len() - 2], anchors[anchors.len() - 1])
                }
            });
        let ((x0, p0), (x1, p1)) = pair;
        let per_page = (x1 - x0) / (p1 - p0);
        Some((x0 + (p - p0) * per_page, per_page.max(1.0)))
    }

    /// A section's page when the TOC gives none: its PDF page, or (text path) the printed
    /// page between two anchors (past the last one the page is unknown).
    pub fn page_at(&self, draft: &Draft, lines: &[&Line]) -> Option<u32> {
        if self.pdf {
            return lines.get(draft.first_line()).map(|l| l.page);
        }
        let x = position(draft, lines);
        let w = self
            .anchors
            .windows(2)
            .find(|w| w[0].0 <= x && x < w[1].0)?;
        let ((x0, p0), (x1, p1)) = (w[0], w[1]);
        Some((p0 + (x - x0) * (p1 - p0) / (x1 - x0)).floor().max(1.0) as u32)
    }
}

/// Evidence weights for placing a section the body never heads.
const WEIGHT_NAME: f64 = 5.0;
const WEIGHT_CUE: f64 = 3.0;
const WEIGHT_AFFILIATION: f64 = 2.0;
const WEIGHT_REGISTER: f64 = 2.0;
/// Score lost per page of distance from where the TOC page puts the section.
const DISTANCE_PER_PAGE: f64 = 1.0;
/// Blocks shorter than this, not ending a sentence, are slide titles and lead-ins.
const LEAD_IN_MAX_CHARS: usize = 80;

fn startable(d: &Draft) -> bool {
    d.mark.is_none()
        && matches!(
            d.kind,
            BlockType::Paragraph | BlockType::Heading | BlockType::ListItem | BlockType::Byline
        )
}

fn prose(d: &Draft) -> bool {
    matches!(d.kind, BlockType::Paragraph | BlockType::ListItem) && d.text.chars().count() >= 20
}

/// Places a section listed in the TOC but never headed in the body between `lo` (exclusive)
/// and `hi` (exclusive): near the TOC page, where the speaker's name, their affiliation, a
/// discussant's words (`토론문`) or the change to the spoken register first show, then moved
/// back over the slide titles that open the talk.
pub fn place_missing(
    item: &TocItem,
    drafts: &[Draft],
    lines: &[&Line],
    map: &PageMap,
    lo: usize,
    hi: usize,
) -> Option<(usize, String)> {
    let estimate = item.page.and_then(|p| map.locate(p));
    let name = item.speakers.first().map(|s| s.name.clone());
    let head = item
        .speakers
        .first()
        .and_then(|s| s.affiliation.as_deref())
        .and_then(speakers::affiliation_head);
    // Evidence counts fully in the block itself and half as much for each block further on,
    // so the block that carries it wins over the one before it.
    let offset_of = |d: usize, span: usize, hit: &dyn Fn(&str) -> bool| -> Option<usize> {
        (d..(d + span).min(hi)).position(|k| hit(&drafts[k].text))
    };
    let decay = |k: usize| 0.5f64.powi(k as i32);
    let mut best: Option<(f64, usize, Vec<String>)> = None;
    for d in lo + 1..hi {
        if !startable(&drafts[d]) {
            continue;
        }
        let mut score = 0.0;
        let mut why = Vec::new();
        if let Some(n) = &name {
            if let Some(k) = offset_of(d, 4, &|t: &str| t.contains(n.as_str())) {
                score += WEIGHT_NAME * decay(k);
                why.push(format!("speaker name '{n}'"));
            }
        }
        if let Some(k) = offset_of(d, 2, &|t: &str| DISCUSSION_CUE.is_match(t)) {
            let word = DISCUSSION_CUE
                .find(&drafts[d + k].text)
                .map_or("", |m| m.as_str());
            score += WEIGHT_CUE * decay(k);
            why.push(format!("discussant's word '{word}'"));
        }
        if let Some(h) = &head {
            if let Some(k) = offset_of(d, 2, &|t: &str| t.contains(h.as_str())) {
                score += WEIGHT_AFFILIATION * decay(k);
                why.push(format!("affiliation '{h}'"));
            }
        }
        if prose(&drafts[d]) && POLITE_REGISTER.is_match(&drafts[d].text) {
            let before: Vec<&Draft> = drafts[lo + 1..d]
                .iter()
                .rev()
                .filter(|x| prose(x))
                .take(3)
                .collect();
            if !before.is_empty() && before.iter().all(|x| !POLITE_REGISTER.is_match(&x.text)) {
                score += WEIGHT_REGISTER;
                why.push("spoken register begins".to_string());
            }
        }
        if why.is_empty() {
            continue;
        }
        if let Some((x, per_page)) = estimate {
            let pages = (position(&drafts[d], lines) - x).abs() / per_page;
            score -= pages * DISTANCE_PER_PAGE;
        }
        if best.as_ref().is_none_or(|b| score > b.0) {
            best = Some((score, d, why));
        }
    }
    let (anchor, mut why) = match best {
        Some((_, d, why)) => (d, why),
        None => {
            let (x, _) = estimate?;
            let d = (lo + 1..hi)
                .filter(|&d| startable(&drafts[d]))
                .min_by(|&a, &b| {
                    let da = (position(&drafts[a], lines) - x).abs();
                    let db = (position(&drafts[b], lines) - x).abs();
                    da.total_cmp(&db)
                })?;
            (d, vec!["TOC page only".to_string()])
        }
    };
    let mut start = anchor;
    while start > lo + 1 {
        let prev = &drafts[start - 1];
        let lead_in = match prev.kind {
            BlockType::Furniture => true,
            BlockType::Heading
            | BlockType::Paragraph
            | BlockType::ListItem
            | BlockType::Caption => {
                prev.mark.is_none()
                    && prev.text.chars().count() <= LEAD_IN_MAX_CHARS
                    && !SENTENCE_END.is_match(prev.text.trim_end())
            }
            _ => false,
        };
        if !lead_in {
            break;
        }
        start -= 1;
    }
    while start < anchor && drafts[start].kind == BlockType::Furniture {
        start += 1;
    }
    if let (Some(p), Some((x, _))) = (item.page, estimate) {
        why.insert(0, format!("TOC page {p} ≈ position {x:.0}"));
    }
    if start < anchor {
        why.push(format!("moved back over {} lead-in blocks", anchor - start));
    }
    Some((start, why.join("; ")))
}

/// The section plans of the document, in order.
pub fn plan(
    drafts: &mut [Draft],
    lines: &[&Line],
    toc: &[TocItem],
    toc_end: usize,
    colophon_start: Option<usize>,
) -> (Vec<Plan>, PageMap) {
    let mut plans: Vec<Plan> = Vec::new();
    let mut seen: Vec<(SectionKind, String, String)> = Vec::new();
    for (d, draft) in drafts.iter_mut().enumerate() {
        let Some(mark) = draft.mark.clone() else {
            continue;
        };
        let key = (mark.kind, mark.label.clone(), normalise(&mark.title));
        // Slide text repeating a section heading does not open a new section.
        if seen.contains(&key) {
            draft.mark = None;
            continue;
        }
        seen.push(key);
        let mut p = Plan::new(d, mark.kind);
        p.label = Some(mark.label);
        p.title = (!mark.title.is_empty()).then_some(mark.title);
        plans.push(p);
    }
    // Link TOC entries to the sections found in the body, in order.
    let keys = HeadingKeys::new(drafts);
    let offset = page_offset(toc, drafts, &keys, lines, toc_end + 1);
    let toc_levels = super::toc::levels(toc);
    let mut linked_pages: Vec<(usize, u32)> = Vec::new();
    let mut missing: Vec<usize> = Vec::new();
    let mut after = 0usize;
    for (t, item) in toc.iter().enumerate() {
        let found = plans.iter().position(|p| {
            p.start >= after
                && p.toc.is_empty()
                && match (&item.kind, &item.label) {
                    (Some(kind), Some(label)) => p.kind == *kind && p.label.as_ref() == Some(label),
                    _ => p
                        .title
                        .as_deref()
                        .is_some_and(|title| normalise(title) == normalise(&item.title)),
                }
        });
        match found {
            Some(i) => {
                plans[i].toc.push(t);
                if plans[i].title.is_none() {
                    plans[i].title = Some(item.title.clone());
                }
                if let Some(page) = item.page {
                    linked_pages.push((plans[i].start, page));
                }
                after = plans[i].start;
            }
            None if item.kind == Some(SectionKind::Discussion) => missing.push(t),
            None => {
                // An ordinary TOC (a report's `Ⅰ. 2021년 평가 ···· 1`): the entry's section
                // starts at the heading that repeats it after the TOC.
                let from = after.max(toc_end + 1);
                let found = heading_for(item, &keys, from, &plans).or_else(|| {
                    offset.and_then(|o| fuzzy_heading_for(item, drafts, lines, from, &plans, o))
                });
                if let Some(d) = found {
                    if drafts[d].kind != BlockType::Heading {
                        // A title the rules did not see (its numbering box lost in
                        // extraction): the TOC says it heads a section.
                        drafts[d].kind = BlockType::Heading;
                        drafts[d].level = toc_levels.get(t).copied().flatten();
                    }
                    let mut p = Plan::new(d, item.kind.unwrap_or(SectionKind::Other));
                    p.label = item.label.clone().or_else(|| drafts[d].marker.clone());
                    p.title = Some(item.title.clone());
                    p.toc.push(t);
                    p.level = drafts[d].level.unwrap_or(1);
                    if let Some(page) = item.page {
                        linked_pages.push((d, page));
                    }
                    after = d;
                    plans.push(p);
                }
            }
        }
    }
    // No TOC section and no marker: the document's own headings make the tree.
    if plans.is_empty() {
        plans = from_headings(drafts, lines);
    }
    // Headings found through the TOC: the highest level among them is a top section, the
    // others nest under it.
    let top = plans
        .iter()
        .filter(|p| p.kind == SectionKind::Other)
        .map(|p| p.level)
        .min()
        .unwrap_or(1);
    for p in plans.iter_mut().filter(|p| p.kind == SectionKind::Other) {
        p.level = if p.level <= top { 1 } else { 2 };
    }
    plans.sort_by_key(|p| p.start);
    let map = PageMap::build(drafts, lines, &linked_pages);
    // Place what the TOC lists but the body never heads, in TOC order.
    let end = colophon_start.unwrap_or(drafts.len());
    for t in missing {
        let lo = toc[..t]
            .iter()
            .enumerate()
            .rev()
            .find_map(|(u, _)| plans.iter().find(|p| p.toc.contains(&u)).map(|p| p.start))
            .unwrap_or(0);
        let hi = toc[t + 1..]
            .iter()
            .enumerate()
            .find_map(|(u, _)| {
                plans
                    .iter()
                    .find(|p| p.toc.contains(&(t + 1 + u)) && p.start > lo)
                    .map(|p| p.start)
            })
            .unwrap_or(end);
        let item = &toc[t];
        let Some((start, located_by)) = place_missing(item, drafts, lines, &map, lo, hi) else {
            continue;
        };
        let mut p = Plan::new(start, SectionKind::Discussion);
        p.label = item.label.clone();
        p.title = Some(item.title.clone());
        p.toc.push(t);
        p.page = item.page;
        p.located_by = Some(located_by);
        plans.push(p);
        plans.sort_by_key(|p| p.start);
    }
    if let Some(c) = colophon_start {
        if plans.iter().all(|p| p.start != c) {
            let mut p = Plan::new(c, SectionKind::Colophon);
            p.title = Some("발행 정보".to_string());
            plans.push(p);
        }
    }
    plans.sort_by_key(|p| p.start);
    let first_content = drafts.iter().position(|d| d.kind != BlockType::Furniture);
    if let Some(first) = first_content {
        if plans.first().is_none_or(|p| p.start > first) {
            plans.insert(0, Plan::new(0, SectionKind::FrontMatter));
        }
    }
    // Pages, levels and speakers.
    let mut in_appendix = false;
    for i in 0..plans.len() {
        let next_start = plans.get(i + 1).map_or(drafts.len(), |p| p.start);
        let p = &mut plans[i];
        // PDF: the page a section starts on in the file (its TOC page stays in the TOC entry);
        // text: the printed page from the TOC, else estimated between page-number lines.
        p.page = if map.pdf {
            drafts.get(p.start).and_then(|d| map.page_at(d, lines))
        } else {
            p.page
                .or_else(|| p.toc.iter().find_map(|&t| toc[t].page))
                .or_else(|| drafts.get(p.start).and_then(|d| map.page_at(d, lines)))
        };
        match p.kind {
            SectionKind::Appendix => in_appendix = true,
            SectionKind::Forum if in_appendix => p.level = 2,
            SectionKind::Forum => {}
            _ => in_appendix = false,
        }
        let range = &drafts[p.start..next_start];
        let bylines: Vec<Speaker> = range.iter().filter_map(|d| d.speaker.clone()).collect();
        let from_toc: Vec<Speaker> = p
            .toc
            .iter()
            .flat_map(|&t| toc[t].speakers.iter().cloned())
            .collect();
        p.speakers = match p.kind {
            SectionKind::Presentation | SectionKind::Discussion => {
                // A byline among the first blocks (past the title slides a talk opens with).
                let near: Vec<Speaker> = range
                    .iter()
                    .filter(|d| d.kind != BlockType::Furniture)
                    .take(8)
                    .filter_map(|d| d.speaker.clone())
                    .take(1)
                    .collect();
                let mut chosen = if near.is_empty() { from_toc } else { near };
                if chosen.is_empty() {
                    chosen = bylines.into_iter().take(1).collect();
                }
                chosen
            }
            SectionKind::Forum => {
                let mut unique: Vec<Speaker> = Vec::new();
                for s in bylines {
                    if !unique.iter().any(|u| u.name == s.name) {
                        unique.push(s);
                    }
                }
                unique
            }
            _ => Vec::new(),
        };
    }
    (plans, map)
}

/// Each heading draft's text as TOC titles are compared with it ([`normalise`]d, and without
/// its marker), made once per document: every TOC entry looks through all of them.
struct HeadingKeys(Vec<Option<(String, String)>>);

impl HeadingKeys {
    fn new(drafts: &[Draft]) -> HeadingKeys {
        let key = |draft: &Draft| {
            let text = normalise(&draft.text);
            let bare = draft
                .marker
                .as_deref()
                .map(|m| normalise(draft.text.trim_start_matches(m)))
                .unwrap_or_default();
            (text, bare)
        };
        HeadingKeys(
            drafts
                .iter()
                .map(|d| (d.kind == BlockType::Heading).then(|| key(d)))
                .collect(),
        )
    }
}

/// The first heading at or after `from` that repeats a TOC entry (its title, with or without
/// the label), not already opening a section. (A draft made a heading after `keys` were
/// made opens a section at once, so it is never a candidate.)
fn heading_for(item: &TocItem, keys: &HeadingKeys, from: usize, plans: &[Plan]) -> Option<usize> {
    let title = normalise(&item.title);
    if title.chars().count() < 2 {
        return None;
    }
    let with_label = item
        .label
        .as_deref()
        .map(|l| normalise(&format!("{l}{}", item.title)));
    keys.0
        .iter()
        .enumerate()
        .skip(from)
        .find(|(d, key)| {
            key.as_ref().is_some_and(|(text, bare)| {
                (*text == title || *bare == title || with_label.as_deref() == Some(text.as_str()))
                    && !plans.iter().any(|p| p.start == *d)
            })
        })
        .map(|(d, _)| d)
}

fn normalise(text: &str) -> String {
    text.chars().filter(|c| c.is_alphanumeric()).collect()
}

/// The PDF pages that hold a program (`기자회견 순서`, `식 순`), each with the draft of its
/// heading: what follows the heading on its page is the program's items, not sections.
fn program_pages(drafts: &[Draft], lines: &[&Line]) -> Vec<(u32, usize)> {
    drafts
        .iter()
        .enumerate()
        .filter(|(_, d)| d.kind != BlockType::Table && super::program::is_program_heading(&d.text))
        .filter_map(|(i, d)| Some((pdf_page(d, lines)? as u32, i)))
        .collect()
}

/// Sections from the outline when nothing else opens one: the shallowest heading level used
/// at least twice opens sections, the next level present below it opens subsections. A line
/// under a program heading on its page is one of the program's items (`2) 피해자 지원 제도의
/// 빈틈 : 유지호/연구위원, …`), whatever its type, and opens none.
fn from_headings(drafts: &[Draft], lines: &[&Line]) -> Vec<Plan> {
    let programs = program_pages(drafts, lines);
    let in_program = |i: usize, d: &Draft| {
        pdf_page(d, lines)
            .is_some_and(|page| programs.iter().any(|&(p, h)| p as i64 == page && h < i))
    };
    let headings: Vec<(usize, u8)> = drafts
        .iter()
        .enumerate()
        .filter(|(_, d)| d.kind == BlockType::Heading && !TOC_HEADING.is_match(d.text.trim()))
        .filter(|&(i, d)| !in_program(i, d))
        .filter_map(|(i, d)| Some((i, d.level?)))
        .collect();
    let count = |level: u8| headings.iter().filter(|(_, l)| *l == level).count();
    let mut levels: Vec<u8> = headings.iter().map(|(_, l)| *l).collect();
    levels.sort_unstable();
    levels.dedup();
    let Some(top) = levels.iter().copied().find(|&l| count(l) >= 2) else {
        return Vec::new();
    };
    let sub = levels.iter().copied().find(|&l| l > top);
    headings
        .iter()
        .filter(|(_, l)| *l == top || Some(*l) == sub)
        .map(|&(i, l)| {
            let d = &drafts[i];
            let mut p = Plan::new(i, SectionKind::Other);
            let numbered = d
                .marker
                .as_deref()
                .is_some_and(|m| m.chars().any(char::is_alphanumeric));
            let bare = d
                .marker
                .as_deref()
                .and_then(|m| d.text.trim_start().strip_prefix(m))
                .unwrap_or(&d.text)
                .trim();
            p.label = d.marker.clone().filter(|_| numbered);
            p.title = Some(if bare.is_empty() { &d.text } else { bare }.to_string());
            p.level = if l == top { 1 } else { 2 };
            p
        })
        .collect()
}

/// Numbering in front of a title, left out when titles are compared fuzzily: `3.2.`, `1-1.`,
/// `Ⅱ.`, `II.`, `가.`, `(1)`, `①`, `【별첨】`.
static TITLE_NUMBERING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^\s*(?:\d{1,2}(?:[.\-]\d{1,2})*[.)]?|[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ]\.?|(?:I{1,3}|IV|VI{0,3}|IX|X)\.|\p{Hangul}[.)]|\(\d{1,2}\)|\(\p{Hangul}\)|[①-⑳]|【[^】]*】)\s*",
    )
    .expect("the numbering pattern is valid")
});

/// A title as fuzzy matching compares it: no numbering, spaces or punctuation.
pub(crate) fn core(text: &str) -> String {
    normalise(&TITLE_NUMBERING.replace(text, ""))
}

/// The Dice coefficient of two strings' character bigrams (1.0 for equal strings).
pub(crate) fn dice(a: &str, b: &str) -> f64 {
    let grams = |s: &str| -> Vec<(char, char)> {
        let c: Vec<char> = s.chars().collect();
        let mut g: Vec<(char, char)> = c.windows(2).map(|w| (w[0], w[1])).collect();
        g.sort_unstable();
        g
    };
    let (x, y) = (grams(a), grams(b));
    if x.is_empty() || y.is_empty() {
        return if a == b { 1.0 } else { 0.0 };
    }
    let (mut i, mut j, mut common) = (0, 0, 0);
    while i < x.len() && j < y.len() {
        match x[i].cmp(&y[j]) {
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
        }
    }
    2.0 * common as f64 / (x.len() + y.len()) as f64
}

/// A reworded heading still links to its TOC entry when its title is this close.
pub(crate) const FUZZY_TITLE_MIN_DICE: f64 = 0.8;
/// How many pages from the predicted page a fuzzily matched heading may stand.
const FUZZY_PAGE_SLACK: i64 = 1;

/// The PDF page a draft starts on (PDF path only).
fn pdf_page(draft: &Draft, lines: &[&Line]) -> Option<i64> {
    lines
        .get(draft.first_line())
        .filter(|l| l.bbox.is_some())
        .map(|l| l.page as i64)
}

/// PDF page minus printed page, learnt from the TOC entries whose heading repeats them
/// exactly after the TOC: the most common difference. `None` on the text path or when no
/// entry with a page matches.
fn page_offset(
    toc: &[TocItem],
    drafts: &[Draft],
    keys: &HeadingKeys,
    lines: &[&Line],
    from: usize,
) -> Option<i64> {
    let mut diffs: Vec<i64> = toc
        .iter()
        .filter_map(|item| {
            let printed = item.page? as i64;
            let d = heading_for(item, keys, from, &[])?;
            Some(pdf_page(&drafts[d], lines)? - printed)
        })
        .collect();
    diffs.sort_unstable();
    let mut best: Option<(usize, i64)> = None;
    for chunk in diffs.chunk_by(|a, b| a == b) {
        if best.is_none_or(|(n, _)| chunk.len() > n) {
            best = Some((chunk.len(), chunk[0]));
        }
    }
    best.map(|(_, o)| o)
}

/// A draft a TOC entry may link to fuzzily: a heading, or a short paragraph of one or two
/// lines that ends no sentence (gov_niklp_workplan: `  국민의 국어능력(쓰기 등) 진단 체계 개발`,
/// its numbering box lost in extraction).
fn titlelike(d: &Draft) -> bool {
    d.kind == BlockType::Heading
        || (d.kind == BlockType::Paragraph
            && d.lines.len() <= 2
            && d.text.chars().count() <= HEADING_MAX_CHARS
            && !SENTENCE_END.is_match(d.text.trim_end()))
}

/// The heading at or after `from`, on the page the TOC predicts (±1), whose title is closest
/// to the entry's and close enough, not already opening a section.
fn fuzzy_heading_for(
    item: &TocItem,
    drafts: &[Draft],
    lines: &[&Line],
    from: usize,
    plans: &[Plan],
    offset: i64,
) -> Option<usize> {
    let predicted = item.page? as i64 + offset;
    let title = core(&item.title);
    if title.chars().count() < 4 {
        return None;
    }
    let mut best: Option<(f64, usize)> = None;
    for (d, draft) in drafts.iter().enumerate().skip(from) {
        if !titlelike(draft) || plans.iter().any(|p| p.start == d) {
            continue;
        }
        let Some(page) = pdf_page(draft, lines) else {
            continue;
        };
        if page > predicted + FUZZY_PAGE_SLACK {
            break;
        }
        if page < predicted - FUZZY_PAGE_SLACK {
            continue;
        }
        let score = dice(&core(&draft.text), &title);
        if score >= FUZZY_TITLE_MIN_DICE && best.is_none_or(|(b, _)| score > b) {
            best = Some((score, d));
        }
    }
    best.map(|(_, d)| d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn heading(marker: Option<&str>, text: &str, level: u8, line: usize) -> Draft {
        let mut d = Draft::new(BlockType::Heading, text.to_string(), vec![line]);
        d.marker = marker.map(str::to_string);
        d.level = Some(level);
        d
    }

    /// The issue's reworded chapter: `…연결 맵 개발` in the TOC, `…연결 맵 자료` in the body.
    #[test]
    fn a_reworded_title_is_close_and_another_is_not() {
        let toc = core("3. 서울시 사회적경제 자원 연결 맵 개발");
        let body = core("Ⅲ. 서울시 사회적경제 자원 연결 맵 자료");
        assert_eq!(toc, "서울시사회적경제자원연결맵개발");
        assert_eq!(body, "서울시사회적경제자원연결맵자료");
        assert!(dice(&toc, &body) >= FUZZY_TITLE_MIN_DICE);
        let other = core("4. 서울시 사회적경제 생태계 구축 성과");
        assert!(dice(&toc, &other) < FUZZY_TITLE_MIN_DICE);
        assert_eq!(
            core("1-1. 국민의 국어능력(쓰기 등) 진단 체계 개발"),
            "국민의국어능력쓰기등진단체계개발"
        );
        assert_eq!(core("【별첨】일반현황"), "일반현황");
        assert_eq!(
            core("가. 시스템 장비구성 요구사항"),
            "시스템장비구성요구사항"
        );
    }

    fn pdf_lines(pages: &[u32]) -> Vec<Line> {
        pages
            .iter()
            .map(|&page| Line {
                page,
                bbox: Some([0.0, 0.0, 1.0, 1.0]),
                ..Line::default()
            })
            .collect()
    }

    /// The offset between printed and PDF pages comes from the exact matches; a reworded
    /// heading links only on the page it predicts.
    #[test]
    fn fuzzy_links_are_checked_against_the_learnt_page() {
        let item = |title: &str, page: u32| TocItem {
            kind: None,
            label: None,
            title: title.to_string(),
            page: Some(page),
            speakers: Vec::new(),
        };
        let toc = [
            item("1. 제안공모요강", 1),
            item("3. 서울시 사회적경제 자원 연결 맵 개발", 5),
        ];
        let drafts = [
            heading(Some("1."), "1. 제안공모요강", 1, 0),
            heading(Some("2."), "2. 서울시 사회적경제 자원 연결 맵 자료", 1, 1),
            heading(Some("3."), "3. 서울시 사회적경제 자원 연결 맵 자료", 1, 2),
        ];
        // Printed page 1 is PDF page 3; the first look-alike stands on PDF page 4 (too early
        // for printed page 5 → PDF 7), the second on PDF page 7.
        let lines = pdf_lines(&[3, 4, 7]);
        let refs: Vec<&Line> = lines.iter().collect();
        let offset = page_offset(&toc, &drafts, &HeadingKeys::new(&drafts), &refs, 0);
        assert_eq!(offset, Some(2));
        assert_eq!(
            fuzzy_heading_for(&toc[1], &drafts, &refs, 1, &[], 2),
            Some(2)
        );
        // A short paragraph on the predicted page is a candidate too; a sentence is not.
        let mut para = heading(None, "서울시 사회적경제 자원 연결 맵 자료", 1, 2);
        para.kind = BlockType::Paragraph;
        let with_para = [drafts[0].clone(), drafts[1].clone(), para.clone()];
        assert_eq!(
            fuzzy_heading_for(&toc[1], &with_para, &refs, 1, &[], 2),
            Some(2)
        );
        para.text = "서울시 사회적경제 자원 연결 맵 자료를 개발하였다.".into();
        let with_sentence = [drafts[0].clone(), drafts[1].clone(), para];
        assert_eq!(
            fuzzy_heading_for(&toc[1], &with_sentence, &refs, 1, &[], 2),
            None
        );
        // On the text path there are no PDF pages and no offset.
        let text: Vec<Line> = (0..3).map(|_| Line::default()).collect();
        let refs: Vec<&Line> = text.iter().collect();
        assert_eq!(
            page_offset(&toc, &drafts, &HeadingKeys::new(&drafts), &refs, 0),
            None
        );
    }

    /// Without a TOC, the shallowest level used twice opens sections, the next one below it
    /// subsections; a level used once (a cover heading) does not.
    #[test]
    fn headings_make_sections_without_a_toc() {
        let drafts = [
            heading(None, "2022년 국립국어원 업무계획", 1, 0),
            heading(Some("Ⅰ."), "Ⅰ. 2021년 평가", 2, 1),
            heading(Some("□"), "□ 공공언어 개선 지원 체계 강화", 3, 2),
            heading(Some("1."), "1. 국어 정보자원 확대 구축", 4, 3),
            heading(Some("Ⅱ."), "Ⅱ. 2022년 정책 방향", 2, 4),
            heading(Some("□"), "□ 긍정적 여건", 3, 5),
        ];
        let plans = from_headings(&drafts, &[]);
        let got: Vec<(usize, Option<&str>, Option<&str>, u8)> = plans
            .iter()
            .map(|p| (p.start, p.label.as_deref(), p.title.as_deref(), p.level))
            .collect();
        assert_eq!(
            got,
            [
                (1, Some("Ⅰ."), Some("2021년 평가"), 1),
                (2, None, Some("공공언어 개선 지원 체계 강화"), 2),
                (4, Some("Ⅱ."), Some("2022년 정책 방향"), 1),
                (5, None, Some("긍정적 여건"), 2),
            ]
        );
    }
}
