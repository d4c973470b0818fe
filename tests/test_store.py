"""The store, on SQLite and on PostgreSQL (NEWSBOT_TEST_POSTGRES_URL): every test runs on both."""

import asyncio
import contextlib
import json
import sqlite3
import time
from pathlib import Path

import pytest

from bot.store import SCHEMA_VERSION, Store
from bot.store.tables import metadata
from tests import pg

V1_SCHEMA = (Path(__file__).parent / "fixtures" / "store_schema_v1.sql").read_text()


@contextlib.asynccontextmanager
async def stores(db: str, n: int, lease_seconds: float | None = None):
    """n stores on one database, as n processes would have."""
    opened = [await Store.open(db, lease_seconds=lease_seconds) for _ in range(n)]
    try:
        yield opened
    finally:
        for s in opened:
            await s.close()


@pytest.fixture
async def store(db):
    s = await Store.open(db)
    yield s
    await s.close()


async def test_open_creates_the_schema(db):
    s = await Store.open(db)
    assert await s.schema_version() == SCHEMA_VERSION
    await s.close()
    # Re-opening an up-to-date database is a no-op.
    s = await Store.open(db)
    assert await s.schema_version() == SCHEMA_VERSION
    await s.close()


async def test_migrations_build_exactly_the_tables_defined(db):
    """tables.py and the Alembic revisions must agree: same tables, same columns."""
    from sqlalchemy import inspect

    s = await Store.open(db)
    try:
        async with s.engine.connect() as conn:
            found = await conn.run_sync(lambda c: {
                t: {col["name"] for col in inspect(c).get_columns(t)} for t in inspect(c).get_table_names()})
    finally:
        await s.close()
    found.pop("alembic_version")
    assert found == {t.name: {c.name for c in t.columns} for t in metadata.sorted_tables}


async def test_sqlite_file_is_in_wal_mode(tmp_path):
    path = tmp_path / "db.sqlite"
    s = await Store.open(str(path))
    await s.close()
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    con.close()


async def test_newer_schema_is_refused(tmp_path):
    path = tmp_path / "db.sqlite"
    con = sqlite3.connect(path)
    con.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    con.close()
    with pytest.raises(RuntimeError, match="newer"):
        await Store.open(str(path))


async def test_unknown_alembic_revision_is_refused(db):
    s = await Store.open(db)
    async with s.engine.begin() as conn:
        await conn.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    await s.close()
    with pytest.raises(RuntimeError, match="newer newsbot"):
        await Store.open(db)


def _old_file(path: Path) -> dict[str, int]:
    """A SQLite file as the first newsbot left it, with rows in every table; returns the row counts."""
    con = sqlite3.connect(path)
    con.executescript(V1_SCHEMA)
    con.execute("PRAGMA user_version = 1")
    now = time.time()
    # Two addresses analysed with the same engine; then the page at /a changed (a newer row for /a).
    rows = [("k1", "https://a.example/a", "h1", "offline:1", '{"v": 1}', now - 30),
            ("k2", "https://b.example/b", "h2", "offline:1", '{"v": 2}', now - 20),
            ("k3", "https://a.example/a", "h3", "offline:1", '{"v": 3}', now - 10),
            ("k4", None, "h4", "offline:1", '{"v": 4}', now)]
    con.executemany("INSERT INTO analyses VALUES (?, ?, ?, ?, ?, ?)", rows)
    con.executemany("INSERT INTO shared_links (team, channel, message_ts, user, url, created) VALUES (?,?,?,?,?,?)",
                    [("T1", "C1", f"1.{i}", "U1", f"https://a.example/{i}", now + i) for i in range(5)])
    con.executemany("INSERT INTO events VALUES (?, ?)", [(f"Ev{i}", now) for i in range(7)])
    con.execute("INSERT INTO token_usage VALUES ('2026-01-01', 1234)")
    con.commit()
    counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
              for t in ("analyses", "shared_links", "events", "token_usage")}
    con.close()
    return counts


async def test_old_sqlite_file_migrates_without_loss(tmp_path):
    path = tmp_path / "old.sqlite"
    before = _old_file(path)
    s = await Store.open(str(path))
    try:
        assert await s.schema_version() == SCHEMA_VERSION
        for key, v in (("k1", 1), ("k2", 2), ("k3", 3), ("k4", 4)):
            assert json.loads(await s.get_analysis(key)) == {"v": v}
        # Every address still leads to its analysis: /a to its newest one.
        assert await s.get_analysis_for_url("https://a.example/a", "offline:1") == '{"v": 3}'
        assert await s.get_analysis_for_url("https://b.example/b", "offline:1") == '{"v": 2}'
        assert await s.get_analysis_for_text("h1", "offline:1") == '{"v": 1}'
        links = await s.shared_links(channel="C1")
        assert [link.message_ts for link in links] == [f"1.{i}" for i in range(5)]
        assert links[0].team == "T1" and links[0].channel_type is None
        assert await s.claim_event("Ev3") is False  # handled before the upgrade: still handled
        assert await s.tokens_used("2026-01-01") == 1234
    finally:
        await s.close()
    con = sqlite3.connect(path)
    after = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in before}
    mapped = con.execute("SELECT count(*) FROM analysis_urls").fetchone()[0]
    con.close()
    assert after == before and mapped == 2


async def test_analysis_cache(store):
    assert await store.get_analysis("k1") is None
    await store.put_analysis("k1", url="https://ex.com/a", text_hash="h1", engine_id="offline", analysis_json="{}")
    assert await store.get_analysis("k1") == "{}"
    assert await store.get_analysis_for_url("https://ex.com/a", "offline") == "{}"
    assert await store.get_analysis_for_url("https://ex.com/a", "openai") is None
    assert await store.get_analysis_for_text("h1", "offline") == "{}"
    # The first analysis of a text stays; another put of the same key keeps one row, unchanged.
    await store.put_analysis("k1", url=None, text_hash="h1", engine_id="offline", analysis_json='{"a":1}')
    assert await store.get_analysis("k1") == "{}"


async def test_every_address_keeps_leading_to_its_analysis(store):
    """The same text under two addresses: one analysis row, two mappings, each with its own metadata."""
    await store.put_analysis("k", url="https://a.example/x", text_hash="h", engine_id="e",
                             analysis_json='{"n": 1}', meta_json='{"site": "A"}')
    await store.put_analysis("k", url="https://b.example/y", text_hash="h", engine_id="e",
                             analysis_json='{"n": 2}', meta_json='{"site": "B"}')
    a = await store.lookup_url("https://a.example/x", "e")
    b = await store.lookup_url("https://b.example/y", "e")
    assert a.analysis_json == b.analysis_json == '{"n": 1}'
    assert (a.meta_json, b.meta_json) == ('{"site": "A"}', '{"site": "B"}')
    # The page at /x changed: the address now leads to the new analysis; the old one is still there.
    await store.put_analysis("k2", url="https://a.example/x", text_hash="h2", engine_id="e", analysis_json='{"n": 3}')
    assert (await store.lookup_url("https://a.example/x", "e")).analysis_json == '{"n": 3}'
    assert (await store.lookup_url("https://b.example/y", "e")).analysis_json == '{"n": 1}'


async def test_record_link_is_unique_on_channel_ts_url(store):
    args = dict(team="T1", channel="C1", message_ts="1.1", user="U1", url="https://ex.com/a")
    assert await store.record_link(**args, channel_type="group") is True
    assert await store.record_link(**args) is False
    assert await store.record_link(**{**args, "channel": "C2"}) is True
    assert await store.record_link(**{**args, "url": "https://ex.com/b"}) is True
    links = await store.shared_links(channel="C1")
    assert [link.url for link in links] == ["https://ex.com/a", "https://ex.com/b"]
    assert links[0].channel_type == "group" and links[0].team == "T1"
    assert len(await store.shared_links()) == 3


async def test_claim_event_once_even_when_concurrent(store):
    results = await asyncio.gather(*(store.claim_event("Ev1") for _ in range(20)))
    assert results.count(True) == 1
    assert await store.claim_event("Ev2") is True
    assert await store.prune_events(older_than=-1) == 2
    assert await store.claim_event("Ev1") is True


async def test_claim_once_across_two_stores(db):
    """Two processes' worth of stores on one database: each row is won by exactly one caller."""
    from bot.store.tables import events

    async with stores(db, 2) as (a, b):
        results = await asyncio.gather(*(s.claim_once(events, event_id=f"E{i}", created=0.0)
                                         for i in range(10) for s in (a, b, a)))
        assert results.count(True) == 10


async def test_tokens_counted_once_across_stores(db):
    async with stores(db, 2) as (a, b):
        assert await a.tokens_used("2026-01-01") == 0
        await asyncio.gather(*(s.add_tokens("2026-01-01", 10) for _ in range(10) for s in (a, b)))
        await a.add_tokens("2026-01-02", 7)
        assert await b.tokens_used("2026-01-01") == 200
        assert await b.tokens_used("2026-01-02") == 7


async def test_lease_single_holder_and_takeover(db):
    async with stores(db, 2, lease_seconds=0.5) as (a, b):
        wins = await asyncio.gather(a.acquire_lease("x"), b.acquire_lease("x"))
        assert sorted(wins) == [False, True]
        holder, other = (a, b) if wins[0] else (b, a)
        assert await holder.acquire_lease("x") is True  # ours already: renewed
        assert await other.acquire_lease("x") is False
        await holder.release_lease("x")
        await other.release_lease("x")
        assert await b.acquire_lease("x") is True
        assert await a.acquire_lease("x") is False
        # b "dies": its heartbeat stops, the lease expires, a takes it over.
        b._beat.cancel()
        assert await a.acquire_lease("x") is False
        await asyncio.sleep(0.7)
        assert await a.acquire_lease("x") is True
        await b.release_lease("x")  # a dead holder's late release must not free the new holder's lease
        assert await b.acquire_lease("x") is False


async def test_heartbeat_keeps_a_live_lease(db):
    async with stores(db, 2, lease_seconds=0.6) as (a, b):
        assert await a.acquire_lease("x") is True
        await asyncio.sleep(1.0)  # longer than the lease: only the heartbeat keeps it
        assert await b.acquire_lease("x") is False


async def test_fetch_failures_are_remembered_briefly(store):
    assert await store.recent_failure("https://x.example/404") is None
    await store.remember_failure("https://x.example/404", "the site answered 404", 60)
    assert await store.recent_failure("https://x.example/404") == "the site answered 404"
    await store.remember_failure("https://x.example/404", "the site answered 503", -1)  # expired at once
    assert await store.recent_failure("https://x.example/404") is None


async def test_replies_owed_are_taken_over_once_when_the_owner_dies(db):
    async with stores(db, 3, lease_seconds=0.4) as (a, b, c):
        await a.owe_reply(channel="C1", ts="1.1", thread_ts="1.0", url="https://x.example/a")
        await a.owe_reply(channel="C1", ts="1.2", thread_ts="1.0", url="https://x.example/b")
        await a.settle_reply("C1", "1.2")
        assert await b.take_over_replies() == []  # a is alive
        a._beat.cancel()  # a is SIGKILLed: no more heartbeats
        await asyncio.sleep(0.6)
        got_b, got_c = await asyncio.gather(b.take_over_replies(), c.take_over_replies())
        assert len(got_b) + len(got_c) == 1
        owed = (got_b or got_c)[0]
        assert (owed.channel, owed.ts, owed.thread_ts, owed.url, owed.attempts) == (
            "C1", "1.1", "1.0", "https://x.example/a", 2)


async def test_persists_across_reopen(db):
    s = await Store.open(db)
    await s.put_analysis("k", url="u", text_hash="h", engine_id="e", analysis_json="{}")
    await s.close()
    s = await Store.open(db)
    assert await s.get_analysis("k") == "{}"
    await s.close()


async def test_sqlite_file_shared_by_several_writers(tmp_path):
    """Four stores (as four processes would) writing at once: nothing lost, no "database is locked"."""
    async with stores(str(tmp_path / "shared.sqlite"), 4) as four:
        await asyncio.gather(*(s.record_link(team="T", channel="C", message_ts=f"{i}.{j}", user="U", url="u")
                               for j, s in enumerate(four) for i in range(25)))
        assert len(await four[0].shared_links(limit=1000)) == 100


@pytest.mark.parametrize("kind", ["directory", "not-a-database", "unreachable"])
async def test_unusable_database_is_named(tmp_path, kind):
    """A wrong NEWSBOT_DB stops start-up with a sentence naming it (the CLI prints ConfigError), not a traceback."""
    from bot.config import ConfigError

    if kind == "directory":
        path = tmp_path
    elif kind == "not-a-database":
        path = tmp_path / "notes.txt"
        path.write_text("these are not the tables you are looking for\n" * 100)
    else:
        blocker = tmp_path / "file"
        blocker.write_text("x")
        path = blocker / "sub" / "db.sqlite"
    with pytest.raises(ConfigError, match="NEWSBOT_DB"):
        await Store.open(str(path))


async def test_unreachable_postgres_is_named():
    from bot.config import ConfigError

    with pytest.raises(ConfigError, match=r"NEWSBOT_DB='postgresql://newsbot:\*\*\*@127.0.0.1:9/x'"):
        await Store.open("postgresql://newsbot:secret@127.0.0.1:9/x")


def test_pg_helper_names_how_to_run():
    assert pg.ENV in pg.HOW


async def test_a_write_that_stays_locked_is_surfaced(tmp_path, monkeypatch):
    """Another process holds SQLite's write lock past every retry: the caller gets StoreUnavailable (and
    tells the user), never a silent loss."""
    from bot.store import StoreUnavailable, connect

    monkeypatch.setattr(connect, "SQLITE_BUSY_MS", 50)
    monkeypatch.setattr(connect, "RETRY_SECONDS", 0.5)
    path = tmp_path / "locked.sqlite"
    s = await Store.open(str(path))
    other = sqlite3.connect(path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        with pytest.raises(StoreUnavailable, match="recording|claiming"):
            await s.claim_event("Ev-locked")
        other.execute("ROLLBACK")
        assert await s.claim_event("Ev-locked") is True  # the lock is gone: the same write goes through
    finally:
        other.close()
        await s.close()


async def test_postgres_connections_cut_are_survived(pg_db):
    """A PostgreSQL restart drops every connection: the pool notices (pre-ping) and reconnects."""
    import asyncpg

    s = await Store.open(pg_db)
    try:
        await s.claim_event("before")
        admin = await asyncpg.connect(pg_db)
        try:
            cut = await admin.fetchval("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                                       "WHERE datname = current_database() AND pid <> pg_backend_pid()")
        finally:
            await admin.close()
        assert cut >= 1
        assert await s.claim_event("after") is True
        assert await s.claim_event("before") is False
    finally:
        await s.close()


async def test_postgres_restart_mid_run_is_survived(pg_db):
    """The server goes away (connections dropped, new ones refused) and comes back a second later: the
    writes made meanwhile wait and go through; nothing is lost and the bot needs no restart."""
    outage = pg.Outage(pg_db)
    await outage.restore()
    s = await Store.open(outage.url)
    try:
        await s.add_tokens("d", 1)
        await outage.cut()
        writes = asyncio.gather(*(s.add_tokens("d", 1) for _ in range(5)), s.claim_event("during"))
        await asyncio.sleep(1.0)
        await outage.restore()
        await asyncio.wait_for(writes, timeout=15)
        assert await s.tokens_used("d") == 6
        assert await s.claim_event("during") is False
    finally:
        await s.close()


async def test_an_in_memory_store_serves_concurrent_callers():
    s = await Store.open(":memory:")
    try:
        results = await asyncio.gather(*(s.claim_event(f"E{i % 5}") for i in range(20)))
        assert results.count(True) == 5
        await s.put_analysis("k", url="u", text_hash="h", engine_id="e", analysis_json="{}")
        assert await s.get_analysis_for_url("u", "e") == "{}"
    finally:
        await s.close()


async def test_a_closed_store_refuses_work(db):
    from bot.store import StoreClosed

    s = await Store.open(db)
    await s.close()
    with pytest.raises(StoreClosed):
        await s.get_analysis("x")
    with pytest.raises(StoreClosed):
        await s.claim_event("x")
