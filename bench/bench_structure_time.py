"""What the structure stage (aligner/align/structure.py) adds to an alignment's time.

    .venv/bin/python bench/bench_structure_time.py [--docs NAME,...]

For each docs-dev pair (and the UN letter): CPU time of the whole alignment (``Aligner.align_files``: reading,
segmenting, embedding, band, scoring, DP) and, on the same sentences and band, CPU time of the structure stage
alone (``Structure.from_sentences`` + ``structure_terms`` + adding them to the scores), repeated 5 times.  The
embedding cache is cold for the first alignment only; wall times are on a shared, loaded machine.
"""
from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from aligner.align.pipeline import build_context, with_structure  # noqa: E402
from aligner.align.score import score_tensors  # noqa: E402
from aligner.align.structure import Structure  # noqa: E402
from aligner.align.weights import load_weights  # noqa: E402
from aligner.api import Aligner  # noqa: E402

SHARED = ROOT.parent / "shared" / "data" / "docs-dev"


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", default="tw-copyright-act,prc-constitution-2018,system-design-primer-readme,"
                                      "rust-book-ch04-01-ownership")
    a = ap.parse_args(argv)
    al = Aligner()
    w = load_weights(al.params.weights)
    tot_a = tot_s = 0.0
    print(f"{'document':36} {'sent zh/en':>11} {'align cpu s':>11} {'wall s':>7} {'structure cpu s':>15} {'share':>6}")
    for name in a.docs.split(","):
        src, tgt = SHARED / name / "doc.zh.txt", SHARED / name / "doc.en.txt"
        c0, t0 = time.process_time(), time.perf_counter()
        res = al.align_files(src, tgt)
        c_align, wall = time.process_time() - c0, time.perf_counter() - t0
        S, T = res.src, res.tgt
        ctx, types = build_context([s.text for s in S], [t.text for t in T], "zh", "en", al.encoder, al.params)
        scores = score_tensors(ctx, types, w["weights"], w["bias"], w["bonus"])
        reps = 5
        c0 = time.process_time()
        for _ in range(reps):
            with_structure(scores, ctx.band, types, Structure.from_sentences(S, T))
        c_struct = (time.process_time() - c0) / reps
        tot_a += c_align
        tot_s += c_struct
        print(f"{name[:36]:36} {len(S):5d}/{len(T):<5d} {c_align:11.2f} {wall:7.1f} {c_struct:15.3f} "
              f"{c_struct / c_align:6.1%}", flush=True)
    print(f"{'total':36} {'':11} {tot_a:11.2f} {'':7} {tot_s:15.3f} {tot_s / tot_a:6.1%}")
    print(f"peak memory (ru_maxrss): {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
