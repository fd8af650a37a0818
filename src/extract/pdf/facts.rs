//! Page facts: whether a page has a text layer, how many of its glyphs come from fonts with no
//! usable Unicode mapping, whether that layer is an invisible OCR layer, what else the page
//! draws (images, lines), and the flags the quality stage reports in `quality.pages`.

use super::capture::Glyph;
use super::glyphs::UNMAPPED_TEXT;
use crate::model::{PageFacts, PageFlag};

/// Share of glyphs from unmapped fonts (or U+FFFD) above which the page's visible text is
/// taken not to be in its text layer.
const UNMAPPED_SHARE: f32 = 0.5;
/// A page with at least this many glyphs, no Hangul and fewer than `MIN_LETTER_SHARE` letters
/// (only digits and punctuation, as on a cairo-rendered page whose Korean was drawn as
/// outlines) does not carry its visible text in the text layer.
const LETTERLESS_MIN_GLYPHS: usize = 20;
const MIN_LETTER_SHARE: f32 = 0.3;
/// Private-use characters on a page from this many on are reported.
const PRIVATE_USE_MIN: usize = 3;

fn is_private_use(c: char) -> bool {
    let c = c as u32;
    (0xE000..=0xF8FF).contains(&c) || (0xF0000..=0x10FFFD).contains(&c)
}

fn is_hangul(c: char) -> bool {
    ('\u{AC00}'..='\u{D7A3}').contains(&c) || ('\u{3131}'..='\u{318E}').contains(&c)
}

/// What a page draws besides glyphs, and the evidence of an invisible OCR layer.
#[derive(Debug, Clone, Default)]
pub struct Drawn {
    pub images: usize,
    pub drawings: usize,
    pub ocr_layer: Option<String>,
}

/// Font-name fragments of invisible OCR text layers (lower case): Tesseract/OCRmyPDF's
/// `GlyphLessFont`, and `Hidden…OCR` fonts of other OCR engines (both parts must appear).
const OCR_FONT_MARKS: &[&[&str]] = &[&["glyphless"], &["hidden", "ocr"]];

/// The evidence that a page's text is an invisible OCR layer: a font named like one, or text
/// drawn in render mode 3 (invisible) in the page's content.
pub fn ocr_layer_evidence<'a>(
    font_names: impl IntoIterator<Item = &'a str>,
    content: Option<&[u8]>,
) -> Option<String> {
    for name in font_names {
        let lower = name.to_lowercase();
        if OCR_FONT_MARKS
            .iter()
            .any(|marks| marks.iter().all(|m| lower.contains(m)))
        {
            return Some(format!("text drawn with the OCR font `{name}`"));
        }
    }
    content
        .filter(|c| has_invisible_render_mode(c))
        .map(|_| "text drawn invisibly (render mode 3 Tr)".to_string())
}

/// The content sets text render mode 3 (`3 Tr`: neither filled nor stroked).
fn has_invisible_render_mode(content: &[u8]) -> bool {
    content.windows(4).enumerate().any(|(i, w)| {
        w == b"3 Tr"
            && content
                .get(i.wrapping_sub(1))
                .is_none_or(|b| b.is_ascii_whitespace())
            && content
                .get(i + 4)
                .is_none_or(|b| !b.is_ascii_alphanumeric())
    })
}

/// Facts of a page from its cleaned glyphs; `failure` is the reason capture stopped, if it did.
pub fn page_facts(glyphs: &[&Glyph], failure: Option<&str>, drawn: Drawn) -> PageFacts {
    let images = drawn.images;
    let ink: Vec<&&Glyph> = glyphs.iter().filter(|g| !g.space).collect();
    let total = ink.len();
    let unmapped = ink.iter().filter(|g| g.unmapped).count();
    let replacement = ink
        .iter()
        .filter(|g| !g.unmapped && g.text == UNMAPPED_TEXT)
        .count();
    let hangul = ink.iter().filter(|g| g.text.chars().any(is_hangul)).count();
    let letters = ink
        .iter()
        .filter(|g| g.text.chars().any(char::is_alphabetic))
        .count();
    let private_use = ink
        .iter()
        .filter(|g| g.text.chars().any(is_private_use))
        .count();
    let mut flags = Vec::new();
    if let Some(reason) = failure {
        flags.push(PageFlag {
            kind: "extraction_failed".into(),
            detail: if total > 0 {
                format!("{reason} (the {total} glyphs read before the failure are kept)")
            } else {
                reason.to_string()
            },
        });
    }
    if total == 0 {
        flags.push(PageFlag {
            kind: "no_text_layer".into(),
            detail: match images {
                0 => "the page has no text layer".to_string(),
                n => format!("the page has no text layer; it shows {n} image(s): a scan or an image-only page"),
            },
        });
    } else {
        let share = (unmapped + replacement) as f32 / total as f32;
        let reason = if share >= UNMAPPED_SHARE {
            Some(format!(
                "{} of {total} glyphs have no usable Unicode mapping ({unmapped} from unmapped fonts, {replacement} U+FFFD)",
                unmapped + replacement
            ))
        } else if unmapped > 0 && hangul == 0 {
            Some(format!(
                "no Hangul in the text layer and {unmapped} of {total} glyphs come from fonts without a Unicode mapping"
            ))
        } else if hangul == 0
            && total >= LETTERLESS_MIN_GLYPHS
            && (letters as f32) < MIN_LETTER_SHARE * total as f32
        {
            Some(format!(
                "the text layer has no Hangul and only {letters} letters among {total} glyphs (digits and punctuation): the visible text is not in it"
            ))
        } else {
            None
        };
        if let Some(detail) = reason {
            flags.push(PageFlag {
                kind: "unmapped_font".into(),
                detail,
            });
        }
    }
    if private_use >= PRIVATE_USE_MIN {
        flags.push(PageFlag {
            kind: "private_use".into(),
            detail: format!("{private_use} private-use characters"),
        });
    }
    PageFacts {
        text_layer: total > 0,
        glyphs: total,
        unmapped_glyphs: unmapped,
        flags,
        images,
        drawings: drawn.drawings,
        ocr_layer: drawn.ocr_layer.filter(|_| total > 0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ocr_layers_are_recognised_by_font_or_render_mode() {
        assert!(ocr_layer_evidence(["GlyphLessFont"], None).is_some());
        assert!(ocr_layer_evidence(["ABCDEF+HiddenHorzOCR"], None).is_some());
        assert!(ocr_layer_evidence(["HCR Batang"], None).is_none());
        let content = b"BT /F1 12 Tf 3 Tr (x) Tj ET";
        assert!(ocr_layer_evidence(["HCR Batang"], Some(content)).is_some());
        // `13 Tr` is no render mode 3, and mode 0 is visible text.
        assert!(ocr_layer_evidence([], Some(b"BT 13 Tr 0 Tr ET")).is_none());
    }
}
