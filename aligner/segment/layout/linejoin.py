"""Joining the lines of one block (:func:`_join`): the space or no space at a line break (:func:`_needs_space`),
line-end hyphens (:func:`_dehyphenate`), footnote markers taken out, the gaps a PDF put between Han characters
(:data:`HAN_GAP`, :func:`_han_gaps`); every joined block keeps the map back to the input offsets.
"""
from __future__ import annotations

import re

from ... import chars
from .blocks import Block
from .lines import _Line, _is_cjk, _is_wide
from .wrap import _HAN_CHAR


#: words before a line-end hyphen that make a compound: the hyphen stays ("self-\ndetermination")
_HYPHEN_KEEP_PREFIX = {
    "self", "ex", "all", "well", "half", "cross", "so", "non", "quasi", "vice", "one", "two", "three", "four",
    "five", "long", "short", "high", "low", "full", "part", "twenty", "thirty", "forty", "fifty", "sixty",
    "seventy", "eighty", "ninety", "mid", "post", "pre", "anti", "co", "follow", "decision", "policy",
    "case", "state", "peace", "time", "cost", "gender", "rights", "region", "country", "community", "fact",
    "finding", "capacity", "know", "small", "large", "medium", "war", "ill", "de", "re", "best", "worst",
    "like", "open", "end", "built", "multi", "inter", "intra",
}

#: prefixes written solid: a line-end hyphen after them goes ("inter-\nnational")
_HYPHEN_JOIN_PREFIX = {"inter", "intra", "multi", "re", "de", "pre", "post", "co", "anti"}

#: a Latin word (the right half of a hyphenated line end)
_WORD_RE = re.compile(r"[A-Za-z]+")

#: a word and the hyphenated words it is part of ("lawyer", "lawyer-client"): the document's vocabulary
_DOC_WORD = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)*")
#: a word broken after a hyphen at a line end ("lawyer-" / "client"; a page break between at most)
_HYPHEN_BREAK = re.compile(r"(?<![A-Za-z])([A-Za-z]+)-[ \t]*\r?\n[\s\f]*([A-Za-z]+)")   # (linear: whole words)
#: the halves of a word broken at a hyphen are taken for words of their own only from this many letters (a
#: hyphenator's syllables are often words: "in-formation", "per-form", "any-where", "sup-ports")
_COMPOUND_HALF_LEAST = 4
#: words English writes closed with another ("furthermore", "somewhere", "everybody", "without", "overall",
#: "meanwhile"): a break after or before one of them is no sign of a hyphenated compound
_CLOSED_COMPOUND_PARTS = frozenset({
    "some", "every", "with", "over", "under", "where", "more", "thing", "body", "ever", "further", "there", "here",
    "able", "what", "when", "while", "ward", "wards", "self", "less", "ness", "ment", "ship", "time", "work"})
#: a soft hyphen: printed only where a line breaks inside a word, never part of the word
SOFT_HYPHEN = "\u00ad"


class _Vocab(dict):
    """Word -> count over a document (lower case; hyphenated words whole, "lawyer-client"), and in ``at_breaks``
    how many of those words are only the halves of a word broken at a hyphen at a line end."""
    at_breaks: dict


def _doc_words(text: str) -> _Vocab:
    """The document's own vocabulary, for the dehyphenation (:func:`_dehyphenate`)."""
    out = _Vocab()
    for m in _DOC_WORD.finditer(text):
        wd = m.group(0).lower()
        out[wd] = out.get(wd, 0) + 1
    out.at_breaks = {}
    for m in _HYPHEN_BREAK.finditer(text):
        for half in (m.group(1).lower(), m.group(2).lower()):
            out.at_breaks[half] = out.at_breaks.get(half, 0) + 1
    return out

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
          han_gaps: bool = False, label_lines: set[int] | frozenset = frozenset(),
          latin_space: frozenset = frozenset()) -> Block:
    """Join the lines of one block; returns a Block with pieces/removed filled in.  ``han_gaps``: drop the
    :data:`HAN_HAN_GAP` spaces of a stretched line (PDF text in Chinese), except the one after a number opening the
    block ("第二条 授权").  ``latin_space``: the Latin classes the document spaces from Han text
    (:func:`_latin_spacing`): a break between them and a Han character is joined with a space."""
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
            soft = prev_last == SOFT_HYPHEN and first.isalpha()   # a soft hyphen always joins: "docu\u00ad" / "ment"
            if soft or (dehyphen and word_hyphen and _dehyphenate(out, text, first, segs, doc_words)):
                # remove the hyphen at the end of ``out``
                hy_orig = _last_orig(pieces, n)
                removed.append((hy_orig, prev_last))
                out[-1] = out[-1][:-1]
                n -= 1
                if pieces and pieces[-1][0] > n:
                    pieces.pop()
            elif word_hyphen and not zh:
                pass  # a compound cut after its hyphen: "self-\ndetermination"
            elif _needs_space(prev_last, first, zh, latin_space) or (group[li - 1].idx in label_lines and first != " "):
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


#: the Latin side of a Han-Latin adjacency, by class: letters and digits are spaced from Han text by different habits
#: (a text may write "使 Rust 独特" but "2018年")
_LATIN_CLASSES = (("letter", "A-Za-z"), ("digit", "0-9"))
#: a class is spaced from Han text in a document when at least this many adjacencies of it with a Han character
#: are seen inside its lines (fewer: no evidence, joins as before)...
_LATIN_SPACE_LEAST = 8
#: ...and at least this share of them hold one space (pandoc's plain text of the docs-dev Markdown 0.98-1.0, Taiwan's
#: laws "第 3 條" 1.0; `pdftotext` of the PRC constitution 0.64, of the CC legal code 0.28: mixed, joined as before)
_LATIN_SPACE_SHARE = 0.8


def _latin_spacing(text: str) -> frozenset:
    """The Latin classes (``letter``, ``digit``) that ``text`` writes spaced from Han characters on its own lines
    ("使 Rust 独特", "图 7.1"): a line break between a Han character and such a character then gets the space back
    when the lines are joined (a wrapper that broke there broke at that space)."""
    han = chars.HAN_BMP
    seen = {}
    for name, cls in _LATIN_CLASSES:
        seen[name] = (len(re.findall(f"[{han}] [{cls}]|[{cls}] [{han}]", text)),
                      len(re.findall(f"[{han}][{cls}]|[{cls}][{han}]", text)))

    def spaced(sp: int, tight: int) -> bool:
        return sp + tight >= _LATIN_SPACE_LEAST and sp >= _LATIN_SPACE_SHARE * (sp + tight)

    # a class seen too rarely to decide alone (a few numbers in a text full of spaced Latin words) follows both
    # classes together, unless what little it shows says otherwise
    pooled = spaced(sum(sp for sp, _ in seen.values()), sum(t for _, t in seen.values()))
    return frozenset(name for name, (sp, t) in seen.items()
                     if spaced(sp, t) or (sp + t < _LATIN_SPACE_LEAST and pooled and sp >= _LATIN_SPACE_SHARE * (sp + t)))


def _last_orig(pieces: list[tuple[int, int]], n: int) -> int:
    t, o = pieces[-1]
    return o + (n - 1 - t)


def han_latin_spaced(a: str, b: str, latin_space: frozenset) -> bool:
    """Are ``a`` and ``b`` (the characters either side of a line break) a Han character and a Latin letter or digit
    of a class the document spaces from Han text (``latin_space``, :func:`_latin_spacing`)?"""
    if not (_HAN_CHAR.match(a) or _HAN_CHAR.match(b)):
        return False
    other = b if _HAN_CHAR.match(a) else a
    return ("letter" in latin_space and "a" <= other.lower() <= "z") or ("digit" in latin_space and "0" <= other <= "9")


def _needs_space(a: str, b: str, zh: bool, latin_space: frozenset = frozenset()) -> bool:
    """Is a space put between ``a`` (a line's last character) and ``b`` (the next line's first)?  ``latin_space``:
    the Latin classes the document spaces from Han text (:func:`_latin_spacing`), and ``narrow`` when the Chinese
    text was wrapped only at spaces (every break next to a narrow character was a space)."""
    if not a or not b:
        return False
    if a == " " or b == " ":
        return False
    if "narrow" in latin_space and not ((_is_wide(a) or _is_cjk(a)) and (_is_wide(b) or _is_cjk(b))):
        return True   # Chinese wrapped only at spaces: the break was a space unless both sides are wide
    if latin_space and (_HAN_CHAR.match(a) or _HAN_CHAR.match(b)):
        return han_latin_spaced(a, b, latin_space)
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
        # neither form elsewhere: two words the document uses on their own make a compound ("lawyer-" / "client")
        at_breaks = getattr(doc_words, "at_breaks", None)
        if at_breaks is not None and all(
                len(h) >= _COMPOUND_HALF_LEAST and h not in _CLOSED_COMPOUND_PARTS
                and doc_words.get(h, 0) > at_breaks.get(h, 0)
                for h in (left.lower(), right.lower())):
            return False
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
