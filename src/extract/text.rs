//! The text path: text that an OCR/layout tool already produced becomes pages of lines, each
//! line with its 1-based source line number. Blank lines become paragraph starts.
//!
//! Pages: a text with form feeds has a page per form feed (each `\f` starts the next page).
//! Otherwise the booklet's printed page numbers standing alone on their lines (`28`) close the
//! page they end, so the pages are the booklet's: a line between `28` and `29` is on page 29.
//! Between two numbers further apart the lines are spread evenly over the pages in between;
//! before the first number likewise from page 1, and after the last at the document's mean
//! lines per page. A text with neither is one page.
//!
//! Runs of tab-separated rows become typed tables (`delimited`), each on the page of its first
//! row (only an estimated page boundary can fall inside one: a page-number line ends a run).

use std::sync::LazyLock;

use regex::Regex;

use crate::model::{ExtractedDocument, Format, Line, Page, PageFacts};

/// A printed page number alone on its line, optionally between dashes: `28`, `- 28 -`.
static PAGE_NUMBER_LINE: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"^\s*[-–]?\s*(\d{1,4})\s*[-–]?\s*$").ok());

/// The largest step between two page numbers taken as the booklet's pagination: a bigger one
/// (a year, a count standing alone) is not a page number.
const MAX_PAGE_STEP: u32 = 40;

/// The form feed that separates pages in `pdftotext` output and similar text.
const FORM_FEED: char = '\u{c}';

pub fn extract(text: &str) -> ExtractedDocument {
    let mut lines = Vec::new();
    let mut blank_before = true;
    // Form feeds seen before each kept line (1-based page when the text has any).
    let mut feeds = 0u32;
    for (index, raw) in text.lines().enumerate() {
        let mut rest = raw.trim_end_matches(['\r', '\n']);
        // Text before a form feed is on the page it ends; a line may hold several.
        while let Some(at) = rest.find(FORM_FEED) {
            let (before, after) = (&rest[..at], &rest[at + FORM_FEED.len_utf8()..]);
            push_line(&mut lines, &mut blank_before, before, index, feeds + 1);
            feeds += 1;
            blank_before = true;
            rest = after;
        }
        push_line(&mut lines, &mut blank_before, rest, index, feeds + 1);
    }
    if feeds == 0 {
        let pages = printed_pages(&lines);
        for (line, page) in lines.iter_mut().zip(pages) {
            line.page = page;
        }
    }
    let last = lines
        .iter()
        .map(|l| l.page)
        .max()
        .unwrap_or(1)
        .max(feeds + 1);
    let mut pages: Vec<Page> = (1..=last)
        .map(|number| Page {
            number,
            facts: PageFacts {
                text_layer: true,
                ..PageFacts::default()
            },
            ..Page::default()
        })
        .collect();
    keep_tab_rows_together(&mut lines);
    for line in lines {
        let index = (line.page.max(1) - 1) as usize;
        if let Some(page) = pages.get_mut(index) {
            page.facts.glyphs += line.text.chars().count();
            page.lines.push(line);
        }
    }
    pages
        .iter_mut()
        .for_each(super::delimited::tables_from_tab_rows);
    ExtractedDocument {
        format: Format::Text,
        pages,
    }
}

/// Puts every row of a run of tab-separated rows on the page of the run's first row.
fn keep_tab_rows_together(lines: &mut [Line]) {
    let mut run_page = None;
    for line in lines {
        let row = line.text.contains('\t');
        run_page = match run_page {
            Some(page) if row && !line.starts_paragraph => {
                line.page = page;
                Some(page)
            }
            _ => row.then_some(line.page),
        };
    }
}

fn push_line(lines: &mut Vec<Line>, blank_before: &mut bool, text: &str, index: usize, page: u32) {
    if text.trim().is_empty() {
        *blank_before = true;
        return;
    }
    lines.push(Line {
        text: text.to_string(),
        page,
        source_line: Some(index + 1),
        starts_paragraph: *blank_before,
        ..Line::default()
    });
    *blank_before = false;
}

/// The printed page of each line from the standalone page-number lines: the numbers that rise
/// by at most [`MAX_PAGE_STEP`] from the last one taken. All 1 when there are none.
fn printed_pages(lines: &[Line]) -> Vec<u32> {
    let Some(rule) = PAGE_NUMBER_LINE.as_ref() else {
        return vec![1; lines.len()];
    };
    // (position, page it closes): the position is the source line, so blank lines count.
    let mut anchors: Vec<(f64, u32)> = vec![(0.0, 0)];
    for line in lines {
        let Some(number) = rule
            .captures(&line.text)
            .and_then(|c| c.get(1))
            .and_then(|m| m.as_str().parse::<u32>().ok())
        else {
            continue;
        };
        let (_, last) = anchors[anchors.len() - 1];
        if number > last && number - last <= MAX_PAGE_STEP {
            anchors.push((position(line), number));
        }
    }
    if anchors.len() < 2 {
        return vec![1; lines.len()];
    }
    let (end_x, end_page) = anchors[anchors.len() - 1];
    let per_page = (end_x / f64::from(end_page)).max(1.0);
    // Where the text after the last page number starts (its first line is on the next page).
    let first_after = lines
        .iter()
        .map(position)
        .find(|&x| x > end_x)
        .unwrap_or(end_x);
    lines
        .iter()
        .map(|line| {
            let x = position(line);
            let after = anchors.partition_point(|&(ax, _)| ax < x);
            match anchors.get(after) {
                // Between the anchor before (exclusive) and this one (inclusive).
                Some(&(x1, p1)) if x >= x1 => p1,
                Some(&(x1, p1)) => {
                    let (x0, p0) = anchors[after - 1];
                    let share = (x - x0 - 1.0).max(0.0) / (x1 - x0);
                    p0 + 1 + (share * f64::from(p1 - p0)).floor() as u32
                }
                // Past the last page number.
                None => end_page + 1 + ((x - first_after).max(0.0) / per_page).floor() as u32,
            }
        })
        .collect()
}

fn position(line: &Line) -> f64 {
    line.source_line.unwrap_or(0) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pages_of(text: &str) -> Vec<(String, u32)> {
        extract(text)
            .pages
            .into_iter()
            .flat_map(|p| p.lines)
            .map(|l| (l.text, l.page))
            .collect()
    }

    #[test]
    fn form_feeds_start_pages() {
        let got = pages_of("표지\n\u{c}목 차\n1. 배경\u{c}2. 현황\n");
        assert_eq!(
            got,
            [
                ("표지".to_string(), 1),
                ("목 차".to_string(), 2),
                ("1. 배경".to_string(), 2),
                ("2. 현황".to_string(), 3)
            ]
        );
        assert_eq!(extract("a\u{c}\u{c}b\n").pages.len(), 3);
    }

    #[test]
    fn standalone_page_numbers_close_their_pages() {
        // The sample's `28` and `29` lines (665 and 667) around a page of 발제3.
        let text = "27\n\n것입니다.\n\n28\n\n[발제3] 서울시 사회적경제 5개년\n\n29\n\n다음 쪽\n";
        let got = pages_of(text);
        assert_eq!(got[0], ("27".to_string(), 27));
        assert_eq!(got[1], ("것입니다.".to_string(), 28));
        assert_eq!(got[2], ("28".to_string(), 28));
        assert_eq!(got[3], ("[발제3] 서울시 사회적경제 5개년".to_string(), 29));
        assert_eq!(got[4], ("29".to_string(), 29));
        assert_eq!(got[5], ("다음 쪽".to_string(), 30));
    }

    #[test]
    fn lines_between_distant_numbers_spread_over_the_pages_between() {
        let mut text = String::from("3\n");
        for i in 0..12 {
            text.push_str(&format!("본문 {i}\n"));
        }
        text.push_str("7\n");
        let pages: Vec<u32> = pages_of(&text).iter().map(|(_, p)| *p).collect();
        assert_eq!(pages.first(), Some(&3));
        assert_eq!(pages.last(), Some(&7));
        assert!(pages.windows(2).all(|w| w[0] <= w[1]), "{pages:?}");
        // Every page in between gets some of the twelve lines.
        for page in 4..=7 {
            assert!(
                pages[1..13].iter().filter(|&&p| p == page).count() >= 2,
                "{pages:?}"
            );
        }
    }

    #[test]
    fn the_sample_booklet_has_its_printed_pages() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/input/seoul_social_economy_forum_2020.txt"
        );
        let Ok(text) = std::fs::read_to_string(path) else {
            panic!("{path} is missing");
        };
        let got = extract(&text);
        let page_of = |source: usize| {
            got.pages
                .iter()
                .flat_map(|p| &p.lines)
                .find(|l| l.source_line == Some(source))
                .map(|l| l.page)
        };
        // `28` (line 665) closes page 28; `29` (667) closes 29; `46` (1166) closes 46.
        assert_eq!(page_of(665), Some(28));
        assert_eq!(page_of(667), Some(29));
        assert_eq!(page_of(1166), Some(46));
        // 2,260 lines, 47 pages in the first 1,168: about 90 pages, not 1.
        assert!((60..=120).contains(&got.pages.len()), "{}", got.pages.len());
    }

    #[test]
    fn numbers_that_do_not_paginate_are_ignored() {
        // A year alone on its line does not jump the pages to 2020.
        let got = pages_of("12\n본문\n2020\n본문\n13\n");
        let pages: Vec<u32> = got.iter().map(|(_, p)| *p).collect();
        assert_eq!(pages, [12, 13, 13, 13, 13]);
        // No page numbers at all: one page.
        assert_eq!(extract("가\n\n나\n").pages.len(), 1);
    }
}
