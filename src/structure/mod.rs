//! Structure: rules that turn normalised lines into the booklet's anatomy: title, table of
//! contents, the section tree, and typed blocks (headings, paragraphs, lists, tables, captions,
//! footnotes, figures). Works the same on both paths because both arrive as `model::Page`.
//!
//! `blocks` segments lines into blocks, `toc` reads the table of contents, `sections` builds
//! the tree (placing sections the TOC lists but the body never heads), `speakers`, `tables`
//! and `colophon` read their parts; every pattern lives in `rules`.

pub mod blocks;
pub mod colophon;
pub mod headings;
pub mod joins;
pub mod outline;
pub mod program;
pub mod rules;
pub mod sections;
pub mod speakers;
pub mod tables;
pub mod text;
pub mod toc;
pub mod usage;

use std::sync::atomic::{AtomicBool, Ordering};

use crate::analyze::Analyzer;
use crate::document::{Block, BlockQuality, BlockType, KeyValue, ProgramItem, Section, TocEntry};
use crate::model::{BBox, Line, Page, WrapHabit};

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
    pub program: Vec<ProgramItem>,
}

/// Builds the structure, asking the analyzer where hard-wrapped lines break inside a word
/// (see [`text::analyzer_joins`], and [`text::analyzer_joins_anywhere`] where the writer broke
/// lines anywhere). The pass is serial; beside it, a helper decides the likely
/// breaks from the document's end on an idle worker (see [`joins`]).
pub fn build(pages: &[Page], analyzer: &Analyzer) -> Structure {
    let answers = joins::JoinAnswers::default();
    let done = AtomicBool::new(false);
    // Counted by whichever of the pass and the helper needs it first, so that the counting
    // overlaps the other's work instead of delaying both.
    let usage = std::sync::OnceLock::new();
    let anywhere = breaks_anywhere(pages);
    let decide = |last: &str, first: &str| {
        if anywhere {
            let usage = usage.get_or_init(|| usage::Usage::of(pages));
            text::analyzer_joins_anywhere(analyzer, usage, last, first)
        } else {
            text::analyzer_joins(analyzer, last, first)
        }
    };
    let (structure, ()) = rayon::join(
        || {
            let structure = build_with(pages, &|last: &str, first: &str| {
                answers.get_or(last, first, || decide(last, first))
            });
            done.store(true, Ordering::Relaxed);
            structure
        },
        || {
            // Run after the pass (no idle worker took it): nothing left to help with.
            if done.load(Ordering::Relaxed) {
                return;
            }
            let lines: Vec<&Line> = pages.iter().flat_map(|p| p.lines.iter()).collect();
            let queries = joins::likely_queries(&lines);
            answers.fill_from_the_end(&queries, &done, decide);
        },
    );
    structure
}

/// Whether the document's writer broke lines anywhere, inside words too (PDF path; the wraps
/// the analyzer sees there are mostly inside words).
pub fn breaks_anywhere(pages: &[Page]) -> bool {
    pages
        .first()
        .is_some_and(|p| p.wrap_habit == WrapHabit::Anywhere)
}

/// Builds the structure with any word-break decision (tests use fixed ones).
pub fn build_with(pages: &[Page], join: WordJoin) -> Structure {
    let lines: Vec<&Line> = pages.iter().flat_map(|p| p.lines.iter()).collect();
    let tables = pages
        .iter()
        .flat_map(|p| {
            p.lines
                .iter()
                .map(|l| l.table.and_then(|t| p.tables.get(t as usize)))
        })
        .collect();
    let mut drafts = Segmenter::with_tables(&lines, tables, join).run();
    mark_title(&mut drafts, &lines);
    headings::settle(&mut drafts, &lines, pages);
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
    let toc_end = toc_items.last().map_or(0, |(d, _)| *d);
    let (plans, _map) = sections::plan(&mut drafts, &lines, &items, toc_end, colophon_start);
    let captions = attach_captions(&drafts);
    let title = drafts
        .iter()
        .find(|d| d.kind == BlockType::Title)
        .map(|d| d.text.clone());

    let section_ids: Vec<String> = (0..plans.len()).map(|i| format!("s{}", i + 1)).collect();
    // Furniture before the first section (a running header on page 1) belongs to it.
    let owner = |d: usize| -> Option<usize> {
        plans
            .iter()
            .rposition(|p| p.start <= d)
            .or((!plans.is_empty()).then_some(0))
    };
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
    let toc_levels = toc::levels(&items);
    let toc = toc_items
        .iter()
        .enumerate()
        .map(|(t, (_, item))| TocEntry {
            level: toc_levels.get(t).copied().flatten(),
            label: item.label.clone(),
            title: item.title.clone(),
            page: item.page,
            section: plans
                .iter()
                .position(|p| p.toc.contains(&t))
                .map(|p| section_ids[p].clone()),
        })
        .collect();
    let mut sections = tree(&plans, &section_ids, &blocks, &owner);
    let program = program::read(&blocks);
    program::give_speakers(&mut sections, &program);
    Structure {
        title,
        toc,
        sections,
        blocks,
        colophon,
        program,
    }
}

/// Prose, never a title: a sentence break inside the text (`…적절한 것은? 단, …`) or a
/// declarative ending (`…확장했다는 것입니다.`).
static PROSE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"[가-힣][.?!]\s+[가-힣(]|다\.\s*$").expect("a valid pattern")
});

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
                && drafts[d].marker.is_none()
                && drafts[d].text.chars().count() <= 120
                && drafts[d].lines.len() <= 3
                && !PROSE.is_match(drafts[d].text.trim())
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
    // A PDF block continued onto a later page keeps that page too.
    let end_page = draft
        .lines
        .iter()
        .filter_map(|&i| lines.get(i))
        .filter(|l| l.bbox.is_some())
        .map(|l| l.page)
        .max()
        .filter(|&last| Some(last) != page);
    let source: Vec<usize> = draft
        .lines
        .iter()
        .filter_map(|&i| lines.get(i).and_then(|l| l.source_line))
        .collect();
    let span = draft.source_lines.or_else(|| {
        source
            .iter()
            .min()
            .zip(source.iter().max())
            .map(|(a, b)| [*a, *b])
    });
    Block {
        id: format!("b{}", index + 1),
        kind: draft.kind,
        section,
        text: draft.text.clone(),
        level: draft.level,
        marker: draft.marker.clone(),
        page,
        bbox,
        end_page,
        lines: span,
        location: first
            .and_then(|l| l.hint.as_ref())
            .and_then(|h| h.location)
            .map(|at| crate::document::SourceLocation {
                section: at.section,
                paragraph: at.paragraph,
                cell: at.cell,
            }),
        table: draft.table.clone().map(Box::new),
        figure: draft.figure.clone(),
        annotation: first
            .and_then(|l| l.hint.as_ref())
            .and_then(|h| match &h.kind {
                crate::model::HintKind::Annotation(a) => Some(a.clone()),
                _ => None,
            }),
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
            // Forums nest under their appendix; headings found through the TOC under theirs.
            let fits = |parent: &Section| match plan.kind {
                crate::document::SectionKind::Forum => {
                    parent.kind == crate::document::SectionKind::Appendix
                }
                crate::document::SectionKind::Other => {
                    parent.kind == crate::document::SectionKind::Other
                }
                _ => false,
            };
            if let Some(parent) = top.last_mut().filter(|p| fits(p)) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{LineRole, LineSpan, SpanKind};

    #[test]
    fn prose_is_no_title() {
        // The exam fixture's question stem and a sentence of the sample booklet (line 113).
        assert!(PROSE.is_match(
            "윗글의 (가)와 (나)에 대한 설명으로 가장 적절한 것은? 단, (가)는 첫째 문단이고 (나)는 둘째 문단이다."
        ));
        assert!(PROSE.is_match("지역의 사회적경제 거버넌스를 구축하고 확장했다는 것입니다."));
        assert!(!PROSE.is_match("2020년 서울시 사회적경제 생태계 구축 성과 포럼 자료집"));
        assert!(!PROSE.is_match("[발제2] 자치구 거버넌스 구축 성과와 과제"));
        assert!(!PROSE.is_match("사회적경제란 무엇인가?"));
    }

    fn line(text: &str, page: u32, y: f32, size: f32) -> Line {
        Line {
            text: text.into(),
            page,
            bbox: Some([50.0, y, 300.0, y + size]),
            font_size: Some(size),
            starts_paragraph: true,
            ..Line::default()
        }
    }

    /// The PDF path: sizes make headings, `Line::table` rows make a table, furniture stays
    /// out of paragraphs, superscript spans become `¹`, blocks carry page and bbox.
    #[test]
    fn pdf_lines_become_the_same_blocks() {
        let mut header = line(
            "2020년 서울시 사회적경제 생태계 구축 성과 포럼",
            1,
            20.0,
            8.0,
        );
        header.role = LineRole::RunningHeader;
        let title = line("[발제2] 자치구 거버넌스 구축 성과와 과제", 1, 60.0, 18.0);
        let byline_1 = line("은평구사회적경제허브센터", 1, 100.0, 10.0);
        let mut byline_2 = line("박치득 센터장", 1, 112.0, 10.0);
        byline_2.starts_paragraph = false;
        let heading = line("민관거버넌스 사례", 1, 140.0, 14.0);
        let mut p1 = line(
            "거버넌스는 자치구마다 다르고 형태도 다양하기 때문에 은평구 사례를",
            1,
            170.0,
            10.0,
        );
        p1.spans.push(LineSpan {
            start: 0,
            end: 0,
            kind: SpanKind::Emphasis,
        });
        let mut p2 = line(
            "통해 거버넌스의 이슈들을 발제 해보고자 합니다1.",
            1,
            182.0,
            10.0,
        );
        p2.starts_paragraph = false;
        let one = p2.text.rfind('1').expect("marker");
        p2.spans.push(LineSpan {
            start: one,
            end: one + 1,
            kind: SpanKind::Superscript,
        });
        let mut anchor = line("", 1, 220.0, 10.0);
        anchor.table = Some(0);
        let cell = |row: u32, col: u32, text: &str| {
            crate::model::Cell::new(
                row,
                col,
                1,
                vec![line(text, 1, 220.0 + 12.0 * row as f32, 10.0)],
            )
        };
        let mut typed = crate::model::Table {
            page: 1,
            cells: vec![
                cell(0, 0, "성 과"),
                cell(0, 2, "과 제 / 방 안"),
                cell(1, 0, "민관"),
                cell(1, 1, "-민간의 주도성 기반 구축"),
                cell(1, 2, "행정 견인을 위한 민간의 역량 강화"),
            ],
            ..crate::model::Table::default()
        };
        typed.normalize_grid();
        let caption = line("<민관 거버넌스 성과와 과제>", 1, 250.0, 9.0);
        let footnote = line(
            "1 은평의 경우, 위원장을 민간이 맡는 것으로 결정하였음",
            1,
            700.0,
            8.0,
        );
        let mut number = line("17", 1, 760.0, 8.0);
        number.role = LineRole::PageNumber;
        let page = Page {
            number: 1,
            width: 595.0,
            height: 842.0,
            lines: vec![
                header, title, byline_1, byline_2, heading, p1, p2, anchor, caption, footnote,
                number,
            ],
            tables: vec![typed],
            ..Page::default()
        };
        let never = |_: &str, _: &str| false;
        let s = build_with(&[page], &never);
        let kinds: Vec<BlockType> = s.blocks.iter().map(|b| b.kind).collect();
        assert_eq!(
            kinds,
            [
                BlockType::Furniture,
                BlockType::Heading,
                BlockType::Byline,
                BlockType::Heading,
                BlockType::Paragraph,
                BlockType::Table,
                BlockType::Caption,
                BlockType::Footnote,
                BlockType::Furniture,
            ]
        );
        let para = &s.blocks[4];
        assert_eq!(
            para.text,
            "거버넌스는 자치구마다 다르고 형태도 다양하기 때문에 은평구 사례를 통해 거버넌스의 이슈들을 발제 해보고자 합니다¹."
        );
        assert_eq!(para.page, Some(1));
        assert_eq!(para.bbox, Some([50.0, 170.0, 300.0, 192.0]));
        assert_eq!(para.lines, None);
        let table = s.blocks[5].table.as_ref().expect("table");
        assert_eq!(table.rows.len(), 2);
        // The letter-spaced label is collapsed; the empty cell keeps the columns aligned.
        assert_eq!(table.rows[0], ["성과", "", "과 제 / 방 안"]);
        assert_eq!(table.caption.as_deref(), Some("b7"));
        assert_eq!(s.blocks[7].marker.as_deref(), Some("1"));
        let presentation = &s.sections[0];
        assert_eq!(
            presentation.kind,
            crate::document::SectionKind::Presentation
        );
        assert_eq!(presentation.speakers[0].name, "박치득");
        assert_eq!(presentation.page, Some(1));
        assert!(s.blocks.iter().all(|b| b.section.as_deref() == Some("s1")));
        // The heading set in 14 pt under an 18 pt title is one level down.
        assert_eq!(s.blocks[3].level, Some(2));
        assert_eq!(para.end_page, None);
    }

    /// A paragraph continued from the foot of page 1 onto page 2 (sample lines 118-122, the
    /// page number between) is one block that keeps both pages.
    #[test]
    fn a_paragraph_across_a_page_break_keeps_both_pages() {
        let mut number = line("- 1 -", 1, 800.0, 9.0);
        number.role = LineRole::PageNumber;
        let page = |number: u32, lines: Vec<Line>| crate::model::Page {
            number,
            width: 595.0,
            height: 842.0,
            lines,
            ..crate::model::Page::default()
        };
        let pages = [
            page(
                1,
                vec![
                    line("설명해내거나 논리적으로 설득하는 것에 부족함이 있었던 것은 아닐까 생각합니다.", 1, 740.0, 10.0),
                    line("또 자치구 생태계 사업에 대한 연구가 외부 연구자들에 의해", 1, 760.0, 10.0),
                    number,
                ],
            ),
            page(
                2,
                vec![line("이루어졌지만 결과나 과정이 현장과 공감하고 이해하는 평가의 기회들이 부족했던 아쉬움이 있습니다.", 2, 80.0, 10.0)],
            ),
        ];
        let never = |_: &str, _: &str| false;
        let s = build_with(&pages, &never);
        let block = s
            .blocks
            .iter()
            .find(|b| b.text.contains("외부 연구자들에 의해 이루어졌지만"))
            .expect("one block across the break");
        assert_eq!(block.page, Some(1));
        assert_eq!(block.end_page, Some(2));
        assert_eq!(block.bbox, Some([50.0, 760.0, 300.0, 770.0]));
    }
}

#[cfg(test)]
mod section_tests {
    use super::*;
    use crate::document::SectionKind;

    fn build_text(text: &str) -> Structure {
        let pages = crate::extract::text::extract(text).pages;
        let never = |_: &str, _: &str| false;
        build_with(&pages, &never)
    }

    #[test]
    fn slide_text_repeating_a_section_heading_is_not_a_new_section() {
        let s = build_text(
            "[발제2] 자치구 거버넌스\n구축 성과와 과제\n\n은평구사회적경제허브센터\n박치득 센터장\n\n거버넌스는 자치구마다 다르고 형태도 다양하기 때문입니다.\n\n[발제2] 자치구 거버넌스 구축 성과와 과제\n\n민관거버넌스 사례\n",
        );
        let presentations: Vec<&Section> = flatten(&s.sections)
            .into_iter()
            .filter(|x| x.kind == SectionKind::Presentation)
            .collect();
        assert_eq!(presentations.len(), 1);
        let repeat = s
            .blocks
            .iter()
            .find(|b| b.lines == Some([9, 9]))
            .expect("the repeated line");
        assert_eq!(repeat.kind, BlockType::Heading);
        assert_eq!(repeat.section.as_deref(), Some("s1"));
    }

    #[test]
    fn an_ordinary_toc_links_to_the_headings_that_repeat_it() {
        // The form of a government report (gov_niklp_workplan): `[ 목 차 ]`, dot leaders,
        // a part title listed without a page.
        let s = build_text(
            "[ 목 차 ]\n\nⅠ. 2021년 평가 ··························· 1\nⅡ. 2022년 정책방향 ······················· 4\nⅢ. 주요업무 추진계획\n1. 언어자원, 키우기 ···························· 6\n\nⅠ. 2021년 평가\n\n말뭉치 구축 및 공개 현황을 살펴보면 다음과 같습니다.\n\nⅡ. 2022년 정책방향\n\n정책 환경과 대응 방향을 정리하였습니다.\n",
        );
        let labels: Vec<(Option<&str>, Option<u32>, bool)> = s
            .toc
            .iter()
            .map(|e| (e.label.as_deref(), e.page, e.section.is_some()))
            .collect();
        assert_eq!(s.toc.len(), 4);
        assert_eq!(labels[0], (None, Some(1), true));
        assert_eq!(labels[1], (None, Some(4), true));
        assert_eq!(labels[2], (None, None, false));
        let others: Vec<&str> = flatten(&s.sections)
            .into_iter()
            .filter(|x| x.kind == SectionKind::Other)
            .filter_map(|x| x.title.as_deref())
            .collect();
        assert_eq!(others, ["Ⅰ. 2021년 평가", "Ⅱ. 2022년 정책방향"]);
    }
}
