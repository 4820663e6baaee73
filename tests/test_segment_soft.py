"""Soft split points (aligner.segment.soft), the post-pass that keeps or merges them (aligner.align.soft_merge),
and the English/Chinese sentence-end rules that came with them."""
from __future__ import annotations

from aligner.align.pipeline import RawBead
from aligner.align.soft_merge import KEEP_MIN_CONFIDENCE, merge_soft, rejoin_alignment
from aligner.model import Bead, Sentence
from aligner.segment import segment, split_sentences
from aligner.segment.soft import SOFT_KINDS, soft_points, split_soft


def cut(text, lang, **kw):
    offs = soft_points(text, lang, **kw)
    return [text[a:b].strip() for a, b in zip([0] + offs, offs + [len(text)])]


# ---------------------------------------------------------------------------------------------- soft points

def test_zh_colon_before_new_unit_is_soft():
    assert cut("他在日记里写下了那天看到的一切：大雨从早上一直下到深夜。", "zh") == [
        "他在日记里写下了那天看到的一切：", "大雨从早上一直下到深夜。"]


def test_zh_colon_introducing_speech_is_not_soft():
    assert cut("老王看了看窗外的大雨，对他说：“我们今天不去了。”", "zh") == [
        "老王看了看窗外的大雨，对他说：“我们今天不去了。”"]        # before a quotation
    assert cut("老王看了看窗外的大雨，对他说：我们今天不去了。", "zh") == [
        "老王看了看窗外的大雨，对他说：我们今天不去了。"]            # after a verb of saying
    assert cut("那个消息你还没听说呢：工厂明年就要搬走了。", "zh") == [
        "那个消息你还没听说呢：工厂明年就要搬走了。"]              # after a spoken particle


def test_zh_soft_points_not_in_numbers_brackets_quotes_or_tiny_pieces():
    assert soft_points("火车在早上八点出发，到站的时间是下午3：45。", "zh") == []
    assert soft_points("会议通过了决议（内容如下：各方应当停火并且撤军）并且散会了。", "zh") == []
    assert soft_points("他说“事情是这样的：我们都错了，大家都错了”然后走了。", "zh") == []
    assert soft_points("原因：他病了，今天不能来上班了。", "zh") == []      # "原因：" is shorter than MIN_PIECE


def test_zh_quotation_opened_in_an_earlier_sentence_hides_its_colons():
    sents = [Sentence("他笑着说：“你先坐下来。", 0, 0, 0, 12), Sentence("工厂里的分工一向是这样的：老人看门。", 1, 0, 12, 30),
             Sentence("”他站起来走了出去，外面的情形是这样：雨停了，天晴了。", 2, 0, 30, 57)]
    pieces, soft = split_soft(sents, "zh")
    assert [p.text for p in pieces] == ["他笑着说：“你先坐下来。", "工厂里的分工一向是这样的：老人看门。",
                                       "”他站起来走了出去，外面的情形是这样：", "雨停了，天晴了。"]
    assert soft == [False, False, True, False]


def test_stray_quotation_mark_is_forgotten_after_a_while():
    from aligner.segment.soft import QUOTE_CARRY_MAX
    sents = [Sentence("他在门上写了一个“大字。", 0)] + [Sentence("天黑了。", k) for k in range(1, QUOTE_CARRY_MAX + 1)]
    sents.append(Sentence("外面的情形是这样的：雨停了，天晴了。", len(sents)))
    _, soft = split_soft(sents, "zh")
    assert soft[-2:] == [True, False]
    _, soft = split_soft(sents[:5] + sents[-1:], "zh")
    assert not any(soft)


def test_zh_clause_final_dash_is_soft_but_not_before_punctuation_or_quotes():
    assert cut("她把窗户推开了一条缝——冷风立刻灌了进来。", "zh") == ["她把窗户推开了一条缝——", "冷风立刻灌了进来。"]
    assert soft_points("她把窗户推开了一条缝——，冷风立刻灌了进来。", "zh") == []
    assert soft_points("她把窗户推开了一条缝——“冷风立刻灌了进来。”", "zh") == []


def test_zh_pair_of_dashes_enclosing_an_aside_keeps_its_opening_dash():
    t = "那时候他是这一行里的佼佼者——我爷爷辈的好汉们都有高粱般鲜明的性格，非我们能比——当时的规矩是这样定下的。"
    assert cut(t, "zh") == ["那时候他是这一行里的佼佼者", "——我爷爷辈的好汉们都有高粱般鲜明的性格，非我们能比——",
                            "当时的规矩是这样定下的。"]
    # three dashes are a chain of broken-off clauses, not an aside: each cut stays after its dash
    t = "他喊了一声快跑啊——大家都愣住了——然后又喊了一声快跑啊——所有的人这才跑了起来。"
    assert cut(t, "zh") == ["他喊了一声快跑啊——", "大家都愣住了——", "然后又喊了一声快跑啊——", "所有的人这才跑了起来。"]


def test_zh_aside_cut_moved_before_its_dash_keeps_min_piece_after_an_earlier_cut():
    """Moving the aside's cut before its opening dash must not leave a piece under MIN_PIECE after an earlier soft
    point (a colon): "甲乙丙丁——" passes with its dash (6), "甲乙丙丁" alone does not (4): the cut stays after the dash."""
    from aligner.segment.soft import MIN_PIECE
    t = "总体规则如下：甲乙丙丁——我爷爷辈的好汉们谁能比——当时的规矩就是这样定下来的。"
    pieces = cut(t, "zh")
    assert "".join(pieces) == t
    assert all(len(p.strip()) >= MIN_PIECE["zh"] for p in pieces), pieces
    assert pieces == ["总体规则如下：", "甲乙丙丁——", "我爷爷辈的好汉们谁能比——", "当时的规矩就是这样定下来的。"]
    # with room before the dash the aside keeps its opening dash, as without the colon
    t = "总体规则如下：甲乙丙丁戊己庚——我爷爷辈的好汉们谁能比——当时的规矩就是这样定下来的。"
    assert cut(t, "zh") == ["总体规则如下：", "甲乙丙丁戊己庚", "——我爷爷辈的好汉们谁能比——", "当时的规矩就是这样定下来的。"]


def test_colon_opening_an_enumeration_is_not_soft():
    assert soft_points("省政府的组织法应当包括下列各项：一 省设省议会，议员由省民选举。", "zh") == []
    assert soft_points("省政府的组织法应当包括下列各项：（一）省设省议会，议员由省民选举。", "zh") == []
    assert soft_points("The regulations shall include the following: 1. There shall be a council.", "en") == []
    assert soft_points("The regulations shall include the following: A. There shall be a council.", "en") == []


def test_zh_semicolon_offered_only_on_request():
    t = "甲方负责提供全部的场地；乙方负责提供全部的设备。"
    assert soft_points(t, "zh") == []
    assert cut(t, "zh", kinds={"semicolon"}) == ["甲方负责提供全部的场地；", "乙方负责提供全部的设备。"]


def test_en_soft_points():
    assert cut("Now I can tell you what we found there: The bridge had gone.", "en") == [
        "Now I can tell you what we found there:", "The bridge had gone."]
    assert cut("We waited for an hour at the station – Nobody came.", "en") == [
        "We waited for an hour at the station –", "Nobody came."]
    assert soft_points("What we saw was simple: the bridge had gone overnight.", "en") == []   # lower case
    assert soft_points("And then he shouted: 'Stop! Do you hear me?'", "en") == []               # a quotation
    assert soft_points("The train leaves at 8:21 Monday morning from here.", "en") == []
    assert soft_points("She bought apples; He bought pears and plums.", "en") == []               # semicolon


def test_sentence_end_inside_brackets_is_soft():
    # a bracketed aside of two sentences: the first one's end is a soft point, the aside's own end is not
    assert cut("谁也不会将其与这件事联系起来（由此想到，以前的每一次灾难是否都是这样的尽头？都有一个人要负最终的责任）；"
               "也许是全世界的毁灭。", "zh") == [
        "谁也不会将其与这件事联系起来（由此想到，以前的每一次灾难是否都是这样的尽头？",
        "都有一个人要负最终的责任）；也许是全世界的毁灭。"]
    en = "He left the house at once (it was raining hard. Nobody followed him.) and went home."
    assert cut(en, "en", kinds={"bracket"}) == [
        "He left the house at once (it was raining hard.", "Nobody followed him.) and went home."]
    assert soft_points(en, "en") == []          # English brackets: only on request (BRACKET_LANGS)
    assert soft_points("他又去了那个地方（那一年他才十九岁。）后来再也没有回去过。", "zh") == []   # at the aside's end
    assert soft_points("他想起了那句话（“你先回去吧。我明天再来。”她说完就走了）然后离开了。", "zh") == []  # quoted
    assert soft_points("这是一个问题（谁？）然后我们继续讨论下去。", "zh") == []                # pieces too short
    assert soft_points("He left the house (it was raining hard. nobody followed) and went home.", "en",
                       kinds={"bracket"}) == []
    assert "bracket" in SOFT_KINDS


def test_split_soft_spans_point_into_the_text():
    text = "他在日记里写下了那天看到的一切：大雨从早上一直下到深夜。第二天早上，天终于晴了。"
    sents = segment(text, "zh")
    pieces, soft = split_soft(sents, "zh")
    assert soft == [True, False, False]
    assert all(text[p.start:p.end] == p.text for p in pieces)
    assert [p.para for p in pieces] == [sents[0].para] * 2 + [sents[1].para]


# ---------------------------------------------------------------------------------------------- the post-pass

def test_soft_boundary_kept_only_against_a_real_one():
    # source pieces 0|1 soft (one sentence), target sentences 0|1 real: the split is kept
    raw = [RawBead(0, 1, 0, 1, 5.0), RawBead(1, 2, 1, 2, 5.0)]
    out, stats = merge_soft(raw, [True, False], [False, False], [0.95, 0.95])
    assert [(b.i0, b.i1, b.j0, b.j1) for b in out] == [(0, 1, 0, 1), (1, 2, 1, 2)] and stats["soft_kept"] == 1
    # ... not against a soft one of the target side
    out, stats = merge_soft(raw, [True, False], [True, False], [0.95, 0.95])
    assert [(b.i0, b.i1, b.j0, b.j1) for b in out] == [(0, 2, 0, 2)] and stats["beads_merged"] == 1
    # ... not when the scorer doubts either bead; the merged bead's logit is its weakest part's
    raw = [RawBead(0, 1, 0, 1, 5.0), RawBead(1, 2, 1, 2, -1.0)]
    out, _ = merge_soft(raw, [True, False], [False, False], [0.95, KEEP_MIN_CONFIDENCE - 0.01])
    assert [(b.i0, b.i1, b.j0, b.j1, b.logit) for b in out] == [(0, 2, 0, 2, -1.0)]
    out, _ = merge_soft(raw, [True, False], [False, False], [0.95, KEEP_MIN_CONFIDENCE])
    assert len(out) == 2


def test_soft_piece_left_alone_is_merged_into_its_sentence():
    # source piece 1 is a 1-0 bead after a soft point: it goes back to bead 0
    raw = [RawBead(0, 1, 0, 1, 5.0), RawBead(1, 2, 1, 1, -2.0), RawBead(2, 3, 1, 2, 5.0)]
    out, _ = merge_soft(raw, [True, False, False], [False, False], [0.95, 0.3, 0.95])
    assert [(b.i0, b.i1, b.j0, b.j1) for b in out] == [(0, 2, 0, 1), (2, 3, 1, 2)]
    # a 0-1 bead between the two pieces of one source sentence: all three merge
    raw = [RawBead(0, 1, 0, 1, 5.0), RawBead(1, 1, 1, 2, -2.0), RawBead(1, 2, 2, 3, 5.0)]
    out, _ = merge_soft(raw, [True, False], [False, False, False], [0.95, 0.3, 0.95])
    assert [(b.i0, b.i1, b.j0, b.j1) for b in out] == [(0, 2, 0, 3)]


def test_rejoin_restores_sentences_and_keeps_split_ones():
    whole = [Sentence("甲说完了：乙就走了。", 0, 0, 0, 10), Sentence("丙来了。", 1, 0, 10, 14)]
    pieces = [Sentence("甲说完了：", 0, 0, 0, 5), Sentence("乙就走了。", 1, 0, 5, 10), Sentence("丙来了。", 2, 0, 10, 14)]
    T = [Sentence("A finished.", 0), Sentence("B left.", 1), Sentence("C came.", 2)]
    soft = [True, False, False]
    # pieces 0 and 1 in one bead: one sentence again, with the whole sentence's text and span
    beads = [Bead((0, 1), (0, 1)), Bead((2,), (2,))]
    S2, T2, b2, own_s, _ = rejoin_alignment(pieces, T, beads, soft, [False] * 3, whole, T, "zh", "en")
    assert [s.text for s in S2] == ["甲说完了：乙就走了。", "丙来了。"] and (S2[0].start, S2[0].end) == (0, 10)
    assert [(b.src, b.tgt) for b in b2] == [((0,), (0, 1)), ((1,), (2,))] and own_s == [0, 0, 1]
    assert b2[0].src_text == "甲说完了：乙就走了。" and b2[0].tgt_text == "A finished. B left."
    # a bead boundary at the soft point: two sentences
    beads = [Bead((0,), (0,)), Bead((1,), (1,)), Bead((2,), (2,))]
    S2, _, b2, _, _ = rejoin_alignment(pieces, T, beads, soft, [False] * 3, whole, T, "zh", "en")
    assert [s.text for s in S2] == ["甲说完了：", "乙就走了。", "丙来了。"]
    assert [(b.src, b.tgt) for b in b2] == [((0,), (0,)), ((1,), (1,)), ((2,), (2,))]


# ---------------------------------------------------------------------------------------------- sentence ends

def test_en_pronoun_I_ends_a_sentence_but_initials_do_not():
    def en(t):
        return [t[a:b] for a, b in split_sentences(t, "en")]
    assert en("The others were tired, and so was I. After dinner we slept.") == [
        "The others were tired, and so was I.", "After dinner we slept."]
    assert en("The book by J. K. Rowling sold well. Then I. Smith wrote one.") == [
        "The book by J. K. Rowling sold well.", "Then I. Smith wrote one."]


def test_en_sentence_starting_in_lower_case_after_an_ordinary_word():
    def en(t):
        return [t[a:b] for a, b in split_sentences(t, "en")]
    assert en("He took the chart out of his pocket. short-long-long, that was the first letter.") == [
        "He took the chart out of his pocket.", "short-long-long, that was the first letter."]
    # not after an abbreviation, a short word or an initialism, not before a single letter
    t = "It costs approx. two dollars, esp. the red ones."
    assert en(t) == [t]
    assert en("We met at the dept. meeting and said no. then left.") == [
        "We met at the dept. meeting and said no. then left."]
    t = "They arrived at 5 p.m. and stayed for the night."
    assert en(t) == [t]
    assert en("See the list in section. the copy is enclosed.") == ["See the list in section.", "the copy is enclosed."]
    assert en("He wrote the word store. b was next.") == ["He wrote the word store. b was next."]
    # common clipped words are abbreviations too (found by review3)
    for t in ("See the refs. cited above.", "Ask the admin. staff first.", "Read the intro. section again."):
        assert en(t) == [t]


def test_en_detached_full_stop_and_dash_quote_before_narration():
    def en(t):
        return [t[a:b] for a, b in split_sentences(t, "en")]
    assert en('The sign on the door said "closed" . We went home.') == [
        'The sign on the door said "closed" .', "We went home."]
    assert en("We met Mr . Smith at the door . He smiled.") == ["We met Mr . Smith at the door .", "He smiled."]
    assert en("'Ding-dong – ding-dong –' The children laughed. 'Wait—' she said.") == [
        "'Ding-dong – ding-dong –'", "The children laughed.", "'Wait—' she said."]


# ---------------------------------------------------------------------------------------------- end to end

ZH = ("他在日记里写下了那天看到的一切：大雨从早上一直下到深夜，街上没有一个行人。第二天早上，天终于晴了。"
      "老王对他说：“我们今天去河边钓鱼吧。”他点点头。这件事的原委是这样：早上我到村口的时候，一群人已经在那里等着了。")
EN = ("In his diary he wrote down everything he had seen that day. The rain fell from morning until late at night, "
      "and there was not a single person in the street. The next morning the sky finally cleared. 'Let's go fishing "
      "by the river today,' Lao Wang said to him. He nodded. The story was this: when I got to the edge of the village "
      "in the morning, a crowd of people was already waiting there.")


def test_console_script_keeps_a_soft_point_the_translation_splits_and_joins_the_other(tmp_path):
    import json
    import os
    import subprocess
    import sys

    from conftest import ROOT
    (tmp_path / "a.zh.txt").write_text(ZH, encoding="utf-8")
    (tmp_path / "a.en.txt").write_text(EN, encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "aligner.cli", "align", str(tmp_path / "a.zh.txt"),
                        str(tmp_path / "a.en.txt"), "-o", str(tmp_path / "o.jsonl")], capture_output=True, text=True,
                       env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert r.returncode == 0, r.stderr
    rows = [json.loads(x) for x in (tmp_path / "o.jsonl").read_text(encoding="utf-8").splitlines()]
    pairs = [(x["src_text"], x["tgt_text"]) for x in rows]
    # the colon after 一切 is a bead boundary: the translation ends a sentence there
    assert pairs[0] == ("他在日记里写下了那天看到的一切：", "In his diary he wrote down everything he had seen that day.")
    assert pairs[1][0] == "大雨从早上一直下到深夜，街上没有一个行人。"
    # the colon after 这样 is not (the translation runs on after "this:"), and a speech tag's colon is never cut
    assert pairs[-1][0] == "这件事的原委是这样：早上我到村口的时候，一群人已经在那里等着了。"
    assert ("老王对他说：“我们今天去河边钓鱼吧。”", "'Let's go fishing by the river today,' Lao Wang said to him.") in pairs
    assert [x["src"] for x in rows] == [[k] for k in range(6)]      # sentence ids: the pieces' sentences


def test_library_both_directions_and_switch(usem3_aligner):
    al = usem3_aligner.align(ZH, EN)
    assert [s.text for s in al.src][:2] == ["他在日记里写下了那天看到的一切：", "大雨从早上一直下到深夜，街上没有一个行人。"]
    assert al.stats["soft_points"]["soft_kept"] == 1 and al.stats["soft_points"]["source_sentences_added"] == 1
    back = usem3_aligner.align(EN, ZH, src_lang="en", tgt_lang="zh")
    assert [(b.src_text, b.tgt_text) for b in back.beads] == [(b.tgt_text, b.src_text) for b in al.beads]
    usem3_aligner.soft_split = False
    try:
        off = usem3_aligner.align(ZH, EN)
    finally:
        usem3_aligner.soft_split = True
    assert off.src[0].text.startswith("他在日记里写下了那天看到的一切：大雨") and "soft_points" not in off.stats


BRACKET_ZH = ("他想了很久（以前的每一次大灾难，包括两次世界大战，是否都是一次次倒计时的尽头？都有一个谁都想不到的人要负最终的责任）。"
              "第二天早上，天终于晴了，他走出了家门。她在信里提到了那次旅行（那是十年前的事了。当时她只有十九岁）并且说她还想再去一次。")
BRACKET_EN = ("He thought for a long time. Was every great disaster of the past, including the two World Wars, the end "
              "of a countdown? Was there always someone no one thought of who bore the final responsibility? The next "
              "morning the sky finally cleared, and he left the house. She mentioned the trip in her letter (it had "
              "been ten years ago, when she was only nineteen) and said she wanted to go there again.")


def test_console_script_cuts_a_bracketed_aside_only_where_the_translation_ends_a_sentence(tmp_path):
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    import pytest

    from conftest import ROOT
    script = Path(sys.executable).with_name("aligner")
    if not script.exists():
        pytest.skip("the console script is not installed")
    (tmp_path / "a.zh.txt").write_text(BRACKET_ZH, encoding="utf-8")
    (tmp_path / "a.en.txt").write_text(BRACKET_EN, encoding="utf-8")
    r = subprocess.run([str(script), "align", str(tmp_path / "a.zh.txt"), str(tmp_path / "a.en.txt"), "-o",
                        str(tmp_path / "o.jsonl")], capture_output=True, text=True, timeout=600,
                       env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert r.returncode == 0, r.stderr
    rows = [json.loads(x) for x in (tmp_path / "o.jsonl").read_text(encoding="utf-8").splitlines()]
    src = [x["src_text"] for x in rows]
    # the question inside the first aside ends a bead: the translation drops the brackets and ends a sentence there
    assert src[0].endswith("是否都是一次次倒计时的尽头？") and src[1].startswith("都有一个谁都想不到的人")
    assert rows[1]["tgt_text"].startswith("Was there always someone")
    # the second aside stays in its sentence: the translation keeps it in brackets
    assert src[-1] == "她在信里提到了那次旅行（那是十年前的事了。当时她只有十九岁）并且说她还想再去一次。"


def test_console_script_segment_splits_before_a_lower_case_sentence_start(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    import pytest

    from conftest import ROOT
    script = Path(sys.executable).with_name("aligner")
    if not script.exists():
        pytest.skip("the console script is not installed")
    f = tmp_path / "l.en.txt"
    f.write_text("He took the chart out of his pocket. short-long-long, that was the first letter. It costs approx. "
                 "two dollars.", encoding="utf-8")
    r = subprocess.run([str(script), "segment", str(f), "--lang", "en"], capture_output=True, text=True, timeout=300,
                       env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == ["He took the chart out of his pocket.",
                                     "short-long-long, that was the first letter.", "It costs approx. two dollars."]
