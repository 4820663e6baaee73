"""The README's screenshot of the review page (docs/img/review.png), taken by headless Debian chromium.

    PYTHONPATH=$PWD .venv/bin/python bench/review_screenshot.py [--out docs/img/review.png]

Aligns the UN-letter example with the CLI, opens the page at a laptop's 1280x720, sets the low-confidence
threshold to 0.95 so that a few beads count as low, jumps to the third (key n; the focused row shows its edit buttons)
and saves a palette PNG (kept small).
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import browser  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=str(ROOT / "docs" / "img" / "review.png"))
    a = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="review-shot-"))
    subprocess.run([sys.executable, "-m", "aligner.cli", "align", "examples/un-letter.zh.txt",
                    "examples/un-letter.en.txt", "-o", str(tmp / "un-letter.html"), "-q"], check=True, cwd=ROOT)
    with browser.chrome(width=1280, height=720) as d:
        from selenium.webdriver.common.by import By
        d.get((tmp / "un-letter.html").as_uri())
        d.execute_script("const t = document.getElementById('threshold'); t.value = '0.95';"
                         "t.dispatchEvent(new Event('input'));")
        for _ in range(3):  # the third low-confidence bead: the middle of the letter
            d.find_element(By.TAG_NAME, "body").send_keys("n")
        d.save_screenshot(str(tmp / "shot.png"))
    from PIL import Image
    img = Image.open(tmp / "shot.png").convert("RGB")
    img.quantize(colors=64, method=Image.Quantize.MEDIANCUT).save(a.out, optimize=True)
    print(f"{a.out}: {Path(a.out).stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
