//! `<name>.audit.html` (`jaryo run --audit`): one self-contained page (no network) for
//! auditing a document. Every PDF page is drawn at scale with its blocks as boxes coloured by
//! type over the page image (rendered by `pdftoppm` at low resolution and embedded as PNG when
//! it is installed; else the text is drawn at its positions); text-path documents show their
//! blocks by source lines. Flagged blocks are highlighted, with kind, severity, detail and
//! repair on hover and click; a sidebar lists the flags by page with counts and filters them by
//! kind and severity. Pages are drawn when they scroll into view. Opened with `#selftest`, the
//! page draws everything, applies each filter and writes what it saw into `#audit-selftest`
//! (the headless-browser test reads it).

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::process::Command;

use base64::Engine;
use serde::Serialize;

use crate::document::{BlockType, Document};
use crate::model::{BBox, Format};

/// Resolution of the embedded page images: enough to recognise the page, ~20 KB a page.
const IMAGE_DPI: u32 = 40;

/// Documents with more pages get no page images (the file would grow past ~20 MB).
const MAX_IMAGE_PAGES: u32 = 1000;

/// A page box when the JSON has none for a page (A4 in points).
const DEFAULT_PAGE: [f32; 2] = [595.0, 842.0];

const TEMPLATE: &str = include_str!("audit.html");
const SCRIPT: &str = include_str!("audit.js");

#[derive(Serialize)]
struct AuditData<'a> {
    name: &'a str,
    title: Option<&'a str>,
    source: &'a str,
    format: Format,
    sheets: Vec<Sheet>,
    blocks: Vec<AuditBlock<'a>>,
    flags: Vec<AuditFlag<'a>>,
}

/// A drawn unit: a PDF page, or a range of source lines of a text document.
#[derive(Serialize)]
struct Sheet {
    label: String,
    /// The page number (PDF), or the document's page of these lines (text).
    page: Option<u32>,
    /// Text path: the first and last source line of the sheet.
    #[serde(skip_serializing_if = "Option::is_none")]
    lines: Option<[usize; 2]>,
    /// PDF path: the page box in points.
    #[serde(skip_serializing_if = "Option::is_none")]
    size: Option<[f32; 2]>,
    /// `data:image/png;base64,…` of the page, when it could be rendered.
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<String>,
    /// Page-level quality notes (`no_text_layer`, details).
    notes: Vec<String>,
}

#[derive(Serialize)]
struct AuditBlock<'a> {
    id: &'a str,
    #[serde(rename = "type")]
    kind: BlockType,
    sheet: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    bbox: Option<BBox>,
    #[serde(skip_serializing_if = "Option::is_none")]
    lines: Option<[usize; 2]>,
    text: &'a str,
}

#[derive(Serialize)]
struct AuditFlag<'a> {
    /// Index into `blocks`.
    block: usize,
    page: Option<u32>,
    kind: &'a str,
    severity: &'static str,
    detail: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    repair: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cell: Option<[usize; 2]>,
    /// Table flags: the cell's box (from the reader, else the block's box divided evenly).
    #[serde(skip_serializing_if = "Option::is_none")]
    bbox: Option<BBox>,
    /// The flagged text: before, span, after (a little context each side).
    context: [String; 3],
}

/// The audit page of `document` named `name`. Page images are rendered from the source PDF
/// when `pdftoppm` is installed and the file at `source.path` still has the document's sha256.
pub fn audit_html(document: &Document, name: &str) -> Result<String, serde_json::Error> {
    let images = match document.source.format {
        Format::Pdf if document.source.pages <= MAX_IMAGE_PAGES => {
            page_images(Path::new(&document.source.path), &document.source.sha256)
        }
        _ => HashMap::new(),
    };
    audit_html_with_images(document, name, images)
}

fn audit_html_with_images(
    document: &Document,
    name: &str,
    mut images: HashMap<u32, String>,
) -> Result<String, serde_json::Error> {
    let (mut sheets, sheet_of) = sheets(document);
    for sheet in &mut sheets {
        if sheet.size.is_some() {
            sheet.image = sheet.page.and_then(|p| images.remove(&p));
        }
    }
    let mut blocks = Vec::with_capacity(document.blocks.len());
    let mut flags = Vec::new();
    for (index, block) in document.blocks.iter().enumerate() {
        blocks.push(AuditBlock {
            id: &block.id,
            kind: block.kind,
            sheet: sheet_of[index],
            bbox: block.bbox,
            lines: block.lines,
            text: &block.text,
        });
        for flag in &block.quality.flags {
            let text = match flag.cell {
                None => block.text.as_str(),
                Some([r, c]) => block
                    .table
                    .as_ref()
                    .and_then(|t| t.rows.get(r))
                    .and_then(|row| row.get(c))
                    .map(String::as_str)
                    .unwrap_or(""),
            };
            flags.push(AuditFlag {
                block: index,
                page: block.page,
                kind: &flag.kind,
                severity: super::markdown::severity_name(flag.severity),
                detail: &flag.detail,
                repair: flag.repair.as_deref(),
                cell: flag.cell,
                bbox: flag.cell.and_then(|cell| cell_box(block, cell)),
                context: context(text, flag.start, flag.end),
            });
        }
    }
    let data = AuditData {
        name,
        title: document.title.as_deref(),
        source: &document.source.path,
        format: document.source.format,
        sheets,
        blocks,
        flags,
    };
    // `<` escaped so no string in the data can close the script element.
    let json = serde_json::to_string(&data)?.replace('<', "\\u003c");
    let title = escape_html(document.title.as_deref().unwrap_or(name));
    Ok(fill(
        TEMPLATE,
        &[
            ("{{TITLE}}", &title),
            ("{{SCRIPT}}", SCRIPT),
            ("{{DATA}}", &json),
        ],
    ))
}

/// `template` with each placeholder replaced, in one pass (a value is never searched again).
fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out =
        String::with_capacity(template.len() + values.iter().map(|v| v.1.len()).sum::<usize>());
    let mut rest = template;
    while let Some((at, key, value)) = values
        .iter()
        .filter_map(|(key, value)| rest.find(key).map(|at| (at, *key, *value)))
        .min_by_key(|found| found.0)
    {
        out.push_str(&rest[..at]);
        out.push_str(value);
        rest = &rest[at + key.len()..];
    }
    out.push_str(rest);
    out
}

/// The sheets and, for every block, the index of its sheet.
fn sheets(document: &Document) -> (Vec<Sheet>, Vec<usize>) {
    let mut notes: BTreeMap<u32, Vec<String>> = BTreeMap::new();
    for page in &document.quality.pages {
        let mut lines: Vec<String> = page.flags.clone();
        lines.extend(page.details.iter().cloned());
        notes.insert(page.page, lines);
    }
    let mut sheets = Vec::new();
    let mut sheet_of = Vec::with_capacity(document.blocks.len());
    match document.source.format {
        Format::Pdf => {
            let sizes: HashMap<u32, [f32; 2]> = document
                .pages
                .iter()
                .map(|p| (p.page, [p.width, p.height]))
                .collect();
            let count = document.source.pages.max(1);
            for page in 1..=count {
                sheets.push(Sheet {
                    label: format!("page {page}"),
                    page: Some(page),
                    lines: None,
                    size: Some(sizes.get(&page).copied().unwrap_or(DEFAULT_PAGE)),
                    image: None,
                    notes: notes.remove(&page).unwrap_or_default(),
                });
            }
            let mut unpaged = None;
            for block in &document.blocks {
                let sheet = match block.page {
                    Some(p) if (1..=count).contains(&p) => (p - 1) as usize,
                    _ => *unpaged.get_or_insert_with(|| {
                        sheets.push(Sheet {
                            label: "no page".into(),
                            page: None,
                            lines: None,
                            size: None,
                            image: None,
                            notes: Vec::new(),
                        });
                        sheets.len() - 1
                    }),
                };
                sheet_of.push(sheet);
            }
        }
        // Text and HWP/HWPX: a sheet per page (the booklet's printed pages on the text path,
        // explicit page breaks in HWP), its blocks drawn as lines; no page box.
        Format::Text | Format::Markdown | Format::Html | Format::Hwp | Format::Hwpx => {
            let count = document
                .blocks
                .iter()
                .filter_map(|b| b.page)
                .max()
                .unwrap_or(1)
                .max(1);
            for page in 1..=count {
                let on_page = document.blocks.iter().filter(|b| b.page == Some(page));
                let lines =
                    on_page
                        .filter_map(|b| b.lines)
                        .fold(None, |range: Option<[usize; 2]>, l| {
                            Some(range.map_or(l, |r| [r[0].min(l[0]), r[1].max(l[1])]))
                        });
                let label = match lines {
                    Some([first, last]) => format!("page {page} · lines {first}–{last}"),
                    None => format!("page {page}"),
                };
                sheets.push(Sheet {
                    label,
                    page: Some(page),
                    lines,
                    size: None,
                    image: None,
                    notes: notes.remove(&page).unwrap_or_default(),
                });
            }
            for block in &document.blocks {
                let page = block.page.unwrap_or(1).clamp(1, count);
                sheet_of.push((page - 1) as usize);
            }
        }
    }
    (sheets, sheet_of)
}

/// The box of table cell `[row, col]`: the reader's, else the block's box divided evenly
/// into the table's rows and columns.
fn cell_box(block: &crate::document::Block, [row, col]: [usize; 2]) -> Option<BBox> {
    let table = block.table.as_ref()?;
    let cell = table.cells.iter().find(|c| c.row == row && c.col == col);
    if let Some(cell) = cell.filter(|c| c.page.is_none() || c.page == block.page) {
        if cell.bbox.is_some() {
            return cell.bbox;
        }
    }
    let [x0, y0, x1, y1] = block.bbox?;
    let rows = table.rows.len();
    let cols = table.rows.iter().map(Vec::len).max().unwrap_or(0);
    if row >= rows || col >= cols {
        return None;
    }
    let (h, w) = ((y1 - y0) / rows as f32, (x1 - x0) / cols as f32);
    Some([
        x0 + w * col as f32,
        y0 + h * row as f32,
        x0 + w * (col + 1) as f32,
        y0 + h * (row + 1) as f32,
    ])
}

/// Up to 60 characters before the span, the span, and up to 60 after.
fn context(text: &str, start: usize, end: usize) -> [String; 3] {
    let valid = start <= end
        && end <= text.len()
        && text.is_char_boundary(start)
        && text.is_char_boundary(end);
    if !valid {
        return [String::new(), text.to_string(), String::new()];
    }
    let before: String = {
        let chars: Vec<char> = text[..start].chars().rev().take(60).collect();
        chars.into_iter().rev().collect()
    };
    let after: String = text[end..].chars().take(60).collect();
    [before, text[start..end].to_string(), after]
}

fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Every page of the PDF at `path` as a PNG data URL, keyed by page number; empty when
/// `pdftoppm` is missing or fails, or the file is not the one the document was made from.
fn page_images(path: &Path, sha256: &str) -> HashMap<u32, String> {
    let Ok(bytes) = std::fs::read(path) else {
        return HashMap::new();
    };
    if crate::source::sha256_hex(&bytes) != sha256 {
        return HashMap::new();
    }
    drop(bytes);
    let dir = TempDir::new();
    let Ok(status) = Command::new("pdftoppm")
        .args(["-png", "-r", &IMAGE_DPI.to_string()])
        .arg(path)
        .arg(dir.0.join("p"))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
    else {
        return HashMap::new();
    };
    if !status.success() {
        return HashMap::new();
    }
    let Ok(entries) = std::fs::read_dir(&dir.0) else {
        return HashMap::new();
    };
    let mut images = HashMap::new();
    for entry in entries.flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        // `p-07.png` (pdftoppm pads the number to the page count's digits).
        let Some(page) = file
            .strip_prefix("p-")
            .and_then(|rest| rest.strip_suffix(".png"))
            .and_then(|n| n.parse::<u32>().ok())
        else {
            continue;
        };
        if let Ok(png) = std::fs::read(entry.path()) {
            let encoded = base64::engine::general_purpose::STANDARD.encode(png);
            images.insert(page, format!("data:image/png;base64,{encoded}"));
        }
    }
    images
}

/// A private temporary directory, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> TempDir {
        static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("jaryo-audit-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let _ = std::fs::create_dir_all(&dir);
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{Flag, Severity};

    fn data_of(html: &str) -> serde_json::Value {
        let start = html.find("id=\"audit-data\">").unwrap() + "id=\"audit-data\">".len();
        let end = start + html[start..].find("</script>").unwrap();
        serde_json::from_str(&html[start..end]).unwrap()
    }

    #[test]
    fn the_page_embeds_flags_with_their_context_and_cannot_be_closed_by_text() {
        let mut document = super::super::tests::sample();
        let text = "서울시 </script> ▯▯▯ 지원센터";
        document.blocks[0].text = text.into();
        let start = text.find('▯').unwrap();
        document.blocks[0].quality.flags = vec![Flag {
            kind: "illegible".into(),
            start,
            end: start + "▯▯▯".len(),
            cell: None,
            detail: "3 stand-ins".into(),
            severity: Severity::Error,
            repair: None,
            ..Flag::default()
        }];
        let html = audit_html(&document, "forum").unwrap();
        assert_eq!(html.matches("</script>").count(), 2, "data and script only");
        assert!(!html.contains("http://") && !html.contains("https://"));
        let data = data_of(&html);
        assert_eq!(data["flags"][0]["context"][1], "▯▯▯");
        assert_eq!(data["flags"][0]["context"][0], "서울시 </script> ");
        assert_eq!(data["flags"][0]["severity"], "error");
        // Text path: the first page's sheet spans its blocks' lines (3–4 of the sample).
        assert_eq!(data["sheets"][0]["lines"], serde_json::json!([3, 4]));
        assert_eq!(data["blocks"][0]["sheet"], 0);
    }

    #[test]
    fn pdf_pages_are_sheets_at_their_size() {
        let mut document = super::super::tests::sample();
        document.source.format = Format::Pdf;
        document.source.pages = 2;
        document.pages = vec![crate::document::PageSize {
            page: 1,
            width: 420.0,
            height: 595.0,
        }];
        document.blocks[1].page = Some(2);
        let mut images = HashMap::new();
        images.insert(2, "data:image/png;base64,AAAA".to_string());
        let html = audit_html_with_images(&document, "forum", images).unwrap();
        let data = data_of(&html);
        assert_eq!(data["sheets"][0]["size"], serde_json::json!([420.0, 595.0]));
        assert_eq!(data["sheets"][1]["size"], serde_json::json!([595.0, 842.0]));
        assert_eq!(data["sheets"][1]["image"], "data:image/png;base64,AAAA");
        assert_eq!(data["blocks"][1]["sheet"], 1);
    }

    #[test]
    fn a_table_flag_gets_its_cell_box() {
        let mut document = super::super::tests::sample();
        document.blocks[1].bbox = Some([100.0, 200.0, 400.0, 260.0]);
        document.blocks[1].quality.flags = vec![Flag {
            kind: "repeated_line".into(),
            start: 0,
            end: "30명".len(),
            cell: Some([1, 2]),
            detail: "row 1 of 2 identical rows".into(),
            severity: Severity::Warning,
            repair: None,
            ..Flag::default()
        }];
        let data = data_of(&audit_html(&document, "forum").unwrap());
        // Two rows, three columns: row 1, column 2 is the bottom-right third.
        assert_eq!(
            data["flags"][0]["bbox"],
            serde_json::json!([300.0, 230.0, 400.0, 260.0])
        );
        assert_eq!(data["flags"][0]["context"][1], "30명");
    }
}
