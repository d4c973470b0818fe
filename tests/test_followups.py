"""bot.memory.followups, the pure part: cue decisions, relatedness, and the eval pairs' precision floor."""

from __future__ import annotations

import pytest

from bot.eval.followups import load_pairs, score_pairs
from bot.memory.followups import cues, decide, relatedness

PRECISION_FLOOR = 0.9
RECALL_FLOOR = 0.7


@pytest.mark.parametrize(("sentence", "expected"), [
    ("The company confirmed the plan on Tuesday.", ("confirmed", ("confirmed",))),
    ("The ministry has not confirmed the plan.", ("unconfirmed", ("has not confirmed",))),
    ("Officials denied the report.", ("disputed", ("denied",))),
    ("There is no evidence the troops moved.", ("unconfirmed", ("no evidence",))),
    ("He neither confirmed nor denied it.", ("unconfirmed", ("neither confirmed nor denied",))),
    ("It confirmed one part and denied another.", None),  # two kinds: decides nothing
    ("The plant will close in December.", None),  # no cue: decides nothing
])
def test_decide(sentence, expected):
    assert decide(sentence) == expected


def test_longer_cue_wins_where_they_overlap():
    assert cues("The figure could not be independently verified.") == {
        "unconfirmed": ["could not be independently verified"]}


def test_relatedness_needs_a_shared_name_and_shared_words():
    claim = "Carver Motors will reportedly close its Dayton assembly plant by the end of the year."
    assert relatedness(claim, "Carver Motors confirmed it will close the Dayton assembly plant in December.")
    # The same company, another story.
    assert not relatedness(claim, "Carver Motors confirmed the launch date of its first electric pickup.")
    # The same story words, no name in common.
    assert not relatedness(claim, "A rival confirmed it will close an assembly plant by the end of the year.")


def test_eval_pairs_precision_floor():
    pairs = load_pairs()
    kinds = {p["expect"] for p in pairs}
    assert len(pairs) >= 30 and kinds == {"confirmed", "disputed", "unconfirmed", "none"}
    scores = score_pairs(pairs)
    assert scores.precision >= PRECISION_FLOOR, scores.errors
    assert scores.recall >= RECALL_FLOOR, scores.errors
