"""Our SRX engine against choppa-srx's (an independent port of the Java *segment* library) on LanguageTool's
rules as choppa ships them: same segments? and CPU time of each.

    PYTHONPATH=$PWD .venv/bin/python bench/bench_srx_reference.py [N_MACDEV_CHAPTERS=6]

Paragraphs: examples/un-letter.{en,zh}.txt and the first N mac-dev running-text chapters, reflowed by us; each
paragraph is segmented by both engines (language keys en_two / zh_two) and compared.
"""
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from choppa import DEFAULT_SRX_RULESET, SrxDocument  # noqa: E402
from choppa.iterators import AccurateSrxTextIterator  # noqa: E402

from aligner.segment.layout import reflow  # noqa: E402
from aligner.segment.srx import load_srx  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "mac-dev"


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 6
    doc = SrxDocument(ruleset=DEFAULT_SRX_RULESET)
    ours = load_srx(DEFAULT_SRX_RULESET)
    print(f"$ {' '.join(sys.argv)}\nrules: {DEFAULT_SRX_RULESET}")
    for lang, key in (("en", "en_two"), ("zh", "zh_two")):
        files = [ROOT / "examples" / f"un-letter.{lang}.txt"] + sorted(DATA.glob(f"*.{lang}.txt"))[:n]
        same = diff = segments = 0
        cpu_ref = cpu_ours = 0.0
        for f in files:
            for block in reflow(f.read_text("utf-8"), lang).blocks:
                t = block.text
                c0 = time.process_time()
                ref = [s.strip() for s in AccurateSrxTextIterator(doc, key, t) if s.strip()]
                c1 = time.process_time()
                got = [t[a:b] for a, b in ours.split(t, key)]
                c2 = time.process_time()
                cpu_ref, cpu_ours = cpu_ref + c1 - c0, cpu_ours + c2 - c1
                segments += len(ref)
                if got == ref:
                    same += 1
                else:
                    diff += 1
                    print(f"  {lang} differs:\n    choppa {ref[:5]}\n    ours   {got[:5]}")
        print(f"{lang}: {len(files)} files, {same + diff} paragraphs, {segments} segments: {same} identical, "
              f"{diff} different; CPU choppa {cpu_ref:.2f} s, ours {cpu_ours:.2f} s")


if __name__ == "__main__":
    main()
