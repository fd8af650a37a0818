//! Writing results: every output file is written atomically (a temporary file in the same
//! directory, then a rename), so a killed run never leaves a half-written file.

use std::io::Write;
use std::path::{Path, PathBuf};

use thiserror::Error;

use crate::document::Document;

#[derive(Debug, Error)]
pub enum EmitError {
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot serialise {path}: {source}")]
    Serialize {
        path: PathBuf,
        source: serde_json::Error,
    },
}

/// Writes `bytes` to `path` through a temporary file and a rename.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), EmitError> {
    let err = |source| EmitError::Write {
        path: path.to_path_buf(),
        source,
    };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(err)?;
    }
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".{file_name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(err)
}

/// Writes `DIR/<name>.json`.
pub fn write_document(dir: &Path, name: &str, document: &Document) -> Result<PathBuf, EmitError> {
    let path = dir.join(format!("{name}.json"));
    let mut json = serde_json::to_vec_pretty(document).map_err(|source| EmitError::Serialize {
        path: path.clone(),
        source,
    })?;
    json.push(b'\n');
    write_atomic(&path, &json)?;
    Ok(path)
}
