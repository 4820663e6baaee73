"""Tune the structure constants (aligner/align/structure.py) with leave-one-document-out, and report it.

    .venv/bin/python bench/tune_structure.py [--sets docs-dev,mac-txt,un-letter] [--json out/tune.json] [--glue-grid]

Each document is segmented and scored once (embeddings, band, bead scores); then for every setting of the grid the
structure terms are added, the DP is run and the beads are projected onto the gold (bench/bench_docs.py's measure:
majority projection, strict F1).  For each held-out document the setting with the best micro strict F1 on the
*other* documents is applied to it; the sum of those held-out counts is the leave-one-document-out score, reported
next to the score without structure and the best in-sample setting.
"""
from __future__ import annotations

import argparse
import itertools
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_docs import SHARED, docs_dev, mac_txt, paragraph_pair  # noqa: E402

from aligner.align.dp import banded_dp  # noqa: E402
from aligner.align.pipeline import build_context  # noqa: E402
from aligner.align.score import score_tensors  # noqa: E402
from aligner.align.structure import Structure, structure_terms  # noqa: E402
from aligner.align.weights import load_weights  # noqa: E402
from aligner.api import Aligner  # noqa: E402
from aligner.evaluate import scores_from_counts  # noqa: E402
from aligner.evaluate_docs import project  # noqa: E402
from aligner.segment import segment  # noqa: E402
from aligner.segment.join import join_sentences  # noqa: E402

#: the block constants move together (a budget of CPU on a shared machine): CROSS = block, START = block / 2,
#: CROSS_BOTH = block / 4; headings and labels on their own; GLUE at 0, as when this grid was run (the table in
#: docs/documents-benchmark.md predates GLUE); GLUE is tuned on its own with --glue-grid
GRID = {"block": [0, 6, 12, 24], "head": [0, 6], "label": [0, 8], "glue": [0]}
#: --glue-grid: the GLUE values with the other constants at their shipped values (block 12, head 6, label 8), the
#: grid the orphan-block work used (the full product would be 64 settings per document)
GLUE_GRID = {"block": [12], "head": [6], "label": [8], "glue": [0, 5, 10, 20, 30]}


def prepare(item, al):
    g = item["gold"]
    try:   # the readers (blocks, kinds, labels), when this version has them
        from aligner.read import read_document
        from aligner.segment import segment_document
        S = segment_document(read_document(item["src"], "zh"), "zh")
        T = segment_document(read_document(item["tgt"], "en"), "en")
    except ImportError:
        S = segment(item["src"].read_text(encoding="utf-8"), "zh")
        T = segment(item["tgt"].read_text(encoding="utf-8"), "en")
    ctx, types = build_context([s.text for s in S], [t.text for t in T], "zh", "en", al.encoder, al.params)
    w = load_weights(al.params.weights)
    scores = score_tensors(ctx, types, w["weights"], w["bias"], w["bonus"])
    return {"gold": g, "S": S, "T": T, "ctx": ctx, "types": types, "scores": scores,
            "st": Structure.from_sentences(S, T)}


def run(d, block, head, label, glue):
    terms = structure_terms(d["st"], d["ctx"].band, d["types"], block, block / 2, head, label, label, block / 4,
                            glue)
    sc = [s if t is None else s + t for s, t in zip(d["scores"], terms)]
    try:
        path = banded_dp(d["ctx"].band, d["types"], sc)
    except RuntimeError:
        path = banded_dp(d["ctx"].band, d["types"], d["scores"])
    S, T = d["S"], d["T"]
    src = [join_sentences([S[k].text for k in range(i0, i1)], "zh") for i0, i1, _, _ in path]
    tgt = [join_sentences([T[k].text for k in range(j0, j1)], "en") for _, _, j0, j1 in path]
    return project(d["gold"], src, tgt).counts


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--sets", default="docs-dev,mac-txt,un-letter")
    ap.add_argument("--json")
    ap.add_argument("--glue-grid", action="store_true", help="tune GLUE alone (GLUE_GRID)")
    a = ap.parse_args(argv)
    grid = GLUE_GRID if a.glue_grid else GRID
    items = []
    if "docs-dev" in a.sets:
        items += docs_dev(SHARED / "docs-dev", {"code", "fm"})
    if "mac-txt" in a.sets:
        items += mac_txt(SHARED / "mac-dev")
    if "un-letter" in a.sets:
        ex = ROOT / "examples"
        items.append(paragraph_pair("un-letter", "un-letter", ex / "un-letter.zh.txt", ex / "un-letter.en.txt"))
    al = Aligner()
    t0 = time.process_time()
    docs = [prepare(it, al) for it in items]
    print(f"prepared {len(docs)} documents in {time.process_time() - t0:.0f} s CPU", file=sys.stderr)
    settings = list(itertools.product(*grid.values()))
    counts = {}   # setting -> [counts per doc]
    for k, st in enumerate(settings):
        counts[st] = [run(d, *st) for d in docs]
        if k % 4 == 0:
            print(f"{k}/{len(settings)}", file=sys.stderr, flush=True)
    names = [d["gold"].name for d in docs]

    def f1(cs):
        return scores_from_counts([sum(c[q] for c in cs) for q in range(8)])["F1_strict"]

    base = counts[(0, 0, 0, 0)] if (0, 0, 0, 0) in counts else counts[settings[0]]
    best_in = max(settings, key=lambda st: f1(counts[st]))
    loo, chosen = [], {}
    for h in range(len(docs)):
        pick = max(settings, key=lambda st: (f1([c for q, c in enumerate(counts[st]) if q != h]), -sum(st)))
        chosen[names[h]] = dict(zip(grid, pick))
        loo.append(counts[pick][h])
    print(f"{'document':36} {'none':>6} {'LOO':>6} {'in-sample':>9}  LOO setting (block, head, label, glue)")
    for h, n in enumerate(names):
        print(f"{n[:36]:36} {f1([base[h]]):6.3f} {f1([loo[h]]):6.3f} {f1([counts[best_in][h]]):9.3f}  "
              f"{tuple(chosen[n].values())}")
    print(f"{'OVERALL (micro)':36} {f1(base):6.3f} {f1(loo):6.3f} {f1(counts[best_in]):9.3f}  "
          f"in-sample best {dict(zip(grid, best_in))}")
    if a.json:
        Path(a.json).write_text(json.dumps({"grid": grid, "names": names, "best_in_sample": dict(zip(grid, best_in)),
                                            "loo_choice": chosen, "F1_none": f1(base), "F1_loo": f1(loo),
                                            "F1_in_sample": f1(counts[best_in]),
                                            "by_setting": {str(k): f1(v) for k, v in counts.items()}}, indent=1))


if __name__ == "__main__":
    main()
