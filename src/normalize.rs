//! Normalisation of extracted lines: Unicode NFC for Hangul, NFKC for the compatibility
//! characters that are font artefacts (Kangxi radicals, half-width and full-width forms,
//! ligatures), and the control characters extractors leave behind, dropped or turned into the
//! spaces they stand for. Korean conventions that look like compatibility characters (`ㆍ`,
//! `ㅇ`/`□` bullets, `㈜`, `①`, `㎡`, superscript footnote markers) are left alone. Span byte
//! offsets (`Line::spans`) are remapped when the text changes length.

use unicode_normalization::char::canonical_combining_class;
use unicode_normalization::UnicodeNormalization;

use crate::model::{Line, Page};

/// What happens to a character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    /// Removed.
    Drop,
    /// Stands for a word space: becomes one space, unless a space is already beside it.
    Space,
    /// Replaced by its NFKC form.
    Compatibility,
    /// Half-width Hangul jamo: replaced by the compatibility jamo it is a narrow form of (NFKC
    /// would go one step further, to conjoining jamo that do not stand alone).
    HalfwidthHangul,
    /// Replaced by the given text.
    Replace(&'static str),
    /// A soft hyphen: a dash where it starts a word (Hancom draws `-` bullets with it), else
    /// an invisible break opportunity and dropped.
    SoftHyphen,
}

/// Character rules, checked in order; characters matching none get NFC only.
const RULES: &[(u32, u32, Action, &str)] = &[
    // Chrome prints the stretched spaces of justified lines as U+0001.
    (0x0001, 0x0001, Action::Space, "Chrome justified-line space"),
    // BEL precedes footnote items in iLovePDF files (`* \x07전월 이용금액…`).
    (0x0007, 0x0007, Action::Drop, "BEL before footnote items"),
    // Vertical tab and form feed inside a line separate words.
    (0x000B, 0x000C, Action::Space, "VT/FF between words"),
    // NUL and the other C0 controls (tab and newline excepted) carry no text.
    (0x0000, 0x0008, Action::Drop, "NUL and C0 controls"),
    (0x000D, 0x001F, Action::Drop, "C0 controls"),
    // DEL and the C1 controls: transcoding debris.
    (0x007F, 0x009F, Action::Drop, "DEL and C1 controls"),
    // No-break spaces are spaces.
    (0x00A0, 0x00A0, Action::Space, "no-break space"),
    // Soft hyphens: `\u{ad}일본, 2020년까지` (hydrogen report) is a dash bullet on the page.
    (0x00AD, 0x00AD, Action::SoftHyphen, "soft hyphen"),
    // En quad … hair space, narrow no-break space, ideographic space.
    (0x2000, 0x200A, Action::Space, "typographic spaces"),
    (0x202F, 0x202F, Action::Space, "narrow no-break space"),
    (0x3000, 0x3000, Action::Space, "ideographic space"),
    // Zero-width space / joiners, word joiner and byte-order mark are invisible.
    (0x200B, 0x200D, Action::Drop, "zero-width characters"),
    (0x2060, 0x2060, Action::Drop, "word joiner"),
    (0xFEFF, 0xFEFF, Action::Drop, "byte-order mark"),
    // CJK radicals supplement and Kangxi radicals: fonts map ideographs there (`⼄` for 乙).
    (
        0x2E80,
        0x2EFF,
        Action::Compatibility,
        "CJK radicals supplement",
    ),
    (0x2F00, 0x2FDF, Action::Compatibility, "Kangxi radicals"),
    // Latin ligatures (ﬁ ﬂ ﬀ ﬃ ﬄ ﬅ ﬆ).
    (0xFB00, 0xFB06, Action::Compatibility, "Latin ligatures"),
    // Full-width ASCII (ＡＢＣ１２３（）：) and full-width signs (￦ ￥ ￡).
    (0xFF01, 0xFF5E, Action::Compatibility, "full-width ASCII"),
    (0xFFE0, 0xFFE6, Action::Compatibility, "full-width signs"),
    // The half-width katakana middle dot is a Korean middle dot in Hancom files (`구축･관리`).
    (
        0xFF65,
        0xFF65,
        Action::Replace("\u{B7}"),
        "half-width middle dot",
    ),
    // Half-width katakana and their sound marks.
    (0xFF61, 0xFF9F, Action::Compatibility, "half-width katakana"),
    // Half-width Hangul jamo (ﾡ for ㄱ).
    (0xFFA0, 0xFFDC, Action::HalfwidthHangul, "half-width Hangul"),
];

/// CJK compatibility ideographs are distinct Hanja readings in KS X 1001 (e.g. 樂 as 락/악/요);
/// NFC would fold them into one unified ideograph, so they are kept as they are.
const KEPT_FROM_NFC: (u32, u32) = (0xF900, 0xFAFF);

/// Half-width Hangul blocks and the compatibility jamo they start at.
const HALFWIDTH_HANGUL: &[(u32, u32, u32)] = &[
    (0xFFA0, 0xFFA0, 0x3164),
    (0xFFA1, 0xFFBE, 0x3131),
    (0xFFC2, 0xFFC7, 0x314F),
    (0xFFCA, 0xFFCF, 0x3155),
    (0xFFD2, 0xFFD7, 0x315B),
    (0xFFDA, 0xFFDC, 0x3161),
];

fn widen_hangul(c: char) -> char {
    let u = c as u32;
    HALFWIDTH_HANGUL
        .iter()
        .find(|(lo, hi, _)| (*lo..=*hi).contains(&u))
        .and_then(|(lo, _, target)| char::from_u32(target + (u - lo)))
        .unwrap_or(c)
}

fn action(c: char) -> Option<Action> {
    let u = c as u32;
    RULES
        .iter()
        .find(|(lo, hi, _, _)| (*lo..=*hi).contains(&u))
        .map(|(_, _, action, _)| *action)
}

/// Normalises every line of every page.
pub fn normalize(pages: &mut [Page]) {
    for page in pages {
        let cell_lines = page
            .tables
            .iter_mut()
            .flat_map(|t| t.cells.iter_mut().flat_map(|c| c.lines.iter_mut()));
        for line in page.lines.iter_mut().chain(cell_lines) {
            normalize_line(line);
        }
    }
}

/// One line's text normalised, its spans moved with it.
fn normalize_line(line: &mut Line) {
    if needs_work(&line.text) {
        let (text, offsets) = normalize_with_offsets(&line.text);
        for span in &mut line.spans {
            span.start = offsets.map(span.start);
            span.end = offsets.map(span.end).max(span.start);
        }
        line.text = text;
    }
}

/// The normalised form of one string.
pub fn normalize_text(text: &str) -> String {
    if needs_work(text) {
        normalize_with_offsets(text).0
    } else {
        text.to_string()
    }
}

/// Plain ASCII and precomposed Hangul need nothing: skip them cheaply.
fn needs_work(text: &str) -> bool {
    text.chars().any(|c| {
        let u = c as u32;
        !((0x20..0x7F).contains(&u) || c == '\t' || ('\u{AC00}'..='\u{D7A3}').contains(&c))
    })
}

/// Old byte offset → new byte offset, for every char boundary of the old text.
struct OffsetMap {
    /// (old boundary, new offset), ascending.
    points: Vec<(usize, usize)>,
}

impl OffsetMap {
    fn map(&self, old: usize) -> usize {
        match self.points.binary_search_by_key(&old, |p| p.0) {
            Ok(i) => self.points[i].1,
            // Inside a segment: the segment's new end keeps the whole character covered.
            Err(i) => self
                .points
                .get(i)
                .or(self.points.last())
                .map(|p| p.1)
                .unwrap_or(0),
        }
    }
}

fn normalize_with_offsets(text: &str) -> (String, OffsetMap) {
    let mut out = String::with_capacity(text.len());
    let mut points = Vec::new();
    let segments = segments(text);
    for (index, &(start, end)) in segments.iter().enumerate() {
        points.push((start, out.len()));
        let segment = &text[start..end];
        let first = segment.chars().next().unwrap_or(' ');
        match action(first) {
            Some(Action::Drop) => {}
            Some(Action::Space) => {
                let next_is_space = segments
                    .get(index + 1)
                    .and_then(|&(s, _)| text[s..].chars().next())
                    .is_some_and(|c| c == ' ' || action(c) == Some(Action::Space));
                // Stand-ins at either end of the line, or beside a space, add nothing.
                let is_last = index + 1 == segments.len();
                if !out.is_empty() && !out.ends_with(' ') && !next_is_space && !is_last {
                    out.push(' ');
                }
            }
            Some(Action::Compatibility) => out.extend(segment.nfkc()),
            Some(Action::Replace(with)) => out.push_str(with),
            Some(Action::SoftHyphen) => {
                if out.is_empty() || out.ends_with(' ') {
                    out.push('-');
                    // The bullet is set apart from its text on the page.
                    let next = segments
                        .get(index + 1)
                        .and_then(|&(s, _)| text[s..].chars().next());
                    if next.is_some_and(|c| !c.is_whitespace()) {
                        out.push(' ');
                    }
                }
            }
            Some(Action::HalfwidthHangul) => out.extend(segment.chars().map(widen_hangul)),
            None if segment.len() == first.len_utf8() && is_arae_a_dot(text, start) => {
                out.push('\u{B7}');
            }
            None if segment.len() == first.len_utf8() && lone_choseong(first).is_some() => {
                out.push(lone_choseong(first).unwrap_or(first));
            }
            None if first == 'Ÿ' && is_wingdings_bullet(text, start) => out.push('•'),
            None => {
                if (KEPT_FROM_NFC.0..=KEPT_FROM_NFC.1).contains(&(first as u32)) {
                    out.push_str(segment);
                } else {
                    out.extend(segment.nfc());
                }
            }
        }
    }
    points.push((text.len(), out.len()));
    (out, OffsetMap { points })
}

/// Splits text into segments NFC may compose internally: a starter followed by combining marks
/// or by conjoining Hangul vowels/finals (old-style jamo sequences).
fn segments(text: &str) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    for (i, c) in text.char_indices() {
        let joins = canonical_combining_class(c) != 0
            || (is_jamo_vowel_or_final(c) && !is_arae_a_dot(text, i))
            || is_halfwidth_sound_mark(c);
        let may_join = !matches!(action(c), Some(Action::Drop | Action::Space));
        match out.last_mut() {
            Some(last) if joins && may_join => last.1 = i + c.len_utf8(),
            _ => out.push((i, i + c.len_utf8())),
        }
    }
    out
}

/// `ᆞ` (U+119E, arae-a) between two precomposed syllables is Hancom's middle dot (`수어ᆞ점자`):
/// old Hangul writes it after a leading consonant, never after a whole syllable.
fn is_arae_a_dot(text: &str, i: usize) -> bool {
    let precomposed = |c: char| ('\u{AC00}'..='\u{D7A3}').contains(&c);
    text[i..].starts_with('\u{119E}')
        && text[..i].chars().next_back().is_some_and(precomposed)
        && text[i + '\u{119E}'.len_utf8()..]
            .chars()
            .next()
            .is_some_and(precomposed)
}

/// Leading consonants (U+1100–1112) in order, as the compatibility jamo that stand alone.
const CHOSEONG_COMPAT: &str = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ";

/// A leading consonant left alone (no vowel after it: segments join vowels to it) is the
/// compatibility jamo it draws, e.g. the `ᄋ` bullet of reg80250.pdf (`ᄋ 교통약자`).
fn lone_choseong(c: char) -> Option<char> {
    if !('\u{1100}'..='\u{1112}').contains(&c) {
        return None;
    }
    let index = (c as u32).checked_sub(0x1100)?;
    CHOSEONG_COMPAT.chars().nth(index as usize)
}

/// `Ÿ` standing alone at the start of a line, cell or item (after whitespace or a tab), before a
/// space or Hangul, is the Wingdings small bullet (code 0x9F, which WinAnsi reads as `Ÿ`):
/// biz_plan.pdf's `Ÿ 사업목표 및 배경`, also in table cells whose lines were joined. Only this
/// place is mapped (the PDF stage does not pass the font name here); `Ÿ` inside a Latin word
/// (`L'HAŸ`) stays.
fn is_wingdings_bullet(text: &str, i: usize) -> bool {
    let hangul = |c: char| ('\u{AC00}'..='\u{D7A3}').contains(&c);
    text[..i]
        .chars()
        .next_back()
        .is_none_or(char::is_whitespace)
        && text[i + 'Ÿ'.len_utf8()..]
            .chars()
            .next()
            .is_some_and(|c| c == ' ' || hangul(c))
}

/// Half-width katakana (semi-)voiced sound marks compose with the kana before them.
fn is_halfwidth_sound_mark(c: char) -> bool {
    matches!(c, '\u{FF9E}' | '\u{FF9F}')
}

fn is_jamo_vowel_or_final(c: char) -> bool {
    matches!(c as u32, 0x1160..=0x11FF | 0xD7B0..=0xD7FB)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Line, LineSpan, SpanKind};

    #[test]
    fn kangxi_radicals_become_ideographs() {
        // A font mapping 乙 to the Kangxi radical (seen in Hancom exports).
        assert_eq!(normalize_text("갑⼄ 병 정"), "갑乙 병 정");
        assert_eq!(normalize_text("⼈⼝ 정책"), "人口 정책");
    }

    #[test]
    fn conjoining_jamo_compose_to_syllables() {
        // "사회적경제" written as conjoining jamo (NFD), as some PDF producers emit it.
        let nfd: String = "사회적경제 생태계".nfd().collect();
        assert_ne!(nfd, "사회적경제 생태계");
        assert_eq!(normalize_text(&nfd), "사회적경제 생태계");
    }

    #[test]
    fn korean_conventions_are_kept() {
        // Lines of the sample booklet: bullets, the middle dot, circled numbers, units, ㈜.
        for line in [
            "ㅇ 말뭉치 구축 및 공개 현황",
            "□ 지속적 국어 말뭉치 구축, 공개로 인공지능 기술 발전 기반 강화",
            "① 서울시 자치구 사회적경제통합지원센터 권역별 사전 포럼",
            "사회적경제 기업ㆍ단체 12개",
            "입주공간 330㎡ 규모, ㈜마을 운영",
            "운영 중에 있음¹. 또한 24개 자치구에",
            "樂 (락) 은 호환 한자로 남는다",
        ] {
            assert_eq!(normalize_text(line), line);
        }
    }

    #[test]
    fn hancom_and_symbol_font_conventions_are_mapped() {
        // Hancom's arae-a middle dot (issue 17: `수어ᆞ점자`).
        assert_eq!(normalize_text("수어\u{119E}점자 통역"), "수어·점자 통역");
        // Arae-a after a leading consonant is old Hangul and composes as before.
        assert_eq!(
            normalize_text("\u{1112}\u{119E}\u{11AB}"),
            "\u{1112}\u{119E}\u{11AB}"
        );
        // A lone leading consonant used as a bullet (reg80250.pdf).
        assert_eq!(
            normalize_text("\u{110B} 교통약자 안전한 이동"),
            "ㅇ 교통약자 안전한 이동"
        );
        // The Wingdings bullet at a line start (biz_plan.pdf), not inside a Latin word.
        assert_eq!(normalize_text("Ÿ 사업목표 및 배경"), "• 사업목표 및 배경");
        assert_eq!(normalize_text("Ÿ사업목표"), "•사업목표");
        assert_eq!(
            normalize_text("보안 서약\tŸ 모든 사업 참여 인원"),
            "보안 서약\t• 모든 사업 참여 인원"
        );
        assert_eq!(normalize_text("L'HAŸ-LES-ROSES"), "L'HAŸ-LES-ROSES");
    }

    #[test]
    fn control_characters_become_spaces_or_go() {
        // Chrome's stretched spaces arrive as U+0001.
        assert_eq!(
            normalize_text("사회적경제\u{1}생태계\u{1}구축"),
            "사회적경제 생태계 구축"
        );
        // A stand-in next to a real space does not double it.
        assert_eq!(normalize_text("성과 \u{1}포럼"), "성과 포럼");
        // BEL before footnote items (card_brochure_tables.pdf).
        assert_eq!(
            normalize_text("* \u{7}전월 이용금액 30만원 이상"),
            "* 전월 이용금액 30만원 이상"
        );
        // NUL inside a word (Chrome pages through pdf-extract).
        assert_eq!(normalize_text("자치\u{0}구"), "자치구");
        // Soft hyphen inside a word, zero-width space.
        assert_eq!(normalize_text("govern\u{AD}ance\u{200B}"), "governance");
        // A soft hyphen starting a line is the dash bullet the page shows (hydrogen report).
        assert_eq!(
            normalize_text("\u{AD}일본, 2020년까지 누적 수소충전소 160개소"),
            "- 일본, 2020년까지 누적 수소충전소 160개소"
        );
        // Tabs separate table cells and stay.
        assert_eq!(normalize_text("1년차\t2년차"), "1년차\t2년차");
    }

    #[test]
    fn compatibility_forms_fold() {
        assert_eq!(normalize_text("ﬁnancial ﬂow"), "financial flow");
        // XeLaTeX book, page 17.
        assert_eq!(
            normalize_text("두 번째 16 비트 값을 오프셋 (oﬀset) 이라 부른다."),
            "두 번째 16 비트 값을 오프셋 (offset) 이라 부른다."
        );
        assert_eq!(normalize_text("（２０２０．１２．）"), "(2020.12.)");
        assert_eq!(normalize_text("ﾍﾝｸﾞﾙ ￦1,000"), "ヘングル ₩1,000");
        assert_eq!(normalize_text("ﾡﾢ"), "ㄱㄲ");
        // Hancom's half-width brackets and middle dot (gov_niklp_workplan_hancom.pdf).
        assert_eq!(
            normalize_text("ㅇ ｢국어기본법｣ 개정 시행, 구축･관리･보급 시스템 개발"),
            "ㅇ 「국어기본법」 개정 시행, 구축·관리·보급 시스템 개발"
        );
        assert_eq!(
            normalize_text("사업명\u{3000}:\u{A0}자치구"),
            "사업명 : 자치구"
        );
    }

    #[test]
    fn spans_follow_the_text() {
        let text = "\u{1}⼄\u{AD}사회적경제 ﬁ".to_string();
        let start = text.find('사').unwrap();
        let end = text.len();
        let mut pages = vec![Page {
            lines: vec![Line {
                text,
                spans: vec![LineSpan {
                    start,
                    end,
                    kind: SpanKind::Emphasis,
                }],
                ..Line::default()
            }],
            ..Page::default()
        }];
        normalize(&mut pages);
        let line = &pages[0].lines[0];
        assert_eq!(line.text, "乙사회적경제 fi");
        let span = &line.spans[0];
        assert_eq!(&line.text[span.start..span.end], "사회적경제 fi");
    }
}
