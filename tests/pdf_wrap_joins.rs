//! Word joins at line wraps on the sample booklet printed by Chromium
//! (`input/seoul_social_economy_forum_2020.pdf`, which breaks Korean lines anywhere) against the
//! booklet's text: for every wrap inside a paragraph between Hangul (or a digit) and Hangul,
//! the pipeline's decision (glyph evidence, else the analyzer as the document's wrap habit
//! asks) is compared with how the text writes the words around the break, where the text
//! writes them one way only. Prints the wrong ones.

mod common;

use std::path::Path;

use jaryo::model::{ExtractedDocument, LineRole, WrapHabit};
use jaryo::structure::text::{analyzer_joins, analyzer_joins_anywhere, join_query};
use jaryo::structure::usage::Usage;

/// Wrong decisions allowed (12 measured; 30 before the wrap habit; most left are compound
/// seams the text writes joined, `구축|사업`, which read alike either way).
const MAX_WRONG: usize = 12;

/// The text without whitespace, and for each character whether whitespace came before it.
fn squeezed(text: &str) -> (Vec<char>, Vec<bool>) {
    let (mut chars, mut spaced, mut pending) = (Vec::new(), Vec::new(), false);
    for c in text.chars() {
        if c.is_whitespace() {
            pending = true;
        } else {
            chars.push(c);
            spaced.push(pending);
            pending = false;
        }
    }
    (chars, spaced)
}

/// How the text writes `last` + `first`: `Some(true)` always joined, `Some(false)` always
/// spaced, `None` absent or both ways.
fn written_joined(text: &(Vec<char>, Vec<bool>), last: &str, first: &str) -> Option<bool> {
    let left: Vec<char> = last.chars().filter(|c| !c.is_whitespace()).collect();
    let pattern: Vec<char> = left
        .iter()
        .copied()
        .chain(first.chars().filter(|c| !c.is_whitespace()))
        .collect();
    let (chars, spaced) = text;
    let forms: Vec<bool> = chars
        .windows(pattern.len())
        .enumerate()
        .filter(|(_, w)| *w == pattern.as_slice())
        .map(|(at, _)| !spaced[at + left.len()])
        .collect();
    let first_form = *forms.first()?;
    forms.iter().all(|&f| f == first_form).then_some(first_form)
}

fn sample_pdf() -> Option<ExtractedDocument> {
    let path = common::repo_root().join("input/seoul_social_economy_forum_2020.pdf");
    if !path.exists() {
        eprintln!("skipped: {} is absent", path.display());
        return None;
    }
    let source = jaryo::source::read(Path::new(&path)).ok()?;
    let (mut document, _) =
        jaryo::extract::extract(&source, &jaryo::extract::ExtractOptions::default()).ok()?;
    jaryo::normalize::normalize(&mut document.pages);
    Some(document)
}

#[test]
fn wraps_of_the_sample_pdf_join_as_the_text_writes_them() {
    let Some(document) = sample_pdf() else { return };
    let pages = &document.pages;
    assert!(pages.iter().all(|p| p.wrap_habit == WrapHabit::Anywhere));
    let text = squeezed(&common::sample_text());
    let analyzer = common::analyzer();
    let usage = Usage::of(pages);
    let (mut decided, mut wrong) = (0, Vec::new());
    for page in pages {
        let body: Vec<_> = page
            .lines
            .iter()
            .filter(|l| l.role == LineRole::Body && l.table.is_none())
            .collect();
        for pair in body.windows(2) {
            let (before, line) = (pair[0].text.trim(), pair[1]);
            if line.starts_paragraph {
                continue;
            }
            let after = line.text.trim();
            let mut bare = line.clone();
            bare.joins_previous_word = None;
            let Ok((last, first)) = join_query(before, &bare, after) else {
                continue;
            };
            let joined = match line.joins_previous_word {
                Some(evidence) => evidence,
                None => analyzer_joins_anywhere(analyzer, &usage, last, first),
            };
            let Some(truth) = written_joined(&text, last, first) else {
                continue;
            };
            decided += 1;
            if joined != truth {
                let strict = analyzer_joins(analyzer, last, first);
                wrong.push(format!(
                    "{last}|{first}: joined {joined}, the text {truth} (strict rule {strict})"
                ));
            }
        }
    }
    eprintln!("{} of {decided} wraps joined unlike the text:", wrong.len());
    for w in &wrong {
        eprintln!("  {w}");
    }
    assert!(decided > 300, "only {decided} wraps compared");
    assert!(wrong.len() <= MAX_WRONG, "{} > {MAX_WRONG}", wrong.len());
}

#[test]
fn the_text_decides_only_pairs_it_writes_one_way() {
    let text = squeezed("10년차에 도래하는 시기입니다. 10년차이면 큰 사회적 경제 사회적경제");
    assert_eq!(written_joined(&text, "10년", "차에"), Some(true));
    assert_eq!(written_joined(&text, "도래하는", "시기"), Some(false));
    assert_eq!(written_joined(&text, "사회적", "경제"), None);
    assert_eq!(written_joined(&text, "없는", "말"), None);
}
