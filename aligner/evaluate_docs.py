"""Whole-document scoring: project an alignment of raw documents onto gold units through character offsets.

The aligner's sentences rarely coincide with the gold units (gold paragraphs of a law, gold sentences of a novel):
the reader may have extracted the text differently (PDF, DOCX), the segmenter may have split or joined.  So the
output beads are projected onto the gold units by their characters:

1. Both the document the gold refers to and the output beads' texts are reduced to their non-space characters after
   NFKC normalisation; the output characters are matched to the document's *monotonically* (a greedy chunked
   search that tolerates characters the reader dropped, added or changed: de-hyphenation, ligatures, furniture).
2. Optionally (``merge_inside=True``; reported as "fine" by bench/bench_docs.py) consecutive output beads whose
   characters all fall inside one and the same gold unit pair (an empty side is neutral) are merged first: a finer alignment inside a gold pair is not an error at the gold's granularity (the
   rule of the reference scorer's ``--src-verse``/``--tgt-verse`` mode, used for verse-level gold).
3. Each gold unit goes to the (merged) output bead holding most of its non-space characters; gold units sharing a
   bead are merged into one projected bead.  So over-splitting that the aligner merges back costs nothing, and a
   bead that merges two gold units costs a bead.
4. A gold unit that an output bead boundary cuts in mid-sentence (the boundary does not follow a sentence end
   ``。！？.!?;；:：…`` or a blank line) is an error: its projected bead gets an id that no gold bead has, so it is
   strictly wrong (lax scoring still credits the overlap).
5. Projected beads are scored with :func:`aligner.evaluate.doc_counts` (strict/lax P/R/F1, as
   ``shared/bench/score_align.py``).

The gold may be partial (units with no counterpart left out): characters outside every gold unit are ignored.
An output bead whose text lies wholly outside the gold projects to nothing and is not scored; an output bead that
holds a gold unit plus outside text projects to that gold unit alone (the outside text is counted in
``debris_chars`` as a diagnostic, not as an error).  A gold unit none of whose characters appear in the output
(the reader dropped it) projects to no bead: a recall miss, counted in ``lost``.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from . import chars
from .evaluate import doc_counts

BeadIds = tuple[tuple[int, ...], tuple[int, ...]]

#: characters (after NFKC) that end a sentence or a clause at which a deliberate cut is acceptable
SENTENCE_END = set("。!?.;:…")
#: closers that may follow a sentence end (quotes, brackets)
CLOSERS = set("\"'”’)]}」』》〉】")
#: a numbering label (NFKC, spaces removed) that may stand apart from the rest of its unit: a boundary right after it
#: is a structural cut, not a mid-sentence one ("第一条 | 中华人民共和国是…", "Article 5 | …", "(c) | …")
LABEL_PREFIX = re.compile(rf"^(第[\d{chars.ZH_NUM}]+[条條章节節编編款项項]|"
                          r"(Article|Art\.|Chapter|Section|Part)[\dIVXLCDM]+\.?|"
                          rf"\(?[\da-zA-Z{chars.ZH_ONES}]{{1,4}}[.)、]|[{chars.ZH_ONES}]{{1,3}}|[-*•·])$")
#: length of the exact chunks the monotone matcher looks for; long enough to be unique in a window of text
CHUNK = 12
#: how far ahead (document characters) the matcher looks for a chunk: enough to skip a dropped code block
WINDOW = 20000
#: largest gap (output characters x document characters) matched with difflib instead of greedily
GAP_CELLS = 4_000_000
#: how far ahead a single character may be matched when no chunk matches (a changed or added character)
CHAR_WINDOW = 3


def normalise(text: str, base: int = 0) -> tuple[str, list[int]]:
    """NFKC non-space characters of ``text`` and, for each, its offset (+ ``base``) in ``text``."""
    chars: list[str] = []
    pos: list[int] = []
    for k, ch in enumerate(text):
        if ch.isspace():
            continue
        n = unicodedata.normalize("NFKC", ch) if not ch.isascii() else ch
        for c in n:
            if not c.isspace():
                chars.append(c)
                pos.append(base + k)
    return "".join(chars), pos


def monotone_match(out: str, doc: str) -> list[int]:
    """For each character of ``out`` the index of the ``doc`` character it matches, or -1; strictly increasing.

    Anchors first: ``CHUNK``-grams that occur exactly once in each string, kept where they form the longest chain
    increasing in both (so a passage the reader moved or duplicated cannot drag the match far ahead); then the
    gaps between anchors are filled by a greedy search confined to the gap.
    """
    res = [-1] * len(out)
    anchors = _anchor_chain(out, doc, CHUNK)
    li, lq = -1, -1
    for i, q in anchors:
        for t in range(CHUNK):
            if i + t > li and q + t > lq:
                res[i + t] = q + t
                li, lq = i + t, q + t
    # fill the gaps between assigned characters
    prev_i, prev_q = -1, -1
    for i in list(range(len(out))) + [len(out)]:
        q = res[i] if i < len(out) else len(doc)
        if q < 0:
            continue
        if i > prev_i + 1:
            _greedy(out, doc, prev_i + 1, i, prev_q + 1, q, res)
        prev_i, prev_q = i, q
    return res


def _anchor_chain(out: str, doc: str, k: int) -> list[tuple[int, int]]:
    if len(out) < k or len(doc) < k:
        return []
    cd = Counter(doc[q:q + k] for q in range(len(doc) - k + 1))
    co = Counter(out[i:i + k] for i in range(len(out) - k + 1))
    pos = {}
    for q in range(len(doc) - k + 1):
        g = doc[q:q + k]
        if cd[g] == 1 and co.get(g) == 1:
            pos[g] = q
    pairs = [(i, pos[out[i:i + k]]) for i in range(len(out) - k + 1) if out[i:i + k] in pos]
    # longest chain strictly increasing in doc position (out positions are increasing already)
    import bisect
    tails: list[int] = []
    tail_idx: list[int] = []
    back = [-1] * len(pairs)
    for n, (_, q) in enumerate(pairs):
        at = bisect.bisect_left(tails, q)
        if at == len(tails):
            tails.append(q)
            tail_idx.append(n)
        else:
            tails[at] = q
            tail_idx[at] = n
        back[n] = tail_idx[at - 1] if at else -1
    chain = []
    n = tail_idx[-1] if tail_idx else -1
    while n >= 0:
        chain.append(pairs[n])
        n = back[n]
    return chain[::-1]


def _greedy(out: str, doc: str, i0: int, i1: int, p: int, p_end: int, res: list[int]) -> None:
    """Monotone match of ``out[i0:i1]`` into ``doc[p:p_end]``: difflib's matching blocks when the gap is small
    enough (markup the reader dropped, such as link targets, leaves many document characters unmatched), else
    greedy (chunks first, then single characters)."""
    if (i1 - i0) * (p_end - p) <= GAP_CELLS:
        from difflib import SequenceMatcher
        sm = SequenceMatcher(None, out[i0:i1], doc[p:p_end], autojunk=False)
        for a, b, size in sm.get_matching_blocks():
            for t in range(size):
                res[i0 + a + t] = p + b + t
        return
    i = i0
    while i < i1 and p < p_end:
        k = min(CHUNK, i1 - i)
        q = doc.find(out[i:i + k], p, min(p_end, p + WINDOW + k))
        if q >= 0:
            for t in range(k):
                res[i + t] = q + t
            p = q + k
            i += k
            continue
        q = doc.find(out[i], p, min(p_end, p + CHAR_WINDOW + 1))
        if q >= 0:
            res[i] = q
            p = q + 1
        i += 1


@dataclass
class GoldDoc:
    """One document pair with gold: both texts, unit spans per side (character offsets), gold beads over unit ids."""

    name: str
    src_text: str
    tgt_text: str
    src_units: list[tuple[int, int]]
    tgt_units: list[tuple[int, int]]
    beads: list[BeadIds]
    kinds: list[str] = field(default_factory=list)  # per gold bead, when the gold says (docs-dev's kind column)


@dataclass
class Projection:
    name: str
    gold: list[BeadIds]
    auto: list[BeadIds]
    counts: list[int]
    cut: int = 0            # gold units cut in mid-sentence by an output bead boundary
    lost: int = 0           # gold units none of whose characters are in the output
    merged_rows: int = 0    # projected beads holding more than one gold bead's units
    debris_chars: int = 0   # non-space characters outside the gold inside beads that hold gold units
    unmatched_chars: int = 0  # output characters the matcher could not place in the document
    n_out_beads: int = 0
    #: per output bead: (source units, target units) holding at least one of its characters
    bead_units: list[tuple[set, set]] = field(default_factory=list, repr=False)
    #: per side, per unit: the output beads holding at least one of its characters
    unit_beads: tuple[dict, dict] = field(default_factory=lambda: ({}, {}), repr=False)

    def alone(self, r: int) -> bool:
        """Gold bead ``r`` (1-1 over units ``r``) is exactly one output bead that holds nothing else of the gold."""
        (s,), (t,) = self.gold[r]
        bs, bt = self.unit_beads[0].get(s, set()), self.unit_beads[1].get(t, set())
        if len(bs) != 1 or bs != bt:
            return False
        b = next(iter(bs))
        return self.bead_units[b] == ({s}, {t})


def _labels(text: str, units: list[tuple[int, int]]) -> tuple[str, list[int], list[int]]:
    """Document's normalised characters, their offsets, and the unit id of each (-1: outside every unit)."""
    chars, pos = normalise(text)
    lab = [-1] * len(chars)
    import bisect
    for u, (s, e) in enumerate(units):
        a, b = bisect.bisect_left(pos, s), bisect.bisect_left(pos, e)
        for t in range(a, b):
            lab[t] = u
    return chars, pos, lab


def _side_stream(texts: list[str]) -> tuple[str, list[int]]:
    chars, owner = [], []
    for b, t in enumerate(texts):
        c, _ = normalise(t)
        chars.append(c)
        owner.extend([b] * len(c))
    return "".join(chars), owner


def _is_end(c: str) -> bool:
    return c in SENTENCE_END


def project(gold: GoldDoc, src_beads: list[str], tgt_beads: list[str], merge_inside: bool = False) -> Projection:
    """Project output beads (their source and target texts, in order; ``""`` for an empty side) onto the gold.

    ``merge_inside=True`` adds step 2 (off by default: the issue's measure is the pure majority projection, under
    which a finer alignment inside a gold pair can cost when the two sides' majorities fall in different beads).
    """
    assert len(src_beads) == len(tgt_beads)
    nb = len(src_beads)
    unit_bead = [dict(), dict()]   # side -> unit -> Counter(bead -> chars)
    bead_units: list[list[Counter]] = [[Counter() for _ in range(nb)] for _ in range(2)]
    cut_units: list[set[int]] = [set(), set()]
    debris = [0] * nb
    unmatched = 0
    for side, (text, units, beads) in enumerate(((gold.src_text, gold.src_units, src_beads),
                                                  (gold.tgt_text, gold.tgt_units, tgt_beads))):
        dchars, dpos, dlab = _labels(text, units)
        ochars, owner = _side_stream(beads)
        match = monotone_match(ochars, dchars)
        per_unit: dict[int, Counter] = defaultdict(Counter)
        ustart: dict[int, int] = {}
        for q, u in enumerate(dlab):
            if u >= 0 and u not in ustart:
                ustart[u] = q
        prev = None  # (bead, doc index, out char) of the last matched char
        for i, q in enumerate(match):
            if q < 0:
                unmatched += 1
                continue
            b, u = owner[i], dlab[q]
            if u >= 0:
                per_unit[u][b] += 1
                bead_units[side][b][u] += 1
            else:
                debris[b] += 1
            if prev is not None and prev[0] != b and u >= 0 and dlab[prev[1]] == u:
                # a bead boundary inside unit u: fine after a sentence end (closers skipped) or a blank line
                k = i - 1
                while k > 0 and ochars[k] in CLOSERS:
                    k -= 1
                gap = text[dpos[prev[1]]:dpos[q]]
                if not _is_end(ochars[k]) and "\n\n" not in gap.replace("\r", "") and \
                        not LABEL_PREFIX.match(dchars[ustart[u]:prev[1] + 1]):
                    cut_units[side].add(u)
            prev = (b, q)
        unit_bead[side] = per_unit
    # merge consecutive output beads lying inside one and the same gold bead (a finer alignment of that pair)
    src_owner = _unit_owner(gold.beads, 0)
    tgt_owner = _unit_owner(gold.beads, 1)

    def bead_type(b: int):
        rows = set()
        for side, owner in ((0, src_owner), (1, tgt_owner)):
            tot = sum(bead_units[side][b].values())
            for u, c in bead_units[side][b].items():
                if c >= 2 or c == tot:   # one stray character does not make a bead touch a unit
                    rows.add(owner.get(u, ("u", side, u)))
        return next(iter(rows)) if len(rows) == 1 else None

    virtual = list(range(nb))
    last_type, last_v = None, -1
    for b in range(nb if merge_inside else 0):
        if not (sum(bead_units[0][b].values()) + sum(bead_units[1][b].values())):
            continue   # a bead wholly outside the gold is neutral
        t = bead_type(b)
        if t is not None and t == last_type:
            virtual[b] = last_v
        last_type, last_v = t, virtual[b]
    # each unit -> the virtual bead with most of its characters
    groups: dict[int, tuple[set, set]] = defaultdict(lambda: (set(), set()))
    lost = 0
    n_units = (len(gold.src_units), len(gold.tgt_units))
    poison = -1
    for side in (0, 1):
        for u in range(n_units[side]):
            c = unit_bead[side].get(u)
            if not c:
                lost += 1
                continue
            vc: Counter = Counter()
            for b, k in c.items():
                vc[virtual[b]] += k
            v = max(vc.items(), key=lambda kv: (kv[1], -kv[0]))[0]
            groups[v][side].add(u)
            if u in cut_units[side]:
                groups[v][side].add(poison)
                poison -= 1
    auto = [(tuple(sorted(s)), tuple(sorted(t))) for _, (s, t) in sorted(groups.items())]
    merged = 0
    for s, t in auto:
        rows = {src_owner.get(u) for u in s if u >= 0} | {tgt_owner.get(u) for u in t if u >= 0}
        merged += len(rows) > 1
    debris_in = sum(debris[b] for b in range(nb)
                    if sum(bead_units[0][b].values()) + sum(bead_units[1][b].values()))
    return Projection(name=gold.name, gold=list(gold.beads), auto=auto, counts=doc_counts(gold.beads, auto),
                      cut=len(cut_units[0]) + len(cut_units[1]), lost=lost, merged_rows=merged,
                      debris_chars=debris_in, unmatched_chars=unmatched, n_out_beads=nb,
                      bead_units=[(set(bead_units[0][b]), set(bead_units[1][b])) for b in range(nb)],
                      unit_beads=tuple({u: set(c) for u, c in unit_bead[side].items()} for side in (0, 1)))


def _unit_owner(beads: list[BeadIds], side: int) -> dict[int, int]:
    out = {}
    for r, b in enumerate(beads):
        for u in b[side]:
            out[u] = r
    return out


def locate_units(text: str, units: list[str]) -> list[tuple[int, int]]:
    """Spans in ``text`` of ``units`` (strings occurring in order in it, up to spacing and NFKC): ``(-1, -1)`` if
    none of a unit's characters could be placed."""
    dchars, dpos = normalise(text)
    ochars, owner = _side_stream(units)
    match = monotone_match(ochars, dchars)
    lo = [None] * len(units)
    hi = [None] * len(units)
    for i, q in enumerate(match):
        if q < 0:
            continue
        u = owner[i]
        if lo[u] is None:
            lo[u] = dpos[q]
        hi[u] = dpos[q] + 1
    return [(a, b) if a is not None else (-1, -1) for a, b in zip(lo, hi)]


def line_offsets(text: str) -> list[int]:
    """Offset of the start of every line (1-based line n starts at ``out[n - 1]``), plus the end of the text."""
    out = [0]
    for m in re.finditer("\n", text):
        out.append(m.end())
    if out[-1] != len(text):
        out.append(len(text))
    return out
