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

use std::sync::Arc;

use serde::{Deserialize, Serialize};
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
    /// Told of the extraction's progress page by page (the batch's progress display).
    pub observer: Option<PageObserver>,
}

/// What extraction has got to: the document opened with this many pages, or this many more
/// pages extracted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PageEvent {
    Opened { pages: u32 },
    Extracted { pages: u32 },
}

/// A callback for [`PageEvent`]s, called from the extraction's threads as pages are done.
#[derive(Clone)]
pub struct PageObserver(pub Arc<dyn Fn(PageEvent) + Send + Sync>);

impl PageObserver {
    pub fn new(f: impl Fn(PageEvent) + Send + Sync + 'static) -> PageObserver {
        PageObserver(Arc::new(f))
    }
}

impl std::fmt::Debug for PageObserver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PageObserver")
    }
}

impl ExtractOptions {
    /// Tells the observer, if any, of `event`.
    pub fn tell(&self, event: PageEvent) {
        if let Some(observer) = &self.observer {
            (observer.0)(event);
        }
    }
}

/// Runs the right extractor for the source's format.
pub fn extract(
    source: &SourceFile,
    options: &ExtractOptions,
) -> Result<(ExtractedDocument, Option<&'static str>), ExtractError> {
    let extracted = extract_any(source, options)?;
    if source.format != Format::Pdf {
        // Read whole at once: the pipeline reports these pages as their text is analysed,
        // which is where their time goes. (The PDF path reports its pages one by one.)
        let pages = extracted.0.pages.len() as u32;
        options.tell(PageEvent::Opened { pages });
    }
    Ok(extracted)
}

fn extract_any(
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
