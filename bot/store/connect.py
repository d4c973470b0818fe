"""NEWSBOT_DB → an async SQLAlchemy engine, and the retry policy every query runs under.

A SQLite path (the embedded default) opens with WAL, a busy timeout and `BEGIN IMMEDIATE` for writes, so
several processes can share the file; "database is locked" that outlasts the busy timeout is retried with
backoff. A `postgresql://` URL opens an asyncpg pool that pings each connection before use, so a restarted
server costs a retried query, not a restarted bot.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

from sqlalchemy import event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import AsyncAdaptedQueuePool
from tenacity import AsyncRetrying, retry_if_exception, stop_after_delay, wait_exponential, wait_random

from bot.config import ConfigError

log = logging.getLogger(__name__)

T = TypeVar("T")
SQLITE_BUSY_MS = 5000
# How long a query keeps being retried while the database is locked or unreachable (a PostgreSQL restart
# takes a few seconds); after that the caller gets the error and tells the user.
RETRY_SECONDS = 20.0
_PG_SCHEMES = ("postgresql", "postgres")
# Backoff with jitter, so processes that hit the same lock do not retry in step.
_WAIT = wait_exponential(multiplier=0.02, max=1.0) + wait_random(0, 0.05)


class StoreError(ConfigError, RuntimeError):
    """The database at NEWSBOT_DB can't be used; the message names the setting, so start-up stops with a
    sentence an admin can act on instead of a traceback."""


class StoreUnavailable(RuntimeError):
    """A query still failed after the retries (the database stayed locked or unreachable)."""


def is_postgres(db: str) -> bool:
    return db.split(":", 1)[0].split("+", 1)[0].lower() in _PG_SCHEMES and "://" in db


def shown(db: str) -> str:
    """NEWSBOT_DB as it may appear in a message or a log: a PostgreSQL password is masked."""
    if not is_postgres(db):
        return db
    try:
        return make_url(db).render_as_string(hide_password=True)
    except ArgumentError:
        return "postgresql://…"


def database_url(db: str) -> URL:
    if is_postgres(db):
        try:
            return make_url(db).set(drivername="postgresql+asyncpg")
        except ArgumentError as e:
            raise StoreError(f"NEWSBOT_DB={shown(db)!r} is not a PostgreSQL URL ({e})") from None
    if db == ":memory:":
        return URL.create("sqlite+aiosqlite", database=":memory:")
    return URL.create("sqlite+aiosqlite", database=str(Path(db).expanduser()))


def create_engine(db: str) -> AsyncEngine:
    url = database_url(db)
    # An error's text never carries the statement's values (whole analyses, user ids) into the log.
    quiet = {"hide_parameters": True}
    if url.get_backend_name() == "postgresql":
        return create_async_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10, pool_recycle=1800,
                                   **quiet)
    if url.database == ":memory:":
        # Each connection would see its own empty database: one connection, taken in turns.
        engine = create_async_engine(url, poolclass=AsyncAdaptedQueuePool, pool_size=1, max_overflow=0,
                                     pool_timeout=RETRY_SECONDS, **quiet)
    else:
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        # Fail here, in this thread, with sqlite3's own message: a file that is not a database, a directory.
        sqlite3.connect(url.database).close()
        engine = create_async_engine(url, connect_args={"timeout": SQLITE_BUSY_MS / 1000}, **quiet)
    _sqlite_transactions(engine)
    return engine


def _sqlite_transactions(engine: AsyncEngine) -> None:
    """SQLite's Python driver opens transactions lazily and never for DDL; taking them over makes
    migrations atomic and lets a write transaction take the lock up front (BEGIN IMMEDIATE), where the
    busy timeout applies, instead of failing when a read upgrades to a write."""

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:  # noqa: ANN001 - SQLAlchemy's callback signature
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn) -> None:  # noqa: ANN001
        immediate = conn.get_execution_options().get("newsbot_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def transient(exc: BaseException) -> bool:
    """A failure worth trying again: SQLite locked or busy; PostgreSQL gone (restart, network)."""
    if isinstance(exc, DBAPIError):
        if exc.connection_invalidated:
            return True
        text = str(exc.orig).lower()
        if "database is locked" in text or "database is busy" in text or "database table is locked" in text:
            return True
        name = type(exc.orig).__name__
        return name in {"CannotConnectNowError", "ConnectionDoesNotExistError", "AdminShutdownError",
                        "ConnectionFailureError", "InterfaceError", "TooManyConnectionsError"} or (
            "connection" in text and ("closed" in text or "refused" in text or "reset" in text))
    return isinstance(exc, (ConnectionError, OSError, TimeoutError))


async def retrying(call: Callable[[], Awaitable[T]], what: str) -> T:
    """`call()` retried with backoff while the failure is transient; StoreUnavailable after RETRY_SECONDS."""
    try:
        async for attempt in AsyncRetrying(
            retry=retry_if_exception(transient),
            stop=stop_after_delay(RETRY_SECONDS),
            wait=_WAIT,
            reraise=True,
        ):
            with attempt:
                return await call()
    except Exception as e:
        if transient(e):
            log.warning("the store is unavailable (%s): %s", what, e)
            raise StoreUnavailable(f"the database stayed unavailable while {what}") from e
        raise
    raise AssertionError("unreachable")  # pragma: no cover
