//! Text that lives in a page's annotations rather than its content stream: the values of
//! form fields (`/Widget` annotations of text and choice fields, from `/V` or, without one,
//! from the text their normal appearance stream draws) and FreeText annotations (`/Contents`,
//! or their appearance). Each becomes one line of its own after the page's lines, with the
//! annotation's rectangle as its box and a hint saying which kind of annotation it is, so the
//! structure stage makes it a block of its own.

use lopdf::content::Content;
use lopdf::{Dictionary, Document, Object, ObjectId};
use pdf_extract::MediaBox;

use super::capture::Display;
use super::load::{inherited, resolve};
use crate::model::{Annotation, AnnotationKind, HintKind, Line, SourceHint};

/// Annotation flags (`/F`) that keep an annotation off the displayed page: Hidden, NoView.
const NOT_SHOWN: i64 = (1 << 1) | (1 << 5);

/// Field flag (`/Ff`) of a password text field: its value is never shown.
const PASSWORD: i64 = 1 << 13;

/// The most annotations read on one page (a hostile file may list millions).
const MAX_ANNOTATIONS: usize = 4096;

/// How far up a field's `/Parent` chain inherited entries are looked for.
const MAX_FIELD_DEPTH: usize = 32;

/// The annotation text lines of page `page_id` (page `number`, rotated by `rotate`).
pub fn annotation_lines(doc: &Document, page_id: ObjectId, number: u32, rotate: i64) -> Vec<Line> {
    let Ok(page) = doc.get_dictionary(page_id) else {
        return Vec::new();
    };
    let Some(Object::Array(annots)) = page.get(b"Annots").ok().map(|a| resolve(doc, a)) else {
        return Vec::new();
    };
    let display = display_of(doc, page, rotate);
    annots
        .iter()
        .take(MAX_ANNOTATIONS)
        .filter_map(|a| resolve(doc, a).as_dict().ok())
        .filter_map(|annot| {
            let (text, annotation) = annotation_text(doc, annot)?;
            let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
            if text.is_empty() {
                return None;
            }
            Some(Line {
                text,
                page: number,
                bbox: rect(doc, annot).map(|r| to_display(&display, r)),
                starts_paragraph: true,
                hint: Some(Box::new(SourceHint {
                    kind: HintKind::Annotation(annotation),
                    ..SourceHint::default()
                })),
                ..Line::default()
            })
        })
        .collect()
}

/// The text an annotation shows and what it is; `None` for other kinds, hidden annotations,
/// password fields and fields without text.
fn annotation_text(doc: &Document, annot: &Dictionary) -> Option<(String, Annotation)> {
    let flags = integer(doc, annot.get(b"F").ok()).unwrap_or(0);
    if flags & NOT_SHOWN != 0 {
        return None;
    }
    match annot.get(b"Subtype").ok()?.as_name().ok()? {
        b"Widget" => {
            let field_type = field_entry(doc, annot, b"FT")?.as_name().ok()?;
            let field_flags = integer(doc, field_entry(doc, annot, b"Ff")).unwrap_or(0);
            if !matches!(field_type, b"Tx" | b"Ch") || field_flags & PASSWORD != 0 {
                return None;
            }
            let value = field_entry(doc, annot, b"V")
                .and_then(|v| value_text(doc, v))
                .filter(|v| !v.trim().is_empty())
                .or_else(|| appearance_text(doc, annot))?;
            let annotation = Annotation {
                kind: AnnotationKind::FormField,
                field: field_name(doc, annot),
            };
            Some((value, annotation))
        }
        b"FreeText" => {
            let text = annot
                .get(b"Contents")
                .ok()
                .and_then(|c| lopdf::decode_text_string(resolve(doc, c)).ok())
                .filter(|c| !c.trim().is_empty())
                .or_else(|| appearance_text(doc, annot))?;
            let annotation = Annotation {
                kind: AnnotationKind::FreeText,
                field: None,
            };
            Some((text, annotation))
        }
        _ => None,
    }
}

/// A field entry on the widget or inherited from its parent fields.
fn field_entry<'a>(doc: &'a Document, annot: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    let mut node = annot;
    for _ in 0..MAX_FIELD_DEPTH {
        if let Ok(value) = node.get(key) {
            return Some(resolve(doc, value));
        }
        node = resolve(doc, node.get(b"Parent").ok()?).as_dict().ok()?;
    }
    None
}

/// The field's full name: the `/T` of each field from the root down, dot-joined.
fn field_name(doc: &Document, annot: &Dictionary) -> Option<String> {
    let mut parts = Vec::new();
    let mut node = Some(annot);
    for _ in 0..MAX_FIELD_DEPTH {
        let Some(current) = node else {
            break;
        };
        if let Some(name) = current
            .get(b"T")
            .ok()
            .and_then(|t| lopdf::decode_text_string(resolve(doc, t)).ok())
        {
            parts.push(name);
        }
        node = current
            .get(b"Parent")
            .ok()
            .and_then(|p| resolve(doc, p).as_dict().ok());
    }
    parts.reverse();
    (!parts.is_empty()).then(|| parts.join("."))
}

/// A field value as text: a text string, or the choices of a multiple-choice list.
fn value_text(doc: &Document, value: &Object) -> Option<String> {
    match value {
        Object::String(..) => lopdf::decode_text_string(value).ok(),
        Object::Array(items) => {
            let texts: Vec<String> = items
                .iter()
                .filter_map(|i| lopdf::decode_text_string(resolve(doc, i)).ok())
                .collect();
            (!texts.is_empty()).then(|| texts.join(", "))
        }
        _ => None,
    }
}

/// The strings the annotation's normal appearance stream shows, when every font it uses is a
/// simple (one-byte) font: decoded as WinAnsi, which is what form fields' appearance streams
/// use for Latin text. Composite-font appearances (Korean) are left alone: without their
/// font's map the bytes say nothing.
fn appearance_text(doc: &Document, annot: &Dictionary) -> Option<String> {
    let appearance = resolve(doc, annot.get(b"AP").ok()?).as_dict().ok()?;
    let normal = resolve(doc, appearance.get(b"N").ok()?);
    let Object::Stream(stream) = normal else {
        return None;
    };
    let fonts = stream
        .dict
        .get(b"Resources")
        .ok()
        .and_then(|r| resolve(doc, r).as_dict().ok())
        .and_then(|r| resolve(doc, r.get(b"Font").ok()?).as_dict().ok());
    let composite = fonts.is_some_and(|fonts| {
        fonts.iter().any(|(_, f)| {
            resolve(doc, f)
                .as_dict()
                .ok()
                .and_then(|f| f.get(b"Subtype").ok()?.as_name().ok())
                == Some(b"Type0")
        })
    });
    if composite {
        return None;
    }
    let bytes = stream
        .decompressed_content()
        .unwrap_or_else(|_| stream.content.clone());
    let content = Content::decode(&bytes).ok()?;
    let mut shown: Vec<u8> = Vec::new();
    for op in &content.operations {
        match op.operator.as_str() {
            "Tj" | "'" | "\"" => {
                if let Some(Object::String(s, _)) = op.operands.last() {
                    shown.extend_from_slice(s);
                }
            }
            "TJ" => {
                if let Some(Object::Array(parts)) = op.operands.first() {
                    for part in parts {
                        if let Object::String(s, _) = part {
                            shown.extend_from_slice(s);
                        }
                    }
                }
            }
            "Td" | "TD" | "T*" | "Tm" => shown.push(b' '),
            _ => {}
        }
    }
    let (text, _, _) = encoding_rs::WINDOWS_1252.decode(&shown);
    let text = text.trim().to_string();
    (!text.is_empty()).then_some(text)
}

fn integer(doc: &Document, object: Option<&Object>) -> Option<i64> {
    resolve(doc, object?).as_i64().ok()
}

/// The annotation's `/Rect` in PDF user space.
fn rect(doc: &Document, annot: &Dictionary) -> Option<[f64; 4]> {
    let Object::Array(r) = resolve(doc, annot.get(b"Rect").ok()?) else {
        return None;
    };
    let n = |i: usize| -> Option<f64> {
        match resolve(doc, r.get(i)?) {
            Object::Integer(v) => Some(*v as f64),
            Object::Real(v) => Some(f64::from(*v)),
            _ => None,
        }
    };
    let r = [n(0)?, n(1)?, n(2)?, n(3)?];
    r.iter().all(|v| v.is_finite()).then_some(r)
}

/// The page's display transform, from its (inherited) MediaBox; US Letter when it has none.
fn display_of(doc: &Document, page: &Dictionary, rotate: i64) -> Display {
    let media = inherited(doc, page, b"MediaBox")
        .and_then(|m| m.as_array().ok())
        .and_then(|m| {
            let v: Vec<f64> = m
                .iter()
                .filter_map(|x| match resolve(doc, x) {
                    Object::Integer(v) => Some(*v as f64),
                    Object::Real(v) => Some(f64::from(*v)),
                    _ => None,
                })
                .collect();
            (v.len() == 4).then(|| MediaBox {
                llx: v[0],
                lly: v[1],
                urx: v[2],
                ury: v[3],
            })
        })
        .unwrap_or(MediaBox {
            llx: 0.0,
            lly: 0.0,
            urx: 612.0,
            ury: 792.0,
        });
    Display::new(&media, rotate)
}

/// A user-space rectangle on the displayed page, `[x0, top, x1, bottom]`.
fn to_display(display: &Display, r: [f64; 4]) -> [f32; 4] {
    let a = display.point(r[0], r[1]);
    let b = display.point(r[2], r[3]);
    [a.0.min(b.0), a.1.min(b.1), a.0.max(b.0), a.1.max(b.1)]
}
