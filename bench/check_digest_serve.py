"""Digests as they will be checked: `newsbot serve` as real processes, a fake Slack Web API on loopback, real
time (no injected clock). Takes about five minutes; prints what it measured.

    .venv/bin/python bench/check_digest_serve.py [--tz Asia/Kolkata] [--db postgresql://…/empty_db]

1. A digest set a minute ahead (in a non-UTC zone) in a public channel where the Putin article and
   another were shared → exactly one digest there, none elsewhere; seconds after its minute.
   /sources Putin from another channel finds his words; a private channel's article is never shown
   there nor in the Home tab.
2. The bot restarted → no second digest.
3. Two processes on one database, a digest a minute ahead → one.
4. A digest whose minute passes while the bot is stopped → posted once when it starts again.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.fakes.article_server import ArticleServer  # noqa: E402
from tests.fakes.fake_slack import FakeSlack, command_body, message_event, signed_headers  # noqa: E402
from tests.fakes.slack_bot import SECRET  # noqa: E402
from tests.test_memory import PUTIN_TEXT  # noqa: E402

PRIVATE = """Secret grain talks resume behind closed doors

“We are ready to discuss grain corridors again,” Russian President Vladimir Putin said on Tuesday, in remarks to a closed meeting of exporters in Moscow.
Officials from three ports said the talks could resume within weeks, though no date has been set and the agenda remains unconfirmed.
Traders said prices fell sharply after the remarks were reported, with wheat futures down almost four percent by the close of trading.
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Bot:
    def __init__(self, env: dict[str, str]) -> None:
        self.port = free_port()
        self.env = env
        self.proc: subprocess.Popen | None = None

    async def start(self) -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", "bot", "-v", "serve", "--port", str(self.port)],
                                     cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL,
                                     stderr=open(f"/tmp/newsbot-serve-{self.port}.log", "a"))
        async with aiohttp.ClientSession() as session:
            for _ in range(200):
                try:
                    async with session.get(f"http://127.0.0.1:{self.port}/healthz") as r:
                        if r.status == 200:
                            return
                except aiohttp.ClientError:
                    pass
                await asyncio.sleep(0.1)
        raise RuntimeError("newsbot serve did not start")

    async def stop(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGTERM)
        await asyncio.to_thread(self.proc.wait, 30)

    async def post(self, body: str, content_type: str = "application/json") -> None:
        headers = signed_headers(SECRET, body, content_type=content_type)
        async with aiohttp.ClientSession() as session:
            async with session.post(f"http://127.0.0.1:{self.port}/slack/events", data=body.encode(),
                                    headers=headers) as r:
                assert r.status == 200, r.status

    async def share(self, url: str, channel: str, kind: str = "channel") -> None:
        await self.post(json.dumps(message_event(f"<{url}>", channel=channel, user="U1", channel_type=kind)))

    async def command(self, fake: FakeSlack, command: str, text: str, name: str, channel: str) -> str:
        await self.post(command_body(command, text, fake.response_url(name), user="U1", channel=channel),
                        "application/x-www-form-urlencoded")
        await fake.wait_for(lambda f: any(c.path.endswith("/" + name) for c in f.of("response_url")), 20)
        call = [c for c in fake.of("response_url") if c.path.endswith("/" + name)][0]
        return json.dumps(call.args.get("blocks", []), ensure_ascii=False) + call.args.get("text", "")


def minute_ahead(tz: str, at_least: float) -> tuple[str, datetime]:
    """HH:MM in `tz` of the first whole minute at least `at_least` seconds from now, and that instant."""
    when = datetime.now(ZoneInfo(tz)) + timedelta(seconds=at_least)
    when = (when + timedelta(minutes=1)).replace(second=0, microsecond=0)
    return f"{when:%H:%M}", when


async def until(when: datetime, extra: float = 0.0) -> None:
    await asyncio.sleep(max(0.0, when.timestamp() + extra - time.time()))


async def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--tz", default="Asia/Kolkata")
    p.add_argument("--db", help="NEWSBOT_DB for the bots (default: a new SQLite file); an empty PostgreSQL "
                                "database URL checks the processes sharing PostgreSQL")
    args = p.parse_args()
    fake = await FakeSlack().start()
    fake.users["U1"] = {"tz": args.tz, "display_name": "Ana"}
    posted_at: list[tuple[float, dict]] = []
    record = fake._record

    def timed(call):  # when each digest reached "Slack"
        if call.method == "chat.postMessage" and "News digest" in call.args.get("text", "") \
                and not call.args.get("thread_ts"):
            posted_at.append((time.time(), call.args))
        record(call)

    fake._record = timed
    articles = await ArticleServer().start()
    putin, secret = articles.add("putin", PUTIN_TEXT), articles.add("secret", PRIVATE)
    other = articles.url("/news/water")
    tmp = tempfile.mkdtemp()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "NEWSBOT_", "SLACK_"))}
    env |= {"SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": SECRET, "SLACK_API_URL": fake.api_url,
            "NEWSBOT_ENGINE": "offline", "NEWSBOT_FETCH_ALLOW_HOSTS": "127.0.0.1",
            "NEWSBOT_DB": args.db or f"{tmp}/newsbot.sqlite"}
    ok = True

    def check(what: str, good: bool, detail: str = "") -> None:
        nonlocal ok
        ok &= good
        print(f"{'ok  ' if good else 'FAIL'} {what}{': ' + detail if detail else ''}", flush=True)

    def in_channel(channel: str) -> list:
        return [a for _, a in posted_at if a["channel"] == channel]

    one = Bot(env)
    await one.start()
    hhmm, due = minute_ahead(args.tz, 45)
    await one.share(putin, "C1")
    await one.share(other, "C1")
    await one.share(secret, "G1", "group")
    said = await one.command(fake, "/digest", f"daily {hhmm}", "set1", "C1")
    check("acknowledgement", f"Daily at {hhmm} {args.tz}" in said, said[-220:])
    await one.command(fake, "/digest", f"daily {hhmm}", "set9", "C9")  # nothing shared in C9
    await fake.wait_for(lambda f: len(f.of("chat.update")) >= 3, 60)
    found = await one.command(fake, "/sources", "Putin", "who", "C2")
    check("/sources Putin from another channel", "help normalize the situation" in found
          and "grain corridors" not in found)
    check("/sources Putin inside the private channel", "grain corridors" in
          await one.command(fake, "/sources", "President Putin", "who-g1", "G1"))
    await one.post(json.dumps(message_event("", event_type="app_home_opened", user="U1", tab="home")))
    await fake.wait_for(lambda f: f.of("views.publish"), 20)
    home = json.dumps(fake.of("views.publish")[-1].args, ensure_ascii=False)
    check("Home tab: public article, not the private one",
          "Putin says Russia wants calm in Gaza" in home and "Secret grain" not in home)
    await until(due, 31)
    first = in_channel("C1")
    check("exactly one digest in C1 at its minute", len(first) == 1, f"{len(first)} posted")
    check("none elsewhere", len(posted_at) == len(first), str([a["channel"] for _, a in posted_at]))
    if first:
        delay = posted_at[0][0] - due.timestamp()
        check("posted within 30 s of its minute", 0 <= delay <= 30, f"{delay:.2f} s after {hhmm} {args.tz}")

    await one.stop()
    await one.start()
    await asyncio.sleep(8)
    check("restarted: no second digest", len(in_channel("C1")) == 1)

    two = Bot(env)
    await two.start()
    hhmm2, due2 = minute_ahead(args.tz, 30)
    await one.share(other, "C3")
    await fake.wait_for(lambda f: len(f.of("chat.update")) >= 4, 60)
    await two.command(fake, "/digest", f"daily {hhmm2}", "set3", "C3")
    await until(due2, 31)
    check("two processes, one database: one digest", len(in_channel("C3")) == 1, f"{len(in_channel('C3'))} posted")
    if in_channel("C3"):
        delay = [t for t, a in posted_at if a["channel"] == "C3"][0] - due2.timestamp()
        check("posted within 30 s of its minute (two processes)", 0 <= delay <= 30, f"{delay:.2f} s")

    hhmm3, due3 = minute_ahead(args.tz, 30)
    await one.share(putin, "C4")
    await asyncio.sleep(2)
    await one.command(fake, "/digest", f"daily {hhmm3}", "set4", "C4")
    await one.stop()
    await two.stop()
    await until(due3, 10)
    started = time.time()
    await one.start()
    await fake.wait_for(lambda f: in_channel("C4"), 30)
    posted = [t for t, a in posted_at if a["channel"] == "C4"][0]
    check("missed while stopped: posted on start", True, f"{posted - started:.2f} s after start")
    await asyncio.sleep(8)
    check("missed digest posted once", len(in_channel("C4")) == 1)
    check("labelled with its period", f"{hhmm3} {args.tz}" in in_channel("C4")[0]["text"], in_channel("C4")[0]["text"])
    await one.stop()
    check("no digest in the empty channel C9", not in_channel("C9"))
    await articles.stop()
    await fake.stop()
    print("all good" if ok else "SOME CHECKS FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
