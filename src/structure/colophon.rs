//! The colophon at the back of the booklet (발행처, 발행일, 주소, 전화, 이메일, 홈페이지, 디자인)
//! read as key/value metadata.

use crate::document::{BlockType, KeyValue};
use crate::model::Line;

use super::blocks::Draft;
use super::rules::CapturesIfMatch;
use super::rules::{COLOPHON_KEY, COLOPHON_SPLIT};

/// A colophon starts where at least this many distinct keys follow within a few blocks.
const MIN_KEYS: usize = 3;
/// How many blocks after a key line may hold the other keys.
const WINDOW: usize = 14;

fn key_of(text: &str) -> Option<String> {
    let c = COLOPHON_KEY.captures_if_match(text.trim())?;
    Some(c["key"].split_whitespace().collect())
}

/// The index of the first colophon block at or after `from`, if there is a colophon.
pub fn find_start(drafts: &[Draft], from: usize) -> Option<usize> {
    (from..drafts.len()).find(|&d| {
        if !matches!(drafts[d].kind, BlockType::Paragraph | BlockType::Heading) {
            return false;
        }
        if key_of(&drafts[d].text).is_none() {
            return false;
        }
        let mut keys: Vec<String> = drafts[d..(d + WINDOW).min(drafts.len())]
            .iter()
            .filter(|x| x.kind != BlockType::Table)
            .filter_map(|x| key_of(&x.text))
            .collect();
        keys.sort();
        keys.dedup();
        keys.len() >= MIN_KEYS
    })
}

/// Key/value pairs from the colophon's lines: a key alone on its line takes the lines after
/// it as its value; `전화 02-353-3553 / 팩스 02-383-3553` holds two pairs.
pub fn entries(drafts: &[Draft], lines: &[&Line], start: usize) -> Vec<KeyValue> {
    let mut out: Vec<KeyValue> = Vec::new();
    let mut current: Option<KeyValue> = None;
    let texts = drafts[start..]
        .iter()
        .filter(|d| d.kind != BlockType::Furniture)
        .flat_map(|d| d.lines.iter().map(|&i| lines[i].text.trim().to_string()));
    for text in texts {
        if let Some(c) = COLOPHON_KEY.captures_if_match(&text) {
            if let Some(kv) = current.take() {
                out.push(kv);
            }
            let key: String = c["key"].split_whitespace().collect();
            let value = c["value"].trim().to_string();
            let mut rest = value.as_str();
            let mut key = key;
            loop {
                match COLOPHON_SPLIT.captures_if_match(rest) {
                    Some(split) => {
                        let whole = split.get(0).map_or(0, |m| m.start());
                        let next_key = split.name("key").map_or(rest.len(), |m| m.start());
                        out.push(KeyValue {
                            key: key.clone(),
                            value: rest[..whole].trim().to_string(),
                        });
                        let next = &rest[next_key..];
                        let Some(c2) = COLOPHON_KEY.captures_if_match(next) else {
                            break;
                        };
                        key = c2["key"].split_whitespace().collect();
                        let offset = c2.name("value").map_or(next.len(), |m| m.start());
                        rest = &next[offset..];
                    }
                    None => {
                        current = Some(KeyValue {
                            key: key.clone(),
                            value: rest.trim().to_string(),
                        });
                        break;
                    }
                }
            }
        } else if let Some(kv) = current.as_mut() {
            if !kv.value.is_empty() {
                kv.value.push(' ');
            }
            kv.value.push_str(&text);
        }
    }
    if let Some(kv) = current {
        out.push(kv);
    }
    out.retain(|kv| !kv.value.is_empty());
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::structure::blocks::Segmenter;

    #[test]
    fn sample_colophon() {
        let text = "발행처\n서울특별시 사회적경제지원센터 시민친화G 전략소통U\n\n발행일\n2019. 12.\n\n주소\n서울시 은평구 통일로 684 서울혁신파크 미래청 1층\n전화 02-353-3553 / 팩스 02-383-3553\n\n이메일\ninfo@sehub.net\n\n홈페이지\nwww.sehub.net\n\n디자인\n파이카\n";
        let owned = crate::extract::text::extract(text)
            .pages
            .into_iter()
            .flat_map(|p| p.lines)
            .collect::<Vec<_>>();
        let refs: Vec<&Line> = owned.iter().collect();
        let never = |_: &str, _: &str| false;
        let drafts = Segmenter::new(&refs, &never).run();
        let start = find_start(&drafts, 0).expect("colophon");
        assert_eq!(start, 0);
        let kv: Vec<(String, String)> = entries(&drafts, &refs, start)
            .into_iter()
            .map(|kv| (kv.key, kv.value))
            .collect();
        let expected = [
            (
                "발행처",
                "서울특별시 사회적경제지원센터 시민친화G 전략소통U",
            ),
            ("발행일", "2019. 12."),
            ("주소", "서울시 은평구 통일로 684 서울혁신파크 미래청 1층"),
            ("전화", "02-353-3553"),
            ("팩스", "02-383-3553"),
            ("이메일", "info@sehub.net"),
            ("홈페이지", "www.sehub.net"),
            ("디자인", "파이카"),
        ];
        let expected: Vec<(String, String)> = expected
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        assert_eq!(kv, expected);
    }

    #[test]
    fn prose_mentioning_an_address_is_not_a_colophon() {
        let text = "주소 변경 안내\n\n사회적경제 조직이 성장할 수 있는 유기적인 환경체계를 의미\n";
        let owned = crate::extract::text::extract(text)
            .pages
            .into_iter()
            .flat_map(|p| p.lines)
            .collect::<Vec<_>>();
        let refs: Vec<&Line> = owned.iter().collect();
        let never = |_: &str, _: &str| false;
        let drafts = Segmenter::new(&refs, &never).run();
        assert_eq!(find_start(&drafts, 0), None);
    }
}
