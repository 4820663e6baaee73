"""Reflow: turn PDF-extracted text (lines cut at the page width) back into paragraphs.

The stage works on lines and decides, for every line break between two lines of running text, whether it
is a real paragraph end ("hard") or a layout wrap ("soft").  Before that it separates:

* page furniture -- organ headers ("General Assembly", "大  会  安全理事会"), document symbols
  (``A/75/780``, ``S/2021/206``), job numbers (``21-02897 (C)``), barcodes (``*2102897*``), page numbers,
  "Distr.: General"/"Original: English" lines, separator rules and bare URL lines (PDF link annotations);
* footnote bodies -- the lines after a ``__________`` rule up to the end of the page, one block per note.

Both are kept as marked blocks (kind ``"furniture"``/``"note"``) and a paragraph of running text that
continues across a page break (and the notes at the bottom of that page) is joined.  Footnote reference
numbers in running text (``…国际政治地位。2 不尊重…``, ``Programme of Action,1``) are taken out of the block
text and recorded in :attr:`Block.removed`, together with the hyphens removed by de-hyphenation, so that
no non-space character of the input is ever lost without a trace.

Every block keeps a piecewise map from its (joined) text back to offsets in the original input.
All functions are pure and linear in the input size.

The package's modules, each with one job (docs/segmentation.md maps them):

* :mod:`.blocks` -- :class:`Block`, :class:`ReflowResult` and :func:`render_reflow`, what the reflow returns;
* :mod:`.lines` -- the line model (:class:`_Line`, :func:`_lines`) and display widths;
* :mod:`.line_rules` -- what one line is: heading, article number, list label, sentence end;
* :mod:`.furniture` -- page furniture, repeated page edges, program code, footnote and marker patterns;
* :mod:`.wrap` -- the reflow decision: is the text hard-wrapped at all (:func:`looks_wrapped`);
* :mod:`.linejoin` -- joining a block's lines: spaces, Han gaps, de-hyphenation, markers taken out;
* :mod:`.roles`, :mod:`.decisions`, :mod:`.reflower` -- the full reflow of a wrapped text: line roles and footnote
  markers, the hard/soft decision at each line break, and the class that runs them and builds the blocks.

This module is the entry point (:func:`reflow`, :func:`hard_breaks`, the plain-text path) and re-exports the names
the readers, tests and benchmarks use as ``layout.NAME``.
"""
from __future__ import annotations

import logging

from .blocks import Block, ReflowResult, render_reflow
from .lines import _detect_double, _lines, _page_width
from .linejoin import _join
from .reflower import _Reflower
from .wrap import _looks_wrapped, looks_wrapped

# names the readers, tests and benchmarks use as layout.NAME, re-exported from their homes ("X as X")
from .blocks import SKIPPED as SKIPPED
from .furniture import BROWSER_DATE as BROWSER_DATE, _EN_MARKER as _EN_MARKER, _FOOT_NOTE as _FOOT_NOTE
from .furniture import _NOTE_START as _NOTE_START, _ORGAN_RE as _ORGAN_RE, _PAGE_RE as _PAGE_RE
from .furniture import _ZH_MARKER as _ZH_MARKER, _is_furniture_line as _is_furniture_line
from .line_rules import _LIST_START as _LIST_START, _ends_terminal as _ends_terminal, _heading_line as _heading_line
from .linejoin import HAN_CHARS as HAN_CHARS, HAN_GAP as HAN_GAP, HAN_HAN_GAP as HAN_HAN_GAP
from .linejoin import SOFT_HYPHEN as SOFT_HYPHEN, _doc_words as _doc_words, _latin_spacing as _latin_spacing
from .linejoin import han_latin_spaced as han_latin_spaced
from .lines import _Line as _Line, _width as _width

log = logging.getLogger(__name__)

__all__ = ["Block", "ReflowResult", "hard_breaks", "looks_wrapped", "reflow", "render_reflow"]


def reflow(text: str, lang: str, *, force: bool | None = None) -> ReflowResult:
    """Reflow ``text`` into blocks.

    ``force=None`` detects PDF-like layout; when the text is not wrapped, blocks are the blank-line separated
    paragraphs (or the lines, when there is no blank line at all), with line breaks inside a paragraph
    joined.  ``force=True`` always runs the full reflow; ``force=False`` never does.
    """
    if not isinstance(text, str):
        raise TypeError("text must be str")
    zh = (lang or "").lower().startswith("zh")
    lines = _lines(text)
    if not lines:
        return ReflowResult([], False, False, 0)
    double = _detect_double(lines)
    if double and _page_width(lines) > 240:
        double = False  # one long line per paragraph with blank lines between: not a page layout
    wrapped = force if force is not None else _looks_wrapped(lines, zh, double)
    if force is None:
        log.info("reflow: lines look %s", "hard-wrapped (lengths cluster near a width): rejoining wrapped lines"
                 if wrapped else "like one paragraph each (ragged lengths): not rejoined")
    if not wrapped:
        return _plain(text, lines, zh)
    return _Reflower(text, lines, zh, double).run()


def hard_breaks(text: str, lang: str, *, force: bool | None = True) -> list[bool]:
    """For every non-blank line but the last: is the line break after it a real paragraph end?"""
    res = reflow(text, lang, force=force)
    owner: dict[int, int] = {}
    for bi, b in enumerate(res.blocks):
        for li in b.lines:
            owner[li] = bi
    ids = [ln.idx for ln in _lines(text)]
    return [owner.get(a, -1) != owner.get(b, -2) for a, b in zip(ids, ids[1:])]


def _plain(text: str, lines: list[_Line], zh: bool) -> ReflowResult:
    has_blank = any(ln.gap > 0 for ln in lines[1:])
    groups: list[list[_Line]] = []
    for ln in lines:
        if not groups or (ln.gap > 0 if has_blank else True) or ln.ff:
            groups.append([ln])
        else:
            groups[-1].append(ln)
    blocks = []
    latin_space = _latin_spacing(text) if zh else frozenset()
    for g in groups:
        b = _join(text, g, zh, dehyphen=False, markers=False, latin_space=latin_space)
        b.kind = "text"
        b.para = len(blocks)
        blocks.append(b)
    return ReflowResult(blocks, False, False, lines[-1].idx + 1)
