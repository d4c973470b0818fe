"""One analysis per link at a time, on both store backends: shares in one process share a task; several
pipelines on one database (as several processes) share a lease; a failed fetch is remembered briefly."""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest

from bot.analysis.pipeline import Pipeline
from bot.config import load_settings
from bot.fetch.errors import FetchError
from bot.store import Store
from tests.fakes.article_server import ArticleServer

STORY = "Harbor council {n}\n\nThe council voted on Monday to close harbor {n}, officials said. The mayor said it was {n}."


@pytest.fixture
async def articles():
    server = await ArticleServer(slow_seconds=0.5).start()
    yield server
    await server.stop()


def settings(db: str, **env: str):
    return load_settings({"NEWSBOT_ENGINE": "offline", "NEWSBOT_FETCH_ALLOW_HOSTS": "127.0.0.1", "NEWSBOT_DB": db,
                          **env}, dotenv=False)


async def pipelines(db: str, n: int, **env: str) -> list[Pipeline]:
    s = settings(db, **env)
    return [Pipeline(s, await Store.open(db, lease_seconds=s.lease_seconds)) for _ in range(n)]


async def close(ps: list[Pipeline]) -> None:
    for p in ps:
        await p.store.close()


async def outcomes(calls) -> list:
    return await asyncio.gather(*calls, return_exceptions=True)


async def test_n_shares_of_m_links_fetch_each_link_once(db, articles):
    """40 shares of 4 links, at once, spread over two pipelines on one database: 4 fetches, 40 answers."""
    urls = [articles.add(f"m{i}", STORY.format(n=i)) for i in range(4)] + [articles.url("/slow")]
    shares = [urls[i % len(urls)] + ("?utm_source=x" if i % 3 else "") for i in range(40)]
    ps = await pipelines(db, 2)
    try:
        results = await outcomes(ps[i % 2].run_url(u) for i, u in enumerate(shares))
    finally:
        await close(ps)
    assert not [r for r in results if isinstance(r, BaseException)]
    fetched = Counter({path: n for path, n in articles.hits.items()})
    assert sum(fetched.values()) == len(urls) and set(fetched.values()) == {1}
    assert sum(not r.cached for r in results) == len(urls)


async def test_syndicated_copies_are_analysed_once_and_keep_their_own_metadata(db, articles):
    text = STORY.format(n="wire")
    a, b = articles.add("site-a", text), articles.add("site-b", text)
    articles.pages["site-b"] = articles.pages["site-b"].replace("Harbor Daily", "Bay Times")
    (p,) = await pipelines(db, 1)
    try:
        first = await p.run_url(a)
        second = await p.run_url(b)
        # Again, each from its own address: no fetch, and each keeps its own site name.
        again_a, again_b = await p.run_url(a), await p.run_url(b)
    finally:
        await close([p])
    assert not first.cached and second.cached and again_a.cached and again_b.cached
    assert articles.hits == Counter({"/news/site-a": 1, "/news/site-b": 1})
    assert again_a.analysis.source.site == "Harbor Daily"
    assert again_b.analysis.source.site == "Bay Times"
    assert again_b.analysis.source.url == b


async def test_a_failed_fetch_is_shared_and_remembered(db, articles):
    """A 404 shared 30 times at once over two pipelines: fetched once, 30 answers naming the 404."""
    missing = articles.url("/missing")
    ps = await pipelines(db, 2)
    try:
        results = await outcomes(ps[i % 2].run_url(missing) for i in range(30))
        later = await outcomes([ps[1].run_url(missing)])
    finally:
        await close(ps)
    assert articles.hits["/missing"] == 1
    messages = {str(r) for r in results + later}
    assert all(isinstance(r, FetchError) for r in results + later) and len(messages) == 1
    assert "404" in messages.pop()


async def test_a_failure_is_forgotten_after_its_time(db, articles):
    missing = articles.url("/missing")
    (p,) = await pipelines(db, 1, NEWSBOT_FETCH_FAILURE_SECONDS="0")
    try:
        for _ in range(2):
            with pytest.raises(FetchError):
                await p.run_url(missing)
    finally:
        await close([p])
    assert articles.hits["/missing"] == 2


async def test_a_lease_left_by_a_dead_process_is_taken_over(db, articles):
    """A process took the link's lease and died: the next one waits for the lease to expire, then reads it."""
    url = articles.add("orphan", STORY.format(n="orphan"))
    (p,) = await pipelines(db, 1, NEWSBOT_LEASE_SECONDS="0.6")
    dead = await Store.open(db, lease_seconds=0.6)
    try:
        assert await dead.acquire_lease(p.lease_name(p.engine().engine_id, url))
        dead._beat.cancel()  # it stops beating, as a killed process would
        outcome = await asyncio.wait_for(p.run_url(url), timeout=10)
    finally:
        await dead.close()
        await close([p])
    assert not outcome.cached and articles.hits["/news/orphan"] == 1


async def test_a_store_that_stays_down_costs_the_cache_not_the_answer(tmp_path, articles, monkeypatch):
    from bot.store import StoreUnavailable

    (p,) = await pipelines(str(tmp_path / "db.sqlite"), 1)

    async def down(*args, **kwargs):
        raise StoreUnavailable("the database stayed unavailable")

    for name in ("lookup_url", "recent_failure", "acquire_lease", "release_lease", "get_analysis",
                 "put_analysis", "remember_failure"):
        monkeypatch.setattr(p.store, name, down)
    try:
        outcome = await p.run_url(articles.url("/news/water"))
        with pytest.raises(FetchError, match="404"):
            await p.run_url(articles.url("/missing"))
    finally:
        await close([p])
    assert "Harbor city" in outcome.analysis.source.title


async def test_waiting_on_a_live_holder_that_never_finishes_ends(db, articles, monkeypatch):
    import bot.analysis.pipeline as pipeline_module

    monkeypatch.setattr(pipeline_module, "LEASE_WAIT_SECONDS", 0.5)
    url = articles.add("stuck", STORY.format(n="stuck"))
    (p,) = await pipelines(db, 1)
    holder = await Store.open(db)
    try:
        engine_id = p.engine().engine_id
        assert await holder.acquire_lease(p.lease_name(engine_id, url))  # alive, beating, never done
        with pytest.raises(TimeoutError):
            await p.run_url(url)
    finally:
        await holder.close()
        await close([p])
    assert articles.hits["/news/stuck"] == 0
