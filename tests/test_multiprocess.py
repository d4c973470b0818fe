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
LEASE = "1"


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


async def test_two_processes_on_one_database(db, tmp_path):
    """Both scenarios on one pair of processes (starting two processes is the slow part)."""
    fake = await FakeSlack().start()
    articles = await ArticleServer(slow_seconds=1.0).start()
    slow, water = articles.url("/slow"), articles.url("/news/water")
    try:
        async with two_bots(db, tmp_path, fake, articles) as bots, aiohttp.ClientSession() as session:
            # 1. One signed event delivered to both processes (Slack retrying into another instance), and
            # the same slow link shared in four channels, two through each process: one fetch each, five
            # placeholders, five answers.
            same = message_event(f"<{water}>", channel="C1", ts="1700000001.000001")
            statuses = await asyncio.gather(*(b.post_event(session, same) for b in bots))
            shares = [message_event(f"<{slow}>", channel=f"C{10 + i}", ts=f"170000001{i}.000001") for i in range(4)]
            statuses += await asyncio.gather(*(bots[i % 2].post_event(session, e) for i, e in enumerate(shares)))
            assert statuses == [200] * 6
            await fake.wait_for(lambda f: len(f.of("chat.update")) >= 5, timeout=30)
            await asyncio.sleep(0.5)  # anything doubled would arrive now
            placeholders, updates = fake.of("chat.postMessage"), fake.of("chat.update")
            assert sorted(c.args["channel"] for c in placeholders) == ["C1", "C10", "C11", "C12", "C13"]
            assert len(updates) == 5 and len({(c.args["channel"], c.args["ts"]) for c in updates}) == 5
            assert all("Harbor city" in _text(c) for c in updates)
            assert articles.hits["/news/water"] == 1 and articles.hits["/slow"] == 1

            # 2. A process SIGKILLed mid-analysis: the survivor finishes its reply.
            doomed, _survivor = bots
            articles.slow_seconds = 5.0
            fake.calls.clear()
            event = message_event(f"<{slow}?v=2>", channel="CK", ts="1700000100.000001")
            assert await doomed.post_event(session, event) == 200
            await fake.wait_for(lambda f: f.of("chat.postMessage"), timeout=10)
            while articles.hits["/slow"] < 2:  # mid-analysis: the placeholder is up, the fetch under way
                await asyncio.sleep(0.05)
            doomed.proc.send_signal(signal.SIGKILL)
            await doomed.proc.wait()
            articles.slow_seconds = 0  # the survivor's fetch need not be slow too
            await fake.wait_for(lambda f: f.of("chat.update"), timeout=30)
            await asyncio.sleep(0.5)
            (placeholder,) = fake.of("chat.postMessage")
            (answer,) = fake.of("chat.update")  # the placeholder edited once, by the survivor
            assert placeholder.args["channel"] == answer.args["channel"] == "CK"
            text = _text(answer)
            assert "Harbor city" in text or "I was restarted" in text
    finally:
        await articles.stop()
        await fake.stop()
