"""newsbot's store: SQLite by default (a path in NEWSBOT_DB), PostgreSQL by URL (`postgresql://…`).

One code path for both (SQLAlchemy 2 Core, async: aiosqlite / asyncpg), tables in `tables.py`,
versioned migrations (Alembic, `migrations/`) applied at start-up. Layout:

    tables.py        every table, defined once
    connect.py       NEWSBOT_DB → engine (SQLite WAL + busy timeout, PostgreSQL pre-ping) and retries
    migrate.py       Alembic at start-up; a pre-Alembic SQLite file is stamped and upgraded
    database.py      open/close, read/write under the retry policy, claim_once
    coordination.py  leases, fetch failures, replies and response_url answers owed, the heartbeat
    store.py         the Store: analyses + URL mapping, shared links, events, token usage
"""

from bot.store.connect import StoreError, StoreUnavailable, is_postgres
from bot.store.coordination import LEASE_SECONDS, OwedReply, OwedResponse
from bot.store.database import StoreClosed
from bot.store.migrate import head_revision
from bot.store.store import EVENT_TTL_SECONDS, SharedLink, Store, UrlHit

SCHEMA_VERSION = int(head_revision())

__all__ = ["EVENT_TTL_SECONDS", "LEASE_SECONDS", "SCHEMA_VERSION", "OwedReply", "OwedResponse", "SharedLink", "Store",
           "StoreClosed", "StoreError", "StoreUnavailable", "UrlHit", "is_postgres"]
