"""PDF reader (pypdfium2, Apache-2.0/BSD): lines with geometry -> paragraphs, headings, notes and furniture.

Page by page (one page and its text page open at a time, so a 2,000-page file runs in bounded memory) the reader
takes pdfium's text lines with their left/right edges, top/bottom, font size and weight.  Then, over the whole
document:

* lines at the top or bottom of a page whose text (digits masked) comes back on many pages, and page numbers
  there, are ``furniture``;
* a run of small-type lines at the bottom of a page (below the body size) is ``note`` (one block per number);
* a line set in a larger size than the body, or bold / centred and short without final punctuation, or a
  division / article number alone (``第一章``, ``Article 5``) is a ``heading`` (level by size rank);
* body lines join into a paragraph unless the vertical gap grows, the next line is indented or opens with a
  number, or the line ends short of the right margin after final punctuation; a paragraph that runs to the right
  margin at the foot of a page goes on at the top of the next one.
Joining uses the reflow's rules (:func:`aligner.segment.layout._join`: no space between CJK characters,
line-end hyphens removed when the word is known unhyphenated).

A PDF without a text layer (scanned) or with a password is an :class:`InputError`.

The package's modules: :mod:`.extract` (pdfium's lines with their geometry), :mod:`.furniture` (running heads and
feet, footnotes, code), :mod:`.rules` (line pitch, headings, paragraph breaks), :mod:`.assemble` (lines -> blocks);
this module opens the file, checks it and reports what was guessed.
"""
from __future__ import annotations

import logging
import os
from pathlib import Path

from ...document import Document
from ...errors import InputError
from .assemble import _layout
from .extract import _extract

# names the tests use as pdf.NAME, re-exported from their homes ("X as X")
from .extract import _PLine as _PLine
from .rules import _FIRST_WORD as _FIRST_WORD, _final as _final, _pitch as _pitch

log = logging.getLogger(__name__)

#: the largest file read (pdfium maps the file itself; this only guards against mistakes)
MAX_PDF_BYTES = 2 * 1024 ** 3
#: a document with at least this share of unreadable characters is refused (the text would be noise: OCR it); a
#: PDF whose fonts all lack the table scores 0.4-0.95 (glyph numbers above 31 read as Latin-1 letters, not flagged)
UNREADABLE_REFUSE_SHARE = 0.25
#: ... and one with at least this share gets a note (a symbol font here and there: the characters are dropped)
UNREADABLE_NOTE_SHARE = 0.005


def read_pdf(src: str | os.PathLike | bytes, lang: str, *, name: str | None = None,
             password: str | None = None) -> Document:
    """Blocks of a PDF file (path or bytes); see the module doc."""
    import pypdfium2 as pdfium

    label = name or (str(src) if not isinstance(src, (bytes, bytearray)) else "<bytes>")
    if not isinstance(src, (bytes, bytearray)):
        p = Path(src)
        if not p.is_file():
            raise InputError(f"{label}: no such file")
        size = p.stat().st_size
        if size > MAX_PDF_BYTES:
            raise InputError(f"{label}: the PDF is {size / 2**30:.1f} GB, over the 2 GB limit")
        with open(p, "rb") as fh:
            if not fh.read(1024).lstrip().startswith(b"%PDF-"):
                raise InputError(f"{label}: not a PDF file (no %PDF- signature)")
        arg = str(p)
    else:
        if not bytes(src[:1024]).lstrip().startswith(b"%PDF-"):
            raise InputError(f"{label}: not a PDF file (no %PDF- signature)")
        arg = bytes(src)
    try:
        pdf = pdfium.PdfDocument(arg, password=password)
    except pdfium.PdfiumError as exc:
        msg = str(exc)
        if "password" in msg.lower():
            raise InputError(f"{label}: the PDF is encrypted (password protected); decrypt it first, "
                             "e.g. qpdf --decrypt") from None
        raise InputError(f"{label}: not a readable PDF ({msg})") from None
    zh = (lang or "").lower().startswith("zh")
    unreadable = [0, 0]     # characters without a Unicode mapping, all non-space characters
    try:
        lines, n_pages, empty = _extract(pdf, label, unreadable)
    except pdfium.PdfiumError as exc:
        raise InputError(f"{label}: a page of the PDF cannot be read ({exc})") from None
    finally:
        pdf.close()
    if n_pages == 0:
        raise InputError(f"{label}: the PDF has no pages")
    bad_share = unreadable[0] / max(unreadable[1], 1)
    if bad_share >= UNREADABLE_REFUSE_SHARE:
        raise InputError(f"{label}: the PDF's text layer does not map its glyphs to characters ({bad_share:.0%} "
                         "unreadable: fonts embedded without a ToUnicode table); run OCR on it, e.g. "
                         "ocrmypdf --force-ocr")
    if not lines:
        raise InputError(f"{label}: the PDF has no text layer (a scanned document?); run OCR on it first, "
                         "e.g. ocrmypdf")
    notes = []
    if empty:
        notes.append(f"{label}: {empty} of {n_pages} pages have no text layer (scanned pages are not read)")
    if bad_share >= UNREADABLE_NOTE_SHARE:
        notes.append(f"{label}: {unreadable[0]} characters ({bad_share:.1%}) have no Unicode mapping in the PDF's "
                     "fonts and are dropped")
    doc = _layout(lines, n_pages, zh)
    cols = doc.stats.get("column_pages", 0)
    log.info("%s: %d of %d pages read in two or more columns", label, cols, n_pages)
    if cols:
        notes.append(f"{label}: {cols} of {n_pages} pages read in two or more columns"
                     + (f" ({doc.stats['column_lines_cut']} lines drawn across the gutter cut there)"
                        if doc.stats.get("column_lines_cut") else ""))
    doc.notes[:0] = notes
    return doc
