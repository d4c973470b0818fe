"""The follow-ups' tables on SQLite and on PostgreSQL (NEWSBOT_TEST_POSTGRES_URL): the watch list written
with each analysis and filled in for older ones, and follow-up posts claimed once, retried by one process
at a time and never once posted."""

import asyncio
import time

from alembic import command
from sqlalchemy import func, select, text

from bot.analysis import offline
from bot.analysis.model import Article, Engine, Source
from bot.analysis.pipeline import text_hash
from bot.memory.followups import watched
from bot.store import Store
from bot.store.connect import create_engine
from bot.store.migrate import alembic_config
from bot.store.tables import claims_watch, claims_watched
from bot.store.watch import FollowupPost
from tests.test_slack_followups import EARLIER
from tests.test_store import stores

A, B = "https://a.example/rumour", "https://b.example/copy"


def _earlier():
    return offline.analyze(Article(text=EARLIER, source=Source(title="Carver Motors may shut Dayton plant")))


async def _count(store: Store, table) -> int:
    async def query(conn):
        return (await conn.execute(select(func.count()).select_from(table))).scalar()

    return await store.read(query)


async def test_an_analysis_stored_puts_its_flagged_claims_on_the_watch_list_once(db):
    analysis = _earlier()
    claims = watched(analysis)
    assert claims, "the fixture article must flag a claim"
    async with stores(db, 1) as (s,):
        await s.put_analysis("K1", url=A, text_hash=text_hash(analysis.text), engine_id="offline:1",
                             analysis_json=analysis.to_json())
        # A syndicated copy (same text) at another address: the same analysis, no second set of rows.
        await s.put_analysis("K1", url=B, text_hash=text_hash(analysis.text), engine_id="offline:1",
                             analysis_json=analysis.to_json())
        assert await _count(s, claims_watch) == len(claims)
        found = await s.watched_claims([B, A, "https://never.example/shared"])
        assert [w.url for w in found] == [B] * len(claims) + [A] * len(claims)
        assert [w.claim for w in found[:len(claims)]] == claims
        assert {w.text_hash for w in found} == {text_hash(analysis.text)}
        assert all(w.names for w in found)  # "Carver", "Motors", "Dayton"...
        assert await s.watched_claims([]) == []
        assert await s.watch_missing() == 0  # marked as it was stored


async def test_an_address_read_by_two_engines_gives_the_newest_analysis_claims(db):
    analysis = _earlier()
    calm = offline.analyze(Article(text="Carver Motors opened a plant.\n\nThe plant in Dayton opened today."))
    async with stores(db, 1) as (s,):
        await s.put_analysis("K1", url=A, text_hash="h1", engine_id="e1", analysis_json=analysis.to_json())
        assert len(await s.watched_claims([A])) == len(watched(analysis))
        await s.put_analysis("K2", url=A, text_hash="h2", engine_id="e2", analysis_json=calm.to_json())
        assert await s.watched_claims([A]) == []  # as analyses_for_urls: the newest reading of the address


async def test_a_claim_the_model_engine_read_says_so(db):
    analysis = _earlier()
    by_model = analysis.model_copy(update={"engine": Engine(name="openai", model="m")})
    async with stores(db, 1) as (s,):
        await s.put_analysis("K1", url=A, text_hash="h1", engine_id="offline:1", analysis_json=analysis.to_json())
        await s.put_analysis("K2", url=B, text_hash="h1", engine_id="openai:m", analysis_json=by_model.to_json())
        assert {w.claim.sent_to_model for w in await s.watched_claims([A])} == {False}
        assert [w.claim for w in await s.watched_claims([B])] == watched(by_model)
        assert {w.claim.sent_to_model for w in await s.watched_claims([B])} == {True}


async def _at_0005(db: str) -> None:
    """A database as newsbot left it before the watch list (schema 0005)."""
    engine = create_engine(db)
    try:
        async with engine.connect() as conn:
            conn = await conn.execution_options(newsbot_write=True)
            await conn.run_sync(lambda c: command.upgrade(alembic_config(c), "0005"))
            analysis = _earlier()
            now = time.time()
            await conn.execute(text("INSERT INTO analyses VALUES (:k, :h, 'offline:1', :j, :t)"),
                               {"k": "K1", "h": text_hash(analysis.text), "j": analysis.to_json(), "t": now})
            await conn.execute(text("INSERT INTO analyses VALUES ('K2', 'h-new', 'offline:1', '{}', :t)"), {"t": now})
            await conn.execute(text("INSERT INTO analyses VALUES ('K3', 'h-bad', 'offline:1', 'not json', :t)"),
                               {"t": now})
            for url, key in ((A, "K1"), (B, "K1"), ("https://c.example/new", "K2")):
                await conn.execute(text("INSERT INTO analysis_urls VALUES (:u, 'offline:1', :k, NULL, :t)"),
                                   {"u": url, "k": key, "t": now})
            await conn.execute(text("INSERT INTO followups VALUES ('T1', :c, 'https://c.example/new', 'confirmed', "
                                    "'C1', '1.1', :t)"), {"c": f"{A}#0123456789abcdef", "t": now})
            await conn.commit()
    finally:
        await engine.dispose()


async def test_a_database_from_before_keeps_its_claims_and_its_followups(db):
    await _at_0005(db)
    async with stores(db, 1) as (s,):
        assert await s.watched_claims([A]) == []  # until start-up's catch-up
        assert await s.watch_missing() == 3  # one readable with claims, one empty, one unreadable: all marked
        assert await s.watch_missing() == 0
        assert await _count(s, claims_watched) == 3
        assert [w.claim for w in await s.watched_claims([A])] == watched(_earlier())
        # What was followed up before the upgrade stays followed up: its keys are now the texts' hashes.
        [row] = await s.followup_rows(team="T1")
        assert row["claim_key"] == f"{text_hash(_earlier().text)}#0123456789abcdef"
        assert row["new_key"] == "h-new" and row["status"] == "posted"
        assert not await _claim(s, claim=row["claim_key"], new="h-new")


def _post(claim: str = "hash1#abc", new: str = "hash2", team: str = "T1") -> FollowupPost:
    return FollowupPost(team, claim, new, "C1", "1.1", {"text": "Update from x"}, 1)


def _claim(s: Store, claim: str = "hash1#abc", new: str = "hash2", team: str | None = "T1"):
    return s.claim_followup(team=team, claim_key=claim, new_key=new, new_url="https://b.example/2",
                            decision="confirmed", channel="C1", thread_ts="1.1", message={"text": "Update from x"})


async def test_followup_claimed_once_per_claim_and_article_across_processes(db):
    async with stores(db, 3) as (a, b, c):
        won = await asyncio.gather(*(_claim(s) for s in (a, b, c, a, b, c)))
        assert sorted(won) == [False] * 5 + [True]
        assert await _claim(a, new="hash3")  # another article may follow the claim up
        assert await _claim(b, claim="hash1#def")  # and the article another claim
        assert await _claim(c, team=None)  # the key is per team
        assert not await _claim(c, team=None)


async def test_a_failed_post_is_retried_by_exactly_one_process_until_posted(db):
    async with stores(db, 3) as (a, b, c):
        assert await _claim(a)
        assert await a.take_over_followups(max_attempts=5) == []  # being posted: nobody else touches it
        await a.finish_followup(_post(), status="waiting", error="HTTP 500", retry_at=time.time() + 60)
        assert await b.take_over_followups(max_attempts=5) == []  # not yet due
        await a.finish_followup(_post(), status="waiting", error="HTTP 500")  # (not a holder any more: no-op)
        async def due(conn):
            await conn.execute(text("UPDATE followup_posts SET expires = 0"))
        await a.write(due)
        taken = await asyncio.gather(*(s.take_over_followups(max_attempts=5) for s in (a, b, c, a, b, c)))
        assert sorted(len(t) for t in taken) == [0] * 5 + [1]
        winner = (a, b, c, a, b, c)[[len(t) for t in taken].index(1)]
        [post] = next(t for t in taken if t)
        assert (post.channel, post.thread_ts, post.message, post.attempts) == ("C1", "1.1", {"text": "Update from x"}, 2)
        loser = next(s for s in (a, b, c) if s is not winner)
        await loser.finish_followup(post, status="posted", ts="9.9")  # only the holder may say how it went
        assert (await a.followup_rows())[0]["status"] == "posting"
        await winner.finish_followup(post, status="posted", ts="2.2")
        [row] = await a.followup_rows()
        assert (row["status"], row["ts"], row["attempts"], row["holder"]) == ("posted", "2.2", 2, winner.holder)
        await a.write(due)
        assert [await s.take_over_followups(max_attempts=5) for s in (a, b, c)] == [[], [], []]


async def test_a_failed_post_is_given_up_after_its_tries_and_never_after_a_refusal(db):
    async with stores(db, 1) as (s,):
        assert await _claim(s)
        await s.finish_followup(_post(), status="failed", error="channel_not_found")
        assert await _claim(s, new="hash3")
        await s.finish_followup(_post(new="hash3"), status="waiting", error="HTTP 503")
        assert await s.take_over_followups(max_attempts=1) == []  # one try was all it had
        rows = {r["new_key"]: r for r in await s.followup_rows()}
        assert (rows["hash2"]["status"], rows["hash2"]["error"]) == ("failed", "channel_not_found")
        assert (rows["hash3"]["status"], rows["hash3"]["error"]) == ("failed", "HTTP 503")  # its last error


async def test_a_post_whose_process_stopped_is_taken_over_and_a_live_one_is_not(db):
    async with stores(db, 2, lease_seconds=0.4) as (a, b):
        assert await _claim(a)
        await asyncio.sleep(0.6)  # a's heartbeat keeps its post alive
        assert await b.take_over_followups(max_attempts=5) == []
        await a.close()  # a stops mid-post
        await asyncio.sleep(0.6)
        [post] = await b.take_over_followups(max_attempts=5)
        assert post.attempts == 2
