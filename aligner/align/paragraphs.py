"""Paragraph units: sentence beads grouped into the smallest runs that start and end on block boundaries on both sides.

A sentence bead is the unit a translation memory wants; a corpus for document-level MT, or a comparison with a
paragraph-level gold, wants the paragraph. Grouping never moves a sentence: a unit is a run of consecutive sentence
beads, closed as soon as the next sentence on *both* sides opens a new block (paragraph, heading, list item) or the
side has ended. Where the two documents' paragraphs correspond, a unit is one paragraph pair (or a heading pair); where
they do not (one side's reader joined two paragraphs, a section is reordered), the unit grows until they meet again,
and that is reported, not hidden.
"""
from __future__ import annotations

import logging
from collections.abc import Sequence

from ..model import Bead, Sentence
from ..segment.join import join_sentences

log = logging.getLogger(__name__)

#: a unit spanning more blocks than this on one side means the documents' paragraphs do not correspond there
#: (one paragraph of a side is at most split in two or three by the other's paragraphing in real translations)
WIDE_UNIT_BLOCKS = 3


def _boundaries(sents: Sequence[Sentence]) -> list[bool]:
    """``at[k]``: a block starts at sentence ``k`` (``k == len``: the end of the side)."""
    at = [True] * (len(sents) + 1)
    for k in range(1, len(sents)):
        at[k] = sents[k].para != sents[k - 1].para
    return at


def paragraph_beads(src: Sequence[Sentence], tgt: Sequence[Sentence], beads: Sequence[Bead], src_lang: str,
                    tgt_lang: str) -> tuple[list[Bead], dict]:
    """Group ``beads`` (in document order, covering every sentence once) into paragraph units.

    Returns the units as beads (their ids the union of the group's, their texts joined, their score the mean of the
    group's sentence-bead scores weighted by characters) and stats: ``units``, ``sentence_beads``, ``wide_units``
    (units spanning more than :data:`WIDE_UNIT_BLOCKS` blocks on a side), ``largest`` (the most sentences one
    unit holds on each side) and ``one_block`` (the sides of several sentences that are a single block: a
    one-paragraph document, or input without line breaks, whose paragraph unit is all of it).
    """
    one_block = [side for side, sents in (("source", src), ("target", tgt))
                 if len(sents) > 1 and len({s.para for s in sents}) == 1]
    at_s, at_t = _boundaries(src), _boundaries(tgt)
    units: list[Bead] = []
    group: list[Bead] = []
    pos_s = pos_t = 0
    wide = 0
    largest = (0, 0)

    def close() -> None:
        nonlocal wide, largest
        s_ids = tuple(i for b in group for i in b.src)
        t_ids = tuple(j for b in group for j in b.tgt)
        weights = [max(1, len(b.src_text) + len(b.tgt_text)) for b in group]
        score = sum(w * b.score for w, b in zip(weights, group)) / sum(weights)
        blocks = max(len({src[i].para for i in s_ids}), len({tgt[j].para for j in t_ids}))
        if blocks > WIDE_UNIT_BLOCKS:
            wide += 1
        if len(s_ids) + len(t_ids) > sum(largest):
            largest = (len(s_ids), len(t_ids))
        units.append(Bead(src=s_ids, tgt=t_ids, score=round(score, 4),
                          src_text=join_sentences((src[i].text for i in s_ids if src[i].text.strip()), src_lang),
                          tgt_text=join_sentences((tgt[j].text for j in t_ids if tgt[j].text.strip()), tgt_lang)))
        group.clear()

    for b in beads:
        if b.src and b.src[0] != pos_s or b.tgt and b.tgt[0] != pos_t:
            raise ValueError("beads are not in document order")
        group.append(b)
        pos_s += len(b.src)
        pos_t += len(b.tgt)
        if at_s[pos_s] and at_t[pos_t]:
            close()
    if group:   # beads that do not reach the end of a side (cannot happen for a whole alignment)
        close()
    stats = {"units": len(units), "sentence_beads": len(beads), "wide_units": wide, "largest": list(largest),
             "one_block": one_block}
    log.info("paragraph units: %d from %d sentence beads (%d spanning more than %d blocks on a side)", len(units),
             len(beads), wide, WIDE_UNIT_BLOCKS)
    return units, stats
