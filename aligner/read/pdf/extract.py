"""Text lines with their geometry from pdfium, page by page (:func:`_extract`): each line's text, box, baseline,
font size, weight and monospace flag (:class:`_PLine`), the gaps pdfium bridged with a space (column gutters), the
spaces it generated next to Han characters taken out, and the count of characters without a Unicode mapping.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ... import chars
from ...segment import layout
from ...segment.code import MONO_FONT_NAME
from ..labels import find_label


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
#: Han text (:data:`aligner.chars.HAN_TEXT`): a line holding it may have spaces pdfium generated over layout gaps
_HAN = re.compile(f"[{chars.HAN_TEXT}]")
#: one text line of pdfium's page text: up to a line break, or up to and with an end-of-line hyphen mark
_LINE_PIECE = re.compile(f"([^\r\n{_EOL_HYPHEN}]*{_EOL_HYPHEN}?)(?:\r\n|\r|\n)?")
#: the PDF font descriptor's FixedPitch flag (bit 1); a font is monospace by it or by its name (the flag is often
#: missing on embedded subsets)
_FIXED_PITCH = 0x1
#: characters a glyph without a Unicode mapping comes out as (a font embedded without its ToUnicode table gives its
#: glyph numbers: the first 31 of a subset are control characters, which every such font shows on its first page);
#: a page with any of them has each of its characters checked with pdfium's own flag (FPDFText_HasUnicodeMapError)
_UNMAPPED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ue000-\uf8ff\ufffd]")


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
