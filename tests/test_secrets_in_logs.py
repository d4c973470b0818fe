"""Tokens never appear in the log, at any level: the app runs with DEBUG logging on every logger (newsbot's,
slack_bolt, slack_sdk, aiohttp, openai, httpx) against servers that echo the request headers back (a model
server's HTML page, Slack error pages, a response_url), and the captured output is searched for the bot
token, the signing secret, the app token and the OpenAI key."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager

from bot.config import load_settings
from bot.redact import protect
from bot.slack.app import run_socket_mode
from tests.fakes.article_server import ArticleServer
from tests.fakes.fake_openai import Reply
from tests.fakes.fake_slack import FakeSlack, command_body, message_event, signed_headers
from tests.fakes.slack_bot import running_bot

BOT_TOKEN = "xoxb-2024-5555-SecretBotToken"
SIGNING_SECRET = "s3cr3t-signing-value-9f8e7d"
APP_TOKEN = "xapp-1-A0001-7777-SecretAppToken"
OPENAI_KEY = "sk-proj-SecretOpenAIKey0123456789"
SECRETS = (BOT_TOKEN, SIGNING_SECRET, APP_TOKEN, OPENAI_KEY)
LOGGERS = ("", "bot", "slack_bolt", "slack_sdk", "aiohttp", "openai", "httpx", "httpcore", "asyncio")


@contextmanager
def debug_log() -> Iterator[io.StringIO]:
    """Everything every logger says, at DEBUG, through a handler set up as `newsbot` sets up its own."""
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.setLevel(logging.DEBUG)
    protect(handler)
    saved = {name: logging.getLogger(name).level for name in LOGGERS}
    root = logging.getLogger()
    root.addHandler(handler)
    for name in LOGGERS:
        logging.getLogger(name).setLevel(logging.DEBUG)
    try:
        yield out
    finally:
        root.removeHandler(handler)
        for name, level in saved.items():
            logging.getLogger(name).setLevel(level)


def echo_headers(fake) -> Reply:
    """A 200 HTML page repeating the request's headers, as a misconfigured proxy in front of a model might."""
    headers = "".join(f"<li>{k}: {v}</li>" for k, v in fake.headers[-1].items())
    return Reply(body=f"<html><body><h1>Request</h1><ul>{headers}</ul></body></html>", content_type="text/html")


def _assert_no_secret(text: str) -> None:
    assert text, "nothing was logged: the test would prove nothing"
    for secret in SECRETS:
        assert secret not in text, f"{secret[:8]}… in the log:\n" + next(
            line for line in text.splitlines() if secret in line)


async def test_no_token_in_a_debug_log_over_http(tmp_path, fake):
    fake.default = lambda body: echo_headers(fake)
    slack = await FakeSlack(echo_headers=True).start()
    env = {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET, "OPENAI_API_KEY": OPENAI_KEY,
           "OPENAI_BASE_URL": fake.base_url, "NEWSBOT_ENGINE": "openai", "OPENAI_TIMEOUT": "5",
           "OPENAI_MAX_RETRIES": "1"}
    with debug_log() as out:
        async with running_bot(tmp_path, fake=slack, **env) as bot:
            link = bot.articles.url("/news/water")
            await bot.event(message_event(f"<{link}>"), secret=SIGNING_SECRET)
            await slack.wait_for(lambda f: f.of("chat.update"), timeout=30)
            slack.http_fail["chat.postMessage"] = [502, 502]
            await bot.event(message_event(f"<{link}?again=1>", channel="C2"), secret=SIGNING_SECRET)
            await bot.post(command_body("/claims", link, slack.response_url("c")), secret=SIGNING_SECRET,
                           content_type="application/x-www-form-urlencoded")
            await slack.wait_for(lambda f: f.of("response_url"), timeout=30)
            body = json.dumps(message_event(f"<{link}>"))
            async with bot.session.post(bot.url, data=body, headers=signed_headers("wrong", body)) as r:
                assert r.status == 401
            await asyncio.sleep(0.5)
    assert fake.calls >= 1 and "not a chat completion" in out.getvalue()
    assert "Authorization" in "".join(fake.headers[-1])  # the page did echo the key
    _assert_no_secret(out.getvalue())
    await slack.stop()


async def test_no_token_in_a_debug_log_in_socket_mode(tmp_path):
    slack = await FakeSlack(echo_headers=True).start()
    articles = await ArticleServer().start()
    settings = load_settings({
        "SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_APP_TOKEN": APP_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": slack.api_url, "NEWSBOT_ENGINE": "offline", "NEWSBOT_FETCH_ALLOW_HOSTS": "127.0.0.1",
        "NEWSBOT_DB": str(tmp_path / "db.sqlite"),
    }, dotenv=False)
    with debug_log() as out:
        task = asyncio.create_task(run_socket_mode(settings))
        try:
            await slack.wait_for(lambda f: f.of("socket_connect"), timeout=20)
            await slack.send_envelope("events_api", message_event(f"<{articles.url('/news/water')}>"))
            await slack.wait_for(lambda f: f.of("chat.update"))
            command = dict(urllib.parse.parse_qsl(command_body("/claims", articles.url("/news/water"),
                                                               slack.response_url("s"))))
            await slack.send_envelope("slash_commands", command)
            await slack.wait_for(lambda f: f.of("response_url"))
            await asyncio.sleep(0.3)
        finally:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
            await articles.stop()
            await slack.stop()
    assert slack.of("apps.connections.open")[0].token == APP_TOKEN
    assert "upstream failed" in out.getvalue() or "response_url answered 502" in out.getvalue()
    _assert_no_secret(out.getvalue())


def test_the_redaction_helper_masks_echoed_credentials():
    from bot.redact import redact, remember

    remember(SIGNING_SECRET)
    page = (f"<li>Authorization: Bearer {OPENAI_KEY}</li><li>X-Api-Key: abc123</li> token {BOT_TOKEN} "
            f"{APP_TOKEN} secret={SIGNING_SECRET} {{'authorization': 'Basic dXNlcjpwYXNz'}} at {time.time()}")
    masked = redact(page)
    for secret in (*SECRETS, "abc123", "dXNlcjpwYXNz"):
        assert secret not in masked
    assert masked.count("[redacted]") == 6
    assert redact("Reuters said the bearer of the news left") == "Reuters said the bearer of the news left"


async def test_a_model_reply_echoing_our_headers_is_logged_without_the_key(fake, caplog):
    """The call site itself redacts (no log filter here): the "not a chat completion" warning quotes the
    reply, and the reply quotes our Authorization header."""
    from bot.analysis.llm import LLMEngine
    from bot.analysis.model import Article

    fake.default = lambda body: echo_headers(fake)
    settings = load_settings({"OPENAI_API_KEY": "key-without-a-known-shape-42", "OPENAI_BASE_URL": fake.base_url,
                              "NEWSBOT_ENGINE": "openai", "OPENAI_TIMEOUT": "5"}, dotenv=False)
    engine = LLMEngine(settings)
    fake.engines.append(engine)
    caplog.set_level(logging.DEBUG)
    analysis = await engine.analyze(Article(text="The mayor said the bridge would close on Monday. " * 5))
    assert analysis.engine.name == "offline"  # the page is no answer: fell back
    assert "key-without-a-known-shape-42" in str(fake.headers[-1])
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "not a chat completion" in logged and "Authorization: [redacted]" in logged
    assert "key-without-a-known-shape-42" not in logged
