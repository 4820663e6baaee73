"""Bead scoring: overlap embeddings, margin, length ratio, lexical evidence -> one feature vector per candidate bead.

Every candidate bead in the band gets a feature vector; a linear model (weights
learned on gold data, see ``bench/train_scorer.py``) turns it into a log-odds
score that the DP sums. ``bead_types`` lists the (source, target) sizes searched.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..segment.join import join_sentences
from .band import band_similarities, margin_11
from .dp import Band


def bead_types(max_bead: int) -> list[tuple[int, int]]:
    """All (a, b) with 1 <= a, b <= max_bead and min(a, b) <= 2 and a + b <= max_bead + 2, plus the null beads."""
    out = [(0, 1), (1, 0)]
    for a in range(1, max_bead + 1):
        for b in range(1, max_bead + 1):
            if min(a, b) <= 2 and a + b <= max_bead + 2 and (min(a, b) == 1 or max(a, b) <= 3):
                out.append((a, b))
    return out


def window_texts(texts: list[str], size: int, lang: str) -> list[str]:
    return [join_sentences(texts[p:p + size], lang) for p in range(len(texts) - size + 1)]


@dataclass
class Context:
    """Everything the features need, computed once per document pair."""

    band: Band
    X: np.ndarray               # (n, d) source sentence embeddings
    Y: np.ndarray               # (m, d)
    EX: dict[int, np.ndarray]   # window size -> (n - size + 1, d)
    EY: dict[int, np.ndarray]
    len_x: np.ndarray           # (n,) length units
    len_y: np.ndarray
    ratio: float                # expected len_y / len_x
    S: np.ndarray = field(default=None)   # (n + 1, W) 1-1 similarities in the band
    rx: np.ndarray = field(default=None)
    ry: np.ndarray = field(default=None)
    lex: object = None          # optional lexical scorer: lex(a, b, I, J) -> (rows, W, k)
    shape_x: np.ndarray = field(default=None)   # (n, 3) punctuation shape of each sentence (shape.end_shapes)
    shape_y: np.ndarray = field(default=None)

    def __post_init__(self):
        if self.S is None:
            self.S = band_similarities(self.X, self.Y, self.band)
            _, self.rx, self.ry = margin_11(self.S, self.band)


FEATURES = ["cos", "margin", "len_z2", "len_absz", "member_min", "gain", "null_best", "null_len",
            "lex_num", "lex_dict", "cos_sq", "margin_sq", "cos_mean", "sub_mean", "cos_lp", "margin_lp",
            "member_marg", "end_quote_mis", "end_punct_mis", "quote_bal_mis", "leak", "leak_gap"]
TYPE_FEATURES = ["t_null_x", "t_null_y", "t_11", "t_12", "t_21", "t_13", "t_31", "t_14", "t_41", "t_22", "t_23",
                 "t_32", "t_other"]
ALL_FEATURES = FEATURES + TYPE_FEATURES


def _type_feature(a: int, b: int) -> str:
    if a == 1 and b == 0:
        return "t_null_x"
    if a == 0 and b == 1:
        return "t_null_y"
    name = f"t_{a}{b}"
    return name if name in TYPE_FEATURES else "t_other"


def _window_index(band: Band, a: int, b: int):
    """Row/col grids: for the bead ending at (i, lo[i]+k): source window start i-a, target window start j-b."""
    n1, W = band.n + 1, band.width
    i = np.arange(n1)[:, None] * np.ones((1, W), dtype=np.int64)
    j = band.lo[:, None] + np.arange(W)[None, :]
    ok = (i - a >= 0) & (j - b >= 0) & (j <= band.m) & (i <= band.n)
    return i - a, j - b, ok


def _mean_over_window(v: np.ndarray, start: np.ndarray, size: int) -> np.ndarray:
    c = np.concatenate([[0.0], np.cumsum(v)])
    s = np.clip(start, 0, len(v) - size if len(v) >= size else 0)
    return (c[np.minimum(s + size, len(v))] - c[s]) / max(size, 1)


def _gather_dot(A: np.ndarray, ia: np.ndarray, B: np.ndarray, ib: np.ndarray, chunk: int = 4096) -> np.ndarray:
    """Row-wise dot products A[ia] . B[ib] for index grids of the same shape, in chunks."""
    out = np.zeros(ia.shape, dtype=np.float32)
    fa, fb, fo = ia.ravel(), ib.ravel(), out.reshape(-1)
    for s in range(0, len(fa), chunk * 16):
        e = s + chunk * 16
        fo[s:e] = np.einsum("nd,nd->n", A[fa[s:e]], B[fb[s:e]])
    return out


def features(ctx: Context, a: int, b: int, leak: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """Feature tensor (n + 1, W, len(ALL_FEATURES)) for bead type (a, b), and the validity mask.

    ``leak=False`` leaves the two leak columns at zero (a scorer that gives them no weight need not pay for them).
    """
    band = ctx.band
    n, m = band.n, band.m
    xs, ys, ok = _window_index(band, a, b)
    ok &= (xs + a <= n) & (ys + b <= m)
    F = np.zeros(ok.shape + (len(ALL_FEATURES),), dtype=np.float32)
    col = {f: k for k, f in enumerate(ALL_FEATURES)}
    F[..., col[_type_feature(a, b)]] = 1.0
    xs_c = np.clip(xs, 0, max(n - max(a, 1), 0))
    ys_c = np.clip(ys, 0, max(m - max(b, 1), 0))
    if a == 0 or b == 0:
        # null bead: how well the lone sentence matches anything nearby, and its length
        if a == 1:
            best, ln = ctx.rx, ctx.len_x / max(np.mean(ctx.len_x), 1e-9)
            idx = xs_c
        else:
            best, ln = ctx.ry, ctx.len_y / max(np.mean(ctx.len_y), 1e-9)
            idx = ys_c
        if len(best):
            F[..., col["null_best"]] = best[np.clip(idx, 0, len(best) - 1)]
            F[..., col["null_len"]] = np.log1p(ln[np.clip(idx, 0, len(ln) - 1)])
        return F, ok
    EXa, EYb = ctx.EX[a], ctx.EY[b]
    xi = np.clip(xs_c, 0, len(EXa) - 1)
    yi = np.clip(ys_c, 0, len(EYb) - 1)
    cos = _gather_dot(EXa, xi, EYb, yi)
    F[..., col["cos"]] = cos
    rx = _mean_over_window(ctx.rx, xs_c, a)
    ry = _mean_over_window(ctx.ry, ys_c, b)
    F[..., col["margin"]] = cos - (rx + ry) / 2
    F[..., col["cos_sq"]] = cos * cos
    F[..., col["margin_sq"]] = np.square(F[..., col["margin"]])
    lx = _mean_over_window(ctx.len_x, xs_c, a) * a
    ly = _mean_over_window(ctx.len_y, ys_c, b) * b
    z = np.log((ly + 2.0) / (ctx.ratio * lx + 2.0))
    F[..., col["len_z2"]] = z * z
    F[..., col["len_absz"]] = np.abs(z)
    # Bertalign-style multiplicative length penalty: log2(1 + shorter / longer), ratio-adjusted lengths
    lp = np.log2(1.0 + np.exp(-np.abs(z)))
    F[..., col["cos_lp"]] = cos * lp
    F[..., col["margin_lp"]] = F[..., col["margin"]] * lp
    if a > 1 or b > 1:
        # every member of a multi-sentence side must contribute: weakest member vs the other side's window
        mins = np.full(ok.shape, np.inf, dtype=np.float32)
        best_sub = np.full(ok.shape, -np.inf, dtype=np.float32)
        # each member's similarity to the other side, relative to its own best neighbours (a short sentence
        # attached to this bead should match it better than it matches the sentences around it)
        mmarg = np.full(ok.shape, np.inf, dtype=np.float32)
        for q in range(b if b > 1 else 0):
            qq = np.clip(ys_c + q, 0, m - 1)
            d = _gather_dot(EXa, xi, ctx.Y, qq)
            mins = np.minimum(mins, d)
            best_sub = np.maximum(best_sub, d)
            mmarg = np.minimum(mmarg, d - ctx.ry[qq])
        for p in range(a if a > 1 else 0):
            pp = np.clip(xs_c + p, 0, n - 1)
            d = _gather_dot(ctx.X, pp, EYb, yi)
            mins = np.minimum(mins, d)
            best_sub = np.maximum(best_sub, d)
            mmarg = np.minimum(mmarg, d - ctx.rx[pp])
        F[..., col["member_marg"]] = mmarg
        F[..., col["member_min"]] = mins
        F[..., col["gain"]] = cos - best_sub
        # mean of the sentence-to-sentence similarities of the bead (a vector-average view of the overlap)
        tot = np.zeros(ok.shape, dtype=np.float32)
        for p in range(a):
            for q in range(b):
                tot += _gather_dot(ctx.X, np.clip(xs_c + p, 0, n - 1), ctx.Y, np.clip(ys_c + q, 0, m - 1))
        F[..., col["sub_mean"]] = tot / (a * b)
        F[..., col["cos_mean"]] = cos - tot / (a * b)
    else:
        F[..., col["member_min"]] = cos
        F[..., col["sub_mean"]] = cos
        F[..., col["member_marg"]] = F[..., col["margin"]]
    # leak: does a sentence just outside the bead (before or after it, on either side) match the bead's other
    # side? If so, the bead's content crosses its boundary: the bead may have to grow, or merge with a neighbour
    if leak:
        best_out = np.full(ok.shape, -1.0, dtype=np.float32)
        for other, win, wi, start, size, lim in ((ctx.Y, EXa, xi, ys_c, b, m), (ctx.X, EYb, yi, xs_c, a, n)):
            for nb in (start - 1, start + size):
                inside = (nb >= 0) & (nb < lim)
                d = _gather_dot(win, wi, other, np.clip(nb, 0, max(lim - 1, 0)))
                best_out = np.maximum(best_out, np.where(inside, d, -1.0))
        F[..., col["leak"]] = best_out
        F[..., col["leak_gap"]] = cos - best_out
    if ctx.shape_x is not None and ctx.shape_y is not None and len(ctx.shape_x) and len(ctx.shape_y):
        sx = ctx.shape_x[np.clip(xs_c + a - 1, 0, len(ctx.shape_x) - 1)]
        sy = ctx.shape_y[np.clip(ys_c + b - 1, 0, len(ctx.shape_y) - 1)]
        F[..., col["end_quote_mis"]] = sx[..., 0] != sy[..., 0]
        F[..., col["end_punct_mis"]] = sx[..., 1] != sy[..., 1]
        bx = _mean_over_window(ctx.shape_x[:, 2].astype(np.float64), xs_c, a) * a
        by = _mean_over_window(ctx.shape_y[:, 2].astype(np.float64), ys_c, b) * b
        F[..., col["quote_bal_mis"]] = np.minimum(np.abs(bx - by), 2.0)
    if ctx.lex is not None:
        L = ctx.lex(a, b, xs_c, ys_c)
        F[..., col["lex_num"]] = L[..., 0]
        F[..., col["lex_dict"]] = L[..., 1]
    return F, ok


def score_tensors(ctx: Context, types: list[tuple[int, int]], weights: np.ndarray, bias: float,
                  bead_bonus: float = 0.0) -> list[np.ndarray]:
    """Linear log-odds score of every candidate bead, plus a constant bonus per non-null bead."""
    out = []
    leak = bool(weights[ALL_FEATURES.index("leak")] or weights[ALL_FEATURES.index("leak_gap")])
    for a, b in types:
        F, ok = features(ctx, a, b, leak=leak)
        s = F @ weights + bias + (bead_bonus if a and b else 0.0)
        s = np.where(ok, s, -1e9)
        out.append(s.astype(np.float64))
    return out
