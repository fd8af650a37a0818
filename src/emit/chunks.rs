//! `<name>.chunks.jsonl`: retrieval chunks for RAG pipelines. Chunks follow the section tree:
//! a chunk holds consecutive body blocks (furniture left out) of one section — never two
//! sections, so never two top-level sections — with the section titles as its heading path. A
//! heading block starts a new chunk. Chunks stay within `chunk_chars` characters; a block longer
//! than that is split into parts (text at sentence ends or spaces, tables by rows with the
//! header rows repeated); only a single table row with its header may exceed the bound.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::document::{Block, BlockType, Document, Severity, Table};

use super::section_paths;

/// The default `--chunk-chars`.
pub const DEFAULT_CHUNK_CHARS: usize = 1000;

/// Blocks in a chunk are joined with this.
const SEPARATOR: &str = "\n";

/// One line of `<name>.chunks.jsonl`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Chunk {
    /// `<document>/c<n>`, numbered from 1 in reading order.
    pub id: String,
    /// The document's output name.
    pub document: String,
    /// Labels and titles of the sections holding the chunk, outermost first.
    pub heading_path: Vec<String>,
    /// The id of the innermost section.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    pub text: String,
    /// Pages the chunk's blocks are on (PDF; the text path has page 1).
    pub pages: Vec<u32>,
    pub block_ids: Vec<String>,
    /// Characters (Unicode scalar values) of `text`.
    pub char_count: usize,
    /// Lindera tokens of the blocks (of the part, for a split block).
    pub token_count: usize,
    /// The worst flag severity among the blocks (of the part, for a split block).
    pub severity: Option<Severity>,
    /// A part of one block that was too long: `[part, parts]`, 1-based.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part: Option<[usize; 2]>,
}

/// The chunks of `document` named `name`, each at most `chunk_chars` characters (see the
/// module comment for the one exception).
pub fn document_chunks(document: &Document, name: &str, chunk_chars: usize) -> Vec<Chunk> {
    let limit = chunk_chars.max(1);
    let paths = section_paths(&document.sections);
    let mut chunker = Chunker {
        name,
        limit,
        paths: &paths,
        chunks: Vec::new(),
        open: None,
    };
    for block in &document.blocks {
        if block.kind != BlockType::Furniture {
            chunker.add(block);
        }
    }
    chunker.close();
    chunker.chunks
}

/// `<name>.chunks.jsonl`.
pub fn chunks_jsonl(
    document: &Document,
    name: &str,
    chunk_chars: usize,
) -> Result<Vec<u8>, serde_json::Error> {
    let mut out = Vec::new();
    write_chunks_jsonl(&mut out, document, name, chunk_chars).map_err(serde_json::Error::io)?;
    Ok(out)
}

/// [`chunks_jsonl`] into `out`.
pub fn write_chunks_jsonl(
    mut out: &mut dyn std::io::Write,
    document: &Document,
    name: &str,
    chunk_chars: usize,
) -> std::io::Result<()> {
    for chunk in document_chunks(document, name, chunk_chars) {
        serde_json::to_writer(&mut out, &chunk)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

struct Chunker<'a> {
    name: &'a str,
    limit: usize,
    paths: &'a HashMap<&'a str, Vec<String>>,
    chunks: Vec<Chunk>,
    open: Option<Open>,
}

/// The chunk being filled.
struct Open {
    section: Option<String>,
    texts: Vec<String>,
    chars: usize,
    pages: Vec<u32>,
    block_ids: Vec<String>,
    tokens: usize,
    severity: Option<Severity>,
    /// Only heading blocks so far: the next block joins them whatever its kind.
    headings_only: bool,
}

impl<'a> Chunker<'a> {
    fn add(&mut self, block: &Block) {
        let text = block_text(block);
        let chars = text.chars().count();
        let fits = self.open.as_ref().is_some_and(|open| {
            open.section == block.section
                && (block.kind != BlockType::Heading || open.headings_only)
                && open.chars + SEPARATOR.len() + chars <= self.limit
        });
        if !fits {
            self.close();
        }
        if chars > self.limit {
            self.add_parts(block);
            return;
        }
        let open = self.open.get_or_insert_with(|| Open {
            section: block.section.clone(),
            texts: Vec::new(),
            chars: 0,
            pages: Vec::new(),
            block_ids: Vec::new(),
            tokens: 0,
            severity: None,
            headings_only: true,
        });
        if !open.texts.is_empty() {
            open.chars += SEPARATOR.chars().count();
        }
        open.chars += chars;
        open.texts.push(text);
        open.pages.extend(block_pages(block));
        open.block_ids.push(block.id.clone());
        open.tokens += block.tokens.len();
        open.severity = open.severity.max(worst(block, |_| true));
        open.headings_only &= block.kind == BlockType::Heading;
    }

    /// A block longer than the limit: its parts, each a chunk of its own.
    fn add_parts(&mut self, block: &Block) {
        let parts = match &block.table {
            Some(table) => table_parts(block, table, self.limit),
            None => text_parts(block, self.limit),
        };
        let count = parts.len();
        for (index, part) in parts.into_iter().enumerate() {
            let chunk = self.chunk(
                block.section.clone(),
                part.text,
                block_pages(block),
                vec![block.id.clone()],
                part.tokens,
                part.severity,
                (count > 1).then_some([index + 1, count]),
            );
            self.chunks.push(chunk);
        }
    }

    fn close(&mut self) {
        if let Some(open) = self.open.take() {
            let chunk = self.chunk(
                open.section,
                open.texts.join(SEPARATOR),
                open.pages,
                open.block_ids,
                open.tokens,
                open.severity,
                None,
            );
            self.chunks.push(chunk);
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn chunk(
        &self,
        section: Option<String>,
        text: String,
        mut pages: Vec<u32>,
        block_ids: Vec<String>,
        token_count: usize,
        severity: Option<Severity>,
        part: Option<[usize; 2]>,
    ) -> Chunk {
        pages.sort_unstable();
        pages.dedup();
        let heading_path = section
            .as_deref()
            .and_then(|id| self.paths.get(id))
            .cloned()
            .unwrap_or_default();
        Chunk {
            id: format!("{}/c{}", self.name, self.chunks.len() + 1),
            document: self.name.to_string(),
            heading_path,
            section,
            char_count: text.chars().count(),
            text,
            pages,
            block_ids,
            token_count,
            severity,
            part,
        }
    }
}

/// A block's text in a chunk: list markers kept, tables as ` | `-separated rows.
fn block_text(block: &Block) -> String {
    if let Some(table) = &block.table {
        return table
            .rows
            .iter()
            .map(|row| row_text(row))
            .collect::<Vec<_>>()
            .join("\n");
    }
    match (&block.kind, block.marker.as_deref()) {
        (BlockType::ListItem | BlockType::Footnote, Some(marker)) => {
            format!("{marker} {}", block.text)
        }
        _ => block.text.clone(),
    }
}

fn row_text(row: &[String]) -> String {
    row.iter()
        .map(|cell| cell.replace(['\r', '\n'], " "))
        .collect::<Vec<_>>()
        .join(" | ")
}

fn block_pages(block: &Block) -> Vec<u32> {
    let mut pages: Vec<u32> = block.page.into_iter().collect();
    if let Some(table) = &block.table {
        pages.extend(&table.pages);
    }
    pages
}

/// The worst severity among the block's flags that `keep` accepts.
fn worst(block: &Block, keep: impl Fn(&crate::document::Flag) -> bool) -> Option<Severity> {
    block
        .quality
        .flags
        .iter()
        .filter(|f| keep(f))
        .map(|f| f.severity)
        .max()
}

struct Part {
    text: String,
    tokens: usize,
    severity: Option<Severity>,
}

/// A long text block cut into parts of at most `limit` characters: after the last sentence
/// end (`다.`, `.`, `?`, `!`) in the second half of the window, else after its last space,
/// else at the limit. Tokens and flags go to the part their start is in.
fn text_parts(block: &Block, limit: usize) -> Vec<Part> {
    let text = block_text(block);
    // Byte offset of `text` in `block.text` (a list marker is put in front).
    let shift = text.len() - block.text.len();
    let mut parts = Vec::new();
    let mut start = 0;
    while start < text.len() {
        let rest = &text[start..];
        let end = if rest.chars().count() <= limit {
            text.len()
        } else {
            start + cut(rest, limit)
        };
        let range = start.saturating_sub(shift)..end.saturating_sub(shift);
        let in_part =
            |offset: usize| range.contains(&offset) || (end == text.len() && offset >= range.end);
        parts.push(Part {
            text: text[start..end].trim().to_string(),
            tokens: block.tokens.iter().filter(|t| in_part(t.start)).count(),
            severity: worst(block, |f| in_part(f.start)),
        });
        start = end;
    }
    parts.retain(|p| !p.text.is_empty());
    parts
}

/// Byte length of the first part of `text` (longer than `limit` characters).
fn cut(text: &str, limit: usize) -> usize {
    let window_end = text
        .char_indices()
        .nth(limit)
        .map(|(i, _)| i)
        .unwrap_or(text.len());
    let window = &text[..window_end];
    let half = text
        .char_indices()
        .nth(limit / 2)
        .map(|(i, _)| i)
        .unwrap_or(0);
    // After a sentence end followed by a space, in the second half of the window.
    let sentence = window
        .match_indices(['.', '?', '!'])
        .map(|(i, m)| i + m.len())
        .rfind(|&i| i > half && window[i..].starts_with(char::is_whitespace));
    let space = window
        .char_indices()
        .filter(|&(i, c)| i > half && c.is_whitespace())
        .map(|(i, _)| i)
        .next_back();
    sentence.or(space).unwrap_or(window_end)
}

/// A long table cut into parts of whole rows, each starting with the header rows, at most
/// `limit` characters unless one row with the header is longer. Tokens are the block's tokens
/// on the part's own rows when the block text has one line per row, else all on part 1.
fn table_parts(block: &Block, table: &Table, limit: usize) -> Vec<Part> {
    let header_rows = table.header_rows.min(table.rows.len());
    let header: Vec<String> = table.rows[..header_rows]
        .iter()
        .map(|r| row_text(r))
        .collect();
    let header_chars: usize = header.iter().map(|h| h.chars().count() + 1).sum();
    // Byte ranges of the block text's lines, when they are the table's rows.
    let line_ranges: Vec<(usize, usize)> = {
        let mut at = 0;
        block
            .text
            .split('\n')
            .map(|line| {
                let range = (at, at + line.len());
                at += line.len() + 1;
                range
            })
            .collect()
    };
    let lines_are_rows = line_ranges.len() == table.rows.len();
    let tokens_of_rows = |rows: std::ops::Range<usize>| -> usize {
        if !lines_are_rows {
            return 0;
        }
        let (Some(first), Some(last)) =
            (line_ranges.get(rows.start), line_ranges.get(rows.end - 1))
        else {
            return 0;
        };
        let (from, to) = (first.0, last.1);
        block
            .tokens
            .iter()
            .filter(|t| t.start >= from && t.start <= to)
            .count()
    };
    let mut parts = Vec::new();
    let mut row = header_rows;
    while row < table.rows.len() || (parts.is_empty() && row == table.rows.len()) {
        let first = row;
        let mut lines = header.clone();
        let mut chars = header_chars;
        while row < table.rows.len() {
            let text = row_text(&table.rows[row]);
            let add = text.chars().count() + 1;
            if row > first && chars + add > limit + 1 {
                break;
            }
            chars += add;
            lines.push(text);
            row += 1;
        }
        let rows = if parts.is_empty() { 0..row } else { first..row };
        let tokens = if lines_are_rows {
            tokens_of_rows(rows.clone())
        } else if parts.is_empty() {
            block.tokens.len()
        } else {
            0
        };
        let severity = worst(block, |f| match f.cell {
            Some([r, _]) => rows.contains(&r),
            None => parts.is_empty(),
        });
        parts.push(Part {
            text: lines.join("\n"),
            tokens,
            severity,
        });
        if row == first {
            break;
        }
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_follow_sections_and_keep_markers() {
        let chunks = document_chunks(&super::super::tests::sample(), "forum", 1000);
        assert_eq!(chunks.len(), 2);
        assert_eq!(chunks[0].id, "forum/c1");
        assert_eq!(
            chunks[0].heading_path,
            vec!["발제1 마포구 사회적경제 생태계"]
        );
        assert_eq!(
            chunks[1].heading_path,
            vec!["발제1 마포구 사회적경제 생태계", "1."]
        );
        assert_eq!(chunks[1].block_ids, vec!["b2"]);
        assert!(chunks[1]
            .text
            .starts_with("구분 | 참여 기관 | 참여 인원\n서남권"));
        assert_eq!(
            chunks[0].char_count,
            "사회적경제 생태계 구축".chars().count()
        );
    }

    /// A long paragraph of the sample booklet's kind, cut at sentence ends.
    #[test]
    fn a_long_paragraph_is_cut_at_sentence_ends() {
        let mut document = super::super::tests::sample();
        let sentence = "자치구 사회적경제 통합지원센터는 지역 생태계 조성을 위해 노력하고 있다. ";
        document.blocks[0].text = sentence.repeat(10).trim_end().to_string();
        let limit = sentence.chars().count() * 3 + 5;
        let chunks = document_chunks(&document, "forum", limit);
        let parts: Vec<&Chunk> = chunks.iter().filter(|c| c.block_ids == ["b1"]).collect();
        assert_eq!(parts.len(), 4, "{parts:#?}");
        for part in &parts {
            assert!(part.char_count <= limit);
            assert!(part.text.ends_with("있다."), "{}", part.text);
        }
        assert_eq!(parts[3].part, Some([4, 4]));
    }

    #[test]
    fn a_long_table_is_split_by_rows_with_the_header_repeated() {
        let mut document = super::super::tests::sample();
        if let Some(table) = document.blocks[1].table.as_mut() {
            let row = table.rows[1].clone();
            for _ in 0..20 {
                table.rows.push(row.clone());
            }
        }
        let chunks = document_chunks(&document, "forum", 100);
        let parts: Vec<&Chunk> = chunks.iter().filter(|c| c.block_ids == ["b2"]).collect();
        assert!(parts.len() > 3, "{parts:#?}");
        let rows: usize = parts.iter().map(|p| p.text.lines().count() - 1).sum();
        assert_eq!(rows, 21);
        for part in &parts {
            assert!(part.text.starts_with("구분 | 참여 기관 | 참여 인원\n"));
            assert!(part.char_count <= 100);
        }
    }
}
