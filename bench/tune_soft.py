"""Soft split points (aligner.segment.soft + aligner.align.soft_merge) on mac-dev running text: off vs on, and a
grid over their constants, in one process (embeddings cached across runs).

    .venv/bin/python bench/tune_soft.py [--sets mac-txt] [--grid] [--trial-kinds] [--bootstrap 1000]

Prints strict F1 (majority projection, as bench/bench_docs.py) per setting, and the paired bootstrap of each
setting against soft points off (resampling gold beads; same seed for both)."""
from __future__ import annotations

import argparse
import itertools
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from aligner.evaluate import scores_from_counts  # noqa: E402
from aligner.evaluate_docs import project  # noqa: E402
from bench_docs import (GENERATED, SHARED, _f1_rows, docs_dev, generated, mac_txt,  # noqa: E402
                        paired_bootstrap as paired, paragraph_pair, per_gold_bead)


#: soft-point kinds tried and not shipped (runtext2, 2026-11-28; `--trial-kinds`): zh pattern, en pattern
TRIAL_KINDS = {
    # a colon before a quotation (speech), in both languages: `大喇叭说：|“咚——”` / `the chair: | 'Too-tah'`
    "speech": (r"：(?=[“「『])", r":(?=\s+['\"‘“])"),
    # a comma before a quotation or closing one: `…，|“…”`, `…，”|…` / `…, | 'Stop…`, `…,' | …`
    "comma_quote": (r"，(?=[“「『])|(?<=[。！？]”)|，”", r",(?=\s+['\"‘“][A-Z])|,['\"’”](?=\s)"),
}


def run(al, items, fine=False):
    """Strict F1 over ``items`` (micro), the per-gold-bead rows for the bootstrap, and F1 per document."""
    rows, counts = [], [0] * 8
    per = {}
    for it in items:
        if "text" not in it and (it.get("pre_split") or it["set"] == "mac-txt"):
            it["text"] = (it["src"].read_text(encoding="utf-8"), it["tgt"].read_text(encoding="utf-8"))
        if it.get("pre_split"):
            out = al.align(*it["text"], pre_split=True)
        elif it["set"] == "mac-txt":
            out = al.align(*it["text"])
        else:
            out = al.align_files(it["src"], it["tgt"])
        pr = project(it["gold"], [b.src_text for b in out.beads], [b.tgt_text for b in out.beads], merge_inside=fine)
        r = per_gold_bead(pr)
        rows += r
        counts = [a + b for a, b in zip(counts, pr.counts)]
        per[it["gold"].name] = scores_from_counts(pr.counts)["F1_strict"]
    return scores_from_counts(counts)["F1_strict"], rows, per


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sets", default="mac-txt")
    ap.add_argument("--grid", action="store_true")
    ap.add_argument("--bootstrap", type=int, default=1000)
    ap.add_argument("--off-only", action="store_true", help="only the run without soft points (works on a checkout "
                                                             "without them, e.g. an export of main)")
    ap.add_argument("--save-rows", help="write the per-gold-bead rows of the runs here (JSON)")
    ap.add_argument("--against", help="also pair each setting against the 'off' rows saved by another checkout")
    ap.add_argument("--trial-kinds", action="store_true",
                    help="also try the shipped kinds plus each kind of TRIAL_KINDS (defined here, not in the library)")
    a = ap.parse_args(argv)
    import json
    from aligner.api import Aligner
    items = []
    if "mac-txt" in a.sets:
        items += mac_txt(SHARED / "mac-dev")
    if "docs-dev" in a.sets:
        items += docs_dev(SHARED / "docs-dev", {"code", "fm"})
    if "un-letter" in a.sets:
        ex = ROOT / "examples"
        items.append(paragraph_pair("un-letter", "un-letter", ex / "un-letter.zh.txt", ex / "un-letter.en.txt"))
    if "generated" in a.sets:
        items += generated(GENERATED)
    al = Aligner()
    c0 = time.process_time()
    al.soft_split = False
    base, base_rows, base_per = run(al, items)
    print(f"soft off: F1 {base:.4f}  " + " ".join(f"{k} {v:.3f}" for k, v in base_per.items()), flush=True)
    saved = {"off": base_rows}
    other = json.loads(Path(a.against).read_text())["off"] if a.against else None
    if a.off_only:
        if a.save_rows:
            Path(a.save_rows).write_text(json.dumps(saved))
        return
    from aligner.align import soft_merge
    from aligner.segment import soft
    al.soft_split = True
    kinds0 = soft.SOFT_KINDS
    settings = [(soft_merge.KEEP_MIN_CONFIDENCE, soft.MIN_PIECE["zh"], soft.MIN_PIECE["en"], kinds0)]
    if a.grid:
        settings += [(soft_merge.KEEP_MIN_CONFIDENCE, soft.MIN_PIECE["zh"], soft.MIN_PIECE["en"], frozenset(k))
                     for k in (["colon"], ["dash"], ["colon", "dash", "semicolon"])]
        grid = [(keep, 6, 8) for keep in (0.0, 0.65, 0.75, 0.8, 0.83, 0.9)]
        grid += list(itertools.product([soft_merge.KEEP_MIN_CONFIDENCE], [4, 6, 10], [8, 12, 20]))
        settings += [(keep, mz, me, kinds0) for keep, mz, me in grid if (keep, mz, me) != settings[0][:3]]
    if a.trial_kinds:
        import re
        for name, (zp, ep) in TRIAL_KINDS.items():
            soft._ZH_PATTERNS[name], soft._EN_PATTERNS[name] = re.compile(zp), re.compile(ep)
        settings += [(soft_merge.KEEP_MIN_CONFIDENCE, soft.MIN_PIECE["zh"], soft.MIN_PIECE["en"], kinds0 | {k})
                     for k in ("semicolon", *TRIAL_KINDS)]
    defaults = (soft_merge.KEEP_MIN_CONFIDENCE, dict(soft.MIN_PIECE))
    for keep, mz, me, kinds in settings:
        soft_merge.KEEP_MIN_CONFIDENCE = keep
        soft.MIN_PIECE.update(zh=mz, en=me)
        soft.SOFT_KINDS = kinds
        f1, rows, per = run(al, items)
        lo, hi, p = paired(base_rows, rows, a.bootstrap)
        print(f"{'+'.join(sorted(kinds)):22} conf>={keep:4.2f} min zh {mz:2d} en {me:2d}: F1 {f1:.4f} "
              f"(diff {f1 - base:+.4f}, paired 95% "
              f"[{lo:+.4f}, {hi:+.4f}], P(diff<=0) {p:.3f})  " + " ".join(f"{k} {v:.3f}" for k, v in per.items()),
              flush=True)
        gained = sum(1 for x, y in zip(base_rows, rows) if y[4] > x[4])
        lost = sum(1 for x, y in zip(base_rows, rows) if y[4] < x[4])
        print(f"    gold beads found (strict) against soft off: {gained} gained, {lost} lost", flush=True)
        saved.setdefault("on", rows)
        if other is not None:
            assert len(other) == len(rows), "the other checkout scored other gold beads"
            lo, hi, p = paired(other, rows, a.bootstrap)
            print(f"    against --against's off run: F1 {_f1_rows(other):.4f} -> {f1:.4f}, paired 95% [{lo:+.4f}, "
                  f"{hi:+.4f}], P(diff<=0) {p:.3f}", flush=True)
    if a.save_rows:
        Path(a.save_rows).write_text(json.dumps(saved))
    soft_merge.KEEP_MIN_CONFIDENCE, _ = defaults
    soft.SOFT_KINDS = kinds0
    soft.MIN_PIECE.update(defaults[1])
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"CPU {time.process_time() - c0:.1f} s, peak RSS {rss:.0f} MB")


if __name__ == "__main__":
    main()
