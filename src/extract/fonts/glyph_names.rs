//! Glyph names and standard encodings to Unicode: the Adobe Glyph List rules for `uniXXXX` /
//! `uXXXX` names, and lopdf's glyph list and base encoding tables for the rest.

use lopdf::{Dictionary, Document, Object};

/// The text a glyph name stands for, `None` for names that say nothing (`g123`, `cid456`, …).
pub(crate) fn to_unicode(name: &[u8]) -> Option<String> {
    let name = std::str::from_utf8(name).ok()?;
    // A suffix after a period (`a.sc`, `one.oldstyle`) names a variant of the same character.
    let base = name.split('.').next().unwrap_or(name);
    if base.is_empty() {
        return None;
    }
    if let Some(text) = agl_uni_name(base) {
        return Some(text);
    }
    // Ligature names join their parts with underscores (`f_f_i`).
    if base.contains('_') {
        let parts: Option<String> = base.split('_').map(single_name).collect();
        return parts.filter(|s| !s.is_empty());
    }
    single_name(base)
}

fn single_name(name: &str) -> Option<String> {
    agl_uni_name(name).or_else(|| lopdf_glyph(name.as_bytes()))
}

/// `uniXXXX[XXXX…]` (BMP code units, four hex digits each) and `uXXXX`–`uXXXXXX`.
fn agl_uni_name(name: &str) -> Option<String> {
    if let Some(hex) = name.strip_prefix("uni") {
        if hex.len() >= 4 && hex.len() % 4 == 0 && hex.chars().all(|c| c.is_ascii_hexdigit()) {
            let units: Option<Vec<u16>> = (0..hex.len())
                .step_by(4)
                .map(|i| u16::from_str_radix(&hex[i..i + 4], 16).ok())
                .collect();
            return String::from_utf16(&units?).ok();
        }
        return None;
    }
    if let Some(hex) = name.strip_prefix('u') {
        if (4..=6).contains(&hex.len()) && hex.chars().all(|c| c.is_ascii_hexdigit()) {
            let value = u32::from_str_radix(hex, 16).ok()?;
            return char::from_u32(value).map(String::from);
        }
    }
    None
}

/// lopdf knows the Adobe Glyph List; ask it through a one-entry Differences encoding.
fn lopdf_glyph(name: &[u8]) -> Option<String> {
    let mut encoding = Dictionary::new();
    encoding.set("Type", Object::Name(b"Encoding".to_vec()));
    encoding.set(
        "Differences",
        Object::Array(vec![Object::Integer(0), Object::Name(name.to_vec())]),
    );
    decode_with_encoding(Object::Dictionary(encoding), 0)
}

/// The text of `code` under a base encoding (`WinAnsiEncoding`, `StandardEncoding`, …).
pub(crate) fn base_encoding(name: &[u8], code: u8) -> Option<String> {
    decode_with_encoding(Object::Name(name.to_vec()), code)
}

fn decode_with_encoding(encoding: Object, code: u8) -> Option<String> {
    let doc = Document::new();
    let mut font = Dictionary::new();
    font.set("Type", Object::Name(b"Font".to_vec()));
    font.set("Encoding", encoding);
    let decoder = font.get_font_encoding(&doc).ok()?;
    let text = Document::decode_text(&decoder, &[code]).ok()?;
    Some(text).filter(|t| !t.is_empty())
}

/// The base encodings lopdf knows (the ones pdf-extract accepts, plus Standard and Symbol).
pub(crate) const KNOWN_BASE_ENCODINGS: [&[u8]; 4] = [
    b"StandardEncoding",
    b"MacRomanEncoding",
    b"MacExpertEncoding",
    b"WinAnsiEncoding",
];

/// The base encodings pdf-extract 0.12 accepts without panicking.
pub(crate) const PDF_EXTRACT_BASE_ENCODINGS: [&[u8]; 3] = [
    b"MacRomanEncoding",
    b"MacExpertEncoding",
    b"WinAnsiEncoding",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glyph_names_follow_the_adobe_glyph_list() {
        assert_eq!(to_unicode(b"A").as_deref(), Some("A"));
        assert_eq!(to_unicode(b"uniAC00").as_deref(), Some("가"));
        assert_eq!(to_unicode(b"u1F600").as_deref(), Some("😀"));
        assert_eq!(to_unicode(b"f_i").as_deref(), Some("fi"));
        assert_eq!(to_unicode(b"a.sc").as_deref(), Some("a"));
        assert_eq!(to_unicode(b"quoteright").as_deref(), Some("\u{2019}"));
        assert_eq!(to_unicode(b"g123"), None);
        assert_eq!(to_unicode(b"cid00456"), None);
    }

    #[test]
    fn base_encodings_come_from_lopdf_tables() {
        assert_eq!(
            base_encoding(b"WinAnsiEncoding", 0x80).as_deref(),
            Some("€")
        );
        assert_eq!(
            base_encoding(b"StandardEncoding", 0x27).as_deref(),
            Some("\u{2019}")
        );
        assert_eq!(
            base_encoding(b"MacRomanEncoding", 0x41).as_deref(),
            Some("A")
        );
    }
}
