//! CMap streams: reading a font's ToUnicode map exactly as pdf-extract will (through
//! `unicode_cmap`, once per stream and document), and writing the ToUnicode and encoding CMaps
//! that `prepare` generates.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::sync::Arc;

use lopdf::{Dictionary, Object, ObjectId, Stream};

use super::unicode_cmap::{read_unicode_map, CMapError, UnicodeMap};

/// The ToUnicode streams of one document, each read once: font preparation reads them, and
/// `pdf::to_unicode::accelerate` (which runs after it) takes the same maps instead of reading
/// the streams again. Keyed by the stream's object id; `prepare` never rewrites a stream in
/// place (a repaired or generated map is a new object), so an entry stays true to its stream.
#[derive(Debug, Default)]
pub struct ToUnicodeMaps {
    read: HashMap<ObjectId, Result<Arc<DecodedMap>, CMapError>>,
}

impl ToUnicodeMaps {
    /// The map of stream `id`, read now if it was not yet.
    fn get_or_read(
        &mut self,
        id: ObjectId,
        stream: &Stream,
    ) -> &Result<Arc<DecodedMap>, CMapError> {
        self.read.entry(id).or_insert_with(|| read_stream(stream))
    }

    /// The map of stream `id` (read now if it was not yet), handed over: the entry is removed.
    pub(crate) fn take_or_read(
        &mut self,
        id: ObjectId,
        stream: &Stream,
    ) -> Result<Arc<DecodedMap>, CMapError> {
        self.read.remove(&id).unwrap_or_else(|| read_stream(stream))
    }
}

fn read_stream(stream: &Stream) -> Result<Arc<DecodedMap>, CMapError> {
    read_unicode_map(&stream_bytes(stream)).map(|raw| Arc::new(DecodedMap::decode(&raw)))
}

/// Texts numbered from 0, kept one after another in one buffer: tens of thousands of them cost
/// two allocations, not one each.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Texts {
    text: String,
    /// Where each text ends in `text` (it starts where the previous one ends).
    ends: Vec<u32>,
}

impl Texts {
    fn with_capacity(texts: usize, bytes: usize) -> Texts {
        Texts {
            text: String::with_capacity(bytes),
            ends: Vec::with_capacity(texts),
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.ends.len()
    }

    pub(crate) fn push(&mut self, text: &str) {
        self.text.push_str(text);
        self.close();
    }

    /// Ends the text written onto `text` since the last one.
    fn close(&mut self) {
        self.ends.push(self.text.len() as u32);
    }

    pub(crate) fn get(&self, index: usize) -> Option<&str> {
        let end = *self.ends.get(index)? as usize;
        let start = index.checked_sub(1).map_or(0, |i| self.ends[i] as usize);
        Some(&self.text[start..end])
    }
}

/// A ToUnicode map decoded as pdf-extract decodes it: code → text (UTF-16BE values), in code
/// order. The texts share one buffer: a Tesseract map has 65,536 entries, and a `String` each
/// made decoding, copying and freeing them most of the work on an OCR page.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct DecodedMap {
    codes: Vec<u32>,
    /// The text of `codes[i]` is text `i`.
    texts: Texts,
    /// Some values were left out because pdf-extract would panic on them (an odd length,
    /// unpaired surrogates); lone surrogate code units, which pdf-extract skips itself, are
    /// left out too but do not count.
    pub invalid: bool,
}

impl DecodedMap {
    pub(crate) fn decode(raw: &UnicodeMap) -> DecodedMap {
        let mut entries: Vec<(u32, &[u8])> = raw.iter().map(|(c, v)| (*c, v.as_slice())).collect();
        entries.sort_unstable_by_key(|(code, _)| *code);
        let mut map = DecodedMap {
            codes: Vec::with_capacity(entries.len()),
            texts: Texts::with_capacity(entries.len(), entries.len() * 3),
            invalid: false,
        };
        for (code, value) in entries {
            match push_utf16(value, &mut map.texts.text) {
                Utf16Value::Text => {
                    map.codes.push(code);
                    map.texts.close();
                }
                Utf16Value::Skipped => {}
                Utf16Value::Invalid => map.invalid = true,
            }
        }
        map
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }

    /// The lowest and the highest code, if the map has any.
    pub(crate) fn code_span(&self) -> Option<(u32, u32)> {
        Some((*self.codes.first()?, *self.codes.last()?))
    }

    /// The text of `code`, if the map has it.
    pub(crate) fn get(&self, code: u32) -> Option<&str> {
        let index = self.codes.binary_search(&code).ok()?;
        self.texts.get(index)
    }

    /// Every code with its text, in code order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (u32, &str)> + '_ {
        self.codes
            .iter()
            .enumerate()
            .map(|(index, &code)| (code, self.texts.get(index).unwrap_or_default()))
    }
}

/// A ToUnicode map as pdf-extract reads it, or why it cannot be used.
pub(crate) enum ToUnicodeState {
    /// No /ToUnicode entry.
    Absent,
    /// Parsed; `repaired` when some entries would have made pdf-extract panic and were dropped.
    Usable {
        map: Arc<DecodedMap>,
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
            let map = match parsed {
                Ok(map) => Arc::clone(map),
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
            if map.is_empty() {
                ToUnicodeState::Broken("ToUnicode map has no entries".into())
            } else {
                let repaired = map.invalid;
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
enum Utf16Value {
    Text,
    /// A lone surrogate code unit: pdf-extract skips the entry itself.
    Skipped,
    /// An odd length or unpaired surrogates: pdf-extract's `assert!`/`unwrap` would panic.
    Invalid,
}

/// Decodes one ToUnicode value as pdf-extract does, onto the end of `out` (which is left as it
/// was unless the value is text).
fn push_utf16(bytes: &[u8], out: &mut String) -> Utf16Value {
    match bytes {
        // One code unit, the common case (65,536 of them in a Tesseract map).
        [high, low] => match char::from_u32(u32::from(u16::from_be_bytes([*high, *low]))) {
            Some(c) => {
                out.push(c);
                Utf16Value::Text
            }
            None => Utf16Value::Skipped,
        },
        _ if !bytes.len().is_multiple_of(2) => Utf16Value::Invalid,
        _ => {
            let before = out.len();
            let units = bytes
                .chunks_exact(2)
                .map(|pair| u16::from_be_bytes([pair[0], pair[1]]));
            for unit in char::decode_utf16(units) {
                match unit {
                    Ok(c) => out.push(c),
                    Err(_) => {
                        out.truncate(before);
                        return Utf16Value::Invalid;
                    }
                }
            }
            Utf16Value::Text
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_decode_as_pdf_extract_decodes_them() {
        let raw: UnicodeMap = [
            (0x0004, vec![0xB0, 0x98]),             // 나
            (0x0003, vec![0xAC, 0x00]),             // 가
            (0x0009, vec![0x00, 0x66, 0x00, 0x69]), // fi
            (0x000A, vec![0xD8, 0x3D, 0xDE, 0x00]), // 😀, a surrogate pair
            (0x000B, vec![0xDC, 0x00]),             // a lone low surrogate: skipped
        ]
        .into_iter()
        .collect();
        let map = DecodedMap::decode(&raw);
        assert!(!map.invalid);
        let entries: Vec<(u32, &str)> = map.iter().collect();
        assert_eq!(entries, vec![(3, "가"), (4, "나"), (9, "fi"), (10, "😀")]);
        assert_eq!(map.get(9), Some("fi"));
        assert_eq!(map.get(11), None);
    }

    #[test]
    fn values_pdf_extract_would_panic_on_are_left_out_and_flagged() {
        let raw: UnicodeMap = [
            (1, vec![0xAC, 0x00]),
            (2, vec![0xAC]),                   // odd length
            (3, vec![0x00, 0x41, 0xD8, 0x3D]), // unpaired high surrogate after `A`
            (4, vec![0xB0, 0x98]),
        ]
        .into_iter()
        .collect();
        let map = DecodedMap::decode(&raw);
        assert!(map.invalid);
        let entries: Vec<(u32, &str)> = map.iter().collect();
        // Nothing of the broken values is left in the shared buffer.
        assert_eq!(entries, vec![(1, "가"), (4, "나")]);
    }
}
