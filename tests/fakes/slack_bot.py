"""The Slack app running on 127.0.0.1 for tests, with a fake Slack Web API and an article server.

    async with running_bot(tmp_path) as bot:
        await bot.event(message_event("<http://127.0.0.1:.../news/water>"))
        await bot.fake.wait_for(lambda f: f.of("chat.update"))
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import aiohttp
from aiohttp import web

from bot.analysis.model import Analysis
from bot.config import load_settings
from bot.fetch.links import canonicalize
from bot.memory.clock import Clock
from bot.slack.app import RUNTIME, create_web_app
from tests.fakes.article_server import ArticleServer
from tests.fakes.fake_slack import FakeSlack, command_body, shortcut_body, signed_headers

SECRET = "test-signing-secret"
# What would ping or link if it reached Slack unescaped: <!channel>, <@U…>, <#C…>, a bare @here.
PING = re.compile(r"<[!@#]|@(?:channel|here|everyone)\b", re.IGNORECASE)


def rendered(call) -> str:
    """Everything a Slack call would show: its blocks (as JSON) and its text."""
    return json.dumps(call.args.get("blocks", []), ensure_ascii=False) + "\n" + str(call.args.get("text", ""))


def crashes(records: list[logging.LogRecord]) -> list[str]:
    """Log records that carry a traceback, or say that something crashed: there must be none."""
    return [r.getMessage() for r in records if r.exc_info or "Traceback" in r.getMessage()]


class Harness:
    def __init__(self, fake: FakeSlack, articles: ArticleServer, url: str, session: aiohttp.ClientSession,
                 web_app: web.Application):
        self.fake, self.articles, self.url, self.session = fake, articles, url, session
        self.web_app = web_app

    async def post(self, body: str, *, content_type: str = "application/json", secret: str = SECRET,
                   timestamp: int | None = None, retry_num: int | None = None) -> tuple[int, str, float]:
        headers = signed_headers(secret, body, timestamp=timestamp, content_type=content_type, retry_num=retry_num)
        started = time.perf_counter()
        async with self.session.post(self.url, data=body.encode(), headers=headers) as resp:
            return resp.status, await resp.text(), time.perf_counter() - started

    async def event(self, payload: dict, **kwargs) -> tuple[int, str, float]:
        return await self.post(json.dumps(payload), **kwargs)

    async def command(self, command: str, text: str, name: str = "r1", **where: str) -> tuple[int, str, float]:
        """Run a slash command; `where` may set user, channel and team."""
        body = command_body(command, text, self.fake.response_url(name), **where)
        return await self.post(body, content_type="application/x-www-form-urlencoded")

    async def shortcut(self, message: dict, name: str = "r1", **kwargs) -> tuple[int, str, float]:
        """The "Analyze with newsbot" message shortcut on `message`; its response_url is fake's `name`."""
        body = shortcut_body(message, self.fake.response_url(name), **kwargs)
        return await self.post(body, content_type="application/x-www-form-urlencoded")

    async def cached_analysis(self, url: str) -> Analysis:
        rt = self.web_app[RUNTIME]
        stored = await rt.store.get_analysis_for_url(canonicalize(url), rt.pipeline.engine().engine_id)
        assert stored, "the analysis was not cached"
        return Analysis.from_json(stored)

    def replies(self, channel: str | None = None) -> list:
        return [c for c in self.fake.of("chat.postMessage") if channel is None or c.args["channel"] == channel]

    def updates(self) -> list:
        return self.fake.of("chat.update")


def bot_settings(tmp_path: Path, fake: FakeSlack, **env: str):
    """The variables an admin sets, pointed at the fakes: offline engine, 127.0.0.1 let through."""
    return load_settings({
        "SLACK_BOT_TOKEN": "xoxb-test-token", "SLACK_SIGNING_SECRET": SECRET, "SLACK_API_URL": fake.api_url,
        "NEWSBOT_ENGINE": "offline", "NEWSBOT_FETCH_ALLOW_HOSTS": "127.0.0.1",
        "NEWSBOT_DB": str(tmp_path / "newsbot.sqlite"), **env,
    })


@asynccontextmanager
async def running_bot(tmp_path: Path, *, fake: FakeSlack | None = None, articles: ArticleServer | None = None,
                      clock: Clock | None = None, keep_fakes: bool = False, **env: str) -> AsyncIterator[Harness]:
    """The app over HTTP on 127.0.0.1 (started and shut down as `newsbot serve` does). `keep_fakes`: the
    fakes outlive this bot (several bots sharing them, or restarts; the caller stops them). `clock`: the
    time digests are scheduled by (tests/fakes/clock.py)."""
    fake = fake or await FakeSlack().start()
    articles = articles or await ArticleServer().start()
    web_app = create_web_app(bot_settings(tmp_path, fake, **env), clock=clock)
    runner = web.AppRunner(web_app, access_log=None)
    try:
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        async with aiohttp.ClientSession() as session:
            yield Harness(fake, articles, f"http://127.0.0.1:{port}/slack/events", session, web_app)
    finally:
        await runner.cleanup()
        if not keep_fakes:
            await articles.stop()
            await fake.stop()
