"""Evidence for the reflow's line-break decisions (:mod:`aligner.segment.layout`) that looks beyond one line's
punctuation: how far the next line's first word is from fitting, the width of a document's heading box, whether a
numbered line is the next item of the list above, and how often this document's sentence ends are paragraph ends.

All pure functions of line texts and display widths (:func:`aligner.segment.layout._width` units: CJK 2, other 1).
"""
from __future__ import annotations

import re

from .. import chars

#: a Chinese line without final punctuation wraps only if the next line's first character (or Latin word) would not
#: have fitted: Chinese text is justified to the full width, so a wrapped line reaches ``w`` minus a few narrow
#: half-width glyphs; in the generated corpus every wrap measured >= 0.9 w with the next token added
ZH_WRAP_FIT = 0.9
#: a line ending in a comma (or ", and" / "、") ends its paragraph when it ends this far short of the width, the
#: next word included: a list of short clauses ("委员长，" / "a chairperson,") is not a justified wrap (wrapped
#: comma-ended lines measured >= 0.8 w in the generated corpus)
CLAUSE_SHORT = 0.75
#: a sentence end that falls exactly at the end of a full line is a paragraph end when more than this share of the
#: document's sentence ends are paragraph ends (laws: one or two sentences a paragraph) and a wrap otherwise (letters,
#: reports: many sentences a paragraph); the share is counted on the lines where the answer is certain
PARAGRAPH_SHARE = 0.5
#: a heading line "fills" its (narrower, larger-type) box when it is at least this share of the box width (English:
#: word wrapping leaves up to one long word free); Chinese wraps at the character, so there it is the width less one
#: CJK character
HEAD_FULL_EN = 0.85
HEAD_FULL_ZH = 2.0
#: a heading box is only believed when at least this many heading lines reach it (one long title alone says nothing)
HEAD_BOX_SUPPORT = 2
#: English title lines "reach" the box when within this share of it (word wrapping leaves the lines ragged)
HEAD_BOX_TOL_EN = 0.1
#: ... and only when it is at least this share of the text width (two equally short lines are no box)
HEAD_BOX_LEAST = 0.4

#: words that cannot end a heading (or a sentence): the heading goes on on the next line
_CONNECT_EN = {
    "a", "an", "the", "of", "and", "or", "nor", "to", "for", "in", "on", "at", "by", "with", "from", "into", "onto",
    "under", "over", "between", "against", "among", "concerning", "regarding", "its", "their", "his", "her", "our",
    "your", "this", "that", "these", "those", "as", "than", "via", "per", "upon", "within", "without", "about",
}
_CONNECT_PUNCT_EN = (",", "–", "—", "-", "&", "/")
_CONNECT_ZH = ("、", "，", ",", "和", "与", "與", "及", "或", "的", "之", "——")
#: a clause that ends in a semicolon and a conjunction ("；以及", "; and", "；或") closes a list item just as "；" does
_CLAUSE_CONJ = re.compile(r"[；;,，]\s*(?:以及|及|和|或者|或|并且|並且|且|and|or|and/or)$")

_ZH_TOKEN = re.compile(rf"[^\s{chars.ZH_CHAR_TOKEN}]+|\S")


_MARKER_END = re.compile(r"(?<=[^\d\s])\d{1,3}$")


def _strip_marker(t: str) -> str:
    """The line without a trailing footnote marker ("…; and2")."""
    t = t.rstrip()
    return _MARKER_END.sub("", t) if t[-1:].isdigit() else t


def first_token(t: str, zh: bool) -> str:
    """What cannot be split off the start of a line: a Latin word (with its punctuation) or, in Chinese, one CJK
    character (a Latin word or number there too: "(Licensed", "135")."""
    if zh:
        m = _ZH_TOKEN.match(t)
        return m.group(0) if m else ""
    return t.split(" ", 1)[0]


def ends_clause_conjunction(t: str) -> bool:
    """"…的全部或部分；以及", "…in part; and": a list item's last clause, closed by a conjunction."""
    return bool(_CLAUSE_CONJ.search(_strip_marker(t)))


def ends_comma(t: str) -> bool:
    """A line ending in a comma, or in a comma and a conjunction (", and" / "，以及")."""
    t = _strip_marker(t)
    return t.endswith((",", "，", "、")) or bool(re.search(r"[,，;；]\s*(?:and|or)$", t))


def ends_punctuated(t: str) -> bool:
    """The line ends in punctuation (a comma or a clause or sentence end, closers and a footnote marker aside): a
    complete list line, not a fragment that a superscript or a link split off its paragraph."""
    t = _strip_marker(t).rstrip("”’」』）)\"' ")
    return bool(t) and (t[-1] in "。！？!?；;：:，,.、…" or ends_clause_conjunction(t) or ends_comma(t))


def heading_connector(ta: str, tb: str, zh: bool) -> bool:
    """Textual evidence that heading line ``ta`` goes on in ``tb``: it ends in a word or mark that cannot end a
    title ("…prevention of", "…National Anthem,", "…组成、"), or (English) ``tb`` starts in lower case."""
    ta = ta.rstrip()
    if tb[:1] in "(（":
        return True  # "Constitution of the Republic of China / (Taiwan)"
    if zh:
        return ta.endswith(_CONNECT_ZH)
    if tb[:1].islower():
        return True
    if ta.endswith(_CONNECT_PUNCT_EN):
        return True
    last = ta.rsplit(" ", 1)[-1].lower()
    return last in _CONNECT_EN


def box_width(widths: list[float], zh: bool, least: float = 0.0) -> float | None:
    """The width of the box a run of headings was set in, from its lines' widths: the widest width, when at least
    :data:`HEAD_BOX_SUPPORT` lines reach it (within one CJK character / 10 % in English) and it is at least
    ``least`` wide; otherwise None (one long title, or a few equally short ones, show no box)."""
    if not widths:
        return None
    top = max(widths)
    near = [x for x in widths if x >= (top - HEAD_FULL_ZH if zh else (1 - HEAD_BOX_TOL_EN) * top)]
    return top if len(near) >= HEAD_BOX_SUPPORT and top >= least else None


def fills_box(width: float, next_first: float, box: float | None, zh: bool) -> bool:
    """A heading line of ``width`` wrapped in a box of ``box``: it fills it and the next line's first token
    (``next_first`` wide) would not have fitted."""
    if not box:
        return False
    if zh:
        return width >= box - HEAD_FULL_ZH and width + next_first > box
    return width >= HEAD_FULL_EN * box and width + 1 + next_first > box


_SENT_END_ZH = re.compile(r"[。！？][”’」』）)]*(?=\S)")
_SENT_END_EN = re.compile(r"(?<![A-Z])(?<!\b[a-z])[.!?][”’\"')\]]*\s+(?=[A-Z“\"‘(])")


def ends_sentence_mark(t: str) -> bool:
    """The line ends in a full stop, question or exclamation mark (closers and a footnote marker aside)."""
    t = _strip_marker(t).rstrip("”’」』）)\"' ")
    return bool(t) and t[-1] in "。！？.!?"


#: a line ending a sentence this far short of the width is a certain paragraph end (a wrap would have taken the next
#: word): the lines :func:`paragraph_share` counts as paragraph ends
SHORT_END = 0.8


def paragraph_share(texts_widths: list[tuple[str, float]], w: float, zh: bool) -> tuple[int, int, float]:
    """How often this document's sentence ends are paragraph ends, counted where the answer is certain:
    ``(short, inside, share)`` with ``short`` the lines that end a sentence well short of the width ``w`` (paragraph
    ends) and ``inside`` the sentence ends followed by more text on the same line (not paragraph ends)."""
    pat = _SENT_END_ZH if zh else _SENT_END_EN
    short = inside = 0
    for t, width in texts_widths:
        if width < SHORT_END * w and ends_sentence_mark(t):
            short += 1
        inside += len(pat.findall(t))
    return short, inside, short / max(1, short + inside)


# ------------------------------------------------------------------------------------------- list labels

#: "二 蒙古選出代表…": a Chinese numeral and a space open an item (laws whose full-width spacing became a space)
ZH_SPACE_ITEM = re.compile(rf"^[{chars.ZH_ONES}]{{1,3}}[ \u3000]+(?=[{chars.HAN_CORE}])")
