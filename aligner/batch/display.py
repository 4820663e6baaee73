"""The command line's side of a batch: progress on stderr (a rich progress bar with ETA and the last pair's time
split on a terminal; one line per pair otherwise; nothing with ``-q`` but failures), the ``--json`` run summary, and
the exit status. Used by ``aligner align --batch/--manifest`` only; the library never prints."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from .jobs import discover_jobs
from .runner import default_journal, run_batch
from .worker import BatchOptions


def _line(msg: str) -> str:
    return f"aligner: {msg}"


def _pair_line(res: dict) -> str:
    sec = res.get("seconds", {})
    types = ", ".join(f"{k}: {v}" for k, v in (res.get("bead_types") or {}).items())
    return (f"{res['name']}: {res['beads']} beads ({types}) in {sec.get('total', 0):.2f} s "
            f"(embed {sec.get('embed', 0):.2f} s, search {sec.get('search', 0):.2f} s)")


def run_batch_cli(*, batch: Path | None, manifest: Path | None, out_dir: Path, fmt: str | None, force: bool,
                  n_jobs: int, engine: str, address: str | None, json_out: str | None, quiet: bool,
                  opts: BatchOptions) -> int:
    """Run the batch with progress and report; return the exit status (1 if any pair failed)."""
    jobs = discover_jobs(batch, manifest, Path(out_dir), opts.src_lang, opts.tgt_lang, opts.pre_split,
                         fmt or "align")
    err = sys.stderr
    bar = None
    if not quiet and err.isatty():
        from rich.console import Console
        from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn,
                                   TimeRemainingColumn)
        bar = Progress(TextColumn("aligning"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                       TextColumn("eta"), TimeRemainingColumn(), TextColumn("{task.fields[last]}"),
                       console=Console(stderr=True), transient=True)
    task = None

    def say(msg: str) -> None:
        if bar is not None:
            bar.console.print(msg, markup=False, highlight=False)
        else:
            print(msg, file=err, flush=True)

    def on_event(kind: str, data: dict) -> None:
        nonlocal task
        if kind == "plan" and bar is not None:
            task = bar.add_task("batch", total=data["todo"], last="")
        elif kind == "result":
            for w in data.get("warnings") or []:
                say(_line(f"warning: {data['name']}: {w}"))
            if data["status"] == "failed":
                say(_line(f"error: {data['name']}: {data['error']}"))
            elif bar is None and not quiet:
                say(_line(_pair_line(data)))
            if bar is not None and task is not None:
                sec = data.get("seconds", {})
                bar.update(task, advance=1, last=f"{data['name']}: embed {sec.get('embed', 0):.1f} s, "
                                                 f"search {sec.get('search', 0):.1f} s")

    if bar is not None:
        bar.start()
    try:
        report = run_batch(jobs, opts, n_jobs=n_jobs, engine=engine, address=address, force=force,
                           journal_path=default_journal(out_dir), on_event=on_event)
    finally:
        if bar is not None:
            bar.stop()
    summary = report.to_json()
    if json_out is not None:
        text = json.dumps(summary, indent=1, ensure_ascii=False) + "\n"
        if json_out == "-":
            sys.stdout.write(text)
            sys.stdout.flush()
        else:
            from ..formats.writers import atomic_write
            with atomic_write(json_out) as fh:
                fh.write(text)
    print(_line(f"batch: {summary['aligned']} aligned, {summary['skipped']} already done, {summary['failed']} failed "
                f"in {report.wall_seconds:.1f} s (cpu {report.cpu_seconds:.1f} s, {report.engine} x{report.jobs})"),
          file=err, flush=True)
    return 1 if report.failed else 0
