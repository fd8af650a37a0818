//! What the cost benches share: the analyzer they time the pipeline with.

use std::path::PathBuf;

use jaryo::analyze::{AnalyzeError, Analyzer, UserDict};

/// The analyzer over the dictionary in `JARYO_DICT` (else `dictionaries/ko-dic`) with the
/// built-in user dictionary, as `jaryo run` loads it.
pub fn load_analyzer() -> Result<Analyzer, AnalyzeError> {
    let dict = std::env::var_os(jaryo::dict::DICT_ENV)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("dictionaries/ko-dic"));
    Analyzer::load_with(&dict, Some(&UserDict::Builtin))
}
