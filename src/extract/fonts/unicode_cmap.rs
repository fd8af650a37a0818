//! Reading a ToUnicode CMap stream into code → UTF-16BE bytes, exactly as pdf-extract's parser
//! (`adobe_cmap_parser::get_unicode_map` 0.4.1 on pom 1.1) reads it, but fast: a hand-written
//! lexer instead of parser combinators that format an error string for every failed
//! alternative. Where that parser returns an error this reader returns the same message; where
//! it panics this reader returns an error. Only deliberate difference: one `bfrange` may cover
//! at most `MAX_RANGE_CODES` codes (the original inserts billions of entries and hangs).
//!
//! The grammar it mirrors (byte for byte):
//! - The stream is `(comment* content-space value)+`; lexing stops silently at the first item
//!   that does not lex (the tokens before it are kept) and fails only if the first one does.
//!   A comment is `%` up to and including an end of line (none at the end of input: not a
//!   comment); content space is space, tab, CR, LF; "space" inside strings, arrays and
//!   dictionaries adds NUL and form feed.
//! - A value is tried as `true`/`false` (prefixes: `trueX` is `true` then `X`), integer (an
//!   optional sign and digits that fit an i64; `1.5` is the integer 1 then the number `.5`),
//!   number (digits too long for an i64, or `.` and digits), name (`/` and `#xx` escapes),
//!   operator (ASCII letters and `*'"`), literal string, dictionary, hex string, array.
//! - Hex strings take whole digit pairs with space only between pairs: an odd count fails.
//! - Dictionary keys that are not UTF-8 make the original panic.

use std::collections::HashMap;

use thiserror::Error;

/// Code → UTF-16BE bytes of its text; a later entry for a code replaces an earlier one.
pub type UnicodeMap = HashMap<u32, Vec<u8>>;

/// The most codes one `bfrange` may cover. pdf-extract's parser has no limit and expands
/// `<00000000> <FFFFFFFF> <0000>` into four billion entries (it never finishes); 0x10000 covers
/// every two-byte code space.
pub const MAX_RANGE_CODES: u64 = 0x1_0000;

/// Arrays and dictionaries nested deeper than this are refused (the original's recursion
/// overflows the stack somewhere beyond; real CMaps nest two levels at most).
const MAX_NESTING: usize = 256;

/// Why a ToUnicode stream cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CMapError {
    /// The original parser returns this error (its message, spelling included).
    #[error("{0}")]
    Rejected(&'static str),
    /// The original parser panics on this stream; what it trips over.
    #[error("{0}")]
    Unreadable(&'static str),
    /// A `bfrange` covering more than `MAX_RANGE_CODES` codes.
    #[error("a bfrange of {0} codes (at most {MAX_RANGE_CODES} are read)")]
    RangeTooLarge(u64),
}

/// Reads a ToUnicode CMap stream as `adobe_cmap_parser::get_unicode_map` does.
pub fn read_unicode_map(input: &[u8]) -> Result<UnicodeMap, CMapError> {
    let tokens = Lexer { input }.tokens()?;
    read_mappings(&tokens)
}

/// One lexed value, reduced to what the mapping reader distinguishes.
#[derive(Debug, Clone, PartialEq)]
enum Token {
    Integer(i64),
    /// A literal or hexadecimal string.
    Bytes(Vec<u8>),
    Array(Vec<Token>),
    BeginBfChar,
    BeginBfRange,
    /// Any other operator, a name, number, boolean or dictionary.
    Other,
}

/// The `bfchar`/`bfrange` sections of the token list, with the original's index arithmetic:
/// the count is the token before the operator, the token after the entries is skipped unread.
fn read_mappings(tokens: &[Token]) -> Result<UnicodeMap, CMapError> {
    let at = |i: usize| {
        tokens.get(i).ok_or(CMapError::Unreadable(
            "a bfchar/bfrange section runs past the end",
        ))
    };
    let mut map = UnicodeMap::new();
    let mut i = 0;
    while i < tokens.len() {
        match tokens[i] {
            Token::BeginBfChar => {
                let count = count_before(tokens, i, "beginbfchar exected int")?;
                i += 1;
                for _ in 0..count {
                    let code = bytes_of(at(i)?, "beginbfchar exected hexstring")?;
                    let text = bytes_of(at(i + 1)?, "beginbfchar exected hexstring")?;
                    map.insert(as_code(code), text.to_vec());
                    i += 2;
                }
                i += 1;
            }
            Token::BeginBfRange => {
                let count = count_before(tokens, i, "beginbfrange exected int")?;
                i += 1;
                for _ in 0..count {
                    let lower = as_code(bytes_of(at(i)?, "beginbfrange exected hexstring")?);
                    let upper = as_code(bytes_of(at(i + 1)?, "beginbfrange exected hexstring")?);
                    insert_range(&mut map, lower, upper, at(i + 2)?)?;
                    i += 3;
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
    Ok(map)
}

/// The section count: the integer just before the operator.
fn count_before(tokens: &[Token], i: usize, message: &'static str) -> Result<i64, CMapError> {
    let before = i
        .checked_sub(1)
        .and_then(|j| tokens.get(j))
        .ok_or(CMapError::Unreadable(
            "a bfchar/bfrange section without a count",
        ))?;
    match before {
        Token::Integer(count) => Ok(*count),
        _ => Err(CMapError::Rejected(message)),
    }
}

fn bytes_of<'t>(token: &'t Token, message: &'static str) -> Result<&'t [u8], CMapError> {
    match token {
        Token::Bytes(bytes) => Ok(bytes),
        _ => Err(CMapError::Rejected(message)),
    }
}

/// The bytes of a string as a big-endian code; only the last four bytes count.
fn as_code(bytes: &[u8]) -> u32 {
    bytes
        .iter()
        .fold(0u32, |code, &b| (code << 8) | u32::from(b))
}

/// One `bfrange` entry: `lower upper <start>` (consecutive values from a two- or four-byte
/// start, wrapping like the original's release build) or `lower upper [<text> ...]`.
fn insert_range(
    map: &mut UnicodeMap,
    lower: u32,
    upper: u32,
    destination: &Token,
) -> Result<(), CMapError> {
    match destination {
        Token::Bytes(start) => {
            let codes = if upper >= lower {
                u64::from(upper - lower) + 1
            } else {
                0
            };
            match start.len() {
                4 | 2 if codes > MAX_RANGE_CODES => return Err(CMapError::RangeTooLarge(codes)),
                4 => {
                    let first = as_code(start);
                    for code in lower..=upper {
                        let value = first.wrapping_add(code - lower);
                        map.insert(code, value.to_be_bytes().to_vec());
                    }
                }
                2 => {
                    let first = as_code(start) as u16;
                    for code in lower..=upper {
                        let value = first.wrapping_add((code - lower) as u16);
                        map.insert(code, value.to_be_bytes().to_vec());
                    }
                }
                _ => return Err(CMapError::Unreadable("bad length of hexstring")),
            }
        }
        Token::Array(texts) => {
            if upper.wrapping_sub(lower).wrapping_add(1) as usize != texts.len() {
                return Err(CMapError::Rejected("bad length of array"));
            }
            // `<00000000> <FFFFFFFF> []`: the length wraps to 0 and the original indexes past
            // the empty array.
            if upper >= lower && texts.is_empty() {
                return Err(CMapError::Unreadable(
                    "an empty bfrange array for every code",
                ));
            }
            for (code, text) in (lower..=upper).zip(texts) {
                let text = bytes_of(text, "beginbfrange exected hexstring")?;
                map.insert(code, text.to_vec());
            }
        }
        _ => return Err(CMapError::Rejected("beginbfrange exected array or literal")),
    }
    Ok(())
}

/// Space between items at the top level and after every value.
fn is_content_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

/// Space inside hex strings, arrays and dictionaries.
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n' | 0 | 0x0C)
}

fn is_operator_byte(b: u8) -> bool {
    b.is_ascii_alphabetic() || matches!(b, b'*' | b'\'' | b'"')
}

/// Bytes that end a name (a `#` not followed by two hex digits ends it too).
fn ends_name(b: u8) -> bool {
    matches!(
        b,
        b' ' | b'\t'
            | b'\n'
            | b'\r'
            | 0x0C
            | b'('
            | b')'
            | b'<'
            | b'>'
            | b'['
            | b']'
            | b'{'
            | b'}'
            | b'/'
            | b'%'
            | b'#'
    )
}

fn hex_value(b: u8) -> u8 {
    match b {
        b'0'..=b'9' => b - b'0',
        b'a'..=b'f' => b - b'a' + 10,
        _ => b - b'A' + 10,
    }
}

/// A lexed value and the position after it.
type Lexed<T> = Result<Option<(T, usize)>, CMapError>;

struct Lexer<'a> {
    input: &'a [u8],
}

impl Lexer<'_> {
    fn byte(&self, pos: usize) -> Option<u8> {
        self.input.get(pos).copied()
    }

    fn starts_with(&self, pos: usize, prefix: &[u8]) -> bool {
        self.input
            .get(pos..)
            .is_some_and(|rest| rest.starts_with(prefix))
    }

    fn skip(&self, mut pos: usize, class: fn(u8) -> bool) -> usize {
        while self.byte(pos).is_some_and(class) {
            pos += 1;
        }
        pos
    }

    /// Two hex digits at `pos`, as a byte.
    fn hex_pair(&self, pos: usize) -> Option<u8> {
        let (hi, lo) = (self.byte(pos)?, self.byte(pos + 1)?);
        (hi.is_ascii_hexdigit() && lo.is_ascii_hexdigit())
            .then(|| (hex_value(hi) << 4) | hex_value(lo))
    }

    /// All top-level values up to the first item that does not lex.
    fn tokens(&self) -> Result<Vec<Token>, CMapError> {
        let mut tokens = Vec::new();
        let mut pos = 0;
        loop {
            let mut start = pos;
            while let Some(after) = self.comment(start) {
                start = after;
            }
            start = self.skip(start, is_content_space);
            match self.value(start, 0)? {
                Some((token, after)) => {
                    tokens.push(token);
                    pos = after;
                }
                None => break,
            }
        }
        if tokens.is_empty() {
            return Err(CMapError::Unreadable("nothing in the stream parses"));
        }
        Ok(tokens)
    }

    /// `%` up to and including the end of the line.
    fn comment(&self, pos: usize) -> Option<usize> {
        if self.byte(pos) != Some(b'%') {
            return None;
        }
        let rest = self.input.get(pos..)?;
        let eol = rest.iter().position(|&b| b == b'\r' || b == b'\n')?;
        let at = pos + eol;
        Some(if self.starts_with(at, b"\r\n") {
            at + 2
        } else {
            at + 1
        })
    }

    /// One value and the content space after it.
    fn value(&self, pos: usize, depth: usize) -> Lexed<Token> {
        let Some(first) = self.byte(pos) else {
            return Ok(None);
        };
        let lexed = match first {
            b't' if self.starts_with(pos, b"true") => Some((Token::Other, pos + 4)),
            b'f' if self.starts_with(pos, b"false") => Some((Token::Other, pos + 5)),
            b'+' | b'-' | b'.' | b'0'..=b'9' => self.number(pos),
            b'/' => Some((Token::Other, self.name(pos, None))),
            b if is_operator_byte(b) => Some(self.operator(pos)),
            b'(' => self
                .literal_string(pos)
                .map(|(bytes, end)| (Token::Bytes(bytes), end)),
            b'<' if self.starts_with(pos, b"<<") => {
                self.dictionary(pos, depth)?.map(|end| (Token::Other, end))
            }
            b'<' => self
                .hex_string(pos)
                .map(|(bytes, end)| (Token::Bytes(bytes), end)),
            b'[' => self.array(pos, depth)?,
            _ => None,
        };
        Ok(lexed.map(|(token, end)| (token, self.skip(end, is_content_space))))
    }

    /// An integer (fits an i64), else a number: digits with an optional sign, or `.` digits.
    fn number(&self, pos: usize) -> Option<(Token, usize)> {
        let signed = matches!(self.byte(pos), Some(b'+' | b'-'));
        let digits = pos + usize::from(signed);
        let end = self.skip(digits, |b| b.is_ascii_digit());
        if end > digits {
            let text = std::str::from_utf8(&self.input[pos..end]).ok()?;
            let token = text.parse().map_or(Token::Other, Token::Integer);
            return Some((token, end));
        }
        if self.byte(digits) == Some(b'.') {
            let end = self.skip(digits + 1, |b| b.is_ascii_digit());
            if end > digits + 1 {
                return Some((Token::Other, end));
            }
        }
        None
    }

    /// The end of the name at `pos` (a `/`); its decoded bytes into `decoded` when wanted.
    fn name(&self, pos: usize, mut decoded: Option<&mut Vec<u8>>) -> usize {
        let mut end = pos + 1;
        while let Some(b) = self.byte(end) {
            let (byte, width) = if !ends_name(b) {
                (b, 1)
            } else if let (b'#', Some(escaped)) = (b, self.hex_pair(end + 1)) {
                (escaped, 3)
            } else {
                break;
            };
            if let Some(out) = decoded.as_deref_mut() {
                out.push(byte);
            }
            end += width;
        }
        end
    }

    fn operator(&self, pos: usize) -> (Token, usize) {
        let end = self.skip(pos, is_operator_byte);
        let token = match &self.input[pos..end] {
            b"beginbfchar" => Token::BeginBfChar,
            b"beginbfrange" => Token::BeginBfRange,
            _ => Token::Other,
        };
        (token, end)
    }

    /// `( ... )` with escapes; nested balanced parentheses are kept in the bytes.
    fn literal_string(&self, pos: usize) -> Option<(Vec<u8>, usize)> {
        let mut bytes = Vec::new();
        let mut depth = 0usize;
        let mut at = pos + 1;
        loop {
            match self.byte(at)? {
                b'(' => {
                    depth += 1;
                    bytes.push(b'(');
                    at += 1;
                }
                b')' if depth == 0 => return Some((bytes, at + 1)),
                b')' => {
                    depth -= 1;
                    bytes.push(b')');
                    at += 1;
                }
                b'\\' => at = self.escape(at, &mut bytes),
                b => {
                    bytes.push(b);
                    at += 1;
                }
            }
        }
    }

    /// The escape at `pos` (a backslash): pushes what it stands for, returns where the string
    /// goes on. Octal escapes take up to three digits; over 255 they stand for nothing and the
    /// digits are read as plain bytes. An unknown escape stands for nothing either.
    fn escape(&self, pos: usize, bytes: &mut Vec<u8>) -> usize {
        let next = pos + 1;
        let simple = match self.byte(next) {
            Some(b'\\') => Some(b'\\'),
            Some(b'(') => Some(b'('),
            Some(b')') => Some(b')'),
            Some(b'n') => Some(b'\n'),
            Some(b'r') => Some(b'\r'),
            Some(b't') => Some(b'\t'),
            Some(b'b') => Some(0x08),
            Some(b'f') => Some(0x0C),
            _ => None,
        };
        if let Some(byte) = simple {
            bytes.push(byte);
            return next + 1;
        }
        let mut end = next;
        while end < next + 3 && self.byte(end).is_some_and(|b| matches!(b, b'0'..=b'7')) {
            end += 1;
        }
        if end > next {
            let value = self.input[next..end]
                .iter()
                .fold(0u32, |v, &d| v * 8 + u32::from(d - b'0'));
            if let Ok(byte) = u8::try_from(value) {
                bytes.push(byte);
                return end;
            }
            return next;
        }
        if self.starts_with(next, b"\r\n") {
            next + 2
        } else if matches!(self.byte(next), Some(b'\r' | b'\n')) {
            next + 1
        } else {
            next
        }
    }

    /// `< hex pairs >`, space allowed between pairs only.
    fn hex_string(&self, pos: usize) -> Option<(Vec<u8>, usize)> {
        let mut bytes = Vec::new();
        let mut at = pos + 1;
        loop {
            let digits = self.skip(at, is_space);
            match self.hex_pair(digits) {
                Some(byte) => {
                    bytes.push(byte);
                    at = digits + 2;
                }
                None => break,
            }
        }
        let close = self.skip(at, is_space);
        (self.byte(close) == Some(b'>')).then_some((bytes, close + 1))
    }

    /// `[ value* ]`.
    fn array(&self, pos: usize, depth: usize) -> Lexed<Token> {
        if depth >= MAX_NESTING {
            return Err(CMapError::Unreadable(
                "arrays or dictionaries nested too deep",
            ));
        }
        let mut items = Vec::new();
        let mut at = self.skip(pos + 1, is_space);
        while let Some((item, after)) = self.value(at, depth + 1)? {
            items.push(item);
            at = after;
        }
        Ok((self.byte(at) == Some(b']')).then_some((Token::Array(items), at + 1)))
    }

    /// `<< (/key space value)* >>`; the end position. A completed dictionary with a key that
    /// is not UTF-8 is an error (the original panics on it).
    fn dictionary(&self, pos: usize, depth: usize) -> Result<Option<usize>, CMapError> {
        if depth >= MAX_NESTING {
            return Err(CMapError::Unreadable(
                "arrays or dictionaries nested too deep",
            ));
        }
        let mut at = self.skip(pos + 2, is_space);
        let mut keys_are_utf8 = true;
        let mut key = Vec::new();
        while self.byte(at) == Some(b'/') {
            key.clear();
            let after_key = self.name(at, Some(&mut key));
            let value_at = self.skip(after_key, is_space);
            let Some((_, after)) = self.value(value_at, depth + 1)? else {
                break;
            };
            keys_are_utf8 &= std::str::from_utf8(&key).is_ok();
            at = after;
        }
        if !self.starts_with(at, b">>") {
            return Ok(None);
        }
        if !keys_are_utf8 {
            return Err(CMapError::Unreadable("a dictionary key is not UTF-8"));
        }
        Ok(Some(at + 2))
    }
}

#[cfg(test)]
mod tests;
