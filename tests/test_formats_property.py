"""Property: TSV, JSONL and .align output hold every sentence id exactly once, in order."""
from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aligner.formats.align_file import read_align
from aligner.formats.writers import write_align, write_jsonl, write_tsv
from aligner.model import Alignment, Bead, Sentence

BEAD_SHAPES = [(1, 1), (1, 0), (0, 1), (2, 1), (1, 2), (2, 2), (3, 1), (1, 3)]
# Texts full of what breaks line- and tab-based formats.
TEXT = st.text(alphabet="ab 中文。\t\n\r\x0b\x0c\x1c\x85\u2028\u2029\"\\<&\x00", max_size=8)


@st.composite
def alignments(draw) -> Alignment:
    """A random monotone partition of n source and m target sentences into beads."""
    n, m = draw(st.integers(0, 12)), draw(st.integers(0, 12))
    src = [Sentence(draw(TEXT), i) for i in range(n)]
    tgt = [Sentence(draw(TEXT), j) for j in range(m)]
    beads, i, j = [], 0, 0
    while i < n or j < m:
        shapes = [(a, b) for a, b in BEAD_SHAPES if i + a <= n and j + b <= m]
        a, b = draw(st.sampled_from(shapes))
        score = draw(st.floats(-1, 1, allow_nan=False))
        beads.append(Bead(tuple(range(i, i + a)), tuple(range(j, j + b)), score))
        i, j = i + a, j + b
    return Alignment("zh", "en", src, tgt, beads)


def ids_of(beads) -> tuple[list[int], list[int]]:
    return [i for s, _ in beads for i in s], [j for _, t in beads for j in t]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(alignments())
def test_every_id_exactly_once(alignment):
    expected = [(b.src, b.tgt) for b in alignment.beads]
    all_ids = (list(range(len(alignment.src))), list(range(len(alignment.tgt))))
    assert ids_of(expected) == all_ids  # the strategy itself is a partition

    with tempfile.TemporaryDirectory() as tmp:
        tsv = write_tsv(alignment, Path(tmp) / "a.tsv").read_text("utf-8").splitlines()
        rows = [line.split("\t") for line in tsv[1:]]
        assert all(len(row) == 6 for row in rows)
        as_ids = lambda f: tuple(int(x) for x in f.split(",")) if f else ()  # noqa: E731
        tsv_beads = [(as_ids(r[0]), as_ids(r[1])) for r in rows]

        jsonl = write_jsonl(alignment, Path(tmp) / "a.jsonl").read_text("utf-8").splitlines()
        records = [json.loads(line) for line in jsonl]
        jsonl_beads = [(tuple(r["src"]), tuple(r["tgt"])) for r in records]

        align_beads = read_align(write_align(alignment, Path(tmp) / "a.align"))

    for beads in (tsv_beads, jsonl_beads, align_beads):
        assert beads == expected
        assert ids_of(beads) == all_ids
    for bead, record in zip(alignment.beads, records):  # JSONL keeps texts as they are
        if len(bead.src) == 1:
            assert record["src_text"] == alignment.src[bead.src[0]].text
        if len(bead.tgt) == 1:
            assert record["tgt_text"] == alignment.tgt[bead.tgt[0]].text
