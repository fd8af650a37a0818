//! The compiled user dictionary's cache: written on first use, read after, never stale,
//! never in the way.

mod common;

use std::path::Path;

use jaryo::analyze::{user_cache, user_dictionary};
use lindera::dictionary::load_fs_dictionary_with_options;
use lindera_dictionary::builder::user_dictionary::build_user_dictionary;
use lindera_dictionary::dictionary::{Dictionary, UserDictionary};

fn system() -> Dictionary {
    load_fs_dictionary_with_options(&common::dict_dir(), true).expect("the dictionary loads")
}

fn user_csv() -> std::path::PathBuf {
    common::repo_root().join("dictionaries/user.csv")
}

/// The bytes lindera writes for `user`.
fn bytes_of(user: &UserDictionary) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("user.bin");
    build_user_dictionary(user.clone(), &file).unwrap();
    std::fs::read(file).unwrap()
}

/// A user CSV holding `text`, in a directory that lives as long as the returned guard.
fn csv_file(text: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let work = tempfile::tempdir().unwrap();
    let csv = work.path().join("user.csv");
    std::fs::write(&csv, text).unwrap();
    (work, csv)
}

fn caches_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .collect();
    names.sort();
    names
}

#[test]
fn the_first_load_compiles_and_caches_and_the_next_reads_the_cache() {
    let system = system();
    let cache = tempfile::tempdir().unwrap();
    let csv = user_csv();
    let fresh = user_dictionary::compile(&system, &std::fs::read_to_string(&csv).unwrap())
        .expect("the domain CSV compiles");

    let first = user_cache::load(&system, &csv, &common::dict_dir(), cache.path()).unwrap();
    assert_eq!(bytes_of(&first), bytes_of(&fresh));
    let files = caches_in(cache.path());
    assert_eq!(files.len(), 1, "{files:?}");
    assert!(user_cache::is_cache_file(&files[0]), "{files:?}");

    // Swap another compilation in under the same name: the next load returns it, so it did
    // read the cache instead of compiling.
    let other = user_dictionary::compile(&system, "서사연,NNP,서사연\n").unwrap();
    let cached = cache.path().join(&files[0]);
    std::fs::write(&cached, bytes_of(&other)).unwrap();
    let second = user_cache::load(&system, &csv, &common::dict_dir(), cache.path()).unwrap();
    assert_eq!(bytes_of(&second), bytes_of(&other));

    // A damaged cache is compiled over.
    std::fs::write(&cached, b"not a dictionary").unwrap();
    let third = user_cache::load(&system, &csv, &common::dict_dir(), cache.path()).unwrap();
    assert_eq!(bytes_of(&third), bytes_of(&fresh));
    assert_eq!(std::fs::read(&cached).unwrap(), bytes_of(&fresh));
}

#[test]
fn an_edited_csv_gets_a_new_cache_and_the_old_one_goes() {
    let system = system();
    let cache = tempfile::tempdir().unwrap();
    let (_work, csv) = csv_file("서사연,NNP,서사연\n");
    user_cache::load(&system, &csv, &common::dict_dir(), cache.path()).unwrap();
    let before = caches_in(cache.path());

    std::fs::write(
        &csv,
        "서사연,NNP,서사연\n마포사회적경제네트워크,NNP,마포사회적경제네트워크\n",
    )
    .unwrap();
    let edited = user_cache::load(&system, &csv, &common::dict_dir(), cache.path()).unwrap();
    let after = caches_in(cache.path());
    assert_eq!(after.len(), 1, "{after:?}");
    assert_ne!(before, after);
    let fresh = user_dictionary::compile(&system, &std::fs::read_to_string(&csv).unwrap()).unwrap();
    assert_eq!(bytes_of(&edited), bytes_of(&fresh));
}

#[test]
fn a_cache_directory_that_cannot_be_written_only_costs_the_compilation() {
    let system = system();
    let work = tempfile::tempdir().unwrap();
    // A directory under a plain file can be neither made nor written (even by root).
    std::fs::write(work.path().join("file"), b"").unwrap();
    let missing = work.path().join("file/cache");
    let user = user_cache::load(&system, &user_csv(), &common::dict_dir(), &missing).unwrap();
    let fresh =
        user_dictionary::compile(&system, &std::fs::read_to_string(user_csv()).unwrap()).unwrap();
    assert_eq!(bytes_of(&user), bytes_of(&fresh));
    assert!(!missing.exists());
    assert_eq!(caches_in(work.path()), ["file"]);
}

#[test]
fn a_bad_csv_is_still_an_error_naming_the_line() {
    let system = system();
    let cache = tempfile::tempdir().unwrap();
    let (_work, csv) = csv_file("서사연\n");
    let error = user_cache::load(&system, &csv, &common::dict_dir(), cache.path())
        .err()
        .expect("a one-column row is refused");
    assert!(error.contains("line 1"), "{error}");
    assert!(caches_in(cache.path()).is_empty());
}
