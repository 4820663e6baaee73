"""The embedding protocol every backend follows, and a caching wrapper."""
from __future__ import annotations

import hashlib
import os
import sqlite3
from typing import Protocol, Sequence, runtime_checkable

import numpy as np


@runtime_checkable
class Encoder(Protocol):
    """A sentence embedder: ``encode(texts) -> float32 array (len(texts), dim)``, rows L2-normalised."""

    name: str

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


def l2_normalise(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float32)
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return x / norms


class CachedEncoder:
    """Wraps an encoder: deduplicates texts, batches them, and remembers every embedding.

    The memory cache lives as long as the object; ``cache_dir`` adds a persistent
    SQLite cache keyed by model name and text hash, shared across runs (batch jobs,
    re-runs with other options).
    """

    def __init__(self, encoder: Encoder, cache_dir: str | os.PathLike | None = None, batch_size: int = 256):
        self.encoder = encoder
        self.name = encoder.name
        self.batch_size = batch_size
        self._mem: dict[str, np.ndarray] = {}
        self._db = None
        self._members: dict[int, "CachedEncoder"] = {}
        self.n_encoded = 0  # texts actually sent to the model (cache misses)
        self.chars_encoded = 0
        if cache_dir is not None:
            os.makedirs(cache_dir, exist_ok=True)
            self._db = sqlite3.connect(os.path.join(os.fspath(cache_dir), "embeddings.sqlite3"), timeout=60)
            self._db.execute("CREATE TABLE IF NOT EXISTS emb (model TEXT, key BLOB, vec BLOB, PRIMARY KEY (model, key))")

    @staticmethod
    def _key(text: str) -> bytes:
        return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        missing = [t for t in dict.fromkeys(texts) if t not in self._mem]
        if missing and self._db is not None:
            missing = self._load_from_disk(missing)
        for k in range(0, len(missing), self.batch_size):
            chunk = missing[k:k + self.batch_size]
            vecs = l2_normalise(self.encoder.encode(chunk))
            self.n_encoded += len(chunk)
            self.chars_encoded += sum(len(t) for t in chunk)
            for t, v in zip(chunk, vecs):
                self._mem[t] = v
            if self._db is not None:
                self._db.executemany(
                    "INSERT OR REPLACE INTO emb VALUES (?, ?, ?)",
                    [(self.name, self._key(t), v.astype(np.float32).tobytes()) for t, v in zip(chunk, vecs)])
                self._db.commit()
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self._mem[t] for t in texts])

    def _load_from_disk(self, texts: list[str]) -> list[str]:
        still = []
        for k in range(0, len(texts), 500):
            chunk = texts[k:k + 500]
            keys = {self._key(t): t for t in chunk}
            q = "SELECT key, vec FROM emb WHERE model=? AND key IN (%s)" % ",".join("?" * len(keys))
            for key, vec in self._db.execute(q, [self.name, *keys]):
                self._mem[keys[bytes(key)]] = np.frombuffer(vec, dtype=np.float32)
            still.extend(t for t in chunk if t not in self._mem)
        return still

    def member(self, index: int) -> "CachedEncoder":
        """For an ensemble: a caching encoder over one member model, sharing this one's on-disk cache."""
        members = getattr(self.encoder, "members", None)
        if not members:
            raise ValueError(f"{self.name} is not an ensemble")
        sub = self._members.get(index)
        if sub is None:
            sub = CachedEncoder(members[index], batch_size=self.batch_size)
            sub._db = self._db  # rows are keyed by model name, so members and ensemble share one file
            self._members[index] = sub
        return sub

    @property
    def dim(self) -> int:
        d = getattr(self.encoder, "dim", None)
        if d is None:
            d = int(self.encoder.encode(["a"]).shape[1])
            self.encoder.dim = d
        return d
