"""The HTML reader on pages with web debris (issue 9's news page): what it keeps, what it sets aside and counts, and
an alignment of two debris-laden pages through the installed console script."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from aligner.read import read_document

ROOT = Path(__file__).resolve().parents[1]
WEB = ROOT / "tests" / "data" / "web"

PAGE = """<!DOCTYPE html><html lang="zh"><head><meta charset="utf-8"><title>T</title></head><body>
<div role="dialog"><p>本网站使用Cookie以改善体验。</p><button>同意</button></div>
<div class="top"><ul><li><a href="/a">客户端</a></li><li><a href="/b">登录</a></li><li><a href="/c">注册</a></li></ul></div>
<nav><a href="/">首页</a> <a href="/n">新闻</a></nav>
<div class="mobile" hidden><p>打开客户端阅读</p></div>
<div class="crumbs"><a href="/">首页</a> &gt; <a href="/n">新闻</a> &gt; 正文</div>
<main><article>
<h1>会议开幕</h1>
<div class="bar"><span>分享到：</span><a href="/1">微信</a><a href="/2">微博</a><a href="/3">QQ空间</a></div>
<figure><img src="p.jpg" alt="图为会场。记者 张明 摄"><div aria-hidden="true">图为会场。记者 张明 摄</div>
<figcaption>图为会场。记者 张明 摄</figcaption></figure>
<p class="overlay">图为会场。记者 张明 摄</p>
<p>会议于今日开幕，详见<a href="/r">大会报告</a>。</p>
<ul><li><a href="/x">开源项目发现计划</a></li><li><a href="/y">第一次贡献指南</a></li></ul>
<p style="display: none">隐藏的段落</p>
<p>会议将持续三天。</p>
<p>标签：<a href="/t1">联合国</a>，<a href="/t2">外交政策与国际关系研究</a></p>
</article></main>
<aside class="related"><h3>相关阅读</h3><ul><li><a href="/r1">安理会举行紧急会议讨论地区局势</a></li>
<li><a href="/r2">外交部发言人答记者问</a></li></ul></aside>
<div class="bottom"><p>版权所有 2026</p></div>
</body></html>"""


def _write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_html_debris_kinds_set_aside_and_counted(tmp_path):
    doc = read_document(_write(tmp_path, "page.html", PAGE), "zh")
    kept = [(b.kind, b.text) for b in doc.blocks if b.kind != "furniture"]
    # the body, the caption once, the article's own list of named resources (links longer than menu words)
    assert kept == [("heading", "会议开幕"), ("text", "图为会场。记者 张明 摄"), ("text", "会议于今日开幕，详见大会报告。"),
                    ("list", "开源项目发现计划"), ("list", "第一次贡献指南"), ("text", "会议将持续三天。")]
    aside = [b.text for b in doc.blocks if b.kind == "furniture"]
    for debris in ("本网站使用Cookie以改善体验。", "客户端", "首页 新闻", "打开客户端阅读", "首页 > 新闻 > 正文",
                   "分享到：微信微博QQ空间", "隐藏的段落", "标签：联合国，外交政策与国际关系研究", "相关阅读",
                   "安理会举行紧急会议讨论地区局势", "版权所有 2026"):
        assert debris in aside, debris
    # the caption: kept once, its aria-hidden overlay and its repeat in a <p> set aside
    assert aside.count("图为会场。记者 张明 摄") == 2
    # every set-aside block is counted, by rule, in the reader's note and in the set-aside characters
    note = [n for n in doc.notes if "site chrome" in n]
    assert len(note) == 1 and f"set aside {len(aside)} blocks" in note[0], doc.notes
    for rule in ("outside the article", "menus", "link lists", "hidden", "repeated captions 1"):
        assert rule in note[0], (rule, note[0])
    assert doc.set_aside()["furniture"] == sum(1 for t in aside for c in t if not c.isspace())


def test_html_teaser_article_is_not_the_content(tmp_path):
    """An <article> holding little of the page (a teaser in a sidebar) does not make the rest site chrome."""
    body = "".join(f"<p>第{i}段正文，内容足够长，用来占据页面的大部分文字。</p>" for i in range(6))
    page = (f"<html><body><div class='content'>{body}</div><div class='side'><article><p>推荐文章摘要。</p>"
            "</article></div></body></html>")
    doc = read_document(_write(tmp_path, "t.html", page), "zh")
    assert [b.text for b in doc.blocks if b.kind != "furniture"][:6] == [f"第{i}段正文，内容足够长，用来占据页面的大部分文字。"
                                                                        for i in range(6)]
    assert not [b for b in doc.blocks if b.kind == "furniture"]


#: debris of the two sites of tests/data/web (bench/make_web_pages.py), none of it in the gold
DEBRIS = {"zh": ["Cookie", "客户端下载", "无障碍浏览", "新华视界 · 国际频道", "要闻", "分享到", "标签", "相关阅读",
                 "安理会就地区局势", "关于我们", "版权所有", "扫码关注"],
          "en": ["cookies", "The World Desk — International", "Subscribe", "Newsletters", "Facebook", "LinkedIn",
                 "Topics:", "Most read", "Security Council holds", "Privacy policy", "All rights reserved",
                 "Download the app"]}


def test_cli_align_web_pages_no_debris_in_beads(tmp_path):
    """``aligner align a.html b.html -o out.jsonl`` through the installed console script: no debris text in a bead
    that pairs two sides, the photo caption once per side, and the set-aside counts reported."""
    script = Path(sys.executable).with_name("aligner")
    assert script.exists(), f"{script}: the console script is not installed"
    out = tmp_path / "out.jsonl"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OMP_NUM_THREADS": "1"}
    r = subprocess.run([str(script), "align", str(WEB / "un-letter.zh.html"), str(WEB / "un-letter.en.html"), "-o",
                        str(out)], capture_output=True, text=True, env=env, timeout=600)
    assert r.returncode == 0, r.stderr[-2000:]
    assert "site chrome" in r.stderr
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines() if line.strip()]
    gold = {lang: (WEB / f"un-letter.gold.{lang}.txt").read_text(encoding="utf-8") for lang in ("zh", "en")}
    assert len(rows) > 50
    for row in rows:
        if row["src_text"].strip() and row["tgt_text"].strip():
            for lang, key in (("zh", "src_text"), ("en", "tgt_text")):
                for d in DEBRIS[lang]:
                    assert d not in gold[lang], d
                    assert d not in row[key], (d, row)
    zh = "".join(r["src_text"] for r in rows)
    assert zh.count("新华视界记者 张明 摄") == 1
