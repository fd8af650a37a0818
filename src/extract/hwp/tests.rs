//! The hard cases on files generated here: password-encrypted, distribution-protected,
//! HWP 3.x, truncated compound file, corrupt zlib stream, HWPX zip bomb, XML external
//! entities; and outline levels, numbering, tables, notes and furniture from HWPX markup.

use std::io::Write;
use std::path::Path;

use super::hwp5::distribution;
use super::hwp5::records::{encode, tag};
use super::{read, read_with_limits, HwpError, Limits};
use crate::model::{ExtractedDocument, HintKind, LineRole};

/// Lines of the sample booklet, used as generated documents' text.
const SAMPLE: [&str; 3] = [
    "2020년 서울시 사회적경제 생태계 구축 성과 포럼",
    "서울시 사회적경제 정책의 성과와 과제",
    "사회적경제 기업의 지속가능한 성장을 위한 지원",
];

fn deflate(bytes: &[u8]) -> Vec<u8> {
    let mut encoder =
        flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

/// A `PARA_HEADER` + `PARA_TEXT` pair at `level`.
fn paragraph(text: &str, level: u16) -> Vec<u8> {
    let mut units: Vec<u16> = text.encode_utf16().collect();
    units.push(13);
    let mut header = Vec::new();
    header.extend_from_slice(&(units.len() as u32).to_le_bytes());
    header.extend_from_slice(&0u32.to_le_bytes());
    header.extend_from_slice(&0u16.to_le_bytes());
    header.extend_from_slice(&[0, 0]);
    let mut out = encode(tag::PARA_HEADER, level, &header);
    let bytes: Vec<u8> = units.iter().flat_map(|u| u.to_le_bytes()).collect();
    out.extend(encode(tag::PARA_TEXT, level + 1, &bytes));
    out
}

fn section_records(texts: &[&str]) -> Vec<u8> {
    texts.iter().flat_map(|t| paragraph(t, 0)).collect()
}

/// An HWP 5.0 compound file with `FileHeader` properties and ready-made section streams.
fn hwp5(properties: u32, folder: &str, sections: &[Vec<u8>]) -> Vec<u8> {
    let mut file = cfb::CompoundFile::create(std::io::Cursor::new(Vec::new())).unwrap();
    let mut header = vec![0u8; 256];
    header[..17].copy_from_slice(b"HWP Document File");
    header[32..36].copy_from_slice(&0x0501_0000u32.to_le_bytes());
    header[36..40].copy_from_slice(&properties.to_le_bytes());
    file.create_stream("/FileHeader")
        .unwrap()
        .write_all(&header)
        .unwrap();
    let doc_info = if properties & 1 != 0 {
        deflate(&[])
    } else {
        Vec::new()
    };
    file.create_stream("/DocInfo")
        .unwrap()
        .write_all(&doc_info)
        .unwrap();
    file.create_storage(format!("/{folder}")).unwrap();
    for (i, section) in sections.iter().enumerate() {
        file.create_stream(format!("/{folder}/Section{i}"))
            .unwrap()
            .write_all(section)
            .unwrap();
    }
    file.flush().unwrap();
    file.into_inner().into_inner()
}

fn texts(document: &ExtractedDocument) -> Vec<String> {
    document
        .pages
        .iter()
        .flat_map(|p| &p.lines)
        .map(|l| l.text.clone())
        .collect()
}

fn read_bytes(bytes: &[u8]) -> Result<ExtractedDocument, HwpError> {
    read(bytes, Path::new("generated.hwp"))
}

#[test]
fn a_generated_compressed_hwp5_file_reads() {
    let file = hwp5(1, "BodyText", &[deflate(&section_records(&SAMPLE))]);
    let document = read_bytes(&file).unwrap();
    assert_eq!(texts(&document), SAMPLE);
    let hint = document.pages[0].lines[1].hint.as_deref().unwrap();
    assert_eq!(hint.location.map(|l| l.paragraph), Some(1));
}

#[test]
fn password_encrypted_documents_are_refused_with_the_reason() {
    // FileHeader bit 1: 암호 설정.
    let file = hwp5(1 | 2, "BodyText", &[deflate(&section_records(&SAMPLE))]);
    let error = read_bytes(&file).unwrap_err();
    assert!(matches!(error, HwpError::Encrypted), "{error}");
    assert!(error.to_string().contains("password"));
}

#[test]
fn distribution_documents_are_decrypted_with_the_key_in_the_file() {
    // FileHeader bit 2: 배포용 문서; sections in ViewText, encrypted after the key record.
    let plain = deflate(&section_records(&SAMPLE));
    let section = distribution::encrypt(&plain, 0x5EED_1234, b"0123456789abcdef");
    let file = hwp5(1 | 4, "ViewText", &[section]);
    let document = read_bytes(&file).unwrap();
    assert_eq!(texts(&document), SAMPLE);
    // Never the viewer's placeholder (the BodyText stream of such files says to upgrade).
    assert!(!texts(&document).iter().any(|t| t.contains("상위 버전")));
}

#[test]
fn hwp3_files_get_a_clear_reason() {
    let mut file = b"HWP Document File V3.00 \x1a\x01\x02\x03\x04\x05".to_vec();
    file.extend(vec![0u8; 100]);
    let error = read_bytes(&file).unwrap_err();
    assert!(matches!(error, HwpError::Hwp3 { .. }));
    assert!(error.to_string().contains("HWP 3.x"), "{error}");
}

#[test]
fn a_truncated_compound_file_is_a_damaged_file_not_a_panic() {
    let long: Vec<String> = (0..200).map(|i| format!("{} {i}", SAMPLE[i % 3])).collect();
    let long: Vec<&str> = long.iter().map(String::as_str).collect();
    let file = hwp5(0, "BodyText", &[section_records(&long)]);
    for cut in [file.len() / 2, 600] {
        match read_bytes(&file[..cut]) {
            Err(HwpError::Damaged(reason)) => assert!(!reason.is_empty()),
            Err(other) => panic!("{cut}: {other}"),
            Ok(document) => panic!("{cut}: read {} pages", document.pages.len()),
        }
    }
}

#[test]
fn a_corrupt_zlib_section_is_flagged_and_the_others_kept() {
    let good = deflate(&section_records(&SAMPLE));
    // A deflate block header with the reserved block type 11: invalid from the first byte.
    let corrupt = vec![0x07, 0xFF, 0x13, 0x37, 0x00, 0x42];
    let file = hwp5(1, "BodyText", &[good, corrupt]);
    let document = read_bytes(&file).unwrap();
    assert_eq!(texts(&document), SAMPLE);
    let flags: Vec<_> = document.pages.iter().flat_map(|p| &p.facts.flags).collect();
    assert_eq!(flags.len(), 1, "{flags:?}");
    assert_eq!(flags[0].kind, "extraction_failed");
    assert!(flags[0].detail.contains("section 1"), "{}", flags[0].detail);
}

/// An HWPX zip with `header.xml` and `section0.xml`.
fn hwpx(header: &str, section: &[u8]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let deflated = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("mimetype", stored).unwrap();
    zip.write_all(b"application/hwp+zip").unwrap();
    zip.start_file("Contents/header.xml", deflated).unwrap();
    zip.write_all(header.as_bytes()).unwrap();
    zip.start_file("Contents/section0.xml", deflated).unwrap();
    zip.write_all(section).unwrap();
    zip.finish().unwrap().into_inner()
}

const NS: &str = r#"xmlns:hp="http://www.hancom.co.kr/hwpml/2011/paragraph" xmlns:hs="http://www.hancom.co.kr/hwpml/2011/section" xmlns:hh="http://www.hancom.co.kr/hwpml/2011/head""#;

fn para(para_pr: u32, style: u32, inner: &str) -> String {
    format!(r#"<hp:p paraPrIDRef="{para_pr}" styleIDRef="{style}"><hp:run>{inner}</hp:run></hp:p>"#)
}

fn text(t: &str) -> String {
    format!("<hp:t>{t}</hp:t>")
}

#[test]
fn an_hwpx_zip_bomb_is_refused_over_the_cap() {
    let mut section = format!("<hs:sec {NS}>").into_bytes();
    section.extend(vec![b' '; 4 << 20]);
    section.extend(b"</hs:sec>");
    let file = hwpx(&format!("<hh:head {NS}/>"), &section);
    assert!(file.len() < 64 << 10, "a bomb: {} bytes", file.len());
    let limits = Limits {
        max_stream_bytes: 1 << 20,
        max_total_bytes: 8 << 20,
    };
    let error = read_with_limits(&file, Path::new("bomb.hwpx"), &limits).unwrap_err();
    assert!(matches!(error, HwpError::TooLarge { .. }), "{error}");
    assert!(error.to_string().contains("section0.xml"), "{error}");
}

#[test]
fn xml_external_entities_are_never_resolved() {
    let section = format!(
        r#"<?xml version="1.0"?><!DOCTYPE hs:sec [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><hs:sec {NS}>{}{}</hs:sec>"#,
        para(0, 0, &text(SAMPLE[0])),
        para(0, 0, &text("&xxe;"))
    );
    let file = hwpx(&format!("<hh:head {NS}/>"), section.as_bytes());
    let document = read(&file, Path::new("xxe.hwpx")).unwrap();
    let all = texts(&document).join("\n");
    assert!(all.contains(SAMPLE[0]));
    assert!(!all.contains("root:"), "{all}");
}

#[test]
fn hwpx_outline_numbering_tables_notes_and_furniture() {
    let header = format!(
        r#"<hh:head {NS}><hh:refList>
<hh:numberings><hh:numbering id="1" start="0">
<hh:paraHead start="1" level="1" numFormat="CIRCLED_DIGIT">^1</hh:paraHead>
</hh:numbering></hh:numberings>
<hh:paraProperties>
<hh:paraPr id="0"><hh:heading type="NONE" idRef="0" level="0"/></hh:paraPr>
<hh:paraPr id="1"><hh:heading type="OUTLINE" idRef="0" level="0"/></hh:paraPr>
<hh:paraPr id="2"><hh:heading type="OUTLINE" idRef="0" level="1"/></hh:paraPr>
<hh:paraPr id="3"><hh:heading type="NUMBER" idRef="1" level="0"/></hh:paraPr>
</hh:paraProperties>
<hh:styles><hh:style id="0" name="바탕글"/><hh:style id="1" name="개요 1"/><hh:style id="2" name="개요 2"/></hh:styles>
</hh:refList></hh:head>"#
    );
    let table = r#"<hp:tbl rowCnt="2" colCnt="2" repeatHeader="1">
<hp:caption side="TOP"><hp:subList><hp:p paraPrIDRef="0" styleIDRef="0"><hp:run><hp:t>표 1. 성과</hp:t></hp:run></hp:p></hp:subList></hp:caption>
<hp:tr><hp:tc header="1"><hp:subList><hp:p paraPrIDRef="0" styleIDRef="0"><hp:run><hp:t>구분</hp:t></hp:run></hp:p></hp:subList><hp:cellAddr colAddr="0" rowAddr="0"/><hp:cellSpan colSpan="2" rowSpan="1"/></hp:tc></hp:tr>
<hp:tr><hp:tc header="0"><hp:subList><hp:p paraPrIDRef="0" styleIDRef="0"><hp:run><hp:t>기업</hp:t></hp:run></hp:p></hp:subList><hp:cellAddr colAddr="0" rowAddr="1"/><hp:cellSpan colSpan="1" rowSpan="1"/></hp:tc>
<hp:tc header="0"><hp:subList><hp:p paraPrIDRef="0" styleIDRef="0"><hp:run><hp:t>120</hp:t></hp:run></hp:p></hp:subList><hp:cellAddr colAddr="1" rowAddr="1"/><hp:cellSpan colSpan="1" rowSpan="1"/></hp:tc></hp:tr>
</hp:tbl>"#;
    let header_ctrl = format!(
        "<hp:ctrl><hp:header><hp:subList>{}</hp:subList></hp:header></hp:ctrl>",
        para(0, 0, &text("서울시 사회적경제 포럼 자료집"))
    );
    let note = format!(
        "<hp:ctrl><hp:footNote><hp:subList>{}</hp:subList></hp:footNote></hp:ctrl>",
        para(0, 0, &text("서울시 사회적경제지원센터 자료"))
    );
    let section = format!(
        "<hs:sec {NS}>{}{}{}{}{}{}</hs:sec>",
        para(1, 1, &format!("{header_ctrl}{}", text(SAMPLE[0]))),
        para(2, 2, &text(SAMPLE[1])),
        para(2, 2, &format!("{}{note}", text(SAMPLE[2]))),
        para(3, 0, &text("사회적경제 기업 현황")),
        para(0, 0, table),
        r#"<hp:p paraPrIDRef="1" styleIDRef="1" pageBreak="1"><hp:run><hp:t>정책 제언</hp:t></hp:run></hp:p>"#,
    );
    let document = read(&hwpx(&header, section.as_bytes()), Path::new("g.hwpx")).unwrap();
    let lines: Vec<_> = document.pages.iter().flat_map(|p| &p.lines).collect();
    let summary: Vec<(String, Option<u8>, Option<String>)> = lines
        .iter()
        .map(|l| {
            let hint = l.hint.as_deref();
            (
                l.text.clone(),
                hint.and_then(|h| h.heading_level),
                hint.and_then(|h| h.list_marker.clone()),
            )
        })
        .collect();
    let expect = |t: &str, level: Option<u8>, marker: Option<&str>| {
        (t.to_string(), level, marker.map(String::from))
    };
    assert_eq!(
        summary,
        vec![
            expect("서울시 사회적경제 포럼 자료집", None, None),
            expect(SAMPLE[0], Some(1), Some("1.")),
            expect(SAMPLE[1], Some(2), Some("가.")),
            expect(SAMPLE[2], Some(2), Some("나.")),
            expect("서울시 사회적경제지원센터 자료", None, None),
            expect("사회적경제 기업 현황", None, Some("①")),
            expect("표 1. 성과", None, None),
            expect("", None, None),
            expect("정책 제언", Some(1), Some("2.")),
        ]
    );
    assert_eq!(lines[0].role, LineRole::RunningHeader);
    assert_eq!(
        lines[4].hint.as_ref().map(|h| h.kind.clone()),
        Some(HintKind::Footnote {
            marker: "1)".into()
        })
    );
    assert_eq!(
        lines[6].hint.as_ref().map(|h| h.kind.clone()),
        Some(HintKind::Caption)
    );
    assert_eq!(lines[7].table, Some(0));
    let table = &document.pages[0].tables[0];
    assert_eq!((table.rows, table.cols, table.header_rows), (2, 2, Some(1)));
    assert_eq!(table.cells[0].col_span, 2);
    assert_eq!(table.cells[2].text(), "120");
    assert_eq!(
        table.cells[2].lines[0]
            .hint
            .as_ref()
            .and_then(|h| h.location)
            .and_then(|l| l.cell),
        Some([1, 1])
    );
    // The explicit page break starts page 2.
    assert_eq!(document.pages.len(), 2);
    assert_eq!(lines[8].page, 2);
    assert_eq!(
        lines[1]
            .hint
            .as_ref()
            .and_then(|h| h.style.clone())
            .as_deref(),
        Some("개요 1")
    );
}

#[test]
fn a_table_with_addresses_far_past_its_cells_gets_a_dense_grid() {
    // The fuzzer's finding: one mutated address (row 40000, column 30000) and a declared
    // size of 99999 × 99999 made later stages walk billions of grid positions.
    let cell = |row: u32, col: u32, t: &str| {
        format!(
            r#"<hp:tc header="0"><hp:subList>{}</hp:subList><hp:cellAddr colAddr="{col}" rowAddr="{row}"/><hp:cellSpan colSpan="1" rowSpan="1"/></hp:tc>"#,
            para(0, 0, &text(t))
        )
    };
    let table = format!(
        r#"<hp:tbl rowCnt="99999" colCnt="99999"><hp:tr>{}{}</hp:tr><hp:tr>{}{}</hp:tr></hp:tbl>"#,
        cell(0, 0, "구분"),
        cell(0, 1, "기업"),
        cell(1, 0, "사회적기업"),
        cell(40_000, 30_000, "120"),
    );
    let section = format!("<hs:sec {NS}>{}</hs:sec>", para(0, 0, &table));
    let document = read(
        &hwpx(&format!("<hh:head {NS}/>"), section.as_bytes()),
        Path::new("sparse.hwpx"),
    )
    .unwrap();
    let table = &document.pages[0].tables[0];
    assert_eq!((table.rows, table.cols), (3, 3));
    let texts: Vec<(u32, u32, String)> = table
        .cells
        .iter()
        .map(|c| (c.row, c.col, c.text()))
        .collect();
    assert_eq!(
        texts,
        vec![
            (0, 0, "구분".to_string()),
            (0, 1, "기업".to_string()),
            (1, 0, "사회적기업".to_string()),
            (2, 2, "120".to_string()),
        ]
    );
}
