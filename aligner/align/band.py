"""Coarse-to-fine search for the band the fine DP runs in.

At the top level the documents are cut into blocks of ``f`` sentences whose mean
embeddings are few enough for a full similarity matrix; a 1-1/skip DP finds the
block path, which, projected down a level, bounds the next search. So no level
ever holds more than ``max_cells`` similarities: time and memory grow linearly.
"""
from __future__ import annotations

import logging
import math
import warnings

import numpy as np

from .dp import Band
from .dp_fast import COMPILE_MIN_CELLS, banded_dp, banded_dp_11, column_sums, column_top_means, compiled_path_11

log = logging.getLogger(__name__)

#: rows per block for the row means of the fused path (a few MB of temporaries at a time)
ROW_BLOCK = 4096
#: band cells per block product in band_similarities (rows = this // width, 8..256): ~100 rows of a 613-wide band,
#: a product of a few hundred KB. Blocks of 8 rows (the bound before) re-read the target run from memory for every 8
#: rows: 4.2 CPU s against 1.6 on the 42x band; the products are bit-identical either way (checked there)
PRODUCT_CELLS = 1 << 16

ONE_TO_ONE = [(1, 1), (1, 0), (0, 1)]


def block_means(X: np.ndarray, f: int) -> np.ndarray:
    n = len(X)
    nb = math.ceil(n / f)
    pad = nb * f - n
    Xp = np.concatenate([X, np.zeros((pad, X.shape[1]), X.dtype)]) if pad else X
    B = Xp.reshape(nb, f, -1).sum(1)
    B /= np.maximum(np.linalg.norm(B, axis=1, keepdims=True), 1e-9)
    return B.astype(np.float32)


def band_similarities(X: np.ndarray, Y: np.ndarray, band: Band, max_cells: int = PRODUCT_CELLS) -> np.ndarray:
    """``S[i, k] = X[i] . Y[lo[i] + k]`` for rows ``i < n`` (row n is padding); NaN outside 0..m-1."""
    n, W = band.n, band.width
    S = np.full((n + 1, W), np.nan, dtype=np.float32)
    m = len(Y)
    if n and m and not band.lo.any() and W >= m:          # the whole matrix: one product
        S[:n, :m] = X @ Y.T
        return S
    # blocks of rows times the run of targets their band rows cover: one small matrix product per block instead of
    # gathering (rows, W, d) copies of the targets (score.BandDots does the same for bead windows)
    from .score import one_blas_thread
    block = max(8, min(256, max_cells // max(1, W)))
    cols = np.arange(W)
    with one_blas_thread():
        for r0 in range(0, n, block):
            r1 = min(n, r0 + block)
            y0, y1 = max(0, int(band.lo[r0])), min(m, int(band.lo[r1 - 1]) + W)
            if y1 <= y0:
                continue
            P = X[r0:r1] @ Y[y0:y1].T
            idx = band.lo[r0:r1, None] + cols[None, :] - y0
            ok = (idx >= 0) & (idx < y1 - y0)
            S[r0:r1] = np.where(ok, np.take_along_axis(P, np.clip(idx, 0, y1 - y0 - 1), axis=1), np.nan)
    return S


def margin_11(S: np.ndarray, band: Band, k: int = 4) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Margin-normalised 1-1 scores inside the band.

    Returns ``(M, rx, ry)``: ``M[i, k] = S - (rx[i] + ry[j]) / 2``, where ``rx``/``ry``
    are the mean of each sentence's ``k`` best similarities within the band.
    """
    n, W, m = band.n, band.width, band.m
    Sf = np.where(np.isnan(S[:n]), -np.inf, S[:n])
    kk = min(k, W)
    top = Sf if kk >= W else -np.partition(-Sf, kk - 1, axis=1)[:, :kk]    # k >= W: the whole row, no partition
    top = np.where(np.isfinite(top), top, np.nan)
    rx = np.nan_to_num(np.nanmean(top, axis=1), nan=0.0) if n else np.zeros(0)
    # for each target sentence, its k best over the rows whose band holds it
    j = band.lo[:n, None] + np.arange(W)[None, :]
    flat_j = j.ravel()
    flat_s = Sf.ravel()
    ok = np.isfinite(flat_s) & (flat_j < m)
    ry = np.zeros(m)
    counts = np.bincount(flat_j[ok], minlength=m)[:m]
    if len(counts) and counts.max() <= kk:
        # every target's k best are all of its band column (path_11 asks for the whole row): a mean, no sort
        sums = np.bincount(flat_j[ok], weights=flat_s[ok], minlength=m)[:m]
        has = counts > 0
        ry[has] = sums[has] / counts[has]
        jj = np.clip(j, 0, max(m - 1, 0))
        M = np.full_like(S, np.nan)
        if m:
            M[:n] = S[:n] - (rx[:, None] + ry[jj]) / 2
        return M, rx, ry
    order = np.lexsort((-flat_s[ok], flat_j[ok]))
    js, ss = flat_j[ok][order], flat_s[ok][order]
    ry = np.zeros(m)
    if len(js):
        starts = np.searchsorted(js, np.arange(m))
        ends = np.searchsorted(js, np.arange(m), side="right")
        cnt = np.minimum(ends - starts, kk)
        csum = np.concatenate([[0.0], np.cumsum(ss)])
        has = cnt > 0
        ry[has] = (csum[starts[has] + cnt[has]] - csum[starts[has]]) / cnt[has]
    jj = np.clip(j, 0, max(m - 1, 0))
    M = np.full_like(S, np.nan)
    if m:
        M[:n] = S[:n] - (rx[:, None] + ry[jj]) / 2
    return M, rx, ry


def path_11(X: np.ndarray, Y: np.ndarray, band: Band, skip: float = 0.0) -> np.ndarray:
    """1-1/skip DP on margin scores inside ``band``; returns the target centre of every row (length n + 1)."""
    S = band_similarities(X, Y, band)
    # normalise by each sentence's mean similarity over its whole band row/column (not its k best): the true
    # pair must score clearly positive, so that free skips never beat a run of correct 1-1 matches
    n, W = band.n, band.width
    beads = _fused_path_11(S, band, skip) if (n + 1) * W >= COMPILE_MIN_CELLS else None
    if beads is None:
        beads = _numpy_path_11(S, band, skip)
    return _centre_line(beads, band)


def _fused_path_11(S: np.ndarray, band: Band, skip: float):
    """path_11's DP compiled, its margin scores computed inside the pass (dp_fast.banded_dp_11): the same beads as
    _numpy_path_11 without its (n + 1) x W float64 matrices; None where numba is missing."""
    if compiled_path_11() is None:
        return None
    n, W, m = band.n, band.width, band.m
    log.debug("band search: compiled 1-1 DP over %d x %d band cells", n + 1, W)
    sums, counts = column_sums(band, S)
    rx = np.empty(n, dtype=np.float32)
    # margin_11's row means (nanmean of the finite similarities, NaN -> 0), a block of rows at a time
    for r0 in range(0, n, ROW_BLOCK):
        blk = S[r0:min(n, r0 + ROW_BLOCK)]
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)        # an all-NaN row: margin_11 warns the same
            rx[r0:r0 + len(blk)] = np.nan_to_num(np.nanmean(np.where(np.isfinite(blk), blk, np.nan), axis=1),
                                                 nan=0.0)
    if len(counts) and counts.max() > W:
        # some target lies in more band rows than the band is wide: the mean of its W best (margin_11's sort)
        ry = column_top_means(band, S, counts, W)
    else:
        ry = np.zeros(m)
        has = counts > 0
        ry[has] = sums[has] / counts[has]
    return banded_dp_11(band, S, rx, ry, skip)


def _numpy_path_11(S: np.ndarray, band: Band, skip: float):
    n, W = band.n, band.width
    M, _, _ = margin_11(S, band, k=band.width)
    s11 = np.full((n + 1, W), -1e9)
    # bead (1,1) ending at (i, j) pairs source i-1 with target j-1: shift rows and columns
    Mi = np.nan_to_num(M, nan=-1e9)
    for i in range(1, n + 1):
        j = band.lo[i] + np.arange(W) - 1          # target index of the bead's sentence
        k = j - band.lo[i - 1]
        ok = (j >= 0) & (k >= 0) & (k < W)
        s11[i, ok] = Mi[i - 1, k[ok]]
    skip_s = np.full((n + 1, W), skip)
    return banded_dp(band, ONE_TO_ONE, [s11, skip_s, skip_s])


def _centre_line(beads, band: Band) -> np.ndarray:
    """The target position after each matched source sentence; other rows are interpolated."""
    n = band.n
    center = np.zeros(n + 1, dtype=np.int64)
    matched = np.zeros(n + 1, bool)
    matched[0] = matched[n] = True
    for i0, i1, j0, j1 in beads:
        if i1 > i0 and j1 > j0:
            center[i1] = j1
            matched[i1] = True
    center[n] = band.m
    idx = np.nonzero(matched)[0]
    center = np.interp(np.arange(n + 1), idx, center[idx]).round().astype(np.int64)
    return np.maximum.accumulate(center)


def find_band(X: np.ndarray, Y: np.ndarray, half_width: int = 8, max_cells: int = 2_000_000,
              coarse_width: int = 6) -> Band:
    """Band for the fine DP: a 1-1 path found coarse-to-fine, widened by ``half_width``."""
    m = len(Y)
    center = _center(X, Y, max_cells, coarse_width)
    return Band.around(center, half_width, m)


def _center(X: np.ndarray, Y: np.ndarray, max_cells: int, coarse_width: int) -> np.ndarray:
    n, m = len(X), len(Y)
    if n == 0 or m == 0:
        return np.linspace(0, m, n + 1).round().astype(np.int64)
    if (n + 1) * (m + 1) <= max_cells:
        band = Band(lo=np.zeros(n + 1, dtype=np.int64), width=m + 1, n=n, m=m)
        return path_11(X, Y, band)
    f = math.ceil(math.sqrt((n + 1) * (m + 1) / max_cells)) + 1
    Xc, Yc = block_means(X, f), block_means(Y, f)
    cc = _center(Xc, Yc, max_cells, coarse_width)        # over blocks
    # project the block path down: row i of the fine level sits in block i // f
    rows = np.arange(n + 1)
    blk = np.minimum(rows // f, len(cc) - 1)
    frac = (rows - blk * f) / f
    nxt = np.minimum(blk + 1, len(cc) - 1)
    center = (cc[blk] * (1 - frac) + cc[nxt] * frac) * f
    center[-1] = m
    band = Band.around(center, coarse_width * f, m)
    return path_11(X, Y, band)
