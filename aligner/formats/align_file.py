"""The ``.align`` bead format: one bead a line, ``[src ids]:[tgt ids]`` with 0-based ids and
an optional third ``:score`` field, e.g. ``[0,1]:[0]:0.9123``; ``[]:[3]`` is an insertion.

This is the format of the benchmark's gold files and of ``shared/bench/score_align.py``.
"""
from __future__ import annotations

import math
import os
import re
from collections.abc import Sequence

from aligner.errors import InputError, reading

__all__ = ["format_bead", "format_score", "read_align"]

_IDS = r"\s*((?:\d+\s*(?:,\s*\d+\s*)*)?)"
_BEAD_RE = re.compile(r"^\s*\[" + _IDS + r"\]\s*:\s*\[" + _IDS + r"\]\s*(?::\s*(\S*)\s*)?$")


def format_score(score: float) -> str:
    """A score with 4 decimals (``nan``/``inf`` spelled as Python does)."""
    return f"{score:.4f}" if math.isfinite(score) else str(float(score))


def format_bead(src: Sequence[int], tgt: Sequence[int], score: float | None = None) -> str:
    """``[0,1]:[0]`` or, with a score, ``[0,1]:[0]:0.9123`` (no newline)."""
    line = f"[{','.join(map(str, src))}]:[{','.join(map(str, tgt))}]"
    return line if score is None else f"{line}:{format_score(score)}"


def _ids(text: str) -> tuple[int, ...]:
    return tuple(int(x) for x in text.split(",")) if text.strip() else ()


def read_align(path: str | os.PathLike) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    """The beads of an ``.align`` file as ``(src_ids, tgt_ids)`` tuples, in file order.

    Blank lines are skipped; a third field (the score) may be present and must be a number.
    """
    try:
        with reading(path), open(path, encoding="utf-8-sig") as fh:
            lines = fh.read().splitlines()
    except UnicodeDecodeError as e:
        raise InputError(f"{path}: cannot decode as UTF-8 (byte offset {e.start})") from None
    beads = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        m = _BEAD_RE.match(line)
        ok = m is not None
        if ok and m.group(3):
            try:
                float(m.group(3))
            except ValueError:
                ok = False
        if not ok:
            raise InputError(f"{path}:{n}: cannot parse bead {line.strip()[:60]!r}; "
                             "expected [src ids]:[tgt ids] like [0,1]:[2]")
        beads.append((_ids(m.group(1)), _ids(m.group(2))))
    return beads
