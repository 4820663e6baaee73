"""Batch job discovery: a folder of NAME.<src>/NAME.<tgt> pairs (plain text, or documents in any mix of formats:
NAME.zh.pdf with NAME.en.docx), or a manifest of SRC<TAB>TGT[<TAB>OUT] lines."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from ..read import FORMATS as READ_FORMATS
from ..formats.writers import FORMATS
from ..outputs import BATCH_EXTENSIONS

#: output file extension of each format when the batch names the outputs itself (moses adds .<lang> to the stem)
EXTENSIONS = BATCH_EXTENSIONS


@dataclass
class Job:
    """One document pair and where its outputs go: ``targets`` is a list of (path, format name)."""

    name: str
    src: Path
    tgt: Path
    targets: list[tuple[Path, str]] = field(default_factory=list)

    def output_files(self, src_lang: str, tgt_lang: str) -> list[Path]:
        """Every file the pair writes (a moses target is two files)."""
        files = []
        for out, fmt in self.targets:
            files += [Path(f"{out}.{src_lang}"), Path(f"{out}.{tgt_lang}")] if fmt == "moses" else [Path(out)]
        return files


def discover_jobs(batch: Path | None, manifest: Path | None, out_dir: Path, src_lang: str, tgt_lang: str,
                  pre_split: bool, fmt_name: str) -> list[Job]:
    """The pairs of ``--batch DIR`` or ``--manifest FILE``, each with one output in ``fmt_name``."""
    fmt_name = fmt_name.lower()
    if fmt_name not in FORMATS:
        raise InputError(f"unknown output format {fmt_name!r}; choose one of {', '.join(FORMATS)}")
    ext = EXTENSIONS[fmt_name]
    jobs: list[Job] = []
    if manifest is not None:
        manifest = Path(manifest)
        if not manifest.is_file():
            raise InputError(f"{manifest}: no such file")
        for n, line in enumerate(manifest.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.split("\t")
            if len(parts) < 2:
                raise InputError(f"{manifest}:{n}: expected SRC<TAB>TGT[<TAB>OUT]")
            src, tgt = Path(parts[0]), Path(parts[1])
            out = Path(parts[2]) if len(parts) > 2 and parts[2].strip() else out_dir / (src.name.split(".")[0] + ext)
            jobs.append(Job(src.name.split(".")[0] if len(parts) < 3 else out.name, src, tgt, [(out, fmt_name)]))
        return jobs
    batch = Path(batch)
    if not batch.is_dir():
        raise InputError(f"{batch}: not a folder")
    order = [(f".{src_lang}", f".{tgt_lang}"), (f".{src_lang}.txt", f".{tgt_lang}.txt")]
    if not pre_split:
        order.reverse()
    for s_suf, t_suf in order:
        for src in sorted(batch.glob(f"*{s_suf}")):
            name = src.name[: -len(s_suf)]
            tgt = batch / f"{name}{t_suf}"
            if tgt.exists():
                jobs.append(Job(name, src, tgt, [(out_dir / f"{name}{ext}", fmt_name)]))
        if jobs:
            break
    if not pre_split:   # documents: NAME.zh.pdf with NAME.en.pdf, .docx, .html, .md … (one sentence a line is text)
        paired = {j.name for j in jobs}
        for name, src, tgt in _document_pairs(batch, src_lang, tgt_lang):
            if name not in paired:
                jobs.append(Job(name, src, tgt, [(out_dir / f"{name}{ext}", fmt_name)]))
        jobs.sort(key=lambda j: j.name)
    if not jobs:
        kinds = ", ".join(sorted({e for e in READ_FORMATS if e != ".text"}))
        raise InputError(f"{batch}: no NAME.{src_lang}/NAME.{tgt_lang} pairs found (plain text, or NAME.{src_lang}.EXT "
                         f"with EXT one of {kinds})")
    return jobs


def _forms(batch: Path, lang: str) -> dict[str, dict[str, Path]]:
    """NAME -> {extension: file} for the files ``NAME.<lang>.EXT`` of ``batch`` with a reader's extension."""
    out: dict[str, dict[str, Path]] = {}
    for ext in READ_FORMATS:
        for f in batch.glob(f"*.{lang}{ext}"):
            if f.is_file():
                out.setdefault(f.name[: -len(f".{lang}{ext}")], {})[ext] = f
    return out


def _document_pairs(batch: Path, src_lang: str, tgt_lang: str) -> list[tuple[str, Path, Path]]:
    """Each NAME with one form on each side (any mix: a PDF with a Word file), or the same extension on both sides
    when a side has several forms; a NAME whose pairing is ambiguous is an error that says so (use --manifest)."""
    src_forms, tgt_forms = _forms(batch, src_lang), _forms(batch, tgt_lang)
    pairs = []
    for name in sorted(src_forms.keys() & tgt_forms.keys()):
        s, t = src_forms[name], tgt_forms[name]
        same = sorted(s.keys() & t.keys())
        if len(s) == 1 and len(t) == 1:
            pairs.append((name, next(iter(s.values())), next(iter(t.values()))))
        elif len(same) == 1:
            pairs.append((name, s[same[0]], t[same[0]]))
        else:
            files = ", ".join(sorted(p.name for p in [*s.values(), *t.values()]))
            raise InputError(f"{batch}: {name} has several forms ({files}): pair them in a --manifest")
    return pairs
