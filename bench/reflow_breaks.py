"""Line breaks of `pdftotext` output against the gold: which real paragraph ends the text reader joins and which
layout wraps it keeps, per rendering of a generated corpus (bench/make_doc_corpus.py).

    .venv/bin/python bench/reflow_breaks.py [--generated tests/data/docs] [--only NAME,...] [--show N]

Every line of a ``NAME.*.pdftotext.txt`` is placed in the gold (``NAME.gold.{zh,en}.txt``, one unit a line) by
the benchmark's monotone character match (:func:`aligner.evaluate_docs.monotone_match`); a line holding no gold
character (running header, page number, footnote) is left out.  Between two consecutive placed lines the break
is *hard* when they belong to different gold units.  The reader (:func:`aligner.read.text.read_txt`, the one
``aligner align`` uses for a .txt) predicts a hard break when the lines end up in different blocks.  Columns:
``breaks`` (pairs of consecutive placed lines), ``joined`` (a gold boundary inside one block: two units merged),
``cut`` (a block boundary inside a gold unit), ``heads`` (gold heading/title/article units that are exactly one
block of kind ``heading`` or ``signature``; lines the reader set aside as furniture or notes are not judged) — a cheap check of the reflow alone, no alignment.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from aligner.evaluate_docs import monotone_match, normalise  # noqa: E402
from aligner.read.text import read_txt  # noqa: E402
from aligner.segment import layout  # noqa: E402

HEAD_KINDS = ("heading", "title", "article")


def line_units(text: str, gold_units: list[str]) -> dict[int, int]:
    """Line id -> gold unit holding most of the line's non-space characters (lines holding none left out)."""
    gchars, owner = [], []
    for u, t in enumerate(gold_units):
        s, _ = normalise(t)
        gchars.append(s)
        owner += [u] * len(s)
    doc = "".join(gchars)
    out, pos = normalise(text)
    match = monotone_match(out, doc)
    lines = layout._lines(text)
    starts = [ln.start for ln in lines]
    votes: dict[int, dict[int, int]] = {}
    k = 0
    for i, q in enumerate(match):
        if q < 0:
            continue
        p = pos[i]
        while k + 1 < len(starts) and starts[k + 1] <= p:
            k += 1
        d = votes.setdefault(lines[k].idx, {})
        d[owner[q]] = d.get(owner[q], 0) + 1
    return {li: max(d, key=d.get) for li, d in votes.items()}


def check(path: Path, lang: str, gold_units: list[str], kinds: list[str]) -> dict:
    text = path.read_text(encoding="utf-8")
    t0 = time.process_time()
    doc = read_txt(path, lang)
    cpu = time.process_time() - t0
    unit_of = line_units(text, gold_units)
    block_of = {}
    for bi, b in enumerate(doc.blocks):
        for li in b.lines:
            block_of[li] = bi
    # lines the reader set aside (running heads, page numbers, notes) are not judged here: bench_docs.py counts
    # gold text lost that way
    aside = {li for b in doc.blocks if b.kind in ("furniture", "note") for li in b.lines}
    unit_of = {li: u for li, u in unit_of.items() if li not in aside}
    placed = sorted(unit_of)
    joined, cut = [], []
    for a, b in zip(placed, placed[1:]):
        ua, ub = unit_of[a], unit_of[b]
        same_block = block_of.get(a, -1) == block_of.get(b, -2)
        if ua != ub and same_block:
            joined.append((a, b))
        elif ua == ub and not same_block:
            cut.append((a, b))
    # headings: a gold heading unit whose lines are exactly one block of kind heading, holding no other unit
    lines_of_unit: dict[int, list[int]] = {}
    for li, u in unit_of.items():
        lines_of_unit.setdefault(u, []).append(li)
    units_of_block: dict[int, set[int]] = {}
    for li, u in unit_of.items():
        units_of_block.setdefault(block_of.get(li, -1), set()).add(u)
    heads = [u for u, k in enumerate(kinds) if k in HEAD_KINDS and gold_units[u].strip()]
    ok = 0
    bad_heads = []
    for u in heads:
        bs = {block_of.get(li, -1) for li in lines_of_unit.get(u, [])}
        if len(bs) == 1:
            bi = next(iter(bs))
            if bi >= 0 and units_of_block.get(bi) == {u} and doc.blocks[bi].kind in ("heading", "signature"):
                ok += 1
                continue
        bad_heads.append(u)
    tl = text.split("\n")
    return {"breaks": max(0, len(placed) - 1), "joined": joined, "cut": cut, "heads": (ok, len(heads)),
            "bad_heads": bad_heads, "lines": tl, "doc": doc, "block_of": block_of, "cpu": cpu}


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--generated", default=str(ROOT / "tests" / "data" / "docs"))
    ap.add_argument("--only", default="", help="comma-separated rendering names (NAME.a4.pdftotext ...)")
    ap.add_argument("--show", type=int, default=0, help="print up to N errors of each kind per file")
    ap.add_argument("--json", help="write the counts here")
    a = ap.parse_args(argv)
    root = Path(a.generated)
    only = set(x for x in a.only.split(",") if x)
    rows = []
    print(f"{'file':48} {'breaks':>6} {'joined':>6} {'cut':>4} {'heads':>9} {'cpu s':>6}")
    tot = [0, 0, 0, 0, 0]
    for item in json.loads((root / "manifest.json").read_text(encoding="utf-8")):
        gold = {lang: (root / item["gold"][k]).read_text(encoding="utf-8").split("\n")
                for lang, k in (("zh", "src"), ("en", "tgt"))}
        for r in item["renderings"]:
            if not r["name"].endswith(".pdftotext") or (only and r["name"] not in only):
                continue
            for lang, k in (("zh", "src"), ("en", "tgt")):
                res = check(root / r[k], lang, gold[lang], item["kinds"])
                h = res["heads"]
                name = r[k]
                print(f"{name:48} {res['breaks']:6d} {len(res['joined']):6d} {len(res['cut']):4d} "
                      f"{h[0]:4d}/{h[1]:<4d} {res['cpu']:6.2f}")
                rows.append({"file": name, "breaks": res["breaks"], "joined": len(res["joined"]),
                             "cut": len(res["cut"]), "heads": list(h)})
                for t, v in zip(range(5), (res["breaks"], len(res["joined"]), len(res["cut"]), h[0], h[1])):
                    tot[t] += v
                if a.show:
                    L = res["lines"]
                    for what in ("joined", "cut"):
                        for x, y in res[what][:a.show]:
                            print(f"    {what:6} {x + 1}: {L[x][:60]!r} | {L[y][:60]!r}")
                    for u in res["bad_heads"][:a.show]:
                        print(f"    head   unit {u}: {gold[lang][u][:70]!r}")
    print(f"{'TOTAL':48} {tot[0]:6d} {tot[1]:6d} {tot[2]:4d} {tot[3]:4d}/{tot[4]:<4d}")
    if a.json:
        Path(a.json).write_text(json.dumps({"rows": rows, "total": tot}, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
