//! A MeCab-compatible Viterbi search over lindera's ko-dic data.
//!
//! lindera's own segmenter keeps whitespace as lattice nodes (connecting the words around a
//! space through a `SPACE` unknown word) and cuts lattices at tabs; MeCab skips whitespace,
//! connects the surrounding words directly and only remembers that a word followed a space
//! (for mecab-ko's left-space penalty). On the sample booklet that difference alone costs
//! about ten points of agreement with MeCab, so this module walks the same dictionary the way
//! MeCab's `tokenizer.cpp`/`viterbi.cpp` do: skip spaces, look up dictionary words, add
//! unknown words by the character category's `invoke group length`, connect every candidate
//! to its cheapest predecessor (ties go to the predecessor added last), and close with EOS.

use std::collections::HashMap;

use lindera_dictionary::dictionary::character_definition::CategoryId;
use lindera_dictionary::dictionary::{Dictionary, UserDictionary};
use lindera_dictionary::viterbi::{LexType, WordEntry, WordId};

/// MeCab's default `max-grouping-size`: longer same-category runs get no grouped unknown word.
const MAX_GROUPING_SIZE: usize = 24;
/// Bytes of one serialized `WordEntry`: u32 id, i16 cost, u16 left id, u16 right id.
const ENTRY_LEN: usize = 10;
/// The context id of BOS and EOS.
const BOS_EOS: u32 = 0;

/// What the lattice needs to know about one character.
#[derive(Debug, Clone, Copy)]
pub struct CharClass {
    /// Bit `k` set when the character is in category `k`.
    pub mask: u64,
    /// The first (default) category, whose unknown words and properties apply.
    pub default: CategoryId,
    pub invoke: bool,
    pub group: bool,
    pub length: u32,
}

/// One morpheme on the best path: char positions (after skipped spaces), its lexicon entry,
/// and whether it followed whitespace.
#[derive(Debug, Clone, Copy)]
pub struct PathNode {
    pub start: usize,
    pub end: usize,
    pub entry: WordEntry,
}

#[derive(Debug, Clone, Copy)]
struct Node {
    end: u32,
    prev: u32,
    start: u32,
    entry: WordEntry,
}

/// A word ending at a position, as its successors see it.
#[derive(Debug, Clone, Copy)]
struct End {
    right_id: u32,
    cost: i64,
    node: u32,
}

/// Reusable buffers for one search.
#[derive(Default)]
pub struct Lattice {
    nodes: Vec<Node>,
    /// The words ending at each char position, at most one per right context id: only the
    /// cheapest word with a given right id can be anyone's best predecessor.
    ends: Vec<Vec<End>>,
    candidates: Vec<(usize, WordEntry)>,
    /// Best predecessor (cost, node) per left id at the current position.
    best_by_left: Vec<(u32, i64, u32)>,
    user_matches: Vec<Vec<(usize, WordEntry)>>,
    /// The model the caches below were filled from ([`Model::id`]).
    owner: u64,
    /// Left-space penalties of system words already looked up, by left context id (a POS
    /// lookup per candidate is slow); [`UNSEEN`] where none was yet. In mecab-ko-dic every
    /// word with a given left id has the same POS head, so the same penalty: mecab-ko keys
    /// these penalties by POS id, and a test checks the property over the whole dictionary.
    penalty_by_left: Vec<i32>,
    /// Left-space penalties of user and unknown words, by word.
    penalty_by_word: HashMap<(u8, u32), i32>,
}

/// A left id whose penalty was not looked up yet.
const UNSEEN: i32 = i32::MIN;

/// The dictionaries and tables a search reads.
pub struct Model<'a> {
    pub dictionary: &'a Dictionary,
    pub user: Option<&'a UserDictionary>,
    /// Category bits of the space character (MeCab's `space_`).
    pub space_mask: u64,
    /// Left-space penalty by word (see [`Model::penalty`]).
    pub penalty: &'a dyn Fn(WordId) -> i32,
    /// Tells models apart: a lattice that served another one drops its caches.
    pub id: u64,
}

fn decode_entry(chunk: &[u8], lex_type: LexType) -> WordEntry {
    let id = u32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
    let cost = i16::from_le_bytes([chunk[4], chunk[5]]);
    let left = u16::from_le_bytes([chunk[6], chunk[7]]);
    let right = u16::from_le_bytes([chunk[8], chunk[9]]);
    WordEntry::new(WordId::new(lex_type, id), cost, left, right)
}

impl Lattice {
    /// The best path through `chars` (one sentence) and its total cost (word costs,
    /// connection costs including BOS/EOS, and left-space penalties).
    pub fn best_path(
        &mut self,
        model: &Model,
        text: &str,
        chars: &[char],
        classes: &[CharClass],
        byte_of_char: &[usize],
        out: &mut Vec<PathNode>,
    ) -> i64 {
        out.clear();
        if self.owner != model.id {
            self.owner = model.id;
            self.penalty_by_left.clear();
            self.penalty_by_word.clear();
        }
        let n = chars.len();
        self.nodes.clear();
        // Only positions up to `n` are read; the buffers keep the room of the longest sentence
        // seen, which a short search should not pay to clear.
        if self.ends.len() < n + 1 {
            self.ends.resize_with(n + 1, Vec::new);
        }
        for list in &mut self.ends[..=n] {
            list.clear();
        }
        self.nodes.push(Node {
            end: 0,
            prev: u32::MAX,
            start: 0,
            entry: WordEntry::default(),
        });
        self.ends[0].push(End {
            right_id: BOS_EOS,
            cost: 0,
            node: 0,
        });
        self.collect_user_matches(model, text, byte_of_char, n);

        let matrix = &model.dictionary.connection_cost_matrix;
        for pos in 0..n {
            if self.ends[pos].is_empty() {
                continue;
            }
            let mut begin = pos;
            while begin < n && classes[begin].mask & model.space_mask != 0 {
                begin += 1;
            }
            if begin == n {
                continue;
            }
            let after_space = begin > pos;
            self.lookup(model, chars, classes, begin);
            // The best predecessor depends only on the candidate's left id.
            self.best_by_left.clear();
            for k in 0..self.candidates.len() {
                let (end, entry) = self.candidates[k];
                let left_id = entry.left_id();
                let (best, best_prev) =
                    match self.best_by_left.iter().find(|(id, ..)| *id == left_id) {
                        Some(&(_, best, prev)) => (best, prev),
                        None => {
                            let row = matrix.row(left_id);
                            let mut best = i64::MAX;
                            let mut best_prev = 0u32;
                            for l in self.ends[pos].iter().rev() {
                                let cost = l.cost + i64::from(row[l.right_id as usize]);
                                if cost < best {
                                    best = cost;
                                    best_prev = l.node;
                                }
                            }
                            self.best_by_left.push((left_id, best, best_prev));
                            (best, best_prev)
                        }
                    };
                let mut cost = best + i64::from(entry.word_cost());
                if after_space {
                    cost += i64::from(self.penalty(model, &entry));
                }
                let index = self.nodes.len() as u32;
                self.nodes.push(Node {
                    end: end as u32,
                    prev: best_prev,
                    start: begin as u32,
                    entry,
                });
                let right_id = entry.right_id();
                let list = &mut self.ends[end];
                match list.iter_mut().find(|e| e.right_id == right_id) {
                    // MeCab prefers the later of two equal paths.
                    Some(e) if cost <= e.cost => {
                        e.cost = cost;
                        e.node = index;
                    }
                    Some(_) => {}
                    None => list.push(End {
                        right_id,
                        cost,
                        node: index,
                    }),
                }
            }
        }
        // EOS joins the last position where words end (trailing spaces are left out).
        let Some(last) = (0..=n).rev().find(|&p| !self.ends[p].is_empty()) else {
            return 0;
        };
        let row = matrix.row(BOS_EOS);
        let mut best = i64::MAX;
        let mut best_node = 0u32;
        for l in self.ends[last].iter().rev() {
            let cost = l.cost + i64::from(row[l.right_id as usize]);
            if cost < best {
                best = cost;
                best_node = l.node;
            }
        }
        let mut at = best_node;
        while at != 0 && at != u32::MAX {
            let node = &self.nodes[at as usize];
            out.push(PathNode {
                start: node.start as usize,
                end: node.end as usize,
                entry: node.entry,
            });
            at = node.prev;
        }
        out.reverse();
        best
    }

    /// The left-space penalty of `entry` when it follows whitespace.
    fn penalty(&mut self, model: &Model, entry: &WordEntry) -> i32 {
        let word = entry.word_id();
        if word.lex_type() != LexType::System {
            let key = (word.lex_type() as u8, word.id());
            return *self
                .penalty_by_word
                .entry(key)
                .or_insert_with(|| (model.penalty)(word));
        }
        let left = entry.left_id() as usize;
        if left >= self.penalty_by_left.len() {
            self.penalty_by_left.resize(left + 1, UNSEEN);
        }
        if self.penalty_by_left[left] == UNSEEN {
            self.penalty_by_left[left] = (model.penalty)(word);
        }
        self.penalty_by_left[left]
    }

    /// User-dictionary words by start char, from one Aho-Corasick pass over the sentence.
    fn collect_user_matches(
        &mut self,
        model: &Model,
        text: &str,
        byte_of_char: &[usize],
        n: usize,
    ) {
        let Some(user) = model.user else {
            for list in self.user_matches.iter_mut().take(n + 1) {
                list.clear();
            }
            return;
        };
        if self.user_matches.len() < n + 1 {
            self.user_matches.resize_with(n + 1, Vec::new);
        }
        for list in &mut self.user_matches[..=n] {
            list.clear();
        }
        let vals: &[u8] = &user.dict.vals_data;
        for m in user.dict.da.find_overlapping_iter(text) {
            let (Ok(start), Ok(end)) = (
                byte_of_char.binary_search(&m.start()),
                byte_of_char.binary_search(&m.end()),
            ) else {
                continue;
            };
            let (offset, count) = user.dict.decode_val(m.value());
            let from = offset as usize * ENTRY_LEN;
            let to = (from + count as usize * ENTRY_LEN).min(vals.len());
            if from >= to {
                continue;
            }
            for chunk in vals[from..to].chunks_exact(ENTRY_LEN) {
                self.user_matches[start].push((end, decode_entry(chunk, LexType::User)));
            }
        }
    }

    /// MeCab's `Tokenizer::lookup` at `begin`: dictionary words, then unknown words when the
    /// category invokes them or nothing was found.
    fn lookup(&mut self, model: &Model, chars: &[char], classes: &[CharClass], begin: usize) {
        self.candidates.clear();
        let dictionary = model.dictionary;
        if begin < self.user_matches.len() {
            self.candidates.extend_from_slice(&self.user_matches[begin]);
        }
        for (bytes, len) in dictionary
            .prefix_dictionary
            .common_prefix_search(&chars[begin..])
        {
            for chunk in bytes.chunks_exact(ENTRY_LEN) {
                self.candidates
                    .push((begin + len, decode_entry(chunk, LexType::System)));
            }
        }
        let class = classes[begin];
        if !self.candidates.is_empty() && !class.invoke {
            return;
        }
        let n = chars.len();
        let unknown = &dictionary.unknown_dictionary;
        let ids = unknown.lookup_word_ids(class.default);
        let add = |candidates: &mut Vec<(usize, WordEntry)>, end: usize| {
            for &id in ids {
                candidates.push((end, unknown.word_entry(id)));
            }
        };
        let same_kind = |p: usize| p < n && classes[p].mask & class.mask != 0;
        let found_before = self.candidates.len();
        let mut next = begin + 1;
        let mut group_end = None;
        if class.group {
            let mut q = next;
            while same_kind(q) {
                q += 1;
            }
            if q - next <= MAX_GROUPING_SIZE {
                add(&mut self.candidates, q);
            }
            group_end = Some(q);
        }
        for _ in 1..=class.length {
            if next > n || Some(next) == group_end {
                break;
            }
            add(&mut self.candidates, next);
            if !same_kind(next) {
                break;
            }
            next += 1;
        }
        if self.candidates.len() == found_before && found_before == 0 {
            add(&mut self.candidates, begin + 1);
        }
    }
}
