"""aligner.formats.writers: every format read back, TMX checked with translate-toolkit."""
from __future__ import annotations

import importlib.util
import json
import os
import re
import stat
import xml.etree.ElementTree as ET
from datetime import datetime, timezone
from pathlib import Path

import pytest
from translate.storage import tmx

from aligner.errors import InputError
from aligner.formats import writers
from aligner.formats.align_file import read_align
from aligner.formats.writers import (
    FORMATS,
    atomic_write,
    join_sentences,
    write_alignment,
    write_jsonl,
    write_moses,
    write_tmx,
    write_tsv,
)
from aligner.model import Alignment, Bead, Sentence

XML_NS = "{http://www.w3.org/XML/1998/namespace}"
ZH = ["那天晚上我没走掉。", "陈清扬把我拽住，", "以伟大友谊的名义叫我留下来。", "这是多余的一句。",
      "A<B & C>D\x01\x08\x0b\ufffe\ud800。", "最后一句。"]
EN = ["I did not leave that night.", "Chen Qingyang caught me.", "She asked me to stay.",
      "An inserted sentence.", "a<b & c>d.", "The last one.", "Really."]


def sentences(texts):
    return [Sentence(text, i) for i, text in enumerate(texts)]


@pytest.fixture
def alignment() -> Alignment:
    beads = [
        Bead((0,), (0,), 0.91234),
        Bead((1, 2), (1, 2), 0.8),   # 2-2: zh joined without, en with a space
        Bead((3,), (), 0.0),         # deletion
        Bead((), (3,), 0.0),         # insertion
        Bead((4,), (4,), 0.75),      # markup and XML-illegal characters
        Bead((5,), (5, 6), 0.2),     # low score
    ]
    return Alignment("zh", "en", sentences(ZH), sentences(EN), beads, model="test")


REAL = [0, 1, 4, 5]  # beads with both sides
ZH_CLEAN_4 = "A<B & C>D 。"  # \x0b becomes a space, the rest of the controls go


def test_formats_constant():
    assert FORMATS == ("tmx", "tsv", "jsonl", "align", "moses", "html", "xlsx")


def test_join_sentences():
    assert join_sentences(["你好。", "世界。"]) == "你好。世界。"
    assert join_sentences(["Hello.", "World."]) == "Hello. World."
    assert join_sentences(["他用 Python.", "她用 Java."]) == "他用 Python.她用 Java."
    assert join_sentences(["", "a", "", "b"]) == "a b"


# --------------------------------------------------------------------------- TMX

def test_tmx_units_read_by_translate_toolkit(tmp_path, alignment):
    path = write_tmx(alignment, tmp_path / "out.tmx")
    store = tmx.tmxfile(path.open("rb"))
    units = store.units
    assert len(units) == len(REAL)
    assert [u.source for u in units] == [
        "那天晚上我没走掉。", "陈清扬把我拽住，以伟大友谊的名义叫我留下来。", ZH_CLEAN_4, "最后一句。"]
    assert [u.target for u in units] == [
        "I did not leave that night.", "Chen Qingyang caught me. She asked me to stay.",
        "a<b & c>d.", "The last one. Really."]
    for unit in units:
        langs = [node.get(f"{XML_NS}lang") for node in unit.getlanguageNodes()]
        assert langs == ["zh-CN", "en-US"]
    assert store.sourcelanguage == "zh-CN"


def test_tmx_header_and_props(tmp_path, alignment):
    when = datetime(2024, 5, 6, 7, 8, 9, tzinfo=timezone.utc)
    path = write_tmx(alignment, tmp_path / "out.tmx", creationdate=when)
    root = ET.parse(path).getroot()
    assert root.tag == "tmx" and root.get("version") == "1.4"
    assert [child.tag for child in root] == ["header", "body"]
    header = root.find("header").attrib
    assert header == {
        "creationtool": "aligner", "creationtoolversion": header["creationtoolversion"],
        "segtype": "sentence", "o-tmf": "aligner", "adminlang": "en-US", "srclang": "zh-CN",
        "datatype": "plaintext", "creationdate": "20240506T070809Z"}
    assert re.fullmatch(r"\d+\.\d+\.\d+\S*", header["creationtoolversion"])
    tus = root.find("body").findall("tu")
    assert len(tus) == len(REAL)
    for tu, i in zip(tus, REAL):
        bead = alignment.beads[i]
        assert [child.tag for child in tu] == ["prop", "prop", "tuv", "tuv"]
        props = {p.get("type"): p.text for p in tu.findall("prop")}
        assert props == {"x-align-score": f"{bead.score:.4f}", "x-align-type": bead.type}
    assert path.read_bytes().startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<tmx')


def test_tmx_default_creationdate_is_now(tmp_path, alignment):
    path = write_tmx(alignment, tmp_path / "out.tmx")
    stamp = ET.parse(path).getroot().find("header").get("creationdate")
    written = datetime.strptime(stamp, "%Y%m%dT%H%M%SZ").replace(tzinfo=timezone.utc)
    assert abs((datetime.now(timezone.utc) - written).total_seconds()) < 60


def test_tmx_escapes_and_cleans(tmp_path, alignment):
    path = write_tmx(alignment, tmp_path / "out.tmx")
    raw = path.read_text("utf-8")
    assert "A&lt;B &amp; C&gt;D 。" in raw and "a&lt;b &amp; c&gt;d." in raw
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", raw)
    segs = [seg.text for seg in ET.parse(path).getroot().iter("seg")]
    assert ZH_CLEAN_4 in segs and "a<b & c>d." in segs


def test_tmx_langs_configurable(tmp_path, alignment):
    path = write_tmx(alignment, tmp_path / "out.tmx", src_xml_lang="zh-TW", tgt_xml_lang="en-GB")
    root = ET.parse(path).getroot()
    assert root.find("header").get("srclang") == "zh-TW"
    assert {tuv.get(f"{XML_NS}lang") for tuv in root.iter("tuv")} == {"zh-TW", "en-GB"}


def test_min_score_filters_tmx_and_moses_only(tmp_path, alignment):
    out = write_alignment(alignment, tmp_path / "out.tmx", min_score=0.75)
    assert len(tmx.tmxfile(out[0].open("rb")).units) == 3
    zh, en = write_alignment(alignment, tmp_path / "out", "moses", min_score=0.8)
    assert zh.read_text("utf-8").splitlines() == ["那天晚上我没走掉。", "陈清扬把我拽住，以伟大友谊的名义叫我留下来。"]
    assert len(en.read_text("utf-8").splitlines()) == 2
    [tsv] = write_alignment(alignment, tmp_path / "out.tsv", min_score=0.8)
    assert len(tsv.read_text("utf-8").splitlines()) == 1 + len(alignment.beads)


# --------------------------------------------------------------------------- TSV, JSONL, .align

def read_tsv(path: Path) -> list[list[str]]:
    lines = path.read_text("utf-8").splitlines()
    assert lines[0] == "src_ids\ttgt_ids\tscore\ttype\tsrc_text\ttgt_text"
    rows = [line.split("\t") for line in lines[1:]]
    assert all(len(row) == 6 for row in rows)
    return rows


def ids(field: str) -> tuple[int, ...]:
    return tuple(int(x) for x in field.split(",")) if field else ()


def test_tsv_has_every_bead(tmp_path, alignment):
    rows = read_tsv(write_tsv(alignment, tmp_path / "out.tsv"))
    assert [(ids(r[0]), ids(r[1])) for r in rows] == [(b.src, b.tgt) for b in alignment.beads]
    assert [r[2] for r in rows] == ["0.9123", "0.8000", "0.0000", "0.0000", "0.7500", "0.2000"]
    assert [r[3] for r in rows] == ["1-1", "2-2", "1-0", "0-1", "1-1", "1-2"]
    assert rows[2][4:] == ["这是多余的一句。", ""]
    assert rows[3][4:] == ["", "An inserted sentence."]
    assert rows[5][5] == "The last one. Really."


def test_jsonl_has_every_bead(tmp_path, alignment):
    path = write_jsonl(alignment, tmp_path / "out.jsonl")
    raw = path.read_text("utf-8")
    assert "那天晚上" in raw  # ensure_ascii=False
    records = [json.loads(line) for line in raw.splitlines()]
    assert [(tuple(r["src"]), tuple(r["tgt"])) for r in records] == [
        (b.src, b.tgt) for b in alignment.beads]
    assert records[0] == {"src": [0], "tgt": [0], "src_text": ZH[0], "tgt_text": EN[0],
                          "score": 0.9123, "type": "1-1", "src_lang": "zh", "tgt_lang": "en"}
    assert records[3]["src_text"] == "" and records[3]["type"] == "0-1"
    assert records[4]["src_text"] == ZH[4].replace("\ud800", "?")  # kept, but valid UTF-8


def test_bead_text_wins_over_sentences(tmp_path, alignment):
    alignment.beads[0].src_text = "预先给定的文本"
    records = [json.loads(x) for x in write_jsonl(alignment, tmp_path / "o.jsonl").open()]
    assert records[0]["src_text"] == "预先给定的文本"


def load_score_align():
    """The benchmark's own scorer, which must read our .align files."""
    path = Path(__file__).resolve().parents[2] / "shared" / "bench" / "score_align.py"
    if not path.exists():
        pytest.skip("shared/bench/score_align.py not found")
    spec = importlib.util.spec_from_file_location("score_align", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_align_file_roundtrips_and_scores(tmp_path, alignment):
    [path] = write_alignment(alignment, tmp_path / "out.align")
    assert path.read_text().splitlines() == [
        "[0]:[0]:0.9123", "[1,2]:[1,2]:0.8000", "[3]:[]:0.0000", "[]:[3]:0.0000",
        "[4]:[4]:0.7500", "[5]:[5,6]:0.2000"]
    expected = [(b.src, b.tgt) for b in alignment.beads]
    assert read_align(path) == expected
    score_align = load_score_align()
    assert score_align.read_align(str(path)) == expected
    counts = score_align.doc_counts(expected, score_align.read_align(str(path)))
    assert score_align.scores(counts)["F1_strict"] == 1.0


# --------------------------------------------------------------------------- Moses, dispatch

def test_moses_files_are_line_parallel(tmp_path, alignment):
    zh, en = write_moses(alignment, tmp_path / "corpus.moses")
    assert (zh.name, en.name) == ("corpus.zh", "corpus.en")
    zh_lines, en_lines = zh.read_text("utf-8").splitlines(), en.read_text("utf-8").splitlines()
    assert len(zh_lines) == len(en_lines) == len(REAL)
    assert zh_lines[1] == "陈清扬把我拽住，以伟大友谊的名义叫我留下来。"
    assert en_lines[1] == "Chen Qingyang caught me. She asked me to stay."


def test_moses_needs_two_languages(tmp_path, alignment):
    alignment.tgt_lang = "zh"
    with pytest.raises(InputError, match="two different languages"):
        write_alignment(alignment, tmp_path / "out", "moses")


@pytest.mark.parametrize("name, fmt, files", [
    ("a.tmx", None, ["a.tmx"]), ("a.TSV", None, ["a.TSV"]), ("a.jsonl", None, ["a.jsonl"]),
    ("a.align", None, ["a.align"]), ("a", "moses", ["a.zh", "a.en"]),
    ("a.moses", None, ["a.zh", "a.en"]), ("a.txt", "tsv", ["a.txt"]),
])
def test_dispatch(tmp_path, alignment, name, fmt, files):
    written = write_alignment(alignment, tmp_path / name, fmt)
    assert written == [tmp_path / f for f in files]
    assert sorted(os.listdir(tmp_path)) == sorted(files)


def test_dispatch_rejects_unknown_formats(tmp_path, alignment):
    with pytest.raises(InputError, match=r"a\.txt: cannot tell .*'\.txt'.*\.tmx.*moses"):
        write_alignment(alignment, tmp_path / "a.txt")
    with pytest.raises(InputError, match="unknown output format 'docx'; choose one of tmx"):
        write_alignment(alignment, tmp_path / "a.tmx", "docx")
    assert os.listdir(tmp_path) == []


# --------------------------------------------------------------------------- atomic writes

def test_failed_write_leaves_nothing(tmp_path, alignment, monkeypatch):
    calls = []

    def bead_texts(al, bead):
        calls.append(bead)
        if len(calls) == 3:
            raise RuntimeError("boom")
        return "s", "t"

    monkeypatch.setattr(writers, "bead_texts", bead_texts)
    for fmt in ("tsv", "jsonl", "tmx", "moses"):
        calls.clear()
        with pytest.raises(RuntimeError, match="boom"):
            write_alignment(alignment, tmp_path / "out", fmt)
        assert os.listdir(tmp_path) == [], fmt


def test_failed_write_keeps_the_old_file(tmp_path, alignment, monkeypatch):
    target = tmp_path / "out.tsv"
    target.write_text("old\n")
    monkeypatch.setattr(writers, "_one_line", lambda text: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        write_tsv(alignment, target)
    assert target.read_text() == "old\n"
    assert os.listdir(tmp_path) == ["out.tsv"]


def test_atomic_write_replaces_and_sets_a_normal_mode(tmp_path):
    target = tmp_path / "sub" / "f.txt"
    with atomic_write(target) as fh:
        fh.write("one\r\n")
        assert not target.exists()
    assert target.read_bytes() == b"one\r\n"
    umask = os.umask(0o022)
    os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask
    target.chmod(0o600)
    with atomic_write(target) as fh:
        fh.write("two")
    assert target.read_text() == "two" and stat.S_IMODE(target.stat().st_mode) == 0o600
    assert os.listdir(target.parent) == ["f.txt"]


def test_atomic_write_reports_unwritable_output(tmp_path):
    with pytest.raises(InputError, match="it is a directory"):
        with atomic_write(tmp_path):
            pass
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(InputError, match=r"cannot write the output"):
        with atomic_write(blocker / "out.tsv"):
            pass
