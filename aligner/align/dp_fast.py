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


def _insertion_runs_py(row, arg, back_k_i, lo_i, m, ins, t):
    """(0, 1) runs inside one row of the band, after the other bead types filled ``row``/``arg``: ``row[k]`` becomes
    max over k' <= k of ``row[k'] + ins[k'+1] + ... + ins[k]`` where a run wins (by more than 1e-12), as in
    dp.banded_dp; ``ins[k]`` scores the (0, 1) bead ending in column ``k``, ``t`` is its bead type, and
    ``back_k_i[k]`` gets the run's first column. Shared by both forward passes below."""
    csum = 0.0
    run = NEG
    start = 0
    first = True
    for k in range(row.shape[0]):
        j = lo_i + k
        valid = j >= 0 and j <= m
        s = 0.0 if k == 0 else (ins[k] if valid else NEG / 4)
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
            arg[k] = t
            back_k_i[k] = start


# the kernels call the helper by this global name: plain Python until _jit_helper() puts the numba version here,
# before any kernel is compiled (numba reads a kernel's globals when it compiles it; nothing compiles at import)
_insertion_runs = _insertion_runs_py


def _jit_helper(numba) -> None:
    global _insertion_runs
    if _insertion_runs is _insertion_runs_py:
        _insertion_runs = numba.njit(cache=True, nogil=True)(_insertion_runs_py)


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
            _insertion_runs(row, arg, back_k[i], lo[i], m, S[ins_t][i], ins_t)
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
            _jit_helper(numba)
            _compiled["forward"] = numba.njit(cache=True, nogil=True)(_forward_py)
        except ImportError:
            log.info("numba is not installed: the bead DP runs in numpy (pip install numba)")
            _compiled["forward"] = None
    return _compiled["forward"]


def forward_tables(band: Band, types: list[tuple[int, int]], scores):
    """The compiled forward pass: ``(D, back, back_k)`` as ``dp.forward`` gives them, or None where numba is not
    installed."""
    _forward = compiled_forward()
    if _forward is None:
        return None
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
    return D, back, back_k


def banded_dp(band: Band, types: list[tuple[int, int]], scores, compiled: bool | None = None):
    """``dp.banded_dp`` with the forward pass compiled; the numpy version where numba is not installed or the band
    is small (``compiled=None``: decide by size; True/False: force, for tests)."""
    if compiled is None:
        compiled = (band.n + 1) * band.width >= COMPILE_MIN_CELLS
    tables = forward_tables(band, types, scores) if compiled else None
    if tables is None:
        return banded_dp_numpy(band, types, scores)
    return backtrack(band, types, *tables)


# --- the band search's 1-1/skip DP (band.path_11), fused -------------------------------------------------------
# path_11 on a long pair used to hold a margin matrix, a shifted (1, 1) score matrix, a skip matrix and the DP's
# score table, each (n + 1) x W float64 (~300 MB apiece at 60k sentences and W = 613), and fill the shifted matrix in
# a Python loop over the rows. The compiled pass below reads the band similarities (float32) and the per-sentence
# means directly, computes each (1, 1) margin score when it needs it, with the same float64 arithmetic rounded to
# float32 as margin_11's matrix, keeps two rows of the score table, and stores int8 bead types and int16 run starts:
# the same path, in about a sixth of the memory (tests/test_engine.py compares it with the numpy path).

ONE_TO_ONE_TYPES = [(1, 1), (1, 0), (0, 1)]
#: the (1, 1) score of a cell whose similarity is missing (NaN: outside the documents), as path_11's nan_to_num
MISSING_11 = -1e9


def _column_sums_py(lo, m, S, sums, counts):
    """``sums[j]``/``counts[j]``: the sum/number of finite similarities of target ``j`` over the band rows that hold it
    (row-major order, float64 accumulation: np.bincount's order and rounding)."""
    n = S.shape[0] - 1
    W = S.shape[1]
    for i in range(n):
        for k in range(W):
            s = S[i, k]
            j = lo[i] + k
            if np.isfinite(s) and 0 <= j < m:
                sums[j] += np.float64(s)
                counts[j] += 1


def _column_top_means_py(lo, m, S, counts, kk, ry):
    """``ry[j]``: the mean of target ``j``'s ``kk`` best finite band similarities, as margin_11's sorted branch
    computes it: every column's values sorted best first, one running float32 sum over all columns in order
    (np.cumsum of the sorted values), and the mean read as the difference of two running sums."""
    n = S.shape[0] - 1
    W = S.shape[1]
    offs = np.zeros(m + 1, dtype=np.int64)
    for j in range(m):
        offs[j + 1] = offs[j] + counts[j]
    fill = offs[:m].copy()
    vals = np.empty(offs[m], dtype=np.float32)
    for i in range(n):
        for k in range(W):
            s = S[i, k]
            j = lo[i] + k
            if np.isfinite(s) and 0 <= j < m:
                vals[fill[j]] = s
                fill[j] += 1
    acc = np.float32(0.0)
    for j in range(m):
        seg = np.sort(vals[offs[j]:offs[j + 1]])
        c = len(seg)
        before = acc
        after = acc
        for q in range(c):
            acc = np.float32(acc + seg[c - 1 - q])
            if q + 1 == min(c, kk):
                after = acc
        if c > 0:
            ry[j] = (np.float64(after) - np.float64(before)) / min(c, kk)


def _forward_11_py(lo, m, S, rx, ry, skip, back, back_k):
    """dp.banded_dp's recurrence for the types (1, 1), (1, 0), (0, 1) with the (1, 1) score of the bead ending at
    ``(i, j)`` read as ``float32(S[i-1, pk] - (rx[i-1] + ry[j-1]) / 2)`` and skips scoring ``skip``; returns the
    last row of the score table."""
    n1 = back.shape[0]
    W = back.shape[1]
    prev = np.empty(W)
    row = np.empty(W)
    arg = np.empty(W, dtype=np.int8)
    skips = np.full(W, skip)                            # every (0, 1) bead scores the skip cost
    top = max(m - 1, 0)
    for i in range(n1):
        for k in range(W):
            row[k] = NEG
            arg[k] = -1
        if i == 0:
            for k in range(W):
                if lo[0] + k == 0:
                    row[k] = 0.0
        else:
            plo = lo[i - 1]
            for k in range(W):                          # type 0: (1, 1)
                j = lo[i] + k
                if j < 0 or j > m:
                    continue
                pk = j - 1 - plo
                if pk < 0 or pk >= W:
                    continue
                s = S[i - 1, pk]
                if np.isnan(s) or m == 0:
                    sc = MISSING_11
                else:
                    jc = min(max(plo + pk, 0), top)
                    sc = np.float64(np.float32(np.float64(s) - (np.float64(rx[i - 1]) + ry[jc]) / 2.0))
                cand = prev[pk] + sc
                if cand > row[k]:
                    row[k] = cand
                    arg[k] = 0
            for k in range(W):                          # type 1: (1, 0)
                j = lo[i] + k
                if j < 0 or j > m:
                    continue
                pk = j - plo
                if pk < 0 or pk >= W:
                    continue
                cand = prev[pk] + skip
                if cand > row[k]:
                    row[k] = cand
                    arg[k] = 1
        _insertion_runs(row, arg, back_k[i], lo[i], m, skips, 2)     # type 2: (0, 1) runs, as _forward_py
        for k in range(W):
            j = lo[i] + k
            if j < 0 or j > m:
                row[k] = NEG
            prev[k] = row[k]
            back[i, k] = arg[k]
    return prev


def compiled_path_11():
    """``(column_sums, forward_11, column_top_means)`` compiled by numba, or None where numba is not installed."""
    if "path_11" not in _compiled:
        try:
            import numba
            _jit_helper(numba)
            jit = numba.njit(cache=True, nogil=True)
            _compiled["path_11"] = (jit(_column_sums_py), jit(_forward_11_py), jit(_column_top_means_py))
        except ImportError:
            log.info("numba is not installed: the band search runs its 1-1 DP in numpy (pip install numba)")
            _compiled["path_11"] = None
    return _compiled["path_11"]


def column_sums(band: Band, S: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per target sentence, the sum (float64) and count of its finite band similarities (compiled)."""
    sums = np.zeros(band.m)
    counts = np.zeros(band.m, dtype=np.int64)
    compiled_path_11()[0](np.ascontiguousarray(band.lo, dtype=np.int64), band.m, S, sums, counts)
    return sums, counts


def column_top_means(band: Band, S: np.ndarray, counts: np.ndarray, k: int) -> np.ndarray:
    """Per target sentence, the mean of its ``k`` best band similarities (margin_11's sorted branch, compiled)."""
    ry = np.zeros(band.m)
    compiled_path_11()[2](np.ascontiguousarray(band.lo, dtype=np.int64), band.m, S, counts, k, ry)
    return ry


def banded_dp_11(band: Band, S: np.ndarray, rx: np.ndarray, ry: np.ndarray, skip: float = 0.0):
    """The beads of band.path_11's 1-1/skip DP, its (1, 1) margin scores computed inside the compiled pass from the
    band similarities ``S`` ((n + 1) x W float32) and the sentence means ``rx`` (float32) and ``ry`` (float64)."""
    n, W = band.n, band.width
    lo = np.ascontiguousarray(band.lo, dtype=np.int64)
    back = np.empty((n + 1, W), dtype=np.int8)
    back_k = np.zeros((n + 1, W), dtype=np.int16 if W <= np.iinfo(np.int16).max else np.int32)
    last = compiled_path_11()[1](lo, band.m, S, np.ascontiguousarray(rx, dtype=np.float32),
                                 np.ascontiguousarray(ry, dtype=np.float64), float(skip), back, back_k)
    # backtrack reads the score table only at row n: a read-only view of the last row stands in for the rest
    D = np.broadcast_to(last[None, :], (n + 1, W))
    return backtrack(band, ONE_TO_ONE_TYPES, D, back, back_k)
