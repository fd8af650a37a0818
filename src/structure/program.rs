//! Programs: the order of proceedings of a forum or press conference (`순서`, `식순`, `일정`,
//! `프로그램`, or a table of 시간/내용/발표자) read into `{role, title, speakers}` items. Only
//! the page under a program heading, the page after it, and tables with a time column are
//! read, so `토론` in the body never makes an item. Sections the body gives no speaker take
//! theirs from the program ([`give_speakers`]).

use std::sync::LazyLock;

use regex::Regex;

use crate::document::{Block, BlockType, ProgramItem, ProgramRole, Section, Speaker};

use super::{sections, speakers};

/// Role words as programs write them (spaces removed), longest first where one holds another.
const ROLES: &[(&str, ProgramRole)] = &[
    // `기조발제`, `기조강연` before `발제`
    ("기조발제", ProgramRole::Keynote),
    ("기조강연", ProgramRole::Keynote),
    ("주제발표", ProgramRole::Presentation),
    ("발표", ProgramRole::Presentation),
    ("발제", ProgramRole::Presentation),
    ("종합토론", ProgramRole::Discussion),
    ("지정토론", ProgramRole::Discussion),
    ("토론", ProgramRole::Discussion),
    ("사회", ProgramRole::Moderator),
    ("진행", ProgramRole::Moderator),
    ("좌장", ProgramRole::Chair),
    ("인사말", ProgramRole::Greeting),
    ("개회사", ProgramRole::Greeting),
    ("환영사", ProgramRole::Greeting),
    ("축사", ProgramRole::Congratulation),
    ("질의응답", ProgramRole::Questions),
    ("질의", ProgramRole::Questions),
];

/// A program's heading: `순서`, `기자회견 순서`, `<행사 일정>`, `프로그램`, `식순`.
static PROGRAM_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^[<〈【\[◆■□▶]?\s*(?:(?:행사|기자회견|토론회|포럼|세미나|심포지엄|간담회|발표회|설명회|진행)\s*)?(?:순\s*서|식\s*순|일\s*정|프\s*로\s*그\s*램|PROGRAM|Program)\s*[>〉】\]]?$",
    )
    .expect("program heading pattern")
});

/// A time cell or prefix: `14:00`, `14:00~14:10`, `14:00-14:10`.
static TIME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\d{1,2}\s*:\s*\d{2}(?:\s*[~∼\-–]\s*\d{1,2}\s*:\s*\d{2})?\s*").expect("time")
});

/// A list marker before an item's title: `1)`, `①`, `-`, `·`.
static ITEM_MARKER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:\d{1,2}\)|\(\d{1,2}\)|[①-⑳]|[-·•▪])\s*").expect("marker"));

/// A numbered item before a role or a title: `1.`, `2)`, `(3)`, `④` (`1. 개회사 : …`, `2) 피해자
///지원 방안 : …` under `발 표 | 1) …`).
static NUMBERED_ITEM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:\d{1,2}[.)]|\(\d{1,2}\)|[①-⑳])\s*").expect("numbered item"));

/// Where a title ends and its speakers begin: `제목 : 이름`, `「제목」 - 이름 직함(소속)`,
/// `제목 | 이름` (the last one in the text, so a title may hold a colon of its own).
static TITLE_SPEAKER_SEPARATOR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\s*[:：]\s*|\s+[-–|]\s+").expect("separator"));

/// Quotation brackets around a title: `「서로 돌보는 마을」`.
const TITLE_QUOTES: &[(char, char)] = &[
    ('「', '」'),
    ('『', '』'),
    ('“', '”'),
    ('"', '"'),
    ('<', '>'),
];

/// Characters between a role and what follows it: a bar, a colon, a dash, dot leaders
/// (`사 회 | …`, `개회사 : …`, `환 영 사 ········ 이수빈 구청장(가온구)`).
const ROLE_SEPARATORS: &str = "|:：-–·․…‥.";

/// `이태호 사무처장(참여연대)`: name, title, affiliation in parentheses; the title may be
/// missing (`박주민(국회의원)`).
static NAME_TITLE_PAREN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?P<name>\p{Hangul}{2,4})(?:\s+(?P<role>\p{Hangul}{1,8}))?\s*\((?P<aff>[^()]+)\)$",
    )
    .expect("name title (affiliation)")
});

/// A bare name: two to four Hangul syllables (a program lists some people by name only).
static BARE_NAME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\p{Hangul}{2,4}$").expect("bare name"));

/// Header cells naming the column of speakers in a program table.
const SPEAKER_COLUMNS: &[&str] = &["발표자", "발제자", "토론자", "연사", "강사", "담당", "성명"];

/// The program items of a document, in order.
pub fn read(blocks: &[Block]) -> Vec<ProgramItem> {
    let mut items = Vec::new();
    let mut heading_pages: Vec<u32> = Vec::new();
    for block in blocks {
        if block.kind != BlockType::Table && is_program_heading(&block.text) {
            heading_pages.extend(block.page);
        }
    }
    // The role whose numbered items go on below its line (`발 표 | 1) …` / `2) …`).
    let mut open: Option<ProgramRole> = None;
    for block in blocks {
        let on_heading_page = block.page.is_some_and(|p| heading_pages.contains(&p));
        let on_next_page = block
            .page
            .is_some_and(|p| heading_pages.iter().any(|&h| h + 1 == p));
        let on_program_page = on_heading_page || on_next_page;
        match &block.table {
            Some(table) => {
                open = None;
                let timed = table
                    .rows
                    .first()
                    .is_some_and(|r| r.iter().any(|c| squeeze(c) == "시간"));
                if on_program_page || timed {
                    items.extend(table_items(&table.rows, block.page));
                }
            }
            None if on_program_page && block.kind != BlockType::Furniture => {
                // A list item's marker (`2)` under `발 표 | 1) …`) is kept out of its text:
                // the program reads the line as printed.
                let printed = match &block.marker {
                    Some(marker) => format!("{marker} {}", block.text),
                    None => block.text.clone(),
                };
                for line in printed.lines() {
                    let line = line.trim();
                    if let Some((item, numbered)) = role_line(line, block.page) {
                        // A role alone (`질의응답`) is an item on the program's own page; on
                        // the page after it, it is more likely the heading of that address.
                        if on_heading_page || item.title.is_some() || !item.speakers.is_empty() {
                            items.push(item);
                        }
                        open = numbered.then_some(items.last().map(|i| i.role)).flatten();
                    } else if let Some(role) = open.filter(|_| NUMBERED_ITEM.is_match(line)) {
                        let (title, speakers) = title_and_speakers(role, line);
                        items.push(ProgramItem {
                            role,
                            title,
                            speakers,
                            page: block.page,
                        });
                    } else {
                        open = None;
                    }
                }
            }
            None if block.kind == BlockType::Furniture => {}
            None => open = None,
        }
    }
    items
}

/// Sections that name no speaker take them from the program: the item whose title is the
/// section's (compared as TOC entries are, so a reworded title still matches), or, for a
/// section headed by a role alone (`환영사`), the item of that role in the same order.
pub fn give_speakers(sections: &mut [Section], items: &[ProgramItem]) {
    if items.is_empty() {
        return;
    }
    let mut seen: Vec<ProgramRole> = Vec::new();
    visit(sections, &mut |section| {
        let Some(title) = section.title.as_deref() else {
            return;
        };
        let item = match split_role(title) {
            Some((role, rest)) if rest.trim().is_empty() => {
                let nth = seen.iter().filter(|&&r| r == role).count();
                seen.push(role);
                items.iter().filter(|i| i.role == role).nth(nth)
            }
            _ => {
                let core = sections::core(title);
                items
                    .iter()
                    .filter_map(|i| {
                        Some((
                            sections::dice(&sections::core(i.title.as_deref()?), &core),
                            i,
                        ))
                    })
                    .filter(|(score, _)| *score >= sections::FUZZY_TITLE_MIN_DICE)
                    .max_by(|a, b| a.0.total_cmp(&b.0))
                    .map(|(_, i)| i)
            }
        };
        if section.speakers.is_empty() {
            if let Some(item) = item {
                section.speakers = item.speakers.clone();
            }
        }
    });
}

fn visit(sections: &mut [Section], f: &mut dyn FnMut(&mut Section)) {
    for section in sections {
        f(section);
        visit(&mut section.children, f);
    }
}

fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

pub fn is_program_heading(text: &str) -> bool {
    let text = text.trim();
    text.chars().count() <= 20 && PROGRAM_HEADING.is_match(text)
}

/// Characters that may follow a role word: `사회자`, `발제1`, `[발제 2]`, `사 회 | …`.
fn after_role(c: char) -> bool {
    c.is_whitespace() || c.is_ascii_digit() || "]>】〉|:：-–(".contains(c)
}

/// The role a text opens with (after a time, `14:00~14:10`; letters may be spaced, `사 회`)
/// and the text after the role, its number and its separator.
pub fn split_role(text: &str) -> Option<(ProgramRole, &str)> {
    let text = text.trim();
    let text = TIME.find(text).map_or(text, |m| &text[m.end()..]);
    let text = text.trim_start_matches(['[', '<', '【', '〈']);
    for (word, role) in ROLES {
        let mut rest = text;
        let matched = word.chars().all(|w| {
            rest = rest.trim_start();
            rest.strip_prefix(w).map(|r| rest = r).is_some()
        });
        if !matched {
            continue;
        }
        let rest = rest.strip_prefix('자').unwrap_or(rest);
        // The role word must end there: `발표회`, `토론회`, `발표자료` are not roles.
        if !(rest.is_empty() || rest.starts_with(after_role)) {
            continue;
        }
        // The role's number and brackets, then the separator (a number after it is the
        // item's own: `발 표| 1) 진상규명 과제`).
        let rest = rest.trim_start_matches(|c: char| {
            c.is_whitespace() || c.is_ascii_digit() || "]>】〉".contains(c)
        });
        let rest =
            rest.trim_start_matches(|c: char| c.is_whitespace() || ROLE_SEPARATORS.contains(c));
        return Some((*role, rest));
    }
    None
}

/// One program line: `사 회 | 이태호 사무처장(참여연대)`, `발 표| 1) 진상규명 과제 : 박주민`,
/// `3. 환 영 사 ···· 이수빈 구청장(가온구)`; `None` when it opens with no role.
pub fn line_item(text: &str, page: Option<u32>) -> Option<ProgramItem> {
    role_line(text, page).map(|(item, _)| item)
}

/// One program line's item, and whether its text after the role opens a numbered list
/// (`발 표 | 1) …`), whose next items follow on their own lines.
fn role_line(text: &str, page: Option<u32>) -> Option<(ProgramItem, bool)> {
    let text = NUMBERED_ITEM.replace(text.trim(), "");
    let (role, rest) = split_role(&text)?;
    let numbered = NUMBERED_ITEM.is_match(rest);
    let (title, speakers) = title_and_speakers(role, rest);
    let item = ProgramItem {
        role,
        title,
        speakers,
        page,
    };
    Some((item, numbered))
}

/// The items of a program table: each row whose first cell that is not a time opens with a
/// role; the row's other cells are the title and the speakers (the speaker column by its
/// header when the table has one).
fn table_items(rows: &[Vec<String>], page: Option<u32>) -> Vec<ProgramItem> {
    let speaker_column = rows.first().and_then(|header| {
        header
            .iter()
            .position(|c| SPEAKER_COLUMNS.contains(&squeeze(c).as_str()))
    });
    let mut items = Vec::new();
    for row in rows {
        // Cells with text, a cell that is only a time aside.
        let cells: Vec<(usize, &str)> = row
            .iter()
            .map(|c| c.trim())
            .enumerate()
            .filter(|(_, c)| !c.is_empty() && TIME.find(c).is_none_or(|m| m.end() < c.len()))
            .collect();
        let Some(&(at, first)) = cells.first() else {
            continue;
        };
        let Some((role, rest)) = split_role(first) else {
            continue;
        };
        let mut text = rest.to_string();
        let mut speakers = Vec::new();
        for &(i, cell) in cells.iter().filter(|(i, _)| *i != at) {
            if Some(i) == speaker_column {
                speakers.extend(speaker_list(cell, true));
            } else {
                if !text.is_empty() {
                    text.push_str(" : ");
                }
                text.push_str(cell);
            }
        }
        let (title, mut found) = title_and_speakers(role, &text);
        found.extend(speakers);
        if title.is_none() && found.is_empty() {
            continue;
        }
        items.push(ProgramItem {
            role,
            title,
            speakers: found,
            page,
        });
    }
    items
}

/// Roles whose items have no title of their own, so a bare name after them is a speaker.
const UNTITLED_ROLES: &[ProgramRole] = &[
    ProgramRole::Moderator,
    ProgramRole::Chair,
    ProgramRole::Greeting,
    ProgramRole::Congratulation,
];

/// `1) 진상규명 과제 : 박주민` → title and speakers; `이태호 사무처장(참여연대)` → speakers
/// alone; a text that names nobody is a title.
fn title_and_speakers(role: ProgramRole, text: &str) -> (Option<String>, Vec<Speaker>) {
    let text = ITEM_MARKER.replace(text.trim(), "");
    let text = text.trim();
    if text.is_empty() {
        return (None, Vec::new());
    }
    let separators: Vec<_> = TITLE_SPEAKER_SEPARATOR.find_iter(text).collect();
    for at in separators.iter().rev() {
        let who = speaker_list(text[at.end()..].trim(), true);
        let title = unquote(&clean(&text[..at.start()]));
        if !who.is_empty() {
            return ((!title.is_empty()).then_some(title), who);
        }
    }
    let whole = speaker_list(text, UNTITLED_ROLES.contains(&role));
    if !whole.is_empty() {
        return (None, whole);
    }
    (Some(unquote(&clean(text))), Vec::new())
}

/// A title without the quotation brackets around it (`「서로 돌보는 마을」` → `서로 돌보는 마을`).
fn unquote(title: &str) -> String {
    TITLE_QUOTES
        .iter()
        .find_map(|&(open, close)| title.strip_prefix(open)?.strip_suffix(close))
        .map_or_else(|| title.to_string(), |t| t.trim().to_string())
}

fn clean(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Speakers separated by `,` or `·` outside parentheses; every part must read as a speaker
/// (else the text is not a list of speakers and the list is empty). `이태호/사무처장, 참여연대`
/// is one speaker.
fn speaker_list(text: &str, bare: bool) -> Vec<Speaker> {
    if let Some(s) = speaker(text, bare) {
        return vec![s];
    }
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0i32, 0);
    for (i, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' | '·' | '、' if depth == 0 => {
                parts.push(&text[start..i]);
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    let found: Vec<Speaker> = parts
        .iter()
        .filter_map(|p| speaker(p.trim(), bare))
        .collect();
    if parts.len() > 1 && found.len() == parts.len() {
        found
    } else {
        Vec::new()
    }
}

/// One speaker in any form programs use: `이름 직함(소속)`, `소속 이름 직함`,
/// `이름/직함, 소속`, `이름 직함`, or (where a name is expected: `bare`) a name alone.
fn speaker(text: &str, bare: bool) -> Option<Speaker> {
    let text = text.trim();
    if let Some(c) = NAME_TITLE_PAREN.captures(text) {
        return Some(Speaker {
            name: c["name"].to_string(),
            role: c.name("role").map(|r| r.as_str().to_string()),
            affiliation: Some(clean(&c["aff"])),
        });
    }
    if let Some(s) = speakers::parse(text) {
        return Some(s);
    }
    (bare && BARE_NAME.is_match(text)).then(|| Speaker {
        name: text.to_string(),
        role: None,
        affiliation: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Table;

    fn who(item: &ProgramItem) -> Vec<(&str, Option<&str>, Option<&str>)> {
        item.speakers
            .iter()
            .map(|s| (s.name.as_str(), s.role.as_deref(), s.affiliation.as_deref()))
            .collect()
    }

    /// Lines of the press conference's program quoted in issue 15.
    #[test]
    fn press_conference_program_lines() {
        let item = line_item("사 회 | 이태호", Some(3)).expect("moderator");
        assert_eq!(item.role, ProgramRole::Moderator);
        assert_eq!(who(&item), vec![("이태호", None, None)]);
        let item = line_item("발 표| 1) 진상규명 과제 : 박주민", Some(3)).expect("presentation");
        assert_eq!(item.role, ProgramRole::Presentation);
        assert_eq!(item.title.as_deref(), Some("진상규명 과제"));
        assert_eq!(who(&item), vec![("박주민", None, None)]);
        let item = line_item("인사말 | 참여연대 이태호 사무처장", None).expect("greeting");
        assert_eq!(item.role, ProgramRole::Greeting);
        assert_eq!(
            who(&item),
            vec![("이태호", Some("사무처장"), Some("참여연대"))]
        );
    }

    /// The sample booklet's presenters and discussants, as its TOC lists them.
    #[test]
    fn sample_booklet_role_lines() {
        let item = line_item(
            "[발제1] 자치구별 사회적경제 통합지원센터 현황과 전략과제 : 마포구사회적경제통합지원센터 홍진주 센터장",
            Some(8),
        )
        .expect("presentation");
        assert_eq!(item.role, ProgramRole::Presentation);
        assert_eq!(
            item.title.as_deref(),
            Some("자치구별 사회적경제 통합지원센터 현황과 전략과제")
        );
        assert_eq!(
            who(&item),
            vec![(
                "홍진주",
                Some("센터장"),
                Some("마포구사회적경제통합지원센터")
            )]
        );
        let item = line_item("토론 2 동대문사회적경제지원센터 최근영 센터장", None).expect("d");
        assert_eq!(item.role, ProgramRole::Discussion);
        assert_eq!(item.speakers[0].name, "최근영");
    }

    #[test]
    fn speaker_forms() {
        let one = |t: &str| {
            let s = speaker_list(t, false);
            assert_eq!(s.len(), 1, "{t}");
            (
                s[0].name.clone(),
                s[0].role.clone(),
                s[0].affiliation.clone(),
            )
        };
        let s = |v: &str| Some(v.to_string());
        assert_eq!(
            one("이태호 사무처장(참여연대)"),
            ("이태호".into(), s("사무처장"), s("참여연대"))
        );
        assert_eq!(
            one("최근영/센터장, 동대문구 사회적경제 지원센터"),
            (
                "최근영".into(),
                s("센터장"),
                s("동대문구 사회적경제 지원센터")
            )
        );
        assert_eq!(
            one("박주민(국회의원)"),
            ("박주민".into(), None, s("국회의원"))
        );
        let two = speaker_list(
            "김철수 교수(서울대), 이영희 연구위원(한국개발연구원)",
            false,
        );
        assert_eq!(two.len(), 2);
        // Prose is not a list of speakers.
        assert!(speaker_list("진상규명 과제 11개 분야 33개 과제", true).is_empty());
        // A title is not a name, unless a name is expected.
        assert!(speaker_list("진상규명", false).is_empty());
    }

    /// A role whose text opens a numbered list goes on over the next numbered lines
    /// (`tests/data/program/press_conference.pdf`); a numbered step with no role after a role
    /// line (`2. 국민의례`) does not; a role alone is an item on the program's page only.
    #[test]
    fn numbered_items_under_a_role_and_roles_alone() {
        let blocks = vec![
            block("b1", BlockType::Heading, "기자회견 순서", 2),
            block(
                "b2",
                BlockType::Paragraph,
                "발 표 | 1) 사고 원인 조사의 과제 : 정다온 변호사(공익법센터 새길)",
                2,
            ),
            block(
                "b3",
                BlockType::Heading,
                "2) 피해자 지원 제도의 빈틈 : 유지호/연구위원, 사회안전연구소",
                2,
            ),
            block("b4", BlockType::Paragraph, "질의응답", 2),
            block("b5", BlockType::Heading, "토론", 3),
        ];
        let items = read(&blocks);
        let got: Vec<_> = items
            .iter()
            .map(|i| (i.role, i.title.as_deref(), who(i)))
            .collect();
        assert_eq!(
            got,
            vec![
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
        let steps = vec![
            block("b1", BlockType::Heading, "식 순", 2),
            block(
                "b2",
                BlockType::ListItem,
                "1. 개회사 : 한국마을공동체협의회 장하은 상임대표",
                2,
            ),
            block("b3", BlockType::ListItem, "2. 국민의례", 2),
        ];
        assert_eq!(read(&steps).len(), 1);
    }

    /// The forms of a ceremony's order: dot leaders between a spaced role and its speaker, a
    /// quoted title and a dash before the speaker.
    #[test]
    fn leaders_dashes_and_quoted_titles() {
        let item = line_item("3. 환 영 사 ··········· 이수빈 구청장(가온구)", None).expect("3");
        assert_eq!(item.role, ProgramRole::Greeting);
        assert_eq!(who(&item), vec![("이수빈", Some("구청장"), Some("가온구"))]);
        let item = line_item(
            "5. 기조강연 「서로 돌보는 마을」 - 도현우 교수(누리대학교)",
            None,
        )
        .expect("5");
        assert_eq!(item.role, ProgramRole::Keynote);
        assert_eq!(item.title.as_deref(), Some("서로 돌보는 마을"));
        assert_eq!(
            who(&item),
            vec![("도현우", Some("교수"), Some("누리대학교"))]
        );
        // A dash inside a title is no separator when no speaker follows it.
        let item = line_item("발제 1 | 2020-2025 돌봄 계획 - 중간 점검", None).expect("d");
        assert_eq!(
            item.title.as_deref(),
            Some("2020-2025 돌봄 계획 - 중간 점검")
        );
        assert!(item.speakers.is_empty());
    }

    fn section(title: &str) -> Section {
        Section {
            id: String::new(),
            kind: crate::document::SectionKind::Other,
            label: None,
            title: Some(title.to_string()),
            level: 1,
            speakers: Vec::new(),
            page: None,
            blocks: Vec::new(),
            children: Vec::new(),
            located_by: None,
        }
    }

    /// Sections take speakers from the item with their title (reworded slightly) or, headed by
    /// a role alone, from that role's items in order; a section with a byline keeps it.
    #[test]
    fn sections_take_their_speakers_from_the_program() {
        let items: Vec<ProgramItem> = [
            "개회사 : 한국마을공동체협의회 장하은 상임대표",
            "환영사 : 이수빈 구청장(가온구)",
            "발제 1 | 주거 취약계층의 돌봄 실태 : 차은결/선임연구원, 주거복지연구소",
            "발제 2 | 마을 단위 돌봄 협력 모델 : 누리구마을돌봄센터 진소망 센터장",
        ]
        .iter()
        .filter_map(|l| line_item(l, Some(1)))
        .collect();
        assert_eq!(items.len(), 4);
        let mut sections = vec![
            section("개회사"),
            section("환영사"),
            section("주거 취약계층 돌봄 실태"),
            section("마을 단위 돌봄 협력 모델"),
            section("맺음말"),
        ];
        sections[3].speakers = vec![Speaker {
            name: "홍길동".into(),
            role: None,
            affiliation: None,
        }];
        give_speakers(&mut sections, &items);
        let names: Vec<Vec<&str>> = sections
            .iter()
            .map(|s| s.speakers.iter().map(|p| p.name.as_str()).collect())
            .collect();
        assert_eq!(
            names,
            vec![
                vec!["장하은"],
                vec!["이수빈"],
                vec!["차은결"],
                vec!["홍길동"],
                vec![]
            ]
        );
    }

    #[test]
    fn roles_need_a_word_boundary() {
        assert!(split_role("발표회 개최 안내").is_none());
        assert!(split_role("토론회 자료집").is_none());
        assert_eq!(
            split_role("14:00~14:10 개회사 | 홍길동").map(|r| r.0),
            Some(ProgramRole::Greeting)
        );
        assert!(is_program_heading("기자회견 순서"));
        assert!(is_program_heading("< 행사 일정 >"));
        assert!(!is_program_heading("4. 추진일정"));
    }

    fn block(id: &str, kind: BlockType, text: &str, page: u32) -> Block {
        let mut b = Block::new(id, kind, text);
        b.page = Some(page);
        b
    }

    /// A program page as a table of time, content and speaker, and body text elsewhere that
    /// names roles without being a program.
    #[test]
    fn program_pages_and_timed_tables_only() {
        let mut table = block("b3", BlockType::Table, "", 2);
        table.table = Some(Box::new(Table {
            rows: vec![
                vec!["시간".into(), "내용".into(), "발표자".into()],
                vec![
                    "14:00~14:10".into(),
                    "인사말".into(),
                    "이태호 사무처장(참여연대)".into(),
                ],
                vec![
                    "14:10~14:40".into(),
                    "발제 1 진상규명 과제".into(),
                    "박주민".into(),
                ],
            ],
            header_rows: 1,
            ..Table::default()
        }));
        let blocks = vec![
            block("b1", BlockType::Heading, "순서", 1),
            block("b2", BlockType::Paragraph, "사 회 | 이태호", 1),
            table,
            block("b4", BlockType::Paragraph, "토론 내용은 다음과 같다", 9),
            block("b5", BlockType::Paragraph, "사회 : 홍길동", 9),
        ];
        let items = read(&blocks);
        let roles: Vec<_> = items.iter().map(|i| i.role).collect();
        assert_eq!(
            roles,
            vec![
                ProgramRole::Moderator,
                ProgramRole::Greeting,
                ProgramRole::Presentation
            ]
        );
        assert_eq!(items[2].title.as_deref(), Some("진상규명 과제"));
        assert_eq!(items[2].speakers[0].name, "박주민");
        assert_eq!(
            items[1].speakers[0].affiliation.as_deref(),
            Some("참여연대")
        );
    }
}
