//! The compiled user dictionary, cached beside the system dictionary so a run does not compile
//! it again. Compiling the domain CSV takes ~2.7 ms (looking up every row's model word in a
//! cold system dictionary, then building lindera's automaton) against ~0.15 ms for loading the
//! result, and every `jaryo run` pays it once while the first document is being extracted.
//!
//! A cache file is named by a sha256 of everything the compilation reads: the CSV bytes, the
//! system dictionary's stamp, this crate's user-dictionary compiler source and `Cargo.lock`
//! (the lindera version and its serialisation format). Any change there gives a new name, so a
//! stale file is never read; an unreadable one is compiled over. Writing is best effort (a
//! read-only dictionary directory just compiles every time) and atomic (a temporary file, then
//! a rename), so concurrent runs never see half a file.

use std::path::{Path, PathBuf};

use lindera_dictionary::builder::user_dictionary::build_user_dictionary;
use lindera_dictionary::dictionary::{Dictionary, UserDictionary};
use sha2::{Digest, Sha256};

use super::user_dictionary;

const PREFIX: &str = "jaryo-user-";
const SUFFIX: &str = ".bin";

/// Everything besides the CSV and the stamp that decides what a compilation produces.
const COMPILER_SOURCE: &str = include_str!("user_dictionary.rs");
const LOCKED_VERSIONS: &str = include_str!("../../Cargo.lock");

/// The user dictionary compiled from the CSV at `csv_path` against `dictionary` (loaded from
/// `dict_dir`): read from `cache_dir` when it holds this compilation, else compiled now and
/// stored there for the next run.
pub fn load(
    dictionary: &Dictionary,
    csv_path: &Path,
    dict_dir: &Path,
    cache_dir: &Path,
) -> Result<UserDictionary, String> {
    let csv = std::fs::read(csv_path).map_err(|e| e.to_string())?;
    let text = String::from_utf8(csv).map_err(|_| "the file is not UTF-8".to_string())?;
    load_text(dictionary, &text, dict_dir, cache_dir)
}

/// [`load`] for CSV text already read (the built-in user dictionary, or several joined).
pub fn load_text(
    dictionary: &Dictionary,
    text: &str,
    dict_dir: &Path,
    cache_dir: &Path,
) -> Result<UserDictionary, String> {
    let Some(cache) = cache_path(text, dict_dir, cache_dir) else {
        return user_dictionary::compile(dictionary, text);
    };
    if let Ok(bytes) = std::fs::read(&cache) {
        if let Ok(user) = UserDictionary::load(&bytes) {
            return Ok(user);
        }
    }
    let user = user_dictionary::compile(dictionary, text)?;
    store(&user, &cache);
    Ok(user)
}

/// Whether a file in the dictionary directory is this cache (or its temporary file): derived
/// data, which says nothing about which dictionary a run used.
pub fn is_cache_file(name: &str) -> bool {
    let name = name.strip_prefix('.').unwrap_or(name);
    name.starts_with(PREFIX) && (name.ends_with(SUFFIX) || name.ends_with(".tmp"))
}

/// Where the compilation of `csv` against the dictionary in `dict_dir` is cached; `None`
/// without a stamp (a dictionary jaryo did not build: nothing says when it changes).
fn cache_path(csv: &str, dict_dir: &Path, cache_dir: &Path) -> Option<PathBuf> {
    let stamp = std::fs::read(dict_dir.join(crate::dict::install::STAMP_FILE)).ok()?;
    let mut hash = Sha256::new();
    for part in [
        csv.as_bytes(),
        &stamp,
        COMPILER_SOURCE.as_bytes(),
        LOCKED_VERSIONS.as_bytes(),
    ] {
        // Length-prefixed, so no two different inputs hash the same bytes.
        hash.update((part.len() as u64).to_le_bytes());
        hash.update(part);
    }
    let key: String = hash.finalize()[..16]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    Some(cache_dir.join(format!("{PREFIX}{key}{SUFFIX}")))
}

/// Writes `user` to `cache` through a temporary file, and removes the caches of earlier CSVs.
/// Failures leave no file behind and are otherwise ignored.
fn store(user: &UserDictionary, cache: &Path) {
    let (Some(dir), Some(name)) = (cache.parent(), cache.file_name()) else {
        return;
    };
    let temp = dir.join(format!(
        ".{}.{}.tmp",
        name.to_string_lossy(),
        std::process::id()
    ));
    let written =
        build_user_dictionary(user.clone(), &temp).is_ok() && std::fs::rename(&temp, cache).is_ok();
    if !written {
        let _ = std::fs::remove_file(&temp);
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let file = entry.file_name();
        let file = file.to_string_lossy();
        if file.starts_with(PREFIX) && file.ends_with(SUFFIX) && *file != *name.to_string_lossy() {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_changes_with_the_csv_and_the_stamp() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(crate::dict::install::STAMP_FILE),
            "{\"a\": 1}",
        )
        .unwrap();
        let one = cache_path("서사연,NNP,서사연\n", dir.path(), dir.path()).unwrap();
        let two = cache_path("서사연,NNG,서사연\n", dir.path(), dir.path()).unwrap();
        assert_ne!(one, two);
        assert_eq!(
            Some(one.clone()),
            cache_path("서사연,NNP,서사연\n", dir.path(), dir.path())
        );
        std::fs::write(
            dir.path().join(crate::dict::install::STAMP_FILE),
            "{\"a\": 2}",
        )
        .unwrap();
        assert_ne!(
            Some(one),
            cache_path("서사연,NNP,서사연\n", dir.path(), dir.path())
        );
        assert!(is_cache_file(two.file_name().unwrap().to_str().unwrap()));
        assert!(is_cache_file(".jaryo-user-0123.bin.77.tmp"));
        assert!(!is_cache_file("dict.words"));
        assert!(!is_cache_file(crate::dict::install::STAMP_FILE));
        // No stamp, no cache.
        let bare = tempfile::tempdir().unwrap();
        assert_eq!(
            cache_path("서사연,NNP,서사연\n", bare.path(), bare.path()),
            None
        );
    }
}
