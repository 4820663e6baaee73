"""Embedding backends behind one protocol: ``encode(list[str]) -> np.ndarray``."""
from .base import CachedEncoder, Encoder, l2_normalise
from .registry import BUILTIN, load_encoder

__all__ = ["BUILTIN", "CachedEncoder", "Encoder", "l2_normalise", "load_encoder"]
