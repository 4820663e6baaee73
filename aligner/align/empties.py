"""Empty and whitespace-only sentences (in pre-split lists): kept, but never aligned.

They are taken out before the search and put back afterwards: each as a 1-0 or 0-1 bead at
its place, or, when it falls strictly inside a bead of its side (``[3, 4, 5]`` with 4 empty),
inside that bead, which keeps every bead's ids contiguous. An empty sentence is never paired
with an empty sentence of the other side, and never makes a bead on its own that TMX or
Moses would write.
"""
from __future__ import annotations

from collections.abc import Sequence


def nonempty(texts: Sequence[str]) -> list[int]:
    """Indices of the sentences that hold more than whitespace."""
    return [k for k, t in enumerate(texts) if t.strip()]


def restore(beads: Sequence[tuple[range, range, object]], src_keep: Sequence[int], tgt_keep: Sequence[int],
            n_src: int, n_tgt: int) -> list[tuple[tuple[int, ...], tuple[int, ...], object]]:
    """Beads over the kept sentences (compact id ranges, any payload) -> beads over all sentences.

    Returns ``(src_ids, tgt_ids, payload)`` in order, ``payload`` None for the 1-0/0-1 beads of
    empty sentences."""
    out: list[tuple[tuple[int, ...], tuple[int, ...], object]] = []
    ps = pt = 0  # next original id not yet in a bead, per side

    def flush(src_to: int, tgt_to: int) -> None:
        nonlocal ps, pt
        out.extend(((i,), (), None) for i in range(ps, src_to))
        out.extend(((), (j,), None) for j in range(pt, tgt_to))
        ps, pt = max(ps, src_to), max(pt, tgt_to)

    for src_r, tgt_r, payload in beads:
        src_ids = [src_keep[i] for i in src_r]
        tgt_ids = [tgt_keep[j] for j in tgt_r]
        flush(src_ids[0] if src_ids else ps, tgt_ids[0] if tgt_ids else pt)
        src_full = tuple(range(src_ids[0], src_ids[-1] + 1)) if src_ids else ()
        tgt_full = tuple(range(tgt_ids[0], tgt_ids[-1] + 1)) if tgt_ids else ()
        out.append((src_full, tgt_full, payload))
        if src_full:
            ps = src_full[-1] + 1
        if tgt_full:
            pt = tgt_full[-1] + 1
    flush(n_src, n_tgt)
    return out
