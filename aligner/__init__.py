"""Chinese-English parallel text alignment.

    >>> import aligner
    >>> al = aligner.align(zh_text, en_text)             # or lists of sentences
    >>> aligner.write_alignment(al, "out.tmx")           # .tmx .tsv .jsonl .align, or fmt="moses"
"""
from .api import Aligner
from . import align  # the search subpackage, callable as aligner.api.align (see align/__init__.py)
from .errors import AlignerError, InputError, ModelError
from .evaluate import evaluate_dirs
from .formats import read_text, write_alignment
from .model import Alignment, Bead, Sentence
from . import segment  # the segmentation subpackage, callable as segment.segment (see aligner/_callable.py)
from .segment import pre_split, reflow

__version__ = "0.2.0"   # 0.2.0: documents read and aligned differently from 0.1.0 (reflow, two-sided gaps)

__all__ = ["Aligner", "AlignerError", "Alignment", "Bead", "InputError", "ModelError", "Sentence", "__version__",
           "align", "evaluate_dirs", "pre_split", "read_text", "reflow", "segment", "write_alignment"]
