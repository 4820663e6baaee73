"""What runs one document pair, in whichever process holds the model: the CLI itself (``--jobs 1``), a pool worker
(``--jobs N``) or a Ray actor (``--engine ray``). One :class:`~aligner.api.Aligner` per process, loaded once."""
from __future__ import annotations

import hashlib
import json
import logging
import os
import resource
import sys
import threading
import time
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

from ..errors import AlignerError, InputError
from .jobs import Job
from .journal import describe_outputs

log = logging.getLogger(__name__)

#: how often a pool worker checks that the process that started it is still alive (a SIGKILLed batch must not
#: leave workers behind)
PARENT_POLL_S = 1.0


@dataclass(frozen=True)
class BatchOptions:
    """Everything a worker needs to align and write a pair. The fields up to ``ignore_lang_check`` decide the
    output and go into each pair's journal key; the rest only affect speed and memory."""

    model: str | None = None
    quality: str = "default"
    max_bead: int = 5
    pre_split: bool = False
    src_lang: str = "zh"
    tgt_lang: str = "en"
    keep_notes: bool = False
    encoding: str | None = None
    min_score: float | None = None
    src_xml_lang: str | None = None
    tgt_xml_lang: str | None = None
    ignore_lang_check: bool = False
    unit: str = "sentence"
    cache_dir: str | None = None
    threads: int = 1
    mem_cache_bytes: int | None = None

    def output_fingerprint(self) -> dict:
        d = asdict(self)
        for k in ("cache_dir", "threads", "mem_cache_bytes"):
            d.pop(k)
        if d["unit"] == "sentence":   # the default: journals written before the option existed stay valid
            d.pop("unit")
        return d


def _file_hash(path: Path) -> str:
    h = hashlib.blake2b(digest_size=16)
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def job_key(job: Job, opts: BatchOptions) -> str:
    """Identity of a pair's result: input paths and bytes, outputs, and the options that shape the output."""
    try:
        inputs = [str(job.src.resolve()), _file_hash(job.src), str(job.tgt.resolve()), _file_hash(job.tgt)]
    except OSError:  # unreadable input: the pair will fail when run, and is never "done"
        inputs = [str(job.src), "", str(job.tgt), ""]
    blob = json.dumps({"in": inputs, "out": [[str(Path(o).resolve()), f] for o, f in job.targets],
                       "opts": opts.output_fingerprint(), "aligner": _version()}, sort_keys=True)
    return hashlib.blake2b(blob.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def _version() -> str:
    from .. import __version__   # the one home (an editable install's metadata can lag behind it)
    return __version__


# --------------------------------------------------------------------------- per-process state

_state: dict = {}


def init_worker(opts: BatchOptions, parent_pid: int | None = None, pool: bool = False) -> None:
    """Load the model once for this process. ``pool``: a pool worker, which leaves Ctrl-C to the parent and exits
    when the parent is gone."""
    if pool:
        import signal
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    if parent_pid is not None:
        threading.Thread(target=_exit_with_parent, args=(parent_pid,), daemon=True).start()
    from threadpoolctl import threadpool_limits

    from ..api import Aligner
    # BLAS threads per process: N workers x 1 thread fill N cores without oversubscription, and the same limit
    # in every engine keeps the floating-point results, hence the outputs, identical
    _state["limits"] = threadpool_limits(limits=opts.threads)
    _state["opts"] = opts
    _state["aligner"] = Aligner(opts.model, quality=opts.quality, max_bead=opts.max_bead, cache_dir=opts.cache_dir,
                                threads=opts.threads, mem_cache_bytes=opts.mem_cache_bytes)
    # the first encode call loads the model's weights: do it now, so that it counts as worker start-up and not as
    # the first pair's embedding time (the raw model, so that nothing enters the caches)
    raw = getattr(_state["aligner"].encoder, "encoder", None)
    if raw is not None:
        raw.encode(["warm-up"])


def close_worker() -> None:
    a = _state.pop("aligner", None)
    if a is not None:
        a.close()


def _exit_with_parent(parent_pid: int) -> None:
    # the batch process may not be our parent (forkserver starts the workers): watch both it and whoever is
    ppid = os.getppid()
    while True:
        time.sleep(PARENT_POLL_S)
        try:
            os.kill(parent_pid, 0)
        except ProcessLookupError:
            os._exit(1)
        except PermissionError:
            pass
        if os.getppid() != ppid:
            os._exit(1)


def peak_rss_mb() -> float:
    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kb / 1024 if sys.platform != "darwin" else kb / 2**20


def run_job(job: Job) -> dict:
    """Align and write one pair in this process; never raises for a bad pair: the result says ``failed``."""
    opts: BatchOptions = _state["opts"]
    t0, c0 = time.perf_counter(), time.process_time()
    res = {"name": job.name, "src": str(job.src), "tgt": str(job.tgt), "status": "failed", "error": None,
           "warnings": [], "sentences": None, "beads": None, "bead_types": None, "outputs": {},
           "seconds": {}, "pid": os.getpid()}
    try:
        al, warnings = _align(job, opts)
        res["warnings"] = warnings
        written = []
        for out, fmt in job.targets:
            written += _write(al, out, fmt, opts)
        res.update(status="aligned", sentences={"src": len(al.src), "tgt": len(al.tgt)}, beads=len(al.beads),
                   bead_types=al.type_counts(), outputs=describe_outputs(written))
        t = al.stats.get("timings", {})
        res["seconds"] = {"embed": round(t.get("embed_sentences", 0) + t.get("embed_overlaps", 0), 4),
                          "search": round(t.get("band", 0) + t.get("lexical", 0) + t.get("dp", 0), 4)}
    except AlignerError as exc:
        res["error"] = str(exc)
    except MemoryError:
        res["error"] = "out of memory (input too large for this machine)"
    except Exception as exc:  # noqa: BLE001 - one bad pair must not stop the batch; the report says what it was
        log.debug("pair %s failed", job.name, exc_info=True)
        res["error"] = f"internal error: {type(exc).__name__}: {exc}".splitlines()[0]
    finally:
        # vectors of this pair are not reused: forgetting them keeps every pair's floating-point path, hence its
        # output, the same whichever worker ran it and whatever it ran before
        a = _state.get("aligner")
        if a is not None and hasattr(a.encoder, "clear_memory"):
            a.encoder.clear_memory()
    res["seconds"].update(total=round(time.perf_counter() - t0, 4), cpu=round(time.process_time() - c0, 4))
    res["peak_rss_mb"] = round(peak_rss_mb(), 1)
    res["process_cpu_seconds"] = round(time.process_time(), 3)
    return res


def _read(path: Path, encoding: str | None, warnings: list[str]) -> str:
    from ..formats.readers import read_text_report
    text, _enc, notes = read_text_report(path, encoding)   # notes: an encoding guessed, NUL bytes kept
    warnings += notes
    return text


def _align(job: Job, opts: BatchOptions):
    """One pair through the library: text with ``--pre-split``, else any document format (``aligner.read``); the
    language checks and the reader's findings are the library's (``Alignment.warnings``)."""
    aligner = _state["aligner"]
    check = not opts.ignore_lang_check
    warnings: list[str] = []
    if opts.pre_split:
        src_text, tgt_text = _read(job.src, opts.encoding, warnings), _read(job.tgt, opts.encoding, warnings)
        al = aligner.align(src_text, tgt_text, src_lang=opts.src_lang, tgt_lang=opts.tgt_lang, pre_split=True,
                           keep_notes=opts.keep_notes, check_lang=check)
    else:
        from ..read import read_document
        src_doc = read_document(job.src, opts.src_lang, opts.encoding)
        tgt_doc = read_document(job.tgt, opts.tgt_lang, opts.encoding)
        al = aligner.align_documents(src_doc, tgt_doc, src_lang=opts.src_lang, tgt_lang=opts.tgt_lang,
                                     keep_notes=opts.keep_notes, src_name=str(job.src), tgt_name=str(job.tgt),
                                     check_lang=check)
    if not al.src or not al.tgt:
        raise InputError(f"no sentences found in {job.src if not al.src else job.tgt}")
    if opts.unit == "paragraph":
        al = al.by_paragraph()
    warnings += list(al.warnings)
    return al, warnings


def _write(al, out: Path, fmt: str, opts: BatchOptions) -> list[Path]:
    from ..formats import write_alignment
    from ..formats.writers import write_tmx
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if fmt == "tmx" and epoch and epoch.strip().isdigit():
        # reproducible TMX: the header's creationdate is the only thing that differs between two runs
        when = datetime.fromtimestamp(int(epoch), timezone.utc)
        return [write_tmx(al, out, min_score=opts.min_score, src_xml_lang=opts.src_xml_lang,
                          tgt_xml_lang=opts.tgt_xml_lang, creationdate=when)]
    return write_alignment(al, out, fmt, min_score=opts.min_score, src_xml_lang=opts.src_xml_lang,
                           tgt_xml_lang=opts.tgt_xml_lang)
