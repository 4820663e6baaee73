"""The band search's fused 1-1 DP (dp_fast.banded_dp_11, the path band.path_11 takes on long documents) gives
the same beads as the numpy path it replaces (margin_11's matrices + dp.banded_dp), in both of margin_11's
branches (a target's band column no longer than the band is wide: its mean; longer: the mean of its W best),
and the band it produces still holds a corner-to-corner path when the lengths are very unequal."""
import numpy as np
import pytest

from aligner.align import band as band_mod
from aligner.align.dp import Band, banded_dp
from aligner.align.dp_fast import compiled_path_11

pytestmark = pytest.mark.skipif(compiled_path_11() is None, reason="numba is not installed")


def _problem(rng, n, m, half_width, noise=5, d=16):
    X = rng.standard_normal((n, d)).astype(np.float32)
    Y = rng.standard_normal((m, d)).astype(np.float32)
    for i in range(min(n, m)):                      # a planted diagonal so the DP has something to find
        Y[int(i * m / n) % m] += 2 * X[i]
    X /= np.linalg.norm(X, axis=1, keepdims=True)
    Y /= np.linalg.norm(Y, axis=1, keepdims=True)
    center = np.linspace(0, m, n + 1) + rng.integers(-noise, noise + 1, n + 1)
    return X, Y, Band.around(center, half_width, m)


@pytest.mark.parametrize("seed", range(40))
def test_fused_path_11_equals_the_numpy_path(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 300))
    m = int(rng.integers(1, 400)) if seed % 2 else int(n * rng.uniform(1.0, 1.6)) + 1
    X, Y, band = _problem(rng, n, m, int(rng.integers(1, 40)))
    S = band_mod.band_similarities(X, Y, band)
    skip = [0.0, -0.1, 0.05][seed % 3]
    fused = band_mod._fused_path_11(S, band, skip)
    assert fused == band_mod._numpy_path_11(S, band, skip)
    assert fused[0][0] == 0 and fused[0][2] == 0 and fused[-1][1] == n and fused[-1][3] == m


def test_both_branches_of_the_target_means_are_exercised():
    """Guard for the test above: some of its problems hold a target in more band rows than the band is wide."""
    from aligner.align.dp_fast import column_sums
    rng = np.random.default_rng(1)
    X, Y, band = _problem(rng, 200, 60, 3)
    S = band_mod.band_similarities(X, Y, band)
    assert column_sums(band, S)[1].max() > band.width
    assert band_mod._fused_path_11(S, band, 0.0) == band_mod._numpy_path_11(S, band, 0.0)


def test_long_search_goes_through_the_fused_path(monkeypatch):
    """Above COMPILE_MIN_CELLS path_11 calls the fused DP, and find_band's band holds a corner-to-corner path."""
    calls = []
    real = band_mod._fused_path_11
    monkeypatch.setattr(band_mod, "_fused_path_11", lambda *a: calls.append(1) or real(*a))
    rng = np.random.default_rng(3)
    n, m = 3000, 4100
    X, Y, _ = _problem(rng, n, m, 8)
    band = band_mod.find_band(X, Y, half_width=8, max_cells=200_000)
    assert calls
    zero = [np.zeros((n + 1, band.width))] * 2
    path = banded_dp(band, [(1, 0), (0, 1)], zero)          # null moves alone reach (n, m): the band is connected
    assert path[-1][1] == n and path[-1][3] == m


@pytest.mark.parametrize("n,m", [(1, 10_000), (10_000, 1), (7, 4000), (4000, 7)])
def test_unequal_lengths_still_give_a_connected_band(n, m):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((n, 8)).astype(np.float32)
    Y = rng.standard_normal((m, 8)).astype(np.float32)
    band = band_mod.find_band(X, Y, half_width=8, max_cells=200_000)
    zero = [np.zeros((n + 1, band.width))] * 2
    path = banded_dp(band, [(1, 0), (0, 1)], zero)
    assert path[-1][1] == n and path[-1][3] == m
