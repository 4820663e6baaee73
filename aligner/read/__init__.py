"""Readers: a file (plain text, Markdown, HTML, DOCX, PDF) -> :class:`~aligner.document.Document`.

    read_document(path, lang, encoding=None) -> Document      # by extension, checked against the content
    read_txt / read_markdown / read_html / read_docx / read_pdf (path or bytes, lang, ...) -> Document
    set_aside_findings(doc, n_sentences, lang, name) -> (counts, warnings)

What a reader leaves out of alignment (page furniture, footnotes, code, front matter, navigation menus) is kept
in the document as blocks of those kinds, so that it is counted and reported, never lost silently.
"""
from __future__ import annotations

import logging
import os
from pathlib import Path

from ..document import Document
from ..errors import InputError, reading
from .common import source_bytes

log = logging.getLogger(__name__)

__all__ = ["read_document", "read_txt", "read_markdown", "read_html", "read_docx", "read_pdf", "sniff_format",
           "set_aside_findings", "FORMATS"]

#: extension -> reader name
FORMATS = {".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md", ".mdown": "md", ".html": "html",
           ".htm": "html", ".xhtml": "html", ".docx": "docx", ".pdf": "pdf",
           ".doc": "office", ".odt": "office", ".rtf": "office"}   # office: converted by LibreOffice (read/office.py)


def read_txt(src, lang: str, encoding: str | None = None, **kw) -> Document:
    from .text import read_txt as _r
    return _r(src, lang, encoding, **kw)


def read_markdown(src, lang: str, encoding: str | None = None, *, name: str | None = None) -> Document:
    from ..formats.readers import decode_bytes_report
    from .markdown import read_markdown_text
    data, label = source_bytes(src, name)
    text, enc, notes = decode_bytes_report(data, label, encoding)   # notes: an encoding guessed, NUL bytes kept
    return read_markdown_text(text, lang, encoding=enc, notes=notes)


def read_html(src, lang: str, encoding: str | None = None, **kw) -> Document:
    from .html import read_html as _r
    return _r(src, lang, encoding, **kw)


def read_docx(src, lang: str, **kw) -> Document:
    from .docx import read_docx as _r
    return _r(src, lang, **kw)


def read_pdf(src, lang: str, **kw) -> Document:
    from .pdf import read_pdf as _r
    return _r(src, lang, **kw)


def sniff_format(head: bytes, ext: str) -> str:
    """The reader for a file whose first bytes are ``head`` and whose extension is ``ext`` (".pdf")."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    from .office import sniff
    if sniff(head):
        return "office"
    if head.startswith(b"PK\x03\x04"):
        return "docx"
    by_ext = FORMATS.get(ext.lower())
    if by_ext in ("pdf", "docx", "office"):
        return by_ext  # the reader says what is wrong with the content
    if by_ext:
        return by_ext
    low = head[:1024].lstrip().lower()
    for bom in (b"\xef\xbb\xbf",):
        low = low[len(bom):] if low.startswith(bom) else low
    if low.startswith((b"<!doctype html", b"<html")):
        return "html"
    return "txt"


def read_document(path: str | os.PathLike, lang: str, encoding: str | None = None) -> Document:
    """Read ``path`` with the reader its extension names (``.txt`` ``.md`` ``.html`` ``.docx`` ``.pdf``, and ``.doc``
    ``.odt`` ``.rtf`` through LibreOffice; other extensions are sniffed: PDF, OLE, RTF and ZIP signatures, an HTML
    doctype, else text)."""
    p = Path(path)
    with reading(p):
        with open(p, "rb") as fh:
            head = fh.read(2048)
    fmt = sniff_format(head, p.suffix)
    log.debug("%s: read as %s", p, fmt)
    _need(fmt, p)
    if fmt == "pdf":
        return read_pdf(p, lang)
    if fmt == "docx":
        return read_docx(p, lang)
    if fmt == "office":
        from .office import read_office, sniff
        return read_office(p, lang, sniff(head) or p.suffix.lower())
    if fmt == "html":
        return read_html(p, lang, encoding)
    if fmt == "md":
        return read_markdown(p, lang, encoding)
    return read_txt(p, lang, encoding)


#: the package each reader needs beyond the core install (all in the ``docs`` extra)
_PACKAGES = {"pdf": ("pypdfium2", "pypdfium2"), "docx": ("docx", "python-docx"), "office": ("docx", "python-docx"),
             "html": ("lxml", "lxml")}


def _need(fmt: str, path) -> None:
    mod = _PACKAGES.get(fmt)
    if mod is None:
        return
    import importlib.util
    if importlib.util.find_spec(mod[0]) is None:
        raise InputError(f"{path}: reading {fmt.upper()} needs the {mod[1]} package: "
                         "pip install 'aligner[docs]'")


#: set-aside text above this share of a document's text gets a warning
SET_ASIDE_WARN_SHARE = 0.05
#: fewer sentences than characters / this (English) or / ZH value (Chinese) looks like text stuck in one unit:
#: running prose averages about 120 English / 40 Chinese characters a sentence, so this is 4-5x that
EN_CHARS_PER_SENTENCE_MAX = 600
ZH_CHARS_PER_SENTENCE_MAX = 180


def set_aside_findings(doc: Document, n_sentences: int, lang: str, name: str,
                       keep_notes: bool = False) -> tuple[dict, list[str]]:
    """Counts of what was set aside (non-space characters by kind, plus the total) and one-line warnings."""
    counts = doc.set_aside(keep_notes)
    total = sum(1 for c in doc.text if not c.isspace())
    aside = sum(counts.values())
    warnings: list[str] = []
    if total and aside > SET_ASIDE_WARN_SHARE * total:
        parts = ", ".join(f"{k} {v}" for k, v in sorted(counts.items(), key=lambda kv: -kv[1]))
        warnings.append(f"{name}: {100 * aside / total:.0f} % of the text was set aside ({parts} characters)"
                        + ("; --keep-notes keeps notes and furniture" if {"note", "furniture"} & set(counts) else ""))
    kept = total - aside
    per = ZH_CHARS_PER_SENTENCE_MAX if (lang or "").lower().startswith("zh") else EN_CHARS_PER_SENTENCE_MAX
    if kept > 4 * per and n_sentences < kept / per:
        warnings.append(f"{name}: only {n_sentences} sentences from {kept} characters of text: "
                        "paragraphs may have been run together")
    out = dict(counts)
    out["total_chars"] = total
    return out, warnings
