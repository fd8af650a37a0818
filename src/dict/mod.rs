//! The Korean dictionary: importing a compiled MeCab mecab-ko-dic into lindera's source format,
//! building lindera's dictionary from it, and finding it at run time. (Issue 2.)

use std::path::PathBuf;

/// Environment variable naming the built dictionary directory.
pub const DICT_ENV: &str = "JARYO_DICT";

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
