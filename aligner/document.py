"""The document model every reader produces: the text it extracted and that text's blocks in reading order.

Data flows one way: file -> reader -> :class:`Document` (blocks) -> sentences (never across a block) -> beads.
A block is :class:`aligner.segment.layout.Block` (text, kind, span into :attr:`Document.text`, ``level``,
``label``); readers of every format (txt, md, html, docx, pdf) fill the same fields.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .segment.layout import Block

#: block kinds: running text, headings (``level`` 1..6), list items (``label`` "1." / "(c)" / "第五条"),
#: table cells, code, block quotes, figures (an image on its own: its alt text), footnote bodies and page
#: furniture (headers, footers, page numbers)
BLOCK_KINDS = ("text", "heading", "list", "cell", "code", "quote", "figure", "signature", "note", "furniture")

#: kinds left out of alignment unless the user asks for them (keep_notes); always counted and reported
SET_ASIDE_KINDS = frozenset({"note", "furniture", "code"})


@dataclass
class Document:
    """What a reader makes of one file.

    ``text`` is the extracted text (for .txt the decoded file itself); every block's ``start``/``end`` point
    into it.  ``format`` is the reader's name (``txt``, ``md``, ``html``, ``docx``, ``pdf``).  ``notes`` are the
    guesses the reader made, one line each ("decoded as GB18030", "lines hard-wrapped: rejoined"), which the
    CLI shows so that no guess is silent.  ``stats`` holds a reader's counts about the layout it saw (PDF: ``pages``,
    ``column_pages`` read in two or more columns, ``column_lines_cut``), reported in ``Alignment.stats["documents"]``.
    """

    text: str
    blocks: list[Block]
    format: str = "txt"
    encoding: str | None = None
    notes: list[str] = field(default_factory=list)
    stats: dict[str, int] = field(default_factory=dict)

    def set_aside(self, keep_notes: bool = False) -> dict[str, int]:
        """Non-space characters per block kind that alignment leaves out."""
        out: dict[str, int] = {}
        for b in self.blocks:
            if b.kind in SET_ASIDE_KINDS and not (keep_notes and b.kind in ("note", "furniture")):
                out[b.kind] = out.get(b.kind, 0) + sum(1 for c in b.text if not c.isspace())
        return out
