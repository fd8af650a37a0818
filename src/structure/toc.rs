//! The table of contents (`목 차`): its lines parsed into entries with label, title and page
//! (a line may hold two entries: `부록1. … 부록2. …`), the speakers the entries name, and the
//! entries' kinds so `sections` can link each entry to its section, and the entries' levels
//! from their numbering (`Ⅰ.`, `1.`, `1.1`, `가.`).

use crate::document::{SectionKind, Speaker};
use crate::model::Table;

use super::rules::CapturesIfMatch;
use super::rules::{
    SECTION_RULES, TOC_ENTRY_PAGE_FIRST, TOC_ENTRY_PAGE_LAST, TOC_ENTRY_SPLIT, TOC_LEADER_CHARS,
    TOC_NUMBERING,
};
use super::speakers;

/// One entry of the table of contents.
#[derive(Debug, Clone, PartialEq)]
pub struct TocItem {
    pub kind: Option<SectionKind>,
    pub label: Option<String>,
    pub title: String,
    pub page: Option<u32>,
    pub speakers: Vec<Speaker>,
}

/// The page number of a TOC line and the text without it, or `None` when the line carries
/// no page number (it is not an entry, or it continues the entry above).
pub fn split_page(text: &str) -> Option<(u32, String)> {
    if let Some(c) = TOC_ENTRY_PAGE_FIRST.captures_if_match(text) {
        return Some((c["page"].parse().ok()?, c["text"].replace('\t', " ")));
    }
    let c = TOC_ENTRY_PAGE_LAST.captures_if_match(text)?;
    Some((
        c["page"].parse().ok()?,
        strip_leaders(&c["text"]).to_string(),
    ))
}

/// The text without the dot leaders and spaces at its end (`1. 사업일반 ···· ·` → `1. 사업일반`).
pub fn strip_leaders(text: &str) -> &str {
    text.trim_end_matches(|c: char| c.is_whitespace() || TOC_LEADER_CHARS.contains(&c))
}

/// Each entry's level: the rank of its title's numbering scheme by first appearance in this
/// TOC (`Ⅰ.` first → 1, then `1.` → 2, `가.` → 3), `None` for an unnumbered entry
/// (`【별첨】일반현황`) or one with a booklet label (`[발제1]`).
pub fn levels(items: &[TocItem]) -> Vec<Option<u8>> {
    let mut order: Vec<usize> = Vec::new();
    items
        .iter()
        .map(|t| {
            if t.label.is_some() {
                return None;
            }
            let scheme = TOC_NUMBERING.iter().position(|r| r.is_match(&t.title))?;
            let rank = order.iter().position(|&s| s == scheme).unwrap_or_else(|| {
                order.push(scheme);
                order.len() - 1
            });
            u8::try_from(rank + 1).ok()
        })
        .collect()
}

/// The entries in an entry's text (one line, or a line and its wrapped continuation); the
/// page belongs to the first.
pub fn items(body: &str, page: Option<u32>) -> Vec<TocItem> {
    let mut starts: Vec<usize> = TOC_ENTRY_SPLIT
        .find_iter(body)
        .map(|m| m.start() + 1)
        .collect();
    starts.insert(0, 0);
    starts.push(body.len());
    starts
        .windows(2)
        .enumerate()
        .map(|(i, w)| {
            let text = strip_leaders(body[w[0]..w[1]].trim());
            item(text, page.filter(|_| i == 0))
        })
        .collect()
}

/// The entries on one TOC line, or `None` when the line is not a TOC entry (no page number).
pub fn parse_line(text: &str) -> Option<Vec<TocItem>> {
    let (page, body) = split_page(text)?;
    let items = items(&body, Some(page));
    (!items.is_empty()).then_some(items)
}

/// The entries of a TOC that a layout tool wrote as a two-column table, title | page (or
/// page | title): each row read as the line `title<TAB>page`. A first row without a page is
/// its header (`제목 | 쪽`); any other row without one means the table is no TOC. `None` unless
/// at least two rows are entries and their pages never go backwards.
pub fn table_entries(table: &Table) -> Option<Vec<TocItem>> {
    if table.cols != 2 {
        return None;
    }
    let mut entries: Vec<TocItem> = Vec::new();
    let mut last_page = 0;
    for row in 0..table.rows {
        let cells: Vec<String> = table
            .cells
            .iter()
            .filter(|c| c.row == row)
            .map(|c| c.text().replace('\n', " ").trim().to_string())
            .collect();
        let line = cells.join("\t");
        match parse_line(&line) {
            Some(items) => {
                let page = items.first().and_then(|t| t.page).unwrap_or(0);
                if page < last_page {
                    return None;
                }
                last_page = page;
                entries.extend(items);
            }
            None if row == 0 => {}
            None => return None,
        }
    }
    (entries.iter().filter(|t| t.page.is_some()).count() >= 2).then_some(entries)
}

/// One entry's fields: `[발제1] 제목 : 소속 이름 직함` → label `발제1`, the title and the
/// speaker; `토론 1 소속 이름` → label `토론 1`, the speaker line as the title.
pub fn item(text: &str, page: Option<u32>) -> TocItem {
    for rule in SECTION_RULES.iter() {
        let Some(c) = rule.pattern.captures_if_match(text) else {
            continue;
        };
        let label = (rule.label)(&c["n"]);
        let rest = c["rest"].trim();
        let (title, speaker_text) = match rule.kind {
            SectionKind::Presentation => match rest.rsplit_once(" : ") {
                Some((title, who)) => (title.trim().to_string(), Some(who)),
                None => (rest.to_string(), None),
            },
            SectionKind::Discussion => (rest.to_string(), Some(rest)),
            _ => (rest.to_string(), None),
        };
        let speakers = speaker_text.and_then(speakers::parse).into_iter().collect();
        return TocItem {
            kind: Some(rule.kind),
            label: Some(label),
            title,
            page,
            speakers,
        };
    }
    TocItem {
        kind: None,
        label: None,
        title: text.to_string(),
        page,
        speakers: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presentation_entry_with_speaker() {
        let items = parse_line(
            "16\t[발제2] 자치구 거버넌스 구축 성과와 과제 : 은평구사회적경제허브센터 박치득 센터장",
        )
        .expect("entry");
        assert_eq!(items.len(), 1);
        let e = &items[0];
        assert_eq!(e.kind, Some(SectionKind::Presentation));
        assert_eq!(e.label.as_deref(), Some("발제2"));
        assert_eq!(e.title, "자치구 거버넌스 구축 성과와 과제");
        assert_eq!(e.page, Some(16));
        assert_eq!(e.speakers[0].name, "박치득");
        assert_eq!(
            e.speakers[0].affiliation.as_deref(),
            Some("은평구사회적경제허브센터")
        );
    }

    #[test]
    fn discussion_entry() {
        let e = &parse_line("40\t토론 2 동대문사회적경제지원센터 최근영 센터장").expect("entry")[0];
        assert_eq!(e.kind, Some(SectionKind::Discussion));
        assert_eq!(e.label.as_deref(), Some("토론 2"));
        assert_eq!(e.speakers[0].name, "최근영");
        assert_eq!(e.page, Some(40));
    }

    #[test]
    fn two_entries_on_one_line() {
        let items = parse_line("44\t부록1. 서울시 자치구 사회적경제통합지원센터 권역별 사전 포럼 부록2. 서울시 자치구 사회적경제통합지원센터 기본 정보")
            .expect("entries");
        assert_eq!(items.len(), 2);
        assert_eq!(items[0].label.as_deref(), Some("부록1"));
        assert_eq!(
            items[0].title,
            "서울시 자치구 사회적경제통합지원센터 권역별 사전 포럼"
        );
        assert_eq!(items[0].page, Some(44));
        assert_eq!(items[1].label.as_deref(), Some("부록2"));
        assert_eq!(
            items[1].title,
            "서울시 자치구 사회적경제통합지원센터 기본 정보"
        );
        assert_eq!(items[1].page, None);
    }

    #[test]
    fn a_question_mark_title_keeps_its_speaker() {
        let e = &parse_line("30\t[발제3] 서울시 사회적경제 5개년 계획에서는 광역- 자치구 지원센터의 관계를 어떻게 설정하였는가? : 서울시사회적경제지원센터 시민경제연구U 권소일 책임").expect("entry")[0];
        assert_eq!(e.title, "서울시 사회적경제 5개년 계획에서는 광역- 자치구 지원센터의 관계를 어떻게 설정하였는가?");
        assert_eq!(e.speakers[0].role.as_deref(), Some("책임"));
    }

    #[test]
    fn an_entry_wrapped_with_its_page_on_the_first_line() {
        // The PDF's TOC: `… 설정하였 30` / `는가? : 서울시사회적경제지원센터 시민경제연구U 권소일 책임`.
        let (page, body) = split_page("[발제3] 서울시 사회적경제 5개년 계획에서는 광역- 자치구 지원센터의 관계를 어떻게 설정하였 30").expect("page");
        let items = items(
            &format!("{body}는가? : 서울시사회적경제지원센터 시민경제연구U 권소일 책임"),
            Some(page),
        );
        assert_eq!(items[0].page, Some(30));
        assert!(items[0].title.ends_with("설정하였는가?"));
        assert_eq!(items[0].speakers[0].name, "권소일");
    }

    fn entry(line: &str) -> TocItem {
        let mut items = parse_line(line).expect(line);
        items.remove(0)
    }

    #[test]
    fn leaders_never_stay_in_titles() {
        // U+2024 leaders (a ministry report), a broken run of middle dots, a slash and `p`.
        let e = entry("2.2 주요 선박개조사항 ․․․․․ 9");
        assert_eq!(
            (e.title.as_str(), e.page),
            ("2.2 주요 선박개조사항", Some(9))
        );
        let e = entry("1. 사업일반 ········· ··· 1");
        assert_eq!((e.title.as_str(), e.page), ("1. 사업일반", Some(1)));
        let e = entry("진상규명 과제 11개 분야 33개 과제/ 23p");
        assert_eq!(
            (e.title.as_str(), e.page),
            ("진상규명 과제 11개 분야 33개 과제", Some(23))
        );
        // An entry wrapped before its page: the leaders of the first line go too.
        let items = items("3. 주요 시스템 현황 ······", None);
        assert_eq!(items[0].title, "3. 주요 시스템 현황");
    }

    #[test]
    fn levels_follow_the_numbering_in_order_of_appearance() {
        // kps_ai.pdf's TOC: `Ⅰ.` chapters, `1.` sections, `가.` subsections; `붙임.` unnumbered.
        let lines = [
            "Ⅲ. 제안요청 내용 1",
            "1. 요구사항 총괄 ······ 8",
            "2. 상세 요구사항 ······ 10",
            "가. 시스템 장비구성 요구사항 ······ 10",
            "Ⅳ. 제안서 작성 ······ 29",
            "붙임. 별지서식 ······ 48",
        ];
        let items: Vec<TocItem> = lines.iter().map(|l| entry(l)).collect();
        assert_eq!(
            levels(&items),
            [Some(1), Some(2), Some(2), Some(3), Some(1), None]
        );
        // kwater_rfp.pdf's TOC starts at `1.`, so `1.` is the top and `1.1.` the second level.
        let items: Vec<TocItem> = [
            "1. 제안공모요강 3",
            "1.1. 일반사항 3",
            "2. 제안자를 위한 정보 9",
        ]
        .iter()
        .map(|l| entry(l))
        .collect();
        assert_eq!(levels(&items), [Some(1), Some(2), Some(1)]);
        // The sample booklet's labelled entries have no level.
        let e = entry(
            "16\t[발제2] 자치구 거버넌스 구축 성과와 과제 : 은평구사회적경제허브센터 박치득 센터장",
        );
        assert_eq!(levels(&[e]), [None]);
    }

    /// reg76076.pdf's TOC lists its five regulations with no page and no space after the
    /// number; the date under it is no entry's number.
    #[test]
    fn numbers_glued_to_their_title_are_numbering() {
        let scheme = |title: &str| TOC_NUMBERING.iter().position(|r| r.is_match(title));
        assert_eq!(
            scheme("1.안전모의 지급 및 확인 의무 강화"),
            scheme("1. 언어자원, 키우기")
        );
        assert!(scheme("1. 언어자원, 키우기").is_some());
        assert_eq!(scheme("2023. 12. 25. 작성"), None);
        let items: Vec<TocItem> = [
            "1.안전모의 지급 및 확인 의무 강화",
            "2.분쇄기 등의 방호조치 강화",
        ]
        .iter()
        .flat_map(|l| items(l, None))
        .collect();
        assert_eq!(levels(&items), [Some(1), Some(1)]);
    }

    /// A table of `rows` (each row's cells) as a Markdown reader makes it.
    fn table(rows: &[&[&str]]) -> Table {
        use crate::model::{Cell, Line};
        let cells = rows
            .iter()
            .enumerate()
            .flat_map(|(r, row)| {
                row.iter().enumerate().map(move |(c, text)| {
                    let line = Line {
                        text: text.to_string(),
                        ..Line::default()
                    };
                    Cell::new(r as u32, c as u32, 1, vec![line])
                })
            })
            .collect();
        let mut table = Table {
            cells,
            ..Table::default()
        };
        table.normalize_grid();
        table
    }

    #[test]
    fn a_toc_written_as_a_title_page_table() {
        // The sample booklet's TOC as marker writes it from a TOC page it takes for a table.
        let toc = table(&[
            &["제목", "쪽"],
            &["[발제1] 자치구별 사회적경제 통합지원센터 현황과 전략과제 : 마포구사회적경제통합지원센터 홍진주 센터장", "8"],
            &["토론 1 관악사회적경제통합지원센터장 이종환", "22"],
            &["부록1. 서울시 자치구 사회적경제통합지원센터 권역별 사전 포럼 부록2. 서울시 자치구 사회적경제통합지원센터 기본 정보", "44"],
        ]);
        let items = table_entries(&toc).expect("a TOC");
        let got: Vec<_> = items.iter().map(|t| (t.label.as_deref(), t.page)).collect();
        assert_eq!(
            got,
            [
                (Some("발제1"), Some(8)),
                (Some("토론 1"), Some(22)),
                (Some("부록1"), Some(44)),
                (Some("부록2"), None)
            ]
        );
        assert_eq!(items[0].speakers[0].name, "홍진주");
        // Page first works too.
        let flipped = table(&[
            &["8", "[발제1] 자치구별 사회적경제"],
            &["16", "[발제2] 자치구 거버넌스"],
        ]);
        assert_eq!(table_entries(&flipped).map(|t| t.len()), Some(2));
    }

    #[test]
    fn a_two_column_data_table_is_no_toc() {
        // Sample lines 160-163: an age table whose second column is a count.
        let ages = table(&[
            &["연령대", "인원 수"],
            &["총인원(전체)", "8"],
            &["초등연(4~6세)", "2"],
            &["중등연(7~12세)", "4"],
        ]);
        assert!(table_entries(&ages).is_none());
        // Sample lines 720-721: text in both columns.
        let roles = table(&[
            &["주체", "추진사항"],
            &["서울시", "지역특화사업 기본계획 수립"],
        ]);
        assert!(table_entries(&roles).is_none());
    }

    #[test]
    fn prose_is_not_an_entry() {
        assert!(parse_line("2012년부터 서울시는 사회적경제 활성화 지원 정책 중 하나로 자치구 단위 사회적경제 생태계 조성 지원 정책을 추진함.").is_none());
    }
}
