"""Batches of document pairs: discovery (folder or manifest), a local process pool or a Ray cluster, a resume
journal, and a per-pair report. The CLI's ``align --batch/--manifest`` is a thin layer over :func:`run_batch`."""
from .jobs import Job, discover_jobs
from .runner import ENGINES, BatchReport, check_outputs, default_journal, run_batch
from .worker import BatchOptions

__all__ = ["BatchOptions", "BatchReport", "ENGINES", "Job", "check_outputs", "default_journal", "discover_jobs",
           "run_batch"]
