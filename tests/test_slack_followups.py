"""Follow-ups on unconfirmed claims through the fake Slack Web API: a later article that confirms (or
disputes) a claim an earlier one flagged gets one reply in the earlier article's thread; none for an
unrelated article naming the same people, none twice, none across the privacy line."""

from __future__ import annotations

import asyncio
import json
import sqlite3

import pytest
from slack_sdk.http_retry.builtin_interval_calculators import FixedValueRetryIntervalCalculator

from bot.slack import followup_posts, runtime
from bot.slack.app import RUNTIME
from bot.store import Store
from tests.fakes import followup_models
from tests.fakes.article_server import ArticleServer
from tests.fakes.fake_openai import Reply, answer, error
from tests.fakes.fake_slack import FakeSlack, message_event
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


# --- the watch list, retries and syndicated copies ------------------------------------------------------


async def rows(bot) -> list[dict]:
    return await bot.web_app[RUNTIME].store.followup_rows()


@pytest.fixture
def quick_retries(monkeypatch):
    """The sdk's own retries of a 5xx, and the follow-up's later tries, in milliseconds, not minutes."""
    monkeypatch.setattr(runtime, "SERVER_ERROR_BACKOFF", FixedValueRetryIntervalCalculator(0.01))
    monkeypatch.setattr(followup_posts, "RETRY_SECONDS", 0.2)


async def test_matching_reads_the_watch_list_never_whole_analyses(bot, monkeypatch):
    read: list[list[str]] = []
    original = Store.analyses_for_urls

    async def counting(self, urls, engine_id=None):
        read.append(list(urls))
        return await original(self, urls, engine_id)

    monkeypatch.setattr(Store, "analyses_for_urls", counting)
    await share(bot, bot.articles.add("rumour", EARLIER), "C1")
    await share(bot, bot.articles.add("confirmed", CONFIRMS), "C2")
    await bot.fake.wait_for(lambda f: updates(bot))
    assert [urls for urls in read if urls] == []


async def test_a_follow_up_slack_could_not_take_is_posted_once_when_it_is_back(tmp_path, quick_retries):
    async with running_bot(tmp_path, NEWSBOT_LEASE_SECONDS="0.5") as bot:
        await share(bot, bot.articles.add("rumour", EARLIER), "C1", ts="1700000100.000100")
        bot.fake.http_fail_in["C1"] = [500] * 7  # the first try and all six of the sdk's retries
        await share(bot, bot.articles.add("confirmed", CONFIRMS), "C2")
        await bot.fake.wait_for(lambda f: updates(bot))
        await asyncio.sleep(1.0)  # more recovery rounds: it must not be posted again
        [update] = updates(bot)
        assert update.args["channel"] == "C1" and update.args["thread_ts"] == "1700000100.000100"
        assert len(bot.fake.of("chat.postMessage:500")) == 7
        [row] = await rows(bot)
        assert (row["status"], row["attempts"]) == ("posted", 2) and row["ts"]


async def test_a_follow_up_slack_refuses_is_not_tried_again(tmp_path, quick_retries):
    async with running_bot(tmp_path, NEWSBOT_LEASE_SECONDS="0.5") as bot:
        await share(bot, bot.articles.add("rumour", EARLIER), "C1")
        bot.fake.not_in["C1"] = "channel_not_found"  # the bot was removed from the channel since
        await share(bot, bot.articles.add("confirmed", CONFIRMS), "C2")
        await bot.fake.wait_for(lambda f: updates(bot))
        await asyncio.sleep(1.0)
        assert len(updates(bot)) == 1
        [row] = await rows(bot)
        assert (row["status"], row["error"], row["attempts"]) == ("failed", "channel_not_found", 1)


async def test_syndicated_copies_make_one_update(bot):
    # The rumour at two addresses (one wire story), both shared in one thread; the confirmation at two too.
    first, copy = bot.articles.add("rumour", EARLIER), bot.articles.add("rumour-copy", EARLIER)
    await share(bot, first, "C1", ts="1700000100.000100")
    await share(bot, copy, "C1", ts="1700000100.000100")
    await share(bot, bot.articles.add("confirmed", CONFIRMS), "C2")
    await bot.fake.wait_for(lambda f: updates(bot))
    await share(bot, bot.articles.add("confirmed-copy", CONFIRMS), "C2")
    await settle()
    [update] = updates(bot)
    assert update.args["channel"] == "C1" and update.args["thread_ts"] == "1700000100.000100"


def watched_analyses(db: str) -> int:
    con = sqlite3.connect(db)
    try:
        return con.execute("SELECT count(*) FROM claims_watched").fetchone()[0]
    finally:
        con.close()


async def test_a_database_from_before_the_watch_list_keeps_its_follow_ups(tmp_path):
    fake, articles = await FakeSlack().start(), await ArticleServer().start()
    db = str(tmp_path / "newsbot.sqlite")
    try:
        async with running_bot(tmp_path, fake=fake, articles=articles, keep_fakes=True) as bot:
            await share(bot, articles.add("rumour", EARLIER), "C1")
        con = sqlite3.connect(db)  # as if stored before the watch list existed
        con.execute("DELETE FROM claims_watch")
        con.execute("DELETE FROM claims_watched")
        con.commit()
        con.close()
        async with running_bot(tmp_path, fake=fake, articles=articles, keep_fakes=True) as bot:
            await bot.fake.wait_for(lambda f: watched_analyses(db) == 1)  # start-up's catch-up
            await share(bot, articles.add("confirmed", CONFIRMS), "C2")
            await bot.fake.wait_for(lambda f: updates(bot))
            assert len(updates(bot)) == 1
    finally:
        await articles.stop()
        await fake.stop()


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
