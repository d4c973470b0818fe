"""CPU work (article extraction, the offline engine) in worker processes.

The process that acks Slack runs one event loop. A thread doing seconds of pure-Python work holds the GIL
in slices, and every ack waits behind them; a process does not. `CpuPool(n)` runs a picklable function in
one of `n` worker processes (NEWSBOT_WORKER_PROCESSES), or in a thread when `n` is 0 (the command line,
tests, a machine with one core to spare).

Workers are forked from a clean server process (forkserver; spawn where there is none), never from the
running bot, whose event loop, sockets and database threads must not be copied. They run at a lower
scheduling priority, so on a busy machine the acking process is served first. A worker that dies (a
segfault in a C extension, the OOM killer) breaks the whole executor in `concurrent.futures`: the callers
get `WorkerCrashed`, which reads as a sentence, and the next call starts a fresh pool.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import os
import pickle
import select
import signal
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")

# Imported once by the fork server, so each worker starts with them in memory (and shares their pages).
_PRELOAD = ["bot.fetch.extract", "bot.analysis.offline", "trafilatura"]
# A worker is replaced after this many tasks: whatever lxml or trafilatura keeps around is given back.
MAX_TASKS_PER_WORKER = 500
# Worker niceness: below the acking process, which stays at the default 0.
WORKER_NICENESS = 10
CLOSE_TIMEOUT = 10.0
OWNER_POLL_SECONDS = 1.0  # where the owner's exit cannot be waited for (no pidfd), how often to look


class WorkerCrashed(RuntimeError):
    """A worker process died while doing this job (it is replaced for the next one)."""

    def __str__(self) -> str:
        return "the process reading it stopped unexpectedly (it has been restarted); please try again"


def _worker_init(owner: int) -> None:
    with contextlib.suppress(OSError):
        os.nice(WORKER_NICENESS)
    # Ctrl-C reaches the whole process group; the parent decides when workers stop.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with, args=(owner,), name="newsbot-owner-watch", daemon=True).start()


def _exit_with(owner: int) -> None:
    """End this worker when the bot that owns it is gone. A bot killed outright (SIGKILL, the OOM killer)
    never shuts its pool down, and a worker waiting for its next job would wait forever, holding memory
    and the bot's output pipes open."""
    try:
        ready = os.pidfd_open(owner)  # Linux: readable once the process has exited
    except (AttributeError, OSError):
        ready = None
    if ready is not None:
        select.select([ready], [], [])
    else:
        while _alive(owner):
            time.sleep(OWNER_POLL_SECONDS)
    os._exit(0)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


def _ready() -> int:
    return os.getpid()


def _call(fn: Callable[..., T], args: tuple) -> T:
    """fn(*args) in the worker. An exception that would not survive the trip back (its class cannot be
    rebuilt from a pickle) would break the whole pool in the parent, so it goes back as a RuntimeError
    naming it."""
    try:
        return fn(*args)
    except Exception as e:
        try:
            pickle.loads(pickle.dumps(e))
        except Exception:
            raise RuntimeError(f"{type(e).__name__}: {e}") from None
        raise


def _context() -> multiprocessing.context.BaseContext:
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(_PRELOAD)
        return ctx
    return multiprocessing.get_context("spawn")


async def run_cpu(cpu: CpuPool | None, fn: Callable[..., T], *args: object) -> T:
    """fn(*args) off the event loop: in `cpu`'s workers, or in a thread when there is no pool (the
    command line and tests, where nothing waits on the loop)."""
    if cpu is None:
        return await asyncio.to_thread(fn, *args)
    return await cpu.run(fn, *args)


class CpuPool:
    """`await pool.run(fn, *args)`: fn(*args) in a worker process (or a thread when processes == 0)."""

    def __init__(self, processes: int) -> None:
        self.processes = max(0, processes)
        self._executor: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()  # start() runs in a thread; run() on the loop
        self.crashes = 0

    def _current(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._executor is None:
                self._executor = ProcessPoolExecutor(
                    max_workers=self.processes, mp_context=_context(), initializer=_worker_init,
                    initargs=(os.getpid(),), max_tasks_per_child=MAX_TASKS_PER_WORKER,
                )
            return self._executor

    async def start(self) -> None:
        """Start every worker now (at serve start-up) rather than on the first link: the fork server
        imports trafilatura once, which takes a second, and that second must not be an ack's."""
        if self.processes == 0:
            return
        executor = self._current()

        def warm() -> None:
            # One task per worker: each submit with no idle worker starts one more.
            futures = [executor.submit(_ready) for _ in range(self.processes)]
            for future in futures:
                future.result()

        await asyncio.to_thread(warm)

    async def run(self, fn: Callable[..., T], *args: object) -> T:
        if self.processes == 0:
            return await asyncio.to_thread(fn, *args)
        executor = self._current()
        try:
            return await asyncio.get_running_loop().run_in_executor(executor, _call, fn, args)
        except BrokenProcessPool:
            self._discard(executor)
            raise WorkerCrashed() from None

    def _discard(self, broken: ProcessPoolExecutor) -> None:
        with self._lock:
            if self._executor is not broken:
                return  # another caller already replaced it
            self._executor = None
            self.crashes += 1
        log.error("a worker process died; starting a new pool (%d so far)", self.crashes)
        broken.shutdown(wait=False, cancel_futures=True)

    async def close(self, timeout: float = CLOSE_TIMEOUT) -> None:
        """Stop the workers: running jobs get `timeout` seconds, queued ones are dropped (their callers
        are being shut down too), and a worker stuck past that is killed."""
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is None:
            return
        # The private process table is the only handle on workers for a kill; it may change between
        # Python versions, so it is read defensively.
        processes = list((getattr(executor, "_processes", None) or {}).values())
        stop = asyncio.ensure_future(asyncio.to_thread(executor.shutdown, wait=True, cancel_futures=True))
        done, _ = await asyncio.wait({stop}, timeout=timeout)
        if not done:
            log.warning("worker processes still busy after %.0f s at shutdown; killing them", timeout)
            for process in processes:
                with contextlib.suppress(Exception):
                    process.kill()
            await stop
