//! The audit page in a real browser: headless Chromium (Debian's `chromium`, which
//! `scripts/test.sh` installs) loads `<name>.audit.html#selftest` of the sample booklet (PDF and
//! text); the page draws every sheet, applies each filter and writes what it saw into
//! `#audit-selftest`, which `--dump-dom` hands back. Checked: every flag of the JSON is drawn
//! once, on its page, over its block; the sidebar lists each; a click on each opens its kind
//! and detail; each kind and severity filter leaves exactly its flags visible. Skips, saying
//! so, when Chromium is not installed.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use jaryo::document::Document;
use jaryo::emit::markdown::severity_name;
use jaryo::pipeline::{process_file, PipelineOptions};

fn chromium() -> Option<PathBuf> {
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find_map(|name| {
            let found = Command::new("sh")
                .args(["-c", &format!("command -v {name}")])
                .output()
                .ok()?;
            let path = String::from_utf8(found.stdout).ok()?.trim().to_string();
            (found.status.success() && !path.is_empty()).then(|| PathBuf::from(path))
        })
}

/// The DOM after the page's scripts ran.
fn dump_dom(browser: &Path, page: &Path) -> String {
    let profile = tempfile::tempdir().unwrap();
    let output = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-dev-shm-usage",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--dump-dom")
        .arg(format!("file://{}#selftest", page.display()))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// The JSON the page wrote into `<pre id="audit-selftest">`.
fn selftest(dom: &str) -> serde_json::Value {
    let open = dom
        .find("id=\"audit-selftest\"")
        .expect("no #audit-selftest");
    let start = open + dom[open..].find('>').unwrap() + 1;
    let end = start + dom[start..].find("</pre>").unwrap();
    let text = dom[start..end]
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&nbsp;", "\u{a0}")
        .replace("&amp;", "&");
    assert!(!text.is_empty(), "the page's self-test did not run");
    serde_json::from_str(&text).unwrap()
}

/// Every block flag, in the page's order: (page, kind, severity).
fn flags(document: &Document) -> Vec<(Option<u32>, String, &'static str)> {
    document
        .blocks
        .iter()
        .flat_map(|b| {
            b.quality
                .flags
                .iter()
                .map(move |f| (b.page, f.kind.clone(), severity_name(f.severity)))
        })
        .collect()
}

fn indices(values: &serde_json::Value) -> Vec<usize> {
    values
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap() as usize)
        .collect()
}

fn strings(values: &serde_json::Value) -> Vec<String> {
    values
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn every_flag_is_drawn_once_on_its_page_and_the_filters_work() {
    let Some(browser) = chromium() else {
        eprintln!("skipped: chromium is not installed (scripts/test.sh installs it)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    for ext in ["pdf", "txt"] {
        let path = common::repo_root().join(format!("input/seoul_social_economy_forum_2020.{ext}"));
        if !path.exists() {
            eprintln!("skipped: {} is absent", path.display());
            continue;
        }
        let document = process_file(&path, &PipelineOptions::default(), common::analyzer())
            .unwrap_or_else(|e| panic!("{e}"));
        let html = jaryo::emit::audit::audit_html(&document, ext).unwrap();
        let page = dir.path().join(format!("{ext}.audit.html"));
        std::fs::write(&page, html).unwrap();
        let report = selftest(&dump_dom(&browser, &page));
        let expected = flags(&document);
        let boxes: Vec<Option<[f32; 4]>> = document
            .blocks
            .iter()
            .flat_map(|b| b.quality.flags.iter().map(move |_| b.bbox))
            .collect();
        let details: Vec<String> = document
            .blocks
            .iter()
            .flat_map(|b| b.quality.flags.iter().map(|f| f.detail.clone()))
            .collect();
        assert!(!expected.is_empty(), "{ext}: the sample has flags");
        assert_eq!(report["flags"], expected.len(), "{ext}");
        assert_eq!(report["sidebar"], expected.len(), "{ext}: sidebar entries");

        // Drawn once each, on the block's page.
        let mut drawn = vec![0; expected.len()];
        for placed in report["placed"].as_array().unwrap() {
            let index = placed["flag"].as_u64().unwrap() as usize;
            drawn[index] += 1;
            let page = placed["page"].as_u64().map(|p| p as u32);
            assert_eq!(
                page, expected[index].0,
                "{ext}: flag {index} drawn on the wrong page"
            );
            // On a PDF page, over its block's box (a table cell's is inside it).
            if let (Some(bbox), Some(drawn)) = (boxes[index], placed["box"].as_array()) {
                let drawn: Vec<f64> = drawn.iter().map(|v| v.as_f64().unwrap()).collect();
                let near = |a: f64, b: f32| a >= f64::from(b) - 3.0;
                let within = near(drawn[0], bbox[0])
                    && near(drawn[1], bbox[1])
                    && near(-drawn[2], -bbox[2])
                    && near(-drawn[3], -bbox[3]);
                assert!(
                    within,
                    "{ext}: flag {index} drawn at {drawn:?}, its block is at {bbox:?}"
                );
            }
        }
        assert!(drawn.iter().all(|&n| n == 1), "{ext}: drawn {drawn:?}");

        // Each filter leaves exactly its flags visible.
        let filters = report["filters"].as_array().unwrap();
        let kinds: std::collections::BTreeSet<&str> =
            expected.iter().map(|f| f.1.as_str()).collect();
        assert_eq!(filters.len(), 1 + kinds.len() + 3 + 1, "{ext}");
        for filter in filters {
            let kinds = strings(&filter["kinds"]);
            let severities = strings(&filter["severities"]);
            let want: Vec<usize> = expected
                .iter()
                .enumerate()
                .filter(|(_, f)| kinds.contains(&f.1) && severities.iter().any(|s| s == f.2))
                .map(|(i, _)| i)
                .collect();
            assert_eq!(
                indices(&filter["visible"]),
                want,
                "{ext}: {kinds:?} {severities:?}"
            );
        }
        // A click on a flag shows its kind and detail.
        let clicks = report["clicks"].as_array().unwrap();
        assert_eq!(clicks.len(), expected.len(), "{ext}");
        for click in clicks {
            let index = click["flag"].as_u64().unwrap() as usize;
            let text = click["text"].as_str().unwrap();
            assert_eq!(click["shown"], true, "{ext}: flag {index}");
            assert!(
                text.contains(&expected[index].1),
                "{ext}: flag {index}: {text}"
            );
            assert!(
                text.contains(&details[index]),
                "{ext}: flag {index}: {text}"
            );
        }
        let all = indices(&filters[0]["visible"]);
        assert_eq!(
            all.len(),
            expected.len(),
            "{ext}: all visible without a filter"
        );
    }
}
