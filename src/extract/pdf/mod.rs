//! The PDF path: open and decrypt the file, capture every page's glyphs and rulings through
//! pdf-extract's `OutputDev` (each page isolated from panics, pages in parallel), then layout:
//! rows and words, tables from rulings, columns and reading order, furniture, paragraphs and
//! page facts. The result is `model::Page`s whose lines are in reading order.

pub mod aligned;
pub mod annotations;
pub mod capture;
pub mod columns;
pub mod facts;
pub mod fills;
pub mod furniture;
pub mod glyphs;
pub mod header_rows;
pub mod isolate;
pub mod load;
pub mod page_fonts;
pub mod paragraphs;
pub mod recover;
pub mod rows;
pub mod shown_codes;
pub mod tables;
pub mod to_unicode;
pub mod words;

use rayon::prelude::*;

use super::fonts::{FontMapping, FontReport};
use super::{ExtractError, ExtractOptions};
use crate::model::{ExtractedDocument, Format, Line, Page, Rule};
use crate::source::SourceFile;
use capture::{Capture, Glyph, RawPage};
use columns::Unit;
use load::PageSetup;
use paragraphs::LineEvidence;
use words::Context;

pub use load::PdfOpenError;

/// Extracts every page of a PDF source.
pub fn extract(
    source: &SourceFile,
    options: &ExtractOptions,
) -> Result<ExtractedDocument, ExtractError> {
    extract_bytes(&source.bytes, options).map_err(|source_error| ExtractError::PdfOpen {
        path: source.path.display().to_string(),
        source: source_error,
    })
}

/// Extracts every page of the PDF in `bytes`. Only a file that cannot be opened at all is an
/// error; a page that fails is flagged and the others are kept.
pub fn extract_bytes(
    bytes: &[u8],
    options: &ExtractOptions,
) -> Result<ExtractedDocument, PdfOpenError> {
    let load::Opened { mut doc, recovery } =
        load::open_recovering(bytes, options.password.as_deref())?;
    let setups = load::page_setups(&doc);
    // Font preparation may itself trip over a broken font: isolate it like a page.
    let mut maps = super::fonts::ToUnicodeMaps::default();
    let report = isolate::run_isolated(|| {
        super::fonts::prepare_with_maps(&mut doc, &Default::default(), &mut maps)
    })
    .unwrap_or_default();
    load::neutralise_for_capture(&mut doc);
    let unicode = to_unicode::accelerate_with(&mut doc, &mut maps);
    let split = if options.whole_fonts_per_page {
        page_fonts::Split::default()
    } else {
        page_fonts::split(&mut doc, &setups, &unicode)
    };
    load::expand_width_ranges(&mut doc, &split.copied_only);
    let doc = &doc;
    options.tell(super::PageEvent::Opened {
        pages: setups.len() as u32,
    });
    let laid_out: Vec<PageLayout> = setups
        .par_iter()
        .map(|setup| {
            let layout = lay_out_page(doc, setup, &report, &unicode);
            options.tell(super::PageEvent::Extracted { pages: 1 });
            layout
        })
        .collect();
    let mut extracted = assemble(laid_out);
    // Form field values and FreeText notes: lines of their own after each page's lines.
    for (page, setup) in extracted.pages.iter_mut().zip(&setups) {
        let lines = isolate::run_isolated(|| {
            annotations::annotation_lines(doc, setup.id, setup.number, setup.rotate)
        });
        page.lines.extend(lines.unwrap_or_default());
    }
    if let Some(recovery) = recovery {
        // A rebuilt table that leads to pages with nothing on them recovered nothing.
        let nothing = extracted
            .pages
            .iter()
            .all(|p| !p.facts.text_layer && p.facts.images == 0);
        if nothing {
            return Err(PdfOpenError::Damaged(format!(
                "{}, but no page's content survived",
                recovery.note()
            )));
        }
        // Every page was read through the rebuilt table: each says so.
        for page in &mut extracted.pages {
            page.facts.flags.push(crate::model::PageFlag {
                kind: "xref_rebuilt".into(),
                detail: recovery.note(),
            });
        }
    }
    Ok(extracted)
}

/// One page after layout, before the document-wide passes.
struct PageLayout {
    page: Page,
    evidence: Vec<LineEvidence>,
}

/// Captures one page, isolated from panics.
fn capture_page(
    doc: &lopdf::Document,
    setup: &PageSetup,
    unicode: &to_unicode::UnicodeTable,
) -> (RawPage, Option<String>) {
    let mut capture = Capture::new(setup.rotate, unicode);
    let outcome =
        isolate::run_isolated(|| pdf_extract::output_doc_page(doc, &mut capture, setup.number));
    let failure = match outcome {
        Ok(Ok(())) => None,
        Ok(Err(error)) => Some(format!("the page could not be read: {error}")),
        Err(panic) => Some(format!("the PDF reader failed on this page: {panic}")),
    };
    (capture.page, failure)
}

/// Names of the page's fonts that have no usable Unicode mapping.
fn unmapped_font_names(setup: &PageSetup, report: &FontReport) -> String {
    let names: Vec<&str> = setup
        .fonts
        .iter()
        .filter_map(|id| report.fonts.get(id))
        .filter(|f| matches!(f.mapping, FontMapping::Unmapped(_)))
        .map(|f| f.name.as_str())
        .collect();
    if names.is_empty() {
        "unknown".to_string()
    } else {
        names.join(", ")
    }
}

fn lay_out_page(
    doc: &lopdf::Document,
    setup: &PageSetup,
    report: &FontReport,
    unicode: &to_unicode::UnicodeTable,
) -> PageLayout {
    let (raw, failure) = capture_page(doc, setup, unicode);
    let font_names = unmapped_font_names(setup, report);
    // Rulings are what a table needs; only then are the cells' fills looked for.
    let content = (!raw.glyphs.is_empty() || !raw.segments.is_empty())
        .then(|| doc.get_page_content(setup.id).ok())
        .flatten();
    let ocr_layer = (!raw.glyphs.is_empty())
        .then(|| {
            let names = setup
                .fonts
                .iter()
                .filter_map(|id| report.fonts.get(id))
                .map(|f| f.name.as_str());
            facts::ocr_layer_evidence(names, content.as_deref())
        })
        .flatten();
    let outcome = isolate::run_isolated(|| {
        let fills = match (&content, &raw.display) {
            (Some(content), Some(display)) if !raw.segments.is_empty() => {
                fills::scan(content, display)
            }
            _ => Vec::new(),
        };
        lay_out(
            raw,
            &fills,
            setup,
            &font_names,
            failure.clone(),
            ocr_layer.clone(),
        )
    });
    outcome.unwrap_or_else(|panic| {
        let mut page = Page {
            number: setup.number,
            ..Page::default()
        };
        page.facts.flags.push(crate::model::PageFlag {
            kind: "extraction_failed".into(),
            detail: format!("layout analysis failed on this page: {panic}"),
        });
        PageLayout {
            page,
            evidence: Vec::new(),
        }
    })
}

/// Layout of one captured page.
fn lay_out(
    mut raw: RawPage,
    fills: &[fills::Fill],
    setup: &PageSetup,
    font_names: &str,
    failure: Option<String>,
    ocr_layer: Option<String>,
) -> PageLayout {
    glyphs::clean(&mut raw.glyphs);
    let drawn = facts::Drawn {
        images: setup.images,
        drawings: raw.segments.len(),
        ocr_layer,
    };
    let mut glyphs = std::mem::take(&mut raw.glyphs);
    let mut tables = tables::extract_tables(&raw.segments, &mut glyphs);
    tables.extend(aligned::extract_aligned(&raw.segments, &mut glyphs));
    let all: Vec<&Glyph> = glyphs
        .iter()
        .chain(
            tables
                .iter()
                .flat_map(|t| t.cells.iter().flat_map(|c| &c.glyphs)),
        )
        .collect();
    let facts = facts::page_facts(&all, failure.as_deref(), drawn);
    let fragments = rows::fragments(glyphs, &raw.segments);
    let placed = columns::reading_order(&fragments, &tables);

    let mut lines = Vec::new();
    let mut evidence = Vec::new();
    let mut typed = Vec::new();
    for p in &placed {
        match &p.unit {
            Unit::Line(indices) => {
                let glyphs: Vec<Glyph> = indices
                    .iter()
                    .flat_map(|&i| fragments[i].glyphs.iter().cloned())
                    .collect();
                let Some(main) = indices
                    .iter()
                    .map(|&i| &fragments[i])
                    .max_by_key(|f| f.glyphs.len())
                else {
                    continue;
                };
                let size = rows::dominant_size(&glyphs);
                let composed =
                    words::compose(&glyphs, size, main.baseline, Context::Body, font_names);
                if composed.text.is_empty() {
                    continue;
                }
                let frags = indices.iter().map(|&i| &fragments[i]);
                let bbox = frags.fold(
                    [
                        f32::INFINITY,
                        f32::INFINITY,
                        f32::NEG_INFINITY,
                        f32::NEG_INFINITY,
                    ],
                    |b, f| {
                        [
                            b[0].min(f.x0),
                            b[1].min(f.top),
                            b[2].max(f.x1),
                            b[3].max(f.bottom),
                        ]
                    },
                );
                lines.push(Line {
                    text: composed.text,
                    page: setup.number,
                    bbox: Some(bbox),
                    font_size: Some(size),
                    column: p.column,
                    spans: composed.spans,
                    ..Line::default()
                });
                evidence.push(LineEvidence {
                    block: p.block,
                    ends_with_space_glyph: composed.ends_with_space_glyph,
                    natural_width: composed.natural_width,
                    first_word_width: composed.first_word_width,
                });
            }
            Unit::Table(t) => {
                let table = &tables[*t];
                lines.push(Line {
                    page: setup.number,
                    bbox: Some(table.bbox),
                    column: p.column,
                    table: Some(typed.len() as u32),
                    ..Line::default()
                });
                evidence.push(LineEvidence {
                    block: p.block,
                    ends_with_space_glyph: false,
                    natural_width: 0.0,
                    first_word_width: 0.0,
                });
                typed.push(typed_table(table, fills, setup.number, font_names));
            }
        }
    }
    let page = Page {
        number: setup.number,
        width: raw.width,
        height: raw.height,
        lines,
        rules: raw
            .segments
            .iter()
            .map(|s| Rule {
                bbox: [s.x0, s.y0, s.x1, s.y1],
            })
            .collect(),
        tables: typed,
        facts,
        ..Page::default()
    };
    PageLayout { page, evidence }
}

/// A ruled table as a typed table: each cell's text rows composed as lines of their own (the
/// structure stage joins them with the paragraph word-join rules); header rows when the cells'
/// shading shows them, else left to the structure stage.
fn typed_table(
    table: &tables::RuledTable,
    fills: &[fills::Fill],
    page: u32,
    font_names: &str,
) -> crate::model::Table {
    let header_rows = header_rows::shaded_header_rows(table, fills);
    let cells = table
        .cells
        .iter()
        .map(|cell| crate::model::Cell {
            row: cell.row as u32,
            col: cell.col as u32,
            row_span: cell.row_span as u32,
            col_span: cell.col_span as u32,
            lines: cell_lines(&cell.glyphs, page, font_names),
            bbox: Some(cell.bbox),
            page,
            header: header_rows.is_some_and(|n| (cell.row as u32) < n),
        })
        .collect();
    crate::model::Table {
        page,
        bbox: Some(table.bbox),
        rows: table.rows as u32,
        cols: table.cols as u32,
        cells,
        header_rows,
        origin: table.origin,
    }
}

/// A cell's glyphs as lines, top to bottom.
fn cell_lines(glyphs: &[Glyph], page: u32, font_names: &str) -> Vec<Line> {
    rows::text_rows(glyphs.to_vec())
        .into_iter()
        .filter_map(|row| {
            let size = rows::dominant_size(&row);
            let fragment = rows::Fragment::new(row);
            let composed = words::compose(
                &fragment.glyphs,
                size,
                fragment.baseline,
                Context::TableCell,
                font_names,
            );
            (!composed.text.is_empty()).then(|| Line {
                text: composed.text.replace('\t', " "),
                page,
                bbox: Some([fragment.x0, fragment.top, fragment.x1, fragment.bottom]),
                font_size: Some(size),
                spans: composed.spans,
                ..Line::default()
            })
        })
        .collect()
}

/// The document-wide passes: table ids, furniture, paragraphs.
fn assemble(laid_out: Vec<PageLayout>) -> ExtractedDocument {
    let mut pages: Vec<(Page, Vec<LineEvidence>)> =
        laid_out.into_iter().map(|l| (l.page, l.evidence)).collect();
    {
        let mut refs: Vec<(&mut Vec<Line>, f32)> = pages
            .iter_mut()
            .map(|(p, _)| (&mut p.lines, p.height))
            .collect();
        furniture::mark(&mut refs);
    }
    let mut with_evidence: Vec<(Vec<Line>, Vec<LineEvidence>)> = pages
        .iter_mut()
        .map(|(p, e)| (std::mem::take(&mut p.lines), std::mem::take(e)))
        .collect();
    let wrap_habit = paragraphs::mark(&mut with_evidence);
    for ((page, _), (lines, _)) in pages.iter_mut().zip(with_evidence) {
        page.lines = lines;
        page.wrap_habit = wrap_habit;
    }
    ExtractedDocument {
        format: Format::Pdf,
        pages: pages.into_iter().map(|(p, _)| p).collect(),
    }
}
