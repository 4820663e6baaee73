"""CPU cost of the orphan block pass (aligner.align.orphans) against the whole alignment, per docs-dev document.

    OMP_NUM_THREADS=1 .venv/bin/python bench/bench_orphan_cost.py [--docs-dev ../shared/data/docs-dev] [--repeat 3]

Each document pair is aligned through ``Aligner.align_files`` ``--repeat`` times (the first run embeds, later ones
read the encoder's memory cache, so their alignment is the search alone: the pass's share is largest there); the
pass is timed by wrapping ``find_orphans`` (CPU time, ``time.process_time``).
"""
from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from aligner.align import orphans  # noqa: E402
from aligner.api import Aligner  # noqa: E402


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs-dev", default=str(ROOT.parent / "shared" / "data" / "docs-dev"))
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args(argv)
    spent = []
    real = orphans.find_orphans

    def timed(*args, **kw):
        t0 = time.process_time()
        out = real(*args, **kw)
        spent.append(time.process_time() - t0)
        return out

    orphans.find_orphans = timed
    al = Aligner()
    print(f"{'document':38} {'run':>3} {'align cpu s':>11} {'pass cpu s':>10} {'share':>6}  set aside (src+tgt blocks)")
    tot_a = tot_p = 0.0
    for d in sorted(Path(a.docs_dev).iterdir()):
        if not (d / "doc.zh.txt").exists():
            continue
        for r in range(a.repeat):
            spent.clear()
            t0 = time.process_time()
            res = al.align_files(d / "doc.zh.txt", d / "doc.en.txt", src_lang="zh", tgt_lang="en")
            cpu = time.process_time() - t0
            p = sum(spent)
            ob = res.stats.get("orphan_blocks", {}).get("orphan_blocks", {})
            print(f"{d.name:38} {r:3} {cpu:11.2f} {p:10.3f} {100 * p / cpu:5.1f}%  {ob.get('source')}+{ob.get('target')}",
                  flush=True)
            if r:
                tot_a, tot_p = tot_a + cpu, tot_p + p
    print(f"{'all (cached runs)':38} {'':3} {tot_a:11.2f} {tot_p:10.3f} {100 * tot_p / max(tot_a, 1e-9):5.1f}%")
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MB", file=sys.stderr)


if __name__ == "__main__":
    main()
