"""The CLI contract's numbers (docs/cli.md): encoding detection over the dev set, start-up cost, signal latency.

    PYTHONPATH=$PWD .venv/bin/python bench/bench_cli.py --data ../shared/data/mac-dev

1. Encodings: every dev file (zh and en, ``NNN.*.txt``) as BOM-less UTF-16 LE/BE (with and without line breaks),
   as UTF-8 with one NUL byte at 20 random places, and (English) as cp1252 with accents: how many are read right,
   and how many are mistaken for something else. Random byte strings: how many are accepted as text.
2. Start-up: wall and CPU seconds of ``aligner --version`` and of a usage error (median of 5).
3. Signals: seconds from SIGINT/SIGTERM (sent once the alignment has begun) to exit, and the exit code.
"""
from __future__ import annotations

import argparse
import os
import random
import resource
import select
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

from aligner.errors import InputError
from aligner.formats.readers import decode_bytes_report

SCRIPT = Path(sys.executable).with_name("aligner")


def encodings(data_dir: Path, rng: random.Random) -> None:
    ok = wrong = refused = 0
    cases = 0
    for path in sorted(data_dir.glob("*.txt")):
        text = path.read_text(encoding="utf-8").replace("\r\n", "\n")
        variants = []
        for codec in ("utf-16-le", "utf-16-be"):
            variants.append((text.encode(codec), codec, text))
            flat = text.replace("\n", "").replace(" ", "")
            variants.append((flat.encode(codec), codec, flat))             # no NUL byte at all (Chinese)
        raw = text.encode("utf-8")
        for _ in range(20):
            k = rng.randrange(len(raw) + 1)
            while k < len(raw) and (raw[k] & 0xC0) == 0x80:               # at a character boundary
                k += 1
            variants.append((raw[:k] + b"\x00" + raw[k:], "utf-8", None))
        for data, codec, expect in variants:
            cases += 1
            try:
                got, enc, _ = decode_bytes_report(data, path.name)
            except InputError:
                refused += 1
                continue
            if enc == codec and (expect is None or got == expect):
                ok += 1
            else:
                wrong += 1
    print(f"encodings: {cases} dev-set variants, {ok} read right, {wrong} read wrong, {refused} refused")
    latin = [p for p in sorted(data_dir.glob("*.en.txt"))]
    mistaken = 0
    for p in latin:
        text = p.read_text(encoding="utf-8").replace("e", "\u00e9")
        try:
            decode_bytes_report(text.encode("cp1252", "replace"), p.name)
            mistaken += 1
        except InputError:
            pass
    print(f"cp1252 English (every e as \u00e9): {len(latin)} files, {mistaken} taken for another encoding")
    accepted = 0
    n_random = 2000
    for _ in range(n_random):
        data = bytes(rng.randrange(256) for _ in range(rng.randrange(2, 600)))
        try:
            decode_bytes_report(data, "random")
            accepted += 1
        except InputError:
            pass
    print(f"random bytes: {n_random} strings of 2-600 bytes, {accepted} accepted as text")


def _timed(args: list[str]) -> tuple[float, float, int]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    r = subprocess.run([str(SCRIPT), *args], capture_output=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), r.returncode


def startup() -> None:
    for args in (["--version"], ["align", "--bogus"]):
        runs = [_timed(args) for _ in range(5)]
        print(f"aligner {' '.join(args)}: exit {runs[0][2]}, median wall {statistics.median(r[0] for r in runs):.2f} s,"
              f" CPU {statistics.median(r[1] for r in runs):.2f} s")


def signals(data_dir: Path) -> None:
    for sig in (signal.SIGINT, signal.SIGTERM):
        out = Path(f"/tmp/bench_cli_{os.getpid()}.tmx")
        p = subprocess.Popen([str(SCRIPT), "-v", "align", str(data_dir / "001.zh.txt"), str(data_dir / "001.en.txt"),
                              "-o", str(out)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        seen = b""
        while b"segmented" not in seen and p.poll() is None:
            if select.select([p.stderr], [], [], 1.0)[0]:
                seen += os.read(p.stderr.fileno(), 65536)
        t0 = time.perf_counter()
        p.send_signal(sig)
        p.stderr.read()
        rc = p.wait()
        print(f"{signal.Signals(sig).name}: exit {rc} after {time.perf_counter() - t0:.2f} s, "
              f"output written: {out.exists()}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=Path("../shared/data/mac-dev"))
    args = ap.parse_args()
    rng = random.Random(8)
    t0, c0 = time.perf_counter(), time.process_time()
    encodings(args.data, rng)
    print(f"(encoding checks: {time.perf_counter() - t0:.1f} s wall, {time.process_time() - c0:.1f} s CPU, "
          f"peak {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB)")
    startup()
    signals(args.data)


if __name__ == "__main__":
    main()
