"""Batch throughput: --jobs 1 vs --jobs 2 (and Ray) on 200 small document pairs cut from mac-dev at gold bead
boundaries; outputs compared byte for byte; a run SIGKILLed mid-way and restarted; CPU time and peak memory.

    .venv/bin/python bench/bench_batch.py --data ../shared/data/mac-dev --pairs 200 --repeat 2 --ray --kill

Each run is the installed CLI in a subprocess (``aligner align --batch DIR --pre-split -o OUT --jobs N --json F``),
so start-up, model loads and output writing are all counted. Wall time is taken around the subprocess; CPU time and
peak memory come from the run's own --json summary (the batch process plus each worker's whole CPU time).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from batch_pairs import cut_pairs  # noqa: E402

ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
CLI = [sys.executable, "-m", "aligner.cli", "align"]


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def outputs(d: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(d.iterdir()) if not p.name.startswith(".")}


def batch(pairs: Path, out: Path, *extra: str) -> dict:
    shutil.rmtree(out, ignore_errors=True)
    summary = out.parent / f"{out.name}.json"
    la = load()
    t0 = time.perf_counter()
    r = subprocess.run(CLI + ["--batch", str(pairs), "--pre-split", "-o", str(out), "-q", "--json", str(summary),
                              *extra], env=ENV, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if r.returncode != 0:
        sys.exit(f"batch run failed: {r.stderr[-2000:]}")
    s = json.loads(summary.read_text())
    return {"wall": wall, "cpu": s["cpu_seconds"], "aligned": s["aligned"], "start": s["start_seconds"],
            "dispatch": s.get("dispatch_seconds_per_pair"),
            "workers": s["workers"], "parent_mb": s["parent_peak_rss_mb"], "load": la,
            "pair_seconds": sum(x["seconds"]["total"] for x in s["results"])}


def kill_and_resume(pairs: Path, out: Path, n: int) -> tuple[int, int, float]:
    """Start --jobs 2, SIGKILL it when a third of the pairs are done, restart; return (done before, skipped)."""
    shutil.rmtree(out, ignore_errors=True)
    proc = subprocess.Popen(CLI + ["--batch", str(pairs), "--pre-split", "-o", str(out), "-q", "--jobs", "2"],
                            env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    journal = out / ".aligner-journal.jsonl"
    while proc.poll() is None and not (journal.exists() and journal.read_text().count("\n") >= n // 3):
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    done = journal.read_text().count("\n")
    time.sleep(2)  # the workers see their batch process gone within a second and exit
    t0 = time.perf_counter()
    r = subprocess.run(CLI + ["--batch", str(pairs), "--pre-split", "-o", str(out), "--jobs", "2"],
                       env=ENV, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    skipped = int(r.stderr.split(" already done")[0].rsplit(", ", 1)[1])
    return done, skipped, wall


def row(name: str, r: dict, n: int) -> str:
    w = r["workers"]
    peak = max(x["peak_rss_mb"] for x in w.values())
    return (f"| {name} | {r['wall']:.1f} | {n / r['wall']:.2f} | {r['cpu']:.1f} | {r['start']:.1f} | {len(w)} | "
            f"{peak:.0f} | {r['parent_mb']:.0f} | {r['load']} |")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data" / "mac-dev"))
    ap.add_argument("--pairs", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--sizes", default="20,30,40,50", help="beads per pair, cycled")
    ap.add_argument("--stride", type=int, default=6, help="beads between the starts of consecutive pairs")
    ap.add_argument("--work", default=str(ROOT / "out" / "bench-batch"))
    ap.add_argument("--ray", action="store_true", help="also run --engine ray on a local 2-CPU cluster")
    ap.add_argument("--kill", action="store_true", help="also SIGKILL a --jobs 2 run mid-way and restart it")
    a = ap.parse_args()
    work = Path(a.work)
    pairs = work / "pairs"
    shutil.rmtree(pairs, ignore_errors=True)
    n = len(cut_pairs(a.data, pairs, a.pairs, sizes=[int(x) for x in a.sizes.split(",")], stride=a.stride))
    n_src = sum(len(p.read_text(encoding="utf-8").splitlines()) for p in pairs.glob("*.zh"))
    n_tgt = sum(len(p.read_text(encoding="utf-8").splitlines()) for p in pairs.glob("*.en"))
    print(f"{n} pairs ({n_src} zh + {n_tgt} en sentences) cut from {a.data}; {os.cpu_count()} CPUs; "
          f"load average before: {load()}")
    print("\n| run | wall s | pairs/s | CPU s | start-up s | workers | peak MB per worker | peak MB batch process "
          "| load (1/5/15 min) at start |\n|---|---|---|---|---|---|---|---|---|")
    runs: dict[str, list[dict]] = {"1": [], "2": []}
    ref = None
    for k in range(a.repeat):
        for j in ("1", "2"):
            out = work / f"out-j{j}-{k}"
            r = batch(pairs, out, "--jobs", j)
            assert r["aligned"] == n
            runs[j].append(r)
            print(row(f"--jobs {j} (run {k + 1})", r, n), flush=True)
            if ref is None:
                ref = outputs(out)
            else:
                assert outputs(out) == ref, f"{out} differs from the first run"
    best = {j: min(x["wall"] for x in rs) for j, rs in runs.items() if rs}
    if a.repeat:
        print(f"\nthroughput --jobs 2 / --jobs 1, wall (best of {a.repeat} each): {best['1'] / best['2']:.2f}x; per "
              "repeat: " + ", ".join(f"{r1['wall'] / r2['wall']:.2f}x" for r1, r2 in zip(runs["1"], runs["2"])))
        cpu = {j: ", ".join(f"{x['cpu']:.1f}" for x in rs) for j, rs in runs.items()}
        print(f"CPU seconds (batch process + workers, model loads included) --jobs 1: {cpu['1']}; --jobs 2: {cpu['2']}")
        # on two otherwise idle cores a run lasts as long as its busiest process: the CPU-bound ratio
        ratios = [r1["cpu"] / max(w["cpu_seconds"] for w in r2["workers"].values())
                  for r1, r2 in zip(runs["1"], runs["2"])]
        print("CPU-bound throughput ratio (--jobs 1 CPU / busiest --jobs 2 worker's CPU): "
              + ", ".join(f"{x:.2f}x" for x in ratios))
        print("outputs of every run byte-identical: yes")
    if a.kill:
        done, skipped, wall = kill_and_resume(pairs, work / "out-kill", n)
        same = outputs(work / "out-kill") == ref
        print(f"SIGKILL after {done}/{n} pairs journaled; restart skipped {skipped}, ran {n - skipped} in {wall:.1f} s; "
              f"outputs byte-identical to the uninterrupted run: {'yes' if same else 'NO'}")
        assert same
    if a.ray:
        if ref is None:  # --repeat 0: compare with a --jobs 1 run of an earlier invocation
            ref = outputs(work / "out-j1-0")
            best["2"] = min(json.loads((work / f"out-j2-{k}.json").read_text())["wall_seconds"]
                            for k in range(2) if (work / f"out-j2-{k}.json").exists())
        r = batch(pairs, work / "out-ray", "--engine", "ray", "--jobs", "2")
        same = outputs(work / "out-ray") == ref
        print(f"\n{row('--engine ray --jobs 2 (local cluster, 2 CPUs)', r, n)}")
        over = (r["wall"] - best["2"]) / n
        print(f"ray: outputs byte-identical to the local runner: {'yes' if same else 'NO'}; Ray's own time per pair "
              f"(dispatch to an idle actor, transfer, result): {r['dispatch'] * 1000:.1f} ms mean; cluster start-up "
              f"and actor model loads {r['start']:.1f} s; wall {r['wall']:.1f} s vs {best['2']:.1f} s for --jobs 2 "
              f"({over * 1000:+.0f} ms per pair; on a shared machine the wall times of two runs minutes apart "
              f"differ with the others' load)")
        assert same
    print(f"load average after: {load()}")


if __name__ == "__main__":
    main()
