"""The compiled DP kernels of aligner/align/dp_fast.py timed alone, and checked bit for bit against another revision.

    .venv/bin/python bench/bench_dp_kernels.py [--ref c2cac0f] [--repeat 9] [--n 20000] [--n11 60000]

forward  the bead DP's forward pass (dp_fast.compiled_forward) on an n x 21 band (the final DP's +-10 sentences)
         with the 18 bead types of max_bead 5
path_11  the band search's fused 1-1/skip DP (dp_fast.compiled_path_11()[1]) on an n11 x 613 band (the finest
         level of the 42x mac-dev search: 60,648 rows x 613 columns)

Scores are random (seeded) with a planted diagonal, so the DPs follow a path through the band as on real text. Each
kernel is compiled (or loaded from numba's cache) and run once before timing; then the current and the --ref
version run alternately, ``--repeat`` times each, and the median CPU time (time.process_time) per call is printed
with the ratio. All output tables (score rows, bead types, run starts) must be identical, or the script exits 1.
"""
from __future__ import annotations

import argparse
import importlib.util
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from aligner.align import dp_fast  # noqa: E402
from aligner.align.score import bead_types  # noqa: E402

#: the final bead DP's band: +-10 sentences around the 1-1 path
FORWARD_WIDTH = 21
#: the finest band-search level of the 42x mac-dev pair (docs/benchmarks.md, section 1b)
PATH11_WIDTH = 613


def load_ref(rev: str, tmp: Path):
    """dp_fast.py as it was at ``rev``, imported as aligner.align._dp_fast_ref (its relative imports resolve)."""
    src = subprocess.run(["git", "-C", str(ROOT), "show", f"{rev}:aligner/align/dp_fast.py"], check=True,
                         capture_output=True, text=True).stdout
    path = tmp / "_dp_fast_ref.py"
    path.write_text(src, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("aligner.align._dp_fast_ref", path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


def diagonal_lo(n: int, m: int, W: int) -> np.ndarray:
    return np.array([round(i * m / n) - W // 2 for i in range(n + 1)], dtype=np.int64)


def forward_problem(n: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    m = int(n * 1.1)
    types = bead_types(5)
    W = FORWARD_WIDTH
    lo = diagonal_lo(n, m, W)
    scores = tuple(rng.normal(-1.0 - 0.3 * (a + b), 1.0, size=(n + 1, W)) for a, b in types)
    scores[types.index((1, 1))][:, W // 2] += 4.0
    ins = [t for t, (a, _) in enumerate(types) if a == 0]
    A = np.array([a for a, _ in types], dtype=np.int64)
    B = np.array([b for _, b in types], dtype=np.int64)

    def run(kernel):
        D = np.empty((n + 1, W))
        back = np.empty((n + 1, W), dtype=np.int16)
        back_k = np.zeros((n + 1, W), dtype=np.int32)
        kernel(lo, W, m, A, B, ins[0], scores, D, back, back_k)
        return D, back, back_k
    return run


def path11_problem(n: int, seed: int = 1):
    rng = np.random.default_rng(seed)
    m = int(n * 1.35)
    W = PATH11_WIDTH
    lo = diagonal_lo(n, m, W)
    S = rng.uniform(-0.1, 0.5, size=(n + 1, W)).astype(np.float32)
    S[:, W // 2] += 0.4
    S[-1] = np.nan
    rx = rng.uniform(0.1, 0.3, size=n).astype(np.float32)
    ry = rng.uniform(0.1, 0.3, size=m)

    def run(kernel):
        back = np.empty((n + 1, W), dtype=np.int8)
        back_k = np.zeros((n + 1, W), dtype=np.int16)
        last = kernel(lo, m, S, rx, ry, -0.05, back, back_k)
        return last, back, back_k
    return run


def timed(run, kernel) -> tuple[float, tuple]:
    c0 = time.process_time()
    out = run(kernel)
    return time.process_time() - c0, out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--ref", default="c2cac0f", help="the revision whose dp_fast.py to compare with")
    ap.add_argument("--repeat", type=int, default=9)
    ap.add_argument("--n", type=int, default=20000)
    ap.add_argument("--n11", type=int, default=60000)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        ref = load_ref(a.ref, Path(tmp))
        kernels = {"forward": (forward_problem(a.n), dp_fast.compiled_forward(), ref.compiled_forward()),
                   "path_11": (path11_problem(a.n11), dp_fast.compiled_path_11()[1], ref.compiled_path_11()[1])}
        if kernels["forward"][1] is None:
            sys.exit("numba is not installed: nothing compiled to time")
        ok = True
        for name, (run, new, old) in kernels.items():
            c0 = time.process_time()
            run(new), run(old)                                  # compile or load from cache, warm up
            warm = time.process_time() - c0
            t_new, t_old, same = [], [], True
            for _ in range(a.repeat):
                tn, out_new = timed(run, new)
                to, out_old = timed(run, old)
                t_new.append(tn)
                t_old.append(to)
                same &= all(np.array_equal(x, y) for x, y in zip(out_new, out_old))
            ok &= same
            mn, mo = statistics.median(t_new), statistics.median(t_old)
            print(f"{name:8} this tree {mn:.3f} CPU s/call (min {min(t_new):.3f}), {a.ref} {mo:.3f} "
                  f"(min {min(t_old):.3f}), ratio {mn / mo:.3f}; outputs identical: {same}; "
                  f"compile/load + first runs {warm:.1f} s")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
