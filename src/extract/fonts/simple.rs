//! Simple fonts (Type 1, TrueType, Type 3): what each one-byte code means, and the rewrite that
//! lets pdf-extract decode every code without panicking (a complete ToUnicode map, a base
//! encoding it accepts, widths that match their character range).

use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};

use lopdf::{Dictionary, Document, Object, ObjectId};

use super::cmap::{self, Code, ToUnicodeMaps, ToUnicodeState};
use super::glyph_names::{self, KNOWN_BASE_ENCODINGS, PDF_EXTRACT_BASE_ENCODINGS};
use super::standard14;
use super::{
    base_font_name, font_dict, font_dict_mut, name_of, number_of, resolve, unmapped_marker,
    FontInfo, FontMapping, Prepared,
};

/// What each code 0–255 means, where anything says so.
type CodeTable = [Option<String>; 256];

/// The /Encoding entry as pdf-extract will see it.
enum EncodingEntry {
    Absent,
    Name(Vec<u8>),
    Dict {
        base: Option<Vec<u8>>,
        differences: Vec<(u8, Vec<u8>)>,
        /// pdf-extract would panic on it (a base it does not know, a code above 255, an entry
        /// that is neither a code nor a name).
        trips_pdf_extract: bool,
    },
    /// Any other object: pdf-extract panics.
    Invalid,
}

/// Type 1 and TrueType fonts.
pub(crate) fn prepare(doc: &mut Document, id: ObjectId, maps: &mut ToUnicodeMaps) -> Prepared {
    prepare_simple(doc, id, false, maps)
}

/// Type 3 fonts: glyph procedures with arbitrary names, so only a ToUnicode map gives text.
pub(crate) fn prepare_type3(
    doc: &mut Document,
    id: ObjectId,
    maps: &mut ToUnicodeMaps,
) -> Prepared {
    prepare_simple(doc, id, true, maps)
}

fn prepare_simple(
    doc: &mut Document,
    id: ObjectId,
    type3: bool,
    maps: &mut ToUnicodeMaps,
) -> Prepared {
    let Some(font) = font_dict(doc, id) else {
        return unmapped(id, "?", "font object is not a dictionary");
    };
    let name = base_font_name(doc, font);
    let subtype = font
        .get(b"Subtype")
        .ok()
        .and_then(name_of)
        .unwrap_or_default();
    let to_unicode = cmap::read_to_unicode(doc, font, maps);
    let encoding = read_encoding(doc, font);
    // A standard font drawn without a font program has the standard encoding, whatever its
    // descriptor's symbolic flag says.
    let standard = if type3 {
        None
    } else {
        standard14::substitute(doc, font)
    };
    let symbolic = is_symbolic(doc, font) && standard.is_none();
    let program = FontProgram::read(doc, font);
    let used = used_range(doc, font);

    // What the encoding says, code by code.
    let mut table: CodeTable = std::array::from_fn(|_| None);
    let mut encoding_reason = None;
    if type3 {
        encoding_reason = Some("Type3 font without ToUnicode");
    } else {
        let base: Option<Vec<u8>> = match &encoding {
            EncodingEntry::Name(n) => Some(n.clone()),
            EncodingEntry::Dict { base: Some(b), .. } => Some(b.clone()),
            _ => None,
        };
        match base {
            Some(b) if KNOWN_BASE_ENCODINGS.contains(&b.as_slice()) => {
                fill_base(&mut table, &b);
            }
            _ => {
                if let Some(builtin) = &program.builtin {
                    for (code, glyph) in builtin {
                        table[usize::from(*code)] = glyph_names::to_unicode(glyph);
                    }
                } else if symbolic {
                    encoding_reason = Some("symbolic font without ToUnicode or encoding");
                } else if subtype == "TrueType" {
                    fill_base(&mut table, b"WinAnsiEncoding");
                } else {
                    fill_base(&mut table, b"StandardEncoding");
                }
            }
        }
        if let EncodingEntry::Dict { differences, .. } = &encoding {
            for (code, glyph) in differences {
                table[usize::from(*code)] = glyph_names::to_unicode(glyph);
            }
        }
    }

    let (tu_map, tu_problem) = match &to_unicode {
        ToUnicodeState::Usable { map, repaired } => {
            (Some(map), repaired.then_some("ToUnicode repaired"))
        }
        ToUnicodeState::Broken(reason) => (None, Some(reason.as_str())),
        ToUnicodeState::Absent => (None, None),
    };
    let meaning = |code: usize| -> Option<String> {
        tu_map
            .and_then(|m| m.get(code as u32).map(str::to_string))
            .or_else(|| table[code].clone())
            .filter(|t| !t.is_empty() && !t.chars().all(|c| c == '\0'))
    };
    let unknown_used = used.iter().filter(|&&c| meaning(c).is_none()).count();
    let known_used = used.len() - unknown_used;

    let mapping = if known_used == 0 && !used.is_empty() {
        let reason = tu_problem
            .or(encoding_reason)
            .unwrap_or("no glyph has a known Unicode value");
        FontMapping::Unmapped(reason.to_string())
    } else if tu_map.is_some() {
        FontMapping::ToUnicode
    } else if let Some(reason) = encoding_reason {
        FontMapping::Unmapped(reason.to_string())
    } else {
        FontMapping::Encoding
    };

    let encoding_trips = match &encoding {
        EncodingEntry::Absent => type3,
        EncodingEntry::Name(n) => !PDF_EXTRACT_BASE_ENCODINGS.contains(&n.as_slice()),
        EncodingEntry::Dict {
            trips_pdf_extract, ..
        } => *trips_pdf_extract,
        EncodingEntry::Invalid => true,
    };
    // Without /Encoding, pdf-extract falls back to "no encoding" for codes its Unicode map lacks
    // and panics, unless the font is TrueType (it assumes WinAnsi then).
    let fallback_trips = matches!(encoding, EncodingEntry::Absent)
        && subtype != "TrueType"
        && (tu_map.is_some() || program.builtin.is_some());
    let rewrite = tu_problem.is_some()
        || encoding_trips
        || fallback_trips
        || unknown_used > 0
        || matches!(mapping, FontMapping::Unmapped(_));

    let program_trips = program.trips_pdf_extract;
    let descriptor = font.get(b"FontDescriptor").ok().cloned();
    if rewrite {
        let mut entries = BTreeMap::new();
        for code in 0..256usize {
            let text = meaning(code).unwrap_or_else(|| unmapped_marker(code as u32).to_string());
            entries.insert(
                Code {
                    value: code as u32,
                    bytes: 1,
                },
                text,
            );
        }
        let stream_id = doc.add_object(cmap::to_unicode_stream(&entries));
        if let Some(font) = font_dict_mut(doc, id) {
            font.set("ToUnicode", Object::Reference(stream_id));
            if encoding_trips || fallback_trips {
                set_safe_encoding(font, type3);
            }
        }
    }
    if program_trips {
        drop_font_program(doc, id, descriptor.as_ref());
    }
    if let Some(standard) = standard {
        standard14::use_standard_metrics(doc, id, standard);
    }
    if !type3 {
        // pdf-extract gives a font named exactly as a standard font its AFM widths.
        let core = standard.is_some() || standard14::is_core_name(&name);
        fill_missing_widths(doc, id, core);
    }
    repair_widths(doc, id, type3);
    ensure_base_font(doc, id);
    Prepared {
        info: FontInfo { name, mapping },
        needs_used_codes: None,
    }
}

fn unmapped(id: ObjectId, name: &str, reason: &str) -> Prepared {
    let _ = id;
    Prepared {
        info: FontInfo {
            name: name.to_string(),
            mapping: FontMapping::Unmapped(reason.to_string()),
        },
        needs_used_codes: None,
    }
}

fn fill_base(table: &mut CodeTable, base: &[u8]) {
    for (code, slot) in table.iter_mut().enumerate() {
        *slot = glyph_names::base_encoding(base, code as u8);
    }
}

fn read_encoding(doc: &Document, font: &Dictionary) -> EncodingEntry {
    let Ok(entry) = font.get(b"Encoding") else {
        return EncodingEntry::Absent;
    };
    match resolve(doc, entry) {
        Object::Null => EncodingEntry::Absent,
        Object::Name(n) => EncodingEntry::Name(n.clone()),
        Object::Dictionary(dict) => {
            let mut trips = false;
            let base = match dict.get(b"BaseEncoding").map(|o| resolve(doc, o)) {
                Ok(Object::Name(n)) => {
                    trips |= !PDF_EXTRACT_BASE_ENCODINGS.contains(&n.as_slice());
                    Some(n.clone())
                }
                Ok(_) => {
                    trips = true;
                    None
                }
                Err(_) => None,
            };
            let mut differences = Vec::new();
            if let Ok(array) = dict.get(b"Differences").map(|o| resolve(doc, o)) {
                match array {
                    Object::Array(items) => {
                        let mut code: i64 = 0;
                        for item in items {
                            match resolve(doc, item) {
                                Object::Integer(i) => code = *i,
                                Object::Name(n) => {
                                    match u8::try_from(code) {
                                        Ok(c) => differences.push((c, n.clone())),
                                        Err(_) => trips = true,
                                    }
                                    code += 1;
                                }
                                _ => trips = true,
                            }
                        }
                    }
                    _ => trips = true,
                }
            }
            EncodingEntry::Dict {
                base,
                differences,
                trips_pdf_extract: trips,
            }
        }
        _ => EncodingEntry::Invalid,
    }
}

/// Replaces /Encoding by one pdf-extract accepts; the generated ToUnicode map carries the
/// meaning of every code, so the encoding only matters for the standard-14 width tables.
fn set_safe_encoding(font: &mut Dictionary, type3: bool) {
    if type3 {
        let mut dict = Dictionary::new();
        dict.set("Type", Object::Name(b"Encoding".to_vec()));
        dict.set("Differences", Object::Array(Vec::new()));
        font.set("Encoding", Object::Dictionary(dict));
    } else {
        font.set("Encoding", Object::Name(b"WinAnsiEncoding".to_vec()));
    }
}

fn is_symbolic(doc: &Document, font: &Dictionary) -> bool {
    let flags = font
        .get(b"FontDescriptor")
        .ok()
        .map(|d| resolve(doc, d))
        .and_then(|d| d.as_dict().ok())
        .and_then(|d| d.get(b"Flags").ok())
        .and_then(|f| number_of(resolve(doc, f)))
        .unwrap_or(0.0) as i64;
    flags & 4 != 0 && flags & 32 == 0
}

/// The codes a font can show: FirstChar..=LastChar with a non-zero width, or all printable
/// ASCII when the font has no widths.
fn used_range(doc: &Document, font: &Dictionary) -> Vec<usize> {
    let first = font
        .get(b"FirstChar")
        .ok()
        .and_then(|o| number_of(resolve(doc, o)));
    let widths = font
        .get(b"Widths")
        .ok()
        .map(|o| resolve(doc, o))
        .and_then(|o| o.as_array().ok());
    match (first, widths) {
        (Some(first), Some(widths)) => widths
            .iter()
            .enumerate()
            .filter(|(_, w)| number_of(resolve(doc, w)).unwrap_or(0.0) != 0.0)
            .map(|(i, _)| first as usize + i)
            .filter(|&c| c < 256)
            .collect(),
        _ => (0x21..0x7F).collect(),
    }
}

/// The embedded font program's own encoding (code → glyph name), and whether pdf-extract's
/// parsers would panic on the program.
struct FontProgram {
    builtin: Option<Vec<(u8, Vec<u8>)>>,
    trips_pdf_extract: bool,
}

impl FontProgram {
    fn read(doc: &Document, font: &Dictionary) -> FontProgram {
        let none = FontProgram {
            builtin: None,
            trips_pdf_extract: false,
        };
        let subtype = font.get(b"Subtype").ok().and_then(name_of);
        let Some(descriptor) = font
            .get(b"FontDescriptor")
            .ok()
            .map(|d| resolve(doc, d))
            .and_then(|d| d.as_dict().ok())
        else {
            return none;
        };
        if subtype.as_deref() == Some("Type1") {
            if let Ok(Object::Stream(stream)) = descriptor.get(b"FontFile").map(|o| resolve(doc, o))
            {
                let bytes = cmap::stream_bytes(stream);
                let parsed = catch_unwind(AssertUnwindSafe(|| {
                    type1_encoding_parser::get_encoding_map(&bytes)
                }));
                return match parsed {
                    Ok(Ok(map)) => FontProgram {
                        builtin: Some(
                            map.into_iter()
                                .filter_map(|(code, name)| Some((u8::try_from(code).ok()?, name)))
                                .collect(),
                        ),
                        trips_pdf_extract: false,
                    },
                    _ => FontProgram {
                        builtin: None,
                        trips_pdf_extract: true,
                    },
                };
            }
        }
        if let Ok(Object::Stream(stream)) = descriptor.get(b"FontFile3").map(|o| resolve(doc, o)) {
            let is_type1c = stream
                .dict
                .get(b"Subtype")
                .ok()
                .and_then(name_of)
                .is_some_and(|s| s == "Type1C");
            if is_type1c {
                let bytes = cmap::stream_bytes(stream);
                let parsed = catch_unwind(AssertUnwindSafe(|| cff_builtin_encoding(&bytes)));
                return match parsed {
                    Ok(Some(map)) => FontProgram {
                        builtin: Some(map),
                        trips_pdf_extract: false,
                    },
                    _ => FontProgram {
                        builtin: None,
                        trips_pdf_extract: true,
                    },
                };
            }
        }
        none
    }
}

/// The code → glyph name table of a CFF font, read the way pdf-extract reads it.
fn cff_builtin_encoding(bytes: &[u8]) -> Option<Vec<(u8, Vec<u8>)>> {
    let table = cff_parser::Table::parse(bytes)?;
    let codes = table.encoding.get_code_to_sid_table(&table.charset);
    let mut out = Vec::new();
    for (code, sid) in codes {
        let name = cff_parser::string_by_id(&table, sid)?;
        if name == ".notdef" {
            continue;
        }
        out.push((code, name.as_bytes().to_vec()));
    }
    Some(out)
}

/// Removes an embedded font program pdf-extract cannot parse (it only reads encodings from it).
fn drop_font_program(doc: &mut Document, id: ObjectId, descriptor: Option<&Object>) {
    let descriptor = match descriptor {
        Some(Object::Reference(did)) => doc.get_object_mut(*did).ok(),
        Some(Object::Dictionary(_)) => {
            font_dict_mut(doc, id).and_then(|f| f.get_mut(b"FontDescriptor").ok())
        }
        _ => None,
    };
    if let Some(Object::Dictionary(d)) = descriptor {
        d.remove(b"FontFile");
        d.remove(b"FontFile3");
    }
}

/// Width given to every code of a font with neither widths nor a `MissingWidth` (half an em:
/// about the average Latin advance). An approximation: the text and its order matter most.
const FALLBACK_WIDTH: f64 = 500.0;

/// Widths for the codes a simple font's `Widths` leave out, when its descriptor gives no
/// `MissingWidth`: pdf-extract advances such codes by 0, so the glyphs pile up at one spot and
/// layout drops repeated letters as shadow text. Codes outside `FirstChar..=LastChar` get the
/// mean of the font's widths; a font with no widths at all gets [`FALLBACK_WIDTH`] for every
/// code, unless it is a standard font (`standard`), which gets pdf-extract's AFM widths.
fn fill_missing_widths(doc: &mut Document, id: ObjectId, standard: bool) {
    let Some(font) = font_dict(doc, id) else {
        return;
    };
    let missing_width = font
        .get(b"FontDescriptor")
        .ok()
        .map(|d| resolve(doc, d))
        .and_then(|d| d.as_dict().ok())
        .and_then(|d| d.get(b"MissingWidth").ok())
        .and_then(|w| number_of(resolve(doc, w)))
        .filter(|w| *w > 0.0);
    if missing_width.is_some() {
        return;
    }
    let (first, widths) = first_char_and_widths(doc, font);
    let all = match (first, widths) {
        (Some(first), Some(widths)) if !widths.is_empty() => {
            let first = first.max(0.0) as usize;
            if first == 0 && widths.len() >= 256 {
                return;
            }
            let given: Vec<f64> = widths.iter().copied().filter(|w| *w > 0.0).collect();
            if given.is_empty() {
                return;
            }
            let mean = given.iter().sum::<f64>() / given.len() as f64;
            let mut all = vec![mean; 256];
            for (i, w) in widths.into_iter().enumerate() {
                if let Some(slot) = all.get_mut(first + i) {
                    *slot = w;
                }
            }
            all
        }
        (_, None) if !standard => vec![FALLBACK_WIDTH; 256],
        _ => return,
    };
    if let Some(font) = font_dict_mut(doc, id) {
        font.set("FirstChar", Object::Integer(0));
        font.set("LastChar", Object::Integer(255));
        font.set(
            "Widths",
            Object::Array(all.into_iter().map(|w| Object::Real(w as f32)).collect()),
        );
    }
}

/// A simple font's `FirstChar` and its `Widths` (a width that is not a number reads as 0).
fn first_char_and_widths(
    doc: &Document,
    font: &lopdf::Dictionary,
) -> (Option<f64>, Option<Vec<f64>>) {
    let first = font
        .get(b"FirstChar")
        .ok()
        .and_then(|o| number_of(resolve(doc, o)));
    let widths = font
        .get(b"Widths")
        .ok()
        .map(|o| resolve(doc, o))
        .and_then(|o| o.as_array().ok())
        .map(|a| {
            a.iter()
                .map(|w| number_of(resolve(doc, w)).unwrap_or(0.0))
                .collect()
        });
    (first, widths)
}

/// pdf-extract asserts `LastChar == FirstChar + len(Widths) - 1`, expects every width to be a
/// number, and (Type 3) panics on a code without a width: make the widths consistent.
fn repair_widths(doc: &mut Document, id: ObjectId, type3: bool) {
    let Some(font) = font_dict(doc, id) else {
        return;
    };
    let (first, widths) = first_char_and_widths(doc, font);
    let (first, widths) = match (first, widths) {
        (Some(f), Some(w)) => (f.max(0.0) as usize, w),
        _ if type3 => (0, Vec::new()),
        _ => return,
    };
    let (first, widths) = if type3 {
        // Every code gets a width so a stray code cannot panic.
        let mut all = vec![0.0; 256];
        for (i, w) in widths.iter().enumerate() {
            if let Some(slot) = all.get_mut(first + i) {
                *slot = *w;
            }
        }
        (0, all)
    } else {
        (first, widths)
    };
    let last = first + widths.len().max(1) - 1;
    let widths = if widths.is_empty() { vec![0.0] } else { widths };
    if let Some(font) = font_dict_mut(doc, id) {
        font.set("FirstChar", Object::Integer(first as i64));
        font.set("LastChar", Object::Integer(last as i64));
        font.set(
            "Widths",
            Object::Array(widths.into_iter().map(|w| Object::Real(w as f32)).collect()),
        );
    }
}

/// pdf-extract reads /BaseFont as a required name.
pub(crate) fn ensure_base_font(doc: &mut Document, id: ObjectId) {
    if let Some(font) = font_dict_mut(doc, id) {
        if !matches!(
            font.get(b"BaseFont"),
            Ok(Object::Name(_) | Object::Reference(_))
        ) {
            font.set("BaseFont", Object::Name(b"Unnamed".to_vec()));
        }
    }
}
