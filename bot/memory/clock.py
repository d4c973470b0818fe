"""The time the scheduler lives by, injectable so tests travel in time instead of sleeping."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """An aware UTC datetime."""

    async def sleep(self, seconds: float) -> None:
        """Wait `seconds` of this clock's time (may return early; callers re-check the time)."""


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(max(seconds, 0.0))
