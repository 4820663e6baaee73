"""aligner.evaluate gives the reference scorer's numbers on hand-made and real alignments."""
import json
import subprocess
import sys

import pytest
from conftest import MAC_DEV, SCORER

from aligner.evaluate import doc_counts, evaluate_dirs, scores_from_counts


def test_hand_made_counts():
    gold = [((0,), (0,)), ((1,), (1, 2)), ((2,), ()), ((3, 4), (3,))]
    auto = [((0,), (0,)), ((1,), (1,)), ((), (2,)), ((2,), ()), ((3,), (3,)), ((4,), ())]
    s = scores_from_counts(doc_counts(gold, auto))
    # strict: tp = [0]:[0] and the identical null [2]:[] -> 2 of 6 auto; recall 1 of 3 gold non-null
    assert s["P_strict"] == pytest.approx(2 / 6) and s["R_strict"] == pytest.approx(1 / 3)
    # lax: [1]:[1] and [3]:[3] overlap gold beads; nulls not in gold are false
    assert s["P_lax"] == pytest.approx(4 / 6) and s["R_lax"] == pytest.approx(1.0)


def test_same_numbers_as_reference_on_perturbed_gold(tmp_path):
    if not MAC_DEV.exists():
        pytest.skip("shared data not available")
    auto = tmp_path / "auto"
    auto.mkdir()
    for g in sorted(MAC_DEV.glob("*.align")):
        lines = g.read_text().splitlines()
        # merge every 7th bead with the next one: a realistic mix of right and wrong beads
        out, k = [], 0
        while k < len(lines):
            if k % 7 == 3 and k + 1 < len(lines):
                a, b = lines[k].split(":")[:2], lines[k + 1].split(":")[:2]
                s = ",".join(x for x in (a[0].strip("[]"), b[0].strip("[]")) if x)
                t = ",".join(x for x in (a[1].strip("[]"), b[1].strip("[]")) if x)
                out.append(f"[{s}]:[{t}]")
                k += 2
            else:
                out.append(lines[k])
                k += 1
        (auto / g.name).write_text("\n".join(out) + "\n")
    ours = evaluate_dirs(MAC_DEV, auto)
    ref = json.loads(subprocess.run([sys.executable, SCORER, "--gold", MAC_DEV, "--auto", auto, "--json", "--by-doc"],
                                    capture_output=True, text=True, check=True).stdout)
    for key in ("P_strict", "R_strict", "F1_strict", "P_lax", "R_lax", "F1_lax"):
        assert ours["overall"][key] == pytest.approx(ref["overall"][key], abs=1e-12)
        for doc, r in ref["by_doc"].items():
            assert ours[doc][key] == pytest.approx(r[key], abs=1e-12)
    assert ours["overall"]["F1_strict"] < 0.95
