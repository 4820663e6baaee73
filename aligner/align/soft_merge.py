"""Post-pass over the beads of sentences cut at soft points (:mod:`aligner.segment.soft`).

The aligner aligns the pieces; a bead boundary that falls at a soft point of one side survives only where the
other side has a real sentence boundary there too, and both beads are confident; anywhere else the beads on
either side of it are merged (a soft point inside a bead costs nothing: its pieces are joined again afterwards by
:func:`rejoin`).  So ``他说：| “……”`` stays one unit unless the translation also ends a sentence exactly there.
"""
from __future__ import annotations

import logging
from collections.abc import Sequence

from ..model import Bead, Sentence
from ..segment.join import join_sentences

log = logging.getLogger(__name__)

#: a soft boundary is kept only between two beads whose calibrated confidences both reach this: a split the scorer
#: does not clearly believe in is not worth a unit the segmenter would not have made. On mac-dev running text every
#: value from 0 to 0.9 scores within 0.002 (bench/tune_soft.py --grid); 0.86 is the best of them and cautious
KEEP_MIN_CONFIDENCE = 0.86


def merge_soft(raw: Sequence, soft_src: Sequence[bool], soft_tgt: Sequence[bool],
               confidence: Sequence[float], keep_min: float | None = None) -> tuple[list, dict]:
    """Beads over pieces (objects with ``i0 i1 j0 j1 logit``, in order) -> the same kind of beads with the beads
    around each unsupported soft boundary merged, and counts for ``Alignment.stats``.

    ``soft_src[i]`` says the boundary after source piece ``i`` is soft; ``confidence[k]`` is bead ``k``'s calibrated
    confidence; ``keep_min`` defaults to :data:`KEEP_MIN_CONFIDENCE`. A merged bead's logit is the lowest of its
    parts' (it is as reliable as its weakest part)."""
    keep_min = KEEP_MIN_CONFIDENCE if keep_min is None else keep_min
    beads = list(raw)
    n = len(beads)
    join = [False] * max(0, n - 1)      # join[k]: merge bead k with bead k + 1
    kept: list[int] = []                # soft boundaries kept: between bead k and k + 1
    for side, soft in ((0, soft_src), (1, soft_tgt)):
        ends = [(b.i0, b.i1) if side == 0 else (b.j0, b.j1) for b in beads]
        other = [(b.j0, b.j1) if side == 0 else (b.i0, b.i1) for b in beads]
        other_soft = soft_tgt if side == 0 else soft_src
        last = None      # the last bead with pieces on this side
        for k, (a, e) in enumerate(ends):
            if a == e:
                continue
            if last is not None and a > 0 and soft[a - 1]:
                # a bead boundary at a soft point of this side, between beads `last` and `k`
                if (k == last + 1 and other[last][0] < other[last][1] and other[k][0] < other[k][1]
                        and not other_soft[other[k][0] - 1]
                        and min(confidence[last], confidence[k]) >= keep_min):
                    kept.append(last)
                else:
                    for q in range(last, k):
                        join[q] = True
            last = k
    out = []
    k = 0
    while k < n:
        q = k
        while q < n - 1 and join[q]:
            q += 1
        out.append(beads[k] if q == k else _merged(beads[k:q + 1]))
        k = q + 1
    return out, {"soft_kept": sum(not join[q] for q in set(kept)), "beads_merged": sum(join)}


def _merged(part: Sequence):
    """One bead covering consecutive beads ``part`` (an empty side stays empty); its logit is the lowest, and so is
    its confidence where every part carries one set without the scorer (``RawBead.confidence``)."""
    src = [b for b in part if b.i1 > b.i0]
    tgt = [b for b in part if b.j1 > b.j0]
    i0, i1 = (src[0].i0, src[-1].i1) if src else (part[0].i0, part[0].i0)
    j0, j1 = (tgt[0].j0, tgt[-1].j1) if tgt else (part[0].j0, part[0].j0)
    bead = type(part[0])(i0, i1, j0, j1, min(b.logit for b in part))
    given = [getattr(b, "confidence", None) for b in part]
    if given and all(c is not None for c in given):
        bead.confidence = min(given)
    return bead


def rejoin(sents: list[Sentence], soft: Sequence[bool], wholes: list[Sentence], lang: str,
           cut_after: set[int]) -> tuple[list[Sentence], list[int]]:
    """Join the pieces of each sentence again, except at the soft boundaries in ``cut_after`` (piece ids after
    which a bead boundary lies).  ``wholes[w]`` is the sentence the ``w``-th run of pieces was cut from: a run
    joined whole gets it back (text, span, kind, label).  Returns the new sentences and, per piece, the id of the
    sentence that holds it."""
    out: list[Sentence] = []
    owner: list[int] = []
    w, group, whole_run = 0, [], True
    for i, f in enumerate(soft):
        group.append(i)
        if f and i not in cut_after:
            continue
        if not f and whole_run:
            s = wholes[w]
            out.append(Sentence(s.text, len(out), s.para, s.start, s.end, s.kind, s.label))
        else:
            first, last = sents[group[0]], sents[group[-1]]
            out.append(Sentence(join_sentences((sents[k].text for k in group), lang), len(out), first.para,
                                first.start, last.end, first.kind, first.label))
        owner.extend([len(out) - 1] * len(group))
        group = []
        whole_run = not f          # a cut at a soft point: the next group is part of the same sentence
        if not f:
            w += 1
    return out, owner


def rejoin_alignment(S: list[Sentence], T: list[Sentence], beads: list[Bead], soft_s: Sequence[bool],
                     soft_t: Sequence[bool], wholes_s: list[Sentence], wholes_t: list[Sentence], src_lang: str,
                     tgt_lang: str) -> tuple[list[Sentence], list[Sentence], list[Bead], list[int], list[int]]:
    """Pieces -> sentences after the merge: pieces that ended up in one bead are one sentence again; a soft point
    that is a bead boundary becomes a real sentence boundary.  Bead ids and texts are renumbered/rebuilt; also
    returned, per piece of each side, the id of its new sentence."""
    cut_s, cut_t = set(), set()
    for b in beads:
        if b.src:
            cut_s.add(b.src[-1])
        if b.tgt:
            cut_t.add(b.tgt[-1])
    S2, own_s = rejoin(S, soft_s, wholes_s, src_lang, cut_s)
    T2, own_t = rejoin(T, soft_t, wholes_t, tgt_lang, cut_t)
    out = []
    for b in beads:
        src = tuple(dict.fromkeys(own_s[i] for i in b.src))
        tgt = tuple(dict.fromkeys(own_t[j] for j in b.tgt))
        out.append(Bead(src=src, tgt=tgt, score=b.score,
                        src_text=join_sentences((S2[i].text for i in src if S2[i].text.strip()), src_lang),
                        tgt_text=join_sentences((T2[j].text for j in tgt if T2[j].text.strip()), tgt_lang)))
    return S2, T2, out, own_s, own_t


def pool_rows(E, owner: Sequence[int], n: int):
    """Per new sentence, the normalised sum of its pieces' embedding rows (``owner[piece]`` = sentence id)."""
    import numpy as np
    out = np.zeros((n, E.shape[1]), dtype=np.float64)
    np.add.at(out, np.asarray(owner, dtype=np.int64), E.astype(np.float64))
    norm = np.linalg.norm(out, axis=1, keepdims=True)
    return (out / np.maximum(norm, 1e-9)).astype(E.dtype)
