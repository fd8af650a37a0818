//! Structure: rules that turn normalised lines into the booklet's anatomy: title, table of
//! contents, the section tree, and typed blocks (headings, paragraphs, lists, tables, captions,
//! footnotes, figures). Works the same on both paths because both arrive as `model::Page`.

use crate::analyze::Analyzer;
use crate::document::{Block, BlockQuality, BlockType, KeyValue, Section, TocEntry};
use crate::model::{Line, LineRole, Page};

/// The result of the structure stage: everything in the document but tokens and quality.
#[derive(Debug, Clone, Default)]
pub struct Structure {
    pub title: Option<String>,
    pub toc: Vec<TocEntry>,
    pub sections: Vec<Section>,
    pub blocks: Vec<Block>,
    pub colophon: Vec<KeyValue>,
}

/// Groups lines into paragraph blocks. (The rules of issue 4 replace this.)
pub fn build(pages: &[Page], _analyzer: &Analyzer) -> Structure {
    let mut blocks = Vec::new();
    let mut current: Vec<&Line> = Vec::new();
    let body = pages
        .iter()
        .flat_map(|p| p.lines.iter())
        .filter(|l| l.role == LineRole::Body);
    for line in body {
        if line.starts_paragraph && !current.is_empty() {
            blocks.push(paragraph(blocks.len(), &current));
            current.clear();
        }
        current.push(line);
    }
    if !current.is_empty() {
        blocks.push(paragraph(blocks.len(), &current));
    }
    Structure {
        blocks,
        ..Structure::default()
    }
}

fn paragraph(index: usize, lines: &[&Line]) -> Block {
    let text = lines
        .iter()
        .map(|l| l.text.trim())
        .collect::<Vec<_>>()
        .join(" ");
    let first = lines.first().and_then(|l| l.source_line);
    let last = lines.last().and_then(|l| l.source_line);
    Block {
        id: format!("b{}", index + 1),
        kind: BlockType::Paragraph,
        section: None,
        text,
        level: None,
        marker: None,
        page: lines.first().map(|l| l.page),
        bbox: None,
        lines: first.zip(last).map(|(a, b)| [a, b]),
        table: None,
        figure: None,
        emphasis: Vec::new(),
        tokens: Vec::new(),
        quality: BlockQuality::default(),
    }
}
