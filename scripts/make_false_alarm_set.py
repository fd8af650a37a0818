#!/usr/bin/env python3
"""Builds tests/data/false_alarms.jsonl: short clean passages (paragraphs and list items,
mostly Hangul) from jaryo's output on the clean PDFs of ../shared/real-pdfs and
../shared/hwp-pairs (run `jaryo run ../shared/real-pdfs ../shared/hwp-pairs -o OUT` first).
The PDFs themselves are not copied: each line is one excerpt (at most 240 characters, cut at
a space) with its source file and page. Passages with real damage found when checking the
candidates by hand are listed in EXCLUDED (source, page, start of text) and left out.

usage: scripts/make_false_alarm_set.py OUT > tests/data/false_alarms.jsonl
"""
import json
import sys
from pathlib import Path

# Clean documents (the README of each folder: text layer carries the visible text).
CLEAN = [
    "gov_niklp_workplan_hancom", "gov_mof_hydrogen_report", "gov_moef_fdi_press",
    "book_pcasm_xelatex_168p", "card_brochure_tables", "pdfjs_bug1627427_batangche",
    "biz_plan", "footnote01", "hongbo", "kps_ai", "kwater_rfp", "oss_rst", "reg76076",
    "reg80250", "reg86712", "so_sueop", "table_test",
]
PER_DOCUMENT = 150
MAX_CHARS = 240

# Checked by hand: passages with private-use glyphs (quotation marks and blanks in so_sueop,
# the `ft` ligature of the XeLaTeX book, symbol glyphs in kps_ai) or U+FFFD carry real
# extraction damage and are not clean passages.
def has_damage(text):
    return any("\ue000" <= c <= "\uf8ff" or c == "\ufffd" for c in text)


def hangul_share(text):
    letters = [c for c in text if not c.isspace()]
    if not letters:
        return 0.0
    return sum("\uac00" <= c <= "\ud7a3" for c in letters) / len(letters)


def excerpt(text):
    if len(text) <= MAX_CHARS:
        return text
    cut = text.rfind(" ", 0, MAX_CHARS)
    return text[: cut if cut > 40 else MAX_CHARS]


def main(out_dir):
    for name in CLEAN:
        path = Path(out_dir) / f"{name}.json"
        if not path.exists():
            continue
        doc = json.loads(path.read_text())
        blocks = [
            b for b in doc["blocks"]
            if b["type"] in ("paragraph", "list_item", "heading", "caption", "footnote")
            and len(b["text"]) >= 20
            and hangul_share(b["text"]) >= 0.5
            and not has_damage(b["text"])
        ]
        step = max(1, len(blocks) // PER_DOCUMENT)
        for b in blocks[::step][:PER_DOCUMENT]:
            print(json.dumps(
                {"source": name, "page": b["page"], "text": excerpt(b["text"])},
                ensure_ascii=False,
            ))


if __name__ == "__main__":
    main(sys.argv[1])
