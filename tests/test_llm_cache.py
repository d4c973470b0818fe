"""The same article twice → one model call: through the pipeline and the SQLite store, across processes'
worth of fresh Pipeline/Store objects; a fallback answer is never cached in the model's slot."""

from __future__ import annotations

from pathlib import Path

from bot.analysis.model import Article, Source
from bot.analysis.pipeline import Pipeline
from bot.config import load_settings
from bot.store import Store
from tests.fakes.fake_openai import FakeOpenAI, answer, error

ARTICLE = (Path(__file__).resolve().parents[1] / "examples" / "article.txt").read_text(encoding="utf-8")
GOOD = {
    "kind": "news",
    "summary": [{"text": "Officials told residents of three districts to stop drinking tap water after a leak.",
                 "sentence_ids": [1]}],
    "claims": [],
    "quotes": [{"speaker": "Elena Varga", "speaker_title": "Mayor", "speaker_kind": "person",
                "text": "We are not going to take chances with people's health,", "kind": "direct",
                "sentence_id": 2}],
    "flags": [],
}


def settings(fake: FakeOpenAI, db: Path, **env: str):
    return load_settings({"OPENAI_API_KEY": "k", "OPENAI_BASE_URL": fake.base_url, "NEWSBOT_ENGINE": "openai",
                          "NEWSBOT_DB": str(db), "OPENAI_MAX_RETRIES": "1", **env}, dotenv=False)


async def run_once(fake: FakeOpenAI, db: Path, article: Article, **env: str):
    """A fresh store and pipeline each time, as a new `newsbot analyze` process would have."""
    s = settings(fake, db, **env)
    store = await Store.open(s.db_path)
    pipeline = Pipeline(s, store)
    try:
        return await pipeline.run_article(article)
    finally:
        await pipeline.engine().close()  # the LLM engine's HTTP client
        await store.close()


def article(url: str | None = "https://news.example/water") -> Article:
    return Article(text=ARTICLE, source=Source(url=url, title="Water limits"))


async def test_same_article_twice_is_one_model_call(fake, tmp_path):
    fake.default = answer(GOOD)
    db = tmp_path / "newsbot.sqlite"
    first = await run_once(fake, db, article())
    second = await run_once(fake, db, article())
    assert fake.calls == 1
    assert not first.cached and second.cached
    assert second.analysis.engine.name == "openai"
    assert second.analysis.quotes == first.analysis.quotes


async def test_same_text_at_another_address_is_not_asked_again(fake, tmp_path):
    fake.default = answer(GOOD)
    db = tmp_path / "newsbot.sqlite"
    await run_once(fake, db, article("https://news.example/a"))
    await run_once(fake, db, article("https://mirror.example/b"))
    assert fake.calls == 1


async def test_another_model_or_prompt_version_is_a_new_cache_entry(fake, tmp_path):
    fake.default = answer(GOOD)
    db = tmp_path / "newsbot.sqlite"
    await run_once(fake, db, article())
    await run_once(fake, db, article(), OPENAI_MODEL="gpt-4.1-nano")
    assert fake.calls == 2


async def test_a_fallback_is_not_cached(fake, tmp_path):
    db = tmp_path / "newsbot.sqlite"
    fake.default = error(500)
    first = await run_once(fake, db, article())
    assert first.analysis.engine.name == "offline" and fake.calls == 2
    fake.default = answer(GOOD)
    second = await run_once(fake, db, article())
    assert not second.cached and second.analysis.engine.name == "openai"


async def test_batch_caches_model_answers_too(fake, tmp_path):
    # `newsbot batch` with the LLM engine: the same text on two lines, and again in a second run → one call.
    import argparse
    import io
    import json

    from bot import cli

    fake.default = answer(GOOD)
    s = settings(fake, tmp_path / "newsbot.sqlite")
    line = json.dumps({"id": "a", "text": ARTICLE})
    for _ in range(2):
        out = io.StringIO()
        assert await cli._batch(argparse.Namespace(engine=None), s, io.StringIO(f"{line}\n{line}\n"), out) == 0
        rows = [json.loads(x) for x in out.getvalue().splitlines()]
        assert [r["engine"]["name"] for r in rows] == ["openai", "openai"]
    assert fake.calls == 1
