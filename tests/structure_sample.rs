//! The structure stage on the real sample booklet text
//! (`input/seoul_social_economy_forum_2020.txt`): the section tree, the TOC, speakers, the
//! discussions the body never heads, the 32 tab-separated tables, captions, footnotes, the
//! figure, the colophon and provenance.
//!
//! These tests decide line breaks with a fixed "always a space" rule so they run without the
//! Korean dictionary; the wrap decisions themselves are tested in `structure::text`.

use jaryo::document::{Block, BlockType, Section, SectionKind};
use jaryo::structure::{build_with, flatten, Structure};

const SAMPLE: &str = include_str!("../input/seoul_social_economy_forum_2020.txt");

fn structure() -> Structure {
    let pages = jaryo::extract::text::extract(SAMPLE).pages;
    let spaced = |_: &str, _: &str| false;
    build_with(&pages, &spaced)
}

fn sections_of(s: &Structure, kind: SectionKind) -> Vec<&Section> {
    flatten(&s.sections)
        .into_iter()
        .filter(|x| x.kind == kind)
        .collect()
}

fn block<'a>(s: &'a Structure, id: &str) -> &'a Block {
    s.blocks
        .iter()
        .find(|b| b.id == id)
        .expect("block id exists")
}

/// The first source line of a section (its first block).
fn first_line(s: &Structure, section: &Section) -> usize {
    let id = section.blocks.first().expect("section has blocks");
    block(s, id).lines.expect("text blocks have lines")[0]
}

#[test]
fn title() {
    assert_eq!(
        structure().title.as_deref(),
        Some("2020년 서울시 사회적경제 생태계 구축 성과 포럼 자료집")
    );
}

#[test]
fn three_presentations_with_their_presenters() {
    let s = structure();
    let p = sections_of(&s, SectionKind::Presentation);
    type Presenter<'a> = (
        Option<&'a str>,
        &'a str,
        Option<&'a str>,
        Option<&'a str>,
        usize,
    );
    let got: Vec<Presenter> = p
        .iter()
        .map(|x| {
            let sp = &x.speakers[0];
            (
                x.label.as_deref(),
                sp.name.as_str(),
                sp.role.as_deref(),
                sp.affiliation.as_deref(),
                first_line(&s, x),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (
                Some("발제1"),
                "홍진주",
                Some("센터장"),
                Some("마포구사회적경제통합지원센터"),
                82
            ),
            (
                Some("발제2"),
                "박치득",
                Some("센터장"),
                Some("은평구사회적경제허브센터"),
                419
            ),
            (
                Some("발제3"),
                "권소일",
                Some("책임"),
                Some("서울시사회적경제지원센터 시민경제연구U"),
                669
            ),
        ]
    );
    assert_eq!(
        p[2].title.as_deref(),
        Some(
            "서울시 사회적경제 5개년 계획에서는 광역-자치구 지원센터의 관계를 어떻게 설정하였는가?"
        )
    );
    assert_eq!(
        p[0].title.as_deref(),
        Some("자치구별 사회적경제 통합지원센터 현황과 전략과제")
    );
    assert_eq!(
        p.iter().map(|x| x.page).collect::<Vec<_>>(),
        [Some(8), Some(16), Some(30)]
    );
}

#[test]
fn appendices_with_forums_nested_under_the_first() {
    let s = structure();
    let appendices = sections_of(&s, SectionKind::Appendix);
    assert_eq!(
        appendices
            .iter()
            .map(|a| a.label.as_deref())
            .collect::<Vec<_>>(),
        [Some("부록1"), Some("부록2")]
    );
    assert_eq!(first_line(&s, appendices[0]), 929);
    assert_eq!(first_line(&s, appendices[1]), 2214);
    let forums: Vec<(Option<&str>, u8)> = appendices[0]
        .children
        .iter()
        .map(|f| (f.label.as_deref(), f.level))
        .collect();
    assert_eq!(forums, [(Some("1차"), 2), (Some("3차"), 2)]);
    assert!(appendices[0]
        .children
        .iter()
        .all(|f| f.kind == SectionKind::Forum));
    assert_eq!(
        appendices[0].children[0].title.as_deref(),
        Some("자치구 사회적경제지원센터 권역별(서남권) 사전 포럼")
    );
    // The presenters named in the first forum's programme.
    let names: Vec<&str> = appendices[0].children[0]
        .speakers
        .iter()
        .map(|sp| sp.name.as_str())
        .collect();
    assert!(names.starts_with(&["이종환", "이향자"]), "{names:?}");
    assert!(appendices[1].children.is_empty());
}

#[test]
fn toc_has_nine_entries_with_pages_linked_to_sections() {
    let s = structure();
    let entries: Vec<(Option<&str>, Option<u32>)> =
        s.toc.iter().map(|e| (e.label.as_deref(), e.page)).collect();
    assert_eq!(
        entries,
        [
            (Some("발제1"), Some(8)),
            (Some("발제2"), Some(16)),
            (Some("토론 1"), Some(22)),
            (Some("토론 2"), Some(26)),
            (Some("발제3"), Some(30)),
            (Some("토론 1"), Some(36)),
            (Some("토론 2"), Some(40)),
            (Some("부록1"), Some(44)),
            // The second entry on the line `44 부록1. … 부록2. …` has no page of its own.
            (Some("부록2"), None),
        ]
    );
    let all = flatten(&s.sections);
    for entry in &s.toc {
        let id = entry.section.as_deref().expect("every entry is linked");
        let section = all
            .iter()
            .find(|x| x.id == id)
            .expect("linked section exists");
        assert_eq!(section.label, entry.label, "{entry:?}");
    }
    // The TOC is not a table.
    assert!(s
        .blocks
        .iter()
        .filter(|b| b.kind == BlockType::Table)
        .all(|b| b.lines.expect("lines")[0] > 16));
    assert_eq!(
        s.blocks
            .iter()
            .filter(|b| b.kind == BlockType::TocEntry)
            .count(),
        8
    );
}

#[test]
fn discussions_missing_from_the_body_are_placed_where_they_start() {
    let s = structure();
    let d = sections_of(&s, SectionKind::Discussion);
    let got: Vec<(Option<&str>, &str, usize, Option<u32>)> = d
        .iter()
        .map(|x| {
            (
                x.label.as_deref(),
                x.speakers[0].name.as_str(),
                first_line(&s, x),
                x.page,
            )
        })
        .collect();
    // Read off the text: 관악's paper opens with `*본 토론문은 …` (527); 노원's talk opens
    // with its slides `민관 거버넌스 형성 성과와 과제` (576) before `토론문이라기 보다는 …`;
    // 구로's talk starts after 발제3's `4. 토론거리` list (802); 동대문's opens with its title
    // slide `전환의 시대, 변화를 위한 관계` (851) above the byline `최근영/센터장, …` (858).
    assert_eq!(
        got,
        [
            (Some("토론 1"), "이종환", 527, Some(22)),
            (Some("토론 2"), "우순영", 576, Some(26)),
            (Some("토론 1"), "이향자", 802, Some(36)),
            (Some("토론 2"), "최근영", 851, Some(40)),
        ]
    );
    assert!(d.iter().all(|x| x.located_by.is_some()));
    // The discussant's own byline wins over the TOC form when it is there.
    assert_eq!(
        d[3].speakers[0].affiliation.as_deref(),
        Some("동대문구 사회적경제 지원센터")
    );
}

/// `(first line, last line, rows, columns)` of every tab-separated table, read off the
/// sample: rows are the consecutive tab lines, columns the cells per row (trailing tabs make
/// empty cells: line 22 `생태계사업단\t\t\t통합지원센터\t\t\t\t\t` has nine).
const TABLES: [(usize, usize, usize, usize); 32] = [
    (22, 25, 4, 9),
    (45, 51, 7, 3),
    (160, 170, 11, 2),
    (174, 183, 10, 6),
    (506, 508, 3, 3),
    (539, 544, 6, 3),
    (550, 553, 4, 4),
    (563, 568, 6, 4),
    (720, 723, 4, 2),
    (994, 1004, 11, 8),
    (1189, 1195, 7, 7),
    (1199, 1203, 5, 6),
    (1218, 1219, 2, 3),
    (1228, 1238, 11, 4),
    (1288, 1291, 4, 2),
    (1295, 1296, 2, 4),
    (1346, 1349, 4, 2),
    (1397, 1400, 4, 2),
    (1404, 1407, 4, 2),
    (1610, 1620, 11, 3),
    (1622, 1628, 7, 2),
    (1734, 1736, 3, 2),
    (1971, 1978, 8, 4),
    (2131, 2133, 3, 3),
    (2139, 2141, 3, 2),
    (2145, 2147, 3, 3),
    (2151, 2154, 4, 2),
    (2160, 2166, 7, 2),
    (2172, 2175, 4, 2),
    (2183, 2187, 5, 2),
    (2194, 2208, 15, 4),
    (2216, 2240, 25, 4),
];

#[test]
fn tab_separated_tables_have_exactly_their_rows_and_columns() {
    let s = structure();
    let tables: Vec<&Block> = s
        .blocks
        .iter()
        .filter(|b| b.kind == BlockType::Table)
        .collect();
    let mut exact = 0;
    for (first, last, rows, cols) in TABLES {
        let found = tables.iter().find(|b| b.lines == Some([first, last]));
        let Some(table) = found.and_then(|b| b.table.as_ref()) else {
            continue;
        };
        if table.rows.len() == rows && table.rows.iter().all(|r| r.len() == cols) {
            exact += 1;
        }
    }
    assert!(exact >= 30, "{exact} of 32 tables exact");
    assert_eq!(tables.len(), 32);
}

#[test]
fn table_cells_are_clean() {
    let s = structure();
    let table_at = |line: usize| {
        s.blocks
            .iter()
            .find(|b| b.kind == BlockType::Table && b.lines.expect("lines")[0] == line)
            .and_then(|b| b.table.as_ref())
            .expect("table")
    };
    // A spanned header over two rows, empty cells kept.
    let t = table_at(22);
    assert_eq!(t.header_rows, 2);
    assert_eq!(t.rows[0][3], "통합지원센터");
    assert_eq!(t.rows[0][4], "");
    // `<ul style=…>` residue removed.
    let t = table_at(720);
    // The letter-spaced header label (`주 체`) is joined (and flagged `info` by quality).
    assert_eq!(t.rows[0], ["주체", "추진사항"]);
    assert_eq!(t.cells[0].spaced_as.as_deref(), Some("주 체"));
    assert!(!t.rows[1][1].contains('<'));
    assert!(t.rows[1][1].starts_with("지역특화사업 기본계획 수립"));
    // Inline bullets become one item per line.
    let t = table_at(1288);
    assert_eq!(
        t.rows[2][1],
        "건강한 먹거리 지역체계 형성\n10개 조직, 정책회의 5회\n공유주방 등 먹거리 인프라 확대\n돌봄식 제공 및 특화상품 개발\n먹거리 네트워크 법인 설립준비중"
    );
    // A leading tab is an empty first cell.
    let t = table_at(1189);
    assert_eq!(t.rows[0][0], "");
    assert_eq!(t.rows[0][1], "사회적기업 (인증)");
}

#[test]
fn captions_attach_to_their_tables() {
    let s = structure();
    let caption_of = |line: usize| -> Option<String> {
        let b = s
            .blocks
            .iter()
            .find(|b| b.kind == BlockType::Table && b.lines.expect("lines")[0] == line)?;
        let id = b.table.as_ref()?.caption.as_ref()?;
        Some(block(&s, id).text.clone())
    };
    assert_eq!(
        caption_of(22).as_deref(),
        Some("2020년 자치구 사회적경제통합지원센터 운영 현황")
    );
    assert_eq!(caption_of(720).as_deref(), Some("사업주체별 역할"));
    // Figure captions with no table stay free-standing caption blocks.
    assert!(s
        .blocks
        .iter()
        .any(|b| b.kind == BlockType::Caption && b.text == "연구 추진체계"));
}

#[test]
fn no_section_or_heading_starts_inside_a_table() {
    let s = structure();
    let spans: Vec<[usize; 2]> = s
        .blocks
        .iter()
        .filter(|b| b.kind == BlockType::Table)
        .filter_map(|b| b.lines)
        .collect();
    let inside = |line: usize| spans.iter().any(|[a, b]| *a <= line && line <= *b);
    for b in &s.blocks {
        if b.kind == BlockType::Heading {
            assert!(!inside(b.lines.expect("lines")[0]), "{b:?}");
        }
    }
    for section in flatten(&s.sections) {
        if let Some(id) = section.blocks.first() {
            let b = block(&s, id);
            assert_ne!(b.kind, BlockType::Table);
            assert!(!inside(b.lines.expect("lines")[0]));
        }
    }
}

#[test]
fn every_block_has_its_source_lines_and_a_section() {
    let s = structure();
    let lines = SAMPLE.lines().count();
    for b in &s.blocks {
        let [first, last] = b.lines.expect("every text block has lines");
        assert!(1 <= first && first <= last && last <= lines, "{b:?}");
        assert!(b.section.is_some(), "{b:?}");
    }
    // Blocks appear once and in reading order.
    let starts: Vec<usize> = s
        .blocks
        .iter()
        .map(|b| b.lines.expect("lines")[0])
        .collect();
    assert!(starts.windows(2).all(|w| w[0] < w[1]));
}

#[test]
fn footnote_figure_emphasis_and_page_numbers() {
    let s = structure();
    let note = s
        .blocks
        .iter()
        .find(|b| b.kind == BlockType::Footnote)
        .expect("footnote");
    assert_eq!(note.marker.as_deref(), Some("1"));
    assert_eq!(note.lines, Some([34, 34]));
    assert!(note.text.starts_with("중랑구의 경우"));
    assert_eq!(
        s.blocks
            .iter()
            .filter(|b| b.kind == BlockType::Footnote)
            .count(),
        1
    );
    let figure = s
        .blocks
        .iter()
        .find(|b| b.kind == BlockType::Figure)
        .expect("figure");
    assert_eq!(figure.lines, Some([1750, 1757]));
    let f = figure.figure.as_ref().expect("figure source");
    assert_eq!(f.language.as_deref(), Some("mermaid"));
    assert!(f
        .source
        .contains("A[민간주도 네트워크] --> D[지역특화사업 그 이후]"));
    let emphasised = s
        .blocks
        .iter()
        .find(|b| b.lines == Some([152, 152]))
        .expect("line 152");
    assert_eq!(
        emphasised.text,
        "성과1. 24개 자치구 사회적경제 생태계 기반 조성"
    );
    let [a, b] = emphasised.emphasis[0];
    assert_eq!(&emphasised.text[a..b], "성과1.");
    let page_numbers: Vec<&str> = s
        .blocks
        .iter()
        .filter(|b| b.kind == BlockType::Furniture)
        .map(|b| b.text.as_str())
        .collect();
    assert_eq!(page_numbers, ["10", "12", "13", "28", "29", "46", "47"]);
}

#[test]
fn wrapped_prose_and_headings() {
    let s = structure();
    let at = |line: usize| {
        s.blocks
            .iter()
            .find(|b| b.lines.expect("lines")[0] == line)
            .expect("block at line")
    };
    let p = at(90);
    assert_eq!(p.kind, BlockType::Paragraph);
    assert_eq!(p.lines, Some([90, 94]));
    assert!(p
        .text
        .starts_with("자치구 사회적경제 생태계 권역별로 진행한 사전포럼 과정을"));
    // A page break inside a sentence (lines 118 → 122).
    assert!(at(96).text.contains("외부 연구자들에 의해 이루어졌지만"));
    let h = at(242);
    assert_eq!((h.kind, h.level), (BlockType::Heading, Some(2)));
    assert_eq!(
        h.text,
        "성과3. 지역문제해결형, 시민체감형 사회적경제 정책 실천"
    );
    let list = at(866);
    assert_eq!(list.kind, BlockType::ListItem);
    assert_eq!(list.marker.as_deref(), Some("❖"));
    let check = at(628);
    assert_eq!(check.marker.as_deref(), Some("✓"));
    assert_eq!(
        check.text,
        "지역 사회적경제연대 구조(법인) 형성과 성장지원 전략 필요"
    );
}

#[test]
fn colophon_key_values() {
    let s = structure();
    let keys: Vec<&str> = s.colophon.iter().map(|kv| kv.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "발행처",
            "발행일",
            "주소",
            "전화",
            "팩스",
            "이메일",
            "홈페이지",
            "디자인"
        ]
    );
    assert_eq!(s.colophon[7].value, "파이카");
    assert_eq!(sections_of(&s, SectionKind::Colophon).len(), 1);
}

#[test]
fn inspect_prints_tree_tables_and_flags() {
    use jaryo::document::{Document, DocumentQuality, Flag, Severity, SourceInfo};
    let s = structure();
    let mut document = Document {
        schema: "jaryo/1".into(),
        source: SourceInfo {
            path: "input/seoul_social_economy_forum_2020.txt".into(),
            sha256: String::new(),
            format: jaryo::model::Format::Text,
            pages: 1,
            encoding: None,
        },
        pages: Vec::new(),
        title: s.title,
        toc: s.toc,
        sections: s.sections,
        blocks: s.blocks,
        colophon: s.colophon,
        program: s.program,
        quality: DocumentQuality::default(),
    };
    // A flag as the quality stage would set it on the `[illegible]` line.
    let illegible = document
        .blocks
        .iter_mut()
        .find(|b| b.text == "[illegible]")
        .expect("[illegible] block");
    illegible.quality.flags.push(Flag {
        kind: "illegible".into(),
        start: 0,
        end: 11,
        cell: None,
        detail: "OCR marker".into(),
        severity: Severity::Error,
        repair: None,
        ..Default::default()
    });
    let report = jaryo::inspect::render(&document, jaryo::inspect::InspectOptions::default());
    for expected in [
        "table of contents (9 entries)",
        "presentation  발제1",
        "speaker: 홍진주 (센터장, 마포구사회적경제통합지원센터)",
        "placed by: TOC page 22",
        "forum         1차",
        "tables (32)",
        "4 rows × 9  cols, 2 header  lines 22–25",
        "caption: 2020년 자치구 사회적경제통합지원센터 운영 현황",
        "flagged passages (1 blocks)",
        "Error illegible: \"[illegible]\" OCR marker",
    ] {
        assert!(
            report.contains(expected),
            "missing {expected:?} in\n{report}"
        );
    }
}
