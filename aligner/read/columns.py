"""Reading order of PDF pages set in two (or more) columns, from the lines' geometry alone.

A page is read in columns when a vertical *gutter* runs through its body text: an x-range, at least
:data:`GUTTER_MIN_EM` of the type size wide, that no body line crosses beside column text, with at least
:data:`COL_MIN_LINES` lines on each side that fill their column (:data:`COL_FILL`) and hold running text
(:data:`COL_MIN_WIDTH`), the columns running over most of the page's body height (:data:`COL_HEIGHT`).  Lines that
cross the gutter (a title block, a heading set across the columns, footnotes, the running header) are full-width
bands: the page is read band by band from the top, and between two bands each column top to bottom, the left one
first.  Three or four columns have two or three gutters, all crossed by the same fewest lines; there a short line
centred on the page in a middle column, short or in larger or bold type, with nothing beside it (a title narrower
than the three columns) is a band too.

What is *not* read in columns: a page of one column (its lines cross the middle), a short page, centred lines (they
cross the gutter), a table of short cells or text set on a character grid (its "columns" do not fill their width
or hold a few characters a line).  Pages that keep one column keep the extractor's order exactly.

Once some pages of a document are columns, a page with only a short second column (the last page of an article) or
one of short lines (deleted articles: "第 72 條 / （刪除）") is read against that document's gutters, requiring the
fullest column alone to pass the tests.

Where a PDF draws two columns line by line across the page, pdfium reads a line of each as one line, with a
space it inserted over the gutter; the reader records such wide gaps (``_PLine.cuts``) and the line is cut there
when, and only when, the gap lies in a gutter found on its page.
"""
from __future__ import annotations

import dataclasses
import logging
from collections import Counter

from ..segment.layout import _width

log = logging.getLogger(__name__)

#: a gutter is at least this many times the page's usual type size wide (LaTeX sets 10 pt between 10-pt columns;
#: the gaps between words never count: lines are whole)
GUTTER_MIN_EM = 0.8
#: each column holds at least this many lines (a short page, a date beside a signature are not columns)
COL_MIN_LINES = 5
#: each column is at least this share of the page's text width: the gutter is searched in the middle between
COL_MIN_SHARE = 0.2
#: the median line of a column fills at least this share of the column's width (running text fills its column;
#: table cells and centred lines do not)
COL_FILL = 0.6
#: ...and is at least this many narrow characters wide (a Chinese character counts two): 10 Chinese characters or
#: 20 letters, the narrowest newspaper column; a table's cells, a label, half a line of verse hold less
COL_MIN_WIDTH = 20
#: the columns run over at least this share of the page's body height (title, headings and footnotes above,
#: between and below them take the rest)
COL_HEIGHT = 0.5
#: lines crossing the gutter beside column text on both sides (a long URL poking into it) may be at most this
#: share of the column lines; more and the "gutter" is a gap that happens to be free (a table, a form)
INTRUDER_SHARE = 0.1
#: a page where this share of the body lines runs across the whole middle of the text is one column (the columns
#: of a page read in columns hold most of its lines: COL_HEIGHT)
SPAN_ONE_COLUMN = 0.75
#: on a page read against the document's gutter, the fuller column ends within this many type sizes of it
COL_REACH_EM = 3.0


@dataclasses.dataclass
class ColumnReport:
    pages: int = 0
    column_pages: int = 0           # pages read in two or more columns
    split_lines: int = 0            # pdfium lines cut at a gutter (columns drawn line by line)


def arrange(lines: list, n_pages: int) -> tuple[list, ColumnReport]:
    """The lines in reading order, with ``frame``/``col``/``cl``/``cr`` set for lines on pages read in columns
    (``cl``/``cr`` stay 0 elsewhere: the reader fills in its document-wide column there).  ``lines`` are the
    reader's lines in extraction order, page after page, with roles (body / furniture / note) set."""
    rep = ColumnReport(pages=n_pages)
    pages: list[list] = []
    for ln in lines:
        if not pages or pages[-1][0].page != ln.page:
            pages.append([])
        pages[-1].append(ln)
    results: list[tuple[list, list | None]] = []   # (lines of the page, leaves or None)
    gutters = []
    for pls in pages:
        leaves = _page(pls, None)
        results.append((pls, leaves))
        if leaves is not None:
            gutters.append(leaves[1])
    if gutters:
        # the document's gutters (the strips free on every page with the usual number of columns): a page with a
        # short last column is read against them
        n = Counter(len(g) for g in gutters).most_common(1)[0][0]
        same = [g for g in gutters if len(g) == n]
        doc = tuple((max(g[i][0] for g in same), min(g[i][1] for g in same)) for i in range(n))
        if all(b > a for a, b in doc):
            results = [(pls, leaves if leaves is not None else _page(pls, doc)) for pls, leaves in results]
    out: list = []
    frame = 0
    for pls, leaves in results:
        if leaves is None:
            frame += 1
            for ln in pls:
                ln.frame = frame
            out.extend(pls)
            continue
        ordered, gs, ncols, nsplit = leaves
        rep.column_pages += 1
        rep.split_lines += nsplit
        log.debug("page %d: %d columns, gutters at x %s, %d lines cut", pls[0].page, ncols, gs, nsplit)
        last = None
        for key, group in ordered:
            if key != last:
                frame += 1
                last = key
            for ln in group:
                ln.frame = frame
            out.extend(group)
    _column_edges([ln for ln in out if ln.col])
    return out, rep


def _page(pls: list, doc_gutters: tuple | None):
    """(ordered groups [(frame key, lines)], gutters, columns, lines cut) for a page read in columns, else None."""
    pieces = _pieces(pls)
    body = [p for p in pieces if p.role == "body"]
    if len(body) < (COL_MIN_LINES + 1 if doc_gutters else 2 * COL_MIN_LINES):
        return None
    em = _median([p.size for p in body]) or 10.0
    gs = _gutters(body, em) if doc_gutters is None else list(doc_gutters)
    if not gs or not _columns_hold(body, gs, em, relaxed=doc_gutters is not None):
        return None
    groups = _order(body, gs)
    # furniture and notes (set aside; their place matters only as neighbours): those above the page's body first,
    # the others after it
    top = max(p.top for p in body)
    aside = [p for p in pieces if p.role != "body"]
    above = [p for p in aside if (p.top + p.bottom) / 2 > top]
    below = [p for p in aside if (p.top + p.bottom) / 2 <= top]
    if above:
        groups.insert(0, (("above",), above))
    if below:
        groups.append((("below",), below))
    # the text extent of the page's columns: full-width bands span it
    lo = min(p.x0 for p in body)
    hi = max(p.x1 for p in body)
    merged, nsplit = _remerge(groups)
    for key, grp in merged:
        for ln in grp:
            if not ln.col:
                ln.cl, ln.cr = lo, hi
    return merged, tuple((round(a), round(b)) for a, b in gs), len(gs) + 1, nsplit


def _pieces(pls: list) -> list:
    """The page's lines cut at every wide inserted space (each piece remembers its line and place)."""
    out = []
    for ln in pls:
        ln.col, ln.cl, ln.cr = 0, 0.0, 0.0
        if not ln.cuts:
            out.append(ln)   # a whole line: no bookkeeping (src None)
            continue
        start, x0, w1 = 0, ln.x0, ln.w1
        for k, (off, gl, gr, w) in enumerate(ln.cuts + ((len(ln.text), ln.x1, None, 0.0),)):
            text = ln.text[start:off].strip()
            if text:
                p = dataclasses.replace(ln, text=text, x0=x0, x1=gl, cuts=(), w1=w1)
                p.src = (id(ln), k, start, off, ln)
                out.append(p)
            start, x0, w1 = off + 1, gr, w
    return out


def _gutters(body: list, em: float) -> list[tuple[float, float]]:
    """The x-ranges in the middle of the text crossed by the fewest lines (the least any x there has), left to
    right, each at least GUTTER_MIN_EM wide; none when the fewest is a majority of the lines."""
    x_lo = min(p.x0 for p in body)
    x_hi = max(p.x1 for p in body)
    tw = x_hi - x_lo
    if tw <= 4 * em:
        return []
    a_lo, a_hi = x_lo + COL_MIN_SHARE * tw, x_hi - COL_MIN_SHARE * tw
    if sum(1 for p in body if p.x0 <= a_lo and p.x1 >= a_hi) >= SPAN_ONE_COLUMN * len(body):
        return []   # most lines run across the whole middle: one column (a quick answer for most pages)
    step = max(1.0, tw / 1000)
    nb = int(tw / step) + 2
    diff = [0] * (nb + 2)
    for p in body:
        diff[int((p.x0 - x_lo) / step)] += 1
        diff[min(nb, int((p.x1 - x_lo) / step) + 1)] -= 1
    cover, c = [], 0
    for d in diff:
        c += d
        cover.append(c)
    lo_b, hi_b = int(COL_MIN_SHARE * tw / step), int((1 - COL_MIN_SHARE) * tw / step)
    if hi_b <= lo_b:
        return []
    m = min(cover[lo_b:hi_b + 1])
    if m > len(body) / 2:
        return []
    runs, run_start = [], None
    for b in range(lo_b, hi_b + 2):
        if b <= hi_b and cover[b] == m:
            if run_start is None:
                run_start = b
        elif run_start is not None:
            a, e = run_start, b
            while a > 0 and cover[a - 1] == m:   # the run's true extent, beyond the search window
                a -= 1
            while e < len(cover) and cover[e] == m:
                e += 1
            if (e - a) * step >= GUTTER_MIN_EM * em:
                runs.append((x_lo + a * step, x_lo + e * step))
            run_start = None
    return runs


def _split(lines: list, gs: list[tuple[float, float]]):
    """(columns left to right, crossing lines) for gutters ``gs``: a line crossing any gutter is in no column."""
    cols: list[list] = [[] for _ in range(len(gs) + 1)]
    cross = []
    for p in lines:
        k = 0
        for g0, g1 in gs:
            if p.x1 <= g0 + 1:
                break
            if p.x0 < g1 - 1:   # overlaps this gutter
                k = -1
                break
            k += 1
        (cross if k < 0 else cols[k]).append(p)
    return cols, cross


def _overlaps(a, b) -> bool:
    return a.bottom < b.top and b.bottom < a.top


def _intruders(cross: list, cols: list[list]) -> list:
    """Crossing lines set beside column text in two columns (not a band between the columns' passages)."""
    return [x for x in cross if sum(any(_overlaps(x, p) for p in col) for col in cols) >= 2]


def _fills(col: list, em: float) -> bool:
    width = max(p.x1 for p in col) - min(p.x0 for p in col)
    return (width > 0 and _median([p.x1 - p.x0 for p in col]) >= COL_FILL * width
            and _median([_width(p.text) for p in col]) >= COL_MIN_WIDTH)


def _columns_hold(body: list, gs: list, em: float, relaxed: bool) -> bool:
    cols, cross = _split(body, gs)
    n = sum(len(c) for c in cols)
    if len(_intruders(cross, cols)) > INTRUDER_SHARE * n:
        return False
    if not relaxed:
        if any(len(c) < COL_MIN_LINES or not _fills(c, em) for c in cols):
            return False
        top = max(p.top for p in body)
        bottom = min(p.bottom for p in body)
        in_cols = [p for c in cols for p in c]
        return max(p.top for p in in_cols) - min(p.bottom for p in in_cols) >= COL_HEIGHT * (top - bottom)
    # against the document's gutters: the fullest column passes alone and reaches its gutter (a left column ends
    # at it, a right one starts at it); the others may be short, empty or a list of short lines ("第 72 條 / （刪除）")
    k = max(range(len(cols)), key=lambda i: len(cols[i]))
    full = cols[k]
    if len(full) < COL_MIN_LINES or not _fills(full, em):
        return False
    if k < len(gs):
        reach = sorted(p.x1 for p in full)[int(0.9 * (len(full) - 1))]
        if gs[k][0] - reach > COL_REACH_EM * em:
            return False
    elif min(p.x0 for p in full) - gs[-1][1] > COL_REACH_EM * em:
        return False
    return True


def _order(lines: list, gs: list) -> list[tuple[tuple, list]]:
    """(frame key, lines) groups in reading order for body ``lines`` split at gutters ``gs``.  Full-width bands
    (lines crossing a gutter, not beside column text) come in order from the top; between two bands each column,
    from the left, top to bottom.  Consecutive band lines are one group (a title block)."""
    cols, cross = _split(lines, gs)
    intr = set(map(id, _intruders(cross, cols)))
    bands = []
    for x in cross:
        if id(x) in intr:   # a line poking into a gutter stays in the column it starts in
            k = sum(1 for g0, _ in gs if x.x0 >= g0)
            cols[k].append(x)
        else:
            bands.append(x)
    if len(cols) >= 3:
        # a centred title or heading narrower than the middle column crosses no gutter: a short line centred on the
        # page, in a middle column, with no line of another column beside it, is a band
        centre = (min(p.x0 for p in lines) + max(p.x1 for p in lines)) / 2
        size = _median([p.size for p in lines])
        for k in range(1, len(cols) - 1):
            col = cols[k]
            width = gs[k][0] - gs[k - 1][1]
            others = [p for i, c in enumerate(cols) if i != k for p in c]
            keep = []
            for p in col:
                if abs((p.x0 + p.x1) / 2 - centre) < p.size \
                        and (p.x1 - p.x0 < COL_FILL * width or p.bold or p.size > 1.1 * size) \
                        and not any(_overlaps(p, q) for q in others):
                    bands.append(p)
                else:
                    keep.append(p)
            cols[k] = keep
    pos = {id(p): i for i, p in enumerate(lines)}
    full = sorted(bands, key=lambda x: (-(x.top + x.bottom) / 2, pos[id(x)]))
    mids = [(x.top + x.bottom) / 2 for x in full]
    cells: dict[tuple[int, int], list] = {}
    for k, col in enumerate(cols, 1):
        for p in col:
            mid = (p.top + p.bottom) / 2
            b = sum(1 for m in mids if m > mid)   # how many full-width lines lie above the line's middle
            cells.setdefault((b, k), []).append(p)
    groups: list[tuple[tuple, list]] = []
    for b in range(len(full) + 1):
        for k in range(1, len(cols) + 1):
            cell = sorted(cells.get((b, k), []), key=lambda p: pos[id(p)])
            if cell:
                for p in cell:
                    p.col = k
                    p.colkey = (len(cols), k)
                groups.append(((b, k), cell))
        if b < len(full):
            if groups and groups[-1][0][-1] == "band":
                groups[-1][1].append(full[b])
            else:
                groups.append(((b, "band"), [full[b]]))
    return groups


def _remerge(groups: list) -> tuple[list, int]:
    """Pieces of one pdfium line that stay next to each other in one group become that line again; the lines cut
    are counted.  Lines never cut are returned as they are (the same objects)."""
    out = []
    cut_lines = set()
    for key, grp in groups:
        merged = []
        for p in grp:
            src = p.src
            prev = merged[-1].src if merged else None
            if src is not None and prev is not None and src[1] > 0 and prev[0] == src[0] and prev[1] == src[1] - 1:
                q = merged[-1]
                orig = src[4]
                q.text = orig.text[prev[2]:src[3]].strip()
                q.x1 = p.x1
                q.src = (src[0], src[1], prev[2], src[3], orig)
                continue
            merged.append(p)
        for p in merged:
            if p.src is not None and (p.src[2] > 0 or p.src[3] < len(p.src[4].text)):
                cut_lines.add(p.src[0])
        out.append((key, merged))
    return out, len(cut_lines)


def _column_edges(lines: list) -> None:
    """Left and right edge of each column over the document (the same column on every page): the most common left
    edge and the 95th percentile of the right edges of its lines, as the reader measures a one-column page."""
    by: dict[tuple, list] = {}
    for ln in lines:
        by.setdefault(ln.colkey, []).append(ln)
    for grp in by.values():
        left = Counter(round(ln.x0) for ln in grp).most_common(1)[0][0]
        rights = sorted(ln.x1 for ln in grp)
        right = rights[int(0.95 * (len(rights) - 1))]
        for ln in grp:
            ln.cl, ln.cr = left, right


def _median(xs: list) -> float:
    if not xs:
        return 0.0
    xs = sorted(xs)
    return xs[len(xs) // 2]
