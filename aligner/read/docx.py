"""Word .docx reader (python-docx): body paragraphs and tables in document order.

* Heading styles (``Heading N``, ``Title``, their localised ids ``Heading1``/``标题 1``) -> ``heading`` with level.
* Numbered and bulleted paragraphs (``w:numPr`` on the paragraph or its style) -> ``list`` with the depth as
  level and the number rebuilt from the numbering definitions (``%1.``, ``(%2)``, ``第%1条``; decimal, letters,
  roman and Chinese counting) as label.
* Table cells -> ``cell`` (a merged cell once).
* A paragraph of pictures only -> ``figure``: their alt texts (``wp:docPr`` ``descr`` or ``title``), unless the
  paragraph next to it prints the same text (a caption that repeats the alt); a picture in a line of text stays out.
* Footnotes and endnotes -> ``note`` (set aside unless kept).
* Paragraphs in a code style (``Code``, ``HTML Preformatted``, ``Source Code``…, or based on one) or with every run
  in a monospace font (``Courier New``, ``Consolas``…) -> ``code`` (set aside, counted).
A file that is not a Word package (a renamed zip, a truncated download) is an :class:`InputError`.
"""
from __future__ import annotations

import io
import logging
import os
import re
import zipfile

from .. import chars
from ..document import Document
from ..errors import InputError
from ..segment.code import MONO_FONT_NAME
from .common import ROW_SEP, Builder, source_bytes
from .labels import find_label

log = logging.getLogger(__name__)

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
_HEADING_RE = re.compile(r"^(?:heading|标题|標題|titre|überschrift|título)\s*(\d)$", re.I)
_ZH_DIGITS = chars.ZH_DIGITS
#: paragraph style names of block quotes (Word's "Quote"/"Intense Quote", pandoc's and LibreOffice's "Block Text" /
#: "Quotations", localised)
_QUOTE_STYLE_RE = re.compile(r"^(?:(?:intense )?quote|block ?text|quotations?|引用|明显引用|明顯引用|引文)$",
                             re.I)
#: paragraph style names (or their base styles) that Word and converters (pandoc, LibreOffice) give program code
_CODE_STYLE_RE = re.compile(r"code|preformatted|source ?text|listing|macro ?text|verbatim", re.I)


def read_docx(src: str | os.PathLike | bytes, lang: str, *, name: str | None = None) -> Document:
    """Blocks of a .docx file (path or bytes); see the module doc."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    data, label = source_bytes(src, name)
    if not data.startswith(b"PK"):
        raise InputError(f"{label}: not a Word .docx file (no ZIP signature)")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = set(z.namelist())
            if "word/document.xml" not in names:
                raise InputError(f"{label}: a ZIP archive but not a Word .docx document (no word/document.xml)")
            bad = z.testzip()
            if bad is not None:
                raise InputError(f"{label}: the .docx file is damaged ({bad} fails its checksum)")
        d = docx.Document(io.BytesIO(data))
    except InputError:
        raise
    except (zipfile.BadZipFile, PackageNotFoundError, EOFError, KeyError, ValueError) as exc:
        raise InputError(f"{label}: not a readable .docx file (corrupt or truncated: {exc})") from None
    except Exception as exc:  # lxml syntax errors in a damaged part, and the like
        raise InputError(f"{label}: not a readable .docx file ({type(exc).__name__}: {exc})") from None

    b = Builder("docx")
    numbering = _Numbering(d)
    body = d.element.body
    from docx.table import Table
    from docx.text.paragraph import Paragraph
    for child in body.iterchildren():
        if child.tag == _W + "p":
            _paragraph(b, Paragraph(child, d), numbering)
        elif child.tag == _W + "tbl":
            _table(b, Table(child, d), numbering)
    n_code = sum(1 for x in b.blocks if x.kind == "code")
    if n_code:
        log.info("%s: %d paragraphs in a code style or a monospace font: set aside as code", label, n_code)
        b.notes.append(f"{label}: {n_code} paragraphs in a code style or a monospace font taken for program code "
                       f"(set aside)")
    n_notes = _notes(b, d)
    if n_notes:
        b.notes.append(f"{label}: {n_notes} footnotes/endnotes read as notes (set aside unless --keep-notes)")
    if not b.blocks:
        raise InputError(f"{label}: the .docx document has no text")
    return b.document("utf-8")


def _style_level(p) -> tuple[str, int]:
    try:
        style = p.style
    except Exception:  # a style id missing from styles.xml
        return "", 0
    names = []
    s = style
    for _ in range(4):  # follow based-on a few steps: a custom style based on Heading 2 is a heading
        if s is None:
            break
        names += [s.name or "", s.style_id or ""]
        s = s.base_style
    for nm in names:
        if _QUOTE_STYLE_RE.match(nm.strip()):
            return "quote", 0
        if nm.lower() in ("title", "标题", "標題"):
            return "heading", 1
        m = _HEADING_RE.match(nm.strip()) or re.match(r"^Heading(\d)$", nm)
        if m:
            return "heading", int(m.group(1))
    return "", 0


def _is_code(p) -> bool:
    """A paragraph in a code style, or with every run of text in a monospace font."""
    try:
        s = p.style
        for _ in range(4):
            if s is None:
                break
            if _CODE_STYLE_RE.search(s.name or "") or _CODE_STYLE_RE.search(s.style_id or ""):
                return True
            s = s.base_style
        style_font = p.style.font.name if p.style is not None else None
    except Exception:  # a style id missing from styles.xml
        style_font = None
    runs = [r for r in p.runs if r.text.strip()]
    return bool(runs) and all(MONO_FONT_NAME.search(r.font.name or style_font or "") for r in runs)


def _paragraph(b: Builder, p, numbering: "_Numbering", kind: str | None = None) -> None:
    text = p.text.strip()
    if not text:
        if kind is None:
            _figure(b, p._p)
        return
    if kind is None and _is_code(p):
        b.add(text, "code")
        return
    skind, level = _style_level(p)
    num = numbering.number(p)
    label = ""
    if kind is None:
        kind = "text"
        if skind in ("heading", "quote"):
            kind = skind
        elif num is not None:
            kind, level, label = "list", num[0] + 1, num[1]
    if skind == "heading" and num is not None and num[1]:
        label = num[1]
    if not label:
        lab = find_label(text)
        if lab is not None:
            label = lab.text
            if lab.kind == "division" and kind == "text" and len(text) < 60:
                kind, level = "heading", lab.level
    b.add(text, kind, level=level, label=label)


def _figure(b: Builder, p) -> None:
    """A paragraph of pictures only: a ``figure`` block of their alt texts (``wp:docPr`` ``descr``, else ``title``:
    where pandoc and Word write it), as the Markdown and HTML readers read an image set on its own.  When the
    paragraph just before or after prints the same text (pandoc's ``ImageCaption`` under a figure made from
    Markdown repeats the alt), that visible copy is the unit and the figure adds nothing."""
    alts = [" ".join((d.get("descr") or d.get("title") or "").split()) for d in p.iter(_WP + "docPr")]
    alt = " ".join(a for a in alts if a)
    if not alt:
        return
    nxt = p.getnext()
    after = "".join(t.text or "" for t in nxt.iter(_W + "t")) if nxt is not None and nxt.tag == _W + "p" else ""
    before = b.blocks[-1].text if b.blocks else ""
    if alt in (" ".join(after.split()), before):
        return
    b.add(alt, "figure")


def _table(b: Builder, t, numbering) -> None:
    """Rows whose cells each hold one paragraph are one block, the cells joined as a Markdown table row is (the
    HTML reader does the same); a row with a cell of several paragraphs, a list or an inner table is read cell by
    cell, paragraph by paragraph."""
    seen = set()
    held = []  # keep the cell elements alive so that their ids stay unique
    for row in t.rows:
        cells = []
        for cell in row.cells:
            if id(cell._tc) in seen:
                continue  # a merged cell repeats in every grid position it spans
            seen.add(id(cell._tc))
            held.append(cell._tc)
            cells.append(cell)
        paras = [[p for p in c.paragraphs if p.text.strip()] for c in cells]
        if len(cells) >= 2 and all(len(ps) <= 1 and not c.tables for c, ps in zip(cells, paras)) and \
                not any(_is_code(ps[0]) or numbering.number(ps[0]) is not None for ps in paras if ps):
            b.add(ROW_SEP.join(ps[0].text.strip() for ps in paras if ps), "cell")
            continue
        for cell in cells:
            for p in cell.paragraphs:
                _paragraph(b, p, numbering, kind="cell")
            for inner in cell.tables:
                _table(b, inner, numbering)


def _notes(b: Builder, d) -> int:
    n = 0
    for rel in d.part.rels.values():
        if not rel.reltype.endswith(("/footnotes", "/endnotes")):
            continue
        try:
            from lxml import etree
            root = etree.fromstring(rel.target_part.blob)
        except Exception:
            continue
        for note in root:
            nid = note.get(_W + "id")
            if note.get(_W + "type") in ("separator", "continuationSeparator", "continuationNotice"):
                continue
            text = " ".join("".join(t.text or "" for t in p.iter(_W + "t")) for p in note.iter(_W + "p")).strip()
            if text:
                b.add(text, "note", number=nid)
                n += 1
    return n


class _Numbering:
    """Rebuilds list labels from word/numbering.xml: counters per (numId, level), deeper levels restart."""

    def __init__(self, d):
        self.levels: dict[tuple[str, int], tuple[str, str, int]] = {}
        self.counters: dict[str, list[int]] = {}
        try:
            root = d.part.numbering_part.element
        except Exception:  # no numbering part
            return
        abstract = {}
        for an in root.iter(_W + "abstractNum"):
            lv = {}
            for l in an.iter(_W + "lvl"):
                ilvl = int(l.get(_W + "ilvl", "0"))
                fmt = l.find(_W + "numFmt")
                txt = l.find(_W + "lvlText")
                start = l.find(_W + "start")
                lv[ilvl] = (fmt.get(_W + "val") if fmt is not None else "decimal",
                            txt.get(_W + "val") if txt is not None else f"%{ilvl + 1}.",
                            int(start.get(_W + "val")) if start is not None else 1)
            abstract[an.get(_W + "abstractNumId")] = lv
        for num in root.iter(_W + "num"):
            aid = num.find(_W + "abstractNumId")
            if aid is None:
                continue
            for ilvl, spec in abstract.get(aid.get(_W + "val"), {}).items():
                self.levels[(num.get(_W + "numId"), ilvl)] = spec

    def _numpr(self, p):
        ppr = p._p.pPr
        if ppr is not None and ppr.numPr is not None:
            return ppr.numPr
        try:
            s = p.style
            while s is not None:
                sp = s.element.pPr
                if sp is not None and sp.numPr is not None:
                    return sp.numPr
                s = s.base_style
        except Exception:
            return None
        return None

    def number(self, p) -> tuple[int, str] | None:
        """``(depth, label)`` of a numbered/bulleted paragraph, else None."""
        npr = self._numpr(p)
        if npr is None or npr.numId is None:
            return None
        num_id = str(npr.numId.val)
        if num_id == "0":
            return None  # numbering switched off
        ilvl = int(npr.ilvl.val) if npr.ilvl is not None else 0
        spec = self.levels.get((num_id, ilvl))
        if spec is None:
            return ilvl, ""
        counters = self.counters.setdefault(num_id, [0] * 9)
        for k in range(9):
            if counters[k] == 0 and k < ilvl:
                counters[k] = self.levels.get((num_id, k), ("", "", 1))[2]
        counters[ilvl] = counters[ilvl] + 1 if counters[ilvl] else spec[2]
        for k in range(ilvl + 1, 9):
            counters[k] = 0
        fmt, text = spec[0], spec[1]
        if fmt == "bullet" or fmt == "none":
            return ilvl, ""

        def render(m):
            k = int(m.group(1)) - 1
            f = self.levels.get((num_id, k), (fmt, "", 1))[0] if k != ilvl else fmt
            return _fmt(counters[k] or 1, f)
        return ilvl, re.sub(r"%(\d)", render, text).strip()


def _fmt(n: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        s = ""
        m = n
        while m > 0:
            m, r = divmod(m - 1, 26)
            s = chr(97 + r) + s
        return s if fmt == "lowerLetter" else s.upper()
    if fmt in ("lowerRoman", "upperRoman"):
        from .html import _roman
        r = _roman(n)
        return r.lower() if fmt == "lowerRoman" else r
    if fmt in ("chineseCounting", "chineseCountingThousand", "ideographTraditional", "taiwaneseCounting",
               "chineseLegalSimplified", "ideographDigital"):
        return _zh_number(n)
    return str(n)


def _zh_number(n: int) -> str:
    if n < 10:
        return _ZH_DIGITS[n]
    if n < 20:
        return "十" + (_ZH_DIGITS[n - 10] if n > 10 else "")
    if n < 100:
        t, u = divmod(n, 10)
        return _ZH_DIGITS[t] + "十" + (_ZH_DIGITS[u] if u else "")
    return str(n)
