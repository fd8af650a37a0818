//! Layout rules of the PDF path on the fixture PDFs in `tests/pdf_layout/` (printed by Chromium
//! from lines of the sample booklet by `scripts/make_pdf_layout_fixtures.py`).

use std::path::PathBuf;

use jaryo::extract::pdf::extract_bytes;
use jaryo::extract::ExtractOptions;
use jaryo::model::{ExtractedDocument, Line, LineRole, SpanKind, TableOrigin, WrapHabit};

fn fixture(name: &str) -> ExtractedDocument {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/pdf_layout")
        .join(name);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    extract_bytes(&bytes, &ExtractOptions::default()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn body_lines(doc: &ExtractedDocument) -> Vec<&Line> {
    doc.pages
        .iter()
        .flat_map(|p| &p.lines)
        .filter(|l| l.role == LineRole::Body)
        .collect()
}

fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

// The paragraphs the fixtures print (input/seoul_social_economy_forum_2020.txt, [발제1]).
const PARA1: &str = "자치구 사회적경제 생태계 권역별로 진행한 사전포럼 과정을 통해 자치구 생태계 구축의 성과는 무엇이지, 그것을 기반으로 앞으로 서울과 자치구가 함께 가져야가 하는 공동전략이 무엇인지 살펴보도록 하겠습니다.";
const PARA2: &str = "자치구 생태계구축사업은 2012에 시작되면서 10년차에 도래하는 시기입니다. 10년차이면 큰 변화가 있는 시기인데 자치구 사업들 돌아보면 일몰제를 연장하느냐 아니냐에 대한 이슈에 스스로 매몰되었던 것은 아닌가 생각해봅니다. 그런 연장과 폐지를 논의하는 과정 속에서 어느덧 내년에는 실제로 1,2기 센터의 사업이 종료되는 시기가 도래했습니다.";
const PARA3: &str = "그 과정에서 우리가 함께 이루어온 생태계 구축사업에 대한 의미와 성과에 대해서 충분히 논의하거나 공감하는 시간을 갖지 못한 아쉬움이 있습니다. 또 초기에 사업을 시작할 때는 광역에서 함께 설계하고 성과와 과제 논의하면 peer supervision하는 시간들이 많았는데 어느순간 사람과 제도가 바뀌면서 서로 이해하고 공유하는 것이 부족 했고, 사업에 참여하는 지역들이 늘어나면서 각 지역의 특성에 맞게 다양하게 펼쳐나가고 있습니다.";
const PARA4: &str = "이루어졌지만 결과나 과정이 현장과 공감하고 이해하는 평가의 기회들이 부족했던 아쉬움이 있습니다. 그러나 아쉬움에 멈춰있을 수 없기 때문에 새로운 10년을 준비하며 우리를 스스로 회고하고 점검하면서 내부자적 관점에서 우리 안으로부터 공감대를 만들며, 자치구 생태계 구축 전략 2.0(가칭)수립 기반조성을 생각하면서 발제를 준비하였습니다.";

#[test]
fn two_columns_are_read_down_the_left_then_the_right() {
    let doc = fixture("two_column.pdf");
    let text: String = body_lines(&doc).iter().map(|l| squeeze(&l.text)).collect();
    let expected = squeeze(&format!(
        "2020년 서울시 사회적경제 생태계 구축 성과 포럼 자치구별 사회적경제 통합지원센터 현황과 전략과제 {PARA1}{PARA2}{PARA3}{PARA4}"
    ));
    assert_eq!(text, expected);
    let columns: Vec<u32> = body_lines(&doc).iter().map(|l| l.column).collect();
    assert!(
        columns.contains(&1),
        "the right column is numbered 1: {columns:?}"
    );
    assert!(
        columns.windows(2).all(|w| w[0] <= w[1]),
        "columns in reading order: {columns:?}"
    );
}

#[test]
fn justified_korean_keeps_its_word_spaces() {
    // Every line's text, spaces included, appears in the paragraph it was printed from.
    let doc = fixture("one_column.pdf");
    let source = [PARA1, PARA2, PARA3, PARA4].join(" ");
    let mut checked = 0;
    for line in body_lines(&doc) {
        if line.text.starts_with("[발제1]") || line.text.starts_with("중랑구") {
            continue;
        }
        assert!(
            source.contains(&line.text),
            "spacing differs: {:?}",
            line.text
        );
        checked += 1;
    }
    assert!(checked >= 15, "only {checked} lines checked");
}

#[test]
fn running_header_and_page_numbers_are_furniture() {
    let doc = fixture("one_column.pdf");
    for page in &doc.pages {
        let header: Vec<&Line> = page
            .lines
            .iter()
            .filter(|l| l.text.contains("성과 포럼"))
            .collect();
        assert_eq!(header.len(), 1, "page {}", page.number);
        assert_eq!(
            header[0].role,
            LineRole::RunningHeader,
            "page {}",
            page.number
        );
        let number = page
            .lines
            .iter()
            .find(|l| l.text.starts_with("- "))
            .expect("a page number");
        assert_eq!(number.role, LineRole::PageNumber);
    }
    assert!(body_lines(&doc)
        .iter()
        .all(|l| !l.text.contains("성과 포럼")));
}

#[test]
fn paragraphs_start_where_the_printed_paragraphs_start() {
    let doc = fixture("one_column.pdf");
    let starts: Vec<String> = body_lines(&doc)
        .iter()
        .filter(|l| l.starts_paragraph)
        .map(|l| l.text.chars().take(8).collect())
        .collect();
    assert_eq!(
        starts,
        vec![
            "[발제1] 자치",
            "자치구 사회적경",
            "자치구 생태계구",
            "중랑구1의 경우",
            "이루어졌지만 결",
            "자치구 생태계구",
            "그 과정에서 우",
            "자치구 사회적경"
        ]
    );
}

#[test]
fn footnote_marker_is_a_superscript_span() {
    let doc = fixture("one_column.pdf");
    let line = body_lines(&doc)
        .into_iter()
        .find(|l| l.text.starts_with("중랑구1의 경우"))
        .expect("the footnote line");
    let span = line
        .spans
        .iter()
        .find(|s| s.kind == SpanKind::Superscript)
        .expect("a superscript span");
    assert_eq!(&line.text[span.start..span.end], "1");
}

#[test]
fn image_only_page_is_flagged_and_the_others_keep_their_text() {
    let doc = fixture("image_page.pdf");
    assert_eq!(doc.pages.len(), 3);
    let image_page = &doc.pages[1];
    assert!(!image_page.facts.text_layer);
    assert!(image_page.lines.is_empty());
    assert!(image_page
        .facts
        .flags
        .iter()
        .any(|f| f.kind == "no_text_layer"));
    for page in [&doc.pages[0], &doc.pages[2]] {
        assert!(
            page.facts.text_layer && page.facts.flags.is_empty(),
            "{:?}",
            page.facts
        );
    }
}

#[test]
fn shadow_copies_of_glyphs_are_dropped() {
    let doc = fixture("shadow_text.pdf");
    let all: String = doc.pages[0]
        .lines
        .iter()
        .map(|l| l.text.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    assert_eq!(all.matches("별첨").count(), 1, "{all}");
    assert!(all.contains("【별첨】 일반현황"), "{all}");
}

#[test]
fn a_ruled_table_is_one_typed_table_with_its_cells_at_its_place() {
    let doc = fixture("ruled_table.pdf");
    let page = &doc.pages[0];
    let anchors: Vec<&Line> = page.lines.iter().filter(|l| l.table.is_some()).collect();
    assert_eq!(anchors.len(), 1, "one anchor line for the table");
    assert_eq!(page.tables.len(), 1);
    let table = &page.tables[0];
    assert_eq!((table.rows, table.cols), (3, 3));
    let rows: Vec<Vec<String>> = (0..table.rows)
        .map(|r| {
            table
                .cells
                .iter()
                .filter(|c| c.row == r)
                .map(|c| c.text())
                .collect()
        })
        .collect();
    assert_eq!(
        rows,
        vec![
            vec!["구분", "참여 기관", "참여 인원"],
            // printed with 6pt letter spacing
            vec!["서남권", "마포구사회적경제통합지원센터", "30명"],
            vec!["동북권", "중랑구 사회적경제지원센터", "25명"],
        ]
    );
    assert!(table.cells.iter().all(|c| c.bbox.is_some() && c.page == 1));
    let rows = anchors;
    assert!(rows.iter().all(|l| l.table == rows[0].table));
    // The text after the table comes after it.
    let after = doc.pages[0]
        .lines
        .iter()
        .position(|l| l.text.starts_with("자치구 사회적경제"))
        .expect("text");
    let last_row = doc.pages[0]
        .lines
        .iter()
        .rposition(|l| l.table.is_some())
        .expect("rows");
    assert!(after > last_row);
}

#[test]
fn shading_shows_header_rows_and_a_shaded_label_column_shows_none() {
    // Three tables on one page: a gray header row over a white body; a form whose label
    // column is gray (its first row reads like a header, but is a label and a value); a table
    // shaded only in its last row (shading that says nothing about headers).
    let doc = fixture("shaded_tables.pdf");
    let tables = &doc.pages[0].tables;
    assert_eq!(tables.len(), 3, "{tables:#?}");
    let first_texts: Vec<String> = tables
        .iter()
        .map(|t| t.cells.first().map(|c| c.text()).unwrap_or_default())
        .collect();
    assert_eq!(first_texts, ["구분", "발제자", "서북권"]);
    let headers: Vec<Option<u32>> = tables.iter().map(|t| t.header_rows).collect();
    assert_eq!(headers, [Some(1), Some(0), None]);
    let header_cells: Vec<String> = tables[0]
        .cells
        .iter()
        .filter(|c| c.header)
        .map(|c| c.text())
        .collect();
    assert_eq!(header_cells, ["구분", "참여 기관", "참여 인원"]);
    assert!(tables[1..].iter().flat_map(|t| &t.cells).all(|c| !c.header));
}

/// A table's cell texts, row by row.
fn cell_rows(table: &jaryo::model::Table) -> Vec<Vec<String>> {
    (0..table.rows)
        .map(|r| {
            let mut cells: Vec<&jaryo::model::Cell> =
                table.cells.iter().filter(|c| c.row == r).collect();
            cells.sort_by_key(|c| c.col);
            cells.iter().map(|c| c.text()).collect()
        })
        .collect()
}

#[test]
fn tables_without_vertical_rules_are_read_from_column_alignment() {
    // 서남권 현황 (sample lines 994-1000): between a rule above and below, then with no rules.
    let doc = fixture("aligned_tables.pdf");
    let page = &doc.pages[0];
    assert_eq!(page.tables.len(), 2, "{:#?}", page.tables);
    assert!(page.tables.iter().all(|t| t.origin == TableOrigin::Aligned
        && t.cells.iter().all(|c| c.row_span == 1 && c.col_span == 1)));
    let expected = [
        vec![
            vec!["구", "면적(km2)", "인구수(만명)", "기업개수", "종사자수"],
            vec!["관악구", "30", "51", "26,105", "113,944"],
            vec!["양천구", "17", "46", "26,126", "123,311"],
            vec!["강서구", "41", "54", "38,524", "248,204"],
        ],
        vec![
            vec!["구", "사정기업개수", "매출액(억)"],
            vec!["금천구", "190", "250"],
            vec!["영등포구", "338", "500"],
            vec!["관악구", "193", "300"],
        ],
    ];
    // Every cell where it belongs: cell F1 1.00.
    for (table, expected) in page.tables.iter().zip(expected) {
        assert_eq!(cell_rows(table), expected);
    }
    // Each table sits between the text before and after it.
    let order: Vec<String> = page
        .lines
        .iter()
        .filter(|l| l.role == LineRole::Body)
        .map(|l| match l.table {
            Some(t) => format!("table {t}"),
            None => l.text.clone(),
        })
        .collect();
    let at = |what: &str| order.iter().position(|o| o.starts_with(what));
    let (first, second) = (at("table 0"), at("table 1"));
    assert!(at("서남권 현황은") < first && first.is_some(), "{order:?}");
    assert!(
        first < at("자치구 사회적") && at("자치구 사회적") < second,
        "{order:?}"
    );
    assert!(second < at("자치구 생태계"), "{order:?}");
}

#[test]
fn two_column_prose_and_a_table_of_contents_are_no_aligned_table() {
    let doc = fixture("aligned_near_misses.pdf");
    let tables: Vec<&jaryo::model::Table> = doc.pages.iter().flat_map(|p| &p.tables).collect();
    assert!(tables.is_empty(), "{tables:#?}");
    // The ruled fixtures keep their ruled tables.
    let ruled = fixture("ruled_table.pdf");
    assert!(ruled.pages[0]
        .tables
        .iter()
        .all(|t| t.origin == TableOrigin::Ruled));
}

#[test]
fn alignment_adds_no_table_to_the_shared_documents() {
    // Every block of aligned numbers in these documents (`pdftotext -layout`) sits inside a
    // ruled table, and their justified prose, captions and forms are no tables: a table read
    // from alignment here is a false one.
    let shared = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared");
    let mut paths: Vec<PathBuf> = ["real-pdfs", "hwp-pairs"]
        .iter()
        .filter_map(|dir| std::fs::read_dir(shared.join(dir)).ok())
        .flatten()
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|e| e == "pdf"))
        .collect();
    if paths.is_empty() {
        eprintln!("skipped: ../shared/real-pdfs and ../shared/hwp-pairs missing");
        return;
    }
    paths.sort();
    let mut aligned = Vec::new();
    for path in &paths {
        let Ok(bytes) = std::fs::read(path) else {
            continue;
        };
        let Ok(doc) = extract_bytes(&bytes, &ExtractOptions::default()) else {
            continue;
        };
        for page in &doc.pages {
            for table in page
                .tables
                .iter()
                .filter(|t| t.origin == TableOrigin::Aligned)
            {
                aligned.push(format!(
                    "{} p{}: {:?}",
                    path.display(),
                    page.number,
                    cell_rows(table)
                ));
            }
        }
    }
    assert!(aligned.is_empty(), "{aligned:#?}");
}

#[test]
fn lines_wrapped_inside_a_word_are_left_to_the_analyzer() {
    // Chromium draws no space at the end of a wrapped line: no glyph evidence either way, so
    // `joins_previous_word` stays `None` and the continuation lines do not start paragraphs.
    let doc = fixture("narrow_wrap.pdf");
    let lines = body_lines(&doc);
    let wrapped = lines
        .windows(2)
        .find(|w| w[0].text.ends_with("시") && w[1].text.starts_with("작되면서"))
        .expect("the wrap inside 시작되면서");
    assert!(!wrapped[1].starts_paragraph);
    assert_eq!(wrapped[1].joins_previous_word, None);
}

#[test]
fn password_protected_pdf_needs_its_password() {
    use jaryo::extract::pdf::PdfOpenError;
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/pdf_layout/encrypted.pdf");
    let bytes = std::fs::read(path).expect("fixture");
    let none = extract_bytes(&bytes, &ExtractOptions::default()).err();
    assert_eq!(none, Some(PdfOpenError::PasswordRequired));
    let wrong = extract_bytes(
        &bytes,
        &ExtractOptions {
            password: Some("nope".into()),
            ..ExtractOptions::default()
        },
    )
    .err();
    assert_eq!(wrong, Some(PdfOpenError::WrongPassword));
    let right = extract_bytes(
        &bytes,
        &ExtractOptions {
            password: Some("jaryo".into()),
            ..ExtractOptions::default()
        },
    )
    .expect("decrypted");
    assert!(right.pages[0]
        .lines
        .iter()
        .any(|l| l.text == "【별첨】 일반현황"));
}

#[test]
fn broken_inputs_are_typed_errors() {
    use jaryo::extract::pdf::PdfOpenError;
    let options = ExtractOptions::default();
    assert_eq!(
        extract_bytes(b"PK\x03\x04 not a pdf", &options).err(),
        Some(PdfOpenError::NotPdf)
    );
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/pdf_layout/one_column.pdf");
    let bytes = std::fs::read(path).expect("fixture");
    // Cut in half: the cross-reference table and half the objects are gone.
    match extract_bytes(&bytes[..bytes.len() / 2], &options) {
        Err(PdfOpenError::Damaged(_)) | Err(PdfOpenError::NoPages) => {}
        Ok(doc) => assert!(doc.pages.iter().all(|p| p.lines.len() < 40)),
        Err(other) => panic!("unexpected {other:?}"),
    }
    let empty = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF";
    assert!(matches!(
        extract_bytes(empty, &options).err(),
        Some(PdfOpenError::NoPages) | Some(PdfOpenError::Damaged(_))
    ));
}

fn corpus_fixture(name: &str) -> ExtractedDocument {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/pdf")
        .join(name);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    extract_bytes(&bytes, &ExtractOptions::default()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn a_document_that_breaks_only_at_spaces_has_every_wrap_marked() {
    // justified_narrow is printed with `word-break: keep-all`: its wrapped lines leave room,
    // so every wrap is a word boundary (`민관에서는 … 행정의` / `실행단위 …`).
    let doc = corpus_fixture("justified_narrow.pdf");
    let wraps: Vec<&Line> = body_lines(&doc)
        .into_iter()
        .filter(|l| !l.starts_paragraph)
        .collect();
    assert!(wraps.len() >= 20);
    assert!(
        wraps.iter().all(|l| l.joins_previous_word == Some(false)),
        "{wraps:#?}"
    );
}

#[test]
fn a_document_that_breaks_inside_words_leaves_wraps_to_the_analyzer() {
    // midword_wrap lets Chromium break between any two syllables (`때문` / `에`): no glyph
    // evidence says a wrap is a word boundary.
    let doc = corpus_fixture("midword_wrap.pdf");
    let wraps: Vec<&Line> = body_lines(&doc)
        .into_iter()
        .filter(|l| !l.starts_paragraph)
        .collect();
    assert!(wraps.len() >= 10);
    assert!(
        wraps.iter().all(|l| l.joins_previous_word.is_none()),
        "{wraps:#?}"
    );
    // Its wrapped lines fill the column to within a syllable: the writer breaks anywhere.
    assert!(doc
        .pages
        .iter()
        .all(|p| p.wrap_habit == WrapHabit::Anywhere));
    // justified_narrow (keep-all) breaks only at spaces.
    let keep_all = corpus_fixture("justified_narrow.pdf");
    assert!(keep_all
        .pages
        .iter()
        .all(|p| p.wrap_habit == WrapHabit::AtSpaces));
}
