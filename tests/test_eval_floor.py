"""The score floor: the offline engine on the repo's annotated articles must not fall below the floors
pinned in eval/floors.json (re-pin with `python -m bot.eval --pin 0.03` when a change earns it)."""

from __future__ import annotations

from bot.eval.floors import FLOORED, below, load_floors
from bot.eval.goldset import load_articles
from bot.eval.run import score


def test_scores_hold_their_floors():
    floors = load_floors()
    assert set(FLOORED) <= set(floors), "every floored metric has a floor"
    scores, _, _ = score(load_articles())
    metrics = scores.metrics()
    under = below(metrics, floors)
    assert not under, "below the pinned floor: " + ", ".join(
        f"{k} {v:.3f} < {f:.2f}" for k, (v, f) in sorted(under.items())
    )
    assert not scores.text_mismatch, "the engine must keep the text it was given (offsets are into it)"
