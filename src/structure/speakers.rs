//! Speakers: `{name, role, affiliation}` read from the forms the genre uses — a byline under
//! a presentation heading (`마포구사회적경제통합지원센터` / `홍진주 센터장`), a presenter line
//! (`발제자 : 관악구 사회적경제통합지원센터 이종환 센터장`), `최근영/센터장, 동대문구 …`, and
//! TOC entries (`관악사회적경제통합지원센터장 이종환`).

use crate::document::Speaker;

use super::rules::CapturesIfMatch;
use super::rules::{
    AFFILIATION_HEAD, AFFILIATION_WORDS, BYLINE_NAME_ROLE_AFFILIATION, BYLINE_PRESENTER,
    SPEAKER_AFFILIATION_NAME_ROLE, SPEAKER_AFFILIATION_ROLE_NAME, SPEAKER_NAME_ROLE,
};

/// Words that a name-shaped match must not be (parts of organisation names or titles).
const NOT_NAMES: &[&str] = &[
    "지원",
    "통합",
    "사회적",
    "경제",
    "센터",
    "협동",
    "조합",
    "연구",
];

fn plausible_name(name: &str) -> bool {
    let n = name.chars().count();
    (2..=4).contains(&n) && !NOT_NAMES.iter().any(|w| name.contains(w))
}

fn clean(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn speaker(name: &str, role: Option<&str>, affiliation: Option<&str>) -> Option<Speaker> {
    if !plausible_name(name) {
        return None;
    }
    Some(Speaker {
        name: name.to_string(),
        role: role.map(str::to_string),
        affiliation: affiliation.map(clean).filter(|a| !a.is_empty()),
    })
}

/// A speaker written on one line, in any of the sample's one-line forms:
/// `관악구 사회적경제통합지원센터 이종환 센터장`, `이향자센터장` glued, `최근영/센터장, 동대문구 …`,
/// `관악사회적경제통합지원센터장 이종환`, or `홍진주 센터장` alone.
pub fn parse(text: &str) -> Option<Speaker> {
    let text = text.trim();
    if let Some(c) = BYLINE_PRESENTER.captures_if_match(text) {
        return parse(&c["rest"]);
    }
    if let Some(c) = BYLINE_NAME_ROLE_AFFILIATION.captures_if_match(text) {
        return speaker(&c["name"], Some(&c["role"]), Some(&c["aff"]));
    }
    if let Some(c) = SPEAKER_AFFILIATION_NAME_ROLE.captures_if_match(text) {
        if let Some(s) = speaker(&c["name"], Some(&c["role"]), Some(&c["aff"])) {
            return Some(s);
        }
    }
    if let Some(c) = SPEAKER_AFFILIATION_ROLE_NAME.captures_if_match(text) {
        let role = match &c["unit"] {
            "센터" => "센터장",
            "사업단" | "조성단" => "단장",
            "재단" => "이사장",
            "협의회" => "회장",
            _ => "원장",
        };
        return speaker(&c["name"], Some(role), Some(&c["aff"]));
    }
    if let Some(c) = SPEAKER_NAME_ROLE.captures_if_match(text) {
        return speaker(&c["name"], Some(&c["role"]), None);
    }
    None
}

/// A presenter line (`발제자 : …`, `최근영/센터장, …`): a speaker that stands as a byline
/// wherever it appears, even in the middle of a paragraph.
pub fn parse_byline_line(text: &str) -> Option<Speaker> {
    let text = text.trim();
    if let Some(c) = BYLINE_PRESENTER.captures_if_match(text) {
        return parse(&c["rest"]);
    }
    let c = BYLINE_NAME_ROLE_AFFILIATION.captures_if_match(text)?;
    speaker(&c["name"], Some(&c["role"]), Some(&c["aff"]))
}

/// The two-line byline under a presentation heading: an affiliation line, then `홍진주 센터장`.
pub fn parse_two_lines(affiliation: &str, name_role: &str) -> Option<Speaker> {
    if !AFFILIATION_WORDS.is_match(affiliation) || affiliation.chars().count() > 60 {
        return None;
    }
    let c = SPEAKER_NAME_ROLE.captures_if_match(name_role.trim())?;
    speaker(&c["name"], Some(&c["role"]), Some(affiliation))
}

/// The short head of an affiliation (a district such as `관악`) to look for in the body.
pub fn affiliation_head(affiliation: &str) -> Option<String> {
    let head = AFFILIATION_HEAD.captures_if_match(affiliation.trim())?["head"].to_string();
    (head.chars().count() >= 2).then_some(head)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn triple(s: Option<Speaker>) -> Option<(String, Option<String>, Option<String>)> {
        s.map(|s| (s.name, s.role, s.affiliation))
    }

    fn some(
        name: &str,
        role: &str,
        aff: Option<&str>,
    ) -> Option<(String, Option<String>, Option<String>)> {
        Some((name.into(), Some(role.into()), aff.map(str::to_string)))
    }

    #[test]
    fn presenter_line() {
        assert_eq!(
            triple(parse(
                "발제자 : 관악구 사회적경제통합지원센터 이종환 센터장"
            )),
            some("이종환", "센터장", Some("관악구 사회적경제통합지원센터"))
        );
        assert_eq!(
            triple(parse_byline_line(
                "- 발제자 : 용산구사회적경제통합지원센터 강희정 사무국장"
            )),
            some("강희정", "사무국장", Some("용산구사회적경제통합지원센터"))
        );
        assert_eq!(
            triple(parse("- 발제자 : 중구 사회적경제생태계조성단 박미아 단장")),
            some("박미아", "단장", Some("중구 사회적경제생태계조성단"))
        );
    }

    #[test]
    fn name_role_affiliation() {
        assert_eq!(
            triple(parse_byline_line(
                "최근영/센터장, 동대문구 사회적경제 지원센터"
            )),
            some("최근영", "센터장", Some("동대문구 사회적경제 지원센터"))
        );
    }

    #[test]
    fn toc_forms() {
        assert_eq!(
            triple(parse("관악사회적경제통합지원센터장 이종환")),
            some("이종환", "센터장", Some("관악사회적경제통합지원센터"))
        );
        assert_eq!(
            triple(parse("노원사회적경제지원센터 우순영 센터장")),
            some("우순영", "센터장", Some("노원사회적경제지원센터"))
        );
        assert_eq!(
            triple(parse("구로사회적경제통합지원센터 이향자센터장")),
            some("이향자", "센터장", Some("구로사회적경제통합지원센터"))
        );
        assert_eq!(
            triple(parse("서울시사회적경제지원센터 시민경제연구U 권소일 책임")),
            some(
                "권소일",
                "책임",
                Some("서울시사회적경제지원센터 시민경제연구U")
            )
        );
    }

    #[test]
    fn two_line_byline() {
        assert_eq!(
            triple(parse_two_lines(
                "마포구사회적경제통합지원센터",
                "홍진주 센터장"
            )),
            some("홍진주", "센터장", Some("마포구사회적경제통합지원센터"))
        );
        assert_eq!(
            triple(parse_two_lines("은평구사회적경제허브센터", "박치득 센터장")),
            some("박치득", "센터장", Some("은평구사회적경제허브센터"))
        );
        // A slide line above a short line is not a byline.
        assert!(parse_two_lines("사회적경제 발전단계", "도입기").is_none());
    }

    #[test]
    fn prose_is_not_a_speaker() {
        assert!(parse("민관거버넌스 사례").is_none());
        assert!(parse_byline_line("발제를 준비하였습니다.").is_none());
    }

    #[test]
    fn affiliation_heads() {
        assert_eq!(
            affiliation_head("관악사회적경제통합지원센터").as_deref(),
            Some("관악")
        );
        assert_eq!(
            affiliation_head("동대문구 사회적경제 지원센터").as_deref(),
            Some("동대문")
        );
    }
}
