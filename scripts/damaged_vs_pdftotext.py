#!/usr/bin/env python3
"""Damaged PDFs: how many jaryo reads beside pdftotext, on the same deterministic set.

Mutates the fixture PDFs (fixtures/pdf/*.pdf, tests/pdf_layout/*.pdf but the encrypted one)
the ways files get damaged -- cut short at several points, bytes flipped in the
cross-reference data, the trailer and startxref dropped, every offset shifted by bytes
inserted, bytes flipped anywhere -- with a fixed seed, runs `jaryo extract --json` and
`pdftotext` on every mutant and prints, per damage and in total:

  read   mutants from which the tool got any text (seeds without text are left out)
  chars  characters kept, as a share of what the same tool reads from the undamaged seed

Usage: scripts/damaged_vs_pdftotext.py [--jaryo target/release/jaryo] [--seed N]
       [--keep DIR] [--per-seed K]
Python 3 standard library only; needs pdftotext (poppler-utils) on PATH.
"""

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TIMEOUT = 60


def seeds():
    out = []
    for folder in ("fixtures/pdf", "tests/pdf_layout"):
        path = os.path.join(ROOT, folder)
        for name in sorted(os.listdir(path)):
            if name.endswith(".pdf") and "encrypted" not in name:
                out.append(os.path.join(path, name))
    return out


def xref_offset(data):
    """The offset after the last startxref, or None."""
    at = data.rfind(b"startxref")
    if at < 0:
        return None
    m = re.match(rb"\s*(\d+)", data[at + 9:])
    return int(m.group(1)) if m else None


def mutants(data, rng, per_seed):
    """(damage, bytes) pairs for one seed."""
    out = []
    n = len(data)
    for share in (0.1, 0.3, 0.5, 0.7, 0.9, 0.99):
        out.append(("truncated", data[: int(n * share)]))
    xref = xref_offset(data)
    startxref = data.rfind(b"startxref")
    for _ in range(per_seed):
        if xref is not None and xref < n:
            flipped = bytearray(data)
            for _ in range(1 + rng.randrange(16)):
                i = rng.randrange(xref, n)
                flipped[i] ^= 1 << rng.randrange(8)
            out.append(("xref bytes flipped", bytes(flipped)))
        if startxref > 0:
            trailer = data.rfind(b"trailer", 0, startxref)
            cut = trailer if trailer > 0 else startxref
            out.append(("trailer dropped", data[:cut] + data[startxref + 9:].lstrip(b"\r\n 0123456789")))
        shifted = bytearray(data)
        at = rng.randrange(16, max(17, n // 2))
        shifted[at:at] = b" " * (1 + rng.randrange(200))
        out.append(("offsets shifted", bytes(shifted)))
        anywhere = bytearray(data)
        for _ in range(1 + rng.randrange(8)):
            i = rng.randrange(n)
            anywhere[i] ^= 1 << rng.randrange(8)
        out.append(("bytes flipped anywhere", bytes(anywhere)))
    return out


def jaryo_chars(binary, path):
    """Non-space characters jaryo extracts (None when it refuses the file)."""
    try:
        run = subprocess.run(
            [binary, "extract", "--json", path],
            capture_output=True,
            timeout=TIMEOUT,
        )
    except subprocess.TimeoutExpired:
        return None
    if run.returncode != 0:
        return None
    try:
        doc = json.loads(run.stdout)
    except ValueError:
        return None
    count = 0
    for page in doc.get("pages", []):
        for line in page.get("lines", []):
            count += len("".join(line.get("text", "").split()))
        for table in page.get("tables", []):
            for cell in table.get("cells", []):
                for line in cell.get("lines", []):
                    count += len("".join(line.get("text", "").split()))
    return count


def pdftotext_chars(path):
    try:
        run = subprocess.run(
            ["pdftotext", "-q", path, "-"], capture_output=True, timeout=TIMEOUT
        )
    except subprocess.TimeoutExpired:
        return None
    if run.returncode != 0:
        return None
    return len("".join(run.stdout.decode("utf-8", "replace").split()))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--jaryo", default=os.path.join(ROOT, "target/release/jaryo"))
    parser.add_argument("--seed", type=int, default=20261207)
    parser.add_argument("--per-seed", type=int, default=4, help="random mutants per damage and seed")
    parser.add_argument("--keep", help="write the mutants into this folder")
    args = parser.parse_args()
    if not shutil.which("pdftotext"):
        sys.exit("pdftotext is missing (apt-get install poppler-utils)")
    rng = random.Random(args.seed)
    work = args.keep or tempfile.mkdtemp(prefix="damaged_pdfs_")
    os.makedirs(work, exist_ok=True)
    # damage -> [mutants, jaryo read, pdftotext read, jaryo chars share sum, pdftotext share sum]
    table = defaultdict(lambda: [0, 0, 0, 0.0, 0.0])
    for seed in seeds():
        base_j = jaryo_chars(args.jaryo, seed)
        base_p = pdftotext_chars(seed)
        if not base_j or not base_p:
            print(f"left out (no text in the undamaged file): {os.path.basename(seed)}")
            continue
        stem = os.path.basename(seed)[:-4]
        with open(seed, "rb") as f:
            data = f.read()
        for k, (damage, bytes_) in enumerate(mutants(data, rng, args.per_seed)):
            path = os.path.join(work, f"{stem}_{k:02d}.pdf")
            with open(path, "wb") as f:
                f.write(bytes_)
            j = jaryo_chars(args.jaryo, path)
            p = pdftotext_chars(path)
            for key in (damage, "all"):
                row = table[key]
                row[0] += 1
                row[1] += 1 if j else 0
                row[2] += 1 if p else 0
                row[3] += min(1.0, (j or 0) / base_j)
                row[4] += min(1.0, (p or 0) / base_p)
            if not args.keep:
                os.remove(path)
    print()
    print(f"{'damage':28} {'mutants':>7} {'jaryo read':>11} {'pdftotext read':>15} "
          f"{'jaryo chars':>12} {'pdftotext chars':>16}")
    for damage in sorted(table, key=lambda d: (d == "all", d)):
        n, jr, pr, jc, pc = table[damage]
        print(f"{damage:28} {n:7d} {jr:5d} ({jr / n:4.0%}) {pr:8d} ({pr / n:4.0%}) "
              f"{jc / n:12.1%} {pc / n:16.1%}")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
