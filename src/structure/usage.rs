//! How a document writes a word pair inside its own lines: whether `10년` runs on into `차…`
//! within one word (`10년차이면`) or is followed by a word starting with `차` after a space.
//! Evidence for a line wrap the analyzer reads the same either way (a compound seam, a bound
//! noun), counted where no wrap interferes: between words of one body line.

// Counting hashes every word prefix of the document's body (the sample PDF: tens of
// thousands), where SipHash's DoS resistance buys nothing: foldhash is the faster hasher.
use foldhash::HashMap;

use crate::model::{LineRole, Page};

/// Longest word prefix counted, in characters (longer edge words are rare and decide nothing).
const MAX_PREFIX_CHARS: usize = 12;

/// The document's own spellings of word pairs, counted over its body lines.
#[derive(Debug, Default)]
pub struct Usage<'a> {
    /// Word starts of two or more characters (`10년차`, `10년차이`, …), as written inside a
    /// word, with how often.
    joined: HashMap<&'a str, u32>,
    /// A word followed on its line by a word starting with the character: `(10년, 차)`.
    spaced: HashMap<(&'a str, char), u32>,
}

impl<'a> Usage<'a> {
    /// Counts the body lines (outside tables) of `pages`.
    pub fn of(pages: &'a [Page]) -> Usage<'a> {
        let mut usage = Usage::default();
        let lines = pages
            .iter()
            .flat_map(|p| &p.lines)
            .filter(|l| l.role == LineRole::Body && l.table.is_none());
        for line in lines {
            usage.count_line(&line.text);
        }
        usage
    }

    fn count_line(&mut self, text: &'a str) {
        let mut words = text.split_whitespace().peekable();
        while let Some(word) = words.next() {
            let ends = word.char_indices().skip(1).take(MAX_PREFIX_CHARS);
            for end in ends.map(|(at, c)| at + c.len_utf8()) {
                *self.joined.entry(&word[..end]).or_default() += 1;
            }
            if let Some(next) = words.peek().and_then(|w| w.chars().next()) {
                *self.spaced.entry((word, next)).or_default() += 1;
            }
        }
    }

    /// How often the document writes `word` run on into `next` inside one word, and how often
    /// it writes `word` followed by a word starting with `next` after a space.
    pub fn counts(&self, word: &str, next: char) -> (u32, u32) {
        let joined = format!("{word}{next}");
        let joined = self.joined.get(joined.as_str()).copied().unwrap_or(0);
        let spaced = self.spaced.get(&(word, next)).copied().unwrap_or(0);
        (joined, spaced)
    }

    /// Whether the document writes `word` run on into `next` more often than apart.
    pub fn mostly_joined(&self, word: &str, next: char) -> bool {
        let (joined, spaced) = self.counts(word, next);
        joined > spaced
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Line;

    fn page(lines: &[&str]) -> Page {
        Page {
            lines: lines.iter().map(|t| Line::with_text(t)).collect(),
            ..Page::default()
        }
    }

    #[test]
    fn counts_pairs_within_lines_only() {
        // Sample lines 96-97 as a PDF wraps them: `10년` ends one line, `차에` starts the next;
        // the document writes `10년차이면` inside a line.
        let pages = [page(&[
            "자치구 생태계구축사업은 2012에 시작되면서 10년",
            "차에 도래하는 시기입니다. 10년차이면 큰",
        ])];
        let usage = Usage::of(&pages);
        assert_eq!(usage.counts("10년", '차'), (1, 0));
        assert!(usage.mostly_joined("10년", '차'));
        // `시기입니다.` is followed by `10년…` on its line: a spaced pair.
        assert_eq!(usage.counts("시기입니다.", '1'), (0, 1));
        // The wrap itself is no evidence: `10년` ends its line.
        assert_eq!(usage.counts("생태계구축사업은", '2'), (0, 1));
    }

    #[test]
    fn running_headers_do_not_count() {
        let mut p = page(&["사회적 경제 조직", "사회적경제 조직"]);
        p.lines[1].role = LineRole::RunningHeader;
        let pages = [p];
        let usage = Usage::of(&pages);
        assert_eq!(usage.counts("사회적", '경'), (0, 1));
    }
}
