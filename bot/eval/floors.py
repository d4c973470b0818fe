"""The pinned score floors (eval/floors.json): CI fails when a metric falls below its floor."""

from __future__ import annotations

import json
from pathlib import Path

from bot.eval.goldset import FLOORS_FILE

FLOORED = (
    "quote_direct_f1", "quote_indirect_f1", "quote_all_p", "quote_all_r", "quote_all_f1",
    "speaker_accuracy", "flag_p", "flag_r", "flag_f1", "claimer_accuracy",
)


def load_floors(path: Path = FLOORS_FILE) -> dict[str, float]:
    return json.loads(path.read_text(encoding="utf-8"))["floors"]


def below(metrics: dict[str, float], floors: dict[str, float]) -> dict[str, tuple[float, float]]:
    """metric -> (score, floor) for every floored metric under its floor (a missing one counts as 0)."""
    return {k: (metrics.get(k, 0.0), f) for k, f in floors.items() if metrics.get(k, 0.0) < f - 1e-9}


def pin(metrics: dict[str, float], margin: float, path: Path = FLOORS_FILE) -> dict[str, float]:
    """Write floors `margin` under today's scores (rounded down to two decimals) and return them."""
    floors = {k: max(0.0, int((metrics[k] - margin) * 100) / 100) for k in FLOORED if k in metrics}
    doc = {
        "about": "Floors for the eval set's scores (tests/test_eval_floor.py). Re-pin after an engine change "
                 "with `python -m bot.eval --pin 0.03` and say why in the commit.",
        "margin": margin,
        "scores_when_pinned": {k: round(metrics[k], 3) for k in FLOORED if k in metrics},
        "floors": floors,
    }
    path.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
    return floors
