"""Markdown reader (markdown-it-py, CommonMark + tables): headings, list items, table rows, block quotes, code
blocks and front matter as blocks whose spans point into the Markdown source.

Inline markup is stripped from a block's text (emphasis, link targets, images, inline HTML tags); links keep
their text and inline code its content.  A paragraph made only of images (``![图 7.1 开发者分布](7-1.png)``) is a
``figure`` block of their alt texts: a unit of its own, aligned with the other document's figure; an image alone on a
line of a paragraph with text (a caption under it) gives its alt text as that line; an image inside running text
(an icon, a badge) is left out.  ``Block.pieces`` map the stripped text back to the source.  Code
blocks are kind ``code`` and front matter kind ``furniture`` (both set aside from alignment, counted);
HTML blocks give their visible text, or nothing when they are markup only.
"""
from __future__ import annotations

import logging
import re
from html.parser import HTMLParser

from ..document import Document
from ..segment import layout
from ..segment.layout import Block
from .common import ROW_SEP, join_soft, map_text, renumber
from .labels import find_label

log = logging.getLogger(__name__)

_FM_OPEN = re.compile(r"\A(?:---|\+\+\+)[ \t]*\n")
_FM_CLOSE = re.compile(r"^(?:---|\.\.\.|\+\+\+)[ \t]*$", re.M)
#: front matter is a short header; a closing line further down than this is a horizontal rule, not its end
_FM_MAX_CHARS = 8000


def _parser():
    from markdown_it import MarkdownIt
    return MarkdownIt("commonmark").enable("table").enable("strikethrough")


def front_matter_end(text: str) -> int:
    """Offset just after the front matter's closing line, or 0 when the text has none."""
    if not _FM_OPEN.match(text):
        return 0
    m = _FM_CLOSE.search(text, 4, _FM_MAX_CHARS)
    if not m or ":" not in text[:m.start()]:
        return 0
    return m.end() + 1 if m.end() < len(text) else m.end()


def read_markdown_text(text: str, lang: str, *, encoding: str | None = None, fmt: str = "md",
                       notes: list[str] | None = None) -> Document:
    """Parse Markdown ``text`` into a :class:`Document` whose text is ``text`` itself."""
    zh = (lang or "").lower().startswith("zh")
    # Chinese that spaces Latin words from Han on its lines keeps that space at a soft line break between them
    latin_space = layout._latin_spacing(text) if zh else frozenset()
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
    blocks: list[Block] = []

    def off(line: int) -> int:
        return line_starts[line] if line < len(line_starts) else len(text)

    fm = front_matter_end(text)
    body = text
    if fm:
        n_fm_lines = text.count("\n", 0, fm)
        body = "\n" * n_fm_lines + text[fm:]
        content = text[:fm].rstrip("\n")
        blocks.append(Block(content, "furniture", 0, len(content), 0, [(0, 0)], [], []))
    tokens = _parser().parse(body)

    lists: list[dict] = []    # open lists: {"ordered", "depth"}
    items: list[dict] = []    # open list items: {"label", "first"}
    quote = 0
    row: list[tuple[str, list[tuple[int, int]]]] | None = None
    row_span = (0, 0)
    pending: dict | None = None  # heading/paragraph waiting for its inline token

    for k, tok in enumerate(tokens):
        t = tok.type
        if t in ("bullet_list_open", "ordered_list_open"):
            lists.append({"ordered": t.startswith("ordered"), "depth": len(lists) + 1})
        elif t in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif t == "list_item_open":
            label = f"{tok.info}{tok.markup}" if lists and lists[-1]["ordered"] else ""
            items.append({"label": label, "first": True})
        elif t == "list_item_close":
            items.pop()
        elif t == "blockquote_open":
            quote += 1
        elif t == "blockquote_close":
            quote -= 1
        elif t == "heading_open":
            pending = {"kind": "heading", "level": int(tok.tag[1]), "map": tok.map}
        elif t == "paragraph_open":
            if items:
                it = items[-1]
                pending = {"kind": "list", "level": lists[-1]["depth"] if lists else 1, "map": tok.map,
                           "label": it["label"] if it["first"] else ""}
                it["first"] = False
            else:
                pending = {"kind": "quote" if quote else "text", "level": 0, "map": tok.map}
        elif t == "tr_open":
            row = []
            row_span = (off(tok.map[0]), off(tok.map[1])) if tok.map else (0, 0)
        elif t == "tr_close":
            if row is not None:
                _row_block(blocks, row, row_span)
            row = None
        elif t == "inline":
            if row is not None:
                s, e = row_span
                if row:
                    s = max(s, _last_src(row))
                txt, pieces = _inline(tok.children or [], text, s, e, zh, latin_space)
                row.append((txt, pieces))
                continue
            if pending is None:
                continue
            lo, hi = pending["map"] or tok.map or (0, 0)
            txt, pieces = _inline(tok.children or [], text, off(lo), off(hi), zh, latin_space)
            if txt.strip():
                kind = pending["kind"]
                if kind in ("text", "quote") and _only_images(tok.children or []):
                    kind = "figure"
                label = pending.get("label", "")
                level = pending["level"]
                lab = find_label(txt.strip()) if not label else None
                if lab is not None:
                    label = lab.text
                    if lab.kind == "division" and kind == "text" and len(txt) < 60:
                        kind, level = "heading", lab.level
                blocks.append(_block(txt, kind, pieces, off(lo), off(hi), level, label))
            pending = None
        elif t in ("fence", "code_block") and tok.map:
            s, e = off(tok.map[0]), off(tok.map[1])
            content = tok.content.rstrip("\n")
            pieces, _ = map_text(content, text, s, e)
            if content.strip():
                blocks.append(_block(content, "code", pieces, s, e, 0, ""))
        elif t == "html_block" and tok.map:
            s, e = off(tok.map[0]), off(tok.map[1])
            visible = html_fragment_text(tok.content)
            if visible:
                pieces, _ = map_text(visible, text, s, e)
                kind = "list" if items else ("quote" if quote else "text")
                blocks.append(_block(visible, kind, pieces, s, e, lists[-1]["depth"] if items and lists else 0, ""))
    doc = Document(text, renumber(_glue_figures(blocks, text)), fmt, encoding, list(notes or []))
    return doc


def _glue_figures(blocks: list[Block], src: str) -> list[Block]:
    """A figure whose next block starts on the very next source line (no blank line between: its caption written
    as an HTML block, which CommonMark starts anew) is one block with it, as a reader sees the two lines."""
    out: list[Block] = []
    for b in blocks:
        prev = out[-1] if out else None
        if (prev is not None and prev.kind == "figure" and b.kind in ("text", "quote", "figure")
                and src.count("\n", prev.end, b.start) <= 1 and prev.end <= b.start):
            shift = len(prev.text) + 1
            out[-1] = Block(prev.text + " " + b.text, b.kind, prev.start, b.end, 0,
                            prev.pieces + [(len(prev.text), prev.end)] + [(t + shift, o) for t, o in b.pieces],
                            [], [], None, b.level, b.label)
            continue
        out.append(b)
    return out


def _only_images(children) -> bool:
    """A paragraph made of images and line breaks only."""
    kinds = {c.type for c in children if not (c.type == "text" and not c.content.strip())}
    return "image" in kinds and kinds <= {"image", "softbreak", "hardbreak"}


def _alone(children, k: int) -> bool:
    """Child ``k`` (an image) is alone on its source line: a line break or the paragraph's edge on both sides."""
    def edge(j: int, step: int) -> bool:
        while 0 <= j < len(children) and children[j].type == "text" and not children[j].content.strip():
            j += step
        return not (0 <= j < len(children)) or children[j].type in ("softbreak", "hardbreak")
    return edge(k - 1, -1) and edge(k + 1, 1)


def _last_src(row) -> int:
    pieces = row[-1][1]
    if not pieces:
        return 0
    t, o = pieces[-1]
    return o + (len(row[-1][0]) - t)


def _row_block(blocks: list[Block], row, span) -> None:
    parts: list[str] = []
    pieces: list[tuple[int, int]] = []
    n = 0
    for txt, ps in row:
        if not txt.strip():
            continue
        if parts:
            parts.append(ROW_SEP)
            n += len(ROW_SEP)
        pieces += [(t + n, o) for t, o in ps]
        parts.append(txt)
        n += len(txt)
    if parts:
        blocks.append(_block("".join(parts), "cell", pieces, span[0], span[1], 0, ""))


def _block(txt: str, kind: str, pieces, s: int, e: int, level: int, label: str) -> Block:
    # trim surrounding whitespace, keeping the map right
    lead = len(txt) - len(txt.lstrip())
    body = txt.strip()
    if lead:
        pieces = [(max(0, t - lead), o + (lead - t if t < lead else 0)) for t, o in pieces]
        # drop duplicates the shift may have made at text offset 0
        dedup: list[tuple[int, int]] = []
        for p in pieces:
            if dedup and dedup[-1][0] == p[0]:
                dedup[-1] = p
            else:
                dedup.append(p)
        pieces = dedup
    pieces = pieces or [(0, s)]
    start = pieces[0][1]
    last_t, last_o = pieces[-1]
    end = max(start, min(e, last_o + (len(body) - last_t)))
    return Block(body, kind, start, end, 0, pieces, [], [], None, level, label)


def _inline(children, src: str, s: int, e: int, zh: bool,
            latin_space: frozenset = frozenset()) -> tuple[str, list[tuple[int, int]]]:
    out: list[str] = []
    pieces: list[tuple[int, int]] = []
    n = 0
    cur = s
    brk = False
    last = ""
    for k, c in enumerate(children):
        ct = c.type
        if ct in ("softbreak", "hardbreak"):
            brk = True
            continue
        if ct == "html_inline":
            if re.match(r"<br\b", c.content, re.I):
                brk = True
            continue
        if ct == "image" and not (c.content.strip() and _alone(children, k)):
            # an image inside running text (an icon, a badge): its alt text is not running text
            continue
        if ct not in ("text", "code_inline", "image") or not c.content:
            continue
        content = c.content.strip() if ct == "image" else c.content
        if brk:
            sep = join_soft(last, content, latin_space)
            if sep:
                nl = src.find("\n", cur, e)
                pieces.append((n, nl if nl >= 0 else max(cur - 1, s)))
                out.append(sep)
                n += len(sep)
                last = last + sep
            brk = False
        ps, cur = map_text(content, src, cur, e, base=n)
        pieces += ps
        out.append(content)
        n += len(content)
        last = content
    return "".join(out), pieces


class _TextOnly(HTMLParser):
    """Collects the character data of an HTML fragment outside script/style (stdlib: no extra dependency)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1
        elif tag in ("br", "p", "div", "li", "tr", "td", "th"):
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self.skip:
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def html_fragment_text(html: str) -> str:
    """Visible text of an HTML fragment (scripts, styles and comments left out), whitespace squashed."""
    from .common import squash
    p = _TextOnly()
    try:
        p.feed(html)
        p.close()
    except Exception:  # malformed markup: what was collected so far
        pass
    return squash(" ".join(p.parts))
