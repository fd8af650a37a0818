//! The analyzer on the sample booklet: offsets, the user dictionary, line-wrap joins, sharing
//! across threads.

mod common;

use jaryo::analyze::{compact, Analyzer};

/// `text` analysed by `analyzer`, in MeCab's compact style.
fn compact_of(analyzer: &Analyzer, text: &str) -> String {
    compact(text, &analyzer.tokenize(text).expect("tokenize"))
}

/// Lines 96-145 of the sample: a hard-wrapped presentation paragraph whose wraps all fall
/// between words.
fn wrapped_paragraph() -> Vec<String> {
    common::sample_text()
        .lines()
        .skip(95)
        .take(50)
        .map(|l| l.trim().to_string())
        .collect()
}

#[test]
fn token_offsets_point_into_the_text() {
    let text = common::sample_text();
    let tokens = common::analyzer().tokenize(&text).expect("tokenize");
    assert!(tokens.len() > 20_000, "{} tokens", tokens.len());
    let mut previous_end = 0;
    for token in &tokens {
        // A non-empty slice of the text, at char boundaries.
        assert!(text
            .get(token.start..token.end)
            .is_some_and(|s| !s.is_empty()));
        assert!(token.start >= previous_end, "tokens are in order");
        assert!(
            !token.surface(&text).trim().is_empty(),
            "no whitespace tokens"
        );
        assert!(!token.pos.is_empty());
        previous_end = token.end;
    }
}

#[test]
fn a_sample_line_is_analysed_like_mecab() {
    // Line 100 of the sample; MeCab (mecab-ko 0.996 + mecab-ko-dic 2.1.1) gives the same.
    assert_eq!(
        compact_of(
            common::plain_analyzer(),
            "스스로 매몰되었던 것은 아닌가 생각해봅니다."
        ),
        "스스로/MAG 매몰/NNG 되/XSV 었/EP 던/ETM 것/NNB 은/JX 아닌가/VCN+EC 생각/NNG 해/XSV+EC 봅니다/VX+EF ./SF"
    );
}

#[test]
fn the_user_dictionary_changes_segmentation() {
    let line = "자치구사회적경제지원센터연대회의(이하 서사연) 인프라 TF와 협력";
    let plain = compact_of(common::plain_analyzer(), line);
    let with_user = compact_of(common::analyzer(), line);
    assert!(plain.contains("서/"), "{plain}");
    assert!(with_user.contains("서사연/NNP"), "{with_user}");
    assert!(
        with_user.contains("자치구사회적경제지원센터연대회의/NNP"),
        "{with_user}"
    );
    // A center name from 부록2 is one proper noun, and the particle after it stays a particle.
    assert_eq!(
        compact_of(common::analyzer(), "마포구사회적경제통합지원센터의 역할"),
        "마포구사회적경제통합지원센터/NNP 의/JKG 역할/NNG"
    );
}

#[test]
fn unknown_words_are_flagged() {
    // 뛟 is no Korean word: MeCab, too, reads it as an unknown `UNKNOWN`.
    let tokens = common::plain_analyzer()
        .tokenize("뛟 센터")
        .expect("tokenize");
    assert!(
        tokens[0].unknown && tokens[0].pos == "UNKNOWN",
        "{tokens:?}"
    );
    assert!(!tokens[1].unknown, "{tokens:?}");
}

#[test]
fn a_spaced_particle_costs_more_than_an_attached_one() {
    let a = common::plain_analyzer();
    let joined = a.analyze("때문에").expect("analyze").path_cost;
    let spaced = a.analyze("때문 에").expect("analyze").path_cost;
    assert!(joined < spaced, "{joined} vs {spaced}");
}

#[test]
fn real_line_wraps_keep_their_space() {
    let a = common::analyzer();
    let lines = wrapped_paragraph();
    let mut checked = 0;
    for pair in lines.windows(2) {
        if pair[0].is_empty() || pair[1].is_empty() {
            continue;
        }
        checked += 1;
        assert!(
            !a.joins_without_space(&pair[0], &pair[1]),
            "joined: {} | {}",
            pair[0],
            pair[1]
        );
    }
    assert!(checked >= 30, "{checked} wraps checked");
}

#[test]
fn wraps_inside_words_join() {
    let a = common::analyzer();
    for (before, after) in [
        ("이 때문", "에"),
        ("그러나 아쉬움", "에 멈춰있을"),
        ("10년차에 도래하는 시기입", "니다."),
        ("결과나 과정이 현장과 공감하", "고"),
        ("함께 논의하", "지 못했던"),
    ] {
        assert!(a.joins_without_space(before, after), "{before} | {after}");
    }
    // Every break inside a Hangul word of the paragraph: most must join (the rest are
    // compound-noun seams like 생태계|구축사업 where a space is also good Korean).
    let (mut joined, mut total) = (0, 0);
    for line in wrapped_paragraph() {
        for word in line.split_whitespace() {
            let chars: Vec<char> = word.chars().collect();
            if chars.len() < 2 || !chars.iter().all(|c| ('가'..='힣').contains(c)) {
                continue;
            }
            for k in 1..chars.len() {
                let left: String = chars[..k].iter().collect();
                let right: String = chars[k..].iter().collect();
                total += 1;
                joined += usize::from(a.joins_without_space(&left, &right));
            }
        }
    }
    assert!(
        total > 300 && joined * 100 >= total * 90,
        "{joined}/{total}"
    );
}

#[test]
fn join_gains_rank_particles_above_word_seams() {
    let a = common::plain_analyzer();
    let particle = a.join_gain("이 때문", "에").expect("hangul");
    let auxiliary = a.join_gain("만들어 가야", "하는 목표").expect("hangul");
    let wrap = a
        .join_gain("그 과정에서 우리가 함께", "이루어온 생태계")
        .expect("hangul");
    assert!(
        particle > auxiliary && auxiliary > 0,
        "{particle} {auxiliary}"
    );
    assert_eq!(wrap, 0);
    assert_eq!(a.join_gain("TF", "와"), None);
}

#[test]
fn one_analyzer_serves_many_threads() {
    let text = common::sample_text();
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let alone: Vec<String> = lines
        .iter()
        .map(|l| compact_of(common::analyzer(), l))
        .collect();
    let threaded: Vec<String> = std::thread::scope(|scope| {
        let handles: Vec<_> = lines
            .chunks(lines.len() / 4 + 1)
            .map(|chunk| {
                scope.spawn(move || {
                    chunk
                        .iter()
                        .map(|l| compact_of(common::analyzer(), l))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("thread"))
            .collect()
    });
    assert_eq!(alone, threaded);
}

#[test]
fn the_cost_only_and_tag_on_demand_searches_agree_with_analyze() {
    // Every line of the sample, then a short join question after a long line (the search
    // buffers keep the long line's room): the same path, cost, offsets and tags.
    let analyzer = common::analyzer();
    let text = common::sample_text();
    let mut lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    lines.push("때문에 온라인으로");
    let mut morphemes = Vec::new();
    for line in lines {
        let analysis = analyzer.analyze(line).expect("analyze");
        assert_eq!(analyzer.path_cost(line), analysis.path_cost, "{line}");
        assert_eq!(analyzer.morphemes(line, &mut morphemes), analysis.path_cost);
        assert_eq!(morphemes.len(), analysis.tokens.len(), "{line}");
        for (m, t) in morphemes.iter().zip(&analysis.tokens) {
            assert_eq!((m.start, m.end), (t.start, t.end), "{line}");
            assert_eq!(analyzer.pos(m), &*t.pos, "{line}");
        }
    }
    // The join gain is the spaced analysis's cost minus the joined one's.
    let spaced = analyzer.analyze("때문 에").expect("analyze").path_cost;
    let joined = analyzer.analyze("때문에").expect("analyze").path_cost;
    assert_eq!(
        analyzer.join_gain("어려웠기 때문", "에 온라인으로"),
        Some(spaced - joined)
    );
}
