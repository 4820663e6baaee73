"""Plain-text reader: per document, either hard-wrapped lines (PDF/e-mail text: line lengths cluster near a
width) rejoined by the reflow of :mod:`aligner.segment.layout`, or one paragraph per line (web pages, Word
exports, laws: ragged lengths) kept as they are.  Markdown pasted into a .txt is recognised and read as Markdown.

Either way heading-like lines (``第一章``, ``第 3 條``, ``Article 5``, ``Chapter II``, ``序言``/``Preamble``,
short lines without final punctuation) are blocks of their own, and numbering that opens a block is its label.
"""
from __future__ import annotations

import logging
import os
import re

from ..document import Document
from ..formats.readers import decode_bytes_report
from ..segment import layout
from ..segment.layout import Block
from .common import keep_single_organ_lines, source_bytes
from .labels import ends_final, find_label, heading_like, is_preamble

log = logging.getLogger(__name__)

# ---------------------------------------------------------------------------------------- Markdown sniffing

_ATX = re.compile(r"^#{1,6}[ \t]+\S", re.M)
_SETEXT = re.compile(r"^[^\s\-=|>#*+`][^\n]*\n(?:=+|-+)[ \t]*$", re.M)
_FENCE = re.compile(r"^[ \t]{0,3}(?:```|~~~)", re.M)
_TABLE_SEP = re.compile(r"^\|?[ \t]*:?-{3,}:?[ \t]*(?:\|[ \t]*:?-{3,}:?[ \t]*)+\|?[ \t]*$", re.M)
_BULLET = re.compile(r"^[ \t]{0,6}[-*+][ \t]+\S", re.M)
_LINK = re.compile(r"\]\((?:https?://|#|/|\.{0,2}/?[\w-]+\.(?:md|html|png|jpg|svg))")
_HTML_BLOCK = re.compile(r"^[ \t]{0,3}<(?:div|p|img|table|details|aside|center|br|h[1-6]|a |span)\b", re.M | re.I)
_EMPH = re.compile(r"\*\*[^*\n]+\*\*|`[^`\n]+`")


def markdown_signals(text: str) -> dict[str, int]:
    """Counts of Markdown constructs in ``text`` (a sample of at most its first 200,000 characters)."""
    s = text[:200_000]
    from .markdown import front_matter_end
    return {
        "atx": len(_ATX.findall(s)), "setext": len(_SETEXT.findall(s)), "fence": len(_FENCE.findall(s)) // 2,
        "table": len(_TABLE_SEP.findall(s)), "front_matter": 1 if front_matter_end(s) else 0,
        "bullet": len(_BULLET.findall(s)), "link": len(_LINK.findall(s)), "html": len(_HTML_BLOCK.findall(s)),
        "emphasis": len(_EMPH.findall(s)),
    }


def looks_like_markdown(text: str) -> bool:
    """Markdown structure (headings, fences, tables, front matter) plus a second sign of it.

    Numbered lines alone (laws: ``1.`` ``(c)``) are not Markdown, nor is one ``-----`` under a line: a structural
    construct must come with another one, or with Markdown links / emphasis / bullets.
    """
    sig = markdown_signals(text)
    strong = sig["atx"] + sig["setext"] + sig["fence"] + sig["table"] + 2 * sig["front_matter"]
    weak = sig["link"] + sig["html"] + sig["emphasis"] + (sig["bullet"] if sig["bullet"] >= 2 else 0)
    return strong >= 2 or (strong >= 1 and weak >= 2)


# ---------------------------------------------------------------------------------------- the reader

def read_txt(src: str | os.PathLike | bytes, lang: str, encoding: str | None = None, *, name: str | None = None,
             markdown: bool | None = None, wrapped: bool | None = None) -> Document:
    """Read a text file (path or bytes) into a :class:`Document`; see :func:`text_document`."""
    data, label = source_bytes(src, name)
    text, enc, notes = decode_bytes_report(data, label, encoding)   # notes: an encoding guessed, NUL bytes kept
    doc = text_document(text, lang, markdown=markdown, wrapped=wrapped, name=label)
    doc.encoding = enc
    doc.notes[:0] = notes
    return doc


def text_document(text: str, lang: str, *, markdown: bool | None = None, wrapped: bool | None = None,
                  name: str = "text") -> Document:
    """Blocks of decoded ``text``.

    ``markdown=None`` sniffs Markdown (:func:`looks_like_markdown`); ``wrapped=None`` decides from the line
    lengths whether lines are hard-wrapped (``True`` rejoins them, ``False`` keeps one block per line).
    """
    zh = (lang or "").lower().startswith("zh")
    # form feeds between pages: text extracted from a PDF page by page (pdftotext), whatever its line lengths; marks
    # that look like Markdown there ("####", "**", "[…](…)") are characters printed on the page, and its lines are
    # cut at the page width: the reflow reads it, not the Markdown reader (which would keep the page wraps)
    pages = text.count("\f") >= 2
    if markdown is None:
        markdown = looks_like_markdown(text)
        if markdown and pages:
            log.info("%s: Markdown-like marks in text extracted page by page (form feeds): read as PDF text", name)
            markdown = False
    if markdown:
        from .markdown import read_markdown_text
        return read_markdown_text(text, lang, fmt="txt", notes=[f"{name}: Markdown detected in a text file: read as Markdown"])
    lines = layout._lines(text)
    if not lines:
        return Document(text, [], "txt")
    if wrapped is None and pages:
        wrapped = True
    if wrapped is None:
        double = layout._detect_double(lines)
        if double and layout._page_width(lines) > 240:
            double = False
        wrapped = layout._looks_wrapped(lines, zh, double)
        log.info("%s: %s", name, "lines look hard-wrapped (their lengths cluster near a width): rejoining wrapped "
                 "lines" if wrapped else "lines look like one paragraph each (ragged lengths): keeping every line")
    notes = []
    if wrapped:
        res = layout.reflow(text, lang, force=True)
        blocks = res.blocks
        for b in blocks:
            _label(b, zh)
        keep_single_organ_lines(blocks)   # as the PDF and DOCX readers: page 1's "大会" is a heading
        notes.append(f"{name}: lines look hard-wrapped (PDF or e-mail text): rejoined into paragraphs"
                     + "".join(f"; {g}" for g in res.guesses))
    else:
        blocks = _per_line(text, lines, zh)
    marks = _marks_only(blocks)
    if marks:
        notes.append(f"{name}: {marks} lines of only Markdown marks ('#', '---', '***') set aside as furniture")
    return Document(text, blocks, "txt", None, notes)


#: a line of only the marks Markdown and plain-text layouts draw with (``#`` ``---`` ``***`` ``===`` ``___``
#: ``~~~`` ``+`` ``|`` ``>``): a rule or an empty heading, no words to translate
_MARKS_ONLY = re.compile(r"^[#*\-_=~+|:>` \t]+$")


def _marks_only(blocks: list[Block]) -> int:
    """Blocks that are only Markdown marks become furniture (set aside and counted, never a heading or a sentence);
    returns how many."""
    n = 0
    for b in blocks:
        if b.kind not in ("furniture", "note", "code") and _MARKS_ONLY.match(b.text):
            b.kind, b.level, b.label = "furniture", 0, ""
            n += 1
    return n


def _per_line(text: str, lines, zh: bool) -> list[Block]:
    """One block per non-blank line: web pages, Word exports and laws put a paragraph on each line."""
    blocks: list[Block] = []
    indents = sorted(ln.indent for ln in lines)
    base = indents[len(indents) // 2] if indents else 0.0
    for i, ln in enumerate(lines):
        t = ln.text
        b = Block(t, "text", ln.start, ln.end, len(blocks), [(0, ln.start)], [], [ln.idx])
        lab = find_label(t)
        prev_gap = i == 0 or ln.gap > 0
        next_gap = i + 1 >= len(lines) or lines[i + 1].gap > 0
        if lab is not None:
            b.label = lab.text
            rest = t[lab.end:].strip()
            if lab.kind == "division":
                b.kind, b.level = "heading", lab.level
            elif lab.kind == "article":
                if not rest:
                    b.kind, b.level = "heading", 4
            else:
                b.kind = "list"
                b.level = 1 + int(max(0.0, ln.indent - base) // 2)
        elif is_preamble(t):
            b.kind, b.level = "heading", 2
        elif not ends_final(t) and heading_like(t, zh) and (prev_gap or next_gap or _longer(lines, i)):
            b.kind = "heading"
        blocks.append(b)
    return blocks


def _longer(lines, i: int) -> bool:
    """The next line is much longer: a title over its paragraph."""
    if i + 1 >= len(lines):
        return True
    return lines[i + 1].width > 2 * lines[i].width


#: the longest title an article number can carry on its own line and still be a heading ("第五条 免责声明及责任限制条款"):
#: past that it is the article's first sentence, set without final punctuation
_ARTICLE_TITLE_ZH = 20
_ARTICLE_TITLE_EN = 60


def _label(b: Block, zh: bool) -> None:
    if b.kind in ("furniture", "note"):
        return
    lab = find_label(b.text)
    if lab is None:
        if b.kind == "heading" and is_preamble(b.text):
            b.level = 2
        return
    b.label = lab.text
    rest = b.text[lab.end:].strip()
    if lab.kind == "division" and (len(b.text) < 80 or (len(b.lines) <= 3 and not ends_final(b.text))):
        b.kind, b.level = "heading", lab.level  # a long division title wrapped over lines is still a heading
    elif lab.kind == "article" and not rest:
        b.kind, b.level = "heading", 4
    elif lab.kind == "article" and len(b.lines) == 1 and not ends_final(rest) \
            and len(rest) <= (_ARTICLE_TITLE_ZH if zh else _ARTICLE_TITLE_EN):
        b.kind, b.level = "heading", 4  # "第一条 定义": an article number and its short title, alone on a line
    elif lab.kind == "article" and b.kind == "list":
        b.kind = "text"  # an article's paragraph, numbered: not a list item
    elif lab.kind == "item" and b.kind in ("text", "heading"):
        b.kind = "list"
        b.level = b.level or 1
