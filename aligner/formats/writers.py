"""Writing an :class:`~aligner.model.Alignment`: TMX, TSV, JSONL, ``.align`` and Moses.

Every file is written atomically (:func:`atomic_write`): a failed write leaves no partial
output and an existing file untouched. Which beads each format holds:

=========  ============================  ===================  ===========
format     file(s)                       1-0 / 0-1 beads      min_score
=========  ============================  ===================  ===========
tsv        OUT.tsv, with a header line   kept (empty side)    ignored
jsonl      OUT.jsonl, one bead a line    kept (empty side)    ignored
align      OUT.align, ``[0,1]:[0]:0.91``  kept (``[]:[3]``)    ignored
moses      OUT.<src_lang>, OUT.<tgt>     left out             applied
tmx        OUT.tmx (TMX 1.4b)            left out             applied
html       OUT.html, the review page     kept (own row)       ignored
xlsx       OUT.xlsx, one bead a row      kept (empty cell)    ignored
=========  ============================  ===================  ===========

The formats holding every bead can be read back losslessly (ids and scores to 4
decimals); TMX and Moses are for translation tools, which want real pairs only.
Line-based formats (TSV, Moses) and TMX segments replace tabs and line breaks inside a
text with spaces; JSONL keeps texts as they are.
"""
from __future__ import annotations

import json
import math
import os
import re
import stat
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import TextIO

from aligner.errors import InputError
from aligner.formats.align_file import format_bead, format_score
from aligner.model import Alignment, Bead
from aligner.segment.join import join_sentences

__all__ = [
    "EXTENSIONS",
    "FORMATS",
    "TSV_COLUMNS",
    "XML_LANGS",
    "atomic_write",
    "bead_texts",
    "canonical_xml_lang",
    "document_name",
    "format_for",
    "join_sentences",
    "moses_paths",
    "moses_paths_for",
    "streams_into",
    "tmx_props",
    "write_align",
    "write_alignment",
    "write_jsonl",
    "write_moses",
    "write_tmx",
    "write_tsv",
    "xml_lang",
]

PathLike = str | os.PathLike


# --------------------------------------------------------------------------- atomic files

_umask: int | None = None


def _new_file_mode(path: Path) -> int:
    """An existing file's mode, else what ``open()`` would give a new file."""
    global _umask
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        pass
    if _umask is None:
        _umask = os.umask(0o022)
        os.umask(_umask)
    return 0o666 & ~_umask


#: Output names that mean the process's standard output / error streams.
_STDOUT_NAMES = ("-", "/dev/stdout")
_STDERR_NAMES = ("/dev/stderr",)


def streams_into(path: PathLike) -> bool:
    """True if writing ``path`` must stream into it rather than replace it: ``-`` (stdout),
    ``/dev/stdout``, a FIFO, a character device, a socket, or anything under ``/dev`` or
    ``/proc`` (``/dev/fd/N``, ``/proc/self/fd/N``). Regular files (and symlinks to them) are
    replaced atomically instead."""
    name = os.fspath(path)
    if name in _STDOUT_NAMES or name in _STDERR_NAMES:
        return True
    try:
        st = os.stat(name)  # follows symlinks
    except OSError:
        return False
    if not stat.S_ISREG(st.st_mode) and not stat.S_ISDIR(st.st_mode):
        return True
    return os.path.realpath(name).startswith(("/dev/", "/proc/"))


@contextmanager
def _stream(path: PathLike) -> Iterator[TextIO]:
    """Write UTF-8 text into a stream-like target, never replacing it (see :func:`streams_into`)."""
    import sys
    name = os.fspath(path)
    if name in _STDOUT_NAMES or name in _STDERR_NAMES:
        std = sys.stdout if name in _STDOUT_NAMES else sys.stderr
        std.flush()
        fd = os.dup(std.fileno())
    else:
        try:
            regular = stat.S_ISREG(os.stat(name).st_mode)
            fd = os.open(name, os.O_WRONLY | (os.O_TRUNC if regular else 0))
        except OSError as e:
            raise InputError(f"{name}: cannot write the output ({e.strerror or e})") from e
    with open(fd, "w", encoding="utf-8", errors="replace", newline="\n") as fh:
        yield fh
        fh.flush()


@contextmanager
def atomic_write(path: PathLike) -> Iterator[TextIO]:
    """Open ``path`` for writing UTF-8 text (``\\n`` line ends), atomically.

    The text goes to a temporary file in the same directory, which is flushed, fsynced and
    renamed over ``path`` when the block ends. If the block raises, the temporary file is
    removed and ``path`` is left as it was. Missing parent directories are created. An
    ``OSError`` (unwritable directory, full disk) becomes an :class:`InputError`.

    A symlink to a regular file is written through (its target is replaced, the link kept).
    ``-``, ``/dev/stdout``, FIFOs, character devices and other special files are never
    replaced: the text streams into them (see :func:`streams_into`).
    """
    if streams_into(path):
        with _stream(path) as fh:
            yield fh
        return
    path = Path(path)
    if path.is_symlink():
        path = Path(os.path.realpath(path))
    tmp: str | None = None
    try:
        if path.is_dir():
            raise InputError(f"{path}: cannot write the output, it is a directory")
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8", errors="replace", newline="\n") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, _new_file_mode(path))
        os.replace(tmp, path)
        tmp = None
    except OSError as e:
        raise InputError(f"{path}: cannot write the output ({e.strerror or e})") from e
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


# --------------------------------------------------------------------------- bead texts

# Chinese/Japanese characters and punctuation, full-width forms (not Hangul: Korean
# separates words with spaces).
_LINE_BREAK_RE = re.compile("[\t\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
# Characters XML 1.0 does not allow (its Char production), lone surrogates included.
_XML_ILLEGAL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def bead_texts(alignment: Alignment, bead: Bead) -> tuple[str, str]:
    """The source and target text of a bead: ``bead.src_text``/``tgt_text`` where set,
    else the bead's sentences joined with :func:`join_sentences`."""
    return (bead.src_text or _side_text(alignment.src, bead.src, "source", alignment.src_lang),
            bead.tgt_text or _side_text(alignment.tgt, bead.tgt, "target", alignment.tgt_lang))


def _side_text(sentences, ids, side, lang) -> str:
    try:
        return join_sentences((sentences[i].text for i in ids), lang)
    except IndexError:
        raise ValueError(f"a bead refers to {side} sentence ids {list(ids)}, "
                         f"but the alignment has {len(sentences)} {side} sentences") from None


def _one_line(text: str) -> str:
    return _LINE_BREAK_RE.sub(" ", text)


def _kept(beads: Iterable[Bead], min_score: float | None) -> Iterator[Bead]:
    """Real pairs (no 1-0/0-1) scoring at least ``min_score`` (NaN scores never do)."""
    for bead in beads:
        if bead.is_null or (min_score is not None and not bead.score >= min_score):
            continue
        yield bead


def _ids(ids) -> str:
    return ",".join(map(str, ids))


# --------------------------------------------------------------------------- formats

TSV_COLUMNS = ("src_ids", "tgt_ids", "score", "type", "src_text", "tgt_text")


def write_tsv(alignment: Alignment, path: PathLike) -> Path:
    """Tab-separated, header line :data:`TSV_COLUMNS`, every bead. Ids are comma-separated
    (empty for an empty side), the score has 4 decimals, texts are on one line."""
    path = Path(path)
    with atomic_write(path) as fh:
        fh.write("\t".join(TSV_COLUMNS) + "\n")
        for bead in alignment.beads:
            src, tgt = bead_texts(alignment, bead)
            fh.write(f"{_ids(bead.src)}\t{_ids(bead.tgt)}\t{format_score(bead.score)}\t"
                     f"{bead.type}\t{_one_line(src)}\t{_one_line(tgt)}\n")
    return path


# Legal raw in a JSON string, but str.splitlines() breaks lines there: written escaped.
_JSON_LINE_BREAK_RE = re.compile("[\x85\u2028\u2029]")


def _json_line(obj: dict) -> str:
    line = json.dumps(obj, ensure_ascii=False)
    return _JSON_LINE_BREAK_RE.sub(lambda m: f"\\u{ord(m.group()):04x}", line) + "\n"


def write_jsonl(alignment: Alignment, path: PathLike) -> Path:
    """One JSON object per bead (every bead): ``src``, ``tgt`` (id lists), ``src_text``,
    ``tgt_text``, ``score`` (4 decimals; null if not finite), ``type``, ``src_lang``,
    ``tgt_lang``."""
    path = Path(path)
    with atomic_write(path) as fh:
        for bead in alignment.beads:
            src, tgt = bead_texts(alignment, bead)
            score = round(bead.score, 4) if math.isfinite(bead.score) else None
            fh.write(_json_line({
                "src": list(bead.src), "tgt": list(bead.tgt), "src_text": src,
                "tgt_text": tgt, "score": score, "type": bead.type,
                "src_lang": alignment.src_lang, "tgt_lang": alignment.tgt_lang}))
    return path


def write_align(alignment: Alignment, path: PathLike) -> Path:
    """The benchmark's bead format, every bead: ``[0,1]:[0]:0.9123``, ``[]:[3]:0.0000``."""
    path = Path(path)
    with atomic_write(path) as fh:
        for bead in alignment.beads:
            fh.write(format_bead(bead.src, bead.tgt, bead.score) + "\n")
    return path


def moses_paths(alignment: Alignment, path: PathLike) -> tuple[Path, Path]:
    """``OUT.<src_lang>`` and ``OUT.<tgt_lang>`` (a ``.moses`` suffix of ``path`` dropped)."""
    return moses_paths_for(path, alignment.src_lang, alignment.tgt_lang)


def moses_paths_for(path: PathLike, src_lang: str, tgt_lang: str) -> tuple[Path, Path]:
    """:func:`moses_paths` from the two language codes (to check outputs before aligning)."""
    if os.fspath(path) == "-" or streams_into(path):
        raise InputError(f"{os.fspath(path)}: Moses output is two files (OUT.{src_lang}, OUT.{tgt_lang}); "
                         "give a file name, not a stream")
    path = Path(path)
    if path.suffix.lower() == ".moses":
        path = path.with_suffix("")
    if src_lang == tgt_lang:
        raise InputError(f"{path}: Moses output needs two different languages, both sides "
                         f"are {src_lang!r}")
    return (path.with_name(f"{path.name}.{src_lang}"),
            path.with_name(f"{path.name}.{tgt_lang}"))


def write_moses(alignment: Alignment, path: PathLike, *,
                min_score: float | None = None) -> list[Path]:
    """Two line-parallel plain-text files, one bead a line (1-0/0-1 beads and beads below
    ``min_score`` left out). Both files are replaced together or not at all."""
    src_path, tgt_path = moses_paths(alignment, path)
    with atomic_write(src_path) as src_fh, atomic_write(tgt_path) as tgt_fh:
        for bead in _kept(alignment.beads, min_score):
            src, tgt = bead_texts(alignment, bead)
            src_fh.write(_one_line(src) + "\n")
            tgt_fh.write(_one_line(tgt) + "\n")
    return [src_path, tgt_path]


#: ``xml:lang`` used in TMX for the project's language codes; other codes are used as is.
XML_LANGS = {"zh": "zh-CN", "en": "en-US"}


def xml_lang(lang: str) -> str:
    return XML_LANGS.get(lang, lang)


# BCP 47 as TMX tools use it: language, optional script, optional region (zh, zh-Hans, zh-CN, zh-Hant-TW, en-GB).
_BCP47_RE = re.compile(r"^([A-Za-z]{2,3})(?:[-_]([A-Za-z]{4}))?(?:[-_]([A-Za-z]{2}|[0-9]{3}))?$")


def canonical_xml_lang(code: str) -> str:
    """``zh_cn`` -> ``zh-CN``, ``zh-hans`` -> ``zh-Hans``, ``EN-gb`` -> ``en-GB`` (BCP 47 case conventions,
    which OmegaT, Trados and memoQ compare against); an InputError for anything that is not a language tag."""
    m = _BCP47_RE.match((code or "").strip())
    if not m:
        raise InputError(f"{code!r} is not a language code for TMX: use e.g. zh-CN, zh-TW, zh-Hans, en-US, en-GB")
    lang, script, region = m.groups()
    return "-".join(x for x in (lang.lower(), script and script.title(), region and region.upper()) if x)


def document_name(alignment: Alignment) -> str:
    """The document's name for ``x-document``: ``stats["document"]``, else the source file's name without its
    language and format suffixes (``un-letter.zh.txt`` -> ``un-letter``), else ""."""
    doc = alignment.stats.get("document") if alignment.stats else None
    if doc:
        return str(doc)
    src_file = (alignment.stats or {}).get("src_file")
    if not src_file:
        return ""
    name = Path(str(src_file)).name
    for _ in range(3):
        stem, dot, ext = name.rpartition(".")
        if not dot or not stem or len(ext) > 5 or ext.lower() not in _KNOWN_SUFFIXES | {alignment.src_lang}:
            break
        name = stem
    return name


_KNOWN_SUFFIXES = {"txt", "md", "html", "htm", "pdf", "docx", "doc", "odt", "rtf", "xml", "zh", "en", "cn",
                   "chs", "cht", "eng"}


def tmx_props(alignment: Alignment, *, document: str | None = None) -> tuple[list, list]:
    """``x-`` props for a TMX: header ``[(type, value)]`` (source/target file names, document) and per-unit
    ones (the document, so that it survives the TMX being merged into a bigger memory)."""
    stats = alignment.stats or {}
    doc = document if document is not None else document_name(alignment)
    header = [(f"x-{side}-file", Path(str(stats[key])).name) for side, key in
              (("source", "src_file"), ("target", "tgt_file")) if stats.get(key)]
    if doc:
        header.append(("x-document", doc))
    return header, ([("x-document", doc)] if doc else [])


def _tool_version() -> str:
    from .. import __version__   # the one home of the version string (pyproject.toml reads it too)
    return __version__


def _xml_text(text: str) -> str:
    text = _XML_ILLEGAL_RE.sub("", _one_line(text))
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _xml_attr(text: str) -> str:
    return _xml_text(text).replace('"', "&quot;")


def write_tmx(alignment: Alignment, path: PathLike, *, min_score: float | None = None,
              src_xml_lang: str | None = None, tgt_xml_lang: str | None = None,
              creationdate: datetime | None = None, creationid: str | None = None,
              document: str | None = None) -> Path:
    """TMX 1.4b, one ``<tu>`` per real pair (1-0/0-1 beads and beads below ``min_score``
    left out), each with ``x-align-score`` and ``x-align-type`` props. ``xml:lang`` comes
    from :data:`XML_LANGS` unless given; ``creationdate`` defaults to now (UTC).
    ``creationid`` (the translator's name) goes on the header and every unit; the source and
    target file names (``alignment.stats["src_file"]``/``["tgt_file"]``) and the document name
    (:func:`document_name`, or ``document``) become ``x-`` props (:func:`tmx_props`).
    Characters XML 1.0 forbids are removed from the texts. How many units were written and how
    many were left out for ``min_score`` goes to ``alignment.stats["tmx"]``. The header's ``segtype``
    is ``paragraph`` for paragraph units (:meth:`Alignment.by_paragraph`), else ``sentence``.
    """
    path = Path(path)
    src_lang = _xml_attr(src_xml_lang or xml_lang(alignment.src_lang))
    tgt_lang = _xml_attr(tgt_xml_lang or xml_lang(alignment.tgt_lang))
    when = creationdate or datetime.now(timezone.utc)
    if when.tzinfo is not None:
        when = when.astimezone(timezone.utc)
    cid = f' creationid="{_xml_attr(creationid)}"' if creationid else ""
    header_props, unit_props = tmx_props(alignment, document=document)
    unit_extra = "".join(f'      <prop type="{_xml_attr(k)}">{_xml_text(v)}</prop>\n' for k, v in unit_props)
    written = 0
    with atomic_write(path) as fh:
        fh.write('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n'
                 f'  <header creationtool="aligner" '
                 f'creationtoolversion="{_xml_attr(_tool_version())}" '
                 f'segtype="{alignment.unit}" o-tmf="aligner" adminlang="en-US" '
                 f'srclang="{src_lang}" datatype="plaintext" '
                 f'creationdate="{when:%Y%m%dT%H%M%SZ}"{cid}')
        if header_props:
            fh.write(">\n" + "".join(f'    <prop type="{_xml_attr(k)}">{_xml_text(v)}</prop>\n'
                                     for k, v in header_props) + "  </header>\n  <body>\n")
        else:
            fh.write("/>\n  <body>\n")
        for bead in _kept(alignment.beads, min_score):
            src, tgt = bead_texts(alignment, bead)
            written += 1
            fh.write(f'    <tu{cid}>\n'
                     f'      <prop type="x-align-score">{format_score(bead.score)}</prop>\n'
                     f'      <prop type="x-align-type">{bead.type}</prop>\n'
                     f'{unit_extra}'
                     f'      <tuv xml:lang="{src_lang}"><seg>{_xml_text(src)}</seg></tuv>\n'
                     f'      <tuv xml:lang="{tgt_lang}"><seg>{_xml_text(tgt)}</seg></tuv>\n'
                     f'    </tu>\n')
        fh.write("  </body>\n</tmx>\n")
    pairs = sum(1 for b in alignment.beads if not b.is_null)
    alignment.stats.setdefault("tmx", {})[str(path)] = {"units": written, "below_min_score": pairs - written,
                                                        "min_score": min_score}
    return path


# --------------------------------------------------------------------------- dispatch

#: Output format names, for ``--format``.
FORMATS = ("tmx", "tsv", "jsonl", "align", "moses", "html", "xlsx")
#: File extensions that choose a format (Moses writes two files: name it with ``fmt``).
EXTENSIONS = {".tmx": "tmx", ".tsv": "tsv", ".jsonl": "jsonl", ".align": "align",
              ".moses": "moses", ".html": "html", ".htm": "html", ".xlsx": "xlsx"}


def _write_html(alignment, path, **options):
    from aligner.formats.review import write_review
    return write_review(alignment, path, **options)


def _write_xlsx(alignment, path, **options):
    from aligner.formats.xlsx import write_xlsx
    return write_xlsx(alignment, path, **options)


_WRITERS: dict[str, Callable[..., Path | list[Path]]] = {
    "tmx": write_tmx, "tsv": write_tsv, "jsonl": write_jsonl, "align": write_align,
    "moses": write_moses, "html": _write_html, "xlsx": _write_xlsx,
}


def format_for(out_path: PathLike, fmt: str | None = None) -> str:
    """The format named by ``fmt``, else by the extension of ``out_path``."""
    choices = ", ".join(FORMATS)
    ext = Path(out_path).suffix.lower() if os.fspath(out_path) != "-" else ""
    if fmt is not None:
        name = fmt.lower().lstrip(".")
        if name not in FORMATS:
            raise InputError(f"unknown output format {fmt!r}; choose one of {choices}")
        if ext in EXTENSIONS and EXTENSIONS[ext] != name:
            raise InputError(f"{out_path}: the extension says {EXTENSIONS[ext]} but the format is {name}; "
                             f"make them agree")
        return name
    if os.fspath(out_path) == "-":
        raise InputError("standard output (-o -) needs a format: add -f tmx|tsv|jsonl|align")
    if ext not in EXTENSIONS:
        shown = f"extension {ext!r}" if ext else "no extension"
        raise InputError(f"{out_path}: cannot tell the output format from {shown}; use "
                         f"{', '.join(EXTENSIONS)} or choose a format ({choices})")
    return EXTENSIONS[ext]


def write_alignment(alignment: Alignment, out_path: PathLike, fmt: str | None = None, *,
                    min_score: float | None = None, src_xml_lang: str | None = None,
                    tgt_xml_lang: str | None = None, creationid: str | None = None,
                    document: str | None = None) -> list[Path]:
    """Write ``alignment`` in ``fmt`` (one of :data:`FORMATS`) or in the format of
    ``out_path``'s extension; return the files written. ``min_score`` applies to tmx and
    moses, the xml langs, ``creationid`` and ``document`` to tmx and the review page (html,
    whose in-browser TMX export uses them); the other formats hold every bead."""
    name = format_for(out_path, fmt)
    src_xml_lang = canonical_xml_lang(src_xml_lang) if src_xml_lang else None
    tgt_xml_lang = canonical_xml_lang(tgt_xml_lang) if tgt_xml_lang else None
    kwargs: dict = {}
    if name in ("tmx", "moses"):
        kwargs["min_score"] = min_score
    if name in ("tmx", "html"):
        kwargs.update(src_xml_lang=src_xml_lang, tgt_xml_lang=tgt_xml_lang, creationid=creationid,
                      document=document)
    written = _WRITERS[name](alignment, out_path, **kwargs)
    return written if isinstance(written, list) else [written]
