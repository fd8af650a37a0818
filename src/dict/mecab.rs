//! Reading a compiled MeCab dictionary (`sys.dic`, `unk.dic`, `matrix.bin`, `char.bin`) into
//! plain data: lexicon entries with their surfaces, the connection matrix, and the character
//! categories. The binary layout is described in DESIGN.md; all integers are little-endian.

use super::DictError;

/// `DictionaryMagicID` of MeCab: the first header word is this XOR the file length.
const DICTIONARY_MAGIC_ID: u32 = 0xef71_8f77;
/// The only dictionary format version MeCab 0.996 writes.
const DICTIONARY_VERSION: u32 = 102;
/// Ten u32 header words plus the 32-byte charset name.
const HEADER_LEN: usize = 10 * 4 + 32;
/// One token record: lcAttr, rcAttr, posid, wcost, feature offset, compound.
const TOKEN_LEN: usize = 16;
/// Number of code points `char.bin` describes (the BMP minus U+FFFF).
pub const CHAR_TABLE_LEN: usize = 0xFFFF;
/// Length of one category name in `char.bin`.
const CATEGORY_NAME_LEN: usize = 32;

/// One lexicon row: what a MeCab CSV source line holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexEntry {
    pub surface: String,
    pub left_id: u16,
    pub right_id: u16,
    pub cost: i16,
    /// The comma-separated feature columns, exactly as MeCab stored them.
    pub feature: String,
}

/// A compiled lexicon (`sys.dic` or `unk.dic`) decoded into rows, in token order.
#[derive(Debug, Clone)]
pub struct Lexicon {
    pub charset: String,
    /// Sizes of the left and right context-id spaces the header declares.
    pub lsize: u32,
    pub rsize: u32,
    pub entries: Vec<LexEntry>,
}

/// The connection cost matrix: `cost(i, j) = costs[i + lsize * j]`.
#[derive(Debug, Clone)]
pub struct Matrix {
    pub lsize: u16,
    pub rsize: u16,
    pub costs: Vec<i16>,
}

impl Matrix {
    pub fn cost(&self, left: u16, right: u16) -> i16 {
        self.costs[left as usize + self.lsize as usize * right as usize]
    }
}

/// A character category of `char.def`: name and its `invoke group length` properties.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Category {
    pub name: String,
    pub invoke: bool,
    pub group: bool,
    pub length: u32,
}

/// What `char.bin` says about one code point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CharInfo {
    /// Bit `k` set when the code point belongs to category `k`.
    pub type_mask: u32,
    /// The category whose properties apply (the first one listed in `char.def`).
    pub default_type: u8,
    pub length: u8,
    pub group: bool,
    pub invoke: bool,
}

impl CharInfo {
    fn from_bits(bits: u32) -> CharInfo {
        CharInfo {
            type_mask: bits & 0x3_FFFF,
            default_type: ((bits >> 18) & 0xFF) as u8,
            length: ((bits >> 26) & 0xF) as u8,
            group: (bits >> 30) & 1 == 1,
            invoke: (bits >> 31) & 1 == 1,
        }
    }
}

/// The decoded `char.bin`: category names and the per-code-point table.
#[derive(Debug, Clone)]
pub struct CharTable {
    pub names: Vec<String>,
    pub chars: Vec<CharInfo>,
}

impl CharTable {
    /// The categories with their `invoke group length` properties, recovered from the code
    /// points that have each category as their default. A category never used as a default
    /// keeps MeCab's neutral `0 0 0`.
    pub fn categories(&self) -> Vec<Category> {
        let mut categories: Vec<Option<Category>> = vec![None; self.names.len()];
        for info in &self.chars {
            let slot = info.default_type as usize;
            if slot < categories.len() && categories[slot].is_none() {
                categories[slot] = Some(Category {
                    name: self.names[slot].clone(),
                    invoke: info.invoke,
                    group: info.group,
                    length: u32::from(info.length),
                });
            }
        }
        categories
            .into_iter()
            .enumerate()
            .map(|(k, c)| {
                c.unwrap_or_else(|| Category {
                    name: self.names[k].clone(),
                    invoke: false,
                    group: false,
                    length: 0,
                })
            })
            .collect()
    }
}

fn u16_at(bytes: &[u8], offset: usize) -> u16 {
    u16::from_le_bytes([bytes[offset], bytes[offset + 1]])
}

fn i16_at(bytes: &[u8], offset: usize) -> i16 {
    i16::from_le_bytes([bytes[offset], bytes[offset + 1]])
}

fn u32_at(bytes: &[u8], offset: usize) -> u32 {
    u32::from_le_bytes([
        bytes[offset],
        bytes[offset + 1],
        bytes[offset + 2],
        bytes[offset + 3],
    ])
}

fn i32_at(bytes: &[u8], offset: usize) -> i32 {
    u32_at(bytes, offset) as i32
}

fn nul_terminated(bytes: &[u8]) -> &[u8] {
    let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
    &bytes[..end]
}

fn utf8(file: &str, bytes: &[u8], what: &str) -> Result<String, DictError> {
    String::from_utf8(bytes.to_vec()).map_err(|_| DictError::Malformed {
        file: file.to_string(),
        reason: format!("{what} is not UTF-8"),
    })
}

/// Decodes `sys.dic` or `unk.dic`. `file` names the file in error messages.
pub fn read_lexicon(file: &str, bytes: &[u8]) -> Result<Lexicon, DictError> {
    if bytes.len() < HEADER_LEN {
        return Err(DictError::Truncated {
            file: file.to_string(),
            expected: HEADER_LEN as u64,
            actual: bytes.len() as u64,
        });
    }
    let word = |k: usize| u32_at(bytes, 4 * k);
    let (magic, version, _kind, lexsize, lsize, rsize, dsize, tsize, fsize) = (
        word(0),
        word(1),
        word(2),
        word(3),
        word(4),
        word(5),
        word(6),
        word(7),
        word(8),
    );
    let declared = HEADER_LEN as u64 + u64::from(dsize) + u64::from(tsize) + u64::from(fsize);
    if u64::from(magic ^ DICTIONARY_MAGIC_ID) != bytes.len() as u64 {
        // A consistent header whose sections run past the end: the file was cut short.
        if u64::from(magic ^ DICTIONARY_MAGIC_ID) == declared && declared > bytes.len() as u64 {
            return Err(DictError::Truncated {
                file: file.to_string(),
                expected: declared,
                actual: bytes.len() as u64,
            });
        }
        return Err(DictError::BadMagic {
            file: file.to_string(),
            found: magic,
        });
    }
    if version != DICTIONARY_VERSION {
        return Err(DictError::Malformed {
            file: file.to_string(),
            reason: format!("dictionary version {version}, expected {DICTIONARY_VERSION}"),
        });
    }
    if declared > bytes.len() as u64 {
        return Err(DictError::Truncated {
            file: file.to_string(),
            expected: declared,
            actual: bytes.len() as u64,
        });
    }
    if u64::from(tsize) != u64::from(lexsize) * TOKEN_LEN as u64 || dsize % 8 != 0 {
        return Err(DictError::Malformed {
            file: file.to_string(),
            reason: format!("inconsistent header: {lexsize} tokens in {tsize} bytes, double array of {dsize} bytes"),
        });
    }
    let charset = utf8(file, nul_terminated(&bytes[40..HEADER_LEN]), "charset name")?;
    let da_start = HEADER_LEN;
    let tokens_start = da_start + dsize as usize;
    let features_start = tokens_start + tsize as usize;
    let features = &bytes[features_start..features_start + fsize as usize];
    let keys = DoubleArray::new(&bytes[da_start..tokens_start]).keys(file)?;

    let mut slots: Vec<Option<(usize, usize)>> = vec![None; lexsize as usize];
    for (key_index, (_, value)) in keys.iter().enumerate() {
        let first = (value >> 8) as usize;
        let count = (value & 0xFF) as usize;
        if first + count > slots.len() {
            return Err(DictError::Malformed {
                file: file.to_string(),
                reason: format!(
                    "key points at tokens {first}..{} of {lexsize}",
                    first + count
                ),
            });
        }
        for slot in &mut slots[first..first + count] {
            *slot = Some((key_index, first));
        }
    }

    let mut surfaces: Vec<Option<String>> = vec![None; keys.len()];
    let mut entries = Vec::with_capacity(lexsize as usize);
    for (token_index, slot) in slots.iter().enumerate() {
        let Some((key_index, _)) = *slot else {
            return Err(DictError::Malformed {
                file: file.to_string(),
                reason: format!("token {token_index} has no key"),
            });
        };
        let surface = match &surfaces[key_index] {
            Some(s) => s.clone(),
            None => {
                let s = utf8(file, &keys[key_index].0, "a surface")?;
                surfaces[key_index] = Some(s.clone());
                s
            }
        };
        let at = tokens_start + token_index * TOKEN_LEN;
        let feature_offset = u32_at(bytes, at + 8) as usize;
        if feature_offset >= features.len() {
            return Err(DictError::Malformed {
                file: file.to_string(),
                reason: format!("token {token_index} points past the feature strings"),
            });
        }
        entries.push(LexEntry {
            surface,
            left_id: u16_at(bytes, at),
            right_id: u16_at(bytes, at + 2),
            cost: i16_at(bytes, at + 6),
            feature: utf8(
                file,
                nul_terminated(&features[feature_offset..]),
                "a feature string",
            )?,
        });
    }
    Ok(Lexicon {
        charset,
        lsize,
        rsize,
        entries,
    })
}

/// A Darts double array (units of `{i32 base, u32 check}`) as MeCab stores it.
struct DoubleArray<'a> {
    units: &'a [u8],
}

impl<'a> DoubleArray<'a> {
    fn new(units: &'a [u8]) -> Self {
        DoubleArray { units }
    }

    fn len(&self) -> usize {
        self.units.len() / 8
    }

    fn base(&self, p: usize) -> i32 {
        i32_at(self.units, 8 * p)
    }

    fn check(&self, p: usize) -> u32 {
        u32_at(self.units, 8 * p + 4)
    }

    /// Every key with its value. Instead of probing 256 children per node from the root, it
    /// finds the terminal slots (`check[b] == b`, `base[b] < 0`) and climbs to the root: the
    /// node owning base `b` is the unique unit whose base is `b`, and a unit `p` with parent
    /// base `c = check[p]` holds the byte `p - c - 1`.
    fn keys(&self, file: &str) -> Result<Vec<(Vec<u8>, u32)>, DictError> {
        let n = self.len();
        if n == 0 {
            return Ok(Vec::new());
        }
        let malformed = |reason: String| DictError::Malformed {
            file: file.to_string(),
            reason,
        };
        // owner[b] = the unit whose base is b (only inner nodes have positive bases).
        let mut owner: Vec<u32> = vec![u32::MAX; n + 1];
        for p in 0..n {
            let base = self.base(p);
            // Free units have base 0 and terminal slots a negative base; only nodes remain.
            if base > 0 && (base as usize) <= n && (p == 0 || self.is_used(p)) {
                owner[base as usize] = p as u32;
            }
        }
        let mut keys = Vec::new();
        for b in 1..n {
            if self.check(b) as usize != b || self.base(b) >= 0 {
                continue;
            }
            let value = (-(self.base(b) as i64) - 1) as u32;
            let mut key = Vec::new();
            let mut node = owner[b] as usize;
            let mut steps = 0usize;
            while node != 0 {
                if node >= n {
                    return Err(malformed(format!("double array: no node owns base {b}")));
                }
                let parent_base = self.check(node) as usize;
                if node <= parent_base || parent_base > n {
                    return Err(malformed(format!(
                        "double array: bad parent at unit {node}"
                    )));
                }
                key.push((node - parent_base - 1) as u8);
                node = owner[parent_base] as usize;
                steps += 1;
                if steps > 4096 {
                    return Err(malformed("double array: cycle".into()));
                }
            }
            key.reverse();
            keys.push((key, value));
        }
        keys.sort_unstable();
        Ok(keys)
    }

    /// A unit that is a node of the trie: its parent's base (`check`) puts it in range.
    fn is_used(&self, p: usize) -> bool {
        let c = self.check(p) as usize;
        p > c && p - c - 1 < 256
    }
}

/// Decodes `matrix.bin`: u16 lsize, u16 rsize, then lsize × rsize i16 costs.
pub fn read_matrix(file: &str, bytes: &[u8]) -> Result<Matrix, DictError> {
    if bytes.len() < 4 {
        return Err(DictError::Truncated {
            file: file.to_string(),
            expected: 4,
            actual: bytes.len() as u64,
        });
    }
    let lsize = u16_at(bytes, 0);
    let rsize = u16_at(bytes, 2);
    let expected = 4 + 2 * lsize as u64 * rsize as u64;
    if (bytes.len() as u64) < expected {
        return Err(DictError::Truncated {
            file: file.to_string(),
            expected,
            actual: bytes.len() as u64,
        });
    }
    if bytes.len() as u64 != expected {
        return Err(DictError::Malformed {
            file: file.to_string(),
            reason: format!(
                "{} bytes, but a {lsize} × {rsize} matrix needs {expected}",
                bytes.len()
            ),
        });
    }
    let costs = bytes[4..]
        .chunks_exact(2)
        .map(|c| i16::from_le_bytes([c[0], c[1]]))
        .collect();
    Ok(Matrix {
        lsize,
        rsize,
        costs,
    })
}

/// Decodes `char.bin`: u32 category count, 32-byte names, then 0xFFFF u32 entries.
pub fn read_char_table(file: &str, bytes: &[u8]) -> Result<CharTable, DictError> {
    if bytes.len() < 4 {
        return Err(DictError::Truncated {
            file: file.to_string(),
            expected: 4,
            actual: bytes.len() as u64,
        });
    }
    let count = u32_at(bytes, 0) as u64;
    if count == 0 || count > 18 {
        return Err(DictError::Malformed {
            file: file.to_string(),
            reason: format!("{count} character categories (MeCab allows 1 to 18)"),
        });
    }
    let table_start = 4 + count as usize * CATEGORY_NAME_LEN;
    let expected = table_start as u64 + 4 * CHAR_TABLE_LEN as u64;
    if (bytes.len() as u64) < expected {
        return Err(DictError::Truncated {
            file: file.to_string(),
            expected,
            actual: bytes.len() as u64,
        });
    }
    let mut names = Vec::with_capacity(count as usize);
    for k in 0..count as usize {
        let at = 4 + k * CATEGORY_NAME_LEN;
        names.push(utf8(
            file,
            nul_terminated(&bytes[at..at + CATEGORY_NAME_LEN]),
            "a category name",
        )?);
    }
    let chars = (0..CHAR_TABLE_LEN)
        .map(|cp| CharInfo::from_bits(u32_at(bytes, table_start + 4 * cp)))
        .collect();
    Ok(CharTable { names, chars })
}
