"""Chinese written with half-width punctuation (OCR output, web text) splits like full-width Chinese."""
import glob
import sys

import pytest

from aligner.segment import segment, split_sentences
from conftest import MAC_DEV, ROOT


def _split(text):
    return [text[a:b] for a, b in split_sentences(text, "zh")]


@pytest.mark.parametrize("text, expected", [
    # OCR'd news paragraph: half-width stops, commas and question marks after Chinese characters
    ("国务院新闻办公室今天举行发布会,介绍了上半年经济运行情况.发言人表示,经济总体平稳.记者问:前景如何?发言人回答:保持乐观!",
     ["国务院新闻办公室今天举行发布会,介绍了上半年经济运行情况.", "发言人表示,经济总体平稳.",
      "记者问:前景如何?", "发言人回答:保持乐观!"]),
    # decimals and percentages stay inside their sentence; a stop right after % ends it
    ("价格上涨了3.5%.下个季度预计增长1.2个百分点.", ["价格上涨了3.5%.", "下个季度预计增长1.2个百分点."]),
    # a closing quote after the stop stays on the sentence it closes
    ("他说:“我不去.”然后就走了.", ["他说:“我不去.”", "然后就走了."]),
    # URLs, file names, initialisms and version numbers inside Latin runs do not end sentences
    ("请访问www.gov.cn获取详情.谢谢.", ["请访问www.gov.cn获取详情.", "谢谢."]),
    ("文件已保存为报告.docx,请查收.", ["文件已保存为报告.docx,请查收."]),
    ("美国U.S.政府表示,将继续合作.此外,他们还宣布了新计划.", ["美国U.S.政府表示,将继续合作.", "此外,他们还宣布了新计划."]),
    ("版本号为v2.0.1,发布于2023年.", ["版本号为v2.0.1,发布于2023年."]),
    # a Latin word at the end of a Chinese sentence, Chinese after it
    ("我们使用了Python. 然后部署到服务器上.", ["我们使用了Python.", "然后部署到服务器上."]),
    # an ellipsis is still an ellipsis; a stop before it is a stop
    ("等等...我还没说完.好吧.", ["等等...我还没说完.", "好吧."]),
    ("他叹了口气.……算了.", ["他叹了口气.……", "算了."]),
    # numbered headings: "1.", "一.", "第一章．" open a line and are not sentences
    ("1.总则\n2.适用范围", ["1.总则\n2.适用范围"]),
    ("一.总则\n二.适用范围", ["一.总则\n二.适用范围"]),
    ("第一章．总论。第二章．分则．", ["第一章．总论。", "第二章．分则．"]),
    # ... but a numeral inside a sentence is not a heading
    ("他有三.我有四.", ["他有三.", "我有四."]),
    ("根据第十二条.本法自公布之日起施行.", ["根据第十二条.", "本法自公布之日起施行."]),
])
def test_half_width_stops_after_chinese(text, expected):
    assert _split(text) == expected


def test_half_width_semicolon_is_a_secondary_point_like_the_full_width_one():
    from aligner.segment import secondary_splits
    s = ("第一，各方应当遵守本协议的全部条款和附件中的各项规定以及今后补充的约定;"
         "第二，争议应当通过友好协商解决，协商不成的提交双方共同选定的仲裁委员会")
    full = s.replace(";", "；")
    assert secondary_splits(s, "zh") == secondary_splits(full, "zh") != []


@pytest.mark.skipif(not MAC_DEV.is_dir(), reason="../shared/data/mac-dev not available")
def test_mac_dev_rewritten_with_half_width_punctuation_keeps_its_boundaries():
    """Every chapter with 。，？！；： replaced by . , ? ! ; : : boundary F1 against the (equally rewritten) gold."""
    sys.path.insert(0, str(ROOT / "bench"))
    from bench_segment import boundaries, prf
    tab = str.maketrans({"。": ".", "，": ",", "？": "?", "！": "!", "；": ";", "：": ":"})
    tp = fp = fn = 0
    for path in sorted(glob.glob(str(MAC_DEV / "*.zh.txt"))):
        with open(path, encoding="utf-8") as f:
            text = f.read().translate(tab)
        with open(path[:-4], encoding="utf-8") as f:
            gold = [ln.translate(tab) for ln in f.read().splitlines() if ln.strip()]
        got, ref = boundaries([s.text for s in segment(text, "zh")]), boundaries(gold)
        tp, fp, fn = tp + len(got & ref), fp + len(got - ref), fn + len(ref - got)
    assert prf(tp, fp, fn)[2] >= 0.985       # measured 0.992 (full-width text: 0.993)
