//! HWP 5.0 files: an OLE compound file holding `FileHeader` (signature, version, flags),
//! `DocInfo` (definitions) and `BodyText/SectionN` streams of records, raw-deflate compressed
//! when the header says so. Distribution documents (배포용 문서) keep their sections in
//! `ViewText/SectionN`, AES-encrypted with a key stored in the stream itself.

pub mod body;
pub mod distribution;
pub mod docinfo;
pub mod records;

use std::io::{Cursor as IoCursor, Read};

use super::doc::{Document, Section};
use super::{HwpError, Limits};

/// `FileHeader` property bits (HWP 5.0 spec, 파일 인식 정보).
mod flag {
    /// Streams are raw-deflate compressed.
    pub const COMPRESSED: u32 = 1 << 0;
    /// 암호 설정: the document needs its password.
    pub const PASSWORD: u32 = 1 << 1;
    /// 배포용 문서.
    pub const DISTRIBUTION: u32 = 1 << 2;
    /// DRM-protected.
    pub const DRM: u32 = 1 << 4;
    /// 공인 인증서 암호화.
    pub const CERTIFICATE_ENCRYPTED: u32 = 1 << 8;
}

/// The signature at the start of the `FileHeader` stream.
pub const SIGNATURE: &[u8] = b"HWP Document File";

/// Sections are read until this many are missing in a row, and never more than this.
const MAX_SECTIONS: usize = 4096;

/// Reads an HWP 5.0 compound file.
pub fn read(bytes: &[u8], limits: &Limits) -> Result<Document, HwpError> {
    let mut file = cfb::CompoundFile::open(IoCursor::new(bytes))
        .map_err(|e| HwpError::Damaged(format!("the compound file cannot be opened: {e}")))?;
    let header = read_stream(&mut file, "/FileHeader", limits)?;
    if !header.starts_with(SIGNATURE) {
        return Err(HwpError::NotHwp(
            "a compound file without the HWP FileHeader (a legacy Office document?)".into(),
        ));
    }
    let properties = header
        .get(36..40)
        .map_or(0, |b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]));
    if properties & (flag::PASSWORD | flag::CERTIFICATE_ENCRYPTED) != 0 {
        return Err(HwpError::Encrypted);
    }
    if properties & flag::DRM != 0 {
        return Err(HwpError::Drm);
    }
    let compressed = properties & flag::COMPRESSED != 0;
    let distribution = properties & flag::DISTRIBUTION != 0;

    let doc_info = read_stream(&mut file, "/DocInfo", limits)?;
    let (doc_info, _) = inflate_if(&doc_info, compressed, limits);
    let (records, _) = records::split(&doc_info);
    let definitions = docinfo::read(&records);

    let folder = if distribution { "ViewText" } else { "BodyText" };
    let mut sections = Vec::new();
    for index in 0..MAX_SECTIONS {
        let name = format!("/{folder}/Section{index}");
        if !file.is_stream(&name) {
            break;
        }
        let raw = match read_stream(&mut file, &name, limits) {
            Ok(raw) => raw,
            Err(error) => {
                sections.push(Section {
                    paras: Vec::new(),
                    loss: Some(format!("section {index} cannot be read: {error}")),
                });
                continue;
            }
        };
        sections.push(read_section(index, &raw, compressed, distribution, limits));
    }
    if sections.is_empty() {
        return Err(HwpError::Damaged(format!(
            "no {folder}/Section0 stream (truncated or not a complete HWP file)"
        )));
    }
    if sections.iter().all(|s| s.paras.is_empty()) {
        let reasons: Vec<&str> = sections.iter().filter_map(|s| s.loss.as_deref()).collect();
        return Err(HwpError::Damaged(if reasons.is_empty() {
            "no paragraph could be read".to_string()
        } else {
            reasons.join("; ")
        }));
    }
    Ok(Document {
        definitions,
        sections,
    })
}

/// One section stream: decrypted (distribution documents), decompressed, split into records.
fn read_section(
    index: usize,
    raw: &[u8],
    compressed: bool,
    distribution: bool,
    limits: &Limits,
) -> Section {
    let decrypted;
    let raw = if distribution {
        match distribution::decrypt(raw) {
            Ok(plain) => {
                decrypted = plain;
                &decrypted[..]
            }
            Err(reason) => {
                return Section {
                    paras: Vec::new(),
                    loss: Some(format!("section {index}: {reason}")),
                }
            }
        }
    } else {
        raw
    };
    let (stream, inflate_error) = inflate_if(raw, compressed, limits);
    let (records, cut) = records::split(&stream);
    let paras = body::read_section(&records);
    let loss = match (inflate_error, cut) {
        (Some(error), _) => Some(format!(
            "section {index}: the compressed stream is damaged ({error}); {} paragraphs before the damage are kept",
            paras.len()
        )),
        (None, true) => Some(format!(
            "section {index}: the record stream ends inside a record; {} paragraphs before it are kept",
            paras.len()
        )),
        (None, false) => None,
    };
    Section { paras, loss }
}

/// A stream's bytes, refused when over the stream size cap.
fn read_stream(
    file: &mut cfb::CompoundFile<IoCursor<&[u8]>>,
    name: &str,
    limits: &Limits,
) -> Result<Vec<u8>, HwpError> {
    let stream = file
        .open_stream(name)
        .map_err(|e| HwpError::Damaged(format!("stream {name} cannot be opened: {e}")))?;
    let mut out = Vec::new();
    stream
        .take(limits.max_stream_bytes + 1)
        .read_to_end(&mut out)
        .map_err(|e| HwpError::Damaged(format!("stream {name} cannot be read: {e}")))?;
    if out.len() as u64 > limits.max_stream_bytes {
        return Err(HwpError::TooLarge {
            what: name.trim_start_matches('/').to_string(),
            cap: limits.max_stream_bytes,
        });
    }
    Ok(out)
}

/// Raw-deflate decompression when `compressed`, capped at the stream size cap. On damage
/// the bytes decompressed before it are returned with the error.
fn inflate_if(raw: &[u8], compressed: bool, limits: &Limits) -> (Vec<u8>, Option<String>) {
    if !compressed {
        return (raw.to_vec(), None);
    }
    let mut out = Vec::new();
    let mut decoder = flate2::read::DeflateDecoder::new(raw).take(limits.max_stream_bytes + 1);
    let mut buffer = [0u8; 64 * 1024];
    loop {
        match decoder.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => out.extend_from_slice(&buffer[..n]),
            Err(error) => return (out, Some(error.to_string())),
        }
    }
    if out.len() as u64 > limits.max_stream_bytes {
        out.truncate(limits.max_stream_bytes as usize);
        return (
            out,
            Some(format!(
                "it decompresses to more than the cap of {} bytes",
                limits.max_stream_bytes
            )),
        );
    }
    (out, None)
}
