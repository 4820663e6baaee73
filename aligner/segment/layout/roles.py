"""Step 1 and 2 of the full reflow (:class:`_LineRoles`, a part of :class:`~.reflower._Reflower`): each line's role
(body, furniture, rule, URL, note) and the footnote reference markers in running text.
"""
from __future__ import annotations

import re

from .furniture import (_DATE_RE, _EN_MARKER, _FOOT_NOTE, _GLUED_NOTE, _RULE_RE, _SECTION_NUMBER_END,
                        _SECTION_NUMBER_LOOKBACK, _SETEXT_UNDERLINE, _SPACED_MARKER, _URL_RE, _ZH_MARKER,
                        _is_furniture_line, _repeated_edges)
from .line_rules import _ends_sentence


class _LineRoles:
    """Line roles and footnote markers; expects ``text``, ``lines``, ``zh`` and ``double`` on the instance."""

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
