"""Sentences -> band -> scored candidate beads -> DP -> beads, for one document pair."""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass, replace

import numpy as np

from ..segment.join import join_sentences
from .band import find_band
from .calibrate import prepare_scorer
from .dp_fast import banded_dp
from .longtext import MAX_EMBED_CHARS, encode_capped
from .prune import keep_masks, kept_windows
from .score import Context, bead_types, score_kept, score_tensors
from .shape import end_shapes
from .windows import KeptWindows, LazyWindows, window_sums as _window_sums
from .weights import load_weights

log = logging.getLogger(__name__)


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

    @classmethod
    def for_weights(cls, weights: str = "default", **kw) -> "Params":
        """Params for a shipped scorer: the window mode and lexical features it was trained with (``kw``: the rest)."""
        w = load_weights(weights)
        return cls(weights=weights, overlap=w["overlap"], lexical=w["lexical"], **kw)


@dataclass
class RawBead:
    i0: int
    i1: int
    j0: int
    j1: int
    logit: float
    #: a confidence set by a pass that decided the bead without the scorer (the orphan block pass), used as it is
    #: instead of calibrating ``logit``; None for the scorer's beads
    confidence: float | None = None


def length_units(texts: list[str]) -> np.ndarray:
    """Characters without spaces: comparable across zh and en via a per-document ratio."""
    return np.array([max(1, len("".join(t.split()))) for t in texts], dtype=np.float64)  # split(): isspace


def build_context(src: list[str], tgt: list[str], src_lang: str, tgt_lang: str, encoder, params: Params,
                  timings: dict | None = None, vectors=None) -> tuple[Context, list[tuple[int, int]]]:
    """``vectors``: the sentence embeddings ``(X, Y)`` when already computed (the orphan pass embeds first)."""
    timings = timings if timings is not None else {}
    t0 = time.perf_counter()
    if vectors is None:
        X = encode_capped(encoder, src)
        Y = encode_capped(encoder, tgt)
        timings["embed_sentences"] = time.perf_counter() - t0
    else:
        X, Y = vectors
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
    if mode in ("mean", "lenmean") or (hybrid and first is None):
        # built one size at a time when the scorer asks, and dropped once used (windows.py)
        return LazyWindows(E, lengths if mode != "mean" else None)
    lengths = lengths[:, None]
    out = {1: E}
    for s in sizes:
        if s == 1:
            continue
        if len(texts) < s:
            out[s] = np.zeros((0, E.shape[1]), dtype=np.float32)
        elif mode == "model":
            out[s] = _embed_windows(texts, s, lang, encoder, E * lengths)
        elif first is not None:
            k = len(encoder.encoder.members)
            d0 = _member_dim(first, E, k)
            if s <= max_embedded:
                A = _embed_windows(texts, s, lang, first, E[:, :d0] * lengths)
            else:
                A = _window_sums(E[:, :d0] * lengths, s)
            rest = _window_sums(E[:, d0:] * lengths, s) * np.sqrt((k - 1) / k)
            out[s] = np.concatenate([A / np.sqrt(k), rest], axis=1).astype(np.float32)
        else:
            out[s] = _window_sums(E * lengths if mode == "lenmean" or hybrid else E, s)
    return out


def _member_dim(first, E: np.ndarray, k: int) -> int:
    d = getattr(first, "dim", None)
    return int(d) if d else E.shape[1] // k


def _embed_windows(texts, size, lang, encoder, weighted: np.ndarray) -> np.ndarray:
    """The encoder's vectors of every window of ``size`` sentences; a window longer than the embedding cap is not
    joined and embedded (that would redo the work of its giant member once per window) but gets the length-weighted
    mean of its sentence vectors (``weighted``: the sentence vectors times their lengths)."""
    lens = np.array([len(t) for t in texts], dtype=np.int64)
    c = np.concatenate([[0], np.cumsum(lens)])
    tot = c[size:] - c[:-size]
    ok = np.nonzero(tot <= MAX_EMBED_CHARS)[0]
    out = _window_sums(weighted, size)
    if len(ok):
        out[ok] = encoder.encode([join_sentences(texts[p:p + size], lang) for p in ok])
    return out


def decode(ctx: Context, types, weights: np.ndarray, bias: float, bonus: float, structure=None,
           keep=None) -> list[RawBead]:
    """The best path of beads; ``keep`` (prune.keep_masks): only these multi-sentence beads are candidates."""
    if keep is None:
        scores = score_tensors(ctx, types, weights, bias, bonus, free=True)
    else:                   # two-pass search: only the kept multi-sentence beads are scored
        scores = score_kept(ctx, types, weights, bias, bonus, keep)
    # document structure (blocks, headings, numbering) steers the search; the logits below stay the scorer's
    terms = _structure_terms(ctx.band, types, structure)
    for t, term in enumerate(terms):
        if term is not None:
            scores[t] += term
    path = banded_dp(ctx.band, types, scores)
    out = []
    for i0, i1, j0, j1 in path:
        t = types.index((i1 - i0, j1 - j0))
        k = j1 - ctx.band.lo[i1]
        steer = float(terms[t][i1, k]) if terms[t] is not None else 0.0
        out.append(RawBead(i0, i1, j0, j1, float(scores[t][i1, k]) - steer - (bonus if i1 > i0 and j1 > j0 else 0.0)))
    return out


def _search(ctx, types, w, structure, src, tgt, src_lang, tgt_lang, encoder, params, timings, info) -> list[RawBead]:
    """One search, or (weights with a ``prune`` section) the two-pass search of prune.py: pass 1 scores every bead
    with the cheap windows and the pass-1 weights, keeps the multi-sentence beads that come within the margin of the
    best path, the model embeds only their windows, pass 2 scores the kept beads with the full scorer."""
    p = w["prune"]
    if p is None:
        return decode(ctx, types, w["weights"], w["bias"], w["bonus"], structure)
    first = score_tensors(ctx, types, p["weights"], p["bias"], p["bonus"])
    keep = keep_masks(ctx.band, types, with_structure(first, ctx.band, types, structure), p["margin"])
    del first
    xs, ys = kept_windows(ctx.band, types, keep)
    t0 = time.perf_counter()
    EX = _kept_windows(src, ctx.X, ctx.len_x, _sizes(types, 0), xs, src_lang, encoder, params.overlap)
    EY = _kept_windows(tgt, ctx.Y, ctx.len_y, _sizes(types, 1), ys, tgt_lang, encoder, params.overlap)
    dt = time.perf_counter() - t0
    # summed over a retry in a wider band: the search's time (align_texts) is its time less all of this
    timings["embed_kept_windows"] = timings.get("embed_kept_windows", 0.0) + dt
    timings["embed_overlaps"] = timings.get("embed_overlaps", 0.0) + dt
    total = sum(max(0, len(src) - s + 1) for s in _sizes(types, 0)) + sum(max(0, len(tgt) - s + 1)
                                                                          for s in _sizes(types, 1))
    kept = sum(map(len, xs.values())) + sum(map(len, ys.values()))
    log.info("two-pass search: the model embeds %d of %d multi-sentence windows (%.1f%%; pass-1 margin %g)",
             kept, total, 100.0 * kept / max(total, 1), p["margin"])
    if info is not None:
        info["windows"] = {"embedded": kept, "of": total, "margin": p["margin"]}
    return decode(replace(ctx, EX=EX, EY=EY), types, w["weights"], w["bias"], w["bonus"], structure, keep=keep)


def _sizes(types, side: int) -> list[int]:
    return sorted({t[side] for t in types if t[side] > 1})


def _kept_windows(texts, E, lengths, sizes: list[int], starts: dict, lang, encoder, mode) -> KeptWindows:
    """Window vectors for pass 2: the windows in ``starts`` as ``mode`` builds them (``hybrid``: an ensemble's first
    member embeds them, the other members' parts are length-weighted; ``model``: a single model embeds them); every
    other window is the length-weighted sum of sentence vectors, built only if read (those beads are pruned)."""
    ensemble = bool(getattr(getattr(encoder, "encoder", None), "members", None))
    if not ((mode.startswith("hybrid") and ensemble) or (mode == "model" and not ensemble)):
        raise ValueError(f"two-pass search needs hybrid windows of an ensemble or model windows of one model, "
                         f"not '{mode}' with {getattr(encoder, 'name', encoder)}")
    k = len(encoder.encoder.members) if ensemble else 1
    first = encoder.member(0) if ensemble else encoder
    d0 = _member_dim(first, E, k)
    W = E * lengths[:, None]
    lens = np.array([len(t) for t in texts], dtype=np.int64)
    c = np.concatenate([[0], np.cumsum(lens)])
    kept = {}
    for s in sizes:
        idx = starts.get(s, np.zeros(0, dtype=np.int64))
        if not len(idx):
            continue
        A = _window_sums(W[:, :d0], s, idx)
        fit = idx[(c[idx + s] - c[idx]) <= MAX_EMBED_CHARS]     # longer windows: lenmean, as _embed_windows
        if len(fit):
            A[np.searchsorted(idx, fit)] = first.encode([join_sentences(texts[p:p + s], lang) for p in fit])
        if ensemble:
            rest = _window_sums(W[:, d0:], s, idx) * np.sqrt((k - 1) / k)
            A = np.concatenate([A / np.sqrt(k), rest], axis=1)
        kept[s] = (idx, A.astype(np.float32))
    return KeptWindows(E, lengths, kept)


def with_structure(scores, band, types, structure) -> list[np.ndarray]:
    """``scores`` plus the structure terms (a new list; ``scores`` untouched)."""
    return [s if t is None else s + t for s, t in zip(scores, _structure_terms(band, types, structure))]


def _structure_terms(band, types, structure) -> list:
    """The additive terms of :mod:`aligner.align.structure` per bead type (``None`` where nothing applies)."""
    if structure is None:
        return [None] * len(types)
    from .structure import structure_terms
    return structure_terms(structure, band, types)


def align_texts(src: list[str], tgt: list[str], src_lang: str, tgt_lang: str, encoder, params: Params | None = None,
                timings: dict | None = None, keep: dict | None = None, structure=None,
                info: dict | None = None, orphans: bool = True) -> list[RawBead]:
    """Beads for one document pair. ``keep``, when given, receives the sentence embeddings (``"X"``, ``"Y"``);
    ``structure`` (:class:`aligner.align.structure.Structure`) adds block/heading/numbering terms and, with
    ``orphans``, lets the block pass (orphans.py) set whole blocks without counterpart aside as null beads before the
    sentence search (``info["orphans"]`` says what it decided); ``info`` receives ``scorer``: the weights and
    similarity calibration used (calibrate.py)."""
    params = params or Params.for_weights()
    timings = timings if timings is not None else {}
    if not src or not tgt:
        return ([RawBead(i, i + 1, 0, 0, 0.0) for i in range(len(src))]
                + [RawBead(0, 0, j, j + 1, 0.0) for j in range(len(tgt))])
    if structure is not None and orphans:
        return _align_without_orphans(src, tgt, src_lang, tgt_lang, encoder, params, timings, keep, structure, info)
    return _align_sentences(src, tgt, src_lang, tgt_lang, encoder, params, timings, keep, structure, info)


def _align_without_orphans(src, tgt, src_lang, tgt_lang, encoder, params, timings, keep, structure, info):
    """The block pass (orphans.find_orphans) on the sentence vectors, then the sentence search over the sentences it
    did not set aside; the set-aside ones come back as 1-0 / 0-1 beads at their place (empties.restore), with the
    pass's own measured confidence (orphans.ORPHAN_CONFIDENCE: the scorer never saw them)."""
    from . import empties
    from .orphans import ORPHAN_CONFIDENCE, find_orphans
    t0 = time.perf_counter()
    X, Y = encode_capped(encoder, src), encode_capped(encoder, tgt)
    timings["embed_sentences"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    found = find_orphans(X, Y, length_units(src), length_units(tgt), structure)
    timings["orphan_pass"] = time.perf_counter() - t0
    kx, ky = np.nonzero(~found.x)[0], np.nonzero(~found.y)[0]
    if found.any() and (len(kx) == 0 or len(ky) == 0):
        found.stats["skipped"] = "every block of a side would be set aside"
        found.x[:], found.y[:] = False, False
        kx, ky = np.arange(len(src)), np.arange(len(tgt))
    st = found.stats
    two = st.get("two_sided_blocks", [0, 0])
    log.info("orphan block pass: %d + %d of %d + %d blocks set aside (%d + %d sentences) as null beads%s%s",
             st["orphan_blocks"][0], st["orphan_blocks"][1], st["blocks"][0], st["blocks"][1],
             st["orphan_sentences"][0], st["orphan_sentences"][1],
             f", and {two[0]} + {two[1]} blocks of two-sided gaps ({st['two_sided_sentences'][0]} + "
             f"{st['two_sided_sentences'][1]} sentences)" if any(two) else "",
             f" ({st['skipped']})" if "skipped" in st else "")
    if info is not None:
        info["orphans"] = st
    if not found.any():
        return _align_sentences(src, tgt, src_lang, tgt_lang, encoder, params, timings, keep, structure, info,
                                vectors=(X, Y))
    inner = _align_sentences([src[i] for i in kx], [tgt[j] for j in ky], src_lang, tgt_lang, encoder, params,
                             timings, keep, structure.subset(kx, ky, found.wall_x, found.wall_y), info,
                             vectors=(X[kx], Y[ky]))
    if keep is not None:
        keep["X"], keep["Y"] = X, Y        # every sentence's row (the model's vectors, as _align_sentences keeps)
    out = []
    for sx, sy, r in empties.restore([(range(r.i0, r.i1), range(r.j0, r.j1), r) for r in inner],
                                     kx.tolist(), ky.tolist(), len(src), len(tgt)):
        i0, i1 = (sx[0], sx[-1] + 1) if sx else ((out[-1].i1 if out else 0),) * 2
        j0, j1 = (sy[0], sy[-1] + 1) if sy else ((out[-1].j1 if out else 0),) * 2
        out.append(RawBead(i0, i1, j0, j1, 0.0, ORPHAN_CONFIDENCE) if r is None else
                   RawBead(i0, i1, j0, j1, r.logit, r.confidence))
    return out


def _align_sentences(src, tgt, src_lang, tgt_lang, encoder, params, timings, keep, structure, info, vectors=None):
    """The sentence search (band, scorer, DP) over all of ``src`` and ``tgt`` (both non-empty: align_texts answers
    an empty side, and the orphan pass never sets a whole side aside)."""
    w = load_weights(params.weights)
    if w["prune"] is not None and params.overlap != w["overlap"]:
        raise ValueError(f"scorer '{params.weights}' searches twice and was trained with '{w['overlap']}' windows, "
                         f"not '{params.overlap}': build the parameters with Params.for_weights('{params.weights}')")
    first = params if w["prune"] is None else Params(**{**params.__dict__, "overlap": w["prune"]["overlap"]})
    ctx, types = build_context(src, tgt, src_lang, tgt_lang, encoder, first, timings, vectors)
    scorer = prepare_scorer(ctx, w)
    t0 = time.perf_counter()
    timings.pop("embed_kept_windows", None)
    try:
        beads = _search(ctx, types, w, structure, src, tgt, src_lang, tgt_lang, encoder, params, timings, info)
    except RuntimeError:  # the band missed a connection: search again in a band four times as wide
        wide = Params(**{**first.__dict__, "half_width": params.half_width * 4})
        ctx, types = build_context(src, tgt, src_lang, tgt_lang, encoder, wide, timings, vectors)
        scorer = prepare_scorer(ctx, w)
        beads = _search(ctx, types, w, structure, src, tgt, src_lang, tgt_lang, encoder, params, timings, info)
    if info is not None:
        info["scorer"] = scorer
    timings["dp"] = time.perf_counter() - t0 - timings.get("embed_kept_windows", 0.0)
    if keep is not None:
        keep["X"], keep["Y"] = getattr(ctx, "raw_vectors", (ctx.X, ctx.Y))     # the model's, not centred ones
    return beads
