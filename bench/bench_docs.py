"""Whole-document benchmark: align raw document pairs and project the output beads onto gold units.

    .venv/bin/python bench/bench_docs.py [--sets docs-dev,mac-txt,un-letter,generated] [--only NAME,...]
                                         [--via lib|cli] [--json OUT.json] [--bootstrap 1000]
                                         [--keep-rows] [--paired-with OTHER.json]

Sets (each document pair is aligned from its raw files, never from the gold units):

* ``docs-dev``: ``../shared/data/docs-dev/NAME/doc.{zh,en}.txt`` against ``gold.spans.tsv`` (paragraph gold, partial:
  only gold pairs are scored; rows of kind ``code``/``fm`` are left out by default, ``--skip-kinds``);
* ``mac-txt``: mac-dev running text ``NNN.{zh,en}.txt`` against the sentence gold ``NNN.align`` over
  ``NNN.zh``/``NNN.en`` (the gold sentences are located in the running text);
* ``un-letter``: ``examples/un-letter.{zh,en}.txt``, paragraph n ↔ paragraph n (53 pairs, see examples/README.md);
* ``generated``: the rendered corpus in ``tests/data/docs/`` (``bench/make_doc_corpus.py``): each rendering (PDF,
  DOCX, and their ``pdftotext`` extractions) against the gold of the text it was rendered from;
* ``web`` (not in the default list): the HTML page pairs with web debris in ``tests/data/web/``
  (``bench/make_web_pages.py``), same manifest form and checks as ``generated``.

Scoring: :mod:`aligner.evaluate_docs` (character projection, strict/lax P/R/F1 as shared/bench/score_align.py,
mid-sentence cuts are errors).  ``--bootstrap N`` adds 95 % intervals for each set's strict F1 (resampling gold
beads, with the output beads attributed to them).  ``--json X --keep-rows`` keeps the per-gold-bead rows in X;
``--paired-with X`` (X from another run, e.g. of an export of main, over the same documents) prints each set's
paired bootstrap of the difference (the same gold beads resampled for both runs).  Wall times are on a shared,
loaded machine.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from aligner.evaluate import scores_from_counts  # noqa: E402
from aligner.evaluate_docs import GoldDoc, line_offsets, locate_units, normalise, project  # noqa: E402

SHARED = ROOT.parent / "shared" / "data"
GENERATED = ROOT / "tests" / "data" / "docs"
WEB = ROOT / "tests" / "data" / "web"


# ----------------------------------------------------------------------------------------------------- gold sets

def docs_dev(root: Path, skip_kinds: set[str]) -> list[dict]:
    out = []
    for d in sorted(p for p in root.iterdir() if (p / "gold.spans.tsv").exists()):
        zh, en = (d / "doc.zh.txt").read_text(encoding="utf-8"), (d / "doc.en.txt").read_text(encoding="utf-8")
        lz, le = line_offsets(zh), line_offsets(en)
        su, tu, beads, kinds = [], [], [], []
        for row in (d / "gold.spans.tsv").read_text(encoding="utf-8").splitlines()[1:]:
            a, b, c, e, kind = row.split("\t")
            if kind in skip_kinds:
                continue
            r = len(beads)
            su.append(_span(zh, lz, int(a), int(b)))
            tu.append(_span(en, le, int(c), int(e)))
            beads.append(((r,), (r,)))
            kinds.append(kind)
        g = GoldDoc(d.name, zh, en, su, tu, beads, kinds)
        out.append({"set": "docs-dev", "gold": g, "src": d / "doc.zh.txt", "tgt": d / "doc.en.txt"})
    return out


def _span(text: str, offs: list[int], first: int, last: int) -> tuple[int, int]:
    s = offs[first - 1]
    e = offs[last] if last < len(offs) else len(text)
    while e > s and text[e - 1] in "\r\n":
        e -= 1
    return s, e


def mac_txt(root: Path) -> list[dict]:
    from aligner.formats.align_file import read_align
    out = []
    for a in sorted(root.glob("*.align")):
        n = a.stem
        zh, en = (root / f"{n}.zh.txt").read_text(encoding="utf-8"), (root / f"{n}.en.txt").read_text(encoding="utf-8")
        zs = (root / f"{n}.zh").read_text(encoding="utf-8").splitlines()
        es = (root / f"{n}.en").read_text(encoding="utf-8").splitlines()
        g = GoldDoc(n, zh, en, locate_units(zh, zs), locate_units(en, es), read_align(a))
        out.append({"set": "mac-txt", "gold": g, "src": root / f"{n}.zh.txt", "tgt": root / f"{n}.en.txt"})
    return out


def paragraph_pair(name: str, set_name: str, src: Path, tgt: Path, gold_src: Path | None = None,
                   gold_tgt: Path | None = None) -> dict:
    """A pair whose gold is 'paragraph n <-> paragraph n' (blank-line separated) of ``gold_*`` (default: the files)."""
    zs, es = (gold_src or src).read_text(encoding="utf-8"), (gold_tgt or tgt).read_text(encoding="utf-8")
    zp, ep = _paragraphs(zs), _paragraphs(es)
    if len(zp) != len(ep):
        raise SystemExit(f"{name}: {len(zp)} vs {len(ep)} paragraphs: not a paragraph-parallel pair")
    g = GoldDoc(name, zs, es, zp, ep, [((r,), (r,)) for r in range(len(zp))])
    return {"set": set_name, "gold": g, "src": src, "tgt": tgt}


def _paragraphs(text: str) -> list[tuple[int, int]]:
    out, start, pos = [], None, 0
    for line in text.splitlines(keepends=True):
        if line.strip():
            if start is None:
                start = pos + len(line) - len(line.lstrip())
            end = pos + len(line.rstrip())
        elif start is not None:
            out.append((start, end))
            start = None
        pos += len(line)
    if start is not None:
        out.append((start, end))
    return out


def generated(root: Path, set_name: str = "generated", skip_kinds: frozenset[str] = frozenset()) -> list[dict]:
    """The rendered corpus: ``manifest.json`` lists each rendering with the gold file it was made from; each text is
    also aligned from its gold units pre-split (one unit a line), the baseline the renderings are compared with.
    Gold units whose manifest kind is in ``skip_kinds`` (``code``: program code, set aside by the readers) are left
    out, as in docs-dev."""
    man = root / "manifest.json"
    if not man.exists():
        return []
    out = []
    for item in json.loads(man.read_text(encoding="utf-8")):
        gold = item["gold"]   # {"src": path, "tgt": path, "kind": "units"}: line n <-> line n
        gs, gt = root / gold["src"], root / gold["tgt"]
        checks = {"kinds": item["kinds"], "furniture": item["furniture"], "notes": item["notes"]}
        out.append({"set": set_name, "gold": _units_gold(item["name"] + ".presplit", gs, gt, item["kinds"], skip_kinds),
                    "src": gs, "tgt": gt, "pre_split": True, "checks": checks, "base": item["name"]})
        for r in item["renderings"]:   # {"name", "src", "tgt"}
            src, tgt = root / r["src"], root / r["tgt"]
            if src.exists() and tgt.exists():
                out.append({"set": set_name, "gold": _units_gold(r["name"], gs, gt, item["kinds"], skip_kinds), "src": src,
                            "tgt": tgt, "checks": checks, "base": item["name"]})
    return out


def _units_gold(name: str, src: Path, tgt: Path, kinds: list[str] | None = None,
                skip_kinds: frozenset[str] = frozenset()) -> GoldDoc:
    """Gold written as one unit per line on both sides (line n <-> line n)."""
    zs, es = src.read_text(encoding="utf-8"), tgt.read_text(encoding="utf-8")
    zl, el = zs.split("\n"), es.split("\n")
    if zs.endswith("\n"):
        zl, el = zl[:-1], el[:-1]
    assert len(zl) == len(el), name
    su, tu, p, q = [], [], 0, 0
    for a, b in zip(zl, el):
        su.append((p, p + len(a)))
        tu.append((q, q + len(b)))
        p, q = p + len(a) + 1, q + len(b) + 1
    keep = [r for r in range(len(zl)) if zl[r].strip() and el[r].strip()
            and not (kinds and kinds[r] in skip_kinds)]
    return GoldDoc(name, zs, es, [su[r] for r in keep], [tu[r] for r in keep],
                   [((k,), (k,)) for k in range(len(keep))], [kinds[r] for r in keep] if kinds else [])


class Runner:
    def __init__(self, via: str, quality: str, structure: bool = True, aligner_path: str | None = None,
                 unit: str = "sentence"):
        self.via, self.quality, self._al, self.structure = via, quality, None, structure
        self.aligner_path, self.unit = aligner_path, unit

    def beads(self, src: Path, tgt: Path, pre_split: bool = False) -> tuple[list[str], list[str], dict]:
        """(source texts, target texts) of the output beads in order, and the timings."""
        if self.via == "lib":
            if self._al is None:
                from aligner.api import Aligner
                self._al = Aligner(quality=self.quality)
                self._al.structure = self.structure
            t0, c0 = time.perf_counter(), time.process_time()
            if pre_split:
                al = self._al.align(src.read_text(encoding="utf-8"), tgt.read_text(encoding="utf-8"), pre_split=True)
            elif hasattr(self._al, "align_files"):   # the readers (any format)
                al = self._al.align_files(src, tgt)
            elif src.suffix == tgt.suffix == ".txt":
                al = self._al.align(src.read_text(encoding="utf-8"), tgt.read_text(encoding="utf-8"))
            else:
                raise RuntimeError(f"{src.suffix}/{tgt.suffix}: this version reads text files only")
            if self.unit == "paragraph" and not pre_split:
                al = al.by_paragraph()
            tim = {"wall": time.perf_counter() - t0, "cpu": time.process_time() - c0,
                   **al.stats.get("timings", {})}
            return [b.src_text for b in al.beads], [b.tgt_text for b in al.beads], tim
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "out.jsonl"
            cmd = [sys.executable, "-m", "aligner.cli", "align", str(src), str(tgt), "-o", str(out), "-q",
                   "--quality", self.quality] + (["--pre-split"] if pre_split else
                                                 ["--unit", self.unit] if self.unit != "sentence" else [])
            t0 = time.perf_counter()
            r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
            env = None
            if self.aligner_path:   # another version of the toolkit (e.g. an export of main) aligns
                import os
                env = {**os.environ, "PYTHONPATH": self.aligner_path}
            p = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=self.aligner_path or None)
            r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
            if p.returncode != 0:
                raise RuntimeError(f"{' '.join(cmd)}: exit {p.returncode}: {p.stderr.strip()[-300:]}")
            rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines() if line.strip()]
            tim = {"wall": time.perf_counter() - t0,
                   "cpu": (r1.ru_utime + r1.ru_stime) - (r0.ru_utime + r0.ru_stime)}
            return [r["src_text"] for r in rows], [r["tgt_text"] for r in rows], tim


# ----------------------------------------------------------------------------------------------------- scoring

def per_gold_bead(proj) -> list[list[int]]:
    """Per gold bead: [auto beads attributed, strict tp among them, lax tp among them, counted for recall,
    strict recall hit, lax recall hit]: sums reproduce :func:`aligner.evaluate.doc_counts`."""
    gold = [b for b in proj.gold]
    owner = {}
    for r, (s, t) in enumerate(gold):
        for u in s:
            owner[("s", u)] = r
        for u in t:
            owner.setdefault(("t", u), r)
    ref = {b for b in gold if b[0] or b[1]}
    reach = {}
    for s, t in ref:
        for u in s:
            reach.setdefault(u, set()).update(t)
    rows = [[0] * 6 for _ in gold]
    hyp = {b for b in proj.auto if b[0] or b[1]}
    for s, t in hyp:
        ids = [("s", u) for u in s if u >= 0] + [("t", u) for u in t if u >= 0]
        r = min((owner[k] for k in ids if k in owner), default=None)
        if r is None:
            continue
        rows[r][0] += 1
        if (s, t) in ref:
            rows[r][1] += 1
            rows[r][2] += 1
        elif set().union(*(reach.get(u, set()) for u in s)).intersection(t):
            rows[r][2] += 1
    both_auto = [b for b in hyp if b[0] and b[1]]
    auto_set = set(both_auto)
    reach_a = {}
    for s, t in both_auto:
        for u in s:
            reach_a.setdefault(u, set()).update(t)
    for r, (s, t) in enumerate(gold):
        if s and t:
            rows[r][3] = 1
            rows[r][4] = int((s, t) in auto_set)
            rows[r][5] = int((s, t) in auto_set or bool(set().union(*(reach_a.get(u, set()) for u in s))
                                                         .intersection(t)))
    return rows


HEADING_KINDS = ("title", "heading", "article")
#: a body bead holding this many letters more than its gold units holds debris (a gold unit cut by the projection
#: loses a letter or two at most; a menu word is 2+)
GLUED_LETTERS = 2
#: page numbers a footer prints; "第 7 页" with or without spaces (LibreOffice spaces digits from Chinese: a citation
#: "第7页" in the gold is "第 7 页" in the PDF's text, and is counted on both sides)
PAGE_NUMBER = re.compile(r"—\s*\d+\s*—|\bPage \d+\b|第\s*\d+\s*页")


def _checks(pr, g: GoldDoc, checks: dict, src_b: list[str], tgt_b: list[str]) -> dict:
    """Generated corpus: headings that are their own bead, and beads holding gold text plus furniture/notes."""
    heads = [r for r, k in enumerate(g.kinds) if k in HEADING_KINDS]
    alone = sum(pr.alone(r) for r in heads)
    marks = []
    for lang in ("zh", "en"):
        marks += [normalise(f)[0] for f in checks["furniture"].get(lang, [])]
        marks += [normalise(n)[0][:16] for n in checks["notes"].get(lang, [])]
    bad = pairs = glued = 0
    for b, (su, tu) in enumerate(pr.bead_units):
        if not (su or tu):
            # no gold unit on either side: text the gold leaves out (web debris, captions) paired when both sides
            # hold some, a clean 1-0/0-1 bead otherwise
            pairs += bool(src_b[b].strip() and tgt_b[b].strip())
            continue
        # a mark inside the gold units the bead holds (a title that is also the running header) does not count
        inside = "\n".join(normalise(g.src_text[slice(*g.src_units[u])])[0] for u in su) + "\n" + \
            "\n".join(normalise(g.tgt_text[slice(*g.tgt_units[u])])[0] for u in tu)
        txt = normalise(src_b[b])[0] + "\n" + normalise(tgt_b[b])[0]
        raw = src_b[b] + "\n" + tgt_b[b]
        held = "".join(g.src_text[slice(*g.src_units[u])] for u in su) + "".join(
            g.tgt_text[slice(*g.tgt_units[u])] for u in tu)
        # letters beyond the gold units held: debris glued to a body bead
        glued += sum(c.isalnum() for c in raw) - sum(c.isalnum() for c in held) >= GLUED_LETTERS
        if any(m and txt.count(m) > inside.count(m) for m in marks) or \
                len(PAGE_NUMBER.findall(raw)) > len(PAGE_NUMBER.findall(held)):
            bad += 1
    return {"headings": len(heads), "headings_alone": alone, "furniture_in_body": bad, "debris_pairs": pairs,
            "debris_glued": glued}


def _f1_rows(rows) -> float:
    n, tp, rc, rtp = (sum(r[k] for r in rows) for k in (0, 1, 3, 4))
    p, r = (tp / n if n else 0.0), (rtp / rc if rc else 0.0)
    return 2 * p * r / (p + r) if p + r else 0.0


def paired_bootstrap(rows_a: list[list[int]], rows_b: list[list[int]], n: int,
                     seed: int = 0) -> tuple[float, float, float]:
    """Paired bootstrap of strict F1 (b minus a) over the same gold beads: the 95 % interval and P(diff <= 0)."""
    rnd = random.Random(seed)
    diffs = []
    for _ in range(n):
        idx = [rnd.randrange(len(rows_a)) for _ in rows_a]
        diffs.append(_f1_rows([rows_b[i] for i in idx]) - _f1_rows([rows_a[i] for i in idx]))
    diffs.sort()
    return diffs[int(0.025 * n)], diffs[min(n - 1, int(0.975 * n))], sum(d <= 0 for d in diffs) / n


def bootstrap(rows: list[list[int]], n: int, seed: int = 0) -> tuple[float, float]:
    rnd = random.Random(seed)
    vals = sorted(_f1_rows([rows[rnd.randrange(len(rows))] for _ in rows]) for _ in range(n))
    return vals[int(0.025 * n)], vals[min(n - 1, int(0.975 * n))]


def paired_report(results: list[dict], other: dict, n: int, seed: int = 0) -> None:
    """Per set: F1 of ``other`` (an earlier run's JSON with rows) and of ``results``, and the 95 % interval of the
    difference when the same gold beads are resampled for both (documents matched by set and name)."""
    theirs = {(d["set"], d["name"]): d.get("rows") for d in other["documents"]}
    for s in dict.fromkeys(r["set"] for r in results):
        pairs = [(theirs.get((s, r["name"])), r["rows"]) for r in results if r["set"] == s and "rows" in r]
        if not pairs or any(a is None or len(a) != len(b) for a, b in pairs):
            print(f"{s:10} paired: the other run has no rows for every document of this set (--keep-rows)")
            continue
        ra = [row for a, _ in pairs for row in a]
        rb = [row for _, b in pairs for row in b]
        lo, hi, p_le0 = paired_bootstrap(ra, rb, n, seed)
        print(f"{s:10} paired with {len(pairs)} documents of the other run: F1 {_f1_rows(ra):.4f} -> {_f1_rows(rb):.4f}"
              f" ({_f1_rows(rb) - _f1_rows(ra):+.4f}), 95% [{lo:+.4f}, {hi:+.4f}], P(diff <= 0) {p_le0:.3f}")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sets", default="docs-dev,mac-txt,un-letter,generated")
    ap.add_argument("--only", help="comma-separated document names")
    ap.add_argument("--docs-dev", default=str(SHARED / "docs-dev"))
    ap.add_argument("--mac-dev", default=str(SHARED / "mac-dev"))
    ap.add_argument("--generated", default=str(GENERATED))
    ap.add_argument("--web", default=str(WEB), help="the web pages of bench/make_web_pages.py (set 'web')")
    ap.add_argument("--skip-kinds", default="code,fm", help="docs-dev (and generated) gold rows left out (not prose)")
    ap.add_argument("--via", choices=["lib", "cli"], default="lib", help="align .txt pairs in-process or via the CLI")
    ap.add_argument("--quality", default="default")
    ap.add_argument("--bootstrap", type=int, default=0)
    ap.add_argument("--unit", choices=["sentence", "paragraph"], default="sentence",
                    help="output beads as sentences (default) or paragraph units (Alignment.by_paragraph; pre-split "
                         "baselines stay sentences)")
    ap.add_argument("--no-structure", action="store_true", help="switch the structure terms off (--via lib only)")
    ap.add_argument("--aligner-path", help="--via cli: run the CLI of the toolkit at this path (e.g. an export of "
                                           "main: git archive main | tar -x -C /tmp/main-src)")
    ap.add_argument("--json", help="write the results as JSON here")
    ap.add_argument("--keep-rows", action="store_true", help="--json: keep the per-gold-bead rows (for --paired-with)")
    ap.add_argument("--paired-with", help="a --json --keep-rows file of another run (e.g. of main) over the same "
                                          "documents: print each set's paired bootstrap of this run minus that one")
    a = ap.parse_args(argv)
    sets = a.sets.split(",")
    items = []
    if "docs-dev" in sets:
        items += docs_dev(Path(a.docs_dev), set(filter(None, a.skip_kinds.split(","))))
    if "mac-txt" in sets:
        items += mac_txt(Path(a.mac_dev))
    if "un-letter" in sets:
        ex = ROOT / "examples"
        items.append(paragraph_pair("un-letter", "un-letter", ex / "un-letter.zh.txt", ex / "un-letter.en.txt"))
    if "generated" in sets:
        items += generated(Path(a.generated), skip_kinds=frozenset(a.skip_kinds.split(",")))
    if "web" in sets:
        items += generated(Path(a.web), "web")
    if a.only:
        keep = set(a.only.split(","))
        items = [it for it in items if it["gold"].name in keep]
    runner = Runner(a.via, a.quality, structure=not a.no_structure, aligner_path=a.aligner_path, unit=a.unit)
    results = []
    print(f"{'set':10} {'document':36} {'gold':>5} {'P':>6} {'R':>6} {'F1':>6} {'laxF1':>6} {'cut':>4} {'lost':>4} "
          f"{'merg':>4} {'wall s':>7} {'cpu s':>7} {'F1fine':>6}")
    for it in items:
        g = it["gold"]
        try:
            src_b, tgt_b, tim = runner.beads(it["src"], it["tgt"], it.get("pre_split", False))
        except RuntimeError as exc:
            print(f"{it['set']:10} {g.name:36} FAILED: {exc}")
            results.append({"set": it["set"], "name": g.name, "error": str(exc)})
            continue
        pr = project(g, src_b, tgt_b)
        # the same beads with finer beads inside one gold pair merged first (a finer alignment forgiven)
        fine = scores_from_counts(project(g, src_b, tgt_b, merge_inside=True).counts)["F1_strict"]
        sc = scores_from_counts(pr.counts)
        rows = per_gold_bead(pr)
        assert [sum(r[k] for r in rows) for k in (0, 1, 4)] == [pr.counts[0] + pr.counts[1], pr.counts[0],
                                                                pr.counts[4]], g.name
        extra = _checks(pr, g, it["checks"], src_b, tgt_b) if "checks" in it else {}
        results.append({"set": it["set"], "name": g.name, **extra, "scores": sc, "F1_strict_fine": fine,
                        "counts": pr.counts, "cut": pr.cut,
                        "lost": pr.lost, "merged": pr.merged_rows, "debris_chars": pr.debris_chars,
                        "unmatched_chars": pr.unmatched_chars, "out_beads": pr.n_out_beads, "timings": tim,
                        "rows": rows})
        print(f"{it['set']:10} {g.name[:36]:36} {len(g.beads):5d} {sc['P_strict']:6.3f} {sc['R_strict']:6.3f} "
              f"{sc['F1_strict']:6.3f} {sc['F1_lax']:6.3f} {pr.cut:4d} {pr.lost:4d} {pr.merged_rows:4d} "
              f"{tim['wall']:7.1f} {tim['cpu']:7.1f} {fine:6.3f}"
              + (f"  headings alone {extra['headings_alone']}/{extra['headings']}, furniture/notes in body beads "
                 f"{extra['furniture_in_body']}, debris pairs {extra['debris_pairs']}, debris glued "
                 f"{extra['debris_glued']}" if extra else ""), flush=True)
    summary = {}
    for s in dict.fromkeys(r["set"] for r in results):
        ok = [r for r in results if r["set"] == s and "counts" in r]
        if not ok:
            continue
        tot = [sum(r["counts"][k] for r in ok) for k in range(8)]
        sc = scores_from_counts(tot)
        entry = {"scores": sc, "docs": len(ok), "mean_doc_F1_strict": sum(r["scores"]["F1_strict"] for r in ok) / len(ok),
                 "cut": sum(r["cut"] for r in ok), "lost": sum(r["lost"] for r in ok),
                 "wall": sum(r["timings"]["wall"] for r in ok), "cpu": sum(r["timings"]["cpu"] for r in ok)}
        line = (f"{s:10} {'OVERALL (micro)':36} {sc['n_gold']:5d} {sc['P_strict']:6.3f} {sc['R_strict']:6.3f} "
                f"{sc['F1_strict']:6.3f} {sc['F1_lax']:6.3f} {entry['cut']:4d} {entry['lost']:4d} {'':4} "
                f"{entry['wall']:7.1f} {entry['cpu']:7.1f}")
        if a.bootstrap:
            lo, hi = bootstrap([row for r in ok for row in r["rows"]], a.bootstrap)
            entry["F1_strict_95ci"] = [lo, hi]
            line += f"  95% CI [{lo:.3f}, {hi:.3f}]"
        summary[s] = entry
        print(line)
    if a.paired_with:
        paired_report(results, json.loads(Path(a.paired_with).read_text(encoding="utf-8")), a.bootstrap or 1000)
    print(f"peak memory (ru_maxrss): {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB (this process)")
    if a.json:
        for r in results:
            if not a.keep_rows:
                r.pop("rows", None)
        Path(a.json).write_text(json.dumps({"documents": results, "sets": summary}, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
