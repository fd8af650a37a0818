//! Issue 18's install check: `cargo install --path . --root TMP` gives `jaryo` alone, and that
//! binary, moved to an empty folder with an empty home, installs the dictionary and converts a
//! PDF and a text file. A test binary of its own, so no other test runs the built `jaryo`
//! while `cargo install` relinks it in the shared target directory.

mod batch_common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use batch_common::*;

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// `cargo install --path . --root TMP` gives `jaryo` alone; moved to an empty folder with an
/// empty home, it installs the dictionary (from the cached wheel, so no network) and converts a
/// PDF and a text file. It shares this build's target directory and the locked dependencies,
/// so it rebuilds nothing the test build did not already build (no compile of its own on CI).
#[test]
fn cargo_install_gives_a_jaryo_that_works_outside_the_checkout() {
    // The tests' dictionary install leaves the pinned wheel in dictionaries/cache/.
    let _ = dict_dir();
    let cache = repo().join("dictionaries/cache");
    let wheel = std::fs::read_dir(&cache)
        .ok()
        .into_iter()
        .flat_map(|d| d.flatten().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|e| e == "whl"));
    let Some(wheel) = wheel else {
        eprintln!("skipped: no wheel in {} to install from", cache.display());
        return;
    };
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_jaryo"));
    // target/<profile>/jaryo → target
    let target = bin.parent().and_then(Path::parent).unwrap().to_path_buf();
    let work = tempfile::tempdir().unwrap();
    let root = work.path().join("root");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .current_dir(repo())
        .args(["install", "--path", ".", "--locked", "--offline", "--root"])
        .arg(&root)
        .env("CARGO_TARGET_DIR", &target)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", text(&output.stderr));
    let installed: Vec<_> = std::fs::read_dir(root.join("bin"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(installed, ["jaryo"]);

    let empty = work.path().join("empty");
    let home = work.path().join("home");
    std::fs::create_dir_all(&empty).unwrap();
    std::fs::create_dir_all(&home).unwrap();
    let jaryo = root.join("bin/jaryo");
    let command = |args: &[&str]| -> Output {
        let mut command = Command::new(&jaryo);
        command
            .current_dir(&empty)
            .env("HOME", &home)
            .env_remove("XDG_DATA_HOME")
            .env_remove("JARYO_DICT")
            .args(args);
        command.output().unwrap()
    };
    let output = command(&["dict", "install", "--from", wheel.to_str().unwrap()]);
    let message = text(&output.stderr);
    assert!(output.status.success(), "{message}");
    let data = home.join(".local/share/jaryo/ko-dic");
    assert!(message.contains(&data.display().to_string()), "{message}");
    assert!(
        message.contains("building the lindera dictionary"),
        "{message}"
    );

    let pdf = repo().join("fixtures/pdf/one_column.pdf");
    let txt = work.path().join("booklet.txt");
    std::fs::copy(sample_text(), &txt).unwrap();
    let output = command(&[
        "run",
        pdf.to_str().unwrap(),
        txt.to_str().unwrap(),
        "-o",
        "out",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let out = empty.join("out");
    assert!(out.join("one_column.json").is_file());
    assert!(out.join("booklet.json").is_file());
    let counts = &manifest(&out)["counts"];
    assert_eq!(counts["ok"], 2, "{counts}");
}
