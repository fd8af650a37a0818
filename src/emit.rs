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

use crate::document::{Block, BlockType, Document, Flag, Section, Table, TableCell, TokensJson};
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
    let mut staging = Staging::open(path)?;
    staging.write_all(bytes).map_err(|e| staging.error(e))?;
    staging.finish(durable)?.commit(durable)
}

/// A file written in full under a temporary name in its directory, not yet in place. Dropped
/// without [`Staged::commit`] (another output failed), the temporary file is removed.
struct Staged {
    tmp: PathBuf,
    path: PathBuf,
    parent: PathBuf,
}

/// A temporary file beside its final path being written through a buffer. Dropped before
/// [`Staging::finish`], the temporary file is removed.
struct Staging {
    staged: Staged,
    file: std::io::BufWriter<std::fs::File>,
}

impl Staging {
    /// Creates the temporary file beside `path` (and the folders up to it).
    fn open(path: &Path) -> Result<Staging, EmitError> {
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
        let file = std::fs::File::create(&staged.tmp).map_err(err)?;
        Ok(Staging {
            staged,
            file: std::io::BufWriter::with_capacity(STAGING_BUFFER, file),
        })
    }

    /// The write error `source` on this file.
    fn error(&self, source: std::io::Error) -> EmitError {
        EmitError::Write {
            path: self.staged.path.clone(),
            source,
        }
    }

    /// Flushes the file (and syncs it when `durable`): written in full, not yet in place.
    fn finish(self, durable: bool) -> Result<Staged, EmitError> {
        let Staging { staged, file } = self;
        let done = file
            .into_inner()
            .map_err(std::io::IntoInnerError::into_error)
            .and_then(|file| if durable { file.sync_all() } else { Ok(()) });
        // On an error, dropping `staged` removes what was written.
        done.map_err(|source| EmitError::Write {
            path: staged.path.clone(),
            source,
        })?;
        Ok(staged)
    }
}

impl Write for Staging {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.file.write(bytes)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
}

/// The buffer between an output's serialiser and its file.
const STAGING_BUFFER: usize = 1 << 16;

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

/// One output file of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    /// `<name>/tables/<n>.csv`, numbered from 1 in reading order.
    Table(usize),
    /// `<name>.blocks.jsonl`.
    BlocksJsonl,
    /// `<name>.md`.
    Markdown,
    /// `<name>.chunks.jsonl`.
    Chunks,
    /// `<name>.bulk.ndjson`, when asked for.
    Bulk,
    /// `<name>.audit.html`, when asked for.
    Audit,
    /// `<name>.json`: put in place last, so its presence means the rest is there too.
    Json,
}

impl Output {
    /// The file's path relative to the output directory.
    pub fn file(self, name: &str) -> String {
        match self {
            Output::Table(number) => format!("{name}/tables/{number}.csv"),
            Output::BlocksJsonl => format!("{name}.blocks.jsonl"),
            Output::Markdown => format!("{name}.md"),
            Output::Chunks => format!("{name}.chunks.jsonl"),
            Output::Bulk => format!("{name}.bulk.ndjson"),
            Output::Audit => format!("{name}.audit.html"),
            Output::Json => format!("{name}.json"),
        }
    }
}

/// Whether `file` (relative to the output directory) can be an output of the document named
/// `name`: `<name>.<something>` or `<name>/tables/<n>.csv`. Names come from worker processes.
pub fn is_output_of(name: &str, file: &str) -> bool {
    let table = file
        .strip_prefix(name)
        .and_then(|rest| rest.strip_prefix("/tables/"))
        .and_then(|rest| rest.strip_suffix(".csv"))
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    let beside = file
        .strip_prefix(name)
        .is_some_and(|rest| rest.starts_with('.') && !rest.contains(['/', '\\']));
    table || beside
}

/// Every output of one document, serialised straight into a writer one file at a time: no
/// output is ever held whole in memory (the JSON of a long text is some 40 times its size).
pub struct Outputs<'a> {
    document: &'a Document,
    name: &'a str,
    options: &'a EmitOptions,
    tables: Vec<&'a Table>,
}

impl<'a> Outputs<'a> {
    pub fn new(document: &'a Document, name: &'a str, options: &'a EmitOptions) -> Outputs<'a> {
        let tables = document
            .blocks
            .iter()
            .filter_map(|b| b.table.as_deref())
            .collect();
        Outputs {
            document,
            name,
            options,
            tables,
        }
    }

    /// The files, in the order they are put in place (the JSON last).
    pub fn list(&self) -> Vec<Output> {
        let mut list: Vec<Output> = (1..=self.tables.len()).map(Output::Table).collect();
        list.extend([Output::BlocksJsonl, Output::Markdown, Output::Chunks]);
        if self.options.bulk {
            list.push(Output::Bulk);
        }
        if self.options.audit {
            list.push(Output::Audit);
        }
        list.push(Output::Json);
        list
    }

    /// Writes `output` into `out` (serialisation errors come as I/O errors).
    pub fn write(&self, output: Output, out: &mut dyn Write) -> std::io::Result<()> {
        let (document, name) = (self.document, self.name);
        match output {
            Output::Table(number) => match number.checked_sub(1).and_then(|k| self.tables.get(k)) {
                Some(table) => write_table_csv(out, table),
                None => Err(std::io::Error::other(format!("no table {number}"))),
            },
            Output::BlocksJsonl => write_blocks_jsonl(out, document, name),
            Output::Markdown => out.write_all(markdown::document_markdown(document).as_bytes()),
            Output::Chunks => {
                chunks::write_chunks_jsonl(out, document, name, self.options.chunk_chars)
            }
            Output::Bulk => bulk::write_bulk_ndjson(out, document, name),
            Output::Audit => out.write_all(audit::audit_html(document, name)?.as_bytes()),
            Output::Json => write_document_json(out, document),
        }
    }
}

/// A document's output files written under their temporary names, not yet in place: see
/// [`StagedOutputs::commit`]. Dropped without it (the document failed or was abandoned),
/// every temporary file is removed, and the tables' folders when empty: nothing of the
/// document is left behind.
pub struct StagedOutputs {
    dir: PathBuf,
    name: String,
    /// In the order they are put in place; the path relative to `dir` beside each.
    staged: Vec<(String, Staged)>,
}

/// One output file being written to its temporary name: see [`StagedOutputs::open`].
pub struct OutputWriter {
    file: String,
    staging: Staging,
}

impl Write for OutputWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.staging.write(bytes)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.staging.flush()
    }
}

impl OutputWriter {
    /// The error `source` met writing this file.
    pub fn error(&self, source: std::io::Error) -> EmitError {
        self.staging.error(source)
    }

    /// The file written in full (its buffer freed), ready for [`StagedOutputs::add`].
    pub fn finish(self) -> Result<StagedFile, EmitError> {
        Ok(StagedFile {
            file: self.file,
            staged: self.staging.finish(false)?,
        })
    }
}

/// One output file written in full under its temporary name.
pub struct StagedFile {
    file: String,
    staged: Staged,
}

impl StagedOutputs {
    /// Nothing staged yet for the document named `name` under `dir`.
    pub fn new(dir: &Path, name: &str) -> StagedOutputs {
        StagedOutputs {
            dir: dir.to_path_buf(),
            name: name.to_string(),
            staged: Vec::new(),
        }
    }

    /// Starts writing `file` (relative to the output directory; refused unless it is an
    /// output name of this document) under its temporary name.
    pub fn open(&self, file: &str) -> Result<OutputWriter, EmitError> {
        if !is_output_of(&self.name, file) {
            return Err(EmitError::Write {
                path: self.dir.join(file),
                source: std::io::Error::other("not an output name of this document"),
            });
        }
        Ok(OutputWriter {
            file: file.to_string(),
            staging: Staging::open(&self.dir.join(file))?,
        })
    }

    /// Adds a file written in full: it is put in place after the ones added before it.
    pub fn add(&mut self, file: StagedFile) {
        self.staged.push((file.file, file.staged));
    }

    /// Renames every file into place in the order added (the JSON last) and removes tables
    /// an earlier run of the same name wrote that this one has not.
    pub fn commit(mut self) -> Result<Written, EmitError> {
        let staged = std::mem::take(&mut self.staged);
        let mut files = Vec::with_capacity(staged.len());
        let prefix = format!("{}/tables/", self.name);
        let mut table_names = Vec::new();
        for (file, staged) in staged {
            staged.commit(false)?;
            if let Some(table) = file.strip_prefix(&prefix) {
                table_names.push(table.to_string());
            }
            files.push(file);
        }
        remove_stale_tables(&self.tables_dir(), &table_names);
        files.sort();
        Ok(Written { files })
    }

    fn tables_dir(&self) -> PathBuf {
        self.dir.join(&self.name).join("tables")
    }
}

impl std::fmt::Debug for StagedOutputs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let files: Vec<&str> = self.staged.iter().map(|(file, _)| file.as_str()).collect();
        f.debug_struct("StagedOutputs")
            .field("dir", &self.dir)
            .field("files", &files)
            .finish()
    }
}

impl Drop for StagedOutputs {
    fn drop(&mut self) {
        if self.staged.is_empty() {
            return;
        }
        self.staged.clear();
        // The folders made for the tables, if now empty.
        let _ = std::fs::remove_dir(self.tables_dir());
        let _ = std::fs::remove_dir(self.dir.join(&self.name));
    }
}

/// Writes every output of `document` named `name` under `dir` to its temporary file (the
/// files in parallel, each serialised straight into its file), not yet in place.
pub fn stage_outputs(
    dir: &Path,
    name: &str,
    document: &Document,
    options: &EmitOptions,
) -> Result<StagedOutputs, EmitError> {
    use rayon::prelude::*;
    let outputs = Outputs::new(document, name, options);
    let mut staged = StagedOutputs::new(dir, name);
    let written: Vec<Result<StagedFile, EmitError>> = outputs
        .list()
        .into_par_iter()
        .map(|output| {
            let mut writer = staged.open(&output.file(name))?;
            outputs
                .write(output, &mut writer)
                .map_err(|e| writer.error(e))?;
            writer.finish()
        })
        .collect();
    for file in written {
        staged.add(file?);
    }
    Ok(staged)
}

/// Writes the default outputs of `document` under `dir` with the name `name` (see
/// [`write_outputs_with`]).
pub fn write_outputs(dir: &Path, name: &str, document: &Document) -> Result<Written, EmitError> {
    write_outputs_with(dir, name, document, &EmitOptions::default())
}

/// Writes every output of `document` under `dir` with the name `name`: `<name>.json`,
/// `<name>.blocks.jsonl`, `<name>/tables/<n>.csv` (stale tables of an earlier run of the same
/// name are removed), `<name>.md`, `<name>.chunks.jsonl`, and as `options` ask
/// `<name>.bulk.ndjson` and `<name>.audit.html`. Every file is staged under a temporary name
/// first and renamed into place only once all are staged, the JSON last: a failure while
/// staging (a full disk, a name too long) leaves nothing of this document behind.
pub fn write_outputs_with(
    dir: &Path,
    name: &str,
    document: &Document,
    options: &EmitOptions,
) -> Result<Written, EmitError> {
    stage_outputs(dir, name, document, options)?.commit()
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
    let mut json = Vec::new();
    write_document_json(&mut json, document).map_err(serde_json::Error::io)?;
    Ok(json)
}

/// [`document_json`] into `out`.
pub fn write_document_json(mut out: &mut dyn Write, document: &Document) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut out, document)?;
    out.write_all(b"\n")
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
    tokens: TokensJson<'a>,
}

/// `<name>.blocks.jsonl`: one JSON object per block, in reading order.
pub fn blocks_jsonl(document: &Document, name: &str) -> Result<Vec<u8>, serde_json::Error> {
    let mut out = Vec::new();
    write_blocks_jsonl(&mut out, document, name).map_err(serde_json::Error::io)?;
    Ok(out)
}

/// [`blocks_jsonl`] into `out`.
pub fn write_blocks_jsonl(
    mut out: &mut dyn Write,
    document: &Document,
    name: &str,
) -> std::io::Result<()> {
    let paths = section_paths(&document.sections);
    let empty: Vec<String> = Vec::new();
    let mut table_number = 0;
    for block in &document.blocks {
        let table_csv = block.table.as_ref().map(|_| {
            table_number += 1;
            format!("{name}/tables/{table_number}.csv")
        });
        let line = block_line(document, name, block, &paths, &empty, table_csv);
        serde_json::to_writer(&mut out, &line)?;
        out.write_all(b"\n")?;
    }
    Ok(())
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
        table: block.table.as_deref(),
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
        tokens: TokensJson {
            text: &block.text,
            tokens: &block.tokens,
        },
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
    let mut out = Vec::new();
    // Writing into memory cannot fail.
    let _ = write_table_csv(&mut out, table);
    String::from_utf8(out).unwrap_or_default()
}

/// One table as CSV into `out`.
fn write_table_csv(out: &mut dyn Write, table: &Table) -> std::io::Result<()> {
    for row in &table.rows {
        for (k, cell) in row.iter().enumerate() {
            if k > 0 {
                out.write_all(b",")?;
            }
            out.write_all(csv_field(cell).as_bytes())?;
        }
        out.write_all(b"\r\n")?;
    }
    Ok(())
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
pub(crate) mod tests {
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
            table: table.map(Box::new),
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
        // Tokens are kept compact in memory; the schema still describes them as written.
        let token = &schema["definitions"]["Token"]["properties"];
        for field in [
            "text",
            "pos",
            "start",
            "end",
            "char_start",
            "char_end",
            "cost",
        ] {
            assert!(token.get(field).is_some(), "{field} in {token}");
        }
    }
}
