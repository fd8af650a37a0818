//! Edge cases of ToUnicode CMap streams, each read by `read_unicode_map` and by pdf-extract's
//! parser (`adobe_cmap_parser::get_unicode_map`): both must agree, and the result must be the
//! one written down.

use super::*;
use crate::extract::pdf::isolate::run_isolated;

/// What `adobe_cmap_parser::get_unicode_map` makes of `input`: `Err(None)` when it panics.
fn original(input: &[u8]) -> Result<UnicodeMap, Option<&'static str>> {
    match run_isolated(|| adobe_cmap_parser::get_unicode_map(input)) {
        Ok(Ok(map)) => Ok(map),
        Ok(Err(message)) => Err(Some(message)),
        Err(_) => Err(None),
    }
}

/// Reads `input` with both parsers, asserts they agree and returns ours.
fn read_both(input: &[u8]) -> Result<UnicodeMap, CMapError> {
    let ours = read_unicode_map(input);
    match (&ours, original(input)) {
        (Ok(map), Ok(theirs)) => assert_eq!(map, &theirs, "{}", String::from_utf8_lossy(input)),
        (Err(CMapError::Rejected(message)), Err(Some(theirs))) => assert_eq!(*message, theirs),
        (Err(CMapError::Unreadable(_)), Err(None)) => {}
        (ours, theirs) => panic!(
            "{}: ours {ours:?}, pdf-extract's {theirs:?}",
            String::from_utf8_lossy(input)
        ),
    }
    ours
}

/// The map as sorted (code, UTF-16BE hex) pairs, for readable expectations.
fn entries(map: &UnicodeMap) -> Vec<(u32, String)> {
    let mut list: Vec<(u32, String)> = map
        .iter()
        .map(|(code, bytes)| {
            let hex: String = bytes.iter().map(|b| format!("{b:02X}")).collect();
            (*code, hex)
        })
        .collect();
    list.sort();
    list
}

/// `read_both` for input where the original overflows u16/u32 arithmetic: a debug build of it
/// panics there, a release build (what ships) wraps, so it is compared in release builds only.
fn read_wrapping(input: &[u8]) -> Result<UnicodeMap, CMapError> {
    if cfg!(debug_assertions) {
        read_unicode_map(input)
    } else {
        read_both(input)
    }
}

fn read_entries(input: &[u8]) -> Vec<(u32, String)> {
    entries(&read_both(input).expect("reads"))
}

/// Expected entries, in any order.
fn pairs(list: &[(u32, &str)]) -> Vec<(u32, String)> {
    let mut pairs: Vec<(u32, String)> = list.iter().map(|(c, t)| (*c, t.to_string())).collect();
    pairs.sort();
    pairs
}

/// A CMap as Cairo writes it (dictionary in the header, comments, codespace, both sections).
const CAIRO_STYLE: &[u8] =
    b"%!PS-Adobe-3.0 Resource-CMap\n%%DocumentNeededResources: ProcSet (CIDInit)\n\
/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
/CIDSystemInfo\n<< /Registry (Adobe)\n/Ordering (UCS)\n/Supplement 0\n>> def\n\
/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
1 begincodespacerange\n<0000> <ffff>\nendcodespacerange\n\
2 beginbfchar\n<0003> <c790>\n<0004> <b8cc>\nendbfchar\n\
1 beginbfrange\n<0010> <0012> <0041>\nendbfrange\n\
endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";

#[test]
fn a_cairo_style_cmap_with_a_header_dictionary() {
    assert_eq!(
        read_entries(CAIRO_STYLE),
        pairs(&[
            (3, "C790"),
            (4, "B8CC"),
            (0x10, "0041"),
            (0x11, "0042"),
            (0x12, "0043")
        ])
    );
}

#[test]
fn a_skia_style_dictionary_with_nested_values() {
    let input = b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 \
        /Nested << /A [1 2 (x)] /B true >> >> def\n1 beginbfchar <01> <AC00> endbfchar";
    assert_eq!(read_entries(input), pairs(&[(1, "AC00")]));
}

#[test]
fn array_form_bfrange_gives_each_code_its_own_text() {
    let input = b"1 beginbfrange\n<0005> <0007> [<0066> <00660069> <D835DC00>]\nendbfrange\n";
    assert_eq!(
        read_entries(input),
        pairs(&[(5, "0066"), (6, "00660069"), (7, "D835DC00")])
    );
}

#[test]
fn an_array_of_the_wrong_length_is_rejected() {
    let input = b"1 beginbfrange\n<0005> <0007> [<0066> <0067>]\nendbfrange\n";
    assert_eq!(
        read_both(input),
        Err(CMapError::Rejected("bad length of array"))
    );
}

#[test]
fn two_and_four_byte_range_starts_count_up() {
    let input = b"2 beginbfrange\n<20> <22> <AC00>\n<0100> <0101> <D835DC00>\nendbfrange\n";
    assert_eq!(
        read_entries(input),
        pairs(&[
            (0x20, "AC00"),
            (0x21, "AC01"),
            (0x22, "AC02"),
            (0x100, "D835DC00"),
            (0x101, "D835DC01")
        ])
    );
}

#[test]
fn a_two_byte_start_wraps_within_sixteen_bits() {
    let input = b"1 beginbfrange <01> <03> <FFFE> endbfrange";
    assert_eq!(
        entries(&read_wrapping(input).expect("reads")),
        pairs(&[(1, "FFFE"), (2, "FFFF"), (3, "0000")])
    );
}

#[test]
fn a_range_start_of_another_length_is_unreadable() {
    let input = b"1 beginbfrange <01> <03> <00AC00> endbfrange";
    assert!(matches!(read_both(input), Err(CMapError::Unreadable(_))));
}

#[test]
fn multi_byte_codes_keep_their_last_four_bytes() {
    let input = b"3 beginbfchar <8141> <AC02> <00E0A1> <00E0> <0102030405> <0041> endbfchar";
    assert_eq!(
        read_entries(input),
        pairs(&[(0x8141, "AC02"), (0xE0A1, "00E0"), (0x0203_0405, "0041")])
    );
}

#[test]
fn later_entries_replace_earlier_ones() {
    let input = b"1 beginbfrange <01> <03> <0041> endbfrange 1 beginbfchar <02> <AC00> endbfchar";
    assert_eq!(
        read_entries(input),
        pairs(&[(1, "0041"), (2, "AC00"), (3, "0043")])
    );
}

#[test]
fn comments_between_items_and_at_line_ends() {
    let input = b"% header\n%% more\n1 beginbfchar % count above\n<01> <0041>\nendbfchar\n";
    assert_eq!(read_entries(input), pairs(&[(1, "0041")]));
}

#[test]
fn a_comment_after_a_blank_line_ends_the_stream() {
    // A comment may only start an item: after a blank line the lexer stops at `%`, and the
    // section after it is never read.
    let input =
        b"1 beginbfchar <01> <0041> endbfchar\n% a\n\n% b\n1 beginbfchar <02> <0042> endbfchar";
    assert_eq!(read_entries(input), pairs(&[(1, "0041")]));
}

#[test]
fn literal_string_codes_and_texts_with_escapes() {
    let input = b"4 beginbfchar (A) <0041> (\\101\\102) <0042> (a\\(b\\)) <0043> \
        ((x)) (\\000\\n) endbfchar";
    assert_eq!(
        read_entries(input),
        pairs(&[
            (0x41, "0041"),
            (0x4142, "0042"),
            (0x6128_6229, "0043"),
            (0x0028_7829, "000A")
        ])
    );
}

#[test]
fn octal_escapes_over_255_and_unknown_escapes_stand_for_nothing() {
    let input = b"2 beginbfchar (\\400) <0041> (\\q\\\nz) <0042> endbfchar";
    assert_eq!(
        read_entries(input),
        pairs(&[(0x343030, "0041"), (0x717A, "0042")])
    );
}

#[test]
fn space_and_nul_inside_hex_strings_between_digit_pairs() {
    let input = b"2 beginbfchar <00 01> <AC\x0000> < 02\t\r\n> <\x0cAC01 > endbfchar";
    assert_eq!(read_entries(input), pairs(&[(1, "AC00"), (2, "AC01")]));
}

#[test]
fn an_odd_hex_digit_count_ends_the_stream_there() {
    // `<0041 2>` does not lex: everything from it on is dropped, the first entry stays.
    let input =
        b"2 beginbfchar <01> <0041> <02> <0041 2> endbfchar 1 beginbfchar <03> <0043> endbfchar";
    let tokens = read_both(input);
    assert_eq!(
        tokens,
        Err(CMapError::Unreadable(
            "a bfchar/bfrange section runs past the end"
        ))
    );
    let truncated = b"1 beginbfchar <01> <0041> endbfchar <02> <004>";
    assert_eq!(read_entries(truncated), pairs(&[(1, "0041")]));
}

#[test]
fn a_count_larger_than_the_entries_is_rejected() {
    let input = b"3 beginbfchar <01> <0041> <02> <0042> endbfchar";
    assert_eq!(
        read_both(input),
        Err(CMapError::Rejected("beginbfchar exected hexstring"))
    );
}

#[test]
fn a_smaller_count_reads_only_that_many_entries() {
    let input = b"1 beginbfchar <01> <0041> <02> <0042> endbfchar";
    assert_eq!(read_entries(input), pairs(&[(1, "0041")]));
}

#[test]
fn a_section_without_a_count() {
    let first = b"beginbfchar <01> <0041> endbfchar";
    assert!(matches!(read_both(first), Err(CMapError::Unreadable(_))));
    let after_a_name = b"/X beginbfchar <01> <0041> endbfchar";
    assert_eq!(
        read_both(after_a_name),
        Err(CMapError::Rejected("beginbfchar exected int"))
    );
    let after_a_real = b"1.0 beginbfrange <01> <02> <0041> endbfrange";
    assert_eq!(
        read_both(after_a_real),
        Err(CMapError::Rejected("beginbfrange exected int"))
    );
}

#[test]
fn a_huge_range_is_refused_instead_of_expanded() {
    // pdf-extract's parser would insert four billion entries: not compared.
    let input = b"1 beginbfrange <00000000> <FFFFFFFF> <0000> endbfrange";
    assert_eq!(
        read_unicode_map(input),
        Err(CMapError::RangeTooLarge(0x1_0000_0000))
    );
    // The largest range read: every two-byte code.
    let full = b"1 beginbfrange <0000> <FFFF> <00000000> endbfrange";
    assert_eq!(read_both(full).map(|m| m.len()), Ok(0x1_0000));
}

#[test]
fn garbage_after_endcmap_is_ignored() {
    let input = b"1 beginbfchar <01> <0041> endbfchar endcmap\n\xff\xfe{ garbage } 7 beginbfchar";
    assert_eq!(read_entries(input), pairs(&[(1, "0041")]));
}

#[test]
fn postscript_procedures_end_the_stream() {
    let input = b"/F { pop } bind def 1 beginbfchar <01> <0041> endbfchar";
    assert_eq!(read_entries(input), Vec::new());
}

#[test]
fn an_empty_or_unlexable_stream_is_unreadable() {
    for input in [&b""[..], b"   ", b"\x00", b"{", b"% only a comment"] {
        assert!(
            matches!(read_both(input), Err(CMapError::Unreadable(_))),
            "{input:?}"
        );
    }
}

#[test]
fn a_dictionary_key_that_is_not_utf8_is_unreadable() {
    let input = b"<< /Bad#FF 1 >> 1 beginbfchar <01> <0041> endbfchar";
    assert!(matches!(read_both(input), Err(CMapError::Unreadable(_))));
    // Unterminated: the dictionary never completes, so its key is never looked at.
    let open = b"1 beginbfchar <01> <0041> endbfchar << /Bad#FF 1";
    assert_eq!(read_entries(open), pairs(&[(1, "0041")]));
}

#[test]
fn numbers_booleans_and_operators_split_where_the_original_splits() {
    // `trueX` is `true` then the operator `X`; `12.5` is 12 then `.5`; a count too large for
    // an i64 is a number, not an integer.
    let input = b"trueX 2.5 beginbfchar <01> <0041> endbfchar";
    assert_eq!(
        read_both(input),
        Err(CMapError::Rejected("beginbfchar exected int"))
    );
    let huge = b"99999999999999999999 beginbfchar <01> <0041> endbfchar";
    assert_eq!(
        read_both(huge),
        Err(CMapError::Rejected("beginbfchar exected int"))
    );
    let signed = b"+1 beginbfchar <01> <0041> endbfchar -1 beginbfchar <02> <0042>";
    assert_eq!(read_entries(signed), pairs(&[(1, "0041")]));
}

#[test]
fn names_with_hex_escapes_and_nul_bytes() {
    let input = b"/A#20B /C\x00D /E#4 1 beginbfchar <01> <0041> endbfchar";
    // `/E#4` stops before `#4 `, which does not lex: the section is never reached.
    assert_eq!(read_entries(input), Vec::new());
    let fine = b"/A#20B /C\x00D 1 beginbfchar <01> <0041> endbfchar";
    assert_eq!(read_entries(fine), pairs(&[(1, "0041")]));
}

#[test]
fn the_wrong_destination_type_is_rejected() {
    let input = b"1 beginbfrange <01> <02> /Name endbfrange";
    assert_eq!(
        read_both(input),
        Err(CMapError::Rejected("beginbfrange exected array or literal"))
    );
    let in_array = b"1 beginbfrange <01> <02> [<0041> 7] endbfrange";
    assert_eq!(
        read_both(in_array),
        Err(CMapError::Rejected("beginbfrange exected hexstring"))
    );
}

#[test]
fn a_reversed_range_maps_nothing() {
    let input = b"1 beginbfrange <05> <03> <0041> endbfrange";
    assert_eq!(read_entries(input), Vec::new());
    // An empty array fits `upper - lower + 1` only through wrapping.
    let array = b"1 beginbfrange <07> <06> [] endbfrange";
    assert_eq!(read_wrapping(array).map(|m| m.len()), Ok(0));
}

#[test]
fn deep_nesting_is_refused_without_overflowing_the_stack() {
    let mut input = vec![b'['; 100_000];
    input.extend_from_slice(b" 1 beginbfchar");
    assert!(matches!(
        read_unicode_map(&input),
        Err(CMapError::Unreadable(_))
    ));
}
