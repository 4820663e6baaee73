"""Headless Debian chromium driven by selenium, for the review page tests and bench/bench_review.py.

Uses /usr/bin/chromium and /usr/bin/chromedriver (apt: chromium, chromium-driver) and nothing that downloads a
browser. :func:`chrome` returns None when either is missing, so that callers can skip.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

CHROMIUM = os.environ.get("ALIGNER_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("ALIGNER_CHROMEDRIVER", "/usr/bin/chromedriver")


def available() -> str | None:
    """None when a headless browser can be started, else the reason it cannot."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install selenium)"
    for path in (CHROMIUM, CHROMEDRIVER):
        if not os.access(path, os.X_OK):
            return f"{path} not found (apt-get install chromium chromium-driver)"
    return None


@contextmanager
def chrome(download_dir: Path | None = None, width: int = 1366, height: int = 900):
    """A headless chromium (laptop-sized window) that saves downloads to ``download_dir`` without asking."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="aligner-chromium-")
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-dev-shm-usage",
                 f"--user-data-dir={profile}", f"--window-size={width},{height}"):
        opts.add_argument(flag)
    if download_dir is not None:
        opts.add_experimental_option("prefs", {
            "download.default_directory": str(download_dir), "download.prompt_for_download": False,
            "download.directory_upgrade": True, "safebrowsing.enabled": False})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    try:
        if download_dir is not None:
            driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow",
                                                               "downloadPath": str(download_dir)})
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
