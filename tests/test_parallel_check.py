"""The non-parallel check on synthetic documents whose true correspondence is known."""
from __future__ import annotations

import subprocess
import sys
import zlib

import numpy as np
import pytest

import aligner
from conftest import MAC_DEV


class TopicEncoder:
    """Sentence "zh 17 ..." and "en 17 ..." (a translation pair) share a vector, up to a little noise."""

    name = "topic"
    dim = 48

    def encode(self, texts):
        out = np.zeros((len(texts), self.dim), np.float32)
        for k, t in enumerate(texts):
            lang, num = t.split()[:2]
            base = np.random.default_rng(int(num)).standard_normal(self.dim)
            noise = np.random.default_rng(zlib.crc32(f"{lang} {num}".encode())).standard_normal(self.dim)
            out[k] = base + 0.45 * noise
        return out / np.linalg.norm(out, axis=1, keepdims=True)


def _align(src_ids, tgt_ids):
    al = aligner.Aligner("usem3", encoder=TopicEncoder())
    return al.align([f"zh {k} 句子" for k in src_ids], [f"en {k} sentence words" for k in tgt_ids])


def test_a_translation_gets_no_finding():
    al = _align(range(200), range(200))
    st = al.stats["parallel_check"]
    assert st["checked"] and st["verdict"] == "parallel" and st["findings"] == []
    assert al.warnings == []
    assert min(st["matched_share"].values()) > 0.9


def test_unrelated_documents_are_called_out():
    al = _align(range(200), range(1000, 1180))
    assert al.stats["parallel_check"]["verdict"] == "not_parallel"
    assert any("do not look like translations of each other" in w for w in al.warnings)


@pytest.mark.parametrize("src, tgt, side, where, first, last", [
    (range(200), range(120), "Chinese", "last", 121, 200),                  # translation cut after 60 %
    (list(range(200)) + list(range(500, 600)), range(200), "Chinese", "last", 201, 300),   # an extra chapter
    (range(200), list(range(500, 560)) + list(range(200)), "English", "first", 1, 60),    # extra material first
    (range(200), list(range(70)) + list(range(130, 200)), "Chinese", "middle", 71, 130),  # a middle stretch missing
])
def test_a_stretch_without_counterpart_is_located(src, tgt, side, where, first, last):
    al = _align(src, tgt)
    found = [f for f in al.stats["parallel_check"]["findings"] if f["kind"] == "no_counterpart"]
    assert len(found) == 1, al.warnings
    f = found[0]
    assert (f["side"], f["where"]) == (side, where)
    lo, hi = f["sentences"]
    # the DP may smear a few sentences next to the gap into weak beads: the range can start a little early
    assert first - 20 <= lo <= first + 3 and last - 10 <= hi <= last + 20, f
    assert any(f"sentences {lo}–{hi}" in w and "has no counterpart" in w for w in al.warnings)


def test_short_documents_are_not_judged():
    al = _align(range(3), range(900, 903))
    assert al.stats["parallel_check"]["checked"] is False
    assert al.warnings == []


@pytest.mark.skipif(not MAC_DEV.is_dir(), reason="../shared/data/mac-dev not available")
def test_console_script_warns_on_unrelated_chapters_and_not_on_a_real_pair(tmp_path):
    """001.zh against 004.en: exit 0, output written, and a one-line 'not translations' warning on stderr."""
    script = [sys.executable, "-m", "aligner.cli", "align"]
    bad = subprocess.run(script + [str(MAC_DEV / "001.zh"), str(MAC_DEV / "004.en"), "--pre-split",
                                   "-o", str(tmp_path / "bad.tsv")], capture_output=True, text=True, timeout=600)
    assert bad.returncode == 0, bad.stderr
    warn = [ln for ln in bad.stderr.splitlines() if "do not look like translations of each other" in ln]
    assert len(warn) == 1 and warn[0].startswith("aligner: warning: "), bad.stderr
    good = subprocess.run(script + [str(MAC_DEV / "001.zh"), str(MAC_DEV / "001.en"), "--pre-split",
                                    "-o", str(tmp_path / "good.tsv")], capture_output=True, text=True, timeout=600)
    assert good.returncode == 0, good.stderr
    assert not [ln for ln in good.stderr.splitlines() if "counterpart" in ln or "translations of" in ln], good.stderr
