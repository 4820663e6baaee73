"""Small document pairs cut from the gold dev set, for the batch benchmark and tests: consecutive runs of gold beads
of each chapter, so both sides are cut at bead boundaries and each pair's gold alignment is known.

    from batch_pairs import cut_pairs; cut_pairs("../shared/data/mac-dev", "out/pairs", 200)
"""
from __future__ import annotations

import re
from pathlib import Path

#: beads per pair, cycled: pairs of unequal size, like a real batch; mac-dev's 1,329 beads give ~204 disjoint pairs
SIZES = (5, 6, 7, 8)
_BEAD = re.compile(r"^\[([\d,]*)\]:\[([\d,]*)\]")


def _ids(s: str) -> list[int]:
    return [int(x) for x in s.split(",") if x]


def cut_pairs(data_dir, out_dir, n: int, sizes=SIZES, stride: int | None = None) -> list[str]:
    """Write up to ``n`` pairs NAME.zh / NAME.en (one sentence a line) and NAME.align (gold, renumbered) into
    ``out_dir``; return their names. Pair k has ``sizes[k % len(sizes)]`` beads; consecutive pairs of a chapter
    start ``stride`` beads apart (default: where the previous one ended, so pairs are disjoint; a smaller stride
    gives longer, overlapping documents)."""
    data_dir, out_dir = Path(data_dir), Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    names: list[str] = []
    k = 0
    for gold in sorted(data_dir.glob("*.align")):
        zh = (data_dir / f"{gold.stem}.zh").read_text(encoding="utf-8").splitlines()
        en = (data_dir / f"{gold.stem}.en").read_text(encoding="utf-8").splitlines()
        beads = [(_ids(m.group(1)), _ids(m.group(2))) for m in map(_BEAD.match, gold.read_text().splitlines()) if m]
        pos = 0
        while pos < len(beads) and len(names) < n:
            group = beads[pos:pos + sizes[k % len(sizes)]]
            pos += stride or len(group)
            k += 1
            src = sorted(i for b in group for i in b[0])
            tgt = sorted(j for b in group for j in b[1])
            if not src or not tgt:
                continue
            name = f"{gold.stem}-{len(names):03d}"
            (out_dir / f"{name}.zh").write_text("".join(zh[i] + "\n" for i in src), encoding="utf-8")
            (out_dir / f"{name}.en").write_text("".join(en[j] + "\n" for j in tgt), encoding="utf-8")
            rows = []
            for s, t in group:
                rows.append(f"[{','.join(str(i - src[0]) for i in s)}]:[{','.join(str(j - tgt[0]) for j in t)}]")
            (out_dir / f"{name}.align").write_text("\n".join(rows) + "\n", encoding="utf-8")
            names.append(name)
    return names
