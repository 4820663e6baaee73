"""A batch folder of documents (issue 9: "any mix of formats"): NAME.zh.pdf with NAME.en.docx, HTML pairs and text
pairs side by side, found by ``--batch`` and aligned through the installed console script."""
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import console_script

from aligner.batch.jobs import discover_jobs
from aligner.errors import InputError

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "tests" / "data" / "docs"
WEB = ROOT / "tests" / "data" / "web"


def _folder(d: Path) -> Path:
    d.mkdir()
    shutil.copy(ROOT / "examples" / "un-letter.zh.txt", d / "letter.zh.txt")
    shutil.copy(ROOT / "examples" / "un-letter.en.txt", d / "letter.en.txt")
    shutil.copy(DOCS / "cc-by-sa-4.0-legalcode.a4.zh.pdf", d / "cc.zh.pdf")          # a PDF with a Word file
    shutil.copy(DOCS / "cc-by-sa-4.0-legalcode.a4.en.docx", d / "cc.en.docx")
    shutil.copy(WEB / "un-letter.zh.html", d / "web.zh.html")
    shutil.copy(WEB / "un-letter.en.html", d / "web.en.html")
    shutil.copy(DOCS / "cc-by-sa-4.0-legalcode.a5.zh.pdf", d / "twice.zh.pdf")     # two English forms: the PDF
    shutil.copy(DOCS / "cc-by-sa-4.0-legalcode.a5.en.pdf", d / "twice.en.pdf")     # pairs with the PDF
    shutil.copy(DOCS / "cc-by-sa-4.0-legalcode.a5.en.docx", d / "twice.en.docx")
    (d / "lone.zh.md").write_text("# 没有译文\n\n这一篇没有英文。\n", encoding="utf-8")   # no partner: not a pair
    return d


def test_discovery_pairs_documents_in_any_mix(tmp_path):
    d = _folder(tmp_path / "in")
    jobs = discover_jobs(d, None, tmp_path / "out", "zh", "en", False, "tsv")
    assert [(j.name, j.src.name, j.tgt.name) for j in jobs] == [
        ("cc", "cc.zh.pdf", "cc.en.docx"), ("letter", "letter.zh.txt", "letter.en.txt"),
        ("twice", "twice.zh.pdf", "twice.en.pdf"), ("web", "web.zh.html", "web.en.html")]
    # pre-split input is one sentence a line: documents are not pre-split text
    (d / "plain.zh").write_text("一。\n", encoding="utf-8")
    (d / "plain.en").write_text("One.\n", encoding="utf-8")
    assert [j.name for j in discover_jobs(d, None, tmp_path / "out", "zh", "en", True, "tsv")] == ["plain"]


def test_an_ambiguous_pairing_is_an_error_that_names_the_files(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    for f in ("x.zh.pdf", "x.zh.docx", "x.en.html", "x.en.md"):
        (d / f).write_bytes(b"")
    with pytest.raises(InputError, match=r"x has several forms \(x\.en\.html, x\.en\.md, x\.zh\.docx, x\.zh\.pdf\)"):
        discover_jobs(d, None, tmp_path / "out", "zh", "en", False, "tsv")


@pytest.mark.skipif(console_script() is None, reason="the aligner console script is not installed")
def test_console_batch_of_documents(tmp_path):
    d = _folder(tmp_path / "in")
    out, summary = tmp_path / "out", tmp_path / "run.json"
    r = subprocess.run([console_script(), "align", "--batch", str(d), "-o", str(out), "-f", "tsv",
                        "--json", str(summary)], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == \
        ["cc.tsv", "letter.tsv", "twice.tsv", "web.tsv"]
    pairs = {}
    for n in ("cc", "letter", "web", "twice"):
        head, *body = [ln.split("\t") for ln in (out / f"{n}.tsv").read_text(encoding="utf-8").splitlines()]
        a, b = head.index("src_text"), head.index("tgt_text")
        pairs[n] = [(r[a], r[b]) for r in body]
    assert pairs["letter"][0] == ("大会", "General Assembly")
    assert ("大会", "General Assembly") in pairs["web"]
    for n in ("cc", "twice"):     # the licence's title pairs with its title, whatever the English file's format
        assert any("署名" in zh and "Attribution" in en for zh, en in pairs[n])
    s = json.loads(summary.read_text(encoding="utf-8"))
    assert (s["pairs"], s["aligned"], s["failed"]) == (4, 4, 0) and "lone" not in json.dumps(s)
