//! The rule tables of the structure stage: every pattern the booklet genre uses to mark a
//! section, a heading, a list item, a caption, a speaker, a table-of-contents entry or a
//! colophon entry, each with a comment saying what it catches. The code that applies them
//! lives in the sibling modules; every entry has a test below with a real line of the sample.

use std::sync::LazyLock;

use regex::Regex;

use crate::document::SectionKind;

/// `captures` that first asks the cheaper `is_match`: most rules do not match most lines, and
/// a failed `captures` still pays for its capture slots.
pub trait CapturesIfMatch {
    fn captures_if_match<'h>(&self, haystack: &'h str) -> Option<regex::Captures<'h>>;
}

impl CapturesIfMatch for Regex {
    fn captures_if_match<'h>(&self, haystack: &'h str) -> Option<regex::Captures<'h>> {
        if self.is_match(haystack) {
            self.captures(haystack)
        } else {
            None
        }
    }
}

fn re(pattern: &str) -> Regex {
    // The patterns are constants of this file, checked by the tests below.
    Regex::new(pattern).expect("structure rule patterns are valid")
}

/// A line that opens a section of the booklet: `kind`, how to print the label from the
/// number, and the pattern (groups `n` = number, `rest` = what follows the marker).
pub struct SectionRule {
    pub kind: SectionKind,
    pub label: fn(&str) -> String,
    pub pattern: Regex,
}

pub static SECTION_RULES: LazyLock<Vec<SectionRule>> = LazyLock::new(|| {
    vec![
        // A presentation: `[발제1] 자치구별 사회적경제`.
        SectionRule {
            kind: SectionKind::Presentation,
            label: |n| format!("발제{n}"),
            pattern: re(r"^\[\s*발제\s*(?P<n>\d{1,2})\s*\]\s*(?P<rest>.*)$"),
        },
        // A discussion: `토론 1 관악사회적경제통합지원센터장 이종환` (a digit must follow, so
        // `토론문이라기 보다는` and `토론거리` do not count).
        SectionRule {
            kind: SectionKind::Discussion,
            label: |n| format!("토론 {n}"),
            pattern: re(r"^토론\s*(?P<n>\d{1,2})(?:\s*[.:)]\s*|\s+|$)(?P<rest>.*)$"),
        },
        // An appendix: `부록1. 서울시 자치구사회적경제통합지원센터 권역별 사전 포럼`.
        SectionRule {
            kind: SectionKind::Appendix,
            label: |n| format!("부록{n}"),
            pattern: re(r"^부록\s*(?P<n>\d{1,2})\s*[.:]?\s*(?P<rest>.*)$"),
        },
        // A regional forum: `<1차> 자치구 사회적경제지원센터 권역별(서남권) 사전 포럼`.
        SectionRule {
            kind: SectionKind::Forum,
            label: |n| format!("{n}차"),
            pattern: re(r"^<\s*(?P<n>\d{1,2})\s*차\s*>\s*(?P<rest>\S.*)$"),
        },
    ]
});

/// A numbered or symbol-bulleted heading with its level (1 is the highest inside a section).
/// Groups: `label` (the numbering, kept as the block's marker) and `rest` (the title).
pub struct HeadingRule {
    pub level: u8,
    pub pattern: Regex,
    /// True for ordinal numbering (`1.`, `가.`, `1)`): a run of them on consecutive lines is a
    /// list, not a series of headings.
    pub ordinal: bool,
}

pub static HEADING_RULES: LazyLock<Vec<HeadingRule>> = LazyLock::new(|| {
    vec![
        // Roman numerals: `II. 성동구사회적경제지원센터 주요 성과`, `Ⅰ. 2021년 평가`.
        HeadingRule {
            level: 1,
            ordinal: true,
            pattern: re(
                r"^(?P<label>(?:I{1,3}|IV|VI{0,3}|IX|X|[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ])\.)\s*(?P<rest>[^\s.].*)$",
            ),
        },
        // Roman numerals without a dot, before Hangul: `II 향후 과제`.
        HeadingRule {
            level: 1,
            ordinal: true,
            pattern: re(
                r"^(?P<label>I{1,3}|IV|VI{0,3}|IX|X|[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ])\s+(?P<rest>\p{Hangul}.*)$",
            ),
        },
        // Slide parts: `Part 04 1인 어르신 가구 삶나기 프로젝트`.
        HeadingRule {
            level: 1,
            ordinal: true,
            pattern: re(r"^(?P<label>Part\s*\d{1,2})\s+(?P<rest>\S.*)$"),
        },
        // Keyword-numbered slide titles: `성과1. 24개 자치구 사회적경제 생태계 기반 조성`,
        // `전략2. 지역 SE네트워크와의 공동성장 전략`, `성과2 지역 사회적경제 거버넌스`.
        HeadingRule {
            level: 2,
            ordinal: false,
            pattern: re(
                r"^(?P<label>(?:성과|전략|과제|방향|목표|사례)\s*\d{1,2}\.?)\s*(?P<rest>\S.*)$",
            ),
        },
        // Dotted decimals: `1.1. 일반사항`, `2.2 주요 선박개조사항` (a space, then a letter:
        // not `2.0에는`, not `3.5 배`).
        HeadingRule {
            level: 3,
            ordinal: true,
            pattern: re(
                r"^(?P<label>\d{1,2}(?:\.\d{1,2}){1,2}\.?)\s+(?P<rest>[\p{Hangul}\p{L}].*)$",
            ),
        },
        // Decimal numbering: `1. 자치구별 SE 생태계 구축 사업 현황 및 성과`, `1.SE 조직간 연대 강화`
        // (not dates such as `2020. 11. 19`).
        HeadingRule {
            level: 2,
            ordinal: true,
            pattern: re(r"^(?P<label>\d{1,2}\.)\s*(?P<rest>[^\d\s.~].*)$"),
        },
        // Two-digit slide numbering: `03 주민 일상으로 확장되는 사회적경제 확장`.
        HeadingRule {
            level: 2,
            ordinal: true,
            pattern: re(r"^(?P<label>0[1-9])\s+(?P<rest>\S.*)$"),
        },
        // Sub-numbering: `3-7. 은평구사회적경제허브센터 사업내용`.
        HeadingRule {
            level: 3,
            ordinal: true,
            pattern: re(r"^(?P<label>\d{1,2}-\d{1,2}\.?)\s+(?P<rest>\S.*)$"),
        },
        // Hangul ordinals: `가. 사업명 : 자치구 사회적경제지원센터 권역별(서북권) 사전 포럼`.
        HeadingRule {
            level: 3,
            ordinal: true,
            pattern: re(r"^(?P<label>[가나다라마바사아자차카타파하]\.)\s*(?P<rest>\S.*)$"),
        },
        // Black squares on slides: `■ 성과3. 지역문제해결형, 시민 체감형 사회적경제 정책 실천`.
        HeadingRule {
            level: 3,
            ordinal: false,
            pattern: re(r"^(?P<label>[■▣])\s*(?P<rest>\S.*)$"),
        },
        // Parenthesised numbers: `1) 형태적 관점의 민관거버넌스`.
        HeadingRule {
            level: 4,
            ordinal: true,
            pattern: re(r"^(?P<label>\d{1,2}\))\s*(?P<rest>\S.*)$"),
        },
        // Other symbol headings: `❖ 사회적경제조직 변화추이(2016~2020현재)`, `○ 사업주체별 역할`,
        // `◇ 서울시의 사회적경제 생태계조성 정책에 발맞추어 성장`.
        HeadingRule {
            level: 4,
            ordinal: false,
            pattern: re(r"^(?P<label>[❖◆◇○●◎□])\s*(?P<rest>\S.*)$"),
        },
        // Deeper ordinals: `가) …`, `(1) …`, `(가) …`.
        HeadingRule {
            level: 5,
            ordinal: true,
            // (`(사)` is the abbreviation of 사단법인, not an ordinal.)
            pattern: re(
                r"^(?P<label>[가나다라마바아자차카타파하]\)|\(\d{1,2}\)|\([가나다라마바아자차카타파하]\))\s*(?P<rest>\S.*)$",
            ),
        },
    ]
});

/// Level given to an unnumbered title line (a short line standing over a long paragraph, or a
/// line set in a larger font on the PDF path when no size ranking applies).
pub const UNNUMBERED_HEADING_LEVEL: u8 = 6;

/// A heading's title is at most this many characters; longer numbered lines are list items.
pub const HEADING_MAX_CHARS: usize = 70;

/// Bullets that open a list item: `- 통합지원센터 21개소 …`, `• 주민생활권역별 …`,
/// `→ 협력과 연대기반 조성`, `➔`, `➡`, `✓`, `☐ 주민에 대한 이해?`, `▶ 조사명 : …`,
/// circled numbers `①교육훈련/연구`; the bullets of government documents: `ㅇ`/`ㅁ` typed for
/// ○/□, `❍`, `▪`, `▸`, and `※` notes (`ㅇ 쉽고 바른 공공용어, …`, `❍ 디지털 기반 사업지원 …`).
/// Group `rest` is the item text; it never starts with a bare jamo (`ㅇㅇ구` is a masked name).
pub static LIST_BULLET: LazyLock<Regex> = LazyLock::new(|| {
    re(r"^(?P<indent>\s*)(?P<marker>[-–•·→➔➡✓✔☐☑▶►◦‣ㅇㅁ❍▪▸※]|[①-⑳])\s*(?P<rest>(?:[^ㄱ-ㆎ].*)?)$")
});

/// A Latin `o` typed for `ㅇ`/`○` (Hancom reports: `o 규제대안의 내용`, reg86712.pdf) is a bullet
/// when a space and Hangul follow it.
pub static LATIN_O_BULLET: LazyLock<Regex> =
    LazyLock::new(|| re(r"^(?P<indent>\s*)(?P<marker>o)\s+(?P<rest>[가-힣].*)$"));

/// A second marker right after a bullet (`- ❖ 비전과 과제 …`, `- 1) 주민과 함께 하는 참여자치`,
/// `- 가. 사업명 : …`, `- 01 5년간의 진행형`): the more specific one becomes the item's marker.
pub static INNER_MARKER: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^(?:(?P<marker>[❖◆◇○●■□☐✓➔➡→①-⑳]|\d{1,2}[.)]|[가나다라마바사아자차카타파하][.)])\s*|(?P<marker2>0[1-9])\s+)(?P<rest>\S.*)$",
    )
});

/// A caption: a whole line in angle brackets or square brackets that holds Hangul:
/// `<2020년 자치구 사회적경제통합지원센터 운영 현황>`, `[사업주체별 역할]`
/// (not `[illegible]`, not `<1차>`, not an HTML tag).
pub static CAPTION: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^\s*(?:<(?P<angle>[^<>]*\p{Hangul}[^<>]*)>|\[(?P<square>[^\[\]]*\p{Hangul}[^\[\]]*)\])\s*$",
    )
});

/// A bracketed caption this short is a slide label (`[성과]`, `[한계]`), kept as a heading.
pub const CAPTION_LABEL_MAX_CHARS: usize = 4;

/// Roles a speaker can hold, longest first so `사무국장` wins over `국장`.
pub const ROLES: &[&str] = &[
    "부센터장",
    "센터장",
    "사무국장",
    "사무처장",
    "상임이사",
    "선임연구원",
    "책임연구원",
    "공동대표",
    "상임대표",
    "사무총장",
    "국회의원",
    "구청장",
    "본부장",
    "변호사",
    "연구위원",
    "연구원",
    "이사장",
    "위원장",
    "사업단장",
    "단장",
    "책임",
    "팀장",
    "국장",
    "처장",
    "과장",
    "소장",
    "원장",
    "회장",
    "대표",
    "이사",
    "교수",
    "의원",
    "위원",
    "주무관",
    "매니저",
    "활동가",
];

fn roles_alternation() -> String {
    ROLES.join("|")
}

/// `발제자 : 관악구 사회적경제통합지원센터 이종환 센터장` (also after a list bullet).
pub static BYLINE_PRESENTER: LazyLock<Regex> = LazyLock::new(|| {
    re(r"^(?:[-•▶]\s*)?(?:발제자|발표자|토론자|발제|발표)\s*[:：]\s*(?P<rest>\S.+)$")
});

/// `최근영/센터장, 동대문구 사회적경제 지원센터`: name, role, then the affiliation.
pub static BYLINE_NAME_ROLE_AFFILIATION: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"^(?P<name>\p{{Hangul}}{{2,4}})\s*/\s*(?P<role>{})\s*,\s*(?P<aff>\S.*)$",
        roles_alternation()
    ))
});

/// `마포구사회적경제통합지원센터 홍진주 센터장`, `구로사회적경제통합지원센터 이향자센터장`:
/// the affiliation, then the name and the role (the role may be glued to the name).
pub static SPEAKER_AFFILIATION_NAME_ROLE: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"^(?P<aff>\S.*?)\s+(?P<name>\p{{Hangul}}{{2,4}}?)\s*(?P<role>{})$",
        roles_alternation()
    ))
});

/// `관악사회적경제통합지원센터장 이종환`: the role glued to the affiliation, then the name.
pub static SPEAKER_AFFILIATION_ROLE_NAME: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^(?P<aff>\S.*?(?P<unit>센터|사업단|조성단|재단|협의회|연구원))장\s+(?P<name>\p{Hangul}{2,4})$",
    )
});

/// `홍진주 센터장` on its own line under an affiliation line.
pub static SPEAKER_NAME_ROLE: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"^(?P<name>\p{{Hangul}}{{2,4}}?)\s*(?P<role>{})$",
        roles_alternation()
    ))
});

/// Words that make a line look like an affiliation (the line above `홍진주 센터장`).
pub static AFFILIATION_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(센터|사업단|조성단|재단|협의회|연구원|연구소|연구U|대학교|구청|시청|협동조합|네트워크)")
});

/// The district or organisation head of an affiliation, used to find a speaker's talk in
/// the body: `관악사회적경제통합지원센터` → `관악`, `동대문구 사회적경제 지원센터` → `동대문`.
pub static AFFILIATION_HEAD: LazyLock<Regex> =
    LazyLock::new(|| re(r"^(?P<head>\p{Hangul}{2,}?)(?:구)?\s*(?:사회적경제|마을|센터)"));

/// Words a discussant uses about their own text: `*본 토론문은 발제문의 문제의식을 …`,
/// `토론문이라기 보다는 은평 센터장님이 …`.
pub static DISCUSSION_CUE: LazyLock<Regex> =
    LazyLock::new(|| re(r"토론문|토론자|지정\s*토론|토론을\s*맡"));

/// The polite spoken register of a transcribed talk (`…발제를 준비하였습니다.`), as opposed
/// to the nominal written style of a paper (`…짚어보고자 함.`).
pub static POLITE_REGISTER: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?:니다|니까|세요)[.!?]?(?:\s|$)"));

/// A line that ends a sentence: final punctuation, or a final verb/nominal ending
/// (`…기대해봅니다.`, `…필요가 있음.`, `감사합니다`).
pub static SENTENCE_END: LazyLock<Regex> =
    LazyLock::new(|| re(r#"(?:[.!?。]|[다음함임됨])["”’'\)\]]*\s*$"#));

/// A line that stops in the middle of a sentence: its last word ends in a particle, an
/// adnominal or a connective (`…외부 연구자들에 의해`, `…참여 구조마련의 필요를`,
/// `…분야(프로젝트)별`, `…등 다양한`), so the next paragraph continues it.
pub static DANGLING_END: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?:\p{Hangul}*(?:의|을|를|이|가|은|는|에|와|과|로|서|도|만|별|한|된|할|될|던|인|및|고|며|여|해|게|께|적|지)|및|등|또는)$",
    )
});

/// A numbered line that ends on a particle or connective no title ends on, so a sentence
/// goes on after it (`□ 「산업안전보건기준에 관한 규칙」제87조에서는 기계의 회전 부위에`,
/// `가. 입찰참가자는 … 추진방법 등을`); not nouns such as `견인`, `결과`, `협의`.
pub static SENTENCE_GOES_ON: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\p{Hangul}(?:을|를|에|에서|으로|에게|에는|에도|부터|까지|하며|하고|하여|하는|되는|있는|없는|이며)$",
    )
});

/// A `label: value` clause, which states a value rather than a title: `가. 추진기간 : 6개월
/// (계약일로부터 6개월)` (kps_ai.pdf), `정책책임자 직위 : 국장 성명 :` (reg86712.pdf); a colon
/// between digits (`13:00`) is a time, not a label.
pub static LABEL_VALUE: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?:[^\d\s]\s*[:：]\s*\S|\S\s*[:：]\s*[^\d\s])"));

/// A footnote reference printed right after a word or a parenthesis, not part of the text's
/// own parentheses: `언어모델(LLM)1) 및 검색증강생성(RAG)2)도입⋅적용` (kps_ai.pdf), `도메인3)에`.
/// Group `before` is the character it follows.
pub static FOOTNOTE_REFERENCE: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?P<before>[\p{L})])\d{1,2}\)"));

/// A table-of-contents heading: `목 차`, `목차`, `차례`, `CONTENTS` (also bracketed, `[ 목 차 ]`,
/// `<목 차>`, as government reports print it), and a program's `순서` or `기자회견 순서` (up to
/// two words before it, group `order`); the segmenter takes it only when entries with pages
/// follow, or, for a TOC that prints no pages (not an `order`), numbered lines on its page.
pub static TOC_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^\s*[\[<【〈(]?\s*(?:목\s*차|차\s*례|(?P<order>(?:\S+\s+){0,2}\p{Hangul}*순\s*서)|CONTENTS|Contents|contents)\s*[\]>】〉)]?\s*$",
    )
});

/// A TOC line with the page first and a tab (text path):
/// `8\t[발제1] 자치구별 사회적경제 통합지원센터 현황과 전략과제 : …`.
pub static TOC_ENTRY_PAGE_FIRST: LazyLock<Regex> =
    LazyLock::new(|| re(r"^\s*(?P<page>\d{1,3})\t+(?P<text>\S.*?)\s*$"));

/// A TOC line with the page last (PDF path), after dot leaders (`·`, `.`, `…`, `‥`, U+2024
/// `․`, U+2027 `‧`, `_`), a slash, spaces or a tab; the page may be printed `p.12`, `23p`,
/// `12쪽` or `- 5 -`: `[발제1] 자치구별 사회적경제 … 홍진주 센터장 ······ 8`,
/// `2.2 주요 선박개조사항 ․․․․․ 9`, `진상규명 과제 11개 분야 33개 과제/ 23p`.
pub static TOC_ENTRY_PAGE_LAST: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^\s*(?P<text>\S.*?)(?:\s*[·.…‥․‧_\-]{2,}\s*|\s*…\s*|\s*/\s*|\s+|\t+)(?:[pP]\.\s*|[-–]\s*)?(?P<page>\d{1,3})(?:\s*[-–]|[pP]|\s*쪽)?\s*$",
    )
});

/// Dot leaders that may be left at the end of a TOC entry's text (a leader run broken by a
/// space, or a wrapped entry whose page is on the next line): `1. 사업일반 ···· ·`.
pub const TOC_LEADER_CHARS: [char; 8] = ['·', '.', '…', '‥', '․', '‧', '_', 'ㆍ'];

/// The numbering of a TOC entry's title, one scheme a row; an entry's level is the rank of its
/// scheme by first appearance in the document's TOC (`Ⅰ.` then `1.` then `가.` → 1, 2, 3).
pub static TOC_NUMBERING: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    [
        // Roman chapter numbers: `Ⅰ. 2021년 평가`, `IV. 제안서 작성`.
        r"^\s*(?:[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ]+|(?:I|II|III|IV|V|VI|VII|VIII|IX|X)\.)\s*\.?\s*\S",
        // Chapters: `제1장 총칙`, `제 2 편`.
        r"^\s*제\s*\d+\s*[편장부]\s",
        // Three-part numbers: `1.1.1 개요`, `1-1-1.`.
        r"^\s*\d+[.-]\d+[.-]\d+\.?\s",
        // Two-part numbers: `2.2 주요 선박개조사항`, `1.1. 일반사항`, `1-1. 국민의 국어능력`.
        r"^\s*\d+[.-]\d+\.?\s",
        // Numbers: `1. 언어자원, 키우기`, also glued to the title (`1.안전모의 지급 및 확인 의무
        // 강화`, reg76076.pdf); a year (`2023. 12. 25.`) is no number.
        r"^\s*\d{1,2}\.(?:\s|\p{Hangul})",
        // Hangul letters: `가. 시스템 장비구성 요구사항`.
        r"^\s*[가나다라마바사아자차카타파하]\.\s",
        // Parenthesised numbers: `1) 배경 및 필요성`, `(1) 개요`.
        r"^\s*\(?\d+\)\s",
    ]
    .into_iter()
    .map(re)
    .collect()
});

/// Where a second entry starts on the same TOC line (`… 사전 포럼 부록2. 서울시 …`).
pub static TOC_ENTRY_SPLIT: LazyLock<Regex> =
    LazyLock::new(|| re(r"\s(?:\[\s*발제\s*\d|토론\s*\d|부록\s*\d)"));

/// A standalone printed page number between pages (text path): `28`.
pub static PAGE_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| re(r"^\s*[-–]?\s*(?P<n>\d{1,3})\s*[-–]?\s*$"));

/// A code fence opening or closing a diagram (the sample's mermaid block): three backticks.
pub static FENCE: LazyLock<Regex> = LazyLock::new(|| re(r"^\s*```\s*(?P<lang>[\w+-]*)\s*$"));

/// The first line of a mermaid diagram when the fence names no language: `graph TD`.
pub static MERMAID_START: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^\s*(?:graph|flowchart|sequenceDiagram|classDiagram|stateDiagram|erDiagram|gantt|pie|mindmap|journey)\b",
    )
});

/// A node label inside a mermaid diagram: `A[민간주도 네트워크]`.
pub static MERMAID_LABEL: LazyLock<Regex> =
    LazyLock::new(|| re(r#"\w+\s*[\[\(\{]+\s*"?(?P<label>[^\]\)\}"]+?)"?\s*[\]\)\}]+"#));

/// A footnote under the text: `1 중랑구의 경우, 자치구 내 사회적경제팀과 …` (only when the
/// number was used as a superscript marker above).
pub static FOOTNOTE: LazyLock<Regex> =
    LazyLock::new(|| re(r"^\s*(?P<n>\d{1,2})[.)]?\s+(?P<rest>\S.{9,})$"));

/// Unicode superscript digits used as footnote markers in text: `운영 중에 있음¹.`
pub const SUPERSCRIPT_DIGITS: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];

/// HTML residue from a layout tool inside table cells and lines:
/// `<ul style="list-style-type: none"> 지역특화사업 …`, `<p>사회경제적 인식개선</p>`, `<br>`.
pub static HTML_TAG: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)</?(?:ul|ol|li|p|br|div|span|b|strong|i|em|u|table|tr|td|th|tbody|thead|font)\b[^>]*/?>",
    )
});

/// HTML tags that end a line of text inside a cell (an item or a paragraph).
pub static HTML_LINE_BREAK: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)<(?:li|br|ul|ol)\b[^>]*/?>|</(?:p|li|div)>"));

/// Inline bullets separating items inside one table cell: `• 6개 매장 사업연합 • 서울시 …`,
/// and the sub-item arrow `↳ 수탁법인의 대 행정/의회역할 필요`.
pub static CELL_INLINE_BULLET: LazyLock<Regex> = LazyLock::new(|| re(r"\s+(?P<b>[•▪◦↳])\s*"));

/// Dash items run together in one cell: `-민간의 주도성 기반 구축 -행정의 실행단위 참여`.
pub static CELL_INLINE_DASH: LazyLock<Regex> = LazyLock::new(|| re(r"\s+-(?P<next>\S)"));

/// A line inside a table cell that starts an item of its own rather than continuing the line
/// above: a bullet or a numbered marker (`• 6개 매장 사업연합`, `- 민간의 주도성`, `1) 교육`,
/// `① 역량강화`, `ㅇ 공공용어`, `□ 추진 배경`).
pub static CELL_ITEM_START: LazyLock<Regex> =
    LazyLock::new(|| re(r"^\s*(?:[-–•·▪◦↳→※□■○●ㅇ❍▶►]\s|[①-⑳]|\(?\d{1,2}\)\s|\d{1,2}\.\s)"));

/// A short label spread one syllable per word, as justified table cells set it: `부 동 산 업`,
/// `정 책 책 임 자`, `구 분` (two to eight syllables, single spaces, nothing else).
pub static LETTER_SPACED_LABEL: LazyLock<Regex> =
    LazyLock::new(|| re(r"^[가-힣](?: [가-힣]){1,7}$"));

/// Words that usually head a table column or row (`구분`, `연도`, `연번`, …).
pub static HEADER_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^(?:구\s*분|연\s*도|연번|순번|번호|내용|분야|형태|사업|항목|지역|주\s*체|성\s*과|과\s*제|기간|연령대|센터명|비고|평가|개선)$",
    )
});

/// Colophon keys: `발행처`, `발행일`, `주소`, `전화 02-353-3553 / 팩스 02-383-3553`, `이메일`,
/// `홈페이지`, `디자인`. Group `value` holds what follows the key on the same line.
pub static COLOPHON_KEY: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^\s*(?P<key>발행처|발행인|발행일|펴낸곳|펴낸이|주\s*소|전\s*화|팩\s*스|이메일|E-?mail|홈페이지|디자인|인\s*쇄|편\s*집|제\s*작)(?:\s*[:：]\s*|\s+|$)(?P<value>.*)$",
    )
});

/// Where a second colophon entry starts on one line: `… / 팩스 02-383-3553` (group `key`).
pub static COLOPHON_SPLIT: LazyLock<Regex> =
    LazyLock::new(|| re(r"\s*/\s*(?P<key>팩\s*스|전\s*화|이메일|홈페이지)\s"));

/// Morphemes that cannot start a word (particles, endings, suffixes, the copula): when the
/// first morpheme after a line break is one of these (`때문` + `에/JKB`, `협력` + `적/XSN`,
/// `도래` + `하/XSV`), the break falls inside a word.
pub static DEPENDENT_POS: LazyLock<Regex> = LazyLock::new(|| re(r"^(?:J|E[CFPT]|XS|VCP)"));

/// A particle standing alone at the start of a line: the rest of the word above it
/// (`사회적경제`|`가`, `조직`|`의`).
pub static LONE_PARTICLE: LazyLock<Regex> = LazyLock::new(|| {
    re(r"^(?:의|가|이|을|를|은|는|에|에서|에게|으로|로|와|과|도|만|까지|부터|보다|처럼)[,.)]?$")
});

/// Particles and endings: never the start of a word (`에/JKB`, `서/EC`, `습니다/EF`).
pub static PARTICLE_OR_ENDING: LazyLock<Regex> = LazyLock::new(|| re(r"^(?:J|E[CFPT])"));

/// Verb- and adjective-deriving suffixes (`설계`+`하/XSV`): a line break before one joins only
/// a noun-like word (`발제 해보고자 합니다`, sample line 428, is the rarer spaced form).
pub static VERB_SUFFIX: LazyLock<Regex> = LazyLock::new(|| re(r"^XS[VA]"));

/// Noun-like morphemes a suffix attaches to (`사회/NNG`+`적/XSN`, `도래/NNG`+`하/XSV`).
pub static NOUN_LIKE: LazyLock<Regex> = LazyLock::new(|| re(r"^(?:NN|NP|NR|XR|SL|SH|SN)"));

/// Markdown emphasis: `**성과1.**`.
pub const EMPHASIS_MARK: &str = "**";

/// Compiles every rule of this file now. Each compiles on first use anyway; the batch runner
/// calls this on an idle worker when a run starts, so the first document's structure stage
/// does not wait for some 80 regex compilations.
pub fn warm_up() {
    compile_rules(false);
}

/// [`warm_up`] from the last rule to the first: a document that reaches the structure stage
/// while the warm-up is still compiling helps from the other end, instead of queueing behind
/// it rule by rule (a rule being compiled by one thread is waited for by the other).
pub fn help_warm_up() {
    compile_rules(true);
}

fn compile_rules(backwards: bool) {
    let tables = || {
        LazyLock::force(&SECTION_RULES);
        LazyLock::force(&HEADING_RULES);
        LazyLock::force(&TOC_NUMBERING);
    };
    let regexes: [&LazyLock<Regex>; 41] = [
        &LIST_BULLET,
        &LATIN_O_BULLET,
        &INNER_MARKER,
        &CAPTION,
        &BYLINE_PRESENTER,
        &BYLINE_NAME_ROLE_AFFILIATION,
        &SPEAKER_AFFILIATION_NAME_ROLE,
        &SPEAKER_AFFILIATION_ROLE_NAME,
        &SPEAKER_NAME_ROLE,
        &AFFILIATION_WORDS,
        &AFFILIATION_HEAD,
        &DISCUSSION_CUE,
        &POLITE_REGISTER,
        &SENTENCE_END,
        &DANGLING_END,
        &SENTENCE_GOES_ON,
        &LABEL_VALUE,
        &FOOTNOTE_REFERENCE,
        &TOC_HEADING,
        &TOC_ENTRY_PAGE_FIRST,
        &TOC_ENTRY_PAGE_LAST,
        &TOC_ENTRY_SPLIT,
        &PAGE_NUMBER,
        &FENCE,
        &MERMAID_START,
        &MERMAID_LABEL,
        &FOOTNOTE,
        &HTML_TAG,
        &HTML_LINE_BREAK,
        &CELL_INLINE_BULLET,
        &CELL_INLINE_DASH,
        &CELL_ITEM_START,
        &LETTER_SPACED_LABEL,
        &HEADER_WORDS,
        &COLOPHON_KEY,
        &COLOPHON_SPLIT,
        &DEPENDENT_POS,
        &LONE_PARTICLE,
        &PARTICLE_OR_ENDING,
        &VERB_SUFFIX,
        &NOUN_LIKE,
    ];
    if backwards {
        regexes.iter().rev().for_each(|regex| {
            LazyLock::force(regex);
        });
        tables();
    } else {
        tables();
        regexes.iter().for_each(|regex| {
            LazyLock::force(regex);
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn captures_if_match_is_captures() {
        for line in [
            "[발제1] 자치구별 사회적경제 생태계",
            "토론문이라기 보다는",
            "",
        ] {
            for rule in SECTION_RULES.iter() {
                let fast = rule.pattern.captures_if_match(line);
                let plain = rule.pattern.captures(line);
                assert_eq!(
                    fast.map(|c| c.get(0).map(|m| m.range())),
                    plain.map(|c| c.get(0).map(|m| m.range()))
                );
            }
        }
        let c = SECTION_RULES[0]
            .pattern
            .captures_if_match("[발제1] 자치구별 사회적경제 생태계")
            .map(|c| c["rest"].to_string());
        assert_eq!(c.as_deref(), Some("자치구별 사회적경제 생태계"));
    }

    fn section(line: &str) -> Option<(SectionKind, String, String)> {
        SECTION_RULES.iter().find_map(|rule| {
            let c = rule.pattern.captures(line)?;
            Some((
                rule.kind,
                (rule.label)(&c["n"]),
                c["rest"].trim().to_string(),
            ))
        })
    }

    fn heading(line: &str) -> Option<(u8, String, String)> {
        HEADING_RULES.iter().find_map(|rule| {
            let c = rule.pattern.captures(line)?;
            Some((
                rule.level,
                c["label"].trim().to_string(),
                c["rest"].to_string(),
            ))
        })
    }

    #[test]
    fn section_rules_catch_the_sample_markers() {
        assert_eq!(
            section("[발제1] 자치구별 사회적경제"),
            Some((
                SectionKind::Presentation,
                "발제1".into(),
                "자치구별 사회적경제".into()
            ))
        );
        assert_eq!(
            section("토론 1 관악사회적경제통합지원센터장 이종환"),
            Some((
                SectionKind::Discussion,
                "토론 1".into(),
                "관악사회적경제통합지원센터장 이종환".into()
            ))
        );
        assert_eq!(
            section("부록1. 서울시 자치구사회적경제통합지원센터 권역별 사전 포럼").map(|s| s.1),
            Some("부록1".into())
        );
        assert_eq!(
            section("<1차> 자치구 사회적경제지원센터 권역별(서남권) 사전 포럼"),
            Some((
                SectionKind::Forum,
                "1차".into(),
                "자치구 사회적경제지원센터 권역별(서남권) 사전 포럼".into()
            ))
        );
        // Body text that only looks like a marker.
        assert_eq!(
            section("토론문이라기 보다는 은평 센터장님이 말씀해주신 다양한 거버넌스"),
            None
        );
        assert_eq!(section("4. 토론거리"), None);
        assert_eq!(section("(권역별사전포럼-서북권)"), None);
    }

    #[test]
    fn heading_rules_catch_the_sample_headings() {
        let cases: &[(&str, u8, &str)] = &[
            ("II. 성동구사회적경제지원센터 주요 성과", 1, "II."),
            ("II 향후 과제", 1, "II"),
            ("Part 04 1인 어르신 가구 삶나기 프로젝트", 1, "Part 04"),
            (
                "성과1. 24개 자치구 사회적경제 생태계 기반 조성",
                2,
                "성과1.",
            ),
            ("전략2. 지역 SE네트워크와의 공동성장 전략", 2, "전략2."),
            ("1. 자치구별 SE 생태계 구축 사업 현황 및 성과", 2, "1."),
            ("1.SE 조직간 연대 강화", 2, "1."),
            ("03 주민 일상으로 확장되는 사회적경제 확장", 2, "03"),
            ("3-7. 은평구사회적경제허브센터 사업내용", 3, "3-7."),
            (
                "가. 사업명 : 자치구 사회적경제지원센터 권역별(서북권) 사전 포럼",
                3,
                "가.",
            ),
            (
                "■ 성과3. 지역문제해결형, 시민 체감형 사회적경제 정책 실천",
                3,
                "■",
            ),
            ("1) 형태적 관점의 민관거버넌스", 4, "1)"),
            ("❖ 사회적경제조직 변화추이(2016~2020현재)", 4, "❖"),
            ("○ 사업주체별 역할", 4, "○"),
            (
                "◇ 서울시의 사회적경제 생태계조성 정책에 발맞추어 성장",
                4,
                "◇",
            ),
        ];
        for (line, level, label) in cases {
            let got = heading(line);
            assert_eq!(
                got.as_ref().map(|h| (h.0, h.1.as_str())),
                Some((*level, *label)),
                "{line}"
            );
        }
        // `(사)` abbreviates 사단법인.
        assert_eq!(
            heading("(사)서울사회적경제네트워크 가입 현황 : 가입 1곳, 미가입 5곳"),
            None
        );
        // Dates and amounts are not numbered headings.
        assert_eq!(heading("2020. 11. 19"), None);
        assert_eq!(heading("2015. 11. ~ 2020. 10."), None);
        assert_eq!(heading("106 **한국의 이야기**"), None);
        // Dotted decimals (kwater_rfp.pdf, gov_mof_hydrogen_report.pdf), not the sample's
        // `2.0에는 나타나지 않았으나 …` (line 779).
        assert_eq!(
            heading("1.1. 일반사항").map(|h| (h.0, h.1)),
            Some((3, "1.1.".to_string()))
        );
        assert_eq!(
            heading("2.2 주요 선박개조사항").map(|h| h.1),
            Some("2.2".to_string())
        );
        assert_eq!(
            heading("2.0에는 나타나지 않았으나 지역순환 경제구축 등에서 공동주택 같이살림"),
            None
        );
    }

    #[test]
    fn a_sentence_goes_on_after_a_particle_not_after_a_noun() {
        assert!(SENTENCE_GOES_ON
            .is_match("□ 「산업안전보건기준에 관한 규칙」제87조에서는 기계의 회전 부위에"));
        assert!(SENTENCE_GOES_ON.is_match(
            "가. 입찰참가자는 효율적인 업무 수행이 가능하도록 세부 추진계획 및 추진방법 등을"
        ));
        assert!(!SENTENCE_GOES_ON
            .is_match("다. 안전하고 신뢰성 있는 생성형 AI 구축으로 업무 패러다임 변화 견인"));
        assert!(!SENTENCE_GOES_ON.is_match("1. 목적‧수단 간 비례적 타당성"));
    }

    #[test]
    fn deeper_ordinals_are_level_five() {
        // Not in the sample's body; the `가)` form is the next step down from `1)`.
        assert_eq!(heading("가) 주민참여 활성화").map(|h| h.0), Some(5));
    }

    #[test]
    fn list_bullets_catch_the_sample_items() {
        for (line, marker) in [
            ("- 통합지원센터 21개소 + 생태계사업단 3개소 설치 운영", "-"),
            ("→ 협력과 연대기반 조성 → 지역 거버넌스 당사자 주체화", "→"),
            ("- ➔ 지역사회 문제, 욕구기반 사회적경제 정책 사업 견인", "-"),
            ("- ☐ 주민에 대한 이해?", "-"),
            ("✓", "✓"),
            ("➡", "➡"),
            ("▶ 조사명 : 송파구사회적경제기업 실태 조사", "▶"),
            ("• 주민생활권역별 거점매장 운영", "•"),
            ("-원두어로 자치를 뜻하는 말", "-"),
            (" - 정보의 비대칭 발생", "-"),
        ] {
            let c = LIST_BULLET.captures(line).expect(line);
            assert_eq!(&c["marker"], marker, "{line}");
        }
        let inner = INNER_MARKER
            .captures("❖ 비전과 과제 수립 및 추진 과정에서 지역에 대한 소외")
            .expect("inner");
        assert_eq!(&inner["marker"], "❖");
        let inner = INNER_MARKER
            .captures("1) 주민과 함께 하는 참여자치")
            .expect("inner");
        assert_eq!(&inner["marker"], "1)");
        let circled = LIST_BULLET
            .captures("① 사회적경제기업 역량강화와 규모화")
            .expect("①");
        assert_eq!(&circled["marker"], "①");
    }

    #[test]
    fn list_bullets_catch_government_document_bullets() {
        for (line, marker, rest) in [
            // gov_niklp_workplan_hancom.pdf, page 3.
            (
                "ㅇ 쉽고 바른 공공용어, 국민친화적 공공언어 사용 문화 확산을 위한",
                "ㅇ",
                "쉽고 바른 공공용어, 국민친화적 공공언어 사용 문화 확산을 위한",
            ),
            // The same without the space (`ㅇ공공용어 …` style).
            ("ㅇ공공용어 표준화 지원", "ㅇ", "공공용어 표준화 지원"),
            // The same line as documents typed without a symbol font write □.
            (
                "ㅁ 국어사전 정보보완심의회 운영",
                "ㅁ",
                "국어사전 정보보완심의회 운영",
            ),
            // kps_ai.hwp.
            (
                "❍ 디지털 기반 사업지원 강화를 위한 전력산업 특화 서비스 개발",
                "❍",
                "디지털 기반 사업지원 강화를 위한 전력산업 특화 서비스 개발",
            ),
            // kwater_rfp.hwp.
            (
                "▪ 본 사업은 소프트웨어 영향평가 대상 사업으로",
                "▪",
                "본 사업은 소프트웨어 영향평가 대상 사업으로",
            ),
            ("※ 결격사유", "※", "결격사유"),
            // kps_ai.hwp's `◦ 시범 운영 및 실증` as other documents mark it.
            ("▸ 시범 운영 및 실증", "▸", "시범 운영 및 실증"),
        ] {
            let c = LIST_BULLET.captures(line).expect(line);
            assert_eq!((&c["marker"], &c["rest"]), (marker, rest), "{line}");
        }
        // A masked place name is not a bullet.
        assert!(LIST_BULLET.captures("ㅇㅇ구 사회적경제지원센터").is_none());
        // reg86712.pdf: a Latin `o` before Hangul; not in a Latin word.
        let o = LATIN_O_BULLET
            .captures("o 규제대안의 내용")
            .expect("o bullet");
        assert_eq!((&o["marker"], &o["rest"]), ("o", "규제대안의 내용"));
        assert!(LATIN_O_BULLET.captures("of 규제").is_none());
        assert!(LATIN_O_BULLET.captures("o bullet").is_none());
    }

    #[test]
    fn captions_are_bracketed_lines_with_hangul() {
        let c = CAPTION
            .captures("<2020년 자치구 사회적경제통합지원센터 운영 현황>")
            .expect("angle");
        assert_eq!(
            &c["angle"],
            "2020년 자치구 사회적경제통합지원센터 운영 현황"
        );
        let c = CAPTION.captures("[사업주체별 역할]").expect("square");
        assert_eq!(&c["square"], "사업주체별 역할");
        assert!(CAPTION.captures("[illegible]").is_none());
        assert!(CAPTION
            .captures("<10주년 로컬> 마을공동체, 지난 10년을 돌아보고")
            .is_none());
    }

    #[test]
    fn speaker_patterns_catch_every_form_of_the_sample() {
        let c = BYLINE_PRESENTER
            .captures("발제자 : 관악구 사회적경제통합지원센터 이종환 센터장")
            .expect("presenter");
        assert_eq!(&c["rest"], "관악구 사회적경제통합지원센터 이종환 센터장");
        assert!(BYLINE_PRESENTER
            .captures("- 발제자 : 서대문사회적경제마을자치센터 강선규 센터장")
            .is_some());
        let c = BYLINE_NAME_ROLE_AFFILIATION
            .captures("최근영/센터장, 동대문구 사회적경제 지원센터")
            .expect("name/role");
        assert_eq!((&c["name"], &c["role"]), ("최근영", "센터장"));
        let c = SPEAKER_AFFILIATION_NAME_ROLE
            .captures("구로사회적경제통합지원센터 이향자센터장")
            .expect("glued role");
        assert_eq!((&c["name"], &c["role"]), ("이향자", "센터장"));
        let c = SPEAKER_AFFILIATION_NAME_ROLE
            .captures("서울시사회적경제지원센터 시민경제연구U 권소일 책임")
            .expect("책임");
        assert_eq!(&c["aff"], "서울시사회적경제지원센터 시민경제연구U");
        let c = SPEAKER_AFFILIATION_ROLE_NAME
            .captures("관악사회적경제통합지원센터장 이종환")
            .expect("role glued to affiliation");
        assert_eq!(
            (&c["aff"], &c["name"]),
            ("관악사회적경제통합지원센터", "이종환")
        );
        let c = SPEAKER_NAME_ROLE
            .captures("홍진주 센터장")
            .expect("name role");
        assert_eq!(&c["name"], "홍진주");
        assert!(AFFILIATION_WORDS.is_match("마포구사회적경제통합지원센터"));
        let head = |s: &str| AFFILIATION_HEAD.captures(s).map(|c| c["head"].to_string());
        assert_eq!(head("관악사회적경제통합지원센터").as_deref(), Some("관악"));
        assert_eq!(
            head("동대문구 사회적경제 지원센터").as_deref(),
            Some("동대문")
        );
        assert_eq!(head("구로사회적경제통합지원센터").as_deref(), Some("구로"));
        assert_eq!(head("노원사회적경제지원센터").as_deref(), Some("노원"));
    }

    #[test]
    fn register_and_cue_rules() {
        assert!(DISCUSSION_CUE.is_match(
            "*본 토론문은 발제문의 문제의식을 중심으로 관악의 사례와 고민을 이야기하는 방향을 작성되었습니다."
        ));
        assert!(POLITE_REGISTER.is_match("안에서 9년여의 시간을 같이 지나오면서도 고민에 비해 눈에 띄는 변화를 일으키지 못했습니다."));
        assert!(!POLITE_REGISTER.is_match(
            "- 이 계획안에 자치구와 센터의 관계는 어떻게 정립되는 것이 필요한지 고민할 필요가 있음."
        ));
        assert!(SENTENCE_END.is_match("이제 광역과 자치구간 협력의 바퀴를 밀기 시작했으니 곧 그 바퀴가 뽕뽕 굴러갈 날이 곧 오길 기대해봅니다."));
        assert!(SENTENCE_END.is_match("고민할 필요가 있음."));
        assert!(!SENTENCE_END.is_match("역할을 위한 제안"));
        assert!(!SENTENCE_END.is_match("지역사회적경제연대 구조(법인) 형성과 성장지원전략 필요"));
    }

    #[test]
    fn dependent_morphemes() {
        // Tags of `때문에`, `협력적`, `도래하는`, `시기입니다`.
        for pos in ["JKB", "XSN", "XSV", "VCP+EF", "EF", "ETM"] {
            assert!(DEPENDENT_POS.is_match(pos), "{pos}");
        }
        for pos in ["NNG", "NNP", "VV", "VX", "MAG", "SF"] {
            assert!(!DEPENDENT_POS.is_match(pos), "{pos}");
        }
        assert!(LONE_PARTICLE.is_match("의"));
        assert!(LONE_PARTICLE.is_match("가"));
        assert!(!LONE_PARTICLE.is_match("가야"));
        // `바뀌면`+`서/EC`, `우리`+`의/JKG`; `사회/NNG`.
        assert!(PARTICLE_OR_ENDING.is_match("EC"));
        assert!(PARTICLE_OR_ENDING.is_match("JKG"));
        assert!(!PARTICLE_OR_ENDING.is_match("XSN"));
        assert!(VERB_SUFFIX.is_match("XSV"));
        assert!(!VERB_SUFFIX.is_match("XSN"));
        assert!(NOUN_LIKE.is_match("NNG"));
        assert!(!NOUN_LIKE.is_match("EC"));
    }

    #[test]
    fn label_values() {
        assert!(LABEL_VALUE.is_match("가. 추진기간 : 6개월(계약일로부터 6개월)"));
        assert!(LABEL_VALUE.is_match("정책책임자 직위 : 국장 성명 :"));
        assert!(LABEL_VALUE.is_match("가. 추진체계: 외부 전문기관 및 내부 전담반(T/F) 동시 운영"));
        assert!(!LABEL_VALUE
            .is_match("나. 대기업 참여사항 및 상호출자제한기업집단 소속기업 참여제한 사항"));
        assert!(!LABEL_VALUE.is_match("발표 13:00~15:00"));
    }

    #[test]
    fn footnote_references() {
        let title = "내부 설치형 언어모델(LLM)1) 및 검색증강생성(RAG)2)도입⋅적용";
        assert_eq!(
            FOOTNOTE_REFERENCE.replace_all(title, "$before"),
            "내부 설치형 언어모델(LLM) 및 검색증강생성(RAG)도입⋅적용"
        );
        assert!(FOOTNOTE_REFERENCE.is_match("우리회사 고유업무 및 유관분야 도메인3)에 특화된"));
        // An enumeration after a space is no reference.
        assert!(!FOOTNOTE_REFERENCE.is_match("발 표 1) 진상규명 과제"));
    }

    #[test]
    fn dangling_ends() {
        assert!(DANGLING_END.is_match("생태계 사업에 대한 연구가 외부 연구자들에 의해"));
        assert!(
            DANGLING_END.is_match("서울시 정책 수립과정에 자치구 센터의 참여 구조마련의 필요를")
        );
        assert!(DANGLING_END
            .is_match("- 시장을 위원장으로 하여 각 구청장과 부문별 네트워크, 분야(프로젝트)별"));
        assert!(!DANGLING_END.is_match("- 자치구 사회적경제 지원 조례 제정 - 사회적경제 지원공간조성 15개소 이상 - 지역기금, 자산화 기반 형성"));
        assert!(
            !DANGLING_END.is_match("민관 거버넌스의 지속성 및 실제화 위한 시스템과 문화 정착 필요")
        );
        assert!(!DANGLING_END.is_match("사회적경제 조직이 성장할 수 있는 유기적인 환경체계를 의미(2017. 지역 사회적경제 생태계 실상과 고찰)"));
    }

    #[test]
    fn toc_rules() {
        assert!(TOC_HEADING.is_match("목 차"));
        assert!(TOC_HEADING.is_match("[ 목 차 ]"));
        let c = TOC_ENTRY_PAGE_FIRST
            .captures("22\t토론 1 관악사회적경제통합지원센터장 이종환")
            .expect("page first");
        assert_eq!(&c["page"], "22");
        let c = TOC_ENTRY_PAGE_LAST
            .captures("토론 2 노원사회적경제지원센터 우순영 센터장 ········ 26")
            .expect("page last");
        assert_eq!(
            (&c["text"], &c["page"]),
            ("토론 2 노원사회적경제지원센터 우순영 센터장", "26")
        );
        let line = "부록1. 서울시 자치구 사회적경제통합지원센터 권역별 사전 포럼 부록2. 서울시 자치구 사회적경제통합지원센터 기본 정보";
        assert_eq!(TOC_ENTRY_SPLIT.find_iter(line).count(), 1);
    }

    #[test]
    fn toc_headings_in_real_forms() {
        // kps_ai.pdf, kwater_rfp.pdf, gov_niklp_workplan_hancom.pdf, a press-conference 자료집.
        for heading in [
            "목차",
            "목       차",
            "[ 목 차 ]",
            "<목 차>",
            "차 례",
            "CONTENTS",
            "순 서",
            "기자회견 순서",
        ] {
            assert!(TOC_HEADING.is_match(heading), "{heading}");
        }
        assert!(TOC_HEADING
            .captures("기자회견 순서")
            .is_some_and(|c| c.name("order").is_some()));
        assert!(TOC_HEADING
            .captures("[ 목 차 ]")
            .is_some_and(|c| c.name("order").is_none()));
        assert!(!TOC_HEADING.is_match("목차에 따라 작성"));
        assert!(!TOC_HEADING.is_match("순서대로 발표한다"));
        assert!(!TOC_HEADING.is_match("발표 순서는 다음과 같이 정하였다"));
    }

    fn page_last(line: &str) -> (String, String) {
        let c = TOC_ENTRY_PAGE_LAST.captures(line).expect(line);
        (c["text"].to_string(), c["page"].to_string())
    }

    #[test]
    fn toc_page_forms() {
        // U+2024 ONE DOT LEADER, from a ministry report's three-level TOC.
        assert_eq!(
            page_last("2.2 주요 선박개조사항 ․․․․․ 9"),
            ("2.2 주요 선박개조사항".into(), "9".into())
        );
        // Middle dots (gov_niklp_workplan_hancom.pdf).
        assert_eq!(
            page_last("2-3. 국외 한국어교원 인증(K-teacher) 프로그램 개발 ·· 27"),
            (
                "2-3. 국외 한국어교원 인증(K-teacher) 프로그램 개발".into(),
                "27".into()
            )
        );
        // A slash and `p` (a press conference's 자료집).
        assert_eq!(
            page_last("진상규명 과제 11개 분야 33개 과제/ 23p"),
            ("진상규명 과제 11개 분야 33개 과제".into(), "23".into())
        );
        // `…`, `‥`, U+2027, `...`, `p.12`, `- 5 -` and `12쪽` on the same entry.
        for line in [
            "1. 사업일반 …… 12",
            "1. 사업일반 ‥‥‥ 12",
            "1. 사업일반 ‧‧‧‧ 12",
            "1. 사업일반 ... 12",
            "1. 사업일반 … 12",
            "1. 사업일반 p.12",
            "1. 사업일반 - 12 -",
            "1. 사업일반 12쪽",
        ] {
            assert_eq!(
                page_last(line),
                ("1. 사업일반".into(), "12".into()),
                "{line}"
            );
        }
        // Prose and dates are no entries.
        assert!(!TOC_ENTRY_PAGE_LAST
            .is_match("(과학기술정보통신부고시 제 2023-15호, 2023.5.15.)을 준수"));
        assert!(!TOC_ENTRY_PAGE_LAST.is_match("2) 사업기간 : 착수일로부터 24개월 (730일간)"));
    }

    #[test]
    fn toc_numbering_schemes() {
        let scheme = |title: &str| TOC_NUMBERING.iter().position(|r| r.is_match(title));
        // kps_ai.pdf's three levels, kwater_rfp.pdf's `1.1.`, gov_niklp_workplan_hancom.pdf's `1-1.`.
        assert_eq!(scheme("Ⅲ. 제안요청 내용"), Some(0));
        assert_eq!(scheme("IV. 제안서 작성"), Some(0));
        assert_eq!(scheme("제2장 사업 개요"), Some(1));
        assert_eq!(scheme("1.1.1 개요"), Some(2));
        assert_eq!(scheme("2.2 주요 선박개조사항"), Some(3));
        assert_eq!(scheme("1.1. 일반사항"), Some(3));
        assert_eq!(
            scheme("1-1. 국민의 국어능력(쓰기 등) 진단 체계 개발"),
            Some(3)
        );
        assert_eq!(scheme("2. 상세 요구사항"), Some(4));
        assert_eq!(scheme("가. 시스템 장비구성 요구사항"), Some(5));
        assert_eq!(scheme("1) 배경 및 필요성"), Some(6));
        assert_eq!(scheme("【별첨】일반현황"), None);
        assert_eq!(scheme("2021년 평가"), None);
    }

    #[test]
    fn page_numbers_fences_and_footnotes() {
        assert!(PAGE_NUMBER.is_match("28"));
        assert!(!PAGE_NUMBER.is_match("6 기획회의"));
        assert!(FENCE.is_match("```"));
        assert!(MERMAID_START.is_match("graph TD"));
        let labels: Vec<_> = MERMAID_LABEL
            .captures_iter("    A[민간주도 네트워크] --> D[지역특화사업 그 이후]")
            .map(|c| c["label"].to_string())
            .collect();
        assert_eq!(labels, ["민간주도 네트워크", "지역특화사업 그 이후"]);
        let c = FOOTNOTE
            .captures("1 중랑구의 경우, 자치구 내 사회적경제팀과 사회적경제 입주공간 지원 등을 자체적으로 진행하고 있으나")
            .expect("footnote");
        assert_eq!(&c["n"], "1");
    }

    #[test]
    fn html_and_cell_rules() {
        let cell = r#"<ul style="list-style-type: none"> 지역특화사업 기본계획 수립"#;
        assert!(HTML_TAG.is_match(cell));
        assert!(HTML_LINE_BREAK
            .is_match("<p>사회경제적 인식개선</p> <ul style=\"list-style-type: none\">"));
        assert!(CELL_INLINE_BULLET.is_match(
            "• 주민생활권역별 거점매장 운영 및 공동몰류 기반 활성화 • 6개 매장 사업연합"
        ));
        assert!(CELL_INLINE_BULLET
            .is_match("행정 견인을 위한 민간의 역량 강화 ↳ 수탁법인의 대 행정/의회역할 필요"));
        assert!(CELL_INLINE_DASH.is_match("-민간의 주도성 기반 구축 -행정의 실행단위 참여"));
        assert!(HEADER_WORDS.is_match("구분"));
        assert!(HEADER_WORDS.is_match("주 체"));
    }

    #[test]
    fn colophon_rules() {
        let c = COLOPHON_KEY.captures("발행처").expect("key alone");
        assert_eq!((&c["key"], &c["value"]), ("발행처", ""));
        let c = COLOPHON_KEY
            .captures("전화 02-353-3553 / 팩스 02-383-3553")
            .expect("inline");
        assert_eq!(&c["key"], "전화");
        let value = "02-353-3553 / 팩스 02-383-3553";
        let c = COLOPHON_SPLIT.captures(value).expect("split");
        assert_eq!(
            &value[c.name("key").expect("key").start()..],
            "팩스 02-383-3553"
        );
        assert!(COLOPHON_KEY.is_match("디자인"));
        assert!(COLOPHON_KEY.is_match("홈페이지"));
    }

    #[test]
    fn warm_up_compiles_every_rule_of_this_file() {
        // A rule added without a line in `compile_rules` would compile on first use instead.
        let source = include_str!("rules.rs");
        let listed = source
            .split("fn compile_rules(")
            .nth(1)
            .and_then(|rest| rest.split("\n}\n").next())
            .unwrap_or_default();
        let statics: Vec<&str> = source
            .lines()
            .filter_map(|l| l.strip_prefix("pub static "))
            .filter_map(|l| l.split(':').next())
            .collect();
        assert!(statics.len() > 30, "{statics:?}");
        for name in statics {
            assert!(
                listed.contains(&format!("&{name}")),
                "{name} is not in warm_up"
            );
        }
        warm_up();
    }

    #[test]
    fn cell_items_and_letter_spaced_labels() {
        // Real cell lines: the sample's inline bullets and Hancom tables' spread labels.
        for line in [
            "• 6개 매장 사업연합",
            "- 민간의 주도성 기반 구축",
            "1) 주민과 함께 하는 참여자치",
            "① 사회적경제기업 역량강화와 규모화",
            "ㅇ 공공용어 개선",
        ] {
            assert!(CELL_ITEM_START.is_match(line), "{line}");
        }
        for line in ["사회적경제 생태계 조성전략", "2020년 12월", "-5.2"] {
            assert!(!CELL_ITEM_START.is_match(line), "{line}");
        }
        for label in ["부 동 산 업", "정 책 책 임 자", "구 분"] {
            assert!(LETTER_SPACED_LABEL.is_match(label), "{label}");
        }
        for text in ["사회적 경제", "부 동 산 업 및 임대업", "가"] {
            assert!(!LETTER_SPACED_LABEL.is_match(text), "{text}");
        }
    }
}
