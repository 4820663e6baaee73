"""The generic scorer's common-component removal (calibrate.center_context): each side's document mean vector is
removed and the vectors renormalised before the similarity maps; the search reads the centred vectors, what runs
after it (the parallel check) gets the model's own."""
import numpy as np

from aligner.align.band import band_similarities
from aligner.align.calibrate import center_context
from aligner.align.pipeline import Params, align_texts, build_context
from aligner.align.weights import load_weights

from test_engine import DigitEncoder, _numbers_pair


class Shared:
    """A model whose vectors share a large common part (as e5's do): every cosine is near 0.8."""
    name, dim = "st:shared", 33

    def __init__(self):
        self.raw = DigitEncoder("st:shared", 32, 9)

    def encode(self, texts):
        v = self.raw.encode(texts)
        v /= np.linalg.norm(v, axis=1, keepdims=True)
        out = np.concatenate([0.5 * v, np.full((len(texts), 1), 1.0, np.float32)], axis=1)
        return out / np.linalg.norm(out, axis=1, keepdims=True)


def _context():
    zh, en, _ = _numbers_pair()
    w = load_weights("generic")
    return build_context(zh, en, "zh", "en", Shared(), Params(overlap=w["overlap"], weights="generic"))[0]


def test_centring_removes_the_shared_component_and_rebuilds_the_similarities():
    ctx = _context()
    X0, Y0 = ctx.X, ctx.Y
    before = np.nanmedian(ctx.S[:-1])
    assert before > 0.6
    assert center_context(ctx)
    assert ctx.raw_vectors[0] is X0 and ctx.raw_vectors[1] is Y0
    assert np.allclose(np.linalg.norm(ctx.X, axis=1), 1.0, atol=1e-5)
    assert np.linalg.norm(ctx.X.mean(0)) < 0.2 < np.linalg.norm(X0.mean(0))
    S = band_similarities(ctx.X, ctx.Y, ctx.band)
    assert np.array_equal(np.isnan(S), np.isnan(ctx.S)) and np.allclose(S[~np.isnan(S)], ctx.S[~np.isnan(ctx.S)])
    assert np.nanmedian(ctx.S[:-1]) < before - 0.4
    # the windows come from the centred vectors too
    w2 = ctx.EX[2]
    ref = ctx.X[:-1] * ctx.len_x[:-1, None] + ctx.X[1:] * ctx.len_x[1:, None]
    ref /= np.linalg.norm(ref, axis=1, keepdims=True)
    assert np.allclose(w2, ref, atol=1e-5)


def test_generic_scorer_centres_says_so_and_hands_on_the_models_own_vectors():
    assert load_weights("generic")["center"] is True and load_weights("default")["center"] is False
    zh, en, gold = _numbers_pair()
    keep, info = {}, {}
    beads = align_texts(zh, en, "zh", "en", Shared(), Params(overlap="lenmean", weights="generic"), keep=keep,
                        info=info)
    assert info["scorer"]["calibration"].endswith("+centred")
    assert np.allclose(keep["X"], Shared().encode(zh), atol=1e-6)
    got = {(tuple(range(b.i0, b.i1)), tuple(range(b.j0, b.j1))) for b in beads}
    assert len(got & set(gold)) >= 0.8 * len(gold)
