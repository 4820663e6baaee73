"""Sentences of a :class:`~aligner.document.Document`: split block by block, never across a block.

Headings, table rows, figures and furniture are one unit each; an article number alone on its line (``第一条``,
``Article 5``) is a heading block, hence a unit of its own; one that opens a paragraph on the same line
(``第一条　公民……``) becomes its own unit only with ``split_labels=True``.  ``Sentence.para`` is the block id,
``kind`` the block's kind and ``label`` the block's numbering (on the block's first unit).
"""
from __future__ import annotations

from ..document import SET_ASIDE_KINDS, Document
from ..model import Sentence
from .split import spans_from_cuts, split_sentences

#: kinds whose block is one unit whatever its punctuation
WHOLE_KINDS = frozenset({"heading", "furniture", "cell", "figure"})


def segment_document(doc: Document, lang: str, keep_notes: bool = False,
                     split_labels: bool = False) -> list[Sentence]:
    """Sentences of ``doc`` in reading order (code always left out; notes and furniture unless ``keep_notes``).

    Spans (``start``, ``end``) point into ``doc.text``.  ``split_labels`` makes an article number that opens a
    paragraph (``第一条　公民……``) a unit of its own; by default it stays with the article's first sentence (the
    number is also in that sentence's ``label``), as in the published translations of laws, where one line is
    one unit.
    """
    from . import normalise_lang
    from ..read.labels import find_label

    code = normalise_lang(lang)
    out: list[Sentence] = []
    for b in doc.blocks:
        if b.kind in SET_ASIDE_KINDS and not (keep_notes and b.kind in ("note", "furniture")):
            continue
        text = b.text
        label = b.label
        offset = 0
        if split_labels and label and b.kind not in WHOLE_KINDS and text.startswith(label):
            lab = find_label(text)
            rest = text[len(label):]
            if lab is not None and lab.kind in ("article", "division") and rest.strip():
                s, e = b.orig_span(0, len(label))
                out.append(Sentence(text=label, index=len(out), para=b.para, start=s, end=e, kind="heading",
                                    label=label))
                label = ""
                offset = len(text) - len(rest)
        body = text[offset:]
        if b.kind in WHOLE_KINDS:
            spans = spans_from_cuts(body, [])
        else:
            spans = split_sentences(body, code)
        first = True
        for s, e in spans:
            o_s, o_e = b.orig_span(s + offset, e + offset)
            out.append(Sentence(text=body[s:e], index=len(out), para=b.para, start=o_s, end=o_e, kind=b.kind,
                                label=label if first else ""))
            first = False
    return out
