"""A throwaway PostgreSQL database per test, on the server NEWSBOT_TEST_POSTGRES_URL names.

Other suites share that server, so each database gets a unique name and is dropped afterwards.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
from collections.abc import AsyncIterator

import asyncpg

ENV = "NEWSBOT_TEST_POSTGRES_URL"
HOW = (f"PostgreSQL store tests skipped: set {ENV}=postgresql://postgres@127.0.0.1:5432/test "
       "(a server where that user may CREATE DATABASE) to run them")
_reachable: bool | None = None


def server_url() -> str | None:
    return os.environ.get(ENV) or None


def available() -> bool:
    """Is the server in NEWSBOT_TEST_POSTGRES_URL up? Asked once per test run."""
    global _reachable
    if _reachable is None:
        url = server_url()
        _reachable = bool(url) and asyncio.run(_ping(url))
    return _reachable


async def _ping(url: str) -> bool:
    try:
        conn = await asyncpg.connect(url, timeout=3)
    except (OSError, asyncpg.PostgresError, TimeoutError):
        return False
    await conn.close()
    return True


def _with_database(url: str, name: str) -> str:
    base, _, query = url.partition("?")
    head, _, _ = base.rpartition("/")
    return f"{head}/{name}" + (f"?{query}" if query else "")


@contextlib.asynccontextmanager
async def temporary_database(prefix: str = "newsbot_test") -> AsyncIterator[str]:
    """Yields the URL of a new, empty database; drops it (closing anyone still connected) afterwards."""
    url = server_url()
    assert url, ENV
    name = f"{prefix}_{os.getpid()}_{secrets.token_hex(4)}"
    admin = await asyncpg.connect(url)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    try:
        yield _with_database(url, name)
    finally:
        admin = await asyncpg.connect(url)
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()
