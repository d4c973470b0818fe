"""A bounded pool of analyses: a fixed number of workers and a queue of limited length.

Slack must be acked within 3 seconds whatever arrives, and fifty links pasted at once must not start
fifty downloads and fifty analyses side by side. Listeners ack, then `submit` a job here; a full queue
says so at once (the caller tells the user) instead of growing without end.

Jobs carry a key (the link). A job whose link already has a job queued or running does not take a place
in the queue: it follows that job, and the same worker runs it next, when the analysis is cached. A link
shared in fifty channels at once is one place in the queue, not fifty, and a flood of the same few links
is never answered "busy".
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)

Job = Callable[[], Awaitable[None]]


class WorkQueue:
    def __init__(self, workers: int, max_queued: int) -> None:
        self._queue: asyncio.Queue[tuple[Job, str | None]] = asyncio.Queue(maxsize=max_queued)
        self._size = workers
        self._workers: list[asyncio.Task[None]] = []
        self.active = 0
        # key → jobs waiting for the queued or running job with that key (its leader)
        self._followers: dict[str, list[Job]] = {}
        self._max_followers = max_queued * 20  # each is a few objects; the bound only stops a runaway

    def start(self) -> None:
        if not self._workers:
            self._workers = [asyncio.create_task(self._work(), name=f"newsbot-worker-{i}") for i in range(self._size)]

    def submit(self, job: Job, key: str | None = None) -> bool:
        """Queue `job` (after the job already queued or running for `key`, if any); False when the queue
        is full (the caller must tell the user, never drop silently)."""
        if key is not None and key in self._followers:
            if self.following >= self._max_followers:
                return False
            self._followers[key].append(job)
            return True
        try:
            self._queue.put_nowait((job, key))
        except asyncio.QueueFull:
            return False
        if key is not None:
            self._followers[key] = []
        return True

    @property
    def queued(self) -> int:
        return self._queue.qsize() + self.following

    @property
    def following(self) -> int:
        return sum(len(jobs) for jobs in self._followers.values())

    async def join(self) -> None:
        """Wait until every queued job, and every job following one, has finished (tests and benchmarks)."""
        await self._queue.join()

    async def close(self) -> None:
        for task in self._workers:
            task.cancel()
        await asyncio.gather(*self._workers, return_exceptions=True)
        self._workers = []
        self._followers.clear()  # their callers' placeholders are apologised for at shutdown

    async def _work(self) -> None:
        while True:
            job, key = await self._queue.get()
            self.active += 1
            try:
                await _run(job)
                # Then the jobs that came for the same link meanwhile, one by one: each is a cache hit now,
                # and running them here keeps the number of jobs at once bounded.
                while key is not None and self._followers.get(key):
                    await _run(self._followers[key].pop(0))
            finally:
                if key is not None:
                    self._followers.pop(key, None)
                self.active -= 1
                self._queue.task_done()


async def _run(job: Job) -> None:
    try:
        await job()
    except asyncio.CancelledError:
        raise
    except Exception:  # a job reports its own failures; this only keeps the worker alive
        log.exception("a queued job failed")
