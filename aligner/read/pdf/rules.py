"""Line-geometry rules of the PDF reader: the line pitch (:func:`_pitch`), whether a line runs on to the next,
headings that wrap or run too long (:func:`_continue_headings`, :func:`_demote_long_headings`), list items and
hanging indents, and the paragraph break between two body lines (:func:`_new_para`).
"""
from __future__ import annotations

import re
from collections import Counter

from ...segment import layout
from ..labels import _CLOSERS, ends_final, find_label
from .extract import _PLine


#: a line this much larger than the body size is a heading
_HEADING_SIZE = 1.15
#: a baseline-to-baseline distance this much above the usual one is a paragraph gap (baselines are exact)
_GAP_FACTOR = 1.2
#: a baseline distance (rounded to 0.5 pt) that at least this share of consecutive body lines have is a candidate
#: line pitch; the smallest candidate is the pitch (paragraph gaps are larger, and as common in list-like text)
_PITCH_COMMON = 0.15
#: distances under this share of the body size are overlapping lines (superscripts, marks), not a pitch
_PITCH_MIN = 0.8
#: a line in a column is centred when its middle is within this many type sizes of the column's middle (layout
#: tools centre exactly; 6 % of a narrow column's width would take an indented first line for a centred heading)
_CENTRED_IN_COLUMN = 0.5
#: commas that end a clause, not a sentence
_COMMAS = (",", "，", "、")
#: a list number is followed by a tab to a stop at most this many ems past it (Word's hanging indents: 0.63-1 cm)
_HANGING_TAB = 3.0
#: a heading set in larger type may run to this many lines (a UN letter's subject, a report title); longer runs
#: of large type are text set large
_HEADING_MAX_LINES = 3
#: a heading line that filled its column to within this share of the width may wrap onto a second line
_HEADING_WRAP_ROOM = 0.25


def _pitch(lines: list[_PLine], body_size: float) -> float:
    """The usual baseline-to-baseline distance between consecutive body lines of a page."""
    pitches = []
    prev = None
    for ln in lines:
        if ln.role != "body":
            continue
        if prev is not None and prev.frame == ln.frame and prev.base > ln.base:
            pitches.append(prev.base - ln.base)
        prev = ln
    if not pitches:
        return body_size * 1.2
    pitches.sort()
    # the line pitch is the smallest distance that is common: in a document of mostly one-line paragraphs (tables,
    # lists, captions) the median is the paragraph spacing, and every paragraph gap would then look like a line
    counts = Counter(round(d * 2) / 2 for d in pitches if d >= _PITCH_MIN * body_size)
    common = [d for d, c in counts.items() if c >= _PITCH_COMMON * len(pitches)]
    if common:
        low = min(common)
        near = [d for d in pitches if abs(d - low) <= 0.5]
        return near[len(near) // 2]
    return pitches[len(pitches) // 2]


def _runs_on(a: _PLine | None, b: _PLine, pitch: float, size: float, same_frame: bool = True) -> bool:
    """Does body line ``b`` continue a sentence that line ``a`` left unfinished at the right margin (same page or
    column, the usual line pitch, no final punctuation)?  ``same_frame=False``: or ``a`` ends the previous column
    or page."""
    return (a is not None and a.role == "body"
            and ((a.frame == b.frame and 0 < a.base - b.base <= _GAP_FACTOR * pitch)
                 or (not same_frame and a.frame != b.frame))
            and a.x1 > a.cr - 3 * max(size, 1.0) and not _final(a.text))


def _continue_headings(lines: list[_PLine], body_size: float) -> None:
    """A line in a heading's (larger) type and weight right under a heading line that filled the column is the
    heading's second line, even when it ends in a full stop ("Section 5 – Disclaimer of Warranties and Limitation /
    of Liability."); :func:`_demote_long_headings` then judges the whole run."""
    for i in range(1, len(lines)):
        a, b = lines[i - 1], lines[i]
        if (b.role == "body" and a.role == "heading" and a.frame == b.frame and abs(a.size - b.size) < 0.5
                and a.bold == b.bold and b.size >= _HEADING_SIZE * body_size and 0 < a.base - b.base < 1.8 * b.size
                and a.x1 - a.cl > (1 - _HEADING_WRAP_ROOM) * max(1.0, a.cr - a.cl) and find_label(b.text) is None):
            b.role, b.level = "heading", a.level


def _final(t: str) -> bool:
    """Final punctuation at the end of ``t``, a footnote reference after it ("…by law.1") ignored; the vertical
    colon "︰" that Taiwan's law texts use for "：" counts."""
    t = _unmarked(t)
    return ends_final(t) or t.endswith("︰")


def _unmarked(t: str) -> str:
    """``t`` without a footnote reference number at its end ("…; and2" -> "…; and")."""
    return re.sub(r"(?<=[^\d\s])\d{1,3}$", "", t)


#: the first word of a line: a Latin word (with an opening bracket) even inside Chinese text, else one character
_FIRST_WORD = re.compile(r"[(\[“\"'‘]?[A-Za-z0-9][!-~’]*|[!-~]+")  # a URL or markup too: "https://…", "</center>"


def _same_run(a: _PLine, b: _PLine) -> bool:
    """Do heading lines ``a`` and ``b`` belong to one heading (same page and size, next line, no new number)?"""
    return (a.frame == b.frame and a.role == b.role == "heading" and abs(a.size - b.size) < 0.5
            and 0 < a.base - b.base < 1.8 * b.size and find_label(b.text) is None)


def _demote_long_headings(lines: list[_PLine], body_size: float) -> None:
    """Large type that runs over more than two lines, ends a sentence, runs on into the next line at the right
    margin, or holds an article's text after its number ("Article 1 The People's…") is text set large, not a
    heading."""
    i = 0
    while i < len(lines):
        if lines[i].role != "heading":
            i += 1
            continue
        j = i
        while j + 1 < len(lines) and _same_run(lines[j], lines[j + 1]):
            j += 1
        run = lines[i:j + 1]
        joined = " ".join(x.text for x in run)
        lab = find_label(run[0].text)
        division = lab is not None and lab.kind == "division"
        # "Article 1 The People's Republic…" set large is text; "第一条 定义" is a heading
        article_text = (lab is not None and lab.kind == "article" and run[0].text[lab.end:].strip()
                        and (len(joined) > 40 or ends_final(joined)))
        nxt = lines[j + 1] if j + 1 < len(lines) else None
        runs_on = (nxt is not None and nxt.frame == run[-1].frame and nxt.role == "body"
                   and run[-1].x1 > run[-1].cr - 2 * body_size and not ends_final(run[-1].text)
                   and 0 < run[-1].base - nxt.base < 1.8 * run[-1].size)
        if not division and (len(run) > _HEADING_MAX_LINES or (len(joined) > 12 and ends_final(joined))
                             or article_text or runs_on):
            for x in run:
                x.role, x.level = "body", 0
        i = j + 1


#: dashes and ellipses: a run of them is set as one unbreakable, full-width unit in Chinese
_ZH_RUN_CHARS = "—…⋯"
_ZH_RUN = re.compile(f"[{_ZH_RUN_CHARS}]*")


def _item_opens(t: str) -> bool:
    """Does the line open with a list number or bullet ("1.", "a.", "(c)", "（三）", "•")?"""
    if layout._LIST_START.match(t):
        return True
    lab = find_label(t)
    return lab is not None and lab.kind == "item"


def _hangs(a: _PLine, b: _PLine, em: float) -> bool:
    """Is ``b`` the second line of a list item ``a`` set over a hanging indent ("a.<tab>Adapted Material means…" /
    "    or based upon…": Word and LibreOffice lists, typed or automatic), indented to where ``a``'s text starts
    after its number, not a paragraph of its own?"""
    if not (a.w1 and _item_opens(a.text)):
        return False
    if _item_opens(b.text) and (_final(a.text) or a.x1 < a.cr - 3 * em):
        # a sub-item; but "…required by Section 3(a)" / "(1)(A) to the extent…" is a wrapped reference
        return False
    return b.x0 - a.x0 <= a.w1 + _HANGING_TAB * em


def _new_para(a: _PLine, b: _PLine, zh: bool, pitch: float, size: float) -> bool:
    """Is the break between body lines ``a`` and ``b`` a paragraph end?  A break between pages, or between columns
    of a page, is judged as a page break."""
    em = max(size, 1.0)
    left, right = b.cl, a.cr
    # in a column (narrow: more line ends, so more coincidences; one misjudged word is a paragraph broken) some
    # judgements are taken more exactly; one-column pages keep the ones they were tuned with
    narrow = bool(a.col or b.col)
    cw = (a.x1 - a.x0) / max(1, layout._width(a.text))  # width of one (narrow) character
    lab = find_label(b.text)
    if layout._LIST_START.match(b.text) or (lab is not None and lab.kind != "item"):
        # "Article 78 of this Constitution" can be a wrapped reference: a number opens a block only after a
        # line that ends a sentence or clause, or a line that ended short
        # ("…vol. 999, / Article 1, paragraph 3, available at": a clause comma does not end an article)
        comma = lab is not None and lab.kind != "item" and a.text.rstrip(_CLOSERS)[-1:] in ",，、"
        short = a.x1 < right - 3 * em
        alone = lab is not None and not b.text[lab.end:].strip()
        if narrow:
            # "…第一款、第三款、 / 第五款或第六款…": an enumeration running on, whatever opens the next line;
            # "…**Enterprise Insights** and / **Foundation…": short only if the next word would have fitted;
            # "…the ranking list in / Part II.": a reference wrapped from a line that ran to the margin
            comma = comma or a.text.rstrip(_CLOSERS)[-1:] in ",，、"
            if not zh and b.w1 > 0:
                short = b.w1 + cw < right - a.x1 - 0.5 * em
            alone = alone and not _runs_on(a, b, pitch, size, same_frame=False)
        if (ends_final(a.text) and not comma) or short or alone:
            return True
    if lab is not None and lab.kind == "item" and b.text[lab.end:].strip() and _final(a.text):
        return True  # "a. Adapted Material means…" after a sentence or clause end
    if b.frame == a.frame and (a.base - b.base > _GAP_FACTOR * pitch or b.base > a.base):
        return True  # a wider gap, or a new column
    if b.x0 > left + 0.8 * em and b.x0 - left > a.x0 - a.cl + 0.8 * em and not _hangs(a, b, em):
        return True  # first-line indent (each line measured from its own column's left edge)
    # would the next line's first word have fitted at the end of this one? then this line ended early
    m = _FIRST_WORD.match(b.text)
    first = b.text.split(" ", 1)[0] if not zh else (m.group(0) if m else b.text[:1])
    wide = 0
    if zh and narrow:
        # a dash or ellipsis run is not broken, nor split from the word before it ("(material)——例如"); CJK fonts
        # set each of its characters full width
        lead = _ZH_RUN.match(b.text).group(0)
        first = lead or first + _ZH_RUN.match(b.text, len(first)).group(0)
        wide = sum(1 for c in first if c in _ZH_RUN_CHARS)
    room = right - a.x1 - 0.5 * em
    if not zh and narrow and b.w1 > 0:   # the word's real width, measured on the page
        fits = b.w1 + cw < room
    else:
        fits = (layout._width(first) + wide + (0 if zh else 1)) * cw < room
    if not fits:
        return False
    if zh:
        return True
    if b.frame != a.frame and (2 * layout._width(first) + 1) * cw < room:
        # the last line of a page ended well short (twice the next word would have fitted): the paragraph ended
        # there, whatever its punctuation ("a secretary general, and" / "members." are two list lines)
        return True
    return layout._ends_terminal(a.text, zh) or b.text[:1].isupper() or not b.text[:1].isalpha()
