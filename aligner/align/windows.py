"""Multi-sentence window vectors computed when first needed and dropped as soon as they are used.

A window of ``s`` consecutive sentences is represented by the normalised (optionally length-weighted) sum of its
sentence vectors. At corpus scale these vectors are the search's largest allocation (four window sizes per side, as
large as the sentence embeddings each), so they are built one size at a time, in row chunks (no full-document
cumulative sum), and released once the dot-product tables that read them are built (``score.BandDots.release``).
"""
from __future__ import annotations

import numpy as np

# Rows summed per chunk: bounds the float64 temporaries to about 8 MB at 512 dimensions.
CHUNK_ROWS = 2048


def window_sums(V: np.ndarray, size: int, starts: np.ndarray | None = None) -> np.ndarray:
    """Normalised sums of ``size`` consecutive rows of ``V`` (float64 running sums), for every window or only the
    windows beginning at ``starts``."""
    c = np.concatenate([np.zeros((1, V.shape[1])), np.cumsum(V.astype(np.float64), axis=0)])
    w = c[size:] - c[:-size] if starts is None else c[starts + size] - c[starts]
    return (w / np.maximum(np.linalg.norm(w, axis=1, keepdims=True), 1e-9)).astype(np.float32)


class LazyWindows:
    """Mapping window size -> (len - size + 1, d) float32 vectors; size 1 is the sentence vectors themselves."""

    def __init__(self, E: np.ndarray, weights: np.ndarray | None = None):
        self.E = E
        self.weights = None if weights is None else np.asarray(weights, dtype=np.float64).reshape(-1)
        self._cache: dict[int, np.ndarray] = {1: E}

    def _sum_rows(self, size: int, starts: np.ndarray) -> np.ndarray:
        """Normalised window vectors for the given window starts (the same arithmetic for every caller)."""
        acc = np.zeros((len(starts), self.E.shape[1]), dtype=np.float64)
        # consecutive starts: slices, no gathers (the span test alone would take [5, 7, 6, 8] or [3, 3, 5] for a run)
        run = len(starts) and starts[-1] - starts[0] == len(starts) - 1 and bool(np.all(np.diff(starts) == 1))
        for j in range(size):
            sel = slice(starts[0] + j, starts[-1] + j + 1) if run else starts + j
            if self.weights is not None:
                acc += self.E[sel] * self.weights[sel, None]
            else:
                acc += self.E[sel]
        norm = np.maximum(np.linalg.norm(acc, axis=1, keepdims=True), 1e-9)
        return (acc / norm).astype(np.float32)

    def __getitem__(self, size: int) -> np.ndarray:
        if size not in self._cache:
            count = max(0, len(self.E) - size + 1)
            out = np.empty((count, self.E.shape[1]), dtype=np.float32)
            for r0 in range(0, count, CHUNK_ROWS):
                out[r0:r0 + CHUNK_ROWS] = self._sum_rows(size, np.arange(r0, min(count, r0 + CHUNK_ROWS)))
            self._cache[size] = out
        return self._cache[size]

    def rows(self, size: int, idx: np.ndarray) -> np.ndarray:
        """Vectors of the windows starting at ``idx`` without building the whole size (after a release)."""
        if size in self._cache:
            return self._cache[size][idx]
        return self._sum_rows(size, np.asarray(idx, dtype=np.int64))

    def release(self, size: int) -> None:
        if size != 1:
            self._cache.pop(size, None)

    def __contains__(self, size: int) -> bool:
        return size >= 1 and size <= len(self.E)


class KeptWindows:
    """Window vectors for the two-pass search's second pass (pipeline._kept_windows): the model's vectors of the
    kept windows (``kept``: size -> (sorted starts, their vectors)); any other window is the length-weighted sum of
    its sentence vectors, built only when asked for (its beads are pruned, so the search does not read it). Nothing
    document-sized is held beyond the sentence vectors and the kept rows."""

    def __init__(self, E: np.ndarray, weights: np.ndarray, kept: dict[int, tuple[np.ndarray, np.ndarray]]):
        self.E = E
        self.cheap = LazyWindows(E, weights)
        self.kept = kept
        self._full: dict[int, np.ndarray] = {}

    def _override(self, size: int, idx: np.ndarray, out: np.ndarray) -> np.ndarray:
        starts, vecs = self.kept.get(size, (None, None))
        if starts is not None and len(starts) and len(idx):
            pos = np.minimum(np.searchsorted(starts, idx), len(starts) - 1)
            hit = starts[pos] == idx
            out[hit] = vecs[pos[hit]]
        return out

    def rows(self, size: int, idx: np.ndarray) -> np.ndarray:
        idx = np.asarray(idx, dtype=np.int64)
        if size == 1:
            return self.E[idx]
        starts, vecs = self.kept.get(size, (None, None))
        if starts is None or not len(starts) or not len(idx):
            return self.cheap.rows(size, idx)
        pos = np.minimum(np.searchsorted(starts, idx), len(starts) - 1)
        hit = starts[pos] == idx
        out = np.empty((len(idx), self.E.shape[1]), dtype=np.float32)
        out[hit] = vecs[pos[hit]]
        if not hit.all():           # windows of pruned beads: only summed when asked for
            out[~hit] = self.cheap.rows(size, idx[~hit])
        return out

    def __getitem__(self, size: int) -> np.ndarray:
        """The whole size (for a reader that wants a table of every window; the search's second pass does not)."""
        if size == 1:
            return self.E
        if size not in self._full:
            full = self.cheap[size].copy()
            self.cheap.release(size)
            self._full[size] = self._override(size, np.arange(len(full)), full)
        return self._full[size]

    def release(self, size: int) -> None:
        self._full.pop(size, None)

    def __contains__(self, size: int) -> bool:
        return size >= 1 and size <= len(self.E)
