"""Rewrite a Markdown document into the same content in another form (for bench/bench_routes.py).

Each function takes Markdown text and returns Markdown text (or HTML / a DOCX file) with the same visible words:
headings as setext, other bullet markers, bullets as numbered lists, hard-wrapped paragraphs, CRLF line ends, a
YAML front matter block, HTML comments between blocks, tables without outer pipes and with padded columns, an HTML
page rendered by markdown-it-py with site chrome around the ``<article>``, a DOCX made by pandoc.  Block positions
come from markdown-it-py's token line maps, so nothing inside code blocks, tables or HTML blocks is rewritten by
accident.
"""
from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import tempfile
import unicodedata
from pathlib import Path

_FM = re.compile(r"\A---[ \t]*\n.*?\n(?:---|\.\.\.)[ \t]*\n", re.S)


def _md():
    from markdown_it import MarkdownIt
    return MarkdownIt("commonmark").enable("table").enable("strikethrough")


def split_front_matter(text: str) -> tuple[str, str]:
    m = _FM.match(text)
    return (m.group(0), text[m.end():]) if m else ("", text)


def _tokens(text: str):
    """Tokens of the body, their line maps in the lines of ``text`` (front matter counted as blank lines)."""
    fm, body = split_front_matter(text)
    return _md().parse("\n" * fm.count("\n") + body)


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


# ------------------------------------------------------------------------------------------- headings

def setext(text: str) -> str:
    """ATX headings of level 1 and 2 written as setext (``Title`` over ``=====`` / ``-----``)."""
    lines = text.split("\n")
    for tok in _tokens(text):
        if tok.type == "heading_open" and tok.markup.startswith("#") and tok.tag in ("h1", "h2") and tok.map:
            i = tok.map[0]
            m = re.match(r"^( {0,3})#{1,2}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$", lines[i])
            if not m or not m.group(2).strip():
                continue
            title = m.group(2)
            # "1. Overall" over a rule would open a list: escape the marker, as authors of setext headings do
            title = re.sub(r"^(\d{1,9})([.)])(?=[ \t]|$)", r"\1\\\2", title)
            title = re.sub(r"^([-*+])(?=[ \t]|$)", r"\\\1", title)
            lines[i] = title + "\n" + ("=" if tok.tag == "h1" else "-") * max(3, _width(title))
            if i > 0 and lines[i - 1].strip():
                # an ATX heading may follow a paragraph line directly; a setext title there would continue it
                lines[i] = "\n" + lines[i]
    return "\n".join(lines)


# ------------------------------------------------------------------------------------------- lists

_MARKER = re.compile(r"^((?:[ \t]*>)*[ \t]*)([-*+]|\d{1,9}[.)])([ \t]+|$)")


def bullets(text: str, char: str) -> str:
    """Every bullet list marker replaced by ``char`` (``*``, ``-`` or ``+``)."""
    lines = text.split("\n")
    for tok in _tokens(text):
        if tok.type == "list_item_open" and tok.markup in "-*+" and tok.map:
            i = tok.map[0]
            m = _MARKER.match(lines[i])
            if m and m.group(2) in "-*+":
                lines[i] = m.group(1) + char + lines[i][m.end(2):]
    return "\n".join(lines)


def numbered(text: str) -> str:
    """Bullet lists written as ordered lists (``1.`` ``2.`` …); continuation lines re-indented to the new content
    column, so nested blocks stay inside their item."""
    lines = text.split("\n")
    shift = [0] * len(lines)
    toks = _tokens(text)
    counters: list[int | None] = []
    for tok in toks:
        if tok.type in ("bullet_list_open", "ordered_list_open"):
            counters.append(0 if tok.type == "bullet_list_open" else None)
        elif tok.type in ("bullet_list_close", "ordered_list_close"):
            counters.pop()
        elif tok.type == "list_item_open" and counters and counters[-1] is not None and tok.map:
            counters[-1] += 1
            i, j = tok.map
            m = _MARKER.match(lines[i])
            if not m or m.group(2) not in "-*+":
                continue
            new = f"{counters[-1]}."
            d = len(new) - 1
            content_col = len(_expand(m.group(1))) + 1 + max(1, len(m.group(3)))
            lines[i] = m.group(1) + new + lines[i][m.end(2):]
            for k in range(i + 1, j):
                ln = _expand(lines[k])
                if ln.strip() and len(ln) - len(ln.lstrip(" ")) >= content_col:
                    shift[k] += d
    return "\n".join(" " * s + _expand(ln) if s else ln for ln, s in zip(lines, shift))


def _expand(line: str) -> str:
    return line.expandtabs(4) if "\t" in line[:8] else line


# ------------------------------------------------------------------------------------------- wrapping

_CJK = re.compile(r"[\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]")
#: a word that would change the block if it opened a line (heading, list, quote, setext underline, table, HTML)
_UNSAFE_START = re.compile(r"^(?:#|[-*+=>|<]|\d+[.)]|`{3}|~{3})")


_QUOTES = re.compile(r"^(?:[ \t]*>[ ]?)*")
_PREFIX = re.compile(r"^(?:[ \t]*>[ ]?)*[ \t]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)?")


def wrap(text: str, width: int) -> str:
    """Paragraphs (also inside list items and block quotes) hard-wrapped at ``width`` columns (CJK characters two
    columns; a break between two CJK characters or at a space).  Paragraphs with hard line breaks stay."""
    lines = text.split("\n")
    toks = _tokens(text)
    out: dict[int, tuple[int, list[str]]] = {}
    for k, tok in enumerate(toks):
        if tok.type != "paragraph_open" or not tok.map:
            continue
        inl = toks[k + 1]
        if any(c.type == "hardbreak" for c in inl.children or []):
            continue
        i, j = tok.map
        src = lines[i:j]
        if any(ln.rstrip("\r").endswith(("  ", "\\")) for ln in src):
            continue
        # the prefix of the first line (quote marks, indent, list marker) and of continuation lines (the quote
        # marks, then spaces up to the content column)
        p0 = _PREFIX.match(src[0]).group(0)
        q = _QUOTES.match(src[0]).group(0)
        cont = q + " " * max(0, _width(p0) - _width(q))
        words = " ".join([src[0][len(p0):]] + [_QUOTES.sub("", ln) for ln in src[1:]]).split()
        out[i] = (j, _fill(words, p0, cont, width))
    res: list[str] = []
    i = 0
    while i < len(lines):
        if i in out:
            j, new = out[i]
            res += new
            i = j
        else:
            res.append(lines[i])
            i += 1
    return "\n".join(res)


_PIECE = re.compile(r"[^\]<\u2e80-\u9fff]*(?:\]\([^)]*\)|<[^>]*>)|[\u2e80-\u9fff]"
                    r"|[^\u2e80-\u9fff]+?(?=[\u2e80-\u9fff]|\]\(|<|$)|.")


def _atoms(words: list[str]) -> list[tuple[str, bool]]:
    """(piece, space before it): words, with CJK runs cut into single characters (breakable between them)."""
    out: list[tuple[str, bool]] = []
    for w in words:
        first = True
        # a link destination "](…)" or an autolink "<…>" cannot hold a line break: one piece with what precedes it
        for piece in _PIECE.findall(w):
            out.append((piece, first))
            first = False
    return out


def _fill(words: list[str], p0: str, cont: str, width: int) -> list[str]:
    lines: list[str] = []
    cur = p0
    empty = True
    for piece, space in _atoms(words):
        add = (" " if space and not empty else "") + piece
        can_break = not empty and (space or (_CJK.match(piece) and _CJK.match(cur[-1:]))) and \
            not cur.endswith("\\")   # a backslash at a line end is a hard break
        if can_break and _width(cur + add) > width and not _UNSAFE_START.match(piece):
            lines.append(cur)
            cur, empty = cont + piece, False
            continue
        cur += add
        empty = False
    lines.append(cur)
    return lines


# ------------------------------------------------------------------------------------------- front matter, comments

def front_matter(text: str, lang: str) -> str:
    """A YAML front matter block on top (added to the document's own block if it has one)."""
    fm, body = split_front_matter(text)
    toks = _tokens(text)
    title = next((t.content for k, t in enumerate(toks) if t.type == "inline" and toks[k - 1].type == "heading_open"),
                 "Document")
    extra = (f"layout: page\ntitle: \"{title.replace(chr(34), '')}\"\ndate: 2024-03-01\n"
             f"tags: [docs, {'翻译' if lang == 'zh' else 'translation'}]\nauthors:\n  - name: Example Author\n"
             "    url: https://example.org/about\n")
    if fm:
        return fm.replace("\n", "\n" + extra, 1) + body
    return "---\n" + extra + "---\n\n" + body


def comments(text: str, lang: str) -> str:
    """HTML comments: a licence block on top, a one-line comment after every fifth top-level block."""
    lines = text.split("\n")
    fm, _ = split_front_matter(text)
    top = fm.count("\n")
    head = ("<!--\n  本文件由翻译小组维护。\n  修改前请先阅读 CONTRIBUTING.md。\n-->" if lang == "zh" else
            "<!--\n  This file is maintained by the docs team.\n  Read CONTRIBUTING.md before editing.\n-->")
    ends = []
    for tok in _tokens(text):
        if tok.level == 0 and tok.map and tok.nesting != -1 and tok.block:
            ends.append(tok.map[1])
    after = {e for n, e in enumerate(ends) if n % 5 == 4}
    res = lines[:top] + [head, ""]
    for i in range(top, len(lines)):
        res.append(lines[i])
        if i + 1 in after and (i + 1 >= len(lines) or not lines[i + 1].strip()):
            res += ["", f"<!-- TODO({'校对' if lang == 'zh' else 'review'}): check block {i + 1} -->"]
    return "\n".join(res)


def ordered_paren(text: str) -> str:
    """Ordered list markers ``1.`` written ``1)``."""
    lines = text.split("\n")
    for tok in _tokens(text):
        if tok.type == "list_item_open" and tok.markup == "." and tok.map:
            i = tok.map[0]
            m = _MARKER.match(lines[i])
            if m and m.group(2).endswith("."):
                lines[i] = m.group(1) + m.group(2)[:-1] + ")" + lines[i][m.end(2):]
    return "\n".join(lines)


def closing_hashes(text: str) -> str:
    """ATX headings closed with their hashes (``## Title ##``)."""
    lines = text.split("\n")
    for tok in _tokens(text):
        if tok.type == "heading_open" and tok.markup.startswith("#") and tok.map:
            i = tok.map[0]
            lines[i] = lines[i].rstrip() + " " + tok.markup
    return "\n".join(lines)


def tab_indent(text: str) -> str:
    """Indentation in runs of four spaces written as tabs (outside fenced code)."""
    lines = text.split("\n")
    fenced = set()
    for tok in _tokens(text):
        if tok.type in ("fence", "code_block") and tok.map:
            fenced.update(range(*tok.map))
    return "\n".join(ln if i in fenced else re.sub(r"^(?:    )+", lambda m: "\t" * (len(m.group(0)) // 4), ln)
                     for i, ln in enumerate(lines))


def plain(text: str) -> str:
    """Plain text as pandoc writes it from the HTML rendering (``-t plain``: no marks, hard-wrapped at 72 columns,
    tables drawn with dashes, quotes and list bodies indented)."""
    return subprocess.run(["pandoc", "-f", "html", "-t", "plain"], input=html_page(text, "en", chrome=False),
                          capture_output=True, text=True, check=True).stdout


def crlf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\n", "\r\n")


# ------------------------------------------------------------------------------------------- tables

def tables(text: str) -> str:
    """Tables without outer pipes, columns padded to one width, alignment colons in the rule."""
    lines = text.split("\n")
    for tok in _tokens(text):
        if tok.type != "table_open" or not tok.map:
            continue
        i, j = tok.map
        rows = [_cells(lines[k]) for k in range(i, j)]
        if any(r is None for r in rows) or len({len(r) for r in rows}) != 1:
            continue
        ncol = len(rows[0])
        # an empty first or last cell needs its outer pipe (padding would indent the row into a code block)
        outer = any(not r[0] or not r[-1] for n, r in enumerate(rows) if n != 1)
        w = [max(3, *(_width(r[c]) for n, r in enumerate(rows) if n != 1)) for c in range(ncol)]
        for n, r in enumerate(rows):
            if n == 1:
                cells = [(":" if c == 0 else "") + "-" * (w[c] - (1 if c == 0 else 0)) for c in range(ncol)]
            else:
                cells = [r[c] + " " * (w[c] - _width(r[c])) for c in range(ncol)]
            lines[i + n] = ("| " + " | ".join(cells) + " |") if outer else " | ".join(cells).rstrip()
    return "\n".join(lines)


def _cells(line: str) -> list[str] | None:
    """Cells of a table row (pipes inside code spans and escaped pipes kept), or None if unsure."""
    s = line.strip()
    if s.startswith("|"):
        s = s[1:]
    if s.endswith("|") and not s.endswith("\\|"):
        s = s[:-1]
    cells, cur, code = [], "", False
    k = 0
    while k < len(s):
        ch = s[k]
        if ch == "\\" and k + 1 < len(s):
            cur += s[k:k + 2]
            k += 2
            continue
        if ch == "`":
            code = not code
        if ch == "|" and not code:
            cells.append(cur.strip())
            cur = ""
        else:
            cur += ch
        k += 1
    if code:
        return None
    cells.append(cur.strip())
    if not cells or not all(cells[0:1]) and len(cells) == 1:
        return None
    return cells


# ------------------------------------------------------------------------------------------- HTML and DOCX

CHROME = {
    "zh": {"logo": "开源文档中心", "nav": ["首页", "文档", "博客", "社区", "下载", "关于"],
           "side": "本页目录", "related": "相关文章", "rel": ["快速上手指南", "贡献者公约", "常见问题解答"],
           "foot": ["隐私政策", "使用条款", "联系我们"], "copy": "© 2024 开源文档中心 版权所有", "search": "搜索文档"},
    "en": {"logo": "Open Docs Hub", "nav": ["Home", "Docs", "Blog", "Community", "Download", "About"],
           "side": "On this page", "related": "Related articles",
           "rel": ["Getting started guide", "Contributor covenant", "Frequently asked questions"],
           "foot": ["Privacy policy", "Terms of use", "Contact us"], "copy": "© 2024 Open Docs Hub. All rights reserved.",
           "search": "Search the docs"},
}


def html_page(text: str, lang: str, chrome: bool = True) -> str:
    """The Markdown rendered by markdown-it-py (front matter stripped, as a site generator does) inside a page: a
    header with a ``<nav>`` menu, a sidebar of links to the headings, the ``<article>``, a footer."""
    _, body = split_front_matter(text)
    md = _md()
    toks = md.parse(body)
    heads = [toks[k + 1].content for k, t in enumerate(toks) if t.type == "heading_open" and t.tag in ("h1", "h2")]
    art = md.renderer.render(toks, md.options, {})
    title = html.escape(heads[0] if heads else "Document")
    if not chrome:
        return f"<!DOCTYPE html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\"><title>{title}</title></head>\n" \
               f"<body>\n{art}</body></html>\n"
    c = CHROME[lang]
    li = "".join(f'<li><a href="/{n}">{html.escape(x)}</a></li>' for n, x in enumerate(c["nav"]))
    toc = "".join(f'<li><a href="#h{n}">{html.escape(h)}</a></li>' for n, h in enumerate(heads[:12]))
    rel = "".join(f'<li><a href="/a/{n}">{html.escape(x)}</a></li>' for n, x in enumerate(c["rel"]))
    foot = " ".join(f'<a href="/f/{n}">{html.escape(x)}</a>' for n, x in enumerate(c["foot"]))
    return f"""<!DOCTYPE html>
<html lang="{lang}">
<head><meta charset="utf-8"><title>{title} | {html.escape(c['logo'])}</title>
<style>body{{font-family:sans-serif}} .sidebar{{float:left;width:14em}}</style>
<script>window.dataLayer=window.dataLayer||[];function gtag(){{dataLayer.push(arguments)}}</script></head>
<body>
<header class="site-header"><div class="logo"><a href="/">{html.escape(c['logo'])}</a></div>
<nav class="main-nav"><ul>{li}</ul></nav>
<form class="search" action="/search"><input type="text" placeholder="{html.escape(c['search'])}"></form></header>
<div class="container">
<aside class="sidebar"><h3>{html.escape(c['side'])}</h3><ul>{toc}</ul>
<h3>{html.escape(c['related'])}</h3><ul>{rel}</ul></aside>
<main><article class="content">
{art}</article></main>
</div>
<footer class="site-footer"><p>{foot}</p><p>{html.escape(c['copy'])}</p></footer>
</body></html>
"""


def have_pandoc() -> bool:
    return shutil.which("pandoc") is not None


def _png_1x1() -> bytes:
    """A 1x1 grey PNG: the stand-in for every image of the docx-img route (the real files are not here)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\x80")) + chunk(b"IEND", b""))


def docx(text: str, out: Path, via: str = "html", images: bool = False) -> None:
    """A DOCX made by pandoc: ``via="html"`` from markdown-it-py's rendering (raw HTML blocks in the Markdown, such
    as captions in ``<p align="center">`` or ``<aside>`` pull quotes, keep their text); ``via="gfm"`` from the
    Markdown itself (pandoc's gfm reader keeps raw HTML blocks raw, and its DOCX writer drops them with their text).
    Front matter is stripped; images are left out (their files are not here, and pandoc stops on a missing one; the
    readers skip images anyway).  ``images=True`` keeps them, each file replaced by one 1x1 PNG and its alt text
    kept (pandoc writes it to ``wp:docPr descr``): the pictures the DOCX reader reads as figures."""
    _, body = split_front_matter(text)
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "doc.in"
        src.write_text(html_page(body, "en", chrome=False) if via == "html" else body, encoding="utf-8")
        flt = Path(tmp) / "noimages.lua"
        if images:
            png = Path(tmp) / "image.png"
            png.write_bytes(_png_1x1())
            flt.write_text(f"function Image(el) el.src = {json.dumps(str(png))} return el end\n", encoding="utf-8")
        else:
            flt.write_text("function Image(el) return {} end\n", encoding="utf-8")
        # two runs: pandoc 2.17 loads the images of the input before a filter can drop them
        native = subprocess.run(["pandoc", "-f", via, "-t", "native", "--lua-filter", str(flt), str(src)],
                                check=True, capture_output=True).stdout
        subprocess.run(["pandoc", "-f", "native", "-t", "docx", "-o", str(out)], input=native, check=True,
                       capture_output=True)
