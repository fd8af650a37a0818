//! Output names: `DIR/<name>.json` etc. A name depends only on the input's own path relative
//! to the input root it came from (a named file's root is its folder): the folders under the
//! root joined by `__`, then the file stem — `booklets/2020/forum.pdf` under `booklets/` →
//! `2020__forum` — plus the extension when a file beside it on disk has the same stem
//! (`forum.pdf` and `forum.txt` → `forum-pdf`, `forum-txt`), so running one file again gives the
//! name the whole folder gave it. Names are path-safe (no separators, control characters or
//! leading dots, never `.` or `..`) and short enough that the longest output file's temporary
//! name fits in 255 bytes. Inputs whose names still collide in one run (ignoring case, for
//! case-insensitive file systems) get a short suffix from a hash of their canonical path.

use std::collections::{BTreeMap, HashSet};
use std::path::{Component, Path, PathBuf};

use sha2::{Digest, Sha256};

use super::inputs::Input;

/// Stems that would overwrite the run's own files.
const RESERVED: &[&str] = &["manifest"];

/// Joins the folders under the input root to the stem.
const FOLDER_SEPARATOR: &str = "__";

/// The longest name in bytes. The longest file made from a name is its temporary blocks file,
/// `.<name>.blocks.jsonl.<pid>-<counter>.jaryo-tmp`: 1 + 13 + 1 + 10 + 1 + 20 + 10 = 56 bytes
/// besides the name (pid and counter at their widest), and a file name may have 255.
pub const MAX_NAME_BYTES: usize = 255 - 56;

/// Hex digits of the hash that shortens a long name.
const LONG_NAME_HASH: usize = 12;
/// Hex digits of the hash that tells colliding names apart.
const COLLISION_HASH: usize = 6;

/// One distinct output name per input, in the same order.
pub fn assign(inputs: &[Input]) -> Vec<String> {
    let mut names: Vec<String> = inputs.iter().map(own_name).collect();
    let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (index, name) in names.iter().enumerate() {
        groups.entry(name.to_lowercase()).or_default().push(index);
    }
    for members in groups.values().filter(|m| m.len() > 1) {
        for &index in members {
            let suffix = short_hash(&identity(&inputs[index]), COLLISION_HASH);
            names[index] = fit(&format!("{}-{suffix}", names[index]));
        }
    }
    // A suffixed name meeting another input's own name (vanishingly rare): a counter, in
    // input order.
    let mut taken: HashSet<String> = HashSet::new();
    for name in &mut names {
        let mut unique = name.clone();
        let mut counter = 2;
        while !taken.insert(unique.to_lowercase()) {
            unique = fit(&format!("{name}-{counter}"));
            counter += 1;
        }
        *name = unique;
    }
    names
}

/// The name an input gets when nothing else in the run collides with it.
pub fn own_name(input: &Input) -> String {
    let relative = relative_parts(&input.relative);
    let mut parts: Vec<String> = relative
        .iter()
        .take(relative.len().saturating_sub(1))
        .map(|folder| safe(folder))
        .collect();
    let mut last = safe(&stem(&input.relative));
    if let Some(ext) = sibling_extension(&input.path) {
        last = format!("{last}-{ext}");
    }
    parts.push(last);
    let mut name = parts.join(FOLDER_SEPARATOR);
    if RESERVED.contains(&name.to_lowercase().as_str()) {
        name.push('_');
    }
    fit(&name)
}

/// The lowercased extension of `path` when another supported file in its folder has the same
/// stem (ignoring case): then both names carry their extension.
fn sibling_extension(path: &Path) -> Option<String> {
    let ext = path.extension()?.to_string_lossy().to_lowercase();
    let stem = path.file_stem()?.to_string_lossy().to_lowercase();
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let entries = std::fs::read_dir(folder).ok()?;
    let twin = entries.flatten().any(|entry| {
        let other = entry.path();
        other.file_name() != path.file_name()
            && crate::source::is_supported(&other)
            && !super::inputs::is_written_markdown(&other)
            && other
                .file_stem()
                .is_some_and(|s| s.to_string_lossy().to_lowercase() == stem)
    });
    twin.then_some(ext)
}

/// What identifies an input for its collision suffix: its canonical path when it resolves.
fn identity(input: &Input) -> String {
    std::fs::canonicalize(&input.path)
        .unwrap_or_else(|_| input.path.clone())
        .to_string_lossy()
        .into_owned()
}

fn short_hash(text: &str, digits: usize) -> String {
    let digest = Sha256::digest(text.as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    hex[..digits].to_string()
}

/// `name` cut to [`MAX_NAME_BYTES`] at a character boundary, with a hash of the whole name so
/// two long names that share their start stay apart.
fn fit(name: &str) -> String {
    if name.len() <= MAX_NAME_BYTES {
        return name.to_string();
    }
    let keep = MAX_NAME_BYTES - LONG_NAME_HASH - 1;
    let mut end = keep;
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}-{}", &name[..end], short_hash(name, LONG_NAME_HASH))
}

/// One path component made safe as (part of) a file name: control characters and separators
/// become `_`, and so do leading dots (no hidden names, never `.` or `..`).
fn safe(part: &str) -> String {
    let mut out: String = part
        .chars()
        .map(|c| {
            if c.is_control() || c == '/' || c == '\\' {
                '_'
            } else {
                c
            }
        })
        .collect();
    let dots = out.len() - out.trim_start_matches('.').len();
    if dots > 0 {
        out.replace_range(..dots, &"_".repeat(dots));
    }
    if out.is_empty() {
        "document".to_string()
    } else {
        out
    }
}

/// The file stem; for `...pdf` (stem `..`) the dots themselves, made safe by [`safe`].
fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The normal components of a relative path (`.`, `..` and roots left out).
fn relative_parts(path: &Path) -> Vec<String> {
    path.components()
        .filter_map(|c| match c {
            Component::Normal(name) => Some(name.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Inputs under `root` (which need not exist: no siblings then), relative to it.
    fn names(root: &Path, relative: &[&str]) -> Vec<String> {
        let inputs: Vec<Input> = relative
            .iter()
            .map(|r| Input {
                path: root.join(r),
                relative: PathBuf::from(r),
            })
            .collect();
        assign(&inputs)
    }

    #[test]
    fn a_name_is_the_path_under_the_input_root() {
        let root = Path::new("/nonexistent/booklets");
        assert_eq!(
            names(
                root,
                &[
                    "seoul_social_economy_forum_2020.txt",
                    "2020/forum.pdf",
                    "자료집.pdf"
                ]
            ),
            ["seoul_social_economy_forum_2020", "2020__forum", "자료집"]
        );
    }

    #[test]
    fn a_twin_on_disk_adds_the_extension_whatever_the_batch() {
        let dir = tempfile::tempdir().unwrap();
        for file in ["forum.pdf", "forum.TXT", "other.pdf"] {
            std::fs::write(dir.path().join(file), "x").unwrap();
        }
        // The folder, or one file of it alone: the same names.
        assert_eq!(
            names(dir.path(), &["forum.TXT", "forum.pdf", "other.pdf"]),
            ["forum-txt", "forum-pdf", "other"]
        );
        assert_eq!(names(dir.path(), &["forum.pdf"]), ["forum-pdf"]);
    }

    #[test]
    fn the_sample_booklet_pair_keeps_its_names() {
        let input = Path::new(env!("CARGO_MANIFEST_DIR")).join("input");
        assert_eq!(
            names(&input, &["seoul_social_economy_forum_2020.pdf"]),
            ["seoul_social_economy_forum_2020-pdf"]
        );
    }

    #[test]
    fn collisions_in_one_run_get_a_stable_hash_suffix() {
        let inputs = vec![
            Input {
                path: PathBuf::from("/nonexistent/a/x.pdf"),
                relative: PathBuf::from("x.pdf"),
            },
            Input {
                path: PathBuf::from("/nonexistent/b/X.pdf"),
                relative: PathBuf::from("X.pdf"),
            },
        ];
        let first = assign(&inputs);
        assert_ne!(first[0].to_lowercase(), first[1].to_lowercase());
        assert!(first[0].starts_with("x-") && first[0].len() == "x-".len() + COLLISION_HASH);
        // Input order does not matter.
        let reversed: Vec<Input> = inputs.iter().rev().cloned().collect();
        let second = assign(&reversed);
        assert_eq!(first, [second[1].clone(), second[0].clone()]);
    }

    #[test]
    fn names_are_path_safe() {
        let root = Path::new("/nonexistent");
        let got = names(
            root,
            &["...pdf", ".hidden.txt", "a\u{7}b.txt", "manifest.pdf"],
        );
        assert_eq!(got, ["__", "_hidden", "a_b", "manifest_"]);
        for name in &got {
            assert!(!name.contains('/') && name != "." && name != "..");
        }
    }

    #[test]
    fn long_names_are_shortened_with_a_hash() {
        let root = Path::new("/nonexistent");
        // 100 Hangul syllables: 300 bytes.
        let long = format!("{}.pdf", "자료".repeat(50));
        let other = format!("{}다.pdf", "자료".repeat(50));
        let got = names(root, &[&long, &other]);
        for name in &got {
            assert!(name.len() <= MAX_NAME_BYTES, "{} bytes", name.len());
            let temp = format!(".{name}.blocks.jsonl.4194304-18446744073709551615.jaryo-tmp");
            assert!(temp.len() <= 255, "{} bytes", temp.len());
        }
        assert_ne!(got[0], got[1]);
    }
}
