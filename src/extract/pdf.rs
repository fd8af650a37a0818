//! The PDF path: positioned glyphs captured through pdf-extract's `OutputDev`, then layout
//! (words, lines, columns, reading order, furniture). Not built yet: see issue 3.

use super::{ExtractError, ExtractOptions};
use crate::model::ExtractedDocument;
use crate::source::SourceFile;

pub fn extract(
    source: &SourceFile,
    _options: &ExtractOptions,
) -> Result<ExtractedDocument, ExtractError> {
    Err(ExtractError::Pdf {
        path: source.path.display().to_string(),
        reason: "PDF extraction is not built yet".to_string(),
    })
}
