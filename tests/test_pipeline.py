"""The pipeline: engine choice and the analysis cache (by canonical URL and by text hash)."""

from __future__ import annotations

from bot.analysis.model import Analysis, Article, Engine, Source
from bot.analysis.pipeline import Pipeline, cache_key, resolve_engine_name, text_hash
from bot.config import ConfigError, load_settings
from bot.store import Store


class CountingEngine:
    engine_id = "offline:counting"

    def __init__(self) -> None:
        self.calls = 0

    async def analyze(self, article: Article, id: str | None = None) -> Analysis:
        self.calls += 1
        return Analysis(id=id, text=article.text, source=article.source, engine=Engine(name="offline"))


def test_engine_resolution():
    assert resolve_engine_name("auto", load_settings({})) == "offline"
    assert resolve_engine_name("auto", load_settings({"OPENAI_API_KEY": "k"})) == "openai"
    assert resolve_engine_name(None, load_settings({"NEWSBOT_ENGINE": "offline", "OPENAI_API_KEY": "k"})) == "offline"
    # a local OpenAI-compatible server needs no key
    assert resolve_engine_name("auto", load_settings({"OPENAI_BASE_URL": "http://127.0.0.1:11434/v1"})) == "openai"


def test_openai_engine_needs_a_key():
    try:
        Pipeline(load_settings({})).engine("openai")
    except ConfigError as e:
        assert "OPENAI_API_KEY" in str(e)
    else:
        raise AssertionError("expected a ConfigError")


async def test_offline_engine_through_the_pipeline():
    p = Pipeline(load_settings({}))
    a = await p.analyze_article(Article(text="\"We will rebuild,\" the mayor said."), engine="offline", id="x")
    assert a.id == "x" and a.engine.name == "offline"


async def test_same_text_is_analysed_once(tmp_path):
    store = await Store.open(str(tmp_path / "db.sqlite"))
    try:
        p = Pipeline(load_settings({}), store)
        eng = CountingEngine()
        p._engines["counting"] = eng  # a test engine that counts its calls
        art = Article(text="Some news. More news.", source=Source(url="https://a.example/x"))
        first = await p.run_article(art, engine="counting", id="1")
        other = Article(text="Some news. More news.", source=Source(url="https://b.example/y", title="Copy"))
        second = await p.run_article(other, engine="counting", id="2")
        assert eng.calls == 1
        assert not first.cached and second.cached
        # the cached answer carries this request's identity and metadata, not the first one's
        assert second.analysis.id == "2" and second.analysis.source.title == "Copy"
        assert await store.get_analysis(cache_key(eng.engine_id, text_hash(art.text)))
        assert await store.get_analysis_for_url("https://b.example/y", eng.engine_id)
    finally:
        await store.close()


def test_pipeline_resolves_engine_name(monkeypatch):
    p = Pipeline(load_settings({"NEWSBOT_ENGINE": "offline"}))
    assert p.engine().engine_id.startswith("offline:")
