"""Follow-ups on unconfirmed claims through the fake Slack Web API: a later article that confirms (or
disputes) a claim an earlier one flagged gets one reply in the earlier article's thread; none for an
unrelated article naming the same people, none twice, none across the privacy line."""

from __future__ import annotations

import asyncio
import json

import pytest

from tests.fakes import followup_models
from tests.fakes.fake_openai import Reply, answer, error
from tests.fakes.fake_slack import message_event
from tests.fakes.slack_bot import running_bot
from tests.test_slack_digest import share

EARLIER = """Carver Motors may shut Dayton plant

Carver Motors will reportedly close its Dayton assembly plant by the end of the year. About 1,200 people
work at the site.
"""
CONFIRMS = """Carver Motors to close Dayton plant in December

Carver Motors confirmed it will close the Dayton assembly plant in December. The company said the 1,200
workers would be offered jobs elsewhere.
"""
DISPUTES = """Carver Motors says Dayton plant stays open

Carver Motors denied that it will close its Dayton assembly plant, calling the reports false. Production
continues as planned, the company said.
"""
UNRELATED = """Carver Motors sets date for electric pickup

Carver Motors confirmed the launch date of its first electric pickup truck on Wednesday. Deliveries start
in spring.
"""


@pytest.fixture
async def bot(tmp_path):
    async with running_bot(tmp_path) as harness:
        yield harness


def updates(bot) -> list:
    return [c for c in bot.fake.of("chat.postMessage") if "Update from" in c.args.get("text", "")]


async def settle() -> None:
    """The follow-up step runs right after the answer is edited in; give it a moment."""
    await asyncio.sleep(0.3)


async def test_a_confirming_article_updates_the_earlier_thread_once(bot):
    await share(bot, bot.articles.add("rumour", EARLIER), "C1", ts="1700000100.000100")
    new = bot.articles.add("confirmed", CONFIRMS)
    await share(bot, new, "C2", ts="1700000200.000200")
    await bot.fake.wait_for(lambda f: updates(bot))
    [update] = updates(bot)
    assert update.args["channel"] == "C1" and update.args["thread_ts"] == "1700000100.000100"
    shown = json.dumps(update.args["blocks"], ensure_ascii=False)
    assert "Carver Motors to close Dayton plant in December" in shown and new in shown
    assert "confirmed it will close the Dayton assembly plant" in shown and "“confirmed”" in shown
    assert "https://fake.slack.com/archives/C2/p1700000200000200" in shown  # where it was shared
    # The same article shared again (here, or elsewhere) follows the claim up no more.
    await share(bot, new, "C3", ts="1700000300.000300")
    await share(bot, new, "C2", ts="1700000400.000400")
    await settle()
    assert len(updates(bot)) == 1


async def test_a_disputing_article_says_so(bot):
    await share(bot, bot.articles.add("rumour", EARLIER), "C1")
    await share(bot, bot.articles.add("denied", DISPUTES), "C1")
    await bot.fake.wait_for(lambda f: updates(bot))
    [update] = updates(bot)
    shown = json.dumps(update.args["blocks"], ensure_ascii=False)
    assert "disputes the claim" in shown and "“denied”" in shown


async def test_an_unrelated_article_naming_the_same_company_gets_none(bot):
    await share(bot, bot.articles.add("rumour", EARLIER), "C1")
    await share(bot, bot.articles.add("pickup", UNRELATED), "C1")
    await settle()
    assert updates(bot) == []


@pytest.mark.parametrize(("first", "then", "expected"), [
    (("C1", "channel"), ("G1", "group"), 0),  # a private channel's article says nothing in a public thread
    (("G1", "group"), ("C1", "channel"), 0),  # a public article says nothing in a private one's thread
    (("G1", "group"), ("G2", "group"), 0),  # nor one private channel in another's
    (("D1", "im"), ("D1", "im"), 1),  # within one conversation it does
])
async def test_the_privacy_line(bot, first, then, expected):
    await share(bot, bot.articles.add("rumour", EARLIER), first[0], channel_type=first[1])
    await share(bot, bot.articles.add("confirmed", CONFIRMS), then[0], channel_type=then[1])
    await settle()
    assert len(updates(bot)) == expected


async def test_never_across_teams(bot):
    event = message_event(f"<{bot.articles.add('rumour', EARLIER)}>", channel="C1")
    event["team_id"] = "T0OTHER"
    await bot.event(event)
    await bot.fake.wait_for(lambda f: f.of("chat.update"))
    await share(bot, bot.articles.add("confirmed", CONFIRMS), "C2")
    await settle()
    assert updates(bot) == []


async def test_without_a_permalink_the_update_still_goes_and_the_answer_is_untouched(bot):
    bot.fake.fail["chat.getPermalink"] = "channel_not_found"
    await share(bot, bot.articles.add("rumour", EARLIER), "C1", ts="1700000100.000100")
    await share(bot, bot.articles.add("confirmed", CONFIRMS), "C2")
    await bot.fake.wait_for(lambda f: updates(bot))
    [update] = updates(bot)
    assert "where it was shared" not in json.dumps(update.args["blocks"]) and update.args["channel"] == "C1"
    assert all("Carver" in json.dumps(c.args.get("blocks", [])) for c in bot.fake.of("chat.update"))


async def test_follow_ups_off(tmp_path):
    async with running_bot(tmp_path, NEWSBOT_FOLLOWUP_DAYS="0") as bot:
        await share(bot, bot.articles.add("rumour", EARLIER), "C1")
        await share(bot, bot.articles.add("confirmed", CONFIRMS), "C1")
        await settle()
        assert updates(bot) == []


# With the LLM engine: the model judges the pair, grounded in the new article (bot/analysis/followup_judge.py).
KESSEL = """Kessel harbour sale

The Kessel city council is said to be planning to sell the old harbour warehouses to a hotel chain.
"""
# Offline, "confirmed" decides this pair (eval pair h02); the council confirmed something else.
KESSEL_ROOF = """Kessel warehouses need repairs

The Kessel city council confirmed that the old harbour warehouses need a new roof. Repairs will cost about
2 million euros.
"""
EMPTY_ANALYSIS = {"kind": "news", "summary": [], "claims": [], "quotes": [], "flags": []}


def judging_model(request: dict) -> Reply:
    """Analyses with nothing of the model's own (the offline engine's items stand in); follow-ups judged
    confirmed where a shown sentence says the plant will close, "nothing" elsewhere."""
    if "follow-up checker" not in request["messages"][0]["content"]:
        return answer(EMPTY_ANALYSIS)
    out = []
    for claim_id, _, sentences in followup_models.asked(request):
        hit = next((s for s in sentences if "confirmed it will close" in s), None)
        out.append({"claim_id": claim_id, "decision": "confirmed" if hit else "nothing",
                    "sentence": hit.lower() if hit else "", "decisive_words": "confirmed it will close" if hit else ""})
    return answer({"judgements": out})


def judge_requests(fake) -> list[dict]:
    return [r for r in fake.requests if "follow-up checker" in r["messages"][0]["content"]]


async def test_with_the_llm_engine_the_model_judges_the_pair(tmp_path, fake):
    fake.default = judging_model
    async with running_bot(tmp_path, OPENAI_BASE_URL=fake.base_url, NEWSBOT_ENGINE="openai") as bot:
        await share(bot, bot.articles.add("rumour", EARLIER), "C1", ts="1700000100.000100")
        await share(bot, bot.articles.add("confirmed", CONFIRMS), "C2")
        await bot.fake.wait_for(lambda f: updates(bot))
        await settle()
        [update] = updates(bot)
        assert update.args["channel"] == "C1" and update.args["thread_ts"] == "1700000100.000100"
        shown = json.dumps(update.args["blocks"], ensure_ascii=False)
        # the model's lower-cased copy shown as the article wrote it, decided by the model's words
        assert "Carver Motors confirmed it will close the Dayton assembly plant in December." in shown
        assert "“confirmed it will close”" in shown
        [asked] = judge_requests(fake)
        assert "offered jobs elsewhere" not in asked["messages"][1]["content"]  # candidates only

        # Names the same council, and the rules alone would post; the model says it is about something else.
        await share(bot, bot.articles.add("sale", KESSEL), "C1")
        await share(bot, bot.articles.add("roof", KESSEL_ROOF), "C1")
        await settle()
        assert len(judge_requests(fake)) == 2 and len(updates(bot)) == 1


async def test_offline_the_rules_alone_follow_up_the_council_pair(bot):
    # the pair the model says "nothing" to above: without a model, its cue word decides
    await share(bot, bot.articles.add("sale", KESSEL), "C1")
    await share(bot, bot.articles.add("roof", KESSEL_ROOF), "C1")
    await bot.fake.wait_for(lambda f: updates(bot))
    assert len(updates(bot)) == 1


async def test_with_the_model_failing_the_rules_decide(tmp_path, fake):
    def failing_judge(request: dict) -> Reply:
        if "follow-up checker" in request["messages"][0]["content"]:
            return error(500, "the judge is down")
        return answer(EMPTY_ANALYSIS)

    fake.default = failing_judge
    env = {"OPENAI_BASE_URL": fake.base_url, "NEWSBOT_ENGINE": "openai", "OPENAI_MAX_RETRIES": "1"}
    async with running_bot(tmp_path, **env) as bot:
        await share(bot, bot.articles.add("rumour", EARLIER), "C1")
        await share(bot, bot.articles.add("confirmed", CONFIRMS), "C2")
        await bot.fake.wait_for(lambda f: updates(bot))
        [update] = updates(bot)
        assert "“confirmed”" in json.dumps(update.args["blocks"], ensure_ascii=False)  # the lexicon's cue
        assert len(judge_requests(fake)) == 2  # asked, and retried once
