//! Markdown input end to end: a booklet written as Markdown (every construct a conversion
//! tool writes) goes through the whole pipeline; format detection keeps plain text on the
//! text path.

mod common;

use std::path::Path;

use jaryo::document::{BlockType, Document};
use jaryo::model::Format;
use jaryo::pipeline::{process_file, PipelineOptions};

/// A booklet in Markdown with its lines taken from the sample booklet.
const BOOKLET: &str = r#"# 2020년 서울시 사회적경제 생태계 구축 성과 포럼

일시: 2020년 12월 **서울시** 온라인 생중계

<!-- page 2 -->

## [발제1] 서울시 사회적경제 정책 성과

서울시 사회적경제는 지난 8년간
양적 성장을 이루었다.[^1]

- 사회적기업 육성
- 협동조합 활성화

1. 생태계 조성
2. 판로 확대

> 사회적경제는 사람 중심의 경제이다.

| 구분 | 2019 | 2020 |
|------|-----:|-----:|
| 사회적기업 | 10 | 12 |
| 협동조합 | 20 | 25 |

<!-- page 3 -->

토론 1
------

<table>
<tr><th rowspan="2">구분</th><th colspan="2">기업 수</th></tr>
<tr><th>2019</th><th>2020</th></tr>
<tr><td>마을기업</td><td>5<br>(추정)</td><td>7</td></tr>
</table>

![사회적경제 생태계 구조도](fig1.png)

```mermaid
graph TD
A[서울시] --> B[자치구]
```

$$
y = ax + b
$$

[^1]: 서울시 사회적경제 실태조사 (2020)
"#;

fn run(dir: &Path, name: &str, text: &str) -> Document {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("temp file");
    match process_file(&path, &PipelineOptions::default(), common::analyzer()) {
        Ok(document) => document,
        Err(e) => panic!("{name}: {e}"),
    }
}

#[test]
fn every_markdown_construct_becomes_its_block() {
    let dir = tempfile::tempdir().expect("temp dir");
    let document = run(dir.path(), "booklet.md", BOOKLET);
    assert_eq!(document.source.format, Format::Markdown);
    assert_eq!(document.source.pages, 3);
    assert_eq!(
        document.title.as_deref(),
        Some("2020년 서울시 사회적경제 생태계 구축 성과 포럼")
    );
    for block in &document.blocks {
        if matches!(block.kind, BlockType::Heading | BlockType::Title) {
            assert!(!block.text.contains('#'), "{block:?}");
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
        (Some(2), Some(2), Some([7, 7]))
    );
    let setext = find(BlockType::Heading, "토론 1");
    assert_eq!((setext.level, setext.page), (Some(2), Some(3)));
    let paragraph = find(BlockType::Paragraph, "지난 8년간");
    assert!(
        paragraph.text.contains("8년간 양적 성장"),
        "{:?}",
        paragraph.text
    );
    let bold = find(BlockType::Paragraph, "온라인 생중계");
    let [start, end] = bold.emphasis[0];
    assert_eq!(bold.text.get(start..end), Some("서울시"));
    assert_eq!(
        find(BlockType::ListItem, "협동조합 활성화")
            .marker
            .as_deref(),
        Some("-")
    );
    assert_eq!(
        find(BlockType::ListItem, "판로 확대").marker.as_deref(),
        Some("2.")
    );
    find(BlockType::Paragraph, "사람 중심의 경제");
    assert_eq!(
        find(BlockType::Footnote, "실태조사").marker.as_deref(),
        Some("1")
    );
    let figure = find(BlockType::Figure, "구조도");
    assert_eq!(figure.page, Some(3));
    let mermaid = find(BlockType::Figure, "graph TD");
    let source = mermaid.figure.as_ref().expect("figure source");
    assert_eq!(source.language.as_deref(), Some("mermaid"));
    assert!(source.source.contains("A[서울시] --> B[자치구]"));
    let equation = find(BlockType::Figure, "y = ax + b");
    assert_eq!(
        equation.figure.as_ref().and_then(|f| f.language.as_deref()),
        Some("equation")
    );

    let tables: Vec<_> = document
        .blocks
        .iter()
        .filter_map(|b| b.table.as_ref().map(|t| (b, t)))
        .collect();
    assert_eq!(tables.len(), 2, "{tables:#?}");
    let (pipe_block, pipe) = tables[0];
    assert_eq!(pipe_block.page, Some(2));
    assert_eq!(pipe.header_rows, 1);
    assert_eq!(pipe.rows[0], ["구분", "2019", "2020"]);
    assert_eq!(pipe.rows[2], ["협동조합", "20", "25"]);
    let (html_block, html) = tables[1];
    assert_eq!(html_block.page, Some(3));
    assert_eq!(html.header_rows, 2);
    let spans: Vec<_> = html
        .cells
        .iter()
        .map(|c| (c.row, c.col, c.row_span, c.col_span, c.text.as_str()))
        .collect();
    assert_eq!(spans[0], (0, 0, 2, 1, "구분"));
    assert_eq!(spans[1], (0, 1, 1, 2, "기업 수"));
    assert_eq!(spans[2], (1, 1, 1, 1, "2019"));
    // The `<br>` made two cell lines; the document joins them with a space.
    assert!(spans.contains(&(2, 1, 1, 1, "5 (추정)")), "{spans:?}");
}

#[test]
fn plain_text_stays_on_the_text_path() {
    let dir = tempfile::tempdir().expect("temp dir");
    // The sample booklet's opening, saved as `.md`: no Markdown constructs, so it reads as
    // text (its `#마을` hashtags are not headings).
    let sample = common::sample_text();
    let opening: String = sample.lines().take(400).collect::<Vec<_>>().join("\n");
    let as_md = run(dir.path(), "opening.md", &opening);
    assert_eq!(as_md.source.format, Format::Text);
    let as_txt = run(dir.path(), "opening.txt", &opening);
    assert_eq!(as_txt.source.format, Format::Text);
    assert_eq!(as_md.blocks.len(), as_txt.blocks.len());
    // The sample itself stays text, whole.
    let source =
        jaryo::source::read(&common::repo_root().join("input/seoul_social_economy_forum_2020.txt"))
            .expect("sample");
    assert_eq!(source.format, Format::Text);
    // A `.txt` that Markdown tools wrote (ATX headings) is read as Markdown.
    let written = run(dir.path(), "booklet.txt", BOOKLET);
    assert_eq!(written.source.format, Format::Markdown);
}
