"""Window vectors built on demand (aligner/align/windows.py): any set of starts gives the rows of the whole table."""
import numpy as np

from aligner.align.windows import KeptWindows, LazyWindows, window_sums


def _vectors(n=40, d=6, seed=0):
    rng = np.random.default_rng(seed)
    E = rng.standard_normal((n, d)).astype(np.float32)
    return E / np.linalg.norm(E, axis=1, keepdims=True), rng.integers(1, 50, n).astype(np.float64)


def test_lazy_rows_equal_the_full_table_for_any_starts():
    E, lengths = _vectors()
    full = LazyWindows(E, lengths)[3]
    for idx in ([5, 7, 6, 8], [3, 3, 5], [9, 10, 11, 12], [12, 11, 10], [0], [2, 30, 2, 31]):
        lazy = LazyWindows(E, lengths)          # nothing cached: rows are summed for these starts only
        np.testing.assert_allclose(lazy.rows(3, np.array(idx)), full[idx], rtol=1e-6, atol=1e-6)


def test_kept_windows_give_the_kept_vectors_and_sums_elsewhere():
    E, lengths = _vectors()
    starts = np.array([2, 9, 20])
    kept_vecs = np.eye(6, dtype=np.float32)[:3]
    W = KeptWindows(E, lengths, {2: (starts, kept_vecs)})
    lenmean = LazyWindows(E, lengths)[2]
    idx = np.array([9, 3, 2, 2, 21, 20])
    got = W.rows(2, idx)
    np.testing.assert_array_equal(got[[0, 2, 3, 5]], kept_vecs[[1, 0, 0, 2]])
    np.testing.assert_allclose(got[[1, 4]], lenmean[[3, 21]], rtol=1e-6, atol=1e-6)
    np.testing.assert_array_equal(W[2][starts], kept_vecs)             # the whole size, for a table reader
    np.testing.assert_allclose(W[2][5], lenmean[5], rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(W.rows(3, idx), LazyWindows(E, lengths)[3][idx], rtol=1e-6, atol=1e-6)


def test_window_sums_of_some_starts_are_rows_of_all():
    E, lengths = _vectors()
    V = E * lengths[:, None]
    idx = np.array([0, 4, 17, 36])
    np.testing.assert_array_equal(window_sums(V, 4, idx), window_sums(V, 4)[idx])
