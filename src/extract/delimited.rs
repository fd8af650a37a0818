//! Tab-separated rows on the text path become typed tables: an OCR/layout tool writes a table
//! as consecutive lines whose cells are separated by `\t` (a blank line ends the table). Each
//! row's cells become 1×1 cells holding the raw cell text (HTML residue and `**` included: the
//! structure stage cleans cell text the same way for every reader). The row lines stay in the
//! page's lines, marked with the table's index: an OCR tool also writes TOC entries as
//! `page\ttitle`, and only the structure stage can tell those from a table.

use crate::model::{Cell, Line, Page, Table, TableOrigin};

/// Whether a text line is a row of a tab-separated table.
fn is_row(line: &Line) -> bool {
    line.table.is_none() && line.text.contains('\t')
}

/// Makes every run of tab-separated rows on `page` a typed table and marks its rows with it.
pub fn tables_from_tab_rows(page: &mut Page) {
    let mut i = 0;
    while i < page.lines.len() {
        if !is_row(&page.lines[i]) {
            i += 1;
            continue;
        }
        let mut end = i + 1;
        while end < page.lines.len()
            && is_row(&page.lines[end])
            && !page.lines[end].starts_paragraph
        {
            end += 1;
        }
        let index = page.tables.len() as u32;
        let table = table_of(&page.lines[i..end]);
        page.tables.push(table);
        for line in &mut page.lines[i..end] {
            line.table = Some(index);
        }
        i = end;
    }
}

/// The table whose rows are `rows`.
fn table_of(rows: &[Line]) -> Table {
    let cells = rows
        .iter()
        .enumerate()
        .flat_map(|(r, row)| {
            row.text.split('\t').enumerate().map(move |(c, text)| {
                let line = Line {
                    text: text.to_string(),
                    page: row.page,
                    source_line: row.source_line,
                    ..Line::default()
                };
                Cell::new(r as u32, c as u32, row.page, vec![line])
            })
        })
        .collect();
    let mut table = Table {
        page: rows.first().map_or(1, |r| r.page),
        cells,
        origin: TableOrigin::Delimited,
        ..Table::default()
    };
    table.normalize_grid();
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(text: &str, number: usize, starts_paragraph: bool) -> Line {
        Line {
            text: text.into(),
            page: 1,
            source_line: Some(number),
            starts_paragraph,
            ..Line::default()
        }
    }

    #[test]
    fn consecutive_rows_become_one_table_and_a_blank_line_ends_it() {
        // Sample lines 22-24 (a spanned two-row header written with empty cells), then prose.
        let mut page = Page {
            number: 1,
            lines: vec![
                line("<표 1> 연차별 지원 현황", 20, true),
                line("생태계사업단\t\t\t통합지원센터\t\t\t\t\t", 22, true),
                line(
                    "1년차\t2년차\t3년차\t1년차\t2년차\t3년차\t4년차\t5년차\t6년차",
                    23,
                    false,
                ),
                line("구분\t평가", 25, true),
                line("다음 문단", 26, false),
            ],
            ..Page::default()
        };
        tables_from_tab_rows(&mut page);
        assert_eq!(page.lines.len(), 5);
        let marks: Vec<Option<u32>> = page.lines.iter().map(|l| l.table).collect();
        assert_eq!(marks, vec![None, Some(0), Some(0), Some(1), None]);
        assert!(page.lines[1].text.starts_with("생태계사업단\t"));
        let t = &page.tables[0];
        assert_eq!((t.rows, t.cols), (2, 9));
        assert_eq!(t.cells[3].text(), "통합지원센터");
        assert_eq!(
            t.cells.last().map(|c| c.lines[0].source_line),
            Some(Some(23))
        );
        assert_eq!(page.tables[1].origin, TableOrigin::Delimited);
    }
}
