//! Simple fonts drawn with one of the standard fonts and no embedded font program (Times,
//! Helvetica, Courier and their Windows clones Times New Roman, Arial, Courier New): a viewer
//! draws them with the standard font, so their codes mean what the standard encoding says
//! (whatever the descriptor's symbolic flag claims) and their widths are the standard font's
//! AFM widths when the file gives none. pdf-extract ships those AFM metrics but applies them
//! only to a font whose /BaseFont is the exact standard name, so such a font is renamed in the
//! in-memory document (the font report keeps the file's name).

use lopdf::{Dictionary, Document, Object, ObjectId};

use super::{font_dict, font_dict_mut, name_of, number_of, resolve};

/// The four standard styles of a family: regular, bold, italic, bold italic.
type Styles = [&'static str; 4];

const TIMES: Styles = [
    "Times-Roman",
    "Times-Bold",
    "Times-Italic",
    "Times-BoldItalic",
];
const HELVETICA: Styles = [
    "Helvetica",
    "Helvetica-Bold",
    "Helvetica-Oblique",
    "Helvetica-BoldOblique",
];
const COURIER: Styles = [
    "Courier",
    "Courier-Bold",
    "Courier-Oblique",
    "Courier-BoldOblique",
];

/// Font name starts (lower case, spaces removed) and the standard family they are drawn with;
/// the longer start first.
const FAMILIES: &[(&str, Styles)] = &[
    // Times New Roman (Windows, `TimesNewRomanPS-BoldMT`), metric-compatible with Times.
    ("timesnewroman", TIMES),
    // Times itself: `Times-Roman`, `Times-Bold`, `Times,Italic`.
    ("times", TIMES),
    // Arial (Windows, `ArialMT`, `Arial,Bold`), metric-compatible with Helvetica.
    ("arial", HELVETICA),
    ("helvetica", HELVETICA),
    // Courier New (Windows, `CourierNewPSMT`), metric-compatible with Courier.
    ("couriernew", COURIER),
    ("courier", COURIER),
];

/// The names pdf-extract applies its AFM metrics (and, without an encoding, the font's own
/// encoding) to: the standard 14 fonts.
const CORE_NAMES: &[&str] = &[
    "Times-Roman",
    "Times-Bold",
    "Times-Italic",
    "Times-BoldItalic",
    "Helvetica",
    "Helvetica-Bold",
    "Helvetica-Oblique",
    "Helvetica-BoldOblique",
    "Courier",
    "Courier-Bold",
    "Courier-Oblique",
    "Courier-BoldOblique",
    "Symbol",
    "ZapfDingbats",
];

/// `name` is exactly one of the standard 14 fonts.
pub(crate) fn is_core_name(name: &str) -> bool {
    CORE_NAMES.contains(&name)
}

/// The standard font `name` is drawn with: the subset prefix (`ABCDEF+`) dropped, the family
/// from [`FAMILIES`], the style from `Bold` and `Italic`/`Oblique` anywhere in the name.
pub(crate) fn standard_font(name: &str) -> Option<&'static str> {
    let name = match name.split_once('+') {
        Some((tag, rest)) if tag.len() == 6 && tag.bytes().all(|b| b.is_ascii_uppercase()) => rest,
        _ => name,
    };
    let key: String = name
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    let styles = FAMILIES
        .iter()
        .find(|(start, _)| key.starts_with(start))
        .map(|(_, styles)| styles)?;
    let bold = key.contains("bold");
    let italic = key.contains("italic") || key.contains("oblique");
    Some(styles[usize::from(bold) + 2 * usize::from(italic)])
}

/// The standard font a simple font stands for when it embeds no font program: `None` for an
/// embedded font or another family.
pub(crate) fn substitute(doc: &Document, font: &Dictionary) -> Option<&'static str> {
    let subtype = font.get(b"Subtype").ok().and_then(name_of)?;
    if !matches!(subtype.as_str(), "Type1" | "TrueType" | "MMType1") {
        return None;
    }
    let descriptor = font
        .get(b"FontDescriptor")
        .ok()
        .map(|d| resolve(doc, d))
        .and_then(|d| d.as_dict().ok());
    let embedded = descriptor.is_some_and(|d| {
        [&b"FontFile"[..], b"FontFile2", b"FontFile3"]
            .iter()
            .any(|key| d.get(key).is_ok())
    });
    if embedded {
        return None;
    }
    let name = font.get(b"BaseFont").ok().and_then(name_of)?;
    standard_font(&name)
}

/// Lets pdf-extract give font `id` the AFM widths of `standard` when the file's widths are
/// missing or do not cover the font's codes (an array shorter than `FirstChar..=LastChar`):
/// the widths are dropped and the font renamed to the standard name. A font with complete
/// widths keeps them and its name.
pub(crate) fn use_standard_metrics(doc: &mut Document, id: ObjectId, standard: &str) {
    let Some(font) = font_dict(doc, id) else {
        return;
    };
    let number = |key: &[u8]| font.get(key).ok().and_then(|o| number_of(resolve(doc, o)));
    let widths = font
        .get(b"Widths")
        .ok()
        .map(|o| resolve(doc, o))
        .and_then(|o| o.as_array().ok())
        .map(Vec::len);
    let complete = match (number(b"FirstChar"), number(b"LastChar"), widths) {
        (Some(first), Some(last), Some(len)) => {
            last >= first && (last - first + 1.0) as usize <= len
        }
        _ => false,
    };
    if complete {
        return;
    }
    if let Some(font) = font_dict_mut(doc, id) {
        for key in [&b"FirstChar"[..], b"LastChar", b"Widths"] {
            font.remove(key);
        }
        font.set("BaseFont", Object::Name(standard.as_bytes().to_vec()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_map_to_their_standard_font() {
        let cases = [
            ("Times-Roman", Some("Times-Roman")),
            ("ABCDEF+Times-Roman", Some("Times-Roman")),
            ("Times-Roman,Bold", Some("Times-Bold")),
            ("TimesNewRomanPS-BoldItalicMT", Some("Times-BoldItalic")),
            ("TimesNewRomanPSMT", Some("Times-Roman")),
            ("Arial,BoldItalic", Some("Helvetica-BoldOblique")),
            ("ArialMT", Some("Helvetica")),
            ("Helvetica-Oblique", Some("Helvetica-Oblique")),
            ("CourierNewPSMT", Some("Courier")),
            ("Courier New Bold", Some("Courier-Bold")),
            ("HYSMyeongJo-Medium", None),
            ("AAAAAB+HCRBatang", None),
            ("Symbol", None),
        ];
        for (name, standard) in cases {
            assert_eq!(standard_font(name), standard, "{name}");
        }
        assert!(is_core_name("Symbol") && is_core_name("Times-Roman"));
        assert!(!is_core_name("Times-Roman,Bold") && !is_core_name("ArialMT"));
    }

    fn font_doc(font: Dictionary) -> (Document, ObjectId) {
        let mut doc = Document::with_version("1.4");
        let id = doc.add_object(Object::Dictionary(font));
        (doc, id)
    }

    #[test]
    fn an_embedded_font_is_no_substitute() {
        let mut descriptor = Dictionary::new();
        descriptor.set("FontFile2", Object::Reference((99, 0)));
        let mut font = Dictionary::new();
        font.set("Subtype", Object::Name(b"TrueType".to_vec()));
        font.set("BaseFont", Object::Name(b"ArialMT".to_vec()));
        font.set("FontDescriptor", Object::Dictionary(descriptor));
        let (doc, id) = font_doc(font.clone());
        let font = doc.get_dictionary(id).unwrap();
        assert_eq!(substitute(&doc, font), None);
        let mut bare = font.clone();
        bare.remove(b"FontDescriptor");
        assert_eq!(substitute(&doc, &bare), Some("Helvetica"));
    }

    #[test]
    fn short_widths_give_way_to_the_standard_metrics_and_complete_ones_stay() {
        let widths = |n: usize| Object::Array(vec![Object::Integer(250); n]);
        let mut font = Dictionary::new();
        font.set("Subtype", Object::Name(b"Type1".to_vec()));
        font.set("BaseFont", Object::Name(b"Times-Roman,Bold".to_vec()));
        font.set("FirstChar", Object::Integer(32));
        font.set("LastChar", Object::Integer(126));
        font.set("Widths", widths(2));
        let (mut doc, id) = font_doc(font.clone());
        use_standard_metrics(&mut doc, id, "Times-Bold");
        let mended = doc.get_dictionary(id).unwrap();
        assert!(mended.get(b"Widths").is_err());
        assert_eq!(
            mended.get(b"BaseFont").unwrap().as_name().unwrap(),
            b"Times-Bold"
        );
        font.set("Widths", widths(95));
        let (mut doc, id) = font_doc(font);
        use_standard_metrics(&mut doc, id, "Times-Bold");
        let kept = doc.get_dictionary(id).unwrap();
        assert!(kept.get(b"Widths").is_ok());
        assert_eq!(
            kept.get(b"BaseFont").unwrap().as_name().unwrap(),
            b"Times-Roman,Bold"
        );
    }
}
