"""The full reflow of a hard-wrapped text (:class:`_Reflower`): roles (:mod:`.roles`), then the break decisions
(:mod:`.decisions`) line by line, then the joined blocks (:mod:`.linejoin`) with their kinds (heading, list, text,
signature, note, code, furniture).
"""
from __future__ import annotations

import re

from .. import breaks
from .blocks import Block, ReflowResult, SKIPPED
from .decisions import _BreakDecisions, _EN_FULL, _TITLE_BOX_LINES
from .furniture import _NOTE_START, _mark_code
from .line_rules import _LIST_START, _SIGNED_RE, _bare_labels, _spread_line
from .linejoin import _doc_words, _join, _latin_spacing
from .lines import CLOSING, _Line, _page_width, _width
from .roles import _LineRoles
from .wrap import _break_sides, _space_wrapped, _spaced_width


class _Reflower(_LineRoles, _BreakDecisions):
    """Reflow one hard-wrapped text: ``_Reflower(text, lines, zh, double).run()``."""

    def __init__(self, text: str, lines: list[_Line], zh: bool, double: bool):
        self.text = text
        self.lines = lines
        self.zh = zh
        self.double = double

    # -- step 3: decide hard/soft breaks between running-text lines
    def run(self) -> ReflowResult:
        self._roles()
        lines = self.lines
        n_code = _mark_code(lines, self.text)
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
        # header zone: lines before the first long body line (in Chinese, or the first line that wrapped: the next
        # line's first token would not have fitted; a wrapper that breaks at spaces leaves a short line there)
        first_long = next((k for k, ln in enumerate(body) if ln.width >= 0.85 * w
                           or (zh and self._wraps_at_width(ln, body[k + 1] if k + 1 < len(body) else None))),
                          len(body))
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
            doc_words = _doc_words(text)

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
        latin_space = _latin_spacing(text) if zh else frozenset()
        if latin_space:
            self.guesses.append(f"the text spaces Latin {'s and '.join(sorted(latin_space))}s from Han characters: a "
                                f"wrap between them is joined with a space")
        if self.space_wrap:
            latin_space |= {"narrow"}   # every wrap was at a space: one next to a narrow character is kept
        for g in groups:
            b = _join(text, g, zh, dehyphen=not zh, markers=True, marker_spans=marker_spans, doc_words=doc_words,
                      han_gaps=zh, label_lines=bare, latin_space=latin_space)
            b.kind = self._kind(g, b.text, header_ids)
            blocks.append(b)
        for g, num in zip(note_groups, note_nums):
            nspans = {}
            if num:
                nspans[g[0].idx] = [(g[0].start, g[0].start + len(num))]
            b = _join(text, g, zh, dehyphen=not zh, markers=False, marker_spans=nspans, doc_words=doc_words,
                      han_gaps=zh, latin_space=latin_space)
            b.kind = "note"
            b.number = num
            blocks.append(b)
        for g in code_groups:
            b = _join(text, g, zh, dehyphen=False, markers=False)
            b.kind = "code"
            blocks.append(b)
        if n_code:
            self.guesses.append(f"{n_code} lines look like program code (printed fences, statement-like lines in "
                                f"a run, or blocks set in after a blank line): set aside as code")
        for ln in lines:
            if ln.role in ("furniture", "rule", "url"):
                blocks.append(Block(ln.text, "furniture", ln.start, ln.end, 0, [(0, ln.start)], [], [ln.idx]))
        self._signatures(blocks)
        blocks.sort(key=lambda b: (b.start, b.end))
        for i, b in enumerate(blocks):
            b.para = i
        return ReflowResult(blocks, True, self.double, lines[-1].idx + 1, list(self.guesses))

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
