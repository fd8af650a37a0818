//! What the analyzer assumes of the installed dictionary, checked over all of it.

mod common;

use std::collections::HashMap;

use lindera::dictionary::load_fs_dictionary_with_options;

/// Bytes of one serialized `WordEntry`: u32 id, i16 cost, u16 left id, u16 right id.
const ENTRY_LEN: usize = 10;

/// The lattice looks a system word's left-space penalty up once per left context id
/// (`analyze::lattice`), which is right only if every word with one left id has the same
/// penalty: mecab-ko-dic gives each POS head its own left ids.
#[test]
fn the_left_space_penalty_depends_only_on_the_left_id() {
    let dictionary =
        load_fs_dictionary_with_options(&common::dict_dir(), true).expect("the dictionary loads");
    let rules = dictionary
        .metadata
        .space_penalty
        .clone()
        .expect("ko-dic ships left-space penalties");
    let mut by_left: HashMap<u16, (i32, String)> = HashMap::new();
    let mut entries = 0;
    let mut penalised = 0;
    for chunk in dictionary
        .prefix_dictionary
        .vals_data
        .chunks_exact(ENTRY_LEN)
    {
        let id = u32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
        let left = u16::from_le_bytes([chunk[6], chunk[7]]);
        let tag = dictionary
            .word_details_iter(id as usize)
            .next()
            .unwrap_or("")
            .to_string();
        let penalty = rules.cost_for_tag(&tag);
        entries += 1;
        penalised += usize::from(penalty != 0);
        let (first_penalty, first_tag) = by_left.entry(left).or_insert((penalty, tag.clone()));
        assert_eq!(
            *first_penalty, penalty,
            "left id {left}: {first_tag} has penalty {first_penalty}, {tag} has {penalty}"
        );
    }
    assert!(entries > 800_000, "{entries} entries");
    assert!(by_left.len() > 2_000, "{} left ids", by_left.len());
    // Not vacuous: particles and endings are penalised.
    assert!(penalised > 1_000, "{penalised} penalised entries");
}
