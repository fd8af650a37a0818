//! The HWP reader on the documents in `../shared/hwp-pairs/` (public HWP/HWPX files with the
//! PDFs Hancom printed from them). Skips, saying so, when that folder is absent.

mod common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use jaryo::extract::{extract, ExtractOptions};
use jaryo::model::{ExtractedDocument, Format, HintKind, LineRole};

/// Reads any input through the pipeline's own source detection and extraction.
fn read(path: &Path) -> Result<ExtractedDocument, String> {
    let source = jaryo::source::read(path).map_err(|e| e.to_string())?;
    extract(&source, &ExtractOptions::default())
        .map(|(document, _)| document)
        .map_err(|e| e.to_string())
}

fn hwp_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| entries.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == "hwp" || e == "hwpx"));
    files.sort();
    files
}

/// A line that is printed body text: not furniture, not a figure's description (Hancom's
/// "그림입니다. 원본 그림의 이름: …" alt text is never printed).
fn printed_body(line: &&jaryo::model::Line) -> bool {
    line.role == LineRole::Body
        && !matches!(line.hint.as_ref().map(|h| &h.kind), Some(HintKind::Figure))
}

/// Body text (furniture aside) of a document: its lines and its tables' cell lines.
fn body_text(document: &ExtractedDocument) -> String {
    let mut text = String::new();
    for page in &document.pages {
        for line in page.lines.iter().filter(printed_body) {
            text.push_str(&line.text);
            text.push('\n');
        }
        for cell in page.tables.iter().flat_map(|t| &t.cells) {
            for line in cell.lines.iter().filter(printed_body) {
                text.push_str(&line.text);
                text.push('\n');
            }
        }
    }
    text
}

/// The PDF's text, furniture aside: page numbers, lines equal to one of the HWP's
/// header/footer lines, and lines the PDF path takes for running headers or footers unless
/// the HWP has them as body paragraphs. (On the regulatory analyses the PDF path takes
/// headings that recur in the body, "Ⅱ. 규제의 적정성", "- 경쟁영향평가", …, for headers.)
fn pdf_text_without_hwp_furniture(pdf: &ExtractedDocument, hwp: &ExtractedDocument) -> String {
    let squeeze = |t: &str| t.split_whitespace().collect::<String>();
    let hwp_lines = |body: bool| -> std::collections::HashSet<String> {
        hwp.pages
            .iter()
            .flat_map(|p| &p.lines)
            .filter(|l| (l.role == LineRole::Body) == body)
            .map(|l| squeeze(&l.text))
            .collect()
    };
    let (furniture, body) = (hwp_lines(false), hwp_lines(true));
    let keep = |l: &&jaryo::model::Line| {
        let text = squeeze(&l.text);
        l.role != LineRole::PageNumber
            && !furniture.contains(&text)
            && (l.role == LineRole::Body || body.contains(&text))
    };
    let mut text = String::new();
    for page in &pdf.pages {
        for line in page.lines.iter().filter(keep) {
            text.push_str(&line.text);
            text.push('\n');
        }
        for cell in page.tables.iter().flat_map(|t| &t.cells) {
            for line in cell.lines.iter().filter(keep) {
                text.push_str(&line.text);
                text.push('\n');
            }
        }
    }
    text
}

fn hangul_counts(text: &str) -> HashMap<char, usize> {
    let mut counts = HashMap::new();
    for c in text
        .chars()
        .filter(|c| ('\u{AC00}'..='\u{D7A3}').contains(c))
    {
        *counts.entry(c).or_insert(0) += 1;
    }
    counts
}

/// sum(min(countA[c], countB[c])) / max(totalA, totalB) over Hangul syllables.
fn agreement(a: &str, b: &str) -> f64 {
    let (a, b) = (hangul_counts(a), hangul_counts(b));
    let total = |m: &HashMap<char, usize>| m.values().sum::<usize>();
    let common: usize = a
        .iter()
        .map(|(c, n)| (*n).min(b.get(c).copied().unwrap_or(0)))
        .sum();
    let denominator = total(&a).max(total(&b));
    if denominator == 0 {
        return 0.0;
    }
    common as f64 / denominator as f64
}

#[test]
fn every_hwp_and_hwpx_converts_or_says_why() {
    let Some(dir) = common::hwp_pairs_dir() else {
        return;
    };
    let files = hwp_files(&dir);
    assert!(files.len() >= 20, "{} files", files.len());
    for path in files {
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        match read(&path) {
            Ok(document) => {
                let lines: usize = document.pages.iter().map(|p| p.lines.len()).sum();
                assert!(lines > 0, "{name}: no lines");
                assert!(matches!(document.format, Format::Hwp | Format::Hwpx));
                let flags: Vec<_> = document.pages.iter().flat_map(|p| &p.facts.flags).collect();
                assert!(flags.is_empty(), "{name}: {flags:?}");
            }
            // so_sueop.hwp is HWP 3.x: a clear one-line reason instead of text.
            Err(error) => assert!(
                name == "so_sueop.hwp" && error.contains("HWP 3.x"),
                "{name}: {error}"
            ),
        }
    }
}

#[test]
fn files_named_hwpx_that_are_hwp5_inside_read_as_hwp() {
    let Some(dir) = common::hwp_pairs_dir() else {
        return;
    };
    for name in ["reg76076.hwpx", "reg80250.hwpx"] {
        let document = read(&dir.join(name)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(document.format, Format::Hwp, "{name}");
    }
    let document = read(&dir.join("reg86712.hwpx")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(document.format, Format::Hwpx);
}

#[test]
fn hwp_text_agrees_with_the_hancom_pdf() {
    let Some(dir) = common::hwp_pairs_dir() else {
        return;
    };
    let mut failures = Vec::new();
    for name in common::HWP_PAIRS_WITH_TEXT {
        let hwp = read(&dir.join(name)).unwrap_or_else(|e| panic!("{e}"));
        let pdf_path = dir.join(name).with_extension("pdf");
        let pdf = read(&pdf_path).unwrap_or_else(|e| panic!("{e}"));
        let pdf_text = pdf_text_without_hwp_furniture(&pdf, &hwp);
        let score = agreement(&body_text(&hwp), &pdf_text);
        eprintln!("{name}: Hangul agreement with the PDF {score:.4}");
        if score < 0.99 {
            let (h, p) = (hangul_counts(&body_text(&hwp)), hangul_counts(&pdf_text));
            let mut only_pdf: Vec<(usize, char)> = p
                .iter()
                .map(|(c, n)| (n.saturating_sub(h.get(c).copied().unwrap_or(0)), *c))
                .filter(|(n, _)| *n > 0)
                .collect();
            only_pdf.sort_unstable_by(|a, b| b.cmp(a));
            let mut only_hwp: Vec<(usize, char)> = h
                .iter()
                .map(|(c, n)| (n.saturating_sub(p.get(c).copied().unwrap_or(0)), *c))
                .filter(|(n, _)| *n > 0)
                .collect();
            only_hwp.sort_unstable_by(|a, b| b.cmp(a));
            eprintln!(
                "  totals hwp {} pdf {}; more in the PDF {:?}; more in the HWP {:?}",
                h.values().sum::<usize>(),
                p.values().sum::<usize>(),
                &only_pdf[..only_pdf.len().min(12)],
                &only_hwp[..only_hwp.len().min(12)]
            );
            failures.push(format!("{name}: {score:.4}"));
        }
    }
    assert!(failures.is_empty(), "{failures:?}");
}

/// What a line says, for comparing the HWP and HWPX of one document.
fn lines_and_tables(document: &ExtractedDocument) -> (Vec<String>, Vec<String>) {
    let mut lines = Vec::new();
    let mut tables = Vec::new();
    for page in &document.pages {
        for line in &page.lines {
            lines.push(format!(
                "{} {:?} {:?} {:?} {:?}",
                line.page,
                line.role,
                line.text,
                line.table,
                line.hint
                    .as_ref()
                    .map(|h| (h.heading_level, &h.style, &h.list_marker, &h.kind))
            ));
        }
        for table in &page.tables {
            for cell in &table.cells {
                tables.push(format!(
                    "{} {}x{} {:?} {} {} {} {} {:?}",
                    table.page,
                    table.rows,
                    table.cols,
                    table.header_rows,
                    cell.row,
                    cell.col,
                    cell.row_span,
                    cell.col_span,
                    cell.text()
                ));
            }
        }
    }
    (lines, tables)
}

#[test]
fn hwp_and_hwpx_of_one_document_give_the_same_lines_and_tables() {
    let Some(dir) = common::hwp_pairs_dir() else {
        return;
    };
    for stem in ["footnote01", "kwater_rfp", "oss_rst", "reg86712"] {
        let hwp = read(&dir.join(format!("{stem}.hwp"))).unwrap_or_else(|e| panic!("{e}"));
        let hwpx = read(&dir.join(format!("{stem}.hwpx"))).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(hwpx.format, Format::Hwpx, "{stem}");
        let (hwp_lines, hwp_tables) = lines_and_tables(&hwp);
        let (hwpx_lines, hwpx_tables) = lines_and_tables(&hwpx);
        let first_difference = hwp_lines.iter().zip(&hwpx_lines).find(|(a, b)| a != b);
        assert_eq!(first_difference, None, "{stem}: lines differ");
        assert_eq!(hwp_lines.len(), hwpx_lines.len(), "{stem}");
        let first_difference = hwp_tables.iter().zip(&hwpx_tables).find(|(a, b)| a != b);
        assert_eq!(first_difference, None, "{stem}: tables differ");
        assert_eq!(hwp_tables.len(), hwpx_tables.len(), "{stem}");
    }
}

#[test]
fn regulatory_analyses_keep_their_merged_cells() {
    let Some(dir) = common::hwp_pairs_dir() else {
        return;
    };
    for name in [
        "reg76076.hwp",
        "reg80250.hwp",
        "reg86712.hwp",
        "reg86712.hwpx",
    ] {
        let document = read(&dir.join(name)).unwrap_or_else(|e| panic!("{e}"));
        let cells: Vec<_> = document
            .pages
            .iter()
            .flat_map(|p| &p.tables)
            .flat_map(|t| &t.cells)
            .collect();
        assert!(
            cells.iter().any(|c| c.row_span > 1),
            "{name}: no cell spans rows"
        );
        assert!(
            cells.iter().any(|c| c.col_span > 1),
            "{name}: no cell spans columns"
        );
        // Every table's anchor line points at a table of its page.
        for page in &document.pages {
            for line in page.lines.iter().filter(|l| l.table.is_some()) {
                let index = line.table.unwrap_or_default() as usize;
                assert!(index < page.tables.len(), "{name}: dangling anchor");
                assert!(line.text.is_empty());
            }
        }
    }
}

#[test]
fn footnotes_come_with_their_markers_after_the_referencing_paragraph() {
    let Some(dir) = common::hwp_pairs_dir() else {
        return;
    };
    for name in ["footnote01.hwp", "footnote01.hwpx"] {
        let document = read(&dir.join(name)).unwrap_or_else(|e| panic!("{e}"));
        let lines: Vec<_> = document.pages.iter().flat_map(|p| &p.lines).collect();
        let markers: Vec<String> = lines
            .iter()
            .filter_map(|l| match l.hint.as_ref().map(|h| &h.kind) {
                Some(HintKind::Footnote { marker }) => Some(marker.clone()),
                _ => None,
            })
            .collect();
        let expected: Vec<String> = (1..=markers.len()).map(|n| format!("{n})")).collect();
        assert!(markers.len() >= 5, "{name}: {markers:?}");
        assert_eq!(markers, expected, "{name}");
        // The first note explains the term used in the paragraph just before it.
        let first = lines
            .iter()
            .position(|l| {
                matches!(
                    l.hint.as_ref().map(|h| &h.kind),
                    Some(HintKind::Footnote { .. })
                )
            })
            .unwrap_or_default();
        assert!(lines[first].text.contains("플라스틱 액체"), "{name}");
        assert!(
            lines[first - 1].text.contains("플라스틱 액체와 같은 원료"),
            "{name}"
        );
    }
}

#[test]
fn styles_bullets_and_locations_are_hinted() {
    let Some(dir) = common::hwp_pairs_dir() else {
        return;
    };
    let document = read(&dir.join("footnote01.hwpx")).unwrap_or_else(|e| panic!("{e}"));
    let line = document
        .pages
        .iter()
        .flat_map(|p| &p.lines)
        .find(|l| l.text == "3D 프린팅 기술의 장점")
        .expect("the heading-like bullet paragraph");
    let hint = line.hint.as_deref().expect("a hint");
    assert_eq!(hint.style.as_deref(), Some("개요 2"));
    assert_eq!(hint.list_marker.as_deref(), Some("❏"));
    // Styled 개요 2 but numbered by a bullet shape, not an outline one: no heading level.
    assert_eq!(hint.heading_level, None);
    assert!(hint
        .location
        .is_some_and(|l| l.section == 0 && l.cell.is_none()));
}

#[test]
fn header_and_footer_areas_are_running_furniture() {
    let Some(dir) = common::hwp_pairs_dir() else {
        return;
    };
    let document = read(&dir.join("so_sueop.hwpx")).unwrap_or_else(|e| panic!("{e}"));
    let lines: Vec<_> = document.pages.iter().flat_map(|p| &p.lines).collect();
    let header = lines
        .iter()
        .find(|l| l.role == LineRole::RunningHeader)
        .expect("a header line");
    assert!(header.text.contains("수업용소설해설"), "{}", header.text);
    let footer = lines
        .iter()
        .find(|l| l.role == LineRole::RunningFooter)
        .expect("a footer line");
    assert!(footer.text.contains("협성고등학교"), "{}", footer.text);
    // Figure descriptions stay on one line.
    let kwater = read(&dir.join("kwater_rfp.hwp")).unwrap_or_else(|e| panic!("{e}"));
    let figures: Vec<_> = kwater
        .pages
        .iter()
        .flat_map(|p| &p.lines)
        .filter(|l| matches!(l.hint.as_ref().map(|h| &h.kind), Some(HintKind::Figure)))
        .collect();
    assert!(!figures.is_empty());
    assert!(figures.iter().all(|l| !l.text.contains('\n')));
}

#[test]
fn damaged_copies_of_real_files_never_panic() {
    let Some(dir) = common::hwp_pairs_dir() else {
        return;
    };
    // A fixed linear congruential sequence picks the bytes to flip: reproducible damage.
    let mut state = 0x2545_F491u64;
    let mut next = move || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1);
        (state >> 33) as usize
    };
    for path in hwp_files(&dir) {
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        let mut damaged: Vec<Vec<u8>> = [10, 30, 50, 70, 90, 99]
            .iter()
            .map(|percent| bytes[..bytes.len() * percent / 100].to_vec())
            .collect();
        for _ in 0..12 {
            let mut copy = bytes.clone();
            for _ in 0..8 {
                let at = next() % copy.len();
                copy[at] ^= 0x5A;
            }
            damaged.push(copy);
        }
        for (i, copy) in damaged.iter().enumerate() {
            let outcome = std::panic::catch_unwind(|| {
                jaryo::extract::hwp::read(copy, &path).map(|d| d.pages.len())
            });
            assert!(
                outcome.is_ok(),
                "{}: damaged copy {i} panicked",
                path.display()
            );
        }
    }
}
