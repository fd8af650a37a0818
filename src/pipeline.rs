//! One document through every stage: source → extract → normalize → structure → analyze →
//! quality. Returns the finished `Document`; writing it is `emit`'s job.

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use rayon::prelude::*;
use thiserror::Error;

use crate::analyze::{AnalyzeError, Analyzer, LazyAnalyzer};
use crate::document::{Document, DocumentQuality, PageSize, SourceInfo, SCHEMA_ID};
use crate::extract::{ExtractError, ExtractOptions};
use crate::model::{Format, Line, Page, SpanKind};
use crate::source::{SourceError, SourceFile};

#[derive(Debug, Error)]
pub enum PipelineError {
    #[error(transparent)]
    Source(#[from] SourceError),
    #[error(transparent)]
    Extract(#[from] ExtractError),
    #[error("{path}: {source}")]
    Analyze { path: String, source: AnalyzeError },
    /// The run's dictionary could not be loaded (the document itself was not at fault).
    #[error("{path}: {reason}")]
    Dictionary { path: String, reason: String },
}

#[derive(Debug, Clone, Default)]
pub struct PipelineOptions {
    pub extract: ExtractOptions,
    /// Leave `quality` empty (the cost benchmark compares runs with and without it).
    pub skip_quality: bool,
}

/// Loads the dictionary and compiles every stage's rule tables (some 80 regexes, ~7 ms) now
/// instead of on first use, in the order a document needs them. The batch runner calls it on
/// an idle worker as a run starts, so a one-document run does not wait for them in its
/// critical path: its extraction needs neither the dictionary nor most of the rules.
pub fn warm_up(analyzer: &LazyAnalyzer) {
    crate::extract::pdf::furniture::warm_up();
    // A failed load is reported by the documents that need the analyzer.
    let _ = analyzer.get();
    crate::structure::rules::warm_up();
    crate::quality::warm_up();
}

/// Runs every stage on the file at `path`.
pub fn process_file(
    path: &Path,
    options: &PipelineOptions,
    analyzer: &Analyzer,
) -> Result<Document, PipelineError> {
    let source = crate::source::read(path)?;
    process_source(&source, options, analyzer)
}

/// Runs every stage but reading on a source already in memory (the batch runner reads and
/// hashes inputs itself to decide whether they need processing at all).
pub fn process_source(
    source: &SourceFile,
    options: &PipelineOptions,
    analyzer: &Analyzer,
) -> Result<Document, PipelineError> {
    process_source_with(source, options, || Ok(analyzer))
}

/// As [`process_source`], with an analyzer that may still be loading: extraction (which needs
/// no dictionary) runs first, and only then does the document wait for it.
pub fn process_source_lazily(
    source: &SourceFile,
    options: &PipelineOptions,
    analyzer: &LazyAnalyzer,
) -> Result<Document, PipelineError> {
    process_source_with(source, options, || {
        analyzer.get().map_err(|e| PipelineError::Dictionary {
            path: source.path.display().to_string(),
            reason: e.to_string(),
        })
    })
}

fn process_source_with<'a>(
    source: &SourceFile,
    options: &PipelineOptions,
    analyzer: impl FnOnce() -> Result<&'a Analyzer, PipelineError>,
) -> Result<Document, PipelineError> {
    let path = source.path.as_path();
    let (mut extracted, encoding) = crate::extract::extract(source, &options.extract)?;
    // The structure rules: compiled by the run's warm-up, which this document helps finish.
    crate::structure::rules::help_warm_up();
    let analyzer = analyzer()?;
    crate::normalize::normalize(&mut extracted.pages);
    let structure = crate::structure::build(&extracted.pages, analyzer);
    keep_what_quality_reads(&mut extracted.pages);
    let mut document = Document {
        schema: SCHEMA_ID.to_string(),
        source: SourceInfo {
            path: path.display().to_string(),
            sha256: source.sha256.clone(),
            format: source.format,
            pages: extracted.pages.len() as u32,
            encoding: encoding.map(str::to_string),
        },
        pages: page_sizes(&extracted.pages),
        title: structure.title,
        toc: structure.toc,
        sections: structure.sections,
        blocks: structure.blocks,
        colophon: structure.colophon,
        program: structure.program,
        quality: DocumentQuality::default(),
    };
    // Blocks are independent: tokenized in parallel (on the caller's pool: the batch runner's
    // workers, so `--jobs` still bounds the cores used).
    let pages = if source.format == Format::Pdf {
        // Reported page by page as they were extracted.
        None
    } else {
        Some(PagesByText::new(&document.blocks, extracted.pages.len()))
    };
    document
        .blocks
        .par_iter_mut()
        .try_for_each(|block| {
            block.tokens = analyzer.tokenize(&block.text)?;
            if let Some(pages) = &pages {
                pages.analysed(block.text.len(), &options.extract);
            }
            Ok(())
        })
        .map_err(|source| PipelineError::Analyze {
            path: path.display().to_string(),
            source,
        })?;
    if !options.skip_quality {
        crate::quality::assess(&mut document, &extracted.pages, analyzer);
    }
    let hwp = matches!(source.format, Format::Hwp | Format::Hwpx);
    if hwp && extracted.pages.len() == 1 {
        // An HWP file without explicit page breaks says nothing of pages: no block claims one
        // (its place in the file is `location`).
        for block in &mut document.blocks {
            block.page = None;
        }
        clear_section_pages(&mut document.sections);
    }
    Ok(document)
}

/// Once the structure is built, the quality stage reads the pages only for their numbers and
/// facts and for the lines carrying spans of unmapped fonts (`quality::unmapped`, in table
/// cells too): the other lines, tables and rules go, so a long text is not held twice (once
/// in lines, once in blocks) while it is analysed and assessed.
fn keep_what_quality_reads(pages: &mut [Page]) {
    let read = |line: &Line| {
        line.spans
            .iter()
            .any(|span| matches!(span.kind, SpanKind::UnmappedFont { .. }))
    };
    for page in pages {
        page.lines.retain(read);
        page.lines.shrink_to_fit();
        page.tables
            .retain(|table| table.cells.iter().any(|cell| cell.lines.iter().any(read)));
        page.tables.shrink_to_fit();
        page.rules = Vec::new();
    }
}

/// The progress of a document read whole at once (text, Markdown, HWP), whose time goes into
/// analysing its text: a page counts as done when its share of the text is, as the blocks are
/// tokenized (in any order).
struct PagesByText {
    pages: u64,
    bytes: u64,
    analysed: AtomicU64,
    told: AtomicU64,
}

impl PagesByText {
    fn new(blocks: &[crate::document::Block], pages: usize) -> PagesByText {
        PagesByText {
            pages: pages as u64,
            bytes: blocks
                .iter()
                .map(|b| b.text.len() as u64)
                .sum::<u64>()
                .max(1),
            analysed: AtomicU64::new(0),
            told: AtomicU64::new(0),
        }
    }

    /// `bytes` more of the text are analysed: tells `options`' observer of the pages that
    /// completes.
    fn analysed(&self, bytes: usize, options: &ExtractOptions) {
        let done = self.analysed.fetch_add(bytes as u64, Ordering::Relaxed) + bytes as u64;
        let due = (u128::from(done) * u128::from(self.pages) / u128::from(self.bytes)) as u64;
        let before = self.told.fetch_max(due, Ordering::Relaxed);
        if due > before {
            let pages = u32::try_from(due - before).unwrap_or(u32::MAX);
            options.tell(crate::extract::PageEvent::Extracted { pages });
        }
    }
}

/// The pages' boxes for the JSON; none on the text path, whose pages have no size.
fn page_sizes(pages: &[crate::model::Page]) -> Vec<PageSize> {
    pages
        .iter()
        .filter(|p| p.width > 0.0 && p.height > 0.0)
        .map(|p| PageSize {
            page: p.number,
            width: p.width,
            height: p.height,
        })
        .collect()
}

/// Removes the page of every section of the tree.
fn clear_section_pages(sections: &mut [crate::document::Section]) {
    for section in sections {
        section.page = None;
        clear_section_pages(&mut section.children);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::document::{Block, BlockType};
    use crate::extract::{PageEvent, PageObserver};
    use std::sync::{Arc, Mutex};

    #[test]
    fn only_the_lines_quality_reads_stay_after_the_structure() {
        // Sample booklet line 1 and a line whose glyphs had no Unicode mapping.
        let plain = Line {
            text: "2020년 서울시 사회적경제 생태계 구축 성과 포럼 자료집".into(),
            page: 1,
            ..Line::default()
        };
        let unmapped = Line {
            text: "사회적경제".into(),
            page: 1,
            spans: vec![crate::model::LineSpan {
                start: 0,
                end: 15,
                kind: SpanKind::UnmappedFont { font: "F1".into() },
            }],
            ..Line::default()
        };
        let mut pages = vec![Page {
            number: 1,
            lines: vec![plain, unmapped.clone()],
            ..Page::default()
        }];
        keep_what_quality_reads(&mut pages);
        assert_eq!(pages[0].lines, vec![unmapped]);
        assert_eq!(pages[0].number, 1);
    }
    #[test]
    fn text_pages_are_reported_as_their_share_of_the_text_is_analysed() {
        // Lines of the sample booklet, as blocks of a three-page text.
        let texts = [
            "2020년 서울시 사회적경제 생태계 구축 성과 포럼",
            "사회적경제 생태계 구축 성과",
            "■ 성과1. 24개 자치구 사회적경제 생태계 기반 조성",
            "마을, 자치, 사회적경제가 만나다",
        ];
        let blocks: Vec<Block> = texts
            .iter()
            .enumerate()
            .map(|(i, t)| Block::new(format!("b{i}"), BlockType::Paragraph, *t))
            .collect();
        let told = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&told);
        let options = ExtractOptions {
            observer: Some(PageObserver::new(move |e| seen.lock().unwrap().push(e))),
            ..ExtractOptions::default()
        };
        let pages = PagesByText::new(&blocks, 3);
        // In any order, as the threads finish them.
        for block in blocks.iter().rev() {
            pages.analysed(block.text.len(), &options);
        }
        let told = told.lock().unwrap();
        let total: u32 = told
            .iter()
            .map(|e| match e {
                PageEvent::Extracted { pages } => *pages,
                PageEvent::Opened { .. } => 0,
            })
            .sum();
        assert_eq!(total, 3, "{told:?}");
        // Not all at once: the first blocks done completed some pages before the last.
        assert!(told.len() >= 2, "{told:?}");
    }
}
