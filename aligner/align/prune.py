"""Two-pass search (`--quality best` and `better`): which multi-sentence beads are worth a model embedding of their windows.

Pass 1 scores every candidate bead with cheap features (multi-sentence windows as length-weighted sums of sentence
vectors) and its own trained weights; :func:`max_marginals` gives, for every candidate bead, the score of the best
complete path through the band that uses it (forward score into its start + its score + backward score from its
end). A multi-sentence bead is *kept* when that path scores within ``margin`` of the best path; 1-1 and null beads
are always kept (they have no windows). Pass 2 embeds only the kept beads' windows with the model, scores the kept
beads with the full scorer, prunes the rest (-1e9: never on the path) and runs the DP again. Training
(``bench/train_scorer.py --prune-margin``) and the run time share :func:`keep_masks` and :func:`prune_scores`.
"""
from __future__ import annotations

import numpy as np

from .dp import NEG, Band

#: score of a pruned bead: the value the scorer gives a bead that cannot be (score.bead_score)
PRUNED = -1e9


def forward_table(band: Band, types: list[tuple[int, int]], scores) -> np.ndarray:
    """``D[i, k]``: best score of a path from (0, 0) to (i, lo[i] + k) (NEG where none); the DP's forward pass."""
    from .dp_fast import COMPILE_MIN_CELLS, forward_tables
    from .dp import forward
    tables = forward_tables(band, types, scores) if (band.n + 1) * band.width >= COMPILE_MIN_CELLS else None
    return forward(band, types, scores)[0] if tables is None else tables[0]


def reversed_problem(band: Band, types: list[tuple[int, int]], scores) -> tuple[Band, list[np.ndarray]]:
    """The same search with both sequences read backwards: row ``n - i`` of the reversed band is row ``i`` flipped
    (cell ``k`` <-> ``W - 1 - k``), and the bead of type (a, b) ending at reversed (i', j') is the original bead
    ending at (n - i' + a, m - j' + b)."""
    n, m, W = band.n, band.m, band.width
    lo_r = m - band.lo[::-1] - (W - 1)
    rb = Band(lo=np.ascontiguousarray(lo_r, dtype=np.int64), width=W, n=n, m=m)
    ip = np.arange(n + 1)[:, None]
    jp = lo_r[:, None] + np.arange(W)[None, :]
    out = []
    for (a, b), s in zip(types, scores):
        i = n - ip + a
        j = m - jp + b
        okr = (i >= 0) & (i <= n)
        ic = np.clip(i, 0, n)
        k = j - band.lo[ic]
        ok = okr & (k >= 0) & (k < W) & (j >= 0) & (j <= m)
        r = np.full((n + 1, W), PRUNED)
        r[ok] = np.asarray(s)[np.broadcast_to(ic, ok.shape)[ok], k[ok]]
        out.append(r)
    return rb, out


def max_marginals(band: Band, types: list[tuple[int, int]], scores) -> tuple[list[np.ndarray], float]:
    """Per type, ``(n + 1, W)``: the best complete path's score among the paths that use the bead of that type ending
    at each cell (very negative where none does); and the best path's score."""
    n, m, W = band.n, band.m, band.width
    D = forward_table(band, types, scores)
    rb, rs = reversed_problem(band, types, scores)
    R = forward_table(rb, types, rs)
    back = R[::-1, ::-1]               # back[i, k]: best score from (i, lo[i] + k) to (n, m)
    best = float(D[n, m - band.lo[n]]) if 0 <= m - band.lo[n] < W else NEG
    out = []
    for (a, b), s in zip(types, scores):
        i = np.arange(n + 1)[:, None]
        j = band.lo[:, None] + np.arange(W)[None, :]
        ip, jp = i - a, j - b
        ipc = np.clip(ip, 0, n)
        kp = jp - band.lo[ipc]
        ok = (ip >= 0) & (kp >= 0) & (kp < W) & (jp >= 0)
        mm = np.full((n + 1, W), NEG)
        pre = D[np.broadcast_to(ipc, ok.shape)[ok], kp[ok]]
        mm[ok] = pre + np.asarray(s)[ok] + back[ok]
        out.append(mm)
    return out, best


def keep_masks(band: Band, types: list[tuple[int, int]], scores, margin: float) -> list[np.ndarray | None]:
    """Per type: boolean (n + 1, W) of the kept multi-sentence beads (max-marginal within ``margin`` of the best
    path), ``None`` for the 1-1 and null types (always kept)."""
    mm, best = max_marginals(band, types, scores)
    if best <= NEG / 2:
        raise RuntimeError("no path through the band")
    return [None if max(a, b) <= 1 else (m >= best - margin) & (np.asarray(s) > PRUNED / 2)
            for (a, b), m, s in zip(types, mm, scores)]


def prune_scores(scores, keep: list[np.ndarray | None]) -> None:
    """Pass 2: the beads pass 1 did not keep cannot be on the path (in place)."""
    for s, k in zip(scores, keep):
        if k is not None:
            s[~k] = PRUNED


def kept_windows(band: Band, types: list[tuple[int, int]], keep) -> tuple[dict[int, np.ndarray], dict[int, np.ndarray]]:
    """Window size -> sorted starts of the source / target windows that the kept beads use (sizes >= 2)."""
    xs: dict[int, set] = {}
    ys: dict[int, set] = {}
    for (a, b), k in zip(types, keep):
        if k is None:
            continue
        i, c = np.nonzero(k)
        j = band.lo[i] + c
        if a > 1:
            xs.setdefault(a, set()).update((i - a).tolist())
        if b > 1:
            ys.setdefault(b, set()).update((j - b).tolist())
    return ({s: np.array(sorted(v), dtype=np.int64) for s, v in xs.items()},
            {s: np.array(sorted(v), dtype=np.int64) for s, v in ys.items()})
