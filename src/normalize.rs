//! Normalisation of extracted lines: Unicode NFC for Hangul and the other text clean-ups that
//! must happen before structure rules run.

use unicode_normalization::UnicodeNormalization;

use crate::model::Page;

pub fn normalize(pages: &mut [Page]) {
    for page in pages {
        for line in &mut page.lines {
            line.text = line.text.nfc().collect();
        }
    }
}
