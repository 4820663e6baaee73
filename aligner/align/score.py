"""Bead scoring: overlap embeddings, margin, length ratio, lexical evidence -> one feature vector per candidate bead.

Every candidate bead in the band gets a feature vector; a linear model (weights
learned on gold data, see ``bench/train_scorer.py``) turns it into a log-odds
score that the DP sums. ``bead_types`` lists the (source, target) sizes searched.
"""
from __future__ import annotations

import contextlib
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

    sim_map: object = None      # calibrate.SimilarityMap: every similarity the features read goes through it
    window_map: object = None   # (s, t, raw in-band similarities) -> the map for window pair (s, t) (calibrate.py)

    def __post_init__(self):
        if self.S is None:
            self.S = band_similarities(self.X, self.Y, self.band)
            _, self.rx, self.ry = margin_11(self.S, self.band)

    def map_similarities(self, fn) -> None:
        """Put every similarity the features read on another scale (calibrate.py): a monotone ``fn(cos)``."""
        if self.sim_map is not None:
            raise ValueError("similarities are already mapped")
        self.S = fn(self.S).astype(np.float32)
        _, self.rx, self.ry = margin_11(self.S, self.band)
        self.sim_map = fn


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
    """Row-wise dot products A[ia] . B[ib] for index grids of the same shape, ``chunk`` rows gathered at a time."""
    out = np.zeros(ia.shape, dtype=np.float32)
    fa, fb, fo = ia.ravel(), ib.ravel(), out.reshape(-1)
    for s in range(0, len(fa), chunk):
        fo[s:s + chunk] = np.einsum("nd,nd->n", A[fa[s:s + chunk]], B[fb[s:s + chunk]])
    return out


# How far (in windows) a dot-product table reaches beyond the band on each side: bead members and the leak
# neighbours of a bead of up to 5 sentences sit at most ~2 * max_bead outside its own band cell.
TABLE_REACH = 12
# Rows of window vectors multiplied at once: small enough that the wasted corner of each block product stays
# small, large enough that one matrix product amortises numpy's per-call overhead.
TABLE_BLOCK = 48


def one_blas_thread():
    """Small block products lose to BLAS thread start-up and, on a busy machine, spin for most of their time (48 x 512
    by 512 x 100 products: 42 s wall with two OpenBLAS threads under load against 1.6 s with one): run them on one."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:                       # pragma: no cover - threadpoolctl is a core dependency
        return contextlib.nullcontext()
    return threadpool_limits(limits=1, user_api="blas")


class BandDots:
    """Dot products between source windows (size ``s``) and target windows (size ``t``) near the band, computed
    once per (s, t) by blocked matrix products and shared by every feature and bead type that needs them.

    ``table(s, t)`` holds ``G[x, c] = EX[s][x] . EY[t][base[x] + c]`` for ``c < W + 2 * TABLE_REACH`` where
    ``base[x] = lo[x + s] - t - TABLE_REACH``; lookups outside the table (rare: band ramps) are computed directly.
    ``release()`` frees window vectors as soon as every table that needs them is built.
    """

    def __init__(self, ctx: "Context", reach: int = TABLE_REACH, block: int = TABLE_BLOCK, direct: bool = False):
        self.ctx = ctx
        self.direct = direct      # no tables: every lookup is a direct dot product (for a few scattered beads)
        self.reach = reach
        self.block = block
        self.width = ctx.band.width + 2 * reach
        self._tables: dict[tuple[int, int], tuple[np.ndarray, np.ndarray]] = {}
        self._maps: dict[tuple[int, int], object] = {}

    def _vecs(self, side: str, size: int) -> np.ndarray:
        ctx = self.ctx
        if size == 1:
            return ctx.X if side == "x" else ctx.Y
        return (ctx.EX if side == "x" else ctx.EY)[size]

    def table(self, s: int, t: int) -> tuple[np.ndarray, np.ndarray]:
        key = (s, t)
        if key not in self._tables:
            A, B = self._vecs("x", s), self._vecs("y", t)
            lo, n = self.ctx.band.lo, self.ctx.band.n
            nx, ny, Wg = len(A), len(B), self.width
            base = lo[np.minimum(np.arange(nx) + s, n)] - t - self.reach
            G = np.full((nx, Wg), np.nan, dtype=np.float32)
            cols = np.arange(Wg)
            for x0 in range(0, nx, self.block):
                x1 = min(nx, x0 + self.block)
                y0, y1 = max(0, int(base[x0])), min(ny, int(base[x1 - 1]) + Wg)
                if y1 <= y0:
                    continue
                P = A[x0:x1] @ B[y0:y1].T
                idx = base[x0:x1, None] + cols[None, :] - y0
                inside = (idx >= 0) & (idx < y1 - y0)
                G[x0:x1] = np.where(inside, np.take_along_axis(P, np.clip(idx, 0, y1 - y0 - 1), axis=1), np.nan)
            self._tables[key] = (base, G)
            if self.ctx.window_map is not None and key != (1, 1):
                vals = G[:, self.reach:self.reach + self.ctx.band.width]
                self._maps[key] = self.ctx.window_map(s, t, vals[np.isfinite(vals)])
        return self._tables[key]

    def get(self, s: int, t: int, ia: np.ndarray, ib: np.ndarray) -> np.ndarray:
        """``EX[s][ia] . EY[t][ib]`` for index grids of one shape (indices must be valid window starts)."""
        if self.direct:
            out = np.einsum("nd,nd->n", self._rows("x", s, ia.ravel()), self._rows("y", t, ib.ravel()))
            out = out.astype(np.float32).reshape(ia.shape)
            fn = self.ctx.sim_map
            return out if fn is None else fn(out).astype(np.float32)
        base, G = self.table(s, t)
        c = ib - base[ia]
        inside = (c >= 0) & (c < self.width)
        out = G[ia, np.clip(c, 0, self.width - 1)]
        if not inside.all():
            miss = ~inside
            ra, rb = self._rows("x", s, ia[miss]), self._rows("y", t, ib[miss])
            out[miss] = np.einsum("nd,nd->n", ra, rb)
        fn = self._maps.get((s, t), self.ctx.sim_map)
        if fn is not None:
            out = fn(out).astype(np.float32)
        return out

    def _rows(self, side: str, size: int, idx: np.ndarray) -> np.ndarray:
        windows = self.ctx.EX if side == "x" else self.ctx.EY
        if size > 1 and hasattr(windows, "rows"):
            return windows.rows(size, idx)      # also after release(): only these windows are summed
        return self._vecs(side, size)[idx]

    def release(self, pairs: list[tuple[int, int]]) -> None:
        """Build the tables for ``pairs``, then drop the window vectors (size > 1) that no table still needs."""
        for s, t in sorted(pairs):
            self.table(s, t)
            if not any(p[0] == s and p not in self._tables for p in pairs) and s > 1:
                _drop(self.ctx.EX, s)
        for t in {p[1] for p in pairs}:
            if t > 1:
                _drop(self.ctx.EY, t)


def _drop(windows, size: int) -> None:
    if hasattr(windows, "release"):
        windows.release(size)
    elif isinstance(windows, dict):
        windows.pop(size, None)


def dot_pairs(types: list[tuple[int, int]], need: set[str]) -> list[tuple[int, int]]:
    """The (source window size, target window size) dot-product tables the features in ``need`` read."""
    out = set()
    leak = bool({"leak", "leak_gap"} & need)
    for a, b in types:
        if not a or not b:
            continue
        out.add((a, b))
        if a > 1 or b > 1:
            if b > 1:
                out.add((a, 1))
            if a > 1:
                out.add((1, b))
            out.add((1, 1))
        if leak:
            out.update({(a, 1), (1, b)})
    return sorted(out)


def _grid(ctx: Context, a: int, b: int):
    band = ctx.band
    n, m = band.n, band.m
    xs, ys, ok = _window_index(band, a, b)
    ok &= (xs + a <= n) & (ys + b <= m)
    xs_c = np.clip(xs, 0, max(n - max(a, 1), 0))
    ys_c = np.clip(ys, 0, max(m - max(b, 1), 0))
    return xs_c, ys_c, ok


def feature_columns(ctx: Context, a: int, b: int, need: set[str], dots: BandDots, cells=None):
    """Yield ``(feature name, float32 (n + 1, W) array)`` for the features of bead type (a, b) named in ``need``
    (the type one-hot excluded), and nothing else: a feature nobody weighs is never computed. ``cells``: only the
    beads ending at these band cells (``(rows, cols)``; 1-D columns in that order).

    The one definition of every bead feature: training (``features``) stacks the columns, the search
    (``score_tensors``) adds them up weighted, without ever holding them all.
    """
    n, m = ctx.band.n, ctx.band.m
    xs_c, ys_c, ok = _grid(ctx, a, b)
    if cells is not None:
        xs_c, ys_c, ok = xs_c[cells], ys_c[cells], ok[cells]
    f32 = np.float32
    if a == 0 or b == 0:
        # null bead: how well the lone sentence matches anything nearby, and its length
        if a == 1:
            best, ln, idx = ctx.rx, ctx.len_x / max(np.mean(ctx.len_x), 1e-9), xs_c
        else:
            best, ln, idx = ctx.ry, ctx.len_y / max(np.mean(ctx.len_y), 1e-9), ys_c
        if len(best):
            if "null_best" in need:
                yield "null_best", best[np.clip(idx, 0, len(best) - 1)].astype(f32)
            if "null_len" in need:
                yield "null_len", np.log1p(ln[np.clip(idx, 0, len(ln) - 1)]).astype(f32)
        return
    xi = np.clip(xs_c, 0, n - a)
    yi = np.clip(ys_c, 0, m - b)
    cos = dots.get(a, b, xi, yi)
    if "cos" in need:
        yield "cos", cos
    rx = _mean_over_window(ctx.rx, xs_c, a)
    ry = _mean_over_window(ctx.ry, ys_c, b)
    margin = (cos - (rx + ry) / 2).astype(f32)
    if "margin" in need:
        yield "margin", margin
    if "cos_sq" in need:
        yield "cos_sq", cos * cos
    if "margin_sq" in need:
        yield "margin_sq", np.square(margin)
    if need & {"len_z2", "len_absz", "cos_lp", "margin_lp"}:
        lx = _mean_over_window(ctx.len_x, xs_c, a) * a
        ly = _mean_over_window(ctx.len_y, ys_c, b) * b
        z = np.log((ly + 2.0) / (ctx.ratio * lx + 2.0))
        if "len_z2" in need:
            yield "len_z2", (z * z).astype(f32)
        if "len_absz" in need:
            yield "len_absz", np.abs(z).astype(f32)
        # Bertalign-style multiplicative length penalty: log2(1 + shorter / longer), ratio-adjusted lengths
        lp = np.log2(1.0 + np.exp(-np.abs(z)))
        if "cos_lp" in need:
            yield "cos_lp", (cos * lp).astype(f32)
        if "margin_lp" in need:
            yield "margin_lp", (margin * lp).astype(f32)
    if a > 1 or b > 1:
        if need & {"member_marg", "member_min", "gain"}:
            # every member of a multi-sentence side must contribute: weakest member vs the other side's window
            mins = np.full(ok.shape, np.inf, dtype=f32)
            best_sub = np.full(ok.shape, -np.inf, dtype=f32)
            # each member's similarity to the other side, relative to its own best neighbours (a short sentence
            # attached to this bead should match it better than it matches the sentences around it)
            mmarg = np.full(ok.shape, np.inf, dtype=f32)
            for q in range(b if b > 1 else 0):
                qq = np.clip(ys_c + q, 0, m - 1)
                d = dots.get(a, 1, xi, qq)
                mins = np.minimum(mins, d)
                best_sub = np.maximum(best_sub, d)
                mmarg = np.minimum(mmarg, d - ctx.ry[qq])
            for p in range(a if a > 1 else 0):
                pp = np.clip(xs_c + p, 0, n - 1)
                d = dots.get(1, b, pp, yi)
                mins = np.minimum(mins, d)
                best_sub = np.maximum(best_sub, d)
                mmarg = np.minimum(mmarg, d - ctx.rx[pp])
            if "member_marg" in need:
                yield "member_marg", mmarg.astype(f32)
            if "member_min" in need:
                yield "member_min", mins
            if "gain" in need:
                yield "gain", cos - best_sub
        if need & {"sub_mean", "cos_mean"}:
            # mean of the sentence-to-sentence similarities of the bead (a vector-average view of the overlap)
            tot = np.zeros(ok.shape, dtype=f32)
            for p in range(a):
                for q in range(b):
                    tot += dots.get(1, 1, np.clip(xs_c + p, 0, n - 1), np.clip(ys_c + q, 0, m - 1))
            if "sub_mean" in need:
                yield "sub_mean", tot / (a * b)
            if "cos_mean" in need:
                yield "cos_mean", cos - tot / (a * b)
    else:
        if "member_min" in need:
            yield "member_min", cos
        if "sub_mean" in need:
            yield "sub_mean", cos
        if "member_marg" in need:
            yield "member_marg", margin
    # leak: does a sentence just outside the bead (before or after it, on either side) match the bead's other
    # side? If so, the bead's content crosses its boundary: the bead may have to grow, or merge with a neighbour
    if need & {"leak", "leak_gap"}:
        best_out = np.full(ok.shape, -1.0, dtype=f32)
        for nb in (ys_c - 1, ys_c + b):          # target sentences around the bead vs its source window
            inside = (nb >= 0) & (nb < m)
            d = dots.get(a, 1, xi, np.clip(nb, 0, max(m - 1, 0)))
            best_out = np.maximum(best_out, np.where(inside, d, -1.0))
        for nb in (xs_c - 1, xs_c + a):          # source sentences around the bead vs its target window
            inside = (nb >= 0) & (nb < n)
            d = dots.get(1, b, np.clip(nb, 0, max(n - 1, 0)), yi)
            best_out = np.maximum(best_out, np.where(inside, d, -1.0))
        if "leak" in need:
            yield "leak", best_out
        if "leak_gap" in need:
            yield "leak_gap", cos - best_out
    if need & {"end_quote_mis", "end_punct_mis", "quote_bal_mis"} and ctx.shape_x is not None \
            and ctx.shape_y is not None and len(ctx.shape_x) and len(ctx.shape_y):
        sx = ctx.shape_x[np.clip(xs_c + a - 1, 0, len(ctx.shape_x) - 1)]
        sy = ctx.shape_y[np.clip(ys_c + b - 1, 0, len(ctx.shape_y) - 1)]
        if "end_quote_mis" in need:
            yield "end_quote_mis", (sx[..., 0] != sy[..., 0]).astype(f32)
        if "end_punct_mis" in need:
            yield "end_punct_mis", (sx[..., 1] != sy[..., 1]).astype(f32)
        if "quote_bal_mis" in need:
            bx = _mean_over_window(ctx.shape_x[:, 2].astype(np.float64), xs_c, a) * a
            by = _mean_over_window(ctx.shape_y[:, 2].astype(np.float64), ys_c, b) * b
            yield "quote_bal_mis", np.minimum(np.abs(bx - by), 2.0).astype(f32)
    if ctx.lex is not None and need & {"lex_num", "lex_dict"}:
        L = ctx.lex(a, b, xs_c, ys_c)
        if "lex_num" in need:
            yield "lex_num", np.asarray(L[..., 0], dtype=f32)
        if "lex_dict" in need:
            yield "lex_dict", np.asarray(L[..., 1], dtype=f32)


def features(ctx: Context, a: int, b: int, leak: bool = True,
             dots: BandDots | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Feature tensor (n + 1, W, len(ALL_FEATURES)) for bead type (a, b), and the validity mask (for training).

    ``leak=False`` leaves the two leak columns at zero (a scorer that gives them no weight need not pay for them).
    """
    dots = dots if dots is not None else BandDots(ctx)
    _, _, ok = _grid(ctx, a, b)
    F = np.zeros(ok.shape + (len(ALL_FEATURES),), dtype=np.float32)
    col = {f: k for k, f in enumerate(ALL_FEATURES)}
    F[..., col[_type_feature(a, b)]] = 1.0
    need = set(FEATURES) - (set() if leak else {"leak", "leak_gap"})
    for name, v in feature_columns(ctx, a, b, need, dots):
        F[..., col[name]] = v
    return F, ok


def bead_score(columns, weights: np.ndarray, bias: float, ok: np.ndarray, type_name: str, bonus: float) -> np.ndarray:
    """The linear log-odds of every candidate bead of one type: ``sum_k w_k * feature_k + bias (+ bonus)``, -1e9
    where the bead cannot be. ``columns`` yields (feature name, array); the same function scores beads in training
    (from stacked feature tensors) and in the search (from feature_columns), so both add in the same order."""
    col = {f: k for k, f in enumerate(ALL_FEATURES)}
    s = np.full(ok.shape, weights[col[type_name]] + bias + bonus, dtype=np.float64)
    for name, v in columns:
        wk = weights[col[name]]
        if wk:
            s += wk * v.astype(np.float64)
    return np.where(ok, s, -1e9)


def stacked_columns(F: np.ndarray):
    """(name, column) pairs of a feature tensor from ``features``, type one-hots left out (bead_score adds them)."""
    return ((f, F[..., k]) for k, f in enumerate(ALL_FEATURES) if not f.startswith("t_"))


def needed_features(weights: np.ndarray) -> set[str]:
    return {f for f, w in zip(ALL_FEATURES, weights) if w and not f.startswith("t_")}


def score_kept(ctx: Context, types: list[tuple[int, int]], weights: np.ndarray, bias: float, bead_bonus: float,
               keep: list) -> np.ndarray:
    """``score_tensors`` where ``keep[t]`` (a boolean band mask, prune.keep_masks) limits type ``t`` to those beads:
    their features are computed bead by bead (direct dot products, no tables) and every other bead of that type is
    ``PRUNED``; types with ``keep[t] is None`` are scored whole, as in score_tensors."""
    from .prune import PRUNED
    need = needed_features(weights)
    dots, direct = BandDots(ctx), BandDots(ctx, direct=True)
    out = np.empty((len(types), ctx.band.n + 1, ctx.band.width))
    with one_blas_thread():
        for t, (a, b) in enumerate(types):
            bonus = bead_bonus if a and b else 0.0
            _, _, ok = _grid(ctx, a, b)
            if keep[t] is None:
                out[t] = bead_score(feature_columns(ctx, a, b, need, dots), weights, bias, ok, _type_feature(a, b),
                                    bonus)
                continue
            cells = np.nonzero(keep[t] & ok)
            out[t] = PRUNED
            if len(cells[0]):
                out[t][cells] = bead_score(feature_columns(ctx, a, b, need, direct, cells), weights, bias, ok[cells],
                                           _type_feature(a, b), bonus)
    return out


def score_tensors(ctx: Context, types: list[tuple[int, int]], weights: np.ndarray, bias: float,
                  bead_bonus: float = 0.0, free: bool = False) -> np.ndarray:
    """Linear log-odds score of every candidate bead, plus a constant bonus per non-null bead: (types, n + 1, W).

    Features with zero weight are skipped; the weighted features are added up one at a time (no feature tensor).
    ``free=True`` drops the context's window vectors once the dot-product tables are built (the search does not
    need them afterwards; training keeps them)."""
    need = needed_features(weights)
    dots = BandDots(ctx)
    out = np.empty((len(types), ctx.band.n + 1, ctx.band.width))     # one block: the compiled DP reads it as is
    with one_blas_thread():
        if free:
            dots.release(dot_pairs(types, need))
        for t, (a, b) in enumerate(types):
            _, _, ok = _grid(ctx, a, b)
            out[t] = bead_score(feature_columns(ctx, a, b, need, dots), weights, bias, ok, _type_feature(a, b),
                                bead_bonus if a and b else 0.0)
    return out
