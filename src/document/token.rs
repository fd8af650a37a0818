//! The tokens of a block, kept small: a long text has a token every five bytes or so, so a
//! token holds its POS tag as a two-byte id into a process-wide table of tags and its surface
//! as the byte range into the block text. The JSON (`text`, `pos`, `start`, `end`,
//! `char_start`, `char_end`, `cost`, `unknown`) is made from the block text as it is written.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// One morpheme of a block's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Token {
    /// The first feature of the analysis (`NNG`, `VV+EC`, …).
    pub pos: Pos,
    /// Byte offsets into the block text.
    pub start: usize,
    pub end: usize,
    /// The dictionary word cost of this morpheme.
    pub cost: i32,
    /// True when the morpheme came from unknown-word handling, not from the dictionary.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unknown: bool,
}

impl Token {
    /// The token's surface: its bytes of `text`, the text it was analysed from (empty when
    /// its offsets do not fit `text`).
    pub fn surface<'a>(&self, text: &'a str) -> &'a str {
        text.get(self.start..self.end).unwrap_or("")
    }
}

// A token as it is written: what the JSON of a token holds (`Block::tokens` is described
// with it in the JSON Schema, so a plain comment: a doc comment would go into the schema).
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(rename = "Token")]
pub struct TokenJson<'a> {
    pub text: &'a str,
    /// The first feature of the analysis (`NNG`, `VV+EC`, …).
    pub pos: &'a str,
    /// Byte offsets into the block text.
    pub start: usize,
    pub end: usize,
    /// `start`/`end` in Unicode code points (what Python, pandas and DuckDB slice by).
    #[serde(default)]
    pub char_start: usize,
    #[serde(default)]
    pub char_end: usize,
    /// The dictionary word cost of this morpheme.
    pub cost: i32,
    /// True when the morpheme came from unknown-word handling, not from the dictionary.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unknown: bool,
}

/// Tokens with the text they point into: serialises as the JSON array of the tokens.
#[derive(Debug, Clone, Copy)]
pub struct TokensJson<'a> {
    pub text: &'a str,
    pub tokens: &'a [Token],
}

impl TokensJson<'_> {
    /// The tokens as written, in order (code-point offsets counted in one pass over the text
    /// while the tokens go forward).
    pub fn iter(&self) -> impl Iterator<Item = TokenJson<'_>> {
        let text = self.text;
        let mut counter = CharCounter::default();
        self.tokens.iter().map(move |token| {
            let char_start = counter.chars_to(text, token.start);
            let char_end = counter.chars_to(text, token.end);
            TokenJson {
                text: token.surface(text),
                pos: token.pos.as_str(),
                start: token.start,
                end: token.end,
                char_start,
                char_end,
                cost: token.cost,
                unknown: token.unknown,
            }
        })
    }
}

impl Serialize for TokensJson<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

/// Code points up to a byte offset, counted on from the offset asked before.
#[derive(Debug, Default)]
struct CharCounter {
    byte: usize,
    chars: usize,
}

impl CharCounter {
    /// Code points of `text` before byte `to` (moved back to a char boundary, clamped).
    fn chars_to(&mut self, text: &str, to: usize) -> usize {
        let to = floor_char_boundary(text, to);
        if to < self.byte {
            // Backwards (overlapping tokens): count again from the start.
            *self = CharCounter::default();
        }
        self.chars += text[self.byte..to].chars().count();
        self.byte = to;
        self.chars
    }
}

/// The largest char boundary of `s` at or below `i` (clamped to `s.len()`).
pub(crate) fn floor_char_boundary(s: &str, i: usize) -> usize {
    let mut i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// A POS tag (`NNG`, `VV+EC`, `UNKNOWN`): an id into the process-wide table of the tags seen.
/// The tags come from the dictionaries (a few hundred), so the table stays small; it reads as
/// the tag's `&str`.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Pos(u16);

/// Room for this many distinct tags; past it a tag reads as [`OVERFLOW_TAG`].
const MAX_TAGS: usize = 1 << 16;

/// What a tag past [`MAX_TAGS`] becomes (mecab-ko-dic has some 800 tags; only a user
/// dictionary with tens of thousands of invented tags could get here).
const OVERFLOW_TAG: &str = "UNKNOWN";

/// The tags by id; a slot is set before its id is handed out.
static TAGS: [OnceLock<&'static str>; MAX_TAGS] = [const { OnceLock::new() }; MAX_TAGS];

/// The ids by tag, for interning.
static IDS: Mutex<Option<HashMap<&'static str, Pos>>> = Mutex::new(None);

thread_local! {
    /// The ids this thread has looked up: interning a token's tag takes no lock.
    static SEEN: RefCell<HashMap<&'static str, Pos>> = RefCell::new(HashMap::new());
}

impl Pos {
    /// The id of `tag`, added to the table when new.
    pub fn intern(tag: &str) -> Pos {
        if let Some(pos) = SEEN.with(|seen| seen.borrow().get(tag).copied()) {
            return pos;
        }
        let (key, pos) = {
            let mut guard = IDS.lock().unwrap_or_else(|p| p.into_inner());
            let ids = guard.get_or_insert_with(HashMap::new);
            match ids.get_key_value(tag) {
                Some((&key, &pos)) => (key, pos),
                None if ids.len() < MAX_TAGS => {
                    let key: &'static str = Box::leak(tag.to_string().into_boxed_str());
                    let pos = Pos(ids.len() as u16);
                    let _ = TAGS[usize::from(pos.0)].set(key);
                    ids.insert(key, pos);
                    (key, pos)
                }
                None => {
                    drop(guard);
                    return Pos::intern(OVERFLOW_TAG);
                }
            }
        };
        SEEN.with(|seen| seen.borrow_mut().insert(key, pos));
        pos
    }

    /// The tag.
    pub fn as_str(&self) -> &'static str {
        TAGS[usize::from(self.0)]
            .get()
            .copied()
            .unwrap_or(OVERFLOW_TAG)
    }
}

impl std::ops::Deref for Pos {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl From<&str> for Pos {
    fn from(tag: &str) -> Pos {
        Pos::intern(tag)
    }
}

impl std::fmt::Debug for Pos {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

impl std::fmt::Display for Pos {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<str> for Pos {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Pos {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl Serialize for Pos {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Pos {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Pos, D::Error> {
        let tag = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
        Ok(Pos::intern(&tag))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_intern_to_one_id_and_read_back() {
        let a = Pos::intern("NNG");
        let b = Pos::from("NNG");
        assert_eq!(a, b);
        assert_eq!(a, "NNG");
        assert_ne!(Pos::intern("VV+EC"), a);
        assert_eq!(Pos::intern("VV+EC").as_str(), "VV+EC");
        // Another thread finds the same id.
        let other = std::thread::spawn(|| Pos::intern("NNG")).join().unwrap();
        assert_eq!(other, a);
        assert!(a.starts_with("NN"));
    }

    #[test]
    fn a_token_is_small() {
        // A long text has a token every five bytes or so.
        assert!(
            std::mem::size_of::<Token>() <= 24,
            "{}",
            std::mem::size_of::<Token>()
        );
    }

    #[test]
    fn tokens_are_written_with_their_text_and_code_point_offsets() {
        // Line 100 of the sample booklet, three of its tokens.
        let text = "스스로 매몰되었던 것은";
        let token = |start, end, pos: &str| Token {
            pos: Pos::intern(pos),
            start,
            end,
            cost: 100,
            unknown: false,
        };
        let tokens = [
            token(0, 9, "MAG"),
            token(10, 16, "NNG"),
            token(26, 29, "NNB"),
        ];
        let json = serde_json::to_value(TokensJson {
            text,
            tokens: &tokens,
        })
        .unwrap();
        assert_eq!(json[0]["text"], "스스로");
        assert_eq!(json[1]["text"], "매몰");
        assert_eq!(json[1]["pos"], "NNG");
        assert_eq!(
            (json[1]["char_start"].clone(), json[1]["char_end"].clone()),
            (4.into(), 6.into())
        );
        assert_eq!(json[2]["text"], "것");
        assert_eq!(json[2]["char_start"], 10);
        assert!(json[2].get("unknown").is_none());
        // Read back, the token is the same.
        let back: Token = serde_json::from_value(json[1].clone()).unwrap();
        assert_eq!(back, tokens[1]);
    }
}
