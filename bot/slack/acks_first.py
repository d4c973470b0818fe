"""Acks before everything else: the work that follows an ack yields the event loop to requests being acked.

On one event loop, the store writes, Slack calls and Block Kit rendering for events already acked compete
with the requests still waiting for theirs; in a burst, each ack waits behind the work of those before it,
and the slowest acks grow with the burst. Work that can wait a moment (Bolt's dispatch of an event acked at
the door, a listener about to start, an answer about to be rendered) waits here until no request is being
acked, for at most `max_wait` seconds, so a steady flood still makes progress.

Waiters are let go one at a time, oldest first, each only while no request is being acked. Waking them all
at once would cost a burst of hundreds of waiting events one wake-up each every time the acks pause for a
moment, which is what made the acks slow in the first place.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from collections.abc import Iterator

# Long next to an ack (a few ms), short next to an analysis (seconds) and far below Slack's 3 s.
MAX_WAIT = 0.5
# How long after the last ack the loop counts as idle. In a burst, the next request is often still in its
# socket when the one before it is answered; letting work go in that gap puts it ahead of that request.
QUIET = 0.005


class AcksFirst:
    def __init__(self, max_wait: float = MAX_WAIT, quiet: float = QUIET) -> None:
        self.max_wait = max_wait
        self.quiet = quiet
        self._acking = 0
        self._last_ack = float("-inf")  # loop time when the last request was answered
        self._waiters: deque[asyncio.Future[None]] = deque()
        self._releasing = False

    @property
    def waiting(self) -> int:
        return sum(1 for w in self._waiters if not w.done())

    @contextlib.contextmanager
    def acking(self) -> Iterator[None]:
        """Around the handling of one request, from its arrival until its response is returned."""
        self._acking += 1
        try:
            yield
        finally:
            self._acking -= 1
            loop = asyncio.get_running_loop()
            self._last_ack = loop.time()
            if not self._acking and self._waiters and not self._releasing:
                self._releasing = True
                loop.call_later(self.quiet, self._release_one)

    def _release_one(self) -> None:
        """Let the oldest waiter go; once it has run up to its next pause, the next one, while still idle.
        `set_result` schedules the waiter's step before this callback's next turn, so they alternate."""
        while self._waiters and self._waiters[0].done():  # timed out or cancelled
            self._waiters.popleft()
        if self._acking or not self._waiters:
            self._releasing = False
            return
        loop = asyncio.get_running_loop()
        quiet_for = loop.time() - self._last_ack
        if quiet_for < self.quiet:
            loop.call_later(self.quiet - quiet_for, self._release_one)
            return
        self._waiters.popleft().set_result(None)
        loop.call_soon(self._release_one)

    async def wait(self) -> None:
        """Return once no request is being acked, or after `max_wait` seconds."""
        loop = asyncio.get_running_loop()
        if not self._acking and not self._waiters and loop.time() - self._last_ack >= self.quiet:
            return
        waiter: asyncio.Future[None] = loop.create_future()
        self._waiters.append(waiter)
        if not self._acking and not self._releasing:  # idle, but others are queued or acks just ended
            self._releasing = True
            loop.call_soon(self._release_one)
        timer = loop.call_later(self.max_wait, _wake, waiter)
        try:
            await waiter
        finally:
            timer.cancel()


def _wake(waiter: asyncio.Future[None]) -> None:
    if not waiter.done():
        waiter.set_result(None)
