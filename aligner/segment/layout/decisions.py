"""Step 3 of the full reflow (:class:`_BreakDecisions`, a part of :class:`~.reflower._Reflower`): for a line
break between two lines of running text, is it a paragraph end ("hard") or a layout wrap ("soft")?  The document-wide
evidence it weighs (title and heading boxes, whether a sentence end at a full line ends a paragraph) comes first.
"""
from __future__ import annotations

import logging
import re

from .. import breaks, markup
from .line_rules import (_BULLET_START, _HANG_LABEL, _ITEM_START, _LIST_START, _NUMBERED_TITLE, _TIGHT_ITEM,
                         _article_opens, _capitals_title, _division_with_title, _ends_terminal, _heading_line,
                         _item_line)
from .lines import _Line, _width
from .wrap import _space_fit


#: the reflow logs under one name, aligner.segment.layout (the package), whichever of its modules speaks
log = logging.getLogger(__package__)


#: an English line is full when it and the next line's first word reach this share of the text width (a wrap);
#: below it the line ended early: a paragraph end or a title (the reflow's fit test, also used for Chinese headings)
_EN_FULL = 0.88

#: a Chinese line ending in sentence punctuation short of this share of the width ends its paragraph: Chinese wraps
#: at any character, so a full-width line stops within a character or two of the width
_ZH_TERM_SHORT = 0.9

#: a run of at most this many short unpunctuated lines is a title wrapped in a box narrower than the text
_TITLE_BOX_LINES = 3

#: a short line amid the text is a wrapped title's line only if it is at least this share of the title box wide (a
#: paragraph's last line is usually shorter; "Annex to the letter dated … from the" fills the box)
_BODY_TITLE_SHARE = 0.6

#: how many lines back the previous item of a numbered list may have opened for "N.Text" to be its next item
_TIGHT_ITEM_REACH = 30

#: two or more spaces inside a line, not after a sentence mark ("sentence.  Next" in an RFC): a gap between the
#: columns of a table row, whose rows never run on into each other
_COLUMN_GAP = re.compile(r"[^\s.!?:;]  +\S")


class _BreakDecisions:
    """The hard/soft decision for each line break; expects the attributes :meth:`_Reflower.run` sets (``w``,
    ``space_wrap``, ``base_indent``, ``indent_signal``, ``_next``, ...)."""

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

    def _wraps_at_width(self, a: _Line, b: _Line | None) -> bool:
        """``a`` was wrapped at the document's width: ``b`` follows it without a blank line or page break, ``a``
        ends no sentence, and ``b``'s first token (all of ``b`` up to its first space, in Chinese wrapped only at
        spaces) would not have fitted on ``a``."""
        return b is not None and not b.gap and not b.page_before and not b.ff \
            and not _ends_terminal(a.text, self.zh) and self._fit(a, b) > self.w

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
        from ...read.labels import find_label  # lazy: aligner.read imports this module
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
