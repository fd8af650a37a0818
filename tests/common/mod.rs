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

/// The hwp-pairs documents whose PDFs carry a Korean text layer, each with the source the
/// PDF was printed from. taxi_press and petfood_press were rendered by cairo without one;
/// so_sueop.hwp is HWP 3.x, so its HWPX stands in.
pub const HWP_PAIRS_WITH_TEXT: [&str; 11] = [
    "biz_plan.hwp",
    "footnote01.hwp",
    "hongbo.hwp",
    "kps_ai.hwp",
    "kwater_rfp.hwp",
    "oss_rst.hwp",
    "reg76076.hwp",
    "reg80250.hwp",
    "reg86712.hwp",
    "so_sueop.hwpx",
    "table_test.hwp",
];

/// A PDF of `objects` (numbered from 1, the catalog first) with a correct cross-reference
/// table.
pub fn pdf_of(objects: &[String]) -> Vec<u8> {
    let mut pdf = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
    }
    let xref = pdf.len();
    pdf.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for offset in offsets {
        pdf.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    pdf.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    pdf
}
