"""fetch → extract → analyse → ground, with the cache. The one road every caller (CLI, Slack) takes.

Analyses are cached in the store by canonical URL and by text hash, per engine identity, so the same link
shared again anywhere, or the same text under another URL, costs nothing the second time.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from bot import __version__
from bot.analysis import offline
from bot.analysis.model import Analysis, Article
from bot.config import ConfigError, Settings

log = logging.getLogger(__name__)


class Engine(Protocol):
    engine_id: str

    async def analyze(self, article: Article, id: str | None = None) -> Analysis: ...


def _offline_fingerprint() -> str:
    """A digest of the offline engine's code and lexicons, so that a cached analysis is never served
    after either changed (a version bump alone is easy to forget)."""
    root = Path(offline.__file__).parent
    shared = [root.parent / "sentences.py", root.parent / "language.py"]  # the engine reads through these too
    digest = hashlib.sha256()
    for path in sorted([*root.glob("*.py"), *root.glob("lexicons/*.txt")]) + shared:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


class OfflineEngine:
    """The rules engine behind the async interface; it runs in a worker thread so that a busy event loop
    (the Slack app acking requests) is never held for the length of an analysis."""

    engine_id = f"offline:{__version__}:{_offline_fingerprint()}"

    async def analyze(self, article: Article, id: str | None = None) -> Analysis:
        return await asyncio.to_thread(offline.analyze, article, id)


@dataclass(frozen=True)
class Outcome:
    analysis: Analysis
    cached: bool
    seconds: float


def resolve_engine_name(name: str | None, settings: Settings) -> str:
    """`auto` means the LLM engine when a key or a server of one's own is set, the offline engine otherwise."""
    name = (name or settings.engine).lower()
    if name == "auto":
        return "openai" if llm_configured(settings) else "offline"
    return name


def llm_configured(settings: Settings) -> bool:
    # Local servers (Ollama, llama.cpp) take no key: a base URL alone is enough.
    return bool(settings.openai_api_key or settings.openai_base_url)


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def cache_key(engine_id: str, digest: str) -> str:
    return hashlib.sha256(f"{engine_id}\n{digest}".encode()).hexdigest()


class Pipeline:
    def __init__(self, settings: Settings, store: object | None = None) -> None:
        self.settings = settings
        self.store = store
        self._engines: dict[str, Engine] = {}

    def engine(self, name: str | None = None) -> Engine:
        """The engine called `name` (offline, openai, auto; default: the NEWSBOT_ENGINE setting)."""
        name = resolve_engine_name(name, self.settings)
        if name not in self._engines:
            if name == "offline":
                self._engines[name] = OfflineEngine()
            elif name == "openai":
                if not llm_configured(self.settings):
                    raise ConfigError(
                        "The openai engine needs OPENAI_API_KEY (or OPENAI_BASE_URL for a server of your "
                        "own); set it, or use --engine offline"
                    )
                from bot.analysis.llm import LLMEngine

                self._engines[name] = LLMEngine(self.settings, self.store)
            else:
                raise ConfigError(f"Unknown engine {name!r}: use offline, openai or auto")
        return self._engines[name]

    async def analyze_url(self, url: str, *, engine: str | None = None) -> Analysis:
        return (await self.run_url(url, engine=engine)).analysis

    async def analyze_article(
        self, article: Article, *, engine: str | None = None, id: str | None = None
    ) -> Analysis:
        return (await self.run_article(article, engine=engine, id=id)).analysis

    async def run_url(self, url: str, *, engine: str | None = None) -> Outcome:
        """Analyse the article at `url`. Raises bot.fetch.errors.FetchError with a readable message."""
        from bot.fetch import fetch_article
        from bot.fetch.links import canonicalize

        started = time.perf_counter()
        eng = self.engine(engine)
        canonical = canonicalize(url)
        if self.store is not None:
            hit = await self.store.get_analysis_for_url(canonical, eng.engine_id)
            if hit:
                return Outcome(Analysis.from_json(hit), True, time.perf_counter() - started)
        article = await fetch_article(canonical, self.settings)
        return await self._analyze(article, eng, None, canonical, started)

    async def run_article(
        self, article: Article, *, engine: str | None = None, id: str | None = None
    ) -> Outcome:
        return await self._analyze(article, self.engine(engine), id, article.source.url, time.perf_counter())

    async def _analyze(
        self, article: Article, eng: Engine, id: str | None, url: str | None, started: float
    ) -> Outcome:
        digest = text_hash(article.text)
        key = cache_key(eng.engine_id, digest)
        if self.store is not None:
            hit = await self.store.get_analysis(key)
            if hit:
                cached = Analysis.from_json(hit)
                # Same text under another address: keep this request's identity and metadata.
                cached = cached.model_copy(update={"id": id, "source": article.source, "links": article.links})
                if url:
                    await self._put(key, url, digest, eng.engine_id, cached)
                return Outcome(cached, True, time.perf_counter() - started)
        analysis = await eng.analyze(article, id)
        if self.store is not None and not _degraded(analysis, eng):
            await self._put(key, url, digest, eng.engine_id, analysis)
        return Outcome(analysis, False, time.perf_counter() - started)

    async def _put(self, key: str, url: str | None, digest: str, engine_id: str, analysis: Analysis) -> None:
        try:
            await self.store.put_analysis(
                key, url=url, text_hash=digest, engine_id=engine_id, analysis_json=analysis.to_json()
            )
        except Exception:  # a cache write must never cost the user their answer
            log.exception("could not cache the analysis of %s", url)


def _degraded(analysis: Analysis, eng: Engine) -> bool:
    """An LLM engine that fell back to the offline one must not fill the model's cache slot."""
    return not eng.engine_id.startswith(analysis.engine.name)
