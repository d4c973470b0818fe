"""Worker processes for CPU work: results come back, a crashed worker is reported and replaced, close
stops them all."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path

import pytest

from bot.analysis import offline
from bot.analysis.model import Article, Source
from bot.config import default_worker_processes, load_settings
from bot.cpu_pool import CpuPool, WorkerCrashed, run_cpu
from tests.fakes.fake_slack import message_event
from tests.fakes.slack_bot import running_bot

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = Article(text='"We are ready," the mayor said on Monday. The plan was reportedly delayed.', source=Source())


@pytest.fixture
async def pool():
    p = CpuPool(2)
    yield p
    await p.close()


async def test_work_runs_in_other_processes_and_comes_back_whole(pool):
    await pool.start()
    pids = set(await asyncio.gather(*(pool.run(os.getpid) for _ in range(8))))
    assert os.getpid() not in pids
    got = await pool.run(offline.analyze, ARTICLE, "x")
    assert got == offline.analyze(ARTICLE, "x")  # the same Analysis as in this process, byte for byte
    assert got.to_json() == offline.analyze(ARTICLE, "x").to_json()


class Unpicklable(Exception):
    def __init__(self, a: int, *, b: int) -> None:
        super().__init__(f"{a} {b}")


def _raise_unpicklable() -> None:
    raise Unpicklable(1, b=2)


async def test_errors_come_back_from_workers_as_themselves_and_never_break_the_pool(pool):
    from bot.fetch.errors import NoArticleText, TooLarge
    from bot.fetch.extract import extract_article

    with pytest.raises(NoArticleText) as no_text:
        await pool.run(extract_article, "", "https://example.com/news/empty")
    assert str(no_text.value) == str(NoArticleText(url="https://example.com/news/empty"))
    assert no_text.value.url == "https://example.com/news/empty"
    big = TooLarge(5_000_000, 12_000_000, url="https://example.com/x")
    with pytest.raises(TooLarge) as too_large:
        await pool.run(_raise, big)
    assert (str(too_large.value), too_large.value.size, too_large.value.url) == (str(big), big.size, big.url)
    # An exception class pickle cannot rebuild would break the executor in this process: it comes back
    # as a RuntimeError naming it, and the pool goes on.
    with pytest.raises(RuntimeError, match="Unpicklable: 1 2"):
        await pool.run(_raise_unpicklable)
    assert pool.crashes == 0 and await pool.run(os.getpid) != os.getpid()


def _raise(error: Exception) -> None:
    raise error


async def test_a_dead_worker_is_reported_as_a_sentence_and_the_pool_replaced(pool):
    with pytest.raises(WorkerCrashed) as crash:
        await pool.run(os._exit, 3)
    assert "stopped unexpectedly" in str(crash.value) and "try again" in str(crash.value)
    assert pool.crashes == 1
    assert await pool.run(os.getpid) != os.getpid()  # a fresh pool answers the next call


async def test_close_stops_every_worker():
    p = CpuPool(2)
    await p.start()
    pids = set(await asyncio.gather(*(p.run(os.getpid) for _ in range(4))))
    await p.close()
    assert await _all_gone(pids)


async def test_no_processes_means_a_thread_of_this_process():
    assert await run_cpu(CpuPool(0), os.getpid) == os.getpid()
    assert await run_cpu(None, os.getpid) == os.getpid()


def test_worker_processes_setting():
    assert load_settings({"NEWSBOT_WORKER_PROCESSES": "3"}).worker_processes == 3
    assert load_settings({"NEWSBOT_WORKER_PROCESSES": "0"}).worker_processes == 0
    assert load_settings({}).worker_processes == default_worker_processes()
    assert 1 <= default_worker_processes() <= 2


async def test_the_bot_answers_a_crash_in_its_workers_and_keeps_going(tmp_path):
    async with running_bot(tmp_path, NEWSBOT_WORKER_PROCESSES="1") as bot:
        from bot.slack.app import RUNTIME

        rt = bot.web_app[RUNTIME]
        real = rt.pipeline.run_url
        crashes = {"left": 1}

        async def crash_once(url, **kw):
            if crashes["left"]:
                crashes["left"] -= 1
                await rt.cpu.run(os._exit, 9)  # as if extraction had segfaulted in the worker
            return await real(url, **kw)

        rt.pipeline.run_url = crash_once
        link = bot.articles.url("/news/water")
        await bot.event(message_event(f"<{link}>", ts="1700000000.000001"))
        await bot.fake.wait_for(lambda f: len(f.of("chat.update")) == 1)
        [update] = bot.updates()
        assert "stopped unexpectedly" in update.args["text"]
        await bot.event(message_event(f"again <{link}>", ts="1700000000.000002"))
        await bot.fake.wait_for(lambda f: len(f.of("chat.update")) == 2)
        answer = bot.updates()[1].args
        assert "Harbor city weighs emergency water limits" in json.dumps(answer.get("blocks"))
        assert "stopped unexpectedly" not in answer["text"]


async def test_workers_end_when_their_bot_is_killed_outright(tmp_path):
    # A bot killed with SIGKILL never shuts its pool down: its workers must notice and go, not live on
    # holding memory and the bot's pipes (a reader of the bot's stderr would wait for ever).
    script = ("import asyncio, os, sys\nfrom bot.cpu_pool import CpuPool\n"
              "async def main():\n    p = CpuPool(2)\n    await p.start()\n"
              "    pids = set(await asyncio.gather(*(p.run(os.getpid) for _ in range(6))))\n"
              "    print(' '.join(map(str, pids)), flush=True)\n    await asyncio.sleep(60)\n"
              "asyncio.run(main())\n")
    proc = await asyncio.create_subprocess_exec(sys.executable, "-c", script, stdout=asyncio.subprocess.PIPE,
                                                stderr=asyncio.subprocess.PIPE, cwd=ROOT)
    line = await asyncio.wait_for(proc.stdout.readline(), timeout=60)
    workers = [int(pid) for pid in line.split()]
    assert workers
    proc.kill()
    # Every holder of the bot's stderr is gone once it reads to its end.
    await asyncio.wait_for(proc.communicate(), timeout=20)
    assert await _all_gone(workers)


async def _all_gone(pids) -> bool:
    for _ in range(100):  # a worker that has exited may be a zombie for a moment, until it is reaped
        if all(_gone(pid) for pid in pids):
            return True
        await asyncio.sleep(0.1)
    return False


def _gone(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] == "Z"
    except FileNotFoundError:
        return True
