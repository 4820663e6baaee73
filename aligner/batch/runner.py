"""Run a batch of document pairs: skip the ones already done, align the rest on a local process pool or a Ray
cluster, record each finished pair in the resume journal, and never let one bad pair stop the run."""
from __future__ import annotations

import collections
import logging
import multiprocessing
import os
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from glob import escape as glob_escape
from pathlib import Path
from typing import Callable

from ..errors import InputError
from . import worker
from .jobs import Job
from .journal import JOURNAL_NAME, Journal
from .worker import BatchOptions, job_key

log = logging.getLogger(__name__)

ENGINES = ("local", "ray")
#: pairs queued per pool worker beyond the one it is running: keeps workers busy without front-loading the queue
QUEUE_PER_WORKER = 2
#: a worker that dies (killed, out of memory, crashed in native code) takes its in-flight pairs with it; those are
#: rerun one at a time in a fresh pool, and a pair that kills a worker when run alone is reported as failed
#: modules the fork server imports once for all the workers it starts
PRELOAD = ["aligner.batch.worker", "aligner.api", "aligner.formats"]
WORKER_DIED = "worker process died while aligning this pair (killed, out of memory, or crashed)"


@dataclass
class BatchReport:
    engine: str
    jobs: int
    results: list[dict] = field(default_factory=list)
    wall_seconds: float = 0.0
    cpu_seconds: float = 0.0
    parent_peak_rss_mb: float = 0.0
    #: from the start of the run until the first pair began: job keys, worker or cluster start-up, model loads
    start_seconds: float | None = None
    #: pools rebuilt (local) or actors replaced (Ray) after a worker died
    worker_restarts: int = 0

    def count(self, status: str) -> int:
        return sum(1 for r in self.results if r["status"] == status)

    @property
    def failed(self) -> int:
        return self.count("failed")

    def workers(self) -> dict[str, dict]:
        """Each process that aligned pairs (pid, or node:pid on Ray): pairs, peak resident memory (MB) and CPU
        seconds since it started (model load included), as of its last pair."""
        out: dict[str, dict] = {}
        for r in self.results:
            if r.get("pid") is None or r.get("peak_rss_mb") is None:
                continue
            w = out.setdefault(str(r.get("worker") or r["pid"]), {"pairs": 0, "peak_rss_mb": 0.0, "cpu_seconds": 0.0})
            w["pairs"] += 1
            w["peak_rss_mb"] = max(w["peak_rss_mb"], r["peak_rss_mb"])
            w["cpu_seconds"] = max(w["cpu_seconds"], r.get("process_cpu_seconds", 0.0))
        return out

    def to_json(self) -> dict:
        aligned = self.count("aligned")
        dispatch = [r["seconds"]["dispatch"] for r in self.results if "dispatch" in r.get("seconds", {})]
        return {"engine": self.engine, "jobs": self.jobs, "pairs": len(self.results), "aligned": aligned,
                "skipped": self.count("skipped"), "failed": self.failed,
                "wall_seconds": round(self.wall_seconds, 3), "cpu_seconds": round(self.cpu_seconds, 3),
                "pairs_per_second": round(aligned / self.wall_seconds, 3) if self.wall_seconds else None,
                "start_seconds": round(self.start_seconds, 3) if self.start_seconds is not None else None,
                "worker_restarts": self.worker_restarts,
                "dispatch_seconds_per_pair": round(sum(dispatch) / len(dispatch), 4) if dispatch else None,
                "parent_peak_rss_mb": round(self.parent_peak_rss_mb, 1),
                "workers": self.workers(), "results": self.results}


def check_outputs(jobs: list[Job], src_lang: str, tgt_lang: str) -> None:
    """Refuse a batch in which an output would overwrite an input or two pairs would write one file (the rules of
    :mod:`aligner.outputs`, shared with single pairs)."""
    from ..outputs import check_batch_outputs
    check_batch_outputs([((j.src, j.tgt), list(j.targets), j.name) for j in jobs], src_lang, tgt_lang)


def run_batch(jobs: list[Job], opts: BatchOptions, *, n_jobs: int = 1, engine: str = "local",
              address: str | None = None, force: bool = False, journal_path: str | os.PathLike | None = None,
              on_event: Callable[[str, dict], None] | None = None) -> BatchReport:
    """Align every pair of ``jobs`` not already done (see :mod:`aligner.batch.journal`); return the report.

    ``on_event(kind, data)`` is called in this process: ``("plan", {"todo", "skipped"})`` once, then
    ``("result", result)`` per pair, in completion order. Failed pairs are reported, never raised.
    """
    if engine not in ENGINES:
        raise InputError(f"unknown engine {engine!r}: use one of {', '.join(ENGINES)}")
    if n_jobs < 0:
        raise InputError(f"--jobs must be 0 (one per CPU) or more, not {n_jobs}")
    if n_jobs == 0 and engine == "local":
        n_jobs = os.cpu_count() or 1
    if address is not None and engine != "ray":
        raise InputError("--address needs --engine ray")
    check_outputs(jobs, opts.src_lang, opts.tgt_lang)
    emit = on_event or (lambda kind, data: None)
    t0, c0 = time.perf_counter(), time.process_time()
    journal = Journal(journal_path) if journal_path is not None else None
    report = BatchReport(engine=engine, jobs=n_jobs)
    results: list[dict | None] = [None] * len(jobs)
    keys = [job_key(j, opts) for j in jobs]
    todo = []
    for i, j in enumerate(jobs):
        if not force and journal is not None and journal.is_done(keys[i], j.output_files(opts.src_lang,
                                                                                           opts.tgt_lang)):
            results[i] = {"name": j.name, "src": str(j.src), "tgt": str(j.tgt), "status": "skipped"}
        else:
            todo.append(i)
    emit("plan", {"todo": len(todo), "skipped": len(jobs) - len(todo)})
    for i in todo:
        _remove_stale_temp_files(jobs[i].output_files(opts.src_lang, opts.tgt_lang))

    def finished(i: int, res: dict) -> None:
        if report.start_seconds is None and res.get("seconds", {}).get("total") is not None:
            report.start_seconds = time.perf_counter() - t0 - res["seconds"]["total"]
        if res["status"] == "aligned" and journal is not None:
            journal.record(keys[i], jobs[i].name, res["outputs"])
        results[i] = res
        emit("result", res)

    if todo:
        if engine == "ray":
            from .ray_engine import run_on_ray
            report.worker_restarts = run_on_ray([(i, jobs[i]) for i in todo], opts, n_jobs, address, finished)
        elif min(n_jobs, len(todo)) == 1:
            _run_here([(i, jobs[i]) for i in todo], opts, finished)
        else:  # no more workers than pairs: each one loads a model
            report.worker_restarts = _run_pool([(i, jobs[i]) for i in todo], opts, min(n_jobs, len(todo)), finished)
    report.results = [r for r in results if r is not None]
    report.wall_seconds = time.perf_counter() - t0
    # this process, plus each worker's whole CPU time (model load included) as of its last pair
    report.cpu_seconds = time.process_time() - c0 + sum(w["cpu_seconds"] for pid, w in report.workers().items()
                                                        if pid != str(os.getpid()))
    report.parent_peak_rss_mb = worker.peak_rss_mb()
    return report


def _remove_stale_temp_files(files) -> None:
    """A run killed while writing leaves the temporary file of an atomic write behind: remove it before redoing."""
    for f in files:
        f = Path(f)
        if f.parent.is_dir():
            for tmp in f.parent.glob(f".{glob_escape(f.name)}.*.tmp"):
                try:
                    tmp.unlink()
                except OSError:
                    pass


def default_journal(out_dir: str | os.PathLike) -> Path:
    return Path(out_dir) / JOURNAL_NAME


def _run_here(todo, opts: BatchOptions, finished) -> None:
    worker.init_worker(opts)
    try:
        for i, job in todo:
            finished(i, worker.run_job(job))
    finally:
        worker.close_worker()
        limits = worker._state.pop("limits", None)
        if limits is not None:
            limits.restore_original_limits()


def _mp_context():
    # fork would copy the parent's threads and locks (BLAS, logging) into the workers; forkserver and spawn start
    # clean interpreters that import aligner and load the model themselves
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" not in methods:
        return multiprocessing.get_context("spawn")
    ctx = multiprocessing.get_context("forkserver")
    # the fork server imports aligner (numpy, the scorer) once; each worker forked from it then only loads the model
    ctx.set_forkserver_preload(PRELOAD)
    return ctx


def _new_pool(opts: BatchOptions, n: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=n, mp_context=_mp_context(), initializer=worker.init_worker,
                               initargs=(opts, os.getpid(), True))


def _failed(job: Job, error: str) -> dict:
    return {"name": job.name, "src": str(job.src), "tgt": str(job.tgt), "status": "failed", "error": error,
            "warnings": [], "sentences": None, "beads": None, "outputs": {}, "seconds": {}, "pid": None}


def _run_pool(todo, opts: BatchOptions, n: int, finished) -> int:
    """Run ``todo`` on ``n`` worker processes; return how many times the pool had to be rebuilt."""
    restarts = 0
    pending = collections.deque(todo)
    suspects: collections.deque = collections.deque()  # pairs in flight when a worker died: rerun one at a time
    pool = _new_pool(opts, n)
    inflight: dict = {}
    try:
        while pending or suspects or inflight:
            if suspects:
                if not inflight:
                    i, job = suspects.popleft()
                    inflight[pool.submit(worker.run_job, job)] = (i, job, True)
            else:
                while pending and len(inflight) < n * QUEUE_PER_WORKER:
                    i, job = pending.popleft()
                    inflight[pool.submit(worker.run_job, job)] = (i, job, False)
            done, _ = wait(inflight, return_when=FIRST_COMPLETED)
            broken = False
            for fut in done:
                i, job, alone = inflight.pop(fut)
                try:
                    finished(i, fut.result())
                except BrokenProcessPool:
                    broken = True
                    if alone:
                        finished(i, _failed(job, WORKER_DIED))
                    else:
                        suspects.append((i, job))
            if broken:
                # every pair still in flight went down with the pool
                for fut, (i, job, alone) in list(inflight.items()):
                    try:
                        finished(i, fut.result())
                    except BrokenProcessPool:
                        suspects.append((i, job))
                inflight.clear()
                log.info("a batch worker died; rerunning %d pair(s) one at a time", len(suspects))
                pool.shutdown(wait=True, cancel_futures=True)
                pool = _new_pool(opts, n)
                restarts += 1
    except BaseException:
        _stop(pool)
        raise
    pool.shutdown(wait=True)
    return restarts


def _stop(pool: ProcessPoolExecutor) -> None:
    """Interrupted: drop the queue and end the workers now (their outputs are atomic, the journal unchanged)."""
    procs = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for p in procs:
        try:
            p.terminate()
        except Exception:  # noqa: BLE001 - already gone
            pass
    for p in procs:
        p.join(timeout=5)

__all__ = ["BatchReport", "ENGINES", "check_outputs", "default_journal", "run_batch"]
