//! Programs (`순서`, `식순`, a table of 시간/내용/발표자) on three small booklets printed from
//! HTML by `scripts/make_program_fixtures.py` (`tests/data/program/*.pdf`, names and wording
//! made up): the `program` items' role, title and speakers, and the speakers the sections take
//! from them when the body names none.

mod common;

use jaryo::document::{Document, ProgramRole, Section};
use jaryo::pipeline::{process_file, PipelineOptions};

fn document(name: &str) -> Document {
    let path = common::repo_root().join("tests/data/program").join(name);
    process_file(&path, &PipelineOptions::default(), common::analyzer())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

type Who<'a> = (&'a str, Option<&'a str>, Option<&'a str>);

/// Each item as (role, title, [(name, role, affiliation)]).
fn program(document: &Document) -> Vec<(ProgramRole, Option<&str>, Vec<Who<'_>>)> {
    document
        .program
        .iter()
        .map(|item| {
            let who = item
                .speakers
                .iter()
                .map(|s| (s.name.as_str(), s.role.as_deref(), s.affiliation.as_deref()))
                .collect();
            (item.role, item.title.as_deref(), who)
        })
        .collect()
}

fn all(sections: &[Section]) -> Vec<&Section> {
    let mut out = Vec::new();
    for s in sections {
        out.push(s);
        out.extend(all(&s.children));
    }
    out
}

/// The names of the speakers of the section titled `title` (which must exist).
fn section_speakers<'a>(document: &'a Document, title: &str) -> Vec<&'a str> {
    let sections = all(&document.sections);
    let section = sections
        .iter()
        .find(|s| s.title.as_deref() == Some(title))
        .unwrap_or_else(|| {
            let titles: Vec<_> = sections.iter().map(|s| s.title.as_deref()).collect();
            panic!("no section {title:?} among {titles:?}")
        });
    section.speakers.iter().map(|s| s.name.as_str()).collect()
}

/// `기자회견 순서`: `사 회 | 이름 직함(소속)`, `인사말 | 소속 이름 직함`, `발 표 | 1) 제목 : 이름
/// 직함(소속)` with `2) 제목 : 이름/직함, 소속` on the next line, `질의응답` alone.
#[test]
fn press_conference_order() {
    let d = document("press_conference.pdf");
    assert_eq!(
        program(&d),
        [
            (
                ProgramRole::Moderator,
                None,
                vec![("한서윤", Some("사무처장"), Some("시민안전연대"))]
            ),
            (
                ProgramRole::Greeting,
                None,
                vec![("오민재", Some("공동대표"), Some("녹색교통포럼"))]
            ),
            (
                ProgramRole::Presentation,
                Some("사고 원인 조사의 과제"),
                vec![("정다온", Some("변호사"), Some("공익법센터 새길"))]
            ),
            (
                ProgramRole::Presentation,
                Some("피해자 지원 제도의 빈틈"),
                vec![("유지호", Some("연구위원"), Some("사회안전연구소"))]
            ),
            (ProgramRole::Questions, None, vec![]),
        ]
    );
    // The talks' pages name no speaker: the program does.
    assert_eq!(section_speakers(&d, "사고 원인 조사의 과제"), ["정다온"]);
    assert_eq!(section_speakers(&d, "피해자 지원 제도의 빈틈"), ["유지호"]);
    // The program's second numbered line is an item, not a section.
    assert!(all(&d.sections)
        .iter()
        .all(|s| !s.title.as_deref().unwrap_or("").contains("유지호")));
}

/// `프로그램`: a table 시간 | 내용 | 발표자 with the role in the content cell, then a table whose
/// first column is the role (구분 | 주제 | 발표자), two discussants in one cell.
#[test]
fn forum_timetable_and_role_column() {
    let d = document("forum_timetable.pdf");
    assert_eq!(
        program(&d),
        [
            (
                ProgramRole::Greeting,
                None,
                vec![("윤가람", Some("이사장"), Some("한국마을재생학회"))]
            ),
            (
                ProgramRole::Congratulation,
                None,
                vec![("문예진", Some("의원"), Some("가온구의회"))]
            ),
            (
                ProgramRole::Keynote,
                Some("돌봄이 머무는 동네"),
                vec![("백승하", Some("교수"), Some("누리대학교"))]
            ),
            (
                ProgramRole::Chair,
                None,
                vec![("남궁별", Some("교수"), Some("가온대학교"))]
            ),
            (
                ProgramRole::Presentation,
                Some("주거 취약계층의 돌봄 실태"),
                vec![("차은결", Some("선임연구원"), Some("주거복지연구소"))]
            ),
            (
                ProgramRole::Presentation,
                Some("마을 단위 돌봄 협력 모델"),
                vec![("진소망", Some("센터장"), Some("누리구마을돌봄센터"))]
            ),
            (
                ProgramRole::Discussion,
                None,
                vec![
                    ("표하람", Some("연구위원"), Some("국토정책연구원")),
                    ("석지우", Some("팀장"), Some("가온구청"))
                ]
            ),
        ]
    );
    assert_eq!(
        section_speakers(&d, "주거 취약계층의 돌봄 실태"),
        ["차은결"]
    );
    assert_eq!(section_speakers(&d, "마을 단위 돌봄 협력 모델"), ["진소망"]);
}

/// `식 순`: a numbered list, `1. 개회사 : 소속 이름 직함`, spaced roles with dot leaders before
/// the speaker, a quoted title and a dash before the speaker, steps with no role left out.
#[test]
fn ceremony_order_list() {
    let d = document("ceremony_order.pdf");
    assert_eq!(
        program(&d),
        [
            (
                ProgramRole::Greeting,
                None,
                vec![("장하은", Some("상임대표"), Some("한국마을공동체협의회"))]
            ),
            (
                ProgramRole::Greeting,
                None,
                vec![("이수빈", Some("구청장"), Some("가온구"))]
            ),
            (
                ProgramRole::Congratulation,
                None,
                vec![("나윤서", Some("위원장"), Some("가온구의회 행정복지위원회"))]
            ),
            (
                ProgramRole::Keynote,
                Some("서로 돌보는 마을"),
                vec![("도현우", Some("교수"), Some("누리대학교"))]
            ),
        ]
    );
    // Sections headed by a role alone take that role's speakers in program order.
    assert_eq!(section_speakers(&d, "개회사"), ["장하은"]);
    assert_eq!(section_speakers(&d, "환영사"), ["이수빈"]);
    assert_eq!(section_speakers(&d, "축사"), ["나윤서"]);
}
