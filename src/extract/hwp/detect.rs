//! Which HWP container a file is, by content: HWP 5.0 (an OLE compound file; the reader
//! then checks that its `FileHeader` stream starts "HWP Document File"), HWPX (a zip with the `application/hwp+zip`
//! mimetype or `Contents/section0.xml`), or HWP 3.x ("HWP Document File V3").

/// The HWP containers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Container {
    Hwp5,
    Hwpx,
    /// HWP 3.x with the version its signature gives (`V3.00`).
    Hwp3 {
        version: String,
    },
}

/// The OLE compound file magic.
const OLE_MAGIC: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
/// The zip local file header magic.
const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
/// HWP 3.x files start with this.
const HWP3_SIGNATURE: &[u8] = b"HWP Document File V";

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// The container of `bytes`, or `None` when it is none of the three.
pub fn detect(bytes: &[u8]) -> Option<Container> {
    if bytes.starts_with(HWP3_SIGNATURE) {
        let version: String = bytes[HWP3_SIGNATURE.len() - 1..]
            .iter()
            .take_while(|b| b.is_ascii_graphic())
            .map(|&b| char::from(b))
            .take(8)
            .collect();
        return Some(Container::Hwp3 { version });
    }
    // Any compound file is taken as HWP 5.0: the reader checks the FileHeader stream
    // ("HWP Document File") and says what else it is, or that it is truncated.
    if bytes.starts_with(OLE_MAGIC) {
        return Some(Container::Hwp5);
    }
    if bytes.starts_with(ZIP_MAGIC)
        && (contains(bytes, b"application/hwp+zip") || contains(bytes, b"Contents/section0.xml"))
    {
        return Some(Container::Hwpx);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn containers_are_told_apart_by_content() {
        assert_eq!(
            detect(b"HWP Document File V3.00 \x1a\x01\x02"),
            Some(Container::Hwp3 {
                version: "V3.00".into()
            })
        );
        let mut ole = OLE_MAGIC.to_vec();
        ole.extend_from_slice(&[0; 100]);
        assert_eq!(detect(&ole), Some(Container::Hwp5));
        assert_eq!(detect(&ole[1..]), None);
        assert_eq!(
            detect(b"PK\x03\x04....mimetypeapplication/hwp+zip"),
            Some(Container::Hwpx)
        );
        assert_eq!(detect(b"PK\x03\x04....word/document.xml"), None);
    }
}
