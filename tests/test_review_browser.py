"""The review page in a real browser: Debian's chromium, headless, driven by selenium (tests/browser.py).

The page is made by the real CLI (subprocess) from the UN-letter example; the test counts the rows, filters,
merges and splits with the page's own buttons, exports the TMX through a real download, and compares it with the
beads the same edits give when applied in Python.
"""
from __future__ import annotations

import json
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import browser

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
XML_NS = "{http://www.w3.org/XML/1998/namespace}"

pytestmark = pytest.mark.skipif(browser.available() is not None, reason=str(browser.available()))


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("review")
    cmd = [sys.executable, "-m", "aligner.cli", "align", str(EXAMPLES / "un-letter.zh.txt"),
           str(EXAMPLES / "un-letter.en.txt"), "-o", str(out / "un-letter.html"), "-o", str(out / "un-letter.jsonl"),
           "--creation-id", "Reviewer", "-q"]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    beads = [json.loads(line) for line in (out / "un-letter.jsonl").read_text("utf-8").splitlines()]
    return out, beads


@pytest.fixture(scope="module")
def driver(tmp_path_factory):
    downloads = tmp_path_factory.mktemp("downloads")
    with browser.chrome(downloads) as d:
        d.downloads = downloads
        yield d


def rows(driver):
    return driver.execute_script(
        "return Array.from(document.querySelectorAll('#rows .row')).map(r => "
        "[r.dataset.src, r.dataset.tgt, r.dataset.score, r.hidden])")


def ids(text):
    return [int(x) for x in text.split(",")] if text else []


def clear(field):
    from selenium.webdriver.common.keys import Keys
    field.send_keys(Keys.CONTROL, "a")
    field.send_keys(Keys.BACKSPACE)


def wait_for_file(folder: Path, name: str, timeout: float = 20.0) -> Path:
    path = folder / name
    end = time.time() + timeout
    while time.time() < end:
        if path.exists() and not list(folder.glob("*.crdownload")):
            return path
        time.sleep(0.1)
    raise AssertionError(f"no download {name} in {folder}: {sorted(p.name for p in folder.iterdir())}")


def test_review_page_rows_filter_edit_export(demo, driver):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    out, beads = demo
    driver.get((out / "un-letter.html").as_uri())
    assert driver.execute_script("return document.documentElement.dataset.ready") == "1"
    assert driver.get_log("browser") == [] if hasattr(driver, "get_log") else True

    # one row per bead, with the alignment's ids and scores
    page = rows(driver)
    assert len(page) == len(beads)
    assert [(ids(s), ids(t)) for s, t, _, _ in page] == [(b["src"], b["tgt"]) for b in beads]
    assert [float(sc) for _, _, sc, _ in page] == pytest.approx([b["score"] for b in beads], abs=1e-4)

    # filter: beads below a threshold, then a search in English and one in Chinese
    threshold = sorted(b["score"] for b in beads)[len(beads) // 4]  # a quarter of the beads are below it
    thr = driver.find_element(By.ID, "threshold")
    thr.clear()
    thr.send_keys(str(threshold))
    Select(driver.find_element(By.ID, "show")).select_by_value("low")
    shown = [r for r in rows(driver) if not r[3]]
    expected_low = [b for b in beads if b["score"] < threshold]
    assert 0 < len(shown) == len(expected_low) < len(beads)
    assert driver.find_element(By.ID, "count").text == f"{len(expected_low)} of {len(beads)} shown"
    # "n" jumps to the first low-confidence bead
    driver.find_element(By.TAG_NAME, "body").send_keys("n")
    first_low = next(k for k, b in enumerate(beads) if b["score"] < threshold)
    assert driver.execute_script("return window.review.focus()") == first_low
    Select(driver.find_element(By.ID, "show")).select_by_value("all")
    search = driver.find_element(By.ID, "search")
    search.send_keys("Security Council")
    time.sleep(0.3)  # the search waits for typing to pause
    hits = [r for r in rows(driver) if not r[3]]
    assert hits and len(hits) == sum("security council" in b["tgt_text"].lower() for b in beads)
    clear(search)
    search.send_keys("安全理事会")
    time.sleep(0.3)
    hits = [r for r in rows(driver) if not r[3]]
    assert hits and len(hits) == sum("安全理事会" in b["src_text"] for b in beads)
    clear(search)
    time.sleep(0.3)
    assert not any(r[3] for r in rows(driver))

    # printable: the print stylesheet hides the controls, keeps the title and every row; a PDF comes out
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    assert driver.execute_script("return getComputedStyle(document.querySelector('#bar .tools')).display") == "none"
    assert driver.execute_script("return getComputedStyle(document.querySelector('#bar .title')).display") != "none"
    assert driver.execute_script("return getComputedStyle(document.querySelector('#rows .row')).contentVisibility") \
        == "visible"
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    pdf = driver.execute_cdp_cmd("Page.printToPDF", {})["data"]
    assert len(pdf) > 10_000

    # edits with the page's buttons: merge beads 1 and 2, then move the last English sentence of the
    # merged bead back down (a split), then merge 5 with 6 and undo it, then mark bead 8 as not a translation
    expected = [[list(b["src"]), list(b["tgt"])] for b in beads]
    def edit(i, op, side=None):
        """Click row i (which gets the edit toolbar), then the toolbar's button."""
        driver.find_elements(By.CSS_SELECTOR, "#rows .row")[i].find_element(By.CSS_SELECTOR, ".num").click()
        sel = f"#rows .row:nth-child({i + 1}) #acts [data-op={op}]" + (f"[data-side={side}]" if side else "")
        driver.find_element(By.CSS_SELECTOR, sel).click()

    edit(0, "merge-next")
    expected[0:2] = [[expected[0][0] + expected[1][0], expected[0][1] + expected[1][1]]]
    assert [(ids(s), ids(t)) for s, t, _, _ in rows(driver)] == [tuple(b) for b in expected]
    edit(0, "last-down", "t")
    moved = expected[0][1].pop()
    expected[1][1].insert(0, moved)
    assert [(ids(s), ids(t)) for s, t, _, _ in rows(driver)] == [tuple(b) for b in expected]
    assert rows(driver)[0][2] == ""  # edited beads have no aligner score any more
    edit(4, "merge-prev")
    assert len(rows(driver)) == len(expected) - 1
    driver.find_element(By.ID, "undo").click()
    assert [(ids(s), ids(t)) for s, t, _, _ in rows(driver)] == [tuple(b) for b in expected]
    edit(7, "not-translation")
    expected[7:8] = [[expected[7][0], []], [[], expected[7][1]]]
    assert [(ids(s), ids(t)) for s, t, _, _ in rows(driver)] == [tuple(b) for b in expected]

    # export: a real download of the TMX, compared with the expected beads' texts
    driver.find_element(By.CSS_SELECTOR, "[data-export=tmx]").click()
    tmx_path = wait_for_file(driver.downloads, "un-letter.reviewed.tmx")
    src_sents = {}
    tgt_sents = {}
    for b in beads:  # sentence texts from the aligner's own JSONL (1-1 beads carry one sentence each side)
        if len(b["src"]) == 1:
            src_sents[b["src"][0]] = b["src_text"]
        if len(b["tgt"]) == 1:
            tgt_sents[b["tgt"][0]] = b["tgt_text"]
    from aligner.segment.join import join_sentences
    pairs = [(join_sentences([src_sents[i] for i in s], "zh"), join_sentences([tgt_sents[j] for j in t], "en"))
             for s, t in expected if s and t and all(i in src_sents for i in s) and all(j in tgt_sents for j in t)]
    root = ET.parse(tmx_path).getroot()
    units = root.findall("./body/tu")
    assert len(units) == sum(1 for s, t in expected if s and t)
    got = [tuple(tu.find(f"tuv[@{XML_NS}lang='{lang}']/seg").text for lang in ("zh-CN", "en-US")) for tu in units]
    for pair in pairs:
        assert pair in got
    assert got[0] == pairs[0]  # the merged-then-split first bead
    assert units[0].get("creationid") == "Reviewer"
    props = {p.get("type"): p.text for p in units[0].findall("prop")}
    assert props["x-align-edit"] == "merge" and props["x-document"] == "un-letter"
    assert "x-align-score" not in props

    # the JSONL export reads back through `aligner review` with the same beads, and the edit log has 5 entries
    jsonl = driver.execute_script("return window.review.exportText('jsonl')")
    (out / "reviewed.jsonl").write_text(jsonl, "utf-8")
    proc = subprocess.run([sys.executable, "-m", "aligner.cli", "review", str(out / "reviewed.jsonl"), "-o",
                           str(out / "reviewed.tsv")], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    tsv = [line.split("\t") for line in (out / "reviewed.tsv").read_text("utf-8").splitlines()[1:]]
    assert [[ids(r[0]), ids(r[1])] for r in tsv] == expected
    log = json.loads(driver.execute_script("return window.review.exportText('log')"))
    assert [e["op"] for e in log["edits"]] == ["merge", "move last en sentence down", "merge", "undo",
                                               "not a translation"]


def test_review_page_keyboard(demo, driver):
    """j/k move the focus, m and M merge, x splits a pair into 1-0 and 0-1, u undoes, n finds low beads."""
    from selenium.webdriver.common.by import By

    out, beads = demo
    driver.get((out / "un-letter.html").as_uri())
    body = driver.find_element(By.TAG_NAME, "body")
    focus = lambda: driver.execute_script("return window.review.focus()")  # noqa: E731
    pairs = lambda: [(ids(s), ids(t)) for s, t, _, _ in rows(driver)]  # noqa: E731
    original = [(b["src"], b["tgt"]) for b in beads]
    body.send_keys("jjj")
    assert focus() == 2
    body.send_keys("k")
    assert focus() == 1
    body.send_keys("m")  # beads 1 and 2 (0-based) merged, focus stays on the merged bead
    assert pairs() == original[:1] + [(original[1][0] + original[2][0], original[1][1] + original[2][1])] + original[3:]
    assert focus() == 1
    body.send_keys("u")
    assert pairs() == original
    body.send_keys("jM")  # from bead 2: merge with the previous one
    assert pairs() == original[:1] + [(original[1][0] + original[2][0], original[1][1] + original[2][1])] + original[3:]
    assert focus() == 1
    body.send_keys("x")  # the merged bead is not a translation: an n-0 and a 0-m bead
    got = pairs()
    assert got[1] == (original[1][0] + original[2][0], []) and got[2] == ([], original[1][1] + original[2][1])
    body.send_keys("uu")
    assert pairs() == original
    assert [e["op"] for e in driver.execute_script("return window.review.log()")] == [
        "merge", "undo", "merge", "not a translation", "undo", "undo"]
    # n with a threshold above every score visits beads in document order
    driver.execute_script("const t = document.getElementById('threshold'); t.value = '1.01';"
                          "t.dispatchEvent(new Event('input'));")
    body.send_keys("n")
    first = focus()
    body.send_keys("n")
    assert focus() == first + 1


def test_review_page_of_paragraph_units_exports_segtype_paragraph(tmp_path, driver):
    """The page made from `--unit paragraph` exports a TMX whose header says segtype="paragraph", as the CLI's own
    TMX of the same units does (a CAT tool reading "sentence" takes each unit for one sentence)."""
    from selenium.webdriver.common.by import By
    page = tmp_path / "units.html"
    for lang in ("zh", "en"):   # a name of its own: the downloads folder is the module's
        (tmp_path / f"units.{lang}.txt").write_text((EXAMPLES / f"un-letter.{lang}.txt").read_text("utf-8"), "utf-8")
    cmd = [sys.executable, "-m", "aligner.cli", "align", str(tmp_path / "units.zh.txt"), str(tmp_path / "units.en.txt"),
           "--unit", "paragraph", "-o", str(page), "-q"]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    driver.get(page.as_uri())
    assert driver.execute_script("return document.documentElement.dataset.ready") == "1"
    driver.find_element(By.CSS_SELECTOR, "[data-export=tmx]").click()
    root = ET.parse(wait_for_file(driver.downloads, "units.reviewed.tmx")).getroot()
    assert root.find("header").get("segtype") == "paragraph"
    assert len(root.findall("./body/tu")) > 0
