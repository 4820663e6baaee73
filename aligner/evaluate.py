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

import numpy as np

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
    return score_docs(load_pairs(gold_dir, auto_dir, allow_missing))


# ----------------------------------------------------------------------------------------------------------------
# Bootstrap confidence intervals (as sacrebleu does for BLEU): resample, rescore, read off percentiles.

def _units(gold: list[BeadIds], auto: list[BeadIds]) -> list[list[int]]:
    """The document cut into resampling units, one per gold bead: the gold bead's recall counts and the precision
    counts of the system beads anchored in it (by their first source sentence, else their first target sentence).
    Summed over all units they give ``doc_counts(gold, auto)``. Returns one 8-count row per unit; system beads whose
    anchor no gold bead holds form one extra unit."""
    gold_u = [b for b in dict.fromkeys(gold) if b[0] or b[1]]
    where = {}
    for u, (src, tgt) in enumerate(gold_u):
        for s in src:
            where[("s", s)] = u
        for t in tgt:
            where.setdefault(("t", t), u)
    rows = [[0] * 8 for _ in range(len(gold_u) + 1)]
    # precision side: each system bead's strict/lax verdict against the whole gold (as in _match_counts)
    hyp = [b for b in dict.fromkeys(auto) if b[0] or b[1]]
    for b in hyp:
        c = _match_counts(gold, [b])
        u = where.get(("s", b[0][0]) if b[0] else ("t", b[1][0]), len(gold_u))
        for k in range(4):
            rows[u][k] += c[k]
    # recall side: each gold bead with both sides, against the system's beads with both sides
    both_auto = [b for b in auto if b[0] and b[1]]
    for u, b in enumerate(gold_u):
        if b[0] and b[1]:
            c = _match_counts(both_auto, [b])
            for k in range(4):
                rows[u][4 + k] += c[k]
    return rows


def _unit_matrix(pairs: dict, unit: str) -> tuple[np.ndarray, np.ndarray]:
    """(units x 8 counts, stratum of each unit): a stratum per document for ``segment``, one for ``doc``."""
    rows, strata = [], []
    for k, (doc, (gold, auto)) in enumerate(sorted(pairs.items())):
        if unit == "doc":
            rows.append(doc_counts(gold, auto))
            strata.append(0)
        else:
            r = _units(gold, auto)
            rows += r
            strata += [k] * len(r)
    return np.array(rows, dtype=np.int64), np.array(strata)


def _resample_weights(strata: np.ndarray, n: int, seed: int) -> np.ndarray:
    """(n, units) multiplicities: each resample draws, within every stratum, as many units as it has."""
    rng = np.random.default_rng(seed)
    out = np.zeros((n, len(strata)), dtype=np.int64)
    for s in np.unique(strata):
        idx = np.nonzero(strata == s)[0]
        out[:, idx] = rng.multinomial(len(idx), np.full(len(idx), 1.0 / len(idx)), size=n)
    return out


def _f1_columns(counts: np.ndarray) -> dict[str, np.ndarray]:
    """Vectorised scores_from_counts over rows of 8 counts."""
    def div(a, b):
        return np.divide(a, b, out=np.zeros(len(a)), where=b > 0)

    c = counts.astype(np.float64).T
    ps, pl = div(c[0], c[0] + c[1]), div(c[2], c[2] + c[3])
    rs, rl = div(c[4], c[4] + c[5]), div(c[6], c[6] + c[7])
    f1 = lambda p, r: div(2 * p * r, p + r)  # noqa: E731
    return {"P_strict": ps, "R_strict": rs, "F1_strict": f1(ps, rs), "P_lax": pl, "R_lax": rl, "F1_lax": f1(pl, rl)}


BOOT_METRICS = ("P_strict", "R_strict", "F1_strict", "P_lax", "R_lax", "F1_lax")


def bootstrap_ci(pairs: dict, n: int = 1000, seed: int = 0, unit: str = "segment",
                 level: float = 0.95) -> dict[str, tuple[float, float]]:
    """Percentile bootstrap intervals of the micro-averaged scores. ``unit="segment"``: resample gold beads (each
    with the system beads anchored in it) within each document, documents kept; ``unit="doc"``: resample whole
    documents. Seeded: the same call gives the same interval."""
    if unit not in ("segment", "doc"):
        raise ValueError(f"unknown bootstrap unit {unit!r}")
    U, strata = _unit_matrix(pairs, unit)
    cols = _f1_columns(_resample_weights(strata, n, seed) @ U)
    lo_q, hi_q = 100 * (1 - level) / 2, 100 * (1 + level) / 2
    return {m: (float(np.percentile(v, lo_q)), float(np.percentile(v, hi_q))) for m, v in cols.items()}


def paired_bootstrap(pairs_a: dict, pairs_b: dict, n: int = 1000, seed: int = 0, unit: str = "segment",
                     level: float = 0.95) -> dict[str, dict[str, float]]:
    """Paired bootstrap of system B against system A on the same gold (Koehn 2004; as sacrebleu's
    ``--paired-bs``): both are rescored on the same resamples. Per metric: the observed difference B - A, its
    percentile interval, and a two-sided p-value (twice the share of resamples on the other side of zero)."""
    if sorted(pairs_a) != sorted(pairs_b):
        raise ValueError("the two systems must cover the same documents")
    if any(pairs_a[d][0] != pairs_b[d][0] for d in pairs_a):
        raise ValueError("the two systems must be scored against the same gold")
    Ua, strata = _unit_matrix(pairs_a, unit)
    Ub, strata_b = _unit_matrix(pairs_b, unit)
    assert (strata == strata_b).all() and len(Ua) == len(Ub)   # units are gold beads (or documents): shared
    Wt = _resample_weights(strata, n, seed)
    A, B = _f1_columns(Wt @ Ua), _f1_columns(Wt @ Ub)
    obs_a, obs_b = _f1_columns(Ua.sum(0, keepdims=True)), _f1_columns(Ub.sum(0, keepdims=True))
    lo_q, hi_q = 100 * (1 - level) / 2, 100 * (1 + level) / 2
    out = {}
    for m in BOOT_METRICS:
        d = B[m] - A[m]
        p = 2 * min(np.mean(d <= 0), np.mean(d >= 0))
        out[m] = {"A": float(obs_a[m][0]), "B": float(obs_b[m][0]), "delta": float(obs_b[m][0] - obs_a[m][0]),
                  "lo": float(np.percentile(d, lo_q)), "hi": float(np.percentile(d, hi_q)), "p": float(min(1.0, p))}
    return out


def load_pairs(gold_dir: str | Path, auto_dir: str | Path, allow_missing: bool = False) -> dict:
    """``{doc: (gold, auto)}`` for every gold ``NAME.align`` with a system file of the same name."""
    from .errors import InputError
    from .formats.align_file import read_align

    gold_dir, auto_dir = Path(gold_dir), Path(auto_dir)
    for d in (gold_dir, auto_dir):
        if not d.is_dir():
            raise InputError(f"{d}: not a directory")
    pairs, missing = {}, []
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
    return pairs
