"""The resume journal: a pair counts as done only when its record is in the journal and every output it lists
still exists with the recorded size and hash.

Outputs are written atomically (temporary file, fsync, rename); the record is appended only after that, with one
``write`` of one line, then fsynced. A run killed at any point (SIGKILL included) therefore leaves each pair either
recorded with complete outputs, or unrecorded (and redone on the next run); a torn last line is ignored.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
from pathlib import Path

log = logging.getLogger(__name__)

JOURNAL_NAME = ".aligner-journal.jsonl"
#: bytes read at a time when hashing an output
_HASH_BLOCK = 1 << 20


def file_digest(path: str | os.PathLike) -> str:
    h = hashlib.blake2b(digest_size=16)
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(_HASH_BLOCK), b""):
            h.update(block)
    return h.hexdigest()


def describe_outputs(paths) -> dict[str, list]:
    """{absolute path: [size, hash]} of files just written."""
    return {str(Path(p).resolve()): [os.path.getsize(p), file_digest(p)] for p in paths}


class Journal:
    """Append-only JSON lines ``{"key": …, "name": …, "outputs": {path: [size, hash]}}``; the last record of a key
    wins. Only the process that runs the batch writes it (workers report back), so appends never interleave."""

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        self._done: dict[str, dict] = {}
        self._torn_tail = False  # a run killed in the middle of an append: start the next record on a new line
        if self.path.exists():
            with open(self.path, "rb") as fh:
                fh.seek(0, os.SEEK_END)
                if fh.tell():
                    fh.seek(-1, os.SEEK_END)
                    self._torn_tail = fh.read(1) != b"\n"
            with open(self.path, encoding="utf-8", errors="replace") as fh:
                for n, line in enumerate(fh, 1):
                    try:
                        rec = json.loads(line)
                        self._done[rec["key"]] = rec["outputs"]
                    except (ValueError, KeyError, TypeError):
                        log.info("%s:%d: skipped an incomplete journal line", self.path, n)

    def is_done(self, key: str, files) -> bool:
        """Recorded under ``key`` with exactly these files, each unchanged since."""
        rec = self._done.get(key)
        if rec is None:
            return False
        want = {str(Path(f).resolve()) for f in files}
        if set(rec) != want:
            return False
        for path, (size, digest) in rec.items():
            try:
                if os.path.getsize(path) != size or file_digest(path) != digest:
                    return False
            except OSError:
                return False
        return True

    def record(self, key: str, name: str, outputs: dict[str, list]) -> None:
        line = json.dumps({"key": key, "name": name, "outputs": outputs}, ensure_ascii=False) + "\n"
        if self._torn_tail:
            line, self._torn_tail = "\n" + line, False
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o666)
        try:
            os.write(fd, line.encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)
        self._done[key] = outputs
