"""What the model's follow-up judge is shown and how its answer is read (followup schema v1).

The model sees, per earlier claim, only the few sentences of the new article that a relaxed version of the
offline relatedness picks (a shared name and one shared content word): enough for it to decide, little to
send to the provider, and a sentence it did not see cannot be the one it quotes. Claims and sentences are
untrusted text from articles, fenced by a random boundary like the analysis prompt (bot/analysis/prompts.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from string import Template

import json_repair
from pydantic import BaseModel, ConfigDict, ValidationError

from bot.analysis import prompts
from bot.analysis.llm_answer import NotJSON, find_object, strip_wrappers
from bot.analysis.llm_schema import MalformedAnswer
from bot.analysis.model import Analysis
from bot.memory.followups import RELAXED_OVERLAP, RELAXED_WORDS, Watched, relatedness

PROMPT_ID = "followup.v1"
DECISIONS = ("confirmed", "disputed", "unconfirmed", "nothing")
CANDIDATES_PER_CLAIM = 3  # the new article's sentences shown under one claim, most related first
_WS = re.compile(r"\s+")


@dataclass(frozen=True)
class Candidate:
    sentence_id: int
    text: str  # as written in the new article (stripped)
    score: float  # relaxed relatedness to the claim


@dataclass(frozen=True)
class Asked:
    """One claim as put to the model: its id in the prompt ("C1") and the sentences shown under it."""

    claim_id: str
    claim: Watched
    candidates: tuple[Candidate, ...]


def candidates(claim: Watched, new: Analysis, limit: int = CANDIDATES_PER_CLAIM) -> tuple[Candidate, ...]:
    """The new article's sentences that may be about `claim`, most related first."""
    found = []
    for s in new.sentences:
        text = new.text[s.start:s.end].strip()
        score = relatedness(claim.text, text, claim.cues, min_words=RELAXED_WORDS, min_overlap=RELAXED_OVERLAP)
        if score:
            found.append(Candidate(s.id, text, score))
    found.sort(key=lambda c: (-c.score, c.sentence_id))
    return tuple(sorted(found[:limit], key=lambda c: c.sentence_id))


def _line(text: str) -> str:
    return _WS.sub(" ", text).strip()


def claims_block(asked: list[Asked]) -> str:
    out = []
    for a in asked:
        out.append(f"[{a.claim_id}] Claim (flagged {a.claim.level} in an earlier article): {_line(a.claim.text)}")
        out.append("  Sentences of the new article that may be about it:")
        out += [f"  [S{c.sentence_id}] {_line(c.text)}" for c in a.candidates]
        out.append("")
    return "\n".join(out).rstrip()


def render(asked: list[Asked], title: str | None, prompt_id: str = PROMPT_ID) -> list[dict[str, str]]:
    """Chat messages asking the model about `asked`."""
    system_t, user_t = prompts.load(prompt_id)
    body = claims_block(asked)
    boundary = prompts.new_boundary()
    while boundary in body or (title and boundary in title):  # practically never; cheap to be sure
        boundary = prompts.new_boundary()
    values = {"boundary": boundary, "title": prompts._title(title), "claims": body}
    return [
        {"role": "system", "content": Template(system_t).substitute(values)},
        {"role": "user", "content": Template(user_t).substitute(values)},
    ]


def _repaired(content: str) -> object:
    text = strip_wrappers(content)
    start = text.find("{")
    if start < 0:
        return None
    try:
        data = json_repair.loads(text[start:])
    except Exception:  # the library's own failure is one more reason the answer is unusable
        return None
    return data if isinstance(data, dict) and "judgements" in data else None


class JudgementV1(BaseModel):
    # Compatible servers add stray keys; they are ignored rather than failing the judgement.
    model_config = ConfigDict(extra="ignore")

    claim_id: str
    decision: str
    sentence: str = ""
    decisive_words: str = ""


_STR = {"type": "string"}
JUDGEMENT_JSON_SCHEMA: dict = {
    "type": "object",
    "properties": {
        "judgements": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"claim_id": _STR, "decision": {"type": "string", "enum": list(DECISIONS)},
                               "sentence": _STR, "decisive_words": _STR},
                "required": ["claim_id", "decision", "sentence", "decisive_words"],
                "additionalProperties": False,
            },
        }
    },
    "required": ["judgements"],
    "additionalProperties": False,
}
RESPONSE_FORMAT: dict = {
    "type": "json_schema",
    "json_schema": {"name": "newsbot_followup_v1", "strict": True, "schema": JUDGEMENT_JSON_SCHEMA},
}


def parse(content: str | None) -> tuple[list[JudgementV1], int]:
    """The judgements in the model's message, and how many items did not fit the schema (dropped).
    Raises MalformedAnswer when there is no `judgements` list at all."""
    try:
        data = find_object(content).data
    except NotJSON as exc:
        data = _repaired(content or "")  # near-JSON: find_object repairs only analysis-shaped answers
        if data is None:
            raise MalformedAnswer(str(exc)) from None
    if isinstance(data, list) and len(data) == 1:
        data = data[0]
    if isinstance(data, dict) and "judgements" not in data and len(data) == 1:
        data = next(iter(data.values()))  # {"answer": {"judgements": …}}
    items = data.get("judgements") if isinstance(data, dict) else data if isinstance(data, list) else None
    if not isinstance(items, list):
        raise MalformedAnswer('no "judgements" list in the answer')
    out, bad = [], 0
    for raw in items:
        try:
            out.append(JudgementV1.model_validate(raw))
        except ValidationError:
            bad += 1
    return out, bad
