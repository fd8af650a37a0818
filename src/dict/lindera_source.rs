//! Writing lindera's ko-dic source files (`ko-dic.csv`, `matrix.def`, `char.def`, `unk.def`)
//! from the decoded MeCab dictionary, plus the ko-dic build settings lindera's builder needs.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use lindera_dictionary::dictionary::metadata::Metadata;

use super::mecab::{CharTable, LexEntry, Matrix, CHAR_TABLE_LEN};
use super::DictError;

/// The lexicon file name inside the source directory.
pub const LEXICON_FILE: &str = "ko-dic.csv";

/// The settings of the `lindera-ko-dic` crate's `metadata.json` (lindera 6.2): schema, the
/// simple-user-dictionary defaults, context-id remapping and mecab-ko-dic's left-space
/// penalties (its `dicrc` `left-space-penalty-factor`).
pub const KO_DIC_METADATA_JSON: &str = r#"{
  "name": "ko-dic",
  "encoding": "UTF-8",
  "default_word_cost": -10000,
  "default_left_context_id": 0,
  "default_right_context_id": 0,
  "default_field_value": "*",
  "flexible_csv": false,
  "skip_invalid_cost_or_id": false,
  "normalize_details": false,
  "dictionary_schema": {
    "fields": [
      "surface", "left_context_id", "right_context_id", "cost",
      "part_of_speech_tag", "meaning", "presence_absence", "reading",
      "type", "first_part_of_speech", "last_part_of_speech", "expression"
    ]
  },
  "user_dictionary_schema": { "fields": ["surface", "part_of_speech_tag", "reading"] },
  "connection_id_mapping": true,
  "space_penalty": {
    "rules": [
      { "pos": ["EC", "EF", "EP", "ETM", "ETN", "VCP", "XSA", "XSN", "XSV"], "cost": 3000 },
      { "pos": ["JC", "JKB", "JKC", "JKG", "JKO", "JKQ", "JKS", "JKV", "JX"], "cost": 6000 }
    ]
  }
}"#;

/// Number of feature columns a ko-dic row carries after surface, ids and cost.
pub const FEATURE_COLUMNS: usize = 8;

/// The ko-dic build settings as lindera's `Metadata`.
pub fn ko_dic_metadata() -> Result<Metadata, DictError> {
    serde_json::from_str(KO_DIC_METADATA_JSON).map_err(|e| DictError::Build(e.to_string()))
}

/// Quotes one CSV field when it holds a comma, a quote or a line break (RFC 4180).
pub fn csv_field(field: &str) -> std::borrow::Cow<'_, str> {
    if field.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\"")).into()
    } else {
        field.into()
    }
}

/// Splits a MeCab feature string into its columns the way MeCab's `tokenizeCSV` does: a
/// column starting with `"` runs to the closing quote, `""` inside it is one quote.
pub fn split_feature(feature: &str) -> Vec<String> {
    let mut columns = Vec::new();
    let mut column = String::new();
    let mut in_quotes = false;
    let mut chars = feature.chars().peekable();
    while let Some(c) = chars.next() {
        if in_quotes {
            if c != '"' {
                column.push(c);
            } else if chars.peek() == Some(&'"') {
                chars.next();
                column.push('"');
            } else {
                in_quotes = false;
            }
        } else if c == '"' && column.is_empty() {
            in_quotes = true;
        } else if c == ',' {
            columns.push(std::mem::take(&mut column));
        } else {
            column.push(c);
        }
    }
    columns.push(column);
    columns
}

/// One CSV row for `entry`, with `key` as its first column (the surface, or the category name
/// for unknown-word rows). Feature columns are normalised to exactly [`FEATURE_COLUMNS`]:
/// missing ones become `*`, extra ones are folded into the last column.
pub fn csv_row(key: &str, entry: &LexEntry) -> String {
    let mut columns = split_feature(&entry.feature);
    if columns.len() > FEATURE_COLUMNS {
        let tail = columns.split_off(FEATURE_COLUMNS - 1).join(",");
        columns.push(tail);
    }
    while columns.len() < FEATURE_COLUMNS {
        columns.push("*".to_string());
    }
    let mut row = format!(
        "{},{},{},{}",
        csv_field(key),
        entry.left_id,
        entry.right_id,
        entry.cost
    );
    for column in &columns {
        row.push(',');
        row.push_str(&csv_field(column));
    }
    row
}

fn io_error(path: &Path, error: std::io::Error) -> DictError {
    DictError::Io {
        path: path.to_path_buf(),
        source: error,
    }
}

fn create(path: &Path) -> Result<BufWriter<File>, DictError> {
    File::create(path)
        .map(|f| BufWriter::with_capacity(1 << 20, f))
        .map_err(|e| io_error(path, e))
}

/// Writes the system lexicon as `ko-dic.csv`; `tick` is called every 10,000 rows.
pub fn write_lexicon(
    dir: &Path,
    entries: &[LexEntry],
    mut tick: impl FnMut(u64),
) -> Result<(), DictError> {
    let path = dir.join(LEXICON_FILE);
    let mut out = create(&path)?;
    for (k, entry) in entries.iter().enumerate() {
        writeln!(out, "{}", csv_row(&entry.surface, entry)).map_err(|e| io_error(&path, e))?;
        if k % 10_000 == 9_999 {
            tick(10_000);
        }
    }
    out.flush().map_err(|e| io_error(&path, e))
}

/// Writes `unk.def`: one row per unknown-word entry, keyed by its category name.
pub fn write_unk_def(dir: &Path, entries: &[LexEntry]) -> Result<(), DictError> {
    let path = dir.join("unk.def");
    let mut out = create(&path)?;
    for entry in entries {
        writeln!(out, "{}", csv_row(&entry.surface, entry)).map_err(|e| io_error(&path, e))?;
    }
    out.flush().map_err(|e| io_error(&path, e))
}

/// Writes `matrix.def`: the header `lsize rsize`, then `i j cost` for every cell.
pub fn write_matrix_def(dir: &Path, matrix: &Matrix) -> Result<(), DictError> {
    let path = dir.join("matrix.def");
    let mut out = create(&path)?;
    let mut text = String::with_capacity(16 << 20);
    text.push_str(&format!("{} {}\n", matrix.lsize, matrix.rsize));
    for j in 0..matrix.rsize {
        for i in 0..matrix.lsize {
            use std::fmt::Write as _;
            let _ = writeln!(text, "{i} {j} {}", matrix.cost(i, j));
        }
        if text.len() > 8 << 20 {
            out.write_all(text.as_bytes())
                .map_err(|e| io_error(&path, e))?;
            text.clear();
        }
    }
    out.write_all(text.as_bytes())
        .map_err(|e| io_error(&path, e))?;
    out.flush().map_err(|e| io_error(&path, e))
}

/// The text of `char.def`: category lines (`NAME invoke group length`), then code point
/// ranges with their categories, the default category first. Code points that belong only to
/// `DEFAULT` are left out (lindera falls back to `DEFAULT`), and so are UTF-16 surrogates.
pub fn char_def_text(table: &CharTable) -> String {
    let mut text = String::new();
    for category in table.categories() {
        text.push_str(&format!(
            "{} {} {} {}\n",
            category.name,
            u8::from(category.invoke),
            u8::from(category.group),
            category.length
        ));
    }
    let default_id = table.names.iter().position(|n| n == "DEFAULT");
    let label = |cp: usize| -> Option<Vec<usize>> {
        let info = table.chars[cp];
        let default = info.default_type as usize;
        let mut ids = vec![default];
        for k in 0..table.names.len() {
            if k != default && info.type_mask & (1 << k) != 0 {
                ids.push(k);
            }
        }
        let only_default = ids.len() == 1 && Some(default) == default_id;
        let surrogate = (0xD800..=0xDFFF).contains(&cp);
        (!only_default && !surrogate).then_some(ids)
    };
    let mut cp = 0;
    while cp < CHAR_TABLE_LEN {
        let Some(ids) = label(cp) else {
            cp += 1;
            continue;
        };
        let mut end = cp;
        while end + 1 < CHAR_TABLE_LEN && label(end + 1).as_ref() == Some(&ids) {
            end += 1;
        }
        let names: Vec<&str> = ids.iter().map(|&k| table.names[k].as_str()).collect();
        if end == cp {
            text.push_str(&format!("0x{cp:04X} {}\n", names.join(" ")));
        } else {
            text.push_str(&format!("0x{cp:04X}..0x{end:04X} {}\n", names.join(" ")));
        }
        cp = end + 1;
    }
    text
}

/// Writes `char.def`.
pub fn write_char_def(dir: &Path, table: &CharTable) -> Result<(), DictError> {
    let path = dir.join("char.def");
    std::fs::write(&path, char_def_text(table)).map_err(|e| io_error(&path, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_comma_surface_is_quoted() {
        let entry = LexEntry {
            surface: ",".into(),
            left_id: 1,
            right_id: 2,
            cost: 3,
            feature: "SC,*,*,*,*,*,*,*".into(),
        };
        assert_eq!(csv_row(",", &entry), "\",\",1,2,3,SC,*,*,*,*,*,*,*");
    }

    #[test]
    fn quoted_feature_columns_survive() {
        assert_eq!(
            split_feature("SY,*,*,\"a,b\",*,*,*,*"),
            vec!["SY", "*", "*", "a,b", "*", "*", "*", "*"]
        );
        assert_eq!(split_feature("SY,\"\"\"\",*"), vec!["SY", "\"", "*"]);
        assert_eq!(split_feature("a,,b,"), vec!["a", "", "b", ""]);
    }

    #[test]
    fn short_features_are_padded() {
        let entry = LexEntry {
            surface: "서울".into(),
            left_id: 1,
            right_id: 2,
            cost: -3,
            feature: "NNP,지명".into(),
        };
        assert_eq!(csv_row("서울", &entry), "서울,1,2,-3,NNP,지명,*,*,*,*,*,*");
    }

    #[test]
    fn the_ko_dic_settings_parse() {
        let metadata = ko_dic_metadata().expect("settings parse");
        assert_eq!(metadata.name, "ko-dic");
        assert!(metadata.space_penalty.is_some());
    }
}
