//! CMap streams: reading a font's ToUnicode map exactly as pdf-extract will (with its panics
//! caught), and writing the ToUnicode and encoding CMaps that `prepare` generates.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::panic::{catch_unwind, AssertUnwindSafe};

use lopdf::{Dictionary, Object, Stream};

/// A ToUnicode map as pdf-extract reads it, or why it cannot be used.
pub(crate) enum ToUnicodeState {
    /// No /ToUnicode entry.
    Absent,
    /// Parsed; `repaired` when some entries would have made pdf-extract panic and were dropped.
    Usable {
        map: BTreeMap<u32, String>,
        repaired: bool,
    },
    /// Present but unusable (named map, unparseable stream, no entries): the reason.
    Broken(String),
}

/// Reads `/ToUnicode` of `font` with the parser pdf-extract uses.
pub(crate) fn read_to_unicode(doc: &lopdf::Document, font: &Dictionary) -> ToUnicodeState {
    let Ok(entry) = font.get(b"ToUnicode") else {
        return ToUnicodeState::Absent;
    };
    match super::resolve(doc, entry) {
        Object::Stream(stream) => {
            let bytes = stream_bytes(stream);
            let parsed = catch_unwind(AssertUnwindSafe(|| {
                adobe_cmap_parser::get_unicode_map(&bytes)
            }));
            let raw = match parsed {
                Ok(Ok(raw)) => raw,
                Ok(Err(reason)) => return ToUnicodeState::Broken(format!("ToUnicode: {reason}")),
                Err(_) => return ToUnicodeState::Broken("ToUnicode stream unparseable".into()),
            };
            let (map, repaired) = decode_entries(raw);
            if map.is_empty() {
                ToUnicodeState::Broken("ToUnicode map has no entries".into())
            } else {
                ToUnicodeState::Usable { map, repaired }
            }
        }
        Object::Name(name) => ToUnicodeState::Broken(format!(
            "named ToUnicode /{}",
            String::from_utf8_lossy(name)
        )),
        Object::Null => ToUnicodeState::Absent,
        _ => ToUnicodeState::Broken("ToUnicode is neither a stream nor a name".into()),
    }
}

/// UTF-16BE values to strings, keeping only the entries pdf-extract decodes without panicking
/// (odd lengths and unpaired surrogates trip its `assert!`/`unwrap`).
fn decode_entries(raw: HashMap<u32, Vec<u8>>) -> (BTreeMap<u32, String>, bool) {
    let mut map = BTreeMap::new();
    let mut repaired = false;
    for (code, value) in raw {
        if value.len() % 2 != 0 {
            repaired = true;
            continue;
        }
        let units: Vec<u16> = value
            .chunks_exact(2)
            .map(|pair| u16::from_be_bytes([pair[0], pair[1]]))
            .collect();
        if let [unit] = units[..] {
            if (0xD800..=0xDFFF).contains(&unit) {
                // pdf-extract skips these itself.
                continue;
            }
        }
        match String::from_utf16(&units) {
            Ok(text) => {
                map.insert(code, text);
            }
            Err(_) => repaired = true,
        }
    }
    (map, repaired)
}

pub(crate) fn stream_bytes(stream: &Stream) -> Vec<u8> {
    stream
        .decompressed_content()
        .unwrap_or_else(|_| stream.content.clone())
}

/// A character code with its length in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Code {
    pub value: u32,
    pub bytes: u8,
}

/// A ToUnicode CMap stream mapping each code to its text.
pub(crate) fn to_unicode_stream(entries: &BTreeMap<Code, String>) -> Stream {
    let mut ranges: BTreeMap<u8, (u32, u32)> = BTreeMap::new();
    for code in entries.keys() {
        ranges.insert(code.bytes, max_range(code.bytes));
    }
    let mut text = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
         /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
         /CMapName /Jaryo-Generated-UCS def\n/CMapType 2 def\n",
    );
    let _ = writeln!(text, "{} begincodespacerange", ranges.len().max(1));
    if ranges.is_empty() {
        text.push_str("<00> <FF>\n");
    }
    for (bytes, (lo, hi)) in &ranges {
        let _ = writeln!(text, "{} {}", hex(*lo, *bytes), hex(*hi, *bytes));
    }
    text.push_str("endcodespacerange\n");
    let list: Vec<_> = entries.iter().collect();
    for chunk in list.chunks(100) {
        let _ = writeln!(text, "{} beginbfchar", chunk.len());
        for (code, value) in chunk {
            let _ = write!(text, "{} <", hex(code.value, code.bytes));
            for unit in value.encode_utf16() {
                let _ = write!(text, "{unit:04X}");
            }
            text.push_str(">\n");
        }
        text.push_str("endbfchar\n");
    }
    text.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    Stream::new(Dictionary::new(), text.into_bytes())
}

fn max_range(bytes: u8) -> (u32, u32) {
    match bytes {
        1 => (0, 0xFF),
        2 => (0, 0xFFFF),
        3 => (0, 0xFF_FFFF),
        _ => (0, u32::MAX),
    }
}

fn hex(value: u32, bytes: u8) -> String {
    let width = usize::from(bytes) * 2;
    format!("<{value:0width$X}>")
}

/// An encoding CMap under which pdf-extract 0.12 reads one byte for 0x00–0x80 and two bytes for
/// a CP949 lead byte, and uses the code itself as the CID (so the generated ToUnicode map and
/// the rewritten widths can be keyed by code).
///
/// pdf-extract's CMap parser gives a codespace range `bytes / 2` as its width (`<0000> <0080>`
/// reads as one byte, `<00008141> <0000FEFE>` as two) and computes a CID as `code + dst_CID_lo`;
/// the test `cp949_cmap_font_decodes_through_pdf_extract` pins that behaviour.
pub(crate) fn cp949_encoding_stream(name: &str) -> Stream {
    let text = format!(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
         /CMapName /Jaryo-{name} def\n/CMapType 1 def\n\
         2 begincodespacerange\n<0000> <0080>\n<00008141> <0000FEFE>\nendcodespacerange\n\
         1 begincidrange\n<0000> <FFFF> 0\nendcidrange\n\
         endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
    );
    let mut dict = Dictionary::new();
    dict.set("Type", Object::Name(b"CMap".to_vec()));
    dict.set(
        "CMapName",
        Object::Name(format!("Jaryo-{name}").into_bytes()),
    );
    let mut info = Dictionary::new();
    info.set("Registry", Object::string_literal("Adobe"));
    info.set("Ordering", Object::string_literal("Korea1"));
    info.set("Supplement", Object::Integer(0));
    dict.set("CIDSystemInfo", Object::Dictionary(info));
    Stream::new(dict, text.into_bytes())
}
