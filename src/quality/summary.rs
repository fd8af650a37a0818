//! Scores and summaries: a block score in 0..1 from the share of its text the flags cover
//! (weighted by severity), and per page and per document the counts by kind, the share of
//! flagged text, and the pages worth sending to OCR again.

use std::collections::{BTreeMap, BTreeSet};

use crate::document::{Block, DocumentQuality, Flag, PageQuality, PageVerdict, Severity};
use crate::model::{Page, PageFacts};

/// How much of a block's score a fully covered span of each severity takes away.
fn weight(severity: Severity) -> f64 {
    match severity {
        Severity::Error => 1.0,
        Severity::Warning => 0.7,
        Severity::Info => 0.2,
    }
}

/// Even a tiny flagged span costs this share of the block (one U+FFFD in a long paragraph
/// still says the paragraph went through a broken decoder).
const MIN_SHARE: f64 = 0.05;

/// A flagged page share (Warning or Error) from which the page is worth OCR again.
pub const REOCR_SHARE: f64 = 0.10;

/// Kinds on a page that make it worth OCR again whatever the share.
const REOCR_KINDS: &[&str] = &[
    "no_text_layer",
    "unmapped_font",
    "extraction_failed",
    "mojibake",
];

/// A page's verdict from its facts. A page with no glyph is blank when it draws nothing, a
/// scan (no text layer) when it shows images or lines; a page whose text layer the PDF stage
/// found not to carry its visible text (`unmapped_font`: mostly unmapped glyphs or U+FFFD, or
/// no Hangul and hardly any letters) is unreadable; a text layer drawn invisibly or with an
/// OCR font is an OCR layer.
pub fn page_verdict(facts: &PageFacts) -> PageVerdict {
    if !facts.text_layer {
        let failed = facts.flags.iter().any(|f| f.kind == "extraction_failed");
        if facts.images == 0 && facts.drawings == 0 && !failed {
            PageVerdict::Blank
        } else {
            PageVerdict::NoTextLayer
        }
    } else if facts.flags.iter().any(|f| f.kind == "unmapped_font") {
        PageVerdict::UnreadableTextLayer
    } else if facts.ocr_layer.is_some() {
        PageVerdict::OcrLayer
    } else {
        PageVerdict::Text
    }
}

/// The text bytes of a block: its text, or the sum of its cells for tables.
pub fn text_bytes(block: &Block) -> usize {
    match &block.table {
        Some(t) if !t.rows.is_empty() => t.rows.iter().flatten().map(String::len).sum(),
        _ => block.text.len(),
    }
}

/// Bytes a flag covers: its span, or the whole row for row-level flags.
fn covered_bytes(block: &Block, flag: &Flag) -> usize {
    match (&block.table, flag.cell) {
        (Some(t), Some([r, _]))
            if matches!(flag.kind.as_str(), "repeated_line" | "uniform_table") =>
        {
            t.rows
                .get(r)
                .map_or(0, |row| row.iter().map(String::len).sum())
        }
        _ => flag.end.saturating_sub(flag.start),
    }
}

/// 1.0 for clean text, down to 0.0 for text that cannot be trusted.
pub fn block_score(block: &Block, flags: &[Flag]) -> f32 {
    let total = text_bytes(block).max(1) as f64;
    let penalty: f64 = flags
        .iter()
        .map(|f| {
            weight(f.severity) * (covered_bytes(block, f) as f64 / total).clamp(MIN_SHARE, 1.0)
        })
        .sum();
    (1.0 - penalty).clamp(0.0, 1.0) as f32
}

/// Share of the block's bytes covered by flags of at least `min` severity.
fn flagged_bytes(block: &Block, min: Severity) -> usize {
    let total = text_bytes(block);
    let covered: usize = block
        .quality
        .flags
        .iter()
        .filter(|f| f.severity >= min)
        .map(|f| covered_bytes(block, f))
        .sum();
    covered.min(total)
}

/// Document and page summaries from blocks whose `quality` is already filled.
pub fn document_quality(blocks: &[Block], pages: &[Page]) -> DocumentQuality {
    let mut by_kind: BTreeMap<String, usize> = BTreeMap::new();
    for flag in blocks.iter().flat_map(|b| &b.quality.flags) {
        *by_kind.entry(flag.kind.clone()).or_default() += 1;
    }
    let mut page_quality = Vec::new();
    for page in pages {
        let on_page: Vec<&Block> = blocks
            .iter()
            .filter(|b| b.page.unwrap_or(1) == page.number)
            .collect();
        let mut kinds: BTreeSet<String> = page.facts.flags.iter().map(|f| f.kind.clone()).collect();
        let mut details: Vec<String> = page
            .facts
            .flags
            .iter()
            .map(|f| format!("{}: {}", f.kind, f.detail))
            .collect();
        let verdict = page_verdict(&page.facts);
        if verdict == PageVerdict::Blank {
            kinds.remove("no_text_layer");
            details.retain(|d| !d.starts_with("no_text_layer"));
            kinds.insert("blank".to_string());
            details.push("blank: no glyph, image or drawing on the page".into());
        } else if !page.facts.text_layer && kinds.insert("no_text_layer".to_string()) {
            details.push("no_text_layer: the page has no text layer (scanned image?)".into());
        }
        if let Some(why) = &page.facts.ocr_layer {
            kinds.insert("ocr_layer".to_string());
            details.push(format!("ocr_layer: {why}"));
        }
        // Page-level facts count once per page.
        for kind in &kinds {
            *by_kind.entry(kind.clone()).or_default() += 1;
        }
        let mut block_kinds: BTreeMap<&str, usize> = BTreeMap::new();
        for flag in on_page.iter().flat_map(|b| &b.quality.flags) {
            *block_kinds.entry(flag.kind.as_str()).or_default() += 1;
        }
        for (kind, n) in &block_kinds {
            kinds.insert(kind.to_string());
            details.push(format!("{kind}: {n} flag(s) on blocks"));
        }
        let total: usize = on_page.iter().map(|b| text_bytes(b)).sum();
        let flagged: usize = on_page
            .iter()
            .map(|b| flagged_bytes(b, Severity::Info))
            .sum();
        let damaged: usize = on_page
            .iter()
            .map(|b| flagged_bytes(b, Severity::Warning))
            .sum();
        let share = |n: usize| {
            if total == 0 {
                0.0
            } else {
                n as f64 / total as f64
            }
        };
        let reocr = verdict != PageVerdict::Blank
            && (!page.facts.text_layer
                || kinds.iter().any(|k| REOCR_KINDS.contains(&k.as_str()))
                || share(damaged) >= REOCR_SHARE);
        page_quality.push(PageQuality {
            page: page.number,
            verdict,
            text_layer: page.facts.text_layer,
            flags: kinds.into_iter().collect(),
            details,
            flagged_share: share(flagged) as f32,
            reocr,
        });
    }
    let total: usize = blocks.iter().map(text_bytes).sum();
    let flagged: usize = blocks
        .iter()
        .map(|b| flagged_bytes(b, Severity::Info))
        .sum();
    // Blocks on pages whose text layer does not carry the page's text score 0 whatever their
    // flags say: the text there is not the document's.
    let unreadable: BTreeSet<u32> = page_quality
        .iter()
        .filter(|p| p.verdict == PageVerdict::UnreadableTextLayer)
        .map(|p| p.page)
        .collect();
    let weighted: f64 = blocks
        .iter()
        .filter(|b| !unreadable.contains(&b.page.unwrap_or(1)))
        .map(|b| b.quality.score as f64 * text_bytes(b) as f64)
        .sum();
    let text_score = if total == 0 {
        1.0
    } else {
        weighted / total as f64
    };
    // Pages without a readable text layer count as pages of score 0; blank pages do not count.
    let counted = page_quality
        .iter()
        .filter(|p| p.verdict != PageVerdict::Blank)
        .count();
    let readable = page_quality
        .iter()
        .filter(|p| matches!(p.verdict, PageVerdict::Text | PageVerdict::OcrLayer))
        .count();
    let score = if counted == 0 {
        if pages.is_empty() {
            text_score
        } else {
            0.0
        }
    } else {
        text_score * readable as f64 / counted as f64
    };
    DocumentQuality {
        // `max` turns a -0.0 from the products above into 0.0.
        score: (score as f32).max(0.0) + 0.0,
        flagged_blocks: blocks
            .iter()
            .filter(|b| !b.quality.flags.is_empty())
            .count(),
        flags_by_kind: by_kind,
        flagged_share: if total == 0 {
            0.0
        } else {
            flagged as f32 / total as f32
        },
        pages: page_quality,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{BlockQuality, BlockType};
    use crate::model::{PageFacts, PageFlag};

    fn block(page: u32, text: &str, flags: Vec<Flag>) -> Block {
        let mut b = Block {
            id: "b1".into(),
            kind: BlockType::Paragraph,
            section: None,
            text: text.into(),
            level: None,
            marker: None,
            page: Some(page),
            bbox: None,
            lines: None,
            end_page: None,
            location: None,
            table: None,
            figure: None,
            annotation: None,
            emphasis: vec![],
            tokens: vec![],
            quality: BlockQuality::default(),
        };
        b.quality.score = block_score(&b, &flags);
        b.quality.flags = flags;
        b
    }

    fn marker_flag(len: usize) -> Flag {
        crate::quality::flag("illegible", 0, len, Severity::Error, "marker")
    }

    #[test]
    fn a_block_that_is_only_a_marker_scores_zero_and_clean_text_one() {
        assert_eq!(
            block(1, "[illegible]", vec![marker_flag(11)]).quality.score,
            0.0
        );
        assert_eq!(block(1, "지역생태계 구축 성과", vec![]).quality.score, 1.0);
        let long = "사회적경제는 지역사회와 밀접되어 있고 [illegible]";
        let partial = block(1, long, vec![marker_flag(11)]).quality.score;
        assert!(partial > 0.0 && partial < 1.0);
    }

    #[test]
    fn pages_without_text_layer_are_flagged_and_worth_reocr() {
        let pages = vec![
            Page {
                number: 1,
                facts: PageFacts {
                    text_layer: true,
                    ..PageFacts::default()
                },
                ..Page::default()
            },
            Page {
                number: 2,
                facts: PageFacts {
                    text_layer: false,
                    flags: vec![PageFlag {
                        kind: "extraction_failed".into(),
                        detail: "pdf-extract panicked".into(),
                    }],
                    ..PageFacts::default()
                },
                ..Page::default()
            },
        ];
        let blocks = vec![
            block(1, "[illegible] 지역생태계 구축 성과", vec![marker_flag(11)]),
            block(1, "현황을 정리하자면,", vec![]),
        ];
        let q = document_quality(&blocks, &pages);
        assert_eq!(q.pages[0].flags, vec!["illegible".to_string()]);
        assert!(q.pages[0].reocr, "over 10 % of the page is flagged");
        assert_eq!(
            q.pages[1].flags,
            vec!["extraction_failed".to_string(), "no_text_layer".to_string()]
        );
        assert!(q.pages[1].reocr && !q.pages[1].text_layer);
        assert_eq!(q.flagged_blocks, 1);
        assert_eq!(q.flags_by_kind.get("no_text_layer"), Some(&1));
        assert_eq!(q.flags_by_kind.get("illegible"), Some(&1));
        assert!(q.score < 0.5, "half the pages have no text: {}", q.score);
    }
}
