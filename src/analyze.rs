//! Korean morphological analysis with lindera and the imported mecab-ko-dic (plus the domain
//! user dictionary). The dictionary is loaded once per process and shared across threads.

use std::borrow::Cow;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

use lindera::dictionary::{load_fs_dictionary_with_options, load_user_dictionary_from_csv};
use lindera::mode::Mode;
use lindera::segmenter::Segmenter;
use lindera_dictionary::viterbi::{LexType, WordEntry, WordId};
use thiserror::Error;

use crate::document::Token;

#[derive(Debug, Error)]
pub enum AnalyzeError {
    #[error("no Korean dictionary at {path}: run `jaryo dict install` first")]
    Missing { path: PathBuf },
    #[error("cannot load the Korean dictionary at {path}: {reason}")]
    Load { path: PathBuf, reason: String },
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

/// The analyzer: lindera's segmenter over the ko-dic. Cheap to share by reference.
pub struct Analyzer {
    dict_dir: PathBuf,
    segmenter: Segmenter,
}

/// lindera cuts its input into lattices at these characters (and they end the lattice they
/// are in); each lattice starts and ends at BOS/EOS.
const SENTENCE_DELIMITERS: [char; 4] = ['\n', '\t', '。', '、'];
/// lindera also forces a lattice cut after this many bytes without a delimiter.
const MAX_SENTENCE_BYTES: usize = 32 * 1024;
/// The context id of BOS/EOS in ko-dic's connection matrix.
const BOS_EOS_CONTEXT: u32 = 0;

/// One morpheme of the best path before it is turned into a [`Token`].
struct Morpheme {
    start: usize,
    end: usize,
    pos: String,
    entry: WordEntry,
    unknown: bool,
}

impl Analyzer {
    /// Loads the built dictionary in `dict_dir` (memory-mapped) and, if given, the user
    /// dictionary CSV (lindera's simple format: surface, POS, reading).
    pub fn load(dict_dir: &Path, user_dict: Option<&Path>) -> Result<Analyzer, AnalyzeError> {
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
        let user_dictionary = match user_dict {
            Some(path) => Some(
                load_user_dictionary_from_csv(&dictionary.metadata, path)
                    .map_err(|e| load_error(path, &e))?,
            ),
            None => None,
        };
        let segmenter =
            Segmenter::new(Mode::Normal, dictionary, user_dictionary).keep_whitespace(true);
        Ok(Analyzer {
            dict_dir: dict_dir.to_path_buf(),
            segmenter,
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

    /// Tokens and the best path's cost. Whitespace takes part in the lattice (and the cost)
    /// but is not returned as tokens.
    pub fn analyze(&self, text: &str) -> Result<Analysis, AnalyzeError> {
        let morphemes = self.morphemes(text)?;
        let path_cost = self.path_cost(text, &morphemes);
        let tokens = morphemes
            .into_iter()
            .filter(|m| !text[m.start..m.end].chars().all(char::is_whitespace))
            .map(|m| Token {
                text: text[m.start..m.end].to_string(),
                pos: m.pos,
                start: m.start,
                end: m.end,
                cost: i32::from(m.entry.word_cost()),
                unknown: m.unknown,
            })
            .collect();
        Ok(Analysis { tokens, path_cost })
    }

    fn morphemes(&self, text: &str) -> Result<Vec<Morpheme>, AnalyzeError> {
        let tokens = self
            .segmenter
            .segment(Cow::Borrowed(text))
            .map_err(|e| AnalyzeError::Tokenize(e.to_string()))?;
        let mut morphemes = Vec::with_capacity(tokens.len());
        for mut token in tokens {
            let word_id = token.word_id;
            let (start, end) = (token.byte_start, token.byte_end);
            let pos = token.details_iter().next().unwrap_or("UNKNOWN").to_string();
            let entry = self
                .word_entry(word_id, &text[start..end])
                .unwrap_or_default();
            morphemes.push(Morpheme {
                start,
                end,
                pos,
                entry,
                unknown: word_id.is_unknown(),
            });
        }
        Ok(morphemes)
    }

    /// The lexicon entry (costs and context ids) behind a token.
    fn word_entry(&self, word_id: WordId, surface: &str) -> Option<WordEntry> {
        let dictionary = &self.segmenter.dictionary;
        match word_id.lex_type() {
            LexType::Unknown => Some(dictionary.unknown_dictionary.word_entry(word_id.id())),
            LexType::System => dictionary
                .prefix_dictionary
                .find_surface_iter(surface)
                .find(|e| e.word_id().id() == word_id.id()),
            LexType::User => {
                let vals = &self.segmenter.user_dictionary.as_ref()?.dict.vals_data;
                vals.chunks_exact(10)
                    .map(|c| {
                        let id = u32::from_le_bytes([c[0], c[1], c[2], c[3]]);
                        let cost = i16::from_le_bytes([c[4], c[5]]);
                        let left = u16::from_le_bytes([c[6], c[7]]);
                        let right = u16::from_le_bytes([c[8], c[9]]);
                        (id, cost, left, right)
                    })
                    .find(|(id, ..)| *id == word_id.id())
                    .map(|(_, cost, left, right)| WordEntry::new(word_id, cost, left, right))
            }
        }
    }

    /// Word costs, connection costs (BOS/EOS included for every lattice lindera builds) and
    /// the left-space penalties lindera's Viterbi search added on the best path.
    fn path_cost(&self, text: &str, morphemes: &[Morpheme]) -> i64 {
        let matrix = &self.segmenter.dictionary.connection_cost_matrix;
        let penalty = self.segmenter.space_penalty_config();
        let ends = sentence_ends(text);
        let mut total = 0i64;
        let mut previous_right = BOS_EOS_CONTEXT;
        let mut sentence_start = 0usize;
        let mut next_end = ends.iter().copied().peekable();
        for m in morphemes {
            total += i64::from(matrix.cost(previous_right, m.entry.left_id()));
            total += i64::from(m.entry.word_cost());
            let after_space = m.start > sentence_start
                && text[..m.start]
                    .chars()
                    .next_back()
                    .is_some_and(char::is_whitespace);
            if let (true, Some(rules)) = (after_space, penalty) {
                total += i64::from(rules.cost_for_tag(&m.pos));
            }
            previous_right = m.entry.right_id();
            while next_end.peek().is_some_and(|&e| e <= m.end) {
                if next_end.next() == Some(m.end) {
                    total += i64::from(matrix.cost(previous_right, BOS_EOS_CONTEXT));
                    previous_right = BOS_EOS_CONTEXT;
                    sentence_start = m.end;
                }
            }
        }
        if previous_right != BOS_EOS_CONTEXT || morphemes.is_empty() {
            total += i64::from(matrix.cost(previous_right, BOS_EOS_CONTEXT));
        }
        total
    }

    /// Whether a line break between `before` (the end of one line) and `after` (the start of
    /// the next) falls inside a Korean word, so the lines join without a space
    /// (`때문` + `에` → `때문에`). Decided by comparing the analyses of the joined and the spaced
    /// forms.
    pub fn joins_without_space(&self, before: &str, after: &str) -> bool {
        let left = before.trim_end();
        let right = after.trim_start();
        // Only the words touching the break matter.
        let left_word = left.rsplit(char::is_whitespace).next().unwrap_or("");
        let right_word = right.split(char::is_whitespace).next().unwrap_or("");
        if !ends_in_hangul(left_word) || !starts_with_hangul(right_word) {
            return false;
        }
        let joined = format!("{left_word}{right_word}");
        let spaced = format!("{left_word} {right_word}");
        match (self.analyze(&joined), self.analyze(&spaced)) {
            (Ok(j), Ok(s)) => j.path_cost < s.path_cost,
            _ => false,
        }
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
            writeln!(output, "{}", compact(&tokens))?;
        }
        output.flush()?;
        Ok(())
    }
}

/// Tokens in MeCab's compact style: `surface/POS` separated by single spaces.
pub fn compact(tokens: &[Token]) -> String {
    let mut out = String::new();
    for (k, token) in tokens.iter().enumerate() {
        if k > 0 {
            out.push(' ');
        }
        out.push_str(&token.text);
        out.push('/');
        out.push_str(&token.pos);
    }
    out
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

/// Byte offsets where lindera ends a lattice (just after a delimiter, or at a forced cut).
fn sentence_ends(text: &str) -> Vec<usize> {
    let mut ends = Vec::new();
    let mut start = 0;
    for (offset, c) in text.char_indices() {
        let end = offset + c.len_utf8();
        if SENTENCE_DELIMITERS.contains(&c) || end - start >= MAX_SENTENCE_BYTES {
            ends.push(end);
            start = end;
        }
    }
    if start < text.len() {
        ends.push(text.len());
    }
    ends
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
    fn lattices_end_after_line_breaks_and_tabs() {
        assert_eq!(sentence_ends("가\t나\n다"), vec![4, 8, 11]);
        assert_eq!(sentence_ends(""), Vec::<usize>::new());
    }
}
