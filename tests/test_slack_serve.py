"""`newsbot serve` as a real process, configured only through the environment, as an admin runs it."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import sys
import time

import aiohttp

from tests.fakes.article_server import ArticleServer
from tests.fakes.fake_slack import FakeSlack, command_body, message_event, signed_headers

SECRET = "serve-secret"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def _wait_up(url: str, proc: asyncio.subprocess.Process, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    async with aiohttp.ClientSession() as session:
        while time.monotonic() < deadline:
            if proc.returncode is not None:
                raise AssertionError(f"newsbot serve exited with {proc.returncode}")
            try:
                async with session.get(url) as resp:
                    if resp.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.1)
    raise AssertionError("newsbot serve did not come up")


async def test_newsbot_serve_end_to_end(tmp_path):
    fake = await FakeSlack().start()
    articles = await ArticleServer().start()
    port = _free_port()
    env = {
        **os.environ, "SLACK_BOT_TOKEN": "xoxb-serve", "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": fake.api_url, "PORT": str(port), "NEWSBOT_ENGINE": "offline",
        "NEWSBOT_FETCH_ALLOW_HOSTS": "127.0.0.1", "NEWSBOT_DB": str(tmp_path / "serve.sqlite"),
    }
    env.pop("SLACK_APP_TOKEN", None)
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "serve", env=env, cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        await _wait_up(base + "/healthz", proc)
        async with aiohttp.ClientSession() as session:
            body = json.dumps(message_event(f"<{articles.url('/news/water')}>", ts="1700000009.000001"))
            async with session.post(base + "/slack/events", data=body, headers=signed_headers(SECRET, body)) as r:
                assert r.status == 200
            forged = signed_headers("wrong", body)
            async with session.post(base + "/slack/events", data=body, headers=forged) as r:
                assert r.status == 401
            cmd = command_body("/sources", articles.url("/news/water"), fake.response_url("c"))
            headers = signed_headers(SECRET, cmd, content_type="application/x-www-form-urlencoded")
            async with session.post(base + "/slack/events", data=cmd, headers=headers) as r:
                assert r.status == 200
        await fake.wait_for(lambda f: f.of("chat.update") and f.of("response_url"), timeout=20)
        assert fake.of("chat.postMessage")[0].args["thread_ts"] == "1700000009.000001"
        assert "Harbor city" in json.dumps(fake.of("chat.update")[0].args["blocks"])
    finally:
        proc.terminate()
        _, err = await asyncio.wait_for(proc.communicate(), timeout=10)
        await articles.stop()
        await fake.stop()
    assert b"Traceback" not in err, err.decode()


async def test_newsbot_serve_names_a_missing_setting(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
    env["SLACK_BOT_TOKEN"] = "xoxb-x"
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "serve", env=env, cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    _, err = await asyncio.wait_for(proc.communicate(), timeout=20)
    assert proc.returncode != 0
    assert b"SLACK_SIGNING_SECRET" in err


async def _serve_fails(tmp_path, **env_vars: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "NEWSBOT_", "PORT"))}
    env.update(env_vars)
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "serve", env=env, cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    _, err = await asyncio.wait_for(proc.communicate(), timeout=30)
    assert proc.returncode == 2, err.decode()
    assert b"Traceback" not in err, err.decode()
    return err.decode()


async def test_newsbot_serve_reads_the_env_file_in_its_working_directory(tmp_path):
    """docs/slack-setup.md: `cp .env.example .env` beside where newsbot runs, also for `pip install .`."""
    (tmp_path / ".env").write_text("SLACK_BOT_TOKEN=xoxb-from-dotenv\nPORT=not-a-port\n")
    err = await _serve_fails(tmp_path)
    assert "PORT must be a whole number" in err


async def test_newsbot_serve_names_a_port_in_use(tmp_path):
    with socket.socket() as busy:
        busy.bind(("0.0.0.0", 0))
        busy.listen()
        port = busy.getsockname()[1]
        err = await _serve_fails(
            tmp_path, SLACK_BOT_TOKEN="xoxb-x", SLACK_SIGNING_SECRET="s", PORT=str(port),
            SLACK_API_URL="http://127.0.0.1:9/api/", NEWSBOT_DB=str(tmp_path / "db.sqlite"),
        )
    assert f"cannot listen on port {port}" in err and "PORT" in err


async def test_sigterm_stops_serve_after_a_3000_character_host(tmp_path):
    """The link that used to leave "Reading…" forever and make close() raise: answered, and SIGTERM then
    stops the process cleanly, with the placeholder of a slow link still reading edited on the way out."""
    fake = await FakeSlack().start()
    articles = await ArticleServer(slow_seconds=30).start()
    port = _free_port()
    env = {
        **os.environ, "SLACK_BOT_TOKEN": "xoxb-serve", "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": fake.api_url, "PORT": str(port), "NEWSBOT_ENGINE": "offline",
        "NEWSBOT_FETCH_ALLOW_HOSTS": "127.0.0.1", "NEWSBOT_DB": str(tmp_path / "serve.sqlite"),
        "NEWSBOT_FETCH_TIMEOUT": "60",
    }
    env.pop("SLACK_APP_TOKEN", None)
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "serve", env=env, cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    long_host = ".".join(["a" * 60] * 50) + ".example"
    try:
        await _wait_up(base + "/healthz", proc)
        async with aiohttp.ClientSession() as session:
            for text, ts in ((f"<https://{long_host}/story>", "1.000001"), (f"<{articles.url('/slow')}>", "1.000002")):
                body = json.dumps(message_event(text, ts=ts))
                async with session.post(base + "/slack/events", data=body, headers=signed_headers(SECRET, body)) as r:
                    assert r.status == 200
        await fake.wait_for(lambda f: f.of("chat.update") and len(f.of("chat.postMessage")) == 2, timeout=20)
        assert "couldn't read" in fake.of("chat.update")[0].args["text"]
        proc.terminate()
        _, err = await asyncio.wait_for(proc.communicate(), timeout=20)
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
        await articles.stop()
        await fake.stop()
    assert proc.returncode == 0 and b"Traceback" not in err, err.decode()
    assert any("restarted" in c.args["text"] for c in fake.of("chat.update"))
