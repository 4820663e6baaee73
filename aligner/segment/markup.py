"""Printed markup in hard-wrapped text: line breaks that the marks decide.

A PDF made from Markdown or HTML source without rendering it (a report exported as it was written, a page printed
as text) carries the source's marks on its lines: ``### 1.2 Title`` headings, ``| a | b |`` table rows,
``![fig](path)`` images, ``<center>Figure 1</center> <br>`` captions, ``<div …>`` / ``</aside>`` blocks,
``**Bold title**`` lines, ``[3] …`` references, ``> …`` quotes.  Each of them is a block of its own in the source,
whatever the widths say; the reflow (:mod:`aligner.segment.layout`) asks :func:`markup_break` first when
:func:`shows_markup` says the document prints such marks.  Pure functions of line texts.
"""
from __future__ import annotations

import re

#: a document "prints markup" when at least this many of its lines are unambiguous markup lines (a Markdown heading,
#: a table row, an image, an HTML block tag): one stray "| x |" or "# 5" in a plain text decides nothing
MARKUP_LEAST = 3

#: an English Markdown heading that wraps at a full line goes on in a line starting in lower case, or in a short
#: capitalised tail ("### 3.1 Evolution of Global Enterprise OpenRank Over the Past" / "Years"); a capitalised line
#: wider than this share of the text is a caption or a sentence of its own ("Figure 6.6 Trends in OpenRank…")
HEAD_TAIL_SHARE = 0.5

_MD_HEADING = re.compile(r"^#{1,6}(?:\s|$)")
_MD_HEADING_MARK_ONLY = re.compile(r"^#{1,6}$")
_TABLE_ROW = re.compile(r"^\|.*\|$")
_IMAGE = re.compile(r"^!\[[^\]]*\]\([^)\s]*\)")
_BLOCK_TAGS = r"(?:center|div|aside|img|p|table|tr|figure|figcaption|details|summary|blockquote|section|label|input)"
#: an HTML block element (or a Markdown image) opening a line; an inline one ("<label …>", "<img …>" inside a
#: "<div>") does not open a block
_CONTAINERS = r"(?:center|div|aside|p|table|figure|details|blockquote|section)"
_OPENS = re.compile(r"^(?:!\[|<" + _CONTAINERS + r"\b)", re.I)
#: a closing tag opening a line: the element above goes on
_CLOSE_START = re.compile(r"^</" + _BLOCK_TAGS + r">", re.I)
#: a line break tag, a closing block tag or a complete image at the end of a line: the element is over
_CLOSES = re.compile(r"(?:<br\s*/?>|</" + _BLOCK_TAGS + r">|!\[[^\]]*\]\([^)\s]*\))\s*$", re.I)
_BOLD_LEAD = re.compile(r"^\*\*[^*]+\*\*")
_EMPHASIS_CLOSE = "_*\"”’ "
_BOLD_LINE = re.compile(r"^\*\*[^*]+\*\*$")
_TABLE_RULE = re.compile(r"^[|:\-\s]*-{3}[|:\-\s]*$")
_RULE_CELL = re.compile(r"\|\s*:?-{3,}")
#: a line that ends in (or right after) an opening tag: the element's content follows on the next line
_OPEN_AT_END = re.compile(r"<" + _BLOCK_TAGS + r"\b[^<>]*>?$", re.I)
_INLINE_START = re.compile(r"^<(?:label|input|img|span|a|em|strong|code)\b", re.I)
_BREAK_ONLY = re.compile(r"^<br\s*/?>$", re.I)
_MARKER_END = re.compile(r"(?<=[|>)*])\d{1,3}$")
_REFERENCE = re.compile(r"^\[\d{1,3}\]\s")
_QUOTE = re.compile(r"^>(?:\s|$)")


def markup_line(t: str) -> bool:
    """Is the line unambiguous markup (the evidence :func:`shows_markup` counts)?"""
    if _MD_HEADING.match(t) or _TABLE_ROW.match(t) or _IMAGE.match(t) or _CLOSES.search(t):
        return True
    return t.startswith("<") and bool(_OPENS.match(t))


def shows_markup(texts: list[str]) -> int:
    """How many lines of the document are unambiguous markup (compared with :data:`MARKUP_LEAST`)."""
    return sum(1 for t in texts if markup_line(t))


def _open_center(t: str) -> bool:
    """``<center>`` opened on the line and not closed there: the caption wraps onto the next line."""
    lo = t.lower()
    return lo.count("<center") > lo.count("</center")


def mark_only(t: str) -> bool:
    """A line that is only a block mark ("###", ">"): its text follows, even after a blank line."""
    return bool(_MD_HEADING_MARK_ONLY.match(t)) or t == ">"


def emphasis_start(t: str) -> bool:
    """"**databases** are becoming…": Markdown emphasis opening a line, not a "*" bullet."""
    return t.startswith("**")


def _plain_end(t: str) -> str:
    """The line without a footnote marker printed after its closing mark ("| 73.04% |2", "<br>1")."""
    return _MARKER_END.sub("", t)


def markup_break(ta: str, tb: str, a_full: bool, b_short: bool, zh: bool, tail_short: bool = False) -> bool | None:
    """Hard break (True), wrap (False) or no opinion (None) between lines ``ta`` and ``tb`` by their marks.

    ``a_full``: ``ta`` is a full line (the next word would not have fitted), so a heading on it may wrap;
    ``b_short``: ``tb`` ends short of the width (a wrapped heading's last line); ``tail_short``: ``tb`` is shorter
    than :data:`HEAD_TAIL_SHARE` of the width."""
    ta, tb = _plain_end(ta), _plain_end(tb)
    if _MD_HEADING_MARK_ONLY.match(ta):
        return False  # "###" / "没有人响应你。": the heading's text on the next line
    if _QUOTE.match(ta) and ta.strip() == ">":
        return False  # ">" / "_"当我做 Y 的时候…"_": the quote's text on the next line
    if _MD_HEADING.match(tb):
        return True  # "### 1.2 Active Repository" after a paragraph
    if _MD_HEADING.match(ta):
        # "#### 6.3.2 Trends over … under the / various subfields of the database area": a heading wraps only at a
        # full line, into a short line that is no markup of its own and (English) goes on in lower case
        goes_on = a_full and b_short and not markup_line(tb) and not _BOLD_LINE.match(tb) \
            and (zh or tb[:1].islower() or tail_short)
        return not goes_on
    if _CLOSE_START.match(tb) or _BREAK_ONLY.match(tb) or _INLINE_START.match(tb):
        return False  # "…opened?" / "</label> </div>", "…</center>" / "<br>", "…value="checkbox">" / "<label …>"
    if _OPEN_AT_END.search(ta):
        return False  # "<aside markdown="1" class="pquote"> <img" / "src=…", "…PR. <p class="credit">" / "— @gaearon"
    if ta.startswith("|") and (not ta.endswith("|") or (tb.endswith("|") and not tb.startswith("|"))):
        return False  # a table row wrapped ("| … | 50" / "40 |"; "| … | 907 | 504 |" / "40 |")
    if _TABLE_RULE.match(tb) or (ta.startswith("|") and not tb.startswith("|") and _RULE_CELL.search(tb)):
        return False  # the header row's rule under it ("| Rank | … |" / "|:----:|:---:|"), or its wrapped end

    if _CLOSES.search(ta) and not _open_center(ta):
        return True  # "<center>Figure 1.2 …</center> <br>", "![7-1.png](…)": the element is over
    if _open_center(ta):
        return False  # "![7-1.png](…) <center> 图 7.1" / "2023 GitHub 活跃开发者分布图 </center> <br>"
    if _OPENS.match(tb):
        return True  # "<div class=…>", "<aside …>", "![fig](…)" after text
    if tb.startswith("|") or _TABLE_ROW.match(ta):
        return True  # a table row
    if _BOLD_LINE.match(ta) or _BOLD_LINE.match(tb):
        return True  # "**1. Geographical distribution of global developers**": a title line
    if _BOLD_LEAD.match(tb) and ta.rstrip(_EMPHASIS_CLOSE)[-1:] in ".!?:。！？：":
        return True  # "…across effectively:" / "**Give context.** Help others…": a paragraph with a bold lead-in
    if _REFERENCE.match(tb):
        return True  # "[3] Institute for Standardization…": the next reference
    if _QUOTE.match(tb) and (not _QUOTE.match(ta) or ta.rstrip(_EMPHASIS_CLOSE)[-1:] in ".!?。！？"):
        return True  # a quote after text, or after a quote that ended its sentence ("> ■ _"How do I X?"_")
    return None
