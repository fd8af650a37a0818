//! Tables: the typed tables every reader produces (`model::Table`) become the output's table:
//! each cell's lines joined into clean text (wrapped lines by the paragraph word-join rules, so
//! no space lands inside a word; HTML residue turned into one item per line; `**` removed and
//! remembered), the grid as rows (a spanning cell's text at its top-left position), typed cells
//! with spans and provenance, and the number of header rows. A table continued on the next
//! page joins the one before it, its repeated header rows kept apart.

use crate::document::{RepeatedHeader, Table, TableCell};
use crate::model::{self, Line, TableOrigin};

use super::rules::{
    CELL_INLINE_BULLET, CELL_INLINE_DASH, CELL_ITEM_START, EMPHASIS_MARK, HEADER_WORDS,
    HTML_LINE_BREAK, HTML_TAG, LETTER_SPACED_LABEL,
};
use super::text::{strip_markdown_emphasis, TextBuilder, WordJoin};

/// A table block's parts: the output table, its plain rendering (cells separated by tabs,
/// rows by newlines, line breaks inside cells as spaces), the emphasised ranges of that
/// rendering, and the first and last source line (text input).
#[derive(Debug, Clone, PartialEq)]
pub struct Built {
    pub table: Table,
    pub text: String,
    pub emphasis: Vec<[usize; 2]>,
    pub source_lines: Option<[usize; 2]>,
}

/// A cell's lines as one text: a wrapped line joins the one before it by the paragraph rules;
/// a line that starts a paragraph or an item starts a new line of the cell.
fn cell_text(lines: &[Line], join: WordJoin) -> String {
    let mut out = String::new();
    let mut current = TextBuilder::default();
    for (k, line) in lines.iter().enumerate() {
        let starts_item = k > 0 && (line.starts_paragraph || CELL_ITEM_START.is_match(&line.text));
        if starts_item && !current.text.is_empty() {
            out.push_str(&current.text);
            out.push('\n');
            current = TextBuilder::default();
        }
        current.push_wrapped(line, join);
    }
    out.push_str(&current.text);
    out
}

/// A letter-spaced label (`부 동 산 업`, `정 책 책 임 자`: one syllable per word, the way a
/// justified cell spreads a short label) with its spaces removed.
fn collapse_letter_spacing(text: &str) -> Option<String> {
    LETTER_SPACED_LABEL
        .is_match(text)
        .then(|| text.split(' ').collect())
}

/// Builds the output table from a reader's typed table.
pub fn build(table: &model::Table, join: WordJoin) -> Built {
    let rows = table.rows as usize;
    let cols = table.cols as usize;
    let mut grid = vec![vec![(String::new(), false); cols]; rows];
    let mut cells = Vec::with_capacity(table.cells.len());
    for cell in &table.cells {
        let joined = cell_text(&cell.lines, join);
        let (mut text, emphasised) = match table.origin {
            // Text an OCR/layout tool wrote: markup residue and `**` are its artefacts.
            TableOrigin::Delimited | TableOrigin::Markup => clean_cell(&joined),
            // Glyphs on a page or the file's own text: `***`, `<…>` and bullets are content.
            TableOrigin::Ruled | TableOrigin::Aligned | TableOrigin::Hwp => {
                (squeeze_spaces(&joined), false)
            }
        };
        let spaced_as =
            collapse_letter_spacing(&text).map(|collapsed| std::mem::replace(&mut text, collapsed));
        let (r, c) = (cell.row as usize, cell.col as usize);
        if let Some(slot) = grid.get_mut(r).and_then(|row| row.get_mut(c)) {
            *slot = (text.clone(), emphasised);
        }
        cells.push(TableCell {
            row: r,
            col: c,
            row_span: cell.row_span.max(1) as usize,
            col_span: cell.col_span.max(1) as usize,
            text,
            bbox: cell.bbox,
            page: Some(cell.page),
            header: cell.header,
            spaced_as,
        });
    }
    let plain: Vec<Vec<String>> = grid
        .iter()
        .map(|row| row.iter().map(|(c, _)| c.clone()).collect())
        .collect();
    let header_rows = match table.header_rows {
        Some(n) if n > 0 && table.origin == TableOrigin::Ruled => {
            group_labels_below(n as usize, &plain, &cells)
        }
        Some(n) => n as usize,
        None => leading_header_cells(&cells).max(header_rows(&plain, &cells)),
    };
    for cell in &mut cells {
        cell.header |= cell.row < header_rows;
    }
    let (text, emphasis) = render(&grid);
    let source: Vec<usize> = table
        .cells
        .iter()
        .flat_map(|c| c.lines.iter().filter_map(|l| l.source_line))
        .collect();
    let mut pages: Vec<u32> = table.cells.iter().map(|c| c.page).collect();
    pages.sort_unstable();
    pages.dedup();
    Built {
        table: Table {
            rows: plain,
            header_rows,
            caption: None,
            cells,
            pages,
            repeated_headers: Vec::new(),
        },
        text,
        emphasis,
        source_lines: source
            .iter()
            .min()
            .zip(source.iter().max())
            .map(|(a, b)| [*a, *b]),
    }
}

/// The plain rendering of a grid of `(text, emphasised)` cells and its emphasised ranges.
fn render(grid: &[Vec<(String, bool)>]) -> (String, Vec<[usize; 2]>) {
    let mut text = String::new();
    let mut emphasis = Vec::new();
    for (r, row) in grid.iter().enumerate() {
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
    (text, emphasis)
}

/// The plain rendering of a table's rows (no emphasis).
pub fn render_rows(rows: &[Vec<String>]) -> String {
    let grid: Vec<Vec<(String, bool)>> = rows
        .iter()
        .map(|row| row.iter().map(|c| (c.clone(), false)).collect())
        .collect();
    render(&grid).0
}

/// A PDF's drawn header rows (`n`), and the row under them when the last one only groups
/// columns and the next row reads as their labels: sample page 3 shades `생태계사업단 | | |
/// 통합지원센터 | …` but not the `1년차 | 2년차 | …` under it. A row groups columns when each
/// of its labels covers two columns or more, by its span or by empty cells right of it.
fn group_labels_below(n: usize, rows: &[Vec<String>], cells: &[TableCell]) -> usize {
    let mut last: Vec<&TableCell> = cells.iter().filter(|c| c.row + 1 == n).collect();
    last.sort_by_key(|c| c.col);
    let mut labels = 0;
    let mut grouping = true;
    for (i, cell) in last.iter().enumerate() {
        if cell.text.trim().is_empty() {
            continue;
        }
        labels += 1;
        let empties_after = last[i + 1..]
            .iter()
            .take_while(|c| c.text.trim().is_empty())
            .count();
        grouping &= cell.col_span + empties_after >= 2;
    }
    if labels > 0 && grouping && rows.len() > n + 1 && looks_like_header(&rows[n]) {
        n + 1
    } else {
        n
    }
}

/// Leading rows whose every cell the source marked as a header.
fn leading_header_cells(cells: &[TableCell]) -> usize {
    let mut rows = 0;
    while cells.iter().any(|c| c.row == rows)
        && cells.iter().filter(|c| c.row == rows).all(|c| c.header)
    {
        rows += 1;
    }
    rows
}

/// Column edges closer than this (points) are one edge when two parts of a table are lined up.
const EDGE_SNAP: f32 = 2.0;
/// Leading rows whose first labels a second copy of a form repeats.
const FORM_LABEL_ROWS: usize = 3;

/// Whether `next` (the first table on the next page, right after `table`) continues `table`:
/// the same number of columns, or the same outer edges (each part of a table with merged cells
/// draws only the column edges its own rows use). Not when `next`'s first rows start with the
/// labels `table`'s first rows start with: that is a second copy of a form (one requirement
/// table per page: `요구사항 분류`, `요구사항 고유번호`, `요구사항 명칭` …), not its rows.
pub fn continues(table: &Table, next: &Table) -> bool {
    let width = |t: &Table| t.rows.first().map_or(0, Vec::len);
    if width(table) == 0 || width(next) == 0 || repeats_form(table, next) {
        return false;
    }
    if width(table) == width(next) {
        return true;
    }
    match (column_edges(table), column_edges(next)) {
        (Some(a), Some(b)) => {
            let same = |x: Option<&f32>, y: Option<&f32>| {
                x.zip(y).is_some_and(|(x, y)| (x - y).abs() <= EDGE_SNAP)
            };
            same(a.first(), b.first()) && same(a.last(), b.last())
        }
        _ => false,
    }
}

/// Whether `next`'s first rows begin with the same labels as `table`'s first rows.
fn repeats_form(table: &Table, next: &Table) -> bool {
    let first_label = |row: &[String]| {
        row.iter()
            .find(|c| !c.trim().is_empty())
            .map(|c| c.split_whitespace().collect::<String>())
    };
    table.rows.len() >= FORM_LABEL_ROWS
        && next.rows.len() >= FORM_LABEL_ROWS
        && (0..FORM_LABEL_ROWS).all(|r| {
            let label = first_label(&table.rows[r]);
            label.is_some() && label == first_label(&next.rows[r])
        })
}

/// The x of the grid column edges the cells' boxes show (left to right), the table's outer
/// edges among them; `None` when a cell has no box or an outer edge belongs to no cell. An
/// inner edge only a dropped empty row used belongs to no cell (reg76076.pdf page 36: edge 5
/// of 13) and is left out: the parts are lined up by the edges they show.
fn column_edges(table: &Table) -> Option<Vec<f32>> {
    let cols = table.rows.first()?.len();
    let mut edges: Vec<Option<f32>> = vec![None; cols + 1];
    for cell in &table.cells {
        let b = cell.bbox?;
        edges.get_mut(cell.col)?.get_or_insert(b[0]);
        edges.get_mut(cell.col + cell.col_span)?.get_or_insert(b[2]);
    }
    if edges.first()?.is_none() || edges.last()?.is_none() {
        return None;
    }
    Some(edges.into_iter().flatten().collect())
}

/// Whether each edge of `a` is nearest to the edge of `b` at the same place in order.
fn same_edges_nearest(a: &[f32], b: &[f32]) -> bool {
    a.iter().enumerate().all(|(i, &x)| {
        b.iter()
            .enumerate()
            .min_by(|p, q| (p.1 - x).abs().total_cmp(&(q.1 - x).abs()))
            .is_some_and(|(j, _)| j == i)
    })
}

/// The edges of both, sorted, those within `EDGE_SNAP` of each other once.
fn union_edges(a: &[f32], b: &[f32]) -> Vec<f32> {
    let mut all: Vec<f32> = a.iter().chain(b).copied().collect();
    all.sort_by(f32::total_cmp);
    let mut out: Vec<f32> = Vec::new();
    for x in all {
        if out.last().is_none_or(|&last| x - last > EDGE_SNAP) {
            out.push(x);
        }
    }
    out
}

/// Puts `table`'s cells on the grid whose column edges are `edges` (each cell's box picks its
/// first and last edge) and rebuilds its rows.
fn regrid(table: &mut Table, edges: &[f32]) {
    let nearest = |x: f32| {
        edges
            .iter()
            .enumerate()
            .min_by(|a, b| (a.1 - x).abs().total_cmp(&(b.1 - x).abs()))
            .map_or(0, |(i, _)| i)
    };
    for cell in &mut table.cells {
        if let Some(b) = cell.bbox {
            let first = nearest(b[0]);
            cell.col = first;
            cell.col_span = nearest(b[2]).max(first + 1) - first;
        }
    }
    let cols = edges.len().saturating_sub(1);
    let mut rows = vec![vec![String::new(); cols]; table.rows.len()];
    for cell in &table.cells {
        if let Some(slot) = rows.get_mut(cell.row).and_then(|r| r.get_mut(cell.col)) {
            *slot = cell.text.clone();
        }
    }
    table.rows = rows;
}

/// Appends `next` (the part of a table continued on the next page) to `table`. When the two
/// parts have different numbers of columns, both are put on the grid of all their edges first.
/// Leading rows of `next` that repeat `table`'s header rows are kept apart in
/// `repeated_headers`, not in the body rows; nothing else changes.
pub fn append_continuation(table: &mut Table, mut next: Table) {
    let width = |t: &Table| t.rows.first().map_or(0, Vec::len);
    if let (Some(a), Some(b)) = (column_edges(table), column_edges(&next)) {
        // Parts whose columns correspond keep their grid (a page may size the columns
        // differently: the sample PDF's 연번 column is 35pt wide on page 81, 26pt on page 82);
        // parts with as many columns at other places do not (reg80250.pdf pages 2-3: seven
        // columns each, `기술영향평가 | 경쟁영향평가` over `일몰설정여부 | 일몰조문`).
        let lined_up = width(table) == width(&next)
            && a.len() == b.len()
            && same_edges_nearest(&a, &b)
            && same_edges_nearest(&b, &a);
        if !lined_up {
            let edges = union_edges(&a, &b);
            regrid(table, &edges);
            regrid(&mut next, &edges);
        }
    }
    let header = table.header_rows.max(usize::from(
        next.rows
            .first()
            .is_some_and(|r| Some(r) == table.rows.first())
            && looks_like_header(&table.rows[0]),
    ));
    let repeated = (1..=header)
        .rev()
        .find(|&k| next.rows.len() > k && next.rows[..k] == table.rows[..k])
        .unwrap_or(0);
    if repeated > 0 {
        table.header_rows = header;
        let page = next.pages.first().copied().unwrap_or_default();
        table.repeated_headers.push(RepeatedHeader {
            page,
            rows: next.rows.drain(..repeated).collect(),
        });
    }
    let offset = table.rows.len();
    for mut cell in next.cells {
        if cell.row < repeated {
            continue;
        }
        cell.row = cell.row - repeated + offset;
        cell.header = false;
        table.cells.push(cell);
    }
    table.rows.extend(next.rows);
    for cell in &mut table.cells {
        cell.header = cell.row < table.header_rows;
    }
    table.pages.extend(next.pages);
    table.pages.sort_unstable();
    table.pages.dedup();
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

/// Each line of a cell with its runs of white space made one space, empty lines dropped.
fn squeeze_spaces(text: &str) -> String {
    text.lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
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

/// How many leading rows are headers: the first row when it reads as one; as many rows as a
/// first-row cell spans down (a merged label over two header rows); a second row when it
/// repeats the first or when the first has spanned (empty) cells and the second also reads
/// as labels.
pub fn header_rows(rows: &[Vec<String>], cells: &[TableCell]) -> usize {
    if rows.len() < 2 || !looks_like_header(&rows[0]) {
        return 0;
    }
    let spanned_down = cells
        .iter()
        .filter(|c| c.row == 0)
        .map(|c| c.row_span)
        .max()
        .unwrap_or(1);
    if (2..=3).contains(&spanned_down)
        && spanned_down < rows.len()
        && rows[1..spanned_down].iter().all(|r| looks_like_header(r))
    {
        return spanned_down;
    }
    let first_has_spans = rows[0].iter().any(|c| c.trim().is_empty());
    if rows.len() > 2 && (rows[1] == rows[0] || (first_has_spans && looks_like_header(&rows[1]))) {
        return 2;
    }
    1
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

    /// A typed table of 1×1 cells from tab-separated rows, as the text reader makes them.
    fn delimited(rows: &[&str]) -> model::Table {
        let mut page = model::Page {
            number: 1,
            lines: rows
                .iter()
                .enumerate()
                .map(|(i, r)| Line {
                    source_line: Some(i + 1),
                    ..Line::with_text(r)
                })
                .collect(),
            ..model::Page::default()
        };
        crate::extract::delimited::tables_from_tab_rows(&mut page);
        page.tables.remove(0)
    }

    fn no_join(_: &str, _: &str) -> bool {
        false
    }

    #[test]
    fn empty_cells_keep_columns_aligned() {
        // Sample lines 22-25: a spanned two-row header.
        let table = delimited(&[
            "생태계사업단\t\t\t통합지원센터\t\t\t\t\t",
            "1년차\t2년차\t3년차\t1년차\t2년차\t3년차\t4년차\t5년차\t6년차",
            "-\t2개소\t1개소\t4개소\t1개소\t1개소\t4개소\t2개소\t8개소",
        ]);
        let built = build(&table, &no_join);
        assert_eq!(built.table.rows.len(), 3);
        assert!(built.table.rows.iter().all(|r| r.len() == 9));
        assert_eq!(built.table.rows[0][3], "통합지원센터");
        assert_eq!(built.table.rows[0][1], "");
        assert_eq!(built.table.header_rows, 2);
        assert!(built.text.starts_with("생태계사업단\t\t\t통합지원센터"));
        assert_eq!(built.source_lines, Some([1, 3]));
        assert_eq!(built.table.cells.len(), 27);
        assert!(built.table.cells[..18].iter().all(|c| c.header));
    }

    #[test]
    fn numeric_first_rows_are_not_headers() {
        let table = delimited(&["2016\t12\t65", "2017\t10\t75"]);
        assert_eq!(build(&table, &no_join).table.header_rows, 0);
        // A header repeated by the OCR (sample lines 2151-2152) counts twice.
        let table = delimited(&["구분\t평가", "구분\t평가", "한계점\t많음"]);
        assert_eq!(build(&table, &no_join).table.header_rows, 2);
    }

    /// A typed table from `(row, col, row_span, col_span, lines)`.
    fn spanned(cells: &[(u32, u32, u32, u32, &[&str])]) -> model::Table {
        let mut table = model::Table {
            page: 3,
            cells: cells
                .iter()
                .map(|&(row, col, row_span, col_span, lines)| model::Cell {
                    row_span,
                    col_span,
                    ..model::Cell::new(
                        row,
                        col,
                        3,
                        lines.iter().map(|l| Line::with_text(l)).collect(),
                    )
                })
                .collect(),
            ..model::Table::default()
        };
        table.normalize_grid();
        table
    }

    #[test]
    fn a_shaded_grouping_row_takes_the_label_row_under_it_and_only_then() {
        // Sample page 3: `생태계사업단 | 통합지원센터` shaded (each over columns), the years
        // under them white.
        let mut table = spanned(&[
            (0, 0, 1, 2, &["생태계사업단"]),
            (0, 2, 1, 2, &["통합지원센터"]),
            (1, 0, 1, 1, &["1년차"]),
            (1, 1, 1, 1, &["2년차"]),
            (1, 2, 1, 1, &["1년차"]),
            (1, 3, 1, 1, &["2년차"]),
            (2, 0, 1, 1, &["-"]),
            (2, 1, 1, 1, &["2개소"]),
            (2, 2, 1, 1, &["4개소"]),
            (2, 3, 1, 1, &["1개소"]),
        ]);
        table.header_rows = Some(1);
        assert_eq!(build(&table, &no_join).table.header_rows, 2);
        // The sample PDF draws it with a rule between every column: labels and empty cells.
        let mut ruled = spanned(&[
            (0, 0, 1, 1, &["생태계사업단"]),
            (0, 1, 1, 1, &[]),
            (0, 2, 1, 1, &["통합지원센터"]),
            (0, 3, 1, 1, &[]),
            (1, 0, 1, 1, &["1년차"]),
            (1, 1, 1, 1, &["2년차"]),
            (1, 2, 1, 1, &["1년차"]),
            (1, 3, 1, 1, &["2년차"]),
            (2, 0, 1, 1, &["-"]),
            (2, 1, 1, 1, &["2개소"]),
            (2, 2, 1, 1, &["4개소"]),
            (2, 3, 1, 1, &["1개소"]),
        ]);
        ruled.header_rows = Some(1);
        assert_eq!(build(&ruled, &no_join).table.header_rows, 2);
        // reg80250: `유 형` over two columns beside a one-column `인원수 또는 규모`; the row
        // under them is the body (`이해관계자 | 특별교통수단 운전자 | 약 5,000명`).
        let mut table = spanned(&[
            (0, 0, 1, 2, &["유 형"]),
            (0, 2, 1, 1, &["인원수 또는 규모"]),
            (1, 0, 1, 1, &["이해관계자"]),
            (1, 1, 1, 1, &["특별교통수단 운전자"]),
            (1, 2, 1, 1, &["약 5,000명"]),
            (2, 0, 1, 1, &["이해관계자"]),
            (2, 1, 1, 1, &["이용자"]),
            (2, 2, 1, 1, &["약 9,000명"]),
        ]);
        table.header_rows = Some(1);
        assert_eq!(build(&table, &no_join).table.header_rows, 1);
    }

    #[test]
    fn merged_cells_keep_their_spans_and_later_cells_keep_their_columns() {
        // `M | (merged) | Z`: a merged cell shifts nothing after it.
        let table = spanned(&[
            (0, 0, 1, 2, &["구분"]),
            (0, 2, 1, 1, &["비고"]),
            (1, 0, 1, 1, &["M"]),
            (1, 1, 1, 1, &["N"]),
            (1, 2, 1, 1, &["Z"]),
        ]);
        let built = build(&table, &no_join);
        assert_eq!(built.table.rows[0], vec!["구분", "", "비고"]);
        assert_eq!(built.table.rows[1], vec!["M", "N", "Z"]);
        assert_eq!(built.table.cells[0].col_span, 2);
        assert_eq!(built.table.cells[1].col, 2);
        assert_eq!(built.table.header_rows, 1);
        assert_eq!(built.table.pages, vec![3]);
    }

    /// A press release's table: `구분` over two rows, the year over its quarters.
    fn press_release_table() -> model::Table {
        spanned(&[
            (0, 0, 2, 1, &["구분"]),
            (0, 1, 1, 2, &["2024년"]),
            (1, 1, 1, 1, &["1분기"]),
            (1, 2, 1, 1, &["2분기"]),
            (2, 0, 1, 1, &["제조업"]),
            (2, 1, 1, 1, &["66.8"]),
            (2, 2, 1, 1, &["55.0"]),
        ])
    }

    #[test]
    fn a_label_spanning_two_header_rows_makes_two_header_rows() {
        let table = press_release_table();
        let built = build(&table, &no_join);
        assert_eq!(built.table.header_rows, 2);
        assert_eq!(built.table.rows[1], vec!["", "1분기", "2분기"]);
    }

    #[test]
    fn wrapped_cell_lines_join_by_the_word_rules_and_items_stay_apart() {
        let join =
            |before: &str, after: &str| before.ends_with("추진하여야") && after.starts_with('한');
        let table = spanned(&[(
            0,
            0,
            1,
            1,
            &["사업을 추진하여야", "한다.", "• 둘째 항목", "이어지는 말"],
        )]);
        let built = build(&table, &join);
        // A PDF cell keeps its bullet (only text-path cells lose markup residue).
        assert_eq!(
            built.table.rows[0][0],
            "사업을 추진하여야한다.\n• 둘째 항목 이어지는 말"
        );
    }

    #[test]
    fn a_spanned_table_as_csv_keeps_its_columns() {
        // The merged year header gives its text to its first column; the columns it covers
        // stay empty, so every CSV row has the grid's width.
        let table = press_release_table();
        let built = build(&table, &no_join);
        assert_eq!(
            to_csv(&built.table),
            "구분,2024년,\r\n,1분기,2분기\r\n제조업,66.8,55.0\r\n"
        );
    }

    #[test]
    fn side_by_side_cells_never_interleave() {
        // A 현행 | 개정안 comparison: each cell's wrapped lines stay in that cell.
        let table = spanned(&[
            (0, 0, 1, 1, &["③법 제19조 제2항에 따라", "사업시행자는"]),
            (
                0,
                1,
                1,
                1,
                &["③법 제19조 제2항에 따라", "사업시행자 또는 조합은"],
            ),
        ]);
        let built = build(&table, &no_join);
        assert_eq!(
            built.table.rows[0],
            vec![
                "③법 제19조 제2항에 따라 사업시행자는",
                "③법 제19조 제2항에 따라 사업시행자 또는 조합은"
            ]
        );
    }

    #[test]
    fn letter_spaced_labels_are_collapsed() {
        let table = spanned(&[
            (0, 0, 1, 1, &["정 책 책 임 자"]),
            (0, 1, 1, 1, &["부 동 산 업 및 임대업"]),
        ]);
        let built = build(&table, &no_join);
        assert_eq!(
            built.table.rows[0],
            vec!["정책책임자", "부 동 산 업 및 임대업"]
        );
        assert_eq!(
            built.table.cells[0].spaced_as.as_deref(),
            Some("정 책 책 임 자")
        );
        assert_eq!(built.table.cells[1].spaced_as, None);
    }

    #[test]
    fn a_continuation_keeps_its_pages_and_its_repeated_header_apart() {
        let first = build(
            &spanned(&[
                (0, 0, 1, 1, &["구분"]),
                (0, 1, 1, 1, &["내용"]),
                (1, 0, 1, 1, &["가"]),
                (1, 1, 1, 1, &["하나"]),
            ]),
            &no_join,
        )
        .table;
        let mut next_typed = spanned(&[
            (0, 0, 1, 1, &["구분"]),
            (0, 1, 1, 1, &["내용"]),
            (1, 0, 1, 1, &["나"]),
            (1, 1, 1, 1, &["둘"]),
        ]);
        for cell in &mut next_typed.cells {
            cell.page = 4;
        }
        let next = build(&next_typed, &no_join).table;
        let mut table = first;
        append_continuation(&mut table, next);
        assert_eq!(
            table.rows,
            vec![vec!["구분", "내용"], vec!["가", "하나"], vec!["나", "둘"]]
        );
        assert_eq!(table.pages, vec![3, 4]);
        assert_eq!(table.repeated_headers.len(), 1);
        assert_eq!(table.repeated_headers[0].page, 4);
        let last = table.cells.last().map(|c| (c.row, c.col, c.page));
        assert_eq!(last, Some((2, 1, Some(4))));
        assert_eq!(table.cells.iter().filter(|c| c.header).count(), 2);
    }

    /// A built PDF table from `(row, col, row_span, col_span, text, x0, x1)` cells, one row
    /// 20pt high, on `page`.
    fn boxed(page: u32, cells: &[(u32, u32, u32, u32, &str, f32, f32)]) -> Table {
        let texts: Vec<[&str; 1]> = cells.iter().map(|c| [c.4]).collect();
        let spec: Vec<(u32, u32, u32, u32, &[&str])> = cells
            .iter()
            .zip(&texts)
            .map(|(c, text)| (c.0, c.1, c.2, c.3, &text[..]))
            .collect();
        let mut typed = spanned(&spec);
        for (cell, &(r, _, rs, _, _, x0, x1)) in typed.cells.iter_mut().zip(cells) {
            cell.page = page;
            cell.bbox = Some([
                x0,
                100.0 + 20.0 * r as f32,
                x1,
                100.0 + 20.0 * (r + rs) as f32,
            ]);
        }
        build(&typed, &no_join).table
    }

    #[test]
    fn a_second_copy_of_a_form_does_not_continue_the_first() {
        // kps_ai.pdf pages 15 and 16: one requirement table per page, same labels down the
        // first column.
        let form = |id: &str, name: &str, page: u32| {
            boxed(
                page,
                &[
                    (0, 0, 1, 1, "요구사항 분류", 57.0, 160.0),
                    (0, 1, 1, 1, "기능 요구사항", 160.0, 537.0),
                    (1, 0, 1, 1, "요구사항 고유번호", 57.0, 160.0),
                    (1, 1, 1, 1, id, 160.0, 537.0),
                    (2, 0, 1, 1, "요구사항 명칭", 57.0, 160.0),
                    (2, 1, 1, 1, name, 160.0, 537.0),
                ],
            )
        };
        let first = form("SFR-03", "학습 기능", 15);
        let second = form("SFR-04", "학습데이터 구축", 16);
        assert!(!continues(&first, &second));
        // Rows that go on with other labels continue it.
        let rest = boxed(
            16,
            &[
                (0, 0, 1, 1, "산출정보", 57.0, 160.0),
                (0, 1, 1, 1, "학습데이터 목록", 160.0, 537.0),
            ],
        );
        assert!(continues(&first, &rest));
    }

    #[test]
    fn parts_with_other_column_edges_continue_on_the_grid_of_all_edges() {
        // reg76076.pdf pages 2-3: the page-2 part of 규제영향분석서 draws three columns, the
        // page-3 part four with other inner edges; both share the outer edges.
        let mut first = boxed(
            2,
            &[
                (0, 0, 1, 1, "4. 유형", 57.0, 160.0),
                (0, 1, 1, 1, "강화", 160.0, 300.0),
                (0, 2, 1, 1, "2023.12.27~2024.02.07", 300.0, 537.0),
            ],
        );
        let next = boxed(
            3,
            &[
                (0, 0, 1, 1, "피규제자", 57.0, 160.0),
                (0, 1, 1, 1, "비용", 160.0, 250.0),
                (0, 2, 1, 1, "28.43", 250.0, 400.0),
                (0, 3, 1, 1, "28.43", 400.0, 537.0),
            ],
        );
        assert!(continues(&first, &next));
        // Another table on the next page, narrower, does not.
        let narrow = boxed(3, &[(0, 0, 1, 2, "붙임", 100.0, 400.0)]);
        assert!(!continues(&first, &narrow));
        append_continuation(&mut first, next);
        assert_eq!(first.rows.len(), 2);
        assert!(first.rows.iter().all(|r| r.len() == 5));
        let spans: Vec<(usize, usize, usize, usize)> = first
            .cells
            .iter()
            .map(|c| (c.row, c.col, c.row_span, c.col_span))
            .collect();
        assert_eq!(
            spans,
            vec![
                (0, 0, 1, 1),
                (0, 1, 1, 2),
                (0, 3, 1, 2),
                (1, 0, 1, 1),
                (1, 1, 1, 1),
                (1, 2, 1, 2),
                (1, 4, 1, 1)
            ]
        );
        assert_eq!(first.rows[1][2], "28.43");
        assert_eq!(first.pages, vec![2, 3]);
    }

    #[test]
    fn parts_with_as_many_columns_on_other_edges_share_the_grid_of_all_edges() {
        // reg80250.pdf pages 2-3: both parts of 규제영향분석서 have six columns, the page-3
        // part's inner edges at other places.
        let mut first = boxed(
            2,
            &[
                (0, 0, 1, 1, "4.유형", 106.0, 199.0),
                (0, 1, 1, 2, "신설", 199.0, 323.0),
                (0, 3, 1, 1, "5.입법예고", 323.0, 409.0),
                (0, 4, 1, 2, "2024.10.31~2024.12.10", 409.0, 543.0),
                (1, 0, 1, 1, "10.영향평가 여부", 106.0, 199.0),
                (1, 1, 1, 1, "기술영향평가", 199.0, 313.0),
                (1, 2, 1, 3, "경쟁영향평가", 313.0, 427.0),
                (1, 5, 1, 1, "중기영향평가", 427.0, 543.0),
            ],
        );
        let next = boxed(
            3,
            &[
                (0, 0, 2, 1, "12.규제일몰제", 106.0, 199.0),
                (0, 1, 1, 1, "대분류", 199.0, 251.0),
                (0, 2, 1, 3, "1. 국제조약", 251.0, 491.0),
                (0, 5, 1, 1, "미해당", 491.0, 543.0),
                (1, 1, 1, 2, "일몰설정여부", 199.0, 300.0),
                (1, 3, 1, 1, "일몰조문", 300.0, 442.0),
                (1, 4, 1, 2, "연장여부", 442.0, 543.0),
            ],
        );
        assert!(continues(&first, &next));
        append_continuation(&mut first, next);
        assert!(first.rows.iter().all(|r| r.len() == 10));
        let span = |text: &str| {
            first
                .cells
                .iter()
                .find(|c| c.text == text)
                .map(|c| (c.row, c.col, c.col_span))
        };
        assert_eq!(span("경쟁영향평가"), Some((1, 4, 3)));
        assert_eq!(span("일몰조문"), Some((3, 3, 5)));
        // Columns sized a little differently on the next page are the same grid (the sample
        // PDF pages 81-82: `연번` 35pt wide, then 26pt).
        let mut first = boxed(
            81,
            &[
                (0, 0, 1, 1, "연번", 57.0, 92.2),
                (0, 1, 1, 1, "센터명", 92.2, 538.5),
            ],
        );
        let next = boxed(
            82,
            &[
                (0, 0, 1, 1, "9", 57.0, 82.9),
                (0, 1, 1, 1, "노원구", 82.9, 538.5),
            ],
        );
        append_continuation(&mut first, next);
        assert!(first.rows.iter().all(|r| r.len() == 2));
    }

    #[test]
    fn a_part_with_an_edge_no_cell_shows_still_continues() {
        // reg76076.pdf pages 35-36: the page-36 part of 규제영향분석서 has 13 grid columns, one
        // inner edge of which only an empty row (dropped) used; its outer edges are the
        // page-35 part's.
        let mut first = boxed(
            35,
            &[
                (0, 0, 1, 1, "1.규제사무명", 57.0, 200.0),
                (0, 1, 1, 1, "식품가공용 볼 리프트", 200.0, 550.0),
            ],
        );
        let next = boxed(
            36,
            &[
                (0, 0, 1, 1, "11.영향평가 여부", 57.0, 200.0),
                (0, 1, 1, 1, "기술영향평가", 200.0, 313.0),
                (0, 2, 1, 2, "경쟁영향평가", 313.0, 550.0),
            ],
        );
        assert!(continues(&first, &next));
        append_continuation(&mut first, next);
        assert_eq!(first.rows.len(), 2);
        assert!(first.rows.iter().all(|r| r.len() == 3));
        assert_eq!(first.rows[1][2], "경쟁영향평가");
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
            repeated_headers: Vec::new(),
        };
        assert_eq!(
            to_csv(&table),
            "구분,내용\r\n\"강서, 종로\",\"첫째\n둘째\"\r\n"
        );
    }
}
