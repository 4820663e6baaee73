"""Bootstrap intervals and the paired bootstrap of `aligner eval --ci / --compare`, on synthetic alignments."""
import json
import random
import subprocess
import sys

import numpy as np
import pytest

from aligner.evaluate import _units, bootstrap_ci, doc_counts, paired_bootstrap, score_docs
from aligner.formats.align_file import format_bead


def _gold(n_beads, seed):
    rng = random.Random(seed)
    beads, i, j = [], 0, 0
    for _ in range(n_beads):
        a, b = rng.choice([(1, 1)] * 6 + [(1, 2), (2, 1), (0, 1), (1, 0)])
        beads.append((tuple(range(i, i + a)), tuple(range(j, j + b))))
        i, j = i + a, j + b
    return beads


def _corrupt(gold, rate, seed):
    """Merge a share of neighbouring beads (wrong strict, right lax) and split some 1-2 beads."""
    rng = random.Random(seed)
    out, k = [], 0
    while k < len(gold):
        if k + 1 < len(gold) and rng.random() < rate:
            (s1, t1), (s2, t2) = gold[k], gold[k + 1]
            out.append((s1 + s2, t1 + t2))
            k += 2
        else:
            out.append(gold[k])
            k += 1
    return out


def _pairs(rate, seed=0, docs=5, n=120):
    return {f"d{d}": (_gold(n, d), _corrupt(_gold(n, d), rate, seed + d)) for d in range(docs)}


def test_units_add_up_to_the_document_counts():
    for d in range(6):
        gold = _gold(80, d)
        auto = _corrupt(gold, 0.2, d) + [((), (999,))]
        assert np.sum(_units(gold, auto), axis=0).tolist() == doc_counts(gold, auto)


@pytest.mark.parametrize("unit", ["segment", "doc"])
def test_interval_holds_the_estimate_is_seeded_and_shrinks_with_more_data(unit):
    pairs = _pairs(0.15)
    est = score_docs(pairs)["overall"]
    ci = bootstrap_ci(pairs, n=400, seed=1, unit=unit)
    for m in ("P_strict", "R_strict", "F1_strict"):
        assert ci[m][0] < est[m] < ci[m][1]
    assert ci == bootstrap_ci(pairs, n=400, seed=1, unit=unit)
    assert ci != bootstrap_ci(pairs, n=400, seed=2, unit=unit)
    big = bootstrap_ci(_pairs(0.15, docs=20, n=400), n=400, seed=1, unit=unit)
    assert big["F1_strict"][1] - big["F1_strict"][0] < ci["F1_strict"][1] - ci["F1_strict"][0]


def test_paired_bootstrap_separates_a_better_system_and_not_an_identical_one():
    worse, better = _pairs(0.25, seed=0), _pairs(0.05, seed=0)
    res = paired_bootstrap(worse, better, n=500, seed=0)
    assert res["F1_strict"]["delta"] > 0.1 and res["F1_strict"]["p"] < 0.01
    assert res["F1_strict"]["lo"] > 0
    same = paired_bootstrap(worse, worse, n=200, seed=0)
    assert same["F1_strict"]["delta"] == 0 and same["F1_strict"]["p"] == 1.0
    # a tiny difference (one document, two beads) is not significant
    slight = dict(worse)
    gold, auto = slight["d0"]
    slight["d0"] = (gold, _corrupt(gold, 0.24, 0))
    assert paired_bootstrap(worse, slight, n=500, seed=0)["F1_strict"]["p"] > 0.05


def _write(folder, beads_by_doc, which):
    folder.mkdir()
    for doc, pair in beads_by_doc.items():
        (folder / f"{doc}.align").write_text("".join(format_bead(s, t) + "\n" for s, t in pair[which]))


def test_cli_ci_and_compare(tmp_path):
    worse, better = _pairs(0.25), _pairs(0.05)
    _write(tmp_path / "gold", worse, 0)
    _write(tmp_path / "a", worse, 1)
    _write(tmp_path / "b", better, 1)
    cli = [sys.executable, "-m", "aligner.cli", "eval", str(tmp_path / "gold"), str(tmp_path / "a")]
    r = subprocess.run(cli + ["--ci", "--resamples", "200"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert "95% intervals from 200 bootstrap resamples (seed 0) of gold beads within each document" in r.stdout
    line = next(x for x in r.stdout.splitlines() if x.startswith("F1_strict"))
    est, lo, hi = map(float, line.replace("[", " ").replace("]", " ").replace(",", " ").split()[1:])
    assert lo < est < hi
    r = subprocess.run(cli + ["--compare", str(tmp_path / "b"), "--json", "--resamples", "200"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["paired"]["F1_strict"]["delta"] > 0.1 and out["paired"]["F1_strict"]["p"] < 0.05
    r = subprocess.run(cli + ["--ci", "--ci-unit", "beads"], capture_output=True, text=True)
    assert r.returncode == 2
