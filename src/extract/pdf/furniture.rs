//! Furniture: running headers, running footers and page numbers. A line in the top or bottom
//! margin zone whose text (digits ignored) repeats at the same place on pages that follow
//! each other (every page or every other page) is a running header or footer; a line there
//! that is only a page number is a page number. A heading that recurs far apart (once in each
//! of several reports bound together) stays body text.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use crate::model::{Line, LineRole};

/// Share of the page height at the top and at the bottom where furniture lives.
const MARGIN_ZONE: f32 = 0.12;
/// Lines repeated on at least this many pages are running furniture (fewer on short documents:
/// `MIN_PAGES_SHORT` for documents of at most `SHORT_DOCUMENT` pages).
const MIN_PAGES: usize = 3;
const MIN_PAGES_SHORT: usize = 2;
const SHORT_DOCUMENT: usize = 6;
/// Repetitions of a running line are at most this many pages apart (a header on odd pages
/// only, with a full-page figure or a chapter opening without it in between).
const MAX_GAP: usize = 4;
/// Repeated lines must sit within this many points of each other vertically.
const SAME_PLACE: f32 = 12.0;

/// Compiles the page-number patterns now (see `pipeline::warm_up`).
pub fn warm_up() {
    LazyLock::force(&PAGE_NUMBER);
}

/// Page-number lines.
static PAGE_NUMBER: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    [
        // `12`, `- 12 -`, `— 12 —`, `(12)`, `[12]`
        r"^[-–—·(\[]?\s*\d{1,4}\s*[-–—·)\]]?$",
        // `12 / 45`, `12/45`
        r"^\d{1,4}\s*/\s*\d{1,4}$",
        // `p. 12`, `Page 12`, `page 12 of 45`
        r"(?i)^(p\.?|page)\s*\d{1,4}(\s*(of|/)\s*\d{1,4})?$",
        // `12쪽`, `12 페이지`, `- 12쪽 -`
        r"^[-–—]?\s*\d{1,4}\s*(쪽|페이지|면)\s*[-–—]?$",
        // lower-case Roman numerals of front matter: `iii`, `- iv -`
        r"^[-–—]?\s*[ivx]{1,6}\s*[-–—]?$",
    ]
    .iter()
    .filter_map(|p| Regex::new(p).ok())
    .collect()
});

pub fn is_page_number(text: &str) -> bool {
    let text = text.trim();
    PAGE_NUMBER.iter().any(|r| r.is_match(text))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Zone {
    Top,
    Bottom,
}

fn zone(line: &Line, page_height: f32) -> Option<Zone> {
    let bbox = line.bbox?;
    if page_height <= 0.0 || line.table.is_some() {
        return None;
    }
    if bbox[3] <= MARGIN_ZONE * page_height {
        Some(Zone::Top)
    } else if bbox[1] >= (1.0 - MARGIN_ZONE) * page_height {
        Some(Zone::Bottom)
    } else {
        None
    }
}

/// How many of `pages` (sorted page indexes where a line repeats) form an unbroken run with
/// `page` in it, successive pages at most `MAX_GAP` apart. Running furniture repeats page
/// after page (or on every other page: `홀수형 언어이해 3`); a chapter heading that opens a
/// page in each of several reports bound in one file (`Ⅱ. 규제의 적정성` every 16 pages of a
/// regulatory analysis) is not furniture, however often it recurs.
fn run_around(pages: &[usize], page: usize) -> usize {
    let Some(at) = pages.iter().position(|&p| p == page) else {
        return 0;
    };
    let linked = |w: &[usize]| w[1] - w[0] <= MAX_GAP;
    let before = pages[..=at]
        .windows(2)
        .rev()
        .take_while(|w| linked(w))
        .count();
    let after = pages[at..].windows(2).take_while(|w| linked(w)).count();
    before + 1 + after
}

/// The text with digits folded and spaces removed, so `자료집 3` and `자료집 4` match.
fn repetition_key(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| if c.is_ascii_digit() { '#' } else { c })
        .collect()
}

/// Marks furniture roles on the lines of all pages (`pages`: lines and page height).
pub fn mark(pages: &mut [(&mut Vec<Line>, f32)]) {
    let min_pages = if pages.len() <= SHORT_DOCUMENT {
        MIN_PAGES_SHORT
    } else {
        MIN_PAGES
    };
    // (zone, key) → (page index, vertical position) of each occurrence.
    let mut seen: HashMap<(Zone, String), Vec<(usize, f32)>> = HashMap::new();
    for (p, (lines, height)) in pages.iter().enumerate() {
        for line in lines.iter() {
            if let (Some(z), Some(bbox)) = (zone(line, *height), line.bbox) {
                let key = repetition_key(&line.text);
                if !key.is_empty() {
                    seen.entry((z, key)).or_default().push((p, bbox[1]));
                }
            }
        }
    }
    for (page, (lines, height)) in pages.iter_mut().enumerate() {
        for line in lines.iter_mut() {
            let (Some(z), Some(bbox)) = (zone(line, *height), line.bbox) else {
                continue;
            };
            if is_page_number(&line.text) {
                line.role = LineRole::PageNumber;
                continue;
            }
            let key = repetition_key(&line.text);
            let Some(occurrences) = seen.get(&(z, key)) else {
                continue;
            };
            let mut pages_here: Vec<usize> = occurrences
                .iter()
                .filter(|(_, y)| (y - bbox[1]).abs() <= SAME_PLACE)
                .map(|(p, _)| *p)
                .collect();
            pages_here.dedup();
            if run_around(&pages_here, page) >= min_pages {
                line.role = match z {
                    Zone::Top => LineRole::RunningHeader,
                    Zone::Bottom => LineRole::RunningFooter,
                };
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_number_forms() {
        for text in ["12", "- 12 -", "12 / 45", "p. 3", "12쪽", "iv"] {
            assert!(is_page_number(text), "{text}");
        }
        for text in ["2020년", "1. 서론", "발제1"] {
            assert!(!is_page_number(text), "{text}");
        }
    }

    fn line(text: &str, y: f32) -> Line {
        Line {
            text: text.into(),
            bbox: Some([50.0, y, 300.0, y + 10.0]),
            font_size: Some(9.0),
            ..Line::default()
        }
    }

    /// reg76076.pdf binds five regulatory analyses: each chapter heading opens a page at the
    /// top once per analysis, 16 pages apart. An exam booklet's header is on every odd page.
    #[test]
    fn headings_recurring_far_apart_are_body_and_odd_page_headers_are_furniture() {
        let mut pages: Vec<Vec<Line>> = (0..80)
            .map(|p| {
                let mut lines = vec![line("ㅇ 본문 문장입니다", 300.0)];
                if p % 16 == 7 {
                    lines.insert(0, line("Ⅱ. 규제의 적정성", 62.0));
                }
                if p % 2 == 0 {
                    lines.insert(0, line(&format!("홀수형 언어이해 {}", p + 1), 30.0));
                }
                lines
            })
            .collect();
        let mut refs: Vec<(&mut Vec<Line>, f32)> = pages.iter_mut().map(|p| (p, 841.0)).collect();
        mark(&mut refs);
        for (p, page) in pages.iter().enumerate() {
            for line in page {
                let want = if line.text.starts_with("홀수형") {
                    LineRole::RunningHeader
                } else {
                    LineRole::Body
                };
                assert_eq!(line.role, want, "page {}: {}", p + 1, line.text);
            }
        }
    }

    #[test]
    fn run_around_counts_only_the_unbroken_run() {
        assert_eq!(run_around(&[7, 23, 39, 55, 71], 23), 1);
        assert_eq!(run_around(&[0, 2, 4, 6, 30, 31], 4), 4);
        assert_eq!(run_around(&[0, 2, 4, 6, 30, 31], 31), 2);
        assert_eq!(run_around(&[0, 2], 5), 0);
    }

    #[test]
    fn repeated_header_and_page_numbers_are_furniture() {
        let mut pages: Vec<Vec<Line>> = (1..=4)
            .map(|n| {
                vec![
                    line("2020년 서울시 사회적경제 생태계 구축 성과 포럼", 30.0),
                    line(
                        "서울시 사회적경제 지원센터는 중간지원조직입니다",
                        300.0 + n as f32,
                    ),
                    line(&format!("- {n} -"), 800.0),
                ]
            })
            .collect();
        let mut refs: Vec<(&mut Vec<Line>, f32)> = pages.iter_mut().map(|p| (p, 842.0)).collect();
        mark(&mut refs);
        for page in &pages {
            assert_eq!(page[0].role, LineRole::RunningHeader);
            assert_eq!(page[1].role, LineRole::Body);
            assert_eq!(page[2].role, LineRole::PageNumber);
        }
    }
}
