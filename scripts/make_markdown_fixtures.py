#!/usr/bin/env python3
"""Writes the sample booklet text as the Markdown that OCR/layout tools write (issue 20).

    scripts/make_markdown_fixtures.py [SAMPLE_TXT] [OUT_DIR]

Defaults: input/seoul_social_economy_forum_2020.txt -> tests/data/markdown/. Python stdlib only.

Three files, the same booklet each time:

- marker.md: marker-style. `{N}------` page separators (marker's --paginate_output: the
  0-based index of the page that follows), ATX headings for the booklet's headings, pipe tables
  for its tab-separated rows (first row as the header row), and the table of contents as plain
  lines, one entry a line, the page number after the title as the printed booklet sets it.
- marker_toc_table.md: the same, but the TOC written as a two-column pipe table title | page
  (what marker writes when its layout model takes the TOC page for a table).
- mineru.md: MinerU-style. `<!-- page N -->` comments, ATX headings, HTML `<table>` for every
  table with merged header cells (a header cell followed by empty cells becomes one cell with
  `colspan`; in a two-row header, a first-row cell with an empty cell under it gets
  `rowspan="2"`), and the TOC as a two-column HTML table title | page.

What is derived from the text and how:
- Pages: a printed page number alone on its line (`28`) that rises by at most 40 from the last
  one taken (the text path's rule) is replaced by the marker of the page after it. Pages
  without a printed number get no marker: the text does not say where they break.
- Headings: the rules in HEADING_RULES, on a line and the lines of its paragraph that follow it
  (a wrapped title, `[발제1] 자치구별 사회적경제` / `통합지원센터 현황과 전략과제`, is one
  heading).
- TOC: the lines `page<TAB>title` right under the first `목 차` heading.
- Tables: every other run of consecutive lines holding a tab.
- Everything else is written as it is: the sample is already what such a tool wrote (`- ` list
  items, `**bold**`, a mermaid fence, HTML residue in cells), except that a number starting a
  line (`1. 개요`, `1) 형태적 관점의 민관거버넌스`, `- 1. 사회적경제의 …`) is escaped
  (`1\. 개요`), as markdownify (which marker uses) writes it with escape_misc: the text does not
  say whether such a line is a heading or a list item, so the fixture leaves that to jaryo's
  rules, as on the text path, instead of making every one a Markdown ordered list.
"""

import html
import re
import sys
from pathlib import Path

# (pattern, ATX level): the booklet's headings, each rule on the line that starts the heading.
HEADING_RULES = [
    # The presentations: `[발제1] 자치구별 사회적경제` (wrapped over the next lines).
    (re.compile(r"^\[발제\s*\d+\]"), 1),
    # The appendices: `부록1. 서울시 자치구사회적경제통합지원센터 권역별 사전 포럼`.
    (re.compile(r"^부록\s*\d+\."), 1),
    # The forums inside the first appendix: `<1차> 자치구 사회적경제지원센터 …`.
    (re.compile(r"^<\d+차>"), 2),
]

# The table of contents' heading: `목 차`.
TOC_HEADING = re.compile(r"^목\s*차$")
# A TOC line on the text: `8<TAB>[발제1] 자치구별 …`.
TOC_ENTRY = re.compile(r"^(\d{1,3})\t+(\S.*?)\s*$")
# A printed page number alone on its line (the text path's PAGE_NUMBER_LINE).
PAGE_NUMBER = re.compile(r"^\s*[-–]?\s*(\d{1,4})\s*[-–]?\s*$")
# The largest step between two page numbers taken as pagination (the text path's MAX_PAGE_STEP).
MAX_PAGE_STEP = 40
# A number that Markdown would read as an ordered list marker, at a line's start or after a
# bullet: `1. 개요`, `1) …`, `- 1. …`.
ORDERED_MARKER = re.compile(r"^(\s{0,3}(?:[-*+]\s+)?\d{1,9})([.)])(?=\s|$)")


def escape_line(line):
    """A text line with its ordered-list-like number escaped (`1\\. 개요`)."""
    return ORDERED_MARKER.sub(lambda m: m.group(1) + "\\" + m.group(2), line)


def page_number_lines(lines):
    """{line index: printed page number} for the lines the text path takes as page numbers."""
    found, last = {}, 0
    for i, line in enumerate(lines):
        m = PAGE_NUMBER.match(line)
        if m and last < int(m.group(1)) <= last + MAX_PAGE_STEP:
            last = int(m.group(1))
            found[i] = last
    return found


def split_cells(line):
    return line.rstrip("\n").split("\t")


def pipe_cell(text):
    return text.strip().replace("|", "\\|")


def pipe_table(rows):
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    out = ["| " + " | ".join(pipe_cell(c) for c in rows[0]) + " |"]
    out.append("|" + "|".join(["---"] * width) + "|")
    out += ["| " + " | ".join(pipe_cell(c) for c in r) + " |" for r in rows[1:]]
    return out


def html_table(rows, header_rows=None):
    """An HTML table; merged header cells where the header's empty cells say so."""
    width = max(len(r) for r in rows)
    rows = [[c.strip() for c in r] + [""] * (width - len(r)) for r in rows]
    # A first row with a cell followed by empty cells over filled cells below is a group header.
    spans = {}
    if header_rows is None:
        header_rows = 1
        if len(rows) > 2:
            c = 0
            while c < width:
                end = c + 1
                while end < width and rows[0][end] == "" and rows[0][c] != "":
                    end += 1
                if end - c > 1 and all(rows[1][k] for k in range(c, end)):
                    spans[(0, c)] = ("colspan", end - c)
                    header_rows = 2
                c = end
    covered = set()
    for (r, c), (_, n) in spans.items():
        covered.update((r, k) for k in range(c + 1, c + n))
    if header_rows == 2:
        for c in range(width):
            if (0, c) in covered or (0, c) in spans:
                continue
            if rows[0][c] and not rows[1][c]:
                spans[(0, c)] = ("rowspan", 2)
                covered.add((1, c))
    out = ["<table>"]
    for r, row in enumerate(rows):
        tag = "th" if r < header_rows else "td"
        cells = []
        for c, text in enumerate(row):
            if (r, c) in covered:
                continue
            attr = ""
            if (r, c) in spans:
                name, n = spans[(r, c)]
                attr = f' {name}="{n}"'
            # The cell keeps its HTML residue (`<ul …>`), as the tool copied it.
            cells.append(f"<{tag}{attr}>{escape_text(text)}</{tag}>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</table>")
    return out


def escape_text(text):
    """Cell text for HTML: `&` and stray `<` escaped, tags the source already holds kept."""
    parts = re.split(r"(</?[A-Za-z][^<>]*>)", text)
    return "".join(
        p if i % 2 else html.escape(p, quote=False) for i, p in enumerate(parts)
    )


def paragraph_end(lines, i):
    """The index after the paragraph starting at line i (the next blank line)."""
    j = i
    while j < len(lines) and lines[j].strip():
        j += 1
    return j


def convert(lines, style, toc_as_table):
    numbers = page_number_lines(lines)
    out = []
    if style == "marker":
        out += ["{0}------", ""]
    else:
        out += ["<!-- page 1 -->", ""]

    def blank():
        if out and out[-1] != "":
            out.append("")

    title_done = toc_done = in_fence = False
    i = 0
    while i < len(lines):
        line = lines[i].rstrip("\n")
        text = line.strip()
        if i in numbers:
            blank()
            after = numbers[i]
            out.append(f"{{{after}}}------" if style == "marker" else f"<!-- page {after + 1} -->")
            out.append("")
            i += 1
            continue
        if not text:
            blank()
            i += 1
            continue
        if not title_done:
            # The booklet's first line is its title.
            title_done = True
            blank()
            out += ["# " + text, ""]
            i += 1
            continue
        if not toc_done and TOC_HEADING.match(text):
            toc_done = True
            blank()
            out += ["## " + text, ""]
            j = i + 1
            while j < len(lines) and not lines[j].strip():
                j += 1
            entries = []
            while j < len(lines) and TOC_ENTRY.match(lines[j].rstrip("\n")):
                m = TOC_ENTRY.match(lines[j].rstrip("\n"))
                entries.append((m.group(2).replace("\t", " "), m.group(1)))
                j += 1
            if toc_as_table and style == "marker":
                out += pipe_table([["제목", "쪽"]] + [[t, p] for t, p in entries])
            elif toc_as_table:
                out += html_table([[t, p] for t, p in entries], header_rows=0)
            else:
                for title, page in entries:
                    out += [f"{title} {page}", ""]
            blank()
            i = j
            continue
        level = next((n for rule, n in HEADING_RULES if rule.match(text)), None)
        if level is not None:
            j = paragraph_end(lines, i)
            heading = " ".join(l.strip() for l in lines[i:j])
            blank()
            out += ["#" * level + " " + heading, ""]
            i = j
            continue
        if "\t" in line:
            j = i
            while j < len(lines) and "\t" in lines[j] and j not in numbers:
                j += 1
            rows = [split_cells(l) for l in lines[i:j]]
            blank()
            out += pipe_table(rows) if style == "marker" else html_table(rows)
            out.append("")
            i = j
            continue
        in_fence = in_fence != line.lstrip().startswith("```")
        out.append(line if in_fence or line.lstrip().startswith("```") else escape_line(line))
        i += 1
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"


def main():
    root = Path(__file__).resolve().parent.parent
    sample = Path(sys.argv[1]) if len(sys.argv) > 1 else root / "input/seoul_social_economy_forum_2020.txt"
    out_dir = Path(sys.argv[2]) if len(sys.argv) > 2 else root / "tests/data/markdown"
    lines = sample.read_text(encoding="utf-8").split("\n")
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, style, toc_as_table in [
        ("marker.md", "marker", False),
        ("marker_toc_table.md", "marker", True),
        ("mineru.md", "mineru", True),
    ]:
        (out_dir / name).write_text(convert(lines, style, toc_as_table), encoding="utf-8")
        print(out_dir / name)


if __name__ == "__main__":
    main()
