//! The domain user dictionary: lindera's simple CSV (`surface,POS,reading`) compiled with
//! context ids borrowed from the system dictionary.
//!
//! lindera compiles a simple row with context id 0 (BOS/EOS) on both sides and cost -10000.
//! With ko-dic that breaks the words around a user word: after `사회적경제` (id 0) the
//! particle `의` comes out as `의/NNG`. So each row borrows the ids of a system word with the
//! same POS that ends like it (its longest suffix in the dictionary with that POS, which also
//! gets the final consonant right, or a reference word below), and gets a cost that beats the
//! pieces it replaces without swallowing its neighbours.

use lindera_dictionary::builder::DictionaryBuilder;
use lindera_dictionary::dictionary::{Dictionary, UserDictionary};
use lindera_dictionary::viterbi::WordEntry;

/// The word cost of a user entry per character: longer entries are cheaper, so a center name
/// wins over the user words it is made of (`마포구사회적경제통합지원센터` over `사회적경제` +
/// `통합지원센터`).
pub const USER_COST_PER_CHAR: i32 = -400;

fn user_word_cost(surface: &str) -> i16 {
    let cost = USER_COST_PER_CHAR.saturating_mul(surface.chars().count() as i32);
    cost.clamp(i32::from(i16::MIN), 0) as i16
}

/// Reference words whose context ids a user entry borrows when no suffix of it is in the
/// dictionary with its POS: (POS, word ending in a vowel, word ending in a consonant).
const REFERENCE_WORDS: &[(&str, &str, &str)] = &[
    // common nouns: 경제 (no final consonant), 조합 (final ㅂ)
    ("NNG", "경제", "조합"),
    // proper nouns: 마포 / 서울
    ("NNP", "마포", "서울"),
];

/// Whether the last syllable of `surface` has a final consonant (받침): ko-dic's `T`.
fn has_final_consonant(surface: &str) -> bool {
    surface
        .chars()
        .next_back()
        .filter(|c| ('가'..='힣').contains(c))
        .is_some_and(|c| !(c as u32 - 0xAC00).is_multiple_of(28))
}

fn first_feature(dictionary: &Dictionary, entry: &WordEntry) -> String {
    dictionary
        .word_details_iter(entry.word_id().id() as usize)
        .next()
        .unwrap_or("")
        .to_string()
}

/// A system entry with POS `pos` for `word`, if there is one.
fn entry_with_pos(dictionary: &Dictionary, word: &str, pos: &str) -> Option<WordEntry> {
    dictionary
        .prefix_dictionary
        .find_surface(word)
        .into_iter()
        .find(|e| first_feature(dictionary, e) == pos)
}

/// The system entry whose context ids a user word borrows.
fn model_entry(dictionary: &Dictionary, surface: &str, pos: &str) -> Option<WordEntry> {
    let starts: Vec<usize> = surface.char_indices().map(|(b, _)| b).collect();
    for &start in &starts {
        if let Some(entry) = entry_with_pos(dictionary, &surface[start..], pos) {
            return Some(entry);
        }
    }
    let (_, vowel, consonant) = REFERENCE_WORDS.iter().find(|(p, ..)| *p == pos)?;
    let reference = if has_final_consonant(surface) {
        consonant
    } else {
        vowel
    };
    entry_with_pos(dictionary, reference, pos)
}

fn csv_field(field: &str) -> String {
    crate::dict::lindera_source::csv_field(field).into_owned()
}

/// Compiles the simple user CSV `text` against `dictionary`. Rows with more than three
/// columns are taken as lindera's detailed format and passed through unchanged.
pub fn compile(dictionary: &Dictionary, text: &str) -> Result<UserDictionary, String> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = String::new();
    for (line, record) in reader.records().enumerate() {
        let record = record.map_err(|e| format!("line {}: {e}", line + 1))?;
        let fields: Vec<&str> = record.iter().collect();
        if fields.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        if fields.len() > 3 {
            let quoted: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
            rows.push_str(&quoted.join(","));
            rows.push('\n');
            continue;
        }
        if fields.len() < 2 {
            return Err(format!(
                "line {}: expected `surface,POS,reading`, got {} column(s)",
                line + 1,
                fields.len()
            ));
        }
        let (surface, pos) = (fields[0].trim(), fields[1].trim());
        // Already a system word with this POS (중구, 마포구): a cheaper copy would only pull
        // it out of longer words (중구난방).
        if entry_with_pos(dictionary, surface, pos).is_some() {
            continue;
        }
        let cost = user_word_cost(surface);
        let reading = fields.get(2).map(|r| r.trim()).unwrap_or(surface);
        let jongseong = if has_final_consonant(surface) {
            "T"
        } else {
            "F"
        };
        let (left, right) = match model_entry(dictionary, surface, pos) {
            Some(entry) => (entry.left_id(), entry.right_id()),
            None => (
                u32::from(dictionary.metadata.default_left_context_id),
                u32::from(dictionary.metadata.default_right_context_id),
            ),
        };
        rows.push_str(&format!(
            "{},{left},{right},{cost},{},*,{jongseong},{},*,*,*,*\n",
            csv_field(surface),
            csv_field(pos),
            csv_field(reading)
        ));
    }
    let metadata = (*dictionary.metadata).clone();
    DictionaryBuilder::new(metadata)
        .build_user_dict_from_reader(rows.as_bytes())
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn final_consonants_are_read_from_the_last_syllable() {
        assert!(has_final_consonant("서사연"));
        assert!(!has_final_consonant("사회적경제"));
        assert!(has_final_consonant("사회적협동조합"));
        assert!(!has_final_consonant("TF"));
    }
}
