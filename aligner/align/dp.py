"""Banded dynamic programming over bead types.

The search space is a band: DP row ``i`` (``i`` source sentences consumed) may
only visit target positions ``lo[i] .. lo[i] + W - 1``. A bead type ``(a, b)``
moves from cell ``(i - a, j - b)`` to ``(i, j)``; ``scores[t][i, k]`` is the
score of the bead of type ``t`` that *ends* at ``(i, lo[i] + k)``, i.e. covers
source sentences ``i-a .. i-1`` and target sentences ``j-b .. j-1``.

Time and memory are ``O(n * W * len(types))``: linear in document length.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

NEG = -1e18
#: narrowest band: its ramp (``width // 3`` columns a row) must advance, and stay under the width
MIN_WIDTH = 3


@dataclass(frozen=True)
class Band:
    """Row ``i`` covers target positions ``lo[i] .. lo[i] + width - 1`` (clipped to ``0..m``)."""

    lo: np.ndarray  # int64, shape (n + 1,), non-decreasing
    width: int
    n: int
    m: int

    def cols(self, i: int) -> np.ndarray:
        return self.lo[i] + np.arange(self.width)

    def valid(self) -> np.ndarray:
        """Boolean (n + 1, width): cells whose target position lies in 0..m."""
        j = self.lo[:, None] + np.arange(self.width)[None, :]
        return (j >= 0) & (j <= self.m)

    @staticmethod
    def around(center: np.ndarray, half_width: int, m: int) -> "Band":
        """A band of at least ``2 * half_width + 1`` columns around a monotone centre line (length n + 1).

        The band always holds a connected monotone path from ``(0, 0)`` to ``(n, m)`` made of null moves alone:
        row 0 starts at column 0, consecutive rows overlap (``lo`` rises by less than the width from one row to
        the next), and the last row reaches column ``m``. So the DP finds a path whatever the lengths (1 against
        10,000 sentences gives a long run of 0-1 beads); the width grows with the length ratio, so that the
        number of cells stays about ``3 * (n + m)`` however unequal the sides are.
        """
        center = np.maximum.accumulate(np.clip(np.asarray(center, dtype=np.int64), 0, m))
        n = len(center) - 1
        width = max(2 * half_width + 1, MIN_WIDTH, _shape_width(n, m))
        lo = np.clip(center - half_width, 0, max(0, m - width + 1))
        lo = np.maximum.accumulate(lo)
        # a jump of the centre line (a long insertion) becomes a ramp, so that consecutive rows always overlap:
        # raise the rows before the jump ...
        step = width // 3
        idx = np.arange(n + 1) * step
        lo = np.maximum(lo, np.maximum.accumulate((lo - idx)[::-1])[::-1] + idx)
        lo[0] = 0
        # ... and, where that would need row 0 to start past column 0, lower the rows after it
        lo = np.minimum.accumulate(lo - idx) + idx
        width = max(width, int(m - lo[-1] + 1))
        return Band(lo=lo, width=width, n=n, m=m)

    @staticmethod
    def from_ranges(lo: np.ndarray, hi: np.ndarray, m: int) -> "Band":
        """Smallest band containing ``lo[i] .. hi[i]`` for every row (hi inclusive)."""
        lo = np.maximum.accumulate(np.clip(np.asarray(lo, dtype=np.int64), 0, m))
        hi = np.maximum.accumulate(np.clip(np.asarray(hi, dtype=np.int64), 0, m))
        lo[0] = 0
        hi[-1] = m
        width = int(np.max(hi - lo)) + 1
        return Band(lo=lo, width=width, n=len(lo) - 1, m=m)


def _shape_width(n: int, m: int) -> int:
    """Smallest width ``W`` whose ramp (``W // 3`` columns a row) crosses ``m`` target positions in ``n`` rows."""
    w = max(MIN_WIDTH, -(-3 * (m + 1) // (n + 3)))
    while n * (w // 3) + w - 1 < m:
        w += 1
    return w


def banded_dp(band: Band, types: list[tuple[int, int]], scores: list[np.ndarray]) -> list[tuple[int, int, int, int]]:
    """Best monotone path of beads through the band.

    ``types`` lists ``(a, b)`` steps; ``(0, 1)`` and ``(1, 0)`` are the null beads.
    Returns beads as ``(i0, i1, j0, j1)`` half-open source/target ranges, in order.
    """
    return backtrack(band, types, *forward(band, types, scores))


def forward(band: Band, types: list[tuple[int, int]], scores: list[np.ndarray]):
    """The forward pass: ``D`` (best score into each cell), ``back`` (bead type), ``back_k`` ((0, 1) run starts)."""
    n, W = band.n, band.width
    lo = band.lo
    D = np.full((n + 1, W), NEG)
    back = np.full((n + 1, W), -1, dtype=np.int16)  # type index
    back_k = np.zeros((n + 1, W), dtype=np.int32)   # for the (0,1) run: column where the run started
    cols = np.arange(W)
    valid = band.valid()
    ins = [t for t, (a, b) in enumerate(types) if a == 0]
    assert all(types[t] == (0, 1) for t in ins), "only (0, 1) is allowed with a == 0"
    steps = [(t, a, b) for t, (a, b) in enumerate(types) if a > 0]
    for i in range(n + 1):
        row = np.full(W, NEG)
        arg = np.full(W, -1, dtype=np.int16)
        if i == 0:
            row[lo[0] + cols == 0] = 0.0
        j = lo[i] + cols
        for t, a, b in steps:
            if a > i:
                continue
            pk = j - b - lo[i - a]  # column of the predecessor in row i - a
            ok = (pk >= 0) & (pk < W) & valid[i]
            if not ok.any():
                continue
            cand = np.full(W, NEG)
            cand[ok] = D[i - a, pk[ok]] + scores[t][i, ok]
            better = cand > row
            row[better] = cand[better]
            arg[better] = t
        if ins:
            t = ins[0]
            # (0, 1) runs inside the row: D[j] = max_k<=j (A[k] + sum_{q=k+1..j} s[q])
            s = np.where(valid[i], scores[t][i], NEG / 4)
            s[0] = 0.0
            C = np.cumsum(s)
            base = row - C
            run = np.maximum.accumulate(base)
            start = np.maximum.accumulate(np.where(base >= run, cols, 0))
            cand = run + C
            better = (cand > row + 1e-12) & valid[i] & (start < cols)
            row[better] = cand[better]
            arg[better] = t
            back_k[i, better] = start[better]
        row[~valid[i]] = NEG
        D[i] = row
        back[i] = arg
    return D, back, back_k


def backtrack(band: Band, types: list[tuple[int, int]], D: np.ndarray, back: np.ndarray,
              back_k: np.ndarray) -> list[tuple[int, int, int, int]]:
    """The beads of the best path, read back from (n, m) through the forward pass's ``back``/``back_k`` tables
    (shared by the numpy DP here and the compiled one in dp_fast.py)."""
    n, m, W, lo = band.n, band.m, band.width, band.lo
    i, k = n, m - lo[n]
    if not (0 <= k < W) or D[n, k] <= NEG / 2:
        raise RuntimeError("no path through the band")
    beads = []
    while i > 0 or lo[i] + k > 0:
        t = int(back[i, k])
        a, b = types[t]
        j = lo[i] + k
        if a == 0:
            k0 = int(back_k[i, k])
            for jj in range(j, lo[i] + k0, -1):
                beads.append((i, i, jj - 1, jj))
            k = k0
            continue
        beads.append((i - a, i, j - b, j))
        i, k = i - a, j - b - lo[i - a]
    beads.reverse()
    return beads
