"""What the Slack benches share: start the fakes, `newsbot serve` and a bare Bolt app as processes, send
signed events as Slack does, and read latency and memory.

Everything but the load generator runs in processes of its own, so the latencies measure the servers,
not the bench's own event loop.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.fakes.fake_slack import message_event, signed_headers  # noqa: E402

SECRET = "bench-secret"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def descendants(pid: int) -> list[int]:
    """Every process below `pid` (worker processes and their fork server)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


class PeakRss:
    """Samples the resident memory of some processes and all their descendants until stopped."""

    def __init__(self, pids: Sequence[int], every: float = 0.05) -> None:
        self.roots = list(pids)
        self.peak: dict[int, float] = {}
        self.parent_of: dict[int, int] = {}
        self._task = asyncio.get_running_loop().create_task(self._sample(every))

    async def _sample(self, every: float) -> None:
        while True:
            for root in self.roots:
                for pid in [root, *descendants(root)]:
                    self.parent_of.setdefault(pid, root)
                    self.peak[pid] = max(self.peak.get(pid, 0.0), rss_mb(pid))
            await asyncio.sleep(every)

    async def stop(self) -> dict[int, dict[str, float]]:
        """Per root process: its own peak, the largest peak among its descendants, and their count."""
        self._task.cancel()
        await asyncio.gather(self._task, return_exceptions=True)
        out = {}
        for root in self.roots:
            below = [mb for pid, mb in self.peak.items() if self.parent_of.get(pid) == root and pid != root]
            out[root] = {"main": self.peak.get(root, 0.0), "worker_max": max(below, default=0.0),
                         "workers": len(below)}
        return out


@dataclass
class Server:
    proc: asyncio.subprocess.Process
    base: str

    @property
    def events_url(self) -> str:
        return self.base + "/slack/events"

    async def stop(self) -> None:
        if self.proc.returncode is None:
            self.proc.terminate()
            try:
                await asyncio.wait_for(self.proc.wait(), timeout=30)
            except TimeoutError:
                self.proc.kill()
                await self.proc.wait()


async def _wait_http(base: str, path: str, proc: asyncio.subprocess.Process, what: str) -> None:
    async with aiohttp.ClientSession() as session:
        for _ in range(600):
            if proc.returncode is not None:
                raise SystemExit(f"{what} exited with {proc.returncode}")
            try:
                async with session.get(base + path) as resp:
                    await resp.read()
                    return
            except aiohttp.ClientError:
                await asyncio.sleep(0.1)
    raise SystemExit(f"{what} did not start")


async def start_fakes(*args: str) -> tuple[asyncio.subprocess.Process, dict]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, str(ROOT / "bench" / "fake_services.py"), *args, stdout=asyncio.subprocess.PIPE, cwd=ROOT,
    )
    assert proc.stdout is not None
    line = await asyncio.wait_for(proc.stdout.readline(), timeout=60)
    if not line:
        raise SystemExit("fake services did not start")
    return proc, json.loads(line)


async def fake_stats(info: dict) -> dict:
    async with aiohttp.ClientSession() as session, session.get(info["stats"]) as resp:
        return await resp.json()


async def start_newsbot(env: dict[str, str], *, log: str | None = None, profile: str | None = None) -> Server:
    """`newsbot serve` as a process; `profile` records where its main process spends time (py-spy's
    collapsed stacks, when py-spy is installed) into that file."""
    port = free_port()
    full = {**os.environ, "SLACK_BOT_TOKEN": "xoxb-bench", "SLACK_SIGNING_SECRET": SECRET, "PORT": str(port),
            "NEWSBOT_FETCH_ALLOW_HOSTS": "127.0.0.1", **env}
    full.pop("SLACK_APP_TOKEN", None)
    out = open(log, "ab") if log else asyncio.subprocess.DEVNULL  # noqa: SIM115 - handed to the child
    proc = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", "serve", env=full, cwd=ROOT,
                                                stdout=out, stderr=out if log else None)
    base = f"http://127.0.0.1:{port}"
    await _wait_http(base, "/healthz", proc, "newsbot serve")
    if profile:  # py-spy stops, and writes the file, when newsbot exits
        await asyncio.create_subprocess_exec(
            str(Path(sys.executable).with_name("py-spy")), "record", "--format", "raw", "--rate", "250",
            "--pid", str(proc.pid), "-o", profile, stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL)
        await asyncio.sleep(1)
    return Server(proc, base)


async def start_bare_bolt() -> Server:
    port = free_port()
    proc = await asyncio.create_subprocess_exec(
        sys.executable, str(ROOT / "bench" / "bare_bolt.py"), "--port", str(port), "--secret", SECRET,
        cwd=ROOT, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    await _wait_http(base, "/slack/events", proc, "the bare Bolt app")
    return Server(proc, base)


def signed_events(links: Sequence[str], count: int, channel: str, *, start: int = 0) -> list[tuple[bytes, dict]]:
    """`count` message events (link i % len(links)), each from its own message, signed now."""
    out = []
    for i in range(start, start + count):
        ts = f"1700000000.{i:06d}"
        body = json.dumps(message_event(f"worth a read <{links[i % len(links)]}>", channel=channel, ts=ts,
                                        event_id=f"EvBench{channel}{i:07d}"))
        out.append((body.encode(), signed_headers(SECRET, body)))
    return out


async def send(urls: Sequence[str], requests: Sequence[tuple[bytes, dict]], at_once: int,
               gap: float = 0.0) -> list[float]:
    """POST every request, `at_once` in flight, spread over `urls` in turn (a load balancer); returns each
    one's ack latency in seconds. With `gap`, in waves of `at_once` that many seconds apart, so that later
    acks land while earlier analyses run. A non-200 answer stops the bench."""
    latencies: list[float] = []
    gate = asyncio.Semaphore(at_once)
    connector = aiohttp.TCPConnector(limit=0)

    async with aiohttp.ClientSession(connector=connector) as session:
        async def one(i: int, body: bytes, headers: dict) -> None:
            url = urls[i % len(urls)]
            async with gate:
                started = time.perf_counter()
                async with session.post(url, data=body, headers=headers) as resp:
                    await resp.read()
                    latencies.append(time.perf_counter() - started)
                    if resp.status != 200:
                        raise SystemExit(f"event {i} answered {resp.status}")

        # Open the connections first so the numbers measure acks, not TCP handshakes.
        warm = [session.get(u.replace("/slack/events", "/healthz")) for u in urls for _ in range(at_once)]
        for response in await asyncio.gather(*warm, return_exceptions=True):
            if isinstance(response, aiohttp.ClientResponse):
                response.release()
        if gap <= 0:
            await asyncio.gather(*(one(i, body, headers) for i, (body, headers) in enumerate(requests)))
            return latencies
        for start in range(0, len(requests), at_once):
            wave = requests[start : start + at_once]
            await asyncio.gather(*(one(start + i, body, headers) for i, (body, headers) in enumerate(wave)))
            await asyncio.sleep(gap)
    return latencies


def pct(values: Sequence[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def summary_ms(latencies: Sequence[float]) -> str:
    ms = [x * 1000 for x in latencies]
    return f"p50 {pct(ms, 50):7.1f} ms   p99 {pct(ms, 99):7.1f} ms   max {max(ms):7.1f} ms"
