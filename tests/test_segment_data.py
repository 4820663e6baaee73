"""Measured targets on the shared evaluation data (skipped when ../shared/data is absent).

Reads ../shared/data at test time only; nothing from it is stored in the project.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from aligner.segment import segment
from aligner.segment.layout import hard_breaks

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
MAC = SHARED / "mac-dev"
LINEBREAKS = SHARED / "un" / "linebreaks-en.jsonl"


def _boundaries(sentences):
    out, pos = set(), 0
    for s in sentences:
        pos += sum(1 for c in s if not c.isspace())
        out.add(pos)
    return out


def _f1(lang):
    tp = fp = fn = 0
    files = sorted(MAC.glob(f"*.{lang}.txt"))
    assert files
    for path in files:
        text = path.read_text(encoding="utf-8")
        gold = [ln for ln in path.with_suffix("").read_text(encoding="utf-8").split("\n") if ln.strip()]
        sents = segment(text, lang)
        assert all(text[s.start:s.end] == s.text for s in sents)  # running text: spans are exact
        g, p = _boundaries(gold), _boundaries([s.text for s in sents])
        tp += len(g & p)
        fp += len(p - g)
        fn += len(g - p)
    prec, rec = tp / (tp + fp), tp / (tp + fn)
    return 2 * prec * rec / (prec + rec)


@pytest.mark.skipif(not MAC.is_dir(), reason="../shared/data/mac-dev not available")
def test_mac_dev_zh_boundary_f1():
    assert _f1("zh") >= 0.99


@pytest.mark.skipif(not MAC.is_dir(), reason="../shared/data/mac-dev not available")
def test_mac_dev_en_boundary_f1():
    assert _f1("en") >= 0.98


@pytest.mark.skipif(not LINEBREAKS.exists(), reason="../shared/data/un not available")
def test_un_linebreaks_all_correct():
    n = 0
    for line in LINEBREAKS.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        rec = json.loads(line)
        assert hard_breaks(rec["raw_text"], "en") == rec["is_hard_linebreak"]
        n += len(rec["is_hard_linebreak"])
    assert n == 56
