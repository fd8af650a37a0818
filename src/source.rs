//! Reading an input file: its bytes, its sha256, its format, and (for text) its decoding.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use thiserror::Error;

use crate::model::Format;

#[derive(Debug, Error)]
pub enum SourceError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: empty file")]
    Empty { path: PathBuf },
    #[error("{path}: unsupported file type (expected .pdf, .txt or .md)")]
    Unsupported { path: PathBuf },
    #[error("{path}: not a PDF (no %PDF header)")]
    NotPdf { path: PathBuf },
    #[error("{path}: text is neither UTF-8 nor CP949/EUC-KR")]
    UnknownEncoding { path: PathBuf },
}

/// An input file read into memory.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
    pub sha256: String,
    pub format: Format,
}

/// The file extensions jaryo takes as input.
pub fn is_supported(path: &Path) -> bool {
    format_of(path).is_some()
}

fn format_of(path: &Path) -> Option<Format> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "pdf" => Some(Format::Pdf),
        "txt" | "md" => Some(Format::Text),
        _ => None,
    }
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Reads `path`, checks it is non-empty and of a supported format.
pub fn read(path: &Path) -> Result<SourceFile, SourceError> {
    let format = format_of(path).ok_or_else(|| SourceError::Unsupported {
        path: path.to_path_buf(),
    })?;
    let bytes = std::fs::read(path).map_err(|source| SourceError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    if bytes.is_empty() {
        return Err(SourceError::Empty {
            path: path.to_path_buf(),
        });
    }
    if format == Format::Pdf && !bytes.starts_with(b"%PDF") {
        // Some writers put junk before the header; PDF readers accept it within the first 1 KiB.
        let head = &bytes[..bytes.len().min(1024)];
        if !head.windows(4).any(|w| w == b"%PDF") {
            return Err(SourceError::NotPdf {
                path: path.to_path_buf(),
            });
        }
    }
    Ok(SourceFile {
        path: path.to_path_buf(),
        sha256: sha256_hex(&bytes),
        bytes,
        format,
    })
}

/// Decoded text and the name of the encoding it came from.
pub fn decode_text(source: &SourceFile) -> Result<(String, &'static str), SourceError> {
    let bytes = source
        .bytes
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(&source.bytes);
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok((text.to_string(), "utf-8"));
    }
    let (text, had_errors) = encoding_rs::EUC_KR.decode_without_bom_handling(bytes);
    if had_errors {
        return Err(SourceError::UnknownEncoding {
            path: source.path.clone(),
        });
    }
    Ok((text.into_owned(), "euc-kr"))
}
