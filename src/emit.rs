//! Writing results: `<name>.json` (the jaryo/1 contract), `<name>.blocks.jsonl` (one block per
//! line for a search engine's bulk import), `<name>/tables/<n>.csv`, `<name>.md` (Markdown),
//! `<name>.chunks.jsonl` (retrieval chunks), on request `<name>.bulk.ndjson` (a `_bulk` body)
//! and `<name>.audit.html` (the visual audit page), and the JSON Schema.
//! Every file is written atomically (a temporary file in the same directory, then a rename),
//! so a killed run never leaves a half-written file; the same document gives the same bytes.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use serde::Serialize;
use thiserror::Error;

use crate::document::{Block, BlockType, Document, Flag, Section, Table, TableCell, Token};
use crate::model::BBox;
use crate::source::io_reason;

pub mod audit;
pub mod bulk;
pub mod chunks;
pub mod markdown;

/// Which outputs beyond the default ones to write, and how.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct EmitOptions {
    /// The size bound of `<name>.chunks.jsonl`'s chunks, in characters.
    pub chunk_chars: usize,
    /// Write `<name>.bulk.ndjson`.
    pub bulk: bool,
    /// Write `<name>.audit.html`.
    pub audit: bool,
}

impl Default for EmitOptions {
    fn default() -> Self {
        EmitOptions {
            chunk_chars: chunks::DEFAULT_CHUNK_CHARS,
            bulk: false,
            audit: false,
        }
    }
}

impl EmitOptions {
    /// The outputs these options make (`md,chunks=1000,bulk,audit`). The batch runner redoes
    /// outputs made with other options, or before the Markdown and the chunks existed.
    pub fn fingerprint(&self) -> String {
        let mut parts = vec!["md".to_string(), format!("chunks={}", self.chunk_chars)];
        if self.bulk {
            parts.push("bulk".to_string());
        }
        if self.audit {
            parts.push("audit".to_string());
        }
        parts.join(",")
    }
}

#[derive(Debug, Error)]
pub enum EmitError {
    #[error("cannot write {path}: {reason}", reason = io_reason(source))]
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

/// Temporary files end with this; any left by a killed run are removed by the next run.
pub const TEMP_SUFFIX: &str = ".jaryo-tmp";

/// Distinguishes temporary files of concurrent writers within one process.
static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// True for a file name `write_atomic` uses for its temporary files.
pub fn is_temp_name(name: &str) -> bool {
    name.starts_with('.') && name.ends_with(TEMP_SUFFIX)
}

/// Writes `bytes` to `path` through a temporary file in the same directory and a rename, so
/// readers, and a run killed half-way, see either the old file or the whole new one. Not
/// fsynced: an fsync per file cost 6 % of a run on the sample booklet (72 of them, one per
/// table), and a killed process loses nothing the kernel already has. After an OS crash or a
/// power loss, rerun with `--force`.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), EmitError> {
    write_via_temp(path, bytes, false)
}

/// `write_atomic`, and on disk with its directory entry before it returns: for the manifest,
/// the record of which outputs are done.
pub fn write_durable(path: &Path, bytes: &[u8]) -> Result<(), EmitError> {
    write_via_temp(path, bytes, true)
}

fn write_via_temp(path: &Path, bytes: &[u8], durable: bool) -> Result<(), EmitError> {
    stage(path, bytes, durable)?.commit(durable)
}

/// A file written in full under a temporary name in its directory, not yet in place. Dropped
/// without [`Staged::commit`] (another output failed), the temporary file is removed.
struct Staged {
    tmp: PathBuf,
    path: PathBuf,
    parent: PathBuf,
}

/// Writes `bytes` to a temporary file beside `path` (synced when `durable`).
fn stage(path: &Path, bytes: &[u8], durable: bool) -> Result<Staged, EmitError> {
    let err = |source| EmitError::Write {
        path: path.to_path_buf(),
        source,
    };
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent).map_err(err)?;
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let staged = Staged {
        tmp: parent.join(format!(
            ".{file_name}.{}-{}{TEMP_SUFFIX}",
            std::process::id(),
            TEMP_COUNTER.fetch_add(1, Ordering::Relaxed)
        )),
        path: path.to_path_buf(),
        parent,
    };
    let written = (|| {
        let mut file = std::fs::File::create(&staged.tmp)?;
        file.write_all(bytes)?;
        if durable {
            file.sync_all()?;
        }
        Ok(())
    })();
    // On an error, dropping `staged` removes what was written.
    written.map_err(err)?;
    Ok(staged)
}

impl Staged {
    /// Renames the file into place (and syncs its directory when `durable`).
    fn commit(self, durable: bool) -> Result<(), EmitError> {
        std::fs::rename(&self.tmp, &self.path).map_err(|source| EmitError::Write {
            path: self.path.clone(),
            source,
        })?;
        if durable {
            sync_dir(&self.parent);
        }
        // In place now: nothing for `drop` to remove.
        std::mem::forget(self);
        Ok(())
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.tmp);
    }
}

/// Makes a rename durable. Best effort: not every platform can open a directory.
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(handle) = std::fs::File::open(dir) {
        let _ = handle.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

/// Removes temporary files a killed run left under `dir` (recursively). Returns how many.
/// Call only while no other writer works in `dir` (the batch runner holds a lock).
pub fn remove_stale_temp_files(dir: &Path) -> usize {
    let mut removed = 0;
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            removed += remove_stale_temp_files(&path);
        } else if is_temp_name(&entry.file_name().to_string_lossy())
            && std::fs::remove_file(&path).is_ok()
        {
            removed += 1;
        }
    }
    removed
}

/// The files written for one document, relative to the output directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub files: Vec<String>,
}

/// Every output file of one document, serialised but not yet written: what a worker process
/// hands back to the run, which writes it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Rendered {
    /// `<name>.json`.
    pub json: Vec<u8>,
    /// `<name>.blocks.jsonl`.
    pub jsonl: Vec<u8>,
    /// `<name>/tables/<n>.csv`: the table number and the CSV text.
    pub tables: Vec<(usize, String)>,
    /// The files derived from the document beside the JSON (`<name>.md`,
    /// `<name>.chunks.jsonl`, and as asked `<name>.bulk.ndjson`, `<name>.audit.html`): file
    /// name and bytes.
    pub derived: Vec<(String, Vec<u8>)>,
}

/// Serialises every output of `document` named `name` (the JSON beside the rest: on a long
/// booklet each side takes milliseconds).
pub fn render(
    dir: &Path,
    name: &str,
    document: &Document,
    options: &EmitOptions,
) -> Result<Rendered, EmitError> {
    let (json, (jsonl, (tables, derived))) = rayon::join(
        || {
            document_json(document).map_err(|source| EmitError::Serialize {
                path: dir.join(format!("{name}.json")),
                source,
            })
        },
        || {
            rayon::join(
                || {
                    blocks_jsonl(document, name).map_err(|source| EmitError::Serialize {
                        path: dir.join(format!("{name}.blocks.jsonl")),
                        source,
                    })
                },
                || {
                    (
                        tables_csv(document),
                        derived_outputs(dir, name, document, options),
                    )
                },
            )
        },
    );
    Ok(Rendered {
        json: json?,
        jsonl: jsonl?,
        tables,
        derived: derived?,
    })
}

/// Writes the default outputs of `document` under `dir` with the name `name` (see
/// [`write_outputs_with`]).
pub fn write_outputs(dir: &Path, name: &str, document: &Document) -> Result<Written, EmitError> {
    write_outputs_with(dir, name, document, &EmitOptions::default())
}

/// Writes every output of `document` under `dir` with the name `name`: `<name>.json`,
/// `<name>.blocks.jsonl`, `<name>/tables/<n>.csv` (stale tables of an earlier run of the same
/// name are removed), `<name>.md`, `<name>.chunks.jsonl`, and as `options` ask
/// `<name>.bulk.ndjson` and `<name>.audit.html`. The JSON goes last, so its presence means the
/// rest is there too.
pub fn write_outputs_with(
    dir: &Path,
    name: &str,
    document: &Document,
    options: &EmitOptions,
) -> Result<Written, EmitError> {
    write_rendered(dir, name, &render(dir, name, document, options)?)
}

/// The Markdown, the chunks, and the bulk body and audit page when asked for; their names and
/// bytes.
fn derived_outputs(
    dir: &Path,
    name: &str,
    document: &Document,
    options: &EmitOptions,
) -> Result<Vec<(String, Vec<u8>)>, EmitError> {
    let mut out: Vec<(String, Vec<u8>)> = Vec::new();
    let serialized = |file: &str, bytes: Result<Vec<u8>, serde_json::Error>| {
        bytes.map_err(|source| EmitError::Serialize {
            path: dir.join(file),
            source,
        })
    };
    out.push((
        format!("{name}.md"),
        markdown::document_markdown(document).into_bytes(),
    ));
    let chunks_name = format!("{name}.chunks.jsonl");
    let chunks = serialized(
        &chunks_name,
        chunks::chunks_jsonl(document, name, options.chunk_chars),
    )?;
    out.push((chunks_name, chunks));
    if options.bulk {
        let bulk_name = format!("{name}.bulk.ndjson");
        let bulk = serialized(&bulk_name, bulk::bulk_ndjson(document, name))?;
        out.push((bulk_name, bulk));
    }
    if options.audit {
        let audit_name = format!("{name}.audit.html");
        let html = serialized(
            &audit_name,
            audit::audit_html(document, name).map(String::into_bytes),
        )?;
        out.push((audit_name, html));
    }
    Ok(out)
}

/// The grid's cells with their spans: `table.cells`, or when a reader left them empty one
/// 1×1 cell per position of `rows` (header cells in the header rows).
pub fn grid_cells(table: &Table) -> Vec<TableCell> {
    if !table.cells.is_empty() {
        return table.cells.clone();
    }
    let mut cells = Vec::new();
    for (row, texts) in table.rows.iter().enumerate() {
        for (col, text) in texts.iter().enumerate() {
            cells.push(TableCell {
                row,
                col,
                row_span: 1,
                col_span: 1,
                text: text.clone(),
                bbox: None,
                page: None,
                header: row < table.header_rows,
                spaced_as: None,
            });
        }
    }
    cells
}

/// Writes outputs already serialised. Every file is staged under a temporary name first and
/// renamed into place only once all are staged, the JSON last: a failure while staging (a
/// full disk, a name too long) leaves nothing of this document behind.
pub fn write_rendered(dir: &Path, name: &str, rendered: &Rendered) -> Result<Written, EmitError> {
    let tables_dir = dir.join(name).join("tables");
    let mut staged = Vec::new();
    let mut files = Vec::new();
    let mut table_names = Vec::new();
    let staging = (|| {
        for (number, csv) in &rendered.tables {
            let file = format!("{number}.csv");
            staged.push(stage(&tables_dir.join(&file), csv.as_bytes(), false)?);
            files.push(format!("{name}/tables/{file}"));
            table_names.push(file);
        }
        let jsonl_name = format!("{name}.blocks.jsonl");
        staged.push(stage(&dir.join(&jsonl_name), &rendered.jsonl, false)?);
        files.push(jsonl_name);
        for (file, bytes) in &rendered.derived {
            // Names come from a worker process: only plain files of this document's name.
            if !file.starts_with(&format!("{name}.")) || file.contains(['/', '\\']) {
                return Err(EmitError::Write {
                    path: dir.join(file),
                    source: std::io::Error::other("not an output name of this document"),
                });
            }
            staged.push(stage(&dir.join(file), bytes, false)?);
            files.push(file.clone());
        }
        let json_name = format!("{name}.json");
        staged.push(stage(&dir.join(&json_name), &rendered.json, false)?);
        files.push(json_name);
        Ok(())
    })();
    if let Err(e) = staging {
        drop(staged);
        // The directories made for the tables, if now empty.
        let _ = std::fs::remove_dir(&tables_dir);
        let _ = std::fs::remove_dir(dir.join(name));
        return Err(e);
    }
    for file in staged {
        file.commit(false)?;
    }
    remove_stale_tables(&tables_dir, &table_names);
    files.sort();
    Ok(Written { files })
}

/// Deletes `<n>.csv` files in `tables_dir` that the current document no longer has.
fn remove_stale_tables(tables_dir: &Path, keep: &[String]) {
    let Ok(entries) = std::fs::read_dir(tables_dir) else {
        return;
    };
    for entry in entries.flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        let is_table = file
            .strip_suffix(".csv")
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
        if is_table && !keep.contains(&file) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
    let _ = std::fs::remove_dir(tables_dir);
    if let Some(parent) = tables_dir.parent() {
        let _ = std::fs::remove_dir(parent);
    }
}

/// The document as pretty JSON with a final newline.
pub fn document_json(document: &Document) -> Result<Vec<u8>, serde_json::Error> {
    let mut json = serde_json::to_vec_pretty(document)?;
    json.push(b'\n');
    Ok(json)
}

/// One line of `<name>.blocks.jsonl`: a block with everything a search index needs to file it
/// and to point back to the original.
#[derive(Debug, Serialize)]
struct BlockLine<'a> {
    /// `<document>/<block>`: unique across the output directory.
    id: String,
    /// The document's output name (`<name>.json`).
    document: &'a str,
    /// The input file and its sha256.
    source: &'a str,
    sha256: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    document_title: Option<&'a str>,
    block: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    section: Option<&'a str>,
    /// Labels and titles of the sections holding the block, outermost first.
    section_path: &'a [String],
    #[serde(rename = "type")]
    kind: BlockType,
    text: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    level: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    marker: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    page: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    lines: Option<[usize; 2]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    bbox: Option<BBox>,
    #[serde(skip_serializing_if = "Option::is_none")]
    table: Option<&'a Table>,
    /// Table blocks: the CSV file holding the table, relative to the output directory.
    #[serde(skip_serializing_if = "Option::is_none")]
    table_csv: Option<String>,
    score: f32,
    /// The verdict of the block's page (`text`, `no_text_layer`, `unreadable_text_layer`,
    /// `ocr_layer`, `blank`), when the document has page summaries.
    #[serde(skip_serializing_if = "Option::is_none")]
    page_verdict: Option<crate::document::PageVerdict>,
    flags: &'a [Flag],
    tokens: &'a [Token],
}

/// `<name>.blocks.jsonl`: one JSON object per block, in reading order.
pub fn blocks_jsonl(document: &Document, name: &str) -> Result<Vec<u8>, serde_json::Error> {
    let paths = section_paths(&document.sections);
    let empty: Vec<String> = Vec::new();
    let mut out = Vec::new();
    let mut table_number = 0;
    for block in &document.blocks {
        let table_csv = block.table.as_ref().map(|_| {
            table_number += 1;
            format!("{name}/tables/{table_number}.csv")
        });
        let line = block_line(document, name, block, &paths, &empty, table_csv);
        serde_json::to_writer(&mut out, &line)?;
        out.push(b'\n');
    }
    Ok(out)
}

fn block_line<'a>(
    document: &'a Document,
    name: &'a str,
    block: &'a Block,
    paths: &'a HashMap<&'a str, Vec<String>>,
    empty: &'a [String],
    table_csv: Option<String>,
) -> BlockLine<'a> {
    let section_path = block
        .section
        .as_deref()
        .and_then(|id| paths.get(id))
        .map(Vec::as_slice)
        .unwrap_or(empty);
    BlockLine {
        id: format!("{name}/{}", block.id),
        document: name,
        source: &document.source.path,
        sha256: &document.source.sha256,
        document_title: document.title.as_deref(),
        block: &block.id,
        section: block.section.as_deref(),
        section_path,
        kind: block.kind,
        text: &block.text,
        level: block.level,
        marker: block.marker.as_deref(),
        page: block.page,
        lines: block.lines,
        bbox: block.bbox,
        table: block.table.as_ref(),
        table_csv,
        score: block.quality.score,
        page_verdict: block.page.and_then(|n| {
            document
                .quality
                .pages
                .iter()
                .find(|p| p.page == n)
                .map(|p| p.verdict)
        }),
        flags: &block.quality.flags,
        tokens: &block.tokens,
    }
}

/// For every section id, the display names of it and its ancestors, outermost first.
fn section_paths(sections: &[Section]) -> HashMap<&str, Vec<String>> {
    fn walk<'a>(
        sections: &'a [Section],
        prefix: &mut Vec<String>,
        out: &mut HashMap<&'a str, Vec<String>>,
    ) {
        for section in sections {
            prefix.push(section_name(section));
            out.insert(section.id.as_str(), prefix.clone());
            walk(&section.children, prefix, out);
            prefix.pop();
        }
    }
    let mut out = HashMap::new();
    walk(sections, &mut Vec::new(), &mut out);
    out
}

/// `발제1 서울시 사회적경제 …`: the label and the title, whichever exist; else the id.
fn section_name(section: &Section) -> String {
    match (section.label.as_deref(), section.title.as_deref()) {
        (Some(label), Some(title)) => format!("{label} {title}"),
        (Some(only), None) | (None, Some(only)) => only.to_string(),
        (None, None) => section.id.clone(),
    }
}

/// The document's tables as CSV (RFC 4180: every field that needs it quoted, CRLF line ends),
/// numbered from 1 in reading order.
pub fn tables_csv(document: &Document) -> Vec<(usize, String)> {
    document
        .blocks
        .iter()
        .filter_map(|block| block.table.as_ref())
        .enumerate()
        .map(|(index, table)| (index + 1, table_csv(table)))
        .collect()
}

fn table_csv(table: &Table) -> String {
    let mut out = String::new();
    for row in &table.rows {
        let fields: Vec<String> = row.iter().map(|cell| csv_field(cell)).collect();
        out.push_str(&fields.join(","));
        out.push_str("\r\n");
    }
    out
}

fn csv_field(cell: &str) -> String {
    if cell.contains([',', '"', '\n', '\r']) || cell.starts_with(' ') || cell.ends_with(' ') {
        format!("\"{}\"", cell.replace('"', "\"\""))
    } else {
        cell.to_string()
    }
}

/// The JSON Schema of `<name>.json`, generated from `document::Document`.
pub fn schema_json() -> String {
    let schema = schemars::schema_for!(Document);
    // Serialising a schemars schema cannot fail: it is plain maps and strings.
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{BlockQuality, DocumentQuality, SectionKind, SourceInfo};
    use crate::model::Format;

    pub(crate) fn block(
        id: &str,
        section: Option<&str>,
        text: &str,
        table: Option<Table>,
    ) -> Block {
        Block {
            id: id.to_string(),
            kind: if table.is_some() {
                BlockType::Table
            } else {
                BlockType::Paragraph
            },
            section: section.map(str::to_string),
            text: text.to_string(),
            level: None,
            marker: None,
            page: Some(1),
            bbox: None,
            lines: Some([3, 4]),
            end_page: None,
            location: None,
            table,
            figure: None,
            annotation: None,
            emphasis: Vec::new(),
            tokens: Vec::new(),
            quality: BlockQuality {
                score: 1.0,
                flags: Vec::new(),
            },
        }
    }

    /// A document shaped like the sample booklet's first presentation with one table.
    pub(crate) fn sample() -> Document {
        let table = Table {
            // A row of the sample booklet's table of 권역별 participants, plus a cell with a comma.
            rows: vec![
                vec!["구분".into(), "참여 기관".into(), "참여 인원".into()],
                vec!["서남권".into(), "금천, 관악 \"센터\"".into(), "30명".into()],
            ],
            header_rows: 1,
            caption: None,
            cells: Vec::new(),
            pages: Vec::new(),
            repeated_headers: Vec::new(),
        };
        Document {
            schema: crate::document::SCHEMA_ID.into(),
            source: SourceInfo {
                path: "input/x.txt".into(),
                sha256: "ab".into(),
                format: Format::Text,
                pages: 1,
                encoding: Some("utf-8".into()),
            },
            pages: Vec::new(),
            title: Some("2020년 서울시 사회적경제 생태계 구축 성과 포럼 자료집".into()),
            toc: Vec::new(),
            sections: vec![Section {
                id: "s1".into(),
                kind: SectionKind::Presentation,
                label: Some("발제1".into()),
                title: Some("마포구 사회적경제 생태계".into()),
                level: 1,
                speakers: Vec::new(),
                page: Some(1),
                blocks: vec!["b1".into()],
                located_by: None,
                children: vec![Section {
                    id: "s2".into(),
                    kind: SectionKind::Other,
                    label: Some("1.".into()),
                    title: None,
                    level: 2,
                    speakers: Vec::new(),
                    page: Some(1),
                    blocks: vec!["b2".into()],
                    located_by: None,
                    children: Vec::new(),
                }],
            }],
            blocks: vec![
                block("b1", Some("s1"), "사회적경제 생태계 구축", None),
                block("b2", Some("s2"), "구분\t참여 기관", Some(table)),
            ],
            colophon: Vec::new(),
            program: Vec::new(),
            quality: DocumentQuality::default(),
        }
    }

    #[test]
    fn jsonl_lines_carry_document_section_path_and_table_file() {
        let jsonl = blocks_jsonl(&sample(), "forum").unwrap();
        let text = String::from_utf8(jsonl).unwrap();
        let lines: Vec<serde_json::Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0]["id"], "forum/b1");
        assert_eq!(
            lines[1]["section_path"][0],
            "발제1 마포구 사회적경제 생태계"
        );
        assert_eq!(lines[1]["section_path"][1], "1.");
        assert_eq!(lines[1]["type"], "table");
        assert_eq!(lines[1]["table_csv"], "forum/tables/1.csv");
        assert_eq!(lines[0]["lines"], serde_json::json!([3, 4]));
    }

    #[test]
    fn csv_quotes_what_needs_quoting() {
        let tables = tables_csv(&sample());
        assert_eq!(
            tables,
            vec![(
                1,
                "구분,참여 기관,참여 인원\r\n서남권,\"금천, 관악 \"\"센터\"\"\",30명\r\n"
                    .to_string()
            )]
        );
    }

    #[test]
    fn outputs_are_written_whole_and_stale_tables_removed() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("forum/tables")).unwrap();
        std::fs::write(dir.path().join("forum/tables/7.csv"), "old").unwrap();
        let written = write_outputs(dir.path(), "forum", &sample()).unwrap();
        assert_eq!(
            written.files,
            vec![
                "forum.blocks.jsonl",
                "forum.chunks.jsonl",
                "forum.json",
                "forum.md",
                "forum/tables/1.csv"
            ]
        );
        assert!(!dir.path().join("forum/tables/7.csv").exists());
        let json = std::fs::read(dir.path().join("forum.json")).unwrap();
        let back: Document = serde_json::from_slice(&json).unwrap();
        assert_eq!(back, sample());
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .filter(|e| is_temp_name(&e.file_name().to_string_lossy()))
            .collect();
        assert!(leftovers.is_empty());
    }

    #[test]
    fn the_json_is_not_put_in_place_when_another_output_fails() {
        let dir = tempfile::tempdir().unwrap();
        // A file where the tables' folder should be: the CSV cannot be written.
        std::fs::write(dir.path().join("forum"), "in the way").unwrap();
        let failed = write_outputs(dir.path(), "forum", &sample());
        assert!(matches!(failed, Err(EmitError::Write { .. })), "{failed:?}");
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        // No JSON (its presence would say the rest is there) and no temporary file left.
        assert_eq!(names, vec!["forum"]);
    }

    #[test]
    fn a_name_too_long_for_the_temporary_files_leaves_no_tables_behind() {
        let dir = tempfile::tempdir().unwrap();
        // 80 Hangul syllables: 240 bytes, a valid name, but the JSONL's temporary name is not.
        let name = "가".repeat(80);
        let failed = write_outputs(dir.path(), &name, &sample());
        assert!(matches!(failed, Err(EmitError::Write { .. })), "{failed:?}");
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().flatten().collect();
        assert!(left.is_empty(), "{left:?}");
    }

    #[test]
    fn stale_temp_files_are_found_and_removed() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("a/tables")).unwrap();
        std::fs::write(dir.path().join(".a.json.1-0.jaryo-tmp"), "{").unwrap();
        std::fs::write(dir.path().join("a/tables/.1.csv.1-1.jaryo-tmp"), "x").unwrap();
        std::fs::write(dir.path().join("a.json"), "{}").unwrap();
        assert_eq!(remove_stale_temp_files(dir.path()), 2);
        assert!(dir.path().join("a.json").exists());
    }

    #[test]
    fn schema_names_the_contract_fields() {
        let schema: serde_json::Value = serde_json::from_str(&schema_json()).unwrap();
        let required = schema["required"].as_array().unwrap();
        for field in ["schema", "source", "sections", "blocks", "quality"] {
            assert!(required.iter().any(|r| r == field), "{field}");
        }
    }
}
