"""Every soft split point of mac-dev's running text and what the aligner made of it; and how often a pattern of
the running text sits at a gold sentence boundary.

    .venv/bin/python bench/soft_decisions.py [--only 004,006]
    .venv/bin/python bench/soft_decisions.py --pattern '：(?=[“「『])' --lang zh [--show]

Default: per soft point (aligner.segment.soft) one line: chapter, language, ``GOLD`` when a gold sentence ends
there, and either ``no-bead-boundary`` (the aligner put both pieces in one bead: merged back) or the calibrated
confidences of the two beads around it and what the other side has at that bead boundary (``real`` sentence
boundary, ``soft`` point, ``empty`` bead); then the text around the point.  Counts at the end.  This is the
post-pass's input (aligner.align.soft_merge keeps a point only against ``real`` with both confidences at least
KEEP_MIN_CONFIDENCE).

``--pattern``: count the regex's matches in the running text of ``--lang`` and how many of them have a gold
sentence end inside the match (no alignment is run)."""
from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_docs import SHARED, mac_txt  # noqa: E402


def count_pattern(items, pattern: str, lang: str, show: bool) -> None:
    rx = re.compile(pattern)
    n = gold = 0
    for it in items:
        g = it["gold"]
        text, units = (g.src_text, g.src_units) if lang == "zh" else (g.tgt_text, g.tgt_units)
        ends = {e for _, e in units}
        for m in rx.finditer(text):
            at = any(m.start() < e <= m.end() for e in ends)
            n += 1
            gold += at
            if show:
                print(g.name, "GOLD" if at else "    ", text[max(0, m.start() - 30):m.end() + 20])
    print(f"{pattern!r} in {lang}: {n} matches, {gold} at a gold sentence end")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mac-dev", default=str(SHARED / "mac-dev"))
    ap.add_argument("--only")
    ap.add_argument("--pattern")
    ap.add_argument("--lang", default="zh", choices=["zh", "en"])
    ap.add_argument("--show", action="store_true", help="--pattern: print each match")
    a = ap.parse_args(argv)
    items = [it for it in mac_txt(Path(a.mac_dev)) if not a.only or it["gold"].name in a.only.split(",")]
    if a.pattern:
        count_pattern(items, a.pattern, a.lang, a.show)
        return
    import aligner.api as api
    from aligner.align import soft_merge
    seen: dict = {}
    merge, split = soft_merge.merge_soft, api.split_soft

    def spy_merge(raw, ss, st, conf, keep_min=None):
        seen.update(raw=list(raw), ss=list(ss), st=list(st), conf=list(conf))
        return merge(raw, ss, st, conf, keep_min)

    def spy_split(sents, lang, kinds=None):
        pieces, soft = split(sents, lang, kinds)
        seen[lang] = pieces
        return pieces, soft
    soft_merge.merge_soft, api.split_soft = spy_merge, spy_split
    tally = Counter()
    try:
        al = api.Aligner()
        for it in items:
            g = it["gold"]
            seen.clear()
            al.align(it["src"].read_text(encoding="utf-8"), it["tgt"].read_text(encoding="utf-8"))
            if "raw" not in seen:
                continue
            raw, conf = seen["raw"], seen["conf"]
            assert len(seen["ss"]) == len(seen["zh"]) and len(seen["st"]) == len(seen["en"]), "empty pieces"
            for side, lang, flags, oflags, units in ((0, "zh", seen["ss"], seen["st"], g.src_units),
                                                     (1, "en", seen["st"], seen["ss"], g.tgt_units)):
                pieces = seen[lang]
                gold_ends = {e for _, e in units}
                last_bead = {}
                for k, r in enumerate(raw):
                    a0, a1 = (r.i0, r.i1) if side == 0 else (r.j0, r.j1)
                    if a1 > a0:
                        last_bead[a1 - 1] = k
                for i, f in enumerate(flags):
                    if not f:
                        continue
                    at_gold = any(pieces[i].end - 2 <= e <= pieces[i + 1].start for e in gold_ends)
                    k = last_bead.get(i)
                    if k is None or k + 1 >= len(raw):
                        state = "no-bead-boundary"
                    else:
                        nxt = raw[k + 1]
                        o0, o1 = (nxt.j0, nxt.j1) if side == 0 else (nxt.i0, nxt.i1)
                        p0, p1 = (raw[k].j0, raw[k].j1) if side == 0 else (raw[k].i0, raw[k].i1)
                        other = ("empty" if o0 == o1 or p0 == p1 else "soft" if oflags[o0 - 1] else "real")
                        state = f"bead-boundary {conf[k]:.2f}/{conf[k + 1]:.2f} other={other}"
                    tally[("GOLD" if at_gold else "not gold", state.split()[0],
                           state.split("other=")[-1] if "other=" in state else "")] += 1
                    print(f"{g.name} {lang} {'GOLD' if at_gold else '    '} {state:45} "
                          f"…{pieces[i].text[-25:]} | {pieces[i + 1].text[:25]}…")
    finally:
        soft_merge.merge_soft, api.split_soft = merge, split
    print("counts (gold?, where, other side):")
    for k, v in sorted(tally.items()):
        print(f"  {k}: {v}")


if __name__ == "__main__":
    main()
