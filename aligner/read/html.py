"""HTML reader (lxml): the visible block text of a page (h1-h6, p, li, td/th, blockquote, pre, dt/dd,
figcaption…), one block each.

Left out and counted (kept as ``furniture`` blocks so that the count is reported): navigation (``nav``, elements
with ``role="navigation"``/``"menu"``/``"banner"``/``"contentinfo"``), page headers and footers outside the
main content, ``aside`` menus, forms and elements whose class or id says menu/nav/breadcrumb/sidebar/cookie/footer.
Dropped without text to count: ``script``, ``style``, ``noscript``, ``template``, ``svg``, comments.
"""
from __future__ import annotations

import codecs
import logging
import os
import re

from ..document import Document
from ..errors import InputError
from ..formats.readers import decode_bytes_with_encoding
from .common import Builder, source_bytes, squash
from .labels import find_label

log = logging.getLogger(__name__)

_DROP = {"script", "style", "noscript", "template", "svg", "math", "head", "iframe", "object", "canvas", "select",
         "button"}
_FURNITURE_TAGS = {"nav", "form", "menu"}
_BLOCK = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "td", "th", "blockquote", "pre", "dt", "dd", "figcaption",
          "caption", "div", "section", "article", "main", "header", "footer", "aside", "address", "ul", "ol", "dl",
          "table", "tr", "tbody", "thead", "tfoot", "figure", "details", "summary", "body", "center", "hr", "br",
          "fieldset", "legend", "label"}
#: a class or id token naming site chrome ("main-nav", "menu-item", "breadcrumbs", "cookie-banner", "site-footer")
_MENU_RE = re.compile(r"^(?:[\w-]*[-_])?(?:nav|navbar|navigation|menu|menubar|breadcrumbs?|sidebar|cookies?|footer|"
                      r"masthead|pagination|skip-link)(?:[-_][\w-]*)?$", re.I)
_ROLES = {"navigation", "menu", "menubar", "banner", "contentinfo", "search", "complementary"}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")


def read_html(src: str | os.PathLike | bytes, lang: str, encoding: str | None = None, *,
              name: str | None = None) -> Document:
    """Visible text of an HTML page (path or bytes) as blocks; see the module doc for what is left out."""
    from lxml import etree, html as lhtml

    data, label = source_bytes(src, name)
    text, enc = _decode(data, label, encoding)
    try:
        root = lhtml.document_fromstring(_XML_DECL.sub("", text))
    except (etree.ParserError, ValueError) as exc:
        raise InputError(f"{label}: cannot parse the HTML ({exc})") from None
    b = Builder("html")
    w = _Walker(b)
    body = root.find("body")
    try:
        w.walk(body if body is not None else root, furniture=False, depth=0)
    except RecursionError:
        raise InputError(f"{label}: the HTML is nested too deeply to read") from None
    w.flush()
    if not any(bl.kind not in ("furniture",) for bl in b.blocks):
        raise InputError(f"{label}: the HTML page has no visible text (only scripts, styles or menus)")
    if w.dropped:
        b.notes.append(f"{label}: left out {w.dropped} scripts/styles/forms")
    doc = b.document(enc)
    return doc


def _decode(data: bytes, label: str, encoding: str | None) -> tuple[str, str]:
    if encoding is None:
        m = _META_CHARSET.search(data[:4096])
        if m:
            try:
                name = codecs.lookup(m.group(1).decode("ascii")).name
                return data.decode(name), name
            except (LookupError, UnicodeDecodeError):
                pass
    return decode_bytes_with_encoding(data, label, encoding)


class _Walker:
    def __init__(self, builder: Builder):
        self.b = builder
        self.buf: list[str] = []
        self.kind = "text"
        self.level = 0
        self.label = ""
        self.dropped = 0
        self.main_seen = False

    def _is_furniture(self, el) -> bool:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in _FURNITURE_TAGS:
            return True
        role = (el.get("role") or "").lower()
        if role in _ROLES:
            return True
        if tag in ("header", "footer", "aside") and not self._in_main(el):
            return True
        if tag in ("body", "main", "article"):
            return False
        tokens = f"{el.get('class') or ''} {el.get('id') or ''}".split()
        return any(_MENU_RE.match(t) for t in tokens)

    @staticmethod
    def _in_main(el) -> bool:
        p = el.getparent()
        while p is not None:
            if p.tag in ("main", "article"):
                return True
            p = p.getparent()
        return False

    def walk(self, el, furniture: bool, depth: int, ol: list | None = None) -> None:
        tag = el.tag.lower() if isinstance(el.tag, str) else None
        if tag is None or tag in _DROP or tag in ("input", "img", "textarea"):
            # comments, scripts, styles, form fields and images: no running text (their tail is)
            if tag in _DROP and tag != "head":
                self.dropped += 1
            if el.tail:
                self.buf.append(el.tail)
            return
        furn = furniture or self._is_furniture(el)
        block = tag in _BLOCK or (furn and not furniture)
        saved = None
        if block:
            self.flush()
            saved = (self.kind, self.level, self.label)
            # a list item whose text sits in a <p>: the paragraph gets the item's number (not used up yet)
            kind, level, label = ("furniture" if furn else self.kind), self.level, self.label
            self.label = ""
            if not furn:
                if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
                    kind, level = "heading", int(tag[1])
                elif tag == "li":
                    kind, level, label = "list", max(1, depth), (ol[0] if ol else "")
                elif tag in ("td", "th"):
                    kind = "cell"
                elif tag == "pre":
                    kind = "code"
                elif tag == "blockquote":
                    kind = "quote"
                elif tag == "caption":
                    kind = "heading"
            self.kind, self.level, self.label = kind, level, label
        if tag == "br":
            self.buf.append("\n")
        if el.text:
            self.buf.append(el.text)
        d = depth + (1 if tag in ("ul", "ol") else 0)
        counter = None
        if tag == "ol":
            start = (el.get("start") or "1").strip()
            counter = [int(start) if start.isdigit() else 1, (el.get("type") or "1")]
        for child in el:
            if counter is not None and isinstance(child.tag, str) and child.tag.lower() == "li":
                self.walk(child, furn, d, [_ol_label(counter)])
                counter[0] += 1
            else:
                self.walk(child, furn, d, None)
        if block:
            self.flush()
            # text after a nested block goes on in the enclosing block's kind (its label is already used)
            self.kind, self.level, self.label = saved[0], saved[1], ""
        if el.tail:
            self.buf.append(el.tail)

    def flush(self) -> None:
        t = squash("".join(self.buf))
        self.buf = []
        if not t:
            return
        kind, label, level = self.kind, self.label, self.level
        if not label and kind != "furniture":
            lab = find_label(t)
            if lab is not None:
                label = lab.text
                if lab.kind == "division" and kind == "text" and len(t) < 60:
                    kind, level = "heading", lab.level
        self.b.add(t, kind, level=level, label=label)
        self.label = ""


def _ol_label(counter) -> str:
    n, typ = counter
    if typ == "a":
        return _letters(n).lower() + "."
    if typ == "A":
        return _letters(n) + "."
    if typ == "i":
        return _roman(n).lower() + "."
    if typ == "I":
        return _roman(n) + "."
    return f"{n}."


def _letters(n: int) -> str:
    s = ""
    while n > 0:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s or "A"


def _roman(n: int) -> str:
    vals = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
            (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    out = ""
    for v, s in vals:
        while n >= v:
            out += s
            n -= v
    return out or "I"
