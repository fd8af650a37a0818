//! Per-page font copies. pdf-extract builds every font afresh on every page that uses it,
//! parsing the font's whole ToUnicode map each time: on the sample booklet's 82 pages that was a
//! quarter of all CPU time, though a page draws only a few hundred of a font's glyphs. Before
//! capture, each page gets its own copy of each composite (Type0, Identity-H/V) font it draws,
//! whose ToUnicode map holds only the codes the page's content shows, with the same stand-ins
//! as the whole map (see `to_unicode`), so the decoded text is unchanged.
//!
//! A page is left as it is whenever the codes it shows cannot be known for certain (see
//! `shown_codes`).

use std::collections::{BTreeSet, HashSet};

use lopdf::{Dictionary, Document, Object, ObjectId, Stream};
use rayon::prelude::*;

use super::load::{inherited, resolve, PageSetup};
use super::shown_codes::{scan, Resources};
use super::to_unicode::{stand_in_cmap, StandInRange, UnicodeTable, COMPOSITE_GAP};
use crate::extract::fonts::width_runs;

/// What [`split`] did.
#[derive(Debug, Default)]
pub struct Split {
    /// Pages that got copies.
    pub pages: usize,
    /// Descendant fonts only ever read through pages' copies: each copy carries the widths its
    /// page shows, so these need no expanded width ranges (see `load::expand_width_ranges`).
    pub copied_only: HashSet<ObjectId>,
}

/// Gives every page its own copies of the composite fonts it draws (see the module comment).
/// The pages' content is scanned in parallel; the copies are added one page after another.
pub fn split(doc: &mut Document, setups: &[PageSetup], unicode: &UnicodeTable) -> Split {
    let outcomes: Vec<Planned> = setups
        .par_iter()
        .map(|setup| plan(doc, setup.id, unicode))
        .collect();
    // A page left as it is reads the shared fonts, and so may draw any of them from a form or
    // a font it was not scanned for: then every descendant keeps all its widths.
    let any_left = outcomes.iter().any(|o| matches!(o, Planned::LeftAsItIs));
    let mut copied = HashSet::new();
    let mut shared = HashSet::new();
    for outcome in &outcomes {
        match outcome {
            Planned::Copies { plan, others } => {
                for copy in &plan.copies {
                    // A copy whose widths could not be cut still reads the shared descendant.
                    match copy.descendant {
                        Some(_) => copied.extend(copy.shared_descendant),
                        None => shared.extend(copy.shared_descendant),
                    }
                }
                shared.extend(others.iter().copied());
            }
            Planned::NothingToCopy { others } => shared.extend(others.iter().copied()),
            Planned::LeftAsItIs => {}
        }
    }
    let copied_only = if any_left {
        HashSet::new()
    } else {
        copied.difference(&shared).copied().collect()
    };
    let mut pages = 0;
    for outcome in outcomes {
        if let Planned::Copies { plan, .. } = outcome {
            apply(doc, plan);
            pages += 1;
        }
    }
    Split { pages, copied_only }
}

enum Planned {
    /// The page draws no composite font this module copies (or no text at all).
    NothingToCopy {
        /// Descendants of the page's other fonts.
        others: Vec<ObjectId>,
    },
    Copies {
        plan: PagePlan,
        others: Vec<ObjectId>,
    },
    /// The page's codes could not be known for certain.
    LeftAsItIs,
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
    /// The descendant CIDFont with only the shown codes' widths; `None` keeps the shared one.
    descendant: Option<Dictionary>,
    /// The shared descendant the copy replaces, when it is an object of its own.
    shared_descendant: Option<ObjectId>,
}

fn plan(doc: &Document, page_id: ObjectId, unicode: &UnicodeTable) -> Planned {
    let Ok(page) = doc.get_dictionary(page_id) else {
        return Planned::LeftAsItIs;
    };
    let Some(resources) = inherited(doc, page, b"Resources").and_then(|r| r.as_dict().ok()) else {
        return Planned::NothingToCopy { others: Vec::new() };
    };
    // A form the page draws has resources of its own, and may show a font copied on other
    // pages: the shared font is then read whole, with all its widths (only a page that draws
    // no form can say which fonts it reads). A page with copies is left as it is when its
    // content draws a form (see `shown_codes`).
    let uncopied = |others: Vec<ObjectId>| {
        if draws_forms(doc, resources) {
            Planned::LeftAsItIs
        } else {
            Planned::NothingToCopy { others }
        }
    };
    let Some(fonts) = resources
        .get(b"Font")
        .ok()
        .and_then(|f| resolve(doc, f).as_dict().ok())
    else {
        return uncopied(Vec::new());
    };
    let mut candidates: Vec<(&[u8], &Dictionary, &[StandInRange])> = Vec::new();
    let mut others = Vec::new();
    for (name, font) in fonts.iter() {
        match candidate(doc, resolve(doc, font), unicode) {
            Some((font, ranges)) => candidates.push((name.as_slice(), font, ranges)),
            None => others.extend(
                resolve(doc, font)
                    .as_dict()
                    .ok()
                    .and_then(|font| descendant_id(doc, font)),
            ),
        }
    }
    if candidates.is_empty() {
        return uncopied(others);
    }
    let Some(shown) = doc
        .get_page_content(page_id)
        .ok()
        .and_then(|content| scan(&content, &PageResources { doc, resources }))
    else {
        return Planned::LeftAsItIs;
    };
    let mut copies = Vec::new();
    for (name, font, ranges) in candidates {
        // A font the page never shows is never built (nor are its widths read): nothing to
        // gain.
        let Some(codes) = shown.get(name) else {
            continue;
        };
        copies.push(FontCopy {
            name: name.to_vec(),
            font: font.clone(),
            ranges: page_ranges(ranges, codes),
            descendant: page_descendant(doc, font, codes),
            shared_descendant: descendant_id(doc, font),
        });
    }
    if copies.is_empty() {
        return uncopied(others);
    }
    Planned::Copies {
        plan: PagePlan {
            page: page_id,
            resources: resources.clone(),
            fonts: fonts.clone(),
            copies,
        },
        others,
    }
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
        if let Some(descendant) = copy.descendant {
            let descendant = doc.add_object(descendant);
            font.set(
                "DescendantFonts",
                Object::Array(vec![Object::Reference(descendant)]),
            );
        }
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

/// Whether the page's resources hold an XObject that is not an image (a form, or something
/// unreadable, counted as one).
fn draws_forms(doc: &Document, resources: &Dictionary) -> bool {
    let Some(xobjects) = resources.get(b"XObject").ok().map(|x| resolve(doc, x)) else {
        return false;
    };
    let Ok(xobjects) = xobjects.as_dict() else {
        return true;
    };
    xobjects
        .iter()
        .any(|(_, xobject)| match resolve(doc, xobject) {
            Object::Stream(stream) => stream
                .dict
                .get(b"Subtype")
                .ok()
                .and_then(|s| s.as_name().ok())
                .is_none_or(|subtype| subtype != b"Image"),
            _ => true,
        })
}

/// The object id of a composite font's descendant CIDFont, when it is an object of its own.
fn descendant_id(doc: &Document, font: &Dictionary) -> Option<ObjectId> {
    let descendants = resolve(doc, font.get(b"DescendantFonts").ok()?)
        .as_array()
        .ok()?;
    descendants.first()?.as_reference().ok()
}

/// The font's descendant CIDFont with its widths cut down to the codes the page shows (under
/// Identity-H/V a code is its CID). pdf-extract turns the descendant's whole `W` array into a
/// map on every page that draws the font, and one `c_first c_last w` entry can stand for
/// thousands of CIDs (Chrome's Nanum subsets give one width to 16,594), which pdf-extract can
/// only read expanded. The copy lists each shown code's width in the `c [w …]` form.
/// `None` (the shared descendant stays) when `W` is absent or not in a form read here.
fn page_descendant(doc: &Document, font: &Dictionary, codes: &BTreeSet<u32>) -> Option<Dictionary> {
    let descendants = resolve(doc, font.get(b"DescendantFonts").ok()?)
        .as_array()
        .ok()?;
    let descendant = resolve(doc, descendants.first()?).as_dict().ok()?;
    let widths = resolve(doc, descendant.get(b"W").ok()?).as_array().ok()?;
    // Each shown code's width, in the order of the array (pdf-extract lets a later entry win).
    let mut shown: Vec<(u32, Object)> = Vec::new();
    let mut i = 0;
    while i < widths.len() {
        match (&widths[i], widths.get(i + 1), widths.get(i + 2)) {
            (Object::Integer(first), Some(Object::Array(run)), _) => {
                let first = u32::try_from(*first).ok()?;
                let end = first.saturating_add(u32::try_from(run.len()).ok()?);
                for &code in codes.range(first..end) {
                    shown.push((code, run[(code - first) as usize].clone()));
                }
                i += 2;
            }
            (
                Object::Integer(first),
                Some(Object::Integer(last)),
                Some(width @ (Object::Integer(_) | Object::Real(_))),
            ) => {
                let (first, last) = (u32::try_from(*first).ok()?, u32::try_from(*last).ok()?);
                if first <= last {
                    for &code in codes.range(first..=last) {
                        shown.push((code, width.clone()));
                    }
                }
                i += 3;
            }
            _ => return None,
        }
    }
    let cut: Vec<Object> = width_runs(shown)
        .into_iter()
        .flat_map(|(first, ws)| [Object::Integer(i64::from(first)), Object::Array(ws)])
        .collect();
    let mut copy = Dictionary::new();
    for (key, value) in descendant.iter().filter(|(key, _)| key.as_slice() != b"W") {
        copy.set(key.clone(), value.clone());
    }
    copy.set("W", Object::Array(cut));
    Some(copy)
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

    fn descendant_with_widths(widths: Vec<Object>) -> (Document, Dictionary) {
        let mut doc = Document::with_version("1.5");
        let mut descendant = Dictionary::new();
        descendant.set("Subtype", Object::Name(b"CIDFontType2".to_vec()));
        descendant.set("DW", Object::Integer(1000));
        descendant.set("W", Object::Array(widths));
        let id = doc.add_object(descendant);
        let mut font = Dictionary::new();
        font.set("Subtype", Object::Name(b"Type0".to_vec()));
        font.set(
            "DescendantFonts",
            Object::Array(vec![Object::Reference(id)]),
        );
        (doc, font)
    }

    #[test]
    fn a_copy_lists_only_the_widths_its_page_shows() {
        let (doc, font) = descendant_with_widths(vec![
            Object::Integer(3),
            Object::Array(vec![Object::Integer(300), Object::Integer(310)]),
            Object::Integer(354),
            Object::Integer(16_947),
            Object::Real(950.0),
        ]);
        let codes: BTreeSet<u32> = [4, 354, 355, 9000, 20_000].into_iter().collect();
        let copy = page_descendant(&doc, &font, &codes).expect("a copy");
        assert_eq!(copy.get(b"DW").ok(), Some(&Object::Integer(1000)));
        // 20,000 is in no entry: it keeps the default width.
        assert_eq!(
            copy.get(b"W").ok(),
            Some(&Object::Array(vec![
                Object::Integer(4),
                Object::Array(vec![Object::Integer(310)]),
                Object::Integer(354),
                Object::Array(vec![Object::Real(950.0), Object::Real(950.0)]),
                Object::Integer(9000),
                Object::Array(vec![Object::Real(950.0)]),
            ]))
        );
    }

    #[test]
    fn widths_in_a_form_not_read_here_keep_the_shared_descendant() {
        let (doc, font) = descendant_with_widths(vec![Object::Name(b"odd".to_vec())]);
        let codes: BTreeSet<u32> = [4].into_iter().collect();
        assert!(page_descendant(&doc, &font, &codes).is_none());
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
