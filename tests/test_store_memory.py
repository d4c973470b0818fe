"""The memory tables on SQLite and on PostgreSQL (NEWSBOT_TEST_POSTGRES_URL): schedules, digest runs claimed
once across processes, and the /sources NAME index."""

import asyncio

import pytest

from bot.analysis import offline
from bot.analysis.model import Article, Source
from bot.memory.schedule import ChannelSchedule, Schedule
from bot.memory.sources import INDEX_VERSION
from bot.store import Store
from bot.store.tables import sources_indexed
from tests.test_memory import PUTIN_TEXT
from tests.test_store import stores


@pytest.fixture
async def store(db):
    s = await Store.open(db)
    yield s
    await s.close()


def _schedule(channel: str = "C1", next_due: float = 100.0, team: str | None = "T1") -> ChannelSchedule:
    return ChannelSchedule(team, channel, "channel", Schedule("weekly", 9, 30, "Asia/Tokyo", weekday=0),
                           next_due, "U1", 50.0)


async def test_schedules(store):
    assert await store.get_schedule(team="T1", channel="C1") is None
    await store.put_schedule(_schedule())
    await store.put_schedule(_schedule("C2", 300.0))
    await store.put_schedule(_schedule("C3", 50.0, team=None))
    assert await store.get_schedule(team="T1", channel="C1") == _schedule()
    assert await store.get_schedule(team=None, channel="C3") == _schedule("C3", 50.0, team=None)
    assert [s.channel for s in await store.due_schedules(150.0)] == ["C3", "C1"]
    assert await store.next_schedule_due() == 50.0
    # Compare-and-set: only the process that saw 100 moves it on.
    assert await store.advance_schedule(team="T1", channel="C1", expected=100.0, next_due=200.0)
    assert not await store.advance_schedule(team="T1", channel="C1", expected=100.0, next_due=999.0)
    await store.put_schedule(_schedule("C1", 700.0))  # /digest again replaces it
    assert (await store.get_schedule(team="T1", channel="C1")).next_due == 700.0
    assert [s.channel for s in await store.schedules(team="T1")] == ["C2", "C1"]
    assert await store.delete_schedule(team="T1", channel="C1")
    assert not await store.delete_schedule(team="T1", channel="C1")


async def test_digest_claimed_once_across_processes_and_taken_over_when_its_holder_dies(db):
    async with stores(db, 3) as (a, b, c):
        claims = await asyncio.gather(*(s.claim_digest(team="T1", channel="C1", period="P1", now=1000.0, lease=60)
                                        for s in (a, b, c, a, b, c)))
        assert sorted(claims) == ["busy"] * 5 + ["claimed"]
        assert await b.claim_digest(team="T1", channel="C1", period="P1", now=1059.0, lease=60) == "busy"
        # The holder stopped renewing: after the lease one process, only one, takes it over.
        takeovers = await asyncio.gather(*(s.claim_digest(team="T1", channel="C1", period="P1", now=1061.0, lease=60)
                                           for s in (b, c)))
        assert sorted(takeovers) == ["busy", "claimed"]
        winner = (b, c)[takeovers.index("claimed")]
        await winner.renew_digest_claim(team="T1", channel="C1", period="P1", now=1100.0, lease=60)
        assert await a.claim_digest(team="T1", channel="C1", period="P1", now=1130.0, lease=60) == "busy"
        assert await a.last_digest_until(team="T1", channel="C1") is None
        await winner.finish_digest(team="T1", channel="C1", period="P1", status="posted", until=1000.0, ts="1.2")
        assert await a.claim_digest(team="T1", channel="C1", period="P1", now=5000.0, lease=60) == "done"
        assert await a.last_digest_until(team="T1", channel="C1") == 1000.0
        assert await a.claim_digest(team="T1", channel="C1", period="P2", now=5000.0, lease=60) == "claimed"
        await a.finish_digest(team="T1", channel="C1", period="P2", status="failed", until=2000.0, error="x")
        assert await a.last_digest_until(team="T1", channel="C1") == 1000.0  # a failed one covered nothing


async def test_shared_links_for_digests_and_channel_type(store):
    for i, (channel, kind) in enumerate([("C1", "channel"), ("C1", None), ("G1", "group"), ("C2", "channel")]):
        await store.record_link(team="T1", channel=channel, message_ts=f"1.{i}", user="U1",
                                url=f"https://x.example/{i}", channel_type=kind)
    await store.fill_channel_type(channel="C1", message_ts="1.1", url="https://x.example/1", channel_type="channel")
    await store.fill_channel_type(channel="G1", message_ts="1.2", url="https://x.example/2", channel_type="channel")
    await store.record_link(team="T1", channel="C3", message_ts="1.9", user="U1", url="https://x.example/9")
    assert await store.untyped_channels() == ["C3"]
    assert await store.type_channel_shares("C3", "channel") == 1
    assert await store.untyped_channels() == []
    links = await store.links_since(team="T1", since=0)
    assert [(link.channel, link.channel_type) for link in links] == \
        [("C1", "channel"), ("C1", "channel"), ("G1", "group"), ("C2", "channel"), ("C3", "channel")]
    c1 = await store.links_between(team="T1", channel="C1", since=0, until=9e9)
    assert [link.url for link in c1] == ["https://x.example/0", "https://x.example/1"]
    assert await store.links_between(team="T2", channel="C1", since=0, until=9e9) == []
    assert len(await store.links_between(team=None, channel="C1", since=0, until=9e9)) == 2


async def test_sources_index_filled_as_stored_and_rebuilt(store):
    analysis = offline.analyze(Article(text=PUTIN_TEXT, source=Source(title="Putin says Russia wants calm in Gaza")))
    url = "https://news.example/putin"
    await store.put_analysis("K1", url=url, text_hash="h1", engine_id="offline:x", analysis_json=analysis.to_json())
    await store.record_link(team="T1", channel="C1", message_ts="1.1", user="U1", url=url, channel_type="channel")
    await store.record_link(team="T2", channel="C9", message_ts="1.2", user="U9", url=url, channel_type="channel")
    hits = await store.find_sources("putin", team="T1", engine_id="offline:x")
    assert hits and {h.team for h in hits} == {"T1"} and {h.url for h in hits} == {url}
    assert any("to help normalize the situation" in h.entry.text for h in hits)
    assert hits[0].article_title == "Putin says Russia wants calm in Gaza"
    assert await store.find_sources("putin", team="T1", engine_id="openai:other") == []
    # An index from before (or of an older version) is rebuilt once.
    await store.write(lambda conn: conn.execute(sources_indexed.update().values(version=INDEX_VERSION - 1)))
    assert await store.index_missing_sources() == 1
    assert await store.index_missing_sources() == 0
    assert len(await store.find_sources("vladimir putin", team="T1")) == len(hits)


async def test_analyses_for_urls_prefers_the_engine_asked_for(store):
    a = offline.analyze(Article(text="One\n\nThe mayor said the water was safe.", source=Source(title="One")))
    b = a.model_copy(update={"source": Source(title="Two")})
    await store.put_analysis("K1", url="https://x.example/a", text_hash="h1", engine_id="e1", analysis_json=a.to_json())
    await store.put_analysis("K2", url="https://x.example/a", text_hash="h2", engine_id="e2", analysis_json=b.to_json())
    assert '"One"' in (await store.analyses_for_urls(["https://x.example/a"], "e1"))["https://x.example/a"]
    assert '"Two"' in (await store.analyses_for_urls(["https://x.example/a"], "e2"))["https://x.example/a"]
    assert await store.analyses_for_urls([]) == {}


async def test_share_of_is_the_newest_share_in_the_channel(store):
    assert await store.share_of(channel="C1", url="https://a.example/1") is None
    await store.record_link(team="T1", channel="C1", message_ts="1.1", user="U1", url="https://a.example/1",
                            channel_type="channel")
    await store.record_link(team="T1", channel="C2", message_ts="3.3", user="U1", url="https://a.example/1")
    await store.record_link(team="T1", channel="C1", message_ts="2.2", user="U2", url="https://a.example/1",
                            channel_type="channel")
    found = await store.share_of(channel="C1", url="https://a.example/1")
    assert (found.team, found.channel, found.message_ts, found.user) == ("T1", "C1", "2.2", "U2")
