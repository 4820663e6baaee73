"""Our SRX engine against an independent one: choppa-srx (PyPI, MIT), a port of the Java segment library, on the
LanguageTool rule set that choppa ships (read from choppa's package; not copied into this repository)."""
from __future__ import annotations

from pathlib import Path

import pytest

from aligner.segment.layout import reflow
from aligner.segment.srx import java_regex, load_srx

choppa = pytest.importorskip("choppa")
from choppa.iterators import AccurateSrxTextIterator  # noqa: E402

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
TRICKY_EN = [
    "Mr. Smith arrived at 5 p.m. yesterday. He left! Did he? Yes... and then e.g. nothing happened.",
    'He said: "Go now." She went. The U.S. Army. See Art. 5, para. 3 of the Charter. Done.',
    "Prices rose 3.5 per cent in Jan. 2021. The report (A/75/123.) was issued. Really?! Yes.",
]
TRICKY_ZH = ["他说：“走吧！”我们就走了。真的吗？是的……好吧。", "第一条。本公约的目的是：（一）保护；（二）发展。完毕！"]


@pytest.fixture(scope="module")
def engines():
    return choppa.SrxDocument(ruleset=choppa.DEFAULT_SRX_RULESET), load_srx(choppa.DEFAULT_SRX_RULESET)


def paragraphs(path: Path, lang: str) -> list[str]:
    return [b.text for b in reflow(path.read_text("utf-8"), lang).blocks]


@pytest.mark.parametrize("lang, key", [("en", "en_two"), ("zh", "zh_two")])
def test_same_segments_as_choppa(engines, lang, key):
    doc, ours = engines
    texts = paragraphs(EXAMPLES / f"un-letter.{lang}.txt", lang) + (TRICKY_EN if lang == "en" else TRICKY_ZH)
    n_segments = 0
    for text in texts:
        reference = [s.strip() for s in AccurateSrxTextIterator(doc, key, text) if s.strip()]
        assert [text[a:b] for a, b in ours.split(text, key)] == reference, text
        n_segments += len(reference)
    assert n_segments > len(texts)  # the rules did cut inside paragraphs


def test_java_regex_translation():
    assert java_regex(r"(?U)\p{Ll}") == r"\p{Ll}"
    assert java_regex(r"(?iU)x") == r"(?i)x"
    assert java_regex(r"\Qa.b\E+") == r"a\.b+"
    assert java_regex(r"\p{javaLowerCase}") == r"\p{Ll}"
