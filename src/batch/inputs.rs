//! Finding the inputs of a run: the files named on the command line and every file under the
//! directories named there, recursively, in a sorted list with one entry per file (by canonical
//! path, however it was spelled). Every file found in a folder is accounted for: supported ones
//! (`.pdf`, `.hwp`, `.hwpx`, `.txt`, `.md`, `.html`) are inputs, others are listed as
//! unsupported with the reason; hidden entries are left out unless asked for. Paths that cannot be listed are reported, not fatal.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};

use crate::source::io_reason as reason;

/// One input file and its path under the input root it was found from (a file named on the
/// command line is its own root's only file: its file name).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Input {
    pub path: PathBuf,
    pub relative: PathBuf,
}

/// What a run will work on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InputSet {
    /// Files to process, sorted by path, each file once.
    pub files: Vec<Input>,
    /// Paths named on the command line or met while walking that could not be used, with the
    /// one-line reason (a missing path, a directory that cannot be listed).
    pub problems: Vec<(PathBuf, String)>,
    /// Files found in folders that jaryo does not read, with the reason.
    pub unsupported: Vec<(PathBuf, String)>,
}

/// Which files a walk takes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WalkOptions {
    /// Also hidden files and folders (names starting with `.`).
    pub hidden: bool,
}

/// Collects the inputs under `paths`. Explicitly named files are taken whatever their
/// extension (an unsupported one fails later with a reason); inside directories supported
/// files are inputs and the others are listed as unsupported. Hidden entries (`.git`,
/// `.cache`, …) are left out unless `options.hidden`. `skip_dir` (the output directory) is left
/// out when it sits inside an input directory; named as an input itself, only its supported
/// files are taken (the rest are the run's own outputs).
pub fn collect(paths: &[PathBuf], skip_dir: Option<&Path>, options: WalkOptions) -> InputSet {
    let skip = skip_dir.and_then(|d| std::fs::canonicalize(d).ok());
    let mut walker = Walker {
        files: BTreeMap::new(),
        problems: Vec::new(),
        unsupported: BTreeMap::new(),
        visited: BTreeSet::new(),
        skip,
        options,
    };
    for path in paths {
        let path = normalize(path);
        match std::fs::metadata(&path) {
            Ok(meta) if meta.is_dir() => {
                let canonical = std::fs::canonicalize(&path).ok();
                let is_output = canonical.is_some() && canonical == walker.skip;
                walker.walk(&path, &path, is_output)
            }
            Ok(_) => walker.take(&path, None),
            // A dangling symlink: a file that cannot be read; the runner says why.
            Err(_) if std::fs::symlink_metadata(&path).is_ok() => walker.take(&path, None),
            Err(error) => walker.problems.push((
                path.clone(),
                format!("{}: {}", path.display(), reason(&error)),
            )),
        }
    }
    let mut files: Vec<Input> = walker.files.into_values().collect();
    files.sort();
    InputSet {
        files,
        problems: walker.problems,
        unsupported: walker.unsupported.into_values().collect(),
    }
}

struct Walker {
    /// By canonical path (or the path itself when it does not resolve).
    files: BTreeMap<PathBuf, Input>,
    problems: Vec<(PathBuf, String)>,
    unsupported: BTreeMap<PathBuf, (PathBuf, String)>,
    /// Canonical directories already walked, so symlink loops end.
    visited: BTreeSet<PathBuf>,
    skip: Option<PathBuf>,
    options: WalkOptions,
}

/// The key a file is known by: its canonical path, so `a/x.pdf`, `./a/../a/x.pdf` and a
/// symlink to it are one input.
fn identity(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

impl Walker {
    /// Takes `path` as an input, found under `root` (or named itself when `None`). The first
    /// spelling of a file wins.
    fn take(&mut self, path: &Path, root: Option<&Path>) {
        let relative = root
            .and_then(|r| path.strip_prefix(r).ok())
            .map(Path::to_path_buf)
            .or_else(|| path.file_name().map(PathBuf::from))
            .unwrap_or_else(|| path.to_path_buf());
        self.files.entry(identity(path)).or_insert(Input {
            path: path.to_path_buf(),
            relative,
        });
    }

    /// Walks `dir` under `root`; `in_output`: inside the output directory named as an input,
    /// where only supported files are taken.
    fn walk(&mut self, dir: &Path, root: &Path, in_output: bool) {
        if let Ok(canonical) = std::fs::canonicalize(dir) {
            let is_skip = self.skip.as_ref() == Some(&canonical);
            if (is_skip && !in_output) || !self.visited.insert(canonical) {
                return;
            }
        }
        let entries = match std::fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(error) => {
                self.problems.push((
                    dir.to_path_buf(),
                    format!("cannot list {}: {}", dir.display(), reason(&error)),
                ));
                return;
            }
        };
        let mut children: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
        children.sort();
        for child in children {
            let hidden = child
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'));
            if hidden && !self.options.hidden {
                continue;
            }
            match std::fs::metadata(&child) {
                Ok(meta) if meta.is_dir() => self.walk(&child, root, in_output),
                _ if in_output && is_written_markdown(&child) => {}
                // Files, dangling symlinks, FIFOs: the runner checks and reports them.
                _ if crate::source::is_supported(&child) => self.take(&child, Some(root)),
                _ if in_output => {}
                _ => {
                    let why = unsupported_reason(&child);
                    self.unsupported
                        .entry(identity(&child))
                        .or_insert((child.clone(), why));
                }
            }
        }
    }
}

/// A run's own Markdown output (`<name>.md` beside `<name>.json`) or audit page
/// (`<name>.audit.html`), which are also supported input types.
pub(crate) fn is_written_markdown(path: &Path) -> bool {
    let audit = path.with_extension("");
    (path.extension().is_some_and(|e| e == "md") && path.with_extension("json").is_file())
        || (path.extension().is_some_and(|e| e == "html")
            && audit.extension().is_some_and(|e| e == "audit")
            && audit.with_extension("json").is_file())
}

/// Why a file found in a folder is not read: its extension, named.
fn unsupported_reason(path: &Path) -> String {
    let what = match path.extension() {
        Some(ext) => format!("`.{}` files are not read", ext.to_string_lossy()),
        None => "a file without an extension is not read".to_string(),
    };
    format!(
        "{}: unsupported: {what} (jaryo reads .pdf, .hwp, .hwpx, .txt, .md and .html)",
        path.display()
    )
}

/// `./input/./a.pdf` → `input/a.pdf`: the same file named two ways counts once, and the name
/// that appears in outputs and the manifest does not depend on how it was typed.
pub fn normalize(path: &Path) -> PathBuf {
    let normal: PathBuf = path
        .components()
        .filter(|c| !matches!(c, Component::CurDir))
        .collect();
    if normal.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        normal
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn make(root: &Path, files: &[&str]) {
        for file in files {
            let path = root.join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "x").unwrap();
        }
    }

    fn relative(set: &InputSet, root: &Path) -> Vec<String> {
        set.files
            .iter()
            .map(|i| {
                i.path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect()
    }

    #[test]
    fn walks_recursively_sorted_listing_unsupported_and_skipping_hidden() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        make(
            root,
            &[
                "b.pdf",
                "a.txt",
                "notes.docx",
                "2021/forum.md",
                "2020/forum.PDF",
                ".git/x.txt",
            ],
        );
        let set = collect(
            &[root.to_path_buf(), root.join("b.pdf")],
            None,
            WalkOptions::default(),
        );
        assert_eq!(
            relative(&set, root),
            ["2020/forum.PDF", "2021/forum.md", "a.txt", "b.pdf"]
        );
        assert_eq!(set.files[0].relative, Path::new("2020/forum.PDF"));
        assert!(set.problems.is_empty());
        assert_eq!(set.unsupported.len(), 1);
        assert_eq!(set.unsupported[0].0, root.join("notes.docx"));
        assert!(set.unsupported[0].1.contains("`.docx` files are not read"));
    }

    #[test]
    fn hidden_files_only_when_asked() {
        let dir = tempfile::tempdir().unwrap();
        make(dir.path(), &[".draft.txt", "a.txt"]);
        let hidden = WalkOptions { hidden: true };
        let set = collect(&[dir.path().to_path_buf()], None, hidden);
        assert_eq!(relative(&set, dir.path()), [".draft.txt", "a.txt"]);
    }

    #[test]
    fn one_entry_per_file_however_it_is_spelled() {
        let dir = tempfile::tempdir().unwrap();
        make(dir.path(), &["in/a.txt"]);
        let spellings = [
            dir.path().join("in/a.txt"),
            dir.path().join("in/../in/a.txt"),
            dir.path().join("in"),
        ];
        let set = collect(&spellings, None, WalkOptions::default());
        assert_eq!(set.files.len(), 1);
    }

    #[test]
    fn missing_paths_are_problems_not_errors() {
        let set = collect(
            &[PathBuf::from("no/such/dir")],
            None,
            WalkOptions::default(),
        );
        assert!(set.files.is_empty());
        assert_eq!(set.problems[0].1, "no/such/dir: No such file or directory");
    }

    #[test]
    fn output_dir_inside_input_is_skipped() {
        let dir = tempfile::tempdir().unwrap();
        make(dir.path(), &["out/old.md", "a.md"]);
        let out = dir.path().join("out");
        let set = collect(
            &[dir.path().to_path_buf()],
            Some(&out),
            WalkOptions::default(),
        );
        assert_eq!(relative(&set, dir.path()), ["a.md"]);
    }

    #[test]
    fn output_dir_named_as_the_input_gives_its_inputs() {
        let dir = tempfile::tempdir().unwrap();
        make(
            dir.path(),
            &[
                "a.pdf",
                "a.json",
                "a.md",
                "a.audit.html",
                "page.html",
                "manifest.json",
                "a/tables/1.csv",
            ],
        );
        let set = collect(
            &[dir.path().to_path_buf()],
            Some(dir.path()),
            WalkOptions::default(),
        );
        // The run's own Markdown and audit page are outputs; another HTML page is an input.
        assert_eq!(relative(&set, dir.path()), ["a.pdf", "page.html"]);
        assert!(set.unsupported.is_empty());
    }

    #[test]
    fn current_dir_components_are_dropped() {
        assert_eq!(
            normalize(Path::new("./input/./a.pdf")),
            Path::new("input/a.pdf")
        );
        assert_eq!(normalize(Path::new("./")), Path::new("."));
    }
}
