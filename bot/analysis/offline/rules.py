"""Attribution layouts as small named rules, tried in a documented order, with hit counts.

Each stage of the offline engine keeps its layouts as a list of `Rule`s in its own module and registers
it here under the stage's name; `decide(stage, ctx)` tries them in order and the first one that decides
wins. A rule decides by returning a result, or `STOP` when the layout it recognises means "nothing here"
("voters who say …" is a description, not a report); it returns None when its layout does not apply.

The stages, in the order the engine runs them (DEVELOPERS.md says which to touch for what):

  1. cue           cues.py          does this reporting word report here?     "Russia has never declared"
  2. speaker       speakers.py      the speaker phrase before a cue           "Ali Baraka, a Hamas official, said"
     after_quote   quote_layouts.py the attribution after a closing mark      '"…," said Rep. John Smith.'
     before_quote  quote_layouts.py the attribution before an opening mark    'Cruz continued: "…"'
  3. clause        clauses.py       what was said: the reported clause        "…, the airline said Thursday."
  4. mention       mentions.py      what the phrase names: person, body, …    "the Institute for the Study of War"
  5. resolution    coref.py         who a surname, pronoun or role stands for "the senator" -> Claire McCaskill

Every rule carries an example sentence; a test runs each example through the engine and checks that its
rule fires. `rule_hits()` counts the decisions per rule since `reset_rule_hits()`, so that `make eval` can
show a rule that earns nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final


class _Stop:
    """The result of a rule that decides there is nothing here."""

    def __repr__(self) -> str:
        return "STOP"


STOP: Final = _Stop()


@dataclass(frozen=True, slots=True)
class Rule:
    name: str  # unique across stages: "<stage>.<layout>"
    example: str  # a sentence written for this repo in which the rule decides
    match: Callable[[Any], Any]  # ctx -> result, STOP, or None when the layout does not apply


STAGES: dict[str, tuple[Rule, ...]] = {}
_HITS: Counter[str] = Counter()


def stage(name: str, rules: list[Rule]) -> tuple[Rule, ...]:
    """Register the ordered rules of a stage; rule names must be unique."""
    known = {r.name for rs in STAGES.values() for r in rs if rs is not STAGES.get(name)}
    dup = [r.name for r in rules if r.name in known]
    if dup or len({r.name for r in rules}) != len(rules):
        raise ValueError(f"duplicate rule names: {dup or [r.name for r in rules]}")
    STAGES[name] = tuple(rules)
    return STAGES[name]


def decide(rules: tuple[Rule, ...], ctx: Any) -> Any:
    """The result of the first rule that decides (None when none does, or when it says STOP)."""
    for rule in rules:
        out = rule.match(ctx)
        if out is not None:
            _HITS[rule.name] += 1
            return None if out is STOP else out
    return None


def vetoed(rules: tuple[Rule, ...], ctx: Any) -> bool:
    """Whether a rule of a veto stage (its rules say STOP or nothing) rules `ctx` out."""
    for rule in rules:
        if rule.match(ctx) is not None:
            _HITS[rule.name] += 1
            return True
    return False


def hit(name: str) -> None:
    """Count a decision made by a rule applied outside `decide` (a single-layout check)."""
    _HITS[name] += 1


def rule_hits() -> dict[str, int]:
    """Decisions per rule since the last reset, every registered rule listed (0 when it never decided)."""
    out = {r.name: 0 for rs in STAGES.values() for r in rs}
    out.update(_HITS)
    return out


def reset_rule_hits() -> None:
    _HITS.clear()


def all_rules() -> list[tuple[str, Rule]]:
    """(stage, rule) for every registered rule, stages in registration order."""
    return [(s, r) for s, rs in STAGES.items() for r in rs]
