//! Per-page font copies. pdf-extract builds every font afresh on every page that uses it,
//! parsing the font's whole ToUnicode map each time: on the sample booklet's 82 pages that was a
//! quarter of all CPU time, though a page draws only a few hundred of a font's glyphs. Before
//! capture, each page gets its own copy of each composite (Type0, Identity-H/V) font it draws,
//! whose ToUnicode map holds only the codes the page's content shows, with the same stand-ins
//! as the whole map (see `to_unicode`), so the decoded text is unchanged.
//!
//! A page is left as it is whenever the codes it shows cannot be known for certain (see
//! `shown_codes`).

use std::collections::BTreeSet;

use lopdf::{Dictionary, Document, Object, ObjectId, Stream};
use rayon::prelude::*;

use super::load::{inherited, resolve, PageSetup};
use super::shown_codes::{scan, Resources};
use super::to_unicode::{stand_in_cmap, StandInRange, UnicodeTable, COMPOSITE_GAP};

/// Gives every page its own copies of the composite fonts it draws (see the module comment).
/// The pages' content is scanned in parallel; the copies are added one page after another.
/// Returns how many pages got copies.
pub fn split(doc: &mut Document, setups: &[PageSetup], unicode: &UnicodeTable) -> usize {
    let plans: Vec<PagePlan> = setups
        .par_iter()
        .filter_map(|setup| plan(doc, setup.id, unicode))
        .collect();
    let pages = plans.len();
    for plan in plans {
        apply(doc, plan);
    }
    pages
}

/// What one page gets: its resources with these fonts replaced by copies holding `ranges`.
struct PagePlan {
    page: ObjectId,
    resources: Dictionary,
    fonts: Dictionary,
    copies: Vec<FontCopy>,
}

struct FontCopy {
    name: Vec<u8>,
    font: Dictionary,
    ranges: Vec<StandInRange>,
}

fn plan(doc: &Document, page_id: ObjectId, unicode: &UnicodeTable) -> Option<PagePlan> {
    let page = doc.get_dictionary(page_id).ok()?;
    let resources = inherited(doc, page, b"Resources")?.as_dict().ok()?;
    let fonts = resolve(doc, resources.get(b"Font").ok()?).as_dict().ok()?;
    let candidates: Vec<(&[u8], &Dictionary, &[StandInRange])> = fonts
        .iter()
        .filter_map(|(name, font)| {
            let (font, ranges) = candidate(doc, resolve(doc, font), unicode)?;
            Some((name.as_slice(), font, ranges))
        })
        .collect();
    if candidates.is_empty() {
        return None;
    }
    let content = doc.get_page_content(page_id).ok()?;
    let shown = scan(&content, &PageResources { doc, resources })?;
    let copies: Vec<FontCopy> = candidates
        .into_iter()
        // A font the page never shows is never built: nothing to gain.
        .filter_map(|(name, font, ranges)| {
            let codes = shown.get(name)?;
            Some(FontCopy {
                name: name.to_vec(),
                font: font.clone(),
                ranges: page_ranges(ranges, codes),
            })
        })
        .collect();
    (!copies.is_empty()).then(|| PagePlan {
        page: page_id,
        resources: resources.clone(),
        fonts: fonts.clone(),
        copies,
    })
}

fn apply(doc: &mut Document, plan: PagePlan) {
    let PagePlan {
        page,
        mut resources,
        mut fonts,
        copies,
    } = plan;
    for copy in copies {
        let map = doc.add_object(Stream::new(Dictionary::new(), stand_in_cmap(&copy.ranges)));
        let mut font = copy.font;
        font.set("ToUnicode", Object::Reference(map));
        fonts.set(copy.name, Object::Reference(doc.add_object(font)));
    }
    resources.set("Font", Object::Dictionary(fonts));
    if let Ok(page) = doc.get_dictionary_mut(page) {
        page.set("Resources", Object::Dictionary(resources));
    }
}

/// The font and its rewritten map's ranges, when it is a composite font with two-byte
/// identity codes whose ToUnicode map was rewritten to stand-ins.
fn candidate<'a>(
    doc: &Document,
    font: &'a Object,
    unicode: &'a UnicodeTable,
) -> Option<(&'a Dictionary, &'a [StandInRange])> {
    let dict = font.as_dict().ok()?;
    if dict.get(b"Subtype").ok()?.as_name().ok()? != b"Type0" {
        return None;
    }
    let encoding = resolve(doc, dict.get(b"Encoding").ok()?).as_name().ok()?;
    if encoding != b"Identity-H" && encoding != b"Identity-V" {
        return None;
    }
    let map_id = dict.get(b"ToUnicode").ok()?.as_reference().ok()?;
    Some((dict, unicode.ranges_of(map_id)?))
}

/// The page's XObjects and graphics states, as the content scan asks about them.
struct PageResources<'a> {
    doc: &'a Document,
    resources: &'a Dictionary,
}

impl PageResources<'_> {
    fn entry(&self, category: &[u8], name: &[u8]) -> Option<&Object> {
        let entries = resolve(self.doc, self.resources.get(category).ok()?)
            .as_dict()
            .ok()?;
        Some(resolve(self.doc, entries.get(name).ok()?))
    }
}

impl Resources for PageResources<'_> {
    fn is_image(&self, name: &[u8]) -> Option<bool> {
        let Object::Stream(stream) = self.entry(b"XObject", name)? else {
            return None;
        };
        Some(stream.dict.get(b"Subtype").ok()?.as_name().ok()? == b"Image")
    }

    fn sets_font(&self, state: &[u8]) -> Option<bool> {
        Some(
            self.entry(b"ExtGState", state)?
                .as_dict()
                .ok()?
                .has(b"Font"),
        )
    }
}

/// The page's share of a font's stand-in ranges: each shown code keeps its stand-in; codes
/// the whole map does not have are dropped (they decode to nothing either way).
fn page_ranges(whole: &[StandInRange], codes: &BTreeSet<u32>) -> Vec<StandInRange> {
    let mut out: Vec<StandInRange> = Vec::new();
    // The range of the whole map that `out`'s last range lies in.
    let mut last_whole = None;
    let mut whole_index = 0;
    for &code in codes {
        while whole.get(whole_index).is_some_and(|r| r.last < code) {
            whole_index += 1;
        }
        let Some(range) = whole.get(whole_index).filter(|r| r.first <= code) else {
            continue;
        };
        let stand_in = range.stand_in + (code - range.first);
        if let Some(last) = out.last_mut() {
            // Extend over a small gap (the same trade as the whole map's) within one range of
            // the whole map, where the stand-ins stay consecutive.
            if last_whole == Some(whole_index) && code - last.last - 1 <= COMPOSITE_GAP {
                last.last = code;
                continue;
            }
        }
        last_whole = Some(whole_index);
        out.push(StandInRange {
            first: code,
            last: code,
            stand_in,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(first: u32, last: u32, stand_in: u32) -> StandInRange {
        StandInRange {
            first,
            last,
            stand_in,
        }
    }

    #[test]
    fn shown_codes_keep_their_stand_ins() {
        let whole = [range(3, 40, 0x4_0000), range(100, 120, 0x4_0400)];
        let codes: BTreeSet<u32> = [3, 5, 110, 500].into_iter().collect();
        // 3 and 5 share a range (gap of one code); 110 starts the second; 500 has no stand-in.
        assert_eq!(
            page_ranges(&whole, &codes),
            vec![range(3, 5, 0x4_0000), range(110, 110, 0x4_0400 + 10)]
        );
    }

    #[test]
    fn ranges_never_run_across_two_ranges_of_the_whole_map() {
        let whole = [range(3, 4, 0x4_0000), range(5, 9, 0x4_0400)];
        let codes: BTreeSet<u32> = [4, 5].into_iter().collect();
        assert_eq!(
            page_ranges(&whole, &codes),
            vec![range(4, 4, 0x4_0001), range(5, 5, 0x4_0400)]
        );
    }
}
