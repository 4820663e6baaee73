"""Paragraph units (aligner.align.paragraphs, Alignment.by_paragraph, `aligner align --unit paragraph`)."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from aligner.align.paragraphs import WIDE_UNIT_BLOCKS, paragraph_beads
from aligner.model import Alignment, Bead, Sentence

SCRIPT = Path(sys.executable).with_name("aligner")


def _side(paras):
    """``[2, 1]`` -> sentences s0, s1 in block 0 and s2 in block 1."""
    out = []
    for p, n in enumerate(paras):
        out += [Sentence(f"s{len(out)}.", len(out), p) for _ in range(n)]
    return out


def _beads(spec, scores=None):
    return [Bead(tuple(s), tuple(t), score=(scores or {}).get(k, 0.9), src_text="x", tgt_text="y")
            for k, (s, t) in enumerate(spec)]


def test_units_close_where_both_sides_open_a_block():
    # zh: [2 sentences][1][2]; en: [1][2][2]; beads: finer than paragraphs, and crossing en's first boundary
    S, T = _side([2, 1, 2]), _side([1, 2, 2])
    beads = _beads([([0], [0]), ([1], [1]), ([2], [2]), ([3], [3]), ([4], [4])])
    units, info = paragraph_beads(S, T, beads, "zh", "en")
    # after bead 1 zh is at 2 (a boundary) and en at 2 (inside en block 1): not yet; after bead 2 both at 3
    assert [(u.src, u.tgt) for u in units] == [((0, 1, 2), (0, 1, 2)), ((3, 4), (3, 4))]
    assert info == {"units": 2, "sentence_beads": 5, "wide_units": 0, "largest": [3, 3], "one_block": []}


def test_null_beads_and_whole_paragraph_pairs_stay_their_own_units():
    S, T = _side([1, 2, 1]), _side([1, 1, 2, 1])
    # en block 1 is an orphan (a translator's note): a 0-1 bead; zh block 1 (2 sentences) <-> en block 2
    beads = _beads([([0], [0]), ([], [1]), ([1, 2], [2]), ([], [3]), ([3], [4])])
    units, _ = paragraph_beads(S, T, beads, "zh", "en")
    assert [(u.src, u.tgt) for u in units] == [((0,), (0,)), ((), (1,)), ((1, 2), (2, 3)), ((3,), (4,))]
    # every sentence in exactly one unit
    assert sorted(i for u in units for i in u.src) == list(range(len(S)))
    assert sorted(j for u in units for j in u.tgt) == list(range(len(T)))


def test_unit_score_is_the_character_weighted_mean_and_texts_are_joined():
    S = [Sentence("我来了。", 0, 0), Sentence("你好。", 1, 0)]
    T = [Sentence("I came.", 0, 0), Sentence("Hello.", 1, 0), Sentence("Bye.", 2, 1)]
    S.append(Sentence("再见。", 2, 1))
    beads = [Bead((0,), (0,), 0.9, "我来了。", "I came."), Bead((1,), (1,), 0.5, "你好。", "Hello."),
             Bead((2,), (2,), 0.8, "再见。", "Bye.")]
    units, _ = paragraph_beads(S, T, beads, "zh", "en")
    assert [(u.src_text, u.tgt_text) for u in units] == [("我来了。你好。", "I came. Hello."), ("再见。", "Bye.")]
    w1, w2 = len("我来了。") + len("I came."), len("你好。") + len("Hello.")
    assert units[0].score == pytest.approx(round((0.9 * w1 + 0.5 * w2) / (w1 + w2), 4))
    assert units[1].score == 0.8


def test_paragraphs_that_do_not_correspond_make_a_wide_unit_and_a_warning():
    n = WIDE_UNIT_BLOCKS + 2
    S, T = _side([1] * n), _side([n - 1, 1])   # zh: n one-sentence paragraphs; en: one of n - 1 sentences, one of 1
    beads = _beads([([k], [k]) for k in range(n)])
    al = Alignment("zh", "en", S, T, beads)
    out = al.by_paragraph()
    assert [(u.src, u.tgt) for u in out.beads] == [(tuple(range(n - 1)), tuple(range(n - 1))), ((n - 1,), (n - 1,))]
    assert out.stats["paragraph_units"]["wide_units"] == 1
    assert any("do not correspond" in w for w in out.warnings)
    assert al.beads == beads and not al.warnings      # the original alignment is left as it was


def test_a_side_without_paragraphs_is_one_unit_and_said():
    S, T = _side([3]), _side([1, 2])
    al = Alignment("zh", "en", S, T, _beads([([0], [0]), ([1], [1]), ([2], [2])]))
    out = al.by_paragraph()
    assert [(u.src, u.tgt) for u in out.beads] == [((0, 1, 2), (0, 1, 2))]
    assert out.stats["paragraph_units"]["one_block"] == ["source"]
    assert any("the source is one block of 3 sentences" in w for w in out.warnings)


def test_beads_out_of_order_are_a_bug_not_a_silent_regrouping():
    S, T = _side([1, 1]), _side([1, 1])
    with pytest.raises(ValueError, match="order"):
        paragraph_beads(S, T, _beads([([1], [0]), ([0], [1])]), "zh", "en")


def _paragraphs(path):
    return [p.strip() for p in Path(path).read_text(encoding="utf-8").split("\n\n") if p.strip()]


def test_cli_unit_paragraph_on_the_un_letter(tmp_path):
    """The UN letter is paragraph-parallel (paragraph n <-> paragraph n): by paragraph, the units are its paragraph
    pairs, every sentence in exactly one unit; by sentence, there are more beads than paragraphs."""
    zh, en = ROOT / "examples/un-letter.zh.txt", ROOT / "examples/un-letter.en.txt"
    out_p, out_s = tmp_path / "p.jsonl", tmp_path / "s.jsonl"
    r = subprocess.run([str(SCRIPT), "align", str(zh), str(en), "--unit", "paragraph", "-o", str(out_p)],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    r = subprocess.run([str(SCRIPT), "align", str(zh), str(en), "-q", "-o", str(out_s)],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    units = [json.loads(line) for line in out_p.read_text(encoding="utf-8").splitlines()]
    sents = [json.loads(line) for line in out_s.read_text(encoding="utf-8").splitlines()]
    n_src = sum(len(b["src"]) for b in sents)
    n_tgt = sum(len(b["tgt"]) for b in sents)
    assert sorted(i for u in units for i in u["src"]) == list(range(n_src))
    assert sorted(j for u in units for j in u["tgt"]) == list(range(n_tgt))
    assert len(units) < len(sents)
    zh_paras = {"".join(p.split()) for p in _paragraphs(zh)}
    en_paras = {" ".join(p.split()) for p in _paragraphs(en)}
    whole = sum(1 for u in units if "".join(u["src_text"].split()) in zh_paras
                and " ".join(u["tgt_text"].split()) in en_paras)
    assert whole >= 0.9 * len(_paragraphs(zh)), (whole, len(units))


def test_cli_unit_paragraph_usage_errors(tmp_path):
    zh, en = ROOT / "examples/un-letter.zh.txt", ROOT / "examples/un-letter.en.txt"
    for extra, needle in ((["--unit", "chapter"], "sentence or paragraph"),
                          (["--unit", "paragraph", "--pre-split"], "pre-split")):
        r = subprocess.run([str(SCRIPT), "align", str(zh), str(en), "-o", str(tmp_path / "o.tsv"), *extra],
                           capture_output=True, text=True, timeout=120)
        assert r.returncode == 2, r.stderr
        assert needle in r.stderr and "Traceback" not in r.stderr
        assert not (tmp_path / "o.tsv").exists()


def test_batch_unit_paragraph_writes_units_and_keys_the_journal(tmp_path):
    """--batch --unit paragraph writes paragraph units; switching the unit redoes the pair (the journal key holds it)."""
    pairs = tmp_path / "pairs"
    pairs.mkdir()
    for lang in ("zh", "en"):
        (pairs / f"letter.{lang}.txt").write_text((ROOT / f"examples/un-letter.{lang}.txt").read_text(encoding="utf-8"),
                                                  encoding="utf-8")
    out = tmp_path / "out"
    runs = {}
    for unit in ("sentence", "paragraph"):
        r = subprocess.run([str(SCRIPT), "align", "--batch", str(pairs), "-o", str(out), "-f", "jsonl", "-q",
                            "--unit", unit], capture_output=True, text=True, timeout=600)
        assert r.returncode == 0, r.stderr
        files = list(out.glob("letter*.jsonl"))
        assert len(files) == 1, files
        runs[unit] = [json.loads(line) for line in files[0].read_text(encoding="utf-8").splitlines()]
    assert len(runs["paragraph"]) < len(runs["sentence"])
    for side in ("src", "tgt"):
        ids = sorted(i for u in runs["paragraph"] for i in u[side])
        assert ids == sorted(i for b in runs["sentence"] for i in b[side])


def test_cli_unit_paragraph_tmx_says_its_units_are_paragraphs(tmp_path):
    """A TMX of paragraph units declares segtype="paragraph" (TMX 1.4b): a CAT tool that reads "sentence" treats each
    unit as one sentence segment; a sentence TMX keeps segtype="sentence"."""
    import xml.etree.ElementTree as ET
    zh, en = ROOT / "examples/un-letter.zh.txt", ROOT / "examples/un-letter.en.txt"
    for unit in ("paragraph", "sentence"):
        out = tmp_path / f"{unit}.tmx"
        r = subprocess.run([str(SCRIPT), "align", str(zh), str(en), "--unit", unit, "-q", "-o", str(out)],
                           capture_output=True, text=True, timeout=600,
                           env={**os.environ, "PYTHONPATH": str(ROOT)})
        assert r.returncode == 0, r.stderr
        assert ET.parse(out).getroot().find("header").get("segtype") == unit
