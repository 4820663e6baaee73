"""The banded bead DP (``dp.banded_dp``) compiled with numba when it is installed (the ``fast`` extra).

The numpy version walks the rows in Python, a dozen array operations per row and bead type: at 20,000 sentences
that is most of the search. This module runs the same recurrence cell by cell in compiled code, with the same
tie-breaking (bead types tried in order, a later type wins only if strictly better; a run of (0, 1) beads wins
only by more than 1e-12), so both give the same path; ``tests/test_engine.py`` checks it on random matrices.
Without numba, ``banded_dp`` here is ``dp.banded_dp``.
"""
from __future__ import annotations

import logging

import numpy as np

from .dp import NEG, Band, backtrack
from .dp import banded_dp as banded_dp_numpy

log = logging.getLogger(__name__)

# Below this many band cells the numpy DP takes well under a second, less than loading numba (1-5 s per process):
# only long documents go to the compiled pass.
COMPILE_MIN_CELLS = 100_000
_compiled = {}


def _forward_py(lo, width, m, A, B, ins_t, S, D, back, back_k):
    """One pass over the band: ``D`` best score into each cell, ``back`` the bead type, ``back_k`` run starts."""
    n1 = D.shape[0]
    T = A.shape[0]
    row = np.empty(width)
    arg = np.empty(width, dtype=np.int16)
    for i in range(n1):
        for k in range(width):
            row[k] = NEG
            arg[k] = -1
        if i == 0:
            for k in range(width):
                if lo[0] + k == 0:
                    row[k] = 0.0
        for t in range(T):
            a = A[t]
            b = B[t]
            if a == 0 or a > i:
                continue
            plo = lo[i - a]
            for k in range(width):
                j = lo[i] + k
                if j < 0 or j > m:
                    continue
                pk = j - b - plo
                if pk < 0 or pk >= width:
                    continue
                cand = D[i - a, pk] + S[t][i, k]
                if cand > row[k]:
                    row[k] = cand
                    arg[k] = t
        if ins_t >= 0:
            # (0, 1) runs inside the row: D[j] = max_k<=j (A[k] + sum_{q=k+1..j} s[q]), as in dp.banded_dp
            csum = 0.0
            run = NEG
            start = 0
            first = True
            for k in range(width):
                j = lo[i] + k
                valid = j >= 0 and j <= m
                s = 0.0 if k == 0 else (S[ins_t][i, k] if valid else NEG / 4)
                csum += s
                base = row[k] - csum
                if first or base > run:
                    run = base
                if base >= run:
                    start = k
                elif first:
                    start = 0
                first = False
                cand = run + csum
                if valid and start < k and cand > row[k] + 1e-12:
                    row[k] = cand
                    arg[k] = ins_t
                    back_k[i, k] = start
        for k in range(width):
            j = lo[i] + k
            if j < 0 or j > m:
                row[k] = NEG
            D[i, k] = row[k]
            back[i, k] = arg[k]


def compiled_forward():
    """The forward pass compiled by numba (cached on disk), or None where numba is not installed."""
    if "forward" not in _compiled:
        try:  # a core dependency; the numpy DP stands in where it is missing
            import numba
            _compiled["forward"] = numba.njit(cache=True, nogil=True)(_forward_py)
        except ImportError:
            log.info("numba is not installed: the bead DP runs in numpy (pip install numba)")
            _compiled["forward"] = None
    return _compiled["forward"]


def banded_dp(band: Band, types: list[tuple[int, int]], scores, compiled: bool | None = None):
    """``dp.banded_dp`` with the forward pass compiled; the numpy version where numba is not installed or the band
    is small (``compiled=None``: decide by size; True/False: force, for tests)."""
    if compiled is None:
        compiled = (band.n + 1) * band.width >= COMPILE_MIN_CELLS
    _forward = compiled_forward() if compiled else None
    if _forward is None:
        return banded_dp_numpy(band, types, scores)
    n, m, W = band.n, band.m, band.width
    lo = np.ascontiguousarray(band.lo, dtype=np.int64)
    ins = [t for t, (a, b) in enumerate(types) if a == 0]
    assert all(types[t] == (0, 1) for t in ins), "only (0, 1) is allowed with a == 0"
    # a tuple of per-type 2-D arrays (views, no copy): stacking them would double the largest allocation
    S = tuple(np.ascontiguousarray(x, dtype=np.float64) for x in scores)
    A = np.array([a for a, _ in types], dtype=np.int64)
    B = np.array([b for _, b in types], dtype=np.int64)
    D = np.empty((n + 1, W))
    back = np.empty((n + 1, W), dtype=np.int16)
    back_k = np.zeros((n + 1, W), dtype=np.int32)
    _forward(lo, W, m, A, B, ins[0] if ins else -1, S, D, back, back_k)
    return backtrack(band, types, D, back, back_k)
