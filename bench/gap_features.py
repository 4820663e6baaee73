"""Two-sided gaps: what separates a real block pair from two unrelated blocks that sit in the same gap?

    .venv/bin/python bench/gap_features.py [--json out/gap_features.json] [--sets docs-dev,un-letter,mac-txt,generated,web]

For every paired bead of the block DP (aligner.align.orphans.block_path) of every document, the evidence the pair
has beyond its cosine (``pair_evidence`` below).  Documents: the bench_docs sets (unedited documents: their block
pairs count as real; the few that look like gaps are listed by name so they can be read) and bench_orphans.py's
two-sided-gap case (pairs labelled by the paragraph each sentence comes from: ``debris`` when both sides are
inserted debris, ``real`` when both come from one paragraph pair, ``mixed`` otherwise).  Prints, per population,
the distributions, with ``rel`` (the bead's cosine over its document's 10th percentile of informative 1-1
pair cosines: what orphans.GAP_PAIR_SHARE bounds), and names every bead under rel 0.5.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from types import SimpleNamespace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import bench_docs  # noqa: E402
import bench_orphans  # noqa: E402
from aligner.align import orphans, pipeline  # noqa: E402
from aligner.api import Aligner  # noqa: E402

CAPTURED: list[dict] = []


def _capture():
    orig_find, orig_without = orphans.find_orphans, pipeline._align_without_orphans

    def without(src, tgt, *a, **k):
        CAPTURED.append({"src": src, "tgt": tgt})
        return orig_without(src, tgt, *a, **k)

    def find(X, Y, lx, ly, st):
        res = orig_find(X, Y, lx, ly, st)
        CAPTURED[-1]["evidence"] = pair_evidence_all(X, Y, lx, ly, st)
        return res

    orphans.find_orphans, pipeline._align_without_orphans = find, without


def _bead_vector(side: orphans.Blocks, lengths: np.ndarray, b0: int, b1: int) -> np.ndarray:
    sel = (side.ids >= b0) & (side.ids < b1)
    v = (side.E[sel] * lengths[sel, None]).sum(axis=0)
    return v / max(float(np.linalg.norm(v)), 1e-9)


def pair_evidence(bx: orphans.Blocks, by: orphans.Blocks, lx: np.ndarray, ly: np.ndarray, bead, unique=None) -> dict:
    """What a paired block bead ``(i0, i1, j0, j1)`` has beyond its cosine: ``dominance`` (its cosine less the best
    cosine of either side with any other block of the other side within ``orphans.NEIGHBOURS``), ``sent_share`` (of the
    bead's sentences, the smaller share, over the two sides, whose best sentence among the other side's window lies
    inside the bead), the block lengths in median sentences (``units_min``) and their ratio (``ratio`` >= 1)."""
    i0, i1, j0, j1 = bead[:4]
    a, b = _bead_vector(bx, lx, i0, i1), _bead_vector(by, ly, j0, j1)
    cos = float(a @ b)
    margin = cos - float((bx.back[i0:i1].mean() + by.back[j0:j1].mean()) / 2)
    ylo, yhi = max(0, j0 - orphans.NEIGHBOURS), min(len(by.B), j1 + orphans.NEIGHBOURS)
    xlo, xhi = max(0, i0 - orphans.NEIGHBOURS), min(len(bx.B), i1 + orphans.NEIGHBOURS)
    oy = [j for j in range(ylo, yhi) if not j0 <= j < j1]
    ox = [i for i in range(xlo, xhi) if not i0 <= i < i1]
    best = max([float(a @ by.B[j]) for j in oy] + [float(bx.B[i] @ b) for i in ox] + [-1.0])
    shares = []
    for mine, theirs, m0, m1, t0, t1, tlo, thi in ((bx, by, i0, i1, j0, j1, ylo, yhi),
                                                    (by, bx, j0, j1, i0, i1, xlo, xhi)):
        ms = np.nonzero((mine.ids >= m0) & (mine.ids < m1))[0]
        ts = np.nonzero((theirs.ids >= tlo) & (theirs.ids < thi))[0]
        hit = theirs.ids[ts[np.argmax(mine.E[ms] @ theirs.E[ts].T, axis=1)]]
        shares.append(float(((hit >= t0) & (hit < t1)).mean()))
    ux, uy = float(bx.units[i0:i1].sum()), float(by.units[j0:j1].sum())
    if unique is None:
        unique = orphans._unique_classes((bx.cls, bx.num), (by.cls, by.num))
    sx = orphans._sure(bx, by, i0, i1, ylo, yhi, np.ones(len(by.B), bool), orphans.ORPHAN_MAX, unique)
    sy = orphans._sure(by, bx, j0, j1, xlo, xhi, np.ones(len(bx.B), bool), orphans.ORPHAN_MAX, unique)
    lab = float(orphans._label_term(bx.cls[i0], bx.num[i0], by.cls[j0], by.num[j0], unique))
    return {"sure": bool(sx.all() and sy.all()), "lab_term": lab, "units_x": ux, "units_y": uy,"bead": [int(i0), int(i1), int(j0), int(j1)], "cos": cos, "margin": margin, "dominance": cos - best,
            "sent_share": min(shares), "units_min": min(ux, uy), "ratio": max(ux, uy) / max(min(ux, uy), 1e-9),
            "sx": np.nonzero((bx.ids >= i0) & (bx.ids < i1))[0].tolist(),
            "sy": np.nonzero((by.ids >= j0) & (by.ids < j1))[0].tolist()}


def pair_evidence_all(X, Y, len_x, len_y, st) -> list[dict]:
    """:func:`pair_evidence` of every paired bead of the block DP (bench/gap_features.py); [] where the pass skips."""
    idx, idy = orphans.block_ids(st.start_x), orphans.block_ids(st.start_y)
    nbx, nby = (int(idx[-1]) + 1 if len(X) else 0), (int(idy[-1]) + 1 if len(Y) else 0)
    if min(nbx, nby) < orphans.MIN_BLOCKS:
        return []
    bx = orphans._blocks(X, len_x, idx, nbx, st.cls_x, st.num_x)
    by = orphans._blocks(Y, len_y, idy, nby, st.cls_y, st.num_y)
    half = int(min(orphans.MAX_HALF_WIDTH, max(orphans.BLOCK_HALF_WIDTH, orphans.BAND_SHARE * max(nbx, nby))))
    band = orphans.find_band(bx.B, by.B, half_width=half)
    bx.back, by.back = orphans._background(bx.B, by.B, band)
    lx, ly = np.asarray(len_x, dtype=np.float32), np.asarray(len_y, dtype=np.float32)
    unique = orphans._unique_classes((bx.cls, bx.num), (by.cls, by.num))
    return [pair_evidence(bx, by, lx, ly, p, unique) for p in orphans.block_path(bx, by, band) if p[4] is not None]


def _label(ev, zs, es):
    out = []
    for e in ev:
        a = {zs[i] for i in e["sx"]}
        b = {es[j] for j in e["sy"]}
        out.append("debris" if a == b == {-1} else "real" if len(a | b) == 1 else "mixed")
    return out


def _text(s) -> str:
    return getattr(s, "text", s)


FEATS = ["margin", "cos", "dominance", "sent_share", "units_min", "ratio"]


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--json")
    ap.add_argument("--sets", default="docs-dev,un-letter,mac-txt,generated,web")
    ap.add_argument("--add", help="a --json file of an earlier run over the sets: its rows are reported too")
    a = ap.parse_args(argv)
    _capture()
    al = Aligner()
    rows = []
    sets = a.sets.split(",")
    items = []
    if "docs-dev" in sets:
        items += bench_docs.docs_dev(bench_docs.SHARED / "docs-dev", {"code", "fm"})
    if "mac-txt" in sets:
        items += bench_docs.mac_txt(bench_docs.SHARED / "mac-dev")
    if "un-letter" in sets:
        ex = ROOT / "examples"
        items.append(bench_docs.paragraph_pair("un-letter", "un-letter", ex / "un-letter.zh.txt",
                                               ex / "un-letter.en.txt"))
    if "generated" in sets:
        items += bench_docs.generated(bench_docs.GENERATED)
    if "web" in sets:
        items += bench_docs.generated(bench_docs.WEB, "web")
    for it in items:
        if it.get("pre_split"):
            continue
        CAPTURED.clear()
        al.align_files(it["src"], it["tgt"])
        for c in CAPTURED:
            for e in c.get("evidence", []):
                rows.append({"set": it["set"], "doc": it["gold"].name, "label": "real", **e,
                             "zh": " ".join(_text(c["src"][i]) for i in e["sx"])[:60],
                             "en": " ".join(_text(c["tgt"][j]) for j in e["sy"])[:60]})
        print(f"{it['set']:10} {it['gold'].name:40} {sum(len(c.get('evidence', [])) for c in CAPTURED)} pairs",
              flush=True)
    if a.json and items:
        Path(a.json).write_text(json.dumps(rows, ensure_ascii=False, indent=0))
    with tempfile.TemporaryDirectory() as tmp:
        for name, Z, E, zi, ei in bench_orphans.cases():
            if not name.endswith("two-sided-gap"):
                continue
            zp, ep = Path(tmp) / "a.zh.txt", Path(tmp) / "a.en.txt"
            zp.write_text("\n\n".join(Z) + "\n", encoding="utf-8")
            ep.write_text("\n\n".join(E) + "\n", encoding="utf-8")
            CAPTURED.clear()
            res = al.align_files(zp, ep, src_lang="zh", tgt_lang="en", check_lang=False)
            c = CAPTURED[-1]
            zs = bench_orphans.trace([SimpleNamespace(text=_text(x)) for x in c["src"]], Z, zi)
            es = bench_orphans.trace([SimpleNamespace(text=_text(x)) for x in c["tgt"]], E, ei)
            ev = c["evidence"]
            for e, lab in zip(ev, _label(ev, zs, es)):
                rows.append({"set": "gap-case", "doc": name, "label": lab, **e,
                             "zh": " ".join(_text(c["src"][i]) for i in e["sx"])[:60],
                             "en": " ".join(_text(c["tgt"][j]) for j in e["sy"])[:60]})
            print(f"gap-case   {name:40} {len(ev)} pairs", flush=True)
    if a.json:
        Path(a.json).write_text(json.dumps(rows, ensure_ascii=False, indent=0))
    if a.add:
        rows += json.loads(Path(a.add).read_text())
    report(rows)


def report(rows):
    """Distributions per (set, label), with ``rel``: the bead's cosine over the 10th percentile of the cosines of its
    document's informative 1-1 block pairs (the quantity orphans.GAP_PAIR_SHARE bounds); the rows under 0.5 named."""
    docs = {}
    for r in rows:
        docs.setdefault((r["set"], r["doc"]), []).append(r)
    for rs in docs.values():
        inf = [r["cos"] for r in rs if r["units_min"] >= 1 and r["bead"][1] - r["bead"][0] == 1
               and r["bead"][3] - r["bead"][2] == 1]
        q = float(np.quantile(inf, 0.1)) if len(inf) >= orphans.MIN_PAIRS else None
        for r in rs:
            r["q10"], r["rel"] = q, (r["cos"] / q if q else None)
    for f in ["rel"] + FEATS:
        print(f"\n== {f}")
        for key in sorted({(r["set"], r["label"]) for r in rows}):
            v = np.array([r[f] for r in rows if (r["set"], r["label"]) == key and r[f] is not None], dtype=float)
            if len(v):
                print(f"  {key[0]:10} {key[1]:7} n={len(v):5d}  min {v.min():7.3f}  p1 {np.quantile(v, .01):7.3f}  "
                      f"p5 {np.quantile(v, .05):7.3f}  med {np.median(v):7.3f}  max {v.max():7.3f}")
    print("\n== beads with rel < 0.5")
    for r in sorted((r for r in rows if r["rel"] is not None and r["rel"] < 0.5), key=lambda r: r["rel"]):
        print(f"  {r['set']:10} {r['label']:7} {r['doc'][:34]:34} {r['bead']} rel {r['rel']:.2f} cos {r['cos']:.2f} "
              f"margin {r['margin']:.2f} units {r['units_x']:.2f}/{r['units_y']:.2f} {'sure' if r['sure'] else '    '} "
              f"{r['zh'][:24]} | {r['en'][:30]}")


if __name__ == "__main__":
    main()
