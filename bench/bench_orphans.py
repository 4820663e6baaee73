"""Orphan blocks: do blocks with no counterpart end as null beads (1-0 / 0-1)?

    .venv/bin/python bench/bench_orphans.py [--json out/orphans.json] [--no-structure] [--no-orphans]

Paragraph-parallel pairs (blank-line paragraphs, paragraph n <-> paragraph n: the UN letter in examples/ and three
docs-dev laws) are edited on one side: a section dropped from the Chinese (its English paragraphs become orphans),
web debris and a translator's note inserted in the English, a translator's note inserted in the Chinese, and a
two-sided gap (unrelated blocks on both sides at the same place: an editor's note and a related-news list in the
Chinese where the English has a cookie banner and a menu, at two thirds; a survey box against a newsletter sign-up
and a footer at a fifth).  Each
variant is written to a temporary .txt pair and aligned through the document readers (``Aligner.align_files``).
Every output sentence is traced back to its paragraph (monotonic substring search); per case:

* ``orphans null``: orphan sentences that ended in a null bead / all orphan sentences;
* ``precision``: non-null beads whose sentences all come from one paragraph pair (and from no orphan) / all
  non-null beads;
* ``glued``: non-null beads holding an orphan sentence.
"""
from __future__ import annotations

import argparse
import json
import re
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from aligner.api import Aligner  # noqa: E402

SHARED = ROOT.parent / "shared" / "data"

#: debris a scraped English page carries (navigation, share bar, related links, cookie banner) and a translator's
#: note: text with no counterpart in the other language.  Written here, not taken from any evaluation text.
EN_DEBRIS = [
    "Skip to main content",
    "Home | News | Documents | Meetings | Contact us",
    "Share this page: Facebook, Twitter, LinkedIn, Email. Print this page.",
    "Related content: Press releases. Statements by the President. Photo gallery.",
    "Translator's note: the place names in this document follow the spelling used by the sender. Where two "
    "spellings are in common use, the one in the original letter has been kept.",
    "We use cookies to improve your experience on our website. By continuing to browse, you agree to our use "
    "of cookies. Learn more about our privacy policy.",
]
ZH_NOTE = ("译者注：本文中的地名按照来文的写法翻译。凡有两种通行写法的，保留原信中的写法。"
           "文中的日期均为公历日期。")
#: a two-sided gap: at the same place, the Chinese page carries an editor's note and a related-news list where the
#: English page carries a cookie banner and a menu (and, at a second place, a reader-survey box against a newsletter
#: sign-up and a footer).  Unrelated to each other and to the document; written here, not taken from any evaluation
#: text.  Each inner list is the blocks inserted at one place.
GAP_ZH = [
    ["编者按：本网站转载此文仅供读者参考，不代表本网站的观点和立场。如需转载，请与原作者联系并注明出处。",
     "相关新闻：\n春季花卉展览将于下周末在市公园开幕\n本市新建三座社区图书馆\n气象台发布大风蓝色预警"],
    ["读者调查：您对本栏目的内容是否满意？请花两分钟填写问卷，帮助我们改进服务。参与调查的读者有机会获得精美纪念品。"],
]
GAP_EN = [
    ["This site uses cookies to remember your settings and to measure traffic. You can change your cookie "
     "preferences at any time. Accept all cookies or manage settings.",
     "Menu\nAbout us\nCareers\nSubscribe\nSearch"],
    ["Sign up for our weekly newsletter and get the best stories delivered to your inbox. No spam, unsubscribe "
     "anytime.",
     "Terms of use · Privacy · Accessibility · Site map"],
]


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]


def _norm(s: str) -> str:
    return re.sub(r"\s+", "", s)


def cases():
    """(name, zh paragraphs, en paragraphs, zh ids, en ids): ids are the pair number, -1 for an orphan."""
    pairs = {"un-letter": (ROOT / "examples" / "un-letter.zh.txt", ROOT / "examples" / "un-letter.en.txt")}
    for d in ("tw-roc-constitution", "prc-constitution-2018", "tw-copyright-act"):
        if (SHARED / "docs-dev" / d).exists():
            pairs[d] = (SHARED / "docs-dev" / d / "doc.zh.txt", SHARED / "docs-dev" / d / "doc.en.txt")
    for name, (zp, ep) in pairs.items():
        Z, E = paragraphs(zp.read_text(encoding="utf-8")), paragraphs(ep.read_text(encoding="utf-8"))
        assert len(Z) == len(E), name
        n = len(Z)
        ids = list(range(n))
        # 1. a section dropped from the Chinese (a tenth of the document from its middle, at least 4 paragraphs)
        a = n // 2
        b = a + max(4, n // 10)
        yield (f"{name}/zh-drops-section", Z[:a] + Z[b:], E, ids[:a] + ids[b:], ids[:a] + [-1] * (b - a) + ids[b:])
        # 2. web debris at the top, inside and at the end of the English, a translator's note in the middle
        pos = [0, n // 4, n // 4, n // 2, (3 * n) // 4, n]
        E2, e_ids = [], []
        for k in range(n + 1):
            for d, p in zip(EN_DEBRIS, pos):
                if p == k:
                    E2.append(d)
                    e_ids.append(-1)
            if k < n:
                E2.append(E[k])
                e_ids.append(k)
        yield f"{name}/en-debris", Z, E2, ids, e_ids
        # 3. a translator's note inserted in the Chinese
        c = n // 3
        yield f"{name}/zh-note", Z[:c] + [ZH_NOTE] + Z[c:], E, ids[:c] + [-1] + ids[c:], ids
        # 4. a two-sided gap: unrelated blocks on both sides at the same place, at two thirds of the document and
        #    (a second set) at a fifth
        Z4, E4, z_ids, e_ids = [], [], [], []
        at = {(2 * n) // 3: 0, n // 5: 1}
        for k in range(n):
            if k in at:
                Z4 += GAP_ZH[at[k]]
                E4 += GAP_EN[at[k]]
                z_ids += [-1] * len(GAP_ZH[at[k]])
                e_ids += [-1] * len(GAP_EN[at[k]])
            Z4.append(Z[k])
            E4.append(E[k])
            z_ids.append(k)
            e_ids.append(k)
        yield f"{name}/two-sided-gap", Z4, E4, z_ids, e_ids


def trace(sents, paras, ids) -> list[int]:
    """Pair id (or -1) of the paragraph each sentence comes from, searching forward (monotonic)."""
    normed = [_norm(p) for p in paras]
    out, k = [], 0
    for s in sents:
        t = _norm(s.text)
        q = k
        while q < len(normed) and t not in normed[q]:
            q += 1
        if q == len(normed):       # a reader change of the text (rare): keep the current paragraph
            out.append(ids[k] if k < len(ids) else -1)
            continue
        k = q
        out.append(ids[k])
    return out


def measure(al, zid, eid) -> dict:
    zs, es = trace(al.src, *zid), trace(al.tgt, *eid)
    orph_total = sum(1 for x in zs if x == -1) + sum(1 for x in es if x == -1)
    orph_null, good, full, glued = 0, 0, 0, 0
    for b in al.beads:
        ids = [zs[i] for i in b.src] + [es[j] for j in b.tgt]
        if b.is_null:
            orph_null += sum(1 for x in ids if x == -1)
            continue
        full += 1
        glued += -1 in ids
        good += len(set(ids)) == 1 and ids[0] != -1
    return {"orphans": orph_total, "orphans_null": orph_null, "beads": full, "correct": good, "glued": glued,
            "precision": good / max(full, 1)}


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--json")
    ap.add_argument("--no-structure", action="store_true")
    ap.add_argument("--no-orphans", action="store_true", help="without the orphan block pass (aligner.align.orphans)")
    ap.add_argument("--only", help="comma-separated case-name prefixes")
    a = ap.parse_args(argv)
    al = Aligner()
    al.structure = not a.no_structure
    al.orphans = not a.no_orphans
    rows, t0 = [], time.process_time()
    with tempfile.TemporaryDirectory() as tmp:
        for name, Z, E, zi, ei in cases():
            if a.only and not any(name.startswith(p) for p in a.only.split(",")):
                continue
            zp, ep = Path(tmp) / "a.zh.txt", Path(tmp) / "a.en.txt"
            zp.write_text("\n\n".join(Z) + "\n", encoding="utf-8")
            ep.write_text("\n\n".join(E) + "\n", encoding="utf-8")
            r = measure(al.align_files(zp, ep, src_lang="zh", tgt_lang="en", check_lang=False), (Z, zi), (E, ei))
            r["case"] = name
            rows.append(r)
            print(f"{name:42} orphans null {r['orphans_null']:3}/{r['orphans']:3}  glued {r['glued']:2}  "
                  f"precision {r['precision']:.3f} ({r['correct']}/{r['beads']})", flush=True)
    on, ot = sum(r["orphans_null"] for r in rows), sum(r["orphans"] for r in rows)
    c, f = sum(r["correct"] for r in rows), sum(r["beads"] for r in rows)
    print(f"{'TOTAL':42} orphans null {on:3}/{ot:3}  glued {sum(r['glued'] for r in rows):2}  "
          f"precision {c / max(f, 1):.3f} ({c}/{f})")
    print(f"CPU {time.process_time() - t0:.1f} s, peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}"
          f" MB", file=sys.stderr)
    if a.json:
        Path(a.json).write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
