"""Segmentation stage: reflow of PDF-extracted text, then sentence splitting, for Chinese and English.

Public API (stable, used by the CLI, the API layer and the aligners)::

    segment(text, lang, *, reflow=None, keep_notes=False) -> list[Sentence]
    pre_split(text) -> list[Sentence]
    split_sentences(paragraph, lang) -> list[tuple[int, int]]
    reflow(text, lang) -> ReflowResult
    render_reflow(result, keep_notes=False) -> str
    secondary_splits(sentence, lang) -> list[int]

All functions are pure; none of them prints.  See docs/segmentation.md for the conventions.
"""
from __future__ import annotations

from .._callable import make_callable
from ..errors import InputError
from ..model import Sentence
from .layout import Block, ReflowResult, looks_wrapped, reflow, render_reflow
from .split import secondary_splits, split_sentences

__all__ = [
    "Block", "ReflowResult", "InputError", "looks_wrapped", "normalise_lang", "pre_split", "reflow", "render_reflow",
    "secondary_splits", "segment", "segment_document", "split_sentences",
]

SKIPPED_KINDS = frozenset({"furniture", "note"})


def normalise_lang(lang: str) -> str:
    """``zh``/``en`` for the many ways of naming them (``zh-CN``, ``chinese``, ``eng``…); else InputError."""
    low = (lang or "").strip().lower().replace("_", "-")
    if low in ("zh", "cn", "chinese") or low.startswith("zh-") or low in ("zho", "chi", "cmn"):
        return "zh"
    if low in ("en", "english", "eng") or low.startswith("en-"):
        return "en"
    raise InputError(f"unsupported language {lang!r}: expected 'zh' or 'en'")


def _clean_input(text: object) -> str:
    if not isinstance(text, str):
        if isinstance(text, (bytes, bytearray)):
            try:
                text = bytes(text).decode("utf-8")
            except UnicodeDecodeError as exc:
                raise InputError(f"input is not valid UTF-8 text: {exc}") from None
        else:
            raise InputError(f"expected text (str), got {type(text).__name__}")
    return text


def segment(text: str, lang: str, *, reflow: bool | None = None, keep_notes: bool = False) -> list[Sentence]:
    """Split ``text`` into sentences.

    ``reflow=None`` auto-detects PDF-like layout (lines wrapped at the page width) and reflows only then;
    ``True`` forces the reflow stage, ``False`` treats blank lines (or, when there are none, line breaks)
    as paragraph ends.  Spans (``start``, ``end``) point into ``text``; ``text[start:end]`` contains the
    sentence, possibly with the line breaks, hyphens and footnote markers that reflow removed.  Page
    furniture and footnote bodies are left out unless ``keep_notes=True``.  ``para`` is the id of the
    block in :func:`reflow`'s result (stable whether notes are kept or not).
    """
    text = _clean_input(text)
    code = normalise_lang(lang)
    from . import layout as _rf

    result = _rf.reflow(text, code, force=reflow)
    out: list[Sentence] = []
    for block in result.blocks:
        if block.kind in SKIPPED_KINDS and not keep_notes:
            continue
        spans = _whole(block) if block.kind == "furniture" else split_sentences(block.text, code)
        for s, e in spans:
            o_s, o_e = block.orig_span(s, e)
            out.append(Sentence(text=block.text[s:e], index=len(out), para=block.para, start=o_s, end=o_e,
                                kind=block.kind))
    return out


def segment_document(doc, lang: str, keep_notes: bool = False, split_labels: bool = False) -> list[Sentence]:
    """Sentences of a :class:`~aligner.document.Document`, never across one of its blocks (see
    :mod:`aligner.segment.by_block`)."""
    from .by_block import segment_document as _sd

    return _sd(doc, lang, keep_notes, split_labels)


def _whole(block: Block) -> list[tuple[int, int]]:
    from .split import spans_from_cuts

    return spans_from_cuts(block.text, [])


def pre_split(text: str) -> list[Sentence]:
    """One sentence per non-blank line (stripped), with spans into ``text``; ``para`` = id of the
    block of consecutive non-blank lines the line belongs to."""
    text = _clean_input(text)
    out: list[Sentence] = []
    para = 0
    pos = 0
    prev_blank = True
    seen = False
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        stripped = body.strip()
        if not stripped:
            prev_blank = True
        else:
            if prev_blank and seen:
                para += 1
            lead = len(body) - len(body.lstrip())
            out.append(Sentence(text=stripped, index=len(out), para=para, start=pos + lead,
                                end=pos + lead + len(stripped), kind="text"))
            seen = True
            prev_blank = False
        pos += len(line)
    return out


# ``aligner.segment`` is this package and the function above at once (see aligner/_callable.py): the function alone,
# bound on ``aligner``, would hide the package from ``import aligner.segment.layout as L``
make_callable(__name__, __name__, "segment")
