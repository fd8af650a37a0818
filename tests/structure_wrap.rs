//! Hard-wrapped lines of the sample booklet joined with the real analyzer: a break inside a
//! word joins without a space, a break between words keeps one.

mod common;

use jaryo::document::BlockType;
use jaryo::model::{Line, Page};
use jaryo::structure::text::{analyzer_joins, analyzer_joins_anywhere};
use jaryo::structure::usage::Usage;

#[test]
fn breaks_inside_words_join_and_word_breaks_keep_a_space() {
    let a = common::analyzer();
    // Sample line 1654-1655: `… (조직의 성장 단` / `계별 상시 지원 체계 …`.
    assert!(analyzer_joins(a, "단", "계별"));
    // Breaks inside a word in the forms a PDF wraps: `지속가`/`능한`, `때문`/`에`,
    // `공식화되었습`/`니다.`, `사회`/`적경제`.
    assert!(analyzer_joins(a, "지속가", "능한"));
    assert!(analyzer_joins(a, "때문", "에"));
    assert!(analyzer_joins(a, "공식화되었습", "니다."));
    assert!(analyzer_joins(a, "사회", "적경제"));
    // A single syllable left at the end of a line (PDF fixtures): `계`/`기로`, `거`/`버넌스`.
    assert!(analyzer_joins(a, "계", "기로"));
    assert!(analyzer_joins(a, "거", "버넌스"));
    // Word breaks of the sample's wrapped prose (lines 90-91, 101-102, 118-122).
    assert!(!analyzer_joins(a, "진행한", "사전포럼"));
    assert!(!analyzer_joins(a, "어느덧", "내년에는"));
    assert!(!analyzer_joins(a, "의해", "이루어졌지만"));
    assert!(!analyzer_joins(a, "거버넌스", "구축"));
    assert!(!analyzer_joins(a, "네트워크를", "만드는"));
    // A joined form that only re-reads as other words: lines 2058-2059 (`송반장` /
    // `성과공유회` → `성/XSN`).
    assert!(!analyzer_joins(a, "송반장", "성과공유회"));
    // Issue 16, wraps of the narrow two-column and Latin-font fixtures (sample lines 96-113):
    // 하다 after a noun, a particle after Latin letters, a counter after a number.
    assert!(analyzer_joins(a, "함께 설계", "하고 성과와"));
    assert!(analyzer_joins(a, "과제 논의", "하면 peer"));
    assert!(analyzer_joins(a, "peer supervision", "하는 시간들이"));
    assert!(analyzer_joins(a, "인프라 TF", "가 발족이"));
    assert!(analyzer_joins(a, "실제 6", "번 기획회의"));
    // Words broken at a page break of the hwp-pairs PDFs (kwater_rfp 6-7, reg86712 19-20).
    assert!(analyzer_joins(a, "응답한 사", "항은 법적"));
    assert!(analyzer_joins(a, "정하는 사", "항”이란 다음"));
    // …but not a noun after a number, nor 하다 after an ending (sample lines 815-816).
    assert!(!analyzer_joins(a, "2020", "서울시"));
    assert!(!analyzer_joins(a, "체계를 만들어야", "하는 고민이"));
}

#[test]
fn where_lines_break_anywhere_more_wraps_join() {
    let a = common::analyzer();
    let nothing: [Page; 0] = [];
    let none = Usage::of(&nothing);
    // Wraps of the sample booklet printed by Chromium (breaking anywhere) that the strict rule
    // spaces: the joined reading is cheaper by 1,000 or more (`자|치구` 2,903, `사회적|경제`
    // 1,826, `정보의비|대칭` 1,589).
    for (before, after) in [
        ("발전함. 자", "치구 사회적경제"),
        ("주체로 사회적", "경제 주체들이"),
        ("활동은 정보의비", "대칭을 발생시키지"),
    ] {
        assert!(!analyzer_joins(a, before, after), "{before}|{after}");
        assert!(
            analyzer_joins_anywhere(a, &none, before, after),
            "{before}|{after}"
        );
    }
    // A one-syllable noun after a number (midword_wrap: `실제로 1,2` / `기 센터의`).
    assert!(analyzer_joins_anywhere(a, &none, "실제로 1,2", "기 센터의"));
    assert!(!analyzer_joins_anywhere(a, &none, "2020", "서울시"));
    // `10년` / `차에`: the analyzer reads both alike; the document writes `10년차이면` on a line
    // of its own (sample line 97).
    assert!(!analyzer_joins_anywhere(
        a,
        &none,
        "시작되면서 10년",
        "차에 도래하는"
    ));
    let pages = [Page {
        lines: vec![Line {
            text: "도래하는 시기입니다. 10년차이면 큰".into(),
            ..Line::default()
        }],
        ..Page::default()
    }];
    let usage = Usage::of(&pages);
    assert!(analyzer_joins_anywhere(
        a,
        &usage,
        "시작되면서 10년",
        "차에 도래하는"
    ));
    // Wraps at spaces gain nothing and stay spaced (sample lines 90-91, 101-102).
    assert!(!analyzer_joins_anywhere(
        a,
        &usage,
        "권역별로 진행한",
        "사전포럼 과정을"
    ));
    assert!(!analyzer_joins_anywhere(a, &usage, "어느덧", "내년에는"));
    assert!(!analyzer_joins_anywhere(a, &usage, "거버넌스", "구축"));
}

#[test]
fn the_sample_with_the_analyzer() {
    let a = common::analyzer();
    let pages = jaryo::extract::text::extract(&common::sample_text()).pages;
    let s = jaryo::structure::build(&pages, a);
    let at = |line: usize| {
        s.blocks
            .iter()
            .find(|b| b.lines.is_some_and(|[x, y]| x <= line && line <= y))
            .expect("block at line")
    };
    let item = at(1654);
    assert_eq!(item.kind, BlockType::ListItem);
    assert!(
        item.text.contains("조직의 성장 단계별 상시 지원 체계"),
        "{}",
        item.text
    );
    let prose = at(90);
    assert_eq!(
        prose.text,
        "자치구 사회적경제 생태계 권역별로 진행한 사전포럼 과정을 통해 자치구 생태계 구축의 성과는 무엇이지, 그것을 기반으로 앞으로 서울과 자치구가 함께 가져야가 하는 공동전략이 무엇인지 살펴보도록 하겠습니다."
    );
    assert!(at(118).text.contains("외부 연구자들에 의해 이루어졌지만"));
    assert_eq!(s.toc.len(), 9);
}
