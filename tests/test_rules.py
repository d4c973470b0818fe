"""Every attribution rule decides on its own example sentence when the whole engine reads it, so a rule
that another one shadows, or that stopped matching, fails here by name."""

from __future__ import annotations

import pytest

from bot.analysis.model import Article
from bot.analysis.offline import analyze
from bot.analysis.offline.rules import STAGES, all_rules, reset_rule_hits, rule_hits


@pytest.mark.parametrize(("stage", "rule"), all_rules(), ids=[r.name for _, r in all_rules()])
def test_each_rule_decides_on_its_example(stage: str, rule) -> None:
    reset_rule_hits()
    analyze(Article(text=rule.example))
    assert rule_hits()[rule.name] > 0, f"{rule.name} ({stage}) did not decide on: {rule.example}"


def test_every_stage_has_rules_with_unique_names_and_examples() -> None:
    names = [r.name for _, r in all_rules()]
    assert len(names) == len(set(names))
    assert {"speaker"} <= set(STAGES)
    assert all(r.example.strip() and r.name.startswith(s + ".") for s, r in all_rules())


def test_hits_are_counted_and_reset() -> None:
    reset_rule_hits()
    analyze(Article(text="The plant will close in May, she said."))
    assert rule_hits()["speaker.pronoun"] >= 1
    reset_rule_hits()
    assert rule_hits()["speaker.pronoun"] == 0
