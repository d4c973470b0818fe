"""Two real `newsbot serve` processes on one database, against the fake Slack API and an article server:
each event handled once, each shared link answered once, and a process SIGKILLed mid-analysis leaves its
reply to the survivor (completed, or "I was restarted"), never silence."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import aiohttp

from tests.fakes.article_server import ArticleServer
from tests.fakes.fake_slack import FakeSlack, message_event, signed_headers
from tests.test_slack_serve import _free_port, _wait_up

SECRET = "two-process-secret"
LEASE = "1.5"


@dataclass
class Bot:
    proc: asyncio.subprocess.Process
    base: str

    async def post_event(self, session: aiohttp.ClientSession, payload: dict) -> int:
        body = json.dumps(payload)
        async with session.post(self.base + "/slack/events", data=body, headers=signed_headers(SECRET, body)) as r:
            return r.status


@asynccontextmanager
async def two_bots(db: str, tmp_path, fake: FakeSlack, articles: ArticleServer) -> AsyncIterator[list[Bot]]:
    bots: list[Bot] = []
    for _ in range(2):
        port = _free_port()
        env = {
            **os.environ, "SLACK_BOT_TOKEN": "xoxb-two", "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": fake.api_url, "PORT": str(port), "NEWSBOT_ENGINE": "offline",
            "NEWSBOT_FETCH_ALLOW_HOSTS": "127.0.0.1", "NEWSBOT_DB": db, "NEWSBOT_LEASE_SECONDS": LEASE,
        }
        env.pop("SLACK_APP_TOKEN", None)
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "serve", env=env, cwd=tmp_path,
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE)
        bots.append(Bot(proc, f"http://127.0.0.1:{port}"))
    try:
        await asyncio.gather(*(_wait_up(b.base + "/healthz", b.proc, timeout=30) for b in bots))
        yield bots
    finally:
        for b in bots:
            if b.proc.returncode is None:
                b.proc.terminate()
        errs = [(await asyncio.wait_for(b.proc.communicate(), timeout=15))[1] for b in bots]
        for err in errs:
            assert b"Traceback" not in err, err.decode()


def _text(call) -> str:
    return json.dumps(call.args.get("blocks") or call.args.get("text"))


async def test_two_processes_handle_each_event_and_each_link_once(db, tmp_path):
    fake = await FakeSlack().start()
    articles = await ArticleServer(slow_seconds=1.0).start()
    slow, water = articles.url("/slow"), articles.url("/news/water")
    try:
        async with two_bots(db, tmp_path, fake, articles) as bots, aiohttp.ClientSession() as session:
            # One signed event delivered to both processes (Slack retrying into another instance).
            same = message_event(f"<{water}>", channel="C1", ts="1700000001.000001")
            statuses = await asyncio.gather(*(b.post_event(session, same) for b in bots))
            # The same slow link shared in four channels, two through each process: one fetch, four answers.
            shares = [message_event(f"<{slow}>", channel=f"C{10 + i}", ts=f"170000001{i}.000001") for i in range(4)]
            statuses += await asyncio.gather(*(bots[i % 2].post_event(session, e) for i, e in enumerate(shares)))
            assert statuses == [200] * 6
            await fake.wait_for(lambda f: len(f.of("chat.update")) >= 5, timeout=30)
            await asyncio.sleep(0.5)  # anything doubled would arrive now
    finally:
        await articles.stop()
        await fake.stop()
    placeholders = fake.of("chat.postMessage")
    assert sorted(c.args["channel"] for c in placeholders) == ["C1", "C10", "C11", "C12", "C13"]
    updates = fake.of("chat.update")
    assert len(updates) == 5 and len({(c.args["channel"], c.args["ts"]) for c in updates}) == 5
    assert all("Harbor city" in _text(c) for c in updates)
    assert articles.hits["/news/water"] == 1 and articles.hits["/slow"] == 1


async def test_a_process_killed_mid_analysis_leaves_its_reply_to_the_survivor(pg_db, tmp_path):
    fake = await FakeSlack().start()
    articles = await ArticleServer(slow_seconds=3.0).start()
    try:
        async with two_bots(pg_db, tmp_path, fake, articles) as (doomed, survivor), aiohttp.ClientSession() as session:
            event = message_event(f"<{articles.url('/slow')}>", channel="CK", ts="1700000100.000001")
            assert await doomed.post_event(session, event) == 200
            await fake.wait_for(lambda f: f.of("chat.postMessage"), timeout=10)
            while not articles.hits["/slow"]:  # mid-analysis: the placeholder is up, the fetch under way
                await asyncio.sleep(0.05)
            doomed.proc.send_signal(signal.SIGKILL)
            await doomed.proc.wait()
            await fake.wait_for(lambda f: f.of("chat.update"), timeout=30)
            await asyncio.sleep(0.5)
    finally:
        await articles.stop()
        await fake.stop()
    (placeholder,) = fake.of("chat.postMessage")
    (answer,) = fake.of("chat.update")  # the placeholder edited once, by the survivor
    assert placeholder.args["channel"] == answer.args["channel"] == "CK"
    text = _text(answer)
    assert "Harbor city" in text or "I was restarted" in text
