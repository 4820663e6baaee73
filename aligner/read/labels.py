"""Numbering that opens a block ("第五条", "第 3 條", "Article 5", "Chapter II", "(c)", "（三）", "1.", "一、")
and heading-like lines, shared by every reader.

:func:`find_label` returns the label and what it is: a *division* heading (chapter, section, part: a heading
with a level), an *article* number (a law's unit: a heading when alone on its line, a unit of its own when the
article text follows on the same line) or an *item* number (a list item).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .. import chars

_ZH_NUM = chars.ZH_NUM_FINANCIAL
_ROMAN = "IVXLCDM"

#: divisions, in order of rank: 编/篇/Part (1), 章/Chapter (2), 节/Section (3); a heading's level
_ZH_DIV = re.compile(rf"^第\s*[{_ZH_NUM}\d]+\s*([编編篇章节節])(?=\s|$|[\u3000：:、]|[^\s\d])")
_EN_DIV = re.compile(rf"^(Part|PART|Chapter|CHAPTER|Section|SECTION|Title|TITLE|Book|BOOK)\s+"
                     rf"(?:[{_ROMAN}]+|\d+|[A-Z]|One|Two|Three|Four|Five|Six|Seven|Eight|Nine|Ten)\b\.?")
_DIV_LEVEL = {"编": 1, "編": 1, "篇": 1, "part": 1, "book": 1, "title": 1, "章": 2, "chapter": 2,
              "节": 3, "節": 3, "section": 3}
#: article numbers: 第五条 / 第 3 條 / 第十条之一 / Article 5 / Article 5-1 / Art. 5 / § 5
_ZH_ART = re.compile(rf"^第\s*[{_ZH_NUM}\d]+\s*[条條](?:\s*之\s*[{_ZH_NUM}\d]+)?")
_EN_ART = re.compile(r"^(?:Article|ARTICLE|Art\.)\s+\d+(?:[-–]\d+)?(?:\s*bis|\s*ter)?\b|^§\s*\d+[a-z]?")
#: list items: （三） (3) (c) (iv) 三、 3. 3、 3) a. iv. ① and ROC style "一　" (number + ideographic space)
_ITEM = re.compile(
    rf"^(?:[（(](?:[{_ZH_NUM}]+|\d{{1,3}}|[a-zA-Z]{{1,2}}|[ivxlc]{{1,6}})[）)]|[{_ZH_NUM}]+[、．]|"
    rf"[{_ZH_NUM}]+(?=\u3000)|\d{{1,3}}(?:\.\d{{1,3}})*[.、．)](?=\s|[^\d\s.,])|"
    rf"[a-zA-Z][.)](?=\s)|[ivxlc]{{1,6}}[.)](?=\s)|[①-⑳])"
)
_PREAMBLE = re.compile(r"^(?:序言|序|前言|弁言|總綱|总纲|总则|總則|附则|附則|Preamble|PREAMBLE|Foreword|Preface)$")

#: final punctuation: a line ending in one of these is a sentence, not a heading
FINAL_PUNCT = set("。！？!?；;：:，,.、…")
_CLOSERS = "”’」』）)》〉】]\"'» "


@dataclass
class Label:
    text: str       # the label as written ("第 3 條", "Article 5", "(c)")
    kind: str       # "division" | "article" | "item"
    level: int = 0  # division rank (1 part/编, 2 chapter/章, 3 section/节); 0 otherwise
    end: int = 0    # end offset of the label in the line (after it: the rest of the line)


def find_label(line: str) -> Label | None:
    """The numbering that opens ``line`` (stripped), or None."""
    t = line
    m = _ZH_DIV.match(t)
    if m:
        return Label(m.group(0).rstrip(), "division", _DIV_LEVEL.get(m.group(1), 2), m.end())
    m = _EN_DIV.match(t)
    if m:
        return Label(m.group(0).rstrip("."), "division", _DIV_LEVEL.get(m.group(1).lower(), 2), m.end())
    m = _ZH_ART.match(t) or _EN_ART.match(t)
    if m:
        return Label(m.group(0), "article", 0, m.end())
    m = _ITEM.match(t)
    if m:
        return Label(m.group(0), "item", 0, m.end())
    return None


def is_preamble(line: str) -> bool:
    return bool(_PREAMBLE.match(re.sub(r"\s+", "", line) if len(line) < 12 else line))


def ends_final(line: str) -> bool:
    """Does the line end in sentence or clause punctuation (closing quotes/brackets ignored)?"""
    t = line.rstrip(_CLOSERS)
    return bool(t) and t[-1] in FINAL_PUNCT


def heading_like(line: str, zh: bool) -> bool:
    """A short line without final punctuation (a title, a chapter name) or a division / article number alone."""
    lab = find_label(line)
    if lab and lab.kind in ("division", "article") and (lab.kind == "division" or not line[lab.end:].strip()):
        return True
    if is_preamble(line.strip()):
        return True
    if ends_final(line):
        return False
    n = len(line)
    return n <= (30 if zh else 80)
