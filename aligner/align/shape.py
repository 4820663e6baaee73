"""Punctuation shape of a sentence: how it ends, and whether it opens or closes a quotation.

Dialogue in fiction, and quoted speech in news and speeches, is cut into sentences differently in
Chinese and English (the speech and its attribution, "he said", can be one sentence or two). Whether the
last sentences of a candidate bead agree in these marks, and whether both sides open or close the same
number of quotations, is evidence on where a bead ends that the embedding does not see. Language-neutral:
Chinese and English marks, curly and straight quotes.
"""
from __future__ import annotations

import re

import numpy as np

_CLOSING = "\"'”’」』»›）)"   # what may follow a sentence's final punctuation
_QUESTION, _EXCLAIM = "?？", "!！"
_OPEN = "“「『«"
_CLOSE = "”」』»"
_SENTENCE_PUNCT = ".,!?;:—–-…"
_ANY_QUOTE = re.compile("[\"'‘’“”「」『』«»]")


def quote_balance(text: str) -> int:
    """Opening minus closing quotation marks.

    Straight and single quotes count by position: at the start of a word they open; after punctuation they close;
    between letters (``don't``) they are apostrophes. A single quote right after a letter closes only a quotation
    opened in the same sentence (``'go' and``) or at the end of the sentence; elsewhere it is a plural possessive
    (``the workers' rights``), which must not look like an unbalanced quotation.
    """
    if not _ANY_QUOTE.search(text):
        return 0
    bal = 0
    single_open = 0
    for k, c in enumerate(text):
        if c in _OPEN:
            bal += 1
            continue
        if c in _CLOSE:
            bal -= 1
            continue
        if c not in "'‘’\"":
            continue
        before = text[k - 1] if k else " "
        after = text[k + 1] if k + 1 < len(text) else " "
        if before.isalnum() and after.isalnum():
            continue
        single = c != '"'
        if c == "‘" or (not before.isalnum() and before not in _SENTENCE_PUNCT and (after.isalnum() or after in "‘“")):
            bal += 1
            single_open += single
        elif before in _SENTENCE_PUNCT or (before.isalnum() and (
                not single or single_open > 0 or not any(ch.isalnum() for ch in text[k + 1:]))):
            bal -= 1
            single_open = max(0, single_open - single)
    return max(-3, min(3, bal))


def end_shapes(texts: list[str]) -> np.ndarray:
    """Per sentence: (ends with a closing quote or bracket, final punctuation class, quote balance).

    The class is 1 for a question, 2 for an exclamation, 0 otherwise, read before any closing quotes, so
    ``他问：“去吗？”`` and ``'Going?'`` both give (1, 1, 0).
    """
    out = np.zeros((len(texts), 3), dtype=np.int8)
    for k, t in enumerate(texts):
        out[k, 2] = quote_balance(t)
        t = t.rstrip()
        core = t.rstrip(_CLOSING + " ")
        out[k, 0] = len(core) < len(t)
        last = core[-1:] if core else ""
        out[k, 1] = 1 if last and last in _QUESTION else 2 if last and last in _EXCLAIM else 0
    return out
