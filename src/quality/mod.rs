//! Quality: flags on every illegible or garbled passage, with the reason and the place, a
//! score per block, and summaries per page and per document.

use crate::analyze::Analyzer;
use crate::document::{Document, PageQuality};
use crate::model::Page;

/// Fills `quality` on every block and on the document. (The detectors of issue 5 replace this.)
pub fn assess(document: &mut Document, pages: &[Page], _analyzer: &Analyzer) {
    for block in &mut document.blocks {
        block.quality.score = 1.0;
    }
    document.quality.score = 1.0;
    document.quality.pages = pages
        .iter()
        .map(|p| PageQuality {
            page: p.number,
            text_layer: p.facts.text_layer,
            flags: p.facts.flags.iter().map(|f| f.kind.clone()).collect(),
            ..PageQuality::default()
        })
        .collect();
}
