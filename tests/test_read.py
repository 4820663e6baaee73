"""Readers (txt, md, html, docx, pdf) -> Document blocks with kinds/labels/levels -> sentences that never cross a
block; bad input gives one-line InputErrors; nothing of the docs-dev gold text is lost."""
from __future__ import annotations

import collections
import re
import resource
import time
from pathlib import Path

import pytest
from conftest import SHARED
from doc_fixtures import EN_ARTICLES, ZH_ARTICLES, make_big_pdf, make_docx, make_encrypted_pdf, make_pdf, \
    make_scanned_pdf

from aligner import InputError
from aligner.read import read_document, read_pdf, set_aside_findings
from aligner.read.text import looks_like_markdown, text_document
from aligner.segment import segment_document

DOCS_DEV = SHARED / "data" / "docs-dev"


def kinds(doc):
    return [(b.kind, b.level, b.label, b.text) for b in doc.blocks]


def write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


# ------------------------------------------------------------------------------------------- .txt

LAW = """中华人民共和国宪法

序言

第一章　总纲
第一条　中华人民共和国是工人阶级领导的社会主义国家。社会主义制度是根本制度。
第二条　中华人民共和国的一切权力属于人民。
第 3 條
著作權法之主管機關為經濟部。
一、著作：指屬於文學範圍之創作。
（一）語文著作。
"""


def test_txt_law_lines_are_blocks_with_labels_and_levels(tmp_path):
    doc = read_document(write(tmp_path, "law.txt", LAW), "zh")
    got = kinds(doc)
    assert got[0][:2] == ("heading", 0) or got[0][0] == "heading"
    assert ("heading", 2, "", "序言") == got[1]
    assert got[2][:3] == ("heading", 2, "第一章")
    assert got[3][:3] == ("text", 0, "第一条")
    assert got[5][:4] == ("heading", 4, "第 3 條", "第 3 條")
    assert got[6][0] == "text"
    assert got[7][:3] == ("list", 1, "一、") and got[8][:3] == ("list", 1, "（一）")
    assert len(doc.blocks) == 9 and not any("rejoined" in n for n in doc.notes)
    sents = segment_document(doc, "zh")
    first = next(s for s in sents if s.label == "第一条")
    assert first.text == "第一条　中华人民共和国是工人阶级领导的社会主义国家。" and first.kind == "text"
    sents = segment_document(doc, "zh", split_labels=True)
    texts = [s.text for s in sents]
    # with split_labels the article number is a unit of its own, then the article's two sentences
    i = texts.index("第一条")
    assert sents[i].kind == "heading" and sents[i].label == "第一条"
    assert texts[i + 1:i + 3] == ["中华人民共和国是工人阶级领导的社会主义国家。", "社会主义制度是根本制度。"]
    assert sents[i + 1].para == sents[i + 2].para == sents[i].para
    for s in sents:  # spans point into the file's text
        assert doc.text[s.start:s.end] == s.text


def test_txt_one_paragraph_per_line_is_not_joined():
    text = ("联合国宪章\n\n第一章：宗旨及原则\n\n第一条\n\n联合国之宗旨为：\n"
            "一、维持国际和平及安全；并为此目的：采取有效集体办法，以防止且消除对于和平之威胁，制止侵略行为或其他和平之破坏；\n"
            "二、发展国际间以尊重人民平等权利及自决原则为根据之友好关系，并采取其他适当办法，以增强普遍和平；\n"
            "我联合国人民同兹决心，\n欲免后世再遭今代人类两度身历惨不堪言之战祸，\n")
    doc = text_document(text, "zh")
    assert [b.text for b in doc.blocks][:4] == ["联合国宪章", "第一章：宗旨及原则", "第一条", "联合国之宗旨为："]
    assert doc.blocks[1].kind == "heading" and doc.blocks[1].label == "第一章"
    assert doc.blocks[2].kind == "heading" and doc.blocks[2].label == "第一条"
    # preamble clauses ending in "，" stay apart
    assert doc.blocks[-2].text == "我联合国人民同兹决心，" and doc.blocks[-1].text.startswith("欲免后世")
    sents = segment_document(doc, "zh")
    assert all(s.para == doc.blocks[s.para].para for s in sents)
    assert max(collections.Counter(s.para for s in sents).values()) <= 2


EN_WRAPPED = """The General Assembly, recalling its earlier resolutions on the question and
the reports of the Secretary-General submitted to it at its previous sessions,
expresses its deep concern at the continuing deterioration of the situation in
the region and calls upon all parties to respect international humanitarian law.

Article 5

Everyone has the right to a nationality. No one shall be arbitrarily deprived
of his nationality nor denied the right to change his nationality, and everyone
has the right to seek and to enjoy in other countries asylum from persecution.
"""


def test_txt_hard_wrapped_lines_rejoined_headings_kept():
    doc = text_document(EN_WRAPPED, "en")
    assert any("rejoined" in n for n in doc.notes)
    got = kinds(doc)
    assert [k[0] for k in got] == ["text", "heading", "text"]
    assert got[1][2] == "Article 5" and got[1][3] == "Article 5"
    assert "previous sessions, expresses its deep concern" in got[0][3]
    sents = segment_document(doc, "en")
    assert [s.text for s in sents][1:3] == ["Article 5", "Everyone has the right to a nationality."]


def test_txt_pdftotext_running_headers_are_furniture_and_paragraphs_continue():
    body = ("中华人民共和国是工人阶级领导的、以工农联盟为基础的人民民主专政的社会主义国家。社会主义制度是中华人民共和\n"
            "国的根本制度。中国共产党领导是中国特色社会主义最本质的特征。禁止任何组织或者个人破坏社会主义制度。中华人\n")
    pages = []
    for k in range(1, 4):
        tail = ["全国人民代表大会和地方各级", "国家行政机关、监察机关、审判机关", "中央和地方的国家机构职权的"][k - 1]
        pages.append(f"宪法文本 — 草案\n\n{body[k:]}{body}民共和国的一切权力属于人民，人民行使国家权力的机关是{tail}\n\n— {k} —\n")
    doc = text_document("\f".join(pages), "zh")
    furn = [b.text for b in doc.blocks if b.kind == "furniture"]
    assert furn.count("宪法文本 — 草案") == 3 and "— 2 —" in furn
    text = [b for b in doc.blocks if b.kind != "furniture"]
    assert len(text) == 1  # one paragraph running over the three pages, headers and page numbers taken out
    assert "地方各级" + body[2:8] in text[0].text and "草案" not in text[0].text and "审判机关" + body[3:9] in text[0].text


def test_txt_pdftotext_footnotes_at_page_foot_are_notes():
    line = "The state shall protect the lawful rights and interests of the private sector of the economy and\n"
    pages = [
        "Constitution of the PRC\n\nArticle 11\n" + line * 3 + "shall encourage, support and guide its growth\n"
        "1 Translator's note: typeset for testing only.\n\nPage 1\n",
        "Constitution of the PRC\n\nand exercise supervision over it in accordance with law.\nArticle 12\n" + line * 3
        + "exercise its powers.\n\n2 Translator's note: the numbering follows the original.\n\nPage 2\n",
        "Constitution of the PRC\n\nArticle 13\n" + line * 3 + "done.\n\nPage 3\n",
    ]
    doc = text_document("\f".join(pages), "en")
    notes = [b.text for b in doc.blocks if b.kind == "note"]
    assert notes == ["Translator's note: typeset for testing only.", "Translator's note: the numbering follows the original."]
    assert [b.number for b in doc.blocks if b.kind == "note"] == ["1", "2"]
    body = [b.text for b in doc.blocks if b.kind not in ("note", "furniture")]
    assert body[0] == "Article 11" and body[1].endswith("guide its growth and exercise supervision over it in accordance with law.")


SETEXT = """Widget specification
====================

Summary
-------

The widget turns left. It never turns right.

Details
-------

- first point
- second point

```
code here
```
"""


def test_markdown_in_txt_setext_nothing_vanishes(tmp_path):
    assert looks_like_markdown(SETEXT)
    doc = read_document(write(tmp_path, "spec.en.txt", SETEXT), "en")
    assert any("Markdown detected" in n for n in doc.notes)
    got = kinds(doc)
    assert got[0][:2] == ("heading", 1) and got[1][:2] == ("heading", 2) and got[3][:2] == ("heading", 2)
    assert [k[0] for k in got] == ["heading", "heading", "text", "heading", "list", "list", "code"]
    sents = segment_document(doc, "en")
    assert [s.text for s in sents] == ["Widget specification", "Summary", "The widget turns left.",
                                       "It never turns right.", "Details", "first point", "second point"]
    assert doc.set_aside() == {"code": 8}


def test_law_numbering_alone_is_not_markdown():
    assert not looks_like_markdown("Article 1\n1. The first.\n2. The second.\n(a) item\n- dash line\n")


# ------------------------------------------------------------------------------------------- .md

MD = """---
title: A guide
lang: en
---

# Guide

Read **this** [link text](https://example.org/x) and ![logo](logo.png) `code`.
It wraps here.

1. First step
   - nested bullet
2. Second step

| Name | Value |
|------|-------|
| a    | 1     |

> A quoted remark.

    indented code

<div class="note">An <b>HTML</b> note.</div>
"""


def test_markdown_blocks_labels_and_spans(tmp_path):
    doc = read_document(write(tmp_path, "g.md", MD), "en")
    got = kinds(doc)
    assert got[0][0] == "furniture" and "title: A guide" in got[0][3]
    assert got[1] == ("heading", 1, "", "Guide")
    assert got[2][3] == "Read this link text and  code. It wraps here."
    assert got[3][:3] == ("list", 1, "1.") and got[4][:3] == ("list", 2, "") and got[5][:3] == ("list", 1, "2.")
    assert [k[0] for k in got[6:]] == ["cell", "cell", "quote", "code", "text"]
    assert got[6][3] == "Name | Value" and got[7][3] == "a | 1"
    assert got[-1][3] == "An HTML note."
    p = doc.blocks[2]
    s, e = p.orig_span(p.text.index("link text"), p.text.index("link text") + 9)
    assert doc.text[s:e] == "link text"
    sents = segment_document(doc, "en")
    assert sents[0].text == "Guide" and sents[0].kind == "heading"
    assert [x.label for x in sents if x.kind == "list"] == ["1.", "", "2."]
    assert "indented code" not in " ".join(x.text for x in sents)
    assert set(doc.set_aside()) == {"furniture", "code"}


# ------------------------------------------------------------------------------------------- .html

HTML = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>T</title><script>var x = "菜单";</script>
<style>p { color: red }</style></head><body>
<nav><a href="/">首页</a> <a href="/news">新闻</a></nav>
<div class="site-menu">登录 注册</div>
<main><h1>第一章　总则</h1>
<p>联合国之宗旨为：
维持国际和平。</p>
<ol type="a"><li>第一项<ol><li>子项</li></ol></li><li>第二项</li></ol>
<table><tr><th>名称</th><td>数值</td></tr></table>
<blockquote>引文。</blockquote></main>
<footer>版权所有 2024</footer><script>alert(1)</script></body></html>"""


def test_html_visible_blocks_menus_counted(tmp_path):
    doc = read_document(write(tmp_path, "p.html", HTML), "zh")
    kept = [(b.kind, b.level, b.label, b.text) for b in doc.blocks if b.kind != "furniture"]
    assert kept == [("heading", 1, "第一章", "第一章 总则"), ("text", 0, "", "联合国之宗旨为：维持国际和平。"),
                    ("list", 1, "a.", "第一项"), ("list", 2, "1.", "子项"), ("list", 1, "b.", "第二项"),
                    ("cell", 0, "", "名称 | 数值"), ("quote", 0, "", "引文。")]   # a row of one-line cells: one block
    assert [b.text for b in doc.blocks if b.kind == "furniture"] == ["首页 新闻", "登录 注册", "版权所有 2024"]
    assert "菜单" not in doc.text and "alert" not in doc.text
    assert doc.set_aside()["furniture"] == 16


def test_html_only_scripts_is_an_error(tmp_path):
    p = write(tmp_path, "s.html", "<html><head><script>var a=1;</script></head><body><script>b()</script></body></html>")
    with pytest.raises(InputError, match="no visible text"):
        read_document(p, "en")


# ------------------------------------------------------------------------------------------- .docx

def test_docx_headings_lists_tables(tmp_path):
    doc = read_document(make_docx(tmp_path / "d.docx", "zh"), "zh")
    got = kinds(doc)
    assert got[0][:2] == ("heading", 1) and got[0][3] == "世界人权宣言"
    assert got[1][:3] == ("heading", 1, "第一章")
    assert got[2][:3] == ("text", 0, "第一条")
    assert got[4][:3] == ("list", 1, "1.") and got[5][:3] == ("list", 1, "2.") and got[6][:3] == ("list", 1, "")
    assert [k[3] for k in got if k[0] == "cell"] == ["名称 | 数值", "人口 | 100"]   # a row of one-line cells: one block
    sents = segment_document(doc, "zh", split_labels=True)
    i = [s.text for s in sents].index("第一条")
    assert sents[i].kind == "heading" and sents[i + 1].text.startswith("人人生而自由")
    en = read_document(make_docx(tmp_path / "d.en.docx", "en"), "en")
    assert kinds(en)[1][:3] == ("heading", 1, "Chapter I")


@pytest.mark.parametrize("make,needle", [
    (lambda d: d[:len(d) // 2], "corrupt or truncated"),
    (lambda d: b"PK\x03\x04" + b"\x00" * 200, "corrupt or truncated"),
    (lambda d: b"this is not a zip at all", "no ZIP signature"),
])
def test_docx_corrupt_one_line_error(tmp_path, make, needle):
    good = make_docx(tmp_path / "g.docx", "en").read_bytes()
    bad = tmp_path / "bad.docx"
    bad.write_bytes(make(good))
    with pytest.raises(InputError, match=needle) as exc:
        read_document(bad, "en")
    assert "\n" not in str(exc.value)


def test_renamed_zip_is_not_a_docx(tmp_path):
    import zipfile
    p = tmp_path / "x.docx"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("hello.txt", "hi")
    with pytest.raises(InputError, match="not a Word .docx document"):
        read_document(p, "en")


# ------------------------------------------------------------------------------------------- .pdf

@pytest.mark.parametrize("lang", ["en", "zh"])
def test_pdf_headings_paragraphs_furniture_notes(tmp_path, lang):
    doc = read_document(make_pdf(tmp_path / f"d.{lang}.pdf", lang, repeat=6), lang)
    arts = ZH_ARTICLES if lang == "zh" else EN_ARTICLES
    body = [b for b in doc.blocks if b.kind not in ("furniture", "note")]
    assert body[0].kind == "heading" and body[0].level == 1
    assert [b.kind for b in body[1:7]] == ["heading", "text"] * 3
    assert [(b.label, b.level) for b in body[1:7:2]] == [(h, 2) for h, _ in arts]
    # every paragraph rebuilt whole (wrapped lines, and across page breaks), never a fragment
    texts = [b.text for b in body if b.kind == "text"]
    assert len(texts) == 18 and set(texts) == {p for _, p in arts}
    furn = [b for b in doc.blocks if b.kind == "furniture"]
    pages = max(b.page for b in doc.blocks)
    assert pages >= 2 and len(furn) == 2 * pages  # running header + page number on every page
    notes = [b for b in doc.blocks if b.kind == "note"]
    assert len(notes) == 1 and notes[0].number == "1" and notes[0].page == 1
    sents = segment_document(doc, lang)
    assert not any(s.kind in ("note", "furniture") for s in sents)
    assert len(segment_document(doc, lang, keep_notes=True)) == len(sents) + 1 + 2 * pages
    for s in sents:
        assert s.para == doc.blocks[s.para].para
        if lang == "en":
            assert s.text[0].isupper() and s.text[-1] in ".0123456789" or s.kind == "heading"
        else:
            assert s.text.endswith("。") or s.kind == "heading"


GEN_DOCS = Path(__file__).parent / "data" / "docs"


def _body(name: str, lang: str) -> list:
    return [b for b in read_document(GEN_DOCS / name, lang).blocks if b.kind not in ("furniture", "note")]


def test_pdf_page_one_organ_lines_kept_like_docx():
    """A masthead organ name on page 1 only ("大会", "General Assembly") is a heading, as in the DOCX; what repeats
    on the pages (the running header) is still furniture."""
    for lang, organ in (("zh", "大会"), ("en", "General Assembly")):
        pdf = _body(f"un-letter.a4.{lang}.pdf", lang)
        docx = _body(f"un-letter.a4.{lang}.docx", lang)
        assert pdf[0].text == docx[0].text == organ and pdf[0].kind == docx[0].kind == "heading"
        furn = [b.text for b in read_document(GEN_DOCS / f"un-letter.a4.{lang}.pdf", lang).blocks
                if b.kind == "furniture"]
        assert sum(t.startswith("UN letter A/75/780") for t in furn) >= 4   # every page
        # and the same from the pdftotext extraction of that PDF (the text reader's reflow)
        txt = _body(f"un-letter.a4.{lang}.pdftotext.txt", lang)
        assert (txt[0].kind, txt[0].text) == ("heading", organ)


def test_pdf_title_repeated_as_running_header_is_kept():
    """The title on page 1 has the running header's text but not its size: it is the first heading."""
    body = _body("prc-constitution-2018.a4.zh.pdf", "zh")
    assert (body[0].kind, body[0].text) == ("heading", "中华人民共和国宪法")
    assert body[1].text.startswith("（1982年12月4日")


def test_pdf_wrapped_references_and_two_line_headings():
    en = _body("cc-by-sa-4.0-legalcode.a5.en.pdf", "en")
    # "…including for purposes of / Section 3(b); and" is a wrapped reference, not a heading
    assert not any(b.text.startswith("Section 3(b)") for b in en)
    assert any(b.kind == "list" and b.text.endswith("for purposes of Section 3(b); and") for b in en)
    # a heading in large bold type wrapped onto a second line that ends in a full stop
    heads = [b.text for b in en if b.kind == "heading"]
    assert "Section 5 – Disclaimer of Warranties and Limitation of Liability." in heads
    assert not any(b.text == "of Liability." for b in en)
    # "…vol. 999, / Article 1, paragraph 3, available at / https://…": one footnote paragraph
    un = _body("un-letter.a5.en.pdf", "en")
    assert not any(b.text.startswith("Article 1, paragraph 3") for b in un)
    assert any("vol. 999, Article 1, paragraph 3, available at https://www.refworld.org" in b.text for b in un)
    zh = _body("un-letter.a5.zh.pdf", "zh")   # a URL that did not fit the line end continues the paragraph
    assert not any(b.text.startswith("https://") for b in zh)
    # a page's last line that ended well short is a paragraph end, even without final punctuation
    prc = [b.text for b in _body("prc-constitution-2018.a4.en.pdf", "en")]
    i = prc.index("a secretary general, and")
    assert prc[i + 1] == "members."


def test_pdf_line_pitch_in_a_document_of_one_line_paragraphs():
    """Mostly one-line paragraphs (tables, captions, list lines): the median baseline distance is the paragraph
    spacing; the line pitch is the smallest common one, so a paragraph gap is still seen as a gap."""
    from aligner.read.pdf import _PLine, _final, _pitch
    lines, base = [], 800.0
    for k in range(30):   # 20 one-line paragraphs (22 pt apart) and 10 two-line ones (16 pt line pitch)
        n = 2 if k % 3 == 0 else 1
        for _ in range(n):
            lines.append(_PLine(1, "x", 60, 500, base + 8, base - 2, 11.0, False, 842, base))
            base -= 16
        base -= 6
    assert _pitch(lines, 11.0) == 16
    assert _final("本法所稱著作，例示如下︰") and not _final("Qualification for public functionaries; and2")
    import aligner.read.pdf as P   # footnote numbers 1-3: "1.2.2" and "2.5 times" keep their digits, "law.2" loses it
    lines = [P._PLine(1, t, 60, 500, 708 - 14 * k, 698 - 14 * k, 11.0, False, 842, 700 - 14 * k) for k, t in
             enumerate(["1.2.2 Results", "It grew 2.5 times by law.2", "Further text follows here."])]
    lines += [P._PLine(1, f"{n} A note.", 60, 300, 80 - 10 * n, 72 - 10 * n, 8.0, False, 842, 74 - 10 * n)
              for n in (1, 2, 3)]
    texts = [b.text for b in P._layout(lines, 1, False).blocks if b.kind == "text"]
    assert texts[0].startswith("1.2.2 Results It grew 2.5 times by law.") and "law.2" not in texts[0]
    from aligner.read.pdf import _FIRST_WORD   # a Latin token that opens a Chinese line is one word, markup too
    assert [_FIRST_WORD.match(t).group(0) for t in ("https://x.org/a.html [2021年", "</center><br />", "A (III)，")] \
        == ["https://x.org/a.html", "</center><br", "A"]


def test_pdf_without_text_layer_and_encrypted(tmp_path):
    with pytest.raises(InputError, match="no text layer"):
        read_document(make_scanned_pdf(tmp_path / "scan.pdf"), "en")
    with pytest.raises(InputError, match="encrypted"):
        read_document(make_encrypted_pdf(tmp_path / "enc.pdf"), "en")
    bad = tmp_path / "cut.pdf"
    bad.write_bytes(b"%PDF-1.4\n" + b"garbage" * 10)
    with pytest.raises(InputError, match="not a readable PDF"):
        read_document(bad, "en")


def test_pdf_speed_and_memory(tmp_path):
    """A 150-page PDF reads at 20+ pages per CPU second in bounded memory (bench/bench_read.py: 2,000 pages)."""
    big = make_big_pdf(tmp_path / "big.pdf", 150)
    small = make_big_pdf(tmp_path / "small.pdf", 10)
    read_document(small, "en")
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.process_time()
    doc = read_document(big, "en")
    cpu = time.process_time() - t0
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss0) / 1024
    assert max(b.page for b in doc.blocks) == 150
    assert 150 / cpu >= 20, f"{150 / cpu:.1f} pages/s"
    assert grown_mb < 100, grown_mb
    assert sum(1 for b in doc.blocks if b.kind == "furniture") == 300


# ------------------------------------------------------------------------------------------- findings

def test_set_aside_warning_and_sentence_count():
    doc = text_document("# Title\n\n```\n" + "x = 1\n" * 200 + "```\n\nOne sentence here.\n", "en", markdown=True)
    counts, warns = set_aside_findings(doc, len(segment_document(doc, "en")), "en", "a.md")
    assert counts["code"] > 0.9 * counts["total_chars"] and "set aside" in warns[0]
    lump = text_document("x" * 3000, "en")
    _, warns = set_aside_findings(lump, 1, "en", "b.txt")
    assert any("only 1 sentences" in w for w in warns)


# ------------------------------------------------------------------------------------------- docs-dev

_MARKUP = re.compile(r"!\[[^\]]*\]\((?:[^()]|\([^()]*\))*\)|\]\[[^\]]*\]|\]\((?:[^()]|\([^()]*\))*\)|<[^>]+>|"
                     r"https?:\S+|^\[[^\]]+\]:.*$|\{\{[^}]*\}\}", re.M)
_SKIP_GOLD = {"fm", "code", "img"}  # gold units that are code, front matter or images: set aside by design


def _content(s: str, zh: bool) -> collections.Counter:
    s = _MARKUP.sub(" ", re.sub(r"\\(.)", r"\1", s))
    return collections.Counter(re.findall(r"[\u3400-\u9fff]", s) if zh else re.findall(r"[A-Za-z0-9]+", s))


@pytest.mark.skipif(not DOCS_DEV.is_dir(), reason="needs ../shared/data/docs-dev")
@pytest.mark.parametrize("side", ["zh", "en"])
def test_docs_dev_no_gold_text_lost(side):
    """Every gold cell's letters/Han characters are in the kept sentences over its span, or in a block that was
    set aside (code) and so reported: nothing is lost silently."""
    col = 0 if side == "zh" else 2
    for d in sorted(p for p in DOCS_DEV.iterdir() if p.is_dir()):
        doc = read_document(d / f"doc.{side}.txt", side)
        sents = segment_document(doc, side)
        text = doc.text
        ls = [0] + [m.end() for m in re.finditer("\n", text)]
        rows = [ln.rstrip("\n").split("\t") for ln in open(d / "gold.spans.tsv", encoding="utf-8")][1:]
        lost = []
        for r in rows:
            if r[4] in _SKIP_GOLD:
                continue
            a, b = int(r[col]) - 1, int(r[col + 1])
            s0, s1 = ls[a], ls[b] if b < len(ls) else len(text)
            got = collections.Counter()
            for s in sents:
                if s.end > s0 and s.start < s1:
                    got += _content(s.text + " " + s.label, side == "zh")
            for blk in doc.blocks:
                if blk.kind in ("code", "furniture", "note") and blk.end > s0 and blk.start < s1:
                    got += _content(blk.text, side == "zh")
            if _content(text[s0:s1], side == "zh") - got:
                lost.append((d.name, r))
        assert not lost, lost[:5]


# ------------------------------------------------------------------------------------------- API and CLI

def test_align_files_any_mix_reports_set_aside(usem3_aligner, tmp_path):
    src = make_pdf(tmp_path / "d.zh.pdf", "zh", repeat=1)
    tgt = make_docx(tmp_path / "d.en.docx", "en")
    al = usem3_aligner.align_files(src, tgt, src_lang="zh", tgt_lang="en")
    sa = al.stats["set_aside"]
    assert sa[str(src)]["furniture"] > 0 and sa[str(src)]["note"] > 0 and "note" not in sa[str(tgt)]
    assert al.stats["documents"][str(src)]["format"] == "pdf"
    assert al.stats["documents"][str(tgt)]["format"] == "docx"
    # headings pair with headings: the title bead
    assert al.beads[0].src_text == "世界人权宣言" and al.beads[0].tgt_text == "Universal Declaration"
    assert all(s.para >= 0 for s in al.src + al.tgt)


def _cli(*args):
    import os
    import subprocess
    import sys
    from conftest import ROOT
    return subprocess.run([sys.executable, "-m", "aligner.cli", *map(str, args)], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})


def test_cli_align_pdf_with_docx_and_reflow_kinds(tmp_path):
    src = make_pdf(tmp_path / "d.zh.pdf", "zh", repeat=1)
    tgt = make_docx(tmp_path / "d.en.docx", "en")
    out = tmp_path / "out.tmx"
    r = _cli("align", src, tgt, "-o", out)
    assert r.returncode == 0, r.stderr
    assert out.read_text(encoding="utf-8").count("<tu") >= 5
    r = _cli("reflow", tgt, "--lang", "en")
    assert r.returncode == 0, r.stderr
    blocks = r.stdout.split("\n\n")
    assert blocks[0] == "[heading 1] Universal Declaration"
    assert blocks[1] == "[heading 1 Chapter I] Chapter I General provisions"
    assert "[list 1 1.] The first item." in blocks
    r = _cli("segment", src, "--lang", "zh", "--spans")
    assert r.returncode == 0, r.stderr
    rows = [x.split("\t") for x in r.stdout.splitlines()]
    assert rows[0][3] == "heading" and rows[0][4] == "世界人权宣言"
    assert all(x[3] not in ("furniture", "note") for x in rows)
    r = _cli("segment", make_scanned_pdf(tmp_path / "s.pdf"), "--lang", "en")
    assert r.returncode == 1 and "no text layer" in r.stderr and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def _bad_inputs(tmp_path) -> dict:
    """Issue 9's bad inputs, each with the words its one-line error must hold."""
    import zipfile
    good = make_docx(tmp_path / "g.docx", "en").read_bytes()
    cut = tmp_path / "cut.docx"
    cut.write_bytes(good[:len(good) // 2])
    renamed = tmp_path / "renamed.docx"
    with zipfile.ZipFile(renamed, "w") as z:
        z.writestr("hello.txt", "hi")
    damaged = tmp_path / "damaged.pdf"
    damaged.write_bytes(b"%PDF-1.4\n" + b"garbage" * 10)
    return {
        "scan": (make_scanned_pdf(tmp_path / "scan.pdf"), "no text layer"),
        "encrypted": (make_encrypted_pdf(tmp_path / "enc.pdf"), "encrypted"),
        "damaged pdf": (damaged, "not a readable PDF"),
        "truncated docx": (cut, "corrupt or truncated"),
        "renamed zip": (renamed, "not a Word .docx document"),
        "scripts-only html": (write(tmp_path, "s.html", "<html><head><script>var a=1;</script></head><body>"
                                                       "<script>b()</script><style>p{}</style></body></html>"),
                              "no visible text"),
    }


def test_cli_bad_inputs_one_line_exit_1(tmp_path):
    """Every bad input of issue 9, through the CLI (segment, and align against a good file): exit 1, exactly one
    line on stderr (docs/cli.md), no traceback."""
    good = make_docx(tmp_path / "ok.en.docx", "en")
    for what, (path, needle) in _bad_inputs(tmp_path).items():
        for args in (("segment", path, "--lang", "en"), ("align", path, good, "--src-lang", "zh", "--tgt-lang", "en",
                                                          "-o", tmp_path / "out.tmx", "-q")):
            r = _cli(*args)
            lines = r.stderr.strip().splitlines()
            assert r.returncode == 1, (what, args[0], r.stderr)
            assert len(lines) == 1 and lines[0].startswith("aligner: error:") and needle in lines[0], (what, lines)
            assert "Traceback" not in r.stderr
        assert not (tmp_path / "out.tmx").exists()


def test_cli_segment_markdown_in_txt_loses_nothing(tmp_path):
    """Issue 8 item 9: a .txt whose headings are underlined with ----- printed one sentence; now every block."""
    p = write(tmp_path, "spec.en.txt", SETEXT)
    r = _cli("segment", p, "--lang", "en")
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == ["Widget specification", "Summary", "The widget turns left.",
                                     "It never turns right.", "Details", "first point", "second point"]
    assert "Markdown detected" in r.stderr


@pytest.mark.skipif(not (DOCS_DEV / "cc-by-sa-4.0-legalcode" / "orig").is_dir(), reason="needs docs-dev")
@pytest.mark.parametrize("side,name,col", [("zh", "docs_licenses_by-sa_4.0_legalcode.zh-hans.html", 0),
                                           ("en", "docs_licenses_by-sa_4.0_legalcode.en.html", 1)])
def test_html_real_page_keeps_every_gold_block(side, name, col):
    """The CC legal code page as published: every gold unit's text is in the kept sentences, site chrome is not."""
    d = DOCS_DEV / "cc-by-sa-4.0-legalcode"
    doc = read_document(d / "orig" / name, side)
    sents = segment_document(doc, side)
    kept = collections.Counter()
    for s in sents:
        kept += _content(s.text + " " + s.label, side == "zh")
    gold = collections.Counter()
    for line in (d / "gold.para.tsv").read_text(encoding="utf-8").splitlines():
        gold += _content(line.split("\t")[col], side == "zh")
    assert not gold - kept
    aside = " ".join(b.text for b in doc.blocks if b.kind == "furniture")
    assert "Donate" in aside and "Donate" not in " ".join(s.text for s in sents)


@pytest.mark.parametrize("fmt", ["pdf", "docx", "html", "md", "txt"])
def test_damaged_files_give_input_error_or_a_document(tmp_path, fmt):
    """Cut a real file at several points, or flip its bytes: an InputError or a Document, never another exception."""
    import random
    src = {"pdf": lambda p: make_pdf(p, "en", repeat=1), "docx": lambda p: make_docx(p, "en"),
           "html": lambda p: write(tmp_path, "x.html", HTML), "md": lambda p: write(tmp_path, "x.md", MD),
           "txt": lambda p: write(tmp_path, "x.txt", LAW)}[fmt](tmp_path / f"orig.{fmt}")
    data = src.read_bytes()
    rnd = random.Random(7)
    variants = [data[:k] for k in (1, 10, len(data) // 3, len(data) - 7)]
    for _ in range(3):
        b = bytearray(data)
        for _ in range(20):
            b[rnd.randrange(len(b))] = rnd.randrange(256)
        variants.append(bytes(b))
    for k, v in enumerate(variants):
        p = tmp_path / f"bad{k}.{fmt}"
        p.write_bytes(v)
        try:
            doc = read_document(p, "en")
        except InputError as exc:
            assert "\n" not in str(exc)
        else:
            segment_document(doc, "en")


# --------------------------------------------------------------------------- glyphs without Unicode

def _unmapped_pdf(path, lines, unmapped_lines=None):
    """A PDF in an embedded TrueType CJK font whose ToUnicode table is removed (the font's glyph numbers are all a
    reader gets); ``unmapped_lines``: only these lines use such a font, the others a second, intact copy of it."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas
    fonts = "/usr/share/fonts/truetype/arphic/uming.ttc", "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
    if not all(Path(f).exists() for f in fonts):
        pytest.skip("fonts-arphic-uming / fonts-wqy-zenhei are not installed")
    pdfmetrics.registerFont(TTFont("ZhA", fonts[0]))     # AR PL UMing: keeps its table
    pdfmetrics.registerFont(TTFont("ZhB", fonts[1]))     # WenQuanYi Zen Hei: loses it
    c = canvas.Canvas(str(path), pageCompression=0)
    y = 800
    for k, line in enumerate(lines):
        c.setFont("ZhB" if unmapped_lines is None or k in unmapped_lines else "ZhA", 11)
        c.drawString(50, y, line)
        y -= 18
    c.save()
    data = path.read_bytes()
    # ZhB's ToUnicode entry is made unknown (the key follows /BaseFont in reportlab's font dictionaries)
    at = data.find(b"/ToUnicode", data.find(b"/BaseFont /AAAAAA+WenQuanYiZenHei"))
    assert at > 0
    path.write_bytes(data[:at] + b"/ToUnicodX" + data[at + len(b"/ToUnicode"):])
    return path


def test_pdf_whose_fonts_lack_unicode_is_refused_with_one_line(tmp_path):
    lines = [f"第{k + 1}条 人人生而自由，在尊严和权利上一律平等。他们赋有理性和良心。" for k in range(30)]
    pdf = _unmapped_pdf(tmp_path / "nomap.zh.pdf", lines)
    with pytest.raises(InputError) as e:
        read_pdf(pdf, "zh")
    assert "does not map its glyphs to characters" in str(e.value) and "OCR" in str(e.value)
    r = _cli("segment", pdf, "--lang", "zh")
    assert r.returncode == 1 and r.stdout == ""
    assert r.stderr.count("\n") == 1 and "does not map its glyphs to characters" in r.stderr


def test_pdf_with_one_unmapped_line_is_read_and_the_drop_said(tmp_path):
    lines = [f"第{k + 1}条 人人生而自由，在尊严和权利上一律平等。他们赋有理性和良心。" for k in range(30)]
    pdf = _unmapped_pdf(tmp_path / "one.zh.pdf", lines, unmapped_lines={29})
    doc = read_pdf(pdf, "zh")
    text = "\n".join(b.text for b in doc.blocks)
    assert "第29条 人人生而自由" in text and "第30条" not in text        # the last line's glyphs have no characters
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", text)        # ... and are dropped, not passed on
    assert any(re.search(r": \d+ characters \(\d\.\d%\) have no Unicode mapping in the PDF's fonts and are "
                         "dropped", n) for n in doc.notes)


# --------------------------------------------------------------------------- HTML encodings

def test_html_charsets_read_as_browsers_do_and_guesses_are_said(tmp_path):
    gbk = tmp_path / "decl.zh.html"      # declares gb2312, uses GBK-only characters (as such pages do)
    gbk.write_bytes('<html><head><meta charset="gb2312"></head><body><p>朱镕基与陶喆出席了会议。</p></body></html>'
                    .encode("gbk"))
    doc = read_document(gbk, "zh")
    assert doc.blocks[0].text == "朱镕基与陶喆出席了会议。" and doc.encoding == "gb18030"
    assert not any("guessed" in n for n in doc.notes)
    big5 = tmp_path / "nometa.zh.html"   # no charset at all: Big5 found, and the guess said
    big5.write_bytes("<html><body><p>著作權法為保障著作人著作權益，調和社會公共利益，特制定本法。</p></body></html>"
                     .encode("big5"))
    r = _cli("segment", big5, "--lang", "zh")
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "著作權法為保障著作人著作權益，調和社會公共利益，特制定本法。"
    assert "read as Big5, guessed" in r.stderr
    wrong = tmp_path / "wrong.zh.html"   # declares UTF-8, is GB18030
    wrong.write_bytes('<html><head><meta charset="utf-8"></head><body><p>国务院召开常务会议。</p></body></html>'
                      .encode("gb18030"))
    doc = read_document(wrong, "zh")
    assert doc.blocks[0].text == "国务院召开常务会议。"
    assert any("declared charset 'utf-8' does not decode" in n for n in doc.notes)
    assert any("read as GB18030, guessed" in n for n in doc.notes)


# --------------------------------------------------------------------------- Markdown images

FIG_ZH = ("# 报告\n\n开源项目的数量在过去五年里稳步增长。\n\n![图 1 项目数量](img/1.png)\n\n"
          "![2-7](img/2-7.png)\n<center> 图 2 开发者排名</center>\n\n"
          "[![构建](b.svg)](ci) ![覆盖率](c.svg)\n\n文中的图标 ![星](s.png) 不是正文。\n")
FIG_EN = ("# Report\n\nThe number of open source projects grew steadily over the past five years.\n\n"
          "![Figure 1 Number of projects](img/1.png)\n\n"
          "![2-7](img/2-7.png)\n\n<center> Figure 2 Developer ranking</center>\n\n"
          "[![build](b.svg)](ci) ![coverage](c.svg)\n\nThe icon ![star](s.png) in the text is not prose.\n")


def test_markdown_images_alone_are_figure_blocks_and_captions_stay_with_them(tmp_path):
    zh = tmp_path / "r.zh.md"
    zh.write_text(FIG_ZH, encoding="utf-8")
    blocks = [(b.kind, b.text) for b in read_document(zh, "zh").blocks]
    assert blocks == [("heading", "报告"), ("text", "开源项目的数量在过去五年里稳步增长。"), ("figure", "图 1 项目数量"),
                      ("text", "2-7 图 2 开发者排名"),           # the image line and the caption under it: one block
                      ("text", "文中的图标  不是正文。")]          # badges and an icon inside prose: left out
    en = tmp_path / "r.en.txt"                                  # Markdown in a .txt: the same reader
    en.write_text(FIG_EN, encoding="utf-8")
    blocks = [(b.kind, b.text) for b in read_document(en, "en").blocks]
    assert ("figure", "Figure 1 Number of projects") in blocks
    assert ("figure", "2-7") in blocks and ("text", "Figure 2 Developer ranking") in blocks   # a blank line between


def test_markdown_figures_align_with_each_other_through_the_cli(tmp_path):
    zh, en, out = tmp_path / "r.zh.md", tmp_path / "r.en.md", tmp_path / "r.jsonl"
    zh.write_text(FIG_ZH, encoding="utf-8")
    en.write_text(FIG_EN, encoding="utf-8")
    r = _cli("align", zh, en, "-o", out)
    assert r.returncode == 0, r.stderr
    import json
    beads = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    pairs = {(b["src_text"], b["tgt_text"]) for b in beads}
    assert ("图 1 项目数量", "Figure 1 Number of projects") in pairs
    assert ("2-7 图 2 开发者排名", "2-7 Figure 2 Developer ranking") in pairs


# --------------------------------------------------------------------------- HTML images

FIG_HTML = """<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>T</title></head><body>
<nav><a href="/">{home}</a> <a href="/n">{news}</a></nav><div class="logo"><img src="l.png" alt="{logo}"></div>
<article><h1>{title}</h1><p>{para}</p>
<p><img src="img/1.png" alt="{fig1}"></p>
<figure><img src="img/2.png" alt="{fig2}"></figure>
<div align="center">
  <img src="img/3.png" alt="3-3">
  <img src="img/4.png" alt="3-4">
</div>
<figure><img src="img/5.png" alt="{cap}"><figcaption>{cap}</figcaption></figure>
<p><img src="img/6.png" alt="{over}"></p><p>{over}</p>
<p><a href="ci"><img src="b.svg" alt="build"></a></p>
<p>{icon_a}<img src="s.png" alt="{star}">{icon_b}</p>
<p><img src="d.png" alt=""></p>
</article></body></html>"""
FIG_HTML_ZH = dict(lang="zh", home="首页", news="新闻", logo="网站标志", title="报告", para="开源项目的数量在过去五年里稳步增长。",
                   fig1="图 1 项目数量", fig2="图 2 开发者排名", cap="图为会场。记者 张明 摄", over="图 4 活跃仓库",
                   icon_a="文中的图标 ", star="星", icon_b=" 不是正文。")
FIG_HTML_EN = dict(lang="en", home="Home", news="News", logo="Site logo", title="Report",
                   para="The number of open source projects grew steadily over the past five years.",
                   fig1="Figure 1 Number of projects", fig2="Figure 2 Developer ranking",
                   cap="The conference hall. Photo by Zhang Ming", over="Figure 4 Active repositories",
                   icon_a="The icon ", star="star", icon_b=" in the text is not prose.")


def test_html_images_alone_are_figure_blocks_of_their_alt_texts(tmp_path):
    p = tmp_path / "r.zh.html"
    p.write_text(FIG_HTML.format(**FIG_HTML_ZH), encoding="utf-8")
    doc = read_document(p, "zh")
    kept = [(b.kind, b.text) for b in doc.blocks if b.kind != "furniture"]
    assert kept == [("heading", "报告"), ("text", "开源项目的数量在过去五年里稳步增长。"),
                    ("figure", "图 1 项目数量"),                 # <p> of one image
                    ("figure", "图 2 开发者排名"),               # <figure> of one image
                    ("figure", "3-3 3-4"),                       # <div> of two images: one figure, as Markdown's
                    ("text", "图为会场。记者 张明 摄"),          # a figcaption: the figure has text, the alt stays out
                    ("figure", "图 4 活跃仓库"),                 # the alt first, its printed repeat set aside
                    ("text", "文中的图标 不是正文。")]           # a linked badge, an icon in prose, an empty alt: out
    aside = [b.text for b in doc.blocks if b.kind == "furniture"]
    assert "图 4 活跃仓库" in aside and "网站标志" not in aside and "首页 新闻" in aside   # the logo: outside the article
    assert not any("网站标志" in b.text or "星" in b.text or "build" in b.text for b in doc.blocks)


def test_html_figures_align_with_each_other_through_the_console_script(tmp_path):
    import json
    import os
    import subprocess
    import sys
    zh, en, out = tmp_path / "r.zh.html", tmp_path / "r.en.html", tmp_path / "r.jsonl"
    zh.write_text(FIG_HTML.format(**FIG_HTML_ZH), encoding="utf-8")
    en.write_text(FIG_HTML.format(**FIG_HTML_EN), encoding="utf-8")
    script = Path(sys.executable).with_name("aligner")
    assert script.exists(), f"{script}: the console script is not installed"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1]), "OMP_NUM_THREADS": "1"}
    r = subprocess.run([str(script), "align", str(zh), str(en), "-o", str(out)], capture_output=True, text=True,
                       env=env, timeout=600)
    assert r.returncode == 0, r.stderr
    beads = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    pairs = {(b["src_text"], b["tgt_text"]) for b in beads}
    for pair in (("图 1 项目数量", "Figure 1 Number of projects"), ("图 2 开发者排名", "Figure 2 Developer ranking"),
                 ("3-3 3-4", "3-3 3-4"), ("图 4 活跃仓库", "Figure 4 Active repositories")):
        assert pair in pairs, pair
    texts = " ".join(b["src_text"] + " " + b["tgt_text"] for b in beads)
    assert texts.count("图 4 活跃仓库") == 1 and texts.count("Figure 4 Active repositories") == 1   # no duplicate unit



def test_markdown_and_text_readers_say_a_guessed_encoding_as_the_pre_split_reader_does(tmp_path):
    for name in ("g.zh.md", "g.zh.txt"):
        p = tmp_path / name
        p.write_bytes("第一段内容。\n\n第二段内容。\n".encode("gb18030"))
        doc = read_document(p, "zh")
        assert [b.text for b in doc.blocks] == ["第一段内容。", "第二段内容。"]
        assert any(n.startswith(f"{p}: read as GB18030, guessed from its Chinese characters") for n in doc.notes)
    bom = tmp_path / "u.zh.txt"                  # a BOM is not a guess: nothing to say
    bom.write_bytes("正文内容。\n".encode("utf-16"))
    assert not any("guessed" in n for n in read_document(bom, "zh").notes)
