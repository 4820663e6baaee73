"""What a PDF's pages carry besides running text: running headers and footers at the page edges (repeated
text in the same size, page numbers, a masthead), footnotes in small type at the foot of a page or column
(:func:`_foot_notes`), and program code in a monospace font (:func:`_code_lines`).
"""
from __future__ import annotations

import logging
import re

from ...segment import layout
from ..common import organ_line
from .extract import _PLine

#: the PDF reader logs under one name, aligner.read.pdf (the package), whichever of its modules speaks
log = logging.getLogger(__package__)


#: a header/footer candidate is a line this close (share of the page height) to the top or bottom edge
_EDGE_ZONE = 0.12
#: ...and furniture when its digit-masked text comes back on at least this share of the pages (and 2 pages)
_REPEAT_SHARE = 0.3
#: footnote type is at most this share of the body size
_NOTE_SIZE = 0.9
#: a run of at least this many monospace body lines is a code block (a one-line listing counts: a line wholly in a
#: monospace font, first, middle and last characters, is not prose that quotes code)
_CODE_LINES_MIN = 1
#: the roles a monospace line may have had before the code rule: body text, or a footnote (code set in smaller type
#: at the foot of a page looks like notes by size)
_CODE_ROLES = ("body", "note")


def _mask(t: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", t))


def _repeat_key(ln: _PLine) -> tuple[str, float]:
    """What must come back on other pages for an edge line to be furniture: its digit-masked text in its size."""
    return _mask(ln.text), round(ln.size * 2) / 2


def _masthead_line(t: str) -> bool:
    """An edge line that is furniture without repeating: a document symbol, job number, barcode, "Distr.: General"
    (:func:`layout._is_furniture_line`), but not a bare organ name ("大会", "General Assembly"): that is a
    translated heading of the document, kept as the DOCX reader keeps it; it is furniture only when it repeats."""
    return layout._is_furniture_line(t) and not organ_line(t)


def _code_lines(lines: list[_PLine]) -> int:
    """Body lines set in a monospace font throughout, in runs of :data:`_CODE_LINES_MIN` or more, get role
    ``code``; their number.  Code is often set smaller than the text: at the foot of a page the notes rule has
    taken such lines for footnotes already, and they are taken back (footnotes are not set in a monospace face).  Prose that quotes code inline has proportional characters at its start, middle or
    end and stays body."""
    n = 0
    i = 0
    while i < len(lines):
        if not (lines[i].role in _CODE_ROLES and lines[i].mono):
            i += 1
            continue
        j = i
        while j + 1 < len(lines) and lines[j + 1].role in _CODE_ROLES and lines[j + 1].mono:
            j += 1
        if j - i + 1 >= _CODE_LINES_MIN:
            for ln in lines[i:j + 1]:
                ln.role = "code"
            n += j - i + 1
        i = j + 1
    if n:
        log.info("pdf: %d lines in a monospace font: set aside as code", n)
    return n


def _foot_notes(pls: list[_PLine], body_size: float) -> None:
    """A run of small-type body lines at the foot of a page (or of a column) under larger type: notes."""
    run = []
    for ln in sorted((x for x in pls if x.role == "body"), key=lambda x: x.top):
        if ln.size <= _NOTE_SIZE * body_size:
            run.append(ln)
        else:
            break
    if run and len(run) < len([x for x in pls if x.role == "body"]):
        for ln in run:
            ln.role = "note"
