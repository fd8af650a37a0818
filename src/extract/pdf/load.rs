//! Opening a PDF for glyph capture: parse it with lopdf, decrypt it, refuse what cannot be read
//! with a typed error, and neutralise what would waste time or mislead pdf-extract (image
//! streams it would parse as content, `W` width ranges it misreads).

use std::collections::HashSet;

use lopdf::{Document, LoadOptions, Object, ObjectId};
use thiserror::Error;

use crate::extract::fonts::MAX_WIDTH_RANGE;

/// Why a PDF cannot be opened at all. Problems on single pages never end up here: they become
/// page flags.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum PdfOpenError {
    #[error("the PDF is encrypted: give its password with --password")]
    PasswordRequired,
    #[error("the PDF is encrypted and the password given is wrong")]
    WrongPassword,
    #[error("the PDF is encrypted with a scheme that cannot be decrypted: {0}")]
    Decryption(String),
    #[error("not a PDF (no %PDF header)")]
    NotPdf,
    #[error("the PDF is damaged or truncated and cannot be read: {0}")]
    Damaged(String),
    #[error("the PDF has no pages")]
    NoPages,
}

/// Parses and decrypts `bytes`.
pub fn open(bytes: &[u8], password: Option<&str>) -> Result<Document, PdfOpenError> {
    let head = &bytes[..bytes.len().min(1024)];
    if !head.windows(5).any(|w| w == b"%PDF-") {
        return Err(PdfOpenError::NotPdf);
    }
    let options = match password {
        Some(p) => LoadOptions::with_password(p),
        None => LoadOptions::default(),
    };
    let doc = Document::load_mem_with_options(bytes, options).map_err(|e| match e {
        lopdf::Error::InvalidPassword => PdfOpenError::WrongPassword,
        lopdf::Error::Decryption(lopdf::encryption::DecryptionError::IncorrectPassword) => {
            PdfOpenError::WrongPassword
        }
        lopdf::Error::Decryption(d) => PdfOpenError::Decryption(d.to_string()),
        other => PdfOpenError::Damaged(other.to_string()),
    })?;
    // lopdf leaves a document it could not decrypt with its `Encrypt` entry in place.
    if doc.is_encrypted() {
        return Err(match password {
            Some(_) => PdfOpenError::WrongPassword,
            None => PdfOpenError::PasswordRequired,
        });
    }
    if doc.get_pages().is_empty() {
        return Err(PdfOpenError::NoPages);
    }
    Ok(doc)
}

/// Rewrites parts of `doc` that pdf-extract handles badly, before capture:
/// - image XObjects: pdf-extract runs `Do` on images as if they were content streams (it
///   decompresses and parses the pixels); their data is emptied, which also saves the time;
/// - form XObjects are decompressed once here instead of on every use, and ICC profiles
///   (decompressed on every colour operator, never used) are emptied.
///
/// CID font widths are mended separately, once the pages have their own font copies (see
/// [`expand_width_ranges`]).
pub fn neutralise_for_capture(doc: &mut Document) {
    // ICC profiles: pdf-extract decompresses the profile on every colour-space operator and
    // never uses it.
    let mut profiles = Vec::new();
    for object in doc.objects.values() {
        collect_icc_profiles(object, 0, &mut profiles);
    }
    for id in profiles {
        if let Some(Object::Stream(stream)) = doc.objects.get_mut(&id) {
            stream.dict.remove(b"Filter");
            stream.dict.remove(b"DecodeParms");
            stream.set_content(Vec::new());
        }
    }
    for object in doc.objects.values_mut() {
        let Object::Stream(stream) = object else {
            continue;
        };
        if is_name(stream.dict.get(b"Subtype").ok(), b"Image") {
            stream.dict.remove(b"Filter");
            stream.dict.remove(b"DecodeParms");
            stream.set_content(Vec::new());
        } else if is_name(stream.dict.get(b"Subtype").ok(), b"Form") {
            // Form XObjects are decompressed by pdf-extract every time a page draws them.
            if let Ok(content) = stream.decompressed_content() {
                stream.dict.remove(b"Filter");
                stream.dict.remove(b"DecodeParms");
                stream.set_content(content);
            }
        }
    }
}

/// Expands CID font `W` arrays in the `first last width` form, which pdf-extract misreads
/// (every glyph of such a range would get the default width and word gaps would be wrong),
/// into the `first [w w …]` form it reads correctly. Fonts whose descendant is in `exempt` are
/// left as they are: only pages' own copies of them are ever read, with their own widths.
pub fn expand_width_ranges(doc: &mut Document, exempt: &HashSet<ObjectId>) {
    let mut width_arrays = Vec::new();
    for (id, object) in doc.objects.iter_mut() {
        if exempt.contains(id) {
            continue;
        }
        let Object::Dictionary(dict) = object else {
            continue;
        };
        if !(is_name(dict.get(b"Subtype").ok(), b"CIDFontType0")
            || is_name(dict.get(b"Subtype").ok(), b"CIDFontType2"))
        {
            continue;
        }
        let default_width = dict.get(b"DW").ok().and_then(number).unwrap_or(1000.0);
        match dict.get(b"W") {
            Ok(Object::Array(array)) => {
                if let Some(expanded) = expand_ranges(array, default_width) {
                    dict.set("W", Object::Array(expanded));
                }
            }
            Ok(Object::Reference(target)) => width_arrays.push((*id, *target, default_width)),
            _ => {}
        }
    }
    for (font_id, array_id, default_width) in width_arrays {
        let expanded = match doc.objects.get(&array_id) {
            Some(Object::Array(array)) => expand_ranges(array, default_width),
            _ => None,
        };
        if let (Some(expanded), Some(Object::Dictionary(dict))) =
            (expanded, doc.objects.get_mut(&font_id))
        {
            dict.set("W", Object::Array(expanded));
        }
    }
}

/// What capture needs to know about a page from the page tree.
#[derive(Debug, Clone, PartialEq)]
pub struct PageSetup {
    /// 1-based page number.
    pub number: u32,
    pub id: lopdf::ObjectId,
    /// `/Rotate` (inherited), degrees clockwise.
    pub rotate: i64,
    /// Image XObjects the page draws directly.
    pub images: usize,
    /// Object ids of the fonts in the page's resources.
    pub fonts: Vec<lopdf::ObjectId>,
}

/// Looks `key` up on the page dictionary or its ancestors.
pub(super) fn inherited<'a>(
    doc: &'a Document,
    page: &'a lopdf::Dictionary,
    key: &[u8],
) -> Option<&'a Object> {
    let mut node = page;
    for _ in 0..32 {
        if let Ok(value) = node.get(key) {
            return Some(resolve(doc, value));
        }
        let parent = node.get(b"Parent").ok()?.as_reference().ok()?;
        node = doc.get_dictionary(parent).ok()?;
    }
    None
}

/// The object a reference points to (the object itself when it is not a reference).
pub(super) fn resolve<'a>(doc: &'a Document, object: &'a Object) -> &'a Object {
    match object {
        Object::Reference(id) => doc.get_object(*id).unwrap_or(object),
        other => other,
    }
}

/// The page tree's pages in order, with what capture needs from each.
pub fn page_setups(doc: &Document) -> Vec<PageSetup> {
    doc.get_pages()
        .into_iter()
        .map(|(number, id)| {
            let mut setup = PageSetup {
                number,
                id,
                rotate: 0,
                images: 0,
                fonts: Vec::new(),
            };
            let Ok(page) = doc.get_dictionary(id) else {
                return setup;
            };
            setup.rotate = inherited(doc, page, b"Rotate")
                .and_then(|r| r.as_i64().ok())
                .unwrap_or(0);
            let resources = inherited(doc, page, b"Resources").and_then(|r| r.as_dict().ok());
            if let Some(resources) = resources {
                if let Some(Object::Dictionary(fonts)) =
                    resources.get(b"Font").ok().map(|f| resolve(doc, f))
                {
                    setup.fonts = fonts
                        .iter()
                        .filter_map(|(_, f)| f.as_reference().ok())
                        .collect();
                }
                if let Some(Object::Dictionary(xobjects)) =
                    resources.get(b"XObject").ok().map(|x| resolve(doc, x))
                {
                    setup.images = xobjects
                        .iter()
                        .filter(|(_, x)| match resolve(doc, x) {
                            Object::Stream(s) => is_name(s.dict.get(b"Subtype").ok(), b"Image"),
                            _ => false,
                        })
                        .count();
                }
            }
            setup
        })
        .collect()
}

/// Object ids of ICC profile streams referenced from `[/ICCBased …]` arrays inside `object`.
fn collect_icc_profiles(object: &Object, depth: usize, out: &mut Vec<lopdf::ObjectId>) {
    if depth > 6 {
        return;
    }
    match object {
        Object::Array(items) => {
            if let (Some(Object::Name(n)), Some(Object::Reference(id))) =
                (items.first(), items.get(1))
            {
                if n == b"ICCBased" {
                    out.push(*id);
                    return;
                }
            }
            for item in items {
                collect_icc_profiles(item, depth + 1, out);
            }
        }
        Object::Dictionary(dict) => {
            for (_, value) in dict.iter() {
                collect_icc_profiles(value, depth + 1, out);
            }
        }
        _ => {}
    }
}

fn is_name(object: Option<&Object>, name: &[u8]) -> bool {
    matches!(object, Some(Object::Name(n)) if n == name)
}

fn number(object: &Object) -> Option<f64> {
    match object {
        Object::Integer(i) => Some(*i as f64),
        Object::Real(r) => Some(*r as f64),
        _ => None,
    }
}

/// Whether `array` has an entry at `i` in the `c_first c_last w` form.
fn is_range_at(array: &[Object], i: usize) -> bool {
    matches!(
        (array.get(i), array.get(i + 1), array.get(i + 2)),
        (Some(Object::Integer(first)), Some(Object::Integer(last)), Some(width))
            if number(width).is_some() && *last >= *first
    )
}

/// `c_first c_last w` entries rewritten as `c_first [w …]`; `None` when there are none. Ranges
/// whose width is the default width (`DW`), or that span more than [`MAX_WIDTH_RANGE`] CIDs,
/// are dropped: pdf-extract falls back to the default width for them anyway.
fn expand_ranges(array: &[Object], default_width: f64) -> Option<Vec<Object>> {
    // Most arrays have no range (font preparation writes lists): nothing to copy then.
    let mut i = 0;
    loop {
        if is_range_at(array, i) {
            break;
        }
        match array.get(i + 1) {
            Some(Object::Array(_)) => i += 2,
            _ => return None,
        }
    }
    let mut out = Vec::with_capacity(array.len());
    let mut i = 0;
    while i < array.len() {
        match (array.get(i), array.get(i + 1), array.get(i + 2)) {
            (Some(first), Some(Object::Array(widths)), _) => {
                out.push(first.clone());
                out.push(Object::Array(widths.clone()));
                i += 2;
            }
            (Some(Object::Integer(first)), Some(Object::Integer(last)), Some(width))
                if is_range_at(array, i) =>
            {
                i += 3;
                if number(width).is_some_and(|w| (w - default_width).abs() < 0.5)
                    || last - first >= MAX_WIDTH_RANGE
                {
                    continue;
                }
                let widths = vec![width.clone(); (last - first + 1) as usize];
                out.push(Object::Integer(*first));
                out.push(Object::Array(widths));
            }
            _ => return Some(out),
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn width_ranges_become_width_lists() {
        let w = vec![
            Object::Integer(1),
            Object::Array(vec![Object::Integer(500)]),
            Object::Integer(10),
            Object::Integer(12),
            Object::Integer(1000),
            Object::Integer(20),
            Object::Integer(30),
            Object::Integer(500),
        ];
        let expanded = expand_ranges(&w, 500.0).expect("a range to expand");
        assert_eq!(expanded.len(), 4);
        assert_eq!(
            expanded[3],
            Object::Array(vec![Object::Integer(1000); 3]),
            "10..=12 gets three widths; 20..=30 has the default width and is dropped"
        );
    }

    #[test]
    fn arrays_without_ranges_are_left_alone() {
        let w = vec![
            Object::Integer(1),
            Object::Array(vec![Object::Integer(500)]),
            Object::Integer(3),
            Object::Array(vec![Object::Integer(600), Object::Integer(700)]),
        ];
        assert_eq!(expand_ranges(&w, 1000.0), None);
    }

    #[test]
    fn ranges_over_a_whole_font_keep_the_default_width() {
        // Chrome's Nanum subsets: 354..=16947 at 950.2 is expanded; 0..=70000 is not.
        let w = vec![
            Object::Integer(0),
            Object::Integer(70_000),
            Object::Integer(300),
            Object::Integer(354),
            Object::Integer(16_947),
            Object::Real(950.195),
        ];
        let expanded = expand_ranges(&w, 1000.0).expect("a range to expand");
        assert_eq!(expanded.len(), 2);
        assert_eq!(expanded[0], Object::Integer(354));
        assert_eq!(
            expanded[1],
            Object::Array(vec![Object::Real(950.195); 16_947 - 354 + 1])
        );
    }

    #[test]
    fn garbage_is_not_a_pdf() {
        assert_eq!(open(b"hello world", None).err(), Some(PdfOpenError::NotPdf));
    }

    #[test]
    fn truncated_pdf_is_damaged() {
        let err = open(b"%PDF-1.4\n1 0 obj << /Type /Catalog", None).err();
        assert!(matches!(err, Some(PdfOpenError::Damaged(_))), "{err:?}");
    }
}
