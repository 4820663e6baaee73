"""Tests for aligner.segment: sentence splitting, paragraphs, spans."""
from __future__ import annotations

import pytest

from aligner.errors import InputError
from aligner.segment import pre_split, secondary_splits, segment, split_sentences


def texts(text, lang):
    return [text[s:e] for s, e in split_sentences(text, lang)]


def test_zh_basic_terminators_and_closers():
    t = "他来了。她走了！你呢？“好啊。”他说：“走吧！”然后……大家都笑了。"
    assert texts(t, "zh") == ["他来了。", "她走了！", "你呢？", "“好啊。”", "他说：“走吧！”", "然后……大家都笑了。"]


def test_zh_quote_internal_split_and_semicolon_kept():
    t = "他说：“我来了。你们好吗？”大家笑了。甲方负责；乙方配合。"
    assert texts(t, "zh") == ["他说：“我来了。", "你们好吗？”", "大家笑了。", "甲方负责；乙方配合。"]


def test_zh_no_split_inside_book_title_or_parens():
    t = "他读了《再见。再见！》这本书。会议(见附件。)已经结束。"
    assert texts(t, "zh") == ["他读了《再见。再见！》这本书。", "会议(见附件。)已经结束。"]


def test_zh_ellipsis_stutter_not_split():
    t = "我……我头痛得很。他一直走着走着……天终于亮了。"
    assert texts(t, "zh") == ["我……我头痛得很。", "他一直走着走着……", "天终于亮了。"]


def test_en_abbreviations_initials_decimals():
    t = ("Mr. Smith paid $3.50 to Dr. J. K. Rowling at 5 p.m. on Monday. The U.S. delegation agreed, "
         "e.g. on Art. 5 and para. 3. See No. 12 for details. It rose by 2.5 per cent. Then it fell.")
    assert texts(t, "en") == [
        "Mr. Smith paid $3.50 to Dr. J. K. Rowling at 5 p.m. on Monday.",
        "The U.S. delegation agreed, e.g. on Art. 5 and para. 3.",
        "See No. 12 for details.",
        "It rose by 2.5 per cent.",
        "Then it fell.",
    ]


def test_en_quotes_and_ellipsis():
    t = "'Why fight a dummy!' he cried. 'Why not try me?' The other boy laughed. I... I've no idea... Well. \"Go.\" She went."
    assert texts(t, "en") == [
        "'Why fight a dummy!' he cried.", "'Why not try me?'", "The other boy laughed.",
        "I... I've no idea...", "Well.", "\"Go.\"", "She went.",
    ]


def test_en_list_numbering_not_split():
    assert texts("1. Welcomes the report. 2. Decides to continue.", "en") == [
        "1. Welcomes the report.", "2. Decides to continue."]
    assert texts("(a) Debt burden; (b) Trade.", "en") == ["(a) Debt burden; (b) Trade."]


def test_segment_paragraphs_and_spans():
    text = "第一段。第二句！\n\n第二段的话。\n"
    sents = segment(text, "zh")
    assert [(s.text, s.index, s.para) for s in sents] == [("第一段。", 0, 0), ("第二句！", 1, 0), ("第二段的话。", 2, 1)]
    for s in sents:
        assert text[s.start:s.end] == s.text


def test_segment_en_spans():
    text = "  Hello world. This is it.\n\nNew paragraph here.  "
    sents = segment(text, "en")
    assert [s.text for s in sents] == ["Hello world.", "This is it.", "New paragraph here."]
    assert [s.para for s in sents] == [0, 0, 1]
    assert all(text[s.start:s.end] == s.text for s in sents)


def test_pre_split():
    text = "  one line  \nsecond\n\n \nthird\n"
    ss = pre_split(text)
    assert [(s.text, s.para, text[s.start:s.end]) for s in ss] == [
        ("one line", 0, "one line"), ("second", 0, "second"), ("third", 1, "third")]
    assert [s.index for s in ss] == [0, 1, 2]


def test_bad_lang_and_empty():
    with pytest.raises(InputError):
        segment("abc", "fr")
    assert segment("", "zh") == []
    assert segment("   \n\n ", "en") == []
    assert pre_split("") == []


def test_secondary_splits():
    s = "甲方负责全部的设计工作和施工组织工作以及后续的维护工作；乙方负责提供资金和场地以及必要的人员配合和后勤保障；丙方负责监督。"
    offs = secondary_splits(s, "zh")
    assert [s[o - 1] for o in offs] == ["；", "；"]
    assert secondary_splits("短句。", "zh") == []


def test_en_interrupted_quotation_followed_by_next_speaker():
    t = "'You'd have had me, though—' 'Is that right?' protested Trinket. \"Wait—\" she said."
    assert texts(t, "en") == ["'You'd have had me, though—'", "'Is that right?' protested Trinket.",
                              "\"Wait—\" she said."]


def test_zh_dash_quote_turns_and_full_sentence_in_brackets():
    # a quotation broken off with a dash ends the sentence, before a new quotation or before narration
    assert texts("门外有人喊：“开门——开门——”“快点——快点——”院子里的狗叫了起来。", "zh") == [
        "门外有人喊：“开门——开门——”", "“快点——快点——”", "院子里的狗叫了起来。"]
    assert texts("她问道：“你为什么——”说到这里，她停住了。", "zh") == ["她问道：“你为什么——”", "说到这里，她停住了。"]
    # ... but not before punctuation, nor inside brackets
    assert texts("“我——”，他说。", "zh") == ["“我——”，他说。"]
    assert texts("（他喊“等等——”然后走了。）", "zh") == ["（他喊“等等——”然后走了。）"]
    assert texts("（这是括号里的一句话。）下一句。", "zh") == ["（这是括号里的一句话。）", "下一句。"]


def test_secondary_splits_commas_and_english():
    s = "在这方面，解决阿塞拜疆-卡拉巴赫冲突必须包括以下基本要素，他们说了很多很多的话，而且一直在说，并且以后还会继续说下去，直到天亮为止，大家都累了为止。"
    offs = secondary_splits(s, "zh")
    assert offs == [29, 59] and all(s[o - 1] == "，" for o in offs)
    en = ("The Committee recommended that States continue to cooperate with the Office of the High Commissioner; "
          "that the report be made available in all official languages; and that the matter be kept under "
          "review at its next session, in the light of the views expressed.")
    assert [en[o - 1] for o in secondary_splits(en, "en")] == [";", ";"]
