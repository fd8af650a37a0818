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

#[test]
fn no_hash_survives_in_a_title_or_heading() {
    let dir = tempfile::tempdir().expect("temp dir");
    // Closing hashes, runs of spaces, an empty heading and a setext heading; `#마을` in the
    // body is a hashtag (sample line 1582), not a heading.
    let text = "# 2021년 포럼 자료집 #\n\n## [발제1] 서울시 사회적경제 정책 성과 ##\n\n###   토론 1   ###\n\n#\n\n부록1. 기본 정보\n===\n\n#마을, 자치, 사회적경제가 만나다\n";
    let document = run(dir.path(), "hashes.md", text);
    assert_eq!(document.title.as_deref(), Some("2021년 포럼 자료집"));
    let headings: Vec<&str> = document
        .blocks
        .iter()
        .filter(|b| matches!(b.kind, BlockType::Heading | BlockType::Title))
        .map(|b| b.text.as_str())
        .collect();
    assert!(headings.len() >= 3, "{headings:?}");
    assert!(headings.iter().all(|h| !h.contains('#')), "{headings:?}");
    assert!(document
        .blocks
        .iter()
        .any(|b| b.text.starts_with("#마을, 자치")));
}

#[test]
fn an_html_caption_names_its_table_and_a_fenced_marker_is_no_page() {
    let dir = tempfile::tempdir().expect("temp dir");
    // Sample lines 720-721 as MinerU writes a table with its caption.
    let text = "<table><caption>사업주체별 역할</caption>\n<tr><th>주체</th><th>추진사항</th></tr>\n<tr><td>서울시</td><td>지역특화사업 기본계획 수립</td></tr>\n</table>\n\n```\n<!-- page 5 -->\n```\n\n끝\n";
    let document = run(dir.path(), "caption.md", text);
    assert_eq!(document.source.pages, 1);
    let table = document
        .blocks
        .iter()
        .find_map(|b| b.table.as_ref())
        .expect("table");
    let caption = table.caption.as_deref().expect("caption attached");
    let caption = document
        .blocks
        .iter()
        .find(|b| b.id == caption)
        .expect("caption block");
    assert_eq!(
        (caption.kind, caption.text.as_str()),
        (BlockType::Caption, "사업주체별 역할")
    );
    assert!(document
        .blocks
        .iter()
        .any(|b| b.kind == BlockType::Figure && b.text.contains("<!-- page 5 -->")));
}
