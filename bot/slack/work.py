"""A bounded pool of analyses: a fixed number of workers and a queue of limited length.

Slack must be acked within 3 seconds whatever arrives, and fifty links pasted at once must not start
fifty downloads and fifty analyses side by side. Listeners ack, then `submit` a job here; a full queue
says so at once (the caller tells the user) instead of growing without end.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)

Job = Callable[[], Awaitable[None]]


class WorkQueue:
    def __init__(self, workers: int, max_queued: int) -> None:
        self._queue: asyncio.Queue[Job] = asyncio.Queue(maxsize=max_queued)
        self._size = workers
        self._workers: list[asyncio.Task[None]] = []
        self.active = 0

    def start(self) -> None:
        if not self._workers:
            self._workers = [asyncio.create_task(self._work(), name=f"newsbot-worker-{i}") for i in range(self._size)]

    def submit(self, job: Job) -> bool:
        """Queue `job`; False when the queue is full (the caller must tell the user, never drop silently)."""
        try:
            self._queue.put_nowait(job)
        except asyncio.QueueFull:
            return False
        return True

    @property
    def queued(self) -> int:
        return self._queue.qsize()

    async def join(self) -> None:
        """Wait until every queued job has finished (tests and benchmarks)."""
        await self._queue.join()

    async def close(self) -> None:
        for task in self._workers:
            task.cancel()
        await asyncio.gather(*self._workers, return_exceptions=True)
        self._workers = []

    async def _work(self) -> None:
        while True:
            job = await self._queue.get()
            self.active += 1
            try:
                await job()
            except asyncio.CancelledError:
                raise
            except Exception:  # a job reports its own failures; this only keeps the worker alive
                log.exception("a queued job failed")
            finally:
                self.active -= 1
                self._queue.task_done()
