//! The derived outputs on the sample booklet (text and PDF): the Markdown keeps every section
//! title as a heading at its level and all 32 tables; the chunks hold every body block once,
//! never cross a top-level section, stay within the bound and carry the section tree's paths;
//! the bulk body alternates action and document lines with unique ids; page sizes are in the
//! JSON of the PDF and absent from the text's.

mod common;

use std::collections::{HashMap, HashSet};

use jaryo::document::{BlockType, Document, Section};
use jaryo::emit::chunks::{document_chunks, Chunk};
use jaryo::pipeline::{process_file, PipelineOptions};

/// The sample booklet's tables (the structure tests pin the same number).
const SAMPLE_TABLES: usize = 32;

fn sample(extension: &str) -> Option<Document> {
    let path =
        common::repo_root().join(format!("input/seoul_social_economy_forum_2020.{extension}"));
    if !path.exists() {
        eprintln!("skipped: {} is absent", path.display());
        return None;
    }
    match process_file(&path, &PipelineOptions::default(), common::analyzer()) {
        Ok(document) => Some(document),
        Err(e) => panic!("{}: {e}", path.display()),
    }
}

fn documents() -> Vec<(&'static str, Document)> {
    ["txt", "pdf"]
        .into_iter()
        .filter_map(|ext| sample(ext).map(|d| (ext, d)))
        .collect()
}

fn preorder(sections: &[Section]) -> Vec<&Section> {
    let mut out = Vec::new();
    for section in sections {
        out.push(section);
        out.extend(preorder(&section.children));
    }
    out
}

fn name(section: &Section) -> Option<String> {
    match (section.label.as_deref(), section.title.as_deref()) {
        (Some(label), Some(title)) => Some(format!("{label} {title}")),
        (Some(only), None) | (None, Some(only)) => Some(only.to_string()),
        (None, None) => None,
    }
}

/// For every section id: its top-level section and its path of names (id when untitled).
fn tree(document: &Document) -> HashMap<String, (String, Vec<String>)> {
    fn walk(
        sections: &[Section],
        top: Option<&str>,
        path: &mut Vec<String>,
        out: &mut HashMap<String, (String, Vec<String>)>,
    ) {
        for section in sections {
            let top = top.unwrap_or(&section.id).to_string();
            path.push(name(section).unwrap_or_else(|| section.id.clone()));
            out.insert(section.id.clone(), (top.clone(), path.clone()));
            walk(&section.children, Some(&top), path, out);
            path.pop();
        }
    }
    let mut out = HashMap::new();
    walk(&document.sections, None, &mut Vec::new(), &mut out);
    out
}

#[test]
fn markdown_has_every_section_heading_at_its_level_and_every_table() {
    for (ext, document) in documents() {
        let markdown = jaryo::emit::markdown::document_markdown(&document);
        // Headings without the Markdown escapes.
        let headings: Vec<String> = markdown
            .lines()
            .filter(|l| l.starts_with('#'))
            .map(|l| l.replace('\\', ""))
            .collect();
        let mut titled = 0;
        for section in preorder(&document.sections) {
            let Some(title) = name(section) else { continue };
            titled += 1;
            let expected = format!(
                "{} {}",
                "#".repeat(section.level as usize),
                title.replace('\n', " ")
            );
            assert!(
                headings.contains(&expected),
                "{ext}: no heading `{expected}` in {headings:#?}"
            );
        }
        assert!(titled >= 12, "{ext}: {titled} titled sections");
        let html_tables = markdown.matches("\n<table>\n").count();
        let pipe_tables = markdown
            .lines()
            .filter(|l| l.starts_with("| --- |"))
            .count();
        let tables = document.blocks.iter().filter(|b| b.table.is_some()).count();
        assert_eq!(tables, SAMPLE_TABLES, "{ext}");
        assert_eq!(html_tables + pipe_tables, SAMPLE_TABLES, "{ext}");
        // Every flag has its note, and the page comments follow the pages.
        let flags: usize = document.blocks.iter().map(|b| b.quality.flags.len()).sum();
        let notes = markdown
            .lines()
            .filter(|l| l.starts_with("[^flag-"))
            .count();
        let body_flags: usize = document
            .blocks
            .iter()
            .filter(|b| b.kind != BlockType::Furniture)
            .map(|b| b.quality.flags.len())
            .sum();
        assert_eq!(notes, body_flags, "{ext}: {flags} flags");
        if ext == "pdf" {
            assert!(markdown.contains("<!-- page 82 -->"));
        }
    }
}

fn check_chunks(ext: &str, document: &Document, chunks: &[Chunk], bound: usize) {
    let tree = tree(document);
    let blocks: HashMap<&str, &jaryo::document::Block> =
        document.blocks.iter().map(|b| (b.id.as_str(), b)).collect();
    // Every body block in exactly one chunk, or in consecutive parts of one block.
    let mut seen: HashMap<&str, Vec<usize>> = HashMap::new();
    for (index, chunk) in chunks.iter().enumerate() {
        for id in &chunk.block_ids {
            seen.entry(id.as_str()).or_default().push(index);
        }
    }
    for block in document
        .blocks
        .iter()
        .filter(|b| b.kind != BlockType::Furniture)
    {
        let at = seen
            .get(block.id.as_str())
            .unwrap_or_else(|| panic!("{ext}: {} in no chunk", block.id));
        if at.len() > 1 {
            assert!(
                at.windows(2).all(|w| w[1] == w[0] + 1),
                "{ext}: {} in {at:?}",
                block.id
            );
            for (k, &i) in at.iter().enumerate() {
                assert_eq!(
                    chunks[i].part,
                    Some([k + 1, at.len()]),
                    "{ext}: {}",
                    block.id
                );
                assert_eq!(chunks[i].block_ids, vec![block.id.clone()]);
            }
        }
    }
    assert!(
        seen.keys().all(|id| blocks
            .get(id)
            .is_some_and(|b| b.kind != BlockType::Furniture)),
        "{ext}: furniture or unknown blocks in chunks"
    );
    let mut ids = HashSet::new();
    for chunk in chunks {
        assert!(
            ids.insert(chunk.id.clone()),
            "{ext}: duplicate {}",
            chunk.id
        );
        assert!(!chunk.text.is_empty(), "{ext}: empty {}", chunk.id);
        assert_eq!(chunk.char_count, chunk.text.chars().count());
        // One top-level section, and the section tree's path.
        let tops: HashSet<Option<&String>> = chunk
            .block_ids
            .iter()
            .map(|id| blocks[id.as_str()].section.as_ref().map(|s| &tree[s].0))
            .collect();
        assert_eq!(
            tops.len(),
            1,
            "{ext}: {} crosses top-level sections",
            chunk.id
        );
        for id in &chunk.block_ids {
            assert_eq!(
                blocks[id.as_str()].section,
                chunk.section,
                "{ext}: {}",
                chunk.id
            );
        }
        let path = chunk
            .section
            .as_ref()
            .map(|s| tree[s].1.clone())
            .unwrap_or_default();
        assert_eq!(chunk.heading_path, path, "{ext}: {}", chunk.id);
        // The size bound; only a table (one row with its header) may exceed it.
        let one_table =
            chunk.block_ids.len() == 1 && blocks[chunk.block_ids[0].as_str()].table.is_some();
        if chunk.char_count > bound {
            assert!(
                one_table,
                "{ext}: {} has {} characters",
                chunk.id, chunk.char_count
            );
            if chunk.part.is_some() {
                let header = blocks[chunk.block_ids[0].as_str()]
                    .table
                    .as_ref()
                    .map_or(0, |t| t.header_rows);
                assert_eq!(
                    chunk.text.lines().count(),
                    header + 1,
                    "{ext}: {}",
                    chunk.id
                );
            }
        }
        // Tokens: the blocks' own, when no block was cut.
        if chunk.part.is_none() {
            let tokens: usize = chunk
                .block_ids
                .iter()
                .map(|id| blocks[id.as_str()].tokens.len())
                .sum();
            assert_eq!(chunk.token_count, tokens, "{ext}: {}", chunk.id);
            let worst = chunk
                .block_ids
                .iter()
                .flat_map(|id| blocks[id.as_str()].quality.flags.iter().map(|f| f.severity))
                .max();
            assert_eq!(chunk.severity, worst, "{ext}: {}", chunk.id);
        }
    }
}

#[test]
fn chunks_cover_the_body_once_within_sections_and_the_bound() {
    for (ext, document) in documents() {
        for bound in [1000, 300] {
            let chunks = document_chunks(&document, "forum", bound);
            check_chunks(ext, &document, &chunks, bound);
            if bound == 300 {
                assert!(
                    chunks.iter().any(|c| c.part.is_some()),
                    "{ext}: nothing was cut at 300"
                );
            }
        }
        let chunks = document_chunks(&document, "forum", 1000);
        assert!(chunks.len() > 100, "{ext}: {} chunks", chunks.len());
        let flagged = chunks.iter().filter(|c| c.severity.is_some()).count();
        assert!(flagged > 0, "{ext}: no chunk carries a flag's severity");
    }
}

#[test]
fn the_bulk_body_pairs_actions_with_documents_and_ids_are_unique() {
    for (ext, document) in documents() {
        let body = jaryo::emit::bulk::bulk_ndjson(&document, "forum").unwrap();
        let text = String::from_utf8(body).unwrap();
        assert!(
            text.ends_with('\n'),
            "{ext}: the _bulk body must end with a newline"
        );
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2 * document.blocks.len(), "{ext}");
        let mut ids = HashSet::new();
        for (pair, block) in lines.chunks(2).zip(&document.blocks) {
            let action: serde_json::Value = serde_json::from_str(pair[0]).unwrap();
            let doc: serde_json::Value = serde_json::from_str(pair[1]).unwrap();
            let action = action.as_object().unwrap();
            assert_eq!(action.len(), 1, "{ext}: one action per line");
            let target = &action["index"];
            assert!(target["_index"].as_str().is_some_and(|i| !i.is_empty()
                && i == i.to_lowercase()
                && !i.starts_with(['_', '-', '+'])));
            let id = target["_id"].as_str().unwrap();
            assert_eq!(id, format!("forum/{}", block.id));
            assert!(id.len() <= 512, "{ext}: _id longer than 512 bytes");
            assert!(ids.insert(id.to_string()), "{ext}: duplicate _id {id}");
            assert_eq!(doc["id"], id);
            assert_eq!(doc["text"], block.text.as_str());
            assert!(doc.get("_id").is_none() && doc.get("_index").is_none());
        }
    }
}

#[test]
fn page_sizes_are_in_the_pdf_json_and_not_in_the_text_json() {
    for (ext, document) in documents() {
        let json: serde_json::Value =
            serde_json::from_slice(&jaryo::emit::document_json(&document).unwrap()).unwrap();
        if ext == "txt" {
            assert!(json.get("pages").is_none(), "text path: no page boxes");
            continue;
        }
        let pages = json["pages"].as_array().unwrap();
        assert_eq!(pages.len(), document.source.pages as usize);
        for (k, page) in pages.iter().enumerate() {
            assert_eq!(page["page"], k + 1);
            let (w, h) = (
                page["width"].as_f64().unwrap(),
                page["height"].as_f64().unwrap(),
            );
            assert!(w > 100.0 && h > 100.0, "page {}: {w} × {h}", k + 1);
        }
        // Every block box lies within its page.
        for block in &document.blocks {
            if let (Some(page), Some(bbox)) = (block.page, block.bbox) {
                let size = &document.pages[page as usize - 1];
                assert!(
                    bbox[2] <= size.width + 1.0 && bbox[3] <= size.height + 1.0,
                    "{}: {bbox:?} outside {size:?}",
                    block.id
                );
            }
        }
    }
}
