"""The library entry point: texts or sentence lists in, an :class:`Alignment` out. Prints nothing."""
from __future__ import annotations

import logging
import math
import time
from typing import Sequence

from . import validate
from .align import empties, parallel_check
from .align.longtext import MAX_EMBED_CHARS, MAX_SENTENCE_CHARS, cap_sentences
from .align import soft_merge
from .align.pipeline import Params, RawBead, align_texts
from .align.structure import Structure
from .align.weights import load_weights, weights_name_for
from .embed.registry import describe_encoder, load_encoder
from .errors import InputError
from .document import Document
from .model import Alignment, Bead, Sentence
from .progress import Progress, reporting
from .segment import pre_split as _pre_split
from .segment import _clean_input as _segment_input
from .segment import segment_document
from .segment.join import join_sentences
from .segment.soft import split_soft

log = logging.getLogger(__name__)

QUALITY = validate.QUALITY


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


def _cap_long(S, T, src, tgt, src_lang, tgt_lang, pre_split) -> tuple[list, list, list]:
    """Cut overlong running-text segments (see ``align.longtext``): ``(S, T, warnings)``, one warning per side
    that had any; pre-split or list input keeps its sentences, and an overlong one is only reported."""
    warnings: list = []
    out = []
    for side, sents, raw, lang in (("source", S, src, src_lang), ("target", T, tgt, tgt_lang)):
        if isinstance(raw, str) and not pre_split:
            sents, n_cut = cap_sentences(sents, lang, source=raw)
            if n_cut:
                warnings.append(f"{n_cut} {side} segment(s) longer than {MAX_SENTENCE_CHARS:,} characters had no "
                                f"sentence end and were cut into pieces (now {len(sents)} sentences)")
        else:
            big = [k for k, s in enumerate(sents) if len(s.text) > MAX_EMBED_CHARS]
            if big:
                warnings.append(f"{len(big)} {side} sentence(s) longer than {MAX_EMBED_CHARS:,} characters (first: "
                                f"sentence {big[0] + 1}, {len(sents[big[0]].text):,} characters) were kept whole "
                                f"but embedded piecewise: are the lines really sentences?")
        out.append(sents)
    return out[0], out[1], warnings


def _full_rows(E, keep: list[int], n: int):
    """Rows of ``E`` (one per kept sentence) placed at their sentence ids among ``n``; zero rows elsewhere."""
    if len(keep) == n:
        return E
    import numpy as np
    out = np.zeros((n, E.shape[1]), dtype=E.dtype)
    out[keep] = E
    return out


def calibrate(logit: float, calibration: dict | None) -> float:
    """Bead log-odds -> a confidence in [0, 1] (Platt scaling fitted on cross-validated dev beads)."""
    a, b = (calibration or {}).get("a", 1.0), (calibration or {}).get("b", 0.0)
    z = max(-50.0, min(50.0, a * logit + b))
    return 1.0 / (1.0 + math.exp(-z))


def _confidence(r: RawBead, calibration: dict | None) -> float:
    """A bead's confidence: the one a pass set without the scorer (``RawBead.confidence``), else its calibrated
    logit."""
    return r.confidence if r.confidence is not None else calibrate(r.logit, calibration)


class Aligner:
    """Holds a loaded embedding model, so that many document pairs share it (and its cache).

    Every bad argument raises :class:`aligner.InputError` (also a ``ValueError``) with a one-line
    message, here or in :meth:`align`; ``src_lang``/``tgt_lang`` are the defaults of :meth:`align`.
    """

    def __init__(self, model: str | None = None, *, quality: str = "default", max_bead: int = 5,
                 cache_dir: str | None = None, threads: int | None = None, encoder=None,
                 src_lang: str = "zh", tgt_lang: str = "en", mem_cache_bytes: int | None = None, device: str | None = None):
        self.model = validate.resolve_model(model, quality)
        self.quality = quality
        max_bead = validate.check_int("max_bead", max_bead, 1, validate.MAX_BEAD_LIMIT)
        threads = validate.check_threads(threads)
        self.src_lang, self.tgt_lang = validate.check_langs(src_lang, tgt_lang)
        if encoder is None:
            cache_dir = validate.check_cache_dir(cache_dir)
        self.encoder = encoder if encoder is not None else load_encoder(self.model, threads=threads,
                                                                        cache_dir=cache_dir,
                                                                        mem_cache_bytes=mem_cache_bytes, device=device)
        wname = weights_name_for(self.model, quality)
        if model is not None and quality != "default" and validate.QUALITY[quality] != self.model \
                and wname == weights_name_for(self.model):
            log.warning("--quality %s has no effect with --model %s: the model is given, and it has no %s scorer",
                        quality, self.model, quality)
        # the scorer was trained with a given overlap mode and feature set: use the same at run time
        self.params = Params.for_weights(wname, max_bead=max_bead)
        #: use blocks, headings and numbering as alignment evidence (aligner.align.structure)
        self.structure = True
        #: with ``structure``: set whole blocks without counterpart aside as null beads before the sentence search
        #: (aligner.align.orphans; what it did is in ``Alignment.stats["orphan_blocks"]``)
        self.orphans = True
        #: cut running text at soft points (aligner.segment.soft) and keep them where the other side agrees
        self.soft_split = True

    def close(self) -> None:
        """Release the embedding caches (memory, and the SQLite file of ``cache_dir``)."""
        close = getattr(self.encoder, "close", None)
        if close is not None:
            close()

    def __enter__(self) -> "Aligner":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def align(self, src: str | Sequence[str], tgt: str | Sequence[str], *, src_lang: str | None = None,
              tgt_lang: str | None = None, pre_split: bool = False, keep_notes: bool = False,
              reflow: bool | None = None, check_lang: bool = True, progress: Progress | None = None) -> Alignment:
        """Align ``src`` with ``tgt`` (texts, or lists of sentences).

        ``check_lang``: refuse a pair whose sides look like one language or the two languages
        swapped. ``progress``: called as ``progress(stage, done, total)`` (see
        :mod:`aligner.progress`). Empty or whitespace-only sentences of a list are kept as 1-0/0-1
        beads and never aligned. Findings for the user go to ``Alignment.warnings``.
        """
        validate.check_int("max_bead", self.params.max_bead, 1, validate.MAX_BEAD_LIMIT)
        src_lang, tgt_lang = validate.check_langs(self.src_lang if src_lang is None else src_lang,
                                                  self.tgt_lang if tgt_lang is None else tgt_lang)
        src, tgt = validate.check_side(src, "source"), validate.check_side(tgt, "target")
        t_start = time.perf_counter()
        if progress is not None:
            progress("segmenting", 0, 1)
        found: dict = {}
        S = _sentences(src, src_lang, pre_split, keep_notes, reflow, found, "source")
        T = _sentences(tgt, tgt_lang, pre_split, keep_notes, reflow, found, "target")
        if progress is not None:
            progress("segmenting", 1, 1)
        al = self._align(S, T, src, tgt, src_lang, tgt_lang, t_start, pre_split=pre_split, check_lang=check_lang,
                         progress=progress, soft=(isinstance(src, str) and not pre_split,
                                                  isinstance(tgt, str) and not pre_split))
        _report(al, found, keep_notes)
        return al

    def align_documents(self, src_doc: Document, tgt_doc: Document, *, src_lang: str | None = None,
                        tgt_lang: str | None = None, keep_notes: bool = False, src_name: str = "source",
                        tgt_name: str = "target", check_lang: bool = True,
                        progress: Progress | None = None) -> Alignment:
        """Align two :class:`~aligner.document.Document` (from :func:`aligner.read.read_document`): sentences never
        cross a block; what the readers set aside is counted in ``stats["set_aside"]`` and reported in
        ``warnings`` when it is a sizeable share of a document."""
        validate.check_int("max_bead", self.params.max_bead, 1, validate.MAX_BEAD_LIMIT)
        src_lang, tgt_lang = validate.check_langs(self.src_lang if src_lang is None else src_lang,
                                                  self.tgt_lang if tgt_lang is None else tgt_lang)
        t_start = time.perf_counter()
        S = segment_document(src_doc, src_lang, keep_notes)
        T = segment_document(tgt_doc, tgt_lang, keep_notes)
        al = self._align(S, T, src_doc.text, tgt_doc.text, src_lang, tgt_lang, t_start, check_lang=check_lang,
                         progress=progress, soft=(True, True))
        _report(al, {src_name: (src_doc, S, src_lang), tgt_name: (tgt_doc, T, tgt_lang)}, keep_notes)
        return al

    def align_files(self, src_path, tgt_path, *, src_lang: str | None = None, tgt_lang: str | None = None,
                    keep_notes: bool = False, src_encoding: str | None = None, tgt_encoding: str | None = None,
                    check_lang: bool = True, progress: Progress | None = None) -> Alignment:
        """Read two files of any supported format (.txt .md .html .docx .pdf, any mix) and align them."""
        from .read import read_document
        src_lang, tgt_lang = validate.check_langs(self.src_lang if src_lang is None else src_lang,
                                                  self.tgt_lang if tgt_lang is None else tgt_lang)
        src_doc = read_document(src_path, src_lang, src_encoding)
        tgt_doc = read_document(tgt_path, tgt_lang, tgt_encoding)
        return self.align_documents(src_doc, tgt_doc, src_lang=src_lang, tgt_lang=tgt_lang, keep_notes=keep_notes,
                                    src_name=str(src_path), tgt_name=str(tgt_path), check_lang=check_lang,
                                    progress=progress)

    def _align(self, S: list[Sentence], T: list[Sentence], src, tgt, src_lang: str, tgt_lang: str, t_start: float,
               *, pre_split: bool = False, check_lang: bool = True, progress: Progress | None = None,
               soft: tuple[bool, bool] = (False, False)) -> Alignment:
        """Sentences of both sides -> beads. ``src``/``tgt``: the texts the sentences' spans point into (or the
        sentence lists given). ``soft``: per side, whether its sentences are the segmenter's (running text), and so
        may be cut at soft points (aligner.segment.soft) when ``self.soft_split``."""
        S, T, warnings = _cap_long(S, T, src, tgt, src_lang, tgt_lang, pre_split)
        wholes = (S, T)
        soft_s, soft_t = [False] * len(S), [False] * len(T)
        if self.soft_split and soft[0]:
            S, soft_s = split_soft(S, src_lang)
        if self.soft_split and soft[1]:
            T, soft_t = split_soft(T, tgt_lang)
        log.info("segmented: %d %s and %d %s sentences", len(S), src_lang, len(T), tgt_lang)
        src_text = src if isinstance(src, str) else "\n".join(s.text for s in S)
        tgt_text = tgt if isinstance(tgt, str) else "\n".join(t.text for t in T)
        if check_lang:
            validate.check_languages_seen(src_text, tgt_text, src_lang, tgt_lang)
        from .formats.readers import check_pair
        warnings += check_pair(src_text, tgt_text, src_lang, tgt_lang)
        src_keep, tgt_keep = empties.nonempty([s.text for s in S]), empties.nonempty([t.text for t in T])
        S_in, T_in = [S[i].text for i in src_keep], [T[j].text for j in tgt_keep]
        timings: dict = {}
        emb: dict = {}
        info: dict = {}
        swapped = (src_lang, tgt_lang) == ("en", "zh")
        structure = (Structure.from_sentences([S[i] for i in src_keep], [T[j] for j in tgt_keep])
                     if self.structure else None)
        with reporting(self.encoder, progress, S_in + T_in):
            if swapped:
                # the scorer is direction-aware (bead types, lexical features): search zh -> en, then swap back
                raw = [RawBead(r.j0, r.j1, r.i0, r.i1, r.logit, r.confidence) for r in
                       align_texts(T_in, S_in, "zh", "en", self.encoder, self.params, timings, keep=emb,
                                   structure=structure.swapped() if structure else None, info=info,
                                   orphans=self.orphans)]
            else:
                raw = align_texts(S_in, T_in, src_lang, tgt_lang, self.encoder, self.params, timings, keep=emb,
                                  structure=structure, info=info, orphans=self.orphans)
        soft_stats = None
        cal = load_weights(self.params.weights).get("calibration")
        if any(soft_s) or any(soft_t):
            raw, soft_stats = soft_merge.merge_soft(raw, [soft_s[i] for i in src_keep], [soft_t[j] for j in tgt_keep],
                                                    [_confidence(r, cal) for r in raw])
            log.info("soft points: %d source, %d target; %d kept as bead boundaries, %d beads merged", sum(soft_s),
                     sum(soft_t), soft_stats["soft_kept"], soft_stats["beads_merged"])
        beads = []
        for src_ids, tgt_ids, r in empties.restore([(range(r.i0, r.i1), range(r.j0, r.j1), r) for r in raw],
                                                   src_keep, tgt_keep, len(S), len(T)):
            score = 0.0 if r is None else round(_confidence(r, cal), 4)
            beads.append(Bead(src=src_ids, tgt=tgt_ids, score=score,
                              src_text=join_sentences((S[i].text for i in src_ids if S[i].text.strip()), src_lang),
                              tgt_text=join_sentences((T[j].text for j in tgt_ids if T[j].text.strip()), tgt_lang)))
        scorer = {"name": self.params.weights, **info.get("scorer", {"calibration": "none (empty side)"})}
        if str(scorer.get("calibration", "")).startswith("document-"):
            warnings.append(f"model {self.model} has no trained scorer: using the {scorer['trained_for']} weights with "
                            f"this document's similarities mapped onto their scale ({scorer['calibration']}); "
                            f"confidences are less reliable")
        X = Y = None
        if emb:
            X, Y = (emb["Y"], emb["X"]) if swapped else (emb["X"], emb["Y"])
            X, Y = _full_rows(X, src_keep, len(S)), _full_rows(Y, tgt_keep, len(T))
        if soft_stats is not None:
            # pieces in one bead are one sentence again; a soft point at a bead boundary is now a sentence end
            S2, T2, beads, own_s, own_t = soft_merge.rejoin_alignment(S, T, beads, soft_s, soft_t, *wholes,
                                                                      src_lang, tgt_lang)
            soft_stats.update({"source_points": sum(soft_s), "target_points": sum(soft_t),
                               "source_sentences_added": len(S2) - len(wholes[0]),
                               "target_sentences_added": len(T2) - len(wholes[1])})
            if X is not None:
                X, Y = soft_merge.pool_rows(X, own_s, len(S2)), soft_merge.pool_rows(Y, own_t, len(T2))
            S, T = S2, T2
        al = Alignment(src_lang=src_lang, tgt_lang=tgt_lang, src=S, tgt=T, beads=beads, model=self.model,
                       stats={"timings": timings, "scorer": scorer, "encoder": describe_encoder(self.encoder)},
                       warnings=warnings)
        if soft_stats is not None:
            al.stats["soft_points"] = soft_stats
        if "orphans" in info:     # the block pass (align.orphans): blocks set aside as null beads before the search
            al.stats["orphan_blocks"] = _sided(info["orphans"], swapped)
        if "windows" in info:     # two-pass search (better, best): how many multi-sentence windows were embedded
            al.stats["windows"] = info["windows"]
        if X is not None:
            # embeddings cover the non-empty sentences only: empty ones get zero rows (they sit in null beads)
            found, al.stats["parallel_check"] = parallel_check.check(al, X, Y)
            al.warnings.extend(found)
        timings["total"] = time.perf_counter() - t_start
        log.info("aligned into %d beads in %.2f s", len(beads), timings["total"])
        return al


def _sided(stats: dict, swapped: bool) -> dict:
    """The block pass's per-side pairs (search order: zh first) as ``{"source": ., "target": .}``."""
    out = {}
    for k, v in stats.items():
        if isinstance(v, list) and len(v) == 2:
            a, b = (v[1], v[0]) if swapped else (v[0], v[1])
            out[k] = {"source": a, "target": b}
        else:
            out[k] = v
    return out


def _report(al: Alignment, found: dict, keep_notes: bool) -> None:
    """Set-aside counts into ``al.stats["set_aside"]``; reader guesses and sizeable set-asides into warnings."""
    from .read import set_aside_findings
    # the aligned sentences: the segmenter's, plus the soft points kept as sentence ends (stats["soft_points"])
    aligned = {"source": len(al.src), "target": len(al.tgt)}
    for k, (name, (doc, sents, lang)) in enumerate(found.items()):
        side = name if name in aligned else ("source", "target")[k]   # align() keys by side, align_documents by file
        # the "only N sentences from K characters" check counts what is aligned (after the long-segment cut and the
        # soft points), the number the summary and the output show, not the segmenter's sentences
        counts, warns = set_aside_findings(doc, aligned[side], lang, name, keep_notes)
        al.stats.setdefault("set_aside", {})[name] = counts
        al.stats.setdefault("documents", {})[name] = {"format": doc.format, "blocks": len(doc.blocks),
                                                      "sentences": len(sents), "aligned_sentences": aligned[side],
                                                      **doc.stats}
        for line in list(doc.notes) + warns:
            if line not in al.warnings:
                al.warnings.append(line)


def align(src: str | Sequence[str], tgt: str | Sequence[str], *, src_lang: str = "zh", tgt_lang: str = "en",
          model: str | None = None, quality: str = "default", max_bead: int = 5, pre_split: bool = False,
          keep_notes: bool = False, reflow: bool | None = None, cache_dir: str | None = None,
          threads: int | None = None, check_lang: bool = True, progress: Progress | None = None,
          device: str | None = None) -> Alignment:
    """Align two documents (raw text, or lists of sentences) and return an :class:`Alignment`.

    >>> al = align("我来了。你好。", "I came. Hello.")          # doctest: +SKIP
    >>> [(b.src, b.tgt) for b in al.beads]                     # doctest: +SKIP
    [((0,), (0,)), ((1,), (1,))]
    """
    validate.check_langs(src_lang, tgt_lang)
    validate.check_side(src, "source"), validate.check_side(tgt, "target")  # before loading a model
    with Aligner(model, quality=quality, max_bead=max_bead, cache_dir=cache_dir, threads=threads,
                 device=device) as a:
        return a.align(src, tgt, src_lang=src_lang, tgt_lang=tgt_lang, pre_split=pre_split, keep_notes=keep_notes,
                       reflow=reflow, check_lang=check_lang, progress=progress)
