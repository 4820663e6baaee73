"""Word 97-2003 .doc, .odt and .rtf inputs (aligner/read/office.py), through the installed console script: converted
by LibreOffice and read like the .docx they become, or a one-line error when LibreOffice is missing or the file is
broken.  The fixtures are the UN letter's DOCX renderings saved by LibreOffice as .doc (Chinese) and .rtf (English)."""
import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

SCRIPT = Path(sys.executable).with_name("aligner")
DATA = ROOT / "tests" / "data"
DOC, RTF = DATA / "office" / "un-letter.zh.doc", DATA / "office" / "un-letter.en.rtf"
DOCX_ZH, DOCX_EN = DATA / "docs" / "un-letter.a4.zh.docx", DATA / "docs" / "un-letter.a4.en.docx"
needs_soffice = pytest.mark.skipif(not (shutil.which("soffice") or shutil.which("libreoffice")),
                                   reason="LibreOffice (soffice) is not installed; .ci/run installs it")


def run(*args, env=None):
    return subprocess.run([str(SCRIPT), *map(str, args)], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=600)


def rows(path):
    with open(path, encoding="utf-8", newline="") as fh:
        return [(r["src_text"], r["tgt_text"]) for r in csv.DictReader(fh, delimiter="\t")]


@needs_soffice
def test_doc_and_rtf_align_as_their_docx_twins(tmp_path):
    out, twin = tmp_path / "office.tsv", tmp_path / "docx.tsv"
    r = run("align", DOC, RTF, "-o", out)
    assert r.returncode == 0, r.stderr
    assert f"{DOC}: a Word 97-2003 .doc file, converted to .docx with LibreOffice" in r.stderr
    assert f"{RTF}: an RTF file, converted to .docx with LibreOffice" in r.stderr
    r = run("align", DOCX_ZH, DOCX_EN, "-o", twin)
    assert r.returncode == 0, r.stderr
    got, want = rows(out), rows(twin)
    assert len(got) > 50 and got == want            # same blocks, sentences and beads as the .docx pair


@needs_soffice
def test_reflow_keeps_the_structure_and_rtf_is_sniffed_under_any_name(tmp_path):
    r = run("reflow", DOC, "--lang", "zh")
    assert r.returncode == 0, r.stderr
    want = run("reflow", DOCX_ZH, "--lang", "zh")
    assert r.stdout == want.stdout and r.stdout.count("[heading") >= 2
    renamed = tmp_path / "letter.en.txt"              # an RTF file named .txt is still RTF, not text to segment
    renamed.write_bytes(RTF.read_bytes())
    r = run("segment", renamed, "--lang", "en")
    assert r.returncode == 0, r.stderr
    assert "rtf1" not in r.stdout and "fonttbl" not in r.stdout
    assert r.stdout == run("segment", DOCX_EN, "--lang", "en").stdout


@needs_soffice
def test_a_broken_doc_is_one_line_of_error(tmp_path):
    bad = tmp_path / "broken.doc"
    bad.write_bytes(DOC.read_bytes()[:3000])
    r = run("segment", bad, "--lang", "zh")
    assert r.returncode == 1 and r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"aligner: error: {bad}: LibreOffice could not convert")
    assert "Traceback" not in r.stderr


def test_without_libreoffice_the_error_says_what_to_do(tmp_path):
    r = run("segment", DOC, "--lang", "zh", env={"ALIGNER_SOFFICE": str(tmp_path / "no-such-soffice")})
    assert r.returncode == 1 and r.stdout == ""
    assert r.stderr.strip() == (f"aligner: error: {DOC}: a Word 97-2003 .doc file is read through LibreOffice, "
                                "which is not installed; install it (e.g. apt-get install libreoffice-writer) or "
                                "save the file as .docx")
