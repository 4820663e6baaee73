"""The review page file, the xlsx export, reading alignments back, `aligner review`, TMX options, SRX rules.

(The page's behaviour in a browser is tests/test_review_browser.py; OmegaT is tests/test_omegat.py.)
"""
from __future__ import annotations

import json
import math
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from aligner.errors import InputError
from aligner.formats.alignment_readers import read_alignment
from aligner.formats.review import review_data, write_review
from aligner.formats.writers import canonical_xml_lang, write_alignment, write_jsonl, write_tmx, write_tsv
from aligner.model import Alignment, Bead, Sentence
from aligner.segment.srx import load_srx

XML_NS = "{http://www.w3.org/XML/1998/namespace}"
ZH = ["那天晚上我没走掉。", "陈清扬把我拽住。", "以伟大友谊的名义叫我留下来。", "</script><script>alert(1)</script>",
      "=SUM(A1:A2)", "最后一句。"]
EN = ["I did not leave that night.", "Chen Qingyang caught me.", "She asked me to stay.", "An inserted one.",
      "<!-- a comment -->", "The last one.", "Really."]


def sentences(texts):
    return [Sentence(t, i) for i, t in enumerate(texts)]


@pytest.fixture
def alignment() -> Alignment:
    beads = [Bead((0,), (0,), 0.91234), Bead((1, 2), (1, 2), 0.8), Bead((), (3,), 0.0), Bead((3,), (4,), 0.3),
             Bead((4,), (), 0.1), Bead((5,), (5, 6), 0.45)]
    return Alignment("zh", "en", sentences(ZH), sentences(EN), beads, model="test",
                     stats={"src_file": "/home/me/doc.zh.txt", "tgt_file": "doc.en.docx"})


def embedded(page: str) -> dict:
    m = re.search(r'<script type="application/json" id="data">(.*?)</script>', page, re.S)
    return json.loads(m.group(1))


# --------------------------------------------------------------------------- the page file

def test_page_embeds_every_sentence_safely(tmp_path, alignment):
    page = write_review(alignment, tmp_path / "r.html").read_text("utf-8")
    assert page.count("</script>") == 2  # the data and the code; the sentence's "</script>" is escaped
    assert "<!-- a comment" not in page
    data = embedded(page)
    assert data["src"] == ZH and data["tgt"] == EN
    assert data["beads"][1] == [[1, 2], [1, 2], 0.8, ""]
    assert data["beads"][0][2] == 0.9123
    assert data["meta"]["title"] == "doc" and data["meta"]["stem"] == "doc"
    assert data["meta"]["header_props"] == [["x-source-file", "doc.zh.txt"], ["x-target-file", "doc.en.docx"],
                                            ["x-document", "doc"]]
    assert "http://" not in page.replace("http://www.w3.org", "") and "https://" not in page  # no network
    for font in ("Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", "SimSun", "Segoe UI", "Arial"):
        assert font in page
    assert "@media print" in page


def test_page_rejects_bead_outside_sentences(tmp_path, alignment):
    alignment.beads.append(Bead((9,), (9,), 0.5))
    with pytest.raises(ValueError, match="outside the alignment"):
        write_review(alignment, tmp_path / "r.html")
    assert not (tmp_path / "r.html").exists()


def test_nan_score_is_null(alignment):
    alignment.beads[0].score = math.nan
    assert review_data(alignment)["beads"][0][2] is None


# --------------------------------------------------------------------------- reading alignments back

@pytest.mark.parametrize("writer", [write_jsonl, write_tsv])
def test_jsonl_and_tsv_round_trip(tmp_path, alignment, writer):
    path = writer(alignment, tmp_path / ("a.jsonl" if writer is write_jsonl else "a.tsv"))
    back = read_alignment(path)
    assert [(b.src, b.tgt) for b in back.beads] == [(b.src, b.tgt) for b in alignment.beads]
    assert [b.score for b in back.beads] == pytest.approx([round(b.score, 4) for b in alignment.beads])
    assert [s.text for s in back.src] == ZH  # 2-2 bead split back into its sentences
    assert [s.text for s in back.tgt] == EN
    assert back.warnings == []


def test_page_jsonl_sentences_used_as_given(tmp_path):
    line = {"src": [0, 1], "tgt": [0], "src_text": "一二", "tgt_text": "One two.", "score": None,
            "src_sents": ["一", "二"], "tgt_sents": ["One two."], "edited": "merge"}
    (tmp_path / "p.jsonl").write_text(json.dumps(line, ensure_ascii=False) + "\n", "utf-8")
    back = read_alignment(tmp_path / "p.jsonl")
    assert [s.text for s in back.src] == ["一", "二"] and math.isnan(back.beads[0].score)


def test_unsplittable_bead_warns(tmp_path):
    line = {"src": [0, 1], "tgt": [0], "src_text": "没有句号的一句", "tgt_text": "x", "score": 0.5}
    (tmp_path / "p.jsonl").write_text(json.dumps(line, ensure_ascii=False) + "\n", "utf-8")
    back = read_alignment(tmp_path / "p.jsonl")
    assert [s.text for s in back.src] == ["没有句号的一句", ""]
    assert len(back.warnings) == 1 and "line 1" in back.warnings[0]


@pytest.mark.parametrize("content, message", [
    ("not json\n", "line 1: not JSON"),
    ('{"src": [1, 0], "tgt": [0]}\n', "increasing"),
    ('{"src": [0], "tgt": [0]}\n{"src": [0], "tgt": [1]}\n', "in two beads"),
    ("", "no beads"),
])
def test_bad_jsonl(tmp_path, content, message):
    (tmp_path / "x.jsonl").write_text(content, "utf-8")
    with pytest.raises(InputError, match=message):
        read_alignment(tmp_path / "x.jsonl")


def test_tmx_read_back(tmp_path, alignment):
    path = write_tmx(alignment, tmp_path / "a.tmx")
    back = read_alignment(path)
    real = [b for b in alignment.beads if not b.is_null]
    assert len(back.beads) == len(real)
    assert [b.type for b in back.beads] == [b.type for b in real]  # x-align-type splits 2-2 back
    assert back.src_lang == "zh" and back.tgt_lang == "en"
    assert back.stats["document"] == "doc" and back.stats["src_file"] == "doc.zh.txt"


def test_unknown_input(tmp_path):
    (tmp_path / "a.docx").write_text("x")
    with pytest.raises(InputError, match="cannot read this kind"):
        read_alignment(tmp_path / "a.docx")
    with pytest.raises(InputError, match="no such file"):
        read_alignment(tmp_path / "nope.tmx")


# --------------------------------------------------------------------------- xlsx

def test_xlsx_read_by_openpyxl(tmp_path, alignment):
    import openpyxl
    [path] = write_alignment(alignment, tmp_path / "a.xlsx")
    ws = openpyxl.load_workbook(path).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == ("zh", "en", "score", "type", "ids")
    assert rows[1] == (ZH[0], EN[0], 0.9123, "1-1", "0:0")
    assert rows[2][:2] == ("陈清扬把我拽住。以伟大友谊的名义叫我留下来。", "Chen Qingyang caught me. She asked me to stay.")
    assert rows[3] == (None, EN[3], 0.0, "0-1", ":3")
    assert rows[5][0] == "=SUM(A1:A2)" and ws.cell(6, 1).data_type == "s"  # text, not a formula
    assert ws.freeze_panes == "A2"
    low = [r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).fill.fgColor.rgb == "FFF4C7C3"]
    assert low == [4, 5, 6, 7]  # scores 0.0, 0.3, 0.1, 0.45 < 0.5


def test_corrected_xlsx_to_tmx(tmp_path, alignment):
    import openpyxl
    [path] = write_alignment(alignment, tmp_path / "a.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    ws.cell(2, 2).value = "That night I did not get away."  # a corrected translation
    ws.delete_rows(4)  # the 0-1 row removed
    ws.cell(5, 1).value = None  # the 1-0 row (now row 5) emptied -> skipped
    ws.cell(5, 2).value = None
    wb.save(tmp_path / "corrected.xlsx")
    proc = subprocess.run([sys.executable, "-m", "aligner.cli", "review", str(tmp_path / "corrected.xlsx"),
                           "-o", str(tmp_path / "out.tmx")], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    root = ET.parse(tmp_path / "out.tmx").getroot()
    segs = [[tuv.find("seg").text for tuv in tu.findall("tuv")] for tu in root.iter("tu")]
    assert segs[0] == [ZH[0], "That night I did not get away."]
    assert len(segs) == 4 and segs[2] == [ZH[3], EN[4]] and segs[3] == [ZH[5], "The last one. Really."]


# --------------------------------------------------------------------------- TMX options

def test_tmx_creationid_props_and_min_score(tmp_path, alignment):
    path = write_tmx(alignment, tmp_path / "a.tmx", min_score=0.5, creationid="Li Wei")
    root = ET.parse(path).getroot()
    header = root.find("header")
    assert header.get("creationid") == "Li Wei"
    assert {p.get("type"): p.text for p in header.findall("prop")} == {
        "x-source-file": "doc.zh.txt", "x-target-file": "doc.en.docx", "x-document": "doc"}
    tus = root.findall("./body/tu")
    assert len(tus) == 2 and all(tu.get("creationid") == "Li Wei" for tu in tus)
    assert [p.text for p in tus[0].findall("prop") if p.get("type") == "x-document"] == ["doc"]
    assert alignment.stats["tmx"][str(path)] == {"units": 2, "below_min_score": 2, "min_score": 0.5}


@pytest.mark.parametrize("code, canonical", [("zh_cn", "zh-CN"), ("zh-hans", "zh-Hans"), ("ZH-HANT-TW", "zh-Hant-TW"),
                                             ("en-gb", "en-GB"), ("en", "en"), ("es-419", "es-419")])
def test_canonical_xml_lang(code, canonical):
    assert canonical_xml_lang(code) == canonical


@pytest.mark.parametrize("code", ["", "chinese simplified", "zh-", "z", "en-GBR-x"])
def test_bad_xml_lang(code):
    with pytest.raises(InputError, match="not a language code"):
        canonical_xml_lang(code)


def test_xml_lang_used_in_tmx(tmp_path, alignment):
    [path] = write_alignment(alignment, tmp_path / "a.tmx", src_xml_lang="zh-hans", tgt_xml_lang="en_gb")
    root = ET.parse(path).getroot()
    assert root.find("header").get("srclang") == "zh-Hans"
    assert [t.get(f"{XML_NS}lang") for t in root.find("./body/tu").findall("tuv")] == ["zh-Hans", "en-GB"]


# --------------------------------------------------------------------------- the CLI

def run(*args, timeout=120):
    return subprocess.run([sys.executable, "-m", "aligner.cli", *map(str, args)], capture_output=True, text=True,
                          timeout=timeout)


def test_review_command(tmp_path, alignment):
    write_jsonl(alignment, tmp_path / "a.jsonl")
    proc = run("review", tmp_path / "a.jsonl", "-o", tmp_path / "r.html", "-o", tmp_path / "r.tmx",
               "--min-score", "0.5", "--creation-id", "me")
    assert proc.returncode == 0, proc.stderr
    assert "r.tmx  (2 units, 2 below --min-score 0.5 left out)" in proc.stderr
    data = embedded((tmp_path / "r.html").read_text("utf-8"))
    assert [b[:2] for b in data["beads"]] == [[list(b.src), list(b.tgt)] for b in alignment.beads]
    assert data["meta"]["creationid"] == "me"


def test_review_command_errors(tmp_path, alignment):
    write_jsonl(alignment, tmp_path / "a.jsonl")
    proc = run("review", tmp_path / "a.jsonl", "-o", tmp_path / "a.jsonl")
    assert proc.returncode == 1 and "overwrite the input" in proc.stderr
    proc = run("review", tmp_path / "missing.jsonl", "-o", tmp_path / "r.html")
    assert proc.returncode == 1 and "no such file" in proc.stderr
    proc = run("review", tmp_path / "a.jsonl", "-o", tmp_path / "r.pdf")
    assert proc.returncode == 1 and "cannot tell the output format" in proc.stderr
    proc = run("review", tmp_path / "a.jsonl", "-o", tmp_path / "r.tmx", "--src-xml-lang", "simplified")
    assert proc.returncode == 1 and "not a language code" in proc.stderr
    assert not (tmp_path / "r.tmx").exists()


# --------------------------------------------------------------------------- SRX

SRX = """<?xml version="1.0"?>
<srx xmlns="http://www.lisa.org/srx20" version="2.0"><header cascade="{cascade}"/><body>
<languagerules>
 <languagerule languagerulename="EnAbbr"><rule break="no"><beforebreak>\\bDr\\.</beforebreak><afterbreak>\\s</afterbreak></rule></languagerule>
 <languagerule languagerulename="Default"><rule break="yes"><beforebreak>[.!?]</beforebreak><afterbreak>\\s</afterbreak></rule></languagerule>
</languagerules>
<maprules><languagemap languagepattern="EN.*" languagerulename="EnAbbr"/><languagemap languagepattern=".*" languagerulename="Default"/></maprules>
</body></srx>"""


@pytest.mark.parametrize("cascade, expected", [
    ("yes", ["Dr. Li came.", "He sat."]),  # English no-break rule first, then the default break rule
    ("no", ["Dr. Li came. He sat."]),  # only the first map's rules: nothing breaks
])
def test_srx_rules_order_and_cascade(tmp_path, cascade, expected):
    (tmp_path / "r.srx").write_text(SRX.format(cascade=cascade), "utf-8")
    rules = load_srx(tmp_path / "r.srx")
    text = "Dr. Li came. He sat."
    assert [text[a:b] for a, b in rules.split(text, "en")] == expected
    assert [text[a:b] for a, b in rules.split(text, "fr")] == ["Dr.", "Li came.", "He sat."]


def test_default_srx_rules():
    rules = load_srx()
    zh = "他说：“走吧！”我们就走了。真的吗？是的"
    assert [zh[a:b] for a, b in rules.split(zh, "zh")] == ["他说：“走吧！”", "我们就走了。", "真的吗？", "是的"]
    en = 'Mr. Smith met Dr. J. Watson at 5 p.m. in the U.S. embassy. "Why?" he asked. It was late.'
    assert [en[a:b] for a, b in rules.split(en, "en")] == [
        "Mr. Smith met Dr. J. Watson at 5 p.m. in the U.S. embassy.", '"Why?" he asked.', "It was late."]
    sents = rules.sentences("第一段。第二句。\n\n第二段。", "zh")
    assert [(s.text, s.para) for s in sents] == [("第一段。", 0), ("第二句。", 0), ("第二段。", 1)]


@pytest.mark.parametrize("content, message", [("<srx", "not an SRX file"), ("<root/>", "root element"),
                                              ("<srx><body/></srx>", "no language rules")])
def test_bad_srx(tmp_path, content, message):
    (tmp_path / "b.srx").write_text(content)
    with pytest.raises(InputError, match=message):
        load_srx(tmp_path / "b.srx")


def test_align_with_srx(tmp_path):
    """`--srx` cuts the sentences by the rules: the English side of the example gets the rules' 104 segments
    (our own splitter makes 100), and the TMX units are unions of them."""
    examples = Path(__file__).resolve().parents[1] / "examples"
    srx = Path(__file__).resolve().parents[1] / "aligner" / "segment" / "srx_rules" / "aligner-basic.srx"
    proc = run("align", examples / "un-letter.zh.txt", examples / "un-letter.en.txt", "--srx", srx,
               "-o", tmp_path / "a.html", "-q", timeout=600)
    assert proc.returncode == 0, proc.stderr
    rules = load_srx(srx)
    expected = [s.text for s in rules.sentences((examples / "un-letter.en.txt").read_text("utf-8"), "en")]
    data = embedded((tmp_path / "a.html").read_text("utf-8"))
    assert data["tgt"] == expected and len(expected) == 104
    assert sorted(j for b in data["beads"] for j in b[1]) == list(range(len(expected)))
