"""The alignment search: band, bead DP, scoring, the pipeline that runs them.

``aligner.align`` is both this subpackage and the library's entry point: the package is made callable (its module
class below forwards calls to :func:`aligner.api.align`), so ``aligner.align(zh, en)``, ``from aligner.align.pipeline
import ...`` and ``import aligner.align.pipeline as P`` all work. A plain function of that name would hide the
subpackage from ``import aligner.align.X as Y``, which resolves ``X`` as an attribute of ``aligner.align``.
"""
import sys
import types


class _CallablePackage(types.ModuleType):
    """A module that is also ``aligner.api.align``: calling it calls the function, ``inspect.signature`` gives its
    signature."""

    def __call__(self, *args, **kwargs):
        from ..api import align
        return align(*args, **kwargs)

    @property
    def __signature__(self):
        import inspect
        from ..api import align
        return inspect.signature(align)


# one callable package rather than a renamed subpackage or a function shadowing it (see the module docstring)
sys.modules[__name__].__class__ = _CallablePackage
