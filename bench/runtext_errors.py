"""Why running text aligns worse than the gold sentences: mac-dev `NNN.{zh,en}.txt`, error groups by cause.

    .venv/bin/python bench/runtext_errors.py [--mac-dev ../shared/data/mac-dev] [--show 10] [--presplit]

Each chapter is aligned from its running text (as ``bench/bench_docs.py --sets mac-txt`` does) and the output beads
are projected onto the gold sentences.  Wrong gold beads and wrong projected beads are grouped where they share
gold sentences; each group gets one cause, the first that applies:

* ``undersplit``: a gold sentence boundary inside the group is no segment boundary (the segmenter joined two gold
  sentences, so their beads merge);
* ``oversplit``: an output bead boundary inside a gold sentence (the segmenter split it and the aligner did not
  merge the pieces back), by the character before the boundary (``。”``, ``：``, ``；``, ``……``...);
* ``inside``: bead boundaries inside a gold bead but at gold sentence boundaries (a finer alignment of a gold 2-1 or
  1-2 than the gold's; the segmentation is the gold's here);
* ``align``: segmentation equal to the gold's in the group, the beads elsewhere (an alignment error proper).

``--presplit`` also aligns the gold sentences (pre-split) and says, for each group, whether that run gets the same
gold beads wrong.
"""
from __future__ import annotations

import argparse
import bisect
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from aligner.evaluate import doc_counts, scores_from_counts  # noqa: E402
from aligner.evaluate_docs import monotone_match, normalise, project  # noqa: E402

sys.path.insert(0, str(ROOT / "bench"))
from bench_docs import mac_txt  # noqa: E402


def boundaries(texts: list[str], doc_chars: str) -> set[int]:
    """Normalised document offsets where each of ``texts`` (consecutive pieces of the document) ends."""
    out = set()
    stream, owner = [], []
    for k, t in enumerate(texts):
        c, _ = normalise(t)
        stream.append(c)
        owner += [k] * len(c)
    match = monotone_match("".join(stream), doc_chars)
    last = {}
    for i, q in enumerate(match):
        if q >= 0:
            last[owner[i]] = q
    for k, q in last.items():
        out.add(q + 1)
    return out


def weak_char(doc: str, q: int) -> str:
    """The boundary's kind: the punctuation right before normalised offset ``q`` (closers included)."""
    tail = doc[max(0, q - 3):q]
    for pat, name in (("…", "……"), ("—", "——"), ("：", "："), (":", "："), ("；", "；"), (";", "；"),
                      ("，", "，"), (",", "，")):
        if tail.endswith(pat) or tail.rstrip("”’\"')）」").endswith(pat):
            return name
    core = tail.rstrip("”’\"')）」")
    if core and core[-1] in "。.!?！？":
        return "end+close" if core != tail else "end"
    return "none"


def groups_of(gold, auto):
    gs, ps = set(gold), set(auto)
    wg = [b for b in gold if b not in ps]
    wp = [b for b in auto if b not in gs]
    parent = {}

    def find(x):
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    def union(a, b):
        parent[find(a)] = find(b)
    for kind, beads in (("g", wg), ("p", wp)):
        for k, (s, t) in enumerate(beads):
            node = (kind, k)
            find(node)
            for u in s:
                union(node, ("s", u))
            for u in t:
                union(node, ("t", u))
    out = {}
    for kind, beads in (("g", wg), ("p", wp)):
        for k, b in enumerate(beads):
            out.setdefault(find((kind, k)), ([], []))[0 if kind == "g" else 1].append(b)
    return list(out.values())


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mac-dev", default=str(ROOT.parent / "shared" / "data" / "mac-dev"))
    ap.add_argument("--show", type=int, default=0, help="print this many groups of each cause")
    ap.add_argument("--presplit", action="store_true")
    ap.add_argument("--only")
    a = ap.parse_args(argv)
    from aligner.api import Aligner
    al = Aligner()
    causes, weak, shown = Counter(), Counter(), Counter()
    same_pre = Counter()
    n_wrong = 0
    tot_run, tot_pre = [0] * 8, [0] * 8
    for it in mac_txt(Path(a.mac_dev)):
        g = it["gold"]
        if a.only and g.name not in a.only.split(","):
            continue
        zh, en = it["src"].read_text(encoding="utf-8"), it["tgt"].read_text(encoding="utf-8")
        out = al.align(zh, en)
        src_b, tgt_b = [b.src_text for b in out.beads], [b.tgt_text for b in out.beads]
        pr = project(g, src_b, tgt_b)
        tot_run = [x + y for x, y in zip(tot_run, pr.counts)]
        pre_wrong = None
        if a.presplit:
            d = Path(a.mac_dev)
            zs, es = (d / f"{g.name}.zh").read_text(encoding="utf-8"), (d / f"{g.name}.en").read_text(encoding="utf-8")
            pa = al.align(zs, es, pre_split=True)
            pre = [(tuple(b.src), tuple(b.tgt)) for b in pa.beads]
            pre_wrong = set(g.beads) - set(pre)
            tot_pre = [x + y for x, y in zip(tot_pre, doc_counts(g.beads, pre))]
        sides = []
        for side, (text, units, sents, beads) in enumerate(((g.src_text, g.src_units, out.src, src_b),
                                                            (g.tgt_text, g.tgt_units, out.tgt, tgt_b))):
            dch, dpos = normalise(text)
            ub = [bisect.bisect_left(dpos, e) for s, e in units]        # normalised end of each gold unit
            gold_b = set(ub)
            seg_b = boundaries([s.text for s in sents], dch)
            bead_b = boundaries([b for b in beads if b.strip()], dch)
            sides.append((dch, ub, gold_b, seg_b, bead_b))
        for gb, pb in groups_of(g.beads, pr.auto):
            n_wrong += len(gb)
            cause, kinds = "align", []
            for side in (0, 1):
                dch, ub, gold_b, seg_b, bead_b = sides[side]
                units = sorted({u for b in gb + pb for u in b[side] if u >= 0})
                if not units:
                    continue
                lo = ub[units[0] - 1] if units[0] > 0 else 0
                hi = ub[units[-1]]
                inner_gold = {q for q in gold_b if lo < q < hi}
                under = [q for q in inner_gold if q not in seg_b]
                over = [q for q in bead_b if lo < q < hi and q not in gold_b]
                if under:
                    cause = "undersplit"
                    kinds += [("under", side, weak_char(dch, q)) for q in under]
                elif over and cause != "undersplit":
                    cause = "oversplit"
                    kinds += [("over", side, weak_char(dch, q)) for q in over]
            if cause == "align":
                # bead boundaries at gold sentence boundaries inside a gold bead?
                for side in (0, 1):
                    dch, ub, gold_b, seg_b, bead_b = sides[side]
                    for s_t in gb:
                        us = s_t[side]
                        if len(us) > 1 and any(ub[u] in bead_b for u in us[:-1]):
                            cause = "inside"
            causes[cause] += len(gb)
            for k in kinds:
                weak[k] += 1
            if pre_wrong is not None:
                same_pre[(cause, any(b in pre_wrong for b in gb))] += len(gb)
            if shown[cause] < a.show:
                shown[cause] += 1
                print(f"--- {g.name} {cause} {kinds}")
                for b in gb:
                    print("  gold", b, "|", " ".join(g.src_text[slice(*g.src_units[u])] for u in b[0]), "|",
                          " ".join(g.tgt_text[slice(*g.tgt_units[u])] for u in b[1]))
                for b in pb:
                    print("  out ", b)
    print(f"\nstrict F1: running text {scores_from_counts(tot_run)['F1_strict']:.4f}"
          + (f", gold sentences pre-split {scores_from_counts(tot_pre)['F1_strict']:.4f}" if a.presplit else ""))
    print(f"wrong gold beads: {n_wrong}")
    for c, n in causes.most_common():
        print(f"  {c:11} {n}")
    print("boundary kinds (what, side 0=zh 1=en, char before):")
    for k, n in weak.most_common():
        print(f"  {k} {n}")
    if same_pre:
        print("also wrong pre-split:", dict(same_pre))


if __name__ == "__main__":
    main()
