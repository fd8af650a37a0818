//! A fast scan of a page's content stream for the two-byte codes each font shows (for
//! `page_fonts`). lopdf's content parser builds every operand of every operator, which on pages
//! full of vector drawing cost more than the per-page font copies save; this scanner only keeps
//! font changes and the strings of text-showing operators.
//!
//! It may report codes pdf-extract never draws (a copy's map with a few codes too many decodes
//! the same text); it must never miss one. So whatever it does not understand as surely as
//! lopdf does (inline images, form XObjects, fonts set through an ExtGState, octal escapes above
//! 255, unbalanced syntax) makes it give up on the page: `None`.

use std::collections::{BTreeMap, BTreeSet};

/// Font resource name → the two-byte codes shown with it.
pub type ShownCodes = BTreeMap<Vec<u8>, BTreeSet<u32>>;

/// What the scan needs from the page's resources: whether an XObject is an image, whether an
/// ExtGState sets a font (`None`: cannot tell).
pub trait Resources {
    fn is_image(&self, name: &[u8]) -> Option<bool>;
    fn sets_font(&self, state: &[u8]) -> Option<bool>;
}

/// One operand, as far as the scan cares.
enum Operand {
    Name(Vec<u8>),
    String(Vec<u8>),
    /// An array's strings (at any depth): the operand of `TJ`.
    Strings(Vec<Vec<u8>>),
    Other,
}

/// The codes each font shows in `content`, or `None` (see the module comment).
pub fn scan(content: &[u8], resources: &dyn Resources) -> Option<ShownCodes> {
    let mut shown = ShownCodes::new();
    let mut font: Option<Vec<u8>> = None;
    // `q` saves the text font with the rest of the graphics state; `Q` restores it.
    let mut saved: Vec<Option<Vec<u8>>> = Vec::new();
    let mut operands: Vec<Operand> = Vec::new();
    let mut at = 0;
    while let Some(start) = skip_space(content, at) {
        let (operand, next) = match content[start] {
            b'/' => {
                let (name, next) = name(content, start + 1)?;
                (Operand::Name(name), next)
            }
            b'(' => {
                let (bytes, next) = literal_string(content, start + 1)?;
                (Operand::String(bytes), next)
            }
            b'<' if content.get(start + 1) == Some(&b'<') => {
                (Operand::Other, dictionary_end(content, start + 2)?)
            }
            b'<' => {
                let (bytes, next) = hex_string(content, start + 1)?;
                (Operand::String(bytes), next)
            }
            b'[' => {
                let (strings, next) = array(content, start + 1)?;
                (Operand::Strings(strings), next)
            }
            b')' | b'>' | b']' | b'{' | b'}' => return None,
            _ => {
                let end = regular_end(content, start);
                let token = &content[start..end];
                at = end;
                if is_operand_keyword(token) {
                    operands.push(Operand::Other);
                    continue;
                }
                let strings: Vec<Vec<u8>> = match token {
                    b"q" => {
                        saved.push(font.clone());
                        Vec::new()
                    }
                    b"Q" => {
                        if let Some(previous) = saved.pop() {
                            font = previous;
                        }
                        Vec::new()
                    }
                    b"Tf" => {
                        font = match operands.first() {
                            Some(Operand::Name(name)) => Some(name.clone()),
                            _ => return None,
                        };
                        Vec::new()
                    }
                    b"BI" => return None,
                    b"Do" => match operands.last() {
                        Some(Operand::Name(name)) if resources.is_image(name)? => Vec::new(),
                        _ => return None,
                    },
                    b"gs" => match operands.last() {
                        Some(Operand::Name(name)) if !resources.sets_font(name)? => Vec::new(),
                        _ => return None,
                    },
                    b"Tj" | b"'" => last_string(operands.drain(..).rev().take(1)),
                    b"\"" => last_string(operands.drain(..).skip(2).take(1)),
                    b"TJ" => match operands.pop() {
                        Some(Operand::Strings(strings)) => strings,
                        _ => Vec::new(),
                    },
                    _ => Vec::new(),
                };
                operands.clear();
                if let Some(name) = &font {
                    if !strings.is_empty() {
                        let codes = shown.entry(name.clone()).or_default();
                        for bytes in strings {
                            // Identity encodings read two bytes per code; a lone last byte
                            // shows nothing.
                            codes.extend(
                                bytes
                                    .chunks_exact(2)
                                    .map(|pair| u32::from(pair[0]) << 8 | u32::from(pair[1])),
                            );
                        }
                    }
                }
                continue;
            }
        };
        operands.push(operand);
        at = next;
    }
    Some(shown)
}

fn last_string(mut operands: impl Iterator<Item = Operand>) -> Vec<Vec<u8>> {
    match operands.next() {
        Some(Operand::String(bytes)) => vec![bytes],
        _ => Vec::new(),
    }
}

fn is_whitespace(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b'\0' | b'\x0C')
}

fn is_delimiter(c: u8) -> bool {
    matches!(
        c,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

/// Numbers, booleans and null are operands; every other regular token is an operator.
fn is_operand_keyword(token: &[u8]) -> bool {
    matches!(token, b"true" | b"false" | b"null")
        || token
            .first()
            .is_some_and(|c| c.is_ascii_digit() || matches!(c, b'+' | b'-' | b'.'))
}

/// The next token's start after whitespace and comments; `None` at the end.
fn skip_space(content: &[u8], mut at: usize) -> Option<usize> {
    loop {
        match content.get(at)? {
            c if is_whitespace(*c) => at += 1,
            b'%' => {
                while content.get(at).is_some_and(|c| !matches!(c, b'\r' | b'\n')) {
                    at += 1;
                }
            }
            _ => return Some(at),
        }
    }
}

fn regular_end(content: &[u8], mut at: usize) -> usize {
    while content
        .get(at)
        .is_some_and(|c| !is_whitespace(*c) && !is_delimiter(*c))
    {
        at += 1;
    }
    at
}

/// A name after its `/`, with `#xx` escapes decoded.
fn name(content: &[u8], start: usize) -> Option<(Vec<u8>, usize)> {
    let end = regular_end(content, start);
    let raw = &content[start..end];
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        if raw[i] == b'#' {
            let hex = std::str::from_utf8(raw.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(raw[i]);
            i += 1;
        }
    }
    Some((out, end))
}

/// A literal string after its `(`, decoded as lopdf does (escapes; nested parentheses kept;
/// line ends kept as they are).
fn literal_string(content: &[u8], start: usize) -> Option<(Vec<u8>, usize)> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut at = start;
    loop {
        let c = *content.get(at)?;
        at += 1;
        match c {
            b'(' => {
                depth += 1;
                out.push(c);
            }
            b')' if depth == 0 => return Some((out, at)),
            b')' => {
                depth -= 1;
                out.push(c);
            }
            b'\\' => {
                let e = *content.get(at)?;
                at += 1;
                match e {
                    b'0'..=b'7' => {
                        let mut value = u32::from(e - b'0');
                        for _ in 0..2 {
                            match content.get(at) {
                                Some(d @ b'0'..=b'7') => {
                                    value = value * 8 + u32::from(d - b'0');
                                    at += 1;
                                }
                                _ => break,
                            }
                        }
                        out.push(u8::try_from(value).ok()?);
                    }
                    b'\r' => {
                        if content.get(at) == Some(&b'\n') {
                            at += 1;
                        }
                    }
                    b'\n' => {}
                    b'n' => out.push(b'\n'),
                    b'r' => out.push(b'\r'),
                    b't' => out.push(b'\t'),
                    b'b' => out.push(b'\x08'),
                    b'f' => out.push(b'\x0C'),
                    other => out.push(other),
                }
            }
            other => out.push(other),
        }
    }
}

/// A hex string after its `<`: whitespace skipped, an odd last digit padded with 0.
fn hex_string(content: &[u8], start: usize) -> Option<(Vec<u8>, usize)> {
    let mut out = Vec::new();
    let mut high: Option<u8> = None;
    let mut at = start;
    loop {
        let c = *content.get(at)?;
        at += 1;
        let digit = match c {
            b'>' => {
                out.extend(high.map(|h| h << 4));
                return Some((out, at));
            }
            c if is_whitespace(c) => continue,
            b'0'..=b'9' => c - b'0',
            b'a'..=b'f' => c - b'a' + 10,
            b'A'..=b'F' => c - b'A' + 10,
            _ => return None,
        };
        match high.take() {
            Some(h) => out.push(h << 4 | digit),
            None => high = Some(digit),
        }
    }
}

/// The strings of an array after its `[` (nested arrays included), and where it ends.
fn array(content: &[u8], start: usize) -> Option<(Vec<Vec<u8>>, usize)> {
    let mut strings = Vec::new();
    let mut at = start;
    loop {
        let token = skip_space(content, at)?;
        at = match content[token] {
            b']' => return Some((strings, token + 1)),
            b'(' => {
                let (bytes, next) = literal_string(content, token + 1)?;
                strings.push(bytes);
                next
            }
            b'<' if content.get(token + 1) == Some(&b'<') => dictionary_end(content, token + 2)?,
            b'<' => {
                let (bytes, next) = hex_string(content, token + 1)?;
                strings.push(bytes);
                next
            }
            b'[' => {
                let (inner, next) = array(content, token + 1)?;
                strings.extend(inner);
                next
            }
            b'/' => name(content, token + 1)?.1,
            b')' | b'>' | b'{' | b'}' => return None,
            _ => regular_end(content, token),
        };
    }
}

/// Where a dictionary ends, after its `<<`.
fn dictionary_end(content: &[u8], start: usize) -> Option<usize> {
    let mut at = start;
    loop {
        let token = skip_space(content, at)?;
        at = match content[token] {
            b'>' if content.get(token + 1) == Some(&b'>') => return Some(token + 2),
            b'(' => literal_string(content, token + 1)?.1,
            b'<' if content.get(token + 1) == Some(&b'<') => dictionary_end(content, token + 2)?,
            b'<' => hex_string(content, token + 1)?.1,
            b'[' => array(content, token + 1)?.1,
            b'/' => name(content, token + 1)?.1,
            b')' | b'>' | b']' | b'{' | b'}' => return None,
            _ => regular_end(content, token),
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Resources where `Im1` is an image, `Fm1` a form, `GS1` a plain state, `GS2` sets a font.
    struct Fake;
    impl Resources for Fake {
        fn is_image(&self, name: &[u8]) -> Option<bool> {
            match name {
                b"Im1" => Some(true),
                b"Fm1" => Some(false),
                _ => None,
            }
        }
        fn sets_font(&self, state: &[u8]) -> Option<bool> {
            match state {
                b"GS1" => Some(false),
                b"GS2" => Some(true),
                _ => None,
            }
        }
    }

    fn codes(shown: &ShownCodes, font: &str) -> Vec<u32> {
        shown
            .get(font.as_bytes())
            .map(|c| c.iter().copied().collect())
            .unwrap_or_default()
    }

    #[test]
    fn text_font_follows_save_and_restore() {
        let content = b"BT /F1 10 Tf <0001> Tj q /F2 9 Tf <0002> Tj Q <0003> Tj \
            [<0004> -20 <00050006>] TJ 1 0 0 1 5 5 Tm (\\000\\007) ' 2 3 <0008> \" ET";
        let shown = scan(content, &Fake).expect("scans");
        assert_eq!(codes(&shown, "F1"), vec![1, 3, 4, 5, 6, 7, 8]);
        assert_eq!(codes(&shown, "F2"), vec![2]);
    }

    #[test]
    fn chromium_page_content_is_read_like_lopdf_reads_it() {
        // The shape of the sample booklet PDF's content: marked content with a property
        // dictionary, a name with a # escape, images and a plain graphics state.
        let content = b"/P <</MCID 0 /ActualText (x\\)y)>> BDC q /GS1 gs /Im1 Do Q \
            BT /F#31 10.5 Tf 0 0 Td <AC00 AC01\n0> Tj ET EMC % comment (ignored\n";
        let shown = scan(content, &Fake).expect("scans");
        assert_eq!(codes(&shown, "F1"), vec![0xAC00, 0xAC01]);
    }

    #[test]
    fn what_it_cannot_be_sure_of_gives_up_on_the_page() {
        for content in [
            &b"BT /F1 9 Tf <0001> Tj ET /Fm1 Do"[..],
            b"/GS2 gs BT <0001> Tj ET",
            b"BI /W 1 /H 1 ID \xff EI",
            b"BT /F1 9 Tf (\\777) Tj ET",
            b"BT /F1 9 Tf <00zz> Tj ET",
            b"BT /F1 9 Tf (unclosed Tj ET",
            b"/Xunknown Do",
        ] {
            assert!(
                scan(content, &Fake).is_none(),
                "{}",
                String::from_utf8_lossy(content)
            );
        }
    }
}
