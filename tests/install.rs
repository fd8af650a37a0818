//! Issue 18 through the built binary: where the dictionary comes from and who may download it,
//! exit codes and usage errors that write nothing, `-o -`, output names that stay the same
//! across reruns and batch composition, every file of a folder in the manifest, `tokenize`
//! reading what `run` reads, and `cargo install` giving a `jaryo` that works on its own.

mod batch_common;

use std::path::{Path, PathBuf};
use std::process::Command;

use batch_common::*;

/// `jaryo` with no dictionary option, a home and data directory of its own (under `home`), and
/// `cwd` as its working directory.
fn bare_jaryo(home: &Path, cwd: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_jaryo"));
    command
        .current_dir(cwd)
        .env("HOME", home)
        .env_remove("XDG_DATA_HOME")
        .env_remove("JARYO_DICT")
        .env_remove("JARYO_PDF_PASSWORD");
    command
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn entries(out: &Path) -> Vec<serde_json::Value> {
    manifest(out)["entries"].as_array().unwrap().clone()
}

/// Every file and folder under `dir` (relative), sorted.
fn tree(dir: &Path) -> Vec<PathBuf> {
    files_under(dir)
}

#[test]
fn a_mistyped_dict_exits_1_saying_what_to_run_and_downloads_nothing() {
    let work = tempfile::tempdir().unwrap();
    let typo = work.path().join("dictionaris/ko-dic");
    let output = bare_jaryo(work.path(), work.path())
        .arg("--dict")
        .arg(&typo)
        .arg("run")
        .arg(sample_text())
        .arg("-o")
        .arg(work.path().join("out"))
        .output()
        .unwrap();
    let message = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{message}");
    assert!(message.contains(&typo.display().to_string()), "{message}");
    assert!(message.contains("dict install"), "{message}");
    // Nothing downloaded, built or written: the work folder holds nothing.
    let left: Vec<_> = std::fs::read_dir(work.path()).unwrap().flatten().collect();
    assert!(left.is_empty(), "{left:?}");

    // Without --dict: the data directory is empty, so the same message names it.
    let output = bare_jaryo(work.path(), work.path())
        .args(["tokenize", "-"])
        .output()
        .unwrap();
    let message = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{message}");
    assert!(message.contains(".local/share/jaryo/ko-dic"), "{message}");
    assert!(!work.path().join(".local").exists(), "nothing installed");
}

#[test]
fn the_main_command_alone_installs_the_dictionary_once_saying_so() {
    // `jaryo run` with no arguments and no --dict, in a folder with `input/`: it announces the
    // install and tries it. Without python3 on PATH the download cannot start, so the test
    // needs no network: the run exits 1 with the reason and writes no output.
    let work = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(work.path().join("input")).unwrap();
    std::fs::copy(sample_text(), work.path().join("input/booklet.txt")).unwrap();
    let output = bare_jaryo(work.path(), work.path())
        .arg("run")
        .env("PATH", work.path().join("no-bin"))
        .output()
        .unwrap();
    let message = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{message}");
    assert!(message.contains("installing it once"), "{message}");
    assert!(message.contains(".local/share/jaryo/ko-dic"), "{message}");
    assert!(message.contains("python3 was not found"), "{message}");
    assert!(!work.path().join("output").exists());

    // With inputs named, the same command only says what to run.
    let output = bare_jaryo(work.path(), work.path())
        .args(["run", "input"])
        .env("PATH", work.path().join("no-bin"))
        .output()
        .unwrap();
    let message = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{message}");
    assert!(!message.contains("installing"), "{message}");
    assert!(message.contains("`jaryo dict install`"), "{message}");
}

#[test]
fn usage_errors_exit_64_and_write_nothing() {
    let work = tempfile::tempdir().unwrap();
    let cases: [&[&str]; 4] = [
        &["run", "--no-such-option"],
        &["run", "--jobs", "many"],
        &["frobnicate"],
        // `-o -` takes exactly one input file.
        &["run", "a.txt", "b.txt", "-o", "-"],
    ];
    for args in cases {
        let output = jaryo()
            .current_dir(work.path())
            .args(args)
            .output()
            .unwrap();
        assert_eq!(
            output.status.code(),
            Some(64),
            "{args:?}: {}",
            text(&output.stderr)
        );
        assert!(tree(work.path()).is_empty(), "{args:?} wrote files");
    }
    let output = jaryo()
        .current_dir(work.path())
        .args(["run", "-o", "-"])
        .arg(work.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(64), "a directory with -o -");
    // Help is not an error.
    let output = jaryo().arg("--help").output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert!(text(&output.stdout).contains("EXTENDS the domain dictionary"));
}

#[test]
fn no_inputs_exits_1_without_making_the_output_directory() {
    let work = tempfile::tempdir().unwrap();
    let empty = work.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let out = work.path().join("out");
    let output = run(&[&empty], &out, &[]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(stderr(&output).contains("no inputs"));
    assert!(!out.exists(), "the output directory was made");
}

#[test]
fn dash_output_prints_one_document_and_writes_nothing() {
    let work = tempfile::tempdir().unwrap();
    let pdf = repo().join("fixtures/pdf/one_column.pdf");
    let output = jaryo()
        .current_dir(work.path())
        .arg("run")
        .arg(&pdf)
        .args(["-o", "-"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["schema"], "jaryo/1");
    assert!(json["source"]["pages"].as_u64().unwrap() >= 1);
    assert!(tree(work.path()).is_empty(), "wrote files");
    assert!(!work.path().join("-").exists());
}

#[test]
fn names_do_not_change_with_reruns_or_the_rest_of_the_batch() {
    let work = tempfile::tempdir().unwrap();
    let input = work.path().join("in");
    std::fs::create_dir_all(input.join("2021")).unwrap();
    let pdf = repo().join("fixtures/pdf/one_column.pdf");
    std::fs::copy(&pdf, input.join("forum.pdf")).unwrap();
    std::fs::copy(&pdf, input.join("2021/forum.pdf")).unwrap();
    std::fs::write(
        input.join("forum.txt"),
        "사회적경제 포럼 자료집\n\n본문 첫 줄입니다.\n",
    )
    .unwrap();
    let out = work.path().join("out");

    assert_eq!(run(&[&input], &out, &[]).status.code(), Some(0));
    let names = |out: &Path| -> Vec<(String, String)> {
        entries(out)
            .iter()
            .map(|e| {
                let path = e["path"].as_str().unwrap().to_string();
                (path, e["output"].as_str().unwrap_or("").to_string())
            })
            .collect()
    };
    let first = names(&out);
    let output_of = |path: &Path| {
        first
            .iter()
            .find(|(p, _)| Path::new(p) == path)
            .map(|(_, n)| n.clone())
            .unwrap()
    };
    assert_eq!(output_of(&input.join("forum.pdf")), "forum-pdf");
    assert_eq!(output_of(&input.join("forum.txt")), "forum-txt");
    assert_eq!(output_of(&input.join("2021/forum.pdf")), "2021__forum");

    // One file again, forced, into the same folder: the same name, one entry, no stale files.
    let one = input.join("forum.pdf");
    assert_eq!(run(&[&one], &out, &["--force"]).status.code(), Some(0));
    assert_eq!(names(&out), first);
    assert!(manifest(&out).get("stale_outputs").is_none());

    // The same file spelled three ways in one run: one entry.
    let spelled = [
        one.clone(),
        input.join("./forum.pdf"),
        input.join("2021/../forum.pdf"),
    ];
    let spelled: Vec<&Path> = spelled.iter().map(PathBuf::as_path).collect();
    let fresh = work.path().join("fresh");
    assert_eq!(run(&spelled, &fresh, &[]).status.code(), Some(0));
    assert_eq!(entries(&fresh).len(), 1);
    assert_eq!(entries(&fresh)[0]["output"], "forum-pdf");
    // And in a later run under yet another spelling: still one entry, the same name.
    let later = input.join("2021/../forum.pdf");
    assert_eq!(run(&[&later], &fresh, &["--force"]).status.code(), Some(0));
    assert_eq!(entries(&fresh).len(), 1);
    assert_eq!(entries(&fresh)[0]["path"], later.display().to_string());
    assert_eq!(entries(&fresh)[0]["output"], "forum-pdf");

    // Two files whose names collide in one run (same name under two roots): a short suffix.
    let other_root = work.path().join("other");
    std::fs::create_dir_all(&other_root).unwrap();
    std::fs::copy(&pdf, other_root.join("2021__forum.pdf")).unwrap();
    let mixed = work.path().join("mixed");
    let inputs = [input.as_path(), other_root.as_path()];
    assert_eq!(run(&inputs, &mixed, &[]).status.code(), Some(0));
    let suffixed: Vec<String> = names(&mixed)
        .into_iter()
        .map(|(_, n)| n)
        .filter(|n| n.starts_with("2021__forum"))
        .collect();
    assert_eq!(suffixed.len(), 2);
    assert_ne!(suffixed[0], suffixed[1]);
    assert!(suffixed.iter().all(|n| n.len() == "2021__forum-".len() + 6));
}

#[test]
fn a_dots_only_name_stays_inside_the_output_directory() {
    let work = tempfile::tempdir().unwrap();
    let input = work.path().join("in");
    std::fs::create_dir_all(&input).unwrap();
    let dots = input.join("...pdf");
    std::fs::copy(repo().join("fixtures/pdf/tables.pdf"), &dots).unwrap();
    let out = work.path().join("deep/out");
    assert_eq!(run(&[&dots], &out, &[]).status.code(), Some(0));
    let entry = &entries(&out)[0];
    assert_eq!(entry["output"], "__");
    // Everything it wrote is inside `out`, and `deep/` holds nothing else.
    for file in entry["outputs"].as_array().unwrap() {
        assert!(out.join(file.as_str().unwrap()).is_file(), "{file}");
    }
    let beside: Vec<_> = std::fs::read_dir(work.path().join("deep"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(beside, ["out"]);
}

#[test]
fn every_file_in_a_folder_is_accounted_for() {
    let work = tempfile::tempdir().unwrap();
    let input = work.path().join("in");
    std::fs::create_dir_all(&input).unwrap();
    std::fs::copy(
        repo().join("fixtures/pdf/one_column.pdf"),
        input.join("a.pdf"),
    )
    .unwrap();
    for name in ["report.odt", "letter.docx", "scan.png", "README"] {
        std::fs::write(input.join(name), "x").unwrap();
    }
    std::fs::write(input.join(".draft.txt"), "숨긴 파일입니다.\n").unwrap();
    let out = work.path().join("out");
    let output = run(&[&input], &out, &[]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "unsupported files do not fail the run"
    );
    let manifest = manifest(&out);
    assert_eq!(manifest["counts"]["ok"], 1);
    assert_eq!(manifest["counts"]["unsupported"], 4);
    for name in ["report.odt", "letter.docx", "scan.png", "README"] {
        let entry = entry(&out, &input.join(name).display().to_string());
        assert_eq!(entry["status"], "unsupported");
        assert!(
            entry["error"].as_str().unwrap().contains("not read"),
            "{entry}"
        );
    }
    assert!(
        stderr(&output).contains("4 unsupported"),
        "{}",
        stderr(&output)
    );
    assert!(stderr(&output).contains(&format!("outputs in {}", out.display())));
    assert!(!text(&std::fs::read(out.join("manifest.json")).unwrap()).contains(".draft"));

    // With --hidden the dot-file is read too.
    let with_hidden = work.path().join("with_hidden");
    assert_eq!(
        run(&[&input], &with_hidden, &["--hidden"]).status.code(),
        Some(0)
    );
    let entry = entry(
        &with_hidden,
        &input.join(".draft.txt").display().to_string(),
    );
    assert_eq!(entry["status"], "ok");
    assert_eq!(entry["output"], "_draft");
}

#[test]
fn the_output_folder_as_input_folder_finds_the_inputs() {
    let work = tempfile::tempdir().unwrap();
    let both = work.path().join("both");
    std::fs::create_dir_all(&both).unwrap();
    std::fs::copy(
        repo().join("fixtures/pdf/one_column.pdf"),
        both.join("a.pdf"),
    )
    .unwrap();
    assert_eq!(run(&[&both], &both, &[]).status.code(), Some(0));
    // Again: its own outputs are neither inputs nor unsupported files.
    assert_eq!(run(&[&both], &both, &[]).status.code(), Some(0));
    let manifest = manifest(&both);
    assert_eq!(manifest["entries"].as_array().unwrap().len(), 1);
    assert_eq!(manifest["counts"]["skipped"], 1);
}

#[test]
fn tokenize_reads_cp949_and_names_the_file_in_errors() {
    let work = tempfile::tempdir().unwrap();
    // `사회적경제` in CP949.
    let cp949 = work.path().join("cp949.txt");
    std::fs::write(
        &cp949,
        [
            0xbb, 0xe7, 0xc8, 0xb8, 0xc0, 0xfb, 0xb0, 0xe6, 0xc1, 0xa6, b'\n',
        ],
    )
    .unwrap();
    let output = jaryo().arg("tokenize").arg(&cp949).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert!(
        text(&output.stdout).starts_with("사회적경제/"),
        "{}",
        text(&output.stdout)
    );

    let binary = work.path().join("binary.txt");
    std::fs::write(&binary, [0u8, 1, 2, 0xff]).unwrap();
    let missing = work.path().join("missing.txt");
    for bad in [&binary, &missing] {
        let output = jaryo().arg("tokenize").arg(bad).output().unwrap();
        let message = text(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{message}");
        assert!(message.contains(&bad.display().to_string()), "{message}");
    }
}

#[test]
fn a_user_dictionary_file_extends_the_builtin_one() {
    let work = tempfile::tempdir().unwrap();
    let line = work.path().join("line.txt");
    std::fs::write(&line, "서사연과 뚱땅협동조합이 함께\n").unwrap();
    let mine = work.path().join("mine.csv");
    std::fs::write(&mine, "뚱땅협동조합,NNP,뚱땅협동조합\n").unwrap();
    let tokens = |extra: &[&str]| -> String {
        let output = jaryo()
            .args(extra)
            .arg("tokenize")
            .arg(&line)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
        text(&output.stdout)
    };
    let builtin = tokens(&[]);
    assert!(builtin.contains("서사연/NNP"), "{builtin}");
    assert!(!builtin.contains("뚱땅협동조합/NNP"), "{builtin}");
    let extended = tokens(&["--user-dict", mine.to_str().unwrap()]);
    assert!(
        extended.contains("서사연/NNP") && extended.contains("뚱땅협동조합/NNP"),
        "{extended}"
    );
    let replaced = tokens(&["--no-user-dict", "--user-dict", mine.to_str().unwrap()]);
    assert!(
        !replaced.contains("서사연/NNP") && replaced.contains("뚱땅협동조합/NNP"),
        "{replaced}"
    );
}
