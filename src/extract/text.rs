//! The text path: text that an OCR/layout tool already produced becomes one page of lines,
//! each with its 1-based source line number. Blank lines become paragraph starts; runs of
//! tab-separated rows become typed tables (`delimited`).

use crate::model::{ExtractedDocument, Format, Line, Page, PageFacts};

pub fn extract(text: &str) -> ExtractedDocument {
    let mut lines = Vec::new();
    let mut blank_before = true;
    for (index, raw) in text.lines().enumerate() {
        let trimmed = raw.trim_end_matches(['\r', '\n']);
        if trimmed.trim().is_empty() {
            blank_before = true;
            continue;
        }
        lines.push(Line {
            text: trimmed.to_string(),
            page: 1,
            source_line: Some(index + 1),
            starts_paragraph: blank_before,
            ..Line::default()
        });
        blank_before = false;
    }
    let glyphs = lines.iter().map(|l| l.text.chars().count()).sum();
    let mut page = Page {
        number: 1,
        lines,
        facts: PageFacts {
            text_layer: true,
            glyphs,
            ..PageFacts::default()
        },
        ..Page::default()
    };
    super::delimited::tables_from_tab_rows(&mut page);
    ExtractedDocument {
        format: Format::Text,
        pages: vec![page],
    }
}
