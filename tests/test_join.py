from aligner.segment.join import join_sentences


def test_language_aware_joins():
    assert join_sentences(["他说：“好。”", "“走吧。”"], "zh") == "他说：“好。”“走吧。”"
    assert join_sentences(["用 Python", "3 写的。"], "zh") == "用 Python 3 写的。"
    assert join_sentences(["He said, “Yes.”", "“Go.”"], "en") == "He said, “Yes.” “Go.”"
    assert join_sentences(["He said, “Yes.”", "“Go.”"]) == "He said, “Yes.” “Go.”"
