//! Reading an input file: its bytes, its sha256, its format (by extension, checked against the
//! content), and for text its decoding (UTF-8, UTF-16 with a BOM, or CP949/EUC-KR).

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use regex::Regex;

use sha2::{Digest, Sha256};
use thiserror::Error;

use crate::model::Format;

/// Why an input could not be read. Every message names the file and fits on one line.
#[derive(Debug, Error)]
pub enum SourceError {
    #[error("cannot read {path}: {reason}", reason = io_reason(source))]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: not a regular file")]
    NotAFile { path: PathBuf },
    #[error("{path}: empty file (0 bytes)")]
    Empty { path: PathBuf },
    #[error("{path}: unsupported file type (expected .pdf, .hwp, .hwpx, .txt, .md or .html)")]
    Unsupported { path: PathBuf },
    #[error("{path}: not a PDF (no %PDF header in the first 1 KiB{looks})", looks = looks_like(kind))]
    NotPdf {
        path: PathBuf,
        /// What the content looks like instead, when recognisable.
        kind: Option<&'static str>,
    },
    #[error("{path}: binary data, not text{looks}", looks = looks_like(kind))]
    NotText {
        path: PathBuf,
        kind: Option<&'static str>,
    },
    #[error("{path}: not an HWP or HWPX document{looks}", looks = looks_like(kind))]
    NotHwp {
        path: PathBuf,
        kind: Option<&'static str>,
    },
    #[error("{path}: text is neither UTF-8, UTF-16 nor CP949/EUC-KR")]
    UnknownEncoding { path: PathBuf },
}

impl SourceError {
    /// The file the error is about.
    pub fn path(&self) -> &Path {
        match self {
            SourceError::Read { path, .. }
            | SourceError::NotAFile { path }
            | SourceError::Empty { path }
            | SourceError::Unsupported { path }
            | SourceError::NotPdf { path, .. }
            | SourceError::NotText { path, .. }
            | SourceError::NotHwp { path, .. }
            | SourceError::UnknownEncoding { path } => path,
        }
    }
}

/// An I/O error without the "(os error 13)" suffix, which says nothing to a user.
pub fn io_reason(error: &std::io::Error) -> String {
    let text = error.to_string();
    match text.find(" (os error") {
        Some(cut) => text[..cut].to_string(),
        None => text,
    }
}

fn looks_like(kind: &Option<&'static str>) -> String {
    kind.map(|k| format!("; it looks like {k}"))
        .unwrap_or_default()
}

/// Magic numbers of files that get misnamed as booklets, with what to call them in a message.
const MAGIC: &[(&[u8], &str)] = &[
    // HWP 5 and legacy Office documents (OLE compound file), the usual Korean booklet source.
    (
        b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1",
        "an HWP or legacy Office (OLE) document",
    ),
    // HWPX, DOCX, XLSX and other zip containers.
    (b"PK\x03\x04", "a ZIP container (HWPX, DOCX, …)"),
    // HWP 3.x.
    (b"HWP Document File", "an HWP 3 document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xFF\xD8\xFF", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"{\\rtf", "an RTF document"),
    (b"<!DOCTYPE html", "an HTML page"),
    (b"<!doctype html", "an HTML page"),
    (b"<html", "an HTML page"),
];

/// What `bytes` look like, when a known magic number says so.
fn sniff(bytes: &[u8]) -> Option<&'static str> {
    MAGIC
        .iter()
        .find(|(magic, _)| bytes.starts_with(magic))
        .map(|(_, kind)| *kind)
}

/// An input file read into memory.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
    pub sha256: String,
    pub format: Format,
}

/// The file extensions jaryo takes as input.
pub fn is_supported(path: &Path) -> bool {
    format_of(path).is_some()
}

/// The format an input's extension promises.
pub fn format_of(path: &Path) -> Option<Format> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "pdf" => Some(Format::Pdf),
        "txt" | "md" => Some(Format::Text),
        "html" | "htm" => Some(Format::Html),
        // HWP 5.0 or HWPX: which one is decided by the content (`hwp_format`).
        "hwp" | "hwpx" => Some(Format::Hwp),
        _ => None,
    }
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Reads `path`, checks it is a non-empty regular file whose content fits its extension.
pub fn read(path: &Path) -> Result<SourceFile, SourceError> {
    let format = format_of(path).ok_or_else(|| SourceError::Unsupported {
        path: path.to_path_buf(),
    })?;
    let read_error = |source| SourceError::Read {
        path: path.to_path_buf(),
        source,
    };
    // A FIFO or a device would block or never end: only regular files are read.
    let metadata = std::fs::metadata(path).map_err(read_error)?;
    if !metadata.is_file() {
        return Err(SourceError::NotAFile {
            path: path.to_path_buf(),
        });
    }
    let bytes = std::fs::read(path).map_err(read_error)?;
    check_content(path, format, &bytes)?;
    let format = match format {
        Format::Hwp | Format::Hwpx => hwp_format(path, &bytes)?,
        Format::Text if is_markdown(path, &bytes) => Format::Markdown,
        other => other,
    };
    Ok(SourceFile {
        path: path.to_path_buf(),
        sha256: sha256_hex(&bytes),
        bytes,
        format,
    })
}

fn check_content(path: &Path, format: Format, bytes: &[u8]) -> Result<(), SourceError> {
    if bytes.is_empty() {
        return Err(SourceError::Empty {
            path: path.to_path_buf(),
        });
    }
    match format {
        // Checked by `hwp_format`.
        Format::Hwp | Format::Hwpx => {}
        Format::Pdf => {
            // Some writers put junk before the header; PDF readers accept it within 1 KiB.
            let head = &bytes[..bytes.len().min(1024)];
            if !head.windows(5).any(|w| w == b"%PDF-") {
                return Err(SourceError::NotPdf {
                    path: path.to_path_buf(),
                    kind: sniff(bytes),
                });
            }
        }
        Format::Text | Format::Markdown | Format::Html => {
            if let Some(kind) =
                sniff(bytes).or_else(|| bytes.starts_with(b"%PDF-").then_some("a PDF"))
            {
                if !kind.starts_with("an HTML") && !kind.starts_with("an RTF") {
                    return Err(SourceError::NotText {
                        path: path.to_path_buf(),
                        kind: Some(kind),
                    });
                }
            }
        }
    }
    Ok(())
}

/// Line patterns that only Markdown writes, whatever the extension: an ATX heading (`# ` with
/// its space; the sample's `#마을` hashtag is not one) and a pipe table's delimiter row.
static MARKDOWN_STRONG: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"(?m)^ {0,3}(#{1,6}[ \t]+\S|\|?[ \t]*:?-{3,}:?[ \t]*\|[ \t]*:?-{3,}:?)").ok()
});

/// Further constructs that mark a `.md` file as Markdown: a code fence, an image or link, an
/// HTML table, a page marker comment or `{3}---` separator, a setext underline. Not `**bold**`
/// nor `- ` items: the sample's plain text has both, and the text path reads them.
static MARKDOWN_WEAK: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"(?m)^ {0,3}(```|~~~|===+[ \t]*$|\{\d+\}-{3,}|<!--[ \t]*Page|<table)|!?\[[^\]\n]+\]\([^)\n]+\)",
    )
    .ok()
});

/// Whether a text file is Markdown: a `.md` with any Markdown construct, another text file
/// with headings or pipe tables. ASCII syntax survives a lossy look at CP949 bytes as well.
fn is_markdown(path: &Path, bytes: &[u8]) -> bool {
    let text = String::from_utf8_lossy(bytes);
    let found = |rule: &LazyLock<Option<Regex>>| rule.as_ref().is_some_and(|r| r.is_match(&text));
    let md = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("md"));
    found(&MARKDOWN_STRONG) || (md && found(&MARKDOWN_WEAK))
}

/// HWP 5.0 or HWPX by content (magic bytes), not by extension: a file named `.hwpx` that
/// is an HWP 5.0 compound file inside is HWP. HWP 3.x counts as HWP (its reader explains).
fn hwp_format(path: &Path, bytes: &[u8]) -> Result<Format, SourceError> {
    use crate::extract::hwp::detect::{detect, Container};
    match detect(bytes) {
        Some(Container::Hwpx) => Ok(Format::Hwpx),
        Some(Container::Hwp5) | Some(Container::Hwp3 { .. }) => Ok(Format::Hwp),
        None => Err(SourceError::NotHwp {
            path: path.to_path_buf(),
            kind: sniff(bytes).or_else(|| bytes.starts_with(b"%PDF-").then_some("a PDF")),
        }),
    }
}

/// Decoded text and the name of the encoding it came from: `utf-8`, `utf-16le`, `utf-16be`,
/// `euc-kr` (only KS X 1001 characters) or `cp949` (uses the Unified Hangul Code extension).
pub fn decode_text(source: &SourceFile) -> Result<(String, &'static str), SourceError> {
    decode_bytes(&source.path, &source.bytes)
}

/// [`decode_text`] for bytes read elsewhere (standard input); `path` names them in errors.
///
/// A few bytes that do not decode (one damaged byte, a last character cut short) become
/// U+FFFD, which the quality stage flags as `replacement_char` on its block; the file is kept.
/// Only a file that is mostly undecodable in every encoding tried is refused, as binary data.
pub fn decode_bytes(path: &Path, bytes: &[u8]) -> Result<(String, &'static str), SourceError> {
    let unknown = || SourceError::UnknownEncoding {
        path: path.to_path_buf(),
    };
    if let Some((encoding, bom_length)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom_length..]);
        if is_mostly_undecodable(&text, 0) {
            return Err(unknown());
        }
        let name = match encoding.name() {
            "UTF-16LE" => "utf-16le",
            "UTF-16BE" => "utf-16be",
            _ => "utf-8",
        };
        return Ok((text.into_owned(), name));
    }
    if bytes.contains(&0) {
        return Err(SourceError::NotText {
            path: path.to_path_buf(),
            kind: None,
        });
    }
    // UTF-8 with a damaged byte here and there, or CP949, whichever decodes with fewer
    // holes: a CP949 file read as UTF-8 fails at nearly every Korean character, and a UTF-8
    // file read as CP949 at most of them (UTF-8's continuation bytes are rarely CP949 pairs).
    let utf8_errors = bytes
        .utf8_chunks()
        .filter(|c| !c.invalid().is_empty())
        .count();
    if utf8_errors == 0 {
        return std::str::from_utf8(bytes)
            .map(|text| (text.to_string(), "utf-8"))
            .map_err(|_| unknown());
    }
    // encoding_rs's EUC-KR is the WHATWG one, i.e. Windows code page 949, a superset.
    let (cp949, _) = encoding_rs::EUC_KR.decode_without_bom_handling(bytes);
    let cp949_errors = cp949.matches('\u{FFFD}').count();
    if utf8_errors <= cp949_errors {
        let text = String::from_utf8_lossy(bytes).into_owned();
        return if is_mostly_undecodable(&text, literal_replacements(bytes)) {
            Err(unknown())
        } else {
            Ok((text, "utf-8"))
        };
    }
    if is_mostly_undecodable(&cp949, 0) {
        return Err(unknown());
    }
    let name = if is_plain_euc_kr(bytes) {
        "euc-kr"
    } else {
        "cp949"
    };
    Ok((cp949.into_owned(), name))
}

/// A decoded file is refused as binary when at least this share (1 in N) of its characters
/// are U+FFFD or control characters other than whitespace and form feeds: text that is mostly
/// not text in any encoding tried. `\xFF\xFF\xFF abc` is; one damaged byte in a line of the
/// sample is not.
const UNDECODABLE_SHARE_AT_LEAST: usize = 5;

/// U+FFFD already in valid UTF-8 (`EF BF BD`): text, not a decoding error.
fn literal_replacements(bytes: &[u8]) -> usize {
    bytes.windows(3).filter(|w| *w == b"\xEF\xBF\xBD").count()
}

/// Whether `text` is mostly replacement and control characters (`literal` of its U+FFFD were
/// in the file as such).
fn is_mostly_undecodable(text: &str, literal: usize) -> bool {
    let mut chars = 0usize;
    let mut bad = 0usize;
    for c in text.chars() {
        chars += 1;
        let control = c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{c}');
        if c == '\u{FFFD}' || control {
            bad += 1;
        }
    }
    let bad = bad.saturating_sub(literal);
    bad > 0 && bad * UNDECODABLE_SHARE_AT_LEAST >= chars
}

/// True when every two-byte character lies in the EUC-KR (KS X 1001) range, i.e. both bytes
/// are 0xA1–0xFE; CP949's extension uses lead bytes 0x81–0xC6 with other trail bytes.
fn is_plain_euc_kr(bytes: &[u8]) -> bool {
    let mut index = 0;
    while index < bytes.len() {
        let byte = bytes[index];
        if byte < 0x80 {
            index += 1;
            continue;
        }
        let Some(&trail) = bytes.get(index + 1) else {
            return false;
        };
        if !(0xA1..=0xFE).contains(&byte) || !(0xA1..=0xFE).contains(&trail) {
            return false;
        }
        index += 2;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A line from the sample booklet.
    const SAMPLE_LINE: &str = "2020년 서울시 사회적경제 생태계 구축 성과 포럼";

    fn decode(bytes: &[u8]) -> Result<(String, &'static str), SourceError> {
        decode_bytes(Path::new("x.txt"), bytes)
    }

    #[test]
    fn euc_kr_text_is_decoded_and_named() {
        let (bytes, _, _) = encoding_rs::EUC_KR.encode(SAMPLE_LINE);
        assert_ne!(&bytes[..], SAMPLE_LINE.as_bytes());
        let (text, name) = decode(&bytes).unwrap();
        assert_eq!(text, SAMPLE_LINE);
        assert_eq!(name, "euc-kr");
    }

    #[test]
    fn cp949_extension_syllables_are_named_cp949() {
        // 똠 and 햏 are not among the 2,350 KS X 1001 syllables: CP949 encodes them with
        // lead bytes below 0xA1.
        let line = format!("{SAMPLE_LINE} 똠햏");
        let (bytes, _, _) = encoding_rs::EUC_KR.encode(&line);
        let (text, name) = decode(&bytes).unwrap();
        assert_eq!(text, line);
        assert_eq!(name, "cp949");
    }

    #[test]
    fn utf8_with_and_without_bom_and_utf16() {
        assert_eq!(decode(SAMPLE_LINE.as_bytes()).unwrap().1, "utf-8");
        let with_bom = [b"\xEF\xBB\xBF", SAMPLE_LINE.as_bytes()].concat();
        assert_eq!(decode(&with_bom).unwrap().0, SAMPLE_LINE);
        let mut utf16 = vec![0xFF, 0xFE];
        for unit in SAMPLE_LINE.encode_utf16() {
            utf16.extend_from_slice(&unit.to_le_bytes());
        }
        assert_eq!(
            decode(&utf16).unwrap(),
            (SAMPLE_LINE.to_string(), "utf-16le")
        );
    }

    #[test]
    fn a_damaged_byte_becomes_a_replacement_character() {
        // One byte of a UTF-8 line lost: the rest decodes, the hole is U+FFFD.
        let mut bytes = SAMPLE_LINE.as_bytes().to_vec();
        bytes.remove(10);
        let (text, name) = decode(&bytes).unwrap();
        assert_eq!(name, "utf-8");
        assert_eq!(text.matches('\u{FFFD}').count(), 1, "{text}");
        assert!(text.ends_with("사회적경제 생태계 구축 성과 포럼"), "{text}");
        // The last character cut short.
        let cut = &SAMPLE_LINE.as_bytes()[..SAMPLE_LINE.len() - 1];
        let (text, _) = decode(cut).unwrap();
        assert!(text.ends_with("성과 포\u{FFFD}"), "{text}");
        // CP949 with an invalid byte in the middle and its last character cut short.
        let (encoded, _, _) = encoding_rs::EUC_KR.encode(SAMPLE_LINE);
        let mut bytes = encoded.to_vec();
        bytes.insert(11, 0xFF);
        bytes.pop();
        let (text, name) = decode(&bytes).unwrap();
        assert_eq!(name, "cp949");
        assert!(text.starts_with("2020년 서울"), "{text}");
        assert_eq!(text.matches('\u{FFFD}').count(), 2, "{text}");
        // U+FFFD written in the file is text, not damage.
        let literal = "\u{FFFD}\u{FFFD}\u{FFFD} 2020".as_bytes();
        assert_eq!(decode(literal).unwrap().0, "\u{FFFD}\u{FFFD}\u{FFFD} 2020");
    }

    #[test]
    fn binary_and_undecodable_bytes_are_refused() {
        assert!(matches!(
            decode(b"abc\x00def"),
            Err(SourceError::NotText { .. })
        ));
        // 0xFF is neither UTF-8 nor a CP949 lead byte.
        assert!(matches!(
            decode(b"\xFF\xFF\xFF abc"),
            Err(SourceError::UnknownEncoding { .. })
        ));
        // Bytes of a PNG's pixel data, without its header: control characters and bytes that
        // decode in no encoding.
        let noise: Vec<u8> = (0..4096u32)
            .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8 | 1)
            .collect();
        assert!(decode(&noise).is_err());
    }

    #[test]
    fn misnamed_files_are_named_in_the_reason() {
        let hwp = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest";
        let error = check_content(Path::new("booklet.pdf"), Format::Pdf, hwp).unwrap_err();
        assert_eq!(
            error.to_string(),
            "booklet.pdf: not a PDF (no %PDF header in the first 1 KiB; it looks like an HWP or legacy Office (OLE) document)"
        );
        assert!(check_content(Path::new("a.pdf"), Format::Pdf, b"junk\n%PDF-1.7\n").is_ok());
        let error = check_content(Path::new("a.txt"), Format::Text, b"%PDF-1.7\n").unwrap_err();
        assert!(error.to_string().contains("looks like a PDF"), "{error}");
    }

    #[test]
    fn markdown_is_told_by_its_constructs() {
        let sample = "#마을, 자치, 사회적경제가 만나다\n- 사회적경제 생태계\n";
        assert!(!is_markdown(Path::new("a.txt"), sample.as_bytes()));
        assert!(!is_markdown(Path::new("a.md"), sample.as_bytes()));
        let heading = "## [발제1] 서울시 사회적경제 정책\n";
        assert!(is_markdown(Path::new("a.txt"), heading.as_bytes()));
        let table = "구분 | 2019\n--- | ---\n사회적기업 | 10\n";
        assert!(is_markdown(Path::new("a.txt"), table.as_bytes()));
        // A line of the sample: its bold is read by the text path too.
        let bold = "■ **성과1.** 24개 자치구 사회적경제 생태계 기반 조성";
        assert!(!is_markdown(Path::new("a.md"), bold.as_bytes()));
        let fence = "```mermaid\ngraph TD\n```\n";
        assert!(!is_markdown(Path::new("a.txt"), fence.as_bytes()));
        assert!(is_markdown(Path::new("a.md"), fence.as_bytes()));
    }

    #[test]
    fn hwp_format_comes_from_the_content_not_the_extension() {
        let mut hwp5 = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".to_vec();
        hwp5.extend_from_slice(b"....HWP Document File\0");
        let named_hwpx = Path::new("reg.hwpx");
        assert_eq!(format_of(named_hwpx), Some(Format::Hwp));
        assert_eq!(hwp_format(named_hwpx, &hwp5).unwrap(), Format::Hwp);
        let zip = b"PK\x03\x04....mimetypeapplication/hwp+zip";
        assert_eq!(hwp_format(Path::new("a.hwp"), zip).unwrap(), Format::Hwpx);
        let error = hwp_format(Path::new("a.hwp"), b"%PDF-1.7").unwrap_err();
        assert!(error.to_string().contains("looks like a PDF"), "{error}");
    }
}
