//! HTML input end to end: a page with every construct a conversion tool writes (headings,
//! Korean paragraphs, lists, a quote, a table with merged cells, an image, code, page markers)
//! goes through the whole pipeline into the same blocks as its Markdown would; no tag, script
//! or style text reaches a block.

mod common;

use std::path::Path;

use jaryo::document::{BlockType, Document};
use jaryo::model::Format;
use jaryo::pipeline::{process_file, PipelineOptions};

/// A booklet page in HTML with its lines taken from the sample booklet.
const BOOKLET: &str = r#"<!DOCTYPE html>
<html lang="ko">
<head>
<meta charset="utf-8">
<title>자료집</title>
<style>p { color: red; }</style>
</head>
<body>
<h1>2020년 서울시 사회적경제 생태계 구축 성과 포럼</h1>
<p>일시: 2020년 12월 <strong>서울시</strong> 온라인 생중계</p>
<script>var tracker = "<p>숨은 글</p>";</script>
<!-- page 2 -->
<h2>[발제1] 서울시 사회적경제 정책 성과</h2>
<p>서울시 사회적경제는 지난 8년간
   양적 성장을 이루었다.</p>
<ul>
  <li>사회적기업 육성</li>
  <li>협동조합 활성화
</ul>
<ol start="3"><li>생태계 조성</li><li>판로 확대</li></ol>
<blockquote><p>사회적경제는 사람 중심의 경제이다.</p></blockquote>
<div class="page" data-page="3">
<h3>토론 1</h3>
<table>
<tr><th rowspan="2">구분</th><th colspan="2">기업 수</th></tr>
<tr><th>2019</th><th>2020</th></tr>
<tr><td>기업&amp;조합</td><td>5<br>(추정)</td><td>7</td></tr>
</table>
<p><img src="fig1.png" alt="사회적경제 생태계 구조도"></p>
<pre class="mermaid">graph TD
A[서울시] --&gt; B[자치구]</pre>
<p>사회적경제&nbsp;기업의 &#39;판로&#39;를 넓힌다. <em>끝</em></p>
</div>
</body>
</html>
"#;

fn run(dir: &Path, name: &str, text: &str) -> Document {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("temp file");
    match process_file(&path, &PipelineOptions::default(), common::analyzer()) {
        Ok(document) => document,
        Err(e) => panic!("{name}: {e}"),
    }
}

/// Whether `text` holds what looks like a tag: `<` then a letter, `/` or `!`.
fn has_tag(text: &str) -> bool {
    text.as_bytes()
        .windows(2)
        .any(|w| w[0] == b'<' && (w[1].is_ascii_alphabetic() || w[1] == b'/' || w[1] == b'!'))
}

#[test]
fn every_html_construct_becomes_its_block() {
    let dir = tempfile::tempdir().expect("temp dir");
    let document = run(dir.path(), "booklet.html", BOOKLET);
    assert_eq!(document.source.format, Format::Html);
    assert_eq!(document.source.pages, 3);
    assert_eq!(
        document.title.as_deref(),
        Some("2020년 서울시 사회적경제 생태계 구축 성과 포럼")
    );
    for block in &document.blocks {
        assert!(!has_tag(&block.text), "tag text in {block:?}");
        for dropped in [
            "tracker",
            "숨은 글",
            "color",
            "자료집",
            "DOCTYPE",
            "&amp;",
            "&nbsp;",
        ] {
            assert!(!block.text.contains(dropped), "{dropped:?} in {block:?}");
        }
    }
    let find = |kind: BlockType, text: &str| {
        document
            .blocks
            .iter()
            .find(|b| b.kind == kind && b.text.contains(text))
            .unwrap_or_else(|| panic!("no {kind:?} block with {text:?}: {:#?}", document.blocks))
    };
    let heading = find(BlockType::Heading, "[발제1]");
    assert_eq!(
        (heading.level, heading.page, heading.lines),
        (Some(2), Some(2), Some([13, 13]))
    );
    let sub = find(BlockType::Heading, "토론 1");
    assert_eq!((sub.level, sub.page), (Some(3), Some(3)));
    // HTML whitespace collapses: the source's line break and indent are one space.
    let paragraph = find(BlockType::Paragraph, "지난 8년간");
    assert!(
        paragraph.text.contains("8년간 양적 성장을 이루었다."),
        "{:?}",
        paragraph.text
    );
    assert_eq!(paragraph.lines.map(|l| l[0]), Some(14));
    let bold = find(BlockType::Paragraph, "온라인 생중계");
    let [start, end] = bold.emphasis[0];
    assert_eq!(bold.text.get(start..end), Some("서울시"));
    assert_eq!(bold.page, Some(1));
    // An `<li>` left open ends at the list's end.
    let open = find(BlockType::ListItem, "협동조합 활성화");
    assert_eq!(open.marker.as_deref(), Some("-"));
    assert_eq!(open.text, "협동조합 활성화");
    assert_eq!(
        find(BlockType::ListItem, "판로 확대").marker.as_deref(),
        Some("4.")
    );
    find(BlockType::Paragraph, "사람 중심의 경제");
    let entities = find(BlockType::Paragraph, "판로'를");
    assert!(
        entities
            .text
            .starts_with("사회적경제 기업의 '판로'를 넓힌다. 끝"),
        "{:?}",
        entities.text
    );
    let figure = find(BlockType::Figure, "구조도");
    assert_eq!(figure.page, Some(3));
    let mermaid = find(BlockType::Figure, "graph TD");
    let source = mermaid.figure.as_ref().expect("figure source");
    assert_eq!(source.language.as_deref(), Some("mermaid"));
    assert!(
        source.source.contains("A[서울시] --> B[자치구]"),
        "{source:?}"
    );

    let tables: Vec<_> = document
        .blocks
        .iter()
        .filter_map(|b| b.table.as_ref().map(|t| (b, t)))
        .collect();
    assert_eq!(tables.len(), 1, "{tables:#?}");
    let (block, table) = tables[0];
    assert_eq!(block.page, Some(3));
    assert_eq!(table.header_rows, 2);
    let spans: Vec<_> = table
        .cells
        .iter()
        .map(|c| (c.row, c.col, c.row_span, c.col_span, c.text.as_str()))
        .collect();
    assert_eq!(spans[0], (0, 0, 2, 1, "구분"));
    assert_eq!(spans[1], (0, 1, 1, 2, "기업 수"));
    assert_eq!(spans[2], (1, 1, 1, 1, "2019"));
    assert!(spans.contains(&(2, 0, 1, 1, "기업&조합")), "{spans:?}");
    assert!(spans.contains(&(2, 1, 1, 1, "5 (추정)")), "{spans:?}");
}

#[test]
fn page_markers_inside_lines_and_hexadecimal_page_numbers() {
    let dir = tempfile::tempdir().expect("temp dir");
    // A comment in the middle of a line, and pdf2htmlEX's hexadecimal `data-page-no`.
    let text = "<p>첫 쪽</p><!-- page 2 --><p>둘째 쪽</p>\n<div class=\"pf\" data-page-no=\"a\"><p>열째 쪽</p></div>\n";
    let document = run(dir.path(), "pages.htm", text);
    assert_eq!(document.source.format, Format::Html);
    let page_of = |text: &str| {
        document
            .blocks
            .iter()
            .find(|b| b.text.contains(text))
            .and_then(|b| b.page)
    };
    assert_eq!(page_of("첫 쪽"), Some(1));
    assert_eq!(page_of("둘째 쪽"), Some(2));
    assert_eq!(page_of("열째 쪽"), Some(10));
}

#[test]
fn an_unclosed_table_is_read_as_text() {
    let dir = tempfile::tempdir().expect("temp dir");
    let text = "<h2>표</h2>\n<table><tr><td>사회적기업</td><td>10</td>\n<p>다음 문단</p>\n";
    let document = run(dir.path(), "broken.html", text);
    assert!(document.blocks.iter().all(|b| b.table.is_none()));
    assert!(document.blocks.iter().any(|b| b.text.contains("다음 문단")));
    assert!(document
        .blocks
        .iter()
        .any(|b| b.text.contains("사회적기업")));
    assert!(document.blocks.iter().all(|b| !has_tag(&b.text)));
}
