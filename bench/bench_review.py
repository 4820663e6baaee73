"""How fast the review page opens and filters in a real browser (headless Debian chromium via selenium).

    PYTHONPATH=$PWD:$PWD/tests .venv/bin/python bench/bench_review.py [--repeat 5]

Pages: the UN-letter demo (aligned by the CLI) and a 2,000-bead document (the demo's alignment repeated 20
times, sentence ids shifted: real sentence lengths and scores). For each page, the median over --repeat fresh
loads of:
- open: navigation start -> the rows rendered (the page's own mark, ``performance.now()`` at the end of its
  first render) and -> first contentful paint; plus the wall time of ``driver.get`` (includes webdriver);
- filter: "below the threshold" applied, laid out and painted (next animation frame), then a search for a word
  and sort by confidence the same way;
- the renderer's main-thread busy time (Chrome's ``Performance.getMetrics`` TaskDuration, the CPU-time
  counterpart of the wall times) and its JS heap; the Python side's page-writing time (wall and CPU) and peak RSS.
"""
from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import browser  # noqa: E402

from aligner.formats.alignment_readers import read_alignment  # noqa: E402
from aligner.formats.review import write_review  # noqa: E402
from aligner.model import Alignment, Bead, Sentence  # noqa: E402

#: Times the demo is repeated to make the large page: 100 beads x 20 = 2,000 beads.
COPIES = 20

FILTER_JS = """
const done = arguments[arguments.length - 1];
const [what, value] = [arguments[0], arguments[1]];
const t0 = performance.now();
if (what === 'show') { document.getElementById('show').value = value; window.review.applyFilter(); }
if (what === 'search') { document.getElementById('search').value = value; window.review.applyFilter(); }
if (what === 'sort') { document.getElementById('sort').value = value; window.review.applySort(); window.review.applyFilter(); }
void document.body.offsetHeight;
const t1 = performance.now();
requestAnimationFrame(() => setTimeout(() => done([t1 - t0, performance.now() - t0,
  document.querySelectorAll('#rows .row:not([hidden])').length]), 0));
"""


def repeated(al: Alignment, copies: int) -> Alignment:
    src, tgt, beads = [], [], []
    for _ in range(copies):
        ns, nt = len(src), len(tgt)
        src += [Sentence(s.text, ns + k) for k, s in enumerate(al.src)]
        tgt += [Sentence(t.text, nt + k) for k, t in enumerate(al.tgt)]
        beads += [Bead(tuple(i + ns for i in b.src), tuple(j + nt for j in b.tgt), b.score) for b in al.beads]
    return Alignment(al.src_lang, al.tgt_lang, src, tgt, beads, stats={"document": f"un-letter x{copies}"})


def metrics(driver) -> dict:
    return {m["name"]: m["value"] for m in driver.execute_cdp_cmd("Performance.getMetrics", {})["metrics"]}


def measure(page: Path, repeat: int) -> dict:
    rows = {k: [] for k in ("get_wall", "ready", "fcp", "load", "task", "cpu", "heap", "low", "low_paint", "low_cpu",
                            "search", "search_paint", "search_cpu", "sort", "sort_paint", "sort_cpu")}
    shown = {}
    for _ in range(repeat):
        with browser.chrome() as d:
            d.execute_cdp_cmd("Performance.enable", {})
            before = metrics(d)
            t0 = time.perf_counter()
            d.get(page.as_uri())
            rows["get_wall"].append((time.perf_counter() - t0) * 1000)
            t = d.execute_script("return [window.review.timings.ready_ms, "
                                 "(performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime]")
            rows["ready"].append(t[0])
            # first contentful paint can come after driver.get returns: wait for it
            for _ in range(50):
                if t[1]:
                    break
                time.sleep(0.02)
                t = d.execute_script("return [0, (performance.getEntriesByName('first-contentful-paint')[0] "
                                     "|| {}).startTime]")
            rows["fcp"].append(t[1] or float("nan"))
            rows["load"].append(d.execute_script("return performance.getEntriesByType('navigation')[0].loadEventEnd"))
            after = metrics(d)
            rows["task"].append((after["TaskDuration"] - before.get("TaskDuration", 0)) * 1000)
            rows["cpu"].append(after["ProcessTime"] * 1000)  # the page's renderer process, started for it
            rows["heap"].append(after["JSHeapUsedSize"] / 2**20)
            for key, what, value in (("low", "show", "low"), ("search", "search", "council"),
                                     ("sort", "sort", "asc")):
                if what == "search":
                    d.execute_async_script(FILTER_JS, "show", "all")
                t_before = metrics(d)["ThreadTime"]
                sync, paint, n = d.execute_async_script(FILTER_JS, what, value)
                rows[key + "_cpu"].append((metrics(d)["ThreadTime"] - t_before) * 1000)
                rows[key].append(sync)
                rows[key + "_paint"].append(paint)
                shown[key] = n
            rows_total = d.execute_script("return document.querySelectorAll('#rows .row').length")
    out = {k: round(statistics.median(v), 1) for k, v in rows.items()}
    out["rows"] = rows_total
    out["shown"] = shown
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--json", help="also write the results here")
    a = ap.parse_args()
    reason = browser.available()
    if reason:
        sys.exit(f"bench_review: {reason}")
    tmp = Path(tempfile.mkdtemp(prefix="bench-review-"))
    cmd = [sys.executable, "-m", "aligner.cli", "align", "examples/un-letter.zh.txt", "examples/un-letter.en.txt",
           "-o", str(tmp / "un-letter.html"), "-o", str(tmp / "un-letter.jsonl"), "-q"]
    subprocess.run(cmd, check=True, cwd=ROOT)
    demo = read_alignment(tmp / "un-letter.jsonl")
    big = repeated(demo, COPIES)
    w0, c0 = time.perf_counter(), time.process_time()
    write_review(big, tmp / "big.html")
    write_wall, write_cpu = time.perf_counter() - w0, time.process_time() - c0
    results = {}
    for name, page in (("un-letter", tmp / "un-letter.html"), (f"{len(big.beads)} beads", tmp / "big.html")):
        r = measure(page, a.repeat)
        r["size_kb"] = round(page.stat().st_size / 1024)
        results[name] = r
    results["python"] = {"write_2000_wall_s": round(write_wall, 3), "write_2000_cpu_s": round(write_cpu, 3),
                         "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}
    print(f"$ {' '.join(sys.argv)}   (medians of {a.repeat} fresh loads; ms)")
    print("open: ready = rows rendered, FCP = first contentful paint, load = load event end (all three from "
          "navigation start), get() = driver.get wall, busy = renderer main-thread task time, cpu = renderer process CPU time")
    print("filter/search/sort: wall to laid out / wall to next frame painted / main-thread CPU time")
    print(f"{'page':<12}{'rows':>6}{'KB':>6}{'ready':>8}{'FCP':>8}{'load':>7}{'get()':>8}{'busy':>8}{'cpu':>7}{'heap MB':>9}"
          f"{'low':>22}{'search':>22}{'sort':>22}")
    for name, r in results.items():
        if name == "python":
            continue
        trio = lambda k: f"{r[k]:.0f} / {r[k + '_paint']:.0f} / {r[k + '_cpu']:.0f}"  # noqa: E731
        print(f"{name:<12}{r['rows']:>6}{r['size_kb']:>6}{r['ready']:>8.0f}{r['fcp']:>8.0f}{r['load']:>7.0f}{r['get_wall']:>8.0f}"
              f"{r['task']:>8.0f}{r['cpu']:>7.0f}{r['heap']:>9.1f}{trio('low'):>22}{trio('search'):>22}"
              f"{trio('sort'):>22}")
    print("python: " + json.dumps(results["python"]))
    if a.json:
        Path(a.json).write_text(json.dumps(results, indent=1) + "\n")


if __name__ == "__main__":
    main()
