"""Small real-looking documents made in the tests: PDFs laid out by reportlab (running header and page
number on every page, footnotes in small type at the foot of a page, headings, wrapped paragraphs) and .docx
files written by python-docx."""
from __future__ import annotations

from pathlib import Path

EN_ARTICLES = [
    ("Article 1", "All human beings are born free and equal in dignity and rights. They are endowed with reason "
                  "and conscience and should act towards one another in a spirit of brotherhood. Everyone is "
                  "entitled to all the rights and freedoms set forth in this Declaration, without distinction of "
                  "any kind, such as race, colour, sex, language, religion, political or other opinion."),
    ("Article 2", "Everyone has the right to life, liberty and security of person. No one shall be held in "
                  "slavery or servitude; slavery and the slave trade shall be prohibited in all their forms. No "
                  "one shall be subjected to torture or to cruel, inhuman or degrading treatment or punishment."),
    ("Article 3", "Everyone has the right to recognition everywhere as a person before the law. All are equal "
                  "before the law and are entitled without any discrimination to equal protection of the law. "
                  "Everyone has the right to an effective remedy by the competent national tribunals."),
]
ZH_ARTICLES = [
    ("第一条", "人人生而自由，在尊严和权利上一律平等。他们赋有理性和良心，并应以兄弟关系的精神相对待。人人有资格享有本宣言所载的一切权利和自由，"
              "不分种族、肤色、性别、语言、宗教、政治或其他见解、国籍或社会出身、财产、出生或其他身分等任何区别。"),
    ("第二条", "人人有权享有生命、自由和人身安全。任何人不得使为奴隶或奴役；一切形式的奴隶制度和奴隶买卖，均应予以禁止。"
              "任何人不得加以酷刑，或施以残忍的、不人道的或侮辱性的待遇或刑罚。"),
    ("第三条", "人人在任何地方有权被承认在法律前的人格。法律之前人人平等，并有权享受法律的平等保护，不受任何歧视。"
              "任何人当宪法或法律所赋予他的基本权利遭受侵害时，有权由合格的国家法庭对这种侵害行为作有效的补救。"),
]
EN_TITLE, ZH_TITLE = "Universal Declaration", "世界人权宣言"
EN_NOTE, ZH_NOTE = "1 Adopted by the General Assembly in resolution 217 A.", "1 大会第217 A号决议通过。"
HEADER = "A/RES/217(III)"


def make_pdf(path: Path, lang: str, repeat: int = 2, page_size=None) -> Path:
    """A declaration: title, then ``repeat`` rounds of the three articles (heading + wrapped paragraph), a
    running header and page number on every page and a footnote in small type on the first page."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    zh = lang == "zh"
    if zh:
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    font = "STSong-Light" if zh else "Times-Roman"
    bold = "STSong-Light" if zh else "Times-Bold"
    body = ParagraphStyle("b", fontName=font, fontSize=11, leading=15, spaceAfter=9, alignment=4,
                          wordWrap="CJK" if zh else None, firstLineIndent=22 if zh else 0)
    head = ParagraphStyle("h", fontName=bold, fontSize=13, leading=17, spaceBefore=6, spaceAfter=6)
    title = ParagraphStyle("t", fontName=bold, fontSize=18, leading=22, alignment=1, spaceAfter=14)
    note = EN_NOTE if not zh else ZH_NOTE

    def furniture(canvas, doc):
        canvas.saveState()
        canvas.setFont("Helvetica", 9)
        canvas.drawString(72, (page_size or A4)[1] - 40, HEADER)
        canvas.drawCentredString((page_size or A4)[0] / 2, 30, str(doc.page))
        if doc.page == 1:
            canvas.setFont(font, 8)
            canvas.line(72, 70, 200, 70)
            canvas.drawString(72, 58, note)
        canvas.restoreState()

    story = [Paragraph(ZH_TITLE if zh else EN_TITLE, title)]
    for _ in range(repeat):
        for h, p in (ZH_ARTICLES if zh else EN_ARTICLES):
            story += [Paragraph(h, head), Paragraph(p, body)]
    story.append(Spacer(1, 6))
    doc = SimpleDocTemplate(str(path), pagesize=page_size or A4, topMargin=72, bottomMargin=90,
                            leftMargin=72, rightMargin=72)
    doc.build(story, onFirstPage=furniture, onLaterPages=furniture)
    return path


def make_scanned_pdf(path: Path) -> Path:
    """A page holding only an image (no text layer), like a scan."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas
    from PIL import Image

    img = Image.new("L", (200, 100), 255)
    for x in range(20, 180):
        img.putpixel((x, 50), 0)
    c = canvas.Canvas(str(path))
    c.drawImage(ImageReader(img), 72, 600, 200, 100)
    c.showPage()
    c.save()
    return path


def make_encrypted_pdf(path: Path) -> Path:
    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    enc = pdfencrypt.StandardEncryption("secret", ownerPassword="owner", canPrint=0)
    c = canvas.Canvas(str(path), encrypt=enc)
    c.drawString(72, 700, "Confidential text.")
    c.showPage()
    c.save()
    return path


def make_big_pdf(path: Path, pages: int) -> Path:
    """``pages`` pages of wrapped English prose with a header and a page number (for speed and memory)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4)
    words = (EN_ARTICLES[0][1] + " " + EN_ARTICLES[1][1]).split()
    for p in range(pages):
        c.setFont("Helvetica", 9)
        c.drawString(72, 800, HEADER)
        c.drawCentredString(297, 30, str(p + 1))
        c.setFont("Times-Roman", 11)
        y = 760
        k = p
        while y > 80:
            line = []
            while len(" ".join(line)) < 80:
                line.append(words[k % len(words)])
                k += 1
            c.drawString(72, y, " ".join(line))
            y -= 15 if (y // 15) % 12 else 30
        c.showPage()
    c.save()
    return path


def make_docx(path: Path, lang: str) -> Path:
    import docx

    zh = lang == "zh"
    d = docx.Document()
    d.add_heading(ZH_TITLE if zh else EN_TITLE, level=0)
    d.add_heading("第一章 总则" if zh else "Chapter I General provisions", level=1)
    for h, p in (ZH_ARTICLES if zh else EN_ARTICLES)[:2]:
        d.add_paragraph(f"{h}\u3000{p}" if zh else f"{h} {p}")
    d.add_paragraph("第一项内容。" if zh else "The first item.", style="List Number")
    d.add_paragraph("第二项内容。" if zh else "The second item.", style="List Number")
    d.add_paragraph("附注" if zh else "A bullet", style="List Bullet")
    t = d.add_table(rows=2, cols=2)
    t.cell(0, 0).text, t.cell(0, 1).text = ("名称", "数值") if zh else ("Name", "Value")
    t.cell(1, 0).text, t.cell(1, 1).text = ("人口", "100") if zh else ("Population", "100")
    d.save(str(path))
    return path
