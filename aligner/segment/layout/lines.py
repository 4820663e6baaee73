"""The reflow's line model: the input cut into non-blank :class:`_Line` objects (offsets, indent, blank lines and
form feeds before, display width), display widths (:func:`_width`: wide CJK characters 2) and the page width.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ... import chars


#: Han, kana or Hangul (:func:`aligner.chars.is_cjk`): no space at a line break next to it
_is_cjk = chars.is_cjk

#: East Asian Width W/F (:func:`aligner.chars.is_wide`)
_is_wide = chars.is_wide

#: two-column characters (:data:`aligner.chars.WIDE`): :func:`_width` counts them 2
_WIDE_RE = re.compile(f"[{chars.WIDE}]")


def _width(s: str) -> float:
    """Display width: wide (CJK, full-width) characters 2, spaces 0.5 (PDF extractors insert them around
    numbers), everything else 1."""
    return len(s) + len(_WIDE_RE.findall(s)) - 0.5 * s.count(" ")


#: whitespace runs, zero-width space and BOM included
_SPACE_RE = re.compile(r"[\s\u200b\ufeff]+")

#: what ends a Chinese sentence or clause at a line end
ZH_TERMINAL = set("。！？!?；;：:…")

#: what ends an English sentence or clause at a line end
EN_TERMINAL = set(".!?;:")

#: closing quotes and brackets, skipped when looking for a line's final punctuation
CLOSING = set("”’」』）)》〉】]\"'»")


@dataclass
class _Line:
    idx: int        # line number in the input (0-based)
    start: int      # offset of the stripped content
    end: int
    text: str       # stripped content
    indent: float   # display width of the leading whitespace
    gap: int = 0    # blank lines before this line
    ff: bool = False  # a form feed before this line
    page_before: bool = False
    role: str = "body"   # body / furniture / rule / url / note / code
    width: float = 0.0
    hard_before: bool = True
    block: int = -1


def _lines(text: str) -> list[_Line]:
    out: list[_Line] = []
    pos = 0
    n = len(text)
    gap = 0
    ff = False
    idx = 0
    while pos <= n:
        nl = text.find("\n", pos)
        if nl < 0:
            nl = n
        raw = text[pos:nl]
        if "\f" in raw:
            ff = True
        s = pos
        e = nl
        while s < e and (text[s].isspace() or text[s] in "\u200b\ufeff"):
            s += 1
        while e > s and (text[e - 1].isspace() or text[e - 1] in "\u200b\ufeff"):
            e -= 1
        if s < e:
            content = text[s:e]
            lead = text[pos:s].replace("\f", "").replace("\r", "")
            ln = _Line(idx, s, e, content, _width(lead.replace("\t", "    ")), gap, ff)
            ln.width = ln.indent + _width(content)
            out.append(ln)
            gap = 0
            ff = False
        else:
            gap += 1
        idx += 1
        pos = nl + 1
    return out


def _detect_double(lines: list[_Line]) -> bool:
    """A blank line after (nearly) every line: the Chinese UN PDFs are extracted like that."""
    if len(lines) < 4:
        return False
    gaps = [ln.gap for ln in lines[1:]]
    ones = sum(1 for g in gaps if g >= 1)
    zeros = len(gaps) - ones
    # plain text with blank-line paragraphs also has gap>=1 everywhere; that is harmless (see below)
    return ones >= 0.6 * len(gaps) and zeros <= 0.4 * len(gaps)


def _page_width(lines: list[_Line]) -> float:
    ws = sorted(ln.width for ln in lines)
    if not ws:
        return 0.0
    if len(ws) < 8:
        return ws[-1]
    return ws[int(len(ws) * 0.9)]
