"""Joining the sentences of one bead back into text: the inverse of splitting, one rule for every caller."""
from __future__ import annotations

import re
from collections.abc import Iterable

from .. import chars

# CJK ideographs, kana, full-width forms and CJK punctuation: no space is put next to them
_WIDE_RE = re.compile(f"[{chars.NO_SPACE_NEXT}]")


def join_sentences(texts: Iterable[str], lang: str | None = None) -> str:
    """Join the sentences of one bead.

    Chinese (``lang="zh"``) runs on without spaces, except between two Latin letters or digits; English takes one
    space. With no language, a space goes everywhere except next to a CJK character.
    """
    parts = [t for t in texts if t]
    if lang == "en":
        return " ".join(parts)
    out = ""
    for text in parts:
        if out:
            if lang == "zh":
                space = out[-1].isascii() and out[-1].isalnum() and text[0].isascii() and text[0].isalnum()
            else:
                space = not (_WIDE_RE.match(out[-1]) or _WIDE_RE.match(text[0]))
            if space:
                out += " "
        out += text
    return out
