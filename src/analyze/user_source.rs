//! Which user dictionary a run uses: the domain dictionary built into the binary, a CSV file of
//! the user's, or both. The built-in one is `dictionaries/user.csv`, compiled in with
//! `include_str!`, so an installed `jaryo` needs no file from its checkout.

use std::path::{Path, PathBuf};

/// The domain user dictionary shipped inside the binary (`dictionaries/user.csv`).
pub const BUILTIN_USER_CSV: &str = include_str!("../../dictionaries/user.csv");

/// Where the user dictionary's rows come from (lindera's simple CSV: `surface,POS,reading`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum UserDict {
    /// The built-in domain dictionary only.
    Builtin,
    /// A file only (the built-in one replaced).
    File(PathBuf),
    /// The built-in domain dictionary extended by the rows of a file.
    BuiltinAnd(PathBuf),
}

impl UserDict {
    /// The user dictionary asked for on the command line: the built-in one unless `builtin` is
    /// false, extended (or, without it, replaced) by `file`; `None` when neither is left.
    pub fn choose(builtin: bool, file: Option<&Path>) -> Option<UserDict> {
        match (builtin, file) {
            (true, None) => Some(UserDict::Builtin),
            (true, Some(f)) => Some(UserDict::BuiltinAnd(f.to_path_buf())),
            (false, Some(f)) => Some(UserDict::File(f.to_path_buf())),
            (false, None) => None,
        }
    }

    /// The CSV text, or a one-line reason naming the file that could not be read.
    pub fn text(&self) -> Result<String, String> {
        let read = |path: &Path| {
            let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
            String::from_utf8(bytes)
                .map_err(|_| format!("{}: the file is not UTF-8", path.display()))
        };
        match self {
            UserDict::Builtin => Ok(BUILTIN_USER_CSV.to_string()),
            UserDict::File(path) => read(path),
            UserDict::BuiltinAnd(path) => {
                let mut text = BUILTIN_USER_CSV.to_string();
                if !text.ends_with('\n') {
                    text.push('\n');
                }
                text.push_str(&read(path)?);
                Ok(text)
            }
        }
    }

    /// The file named, if any (for messages).
    pub fn file(&self) -> Option<&Path> {
        match self {
            UserDict::Builtin => None,
            UserDict::File(path) | UserDict::BuiltinAnd(path) => Some(path),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_dictionary_holds_the_domain_terms() {
        // A row of the sample's 부록2 center names and a 자치구 name.
        assert!(BUILTIN_USER_CSV
            .lines()
            .any(|l| l.starts_with("사회적경제,")));
        assert!(BUILTIN_USER_CSV.lines().any(|l| l.starts_with("마포구")));
    }

    #[test]
    fn a_file_extends_or_replaces_the_builtin_rows() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("mine.csv");
        std::fs::write(&file, "서사연,NNP,서사연\n").unwrap();
        let extended = UserDict::choose(true, Some(&file)).unwrap().text().unwrap();
        assert!(extended.starts_with(BUILTIN_USER_CSV.trim_end()));
        assert!(extended.ends_with("서사연,NNP,서사연\n"));
        let replaced = UserDict::choose(false, Some(&file))
            .unwrap()
            .text()
            .unwrap();
        assert_eq!(replaced, "서사연,NNP,서사연\n");
        assert_eq!(UserDict::choose(false, None), None);
    }

    #[test]
    fn a_missing_file_is_named_in_the_reason() {
        let reason = UserDict::File(PathBuf::from("no/such.csv"))
            .text()
            .unwrap_err();
        assert!(reason.starts_with("no/such.csv: "), "{reason}");
    }
}
