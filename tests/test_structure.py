"""Structure terms (aligner.align.structure): numbering, block anchors, headings kept apart."""
import pytest
from conftest import full_band, score_tables

from aligner.align.dp import banded_dp
from aligner.align.pipeline import with_structure
from aligner.align.score import bead_types
from aligner.align.structure import Structure, parse_label, structure_terms, zh_number
from aligner.model import Sentence


@pytest.mark.parametrize("zh,en", [
    ("第五条", "Article 5"), ("第 3 條", "Article 3"), ("第一百零三条　国家……", "Article 103 The State…"),
    ("（三）", "(c)"), ("（三）", "(3)"), ("一、", "1. "), ("第二章 人民之權利義務", "Chapter II. Rights"),
    ("第十二条", "Art. 12"),
])
def test_numbers_match_across_languages(zh, en):
    assert parse_label(zh) is not None and parse_label(zh) == parse_label(en)


def test_numbers_that_differ_or_are_not_labels():
    assert parse_label("第五条") != parse_label("Article 6")
    assert parse_label("第五条")[0] != parse_label("第五章")[0]       # article vs chapter
    assert parse_label("我们在第五条街") is None
    assert parse_label("In 1990 we left.") is None
    assert [zh_number(s) for s in ("十", "十二", "二十", "一百零三", "两千")] == [10, 12, 20, 103, 2000]


def _sents(spec):
    """(text, para, kind) -> Sentences."""
    return [Sentence(t, k, para=p, kind=kind) for k, (t, p, kind) in enumerate(spec)]




def test_heading_kept_apart_from_the_following_sentence():
    # heading + first sentence on both sides; the content scores slightly prefer one 2-2 bead (as a model can,
    # when the heading's words recur in the sentence); the structure makes the heading its own bead
    S = _sents([("第一章　总纲", 0, "heading"), ("国家实行依法治国。", 1, "text"), ("国家尊重人权。", 1, "text")])
    T = _sents([("Chapter I General Principles", 0, "heading"), ("The State governs by law.", 1, "text"),
                ("The State respects human rights.", 1, "text")])
    types = bead_types(3)
    band = full_band(3, 3)

    def fn(i0, i1, j0, j1):
        if i1 - i0 == 0 or j1 - j0 == 0:
            return -20.0
        if (i0, i1, j0, j1) == (0, 2, 0, 2):
            return 32.0                        # the merged heading + sentence
        if i1 - i0 == 1 and j1 - j0 == 1 and i0 == j0:
            return 15.0                        # each 1-1 on the diagonal
        return -5.0

    scores = score_tables(3, 3, types, fn)
    assert banded_dp(band, types, scores)[0] == (0, 2, 0, 2)          # without structure: merged
    st = Structure.from_sentences(S, T)
    path = banded_dp(band, types, with_structure(scores, band, types, st))
    assert path == [(0, 1, 0, 1), (1, 2, 1, 2), (2, 3, 2, 3)]


def test_same_number_pulls_the_right_pair_and_debris_stays_null():
    # zh: 第五条 / text / 第六条 / text ; en: a menu line (debris block) then Article 5 / text / Article 6 / text
    S = _sents([("第五条", 0, "heading"), ("甲。", 0, "text"), ("第六条", 1, "heading"), ("乙。", 1, "text")])
    T = _sents([("Home | About", 0, "text"), ("Article 5", 1, "heading"), ("A.", 1, "text"),
                ("Article 6", 2, "heading"), ("B.", 2, "text")])
    st = Structure.from_sentences(S, T)
    types = bead_types(2)
    band = full_band(4, 5)
    terms = structure_terms(st, band, types)
    t11 = terms[types.index((1, 1))]
    # bead 第五条 <-> Article 5 ends at (1, 2); 第五条 <-> Home | About ends at (1, 1)
    assert t11[1, 2] > 0 > t11[1, 1]
    # 第六条 <-> Article 6 (ends at (3, 4)) beats 第六条 <-> Article 5 (ends at (3, 2))
    assert t11[3, 4] > t11[3, 2]
    # flat content scores: structure alone decides; the debris line becomes a 0-1 bead, the articles pair up
    scores = score_tables(4, 5, types, lambda i0, i1, j0, j1: 10.0 if (i1 - i0) * (j1 - j0) else -8.0)
    path = banded_dp(band, types, with_structure(scores, band, types, st))
    assert path[0] == (0, 0, 0, 1)
    assert (0, 1, 1, 2) in path and (2, 3, 3, 4) in path


def test_uninformative_structure_adds_nothing():
    S = _sents([("甲。", 0, "text"), ("乙。", 0, "text")])
    T = _sents([("A.", 0, "text"), ("B.", 0, "text")])
    st = Structure.from_sentences(S, T)
    assert not st.informative()
    assert all(t is None for t in structure_terms(st, full_band(2, 2), bead_types(2)))


def test_block_terms_fade_when_block_counts_disagree():
    # one side has 4 blocks, the other 2 (a reader that cut paragraphs wrongly): block terms are not trusted
    S = _sents([("甲。", 0, "text"), ("乙。", 1, "text"), ("丙。", 2, "text"), ("丁。", 3, "text")])
    T = _sents([("A.", 0, "text"), ("B.", 0, "text"), ("C.", 1, "text"), ("D.", 1, "text")])
    terms = structure_terms(Structure.from_sentences(S, T), full_band(4, 4), bead_types(2))
    assert all(t is None or not t.any() for t in terms)
    # equal counts: a bead crossing a block on one side only is penalised
    T2 = _sents([("A.", 0, "text"), ("B.", 1, "text"), ("C.", 2, "text"), ("D.", 3, "text")])
    types = bead_types(2)
    terms = structure_terms(Structure.from_sentences(S, T2), full_band(4, 4), types)
    t21 = terms[types.index((2, 1))]
    assert t21[2, 1] < 0          # 甲。乙。 <-> A.: crosses a boundary on the zh side only
