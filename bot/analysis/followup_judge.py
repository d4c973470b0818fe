"""The LLM engine judges follow-ups: does a new article confirm, dispute or still call unconfirmed a claim
an earlier article flagged? Offline, cue words decide (bot/memory/followups.py); here the model does, and
its judgement is grounded like every other model item.

Who is asked: only a claim whose earlier article the model engine analysed, about a new article the model
engine analysed (`decide`), so nothing reaches the provider that had not already; every other pair is
decided offline. What is sent: each claim's sentence and the few sentences of the new article a relaxed
relatedness picks for it (bot/analysis/followup_prompt.py), several claims to a request.

Grounding, precision first (a wrong update in someone's thread is worse than none); a judgement is dropped,
and no update posted, when
- its claim id is not one asked about, or its decision is not confirmed|disputed|unconfirmed|nothing;
- its sentence is not one of the new article's (verbatim, or near-verbatim by rapidfuzz, or a verbatim part
  of at least FRAGMENT_SHARE of one), or not one shown under that claim; the update shows the article's own
  sentence, never the model's copy;
- its decisive words are not, verbatim, in that sentence (they are the update's "decided by" cues);
- the sentence's own cue words (bot/memory/lexicons/followup_cues.txt) all say something else ("has not
  confirmed" when the model says confirmed), or say the same but the decisive words leave them out;
- two judgements of one claim disagree.
A claim the answer leaves out posts nothing either.
The model's "nothing" posts nothing, where the offline rules would have posted: the model overrides. A
"confirmed" with no cue word of the lexicon is accepted when its decisive words hold up ("the company said
in a filing"): the lexicon is short, and the decisive words shown in the update let a reader judge them.
When the model cannot answer (error, timeout, no budget, malformed twice), those claims are decided by the
offline rules, with one log line per request.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

from rapidfuzz import fuzz

from bot.analysis import followup_prompt as fp
from bot.analysis.grounding_match import find_exact, norm_str, normalize
from bot.analysis.llm_schema import MalformedAnswer
from bot.analysis.model import Analysis
from bot.memory.followups import FollowUp, Watched, cues, follow_up
from bot.memory.names import fold

if TYPE_CHECKING:  # the LLM engine's modules load the SDK and tokenizer: imported when a judge first asks
    from bot.analysis.llm import LLMEngine

log = logging.getLogger(__name__)

K = TypeVar("K")
MODEL_ENGINE = "openai"  # Engine.name of an Analysis the model engine made (bot.analysis.llm.ENGINE_NAME)
CLAIMS_PER_REQUEST = 12
MAX_REQUESTS = 4  # per new article; claims past 48 (the least related) are decided offline
SENTENCE_MATCH = 90  # rapidfuzz ratio at which the model's copy of a sentence is that sentence
FRAGMENT_SHARE = 0.6  # a verbatim part of a sentence this long stands for the sentence
MAX_DECISIVE_WORDS = 12
MALFORMED_TRIES = 2  # a malformed answer is asked for again once, saying what was wrong
OUTPUT_TOKENS_PER_CLAIM = 120


@dataclass
class JudgeStats:
    """What became of the claims put to the model: for `make eval-llm` and the tests."""

    asked: int = 0  # claims put to the model
    given: int = 0  # judgements in its answers (valid or not)
    posted: Counter[str] = field(default_factory=Counter)  # decision → grounded follow-ups
    nothing: int = 0  # "nothing" judgements (no update, whatever the offline rules say)
    dropped: Counter[str] = field(default_factory=Counter)  # reason → judgements dropped
    offline: int = 0  # claims decided offline because the model could not answer
    raw: list[tuple[object, str]] = field(default_factory=list)  # (claim's key, the model's decision) ungrounded
    input_tokens: int = 0
    output_tokens: int = 0


class FollowUpJudge:
    """The model's follow-up judge, on the LLM engine's client, token budget and retries."""

    def __init__(self, engine: LLMEngine, prompt_id: str = fp.PROMPT_ID) -> None:
        self.engine = engine
        self.prompt_id = prompt_id

    async def decide(self, claims: Sequence[tuple[K, Watched]], new: Analysis,
                     stats: JudgeStats | None = None) -> list[tuple[K, FollowUp]]:
        """The follow-ups `new` owes `claims`, as the model judges them (offline where it cannot)."""
        stats = stats if stats is not None else JudgeStats()
        asked = await asyncio.to_thread(_asked, claims, new)
        out: list[tuple[K, FollowUp]] = []
        batches = [asked[i:i + CLAIMS_PER_REQUEST] for i in range(0, len(asked), CLAIMS_PER_REQUEST)]
        if len(batches) > MAX_REQUESTS:
            rest = [a for batch in batches[MAX_REQUESTS:] for a in batch]
            log.warning("follow-up judge: %d claims past %d requests decided offline", len(rest), MAX_REQUESTS)
            out += _offline(rest, new)
            batches = batches[:MAX_REQUESTS]
        for batch in batches:
            out += await self._one_request(batch, new, stats)
        return out

    async def _one_request(self, batch: list[tuple[K, fp.Asked]], new: Analysis,
                           stats: JudgeStats) -> list[tuple[K, FollowUp]]:
        from bot.analysis.llm import _Fallback
        from bot.analysis.llm_client import ModelFailure

        stats.asked += len(batch)
        try:
            judgements = await self._ask([a for _, a in batch], new, stats)
        except (ModelFailure, _Fallback) as exc:
            log.warning("follow-up judge fell back to the offline rules for %d claims: %s", len(batch), exc.reason)
            stats.offline += len(batch)
            return _offline(batch, new)
        by_id = {a.claim_id: (key, a) for key, a in batch}
        stats.given += len(judgements)
        decided: dict[str, list[FollowUp | None]] = {}
        for j in judgements:
            claim_id = j.claim_id.strip().strip("[]").upper()
            if claim_id in by_id:
                stats.raw.append((by_id[claim_id][0], j.decision.strip().lower()))
            found, reason = ground(j, by_id.get(claim_id, (None, None))[1], new)
            if reason == "nothing":
                stats.nothing += 1
                decided.setdefault(claim_id, []).append(None)
            elif reason:
                stats.dropped[reason] += 1
            else:
                decided.setdefault(claim_id, []).append(found)
        out = []
        for claim_id, found in decided.items():
            kinds = {f.decision if f else "nothing" for f in found}
            if len(kinds) > 1:
                stats.dropped["judgements of one claim disagree"] += len(found)
                continue
            if found[0] is not None:
                stats.posted[found[0].decision] += 1
                out.append((by_id[claim_id][0], found[0]))
        return out

    async def _ask(self, asked: list[fp.Asked], new: Analysis, stats: JudgeStats) -> list[fp.JudgementV1]:
        from bot.analysis import tokens
        from bot.analysis.llm import _Spend, _with_note
        from bot.analysis.llm_client import ModelFailure

        engine = self.engine
        messages = fp.render(asked, new.source.title, self.prompt_id)
        estimate = tokens.count_chat_tokens(messages, engine.model)
        await engine._check_budget(estimate)
        limit = min(await engine._max_output(estimate) or 10**6, 200 + OUTPUT_TOKENS_PER_CLAIM * len(asked))
        note_to = messages
        last = ""
        for attempt in range(1, MALFORMED_TRIES + 1):
            spend = _Spend()
            completion = await engine.client.complete(note_to, limit, response_format=fp.RESPONSE_FORMAT)
            await engine._record(completion, spend, estimate)
            stats.input_tokens += spend.input_tokens
            stats.output_tokens += spend.output_tokens
            try:
                if completion.problem or completion.refusal:
                    raise MalformedAnswer(completion.problem or "the model refused")
                judgements, bad = fp.parse(completion.content)
            except MalformedAnswer as exc:
                last = str(exc)
                log.warning("malformed follow-up judgement (try %d of %d, %s): %s", attempt, MALFORMED_TRIES,
                            completion.json_mode, last)
                note_to = _with_note(messages, f"Your previous answer could not be used: {last}. Answer again "
                                               "with the JSON object only (followup schema v1).")
                continue
            if bad:
                stats.dropped["did not fit the schema"] += bad
                stats.given += bad
            return judgements
        raise ModelFailure(f"its answer was malformed twice ({last})")


def _asked(claims: Sequence[tuple[K, Watched]], new: Analysis) -> list[tuple[K, fp.Asked]]:
    """The claims with at least one candidate sentence, most related first, numbered C1, C2…"""
    scored = [(key, claim, fp.candidates(claim, new)) for key, claim in claims]
    scored = [s for s in scored if s[2]]  # nothing to show: the offline rules would find nothing either
    scored.sort(key=lambda s: -max(c.score for c in s[2]))
    out = []
    for i, (key, claim, cands) in enumerate(scored):
        # ids restart in every request: C1…C12
        out.append((key, fp.Asked(f"C{i % CLAIMS_PER_REQUEST + 1}", claim, cands)))
    return out


def _offline(batch: Sequence[tuple[K, fp.Asked]], new: Analysis) -> list[tuple[K, FollowUp]]:
    return [(key, f) for key, a in batch if (f := follow_up(a.claim, new)) is not None]


def ground(j: fp.JudgementV1, asked: fp.Asked | None, new: Analysis) -> tuple[FollowUp | None, str | None]:
    """The follow-up a judgement holds up to, or (None, why not); "nothing" is the model's no."""
    decision = j.decision.strip().lower()
    if asked is None:
        return None, "claim id not asked about"
    if decision not in fp.DECISIONS:
        return None, "unknown decision"
    if decision == "nothing":
        return None, "nothing"
    sentence = find_sentence(j.sentence, new)
    if sentence is None:
        return None, "sentence not in the new article"
    shown = {c.sentence_id: c for c in asked.candidates}
    if sentence[0] not in shown:
        return None, "sentence not one shown for the claim"
    text = shown[sentence[0]].text
    words = norm_str(j.decisive_words).strip(" \"'.,;:")
    if not words or len(words.split()) > MAX_DECISIVE_WORDS:
        return None, "no decisive words" if not words else "decisive words too long"
    spans = find_exact(normalize(text), words)
    if not spans:
        return None, "decisive words not in the sentence"
    lexicon = cues(text)
    if lexicon and decision not in lexicon:
        return None, "the sentence's cue words say otherwise"
    if decision in lexicon and not set(fold(words).split()) & {w for p in lexicon[decision] for w in p.split()}:
        return None, "decisive words miss the sentence's cue words"  # "Carver" does not decide "Carver confirmed"
    start, end = spans[0]
    return FollowUp(asked.claim, decision, text, (text[start:end],), shown[sentence[0]].score), None


def find_sentence(quoted: str, new: Analysis) -> tuple[int, str] | None:
    """(id, text) of the new article's sentence the model quoted, verbatim or near-verbatim."""
    q = norm_str(quoted).strip(" \"'")
    if q.startswith("[s") and "]" in q[:8]:  # the prompt's "[S4]" numbering copied along
        q = q[q.index("]") + 1:].strip()
    if len(q) < 8:
        return None
    best: tuple[float, int, str] | None = None
    for s in new.sentences:
        text = new.text[s.start:s.end].strip()
        ns = norm_str(text)
        if not ns:
            continue
        score = fuzz.ratio(q, ns)
        if score < SENTENCE_MATCH and len(q) >= FRAGMENT_SHARE * len(ns) and find_exact(normalize(text), q):
            score = SENTENCE_MATCH  # a verbatim part, most of the sentence
        if score >= SENTENCE_MATCH and (best is None or score > best[0]):
            best = (score, s.id, text)
    return (best[1], best[2]) if best else None


async def decide(claims: Sequence[tuple[K, Watched]], new: Analysis, judge: FollowUpJudge | None,
                 stats: JudgeStats | None = None) -> list[tuple[K, FollowUp]]:
    """The follow-ups `new` owes `claims`: the model judges the claims it may see (a judge is configured,
    and the model engine analysed both the new article and the claim's), the offline rules the rest."""
    by_model = judge is not None and new.engine.name == MODEL_ENGINE
    to_model = [(k, c) for k, c in claims if by_model and c.sent_to_model]
    rest = [(k, c) for k, c in claims if not (by_model and c.sent_to_model)]
    out = await asyncio.to_thread(lambda: [(k, f) for k, c in rest if (f := follow_up(c, new)) is not None])
    if to_model and judge is not None:
        out += await judge.decide(to_model, new, stats)
    return out
