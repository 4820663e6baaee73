"""Reading order of PDF pages set in two (or more) columns, from the lines' geometry alone.

A page is read in columns when a vertical *gutter* runs through its body text: an x-range, at least
:data:`GUTTER_MIN_EM` of the type size wide, that no body line crosses beside column text, with at least
:data:`COL_MIN_LINES` lines on each side that fill their column (:data:`COL_FILL`) and hold running text
(:data:`COL_MIN_WIDTH`), the columns running over most of the page's body height (:data:`COL_HEIGHT`).  Lines that
cross the gutter (a title block, a heading set across the columns, footnotes, the running header) are full-width
bands: the page is read band by band from the top, and between two bands each column top to bottom, the left one
first.  A column is searched for a gutter in turn, so three columns read as one, then two.

What is *not* read in columns: a page of one column (its lines cross the middle), a short page, centred lines (they
cross the gutter), a table of short cells or text set on a character grid (its "columns" do not fill their width
or hold a few characters a line).  Pages that keep one column keep the extractor's order exactly.

Once some pages of a document are columns, a page with only a short second column (the last page of an article)
is read against that document's gutter, requiring the fuller column alone to pass the tests.

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
    by_count: Counter = dataclasses.field(default_factory=Counter)   # columns -> pages


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
    if gutters:   # the document's gutter: pages with a short second column are read against it
        gutters.sort()
        doc_gutter = gutters[len(gutters) // 2]
        results = [(pls, leaves if leaves is not None else _page(pls, doc_gutter)) for pls, leaves in results]
    out: list = []
    frame = 0
    for pls, leaves in results:
        if leaves is None:
            frame += 1
            for ln in pls:
                ln.frame = frame
            out.extend(pls)
            continue
        ordered, _g, ncols, nsplit = leaves
        rep.column_pages += 1
        rep.by_count[ncols] += 1
        rep.split_lines += nsplit
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


def _page(pls: list, doc_gutter: tuple | None):
    """(ordered groups [(frame key, lines)], gutter, columns, lines cut) for a page read in columns, else None."""
    pieces = _pieces(pls)
    body = [p for p in pieces if p.role == "body"]
    if len(body) < (COL_MIN_LINES + 1 if doc_gutter else 2 * COL_MIN_LINES):
        return None
    em = _median([p.size for p in body]) or 10.0
    g = _gutter(body, em) if doc_gutter is None else doc_gutter[:2]
    if g is None or not _columns_hold(body, g, em, relaxed=doc_gutter is not None):
        return None
    groups: list[tuple[tuple, list]] = []
    ncols = _order(body, g, em, (), (), groups, depth=0)
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
    return merged, (round(g[0]), round(g[1])), ncols, nsplit


def _pieces(pls: list) -> list:
    """The page's lines cut at every wide inserted space (each piece remembers its line and place)."""
    out = []
    for ln in pls:
        ln.col, ln.cl, ln.cr = 0, 0.0, 0.0
        if not ln.cuts:
            out.append(ln)
            ln._src = (id(ln), 0, 0, len(ln.text), ln)
            continue
        start, x0, w1 = 0, ln.x0, ln.w1
        for k, (off, gl, gr, w) in enumerate(ln.cuts + ((len(ln.text), ln.x1, None, 0.0),)):
            text = ln.text[start:off].strip()
            if text:
                p = dataclasses.replace(ln, text=text, x0=x0, x1=gl, cuts=(), w1=w1)
                p._src = (id(ln), k, start, off, ln)
                out.append(p)
            start, x0, w1 = off + 1, gr, w
    return out


def _gutter(body: list, em: float) -> tuple[float, float] | None:
    """The widest x-range in the middle of the text crossed by the fewest lines, if it is wide enough."""
    x_lo = min(p.x0 for p in body)
    x_hi = max(p.x1 for p in body)
    tw = x_hi - x_lo
    if tw <= 4 * em:
        return None
    a_lo, a_hi = x_lo + COL_MIN_SHARE * tw, x_hi - COL_MIN_SHARE * tw
    if sum(1 for p in body if p.x0 <= a_lo and p.x1 >= a_hi) >= SPAN_ONE_COLUMN * len(body):
        return None   # most lines run across the whole middle: one column (a quick answer for most pages)
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
        return None
    m = min(cover[lo_b:hi_b + 1])
    best, run_start = None, None
    for b in range(lo_b, hi_b + 2):
        if b <= hi_b and cover[b] == m:
            if run_start is None:
                run_start = b
        elif run_start is not None:
            if best is None or b - run_start > best[1] - best[0]:
                best = (run_start, b)
            run_start = None
    if best is None:
        return None
    # widen the run to its true extent outside the search window
    a, b = best
    while a > 0 and cover[a - 1] == m:
        a -= 1
    while b < len(cover) and cover[b] == m:
        b += 1
    g0, g1 = x_lo + a * step, x_lo + b * step
    if g1 - g0 < GUTTER_MIN_EM * em:
        return None
    return g0, g1


def _split(lines: list, g: tuple[float, float]):
    """(left, right, crossing) lines for gutter ``g``."""
    g0, g1 = g
    left, right, cross = [], [], []
    for p in lines:
        if p.x1 <= g0 + 1:
            left.append(p)
        elif p.x0 >= g1 - 1:
            right.append(p)
        else:
            cross.append(p)
    return left, right, cross


def _overlaps(a, b) -> bool:
    return a.bottom < b.top and b.bottom < a.top


def _intruders(cross: list, left: list, right: list) -> list:
    """Crossing lines set beside column text on both sides (not a band between the columns' passages)."""
    return [x for x in cross if any(_overlaps(x, p) for p in left) and any(_overlaps(x, p) for p in right)]


def _fills(side: list, em: float) -> bool:
    width = max(p.x1 for p in side) - min(p.x0 for p in side)
    return (width > 0 and _median([p.x1 - p.x0 for p in side]) >= COL_FILL * width
            and _median([_width(p.text) for p in side]) >= COL_MIN_WIDTH)


def _columns_hold(body: list, g: tuple[float, float], em: float, relaxed: bool) -> bool:
    left, right, cross = _split(body, g)
    intr = _intruders(cross, left, right)
    if len(intr) > INTRUDER_SHARE * (len(left) + len(right)):
        return False
    if not relaxed:
        if len(left) < COL_MIN_LINES or len(right) < COL_MIN_LINES or not _fills(left, em) or not _fills(right, em):
            return False
        top = max(p.top for p in body)
        bottom = min(p.bottom for p in body)
        ctop = max(p.top for p in left + right)
        cbottom = min(p.bottom for p in left + right)
        return ctop - cbottom >= COL_HEIGHT * (top - bottom)
    # against the document's gutter: the fuller column passes alone and runs up to the gutter (or, on the right,
    # starts at it); the other may be short or empty
    full, other = (left, right) if len(left) >= len(right) else (right, left)
    if len(full) < COL_MIN_LINES or not _fills(full, em):
        return False
    if full is left:
        reach = sorted(p.x1 for p in left)[int(0.9 * (len(left) - 1))]
        if g[0] - reach > COL_REACH_EM * em:
            return False
    elif min(p.x0 for p in right) - g[1] > COL_REACH_EM * em:
        return False
    return not other or len(other) < COL_MIN_LINES or _fills(other, em)


def _order(lines: list, g: tuple[float, float], em: float, path: tuple, key: tuple, groups: list,
           depth: int) -> int:
    """Append (frame key, lines) groups in reading order for body ``lines`` split at gutter ``g``; returns the number
    of columns.  Full-width bands (lines crossing the gutter, not beside column text) come in order from the top;
    between two bands the left lines, then the right ones, each searched for a further gutter.  ``path`` names the
    column (1 left, 2 right, nested for columns of columns): the same column on every page shares its edges."""
    left, right, cross = _split(lines, g)
    intr = set(map(id, _intruders(cross, left, right)))
    bands = []
    for x in cross:
        if id(x) in intr:   # a line poking into the gutter stays in the column it starts in
            (left if x.x0 < g[0] else right).append(x)
        else:
            bands.append(x)
    pos = {id(p): i for i, p in enumerate(lines)}
    full = sorted(bands, key=lambda x: (-(x.top + x.bottom) / 2, pos[id(x)]))
    mids = [(x.top + x.bottom) / 2 for x in full]

    def band_of(p) -> int:   # how many full-width lines lie above the line's middle
        mid = (p.top + p.bottom) / 2
        return sum(1 for m in mids if m > mid)

    sides: dict[tuple[int, int], list] = {}
    for k, side in ((1, left), (2, right)):
        for p in side:
            sides.setdefault((band_of(p), k), []).append(p)
    ncols = 2
    for b in range(len(full) + 1):
        for k in (1, 2):
            side = sorted(sides.get((b, k), []), key=lambda p: pos[id(p)])
            if not side:
                continue
            sub = None
            if depth < 2 and len(side) >= 2 * COL_MIN_LINES:
                sg = _gutter(side, em)
                if sg is not None and _columns_hold(side, sg, em, relaxed=False):
                    sub = sg
            if sub is not None:
                ncols = max(ncols, 1 + _order(side, sub, em, path + (k,), key + (b, k), groups, depth + 1))
            else:
                for p in side:
                    p.col = k
                    p._colkey = path + (k,)
                groups.append((key + (b, k), side))
        if b < len(full):
            if groups and groups[-1][0][-1] == "band":
                groups[-1][1].append(full[b])   # consecutive full-width lines: one frame (a title block)
            else:
                groups.append((key + (b, "band"), [full[b]]))
    return ncols


def _remerge(groups: list) -> tuple[list, int]:
    """Pieces of one pdfium line that stay next to each other in one group become that line again; the lines cut
    are counted.  Lines never cut are returned as they are (the same objects)."""
    out = []
    cut_lines = set()
    for key, grp in groups:
        merged = []
        for p in grp:
            src = p._src
            if merged and src[1] > 0 and merged[-1]._src[0] == src[0] and merged[-1]._src[1] == src[1] - 1:
                q = merged[-1]
                orig = src[4]
                start = q._src[2]
                q.text = orig.text[start:src[3]].strip()
                q.x1 = p.x1
                q._src = (src[0], src[1], start, src[3], orig)
                continue
            merged.append(p)
        for p in merged:
            orig = p._src[4]
            if p is not orig and (p._src[2] > 0 or p._src[3] < len(orig.text)):
                cut_lines.add(p._src[0])
        # a group of a column: remember the column key for the edges
        out.append((key, merged))
    return out, len(cut_lines)


def _column_edges(lines: list) -> None:
    """Left and right edge of each column over the document (the same column on every page): the most common left
    edge and the 95th percentile of the right edges of its lines, as the reader measures a one-column page."""
    by: dict[tuple, list] = {}
    for ln in lines:
        by.setdefault(ln._colkey, []).append(ln)
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
