"""Joining the lines of one block (:func:`_join`): the space or no space at a line break (:func:`_needs_space`),
line-end hyphens (:func:`_dehyphenate`), footnote markers taken out, the gaps a PDF put between Han characters
(:data:`HAN_GAP`, :func:`_han_gaps`); every joined block keeps the map back to the input offsets.
"""
from __future__ import annotations

import re

from ... import chars
from .blocks import Block
from .lines import _Line, _is_cjk, _is_wide


#: words before a line-end hyphen that make a compound: the hyphen stays ("self-\ndetermination")
_HYPHEN_KEEP_PREFIX = {
    "self", "ex", "all", "well", "half", "cross", "so", "non", "quasi", "vice", "one", "two", "three", "four",
    "five", "long", "short", "high", "low", "full", "part", "twenty", "thirty", "forty", "fifty", "sixty",
    "seventy", "eighty", "ninety", "mid", "post", "pre", "anti", "co", "follow", "decision", "policy",
    "case", "state", "peace", "time", "cost", "gender", "rights", "region", "country", "community", "fact",
    "finding", "capacity", "know", "small", "large", "medium", "war", "ill", "de", "re", "best", "worst",
    "low", "like", "open", "end", "built", "multi", "inter", "intra",
}

#: prefixes written solid: a line-end hyphen after them goes ("inter-\nnational")
_HYPHEN_JOIN_PREFIX = {"inter", "intra", "multi", "re", "de", "pre", "post", "co", "anti"}

#: a Latin word (the right half of a hyphenated line end)
_WORD_RE = re.compile(r"[A-Za-z]+")

#: Han characters and CJK punctuation (not Hangul: Korean has word spaces)
HAN_CHARS = chars.HAN_TEXT

#: one space between a Han character and a Han character, letter or digit (either order): in text extracted from
#: a PDF, a gap the typesetter left there (spacing between Chinese and Latin text, a justified Chinese line
#: stretched: "议程项目 34、71 和 135", "部 长级 理事会"), not a word space: Chinese has none
HAN_GAP = re.compile(f"(?<=[{HAN_CHARS}]) (?=[{HAN_CHARS}A-Za-z0-9])|(?<=[A-Za-z0-9]) (?=[{HAN_CHARS}])")

#: in plain text (pdftotext), where a typed space cannot be told from a gap, only one space between two Han
#: characters is taken for a gap: a space between Chinese and Latin text or digits is often typed ("图 7.1 2023")
HAN_HAN_GAP = re.compile(f"(?<=[{HAN_CHARS}]) (?=[{HAN_CHARS}])")

#: a line of pdftotext's Chinese is a stretched justified line when it holds at least this many spaces between Han
#: characters (the stretch opens every gap of the line: "部 长级 理事会"); one is a separator the text typed
#: ("公布施行 根据", "第一百三十九条 各民族")
HAN_STRETCH_MIN = 2


def _han_gaps(text: str, a: int, b: int, keep: int = -1) -> list[tuple[int, int]]:
    """The segment ``text[a:b]`` cut around its :data:`HAN_HAN_GAP` spaces (the one at offset ``keep`` stays), when
    it holds :data:`HAN_STRETCH_MIN` of them or more."""
    gaps = [m for m in HAN_HAN_GAP.finditer(text, a, b) if m.start() != keep]
    if len(gaps) < HAN_STRETCH_MIN:
        return [(a, b)]
    out, cur = [], a
    for m in gaps:
        out.append((cur, m.start()))
        cur = m.end()
    out.append((cur, b))
    return out


def _join(text: str, group: list[_Line], zh: bool, *, dehyphen: bool, markers: bool,
          marker_spans: dict[int, list[tuple[int, int]]] | None = None, doc_words: dict | None = None,
          han_gaps: bool = False, label_lines: set[int] | frozenset = frozenset()) -> Block:
    """Join the lines of one block; returns a Block with pieces/removed filled in.  ``han_gaps``: drop the
    :data:`HAN_HAN_GAP` spaces of a stretched line (PDF text in Chinese), except the one after a number opening the
    block ("第二条 授权")."""
    out: list[str] = []
    pieces: list[tuple[int, int]] = []
    removed: list[tuple[int, str]] = []
    n = 0
    prev_last = ""
    for li, ln in enumerate(group):
        # segments of this line after removing footnote markers
        segs: list[tuple[int, int]] = []
        cur = ln.start
        for ms, me in (marker_spans or {}).get(ln.idx, []):
            segs.append((cur, ms))
            removed.append((ms, text[ms:me]))
            cur = me
            # drop the space that followed the marker when it would double up / split CJK
            while cur < ln.end and text[cur] in " \t\u3000" and (zh or ms == ln.start or text[ms - 1] == " "):
                cur += 1
        segs.append((cur, ln.end))
        if han_gaps:
            keep = -1
            if li == 0:
                from ...read.labels import find_label  # lazy: aligner.read imports this module
                lab = find_label(text[ln.start:ln.end])
                keep = ln.start + len(text[ln.start:ln.start + lab.end].rstrip()) if lab is not None else -1
            segs = [piece for a, b in segs for piece in _han_gaps(text, a, b, keep)]
        segs = [(a, b) for a, b in segs if b > a]
        if not segs:
            continue
        first = text[segs[0][0]]
        if out:
            # the joint with the previous line
            word_hyphen = prev_last == "-" and len(out[-1]) >= 2 and out[-1][-2].isalpha() and first.isalpha()
            if dehyphen and word_hyphen and _dehyphenate(out, text, first, segs, doc_words):
                # remove the hyphen at the end of ``out``
                hy_orig = _last_orig(pieces, n)
                removed.append((hy_orig, "-"))
                out[-1] = out[-1][:-1]
                n -= 1
                if pieces and pieces[-1][0] > n:
                    pieces.pop()
            elif word_hyphen and not zh:
                pass  # a compound cut after its hyphen: "self-\ndetermination"
            elif _needs_space(prev_last, first, zh) or (group[li - 1].idx in label_lines and first != " "):
                # (a list number printed alone is followed by a space in Chinese too: "b. 在最大可能范围内")
                pieces.append((n, group[li - 1].end if li > 0 else segs[0][0] - 1))
                out.append(" ")
                n += 1
        for a, b in segs:
            pieces.append((n, a))
            s = text[a:b]
            out.append(s)
            n += len(s)
        prev_last = out[-1][-1] if out and out[-1] else prev_last
    joined = "".join(out)
    st = group[0].start
    en = group[-1].end
    return Block(joined, "text", st, en, 0, pieces, removed, [ln.idx for ln in group])


def _last_orig(pieces: list[tuple[int, int]], n: int) -> int:
    t, o = pieces[-1]
    return o + (n - 1 - t)


def _needs_space(a: str, b: str, zh: bool) -> bool:
    if not a or not b:
        return False
    if a == " " or b == " ":
        return False
    if _is_wide(a) or _is_wide(b) or _is_cjk(a) or _is_cjk(b):
        return False
    if a in "—" and not zh:
        return False  # "word—\nword"
    if zh:
        # Latin/digits on both sides of the break inside Chinese text: "Vienna\nDeclaration", "2\n日" no
        return a.isalnum() and b.isalnum()
    return True


def _dehyphenate(out: list[str], text: str, first: str, segs, doc_words) -> bool:
    """Should "left-\\nright" lose its hyphen?"""
    if not first.isalpha() or not first.islower():
        return False  # "Secretary-\nGeneral", "2001-\n2010"
    tail = out[-1]
    m = re.search(r"([A-Za-z]+)-$", tail)
    if not m:
        return False
    if len(tail) >= 2 and tail[-2] == "-":
        return False  # "--"
    left = m.group(1)
    m2 = _WORD_RE.match(text, segs[0][0])
    right = m2.group(0) if m2 else ""
    if doc_words:
        joined = (left + right).lower()
        hyph = (left + "-" + right).lower()
        if doc_words.get(hyph, 0) > doc_words.get(joined, 0):
            return False
        if doc_words.get(joined, 0) > 0:
            return True
    # a hyphenated compound earlier in the left word ("case-by-\ncase") keeps its hyphens
    before = tail[: m.start()]
    if before.endswith("-"):
        return False
    low = left.lower()
    if low in _HYPHEN_JOIN_PREFIX:
        return True
    if low in _HYPHEN_KEEP_PREFIX:
        return False
    return True
