"""A throwaway PostgreSQL database per test run, on the server NEWSBOT_TEST_POSTGRES_URL names, emptied
before each test that uses it.

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
DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/test"
HOW = (f"PostgreSQL store tests skipped: set {ENV}={DEFAULT_URL} "
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


def create_database(prefix: str = "newsbot_test") -> str:
    """A new, empty database for this test run (outside any event loop); returns its URL."""
    return asyncio.run(_create(prefix))


def drop_database(url: str) -> None:
    asyncio.run(_drop(url))


async def _create(prefix: str) -> str:
    url = server_url()
    assert url, ENV
    name = f"{prefix}_{os.getpid()}_{secrets.token_hex(4)}"
    admin = await asyncpg.connect(url)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    return _with_database(url, name)


async def _drop(url: str) -> None:
    name = url.partition("?")[0].rpartition("/")[2]
    admin = await asyncpg.connect(server_url())
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


def reset(url: str) -> None:
    """Empty the database for the next test (outside any event loop): cheaper than a new database each time."""
    asyncio.run(_reset(url))


async def _reset(url: str) -> None:
    conn = await asyncpg.connect(url)
    try:
        await conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                           "WHERE datname = current_database() AND pid <> pg_backend_pid()")
        await conn.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    finally:
        await conn.close()


@contextlib.asynccontextmanager
async def temporary_database(prefix: str = "newsbot_test") -> AsyncIterator[str]:
    """Yields the URL of a new, empty database; drops it (closing anyone still connected) afterwards."""
    url = await _create(prefix)
    try:
        yield url
    finally:
        await _drop(url)


class Outage:
    """A TCP relay in front of the PostgreSQL server: `await cut()` drops every connection and refuses new
    ones, as a server restart does; `await restore()` listens again on the same port."""

    def __init__(self, url: str) -> None:
        from urllib.parse import urlsplit

        parts = urlsplit(url)
        self._target = (parts.hostname or "127.0.0.1", parts.port or 5432)
        self._url = url
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self.port = 0

    @property
    def url(self) -> str:
        host, port = self._target
        return self._url.replace(f"{host}:{port}", f"127.0.0.1:{self.port}", 1)

    async def restore(self) -> None:
        self._server = await asyncio.start_server(self._relay, "127.0.0.1", self.port)
        self.port = self._server.sockets[0].getsockname()[1]

    async def cut(self) -> None:
        assert self._server is not None
        self._server.close()
        for w in list(self._writers):
            w.transport.abort()
        await self._server.wait_closed()

    async def _relay(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection(*self._target)
        self._writers |= {writer, up_writer}

        async def pipe(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
            try:
                while data := await src.read(65536):
                    dst.write(data)
                    await dst.drain()
            except (ConnectionError, OSError):
                pass
            finally:
                dst.transport.abort()
                self._writers.discard(dst)

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))
