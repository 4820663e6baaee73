"""Text rendering of a document's blocks for ``aligner reflow``: one block per paragraph, blank line between."""
from __future__ import annotations

from ..document import SET_ASIDE_KINDS, Document


def render_blocks(doc: Document, keep_notes: bool = False) -> str:
    """``[kind]`` / ``[heading 2]`` / ``[list 1 (c)]`` then the block text; blocks set aside from alignment
    (notes, furniture, code) are shown only with ``keep_notes``, marked ``set aside``."""
    parts = []
    for b in doc.blocks:
        aside = b.kind in SET_ASIDE_KINDS
        if aside and not keep_notes:
            continue
        tag = b.kind
        if b.level:
            tag += f" {b.level}"
        if b.label:
            tag += f" {b.label}"
        if aside:
            tag += ", set aside"
        parts.append(f"[{tag}] {b.text}")
    return "\n\n".join(parts) + ("\n" if parts else "")
