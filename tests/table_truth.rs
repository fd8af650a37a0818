//! The PDF path's tables scored against the HWP files' own tables (`../shared/hwp-pairs`: the
//! HWP is the truth for the PDF Hancom printed from it). The truth is derived here, by the HWP
//! reader, from each document's `.hwp`: every table with at least two non-empty cells (a 1×1
//! table is a framed text box, as the PDF path also takes it), its cells with their spans and
//! header flags (the file's 제목 셀 flag, or leading rows shaded unlike the body; unscored in
//! tables with neither).
//! Prints cell-text precision, recall, F1, span accuracy, header-cell F1 and the tables with
//! all header cells right per document
//! (`cargo test --release --test table_truth -- --nocapture`). Skips, saying so, when the
//! folder is absent.

mod common;

use std::path::{Path, PathBuf};

use jaryo::eval::tables::{score, TableScore, TruthCell, TruthTable};
use jaryo::extract::hwp::doc::Definitions;
use jaryo::pipeline::{process_file, PipelineOptions};

/// Documents whose PDF Hancom printed (the cairo-rendered press releases have no Korean text
/// layer) and whose HWP holds tables.
const DOCUMENTS: [&str; 9] = [
    "reg76076",
    "reg80250",
    "reg86712",
    "kps_ai",
    "kwater_rfp",
    "oss_rst",
    "biz_plan",
    "hongbo",
    "table_test",
];

/// Targets of the tables issue, over all documents together (printed).
const TARGET_CELL_F1: f64 = 0.95;
const TARGET_SPAN_ACCURACY: f64 = 0.9;
/// What the PDF path reaches today, a little below the measured 0.959 and 0.927: a change
/// that loses tables fails here.
const FLOOR_CELL_F1: f64 = 0.955;
const FLOOR_SPAN_ACCURACY: f64 = 0.92;
/// Header cells (matched cells, where the truth tells) and paired tables whose header cells
/// are all right: the PDF path measured 0.935 and 156/171 (0.912) with header rows from cell
/// shading, 0.734 and 97/171 from the text alone. (Two of the misses are a shaded title row
/// over an unshaded row of column labels, which the PDF path takes as header rows too and
/// this truth, knowing only shading and flags, does not.)
const FLOOR_HEADER_F1: f64 = 0.925;
const FLOOR_HEADER_TABLES: f64 = 0.9;

/// The truth tables of an HWP file: every table of the file's own structure, nested ones as
/// tables of their own (the PDF draws them as cells of their own), each cell's text its
/// paragraphs and text boxes, normalised as the pipeline normalises text.
fn truth_tables(hwp: &Path) -> Vec<TruthTable> {
    use jaryo::extract::hwp::{detect, hwp5, hwpx, Limits};
    let bytes = std::fs::read(hwp).unwrap_or_else(|e| panic!("{}: {e}", hwp.display()));
    let limits = Limits::default();
    let document = match detect::detect(&bytes) {
        Some(detect::Container::Hwp5) => hwp5::read(&bytes, &limits),
        Some(detect::Container::Hwpx) => hwpx::read(&bytes, &limits),
        _ => panic!("{}: not HWP 5.0 or HWPX", hwp.display()),
    }
    .unwrap_or_else(|e| panic!("{}: {e}", hwp.display()));
    let mut tables = Vec::new();
    for section in &document.sections {
        collect_tables(&section.paras, &document.definitions, &mut tables);
    }
    tables
        .retain(|t: &TruthTable| t.cells.iter().filter(|c| !c.text.trim().is_empty()).count() >= 2);
    tables
}

/// Tables anchored in `paras` (and in their tables' cells and text boxes), in file order.
fn collect_tables(
    paras: &[jaryo::extract::hwp::doc::Para],
    definitions: &Definitions,
    out: &mut Vec<TruthTable>,
) {
    use jaryo::extract::hwp::doc::Control;
    for para in paras {
        for control in &para.controls {
            match control {
                Control::Table(table) => {
                    let index = out.len();
                    out.push(TruthTable { cells: Vec::new() });
                    let mut cells = Vec::new();
                    let shaded_rows = shaded_header_rows(table, definitions);
                    // Without any shading or header flag the file does not say which rows
                    // head the table (an unshaded `제목 | 담당자` row may well): not scored.
                    let tells = table
                        .cells
                        .iter()
                        .any(|c| c.header || definitions.shading(c.border_fill).is_some());
                    for cell in &table.cells {
                        let mut lines = Vec::new();
                        own_text(&cell.paras, definitions, &mut lines);
                        cells.push(TruthCell {
                            row: cell.row as usize,
                            col: cell.col as usize,
                            row_span: cell.row_span.max(1) as usize,
                            col_span: cell.col_span.max(1) as usize,
                            text: printed(&jaryo::normalize::normalize_text(&lines.join("\n"))),
                            header: tells.then_some(cell.header || cell.row < shaded_rows),
                        });
                        collect_tables(&cell.paras, definitions, out);
                    }
                    out[index].cells = cells;
                }
                Control::Shape(shape) => collect_tables(&shape.text, definitions, out),
                _ => {}
            }
        }
    }
}

/// Leading rows of an HWP table that are header rows by their look: every cell starting in
/// them has a solid, non-white background, and a later row has a cell without one (a table
/// shaded all over has no header by shading). Few files mark header cells (제목 셀), most
/// shade them.
fn shaded_header_rows(table: &jaryo::extract::hwp::doc::Table, definitions: &Definitions) -> u32 {
    let rows = table.cells.iter().map(|c| c.row + 1).max().unwrap_or(0);
    let shaded_row = |row: u32| {
        let mut starting = table.cells.iter().filter(|c| c.row == row).peekable();
        starting.peek().is_some() && starting.all(|c| definitions.shading(c.border_fill).is_some())
    };
    let leading = (0..rows).take_while(|&r| shaded_row(r)).count() as u32;
    if leading < rows {
        leading
    } else {
        0
    }
}

/// Text as Hancom prints it: a symbol-font bullet code (`U+F09F`) is the bullet it draws,
/// which is what the PDF's text layer holds.
fn printed(text: &str) -> String {
    text.chars()
        .map(|c| match jaryo::quality::chars::drawn_bullet(c) {
            Some(bullet) => bullet.to_string(),
            None => c.to_string(),
        })
        .collect()
}

/// The text a cell shows of its own: its paragraphs and the text boxes in them, not the
/// nested tables. A paragraph with a bullet head (글머리표) shows its bullet: Hancom prints it
/// (`• 사업자 회의록 양식`) though the paragraph's text does not hold it.
fn own_text(
    paras: &[jaryo::extract::hwp::doc::Para],
    definitions: &Definitions,
    out: &mut Vec<String>,
) {
    use jaryo::extract::hwp::doc::{Control, HeadKind};
    for para in paras {
        if !para.text.trim().is_empty() {
            let bullet = definitions
                .para_shapes
                .get(para.para_shape as usize)
                .filter(|shape| shape.head == HeadKind::Bullet)
                .and_then(|shape| usize::from(shape.head_id).checked_sub(1))
                .and_then(|i| definitions.bullets.get(i));
            match bullet {
                Some(bullet) => out.push(format!("{bullet} {}", para.text)),
                None => out.push(para.text.clone()),
            }
        }
        for control in &para.controls {
            if let Control::Shape(shape) = control {
                own_text(&shape.text, definitions, out);
            }
        }
    }
}

fn pdf_score(dir: &Path, name: &str) -> TableScore {
    let truth = truth_tables(&dir.join(format!("{name}.hwp")));
    let pdf = dir.join(format!("{name}.pdf"));
    let document = process_file(&pdf, &PipelineOptions::default(), common::analyzer())
        .unwrap_or_else(|e| panic!("{}: {e}", pdf.display()));
    let predicted: Vec<&[jaryo::document::TableCell]> = document
        .blocks
        .iter()
        .filter_map(|b| b.table.as_ref())
        .map(|t| t.cells.as_slice())
        .collect();
    if let Some(dump) = std::env::var_os("JARYO_TABLE_DUMP") {
        // For looking at the misses: both sides as JSON.
        let dump = PathBuf::from(dump);
        let write = |what: &str, value: serde_json::Value| {
            let path = dump.join(format!("{name}.{what}.json"));
            std::fs::write(&path, value.to_string())
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        };
        write("truth", serde_json::json!(truth));
        write("pred", serde_json::json!(predicted));
    }
    score(&truth, &predicted)
}

fn print_row(name: &str, s: &TableScore) {
    println!(
        "{name:<12} {:>6} {:>6} {:>6.3} {:>6.3} {:>6.3} {:>6.3} {:>4}/{:<4} {:>6.3} {:>4}/{:<4}",
        s.truth_cells,
        s.predicted_cells,
        s.precision(),
        s.recall(),
        s.f1(),
        s.span_accuracy(),
        s.spanning_right,
        s.spanning_truth,
        s.header_f1(),
        s.tables_header_right,
        s.tables_paired
    );
}

#[test]
fn pdf_tables_against_the_hwp_truth() {
    let Some(dir) = common::hwp_pairs_dir() else {
        return;
    };
    let mut total = TableScore::default();
    println!(
        "{:<12} {:>6} {:>6} {:>6} {:>6} {:>6} {:>6} {:>9} {:>6} {:>9}",
        "document", "truth", "pred", "P", "R", "F1", "spans", "spanning", "hdrF1", "hdrTables"
    );
    for name in DOCUMENTS {
        let s = pdf_score(&dir, name);
        print_row(name, &s);
        total.add(&s);
    }
    print_row("all", &total);
    println!(
        "header cells (matched): truth {}, predicted {}, both {}",
        total.header_truth, total.header_predicted, total.header_both
    );
    println!("targets: cell F1 >= {TARGET_CELL_F1}, spans right >= {TARGET_SPAN_ACCURACY}");
    assert!(total.truth_cells > 500, "the truth has tables: {total:?}");
    assert!(total.f1() >= FLOOR_CELL_F1, "cell F1 {:.3}", total.f1());
    assert!(
        total.span_accuracy() >= FLOOR_SPAN_ACCURACY,
        "span accuracy {:.3}",
        total.span_accuracy()
    );
    assert!(
        total.tables_paired > 100,
        "the truth tells headers: {total:?}"
    );
    assert!(
        total.header_f1() >= FLOOR_HEADER_F1,
        "header cell F1 {:.3}",
        total.header_f1()
    );
    assert!(
        total.header_table_accuracy() >= FLOOR_HEADER_TABLES,
        "tables with their header cells right {:.3}",
        total.header_table_accuracy()
    );
}
