"""Exceptions the library raises for bad input; the CLI turns them into one-line errors."""


class AlignerError(Exception):
    """Base class: a user-facing problem with a one-line message."""


class InputError(AlignerError, ValueError):
    """A bad argument or input: unreadable, empty, binary or wrongly encoded text, an unknown option value.

    Also a :class:`ValueError`, so code that guards library calls with ``except ValueError`` keeps working."""


class ModelError(AlignerError):
    """An embedding model is missing or cannot be loaded."""
