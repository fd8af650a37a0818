//! Per-page font copies (`extract::pdf::page_fonts`) only make extraction faster: every
//! committed PDF, the sample booklet PDF and every real PDF made by others extract exactly the
//! same with and without them, and the sample booklet really gets them.

mod common;

use std::path::PathBuf;

use jaryo::extract::pdf::{extract_bytes, load, page_fonts, to_unicode};
use jaryo::extract::ExtractOptions;
use lopdf::dictionary;

fn pdfs() -> Vec<PathBuf> {
    let root = common::repo_root();
    let mut dirs = vec![
        root.join("fixtures/pdf"),
        root.join("fixtures/fonts"),
        root.join("tests/pdf_layout"),
        root.join("input"),
    ];
    dirs.extend(common::real_pdfs_dir());
    let mut files: Vec<PathBuf> = dirs
        .iter()
        .filter_map(|d| std::fs::read_dir(d).ok())
        .flat_map(|entries| entries.flatten().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    files.sort();
    files
}

#[test]
fn copies_change_no_text_position_or_flag() {
    let mut compared = 0;
    for path in pdfs() {
        let bytes = std::fs::read(&path).expect("readable");
        let with_copies = extract_bytes(&bytes, &ExtractOptions::default());
        let whole = extract_bytes(
            &bytes,
            &ExtractOptions {
                whole_fonts_per_page: true,
                ..ExtractOptions::default()
            },
        );
        match (with_copies, whole) {
            (Ok(a), Ok(b)) => {
                assert_eq!(a.pages.len(), b.pages.len(), "{}", path.display());
                for (pa, pb) in a.pages.iter().zip(&b.pages) {
                    assert_eq!(pa, pb, "{} page {}", path.display(), pa.number);
                }
                compared += 1;
            }
            (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
            (a, b) => panic!("{}: {:?} vs {:?}", path.display(), a.err(), b.err()),
        }
    }
    println!("{compared} PDFs extract the same with and without per-page font copies");
    // Every committed PDF but `tests/pdf_layout/encrypted.pdf` (which fails both ways); the
    // real ones in `../shared/real-pdfs/` only where present.
    let real = common::real_pdfs_dir();
    let committed = pdfs()
        .iter()
        .filter(|p| !real.as_ref().is_some_and(|r| p.starts_with(r)))
        .count();
    assert!(
        compared + 1 >= committed,
        "only {compared} of {committed} committed PDFs compared"
    );
    if real.is_some() {
        assert!(compared >= 18, "only {compared} PDFs compared");
    } else {
        eprintln!("skipped: ../shared/real-pdfs missing (the committed PDFs were compared)");
    }
}

#[test]
fn the_sample_booklet_pages_get_their_own_font_copies() {
    let bytes =
        std::fs::read(common::repo_root().join("input/seoul_social_economy_forum_2020.pdf"))
            .expect("the sample booklet PDF");
    let mut doc = load::open(&bytes, None).expect("opens");
    let setups = load::page_setups(&doc);
    jaryo::extract::fonts::prepare(&mut doc);
    let unicode = to_unicode::accelerate(&mut doc);
    let pages = page_fonts::split(&mut doc, &setups, &unicode).pages;
    // Every page that shows text with a Chromium (Type0, Identity-H) font.
    assert!(pages >= 70, "{pages} of {} pages", setups.len());
}

/// Opens `path` and runs font preparation and stand-in maps, as extraction does before
/// splitting.
fn prepared(
    path: &str,
) -> (
    lopdf::Document,
    Vec<load::PageSetup>,
    to_unicode::UnicodeTable,
) {
    let bytes = std::fs::read(common::repo_root().join(path)).expect("fixture");
    let mut doc = load::open(&bytes, None).expect("opens");
    let setups = load::page_setups(&doc);
    jaryo::extract::fonts::prepare(&mut doc);
    let unicode = to_unicode::accelerate(&mut doc);
    (doc, setups, unicode)
}

#[test]
fn fonts_read_only_through_copies_keep_their_width_ranges() {
    let (mut doc, setups, unicode) = prepared("fixtures/pdf/one_column.pdf");
    let split = page_fonts::split(&mut doc, &setups, &unicode);
    assert_eq!(split.pages, setups.len());
    // The Nanum subsets' descendants: only the pages' copies read them.
    assert!(!split.copied_only.is_empty());
}

#[test]
fn one_page_left_as_it_is_keeps_every_font_whole() {
    let (mut doc, setups, unicode) = prepared("fixtures/pdf/one_column.pdf");
    // An inline image: the content scan gives up on the page, which then reads the shared
    // fonts, so no descendant may go without its expanded widths.
    let first = setups[0].id;
    let mut content = doc.get_page_content(first).expect("content");
    content.extend_from_slice(b"\nq BI /W 1 /H 1 /CS /G /BPC 8 ID \x00 EI Q\n");
    doc.change_page_content(first, content).expect("rewritten");
    let split = page_fonts::split(&mut doc, &setups, &unicode);
    assert_eq!(split.pages, setups.len() - 1);
    assert!(split.copied_only.is_empty());
}

#[test]
fn a_page_that_draws_a_form_without_fonts_of_its_own_keeps_every_font_whole() {
    let (mut doc, setups, unicode) = prepared("fixtures/pdf/one_column.pdf");
    // The first page loses its fonts and gets a form, which could show a font copied on the
    // other pages through resources of its own.
    let form = doc.add_object(lopdf::Stream::new(
        dictionary! { "Subtype" => "Form", "BBox" => vec![0.into(), 0.into(), 10.into(), 10.into()] },
        Vec::new(),
    ));
    let first = setups[0].id;
    let page = doc.get_dictionary_mut(first).expect("page");
    page.set(
        "Resources",
        dictionary! {
            "Font" => dictionary! {},
            "XObject" => dictionary! { "Fm1" => form },
        },
    );
    let split = page_fonts::split(&mut doc, &setups, &unicode);
    assert_eq!(split.pages, setups.len() - 1);
    assert!(split.copied_only.is_empty());
}

#[test]
fn a_font_whose_widths_a_copy_cannot_cut_keeps_them_whole() {
    let (mut doc, setups, unicode) = prepared("fixtures/pdf/one_column.pdf");
    let whole = page_fonts::split(&mut doc.clone(), &setups, &unicode).copied_only;
    // One descendant's W gets an entry in a form the copies do not read (a real first CID):
    // the pages' copies then keep that shared descendant, which pdf-extract reads whole.
    let odd = *whole
        .iter()
        .min()
        .expect("a descendant read only through copies");
    let descendant = doc.get_dictionary_mut(odd).expect("descendant");
    let mut widths = descendant
        .get(b"W")
        .and_then(|w| w.as_array())
        .cloned()
        .unwrap_or_default();
    widths.extend([
        lopdf::Object::Real(60_000.0),
        lopdf::Object::Array(vec![500.into()]),
    ]);
    descendant.set("W", widths);
    let split = page_fonts::split(&mut doc, &setups, &unicode);
    assert!(!split.copied_only.contains(&odd));
    assert_eq!(split.copied_only.len(), whole.len() - 1);
}
