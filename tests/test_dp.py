"""The banded DP and the coarse-to-fine band on synthetic inputs with a known answer."""
import numpy as np

from aligner.align.band import find_band
from aligner.align.dp import Band, banded_dp


def _scores_for_path(band, types, path, good=1.0, bad=-1.0):
    scores = [np.full((band.n + 1, band.width), bad) for _ in types]
    for i0, i1, j0, j1 in path:
        t = types.index((i1 - i0, j1 - j0))
        scores[t][i1, j1 - band.lo[i1]] = good
    return scores


def test_dp_recovers_a_known_path_with_multi_and_null_beads():
    types = [(0, 1), (1, 0), (1, 1), (1, 2), (2, 1), (1, 3)]
    path = [(0, 1, 0, 1), (1, 2, 1, 3), (2, 2, 3, 4), (2, 4, 4, 5), (4, 5, 5, 5), (5, 6, 5, 8), (6, 7, 8, 9)]
    n, m = 7, 9
    band = Band(lo=np.zeros(n + 1, dtype=np.int64), width=m + 1, n=n, m=m)
    assert banded_dp(band, types, _scores_for_path(band, types, path)) == path


def test_dp_insertion_runs_are_recovered():
    types = [(0, 1), (1, 0), (1, 1)]
    path = [(0, 1, 0, 1), (1, 1, 1, 2), (1, 1, 2, 3), (1, 1, 3, 4), (1, 2, 4, 5)]
    band = Band(lo=np.zeros(3, dtype=np.int64), width=6, n=2, m=5)
    scores = _scores_for_path(band, types, path, good=1.0, bad=-5.0)
    scores[0][:] = 0.0  # insertions are free; the two 1-1 beads must still be found
    out = banded_dp(band, types, scores)
    assert [b for b in out if b[1] > b[0]] == [(0, 1, 0, 1), (1, 2, 4, 5)]
    assert sum(1 for b in out if b[1] == b[0]) == 3


def test_band_finds_the_diagonal_of_a_long_document_with_linear_memory():
    rng = np.random.default_rng(1)
    n, d = 6000, 64
    X = rng.normal(size=(n, d)).astype(np.float32)
    # target = source with every 10th sentence dropped, plus noise
    keep = np.array([i for i in range(n) if i % 10 != 3])
    Y = X[keep] + 0.3 * rng.normal(size=(len(keep), d)).astype(np.float32)
    X /= np.linalg.norm(X, axis=1, keepdims=True)
    Y /= np.linalg.norm(Y, axis=1, keepdims=True)
    band = find_band(X, Y, half_width=8, max_cells=200_000)
    assert band.width < 64                      # a band, not an n x m matrix
    pos = {int(src): k for k, src in enumerate(keep)}
    inside = [band.lo[i + 1] <= pos[i] + 1 < band.lo[i + 1] + band.width for i in keep]
    assert np.mean(inside) > 0.99
