"""Exceptions the library raises for bad input; the CLI turns them into one-line errors."""
from __future__ import annotations

from contextlib import contextmanager


class AlignerError(Exception):
    """Base class: a user-facing problem with a one-line message."""


class InputError(AlignerError, ValueError):
    """A bad argument or input: unreadable, empty, binary or wrongly encoded text, an unknown option value.

    Also a :class:`ValueError`, so code that guards library calls with ``except ValueError`` keeps working."""


class ModelError(AlignerError):
    """An embedding model is missing or cannot be loaded."""


@contextmanager
def reading(label: object):
    """Turn the OS errors of reading the file ``label`` into one-line :class:`InputError` messages."""
    try:
        yield
    except FileNotFoundError:
        raise InputError(f"{label}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{label}: no such file (it is a directory)") from None
    except PermissionError:
        raise InputError(f"{label}: cannot read the file (permission denied)") from None
    except OSError as e:
        raise InputError(f"{label}: cannot read the file ({e.strerror or e})") from None
