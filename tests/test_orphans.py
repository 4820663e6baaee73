"""Blocks without a counterpart (web debris, a translator's note, a section the translation drops) end as null
beads, not glued to a neighbour's bead (aligner.align.structure: GLUE; aligner.align.orphans: the block pass)."""
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, full_band, score_tables

import numpy as np

from aligner.align.dp import banded_dp
from aligner.align.orphans import ORPHAN_CONFIDENCE, find_orphans
from aligner.align.pipeline import with_structure
from aligner.align.score import bead_types
from aligner.align.structure import (BLOCK_TRUST_SLOPE, CROSS, GLUE, GLUE_FREE, GLUE_TRUST_SLOPE, WALL, Structure,
                                     structure_terms)
from aligner.model import Sentence

SCRIPT = Path(sys.executable).with_name("aligner")

#: inserted into the English of the UN letter (examples/): a scraped page's debris and a translator's note of three
#: sentences, each its own paragraph, none with a counterpart in the Chinese
ORPHANS = [
    "Share this page: Facebook, Twitter, LinkedIn, Email. Print this page.",
    "Translator's note: the place names in this document follow the spelling used by the sender. Where two "
    "spellings are in common use, the one in the original letter has been kept. All dates are given in the "
    "Gregorian calendar.",
    "We use cookies to improve your experience on our website. By continuing to browse, you agree to our use "
    "of cookies.",
]


def _sents(spec):
    return [Sentence(t, k, para=p) for k, (t, p) in enumerate(spec)]



def _orphan_pair():
    """zh: ten one-sentence blocks, a three-sentence note block after the fifth; en: the ten blocks."""
    S = [(f"句{k}。", k) for k in range(5)] + [("注一。", 5), ("注二。", 5), ("注三。", 5)]
    S += [(f"句{k}。", k + 1) for k in range(5, 10)]
    T = [(f"S{k}.", k) for k in range(10)]
    return _sents(S), _sents(T)


def test_glue_term_grows_with_the_glued_sentences():
    S, T = _orphan_pair()
    st = Structure.from_sentences(S, T)
    types = bead_types(5)
    terms = structure_terms(st, full_band(13, 10), types)
    disagree = 1 - 10 / 11
    glue = GLUE * (1 - GLUE_TRUST_SLOPE * disagree)
    cross = CROSS * max(0.0, 1 - BLOCK_TRUST_SLOPE * disagree)
    # the note glued onto 句5 <-> S5: a 4-1 bead ending at (9, 6), crossing the zh side only, 3 sentences glued,
    # of which GLUE_FREE are free (a 2-1 bead across one boundary is what mismatched reader blocks look like)
    t41 = terms[types.index((4, 1))]
    assert t41[9, 6] == pytest.approx(-cross - (3 - GLUE_FREE) * glue)
    # the note glued onto the bead before it (句4 + note <-> S4, ending at (8, 5)): the same
    assert t41[8, 5] == pytest.approx(-cross - (3 - GLUE_FREE) * glue)
    # a 2-1 bead across one boundary pays the crossing only
    assert terms[types.index((2, 1))][6, 5] == pytest.approx(-cross)
    # a 1-1 bead inside one block on each side: no term
    assert terms[types.index((1, 1))][1, 1] == 0
    # without the glue term the crossing costs only `cross` (what gave the 4-1 beads before)
    old = structure_terms(st, full_band(13, 10), types, glue=0.0)[types.index((4, 1))]
    assert old[9, 6] == pytest.approx(-cross)


def test_a_note_block_becomes_null_beads_where_crossing_alone_glued_it():
    S, T = _orphan_pair()
    st = Structure.from_sentences(S, T)
    types = bead_types(5)
    band = full_band(13, 10)
    zh_block = [s.para for s in S]

    def fn(i0, i1, j0, j1):
        a, b = i1 - i0, j1 - j0
        if a == 0 or b == 0:
            return -5.0                                  # a null bead, per sentence
        real = [zh_block[i] - (zh_block[i] > 5) for i in range(i0, i1) if zh_block[i] != 5]
        if b == 1 and len(real) == 1 and real[0] == j0:
            return 15.0 - 0.5 * (a - 1)                  # the right pair, with or without note sentences glued on
        return -10.0

    scores = score_tables(13, 10, types, fn)
    note = {(i, i + 1, j, j) for i in (5, 6, 7) for j in range(11)}
    old = banded_dp(band, types, [s if t is None else s + t for s, t in
                                  zip(scores, structure_terms(st, band, types, glue=0.0))])
    assert not note & set(old)                           # crossing alone: the note is glued to a neighbour
    new = banded_dp(band, types, with_structure(scores, band, types, st))
    assert sum(1 for p in new if p[0] in (5, 6, 7) and p[1] - p[0] == 1 and p[2] == p[3]) == 3
    assert all(p[1] - p[0] <= 1 and p[3] - p[2] <= 1 for p in new)



def _un_letter_with_orphans(d: Path) -> tuple[Path, Path]:
    zh = (ROOT / "examples" / "un-letter.zh.txt").read_text(encoding="utf-8")
    en = (ROOT / "examples" / "un-letter.en.txt").read_text(encoding="utf-8")
    paras = [p for p in re.split(r"\n\s*\n", en) if p.strip()]
    at = len(paras) // 2
    paras = paras[:at] + ORPHANS + paras[at:]
    (d / "u.zh.txt").write_text(zh, encoding="utf-8")
    (d / "u.en.txt").write_text("\n\n".join(paras) + "\n", encoding="utf-8")
    return d / "u.zh.txt", d / "u.en.txt"


def _is_orphan(text: str) -> bool:
    return any(text.strip() and text.strip() in o for o in ORPHANS)


def test_inserted_orphan_section_is_null_beads_through_the_api(usem3_aligner, tmp_path):
    zp, ep = _un_letter_with_orphans(tmp_path)
    al = usem3_aligner.align_files(zp, ep, src_lang="zh", tgt_lang="en")
    orphan_ids = {j for j, t in enumerate(al.tgt) if _is_orphan(t.text)}
    assert len(orphan_ids) >= 6                          # the reader gave each orphan sentence on its own
    for b in al.beads:
        if orphan_ids & set(b.tgt):
            assert b.src == () or not b.src, (b.type, b.src_text, b.tgt_text)
            assert set(b.tgt) <= orphan_ids


@pytest.mark.skipif(not SCRIPT.exists(), reason="the console script is not installed")
def test_inserted_orphan_section_is_null_beads_through_the_console_script(tmp_path):
    zp, ep = _un_letter_with_orphans(tmp_path)
    out = tmp_path / "o.jsonl"
    r = subprocess.run([str(SCRIPT), "align", str(zp), str(ep), "-o", str(out)], capture_output=True, text=True,
                       timeout=600, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert r.returncode == 0, r.stderr
    rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    glued = [x for x in rows if x["src"] and _is_orphan_text(x)]
    null = [x for x in rows if not x["src"] and _is_orphan_text(x)]
    assert not glued, glued
    assert len(null) >= 6


def _is_orphan_text(row) -> bool:
    text = row.get("tgt_text") or row.get("en") or ""
    return any(s and s in text for o in ORPHANS for s in re.split(r"(?<=\.) ", o))


# --- the block pass (aligner.align.orphans) ---------------------------------------------------------------------

def _block_pair(n_blocks=30, per_block=2, drop=range(12, 17), dim=64, seed=0):
    """Sentence vectors of a paragraph-parallel pair whose second side has extra blocks ``drop`` (ids of the full
    side): side x lacks them.  Each block has its own random direction; a sentence is its block's direction plus
    noise, and the two sides' sentences of a block are noisy copies of each other."""
    rng = np.random.default_rng(seed)
    dirs = rng.normal(size=(n_blocks, dim))
    X, Y, px, py = [], [], [], []
    for b in range(n_blocks):
        for _ in range(per_block):
            v = dirs[b] + 0.6 * rng.normal(size=dim)
            Y.append(v + 0.3 * rng.normal(size=dim))
            py.append(b)
            if b not in drop:
                X.append(v + 0.3 * rng.normal(size=dim))
                px.append(b)
    unit = lambda A: (np.array(A) / np.linalg.norm(A, axis=1, keepdims=True)).astype(np.float32)  # noqa: E731
    S = [Sentence(f"x{k}", k, para=p) for k, p in enumerate(px)]
    T = [Sentence(f"y{k}", k, para=p) for k, p in enumerate(py)]
    return unit(X), unit(Y), S, T, np.array(py)


def test_block_pass_sets_aside_exactly_the_dropped_blocks():
    X, Y, S, T, py = _block_pair()
    st = Structure.from_sentences(S, T)
    ones = lambda n: np.full(n, 40.0)  # noqa: E731
    res = find_orphans(X, Y, ones(len(X)), ones(len(Y)), st)
    assert not res.x.any()
    assert res.y.tolist() == [bool(12 <= b < 17) for b in py]
    assert res.stats["orphan_blocks"] == [0, 5] and res.stats["orphan_sentences"] == [0, 10]
    # on the side that kept its blocks, a wall where the gap sits: before block 17's first sentence (x id 24)
    assert np.nonzero(res.wall_x)[0].tolist() == [24] and not res.wall_y.any()
    # the same pair with nothing dropped: nothing set aside
    X2, Y2, S2, T2, _ = _block_pair(drop=())
    res2 = find_orphans(X2, Y2, ones(len(X2)), ones(len(Y2)), Structure.from_sentences(S2, T2))
    assert not res2.any() and res2.stats["orphan_blocks"] == [0, 0]


def test_block_pass_leaves_one_block_per_side_alone():
    X, Y, S, T, _ = _block_pair()
    S = [Sentence(s.text, s.index, para=0) for s in S]      # pre-split sentences: a single block per side
    T = [Sentence(t.text, t.index, para=0) for t in T]
    res = find_orphans(X, Y, np.full(len(X), 40.0), np.full(len(Y), 40.0), Structure.from_sentences(S, T))
    assert not res.any() and "skipped" in res.stats


def test_a_bead_may_not_cross_the_gap_left_by_set_aside_blocks():
    S = _sents([("a.", 0), ("b.", 1), ("c.", 2), ("d.", 3)])
    T = _sents([("A.", 0), ("B.", 1), ("X.", 2), ("C.", 3), ("D.", 4)])
    st = Structure.from_sentences(S, T).subset(np.arange(4), np.array([0, 1, 3, 4]))   # "X." set aside
    assert st.wall_y.tolist() == [0, 0, 1, 0] and st.wall_x.tolist() == [0, 0, 0, 0]
    types = bead_types(3)
    t12 = structure_terms(st, full_band(4, 4), types)[types.index((1, 2))]
    assert t12[2, 3] < -WALL / 2              # b. <-> B. + C.: across the gap on the target side
    assert t12[3, 4] > -WALL / 2              # c. <-> C. + D.: after it
    # the gap's place on the side that kept everything can be walled too (find_orphans marks it)
    st2 = Structure.from_sentences(S, T).subset(np.arange(4), np.array([0, 1, 3, 4]),
                                                np.array([0, 0, 1, 0], bool), None)
    assert st2.wall_x.tolist() == [0, 0, 1, 0]
    t21 = structure_terms(st2, full_band(4, 4), types)[types.index((2, 1))]
    assert t21[3, 2] < -WALL / 2              # b. + c. <-> B.: across the wall on the source side


def _un_letter_dropped(d: Path) -> tuple[Path, Path, list[str]]:
    """The UN letter with paragraphs n//2 .. n//2 + 5 dropped from the Chinese (as bench/bench_orphans.py does)."""
    zh = [p for p in re.split(r"\n\s*\n", (ROOT / "examples" / "un-letter.zh.txt").read_text(encoding="utf-8"))
          if p.strip()]
    en = [p for p in re.split(r"\n\s*\n", (ROOT / "examples" / "un-letter.en.txt").read_text(encoding="utf-8"))
          if p.strip()]
    assert len(zh) == len(en)
    a, b = len(zh) // 2, len(zh) // 2 + max(4, len(zh) // 10)
    (d / "d.zh.txt").write_text("\n\n".join(zh[:a] + zh[b:]) + "\n", encoding="utf-8")
    (d / "d.en.txt").write_text("\n\n".join(en) + "\n", encoding="utf-8")
    return d / "d.zh.txt", d / "d.en.txt", en[a:b]


def _in_dropped(text: str, dropped: list[str]) -> bool:
    t = re.sub(r"\s+", "", text)
    return bool(t) and any(t in re.sub(r"\s+", "", p) for p in dropped)


def test_dropped_section_is_null_beads_through_the_api(usem3_aligner, tmp_path):
    zp, ep, dropped = _un_letter_dropped(tmp_path)
    al = usem3_aligner.align_files(zp, ep, src_lang="zh", tgt_lang="en")
    orphan_ids = {j for j, t in enumerate(al.tgt) if _in_dropped(t.text, dropped)}
    assert len(orphan_ids) >= len(dropped)
    for b in al.beads:
        if orphan_ids & set(b.tgt):
            assert not b.src and len(b.tgt) == 1, (b.src_text, b.tgt_text)
            assert b.score == ORPHAN_CONFIDENCE      # the pass's own confidence, not a calibrated logit of 0
    stats = al.stats["orphan_blocks"]
    assert stats["orphan_blocks"]["target"] == len(dropped) and stats["orphan_blocks"]["source"] == 0
    assert stats["orphan_sentences"]["target"] == len(orphan_ids)
    # the rest is aligned as the whole letter is: every bead of the full pair outside the dropped section is here
    full = usem3_aligner.align_files(ROOT / "examples" / "un-letter.zh.txt", ROOT / "examples" / "un-letter.en.txt",
                                     src_lang="zh", tgt_lang="en")
    here = {(b.src_text, b.tgt_text) for b in al.beads if b.src and b.tgt}
    want = {(b.src_text, b.tgt_text) for b in full.beads
            if b.src and b.tgt and not any(_in_dropped(full.tgt[j].text, dropped) for j in b.tgt)}
    assert len(want) > 40 and want - here == set()
    # without the pass the search shifts: some dropped sentence ends up paired (what bench_orphans measured: 0/10)
    usem3_aligner.orphans = False
    try:
        old = usem3_aligner.align_files(zp, ep, src_lang="zh", tgt_lang="en")
    finally:
        usem3_aligner.orphans = True
    assert "orphan_blocks" not in old.stats
    assert any(b.src and any(_in_dropped(old.tgt[j].text, dropped) for j in b.tgt) for b in old.beads)


@pytest.mark.skipif(not SCRIPT.exists(), reason="the console script is not installed")
def test_dropped_section_is_null_beads_through_the_console_script(tmp_path):
    zp, ep, dropped = _un_letter_dropped(tmp_path)
    out = tmp_path / "d.jsonl"
    r = subprocess.run([str(SCRIPT), "align", str(zp), str(ep), "-o", str(out)], capture_output=True, text=True,
                       timeout=600, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert r.returncode == 0, r.stderr
    rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    text = lambda x: x.get("tgt_text") or x.get("en") or ""  # noqa: E731
    touched = [x for x in rows if _in_dropped(text(x), dropped) or any(
        s and _in_dropped(s, dropped) for s in re.split(r"(?<=[.;:]) ", text(x)))]
    assert len(touched) >= len(dropped)
    assert all(not x["src"] for x in touched), [x for x in touched if x["src"]][:2]
