"""What one line is: a division heading or article number (:func:`_heading_line`), a list item or label, a
bare list number, a sentence end (:func:`_ends_terminal`), a justified line that pdftotext spread one word a line
(:func:`_spread_line`).  Pure functions of a line's text (and its neighbours' widths).
"""
from __future__ import annotations

import re

from ... import chars
from .lines import CLOSING, EN_TERMINAL, ZH_TERMINAL, _Line


#: what opens a list item: bullets, (a) 1. 1) (iv), 一、（三）, 第N条, circled numbers
_LIST_START = re.compile(
    r"^(?:[•·▪●◦‣■□○◆◇►▶➢✓√*]\s*|[-–—]\s+|\(?\d{1,3}\)\s|\d{1,3}\.\s|"
    r"\([a-zA-Z]{1,2}\)\s*|\((?:[ivxlc]{1,6})\)\s*|[a-z]\)\s|"
    rf"[{chars.ZH_ONES_HUNDRED}]+[、．.]|[（(][{chars.ZH_ONES_HUNDRED}]+[）)]|[（(]\d{{1,3}}[）)]|\d{{1,3}}[、．]|"
    rf"第[{chars.ZH_ORDINAL_NUM}\d]+[条章节款部分篇]|[①-⑳])"
)

#: a signature mark: (签名), (Signed)
_SIGNED_RE = re.compile(r"[(（]\s*(?:签名|簽名|Signed|signed)\s*[)）]|^\(?Signed\)?\b")

#: what a division heading, an article number or a preamble title starts with (a cheap test before the full one)
_HEADING_START = re.compile(r"(?:第|序|前言|弁言|总|總|附|[Pp]art\b|PART|[Cc]hapter|CHAPTER|[Ss]ection|SECTION|"
                            r"Article|ARTICLE|Art\.|§|Title|TITLE|Book|BOOK|Preamble|PREAMBLE|Foreword|Preface)")

#: what a letter- or roman-numbered item starts with (a cheap test before :func:`_item_line`)
_ITEM_START = re.compile(r"(?:[a-zA-Z]{1,4}[.)]\s|[（(])")


def _item_line(t: str) -> bool:
    """A list item numbered with a letter or roman numeral ("a. …", "(iv) …")."""
    from ...read.labels import find_label  # lazy: aligner.read imports this module
    lab = find_label(t)
    return lab is not None and lab.kind == "item" and bool(t[lab.end:].strip())


#: the longest line that can be a division heading or an article number alone ("第一章 总则", "Chapter II General
#: Principles"): longer, it is a sentence that happens to start with one
_HEADING_LINE_MAX = 60


def _heading_line(t: str) -> bool:
    """A division heading ("第一章 总则", "Chapter II"), an article number alone ("第 3 條", "Article 5") or
    "序言"/"Preamble"."""
    if len(t) > _HEADING_LINE_MAX or not _HEADING_START.match(t):
        return False
    from ...read.labels import find_label, is_preamble  # lazy: aligner.read imports this module
    lab = find_label(t)
    if lab is not None:
        return lab.kind == "division" or (lab.kind == "article" and not t[lab.end:].strip())
    return is_preamble(t)


#: the longest line a division heading with its title may be when it is not alone on its line ("Section 5 Local
#: People's Congresses at All levels and Local People's" on an A4 line): longer, it is a sentence about a section
_DIVISION_LINE_MAX = 120


def _division_with_title(t: str, long: bool = False) -> bool:
    """A division heading with its title on the line ("Chapter IV The National Flag…", "第五节 地方各级…"); at
    most 60 characters (as :func:`_heading_line`), or :data:`_DIVISION_LINE_MAX` with ``long``."""
    if len(t) > (_DIVISION_LINE_MAX if long else _HEADING_LINE_MAX) or not _HEADING_START.match(t):
        return False
    from ...read.labels import find_label  # lazy: aligner.read imports this module
    lab = find_label(t)
    return lab is not None and lab.kind == "division" and bool(t[lab.end:].strip(" .:：–—-"))


def _article_opens(t: str) -> bool:
    """An article number followed by a space and its text ("Article 21 To protect…", "第九十五条 省、…")."""
    if not _HEADING_START.match(t):
        return False
    from ...read.labels import find_label  # lazy: aligner.read imports this module
    lab = find_label(t)
    return lab is not None and lab.kind == "article" and t[lab.end:lab.end + 1] in (" ", "\u3000", "\t") \
        and bool(t[lab.end:].strip())


#: a capitalised word and a number opening a line: a numbered title of its own ("Subsection 2", "Annex II", "Rule 5")
_NUMBERED_TITLE = re.compile(r"^[A-Z][a-z]{2,}\s+(?:\d{1,3}|[IVXLC]{1,6})(?:\s|$|[.:–—-])")

#: an item number and a dot with the item's text right after it, no space ("1.Works", "2.does not receive"); not a
#: decimal ("3.5") or a section number ("1.2")
_TIGHT_ITEM = re.compile(r"^(\d{1,3})\.(?=[A-Za-z\"“(])")

#: a title line in capitals: at least this many letters, none of them lower case
_CAPS_LEAST = 4

#: a list label and the spaces after it, whose end is the column an item's continuation lines hang at ("-   ",
#: "1.  ", "(a) ", "iv) ", "•\t")
_HANG_LABEL = re.compile(r"^(?:[-–—•*·▪◦]|\(?\d{1,3}[.)]|\([a-zA-Z]{1,2}\)|\(?[ivxlc]{1,6}\)|[a-zA-Z][.)])[ \t]+(?=\S)")


def _capitals_title(t: str) -> bool:
    letters = [c for c in t if c.isalpha()]
    return len(letters) >= _CAPS_LEAST and all(c.isupper() for c in letters)


#: a bullet or a dash and a space opening a line
_BULLET_START = re.compile(r"^(?:[•·▪●◦‣■□○◆◇►▶➢✓√*]|[-–—]\s)")


def _ends_sentence(t: str) -> bool:
    """Does the line end with a full stop, question or exclamation mark (closing quotes/brackets ignored)?"""
    t = t.rstrip("".join(CLOSING) + " ")
    return bool(t) and t[-1] in "。！？!?.…"


#: a footnote marker at the end of a line, right after a non-digit ("…the world.3")
_MARKER_AT_END = re.compile(r"(?<=[^\d\s])\d{1,3}$")


def _ends_terminal(t: str, zh: bool) -> bool:
    """Does the line end a sentence (ignoring closing quotes/brackets and a trailing footnote marker)?"""
    t = t.rstrip()
    if t[-1:].isdigit():
        t = _MARKER_AT_END.sub("", t)  # footnote marker
    t = t.rstrip("".join(CLOSING) + " ")
    if not t:
        return False
    return t[-1] in (ZH_TERMINAL if zh else EN_TERMINAL) or (zh and t[-1] in EN_TERMINAL and t[-1] != ":")


#: pdftotext prints the words of a justified line stretched wide (a long URL pushed to the next line leaves a few
#: words spread over the width) one per line: a run of at least this many one-word lines is such a line
_SPREAD_RUN_MIN = 3

#: pdftotext may put a blank line between the words of such a run (it takes each for a block of its own)
_SPREAD_GAP = 1

#: ...when the line before it ran this close to the text width without ending a sentence (it wrapped into the run)
_SPREAD_BEFORE_FULL = 0.8


def _spread_line(body: list[_Line], w: float) -> set[tuple[int, int]]:
    """Soft breaks (line number pairs) around and inside runs of one-word lines that are one justified line
    pdftotext cut at its wide word gaps ("…16 December 1966, United" / "Nations," / "Treaty" / "Series," / "vol." /
    … / "at" / "https://…"): the run follows a full line that does not end a sentence, has a word in lower case
    (a sentence running on, not a column of names or figures), and the line after it goes on (a blank line between
    them at most)."""
    pairs: set[tuple[int, int]] = set()
    i = 0
    while i < len(body):
        j = i
        while j < len(body) and " " not in body[j].text and body[j].gap <= _SPREAD_GAP and not body[j].page_before:
            j += 1
        if j - i >= _SPREAD_RUN_MIN and i > 0:
            before, run = body[i - 1], body[i:j]
            if (before.width >= _SPREAD_BEFORE_FULL * w and not _ends_terminal(before.text, False)
                    and any(x.text[:1].islower() for x in run)):
                chain = [before] + run + ([body[j]] if j < len(body) and body[j].gap <= _SPREAD_GAP
                                          and not body[j].page_before else [])
                pairs.update((a.idx, b.idx) for a, b in zip(chain, chain[1:]))
        i = max(j, i + 1)
    return pairs


#: a list number alone on a line: "a.", "12.", "iv.", "(c)", "2)", "（三）", "一、"
_BARE_LABEL = re.compile(r"^(?:\(?(?:\d{1,3}|[A-Za-z]|[ivxlc]{2,6})[.)]"
                         r"|\((?:\d{1,3}|[A-Za-z]{1,2}|[ivxlc]{2,6})\)"
                         rf"|（[{chars.ZH_ONES_HUNDRED}]{{1,3}}）|[{chars.ZH_ONES_HUNDRED}]{{1,3}}、)$")


def _bare_labels(body: list[_Line]) -> set[int]:
    """Line numbers of list numbers printed alone, with the item's text on the next line (a blank line between at
    most): pdftotext prints the number of an item set over a hanging indent ("a.<tab>Adapted Material…") as a
    block of its own.  Such a number opens a block and joins the line after it."""
    out = set()
    for a, b in zip(body, body[1:]):
        if (_BARE_LABEL.match(a.text) and b.gap <= _SPREAD_GAP and not b.page_before
                and not _BARE_LABEL.match(b.text)):
            out.add(a.idx)
    return out
