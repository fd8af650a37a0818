//! Composite (Type 0 / CID) fonts: Identity-H with or without ToUnicode, the predefined CMaps
//! whose codes are Unicode or CP949 (Korean `UniKS-UCS2-H`, `UniKS-UTF16-H`, `KSCms-UHC-H`, …),
//! and the rewrites that keep pdf-extract 0.12 from panicking on the rest.
//!
//! pdf-extract uses a composite font's character code as its CID (Identity-H) and looks both the
//! ToUnicode map and the widths up by that number. A font under a predefined CMap is therefore
//! rewritten so that code = CID: its encoding becomes Identity-H (two-byte codes) or a generated
//! one-or-two-byte CMap (CP949 codes), its ToUnicode map is generated from the codes the pages
//! actually show, and its widths are re-keyed by code.

use std::collections::{BTreeMap, BTreeSet};
use std::panic::{catch_unwind, AssertUnwindSafe};

use lopdf::{Dictionary, Document, Object, ObjectId};

use super::cmap::{self, Code, DecodedMap, ToUnicodeMaps, ToUnicodeState};
use super::{
    base_font_name, font_dict, font_dict_mut, number_of, resolve, unmapped_marker, CodeMeaning,
    CodeSplit, FontInfo, FontMapping, FontOptions, GeneratedMap, Prepared, MAX_WIDTH_RANGE,
};

/// Predefined CMaps whose character codes can be decoded without Adobe's CID tables.
struct PredefinedCMap {
    /// The CMap names (horizontal and vertical variants).
    names: &'static [&'static str],
    split: CodeSplit,
    meaning: CodeMeaning,
    korean: bool,
}

const PREDEFINED_CMAPS: &[PredefinedCMap] = &[
    // Korean, codes are UCS-2 / UTF-16BE code units.
    PredefinedCMap {
        names: &[
            "UniKS-UCS2-H",
            "UniKS-UCS2-V",
            "UniKS-UTF16-H",
            "UniKS-UTF16-V",
        ],
        split: CodeSplit::TwoBytes,
        meaning: CodeMeaning::Unicode,
        korean: true,
    },
    // Korean, codes are CP949 (Unified Hangul Code) or its EUC-KR subset.
    PredefinedCMap {
        names: &[
            "KSCms-UHC-H",
            "KSCms-UHC-V",
            "KSCms-UHC-HW-H",
            "KSCms-UHC-HW-V",
            "KSC-EUC-H",
            "KSC-EUC-V",
            "KSCpc-EUC-H",
            "KSCpc-EUC-V",
        ],
        split: CodeSplit::Cp949,
        meaning: CodeMeaning::Cp949,
        korean: true,
    },
    // Japanese and Chinese Unicode CMaps: codes are UCS-2 / UTF-16BE code units too.
    PredefinedCMap {
        names: &[
            "UniJIS-UCS2-H",
            "UniJIS-UCS2-V",
            "UniJIS-UTF16-H",
            "UniJIS-UTF16-V",
            "UniGB-UCS2-H",
            "UniGB-UCS2-V",
            "UniGB-UTF16-H",
            "UniGB-UTF16-V",
            "UniCNS-UCS2-H",
            "UniCNS-UCS2-V",
            "UniCNS-UTF16-H",
            "UniCNS-UTF16-V",
        ],
        split: CodeSplit::TwoBytes,
        meaning: CodeMeaning::Unicode,
        korean: false,
    },
];

/// In every Adobe CJK character collection, CIDs 1–95 are the proportional glyphs of ASCII
/// 0x20–0x7E in order (UniKS-UCS2-H and KSCms-UHC-H both map `<20> <7e>` to CID 1).
const ASCII_FIRST_CID: u32 = 1;

pub(crate) fn prepare(
    doc: &mut Document,
    id: ObjectId,
    options: &FontOptions,
    maps: &mut ToUnicodeMaps,
) -> Prepared {
    let Some(font) = font_dict(doc, id) else {
        return prepared("?", FontMapping::Unmapped("not a dictionary".into()), None);
    };
    let name = base_font_name(doc, font);
    let to_unicode = cmap::read_to_unicode(doc, font, maps);
    let encoding = font.get(b"Encoding").ok().map(|o| resolve(doc, o).clone());
    ensure_descendant(doc, id);

    let (usable_map, repaired, tu_reason) = match to_unicode {
        ToUnicodeState::Usable { map, repaired } => (Some(map), repaired, None),
        ToUnicodeState::Broken(reason) => (None, false, Some(reason)),
        ToUnicodeState::Absent => (None, false, None),
    };

    match encoding {
        Some(Object::Name(cmap_name))
            if cmap_name == b"Identity-H" || cmap_name == b"Identity-V" =>
        {
            normalize_widths(doc, id, None);
            match usable_map {
                Some(map) => {
                    if repaired {
                        replace_to_unicode(doc, id, &map, 2);
                    }
                    prepared(&name, FontMapping::ToUnicode, None)
                }
                None => {
                    let embedded = options
                        .use_embedded_cmaps
                        .then(|| embedded_truetype_unicode(doc, id))
                        .flatten();
                    if let Some(table) = embedded {
                        return prepared(
                            &name,
                            FontMapping::FontProgram,
                            Some(GeneratedMap {
                                split: CodeSplit::TwoBytes,
                                meaning: CodeMeaning::Table(table),
                            }),
                        );
                    }
                    let reason =
                        tu_reason.unwrap_or_else(|| "Identity-H without ToUnicode".to_string());
                    prepared(
                        &name,
                        FontMapping::Unmapped(reason),
                        Some(GeneratedMap {
                            split: CodeSplit::TwoBytes,
                            meaning: CodeMeaning::Unmapped,
                        }),
                    )
                }
            }
        }
        Some(Object::Name(cmap_name)) => {
            let cmap_name = String::from_utf8_lossy(&cmap_name).into_owned();
            let Some(known) = PREDEFINED_CMAPS
                .iter()
                .find(|p| p.names.contains(&cmap_name.as_str()))
            else {
                // Codes of unknown width and meaning: read them two bytes at a time, marked.
                set_encoding(doc, id, Object::Name(b"Identity-H".to_vec()));
                normalize_widths(doc, id, Some(&|_| None));
                return prepared(
                    &name,
                    FontMapping::Unmapped(format!("unsupported predefined CMap {cmap_name}")),
                    Some(GeneratedMap {
                        split: CodeSplit::TwoBytes,
                        meaning: CodeMeaning::Unmapped,
                    }),
                );
            };
            let new_encoding = match known.split {
                CodeSplit::TwoBytes => Object::Name(b"Identity-H".to_vec()),
                CodeSplit::Cp949 => {
                    Object::Reference(doc.add_object(cmap::cp949_encoding_stream(&cmap_name)))
                }
            };
            set_encoding(doc, id, new_encoding);
            normalize_widths(doc, id, Some(&ascii_cid));
            let mapping = if known.korean {
                FontMapping::KoreanCMap(cmap_name)
            } else {
                FontMapping::ToUnicode
            };
            // A ToUnicode map in the file is keyed by code, which is now the CID: keep it.
            let generated = match usable_map {
                Some(map) => {
                    if repaired {
                        replace_to_unicode(doc, id, &map, 2);
                    }
                    None
                }
                None => Some(GeneratedMap {
                    split: known.split,
                    meaning: known.meaning.clone(),
                }),
            };
            prepared(&name, mapping, generated)
        }
        Some(Object::Stream(stream)) => {
            let bytes = cmap::stream_bytes(&stream);
            let parses = matches!(
                catch_unwind(AssertUnwindSafe(|| adobe_cmap_parser::get_byte_mapping(
                    &bytes
                ))),
                Ok(Ok(_))
            );
            if parses {
                normalize_widths(doc, id, None);
                match usable_map {
                    Some(map) => {
                        if repaired {
                            replace_to_unicode(doc, id, &map, 2);
                        }
                        prepared(&name, FontMapping::ToUnicode, None)
                    }
                    None => {
                        // pdf-extract returns nothing for these glyphs; mark what we can.
                        prepared(
                            &name,
                            FontMapping::Unmapped(
                                tu_reason
                                    .unwrap_or_else(|| "embedded CMap without ToUnicode".into()),
                            ),
                            None,
                        )
                    }
                }
            } else {
                set_encoding(doc, id, Object::Name(b"Identity-H".to_vec()));
                normalize_widths(doc, id, Some(&|_| None));
                prepared(
                    &name,
                    FontMapping::Unmapped("unparseable embedded CMap".into()),
                    Some(GeneratedMap {
                        split: CodeSplit::TwoBytes,
                        meaning: CodeMeaning::Unmapped,
                    }),
                )
            }
        }
        _ => {
            // No usable /Encoding: pdf-extract panics. Read two-byte codes.
            set_encoding(doc, id, Object::Name(b"Identity-H".to_vec()));
            normalize_widths(doc, id, None);
            match usable_map {
                Some(map) => {
                    replace_to_unicode(doc, id, &map, 2);
                    prepared(&name, FontMapping::ToUnicode, None)
                }
                None => prepared(
                    &name,
                    FontMapping::Unmapped("Type0 font without an encoding".into()),
                    Some(GeneratedMap {
                        split: CodeSplit::TwoBytes,
                        meaning: CodeMeaning::Unmapped,
                    }),
                ),
            }
        }
    }
}

/// CID → text from the cmap of an embedded TrueType program (CIDFontType2), through its
/// CIDToGIDMap. `None` when there is no such program or it maps no glyph.
fn embedded_truetype_unicode(doc: &Document, id: ObjectId) -> Option<BTreeMap<u32, String>> {
    let desc = descendant(doc, id)?;
    let is_truetype = desc
        .get(b"Subtype")
        .ok()
        .and_then(|s| s.as_name().ok())
        .is_some_and(|s| s == b"CIDFontType2");
    if !is_truetype {
        return None;
    }
    let descriptor = resolve(doc, desc.get(b"FontDescriptor").ok()?)
        .as_dict()
        .ok()?;
    let Object::Stream(file) = resolve(doc, descriptor.get(b"FontFile2").ok()?) else {
        return None;
    };
    let bytes = cmap::stream_bytes(file);
    let by_glyph = catch_unwind(AssertUnwindSafe(|| glyph_characters(&bytes))).ok()??;
    let cid_of_glyph: Box<dyn Fn(u16) -> Vec<u32>> =
        match desc.get(b"CIDToGIDMap").ok().map(|m| resolve(doc, m)) {
            Some(Object::Stream(map)) => {
                let map = cmap::stream_bytes(map);
                let mut cids: BTreeMap<u16, Vec<u32>> = BTreeMap::new();
                for (cid, pair) in map.chunks_exact(2).enumerate() {
                    let gid = u16::from_be_bytes([pair[0], pair[1]]);
                    if gid != 0 {
                        cids.entry(gid).or_default().push(cid as u32);
                    }
                }
                Box::new(move |gid| cids.get(&gid).cloned().unwrap_or_default())
            }
            _ => Box::new(|gid| vec![u32::from(gid)]),
        };
    let table: BTreeMap<u32, String> = by_glyph
        .into_iter()
        .flat_map(|(gid, c)| {
            cid_of_glyph(gid)
                .into_iter()
                .map(move |cid| (cid, c.to_string()))
        })
        .collect();
    (!table.is_empty()).then_some(table)
}

/// Glyph id → the character a font's Unicode cmap subtables assign to it. When several code
/// points share a glyph (a Kangxi radical and its unified ideograph), the one NFKC keeps wins.
fn glyph_characters(bytes: &[u8]) -> Option<BTreeMap<u16, char>> {
    use unicode_normalization::UnicodeNormalization;
    let face = ttf_parser::Face::parse(bytes, 0).ok()?;
    let cmap = face.tables().cmap?;
    let mut out: BTreeMap<u16, char> = BTreeMap::new();
    for subtable in cmap.subtables {
        if !subtable.is_unicode() {
            continue;
        }
        subtable.codepoints(|cp| {
            let (Some(glyph), Some(c)) = (subtable.glyph_index(cp), char::from_u32(cp)) else {
                return;
            };
            if glyph.0 == 0 || c.is_control() {
                return;
            }
            let canonical = |c: char| c.to_string().nfkc().eq(std::iter::once(c));
            out.entry(glyph.0)
                .and_modify(|existing| {
                    if !canonical(*existing) && canonical(c) {
                        *existing = c;
                    }
                })
                .or_insert(c);
        });
    }
    Some(out)
}

fn prepared(name: &str, mapping: FontMapping, generated: Option<GeneratedMap>) -> Prepared {
    Prepared {
        info: FontInfo {
            name: name.to_string(),
            mapping,
        },
        needs_used_codes: generated,
    }
}

/// The CID of code `code` where the code is ASCII under a Korean/Unicode CMap.
fn ascii_cid(code: u32) -> Option<u32> {
    (0x20..=0x7E)
        .contains(&code)
        .then(|| code - 0x20 + ASCII_FIRST_CID)
}

/// Writes the ToUnicode map of a font that needed the codes in use.
pub(crate) fn write_generated_to_unicode(
    doc: &mut Document,
    id: ObjectId,
    plan: &GeneratedMap,
    codes: &BTreeSet<Code>,
) {
    let entries: BTreeMap<Code, String> = codes
        .iter()
        .map(|code| (*code, meaning_of(*code, &plan.meaning)))
        .collect();
    let stream = doc.add_object(cmap::to_unicode_stream(&entries));
    if let Some(font) = font_dict_mut(doc, id) {
        font.set("ToUnicode", Object::Reference(stream));
    }
}

fn meaning_of(code: Code, meaning: &CodeMeaning) -> String {
    let marker = || unmapped_marker(code.value).to_string();
    match meaning {
        CodeMeaning::Table(table) => table.get(&code.value).cloned().unwrap_or_else(marker),
        CodeMeaning::Unmapped => marker(),
        CodeMeaning::Unicode => char::from_u32(code.value)
            .map(String::from)
            .unwrap_or_else(marker),
        CodeMeaning::Cp949 => match code.bytes {
            1 if code.value < 0x80 => char::from_u32(code.value)
                .map(String::from)
                .unwrap_or_else(marker),
            2 => {
                let bytes = [(code.value >> 8) as u8, code.value as u8];
                encoding_rs::EUC_KR
                    .decode_without_bom_handling_and_without_replacement(&bytes)
                    .map(|s| s.into_owned())
                    .unwrap_or_else(marker)
            }
            _ => marker(),
        },
    }
}

fn replace_to_unicode(doc: &mut Document, id: ObjectId, map: &DecodedMap, bytes: u8) {
    let entries: BTreeMap<Code, String> = map
        .iter()
        .map(|(code, text)| {
            (
                Code {
                    value: code,
                    bytes: if code > 0xFFFF { 4 } else { bytes },
                },
                text.to_string(),
            )
        })
        .collect();
    let stream = doc.add_object(cmap::to_unicode_stream(&entries));
    if let Some(font) = font_dict_mut(doc, id) {
        font.set("ToUnicode", Object::Reference(stream));
    }
}

fn set_encoding(doc: &mut Document, id: ObjectId, encoding: Object) {
    if let Some(font) = font_dict_mut(doc, id) {
        font.set("Encoding", encoding);
    }
}

/// Where the descendant CIDFont dictionary lives.
enum DescendantPlace {
    Object(ObjectId),
    /// Element 0 of a direct /DescendantFonts array in the font dictionary.
    InFont,
    /// Element 0 of an array object.
    InArray(ObjectId),
}

fn descendant_place(doc: &Document, id: ObjectId) -> Option<DescendantPlace> {
    let font = font_dict(doc, id)?;
    let (array, array_id) = match font.get(b"DescendantFonts").ok()? {
        Object::Reference(aid) => (doc.get_object(*aid).ok()?.as_array().ok()?, Some(*aid)),
        Object::Array(a) => (a, None),
        _ => return None,
    };
    match array.first()? {
        Object::Reference(did) => doc
            .get_object(*did)
            .ok()?
            .as_dict()
            .ok()
            .map(|_| DescendantPlace::Object(*did)),
        Object::Dictionary(_) => Some(match array_id {
            Some(aid) => DescendantPlace::InArray(aid),
            None => DescendantPlace::InFont,
        }),
        _ => None,
    }
}

fn descendant_mut(doc: &mut Document, id: ObjectId) -> Option<&mut Dictionary> {
    match descendant_place(doc, id)? {
        DescendantPlace::Object(did) => doc.get_object_mut(did).ok()?.as_dict_mut().ok(),
        DescendantPlace::InFont => font_dict_mut(doc, id)?
            .get_mut(b"DescendantFonts")
            .ok()?
            .as_array_mut()
            .ok()?
            .first_mut()?
            .as_dict_mut()
            .ok(),
        DescendantPlace::InArray(aid) => doc
            .get_object_mut(aid)
            .ok()?
            .as_array_mut()
            .ok()?
            .first_mut()?
            .as_dict_mut()
            .ok(),
    }
}

fn descendant(doc: &Document, id: ObjectId) -> Option<&Dictionary> {
    match descendant_place(doc, id)? {
        DescendantPlace::Object(did) => doc.get_object(did).ok()?.as_dict().ok(),
        DescendantPlace::InFont => font_dict(doc, id)?
            .get(b"DescendantFonts")
            .ok()?
            .as_array()
            .ok()?
            .first()?
            .as_dict()
            .ok(),
        DescendantPlace::InArray(aid) => doc
            .get_object(aid)
            .ok()?
            .as_array()
            .ok()?
            .first()?
            .as_dict()
            .ok(),
    }
}

/// pdf-extract requires /DescendantFonts with a /FontDescriptor dictionary and a /BaseFont name.
fn ensure_descendant(doc: &mut Document, id: ObjectId) {
    super::simple::ensure_base_font(doc, id);
    if descendant_place(doc, id).is_none() {
        let mut dict = Dictionary::new();
        dict.set("Type", Object::Name(b"Font".to_vec()));
        dict.set("Subtype", Object::Name(b"CIDFontType2".to_vec()));
        dict.set("DW", Object::Integer(1000));
        let did = doc.add_object(Object::Dictionary(dict));
        if let Some(font) = font_dict_mut(doc, id) {
            font.set(
                "DescendantFonts",
                Object::Array(vec![Object::Reference(did)]),
            );
        }
    }
    let has_descriptor = descendant(doc, id)
        .and_then(|d| d.get(b"FontDescriptor").ok())
        .map(|d| resolve(doc, d).as_dict().is_ok())
        .unwrap_or(false);
    if !has_descriptor {
        if let Some(desc) = descendant_mut(doc, id) {
            let mut descriptor = Dictionary::new();
            descriptor.set("Type", Object::Name(b"FontDescriptor".to_vec()));
            desc.set("FontDescriptor", Object::Dictionary(descriptor));
        }
    }
}

/// Rewrites /W as `[c [w …]]` runs (pdf-extract misreads the `c_first c_last w` form as width
/// `c_first`, and indexes past the end of an odd-length array). With `code_to_cid`, the widths
/// are re-keyed by code: `code_to_cid(code)` names the CID whose width the code gets.
///
/// Without it, equal widths over [`LONG_RUN`] or more CIDs stay one `c_first c_last w` entry when
/// the descendant font is an object of its own (Chrome's Nanum subsets give one width to
/// 16,594 CIDs): `load::expand_width_ranges` expands them for the fonts pdf-extract reads whole,
/// and a page's own font copy takes only the widths of the codes it shows (`page_fonts`).
fn normalize_widths(
    doc: &mut Document,
    id: ObjectId,
    code_to_cid: Option<&dyn Fn(u32) -> Option<u32>>,
) {
    let keep_long = code_to_cid.is_none()
        && matches!(descendant_place(doc, id), Some(DescendantPlace::Object(_)));
    let Some(desc) = descendant(doc, id) else {
        return;
    };
    let widths = desc
        .get(b"W")
        .ok()
        .map(|w| cid_widths(doc, resolve(doc, w), keep_long))
        .unwrap_or_default();
    let dw_ok = desc
        .get(b"DW")
        .ok()
        .map(|d| matches!(resolve(doc, d), Object::Integer(_)))
        .unwrap_or(true);
    let dw = desc
        .get(b"DW")
        .ok()
        .and_then(|d| number_of(resolve(doc, d)))
        .unwrap_or(1000.0);
    let keyed: BTreeMap<u32, f64> = match code_to_cid {
        None => widths.listed,
        Some(map) => (0..=0xFFu32)
            .filter_map(|code| {
                let cid = map(code)?;
                Some((code, *widths.listed.get(&cid)?))
            })
            .collect(),
    };
    // (first CID, the entry's objects after it), in CID order.
    let mut entries: Vec<(u32, Vec<Object>)> = super::width_runs(
        keyed
            .into_iter()
            .map(|(cid, width)| (cid, Object::Real(width as f32))),
    )
    .into_iter()
    .map(|(first, ws)| (first, vec![Object::Array(ws)]))
    .collect();
    for (first, last, width) in widths.long {
        entries.push((
            first,
            vec![Object::Integer(i64::from(last)), Object::Real(width as f32)],
        ));
    }
    entries.sort_by_key(|(first, _)| *first);
    let mut runs: Vec<Object> = Vec::with_capacity(entries.len() * 3);
    for (first, rest) in entries {
        runs.push(Object::Integer(i64::from(first)));
        runs.extend(rest);
    }
    if let Some(desc) = descendant_mut(doc, id) {
        desc.set("W", Object::Array(runs));
        if !dw_ok {
            desc.set("DW", Object::Integer(dw.round() as i64));
        }
    }
}

/// The shortest range of equal widths [`normalize_widths`] may leave unexpanded.
const LONG_RUN: i64 = 64;

/// A font's widths as read from /W.
#[derive(Default)]
struct CidWidths {
    /// Each CID's width (a later entry wins, as in pdf-extract).
    listed: BTreeMap<u32, f64>,
    /// Ranges of [`LONG_RUN`] or more CIDs at one width, left as ranges: (first, last, width).
    /// None overlaps another entry.
    long: Vec<(u32, u32, f64)>,
}

/// Reads /W; with `keep_long`, long ranges are kept as ranges when no other entry overlaps them.
fn cid_widths(doc: &Document, w: &Object, keep_long: bool) -> CidWidths {
    let mut out = CidWidths::default();
    let Ok(items) = w.as_array() else {
        return out;
    };
    let items: Vec<&Object> = items.iter().map(|o| resolve(doc, o)).collect();
    // The long ranges kept, unless one overlaps another entry.
    let mut ranges: Vec<(i64, i64, f64)> = Vec::new();
    let mut i = 0;
    while i < items.len() {
        let Some(first) = number_of(items[i]) else {
            break;
        };
        let first = first as i64;
        match items.get(i + 1) {
            Some(Object::Array(ws)) => {
                for (j, w) in ws.iter().enumerate() {
                    if let (Some(w), Ok(cid)) =
                        (number_of(resolve(doc, w)), u32::try_from(first + j as i64))
                    {
                        out.listed.insert(cid, w);
                    }
                }
                i += 2;
            }
            Some(last) => {
                let (Some(last), Some(width)) =
                    (number_of(last), items.get(i + 2).and_then(|o| number_of(o)))
                else {
                    break;
                };
                let last = last as i64;
                if last >= first && last - first < MAX_WIDTH_RANGE {
                    if keep_long
                        && last - first + 1 >= LONG_RUN
                        && first >= 0
                        && u32::try_from(last).is_ok()
                    {
                        ranges.push((first, last, width));
                    } else {
                        for cid in first..=last {
                            if let Ok(cid) = u32::try_from(cid) {
                                out.listed.insert(cid, width);
                            }
                        }
                    }
                }
                i += 3;
            }
            None => break,
        }
    }
    // A long range that shares a CID with any other entry is not kept, so which entry wins
    // never depends on the order of the output: the array is read again without keeping any.
    let overlaps = |a: (i64, i64), b: (i64, i64)| a.0 <= b.1 && b.0 <= a.1;
    // (Every other entry is in `listed`: a width that is not a number is in no entry.)
    let shared = ranges.iter().enumerate().any(|(k, &(first, last, _))| {
        ranges
            .iter()
            .enumerate()
            .any(|(j, r)| j != k && overlaps((first, last), (r.0, r.1)))
            || out
                .listed
                .range(first as u32..=last as u32)
                .next()
                .is_some()
    });
    if shared {
        return cid_widths(doc, w, false);
    }
    out.long = ranges
        .into_iter()
        .map(|(first, last, width)| (first as u32, last as u32, width))
        .collect();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn int(i: i64) -> Object {
        Object::Integer(i)
    }

    #[test]
    fn long_ranges_of_one_width_stay_ranges() {
        // The widths of Chrome's NanumGothic subset in the one-column fixture.
        let w = Object::Array(vec![
            int(3),
            Object::Array(vec![Object::Real(299.8)]),
            int(20),
            int(28),
            Object::Real(537.1),
            int(354),
            int(16_947),
            Object::Real(950.2),
        ]);
        let doc = Document::with_version("1.5");
        let kept = cid_widths(&doc, &w, true);
        assert_eq!(kept.long, vec![(354, 16_947, 950.2_f32 as f64)]);
        // 20..=28 is shorter than LONG_RUN: listed.
        assert_eq!(kept.listed.len(), 1 + 9);
        let expanded = cid_widths(&doc, &w, false);
        assert!(expanded.long.is_empty());
        assert_eq!(expanded.listed.len(), 1 + 9 + 16_594);
        assert_eq!(expanded.listed.get(&9000), Some(&(950.2_f32 as f64)));
    }

    #[test]
    fn a_long_range_that_another_entry_overrides_is_expanded() {
        // CID 500 is given 600 after the range gave it 950: the later entry must win.
        let w = Object::Array(vec![
            int(354),
            int(16_947),
            Object::Real(950.0),
            int(500),
            Object::Array(vec![int(600)]),
        ]);
        let widths = cid_widths(&Document::with_version("1.5"), &w, true);
        assert!(widths.long.is_empty());
        assert_eq!(widths.listed.get(&500), Some(&600.0));
        assert_eq!(widths.listed.get(&501), Some(&950.0));
    }
}
