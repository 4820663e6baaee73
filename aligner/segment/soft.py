"""Soft (secondary) sentence boundaries: points where a sentence *may* end, decided by the other language.

Running text loses its paragraph breaks, and a paragraph that ends in ``：`` or ``——`` (a description introduced
by a colon, a broken-off line) runs on into the next one: no sentence end is left to split at.  Such points are
rarely real boundaries (on mac-dev 7 of 260 Chinese colons and 5 of 62 English ones end a gold sentence), so the
segmenter cannot decide them alone.  It marks them instead: :func:`split_soft` cuts the sentences there into
pieces and says which piece boundaries are soft; the aligner aligns the pieces, and
:mod:`aligner.align.soft_merge` keeps a soft boundary only where the other language has a real sentence boundary
at the same bead boundary; everywhere else the pieces are joined again.

Soft points, outside brackets and outside quotations (also those opened in an earlier sentence of the block),
each piece at least :data:`MIN_PIECE` non-space characters:

* ``colon``: Chinese ``：`` not before a quotation and not after a verb of saying or a spoken particle
  (``他说：“……”``, ``你还不知道呢：`` introduce speech, not a new unit); English ``:`` before a capital letter;
  in both, not before a numbering label (``下列各项：一 ……``, ``the following: 1. …``: an enumeration).
* ``dash``: Chinese ``——`` ending a clause before a new one (not before punctuation or a quotation; of a pair of
  dashes enclosing an aside, ``A——B——C``, the first is cut before, so the aside keeps its opening dash); English
  `` – ``/``—``/``--`` before a capital letter.
* ``bracket`` (by default Chinese only, see :data:`BRACKET_LANGS`): a sentence end inside round brackets, followed
  by more of the bracket (``…（由此联想到，…的尽头？都有一个…责任）；…``): the segmenter keeps a bracketed aside in its
  sentence, but a translation may drop the brackets and end its sentences there.  Not inside a quotation within
  the brackets, and not at the end of the aside (a bracket that closes right after the terminator is the
  segmenter's business).  :func:`soft_points` offers the English equivalent (``(It rained. We stayed.)``) only when
  ``kinds`` names it.
* ``semicolon`` (``；``, ``;``): offered by :func:`soft_points` but not in :data:`SOFT_KINDS`: mac-dev's gold almost
  never ends a sentence at one (0 of 29 Chinese, 1 of 98 English); cutting there cost 0.010 F1 (bench/tune_soft.py),
  0.012 with the bracket kind (runtext2).

Not inside numbers (``8:21``, ``3：45``).
"""
from __future__ import annotations

import re

from .. import chars
from ..model import Sentence
from ..read.labels import find_label
from .split import _pair_depth, is_space

#: shortest piece (non-space characters) a soft cut may leave on either side, per language: a bare speech tag
#: (``他说：``, ``She said:``) is no translation unit of its own; on mac-dev running text zh 4-10 and en 8-20 score
#: within 0.0015 of each other (bench/tune_soft.py --grid)
MIN_PIECE = {"zh": 6, "en": 8}
#: the kinds of soft points :func:`split_soft` cuts at (see the module docstring for why not ``semicolon``)
SOFT_KINDS = frozenset({"colon", "dash", "bracket"})

_CJK = chars.HAN_SPAN
_ZH_PATTERNS = {
    "colon": re.compile(rf"(?:：|(?<=[{_CJK}]):(?=[{_CJK}]))(?!\s*[“‘「『\"'])"),
    "dash": re.compile(r"——(?=[^”’」』）》\s—，。！？；：、…“‘「『\"'])"),
    "semicolon": re.compile(rf"(?:；|(?<=[{_CJK}]);(?=[{_CJK}]))"),
}
_EN_PATTERNS = {
    "colon": re.compile(r":(?=\s+[A-Z])"),
    "dash": re.compile(r"(?:\s[–—-]|—|--)(?=\s+[A-Z])"),
    "semicolon": re.compile(r";(?=\s)"),
}
#: the languages the bracket kind is offered in by default (an explicit ``kinds`` holding it offers it in any):
#: mac-dev's one such point is a Chinese aside whose English drops the brackets; an English bracketed sentence end
#: gained nothing there, and on docs-dev its one instance (the opensource guide: ``(or you can just create your
#: own. | Like this: …)``) made the aligner pair the pieces wrongly and merge two correct 1-1 beads into a 2-2
#: (bench/bench_docs.py, 2026-11-28)
BRACKET_LANGS = frozenset({"zh"})
#: a sentence end inside brackets (the bracket kind); English: before a space and a capital letter
_ZH_BRACKET_END = re.compile(r"[。！？!?]+")
_EN_BRACKET_END = re.compile(r"[.!?]+(?=\s+[\"'“‘]?[A-Z])")
_ROUND_OPEN, _ROUND_CLOSE = "（(", "）)"
#: before a Chinese colon: a verb of saying (with an aspect particle) or a spoken particle: the colon opens speech
_ZH_SPEECH = re.compile(r"(?:[说道问想曰喊叫嚷骂笑答称云言讲念写][着了过]?|一声|告诉你|[呢吧啊呀嘛哩哪])$")
#: a Chinese numeral and a space opening an item (find_label knows it with an ideographic space only)
_ZH_ITEM_SPACE = re.compile(rf"[{chars.ZH_ONES}]{{1,3}}\s")
#: a capital letter item "A. " / "B) "
_EN_CAP_ITEM = re.compile(r"[A-Z][.)]\s")
#: a quotation still open after this many sentences is taken for a stray quotation mark and forgotten (a
#: mark that never closes would otherwise hide every soft point to the end of the block)
QUOTE_CARRY_MAX = 20
_QUOTE_OPEN = "“「『"
_QUOTE_CLOSE = "”」』"


def soft_points(text: str, lang: str, kinds=None, quoted: bool = False) -> list[int]:
    """Offsets inside ``text`` (one sentence) where it may be cut softly; sorted, without the ends.

    ``kinds``: which kinds of points (default :data:`SOFT_KINDS`); ``quoted``: the sentence starts inside a
    quotation opened by an earlier sentence (its points before that quotation closes are not offered)."""
    zh = lang.startswith("zh")
    pats = _ZH_PATTERNS if zh else _EN_PATTERNS
    bracket = "bracket" in (kinds or ()) or (kinds is None and "bracket" in SOFT_KINDS
                                              and ("zh" if zh else "en") in BRACKET_LANGS)
    kinds = SOFT_KINDS if kinds is None else kinds
    depth = _pair_depth(text, quotes=True)
    carried = _carried_end(text) if quoted else 0
    min_piece = MIN_PIECE["zh" if zh else "en"]
    found = sorted((m.start(), m.end(), kind) for kind in kinds if kind != "bracket"
                   for m in pats[kind].finditer(text))
    if bracket:
        found = sorted(found + [(a, b, "bracket") for a, b in _bracket_ends(text, zh)])
    out: list[int] = []
    dashes: list[tuple[int, int]] = []       # (index in out, start) of each accepted dash point
    last = 0
    for start, cut, kind in found:
        if (depth[start] and kind != "bracket") or start < carried:
            continue
        if text[start - 1:start].isdigit() and text[cut:cut + 1].isdigit():
            continue   # a time or a ratio: 8:21, 3：45
        if zh and kind == "colon" and _ZH_SPEECH.search(text, 0, start):
            continue
        if kind == "colon" and _opens_enumeration(text[cut:].lstrip()):
            continue   # a colon that opens an enumeration: "左列各款：一 省設…", "the following: 1. In the…"
        if _weight(text, last, cut) < min_piece or _weight(text, cut, len(text)) < min_piece:
            continue
        out.append(cut)
        last = cut
        if kind == "dash":
            dashes.append((len(out) - 1, start))
    if zh and len(dashes) == 2 and text.count("——") == 2:
        # "A——B——C": two dashes enclose an inserted aside (标示插入语); the first one opens it, so the soft cut
        # goes before that dash: "佼佼者 | ——我爷爷辈的好汉们……能比—— | 当时的规矩"
        k, start = dashes[0]
        if _weight(text, out[k - 1] if k else 0, start) >= min_piece:   # from the cut before it, if any
            out[k] = start
    return out


def _bracket_ends(text: str, zh: bool) -> list[tuple[int, int]]:
    """``(start, end)`` of each sentence terminator inside a matched round bracket that more text follows within
    the bracket; not inside a quotation within the bracket, and not in a bracket that holds a nested one."""
    out = []
    stack: list[int] = []
    for k, ch in enumerate(text):
        if ch in _ROUND_OPEN:
            stack.append(k)
        elif ch in _ROUND_CLOSE and stack:
            a = stack.pop()
            inner = text[a + 1:k]
            if any(c in _ROUND_OPEN or c in _ROUND_CLOSE for c in inner):
                continue
            quoted = _pair_depth(inner, quotes=True)
            for m in (_ZH_BRACKET_END if zh else _EN_BRACKET_END).finditer(inner):
                if quoted[m.start()] or not inner[m.end():].strip():
                    continue
                out.append((a + 1 + m.start(), a + 1 + m.end()))
    return out


def _opens_enumeration(rest: str) -> bool:
    """Does ``rest`` start with a numbering label (``一、`` ``（一）`` ``1.`` ``(a)`` ``A.``, or a Chinese numeral and a
    space as in ROC laws: ``一 省设…``)?"""
    return find_label(rest) is not None or bool(_ZH_ITEM_SPACE.match(rest)) or bool(_EN_CAP_ITEM.match(rest))


def _carried_end(text: str) -> int:
    """Where a quotation opened before ``text`` closes in it (``len(text)`` when it does not)."""
    d = 1
    for k, ch in enumerate(text):
        if ch in _QUOTE_OPEN:
            d += 1
        elif ch in _QUOTE_CLOSE:
            d -= 1
            if d == 0:
                return k + 1
    return len(text)


def _quote_balance(text: str, open_before: bool) -> bool:
    """Is a (Chinese-style) quotation still open after ``text``?"""
    d = 1 if open_before else 0
    for ch in text:
        if ch in _QUOTE_OPEN:
            d += 1
        elif ch in _QUOTE_CLOSE and d:
            d -= 1
    return d > 0


def _weight(text: str, a: int, b: int) -> int:
    return sum(1 for ch in text[a:b] if not is_space(ch))


def split_soft(sentences: list[Sentence], lang: str, kinds=None) -> tuple[list[Sentence], list[bool]]:
    """Cut each running-text sentence at its :func:`soft_points`: ``(pieces, soft)``, ``soft[k]`` True when the
    boundary after piece ``k`` is soft (piece ``k + 1`` continues the same sentence).  Pieces keep the sentence's
    ``para`` and ``kind``; its ``label`` goes to the first piece; spans point into the same text (exact where the
    sentence's span is exact, else each piece gets the sentence's span)."""
    pieces: list[Sentence] = []
    soft: list[bool] = []
    quoted, para, carried = False, None, 0
    for s in sentences:
        if s.para != para or carried >= QUOTE_CARRY_MAX:
            quoted, para, carried = False, s.para, 0
        cuts = soft_points(s.text, lang, kinds, quoted) if s.kind == "text" else []
        quoted = _quote_balance(s.text, quoted)
        carried = carried + 1 if quoted else 0
        exact = s.start >= 0 and s.end - s.start == len(s.text)
        prev = 0
        for k, c in enumerate(cuts + [len(s.text)]):
            a, b = prev, c
            while a < b and is_space(s.text[a]):
                a += 1
            while b > a and is_space(s.text[b - 1]):
                b -= 1
            prev = c
            start, end = (s.start + a, s.start + b) if exact else (s.start, s.end)
            pieces.append(Sentence(text=s.text[a:b], index=len(pieces), para=s.para, start=start, end=end,
                                   kind=s.kind, label=s.label if k == 0 else ""))
            soft.append(k < len(cuts))
    return pieces, soft
