"""Any sentence-transformers model found on disk or in the Hugging Face cache, fully offline."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Sequence

import numpy as np

from ..errors import ModelError

MODELS_DIR = Path(__file__).resolve().parents[2] / "models"


def _hf_cache_dirs() -> list[Path]:
    dirs = []
    for var in ("SENTENCE_TRANSFORMERS_HOME", "HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE"):
        if os.environ.get(var):
            dirs.append(Path(os.environ[var]))
    hf_home = Path(os.environ.get("HF_HOME", Path.home() / ".cache" / "huggingface"))
    dirs.append(hf_home / "hub")
    return dirs


def resolve_model(name: str) -> Path:
    """Find an ST model: an existing path, then ``models/NAME``, then the HF cache snapshot. Never downloads."""
    candidates = [Path(name).expanduser(), MODELS_DIR / name, MODELS_DIR / name.split("/")[-1]]
    for c in candidates:
        if c.is_dir() and any((c / f).exists() for f in ("modules.json", "config.json", "config_sentence_transformers.json")):
            return c
    repo = "models--" + name.replace("/", "--")
    for base in _hf_cache_dirs():
        snaps = base / repo / "snapshots"
        if snaps.is_dir():
            for snap in sorted(snaps.iterdir(), key=lambda p: p.stat().st_mtime, reverse=True):
                if (snap / "config.json").exists() or (snap / "modules.json").exists():
                    return snap
    raise ModelError(
        f"sentence-transformers model '{name}' is not on this machine (looked at the path, models/{name} and the "
        f"Hugging Face cache); nothing is downloaded: copy the model folder to models/{name.split('/')[-1]} "
        f"or pass st:/path/to/model")


class STEncoder:
    def __init__(self, name: str, device: str | None = None, threads: int | None = None):
        path = resolve_model(name)
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise ModelError("st: models need the optional packages: pip install torch==2.13.0 'aligner[st]'") from exc
        device = device or "cpu"
        dtype = None
        if device.startswith("cuda"):
            from .e5_torch import pick_dtype, resolve_device
            dtype = pick_dtype(resolve_device(device), None)  # bf16 where the GPU has it, else fp16
        elif threads:
            import torch
            torch.set_num_threads(threads)
        try:
            self._model = SentenceTransformer(str(path), device=device, local_files_only=True)
            if dtype is not None:
                self._model.to(dtype)
        except Exception as exc:  # a broken or partial model folder
            raise ModelError(f"cannot load sentence-transformers model from {path}: {exc}".splitlines()[0]) from exc
        self.name = f"st:{name}"
        self.path = path
        get_dim = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        self.dim = int(get_dim() or self._model.encode(["a"]).shape[1])

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.asarray(self._model.encode(list(texts), batch_size=64, normalize_embeddings=True,
                                             show_progress_bar=False, convert_to_numpy=True), dtype=np.float32)
