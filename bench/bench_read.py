"""Readers: speed (pages or characters per CPU second, peak memory) and, with ``--align``, whole-document accuracy
on docs-dev projected through the readers' exact source spans.

    .venv/bin/python bench/bench_read.py speed [--pages 2000]
    .venv/bin/python bench/bench_read.py align [--only NAME,...]

``speed`` makes a PDF of ``--pages`` pages (reportlab: wrapped prose, a running header and a page number on every
page) and reads it with :func:`aligner.read.read_document`, then reads every docs-dev text file (Markdown and
plain text readers), reporting CPU time (``time.process_time``), wall time (on a shared, loaded machine) and the
growth of peak memory (``ru_maxrss``) over the reading.

``align`` aligns each docs-dev pair from its raw files with :meth:`aligner.Aligner.align` (which reads raw text
like a .txt file: wrap detection, Markdown, headings and labels) and projects the beads onto the gold with
:func:`aligner.evaluate_docs.project`, with the character matching replaced by the exact positions the
sentences' spans give: the readers strip Markdown markup, so a bead's text is not a substring of the file, and
the greedy text matcher then goes wrong (a chunk that crosses a skipped code block, such as ``.Inotherwords,``,
matches a later identical string and everything in between is lost).  Scoring is otherwise
bench/bench_docs.py's (strict/lax F1, mid-sentence cuts are errors).
"""
from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from aligner.read import read_document  # noqa: E402
from aligner.segment import segment_document  # noqa: E402

DOCS_DEV = ROOT.parent / "shared" / "data" / "docs-dev"


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def speed(pages: int) -> None:
    from doc_fixtures import make_big_pdf

    with tempfile.TemporaryDirectory() as tmp:
        small = make_big_pdf(Path(tmp) / "small.pdf", 20)
        read_document(small, "en")  # load pdfium once
        big = make_big_pdf(Path(tmp) / "big.pdf", pages)
        rss0 = _rss_mb()
        w0, c0 = time.perf_counter(), time.process_time()
        doc = read_document(big, "en")
        w, c = time.perf_counter() - w0, time.process_time() - c0
        n_sent = len(segment_document(doc, "en"))
        print(f"pdf   {pages} pages ({big.stat().st_size / 2**20:.1f} MB): cpu {c:.2f} s = {pages / c:.0f} pages/s per core, "
              f"wall {w:.2f} s; peak memory {_rss_mb():.0f} MB (+{_rss_mb() - rss0:.0f} MB over the read); "
              f"{len(doc.blocks)} blocks, {n_sent} sentences, set aside {doc.set_aside()}")
    if not DOCS_DEV.is_dir():
        return
    tot_chars = tot_cpu = 0.0
    for d in sorted(p for p in DOCS_DEV.iterdir() if p.is_dir()):
        for side in ("zh", "en"):
            f = d / f"doc.{side}.txt"
            c0 = time.process_time()
            doc = read_document(f, side)
            segment_document(doc, side)
            tot_cpu += time.process_time() - c0
            tot_chars += len(doc.text)
    print(f"txt/md docs-dev (16 files, {tot_chars / 1e6:.2f} M chars): read + segment cpu {tot_cpu:.2f} s = "
          f"{tot_chars / tot_cpu / 1e3:.0f} k chars/s")


def align(only: set[str] | None) -> None:
    from bench_docs import docs_dev
    from aligner.api import Aligner
    from aligner.evaluate import scores_from_counts
    from aligner import evaluate_docs
    from aligner.evaluate_docs import project

    matcher = evaluate_docs.monotone_match

    items = docs_dev(DOCS_DEV, {"code", "fm"})
    al = Aligner()
    tot = [0] * 8
    print(f"{'document':36} {'gold':>5} {'P':>6} {'R':>6} {'F1':>6} {'laxF1':>6} {'cut':>4} {'lost':>4} {'cpu s':>6}")
    for it in items:
        g = it["gold"]
        if only and g.name not in only:
            continue
        src, tgt = it["src"].read_text(encoding="utf-8"), it["tgt"].read_text(encoding="utf-8")
        c0 = time.process_time()
        a = al.align(src, tgt)
        cpu = time.process_time() - c0
        sb = ["".join(src[a.src[i].start:a.src[i].end] for i in b.src) for b in a.beads]
        tb = ["".join(tgt[a.tgt[j].start:a.tgt[j].end] for j in b.tgt) for b in a.beads]
        exact = [_positions(src, [[a.src[i] for i in b.src] for b in a.beads]),
                 _positions(tgt, [[a.tgt[j] for j in b.tgt] for b in a.beads])]
        evaluate_docs.monotone_match = lambda out, doc, _q=exact: _q.pop(0)
        pr = project(g, sb, tb)
        evaluate_docs.monotone_match = matcher
        sc = scores_from_counts(pr.counts)
        tot = [x + y for x, y in zip(tot, pr.counts)]
        print(f"{g.name[:36]:36} {len(g.beads):5d} {sc['P_strict']:6.3f} {sc['R_strict']:6.3f} {sc['F1_strict']:6.3f} "
              f"{sc['F1_lax']:6.3f} {pr.cut:4d} {pr.lost:4d} {cpu:6.1f}", flush=True)
    sc = scores_from_counts(tot)
    print(f"{'OVERALL (micro)':36} {sc['n_gold']:5d} {sc['P_strict']:6.3f} {sc['R_strict']:6.3f} {sc['F1_strict']:6.3f} "
          f"{sc['F1_lax']:6.3f}")


def _positions(text: str, beads) -> list[int]:
    """The matcher's answer, known exactly from the sentences' spans: for every non-space (NFKC) character of
    every bead's source slices, its index among the document's non-space characters."""
    import bisect

    from aligner.evaluate_docs import normalise
    _, dpos = normalise(text)
    out: list[int] = []
    for sents in beads:
        for s in sents:
            out.extend(range(bisect.bisect_left(dpos, s.start), bisect.bisect_left(dpos, s.end)))
    return out


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("what", choices=["speed", "align"])
    ap.add_argument("--pages", type=int, default=2000)
    ap.add_argument("--only", help="comma-separated docs-dev names")
    a = ap.parse_args(argv)
    if a.what == "speed":
        speed(a.pages)
    else:
        align(set(a.only.split(",")) if a.only else None)


if __name__ == "__main__":
    main()
