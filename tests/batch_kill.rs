//! Killing `jaryo run` mid-batch with SIGKILL leaves no partial output: every output file in
//! the directory is whole (JSON parses, JSONL ends on a full line, CSV on a full row); only
//! hidden temporary files may be left, and the next run removes them and finishes the batch.

mod batch_common;

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use batch_common::*;

/// Hidden files a killed run may leave: the lock file and temporary files.
fn is_ignorable(file: &Path) -> bool {
    let name = file.file_name().unwrap().to_string_lossy();
    name == ".jaryo.lock" || (name.starts_with('.') && name.ends_with(".jaryo-tmp"))
}

#[test]
fn sigkill_mid_batch_leaves_no_partial_output() {
    let work = tempfile::tempdir().unwrap();
    let input = work.path().join("input");
    std::fs::create_dir_all(&input).unwrap();
    // Eight booklets: copies of the sample, each a little different, so none is skipped.
    let sample = std::fs::read_to_string(sample_text()).unwrap();
    for copy in 0..8 {
        let text = format!("{sample}\n{copy}번째 사본\n");
        std::fs::write(input.join(format!("booklet_{copy:02}.txt")), text).unwrap();
    }
    let out = work.path().join("out");

    let mut child = jaryo()
        .arg("run")
        .arg(&input)
        .arg("-o")
        .arg(&out)
        .args(["--jobs", "1"])
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Kill it as soon as the first document is written: the batch is under way.
    let start = Instant::now();
    loop {
        let written = out.is_dir()
            && files_under(&out)
                .iter()
                .any(|f| f.to_string_lossy().ends_with(".json"));
        if written {
            break;
        }
        assert!(
            child.try_wait().unwrap().is_none(),
            "jaryo ended before the kill"
        );
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "no output after 2 minutes"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap(); // SIGKILL on unix
    let status = child.wait().unwrap();
    assert!(!status.success());

    let outputs: Vec<PathBuf> = files_under(&out)
        .into_iter()
        .filter(|f| f.to_string_lossy().ends_with(".json") && !f.starts_with("manifest.json"))
        .collect();
    assert!(
        outputs.len() < 8,
        "killed mid-batch, not after it: {} documents written",
        outputs.len()
    );
    let hidden = check_outputs_whole(&out);
    for file in &hidden {
        assert!(
            is_ignorable(file),
            "unexpected file left: {}",
            file.display()
        );
    }
    let saved_ok: Vec<String> = if out.join("manifest.json").exists() {
        manifest(&out)["entries"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["status"] == "ok")
            .map(|e| e["path"].as_str().unwrap().to_string())
            .collect()
    } else {
        Vec::new()
    };

    // The next run cleans up and finishes; what the killed run recorded is skipped.
    let rerun = run(&[&input], &out, &[]);
    assert_eq!(rerun.status.code(), Some(0), "{}", stderr(&rerun));
    let hidden = check_outputs_whole(&out);
    assert_eq!(hidden, vec![PathBuf::from(".jaryo.lock")]);
    let manifest = manifest(&out);
    let entries = manifest["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 8);
    for entry in entries {
        let path = entry["path"].as_str().unwrap();
        let expected = if saved_ok.iter().any(|p| p == path) {
            "skipped"
        } else {
            "ok"
        };
        assert_eq!(entry["status"], expected, "{path}");
        assert!(out
            .join(format!("{}.json", entry["output"].as_str().unwrap()))
            .is_file());
    }
}
