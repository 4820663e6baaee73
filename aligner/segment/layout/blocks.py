"""What the reflow returns: :class:`Block` (one paragraph, heading, list item, note or furniture line, with the
map from its joined text back to offsets in the input) and :class:`ReflowResult`; :func:`render_reflow` prints them.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field


#: block kinds left out of the paragraphs (and of :func:`render_reflow` without ``keep_notes``)
SKIPPED = ("furniture", "note")


@dataclass
class Block:
    """One reflowed block: a paragraph, heading, list item, signature line, note or furniture line.

    ``text`` is the joined text; ``start``/``end`` the span of the block in the original input (for a
    paragraph that continues across a page break the span includes the furniture and notes in between);
    ``pieces`` maps text offsets to original offsets (sorted ``(text_offset, orig_offset)`` pairs: the
    characters from one piece to the next are contiguous in the original); ``removed`` lists
    ``(orig_offset, string)`` for footnote markers and line-end hyphens that are in the original span but
    not in ``text``; ``lines`` are the ids (0-based, counting every line of the input) of the lines the block
    was built from; ``para`` is the block's position in :attr:`ReflowResult.blocks`.
    """

    text: str
    kind: str
    start: int
    end: int
    para: int = 0
    pieces: list[tuple[int, int]] = field(default_factory=list, repr=False)
    removed: list[tuple[int, str]] = field(default_factory=list, repr=False)
    lines: list[int] = field(default_factory=list, repr=False)
    number: str | None = None  # footnote number of a note block
    level: int = 0  # heading level (1 = top) or list depth; 0 when unknown
    label: str = ""  # numbering that opens the block: "第五条", "Article 5", "(c)", "1." ("" when none)
    page: int | None = None  # 1-based page of the block's first line, when the reader knows pages

    def orig(self, i: int) -> int:
        """Original offset of character ``i`` of :attr:`text`."""
        if not self.pieces:
            return self.start + i
        k = bisect.bisect_right(self.pieces, (i, 1 << 62)) - 1
        t, o = self.pieces[k if k >= 0 else 0]
        return o + (i - t)

    def orig_span(self, s: int, e: int) -> tuple[int, int]:
        """Original ``(start, end)`` of ``text[s:e]``."""
        if e <= s:
            p = self.orig(s) if s < len(self.text) else self.end
            return p, p
        return self.orig(s), self.orig(e - 1) + 1


@dataclass
class ReflowResult:
    """Blocks in document order (a paragraph interrupted by a page break comes before the notes and
    furniture of that page).  ``reflowed`` says whether layout wrapping was detected (or forced) and
    undone; ``double_spaced`` whether the input had a blank line after every line."""

    blocks: list[Block]
    reflowed: bool = False
    double_spaced: bool = False
    n_lines: int = 0
    #: what the reflow guessed from the whole text, in words (how it took a sentence end at a full line)
    guesses: list[str] = field(default_factory=list)

    def paragraphs(self, keep_notes: bool = False) -> list[str]:
        return [b.text for b in self.blocks if keep_notes or b.kind not in SKIPPED]

    @property
    def removed(self) -> list[tuple[int, str]]:
        return sorted(r for b in self.blocks for r in b.removed)

    @property
    def markers(self) -> list[tuple[int, str]]:
        """Footnote reference markers taken out of running text: ``(orig_offset, digits)``."""
        return sorted(r for b in self.blocks for r in b.removed if r[1] != "-")


def render_reflow(result: ReflowResult, keep_notes: bool = False) -> str:
    """Plain-text rendering for ``aligner reflow``: one block per paragraph, separated by blank lines.

    With ``keep_notes`` furniture and notes are shown too, each prefixed by ``[furniture]``/``[note]``.
    """
    parts = []
    for b in result.blocks:
        if b.kind in SKIPPED:
            if not keep_notes:
                continue
            parts.append(f"[{b.kind}] {b.text}")
        else:
            parts.append(b.text)
    return "\n\n".join(parts) + ("\n" if parts else "")
