"""Blocks without a counterpart (web debris, a translator's note, a section the translation drops) end as null
beads, not glued to a neighbour's bead (aligner.align.structure: GLUE)."""
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, full_band, score_tables

from aligner.align.dp import banded_dp
from aligner.align.pipeline import with_structure
from aligner.align.score import bead_types
from aligner.align.structure import (BLOCK_TRUST_SLOPE, CROSS, GLUE, GLUE_FREE, GLUE_TRUST_SLOPE, Structure,
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
