"""Helpers shared by the readers: building a document text from extracted blocks, mapping extracted text back
to the source, whitespace clean-up that knows Chinese, and the error for unreadable files."""
from __future__ import annotations

import logging
import os
import re
from pathlib import Path

from ..document import Document
from ..errors import InputError, reading
from ..segment import layout
from ..chars import is_cjkish as _cjkish
from ..segment.layout import Block

log = logging.getLogger(__name__)

#: the most characters ahead of the cursor :func:`map_text` looks for a character of extracted text that is not
#: where expected (escapes, entities and markup between two runs of text are shorter than this)
_MAP_WINDOW = 24
#: characters looked for together when one is not found near the cursor (a short probe would match too early)
_MAP_PROBE = 6


def source_bytes(src: str | os.PathLike | bytes, name: str | None = None) -> tuple[bytes, str]:
    """The bytes of ``src`` (a path or the bytes themselves) and a name for messages."""
    if isinstance(src, (bytes, bytearray, memoryview)):
        return bytes(src), name or "<bytes>"
    path = Path(src)
    label = name or str(path)
    with reading(label):
        if path.is_dir():
            raise InputError(f"{label}: no such file (it is a directory)")
        from ..formats.readers import DEFAULT_MAX_BYTES, _too_big
        size = path.stat().st_size
        if size > DEFAULT_MAX_BYTES:
            raise InputError(_too_big(label, size, DEFAULT_MAX_BYTES))
        return path.read_bytes(), label


#: the separator between the cells of a table row read as one block: every reader writes a row as a Markdown
#: table row reads (a row of short cells is one translation unit, as the docs-dev gold has it)
ROW_SEP = " | "

_WS_RE = re.compile(r"[ \t\r\n\f\v\u00a0\u2002\u2003\u2009\u200b\u3000]+")


def squash(text: str) -> str:
    """Collapse whitespace runs to one space, drop a run holding a line break between two CJK characters
    (pretty-printed HTML breaks Chinese lines anywhere) and whitespace at the ends."""
    out = []
    pos = 0
    for m in _WS_RE.finditer(text):
        out.append(text[pos:m.start()])
        a = text[m.start() - 1] if m.start() > 0 else ""
        b = text[m.end()] if m.end() < len(text) else ""
        if a and b and not ("\n" in m.group(0) and _cjkish(a) and _cjkish(b)):
            out.append(" ")
        pos = m.end()
    out.append(text[pos:])
    return "".join(out).strip()


def join_soft(a: str, b: str, latin_space: frozenset = frozenset()) -> str:
    """The separator for a soft line break between ``a`` and ``b``: nothing next to a CJK character, else a space;
    but a space between Han and a Latin letter or digit where the document spaces them on its own lines
    (``latin_space``: the classes :func:`aligner.segment.layout.linejoin._latin_spacing` found, "如果" / "Rust 同时")."""
    if not a or not b:
        return ""
    x, y = a[-1], b[0]
    if x.isspace() or y.isspace():
        return ""
    if latin_space and layout.han_latin_spaced(x, y, latin_space):
        return " "
    return "" if (_cjkish(x) or _cjkish(y)) else " "


def map_text(content: str, src: str, cur: int, end: int, base: int = 0) -> tuple[list[tuple[int, int]], int]:
    """Pieces ``(offset in content + base, offset in src)`` for ``content`` found in order in ``src[cur:end]``.

    The fast path finds the whole string; otherwise every character is looked for a short way ahead (escapes such
    as ``\\[`` and entities such as ``&amp;`` put source characters between extracted ones).  Characters not
    found are mapped to the position of the previous one.  Returns the pieces and the new cursor.
    """
    if not content:
        return [], cur
    p = src.find(content, cur, end)
    if p >= 0 and p - cur < 4 * _MAP_WINDOW + len(content):
        return [(base, p)], p + len(content)
    pieces: list[tuple[int, int]] = []
    expected = -1
    for i, ch in enumerate(content):
        q = src.find(ch, cur, min(end, cur + _MAP_WINDOW)) if not ch.isspace() else -1
        if q < 0 and not ch.isspace():
            # far ahead (markup such as an HTML tag in between): look for this character and a few after it
            q = src.find(content[i:i + _MAP_PROBE], cur, end)
        if q < 0:
            if ch.isspace():
                # whitespace may be a collapsed run or a soft break: skip source whitespace
                while cur < end and src[cur].isspace():
                    cur += 1
            continue
        if q != expected:
            pieces.append((base + i, q))
        expected = q + 1
        cur = q + 1
    if not pieces:
        pieces = [(base, min(cur, max(end - 1, 0)))]
    return pieces, cur


class Builder:
    """Accumulates blocks of extracted text into one :class:`Document` text (blocks separated by a blank line).

    Used by the readers whose source is not plain text (HTML, DOCX, PDF): block spans point into the built text.
    """

    def __init__(self, fmt: str):
        self.fmt = fmt
        self.parts: list[str] = []
        self.n = 0
        self.blocks: list[Block] = []
        self.notes: list[str] = []

    def add(self, text: str, kind: str = "text", *, level: int = 0, label: str = "", page: int | None = None,
            number: str | None = None) -> Block | None:
        if not text or not text.strip():
            return None
        if self.parts:
            self.parts.append("\n\n")
            self.n += 2
        start = self.n
        self.parts.append(text)
        self.n += len(text)
        b = Block(text, kind, start, self.n, len(self.blocks), [(0, start)], [], [], number, level, label, page)
        self.blocks.append(b)
        return b

    def document(self, encoding: str | None = None) -> Document:
        return Document("".join(self.parts), self.blocks, self.fmt, encoding, self.notes)


def renumber(blocks: list[Block]) -> list[Block]:
    blocks.sort(key=lambda b: (b.start, b.end))
    for i, b in enumerate(blocks):
        b.para = i
    return blocks


def organ_line(text: str) -> bool:
    """A line that is only an organ name ("大会", "安全理事会", "General Assembly"): a UN document's masthead on its
    first page.  It is a translated heading of the document (the DOCX reader keeps it as one), so the PDF and text
    readers set it aside as furniture only when it repeats on the pages like a running header."""
    return bool(layout._ORGAN_RE.match(re.sub(r"\s+", "", text)))


def keep_single_organ_lines(blocks: list[Block]) -> int:
    """Furniture blocks that are an organ name occurring once (page 1's masthead, not a running header) become
    headings; returns how many."""
    counts: dict[str, int] = {}
    for b in blocks:
        if b.kind == "furniture" and organ_line(b.text):
            counts[re.sub(r"\s+", "", b.text)] = counts.get(re.sub(r"\s+", "", b.text), 0) + 1
    n = 0
    for b in blocks:
        if b.kind == "furniture" and organ_line(b.text) and counts[re.sub(r"\s+", "", b.text)] == 1:
            b.kind, b.level = "heading", 1
            n += 1
    return n
