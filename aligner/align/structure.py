"""Document structure as alignment evidence: blocks are anchors.

Readers and the segmenter give every sentence a block id (``Sentence.para``), a kind (heading, list, text, cell…)
and, when its block opens with one, a numbering label (``第五条``, ``Article 5``, ``(c)``, ``1.``).  A translation
keeps the blocks of its original almost always, so a candidate bead gets additive log-odds terms, one array per
bead type shaped like the score tensors (``(n + 1, W)``, bead ending at ``(i, lo[i] + k)``):

* it crosses a block boundary on one side but not the other: ``-CROSS``; on both sides: ``-CROSS_BOTH``;
  (these block terms are scaled down when the two sides' block counts disagree: ``BLOCK_TRUST_SLOPE``)
* it crosses a block boundary on one side only, or opens a block on one side only: ``-GLUE`` per sentence on
  that side beyond the first ``1 + GLUE_FREE`` (a block with no counterpart glued to a neighbour's bead, or
  paired whole with a leftover sentence of the other side); this term has its own, gentler trust
  (``GLUE_TRUST_SLOPE``);
* it opens a block on one side but not the other: ``-START``;
* it holds a heading on one side only: ``-HEAD``; a side that mixes a heading with body text: ``-HEAD`` per side;
* both sides open with a number of the same class (article, chapter, item, sub-item…): ``+LABEL_SAME`` when the
  numbers agree (``第五条`` ↔ ``Article 5``, ``（三）`` ↔ ``(c)``/``(3)``, ``一、`` ↔ ``1.``), ``-LABEL_DIFF``
  when they do not.

Null beads (1-0, 0-1) get no term, so a block that has no counterpart (web debris, a translator's note, a section
the translation drops) is cheaper left out as null beads than glued to a neighbour's bead (which would cross a
boundary on one side only).  ``CROSS`` alone did not do that: the scorer's null beads cost more per sentence than
one crossing, so a 3-sentence note was glued into a 4-1 bead even at full trust, and the block-count trust, which
exists for readers that cut or join paragraphs wrongly, is lowered by the very orphan blocks (a dropped tenth of a
document is 10 % more blocks on one side: trust 0.5).  ``GLUE`` grows with the glued sentences and keeps most of
its weight at the block-count disagreement orphans cause (bench/bench_orphans.py, docs/documents-benchmark.md).
The terms leave the bead's logit for confidence untouched (the calibration was fitted without them).

When the sentences carry no labels (lists of strings, or readers that do not fill ``label``), the numbering is read
from the start of the sentence text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from .. import chars

# constants: bead scores are log-odds of order 20-50 per 1-1 bead.  Chosen on docs-dev + the UN letter (9 documents,
# read by aligner.read) with leave-one-document-out over a grid (bench/tune_structure.py, docs/documents-benchmark.md):
# block 0/6/12/24 x head 0/6 x label 0/8; block 6 and 12 tie for best (micro strict F1 0.9621 vs 0.9616 without);
# head and label make no difference on those documents (their readers already split headings and labels)
#: a bead crossing a block boundary on one side only: blocks are kept by translators far more often than not
CROSS = 12.0
#: a bead crossing block boundaries on both sides: a consistent merge (heading + paragraph on both sides) is still
#: rarely what the translator meant: blocks are the translation units of documents (tied to CROSS / 4 in the tuning)
CROSS_BOTH = 3.0
#: a bead opening a block on one side but not the other (its start is misplaced on one side; CROSS / 2 in the tuning)
START = 6.0
#: a heading paired with body text, or a side mixing a heading with body text: headings are their own units
HEAD = 6.0
#: both sides open with the same number of the same class: strong evidence of the right pair (no effect on the dev
#: documents, where readers split labels off; it decides where a label is glued to its text, see tests)
LABEL_SAME = 8.0
#: both sides open with numbers of the same class that differ: almost surely a shifted pair
LABEL_DIFF = 8.0

#: a bead crossing a block boundary on one side only, per sentence on that side beyond the first: the sentences of
#: a block without counterpart are each cheaper as a null bead than glued on (the scorer's null beads cost more per
#: sentence than CROSS); chosen on bench/bench_orphans.py (GLUE 20/30/40 with GLUE_FREE 1: 89/111/120 of 197 orphan
#: sentences null against 23 without), checked on docs-dev + generated + UN letter (bench_docs.py, tune_structure.py
#: --glue-grid; docs/documents-benchmark.md)
GLUE = 30.0
#: sentences a crossing side may hold beyond the first before GLUE counts: a 1-2 / 2-1 bead across one boundary is
#: what a reader's mismatched blocks look like (a title broken over two lines: "CONSTITUTION OF" / "THE PEOPLE'S
#: REPUBLIC OF CHINA"), a 3-sentence note or a run of debris lines glued on is not
GLUE_FREE = 1
#: the glue term's trust falls with block-count disagreement at this slope (50 % more blocks on one side switch
#: it off), gentler than BLOCK_TRUST_SLOPE: whole orphan blocks disagree by the share they are (10-20 %), while a
#: reader that joins pages into a few paragraphs disagrees by far more
GLUE_TRUST_SLOPE = 2.0

#: a bead holding sentences from both sides of blocks that align.orphans took out as null beads: never (a bead
#: across the gap would glue the set-aside blocks back on when they are put back at their place)
WALL = 1e6

#: blocks are trusted as anchors in proportion to how well their counts agree between the sides: the block terms
#: are scaled by 1 - BLOCK_TRUST_SLOPE * (1 - fewer / more), so 20 % more blocks on one side (a reader that cut or
#: joined paragraphs wrongly, as text extracted from PDF) switches them off; equal counts keep them whole
BLOCK_TRUST_SLOPE = 5.0

HEADING_KINDS = frozenset({"heading"})

_ZH_DIGITS = chars.ZH_DIGIT_VALUES
_ZH_UNITS = chars.ZH_UNIT_VALUES
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
_FW = str.maketrans("０１２３４５６７８９（）．、", "0123456789().、")

_ZH_NUM = rf"[{chars.ZH_NUM_TRAD}\d]+"
_CLASS_ZH = {"条": "article", "條": "article", "章": "chapter", "节": "section", "節": "section", "编": "part",
             "編": "part", "篇": "part", "款": "item", "项": "item", "項": "item"}
_CLASS_EN = {"article": "article", "art": "article", "chapter": "chapter", "section": "section", "part": "part"}
_PATTERNS = [
    (re.compile(rf"^第\s*({_ZH_NUM})\s*([条條章节節编編篇款项項])"), "zh-class"),
    (re.compile(r"^(Article|Art\.|Chapter|Section|Part)\s+(\d+|[IVXLCDM]+)\b", re.I), "en-class"),
    (re.compile(rf"^\(\s*({_ZH_NUM}|[a-z])\s*\)"), "sub"),          # （三） (3) (c), after width folding
    (re.compile(rf"^({_ZH_NUM})\s*[、]"), "item"),                 # 一、 1、
    (re.compile(rf"^([{chars.ZH_ONES}]+)[\u3000 ]"), "item"),     # 一　 (old-style enumerators)
    (re.compile(r"^(\d+|[a-z])\.(?=\s|$)"), "item"),               # 1. a.
]


def zh_number(s: str) -> int | None:
    """``五`` -> 5, ``十二`` -> 12, ``一百零三`` -> 103, ``23`` -> 23; None if not a number."""
    if s.isdigit():
        return int(s)
    total, cur = 0, 0
    for ch in s:
        if ch in _ZH_DIGITS:
            cur = _ZH_DIGITS[ch]
        elif ch in _ZH_UNITS:
            total += (cur or 1) * _ZH_UNITS[ch]
            cur = 0
        elif ch.isdigit():
            cur = cur * 10 + int(ch)
        else:
            return None
    return total + cur


def _roman(s: str) -> int | None:
    vals = [_ROMAN.get(c) for c in s.upper()]
    if None in vals:
        return None
    return sum(-v if k + 1 < len(vals) and v < vals[k + 1] else v for k, v in enumerate(vals))


def parse_label(text: str) -> tuple[str, int] | None:
    """The numbering a sentence or label opens with, as ``(class, number)``: ``第五条`` and ``Article 5`` ->
    ``("article", 5)``; ``（三）``, ``(c)`` and ``(3)`` -> ``("sub", 3)``; ``一、`` and ``1.`` -> ``("item", 1)``."""
    t = text.strip().translate(_FW)
    for pat, cls in _PATTERNS:
        m = pat.match(t)
        if not m:
            continue
        if cls == "zh-class":
            n = zh_number(m.group(1).replace(" ", ""))
            return (_CLASS_ZH[m.group(2)], n) if n is not None else None
        if cls == "en-class":
            word = m.group(1).lower().rstrip(".")
            num = m.group(2)
            n = int(num) if num.isdigit() else _roman(num)
            return (_CLASS_EN[word], n) if n is not None else None
        g = m.group(1)
        if len(g) == 1 and "a" <= g <= "z":
            # a lone "i" would be roman one as often as the letter: both read as 1 only where it is "i" after "h";
            # keep the letter ordinal (CC's a.-m.), which is what a translation keeps
            return cls, ord(g) - ord("a") + 1
        n = zh_number(g)
        return (cls, n) if n is not None else None
    return None


_CLASS_IDS: dict[str, int] = {}


def _class_id(c: str) -> int:
    return _CLASS_IDS.setdefault(c, len(_CLASS_IDS) + 1)


@dataclass
class Structure:
    """Per-sentence structure of both sides: block starts, headings, labels (class id 0 = none)."""

    start_x: np.ndarray   # (n,) 1 where the sentence opens a block
    start_y: np.ndarray
    head_x: np.ndarray    # (n,) 1 for headings
    head_y: np.ndarray
    cls_x: np.ndarray     # (n,) label class id, 0 when none
    cls_y: np.ndarray
    num_x: np.ndarray     # (n,) label number
    num_y: np.ndarray
    wall_x: np.ndarray | None = None   # (n,) 1 where blocks set aside (align.orphans) were taken out just before
    wall_y: np.ndarray | None = None

    @classmethod
    def from_sentences(cls, src, tgt) -> "Structure":
        a, b = _side(src), _side(tgt)
        return cls(a[0], b[0], a[1], b[1], a[2], b[2], a[3], b[3])

    def swapped(self) -> "Structure":
        return Structure(self.start_y, self.start_x, self.head_y, self.head_x, self.cls_y, self.cls_x,
                         self.num_y, self.num_x, self.wall_y, self.wall_x)

    def subset(self, keep_x, keep_y, walls_x=None, walls_y=None) -> "Structure":
        """The structure of the kept sentences (ids in order); a kept sentence after a dropped whole block opens its
        own block already, and the first kept one always opens one.  Walls go where sentences were taken out, and
        at the sentences ``walls_x``/``walls_y`` (boolean, over all sentences) mark."""
        sx, sy = self.start_x[keep_x].copy(), self.start_y[keep_y].copy()
        if len(sx):
            sx[0] = 1
        if len(sy):
            sy[0] = 1
        return Structure(sx, sy, self.head_x[keep_x], self.head_y[keep_y], self.cls_x[keep_x], self.cls_y[keep_y],
                         self.num_x[keep_x], self.num_y[keep_y], _walls(keep_x, walls_x), _walls(keep_y, walls_y))

    def informative(self) -> bool:
        """False when no term can differ between beads (one block per side, no headings, no labels)."""
        return bool(self.start_x[1:].any() or self.start_y[1:].any() or self.head_x.any() or self.head_y.any()
                    or self.cls_x.any() or self.cls_y.any()
                    or (self.wall_x is not None and self.wall_x.any())
                    or (self.wall_y is not None and self.wall_y.any()))


def _walls(keep, marked=None) -> np.ndarray:
    """1 at each kept sentence whose predecessor among the kept ones is not the sentence just before it, or that
    ``marked`` (over all sentences) marks."""
    keep = np.asarray(keep, dtype=np.int64)
    w = np.zeros(len(keep), dtype=np.int32)
    if len(keep) > 1:
        w[1:] = np.diff(keep) > 1
    if marked is not None and len(keep):
        w |= np.asarray(marked, dtype=bool)[keep].astype(np.int32)
        w[0] = 0
    return w


def _side(sents) -> tuple[np.ndarray, ...]:
    n = len(sents)
    start = np.zeros(n, dtype=np.int32)
    head = np.zeros(n, dtype=np.int32)
    cl = np.zeros(n, dtype=np.int32)
    num = np.full(n, -1, dtype=np.int64)
    prev = None
    for k, s in enumerate(sents):
        para = getattr(s, "para", 0)
        start[k] = k == 0 or para != prev
        prev = para
        head[k] = getattr(s, "kind", "text") in HEADING_KINDS
        if start[k]:
            lab = parse_label(getattr(s, "label", "") or "") or parse_label(s.text if hasattr(s, "text") else s)
            if lab:
                cl[k], num[k] = _class_id(lab[0]), lab[1]
    return start, head, cl, num


def structure_terms(st: Structure, band, types: list[tuple[int, int]], cross: float = CROSS, start: float = START,
                    head: float = HEAD, label_same: float = LABEL_SAME, label_diff: float = LABEL_DIFF,
                    cross_both: float = CROSS_BOTH, glue: float = GLUE) -> list[np.ndarray | None]:
    """Additive term per bead type (``None`` for null beads and when nothing applies), indexed like the scores."""
    n, m, W = band.n, band.m, band.width
    if not st.informative():
        return [None] * len(types)
    nbx, nby = int(st.start_x.sum()), int(st.start_y.sum())
    disagree = 1.0 - min(nbx, nby) / max(nbx, nby, 1)
    trust = max(0.0, 1.0 - BLOCK_TRUST_SLOPE * disagree)
    cross, start, cross_both = cross * trust, start * trust, cross_both * trust
    glue = glue * max(0.0, 1.0 - GLUE_TRUST_SLOPE * disagree)
    # prefix sums: boundaries strictly inside a range [i0, i1) are starts at i0+1 .. i1-1
    csx = np.concatenate([[0], np.cumsum(st.start_x)])
    csy = np.concatenate([[0], np.cumsum(st.start_y)])
    chx = np.concatenate([[0], np.cumsum(st.head_x)])
    chy = np.concatenate([[0], np.cumsum(st.head_y)])
    i = np.arange(n + 1)[:, None] * np.ones((1, W), dtype=np.int64)
    j = band.lo[:, None] + np.arange(W)[None, :]
    out: list[np.ndarray | None] = []
    for a, b in types:
        if a == 0 or b == 0:
            out.append(None)
            continue
        i0 = np.clip(i - a, 0, max(n - 1, 0))
        i1 = np.clip(i, 0, n)
        j0 = np.clip(j - b, 0, max(m - 1, 0))
        j1 = np.clip(j, 0, m)
        cx = (csx[i1] - csx[np.minimum(i0 + 1, n)]) > 0
        cy = (csy[j1] - csy[np.minimum(j0 + 1, m)]) > 0
        t = -cross * (cx != cy) - cross_both * (cx & cy)
        for wall, lo_, hi_, size in ((st.wall_x, i0, i1, n), (st.wall_y, j0, j1, m)):
            if wall is not None and wall.any():
                cw = np.concatenate([[0], np.cumsum(wall)])
                # a bead may not hold sentences from both sides of blocks the orphan pass took out
                t -= WALL * ((cw[hi_] - cw[np.minimum(lo_ + 1, size)]) > 0)
        sx, sy = st.start_x[i0] > 0, st.start_y[j0] > 0
        if glue:
            # glued on across a boundary, or a block opened on one side only (a whole block paired with a leftover
            # sentence of the other side)
            t -= glue * (((cx & ~cy) | (sx & ~sy)) * max(0, a - 1 - GLUE_FREE)
                         + ((cy & ~cx) | (sy & ~sx)) * max(0, b - 1 - GLUE_FREE))
        t -= start * (sx != sy)
        hx = (chx[i1] - chx[i0]) > 0
        hy = (chy[j1] - chy[j0]) > 0
        t -= head * (hx != hy)
        if a > 1:
            t -= head * (hx & ((chx[i1] - chx[i0]) < a))
        if b > 1:
            t -= head * (hy & ((chy[j1] - chy[j0]) < b))
        kx, ky = st.cls_x[i0], st.cls_y[j0]
        both = (kx > 0) & (kx == ky)
        same = both & (st.num_x[i0] == st.num_y[j0])
        t += label_same * same - label_diff * (both & ~same)
        out.append(t.astype(np.float64))
    return out
