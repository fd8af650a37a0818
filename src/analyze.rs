//! Korean morphological analysis with the imported mecab-ko-dic (lindera's dictionary format)
//! plus the domain user dictionary. The dictionary is loaded once per process (memory-mapped)
//! and shared across threads; the search itself follows MeCab (see [`lattice`]).

mod lattice;
pub mod user_cache;
pub mod user_dictionary;
pub mod user_source;

pub use user_source::UserDict;

use std::cell::RefCell;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use lindera::dictionary::load_fs_dictionary_with_options;
use lindera_dictionary::dictionary::character_definition::CategoryId;
use lindera_dictionary::dictionary::{Dictionary, UserDictionary};
use lindera_dictionary::space_penalty::SpacePenaltyConfig;
use lindera_dictionary::viterbi::{LexType, WordId};
use thiserror::Error;

use self::lattice::{CharClass, Lattice, Model, PathNode};
use crate::document::{Pos, Token};

#[derive(Debug, Error)]
pub enum AnalyzeError {
    #[error("no Korean dictionary at {path}: run `jaryo dict install` first")]
    Missing { path: PathBuf },
    #[error("cannot load the Korean dictionary at {path}: {reason}")]
    Load { path: PathBuf, reason: String },
    #[error("cannot read the user dictionary {0}")]
    UserDict(String),
    #[error("tokenizer failed: {0}")]
    Tokenize(String),
    #[error("cannot read or write text: {0}")]
    Io(#[from] std::io::Error),
}

/// The best analysis of a text: its tokens and the total cost of the best lattice path
/// (word costs plus connection costs), which the quality stage compares across the document.
#[derive(Debug, Clone, PartialEq)]
pub struct Analysis {
    pub tokens: Vec<crate::document::Token>,
    pub path_cost: i64,
}

/// One morpheme of a best path: byte offsets into the analysed text and its word, whose POS
/// tag [`Analyzer::pos`] looks up on demand (a line-wrap join question reads the tags of the
/// one or two morphemes at the wrap, not of all).
#[derive(Debug, Clone, Copy)]
pub struct Morpheme {
    pub start: usize,
    pub end: usize,
    /// The word's own cost (its token's `cost`).
    pub cost: i32,
    word: WordId,
}

impl Morpheme {
    /// Whether the dictionary lacks the word (its token's `unknown`).
    pub fn unknown(&self) -> bool {
        self.word.is_unknown()
    }
}

/// The analyzer: the ko-dic (memory-mapped) and the user dictionary, searched the way MeCab
/// does. Cheap to share by reference.
pub struct Analyzer {
    dict_dir: PathBuf,
    dictionary: Dictionary,
    user: Option<UserDictionary>,
    /// Category bits of U+0020: the characters MeCab skips between words.
    space_mask: u64,
    /// mecab-ko's left-space penalties, shipped in the dictionary metadata.
    space_penalty: Option<SpacePenaltyConfig>,
    /// Unique per loaded analyzer (the per-thread search buffers cache per analyzer).
    id: u64,
}

/// The id of the next analyzer loaded.
static NEXT_ANALYZER_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

/// An analyzer loaded on first use: by whichever thread asks first, while the others wait for
/// it. A run hands one to its documents and starts loading it on an idle worker, so the first
/// document's extraction (which needs no dictionary) does not wait for the dictionary.
pub struct LazyAnalyzer {
    dict_dir: PathBuf,
    user_dict: Option<UserDict>,
    loaded: OnceLock<Result<Analyzer, AnalyzeError>>,
}

impl LazyAnalyzer {
    /// Nothing is read until [`LazyAnalyzer::get`].
    pub fn new(dict_dir: &Path, user_dict: Option<&Path>) -> LazyAnalyzer {
        LazyAnalyzer::with_user_dict(dict_dir, user_dict.map(|p| UserDict::File(p.to_path_buf())))
    }

    /// [`LazyAnalyzer::new`] with the user dictionary given by its source.
    pub fn with_user_dict(dict_dir: &Path, user_dict: Option<UserDict>) -> LazyAnalyzer {
        LazyAnalyzer {
            dict_dir: dict_dir.to_path_buf(),
            user_dict,
            loaded: OnceLock::new(),
        }
    }

    /// The analyzer, loading it now if no thread has yet; the load's error, every time, if it
    /// failed. Never panics: a panic inside the dictionary loader becomes a load error.
    pub fn get(&self) -> Result<&Analyzer, &AnalyzeError> {
        self.loaded
            .get_or_init(|| {
                let load = || Analyzer::load_with(&self.dict_dir, self.user_dict.as_ref());
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(load)).unwrap_or_else(|_| {
                    Err(AnalyzeError::Load {
                        path: self.dict_dir.clone(),
                        reason: "the dictionary loader panicked".to_string(),
                    })
                })
            })
            .as_ref()
    }
}

/// MeCab analyses a line at a time; jaryo cuts lattices at line breaks too.
const SENTENCE_DELIMITER: char = '\n';
/// A line longer than this is cut (at a space when there is one) to bound the lattice.
const MAX_SENTENCE_BYTES: usize = 32 * 1024;

/// Everything one search needs besides the dictionaries, reused across calls on the same
/// thread: short texts (a line-wrap join question) cost no allocation.
#[derive(Default)]
struct Scratch {
    lattice: Lattice,
    path: Vec<PathNode>,
    chars: Vec<char>,
    classes: Vec<CharClass>,
    byte_of_char: Vec<usize>,
    /// The text of a join question (`left` + `right`, or with a space between).
    text: String,
}

thread_local! {
    /// Search buffers, reused across calls on the same thread.
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

impl Analyzer {
    /// Loads the built dictionary in `dict_dir` (memory-mapped) and, if given, the user
    /// dictionary CSV (lindera's simple format: surface, POS, reading).
    pub fn load(dict_dir: &Path, user_dict: Option<&Path>) -> Result<Analyzer, AnalyzeError> {
        let user_dict = user_dict.map(|p| UserDict::File(p.to_path_buf()));
        Analyzer::load_with(dict_dir, user_dict.as_ref())
    }

    /// [`Analyzer::load`] with the user dictionary given by its source (built in, a file, or
    /// both).
    pub fn load_with(
        dict_dir: &Path,
        user_dict: Option<&UserDict>,
    ) -> Result<Analyzer, AnalyzeError> {
        if !dict_dir.join("metadata.json").is_file() {
            return Err(AnalyzeError::Missing {
                path: dict_dir.to_path_buf(),
            });
        }
        let load_error = |path: &Path, e: &dyn std::fmt::Display| AnalyzeError::Load {
            path: path.to_path_buf(),
            reason: e.to_string(),
        };
        let dictionary = load_fs_dictionary_with_options(dict_dir, true)
            .map_err(|e| load_error(dict_dir, &e))?;
        let user = match user_dict {
            // Compiled with context ids taken from the (already remapped) system dictionary,
            // once: the result is cached beside it.
            Some(source) => {
                let named = source.file().unwrap_or(dict_dir);
                let text = source.text().map_err(AnalyzeError::UserDict)?;
                let user = user_cache::load_text(&dictionary, &text, dict_dir, dict_dir);
                Some(user.map_err(|e| load_error(named, &e))?)
            }
            None => None,
        };
        let space_mask = category_mask(&dictionary, ' ');
        let space_penalty = dictionary.metadata.space_penalty.clone();
        Ok(Analyzer {
            dict_dir: dict_dir.to_path_buf(),
            dictionary,
            user,
            space_mask,
            space_penalty,
            id: NEXT_ANALYZER_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        })
    }

    /// The directory the dictionary was loaded from.
    pub fn dict_dir(&self) -> &Path {
        &self.dict_dir
    }

    /// Tokens of `text` with byte offsets into it.
    pub fn tokenize(&self, text: &str) -> Result<Vec<Token>, AnalyzeError> {
        Ok(self.analyze(text)?.tokens)
    }

    /// Tokens and the best path's cost (summed over the lines of `text`). Whitespace separates
    /// words but never becomes a token.
    pub fn analyze(&self, text: &str) -> Result<Analysis, AnalyzeError> {
        let mut tokens = Vec::new();
        let path_cost = self.search(text, |offset, byte_of_char, path| {
            for node in path {
                tokens.push(self.token(offset, byte_of_char, node));
            }
        });
        // A block's tokens live as long as the document: no spare room.
        tokens.shrink_to_fit();
        Ok(Analysis { tokens, path_cost })
    }

    /// The best path's cost of `text`, as [`Analyzer::analyze`] gives it, without building
    /// tokens (the join questions compare costs only).
    pub fn path_cost(&self, text: &str) -> i64 {
        self.search(text, |_, _, _| {})
    }

    /// The morphemes of the best path of `text` into `out` (cleared first) and the path's cost:
    /// [`Analyzer::analyze`]'s tokens and cost without their tags.
    pub fn morphemes(&self, text: &str, out: &mut Vec<Morpheme>) -> i64 {
        out.clear();
        self.search(text, |offset, byte_of_char, path| {
            out.extend(path.iter().map(|node| Morpheme {
                start: offset + byte_of_char[node.start],
                end: offset + byte_of_char[node.end],
                cost: i32::from(node.entry.word_cost()),
                word: node.entry.word_id(),
            }));
        })
    }

    /// The POS tag of a morpheme (its token's `pos`).
    pub fn pos(&self, morpheme: &Morpheme) -> &str {
        self.first_feature(morpheme.word)
    }

    /// Searches each line of `text` on this thread's buffers, handing `visit` the line's
    /// offset, its char-to-byte map and its best path; returns the summed path cost.
    fn search(&self, text: &str, mut visit: impl FnMut(usize, &[usize], &[PathNode])) -> i64 {
        with_scratch(|scratch| self.search_with(scratch, text, &mut visit))
    }

    fn search_with(
        &self,
        scratch: &mut Scratch,
        text: &str,
        visit: &mut impl FnMut(usize, &[usize], &[PathNode]),
    ) -> i64 {
        let Scratch {
            lattice,
            path,
            chars,
            classes,
            byte_of_char,
            ..
        } = scratch;
        let penalty = |id: WordId| self.penalty(id);
        let model = Model {
            dictionary: &self.dictionary,
            user: self.user.as_ref(),
            space_mask: self.space_mask,
            penalty: &penalty,
            id: self.id,
        };
        let mut path_cost = 0i64;
        for (offset, sentence) in sentences(text) {
            chars.clear();
            classes.clear();
            byte_of_char.clear();
            for (b, c) in sentence.char_indices() {
                chars.push(c);
                classes.push(self.char_class(c));
                byte_of_char.push(b);
            }
            byte_of_char.push(sentence.len());
            path_cost += lattice.best_path(&model, sentence, chars, classes, byte_of_char, path);
            visit(offset, byte_of_char, path);
        }
        path_cost
    }

    fn token(&self, offset: usize, byte_of_char: &[usize], node: &PathNode) -> Token {
        let (start, end) = (byte_of_char[node.start], byte_of_char[node.end]);
        let word_id = node.entry.word_id();
        Token {
            pos: Pos::intern(self.first_feature(word_id)),
            start: offset + start,
            end: offset + end,
            cost: i32::from(node.entry.word_cost()),
            unknown: word_id.is_unknown(),
        }
    }

    /// The POS tag of a word: its first feature.
    fn first_feature(&self, word_id: WordId) -> &str {
        let id = word_id.id() as usize;
        let mut details = match word_id.lex_type() {
            LexType::System => self.dictionary.word_details_iter(id),
            LexType::Unknown => self.dictionary.unknown_word_details_iter(id),
            LexType::User => match &self.user {
                Some(user) => user.word_details_iter(id),
                None => return "UNKNOWN",
            },
        };
        details.next().unwrap_or("UNKNOWN")
    }

    /// mecab-ko's left-space penalty for a word that follows whitespace.
    fn penalty(&self, word_id: WordId) -> i32 {
        match &self.space_penalty {
            Some(rules) => rules.cost_for_tag(self.first_feature(word_id)),
            None => 0,
        }
    }

    fn char_class(&self, c: char) -> CharClass {
        let definition = &self.dictionary.character_definition;
        let categories = definition.lookup_categories(c);
        let default = categories.first().copied().unwrap_or(CategoryId(0));
        let data = definition.lookup_definition(default);
        CharClass {
            mask: mask_of(categories),
            default,
            invoke: data.invoke,
            group: data.group,
            length: data.length,
        }
    }

    /// Whether a line break between `before` (the end of one line) and `after` (the start of
    /// the next) falls inside a Korean word, so the lines join without a space
    /// (`때문` + `에` → `때문에`): the joined form of the two words touching the break is
    /// cheaper than the spaced one ([`Analyzer::join_gain`] > 0).
    ///
    /// This is the cost comparison alone, and it also joins compound seams that are spaced in
    /// print (`참여`|`하기`). The pipeline's paragraph joining uses the stricter
    /// `structure::text::analyzer_joins`, which adds morphological rules on top of the analysis.
    pub fn joins_without_space(&self, before: &str, after: &str) -> bool {
        self.join_gain(before, after).is_some_and(|gain| gain > 0)
    }

    /// How much cheaper the words touching a line break are when joined than when spaced
    /// (spaced path cost − joined path cost), or `None` when the break is not between two
    /// Hangul syllables. 0 means the analyses agree either way (a wrap at a word boundary);
    /// mecab-ko's left-space penalties make a particle or ending after a space cost 3000-6000
    /// more (`때문|에`: 6000), while compound seams and auxiliaries sit lower (`참여|하기`: 3000,
    /// `가야|하는`: 598). Callers that know their wraps are mostly at spaces can demand more.
    pub fn join_gain(&self, before: &str, after: &str) -> Option<i64> {
        let left = before.trim_end();
        let right = after.trim_start();
        // Only the words touching the break matter.
        let left_word = left.rsplit(char::is_whitespace).next().unwrap_or("");
        let right_word = right.split(char::is_whitespace).next().unwrap_or("");
        if !ends_in_hangul(left_word) || !starts_with_hangul(right_word) {
            return None;
        }
        Some(self.spaced_minus_joined(left_word, right_word))
    }

    /// The path cost of `left` and `right` with a space between minus that of the two run
    /// together: how much the analyzer prefers reading one word across the seam.
    fn spaced_minus_joined(&self, left: &str, right: &str) -> i64 {
        with_scratch(|scratch| {
            let mut text = std::mem::take(&mut scratch.text);
            let mut none = |_: usize, _: &[usize], _: &[PathNode]| {};
            text.clear();
            text.push_str(left);
            text.push_str(right);
            let joined = self.search_with(scratch, &text, &mut none);
            text.clear();
            text.push_str(left);
            text.push(' ');
            text.push_str(right);
            let spaced = self.search_with(scratch, &text, &mut none);
            scratch.text = text;
            spaced - joined
        })
    }

    /// `jaryo tokenize`: one output line of `surface/POS` tokens per input line.
    pub fn tokenize_lines(
        &self,
        input: impl BufRead,
        mut output: impl Write,
    ) -> Result<(), AnalyzeError> {
        for line in input.lines() {
            let line = line?;
            let tokens = self.tokenize(&line)?;
            writeln!(output, "{}", compact(&line, &tokens))?;
        }
        output.flush()?;
        Ok(())
    }
}

/// Runs `f` on this thread's search buffers; a nested call on the same thread (none today)
/// gets fresh ones.
fn with_scratch<R>(f: impl FnOnce(&mut Scratch) -> R) -> R {
    SCRATCH.with(|cell| {
        let mut own = None;
        let mut borrowed = cell.try_borrow_mut().ok();
        let scratch: &mut Scratch = match borrowed.as_deref_mut() {
            Some(s) => s,
            None => own.insert(Scratch::default()),
        };
        f(scratch)
    })
}

/// Tokens of `text` in MeCab's compact style: `surface/POS` separated by single spaces.
pub fn compact(text: &str, tokens: &[Token]) -> String {
    let mut out = String::new();
    for (k, token) in tokens.iter().enumerate() {
        if k > 0 {
            out.push(' ');
        }
        out.push_str(token.surface(text));
        out.push('/');
        out.push_str(&token.pos);
    }
    out
}

fn mask_of(categories: &[CategoryId]) -> u64 {
    categories
        .iter()
        .fold(0u64, |m, c| m | (1u64 << (c.0 % 64)))
}

/// The category bits of `c`.
fn category_mask(dictionary: &Dictionary, c: char) -> u64 {
    mask_of(dictionary.character_definition.lookup_categories(c))
}

fn is_hangul(c: char) -> bool {
    matches!(c, '\u{AC00}'..='\u{D7A3}' | '\u{1100}'..='\u{11FF}' | '\u{3130}'..='\u{318F}')
}

fn ends_in_hangul(s: &str) -> bool {
    s.chars().next_back().is_some_and(is_hangul)
}

fn starts_with_hangul(s: &str) -> bool {
    s.chars().next().is_some_and(is_hangul)
}

/// The lines of `text` with their byte offsets (the line break, LF or CRLF, is left out); a line longer
/// than [`MAX_SENTENCE_BYTES`] is cut at its last space before the limit (or at a char
/// boundary when it has none).
fn sentences(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut rest = text;
    let mut offset = 0usize;
    std::iter::from_fn(move || loop {
        if rest.is_empty() {
            return None;
        }
        let mut end = rest.find(SENTENCE_DELIMITER).unwrap_or(rest.len());
        let mut skip = usize::from(end < rest.len());
        if end > MAX_SENTENCE_BYTES {
            let mut cut = MAX_SENTENCE_BYTES;
            while !rest.is_char_boundary(cut) {
                cut -= 1;
            }
            end = rest[..cut].rfind(' ').filter(|&p| p > 0).unwrap_or(cut);
            skip = 0;
        }
        // A CRLF line ends before its CR (MeCab's char.def does not count CR as a space).
        let sentence = rest[..end].strip_suffix('\r').unwrap_or(&rest[..end]);
        let at = offset;
        offset += end + skip;
        rest = &rest[end + skip..];
        if !sentence.is_empty() {
            return Some((at, sentence));
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn the_analyzer_can_be_shared_across_threads() {
        assert_send_sync::<Analyzer>();
    }

    #[test]
    fn lattices_are_cut_at_line_breaks() {
        let cut: Vec<(usize, &str)> = sentences("가\t나\n\n다").collect();
        assert_eq!(cut, vec![(0, "가\t나"), (9, "다")]);
        assert_eq!(sentences("").count(), 0);
        let crlf: Vec<(usize, &str)> = sentences("가\r\n나\r\n").collect();
        assert_eq!(crlf, vec![(0, "가"), (5, "나")]);
    }

    #[test]
    fn overlong_lines_are_cut_at_a_space() {
        let line = "가나 ".repeat(MAX_SENTENCE_BYTES / 4);
        let cut: Vec<(usize, &str)> = sentences(&line).collect();
        assert!(cut.len() >= 2);
        assert!(cut.iter().all(|(_, s)| s.len() <= MAX_SENTENCE_BYTES));
        let rebuilt: String = cut.iter().map(|(_, s)| *s).collect();
        assert_eq!(rebuilt, line);
    }
}
