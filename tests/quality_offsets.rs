//! Flags and tokens carry code-point offsets and the text they point at: sliced the way
//! Python, pandas or DuckDB slice (by code point), `char_start..char_end` gives `text` back,
//! for block flags, table-cell flags and tokens.

mod common;

use jaryo::document::{Block, BlockType, Document, Table};
use jaryo::model::Format;

/// `s[start:end]` in Python: by code points.
fn py_slice(s: &str, start: usize, end: usize) -> String {
    s.chars()
        .skip(start)
        .take(end.saturating_sub(start))
        .collect()
}

fn block(id: &str, text: &str) -> Block {
    Block::new(id, BlockType::Paragraph, text)
}

fn document(blocks: Vec<Block>) -> Document {
    Document::of_blocks("offsets.txt", Format::Text, blocks)
}

#[test]
fn flags_slice_back_to_their_text_by_code_points() {
    // Hangul before the damage makes byte and code-point offsets differ (3 bytes a syllable).
    let paragraph = block("b1", "사회적경제 활성화를 위한 �� 정책 (cid:12) 과제");
    let mut table = block("b2", "");
    table.kind = BlockType::Table;
    table.table = Some(Box::new(Table {
        rows: vec![
            vec!["구분".into(), "성명".into()],
            vec!["참석자".into(), "이름이름이름이름이름이름".into()],
            vec!["서울특별시 사회적경제지원센터".into(), "센터장 �".into()],
        ],
        header_rows: 1,
        caption: None,
        cells: Vec::new(),
        pages: Vec::new(),
        repeated_headers: Vec::new(),
    }));
    let mut doc = document(vec![paragraph, table]);
    jaryo::quality::assess_with(&mut doc, &[], None);

    let block_flags = &doc.blocks[0].quality.flags;
    assert!(!block_flags.is_empty(), "the paragraph carries damage");
    for f in block_flags {
        assert!(!f.text.is_empty(), "{f:?}");
        assert_eq!(f.text, doc.blocks[0].text[f.start..f.end], "{f:?}");
        assert_eq!(
            py_slice(&doc.blocks[0].text, f.char_start, f.char_end),
            f.text,
            "{f:?}"
        );
    }
    let table = doc.blocks[1].table.as_ref().expect("table");
    let cell_flags = &doc.blocks[1].quality.flags;
    assert!(
        cell_flags.iter().any(|f| f.cell == Some([2, 1])),
        "{cell_flags:?}"
    );
    for f in cell_flags {
        let [r, c] = f.cell.expect("a table flag names its cell");
        let cell = &table.rows[r][c];
        assert!(!f.text.is_empty(), "{f:?}");
        assert_eq!(py_slice(cell, f.char_start, f.char_end), f.text, "{f:?}");
    }
    // The JSON carries the new fields.
    let json = serde_json::to_value(&block_flags[0]).expect("flag serialises");
    for key in ["text", "char_start", "char_end", "start", "end"] {
        assert!(json.get(key).is_some(), "{key} missing in {json}");
    }
}

#[test]
fn tokens_slice_back_to_their_text_by_code_points() {
    let line = "2020 서울 사회적경제 포럼: ‘지역과 함께’ — 社會的 經濟 ① 참여자 120명";
    let tokens = common::analyzer().tokenize(line).expect("tokenizes");
    assert!(tokens.len() > 5, "{tokens:?}");
    // As written to the JSON.
    let written = jaryo::document::TokensJson {
        text: line,
        tokens: &tokens,
    };
    for t in written.iter() {
        assert_eq!(py_slice(line, t.char_start, t.char_end), t.text, "{t:?}");
        assert_eq!(&line[t.start..t.end], t.text, "{t:?}");
    }
    // Past the first Hangul the two kinds of offsets really differ.
    assert!(written.iter().any(|t| t.char_start != t.start));
}

#[test]
fn inspect_shows_a_cell_flag_from_its_cell() {
    let mut table = block("b1", "");
    table.kind = BlockType::Table;
    table.table = Some(Box::new(Table {
        rows: vec![vec!["성명".into()], vec!["� 이름".into()]],
        header_rows: 1,
        caption: None,
        cells: Vec::new(),
        pages: Vec::new(),
        repeated_headers: Vec::new(),
    }));
    let mut doc = document(vec![table]);
    jaryo::quality::assess_with(&mut doc, &[], None);
    let report = jaryo::inspect::render(&doc, jaryo::inspect::InspectOptions::default());
    assert!(report.contains("cell [1,0]: \"�\""), "{report}");
}
