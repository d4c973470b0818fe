"""Slack app load bench: ack latency and memory, all on loopback.

    .venv/bin/python bench/bench_slack.py [--events 200] [--at-once 50]

Starts a fake Slack Web API and an article server in this process, and `newsbot serve` as a separate
process (offline engine), then:
1. sends `--events` signed message events, `--at-once` at a time, each with a link to a distinct article
   (in waves `--gap` seconds apart, so that most acks land while earlier analyses run), and reports the ack latency Slack would see (p50, p99, max) and how long until every reply was final;
2. starts a second server with NEWSBOT_MAX_CONCURRENT=50 and sends 50 new links at once, so that fifty
   analyses are in flight together, and reports the server's resident memory before and at its peak.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from harness import free_port, pct, rss_mb  # noqa: E402

from tests.fakes.article_server import EXAMPLE, ArticleServer  # noqa: E402
from tests.fakes.fake_slack import FakeSlack, message_event, signed_headers  # noqa: E402

SECRET = "bench-secret"


async def start_server(fake: FakeSlack, db: str, **extra_env: str) -> tuple[asyncio.subprocess.Process, str]:
    port = free_port()
    env = {
        **os.environ, "SLACK_BOT_TOKEN": "xoxb-bench", "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": fake.api_url, "PORT": str(port), "NEWSBOT_ENGINE": "offline",
        "NEWSBOT_FETCH_ALLOW_HOSTS": "127.0.0.1", "NEWSBOT_DB": db, **extra_env,
    }
    env.pop("SLACK_APP_TOKEN", None)
    proc = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", "serve", env=env, cwd=ROOT,
                                                stdout=asyncio.subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    async with aiohttp.ClientSession() as session:
        for _ in range(300):
            try:
                async with session.get(base + "/healthz") as resp:
                    if resp.status == 200:
                        return proc, base
            except aiohttp.ClientError:
                await asyncio.sleep(0.1)
    raise SystemExit("newsbot serve did not start")


async def send_events(base: str, links: list[str], at_once: int, channel: str, gap: float = 0.0) -> list[float]:
    """Signed message events, `at_once` in flight; returns each one's ack latency in seconds."""
    latencies: list[float] = []
    gate = asyncio.Semaphore(at_once)
    connector = aiohttp.TCPConnector(limit=at_once)

    async with aiohttp.ClientSession(connector=connector) as session:
        async def one(i: int, link: str) -> None:
            body = json.dumps(message_event(f"worth a read <{link}>", channel=channel, ts=f"1700000000.{i:06d}"))
            async with gate:
                headers = signed_headers(SECRET, body)
                started = time.perf_counter()
                async with session.post(base + "/slack/events", data=body, headers=headers) as resp:
                    await resp.read()
                    latencies.append(time.perf_counter() - started)
                    if resp.status != 200:
                        raise SystemExit(f"event {i} answered {resp.status}")

        # Open the connections first so the numbers measure acks, not TCP handshakes.
        await asyncio.gather(*(session.get(base + "/healthz") for _ in range(at_once)))
        if gap <= 0:
            await asyncio.gather(*(one(i, link) for i, link in enumerate(links)))
            return latencies
        # Waves of `at_once`, `gap` seconds apart: later waves land while earlier analyses are running.
        for start in range(0, len(links), at_once):
            wave = links[start : start + at_once]
            await asyncio.gather(*(one(start + i, link) for i, link in enumerate(wave)))
            await asyncio.sleep(gap)
    return latencies


async def sample_peak(pid: int, done: asyncio.Event) -> float:
    peak = 0.0
    while not done.is_set():
        peak = max(peak, rss_mb(pid))
        await asyncio.sleep(0.02)
    return max(peak, rss_mb(pid))


async def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", type=int, default=200)
    ap.add_argument("--at-once", type=int, default=50)
    ap.add_argument("--gap", type=float, default=0.5,
                    help="seconds between waves of --at-once events (0: one continuous burst)")
    args = ap.parse_args()

    fake = await FakeSlack().start()
    articles = await ArticleServer().start()
    text = EXAMPLE.read_text()
    links = [articles.add(f"story-{i}", f"{text}\nThis is edition {i} of the story.") for i in range(args.events + 50)]
    tmp = tempfile.mkdtemp(prefix="newsbot-bench-")

    # 1. Ack latency under load, default pool (NEWSBOT_MAX_CONCURRENT=8, queue 200).
    proc, base = await start_server(fake, f"{tmp}/a.sqlite")
    idle = rss_mb(proc.pid)
    done = asyncio.Event()
    peak_task = asyncio.create_task(sample_peak(proc.pid, done))
    started = time.perf_counter()
    lat = await send_events(base, links[: args.events], args.at_once, "CBENCH1", args.gap)
    acked = time.perf_counter() - started
    await fake.wait_for(lambda f: len(f.of("chat.update")) >= args.events, timeout=600)
    finished = time.perf_counter() - started
    done.set()
    peak_default = await peak_task
    failures = sum(1 for c in fake.of("chat.update") if c.args.get("text", "").startswith(":warning:"))
    proc.terminate()
    await proc.wait()
    ms = [x * 1000 for x in lat]
    how = f"waves {args.gap:g} s apart" if args.gap > 0 else "one continuous burst"
    print(f"ack latency, {args.events} signed events, {args.at_once} at a time ({how}), each with a new article:")
    print(f"  p50 {pct(ms, 50):.1f} ms   p99 {pct(ms, 99):.1f} ms   max {max(ms):.1f} ms   "
          f"mean {statistics.mean(ms):.1f} ms")
    print(f"  all acked in {acked:.2f} s; all {args.events} replies final after {finished:.1f} s "
          f"({failures} failures); server RSS {idle:.0f} MB idle, {peak_default:.0f} MB peak")

    # 2. Fifty analyses in flight at once.
    fake.calls.clear()
    proc, base = await start_server(fake, f"{tmp}/b.sqlite", NEWSBOT_MAX_CONCURRENT="50")
    idle = rss_mb(proc.pid)
    done = asyncio.Event()
    peak_task = asyncio.create_task(sample_peak(proc.pid, done))
    started = time.perf_counter()
    lat = await send_events(base, links[args.events : args.events + 50], 50, "CBENCH2")
    await fake.wait_for(lambda f: len(f.of("chat.update")) >= 50, timeout=600)
    finished = time.perf_counter() - started
    done.set()
    peak = await peak_task
    proc.terminate()
    await proc.wait()
    print("50 analyses in flight (NEWSBOT_MAX_CONCURRENT=50):")
    print(f"  server RSS {idle:.0f} MB idle, {peak:.0f} MB peak (+{peak - idle:.0f} MB); "
          f"ack max {max(lat) * 1000:.1f} ms; all 50 replies final after {finished:.1f} s")
    await articles.stop()
    await fake.stop()


if __name__ == "__main__":
    asyncio.run(main())
