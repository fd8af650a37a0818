//! Quality: flags on every illegible or garbled passage, with the reason and the place, a
//! score per block, and summaries per page and per document.
//!
//! The detectors are pure functions over one text (a block's text, or one table cell) or over
//! a table's rows, each in its own module; `assess` runs them over a finished `Document` and
//! adds what only the whole document knows (page facts from the PDF stage, the document's own
//! morphological cost statistics, blocks repeated one after another).

pub mod chars;
pub mod charset;
pub mod facts;
pub mod hallucination;
pub mod jamo;
pub mod markers;
pub mod mojibake;
pub mod nonsense;
pub mod ocr;
pub mod repetition;
pub mod script;
pub mod spacing;
pub mod summary;
pub mod unmapped;

use rayon::prelude::*;

use crate::analyze::Analyzer;
use crate::document::{Block, Document, Flag, Severity};
use crate::model::Page;

/// Every flag kind the quality stage emits, with what it catches (the README table is built
/// from the same facts).
pub const KINDS: &[(&str, &str)] = &[
    (
        "illegible",
        "a marker the OCR/layout tool left for text it could not read",
    ),
    (
        "placeholder",
        "an extraction placeholder for an unmapped glyph: (cid:N), GLYPH<…>, /gidN",
    ),
    ("replacement_char", "U+FFFD: bytes lost in decoding"),
    ("control_char", "C0/C1 control characters inside text"),
    (
        "private_use",
        "private-use code points (symbol fonts, glyph ids)",
    ),
    ("unassigned", "unassigned code points and noncharacters"),
    (
        "rare_cjk",
        "CJK compatibility, Ext-A and Kangxi radical characters",
    ),
    (
        "unmapped_font",
        "text drawn with a font that has no usable Unicode mapping",
    ),
    ("mojibake", "text decoded with the wrong encoding"),
    (
        "foreign_script",
        "a foreign-script fragment inside Korean text",
    ),
    ("jamo", "isolated or stacked Hangul jamo"),
    (
        "nonsense",
        "syllable sequences that are not Korean, and table rows or cells whose syllable pairs the document never uses elsewhere and the dictionary reads only at a high cost (hallucinated OCR)",
    ),
    (
        "syllable_spacing",
        "OCR text with a space between every syllable",
    ),
    ("lost_spaces", "a long Hangul run whose spaces were lost"),
    (
        "repeated_line",
        "the same line, row or block repeated one after another",
    ),
    (
        "repeated_phrase",
        "a phrase repeated back to back inside a cell or sentence",
    ),
    (
        "uniform_table",
        "a table whose body is all zeros or all identical",
    ),
    (
        "ocr_junk",
        "junk-symbol runs in an invisible OCR text layer",
    ),
    (
        "ocr_misreading",
        "a word of an OCR text layer one confusable letter away from a likelier word (repair given)",
    ),
    ("no_text_layer", "a page with no text layer (scanned image)"),
    (
        "extraction_failed",
        "a page the PDF engine could not extract",
    ),
];

/// Makes a flag; the small helper every detector uses.
pub(crate) fn flag(
    kind: &str,
    start: usize,
    end: usize,
    severity: Severity,
    detail: impl Into<String>,
) -> Flag {
    Flag {
        kind: kind.to_string(),
        start,
        end,
        detail: detail.into(),
        severity,
        ..Flag::default()
    }
}

/// Runs every text detector that needs nothing but the text itself on `text` (a block's text,
/// or one table cell). Flags are sorted by position; a span claimed by a surer detector
/// (markers, characters, mojibake) is not flagged again by the weaker script and jamo rules.
///
/// The character-class detectors run only on texts that hold a character they look at
/// (`facts::TextFacts::plain`); on the rest they could flag nothing.
pub fn detect_text(text: &str) -> Vec<Flag> {
    let facts = facts::TextFacts::of(text);
    let mut flags = Vec::new();
    markers::detect_with(text, &facts, &mut flags);
    if !facts.plain {
        chars::detect(text, &mut flags);
        unmapped::detect(text, &mut flags);
        mojibake::detect(text, &mut flags);
    }
    let mut weak = Vec::new();
    if !facts.plain {
        script::detect(text, &mut weak);
        jamo::detect(text, &mut weak);
    }
    spacing::detect(text, &mut weak);
    repetition::detect_phrases(text, &mut weak);
    if !facts.plain {
        nonsense::detect_rare_syllables(text, &mut weak);
    }
    if !flags.is_empty() {
        weak.retain(|w| !flags.iter().any(|s| overlaps(s, w)));
    }
    flags.extend(weak);
    sort_flags(&mut flags);
    flags
}

/// Text detectors on every cell of a table, then the table-wide repetition rules.
pub fn detect_table(rows: &[Vec<String>], header_rows: usize) -> Vec<Flag> {
    let mut flags = Vec::new();
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            for mut f in detect_text(cell) {
                f.cell = Some([r, c]);
                flags.push(f);
            }
        }
    }
    repetition::detect_rows(rows, &mut flags);
    repetition::detect_uniform_table(rows, header_rows, &mut flags);
    flags
}

/// Builds every detector's tables now (regexes, character sets). Each builds on first use
/// anyway; the batch runner calls this on an idle worker when a run starts.
pub fn warm_up() {
    markers::rules();
    script::chinese_rules();
    chars::unassigned();
    charset::warm_up();
}

/// True when two flags on the same text (or cell) share at least one byte.
pub(crate) fn overlaps(a: &Flag, b: &Flag) -> bool {
    a.cell == b.cell && a.start < b.end.max(b.start + 1) && b.start < a.end.max(a.start + 1)
}

fn sort_flags(flags: &mut [Flag]) {
    flags.sort_by(|a, b| (a.cell, a.start, a.end, &a.kind).cmp(&(b.cell, b.start, b.end, &b.kind)));
}

/// The texts a block's detectors look at: the block text, or each cell of a table.
fn block_flags(block: &Block) -> Vec<Flag> {
    match &block.table {
        Some(table) if !table.rows.is_empty() => {
            let mut flags = detect_table(&table.rows, table.header_rows);
            flags.extend(letter_spacing_flags(table));
            flags
        }
        _ => detect_text(&block.text),
    }
}

/// An `info` flag on each cell whose letter-spaced label the structure stage joined: the
/// text differs from the source's there.
fn letter_spacing_flags(table: &crate::document::Table) -> impl Iterator<Item = Flag> + '_ {
    table.cells.iter().filter_map(|cell| {
        let spaced = cell.spaced_as.as_ref()?;
        let mut f = flag(
            "syllable_spacing",
            0,
            cell.text.len(),
            Severity::Info,
            format!("letter-spaced label `{spaced}` joined"),
        );
        f.cell = Some([cell.row, cell.col]);
        Some(f)
    })
}

/// Detectors that read the block's analysis (its tokens; computed here when the pipeline did
/// not), with table flags moved from the block text into their cells.
fn analyzed_flags(block: &Block, analyzer: &Analyzer, flags: &mut Vec<Flag>) {
    let computed;
    let tokens = if block.tokens.is_empty() {
        computed = analyzer.tokenize(&block.text).unwrap_or_default();
        &computed
    } else {
        &block.tokens
    };
    let mut found = Vec::new();
    spacing::detect_lost_spaces_by_tokens(&block.text, tokens, &mut found);
    let found: Vec<Flag> = match &block.table {
        Some(table) if !table.rows.is_empty() => found
            .into_iter()
            .filter_map(|f| into_cell(&table.rows, &block.text, f))
            .collect(),
        _ => found,
    };
    for f in found {
        if !flags.iter().any(|g| overlaps(g, &f)) {
            flags.push(f);
        }
    }
}

/// Moves a flag on a table block's text (rows joined by `\n`, cells by `\t`) into the cell
/// that holds its start; `None` when the text is not laid out that way.
fn into_cell(rows: &[Vec<String>], text: &str, mut flag: Flag) -> Option<Flag> {
    let mut offset = 0;
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            if text.get(offset..offset + cell.len()) != Some(cell.as_str()) {
                return None;
            }
            let end = offset + cell.len();
            if flag.start >= offset && flag.start <= end {
                flag.cell = Some([r, c]);
                flag.start -= offset;
                flag.end = flag.end.min(end) - offset;
                return Some(flag);
            }
            offset = end + 1;
        }
    }
    None
}

/// The OCR-layer plausibility checks on the blocks of pages whose text is an invisible OCR
/// layer (each text or cell alone; a span already flagged is not flagged again).
fn ocr_layer_flags(
    blocks: &[Block],
    pages: &[Page],
    analyzer: Option<&Analyzer>,
    per_block: &mut [Vec<Flag>],
) {
    let ocr_pages: Vec<u32> = pages
        .iter()
        .filter(|p| p.facts.ocr_layer.is_some())
        .map(|p| p.number)
        .collect();
    if ocr_pages.is_empty() {
        return;
    }
    for (block, flags) in blocks.iter().zip(per_block.iter_mut()) {
        if !block.page.is_some_and(|p| ocr_pages.contains(&p)) {
            continue;
        }
        for (cell, text) in nonsense::texts_of(block) {
            let mut found = Vec::new();
            ocr::detect_junk(text, &mut found);
            if let Some(analyzer) = analyzer {
                ocr::detect_misreadings(text, analyzer, &mut found);
            }
            for mut f in found {
                f.cell = cell;
                if !flags.iter().any(|g| overlaps(g, &f)) {
                    flags.push(f);
                }
            }
        }
    }
}

/// The text a flag's offsets point into: the cell it names, or the block text.
fn flag_source<'a>(block: &'a Block, flag: &Flag) -> &'a str {
    match (flag.cell, &block.table) {
        (Some([r, c]), Some(table)) => table
            .rows
            .get(r)
            .and_then(|row| row.get(c))
            .map_or("", String::as_str),
        _ => &block.text,
    }
}

/// Fills `quality` on every block and on the document.
pub fn assess(document: &mut Document, pages: &[Page], analyzer: &Analyzer) {
    assess_with(document, pages, Some(analyzer));
}

/// `assess`, with the analyzer optional: without it the cost-based nonsense detector is
/// skipped (every other detector works on the text alone).
pub fn assess_with(document: &mut Document, pages: &[Page], analyzer: Option<&Analyzer>) {
    let mut per_block: Vec<Vec<Flag>> = document.blocks.par_iter().map(block_flags).collect();
    unmapped::flag_blocks_on_unmapped_lines(&document.blocks, pages, &mut per_block);
    let blocks = &document.blocks;
    // The table-row check reads no flags: it runs beside the analysed checks, and its flags
    // are added after theirs and the repeated blocks', as if it ran last.
    let row_flags = match analyzer {
        Some(analyzer) => {
            let (_, found) = rayon::join(
                || {
                    blocks
                        .par_iter()
                        .zip(per_block.par_iter_mut())
                        .for_each(|(block, flags)| analyzed_flags(block, analyzer, flags));
                    nonsense::detect_costly_words(blocks, analyzer, &mut per_block);
                },
                || hallucination::row_flags(blocks, Some(analyzer)),
            );
            found
        }
        None => hallucination::row_flags(blocks, None),
    };
    repetition::detect_repeated_blocks(blocks, &mut per_block);
    hallucination::add_row_flags(row_flags, &mut per_block);
    ocr_layer_flags(&document.blocks, pages, analyzer, &mut per_block);
    for (block, mut flags) in document.blocks.iter_mut().zip(per_block) {
        sort_flags(&mut flags);
        flags.dedup();
        for f in &mut flags {
            f.locate(flag_source(block, f));
        }
        block.quality.score = summary::block_score(block, &flags);
        block.quality.flags = flags;
    }
    document.quality = summary::document_quality(&document.blocks, pages);
}

/// Test support shared by the detector modules: what a detector flags in a text.
#[cfg(test)]
pub(crate) fn flagged(detect: fn(&str, &mut Vec<Flag>), text: &str) -> Vec<(String, String)> {
    let mut flags = Vec::new();
    detect(text, &mut flags);
    flags
        .into_iter()
        .map(|f| (f.kind, text[f.start..f.end].to_string()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_sample_line_has_no_flags() {
        let line =
            "사회적경제는 지역사회와 밀접되어 있고, 지역사회 안의 문제와 욕구에 기반한 정책사업";
        assert_eq!(detect_text(line), Vec::new());
    }

    #[test]
    fn surer_flags_suppress_weaker_ones_on_the_same_span() {
        // `ì•ˆë…•` is UTF-8 read as CP1252: mojibake, not a Latin word with diacritics.
        let flags = detect_text("인사말 ì•ˆë…•í•˜ì„¸ìš” 입니다");
        assert!(flags.iter().any(|f| f.kind == "mojibake"), "{flags:?}");
        assert!(
            !flags.iter().any(|f| f.kind == "foreign_script"),
            "{flags:?}"
        );
    }
}
