//! HWP input: HWP 5.0 compound files and HWPX zips become `model` pages with one line per
//! paragraph, source hints (outline level, style, generated list marker, notes, captions,
//! figures, equations, location), running header/footer lines and typed tables. Detection is by
//! content: a file named `.hwpx` that is HWP 5.0 inside reads as HWP 5.0.

pub mod detect;
pub mod doc;
pub mod hwp5;
pub mod hwpx;
pub mod numbering;
pub mod to_model;

use std::path::Path;

use thiserror::Error;

use crate::model::{ExtractedDocument, Format};
use detect::Container;

/// Why an HWP/HWPX file cannot be read. Each message is one line that says what to do.
#[derive(Debug, Error)]
pub enum HwpError {
    #[error("HWP 3.x document ({version}): only HWP 5.0 and HWPX are read; save it as HWP 5.0 or HWPX in Hancom Office")]
    Hwp3 { version: String },
    #[error("password-encrypted HWP document: it cannot be read without its password")]
    Encrypted,
    #[error("DRM-protected HWP document: it cannot be read")]
    Drm,
    #[error("damaged HWP/HWPX file: {0}")]
    Damaged(String),
    #[error("{what} is larger than the cap of {cap} bytes once decompressed (a zip bomb or an oversized entry)")]
    TooLarge { what: String, cap: u64 },
    #[error("not an HWP document: {0}")]
    NotHwp(String),
}

/// Decompressed-size caps: per stream or zip entry, and per document.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_stream_bytes: u64,
    pub max_total_bytes: u64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_stream_bytes: 128 << 20,
            max_total_bytes: 512 << 20,
        }
    }
}

/// Reads an HWP 5.0 or HWPX file (by content, whatever `path`'s extension says).
pub fn read(bytes: &[u8], path: &Path) -> Result<ExtractedDocument, HwpError> {
    read_with_limits(bytes, path, &Limits::default())
}

/// [`read`] with explicit decompressed-size caps.
pub fn read_with_limits(
    bytes: &[u8],
    _path: &Path,
    limits: &Limits,
) -> Result<ExtractedDocument, HwpError> {
    let (document, format) = match detect::detect(bytes) {
        Some(Container::Hwp5) => (hwp5::read(bytes, limits)?, Format::Hwp),
        Some(Container::Hwpx) => (hwpx::read(bytes, limits)?, Format::Hwpx),
        Some(Container::Hwp3 { version }) => return Err(HwpError::Hwp3 { version }),
        None => {
            return Err(HwpError::NotHwp(
                "neither an HWP 5.0 compound file, an HWPX zip nor HWP 3.x".into(),
            ))
        }
    };
    Ok(to_model::to_model(&document, format))
}

#[cfg(test)]
mod tests;
