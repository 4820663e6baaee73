"""PDFs from producers other than reportlab (bench/make_doc_corpus.py layouts ``lo``: LibreOffice Writer from a
Word-like DOCX, and ``web``: Chromium's print to PDF), read by the PDF reader and, as ``pdftotext`` extracted them,
by the text reflow: headings whole, no furniture in the body, gold units whole, no layout artefacts in the text."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from aligner.read import read_document
from aligner.segment import layout
from aligner.segment.layout import reflow

GEN_DOCS = Path(__file__).parent / "data" / "docs"
MANIFEST = json.loads((GEN_DOCS / "manifest.json").read_text(encoding="utf-8"))
#: the renderings of the other producers (layout lo / web), PDF and pdftotext
OTHER = [(m, r) for m in MANIFEST for r in m["renderings"] if r["name"].split(".")[-2] in ("lo", "web", "lofn")]
#: the browser's own header and footer lines: the date and time of printing, "n/N"
#: share of the gold units that are exactly one block, at least (measured 2026-11-28: PDFs 0.96-1.00, pdftotext
#: 0.77-0.96, where a paragraph whose last line ends full at a sentence end is joined to the next: plain text has
#: no sign of that break)
WHOLE_PDF = 0.93
WHOLE_PDFTOTEXT = 0.70
BROWSER_FURNITURE = re.compile(r"^\d{1,2}/\d{1,2}/\d{2}, \d{1,2}:\d{2}\s?[AP]M$|^\d+/\d+$|^file:///")


def _norm(t: str) -> str:
    return re.sub(r"\s+", "", t)


def _covered(u: str, seq: list[str]) -> bool:
    """Is ``u`` exactly a run of consecutive blocks (nothing else in them)?"""
    for i in range(len(seq)):
        acc = ""
        for t in seq[i:]:
            acc += t
            if acc == u:
                return True
            if not u.startswith(acc):
                break
    return False


def _read(path: Path, lang: str):
    return read_document(path, lang)


def test_other_producers_are_in_the_corpus():
    names = {r["name"] for _, r in OTHER}
    assert {"un-letter.lo.pdf", "un-letter.web.pdf", "cc-by-sa-4.0-legalcode.lo.pdf", "un-letter.lofn.pdf",
            "un-letter.lo.pdftotext", "un-letter.web.pdftotext", "un-letter.lofn.pdftotext"} <= names
    for _, r in OTHER:
        assert (GEN_DOCS / r["src"]).exists() and (GEN_DOCS / r["tgt"]).exists()


@pytest.mark.parametrize("name", sorted(r["name"] for _, r in OTHER))
def test_other_producer_blocks(name):
    """Every gold heading is one heading block (in the pdftotext extractions: whole blocks); no furniture line
    (running header, "Page n", the browser's date, address and "n/N") and no footnote is in a body block; most gold units are exactly one block (floors below)."""
    m, r = next((m, r) for m, r in OTHER if r["name"] == name)
    for side, lang in (("src", "zh"), ("tgt", "en")):
        units = (GEN_DOCS / m["gold"][side]).read_text(encoding="utf-8").splitlines()
        doc = _read(GEN_DOCS / r[side], lang)
        body = [b for b in doc.blocks if b.kind not in ("furniture", "note")]
        texts = {_norm(b.text) for b in body}
        heads = {_norm(b.text) for b in body if b.kind == "heading"}
        seq = [_norm(b.text) for b in body]
        for u, k in zip(units, m["kinds"]):
            if k not in ("title", "heading", "article"):
                continue
            if r[side].endswith(".pdf"):
                assert _norm(u) in heads, (r[side], u)
            else:   # plain text: a signature line is a block, not a heading; a heading's wrapped lines may be blocks
                assert _covered(_norm(u), seq), (r[side], u)
        whole = sum(_norm(u) in texts for u in units if u.strip())
        floor = WHOLE_PDF if r[side].endswith(".pdf") else WHOLE_PDFTOTEXT
        assert whole >= floor * len([u for u in units if u.strip()]), (r[side], whole, len(units))
        marks = [_norm(f) for f in m["furniture"][lang]] + [_norm(n)[:12] for n in m["notes"][lang]]
        for b in body:
            t = _norm(b.text)
            assert not any(mk and mk in t and mk not in "".join(_norm(u) for u in units) for mk in marks), \
                (r[side], b.text[:80])
            assert not re.search(r"\bPage \d+$|^\d+/\d+$", b.text.strip()), (r[side], b.text[:80])
            assert not BROWSER_FURNITURE.match(b.text.strip()), (r[side], b.text[:80])


def test_pdfium_line_end_hyphen_is_a_hyphen_and_a_line_break():
    """LibreOffice hyphenates justified text; pdfium then joins the two lines and returns U+FFFE for the hyphen:
    the reader puts the hyphen back, cuts the line there, and the paragraph goes on ("lawyer-client")."""
    doc = _read(GEN_DOCS / "cc-by-sa-4.0-legalcode.lo.en.pdf", "en")
    assert not any("\ufffe" in b.text for b in doc.blocks)
    first = next(b.text for b in doc.blocks if b.text.startswith("Creative Commons Corporation"))
    # (the join keeps or drops the hyphen as for any line-end hyphen: this document does not write "lawyer-client"
    # elsewhere, so it reads as a hyphenated word)
    assert re.search(r"lawyer-?client or other relationship", first) and first.endswith("extent possible.")


def test_hanging_indent_list_items_are_one_block():
    """"a.<tab>Adapted Material means…" over a hanging indent: the item's later lines, indented to its text, are
    the same block (not first-line indents of new paragraphs)."""
    for lang, opens, later in (("en", "a. Adapted Material means", "or based upon the Licensed Material"),
                               ("zh", "a. 演绎作品", "")):
        doc = _read(GEN_DOCS / f"cc-by-sa-4.0-legalcode.lo.{lang}.pdf", lang)
        item = next(b for b in doc.blocks if b.text.startswith(opens))
        assert later in item.text and item.kind == "list" and item.label == "a."
        assert len(item.text) > 120


def test_three_line_heading_in_large_type_is_one_heading():
    doc = _read(GEN_DOCS / "un-letter.lo.en.pdf", "en")
    heads = [b.text for b in doc.blocks if b.kind == "heading"]
    assert "Responsibility to protect and prevention of genocide, war crimes, ethnic cleansing and crimes against " \
           "humanity" in heads
    assert any(h.startswith("Letter dated 25 February 2021") and h.endswith("to the Secretary-General") for h in heads)


@pytest.mark.parametrize("name", ["un-letter.lo.zh.pdf", "un-letter.lo.zh.pdftotext.txt",
                                  "un-letter.web.zh.pdftotext.txt"])
def test_no_layout_gaps_next_to_han_characters(name):
    """LibreOffice spaces Chinese from Latin text and stretches justified lines: the gaps are not spaces.  The PDF
    reader knows a gap (pdfium generated the space) and drops it next to any Han character; in pdftotext's text,
    where a typed space looks the same, only a space between two Han characters goes."""
    doc = _read(GEN_DOCS / name, "zh")
    text = "\n".join(b.text for b in doc.blocks if b.kind not in ("furniture", "note"))
    assert "部长级理事会" in text and "部 长级" not in text
    assert len(layout.HAN_HAN_GAP.findall(text)) <= 3   # a space after an opening number ("第二条 授权") stays
    if name.endswith(".pdf"):
        assert "议程项目34、71和135" in text
        assert len(layout.HAN_GAP.findall(text)) <= 3
    else:   # as pdftotext printed it (LibreOffice spaces "34" from the Chinese; Chromium does not)
        src = (GEN_DOCS / name).read_text(encoding="utf-8")
        assert ("议程项目 34、71 和 135" in text) == ("议程项目 34、71 和 135" in src) and "议程项目" in text


def test_pdftotext_spread_justified_line_is_rejoined():
    """pdftotext printed the words of a stretched justified line one a line (a blank line between them in the
    Chromium PDF): they are one paragraph again."""
    for name in ("un-letter.lo.en.pdftotext.txt", "un-letter.web.en.pdftotext.txt"):
        doc = _read(GEN_DOCS / name, "en")
        assert any("16 December 1966, United Nations, Treaty Series, vol. 999, Article 1, paragraph 3, available at "
                   "https://www.refworld.org" in b.text for b in doc.blocks), name
        assert not any(b.text in ("Treaty", "Series,", "vol.", "paragraph") for b in doc.blocks), name


def test_spread_line_needs_a_wrapped_line_before_it_and_lower_case():
    """A column of names or figures (capitalised, or after a sentence end) is not a spread line."""
    filler = "This line is long enough to set the width of the page for the reflow to measure it"
    spread = f"{filler} and goes on\ninto\nthe\nnext\nwords of the same sentence, ending here.\n{filler}.\n"
    blocks = [b.text for b in reflow(spread * 3, "en", force=True).blocks if b.kind == "text"]
    assert any("goes on into the next words of the same sentence" in b for b in blocks)
    column = f"{filler}.\nAlpha\nBeta\nGamma\n{filler}.\n"
    blocks = [b.text for b in reflow(column * 3, "en", force=True).blocks]
    assert "Beta" in blocks and "Gamma" in blocks


def test_pdftotext_bare_list_number_joins_its_item():
    """pdftotext prints the number of an item over a hanging indent alone ("a." / blank / "Adapted Material…"):
    the number opens the item's block, with a space after it in Chinese too."""
    for lang, opens in (("en", "a. Adapted Material means"), ("zh", "a. 演绎作品")):
        doc = _read(GEN_DOCS / f"cc-by-sa-4.0-legalcode.lo.{lang}.pdftotext.txt", lang)
        assert any(b.text.startswith(opens) and b.label == "a." for b in doc.blocks), lang
        # (none set aside either: "1." at the top of several pages is no running header)
        assert not any(b.text.strip() in ("a.", "b.", "1.") for b in doc.blocks), lang
    # two numbers in a row are not joined to each other
    filler = "This line is long enough to set the width of the page for the reflow to measure it."
    t = f"{filler}\n1.\n2.\n\nThe second item, which is long enough to be a line of text in this page.\n" * 3
    blocks = [b.text for b in reflow(t, "en", force=True).blocks]
    assert "1." in blocks and not any("1. 2." in b for b in blocks)
    assert blocks.count("2. The second item, which is long enough to be a line of text in this page.") == 3


def test_pdftotext_footnote_number_set_against_its_text():
    """LibreOffice and Word set a footnote's number against its text ("1Translator's note…", "3译者注…") and pdftotext
    prints no rule above it: at a page's foot such a line is a note when the page's text refers to its number (a
    marker, also one printed a space away: "…of peoples”. 1"), and only then."""
    for lang in ("en", "zh"):
        doc = _read(GEN_DOCS / f"un-letter.lofn.{lang}.pdftotext.txt", lang)
        notes = [b for b in doc.blocks if b.kind == "note"]
        assert len(notes) >= 2 and all(b.text.startswith(("Translator", "译者注")) for b in notes), lang
        assert not any(("Translator's note" in b.text or "译者注" in b.text) for b in doc.blocks
                       if b.kind not in ("note", "furniture")), lang
    words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot"]

    def page(k: int, marker: bool) -> str:
        w = words[k]
        body = [f"The {w} paragraph opens with a line long enough to set the width of the page, as it goes",
                f"on with more words about {w} and ends its first sentence here.{k + 1 if marker else ''} Then a",
                f"second sentence about {w} runs to the right margin of the page and it ends here, too."]
        return "\n".join(body) + f"\n{k + 1}Note on {w}: a remark set against its number.\n\f"
    blocks = reflow("".join(page(k, True) for k in range(5)), "en", force=True).blocks
    assert sum(b.kind == "note" for b in blocks) == 5
    blocks = reflow("".join(page(k, False) for k in range(5)), "en", force=True).blocks
    assert not any(b.kind == "note" for b in blocks)


def test_browser_print_header_and_footer_on_a_single_page(tmp_path):
    """A web page printed to PDF on one page: nothing repeats, but the browser's header (date and time, then the
    page's title) and footer (the address and "n/N") are furniture by their form; in text, the lines alone."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    p = tmp_path / "page.en.pdf"
    c = canvas.Canvas(str(p), pagesize=A4)
    w, h = A4
    c.setFont("Helvetica", 8)
    c.drawString(20, h - 16, "11/28/26, 9:52 AM")
    c.drawCentredString(w / 2, h - 16, "A news story - Example News")
    c.drawString(20, 12, "https://example.org/news/2026/11/story.html")
    c.drawRightString(w - 20, 12, "1/1")
    c.setFont("Times-Roman", 12)
    y = h - 80
    for k in range(6):
        c.drawString(72, y, f"Line {k + 1} of the story, long enough to be running text of the article body here.")
        y -= 15
    c.save()
    doc = _read(p, "en")
    furn = [b.text for b in doc.blocks if b.kind == "furniture"]
    assert any(t.startswith("11/28/26, 9:52 AM") for t in furn), furn
    assert any(t.startswith("https://example.org/news") for t in furn), furn
    assert not any(b.kind != "furniture" and ("9:52" in b.text or "example.org" in b.text) for b in doc.blocks)
    assert layout._is_furniture_line("11/28/26, 9:52 AM") and layout._is_furniture_line("28/11/2026, 09:52")
    assert layout._is_furniture_line("file:///tmp/page.html 3/12")
    assert not layout._is_furniture_line("On 3/4/21, 10:30 AM the meeting opened.")
