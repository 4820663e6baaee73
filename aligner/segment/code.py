"""Program code in plain text (``pdftotext`` output, e-mail, pasted listings): which lines are code, not prose.

Conservative by design: a prose line that mentions code (``We call String::from("hello") here.``) or holds a
formula stays prose.  A line is code only when it looks like a statement on its own — it opens with a language
keyword (``fn``, ``let``, ``def``, ``#include``…) or a closing bracket, or is dense in code punctuation, *and* it
ends the way code lines end (``;``, ``{``, ``}``, ``)``, ``,``, ``:`` after a keyword) — and such lines come in a
run of at least :data:`CODE_RUN_MIN`.  Text between Markdown fences printed on the page (a line opening with
```` ``` ````, up to the line that closes it) is code whatever it holds.

:func:`code_lines` returns the indices of the code lines of a list of line texts.
"""
from __future__ import annotations

import re

from .. import chars

#: a run of code-like lines is code only from this many lines (a single statement-like line in prose is too
#: weak a sign: "x = 1;" quoted alone, a formula line)
CODE_RUN_MIN = 2
#: a printed fence ("```rust … ```") closes within this many lines, or the opening is not taken for a fence (a
#: stray "```" in prose must not swallow the rest of the document)
FENCE_SPAN_MAX = 60
#: a line is dense in code punctuation when at least this share of its non-space characters is ``{}[]();=<>&|!:``
#: (prose runs under 5 %; a statement like ``let s1 = String::from("hi");`` is ~25 %; Markdown links and list
#: bullets are taken out first: a printed table of contents ``* [Pull CDNs](#pull-cdns)`` is not code)
CODE_PUNCT_SHARE = 0.15
#: ...and prose-like when it has at least this many words of 4+ letters in a row separated by single spaces (a code
#: comment aside): statements rarely chain four plain words
PROSE_WORD_CHAIN = 4

#: font names of monospace faces, as PDF fonts and Word runs name them (Courier, Consolas, Menlo, DejaVu Sans Mono,
#: Source Code Pro, Fira Code, Lucida Console, TeX's cmtt…): the readers' sign of code set in type
MONO_FONT_NAME = re.compile(r"courier|mono|consol|menlo|inconsolata|source ?code|sourcecode|fira ?code|"
                            r"lucida ?(?:console|sans typewriter)|andale|typewriter|\bcmtt|\btt\b", re.I)

_KEYWORD = re.compile(
    r"^(?:fn|let|const|static|pub|use|impl|struct|enum|trait|mod|match|loop|while|for|if|else|return|def|class|"
    r"import|from|var|function|func|package|int|void|char|double|float|bool|auto|#include|#define|#\[|@\w+|"
    r"println!|print!|assert!|assert_eq!|panic!|vec!|try|except|finally|with|async|await|yield|elif|lambda|"
    r"public|private|protected|switch|case|break|continue|namespace|template|typedef)(?=[\s({!<:;]|$)")
_CLOSER_ONLY = re.compile(r"^[\]})]+[;,)]*$")
_CODE_END = re.compile(r"(?:[;{}]|\)|,|=>|->|\[|\(|:)$")
_COMMENT = re.compile(r"(?://|#|--)\s.*$")
_PUNCT = frozenset("{}[]();=<>&|!:")
#: marks that prose does not use but statements do: assignment, braces, paths, arrows, logic, a call "name(", an
#: index "a[", an empty pair "()"
_STRONG = re.compile(r"=|[{}]|::|->|&&|\|\||[A-Za-z_]\w*\(|\w\[|\(\)")
_MD_LINK = re.compile(r"!?\[[^\]]*\]\([^)]*\)")
_BULLET = re.compile(r"^(?:[-*+•]|\d{1,3}[.)])\s")
_WORD_CHAIN = re.compile(r"(?:\b[A-Za-z]{4,}\b ){%d}" % (PROSE_WORD_CHAIN - 1) + r"\b[A-Za-z]{4,}\b")
_CJK = re.compile(f"[{chars.CODE_CJK}]")
_FENCE_OPEN = re.compile(r"^(?:```|~~~)")
_FENCE_MARK = re.compile(r"```|~~~")


def _strip_strings(t: str) -> str:
    """The line without its string literals and trailing comment (where prose words and CJK may be)."""
    t = re.sub(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)\'', '""', t)
    return _COMMENT.sub("", t).rstrip()


def code_like(t: str) -> bool:
    """One line, on its own: does it look like a statement of program code?"""
    t = t.strip()
    if not t:
        return False
    if _CLOSER_ONLY.match(t):
        return True
    if _BULLET.match(t) or _MD_LINK.search(t):
        return False   # a list item or a line with a Markdown link: printed prose markup
    core = _strip_strings(t)
    if not core:
        return False   # a comment alone: not by itself
    if _CJK.search(core) or _WORD_CHAIN.search(core):
        return False
    if core.endswith((".", "。", "?", "？", "!", "！")) and not core.endswith(("..", "!")):
        return False
    if not _CODE_END.search(core):
        return False
    if _KEYWORD.match(core) and re.search(r"[(){}\[\]=;<>]", core):
        return True   # a keyword with some code punctuation ("if x > 5 {", "use std::io;"), not "for example,"
    if not core.endswith((";", "{", "}")):
        return False   # without a keyword only a statement end will do: a formula "E = mc^2 (c is light)" is prose
    if not _STRONG.search(core):
        return False   # an enumeration in a law ("laws;" / "(4) interpreting laws;") ends in ";" too
    chars = [c for c in core if not c.isspace()]
    return bool(chars) and sum(c in _PUNCT for c in chars) / len(chars) >= CODE_PUNCT_SHARE


#: code marks that make a set-in block code: _STRONG without a bare " = ", which prose sets in too (a formula
#: "Total = Price x Quantity", "x = 1" in an address or a worked example); "==", "+=", a call, braces stay
_INDENT_MARK = re.compile(r"==|[-+*/%]=|[{}]|::|->|&&|\|\||[A-Za-z_]\w*\(|\w\[|\(\)")
#: a shell prompt opening a line ("$ cargo run")
_PROMPT = re.compile(r"^\$ \S")
#: two or more spaces between words: a table row's column gap ("Contributor -> Committer   Participant -> …")
_COLUMN_GAP = re.compile(r"\S {2,}\S")


def indented_code(texts: list[str]) -> bool:
    """A block of lines set in from the text around it (plain text writes a code block so: pandoc's ``-t plain``
    indents it by four spaces, as Markdown's indented code): is it code?  No line reads as prose (CJK or a chain of
    plain words outside string literals and comments, a sentence end), and at least one line shows code: a statement
    (:func:`code_like`), a keyword opening it (``fn``, ``let``, ``def``), a shell prompt (``$ ``), or code marks
    (``==``, ``+=``, braces, ``::``, ``->``, a call ``name(``; not a bare ``=``, which set-in formulas have; not on a
    table row, whose columns are set apart by spaces).
    Weaker than :func:`code_lines` (one line will do): being set in after a blank line is itself a sign."""
    sign = False
    for t in texts:
        t = t.strip()
        if not t:
            continue
        core = _strip_strings(t)
        if not core:
            continue   # a comment alone
        if _CJK.search(core) or _WORD_CHAIN.search(core) or _MD_LINK.search(t):
            return False
        if core.endswith((".", "。", "?", "？", "！")) and not core.endswith(".."):
            return False
        if code_like(t) or _PROMPT.match(t) or (
                not _COLUMN_GAP.search(core) and (_KEYWORD.match(core) or _INDENT_MARK.search(core)
                                                  or core.endswith((";", "{", "}")))):
            sign = True
    return sign


def code_lines(texts: list[str]) -> set[int]:
    """Indices of the lines that are code: printed fences with what they hold, and runs of code-like lines."""
    out: set[int] = set()
    i, n = 0, len(texts)
    while i < n:
        t = texts[i].strip()
        if _FENCE_OPEN.match(t):
            if _FENCE_MARK.search(t, 3):
                out.add(i)   # "```rust let s = "hello"; ```": a fenced block on one line
                i += 1
                continue
            # the closing mark is the next fence mark (a footnote number may follow it: "} ```2"); a next line that
            # opens with one is another opening, and this one is left unclosed (not taken)
            close = next((k for k in range(i + 1, min(n, i + FENCE_SPAN_MAX)) if _FENCE_MARK.search(texts[k])), None)
            ct = texts[close].strip() if close is not None else ""
            if close is not None and not (_FENCE_OPEN.match(ct) and not re.fullmatch(r"(?:```|~~~)\d*", ct)):
                out.update(range(i, close + 1))
                i = close + 1
                continue
        i += 1
    run: list[int] = []
    for k in range(n + 1):
        if k < n and k not in out and code_like(texts[k]):
            run.append(k)
            continue
        if len(run) >= CODE_RUN_MIN:
            out.update(run)
        run = []
    return out
