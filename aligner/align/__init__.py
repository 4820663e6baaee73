"""The alignment search: band, bead DP, scoring, the pipeline that runs them.

``aligner.align`` is both this subpackage and the library's entry point: the package is made callable (its module
class, in ``aligner/_callable.py``, forwards calls to :func:`aligner.api.align`), so ``aligner.align(zh, en)``, ``from aligner.align.pipeline
import ...`` and ``import aligner.align.pipeline as P`` all work. A plain function of that name would hide the
subpackage from ``import aligner.align.X as Y``, which resolves ``X`` as an attribute of ``aligner.align``.
"""
from .._callable import make_callable

# one callable package rather than a renamed subpackage or a function shadowing it (see the module docstring)
make_callable(__name__, "aligner.api", "align")
