//! Test support: one analyzer per test binary, over the repository's default dictionary
//! (`dictionaries/ko-dic`, built from the pinned wheel when it is missing) and the domain user
//! dictionary.
#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::OnceLock;

use jaryo::analyze::Analyzer;

/// The repository root.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The dictionary tests use: `dictionaries/ko-dic` in the repository, installed on first use.
pub fn dict_dir() -> PathBuf {
    static INSTALLED: OnceLock<PathBuf> = OnceLock::new();
    INSTALLED
        .get_or_init(|| {
            let dir = repo_root().join("dictionaries/ko-dic");
            if let Err(e) = jaryo::dict::ensure_installed(&dir, false) {
                panic!("cannot install the Korean dictionary for the tests: {e}");
            }
            dir
        })
        .clone()
}

/// The shared analyzer with the domain user dictionary, loaded once per test binary.
pub fn analyzer() -> &'static Analyzer {
    static ANALYZER: OnceLock<Analyzer> = OnceLock::new();
    ANALYZER.get_or_init(|| {
        let user = repo_root().join("dictionaries/user.csv");
        match Analyzer::load(&dict_dir(), Some(&user)) {
            Ok(a) => a,
            Err(e) => panic!("cannot load the Korean dictionary for the tests: {e}"),
        }
    })
}

/// The analyzer without the user dictionary (the plain ko-dic, as MeCab sees it).
pub fn plain_analyzer() -> &'static Analyzer {
    static ANALYZER: OnceLock<Analyzer> = OnceLock::new();
    ANALYZER.get_or_init(|| match Analyzer::load(&dict_dir(), None) {
        Ok(a) => a,
        Err(e) => panic!("cannot load the Korean dictionary for the tests: {e}"),
    })
}

/// The sample booklet text.
pub fn sample_text() -> String {
    let path = repo_root().join("input/seoul_social_economy_forum_2020.txt");
    match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => panic!("cannot read {}: {e}", path.display()),
    }
}

/// The real PDFs made by others: `$JARYO_REAL_PDFS`, or `../shared/real-pdfs/` beside the
/// repository (or beside the folder of worktrees it sits in). `None` when absent: tests skip.
pub fn real_pdfs_dir() -> Option<PathBuf> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    std::env::var_os("JARYO_REAL_PDFS")
        .map(PathBuf::from)
        .into_iter()
        .chain([
            root.join("../shared/real-pdfs"),
            root.join("../../shared/real-pdfs"),
        ])
        .find(|dir| dir.is_dir())
}

/// The HWP/HWPX documents with their Hancom-printed PDFs: `$JARYO_HWP_PAIRS`, or
/// `../shared/hwp-pairs` beside the repository (or its worktree folder). `None`, saying the
/// tests are skipped, when absent.
pub fn hwp_pairs_dir() -> Option<PathBuf> {
    let root = repo_root();
    let found = std::env::var_os("JARYO_HWP_PAIRS")
        .map(PathBuf::from)
        .into_iter()
        .chain([
            root.join("../shared/hwp-pairs"),
            root.join("../../shared/hwp-pairs"),
        ])
        .find(|dir| dir.is_dir());
    if found.is_none() {
        eprintln!("skipped: no ../shared/hwp-pairs folder");
    }
    found
}
