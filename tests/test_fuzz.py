"""Fuzzing (issue 8): readers on bytes, reflow/splitters/writers on hostile Unicode, with a fixed budget.

Each property runs ``FUZZ_EXAMPLES`` examples with no deadline (the whole file runs in well under a minute on the
2-core machine); every crash hypothesis found became a named regression test at the end of this file.
"""
from __future__ import annotations

import codecs
import json
import os
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_segment_robust import check_invariants

from aligner.errors import InputError
from aligner.formats.align_file import read_align
from aligner.formats.readers import decode_bytes_report
from aligner.formats.writers import write_align, write_jsonl, write_moses, write_tmx, write_tsv
from aligner.model import Alignment, Bead, Sentence
from aligner.segment import pre_split, reflow, render_reflow, secondary_splits, segment, split_sentences

#: Examples per property: small enough for CI; ALIGNER_FUZZ_EXAMPLES=5000 for a longer hunt.
FUZZ_EXAMPLES = int(os.environ.get("ALIGNER_FUZZ_EXAMPLES", "200"))
FUZZ = settings(max_examples=FUZZ_EXAMPLES, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])

# What breaks text tools: lone surrogates, C0/C1 controls, NUL, bidi controls and RTL letters, combining marks,
# BOM/noncharacters, line and paragraph separators, CJK and ASCII sentence punctuation, brackets and quotes.
NASTY = list("\ud800\udbff\udc00\udfff\x00\x01\x07\x08\x0b\x0c\x1b\x1c\x7f\x85\x9f\u200b\u200e\u200f\u202a"
             "\u202e\u2066\u2069\u0301\u0308\u20dd\ufeff\ufffe\uffff\u2028\u2029\r\n\t 。．.!?！？…\"'“”‘’（）()"
             "「」《》;；:：,，") + ["שלום", "مرحبا", "e\u0301", "\U0001f600", "\U00020000", "第一条", "Art. 5",
                                   "Mr. Li", "...", "\n\n", "\f"]
UNICODE = st.text(alphabet=st.one_of(st.characters(), st.sampled_from([c for c in NASTY if len(c) == 1])),
                  max_size=120)
TEXTS = st.lists(st.one_of(UNICODE, st.sampled_from(NASTY)), max_size=8).map("".join)


# --------------------------------------------------------------------------- readers: bytes in

def _encoded(text: str, codec: str) -> bytes:
    return text.encode(codec, errors="surrogatepass" if codec.startswith("utf") else "replace")


BYTES = st.one_of(
    st.binary(max_size=400),
    st.builds(_encoded, TEXTS, st.sampled_from(["utf-8", "utf-16-le", "utf-16-be", "utf-32", "gb18030",
                                                  "cp1252", "latin-1"])),
    st.builds(lambda b, bom: bom + b, st.binary(max_size=200),
              st.sampled_from([codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE])),
    st.builds(lambda t, k: (lambda b: b[:k] + b"\x00" + b[k:])(t.encode("utf-8", "surrogatepass")),
              TEXTS, st.integers(0, 50)),
)


@FUZZ
@given(BYTES, st.sampled_from([None, None, "utf-8", "gb18030", "utf-16"]))
def test_readers_return_text_or_raise_input_error(data, encoding):
    try:
        text, codec, notes = decode_bytes_report(data, "f.txt", encoding)
    except InputError as exc:
        assert "\n" not in str(exc) and str(exc).startswith("f.txt: ")
        return
    assert isinstance(text, str) and text.strip() and "\r" not in text
    codecs.lookup(codec)
    assert all(isinstance(n, str) and "\n" not in n for n in notes)


# --------------------------------------------------------------------------- reflow and splitters

@FUZZ
@given(TEXTS, st.sampled_from(["zh", "en"]), st.sampled_from([None, True, False]))
def test_reflow_and_segment_keep_every_character(text, lang, force):
    check_invariants(text, lang, force)
    assert isinstance(render_reflow(reflow(text, lang, force=force), keep_notes=True), str)
    for s in segment(text, lang, reflow=force):
        assert 0 <= s.start <= s.end <= len(text) and s.text.strip()
    for s in pre_split(text):
        assert text[s.start:s.end] == s.text


@FUZZ
@given(TEXTS, st.sampled_from(["zh", "en"]))
def test_splitters_give_ordered_spans_inside_the_text(text, lang):
    prev = 0
    for s, e in split_sentences(text, lang):
        assert prev <= s < e <= len(text)
        prev = e
    cuts = secondary_splits(text, lang)
    assert cuts == sorted(set(cuts)) and all(0 < c < len(text) for c in cuts)


# --------------------------------------------------------------------------- writers: Unicode in, valid files out

@st.composite
def alignments(draw) -> Alignment:
    n, m = draw(st.integers(0, 6)), draw(st.integers(0, 6))
    src = [Sentence(draw(TEXTS), i) for i in range(n)]
    tgt = [Sentence(draw(TEXTS), j) for j in range(m)]
    beads, i, j = [], 0, 0
    while i < n or j < m:
        a = draw(st.integers(0 if j < m else 1, min(2, n - i))) if i < n else 0
        b = draw(st.integers(0 if a else 1, min(2, m - j))) if j < m else 0
        beads.append(Bead(tuple(range(i, i + a)), tuple(range(j, j + b)),
                          draw(st.floats(allow_nan=True, allow_infinity=True))))
        i, j = i + a, j + b
    return Alignment("zh", "en", src, tgt, beads)


@FUZZ
@given(alignments(), st.one_of(st.none(), st.floats(0, 1)))
def test_writers_write_valid_files(al, min_score):
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        root = ET.parse(write_tmx(al, d / "a.tmx", min_score=min_score)).getroot()   # well-formed XML
        kept = [b for b in al.beads if not b.is_null and (min_score is None or b.score >= min_score)]
        assert len(root.findall("./body/tu")) == len(kept)
        tsv = (d / "a.tsv")
        write_tsv(al, tsv)
        rows = tsv.read_bytes().decode("utf-8").split("\n")
        assert rows[-1] == "" and len(rows) == len(al.beads) + 2 and all(r.count("\t") == 5 for r in rows[:-1])
        write_jsonl(al, d / "a.jsonl")
        records = [json.loads(x) for x in (d / "a.jsonl").read_bytes().decode("utf-8").split("\n")[:-1]]
        assert [(tuple(r["src"]), tuple(r["tgt"])) for r in records] == [(b.src, b.tgt) for b in al.beads]
        assert read_align(write_align(al, d / "a.align")) == [(b.src, b.tgt) for b in al.beads]
        zh, en = write_moses(al, d / "m", min_score=min_score)
        assert (len(zh.read_bytes().decode("utf-8").split("\n")) == len(en.read_bytes().decode("utf-8").split("\n"))
                == len(kept) + 1)


# --------------------------------------------------------------------------- the library on hostile sentences

SENTENCE_LISTS = st.lists(TEXTS, max_size=6)


@settings(max_examples=FUZZ_EXAMPLES // 4, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(SENTENCE_LISTS, SENTENCE_LISTS)
def test_align_takes_any_sentences_or_says_why(usem3_aligner, src, tgt):
    try:
        al = usem3_aligner.align(src, tgt, check_lang=False)
    except InputError as exc:
        assert "surrogate" in str(exc) and "\n" not in str(exc)
        return
    assert sorted(i for b in al.beads for i in b.src) == list(range(len(src)))
    assert sorted(j for b in al.beads for j in b.tgt) == list(range(len(tgt)))
    for b in al.beads:
        if b.src and b.tgt:                                     # no pair of empty or whitespace-only sentences
            assert any(src[i].strip() for i in b.src) and any(tgt[j].strip() for j in b.tgt)


# --------------------------------------------------------------------------- regressions found while fuzzing

def test_regression_latin1_text_is_not_read_as_utf16():
    """8-bit Latin text of even length decoded as UTF-16 gives plausible-looking CJK ("ca" -> U+6163)."""
    data = b"caf\xe9 cr\xe8me br\xfbl\xe9e " * 20
    try:
        text, codec, _ = decode_bytes_report(data, "f.txt")
    except InputError as exc:
        assert "cannot decode" in str(exc)
    else:
        raise AssertionError(f"decoded as {codec}: {text[:20]!r}")


def test_regression_stray_nul_in_utf8_is_not_utf16():
    """One NUL at an odd offset once matched the 'NULs on odd bytes only' UTF-16 rule."""
    text, codec, notes = decode_bytes_report("Hello, world. 你好。\x00 More text.\n".encode(), "f.txt")
    assert codec == "utf-8" and text.startswith("Hello") and "NUL" in notes[0]


def test_regression_empty_sentences_inside_a_bead_keep_ids_contiguous():
    """An empty sentence between two sentences the search merged stays inside that bead (ids contiguous);
    empties elsewhere become 1-0/0-1 beads in order (the end-to-end case of issue 8 item 11 is
    tests/test_cli_contract.py::test_empty_sentences_are_never_paired)."""
    from aligner.align.empties import restore
    assert restore([(range(0, 1), range(0, 1), "x")], [1], [1], 2, 2) == [
        ((0,), (), None), ((), (0,), None), ((1,), (1,), "x")]
    assert restore([(range(0, 2), range(0, 1), "x")], [0, 2], [0], 4, 2) == [
        ((0, 1, 2), (0,), "x"), ((3,), (), None), ((), (1,), None)]
