"""Lexical signals on hand-made cases: numbers, dictionary glosses, pinyin names."""
import numpy as np

from aligner.align.dp import Band
from aligner.align.lexical import LexicalScorer, chinese_number, numbers


def _pair_features(zh, en):
    band = Band(lo=np.zeros(2, dtype=np.int64), width=2, n=1, m=1)
    lex = LexicalScorer([zh], [en], "zh", "en", band)
    out = lex(1, 1, np.array([[0]]), np.array([[0]]))
    return float(out[0, 0, 0]), float(out[0, 0, 1])


def test_chinese_numbers():
    assert chinese_number("十五") == 15 and chinese_number("二十") == 20
    assert chinese_number("三百零五") == 305 and chinese_number("一九九八") == 1998
    assert numbers("他等了二十分钟，花了35.5元。", "zh") == {"20", "35.5"}
    assert numbers("He waited twenty minutes and paid 35.5 yuan.", "en") == {"20", "35.5"}


def test_number_mismatch_lowers_the_number_feature():
    match, _ = _pair_features("会议于2021年举行，共有45个国家参加。", "The meeting was held in 2021 with 45 countries.")
    clash, _ = _pair_features("会议于2019年举行，共有12个国家参加。", "The meeting was held in 2021 with 45 countries.")
    none, _ = _pair_features("会议举行了。", "The meeting was held.")
    assert match > none == 0.0 > clash


def test_pinyin_name_match_raises_the_dictionary_feature():
    _, with_name = _pair_features("韦小宝", "Wei Xiaobao")
    _, other_name = _pair_features("韦小宝", "Chen Qingyang")
    assert with_name > other_name


def test_dictionary_glosses_raise_the_dictionary_feature():
    _, right = _pair_features("我喜欢喝茶。", "I like to drink tea.")
    _, wrong = _pair_features("我喜欢喝茶。", "The train left the station late.")
    assert right > wrong
