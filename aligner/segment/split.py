"""Sentence splitting inside one paragraph, for Chinese (``zh``) and English (``en``).

Every function returns character spans ``(start, end)`` into the paragraph it was given; spans never
include leading/trailing whitespace, never overlap, and together cover every non-space character.

Conventions (measured against the gold segmentation of MAC-Dev, see docs/segmentation.md):

* Chinese ends a sentence at 。！？!? and at an ellipsis (……/...) that is followed by a new clause; closing
  quotes and brackets stay on the sentence they close.  ``；`` does *not* end a sentence (the English
  translation keeps ``;`` inside one sentence and so does the gold data); it is a secondary split point.
* A terminator inside a matched pair of quotes, parentheses or 《》 does not end the sentence: quoted speech
  ``他说：“……。……。”`` is one sentence.
* English ends a sentence at . ! ? (and ellipsis) followed by whitespace and an upper-case letter, a digit, an
  opening quote/bracket or a CJK character; abbreviations (Mr., U.S., e.g., No. 5 ...), initials,
  decimals and list numbers (``1.``, ``(a)``) do not.
"""
from __future__ import annotations

import bisect
import re

from .. import chars

Span = tuple[int, int]

# ---------------------------------------------------------------------------------------------- shared

OPEN_TO_CLOSE = {
    "“": "”", "‘": "’", "「": "」", "『": "』", "（": "）", "(": ")", "《": "》", "〈": "〉",
    "【": "】", "[": "]", "〔": "〕", "﹁": "﹂", "﹃": "﹄",
}
CLOSE_TO_OPEN = {v: k for k, v in OPEN_TO_CLOSE.items()}
_QUOTE_OPENERS = set("“‘「『﹁﹃")
# closing characters that stay on the sentence they close
CLOSERS = set("”’」』）)》〉】]〕﹂﹄\"'»›")

_WS = set(" \t\r\n\u3000\u00a0\u2002\u2003\u2009\u200b\ufeff\f\v")


def is_space(ch: str) -> bool:
    return ch in _WS or ch.isspace()


def _trim(text: str, s: int, e: int) -> Span | None:
    while s < e and is_space(text[s]):
        s += 1
    while e > s and is_space(text[e - 1]):
        e -= 1
    return (s, e) if s < e else None


def spans_from_cuts(text: str, cuts: list[int]) -> list[Span]:
    """Turn sorted cut offsets into whitespace-trimmed, non-empty spans covering ``text``."""
    out: list[Span] = []
    prev = 0
    for c in list(cuts) + [len(text)]:
        if c <= prev:
            continue
        sp = _trim(text, prev, c)
        if sp:
            out.append(sp)
        prev = c
    return out


class _Inside:
    """``inside[pos]`` is 1 when ``pos`` lies strictly inside a matched bracket/quote pair, else 0."""

    __slots__ = ("_starts", "_maxend")

    def __init__(self, pairs: list[tuple[int, int]]):
        pairs.sort()
        self._starts = [p[0] for p in pairs]
        self._maxend = []
        m = -1
        for _, e in pairs:
            m = max(m, e)
            self._maxend.append(m)

    def __getitem__(self, pos: int) -> int:
        k = bisect.bisect_left(self._starts, pos) - 1
        return 1 if k >= 0 and self._maxend[k] > pos else 0


_PAIR_CHARS = re.compile("[" + re.escape("".join(OPEN_TO_CLOSE) + "".join(CLOSE_TO_OPEN) + '"') + "]")


def _pair_depth(text: str, max_span: int = 600, quotes: bool = True) -> _Inside:
    """Which positions lie inside a *matched* pair of brackets (and, with ``quotes``, quotation marks).

    Unmatched openers/closers are ignored (so a stray bracket cannot swallow the rest of a paragraph), and
    a pair longer than ``max_span`` characters is ignored too.  ASCII ``"`` toggles.
    """
    pairs: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []
    for m in _PAIR_CHARS.finditer(text):
        ch = m.group()
        i = m.start()
        if ch in OPEN_TO_CLOSE:
            if quotes or ch not in _QUOTE_OPENERS:
                stack.append((ch, i))
            continue
        if ch in CLOSE_TO_OPEN:
            want = CLOSE_TO_OPEN[ch]
            for k in range(len(stack) - 1, max(-1, len(stack) - 4), -1):
                if stack[k][0] == want:
                    j = stack[k][1]
                    del stack[k:]
                    if i - j <= max_span:
                        pairs.append((j, i))
                    break
        elif ch == '"' and quotes:
            if stack and stack[-1][0] == '"':
                j = stack.pop()[1]
                if i - j <= max_span:
                    pairs.append((j, i))
            else:
                stack.append(('"', i))
    return _Inside(pairs)


def matched_pairs(text: str, max_span: int = 600) -> list[int]:
    return _pair_depth(text, max_span, quotes=True)


# ---------------------------------------------------------------------------------------------- Chinese

_ZH_TERM = re.compile(r"[。！？!?｡]+|…+|\.{3,}|⋯+|[.．](?![.．])")
# what a half-width full stop may follow to end a Chinese sentence: a CJK character, or a closing quote/bracket
_ZH_CLOSERS = set("”’」』）》〉】〕﹂﹄")


_is_cjk = chars.is_han_or_kana


def _extend_closers(text: str, j: int) -> int:
    """Return the end of a terminator followed by (optional spaces and) closing quotes/brackets.

    Terminators repeated after a closer (``！”？``) are absorbed too.
    """
    n = len(text)
    while j < n:
        k = j
        while k < n and text[k] in " \u3000":
            k += 1
        if k < n and (text[k] in CLOSERS or text[k] in "。！？!?…"):
            if k > j and text[k] in "\"'":
                break  # an ASCII quote after a space opens the next sentence
            j = k + 1
            continue
        break
    return j


def split_zh(text: str) -> list[Span]:
    n = len(text)
    if n == 0:
        return []
    depth = _pair_depth(text, quotes=False)
    cuts: list[int] = []
    done = 0
    for m in _ZH_TERM.finditer(text):
        s, e = m.start(), m.end()
        if s < done:
            continue  # already absorbed by the previous terminator's closers
        term = m.group()
        if term in ".．":
            if not _zh_half_width_stop(text, s):
                continue
        elif term[0] == "." and s > 0 and text[s - 1].isascii() and text[s - 1].isalnum():
            continue  # "3...." / "etc...." in Latin text
        end = _extend_closers(text, e)
        done = end
        if depth[s] > 0 and not _bracket_sentence(text, depth, cuts, end):
            continue  # inside （…）/《…》: not a sentence end unless the whole sentence is bracketed
        k = end
        while k < n and is_space(text[k]):
            k += 1
        if k >= n:
            continue
        nxt = text[k]
        if nxt in "，、,；;：:" or nxt in CLOSERS:
            continue
        if term[0] in "….⋯" and term not in ".．" and not _ellipsis_ends(text, s, end, k):
            continue
        cuts.append(end)
    # a quotation broken off with a dash ends the sentence (as one ending in ？” or ……” does), whether a new
    # quotation or narration follows: “咚——咚——”|“猛捅——”, “你为什么——”|说到这里 (mac-dev's gold: 4 of 4)
    for m in _ZH_DASH_QUOTE.finditer(text):
        if not depth[m.start()]:
            cuts.append(m.end())
    cuts.sort()
    return spans_from_cuts(text, cuts)


_ZH_DASH_QUOTE = re.compile(r"(?:——|—)[”」』]\s*(?=[^\s，、,；;：:。！？!?…）)”’」』])|…[”」』]\s*(?=[“「『])")

# numbering before a heading title: "第一章.总论", "第3条.", "二.适用范围" (a numeral that opens its line)
_ZH_HEADING_NUM = re.compile(rf"(?:^|(?<=[\s。！？!?]))(?:第[{chars.ZH_NUM}\d０-９]+[章节条款编部篇回卷]"
                             rf"|[{chars.ZH_ONES}]{{1,3}})$")


def _zh_half_width_stop(text: str, s: int) -> bool:
    """Is the single ``.`` (or full-width ``．``) at ``s`` a full stop of Chinese text (OCR'd and web text)?

    Yes after a CJK character or a CJK closing quote/bracket (``我来了.``, ``“好.”``), and after a Latin word of
    two or more letters when Chinese follows (``使用了Python. 然后``). No inside numbers and numbered headings
    (``3.5``, ``1.总则``, ``１．``), abbreviations, initials and URLs in Latin runs (``U.S.``, ``www.gov.cn``), or
    when a letter or digit follows directly (``报告.docx``).
    """
    if s == 0:
        return False
    nxt = text[s + 1] if s + 1 < len(text) else ""
    if nxt and nxt.isascii() and (nxt.isalnum() or nxt in "/_-@"):
        return False
    prev = text[s - 1]
    if _is_cjk(prev) and _ZH_HEADING_NUM.search(text, max(0, s - 12), s):
        return False
    if _is_cjk(prev) or prev in _ZH_CLOSERS:
        return True
    if prev in "%％)":   # "增长了3.5%." / "（见附件)."
        return not nxt or is_space(nxt) or _is_cjk(nxt) or nxt in _ZH_CLOSERS
    if not (prev.isascii() and prev.isalpha()):
        return False
    j = s
    while j > 0 and text[j - 1].isascii() and (text[j - 1].isalnum() or text[j - 1] in "._-/@:"):
        j -= 1
    word = text[j:s]
    if len(word) < 2 or not word.isalpha():
        return False  # an initial, or a dotted/URL-like run
    k = s + 1
    while k < len(text) and is_space(text[k]):
        k += 1
    return k < len(text) and _is_cjk(text[k])


def _bracket_sentence(text: str, depth: _Inside, cuts: list[int], end: int) -> bool:
    """A terminator inside brackets ends a sentence only when the brackets close right after it and
    the sentence itself began with the opening bracket: "（全句在括号里。）下一句。"."""
    if end >= len(text) or depth[end - 1] > 0 or text[end - 1] not in CLOSERS:
        return False
    st = cuts[-1] if cuts else 0
    while st < end and is_space(text[st]):
        st += 1
    return st < end and text[st] in OPEN_TO_CLOSE and depth[st] == 0


def _ellipsis_ends(text: str, s: int, end: int, k: int) -> bool:
    """Does an ellipsis at ``text[s:end]`` (next non-space at ``k``) end a sentence?"""
    if end > s and text[end - 1] in CLOSERS:
        return True
    if s > 0 and text[s - 1] in "，、,；;：:“「『（(":
        return False  # "一言既出，……马难追"
    if text[k] in "“「『":
        return True
    # stutter / hesitation: "我……我", "皇……皇帝", "所以……所以"
    before = text[max(0, s - 3):s]
    if text[k] in before:
        return False
    # a short fragment before the ellipsis is a hesitation, not a sentence
    j = s
    lo = max(0, s - 8)
    while j > lo and text[j - 1] not in "。！？!?；;，,：:“”…⋯\n":
        j -= 1
    if s - j < 6:
        return False
    return True


# ---------------------------------------------------------------------------------------------- English

ABBREVIATIONS = {
    # titles
    "mr", "mrs", "ms", "messrs", "mmes", "dr", "prof", "sr", "jr", "st", "rev", "hon", "fr", "gen", "col",
    "lt", "capt", "cmdr", "sgt", "maj", "gov", "sen", "rep", "pres", "amb", "excellency", "mme", "mlle",
    # references
    "no", "nos", "art", "arts", "para", "paras", "p", "pp", "vol", "vols", "ch", "chap", "sec", "fig",
    "figs", "ed", "eds", "op", "cit", "ibid", "id", "cf", "ref", "rev", "annex", "add", "corr", "suppl",
    "sect", "subpara", "subparas", "reg", "regs", "res", "doc", "docs",
    # latin & misc
    "e.g", "i.e", "vs", "v", "viz", "al", "ca", "approx", "est", "etc", "inc", "ltd", "co", "corp", "dept",
    "univ", "assn", "bros", "mt", "ft", "cal", "nr", "tel", "fax", "ext",
    # months
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
}
# abbreviations that often *end* a sentence: a following capital starts a new sentence
SENTENCE_FINAL_ABBREV = {"etc", "inc", "ltd", "co", "corp", "al"}
# abbreviations that precede a number ("No. 5", "para. 3", "p. 12") but are ordinary words otherwise
NUMERIC_ABBREV = {"no", "nos", "art", "arts", "para", "paras", "p", "pp", "vol", "vols", "ch", "chap",
                  "sec", "fig", "figs", "annex", "add", "corr", "suppl", "sect", "subpara", "subparas",
                  "res", "doc", "docs", "reg", "regs"}
AMBIGUOUS_WORD = {"no", "art", "add", "ch", "sec", "fig", "ed", "id", "v", "co", "rev", "p", "doc", "est",
                  "cal", "mar", "may", "sept", "ref", "annex"}

_EN_TERM = re.compile(r"\.(?: ?\.){1,}|…+|[.!?]+")
_OPENERS = set("\"'“‘([{«")
_LIST_NUM = re.compile(r"^\(?(?:\d{1,3}|[a-zA-Z]|[ivxlcdmIVXLCDM]{1,6})[.)]$")


def _prev_token(text: str, s: int) -> tuple[str, int]:
    j = s
    lo = max(0, s - 40)
    while j > lo and not is_space(text[j - 1]):
        j -= 1
    return text[j:s], j


def split_en(text: str) -> list[Span]:
    n = len(text)
    if n == 0:
        return []
    depth = _pair_depth(text, quotes=False)
    cuts: list[int] = []
    done = 0
    for m in _EN_TERM.finditer(text):
        s, e = m.start(), m.end()
        if s < done:
            continue
        term = m.group()
        end = _extend_closers(text, e)
        done = end
        # must be followed by whitespace
        if end >= n or not is_space(text[end]):
            # "word.”Next" is rare; CJK right after a period ends a sentence too
            if end < n and _is_cjk(text[end]):
                cuts.append(end)
            continue
        k = end
        while k < n and is_space(text[k]):
            k += 1
        if k >= n:
            continue
        nxt = text[k]
        nxt2 = text[k + 1] if k + 1 < n else ""
        # what kind of word starts next?
        starts_upper = nxt.isupper() or (nxt in _OPENERS and (nxt2.isupper() or nxt2.isdigit() or nxt2 in _OPENERS)) \
            or _is_cjk(nxt)
        starts_digit = nxt.isdigit()
        if nxt in "•–—-" and k + 1 < n and is_space(text[k + 1]):
            starts_upper = True  # bullet item
        tok, tstart = _prev_token(text, s)
        word = tok.lstrip("\"'“‘([{«")
        if not (starts_upper or starts_digit or (term == "." and end == e and _lower_sentence_start(word, text, k))):
            continue
        if depth[s] > 0 and not _bracket_sentence(text, depth, cuts, end):
            continue  # terminator inside brackets
        if term == ".":
            low = word.lower()
            if not word:
                # a detached full stop ('calls "nephew" . Where'): ends a sentence after a word or a closer
                j = s
                while j > 0 and is_space(text[j - 1]):
                    j -= 1
                if not (0 < j < s and (text[j - 1].isalpha() or text[j - 1] in CLOSERS)):
                    continue
                if _prev_token(text, j)[0].lower() in ABBREVIATIONS - SENTENCE_FINAL_ABBREV:
                    continue   # tokenised text: "Mr . Smith"
            # list numbering at the start of the paragraph: "1." "(a)" "iv."
            if _LIST_NUM.match(text[tstart:e]) and (text[:tstart].strip() == "" or _after_terminator(text, tstart)):
                continue
            if any(c.isdigit() for c in word) and not starts_upper:
                continue  # "in 1990. 5 people" is rare; "p. 5" handled below
            if low in ABBREVIATIONS:
                if low in SENTENCE_FINAL_ABBREV and starts_upper:
                    pass
                elif low in NUMERIC_ABBREV and not starts_digit and (low in AMBIGUOUS_WORD or word[0].islower()):
                    pass  # "said no. Then" ... treat as ordinary word
                else:
                    continue
            elif re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]", word):
                # U.S. / U.N. / e.g. / a.m. / p.m.: an initialism; ends a sentence only before a clear start
                if not (_clear_sentence_start(text, k) or end > e):
                    continue
            elif len(word) == 1 and word.isalpha() and word.isupper():
                # an initial: "J. Smith"; but the pronoun after a lower-case word ends a sentence: "and so was I. At"
                if not (word == "I" and _after_lower_word(text, tstart)):
                    continue
        elif term[0] in ".…":
            # ellipsis: a break before a capitalised word, unless it is a stutter ("I... I've")
            w = re.match(r"[\"'“‘]?([A-Za-z]+)", text[k:k + 30])
            if w and word and w.group(1).lower().startswith(word.lower().strip("\"'“‘")):
                continue
        cuts.append(end)
    # an interrupted quotation directly followed by the next speaker's: "…though—' 'Is that right?'"
    for m in _EN_DASH_TURN.finditer(text):
        if not depth[m.start()]:
            cuts.append(m.end(1))
    cuts.sort()
    return spans_from_cuts(text, cuts)


# a quotation broken off with a dash, then a new quotation or a new sentence: "…though—' | 'Is that right?'",
# "…poo-pah –' | One of the bearers" (mac-dev's gold: 9 of 9)
_EN_DASH_TURN = re.compile(r"[—–-]([\"'”’])\s+(?=[\"'“‘]?[A-Z])")
_COMMON_STARTERS = {"the", "a", "an", "in", "on", "at", "it", "this", "that", "these", "those", "he", "she",
                    "they", "we", "i", "but", "and", "or", "however", "there", "as", "for", "if", "when",
                    "while", "his", "her", "its", "their", "our", "my", "what", "who", "why", "how", "then"}


#: lower-case abbreviations of four letters or more ("incl. tax", "approx. two", "dept. head"): never a sentence end
#: before a lower-case word (nor are those in ABBREVIATIONS; shorter words never are: LOWER_END_MIN)
LOWER_ABBREV = {"incl", "excl", "approx", "misc", "resp", "govt", "mgmt", "assoc", "natl", "intl", "trans", "orig",
                "repr", "mins", "secs", "cont", "contd", "abbr", "pref", "prep", "pron", "sing", "prox", "inst",
                "dist", "dept", "tbsp", "admin", "intro", "refs", "figs", "info", "prev", "ibid", "illus", "chap",
                "sect", "para", "paras", "publ", "univ", "corp", "abbrev", "ext", "esp"}
#: shortest lower-case word before a full stop that may end a sentence before a lower-case word (shorter ones are
#: too often abbreviations: "ft.", "oz.", "vs.")
LOWER_END_MIN = 4


def _lower_sentence_start(word: str, text: str, k: int) -> bool:
    """A full stop after an ordinary lower-case word, then a lower-case word: a sentence that starts in lower case
    ("…out of his pocket. short-long-long…", a quoted code or a name written small). Not after an abbreviation
    or a short word, not before a list letter or a number."""
    if not (len(word) >= LOWER_END_MIN and word.isalpha() and word.islower()):
        return False
    if word in ABBREVIATIONS or word in LOWER_ABBREV:
        return False
    nxt = re.match(r"[a-z]+", text[k:k + 30])
    return bool(nxt) and len(nxt.group()) >= 2


def _after_lower_word(text: str, pos: int) -> bool:
    """Is the token before ``pos`` (after whitespace) a lower-case word: "was I", not "J. K."?"""
    j = pos
    while j > 0 and is_space(text[j - 1]):
        j -= 1
    tok, _ = _prev_token(text, j)
    return j < pos and tok.isalpha() and tok.islower() and len(tok) > 1


def _after_terminator(text: str, pos: int) -> bool:
    j = pos
    while j > 0 and is_space(text[j - 1]):
        j -= 1
    if not (j > 0 and text[j - 1] in ".;:!?"):
        return False
    tok, _ = _prev_token(text, j - 1)
    return tok.lower().strip("\"'“‘([{«") not in ABBREVIATIONS


def _clear_sentence_start(text: str, k: int) -> bool:
    m = re.match(r"[A-Za-z]+", text[k:k + 20])
    return bool(m) and m.group().lower() in _COMMON_STARTERS


# ---------------------------------------------------------------------------------------------- public

def split_sentences(paragraph: str, lang: str) -> list[Span]:
    """Spans ``(start, end)`` of the sentences inside one paragraph (whitespace-trimmed)."""
    if not paragraph:
        return []
    lang = (lang or "").lower()
    if lang.startswith("zh") or lang in ("cn", "chinese"):
        return split_zh(paragraph)
    return split_en(paragraph)


_SECONDARY_ZH = re.compile(r"[；;：:]")
_SECONDARY_ZH_COMMA = re.compile(r"[，,]")
_SECONDARY_EN = re.compile(r"[;:](?=\s)|—|--|,(?=\s+(?:and|but|or|which|while|whereas)\b)")


def secondary_splits(sentence: str, lang: str, *, min_len: int | None = None) -> list[int]:
    """Optional finer split offsets inside a very long sentence.

    Returns offsets (each one just after a ``；``/``：`` or, for comma-only Chinese, a ``，``) at which the
    sentence could be cut; empty when the sentence is shorter than ``min_len`` (default 60 characters for
    Chinese, 200 for English).  Offsets inside quotes or brackets are not offered.
    """
    zh = (lang or "").lower().startswith("zh")
    if min_len is None:
        min_len = 60 if zh else 200
    if len(sentence) < min_len:
        return []
    depth = matched_pairs(sentence)
    n = len(sentence)

    def ok(pos: int) -> bool:
        return 0 < pos < n and depth[pos - 1] == 0 and sentence[pos:].strip() != ""

    if zh:
        offs = [m.end() for m in _SECONDARY_ZH.finditer(sentence) if ok(m.end())]
        if not offs:
            offs = [m.end() for m in _SECONDARY_ZH_COMMA.finditer(sentence) if ok(m.end())]
            # keep pieces reasonably long: at most one cut per ~20 characters
            kept: list[int] = []
            last = 0
            for o in offs:
                if o - last >= 20 and n - o >= 10:
                    kept.append(o)
                    last = o
            offs = kept
    else:
        offs = [m.end() for m in _SECONDARY_EN.finditer(sentence) if ok(m.end())]
    return offs
