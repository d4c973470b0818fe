"""Acks before everything else: the work that follows an ack yields the event loop to requests being acked.

On one event loop, the store writes, Slack calls and Block Kit rendering for events already acked compete
with the requests still waiting for theirs; in a burst, each ack waits behind the work of those before it,
and the slowest acks grow with the burst. Work that can wait a moment (a listener about to start, an
answer about to be rendered) waits here until no request is being acked, for at most `max_wait` seconds,
so a steady flood still makes progress.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator

# Long next to an ack (a few ms), short next to an analysis (seconds) and far below Slack's 3 s.
MAX_WAIT = 0.5


class AcksFirst:
    def __init__(self, max_wait: float = MAX_WAIT) -> None:
        self.max_wait = max_wait
        self._acking = 0
        self._idle: asyncio.Event | None = None  # made on first use, inside the running loop

    @contextlib.contextmanager
    def acking(self) -> Iterator[None]:
        """Around the handling of one request, from its arrival until its response is returned."""
        self._acking += 1
        try:
            yield
        finally:
            self._acking -= 1
            if not self._acking and self._idle is not None:
                self._idle.set()

    async def wait(self) -> None:
        """Return once no request is being acked, or after `max_wait` seconds."""
        if not self._acking:
            return
        if self._idle is None:
            self._idle = asyncio.Event()
        deadline = asyncio.get_running_loop().time() + self.max_wait
        # Woken together when the acks are done, the waiters go on one by one: a new request arriving
        # meanwhile puts the rest back to waiting instead of queueing behind all of them.
        while self._acking:
            left = deadline - asyncio.get_running_loop().time()
            if left <= 0:
                return
            self._idle.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._idle.wait(), left)
            await asyncio.sleep(0)
