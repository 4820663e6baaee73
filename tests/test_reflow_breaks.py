"""Line-break evidence in the text reflow (aligner/segment/layout/, aligner/segment/breaks.py): wrapped titles and
division headings, numbered lines that continue a sentence, list items after "；以及", lists of short comma-ended
lines, and a sentence end at a full line decided by the document's own paragraph lengths.  Each test builds
``pdftotext``-like text (no blank lines, lines cut at a width) and asserts block boundaries and kinds."""
from __future__ import annotations

import logging
import os
import re
import subprocess
from pathlib import Path

import pytest
from conftest import console_script

from aligner.read.text import text_document
from aligner.segment import reflow
from aligner.segment import breaks

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "tests" / "data" / "docs"

#: Chinese filler without punctuation, cut into lines of a fixed number of characters
_ZH = ("国家保障人民依法享有的各项权利促进经济社会协调发展完善社会主义法律制度维护公共秩序与社会稳定"
       "尊重和保障人权推进国家治理体系和治理能力现代化加强对权力运行的制约和监督")
_EN = ("the state shall respect and protect the rights of citizens and shall promote the development of the economy "
       "and of society in accordance with the law while maintaining public order and social stability for all ").split()


def zh_text(n: int, start: int = 0) -> str:
    s = (_ZH * 20)[start:start + n]
    return s


def en_lines(n_lines: int, width: int = 70, start: int = 0, cap: bool = True) -> list[str]:
    """``n_lines`` lines of filler words, each as long as fits in ``width`` characters."""
    words = (_EN * 50)[start:]
    out, cur = [], ""
    for wd in words:
        if len(cur) + 1 + len(wd) > width:
            out.append(cur)
            cur = wd
            if len(out) == n_lines:
                break
        else:
            cur = f"{cur} {wd}" if cur else wd
    if cap:
        out[0] = out[0][0].upper() + out[0][1:]
    return out


def blocks(text: str, lang: str):
    return [(b.kind, b.text) for b in reflow(text, lang, force=True).blocks if b.kind not in ("furniture", "note")]


def doc_blocks(text: str, lang: str):
    """Blocks as the .txt reader gives them (numbering labels read: kinds ``list``/``heading``)."""
    return [(b.kind, b.text) for b in text_document(text, lang, markdown=False, wrapped=True).blocks
            if b.kind not in ("furniture", "note")]


# ------------------------------------------------------------------------------------------- wrapped titles

def test_en_title_wrapped_over_lines_is_one_heading():
    """"…prevention of / genocide… / against humanity" (a connecting word, then lower case) and "…from the
    Permanent / Representative…" (the line fills the title box: the next word would not have fitted) are one
    title each; "Right of peoples to self-determination" does not fill the box and stays a title of its own."""
    body = en_lines(6)
    body[-1] += "."
    text = "\n".join([
        "Seventy-fifth session",
        "Agenda items 34, 71 and 135",
        "Right of peoples to self-determination",
        "Responsibility to protect and prevention of",
        "genocide, war crimes, ethnic cleansing and crimes",
        "against humanity",
        "Letter dated 25 February 2021 from the Permanent",
        "Representative of Armenia to the United Nations",
        "addressed to the Secretary-General",
        *body,
    ]) + "\n"
    got = blocks(text, "en")
    assert got[:6] == [
        ("heading", "Seventy-fifth session"),
        ("heading", "Agenda items 34, 71 and 135"),
        ("heading", "Right of peoples to self-determination"),
        ("heading", "Responsibility to protect and prevention of genocide, war crimes, ethnic cleansing and crimes "
                    "against humanity"),
        ("heading", "Letter dated 25 February 2021 from the Permanent Representative of Armenia to the United "
                    "Nations addressed to the Secretary-General"),
        ("text", " ".join(body)),
    ]


def test_zh_title_wrapped_when_another_title_line_shows_the_box():
    """Chinese wraps at any character, so only the width says a title line is full: two title lines reaching the
    same width (a box) make "…和危害人 / 类罪" one title; a single long title line proves nothing."""
    body = [zh_text(30, k * 30) for k in range(5)] + [zh_text(12, 150) + "。"]
    title = "保护责任与防止灭绝种族、战争罪、族裔清洗和危害人"   # 24 characters: the box
    letter = "二〇二一年二月二十五日亚美尼亚常驻代表给秘书长的"  # 24 characters too
    text = "\n".join(["第七十五届会议", "人民自决的权利", title, "类罪", letter, "信", *body]) + "\n"
    got = blocks(text, "zh")
    assert got[:5] == [("heading", "第七十五届会议"), ("heading", "人民自决的权利"), ("heading", title + "类罪"),
                       ("heading", letter + "信"), ("text", "".join(body))]
    # the same title alone at that width, nothing else as wide: no evidence of a box, the lines stay apart
    text = "\n".join(["第七十五届会议", "人民自决的权利", title, "类罪", *body]) + "\n"
    assert [t for _, t in blocks(text, "zh")][:4] == ["第七十五届会议", "人民自决的权利", title, "类罪"]


def test_division_heading_wrapped_over_two_lines():
    """"Chapter IV The National Flag, National Anthem, / National Emblem and the Capital" and "Section 6
    Autonomous Organs of Ethnic / Autonomous Areas" (followed by an article): one heading each."""
    art = en_lines(3, start=5)
    art[0] = "Article 141 " + art[0]
    art[-1] += "."
    art2 = en_lines(2, start=30)
    art2[0] = "Article 112 " + art2[0]
    art2[-1] += "."
    par = en_lines(4)
    par[-1] += "."
    text = "\n".join([*par, "Chapter IV The National Flag, National Anthem,", "National Emblem and the Capital",
                      *art, "Section 6 Autonomous Organs of Ethnic", "Autonomous Areas", *art2]) + "\n"
    got = blocks(text, "en")
    heads = [t for k, t in got if k == "heading"]
    assert heads == ["Chapter IV The National Flag, National Anthem, National Emblem and the Capital",
                     "Section 6 Autonomous Organs of Ethnic Autonomous Areas"]
    assert [t for k, t in got if t.startswith("Article")] == [" ".join(art), " ".join(art2)]
    # a numbered title under a division heading is a heading of its own, not the division heading's second line
    text = "\n".join([*par, "Section 4 Economic Rights", "Subsection 1 Categories of Economic Rights", *art]) + "\n"
    assert [t for k, t in blocks(text, "en") if not t.startswith(("Article", "The state"))] == [
        "Section 4 Economic Rights", "Subsection 1 Categories of Economic Rights"]


# ------------------------------------------------------------------------------------------- labels inside text

def test_article_reference_at_a_wrapped_line_start_is_no_heading():
    """"…，适用 / 第三条b款的要求；" and "…including for purposes of / Section 3(b); and": the line above is full
    and ends no clause, so the label is a reference inside the sentence, not a new article or section."""
    a = "b. " + zh_text(27)
    text = "\n".join([zh_text(30, 40), zh_text(20, 70) + "。", a, zh_text(26, 100) + "，适用", "第三条b款的要求；",
                      "c. " + zh_text(20, 5) + "。"]) + "\n"
    got = doc_blocks(text, "zh")
    assert got[-2] == ("list", a + zh_text(26, 100) + "，适用第三条b款的要求；")
    assert not any(t.startswith("第三条") for _, t in got)
    lines = en_lines(3, start=3)
    lines[0] = "b. " + lines[0]
    lines[-1] = "individual contents) is Adapted Material, including for purposes of"
    par = en_lines(4)
    par[-1] += "."
    text = "\n".join([*par, *lines, "Section 3(b); and", "c. You must comply with the conditions."]) + "\n"
    got = doc_blocks(text, "en")
    assert got[-2] == ("list", " ".join(lines) + " Section 3(b); and")
    assert got[-1] == ("list", "c. You must comply with the conditions.")


def test_items_after_a_clause_closed_by_and_are_split():
    """"A. …的全部或部分；以及" / "B. …" and "A. …in whole or in part; and" / "B. …": the conjunction after the
    semicolon closes the item as the semicolon alone would."""
    text = "\n".join([zh_text(30), zh_text(18, 30) + "：", "A. 复制和分享授权作品的全部或部分；以及",
                      "B. 创作、复制和分享演绎作品。", zh_text(30, 60), zh_text(10, 90) + "。"]) + "\n"
    got = doc_blocks(text, "zh")
    assert ("list", "A. 复制和分享授权作品的全部或部分；以及") in got
    assert ("list", "B. 创作、复制和分享演绎作品。") in got
    text = "\n".join([*en_lines(3), "Licensed Rights in the Licensed Material to:",
                      "A. reproduce and Share the Licensed Material, in whole or in part; and",
                      "B. produce, reproduce, and Share Adapted Material.", *en_lines(2, start=9)]) + "\n"
    got = doc_blocks(text, "en")
    assert ("list", "A. reproduce and Share the Licensed Material, in whole or in part; and") in got
    assert ("list", "B. produce, reproduce, and Share Adapted Material.") in got


def test_list_of_short_comma_lines():
    """"委员长， / 副委员长若干人， / 秘书长， / 委员若干人。" and "personnel: / a chairperson, / vice chairpersons,
    and / members.": lines far short of the width that end in a comma are a list, one item a line."""
    text = "\n".join([zh_text(29) + "。", "第六十五条 全国人民代表大会常务委员会由下列人员组成：", "委员长，", "副委员长若干人，2",
                      "秘书长，", "委员若干人。", zh_text(30, 33), zh_text(8, 63) + "。"]) + "\n"
    got = [t for _, t in blocks(text, "zh")]
    assert got[1:6] == ["第六十五条 全国人民代表大会常务委员会由下列人员组成：", "委员长，", "副委员长若干人，", "秘书长，",
                        "委员若干人。"]
    par = en_lines(4)
    par[-1] += "."
    text = "\n".join([*par, "Article 65 The Standing Committee shall be composed of the following",
                      "personnel:", "a chairperson,", "vice chairpersons,", "a secretary general, and", "members.",
                      *en_lines(2, start=20)]) + "\n"
    got = [t for _, t in blocks(text, "en")]
    assert got[1:6] == ["Article 65 The Standing Committee shall be composed of the following personnel:",
                        "a chairperson,", "vice chairpersons,", "a secretary general, and", "members."]


def test_short_fragment_split_by_a_superscript_stays_in_its_paragraph():
    """"…Working Group on the Right to Development,8 / and emphasizes the need to continue / deliberations…": a
    short comma-ended line followed by a fragment (no final punctuation) is a line split around a note marker,
    not a list."""
    lines = en_lines(5)
    frag = ["Working Group on the Right to Development,", "and emphasizes the need to continue"]
    tail = en_lines(2, start=40, cap=False)
    tail[-1] += "."
    text = "\n".join([*lines[:3], *frag, *tail]) + "\n"
    assert blocks(text, "en") == [("text", " ".join(lines[:3] + frag + tail))]


# ------------------------------------------------------------------------------------------- full lines

def _law(zh: bool) -> str:
    """Articles of one sentence each, some ending exactly at the full width."""
    out = []
    for k in range(12):
        if zh:
            out += [zh_text(30, k), zh_text(29 if k % 3 == 0 else 12, k + 30) + "。"]
        else:
            ls = en_lines(2, start=k)
            ls[-1] = (ls[-1] if k % 3 == 0 else ls[-1][:30]).rstrip(",") + "."
            out += ls
    return "\n".join(out) + "\n"


def _letter(zh: bool) -> str:
    """Paragraphs of several sentences (sentence ends inside the lines), some ending exactly at the full width."""
    out = []
    for k in range(6):
        if zh:
            out += [zh_text(14, k) + "。" + zh_text(15, k + 20), zh_text(10, k + 40) + "。" + zh_text(19, k + 50),
                    zh_text(29 if k % 2 == 0 else 12, k + 70) + "。"]
        else:
            ls = en_lines(3, start=k * 4)
            ls[0] = ls[0][:30] + ". " + ls[0][32:].capitalize()
            ls[1] = ls[1][:20] + ". " + ls[1][22:].capitalize()
            ls[2] = (ls[2] if k % 2 == 0 else ls[2][:30]).rstrip(",") + "."
            out += ls
    return "\n".join(out) + "\n"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_sentence_end_at_a_full_line_follows_the_documents_paragraphs(lang, caplog):
    """A sentence end that falls exactly at the end of a full line: in a law (most sentence ends are paragraph
    ends) it ends the paragraph; in a letter (most are inside paragraphs) it is a wrap.  The log says which."""
    zh = lang == "zh"
    with caplog.at_level(logging.DEBUG, logger="aligner.segment.layout"):
        law = reflow(_law(zh), lang, force=True).blocks
    assert len(law) == 12  # every article its own block, the full-width ones included
    assert "taken for a paragraph end" in caplog.text
    caplog.clear()
    with caplog.at_level(logging.DEBUG, logger="aligner.segment.layout"):
        letter = reflow(_letter(zh), lang, force=True).blocks
    assert "taken for a wrap" in caplog.text
    assert len(letter) == 3  # paragraphs 1+2, 3+4, 5+6: the full-width last lines ran on into the next paragraph
    assert breaks.paragraph_share([("a。b", 4.0)], 100.0, True)[2] == 0.0


# ------------------------------------------------------------------------------------------- the reader and the CLI

def test_text_reader_article_title_line_is_a_heading(caplog):
    """"第一条 定义" alone on its line (an article number and a short title) is a heading; the reader says in the log
    whether it took the lines for hard-wrapped."""
    lines = ["第一条 定义", "a. " + zh_text(27), zh_text(30, 27), zh_text(10, 57) + "。", "第二条 授权范围",
             "a. " + zh_text(27, 3), zh_text(30, 30), zh_text(12, 60) + "。"]
    with caplog.at_level(logging.INFO, logger="aligner.read.text"):
        doc = text_document("\n".join(lines) + "\n", "zh", markdown=False)
    assert "lines look hard-wrapped" in caplog.text
    assert [(b.kind, b.label) for b in doc.blocks] == [("heading", "第一条"), ("list", "a."), ("heading", "第二条"),
                                                       ("list", "a.")]
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="aligner.read.text"):
        text_document("第一条 定义\n短的一行。\n另一段，长短不一的一行文字。\n还有一行。\n", "zh", markdown=False)
    assert "one paragraph each" in caplog.text


@pytest.mark.skipif(not (DOCS / "un-letter.a5.en.pdftotext.txt").exists(), reason="generated corpus not present")
def test_generated_pdftotext_titles_are_whole():
    """The UN letter's A5 ``pdftotext`` output (tests/data/docs): its titles wrapped over two and three lines come
    back whole."""
    doc = text_document((DOCS / "un-letter.a5.en.pdftotext.txt").read_text(encoding="utf-8"), "en")
    heads = [b.text for b in doc.blocks if b.kind == "heading"]
    assert "Responsibility to protect and prevention of genocide, war crimes, ethnic cleansing and crimes against " \
           "humanity" in heads
    assert "Annex to the letter dated 25 February 2021 from the Permanent Representative of Armenia to the United " \
           "Nations addressed to the Secretary-General" in heads
    doc = text_document((DOCS / "un-letter.a5.zh.pdftotext.txt").read_text(encoding="utf-8"), "zh")
    heads = [b.text for b in doc.blocks if b.kind == "heading"]
    assert "保护责任与防止灭绝种族、战争罪、族裔清洗和危害人类罪" in heads
    assert "2021年2月25日亚美尼亚常驻联合国代表给秘书长的信的附件" in heads


@pytest.mark.skipif(console_script() is None, reason="the aligner console script is not installed")
def test_console_script_reflow_shows_whole_title_and_list(tmp_path):
    """Through the installed ``aligner`` command (this checkout's code on PYTHONPATH): ``aligner reflow`` prints the
    wrapped title as one block and each short list line as its own."""
    body = en_lines(5)
    body[-1] += "."
    text = "\n".join(["Responsibility to protect and prevention of", "genocide, war crimes, ethnic cleansing and crimes",
                      "against humanity", *body, "The Commission is composed of the following personnel:",
                      "a chairperson,", "vice chairpersons, and", "members.", *en_lines(3, start=11)]) + "\n"
    p = tmp_path / "doc.en.txt"
    p.write_text(text, encoding="utf-8")
    r = subprocess.run([console_script(), "reflow", str(p), "--lang", "en"], capture_output=True, text=True,
                       env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert r.returncode == 0, r.stderr
    assert "lines look hard-wrapped" in r.stderr
    out = [re.sub(r"^\[[^\]]*\] ", "", b) for b in r.stdout.strip().split("\n\n")]  # "[heading] …" -> "…"
    assert out[0] == ("Responsibility to protect and prevention of genocide, war crimes, ethnic cleansing and crimes "
                      "against humanity")
    assert out[2:6] == ["The Commission is composed of the following personnel:", "a chairperson,",
                        "vice chairpersons, and", "members."]


def test_pdftotext_of_a_markdown_source_is_reflowed_not_read_as_markdown():
    """Text extracted page by page (form feeds) whose pages show Markdown marks ("#### 1.2 …", "**…**", links):
    the marks are printed characters and the lines are page wraps, so the reflow reads it (one block a paragraph),
    not the Markdown reader (which would glue each page into one paragraph)."""
    page = []
    for k in range(3):
        par = en_lines(4, start=k * 7)
        par[1] = par[1][:28] + " **bold** [a link](https://ex.org/x) and"
        par[-1] = par[-1][:40].rstrip() + "."
        page += [f"#### Section title number {'one two three'.split()[k]}", *par]
    text = "\n".join(page[:10]) + "\n\f" + "\n".join(page[10:]) + "\n\f"
    doc = text_document(text, "en")
    assert doc.format == "txt" and not any("Markdown" in n for n in doc.notes)
    assert any("hard-wrapped" in n for n in doc.notes)
    heads = [b.text for b in doc.blocks if b.kind == "heading"]
    assert heads == [f"#### Section title number {w}" for w in ("one", "two", "three")]
    assert len([b for b in doc.blocks if b.kind == "text"]) == 3
    # without the form feeds the same text is sniffed as Markdown, as before
    assert any("Markdown" in n for n in text_document(text.replace("\f", ""), "en").notes)


# ---------------------------------------------------------------------- printed Markdown/HTML marks (aligner.segment.markup)

def _md_page(lines_between: list[str]) -> str:
    """Running text wrapped at 70 characters around the given markup lines."""
    return "\n".join(en_lines(3) + lines_between + en_lines(3, start=40)) + "\n"


def test_printed_markdown_headings_open_and_close_blocks(caplog):
    # a full-line sentence end before "### 1.2 …" and a heading before the text: both hard, with markup shown
    text = _md_page(["### 1.2 Active Repository", *en_lines(2, start=20), "#### 1.2.1 Trends in GitHub"])
    text += "| a | b |\n| 1 | 2 |\n"
    with caplog.at_level(logging.DEBUG, logger="aligner.segment.layout"):
        out = blocks(text, "en")
    texts = [t for _, t in out]
    assert "### 1.2 Active Repository" in texts  # digits kept: "2" after "1." is no footnote marker
    assert "#### 1.2.1 Trends in GitHub" in texts
    assert "| a | b |" in texts and "| 1 | 2 |" in texts
    r = reflow(text, "en", force=True)
    assert any("printed markup marks" in g for g in r.guesses)


def test_markdown_heading_wraps_only_into_a_short_tail():
    head = "### 3.1 Evolution of Global Enterprise OpenRank Over the Past Five"
    wide = "Figure 6.6 Trends in OpenRank by Subdomain in Database Domain (2019)"
    text = _md_page([head, "Years", *en_lines(2, start=11), "#### 6.3.2 Trends over the last five years in the area",
                     wide, "| a | b |", "![fig](x.png)"])
    texts = [t for _, t in blocks(text, "en")]
    assert head + " Years" in texts          # a short capitalised tail of a full heading line goes on
    assert "#### 6.3.2 Trends over the last five years in the area" in texts  # a wide caption does not
    assert wide in texts


def test_captions_images_and_tags_end_blocks_and_wrapped_ones_go_on():
    zh = [zh_text(34, k * 34) for k in range(3)]
    text = "\n".join(zh[:2] + ["![7-1.png](/image/7-1.png) <center> 图 7.1", "2023 活跃开发者分布图 </center> <br>",
                               "<center>图 1.6 活跃仓库活跃度对比 </center>", "<br>",
                               "| 仓库名 | 探索者 | 参与者 |", "|:----:|:------:|:------:|", "| a/b | 1 | 2 |2",
                               "| c/d | 3", "| 4 |", "| e/f | 5 | 6 |", "7 |", zh[2] + "。", "> 引用的一句话。"]) + "\n"
    texts = [t for _, t in blocks(text, "zh")]
    assert "![7-1.png](/image/7-1.png) <center> 图 7.1 2023 活跃开发者分布图 </center> <br>" in texts
    assert any(t.startswith("<center>图 1.6") and t.endswith("<br>") for t in texts)
    assert any(t.startswith("| 仓库名") and t.endswith("|:------:|") for t in texts)  # header + rule
    assert any(t.startswith("| a/b | 1 | 2 |") for t in texts)
    assert any(t.startswith("| c/d | 3") and t.endswith("| 4 |") for t in texts)  # a wrapped row
    assert any(t.startswith("| e/f | 5 | 6 |") and t.endswith("7 |") for t in texts)  # wrapped after a "|"
    assert "> 引用的一句话。" in texts


def test_bold_title_line_and_emphasis_at_a_line_start():
    lines = en_lines(3)
    text = "\n".join(lines + ["**1. Geographical distribution of developers**", *en_lines(2, start=30),
                              "**databases** are becoming the infrastructure for data innovation and", "growth",
                              "[3] Institute for Standardization, a reference line"]) + "\n"
    texts = [t for _, t in blocks(text, "en")]
    assert "**1. Geographical distribution of developers**" in texts
    assert any(t.endswith("**databases** are becoming the infrastructure for data innovation and growth")
               for t in texts)  # emphasis is no "*" bullet: the sentence goes on
    assert "[3] Institute for Standardization, a reference line" in texts


def test_mark_only_line_goes_on_over_a_blank_line():
    text = "\n".join(en_lines(3) + ["### 1.2 A heading", *en_lines(2, start=9), "| a | b |", "![f](x.png)"])
    text += "\n###\n\nNobody responds.\n"
    texts = [t for _, t in blocks(text, "en")]
    assert "### Nobody responds." in texts


def test_plain_text_without_marks_is_not_read_as_markup():
    # one table-like line in a plain text: the markup rules stay off (fewer than MARKUP_LEAST markup lines)
    from aligner.segment import markup
    lines = en_lines(6)
    assert markup.shows_markup(lines + ["| a |"]) < markup.MARKUP_LEAST
    r = reflow("\n".join(lines[:3] + ["| a |"] + lines[3:]) + "\n", "en", force=True)
    assert not any("printed markup" in g for g in r.guesses)


def test_items_numbered_without_a_space_are_split():
    lead = en_lines(2)
    lead[-1] = lead[-1] + " as follows:"
    text = "\n".join(lead + ["1.Works that are first published in the territory of the state.",
                             "2.does not receive a financial benefit directly attributable to the",
                             "infringing activity; and",
                             "3.responds expeditiously to remove the material.",
                             "The rate 3.5 per cent applies to all of them and to the works of 1.2"]) + "\n"
    texts = [t for _, t in blocks(text, "en")]
    assert "1.Works that are first published in the territory of the state." in texts
    assert ("2.does not receive a financial benefit directly attributable to the infringing activity; and"
            in texts)
    assert "3.responds expeditiously to remove the material." in texts


def test_title_in_capitals_over_two_lines_is_one_heading():
    text = ("CONSTITUTION OF THE PEOPLE’S\nREPUBLIC OF CHINA\n"
            + "\n".join(en_lines(4)) + ".\nPreamble\n" + "\n".join(en_lines(3, start=30)) + ".\n")
    out = blocks(text, "en")
    assert out[0] == ("heading", "CONSTITUTION OF THE PEOPLE’S REPUBLIC OF CHINA")
    assert ("heading", "Preamble") in out


def test_html_element_goes_on_after_an_opening_tag_and_inline_tags():
    lead = en_lines(3)
    lead[-1] += "."
    text = "\n".join(lead + [
        '<aside markdown="1" class="pquote"> <img',
        'src="https://example.org/a.png" class="pquote-avatar" alt="avatar"> You will learn a lot',
        'from reading every issue. <p markdown="1" class="pquote-credit">',
        "— @someone [on joining](https://example.org/x) </p> </aside>",
        '<div class="clearfix mb-2"> <input type="checkbox" id="cbox1" class="d-block float-left mt-1 mr-2"',
        'value="checkbox">',
        '<label for="cbox1" class="overflow-hidden d-block"> Is there a license? </label> </div>',
        "| a | b |"]) + "\n"
    texts = [t for _, t in blocks(text, "en")]
    assert any(t.startswith("<aside") and t.endswith("</aside>") and "— @someone" in t for t in texts)
    assert any(t.startswith("<div") and t.endswith("</label> </div>") for t in texts)


def test_bold_lead_in_after_a_sentence_end_opens_a_paragraph():
    lead = en_lines(3)
    lead[-1] += " effectively:"
    text = "\n".join(lead + ["**Give context.** Help others get quickly up to speed with the work you are",
                             "doing now.", "| a | b |", "| c | d |", "![f](x.png)"]) + "\n"
    texts = [t for _, t in blocks(text, "en")]
    assert "**Give context.** Help others get quickly up to speed with the work you are doing now." in texts


def test_quote_lines_ending_their_sentences_are_separate():
    text = "\n".join(en_lines(3) + ['> ■ _"I am not sure how to implement X. I checked the help docs."_',
                                   '> ■ _"How do I X?"_', "> a quote that wraps over its line and goes",
                                   "> on here.", "| a | b |", "| c | d |", "![f](x.png)"]) + "\n"
    texts = [t for _, t in blocks(text, "en")]
    assert '> ■ _"I am not sure how to implement X. I checked the help docs."_' in texts
    assert '> ■ _"How do I X?"_' in texts
