"""Subpackages that are also functions: ``aligner.align`` and ``aligner.segment``.

The public API names two entry points after the stages' subpackages (``aligner.align(zh, en)``,
``aligner.segment(text, "zh")``). A plain function of that name bound on ``aligner`` hides the subpackage from
``import aligner.segment.layout as L``, which resolves ``layout`` as an attribute of ``aligner.segment``. So the
subpackage itself is made callable: its module class forwards calls (and ``inspect.signature``) to the function.
"""
from __future__ import annotations

import importlib
import inspect
import sys
import types


class CallablePackage(types.ModuleType):
    """A package module that calls ``_call_target`` = (module, function name), resolved at call time (so a target
    in a module that imports this package does not make an import cycle)."""

    _call_target: tuple[str, str]

    def _target(self):
        module, name = self._call_target
        return getattr(importlib.import_module(module), name)

    def __call__(self, *args, **kwargs):
        return self._target()(*args, **kwargs)

    @property
    def __signature__(self):
        return inspect.signature(self._target())

    def __reduce__(self):
        # pickled by name, as a function is (multiprocessing, Ray's cloudpickle): unpickling imports the package
        return (importlib.import_module, (self.__name__,))


def make_callable(package: str, module: str, name: str) -> None:
    """Make the (already imported) ``package`` callable as ``module.name``."""
    mod = sys.modules[package]
    mod.__class__ = CallablePackage
    mod._call_target = (module, name)
