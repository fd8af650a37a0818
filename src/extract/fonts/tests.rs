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

/// A minimal TrueType program whose cmap draws 가 with glyph 1, both ⼄ (Kangxi radical) and 乙
/// with glyph 2 (as CJK fonts share them), and A with glyph 3.
fn tiny_truetype() -> Vec<u8> {
    fn be16(out: &mut Vec<u8>, v: u16) {
        out.extend_from_slice(&v.to_be_bytes());
    }
    let mut head = Vec::new();
    head.extend_from_slice(&0x0001_0000u32.to_be_bytes()); // version
    head.extend_from_slice(&0x0001_0000u32.to_be_bytes()); // fontRevision
    head.extend_from_slice(&0u32.to_be_bytes()); // checkSumAdjustment
    head.extend_from_slice(&0x5F0F_3CF5u32.to_be_bytes()); // magicNumber
    be16(&mut head, 0); // flags
    be16(&mut head, 1000); // unitsPerEm
    head.extend_from_slice(&[0; 16]); // created, modified
    for v in [0u16, 0, 1000, 1000, 0, 8, 2, 0, 0] {
        be16(&mut head, v); // bbox, macStyle, lowestRecPPEM, direction, indexToLoc, glyphData
    }
    let mut hhea = Vec::new();
    hhea.extend_from_slice(&0x0001_0000u32.to_be_bytes());
    for v in [
        880u16, 0xFF88, 0, 1000, 0, 0, 1000, 1, 0, 0, 0, 0, 0, 0, 0, 4,
    ] {
        be16(&mut hhea, v);
    }
    let mut maxp = Vec::new();
    maxp.extend_from_slice(&0x0000_5000u32.to_be_bytes());
    be16(&mut maxp, 4);
    // cmap format 4: segments for A, ⼄, 乙, 가 and the final 0xFFFF.
    let segments: [(u16, u16); 5] = [
        (0x41, 3),
        (0x2F04, 2),
        (0x4E59, 2),
        (0xAC00, 1),
        (0xFFFF, 0),
    ];
    let mut sub = Vec::new();
    let seg_x2 = (segments.len() * 2) as u16;
    for v in [
        4u16,
        16 + 8 * segments.len() as u16,
        0,
        seg_x2,
        8,
        2,
        seg_x2 - 8,
    ] {
        be16(&mut sub, v);
    }
    for (c, _) in segments {
        be16(&mut sub, c); // endCode
    }
    be16(&mut sub, 0);
    for (c, _) in segments {
        be16(&mut sub, c); // startCode
    }
    for (c, g) in segments {
        be16(&mut sub, if c == 0xFFFF { 1 } else { g.wrapping_sub(c) }); // idDelta
    }
    for _ in segments {
        be16(&mut sub, 0); // idRangeOffset
    }
    let mut cmap = Vec::new();
    for v in [0u16, 1, 3, 1] {
        be16(&mut cmap, v);
    }
    cmap.extend_from_slice(&12u32.to_be_bytes());
    cmap.extend_from_slice(&sub);
    let tables: [(&[u8; 4], Vec<u8>); 4] = [
        (b"cmap", cmap),
        (b"head", head),
        (b"hhea", hhea),
        (b"maxp", maxp),
    ];
    let mut font = Vec::new();
    font.extend_from_slice(&0x0001_0000u32.to_be_bytes());
    for v in [tables.len() as u16, 64, 2, 0] {
        be16(&mut font, v);
    }
    let mut offset = 12 + 16 * tables.len();
    let mut body = Vec::new();
    for (tag, data) in &tables {
        font.extend_from_slice(*tag);
        font.extend_from_slice(&0u32.to_be_bytes());
        font.extend_from_slice(&(offset as u32).to_be_bytes());
        font.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let mut padded = data.clone();
        padded.resize(data.len().div_ceil(4) * 4, 0);
        offset += padded.len();
        body.extend_from_slice(&padded);
    }
    font.extend_from_slice(&body);
    font
}

#[test]
fn identity_h_truetype_without_to_unicode_reads_the_embedded_cmap() {
    let (mut doc, font) = document(
        cid_font("Identity-H".into(), None),
        &text_of("<000100020003>"),
    );
    let file = doc.add_object(Stream::new(dictionary! {}, tiny_truetype()));
    let descendant = font_dict_mut(&mut doc, font)
        .unwrap()
        .get_mut(b"DescendantFonts")
        .unwrap()
        .as_array_mut()
        .unwrap()[0]
        .as_dict_mut()
        .unwrap();
    descendant.set("Subtype", "CIDFontType2");
    descendant.set("CIDToGIDMap", "Identity");
    descendant.set(
        "FontDescriptor",
        dictionary! { "Type" => "FontDescriptor", "Flags" => 4, "FontFile2" => file },
    );
    let mut marked = doc.clone();
    let report = prepare(&mut marked);
    assert!(matches!(
        report.fonts[&font].mapping,
        FontMapping::Unmapped(_)
    ));
    assert!(pdf_extract_text(&marked)
        .unwrap()
        .chars()
        .all(|c| c.is_whitespace() || is_unmapped_marker(c)));
    let options = FontOptions {
        use_embedded_cmaps: true,
    };
    let report = prepare_with(&mut doc, &options);
    assert_eq!(report.fonts[&font].mapping, FontMapping::FontProgram);
    // Glyph 2 is shared by ⼄ and 乙: the unified ideograph wins.
    assert_eq!(pdf_extract_text(&doc).unwrap().trim(), "가乙A");
}

#[test]
fn width_runs_group_consecutive_cids_and_keep_a_repeated_one_apart() {
    let w = |v: i64| Object::Integer(v);
    let runs = width_runs([
        (3, w(300)),
        (4, w(400)),
        (9, w(900)),
        (9, w(901)),
        (10, w(1000)),
    ]);
    assert_eq!(
        runs,
        vec![
            (3, vec![w(300), w(400)]),
            (9, vec![w(900)]),
            // 9 again: its own entry after the first, so it wins in pdf-extract's map.
            (9, vec![w(901), w(1000)]),
        ]
    );
}
