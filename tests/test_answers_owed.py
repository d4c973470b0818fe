"""Answers owed through a response_url (slash commands, the Share button), on both store backends: a process
that dies before answering leaves its answer to a survivor, which answers it through the same response_url
(or apologises once a survivor already tried); an answer sent leaves nothing owed; one apologised for at
shutdown is not answered again after the restart; on PostgreSQL a process told to stop hands its answers to
the others."""

from __future__ import annotations

import asyncio
import json
import time

from sqlalchemy import update

from bot.slack.app import RUNTIME
from bot.store import Store
from bot.store.tables import responses_owed
from tests.fakes.article_server import ArticleServer
from tests.fakes.fake_slack import FakeSlack
from tests.fakes.slack_bot import running_bot


async def _orphan(db: str, response_url: str, url: str, *, kind: str = "command", view: str = "claims",
                  attempts: int = 1, age: float = 0.0, url2: str | None = None) -> None:
    """An answer owed by a process that is gone: its row, past its expiry."""
    dead = await Store.open(db)
    try:
        await dead.owe_response(id=f"dead-{kind}-{attempts}", response_url=response_url, kind=kind, url=url,
                                view=view, url2=url2, channel="CD", user="U0000009")
        await dead.write(lambda conn: conn.execute(update(responses_owed).values(
            expires=0, attempts=attempts, created=time.time() - age)))
    finally:
        await dead.close()


async def _all(conn) -> list:  # noqa: ANN001 - an AsyncConnection
    return list(await conn.execute(responses_owed.select()))


async def test_only_one_process_takes_over_an_answer_and_settling_clears_it(db):
    await _orphan(db, "https://hooks.slack.com/commands/T1/1/x", "https://example.com/a")
    a, b = await Store.open(db), await Store.open(db)
    try:
        won_a, won_b = await asyncio.gather(a.take_over_responses(), b.take_over_responses())
        assert len(won_a) + len(won_b) == 1
        (owed,) = won_a or won_b
        assert (owed.kind, owed.view, owed.url, owed.channel, owed.attempts) == (
            "command", "claims", "https://example.com/a", "CD", 2)
        winner = a if won_a else b
        assert await a.response_owner(owed.id) == winner.holder
        await winner.settle_response(owed.id)
        assert await a.response_owner(owed.id) is None
        assert await a.take_over_responses() == [] and await b.take_over_responses() == []
    finally:
        await a.close()
        await b.close()


async def test_an_answer_older_than_slacks_thirty_minutes_is_dropped(db):
    await _orphan(db, "https://hooks.slack.com/commands/T1/1/x", "https://example.com/a", age=31 * 60)
    store = await Store.open(db)
    try:
        assert await store.take_over_responses() == []
        assert await store.read(_all) == []
    finally:
        await store.close()


async def test_a_dead_process_slash_command_is_answered_through_its_response_url(db, tmp_path):
    async with running_bot(tmp_path, NEWSBOT_DB=db, NEWSBOT_LEASE_SECONDS="0.5") as bot:
        await _orphan(db, bot.fake.response_url("orphan"), bot.articles.url("/news/water"))
        await bot.fake.wait_for(lambda f: f.of("response_url"), timeout=10)
        (answer,) = bot.fake.of("response_url")
        assert answer.path.endswith("/orphan") and answer.args["response_type"] == "ephemeral"
        assert "Harbor city" in json.dumps(answer.args)
        await asyncio.sleep(0.2)
        assert await bot.web_app[RUNTIME].store.read(_all) == []


async def test_a_dead_process_compare_is_answered_too(db, tmp_path):
    async with running_bot(tmp_path, NEWSBOT_DB=db, NEWSBOT_LEASE_SECONDS="0.5") as bot:
        await _orphan(db, bot.fake.response_url("cmp"), bot.articles.url("/news/water"), kind="compare", view="",
                      url2=bot.articles.url("/news/water?copy=2"))
        await bot.fake.wait_for(lambda f: f.of("response_url"), timeout=10)
        (answer,) = bot.fake.of("response_url")
        assert answer.path.endswith("/cmp") and "restarted" not in json.dumps(answer.args)


async def test_an_answer_a_survivor_already_tried_gets_an_apology(db, tmp_path):
    async with running_bot(tmp_path, NEWSBOT_DB=db, NEWSBOT_LEASE_SECONDS="0.5") as bot:
        await _orphan(db, bot.fake.response_url("tried"), bot.articles.url("/news/water"), attempts=2)
        await bot.fake.wait_for(lambda f: f.of("response_url"), timeout=10)
        (answer,) = bot.fake.of("response_url")
        assert "restarted" in answer.args["text"] and "run the command" in answer.args["text"]
        assert bot.articles.hits["/news/water"] == 0


async def test_an_answered_command_owes_nothing(db, tmp_path):
    async with running_bot(tmp_path, NEWSBOT_DB=db, NEWSBOT_LEASE_SECONDS="0.5") as bot:
        await bot.command("/claims", bot.articles.url("/news/water"), name="now")
        await bot.fake.wait_for(lambda f: f.of("response_url"))
        await asyncio.sleep(0.2)
        assert await bot.web_app[RUNTIME].store.read(_all) == []
        assert len(bot.fake.of("response_url")) == 1


async def test_an_answer_apologised_for_at_shutdown_is_not_answered_again_after_the_restart(tmp_path):
    fake = await FakeSlack().start()
    articles = await ArticleServer(slow_seconds=30).start()
    env = {"NEWSBOT_LEASE_SECONDS": "0.5", "NEWSBOT_FETCH_TIMEOUT": "60"}
    try:
        async with running_bot(tmp_path, fake=fake, articles=articles, keep_fakes=True, **env) as bot:
            await bot.command("/claims", articles.url("/slow"), name="owed")
            while not articles.hits["/slow"]:
                await asyncio.sleep(0.02)
        [apology] = fake.of("response_url")
        assert "restarted" in apology.args["text"]
        articles.slow_seconds = 0
        async with running_bot(tmp_path, fake=fake, articles=articles, keep_fakes=True, **env):
            await asyncio.sleep(1.5)  # three recovery rounds
        assert len(fake.of("response_url")) == 1
    finally:
        await articles.stop()
        await fake.stop()


async def test_a_process_stopping_on_postgresql_hands_its_answers_to_the_others(pg_db, tmp_path):
    """A rolling deploy: /claims acked by the process told to stop is answered by the one that stays,
    with the analysis, not with an apology."""
    fake = await FakeSlack().start()
    articles = await ArticleServer(slow_seconds=30).start()
    env = {"NEWSBOT_DB": pg_db, "NEWSBOT_LEASE_SECONDS": "0.5", "NEWSBOT_FETCH_TIMEOUT": "60"}
    try:
        async with running_bot(tmp_path / "stays", fake=fake, articles=articles, keep_fakes=True, **env):
            async with running_bot(tmp_path / "stops", fake=fake, articles=articles, keep_fakes=True, **env) as a:
                await a.command("/claims", articles.url("/slow"), name="handed")
                while not articles.hits["/slow"]:
                    await asyncio.sleep(0.02)
            articles.slow_seconds = 0
            await fake.wait_for(lambda f: f.of("response_url"), timeout=10)
            await asyncio.sleep(0.3)
        (answer,) = fake.of("response_url")
        assert answer.path.endswith("/handed") and "restarted" not in json.dumps(answer.args)
    finally:
        await articles.stop()
        await fake.stop()


async def test_an_answer_taken_over_by_another_process_is_left_to_it(db, tmp_path):
    """This process looked dead for a while and another took its answer over: only the other one answers."""
    articles = await ArticleServer(slow_seconds=0.5).start()
    async with running_bot(tmp_path, articles=articles, NEWSBOT_DB=db) as bot:
        await bot.command("/claims", articles.url("/slow"), name="taken")
        other = await Store.open(db)
        try:
            await other.write(lambda conn: conn.execute(update(responses_owed)
                                                        .values(owner=other.holder, expires=1e12)))
            await bot.web_app[RUNTIME].queue.join()  # the analysis is done, and its answer skipped
            assert bot.fake.of("response_url") == []
        finally:
            await other.close()


async def test_a_row_with_a_view_this_version_does_not_know_is_answered_with_the_whole_analysis(db, tmp_path):
    async with running_bot(tmp_path, NEWSBOT_DB=db, NEWSBOT_LEASE_SECONDS="0.5") as bot:
        await _orphan(db, bot.fake.response_url("old"), bot.articles.url("/news/water"), view="retired-view")
        await bot.fake.wait_for(lambda f: f.of("response_url"), timeout=10)
        (answer,) = bot.fake.of("response_url")
        assert "Harbor city" in json.dumps(answer.args) and "wrong on my side" not in json.dumps(answer.args)
