"""PDF pages set in two (or more) columns: read band by band, column by column; one-column pages, tables, centred
text and verse set in two halves are not split at a false gutter.  The PDFs are drawn here with reportlab's canvas,
line by line, so the content stream can go down each column (as layout tools write it) or across the page row by row
(pdfium then reads a line of each column as one line)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from doc_fixtures import EN_ARTICLES, ZH_ARTICLES, make_pdf

from aligner.read import read_document

W, H = 595.0, 842.0          # A4
MARGIN, GUTTER = 57.0, 20.0
SIZE, LEAD = 10.0, 14.0
COL_W = (W - 2 * MARGIN - GUTTER) / 2
HEADER = "Test Journal — columns"
GEN_DOCS = Path(__file__).parent / "data" / "docs"

EN_MORE = [
    "The Parties shall cooperate in good faith to carry out the purposes of this Agreement. Each Party shall "
    "report every two years on the measures it has taken, and the reports shall be made public without delay.",
    "Any dispute between two or more Parties concerning the interpretation or application of this Agreement shall "
    "be settled by negotiation. If the dispute is not settled within six months, it shall be referred to arbitration.",
    "This Agreement shall enter into force on the thirtieth day after the date of deposit of the tenth instrument "
    "of ratification. It shall remain open for signature at the Headquarters of the United Nations in New York.",
]
ZH_MORE = [
    "各缔约方应本着诚意开展合作，以实现本协定的宗旨。各缔约方应每两年报告其所采取的措施，报告应及时公开，并提交秘书处汇编。",
    "两个或两个以上缔约方之间关于本协定的解释或适用的任何争端，应通过谈判解决。争端在六个月内未能解决的，应提交仲裁。",
    "本协定自第十份批准书交存之日后第三十天起生效。本协定在纽约联合国总部开放供签署，直至生效之日为止，此后开放供加入。",
]


def _font(zh: bool) -> str:
    if zh:
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.cidfonts import UnicodeCIDFont
        if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
        return "STSong-Light"
    return "Times-Roman"


def _wrap(text: str, font: str, width: float, indent: float, zh: bool) -> list[tuple[str, float]]:
    """Greedy wrap: (line, x offset) pairs, the first line indented."""
    from reportlab.pdfbase.pdfmetrics import stringWidth
    units = list(text) if zh else text.split(" ")
    sep = "" if zh else " "
    out, cur, off = [], [], indent
    for u in units:
        trial = sep.join(cur + [u])
        if cur and stringWidth(trial, font, SIZE) > width - off:
            out.append((sep.join(cur), off))
            cur, off = [u], 0.0
        else:
            cur.append(u)
    out.append((sep.join(cur), off))
    return out


def _columns(paras: list[str], font: str, zh: bool, width: float = COL_W) -> list[tuple[str, float]]:
    lines = []
    for p in paras:
        lines += _wrap(p, font, width, 2 * SIZE if zh else 1.5 * SIZE, zh)
    return lines


def make_columns_pdf(path: Path, lang: str, order: str = "down", pages: int = 2,
                     ncols: int = 2) -> tuple[Path, list[str]]:
    """``pages`` pages: page 1 has a full-width centred title; on every page a section of paragraphs in two
    balanced columns, a full-width heading across both, a second section in two columns, a running header and a
    page number, and a full-width footnote on page 1.  ``order``: "down" draws each column top to bottom, "across"
    draws the page row by row (left line, then right line).  ``ncols`` columns instead of two.  Returns the path and
    the body texts in reading order."""
    from reportlab.pdfgen import canvas

    zh = lang == "zh"
    font = _font(zh)
    bold = font if zh else "Times-Bold"
    a, b = (ZH_ARTICLES, ZH_MORE) if zh else (EN_ARTICLES, EN_MORE)
    c = canvas.Canvas(str(path), pagesize=(W, H))
    expect: list[str] = []
    cw = (W - 2 * MARGIN - (ncols - 1) * GUTTER) / ncols
    for pno in range(pages):
        y = H - 72
        c.setFont("Helvetica", 8)
        c.drawCentredString(W / 2, H - 35, HEADER)
        c.drawCentredString(W / 2, 30, f"{pno + 1}")
        if pno == 0:
            title = "两栏排版测试" if zh else "A Test of Two Columns"
            c.setFont(bold, 16)
            c.drawCentredString(W / 2, y, title)
            expect.append(title)
            y -= 34
        sections = [[p for _, p in a], ["第二部分" if zh else "Part Two"], list(b)]
        if pno % 2:   # a heading across the top, then one section of the paragraphs in another order
            sections = [["第三部分" if zh else "Part Three"], list(reversed(b)) + [p for _, p in a]]
        for sec in sections:
            if len(sec) == 1:   # a heading set across both columns
                c.setFont(bold, 13)
                c.drawCentredString(W / 2, y - 4, sec[0])
                expect.append(sec[0])
                y -= 30
                continue
            c.setFont(font, SIZE)
            lines = _columns(sec, font, zh, cw)
            per = -(-len(lines) // ncols)
            draws = [(i % per, i // per, t) for i, t in enumerate(lines)]   # (row, column, line): down the columns
            if order == "across":
                draws.sort(key=lambda d: (d[0], d[1]))
            for i, k, (t, off) in draws:
                c.drawString(MARGIN + k * (cw + GUTTER) + off, y - i * LEAD, t)
            expect += sec
            y -= per * LEAD + 18
        if pno == 0:
            c.setFont(font, 8)
            c.line(MARGIN, 62, MARGIN + 120, 62)
            note = ("1 本文件由测试生成，仅用于检验两栏页面的阅读顺序，不属于正文内容，应当作为脚注单独处理，不计入正文。" if zh else
                    "1 This page was drawn by the tests to check the reading order of two columns; it is a footnote.")
            c.drawString(MARGIN, 50, note)
        c.showPage()
    c.save()
    return path, expect


def _body(doc) -> list[str]:
    return [b.text for b in doc.blocks if b.kind not in ("furniture", "note")]


@pytest.mark.parametrize("order", ["down", "across"])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_two_columns_read_in_order(tmp_path, lang, order):
    path, expect = make_columns_pdf(tmp_path / f"c.{lang}.pdf", lang, order)
    doc = read_document(path, lang)
    # every block is one whole paragraph or heading, in reading order: the title, the left column, the right
    # column, the heading across both, the next two columns; no block holds text of both columns
    assert _body(doc) == expect
    kinds = {b.text: b.kind for b in doc.blocks}
    assert kinds["两栏排版测试" if lang == "zh" else "A Test of Two Columns"] == "heading"
    assert kinds["第二部分" if lang == "zh" else "Part Two"] == "heading"
    assert doc.stats["pages"] == 2 and doc.stats["column_pages"] == 2
    assert (doc.stats["column_lines_cut"] > 0) == (order == "across")
    assert any("2 of 2 pages read in two or more columns" in n for n in doc.notes)
    notes = [b for b in doc.blocks if b.kind == "note"]
    assert len(notes) == 1 and notes[0].page == 1
    assert sum(b.kind == "furniture" for b in doc.blocks) == 4   # header and page number on both pages


@pytest.mark.parametrize("order", ["down", "across"])
def test_three_columns_read_in_order(tmp_path, order):
    path, expect = make_columns_pdf(tmp_path / "c3.en.pdf", "en", order, pages=2, ncols=3)
    doc = read_document(path, "en")
    assert _body(doc) == expect
    assert doc.stats["column_pages"] == 2


def test_footnote_at_the_foot_of_a_column(tmp_path):
    """Journals set footnotes at the foot of the column that cites them, the other column running lower: the small
    type under the left column is a note, not text between the columns."""
    from reportlab.pdfgen import canvas
    paras = [p for _, p in EN_ARTICLES] + EN_MORE
    lines = _columns(paras, "Times-Roman", False)
    k = len(lines) // 2 - 2              # the left column stops 4 lines short of the right one
    path = tmp_path / "fn.pdf"
    c = canvas.Canvas(str(path), pagesize=(W, H))
    c.setFont("Times-Roman", SIZE)
    for col, part in ((0, lines[:k]), (1, lines[k:])):
        for i, (t, off) in enumerate(part):
            c.drawString(MARGIN + col * (COL_W + GUTTER) + off, H - 80 - i * LEAD, t)
    c.setFont("Times-Roman", 7)
    y = H - 80 - k * LEAD - 12
    c.line(MARGIN, y + 8, MARGIN + 60, y + 8)
    c.drawString(MARGIN, y, "1 A footnote set at the foot of the left column.")
    c.showPage()
    c.save()
    doc = read_document(path, "en")
    assert doc.stats["column_pages"] == 1
    assert _body(doc) == paras
    assert [b.text for b in doc.blocks if b.kind == "note"] == ["1 A footnote set at the foot of the left column."]


def test_one_column_pages_unchanged(tmp_path):
    """A one-column document: no page is read in columns, and the arrangement returns the extracted lines
    themselves, in their order (so the blocks are what the reader made before columns were known)."""
    import pypdfium2 as pdfium

    from aligner.read import columns, pdf as P
    for lang in ("en", "zh"):
        path = make_pdf(tmp_path / f"one.{lang}.pdf", lang, repeat=6)
        doc = read_document(path, lang)
        assert doc.stats["column_pages"] == 0 and not any("columns" in n for n in doc.notes)
        d = pdfium.PdfDocument(str(path))
        lines, n, _ = P._extract(d, str(path))
        d.close()
        out, rep = columns.arrange(list(lines), n)
        assert [id(x) for x in out] == [id(x) for x in lines] and rep.column_pages == 0
    for name in ("un-letter.a4.en.pdf", "prc-constitution-2018.a4.zh.pdf", "cc-by-sa-4.0-legalcode.a5.en.pdf"):
        doc = read_document(GEN_DOCS / name, name.split(".")[-2])
        assert doc.stats["column_pages"] == 0, name


def _table_pdf(path: Path, order: str) -> list[str]:
    from reportlab.pdfgen import canvas
    c = canvas.Canvas(str(path), pagesize=(W, H))
    c.setFont("Times-Roman", SIZE)
    y = H - 80
    for t, off in _wrap(EN_ARTICLES[0][1], "Times-Roman", W - 2 * MARGIN, 0, False):
        c.drawString(MARGIN, y, t)
        y -= LEAD
    y -= 10
    rows = [(f"Article {k}", v) for k, v in enumerate(
        ["Purpose of the treaty", "Definitions", "General obligations", "Scope of application", "Reservations",
         "Entry into force", "Amendments", "Withdrawal", "Depositary", "Authentic texts", "Signature",
         "Ratification"], 1)]
    cells = [(0, i, a) for i, (a, _) in enumerate(rows)] + [(1, i, b) for i, (_, b) in enumerate(rows)]
    if order == "across":
        cells.sort(key=lambda x: (x[1], x[0]))
    for k, i, t in cells:
        c.drawString(MARGIN + k * 260, y - i * LEAD, t)
    c.showPage()
    c.save()
    return [f"{a} {b}" for a, b in rows]


@pytest.mark.parametrize("order", ["down", "across"])
def test_table_is_not_two_columns(tmp_path, order):
    """A two-column table of short cells leaves a free vertical strip, but its cells do not fill a column: the page
    keeps one column, and a row drawn across stays one line."""
    path = tmp_path / "table.pdf"
    rows = _table_pdf(path, order)
    doc = read_document(path, "en")
    assert doc.stats["column_pages"] == 0
    if order == "across":
        text = "\n".join(_body(doc))
        assert all(r in text for r in rows)          # "Article 6 Entry into force": the row is whole
        pos = [text.index(r) for r in rows]
        assert pos == sorted(pos)


def test_centred_lines_verse_halves_and_a_character_grid_are_not_columns(tmp_path):
    from reportlab.pdfgen import canvas
    zh = _font(True)
    # centred lines of many widths (a title page, a poem); then verse set in two halves on a character grid, with
    # a wide gap between the halves (pdfium reads each line whole, with the gap as an inserted space)
    verse = ["两个黄鹂鸣翠柳，", "一行白鹭上青天。", "窗含西岭千秋雪，", "门泊东吴万里船。"] * 4
    p1 = tmp_path / "centred.pdf"
    c = canvas.Canvas(str(p1), pagesize=(W, H))
    c.setFont("Times-Roman", 12)
    words = EN_MORE[0].split()
    for i in range(24):
        c.drawCentredString(W / 2, H - 80 - i * 18, " ".join(words[: 3 + (i * 7) % 22]))
    c.showPage()
    c.setFont(zh, 14)
    for i in range(0, len(verse), 2):
        y = H - 80 - i * 14
        for half, x0 in ((verse[i], 150), (verse[i + 1], 330)):
            for j, ch in enumerate(half):
                c.drawString(x0 + j * 14, y, ch)
    c.showPage()
    # and Chinese text on a wide character grid (letter-spaced: a wide gap after every character, so pdfium
    # inserts a space there and every gap is a cut candidate)
    grid = ZH_MORE[0][:16], ZH_MORE[1][:16], ZH_MORE[2][:16]
    c.setFont(zh, 12)
    for i in range(24):
        for j, ch in enumerate(grid[i % 3]):
            c.drawString(60 + j * 30, H - 80 - i * 24, ch)
    c.showPage()
    c.save()
    doc = read_document(p1, "zh")
    assert doc.stats["column_pages"] == 0
    text = "".join(_body(doc)).replace(" ", "")
    for i in range(0, len(verse), 2):
        assert verse[i] + verse[i + 1] in text   # each line read across, whole
    assert text.count(grid[0] + grid[1] + grid[2]) >= 7   # the grid lines whole and in order


def test_short_second_column_on_the_last_page(tmp_path):
    """The last page of a two-column text, its right column a few lines long: read against the document's gutter,
    so the paragraph that runs from the left column into the right one is one block."""
    path, expect = make_columns_pdf(tmp_path / "c.en.pdf", "en", "down", pages=2)
    from reportlab.pdfgen import canvas  # append a page: a long left column, three lines on the right
    import pypdfium2 as pdfium
    extra = tmp_path / "last.pdf"
    c = canvas.Canvas(str(extra), pagesize=(W, H))
    c.setFont("Helvetica", 8)
    c.drawCentredString(W / 2, H - 35, HEADER)
    c.drawCentredString(W / 2, 30, "3")
    c.setFont("Times-Roman", SIZE)
    # (not opening with a line that opens page 1 or 2 near the top edge: that would be a running header)
    paras = [EN_MORE[1], EN_ARTICLES[1][1], EN_ARTICLES[2][1], EN_MORE[0]]
    lines = _columns(paras, "Times-Roman", False)
    left, right = lines[:-3], lines[-3:]
    for k, col in ((0, left), (1, right)):
        for i, (t, off) in enumerate(col):
            c.drawString(MARGIN + k * (COL_W + GUTTER) + off, H - 72 - i * LEAD, t)
    c.showPage()
    c.save()
    merged = pdfium.PdfDocument(str(path))
    merged.import_pages(pdfium.PdfDocument(str(extra)))
    out = tmp_path / "three.pdf"
    merged.save(str(out))
    doc = read_document(out, "en")
    assert doc.stats["column_pages"] == 3
    assert _body(doc) == expect + paras


def _not_whole(blocks: list[str], units: list[str]) -> list[str]:
    """The blocks that are not a run of consecutive gold units, whole and in order (spaces ignored)."""
    text, ends, pos, bad = "", {0}, 0, []
    for u in units:
        text += u.replace(" ", "")
        ends.add(len(text))
    for b in blocks:
        t = b.replace(" ", "")
        i = text.find(t, pos)
        if i < 0 or i not in ends or i + len(t) not in ends:
            bad.append(t)
        if i >= 0:
            pos = i + len(t)
    return bad


def test_generated_two_column_corpus_reads_in_whole_units():
    """The committed two-column renderings (bench/make_doc_corpus.py, layout a4cols): every page is read in columns,
    and every block is whole gold units in order (no fragment, nothing of two columns mixed) wherever the one-column
    twin (layout a4) has it so (the twin keeps a footnote in a paragraph or splits at a colon in the UN letter).
    Like the twin, a paragraph whose last line nearly fills the column at a column's foot may run into the next."""
    man = json.loads((GEN_DOCS / "manifest.json").read_text(encoding="utf-8"))
    n = 0
    for m in man:
        for r in m["renderings"]:
            if not r["name"].endswith(".a4cols.pdf"):
                continue
            n += 1
            for side, lang in (("src", "zh"), ("tgt", "en")):
                units = (GEN_DOCS / m["gold"][side]).read_text(encoding="utf-8").splitlines()
                two = read_document(GEN_DOCS / r[side], lang)
                one = read_document(GEN_DOCS / r[side].replace(".a4cols.", ".a4."), lang)
                assert two.stats["column_pages"] == two.stats["pages"] >= 2
                body2 = [b.text for b in two.blocks if b.kind not in ("furniture", "note")]
                body1 = [b.text for b in one.blocks if b.kind not in ("furniture", "note")]
                bad2, bad1 = _not_whole(body2, units), _not_whole(body1, units)
                assert set(bad2) <= set(bad1), (r[side], [t[:40] for t in set(bad2) - set(bad1)])
    assert n >= 2


def test_align_files_reports_column_pages(usem3_aligner, tmp_path):
    """The count of pages read in columns is in Alignment.stats["documents"] and its warnings, per document."""
    zh, _ = make_columns_pdf(tmp_path / "c.zh.pdf", "zh", "down", pages=2)
    en = make_pdf(tmp_path / "one.en.pdf", "en", repeat=2)
    al = usem3_aligner.align_files(zh, en, src_lang="zh", tgt_lang="en")
    docs = al.stats["documents"]
    assert (docs[str(zh)]["pages"], docs[str(zh)]["column_pages"]) == (2, 2)
    assert docs[str(en)]["column_pages"] == 0 and docs[str(en)]["pages"] >= 1
    assert any("2 of 2 pages read in two or more columns" in w for w in al.warnings)
    assert not any(str(en) in w and "columns" in w for w in al.warnings)


def test_cli_align_two_column_pdfs(tmp_path):
    """End to end through the installed console script: two two-column PDFs aligned, each paragraph in one unit."""
    import os
    import shutil

    from conftest import ROOT
    exe = str(Path(sys.executable).parent / "aligner")
    exe = exe if Path(exe).exists() else shutil.which("aligner")
    assert exe, "the aligner console script is not installed"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}   # this checkout's package, whichever one is installed
    zh, _ = make_columns_pdf(tmp_path / "c.zh.pdf", "zh", "across", pages=1)
    en, expect = make_columns_pdf(tmp_path / "c.en.pdf", "en", "down", pages=1)
    out = tmp_path / "out.jsonl"
    p = subprocess.run([exe, "reflow", str(en), "--lang", "en"], capture_output=True, text=True, timeout=300, env=env)
    assert p.returncode == 0, p.stderr
    assert "1 of 1 pages read in two or more columns" in p.stderr
    p = subprocess.run([exe, "align", str(zh), str(en), "-o", str(out)], capture_output=True, text=True,
                       timeout=600, env=env)
    assert p.returncode == 0, p.stderr
    rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines() if x.strip()]
    tgt = [r["tgt_text"] for r in rows]
    # every English paragraph lies within one bead, whole and in order: no bead mixes the two columns' lines
    joined = " ".join(tgt)
    for para in expect:
        assert any(para in t for t in tgt) or para in joined, para
    assert [joined.index(p) for p in expect] == sorted(joined.index(p) for p in expect)
