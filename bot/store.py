"""Persistent state: the analyses cache, every shared link, handled Slack event ids and token usage.

SQLite through aiosqlite (one connection, its own thread), WAL mode so readers never block the writer.
The schema is versioned with `PRAGMA user_version`: each entry of MIGRATIONS moves the database one
version up, so an old file is brought forward on open and a new one is built from nothing.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

import aiosqlite

from bot.config import ConfigError

# Event ids only need to outlive Slack's retry window (three retries within about an hour); a day is
# plenty and keeps the table small.
EVENT_TTL_SECONDS = 24 * 3600
# Pruning on every claim would add a write per event; once in this many claims is enough.
_PRUNE_EVERY = 500

MIGRATIONS: tuple[str, ...] = (
    # 1: the first schema
    """
    CREATE TABLE analyses (
        key TEXT PRIMARY KEY,
        url TEXT,
        text_hash TEXT NOT NULL,
        engine_id TEXT NOT NULL,
        json TEXT NOT NULL,
        created REAL NOT NULL
    );
    CREATE INDEX analyses_url ON analyses (url, engine_id);
    CREATE INDEX analyses_text ON analyses (text_hash, engine_id);
    CREATE TABLE shared_links (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        team TEXT,
        channel TEXT NOT NULL,
        message_ts TEXT NOT NULL,
        user TEXT,
        url TEXT NOT NULL,
        created REAL NOT NULL,
        UNIQUE (channel, message_ts, url)
    );
    CREATE INDEX shared_links_channel_created ON shared_links (channel, created);
    CREATE TABLE events (
        event_id TEXT PRIMARY KEY,
        created REAL NOT NULL
    );
    CREATE INDEX events_created ON events (created);
    CREATE TABLE token_usage (
        day TEXT PRIMARY KEY,
        tokens INTEGER NOT NULL DEFAULT 0
    );
    """,
)

SCHEMA_VERSION = len(MIGRATIONS)


class StoreError(ConfigError, RuntimeError):
    """The database at NEWSBOT_DB can't be used; the message names the setting, so start-up stops with a
    sentence an admin can act on instead of a traceback."""


@dataclass(frozen=True)
class SharedLink:
    team: str | None
    channel: str
    message_ts: str
    user: str | None
    url: str
    created: float


class Store:
    """All of newsbot's state. Open with `await Store.open(path)`; close with `await store.close()`."""

    def __init__(self, db: aiosqlite.Connection) -> None:
        self._db = db
        # One connection is shared by every task; the lock keeps a write and its commit together.
        self._lock = asyncio.Lock()
        self._claims = 0

    @classmethod
    async def open(cls, path: str) -> Store:
        try:
            if path != ":memory:":
                Path(path).expanduser().parent.mkdir(parents=True, exist_ok=True)
                # Fail here, in this thread: a failed aiosqlite.connect leaves its worker thread behind.
                sqlite3.connect(path).close()
            db = await aiosqlite.connect(path)
        except (OSError, sqlite3.Error) as e:
            raise StoreError(f"NEWSBOT_DB={path!r} can't be opened as a SQLite database ({e}); "
                             "point it at a file in a writable directory") from None
        try:
            await db.execute("PRAGMA journal_mode=WAL")
            await db.execute("PRAGMA synchronous=NORMAL")
            await db.execute("PRAGMA busy_timeout=5000")
            await _migrate(db, path)
        except BaseException as e:
            await db.close()
            if isinstance(e, sqlite3.Error):
                raise StoreError(f"NEWSBOT_DB={path!r} can't be used as newsbot's database ({e}); "
                                 "point it at a new file, or at the one newsbot made") from None
            raise
        return cls(db)

    async def close(self) -> None:
        await self._db.close()

    async def schema_version(self) -> int:
        async with self._db.execute("PRAGMA user_version") as cur:
            row = await cur.fetchone()
        return int(row[0]) if row else 0

    # --- analyses cache -------------------------------------------------------------------------------

    async def get_analysis(self, key: str) -> str | None:
        """The Analysis JSON stored under `key`, or None."""
        async with self._db.execute("SELECT json FROM analyses WHERE key = ?", (key,)) as cur:
            row = await cur.fetchone()
        return row[0] if row else None

    async def get_analysis_for_url(self, url: str, engine_id: str) -> str | None:
        """The newest Analysis JSON of `url` made by `engine_id`, or None."""
        async with self._db.execute(
            "SELECT json FROM analyses WHERE url = ? AND engine_id = ? ORDER BY created DESC LIMIT 1",
            (url, engine_id),
        ) as cur:
            row = await cur.fetchone()
        return row[0] if row else None

    async def get_analysis_for_text(self, text_hash: str, engine_id: str) -> str | None:
        """The newest Analysis JSON of an article with this text hash made by `engine_id`, or None."""
        async with self._db.execute(
            "SELECT json FROM analyses WHERE text_hash = ? AND engine_id = ? ORDER BY created DESC LIMIT 1",
            (text_hash, engine_id),
        ) as cur:
            row = await cur.fetchone()
        return row[0] if row else None

    async def put_analysis(
        self, key: str, *, url: str | None, text_hash: str, engine_id: str, analysis_json: str
    ) -> None:
        async with self._lock:
            await self._db.execute(
                "INSERT OR REPLACE INTO analyses (key, url, text_hash, engine_id, json, created)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (key, url, text_hash, engine_id, analysis_json, time.time()),
            )
            await self._db.commit()

    # --- shared links ---------------------------------------------------------------------------------

    async def record_link(
        self, *, team: str | None, channel: str, message_ts: str, user: str | None, url: str
    ) -> bool:
        """Remember that `url` was shared in `channel` at `message_ts`. False if it was already recorded,
        which is how a retried or duplicated event is told apart from a new share."""
        async with self._lock:
            cur = await self._db.execute(
                "INSERT OR IGNORE INTO shared_links (team, channel, message_ts, user, url, created)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (team, channel, message_ts, user, url, time.time()),
            )
            await self._db.commit()
            return cur.rowcount == 1

    async def shared_links(
        self, *, channel: str | None = None, since: float = 0.0, limit: int = 1000
    ) -> list[SharedLink]:
        """Links shared since `since` (epoch seconds), oldest first; in one channel when given."""
        sql = "SELECT team, channel, message_ts, user, url, created FROM shared_links WHERE created >= ?"
        args: list[object] = [since]
        if channel is not None:
            sql += " AND channel = ?"
            args.append(channel)
        sql += " ORDER BY created, id LIMIT ?"
        args.append(limit)
        async with self._db.execute(sql, args) as cur:
            rows = await cur.fetchall()
        return [SharedLink(*row) for row in rows]

    # --- handled events -------------------------------------------------------------------------------

    async def claim_event(self, event_id: str) -> bool:
        """True the first time `event_id` is seen, False on every repeat."""
        now = time.time()
        async with self._lock:
            cur = await self._db.execute(
                "INSERT OR IGNORE INTO events (event_id, created) VALUES (?, ?)", (event_id, now)
            )
            self._claims += 1
            if self._claims % _PRUNE_EVERY == 0:
                await self._db.execute("DELETE FROM events WHERE created < ?", (now - EVENT_TTL_SECONDS,))
            await self._db.commit()
            return cur.rowcount == 1

    async def prune_events(self, older_than: float = EVENT_TTL_SECONDS) -> int:
        """Forget event ids older than `older_than` seconds; returns how many were dropped."""
        async with self._lock:
            cur = await self._db.execute("DELETE FROM events WHERE created < ?", (time.time() - older_than,))
            await self._db.commit()
            return cur.rowcount

    # --- token budget ---------------------------------------------------------------------------------

    async def add_tokens(self, day: str, tokens: int) -> None:
        async with self._lock:
            await self._db.execute(
                "INSERT INTO token_usage (day, tokens) VALUES (?, ?)"
                " ON CONFLICT (day) DO UPDATE SET tokens = tokens + excluded.tokens",
                (day, tokens),
            )
            await self._db.commit()

    async def tokens_used(self, day: str) -> int:
        async with self._db.execute("SELECT tokens FROM token_usage WHERE day = ?", (day,)) as cur:
            row = await cur.fetchone()
        return int(row[0]) if row else 0


async def _migrate(db: aiosqlite.Connection, path: str = "") -> None:
    async with db.execute("PRAGMA user_version") as cur:
        row = await cur.fetchone()
    version = int(row[0]) if row else 0
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"the database at NEWSBOT_DB={path!r} was written by a newer newsbot (schema {version}, this one "
            f"knows {SCHEMA_VERSION})"
        )
    for target in range(version + 1, SCHEMA_VERSION + 1):
        # executescript commits first; wrapping each step in BEGIN/COMMIT keeps a failed step atomic.
        await db.executescript(
            f"BEGIN;\n{MIGRATIONS[target - 1]}\nPRAGMA user_version = {target};\nCOMMIT;"
        )
