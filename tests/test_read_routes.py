"""Same content, every route: a Markdown excerpt (tests/data/routes/, CC BY 4.0) read as .md, as .txt, rewritten
as a user may have it (setext headings, other bullets, hard-wrapped, CRLF, front matter, HTML comments, tables
without outer pipes) and rendered to HTML gives the same blocks; a table row is one block in every reader; lines of
only Markdown marks are never headings; a plain-text spec with setext underlines loses no text."""
from __future__ import annotations

import json
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from aligner.read import read_document

ROOT = Path(__file__).resolve().parents[1]
ROUTES = ROOT / "tests" / "data" / "routes"
sys.path.insert(0, str(ROOT / "bench"))

import md_variants as mv  # noqa: E402


def _norm(t: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", t))


def kept(path: Path, lang: str) -> list[tuple[str, str]]:
    """(kind, text without spaces) of the blocks that are aligned."""
    doc = read_document(path, lang)
    return [(b.kind, _norm(b.text)) for b in doc.blocks if b.kind not in ("furniture", "note", "code")]


VARIANTS = {
    "same.txt": lambda t, lang: t,
    "setext.md": lambda t, lang: mv.setext(t),
    "setext.txt": lambda t, lang: mv.setext(t),
    "star.txt": lambda t, lang: mv.bullets(t, "-"),
    "numbered.md": lambda t, lang: mv.numbered(t),
    "wrap.md": lambda t, lang: mv.wrap(t, 72),
    "wrap.txt": lambda t, lang: mv.wrap(t, 76),
    "crlf.txt": lambda t, lang: mv.crlf(t),
    "fm.txt": lambda t, lang: mv.front_matter(t, lang),
    "comments.md": lambda t, lang: mv.comments(t, lang),
    "tables.txt": lambda t, lang: mv.tables(t),
    "page.html": lambda t, lang: mv.html_page(t, lang),
    "bare.html": lambda t, lang: mv.html_page(t, lang, chrome=False),
}


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("route", sorted(VARIANTS))
def test_every_route_gives_the_markdown_blocks(tmp_path, route, lang):
    src = ROUTES / f"primer-rest.{lang}.md"
    base = kept(src, lang)
    assert [k for k, _ in base].count("cell") == 8   # the header row and seven rows, one block each
    p = tmp_path / f"doc.{lang}.{route}"
    p.write_bytes(VARIANTS[route](src.read_text(encoding="utf-8"), lang).encode("utf-8"))
    got = kept(p, lang)
    if route == "numbered.md":
        # bullets numbered: the same items, now labelled
        assert [t for _, t in got] == [t for _, t in base]
        return
    assert got == base


def test_html_table_row_is_one_block_its_br_lines_kept_together(tmp_path):
    p = tmp_path / "bare.en.html"
    p.write_text(mv.html_page((ROUTES / "primer-rest.en.md").read_text(encoding="utf-8"), "en", chrome=False),
                 encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "aligner.cli", "reflow", str(p), "--lang", "en"], capture_output=True,
                         text=True, check=True).stdout
    assert '[cell] Resign | POST /resign { "personid": "1234" } | DELETE /persons/1234' in out
    # a page without site chrome is the document: its list of sources is kept (not a menu), and the reader says so
    assert "[list 1] REST vs JSON-RPC" in out
    assert "read as a document, its link lists and asides kept" in read_document(p, "en").notes[0]
    # on a page with a menu and an <article>, the site's menu and sidebar are still set aside
    page = tmp_path / "page.en.html"
    page.write_text(mv.html_page((ROUTES / "primer-rest.en.md").read_text(encoding="utf-8"), "en"), encoding="utf-8")
    doc = read_document(page, "en")
    aside = [b.text for b in doc.blocks if b.kind == "furniture"]
    assert "Open Docs Hub" in aside and "Privacy policy Terms of use Contact us" in aside
    assert not any("Open Docs Hub" in b.text for b in doc.blocks if b.kind != "furniture")


def test_html_toc_of_in_page_links_is_kept_on_a_page_with_a_menu(tmp_path):
    page = """<html><body><nav><a href="/">Home</a> <a href="/docs">Docs</a></nav>
<h1>Guide</h1><ul><li><a href="#a">Setup</a></li><li><a href="#b">Usage</a></li></ul>
<h2 id="a">Setup</h2><p>Install it first.</p><h2 id="b">Usage</h2><p>Then run it.</p></body></html>"""
    p = tmp_path / "toc.html"
    p.write_text(page, encoding="utf-8")
    doc = read_document(p, "en")
    assert [(b.kind, b.text) for b in doc.blocks if b.kind == "list"] == [("list", "Setup"), ("list", "Usage")]
    assert [b.text for b in doc.blocks if b.kind == "furniture"] == ["Home Docs"]


def test_docx_table_rows_and_quotes(tmp_path):
    import docx
    d = docx.Document()
    d.add_paragraph("A table of operations follows.")
    t = d.add_table(rows=3, cols=2)
    t.cell(0, 0).text, t.cell(0, 1).text = "Operation", "REST"
    t.cell(1, 0).text, t.cell(1, 1).text = "Signup", "POST /persons"
    t.cell(2, 0).text = "Resign"
    t.cell(2, 1).text = "First paragraph of a long cell."
    t.cell(2, 1).add_paragraph("Second paragraph of that cell.")
    d.add_paragraph("Quoted words of someone.", style="Quote")
    p = tmp_path / "t.docx"
    d.save(str(p))
    got = [(b.kind, b.text) for b in read_document(p, "en").blocks]
    assert got == [("text", "A table of operations follows."), ("cell", "Operation | REST"),
                   ("cell", "Signup | POST /persons"),
                   # a cell of two paragraphs: that row is read cell by cell, paragraph by paragraph
                   ("cell", "Resign"), ("cell", "First paragraph of a long cell."),
                   ("cell", "Second paragraph of that cell."), ("quote", "Quoted words of someone.")]


def test_docx_paragraph_of_pictures_only_is_a_figure_of_their_alt_texts(tmp_path):
    import io

    import docx
    d = docx.Document()
    d.add_paragraph("The number of projects grew.")
    for alts in (["Figure 1 Number of projects"], ["3-3", "3-4"], ["Figure 5 Hall"]):
        para = d.add_paragraph()
        for _ in alts:
            para.add_run().add_picture(io.BytesIO(mv._png_1x1()))
    d.add_paragraph("Figure 5 Hall")                               # a caption that repeats the alt text under it
    para = d.add_paragraph("An icon ")
    para.add_run().add_picture(io.BytesIO(mv._png_1x1()))
    para.add_run(" in the text is not prose.")
    docprs = d.element.body.iter("{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr")
    for dp, alt in zip(docprs, ["Figure 1 Number of projects", "3-3", "", "Figure 5 Hall", "star"]):
        dp.set("descr", alt)
        if not alt:
            dp.set("title", "3-4")                                 # no description: the title is the alt text
    p = tmp_path / "f.docx"
    d.save(str(p))
    got = [(b.kind, b.text) for b in read_document(p, "en").blocks]
    assert got == [("text", "The number of projects grew."), ("figure", "Figure 1 Number of projects"),
                   ("figure", "3-3 3-4"), ("text", "Figure 5 Hall"), ("text", "An icon  in the text is not prose.")]


@pytest.mark.skipif(not mv.have_pandoc(), reason="pandoc is not on PATH")
def test_pandoc_docx_of_html_images_gives_the_figures_and_of_markdown_no_duplicate(tmp_path):
    """pandoc writes an image's alt text to ``wp:docPr descr``: from an HTML rendering a picture alone is a figure;
    from pandoc's Markdown (implicit figures) the alt is printed again as an ImageCaption paragraph under the
    picture, and that visible copy is the only unit."""
    md = "# Report\n\nSome text here.\n\n![Figure 1 Number of projects](a.png)\n\nAn icon ![star](s.png) in text.\n"
    html_docx, md_docx = tmp_path / "h.docx", tmp_path / "m.docx"
    mv.docx(md, html_docx, "html", images=True)
    (tmp_path / "a.png").write_bytes(mv._png_1x1())
    (tmp_path / "s.png").write_bytes(mv._png_1x1())
    (tmp_path / "m.md").write_text(md, encoding="utf-8")
    subprocess.run(["pandoc", "-f", "markdown", "m.md", "-o", str(md_docx)], cwd=tmp_path, check=True)
    got = [(b.kind, b.text) for b in read_document(html_docx, "en").blocks]
    assert got == [("heading", "Report"), ("text", "Some text here."), ("figure", "Figure 1 Number of projects"),
                   ("text", "An icon  in text.")]
    got = [(b.kind, b.text) for b in read_document(md_docx, "en").blocks]
    assert got == [("heading", "Report"), ("text", "Some text here."), ("text", "Figure 1 Number of projects"),
                   ("text", "An icon  in text.")]


def _cli(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "aligner.cli", *map(str, args)], capture_output=True, text=True)


def test_txt_of_only_markdown_marks_has_no_headings(tmp_path):
    p = tmp_path / "marks.txt"
    p.write_text("#\n##\n###\n---\n***\n#\n", encoding="utf-8")
    r = _cli("reflow", p, "--lang", "en")
    assert r.returncode == 0 and "[heading" not in r.stdout and "[text" not in r.stdout
    assert "6 lines of only Markdown marks" in r.stderr
    p2 = tmp_path / "mixed.txt"
    p2.write_text("Some text here.\n\n---\n\n***\n\n#\n\nMore text here.\n", encoding="utf-8")
    r = _cli("reflow", p2, "--lang", "en")
    assert r.stdout.strip().split("\n\n") == ["[text] Some text here.", "[text] More text here."]
    assert _cli("segment", p2, "--lang", "en").stdout.splitlines() == ["Some text here.", "More text here."]


SPEC_PARA = ("The protocol has three messages and each message has a header that is eight bytes long and carries "
             "the message type and the length of the body in bytes as a big-endian number. ")


@pytest.mark.parametrize("head", ["Widget Protocol\n===============\n", "Widget Protocol\n\nSummary\n-------\n"])
def test_setext_spec_in_txt_loses_no_sentence(tmp_path, head):
    import textwrap
    body = "\n\n".join("\n".join(textwrap.wrap(f"Part {k}. " + SPEC_PARA * 3, 76)) for k in range(1, 4))
    p = tmp_path / "spec.en.txt"
    p.write_text(head + body + "\n", encoding="utf-8")
    r = _cli("segment", p, "--lang", "en")
    assert r.returncode == 0
    words = lambda t: re.findall(r"[A-Za-z]+", t)   # noqa: E731
    assert words(r.stdout) == words(p.read_text(encoding="utf-8"))   # every word, in order
    assert len(r.stdout.splitlines()) >= 10


def test_markdown_and_html_pair_align_row_to_row(tmp_path):
    """A zh .md against an en .html: each table row is a bead pairing the same row."""
    en = tmp_path / "doc.en.html"
    en.write_text(mv.html_page((ROUTES / "primer-rest.en.md").read_text(encoding="utf-8"), "en"), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    r = _cli("align", ROUTES / "primer-rest.zh.md", en, "-o", out, "-q")
    assert r.returncode == 0, r.stderr
    beads = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines() if line.strip()]
    pairs = {b["src_text"]: b["tgt_text"] for b in beads}
    assert pairs["注册 | POST /signup | POST /persons"] == "Signup | POST /signup | POST /persons"
    assert pairs["删除一个物品 | POST /removeItem { \"itemid\": \"456\" } | DELETE /items/456"] == \
        "Delete an item | POST /removeItem { \"itemid\": \"456\" } | DELETE /items/456"
    assert not any("Open Docs Hub" in b["tgt_text"] for b in beads)
