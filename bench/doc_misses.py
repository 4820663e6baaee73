"""Which gold pairs a whole-document alignment misses, and whether merging its beads inside a gold pair fixes them.

    .venv/bin/python bench/doc_misses.py --only opensource-guide-how-to-contribute,rust-book-ch04-01-ownership
                                         [--sets docs-dev,generated,un-letter] [--show]

Aligns each pair as bench/bench_docs.py does and projects the beads onto the gold by its majority rule.  For every
missed gold pair it says whether the same beads, with consecutive beads inside one gold pair merged first (the
``F1fine`` column), match it: a miss that merging fixes is a finer, correct alignment (sentence beads inside a
paragraph) that the majority rule cannot credit; one that it does not fix is a real error.  ``--show`` prints the
remaining misses with their beads.
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import bench.bench_docs as B  # noqa: E402
from aligner.evaluate_docs import project  # noqa: E402


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sets", default="docs-dev,generated,un-letter")
    ap.add_argument("--only", required=True, help="comma-separated document names")
    ap.add_argument("--show", action="store_true", help="print the misses that merging does not fix")
    a = ap.parse_args(argv)
    items = []
    if "docs-dev" in a.sets:
        items += B.docs_dev(B.SHARED / "docs-dev", {"code", "fm"})
    if "generated" in a.sets:
        items += B.generated(B.GENERATED)
    if "un-letter" in a.sets:
        ex = ROOT / "examples"
        items.append(B.paragraph_pair("un-letter", "un-letter", ex / "un-letter.zh.txt", ex / "un-letter.en.txt"))
    keep = set(a.only.split(","))
    runner = B.Runner("lib", "default")
    print(f"{'document':40} {'gold':>5} {'missed':>6} {'fixed by merging inside':>24} {'still missed':>12}  kinds missed")
    for it in items:
        g = it["gold"]
        if g.name not in keep:
            continue
        sb, tb, _ = runner.beads(it["src"], it["tgt"], it.get("pre_split", False))
        auto = set(project(g, sb, tb).auto)
        fine = set(project(g, sb, tb, merge_inside=True).auto)
        miss = [r for r, b in enumerate(g.beads) if b not in auto]
        real = [r for r in miss if g.beads[r] not in fine]
        kinds = Counter(g.kinds[r] for r in miss) if g.kinds else Counter()
        print(f"{g.name[:40]:40} {len(g.beads):5d} {len(miss):6d} {len(miss) - len(real):24d} {len(real):12d}  "
              + ", ".join(f"{k} {n}" for k, n in kinds.most_common()))
        if a.show:
            for r in real:
                s, t = g.beads[r]
                zs = " ".join(g.src_text[slice(*g.src_units[u])] for u in s)
                es = " ".join(g.tgt_text[slice(*g.tgt_units[u])] for u in t)
                print(f"    gold {r}: {zs[:100]!r} || {es[:100]!r}")


if __name__ == "__main__":
    main()
