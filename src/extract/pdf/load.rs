//! Opening a PDF for glyph capture: parse it with lopdf, decrypt it, refuse what cannot be read
//! or would exceed a safety limit (decompression bombs, form XObjects that draw themselves)
//! with a typed error, and neutralise what would waste time or mislead pdf-extract (image
//! streams it would parse as content, `W` width ranges it misreads).

use std::collections::HashSet;
use std::sync::LazyLock;

use lopdf::{Document, LoadOptions, Object, ObjectId};
use regex::bytes::Regex;
use thiserror::Error;

use super::recover::{self, Recovery};
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
    #[error("the PDF exceeds a safety limit: {0}")]
    Limit(String),
}

/// The most one stream may inflate to (the largest content streams of real booklets are a
/// few MB).
const MAX_STREAM_INFLATED: u64 = 256 << 20;

/// The most a ToUnicode CMap may inflate to (the largest CJK ones are under a megabyte).
const MAX_CMAP_INFLATED: u64 = 16 << 20;

/// The most the streams checked may inflate to together.
const MAX_DOCUMENT_INFLATED: u64 = 1 << 30;

/// Deflate cannot expand more than about 1032:1, so a single-filter stream this many times
/// smaller than its limit needs no check.
const DEFLATE_MAX_RATIO: u64 = 1032;

/// How deep form XObjects may draw one another (real documents nest two or three).
const MAX_FORM_DEPTH: usize = 16;

/// `/Size N` in a trailer or cross-reference stream dictionary.
static SIZE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"/Size\s*(\d{1,20})").unwrap());

/// `/W [0 0 0]`: cross-reference stream entries of no width.
static EMPTY_WIDTHS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"/W\s*\[\s*0+\s+0+\s+0+\s*\]").unwrap());

/// Refuses cross-reference data that made lopdf allocate gigabytes: a `/Size` claiming more
/// objects than the file has bytes, and a cross-reference stream whose `/W` widths are all
/// zero (it reads `/Size` entries out of nothing).
fn check_cross_references(bytes: &[u8]) -> Result<(), PdfOpenError> {
    for found in SIZE.captures_iter(bytes) {
        let size = std::str::from_utf8(&found[1])
            .ok()
            .and_then(|n| n.parse::<u64>().ok())
            .unwrap_or(u64::MAX);
        if size > bytes.len() as u64 {
            return Err(PdfOpenError::Limit(format!(
                "the cross-reference data claims {size} objects, more than the file's {} \
                 bytes could hold",
                bytes.len()
            )));
        }
    }
    if EMPTY_WIDTHS.is_match(bytes) {
        return Err(PdfOpenError::Limit(
            "a cross-reference stream has entries of no width (/W [0 0 0])".to_string(),
        ));
    }
    Ok(())
}

/// Checks how far the streams that could be decompression bombs inflate (counting, keeping
/// nothing): a stream past its limit, or all of them past the document's, is an error.
fn check_inflated_sizes(doc: &Document) -> Result<(), PdfOpenError> {
    let cmaps: HashSet<ObjectId> = doc
        .objects
        .values()
        .filter_map(|o| match o {
            Object::Dictionary(d) => d.get(b"ToUnicode").ok()?.as_reference().ok(),
            _ => None,
        })
        .collect();
    let mut total = 0u64;
    for (id, object) in &doc.objects {
        let Object::Stream(stream) = object else {
            continue;
        };
        // Images are emptied before capture, never inflated.
        if is_name(stream.dict.get(b"Subtype").ok(), b"Image") {
            continue;
        }
        let Some(filters) = flate_filters(&stream.dict) else {
            continue;
        };
        let limit = if cmaps.contains(id) {
            MAX_CMAP_INFLATED
        } else {
            MAX_STREAM_INFLATED
        };
        if filters == 1 && (stream.content.len() as u64).saturating_mul(DEFLATE_MAX_RATIO) <= limit
        {
            continue;
        }
        let inflated = inflated_size(&stream.content, filters, limit);
        let what = if cmaps.contains(id) {
            "ToUnicode CMap"
        } else {
            "stream"
        };
        if inflated > limit {
            return Err(PdfOpenError::Limit(format!(
                "{what} {} {} inflates to more than {} MiB",
                id.0,
                id.1,
                limit >> 20
            )));
        }
        total += inflated;
        if total > MAX_DOCUMENT_INFLATED {
            return Err(PdfOpenError::Limit(format!(
                "its streams inflate to more than {} MiB together",
                MAX_DOCUMENT_INFLATED >> 20
            )));
        }
    }
    Ok(())
}

/// How many FlateDecode filters `dict` applies, when those are all its filters.
fn flate_filters(dict: &lopdf::Dictionary) -> Option<usize> {
    match dict.get(b"Filter").ok()? {
        Object::Name(name) if name == b"FlateDecode" => Some(1),
        Object::Array(names) if !names.is_empty() => names
            .iter()
            .all(|n| matches!(n, Object::Name(name) if name == b"FlateDecode"))
            .then_some(names.len()),
        _ => None,
    }
}

/// The size `content` inflates to through `layers` zlib layers, counted up to `limit + 1`.
fn inflated_size(content: &[u8], layers: usize, limit: u64) -> u64 {
    use std::io::Read;
    let mut reader: Box<dyn Read + '_> = Box::new(content);
    for _ in 0..layers {
        reader = Box::new(flate2::read::ZlibDecoder::new(reader));
    }
    // A damaged stream counts as far as it reads.
    std::io::copy(&mut reader.take(limit + 1), &mut std::io::sink()).unwrap_or(0)
}

/// Cuts form XObjects out of form resources where drawing them would recurse: a form that
/// draws itself (directly or through others) or forms nested deeper than `MAX_FORM_DEPTH`.
/// pdf-extract draws forms recursively and would overflow its stack. Returns how many uses
/// were cut.
pub fn cut_form_cycles(doc: &mut Document) -> usize {
    let forms: HashSet<ObjectId> = doc
        .objects
        .iter()
        .filter(|(_, o)| match o {
            Object::Stream(s) => is_name(s.dict.get(b"Subtype").ok(), b"Form"),
            _ => false,
        })
        .map(|(id, _)| *id)
        .collect();
    // (form, XObject name) uses to remove, found by a depth-first walk from every form.
    let mut cuts: Vec<(ObjectId, Vec<u8>)> = Vec::new();
    let mut done: HashSet<ObjectId> = HashSet::new();
    for &start in &forms {
        let mut path: Vec<ObjectId> = Vec::new();
        walk_forms(doc, &forms, start, &mut path, &mut done, &mut cuts);
    }
    let count = cuts.len();
    for (form, name) in cuts {
        remove_xobject(doc, form, &name);
    }
    count
}

/// Removes `name` from the XObject resources of `form` (wherever they are: inline in the
/// form, or in referenced dictionaries).
fn remove_xobject(doc: &mut Document, form: ObjectId, name: &[u8]) {
    let Some(Object::Stream(stream)) = doc.objects.get(&form) else {
        return;
    };
    let resources_ref = stream
        .dict
        .get(b"Resources")
        .ok()
        .and_then(|r| r.as_reference().ok());
    let resources = match resources_ref {
        Some(id) => doc.get_dictionary(id).ok(),
        None => stream
            .dict
            .get(b"Resources")
            .ok()
            .and_then(|r| r.as_dict().ok()),
    };
    let xobjects_ref = resources
        .and_then(|r| r.get(b"XObject").ok())
        .and_then(|x| x.as_reference().ok());
    let xobjects = match (xobjects_ref, resources_ref) {
        (Some(id), _) => doc.get_dictionary_mut(id).ok(),
        (None, Some(id)) => doc
            .get_dictionary_mut(id)
            .ok()
            .and_then(|r| r.get_mut(b"XObject").ok()?.as_dict_mut().ok()),
        (None, None) => match doc.objects.get_mut(&form) {
            Some(Object::Stream(stream)) => stream
                .dict
                .get_mut(b"Resources")
                .ok()
                .and_then(|r| r.as_dict_mut().ok())
                .and_then(|r| r.get_mut(b"XObject").ok()?.as_dict_mut().ok()),
            _ => None,
        },
    };
    if let Some(xobjects) = xobjects {
        xobjects.remove(name);
    }
}

/// The forms `form`'s resources name, with their names.
fn drawn_forms(
    doc: &Document,
    forms: &HashSet<ObjectId>,
    form: ObjectId,
) -> Vec<(Vec<u8>, ObjectId)> {
    let Ok(Object::Stream(stream)) = doc.get_object(form) else {
        return Vec::new();
    };
    let resources = stream.dict.get(b"Resources").ok().map(|r| resolve(doc, r));
    let Some(Object::Dictionary(resources)) = resources else {
        return Vec::new();
    };
    let xobjects = resources.get(b"XObject").ok().map(|x| resolve(doc, x));
    let Some(Object::Dictionary(xobjects)) = xobjects else {
        return Vec::new();
    };
    xobjects
        .iter()
        .filter_map(|(name, x)| Some((name.clone(), x.as_reference().ok()?)))
        .filter(|(_, id)| forms.contains(id))
        .collect()
}

fn walk_forms(
    doc: &Document,
    forms: &HashSet<ObjectId>,
    form: ObjectId,
    path: &mut Vec<ObjectId>,
    done: &mut HashSet<ObjectId>,
    cuts: &mut Vec<(ObjectId, Vec<u8>)>,
) {
    if done.contains(&form) {
        return;
    }
    path.push(form);
    for (name, child) in drawn_forms(doc, forms, form) {
        if path.contains(&child) || path.len() >= MAX_FORM_DEPTH {
            cuts.push((form, name));
        } else {
            walk_forms(doc, forms, child, path, done, cuts);
        }
    }
    path.pop();
    done.insert(form);
}

/// A parsed PDF and whether its cross-reference data had to be rebuilt to read it.
#[derive(Debug)]
pub struct Opened {
    pub doc: Document,
    pub recovery: Option<Recovery>,
}

/// Parses and decrypts `bytes` (rebuilding broken cross-reference data, see [`open_recovering`]).
pub fn open(bytes: &[u8], password: Option<&str>) -> Result<Document, PdfOpenError> {
    open_recovering(bytes, password).map(|opened| opened.doc)
}

/// Parses and decrypts `bytes`. When lopdf cannot read the file through its cross-reference
/// data (an error, no page, or objects missing where the table says they are), the table is
/// rebuilt by scanning the bytes for objects and the file read again ([`recover`]); the
/// rebuilt reading is kept when it reads at least as much, and says so in `recovery`.
pub fn open_recovering(bytes: &[u8], password: Option<&str>) -> Result<Opened, PdfOpenError> {
    let head = &bytes[..bytes.len().min(1024)];
    if !head.windows(5).any(|w| w == b"%PDF-") {
        return Err(PdfOpenError::NotPdf);
    }
    check_cross_references(bytes)?;
    let first = load(bytes, password);
    let damage = match &first {
        Err(PdfOpenError::Damaged(reason)) => Some(reason.clone()),
        Ok(doc) if !doc.is_encrypted() && doc.get_pages().is_empty() => {
            Some("it leads to no page".to_string())
        }
        Ok(doc) if !doc.is_encrypted() => {
            let lost = lost_objects(doc);
            (lost > 0).then(|| format!("{lost} objects are not where it says"))
        }
        _ => None,
    };
    let opened = match damage {
        None => Opened {
            doc: first?,
            recovery: None,
        },
        Some(reason) => match (first, rebuild(bytes, password, reason)) {
            // A rebuilt table that leads to no page recovered nothing: the first error stands.
            (Err(_), Some(Ok(rebuilt)))
                if rebuilt.doc.is_encrypted() || !rebuilt.doc.get_pages().is_empty() =>
            {
                rebuilt
            }
            // Read through the rebuilt table, the file may turn out to need a password.
            (Err(_), Some(Err(locked))) if is_password_error(&locked) => return Err(locked),
            (Ok(doc), Some(Ok(rebuilt))) if reads_at_least(&rebuilt.doc, &doc) => rebuilt,
            (first, _) => Opened {
                doc: first?,
                recovery: None,
            },
        },
    };
    let doc = &opened.doc;
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
    if opened.recovery.is_some() && !any_page_has_content(doc) {
        return Err(PdfOpenError::Damaged(
            "the cross-reference table was rebuilt, but no page's content survived".to_string(),
        ));
    }
    check_inflated_sizes(doc)?;
    Ok(opened)
}

fn is_password_error(error: &PdfOpenError) -> bool {
    matches!(
        error,
        PdfOpenError::PasswordRequired | PdfOpenError::WrongPassword | PdfOpenError::Decryption(_)
    )
}

/// lopdf's reading of `bytes`, its errors typed.
fn load(bytes: &[u8], password: Option<&str>) -> Result<Document, PdfOpenError> {
    let options = match password {
        Some(p) => LoadOptions::with_password(p),
        None => LoadOptions::default(),
    };
    Document::load_mem_with_options(bytes, options).map_err(|e| match e {
        lopdf::Error::InvalidPassword => PdfOpenError::WrongPassword,
        lopdf::Error::Decryption(lopdf::encryption::DecryptionError::IncorrectPassword) => {
            PdfOpenError::WrongPassword
        }
        lopdf::Error::Decryption(d) => PdfOpenError::Decryption(d.to_string()),
        other => PdfOpenError::Damaged(other.to_string()),
    })
}

/// The file read through a cross-reference table rebuilt from a scan of its objects, with a
/// catalog and page tree mended where they were lost. `None` when the scan finds no object.
fn rebuild(
    bytes: &[u8],
    password: Option<&str>,
    reason: String,
) -> Option<Result<Opened, PdfOpenError>> {
    let objects = recover::scan_objects(bytes);
    let rebuilt = recover::with_rebuilt_xref(bytes, &objects)?;
    Some(load(&rebuilt, password).map(|mut doc| {
        let orphan_pages = if doc.is_encrypted() {
            0
        } else {
            recover::mend_structure(&mut doc)
        };
        Opened {
            doc,
            recovery: Some(Recovery {
                reason,
                objects: objects.len(),
                orphan_pages,
            }),
        }
    }))
}

/// Objects the cross-reference table places at an offset where lopdf found none (offset 0
/// is a free entry written carelessly, not a lost object).
fn lost_objects(doc: &Document) -> usize {
    doc.reference_table
        .entries
        .iter()
        .filter(|(id, entry)| {
            matches!(entry, lopdf::xref::XrefEntry::Normal { offset, .. } if *offset > 0)
                && doc
                    .objects
                    .range((**id, 0)..=(**id, u16::MAX))
                    .next()
                    .is_none()
        })
        .count()
}

/// `rebuilt` has at least the pages of `first` and more objects.
fn reads_at_least(rebuilt: &Document, first: &Document) -> bool {
    rebuilt.get_pages().len() >= first.get_pages().len()
        && rebuilt.objects.len() > first.objects.len()
}

/// Some page has all its content streams (a page that draws nothing counts too).
fn any_page_has_content(doc: &Document) -> bool {
    doc.get_pages().values().any(|&page| {
        let contents = doc.get_page_contents(page);
        contents.iter().all(|id| doc.objects.contains_key(id))
    })
}

/// Rewrites parts of `doc` that pdf-extract handles badly, before capture:
/// - image XObjects: pdf-extract runs `Do` on images as if they were content streams (it
///   decompresses and parses the pixels); their data is emptied, which also saves the time;
/// - form XObjects that would draw themselves (or nest too deep) are cut out of the
///   resources of the form drawing them;
/// - form XObjects are decompressed once here instead of on every use, and ICC profiles
///   (decompressed on every colour operator, never used) are emptied.
///
/// CID font widths are mended separately, once the pages have their own font copies (see
/// [`expand_width_ranges`]).
pub fn neutralise_for_capture(doc: &mut Document) {
    // Forms that draw themselves would overflow pdf-extract's stack.
    cut_form_cycles(doc);
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

    /// A one-page PDF with `extra` objects numbered from 6 (1 catalog, 2 pages, 3 page with
    /// `resources`, 4 content, 5 font with `font_extra`).
    fn crafted(resources: &str, font_extra: &str, extra: &[Vec<u8>]) -> Vec<u8> {
        let mut objects: Vec<Vec<u8>> = vec![
            b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R \
                 /Resources {resources} >>"
            )
            .into_bytes(),
            b"<< /Length 34 >>\nstream\nBT /F1 12 Tf 72 720 Td (hi) Tj ET\nendstream".to_vec(),
            format!("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica {font_extra} >>")
                .into_bytes(),
        ];
        objects.extend(extra.iter().cloned());
        let mut pdf = b"%PDF-1.7\n".to_vec();
        let mut offsets = Vec::new();
        for (i, body) in objects.iter().enumerate() {
            offsets.push(pdf.len());
            pdf.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
            pdf.extend_from_slice(body);
            pdf.extend_from_slice(b"\nendobj\n");
        }
        let xref = pdf.len();
        pdf.extend_from_slice(
            format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
        );
        for offset in offsets {
            pdf.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
        }
        pdf.extend_from_slice(
            format!(
                "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
                objects.len() + 1
            )
            .as_bytes(),
        );
        pdf
    }

    fn deflated_stream(dict: &str, data: &[u8]) -> Vec<u8> {
        use std::io::Write;
        let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        encoder.write_all(data).unwrap();
        let packed = encoder.finish().unwrap();
        let mut out = format!(
            "<< /Length {} /Filter /FlateDecode {dict} >>\nstream\n",
            packed.len()
        )
        .into_bytes();
        out.extend_from_slice(&packed);
        out.extend_from_slice(b"\nendstream");
        out
    }

    const FONT: &str = "<< /Font << /F1 5 0 R >> >>";

    #[test]
    fn a_good_pdf_passes_every_cap() {
        assert!(open(&crafted(FONT, "", &[]), None).is_ok());
    }

    #[test]
    fn cross_reference_claims_past_the_file_are_refused() {
        let mut pdf = crafted(FONT, "", &[]);
        let at = find_bytes(&pdf, b"/Size 6").unwrap();
        pdf.splice(at..at + 7, b"/Size 200000000".iter().copied());
        let err = open(&pdf, None).unwrap_err().to_string();
        assert!(err.contains("claims 200000000 objects"), "{err}");
        let err = check_cross_references(b"%PDF-1.7 << /Type /XRef /W [0 0 0] /Size 3 >>")
            .unwrap_err()
            .to_string();
        assert!(err.contains("/W [0 0 0]"), "{err}");
        assert!(check_cross_references(b"<< /Type /XRef /W [1 2 1] /Size 3 >>").is_ok());
    }

    fn find_bytes(haystack: &[u8], needle: &[u8]) -> Option<usize> {
        haystack.windows(needle.len()).position(|w| w == needle)
    }

    #[test]
    fn a_tounicode_bomb_is_refused_and_a_large_cmap_is_not() {
        let line = b"1 beginbfchar <41> <0041> endbfchar\n";
        let cmap = |bytes: usize| line.repeat(bytes / line.len());
        let bomb = crafted(
            FONT,
            "/ToUnicode 6 0 R",
            &[deflated_stream("", &cmap(17 << 20))],
        );
        let err = open(&bomb, None).unwrap_err().to_string();
        assert!(
            err.contains("ToUnicode CMap 6 0 inflates to more than 16 MiB"),
            "{err}"
        );
        let large = crafted(
            FONT,
            "/ToUnicode 6 0 R",
            &[deflated_stream("", &cmap(4 << 20))],
        );
        assert!(open(&large, None).is_ok());
    }

    #[test]
    fn a_form_that_draws_itself_is_cut_and_a_nested_form_is_not() {
        let resources = "<< /Font << /F1 5 0 R >> /XObject << /X1 6 0 R >> >>";
        let selfish = deflated_stream(
            "/Type /XObject /Subtype /Form /BBox [0 0 612 792] \
             /Resources << /XObject << /X1 6 0 R /X2 7 0 R >> >>",
            b"/X1 Do /X2 Do",
        );
        let inner = deflated_stream(
            "/Type /XObject /Subtype /Form /BBox [0 0 612 792]",
            b"BT /F1 12 Tf (inner) Tj ET",
        );
        let mut doc = open(&crafted(resources, "", &[selfish, inner]), None).unwrap();
        assert_eq!(cut_form_cycles(&mut doc), 1);
        let Ok(Object::Stream(form)) = doc.get_object((6, 0)) else {
            panic!("form 6 is gone");
        };
        let xobjects = form.dict.get(b"Resources").unwrap().as_dict().unwrap();
        let xobjects = xobjects.get(b"XObject").unwrap().as_dict().unwrap();
        // The use of itself is cut; the nested form it draws is kept.
        assert!(xobjects.get(b"X1").is_err());
        assert!(xobjects.get(b"X2").is_ok());
        assert_eq!(cut_form_cycles(&mut doc), 0);
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
