//! HWPX (OWPML) files: a zip holding `Contents/header.xml` (paragraph properties, styles,
//! numberings, bullets) and `Contents/sectionN.xml` (paragraphs, runs, tables, shapes,
//! notes). Entries are read under a decompressed-size cap (zip bombs) and the XML's DOCTYPE
//! and entities are never resolved (external entities are not fetched).

use std::io::Read;

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use super::doc::{
    Caption, Control, Definitions, Document, HeadKind, LevelFormat, NumberShape, Numbering, Para,
    ParaShape, Section, SectionDef, Shape, Table, TableCell,
};
use super::{HwpError, Limits};

/// Nesting deeper than this is refused (a hostile file could nest without end).
const MAX_DEPTH: usize = 64;

/// OWPML `numFormat` values and the number shapes they mean.
const NUM_FORMATS: [(&str, NumberShape); 15] = [
    ("DIGIT", NumberShape::Digit),                               // 1, 2, 3
    ("CIRCLED_DIGIT", NumberShape::CircledDigit),                // ①
    ("ROMAN_CAPITAL", NumberShape::RomanCapital),                // I
    ("ROMAN_SMALL", NumberShape::RomanSmall),                    // i
    ("LATIN_CAPITAL", NumberShape::LatinCapital),                // A
    ("LATIN_SMALL", NumberShape::LatinSmall),                    // a
    ("CIRCLED_LATIN_CAPITAL", NumberShape::CircledLatinCapital), // Ⓐ
    ("CIRCLED_LATIN_SMALL", NumberShape::CircledLatinSmall),     // ⓐ
    ("HANGUL_SYLLABLE", NumberShape::HangulSyllable),            // 가
    (
        "CIRCLED_HANGUL_SYLLABLE",
        NumberShape::CircledHangulSyllable,
    ), // ㉮
    ("HANGUL_JAMO", NumberShape::HangulJamo),                    // ㄱ
    ("CIRCLED_HANGUL_JAMO", NumberShape::CircledHangulJamo),     // ㉠
    ("HANGUL_PHONETIC", NumberShape::HangulPhonetic),            // 일
    ("IDEOGRAPH", NumberShape::Ideograph),                       // 一
    ("CIRCLED_IDEOGRAPH", NumberShape::CircledIdeograph),        // ㊀
];

/// Reads an HWPX zip.
pub fn read(bytes: &[u8], limits: &Limits) -> Result<Document, HwpError> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| HwpError::Damaged(format!("the HWPX zip cannot be opened: {e}")))?;
    let mut budget = limits.max_total_bytes;
    let header = entry(&mut zip, "Contents/header.xml", limits, &mut budget)?;
    let definitions = match header {
        Some(xml) => header_definitions(&xml)?,
        None => Definitions::default(),
    };
    let mut sections = Vec::new();
    for index in 0.. {
        let name = format!("Contents/section{index}.xml");
        let Some(xml) = entry(&mut zip, &name, limits, &mut budget)? else {
            break;
        };
        sections.push(match section(&xml) {
            Ok(paras) => Section { paras, loss: None },
            Err(error) => Section {
                paras: Vec::new(),
                loss: Some(format!("{name}: {error}")),
            },
        });
    }
    if sections.is_empty() {
        return Err(HwpError::Damaged(
            "no Contents/section0.xml in the HWPX zip".into(),
        ));
    }
    if sections.iter().all(|s| s.paras.is_empty()) {
        let reasons: Vec<&str> = sections.iter().filter_map(|s| s.loss.as_deref()).collect();
        return Err(HwpError::Damaged(reasons.join("; ")));
    }
    Ok(Document {
        definitions,
        sections,
    })
}

/// An entry's bytes, or `None` when missing; refused over the per-entry cap or when the
/// document's total would pass its cap (the declared size is checked first, then the bytes
/// actually inflated, since a zip can lie about sizes).
fn entry(
    zip: &mut zip::ZipArchive<std::io::Cursor<&[u8]>>,
    name: &str,
    limits: &Limits,
    budget: &mut u64,
) -> Result<Option<Vec<u8>>, HwpError> {
    let file = match zip.by_name(name) {
        Ok(file) => file,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(HwpError::Damaged(format!("{name}: {e}"))),
    };
    let cap = limits.max_stream_bytes.min(*budget);
    let too_large = || HwpError::TooLarge {
        what: name.to_string(),
        cap,
    };
    if file.size() > cap {
        return Err(too_large());
    }
    let mut out = Vec::new();
    file.take(cap + 1)
        .read_to_end(&mut out)
        .map_err(|e| HwpError::Damaged(format!("{name}: {e}")))?;
    if out.len() as u64 > cap {
        return Err(too_large());
    }
    *budget -= out.len() as u64;
    Ok(Some(out))
}

/// An XML event reduced to what the readers use.
enum Ev {
    Start(String, Vec<(String, String)>),
    Empty(String, Vec<(String, String)>),
    End,
    Text(String),
    Eof,
}

/// A pull reader over OWPML XML with owned, namespace-free events.
struct Xml<'a> {
    reader: Reader<&'a [u8]>,
    depth: usize,
}

impl<'a> Xml<'a> {
    fn new(bytes: &'a [u8]) -> Xml<'a> {
        let reader = Reader::from_reader(bytes);
        Xml { reader, depth: 0 }
    }

    fn next(&mut self) -> Result<Ev, HwpError> {
        loop {
            let event = self
                .reader
                .read_event()
                .map_err(|e| HwpError::Damaged(format!("XML error: {e}")))?;
            return Ok(match event {
                Event::Start(e) => {
                    self.depth += 1;
                    if self.depth > MAX_DEPTH {
                        return Err(HwpError::Damaged(format!(
                            "XML nested deeper than {MAX_DEPTH} elements"
                        )));
                    }
                    Ev::Start(local(&e), attributes(&e))
                }
                Event::Empty(e) => Ev::Empty(local(&e), attributes(&e)),
                Event::End(_) => {
                    self.depth = self.depth.saturating_sub(1);
                    Ev::End
                }
                Event::Text(t) => {
                    // Entities are unescaped only for the predefined five and character
                    // references; anything else (a DOCTYPE's entity) stays as written.
                    let raw = String::from_utf8_lossy(t.as_ref()).into_owned();
                    let text = quick_xml::escape::unescape(&raw)
                        .map(|c| c.into_owned())
                        .unwrap_or(raw);
                    Ev::Text(text)
                }
                Event::CData(t) => Ev::Text(String::from_utf8_lossy(t.as_ref()).into_owned()),
                Event::Eof => Ev::Eof,
                // DOCTYPE, comments, processing instructions, declarations: ignored.
                _ => continue,
            });
        }
    }

    /// Consumes the rest of the current element.
    fn skip(&mut self) -> Result<(), HwpError> {
        let base = self.depth;
        loop {
            match self.next()? {
                Ev::End if self.depth < base => return Ok(()),
                Ev::Eof => return Ok(()),
                _ => {}
            }
        }
    }

    /// The text inside the current element (all descendants), consuming it.
    fn text(&mut self) -> Result<String, HwpError> {
        let base = self.depth;
        let mut out = String::new();
        loop {
            match self.next()? {
                Ev::Text(t) => out.push_str(&t),
                Ev::End if self.depth < base => return Ok(out),
                Ev::Eof => return Ok(out),
                _ => {}
            }
        }
    }

    /// Every paragraph inside the current element (through `subList` and other wrappers),
    /// consuming it.
    fn paras(&mut self) -> Result<Vec<Para>, HwpError> {
        let base = self.depth;
        let mut out = Vec::new();
        loop {
            match self.next()? {
                Ev::Start(name, attrs) if name == "p" => out.push(self.paragraph(&attrs)?),
                Ev::End if self.depth < base => return Ok(out),
                Ev::Eof => return Ok(out),
                _ => {}
            }
        }
    }

    /// A `hp:p`, consumed up to its end: text from `hp:t`, controls from runs (`hp:run` and
    /// `hp:ctrl` are wrappers walked through).
    fn paragraph(&mut self, attrs: &[(String, String)]) -> Result<Para, HwpError> {
        let base = self.depth;
        let mut para = Para {
            para_shape: number(attrs, "paraPrIDRef"),
            style: number(attrs, "styleIDRef"),
            page_break: attr(attrs, "pageBreak") == Some("1"),
            ..Para::default()
        };
        loop {
            match self.next()? {
                Ev::Start(name, attrs) => match name.as_str() {
                    "run" | "ctrl" => {}
                    "t" => self.run_text(&mut para.text)?,
                    "tbl" => para.controls.push(Control::Table(self.table(&attrs)?)),
                    "header" => para.controls.push(Control::Header(self.paras()?)),
                    "footer" => para.controls.push(Control::Footer(self.paras()?)),
                    "footNote" => para.controls.push(Control::Footnote(self.paras()?)),
                    "endNote" => para.controls.push(Control::Endnote(self.paras()?)),
                    "equation" => para.controls.push(self.equation()?),
                    "secPr" => para
                        .controls
                        .push(Control::Section(self.section_def(&attrs)?)),
                    "pic" | "rect" | "ellipse" | "arc" | "polygon" | "curve" | "connectLine"
                    | "line" | "container" | "ole" | "textart" => {
                        let mut shape = Shape {
                            picture: name == "pic",
                            ..Shape::default()
                        };
                        self.shape(&mut shape)?;
                        para.controls.push(Control::Shape(shape));
                    }
                    _ => self.skip()?,
                },
                Ev::End if self.depth < base => return Ok(para),
                Ev::Eof => return Ok(para),
                _ => {}
            }
        }
    }

    /// The text of a `hp:t`: character data and the inline elements standing for characters.
    fn run_text(&mut self, out: &mut String) -> Result<(), HwpError> {
        let base = self.depth;
        loop {
            match self.next()? {
                Ev::Text(t) => out.push_str(&t),
                Ev::Empty(name, _) | Ev::Start(name, _) if is_space(&name) => out.push(' '),
                Ev::Empty(name, _) if name == "nbSpace" => out.push('\u{00A0}'),
                Ev::Empty(name, _) if name == "fwSpace" => out.push('\u{2007}'),
                Ev::Empty(name, _) if name == "hyphen" => out.push('-'),
                Ev::End if self.depth < base => return Ok(()),
                Ev::Eof => return Ok(()),
                _ => {}
            }
        }
    }

    /// A `hp:tbl`: size and header repetition from its attributes, a caption, and `hp:tc`
    /// cells with their address and span.
    fn table(&mut self, attrs: &[(String, String)]) -> Result<Table, HwpError> {
        let base = self.depth;
        let mut table = Table {
            rows: number(attrs, "rowCnt"),
            cols: number(attrs, "colCnt"),
            repeat_header: attr(attrs, "repeatHeader") == Some("1"),
            ..Table::default()
        };
        loop {
            match self.next()? {
                Ev::Start(name, attrs) => match name.as_str() {
                    "tr" => {}
                    "tc" => table.cells.push(self.cell(&attrs)?),
                    "caption" => table.caption = Some(self.caption(&attrs)?),
                    _ => self.skip()?,
                },
                Ev::End if self.depth < base => return Ok(table),
                Ev::Eof => return Ok(table),
                _ => {}
            }
        }
    }

    /// A `hp:tc`: `header` attribute, `hp:subList` paragraphs, `hp:cellAddr`, `hp:cellSpan`.
    fn cell(&mut self, attrs: &[(String, String)]) -> Result<TableCell, HwpError> {
        let base = self.depth;
        let mut cell = TableCell {
            header: attr(attrs, "header") == Some("1"),
            row_span: 1,
            col_span: 1,
            ..TableCell::default()
        };
        loop {
            match self.next()? {
                Ev::Start(name, attrs) | Ev::Empty(name, attrs) if name == "cellAddr" => {
                    cell.row = number(&attrs, "rowAddr");
                    cell.col = number(&attrs, "colAddr");
                }
                Ev::Start(name, attrs) | Ev::Empty(name, attrs) if name == "cellSpan" => {
                    cell.row_span = number(&attrs, "rowSpan").max(1);
                    cell.col_span = number(&attrs, "colSpan").max(1);
                }
                Ev::Start(name, _) if name == "subList" => cell.paras.extend(self.paras()?),
                Ev::Start(..) => self.skip()?,
                Ev::End if self.depth < base => return Ok(cell),
                Ev::Eof => return Ok(cell),
                _ => {}
            }
        }
    }

    /// A `hp:caption`: its side says whether it comes before (top, left) or after.
    fn caption(&mut self, attrs: &[(String, String)]) -> Result<Caption, HwpError> {
        let before = matches!(attr(attrs, "side"), Some("TOP") | Some("LEFT"));
        Ok(Caption {
            paras: self.paras()?,
            before,
        })
    }

    /// A drawing object (groups walked through): picture, description, caption, text box.
    fn shape(&mut self, shape: &mut Shape) -> Result<(), HwpError> {
        let base = self.depth;
        loop {
            match self.next()? {
                Ev::Start(name, attrs) => match name.as_str() {
                    "caption" => shape.caption = Some(self.caption(&attrs)?),
                    "drawText" | "subList" => shape.text.extend(self.paras()?),
                    "shapeComment" => {
                        let comment = self.text()?;
                        if shape.description.is_empty() {
                            shape.description = comment.trim().to_string();
                        }
                    }
                    "pic" => shape.picture = true,
                    _ => {}
                },
                Ev::Empty(name, _) if name == "img" => shape.picture = true,
                Ev::End if self.depth < base => return Ok(()),
                Ev::Eof => return Ok(()),
                _ => {}
            }
        }
    }

    /// A `hp:equation`: its `hp:script` and caption.
    fn equation(&mut self) -> Result<Control, HwpError> {
        let base = self.depth;
        let mut script = String::new();
        let mut caption = None;
        loop {
            match self.next()? {
                Ev::Start(name, attrs) => match name.as_str() {
                    "script" => script = self.text()?,
                    "caption" => caption = Some(self.caption(&attrs)?),
                    _ => self.skip()?,
                },
                Ev::End if self.depth < base => return Ok(Control::Equation { script, caption }),
                Ev::Eof => return Ok(Control::Equation { script, caption }),
                _ => {}
            }
        }
    }

    /// A `hp:secPr`: the outline numbering and the note markers' prefix and suffix.
    fn section_def(&mut self, attrs: &[(String, String)]) -> Result<SectionDef, HwpError> {
        let base = self.depth;
        let mut def = SectionDef {
            outline_numbering: number(attrs, "outlineShapeIDRef") as u16,
            footnote_suffix: ")".into(),
            endnote_suffix: ")".into(),
            ..SectionDef::default()
        };
        let mut in_endnote = false;
        loop {
            match self.next()? {
                Ev::Start(name, attrs) | Ev::Empty(name, attrs) => match name.as_str() {
                    "footNotePr" => in_endnote = false,
                    "endNotePr" => in_endnote = true,
                    "autoNumFormat" => {
                        let prefix = attr(&attrs, "prefixChar").unwrap_or("").to_string();
                        let suffix = attr(&attrs, "suffixChar").unwrap_or("").to_string();
                        if in_endnote {
                            (def.endnote_prefix, def.endnote_suffix) = (prefix, suffix);
                        } else {
                            (def.footnote_prefix, def.footnote_suffix) = (prefix, suffix);
                        }
                    }
                    _ => {}
                },
                Ev::End if self.depth < base => return Ok(def),
                Ev::Eof => return Ok(def),
                _ => {}
            }
        }
    }
}

/// Inline elements of `hp:t` that stand for a plain space (tab, line break).
fn is_space(name: &str) -> bool {
    matches!(name, "tab" | "lineBreak")
}

/// An element's name without its namespace prefix.
fn local(e: &BytesStart<'_>) -> String {
    String::from_utf8_lossy(e.local_name().as_ref()).into_owned()
}

/// An element's attributes, names without prefixes, values unescaped when possible.
fn attributes(e: &BytesStart<'_>) -> Vec<(String, String)> {
    e.attributes()
        .flatten()
        .map(|a| {
            let key = String::from_utf8_lossy(a.key.local_name().as_ref()).into_owned();
            let raw = String::from_utf8_lossy(&a.value).into_owned();
            let value = quick_xml::escape::unescape(&raw)
                .map(|c| c.into_owned())
                .unwrap_or(raw);
            (key, value)
        })
        .collect()
}

fn attr<'a>(attrs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    attrs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// A numeric attribute, 0 when missing or not a number.
fn number(attrs: &[(String, String)], name: &str) -> u32 {
    attr(attrs, name).and_then(|v| v.parse().ok()).unwrap_or(0)
}

/// The body paragraphs of a section XML.
fn section(xml: &[u8]) -> Result<Vec<Para>, HwpError> {
    let mut reader = Xml::new(xml);
    let mut paras = Vec::new();
    loop {
        match reader.next()? {
            Ev::Start(name, attrs) if name == "p" => paras.push(reader.paragraph(&attrs)?),
            Ev::Eof => return Ok(paras),
            _ => {}
        }
    }
}

/// Paragraph properties (`hh:paraPr` with `hh:heading`), styles, numberings
/// (`hh:numbering` with `hh:paraHead`) and bullets from `header.xml`.
fn header_definitions(xml: &[u8]) -> Result<Definitions, HwpError> {
    let mut reader = Xml::new(xml);
    let mut definitions = Definitions::default();
    let mut para_pr: Option<usize> = None;
    let mut numbering: Option<usize> = None;
    loop {
        let (name, attrs, start) = match reader.next()? {
            Ev::Start(name, attrs) => (name, attrs, true),
            Ev::Empty(name, attrs) => (name, attrs, false),
            Ev::Eof => return Ok(definitions),
            _ => continue,
        };
        match name.as_str() {
            "paraPr" => para_pr = Some(number(&attrs, "id") as usize),
            "heading" => {
                if let Some(id) = para_pr {
                    let head = match attr(&attrs, "type") {
                        Some("OUTLINE") => HeadKind::Outline,
                        Some("NUMBER") => HeadKind::Number,
                        Some("BULLET") => HeadKind::Bullet,
                        _ => HeadKind::None,
                    };
                    set(
                        &mut definitions.para_shapes,
                        id,
                        ParaShape {
                            head,
                            level: number(&attrs, "level").min(9) as u8,
                            head_id: number(&attrs, "idRef") as u16,
                        },
                    );
                }
            }
            "style" => set(
                &mut definitions.styles,
                number(&attrs, "id") as usize,
                attr(&attrs, "name").unwrap_or("").to_string(),
            ),
            "numbering" => {
                let id = (number(&attrs, "id") as usize).saturating_sub(1);
                set(&mut definitions.numberings, id, Numbering::default());
                numbering = Some(id);
            }
            "paraHead" if start => {
                let level = (number(&attrs, "level") as usize).clamp(1, 10) - 1;
                let shape = NUM_FORMATS
                    .iter()
                    .find(|(n, _)| Some(*n) == attr(&attrs, "numFormat"))
                    .map(|(_, s)| *s)
                    .unwrap_or_default();
                let start_at = attr(&attrs, "start")
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(1u32);
                let format = reader.text()?;
                if let Some(n) = numbering.and_then(|id| definitions.numberings.get_mut(id)) {
                    set(
                        &mut n.levels,
                        level,
                        LevelFormat {
                            format,
                            shape,
                            start: start_at.max(1),
                        },
                    );
                }
            }
            "bullet" => {
                let id = (number(&attrs, "id") as usize).saturating_sub(1);
                set(
                    &mut definitions.bullets,
                    id,
                    attr(&attrs, "char").unwrap_or("").to_string(),
                );
            }
            _ => {}
        }
    }
}

/// Sets `items[index]`, growing the vector with defaults (ids are small and dense).
fn set<T: Default>(items: &mut Vec<T>, index: usize, value: T) {
    if index >= 1 << 16 {
        return;
    }
    if items.len() <= index {
        items.resize_with(index + 1, T::default);
    }
    items[index] = value;
}
