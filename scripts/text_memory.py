#!/usr/bin/env python3
"""Peak memory of `jaryo run` on large text input, against the file's size.

Builds an N-MB Korean text from the sample booklet (input/seoul_social_economy_forum_2020.txt):
copies of it with their paragraphs in a different order each time and the numbers in them
changed, so no two copies are the same text. Runs `target/release/jaryo run` on it in a
temporary directory, in-process (`--in-process`) and with a worker process, and prints the
file size, the peak memory and the ratio.

Three peaks are printed: `tree`, the largest sum of the resident memory of jaryo and its worker
processes seen at once (sampled from /proc every 20 ms, so a very short peak can be missed);
`anon`, the same for anonymous memory only (RssAnon: the heap, without the pages of the
memory-mapped dictionary and binary, which the page cache shares between processes); and
`maxrss`, the kernel's peak of the largest single process (from wait4, exact).

    scripts/text_memory.py                  # 5 and 20 MB, both modes
    scripts/text_memory.py --sizes 20 --modes in-process
    scripts/text_memory.py --bin /tmp/jaryo-before --keep /tmp/big.txt

The issue's target: at most 20x the file size.
"""

import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "input" / "seoul_social_economy_forum_2020.txt"
SAMPLE_INTERVAL = 0.02


def make_text(size_mb: float, seed: int = 21) -> str:
    """About `size_mb` MiB of text: shuffled, renumbered copies of the sample booklet."""
    sample = SAMPLE.read_text(encoding="utf-8")
    paragraphs = [p for p in re.split(r"\n\s*\n", sample) if p.strip()]
    rng = random.Random(seed)
    target = int(size_mb * (1 << 20))
    parts = []
    size = 0
    copy = 0
    while size < target:
        copy += 1
        order = paragraphs[:]
        if copy > 1:
            rng.shuffle(order)
        shift = copy % 10
        for p in order:
            if copy > 1:
                p = re.sub(r"[0-9]", lambda m: str((int(m.group()) + shift) % 10), p)
            parts.append(p)
            size += len(p.encode("utf-8")) + 2
            if size >= target:
                break
    return "\n\n".join(parts) + "\n"


def tree_rss(root: int) -> tuple:
    """The resident memory of `root` and its descendants, all and anonymous, in bytes."""
    children = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                stat = f.read().decode("latin-1")
        except OSError:
            continue
        # The command may hold spaces and parentheses: fields follow the last ')'.
        ppid = int(stat[stat.rindex(")") + 2 :].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    total = anon = 0
    todo = [root]
    while todo:
        pid = todo.pop()
        try:
            with open(f"/proc/{pid}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) * 1024
                    elif line.startswith("RssAnon:"):
                        anon += int(line.split()[1]) * 1024
        except OSError:
            pass
        todo.extend(children.get(pid, []))
    return total, anon


def run_once(binary: Path, dictionary: Path, text_file: Path, mode: str) -> dict:
    out = text_file.parent / f"out-{mode}"
    shutil.rmtree(out, ignore_errors=True)
    command = [str(binary), "--dict", str(dictionary), "run", str(text_file), "-o", str(out),
               "--quiet", "--force", "--jobs", "1"]
    if mode == "in-process":
        command.append("--in-process")
    else:
        # Room to measure: the default 2G address-space cap would stop a large document.
        command += ["--max-memory", "16G"]
    start = time.monotonic()
    with open(text_file.parent / f"stderr-{mode}", "w+b") as err:
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=err)
        peak = peak_anon = 0
        while True:
            # wait4's figure is the peak of the process and of its reaped children.
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            rss, anon = tree_rss(process.pid)
            peak, peak_anon = max(peak, rss), max(peak_anon, anon)
            time.sleep(SAMPLE_INTERVAL)
        process.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.monotonic() - start
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
    maxrss = usage.ru_maxrss * 1024
    outputs = sum(p.stat().st_size for p in out.rglob("*") if p.is_file()) if out.exists() else 0
    return {
        "status": process.returncode,
        "stderr": stderr.strip().splitlines()[-3:],
        "tree": peak,
        "anon": peak_anon,
        "maxrss": maxrss,
        "seconds": seconds,
        "outputs": outputs,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=float, nargs="+", default=[5, 20], help="MiB of text")
    parser.add_argument("--modes", nargs="+", default=["in-process", "workers"],
                        choices=["in-process", "workers"])
    parser.add_argument("--bin", type=Path, default=REPO / "target" / "release" / "jaryo")
    parser.add_argument("--dict", type=Path,
                        default=Path(os.environ.get("JARYO_DICT", REPO / "dictionaries" / "ko-dic")))
    parser.add_argument("--keep", type=Path, help="also copy the generated text here")
    args = parser.parse_args()
    if not args.bin.exists():
        print(f"no binary at {args.bin}: cargo build --release first", file=sys.stderr)
        return 1
    sizes = sorted(args.sizes)
    print(f"{'size':>8} {'mode':>10} {'tree MB':>9} {'x':>6} {'anon MB':>8} {'x':>6}"
          f" {'maxrss MB':>10} {'x':>6} {'seconds':>8} {'outputs MB':>11}")
    failed = False
    with tempfile.TemporaryDirectory(prefix="jaryo-text-memory-") as tmp:
        for size_mb in sizes:
            text_file = Path(tmp) / f"big_{size_mb:g}mb.txt"
            text_file.write_text(make_text(size_mb), encoding="utf-8")
            if args.keep:
                shutil.copy(text_file, args.keep)
            size = text_file.stat().st_size
            for mode in args.modes:
                r = run_once(args.bin, args.dict, text_file, mode)
                mb = lambda b: f"{b / (1 << 20):.0f}" if b is not None else "?"
                ratio = lambda b: f"{b / size:.1f}" if b is not None else "?"
                print(f"{size / (1 << 20):>7.1f}M {mode:>10} {mb(r['tree']):>9} {ratio(r['tree']):>6}"
                      f" {mb(r['anon']):>8} {ratio(r['anon']):>6} {mb(r['maxrss']):>10} {ratio(r['maxrss']):>6} {r['seconds']:>8.1f}"
                      f" {mb(r['outputs']):>11}", flush=True)
                if r["status"] != 0:
                    failed = True
                    print(f"  exit {r['status']}: {' / '.join(r['stderr'])}", flush=True)
    return 2 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
