"""Hard-wrapped plain text with indented blocks: an indented quote, list items whose lines hang under their text
("-   item…" / "    goes on", "(a) …", "1.  …"), and Chinese wrapped only at spaces (pandoc's plain text).

The texts are written here and wrapped here (``textwrap`` for English, a space-only wrapper with East Asian widths
for Chinese, as pandoc does), and ``aligner reflow`` must print exactly the paragraphs they were wrapped from.
"""
from __future__ import annotations

import os
import re
import subprocess
import textwrap
import unicodedata
from pathlib import Path

import pytest
from conftest import console_script

from aligner.read.text import text_document

ROOT = Path(__file__).resolve().parents[1]
WIDTH = 72


def wrap_en(par: str, first: str = "", rest: str = "") -> str:
    return textwrap.fill(par, WIDTH, initial_indent=first, subsequent_indent=rest, break_on_hyphens=False)


def _cols(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def wrap_spaces(par: str, first: str = "", rest: str = "") -> str:
    """Wrap at spaces only (a run of Han text between two spaces is never broken), East Asian characters two
    columns wide: what ``pandoc -t plain`` does to Chinese."""
    lines, cur, lead = [], first, first
    for word in par.split(" "):
        if cur != lead and _cols(cur) + 1 + _cols(word) > WIDTH:
            lines.append(cur)
            cur = lead = rest
        cur = cur + (" " if cur != lead else "") + word
    lines.append(cur)
    return "\n".join(lines)


# (kind, label or indent, text); groups are separated by a blank line, items inside a group are not
SPEC = [
    [("head", "", "Widget Exchange Protocol")],
    [("text", "", "This memo describes a small protocol that lets two programs trade widget records over a plain "
                  "byte stream. It was written for people who build gateways between inventory systems and who need "
                  "a format that is easy to read by eye when something goes wrong on the wire.")],
    [("text", "", "The protocol has three message kinds, listed below. Each of them is a single line of text "
                  "followed by an optional body of records that the receiver reads until it meets the closing line.")],
    [("item", "-   ", "HELLO opens a session and names the version that the sender speaks; a receiver that does not "
                      "know the version closes the stream at once and writes the reason to its log."),
     ("item", "-   ", "SEND carries one or more widget records, each on its own line, and ends with a line holding "
                      "a single full stop so that the receiver knows where the body stops."),
     ("item", "-   ", "BYE closes the session after all records have been confirmed by the other side.")],
    [("text", "", "A gateway must keep the order of the records it receives. The authors of an earlier draft put "
                  "this rule in the following words:")],
    [("quote", "  ", "Records are facts about the world at a given moment, and a gateway that reorders them changes "
                     "what the reader believes about that moment, which is worse than losing a record altogether "
                     "because a loss can at least be noticed by counting."),
     ("quote", "  ", "Nobody counts the order of things. They only count how many there are.")],
    [("head", "", "Error handling")],
    [("item", "(a) ", "A receiver that meets a record it cannot parse answers with an error line naming the "
                      "record's number and keeps the session open for the records that follow."),
     ("item", "(b) ", "A sender that gets three error lines in a row should stop and ask its operator to look at "
                      "the data before it sends anything more over the same stream.")],
    [("item", "1.  ", "Numbered steps hang the same way as lettered ones: the text of each step starts at the same "
                      "column on every line of the step, under the first word after the number."),
     ("item", "2.  ", "A step may be short.")],
    [("text", "", "Implementations that follow these rules have been seen to work together without trouble, and "
                  "nothing else in this memo is required of them.")],
]

EMAIL = [
    [("text", "", "Hi Dana,")],
    [("text", "", "thanks for the draft. I read it on the train this morning and I think it is nearly ready to go "
                  "out, but one passage from the old notes still worries me, so I copy it here:")],
    [("quote", "    ", "When the warehouse closes for the night the counters are not reset, and any record that "
                       "arrives after closing is booked on the next day even when its own time stamp says "
                       "otherwise, which is why the monthly totals never match the ones from the shops."),
     ("quote", "    ", "This was never fixed.")],
    [("text", "", "If that is still true, the new gateway will inherit the same mismatch, and we should say so in "
                  "the section about totals rather than let the readers find it on their own.")],
    [("text", "", "Best,")],
    [("text", "", "Sam")],
]

ZH = [
    [("head", "", "部件交换协议")],
    [("text", "", "本文介绍一种小型协议，让两个程序可以通过普通的字节流交换部件记录。它是为那些在不同库存系统之间搭建 "
                  "gateway 的人写的，他们需要一种在线路出问题时也能用肉眼读懂的格式，而不必借助 Wireshark "
                  "之类的工具逐字节地查看。")],
    [("text", "", "协议只有三种消息，分别是 HELLO、SEND 和 BYE。每一种消息都是一行文字，后面可以跟着若干条记录，接收方一直读到 "
                  "END 行为止。所有文字都使用 UTF-8 编码，行尾一律是 LF 而不是 CRLF，这样在 Linux 和 Windows "
                  "上看到的内容完全相同。")],
    [("item", "-   ", "HELLO 用来开启一次会话，并写明发送方所用的 version 编号；接收方若不认识这个编号，就立即关闭连接，并把原因写进自己的 "
                      "log 文件。"),
     ("item", "-   ", "SEND 携带一条或多条记录，每条各占一行，最后以只有一个句点的一行结束，这样接收方就知道 "
                      "body 在哪里结束。"),
     ("item", "-   ", "BYE 在对方确认了全部记录之后结束会话。")],
    [("text", "", "网关必须保持记录到达的顺序。早先一份草案的作者是这样说的：")],
    [("quote", "  ", "记录是关于某一时刻世界状态的事实，一个打乱顺序的 gateway "
                     "会改变读者对那一时刻的认识，这比丢掉一条记录还要糟糕，因为丢失至少可以靠 checksum "
                     "或者简单的计数发现，而顺序的错误却没有任何 counter 能够察觉。")],
    [("text", "", "遵守这些规则的实现，在 TCP 上和在串口上都能顺利地互相通信，Python 版本和 Rust "
                  "版本之间也不例外。本文对它们没有别的要求，其余的细节留给各个 implementation 自行决定。")],
    [("text", "", "如果接收方遇到无法解析的记录，就回复一行 ERROR 并注明记录的编号，同时保持会话不断开；发送方如果连续收到三行 "
                  "ERROR，就应当停下来，请 operator 检查数据之后再继续发送。这条规则在 v1 和 v2 "
                  "两个版本中都一样，没有任何例外。")],
    [("text", "", "测试时可以先在本机启动两个进程，一个扮演 sender，另一个扮演 receiver，再用 netcat "
                  "或者 socat 把它们连起来。等这一步没有问题了，再换成真正的 warehouse 系统，并在 staging "
                  "环境里跑满一个星期，观察 ERROR 行的数量是否保持稳定。")],
]


def render(groups, zh: bool = False) -> tuple[str, list[str]]:
    """The hard-wrapped text of ``groups`` and the paragraphs it was wrapped from (list items with their label)."""
    wrap = wrap_spaces if zh else wrap_en
    out, want = [], []
    for group in groups:
        lines = []
        for kind, lead, par in group:
            if kind == "item":
                lines.append(wrap(par, first=lead, rest=" " * len(lead)))
                want.append(lead + par)
            else:
                lines.append(wrap(par, first=lead, rest=lead))
                want.append(par)
        out.append("\n".join(lines))
    return "\n\n".join(out) + "\n", want


def _reflow_cli(path: Path, lang: str) -> tuple[list[str], str]:
    r = subprocess.run([console_script(), "reflow", str(path), "--lang", lang], capture_output=True, text=True,
                       env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=300)
    assert r.returncode == 0, r.stderr
    return [re.sub(r"^\[[^\]]*\] ", "", b) for b in r.stdout.strip().split("\n\n")], r.stderr


def test_wrapped_as_meant():
    """The synthetic texts really are hard-wrapped with hanging lines and indented quotes (the test would prove
    nothing otherwise)."""
    text, _ = render(SPEC)
    lines = text.split("\n")
    assert max(len(ln) for ln in lines) <= WIDTH
    assert "    a receiver that does not know the version closes the stream at once" in lines
    assert sum(1 for ln in lines if ln.startswith("  Records") or ln.startswith("  that reorders")) == 2
    zh, _ = render(ZH, zh=True)
    zl = zh.split("\n")
    assert sum(1 for ln in zl if re.search(r"[A-Za-z0-9]$", ln)) >= 8  # Chinese lines end before/after Latin words
    assert any(_cols(ln) < 40 and ln.strip() and ln.strip()[-1] not in "。：；" for ln in zl)  # ragged: short lines


@pytest.mark.skipif(console_script() is None, reason="the aligner console script is not installed")
def test_console_reflow_spec_with_hanging_lists_and_quote(tmp_path):
    text, want = render(SPEC)
    p = tmp_path / "spec.en.txt"
    p.write_text(text, encoding="utf-8")
    got, err = _reflow_cli(p, "en")
    assert "lines look hard-wrapped" in err
    assert got == want


@pytest.mark.skipif(console_script() is None, reason="the aligner console script is not installed")
def test_console_reflow_email_with_indented_quote(tmp_path):
    text, want = render(EMAIL)
    p = tmp_path / "mail.en.txt"
    p.write_text(text, encoding="utf-8")
    got, _ = _reflow_cli(p, "en")
    assert got == want


@pytest.mark.skipif(console_script() is None, reason="the aligner console script is not installed")
def test_console_reflow_chinese_wrapped_at_spaces(tmp_path):
    text, want = render(ZH, zh=True)
    p = tmp_path / "spec.zh.txt"
    p.write_text(text, encoding="utf-8")
    got, err = _reflow_cli(p, "zh")
    assert "Chinese lines wrapped only at spaces" in err
    squash = [re.sub(r"\s+", "", s) for s in got]
    assert squash == [re.sub(r"\s+", "", s) for s in want]


def test_table_rows_and_rules_under_an_indent_stay_apart():
    """Rows of a table set in by two spaces run to the width and end no sentence, but a gap of spaces between
    columns says they are rows, and a dashed rule under a head is no continuation of it."""
    par = [wrap_en("The table below gives the counts of records seen by each gateway during the first week of the "
                   "trial, before the order rule was added to the draft.")]
    rows = ["  Gateway name        Records seen     Records lost     Share lost      ",
            "  ------------------- ---------------- ---------------- ----------------",
            "  north-warehouse-01  1204331          12               0.001 per cent  ",
            "  south-warehouse-02  99821            0                0.000 per cent  ",
            "  east-warehouse-03   5520187          310              0.006 per cent  "]
    text = "\n\n".join([*par, "\n".join(rows), wrap_en("Nothing in these numbers suggests that the loss grows with "
                                                       "the load, which is what the first draft had feared.")]) + "\n"
    text += "\n" + "\n".join(wrap_en(s) for s in [
        "More text follows so that the document has enough ordinary wrapped lines for the width to be measured "
        "from them and for the set-in lines to be a minority of the lines."] * 3) + "\n"
    doc = text_document(text, "en", wrapped=True)
    got = [b.text for b in doc.blocks]
    for row in rows[2:]:
        assert row.strip() in got
