"""Strict and lax precision/recall/F1 of sentence alignments (Vecalign/Bertalign definition).

Micro-averaged over documents; precision over all system beads (nulls included,
a null bead is right only if the identical bead is in the gold); recall over gold
beads with both sides non-empty; lax credit for a bead that shares a source and a
target id with one reference bead. Gives the same numbers as
``shared/bench/score_align.py``.
"""
from __future__ import annotations

from collections import defaultdict
from pathlib import Path

BeadIds = tuple[tuple[int, ...], tuple[int, ...]]


def _match_counts(ref: list[BeadIds], hyp: list[BeadIds]) -> list[int]:
    ref_set = {b for b in ref if b[0] or b[1]}
    hyp_set = {b for b in hyp if b[0] or b[1]}
    reach_of = defaultdict(set)
    for src, tgt in ref_set:
        for s in src:
            reach_of[s].update(tgt)
    tp_s = fp_s = tp_l = fp_l = 0
    for src, tgt in hyp_set:
        if (src, tgt) in ref_set:
            tp_s += 1
            tp_l += 1
            continue
        fp_s += 1
        reach = set()
        for s in src:
            reach |= reach_of.get(s, set())
        if reach.intersection(tgt):
            tp_l += 1
        else:
            fp_l += 1
    return [tp_s, fp_s, tp_l, fp_l]


def doc_counts(gold: list[BeadIds], auto: list[BeadIds]) -> list[int]:
    """[precision tp/fp strict, tp/fp lax, recall tp/fp strict, tp/fp lax] for one document."""
    both = lambda beads: [b for b in beads if b[0] and b[1]]  # noqa: E731
    return _match_counts(gold, auto) + _match_counts(both(auto), both(gold))


def _div(a: float, b: float) -> float:
    return a / b if b else 0.0


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def scores_from_counts(c: list[int]) -> dict[str, float]:
    ps, pl = _div(c[0], c[0] + c[1]), _div(c[2], c[2] + c[3])
    rs, rl = _div(c[4], c[4] + c[5]), _div(c[6], c[6] + c[7])
    return {"P_strict": ps, "R_strict": rs, "F1_strict": _f1(ps, rs),
            "P_lax": pl, "R_lax": rl, "F1_lax": _f1(pl, rl), "n_auto": c[0] + c[1], "n_gold": c[4] + c[5]}


def score_docs(pairs: dict[str, tuple[list[BeadIds], list[BeadIds]]]) -> dict[str, dict[str, float]]:
    """``{doc: (gold, auto)}`` -> ``{"overall": scores, doc: scores, ...}``."""
    total = [0] * 8
    out = {}
    for doc, (gold, auto) in pairs.items():
        c = doc_counts(gold, auto)
        out[doc] = scores_from_counts(c)
        total = [x + y for x, y in zip(total, c)]
    return {"overall": scores_from_counts(total), **out}


def evaluate_dirs(gold_dir: str | Path, auto_dir: str | Path, allow_missing: bool = False) -> dict[str, dict[str, float]]:
    """Score every ``NAME.align`` of ``gold_dir`` against the same name in ``auto_dir``."""
    from .errors import InputError
    from .formats.align_file import read_align

    gold_dir, auto_dir = Path(gold_dir), Path(auto_dir)
    if not gold_dir.is_dir():
        raise InputError(f"{gold_dir}: not a directory")
    if not auto_dir.is_dir():
        raise InputError(f"{auto_dir}: not a directory")
    pairs = {}
    missing = []
    for g in sorted(gold_dir.glob("*.align")):
        a = auto_dir / g.name
        if not a.exists():
            missing.append(g.stem)
            continue
        pairs[g.stem] = (read_align(g), read_align(a))
    if missing and not allow_missing:
        raise InputError(f"no system alignment for {', '.join(missing)} in {auto_dir}")
    if not pairs:
        raise InputError(f"nothing to score: no .align files in {gold_dir} with a match in {auto_dir}")
    return score_docs(pairs)
