//! Extraction: a source file becomes pages of positioned lines (`model::Page`). PDF input goes
//! through glyph capture and layout analysis; text input keeps its source line numbers.

pub mod delimited;
pub mod fonts;
pub mod html;
pub mod hwp;
pub mod listing;
pub mod markdown;
pub mod pdf;
pub mod text;

use thiserror::Error;

use crate::model::{ExtractedDocument, Format};
use crate::source::{SourceError, SourceFile};

#[derive(Debug, Error)]
pub enum ExtractError {
    #[error(transparent)]
    Source(#[from] SourceError),
    #[error("{path}: {reason}")]
    Pdf { path: String, reason: String },
    /// The PDF cannot be opened at all (encrypted without the password, damaged, not a PDF…).
    #[error("{path}: {source}")]
    PdfOpen {
        path: String,
        source: pdf::PdfOpenError,
    },
    /// The HWP/HWPX file cannot be read (encrypted, damaged, HWP 3.x, over a size cap…).
    #[error("{path}: {source}")]
    Hwp { path: String, source: hwp::HwpError },
}

/// Options that change what extraction produces.
#[derive(Debug, Clone, Default)]
pub struct ExtractOptions {
    /// Password for encrypted PDFs.
    pub password: Option<String>,
    /// Hand pdf-extract each font's whole map on every page instead of per-page copies
    /// (`pdf::page_fonts`): slower, same text. For the test that checks the sameness.
    pub whole_fonts_per_page: bool,
}

/// Runs the right extractor for the source's format.
pub fn extract(
    source: &SourceFile,
    options: &ExtractOptions,
) -> Result<(ExtractedDocument, Option<&'static str>), ExtractError> {
    match source.format {
        Format::Pdf => Ok((pdf::extract(source, options)?, None)),
        Format::Hwp | Format::Hwpx => {
            let document =
                hwp::read(&source.bytes, &source.path).map_err(|error| ExtractError::Hwp {
                    path: source.path.display().to_string(),
                    source: error,
                })?;
            Ok((document, None))
        }
        Format::Text => {
            let (text, encoding) = crate::source::decode_text(source)?;
            Ok((text::extract(&text), Some(encoding)))
        }
        Format::Markdown => {
            let (text, encoding) = crate::source::decode_text(source)?;
            Ok((markdown::extract(&text), Some(encoding)))
        }
        Format::Html => {
            let (text, encoding) = crate::source::decode_text(source)?;
            Ok((html::extract(&text), Some(encoding)))
        }
    }
}
