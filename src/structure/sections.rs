//! The section tree: sections opened by markers in the body (presentations, appendices,
//! regional forums), sections the TOC lists but the body never heads (the sample's
//! discussions) placed where they really start, front matter and colophon; TOC entries
//! linked to their sections; forums nested under their appendix.

use crate::document::{BlockType, SectionKind, Speaker};
use crate::model::{Line, LineRole};

use super::blocks::Draft;
use super::rules::{DISCUSSION_CUE, POLITE_REGISTER, SENTENCE_END};
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
                if let Some(d) = heading_for(item, drafts, after.max(toc_end + 1), &plans) {
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

/// The first heading at or after `from` that repeats a TOC entry (its title, with or without
/// the label), not already opening a section.
fn heading_for(item: &TocItem, drafts: &[Draft], from: usize, plans: &[Plan]) -> Option<usize> {
    let title = normalise(&item.title);
    if title.chars().count() < 2 {
        return None;
    }
    let with_label = item
        .label
        .as_deref()
        .map(|l| normalise(&format!("{l}{}", item.title)));
    (from..drafts.len()).find(|&d| {
        let draft = &drafts[d];
        if draft.kind != BlockType::Heading || plans.iter().any(|p| p.start == d) {
            return false;
        }
        let text = normalise(&draft.text);
        let bare = draft
            .marker
            .as_deref()
            .map(|m| normalise(draft.text.trim_start_matches(m)))
            .unwrap_or_default();
        text == title || bare == title || with_label.as_deref() == Some(text.as_str())
    })
}

fn normalise(text: &str) -> String {
    text.chars().filter(|c| c.is_alphanumeric()).collect()
}
