"""Socket Mode: the same listeners over a WebSocket from a fake Slack on 127.0.0.1."""

from __future__ import annotations

import asyncio
import json
import urllib.parse

from bot.config import load_settings
from bot.slack.app import run_socket_mode
from tests.fakes.article_server import ArticleServer
from tests.fakes.fake_slack import FakeSlack, command_body, message_event


async def test_socket_mode_answers_links_and_commands_once(tmp_path):
    fake = await FakeSlack().start()
    articles = await ArticleServer().start()
    settings = load_settings({
        "SLACK_BOT_TOKEN": "xoxb-socket", "SLACK_APP_TOKEN": "xapp-1-socket", "SLACK_API_URL": fake.api_url,
        "NEWSBOT_ENGINE": "offline", "NEWSBOT_FETCH_ALLOW_HOSTS": "127.0.0.1",
        "NEWSBOT_DB": str(tmp_path / "db.sqlite"),
    })
    task = asyncio.create_task(run_socket_mode(settings))
    try:
        await fake.wait_for(lambda f: f.of("socket_connect"))
        assert fake.of("apps.connections.open")[0].token == "xapp-1-socket"
        event = message_event(f"<{articles.url('/news/water')}>", ts="1700000003.000100")
        first = await fake.send_envelope("events_api", event)
        await fake.wait_for(lambda f: f.of("chat.update"))
        await fake.send_envelope("events_api", event, retry_attempt=1)
        await fake.wait_for(lambda f: len(f.of("socket_ack")) >= 2)
        assert fake.of("socket_ack")[0].args["envelope_id"] == first
        await asyncio.sleep(0.3)
        assert len(fake.of("chat.postMessage")) == 1
        assert fake.of("chat.postMessage")[0].args["thread_ts"] == "1700000003.000100"

        command = dict(urllib.parse.parse_qsl(command_body("/claims", articles.url("/news/water"),
                                                           fake.response_url("s"))))
        await fake.send_envelope("slash_commands", command)
        await fake.wait_for(lambda f: f.of("response_url"))
        assert "Claims and who makes them" in json.dumps(fake.of("response_url")[0].args["blocks"])
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await articles.stop()
        await fake.stop()


async def test_socket_mode_sigterm_edits_placeholders_before_exit(tmp_path):
    """A PaaS stops the bot with SIGTERM: in Socket Mode too, a placeholder still reading must end as a
    message saying so, not stay "Reading…" forever."""
    import os
    import sys

    fake = await FakeSlack().start()
    articles = await ArticleServer(slow_seconds=30).start()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "NEWSBOT_"))}
    env.update({
        "SLACK_BOT_TOKEN": "xoxb-socket", "SLACK_APP_TOKEN": "xapp-1-socket", "SLACK_API_URL": fake.api_url,
        "NEWSBOT_ENGINE": "offline", "NEWSBOT_FETCH_ALLOW_HOSTS": "127.0.0.1", "NEWSBOT_FETCH_TIMEOUT": "60",
        "NEWSBOT_DB": str(tmp_path / "db.sqlite"),
    })
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "serve", env=env, cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    try:
        await fake.wait_for(lambda f: f.of("socket_connect"), timeout=20)
        await fake.send_envelope("events_api", message_event(f"<{articles.url('/slow')}>"))
        await fake.wait_for(lambda f: f.of("chat.postMessage"))
        proc.terminate()
        _, err = await asyncio.wait_for(proc.communicate(), timeout=20)
        assert proc.returncode == 0, err.decode()
        [update] = fake.of("chat.update")
        assert "restarted" in update.args["text"]
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
        await articles.stop()
        await fake.stop()
