"""Render parallel texts into PDF and DOCX documents with real layouts, and record their gold: tests/data/docs/.

    .venv/bin/python bench/make_doc_corpus.py [--out tests/data/docs] [--docs-dev ../shared/data/docs-dev]
                                              [--layouts a4,a5,a4cols,lo,web]   # a subset keeps the others
                                              [--all-texts]   # lo/web for every text (held-out check)

Needs (only to regenerate; the outputs are committed, so CI does not): reportlab and python-docx (PyPI), the Debian
fonts ``fonts-wqy-zenhei`` and ``fonts-arphic-uming`` (TrueType CJK fonts that reportlab can embed; the Noto CJK
fonts of ``fonts-noto-cjk`` are CFF-outline OpenType, which reportlab cannot embed, so the DOCX files name
"Noto Serif CJK SC"/"Noto Sans CJK SC" for their East Asian text and leave the choice to the viewer), and
``pdftotext`` (Debian ``poppler-utils``) for the ``.pdftotext.txt`` extractions; the layouts of other producers
also need LibreOffice Writer (``soffice``, Debian ``libreoffice-writer-nogui``), Chromium (``/usr/bin/chromium``) and
the Noto CJK fonts (``fonts-noto-cjk``).

Texts (redistributable only; mac-dev is evaluation-only and is never rendered into the project):

* ``un-letter``: examples/un-letter.{zh,en}.txt (53 paragraph pairs; UN material / Apache-2.0 translation);
* ``tw-roc-constitution``, ``prc-constitution-2018``, ``cc-by-sa-4.0-legalcode``: the gold rows of the docs-dev
  pairs (public domain / CC0; see ../shared/data/docs-dev/README.md and models/DATA.md).

For each text: ``NAME.gold.{zh,en}.txt`` (one gold unit per line, line n <-> line n: the gold) and renderings

* ``NAME.a4.{zh,en}.pdf``: A4, serif (AR PL UMing / Times), running header with the title, footer "— n —" /
  "Page n of N", translator's footnotes at the page foot below a rule, headings in a larger bold face, numbered
  article lines on their own;
* ``NAME.a5.{zh,en}.pdf``: A5 (a narrow page: more wraps), sans (WenQuanYi Zen Hei / Helvetica), page number
  footer, header "NAME — draft" on every page, no footnotes;
* ``NAME.a4cols.{zh,en}.pdf`` (``un-letter``, ``prc-constitution-2018``, ``cc-by-sa-4.0-legalcode``): A4 in two
  columns (10 pt serif, 8 mm gutter) under a full-width title block on page 1 (the units before the first
  paragraph, centred), the A4 running header, footer and full-width footnotes; its one-column twin is ``a4``;
* ``NAME.a4.{zh,en}.docx`` / ``NAME.a5.{zh,en}.docx``: the same two page sizes in Word, heading styles, header and
  footer with a PAGE field, East Asian font set;
* ``NAME.lo.{zh,en}.pdf`` (``un-letter``, ``cc-by-sa-4.0-legalcode``): another producer, LibreOffice Writer, from
  a Word-like DOCX (A4, justified, Noto Serif CJK — embedded as Type 1 subsets with ToUnicode —, headings in
  DejaVu Sans / WenQuanYi Zen Hei, two-character first-line indent in Chinese, typed list numbers followed by a tab over a hanging indent, Heading styles, header
  with the title, "Page n" footer; LibreOffice hyphenates and spaces Chinese from Latin text);
* ``NAME.web.{zh,en}.pdf`` (``un-letter``): a third producer, Chromium's print to PDF of an HTML page (h1/h2/h3,
  paragraphs, ordered lists whose numbers the browser draws, justified, Noto CJK by CSS, printed as Type 3 fonts;
  Latin text in CID TrueType, Identity-H),
  with the browser's header (date, title) and footer (the page's address, "n/N");
* ``NAME.lofn.{zh,en}.pdf`` (``un-letter``): LibreOffice from an OpenDocument text with real footnotes (the
  translator's notes, 9 pt, their number set against the text: "1Translator's note…"), header and page footer;
* ``NAME.*.pdftotext.txt``: ``pdftotext -enc UTF-8`` of each PDF (reading order, no ``-layout``).

``manifest.json`` lists, per text, the gold files, the kind of each gold unit (title / heading / article / text),
the footnote texts and the furniture lines (so the benchmark can check that none ends up inside a body bead), and the
renderings.
"""
from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"

UMING = "/usr/share/fonts/truetype/arphic/uming.ttc"
ZENHEI = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"

#: the translator's notes added as real footnotes to the A4 PDF (outside the gold: a body bead must not hold them)
NOTES = {"zh": ["译者注：本文件由测试语料生成脚本排版，仅用于检验对齐工具。", "译者注：此处条文编号与原文一致。"],
         "en": ["Translator's note: this document was typeset by the test corpus script, for testing the aligner only.",
                "Translator's note: the numbering here follows the original."]}
#: every how many body paragraphs a footnote marker is placed (often enough to put notes on most pages)
NOTE_EVERY = 9
#: the layouts: one column on A4 and A5 (PDF and DOCX), and two columns on A4 (PDF only) for the texts below
LAYOUTS = ("a4", "a5", "a4cols", "lo", "web", "lofn")
#: the layouts made by other producers than reportlab (held-out checks of the readers on other text layers): "lo"
#: LibreOffice Writer from a Word-like DOCX, "web" Chromium's print to PDF of an HTML page; PDF only
OTHER_PRODUCERS = ("lo", "web", "lofn")
#: the texts rendered by the other producers into the committed corpus (their Chinese PDFs embed large CJK font
#: subsets: 200-400 KB from LibreOffice, 0.8-1 MB from Chromium's Type 3 fonts, so the shortest texts only);
#: ``--all-texts`` renders every text (a held-out check outside the repository)
OTHER_PRODUCER_TEXTS = {"lo": ("un-letter", "cc-by-sa-4.0-legalcode"), "web": ("un-letter",), "lofn": ("un-letter",)}
COLS_TEXTS = ("un-letter", "prc-constitution-2018", "cc-by-sa-4.0-legalcode")
#: the two-column A4 layout ("a4cols"): body size (10 pt, as journals and newsletters set their columns), gutter
#: (8 mm: within the usual 5-10 mm), and at most this many leading non-text units set full width above the columns
COLS_FONT_SIZE = 10
COLS_GUTTER_CM = 0.8
TITLE_BLOCK_MAX = 10

HEADING_RE = {
    "zh": re.compile(r"^(第\s*[一二三四五六七八九十百零〇\d]+\s*[章节編编篇]|序言|前言|附件|注释)"),
    "en": re.compile(r"^(Chapter|Section|Part|Preamble|Annex|Notes)\b"),
}


# ----------------------------------------------------------------------------------------------------- texts

def unescape(cell: str) -> str:
    out, i = [], 0
    while i < len(cell):
        c = cell[i]
        if c == "\\" and i + 1 < len(cell):
            out.append({"n": "\n", "t": "\t", "r": "\r", "\\": "\\"}.get(cell[i + 1], cell[i + 1]))
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


def kind_of_docs_dev(kind: str, zh: str) -> str:
    if kind.startswith("title"):
        return "title"
    if kind.startswith("heading"):
        return "heading"
    if kind == "article-no":
        return "article"
    if kind == "code":
        return "code"   # program code: set in a monospace face, and left out of the gold by bench_docs
    # a block opening with a division or a section number ("第一条 定义" in the licence) is a heading; a law's
    # article paragraph ("第四条 中华人民共和国各民族一律平等。…", kind "article") is text
    if kind == "block" and (HEADING_RE["zh"].match(zh.strip()) or re.match(r"^第[一二三四五六七八]条", zh.strip())):
        return "heading"
    return "text"


def load_docs_dev(name: str, root: Path) -> list[tuple[str, str, str]]:
    rows = []
    for line in (root / name / "gold.para.tsv").read_text(encoding="utf-8").splitlines():
        zh, en = line.split("\t")
        zh, en = unescape(zh), unescape(en)
        rows.append([" ".join(zh.split("\n")).strip(), " ".join(en.split("\n")).strip()])
    kinds = [r.split("\t")[4] for r in (root / name / "gold.spans.tsv").read_text(encoding="utf-8").splitlines()[1:]]
    assert len(kinds) == len(rows)
    out = []
    for (zh, en), k in zip(rows, kinds):
        zh, en = re.sub(r"\s+", " ", zh).strip(), re.sub(r"\s+", " ", en).strip()
        out.append((zh.lstrip(" "), en.lstrip(" "), kind_of_docs_dev(k, zh)))
    return out


def load_un_letter() -> list[tuple[str, str, str]]:
    def paras(p):
        return [x.strip() for x in p.read_text(encoding="utf-8").split("\n\n") if x.strip()]
    zh, en = paras(ROOT / "examples" / "un-letter.zh.txt"), paras(ROOT / "examples" / "un-letter.en.txt")
    assert len(zh) == len(en) == 53
    out = []
    for z, e in zip(zh, en):
        short = len(z) <= 30 and not re.search(r"[。；：！？]$", z)
        out.append((z, e, "heading" if short else "text"))
    return out


# ----------------------------------------------------------------------------------------------------- PDF

def _fonts():
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    for name, path in (("UMing", UMING), ("ZenHei", ZENHEI)):
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, path, subfontIndex=0))


def render_pdf(units, lang: str, path: Path, layout: str, title: str) -> list[str]:
    """Render; returns the furniture lines drawn (headers/footers, page numbers as a pattern)."""
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4, A5
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.platypus import BaseDocTemplate, Frame, FrameBreak, NextPageTemplate, PageTemplate, Paragraph, \
        Spacer

    _fonts()
    zh = lang == "zh"
    cols = layout == "a4cols"
    a4 = layout in ("a4", "a4cols")
    size = A4 if a4 else A5
    body_font = ("UMing" if a4 else "ZenHei") if zh else ("Times-Roman" if a4 else "Helvetica")
    bold_font = body_font if zh else ("Times-Bold" if a4 else "Helvetica-Bold")
    fs = COLS_FONT_SIZE if cols else 11 if a4 else 9.5
    wrap = "CJK" if zh else None
    base = dict(fontName=body_font, fontSize=fs, leading=fs * 1.45, spaceAfter=fs * 0.6)
    if wrap:
        base["wordWrap"] = wrap
    st = {"text": ParagraphStyle("t", **base, firstLineIndent=(2 * fs if zh else 0)),
          "title": ParagraphStyle("ti", **{**base, "fontName": bold_font, "fontSize": fs * 1.6,
                                           "leading": fs * 2.1, "alignment": TA_CENTER, "spaceAfter": fs * 1.2}),
          "heading": ParagraphStyle("h", **{**base, "fontName": bold_font, "fontSize": fs * 1.25,
                                            "leading": fs * 1.7, "spaceBefore": fs * 0.8}),
          "article": ParagraphStyle("a", **{**base, "fontName": bold_font, "spaceBefore": fs * 0.4}),
          # program code in a monospace face, as books print it (Courier: reportlab's built-in fixed-pitch font)
          "code": ParagraphStyle("c", **{**base, "fontName": "Courier", "fontSize": fs * 0.9, "leading": fs * 1.3,
                                         "wordWrap": None})}
    notes_on_page: list[str] = []
    header = title if a4 else f"{title} — draft"
    footer_text = {"zh": "— {n} —", "en": "Page {n}"}[lang]
    margin_bottom = (3.6 if a4 else 2.2) * cm

    class Doc(BaseDocTemplate):
        def afterFlowable(self, fl):
            for k in getattr(fl, "_notes", ()):
                notes_on_page.append(k)

    def on_page_end(canvas, doc):
        canvas.saveState()
        w, h = size
        canvas.setFont(body_font, fs * 0.8)
        canvas.drawCentredString(w / 2, h - 1.2 * cm, header)
        canvas.drawCentredString(w / 2, 0.9 * cm, footer_text.format(n=doc.page))
        if notes_on_page:
            y = margin_bottom - 0.35 * cm
            canvas.line(2 * cm, y, 6 * cm, y)
            y -= fs * 1.1
            for k in notes_on_page:
                txt = f"{k + 1} {NOTES[lang][k % len(NOTES[lang])]}"
                canvas.setFont(body_font, fs * 0.75)
                canvas.drawString(2 * cm, y, txt)
                y -= fs * 1.0
            notes_on_page.clear()
        canvas.restoreState()

    doc = Doc(str(path), pagesize=size, leftMargin=2 * cm, rightMargin=2 * cm, topMargin=2 * cm,
              bottomMargin=margin_bottom, title=title, author="aligner test corpus")
    story = []
    n_title = 0
    if cols:
        # the title block (the units before the first paragraph of text) full width above two columns on page 1;
        # every later page two columns
        while n_title < min(TITLE_BLOCK_MAX, len(units)) and units[n_title][2] != "text":
            n_title += 1
        for u in units[:n_title]:
            sty = ParagraphStyle(f"c{u[2]}", parent=st[u[2]], alignment=TA_CENTER)
            story.append(Paragraph(escape(u[0 if zh else 1]), sty))
        pad = 6   # reportlab's frame padding, each side
        th = sum(p.wrap(doc.width - 2 * pad, doc.height)[1] + p.getSpaceBefore() + p.getSpaceAfter()
                 for p in story) + 2 * pad + fs
        gut = COLS_GUTTER_CM * cm
        cw = (doc.width - gut) / 2
        x0, y0, h = doc.leftMargin, doc.bottomMargin, doc.height
        first = [Frame(x0, y0 + h - th, doc.width, th, id="title"),
                 Frame(x0, y0, cw, h - th, id="left1"), Frame(x0 + cw + gut, y0, cw, h - th, id="right1")]
        later = [Frame(x0, y0, cw, h, id="left"), Frame(x0 + cw + gut, y0, cw, h, id="right")]
        doc.addPageTemplates([PageTemplate(id="first", frames=first, onPageEnd=on_page_end),
                              PageTemplate(id="later", frames=later, onPageEnd=on_page_end)])
        story += [NextPageTemplate("later"), FrameBreak()]
    else:
        frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body")
        doc.addPageTemplates([PageTemplate(id="p", frames=[frame], onPageEnd=on_page_end)])
    nbody = 0
    for u in units[n_title:]:
        text, kind = u[0 if zh else 1], u[2]
        note = None
        if a4 and kind == "text":   # footnotes in both A4 layouts
            nbody += 1
            if nbody % NOTE_EVERY == 0:
                note = (nbody // NOTE_EVERY - 1) % len(NOTES[lang])
        markup = escape(text)
        if note is not None:
            markup += f"<super>{note + 1}</super>"
        p = Paragraph(markup, st[kind])
        if note is not None:
            p._notes = [note]
        story.append(p)
    story.append(Spacer(1, 1))
    doc.build(story)
    return [header]


# ----------------------------------------------------------------------------------------------------- DOCX

# Word XML refuses C0 control characters (a docs-dev text carries a stray one): they print nothing, so they are
# replaced by a space in the DOCX rendering only (its gold and PDF keep the text as it is).
_XML_BAD = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def render_docx(units, lang: str, path: Path, layout: str, title: str) -> list[str]:
    import docx
    from docx.enum.section import WD_ORIENT  # noqa: F401  (python-docx present)
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    zh = lang == "zh"
    a4 = layout == "a4"
    d = docx.Document()
    sec = d.sections[0]
    sec.page_width, sec.page_height = (Cm(21.0), Cm(29.7)) if a4 else (Cm(14.8), Cm(21.0))
    for m in ("left_margin", "right_margin"):
        setattr(sec, m, Cm(2.0))
    latin = "Times New Roman" if a4 else "Arial"
    east = "Noto Serif CJK SC" if a4 else "Noto Sans CJK SC"
    for sname in ("Normal", "Title", "Heading 1", "Heading 2"):
        s = d.styles[sname]
        s.font.name = latin
        rpr = s.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = OxmlElement("w:rFonts")
            rpr.append(fonts)
        fonts.set(qn("w:eastAsia"), east)
        fonts.set(qn("w:ascii"), latin)
        fonts.set(qn("w:hAnsi"), latin)
    d.styles["Normal"].font.size = Pt(11 if a4 else 9.5)
    header = title if a4 else f"{title} — draft"
    sec.header.paragraphs[0].text = header
    fp = sec.footer.paragraphs[0]
    fp.add_run("第 " if zh else "Page ")
    run = fp.add_run()
    for tag, attr in (("w:fldChar", {"w:fldCharType": "begin"}), ("w:instrText", None),
                      ("w:fldChar", {"w:fldCharType": "end"})):
        el = OxmlElement(tag)
        if attr:
            for k, v in attr.items():
                el.set(qn(k), v)
        else:
            el.set(qn("xml:space"), "preserve")
            el.text = "PAGE"
        run._r.append(el)
    fp.add_run(" 页" if zh else "")
    for u in units:
        text, kind = _XML_BAD.sub(" ", u[0 if zh else 1]), u[2]
        if kind == "title":
            d.add_heading(text, level=0)
        elif kind == "heading":
            d.add_heading(text, level=1)
        elif kind == "article":
            d.add_heading(text, level=2)
        elif kind == "code":
            d.add_paragraph().add_run(text).font.name = "Courier New"   # program code in a monospace face
        else:
            d.add_paragraph(text)
    d.core_properties.title = title
    d.core_properties.author = "aligner test corpus"
    d.save(str(path))
    return [header]


# ----------------------------------------------------------------------------------------------------- other producers

#: a unit that opens with a typed list number ("1. ", "a. ", "iv. ", "(2) "): Word users set it off by a tab and a
#: hanging indent, web pages write it as an ordered list (the number then comes from the browser's list marker)
LIST_LABEL = re.compile(r"^(?:(\d{1,2}|[a-zA-Z]|[ivx]{2,5})\.|\((\d{1,2}|[a-z])\))\s+(?=\S)")
#: LibreOffice's profile for the conversions: a private one, so that a desktop LibreOffice (or another engineer's
#: conversion) running at the same time does not lock it
LO_PROFILE = "/tmp/aligner-corpus-lo-profile"
#: the folder the HTML pages are printed from: Chromium prints the page's address in its footer, so a fixed,
#: neutral path keeps the renderings reproducible and free of local paths
WEB_DIR = Path("/tmp/aligner-corpus-web")
CHROMIUM = "/usr/bin/chromium"


def render_lo(units, lang: str, path: Path, layout: str, title: str) -> list[str]:
    """A Word-like DOCX (A4, justified, Chinese first-line indent of two characters, Heading styles, typed list
    numbers followed by a tab over a hanging indent, header with the title and a "Page n" footer) converted to PDF
    by LibreOffice Writer (``soffice --headless --convert-to pdf``): CFF CJK fonts (Noto), glyph-positioned
    justified lines, word spaces as gaps."""
    import shutil
    import tempfile

    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    zh = lang == "zh"
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / (path.stem + ".docx")
        render_docx(units, lang, src, "a4", title)
        d = docx.Document(str(src))
        sec = d.sections[0]
        for m in ("left_margin", "right_margin"):
            setattr(sec, m, Cm(2.5))
        normal = d.styles["Normal"]
        normal.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        normal.paragraph_format.space_after = Pt(6)
        for p in d.paragraphs:
            if p.style.name != "Normal":
                continue
            m = LIST_LABEL.match(p.text)
            if m:   # "1.<tab>Subject to…" over a hanging indent, as typed in Word
                lab, rest = p.text[:m.end()].rstrip(), p.text[m.end():]
                for r in p.runs[1:]:
                    r._r.getparent().remove(r._r)
                p.runs[0].text = lab
                p.add_run().add_tab()
                p.add_run(rest)
                p.paragraph_format.left_indent = Cm(1.0)
                p.paragraph_format.first_line_indent = Cm(-1.0)
                p.paragraph_format.tab_stops.add_tab_stop(Cm(1.0))
            elif zh:   # two characters of first-line indent, as Chinese documents are set
                ind = p._p.get_or_add_pPr().find(qn("w:ind"))
                if ind is None:
                    ind = OxmlElement("w:ind")
                    p._p.get_or_add_pPr().append(ind)
                ind.set(qn("w:firstLineChars"), "200")
        d.save(str(src))
        outdir = Path(tmp) / "out"
        subprocess.run(["soffice", f"-env:UserInstallation=file://{LO_PROFILE}", "--headless", "--convert-to", "pdf",
                        "--outdir", str(outdir), str(src)], check=True, capture_output=True, timeout=600)
        shutil.move(str(outdir / (src.stem + ".pdf")), str(path))
    return [title]


def render_lofn(units, lang: str, path: Path, layout: str, title: str) -> list[str]:
    """An OpenDocument text (flat XML) with real footnotes (the translator's notes every :data:`NOTE_EVERY` body
    paragraphs, 9 pt, the number set against the note's text as LibreOffice and Word print it), justified 11 pt
    body, headings 13 pt bold, header with the title, footer with the page number, converted to PDF by LibreOffice."""
    import shutil
    import tempfile

    zh = lang == "zh"
    font = "Noto Serif CJK SC" if zh else "Liberation Serif"
    body, nb = [], 0
    for u in units:
        text, kind = escape(_XML_BAD.sub(" ", u[0 if zh else 1])), u[2]
        if kind in ("title", "heading", "article"):
            level = 2 if kind == "article" else 1
            body.append(f'<text:h text:style-name="H{level}" text:outline-level="{level}">{text}</text:h>')
            continue
        nb += 1
        note = ""
        if nb % NOTE_EVERY == 0:
            k = nb // NOTE_EVERY
            note = (f'<text:note text:id="n{k}" text:note-class="footnote"><text:note-citation>{k}</text:note-citation>'
                    f'<text:note-body><text:p text:style-name="Footnote">{escape(NOTES[lang][(k - 1) % len(NOTES[lang])])}'
                    f'</text:p></text:note-body></text:note>')
        body.append(f'<text:p text:style-name="Body">{text}{note}</text:p>')
    page = "第 <text:page-number/> 页" if zh else "Page <text:page-number/>"
    ns = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
          'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
          'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"')
    size = 'fo:font-size="{0}pt" style:font-size-asian="{0}pt"'
    indent = ' fo:text-indent="0.78cm"' if zh else ""   # two characters of first-line indent in Chinese
    doc = (f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document {ns} office:version="1.2" '
           f'office:mimetype="application/vnd.oasis.opendocument.text">'
           f'<office:font-face-decls><style:font-face style:name="F" svg:font-family="\'{font}\'"/>'
           f'</office:font-face-decls><office:styles>'
           f'<style:style style:name="Standard" style:family="paragraph"><style:text-properties style:font-name="F" '
           f'style:font-name-asian="F" {size.format(11)}/></style:style>'
           f'<style:style style:name="Body" style:family="paragraph" style:parent-style-name="Standard">'
           f'<style:paragraph-properties fo:text-align="justify" fo:margin-bottom="0.2cm"'
           f'{indent}/></style:style>'
           + "".join(f'<style:style style:name="H{lv}" style:family="paragraph" style:parent-style-name="Standard">'
                     f'<style:paragraph-properties fo:margin-top="0.3cm" fo:margin-bottom="0.2cm"/>'
                     f'<style:text-properties {size.format(sz)} fo:font-weight="bold" style:font-weight-asian="bold"/>'
                     f'</style:style>' for lv, sz in ((1, 13), (2, 11)))
           + f'<style:style style:name="Footnote" style:family="paragraph" style:parent-style-name="Standard">'
           f'<style:text-properties {size.format(9)}/></style:style>'
           f'<style:style style:name="Small" style:family="paragraph" style:parent-style-name="Standard">'
           f'<style:text-properties {size.format(9)}/></style:style></office:styles>'
           f'<office:automatic-styles><style:page-layout style:name="pm1"><style:page-layout-properties '
           f'fo:page-width="21cm" fo:page-height="29.7cm" fo:margin-top="1.5cm" fo:margin-bottom="1.5cm" '
           f'fo:margin-left="2.5cm" fo:margin-right="2.5cm"/><style:header-style><style:header-footer-properties '
           f'fo:min-height="0.5cm" fo:margin-bottom="0.5cm"/></style:header-style><style:footer-style>'
           f'<style:header-footer-properties fo:min-height="0.5cm" fo:margin-top="0.5cm"/></style:footer-style>'
           f'</style:page-layout></office:automatic-styles><office:master-styles><style:master-page '
           f'style:name="Standard" style:page-layout-name="pm1"><style:header><text:p text:style-name="Small">'
           f'{escape(title)}</text:p></style:header><style:footer><text:p text:style-name="Small">{page}</text:p>'
           f'</style:footer></style:master-page></office:master-styles>'
           f'<office:body><office:text>{"".join(body)}</office:text></office:body></office:document>')
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / (path.stem + ".fodt")
        src.write_text(doc, encoding="utf-8")
        outdir = Path(tmp) / "out"
        subprocess.run(["soffice", f"-env:UserInstallation=file://{LO_PROFILE}", "--headless", "--convert-to", "pdf",
                        "--outdir", str(outdir), str(src)], check=True, capture_output=True, timeout=600)
        shutil.move(str(outdir / (src.stem + ".pdf")), str(path))
    return [title]


def _web_html(units, lang: str, title: str) -> str:
    zh = lang == "zh"
    font = '"Noto Serif CJK SC", "Noto Sans CJK SC", serif' if zh else '"Liberation Serif", "Times New Roman", serif'
    css = (f"@page {{ size: A4; margin: 2cm 2.2cm; }} body {{ font-family: {font}; font-size: 11.5pt; "
           f"line-height: 1.6; text-align: justify; }} h1 {{ font-size: 20pt; text-align: center; }} "
           f"h2 {{ font-size: 15pt; margin-top: 1.2em; }} h3 {{ font-size: 12pt; }} p {{ margin: 0 0 .6em; "
           f"{'text-indent: 2em; ' if zh else ''}}} ol {{ margin: 0 0 .6em; }}")
    out = [f'<!DOCTYPE html>\n<html lang="{"zh-CN" if zh else "en"}"><head><meta charset="utf-8">'
           f"<title>{escape(title)}</title><style>{css}</style></head><body>"]
    for u in units:
        text, kind = u[0 if zh else 1], u[2]
        tag = {"title": "h1", "heading": "h2", "article": "h3", "code": "pre"}.get(kind)
        if tag:
            out.append(f"<{tag}>{escape(text)}</{tag}>")
            continue
        m = LIST_LABEL.match(text)
        if m and m.group(1):   # "1. …" / "a. …" / "iv. …": an ordered list item, the number drawn by the browser
            lab = m.group(1)
            if lab.isdigit():
                typ, start = "1", int(lab)
            elif len(lab) == 1:
                typ, start = ("a" if lab.islower() else "A"), ord(lab.lower()) - 96
            else:
                typ, start = "i", _roman(lab)
            out.append(f'<ol type="{typ}" start="{start}"><li>{escape(text[m.end():])}</li></ol>')
        else:
            out.append(f"<p>{escape(text)}</p>")
    out.append("</body></html>\n")
    return "\n".join(out)


def _roman(s: str) -> int:
    vals = {"i": 1, "v": 5, "x": 10}
    n = 0
    for a, b in zip(s, s[1:] + " "):
        n += -vals[a] if vals.get(b, 0) > vals[a] else vals[a]
    return n


def render_web(units, lang: str, path: Path, layout: str, title: str) -> list[str]:
    """An HTML page of the units (h1/h2/h3 headings, paragraphs, ordered lists for numbered items, a Noto CJK font
    by CSS, justified, @page margins) printed to PDF by headless Chromium, with the browser's own header (date,
    title) and footer (the page's address, "n/N")."""
    WEB_DIR.mkdir(parents=True, exist_ok=True)
    html = WEB_DIR / (path.stem + ".html")
    html.write_text(_web_html(units, lang, title), encoding="utf-8")
    import tempfile
    with tempfile.TemporaryDirectory() as prof:
        subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        f"--user-data-dir={prof}", f"--print-to-pdf={path}", html.as_uri()],
                       check=True, capture_output=True, timeout=600)
    return [title, html.as_uri()]


# ----------------------------------------------------------------------------------------------------- main

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=str(ROOT / "tests" / "data" / "docs"))
    ap.add_argument("--docs-dev", default=str(SHARED / "docs-dev"))
    ap.add_argument("--texts", help="render these docs-dev pairs instead of the committed four (comma-separated; "
                                    "'ZH TITLE / EN TITLE' from --titles or the pair's name), e.g. a held-out check "
                                    "of the PDF reader on a text its rules were not fixed on: use another --out")
    ap.add_argument("--titles", default="", help="NAME=ZH TITLE / EN TITLE;... for --texts")
    ap.add_argument("--layouts", default=",".join(LAYOUTS),
                    help="render only these layouts (comma-separated, of %(default)s) and keep the other renderings "
                         "already in OUT/manifest.json, e.g. --layouts a4cols adds the two-column files alone")
    ap.add_argument("--all-texts", action="store_true",
                    help="render the other producers' layouts (lo, web) for every text, not only the committed ones")
    a = ap.parse_args(argv)
    layouts = [x for x in a.layouts.split(",") if x]
    if set(layouts) - set(LAYOUTS):
        ap.error(f"--layouts: unknown {sorted(set(layouts) - set(LAYOUTS))}; known: {', '.join(LAYOUTS)}")
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    if a.texts:
        titles = dict(kv.split("=", 1) for kv in a.titles.split(";") if "=" in kv)
        texts = {n: (titles.get(n, n), load_docs_dev(n, Path(a.docs_dev))) for n in a.texts.split(",")}
    else:
        texts = {"un-letter": ("UN letter A/75/780–S/2021/206 (test rendering)", load_un_letter())}
        for name, title in (("tw-roc-constitution", "中華民國憲法 / Constitution of the Republic of China"),
                            ("prc-constitution-2018", "中华人民共和国宪法 / Constitution of the PRC"),
                            ("cc-by-sa-4.0-legalcode", "CC BY-SA 4.0 Legal Code")):
            texts[name] = (title, load_docs_dev(name, Path(a.docs_dev)))
    old_items = {}
    if set(layouts) != set(LAYOUTS) and (out / "manifest.json").exists():
        old_items = {m["name"]: m for m in json.loads((out / "manifest.json").read_text(encoding="utf-8"))}
    manifest = []
    for name, (title, units) in texts.items():
        for lang, k in (("zh", 0), ("en", 1)):
            (out / f"{name}.gold.{lang}.txt").write_text("".join(u[k] + "\n" for u in units), encoding="utf-8")
        item = {"name": name, "gold": {"src": f"{name}.gold.zh.txt", "tgt": f"{name}.gold.en.txt", "kind": "units"},
                "kinds": [u[2] for u in units], "notes": NOTES, "furniture": {}, "renderings": []}
        if name in old_items:   # the renderings of the layouts not made now stay as they were
            item["furniture"] = old_items[name]["furniture"]
            item["renderings"] = [r for r in old_items[name]["renderings"]
                                  if r["name"].split(".")[-2] not in layouts]
        for layout in layouts:
            if layout == "a4cols" and name not in COLS_TEXTS and not a.texts:
                continue
            if layout in OTHER_PRODUCERS and name not in OTHER_PRODUCER_TEXTS[layout] and not (a.texts or a.all_texts):
                continue
            producers = {"lo": (("pdf", render_lo),), "web": (("pdf", render_web),),
                         "lofn": (("pdf", render_lofn),)}.get(
                layout, (("pdf", render_pdf), ("docx", render_docx)))
            for fmt, fn in producers:
                if fmt == "docx" and layout == "a4cols":
                    continue   # the DOCX reader does not see page layout: a two-column .docx reads as the A4 one
                paths = {}
                for lang in ("zh", "en"):
                    p = out / f"{name}.{layout}.{lang}.{fmt}"
                    t = title.split(" / ")[0 if lang == "zh" else -1]
                    item["furniture"].setdefault(lang, [])
                    for f in fn(units, lang, p, layout, t):
                        if f not in item["furniture"][lang]:
                            item["furniture"][lang].append(f)
                    paths[lang] = p.name
                item["renderings"].append({"name": f"{name}.{layout}.{fmt}", "src": paths["zh"], "tgt": paths["en"],
                                           "footnotes": fmt == "pdf" and layout in ("a4", "a4cols", "lofn")})
                if fmt == "pdf":
                    ext = {}
                    for lang in ("zh", "en"):
                        src = out / paths[lang]
                        dst = src.with_suffix(".pdftotext.txt")
                        subprocess.run(["pdftotext", "-enc", "UTF-8", str(src), str(dst)], check=True)
                        ext[lang] = dst.name
                    item["renderings"].append({"name": f"{name}.{layout}.pdftotext", "src": ext["zh"],
                                               "tgt": ext["en"], "footnotes": layout in ("a4", "a4cols", "lofn")})
        manifest.append(item)
        print(f"{name}: {len(units)} units, {len(item['renderings'])} renderings", file=sys.stderr)
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
