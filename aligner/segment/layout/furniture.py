"""Page furniture and footnotes, line by line: organ headers, document symbols, job numbers, barcodes, page
numbers, rules and URLs (:func:`_is_furniture_line`), running headers and footers repeated at page edges
(:func:`_repeated_edges`), program code set aside (:func:`_mark_code`), and the patterns of footnote bodies and of the
reference markers in running text.
"""
from __future__ import annotations

import logging
import re

from ... import chars
from ..code import code_lines, indented_code
from .line_rules import _BARE_LABEL, _HANG_LABEL, _ends_sentence, _heading_line
from .lines import _Line, _SPACE_RE, _page_width


#: the reflow logs under one name, aligner.segment.layout (the package), whichever of its modules speaks
log = logging.getLogger(__package__)


#: a UN document symbol: A/75/780, S/2021/206, E/CN.4/2005/L.10/Add.1
_SYMBOL = r"[A-Z]{1,6}(?:\.\d{1,3})?/(?:[A-Z0-9]+(?:[.\-][A-Z0-9]+)*/)*[A-Z0-9]+(?:[.\-][A-Z0-9]+)*(?:\([A-Z]+\))?(?:/Rev\.\d+|/Add\.\d+|/Corr\.\d+)*"

#: the pieces a header/footer line is made of (symbols, job numbers, barcodes, page numbers, dashes)
_FURN_TOKEN = re.compile(
    r"(?:" + _SYMBOL + r"|\d{2}-\d{5}|GE\.\d{2}-\d{5}|\([A-Z]{1,2}\)|\d{6}|\*\d{6,}\*|\d{1,3}/\d{1,3}|"
    r"-\s?\d{1,3}\s?-|[–—]|\d{1,3})"
)

#: a line that is a document symbol alone
_SYMBOL_RE = re.compile(r"^" + _SYMBOL + r"$")

#: a UN job number: 21-02897 (C), GE.21-02897 (E)
_JOB_RE = re.compile(r"(?:GE\.)?\d{2}-\d{5}\s*\([A-Z]{1,2}\)")

#: a barcode line: *2102897*
_BARCODE_RE = re.compile(r"^\*\d{6,}\*$")

#: a page number line: 3, - 3 -, 3/12, Page 3 of 40
_PAGE_RE = re.compile(r"^(?:[-–—]?\s*\d{1,4}\s*[-–—]?|\d{1,3}\s*/\s*\d{1,3}|[Pp]age\s+\d{1,4}(?:\s+of\s+\d+)?|"
                      r"第\s*\d{1,4}\s*页(?:\s*共\s*\d+\s*页)?|\d{1,3}\s*of\s*\d{1,3})$")

#: a separator rule (a footnote rule or a drawn line), at least 8 characters
_RULE_RE = re.compile(r"^[_＿\-－—–=＝~·.]{8,}$")

#: a line of only "=" or only "-" right under a line of text (no blank line between) underlines that line as a
#: title (a Markdown setext heading, also common in plain-text specifications); a footnote rule stands apart
_SETEXT_UNDERLINE = re.compile(r"^(?:={3,}|-{3,})$")

#: a bare URL alone on a line (a PDF link annotation when in a run or at a page end)
_URL_RE = re.compile(r"^(?:https?://|www\.)[!-~]+$", re.I)

#: UN organ names printed as page headers, in both languages
_ORGANS = (
    "大会", "安全理事会", "经济及社会理事会", "托管理事会", "联合国", "国际法院", "秘书处", "人权理事会",
    "General Assembly", "Security Council", "Economic and Social Council", "United Nations",
    "Trusteeship Council", "International Court of Justice", "Secretariat", "Human Rights Council",
)

#: a line made only of organ names (spaces removed: "大  会  安全理事会")
_ORGAN_RE = re.compile(r"^(?:(?:" + "|".join(re.escape(o.replace(" ", "")) for o in _ORGANS) + r")+)$")

#: UN cover-page header lines: Distr., Original, language lists, "Please recycle"
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


#: an organ name anywhere in a line
_ORG_IN_LINE = re.compile("|".join(re.escape(o) for o in _ORGANS))

#: organ names opening a line (the rest of the line is then checked for header tokens)
_ORG_PREFIX = re.compile(r"^(?:(?:" + "|".join(re.escape(o) for o in _ORGANS) + r")\s*)+")

#: a date alone on a line (a date of issue when next to header furniture)
_DATE_RE = re.compile(
    r"^(?:\d{1,2}\s+(?:January|February|March|April|May|June|July|August|September|October|November|December)"
    r"\s+\d{4}|\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)$")

#: a footnote body line: a number 1-99, a space, then text
_FOOT_NOTE = re.compile(r"^[1-9]\d?\s+[^\d\s.,:;)）/%]")

#: the number opening a footnote body (with or without a space after it)
_NOTE_START = re.compile(r"^(\d{1,3})(?:\s+|(?=[^\d\s.,)）/%]))")

#: a footnote reference that pdftotext printed a space away from the punctuation it follows ("…of peoples”. 1")
_SPACED_MARKER = re.compile(r"(?<=[.,;:”’\"\)\]。，；：、）]) (\d{1,2})(?=\s|$)", re.M)

#: a footnote whose number is set against its text, without a space ("1Translator's note", "3译者注")
_GLUED_NOTE = re.compile(r"^([1-9]\d?)(?=[^\d\s.,:;)）/%])")

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


#: a block set in at least this many columns further than the text before it (after a blank line) may be code:
#: Markdown's indented code, pandoc's ``-t plain`` code blocks (4); a block quote is set in by 2, a list item's
#: next paragraph stands at its text's column
_CODE_INDENT = 4


def _line_column(text: str, ln: _Line) -> int:
    """Character column (tabs at 4) where the content of line ``ln`` starts."""
    bol = text.rfind("\n", 0, ln.start) + 1
    return len(text[bol:ln.start].replace("\f", "").replace("\r", "").expandtabs(4))


def _mark_code(lines: list[_Line], text: str = "") -> int:
    """Body lines that look like program code (:mod:`aligner.segment.code`) get role ``code``; their number.  Also
    a block set in by :data:`_CODE_INDENT` columns or more from the line of text before it (its text's column,
    after a list label), after a blank line, that :func:`aligner.segment.code.indented_code` takes for code."""
    body = [ln for ln in lines if ln.role == "body"]
    hits = code_lines([ln.text for ln in body])
    prev = None   # the last line of text before a block (not of a code block set in)
    i = 0
    while text and i < len(body):
        ln = body[i]
        if prev is not None and ln.gap and not ln.ff and not ln.page_before:
            m = _HANG_LABEL.match(prev.text)
            base = _line_column(text, prev) + (len(m.group(0).expandtabs(4)) if m else 0)
            j = i
            while j < len(body) and _line_column(text, body[j]) >= base + _CODE_INDENT and not (j > i and body[j].ff):
                j += 1
            if j > i and (j == len(body) or body[j].gap) and indented_code([x.text for x in body[i:j]]):
                hits.update(range(i, j))
                i = j
                continue
        prev = ln
        i += 1
    for k in hits:
        body[k].role = "code"
    if hits:
        log.info("reflow: %d lines look like program code: set aside as code", len(hits))
    return len(hits)


#: the text before an English marker candidate ends in a one- or two-digit number and a dot ("1.2", "6.3.2"): the
#: candidate is the number's next part; a note marker after a number follows a year or an amount ("…1995,2")
_SECTION_NUMBER_END = re.compile(r"(?<![\d,])\d{1,2}\.$")

#: characters looked back from a marker for a section number ("1.2", "12.3": at most "NN." before the marker digit)
_SECTION_NUMBER_LOOKBACK = 6

#: a footnote reference in Chinese running text: digits after sentence punctuation, before a space, the end or Han text
_ZH_MARKER = re.compile(rf"(?<=[。，；：、”’）」』！？)\]])(\d{{1,3}})(?=[ \u3000]|$|[{chars.HAN_CORE}“《（(])", re.M)

#: a footnote reference in English running text: digits right after a word or punctuation
_EN_MARKER = re.compile(r"(?<=[a-z\)\],.;:”’\"])(\d{1,3})(?=[ \t]|$|[,.;:])", re.M)
