"""Our TMX in a real CAT tool: Debian's OmegaT 3.6 in console mode takes every unit of the UN-letter demo.

An OmegaT project with sentence segmentation off gets our TMX in tm/auto/ (whose 100 % matches OmegaT inserts
by itself) and a source file made of the units' source segments, one paragraph each. ``--mode=console-translate``
writes the translated file, which must be exactly the units' targets. translate-toolkit must read every unit too.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
OMEGAT_JAR = Path("/usr/share/omegat/OmegaT.jar")
JAVA = shutil.which("java")
XML_NS = "{http://www.w3.org/XML/1998/namespace}"

PROJECT = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<omegat>
    <project version="1.0">
        <source_dir>__DEFAULT__</source_dir>
        <target_dir>__DEFAULT__</target_dir>
        <tm_dir>__DEFAULT__</tm_dir>
        <glossary_dir>__DEFAULT__</glossary_dir>
        <glossary_file>__DEFAULT__</glossary_file>
        <dictionary_dir>__DEFAULT__</dictionary_dir>
        <source_lang>{src}</source_lang>
        <target_lang>{tgt}</target_lang>
        <sentence_seg>false</sentence_seg>
        <support_default_translations>true</support_default_translations>
        <remove_tags>false</remove_tags>
    </project>
</omegat>
"""


@pytest.fixture(scope="module")
def demo_tmx(tmp_path_factory):
    out = tmp_path_factory.mktemp("omegat") / "un-letter.tmx"
    proc = subprocess.run([sys.executable, "-m", "aligner.cli", "align", str(ROOT / "examples" / "un-letter.zh.txt"),
                           str(ROOT / "examples" / "un-letter.en.txt"), "-o", str(out), "-q"],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    return out


def units(path: Path) -> list[tuple[str, str]]:
    root = ET.parse(path).getroot()
    return [(tu.find(f"tuv[@{XML_NS}lang='zh-CN']/seg").text, tu.find(f"tuv[@{XML_NS}lang='en-US']/seg").text)
            for tu in root.iter("tu")]


def test_translate_toolkit_reads_every_unit(demo_tmx):
    from translate.storage import tmx
    store = tmx.tmxfile(demo_tmx.open("rb"))
    expected = units(demo_tmx)
    assert len(expected) >= 90
    assert [(u.source, u.target) for u in store.units] == expected


def omegat_translate(project: Path, tmx_path: Path, sources: list[str], src_lang="zh-CN", tgt_lang="en-US"):
    for sub in ("source", "target", "tm/auto", "glossary", "omegat", "dictionary"):
        (project / sub).mkdir(parents=True, exist_ok=True)
    (project / "omegat.project").write_text(PROJECT.format(src=src_lang, tgt=tgt_lang), "utf-8")
    shutil.copy(tmx_path, project / "tm" / "auto" / tmx_path.name)
    (project / "source" / "units.txt").write_text("\n\n".join(sources) + "\n", "utf-8")
    proc = subprocess.run([JAVA, "-Djava.awt.headless=true", "-jar", str(OMEGAT_JAR), str(project),
                           "--mode=console-translate"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    text = (project / "target" / "units.txt").read_text("utf-8")
    return [p.strip() for p in text.split("\n\n") if p.strip()]


@pytest.mark.skipif(JAVA is None or not OMEGAT_JAR.exists(), reason="OmegaT not installed (apt-get install omegat)")
def test_omegat_uses_every_unit(demo_tmx, tmp_path):
    pairs = units(demo_tmx)
    sources = [s for s, _ in pairs]
    assert len(set(sources)) == len(sources), "the check needs distinct source segments"
    translated = omegat_translate(tmp_path / "project", demo_tmx, sources)
    assert translated == [t for _, t in pairs]  # 100 % of the units, each as its own segment


@pytest.mark.skipif(JAVA is None or not OMEGAT_JAR.exists(), reason="OmegaT not installed (apt-get install omegat)")
def test_omegat_leaves_unknown_segments_untranslated(demo_tmx, tmp_path):
    """The check can fail: a segment that is not a unit's source comes out as the source text."""
    pairs = units(demo_tmx)
    sources = [s for s, _ in pairs[:3]] + ["这一句不在翻译记忆库里。"]
    translated = omegat_translate(tmp_path / "project", demo_tmx, sources)
    assert translated == [t for _, t in pairs[:3]] + ["这一句不在翻译记忆库里。"]
