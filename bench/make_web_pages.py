"""Render parallel texts into news-site-like HTML page pairs full of web debris, and record their gold: tests/data/web/.

    .venv/bin/python bench/make_web_pages.py [--out tests/data/web] [--docs-dev ../shared/data/docs-dev]

A proxy for the held-out "news page with web debris" of issue 9 (we have no real news pages with gold).  The body
of each page is a text we already have gold for; around and inside it go the things a scraped page carries, and the
two sites carry *different* debris (a Chinese portal and an English one are not built alike):

* a cookie banner, a site header with a logo line, a ``<nav>`` menu, and menus that are NOT in ``nav`` (a
  ``<div class="top-links">``/``<ul>`` of short links, a ``<div class="channels">`` of bare links);
* breadcrumbs (not named "breadcrumb" on one side), a share bar ("分享到：微信 微博…" / "Share: Facebook X…"),
  a tag list after the body;
* a photo whose caption is printed twice: the ``<figcaption>`` and the same text again in a ``<p>`` (an overlay
  or a credit line), on one side also in an ``aria-hidden`` block;
* a sidebar of related links (an ``<aside>`` inside ``<main>``, or a ``<div role="navigation">``), a ``hidden``
  mobile menu, a footer with links and a copyright line.

Texts (redistributable only, as bench/make_doc_corpus.py): ``un-letter`` (examples/), ``prc-constitution-2018`` and
``opensource-guide-how-to-contribute`` (docs-dev gold rows; code and front-matter rows are not rendered, as
bench_docs.py leaves them out of docs-dev scoring).  Inline Markdown in the docs-dev rows is rendered to HTML, and
the gold unit is the visible text of that HTML.  The guide's pull quotes (``<aside class="pquote">``) stay inside the
article: they are translated text, part of the gold.

Writes ``NAME.{zh,en}.html``, ``NAME.gold.{zh,en}.txt`` (one gold unit per line, line n <-> line n) and
``manifest.json`` in the form of tests/data/docs/manifest.json (kinds, furniture texts per language, renderings),
so ``bench/bench_docs.py --sets web`` scores the pages by the projected measure.
"""
from __future__ import annotations

import argparse
import html
import json
import re
import sys
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from make_doc_corpus import SHARED, load_docs_dev, load_un_letter, unescape  # noqa: E402

TEXTS = ("un-letter", "prc-constitution-2018", "opensource-guide-how-to-contribute")
#: a photo (with its doubled caption) goes after this many body units (a news page puts its photo near the top)
PHOTO_AFTER = 3
#: docs-dev gold rows not rendered (not prose; bench_docs.py skips them in docs-dev too)
SKIP_KINDS = ("code", "fm")

# ----------------------------------------------------------------------------------------------------- debris
# The two sites differ. Furniture strings listed in the manifest are the distinctive ones (>= 8 characters) that
# must never be found inside a body bead.
ZH = {
    "cookie": "本网站使用Cookie以改善您的浏览体验。继续浏览即表示您同意我们的隐私政策。",
    "logo": "新华视界 · 国际频道",
    "nav": ["首页", "时政", "国际", "财经", "科技", "文化", "体育", "视频"],
    "toplinks": ["客户端下载", "无障碍浏览", "English", "登录", "注册"],
    "channels": ["要闻", "滚动", "评论", "图片", "专题", "直播", "数据"],
    "crumbs": ["首页", "国际频道", "正文"],
    "share": ["微信", "微博", "QQ空间", "复制链接"],
    "caption": "图为会议现场。新华视界记者 张明 摄",
    "related_title": "相关阅读",
    "related": ["联合国安理会就地区局势举行紧急会议", "外交部发言人就相关问题答记者问",
                "专家解读：多边合作进入新阶段", "视频｜记者带你走进联合国总部"],
    "tags": ["联合国", "外交", "国际关系"],
    "footer_links": ["关于我们", "联系我们", "广告服务", "网站地图", "违法和不良信息举报"],
    "copyright": "版权所有 新华视界网络有限公司 京ICP备00000000号",
    "mobile": ["打开客户端", "扫码关注公众号"],
}
EN = {
    "cookie": "We use cookies to personalise content and ads and to analyse our traffic. Accept all cookies?",
    "logo": "The World Desk — International",
    "nav": ["Home", "World", "Business", "Tech", "Opinion", "Video", "Podcasts"],
    "toplinks": ["Subscribe", "Sign in", "Newsletters", "中文版"],
    "channels": ["Africa", "Americas", "Asia", "Europe", "Middle East"],
    "crumbs": ["Home", "World", "Diplomacy"],
    "share": ["Facebook", "X", "LinkedIn", "Email", "Copy link"],
    "caption": "Delegates at the meeting hall. Photo: Ming Zhang / The World Desk",
    "related_title": "Most read",
    "related": ["Security Council holds emergency session on the region", "What the new multilateral deal means",
                "Analysis: five questions after the summit", "Watch: inside the UN headquarters"],
    "tags": ["United Nations", "Diplomacy"],
    "footer_links": ["About us", "Contact", "Advertise", "Terms of use", "Privacy policy", "Accessibility"],
    "copyright": "© 2026 The World Desk Media Group. All rights reserved.",
    "mobile": ["Download the app", "Follow us on social media"],
}


def _a(text: str) -> str:
    return f'<a href="/{zlib.crc32(text.encode()) % 10000}.html">{html.escape(text)}</a>'


def page_zh(title: str, body: list[str], d=ZH) -> str:
    nav = "".join(f"<li>{_a(x)}</li>" for x in d["nav"])
    top = "".join(f"<li>{_a(x)}</li>" for x in d["toplinks"])
    channels = " | ".join(_a(x) for x in d["channels"])
    crumbs = " &gt; ".join(_a(x) for x in d["crumbs"][:-1]) + f" &gt; <span>{d['crumbs'][-1]}</span>"
    share = "".join(_a(x) for x in d["share"])
    related = "".join(f"<li>{_a(x)}</li>" for x in d["related"])
    tags = "".join(f"<li>{_a(x)}</li>" for x in d["tags"])
    foot = " | ".join(_a(x) for x in d["footer_links"])
    mobile = "".join(f"<li>{_a(x)}</li>" for x in d["mobile"])
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{html.escape(title)}_新华视界</title>
<style>.photo-overlay{{position:absolute}} .top-links li{{display:inline}}</style>
<script>window.dataLayer=window.dataLayer||[];function track(){{dataLayer.push(arguments)}}</script></head>
<body>
<div class="cookie-banner"><p>{d['cookie']}</p><button>同意</button></div>
<div class="top-links"><ul>{top}</ul></div>
<header class="site-header"><div class="logo">{d['logo']}</div>
<nav class="main"><ul>{nav}</ul></nav></header>
<div class="channels">{channels}</div>
<div class="crumbs">{crumbs}</div>
<div class="wrap"><main>
<article>
<div class="share-bar"><span>分享到：</span>{share}</div>
{body[0]}
<div class="art-info"><span>来源：新华视界</span> <span>2026-11-28 08:00</span></div>
{''.join(body[1:])}
<div class="tags"><span>标签：</span><ul>{tags}</ul></div>
</article>
<aside class="related"><h3>{d['related_title']}</h3><ul>{related}</ul></aside>
</main></div>
<div class="mobile-menu" hidden><ul>{mobile}</ul></div>
<footer><p>{foot}</p><p>{d['copyright']}</p></footer>
<script>track('pageview')</script>
</body></html>
"""


def page_en(title: str, body: list[str], d=EN) -> str:
    nav = "".join(f"<li>{_a(x)}</li>" for x in d["nav"])
    top = "".join(f"<li>{_a(x)}</li>" for x in d["toplinks"])
    channels = "".join(f"<li>{_a(x)}</li>" for x in d["channels"])
    crumbs = "".join(f"<li>{_a(x)}</li>" for x in d["crumbs"])
    share = "".join(f"<li>{_a(x)}</li>" for x in d["share"])
    related = "".join(f"<li>{_a(x)}</li>" for x in d["related"])
    tags = ", ".join(_a(x) for x in d["tags"])
    foot = "".join(f"<li>{_a(x)}</li>" for x in d["footer_links"])
    mobile = "".join(f"<li>{_a(x)}</li>" for x in d["mobile"])
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)} | The World Desk</title>
<style>.sr-only{{display:none}}</style><script async src="/ads.js"></script></head>
<body>
<div id="consent" role="dialog"><p>{d['cookie']}</p><button>Accept</button><button>Manage</button></div>
<div class="site-top"><div class="brand">{d['logo']}</div><ul class="utility">{top}</ul></div>
<nav aria-label="Sections"><ul>{nav}</ul></nav>
<ul class="subsections">{channels}</ul>
<div class="container">
<div class="content">
<ol class="trail">{crumbs}</ol>
<article>
{body[0]}
<p class="byline">By Staff Reporter · 28 November 2026</p>
<ul class="share">{share}</ul>
{''.join(body[1:])}
<p class="topics">Topics: {tags}</p>
</article>
</div>
<div class="rail" role="navigation"><h2>{d['related_title']}</h2><ol>{related}</ol></div>
</div>
<div hidden><ul>{mobile}</ul></div>
<div class="site-bottom"><ul>{foot}</ul><p>{d['copyright']}</p></div>
</body></html>
"""


def photo(lang: str) -> str:
    """The photo block: caption printed twice (figcaption + overlay/credit paragraph); English also aria-hidden."""
    if lang == "zh":
        c = ZH["caption"]
        return (f'<figure><img src="/p/1.jpg" alt="{html.escape(c)}"><figcaption>{c}</figcaption></figure>\n'
                f'<p class="photo-overlay">{c}</p>\n')
    c = EN["caption"]
    return (f'<figure class="lead-image"><img src="/p/1.jpg" alt="{html.escape(c)}">'
            f'<div class="overlay" aria-hidden="true">{c}</div><figcaption>{c}</figcaption></figure>\n'
            f'<p class="credit">{c}</p>\n')


def furniture_strings(d: dict) -> list[str]:
    """The distinctive debris texts (8+ characters) a body bead must not hold."""
    out = [d["cookie"], d["logo"], d["caption"], d["copyright"]] + d["related"] + d["mobile"]
    return [s for s in out if len(s) >= 8]


# ----------------------------------------------------------------------------------------------------- bodies

def _inline(md_text: str) -> tuple[str, str]:
    """(HTML, visible text) of a line of inline Markdown (docs-dev rows keep their Markdown)."""
    from lxml import html as lhtml
    from markdown_it import MarkdownIt
    h = MarkdownIt("commonmark").renderInline(md_text)
    text = re.sub(r"\s+", " ", lhtml.fragment_fromstring(h, create_parent="span").text_content()).strip()
    return h, text


def units_docs_dev(name: str, root: Path) -> list[tuple[str, str, str, str]]:
    """(zh, en, kind, tag) per rendered gold row; kind as the generated corpus (title/heading/text)."""
    raw = [r.split("\t") for r in (root / name / "gold.spans.tsv").read_text(encoding="utf-8").splitlines()[1:]]
    rows = load_docs_dev(name, root)
    paras = [[unescape(c) for c in line.split("\t")]
             for line in (root / name / "gold.para.tsv").read_text(encoding="utf-8").splitlines()]
    out = []
    for (zh, en, kind), r, (pz, pe) in zip(rows, raw, paras):
        k = r[4]
        if k in SKIP_KINDS:
            continue
        if k == "html":   # a pull quote: <aside class="pquote"><img …> text </aside>, keep its text
            zh, en = (re.sub(r"<[^>]+>", " ", x) for x in (pz, pe))
            zh, en = (re.sub(r"\s+", " ", x).strip() for x in (zh, en))
        if k.startswith(("h2", "h3")):   # the Markdown heading marks are not visible text
            zh, en = (re.sub(r"^#+\s*", "", x) for x in (zh, en))
        if k.startswith("li"):   # nor the list markers (the page's <li> draws its own)
            zh, en = (re.sub(r"^(?:[*+-]|\d+[.)])\s+", "", x) for x in (zh, en))
        tag = ("h1" if kind == "title" else "h2" if k.startswith(("heading", "h2")) else "h3" if k == "h3"
               else "li" if k.startswith("li") else "blockquote" if k == "q-p" else "pquote" if k == "html"
               else "p")
        out.append((zh, en, kind, tag))
    return out


def units_un_letter() -> list[tuple[str, str, str, str]]:
    out = []
    for i, (z, e, k) in enumerate(load_un_letter()):
        out.append((z, e, "title" if i == 0 else k, "h1" if i == 0 else "h2" if k == "heading" else "p"))
    return out


def render_body(units, lang: str) -> tuple[list[str], list[str]]:
    """HTML pieces (first: the title) and the gold line of each unit (its visible text)."""
    pieces, gold = [], []
    i = 0
    while i < len(units):
        zh, en, kind, tag = units[i]
        h, text = _inline(zh if lang == "zh" else en)
        if tag == "li":   # a run of list items becomes one <ul>
            items = []
            while i < len(units) and units[i][3] == "li":
                h, text = _inline(units[i][0] if lang == "zh" else units[i][1])
                items.append(f"<li>{h}</li>")
                gold.append(text)
                i += 1
            pieces.append("<ul>" + "".join(items) + "</ul>\n")
            continue
        if tag == "pquote":
            pieces.append(f'<aside class="pquote"><p>{h}</p></aside>\n')
        elif tag == "blockquote":
            pieces.append(f"<blockquote><p>{h}</p></blockquote>\n")
        else:
            pieces.append(f"<{tag}>{h}</{tag}>\n")
        gold.append(text)
        i += 1
        if len(gold) == PHOTO_AFTER:
            pieces.append(photo(lang))
    return pieces, gold


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=str(ROOT / "tests" / "data" / "web"))
    ap.add_argument("--docs-dev", default=str(SHARED / "docs-dev"))
    a = ap.parse_args(argv)
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    manifest = []
    for name in TEXTS:
        units = units_un_letter() if name == "un-letter" else units_docs_dev(name, Path(a.docs_dev))
        pz, gz = render_body(units, "zh")
        pe, ge = render_body(units, "en")
        assert len(gz) == len(ge) == len(units), name
        (out / f"{name}.zh.html").write_text(page_zh(gz[0], pz), encoding="utf-8")
        (out / f"{name}.en.html").write_text(page_en(ge[0], pe), encoding="utf-8")
        (out / f"{name}.gold.zh.txt").write_text("\n".join(gz) + "\n", encoding="utf-8")
        (out / f"{name}.gold.en.txt").write_text("\n".join(ge) + "\n", encoding="utf-8")
        manifest.append({"name": name, "gold": {"src": f"{name}.gold.zh.txt", "tgt": f"{name}.gold.en.txt",
                                                "kind": "units"},
                         "kinds": [u[2] for u in units], "notes": {"zh": [], "en": []},
                         "furniture": {"zh": furniture_strings(ZH), "en": furniture_strings(EN)},
                         "renderings": [{"name": f"{name}.web", "src": f"{name}.zh.html",
                                         "tgt": f"{name}.en.html"}]})
        print(f"{name}: {len(units)} units", file=sys.stderr)
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
