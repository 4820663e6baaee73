"""Leave-one-chapter-out choice of the soft-point merge threshold (aligner.align.soft_merge.KEEP_MIN_CONFIDENCE)
on mac-dev running text.

    .venv/bin/python bench/loo_soft.py [--grid 0.70,0.74,...] [--save-rows out/loo_rows.json]

For every threshold of the grid each chapter is aligned once from its running text and projected onto the gold
sentences (as ``bench/bench_docs.py --sets mac-txt``).  Then, for each chapter, the threshold with the best strict
F1 on the *other* five chapters is chosen (ties: the one nearest the shipped value) and that chapter is scored
with it; the held-out chapters' counts are summed.  Prints the in-sample F1 per threshold, each fold's choice and
the leave-one-out F1 (micro), which is the number to quote for any threshold picked from this grid."""
from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from aligner.evaluate import scores_from_counts  # noqa: E402
from aligner.evaluate_docs import project  # noqa: E402
from bench_docs import SHARED, mac_txt, per_gold_bead  # noqa: E402


def f1(counts) -> float:
    return scores_from_counts(counts)["F1_strict"]


def add(a, b):
    return [x + y for x, y in zip(a, b)]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mac-dev", default=str(SHARED / "mac-dev"))
    ap.add_argument("--grid", default="0.0,0.70,0.74,0.78,0.80,0.82,0.84,0.86,0.88,0.90,0.92")
    ap.add_argument("--save-rows", help="write the per-gold-bead rows of the leave-one-out run here (JSON)")
    a = ap.parse_args(argv)
    from aligner.align import soft_merge
    from aligner.api import Aligner
    grid = [float(x) for x in a.grid.split(",")]
    shipped = soft_merge.KEEP_MIN_CONFIDENCE
    items = mac_txt(Path(a.mac_dev))
    al = Aligner()
    c0 = time.process_time()
    counts: dict[tuple[float, str], list[int]] = {}
    rows: dict[tuple[float, str], list] = {}
    try:
        for keep in grid:
            soft_merge.KEEP_MIN_CONFIDENCE = keep
            for it in items:
                out = al.align(it["src"].read_text(encoding="utf-8"), it["tgt"].read_text(encoding="utf-8"))
                pr = project(it["gold"], [b.src_text for b in out.beads], [b.tgt_text for b in out.beads])
                counts[keep, it["gold"].name] = list(pr.counts)
                rows[keep, it["gold"].name] = per_gold_bead(pr)
            tot = [0] * 8
            for it in items:
                tot = add(tot, counts[keep, it["gold"].name])
            print(f"conf >= {keep:.2f}: in-sample F1 {f1(tot):.4f}  " + " ".join(
                f"{it['gold'].name} {f1(counts[keep, it['gold'].name]):.3f}" for it in items), flush=True)
    finally:
        soft_merge.KEEP_MIN_CONFIDENCE = shipped
    names = [it["gold"].name for it in items]
    loo, loo_rows = [0] * 8, []
    for held in names:
        def train(keep):
            tot = [0] * 8
            for n in names:
                if n != held:
                    tot = add(tot, counts[keep, n])
            return f1(tot)
        best = max(grid, key=lambda k: (round(train(k), 6), -abs(k - shipped)))
        loo = add(loo, counts[best, held])
        loo_rows += rows[best, held]
        print(f"held out {held}: chosen conf >= {best:.2f} (F1 on the other chapters {train(best):.4f}), "
              f"held-out F1 {f1(counts[best, held]):.4f}")
    print(f"leave-one-chapter-out strict F1 (micro): {f1(loo):.4f}; shipped {shipped:.2f} in-sample "
          f"{f1([sum(x) for x in zip(*(counts[shipped, n] for n in names))]) if shipped in grid else float('nan'):.4f}")
    if a.save_rows:
        Path(a.save_rows).write_text(json.dumps(loo_rows))
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"CPU {time.process_time() - c0:.1f} s, peak RSS {rss:.0f} MB")


if __name__ == "__main__":
    main()
