//! CMap streams: reading a font's ToUnicode map exactly as pdf-extract will (through
//! `unicode_cmap`, once per stream and document), and writing the ToUnicode and encoding CMaps
//! that `prepare` generates.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use lopdf::{Dictionary, Object, ObjectId, Stream};

use super::unicode_cmap::{read_unicode_map, CMapError, UnicodeMap};

/// The ToUnicode streams of one document, each read once: font preparation reads them, and
/// `pdf::to_unicode::accelerate` (which runs after it) takes the same maps instead of reading
/// the streams again. Keyed by the stream's object id; `prepare` never rewrites a stream in
/// place (a repaired or generated map is a new object), so an entry stays true to its stream.
#[derive(Debug, Default)]
pub struct ToUnicodeMaps {
    read: HashMap<ObjectId, Result<UnicodeMap, CMapError>>,
}

impl ToUnicodeMaps {
    /// The map of stream `id`, read now if it was not yet.
    fn get_or_read(&mut self, id: ObjectId, stream: &Stream) -> &Result<UnicodeMap, CMapError> {
        self.read.entry(id).or_insert_with(|| read_stream(stream))
    }

    /// The map of stream `id` (read now if it was not yet), handed over: the entry is removed.
    pub(crate) fn take_or_read(
        &mut self,
        id: ObjectId,
        stream: &Stream,
    ) -> Result<UnicodeMap, CMapError> {
        self.read.remove(&id).unwrap_or_else(|| read_stream(stream))
    }
}

fn read_stream(stream: &Stream) -> Result<UnicodeMap, CMapError> {
    read_unicode_map(&stream_bytes(stream))
}

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

/// Reads `/ToUnicode` of `font` as pdf-extract's parser does (through `maps`).
pub(crate) fn read_to_unicode(
    doc: &lopdf::Document,
    font: &Dictionary,
    maps: &mut ToUnicodeMaps,
) -> ToUnicodeState {
    let Ok(entry) = font.get(b"ToUnicode") else {
        return ToUnicodeState::Absent;
    };
    match super::resolve(doc, entry) {
        Object::Stream(stream) => {
            let direct;
            let parsed = match entry {
                Object::Reference(id) => maps.get_or_read(*id, stream),
                _ => {
                    direct = read_stream(stream);
                    &direct
                }
            };
            let raw = match parsed {
                Ok(raw) => raw,
                Err(CMapError::Rejected(reason)) => {
                    return ToUnicodeState::Broken(format!("ToUnicode: {reason}"))
                }
                Err(CMapError::RangeTooLarge(_)) => {
                    return ToUnicodeState::Broken("ToUnicode has a bfrange too large".into())
                }
                Err(CMapError::Unreadable(_)) => {
                    return ToUnicodeState::Broken("ToUnicode stream unparseable".into())
                }
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

/// How pdf-extract decodes one ToUnicode value (UTF-16BE bytes).
pub(crate) enum Utf16Value {
    Text(String),
    /// A lone surrogate code unit: pdf-extract skips the entry itself.
    Skipped,
    /// An odd length or unpaired surrogates: pdf-extract's `assert!`/`unwrap` would panic.
    Invalid,
}

pub(crate) fn utf16_value(bytes: &[u8]) -> Utf16Value {
    match bytes {
        // One code unit, the common case (65,536 of them in a Tesseract map): no buffer.
        [high, low] => match char::from_u32(u32::from(u16::from_be_bytes([*high, *low]))) {
            Some(c) => Utf16Value::Text(c.to_string()),
            None => Utf16Value::Skipped,
        },
        _ if !bytes.len().is_multiple_of(2) => Utf16Value::Invalid,
        _ => {
            let units: Vec<u16> = bytes
                .chunks_exact(2)
                .map(|pair| u16::from_be_bytes([pair[0], pair[1]]))
                .collect();
            String::from_utf16(&units).map_or(Utf16Value::Invalid, Utf16Value::Text)
        }
    }
}

/// UTF-16BE values to strings, keeping only the entries pdf-extract decodes without panicking.
fn decode_entries(raw: &UnicodeMap) -> (BTreeMap<u32, String>, bool) {
    let mut entries = Vec::with_capacity(raw.len());
    let mut repaired = false;
    for (&code, value) in raw {
        match utf16_value(value) {
            Utf16Value::Text(text) => entries.push((code, text)),
            Utf16Value::Skipped => {}
            Utf16Value::Invalid => repaired = true,
        }
    }
    // Sorted first: a map built from sorted entries is built in one pass.
    entries.sort_unstable_by_key(|(code, _)| *code);
    (entries.into_iter().collect(), repaired)
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
