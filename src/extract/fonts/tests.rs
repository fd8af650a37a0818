//! Fonts built in small lopdf documents: what pdf-extract 0.12 does with them before and after
//! `prepare`.

use std::panic::{catch_unwind, AssertUnwindSafe};

use lopdf::{dictionary, Dictionary, Document, Object, Stream};

use super::*;

/// A one-page document drawing `content` with `font` as /F1.
fn document(font: Dictionary, content: &[u8]) -> (Document, ObjectId) {
    let mut doc = Document::with_version("1.5");
    let font_id = doc.add_object(font);
    let content_id = doc.add_object(Stream::new(dictionary! {}, content.to_vec()));
    let pages_id = doc.new_object_id();
    let page_id = doc.add_object(dictionary! {
        "Type" => "Page",
        "Parent" => pages_id,
        "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        "Resources" => dictionary! { "Font" => dictionary! { "F1" => font_id } },
        "Contents" => content_id,
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages",
            "Kids" => vec![page_id.into()],
            "Count" => 1,
        }),
    );
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog_id);
    (doc, font_id)
}

/// pdf-extract's plain text of the document, or `None` when it panics.
fn pdf_extract_text(doc: &Document) -> Option<String> {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let result = catch_unwind(AssertUnwindSafe(|| {
        let mut text = String::new();
        let mut output = pdf_extract::PlainTextOutput::new(&mut text);
        pdf_extract::output_doc(doc, &mut output).ok()?;
        Some(text)
    }));
    std::panic::set_hook(previous);
    result.ok().flatten()
}

fn cid_font(encoding: Object, to_unicode: Option<Object>) -> Dictionary {
    // Korean proportional ASCII widths live at CIDs 1–95; 'A' is CID 34.
    let mut ascii = vec![Object::Real(250.0); 95];
    ascii[33] = Object::Integer(667);
    let mut font = dictionary! {
        "Type" => "Font",
        "Subtype" => "Type0",
        "BaseFont" => "HYSMyeongJo-Medium",
        "Encoding" => encoding,
        "DescendantFonts" => vec![Object::Dictionary(dictionary! {
            "Type" => "Font",
            "Subtype" => "CIDFontType0",
            "BaseFont" => "HYSMyeongJo-Medium",
            "CIDSystemInfo" => dictionary! {
                "Registry" => Object::string_literal("Adobe"),
                "Ordering" => Object::string_literal("Korea1"),
                "Supplement" => 1,
            },
            "FontDescriptor" => dictionary! { "Type" => "FontDescriptor", "Flags" => 6 },
            "DW" => 1000,
            "W" => vec![1.into(), Object::Array(ascii)],
        })],
    };
    if let Some(tu) = to_unicode {
        font.set("ToUnicode", tu);
    }
    font
}

fn text_of(content: &str) -> Vec<u8> {
    format!("BT /F1 12 Tf 72 700 Td {content} Tj ET").into_bytes()
}

#[test]
fn uniks_ucs2_font_decodes_as_unicode() {
    // 한글A in UCS-2.
    let (mut doc, font) = document(
        cid_font("UniKS-UCS2-H".into(), None),
        &text_of("<D55CAE000041>"),
    );
    assert_eq!(pdf_extract_text(&doc), None, "pdf-extract 0.12 panics here");
    let report = prepare(&mut doc);
    assert_eq!(
        report.fonts[&font].mapping,
        FontMapping::KoreanCMap("UniKS-UCS2-H".into())
    );
    let text = pdf_extract_text(&doc).expect("no panic after prepare");
    assert_eq!(text.trim(), "한글A");
}

#[test]
fn uniks_ucs2_widths_are_rekeyed_by_code() {
    let (mut doc, font) = document(cid_font("UniKS-UCS2-H".into(), None), &text_of("<0041>"));
    prepare(&mut doc);
    let font = font_dict(&doc, font).unwrap();
    let descendant = resolve(
        &doc,
        &font.get(b"DescendantFonts").unwrap().as_array().unwrap()[0],
    )
    .as_dict()
    .unwrap();
    let w = descendant.get(b"W").unwrap().as_array().unwrap();
    // `0x20 [space … tilde]`: 'A' (code 0x41) now carries CID 34's width.
    assert_eq!(w[0], Object::Integer(0x20));
    let run = w[1].as_array().unwrap();
    assert_eq!(number_of(&run[0x41 - 0x20]), Some(667.0));
}

#[test]
fn cp949_cmap_font_decodes_through_pdf_extract() {
    // 한글 (KS X 1001), 똠 (a CP949 extension syllable), then ASCII "AB" as single bytes.
    let (mut doc, font) = document(
        cid_font("KSCms-UHC-H".into(), None),
        &text_of("<C7D1B1DB8C634142>"),
    );
    assert_eq!(pdf_extract_text(&doc), None, "pdf-extract 0.12 panics here");
    let report = prepare(&mut doc);
    assert_eq!(
        report.fonts[&font].mapping,
        FontMapping::KoreanCMap("KSCms-UHC-H".into())
    );
    let text = pdf_extract_text(&doc).expect("no panic after prepare");
    assert_eq!(text.trim(), "한글똠AB");
}

#[test]
fn existing_to_unicode_is_kept_under_a_korean_cmap() {
    let tu = b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n\
        1 begincodespacerange <0000> <FFFF> endcodespacerange\n\
        1 beginbfchar <D55C> <D55C> endbfchar endcmap end end";
    let mut doc0 = Document::with_version("1.5");
    let tu_id = doc0.add_object(Stream::new(dictionary! {}, tu.to_vec()));
    let tu_stream = doc0.get_object(tu_id).unwrap().clone();
    let (mut doc, font) = document(
        cid_font("UniKS-UCS2-H".into(), Some(tu_stream)),
        &text_of("<D55C>"),
    );
    let report = prepare(&mut doc);
    assert_eq!(
        report.fonts[&font].mapping,
        FontMapping::KoreanCMap("UniKS-UCS2-H".into())
    );
    assert_eq!(pdf_extract_text(&doc).unwrap().trim(), "한");
}

#[test]
fn identity_h_without_to_unicode_is_marked() {
    let (mut doc, font) = document(cid_font("Identity-H".into(), None), &text_of("<00110012>"));
    let before = pdf_extract_text(&doc).unwrap();
    assert_eq!(before.trim(), "", "pdf-extract drops these glyphs silently");
    let report = prepare(&mut doc);
    assert_eq!(
        report.fonts[&font].mapping,
        FontMapping::Unmapped("Identity-H without ToUnicode".into())
    );
    let text = pdf_extract_text(&doc).unwrap();
    let markers: Vec<u32> = text
        .chars()
        .filter(|c| is_unmapped_marker(*c))
        .map(|c| c as u32 - UNMAPPED_BASE)
        .collect();
    assert_eq!(markers, vec![0x11, 0x12]);
}

#[test]
fn named_to_unicode_no_longer_panics() {
    let (mut doc, font) = document(
        cid_font(
            "Identity-H".into(),
            Some(Object::Name(b"UniKS-UCS2-H".to_vec())),
        ),
        &text_of("<0011>"),
    );
    assert_eq!(pdf_extract_text(&doc), None, "pdf-extract 0.12 panics here");
    let report = prepare(&mut doc);
    assert!(matches!(
        &report.fonts[&font].mapping,
        FontMapping::Unmapped(reason) if reason.contains("named ToUnicode")
    ));
    let text = pdf_extract_text(&doc).unwrap();
    assert_eq!(
        text.trim()
            .chars()
            .filter(|c| is_unmapped_marker(*c))
            .count(),
        1
    );
}

#[test]
fn unknown_predefined_cmap_is_marked_not_panicking() {
    let (mut doc, font) = document(cid_font("90ms-RKSJ-H".into(), None), &text_of("<8140>"));
    assert_eq!(pdf_extract_text(&doc), None);
    let report = prepare(&mut doc);
    assert!(matches!(
        report.fonts[&font].mapping,
        FontMapping::Unmapped(_)
    ));
    assert!(pdf_extract_text(&doc)
        .unwrap()
        .chars()
        .any(is_unmapped_marker));
}

fn type1_font(extra: Dictionary) -> Dictionary {
    let mut font = dictionary! {
        "Type" => "Font",
        "Subtype" => "Type1",
        "BaseFont" => "CMR10",
        "FirstChar" => 65,
        "LastChar" => 67,
        "Widths" => vec![600.into(), 600.into(), 600.into()],
    };
    for (k, v) in extra.iter() {
        font.set(k.clone(), v.clone());
    }
    font
}

fn to_unicode_a_only(doc: &mut Document) -> ObjectId {
    let tu = b"begincmap 1 begincodespacerange <00> <FF> endcodespacerange\n\
        1 beginbfchar <41> <0041> endbfchar endcmap";
    doc.add_object(Stream::new(dictionary! {}, tu.to_vec()))
}

#[test]
fn simple_font_with_partial_to_unicode_and_no_encoding() {
    // The XeLaTeX-book case: a code missing from the Unicode map and no encoding to fall back to.
    let (mut doc, font) = document(type1_font(dictionary! {}), &text_of("(AB)"));
    let tu = to_unicode_a_only(&mut doc);
    font_dict_mut(&mut doc, font).unwrap().set("ToUnicode", tu);
    assert_eq!(pdf_extract_text(&doc), None, "pdf-extract 0.12 panics here");
    let report = prepare(&mut doc);
    assert_eq!(report.fonts[&font].mapping, FontMapping::ToUnicode);
    // 'B' comes from the standard encoding of a non-symbolic Type 1 font.
    assert_eq!(pdf_extract_text(&doc).unwrap().trim(), "AB");
}

#[test]
fn differences_with_meaningless_glyph_names_are_marked() {
    let encoding = dictionary! {
        "Type" => "Encoding",
        "BaseEncoding" => "WinAnsiEncoding",
        "Differences" => vec![65.into(), Object::Name(b"g17".to_vec()), Object::Name(b"B".to_vec())],
    };
    let (mut doc, font) = document(
        type1_font(dictionary! { "Encoding" => encoding }),
        &text_of("(ABC)"),
    );
    let report = prepare(&mut doc);
    assert_eq!(report.fonts[&font].mapping, FontMapping::Encoding);
    let text = pdf_extract_text(&doc).unwrap();
    let chars: Vec<char> = text.trim().chars().collect();
    assert_eq!(chars.len(), 3);
    assert_eq!(chars[0], unmapped_marker(0x41));
    assert_eq!(&chars[1..], &['B', 'C']);
}

#[test]
fn standard_encoding_name_no_longer_panics() {
    let (mut doc, font) = document(
        type1_font(dictionary! { "Encoding" => "StandardEncoding" }),
        &text_of("(AB)"),
    );
    assert_eq!(pdf_extract_text(&doc), None, "pdf-extract 0.12 panics here");
    let report = prepare(&mut doc);
    assert_eq!(report.fonts[&font].mapping, FontMapping::Encoding);
    assert_eq!(pdf_extract_text(&doc).unwrap().trim(), "AB");
}

#[test]
fn widths_of_the_wrong_length_no_longer_panic() {
    let (mut doc, _) = document(
        type1_font(dictionary! { "Encoding" => "WinAnsiEncoding", "LastChar" => 90 }),
        &text_of("(AB)"),
    );
    assert_eq!(
        pdf_extract_text(&doc),
        None,
        "pdf-extract 0.12 asserts here"
    );
    prepare(&mut doc);
    assert_eq!(pdf_extract_text(&doc).unwrap().trim(), "AB");
}

#[test]
fn symbolic_truetype_without_mapping_is_unmapped() {
    let font = dictionary! {
        "Type" => "Font",
        "Subtype" => "TrueType",
        "BaseFont" => "AAAAAB+HCRBatang",
        "FirstChar" => 33,
        "LastChar" => 35,
        "Widths" => vec![970.into(), 970.into(), 970.into()],
        "FontDescriptor" => dictionary! { "Type" => "FontDescriptor", "Flags" => 4 },
    };
    let (mut doc, font) = document(font, &text_of("(!\"#)"));
    let report = prepare(&mut doc);
    assert!(matches!(
        report.fonts[&font].mapping,
        FontMapping::Unmapped(_)
    ));
    let text = pdf_extract_text(&doc).unwrap();
    assert_eq!(
        text.trim()
            .chars()
            .filter(|c| is_unmapped_marker(*c))
            .count(),
        3
    );
}

#[test]
fn type3_without_to_unicode_is_marked_and_stray_codes_do_not_panic() {
    let font = dictionary! {
        "Type" => "Font",
        "Subtype" => "Type3",
        "FontBBox" => vec![0.into(), 0.into(), 1000.into(), 1000.into()],
        "FontMatrix" => vec![0.001.into(), 0.into(), 0.into(), 0.001.into(), 0.into(), 0.into()],
        "CharProcs" => dictionary! {},
        "Encoding" => dictionary! {
            "Type" => "Encoding",
            "Differences" => vec![1.into(), Object::Name(b"g1".to_vec())],
        },
        "FirstChar" => 1,
        "LastChar" => 1,
        "Widths" => vec![500.into()],
    };
    // Code 2 has no width: pdf-extract panics on it.
    let (mut doc, font) = document(font, &text_of("<0102>"));
    assert_eq!(pdf_extract_text(&doc), None, "pdf-extract 0.12 panics here");
    let report = prepare(&mut doc);
    assert_eq!(
        report.fonts[&font].mapping,
        FontMapping::Unmapped("Type3 font without ToUnicode".into())
    );
    let text = pdf_extract_text(&doc).unwrap();
    assert_eq!(
        text.trim().chars().collect::<Vec<_>>(),
        vec![unmapped_marker(1), unmapped_marker(2)]
    );
}

#[test]
fn direct_font_dictionaries_get_an_id_and_a_report() {
    let (mut doc, font) = document(cid_font("UniKS-UCS2-H".into(), None), &text_of("<D55C>"));
    // Move the font into the page's resources as a direct dictionary.
    let font_object = doc.objects.remove(&font).unwrap();
    let page_id = *doc.get_pages().values().next().unwrap();
    let page = doc.get_object_mut(page_id).unwrap().as_dict_mut().unwrap();
    page.set(
        "Resources",
        dictionary! { "Font" => dictionary! { "F1" => font_object } },
    );
    let report = prepare(&mut doc);
    assert_eq!(report.fonts.len(), 1);
    assert_eq!(pdf_extract_text(&doc).unwrap().trim(), "한");
}

#[test]
fn unmapped_markers_cover_plane_15() {
    assert!(is_unmapped_marker(unmapped_marker(0)));
    assert!(is_unmapped_marker(unmapped_marker(0xFFFF)));
    assert!(!is_unmapped_marker('한'));
    assert!(!is_unmapped_marker('\u{E000}'));
}
