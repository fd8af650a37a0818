//! Output names: `DIR/<name>.json` etc. A name is the input's file stem; inputs whose stems
//! collide (ignoring case, for case-insensitive file systems) get the nearest parent folders
//! and, if needed, the extension added — `2020/forum.pdf`, `2021/forum.pdf` → `2020__forum`,
//! `2021__forum`. Names depend only on the set of input paths, so reruns find their outputs.

use std::collections::{BTreeMap, HashSet};
use std::path::{Component, Path, PathBuf};

/// Stems that would overwrite the run's own files.
const RESERVED: &[&str] = &["manifest"];

/// Joins parent folders to a stem in a disambiguated name.
const FOLDER_SEPARATOR: &str = "__";

/// One distinct output name per path, in the same order.
pub fn assign(paths: &[PathBuf]) -> Vec<String> {
    let stems: Vec<String> = paths.iter().map(|p| stem(p)).collect();
    let mut names = stems.clone();

    let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (index, stem) in stems.iter().enumerate() {
        groups.entry(stem.to_lowercase()).or_default().push(index);
    }
    for members in groups.values().filter(|m| m.len() > 1) {
        let folders: Vec<Vec<String>> = members.iter().map(|&i| folders(&paths[i])).collect();
        let deepest = folders.iter().map(Vec::len).max().unwrap_or(0);
        let candidate = |slot: usize, depth: usize, with_ext: bool| {
            let index = members[slot];
            let own = &folders[slot];
            let mut parts: Vec<String> = own[own.len().saturating_sub(depth)..].to_vec();
            let mut last = stems[index].clone();
            if with_ext {
                if let Some(ext) = paths[index].extension() {
                    last = format!("{last}-{}", ext.to_string_lossy().to_lowercase());
                }
            }
            parts.push(last);
            parts.join(FOLDER_SEPARATOR)
        };
        let mut chosen = None;
        'search: for depth in 0..=deepest {
            for with_ext in [false, true] {
                if depth == 0 && !with_ext {
                    continue;
                }
                let tried: Vec<String> = (0..members.len())
                    .map(|slot| candidate(slot, depth, with_ext))
                    .collect();
                let distinct: HashSet<String> = tried.iter().map(|n| n.to_lowercase()).collect();
                if distinct.len() == tried.len() {
                    chosen = Some(tried);
                    break 'search;
                }
            }
        }
        // Nothing separates them (`../a/x.pdf`, `a/x.pdf`): the fullest names, counted below.
        let chosen = chosen.unwrap_or_else(|| {
            (0..members.len())
                .map(|slot| candidate(slot, deepest, false))
                .collect()
        });
        for (slot, name) in chosen.into_iter().enumerate() {
            names[members[slot]] = name;
        }
    }

    // Whatever still collides (`../a/x.pdf` and `a/x.pdf`, or a made-up name meeting a real
    // stem) gets a counter, in path order.
    let mut taken: HashSet<String> = HashSet::new();
    for name in &mut names {
        if RESERVED.contains(&name.to_lowercase().as_str()) {
            name.push('_');
        }
        let mut unique = name.clone();
        let mut counter = 2;
        while !taken.insert(unique.to_lowercase()) {
            unique = format!("{name}-{counter}");
            counter += 1;
        }
        *name = unique;
    }
    names
}

/// The file stem with control characters replaced; `document` when there is none.
fn stem(path: &Path) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let clean: String = stem
        .chars()
        .map(|c| if c.is_control() { '_' } else { c })
        .collect();
    if clean.is_empty() {
        "document".to_string()
    } else {
        clean
    }
}

/// The folders a path sits in, outermost first (root, `.` and `..` left out).
fn folders(path: &Path) -> Vec<String> {
    path.parent()
        .map(|parent| {
            parent
                .components()
                .filter_map(|c| match c {
                    Component::Normal(name) => Some(name.to_string_lossy().into_owned()),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(paths: &[&str]) -> Vec<String> {
        assign(&paths.iter().map(PathBuf::from).collect::<Vec<_>>())
    }

    #[test]
    fn unique_stems_stay_as_they_are() {
        assert_eq!(
            names(&["input/seoul_social_economy_forum_2020.txt", "b/자료집.pdf"]),
            ["seoul_social_economy_forum_2020", "자료집"]
        );
    }

    #[test]
    fn same_stem_in_different_folders_gets_the_folder() {
        assert_eq!(
            names(&[
                "booklets/2020/forum.pdf",
                "booklets/2021/forum.pdf",
                "x.pdf"
            ]),
            ["2020__forum", "2021__forum", "x"]
        );
        // Folders that only differ further up: as many as needed.
        assert_eq!(
            names(&["a/seoul/forum.pdf", "b/seoul/forum.pdf"]),
            ["a__seoul__forum", "b__seoul__forum"]
        );
    }

    #[test]
    fn same_stem_in_one_folder_gets_the_extension() {
        assert_eq!(
            names(&["in/forum.pdf", "in/forum.txt"]),
            ["forum-pdf", "forum-txt"]
        );
    }

    #[test]
    fn case_only_differences_and_reserved_names_do_not_collide() {
        assert_eq!(
            names(&["a/Forum.pdf", "b/forum.pdf"]),
            ["a__Forum", "b__forum"]
        );
        assert_eq!(names(&["manifest.pdf"]), ["manifest_"]);
        assert_eq!(names(&["../a/x.pdf", "a/x.pdf"]), ["a__x", "a__x-2"]);
    }

    #[test]
    fn names_do_not_depend_on_input_order() {
        let forward = names(&["p/forum.pdf", "q/forum.pdf"]);
        let backward = names(&["q/forum.pdf", "p/forum.pdf"]);
        assert_eq!(forward[0], backward[1]);
        assert_eq!(forward[1], backward[0]);
    }
}
