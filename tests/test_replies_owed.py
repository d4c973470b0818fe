"""Replies owed: a placeholder left by a process that died is finished by the next one to look (on both
store backends), with the analysis, or with "I was restarted" once a survivor already tried; a finished
reply leaves nothing owed behind."""

from __future__ import annotations

import asyncio
import json

from sqlalchemy import update

from bot.slack.app import RUNTIME
from bot.store import Store
from bot.store.tables import replies_owed
from tests.fakes.article_server import ArticleServer
from tests.fakes.fake_slack import FakeSlack, message_event
from tests.fakes.slack_bot import running_bot


async def _orphan(db: str, url: str, *, ts: str, attempts: int = 1) -> None:
    """A reply owed by a process that is gone: its row, past its expiry."""
    dead = await Store.open(db)
    try:
        await dead.owe_reply(channel="CD", ts=ts, thread_ts="1.0", url=url)
        # It dies: its heartbeat stops, and the row is past its expiry (after `attempts` owners).
        await dead.write(lambda conn: conn.execute(
            update(replies_owed).where(replies_owed.c.ts == ts).values(expires=0, attempts=attempts)))
    finally:
        await dead.close()


async def test_a_dead_process_reply_is_completed(db, tmp_path):
    async with running_bot(tmp_path, NEWSBOT_DB=db, NEWSBOT_LEASE_SECONDS="0.5") as bot:
        await _orphan(db, bot.articles.url("/news/water"), ts="5.1")
        await bot.fake.wait_for(lambda f: f.of("chat.update"), timeout=10)
        (update,) = bot.updates()
        assert (update.args["channel"], update.args["ts"]) == ("CD", "5.1")
        assert "Harbor city" in json.dumps(update.args["blocks"])


async def test_a_reply_a_survivor_already_tried_is_answered_with_an_apology(db, tmp_path):
    async with running_bot(tmp_path, NEWSBOT_DB=db, NEWSBOT_LEASE_SECONDS="0.5") as bot:
        await _orphan(db, bot.articles.url("/news/water"), ts="5.2", attempts=2)
        await bot.fake.wait_for(lambda f: f.of("chat.update"), timeout=10)
        (update,) = bot.updates()
        assert update.args["ts"] == "5.2" and "I was restarted" in json.dumps(update.args)
        assert bot.articles.hits["/news/water"] == 0


async def test_an_answered_link_owes_nothing(db, tmp_path):
    async with running_bot(tmp_path, NEWSBOT_DB=db, NEWSBOT_LEASE_SECONDS="0.5") as bot:
        await bot.event(message_event(f"<{bot.articles.url('/news/water')}>"))
        await bot.fake.wait_for(lambda f: f.of("chat.update"))
        other = await Store.open(db, lease_seconds=0.5)
        try:
            await asyncio.sleep(0.7)
            assert await other.take_over_replies() == []
        finally:
            await other.close()
        assert len(bot.updates()) == 1


async def test_a_process_stopping_on_postgresql_hands_its_replies_to_the_others(pg_db, tmp_path):
    """A rolling deploy on PostgreSQL: the process told to stop (SIGTERM) mid-analysis does not apologise;
    the process that stays finishes the reply."""
    fake = await FakeSlack().start()
    articles = await ArticleServer(slow_seconds=30).start()
    env = {"NEWSBOT_DB": pg_db, "NEWSBOT_LEASE_SECONDS": "0.5", "NEWSBOT_FETCH_TIMEOUT": "60"}
    try:
        async with running_bot(tmp_path / "stays", fake=fake, articles=articles, keep_fakes=True, **env):
            async with running_bot(tmp_path / "stops", fake=fake, articles=articles, keep_fakes=True, **env) as a:
                await a.event(message_event(f"<{articles.url('/slow')}>", channel="CR"))
                await fake.wait_for(lambda f: f.of("chat.postMessage"))
                while not articles.hits["/slow"]:
                    await asyncio.sleep(0.02)
            articles.slow_seconds = 0  # the other process's fetch answers at once
            await fake.wait_for(lambda f: f.of("chat.update"), timeout=10)
            await asyncio.sleep(0.3)
    finally:
        await articles.stop()
        await fake.stop()
    (update,) = fake.of("chat.update")
    assert update.args["channel"] == "CR" and "Harbor city" in json.dumps(update.args["blocks"])


async def test_a_reply_taken_over_by_another_process_is_left_to_it(db, tmp_path):
    """This process looked dead for a while and another took its reply over: only the other one edits it."""
    articles = await ArticleServer(slow_seconds=0.5).start()
    async with running_bot(tmp_path, articles=articles, NEWSBOT_DB=db) as bot:
        await bot.event(message_event(f"<{articles.url('/slow')}>", channel="CT"))
        await bot.fake.wait_for(lambda f: f.of("chat.postMessage"))
        other = await Store.open(db)
        try:
            await other.write(lambda conn: conn.execute(update(replies_owed).where(replies_owed.c.channel == "CT")
                                                        .values(owner=other.holder, expires=1e12)))
            await bot.web_app[RUNTIME].queue.join()  # the analysis is done, and its edit skipped
            assert bot.updates() == []
        finally:
            await other.close()


async def test_a_dead_process_shortcut_reply_is_answered_with_how_to_try_again(db, tmp_path):
    """The pasted text or file of a message shortcut is not kept, so a survivor cannot read it again: it
    edits the placeholder into a sentence saying to use the shortcut again, never leaves "Reading…"."""
    from bot.slack.recovery import shortcut_marker

    async with running_bot(tmp_path, NEWSBOT_DB=db, NEWSBOT_LEASE_SECONDS="0.5") as bot:
        await _orphan(db, shortcut_marker("report.pdf"), ts="5.4")
        await bot.fake.wait_for(lambda f: f.of("chat.update"), timeout=10)
        (update,) = bot.updates()
        assert update.args["ts"] == "5.4"
        assert "Analyze with newsbot" in update.args["text"] and "report.pdf" in json.dumps(update.args)
        assert not any(bot.articles.hits.values())


async def test_a_shortcut_reply_is_owed_until_answered(db, tmp_path):
    from tests.test_slack_shortcut import ARTICLE

    async with running_bot(tmp_path, NEWSBOT_DB=db, NEWSBOT_LEASE_SECONDS="0.5") as bot:
        rt = bot.web_app[RUNTIME]
        owed: list[str] = []
        real = rt.store.owe_reply

        async def spy(**kwargs: str) -> None:
            owed.append(kwargs["url"])
            await real(**kwargs)

        rt.store.owe_reply = spy
        await bot.shortcut({"ts": "1700000100.000100", "user": "U0000002", "text": ARTICLE})
        await bot.fake.wait_for(lambda f: f.of("chat.update"))
        assert owed == ["newsbot-shortcut:the pasted text"]
        other = await Store.open(db, lease_seconds=0.5)
        try:
            await asyncio.sleep(0.7)
            assert await other.take_over_replies() == []  # answered: settled, nothing left owed
        finally:
            await other.close()
