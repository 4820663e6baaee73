"""Reflow: turn PDF-extracted text (lines cut at the page width) back into paragraphs.

The stage works on lines and decides, for every line break between two lines of running text, whether it
is a real paragraph end ("hard") or a layout wrap ("soft").  Before that it separates:

* page furniture -- organ headers ("General Assembly", "大  会  安全理事会"), document symbols
  (``A/75/780``, ``S/2021/206``), job numbers (``21-02897 (C)``), barcodes (``*2102897*``), page numbers,
  "Distr.: General"/"Original: English" lines, separator rules and bare URL lines (PDF link annotations);
* footnote bodies -- the lines after a ``__________`` rule up to the end of the page, one block per note.

Both are kept as marked blocks (kind ``"furniture"``/``"note"``) and a paragraph of running text that
continues across a page break (and the notes at the bottom of that page) is joined.  Footnote reference
numbers in running text (``…国际政治地位。2 不尊重…``, ``Programme of Action,1``) are taken out of the block
text and recorded in :attr:`Block.removed`, together with the hyphens removed by de-hyphenation, so that
no non-space character of the input is ever lost without a trace.

Every block keeps a piecewise map from its (joined) text back to offsets in the original input.
All functions are pure and linear in the input size.
"""
from __future__ import annotations

import bisect
import logging
import re
from dataclasses import dataclass, field

from .. import chars
from . import breaks, markup
from .code import code_lines

log = logging.getLogger(__name__)

__all__ = ["Block", "ReflowResult", "hard_breaks", "looks_wrapped", "reflow", "render_reflow"]

SKIPPED = ("furniture", "note")


# ------------------------------------------------------------------------------------------- data types

@dataclass
class Block:
    """One reflowed block: a paragraph, heading, list item, signature line, note or furniture line.

    ``text`` is the joined text; ``start``/``end`` the span of the block in the original input (for a
    paragraph that continues across a page break the span includes the furniture and notes in between);
    ``pieces`` maps text offsets to original offsets (sorted ``(text_offset, orig_offset)`` pairs: the
    characters from one piece to the next are contiguous in the original); ``removed`` lists
    ``(orig_offset, string)`` for footnote markers and line-end hyphens that are in the original span but
    not in ``text``; ``lines`` are the ids (0-based, counting every line of the input) of the lines the block
    was built from; ``para`` is the block's position in :attr:`ReflowResult.blocks`.
    """

    text: str
    kind: str
    start: int
    end: int
    para: int = 0
    pieces: list[tuple[int, int]] = field(default_factory=list, repr=False)
    removed: list[tuple[int, str]] = field(default_factory=list, repr=False)
    lines: list[int] = field(default_factory=list, repr=False)
    number: str | None = None  # footnote number of a note block
    level: int = 0  # heading level (1 = top) or list depth; 0 when unknown
    label: str = ""  # numbering that opens the block: "第五条", "Article 5", "(c)", "1." ("" when none)
    page: int | None = None  # 1-based page of the block's first line, when the reader knows pages

    def orig(self, i: int) -> int:
        """Original offset of character ``i`` of :attr:`text`."""
        if not self.pieces:
            return self.start + i
        k = bisect.bisect_right(self.pieces, (i, 1 << 62)) - 1
        t, o = self.pieces[k if k >= 0 else 0]
        return o + (i - t)

    def orig_span(self, s: int, e: int) -> tuple[int, int]:
        """Original ``(start, end)`` of ``text[s:e]``."""
        if e <= s:
            p = self.orig(s) if s < len(self.text) else self.end
            return p, p
        return self.orig(s), self.orig(e - 1) + 1


@dataclass
class ReflowResult:
    """Blocks in document order (a paragraph interrupted by a page break comes before the notes and
    furniture of that page).  ``reflowed`` says whether layout wrapping was detected (or forced) and
    undone; ``double_spaced`` whether the input had a blank line after every line."""

    blocks: list[Block]
    reflowed: bool = False
    double_spaced: bool = False
    n_lines: int = 0
    #: what the reflow guessed from the whole text, in words (how it took a sentence end at a full line)
    guesses: list[str] = field(default_factory=list)

    def paragraphs(self, keep_notes: bool = False) -> list[str]:
        return [b.text for b in self.blocks if keep_notes or b.kind not in SKIPPED]

    @property
    def removed(self) -> list[tuple[int, str]]:
        return sorted(r for b in self.blocks for r in b.removed)

    @property
    def markers(self) -> list[tuple[int, str]]:
        """Footnote reference markers taken out of running text: ``(orig_offset, digits)``."""
        return sorted(r for b in self.blocks for r in b.removed if r[1] != "-")


def render_reflow(result: ReflowResult, keep_notes: bool = False) -> str:
    """Plain-text rendering for ``aligner reflow``: one block per paragraph, separated by blank lines.

    With ``keep_notes`` furniture and notes are shown too, each prefixed by ``[furniture]``/``[note]``.
    """
    parts = []
    for b in result.blocks:
        if b.kind in SKIPPED:
            if not keep_notes:
                continue
            parts.append(f"[{b.kind}] {b.text}")
        else:
            parts.append(b.text)
    return "\n\n".join(parts) + ("\n" if parts else "")


# ------------------------------------------------------------------------------------------- characters

_is_cjk = chars.is_cjk
_is_wide = chars.is_wide
_WIDE_RE = re.compile(f"[{chars.WIDE}]")


def _width(s: str) -> float:
    """Display width: wide (CJK, full-width) characters 2, spaces 0.5 (PDF extractors insert them around
    numbers), everything else 1."""
    return len(s) + len(_WIDE_RE.findall(s)) - 0.5 * s.count(" ")


_SPACE_RE = re.compile(r"[\s\u200b\ufeff]+")
ZH_TERMINAL = set("。！？!?；;：:…")
EN_TERMINAL = set(".!?;:")
CLOSING = set("”’」』）)》〉】]\"'»")


# ------------------------------------------------------------------------------------------- line model

@dataclass
class _Line:
    idx: int        # line number in the input (0-based)
    start: int      # offset of the stripped content
    end: int
    text: str       # stripped content
    indent: float   # display width of the leading whitespace
    gap: int = 0    # blank lines before this line
    ff: bool = False  # a form feed before this line
    page_before: bool = False
    role: str = "body"   # body / furniture / rule / url / note / code
    width: float = 0.0
    hard_before: bool = True
    block: int = -1


def _lines(text: str) -> list[_Line]:
    out: list[_Line] = []
    pos = 0
    n = len(text)
    gap = 0
    ff = False
    idx = 0
    while pos <= n:
        nl = text.find("\n", pos)
        if nl < 0:
            nl = n
        raw = text[pos:nl]
        if "\f" in raw:
            ff = True
        s = pos
        e = nl
        while s < e and (text[s].isspace() or text[s] in "\u200b\ufeff"):
            s += 1
        while e > s and (text[e - 1].isspace() or text[e - 1] in "\u200b\ufeff"):
            e -= 1
        if s < e:
            content = text[s:e]
            lead = text[pos:s].replace("\f", "").replace("\r", "")
            ln = _Line(idx, s, e, content, _width(lead.replace("\t", "    ")), gap, ff)
            ln.width = ln.indent + _width(content)
            out.append(ln)
            gap = 0
            ff = False
        else:
            gap += 1
        idx += 1
        pos = nl + 1
    return out


def _detect_double(lines: list[_Line]) -> bool:
    """A blank line after (nearly) every line: the Chinese UN PDFs are extracted like that."""
    if len(lines) < 4:
        return False
    gaps = [ln.gap for ln in lines[1:]]
    ones = sum(1 for g in gaps if g >= 1)
    zeros = len(gaps) - ones
    # plain text with blank-line paragraphs also has gap>=1 everywhere; that is harmless (see below)
    return ones >= 0.6 * len(gaps) and zeros <= 0.4 * len(gaps)


# ------------------------------------------------------------------------------------------- furniture

_SYMBOL = r"[A-Z]{1,6}(?:\.\d{1,3})?/(?:[A-Z0-9]+(?:[.\-][A-Z0-9]+)*/)*[A-Z0-9]+(?:[.\-][A-Z0-9]+)*(?:\([A-Z]+\))?(?:/Rev\.\d+|/Add\.\d+|/Corr\.\d+)*"
_FURN_TOKEN = re.compile(
    r"(?:" + _SYMBOL + r"|\d{2}-\d{5}|GE\.\d{2}-\d{5}|\([A-Z]{1,2}\)|\d{6}|\*\d{6,}\*|\d{1,3}/\d{1,3}|"
    r"-\s?\d{1,3}\s?-|[–—]|\d{1,3})"
)
_SYMBOL_RE = re.compile(r"^" + _SYMBOL + r"$")
_JOB_RE = re.compile(r"(?:GE\.)?\d{2}-\d{5}\s*\([A-Z]{1,2}\)")
_BARCODE_RE = re.compile(r"^\*\d{6,}\*$")
_PAGE_RE = re.compile(r"^(?:[-–—]?\s*\d{1,4}\s*[-–—]?|\d{1,3}\s*/\s*\d{1,3}|[Pp]age\s+\d{1,4}(?:\s+of\s+\d+)?|"
                      r"第\s*\d{1,4}\s*页(?:\s*共\s*\d+\s*页)?|\d{1,3}\s*of\s*\d{1,3})$")
_RULE_RE = re.compile(r"^[_＿\-－—–=＝~·.]{8,}$")
#: a line of only "=" or only "-" right under a line of text (no blank line between) underlines that line as a
#: title (a Markdown setext heading, also common in plain-text specifications); a footnote rule stands apart
_SETEXT_UNDERLINE = re.compile(r"^(?:={3,}|-{3,})$")
_URL_RE = re.compile(r"^(?:https?://|www\.)[!-~]+$", re.I)
_ORGANS = (
    "大会", "安全理事会", "经济及社会理事会", "托管理事会", "联合国", "国际法院", "秘书处", "人权理事会",
    "General Assembly", "Security Council", "Economic and Social Council", "United Nations",
    "Trusteeship Council", "International Court of Justice", "Secretariat", "Human Rights Council",
)
_ORGAN_RE = re.compile(r"^(?:(?:" + "|".join(re.escape(o.replace(" ", "")) for o in _ORGANS) + r")+)$")
_HEADER_RE = re.compile(
    r"^(?:Distr\.?\s*:?\s*(?:General|Limited|Restricted)|Original\s*:\s*\w+|"
    r"(?:Arabic|Chinese|English|French|Russian|Spanish)(?:\s*(?:,|and)\s*(?:Arabic|Chinese|English|French|Russian|Spanish))*|"
    r"Advance (?:unedited|edited) version|Please recycle.*|.{0,3}请回收.*|"
    rf"[{chars.HAN_CORE}]{{0,4}}Distr\.?:?.*|中文|原件\s*[:：]\s*\w+|Distr\.?\s*[:：].*)$"
)


#: the date and time a browser prints in the header of a page it prints to PDF ("11/28/26, 9:52 AM",
#: "28/11/2026, 09:52", "2026-11-28 09:52"); the page's title may follow on the same line in a PDF's text layer
BROWSER_DATE = re.compile(r"^(?:\d{1,2}/\d{1,2}/\d{2,4},?|\d{4}-\d{2}-\d{2},?)\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s?[AP]M)?"
                          r"(?=\s|$)")
#: the page's address and "n/N" that a browser prints in the footer of a page it prints to PDF
_BROWSER_FOOT = re.compile(r"^(?:https?|file)://\S+\s+\d{1,4}\s*/\s*\d{1,4}$")


def _is_furniture_line(t: str) -> bool:
    if len(t) > 160:
        return False
    if _BARCODE_RE.match(t) or _PAGE_RE.match(t) or _SYMBOL_RE.match(t):
        return True
    if _BROWSER_FOOT.match(t) or ((m := BROWSER_DATE.match(t)) and m.end() == len(t)):
        return True
    compact = _SPACE_RE.sub("", t)
    if compact and _ORGAN_RE.match(compact):
        return True
    if _HEADER_RE.match(t):
        return True
    if _JOB_RE.search(t) or "/" in t or t.startswith("*"):
        # a line made only of symbols, job numbers, page numbers, dates of issue...
        rest = _FURN_TOKEN.sub(" ", t)
        rest = _ORG_IN_LINE.sub(" ", rest)
        if not rest.strip():
            return True
    # "General Assembly Distr.: Limited" / "United Nations A/CONF.192/PC/L.3"
    m = _ORG_PREFIX.match(t)
    if m:
        rest = t[m.end():].strip()
        if not rest or _HEADER_RE.match(rest) or _SYMBOL_RE.match(rest) or not _FURN_TOKEN.sub("", rest).strip():
            return True
    return False


_ORG_IN_LINE = re.compile("|".join(re.escape(o) for o in _ORGANS))
_ORG_PREFIX = re.compile(r"^(?:(?:" + "|".join(re.escape(o) for o in _ORGANS) + r")\s*)+")
_DATE_RE = re.compile(
    r"^(?:\d{1,2}\s+(?:January|February|March|April|May|June|July|August|September|October|November|December)"
    r"\s+\d{4}|\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)$")


# ------------------------------------------------------------------------------------------- patterns

_LIST_START = re.compile(
    r"^(?:[•·▪●◦‣■□○◆◇►▶➢✓√*]\s*|[-–—]\s+|\(?\d{1,3}\)\s|\d{1,3}\.\s|"
    r"\([a-zA-Z]{1,2}\)\s*|\((?:[ivxlc]{1,6})\)\s*|[a-z]\)\s|"
    rf"[{chars.ZH_ONES_HUNDRED}]+[、．.]|[（(][{chars.ZH_ONES_HUNDRED}]+[）)]|[（(]\d{{1,3}}[）)]|\d{{1,3}}[、．]|"
    rf"第[{chars.ZH_ORDINAL_NUM}\d]+[条章节款部分篇]|[①-⑳])"
)
_FOOT_NOTE = re.compile(r"^[1-9]\d?\s+[^\d\s.,:;)）/%]")
_NOTE_START = re.compile(r"^(\d{1,3})(?:\s+|(?=[^\d\s.,)）/%]))")
#: a footnote reference that pdftotext printed a space away from the punctuation it follows ("…of peoples”. 1")
_SPACED_MARKER = re.compile(r"(?<=[.,;:”’\"\)\]。，；：、）]) (\d{1,2})(?=\s|$)", re.M)
#: a footnote whose number is set against its text, without a space ("1Translator's note", "3译者注")
_GLUED_NOTE = re.compile(r"^([1-9]\d?)(?=[^\d\s.,:;)）/%])")
_SIGNED_RE = re.compile(r"[(（]\s*(?:签名|簽名|Signed|signed)\s*[)）]|^\(?Signed\)?\b")
_HYPHEN_KEEP_PREFIX = {
    "self", "ex", "all", "well", "half", "cross", "so", "non", "quasi", "vice", "one", "two", "three", "four",
    "five", "long", "short", "high", "low", "full", "part", "twenty", "thirty", "forty", "fifty", "sixty",
    "seventy", "eighty", "ninety", "mid", "post", "pre", "anti", "co", "follow", "decision", "policy",
    "case", "state", "peace", "time", "cost", "gender", "rights", "region", "country", "community", "fact",
    "finding", "capacity", "know", "small", "large", "medium", "war", "ill", "de", "re", "best", "worst",
    "low", "like", "open", "end", "built", "multi", "inter", "intra",
}
_HYPHEN_JOIN_PREFIX = {"inter", "intra", "multi", "re", "de", "pre", "post", "co", "anti"}
_WORD_RE = re.compile(r"[A-Za-z]+")


#: a line among the first/last two of a page is a running header/footer when its text (digits masked) comes back on
#: at least this share of the pages (and on two pages at least)
_REPEAT_SHARE = 0.3


def _repeated_edges(lines: list[_Line]) -> None:
    """Running headers and footers of text extracted page by page (pages separated by form feeds): lines at a
    page's top or bottom whose digit-masked text recurs on many pages ("Constitution — draft", "Page 3 of 40")."""
    pages: list[list[_Line]] = [[]]
    for ln in lines:
        if ln.ff and pages[-1]:
            pages.append([])
        pages[-1].append(ln)
    if len(pages) < 3:
        return
    w = _page_width(lines)
    def mask(t: str) -> str:
        return re.sub(r"\d+", "#", _SPACE_RE.sub("", t))
    counts: dict[str, int] = {}
    zones = []
    for pg in pages:
        zone = []
        for ln in pg[:2] + pg[-2:]:
            # running heads are short or end without a full stop; a repeated body line would be long and end one
            if (ln.width < 0.7 * w or not _ends_sentence(ln.text)) and ln not in zone \
                    and not _heading_line(ln.text) and not _BARE_LABEL.match(ln.text):
                # "Article 57" at many page feet is not a running head, nor a list number printed alone ("1.")
                zone.append(ln)
        zones.append(zone)
        for k in {mask(ln.text) for ln in zone}:
            counts[k] = counts.get(k, 0) + 1
    need = max(2, int(_REPEAT_SHARE * len(pages) + 0.999))
    for zone in zones:
        done = set()  # one line per text and page: a title under a running head with the same words stays
        for ln in zone:
            k = mask(ln.text)
            if ln.role == "body" and counts.get(k, 0) >= need and k not in done:
                ln.role = "furniture"
                done.add(k)


#: what a division heading, an article number or a preamble title starts with (a cheap test before the full one)
_HEADING_START = re.compile(r"(?:第|序|前言|弁言|总|總|附|[Pp]art\b|PART|[Cc]hapter|CHAPTER|[Ss]ection|SECTION|"
                            r"Article|ARTICLE|Art\.|§|Title|TITLE|Book|BOOK|Preamble|PREAMBLE|Foreword|Preface)")


_ITEM_START = re.compile(r"(?:[a-zA-Z]{1,4}[.)]\s|[（(])")


def _item_line(t: str) -> bool:
    """A list item numbered with a letter or roman numeral ("a. …", "(iv) …")."""
    from ..read.labels import find_label  # lazy: aligner.read imports this module
    lab = find_label(t)
    return lab is not None and lab.kind == "item" and bool(t[lab.end:].strip())


#: the longest line that can be a division heading or an article number alone ("第一章 总则", "Chapter II General
#: Principles"): longer, it is a sentence that happens to start with one
_HEADING_LINE_MAX = 60


def _heading_line(t: str) -> bool:
    """A division heading ("第一章 总则", "Chapter II"), an article number alone ("第 3 條", "Article 5") or
    "序言"/"Preamble"."""
    if len(t) > _HEADING_LINE_MAX or not _HEADING_START.match(t):
        return False
    from ..read.labels import find_label, is_preamble  # lazy: aligner.read imports this module
    lab = find_label(t)
    if lab is not None:
        return lab.kind == "division" or (lab.kind == "article" and not t[lab.end:].strip())
    return is_preamble(t)


#: the longest line a division heading with its title may be when it is not alone on its line ("Section 5 Local
#: People's Congresses at All levels and Local People's" on an A4 line): longer, it is a sentence about a section
_DIVISION_LINE_MAX = 120


def _division_with_title(t: str, long: bool = False) -> bool:
    """A division heading with its title on the line ("Chapter IV The National Flag…", "第五节 地方各级…"); at
    most 60 characters (as :func:`_heading_line`), or :data:`_DIVISION_LINE_MAX` with ``long``."""
    if len(t) > (_DIVISION_LINE_MAX if long else _HEADING_LINE_MAX) or not _HEADING_START.match(t):
        return False
    from ..read.labels import find_label  # lazy: aligner.read imports this module
    lab = find_label(t)
    return lab is not None and lab.kind == "division" and bool(t[lab.end:].strip(" .:：–—-"))


def _article_opens(t: str) -> bool:
    """An article number followed by a space and its text ("Article 21 To protect…", "第九十五条 省、…")."""
    if not _HEADING_START.match(t):
        return False
    from ..read.labels import find_label  # lazy: aligner.read imports this module
    lab = find_label(t)
    return lab is not None and lab.kind == "article" and t[lab.end:lab.end + 1] in (" ", "\u3000", "\t") \
        and bool(t[lab.end:].strip())


#: an English line is full when it and the next line's first word reach this share of the text width (a wrap);
#: below it the line ended early: a paragraph end or a title (the reflow's fit test, also used for Chinese headings)
_EN_FULL = 0.88
#: a Chinese line ending in sentence punctuation short of this share of the width ends its paragraph: Chinese wraps
#: at any character, so a full-width line stops within a character or two of the width
_ZH_TERM_SHORT = 0.9
#: a run of at most this many short unpunctuated lines is a title wrapped in a box narrower than the text
_TITLE_BOX_LINES = 3

#: a capitalised word and a number opening a line: a numbered title of its own ("Subsection 2", "Annex II", "Rule 5")
_NUMBERED_TITLE = re.compile(r"^[A-Z][a-z]{2,}\s+(?:\d{1,3}|[IVXLC]{1,6})(?:\s|$|[.:–—-])")

#: a short line amid the text is a wrapped title's line only if it is at least this share of the title box wide (a
#: paragraph's last line is usually shorter; "Annex to the letter dated … from the" fills the box)
_BODY_TITLE_SHARE = 0.6

#: an item number and a dot with the item's text right after it, no space ("1.Works", "2.does not receive"); not a
#: decimal ("3.5") or a section number ("1.2")
_TIGHT_ITEM = re.compile(r"^(\d{1,3})\.(?=[A-Za-z\"“(])")
#: how many lines back the previous item of a numbered list may have opened for "N.Text" to be its next item
_TIGHT_ITEM_REACH = 30
#: a title line in capitals: at least this many letters, none of them lower case
_CAPS_LEAST = 4
#: a list label and the spaces after it, whose end is the column an item's continuation lines hang at ("-   ",
#: "1.  ", "(a) ", "iv) ", "•\t")
_HANG_LABEL = re.compile(r"^(?:[-–—•*·▪◦]|\(?\d{1,3}[.)]|\([a-zA-Z]{1,2}\)|\(?[ivxlc]{1,6}\)|[a-zA-Z][.)])[ \t]+(?=\S)")
#: a Han character (no punctuation), and a Latin letter or digit, at a line's end or start
_HAN_CHAR = re.compile(f"[{chars.HAN_BMP}]")
_LATIN_CHAR = re.compile(r"[A-Za-z0-9]")
#: line breaks next to a Latin word needed before a Chinese text is judged wrapped only at spaces (a text with a few
#: Latin words gives no evidence either way)
_SPACE_WRAP_LEAST = 20
#: ... and Han-Han breaks at most this share of them: pandoc's plain text 0.02-0.15 (a space between Han characters
#: in the source), pdftotext of PDFs 1.0-12
_SPACE_WRAP_HAN_SHARE = 0.25
#: lines holding a space needed to measure the width of a text wrapped only at spaces (as _page_width's own least)
_SPACED_LEAST = 8
#: two or more spaces inside a line, not after a sentence mark ("sentence.  Next" in an RFC): a gap between the
#: columns of a table row, whose rows never run on into each other
_COLUMN_GAP = re.compile(r"[^\s.!?:;]  +\S")


def _capitals_title(t: str) -> bool:
    letters = [c for c in t if c.isalpha()]
    return len(letters) >= _CAPS_LEAST and all(c.isupper() for c in letters)


_BULLET_START = re.compile(r"^(?:[•·▪●◦‣■□○◆◇►▶➢✓√*]|[-–—]\s)")


def _ends_sentence(t: str) -> bool:
    """Does the line end with a full stop, question or exclamation mark (closing quotes/brackets ignored)?"""
    t = t.rstrip("".join(CLOSING) + " ")
    return bool(t) and t[-1] in "。！？!?.…"


_MARKER_AT_END = re.compile(r"(?<=[^\d\s])\d{1,3}$")


def _ends_terminal(t: str, zh: bool) -> bool:
    """Does the line end a sentence (ignoring closing quotes/brackets and a trailing footnote marker)?"""
    t = t.rstrip()
    if t[-1:].isdigit():
        t = _MARKER_AT_END.sub("", t)  # footnote marker
    t = t.rstrip("".join(CLOSING) + " ")
    if not t:
        return False
    return t[-1] in (ZH_TERMINAL if zh else EN_TERMINAL) or (zh and t[-1] in EN_TERMINAL and t[-1] != ":")


# ------------------------------------------------------------------------------------------- main entry

def looks_wrapped(text: str, lang: str) -> bool:
    """Heuristic: is ``text`` PDF-like (lines cut at the page width)?"""
    lines = _lines(text)
    return _looks_wrapped(lines, lang.startswith("zh"), _detect_double(lines))


def _looks_wrapped(lines: list[_Line], zh: bool, double: bool) -> bool:
    if len(lines) < 3:
        return False
    if any(_RULE_RE.match(ln.text) or _BARCODE_RE.match(ln.text) or _JOB_RE.match(ln.text) for ln in lines):
        return True
    w = _page_width([ln for ln in lines if len(ln.text) > 3])
    space_wrap = zh and not double and _space_wrapped(*_break_sides(lines))
    if space_wrap:
        w = _spaced_width(lines) or w
    if w <= 0:
        return False
    pairs = 0
    wraps = 0
    for a, b in zip(lines, lines[1:]):
        g = b.gap - (1 if double else 0)
        if g > 0:
            continue
        pairs += 1
        if (a.width >= 0.7 * w or (space_wrap and _space_fit(a, b) > w)) and not _ends_terminal(a.text, zh):
            wraps += 1
    return wraps >= 2 and wraps >= 0.25 * pairs


def _break_sides(lines: list[_Line]) -> tuple[int, int]:
    """Line breaks (no blank line between) next to a Latin letter or digit, and between two Han characters."""
    han_han = latin = 0
    for a, b in zip(lines, lines[1:]):
        if b.gap or b.ff or b.page_before:
            continue
        if _HAN_CHAR.match(a.text[-1]) and _HAN_CHAR.match(b.text[0]):
            han_han += 1
        elif _LATIN_CHAR.match(a.text[-1]) or _LATIN_CHAR.match(b.text[0]):
            latin += 1
    return latin, han_han


def _space_wrapped(latin: int, han_han: int) -> bool:
    """Chinese text wrapped only at spaces (pandoc's plain text, some mailers): its lines break next to the Latin
    words set off by spaces and almost never between two Han characters, so a line that looks short before a long
    run of Han text is a wrap all the same."""
    return latin >= _SPACE_WRAP_LEAST and han_han <= _SPACE_WRAP_HAN_SHARE * latin


def _spaced_width(lines: list[_Line]) -> float:
    """The width a text wrapped only at spaces was wrapped at: that of its lines holding a space (a line with no
    space, a long run of Han text, overflows it unbroken); 0 with fewer than :data:`_SPACED_LEAST` such lines."""
    spaced = [ln for ln in lines if " " in ln.text and len(ln.text) > 3]
    return _page_width(spaced) if len(spaced) >= _SPACED_LEAST else 0.0


def _space_fit(a: _Line, b: _Line) -> float:
    """Width of line ``a`` with a space and all of ``b`` up to its first space added (a wrapper that breaks only
    at spaces moved that run down because it did not fit)."""
    return a.width + 0.5 + _width(b.text.split(" ", 1)[0])


def _page_width(lines: list[_Line]) -> float:
    ws = sorted(ln.width for ln in lines)
    if not ws:
        return 0.0
    if len(ws) < 8:
        return ws[-1]
    return ws[int(len(ws) * 0.9)]


def reflow(text: str, lang: str, *, force: bool | None = None) -> ReflowResult:
    """Reflow ``text`` into blocks.

    ``force=None`` detects PDF-like layout; when the text is not wrapped, blocks are the blank-line separated
    paragraphs (or the lines, when there is no blank line at all), with line breaks inside a paragraph
    joined.  ``force=True`` always runs the full reflow; ``force=False`` never does.
    """
    if not isinstance(text, str):
        raise TypeError("text must be str")
    zh = (lang or "").lower().startswith("zh")
    lines = _lines(text)
    if not lines:
        return ReflowResult([], False, False, 0)
    double = _detect_double(lines)
    if double and _page_width(lines) > 240:
        double = False  # one long line per paragraph with blank lines between: not a page layout
    wrapped = force if force is not None else _looks_wrapped(lines, zh, double)
    if force is None:
        log.info("reflow: lines look %s", "hard-wrapped (lengths cluster near a width): rejoining wrapped lines"
                 if wrapped else "like one paragraph each (ragged lengths): not rejoined")
    if not wrapped:
        return _plain(text, lines, zh)
    return _Reflower(text, lines, zh, double).run()


def hard_breaks(text: str, lang: str, *, force: bool | None = True) -> list[bool]:
    """For every non-blank line but the last: is the line break after it a real paragraph end?"""
    res = reflow(text, lang, force=force)
    owner: dict[int, int] = {}
    for bi, b in enumerate(res.blocks):
        for li in b.lines:
            owner[li] = bi
    ids = [ln.idx for ln in _lines(text)]
    return [owner.get(a, -1) != owner.get(b, -2) for a, b in zip(ids, ids[1:])]


#: pdftotext prints the words of a justified line stretched wide (a long URL pushed to the next line leaves a few
#: words spread over the width) one per line: a run of at least this many one-word lines is such a line
_SPREAD_RUN_MIN = 3
#: pdftotext may put a blank line between the words of such a run (it takes each for a block of its own)
_SPREAD_GAP = 1
#: ...when the line before it ran this close to the text width without ending a sentence (it wrapped into the run)
_SPREAD_BEFORE_FULL = 0.8


def _spread_line(body: list[_Line], w: float) -> set[tuple[int, int]]:
    """Soft breaks (line number pairs) around and inside runs of one-word lines that are one justified line
    pdftotext cut at its wide word gaps ("…16 December 1966, United" / "Nations," / "Treaty" / "Series," / "vol." /
    … / "at" / "https://…"): the run follows a full line that does not end a sentence, has a word in lower case
    (a sentence running on, not a column of names or figures), and the line after it goes on (a blank line between
    them at most)."""
    pairs: set[tuple[int, int]] = set()
    i = 0
    while i < len(body):
        j = i
        while j < len(body) and " " not in body[j].text and body[j].gap <= _SPREAD_GAP and not body[j].page_before:
            j += 1
        if j - i >= _SPREAD_RUN_MIN and i > 0:
            before, run = body[i - 1], body[i:j]
            if (before.width >= _SPREAD_BEFORE_FULL * w and not _ends_terminal(before.text, False)
                    and any(x.text[:1].islower() for x in run)):
                chain = [before] + run + ([body[j]] if j < len(body) and body[j].gap <= _SPREAD_GAP
                                          and not body[j].page_before else [])
                pairs.update((a.idx, b.idx) for a, b in zip(chain, chain[1:]))
        i = max(j, i + 1)
    return pairs


#: a list number alone on a line: "a.", "12.", "iv.", "(c)", "2)", "（三）", "一、"
_BARE_LABEL = re.compile(r"^(?:\(?(?:\d{1,3}|[A-Za-z]|[ivxlc]{2,6})[.)]"
                         r"|\((?:\d{1,3}|[A-Za-z]{1,2}|[ivxlc]{2,6})\)"
                         rf"|（[{chars.ZH_ONES_HUNDRED}]{{1,3}}）|[{chars.ZH_ONES_HUNDRED}]{{1,3}}、)$")


def _bare_labels(body: list[_Line]) -> set[int]:
    """Line numbers of list numbers printed alone, with the item's text on the next line (a blank line between at
    most): pdftotext prints the number of an item set over a hanging indent ("a.<tab>Adapted Material…") as a
    block of its own.  Such a number opens a block and joins the line after it."""
    out = set()
    for a, b in zip(body, body[1:]):
        if (_BARE_LABEL.match(a.text) and b.gap <= _SPREAD_GAP and not b.page_before
                and not _BARE_LABEL.match(b.text)):
            out.add(a.idx)
    return out


# ------------------------------------------------------------------------------------------- plain text

def _plain(text: str, lines: list[_Line], zh: bool) -> ReflowResult:
    has_blank = any(ln.gap > 0 for ln in lines[1:])
    groups: list[list[_Line]] = []
    for ln in lines:
        if not groups or (ln.gap > 0 if has_blank else True) or ln.ff:
            groups.append([ln])
        else:
            groups[-1].append(ln)
    blocks = []
    for g in groups:
        b = _join(text, g, zh, dehyphen=False, markers=False)
        b.kind = "text"
        b.para = len(blocks)
        blocks.append(b)
    return ReflowResult(blocks, False, False, lines[-1].idx + 1)


def _mark_code(lines: list[_Line]) -> int:
    """Body lines that look like program code (:mod:`aligner.segment.code`) get role ``code``; their number."""
    body = [ln for ln in lines if ln.role == "body"]
    hits = code_lines([ln.text for ln in body])
    for k in hits:
        body[k].role = "code"
    if hits:
        log.info("reflow: %d lines look like program code: set aside as code", len(hits))
    return len(hits)


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
                from ..read.labels import find_label  # lazy: aligner.read imports this module
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


# ------------------------------------------------------------------------------------------- the reflower

class _Reflower:
    def __init__(self, text: str, lines: list[_Line], zh: bool, double: bool):
        self.text = text
        self.lines = lines
        self.zh = zh
        self.double = double

    # -- step 1: page breaks and roles
    def _roles(self) -> None:
        lines = self.lines
        for i, ln in enumerate(lines):
            if i == 0:
                continue
            ln.page_before = ln.ff or (self.double and ln.gap == 0)
        for i, ln in enumerate(lines):
            t = ln.text
            if len(t) > 400:
                pass
            elif _SETEXT_UNDERLINE.match(t) and i > 0 and ln.gap == 0 and not ln.ff \
                    and lines[i - 1].role == "body" and any(c.isalnum() for c in lines[i - 1].text):
                ln.role = "furniture"   # a title's underline: the text after it is not footnotes
            elif _RULE_RE.match(t):
                ln.role = "rule"
            elif _URL_RE.match(t):
                ln.role = "url"
            elif _is_furniture_line(t):
                ln.role = "furniture"
        _repeated_edges(lines)
        # a date of issue next to the header furniture is furniture too
        for i, ln in enumerate(lines[:12]):
            if ln.role == "body" and _DATE_RE.match(ln.text):
                near = lines[max(0, i - 2):i] + lines[i + 1:i + 3]
                if sum(1 for x in near if x.role == "furniture") >= 1:
                    ln.role = "furniture"
        # bare URL lines are PDF link annotations when they come in a run or at a page end
        for i, ln in enumerate(lines):
            if ln.role == "url":
                nxt = lines[i + 1] if i + 1 < len(lines) else None
                prv = lines[i - 1] if i > 0 else None
                if ln.page_before or (nxt is not None and (nxt.page_before or (nxt.role in ("url", "furniture") and nxt.gap == 0))) \
                        or (prv is not None and prv.role in ("url", "furniture") and ln.gap == 0):
                    ln.role = "furniture"
                else:
                    ln.role = "body"
        self._page_foot_notes()
        # notes: after a rule, up to the next page break / furniture line / form feed
        in_notes = False
        for i, ln in enumerate(lines):
            if ln.role == "rule":
                in_notes = True
                ln.role = "furniture"
                continue
            if in_notes:
                if ln.page_before or ln.ff or ln.role == "furniture":
                    in_notes = False
                else:
                    ln.role = "note"
                    continue

    def _page_foot_notes(self) -> None:
        """Footnotes without a rule above them (the rule was a drawing, lost by the text extraction): at the foot
        of a page (before a form feed, page furniture aside), lines of the form "2 Translator's note: ..." (a small
        number, a space, text) set off by a blank line or interrupting a sentence that goes on on the next page."""
        lines = self.lines
        need_gap = 2 if self.double else 1
        ends = [k for k, ln in enumerate(lines) if ln.ff] + [len(lines)]
        marker = _ZH_MARKER if self.zh else _EN_MARKER
        start = 0
        for end in ends:
            k = end - 1
            while k >= 0 and lines[k].role in ("furniture", "url", "rule") and not lines[k].ff:
                k -= 1
            # "1Translator's note…", "3译者注…": LibreOffice and Word set the note's number against its text; such
            # a line is a note when the page's running text refers to that number (a marker "…against the2")
            refs = {m.group(1) for ln in lines[start:k] if ln.role == "body"
                    for pat in (marker, _SPACED_MARKER) for m in pat.finditer(ln.text)}
            start = end
            run = []
            referred = set()
            while k > 0 and lines[k].role == "body" and not lines[k].ff and len(run) < 5:
                if _FOOT_NOTE.match(lines[k].text):
                    pass
                elif (m := _GLUED_NOTE.match(lines[k].text)) and m.group(1) in refs:
                    referred.add(lines[k].idx)
                else:
                    break
                run.append(lines[k])
                k -= 1
            # the run is set off by a blank line, or follows a line that does not end a sentence (the text goes
            # on on the next page, or a clause ending in ";" continues with the next item there), or is two or
            # more such lines at the very foot of the page; a glued number the page refers to needs none of that
            # (the rule above it was a drawing)
            while run and run[-1].idx not in referred and not (
                    run[-1].gap >= need_gap or not _ends_sentence(lines[k].text) or len(run) >= 2):
                k += 1
                run.pop()
            for ln in run:
                ln.role = "note"

    # -- step 2: footnote markers in running text
    def _markers(self, note_numbers: set[int]) -> dict[int, list[tuple[int, int]]]:
        text = self.text
        spans: dict[int, list[tuple[int, int]]] = {}
        last = 0
        seen: set[int] = set()
        if self.zh:
            pat = _ZH_MARKER
        else:
            pat = _EN_MARKER
        for ln in self.lines:
            if ln.role != "body":
                continue
            for m in pat.finditer(text, ln.start, ln.end):
                num = int(m.group(1))
                if num == 0 or m.group(1).startswith("0"):
                    continue
                if note_numbers and num not in note_numbers:
                    continue
                if not (num in seen or last < num <= last + 3 or (not seen and num <= 3)):
                    continue
                if not self.zh:
                    pre = text[max(ln.start, m.start() - 12):m.start()]
                    if pre[-1:].isalpha():
                        w = re.search(r"[A-Za-z]+$", pre)
                        if not w or len(w.group(0)) < 4 or not pre[-1].islower():
                            continue
                    # "1,000" / "3.5": a digit right before the punctuation and a digit after
                    nxt = text[m.end():m.end() + 1]
                    if nxt.isdigit():
                        continue
                    # "### 1.2 Active Repository", "Figure 1.12 …": a section or figure number, not "…in 1995.2"
                    if _SECTION_NUMBER_END.search(text, max(ln.start, m.start() - _SECTION_NUMBER_LOOKBACK),
                                                  m.start()):
                        continue
                spans.setdefault(ln.idx, []).append((m.start(1), m.end(1)))
                seen.add(num)
                last = max(last, num)
        return spans

    # -- step 3: decide hard/soft breaks between running-text lines
    def run(self) -> ReflowResult:
        self._roles()
        lines = self.lines
        n_code = _mark_code(lines)
        text = self.text
        zh = self.zh
        body = [ln for ln in lines if ln.role == "body"]
        self.w = w = _page_width([ln for ln in body if len(ln.text) > 3]) or 1.0
        latin, han_han = _break_sides(body) if zh else (0, 0)
        self.space_wrap = _space_wrapped(latin, han_han)
        if self.space_wrap:
            self.w = w = _spaced_width(body) or w
        indents = sorted(ln.indent for ln in body)
        self.base_indent = indents[len(indents) // 2] if indents else 0.0
        n_ind = sum(1 for x in indents if x > self.base_indent)
        self.indent_signal = bool(indents) and 0.03 * len(indents) <= n_ind <= 0.6 * len(indents)
        # header zone: lines before the first long body line
        first_long = next((k for k, ln in enumerate(body) if ln.width >= 0.85 * w), len(body))
        header_ids = {ln.idx for ln in body[:first_long]} if first_long < len(body) else set()
        self._evidence(body, header_ids)
        if self.space_wrap:
            self.guesses.append(f"Chinese lines wrapped only at spaces ({latin} line breaks next to a Latin word, "
                                f"{han_han} between Han characters): the width is that of the lines holding a space "
                                f"({w:.0f}), and a line is full when the next line's text up to its first space would "
                                f"not have fitted")
        spread = set() if zh else _spread_line(body, w)
        bare = _bare_labels(body)

        # notes -> blocks (one per footnote number)
        note_groups: list[list[_Line]] = []
        note_nums: list[str | None] = []
        expected = None
        prev_role = None
        for ln in lines:
            if ln.role != "note":
                prev_role = ln.role
                continue
            m = _NOTE_START.match(ln.text)
            start_new = prev_role != "note"
            num = None
            if m:
                k = int(m.group(1))
                # the first note of a page's run takes its number whatever came before (notes between may have been
                # set aside as furniture: a note text repeated at many page feet)
                if start_new or expected is None or k == expected or (k > expected - 1 and k <= expected + 2):
                    start_new = True
                    num = m.group(1)
                    expected = k + 1
            if start_new or not note_groups:
                note_groups.append([ln])
                note_nums.append(num)
            else:
                note_groups[-1].append(ln)
            prev_role = "note"
        note_numbers = {int(x) for x in note_nums if x}
        marker_spans = self._markers(note_numbers)

        doc_words: dict[str, int] = {}
        self._mid_caps: dict[str, int] = {}
        if not zh:
            self._start_caps: dict[str, int] = {}
            for ln in body:
                m0 = re.match(r"[A-Z][a-z]+\b", ln.text)
                if m0:
                    self._start_caps[m0.group(0)] = self._start_caps.get(m0.group(0), 0) + 1
                for m in re.finditer(r"(?<=[a-z,] )[A-Z][a-z]+\b", ln.text):
                    self._mid_caps[m.group(0)] = self._mid_caps.get(m.group(0), 0) + 1
            for m in re.finditer(r"[A-Za-z]+(?:-[A-Za-z]+)*", text):
                wd = m.group(0).lower()
                doc_words[wd] = doc_words.get(wd, 0) + 1

        # running text
        groups: list[list[_Line]] = []
        prev: _Line | None = None
        between_page = False
        self._next = {a.idx: b for a, b in zip(body, body[1:])}
        code_groups: list[list[_Line]] = []
        after_code = False
        for ln in lines:
            if ln.role == "code":
                if code_groups and code_groups[-1][-1].idx == ln.idx - 1 - ln.gap and after_code:
                    code_groups[-1].append(ln)
                else:
                    code_groups.append([ln])
                after_code = True
                continue
            if ln.role != "body":
                if prev is not None:
                    between_page = True
                continue
            if prev is None or after_code:
                groups.append([ln])   # the text after a code block opens a new paragraph
                after_code = False
            else:
                page = between_page or ln.page_before
                if prev.idx in bare and not page:
                    hard = False   # a list number printed alone: its text follows
                elif ln.idx in bare:
                    hard = True
                else:
                    hard = self._hard(prev, ln, page, prev.idx in header_ids, ln.idx in header_ids) \
                        and (prev.idx, ln.idx) not in spread
                if hard:
                    groups.append([ln])
                else:
                    groups[-1].append(ln)
            prev = ln
            between_page = False

        blocks: list[Block] = []
        for g in groups:
            b = _join(text, g, zh, dehyphen=not zh, markers=True, marker_spans=marker_spans, doc_words=doc_words,
                      han_gaps=zh, label_lines=bare)
            b.kind = self._kind(g, b.text, header_ids)
            blocks.append(b)
        for g, num in zip(note_groups, note_nums):
            nspans = {}
            if num:
                nspans[g[0].idx] = [(g[0].start, g[0].start + len(num))]
            b = _join(text, g, zh, dehyphen=not zh, markers=False, marker_spans=nspans, doc_words=doc_words,
                      han_gaps=zh)
            b.kind = "note"
            b.number = num
            blocks.append(b)
        for g in code_groups:
            b = _join(text, g, zh, dehyphen=False, markers=False)
            b.kind = "code"
            blocks.append(b)
        if n_code:
            self.guesses.append(f"{n_code} lines look like program code (printed fences, or statement-like lines in "
                                f"a run): set aside as code")
        for ln in lines:
            if ln.role in ("furniture", "rule", "url"):
                blocks.append(Block(ln.text, "furniture", ln.start, ln.end, 0, [(0, ln.start)], [], [ln.idx]))
        self._signatures(blocks)
        blocks.sort(key=lambda b: (b.start, b.end))
        for i, b in enumerate(blocks):
            b.para = i
        return ReflowResult(blocks, True, self.double, lines[-1].idx + 1, list(self.guesses))

    def _evidence(self, body: list[_Line], header_ids: set[int]) -> None:
        """Document-wide evidence for the break decisions: the width of the box the opening title lines and the
        division headings were set in, and whether a sentence end at a full line is more likely a paragraph end."""
        zh = self.zh
        least = breaks.HEAD_BOX_LEAST * self.w
        self.head_box = breaks.box_width([ln.width for ln in body if ln.idx in header_ids], zh, least)
        self.div_box = breaks.box_width([ln.width for ln in body if _division_with_title(ln.text)], zh, least)
        short, inside, share = breaks.paragraph_share([(ln.text, ln.width) for ln in body], self.w, zh)
        self.full_stop_hard = share > breaks.PARAGRAPH_SHARE
        self.guesses = [f"a sentence end at a full line taken for a {'paragraph end' if self.full_stop_hard else 'wrap'}"
                        f" ({short} of {short + inside} sentence ends seen are paragraph ends)"]
        n_markup = markup.shows_markup([ln.text for ln in body])
        self.markup = n_markup >= markup.MARKUP_LEAST
        if self.markup:
            self.guesses.append(f"printed markup marks ({n_markup} lines: '#' headings, '|' table rows, images, "
                                f"tags) end or open blocks")
        log.debug("reflow: width %.1f, title box %s, heading box %s; %s", self.w, self.head_box, self.div_box,
                  self.guesses[0])

    def _fit(self, a: _Line, b: _Line) -> float:
        """Width of line ``a`` with the first word (Chinese: character or Latin word; Chinese wrapped only at
        spaces: all of ``b`` up to its first space) of ``b`` added."""
        if self.zh:
            if self.space_wrap:
                return _space_fit(a, b)
            return a.width + _width(breaks.first_token(b.text, True))
        return a.width + 1 + len(b.text.split(" ", 1)[0])

    def _runs_on(self, a: _Line, b: _Line) -> bool:
        """``a`` is a full line that ends no sentence or clause: whatever ``b`` starts with, the text goes on."""
        if _ends_terminal(a.text, self.zh) or breaks.ends_clause_conjunction(a.text):
            return False
        return self._fit(a, b) >= (breaks.ZH_WRAP_FIT if self.zh else _EN_FULL) * self.w

    def _head_continues(self, a: _Line, b: _Line, box: float | None, division: bool = False,
                        body: bool = False) -> bool:
        """Heading (or title) line ``a`` goes on in ``b``: ``b`` is no heading, label or sentence of its own, is no
        wider than the heading box, and ``a`` ends in a connecting word, ``b`` starts in lower case, ``a`` fills the
        box, or (a division heading) ``b`` is followed by a label, a heading or a blank line.

        ``body``: ``a`` is a short line amid the text (not among the title lines, not a division heading); it is
        only a wrapped title when the document's title box is known, ``a`` ends in no punctuation and is no
        paragraph's short last line (at least :data:`_BODY_TITLE_SHARE` of the box)."""
        zh = self.zh
        ta, tb = a.text, b.text
        if body and (not box or breaks.ends_punctuated(ta) or a.width < _BODY_TITLE_SHARE * box):
            return False
        if _LIST_START.match(tb) or _heading_line(tb) or breaks.ZH_SPACE_ITEM.match(tb) or _NUMBERED_TITLE.match(tb):
            return False  # "Subsection 1 Categories…", "Annex II": a numbered title of its own
        from ..read.labels import find_label  # lazy: aligner.read imports this module
        if find_label(tb) is not None:
            return False
        if _ends_terminal(tb, zh) and not (division and not zh and tb.endswith(".")):
            return False  # "…Limitation / of Liability." ends a division heading; otherwise a sentence
        if _ends_terminal(ta, zh):
            return False  # "Section 3 – License Conditions.": a heading that ends in a full stop is complete
        limit = box or (None if not (division or body) else a.width)
        if b.width >= _EN_FULL * self.w or \
                (limit and b.width > (limit + breaks.HEAD_FULL_ZH if zh else (1 + breaks.HEAD_BOX_TOL_EN) * limit)):
            return False  # as wide as the text, or wider than the heading (its box, or the line above): body text
        if breaks.heading_connector(ta, tb, zh):
            return True
        if breaks.fills_box(a.width, _width(breaks.first_token(tb, zh)), box, zh):
            return True
        if division:
            nxt = self._next.get(b.idx)
            if nxt is None or nxt.gap or nxt.page_before or _LIST_START.match(nxt.text) \
                    or _heading_line(nxt.text) or find_label(nxt.text) is not None:
                return True
        return False

    def _hard(self, a: _Line, b: _Line, page: bool, in_header: bool, b_in_header: bool = False) -> bool:
        zh = self.zh
        w = self.w
        ta, tb = a.text, b.text
        if w > 240:
            return True  # lines far longer than any page: every line is a paragraph
        decided = None
        if self.markup:
            full = self._fit(a, b) >= (breaks.ZH_WRAP_FIT if zh else _EN_FULL) * w
            decided = markup.markup_break(ta, tb, full, b.width < _EN_FULL * w, zh,
                                          tail_short=b.width < markup.HEAD_TAIL_SHARE * w)
            if decided is True:
                return True
            if decided is False and (page or markup.mark_only(ta)):
                return False  # a table row or caption going on over a page break; "###" / "" / "没有人响应你。"
        if page and b.ff is False and any(x.role == "furniture" for x in self._between(a, b)):
            pass  # the blank lines around a running header/footer are not a paragraph gap
        elif self.double:
            if b.gap >= 2:
                return True
        elif b.gap >= 1:
            return True
        if decided is False:
            return False
        # a numbered or headed line right after a full line that ends no clause is the text going on
        # ("…，适用 / 第三条b款的要求；", "…including for purposes of / Section 3(b); and")
        if _LIST_START.match(tb) and (_BULLET_START.match(tb) or not self._runs_on(a, b)) \
                and not (self.markup and markup.emphasis_start(tb)):  # "**databases** are…" is no bullet
            return True
        if _heading_line(tb) and not (_division_with_title(tb) and self._runs_on(a, b)):
            return True  # "第一章", "第 3 條", "Article 5", "Preamble" alone on a line: never part of a paragraph
        if _heading_line(ta):
            # "Chapter IV The National Flag, National Anthem, / National Emblem and the Capital"
            return not (_division_with_title(ta) and self._head_continues(a, b, self.div_box, division=True))
        term = _ends_terminal(ta, zh)
        closed = term or breaks.ends_clause_conjunction(ta)  # "…的全部或部分；以及" closes an item as "；" does
        if closed and ((_ITEM_START.match(tb) and _item_line(tb)) or (zh and breaks.ZH_SPACE_ITEM.match(tb))):
            return True  # "a. Adapted Material means…", "B. 创作…", "二 蒙古…" after a sentence or clause end
        if term and _article_opens(tb):
            return True  # "…shall be prescribed by law. / Article 87 The State Council…"
        if not zh and self._tight_item(a, b, closed):
            return True  # "…shall apply: / 1.Works that are first published…" (an item number without a space)
        if in_header:
            # the title lines over the text: each its own block unless the title wraps
            if b_in_header and not zh and _capitals_title(ta) and _capitals_title(tb) and not _ends_terminal(ta, zh) \
                    and not _heading_line(tb):
                return False  # "CONSTITUTION OF THE PEOPLE'S / REPUBLIC OF CHINA": one title set in capitals
            return not (b_in_header and self._head_continues(a, b, self.head_box))
        fit = self._fit(a, b)
        if breaks.ends_comma(ta):
            if fit < breaks.CLAUSE_SHORT * w and breaks.ends_punctuated(tb):
                return True  # "委员长，" / "a chairperson,": a list of short clauses, one a line
            if zh:
                return False
        if page:
            # indentation is meaningless on the first line of a page: go by punctuation and length
            if zh:
                return term or a.width < 0.6 * w
            if tb[:1].islower():
                return False
            return term or fit < _EN_FULL * w
        if self.indent_signal and b.indent > self.base_indent + 0.4 and not self._hangs(a, b):
            return True  # set in, and not under the text of the line before: a paragraph's first-line indent
        if zh:
            if term:
                if a.width < _ZH_TERM_SHORT * w:
                    return True
                return self.full_stop_hard and breaks.ends_sentence_mark(ta)
            # no sentence punctuation: a line that ends before the next character would have filled it ends its
            # paragraph (a heading, a title), unless it fills the title box and goes on in a short line
            if fit < breaks.ZH_WRAP_FIT * w:
                return not self._head_continues(a, b, self.head_box, body=True)
            return False
        if tb[:1].islower():
            # "…composed of the following personnel: / a chairperson,": a clause end well short of the width
            return ta.rstrip().endswith((":", ";")) and fit < w and breaks.ends_punctuated(tb)
        if term:
            if fit < w:
                return True
            return self.full_stop_hard and breaks.ends_sentence_mark(ta)
        if fit < _EN_FULL * w:
            div = _division_with_title(ta, long=True)
            return not self._head_continues(a, b, self.div_box if div else self.head_box, division=div, body=not div)
        # "…submitted thereon,\nWelcoming the …": a capitalised word that never appears capitalised inside a
        # line elsewhere in the document starts a (preambular) paragraph
        m = re.match(r"[A-Z][a-z]+\b", tb)
        if ta.endswith((",", ";")) and m and self._mid_caps.get(m.group(0), 0) == 0:
            wd = m.group(0)
            if self._start_caps.get(wd, 0) >= 2 or wd.endswith(("ing", "ed")):
                return True
        return False

    def _column(self, ln: _Line) -> int:
        """Character column (tabs at 4) where the content of line ``ln`` starts."""
        bol = self.text.rfind("\n", 0, ln.start) + 1
        return len(self.text[bol:ln.start].replace("\f", "").replace("\r", "").expandtabs(4))

    def _hangs(self, a: _Line, b: _Line) -> bool:
        """Indented line ``b`` stands under the text of ``a``: at ``a``'s own column (the next line of an indented
        quote or item) or at the column of ``a``'s text after its list label ("-   item…" / "    goes on"), ``a``
        is full (it and ``b``'s first word reach the width), and neither line is a table row (a gap of spaces
        between columns) or a rule.  Whether the text goes on there is then left to the usual evidence (sentence
        ends)."""
        cb = self._column(b)
        ca = self._column(a)
        m = _HANG_LABEL.match(a.text)
        label = len(m.group(0).expandtabs(4)) if m else 0
        if cb != ca and not (label and cb == ca + label):
            return False
        if not any(c.isalnum() for c in a.text + b.text[:1]) or not any(c.isalnum() for c in b.text):
            return False  # a rule under a table's head ("Question" / "------ ------"), a line of marks
        if self._fit(a, b) < (breaks.ZH_WRAP_FIT if self.zh else _EN_FULL) * self.w:
            return False  # a short line set in: a line of code, an address, a verse, not a wrap
        return not (_COLUMN_GAP.search(a.text[len(m.group(0)) if m else 0:]) or _COLUMN_GAP.search(b.text))

    def _tight_item(self, a: _Line, b: _Line, closed: bool) -> bool:
        """``b`` opens an item numbered without a space ("1.Works", "2.does not…"): after a clause end, a dash, or
        when it is item 1 or the item after one already seen at a line start in the last
        :data:`_TIGHT_ITEM_REACH` lines (the list's own numbering)."""
        m = _TIGHT_ITEM.match(b.text)
        if not m:
            return False
        n = int(m.group(1))
        if not hasattr(self, "_tight_seen"):
            self._tight_seen: dict[int, int] = {}
        seen = self._tight_seen.get(n - 1)
        self._tight_seen[n] = b.idx
        return closed or a.text.endswith(("—", "–")) or n == 1 or (seen is not None and b.idx - seen <= _TIGHT_ITEM_REACH)

    def _between(self, a: _Line, b: _Line) -> list[_Line]:
        """The (non-body) lines between body lines ``a`` and ``b``."""
        if not hasattr(self, "_pos"):
            self._pos = {ln.idx: k for k, ln in enumerate(self.lines)}
        return self.lines[self._pos[a.idx] + 1:self._pos[b.idx]]

    def _kind(self, g: list[_Line], t: str, header_ids: set[int]) -> str:
        zh = self.zh
        if _LIST_START.match(t):
            return "list"
        if not t:
            return "text"
        last = t.rstrip("".join(CLOSING) + "0123456789 ")[-1:]
        punct = last in "。！？!?；;：:，,.、…" or breaks.ends_clause_conjunction(t)  # "vice chairpersons, and"
        if g[0].idx in header_ids and not punct:
            return "heading"
        if len(g) <= 2 and not punct and _width(t) < (1.2 if zh else 1.0) * self.w:
            return "heading"
        if len(g) <= _TITLE_BOX_LINES and not punct and all(ln.width < _EN_FULL * self.w for ln in g):
            return "heading"  # a title wrapped in a box narrower than the text ("Annex to the letter … / of Armenia…")
        return "text"

    def _signatures(self, blocks: list[Block]) -> None:
        running = [b for b in blocks if b.kind not in SKIPPED]
        running.sort(key=lambda b: b.start)
        for i, b in enumerate(running):
            if _SIGNED_RE.search(b.text):
                b.kind = "signature"
                j = i - 1
                while j >= 0 and running[j].kind == "heading" and _width(running[j].text) < 0.5 * self.w:
                    running[j].kind = "signature"
                    j -= 1
        # place and date after the last paragraph of text
        j = len(running) - 1
        while j >= 0 and running[j].kind in ("heading", "signature") and _width(running[j].text) < 0.5 * self.w:
            running[j].kind = "signature"
            j -= 1


#: the text before an English marker candidate ends in a one- or two-digit number and a dot ("1.2", "6.3.2"): the
#: candidate is the number's next part; a note marker after a number follows a year or an amount ("…1995,2")
_SECTION_NUMBER_END = re.compile(r"(?<![\d,])\d{1,2}\.$")
#: characters looked back from a marker for a section number ("1.2", "12.3": at most "NN." before the marker digit)
_SECTION_NUMBER_LOOKBACK = 6
_ZH_MARKER = re.compile(rf"(?<=[。，；：、”’）」』！？)\]])(\d{{1,3}})(?=[ \u3000]|$|[{chars.HAN_CORE}“《（(])", re.M)
_EN_MARKER = re.compile(r"(?<=[a-z\)\],.;:”’\"])(\d{1,3})(?=[ \t]|$|[,.;:])", re.M)
