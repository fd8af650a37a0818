//! The document's outline, learnt from the document itself: each heading's numbering scheme
//! (`Ⅰ.`, `1.`, `1.1`, `1-1.`, `가.`, `(1)`, `1)`, `①`, `□`, `【…】`, or none: then its type
//! size and weight) and the order the schemes first appear in decide the levels. The first
//! scheme seen is the top level; a scheme first seen under another is one level deeper,
//! unless it is set clearly larger than the heading above it (then it goes up beside the
//! heading it is not smaller than). Headings the source reader already levelled (HWP, HWPX,
//! Markdown), section markers and TOC headings keep their levels.

use std::sync::LazyLock;

use regex::Regex;

use crate::document::BlockType;
use crate::model::Line;

use super::blocks::{emphasised_whole_line, Draft};
use super::rules::TOC_HEADING;

/// A heading's numbering scheme: a named rule of [`SCHEMES`], a symbol bullet (each symbol
/// its own scheme), or an unnumbered heading told apart by its type size and weight.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Scheme {
    Numbered(&'static str),
    Symbol(char),
    Typeset {
        half_points: Option<u32>,
        bold: bool,
    },
}

fn re(pattern: &str) -> Regex {
    // The patterns are constants of this file, checked by the tests below.
    Regex::new(pattern).expect("outline scheme patterns are valid")
}

/// Numbering schemes, matched against a heading's marker (its label). First match wins.
pub static SCHEMES: LazyLock<Vec<(&'static str, Regex)>> = LazyLock::new(|| {
    vec![
        // Roman numerals: `Ⅰ. 2021년 평가`, `II. 성동구사회적경제지원센터 주요 성과`, `II 향후 과제`.
        ("roman", re(r"^(?:I{1,3}|IV|VI{0,3}|IX|X|[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ])\.?$")),
        // Slide parts: `Part 04 1인 어르신 가구 삶나기 프로젝트`.
        ("part", re(r"^Part\s*\d{1,2}$")),
        // Keyword numbering: `성과1. 24개 자치구 사회적경제 생태계 기반 조성`.
        ("keyword", re(r"^\p{Hangul}{2}\s*\d{1,2}\.?$")),
        // Decimal: `1. 국어 정보자원 확대 구축 및 활용성 제고(57억원)`.
        ("decimal", re(r"^\d{1,2}\.$")),
        // Two levels of decimals: `2.2 주요 선박개조사항`, `1.1. 일반사항`.
        ("decimal2", re(r"^\d{1,2}\.\d{1,2}\.?$")),
        // Three levels: `1.2.3 세부 과업`.
        ("decimal3", re(r"^\d{1,2}\.\d{1,2}\.\d{1,2}\.?$")),
        // Dashed: `1-1. 국민의 국어능력(쓰기 등) 진단 체계 개발`, `3-7. 은평구사회적경제허브센터 사업내용`.
        ("dashed", re(r"^\d{1,2}-\d{1,2}\.?$")),
        // Two-digit slide numbers: `03 주민 일상으로 확장되는 사회적경제 확장`.
        ("two_digit", re(r"^0[1-9]$")),
        // Hangul with a dot: `가. 시스템 장비구성 요구사항`.
        ("hangul_dot", re(r"^\p{Hangul}\.$")),
        // Number and parenthesis: `1) 형태적 관점의 민관거버넌스`.
        ("number_paren", re(r"^\d{1,2}\)$")),
        // Hangul and parenthesis: `가) …`.
        ("hangul_paren", re(r"^\p{Hangul}\)$")),
        // Parenthesised number: `(1) …`.
        ("paren_number", re(r"^\(\d{1,2}\)$")),
        // Parenthesised Hangul: `(가) …`.
        ("paren_hangul", re(r"^\(\p{Hangul}\)$")),
        // Circled numbers: `① 교육훈련/연구`.
        ("circled", re(r"^[①-⑳]$")),
        // Heavy brackets: `【별첨】일반현황`.
        ("heavy_bracket", re(r"^【[^】]*】$")),
    ]
});

/// Headings deeper than this are all at this level.
const MAX_LEVEL: u8 = 6;
/// A heading is set clearly larger than another when its size is at least this ratio of it.
pub(super) const LARGER_RATIO: f32 = 1.15;

/// The scheme of a marker (`None` when the marker is no numbering this table knows and holds
/// no symbol).
pub fn scheme_of_marker(marker: &str) -> Option<Scheme> {
    let m = marker.trim();
    if let Some((name, _)) = SCHEMES.iter().find(|(_, r)| r.is_match(m)) {
        return Some(Scheme::Numbered(name));
    }
    let mut chars = m.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) if !c.is_alphanumeric() => Some(Scheme::Symbol(c)),
        _ => None,
    }
}

/// The draft's first line's type size, if the path knows it.
pub(super) fn size_of(draft: &Draft, lines: &[&Line]) -> Option<f32> {
    lines
        .get(draft.first_line())
        .and_then(|l| l.font_size)
        .filter(|s| s.is_finite() && *s > 0.0)
}

fn bold(draft: &Draft, lines: &[&Line]) -> bool {
    lines
        .get(draft.first_line())
        .is_some_and(|l| emphasised_whole_line(l))
}

/// The scheme of a heading draft: its marker's, else its type.
pub fn scheme_of(draft: &Draft, lines: &[&Line]) -> Scheme {
    draft
        .marker
        .as_deref()
        .and_then(scheme_of_marker)
        .unwrap_or(Scheme::Typeset {
            half_points: size_of(draft, lines).map(|s| (s * 2.0).round() as u32),
            bold: bold(draft, lines),
        })
}

/// Whether the outline decides this draft's level: a heading found by the rules (not one the
/// source reader levelled, not a section marker, not the TOC's own heading).
pub(super) fn learnable(draft: &Draft, lines: &[&Line]) -> bool {
    draft.kind == BlockType::Heading
        && draft.mark.is_none()
        && lines
            .get(draft.first_line())
            .and_then(|l| l.hint.as_ref())
            .is_none_or(|h| h.heading_level.is_none())
        && !TOC_HEADING.is_match(draft.text.trim())
}

/// Whether a marker numbers the first item of its scheme (`1.`, `Ⅰ.`, `1-1.`, `2.1`'s
/// sibling `1.1`, `가.`, `(1)`, `①`): a scheme that starts again right after a heading of
/// another scheme is nested under that scheme.
pub fn numbers_first(marker: &str) -> bool {
    let core = marker.trim_matches(|c: char| matches!(c, '(' | ')' | '.' | ' '));
    let last = core.rsplit(['.', '-']).next().unwrap_or(core);
    matches!(last, "1" | "01" | "Ⅰ" | "I" | "가" | "①")
}

/// A parent by restarts needs at least this many of them.
const MIN_RESTART_VOTES: usize = 2;

/// The schemes of the document's headings with the evidence for their nesting.
struct Evidence {
    schemes: Vec<Scheme>,
    /// `restarts[c][p]`: how often scheme `c` starts again at its first number right after
    /// a heading of scheme `p`.
    restarts: Vec<Vec<usize>>,
    /// For each scheme, the schemes open above it where it first appears, nearest first
    /// (schemes used once and smaller type left out).
    above: Vec<Vec<usize>>,
}

impl Evidence {
    fn gather(drafts: &[Draft], lines: &[&Line], of: &[Option<Scheme>]) -> Evidence {
        let mut schemes: Vec<Scheme> = Vec::new();
        let index: Vec<Option<usize>> = of
            .iter()
            .map(|s| {
                let s = (*s)?;
                Some(schemes.iter().position(|x| *x == s).unwrap_or_else(|| {
                    schemes.push(s);
                    schemes.len() - 1
                }))
            })
            .collect();
        let n = schemes.len();
        let mut uses = vec![0usize; n];
        for i in index.iter().flatten() {
            uses[*i] += 1;
        }
        // A scheme seen only on the first page of a longer document is its cover's type
        // (reg86712.pdf: `규제영향분석서`, `정책책임자 직위 : 국장`): like a scheme used once,
        // it is no parent.
        let page_of = |d: &Draft| lines.get(d.first_line()).map(|l| l.page);
        let first_page = lines.iter().map(|l| l.page).min();
        let longer = lines.iter().any(|l| Some(l.page) != first_page);
        let mut off_cover = vec![!longer; n];
        for (d, i) in drafts.iter().zip(&index) {
            if let Some(i) = *i {
                off_cover[i] |= page_of(d) != first_page;
            }
        }
        let parental = |s: usize| uses[s] > 1 && off_cover[s];
        let mut restarts = vec![vec![0usize; n]; n];
        let mut above: Vec<Vec<usize>> = vec![Vec::new(); n];
        let mut seen = vec![false; n];
        // The chain of open headings: (scheme, size), shallowest first.
        let mut open: Vec<(usize, Option<f32>)> = Vec::new();
        let mut previous: Option<usize> = None;
        for (d, i) in drafts.iter().zip(&index) {
            let Some(i) = *i else { continue };
            let size = size_of(d, lines);
            // Only numbered schemes vote: a symbol or an unnumbered heading never restarts,
            // so it could not answer a vote against it.
            let numbered = |s: usize| matches!(schemes[s], Scheme::Numbered(_));
            if let Some(p) = previous.filter(|&p| p != i && parental(p) && numbered(p)) {
                if d.marker.as_deref().is_some_and(numbers_first) {
                    restarts[i][p] += 1;
                }
            }
            if let Some(at) = open.iter().position(|(s, _)| *s == i) {
                open.truncate(at);
            } else if !seen[i] {
                let larger = |other: Option<f32>| match (size, other) {
                    (Some(a), Some(b)) => a >= b * LARGER_RATIO,
                    _ => false,
                };
                above[i] = open
                    .iter()
                    .rev()
                    .filter(|(s, size)| parental(*s) && !larger(*size))
                    .map(|(s, _)| *s)
                    .collect();
            }
            seen[i] = true;
            open.push((i, size));
            previous = Some(i);
        }
        Evidence {
            schemes,
            restarts,
            above,
        }
    }

    /// The scheme `c` nests under: the one it restarts under most often (at least
    /// [`MIN_RESTART_VOTES`] times, and more often than the other way round), else the
    /// nearest one open where it first appears that restarts do not put below it.
    fn parent(&self, c: usize) -> Option<usize> {
        let votes = |child: usize, parent: usize| self.restarts[child][parent];
        let by_restarts = (0..self.schemes.len())
            .filter(|&p| p != c && votes(c, p) >= MIN_RESTART_VOTES && votes(c, p) > votes(p, c))
            .max_by_key(|&p| (votes(c, p), std::cmp::Reverse(p)));
        by_restarts.or_else(|| {
            self.above[c]
                .iter()
                .copied()
                .find(|&p| votes(p, c) <= votes(c, p))
        })
    }

    /// Every scheme's level: one below its parent's (a cycle stops at the scheme it
    /// returns to).
    fn levels(&self) -> Vec<u8> {
        (0..self.schemes.len())
            .map(|c| {
                let mut chain = vec![c];
                let mut at = c;
                while let Some(p) = self.parent(at) {
                    if chain.contains(&p) {
                        break;
                    }
                    chain.push(p);
                    at = p;
                }
                (chain.len() as u8).min(MAX_LEVEL)
            })
            .collect()
    }
}

/// Gives every learnable heading its level in this document's outline. A booklet whose
/// sections open with markers (`[발제1]`) keeps the rule table's levels under them.
pub fn learn_levels(drafts: &mut [Draft], lines: &[&Line]) {
    if drafts.iter().any(|d| d.mark.is_some()) {
        return;
    }
    let of: Vec<Option<Scheme>> = drafts
        .iter()
        .map(|d| learnable(d, lines).then(|| scheme_of(d, lines)))
        .collect();
    let evidence = Evidence::gather(drafts, lines, &of);
    let levels = evidence.levels();
    for (d, scheme) in drafts.iter_mut().zip(&of) {
        let Some(scheme) = scheme else { continue };
        if let Some(i) = evidence.schemes.iter().position(|s| s == scheme) {
            d.level = Some(levels[i]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn heading(marker: Option<&str>, text: &str, line: usize) -> Draft {
        let mut d = Draft::new(BlockType::Heading, text.to_string(), vec![line]);
        d.marker = marker.map(str::to_string);
        d.level = Some(4);
        d
    }

    fn pdf_line(text: &str, size: f32) -> Line {
        Line {
            text: text.into(),
            font_size: Some(size),
            ..Line::default()
        }
    }

    /// The levels learnt for the headings `(marker, text)`, one on each of `lines`.
    fn learnt_levels(texts: &[(Option<&str>, &str)], lines: &[Line]) -> Vec<Option<u8>> {
        let refs: Vec<&Line> = lines.iter().collect();
        let mut drafts: Vec<Draft> = texts
            .iter()
            .enumerate()
            .map(|(i, (m, t))| heading(*m, t, i))
            .collect();
        learn_levels(&mut drafts, &refs);
        drafts.iter().map(|d| d.level).collect()
    }

    #[test]
    fn markers_of_real_headings_have_their_schemes() {
        let cases = [
            ("Ⅰ.", Scheme::Numbered("roman")),
            ("II.", Scheme::Numbered("roman")),
            ("1.", Scheme::Numbered("decimal")),
            ("2.2", Scheme::Numbered("decimal2")),
            ("1.1.", Scheme::Numbered("decimal2")),
            ("1-1.", Scheme::Numbered("dashed")),
            ("가.", Scheme::Numbered("hangul_dot")),
            ("1)", Scheme::Numbered("number_paren")),
            ("(1)", Scheme::Numbered("paren_number")),
            ("①", Scheme::Numbered("circled")),
            ("성과1.", Scheme::Numbered("keyword")),
            ("【별첨】", Scheme::Numbered("heavy_bracket")),
            ("□", Scheme::Symbol('□')),
            ("○", Scheme::Symbol('○')),
        ];
        for (marker, scheme) in cases {
            assert_eq!(scheme_of_marker(marker), Some(scheme), "{marker}");
        }
        assert_eq!(scheme_of_marker("ab"), None);
    }

    /// gov_niklp_workplan: `Ⅰ. 2021년 평가` / `□ …` / `Ⅱ. …` / `1. …` / `□ …` / `1-1. …`: the
    /// first scheme is the top, `□` first seen under `Ⅰ.` is level 2 everywhere after, even
    /// under `1.`, and `1.` first seen under `Ⅱ.` is level 2 too.
    #[test]
    fn levels_follow_the_order_schemes_first_appear_in() {
        let texts = [
            (Some("Ⅰ."), "Ⅰ. 2021년 평가"),
            (
                Some("□"),
                "공공언어 개선 지원 체계 강화 및 제도적 기반 확대",
            ),
            (Some("Ⅱ."), "Ⅱ. 2022년 정책 방향"),
            (
                Some("1."),
                "1. 국어 정보자원 확대 구축 및 활용성 제고(57억원)",
            ),
            (Some("□"), "국어 말뭉치 확대 구축(3,180백만원)"),
            (Some("1-1."), "1-1. 국민의 국어능력(쓰기 등) 진단 체계 개발"),
            (Some("Ⅲ."), "Ⅲ. 주요업무 추진계획"),
        ];
        let lines: Vec<Line> = texts.iter().map(|(_, t)| pdf_line(t, 12.0)).collect();
        let levels = learnt_levels(&texts, &lines);
        assert_eq!(
            levels,
            [
                Some(1),
                Some(2),
                Some(1),
                Some(2),
                Some(2),
                Some(3),
                Some(1)
            ]
        );
    }

    /// The same schemes in another order give other levels: a report that opens with `1.` and
    /// puts `Ⅰ.`-free chapters under it learns `1.` as the top, `가.` under it.
    #[test]
    fn the_hierarchy_is_not_fixed() {
        let texts = [
            (Some("1."), "1. 제안공모요강"),
            (Some("가."), "가. 시스템 장비구성 요구사항"),
            (Some("1)"), "1) 형태적 관점의 민관거버넌스"),
            (Some("나."), "나. 기능 요구사항"),
            (Some("2."), "2. 제안요청 내용"),
        ];
        let lines: Vec<Line> = texts.iter().map(|(_, t)| pdf_line(t, 12.0)).collect();
        let levels = learnt_levels(&texts, &lines);
        assert_eq!(levels, [Some(1), Some(2), Some(3), Some(2), Some(1)]);
    }

    /// A new scheme set clearly larger than the heading above it does not nest under it: an
    /// unnumbered 18-point chapter title after a 12-point `○` heading goes up beside `Ⅰ.`'s
    /// children; set at the `○` size it nests under `○`.
    #[test]
    fn a_larger_new_scheme_goes_up() {
        let levels = |third: f32| {
            let lines = [
                pdf_line("Ⅰ. 규제의 필요성 및 대안선택", 18.0),
                pdf_line("○ 사업주체별 역할", 12.0),
                pdf_line("○ 추진 경과", 12.0),
                pdf_line("해외 및 유사입법사례", third),
                pdf_line("Ⅱ. 규제의 적정성", 18.0),
            ];
            let refs: Vec<&Line> = lines.iter().collect();
            let mut drafts: Vec<Draft> = lines
                .iter()
                .enumerate()
                .map(|(i, l)| {
                    let marker = l.text.split(' ').next().filter(|m| !m.starts_with('해'));
                    heading(marker, &l.text, i)
                })
                .collect();
            learn_levels(&mut drafts, &refs);
            drafts.iter().map(|d| d.level).collect::<Vec<_>>()
        };
        assert_eq!(levels(18.5), [Some(1), Some(2), Some(2), Some(2), Some(1)]);
        assert_eq!(levels(12.0), [Some(1), Some(2), Some(2), Some(3), Some(1)]);
    }

    /// reg86712.pdf: the cover's lines, set alike on page 1, do not push the chapters down.
    #[test]
    fn cover_lines_are_no_parent() {
        let texts = [
            (None, "규제영향분석서", 1),
            (None, "정책책임자 직위 : 국장 성명 :", 1),
            (Some("Ⅰ."), "Ⅰ. 규제의 필요성 및 대안선택", 10),
            (Some("1."), "1. 추진배경 및 정부개입 필요성", 10),
            (Some("2."), "2. 규제 대안 검토 및 선택", 10),
            (Some("Ⅱ."), "Ⅱ. 규제의 적정성", 13),
            (Some("1."), "1. 목적‧수단 간 비례적 타당성", 13),
        ];
        let levels = |cover_pages: [u32; 2]| {
            let lines: Vec<Line> = texts
                .iter()
                .enumerate()
                .map(|(i, (_, t, page))| Line {
                    page: cover_pages.get(i).copied().unwrap_or(*page),
                    ..pdf_line(t, 14.0)
                })
                .collect();
            let refs: Vec<&Line> = lines.iter().collect();
            let mut drafts: Vec<Draft> = texts
                .iter()
                .enumerate()
                .map(|(i, (m, t, _))| heading(*m, t, i))
                .collect();
            learn_levels(&mut drafts, &refs);
            drafts.iter().map(|d| d.level).collect::<Vec<_>>()
        };
        // On the cover: the chapters are the top.
        assert_eq!(
            levels([1, 1])[2..],
            [Some(1), Some(2), Some(2), Some(1), Some(2)]
        );
        // The same type used beyond the first page heads what follows it.
        assert_eq!(
            levels([1, 12])[2..],
            [Some(2), Some(3), Some(3), Some(2), Some(3)]
        );
    }

    /// A scheme used once before the outline starts (a cover line) does not push it down.
    #[test]
    fn a_cover_line_is_no_parent() {
        let texts = [
            (None, "3학년용"),
            (Some("I."), "I. 소설의 이해"),
            (Some("1)"), "1) 소설의 3요소"),
            (Some("II."), "II. 작품 분석"),
        ];
        let lines: Vec<Line> = texts.iter().map(|(_, t)| pdf_line(t, 12.0)).collect();
        let levels = learnt_levels(&texts, &lines);
        assert_eq!(levels, [Some(1), Some(1), Some(2), Some(1)]);
    }

    /// reg80250.pdf: the cover's `1. 특별교통수단 종사제한 결격기준` comes before `Ⅰ.`, but
    /// `1.` starts again under every `Ⅰ.`-scheme chapter, so `Ⅰ.` is the top.
    #[test]
    fn restarts_outvote_a_cover_line() {
        let texts = [
            (Some("1."), "1. 특별교통수단 종사제한 결격기준"),
            (Some("Ⅰ."), "Ⅰ. 규제의 필요성 및 대안선택"),
            (Some("1."), "1. 추진배경 및 정부개입 필요성"),
            (Some("①"), "① 대안의 내용 및 선택 근거"),
            (Some("②"), "② 이해관계자 의견수렴"),
            (Some("Ⅱ."), "Ⅱ. 규제의 적정성"),
            (Some("1."), "1. 목적‧수단 간 비례적 타당성"),
            (Some("Ⅲ."), "Ⅲ. 규제의 실효성"),
            (Some("1."), "1. 규제의 순응도"),
        ];
        let lines: Vec<Line> = texts.iter().map(|(_, t)| pdf_line(t, 12.0)).collect();
        let levels = learnt_levels(&texts, &lines);
        assert_eq!(
            levels,
            [
                Some(2),
                Some(1),
                Some(2),
                Some(3),
                Some(3),
                Some(1),
                Some(2),
                Some(1),
                Some(2)
            ]
        );
        assert!(numbers_first("1-1."));
        assert!(numbers_first("(가)"));
        assert!(!numbers_first("2."));
        assert!(!numbers_first("11."));
    }

    /// Section markers, source-levelled headings and the TOC heading keep their levels.
    #[test]
    fn marked_and_hinted_headings_keep_their_levels() {
        let lines = [pdf_line("목 차", 12.0), pdf_line("1. 개요", 12.0)];
        let refs: Vec<&Line> = lines.iter().collect();
        let mut drafts = vec![heading(None, "목 차", 0), heading(Some("1."), "1. 개요", 1)];
        drafts[0].level = Some(1);
        learn_levels(&mut drafts, &refs);
        assert_eq!(drafts[0].level, Some(1));
        assert_eq!(drafts[1].level, Some(1));
        drafts[1].level = Some(4);
        drafts[0].mark = Some(super::super::blocks::SectionMark {
            kind: crate::document::SectionKind::Presentation,
            label: "발제1".into(),
            title: String::new(),
        });
        learn_levels(&mut drafts, &refs);
        assert_eq!(drafts[1].level, Some(4));
    }
}
