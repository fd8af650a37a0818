#!/usr/bin/env python3
"""Builds tests/data/hallucinated_rows.jsonl: table rows from the clean PDFs of
../shared/real-pdfs and ../shared/hwp-pairs (never the sample booklet), each kept as it is
(`hallucinated: false`) and once more with every Hangul word replaced by syllables drawn from
the same document's own syllable distribution, length for length (`hallucinated: true`):
plausible-looking OCR hallucinations made of the document's common syllables, which the
dictionary may well segment. Digits, Latin and punctuation stay. Seeded, reproducible.

usage: scripts/make_hallucinated_rows.py OUT > tests/data/hallucinated_rows.jsonl
(OUT is a `jaryo run ../shared/real-pdfs ../shared/hwp-pairs -o OUT` output folder)
"""
import json
import random
import re
import sys
from collections import Counter
from pathlib import Path

CLEAN = [
    "gov_niklp_workplan_hancom", "gov_mof_hydrogen_report", "gov_moef_fdi_press",
    "card_brochure_tables", "biz_plan", "footnote01", "hongbo", "kps_ai", "kwater_rfp",
    "oss_rst", "reg76076", "reg80250", "reg86712", "so_sueop", "table_test",
]
PER_DOCUMENT = 25
HANGUL = re.compile(r"[\uac00-\ud7a3]+")


def damaged(text):
    return any("\ue000" <= c <= "\uf8ff" or c == "\ufffd" for c in text)


def main(out_dir):
    rng = random.Random(17)
    for name in CLEAN:
        path = Path(out_dir) / f"{name}.json"
        if not path.exists():
            continue
        doc = json.loads(path.read_text())
        syllables = Counter(
            c for b in doc["blocks"] for c in b["text"] if "\uac00" <= c <= "\ud7a3"
        )
        population, weights = zip(*syllables.items())
        rows = []
        for b in doc["blocks"]:
            table = b.get("table")
            if not table:
                continue
            header = table["rows"][0] if table["header_rows"] else None
            for row in table["rows"][table["header_rows"]:]:
                text = " ".join(row)
                if len(HANGUL.findall(text)) >= 2 and sum(map(len, HANGUL.findall(text))) >= 6 \
                        and not damaged(text) and len(text) <= 200:
                    rows.append((header, row))
        rng.shuffle(rows)
        for header, row in rows[:PER_DOCUMENT]:
            fake = [
                HANGUL.sub(lambda m: "".join(rng.choices(population, weights, k=len(m.group()))), cell)
                for cell in row
            ]
            for hallucinated, cells in ((False, row), (True, fake)):
                print(json.dumps(
                    {"source": name, "header": header, "row": cells, "hallucinated": hallucinated},
                    ensure_ascii=False,
                ))


if __name__ == "__main__":
    main(sys.argv[1])
