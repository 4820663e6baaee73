"""Reading input text files: encoding detection, binary/empty/huge checks, language checks.

Every problem with an input file raises :class:`~aligner.errors.InputError` with a one-line
message that starts with the file's name. The text is returned faithfully (only line
endings are normalised to ``\\n`` and a leading BOM is dropped); cleaning characters that a
given output format cannot hold is the writers' job.

Encoding detection, in order:

1. a BOM: UTF-8, UTF-32 LE/BE, UTF-16 LE/BE;
2. NUL bytes without a BOM: BOM-less UTF-16 if the NULs sit on alternate bytes (the high
   byte of ASCII characters) and the text decodes to plausible characters; else, if the bytes
   are valid UTF-8, UTF-8 with a warning about the NULs; else BOM-less UTF-16 without the
   pattern (Chinese, with few ASCII characters) if plausible (see :func:`plausible_utf16`);
   else the file is binary;
3. strict UTF-8;
4. strict GB18030, accepted only if the result looks like Chinese (see
   :func:`looks_like_chinese`), since many non-Chinese byte soups decode as GB18030 too;
5. strict Big5 (Python's ``cp950``, the Windows form Taiwanese files use), accepted only if the
   result looks like Traditional Chinese (see :func:`looks_like_traditional`);
6. BOM-less UTF-16 without NUL bytes, if plausible.

Every guess (GB18030, Big5, BOM-less UTF-16) and every NUL byte is reported as a one-line note by
:func:`read_text_report` / :func:`decode_bytes_report`, which the CLI prints as warnings.
"""
from __future__ import annotations

import codecs
import os
import re
from pathlib import Path

from aligner import chars
from aligner.errors import InputError, reading

__all__ = [
    "DEFAULT_MAX_BYTES",
    "MAX_LENGTH_RATIO",
    "ZH_CHARS_PER_EN_CHAR",
    "check_pair",
    "decode_bytes",
    "decode_bytes_report",
    "decode_bytes_with_encoding",
    "detect_lang",
    "looks_like_chinese",
    "looks_like_traditional",
    "plausible_utf16",
    "read_text",
    "read_text_report",
    "read_text_with_encoding",
]

#: Files larger than this are refused unless the caller passes a larger ``max_bytes``.
DEFAULT_MAX_BYTES = 200 * 1024 * 1024

# How much of a file the statistical checks look at (they stay fast on huge inputs).
_SAMPLE_BYTES = 64 * 1024
_SAMPLE_CHARS = 100_000

# Control characters that never occur in real text files. Tab, LF, VT, FF and CR are
# allowed (pdftotext separates pages with form feeds).
_CONTROL_RE = re.compile("[\x00-\x08\x0e-\x1f\x7f]")
# More than this share of control characters in the sample means "binary".
_MAX_CONTROL_SHARE = 0.05

_BOMS = (  # (BOM, codec of the rest, name reported); the UTF-32 LE BOM starts like UTF-16 LE's
    (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16-be"),
)

_MAGIC = (  # file signatures of common binary formats a user may pass by mistake
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"%PDF-", "PDF document; extract its text first, e.g. with pdftotext"),
    (b"PK\x03\x04", "ZIP archive, e.g. .docx/.epub/.xlsx"),
    (b"PK\x05\x06", "ZIP archive"),
    (b"\x1f\x8b", "gzip archive"),
    (b"\xfd7zXZ\x00", "xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "7z archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "old MS Office document, e.g. .doc"),
    (b"\x7fELF", "executable"),
)

_ENCODING_NAMES = {  # display names for messages
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8",
    "utf-16-le": "UTF-16 LE",
    "utf-16-be": "UTF-16 BE",
    "utf-32-le": "UTF-32 LE",
    "utf-32-be": "UTF-32 BE",
    "gb18030": "GB18030",
    "cp950": "Big5",
}


# --------------------------------------------------------------------------- reading


def read_text(path: str | os.PathLike, encoding: str | None = None, *,
              max_bytes: int | None = DEFAULT_MAX_BYTES) -> str:
    """Read a text file, detecting its encoding unless ``encoding`` is given."""
    return read_text_with_encoding(path, encoding, max_bytes=max_bytes)[0]


def read_text_with_encoding(path: str | os.PathLike, encoding: str | None = None, *,
                            max_bytes: int | None = DEFAULT_MAX_BYTES) -> tuple[str, str]:
    """Like :func:`read_text`, also returning the encoding used (a Python codec name such
    as ``"utf-8"``, ``"utf-8-sig"``, ``"utf-16-le"`` or ``"gb18030"``)."""
    return read_text_report(path, encoding, max_bytes=max_bytes)[:2]


def read_text_report(path: str | os.PathLike, encoding: str | None = None, *,
                     max_bytes: int | None = DEFAULT_MAX_BYTES) -> tuple[str, str, list[str]]:
    """Like :func:`read_text_with_encoding`, also returning one-line notes for the user: the
    encoding guessed (GB18030, BOM-less UTF-16) and NUL bytes kept in UTF-8 text."""
    path = Path(path)
    name = str(path)
    with reading(name):
        size = path.stat().st_size
        if path.is_dir():
            raise InputError(f"{name}: no such file (it is a directory)")
        if max_bytes is not None and size > max_bytes:
            raise InputError(_too_big(name, size, max_bytes))
        data = path.read_bytes()
    return decode_bytes_report(data, name, encoding, max_bytes=max_bytes)


def decode_bytes(data: bytes, name: str, encoding: str | None = None, *,
                 max_bytes: int | None = DEFAULT_MAX_BYTES) -> str:
    """Decode the bytes of a text file named ``name`` (used in error messages)."""
    return decode_bytes_with_encoding(data, name, encoding, max_bytes=max_bytes)[0]


def decode_bytes_with_encoding(data: bytes, name: str, encoding: str | None = None, *,
                               max_bytes: int | None = DEFAULT_MAX_BYTES) -> tuple[str, str]:
    """Decode ``data`` and return ``(text, encoding)``; see the module doc for the rules."""
    return decode_bytes_report(data, name, encoding, max_bytes=max_bytes)[:2]


def decode_bytes_report(data: bytes, name: str, encoding: str | None = None, *,
                        max_bytes: int | None = DEFAULT_MAX_BYTES) -> tuple[str, str, list[str]]:
    """Decode ``data`` and return ``(text, encoding, notes)``: ``notes`` are one-line findings
    for the user (an encoding guessed, NUL bytes kept); see the module doc for the rules."""
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise InputError(f"{name}: expected bytes, got {type(data).__name__}")
    data = bytes(data)
    notes: list[str] = []
    if max_bytes is not None and len(data) > max_bytes:
        raise InputError(_too_big(name, len(data), max_bytes))
    if not data:
        raise InputError(f"{name}: the file is empty")
    if encoding is None:
        text, encoding, notes = _detect_and_decode(data, name)
    else:
        encoding = _codec_name(encoding, name)
        text = _decode_strict(data, encoding, name)
    if text.startswith("\ufeff"):
        text = text[1:]
    if _mostly_controls(text[:_SAMPLE_CHARS]):
        raise InputError(f"{name}: looks like a binary file (many control characters)")
    if not text.strip():
        raise InputError(f"{name}: the file holds only whitespace, no text")
    return text.replace("\r\n", "\n").replace("\r", "\n"), encoding, notes


def _too_big(name: str, size: int, limit: int) -> str:
    return (f"{name}: the file is {_mb(size)}, over the {_mb(limit)} limit; "
            "split it or raise the size limit")


def _mb(n: int) -> str:
    return f"{n / 2**20:.1f} MB" if n >= 100_000 else f"{n} bytes"


def _mostly_controls(sample: str) -> bool:
    return len(_CONTROL_RE.findall(sample)) > _MAX_CONTROL_SHARE * len(sample)


def _codec_name(encoding: str, name: str) -> str:
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        raise InputError(f"{name}: unknown encoding {encoding!r}") from None


def _decode_strict(data: bytes, encoding: str, name: str, offset: int = 0) -> str:
    """Decode ``data``, which starts at byte ``offset`` of the file."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as e:
        raise _cannot_decode(name, encoding, data, e.start, offset) from None


def _cannot_decode(name: str, encoding: str, data: bytes, start: int,
                   offset: int = 0) -> InputError:
    shown = _ENCODING_NAMES.get(encoding, encoding)
    return InputError(f"{name}: cannot decode as {shown} (byte 0x{data[start]:02x} at offset "
                      f"{start + offset}); convert it to UTF-8 or pass --encoding")


def _guessed(name: str, codec: str, why: str) -> str:
    return (f"{name}: read as {_ENCODING_NAMES.get(codec, codec)}, guessed {why}; "
            "pass the encoding (e.g. --src-encoding) if that is wrong")


def _detect_and_decode(data: bytes, name: str) -> tuple[str, str, list[str]]:
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            raise InputError(f"{name}: looks like a binary file ({kind})")
    for bom, codec, reported in _BOMS:
        if data.startswith(bom):
            return _decode_strict(data[len(bom):], codec, name, len(bom)), reported, []
    if b"\x00" in data:
        return _decode_with_nuls(data, name)
    try:
        return data.decode("utf-8"), "utf-8", []
    except UnicodeDecodeError as e:
        utf8_error = e
    for codec, plausible, why in (("gb18030", looks_like_chinese, "from its Chinese characters"),
                                  ("cp950", looks_like_traditional, "from its Traditional Chinese characters")):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if plausible(text):
            return text, codec, [_guessed(name, codec, why)]
    found = plausible_utf16(data)
    if found is not None:
        return found[0], found[1], [_guessed(name, found[1], "from its characters, it has no BOM")]
    if _mostly_controls(data[:_SAMPLE_BYTES].decode("latin-1")):  # same code points as bytes
        raise InputError(f"{name}: looks like a binary file (many control characters)")
    raise _cannot_decode(name, "utf-8", data, utf8_error.start)


def _decode_with_nuls(data: bytes, name: str) -> tuple[str, str, list[str]]:
    """Bytes with NULs and no BOM: BOM-less UTF-16, UTF-8 with stray NULs, or binary."""
    binary = InputError(f"{name}: looks like a binary file (it contains NUL bytes)")
    codec = _utf16_zero_pattern(data)
    if codec is not None:
        found = plausible_utf16(data, (codec,))
        if found is not None:
            return found[0], codec, [_guessed(name, codec, "from its byte pattern, it has no BOM")]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        found = plausible_utf16(data)
        if found is None:
            raise binary from None
        return found[0], found[1], [_guessed(name, found[1], "from its characters, it has no BOM")]
    if _mostly_controls(text[:_SAMPLE_CHARS]):
        raise binary
    n = data.count(0)
    return text, "utf-8", [f"{name}: holds {n} NUL byte{'s' if n > 1 else ''} (first at byte "
                           f"{data.index(0)}); read as UTF-8 with {'them' if n > 1 else 'it'} kept"]


#: BOM-less UTF-16 by its NULs: at least this share of the bytes on one parity are zero (the
#: high byte of ASCII characters: newlines, spaces, digits, Latin text); a stray NUL in a UTF-8
#: file is far below it.
_UTF16_MIN_ZERO_SHARE = 0.1
#: A BOM-less UTF-16 reading is plausible when at least this share of its characters are the
#: ones Chinese and English text is made of (ASCII, Latin, general and CJK punctuation, CJK
#: ideographs, kana, full-width forms). Random bytes read as UTF-16 give about a third.
_UTF16_MIN_PLAUSIBLE = 0.9
_UTF16_PLAUSIBLE_RE = re.compile(f"[{chars.TEXT_PLAUSIBLE}]")


#: Most code units of real UTF-16 Chinese have a byte outside printable ASCII (about a fifth of
#: CJK characters have both bytes in 0x20-0x7e); ASCII or Latin-1 text misread as UTF-16 has
#: nearly all of them there, so a reading with more than this share of such units is refused.
_UTF16_MAX_ASCII_PAIRS = 0.5


def _ascii_pairs_share(text: str) -> float:
    n = sum(1 for ch in text if 0x20 <= (ord(ch) & 0xFF) <= 0x7E and 0x20 <= (ord(ch) >> 8) <= 0x7E)
    return n / max(len(text), 1)


def _utf16_zero_pattern(data: bytes) -> str | None:
    """``"utf-16-le"``/``"utf-16-be"`` if the NUL bytes follow the UTF-16 pattern (ASCII
    characters, newlines included, have a NUL high byte), else None."""
    if len(data) % 2:
        return None
    sample = data[:_SAMPLE_BYTES]
    half = len(sample) // 2
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd >= _UTF16_MIN_ZERO_SHARE * half and even <= 0.05 * odd:
        return "utf-16-le"
    if even >= _UTF16_MIN_ZERO_SHARE * half and odd <= 0.05 * even:
        return "utf-16-be"
    return None


def plausible_utf16(data: bytes, codecs_: tuple[str, ...] = ("utf-16-le", "utf-16-be")) -> tuple[str, str] | None:
    """``(text, codec)`` if ``data`` decodes strictly (no lone surrogates) as BOM-less UTF-16 to
    text made of the characters Chinese and English are written in, else None; the more
    plausible byte order wins."""
    if len(data) % 2 or not data:
        return None
    best: tuple[float, str, str] | None = None
    for codec in codecs_:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        sample = text[:_SAMPLE_CHARS]
        share = len(_UTF16_PLAUSIBLE_RE.findall(sample)) / len(sample)
        if _ascii_pairs_share(sample) > _UTF16_MAX_ASCII_PAIRS:
            continue  # 8-bit Latin text read two bytes at a time: "ca" -> U+6163, a CJK character
        if share >= _UTF16_MIN_PLAUSIBLE and (best is None or share > best[0]):
            best = (share, text, codec)
    return None if best is None else (best[1], best[2])


def looks_like_chinese(text: str) -> bool:
    """True if the non-ASCII characters of ``text`` look like real Chinese.

    Used to accept a GB18030 decoding: at least 90% of the non-ASCII characters must be
    in GB2312, and at least 80% of the Han characters among them must be in GB2312's
    level 1 (the 3755 most frequent characters). Latin-1, Windows-125x or Big5 bytes that
    happen to decode as GB18030 give rare level-2 or GBK-only characters instead.
    """
    # rows 16-87 (lead bytes 0xB0-0xF7) are Han characters, rows 16-55 (0xB0-0xD7) level 1
    return _frequent_characters(text, "gb2312", 0xB0, range(0xB0, 0xD8))


#: Big5's frequently used characters (常用國字, 5,401 of them) have lead bytes 0xA4-0xC6; the less
#: frequent ones (次常用國字) 0xC9-0xF9
_BIG5_FREQUENT_LEADS = range(0xA4, 0xC7)


def looks_like_traditional(text: str) -> bool:
    """True if the non-ASCII characters of ``text`` look like real Traditional Chinese.

    Used to accept a Big5 decoding, as :func:`looks_like_chinese` accepts GB18030: at least 90%
    of the non-ASCII characters must be in Big5, and at least 80% of the Han characters among
    them among Big5's frequently used characters. GB2312 or GBK bytes that happen to decode as
    Big5 give rarely used characters instead.
    """
    # Han characters from lead byte 0xA4 (0xA1-0xA3: punctuation and symbols)
    return _frequent_characters(text, "big5", 0xA4, _BIG5_FREQUENT_LEADS)


def _frequent_characters(text: str, charset: str, han_lead: int, frequent: range) -> bool:
    """At least 90% of the non-ASCII characters of ``text`` encode in ``charset``, and at least 80% of its Han
    characters (lead byte from ``han_lead``) have a lead byte in ``frequent``."""
    sample = text[:_SAMPLE_CHARS]
    n_non_ascii = n_known = n_han = n_frequent = 0
    for ch in sample:
        if ord(ch) < 128:
            continue
        n_non_ascii += 1
        try:
            lead = ch.encode(charset)[0]
        except UnicodeEncodeError:
            continue
        n_known += 1
        if lead >= han_lead:
            n_han += 1
            n_frequent += lead in frequent
    return (n_han > 0 and n_known >= 0.9 * n_non_ascii
            and n_frequent >= 0.8 * n_han)


# --------------------------------------------------------------------------- languages

_HAN_RE = re.compile(f"[{chars.HAN_ALL}]")
_KANA_HANGUL_RE = re.compile(f"[{chars.KANA}{chars.KANA_EXT}{chars.HANGUL}]")
_LATIN_RE = re.compile("[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f]")
_LETTER_RE = re.compile(r"[^\W\d_]")


def _sample(text: str, n: int = _SAMPLE_CHARS) -> str:
    """Begin, middle and end of a long text (front matter may be in another language)."""
    if len(text) <= n:
        return text
    k = n // 3
    mid = len(text) // 2
    return text[:k] + text[mid - k // 2: mid + k // 2] + text[-k:]


def detect_lang(text: str) -> str:
    """``"zh"``, ``"en"`` or ``"other"``, from the letters of ``text``.

    ``"zh"``: Han characters are at least 25% of the letters (one Han character stands for
    about three Latin letters, so Chinese text with many English terms is still Chinese)
    and kana/Hangul are rare next to them (else it is Japanese/Korean: ``"other"``).
    ``"en"``: at least 60% of the letters are Latin; any Latin-script language counts.
    """
    s = _sample(text)
    letters = len(_LETTER_RE.findall(s))
    if not letters:
        return "other"
    han = len(_HAN_RE.findall(s))
    if han >= 0.25 * letters and len(_KANA_HANGUL_RE.findall(s)) < 0.2 * han:
        return "zh"
    if len(_LATIN_RE.findall(s)) >= 0.6 * letters:
        return "en"
    return "other"


#: Chinese characters (whitespace left out) per English character (runs of whitespace
#: counted as one space) in a translation pair. Measured on the 6 MAC-dev documents of the
#: benchmark (Chinese fiction and its English translation): 0.24 overall, 0.19-0.29 per
#: document. A higher guess such as 0.55 would put real pairs close to the 3x threshold.
ZH_CHARS_PER_EN_CHAR = 0.3
#: :func:`check_pair` warns when one side is more than this many times longer than
#: expected from the other side.
MAX_LENGTH_RATIO = 3.0
# Below this size (in English characters) the length check says nothing: too noisy.
_MIN_CHECK_CHARS = 200

_SPACE_RE = re.compile(r"\s+")


def _base_lang(lang: str) -> str:
    """``"zh"`` for ``"zh-CN"``, ``"zh_TW"``, ``"ZH"``."""
    return lang.lower().replace("_", "-").split("-")[0]


def _en_chars(text: str, lang: str) -> float:
    """The length of ``text`` (in language ``lang``) in English-character equivalents."""
    if lang == "zh":
        return len(_SPACE_RE.sub("", text)) / ZH_CHARS_PER_EN_CHAR
    return len(_SPACE_RE.sub(" ", text).strip())


def check_pair(src_text: str, tgt_text: str, src_lang: str, tgt_lang: str) -> list[str]:
    """Warnings (one line each) about a source/target pair that looks wrong.

    * a side whose detected language is not the one declared (both swapped: one warning);
    * both sides in the same language;
    * lengths out of balance: after converting Chinese lengths with
      :data:`ZH_CHARS_PER_EN_CHAR`, one side over :data:`MAX_LENGTH_RATIO` times the other
      (texts under 200 English-character equivalents are not checked).
    """
    warnings: list[str] = []
    src_seen, tgt_seen = detect_lang(src_text), detect_lang(tgt_text)
    src_base, tgt_base = _base_lang(src_lang), _base_lang(tgt_lang)
    known = ("zh", "en")
    if (src_seen, tgt_seen) == (tgt_base, src_base) and src_base != tgt_base:
        warnings.append(f"the source looks like {src_seen} and the target like {tgt_seen}: "
                        "are the two files swapped?")
    elif src_seen == tgt_seen and src_seen in known and src_base != tgt_base:
        warnings.append(f"both sides look like {src_seen}: is one file the wrong one?")
    else:
        for side, seen, declared in (("source", src_seen, src_base),
                                     ("target", tgt_seen, tgt_base)):
            if declared in known and seen != declared:
                warnings.append(f"the {side} is declared {declared} but looks like {seen}")
    # Measure each side in the language it is written in, so that a wrong or swapped file
    # gets the warning above, not also a spurious length warning.
    src_len = _en_chars(src_text, src_seen if src_seen in known else src_base)
    tgt_len = _en_chars(tgt_text, tgt_seen if tgt_seen in known else tgt_base)
    small, big = sorted((src_len, tgt_len))
    if big >= _MIN_CHECK_CHARS and big > MAX_LENGTH_RATIO * small:
        longer = "source" if src_len > tgt_len else "target"
        warnings.append(
            f"the {longer} is {big / max(small, 1):.1f}x longer than expected from the other "
            f"side ({len(src_text)} vs {len(tgt_text)} characters): is one file incomplete?")
    return warnings
