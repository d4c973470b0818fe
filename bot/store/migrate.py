"""Bring the database at NEWSBOT_DB to the newest schema at start-up, with Alembic, on both backends.

A SQLite file from before Alembic (`PRAGMA user_version = 1`, no alembic_version table) is the schema of
revision 0001: it is stamped there and upgraded like any other, so nothing in it is lost. On SQLite the
revision number is also written to `user_version`, so an older newsbot refuses a file it cannot read.
Processes starting together take turns (PostgreSQL advisory lock, SQLite's write lock).
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Connection, text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.store.connect import StoreError, shown

MIGRATIONS = Path(__file__).with_name("migrations")
LEGACY_VERSION = 1  # the last schema versioned by PRAGMA user_version alone
_PG_LOCK = 0x6E657773  # "news": any constant other apps on the server are unlikely to use


def alembic_config(connection: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


async def migrate(engine: AsyncEngine, db: str) -> str:
    """Upgrade to head; returns the revision the database is at."""
    async with engine.connect() as conn:
        conn = await conn.execution_options(newsbot_write=True)
        revision = await conn.run_sync(_upgrade, db)
        await conn.commit()
    return revision


def current_revision(conn: Connection) -> str | None:
    return MigrationContext.configure(conn).get_current_revision()


def _upgrade(conn: Connection, db: str) -> str:
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK})
    else:
        conn.exec_driver_sql("SELECT 1")  # opens the transaction, taking SQLite's write lock
    cfg = alembic_config(conn)
    script = ScriptDirectory.from_config(cfg)
    current = current_revision(conn)
    if current is None and conn.dialect.name == "sqlite":
        version = conn.exec_driver_sql("PRAGMA user_version").scalar() or 0
        if version > LEGACY_VERSION:
            raise _newer(db, str(version), script)
        if version == LEGACY_VERSION:
            command.stamp(cfg, "0001")
    elif current is not None:
        try:
            script.get_revision(current)
        except CommandError:
            raise _newer(db, current, script) from None
    command.upgrade(cfg, "head")
    head = script.get_current_head()
    assert head is not None
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(f"PRAGMA user_version = {int(head)}")
    return head


def _newer(db: str, found: str, script: ScriptDirectory) -> StoreError:
    return StoreError(f"the database at NEWSBOT_DB={shown(db)!r} was written by a newer newsbot (schema {found}, "
                      f"this one knows {script.get_current_head()}); upgrade newsbot or use another database")
