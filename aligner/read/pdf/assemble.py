"""From the extracted lines to the document (:func:`_layout`): furniture and notes marked, reading order by
columns (:mod:`aligner.read.columns`), headings by size, weight and centring, then the lines grouped into blocks and
joined with the text reflow's joining rules (:func:`aligner.segment.layout._join`).
"""
from __future__ import annotations

import logging
from collections import Counter

from ...document import Document
from ...segment import layout
from ...segment.layout import Block
from .. import columns
from ..common import renumber
from ..labels import _CLOSERS, ends_final, find_label, is_preamble
from .extract import _PLine
from .furniture import _EDGE_ZONE, _REPEAT_SHARE, _code_lines, _foot_notes, _masthead_line, _repeat_key
from .rules import (_CENTRED_IN_COLUMN, _COMMAS, _GAP_FACTOR, _HEADING_SIZE, _continue_headings, _demote_long_headings,
                    _final, _new_para, _pitch, _runs_on, _same_run, _unmarked)

log = logging.getLogger(__package__)


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

    doc_words: dict[str, int] = layout._doc_words(text) if not zh else {}

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
    # the Latin classes the document spaces from Han text ("使 Rust 独特"): a line break there is joined with a space
    latin_space = layout._latin_spacing(text) if zh else frozenset()
    if latin_space:
        log.info("the text spaces Latin %s from Han characters: a line break between them is joined with a space",
                 " and ".join(sorted(latin_space)))

    def emit(group: list[int], kind: str, level: int = 0, number: str | None = None) -> None:
        if not group:
            return
        b = layout._join(text, [lobjs[i] for i in group], zh, dehyphen=not zh, markers=kind not in ("note", "furniture"),
                         marker_spans=marker_spans if kind not in ("note", "furniture") else None, doc_words=doc_words,
                         latin_space=latin_space)
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
