"""The whole-document projection scorer (aligner.evaluate_docs) on hand-made cases."""
from aligner.evaluate import scores_from_counts
from aligner.evaluate_docs import GoldDoc, locate_units, monotone_match, normalise, project

ZH = "第一条\n我来了。你好。\n\n他走了，然后回来了。\n\n导航菜单\n"
EN = "Article 1\nI came. Hello there.\n\nHe left, and then came back.\n\nHome | About\n"


def gold():
    zu = locate_units(ZH, ["第一条", "我来了。你好。", "他走了，然后回来了。"])
    eu = locate_units(EN, ["Article 1", "I came. Hello there.", "He left, and then came back."])
    return GoldDoc("t", ZH, EN, zu, eu, [((0,), (0,)), ((1,), (1,)), ((2,), (2,))])


def f1(beads, **kw):
    p = project(gold(), [b[0] for b in beads], [b[1] for b in beads], **kw)
    return scores_from_counts(p.counts)["F1_strict"], p


def test_locate_units_spans():
    g = gold()
    assert [ZH[s:e] for s, e in g.src_units] == ["第一条", "我来了。你好。", "他走了，然后回来了。"]
    assert [EN[s:e] for s, e in g.tgt_units][2] == "He left, and then came back."


def test_perfect_and_debris_ignored():
    score, p = f1([("第一条", "Article 1"), ("我来了。你好。", "I came. Hello there."),
                   ("他走了，然后回来了。", "He left, and then came back."), ("导航菜单", "Home | About")])
    assert score == 1.0 and p.cut == 0 and p.lost == 0


def test_merging_two_gold_units_costs():
    # the heading glued to the first paragraph: one projected bead holds two gold pairs
    score, p = f1([("第一条 我来了。你好。", "Article 1 I came. Hello there."),
                   ("他走了，然后回来了。", "He left, and then came back.")])
    assert p.auto[0] == ((0, 1), (0, 1))
    assert p.merged_rows == 1
    s = scores_from_counts(p.counts)
    # precision: 1 of 2 projected beads right; recall: 1 of 3 gold beads found
    assert abs(s["P_strict"] - 0.5) < 1e-9 and abs(s["R_strict"] - 1 / 3) < 1e-9 and abs(score - 0.4) < 1e-9


def test_over_splitting_merged_back_or_finer_costs_nothing():
    # the segmenter split the paragraph into two sentences; the aligner put them in one bead
    assert f1([("第一条", "Article 1"), ("我来了。你好。", "I came. Hello there."),
               ("他走了，然后回来了。", "He left, and then came back.")])[0] == 1.0
    # or aligned them sentence by sentence inside the gold pair: finer, not wrong, and cut at sentence ends
    fine = [("第一条", "Article 1"), ("我来了。", "I came."), ("你好。", "Hello there."),
            ("他走了，然后回来了。", "He left, and then came back.")]
    score, p = f1(fine, merge_inside=True)
    assert score == 1.0 and p.cut == 0
    # by the pure majority rule (the default) the finer alignment costs when the majorities differ: 我来了。 is the
    # larger zh part but Hello. is the larger en part
    score, p = f1(fine)
    assert p.cut == 0 and score < 1.0
    assert ((1,), ()) in p.auto and ((), (1,)) in p.auto


def test_mid_sentence_cut_is_an_error():
    # the last gold pair cut at a comma, as at a PDF line wrap: fragments are not translation units
    score, p = f1([("第一条", "Article 1"), ("我来了。你好。", "I came. Hello there."),
                   ("他走了，", "He left,"), ("然后回来了。", "and then came back.")])
    assert p.cut == 2
    s = scores_from_counts(p.counts)
    assert s["R_strict"] < 1.0 and s["F1_lax"] == 1.0
    assert abs(s["R_strict"] - 2 / 3) < 1e-9


def test_wrong_pairing_inside_a_shift():
    score, p = f1([("第一条", ""), ("我来了。你好。", "Article 1"), ("他走了，然后回来了。", "I came. Hello there."),
                   ("", "He left, and then came back.")])
    assert score == 0.0


def test_lost_unit_and_extraction_differences():
    # a reader that changed the text: full-width letters and digits, a soft hyphen split, extra spaces, and a
    # dropped paragraph (lost: a recall miss)
    score, p = f1([("第 一 条", "Ａrticle １"), ("我来了。 你好。", "I ca-\nme. Hello there.")])
    assert p.lost == 2
    s = scores_from_counts(p.counts)
    assert s["P_strict"] == 1.0 and abs(s["R_strict"] - 2 / 3) < 1e-9


def test_monotone_match_skips_and_tolerates():
    doc, _ = normalise("abcdefghijklmnopqrstuvwxyz0123456789")
    out, _ = normalise("abcdefghijkl XX 0123456789")
    m = monotone_match(out, doc)
    assert m[:12] == list(range(12)) and m[12:14] == [-1, -1] and m[14:] == list(range(26, 36))
    assert all(a < b for a, b in zip([x for x in m if x >= 0], [x for x in m if x >= 0][1:]))


def test_cut_after_a_label_is_not_mid_sentence():
    zh, en = "第五条　国家实行依法治国。\n", "Article 5 The State governs by law.\n"
    g = GoldDoc("l", zh, en, locate_units(zh, ["第五条　国家实行依法治国。"]),
                locate_units(en, ["Article 5 The State governs by law."]), [((0,), (0,))])
    p = project(g, ["第五条", "国家实行依法治国。"], ["Article 5", "The State governs by law."])
    assert p.cut == 0
    p = project(g, ["第五条国家", "实行依法治国。"], ["Article 5 The State", "governs by law."])
    assert p.cut == 2


def test_generated_corpus_extractions_hold_the_gold_text():
    """The committed pdftotext extractions hold (almost) every gold character, in order: the projection finds them."""
    import json
    from pathlib import Path
    root = Path(__file__).parent / "data" / "docs"
    man = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    assert {m["name"] for m in man} >= {"un-letter", "tw-roc-constitution"}
    for m in man:
        for r in m["renderings"]:
            assert (root / r["src"]).exists() and (root / r["tgt"]).exists()
            if not r["src"].endswith(".a4.zh.pdftotext.txt"):   # one layout keeps the test short
                continue
            for side in ("src", "tgt"):
                gold = (root / m["gold"][side]).read_text(encoding="utf-8")
                ext = (root / r[side]).read_text(encoding="utf-8")
                g, _ = normalise(gold)
                match = monotone_match(g, normalise(ext)[0])
                assert sum(q >= 0 for q in match) / len(g) > 0.98, (r[side], side)
