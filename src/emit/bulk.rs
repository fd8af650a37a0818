//! `<name>.bulk.ndjson` (`jaryo run --bulk`): the blocks as an Elasticsearch/OpenSearch `_bulk`
//! request body — per block an `index` action line (`_index`, `_id` = `<document>/<block>`)
//! and the block's line of `<name>.blocks.jsonl` without its tokens — so
//! `curl -H 'Content-Type: application/x-ndjson' --data-binary @<name>.bulk.ndjson
//! http://localhost:9200/_bulk` loads it as it is.

use std::io::Write;

use serde::Serialize;

use crate::document::Document;

use super::{block_line, section_paths};

/// The index the action lines name (a `_bulk` request to `/<index>/_bulk` cannot override an
/// `_index` given in the action line, so rename it with `sed` if needed; see the README).
pub const BULK_INDEX: &str = "jaryo-blocks";

#[derive(Serialize)]
struct Action<'a> {
    index: Target<'a>,
}

#[derive(Serialize)]
struct Target<'a> {
    #[serde(rename = "_index")]
    index: &'a str,
    #[serde(rename = "_id")]
    id: &'a str,
}

/// The `_bulk` body for `document` named `name`: two lines per block, newline-terminated.
pub fn bulk_ndjson(document: &Document, name: &str) -> Result<Vec<u8>, serde_json::Error> {
    let mut out = Vec::new();
    write_bulk_ndjson(&mut out, document, name).map_err(serde_json::Error::io)?;
    Ok(out)
}

/// [`bulk_ndjson`] into `out`.
pub fn write_bulk_ndjson(
    mut out: &mut dyn Write,
    document: &Document,
    name: &str,
) -> std::io::Result<()> {
    let paths = section_paths(&document.sections);
    let empty: Vec<String> = Vec::new();
    let mut table_number = 0;
    for block in &document.blocks {
        let table_csv = block.table.as_ref().map(|_| {
            table_number += 1;
            format!("{name}/tables/{table_number}.csv")
        });
        let mut line = block_line(document, name, block, &paths, &empty, table_csv);
        // Tokens are the analyzer's business in a search engine (nori); they would triple the
        // body's size.
        line.tokens = crate::document::TokensJson {
            text: "",
            tokens: &[],
        };
        let action = Action {
            index: Target {
                index: BULK_INDEX,
                id: &line.id,
            },
        };
        serde_json::to_writer(&mut out, &action)?;
        out.write_all(b"\n")?;
        serde_json::to_writer(&mut out, &line)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn action_and_document_lines_alternate_with_unique_ids() {
        let body = bulk_ndjson(&super::super::tests::sample(), "forum").unwrap();
        let text = String::from_utf8(body).unwrap();
        assert!(text.ends_with('\n'));
        let lines: Vec<serde_json::Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 4);
        assert_eq!(lines[0]["index"]["_id"], "forum/b1");
        assert_eq!(lines[0]["index"]["_index"], BULK_INDEX);
        assert_eq!(lines[1]["id"], "forum/b1");
        assert_eq!(lines[2]["index"]["_id"], "forum/b2");
        assert_eq!(lines[3]["text"], "구분\t참여 기관");
        assert!(lines[1].get("tokens").is_none() || lines[1]["tokens"] == serde_json::json!([]));
    }
}
