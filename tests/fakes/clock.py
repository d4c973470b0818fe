"""A clock for tests: it moves only when told, so schedules are tested without waiting for real minutes."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta


class ManualClock:
    """A clock that moves only when told: `set()` / `advance()` wake every sleeper so it re-checks."""

    def __init__(self, start: datetime) -> None:
        self._now = start.astimezone(UTC)
        self._moved = asyncio.Event()

    def now(self) -> datetime:
        return self._now

    def set(self, when: datetime) -> None:
        self._now = when.astimezone(UTC)
        self._moved.set()

    def advance(self, seconds: float) -> None:
        self.set(self._now + timedelta(seconds=seconds))

    async def sleep(self, seconds: float) -> None:
        if seconds <= 0:
            await asyncio.sleep(0)
            return
        self._moved.clear()
        try:
            # The real-time bound keeps a scheduler responsive to rows another process writes.
            await asyncio.wait_for(self._moved.wait(), timeout=0.05)
        except TimeoutError:
            pass
