"""Progress reports from the library: ``progress(stage, done, total)``, no printing, no logging.

Stages, in order: ``"segmenting"`` (0/1 then 1/1), ``"embedding"`` (sentences embedded so
far, of the sentences not yet in the cache), ``"search"`` (0/1 then 1/1). ``total`` may grow
while a stage runs (window embeddings); ``done`` never exceeds it. The CLI draws a bar from them.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

Progress = Callable[[str, int, int], None]


class _Counting:
    """Wraps a raw encoder: reports each batch it embeds."""

    def __init__(self, raw, tick: Callable[[int], None]):
        self._raw = raw
        self._tick = tick

    def encode(self, texts):
        vecs = self._raw.encode(texts)
        self._tick(len(texts))
        return vecs

    def __getattr__(self, name):
        return getattr(self._raw, name)


@contextmanager
def reporting(encoder, progress: Progress | None, texts: list[str]) -> Iterator[None]:
    """While the block runs, ``encoder`` (a :class:`~aligner.embed.CachedEncoder`) reports the
    batches it embeds as the ``embedding`` stage; ``search`` starts when the sentences are done."""
    if progress is None:
        yield
        return
    memory = getattr(encoder, "_mem", {})
    state = {"done": 0, "total": len({t for t in texts if t not in memory}), "search": False}

    def tick(n: int) -> None:
        state["done"] += n
        state["total"] = max(state["total"], state["done"])
        progress("embedding", state["done"], state["total"])
        if state["done"] >= state["total"] and not state["search"]:
            state["search"] = True
            progress("search", 0, 1)

    raw = getattr(encoder, "encoder", None)
    progress("embedding", 0, state["total"])
    if raw is None:
        yield
    else:
        encoder.encoder = _Counting(raw, tick)
        try:
            yield
        finally:
            encoder.encoder = raw
    if not state["search"]:
        progress("search", 0, 1)
    progress("search", 1, 1)
