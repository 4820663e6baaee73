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
"""
from __future__ import annotations

import logging
import os
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .. import chars
from ..document import Document
from ..errors import InputError
from ..segment import layout
from ..segment.code import MONO_FONT_NAME
from ..segment.layout import Block
from . import columns
from .common import organ_line, renumber
from .labels import _CLOSERS, ends_final, find_label, is_preamble

log = logging.getLogger(__name__)

#: a header/footer candidate is a line this close (share of the page height) to the top or bottom edge
_EDGE_ZONE = 0.12
#: ...and furniture when its digit-masked text comes back on at least this share of the pages (and 2 pages)
_REPEAT_SHARE = 0.3
#: a line this much larger than the body size is a heading
_HEADING_SIZE = 1.15
#: footnote type is at most this share of the body size
_NOTE_SIZE = 0.9
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
#: a space pdfium inserted over a gap this many times the type size wide may be a gutter between two columns that
#: the PDF draws line by line across the page (pdfium then reads both columns' lines as one line); word spaces in
#: justified text stay under 1 em
_SPLIT_GAP = 1.5
_SPACE = re.compile(" ")   # the spaces of a line: where pdfium may have inserted one over a gap
#: spaces not counted as characters (not \s: it takes the control characters \x1c-\x1f for spaces)
_WHITE = re.compile("[ \t\r\n\u3000\u00a0]")
#: pdfium's text for a hyphen at the end of a line (a word broken by the layout tool's hyphenation, as LibreOffice
#: and Word set justified text): it drops the line break there and returns this non-character, so the two lines read
#: as one; the reader cuts the line after it and puts the printed hyphen back (the join then decides on it)
_EOL_HYPHEN = "\ufffe"
#: what FPDFText_GetUnicode returns for that hyphen (2) and for a character without Unicode (0), character by character
_PDFIUM_CHARS = {0: 32, 2: 0xFFFE}
_HAN = re.compile(f"[{chars.HAN_TEXT}]")
#: one text line of pdfium's page text: up to a line break, or up to and with an end-of-line hyphen mark
_LINE_PIECE = re.compile(f"([^\r\n{_EOL_HYPHEN}]*{_EOL_HYPHEN}?)(?:\r\n|\r|\n)?")
#: the PDF font descriptor's FixedPitch flag (bit 1); a font is monospace by it or by its name (the flag is often
#: missing on embedded subsets)
_FIXED_PITCH = 0x1
#: a run of at least this many monospace body lines is a code block (a one-line listing counts: a line wholly in a
#: monospace font, first, middle and last characters, is not prose that quotes code)
_CODE_LINES_MIN = 1
#: the roles a monospace line may have had before the code rule: body text, or a footnote (code set in smaller type
#: at the foot of a page looks like notes by size)
_CODE_ROLES = ("body", "note")
#: the largest file read (pdfium maps the file itself; this only guards against mistakes)
MAX_PDF_BYTES = 2 * 1024 ** 3
#: characters a glyph without a Unicode mapping comes out as (a font embedded without its ToUnicode table gives its
#: glyph numbers: the first 31 of a subset are control characters, which every such font shows on its first page);
#: a page with any of them has each of its characters checked with pdfium's own flag (FPDFText_HasUnicodeMapError)
_UNMAPPED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ue000-\uf8ff\ufffd]")
#: a document with at least this share of unreadable characters is refused (the text would be noise: OCR it); a
#: PDF whose fonts all lack the table scores 0.4-0.95 (glyph numbers above 31 read as Latin-1 letters, not flagged)
UNREADABLE_REFUSE_SHARE = 0.25
#: ... and one with at least this share gets a note (a symbol font here and there: the characters are dropped)
UNREADABLE_NOTE_SHARE = 0.005


@dataclass(slots=True)
class _PLine:
    page: int
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool
    page_h: float
    base: float = 0.0   # baseline of the first character (exact, unlike glyph boxes)
    role: str = "body"
    level: int = 0
    page_w: float = 0.0
    #: wide gaps at spaces pdfium inserted (offset of the space in ``text``, x where the gap starts, x where it
    #: ends, width of the first word after it): where two columns drawn line by line were read as one line, the
    #: gutter is one of them
    cuts: tuple = ()
    w1: float = 0.0     # width of the text up to the line's first space (its first word), 0 when unknown
    #: the text frame the line is in (a page, or one column or full-width band of a page set in columns), its
    #: left and right edges, and its column (0: a one-column page or a full-width band; 1, 2…: columns from the
    #: left); set by :func:`aligner.read.columns.arrange`
    frame: int = 0
    cl: float = 0.0
    cr: float = 0.0
    col: int = 0
    #: the arrangement's bookkeeping (aligner.read.columns): the pdfium line a piece comes from, and its column
    src: tuple | None = None
    colkey: tuple = ()
    #: the line is set in a monospace font throughout (its first, middle and last characters)
    mono: bool = False


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


def _unreadable(tp, n: int) -> tuple[int, int]:
    """Characters of a text page that have no Unicode mapping (pdfium's flag, or a control/private-use/replacement
    code point where a glyph number came out), and all its characters that pdfium did not generate (spaces and line
    ends it inserted) and that are not spaces."""
    import pypdfium2.raw as R

    bad = total = 0
    for i in range(n):
        if R.FPDFText_IsGenerated(tp, i) == 1:
            continue
        u = R.FPDFText_GetUnicode(tp, i)
        flagged = R.FPDFText_HasUnicodeMapError(tp, i) == 1
        if u in (32, 0x3000, 0xA0, 2) and not flagged:      # 2: pdfium's end-of-line hyphen (_PDFIUM_CHARS)
            continue
        total += 1
        bad += flagged or u < 32 or 0xE000 <= u <= 0xF8FF or u == 0xFFFD
    return bad, total


def _extract(pdf, label: str, unreadable: list[int] | None = None) -> tuple[list[_PLine], int, int]:
    """Lines of every page, the page count and the count of pages without text; ``unreadable`` gets the characters
    without a Unicode mapping and all non-space characters added."""
    unreadable = [0, 0] if unreadable is None else unreadable
    import ctypes

    import pypdfium2.raw as R

    out: list[_PLine] = []
    n_pages = len(pdf)
    empty = 0
    buf = ctypes.create_string_buffer(128)
    flags = ctypes.c_int(0)
    ox, oy = ctypes.c_double(0), ctypes.c_double(0)
    for pno in range(n_pages):
        page = pdf[pno]
        try:
            tp = page.get_textpage()
            try:
                h, pw = page.get_height(), page.get_width()
                n = tp.count_chars()
                if n <= 0:
                    empty += 1
                    continue
                text = tp.get_text_range()
                if len(text) != n:  # surrogates or ligatures: ask pdfium character by character
                    text = "".join(chr(_PDFIUM_CHARS.get(u, u)) for u in
                                   (R.FPDFText_GetUnicode(tp, i) for i in range(n)))
                if _UNMAPPED.search(text):
                    bad, total = _unreadable(tp, n)
                    unreadable[0] += bad
                    unreadable[1] += total
                    text = _UNMAPPED.sub(" ", text)     # dropped; the same length keeps pdfium's char indices
                else:
                    unreadable[1] += len(text) - len(_WHITE.findall(text))
                for lm in _LINE_PIECE.finditer(text):
                    raw = lm.group(1)
                    s = lm.start(1)
                    # pdfium's mark of a hyphen that ended a line (it joins the two lines): the printed hyphen
                    t = raw.strip().replace(_EOL_HYPHEN, "-")
                    if not t:
                        continue
                    lead = len(raw) - len(raw.lstrip())
                    i0 = s + lead
                    i1 = s + len(raw.rstrip()) - 1
                    l0, b0, r0, t0 = tp.get_charbox(i0)
                    l1, b1, r1, t1 = tp.get_charbox(i1)
                    mid = (i0 + i1) // 2
                    # the line's size is the middle of first/middle/last: a bold larger label ("Article 1")
                    # opening a body line does not make it a heading
                    size = sorted((R.FPDFText_GetFontSize(tp, i0), R.FPDFText_GetFontSize(tp, mid),
                                   R.FPDFText_GetFontSize(tp, i1)))[1]
                    R.FPDFText_GetCharOrigin(tp, i0, ctypes.byref(ox), ctypes.byref(oy))
                    bold = False
                    nlen = R.FPDFText_GetFontInfo(tp, mid, buf, 128, ctypes.byref(flags))
                    if nlen:
                        fname = buf.value.decode("latin-1", "replace")
                        bold = bool(re.search(r"bold|heavy|black|semibold|,B\b|-B\b|W[6-9]\b", fname, re.I)) \
                            or bool(flags.value & 0x40000)
                    mono = True
                    for ci in (i0, mid, i1):
                        if not R.FPDFText_GetFontInfo(tp, ci, buf, 128, ctypes.byref(flags)):
                            mono = False
                            break
                        cname = buf.value.decode("latin-1", "replace")
                        if not (MONO_FONT_NAME.search(cname) or flags.value & _FIXED_PITCH):
                            mono = False
                            break
                    w = R.FPDFText_GetFontWeight(tp, mid)
                    if w and w >= 600:
                        bold = True
                    # width of the line's first word (up to its first space), in advance boxes, not ink ("|" has
                    # almost no ink)
                    j = t.find(" ")
                    w1 = tp.get_charbox(i0 + j - 1 if j > 0 else i1, loose=True)[2] - tp.get_charbox(i0, loose=True)[0]
                    cuts = []
                    # a line pdfium boxes as one run of text has no gap (most lines of most PDFs: a quick answer)
                    runs = R.FPDFText_CountRects(tp, i0, i1 - i0 + 1) if " " in t else 1
                    for m in (_SPACE.finditer(t) if runs > 1 else ()):
                        k = i0 + m.start()
                        if R.FPDFText_IsGenerated(tp, k) == 1:
                            gl = tp.get_charbox(k - 1)[2]
                            gr = tp.get_charbox(k + 1)[0]
                            if gr - gl > _SPLIT_GAP * size:
                                j2 = t.find(" ", m.start() + 1)
                                w = tp.get_charbox(i0 + j2 - 1 if j2 > 0 else i1, loose=True)[2] \
                                    - tp.get_charbox(k + 1, loose=True)[0]
                                cuts.append((m.start(), gl, gr, w))
                    if " " in t and _HAN.search(t):
                        t, cuts = _drop_han_gaps(tp, R, t, i0, cuts)
                    out.append(_PLine(pno + 1, t, min(l0, l1), max(r0, r1), max(t0, t1), min(b0, b1), size, bold, h,
                                      oy.value, page_w=pw, cuts=tuple(cuts), w1=w1, mono=mono))
            finally:
                tp.close()
        finally:
            page.close()
    return out, n_pages, empty


def _drop_han_gaps(tp, R, t: str, i0: int, cuts: list) -> tuple[str, list]:
    """``t`` without the spaces pdfium generated over a gap next to a Han character (LibreOffice's and Word's
    spacing between Chinese and Latin text, the stretched gaps of justified Chinese lines:
    "议程项目 34、71 和 135", "部 长级"): Chinese has no word spaces, so a gap there is layout.  Spaces in the PDF's
    own text, the space after a number that opens the line ("1. 根据", "第二条 授权范围") and a gap wide enough to
    be a column gutter stay; the gutter cuts' offsets follow."""
    cut_at = {c[0] for c in cuts}
    lab = find_label(t)
    if lab is not None:   # "第二条 授权范围": the space after an opening number is the document's
        cut_at.add(len(t[:lab.end].rstrip()))
    drop = [m.start() for m in layout.HAN_GAP.finditer(t)
            if m.start() not in cut_at and R.FPDFText_IsGenerated(tp, i0 + m.start()) == 1]
    if not drop:
        return t, cuts
    ds = set(drop)
    out = "".join(c for j, c in enumerate(t) if j not in ds)
    return out, [(c[0] - sum(1 for d in drop if d < c[0]),) + tuple(c[1:]) for c in cuts]


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


def _layout(lines: list[_PLine], n_pages: int, zh: bool) -> Document:
    # -- furniture: repeated or page-number lines near the top/bottom edge
    edge = [ln for ln in lines if ln.top > ln.page_h * (1 - _EDGE_ZONE) or ln.bottom < ln.page_h * _EDGE_ZONE]
    # a running header is set in the same size on every page: a title that repeats its text in larger type on
    # page 1 is not counted with it
    counts = Counter(_repeat_key(ln) for ln in edge)
    need = max(2, int(_REPEAT_SHARE * n_pages + 0.999))
    for ln in edge:
        if (n_pages >= 2 and counts[_repeat_key(ln)] >= need and not layout._heading_line(ln.text)) \
                or layout._PAGE_RE.match(ln.text) \
                or _masthead_line(ln.text) or layout.BROWSER_DATE.match(ln.text):
            ln.role = "furniture"   # (a browser's print header: its date and time, then the page's title)
    body = [ln for ln in lines if ln.role == "body"]
    if not body:
        body = lines
    # -- body size: the size most characters are set in
    sizes = Counter()
    for ln in body:
        sizes[round(ln.size * 2) / 2] += len(ln.text)
    body_size = sizes.most_common(1)[0][0] if sizes else 10.0
    # -- notes: small type in a run at the foot of a page
    by_page: dict[int, list[_PLine]] = {}
    for ln in lines:
        by_page.setdefault(ln.page, []).append(ln)
    for pls in by_page.values():
        _foot_notes(pls, body_size)
    # -- reading order: pages set in columns are read band by band, column by column (aligner.read.columns)
    lines, crep = columns.arrange(lines, n_pages)
    if crep.column_pages:   # footnotes at the foot of a column (the other column running lower)
        by_col: dict[tuple[int, int], list[_PLine]] = {}
        for ln in lines:
            if ln.col:
                by_col.setdefault((ln.frame, ln.col), []).append(ln)
        for grp in by_col.values():
            _foot_notes(grp, body_size)
    note_numbers = {int(m.group(1)) for ln in lines if ln.role in ("note", "furniture")
                    for m in [layout._NOTE_START.match(ln.text)] if m}
    # -- column geometry of the one-column pages, over the document (lines read in columns have their column's)
    single = [ln for ln in lines if ln.role == "body" and not ln.cr]
    if not single:
        single = [ln for ln in body if ln.role == "body"]
    lefts = Counter(round(ln.x0) for ln in single)
    col_left = lefts.most_common(1)[0][0] if lefts else 0
    rights = sorted(ln.x1 for ln in single)
    col_right = rights[int(0.95 * (len(rights) - 1))] if rights else 1.0
    for ln in lines:
        if not ln.cr:
            ln.cl, ln.cr = col_left, col_right
    n_code = _code_lines(lines)
    heading_sizes = sorted({round(ln.size * 2) / 2 for ln in body if ln.role == "body"
                            and ln.size >= _HEADING_SIZE * body_size}, reverse=True)
    pitch0 = _pitch(lines, body_size)
    prev_body_line: _PLine | None = None
    for ln in lines:
        if ln.role != "body":
            continue
        before, prev_body_line = prev_body_line, ln
        if ln.text.isdigit() and len(ln.text) <= 3 and int(ln.text) in note_numbers:
            ln.role = "furniture"  # a raised footnote reference extracted as a line of its own
            continue
        lab = find_label(ln.text)
        alone = lab is not None and (lab.kind == "division" or (lab.kind == "article" and not ln.text[lab.end:].strip()))
        if alone and _runs_on(before, ln, pitch0, body_size, same_frame=not ln.col):
            alone = False  # "…including for purposes of / Section 3(b); and": a wrapped reference, not a heading
        lw = max(1.0, ln.cr - ln.cl)
        short = (ln.x1 - ln.x0) < 0.75 * lw and not _final(ln.text)
        # (in a narrow column an indented first line is easily within 6 % of the middle: there centring is exact)
        off = 0.06 * lw if not ln.col else min(0.06 * lw, _CENTRED_IN_COLUMN * body_size)
        centred = abs((ln.x0 + ln.x1) / 2 - (ln.cl + ln.cr) / 2) < off and ln.x0 > ln.cl + 0.1 * lw
        rs = round(ln.size * 2) / 2
        # (a comma ends the first line of a heading that wraps as well as a sentence's: the run is judged whole
        # by _demote_long_headings)
        if ln.size >= _HEADING_SIZE * body_size and not (len(ln.text) > 12 and ends_final(ln.text)
                                                         and not ln.text.rstrip(_CLOSERS).endswith(_COMMAS)):
            ln.role = "heading"
            ln.level = 1 + heading_sizes.index(rs) if rs in heading_sizes else 1
        elif alone and len(ln.text) < 60:
            ln.role, ln.level = "heading", (lab.level if lab.kind == "division" else 4)
        elif short and (ln.bold or centred or is_preamble(ln.text)):
            ln.role, ln.level = "heading", len(heading_sizes) + 1
    _continue_headings(lines, body_size)
    _demote_long_headings(lines, body_size)
    pitch = _pitch(lines, body_size)
    # a short line without final punctuation set off by wider gaps above and below is a heading in body type
    for i, ln in enumerate(lines):
        if ln.role != "body" or _final(ln.text) or (ln.x1 - ln.x0) > 0.75 * max(1.0, ln.cr - ln.cl) \
                or len(ln.text) > 100:
            continue
        prev_l = lines[i - 1] if i > 0 and lines[i - 1].frame == ln.frame else None
        next_l = lines[i + 1] if i + 1 < len(lines) and lines[i + 1].frame == ln.frame else None
        above = prev_l is None or prev_l.role != "body" or prev_l.base - ln.base > _GAP_FACTOR * pitch
        if above and prev_l is None and ln.col:
            # the top of a column: set off above only if the text before it (the foot of the previous column)
            # did not run on to the margin unfinished ("…log-log Open / Source Quadrant Map")
            before = next((x for x in reversed(lines[:i]) if x.role == "body"), None)
            above = not _runs_on(before, ln, pitch, body_size, same_frame=False)
        below = next_l is not None and next_l.role == "body" and ln.base - next_l.base > _GAP_FACTOR * pitch
        if above and below and not layout._FOOT_NOTE.match(ln.text) and not next_l.text[:1].islower() \
                and not _unmarked(ln.text).endswith((" and", " or", " of", " the", "、", "—", "-")):
            ln.role, ln.level = "heading", len(heading_sizes) + 1

    # -- the document text: one line per extracted line, a form feed between pages
    parts: list[str] = []
    lobjs: list[layout._Line] = []
    pos = 0
    last_page = None
    for idx, ln in enumerate(lines):
        ff = last_page is not None and ln.page != last_page
        if ff:
            parts.append("\f\n")
            pos += 2
        last_page = ln.page
        lo = layout._Line(idx, pos, pos + len(ln.text), ln.text, 0.0, 0, ff)
        parts.append(ln.text + "\n")
        pos += len(ln.text) + 1
        lobjs.append(lo)
    text = "".join(parts)

    doc_words: dict[str, int] = {}
    if not zh:
        for m in re.finditer(r"[A-Za-z]+(?:-[A-Za-z]+)*", text):
            w = m.group(0).lower()
            doc_words[w] = doc_words.get(w, 0) + 1

    # footnote reference numbers after punctuation in running text ("…by law.1"), for the notes the pages have
    marker_spans: dict[int, list[tuple[int, int]]] = {}
    if note_numbers:
        pat = layout._ZH_MARKER if zh else layout._EN_MARKER
        for ln, lo in zip(lines, lobjs):
            if ln.role == "body":
                for m in pat.finditer(text, lo.start, lo.end):
                    # "1.2.2", "2.5 times": digits after a point that follows a digit are a number, not a marker
                    dotted = m.start(1) >= 2 and text[m.start(1) - 1] in ".," and text[m.start(1) - 2].isdigit()
                    if int(m.group(1)) in note_numbers and not m.group(1).startswith("0") and not dotted:
                        marker_spans.setdefault(lo.idx, []).append((m.start(1), m.end(1)))

    blocks: list[Block] = []

    def emit(group: list[int], kind: str, level: int = 0, number: str | None = None) -> None:
        if not group:
            return
        b = layout._join(text, [lobjs[i] for i in group], zh, dehyphen=not zh, markers=kind not in ("note", "furniture"),
                         marker_spans=marker_spans if kind not in ("note", "furniture") else None, doc_words=doc_words)
        b.kind, b.level, b.page, b.number = kind, level, lines[group[0]].page, number
        if kind not in ("furniture", "note"):
            lab = find_label(b.text)
            if lab is not None:
                b.label = lab.text
                if kind == "text" and lab.kind == "item":
                    b.kind, b.level = "list", 1
        blocks.append(b)

    cur: list[int] = []
    cur_kind = None
    cur_level = 0
    note: list[int] = []
    note_num = None
    prev_body: _PLine | None = None
    for i, ln in enumerate(lines):
        if ln.role == "furniture":
            emit([i], "furniture")
            continue
        if ln.role == "note":
            m = layout._NOTE_START.match(ln.text)
            if m or not note or lines[note[-1]].page != ln.page:
                emit(note, "note", number=note_num)
                note, note_num = [i], (m.group(1) if m else None)
            else:
                note.append(i)
            continue
        if ln.role == "code":
            if not (cur and cur_kind == "code" and lines[cur[-1]].page == ln.page):
                emit(cur, cur_kind or "text", cur_level)
                cur, cur_kind, cur_level = [], "code", 0
            cur.append(i)
            prev_body = None
            continue
        if ln.role == "heading":
            if cur and cur_kind == "heading" and _same_run(lines[cur[-1]], ln):
                cur.append(i)  # a heading set on two lines
                continue
            emit(cur, cur_kind or "text", cur_level)
            cur, cur_kind, cur_level = [i], "heading", ln.level
            prev_body = None
            continue
        # body line
        if cur and cur_kind == "text" and prev_body is not None and not _new_para(prev_body, ln, zh, pitch,
                                                                                   body_size):
            cur.append(i)
        else:
            emit(cur, cur_kind or "text", cur_level)
            cur, cur_kind, cur_level = [i], "text", 0
        prev_body = ln
    emit(cur, cur_kind or "text", cur_level)
    emit(note, "note", number=note_num)
    blocks = renumber(blocks)
    doc = Document(text, blocks, "pdf", None, [])
    doc.stats.update(pages=n_pages, column_pages=crep.column_pages, column_lines_cut=crep.split_lines,
                     code_lines=n_code)
    if n_code:
        doc.notes.append(f"{n_code} lines set in a monospace font (by font name or fixed-pitch flag) taken for program "
                         f"code: set aside as code")
    return doc


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
