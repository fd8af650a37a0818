#!/usr/bin/env python3
"""Writes the anatomy truth files `tests/data/anatomy/<doc>.json` from the HWP sources in
`../shared/hwp-pairs`: the headings (text, level) in document order and the TOC entries (title,
printed page) of each document, read from the HWP's paragraphs (`jaryo extract FILE.hwp
--json`), never from the PDF the scorer runs on.

Why the HWP: its paragraphs are whole (no line wraps, no page furniture mixed in), its header
and footer areas are apart from the body, its table cells are marked, and its outline styles
(`개요 N`) say the level where the author used them. Where the author did not (the
regulatory analyses use `바탕글` throughout), a paragraph is a heading by its numbering and its
shape, the rules below, and the levels follow the order in which the numbering schemes first
appear in the body (the first scheme is level 1), as a reader of the printed page sees them.

Rules (a paragraph of the body, not in a table cell, not a header/footer):
  * style `개요 N` (Hancom's outline styles) or a `heading_level` hint, when the text is short
    (a heading, not a long numbered clause typed in the outline style);
  * or it opens with a heading numbering (`Ⅰ.`, `1.`, `1.1`, `1.1.1`, `가.`, `1)`, `가)`, `(1)`,
    `①`, `□`) and is short: at most MAX_CHARS characters after the marker, no sentence end
    (`…다.`, `…함`, `…음`), no `label: value` (`가. 사 업 명: …`).
  Bullets (`ㅇ`, `❍`, `-`, `*`, `※`, `‣`, `◦`) are list items, never headings.
The TOC: the paragraphs after a `목차`/`목 차`/`차례`/`CONTENTS` heading that end in a page
number (after spaces, leaders `·․.…` or a tab), until the first paragraph that does not.

Usage: scripts/make_anatomy_truth.py [--jaryo target/release/jaryo] [--pairs ../shared/hwp-pairs]
       [DOC ...]   (JARYO_DICT is not needed: `extract` reads no dictionary)
"""

import argparse
import json
import os
import re
import subprocess
import sys

# The documents with numbered headings (so_sueop is HWP 3.x, which jaryo does not read;
# oss_rst and biz_plan are forms with one or two headings).
DOCS = ["kps_ai", "kwater_rfp", "reg76076", "reg80250", "reg86712"]

# A heading is short: at most this many characters after its marker.
MAX_CHARS = 40
# Headings go this many levels deep; deeper numbering is list items.
MAX_LEVELS = 3
# A TOC with no heading of its own is a run of at least this many paged entries.
MIN_TOC = 4
# Under a TOC heading a shorter run is a TOC too: reg86712's `<목 차>` lists its three
# regulations (`1.주민대표단 요건·구성절차·운영방법·동의요건 등`, no pages), reg80250's one.
MIN_HEADED_TOC = 1

# Heading numbering schemes, in the order they are tried (more specific first); the name is
# the scheme whose first appearance fixes its level.
SCHEMES = [
    ("roman", re.compile(r"^([ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ]|X{0,1}(?:IX|IV|V?I{1,3}|V|X))\s*[.．]\s*")),
    ("num3", re.compile(r"^\d{1,2}\.\d{1,2}\.\d{1,2}\.?\s*")),
    ("num2", re.compile(r"^\d{1,2}\.\d{1,2}\.?(?=\s|[가-힣A-Za-z])\s*")),
    ("num", re.compile(r"^\d{1,2}\s*[.．](?!\d)\s*")),
    ("hangul", re.compile(r"^[가-하]\s*[.．]\s*")),
    ("num_paren", re.compile(r"^\d{1,2}\)\s*")),
    ("hangul_paren", re.compile(r"^[가-하]\)\s*")),
    ("paren_num", re.compile(r"^\(\d{1,2}\)\s*")),
    ("circled", re.compile(r"^[①-⑳]\s*")),
    ("square", re.compile(r"^□\s*")),
]

# Sentence ends: a numbered clause, not a heading.
SENTENCE_END = re.compile(r"(다|함|음|됨)\s*[.。]?\s*$")
# `label: value` lines (`가. 사 업 명: …`, `1) 평가대상 : …`) are clauses, not headings.
LABEL_VALUE = re.compile(r"\S\s*[:：]\s*\S")
# Outline styles Hancom ships: `개요 1` … `개요 10`.
OUTLINE_STYLE = re.compile(r"^개요\s*(\d+)$")
HANGUL = re.compile(r"[가-힣]")
# A footnote reference printed after a word or a parenthesis (`언어모델(LLM) 1) 및 …`,
# `도메인3)에`): no parenthesis of the text.
FOOTNOTE_REF = re.compile(r"(?<=[)A-Za-z가-힣])\s?\d{1,2}\)")
# The TOC's own heading.
TOC_HEADING = re.compile(r"^[<〈\[]?\s*(목\s*차|차\s*례|CONTENTS|Contents)\s*[>〉\]]?$")
# A TOC entry: a title, leaders or spaces, a printed page number at the end.
TOC_ENTRY = re.compile(r"^(?P<title>.*?\S)\s*(?:[·․‥…ㆍ.\-]{2,}\s*|\t+|\s+)(?P<page>\d{1,3})\s*$")


def extract(jaryo, path):
    out = subprocess.run([jaryo, "extract", path, "--json"], capture_output=True, check=True)
    return json.loads(out.stdout)


def body_paragraphs(doc):
    """(text, style, heading_level, in_cell) of every printed body paragraph, in order."""
    for page in doc["pages"]:
        for line in page["lines"]:
            if line.get("role") != "body":
                continue
            hint = line.get("hint") or {}
            if hint.get("kind") not in (None, "text"):
                continue
            text = line["text"].strip()
            if not text:
                continue
            cell = (hint.get("location") or {}).get("cell") is not None
            yield text, hint.get("style") or "", hint.get("heading_level"), cell


def scheme_of(text):
    for name, pattern in SCHEMES:
        m = pattern.match(text)
        if m:
            return name, text[m.end():].strip()
    return None, text


def short_heading(rest):
    rest = FOOTNOTE_REF.sub("", rest)
    return (
        0 < len(rest) <= MAX_CHARS
        and not SENTENCE_END.search(rest)
        and not LABEL_VALUE.search(rest)
    )


def toc_run(paragraphs):
    """The TOC: (first, last) paragraph indexes and its entries. It is the run of entry-shaped
    paragraphs after a TOC heading, or else the first run of at least MIN_TOC paged entries
    in the first fifth of the document; inside a run a numbered line without a page (a
    chapter, `Ⅰ. 사업개요`) is an entry too. A TOC without a heading needs pages."""
    def entry(text):
        m = TOC_ENTRY.match(text)
        # A paged entry needs a numbering or some Hangul (`붙임. 별지서식 48`, not `2025. 8`).
        if m and (scheme_of(text)[0] or HANGUL.search(m.group("title"))) and not LABEL_VALUE.search(text):
            return {"title": re.sub(r"\s+", " ", m.group("title")).strip(), "page": int(m.group("page"))}
        if scheme_of(text)[0] and short_heading(scheme_of(text)[1]):
            return {"title": re.sub(r"\s+", " ", text), "page": None}
        return None

    after_heading = {i + 1 for i, p in enumerate(paragraphs) if TOC_HEADING.match(p[0])}
    limit = max(len(paragraphs) // 5, 1)
    i = 0
    while i < len(paragraphs):
        run = []
        j = i
        while j < len(paragraphs) and (e := entry(paragraphs[j][0])) is not None:
            run.append(e)
            j += 1
        paged = [e for e in run if e["page"] is not None]
        # Numbered lines after the last paged entry are the body's first headings.
        while paged and run[-1]["page"] is None:
            run.pop()
            j -= 1
        pages = [e["page"] for e in paged]
        headed = i in after_heading and len(run) >= MIN_HEADED_TOC
        if pages == sorted(pages) and (headed or (len(paged) >= MIN_TOC and i < limit)):
            return (i, j - 1), run
        i = j + 1 if j > i else i + 1
    return None, []


def headings(paragraphs, toc_span, toc):
    """The headings, in order, with their levels."""
    stream = []  # (text, key, value, admitted): every numbered or outline-styled paragraph
    for i, (text, style, level, cell) in enumerate(paragraphs):
        if toc_span and toc_span[0] <= i <= toc_span[1]:
            continue
        if toc_span and i == toc_span[0] - 1 and TOC_HEADING.match(text):
            # The TOC's own heading (`목 차`, `<목 차>`) heads the TOC, a top-level heading as
            # a reader sees it; it ranks with the first scheme of the body.
            stream.append((re.sub(r"\s+", " ", text), "toc_heading", None, True))
            continue
        scheme, rest = scheme_of(text)
        outline = OUTLINE_STYLE.match(style)
        styled = bool(level or outline) and len(text) <= MAX_CHARS + 8 and not SENTENCE_END.search(text)
        numbered = scheme is not None and not cell and short_heading(rest) and balanced(rest)
        if cell or (scheme is None and not styled):
            continue
        key = scheme or "outline%d" % (level or int(outline.group(1)))
        stream.append((re.sub(r"\s+", " ", text), key, value_of(text, scheme), styled or numbered))
    insert_toc_chapters(stream, toc)
    # Scheme ranks: the order in which the schemes first appear among headings (first = 1).
    schemes = []
    for _t, key, _v, admitted in stream:
        if admitted and key not in schemes and key != "toc_heading":
            schemes.append(key)
    rank = {k: n + 1 for n, k in enumerate(schemes)}
    rank["toc_heading"] = 1
    # A numbered heading continues its scheme's count (a number above the previous heading's;
    # numbers may be skipped by clauses too long to be headings) or restarts it under a
    # new heading of a higher level (the top level may restart anywhere: a file holding several
    # reports): a `1.` after `6.` with no chapter between is a numbered list in a form.
    last, restart, found = {}, set(), []
    for text, key, value, admitted in stream:
        in_sequence = (
            value is None
            or key not in last
            or key in restart
            or (value == 1 and rank.get(key) == 1)
            or value > last.get(key, 0)
        )
        if not (admitted and in_sequence):
            continue
        if value is not None:
            last[key] = value
            restart.discard(key)
        restart.update(k for k in rank if rank[k] > rank[key])
        if rank[key] <= MAX_LEVELS:
            found.append({"text": text, "level": rank[key]})
    return found


def value_of(text, scheme):
    """The number a numbering marker counts (`Ⅲ.` → 3, `다.` → 3, `1.2.` → 2), None for `□`."""
    if scheme is None or scheme == "square":
        return None
    head = text.lstrip("(")[:1]
    if scheme == "roman":
        return "ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ".find(head) + 1 or None
    if scheme.startswith("hangul"):
        return "가나다라마바사아자차카타파하".find(head) + 1 or None
    if scheme == "circled":
        return ord(head) - ord("①") + 1
    numbers = re.findall(r"\d+", text[:12])
    depth = {"num3": 3, "num2": 2}.get(scheme, 1)
    return int(numbers[depth - 1]) if len(numbers) >= depth else None


def insert_toc_chapters(stream, toc):
    """A paragraph the TOC lists is a heading, whatever its length (`가. 시스템 장비구성
    요구사항(Equipment Composition Requirement)`: the TOC says `가. 시스템 장비구성 요구사항`
    beside its siblings `나.` … `차.`). A TOC entry the body never heads (chapter titles Hancom
    draws in text boxes, which the HWP reader does not read) is a heading too, just before the
    body heading of the entry after it."""
    squeeze = lambda t: re.sub(r"\s+", "", t)
    # The body may say more than the TOC: `가. 기능 요구사항(System Function Requirement)`.
    same = lambda body, title: squeeze(body).startswith(squeeze(title))
    at = 0
    for k, entry in enumerate(toc):
        hit = next((n for n in range(at, len(stream)) if same(stream[n][0], entry["title"])), None)
        if hit is not None:
            text, key, value, _admitted = stream[hit]
            stream[hit] = (text, key, value, True)
            at = hit + 1
            continue
        later = next(
            (n for f in toc[k + 1:] for n in range(at, len(stream))
             if same(stream[n][0], f["title"])),
            None,
        )
        if later is not None:
            scheme = scheme_of(entry["title"])[0]
            stream.insert(later, (entry["title"], scheme or "toc", value_of(entry["title"], scheme), True))
            at = later + 1


def balanced(text):
    text = FOOTNOTE_REF.sub("", text)
    return text.count("(") == text.count(")") and not text.rstrip().endswith((":", "：", ","))


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(here)
    ap = argparse.ArgumentParser()
    ap.add_argument("--jaryo", default=os.path.join(root, "target/release/jaryo"))
    ap.add_argument("--pairs", default=os.path.join(root, "../shared/hwp-pairs"))
    ap.add_argument("--out", default=os.path.join(root, "tests/data/anatomy"))
    ap.add_argument("docs", nargs="*", default=DOCS)
    args = ap.parse_args()
    if not os.path.isdir(args.pairs):
        print(f"skipped: no {args.pairs}", file=sys.stderr)
        return
    os.makedirs(args.out, exist_ok=True)
    for name in args.docs:
        path = os.path.join(args.pairs, name + ".hwp")
        paragraphs = list(body_paragraphs(extract(args.jaryo, path)))
        span, toc = toc_run(paragraphs)
        truth = {
            "doc": name,
            "pdf": name + ".pdf",
            "from": name + ".hwp",
            "headings": headings(paragraphs, span, toc),
            "toc": toc,
        }
        with open(os.path.join(args.out, name + ".json"), "w", encoding="utf-8") as f:
            json.dump(truth, f, ensure_ascii=False, indent=1)
            f.write("\n")
        print(f"{name}: {len(truth['headings'])} headings, {len(toc)} TOC entries")


if __name__ == "__main__":
    main()
