//! Recovery of PDFs whose cross-reference data is broken (a truncated file, a damaged xref
//! table or stream, a lost trailer, offsets shifted by an edit): as poppler and qpdf do, the
//! bytes are scanned for `N G obj` headers, a fresh cross-reference table is written after
//! them (the last definition of an object wins, as in an incremental update) and lopdf reads
//! the file again. Afterwards the catalog is found by its `/Type /Catalog` when the trailer's
//! `/Root` is gone, and pages the page tree no longer reaches are hung under a new root so
//! every page that reads is kept.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

use lopdf::{Dictionary, Document, Object, ObjectId};
use regex::bytes::Regex;

/// What recovery did, for the document's note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recovery {
    /// Why the file's own cross-reference data could not be used (lopdf's words).
    pub reason: String,
    /// Object headers found by the scan.
    pub objects: usize,
    /// Pages added to the page tree because it no longer reached them.
    pub orphan_pages: usize,
}

impl Recovery {
    /// The note on every page of a recovered document.
    pub fn note(&self) -> String {
        let mut note = format!(
            "the cross-reference table was damaged ({}); it was rebuilt from {} objects found \
             by scanning the file",
            self.reason, self.objects
        );
        if self.orphan_pages > 0 {
            note.push_str(&format!(
                "; {} pages the page tree no longer reached were added at its end",
                self.orphan_pages
            ));
        }
        note
    }
}

/// `N G obj` at a word boundary: an indirect object's header.
static OBJECT_HEADER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?-u)\b(\d{1,10})[\s\x00]+(\d{1,5})[\s\x00]+obj\b").unwrap());

/// Trailer entries kept from the newest trailer (or cross-reference stream) still in the file.
static TRAILER_REFS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u)/(Root|Info|Encrypt)[\s\x00]*(\d{1,10})[\s\x00]+(\d{1,5})[\s\x00]+R").unwrap()
});

/// The file identifier (needed to decrypt): `/ID [<hex> <hex>]`.
static FILE_ID: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?-u)/ID[\s\x00]*\[[\s\x00]*<([0-9A-Fa-f\s]*)>[\s\x00]*<([0-9A-Fa-f\s]*)>[\s\x00]*\]",
    )
    .unwrap()
});

/// The offset of each object's last `N G obj` header, with its generation. Object numbers
/// past the file's length cannot be real (each object takes bytes) and are skipped, so the
/// table written stays in proportion to the file.
pub fn scan_objects(bytes: &[u8]) -> BTreeMap<u32, (u16, usize)> {
    let mut found = BTreeMap::new();
    for header in OBJECT_HEADER.captures_iter(bytes) {
        let (Some(number), Some(generation)) = (header.get(1), header.get(2)) else {
            continue;
        };
        let number = parse::<u32>(number.as_bytes());
        let generation = parse::<u16>(generation.as_bytes());
        if let (Some(n), Some(g)) = (number, generation) {
            if n > 0 && (n as usize) <= bytes.len() {
                found.insert(n, (g, header.get(0).map_or(0, |m| m.start())));
            }
        }
    }
    found
}

fn parse<T: std::str::FromStr>(digits: &[u8]) -> Option<T> {
    std::str::from_utf8(digits).ok()?.parse().ok()
}

/// `bytes` with a cross-reference table for `objects` and a trailer appended, or `None` when
/// the scan found nothing. The trailer keeps `/Root`, `/Info`, `/Encrypt` and `/ID` of the
/// newest trailer still in the file when their objects were found.
pub fn with_rebuilt_xref(bytes: &[u8], objects: &BTreeMap<u32, (u16, usize)>) -> Option<Vec<u8>> {
    let last = *objects.keys().next_back()?;
    let mut out = Vec::with_capacity(bytes.len() + 20 * objects.len() + 256);
    out.extend_from_slice(bytes);
    out.extend_from_slice(b"\n");
    let xref_at = out.len();
    out.extend_from_slice(b"xref\n0 1\n0000000000 65535 f \n");
    // Subsections of consecutive object numbers.
    let numbers: Vec<u32> = objects.keys().copied().collect();
    for run in numbers.chunk_by(|a, b| b == &(a + 1)) {
        out.extend_from_slice(format!("{} {}\n", run[0], run.len()).as_bytes());
        for n in run {
            let (generation, offset) = objects[n];
            out.extend_from_slice(format!("{offset:010} {generation:05} n \n").as_bytes());
        }
    }
    let mut trailer = format!("trailer\n<< /Size {}", last + 1);
    let mut seen = BTreeSet::new();
    for entry in TRAILER_REFS
        .captures_iter(bytes)
        .collect::<Vec<_>>()
        .iter()
        .rev()
    {
        let key = entry.get(1).map_or(&b""[..], |m| m.as_bytes());
        let number = entry.get(2).and_then(|m| parse::<u32>(m.as_bytes()));
        let generation = entry.get(3).and_then(|m| parse::<u16>(m.as_bytes()));
        if let (Some(n), Some(g)) = (number, generation) {
            if objects.contains_key(&n) && seen.insert(key.to_vec()) {
                let key = String::from_utf8_lossy(key);
                trailer.push_str(&format!(" /{key} {n} {g} R"));
            }
        }
    }
    if let Some(id) = FILE_ID.captures_iter(bytes).last() {
        let hex = |i: usize| {
            id.get(i).map_or(String::new(), |m| {
                String::from_utf8_lossy(m.as_bytes())
                    .split_whitespace()
                    .collect()
            })
        };
        trailer.push_str(&format!(" /ID [<{}> <{}>]", hex(1), hex(2)));
    }
    trailer.push_str(&format!(" >>\nstartxref\n{xref_at}\n%%EOF\n"));
    out.extend_from_slice(trailer.as_bytes());
    Some(out)
}

/// Makes a document read by a rebuilt table usable: points the trailer at a catalog when its
/// `/Root` is missing or no catalog (a catalog found by its type, or a new one over the page
/// tree's root), then adds the pages the page tree does not reach. Returns how many pages
/// were added.
pub fn mend_structure(doc: &mut Document) -> usize {
    if !root_is_catalog(doc) {
        if let Some(catalog) = find_catalog(doc) {
            doc.trailer.set("Root", Object::Reference(catalog));
        } else {
            let id = doc.new_object_id();
            let mut catalog = Dictionary::new();
            catalog.set("Type", Object::Name(b"Catalog".to_vec()));
            if let Some(pages) = find_page_tree_root(doc) {
                catalog.set("Pages", Object::Reference(pages));
            }
            doc.objects.insert(id, Object::Dictionary(catalog));
            doc.trailer.set("Root", Object::Reference(id));
        }
    }
    adopt_orphan_pages(doc)
}

fn type_of(object: &Object) -> Option<&[u8]> {
    match object {
        Object::Dictionary(d) => d.get(b"Type").ok()?.as_name().ok(),
        _ => None,
    }
}

fn root_is_catalog(doc: &Document) -> bool {
    doc.trailer
        .get(b"Root")
        .and_then(Object::as_reference)
        .ok()
        .and_then(|id| doc.objects.get(&id))
        .is_some_and(|o| type_of(o) == Some(b"Catalog"))
}

/// The newest catalog (highest object number) whose `/Pages` leads to a page tree node.
fn find_catalog(doc: &Document) -> Option<ObjectId> {
    doc.objects
        .iter()
        .rev()
        .find(|(_, o)| {
            type_of(o) == Some(b"Catalog")
                && o.as_dict()
                    .ok()
                    .and_then(|d| d.get(b"Pages").ok()?.as_reference().ok())
                    .and_then(|p| doc.objects.get(&p))
                    .is_some_and(|p| type_of(p) == Some(b"Pages"))
        })
        .map(|(id, _)| *id)
}

/// A `/Pages` node with no parent that exists: the root of what is left of the page tree.
fn find_page_tree_root(doc: &Document) -> Option<ObjectId> {
    doc.objects
        .iter()
        .find(|(_, o)| type_of(o) == Some(b"Pages") && !has_parent(doc, o))
        .map(|(id, _)| *id)
}

fn has_parent(doc: &Document, object: &Object) -> bool {
    object
        .as_dict()
        .ok()
        .and_then(|d| d.get(b"Parent").ok()?.as_reference().ok())
        .is_some_and(|p| doc.objects.contains_key(&p))
}

/// Hangs the `/Page` objects the page tree does not reach under a new root, after the pages
/// it reaches (in object-number order: nothing else says where they went). Orphans whose
/// parent is gone get the new root as parent, which carries the most common page size and
/// the resources of a surviving page tree node, for them to inherit.
fn adopt_orphan_pages(doc: &mut Document) -> usize {
    let reached: Vec<ObjectId> = doc.page_iter().collect();
    let reached_set: BTreeSet<ObjectId> = reached.iter().copied().collect();
    let orphans: Vec<ObjectId> = doc
        .objects
        .iter()
        .filter(|(id, o)| type_of(o) == Some(b"Page") && !reached_set.contains(id))
        .map(|(id, _)| *id)
        .collect();
    if orphans.is_empty() {
        return 0;
    }
    let root = doc.new_object_id();
    let mut node = Dictionary::new();
    node.set("Type", Object::Name(b"Pages".to_vec()));
    let kids: Vec<Object> = reached
        .iter()
        .chain(&orphans)
        .map(|id| Object::Reference(*id))
        .collect();
    node.set("Count", Object::Integer(kids.len() as i64));
    node.set("Kids", Object::Array(kids));
    if let Some(media_box) = common_media_box(doc) {
        node.set("MediaBox", media_box);
    }
    let resources = doc
        .objects
        .values()
        .filter(|o| type_of(o) == Some(b"Pages"))
        .find_map(|o| o.as_dict().ok()?.get(b"Resources").ok().cloned());
    if let Some(resources) = resources {
        node.set("Resources", resources);
    }
    for id in &orphans {
        let parent_gone = doc.objects.get(id).is_some_and(|o| !has_parent(doc, o));
        if parent_gone {
            if let Some(Object::Dictionary(page)) = doc.objects.get_mut(id) {
                page.set("Parent", Object::Reference(root));
            }
        }
    }
    doc.objects.insert(root, Object::Dictionary(node));
    let catalog = doc.trailer.get(b"Root").and_then(Object::as_reference).ok();
    if let Some(Object::Dictionary(catalog)) = catalog.and_then(|c| doc.objects.get_mut(&c)) {
        catalog.set("Pages", Object::Reference(root));
    }
    orphans.len()
}

/// The `/MediaBox` most page and page tree nodes give (the first one on a tie).
fn common_media_box(doc: &Document) -> Option<Object> {
    let mut counts: Vec<(String, usize, Object)> = Vec::new();
    for object in doc.objects.values() {
        if !matches!(type_of(object), Some(b"Page") | Some(b"Pages")) {
            continue;
        }
        let Some(media_box) = object.as_dict().ok().and_then(|d| d.get(b"MediaBox").ok()) else {
            continue;
        };
        let media_box = match media_box {
            Object::Reference(id) => match doc.objects.get(id) {
                Some(o) => o,
                None => continue,
            },
            other => other,
        };
        let key = format!("{media_box:?}");
        match counts.iter_mut().find(|(k, _, _)| *k == key) {
            Some(entry) => entry.1 += 1,
            None => counts.push((key, 1, media_box.clone())),
        }
    }
    let most = counts.iter().map(|c| c.1).max()?;
    counts.into_iter().find(|c| c.1 == most).map(|c| c.2)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Three numbered objects, the second defined twice (an incremental update).
    const BODY: &[u8] = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n\
        2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n\
        7 0 obj\n(x 5 0 obj inside a string is still a header to a scan)\nendobj\n\
        2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n";

    #[test]
    fn the_scan_keeps_the_last_definition_of_each_object() {
        let found = scan_objects(BODY);
        let numbers: Vec<u32> = found.keys().copied().collect();
        assert_eq!(numbers, vec![1, 2, 5, 7]);
        let second = BODY.windows(7).rposition(|w| w == b"2 0 obj").unwrap();
        assert_eq!(found[&2], (0, second));
        // A number glued to a word is no header.
        assert!(scan_objects(b"x12 0 obj").is_empty());
        assert!(scan_objects(b"12 0 objection").is_empty());
    }

    #[test]
    fn object_numbers_past_the_file_length_are_skipped() {
        assert!(scan_objects(b"%PDF-1.4\n4000000000 0 obj\n1\nendobj\n").is_empty());
    }

    #[test]
    fn the_table_written_has_subsections_and_the_trailer_its_root() {
        let mut bytes = BODY.to_vec();
        bytes.extend_from_slice(b"trailer\n<< /Size 9 /Root 1 0 R /Info 4 0 R >>\n");
        let found = scan_objects(&bytes);
        let rebuilt = with_rebuilt_xref(&bytes, &found).unwrap();
        let tail = String::from_utf8_lossy(&rebuilt[bytes.len()..]).into_owned();
        assert!(tail.contains("\n1 2\n"), "{tail}");
        assert!(tail.contains("\n5 1\n"), "{tail}");
        assert!(tail.contains("\n7 1\n"), "{tail}");
        // /Info 4 0 R names an object that is not there: left out.
        assert!(tail.contains("<< /Size 8 /Root 1 0 R >>"), "{tail}");
    }
}
