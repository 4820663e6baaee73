"""Reflow stage: layout-wrapped PDF text -> paragraphs, furniture, notes, markers."""
from __future__ import annotations

from pathlib import Path

import pytest

from aligner.segment import reflow, render_reflow, segment
from aligner.segment.layout import hard_breaks, looks_wrapped

DATA = Path(__file__).parent / "data" / "segment"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
UN_ZH = SHARED / "un" / "000_dac56ef26cf31a19.zh.txt"
UN_EN = SHARED / "un" / "453500.en.txt"

EN_DOC = """\
United Nations A/76/123
General Assembly Distr.: General
3 March 2021
Original: English
21-03123 (E) 040321
*2103123*
Seventy-sixth session
Item 12 of the provisional agenda
Letter dated 1 March 2021 from the Permanent Representative
1. The Committee considered the report of the Secretary-General on inter-
national cooperation in the field of self-
determination and noted the views of Member States.1 It requested the
Secretariat to prepare a follow-up report, taking into account the re-
sponses received from Governments.
2. The Committee also recommended:
(a) That States continue to cooperate with the Office of the United
Nations High Commissioner for Human Rights;
(b) That the report be made available in all official languages.
__________________
1 See A/75/456, para. 12. The views were submitted in writing and are
available on the website of the Office.
A/76/123
2/3 21-03123
3. The Committee decided to keep the matter under review at its next
session.
"""


def kinds_texts(res):
    return [(b.kind, b.text) for b in res.blocks]


def test_en_pdf_like_reflow():
    res = reflow(EN_DOC, "en")
    assert res.reflowed
    assert kinds_texts(res) == [
        ("furniture", "United Nations A/76/123"),
        ("furniture", "General Assembly Distr.: General"),
        ("furniture", "3 March 2021"),
        ("furniture", "Original: English"),
        ("furniture", "21-03123 (E) 040321"),
        ("furniture", "*2103123*"),
        ("heading", "Seventy-sixth session"),
        ("heading", "Item 12 of the provisional agenda"),
        ("heading", "Letter dated 1 March 2021 from the Permanent Representative"),
        ("list", "1. The Committee considered the report of the Secretary-General on international cooperation "
                 "in the field of self-determination and noted the views of Member States. It requested the "
                 "Secretariat to prepare a follow-up report, taking into account the responses received from "
                 "Governments."),
        ("list", "2. The Committee also recommended:"),
        ("list", "(a) That States continue to cooperate with the Office of the United Nations High Commissioner "
                 "for Human Rights;"),
        ("list", "(b) That the report be made available in all official languages."),
        ("furniture", "__________________"),
        ("note", "See A/75/456, para. 12. The views were submitted in writing and are available on the website "
                 "of the Office."),
        ("furniture", "A/76/123"),
        ("furniture", "2/3 21-03123"),
        ("list", "3. The Committee decided to keep the matter under review at its next session."),
    ]
    note = res.blocks[14]
    assert note.number == "1"
    # removed characters are accounted for: two hyphens, the footnote marker, the note number
    assert sorted(s for _, s in res.removed) == ["-", "-", "1", "1"]
    for off, s in res.removed:
        assert EN_DOC[off:off + len(s)] == s


def test_en_segment_excludes_furniture_and_notes_and_keeps_spans():
    sents = segment(EN_DOC, "en")
    assert [s.text for s in sents][3:5] == [
        "1. The Committee considered the report of the Secretary-General on international cooperation in the "
        "field of self-determination and noted the views of Member States.",
        "It requested the Secretariat to prepare a follow-up report, taking into account the responses received "
        "from Governments.",
    ]
    assert all(s.kind not in ("furniture", "note") for s in sents)
    assert [s.index for s in sents] == list(range(len(sents)))
    for s in sents:
        raw = EN_DOC[s.start:s.end]
        assert raw[0] == s.text[0] and raw[-1] == s.text[-1]
    last = sents[-1]
    assert last.text == "3. The Committee decided to keep the matter under review at its next session."
    full = segment(EN_DOC, "en", keep_notes=True)
    assert {s.kind for s in full} >= {"furniture", "note", "heading", "list"}
    assert [s.text for s in full if s.kind == "note"] == [
        "See A/75/456, para. 12.", "The views were submitted in writing and are available on the website of the Office."]
    # para ids are the same with and without notes
    assert [(s.para, s.text) for s in full if s.kind not in ("furniture", "note")] == [(s.para, s.text) for s in sents]


def test_plain_text_passes_through_unchanged():
    text = "First paragraph, one line. It has two sentences.\n\nSecond paragraph here.\n\nThird one.\n"
    for force in (None, True, False):
        res = reflow(text, "en", force=force)
        assert [b.text for b in res.blocks] == [
            "First paragraph, one line. It has two sentences.", "Second paragraph here.", "Third one."], force
        assert all(b.kind in ("text", "heading") for b in res.blocks)
    assert not looks_wrapped(text, "en")
    zh = "第一段。第二句。\n\n第二段。\n\n第三段！\n"
    assert [b.text for b in reflow(zh, "zh").blocks] == ["第一段。第二句。", "第二段。", "第三段！"]
    # one paragraph per line, no blank lines: each line is a paragraph
    lines = "他来了。\n她走了。\n我们都在。\n"
    assert [b.text for b in reflow(lines, "zh").blocks] == ["他来了。", "她走了。", "我们都在。"]


def test_zh_double_spaced_wrapping_and_markers():
    text = (" 大  会  安全理事会 \n\n"
            " 这是第一段的第一行文字，它被排版在页面宽度处截断了，所以下一行继续写\n\n"
            "完这一句话。这一段还有第二句话，它在这里结束了。1 \n\n"
            " 第二段从这里开始，也同样很长很长，一直写到页面的边缘为止然后换到下\n\n"
            "一行。2 \n\n"
            "__________________ \n\n"
            " 1 第一个脚注的正文。\n\n"
            " 2 第二个脚注的正文，比较长一些。\n")
    res = reflow(text, "zh")
    assert res.double_spaced and res.reflowed
    assert kinds_texts(res) == [
        ("furniture", "大  会  安全理事会"),
        ("text", "这是第一段的第一行文字，它被排版在页面宽度处截断了，所以下一行继续写完这一句话。这一段还有第二句话，它在这里结束了。"),
        ("text", "第二段从这里开始，也同样很长很长，一直写到页面的边缘为止然后换到下一行。"),
        ("furniture", "__________________"),
        ("note", "第一个脚注的正文。"),
        ("note", "第二个脚注的正文，比较长一些。"),
    ]
    assert [s for _, s in res.markers] == ["1", "2", "1", "2"]
    out = render_reflow(res)
    assert out.split("\n\n")[0].startswith("这是第一段")
    assert "[note] 第一个脚注的正文。" in render_reflow(res, keep_notes=True)


def test_dehyphenation_rules():
    text = ("The delegation stressed the importance of inter-\nnational cooperation and of the right to self-\n"
            "determination of peoples, as the Secretary-\nGeneral had noted in the report of the twenty-\n"
            "fourth session, and it called for a multi-\nlateral approach to the well-\nbeing of all.\n")
    res = reflow(text, "en", force=True)
    assert [b.text for b in res.blocks] == [
        "The delegation stressed the importance of international cooperation and of the right to "
        "self-determination of peoples, as the Secretary-General had noted in the report of the twenty-fourth "
        "session, and it called for a multilateral approach to the well-being of all."]


def test_bullets_and_numbered_chinese_items():
    text = ("在这方面，必须包括以下基本要素，并且这些要素应当在谈判中予以充分考虑：\n"
            "• 第一项要素，内容较长，需要换行才能写完，这里继续写一些文字直到\n"
            "行末；\n"
            "• 第二项要素。\n"
            "一、总则\n"
            "（一）适用范围。\n")
    res = reflow(text, "zh", force=True)
    assert kinds_texts(res) == [
        ("text", "在这方面，必须包括以下基本要素，并且这些要素应当在谈判中予以充分考虑："),
        ("list", "• 第一项要素，内容较长，需要换行才能写完，这里继续写一些文字直到行末；"),
        ("list", "• 第二项要素。"),
        ("list", "一、总则"),
        ("list", "（一）适用范围。"),
    ]


def test_hard_breaks_simple():
    text = "A heading\nThe body line one that is rather long and wraps at the page width of the\ndocument to the next line.\nShort line."
    assert hard_breaks(text, "en") == [True, False, True]


# ------------------------------------------------------------------ the real UN documents (../shared)

def _read_tsv(name):
    rows = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line:
            continue
        rows.append(line.split("\t"))
    return rows


@pytest.mark.skipif(not UN_ZH.exists(), reason="../shared/data not available")
def test_un_zh_letter_reflow_matches_hand_written():
    text = UN_ZH.read_text(encoding="utf-8")
    expected = _read_tsv("un_dac56ef26cf31a19.zh.reflow.tsv")
    got = [[b.kind, b.text] for b in reflow(text, "zh").blocks]
    assert got == expected


@pytest.mark.skipif(not UN_ZH.exists(), reason="../shared/data not available")
def test_un_zh_letter_sentences_match_hand_written():
    text = UN_ZH.read_text(encoding="utf-8")
    expected = _read_tsv("un_dac56ef26cf31a19.zh.sentences.tsv")
    sents = segment(text, "zh", keep_notes=True)
    assert [[str(s.para), s.kind, s.text] for s in sents] == expected
    # without notes: furniture and notes are gone, the rest is identical
    plain = segment(text, "zh")
    assert [s.text for s in plain] == [r[2] for r in expected if r[1] not in ("furniture", "note")]
    # footnote markers 1..13 were taken out of the running text, in order
    res = reflow(text, "zh")
    body_markers = [s for b in res.blocks if b.kind not in ("note",) for _, s in b.removed]
    assert body_markers == [str(i) for i in range(1, 14)]
    for s in sents:
        raw = text[s.start:s.end]
        assert raw[0] == s.text[0] and raw[-1] == s.text[-1]


@pytest.mark.skipif(not UN_EN.exists(), reason="../shared/data not available")
def test_un_en_resolution():
    text = UN_EN.read_text(encoding="utf-8")
    res = reflow(text, "en")
    kinds = [b.kind for b in res.blocks]
    assert kinds[:5] == ["furniture"] * 5
    # the agenda item's title is wrapped over three lines ("…, including / alternative approaches… / of human
    # rights…"): one heading, not three
    assert [(b.kind, b.text) for b in res.blocks[5:11]] == [
        ("heading", "Fifty-sixth session"), ("heading", "Third Committee"), ("heading", "Agenda item 119 (b)"),
        ("heading", "Human rights questions: human rights questions, including alternative approaches for improving "
                    "the effective enjoyment of human rights and fundamental freedoms"),
        ("heading", "South Africa:* draft resolution"), ("heading", "The right to development")]
    texts = [b.text for b in res.blocks]
    assert "The General Assembly," in texts
    preamble = [t for t in texts if t.startswith(("Recalling", "Welcoming", "Underlining", "Taking note", "Noting"))]
    assert len(preamble) == 13
    numbered = [b.text for b in res.blocks if b.kind == "list" and b.text[0].isdigit()]
    assert [t.split(".")[0] for t in numbered] == [str(i) for i in range(1, 26)]
    assert sum(1 for t in texts if t.startswith("(")) == 10
    assert texts[-1] == ("25. Decides to continue consideration of the issue of the right to development, as a "
                         "matter of priority, at its fifty-seventh session.")
    # markers: ,1 ,2 ”,3 Declaration4 ,5 ,6 Declaration7 development8 ,9 ,8 ,1 ,9
    assert [s for _, s in res.markers] == ["1", "2", "3", "4", "5", "6", "7", "8", "9", "8", "1", "9"]
    one = next(t for t in texts if t.startswith("1. Welcomes"))
    assert "Right to Development, and emphasizes the need to continue deliberations" in one
    assert "non-discriminatory multilateral" in " ".join(texts)


def test_forced_reflow_keeps_long_unwrapped_paragraph_lines():
    paras = [("Sentence number %d of a long paragraph that is kept on a single line. " % i) * 5 for i in range(6)]
    paras = [p.strip() for p in paras]
    for sep in ("\n", "\n\n"):
        doc = sep.join(paras)
        for force in (None, True, False):
            assert [b.text for b in reflow(doc, "en", force=force).blocks] == paras, (sep, force)


def test_double_spaced_english_gives_the_same_blocks():
    single = [(b.kind, b.text) for b in reflow(EN_DOC, "en").blocks]
    double = reflow("\n\n".join(EN_DOC.split("\n")), "en")
    assert double.double_spaced
    assert [(b.kind, b.text) for b in double.blocks] == single
