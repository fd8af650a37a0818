//! The character codes each composite font actually shows, read from the content streams of the
//! pages and the form XObjects they draw, so generated ToUnicode maps stay small (pdf-extract
//! rebuilds every font's map on every page).

use std::collections::{BTreeSet, HashMap, HashSet};

use lopdf::content::Content;
use lopdf::{Dictionary, Document, Object, ObjectId};

use super::cmap::{stream_bytes, Code};
use super::{resolve, CodeSplit};

/// How deep form XObjects may nest before the scan stops following them.
const MAX_FORM_DEPTH: usize = 12;

/// Codes shown with each font of `fonts`, over the whole document.
pub(crate) fn scan(
    doc: &Document,
    fonts: &HashMap<ObjectId, CodeSplit>,
) -> HashMap<ObjectId, BTreeSet<Code>> {
    let mut scanner = Scanner {
        doc,
        fonts,
        used: HashMap::new(),
        forms_seen: HashSet::new(),
    };
    for page_id in doc.get_pages().values() {
        let Some(resources) = inherited_resources(doc, *page_id) else {
            continue;
        };
        if !scanner.worth_scanning(resources) {
            continue;
        }
        if let Ok(content) = doc.get_page_content(*page_id) {
            scanner.scan_stream(&content, resources, 0);
        }
    }
    scanner.used
}

struct Scanner<'a> {
    doc: &'a Document,
    fonts: &'a HashMap<ObjectId, CodeSplit>,
    used: HashMap<ObjectId, BTreeSet<Code>>,
    forms_seen: HashSet<ObjectId>,
}

impl<'a> Scanner<'a> {
    /// A page is scanned when its resources name one of the fonts, or draw forms.
    fn worth_scanning(&self, resources: &Dictionary) -> bool {
        let names_font = self
            .font_table(resources)
            .map(|table| {
                table
                    .iter()
                    .any(|(_, f)| matches!(f, Object::Reference(id) if self.fonts.contains_key(id)))
            })
            .unwrap_or(false);
        names_font || resources.get(b"XObject").is_ok()
    }

    fn font_table(&self, resources: &'a Dictionary) -> Option<&'a Dictionary> {
        resolve(self.doc, resources.get(b"Font").ok()?)
            .as_dict()
            .ok()
    }

    fn scan_stream(&mut self, content: &[u8], resources: &'a Dictionary, depth: usize) {
        let Ok(content) = Content::decode(content) else {
            return;
        };
        let fonts = self.font_table(resources);
        let mut current: Option<(ObjectId, CodeSplit)> = None;
        for op in &content.operations {
            match op.operator.as_str() {
                "Tf" => {
                    current = op
                        .operands
                        .first()
                        .and_then(|n| n.as_name().ok())
                        .and_then(|name| fonts?.get(name).ok())
                        .and_then(|f| match f {
                            Object::Reference(id) => self.fonts.get(id).map(|split| (*id, *split)),
                            _ => None,
                        });
                }
                "Tj" | "'" | "\"" | "TJ" => {
                    let Some((font, split)) = current else {
                        continue;
                    };
                    let set = self.used.entry(font).or_default();
                    for operand in &op.operands {
                        collect_strings(operand, &mut |bytes| split_codes(bytes, split, set));
                    }
                }
                "Do" if depth < MAX_FORM_DEPTH => {
                    self.scan_form(op, resources, depth);
                }
                _ => {}
            }
        }
    }

    fn scan_form(
        &mut self,
        op: &lopdf::content::Operation,
        resources: &'a Dictionary,
        depth: usize,
    ) {
        let doc = self.doc;
        let Some(name) = op.operands.first().and_then(|n| n.as_name().ok()) else {
            return;
        };
        let Some(xobjects) = resources
            .get(b"XObject")
            .ok()
            .and_then(|x| resolve(doc, x).as_dict().ok())
        else {
            return;
        };
        let Ok(Object::Reference(form_id)) = xobjects.get(name) else {
            return;
        };
        if !self.forms_seen.insert(*form_id) {
            return;
        }
        let Ok(Object::Stream(form)) = doc.get_object(*form_id) else {
            return;
        };
        let is_form = form
            .dict
            .get(b"Subtype")
            .ok()
            .and_then(|s| s.as_name().ok())
            .is_some_and(|s| s == b"Form");
        if !is_form {
            return;
        }
        let form_resources = form
            .dict
            .get(b"Resources")
            .ok()
            .and_then(|r| resolve(doc, r).as_dict().ok())
            .unwrap_or(resources);
        let bytes = stream_bytes(form);
        self.scan_stream(&bytes, form_resources, depth + 1);
    }
}

fn collect_strings(operand: &Object, f: &mut impl FnMut(&[u8])) {
    match operand {
        Object::String(bytes, _) => f(bytes),
        Object::Array(items) => {
            for item in items {
                collect_strings(item, f);
            }
        }
        _ => {}
    }
}

fn split_codes(bytes: &[u8], split: CodeSplit, out: &mut BTreeSet<Code>) {
    let mut i = 0;
    while i < bytes.len() {
        let two_bytes = match split {
            CodeSplit::TwoBytes => true,
            CodeSplit::Cp949 => bytes[i] > 0x80,
        };
        if two_bytes && i + 1 < bytes.len() {
            out.insert(Code {
                value: u32::from(bytes[i]) << 8 | u32::from(bytes[i + 1]),
                bytes: 2,
            });
            i += 2;
        } else {
            out.insert(Code {
                value: u32::from(bytes[i]),
                bytes: 1,
            });
            i += 1;
        }
    }
}

/// The page's /Resources, inherited from its ancestors when absent (as pdf-extract does).
fn inherited_resources(doc: &Document, page_id: ObjectId) -> Option<&Dictionary> {
    let mut node = doc.get_object(page_id).ok()?.as_dict().ok()?;
    for _ in 0..64 {
        if let Ok(resources) = node.get(b"Resources") {
            return resolve(doc, resources).as_dict().ok();
        }
        let parent = node.get(b"Parent").ok()?;
        node = resolve(doc, parent).as_dict().ok()?;
    }
    None
}
