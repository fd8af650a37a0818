//! HWP 5.0 record streams: each record is a 32-bit header (tag id bits 0–9, nesting level bits
//! 10–19, size bits 20–31, size 0xFFF meaning a 32-bit size follows) and its data. Also a
//! little-endian cursor for reading record fields without panicking on short data.

/// Record tag ids used by the readers (HWP 5.0 spec, `HWPTAG_BEGIN` = 0x10).
pub mod tag {
    pub const ID_MAPPINGS: u16 = 0x11;
    pub const BORDER_FILL: u16 = 0x14;
    pub const NUMBERING: u16 = 0x17;
    pub const BULLET: u16 = 0x18;
    pub const PARA_SHAPE: u16 = 0x19;
    pub const STYLE: u16 = 0x1A;
    pub const DISTRIBUTE_DOC_DATA: u16 = 0x1C;
    pub const PARA_HEADER: u16 = 0x42;
    pub const PARA_TEXT: u16 = 0x43;
    pub const CTRL_HEADER: u16 = 0x47;
    pub const LIST_HEADER: u16 = 0x48;
    pub const FOOTNOTE_SHAPE: u16 = 0x4A;
    pub const SHAPE_COMPONENT: u16 = 0x4C;
    pub const TABLE: u16 = 0x4D;
    pub const SHAPE_COMPONENT_PICTURE: u16 = 0x55;
    pub const EQEDIT: u16 = 0x58;
}

/// One record: tag, nesting level and data.
#[derive(Debug, Clone, Copy)]
pub struct Record<'a> {
    pub tag: u16,
    pub level: u16,
    pub data: &'a [u8],
}

/// Splits a decompressed stream into records. A record cut short by the end of the stream
/// ends the list; the second value says so.
pub fn split(stream: &[u8]) -> (Vec<Record<'_>>, bool) {
    let mut records = Vec::new();
    let mut at = 0usize;
    while at < stream.len() {
        let mut cursor = Cursor::new(&stream[at..]);
        let Some(header) = cursor.u32() else {
            return (records, true);
        };
        let tag = (header & 0x3FF) as u16;
        let level = ((header >> 10) & 0x3FF) as u16;
        let mut size = (header >> 20) as usize;
        if size == 0xFFF {
            let Some(long) = cursor.u32() else {
                return (records, true);
            };
            size = long as usize;
        }
        let start = at + cursor.position();
        let Some(data) = start
            .checked_add(size)
            .and_then(|end| stream.get(start..end))
        else {
            return (records, true);
        };
        records.push(Record { tag, level, data });
        at = start + size;
    }
    (records, false)
}

/// The index one past the subtree of `records[index]` (its children have greater levels).
pub fn subtree_end(records: &[Record<'_>], index: usize) -> usize {
    let level = records[index].level;
    records[index + 1..]
        .iter()
        .position(|r| r.level <= level)
        .map_or(records.len(), |p| index + 1 + p)
}

/// A little-endian reader over record data; every read returns `None` past the end.
#[derive(Debug, Clone)]
pub struct Cursor<'a> {
    data: &'a [u8],
    at: usize,
}

impl<'a> Cursor<'a> {
    pub fn new(data: &'a [u8]) -> Cursor<'a> {
        Cursor { data, at: 0 }
    }

    pub fn position(&self) -> usize {
        self.at
    }

    pub fn skip(&mut self, n: usize) -> Option<()> {
        let end = self.at.checked_add(n)?;
        (end <= self.data.len()).then(|| self.at = end)
    }

    pub fn bytes(&mut self, n: usize) -> Option<&'a [u8]> {
        let start = self.at;
        self.skip(n)?;
        self.data.get(start..start + n)
    }

    pub fn u8(&mut self) -> Option<u8> {
        self.bytes(1).map(|b| b[0])
    }

    pub fn u16(&mut self) -> Option<u16> {
        self.bytes(2).map(|b| u16::from_le_bytes([b[0], b[1]]))
    }

    pub fn u32(&mut self) -> Option<u32> {
        self.bytes(4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    /// A `u16` length followed by that many UTF-16 code units.
    pub fn wstring(&mut self) -> Option<String> {
        let len = usize::from(self.u16()?);
        let bytes = self.bytes(len * 2)?;
        Some(utf16(bytes))
    }
}

/// UTF-16LE bytes decoded, bad surrogates replaced.
pub fn utf16(bytes: &[u8]) -> String {
    let units = bytes
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]));
    char::decode_utf16(units)
        .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect()
}

/// Encodes one record (tests and generated files).
#[cfg(test)]
pub fn encode(tag: u16, level: u16, data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let size = data.len();
    let short = if size >= 0xFFF { 0xFFF } else { size as u32 };
    let header = u32::from(tag) | (u32::from(level) << 10) | (short << 20);
    out.extend_from_slice(&header.to_le_bytes());
    if size >= 0xFFF {
        out.extend_from_slice(&(size as u32).to_le_bytes());
    }
    out.extend_from_slice(data);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_split_with_long_sizes_and_truncation() {
        let mut stream = encode(tag::PARA_HEADER, 0, &[1, 2, 3]);
        stream.extend(encode(tag::PARA_TEXT, 1, &vec![7; 5000]));
        let (records, cut) = split(&stream);
        assert!(!cut);
        assert_eq!(records.len(), 2);
        assert_eq!(records[1].data.len(), 5000);
        assert_eq!(records[1].level, 1);
        assert_eq!(subtree_end(&records, 0), 2);
        let (records, cut) = split(&stream[..stream.len() - 10]);
        assert!(cut);
        assert_eq!(records.len(), 1);
    }
}
