"""Segmentation by SRX rules (Segmentation Rules eXchange, LISA/GALA SRX 1.0 and 2.0), the format in which
CAT tools (OmegaT, Trados, memoQ, Okapi, LanguageTool) keep their sentence-splitting rules.

With the translator's own SRX file the TMX units are cut exactly where their tool will cut the text it looks up
in the memory, so every unit can be a 100 % match.

How the rules apply (the SRX spec): a language's rules are an ordered list of ``break`` and ``no-break`` rules,
each a ``beforebreak`` and an ``afterbreak`` regular expression. A position in the text is a candidate when
``beforebreak`` matches text ending there and ``afterbreak`` matches text starting there; at each candidate
position the first rule (in order) that matches decides. ``maprules`` choose a language's rules by matching
``languagepattern`` against the language code; with ``cascade="yes"`` the rules of every matching map are used,
in map order, else only the first map's. Patterns are Java regular expressions; they are compiled with the
``regex`` module when it is installed (``\\p{Lu}`` and friends), else with :mod:`re`.

Paragraphs come from our own reflow (blank lines, PDF layout), as a CAT tool's file filter gives it paragraphs;
the rules then split each paragraph.
"""
from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from ..errors import InputError
from ..model import Sentence

try:  # the regex module understands Java's \p{..} classes and possessive quantifiers
    import regex as _re
except ImportError:  # pragma: no cover - depends on the environment
    import re as _re

__all__ = ["DEFAULT_SRX", "SrxRule", "SrxRules", "load_srx"]

#: Our own small SRX rule set for Chinese and English (written for this project), used by the tests and as an
#: example of the format.
DEFAULT_SRX = "aligner-basic.srx"


@dataclass
class SrxRule:
    brk: bool
    before: object  # compiled pattern (None: matches anywhere)
    after: object

    def positions(self, text: str) -> set[int]:
        """Positions where ``before`` matches text ending there and ``after`` text starting there."""
        if self.before is None:
            ends = range(len(text) + 1)
        else:
            ends = sorted({m.end() for m in _finditer(self.before, text)})
        if self.after is None:
            return set(ends)
        return {p for p in ends if self.after.match(text, p)}


def _finditer(pattern, text):
    if _re.__name__ == "regex":
        return pattern.finditer(text, overlapped=True)
    return pattern.finditer(text)


class SrxRules:
    """Parsed SRX: named language rules and the map from language codes to them."""

    def __init__(self, rules: dict[str, list[SrxRule]], maps: list[tuple[object, str]], cascade: bool,
                 source: str = ""):
        self.rules, self.maps, self.cascade, self.source = rules, maps, cascade, source

    def rules_for(self, lang: str) -> list[SrxRule]:
        out: list[SrxRule] = []
        for pattern, name in self.maps:
            if pattern.fullmatch(lang):
                out.extend(self.rules.get(name, []))
                if not self.cascade:
                    break
        return out

    def split(self, text: str, lang: str) -> list[tuple[int, int]]:
        """Spans of the segments of ``text`` (whitespace around each segment left out)."""
        rules = self.rules_for(lang)
        decided: dict[int, bool] = {}
        for rule in rules:
            for p in rule.positions(text):
                if 0 < p < len(text) and p not in decided:
                    decided[p] = rule.brk
        cuts = [0] + sorted(p for p, brk in decided.items() if brk) + [len(text)]
        spans = []
        for a, b in zip(cuts, cuts[1:]):
            while a < b and text[a].isspace():
                a += 1
            while b > a and text[b - 1].isspace():
                b -= 1
            if a < b:
                spans.append((a, b))
        return spans

    def sentences(self, text: str, lang: str, *, keep_notes: bool = False) -> list[Sentence]:
        """``text`` as sentences: paragraphs from our reflow (page furniture and notes left out unless
        ``keep_notes``), each split by these rules. Offsets are -1 (the reflowed text is not the input's)."""
        from . import SKIPPED_KINDS, _clean_input
        from .layout import reflow
        out: list[Sentence] = []
        for block in reflow(_clean_input(text), lang).blocks:
            if block.kind in SKIPPED_KINDS and not keep_notes:
                continue
            for k, (a, b) in enumerate(self.split(block.text, lang)):
                out.append(Sentence(block.text[a:b], len(out), block.para, kind=block.kind if k == 0 or
                                    block.kind not in ("heading",) else "text",
                                    label=getattr(block, "label", "") if k == 0 else ""))
        return out


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children(el, name):
    return [c for c in el if _local(c.tag) == name]


# Java regex constructs Python's engines spell differently: the UNICODE_CHARACTER_CLASS flag (Python's
# classes are Unicode already), \Q…\E literal quoting, and Java's own \p{javaX} classes.
_JAVA_FLAG_U_RE = _re.compile(r"\(\?([a-zA-Z]*)U([a-zA-Z]*)\)")
_JAVA_QUOTE_RE = _re.compile(r"\\Q(.*?)(?:\\E|$)", _re.S)
_JAVA_CLASSES = {"javaLowerCase": "Ll", "javaUpperCase": "Lu", "javaWhitespace": "White_Space",
                 "javaLetter": "L", "javaDigit": "Nd", "javaLetterOrDigit": "Alnum"}


def java_regex(pattern: str) -> str:
    """A Java regular expression (as SRX files hold) in the syntax of Python's ``regex``/``re``."""
    pattern = _JAVA_QUOTE_RE.sub(lambda m: _re.escape(m.group(1)), pattern)
    pattern = _JAVA_FLAG_U_RE.sub(lambda m: f"(?{m.group(1)}{m.group(2)})" if m.group(1) + m.group(2) else "",
                                  pattern)
    for java, uni in _JAVA_CLASSES.items():
        pattern = pattern.replace(f"\\p{{{java}}}", f"\\p{{{uni}}}")
    return pattern


def _compile(text: str | None, where: str):
    if text is None or text == "":
        return None
    try:
        return _re.compile(java_regex(text))
    except _re.error as e:
        raise InputError(f"{where}: cannot use the regular expression {text!r} ({e})") from None


def load_srx(path: str | os.PathLike | None = None) -> SrxRules:
    """Read an SRX file (1.0 or 2.0); ``None`` reads :data:`DEFAULT_SRX`."""
    if path is None:
        source = resources.files("aligner.segment").joinpath("srx_rules", DEFAULT_SRX)
        data, name = source.read_bytes(), DEFAULT_SRX
    else:
        try:
            data, name = Path(path).read_bytes(), str(path)
        except OSError as e:
            raise InputError(f"{path}: cannot read the SRX file ({e.strerror or e})") from None
    try:
        root = ET.fromstring(data)
    except ET.ParseError as e:
        raise InputError(f"{name}: not an SRX file ({e})") from None
    if _local(root.tag) != "srx":
        raise InputError(f"{name}: not an SRX file (the root element is <{_local(root.tag)}>)")
    header = next(iter(_children(root, "header")), None)
    cascade = (header is not None and header.get("cascade", "no").lower() == "yes")
    body = next(iter(_children(root, "body")), None)
    if body is None:
        raise InputError(f"{name}: no <body> in the SRX file")
    rules: dict[str, list[SrxRule]] = {}
    for lr_group in _children(body, "languagerules"):
        for lr in _children(lr_group, "languagerule"):
            rname = lr.get("languagerulename", "")
            out = rules.setdefault(rname, [])
            for k, rule in enumerate(_children(lr, "rule"), 1):
                where = f"{name}: rule {k} of {rname!r}"
                before = next(iter(_children(rule, "beforebreak")), None)
                after = next(iter(_children(rule, "afterbreak")), None)
                out.append(SrxRule(rule.get("break", "yes").lower() != "no",
                                   _compile(before.text if before is not None else None, where),
                                   _compile(after.text if after is not None else None, where)))
    maps = []
    for mr in _children(body, "maprules"):
        # SRX 2.0: maprules > languagemap; SRX 1.0: maprules > maprule > languagemap
        lms = _children(mr, "languagemap") + [lm for m in _children(mr, "maprule") for lm in _children(m, "languagemap")]
        for lm in lms:
            pattern = lm.get("languagepattern", "")
            try:
                maps.append((_re.compile(pattern, _re.IGNORECASE), lm.get("languagerulename", "")))
            except _re.error as e:
                raise InputError(f"{name}: language pattern {pattern!r}: {e}") from None
    if not rules or not maps:
        raise InputError(f"{name}: the SRX file has no language rules or no map rules")
    return SrxRules(rules, maps, cascade, name)
