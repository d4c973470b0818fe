"""Which store failures are retried: the errors as SQLAlchemy hands them over, wrapped around the driver's."""

from __future__ import annotations

import sqlite3

import asyncpg
import pytest
from sqlalchemy.dialects.postgresql.asyncpg import AsyncAdapt_asyncpg_dbapi
from sqlalchemy.exc import DBAPIError

from bot.store.connect import transient

_PG = AsyncAdapt_asyncpg_dbapi(asyncpg)


def wrapped_pg(error: Exception) -> DBAPIError:
    """What a query raises through SQLAlchemy's asyncpg dialect: asyncpg's error, translated into the
    adapter's class (named `Error`, `InterfaceError`…), wrapped in a DBAPIError."""
    translate = _PG._asyncpg_error_translate
    adapted_class = next(translate[c] for c in type(error).__mro__ if c in translate)
    try:
        try:
            raise error
        except Exception as e:
            raise adapted_class(str(e), e) from e
    except Exception as adapted:
        return DBAPIError.instance("SELECT 1", {}, adapted, _PG.Error)


def pg_error(cls: type, message: str) -> Exception:
    return cls(message)


@pytest.mark.parametrize("error", [
    pg_error(asyncpg.exceptions.AdminShutdownError, "terminating connection due to administrator command"),
    pg_error(asyncpg.exceptions.CannotConnectNowError, "the database system is shutting down"),
    pg_error(asyncpg.exceptions.CannotConnectNowError, "the database system is starting up"),
    pg_error(asyncpg.exceptions.CrashShutdownError, "terminating connection because of crash of another"),
    pg_error(asyncpg.exceptions.ConnectionDoesNotExistError, "connection was closed in the middle of operation"),
    pg_error(asyncpg.exceptions.ConnectionFailureError, "could not receive data from client"),
    pg_error(asyncpg.exceptions.TooManyConnectionsError, "sorry, too many clients already"),
    pg_error(asyncpg.exceptions.SerializationError, "could not serialize access"),
    pg_error(asyncpg.exceptions.DeadlockDetectedError, "deadlock detected"),
], ids=lambda e: type(e).__name__)
def test_a_postgresql_restart_or_a_lost_connection_is_retried(error):
    wrapped = wrapped_pg(error)
    assert type(wrapped.orig).__name__ != type(error).__name__  # the driver's class name is gone
    assert transient(wrapped)


@pytest.mark.parametrize("error", [
    ConnectionRefusedError(111, "Connect call failed ('127.0.0.1', 5432)"),
    ConnectionResetError(104, "Connection reset by peer"),
    TimeoutError(),
    OSError(111, "Multiple exceptions: [Errno 111] Connect call failed"),
])
def test_a_refused_or_dropped_connection_is_retried(error):
    assert transient(error)
    try:
        try:
            raise error
        except Exception as e:
            raise DBAPIError.instance("SELECT 1", {}, e, _PG.Error) from e
    except Exception as wrapped:  # StatementError: SQLAlchemy's wrapper for what is not a DB-API error
        assert transient(wrapped)


def test_sqlite_locked_is_retried():
    orig = sqlite3.OperationalError("database is locked")
    assert transient(DBAPIError.instance("INSERT", {}, orig, sqlite3.Error))


@pytest.mark.parametrize("error", [
    pg_error(asyncpg.exceptions.UniqueViolationError, "duplicate key value violates unique constraint"),
    pg_error(asyncpg.exceptions.UndefinedTableError, 'relation "events" does not exist'),
    pg_error(asyncpg.exceptions.InvalidTextRepresentationError, "invalid input syntax for type integer"),
], ids=lambda e: type(e).__name__)
def test_a_mistake_in_the_query_is_not_retried(error):
    assert not transient(wrapped_pg(error))


def test_other_failures_are_not_retried():
    assert not transient(ValueError("no"))
    assert not transient(DBAPIError.instance("INSERT", {}, sqlite3.IntegrityError("UNIQUE constraint failed"),
                                             sqlite3.Error))


async def test_a_claim_whose_answer_was_lost_is_still_won(db, monkeypatch):
    """The server committed the claim, then the connection dropped before its answer arrived (a restart):
    the retry meets the row its own first try wrote and wins the claim, or the event would be acked and
    never answered. A row another caller wrote still loses."""
    from bot.store import Store, database

    s = await Store.open(db)
    try:
        assert await s.claim_event("theirs") is True
        retrying = database.retrying

        async def answer_lost(call, what):
            await call()  # went through, but as far as the caller knows it failed: tried again
            return await retrying(call, what)

        monkeypatch.setattr(database, "retrying", answer_lost)
        assert await s.claim_event("mine") is True
        assert await s.record_link(team="T", channel="C", message_ts="1.0", user="U", url="https://a.example/x")
        assert await s.claim_event("theirs") is False
        monkeypatch.undo()
        assert await s.claim_event("mine") is False
        assert await s.record_link(team="T", channel="C", message_ts="1.0", user="U", url="https://a.example/x") \
            is False
    finally:
        await s.close()
