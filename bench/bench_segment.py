"""Benchmark of the segmentation stage (aligner.segment).

Usage (from the repository root):

    .venv/bin/python bench/bench_segment.py [--data ../shared/data] [--show N]

Prints:
* sentence-boundary P/R/F1 on the running text of MAC-Dev (``NNN.zh.txt`` vs the lines of ``NNN.zh``; same for
  English).  A boundary is the offset, counted in non-whitespace characters, where a sentence ends; the end of
  the text is counted too.
* line-break classification accuracy on ``un/linebreaks-en.jsonl`` (hard paragraph end vs layout wrap).
* throughput (MB of UTF-8 text per second, one core) of reflow + sentence splitting on PDF-like text and on
  running text.
No text from the data set is written anywhere.
"""
from __future__ import annotations

import argparse
import glob
import json
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from aligner.segment import segment  # noqa: E402
from aligner.segment.layout import hard_breaks  # noqa: E402


def boundaries(sentences: list[str]) -> set[int]:
    out, pos = set(), 0
    for s in sentences:
        pos += sum(1 for c in s if not c.isspace())
        out.add(pos)
    return out


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def mac_dev_f1(data: str, lang: str, show: int = 0) -> tuple[float, float, float, int, int, int]:
    tp = fp = fn = 0
    for path in sorted(glob.glob(os.path.join(data, "mac-dev", f"*.{lang}.txt"))):
        with open(path, encoding="utf-8") as f:
            text = f.read()
        with open(path[:-4], encoding="utf-8") as f:
            gold = [ln for ln in f.read().split("\n") if ln.strip()]
        pred = [s.text for s in segment(text, lang)]
        g, p = boundaries(gold), boundaries(pred)
        tp += len(g & p)
        fp += len(p - g)
        fn += len(g - p)
        if show:
            ns = "".join(c for c in text if not c.isspace())
            name = os.path.basename(path)
            for b in sorted(p - g)[:show]:
                print(f"  FP {name} {ns[b - 25:b]} | {ns[b:b + 15]}")
            for b in sorted(g - p)[:show]:
                print(f"  FN {name} {ns[b - 25:b]} | {ns[b:b + 15]}")
    return (*prf(tp, fp, fn), tp, fp, fn)


def linebreak_accuracy(data: str) -> tuple[int, int]:
    ok = total = 0
    with open(os.path.join(data, "un", "linebreaks-en.jsonl"), encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            rec = json.loads(line)
            pred = hard_breaks(rec["raw_text"], "en")
            gold = rec["is_hard_linebreak"]
            total += len(gold)
            ok += sum(1 for a, b in zip(pred, gold) if a == b)
    return ok, total


def throughput(text: str, lang: str, reflow: bool | None, min_bytes: int = 2_000_000) -> float:
    reps = max(1, min_bytes // max(1, len(text.encode("utf-8"))))
    big = "\n\n".join([text] * reps)
    nbytes = len(big.encode("utf-8"))
    t0 = time.process_time()
    segment(big, lang, reflow=reflow)
    dt = time.process_time() - t0
    return nbytes / 1e6 / dt


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "data"))
    ap.add_argument("--show", type=int, default=0, help="print up to N errors per file")
    ap.add_argument("--no-speed", action="store_true")
    args = ap.parse_args()
    data = args.data
    if not os.path.isdir(data):
        sys.exit(f"data directory not found: {data}")
    for lang in ("zh", "en"):
        p, r, f1, tp, fp, fn = mac_dev_f1(data, lang, args.show)
        print(f"mac-dev {lang}: P {p:.4f} R {r:.4f} F1 {f1:.4f}  (tp {tp}, fp {fp}, fn {fn})")
    ok, total = linebreak_accuracy(data)
    print(f"linebreaks-en: {ok}/{total} correct ({ok / total:.4f})")
    if args.no_speed:
        return
    samples = [
        ("un zh (PDF, reflow)", os.path.join(data, "un", "000_dac56ef26cf31a19.zh.txt"), "zh", True),
        ("un en (PDF, reflow)", os.path.join(data, "un", "453500.en.txt"), "en", True),
        ("mac-dev zh (running text)", os.path.join(data, "mac-dev", "002.zh.txt"), "zh", None),
        ("mac-dev en (running text)", os.path.join(data, "mac-dev", "003.en.txt"), "en", None),
    ]
    for name, path, lang, rf in samples:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        print(f"speed {name}: {throughput(text, lang, rf):.2f} MB/s (CPU time, one core)")
    one_line = "这是一个没有标点的很长的句子" * 7000 + "\n"
    print(f"speed 100k-char line without punctuation (zh): {throughput(one_line, 'zh', None, 1_000_000):.2f} MB/s")


if __name__ == "__main__":
    main()
