"""Starting and stopping the Slack app: settings named when missing, a refused token, a Slack API that
can't say who the bot is, and a shutdown with analyses still running."""

from __future__ import annotations

import asyncio

import pytest
from aiohttp import web

from bot.config import ConfigError, load_settings
from bot.slack.app import RUNTIME, create_web_app
from tests.fakes.article_server import ArticleServer
from tests.fakes.fake_slack import FakeSlack, message_event
from tests.fakes.slack_bot import bot_settings, running_bot


@pytest.mark.parametrize(
    "env,name",
    [
        ({"SLACK_SIGNING_SECRET": "s"}, "SLACK_BOT_TOKEN"),
        ({"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_SIGNING_SECRET"),
        ({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xoxb-wrong"}, "SLACK_APP_TOKEN"),
        ({"SLACK_BOT_TOKEN": "xapp-1-A1-swapped", "SLACK_SIGNING_SECRET": "s"}, "SLACK_BOT_TOKEN"),
    ],
)
def test_missing_settings_are_named(env, name):
    with pytest.raises(ConfigError, match=name):
        create_web_app(load_settings(env))


async def test_refused_token_stops_start_up(tmp_path):
    fake = await FakeSlack().start()
    fake.fail["auth.test"] = "invalid_auth"
    runner = web.AppRunner(create_web_app(bot_settings(tmp_path, fake)))
    try:
        with pytest.raises(ConfigError, match="SLACK_BOT_TOKEN"):
            await runner.setup()
    finally:
        await runner.cleanup()
        await fake.stop()


async def test_works_when_auth_test_is_unavailable(tmp_path):
    fake = await FakeSlack().start()
    fake.fail["auth.test"] = "internal_error"
    async with running_bot(tmp_path, fake=fake) as bot:
        link = bot.articles.url("/news/water")
        await bot.event(message_event(f"<{link}>", bot_id="B1", subtype="bot_message"))
        await bot.event(message_event(f"<{link}>"))
        await fake.wait_for(lambda f: f.of("chat.update"))
        assert len(bot.replies()) == 1
        assert len(fake.of("auth.test")) == 1  # asked once at start-up, not once per event


async def test_shutdown_edits_placeholders_still_reading(tmp_path):
    fake = await FakeSlack().start()  # the bot stops first, so the fake still records its last edits
    articles = await ArticleServer(slow_seconds=30).start()
    async with running_bot(tmp_path, fake=fake, articles=articles, NEWSBOT_FETCH_TIMEOUT="60") as bot:
        await bot.event(message_event(f"<{articles.url('/slow')}>"))
        await fake.wait_for(lambda f: f.of("chat.postMessage"))
        await asyncio.sleep(0.2)
    [update] = fake.of("chat.update")
    assert "restarted" in update.args["text"]


async def test_full_queue_answers_busy_at_once(tmp_path):
    articles = await ArticleServer(slow_seconds=0.8).start()
    env = {"NEWSBOT_MAX_CONCURRENT": "1", "NEWSBOT_MAX_QUEUED": "1", "NEWSBOT_MAX_LINKS_PER_MESSAGE": "5"}
    async with running_bot(tmp_path, articles=articles, **env) as bot:
        links = [articles.url(f"/slow?n={i}") for i in range(3)]
        status, _, elapsed = await bot.event(message_event(" ".join(f"<{u}>" for u in links)))
        assert status == 200 and elapsed < 1.0
        await bot.fake.wait_for(lambda f: f.of("chat.update"))
        first = bot.updates()[0].args["text"]
        assert "too many articles" in first  # the third link, refused at once rather than left "Reading…"
        await bot.fake.wait_for(lambda f: len(f.of("chat.update")) == 3, timeout=15)


@pytest.mark.parametrize(
    "prefix,form",
    [("/api", "{url}/api/"), ("/api", "{url}/api"), ("/api", "{url}"), ("/api", "{url}/"),
     ("", "{url}"), ("", "{url}/"), ("", "{url} catch-all")],
)
async def test_slack_api_url_forms(tmp_path, prefix, form):
    """An admin or a test may give SLACK_API_URL with or without /api and a trailing slash; a bare address
    works whether the methods live under /api/ (as on slack.com) or at the root, even when the server
    answers unknown paths with Slack's own "unknown_method"."""
    catch_all = form.endswith(" catch-all")
    form = form.removesuffix(" catch-all")
    fake = await FakeSlack(api_prefix=prefix, unknown_method_json=catch_all).start()
    async with running_bot(tmp_path, fake=fake, SLACK_API_URL=form.format(url=fake.url)) as bot:
        await bot.event(message_event(f"<{bot.articles.url('/news/water')}>"))
        await fake.wait_for(lambda f: f.of("chat.update"))
        assert fake.of("auth.test") and len(bot.replies()) == 1
        assert all(c.path.startswith(prefix + "/") for c in fake.calls if c.method != "response_url")


@pytest.fixture
def quick_retries(monkeypatch):
    """Slack 5xx retried without the real back-off (0.5 s doubling), so a test of six tries takes
    milliseconds."""
    from slack_sdk.http_retry.builtin_interval_calculators import FixedValueRetryIntervalCalculator

    from bot.slack import runtime

    monkeypatch.setattr(runtime, "SERVER_ERROR_BACKOFF", FixedValueRetryIntervalCalculator(0.01))


async def test_html_error_pages_from_the_api_are_reported_not_raised(tmp_path, caplog, quick_retries):
    """A proxy or outage page (not Slack's JSON) that outlasts every retry must not crash the code that
    reports the failure; and the answer is still posted, as a new message, once Slack is back."""
    fake = await FakeSlack().start()
    async with running_bot(tmp_path, fake=fake) as bot:
        fake.http_fail["chat.postMessage"] = [502] * 7  # the first try and all six retries
        await bot.event(message_event(f"<{bot.articles.url('/news/water')}>"))
        await fake.wait_for(lambda f: f.of("chat.postMessage"))
        [answer] = fake.of("chat.postMessage")
        assert "Harbor city" in str(answer.args["blocks"])  # no placeholder, but the analysis all the same
        fake.http_fail["chat.update"] = [502] * 7
        await bot.event(message_event(f"<{bot.articles.url('/news/water')}>", channel="C2"))
        await fake.wait_for(lambda f: len(f.of("chat.update:502")) == 7)
        await bot.web_app[RUNTIME].queue.join()
    crashes = [r for r in caplog.records if r.exc_info]
    assert not crashes, crashes[0].getMessage()
    assert any("HTTP 502" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("statuses", [[503], [502, 504, 500]])
async def test_a_momentary_server_error_is_retried(tmp_path, quick_retries, statuses):
    fake = await FakeSlack().start()
    async with running_bot(tmp_path, fake=fake) as bot:
        fake.http_fail["chat.update"] = list(statuses)
        fake.http_fail["chat.postMessage"] = list(statuses)
        await bot.event(message_event(f"<{bot.articles.url('/news/water')}>"))
        await fake.wait_for(lambda f: f.of("chat.update"))
        assert len(bot.replies()) == 1  # the placeholder, posted once despite the errors
        assert "Harbor city" in str(fake.of("chat.update")[0].args["blocks"])


async def test_events_acked_just_before_shutdown_are_not_lost(tmp_path, caplog):
    """Slack never retries an acked event: links acked as the bot stops must still get their placeholder,
    edited into "restarted, share it again", not crash on a closed database and vanish."""
    fake = await FakeSlack().start()
    articles = await ArticleServer(slow_seconds=30).start()
    async with running_bot(tmp_path, fake=fake, articles=articles, NEWSBOT_FETCH_TIMEOUT="60") as bot:
        acks = await asyncio.gather(*(
            bot.event(message_event(f"<{articles.url('/slow')}?n={i}>", channel=f"CS{i}")) for i in range(20)
        ))
        assert all(status == 200 for status, _, _ in acks)
    crashes = [r for r in caplog.records if r.exc_info]
    assert not crashes, crashes[0].getMessage()
    channels = {c.args["channel"] for c in fake.of("chat.postMessage")}
    assert channels == {f"CS{i}" for i in range(20)}
    edited = {c.args["channel"] for c in fake.of("chat.update")}
    assert edited == channels


async def test_shutdown_answers_slash_commands_still_owed(tmp_path):
    """/claims on a slow page, then a restart: the user gets a sentence through response_url, not silence
    after "Reading…"."""
    fake = await FakeSlack().start()
    articles = await ArticleServer(slow_seconds=30).start()
    async with running_bot(tmp_path, fake=fake, articles=articles, NEWSBOT_FETCH_TIMEOUT="60") as bot:
        status, body, _ = await bot.command("/claims", articles.url("/slow"), name="owed")
        assert status == 200 and "Reading" in body
        for _ in range(100):
            if articles.hits["/slow"]:
                break
            await asyncio.sleep(0.02)
    [answer] = fake.of("response_url")
    assert answer.path.endswith("/owed") and "restarted" in answer.args["text"]
    assert answer.args["response_type"] == "ephemeral"


async def test_listeners_still_busy_after_the_drain_are_stopped_not_left_on_a_closed_store(caplog):
    """Work after an ack that outlasts the drain (a follow-up waiting its turn) is cancelled with one
    warning, before the store it would use is closed, instead of failing on it with a traceback."""
    from bot.slack.runtime import Runtime

    rt = Runtime.__new__(Runtime)
    rt.listeners = set()
    finished = asyncio.Event()

    async def forever() -> None:
        try:
            await asyncio.sleep(3600)
        finally:
            finished.set()

    rt.after_ack(forever())
    await rt._drain_listeners(timeout=0.05)
    assert finished.is_set() and not rt.listeners
    assert [r.getMessage() for r in caplog.records if r.levelname == "WARNING"] == [
        "1 listeners still busy at shutdown; stopping them"]
    assert not [r for r in caplog.records if r.exc_info]
