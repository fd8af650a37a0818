//! Structure: rules that turn normalised lines into the booklet's anatomy: title, table of
//! contents, the section tree, and typed blocks (headings, paragraphs, lists, tables, captions,
//! footnotes, figures). Works the same on both paths because both arrive as `model::Page`.
//!
//! `blocks` segments lines into blocks, `toc` reads the table of contents, `sections` builds
//! the tree (placing sections the TOC lists but the body never heads), `speakers`, `tables`
//! and `colophon` read their parts; every pattern lives in `rules`.

pub mod blocks;
pub mod colophon;
pub mod rules;
pub mod sections;
pub mod speakers;
pub mod tables;
pub mod text;
pub mod toc;

use crate::analyze::Analyzer;
use crate::document::{Block, BlockQuality, BlockType, KeyValue, Section, TocEntry};
use crate::model::{BBox, Line, Page};

use blocks::{Draft, Segmenter};
use sections::Plan;
use text::WordJoin;

/// The result of the structure stage: everything in the document but tokens and quality.
#[derive(Debug, Clone, Default)]
pub struct Structure {
    pub title: Option<String>,
    pub toc: Vec<TocEntry>,
    pub sections: Vec<Section>,
    pub blocks: Vec<Block>,
    pub colophon: Vec<KeyValue>,
}

/// Builds the structure, asking the analyzer where hard-wrapped lines break inside a word.
pub fn build(pages: &[Page], analyzer: &Analyzer) -> Structure {
    build_with(pages, &|before: &str, after: &str| {
        analyzer.joins_without_space(before, after)
    })
}

/// Builds the structure with any word-break decision (tests use fixed ones).
pub fn build_with(pages: &[Page], join: WordJoin) -> Structure {
    let lines: Vec<&Line> = pages.iter().flat_map(|p| p.lines.iter()).collect();
    let mut drafts = Segmenter::new(&lines, join).run();
    mark_title(&mut drafts, &lines);
    let toc_items: Vec<(usize, toc::TocItem)> = drafts
        .iter()
        .enumerate()
        .flat_map(|(d, draft)| draft.toc.iter().cloned().map(move |t| (d, t)))
        .collect();
    let items: Vec<toc::TocItem> = toc_items.iter().map(|(_, t)| t.clone()).collect();
    let last_mark = drafts.iter().rposition(|d| d.mark.is_some()).unwrap_or(0);
    let colophon_start = colophon::find_start(&drafts, last_mark);
    let colophon = colophon_start
        .map(|c| colophon::entries(&drafts, &lines, c))
        .unwrap_or_default();
    let (plans, _map) = sections::plan(&mut drafts, &lines, &items, colophon_start);
    let captions = attach_captions(&drafts);
    let title = drafts
        .iter()
        .find(|d| d.kind == BlockType::Title)
        .map(|d| d.text.clone());

    let section_ids: Vec<String> = (0..plans.len()).map(|i| format!("s{}", i + 1)).collect();
    let owner = |d: usize| -> Option<usize> { plans.iter().rposition(|p| p.start <= d) };
    let mut blocks = Vec::with_capacity(drafts.len());
    for (d, draft) in drafts.iter().enumerate() {
        let section = owner(d).map(|p| section_ids[p].clone());
        let mut block = to_block(d, draft, &lines, section);
        if let Some(table) = block.table.as_mut() {
            table.caption = captions
                .iter()
                .find(|(t, _)| *t == d)
                .map(|(_, c)| format!("b{}", c + 1));
        }
        blocks.push(block);
    }
    let toc = toc_items
        .iter()
        .enumerate()
        .map(|(t, (_, item))| TocEntry {
            label: item.label.clone(),
            title: item.title.clone(),
            page: item.page,
            section: plans
                .iter()
                .position(|p| p.toc.contains(&t))
                .map(|p| section_ids[p].clone()),
        })
        .collect();
    let sections = tree(&plans, &section_ids, &blocks, &owner);
    Structure {
        title,
        toc,
        sections,
        blocks,
        colophon,
    }
}

/// The title: the first block of the document when it stands before the TOC and the first
/// section (PDF path: the block set in the largest size on the first page).
fn mark_title(drafts: &mut [Draft], lines: &[&Line]) {
    let limit = drafts
        .iter()
        .position(|d| d.mark.is_some() || d.kind == BlockType::TocEntry)
        .unwrap_or(drafts.len());
    let candidates: Vec<usize> = (0..limit)
        .filter(|&d| {
            matches!(drafts[d].kind, BlockType::Paragraph | BlockType::Heading)
                && drafts[d].text.chars().count() <= 120
                && drafts[d].lines.len() <= 3
                && lines
                    .get(drafts[d].first_line())
                    .is_some_and(|l| l.page == lines[0].page)
        })
        .collect();
    let size = |d: usize| -> f32 {
        drafts[d]
            .lines
            .iter()
            .filter_map(|&i| lines.get(i).and_then(|l| l.font_size))
            .fold(0.0, f32::max)
    };
    let chosen = if candidates.iter().any(|&d| size(d) > 0.0) {
        candidates
            .iter()
            .copied()
            .max_by(|&a, &b| size(a).total_cmp(&size(b)).then(b.cmp(&a)))
    } else {
        candidates.first().copied()
    };
    if let Some(d) = chosen {
        // A title is not a TOC heading (`목 차`).
        if !rules::TOC_HEADING.is_match(&drafts[d].text) {
            drafts[d].kind = BlockType::Title;
            drafts[d].level = None;
        }
    }
}

/// Captions attached to the table next to them: the table just above a caption (the sample
/// puts captions under tables), else the table just below. Returns `(table, caption)` pairs.
fn attach_captions(drafts: &[Draft]) -> Vec<(usize, usize)> {
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    let neighbour = |from: usize, step: isize| -> Option<usize> {
        let mut i = from as isize + step;
        while i >= 0 && (i as usize) < drafts.len() {
            let d = &drafts[i as usize];
            if d.kind != BlockType::Furniture {
                return Some(i as usize);
            }
            i += step;
        }
        None
    };
    for (c, d) in drafts.iter().enumerate() {
        if d.kind != BlockType::Caption {
            continue;
        }
        let free = |t: usize, pairs: &Vec<(usize, usize)>| {
            drafts[t].kind == BlockType::Table && !pairs.iter().any(|(u, _)| *u == t)
        };
        if let Some(t) = neighbour(c, -1).filter(|&t| free(t, &pairs)) {
            pairs.push((t, c));
        } else if let Some(t) = neighbour(c, 1).filter(|&t| free(t, &pairs)) {
            pairs.push((t, c));
        }
    }
    pairs
}

fn union(a: BBox, b: BBox) -> BBox {
    [
        a[0].min(b[0]),
        a[1].min(b[1]),
        a[2].max(b[2]),
        a[3].max(b[3]),
    ]
}

fn to_block(index: usize, draft: &Draft, lines: &[&Line], section: Option<String>) -> Block {
    let first = lines.get(draft.first_line());
    let page = first.map(|l| l.page);
    let bbox = draft
        .lines
        .iter()
        .filter_map(|&i| lines.get(i))
        .filter(|l| Some(l.page) == page)
        .filter_map(|l| l.bbox)
        .reduce(union);
    let source: Vec<usize> = draft
        .lines
        .iter()
        .filter_map(|&i| lines.get(i).and_then(|l| l.source_line))
        .collect();
    let span = source
        .iter()
        .min()
        .zip(source.iter().max())
        .map(|(a, b)| [*a, *b]);
    Block {
        id: format!("b{}", index + 1),
        kind: draft.kind,
        section,
        text: draft.text.clone(),
        level: draft.level,
        marker: draft.marker.clone(),
        page,
        bbox,
        lines: span,
        table: draft.table.clone(),
        figure: draft.figure.clone(),
        emphasis: draft.emphasis.clone(),
        tokens: Vec::new(),
        quality: BlockQuality::default(),
    }
}

fn tree(
    plans: &[Plan],
    ids: &[String],
    blocks: &[Block],
    owner: &dyn Fn(usize) -> Option<usize>,
) -> Vec<Section> {
    let section = |i: usize| -> Section {
        let p = &plans[i];
        Section {
            id: ids[i].clone(),
            kind: p.kind,
            label: p.label.clone(),
            title: p.title.clone(),
            level: p.level,
            speakers: p.speakers.clone(),
            page: p.page,
            blocks: (0..blocks.len())
                .filter(|&d| owner(d) == Some(i))
                .map(|d| blocks[d].id.clone())
                .collect(),
            children: Vec::new(),
            located_by: p.located_by.clone(),
        }
    };
    let mut top: Vec<Section> = Vec::new();
    for (i, plan) in plans.iter().enumerate() {
        let s = section(i);
        if plan.level > 1 {
            if let Some(parent) = top.last_mut() {
                parent.children.push(s);
                continue;
            }
        }
        top.push(s);
    }
    top
}

/// Every section in the tree, depth first.
pub fn flatten(sections: &[Section]) -> Vec<&Section> {
    let mut out = Vec::new();
    for s in sections {
        out.push(s);
        out.extend(flatten(&s.children));
    }
    out
}
