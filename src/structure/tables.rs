//! Tables: tab-separated rows (the text path's tables, and the PDF engine's `Line::table`
//! rows whose cells it separates with `\t`) become a 2-D array of clean cells with the
//! number of header rows. Empty cells are kept so columns stay aligned; HTML residue inside
//! cells becomes plain text with one item per line; `**…**` is removed and remembered.

use crate::document::Table;
use crate::model::Line;

use super::rules::{
    CELL_INLINE_BULLET, CELL_INLINE_DASH, EMPHASIS_MARK, HEADER_WORDS, HTML_LINE_BREAK, HTML_TAG,
};
use super::text::strip_markdown_emphasis;

/// Whether a line is a table row: the PDF engine put it in a table, or (text path) its cells
/// are separated by tabs.
pub fn is_row(line: &Line) -> bool {
    line.table.is_some() || line.text.contains('\t')
}

/// Whether `next` continues the table that `previous` belongs to.
pub fn continues(previous: &Line, next: &Line) -> bool {
    match (previous.table, next.table) {
        (Some(a), Some(b)) => a == b,
        (None, None) => is_row(next) && !next.starts_paragraph,
        _ => false,
    }
}

/// One cell's text made clean: HTML residue turned into line breaks between items, inline
/// bullets (`•`, `↳`) and run-together dash items put on their own lines, spaces collapsed.
/// Returns the text and whether it carried `**` emphasis.
pub fn clean_cell(raw: &str) -> (String, bool) {
    let emphasised = raw.contains(EMPHASIS_MARK);
    let (text, _) = strip_markdown_emphasis(raw, &[]);
    let text = HTML_LINE_BREAK.replace_all(&text, "\n");
    let text = HTML_TAG.replace_all(&text, " ");
    let text = CELL_INLINE_BULLET.replace_all(&text, |c: &regex::Captures| match &c["b"] {
        "↳" => "\n↳ ".to_string(),
        _ => "\n".to_string(),
    });
    let text = if text.trim_start().starts_with('-') {
        CELL_INLINE_DASH.replace_all(&text, "\n-$next").into_owned()
    } else {
        text.into_owned()
    };
    let lines: Vec<String> = text
        .lines()
        .map(|l| {
            let l = l.trim().trim_start_matches(['•', '▪', '◦']).trim();
            l.split_whitespace().collect::<Vec<_>>().join(" ")
        })
        .filter(|l| !l.is_empty())
        .collect();
    (lines.join("\n"), emphasised)
}

fn is_numeric(cell: &str) -> bool {
    let t = cell.trim();
    !t.is_empty()
        && t.chars()
            .all(|c| c.is_ascii_digit() || ",.%()-+~ ".contains(c))
}

/// Whether a row reads as a header: short labels, no numbers, or known header words.
fn looks_like_header(row: &[String]) -> bool {
    let filled: Vec<&String> = row.iter().filter(|c| !c.trim().is_empty()).collect();
    if filled.is_empty() {
        return false;
    }
    if filled.iter().any(|c| HEADER_WORDS.is_match(c.trim())) {
        return true;
    }
    filled
        .iter()
        .all(|c| !is_numeric(c) && c.chars().count() <= 24 && !c.contains('\n'))
}

/// How many leading rows are headers: the first row when it reads as one; a second row when
/// it repeats the first or when the first has spanned (empty) cells and the second also reads
/// as labels.
pub fn header_rows(rows: &[Vec<String>]) -> usize {
    if rows.len() < 2 || !looks_like_header(&rows[0]) {
        return 0;
    }
    let first_has_spans = rows[0].iter().any(|c| c.trim().is_empty());
    if rows.len() > 2 && (rows[1] == rows[0] || (first_has_spans && looks_like_header(&rows[1]))) {
        return 2;
    }
    1
}

/// A table from its row lines, with a plain rendering (cells separated by tabs, rows by
/// newlines, line breaks inside cells as spaces) and the emphasised ranges of that rendering.
pub fn build(rows: &[&Line]) -> (Table, String, Vec<[usize; 2]>) {
    let mut cells: Vec<Vec<(String, bool)>> = rows
        .iter()
        .map(|l| l.text.split('\t').map(clean_cell).collect())
        .collect();
    let width = cells.iter().map(Vec::len).max().unwrap_or(0);
    for row in &mut cells {
        row.resize(width, (String::new(), false));
    }
    let mut text = String::new();
    let mut emphasis = Vec::new();
    for (r, row) in cells.iter().enumerate() {
        if r > 0 {
            text.push('\n');
        }
        for (c, (cell, emphasised)) in row.iter().enumerate() {
            if c > 0 {
                text.push('\t');
            }
            let start = text.len();
            text.push_str(&cell.replace('\n', " "));
            if *emphasised && text.len() > start {
                emphasis.push([start, text.len()]);
            }
        }
    }
    let rows: Vec<Vec<String>> = cells
        .into_iter()
        .map(|row| row.into_iter().map(|(c, _)| c).collect())
        .collect();
    let header_rows = header_rows(&rows);
    (
        Table {
            rows,
            header_rows,
            caption: None,
            cells: Vec::new(),
            pages: Vec::new(),
        },
        text,
        emphasis,
    )
}

/// The table as CSV (RFC 4180: fields with commas, quotes or line breaks are quoted).
pub fn to_csv(table: &Table) -> String {
    let mut out = String::new();
    for row in &table.rows {
        let fields: Vec<String> = row
            .iter()
            .map(|cell| {
                if cell.contains([',', '"', '\n', '\r']) {
                    format!("\"{}\"", cell.replace('"', "\"\""))
                } else {
                    cell.clone()
                }
            })
            .collect();
        out.push_str(&fields.join(","));
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ul_residue_becomes_items_on_their_own_lines() {
        let (cell, _) = clean_cell(
            r#"<ul style="list-style-type: none"> 지역단위 사회적경제 생태계 조성전략 및 연차별 목표수립 지역에 기반한"#,
        );
        assert_eq!(
            cell,
            "지역단위 사회적경제 생태계 조성전략 및 연차별 목표수립 지역에 기반한"
        );
        let (cell, _) = clean_cell(
            r#"<p>사회경제적 인식개선</p> <ul style="list-style-type: none"> • 다양한 수준의 여가데이 및 저비용을 통한 지역혁신 • 지역의 다양한 활동과 사회경제조직의 연계를 통한 인식개선"#,
        );
        assert_eq!(
            cell,
            "사회경제적 인식개선\n다양한 수준의 여가데이 및 저비용을 통한 지역혁신\n지역의 다양한 활동과 사회경제조직의 연계를 통한 인식개선"
        );
        let (cell, _) = clean_cell("<li>하나</li><li>둘</li>");
        assert_eq!(cell, "하나\n둘");
        let (cell, _) = clean_cell("첫째<br>둘째");
        assert_eq!(cell, "첫째\n둘째");
    }

    #[test]
    fn inline_items_and_arrows_split() {
        let (cell, _) =
            clean_cell("• 민관 운영회의 및 민관 정책간담회 • 정책화 • 지역전략수립워크숍");
        assert_eq!(
            cell,
            "민관 운영회의 및 민관 정책간담회\n정책화\n지역전략수립워크숍"
        );
        let (cell, _) = clean_cell("-민간의 주도성 기반 구축 -행정의 실행단위 참여");
        assert_eq!(cell, "-민간의 주도성 기반 구축\n-행정의 실행단위 참여");
        let (cell, _) =
            clean_cell("행정 견인을 위한 민간의 역량 강화 ↳ 수탁법인의 대 행정/의회역할 필요");
        assert_eq!(
            cell,
            "행정 견인을 위한 민간의 역량 강화\n↳ 수탁법인의 대 행정/의회역할 필요"
        );
    }

    #[test]
    fn emphasis_is_removed_from_cells() {
        let (cell, emphasised) = clean_cell("**광역 및 자치구전략사업 공통영선**");
        assert_eq!(cell, "광역 및 자치구전략사업 공통영선");
        assert!(emphasised);
    }

    #[test]
    fn empty_cells_keep_columns_aligned() {
        // Sample lines 22-25: a spanned two-row header.
        let rows = [
            Line::with_text("생태계사업단\t\t\t통합지원센터\t\t\t\t\t"),
            Line::with_text("1년차\t2년차\t3년차\t1년차\t2년차\t3년차\t4년차\t5년차\t6년차"),
            Line::with_text("-\t2개소\t1개소\t4개소\t1개소\t1개소\t4개소\t2개소\t8개소"),
        ];
        let refs: Vec<&Line> = rows.iter().collect();
        let (table, text, _) = build(&refs);
        assert_eq!(table.rows.len(), 3);
        assert!(table.rows.iter().all(|r| r.len() == 9));
        assert_eq!(table.rows[0][3], "통합지원센터");
        assert_eq!(table.rows[0][1], "");
        assert_eq!(table.header_rows, 2);
        assert!(text.starts_with("생태계사업단\t\t\t통합지원센터"));
    }

    #[test]
    fn numeric_first_rows_are_not_headers() {
        let rows = [
            Line::with_text("2016\t12\t65"),
            Line::with_text("2017\t10\t75"),
        ];
        let refs: Vec<&Line> = rows.iter().collect();
        assert_eq!(build(&refs).0.header_rows, 0);
        // A header repeated by the OCR (sample lines 2151-2152) counts twice.
        let rows = [
            Line::with_text("구분\t평가"),
            Line::with_text("구분\t평가"),
            Line::with_text("한계점\t많음"),
        ];
        let refs: Vec<&Line> = rows.iter().collect();
        assert_eq!(build(&refs).0.header_rows, 2);
    }

    #[test]
    fn csv_quotes_what_needs_quoting() {
        let table = Table {
            rows: vec![
                vec!["구분".into(), "내용".into()],
                vec!["강서, 종로".into(), "첫째\n둘째".into()],
            ],
            header_rows: 1,
            caption: None,
            cells: Vec::new(),
            pages: Vec::new(),
        };
        assert_eq!(
            to_csv(&table),
            "구분,내용\r\n\"강서, 종로\",\"첫째\n둘째\"\r\n"
        );
    }
}
