//! Every bad input of issue 6 through the built binary: each is `failed` in the manifest with a
//! one-line reason naming the file (exit status 2), or, for the output directory, stops the
//! run (exit status 1). CP949/EUC-KR text is decoded and the encoding said in `source`.

mod batch_common;

use std::path::{Path, PathBuf};
use std::process::Command;

use batch_common::*;

/// Runs jaryo on one input and returns the manifest entry's error, asserting exit 2.
fn failed_reason(input: &Path, extra: &[&str]) -> String {
    let out = tempfile::tempdir().unwrap();
    let output = run(&[input], out.path(), extra);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let name = input.file_name().unwrap().to_string_lossy().into_owned();
    let entry = entry(out.path(), &name);
    assert_eq!(entry["status"], "failed", "{entry:#}");
    let reason = entry["error"].as_str().unwrap().to_string();
    assert!(
        reason.contains(&input.display().to_string()),
        "the reason names the file: {reason}"
    );
    assert!(!reason.contains('\n'), "one line: {reason}");
    // The same line is on stderr for the user.
    assert!(stderr(&output).contains(&reason), "{}", stderr(&output));
    // A failed input leaves no outputs behind.
    let stem = input.file_stem().unwrap().to_string_lossy().into_owned();
    assert!(!out.path().join(format!("{stem}.json")).exists());
    reason
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn a_pdf_that_is_not_a_pdf() {
    let dir = tempfile::tempdir().unwrap();
    let text = write(
        dir.path(),
        "forum.pdf",
        "2020년 서울시 사회적경제 생태계 구축 성과 포럼 자료집\n".as_bytes(),
    );
    let reason = failed_reason(&text, &[]);
    assert!(
        reason.ends_with("not a PDF (no %PDF header in the first 1 KiB)"),
        "{reason}"
    );

    // An HWP booklet renamed to .pdf: the reason says what it is.
    let hwp = write(
        dir.path(),
        "hwp.pdf",
        &[
            b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".as_slice(),
            &noise(512, 1),
        ]
        .concat(),
    );
    let reason = failed_reason(&hwp, &[]);
    assert!(reason.contains("looks like an HWP"), "{reason}");
}

#[test]
fn an_empty_file() {
    let dir = tempfile::tempdir().unwrap();
    let empty = write(dir.path(), "empty.pdf", b"");
    assert!(failed_reason(&empty, &[]).ends_with("empty.pdf: empty file (0 bytes)"));
    let empty_text = write(dir.path(), "empty.txt", b"");
    assert!(failed_reason(&empty_text, &[]).contains("empty file"));
}

#[test]
fn a_truncated_pdf() {
    let dir = tempfile::tempdir().unwrap();
    let whole = minimal_pdf(&["Seoul social economy forum 2020", "Discussion 1"]);
    let truncated = write(dir.path(), "truncated.pdf", &whole[..whole.len() / 3]);
    let reason = failed_reason(&truncated, &[]);
    let after_name = reason.split("truncated.pdf").nth(1).unwrap_or("");
    assert!(after_name.len() > 3, "a reason follows the name: {reason}");
}

#[test]
fn random_bytes_after_a_pdf_header() {
    let dir = tempfile::tempdir().unwrap();
    let noise_pdf = write(
        dir.path(),
        "noise.pdf",
        &[b"%PDF-1.7\n".as_slice(), &noise(4096, 7)].concat(),
    );
    let reason = failed_reason(&noise_pdf, &[]);
    let after_name = reason.split("noise.pdf").nth(1).unwrap_or("");
    assert!(after_name.len() > 3, "a reason follows the name: {reason}");
}

#[test]
fn a_pdf_with_zero_pages() {
    let dir = tempfile::tempdir().unwrap();
    let zero = write(dir.path(), "zero_pages.pdf", &minimal_pdf(&[]));
    let reason = failed_reason(&zero, &[]);
    assert!(reason.contains("no pages"), "{reason}");
}

#[test]
fn an_encrypted_pdf_without_and_with_the_password() {
    let encrypted = repo().join("tests/data/broken/encrypted.pdf");
    let reason = failed_reason(&encrypted, &[]);
    assert!(
        reason.contains("password") || reason.contains("encrypted"),
        "{reason}"
    );
    let reason = failed_reason(&encrypted, &["--password", "wrong-password"]);
    assert!(reason.contains("password"), "{reason}");

    let out = tempfile::tempdir().unwrap();
    let output = run(&[&encrypted], out.path(), &["--password", "jaryo-test"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let entry = entry(out.path(), "encrypted.pdf");
    assert_eq!(entry["status"], "ok");
    assert!(entry["pages"].as_u64().unwrap() >= 1);
    assert!(entry["blocks"].as_u64().unwrap() >= 1);

    // The password may come from the environment instead of the command line (`ps` shows
    // arguments to every user).
    let out = tempfile::tempdir().unwrap();
    let mut command = jaryo();
    command
        .env("JARYO_PDF_PASSWORD", "jaryo-test")
        .arg("run")
        .arg(&encrypted)
        .arg("-o")
        .arg(out.path());
    assert_eq!(command.output().unwrap().status.code(), Some(0));
}

#[test]
fn a_pdf_with_only_an_owner_password_opens_without_one() {
    let restricted = repo().join("tests/data/broken/encrypted_owner_only.pdf");
    let out = tempfile::tempdir().unwrap();
    let output = run(&[&restricted], out.path(), &[]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        entry(out.path(), "encrypted_owner_only.pdf")["status"],
        "ok"
    );
}

/// Lines of the sample booklet that EUC-KR can encode.
fn sample_lines_in_euc_kr(count: usize) -> (String, Vec<u8>) {
    let sample = std::fs::read_to_string(sample_text()).unwrap();
    let mut text = String::new();
    for line in sample.lines() {
        let (_, _, unmappable) = encoding_rs::EUC_KR.encode(line);
        if !unmappable {
            text.push_str(line);
            text.push('\n');
        }
        if text.lines().count() >= count {
            break;
        }
    }
    let bytes = encoding_rs::EUC_KR.encode(&text).0.into_owned();
    (text, bytes)
}

#[test]
fn text_in_euc_kr_and_cp949_is_decoded_and_said_in_source() {
    let dir = tempfile::tempdir().unwrap();
    let (text, bytes) = sample_lines_in_euc_kr(40);
    assert!(std::str::from_utf8(&bytes).is_err(), "really not UTF-8");
    let euc_kr = write(dir.path(), "forum_euc_kr.txt", &bytes);
    // 똠 is outside KS X 1001: only CP949 (Unified Hangul Code) encodes it.
    let extended = format!("{text}똠방각하\n");
    let (cp949_bytes, _, _) = encoding_rs::EUC_KR.encode(&extended);
    let cp949 = write(dir.path(), "forum_cp949.txt", &cp949_bytes);

    let out = tempfile::tempdir().unwrap();
    let output = run(&[&euc_kr, &cp949], out.path(), &[]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    for (name, encoding) in [("forum_euc_kr", "euc-kr"), ("forum_cp949", "cp949")] {
        let json: serde_json::Value = serde_json::from_slice(
            &std::fs::read(out.path().join(format!("{name}.json"))).unwrap(),
        )
        .unwrap();
        assert_eq!(json["source"]["encoding"], encoding);
        let all_text: String = json["blocks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["text"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
            .join("\n");
        assert!(
            all_text.contains("서울시 사회적경제 생태계 구축 성과 포럼"),
            "decoded Korean in the blocks"
        );
    }
}

/// One damaged byte and a last character cut short: the file is read, the holes are U+FFFD
/// and their blocks flagged `replacement_char`. Bytes that are text in no encoding are refused.
#[test]
fn a_damaged_text_is_read_with_its_holes_flagged_and_binary_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let sample = std::fs::read_to_string(sample_text()).unwrap();
    let mut bytes: Vec<u8> = sample
        .lines()
        .take(60)
        .collect::<Vec<_>>()
        .join("\n")
        .into_bytes();
    // The last byte of a Korean character in the middle, and the file's last byte.
    let middle = bytes.len() / 2;
    let at = (middle..bytes.len())
        .find(|&i| bytes[i] >= 0xC0 && bytes[i + 1] >= 0x80 && bytes[i + 2] >= 0x80)
        .unwrap()
        + 2;
    bytes.remove(at);
    bytes.pop();
    let damaged = write(dir.path(), "damaged.txt", &bytes);
    let out = tempfile::tempdir().unwrap();
    let output = run(&[&damaged], out.path(), &[]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.path().join("damaged.json")).unwrap()).unwrap();
    assert_eq!(json["source"]["encoding"], "utf-8");
    let flagged: Vec<&serde_json::Value> = json["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| {
            b["quality"]["flags"]
                .as_array()
                .is_some_and(|f| f.iter().any(|f| f["kind"] == "replacement_char"))
        })
        .collect();
    assert!(!flagged.is_empty(), "{json:#}");
    assert!(flagged
        .iter()
        .all(|b| b["text"].as_str().unwrap().contains('\u{FFFD}')));

    let binary = write(dir.path(), "pixels.txt", &noise(8192, 7));
    let reason = failed_reason(&binary, &[]);
    assert!(
        reason.contains("neither UTF-8") || reason.contains("binary data"),
        "{reason}"
    );
}

#[test]
fn an_unreadable_file() {
    let dir = tempfile::tempdir().unwrap();
    let locked = write(dir.path(), "locked.pdf", &minimal_pdf(&["Seoul forum"]));
    let mut permissions = std::fs::metadata(&locked).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut permissions, 0o000);
    std::fs::set_permissions(&locked, permissions).unwrap();
    if std::fs::File::open(&locked).is_err() {
        let reason = failed_reason(&locked, &[]);
        assert!(
            reason.ends_with("locked.pdf: Permission denied"),
            "{reason}"
        );
    } else {
        // Root (or CAP_DAC_OVERRIDE) reads files whatever their mode: chmod 000 cannot make an
        // unreadable file here, so this part checks nothing. The symlink below still does.
        eprintln!(
            "note: running with the privilege to read mode-000 files; chmod case not checked"
        );
    }

    // A link to a file that is gone cannot be read by anyone, root included.
    let dangling = dir.path().join("moved.pdf");
    std::os::unix::fs::symlink(dir.path().join("gone.pdf"), &dangling).unwrap();
    let reason = failed_reason(&dangling, &[]);
    let expected = format!(
        "cannot read {}: No such file or directory",
        dangling.display()
    );
    assert!(reason.ends_with(&expected), "{reason}");
}

#[test]
fn an_output_directory_that_cannot_be_written() {
    let dir = tempfile::tempdir().unwrap();
    let sample = sample_text();

    // A file where the directory should be: fails for every user, root included.
    let blocker = write(dir.path(), "output", b"not a directory");
    let output = run(&[&sample], &blocker, &[]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let message = stderr(&output);
    assert!(
        message.contains(&format!(
            "cannot write to the output directory {}",
            blocker.display()
        )),
        "{message}"
    );

    // A read-only directory: only blocks a user without the privilege to override it.
    let read_only = dir.path().join("read_only");
    std::fs::create_dir(&read_only).unwrap();
    let mut permissions = std::fs::metadata(&read_only).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut permissions, 0o555);
    std::fs::set_permissions(&read_only, permissions).unwrap();
    if std::fs::File::create(read_only.join("probe")).is_err() {
        let output = run(&[&sample], &read_only, &[]);
        assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
        assert!(stderr(&output).contains("Permission denied"));
    } else {
        eprintln!("note: running with the privilege to write read-only directories; mode-555 case not checked");
    }
}

#[test]
fn a_dictionary_that_cannot_be_loaded_stops_the_run() {
    // Installed as far as its stamp says, but its files do not load: the run loads the
    // dictionary beside its first document, whose failure names the dictionary, and the run
    // exits 1 like a run that cannot proceed.
    let dir = tempfile::tempdir().unwrap();
    let dict = dir.path().join("ko-dic");
    std::fs::create_dir(&dict).unwrap();
    std::fs::copy(
        dict_dir().join("jaryo-stamp.json"),
        dict.join("jaryo-stamp.json"),
    )
    .unwrap();
    write(&dict, "metadata.json", b"{ not json");
    let out = dir.path().join("out");
    let output = Command::new(env!("CARGO_BIN_EXE_jaryo"))
        .arg("--dict")
        .arg(&dict)
        .arg("run")
        .arg(sample_text())
        .arg("-o")
        .arg(&out)
        .output()
        .expect("the jaryo binary runs");
    let message = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{message}");
    let reason = format!("cannot load the Korean dictionary at {}", dict.display());
    assert!(message.contains(&reason), "{message}");
    let entry = entry(&out, "seoul_social_economy_forum_2020.txt");
    assert_eq!(entry["status"], "failed");
    assert!(
        entry["error"].as_str().unwrap().contains(&reason),
        "{entry:#}"
    );
}

#[test]
fn a_document_past_the_timeout_is_abandoned_and_reported() {
    let sample = sample_text();
    let reason = failed_reason(&sample, &["--timeout", "0.001"]);
    assert!(
        reason.ends_with(
            "seoul_social_economy_forum_2020.txt: timed out after 0.001 s (worker killed)"
        ),
        "{reason}"
    );
}

#[test]
fn an_unsupported_file_named_explicitly() {
    let dir = tempfile::tempdir().unwrap();
    let docx = write(dir.path(), "forum.docx", b"PK\x03\x04word/document.xml");
    let reason = failed_reason(&docx, &[]);
    assert!(reason.contains("unsupported file type"), "{reason}");
    // .hwp is read now: a file so named that is no HWP says so.
    let hwp = write(dir.path(), "forum.hwp", b"HWP Document File");
    let reason = failed_reason(&hwp, &[]);
    assert!(reason.contains("not an HWP or HWPX document"), "{reason}");
}

#[test]
fn a_missing_input_is_reported_and_the_rest_still_runs() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no_such_booklet.pdf");
    let sample = sample_text();
    let out = tempfile::tempdir().unwrap();
    let output = run(&[&missing, &sample], out.path(), &[]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let failed = entry(out.path(), "no_such_booklet.pdf");
    assert_eq!(
        failed["error"],
        format!("{}: No such file or directory", missing.display())
    );
    assert_eq!(
        entry(out.path(), "seoul_social_economy_forum_2020.txt")["status"],
        "ok"
    );
}
