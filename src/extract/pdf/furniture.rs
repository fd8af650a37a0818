//! Furniture: running headers, running footers and page numbers. A line in the top or bottom
//! margin zone whose text (digits ignored) repeats on other pages at the same place is a
//! running header or footer; a line there that is only a page number is a page number.

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
    for (lines, height) in pages.iter_mut() {
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
            if pages_here.len() >= min_pages {
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
