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
