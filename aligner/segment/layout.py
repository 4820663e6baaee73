"""Reflow stage (basic version): paragraphs from blank lines."""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field


@dataclass
class Block:
    text: str
    kind: str
    start: int
    end: int
    para: int = 0
    # piecewise map block-text offset -> original offset: (text_off, orig_off), sorted by text_off
    pieces: list[tuple[int, int]] = field(default_factory=list)
    removed: list[tuple[int, str]] = field(default_factory=list)

    def orig(self, i: int) -> int:
        if not self.pieces:
            return self.start + i
        k = bisect.bisect_right(self.pieces, (i, float("inf"))) - 1
        t, o = self.pieces[max(k, 0)]
        return o + (i - t)

    def orig_span(self, s: int, e: int) -> tuple[int, int]:
        if e <= s:
            p = self.orig(s)
            return p, p
        return self.orig(s), self.orig(e - 1) + 1


@dataclass
class ReflowResult:
    blocks: list[Block]
    reflowed: bool = False


def looks_wrapped(text: str, lang: str) -> bool:
    return False


def reflow(text: str, lang: str, *, force: bool | None = None) -> ReflowResult:
    blocks: list[Block] = []
    has_blank = re.search(r"\n[ \t\u3000]*\r?\n", text) is not None
    pat = re.compile(r"(?:[ \t\u3000\r]*\n){2,}" if has_blank else r"\n")
    pos = 0
    for m in list(pat.finditer(text)) + [None]:
        end = m.start() if m else len(text)
        chunk = text[pos:end]
        st = chunk.strip()
        if st:
            lead = len(chunk) - len(chunk.lstrip())
            s0 = pos + lead
            body = text[s0:s0 + len(st)]
            joined, pieces = _join_lines(body, lang, s0)
            blocks.append(Block(joined, "text", s0, s0 + len(st), len(blocks), pieces))
        pos = m.end() if m else len(text)
    return ReflowResult(blocks, False)


def _join_lines(body: str, lang: str, base: int) -> tuple[str, list[tuple[int, int]]]:
    if "\n" not in body:
        return body, [(0, base)]
    out: list[str] = []
    pieces: list[tuple[int, int]] = []
    n = 0
    lines = body.split("\n")
    pos = base
    for i, line in enumerate(lines):
        ln = line.strip()
        lead = len(line) - len(line.lstrip())
        if ln:
            if out and lang != "zh":
                pieces.append((n, pos - 1))
                out.append(" ")
                n += 1
            pieces.append((n, pos + lead))
            out.append(ln)
            n += len(ln)
        pos += len(line) + 1
    return "".join(out), pieces


def render_reflow(result: ReflowResult, keep_notes: bool = False) -> str:
    parts = [b.text for b in result.blocks if keep_notes or b.kind not in ("furniture", "note")]
    return "\n\n".join(parts) + ("\n" if parts else "")
