"""Fake models for the follow-up judge (prompts/followup.v1.*), answering from the eval pairs' gold.

`perfect` answers every claim the gold decision, quoting a sentence shown under it and its cue words.
`noisy` answers as a careless model does, in turns: the gold with the sentence copied loosely (other
casing and quote marks: near-verbatim, kept), a paraphrased sentence, a claim id that was not asked, decisive
words that are not in the sentence, the opposite decision on the right sentence, and on unrelated pairs
"confirmed" with words not in the sentence, with a word of it that decides nothing, or with its own cue
word "confirmed" (which no grounding can catch: the sentence does confirm something, not the claim).

Run by hand, it measures both against the eval pairs through the real judge, client and fake server:
    python -m tests.fakes.followup_models
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Callable
from itertools import count

from bot.analysis.followup_prompt import DECISIONS
from bot.analysis.grounding_match import norm_str
from bot.memory.followups import cues
from tests.fakes.fake_openai import Reply, answer

_CLAIM = re.compile(r"^\[(C\d+)\] Claim \(flagged \w+ in an earlier article\): (.*)$")
_SENTENCE = re.compile(r"^  \[S(\d+)\] (.*)$")
FLIP = {"confirmed": "disputed", "disputed": "confirmed", "unconfirmed": "confirmed"}


def asked(request: dict) -> list[tuple[str, str, list[str]]]:
    """(claim id, claim text, candidate sentences) from a follow-up judge request."""
    out: list[tuple[str, str, list[str]]] = []
    for line in request["messages"][-1]["content"].splitlines():
        if m := _CLAIM.match(line):
            out.append((m.group(1), m.group(2), []))
        elif (m := _SENTENCE.match(line)) and out:
            out[-1][2].append(m.group(2))
    return out


def cue_in(sentence: str, decision: str) -> str | None:
    """The words of `sentence` (as written there) making the lexicon's `decision` cue, if any."""
    for phrase in cues(sentence).get(decision, []):
        m = re.search(r"\W+".join(map(re.escape, phrase.split())), sentence, re.IGNORECASE)
        if m:
            return m.group(0)
    return None


def gold_judgement(claim_id: str, expect: str, sentences: list[str]) -> dict:
    if expect == "none" or not sentences:
        return {"claim_id": claim_id, "decision": "nothing", "sentence": "", "decisive_words": ""}
    sentence = next((s for s in sentences if cue_in(s, expect)), sentences[0])
    words = cue_in(sentence, expect) or " ".join(sentence.split()[:3])
    return {"claim_id": claim_id, "decision": expect, "sentence": sentence, "decisive_words": words}


def _noise(j: dict, turn: int, sentences: list[str]) -> dict:
    if j["decision"] == "nothing":  # an unrelated pair: the careless model follows it up anyway
        if not sentences:
            return j
        s = sentences[0]
        # words not in the sentence; a word of it that decides nothing; or its own cue (no grounding catches that)
        words = ("officially confirmed", s.split()[0], cue_in(s, "confirmed") or s.split()[0])[turn % 3]
        return {**j, "decision": "confirmed", "sentence": s, "decisive_words": words}
    kind = turn % 5
    if kind == 0:  # near-verbatim: another casing and curly quotes, kept and shown as the article wrote it
        return {**j, "sentence": j["sentence"].lower().replace('"', "\u201c"), "decisive_words": j["decisive_words"]}
    if kind == 1:  # a paraphrase of the sentence
        return {**j, "sentence": "Reports now say that " + " ".join(reversed(j["sentence"].split()))}
    if kind == 2:
        return {**j, "claim_id": "C9"}
    if kind == 3:
        return {**j, "decisive_words": "officially verified by sources"}
    return {**j, "decision": FLIP[j["decision"]], "decisive_words": j["sentence"].split()[0]}


def model(pairs: list[dict], noisy: bool = False) -> Callable[[dict], Reply]:
    """A scripted reply for FakeOpenAI: the judgements for the claims the request asks about."""
    # Pairs share earlier articles: a pair is told by its claim and by the new article's sentences.
    gold = [(norm_str(p["earlier"]), norm_str(p["later"]), p["expect"]) for p in pairs]

    def expected(claim: str, sentences: list[str]) -> str:
        c, s = norm_str(claim), [norm_str(x) for x in sentences]
        return next((want for e, later, want in gold if c in e and all(x in later for x in s)), "none")

    turns = count()

    def reply(request: dict) -> Reply:
        out = []
        for claim_id, claim, sentences in asked(request):
            j = gold_judgement(claim_id, expected(claim, sentences), sentences)
            out.append(_noise(j, next(turns), sentences) if noisy else j)
        assert all(j["decision"] in DECISIONS for j in out)
        return answer({"judgements": out}, usage=None)  # no usage: the judge counts tokens itself, as for real

    return reply


async def _measure() -> None:
    from bot.analysis.llm import LLMEngine
    from bot.config import load_settings
    from bot.eval.followups import load_pairs
    from bot.eval.followups_llm import judge_pairs, report
    from tests.fakes.fake_openai import FakeOpenAI

    pairs = load_pairs()
    for name, noisy in (("perfect", False), ("noisy", True)):
        fake = FakeOpenAI(default=model(pairs, noisy=noisy))
        await fake.start()
        engine = LLMEngine(load_settings({"OPENAI_BASE_URL": fake.base_url, "OPENAI_MODEL": f"fake-{name}"},
                                         dotenv=False))
        try:
            result = await judge_pairs(pairs, engine)
        finally:
            await engine.close()
            await fake.close()
        print(f"== fake model: {name}")
        print("\n".join(report(result, len(pairs))))
        print(json.dumps(dict(result.stats.dropped)))


if __name__ == "__main__":
    asyncio.run(_measure())
