//! Broken cross-reference data: copies of fixture PDFs (one with a classic xref table, one with
//! an xref stream and object streams) damaged the ways files get damaged — cut before the
//! cross-reference data, bytes flipped in it, the trailer and `startxref` gone, every offset
//! shifted by bytes inserted near the top, the file cut short — are read through a table
//! rebuilt by scanning their objects: every page that survives keeps its text, and each page
//! says the table was rebuilt.

mod common;

use std::path::PathBuf;

use jaryo::extract::pdf::{extract_bytes, PdfOpenError};
use jaryo::extract::ExtractOptions;
use jaryo::model::ExtractedDocument;

/// The two layouts of cross-reference data the fixtures use.
const FIXTURES: &[&str] = &[
    "tests/pdf_layout/one_column.pdf",
    "fixtures/pdf/one_column.pdf",
];

fn fixture(path: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(path);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn extract(bytes: &[u8]) -> Result<ExtractedDocument, PdfOpenError> {
    extract_bytes(bytes, &ExtractOptions::default())
}

fn rfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

/// Where the newest cross-reference section starts (the offset after `startxref`).
fn xref_offset(bytes: &[u8]) -> usize {
    let at = rfind(bytes, b"startxref").expect("a startxref") + b"startxref".len();
    let digits: String = bytes[at..]
        .iter()
        .map(|&b| b as char)
        .skip_while(|c| c.is_whitespace())
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().expect("an offset after startxref")
}

/// Each damage with its name.
fn damaged_copies(bytes: &[u8]) -> Vec<(&'static str, Vec<u8>)> {
    let xref = xref_offset(bytes);
    let mut flipped = bytes.to_vec();
    for b in flipped[xref..].iter_mut().step_by(7).take(64) {
        *b ^= 0x55;
    }
    let startxref = rfind(bytes, b"startxref").unwrap();
    let mut shifted = bytes.to_vec();
    let line_end = shifted.iter().position(|&b| b == b'\n').unwrap() + 1;
    shifted.splice(
        line_end..line_end,
        b"% 64 bytes of a comment inserted by an editor ......\n"
            .iter()
            .copied(),
    );
    vec![
        (
            "cut before the cross-reference data",
            bytes[..xref].to_vec(),
        ),
        ("bytes flipped in the cross-reference data", flipped),
        ("trailer and startxref dropped", bytes[..startxref].to_vec()),
        ("offsets shifted", shifted),
    ]
}

fn assert_rebuilt(doc: &ExtractedDocument, what: &str) {
    for page in &doc.pages {
        let flag = page.facts.flags.iter().find(|f| f.kind == "xref_rebuilt");
        let flag =
            flag.unwrap_or_else(|| panic!("{what}: page {} has no xref_rebuilt", page.number));
        assert!(flag.detail.contains("rebuilt from"), "{}", flag.detail);
    }
}

#[test]
fn damaged_cross_references_are_rebuilt_and_every_page_keeps_its_text() {
    for path in FIXTURES {
        let bytes = fixture(path);
        let whole = extract(&bytes).unwrap_or_else(|e| panic!("{path}: {e}"));
        assert!(whole
            .pages
            .iter()
            .all(|p| p.facts.flags.iter().all(|f| f.kind != "xref_rebuilt")));
        assert!(whole.text().len() > 500, "{path}: the fixture has text");
        for (what, copy) in damaged_copies(&bytes) {
            let doc = extract(&copy).unwrap_or_else(|e| panic!("{path}, {what}: {e}"));
            assert_eq!(doc.pages.len(), whole.pages.len(), "{path}, {what}");
            assert_eq!(doc.text(), whole.text(), "{path}, {what}");
            assert_rebuilt(&doc, &format!("{path}, {what}"));
        }
    }
}

#[test]
fn a_file_cut_short_keeps_the_pages_before_the_cut() {
    // The sample booklet cut at 60 %: its first pages are all there.
    let path = "input/seoul_social_economy_forum_2020.pdf";
    let bytes = fixture(path);
    let whole = extract(&bytes).unwrap();
    let cut = extract(&bytes[..bytes.len() * 6 / 10]).expect("the cut file reads");
    assert_rebuilt(&cut, "cut at 60 %");
    let with_text = |doc: &ExtractedDocument| {
        doc.pages
            .iter()
            .filter(|p| !p.lines.is_empty())
            .map(|p| p.number)
            .collect::<Vec<_>>()
    };
    let kept = with_text(&cut);
    assert!(!kept.is_empty(), "no page kept its text");
    // A page read from the cut file reads as in the whole file.
    for number in kept {
        let page = |doc: &ExtractedDocument| {
            doc.pages
                .iter()
                .find(|p| p.number == number)
                .map(|p| p.texts().collect::<Vec<_>>().join("\n"))
        };
        assert_eq!(page(&cut), page(&whole), "page {number}");
    }
}

#[test]
fn a_file_cut_before_any_page_is_still_damaged() {
    let bytes = fixture(FIXTURES[0]);
    let error = extract(&bytes[..200]).err();
    assert!(
        matches!(
            error,
            Some(PdfOpenError::Damaged(_)) | Some(PdfOpenError::NoPages)
        ),
        "{error:?}"
    );
}

/// The expected lines written beside a hand-made fixture by `scripts/make_recovery_fixtures.py`.
fn expected_lines(name: &str) -> Vec<String> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/recovery")
        .join(format!("{name}.expected.txt"));
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn standard_fonts_without_a_font_file_keep_all_their_text() {
    let doc = extract(&fixture("fixtures/recovery/standard14.pdf")).unwrap();
    let page = &doc.pages[0];
    assert!(page.facts.text_layer, "{:?}", page.facts);
    assert_eq!(page.facts.unmapped_glyphs, 0);
    let lines: Vec<&str> = page.lines.iter().map(|l| l.text.as_str()).collect();
    let expected = expected_lines("standard14");
    // Every line whole and in order (Times-Roman's `'` is a right single quote in the
    // standard encoding, as pdftotext reads it too).
    let straight = |s: &str| s.replace('\u{2019}', "'");
    assert_eq!(
        lines.iter().map(|l| straight(l)).collect::<Vec<_>>(),
        expected.iter().map(|l| straight(l)).collect::<Vec<_>>()
    );
}

#[test]
fn fonts_without_usable_widths_keep_every_glyph() {
    // Arial with no widths and no font file, a subset-tagged Times-Roman, Times New Roman
    // flagged symbolic: each drawn with the standard font, so each keeps every glyph of the
    // sample's English title (with no widths, glyphs used to pile up at one spot and repeated
    // letters were dropped as shadow text).
    let title = "Seoul Social Economy Forum 2020";
    let fonts = [
        "/Subtype /TrueType /BaseFont /Arial /Encoding /WinAnsiEncoding",
        "/Subtype /Type1 /BaseFont /ABCDEF+Times-Roman",
        "/Subtype /Type1 /BaseFont /Times-Roman,Bold /FirstChar 32 /LastChar 126 /Widths [250 333]",
        "/Subtype /TrueType /BaseFont /TimesNewRomanPSMT /FontDescriptor 6 0 R",
        // Widths that stop short of the codes drawn (the rest get the widths' mean), and a
        // font no standard font stands for with no widths at all (half an em each).
        "/Subtype /TrueType /BaseFont /TimesNewRomanPSMT /FirstChar 32 /LastChar 34 \
         /Widths [250 333 408] /FontDescriptor 6 0 R",
        "/Subtype /TrueType /BaseFont /Gulim /FirstChar 32 /LastChar 34 /Widths [250 333 408]",
        "/Subtype /TrueType /BaseFont /BatangChe /Encoding /WinAnsiEncoding",
    ];
    for font in fonts {
        let (text, width) = drawn_with(font, title);
        assert_eq!(text, vec![title], "{font}");
        // Times/Helvetica at 12 pt set the title in about 170-190 pt; glyphs piled up at
        // one spot would span a few points.
        assert!(width > 100.0, "{font}: {width}");
    }
    // Symbol keeps its own encoding (the title's letters are Greek in it, as pdftotext reads).
    let (text, _) = drawn_with("/Subtype /Type1 /BaseFont /Symbol", title);
    assert_eq!(text, vec!["Σεουλ Σοχιαλ Εχονοµψ Φορυµ 2020"]);
}

/// The lines and the first line's width of a one-page PDF showing `title` in the font
/// dictionary with `font` (object 6 is a symbolic font descriptor it may use).
fn drawn_with(font: &str, title: &str) -> (Vec<String>, f32) {
    let content = format!("BT /F1 12 Tf 72 700 Td ({title}) Tj ET");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R \
             /Resources << /Font << /F1 5 0 R >> >> >>"
            .to_string(),
        format!(
            "<< /Length {} >>\nstream\n{content}\nendstream",
            content.len()
        ),
        format!("<< /Type /Font {font} >>"),
        "<< /Type /FontDescriptor /FontName /TimesNewRomanPSMT /Flags 4 \
             /FontBBox [0 0 1000 1000] /ItalicAngle 0 /Ascent 683 /Descent -217 \
             /CapHeight 653 /StemV 76 >>"
            .to_string(),
    ];
    let doc = extract(&common::pdf_of(&objects)).unwrap_or_else(|e| panic!("{font}: {e}"));
    let lines = &doc.pages[0].lines;
    let text = lines.iter().map(|l| l.text.clone()).collect();
    let width = lines
        .first()
        .and_then(|l| l.bbox)
        .map_or(0.0, |b| b[2] - b[0]);
    (text, width)
}

#[test]
fn form_fields_and_free_text_become_lines_of_their_own() {
    use jaryo::model::{AnnotationKind, HintKind};
    let doc = extract(&fixture("fixtures/recovery/annotations.pdf")).unwrap();
    let lines = &doc.pages[0].lines;
    let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
    assert_eq!(texts, expected_lines("annotations"));
    let kinds: Vec<Option<(AnnotationKind, Option<String>)>> = lines
        .iter()
        .map(|l| match l.hint.as_ref().map(|h| &h.kind) {
            Some(HintKind::Annotation(a)) => Some((a.kind, a.field.clone())),
            _ => None,
        })
        .collect();
    let field = |name: &str| Some((AnnotationKind::FormField, Some(name.to_string())));
    assert_eq!(
        kinds,
        vec![
            None,
            None,
            None,
            None,
            field("name"),
            field("district"),
            Some((AnnotationKind::FreeText, None)),
        ]
    );
    // Each sits where its annotation is on the page (the name field: x 150-450, 132-152 from
    // the top of a 792 pt page).
    let name = lines[4].bbox.unwrap();
    assert_eq!(name, [150.0, 132.0, 450.0, 152.0]);
}

#[test]
fn annotation_lines_are_blocks_marked_as_annotations_in_the_output() {
    use jaryo::model::AnnotationKind;
    use jaryo::pipeline::{process_file, PipelineOptions};
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/recovery/annotations.pdf");
    let document = process_file(&path, &PipelineOptions::default(), common::analyzer())
        .unwrap_or_else(|e| panic!("{e}"));
    let marked: Vec<(&str, AnnotationKind)> = document
        .blocks
        .iter()
        .filter_map(|b| Some((b.text.as_str(), b.annotation.as_ref()?.kind)))
        .collect();
    assert_eq!(
        marked,
        vec![
            (
                "Seoul Social Economy Support Centre",
                AnnotationKind::FormField
            ),
            ("Seongbuk-gu", AnnotationKind::FormField),
            (
                "Reviewer's note: forum moved to 24 November 2020",
                AnnotationKind::FreeText
            ),
        ]
    );
    // The page's own lines are not marked.
    assert!(document
        .blocks
        .iter()
        .filter(|b| b.text.contains("participant form"))
        .all(|b| b.annotation.is_none()));
    let json = serde_json::to_value(&document).unwrap();
    let free = json["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["annotation"]["kind"] == "free_text");
    assert!(free.is_some(), "{json:#}");
}
