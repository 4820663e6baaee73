"""The review page: one self-contained HTML file to check and correct an alignment in a browser.

:func:`write_review` embeds every sentence and bead as JSON in a static template
(``review_assets/``: HTML, CSS and vanilla JavaScript, no network, works from ``file://``). The page renders
one row per bead, filters, sorts and searches, edits (merge, move a sentence to the neighbour, mark as not a
translation, undo) and exports corrected TMX, TSV and JSONL plus the edit log, all built in the browser.
Every row carries ``data-src``/``data-tgt`` (0-based sentence ids, comma-separated) and ``data-score``.
"""
from __future__ import annotations

import json
import math
import os
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path

from aligner.formats.writers import atomic_write, document_name, tmx_props, xml_lang, _tool_version
from aligner.model import Alignment

__all__ = ["LOW_SCORE", "review_data", "write_review"]

#: Beads below this confidence are "low" on the page (and highlighted in xlsx): the calibrated score is the
#: probability that the bead is right, so below 0.5 a bead is more likely wrong than right.
LOW_SCORE = 0.5

_LANG_LABELS = {"zh": "中文 Chinese", "en": "English"}
# "<" as \u003c in the embedded JSON: no "</script>" or "<!--" can end the script element early.
_SCRIPT_UNSAFE_RE = re.compile("[<\u2028\u2029]")


@lru_cache(maxsize=None)
def _asset(name: str) -> str:
    return resources.files("aligner.formats").joinpath("review_assets", name).read_text("utf-8")


def _sentence_texts(alignment: Alignment, side: str) -> list[str]:
    """Sentence texts of one side (the page joins them per bead as the writers do)."""
    sentences = alignment.src if side == "src" else alignment.tgt
    return [s.text for s in sentences]


def review_data(alignment: Alignment, *, title: str | None = None, threshold: float = LOW_SCORE,
                src_xml_lang: str | None = None, tgt_xml_lang: str | None = None,
                creationid: str | None = None, document: str | None = None) -> dict:
    """The JSON the page is built from: ``meta``, ``src``/``tgt`` sentence texts and ``beads`` as
    ``[src_ids, tgt_ids, score or None, edit mark]``."""
    n_src, n_tgt = len(alignment.src), len(alignment.tgt)
    beads = []
    for b in alignment.beads:
        if any(not 0 <= i < n_src for i in b.src) or any(not 0 <= j < n_tgt for j in b.tgt):
            raise ValueError(f"a bead refers to sentences {list(b.src)}:{list(b.tgt)} outside the alignment "
                             f"({n_src} source, {n_tgt} target sentences)")
        score = round(b.score, 4) if math.isfinite(b.score) else None
        beads.append([list(b.src), list(b.tgt), score, ""])
    doc = document or document_name(alignment)
    header, unit = tmx_props(alignment, document=doc)
    meta = {
        "title": title or doc or "alignment review",
        "stem": re.sub(r"[^\w.-]+", "_", doc or "alignment") or "alignment",
        "src_lang": alignment.src_lang, "tgt_lang": alignment.tgt_lang,
        "src_label": _LANG_LABELS.get(alignment.src_lang, alignment.src_lang),
        "tgt_label": _LANG_LABELS.get(alignment.tgt_lang, alignment.tgt_lang),
        "src_xml_lang": src_xml_lang or xml_lang(alignment.src_lang),
        "tgt_xml_lang": tgt_xml_lang or xml_lang(alignment.tgt_lang),
        "threshold": threshold, "model": alignment.model, "creationid": creationid or "",
        "tool_version": _tool_version(), "header_props": header, "unit_props": unit,
        "segtype": alignment.unit,   # the exported TMX's header segtype, as write_tmx sets it
    }
    return {"meta": meta, "src": _sentence_texts(alignment, "src"), "tgt": _sentence_texts(alignment, "tgt"),
            "beads": beads}


def _script_json(obj) -> str:
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    return _SCRIPT_UNSAFE_RE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _html_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def write_review(alignment: Alignment, path: str | os.PathLike, *, title: str | None = None,
                 threshold: float = LOW_SCORE, src_xml_lang: str | None = None, tgt_xml_lang: str | None = None,
                 creationid: str | None = None, document: str | None = None, **_ignored) -> Path:
    """Write the review page for ``alignment`` to ``path`` (atomically). Every bead is on the page, 1-0/0-1
    ones included; ``threshold`` is the initial "low confidence" cut (changeable on the page)."""
    path = Path(path)
    data = review_data(alignment, title=title, threshold=threshold, src_xml_lang=src_xml_lang,
                       tgt_xml_lang=tgt_xml_lang, creationid=creationid, document=document)
    page = _asset("review.html")
    # one pass, so that a text containing "{{SCRIPT}}" is never substituted twice
    parts = {"{{TITLE}}": _html_text(data["meta"]["title"]), "{{STYLE}}": _asset("review.css"),
             "{{SCRIPT}}": _asset("review.js"), "{{DATA}}": _script_json(data)}
    page = re.sub(r"\{\{(TITLE|STYLE|SCRIPT|DATA)\}\}", lambda m: parts[m.group()], page)
    with atomic_write(path) as fh:
        fh.write(page)
    return path
