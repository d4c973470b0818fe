"""Ack latency of `newsbot serve` against a bare Bolt app that only acks, in the same run.

    .venv/bin/python bench/bench_acks.py [--rounds 1] [--links 20] [--workers N]
    .venv/bin/python bench/bench_acks.py --processes 2 --postgres    # two of each, newsbot on one database

For each load (200 signed message events 50 at a time, then 1,000 events 100 at a time) the bare app is
measured, then newsbot (offline engine, a fresh SQLite file), each as its own process, with the fakes
(Slack Web API, article server) in a third. Every event is a new message with one of `--links` article
links that all serve the same story. Prints p50/p99/max for both, newsbot's p99 as a multiple of the bare
app's (target ≤ 1.2 at 200/50) and its max (target < 3 s at 1,000/100), how long until every reply was
final, and article fetches against distinct links. With --processes N, N bare apps and N newsbot processes
(sharing one SQLite file, or with --postgres a PostgreSQL database of their own on NEWSBOT_BENCH_POSTGRES,
created and dropped here) take the events in turn, as behind a load balancer.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
import uuid

from bench_load import PG_DEFAULT, psql
from harness import (
    PeakRss,
    fake_stats,
    pct,
    send,
    signed_events,
    start_bare_bolt,
    start_fakes,
    start_newsbot,
    summary_ms,
)

LOADS = ((200, 50), (1000, 100))


async def wait_final(info: dict, expected: int, timeout: float) -> tuple[float, dict]:
    started = time.perf_counter()
    while True:
        stats = await fake_stats(info)
        if len(stats["updates"]) >= expected or time.perf_counter() - started > timeout:
            return time.perf_counter() - started, stats
        await asyncio.sleep(0.25)


async def one_load(info: dict, db: str, events: int, at_once: int, round_no: int, env: dict,
                   gap: float, profile: str | None, processes: int) -> tuple[float, float]:
    channel = f"CACK{events}R{round_no}"
    bares = [await start_bare_bolt() for _ in range(processes)]
    try:
        bare_lat = await send([b.events_url for b in bares], signed_events(info["links"], events, channel + "B"),
                              at_once, gap)
    finally:
        for bare in bares:
            await bare.stop()

    before = await fake_stats(info)
    apps = []
    try:
        for i in range(processes):
            apps.append(await start_newsbot(
                {"SLACK_API_URL": info["slack_api"], "NEWSBOT_ENGINE": "offline", "NEWSBOT_DB": db, **env},
                profile=profile and i == 0 and f"{profile}.{events}.txt"))
        rss = PeakRss([app.proc.pid for app in apps])
        started = time.perf_counter()
        app_lat = await send([app.events_url for app in apps], signed_events(info["links"], events, channel),
                             at_once, gap)
        acked = time.perf_counter() - started
        waited, stats = await wait_final(info, len(before["updates"]) + events, timeout=600)
        memory = max((await rss.stop()).values(), key=lambda m: m["main"])
    finally:
        for app in apps:
            await app.stop()

    fetches = sum(stats["fetches"].values()) - sum(before["fetches"].values())
    new = stats["updates"][len(before["updates"]):]
    replies = len(new)
    failed = sum(1 for u in new if u["text"].startswith(":warning:"))
    ratio = pct(app_lat, 99) / pct(bare_lat, 99)
    print(f"{events} events, {at_once} at a time, over {processes} process(es) of each (round {round_no}):")
    print(f"  bare Bolt  {summary_ms(bare_lat)}")
    print(f"  newsbot    {summary_ms(app_lat)}   p99 = {ratio:.2f}x bare   (all acked in {acked:.1f} s)")
    print(f"  {replies}/{events} replies final ({failed} of them failures) {acked + waited:.1f} s after the first event; "
          f"{fetches} article fetches for {len(info['links'])} distinct links; peak RSS "
          f"{memory['main']:.0f} MB main, {memory['worker_max']:.0f} MB per worker ({memory['workers']} below it; "
          "the largest process)",
          flush=True)
    return ratio, max(app_lat)


async def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=3,
                    help="bare app and newsbot measured in turn this many times (the machine's own noise shows)")
    ap.add_argument("--links", type=int, default=20)
    ap.add_argument("--workers", help="NEWSBOT_WORKER_PROCESSES for newsbot (default: its own default)")
    ap.add_argument("--gap", type=float, default=0.0,
                    help="seconds between waves of at-once events (default 0: one continuous burst)")
    ap.add_argument("--distinct", action="store_true",
                    help="every link a different story (every event a fresh analysis), not one wire story")
    ap.add_argument("--profile", help="record newsbot's main process with py-spy into PROFILE.<events>.txt")
    ap.add_argument("--only", choices=["200", "1000"], help="run one load only")
    ap.add_argument("--processes", type=int, default=1, help="bare apps and newsbot processes, each")
    ap.add_argument("--postgres", action="store_true",
                    help="newsbot's processes share a PostgreSQL database, not a SQLite file")
    args = ap.parse_args()
    env = {"NEWSBOT_WORKER_PROCESSES": args.workers} if args.workers is not None else {}

    fakes, info = await start_fakes("--links", str(args.links), *([] if args.distinct else ["--same-text"]))
    tmp = tempfile.mkdtemp(prefix="newsbot-acks-")
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
    admin = os.environ.get("NEWSBOT_BENCH_POSTGRES", PG_DEFAULT)
    databases: list[str] = []
    results: dict[int, list[tuple[float, float]]] = {}
    try:
        for round_no in range(1, args.rounds + 1):
            for events, at_once in LOADS:
                if args.only and str(events) != args.only:
                    continue
                db = f"{tmp}/acks-{events}-{round_no}.sqlite"
                if args.postgres:  # a fresh database per load, as the fresh SQLite file
                    databases.append(f"newsbot_acks_{uuid.uuid4().hex[:10]}")
                    await psql(admin, f"CREATE DATABASE {databases[-1]}")
                    db = admin.rsplit("/", 1)[0] + "/" + databases[-1]
                results.setdefault(events, []).append(
                    await one_load(info, db, events, at_once, round_no, env, args.gap, args.profile,
                                   args.processes))
        for events, runs in results.items():
            ratios = ", ".join(f"{r:.2f}" for r, _ in runs)
            print(f"{events} events: newsbot p99 / bare p99 per round {ratios} (median "
                  f"{statistics.median(r for r, _ in runs):.2f}); newsbot max ack "
                  f"{max(m for _, m in runs) * 1000:.0f} ms")
    finally:
        fakes.terminate()
        await fakes.wait()
        for database in databases:
            await psql(admin, f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")


if __name__ == "__main__":
    asyncio.run(main())
