"""Exceptions the library raises for bad input; the CLI turns them into one-line errors."""


class AlignerError(Exception):
    """Base class: a user-facing problem with a one-line message."""


class InputError(AlignerError):
    """Unreadable, empty, binary or wrongly encoded input."""


class ModelError(AlignerError):
    """An embedding model is missing or cannot be loaded."""
