//! Korean morphological analysis with lindera and the imported mecab-ko-dic (plus the domain
//! user dictionary). The dictionary is loaded once per process and shared across threads.

use std::path::{Path, PathBuf};

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
    _dict_dir: PathBuf,
}

impl Analyzer {
    /// Loads the built dictionary in `dict_dir` and, if given, the user dictionary CSV.
    pub fn load(dict_dir: &Path, _user_dict: Option<&Path>) -> Result<Analyzer, AnalyzeError> {
        Err(AnalyzeError::Missing {
            path: dict_dir.to_path_buf(),
        })
    }

    /// Tokens of `text` with byte offsets into it.
    pub fn tokenize(&self, text: &str) -> Result<Vec<Token>, AnalyzeError> {
        Ok(self.analyze(text)?.tokens)
    }

    /// Tokens and the best path's cost.
    pub fn analyze(&self, _text: &str) -> Result<Analysis, AnalyzeError> {
        Err(AnalyzeError::Tokenize("analyzer not built yet".into()))
    }

    /// Whether a line break between `before` (the end of one line) and `after` (the start of
    /// the next) falls inside a Korean word, so the lines join without a space
    /// (`때문` + `에` → `때문에`). Decided by comparing the analyses of the joined and the spaced
    /// forms.
    pub fn joins_without_space(&self, _before: &str, _after: &str) -> bool {
        false
    }
}
