#!/usr/bin/env python3
"""Builds the quality calibration set, tests/data/calibration.jsonl.

Clean prose lines and clean table rows are taken from the sample booklet
(input/seoul_social_economy_forum_2020.txt), corruptions of every flag kind are injected at
known spans, and an equal number of untouched items is added. The quality thresholds are
chosen on this set (tests/quality_calibration.rs), never on the booklet itself.

Clean means, decided here without the quality detectors:
  prose lines: no tab, at least 12 Hangul syllables, Hangul at least 60 % of the non-space
    characters, only Hangul, ASCII and common Korean punctuation, no markup (`<`, `**`), no `?`
    inside a word, and not one of the garbled passages listed in GARBLED_LINES;
  table rows: rows of tables (runs of tab-separated lines) with 2–8 cells, no markup, from
    tables not listed in GARBLED_LINES.

Each JSON line is one item:
  {"id", "kind" ("untouched" or a flag kind), "variant", "source_lines": [n, …],
   "text": "…"                      (a prose line)  or
   "rows": [["…", …], …], "header_rows": n   (a table or a single row),
   "spans": [{"cell": [r, c] | null, "start": byte, "end": byte}, …]}
Byte offsets are UTF-8 offsets into `text` or into the cell.

Usage: python3 scripts/make_calibration.py [booklet] [output]   (deterministic: seed 20201126)
"""

import json
import random
import re
import sys
import unicodedata

SEED = 20201126
PER_KIND = 40

# Lines of the booklet that are themselves garbled (found by reading it), never used as clean.
GARBLED_LINES = (
    {240, 894, 1992}
    | set(range(174, 184))  # a table whose body is all zeros
    | set(range(1228, 1240))  # the nine identical rows
    | set(range(1971, 1979))  # 이름이름이름 cells
    | set(range(1734, 1740))  # HTML residue in cells
    | set(range(2125, 2160))  # HTML residue and looping phrases in cells
)

ALLOWED_PUNCT = set(" .,:;!()[]'\"-~/%+&·‘’“”…→•")


def is_hangul(c):
    return "\uac00" <= c <= "\ud7a3"


def is_ksx1001_hangul(c):
    try:
        b = c.encode("euc-kr")
    except UnicodeEncodeError:
        return False
    return len(b) == 2 and 0xB0 <= b[0] <= 0xC8 and 0xA1 <= b[1] <= 0xFE


KSX1001_HANGUL = [chr(c) for c in range(0xAC00, 0xD7A4) if is_ksx1001_hangul(chr(c))]


def nbytes(s):
    return len(s.encode("utf-8"))


def clean_prose(line):
    if "\t" in line or "<" in line or "**" in line or re.search(r"[가-힣]\?[가-힣]", line):
        return False
    chars = [c for c in line if not c.isspace()]
    hangul = [c for c in chars if is_hangul(c)]
    if len(hangul) < 12 or len(hangul) < 0.6 * len(chars):
        return False
    return all(is_hangul(c) or c.isalnum() and c.isascii() or c in ALLOWED_PUNCT for c in line)


def clean_cell(cell):
    return "<" not in cell and "**" not in cell and len(cell) <= 80


def load(path):
    lines = open(path, encoding="utf-8").read().split("\n")
    prose, tables, current = [], [], []
    for number, line in enumerate(lines, 1):
        if "\t" in line:
            current.append((number, line.split("\t")))
            continue
        if current:
            tables.append(current)
            current = []
        if number not in GARBLED_LINES and clean_prose(line.strip()):
            prose.append((number, line.strip()))
    if current:
        tables.append(current)
    clean_tables = []
    for table in tables:
        if any(n in GARBLED_LINES for n, _ in table):
            continue
        rows = [(n, [c.strip() for c in cells]) for n, cells in table]
        if all(2 <= len(cells) <= 8 and all(clean_cell(c) for c in cells) for _, cells in rows):
            clean_tables.append(rows)
    seen, unique = set(), []
    for number, line in prose:
        if line not in seen:
            seen.add(line)
            unique.append((number, line))
    return unique, clean_tables


# ---- helpers that place an injection inside a text ---------------------------------------


def hangul_words(text):
    """(start, end) character ranges of words made of Hangul syllables only."""
    return [(m.start(), m.end()) for m in re.finditer(r"[가-힣]+", text)]


def replace_chars(text, start, end, new):
    """Replaces characters [start, end) by `new`; returns the text and the byte span of `new`."""
    out = text[:start] + new + text[end:]
    b = nbytes(text[:start])
    return out, b, b + nbytes(new)


def insert_inside_word(rng, text, piece, min_len=2):
    """Inserts `piece` between two syllables of a Hangul word."""
    words = [w for w in hangul_words(text) if w[1] - w[0] >= min_len]
    s, e = rng.choice(words)
    at = rng.randrange(s + 1, e)
    return replace_chars(text, at, at, piece)


def insert_between_words(rng, text, piece):
    spaces = [m.start() for m in re.finditer(" ", text)]
    at = rng.choice(spaces) if spaces else len(text)
    out, b, e = replace_chars(text, at, at, " " + piece)
    return out, b + 1, e


# ---- corruptions, one function per kind: (rng, text) -> (text, start, end, variant) ----


def illegible(rng, text):
    marker = rng.choice(["[illegible]", "[illegible]", "[판독 불가]", "[unclear]", "[판독불가]"])
    return (*insert_between_words(rng, text, marker), marker)


def placeholder(rng, text):
    variant = rng.choice(["cid", "glyph", "gid", "question"])
    if variant == "cid":
        piece = "".join(f"(cid:{rng.randrange(1, 9000)})" for _ in range(rng.randrange(1, 4)))
        return (*insert_inside_word(rng, text, piece), variant)
    if variant == "glyph":
        return (*insert_inside_word(rng, text, f"GLYPH<{rng.randrange(1, 255):x}>"), variant)
    if variant == "gid":
        piece = "".join(f"/G{rng.randrange(16, 255):02X}" for _ in range(rng.randrange(2, 5)))
        return (*insert_between_words(rng, text, piece), variant)
    # A syllable lost in transcoding, replaced by `?`.
    words = [w for w in hangul_words(text) if w[1] - w[0] >= 3]
    s, e = rng.choice(words)
    at = rng.randrange(s + 1, e - 1)
    return (*replace_chars(text, at, at + 1, "?"), variant)


def replacement_char(rng, text):
    words = hangul_words(text)
    s, e = rng.choice(words)
    at = rng.randrange(s, e)
    n = rng.randrange(1, 4)
    return (*replace_chars(text, at, min(at + 1, e), "\ufffd" * n), "fffd")


CONTROLS = [chr(c) for c in list(range(0x00, 0x01)) + list(range(0x02, 0x09)) + [0x0B, 0x0C]
            + list(range(0x0E, 0x20)) + list(range(0x7F, 0xA0))]


def control_char(rng, text):
    piece = "".join(rng.choice(CONTROLS) for _ in range(rng.randrange(1, 3)))
    return (*insert_inside_word(rng, text, piece), "c0c1")


def private_use(rng, text):
    if rng.random() < 0.8:
        piece = "".join(chr(rng.randrange(0xE000, 0xF900)) for _ in range(rng.randrange(1, 5)))
        variant = "bmp"
    else:
        piece = "".join(chr(rng.randrange(0x100000, 0x10FFFE)) for _ in range(rng.randrange(1, 3)))
        variant = "plane16"
    return (*insert_inside_word(rng, text, piece), variant)


# Noncharacters and code points unassigned in every Unicode version up to 16.
UNASSIGNED = [0xFDD0, 0xFDDF, 0xFDEF, 0xFFFE, 0xFFFF, 0x1FFFE, 0x0378, 0x0379, 0x0380, 0x0383,
              0x038B, 0x038D, 0x03A2, 0x0530, 0x0557, 0x058B, 0x05C8, 0x05CF, 0x2FE0, 0x2FEF,
              0xFFF0, 0xFFF8]


def unassigned(rng, text):
    piece = "".join(chr(rng.choice(UNASSIGNED)) for _ in range(rng.randrange(1, 3)))
    return (*insert_inside_word(rng, text, piece), "cn")


def rare_cjk(rng, text):
    variant = rng.choice(["ext_a", "compat_square", "kangxi"])
    if variant == "ext_a":
        piece = "".join(chr(rng.randrange(0x3400, 0x4DC0)) for _ in range(rng.randrange(1, 4)))
    elif variant == "compat_square":
        piece = "".join(chr(rng.randrange(0x3300, 0x3380)) for _ in range(rng.randrange(1, 3)))
    else:
        piece = "".join(chr(rng.randrange(0x2F00, 0x2FD6)) for _ in range(rng.randrange(1, 3)))
    return (*insert_inside_word(rng, text, piece), variant)


def unmapped_font(rng, text):
    words = hangul_words(text)
    s, e = rng.choice(words)
    piece = "".join(chr(0xF0000 + rng.randrange(1, 0x2000)) for _ in range(e - s))
    return (*replace_chars(text, s, e, piece), "plane15_markers")


def cp1252_whatwg(b):
    """Decodes bytes the way a CP1252 reader does (undefined bytes become C1 controls)."""
    return "".join(bytes([x]).decode("cp1252", errors="ignore") or chr(x) for x in b)


def mojibake(rng, text):
    variant = rng.choice(["utf8_as_cp1252", "cp949_as_latin1", "utf8_as_cp949"])
    # Mojibake hits whole words; a one-syllable fragment (`¹×`) is a known blind spot.
    words = [w for w in hangul_words(text) if w[1] - w[0] >= 2]
    k = rng.randrange(0, len(words))
    s, e = words[k][0], words[min(len(words) - 1, k + rng.randrange(0, 3))][1]
    original = text[s:e]
    if variant == "utf8_as_cp1252":
        garbled = cp1252_whatwg(original.encode("utf-8"))
    elif variant == "cp949_as_latin1":
        garbled = original.encode("cp949").decode("latin-1")
    else:
        garbled = original.encode("utf-8").decode("cp949", errors="replace")
    return (*replace_chars(text, s, e, garbled), variant)


FOREIGN = {
    "chinese_date": ["12月18日 星期二 14° 16°", "3月5日 星期五", "11月26日 星期四 8°", "2020年10月9日"],
    "chinese_phrase": ["我们这里", "这个问题", "为了发展们", "他们说了", "这是什么吗"],
    "vietnamese": ["trạng", "người", "được", "Việt Nam", "thành phố", "phát triển"],
    "kana": ["ネットワーク", "の", "です", "サービス", "まちづくり"],
    "cyrillic": ["сеть", "город", "развитие"],
    "thai": ["ตลาด", "ชุมชน"],
}


def foreign_script(rng, text):
    variant = rng.choice(sorted(FOREIGN))
    piece = rng.choice(FOREIGN[variant])
    if variant in ("vietnamese", "kana", "cyrillic", "thai") and rng.random() < 0.5:
        # Replace a word, as an OCR engine with the wrong language model does.
        words = hangul_words(text)
        s, e = rng.choice(words)
        return (*replace_chars(text, s, e, piece), variant)
    return (*insert_between_words(rng, text, piece), variant)


CHO = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
JUNG = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"


def jamo(rng, text):
    words = hangul_words(text)
    s, e = rng.choice(words)
    at = rng.randrange(s, e)
    code = ord(text[at]) - 0xAC00
    variant = rng.choice(["decomposed", "stray"])
    if variant == "decomposed":
        piece = CHO[code // 588] + JUNG[(code % 588) // 28]
        return (*replace_chars(text, at, at + 1, piece), variant)
    piece = rng.choice(CHO)
    return (*replace_chars(text, at, at, piece), variant)


def nonsense(rng, text):
    variant = rng.choice(["ksx1001_random", "any_syllable_random"])
    n = rng.randrange(4, 9)
    if variant == "ksx1001_random":
        piece = "".join(rng.choice(KSX1001_HANGUL) for _ in range(n))
    else:
        piece = "".join(chr(rng.randrange(0xAC00, 0xD7A4)) for _ in range(n))
    words = hangul_words(text)
    s, e = rng.choice(words)
    return (*replace_chars(text, s, e, piece), variant)


def syllable_spacing(rng, text):
    # Two to four words (at least four syllables) whose syllables the OCR layer spaced apart.
    words = hangul_words(text)
    while True:
        k = rng.randrange(0, max(1, len(words) - 1))
        s = words[k][0]
        e = words[min(len(words) - 1, k + rng.randrange(1, 4))][1]
        if sum(1 for c in text[s:e] if is_hangul(c)) >= 4:
            break
    spaced = " ".join(c for c in text[s:e] if not c.isspace())
    return (*replace_chars(text, s, e, spaced), "spaced")


def lost_spaces(rng, text):
    # The whole line without its spaces (only lines long enough are given this kind).
    joined = text.replace(" ", "")
    return joined, 0, nbytes(joined), "whole_line"


def repeated_phrase(rng, text):
    words = hangul_words(text)
    s, e = rng.choice(words)
    word = text[s:e]
    if e - s == 1:
        piece = " ".join([word] * 3)  # 명 명 명
        variant = "one_syllable_x3"
    elif e - s == 2:
        piece = word * 3  # 이름이름이름
        variant = "two_syllables_x3"
    elif rng.random() < 0.5 or e - s > 2:
        # A phrase of one to three words repeated back to back.
        k = words.index((s, e))
        last = words[min(len(words) - 1, k + rng.randrange(0, 3))][1]
        phrase = text[s:last]
        piece = " ".join([phrase] * rng.randrange(2, 4))
        e = last
        variant = "phrase_x2_x3"
    else:
        piece = word * 4
        variant = "syllable_x4"
    return (*replace_chars(text, s, e, piece), variant)


LINE_KINDS = {
    "illegible": illegible,
    "placeholder": placeholder,
    "replacement_char": replacement_char,
    "control_char": control_char,
    "private_use": private_use,
    "unassigned": unassigned,
    "rare_cjk": rare_cjk,
    "unmapped_font": unmapped_font,
    "mojibake": mojibake,
    "foreign_script": foreign_script,
    "jamo": jamo,
    "nonsense": nonsense,
    "syllable_spacing": syllable_spacing,
    "lost_spaces": lost_spaces,
    "repeated_phrase": repeated_phrase,
}


def long_enough_for_lost_spaces(text):
    return sum(1 for c in text if is_hangul(c)) >= 26


def main():
    booklet = sys.argv[1] if len(sys.argv) > 1 else "input/seoul_social_economy_forum_2020.txt"
    output = sys.argv[2] if len(sys.argv) > 2 else "tests/data/calibration.jsonl"
    rng = random.Random(SEED)
    prose, tables = load(booklet)
    rows = [(n, cells) for t in tables for n, cells in t[1:] if any(is_hangul(c) for c in "".join(cells))]
    items = []

    def add(kind, variant, source_lines, spans, text=None, rows=None, header_rows=0):
        item = {"id": f"c{len(items) + 1:04}", "kind": kind, "variant": variant,
                "source_lines": source_lines}
        if text is not None:
            item["text"] = text
        else:
            item["rows"] = rows
            item["header_rows"] = header_rows
        item["spans"] = spans
        items.append(item)

    for kind, corrupt in LINE_KINDS.items():
        pool = [p for p in prose if kind != "lost_spaces" or long_enough_for_lost_spaces(p[1])]
        for i in range(PER_KIND):
            # A quarter of the character-level injections go into a table cell.
            in_row = kind not in ("lost_spaces", "syllable_spacing") and i % 4 == 3
            if in_row:
                candidates = [(n, cells) for n, cells in rows
                              if any(len(re.findall(r"[가-힣]{3,}", c)) for c in cells)]
                number, cells = rng.choice(candidates)
                col = rng.choice([c for c, cell in enumerate(cells) if re.search(r"[가-힣]{3,}", cell)])
                new, start, end, variant = corrupt(rng, cells[col])
                cells = list(cells)
                cells[col] = new
                add(kind, variant, [number], [{"cell": [0, col], "start": start, "end": end}],
                    rows=[cells])
            else:
                number, line = rng.choice(pool)
                new, start, end, variant = corrupt(rng, line)
                add(kind, variant, [number], [{"cell": None, "start": start, "end": end}], text=new)

    multi_row = [t for t in tables if len(t) >= 3]
    for i in range(PER_KIND):
        # One row of a real table repeated 3–9 times in a row (an OCR/LLM loop).
        table = rng.choice(multi_row)
        header = table[0][1]
        body = [cells for _, cells in table[1:6]]
        r = rng.randrange(0, len(body))
        copies = rng.randrange(3, 10)
        new_body = body[:r] + [body[r]] * copies + body[r + 1:]
        spans = [{"cell": [1 + k, 0], "start": 0, "end": nbytes(body[r][0])}
                 for k in range(r, r + copies)]
        add("repeated_line", f"row_x{copies}", [n for n, _ in table[:6]], spans,
            rows=[header] + new_body, header_rows=1)
    for i in range(PER_KIND):
        # A real table whose body became all zeros, or one value everywhere.
        table = rng.choice([t for t in multi_row if len(t[0][1]) >= 2])
        header = table[0][1]
        body = [cells for _, cells in table[1:6]]
        width = len(header)
        variant = rng.choice(["zeros", "one_value"])
        if variant == "zeros" and (width - 1) * len(body) >= 4:
            new_body = [[cells[0]] + ["0"] * (width - 1) for cells in body]
        else:
            variant = "one_value"
            value = rng.choice(["이름", "내용", "-", "0", "해당없음"])
            new_body = [[value] * width for _ in body]
            if len(new_body) * width < 4:
                new_body.append([value] * width)
        add("uniform_table", variant, [n for n, _ in table[:6]],
            [{"cell": [1, 0], "start": 0, "end": nbytes(new_body[0][0])}],
            rows=[header] + new_body, header_rows=1)

    injected = len(items)
    # Untouched: as many items as were injected, in the same shapes (lines, rows, tables).
    shapes = [("text" in it, len(it.get("rows", [])) > 1) for it in items]
    untouched_lines = rng.sample(prose, min(len(prose), sum(1 for s in shapes if s[0])))
    for number, line in untouched_lines:
        add("untouched", "line", [number], [], text=line)
    for _ in range(sum(1 for s in shapes if not s[0] and not s[1])):
        number, cells = rng.choice(rows)
        add("untouched", "row", [number], [], rows=[cells])
    for _ in range(sum(1 for s in shapes if s[1])):
        table = rng.choice(multi_row)
        add("untouched", "table", [n for n, _ in table[:6]], [],
            rows=[cells for _, cells in table[:6]], header_rows=1)
    with open(output, "w", encoding="utf-8") as f:
        for item in items:
            f.write(json.dumps(item, ensure_ascii=False) + "\n")
    print(f"{injected} injected, {len(items) - injected} untouched "
          f"({len(prose)} clean prose lines, {len(rows)} clean rows, {len(tables)} clean tables)"
          f" -> {output}")


if __name__ == "__main__":
    main()
