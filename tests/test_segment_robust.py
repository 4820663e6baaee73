"""Bad and adversarial input: never crash, never hang, never lose a character."""
from __future__ import annotations

import time
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aligner.errors import InputError
from aligner.segment import pre_split, reflow, secondary_splits, segment, split_sentences


def _ignorable(c: str) -> bool:
    return c.isspace() or c in "\u200b\ufeff"


def _chars(s: str) -> Counter:
    return Counter(c for c in s if not _ignorable(c))


def check_invariants(text: str, lang: str, force):
    """The segmentation invariant.

    With keep_notes=True every non-space character of the input is in exactly one sentence, except the
    characters reflow deliberately took out (footnote markers, note numbers, line-end hyphens), which are
    listed with their offsets in ``reflow(...).removed``.  With keep_notes=False the sentences are the same
    minus the furniture/note ones.  Every sentence's characters appear, in order, inside text[start:end].
    """
    full = segment(text, lang, reflow=force, keep_notes=True)
    res = reflow(text, lang, force=force)
    removed = Counter()
    for off, s in res.removed:
        assert text[off:off + len(s)] == s
        removed.update(_chars(s))
    got = Counter()
    for s in full:
        got.update(_chars(s.text))
    assert got + removed == _chars(text)
    assert [s.index for s in full] == list(range(len(full)))
    for s in full:
        assert s.text and s.text == s.text.strip()
        raw = text[s.start:s.end]
        assert raw[:1] == s.text[:1] and raw[-1:] == s.text[-1:]
        it = iter(raw)
        assert all(c in it for c in s.text if not _ignorable(c))  # subsequence
    plain = segment(text, lang, reflow=force)
    assert [(s.para, s.text) for s in plain] == [
        (s.para, s.text) for s in full if s.kind not in ("furniture", "note")]


ALPHABET = list(
    "他们说我你好的了是在国大会安全理事會體。。！？；：，、“”‘’《》（）【】……—-_ "
    "abcdeXYZ IU.S.Mr.!?;:,'\"()[]0123456789/*•–\n\n\n\t\r\f\u3000\u200b\ufeff\x00\x0b\x1c\ud800\udfff"
)
pieces = st.one_of(
    st.sampled_from(ALPHABET),
    st.sampled_from([
        "__________________\n", "A/75/780\n", "21-02897 (C)\n", "*2102897*\n", "2/5\n", " 1 脚注正文。\n",
        "inter-\nnational", "self-\ndetermination", "。2 不尊重", "Action,1\n", "• 项目；\n", "1. Welcomes ",
        "(a) ", "https://undocs.org/A/74/542\n", "Mr. Smith. ", "U.S. ", "3.5 ", "……", "。”他说：“", "\n \n",
        "这是一段很长的中文文字，它会被排版在页面宽度处截断然后继续写下去直到页面的边缘为止\n\n",
        "This is a long English line of text that is wrapped at the page width of the PDF page\n",
    ]),
)
texts = st.lists(pieces, max_size=60).map("".join)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts, st.sampled_from(["zh", "en"]), st.sampled_from([None, True, False]))
def test_property_no_character_lost_or_duplicated(text, lang, force):
    check_invariants(text, lang, force)


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300), st.sampled_from(["zh", "en"]))
def test_property_arbitrary_unicode(text, lang):
    check_invariants(text, lang, None)
    check_invariants(text, lang, True)
    for s, e in split_sentences(text, lang):
        assert 0 <= s < e <= len(text)
    for o in secondary_splits(text, lang):
        assert 0 < o < len(text)
    ps = pre_split(text)
    assert all(text[x.start:x.end] == x.text for x in ps)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("text", [
    "", " ", "\n\n\n", "\x00\x01\x02", "\ud800abc\udfff。", "\ufeff文本。", "。。。", "？！…", "....",
    "没有任何标点的一段中文文字也应该成为一个句子",
    "no punctuation at all in this english text",
    "Mixed 中文 and English. 然后是中文。Then English again!",
    "全角！半角!混合?标点？", "繁體中文的句子。這是第二句！",
    "“未闭合的引号。后面的句子。", "（未闭合的括号。后面的句子。", "\f\f\f", "\r\n\r\n",
])
def test_bad_inputs_do_not_crash(text, lang):
    for force in (None, True, False):
        check_invariants(text, lang, force)


def test_no_punctuation_gives_one_sentence():
    assert [s.text for s in segment("没有任何标点的一段中文文字", "zh")] == ["没有任何标点的一段中文文字"]
    assert [s.text for s in segment("no punctuation at all", "en")] == ["no punctuation at all"]


def test_mixed_width_and_traditional():
    assert [s.text for s in segment("全角！半角!混合?标点？", "zh")] == ["全角！", "半角!", "混合?", "标点？"]
    assert [s.text for s in segment("繁體中文的句子。這是第二句！", "zh")] == ["繁體中文的句子。", "這是第二句！"]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("unit", ["字", "a", "。", ".", "a.", "”", "(", "A/", "…", "-\n", " ", "1"])
def test_huge_single_line_is_fast(lang, unit):
    text = unit * (100_000 // len(unit))
    t0 = time.process_time()  # CPU time: a linear-time check that does not fail on a loaded machine
    for force in (None, True):
        sents = segment(text, lang, reflow=force, keep_notes=True)
        assert sum(len(s.text) for s in sents) <= len(text)
    assert time.process_time() - t0 < 5.0


def test_invalid_arguments():
    with pytest.raises(InputError):
        segment("text", "de")
    with pytest.raises(InputError):
        segment(None, "zh")  # type: ignore[arg-type]
    with pytest.raises(InputError):
        segment(b"\xff\xfe", "zh")  # type: ignore[arg-type]
    assert [s.text for s in segment("好。".encode(), "zh")] == ["好。"]  # type: ignore[arg-type]
