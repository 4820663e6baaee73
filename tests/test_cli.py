"""The command line as a user meets it: outputs, batch, eval, and one-line errors for bad input."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import MAC_DEV, ROOT, SCORER
from sample_pair import EN, ZH

ALIGNER = [sys.executable, "-m", "aligner.cli"]


def run(*args, cwd=None):
    return subprocess.run(ALIGNER + [str(a) for a in args], capture_output=True, text=True, cwd=cwd,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    d = tmp_path_factory.mktemp("pair")
    (d / "a.zh").write_text("\n".join(ZH) + "\n", encoding="utf-8")
    (d / "a.en").write_text("\n".join(EN) + "\n", encoding="utf-8")
    (d / "doc.zh.txt").write_text("".join(ZH), encoding="utf-8")
    (d / "doc.en.txt").write_text(" ".join(EN), encoding="utf-8")
    return d


def test_align_writes_every_format(pair, tmp_path):
    out = tmp_path / "o"
    r = run("align", pair / "doc.zh.txt", pair / "doc.en.txt", "-o", f"{out}.tmx", "-o", f"{out}.tsv",
            "-o", f"{out}.jsonl", "-o", f"{out}.align")
    assert r.returncode == 0, r.stderr
    assert "sentences   zh: 5   en: 6" in r.stderr and "1-2: 1" in r.stderr
    rows = [json.loads(x) for x in Path(f"{out}.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(x["src"], x["tgt"]) for x in rows] == [([0], [0]), ([1], [1]), ([2], [2, 3]), ([3], [4]), ([4], [5])]
    assert Path(f"{out}.align").read_text().splitlines()[2].startswith("[2]:[2,3]:")
    from translate.storage import tmx
    units = tmx.tmxfile.parsefile(f"{out}.tmx").units
    assert len(units) == 5 and units[0].source == ZH[0] and units[0].target == EN[0]
    r = run("align", pair / "a.zh", pair / "a.en", "--pre-split", "--format", "moses", "-o", tmp_path / "m")
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "m.zh").read_text(encoding="utf-8").splitlines()[2] == ZH[2]
    assert (tmp_path / "m.en").read_text(encoding="utf-8").splitlines()[2] == EN[2] + " " + EN[3]


def test_english_source_direction(pair, tmp_path):
    r = run("align", pair / "a.en", pair / "a.zh", "--pre-split", "--src-lang", "en", "--tgt-lang", "zh",
            "-o", tmp_path / "x.align")
    assert r.returncode == 0, r.stderr
    assert "[2,3]:[2]:" in (tmp_path / "x.align").read_text()


def test_segment_and_reflow_print_lines(pair):
    r = run("segment", pair / "doc.zh.txt", "--lang", "zh")
    assert r.returncode == 0 and r.stdout.splitlines() == ZH
    r = run("reflow", ROOT / "examples" / "raw" / "un-letter.pdf.zh.txt", "--lang", "zh")
    assert r.returncode == 0 and "\n\n" in r.stdout and len(r.stdout) > 2000


def _one_line_error(r):
    assert r.returncode != 0
    assert "Traceback" not in r.stderr
    lines = [x for x in r.stderr.splitlines() if x.strip()]
    assert len(lines) == 1 and "error" in lines[0], r.stderr
    return lines[0]


@pytest.mark.parametrize("content,needle", [
    (None, "no such file"),
    (b"", "empty"),
    (b"   \n\t \n", "whitespace"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "binary"),
    (b"caf\xe9 cr\xe8me br\xfbl\xe9e " * 20, "decode"),
])
def test_bad_input_one_line_error(pair, tmp_path, content, needle):
    bad = tmp_path / "bad.txt"
    if content is not None:
        bad.write_bytes(content)
    line = _one_line_error(run("align", bad, pair / "doc.en.txt", "-o", tmp_path / "o.tsv"))
    assert needle in line.lower()
    assert not (tmp_path / "o.tsv").exists()


def test_same_language_is_refused(pair, tmp_path):
    line = _one_line_error(run("align", pair / "doc.en.txt", pair / "doc.en.txt", "-o", tmp_path / "o.tsv"))
    assert "language" in line


def test_gb18030_and_utf16_inputs_are_decoded(pair, tmp_path):
    text = "".join(ZH)
    for enc, data in [("gb18030", text.encode("gb18030")), ("utf-16", text.encode("utf-16"))]:
        f = tmp_path / f"{enc}.txt"
        f.write_bytes(data)
        r = run("align", f, pair / "doc.en.txt", "-o", tmp_path / f"{enc}.align")
        assert r.returncode == 0, r.stderr
        assert (tmp_path / f"{enc}.align").read_text().count("\n") == 5


def test_batch_skips_done_pairs_and_eval_matches_reference_scorer(tmp_path):
    if not MAC_DEV.exists():
        pytest.skip("shared data not available")
    src = tmp_path / "in"
    src.mkdir()
    for name in ("001", "006"):
        for ext in ("zh", "en", "align"):
            (src / f"{name}.{ext}").write_bytes((MAC_DEV / f"{name}.{ext}").read_bytes())
    out = tmp_path / "out"
    r = run("align", "--batch", src, "--pre-split", "-o", out)
    assert r.returncode == 0, r.stderr and "2 aligned" in r.stderr
    r = run("align", "--batch", src, "--pre-split", "-o", out)
    assert "0 aligned, 2 already done" in r.stderr
    ours = json.loads(run("eval", src, out, "--json").stdout)["overall"]
    ref = json.loads(subprocess.run([sys.executable, SCORER, "--gold", src, "--auto", out, "--json"],
                                    capture_output=True, text=True).stdout)["overall"]
    for k in ("P_strict", "R_strict", "F1_strict", "P_lax", "R_lax", "F1_lax"):
        assert ours[k] == pytest.approx(ref[k], abs=1e-12)
    assert ours["F1_strict"] > 0.85 and ours["F1_lax"] > 0.97


def test_min_score_filters_tmx_but_not_tsv(pair, tmp_path):
    r = run("align", pair / "a.zh", pair / "a.en", "--pre-split", "-o", tmp_path / "all.tsv",
            "-o", tmp_path / "hi.tmx", "--min-score", "0.999999")
    assert r.returncode == 0, r.stderr
    from translate.storage import tmx
    assert len(tmx.tmxfile.parsefile(str(tmp_path / "hi.tmx")).units) == 0
    assert len((tmp_path / "all.tsv").read_text(encoding="utf-8").splitlines()) == 1 + 5
    r = run("align", pair / "a.zh", pair / "a.en", "--pre-split", "-o", tmp_path / "lo.tmx", "--min-score", "0.0")
    assert len(tmx.tmxfile.parsefile(str(tmp_path / "lo.tmx")).units) == 5


def test_manifest_batch(pair, tmp_path):
    man = tmp_path / "pairs.tsv"
    man.write_text(f"{pair / 'a.zh'}\t{pair / 'a.en'}\t{tmp_path / 'x.jsonl'}\n", encoding="utf-8")
    r = run("align", "--manifest", man, "--pre-split", "-o", tmp_path, "--format", "jsonl")
    assert r.returncode == 0, r.stderr
    assert len((tmp_path / "x.jsonl").read_text(encoding="utf-8").splitlines()) == 5


def test_big5_input_is_decoded_and_the_guess_said(tmp_path):
    text = "第一條　為保障著作人著作權益，特制定本法。本法未規定者，適用其他法律之規定。\n"
    f = tmp_path / "law.zh.txt"
    f.write_bytes(text.encode("big5"))
    r = run("segment", f, "--lang", "zh")
    assert r.returncode == 0, r.stderr
    assert "本法未規定者，適用其他法律之規定。" in r.stdout.splitlines()
    assert "read as Big5, guessed from its Traditional Chinese characters" in r.stderr
