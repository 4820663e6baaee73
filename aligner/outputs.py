"""Output paths: which files a target writes, and the rules that keep outputs off inputs.

One pair or a batch, the same rules (the CLI and the batch runner call these before any work):

* no output may be an input (same file by inode, or the same path after symlinks), including
  the two files of a Moses output (``OUT.zh``/``OUT.en``) and the outputs of a batch whose
  output folder is its input folder;
* no two outputs may be the same file (two ``-o``, two manifest lines naming one output);
* outputs that stream (``-``, ``/dev/stdout``, FIFOs, devices: see
  :func:`aligner.formats.writers.streams_into`) are never "the same file" as anything: they
  are written into, never replaced.

Every problem raises :class:`~aligner.errors.InputError` with a one-line message.
"""
from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from .errors import InputError
from .formats.writers import moses_paths_for, streams_into

__all__ = ["BATCH_EXTENSIONS", "STDIO", "check_batch_outputs", "check_outputs", "outputs_exist", "target_files"]

#: The name that means standard input (as an input) or standard output (as an output).
STDIO = "-"
#: The output name a batch gives pair NAME in each format (Moses: NAME.<src>, NAME.<tgt>).
BATCH_EXTENSIONS = {"moses": "", "tmx": ".tmx", "tsv": ".tsv", "jsonl": ".jsonl", "align": ".align", "html": ".html",
                    "xlsx": ".xlsx"}

Target = tuple  # (output path, format name)


def target_files(out: str | os.PathLike, fmt: str, src_lang: str, tgt_lang: str) -> list[str]:
    """The files one output target writes: ``out`` itself, or ``OUT.<src>``/``OUT.<tgt>`` for Moses."""
    if fmt == "moses":
        return [str(p) for p in moses_paths_for(out, src_lang, tgt_lang)]
    return [os.fspath(out)]


def _identity(path: str) -> tuple | None:
    """What makes two paths one file: (device, inode) if it exists, else its resolved path;
    None for stdin/stdout and streams, which are never replaced."""
    if path == STDIO or streams_into(path):
        return None
    try:
        st = os.stat(path)
        return ("inode", st.st_dev, st.st_ino)
    except OSError:
        return ("path", os.path.normcase(os.path.realpath(path)))


def check_outputs(inputs: Iterable[str | os.PathLike], targets: Sequence[Target], src_lang: str,
                  tgt_lang: str) -> None:
    """Refuse outputs of one pair that are one of its inputs or each other."""
    check_batch_outputs([(list(inputs), targets, "")], src_lang, tgt_lang)


def check_batch_outputs(jobs: Sequence[tuple[Sequence, Sequence[Target], str]], src_lang: str,
                        tgt_lang: str) -> None:
    """``jobs``: ``(inputs, targets, label)`` per pair (label: ``"pairs.tsv:3"`` or ``""``).
    Refuse any output that is an input of any pair, and any file two outputs share."""
    inputs: dict[tuple, str] = {}
    for ins, _, _ in jobs:
        for p in ins:
            key = _identity(os.fspath(p))
            if key is not None:
                inputs.setdefault(key, os.fspath(p))
    seen: dict[tuple, str] = {}
    for _, targets, label in jobs:
        where = f"{label}: " if label else ""
        for out, fmt in targets:
            for path in target_files(out, fmt, src_lang, tgt_lang):
                key = _identity(path)
                if key is None:
                    continue
                if key in inputs:
                    raise InputError(f"{where}the output {path} is the input {inputs[key]}: it would be overwritten; "
                                     "choose another output name or folder")
                if key in seen:
                    raise InputError(f"{where}the output {path} is written twice ({seen[key]}); "
                                     "give each output its own name")
                seen[key] = f"also by {label}" if label else "two outputs name it"


def outputs_exist(targets: Sequence[Target], src_lang: str, tgt_lang: str) -> bool:
    """True if every file of every target exists (a batch skips such pairs unless forced)."""
    return all(Path(p).exists() for out, fmt in targets for p in target_files(out, fmt, src_lang, tgt_lang))
