"""The connection to NEWSBOT_DB: open (with migrations), every query retried under one policy, and the
atomic "claim once" every at-most-once guarantee is built on."""

from __future__ import annotations

import os
import secrets
import socket
import sqlite3
from collections.abc import Awaitable, Callable
from typing import Any, Self, TypeVar

from sqlalchemy import Table
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.store.connect import StoreError, create_engine, is_postgres, retrying, shown
from bot.store.migrate import current_revision, migrate

T = TypeVar("T")
Query = Callable[[AsyncConnection], Awaitable[T]]


class StoreClosed(ValueError):
    """The store was closed (ValueError, as for I/O on a closed file): a late caller must not quietly
    open new connections to a database this process has let go of."""


class Database:
    """Open with `await Store.open(NEWSBOT_DB)`; close with `await store.close()`."""

    def __init__(self, engine: AsyncEngine, db: str) -> None:
        self.engine = engine
        self.db = db
        self.backend = engine.dialect.name  # "sqlite" or "postgresql"
        # Who holds this process's leases and owed replies: unique per open store, readable in the table.
        self.holder = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"
        self._writer = engine.execution_options(newsbot_write=True)
        self.closed = False

    @classmethod
    async def open(cls, db: str, *, lease_seconds: float | None = None) -> Self:
        try:
            engine = create_engine(db)
        except (OSError, sqlite3.Error) as e:
            raise StoreError(f"NEWSBOT_DB={db!r} can't be opened as a SQLite database ({e}); "
                             "point it at a file in a writable directory") from None
        try:
            await migrate(engine, db)
        except BaseException as e:
            await engine.dispose()
            if isinstance(e, (SQLAlchemyError, OSError, sqlite3.Error)):
                raise StoreError(_unusable(db, e)) from None
            raise
        store = cls(engine, db)
        if lease_seconds is not None:
            store.lease_seconds = lease_seconds
        return store

    async def close(self) -> None:
        self.closed = True
        await self.engine.dispose()

    async def schema_version(self) -> int:
        async with self.engine.connect() as conn:
            revision = await conn.run_sync(current_revision)
        return int(revision or 0)

    async def read(self, query: Query[T], what: str = "reading") -> T:
        self._check_open()

        async def once() -> T:
            async with self.engine.connect() as conn:
                return await query(conn)

        return await retrying(once, what)

    async def write(self, query: Query[T], what: str = "writing") -> T:
        """One transaction, committed; retried whole while the database is locked or unreachable."""
        self._check_open()

        async def once() -> T:
            async with self._writer.begin() as conn:
                return await query(conn)

        return await retrying(once, what)

    def _check_open(self) -> None:
        if self.closed:
            raise StoreClosed("the store is closed")

    def insert(self, table: Table) -> Any:
        """INSERT with ON CONFLICT support, in this backend's dialect."""
        return (pg_insert if self.backend == "postgresql" else sqlite_insert)(table)

    async def claim_once(self, table: Table, **values: object) -> bool:
        """Insert `values` into `table` unless a row with the same unique key exists: True for the one
        caller (in any process) whose row went in, False for everyone else. Claim before the side effect
        (posting a digest, answering an event) so restarts and parallel processes cannot double it."""

        async def query(conn: AsyncConnection) -> bool:
            result = await conn.execute(self.insert(table).values(**values).on_conflict_do_nothing())
            return result.rowcount == 1

        return await self.write(query, f"claiming a {table.name} row")


def _unusable(db: str, e: BaseException) -> str:
    reason = e.orig if isinstance(e, DBAPIError) else e
    if is_postgres(db):
        return (f"NEWSBOT_DB={shown(db)!r}: can't use this PostgreSQL database ({type(reason).__name__}: "
                f"{reason}); check that the server is running and the database exists")
    return (f"NEWSBOT_DB={db!r} can't be used as newsbot's database ({reason}); "
            "point it at a new file, or at the one newsbot made")
