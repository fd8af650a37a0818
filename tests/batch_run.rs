//! The batch of issue 6's "Must show": the fixture PDFs, the sample text and five broken files.
//! Every good input has its outputs (valid against `jaryo schema`), the five are `failed` with
//! reasons, exit status 2; an immediate rerun skips every good input. Also: byte-identical
//! output whatever the number of jobs, distinct names for same-stem inputs, resume after a
//! change.

mod batch_common;

use std::path::{Path, PathBuf};

use batch_common::*;

fn read_json(path: &Path) -> serde_json::Value {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Checks every output of the good input whose output name is `name`.
fn check_good_outputs(out: &Path, name: &str, validator: &jsonschema::Validator) {
    let json = read_json(&out.join(format!("{name}.json")));
    assert_valid(validator, &json, &format!("{name}.json"));
    assert_eq!(json["schema"], "jaryo/1");
    let blocks = json["blocks"].as_array().unwrap();

    let jsonl = std::fs::read_to_string(out.join(format!("{name}.blocks.jsonl"))).unwrap();
    let lines: Vec<serde_json::Value> = jsonl
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(
        lines.len(),
        blocks.len(),
        "{name}: one JSONL line per block"
    );
    for (line, block) in lines.iter().zip(blocks) {
        assert_eq!(line["document"], name);
        assert_eq!(
            line["id"],
            format!("{name}/{}", block["id"].as_str().unwrap())
        );
        assert_eq!(line["text"], block["text"]);
        assert_eq!(line["type"], block["type"]);
        assert!(line["section_path"].is_array());
        assert!(line["tokens"].is_array() && line["flags"].is_array());
        assert!(
            !line["page"].is_null() || !line["lines"].is_null(),
            "{name}: provenance on every line"
        );
    }

    let tables: Vec<&serde_json::Value> = blocks.iter().filter(|b| !b["table"].is_null()).collect();
    for (index, table) in tables.iter().enumerate() {
        let csv =
            std::fs::read_to_string(out.join(format!("{name}/tables/{}.csv", index + 1))).unwrap();
        assert_eq!(
            csv.matches("\r\n").count(),
            table["table"]["rows"].as_array().unwrap().len(),
            "{name}: one CSV record per table row (no cell in the fixtures has a line break)"
        );
    }
    assert!(!out
        .join(format!("{name}/tables/{}.csv", tables.len() + 1))
        .exists());
}

#[test]
fn fixtures_sample_and_five_broken_files_then_an_immediate_rerun() {
    let pdfs = fixture_pdfs();
    assert!(pdfs.len() >= 8, "the fixture corpus: {pdfs:?}");
    let work = tempfile::tempdir().unwrap();
    let broken_dir = work.path().join("broken");
    let broken = write_five_broken(&broken_dir);
    let sample = sample_text();
    let out = work.path().join("out");

    // The broken files come in as a directory: the walk finds them.
    let mut inputs: Vec<&Path> = pdfs.iter().map(PathBuf::as_path).collect();
    inputs.push(&sample);
    inputs.push(&broken_dir);

    let first = run(&inputs, &out, &[]);
    assert_eq!(first.status.code(), Some(2), "{}", stderr(&first));

    let validator = schema_validator();
    let manifest = manifest(&out);
    let entries = manifest["entries"].as_array().unwrap();
    assert_eq!(entries.len(), pdfs.len() + 1 + broken.len());
    for good in pdfs.iter().chain([&sample]) {
        let entry = entry(&out, &good.display().to_string());
        assert_eq!(entry["status"], "ok", "{entry:#}");
        assert_eq!(entry["sha256"].as_str().unwrap().len(), 64);
        assert!(entry["seconds"].as_f64().unwrap() > 0.0);
        assert!(entry["pages"].as_u64().unwrap() >= 1);
        assert!(entry["flags"].is_object());
        let name = entry["output"].as_str().unwrap();
        // The sample text has its PDF beside it in input/: both names carry the extension.
        let stem = good.file_stem().unwrap().to_string_lossy();
        let expected = if good == &sample {
            format!("{stem}-txt")
        } else {
            stem.into_owned()
        };
        assert_eq!(name, expected);
        check_good_outputs(&out, name, &validator);
        for file in entry["outputs"].as_array().unwrap() {
            assert!(out.join(file.as_str().unwrap()).is_file());
        }
    }
    for bad in &broken {
        let entry = entry(&out, &bad.display().to_string());
        assert_eq!(entry["status"], "failed", "{entry:#}");
        let reason = entry["error"].as_str().unwrap();
        assert!(reason.starts_with(&bad.display().to_string()), "{reason}");
        assert!(
            reason.len() > bad.display().to_string().len() + 3,
            "{reason}"
        );
        assert!(entry["outputs"].as_array().unwrap().is_empty());
    }
    assert_eq!(manifest["counts"]["failed"], broken.len());
    assert_eq!(manifest["counts"]["ok"], pdfs.len() + 1);

    let rerun = run(&inputs, &out, &[]);
    assert_eq!(rerun.status.code(), Some(2), "the broken files still fail");
    for good in pdfs.iter().chain([&sample]) {
        assert_eq!(
            entry(&out, &good.display().to_string())["status"],
            "skipped"
        );
    }
    for bad in &broken {
        assert_eq!(entry(&out, &bad.display().to_string())["status"], "failed");
    }
    let hidden = check_outputs_whole(&out);
    assert_eq!(hidden, vec![PathBuf::from(".jaryo.lock")]);
}

#[test]
fn output_is_byte_identical_whatever_the_jobs() {
    let pdfs = fixture_pdfs();
    let sample = sample_text();
    let inputs: Vec<&Path> = pdfs
        .iter()
        .take(3)
        .map(PathBuf::as_path)
        .chain([sample.as_path()])
        .collect();
    let work = tempfile::tempdir().unwrap();
    let one = work.path().join("one");
    let two = work.path().join("two");
    assert_eq!(run(&inputs, &one, &["--jobs", "1"]).status.code(), Some(0));
    assert_eq!(run(&inputs, &two, &["--jobs", "2"]).status.code(), Some(0));
    let files = files_under(&one);
    assert_eq!(files, files_under(&two));
    for file in files {
        let name = file.to_string_lossy();
        if name == "manifest.json" || name.starts_with('.') {
            continue;
        }
        assert!(
            std::fs::read(one.join(&file)).unwrap() == std::fs::read(two.join(&file)).unwrap(),
            "{name} differs between --jobs 1 and --jobs 2"
        );
    }
    // Forced again into the same directory: still the same bytes.
    let before = std::fs::read(one.join("seoul_social_economy_forum_2020-txt.json")).unwrap();
    assert_eq!(run(&inputs, &one, &["--force"]).status.code(), Some(0));
    assert_eq!(
        entry(&one, "seoul_social_economy_forum_2020.txt")["status"],
        "ok",
        "--force redoes"
    );
    assert!(before == std::fs::read(one.join("seoul_social_economy_forum_2020-txt.json")).unwrap());
}

#[test]
fn same_stem_in_different_folders_and_resume_after_a_change() {
    let work = tempfile::tempdir().unwrap();
    let sample = std::fs::read_to_string(sample_text()).unwrap();
    let first_half: String = sample.lines().take(300).map(|l| format!("{l}\n")).collect();
    let input = work.path().join("booklets");
    for (folder, text) in [("2020", sample.as_str()), ("2021", first_half.as_str())] {
        std::fs::create_dir_all(input.join(folder)).unwrap();
        std::fs::write(input.join(folder).join("forum.txt"), text).unwrap();
    }
    let out = work.path().join("out");
    assert_eq!(run(&[&input], &out, &[]).status.code(), Some(0));
    let a = entry(&out, "2020/forum.txt");
    let b = entry(&out, "2021/forum.txt");
    assert_eq!(a["output"], "2020__forum");
    assert_eq!(b["output"], "2021__forum");
    assert!(
        read_json(&out.join("2020__forum.json"))["blocks"]
            .as_array()
            .unwrap()
            .len()
            > read_json(&out.join("2021__forum.json"))["blocks"]
                .as_array()
                .unwrap()
                .len()
    );

    // Change one input: only it is redone.
    std::fs::write(
        input.join("2021/forum.txt"),
        format!("{first_half}추가된 줄\n"),
    )
    .unwrap();
    assert_eq!(run(&[&input], &out, &[]).status.code(), Some(0));
    assert_eq!(entry(&out, "2020/forum.txt")["status"], "skipped");
    assert_eq!(entry(&out, "2021/forum.txt")["status"], "ok");
    // Delete an output: its input is redone.
    std::fs::remove_file(out.join("2020__forum.blocks.jsonl")).unwrap();
    assert_eq!(run(&[&input], &out, &[]).status.code(), Some(0));
    assert_eq!(entry(&out, "2020/forum.txt")["status"], "ok");
    assert!(out.join("2020__forum.blocks.jsonl").is_file());
}

#[test]
fn the_schema_subcommand_prints_the_contract() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_jaryo"))
        .arg("schema")
        .output()
        .unwrap();
    let schema: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(schema["title"], "Document");
    for definition in ["Block", "Section", "Flag", "SourceInfo", "DocumentQuality"] {
        assert!(
            schema["definitions"][definition].is_object(),
            "{definition}"
        );
    }
    // A document missing its blocks is refused.
    let validator = schema_validator();
    let incomplete = serde_json::json!({"schema": "jaryo/1"});
    assert!(!validator.is_valid(&incomplete));
}

#[test]
fn a_closed_stderr_does_not_stop_the_run() {
    // `jaryo run … 2>&1 | head -3`: the reader goes away while the run still reports.
    let work = tempfile::tempdir().unwrap();
    let sample = sample_text();
    let out = work.path().join("out");
    let mut child = jaryo()
        .arg("run")
        .arg(&sample)
        .arg("-o")
        .arg(&out)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stderr.take());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0));
    assert_eq!(
        entry(&out, "seoul_social_economy_forum_2020.txt")["status"],
        "ok"
    );
}
