"""Any lengths give a valid alignment: the band always holds a path, and the beads partition both sides."""
from __future__ import annotations

import hashlib
import subprocess
import sys

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import aligner
from aligner.align.dp import Band, banded_dp


class HashEncoder:
    """A cheap deterministic stand-in for a model: a random unit vector per distinct text."""

    name = "hash"
    dim = 16

    def encode(self, texts):
        out = np.zeros((len(texts), self.dim), np.float32)
        for k, t in enumerate(texts):
            seed = int.from_bytes(hashlib.blake2b(t.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "big")
            out[k] = np.random.default_rng(seed).standard_normal(self.dim)
        return out / np.linalg.norm(out, axis=1, keepdims=True)


def _fake_aligner():
    return aligner.Aligner("usem3", encoder=HashEncoder())


def _assert_partition(al, n, m):
    i = j = 0
    for b in al.beads:
        assert b.src or b.tgt, "empty bead"
        assert b.src == tuple(range(i, i + len(b.src)))
        assert b.tgt == tuple(range(j, j + len(b.tgt)))
        i += len(b.src)
        j += len(b.tgt)
    assert (i, j) == (n, m)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(n=st.integers(0, 60), m=st.integers(0, 60), seed=st.integers(0, 3))
def test_any_shape_gives_a_partition(n, m, seed):
    al = _fake_aligner().align([f"源 {seed} {i}" for i in range(n)], [f"t {seed} {j}" for j in range(m)], check_lang=False)
    _assert_partition(al, n, m)


@settings(max_examples=12, deadline=None)
@given(n=st.integers(1, 12), m=st.integers(200, 3000))
def test_very_unequal_shapes_either_way(n, m):
    al = _fake_aligner().align([f"s{i}" for i in range(n)], [f"t{j}" for j in range(m)], check_lang=False)
    _assert_partition(al, n, m)
    al = _fake_aligner().align([f"s{i}" for i in range(m)], [f"t{j}" for j in range(n)], check_lang=False)
    _assert_partition(al, m, n)


def test_one_against_ten_thousand():
    for n, m in ((1, 10_000), (10, 1_000), (1_000, 10)):
        al = _fake_aligner().align([f"s{i}" for i in range(n)], [f"t{j}" for j in range(m)], check_lang=False)
        _assert_partition(al, n, m)
        # mostly null beads: a 1-sentence side cannot cover thousands of sentences
        assert sum(b.is_null for b in al.beads) >= max(n, m) - 5 * min(n, m)


@settings(max_examples=200, deadline=None)
@given(n=st.integers(0, 400), m=st.integers(0, 4000), hw=st.integers(0, 12),
       jumps=st.lists(st.integers(0, 4000), min_size=0, max_size=6))
def test_band_around_always_connects_the_corners(n, m, hw, jumps):
    """Null moves alone must lead from (0, 0) to (n, m) through any band ``Band.around`` builds."""
    center = np.linspace(0, m, n + 1)
    for k, jmp in enumerate(jumps):               # arbitrary jumps in the centre line (long insertions)
        center[(k * 37) % (n + 1):] += jmp
    band = Band.around(center, hw, m)
    assert band.lo[0] == 0 and np.all(np.diff(band.lo) >= 0)
    assert np.all(np.diff(band.lo) <= band.width - 1)       # consecutive rows overlap
    assert band.lo[-1] + band.width - 1 >= m                 # the last row reaches the corner
    # cells stay linear in the lengths whatever the shape
    assert (n + 1) * band.width <= 4 * (n + m) + (n + 1) * (2 * hw + 1) + 8
    if n * m <= 20_000:
        types = [(0, 1), (1, 0)]
        scores = [np.full((n + 1, band.width), -1.0) for _ in types]
        path = banded_dp(band, types, scores)
        assert sum(b[1] - b[0] for b in path) == n and sum(b[3] - b[2] for b in path) == m


def test_console_script_aligns_very_unequal_pre_split_files(tmp_path):
    """10 Chinese sentences against 1,000 English, and 1 against 10,000, through the installed command."""
    script = [sys.executable, "-m", "aligner.cli"]
    for n, m in ((10, 1_000), (1, 10_000)):
        zh = tmp_path / f"{n}.zh"
        en = tmp_path / f"{m}.en"
        zh.write_text("".join(f"这是第{i}句话。\n" for i in range(n)), encoding="utf-8")
        en.write_text("".join(f"Item {j}.\n" for j in range(m)), encoding="utf-8")   # short: cheap to embed
        out = tmp_path / f"{n}-{m}.tsv"
        r = subprocess.run(script + ["align", str(zh), str(en), "--pre-split", "-o", str(out)],
                           capture_output=True, text=True, timeout=600)
        assert r.returncode == 0, r.stderr
        assert "Traceback" not in r.stderr
        rows = out.read_text(encoding="utf-8").splitlines()[1:]
        src_ids = [int(k) for r in rows for k in r.split("\t")[0].split(",") if k]
        tgt_ids = [int(k) for r in rows for k in r.split("\t")[1].split(",") if k]
        assert sorted(src_ids) == list(range(n)) and sorted(tgt_ids) == list(range(m))
