"""The model's follow-up judge on the eval pairs (eval/followups/pairs.jsonl), against whatever endpoint
OPENAI_BASE_URL / OPENAI_MODEL name: `make eval-llm DATA=eval/followups/pairs.jsonl`.

Both articles of a pair go through the offline engine (as `make eval` reads them); the earlier one's
flagged claims then go to the judge (bot/analysis/followup_judge.py) with the later one, and the follow-ups
it posts are scored as the offline rules' are (bot/eval/followups.py). Printed beside them: the model's own
decisions before grounding, scored the same way, so that what grounding drops shows in precision; what the
judge dropped and why; and claims the offline rules decided because the model could not answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.analysis import offline
from bot.analysis.followup_judge import FollowUpJudge, JudgeStats
from bot.analysis.llm import LLMEngine
from bot.eval.followups import FollowUpScores
from bot.fetch.extract import article_from_text
from bot.memory.followups import watched


@dataclass
class JudgedPairs:
    grounded: FollowUpScores = field(default_factory=FollowUpScores)  # what the bot would post
    raw: FollowUpScores = field(default_factory=FollowUpScores)  # the model's decisions, taken at its word
    stats: JudgeStats = field(default_factory=JudgeStats)


def _one(found: set[str]) -> str:
    return found.pop() if len(found) == 1 else ("mixed" if found else "none")


def _score(scores: FollowUpScores, pair_id: str, got: str, want: str) -> None:
    scores.expected += want != "none"
    scores.made += got != "none"
    scores.right += got == want != "none"
    if got != want:
        scores.errors.append(f"{pair_id}: expected {want}, got {got}")


async def judge_pairs(pairs: list[dict], engine: LLMEngine) -> JudgedPairs:
    """Every pair through the judge, one after another (one request a pair)."""
    judge = FollowUpJudge(engine)
    out = JudgedPairs()
    for pair in pairs:
        earlier = offline.analyze(article_from_text(pair["earlier"]), "earlier")
        later = offline.analyze(article_from_text(pair["later"]), "later")
        claims = [(pair["id"], claim) for claim in watched(earlier)]
        seen = len(out.stats.raw)
        found = await judge.decide(claims, later, out.stats)
        raw = {d for _, d in out.stats.raw[seen:] if d in ("confirmed", "disputed", "unconfirmed")}
        _score(out.grounded, pair["id"], _one({f.decision for _, f in found}), pair["expect"])
        _score(out.raw, pair["id"], _one(raw), pair["expect"])
    return out


def report(result: JudgedPairs, n: int) -> list[str]:
    s = result.stats
    lines = []
    for name, sc in (("judge, grounded", result.grounded), ("model as it answered", result.raw)):
        lines.append(f"follow-ups on {n} pairs, {name}: P {sc.precision:.3f} R {sc.recall:.3f}  "
                     f"(made {sc.made}, right {sc.right}, expected {sc.expected})")
    dropped = sum(s.dropped.values())
    lines.append(f"claims asked {s.asked}; judgements {s.given}: posted {sum(s.posted.values())}, "
                 f"nothing {s.nothing}, dropped {dropped}; decided offline (no answer) {s.offline}")
    lines += [f"  dropped {k}: {v}" for k, v in s.dropped.most_common()]
    lines.append(f"tokens: input {s.input_tokens:,}, output {s.output_tokens:,}")
    return lines
