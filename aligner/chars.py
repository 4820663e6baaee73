"""Character classes: the one home for which characters count as Han, CJK, wide, or Chinese numerals.

Each set is defined once, as the body of a regular-expression character class (no brackets: ``f"[{HAN_BMP}]"``)
or as a plain string of characters, with the reason it exists.  Several sets differ on purpose (or by history: a
rule was tuned with that set) and are kept apart: widening or narrowing a set that a decision uses would change
what the tool does, so a change to any of them is a behaviour change, to be measured like one.

Ranges used below: CJK Unified Ideographs U+4E00-9FFF; Extension A U+3400-4DBF; Compatibility Ideographs
U+F900-FAFF; the supplementary ideograph planes from U+20000 (Extensions B-G); CJK Symbols and Punctuation
U+3000-303F; kana U+3040-30FF; Halfwidth and Fullwidth Forms U+FF00-FFEF.
"""
from __future__ import annotations

import unicodedata

# ------------------------------------------------------------------------------------------- Han and CJK

#: the core block of Han ideographs only (U+4E00-9FFF): the narrow test older rules were written with (header
#: lines, footnote-marker context, "一 word" items, Chinese tokens for the lexical score, UTF-16 plausibility)
HAN_CORE = "\u4e00-\u9fff"
#: Han ideographs of the BMP: Extension A, the core block and the compatibility ideographs -- "a Chinese
#: character" for line-join decisions (a break between two Han characters is a wrap)
HAN_BMP = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
#: HAN_BMP plus the supplementary planes through Extension G (U+20000-3134F): language detection counts every
#: Han character there is
HAN_ALL = HAN_BMP + "\U00020000-\U0003134f"
#: one contiguous span U+3400-9FFF (Extension A, the Yijing hexagram symbols U+4DC0-4DFF between it and the core
#: block, the core block) plus the compatibility ideographs: the soft split's and the code detector's "CJK"; the
#: hexagram symbols it adds over HAN_BMP never occur in prose
HAN_SPAN = "\u3400-\u9fff\uf900-\ufaff"
#: CJK Symbols and Punctuation (ideographic space, 、。「」《》…)
CJK_PUNCT = "\u3000-\u303f"
#: CJK radicals, Kangxi radicals, ideographic description characters and CJK Symbols and Punctuation
#: (U+2E80-303F): with Han and fullwidth forms, what a Chinese line may be broken between
CJK_RADICALS_PUNCT = "\u2e80-\u303f"
#: hiragana and katakana
KANA = "\u3040-\u30ff"
#: katakana phonetic extensions (U+31F0-31FF), counted with kana when telling Japanese from Chinese
KANA_EXT = "\u31f0-\u31ff"
#: Hangul jamo and syllables, counted when telling Korean from Chinese
HANGUL = "\u1100-\u11ff\uac00-\ud7af"
#: Halfwidth and Fullwidth Forms (fullwidth ASCII ！（），：； and halfwidth katakana)
FULLWIDTH = "\uff00-\uffef"
#: "Han text" for joining and cutting lines: CJK punctuation, kana, Han (with Extensions B-F to U+2FFFF) and
#: fullwidth forms; not Hangul (Korean puts spaces between words)
HAN_TEXT = CJK_PUNCT + KANA + HAN_BMP + FULLWIDTH + "\U00020000-\U0002ffff"
#: what a Chinese line of text is tokenised into one character at a time (any other run of non-space is a token)
ZH_CHAR_TOKEN = CJK_RADICALS_PUNCT + HAN_BMP + FULLWIDTH
#: the code detector's CJK: a line of code holding any of these (outside its strings) is prose
CODE_CJK = HAN_SPAN + CJK_PUNCT + FULLWIDTH
#: characters two columns wide on a terminal or a page (East Asian Width W and F, approximately): the reflow's
#: line widths count them 2
WIDE = ("\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3"
        "\uf900-\ufaff\ufe10-\ufe19\ufe30-\ufe6f\uff00-\uff60\uffe0-\uffe6\U00020000-\U0003fffd")
#: joining the sentences of a bead with no language given: no space is put next to these (CJK ideographs,
#: radicals, kana, bopomofo, full-width forms and CJK punctuation, compatibility forms, supplementary planes)
NO_SPACE_NEXT = "\u2e80-\u312f\u3190-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003ffff"
#: what plain Chinese or English text is made of (controls that occur in text, ASCII, Latin, general punctuation,
#: CJK punctuation, kana, Han, fullwidth forms): a BOM-less UTF-16 reading must be mostly these
TEXT_PLAUSIBLE = "\t\n\r\x0c\x20-\x7e\u00a0-\u024f\u2000-\u206f" + CJK_PUNCT + KANA + HAN_CORE + FULLWIDTH


def is_cjk(ch: str) -> bool:
    """Han (BMP and U+20000-2FFFF), kana or a Hangul syllable: no word spaces around it (a line break between
    two such characters in HTML source is dropped)."""
    o = ord(ch)
    return (0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0xF900 <= o <= 0xFAFF
            or 0x20000 <= o <= 0x2FFFF or 0x3040 <= o <= 0x30FF or 0xAC00 <= o <= 0xD7AF)


def is_han_or_kana(ch: str) -> bool:
    """Han (BMP and U+20000-2FFFF) or kana, not Hangul: a half-width full stop after one ends a Chinese sentence."""
    o = ord(ch)
    return (0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0xF900 <= o <= 0xFAFF
            or 0x20000 <= o <= 0x2FFFF or 0x3040 <= o <= 0x30FF)


def is_cjkish(ch: str) -> bool:
    """:func:`is_cjk`, CJK punctuation or a fullwidth form: a soft break next to it joins without a space."""
    return is_cjk(ch) or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef"


def is_wide(ch: str) -> bool:
    """East Asian Width W or F by the Unicode database (the exact test; :data:`WIDE` is the fast approximation)."""
    o = ord(ch)
    if o < 0x1100:
        return False
    try:
        return unicodedata.east_asian_width(ch) in "WF"
    except (TypeError, ValueError):
        return False


# ------------------------------------------------------------------------------------------- Chinese numerals

#: 一 to 十: old-style enumerators ("一、", "三　") and short heading numbers, at most a few characters long
ZH_ONES = "一二三四五六七八九十"
#: ... and 百: list labels in the reflow ("十二、", "（一百）")
ZH_ONES_HUNDRED = ZH_ONES + "百"
#: ... and 百, 零, 〇: the number in a "第N条/章" list start in the reflow
ZH_ORDINAL_NUM = ZH_ONES + "百零〇"
#: numerals of heading and article numbers through the thousands, with the zero forms and 两
ZH_NUM = ZH_ONES + "百千零〇两"
#: ZH_NUM with traditional 兩: the structure anchors compare numbers of both scripts
ZH_NUM_TRAD = "零〇一二两兩三四五六七八九十百千"
#: ZH_NUM with 万: numbers in running text, matched as tokens by the lexical score
ZH_NUM_WAN = "零〇一二两三四五六七八九十百千万"
#: ZH_NUM with the financial (anti-fraud) forms 壹贰叁…: block labels in every reader
ZH_NUM_FINANCIAL = ZH_NUM + "壹贰叁肆伍陆柒捌玖拾佰"
#: the digits in order, index = value: writing a number in Chinese (Word's Chinese list numbering)
ZH_DIGITS = "零一二三四五六七八九"
#: digit values for reading a Chinese number (both scripts' 两)
ZH_DIGIT_VALUES = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
                   "八": 8, "九": 9}
#: unit values for reading a Chinese number
ZH_UNIT_VALUES = {"十": 10, "百": 100, "千": 1000}
#: digit values of ZH_NUM_WAN numbers (the simplified 两 only)
ZH_WAN_DIGIT_VALUES = {k: v for k, v in ZH_DIGIT_VALUES.items() if k != "兩"}
#: unit values of ZH_NUM_WAN numbers (to 万)
ZH_WAN_UNIT_VALUES = {**ZH_UNIT_VALUES, "万": 10000}
