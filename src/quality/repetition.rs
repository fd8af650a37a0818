//! Repetition, the signature of OCR/LLM loops and placeholder text: a phrase repeated back to
//! back inside a cell or sentence (`이름이름이름`), the same row or block repeated one after
//! another, and a table whose body is all zeros or all identical. Korean reduplicated words
//! (점점, 곳곳, 하나하나) are not repetition.

use super::charset::{is_hangul_syllable, is_space};
use crate::document::{Block, BlockType, Flag, Severity};

/// Consecutive identical rows or blocks from this many on are a loop, not data.
pub const REPEATED_RUN: usize = 3;

/// The longest repeated unit looked for, in characters (spaces not counted).
const MAX_UNIT: usize = 40;

/// How many back-to-back copies make a repetition, by the number of letters in the unit:
/// one letter needs four copies (하하하 is possible), two need three (점점, 하나하나 are words),
/// three or more need two.
fn copies_needed(letters: usize) -> usize {
    match letters {
        0 => usize::MAX,
        1 => 4,
        2 => 3,
        _ => 2,
    }
}

/// Whether `c` counts as a letter of a repeated unit.
fn is_letter(c: char) -> bool {
    // (Hangul first: `is_alphabetic` takes a slow table lookup outside ASCII.)
    is_hangul_syllable(c) || c.is_alphabetic()
}

/// Flags phrases repeated back to back, ignoring whitespace between the copies.
pub fn detect_phrases(text: &str, out: &mut Vec<Flag>) {
    // The text without whitespace, and where each of its characters starts in `text`.
    let mut chars: Vec<char> = Vec::with_capacity(text.len() / 2);
    let mut starts: Vec<usize> = Vec::with_capacity(text.len() / 2);
    for (i, c) in text.char_indices() {
        if !is_space(c) {
            chars.push(c);
            starts.push(i);
        }
    }
    let squeezed = Squeezed {
        chars: &chars,
        starts: &starts,
    };
    let n = chars.len();
    let mut ahead = Ahead::default();
    let mut i = 0;
    while i < n {
        // A unit of two or more characters repeats at least twice, or three times when it has
        // two, so its copy `unit` (2 to `MAX_UNIT`) characters later starts with the same three
        // characters as the text at `i`; a unit of one is the character again right after it.
        // Neither: no repetition starts here.
        ahead.cover(&chars, i + 2, (i + 1 + MAX_UNIT).min(n.saturating_sub(2)));
        let triple_ahead = i + 2 < n && ahead.may_hold(&chars[i..i + 3]);
        if !triple_ahead && chars.get(i + 1) != Some(&chars[i]) {
            i += 1;
            continue;
        }
        let mut found = None;
        for unit in 1..=MAX_UNIT.min((n - i) / 2) {
            // Cheap rejection first: the copy starts with the unit's first pair (a unit of one
            // needs at least three copies, so the character twice more).
            if chars[i] != chars[i + unit] || chars.get(i + 1) != chars.get(i + unit + 1) {
                continue;
            }
            let letters = chars[i..i + unit].iter().filter(|c| is_letter(**c)).count();
            // A one-letter word echoed with spaces (`명 명 명`) needs three copies, not four.
            let needed = if letters == 1 && squeezed.gap_before(i + unit) {
                3
            } else {
                copies_needed(letters)
            };
            if needed == usize::MAX || i + unit * needed > n {
                continue;
            }
            let mut copies = 1;
            while i + unit * (copies + 1) <= n
                && chars[i..i + unit] == chars[i + unit * copies..i + unit * (copies + 1)]
            {
                copies += 1;
            }
            if copies >= needed && copies_agree(text, &squeezed, i, unit, copies) {
                found = Some((unit, copies));
                break;
            }
        }
        match found {
            Some((unit, copies)) => {
                let last = i + unit * copies - 1;
                let (start, end) = (starts[i], squeezed.end(last));
                let phrase: String = chars[i..i + unit].iter().collect();
                out.push(super::flag(
                    "repeated_phrase",
                    start,
                    end,
                    Severity::Warning,
                    format!("`{phrase}` repeated {copies} times back to back"),
                ));
                i = last + 1;
            }
            None => i += 1,
        }
    }
}

/// A text without its whitespace: its characters, and where each starts in the text.
struct Squeezed<'a> {
    chars: &'a [char],
    starts: &'a [usize],
}

impl Squeezed<'_> {
    /// Where character `k` ends in the text.
    fn end(&self, k: usize) -> usize {
        self.starts[k] + self.chars[k].len_utf8()
    }

    /// Whether whitespace stood before character `k` (`k` > 0) in the text.
    fn gap_before(&self, k: usize) -> bool {
        self.starts[k] > self.end(k - 1)
    }
}

/// The character triples starting in a window sliding forward over a text, counted by a hash
/// of each triple: a triple whose bucket is empty starts nowhere in the window (one look
/// instead of a scan of the window).
struct Ahead {
    buckets: [u8; 1024],
    start: usize,
    end: usize,
}

impl Default for Ahead {
    fn default() -> Self {
        Ahead {
            buckets: [0; 1024],
            start: 0,
            end: 0,
        }
    }
}

impl Ahead {
    fn bucket(t: &[char]) -> usize {
        (((t[0] as usize).wrapping_mul(31) ^ t[1] as usize).wrapping_mul(31) ^ t[2] as usize) & 1023
    }

    /// Moves the window to the triples starting at `start..end` (`end` at most the text's
    /// length less two; both bounds only ever grow).
    fn cover(&mut self, chars: &[char], start: usize, end: usize) {
        while self.end < end {
            self.buckets[Self::bucket(&chars[self.end..])] += 1;
            self.end += 1;
        }
        while self.start < start.min(self.end) {
            self.buckets[Self::bucket(&chars[self.start..])] -= 1;
            self.start += 1;
        }
    }

    /// False when the triple `t` certainly starts nowhere in the window.
    fn may_hold(&self, t: &[char]) -> bool {
        self.buckets[Self::bucket(t)] > 0
    }
}

/// A repetition the squeezed text shows is one in the text too: the unit holds a Hangul
/// syllable (Latin, digit and symbol runs repeat in real text: `FFFF`, `movzx movzx`, opcode
/// lists), is no path or URL segment (`/economy/economy`), every copy is spelled the same with
/// its own spaces (`안전사회위원회 위원` squeezes to `회위원` twice, but its copies `회위원` and
/// `회 위원` differ), and the copies are separated alike: all by whitespace or all glued
/// (`의 의의` is a particle and a word, not `의` three times). A unit of several words
/// repeats as whole words, with whitespace between the copies.
fn copies_agree(text: &str, squeezed: &Squeezed, i: usize, unit: usize, copies: usize) -> bool {
    let letters = &squeezed.chars[i..i + unit];
    if !letters.iter().any(|c| is_hangul_syllable(*c)) || letters.contains(&'/') {
        return false;
    }
    let copy =
        |k: usize| &text[squeezed.starts[i + unit * k]..squeezed.end(i + unit * (k + 1) - 1)];
    let first = copy(0);
    if (1..copies).any(|k| copy(k) != first) {
        return false;
    }
    let spaced = (1..copies)
        .filter(|k| squeezed.gap_before(i + unit * k))
        .count();
    let multi_word = first.contains(char::is_whitespace);
    spaced == copies - 1 || (spaced == 0 && !multi_word)
}

/// Whether two rows or texts are the same once whitespace is squeezed (compared word by word,
/// without building the squeezed strings).
fn same_words(a: &str, b: &str) -> bool {
    a.split_whitespace().eq(b.split_whitespace())
}

/// Runs of at least `REPEATED_RUN` consecutive equal keys (keys without letters never count).
fn repeated_runs(keys: &[&str]) -> Vec<(usize, usize)> {
    let mut runs = Vec::new();
    let mut i = 0;
    while i < keys.len() {
        let mut j = i + 1;
        while j < keys.len() && same_words(keys[j], keys[i]) {
            j += 1;
        }
        // (Letters counted only for a run, and only up to two: most blocks are not repeated.)
        let has_letters = || {
            keys[i]
                .chars()
                .filter(|c| c.is_alphanumeric())
                .nth(1)
                .is_some()
        };
        if j - i >= REPEATED_RUN && has_letters() {
            runs.push((i, j));
        }
        i = j;
    }
    runs
}

/// Flags every row of a run of identical consecutive rows (on its first cell).
pub fn detect_rows(rows: &[Vec<String>], out: &mut Vec<Flag>) {
    let joined: Vec<String> = rows.iter().map(|r| r.join("\t")).collect();
    let keys: Vec<&str> = joined.iter().map(String::as_str).collect();
    for (first, stop) in repeated_runs(&keys) {
        for (r, row) in rows.iter().enumerate().take(stop).skip(first) {
            let mut f = super::flag(
                "repeated_line",
                0,
                row.first().map_or(0, String::len),
                Severity::Warning,
                format!(
                    "row {} of {} identical consecutive rows ({}–{}): the whole row",
                    r - first + 1,
                    stop - first,
                    first,
                    stop - 1
                ),
            );
            f.cell = Some([r, 0]);
            out.push(f);
        }
    }
}

/// Header words that name a specification or a limit: in such a table 0 is a value (a tolerance
/// of 0, a minimum of 0), so an all-zero body is no evidence of a placeholder.
const SPEC_HEADER_WORDS: &[&str] = &[
    "기준",
    "규격",
    "사양",
    "허용",
    "오차",
    "공차",
    "편차",
    "최소",
    "최대",
    "하한",
    "상한",
    "단위",
    "기본값",
    "초기값",
    "설정값",
    "min",
    "max",
    "tolerance",
    "default",
    "spec",
];

/// Evidence that a zero body is real data: a header cell names a specification or a limit, or
/// the zeros are written with decimals (`0.0`, `0.00`: a measured value with its precision).
fn zeros_are_values(rows: &[Vec<String>], header_rows: usize, values: &[&String]) -> bool {
    let spec_header = rows.iter().take(header_rows).flatten().any(|h| {
        let h = h.to_lowercase();
        SPEC_HEADER_WORDS.iter().any(|w| h.contains(w))
    });
    let decimals = values.iter().any(|v| v.trim().starts_with("0."));
    spec_header || decimals
}

/// Flags a table whose body (rows after the header) is all zeros or all one value. Rule: a
/// numeric body of at least 4 cells all zero, with no header or formatting evidence that 0 is
/// a real value (`zeros_are_values`), or a body of at least 4 non-empty cells all identical
/// (`이름`, `해당없음`, `-`).
pub fn detect_uniform_table(rows: &[Vec<String>], header_rows: usize, out: &mut Vec<Flag>) {
    let cells = |skip_label: bool| -> Vec<&String> {
        rows.iter()
            .skip(header_rows)
            .flat_map(|r| r.iter().skip(usize::from(skip_label && r.len() >= 2)))
            .filter(|c| !c.trim().is_empty())
            .collect()
    };
    // The first column usually labels the rows (years, numbers, names): values are the rest.
    let values = cells(true);
    let numbers: Vec<f64> = values
        .iter()
        .filter_map(|c| c.trim().replace([',', '%'], "").parse::<f64>().ok())
        .collect();
    let body = cells(false);
    let zeros = numbers.len() >= 4 && numbers.iter().all(|v| *v == 0.0);
    let reason = if zeros && !zeros_are_values(rows, header_rows, &values) {
        Some(format!(
            "all {} numbers of the table body are zero",
            numbers.len()
        ))
    } else if !zeros && body.len() >= 4 && body.iter().all(|c| c.trim() == body[0].trim()) {
        Some(format!(
            "all {} cells of the table body are `{}`",
            body.len(),
            body[0].trim()
        ))
    } else {
        None
    };
    if let (Some(reason), Some(row)) = (reason, rows.get(header_rows)) {
        let mut f = super::flag(
            "uniform_table",
            0,
            row.first().map_or(0, String::len),
            Severity::Warning,
            reason,
        );
        f.cell = Some([header_rows, 0]);
        out.push(f);
    }
}

/// Flags blocks whose text repeats the previous blocks' (three or more in a row).
pub fn detect_repeated_blocks(blocks: &[Block], per_block: &mut [Vec<Flag>]) {
    let keys: Vec<&str> = blocks
        .iter()
        .map(|b| match b.kind {
            BlockType::Furniture => "",
            _ => b.text.as_str(),
        })
        .collect();
    for (first, stop) in repeated_runs(&keys) {
        for (k, flags) in per_block.iter_mut().enumerate().take(stop).skip(first) {
            flags.push(super::flag(
                "repeated_line",
                0,
                blocks[k].text.len(),
                Severity::Warning,
                format!(
                    "block {} of {} identical consecutive blocks",
                    k - first + 1,
                    stop - first
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_are_the_same_when_only_their_whitespace_differs() {
        // Sample booklet heading, as a block and as a wrapped repeat.
        assert!(same_words(
            "지역사회 안의 문제와 욕구",
            " 지역사회  안의\n문제와 욕구 "
        ));
        assert!(!same_words("지역사회 안의 문제", "지역사회안의 문제"));
        assert!(same_words("", " \n"));
    }

    fn phrases(text: &str) -> Vec<String> {
        let mut flags = Vec::new();
        detect_phrases(text, &mut flags);
        flags
            .iter()
            .map(|f| text[f.start..f.end].to_string())
            .collect()
    }

    #[test]
    fn placeholder_names_of_the_sample_are_caught() {
        // Sample booklet line 1974, second cell.
        assert_eq!(phrases("이름이름이름"), vec!["이름이름이름"]);
        assert_eq!(phrases("사회적경제팀(3명 명 명)"), vec!["명 명 명"]);
        assert_eq!(
            phrases("지역 자원 조사 지역 자원 조사 결과"),
            vec!["지역 자원 조사 지역 자원 조사"]
        );
    }

    #[test]
    fn reduplicated_words_and_numbers_are_not_repetition() {
        assert!(phrases("점점 곳곳 하나하나 차차 구석구석").is_empty());
        assert!(phrases("2020. 11.26. 서북권 포럼 1111").is_empty());
        assert!(phrases("······ ----").is_empty());
    }

    #[test]
    fn real_repeated_words_urls_and_code_are_not_repetition() {
        // Lines from real documents (issue 17): a committee and its member, a particle
        // followed by a word, a URL path, hex digits and opcode lists (XeLaTeX book).
        assert!(phrases("안전사회위원회 위원 위촉").is_empty());
        assert!(phrases("사업의 의의").is_empty());
        assert!(phrases("사업의 의 의의").is_empty());
        assert!(phrases("https://www.moef.go.kr/economy/economy/list.do").is_empty());
        assert!(phrases("80486/펜티엄/펜티엄 프로: 이 CPU 들은").is_empty());
        assert!(phrases("mov eax,0FFFFFFFEh ; movzx movzx movzx movzx").is_empty());
        // Still caught: the OCR loop with its copies spelled alike.
        assert_eq!(phrases("사회가치 사회가치 창출"), vec!["사회가치 사회가치"]);
    }

    #[test]
    fn the_nine_identical_rows_of_the_sample_are_caught() {
        // Sample booklet lines 1229–1238: a header, one row, then nine identical rows.
        let row = |first: &str| {
            vec![
                first.to_string(),
                "노원구".to_string(),
                "노원구 사회적경제 활성화를 위한 지역자원조사".to_string(),
                "노원구 사회적경제 활성화를 위한 지역자원조사".to_string(),
            ]
        };
        let mut rows = vec![vec![
            "구분".into(),
            "조사 대상".into(),
            "조사 방법".into(),
            "조사 결과".into(),
        ]];
        rows.push(row("지역"));
        rows.extend(std::iter::repeat_n(row("구분"), 9));
        let mut flags = Vec::new();
        detect_rows(&rows, &mut flags);
        let flagged: Vec<usize> = flags.iter().filter_map(|f| f.cell.map(|c| c[0])).collect();
        assert_eq!(flagged, (2..=10).collect::<Vec<_>>());
    }

    #[test]
    fn tables_of_zeros_are_caught_and_real_tables_are_not() {
        let header = vec![
            "연도".to_string(),
            "모집률".to_string(),
            "기업수".to_string(),
        ];
        let zeros = vec![
            header.clone(),
            vec!["2013년".into(), "0".into(), "0".into()],
            vec!["2014년".into(), "0".into(), "0".into()],
        ];
        let mut flags = Vec::new();
        detect_uniform_table(&zeros, 1, &mut flags);
        assert_eq!(flags.len(), 1);
        // Sample booklet lines 1611–1613.
        let real = vec![
            header,
            vec!["2013년".into(), "6".into(), "1".into()],
            vec!["2013년".into(), "12".into(), "2".into()],
        ];
        let mut flags = Vec::new();
        detect_uniform_table(&real, 1, &mut flags);
        detect_rows(&real, &mut flags);
        assert!(flags.is_empty());
    }

    #[test]
    fn specification_tables_with_zero_values_are_not_uniform() {
        let table = |header: &[&str], body: &[&str]| -> Vec<Vec<String>> {
            let mut rows = vec![header.iter().map(|s| s.to_string()).collect::<Vec<_>>()];
            for label in ["잔류염소", "탁도", "대장균"] {
                let mut row = vec![label.to_string()];
                row.extend(body.iter().map(|s| s.to_string()));
                rows.push(row);
            }
            rows
        };
        let mut flags = Vec::new();
        // A header naming limits: 0 is the limit.
        detect_uniform_table(
            &table(&["항목", "최소", "허용오차"], &["0", "0"]),
            1,
            &mut flags,
        );
        // Zeros with their precision are measurements.
        detect_uniform_table(
            &table(&["항목", "1회차", "2회차"], &["0.0", "0.00"]),
            1,
            &mut flags,
        );
        assert!(flags.is_empty(), "{flags:?}");
        // The same layout with bare zeros under plain headers is still a placeholder body.
        detect_uniform_table(
            &table(&["항목", "1회차", "2회차"], &["0", "0"]),
            1,
            &mut flags,
        );
        assert_eq!(flags.len(), 1);
    }
}
