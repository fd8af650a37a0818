//! Finding the inputs of a run: the files named on the command line and the supported files
//! (`.pdf`, `.txt`, `.md`) under the directories named there, recursively, in a sorted and
//! deduplicated list. Paths that cannot be listed are reported, not fatal.

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};

use crate::source::io_reason as reason;

/// What a run will work on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InputSet {
    /// Files to process, sorted, each once.
    pub files: Vec<PathBuf>,
    /// Paths named on the command line or met while walking that could not be used, with the
    /// one-line reason (a missing path, a directory that cannot be listed).
    pub problems: Vec<(PathBuf, String)>,
}

/// Collects the inputs under `paths`. Explicitly named files are taken whatever their
/// extension (an unsupported one fails later with a reason); inside directories only supported
/// files are taken, and hidden entries (`.git`, `.cache`, …) and `skip_dir` (the output
/// directory, when it sits inside an input directory) are left out.
pub fn collect(paths: &[PathBuf], skip_dir: Option<&Path>) -> InputSet {
    let skip = skip_dir.and_then(|d| std::fs::canonicalize(d).ok());
    let mut walker = Walker {
        files: BTreeSet::new(),
        problems: Vec::new(),
        visited: BTreeSet::new(),
        skip,
    };
    for path in paths {
        let path = normalize(path);
        match std::fs::metadata(&path) {
            Ok(meta) if meta.is_dir() => walker.walk(&path),
            Ok(_) => {
                walker.files.insert(path);
            }
            // A dangling symlink: a file that cannot be read; the runner says why.
            Err(_) if std::fs::symlink_metadata(&path).is_ok() => {
                walker.files.insert(path);
            }
            Err(error) => walker.problems.push((
                path.clone(),
                format!("{}: {}", path.display(), reason(&error)),
            )),
        }
    }
    InputSet {
        files: walker.files.into_iter().collect(),
        problems: walker.problems,
    }
}

struct Walker {
    files: BTreeSet<PathBuf>,
    problems: Vec<(PathBuf, String)>,
    /// Canonical directories already walked, so symlink loops end.
    visited: BTreeSet<PathBuf>,
    skip: Option<PathBuf>,
}

impl Walker {
    fn walk(&mut self, dir: &Path) {
        if let Ok(canonical) = std::fs::canonicalize(dir) {
            if self.skip.as_ref() == Some(&canonical) || !self.visited.insert(canonical) {
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
            if hidden {
                continue;
            }
            match std::fs::metadata(&child) {
                Ok(meta) if meta.is_dir() => self.walk(&child),
                // Files, dangling symlinks, FIFOs: the runner checks and reports them.
                _ if crate::source::is_supported(&child) => {
                    self.files.insert(child);
                }
                _ => {}
            }
        }
    }
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

    #[test]
    fn walks_recursively_sorted_skipping_hidden_and_unsupported() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for file in [
            "b.pdf",
            "a.txt",
            "notes.docx",
            "2021/forum.md",
            "2020/forum.PDF",
            ".git/x.txt",
        ] {
            let path = root.join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "x").unwrap();
        }
        let set = collect(&[root.to_path_buf(), root.join("b.pdf")], None);
        let names: Vec<_> = set
            .files
            .iter()
            .map(|p| p.strip_prefix(root).unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["2020/forum.PDF", "2021/forum.md", "a.txt", "b.pdf"]);
        assert!(set.problems.is_empty());
    }

    #[test]
    fn missing_paths_are_problems_not_errors() {
        let set = collect(&[PathBuf::from("no/such/dir")], None);
        assert!(set.files.is_empty());
        assert_eq!(set.problems[0].1, "no/such/dir: No such file or directory");
    }

    #[test]
    fn output_dir_inside_input_is_skipped() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("out")).unwrap();
        std::fs::write(dir.path().join("out/old.md"), "x").unwrap();
        std::fs::write(dir.path().join("a.md"), "x").unwrap();
        let set = collect(&[dir.path().to_path_buf()], Some(&dir.path().join("out")));
        assert_eq!(set.files, vec![dir.path().join("a.md")]);
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
