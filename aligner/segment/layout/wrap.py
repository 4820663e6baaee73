"""The reflow decision: is a text hard-wrapped (lines cut at a width, :func:`looks_wrapped`) or one paragraph a
line?  Also the test for Chinese wrapped only at spaces (pandoc's plain text).
"""
from __future__ import annotations

import re

from ... import chars
from .furniture import _BARCODE_RE, _JOB_RE, _RULE_RE
from .line_rules import _ends_terminal
from .lines import _Line, _detect_double, _lines, _page_width, _width


#: a Han character (no punctuation), and a Latin letter or digit, at a line's end or start
_HAN_CHAR = re.compile(f"[{chars.HAN_BMP}]")

_LATIN_CHAR = re.compile(r"[A-Za-z0-9]")

#: line breaks next to a Latin word needed before a Chinese text is judged wrapped only at spaces (a text with a few
#: Latin words gives no evidence either way)
_SPACE_WRAP_LEAST = 20

#: ... and Han-Han breaks at most this share of them: pandoc's plain text 0.02-0.15 (a space between Han characters
#: in the source), pdftotext of PDFs 1.0-12
_SPACE_WRAP_HAN_SHARE = 0.25

#: lines holding a space needed to measure the width of a text wrapped only at spaces (as _page_width's own least)
_SPACED_LEAST = 8


def looks_wrapped(text: str, lang: str) -> bool:
    """Heuristic: is ``text`` PDF-like (lines cut at the page width)?"""
    lines = _lines(text)
    return _looks_wrapped(lines, lang.startswith("zh"), _detect_double(lines))


def _looks_wrapped(lines: list[_Line], zh: bool, double: bool) -> bool:
    if len(lines) < 3:
        return False
    if any(_RULE_RE.match(ln.text) or _BARCODE_RE.match(ln.text) or _JOB_RE.match(ln.text) for ln in lines):
        return True
    w = _page_width([ln for ln in lines if len(ln.text) > 3])
    space_wrap = zh and not double and _space_wrapped(*_break_sides(lines))
    if space_wrap:
        w = _spaced_width(lines) or w
    if w <= 0:
        return False
    pairs = 0
    wraps = 0
    for a, b in zip(lines, lines[1:]):
        g = b.gap - (1 if double else 0)
        if g > 0:
            continue
        pairs += 1
        if (a.width >= 0.7 * w or (space_wrap and _space_fit(a, b) > w)) and not _ends_terminal(a.text, zh):
            wraps += 1
    return wraps >= 2 and wraps >= 0.25 * pairs


def _break_sides(lines: list[_Line]) -> tuple[int, int]:
    """Line breaks (no blank line between) next to a Latin letter or digit, and between two Han characters."""
    han_han = latin = 0
    for a, b in zip(lines, lines[1:]):
        if b.gap or b.ff or b.page_before:
            continue
        if _HAN_CHAR.match(a.text[-1]) and _HAN_CHAR.match(b.text[0]):
            han_han += 1
        elif _LATIN_CHAR.match(a.text[-1]) or _LATIN_CHAR.match(b.text[0]):
            latin += 1
    return latin, han_han


def _space_wrapped(latin: int, han_han: int) -> bool:
    """Chinese text wrapped only at spaces (pandoc's plain text, some mailers): its lines break next to the Latin
    words set off by spaces and almost never between two Han characters, so a line that looks short before a long
    run of Han text is a wrap all the same."""
    return latin >= _SPACE_WRAP_LEAST and han_han <= _SPACE_WRAP_HAN_SHARE * latin


def _spaced_width(lines: list[_Line]) -> float:
    """The width a text wrapped only at spaces was wrapped at: that of its lines holding a space (a line with no
    space, a long run of Han text, overflows it unbroken); 0 with fewer than :data:`_SPACED_LEAST` such lines."""
    spaced = [ln for ln in lines if " " in ln.text and len(ln.text) > 3]
    return _page_width(spaced) if len(spaced) >= _SPACED_LEAST else 0.0


def _space_fit(a: _Line, b: _Line) -> float:
    """Width of line ``a`` with a space and all of ``b`` up to its first space added (a wrapper that breaks only
    at spaces moved that run down because it did not fit)."""
    return a.width + 0.5 + _width(b.text.split(" ", 1)[0])
