import asyncio
import sqlite3

import pytest

from bot.store import SCHEMA_VERSION, Store


@pytest.fixture
async def store(tmp_path):
    s = await Store.open(str(tmp_path / "sub" / "newsbot.sqlite"))
    yield s
    await s.close()


async def test_open_creates_schema_in_wal_mode(tmp_path):
    path = tmp_path / "db.sqlite"
    s = await Store.open(str(path))
    assert await s.schema_version() == SCHEMA_VERSION
    await s.close()
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"analyses", "shared_links", "events", "token_usage"} <= tables
    con.close()
    # Re-opening an up-to-date database is a no-op.
    s = await Store.open(str(path))
    assert await s.schema_version() == SCHEMA_VERSION
    await s.close()


async def test_newer_schema_is_refused(tmp_path):
    path = tmp_path / "db.sqlite"
    con = sqlite3.connect(path)
    con.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    con.close()
    with pytest.raises(RuntimeError, match="newer"):
        await Store.open(str(path))


async def test_analysis_cache(store):
    assert await store.get_analysis("k1") is None
    await store.put_analysis("k1", url="https://ex.com/a", text_hash="h1", engine_id="offline", analysis_json="{}")
    assert await store.get_analysis("k1") == "{}"
    assert await store.get_analysis_for_url("https://ex.com/a", "offline") == "{}"
    assert await store.get_analysis_for_url("https://ex.com/a", "openai") is None
    assert await store.get_analysis_for_text("h1", "offline") == "{}"
    # Replacing under the same key keeps one row.
    await store.put_analysis("k1", url=None, text_hash="h1", engine_id="offline", analysis_json='{"a":1}')
    assert await store.get_analysis("k1") == '{"a":1}'


async def test_record_link_is_unique_on_channel_ts_url(store):
    args = dict(team="T1", channel="C1", message_ts="1.1", user="U1", url="https://ex.com/a")
    assert await store.record_link(**args) is True
    assert await store.record_link(**args) is False
    assert await store.record_link(**{**args, "channel": "C2"}) is True
    assert await store.record_link(**{**args, "url": "https://ex.com/b"}) is True
    links = await store.shared_links(channel="C1")
    assert [link.url for link in links] == ["https://ex.com/a", "https://ex.com/b"]
    assert len(await store.shared_links()) == 3


async def test_claim_event_once_even_when_concurrent(store):
    results = await asyncio.gather(*(store.claim_event("Ev1") for _ in range(20)))
    assert results.count(True) == 1
    assert await store.claim_event("Ev2") is True
    assert await store.prune_events(older_than=-1) == 2
    assert await store.claim_event("Ev1") is True


async def test_tokens(store):
    assert await store.tokens_used("2026-01-01") == 0
    await store.add_tokens("2026-01-01", 100)
    await store.add_tokens("2026-01-01", 50)
    await store.add_tokens("2026-01-02", 7)
    assert await store.tokens_used("2026-01-01") == 150
    assert await store.tokens_used("2026-01-02") == 7


async def test_persists_across_reopen(tmp_path):
    path = str(tmp_path / "db.sqlite")
    s = await Store.open(path)
    await s.put_analysis("k", url="u", text_hash="h", engine_id="e", analysis_json="{}")
    await s.close()
    s = await Store.open(path)
    assert await s.get_analysis("k") == "{}"
    await s.close()


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
