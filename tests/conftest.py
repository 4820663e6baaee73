import os
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("ALIGNER_SHARED", ROOT.parent / "shared"))
MAC_DEV = SHARED / "data" / "mac-dev"
SCORER = SHARED / "bench" / "score_align.py"


def console_script() -> str | None:
    """The installed ``aligner`` console script (beside this interpreter, else on PATH), or None."""
    exe = Path(sys.executable).parent / "aligner"
    return str(exe) if exe.exists() else shutil.which("aligner")


@pytest.fixture(scope="session")
def usem3_aligner():
    import aligner
    return aligner.Aligner("usem3")




def full_band(n, m):
    """A band holding every cell of an n x m search (tests of the DP and its score terms)."""
    import numpy as np
    from aligner.align.dp import Band
    return Band(lo=np.zeros(n + 1, dtype=np.int64), width=m + 1, n=n, m=m)


def score_tables(n, m, types, fn):
    """Score tensors of a full band from fn(i0, i1, j0, j1), one per bead type (-1e9 where no bead fits)."""
    import numpy as np
    out = []
    for a, b in types:
        s = np.full((n + 1, m + 1), -1e9)
        for i in range(a, n + 1):
            for j in range(b, m + 1):
                s[i, j] = fn(i - a, i, j - b, j)
        out.append(s)
    return out
