"""Same content, every route: the Markdown pairs of docs-dev rewritten into other forms, each scored with the gold.

    .venv/bin/python bench/bench_routes.py make DIR [--docs-dev ../shared/data/docs-dev] [--routes a,b]
    .venv/bin/python bench/bench_routes.py score DIR [--routes a,b] [--only NAME,...] [--unit paragraph]
                                                     [--json OUT.json]

``make`` writes ``DIR/ROUTE/NAME/doc.{zh,en}.EXT`` for each route below and each Markdown pair of docs-dev
(bench/md_variants.py does the rewriting); ``score`` aligns every variant pair from its files (``Aligner.align_files``:
the reader the extension names) and projects the beads onto the pair's docs-dev gold (``gold.spans.tsv`` over
``doc.{zh,en}.txt``) as bench/bench_docs.py does: the projection matches characters, so a reader that drops markup
(underlines, comments, tags) still scores, and a reader that loses or glues text loses points.

Routes (ROUTE.EXT: ``.md`` is read by the Markdown reader, ``.txt`` by the text reader with Markdown recognition):

* ``txt`` the file as it is (the docs-dev measure), ``md`` the same bytes named ``.md``;
* ``setext`` level-1/2 ATX headings as setext, ``star``/``dash`` every bullet as ``*``/``-``, ``numbered`` bullets
  as ``1.`` ``2.`` …, ``wrap`` paragraphs hard-wrapped at 72-80 columns, ``crlf`` CRLF line ends, ``fm`` a YAML
  front matter block, ``comments`` HTML comments (a licence block on top, one after every fifth block),
  ``tables`` tables without outer pipes and padded; each as ``.md`` and ``.txt``;
* ``all`` setext + star + wrap + fm + comments + tables + crlf at once (``.md``, ``.txt``);
* ``bom`` a UTF-8 byte order mark, ``utf16`` UTF-16 with its BOM (``.md``, ``.txt``), ``cr`` old Mac CR line ends,
  ``plus`` ``+`` bullets, ``paren`` ordered markers ``1)``, ``closing`` ATX headings closed ``## Title ##``, ``tabs``
  indentation as tabs; ``plain`` the plain text pandoc writes from the HTML rendering (no marks, wrapped at 72: the
  text reader's non-Markdown path, ``.txt``);
* ``html`` rendered by markdown-it-py inside a page (header, ``<nav>`` menu, sidebar of links, ``<article>``,
  footer), ``html-bare`` the rendering alone; ``docx`` made by pandoc from that rendering (images left out),
  ``docx-img`` the same with its images kept (each a 1x1 PNG, its alt text kept), ``docx-gfm`` by pandoc
  from the Markdown (pandoc drops raw HTML blocks, so their text is not in that file; when ``pandoc`` is on PATH).
"""
from __future__ import annotations

import argparse
import json
import resource
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import md_variants as mv  # noqa: E402
from bench_docs import SHARED, Runner, docs_dev  # noqa: E402

from aligner.evaluate import scores_from_counts  # noqa: E402
from aligner.evaluate_docs import project  # noqa: E402

#: the docs-dev pairs that are Markdown documents
MARKDOWN_PAIRS = ("rust-book-ch04-01-ownership", "opensource-guide-how-to-contribute", "system-design-primer-readme",
                  "kaiyuanshe-2023-report-data")
#: hard-wrap width per pair: 72-80 columns, as specifications are wrapped
WRAP_WIDTHS = (72, 76, 78, 80)


def _all(t: str, lang: str) -> str:
    return mv.crlf(mv.comments(mv.front_matter(mv.tables(mv.wrap(mv.bullets(mv.setext(t), "*"), 76)), lang), lang))


#: route -> (rewrite(text, lang, pair index) -> text, extensions)
TEXT_ROUTES = {
    "txt": (lambda t, lang, i: t, (".txt",)),
    "md": (lambda t, lang, i: t, (".md",)),
    "setext": (lambda t, lang, i: mv.setext(t), (".md", ".txt")),
    "star": (lambda t, lang, i: mv.bullets(t, "*"), (".md", ".txt")),
    "dash": (lambda t, lang, i: mv.bullets(t, "-"), (".md", ".txt")),
    "numbered": (lambda t, lang, i: mv.numbered(t), (".md", ".txt")),
    "wrap": (lambda t, lang, i: mv.wrap(t, WRAP_WIDTHS[i % len(WRAP_WIDTHS)]), (".md", ".txt")),
    "crlf": (lambda t, lang, i: mv.crlf(t), (".md", ".txt")),
    "fm": (lambda t, lang, i: mv.front_matter(t, lang), (".md", ".txt")),
    "comments": (lambda t, lang, i: mv.comments(t, lang), (".md", ".txt")),
    "tables": (lambda t, lang, i: mv.tables(t), (".md", ".txt")),
    "all": (lambda t, lang, i: _all(t, lang), (".md", ".txt")),
    # the bytes and small marks of other editors and habits (text routes: blocks only, see the module doc)
    "bom": (lambda t, lang, i: "\ufeff" + t, (".md", ".txt")),
    "utf16": (lambda t, lang, i: t.encode("utf-16"), (".md", ".txt")),
    "cr": (lambda t, lang, i: t.replace("\n", "\r"), (".txt",)),
    "plus": (lambda t, lang, i: mv.bullets(t, "+"), (".md",)),
    "paren": (lambda t, lang, i: mv.ordered_paren(t), (".txt",)),
    "closing": (lambda t, lang, i: mv.closing_hashes(t), (".md", ".txt")),
    "tabs": (lambda t, lang, i: mv.tab_indent(t), (".md", ".txt")),
    "plain": (lambda t, lang, i: mv.plain(t), (".txt",)),
}
OTHER_ROUTES = ("html", "html-bare", "docx", "docx-img", "docx-gfm")


def route_names() -> list[str]:
    out = []
    for r, (_, exts) in TEXT_ROUTES.items():
        out += [r] if r in ("txt", "md") else [f"{r}{e}" for e in exts]
    return out + list(OTHER_ROUTES)


def make(out: Path, docs: Path, routes: list[str]) -> None:
    for i, name in enumerate(MARKDOWN_PAIRS):
        for lang in ("zh", "en"):
            text = (docs / name / f"doc.{lang}.txt").read_text(encoding="utf-8")
            for route in routes:
                d = out / route / name
                d.mkdir(parents=True, exist_ok=True)
                base, _, ext = route.partition(".")
                if route in TEXT_ROUTES or base in TEXT_ROUTES:
                    fn, exts = TEXT_ROUTES[base]
                    ext = "." + ext if ext else exts[0]
                    if base == "plain" and not mv.have_pandoc():
                        print("plain: pandoc is not on PATH: route skipped", file=sys.stderr)
                        break
                    out_text = fn(text, lang, i)
                    (d / f"doc.{lang}{ext}").write_bytes(out_text if isinstance(out_text, bytes)
                                                         else out_text.encode("utf-8"))
                elif route == "html":
                    (d / f"doc.{lang}.html").write_text(mv.html_page(text, lang), encoding="utf-8")
                elif route == "html-bare":
                    (d / f"doc.{lang}.html").write_text(mv.html_page(text, lang, chrome=False), encoding="utf-8")
                elif route in ("docx", "docx-img", "docx-gfm"):
                    if not mv.have_pandoc():
                        print("docx: pandoc is not on PATH: route skipped", file=sys.stderr)
                        shutil.rmtree(out / route, ignore_errors=True)
                        break
                    mv.docx(text, d / f"doc.{lang}.docx", "gfm" if route == "docx-gfm" else "html",
                            images=route == "docx-img")


def _pair(d: Path) -> tuple[Path, Path] | None:
    zh = sorted(d.glob("doc.zh.*"))
    en = sorted(d.glob("doc.en.*"))
    return (zh[0], en[0]) if zh and en else None


def score(root: Path, docs: Path, routes: list[str], only: set[str] | None, unit: str, json_out: str | None) -> None:
    gold = {it["gold"].name: it["gold"] for it in docs_dev(docs, {"code", "fm"}) if it["gold"].name in MARKDOWN_PAIRS}
    runner = Runner("lib", "default", unit=unit)
    results = []
    print(f"{'route':14} {'document':36} {'gold':>5} {'P':>6} {'R':>6} {'F1':>6} {'laxF1':>6} {'cut':>4} {'lost':>4} "
          f"{'merg':>4} {'cpu s':>6}")
    for route in routes:
        for name in MARKDOWN_PAIRS:
            if only and name not in only:
                continue
            pair = _pair(root / route / name)
            if pair is None:
                continue
            g = gold[name]
            try:
                src_b, tgt_b, tim = runner.beads(*pair)
            except Exception as exc:   # a reader failing on a route is a result, not a crash of the benchmark
                print(f"{route:14} {name[:36]:36} FAILED: {type(exc).__name__}: {exc}", flush=True)
                results.append({"route": route, "name": name, "error": f"{type(exc).__name__}: {exc}"})
                continue
            pr = project(g, src_b, tgt_b)
            sc = scores_from_counts(pr.counts)
            results.append({"route": route, "name": name, "scores": sc, "counts": pr.counts, "cut": pr.cut,
                            "lost": pr.lost, "merged": pr.merged_rows, "cpu": tim["cpu"]})
            print(f"{route:14} {name[:36]:36} {len(g.beads):5d} {sc['P_strict']:6.3f} {sc['R_strict']:6.3f} "
                  f"{sc['F1_strict']:6.3f} {sc['F1_lax']:6.3f} {pr.cut:4d} {pr.lost:4d} {pr.merged_rows:4d} "
                  f"{tim['cpu']:6.1f}", flush=True)
    print()
    print("strict F1 per route and document (micro over the documents in the last column)")
    names = [n for n in MARKDOWN_PAIRS if not only or n in only]
    print(f"{'route':14} " + " ".join(f"{n[:12]:>12}" for n in names) + f" {'all':>6}")
    for route in routes:
        ok = {r["name"]: r for r in results if r["route"] == route and "scores" in r}
        if not ok:
            continue
        tot = scores_from_counts([sum(r["counts"][k] for r in ok.values()) for k in range(8)])
        print(f"{route:14} " + " ".join(f"{ok[n]['scores']['F1_strict']:12.3f}" if n in ok else f"{'-':>12}"
                                        for n in names) + f" {tot['F1_strict']:6.3f}")
    ru = resource.getrusage(resource.RUSAGE_SELF)
    print(f"CPU {ru.ru_utime + ru.ru_stime:.1f} s, peak RSS {ru.ru_maxrss / 1024:.0f} MB")
    if json_out:
        Path(json_out).write_text(json.dumps({"results": results, "unit": unit, "time": time.strftime("%Y-%m-%d %H:%M")},
                                             indent=1), encoding="utf-8")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("action", choices=["make", "score"])
    ap.add_argument("dir")
    ap.add_argument("--docs-dev", default=str(SHARED / "docs-dev"))
    ap.add_argument("--routes", help="comma-separated routes (default: all; see the module doc)")
    ap.add_argument("--only", help="comma-separated pair names")
    ap.add_argument("--unit", choices=["sentence", "paragraph"], default="sentence")
    ap.add_argument("--json")
    a = ap.parse_args(argv)
    routes = a.routes.split(",") if a.routes else route_names()
    if a.action == "make":
        make(Path(a.dir), Path(a.docs_dev), routes)
    else:
        present = [r for r in routes if (Path(a.dir) / r).is_dir()]
        score(Path(a.dir), Path(a.docs_dev), present, set(a.only.split(",")) if a.only else None, a.unit, a.json)


if __name__ == "__main__":
    main()
