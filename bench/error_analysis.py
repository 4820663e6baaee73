"""Which gold beads the aligner gets wrong, and what it emits instead.

    .venv/bin/python bench/train_scorer.py ... --cv-out out/cv      # or any folder of NAME.align outputs
    .venv/bin/python bench/error_analysis.py out/cv [--data ../shared/data/mac-dev] [--show 10]

Gold and output beads that disagree are grouped where they share sentences, and each group is listed by its
types, e.g. ``1-2 -> 0-1 1-1`` (the aligner split a gold 1-2) or ``1-1 1-1 -> 2-2`` (it merged two).
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from aligner.formats.align_file import read_align  # noqa: E402


def typ(bead) -> str:
    return f"{len(bead[0])}-{len(bead[1])}"


def error_groups(gold, pred):
    """Connected groups of gold and output beads that disagree: (gold beads, output beads)."""
    gs = {(tuple(s), tuple(t)) for s, t in gold}
    ps = {(tuple(s), tuple(t)) for s, t in pred}
    wrong_g = [b for b in gold if (tuple(b[0]), tuple(b[1])) not in ps]
    wrong_p = [b for b in pred if (tuple(b[0]), tuple(b[1])) not in gs]
    # union-find over sentence ids
    items = [("g", k) for k in range(len(wrong_g))] + [("p", k) for k in range(len(wrong_p))]
    owner = {}
    parent = list(range(len(items)))

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x
    for idx, (kind, k) in enumerate(items):
        s, t = (wrong_g if kind == "g" else wrong_p)[k]
        for key in [("s", i) for i in s] + [("t", j) for j in t]:
            if key in owner:
                parent[find(idx)] = find(owner[key])
            else:
                owner[key] = idx
    groups = {}
    for idx, (kind, k) in enumerate(items):
        groups.setdefault(find(idx), ([], []))[0 if kind == "g" else 1].append((wrong_g if kind == "g" else wrong_p)[k])
    return list(groups.values())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("auto", help="folder with NAME.align files for the gold documents")
    ap.add_argument("--data", default="../shared/data/mac-dev")
    ap.add_argument("--show", type=int, default=0, help="print this many example groups with their sentences")
    a = ap.parse_args()
    patterns = Counter()
    examples = []
    for path in sorted(Path(a.auto).glob("*.align")):
        nm, pred = path.stem, read_align(path)
        gold = read_align(Path(a.data) / f"{nm}.align")
        for g, p in error_groups(gold, pred):
            key = " ".join(sorted(typ(b) for b in g)) + " -> " + " ".join(sorted(typ(b) for b in p))
            patterns[key] += 1
            examples.append((nm, key, g, p))
    total = sum(patterns.values())
    print(f"{total} error groups")
    for key, c in patterns.most_common(25):
        print(f"{c:4d}  {key}")
    if a.show:
        for nm, key, g, p in examples[:a.show]:
            zh = (Path(a.data) / f"{nm}.zh").read_text(encoding="utf-8").splitlines()
            en = (Path(a.data) / f"{nm}.en").read_text(encoding="utf-8").splitlines()
            print(f"\n== {nm} {key}")
            for s, t in sorted(g, key=lambda b: (b[0] or [1e9])[0]):
                print("  gold", s, t)
            for s, t in sorted(p, key=lambda b: (b[0] or [1e9])[0]):
                print("  out ", s, t)
            ids_s = sorted({i for s, _ in g for i in s})
            ids_t = sorted({j for _, t in g for j in t})
            for i in ids_s:
                print(f"    zh{i}: {zh[i][:100]}")
            for j in ids_t:
                print(f"    en{j}: {en[j][:140]}")


if __name__ == "__main__":
    main()
