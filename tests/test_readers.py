"""aligner.formats.readers: encodings, bad input, language checks; aligner.formats.align_file."""
from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from aligner.errors import InputError
from aligner.formats.align_file import format_bead, read_align
from aligner.formats.readers import (
    check_pair,
    decode_bytes,
    decode_bytes_with_encoding,
    detect_lang,
    looks_like_chinese,
    looks_like_traditional,
    read_text,
    read_text_report,
    read_text_with_encoding,
)

ZH = "那天晚上我没走掉。\n陈清扬把我拽住，以伟大友谊的名义叫我留下来。\n她承认打我不对。\n"
EN = ("I did not leave that night. Chen Qingyang caught me and asked me to stay "
      "in the name of our great friendship.\nShe admitted that she had been wrong.\n")
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06"
       b"\x00\x00\x00\x1f\xf3\xffa\x00\x00\x00\x04gAMA\x00\x00\xb1\x8f")


def write(tmp_path: Path, data: bytes, name: str = "in.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def input_error(path, **kwargs) -> str:
    """The message of the InputError read_text raises; it must be one line naming the file."""
    with pytest.raises(InputError) as info:
        read_text(path, **kwargs)
    message = str(info.value)
    assert "\n" not in message
    assert str(path) in message
    return message


# --------------------------------------------------------------------------- encodings

@pytest.mark.parametrize("data, encoding", [
    (ZH.encode("utf-8"), "utf-8"),
    (codecs.BOM_UTF8 + ZH.encode("utf-8"), "utf-8-sig"),
    (codecs.BOM_UTF16_LE + ZH.encode("utf-16-le"), "utf-16-le"),
    (codecs.BOM_UTF16_BE + ZH.encode("utf-16-be"), "utf-16-be"),
    (codecs.BOM_UTF32_LE + ZH.encode("utf-32-le"), "utf-32-le"),
    (ZH.encode("utf-16-le"), "utf-16-le"),  # BOM-less, found by the NUL pattern
    (ZH.encode("utf-16-be"), "utf-16-be"),
    (ZH.encode("gb18030"), "gb18030"),
    (ZH.encode("gbk"), "gb18030"),
])
def test_encodings_decode_to_the_right_text(tmp_path, data, encoding):
    assert read_text_with_encoding(write(tmp_path, data)) == (ZH, encoding)


def test_gb18030_with_english_and_fullwidth_punctuation(tmp_path):
    text = "第一章 Introduction：本书介绍 Python 编程（第二版）。\n“你好，”他说。\n"
    path = write(tmp_path, text.encode("gb18030"))
    assert read_text_with_encoding(path) == (text, "gb18030")


def test_english_utf16_with_bom_keeps_nuls_legal(tmp_path):
    path = write(tmp_path, EN.encode("utf-16"))  # native order, with BOM
    assert read_text(path) == EN


def test_line_endings_are_normalised_and_text_kept(tmp_path):
    path = write(tmp_path, "a\r\nb\rc\n\x0cd\t\u2028e".encode("utf-8"))
    assert read_text(path) == "a\nb\nc\n\x0cd\t\u2028e"


def test_explicit_encoding(tmp_path):
    path = write(tmp_path, ZH.encode("gbk"))
    assert read_text_with_encoding(path, encoding="GBK") == (ZH, "gbk")
    message = input_error(path, encoding="utf-8")
    assert "cannot decode as UTF-8 (byte 0x" in message
    assert "unknown encoding 'klingon'" in input_error(path, encoding="klingon")


@pytest.mark.parametrize("data, message", [
    (codecs.BOM_UTF8 + b"ab\xff", "cannot decode as UTF-8 (byte 0xff at offset 5)"),
    (codecs.BOM_UTF16_LE + "ab".encode("utf-16-le") + b"\x00\xdc",
     "cannot decode as UTF-16 LE (byte 0x00 at offset 6)"),  # a lone low surrogate
])
def test_bad_bytes_after_a_bom(tmp_path, data, message):
    assert message in input_error(write(tmp_path, data))


def test_decode_bytes_directly():
    assert decode_bytes(b"\xef\xbb\xbfhello\r\n", "x.txt") == "hello\n"
    assert decode_bytes_with_encoding("中文。".encode("gb18030"), "x") == ("中文。", "gb18030")
    with pytest.raises(InputError, match=r"^x\.txt: the file is empty$"):
        decode_bytes(b"", "x.txt")


# --------------------------------------------------------------------------- bad input

def test_missing_file(tmp_path):
    assert input_error(tmp_path / "nope.txt").endswith(": no such file")


def test_directory(tmp_path):
    assert "no such file" in input_error(tmp_path)


def test_empty_file(tmp_path):
    assert "empty" in input_error(write(tmp_path, b""))


@pytest.mark.parametrize("data", [b" \n\t\r\n", "\ufeff \u3000\n".encode("utf-8"),
                                  codecs.BOM_UTF16_LE + " \n".encode("utf-16-le")])
def test_whitespace_only_file(tmp_path, data):
    assert "only whitespace" in input_error(write(tmp_path, data))


@pytest.mark.parametrize("data, detail", [
    (PNG, "PNG image"),
    (b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00", "ZIP archive"),
    (b"\x7fELF\x02\x01\x01\x00" + bytes(8) + b"\x03\x00>\x00", "executable"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "pdftotext"),
    (b"some text\x00\x01\x02\x03 with NULs at random places\x00!", "NUL bytes"),
    (bytes(range(1, 9)) * 20 + b"text", "control characters"),
    (bytes(range(1, 9)) * 20 + b"\xff\xfe\xfd text", "control characters"),  # not UTF-8
])
def test_binary_files(tmp_path, data, detail):
    message = input_error(write(tmp_path, data))
    assert "looks like a binary file" in message and detail in message


def test_control_characters_in_a_declared_encoding_are_binary(tmp_path):
    path = write(tmp_path, b"\x01\x02\x03\x04abc\x05\x06")
    assert "binary" in input_error(path, encoding="latin-1")


def test_latin1_is_not_decoded(tmp_path):
    path = write(tmp_path, "Café au lait, s'il vous plaît.\n".encode("latin-1"))
    message = input_error(path)
    assert message == (f"{path}: cannot decode as UTF-8 (byte 0xe9 at offset 3); "
                       "convert it to UTF-8 or pass --encoding")


def test_latin1_that_gb18030_decodes_is_not_taken_for_chinese(tmp_path):
    data = "Très élevés: cafés, résumés.\n".encode("latin-1")
    assert not looks_like_chinese(data.decode("gb18030"))  # decodes, to rare characters
    assert "cannot decode as UTF-8 (byte 0xe8 at offset 2)" in input_error(write(tmp_path, data))


def test_cp1251_russian_is_not_taken_for_chinese(tmp_path):
    data = "Мама мыла раму.\n".encode("cp1251")
    assert not looks_like_chinese(data.decode("gb18030"))  # decodes, to level-2 characters
    assert "cannot decode as UTF-8" in input_error(write(tmp_path, data))


def test_default_size_limit_is_checked_before_reading(tmp_path):
    path = tmp_path / "big.txt"
    with path.open("wb") as fh:
        fh.truncate(250 * 2**20)  # sparse: nothing is written or read
    message = input_error(path)
    assert message == (f"{path}: the file is 250.0 MB, over the 200.0 MB limit; "
                       "split it or raise the size limit")


def test_huge_file(tmp_path):
    path = write(tmp_path, EN.encode("utf-8") * 10)
    message = input_error(path, max_bytes=100)
    assert "over the 100 bytes limit" in message
    assert read_text(path, max_bytes=None) == EN * 10
    with pytest.raises(InputError, match="limit"):
        decode_bytes(b"x" * 11, "big.txt", max_bytes=10)


# --------------------------------------------------------------------------- languages

@pytest.mark.parametrize("text, lang", [
    (ZH, "zh"),
    (EN, "en"),
    ("第一章 Introduction：本书介绍 Python 编程。", "zh"),
    ("The word 中国 means China.", "en"),
    ("吾輩は猫である。名前はまだ無い。どこで生れたかとんと見当がつかぬ。", "other"),
    ("Привет, мир! Как дела?", "other"),
    ("12345 67.89 -- !!", "other"),
])
def test_detect_lang(text, lang):
    assert detect_lang(text) == lang


def test_check_pair_good_pair_has_no_warnings():
    zh, en = ZH * 20, EN * 20
    assert check_pair(zh, en, "zh", "en") == []
    assert check_pair(en, zh, "en", "zh") == []


def test_check_pair_same_language():
    [warning] = check_pair(ZH * 20, ZH * 20, "zh", "en")
    assert "both sides look like zh" in warning


def test_check_pair_swapped():
    [warning] = check_pair(EN * 20, ZH * 20, "zh", "en")
    assert "swapped" in warning


def test_check_pair_unbalanced():
    [warning] = check_pair(ZH * 2, EN * 40, "zh", "en")
    assert "target is" in warning and "longer than expected" in warning
    assert check_pair(ZH[:10], EN[:100], "zh", "en") == []  # short texts are not judged
    [warning] = check_pair(ZH * 20, EN * 2, "zh-CN", "en_US")
    assert "source is" in warning


# --------------------------------------------------------------------------- .align files

def test_read_align_tolerates_scores_blank_lines_and_spaces(tmp_path):
    path = write(tmp_path, b"[0,1]:[0]\n\n[2]:[1,2]:0.9123\n [ 3 , 4 ] : [] : -1.5 \n[]:[3]:nan\n",
                 "x.align")
    assert read_align(path) == [((0, 1), (0,)), ((2,), (1, 2)), ((3, 4), ()), ((), (3,))]


@pytest.mark.parametrize("line", ["[0,1][0]", "[a]:[0]", "[0]:[1]:fast", "[-1]:[0]", "0:1"])
def test_read_align_rejects_bad_lines(tmp_path, line):
    path = write(tmp_path, f"[0]:[0]\n{line}\n".encode(), "x.align")
    with pytest.raises(InputError, match=rf"^{path}:2: cannot parse bead"):
        read_align(path)


def test_read_align_missing(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_align(tmp_path / "none.align")


def test_format_bead():
    assert format_bead((0, 1), (0,), 0.91234) == "[0,1]:[0]:0.9123"
    assert format_bead((), (3,)) == "[]:[3]"



# --------------------------------------------------------------------------- Big5 (Taiwan's files)

TW = "第一條　著作權法為保障著作人著作權益，調和社會公共利益，促進國家文化發展，特制定本法。本法未規定者，適用其他法律之規定。\n"


def test_big5_is_decoded_and_said_to_be_a_guess(tmp_path):
    path = write(tmp_path, TW.encode("big5"))
    text, enc, notes = read_text_report(path)
    assert (text, enc) == (TW, "cp950")
    assert len(notes) == 1 and "Big5" in notes[0] and "guessed" in notes[0]


def test_gb_bytes_are_not_taken_for_big5_nor_big5_for_gb(tmp_path):
    zh = "中华人民共和国是工人阶级领导的、以工农联盟为基础的人民民主专政的社会主义国家。"
    assert read_text_with_encoding(write(tmp_path, zh.encode("gbk"))) == (zh, "gb18030")
    big5 = TW.encode("big5")
    assert not looks_like_chinese(big5.decode("gb18030"))      # decodes, to GBK-only or level-2 characters
    assert looks_like_traditional(big5.decode("cp950"))


def test_cp1251_is_not_taken_for_big5(tmp_path):
    data = "Мама мыла раму. Это текст на русском языке.\n".encode("cp1251")
    try:
        assert not looks_like_traditional(data.decode("cp950"))
    except UnicodeDecodeError:
        pass
    assert "cannot decode as UTF-8" in input_error(write(tmp_path, data))
