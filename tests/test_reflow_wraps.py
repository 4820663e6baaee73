"""Joins and blocks of the text reflow at wraps (wraps branch): the space at a wrap between Han text and a Latin word,
hyphens of real compounds, pandoc's indented code blocks, and a wrap among the first lines of a Chinese file.

Every text here is written for the test and wrapped here (by display width, breaking between Han characters or at
spaces as a PDF's text does; at spaces only as ``pandoc -t plain`` does; ``textwrap`` for English).
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

from aligner.segment.layout import reflow

ROOT = Path(__file__).resolve().parents[1]


needs_cli = pytest.mark.skipif(console_script() is None, reason="the aligner console script is not installed")


def _cli(*args: str) -> subprocess.CompletedProcess:
    r = subprocess.run([console_script(), *args], capture_output=True, text=True,
                       env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=300)
    assert r.returncode == 0, r.stderr
    return r


def _blocks(out: str) -> list[tuple[str, str]]:
    """``aligner reflow`` output -> (kind, text) per block."""
    got = []
    for b in out.strip().split("\n\n"):
        m = re.match(r"^\[([^\]]*)\] (.*)$", b, re.S)
        got.append((m.group(1), m.group(2)))
    return got


def _cols(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


_TOKEN = re.compile(r"[!-~]+| |.")


def wrap_cols(par: str, width: int) -> list[str]:
    """Wrap by display width as a PDF's text is: a break between any two Han characters or at a space (dropped),
    never inside a Latin word or number."""
    lines, cur = [], ""
    for tok in _TOKEN.findall(par):
        if tok == " ":
            if cur:
                cur += " "
            continue
        if cur.strip() and _cols(cur.rstrip()) + _cols(tok) > width:
            lines.append(cur.rstrip())
            cur = tok
        else:
            cur += tok
    lines.append(cur.rstrip())
    return lines


def wrap_spaces(par: str, width: int) -> list[str]:
    """Wrap at spaces only, Han characters two columns wide: what ``pandoc -t plain`` does to Chinese."""
    lines, cur = [], ""
    for word in par.split(" "):
        if cur and _cols(cur) + 1 + _cols(word) > width:
            lines.append(cur)
            cur = ""
        cur = f"{cur} {word}" if cur else word
    lines.append(cur)
    return lines


# A Chinese text that spaces its Latin words and numbers from Han text, as many Chinese technical texts do.
ZH_SPACED = [
    "网关（gateway）是连接两个库存系统的一段程序，它用 Rust 写成，也提供 Python 绑定。每当仓库收到一批货物，"
    "网关就把记录转换成对方能读懂的格式，再通过 TCP 连接发送出去，整个过程通常不超过 3 秒。",
    "在 2024 年的试运行中，网关一共处理了 120 万条记录，其中只有 15 条因为格式错误被退回。运维人员认为，"
    "这样的错误率已经足够低，可以在 Linux 和 Windows 两种服务器上同时上线，而不必再做额外的 benchmark 测试。",
    "为了让新同事尽快上手，团队写了一份简短的 README 文件，说明如何用 cargo 编译网关，如何在 config 文件里"
    "填写对方系统的地址，以及出错时应该查看哪一个 log 文件。文件的最后一节还列出了常见的 error 代码和处理办法。",
    "今后的计划包括支持 UTF-16 编码的旧系统，为每条记录加上 checksum 字段，并把 Python 绑定发布到 PyPI 上，"
    "让更多的团队可以直接使用这个网关，而不必自己从头编写同样的转换逻辑。",
]


#: the width the Chinese fixtures are wrapped at (display columns): it puts several wraps next to Latin words
ZH_WIDTH = 36


def _unspaced(par: str) -> str:
    """The same text written without spaces between Han and Latin ("用Rust写成")."""
    han = "\u4e00-\u9fff"
    return re.sub(f"(?<=[{han}，。（）]) (?=[A-Za-z0-9])|(?<=[A-Za-z0-9]) (?=[{han}，。（）])", "", par)


def _wrapped_tight(par: str) -> str:
    """What the join without a space makes of a spaced paragraph wrapped at :data:`ZH_WIDTH` (today's join)."""
    out = ""
    for ln in wrap_cols(par, ZH_WIDTH):
        out += (" " if out and re.match(r"[A-Za-z0-9]", out[-1]) and re.match(r"[A-Za-z0-9]", ln[0]) else "") + ln
    return out


def _render(pars: list[str], wrap, width: int) -> str:
    return "\n\n".join("\n".join(wrap(p, width)) for p in pars) + "\n"


def _han_latin_breaks(text: str) -> int:
    lines = text.split("\n")
    return sum(1 for a, b in zip(lines, lines[1:]) if a and b and (
        (re.search(r"[\u4e00-\u9fff]$", a) and re.match(r"[A-Za-z0-9]", b))
        or (re.search(r"[A-Za-z0-9]$", a) and re.match(r"[\u4e00-\u9fff]", b))))


def test_chinese_fixture_breaks_between_han_and_latin():
    """The fixture really breaks lines between a Han character and a Latin word (the test proves nothing else)."""
    text = _render(ZH_SPACED, wrap_cols, ZH_WIDTH)
    assert _han_latin_breaks(text) >= 3
    assert _han_latin_breaks(_render([_unspaced(p) for p in ZH_SPACED], wrap_cols, ZH_WIDTH)) >= 3


@needs_cli
def test_console_reflow_keeps_the_space_a_spaced_chinese_text_puts_before_latin(tmp_path):
    """A Chinese text that writes "用 Rust 写成" on its own lines gets that space back where a line broke between
    a Han character and a Latin word or number: every paragraph comes out exactly as written."""
    p = tmp_path / "gateway.zh.txt"
    p.write_text(_render(ZH_SPACED, wrap_cols, ZH_WIDTH), encoding="utf-8")
    r = _cli("reflow", str(p), "--lang", "zh")
    assert "lines look hard-wrapped" in r.stderr and "spaces Latin" in r.stderr
    assert [t for _, t in _blocks(r.stdout)] == ZH_SPACED


def test_chinese_text_without_spaces_around_latin_joins_without_space():
    """A Chinese text that never spaces Latin words ("用Rust写成") is joined as before: no space at such a wrap."""
    pars = [_unspaced(p) for p in ZH_SPACED]
    assert "用Rust写成" in pars[0] and " " not in pars[0]
    res = reflow(_render(pars, wrap_cols, ZH_WIDTH), "zh", force=True)
    assert [b.text for b in res.blocks] == pars
    assert not any("spaces Latin" in g for g in res.guesses)


def test_mixed_chinese_spacing_is_no_evidence():
    """About half the adjacencies spaced, half not: the join stays as before (no space)."""
    pars = [ZH_SPACED[0], _unspaced(ZH_SPACED[1]), ZH_SPACED[2], _unspaced(ZH_SPACED[3])]
    text = _render(pars, wrap_cols, ZH_WIDTH)
    spaced = len(re.findall(r"[\u4e00-\u9fff] [A-Za-z]|[A-Za-z] [\u4e00-\u9fff]", text))
    tight = len(re.findall(r"[\u4e00-\u9fff][A-Za-z]|[A-Za-z][\u4e00-\u9fff]", text))
    assert 0.3 < spaced / (spaced + tight) < 0.7
    res = reflow(text, "zh", force=True)
    assert not any("spaces Latin" in g for g in res.guesses)
    assert [b.text for b in res.blocks] == [p if p in (pars[1], pars[3]) else _wrapped_tight(p) for p in pars]


# Chinese wrapped only at spaces (pandoc): each wrap was a space, also next to a bracket or a comma
ZH_PANDOC = [
    "本协议（protocol）是 Rust "
    "与其他语言的实现共同遵守的一组规则，规定了记录的格式、消息的顺序以及出错时双方应当采取的行动，所有实现都必须完整地遵守，不得自行增减任何一条。",
    "在 [设置] 页面中可以填写对方系统的地址，也可以选择 TCP 或者串口两种连接方式。选择串口时，还需要填写波特率，"
    "常见的取值是 9600 和 115200 两种。",
    "发送方每发出一条记录，都要等待对方的 ACK 回复，然后才能发送下一条；如果 30 秒内没有收到回复，就把这条记录"
    "重新发送一次，最多重试 3 次。三次都失败时，发送方写一行 ERROR 日志，并通知 operator 检查线路。",
    "接收方收到无法解析的记录时，回复一行 NAK，并注明记录的编号。发送方看到 NAK 以后，会把原始记录写进 "
    "quarantine 目录，留给人工处理，而不是反复重试。这样做可以避免一条坏记录堵住整个队列。",
    "测试时可以先在本机启动两个进程，一个扮演 sender，另一个扮演 receiver，再用 netcat 或者 socat "
    "把它们连起来。等这一步没有问题了，再换成真正的 warehouse 系统，并在 staging 环境里跑满一个星期。",
    "版本 v2 在 v1 的基础上增加了 checksum 字段，并允许一条消息携带多条记录。两个版本可以共存：发送方在 HELLO "
    "消息里写明自己支持的版本，接收方选择双方都支持的最高版本，然后回复 OK 开始会话。",
    "日志文件默认写在 /var/log/gateway 目录下，每天生成一个新文件，文件名里带有日期，例如 gateway-2024-05-01.log "
    "这样的形式。超过 30 天的日志会被自动压缩成 gzip 格式，超过一年的则会被删除。",
    "如果需要把日志送到集中的 Elasticsearch 或者 Loki 服务，可以在配置文件的 [log] 一节里打开 forward "
    "选项，并填写目标服务的 URL。转发失败时，网关会把日志先留在本地，等连接恢复后再补发。",
    "网关本身不保存任何业务数据，所有记录在确认送达以后立即从内存中清除。唯一的例外是 quarantine "
    "目录里的坏记录，它们会一直保留，直到 operator 手动处理为止。",
    "最后，网关的源代码以 Apache-2.0 许可证发布，欢迎提交 issue 和 pull request。提交代码之前，请先运行 cargo test "
    "和 cargo clippy，确保所有测试都能通过，并且没有新的警告。",
]


@needs_cli
def test_console_reflow_chinese_wrapped_at_spaces_comes_out_exactly(tmp_path):
    """pandoc-style Chinese, wrapped at spaces only, whose first line ends short before a long run of Han text: the
    first paragraph is one block (not a title line over the rest), and every wrap gets its space back — next to a
    Latin word, a number, a bracket ("[设置] 页面")."""
    text = _render(ZH_PANDOC, wrap_spaces, 72)
    first = text.split("\n")
    assert first[0] == "本协议（protocol）是 Rust" and _cols(first[1]) > 72   # the short first line, then a long run
    p = tmp_path / "protocol.zh.txt"
    p.write_text(text, encoding="utf-8")
    r = _cli("reflow", str(p), "--lang", "zh")
    assert "Chinese lines wrapped only at spaces" in r.stderr
    got = _blocks(r.stdout)
    assert got[0] == ("text", ZH_PANDOC[0])
    assert [t for _, t in got] == ZH_PANDOC


def test_first_lines_of_a_chinese_text_wrapped_by_width_before_a_long_latin_word():
    """A Chinese text wrapped by display width whose first line ends early because a long Latin word did not fit
    (the first full-width line comes later): the first lines are one paragraph, not title lines."""
    par = ("本文说明网关的配置，文件位于 warehouse/config/gateway.toml，"
           "启动时网关会先读取这个文件，再读取命令行参数，命令行参数中的设置优先于文件中的设置。")
    rest = ZH_SPACED[1:]
    text = _render([par] + rest, wrap_cols, ZH_WIDTH)
    lines = text.split("\n")
    assert _cols(lines[0]) < 0.85 * ZH_WIDTH and lines[1].startswith("warehouse/")   # the long path went to line 2
    res = reflow(text, "zh", force=True)
    assert [b.text for b in res.blocks if b.kind != "furniture"] == [par] + rest
    assert res.blocks[0].kind == "text"


# ------------------------------------------------------------------------------------------- hyphens

EN_HYPHEN_LINES = [
    "The gateway keeps a careful kind of trust between the two sides, so",
    "each side tells the other what it sends, and the other side confirms",
    "every record it receives before the next one goes out. A lawyer reads",
    "the contract of a client; a gateway reads the contract of its peer.",
    "",
    "Every record is checked against the schema before it is sent. The",
    "information in a record that does not match the schema is kept in a",
    "quarantine folder, and the operator decides what to do with the infor-",
    "mation there. This agreement between the two sides is the lawyer-",
    "client relationship of the protocol, and the gateway keeps it for as",
    "long as the session lasts, whatever the load on either of the sides.",
    "",
    "A decision-making rule closes the session: when three records in a",
    "row fail, the sender stops. This is the only decision-",
    "making rule of the protocol, and an operator can change its limit in",
    "the configuration file of the gateway without restarting the docu\u00ad",
    "ment store or any other part of the system that reads the records.",
]


def _hyphen_text() -> str:
    return "\n".join(EN_HYPHEN_LINES) + "\n"


@needs_cli
def test_console_reflow_keeps_compound_hyphens_the_document_uses(tmp_path):
    """"lawyer-" / "client": both halves are words the document uses on their own and "lawyerclient" is not:
    a compound, the hyphen stays.  "infor-" / "mation": "information" is in the document: joined.
    "decision-" / "making": "decision-making" is in the document: kept.  A soft hyphen always joins."""
    p = tmp_path / "gateway.en.txt"
    p.write_text(_hyphen_text(), encoding="utf-8")
    r = _cli("reflow", str(p), "--lang", "en")
    assert "lines look hard-wrapped" in r.stderr
    text = " ".join(t for _, t in _blocks(r.stdout))
    assert _hyphen_text().count("lawyer-client") == 0   # the compound is only at the break
    assert "is the lawyer-client relationship" in text
    assert "lawyerclient" not in text
    assert "with the information there" in text
    assert "only decision-making rule" in text
    assert "restarting the document store" in text


def test_hyphen_halves_seen_only_at_breaks_are_no_evidence():
    """Halves that occur only at line breaks ("gate-" / "keeper" twice) are not words of the document: joined as
    before (no prefix rule keeps "gate")."""
    lines = [
        "The service that stands in front of the store is called the gate-",
        "keeper by the operators, and every request passes through it first.",
        "When the store is busy, the queue in front of the gatekeeper grows and",
        "the operators are told. A second gate-",
        "keeper may then be started on another machine of the same cluster.",
    ]
    res = reflow("\n".join(lines) + "\n", "en", force=True)
    text = " ".join(b.text for b in res.blocks)
    assert "called the gatekeeper by" in text and "second gatekeeper may" in text


# ------------------------------------------------------------------------------------------- indented code

def _en(par: str) -> str:
    return textwrap.fill(par, 72, break_on_hyphens=False)


EN_CODE = "\n\n".join([
    "Gateway",
    _en("The gateway reads its settings from a small file when it starts, and it keeps them for as long as it "
        "runs. A setting is a name and a value on one line, as in the following example:"),
    '    let port = settings.get("port");',
    _en("The value is read when the gateway starts, so a change to the file takes effect only after a restart. "
        "The names of the settings are listed in the manual that comes with the gateway."),
    "    {{#include ../examples/gateway/settings.toml}}",
    _en("To check a settings file without starting the gateway, run the check command from a shell in the folder "
        "where the file is kept:"),
    "    $ gateway --check settings.toml",
    _en("An operator who keeps notes on the gateway may copy the advice of the first maintainers, which still "
        "holds for every version:"),
    "    " + _en("Never restart a gateway in the middle of a session, because the other side will count the "
                 "records it sent twice and the totals of the day will never match again.").replace("\n", "\n    "),
    "-   " + _en("A list item whose lines hang under its text after the label, as pandoc writes them in plain "
                "text, is one item of the list.").replace("\n", "\n    "),
    "    " + _en("Its second paragraph stands at the column of its text, and it is prose, not code, whatever "
                 "its words are.").replace("\n", "\n    "),
    _en("Everything else in the gateway is decided by the other side, and nothing more is needed to run it."),
])


@needs_cli
def test_console_segment_sets_pandoc_indented_code_aside(tmp_path):
    """pandoc's plain text indents a code block by four spaces after a blank line: one statement, a template
    include, a shell command are code (set aside), not sentences; an indented quote and a list item's second
    paragraph stay prose."""
    p = tmp_path / "gateway.en.txt"
    p.write_text(EN_CODE, encoding="utf-8")
    r = _cli("reflow", str(p), "--lang", "en", "--keep-notes")
    got = _blocks(r.stdout)
    code = [t for k, t in got if k.startswith("code")]
    assert code == ['let port = settings.get("port");', "{{#include ../examples/gateway/settings.toml}}",
                    "$ gateway --check settings.toml"]
    assert any(k == "text" and t.startswith("Never restart a gateway") for k, t in got)
    assert any(t.startswith("Its second paragraph") and not k.startswith("code") for k, t in got)
    seg = _cli("segment", str(p), "--lang", "en")
    assert "settings.get" not in seg.stdout and "#include" not in seg.stdout and "--check" not in seg.stdout
    assert "Never restart a gateway in the middle of a session" in seg.stdout


def test_indented_formula_in_prose_and_table_rows_are_not_code():
    """Set in after a blank line but prose (a sentence), or a table row (columns set apart by spaces): not code."""
    text = "\n\n".join([
        _en("The totals are kept in a table that the gateway writes every night, and the operators read it in "
            "the morning before the shops open:"),
        "    Gateway name        Records seen     Records lost\n"
        "    north-01 -> south   1204331          12",
        _en("The share lost is the records lost over the records seen, and it should stay far below one in a "
            "thousand for a healthy gateway:"),
        "    The share lost is computed once a day, after the last session ends.",
        _en("Nothing else is computed by the gateway itself, and the rest of the figures come from the shops."),
    ]) + "\n"
    res = reflow(text, "en", force=True)
    assert not [b for b in res.blocks if b.kind == "code"]


MD_SPACED = ("# 所有权\n\n使 Rust 独特的是所有权，它让 Rust 无需垃圾回收器。我们在第 4 章讲\nRust 的所有权规则。如果\n"
             "Rust 同时有 3 个可变引用，编译器会拒绝它：这是第\n8 条规则。\n")


@needs_cli
def test_console_reflow_markdown_soft_break_between_han_and_latin_keeps_the_documents_space(tmp_path):
    """A Markdown paragraph's soft line break between a Han character and a Latin word or number gets the space the
    document writes there on its own lines ("如果" / "Rust 同时" -> "如果 Rust 同时"); a document that writes Latin
    against Han without spaces joins without one, as before."""
    p = tmp_path / "own.zh.md"
    p.write_text(MD_SPACED, encoding="utf-8")
    got = _blocks(_cli("reflow", str(p), "--lang", "zh").stdout)
    assert got[1][1] == ("使 Rust 独特的是所有权，它让 Rust 无需垃圾回收器。我们在第 4 章讲 Rust 的所有权规则。如果 Rust "
                         "同时有 3 个可变引用，编译器会拒绝它：这是第 8 条规则。")
    tight = tmp_path / "tight.zh.md"
    tight.write_text(re.sub(r"(?<=[\u4e00-\u9fff]) (?=[A-Za-z0-9])|(?<=[A-Za-z0-9]) (?=[\u4e00-\u9fff])", "",
                            MD_SPACED), encoding="utf-8")
    got = _blocks(_cli("reflow", str(tight), "--lang", "zh").stdout)
    assert "如果Rust同时有3个可变引用" in got[1][1] and "第8条规则" in got[1][1]


def test_set_in_formula_and_address_lines_in_english_prose_are_not_code():
    """A bare ``=`` in a line set in after a blank line is a formula or a worked example as often as code: such
    blocks stay text (found in review: "Total = Price x Quantity" and "x = 1" were set aside as code on the
    English side only, the Chinese "总额 = 价格 x 数量" kept)."""
    from aligner.segment.code import indented_code
    assert not indented_code(["    Total = Price x Quantity"])
    assert not indented_code(["    Mr. John Smith (Director)", "    x = 1"])
    assert indented_code(["    let s = String::from(\"hello\");"])
    assert indented_code(["    x = compute(y)", "    print(x)"])
    assert indented_code(["    $ cargo run"])
