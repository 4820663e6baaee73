"""HTML reader (lxml): the visible block text of a page (h1-h6, p, li, td/th, blockquote, pre, dt/dd,
figcaption…), one block each.  A ``<p>``, ``<figure>`` or ``<div>`` holding only images (no text, no link) is a
``figure`` block of their alt texts, as the Markdown reader reads ``![alt](src)`` alone in a paragraph; an image in
a block with text (a photo with its ``<figcaption>``, an icon in a sentence) or inside a link (a badge) stays out.

Left out and counted (kept as ``furniture`` blocks so that the count is reported): navigation (``nav``, elements
with ``role="navigation"``/``"menu"``/``"banner"``/``"contentinfo"``/``"dialog"``), page headers and footers
outside the main content, ``aside`` menus, forms and elements whose class or id says
menu/nav/breadcrumb/sidebar/cookie/consent/footer; elements a reader does not see (``hidden``,
``aria-hidden="true"``, ``style="display:none"``); link-dense blocks (menus, breadcrumbs, share bars, tag lists
not marked as such: most of their text is in two or more short links); a photo caption printed again next to
itself (figcaption, alt text and an overlay or credit paragraph: the first visible copy is kept).  When the page
has an ``<article>`` (else a ``<main>``) holding most of its text, everything outside it is site chrome (headers,
sidebars of related links, footers, cookie banners) and is set aside too.  Each rule's count is a reader note.
Dropped without text to count: ``script``, ``style``, ``noscript``, ``template``, ``svg``, comments.
"""
from __future__ import annotations

import codecs
import collections
import logging
import os
import re

from ..document import Document
from ..errors import InputError
from ..formats.readers import decode_bytes_report
from .common import ROW_SEP, Builder, source_bytes, squash
from .labels import find_label

log = logging.getLogger(__name__)

_DROP = {"script", "style", "noscript", "template", "svg", "math", "head", "iframe", "object", "canvas", "select",
         "button"}
_FURNITURE_TAGS = {"nav", "form", "menu"}
_BLOCK = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "td", "th", "blockquote", "pre", "dt", "dd", "figcaption",
          "caption", "div", "section", "article", "main", "header", "footer", "aside", "address", "ul", "ol", "dl",
          "table", "tr", "tbody", "thead", "tfoot", "figure", "details", "summary", "body", "center", "hr", "br",
          "fieldset", "legend", "label"}
#: a class or id token naming site chrome ("main-nav", "menu-item", "breadcrumbs", "cookie-banner", "consent",
#: "site-footer")
_MENU_RE = re.compile(r"^(?:[\w-]*[-_])?(?:nav|navbar|navigation|menu|menubar|breadcrumbs?|sidebar|cookies?|"
                      r"consent|footer|masthead|pagination|skip-link)(?:[-_][\w-]*)?$", re.I)
_ROLES = {"navigation", "menu", "menubar", "banner", "contentinfo", "search", "complementary", "dialog",
          "alertdialog"}
#: a block is link-dense when links hold at least this share of its letters (menus, breadcrumbs, tag lists: all
#: links but for separators and a label such as "标签：" / "Topics:"; prose with a link or two stays far below)
LINK_SHARE = 0.7
#: ... over at least this many links (one link in a sentence is a citation, not a menu)
LINK_MIN = 2
#: ... of at most this mean width inside the main content (a CJK character counts 2): menu words ("首页", "Home",
#: "Copy link") are one or two words; an article's own list of named resources ("GitHub Explore", "Open Source
#: Friday") is longer and stays.  Outside the main content any link-dense block is set aside.
LINK_MENU_WIDTH = 10
#: ... or of any width when the text outside the links is only a label of at most this many letters ending in a
#: colon ("Topics:", "分享到：", "Related articles:")
LABEL_MAX = 16
_LABEL_SEP = re.compile(r"[\s,，、|｜·•/]+")
#: the article/main element is taken for the page's content only when it holds at least this share of the page's
#: letters (a teaser <article> in a sidebar is not the content)
CONTENT_SHARE = 0.5
#: a text equal to a photo caption (figcaption or alt text) seen within this many blocks is its printed repeat
CAPTION_WINDOW = 3
#: the block elements that hold a picture set on its own (a figure block of its alt texts when images are all
#: they hold; an image in a paragraph with text, an icon or a badge, stays out as before)
_FIGURE_HOLDERS = {"p", "figure", "div"}
#: what such a block may hold besides whitespace: images, their <picture>/<source> wrappers and line breaks (a
#: linked image is left out, as the Markdown reader leaves out ``[![badge](svg)](url)``)
_IMAGE_ONLY = {"img", "picture", "source", "br"}
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")


def read_html(src: str | os.PathLike | bytes, lang: str, encoding: str | None = None, *,
              name: str | None = None) -> Document:
    """Visible text of an HTML page (path or bytes) as blocks; see the module doc for what is left out."""
    from lxml import etree, html as lhtml

    data, label = source_bytes(src, name)
    text, enc, enc_notes = _decode(data, label, encoding)
    try:
        root = lhtml.document_fromstring(_XML_DECL.sub("", text))
    except (etree.ParserError, ValueError) as exc:
        raise InputError(f"{label}: cannot parse the HTML ({exc})") from None
    b = Builder("html")
    body = root.find("body")
    top = body if body is not None else root
    w = _Walker(b, top)
    # a page with no content element and no site chrome at all (no nav, menu, header, footer, chrome role or class:
    # a document exported or rendered to HTML) is all content: its link lists and asides stay, as the Markdown
    # reader keeps them
    w.document_page = not w.roots and not _has_chrome(top)
    if w.document_page:
        log.info("%s: no site chrome and no <article>/<main>: the whole page read as the document", label)
        b.notes.append(f"{label}: no menus, header or footer and no <article>/<main>: read as a document, "
                       "its link lists and asides kept")
    try:
        w.walk(top, furniture=False, depth=0, inside=w.document_page)
    except RecursionError:
        raise InputError(f"{label}: the HTML is nested too deeply to read") from None
    w.flush()
    if not any(bl.kind not in ("furniture",) for bl in b.blocks):
        raise InputError(f"{label}: the HTML page has no visible text (only scripts, styles or menus)")
    if w.dropped:
        b.notes.append(f"{label}: left out {w.dropped} scripts/styles/forms")
    if w.why:
        b.notes.append(f"{label}: set aside {sum(w.why.values())} blocks of site chrome ("
                       + ", ".join(f"{k} {v}" for k, v in w.why.most_common()) + ")")
    doc = b.document(enc)
    doc.notes[:0] = enc_notes
    return doc


#: a declared charset is read as its superset, as browsers do (the WHATWG Encoding Standard): pages that say gb2312
#: routinely use GBK characters, and Big5 pages Windows' (cp950) additions
_CHARSET_SUPERSET = {"gb2312": "gb18030", "gbk": "gb18030", "big5": "cp950", "iso8859-1": "cp1252",
                     "ascii": "cp1252"}


def _decode(data: bytes, label: str, encoding: str | None) -> tuple[str, str, list[str]]:
    """The page's text, its encoding, and a note when the encoding was guessed (no usable charset declared)."""
    notes: list[str] = []
    if encoding is None:
        m = _META_CHARSET.search(data[:4096])
        if m:
            try:
                name = codecs.lookup(m.group(1).decode("ascii")).name
                name = _CHARSET_SUPERSET.get(name, name)
                return data.decode(name), name, notes
            except (LookupError, UnicodeDecodeError):
                notes.append(f"{label}: the declared charset {m.group(1).decode('ascii', 'replace')!r} does not "
                             "decode the page")
    text, enc, guessed = decode_bytes_report(data, label, encoding)
    return text, enc, notes + guessed


#: block tags that make a table cell more than one line of text (a cell holding paragraphs or a list is read cell by
#: cell; a cell of one line of text joins its row)
_CELL_BLOCKS = {"p", "div", "ul", "ol", "li", "pre", "blockquote", "table", "h1", "h2", "h3", "h4", "h5", "h6", "dl",
                "section", "figure"}


def _simple_row(tr) -> bool:
    """A table row whose cells each hold one line of text (at most one paragraph, no list or inner table): read as
    one block, its cells joined, as a Markdown table row is.  A row of one cell is a cell."""
    cells = [c for c in tr if isinstance(c.tag, str) and c.tag.lower() in ("td", "th")]
    if len(cells) < 2:
        return False
    for c in cells:
        inner = [e for e in c.iterdescendants() if isinstance(e.tag, str) and e.tag.lower() in _CELL_BLOCKS]
        if len(inner) > 1 or any(e.tag.lower() != "p" for e in inner):
            return False
    return True


class _Walker:
    def __init__(self, builder: Builder, body=None):
        self.b = builder
        self.document_page = False          # the whole page is the document (see read_html)
        self.row: list[list[str]] | None = None   # the cells (their lines) of the simple table row being read
        self.buf: list[str] = []
        self.kind = "text"
        self.level = 0
        self.label = ""
        self.dropped = 0
        self.main_seen = False
        #: blocks set aside, by the rule that did it (reported as a reader note)
        self.why: collections.Counter = collections.Counter()
        self._why = ""                 # the rule of the furniture block being filled
        self.stats = _link_stats(body) if body is not None else {}
        self.roots, self.above = _content_roots(body, self.stats) if body is not None else (set(), set())
        self.captions: list[tuple[str, int]] = []   # (caption or alt text, block count when seen)
        self.kept: list[tuple[str, int]] = []       # (text, block index) of the kept blocks

    def _is_furniture(self, el, inside: bool) -> str:
        """The rule that makes ``el`` site chrome, or ''."""
        tag = el.tag if isinstance(el.tag, str) else ""
        if el.get("hidden") is not None or (el.get("aria-hidden") or "").strip().lower() == "true" or \
                _HIDDEN_STYLE.search(el.get("style") or ""):
            return "hidden"
        if tag in _FURNITURE_TAGS:
            return "menus"
        role = (el.get("role") or "").lower()
        if role in _ROLES:
            return "menus"
        if self.roots and not inside and el not in self.above:
            return "outside the article"
        if tag in ("header", "footer", "aside") and not self._in_main(el) \
                and not (tag == "aside" and self.document_page):
            return "menus"
        if tag in ("body", "main", "article") or el in self.roots:
            return ""
        tokens = f"{el.get('class') or ''} {el.get('id') or ''}".split()
        if any(_MENU_RE.match(t) for t in tokens):
            return "menus"
        st = self.stats.get(el)
        # link lists: not on a document page (a rendered document has no menus; its lists of links are its
        # sources and contents, kept as the Markdown reader keeps them), nor a cell of a table row read as one block
        if self.document_page or (self.row is not None and tag in ("td", "th")):
            st = None
        if st and st[2] >= LINK_MIN and st[1] >= LINK_SHARE * st[0] and \
                (not inside or st[3] <= LINK_MENU_WIDTH * st[2] or _link_label(el)) and not _in_page_toc(el):
            return "link lists"
        return ""

    @staticmethod
    def _in_main(el) -> bool:
        p = el.getparent()
        while p is not None:
            if p.tag in ("main", "article"):
                return True
            p = p.getparent()
        return False

    def walk(self, el, furniture: bool, depth: int, ol: list | None = None, inside: bool = False) -> None:
        tag = el.tag.lower() if isinstance(el.tag, str) else None
        if tag == "img" and not furniture and squash(el.get("alt") or ""):
            self.captions.append((squash(el.get("alt")), len(self.b.blocks)))
            if self.kind == "figure":
                self.buf.append(f" {el.get('alt')} ")   # a block of images only: the alt texts are its text
        if tag is None or tag in _DROP or tag in ("input", "img", "textarea"):
            # comments, scripts, styles, form fields and images: no running text (their tail is)
            if tag in _DROP and tag != "head":
                self.dropped += 1
            if el.tail:
                self.buf.append(el.tail)
            return
        inside = inside or el in self.roots
        why = "" if furniture else self._is_furniture(el, inside)
        furn = furniture or bool(why)
        block = tag in _BLOCK or (furn and not furniture)
        saved = None
        if block:
            self.flush()
            saved = (self.kind, self.level, self.label, self._why)
            if why:
                self._why = why
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
                elif tag in _FIGURE_HOLDERS and _only_images(el):
                    kind = "figure"
            self.kind, self.level, self.label = kind, level, label
        row = tag == "tr" and not furn and self.row is None and _simple_row(el)
        if row:
            self.row = []
        if self.row is not None and tag in ("td", "th") and not furn:
            self.row.append([])
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
                self.walk(child, furn, d, [_ol_label(counter)], inside)
                counter[0] += 1
            else:
                self.walk(child, furn, d, None, inside)
        if block:
            if tag == "figcaption" and not furn:
                self.captions.append((squash("".join(self.buf)), len(self.b.blocks)))
            self.flush()
            if row:
                cells = [" ".join(c) for c in self.row if c]
                self.row = None
                if cells:
                    self.kept.append((ROW_SEP.join(cells), len(self.b.blocks)))
                    self.b.add(ROW_SEP.join(cells), "cell")
            # text after a nested block goes on in the enclosing block's kind (its label is already used)
            self.kind, self.level, self.label, self._why = saved[0], saved[1], "", saved[3]
        if el.tail:
            self.buf.append(el.tail)

    def flush(self) -> None:
        t = squash("".join(self.buf))
        self.buf = []
        if not t:
            return
        kind, label, level = self.kind, self.label, self.level
        if self.row is not None and self.row and kind == "cell":
            self.row[-1].append(t)   # a line of a cell of a simple row: the row is one block (walk adds it at </tr>)
            return
        n = len(self.b.blocks)
        if kind != "furniture" and any(c == t and n - k <= CAPTION_WINDOW for c, k in self.captions) and \
                any(c == t and n - k <= CAPTION_WINDOW for c, k in self.kept):
            kind, self._why = "furniture", "repeated captions"   # the caption printed again: its first copy stays
            self.why[self._why] += 1
            self.b.add(t, kind)
            self._why = ""
            self.label = ""
            return
        if kind == "furniture":
            self.why[self._why or "menus"] += 1
        else:
            self.kept.append((t, n))
            del self.kept[:-CAPTION_WINDOW]
        if not label and kind != "furniture":
            lab = find_label(t)
            if lab is not None:
                label = lab.text
                if lab.kind == "division" and kind == "text" and len(t) < 60:
                    kind, level = "heading", lab.level
        self.b.add(t, kind, level=level, label=label)
        self.label = ""


def _only_images(el) -> bool:
    """``el`` holds images and line breaks only (no text, no link, no other element) and one image has an alt
    text: a picture set on its own, as ``![alt](src)`` alone in a Markdown paragraph renders."""
    if squash(el.text or ""):
        return False
    alt = False
    for d in el.iterdescendants():
        tag = d.tag.lower() if isinstance(d.tag, str) else None
        if tag is None:                  # a comment: no text
            if squash(d.tail or ""):
                return False
            continue
        if tag not in _IMAGE_ONLY or squash(d.text or "") or squash(d.tail or ""):
            return False
        alt = alt or (tag == "img" and bool(squash(d.get("alt") or "")))
    return alt


def _letters_width(text: str) -> tuple[int, int]:
    """(letters, width) of a text: letters and digits, a CJK character counting 2 in the width."""
    n = w = 0
    for c in text:
        if c.isalnum():
            n += 1
            w += 2 if _cjk_wide(c) else 1
    return n, w


def _cjk_wide(c: str) -> bool:
    return "\u2e80" <= c <= "\u9fff" or "\uac00" <= c <= "\ud7af" or "\uf900" <= c <= "\ufaff"


def _link_stats(body) -> dict:
    """Per element: [letters, letters inside links, links, summed link width] of its visible text (one pass,
    children before parents)."""
    stats: dict = {}
    order = [el for el in body.iter() if isinstance(el.tag, str)]
    for el in reversed(order):
        tag = el.tag.lower()
        if tag in _DROP:
            stats[el] = [0, 0, 0, 0]
            continue
        st = [0, 0, 0, 0]
        own = el.text or ""
        for ch in el:
            if isinstance(ch.tag, str):
                c = stats[ch]
                st = [a + b for a, b in zip(st, c)]
            own += ch.tail or ""
        n, _w = _letters_width(own)
        st[0] += n
        if tag == "a" and st[0]:
            # a link: all its letters are link letters, and it counts once with its whole width
            _n, w = _letters_width(el.text_content())
            st = [st[0], st[0], 1, w]
        stats[el] = st
    return stats


def _in_page_toc(el) -> bool:
    """Every link of ``el`` points into the page (``href="#…"``): the document's own table of contents, translated
    with it, not site chrome (menus, share bars and related-article lists point to other pages)."""
    hrefs = el.xpath(".//a/@href")
    return bool(hrefs) and all(h.strip().startswith("#") and len(h.strip()) > 1 for h in hrefs)


def _has_chrome(body) -> bool:
    """The page has site chrome: a nav/menu/form, a header or footer element, a chrome role, or a class or id token
    naming a menu, sidebar, footer or banner."""
    for el in body.iter():
        if not isinstance(el.tag, str):
            continue
        tag = el.tag.lower()
        if tag in _FURNITURE_TAGS or tag in ("header", "footer") or (el.get("role") or "").lower() in _ROLES:
            return True
        if any(_MENU_RE.match(t) for t in f"{el.get('class') or ''} {el.get('id') or ''}".split()):
            return True
    return False


def _link_label(el) -> bool:
    """The text of ``el`` outside its links is only a label ending in a colon ("标签：", "Topics:", "Share:"): a
    tag list or share bar, whatever the length of its links."""
    rest = _LABEL_SEP.sub("", "".join(el.xpath(".//text()[not(ancestor::a)]")))
    return bool(rest) and rest[-1] in ":：" and _letters_width(rest)[0] <= LABEL_MAX


def _content_roots(body, stats: dict) -> tuple[set, set]:
    """The page's content elements (its <article>s, else its <main>) when they hold most of its letters, and
    their ancestors."""
    for tag in ("article", "main"):
        roots = [el for el in body.iter(tag) if not any(p.tag == tag for p in el.iterancestors())]
        if roots:
            break
    else:
        return set(), set()
    total = stats.get(body, [0])[0]
    if not total or sum(stats[r][0] for r in roots) < CONTENT_SHARE * total:
        return set(), set()
    above = {p for r in roots for p in r.iterancestors()}
    return set(roots), above


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
