"""Scoring follow-up decisions on the repo's article pairs (eval/followups/pairs.jsonl): each pair is an
earlier article with a flagged claim and a later one that confirms, disputes or still calls it
unconfirmed ("expect"), or that names the same people but is about something else ("none"). Both are run
through the offline engine, then through bot.memory.followups, as the bot does.

A follow-up counts as right when its decision is the expected one; precision is over follow-ups made
(a wrong decision and a follow-up on an unrelated pair both count against it), recall over the pairs
that expect one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from bot.analysis import offline
from bot.fetch.extract import article_from_text
from bot.memory.followups import follow_ups

PAIRS_FILE = Path(__file__).resolve().parents[2] / "eval" / "followups" / "pairs.jsonl"


@dataclass
class FollowUpScores:
    expected: int = 0  # pairs that expect a follow-up
    made: int = 0  # pairs where one was made
    right: int = 0  # ... with the expected decision
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.right / self.made if self.made else 1.0

    @property
    def recall(self) -> float:
        return self.right / self.expected if self.expected else 1.0


def load_pairs(path: Path = PAIRS_FILE) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def decision(earlier: str, later: str) -> str:
    """What the bot would post for this pair: a decision, or "none"."""
    a = offline.analyze(article_from_text(earlier), "earlier")
    b = offline.analyze(article_from_text(later), "later")
    found = {f.decision for f in follow_ups(a, b)}
    return found.pop() if len(found) == 1 else ("mixed" if found else "none")


def score_pairs(pairs: list[dict]) -> FollowUpScores:
    scores = FollowUpScores()
    for pair in pairs:
        got, want = decision(pair["earlier"], pair["later"]), pair["expect"]
        scores.expected += want != "none"
        scores.made += got != "none"
        scores.right += got == want != "none"
        if got != want:
            scores.errors.append(f"{pair['id']}: expected {want}, got {got}")
    return scores


def report(scores: FollowUpScores, n: int) -> list[str]:
    return [f"follow-ups on {n} pairs: P {scores.precision:.3f} R {scores.recall:.3f}  "
            f"(made {scores.made}, right {scores.right}, expected {scores.expected})"]
