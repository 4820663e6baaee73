"""Dump what the readers make of every input the benchmarks use, to prove that a refactor changes nothing.

    .venv/bin/python bench/dump_blocks.py OUT_DIR [--only SUBSTRING]

Every document under tests/data (docs, web, office, routes, segment and the other text fixtures), the docs-dev
pairs, the UN files and the mac-dev running text (``NNN.{zh,en}.txt``) is read with
:func:`aligner.read.read_document` (the call ``aligner reflow FILE`` makes) and segmented with
:func:`aligner.segment.segment_document` (plain and with ``split_labels``).  One JSON-lines file per input goes to
OUT_DIR: a header line (format, encoding, notes, stats, log records of the ``aligner`` loggers at INFO and
above), one line per block (every field of :class:`aligner.segment.layout.Block`), then one line per sentence.
A reader error is recorded as the error's text.  Run it before and after a change and compare with
``diff -r BEFORE AFTER``: a pure refactor leaves every byte as it was.  Lines are JSON with sorted keys and no
timing, so two runs of the same tree are identical.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import logging
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from aligner.read import read_document  # noqa: E402
from aligner.segment import segment_document  # noqa: E402

SHARED = ROOT.parent / "shared" / "data"
if not SHARED.is_dir():  # a worktree beside /work/main: the shared data sits next to the worktrees
    SHARED = Path("/work/shared/data")

#: extensions that are data, not documents (gold tables, JSON fixtures)
_NOT_DOCS = {".json", ".jsonl", ".tsv", ".align"}


def inputs() -> list[Path]:
    """Every document the benchmarks read, in a fixed order."""
    out: list[Path] = []
    for p in sorted((ROOT / "tests" / "data").rglob("*")):
        if p.is_file() and p.suffix.lower() not in _NOT_DOCS:
            out.append(p)
    for sub in ("docs-dev", "un"):
        out += [p for p in sorted((SHARED / sub).rglob("*")) if p.is_file() and p.suffix.lower() not in _NOT_DOCS]
    out += sorted((SHARED / "mac-dev").glob("*.txt"))
    return out


def lang_of(p: Path) -> str:
    """``zh`` when the name says so (``.zh.``, ``zh-hans``) or the text is mostly Han, else ``en``."""
    name = p.name.lower()
    if re.search(r"(^|[._-])zh([._-]|$)", name):
        return "zh"
    if re.search(r"(^|[._-])en([._-]|$)", name):
        return "en"
    if p.suffix.lower() in (".txt", ".md"):
        head = p.read_bytes()[:4000].decode("utf-8", "replace")
        han = sum(1 for c in head if "\u4e00" <= c <= "\u9fff")
        return "zh" if han > len(head) / 10 else "en"
    return "en"


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.levelname} {record.name}: {record.getMessage()}")


def _block(b) -> dict:
    d = {f.name: getattr(b, f.name) for f in dataclasses.fields(b)}
    d["pieces"] = [list(x) for x in d["pieces"]]
    d["removed"] = [list(x) for x in d["removed"]]
    return d


def dump(p: Path, out_dir: Path, rel: str) -> float:
    lang = lang_of(p)
    rec = _Records()
    root = logging.getLogger("aligner")
    root.addHandler(rec)
    old = root.level
    root.setLevel(logging.INFO)
    rows: list[dict] = []
    t0 = time.process_time()
    try:
        try:
            doc = read_document(p, lang)
        except Exception as e:  # recorded, not hidden: the same error must come back after the change
            rows.append({"file": rel, "lang": lang, "error": f"{type(e).__name__}: {e}"})
        else:
            rows.append({"file": rel, "lang": lang, "format": doc.format, "encoding": doc.encoding,
                         "notes": doc.notes, "stats": doc.stats, "n_chars": len(doc.text),
                         "n_blocks": len(doc.blocks)})
            rows += [{"block": _block(b)} for b in doc.blocks]
            for split_labels in (False, True):
                for s in segment_document(doc, lang, split_labels=split_labels):
                    rows.append({"sent": dataclasses.asdict(s) if dataclasses.is_dataclass(s) else repr(s),
                                 "split_labels": split_labels})
    finally:
        root.removeHandler(rec)
        root.setLevel(old)
    cpu = time.process_time() - t0
    rows.insert(1, {"log": rec.lines})
    name = re.sub(r"[^A-Za-z0-9._-]", "_", rel) + ".jsonl"
    with open(out_dir / name, "w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False, sort_keys=True, default=repr) + "\n")
    return cpu


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("--only", default="", help="only inputs whose path holds this substring")
    a = ap.parse_args()
    a.out_dir.mkdir(parents=True, exist_ok=True)
    total = 0.0
    n = 0
    for p in inputs():
        try:
            rel = str(p.relative_to(ROOT))
        except ValueError:
            rel = "shared/" + str(p.relative_to(SHARED))
        if a.only and a.only not in rel:
            continue
        cpu = dump(p, a.out_dir, rel)
        total += cpu
        n += 1
        print(f"{cpu:8.2f}s  {rel}", file=sys.stderr)
    print(f"{n} files, {total:.1f} s CPU in reading and segmenting", file=sys.stderr)


if __name__ == "__main__":
    main()
