//! The analyzer's wrap-join decisions for one document, shared between the structure pass and
//! a helper. The pass asks them one at a time, in document order, and is serial; the helper
//! decides the breaks the pass will most likely ask about (between consecutive lines) from
//! the document's end, on a worker the document otherwise leaves idle, until the pass is done.
//! A decision depends only on the two edge words, so whoever makes it, the structure is the
//! same; the pass makes the ones the helper has not (or could not foresee) itself.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use crate::model::Line;

use super::text::{join_query, prepare_line};

/// Decisions made so far, by edge words.
#[derive(Default)]
pub struct JoinAnswers {
    answers: Mutex<HashMap<(String, String), bool>>,
}

impl JoinAnswers {
    /// The decision for `(last, first)`: a known one, or `decide`'s (then kept).
    pub fn get_or(&self, last: &str, first: &str, decide: impl FnOnce() -> bool) -> bool {
        let key = (last.to_string(), first.to_string());
        if let Some(&known) = self.lock().get(&key) {
            return known;
        }
        let answer = decide();
        self.lock().insert(key, answer);
        answer
    }

    /// Decides `queries` from the last one back, skipping known ones, until `done` is set.
    pub fn fill_from_the_end(
        &self,
        queries: &[(String, String)],
        done: &AtomicBool,
        decide: impl Fn(&str, &str) -> bool,
    ) {
        for (last, first) in queries.iter().rev() {
            if done.load(Ordering::Relaxed) {
                return;
            }
            if self.lock().contains_key(&(last.clone(), first.clone())) {
                continue;
            }
            let answer = decide(last, first);
            self.lock().insert((last.clone(), first.clone()), answer);
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<(String, String), bool>> {
        self.answers.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// The edge words of every break between consecutive lines that the analyzer would decide,
/// as block text prepares the lines, each once, in document order.
pub fn likely_queries(lines: &[&Line]) -> Vec<(String, String)> {
    let mut seen = std::collections::HashSet::new();
    let mut queries = Vec::new();
    let mut previous: Option<String> = None;
    for line in lines {
        let (text, _) = prepare_line(line);
        let piece = text.trim().to_string();
        if piece.is_empty() {
            continue;
        }
        if let Some(before) = &previous {
            if let Ok((last, first)) = join_query(before, line, &piece) {
                let query = (last.to_string(), first.to_string());
                if seen.insert(query.clone()) {
                    queries.push(query);
                }
            }
        }
        previous = Some(piece);
    }
    queries
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    #[test]
    fn likely_queries_are_the_hangul_breaks_between_consecutive_lines() {
        let lines = [
            Line::with_text("코로나19로 인해 사업 추진이 어려웠기 때문"),
            Line::with_text("에 온라인으로 진행했다."),
            Line::with_text("2020년 성과"),
            Line::with_text("English text"),
        ];
        let refs: Vec<&Line> = lines.iter().collect();
        assert_eq!(
            likely_queries(&refs),
            vec![("어려웠기 때문".to_string(), "에 온라인으로".to_string())]
        );
    }

    #[test]
    fn a_decision_is_made_once_whoever_makes_it() {
        let answers = JoinAnswers::default();
        let calls = AtomicUsize::new(0);
        let decide = |last: &str, _: &str| {
            calls.fetch_add(1, Ordering::Relaxed);
            last.ends_with("때문")
        };
        let queries = vec![
            ("때문".to_string(), "에".to_string()),
            ("거버넌스".to_string(), "구축".to_string()),
        ];
        answers.fill_from_the_end(&queries, &AtomicBool::new(false), decide);
        assert_eq!(calls.load(Ordering::Relaxed), 2);
        assert!(answers.get_or("때문", "에", || unreachable!()));
        assert!(!answers.get_or("거버넌스", "구축", || unreachable!()));
        assert!(answers.get_or("참여", "하기", || true));
        assert!(
            answers.get_or("참여", "하기", || false),
            "kept from the first call"
        );
        // A finished pass stops the helper at once.
        let idle = JoinAnswers::default();
        idle.fill_from_the_end(&queries, &AtomicBool::new(true), |_, _| unreachable!());
    }
}
