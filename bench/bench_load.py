"""Load and faults: many signed events against slow sites, a slow model and a flaky Slack; nothing may be
lost or doubled.

    .venv/bin/python bench/bench_load.py                       # one process, SQLite
    .venv/bin/python bench/bench_load.py --processes 2 --postgres [--restart-postgres]

Starts the fakes in their own process (article servers answering after --article-delay seconds, a fake
OpenAI-compatible model answering after --model-delay seconds, a fake Slack Web API that now and then
answers 5% of chat.postMessage/chat.update calls with 429 + Retry-After and 5% with a 5xx page), then `newsbot serve` as
--processes processes sharing one database (SQLite file, or with --postgres a PostgreSQL database of its
own on NEWSBOT_BENCH_POSTGRES, created and dropped here). Events are spread over the processes as a load
balancer would; each is a new message in its own channel with one of --links article links, and a share
of them is sent again as Slack retries do (same event id, X-Slack-Retry-Num), to the other process.

Prints ack p50/p99/max; per message whether it got exactly one answer (lost: none, or "Reading…" left;
doubled: more than one message in its thread); how many answers were failures and why; article fetches
against distinct links; model calls; 429/5xx answered by the fake Slack; peak RSS per process. With
--restart-postgres the PostgreSQL server is restarted once mid-run (other users of it notice: keep it
brief and rare), and a second wave sent afterwards shows the bot recovered by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import json
import os
import tempfile
import time
import uuid

from harness import SECRET, PeakRss, fake_stats, send, signed_events, start_fakes, start_newsbot, summary_ms

from tests.fakes.fake_slack import signed_headers

RETRY_SHARE = 0.05  # of the events, sent again as Slack's retries
PG_DEFAULT = "postgresql://postgres@127.0.0.1:5432/test"
PLACEHOLDER = "Reading "


def retries_of(requests: list[tuple[bytes, dict]], share: float) -> list[tuple[bytes, dict]]:
    """Some events again, as Slack resends one it thinks was missed: same body, a retry header."""
    out = []
    step = max(1, int(1 / share)) if share > 0 else 0
    for i in range(0, len(requests), step or len(requests) + 1):
        body = requests[i][0].decode()
        out.append((requests[i][0], signed_headers(SECRET, body, retry_num=1)))
    return out


async def psql(url: str, sql: str) -> None:
    proc = await asyncio.create_subprocess_exec("psql", url, "-v", "ON_ERROR_STOP=1", "-qc", sql,
                                                stdout=asyncio.subprocess.DEVNULL)
    if await proc.wait():
        raise SystemExit(f"psql failed: {sql}")


async def restart_postgres() -> float:
    started = time.perf_counter()
    proc = await asyncio.create_subprocess_exec("pg_ctlcluster", "--skip-systemctl-redirect", "15", "main",
                                                "restart")
    await proc.wait()
    return time.perf_counter() - started


def verdicts(stats: dict, channels: list[str]) -> dict:
    """Per message (each in its own channel): its thread replies and how they ended."""
    posts = collections.defaultdict(list)
    for post in stats["posts"]:
        posts[post["channel"]].append(post["text"])
    finals = collections.defaultdict(list)
    for update in stats["updates"]:
        finals[update["channel"]].append(update["text"])
    lost = doubled = failures = 0
    reasons: collections.Counter = collections.Counter()
    for channel in channels:
        mine = posts.get(channel, [])
        if len(mine) > 1:
            doubled += 1
        ends = finals.get(channel, []) + [t for t in mine if not t.startswith(PLACEHOLDER)]
        if not ends:
            lost += 1
            continue
        last = ends[-1]
        if last.startswith(":warning:"):
            failures += 1
            reasons[last.split(": ", 1)[-1][:70]] += 1
    return {"lost": lost, "doubled": doubled, "failures": failures, "reasons": reasons}


async def wait_answered(info: dict, channels: list[str], timeout: float,
                        stall: float = 120.0) -> tuple[float, dict, dict]:
    """Until every message has an answer, or `timeout`, or no new answer for `stall` seconds (what is
    still unanswered then is lost); a progress line every 10 s."""
    started = last = moved = time.perf_counter()
    answered = -1
    while True:
        stats = await fake_stats(info)
        verdict = verdicts(stats, channels)
        now = time.perf_counter()
        if len(channels) - verdict["lost"] != answered:
            answered, moved = len(channels) - verdict["lost"], now
        if verdict["lost"] == 0 or now - started > timeout or now - moved > stall:
            return now - started, stats, verdict
        if now - last >= 10:
            last = now
            print(f"  … {now - started:.0f} s: {len(channels) - verdict['lost']}/{len(channels)} answered",
                  flush=True)
        await asyncio.sleep(1)


def report(name: str, channels: list[str], verdict: dict, waited: float) -> None:
    print(f"{name}: {len(channels)} messages; lost {verdict['lost']}, doubled {verdict['doubled']}, "
          f"answered with a failure {verdict['failures']} (waited {waited:.1f} s after the last ack)")
    for reason, n in verdict["reasons"].most_common(5):
        print(f"    {n} × {reason}")


async def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", type=int, default=1000)
    ap.add_argument("--at-once", type=int, default=100)
    ap.add_argument("--links", type=int, default=50, help="distinct article links (each its own story)")
    ap.add_argument("--sites", type=int, default=4, help="article servers the links are spread over")
    ap.add_argument("--article-delay", type=float, default=1.0)
    ap.add_argument("--model-delay", type=float, default=5.0)
    ap.add_argument("--slack-faults", type=float, default=0.05,
                    help="share of chat.postMessage/chat.update calls answered 429, and as many 5xx (0: none)")
    ap.add_argument("--processes", type=int, default=1)
    ap.add_argument("--postgres", action="store_true", help="share a PostgreSQL database, not a SQLite file")
    ap.add_argument("--restart-postgres", action="store_true", help="restart PostgreSQL once mid-run")
    ap.add_argument("--timeout", type=float, default=900, help="seconds to wait for every answer")
    ap.add_argument("--stall", type=float, default=120,
                    help="stop waiting when no answer came for this many seconds (the rest are lost)")
    ap.add_argument("--env", action="append", default=[], help="NAME=VALUE for newsbot (repeatable)")
    args = ap.parse_args()

    fakes, info = await start_fakes(
        "--links", str(args.links), "--sites", str(args.sites), "--article-delay", str(args.article_delay),
        "--model-delay", str(args.model_delay), "--slack-faults", str(args.slack_faults))
    tmp = tempfile.mkdtemp(prefix="newsbot-load-")
    admin = os.environ.get("NEWSBOT_BENCH_POSTGRES", PG_DEFAULT)
    database = f"newsbot_bench_{uuid.uuid4().hex[:10]}"
    if args.postgres:
        await psql(admin, f"CREATE DATABASE {database}")
        db = admin.rsplit("/", 1)[0] + "/" + database
    else:
        db = f"{tmp}/newsbot.sqlite"
    env = {"SLACK_API_URL": info["slack_api"], "NEWSBOT_ENGINE": "openai", "OPENAI_API_KEY": "sk-bench",
           "OPENAI_BASE_URL": info["openai"], "NEWSBOT_DB": db,
           **dict(item.split("=", 1) for item in args.env)}
    servers = []
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs; "
          f"{args.processes} process(es) on {'PostgreSQL' if args.postgres else 'SQLite'}", flush=True)
    try:
        for i in range(args.processes):
            servers.append(await start_newsbot(env, log=f"{tmp}/newsbot-{i}.log"))
        rss = PeakRss([s.proc.pid for s in servers])
        urls = [s.events_url for s in servers]
        requests = [signed_events(info["links"], 1, f"CLOAD{i:05d}", start=i)[0] for i in range(args.events)]
        channels = [f"CLOAD{i:05d}" for i in range(args.events)]
        retries = retries_of(requests, RETRY_SHARE)

        restart = None
        if args.restart_postgres:
            async def restart_midway() -> float:
                await asyncio.sleep(3)  # the first acks are in and analyses are running
                return await restart_postgres()

            restart = asyncio.ensure_future(restart_midway())
        started = time.perf_counter()
        latencies = await send(urls, requests, args.at_once)
        # Retries go to the other process than the first delivery when there are two.
        latencies += await send(list(reversed(urls)), retries, args.at_once)
        acked = time.perf_counter() - started
        print(f"acks, {len(requests)} events + {len(retries)} retries, {args.at_once} at a time, over "
              f"{len(urls)} process(es): {summary_ms(latencies)}   (all acked in {acked:.1f} s)", flush=True)
        if restart is not None:
            print(f"PostgreSQL restarted mid-run (took {await restart:.1f} s)", flush=True)

        waited, stats, verdict = await wait_answered(info, channels, args.timeout, args.stall)
        report("first wave", channels, verdict, waited)
        if args.restart_postgres:
            after = [signed_events(info["links"], 1, f"CAFTER{i:04d}", start=100000 + i)[0] for i in range(100)]
            after_channels = [f"CAFTER{i:04d}" for i in range(100)]
            lat = await send(urls, after, args.at_once)
            waited2, stats, verdict2 = await wait_answered(info, after_channels, args.timeout, args.stall)
            print(f"after the restart, acks {summary_ms(lat)}")
            report("second wave (after the PostgreSQL restart)", after_channels, verdict2, waited2)
        memory = await rss.stop()
        fetched = {url: n for url, n in stats["fetches"].items() if "/news/" in url}
        print(f"article fetches: {sum(fetched.values())} for {len(fetched)} distinct links fetched "
              f"({args.links} shared); most fetched link: {max(fetched.values(), default=0)} times")
        print(f"model calls: {stats['model_calls']}; the fake Slack answered {stats['faults']['429']} × 429 "
              f"and {stats['faults']['5xx']} × 5xx")
        for n, server in enumerate(servers):
            m = memory[server.proc.pid]
            print(f"process {n + 1}: peak RSS {m['main']:.0f} MB, largest worker {m['worker_max']:.0f} MB "
                  f"({m['workers']} processes below it over the run)")
        errors = collections.Counter()
        for i in range(len(servers)):
            with open(f"{tmp}/newsbot-{i}.log", errors="replace") as f:
                for line in f:
                    if " ERROR " in line or "Traceback" in line:
                        errors[line.split(": ", 1)[-1].strip()[:100]] += 1
        if errors:
            print("errors logged:", json.dumps(errors.most_common(5)))
        print(f"logs: {tmp}")
    finally:
        for server in servers:
            await server.stop()
        fakes.terminate()
        await fakes.wait()
        if args.postgres:
            await psql(admin, f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")


if __name__ == "__main__":
    asyncio.run(main())
