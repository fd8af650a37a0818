//! `DIR/manifest.json`: one entry per input ever run into the directory — path, sha256,
//! status, the reason for a failure, pages, blocks, flags by kind, seconds, and what the
//! outputs were made with (jaryo version, options) so a rerun can skip unchanged inputs.
//! Saved atomically; a run merges its entries into the previous manifest.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::emit::{write_atomic, write_durable, EmitError};

pub const MANIFEST_FILE: &str = "manifest.json";
pub const MANIFEST_SCHEMA: &str = "jaryo-manifest/1";

#[derive(Debug, Error)]
pub enum ManifestError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} is not a jaryo manifest ({source}); move it away to start afresh")]
    Parse {
        path: PathBuf,
        source: serde_json::Error,
    },
    #[error(transparent)]
    Write(#[from] EmitError),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Processed in this run; the outputs are written.
    Ok,
    /// Could not be processed; `error` says why.
    Failed,
    /// Unchanged since the run that made its outputs (same sha256, jaryo version, options).
    Skipped,
    /// Found in a folder but not a format jaryo reads; `error` says which.
    Unsupported,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// The input as named on the command line or found under a named directory.
    pub path: String,
    /// The input's canonical absolute path: what identifies it across runs, whatever
    /// directory they ran from. Absent when the file could not be resolved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    pub status: Status,
    /// Failures: one line naming the file and the reason.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Absent when the file could not be read.
    #[serde(default)]
    pub sha256: Option<String>,
    /// The output name: `<output>.json`, `<output>.blocks.jsonl`, `<output>/tables/`.
    #[serde(default)]
    pub output: Option<String>,
    /// The files written for this input, relative to the output directory.
    #[serde(default)]
    pub outputs: Vec<String>,
    #[serde(default)]
    pub pages: u32,
    #[serde(default)]
    pub blocks: usize,
    /// Quality flags by kind.
    #[serde(default)]
    pub flags: BTreeMap<String, usize>,
    /// Wall-clock seconds this run spent on the input.
    #[serde(default)]
    pub seconds: f64,
    /// The jaryo version that made the outputs.
    #[serde(default)]
    pub jaryo: String,
    /// What else the outputs depend on (the dictionaries); compared on resume.
    #[serde(default)]
    pub options: BTreeMap<String, String>,
}

/// Counts of entries by status.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub ok: usize,
    pub failed: usize,
    pub skipped: usize,
    #[serde(default)]
    pub unsupported: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub schema: String,
    /// The jaryo version of the last run.
    pub jaryo: String,
    /// Over all entries.
    pub counts: Counts,
    /// Sorted by path.
    pub entries: Vec<Entry>,
    /// Files an earlier run wrote for an input that its latest run no longer produces (its
    /// output name or its tables changed), relative to the output directory: left on disk,
    /// listed here so they are not taken for current outputs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stale_outputs: Vec<String>,
}

/// The manifest of an output directory, keyed by input file while a run updates it: one file
/// named another way, or from another directory, in a later run replaces its entry instead of
/// adding a second one.
#[derive(Debug, Clone, Default)]
pub struct Ledger {
    /// By [`key_of`] the entry.
    entries: BTreeMap<String, Entry>,
    stale: std::collections::BTreeSet<String>,
}

impl Ledger {
    /// Reads `dir/manifest.json`; an empty ledger when there is none.
    pub fn load(dir: &Path) -> Result<Ledger, ManifestError> {
        let path = dir.join(MANIFEST_FILE);
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Ledger::default()),
            Err(source) => return Err(ManifestError::Read { path, source }),
        };
        let manifest: Manifest =
            serde_json::from_slice(&bytes).map_err(|source| ManifestError::Parse {
                path: path.clone(),
                source,
            })?;
        let mut ledger = Ledger {
            stale: manifest.stale_outputs.into_iter().collect(),
            ..Ledger::default()
        };
        for entry in manifest.entries {
            ledger.entries.insert(key_of(&entry), entry);
        }
        Ok(ledger)
    }

    /// The entry of the input at `path` (however spelled, from whatever directory).
    pub fn get(&self, path: &str) -> Option<&Entry> {
        let key = canonical(path).unwrap_or_else(|| path.to_string());
        self.entries.get(&key)
    }

    /// Records `entry`, replacing any earlier one for the same file; the earlier one's outputs
    /// that it no longer has are listed as stale.
    pub fn record(&mut self, entry: Entry) {
        let key = key_of(&entry);
        merge_outputs(&mut self.stale, self.entries.get(&key), &entry);
        self.entries.insert(key, entry);
    }

    pub fn to_manifest(&self) -> Manifest {
        let mut entries: Vec<Entry> = self.entries.values().cloned().collect();
        entries.sort_by(|a, b| a.path.cmp(&b.path));
        Manifest {
            schema: MANIFEST_SCHEMA.to_string(),
            jaryo: crate::batch::VERSION.to_string(),
            counts: count(&entries),
            stale_outputs: self
                .stale
                .iter()
                .filter(|file| !entries.iter().any(|e| e.outputs.contains(file)))
                .cloned()
                .collect(),
            entries,
        }
    }

    /// Writes `DIR/manifest.json` atomically and durably.
    pub fn save(&self, dir: &Path) -> Result<(), ManifestError> {
        self.write(dir, true)
    }

    /// Writes `DIR/manifest.json` atomically, as a run goes on: a killed process loses
    /// nothing of it; not synced (the run's final save is).
    pub fn save_progress(&self, dir: &Path) -> Result<(), ManifestError> {
        self.write(dir, false)
    }

    fn write(&self, dir: &Path, durable: bool) -> Result<(), ManifestError> {
        let path = dir.join(MANIFEST_FILE);
        let mut json = serde_json::to_vec_pretty(&self.to_manifest()).map_err(|source| {
            EmitError::Serialize {
                path: path.clone(),
                source,
            }
        })?;
        json.push(b'\n');
        if durable {
            write_durable(&path, &json)?;
        } else {
            write_atomic(&path, &json)?;
        }
        Ok(())
    }
}

/// The canonical absolute path of the file `path` names (relative to the current directory),
/// when it exists.
pub fn canonical(path: impl AsRef<Path>) -> Option<String> {
    std::fs::canonicalize(path)
        .ok()
        .map(|p| p.display().to_string())
}

/// What identifies an entry's input: its canonical path as recorded, else as its path resolves
/// now (manifests from before `file` was recorded), else the path as written.
fn key_of(entry: &Entry) -> String {
    entry
        .file
        .clone()
        .or_else(|| canonical(&entry.path))
        .unwrap_or_else(|| entry.path.clone())
}

/// Updates the stale output list when `new` replaces `old`: what `old` wrote and `new` does not
/// is stale (a failed rerun keeps the earlier files, now stale too); what `new` writes is not.
fn merge_outputs(stale: &mut std::collections::BTreeSet<String>, old: Option<&Entry>, new: &Entry) {
    if let Some(old) = old {
        for file in &old.outputs {
            if !new.outputs.contains(file) {
                stale.insert(file.clone());
            }
        }
    }
    for file in &new.outputs {
        stale.remove(file);
    }
}

pub fn count(entries: &[Entry]) -> Counts {
    let mut counts = Counts::default();
    for entry in entries {
        match entry.status {
            Status::Ok => counts.ok += 1,
            Status::Failed => counts.failed += 1,
            Status::Skipped => counts.skipped += 1,
            Status::Unsupported => counts.unsupported += 1,
        }
    }
    counts
}

/// Whether `previous` made outputs that are still valid for an input with `sha256`, processed
/// by this jaryo with `options` under `output`: same hash, version, options and name, and every
/// output file still there.
pub fn is_current(
    previous: &Entry,
    sha256: &str,
    output: &str,
    options: &BTreeMap<String, String>,
    dir: &Path,
) -> bool {
    matches!(previous.status, Status::Ok | Status::Skipped)
        && previous.sha256.as_deref() == Some(sha256)
        && previous.jaryo == crate::batch::VERSION
        && previous.output.as_deref() == Some(output)
        && &previous.options == options
        && !previous.outputs.is_empty()
        && previous.outputs.iter().all(|file| dir.join(file).is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(path: &str, status: Status) -> Entry {
        Entry {
            path: path.to_string(),
            file: None,
            status,
            error: None,
            sha256: Some("00".into()),
            output: Some("x".into()),
            outputs: vec!["x.json".into()],
            pages: 1,
            blocks: 2,
            flags: BTreeMap::new(),
            seconds: 0.5,
            jaryo: crate::batch::VERSION.into(),
            options: BTreeMap::new(),
        }
    }

    #[test]
    fn saves_merges_and_reloads() {
        let dir = tempfile::tempdir().unwrap();
        let mut ledger = Ledger::load(dir.path()).unwrap();
        ledger.record(entry("b.pdf", Status::Failed));
        ledger.record(entry("a.pdf", Status::Ok));
        ledger.save(dir.path()).unwrap();

        let mut again = Ledger::load(dir.path()).unwrap();
        again.record(entry("b.pdf", Status::Ok));
        let manifest = again.to_manifest();
        assert_eq!(manifest.entries[0].path, "a.pdf");
        assert_eq!(manifest.entries[1].status, Status::Ok);
        assert_eq!(
            manifest.counts,
            Counts {
                ok: 2,
                failed: 0,
                skipped: 0,
                unsupported: 0
            }
        );
    }

    #[test]
    fn outputs_a_rerun_no_longer_makes_are_listed_as_stale() {
        let mut ledger = Ledger::default();
        let mut first = entry("in/forum.pdf", Status::Ok);
        first.outputs = vec!["forum.json".into(), "forum/tables/1.csv".into()];
        ledger.record(first);
        let mut second = entry("in/forum.pdf", Status::Ok);
        second.outputs = vec!["forum-pdf.json".into()];
        ledger.record(second);
        assert_eq!(
            ledger.to_manifest().stale_outputs,
            ["forum.json", "forum/tables/1.csv"]
        );
        // Written again by the next run: current, no longer stale.
        let mut third = entry("in/forum.pdf", Status::Ok);
        third.outputs = vec!["forum.json".into()];
        ledger.record(third);
        assert_eq!(
            ledger.to_manifest().stale_outputs,
            ["forum-pdf.json", "forum/tables/1.csv"]
        );
    }

    #[test]
    fn one_file_under_two_spellings_keeps_one_entry() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("forum.pdf");
        std::fs::write(&file, "x").unwrap();
        let mut ledger = Ledger::default();
        ledger.record(entry(&file.display().to_string(), Status::Ok));
        let other = dir.path().join(".").join("forum.pdf");
        ledger.record(entry(&other.display().to_string(), Status::Ok));
        let manifest = ledger.to_manifest();
        assert_eq!(manifest.entries.len(), 1);
        assert_eq!(manifest.entries[0].path, other.display().to_string());
        // Saved and loaded again, the first spelling still replaces it.
        ledger.save(dir.path()).unwrap();
        let mut again = Ledger::load(dir.path()).unwrap();
        again.record(entry(&file.display().to_string(), Status::Ok));
        assert_eq!(again.to_manifest().entries.len(), 1);
    }

    /// A run from the input's folder recorded `forum.pdf`; a rerun from elsewhere names it
    /// `in/forum.pdf` (which does not resolve from here): one entry, found for the resume.
    #[test]
    fn reruns_from_another_directory_merge_by_the_recorded_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("forum.pdf");
        std::fs::write(&file, "x").unwrap();
        let canonical_file = canonical(&file);
        assert!(canonical_file.is_some());
        let mut first = entry("no/such/dir/forum.pdf", Status::Ok);
        first.file = canonical_file.clone();
        let mut ledger = Ledger::default();
        ledger.record(first);
        ledger.save(dir.path()).unwrap();
        let mut again = Ledger::load(dir.path()).unwrap();
        let found = again.get(&file.display().to_string());
        assert_eq!(
            found.map(|e| e.path.as_str()),
            Some("no/such/dir/forum.pdf")
        );
        let mut second = entry(&file.display().to_string(), Status::Ok);
        second.file = canonical_file;
        again.record(second);
        let manifest = again.to_manifest();
        assert_eq!(manifest.entries.len(), 1);
        assert_eq!(manifest.entries[0].path, file.display().to_string());
        // Another file under the same relative spelling is another entry.
        let mut elsewhere = entry("no/such/dir/forum.pdf", Status::Failed);
        elsewhere.file = Some("/elsewhere/no/such/dir/forum.pdf".into());
        again.record(elsewhere);
        assert_eq!(again.to_manifest().entries.len(), 2);
    }

    #[test]
    fn a_broken_manifest_is_an_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(MANIFEST_FILE), "{ not json").unwrap();
        let error = Ledger::load(dir.path()).unwrap_err().to_string();
        assert!(
            error.contains("manifest.json is not a jaryo manifest"),
            "{error}"
        );
    }

    #[test]
    fn current_only_with_same_hash_version_options_and_outputs() {
        let dir = tempfile::tempdir().unwrap();
        let options = BTreeMap::new();
        let previous = entry("a.pdf", Status::Ok);
        assert!(!is_current(&previous, "00", "x", &options, dir.path()));
        std::fs::write(dir.path().join("x.json"), "{}").unwrap();
        assert!(is_current(&previous, "00", "x", &options, dir.path()));
        assert!(!is_current(&previous, "01", "x", &options, dir.path()));
        assert!(!is_current(&previous, "00", "y", &options, dir.path()));
        let mut other = options.clone();
        other.insert("dictionary".into(), "changed".into());
        assert!(!is_current(&previous, "00", "x", &other, dir.path()));
        let failed = entry("a.pdf", Status::Failed);
        assert!(!is_current(&failed, "00", "x", &options, dir.path()));
    }
}
