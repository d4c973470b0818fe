"""fetch → extract → analyse → ground, with the cache. The one road every caller (CLI, Slack) takes.

Analyses are cached in the store by text hash per engine identity, and every canonical URL that led to one
maps to it (with that address's own metadata), so the same link shared again anywhere, or the same text
under another URL, costs nothing the second time.

One analysis per link at a time: callers in this process share one task (`Flights`); across processes
the task's holder takes a lease in the store and the others poll the store for its result. A failed
fetch is remembered for NEWSBOT_FETCH_FAILURE_SECONDS, so a dead link shared everywhere is fetched once.
"""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import json
import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from bot import __version__
from bot.analysis import offline
from bot.analysis.flight import Flights
from bot.analysis.model import Analysis, Article, Link, Source
from bot.config import ConfigError, Settings
from bot.cpu_pool import CpuPool, run_cpu

log = logging.getLogger(__name__)

# How often a process waiting on another process's analysis of the same link looks for its result, and for
# how long at most (longer than any caller waits: the Slack app gives up on an analysis after 120 s).
LEASE_POLL_SECONDS = 0.25
LEASE_WAIT_SECONDS = 180.0


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
    """The rules engine behind the async interface. It runs in `cpu`'s worker processes when given (the
    Slack app, whose acks must never wait behind an analysis holding the GIL), else in a thread."""

    engine_id = f"offline:{__version__}:{_offline_fingerprint()}"

    def __init__(self, cpu: CpuPool | None = None) -> None:
        self.cpu = cpu

    async def analyze(self, article: Article, id: str | None = None) -> Analysis:
        return await run_cpu(self.cpu, offline.analyze, article, id)


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
    def __init__(self, settings: Settings, store: object | None = None, *, cpu: CpuPool | None = None) -> None:
        self.settings = settings
        self.store = store
        self.cpu = cpu  # where extraction and the offline engine run; None: threads
        self._engines: dict[str, Engine] = {}
        # Analyses of links running now, by (engine id, canonical URL).
        self.inflight: Flights[Outcome] = Flights()

    async def close(self) -> None:
        """Close what the engines hold open (the LLM engine's HTTP client), inside the running loop."""
        for eng in list(self._engines.values()):
            close = getattr(eng, "close", None)
            if close is not None:
                await close()

    def engine(self, name: str | None = None) -> Engine:
        """The engine called `name` (offline, openai, auto; default: the NEWSBOT_ENGINE setting)."""
        name = resolve_engine_name(name, self.settings)
        if name not in self._engines:
            if name == "offline":
                self._engines[name] = OfflineEngine(self.cpu)
            elif name == "openai":
                if not llm_configured(self.settings):
                    raise ConfigError(
                        "The openai engine needs OPENAI_API_KEY (or OPENAI_BASE_URL for a server of your "
                        "own); set it, or use --engine offline"
                    )
                from bot.analysis.llm import LLMEngine

                self._engines[name] = LLMEngine(self.settings, self.store, cpu=self.cpu)
            else:
                raise ConfigError(f"Unknown engine {name!r}: use offline, openai or auto")
        return self._engines[name]

    def warm(self) -> None:
        """Import and set up the default engine now (the LLM engine's imports and tokenizer take a second
        or two of CPU), so that the first analysis of a running app does not hold its event loop."""
        engine = self.engine()
        warm = getattr(engine, "warm", None)
        if warm is not None:
            warm()

    async def analyze_url(self, url: str, *, engine: str | None = None) -> Analysis:
        return (await self.run_url(url, engine=engine)).analysis

    async def analyze_article(
        self, article: Article, *, engine: str | None = None, id: str | None = None
    ) -> Analysis:
        return (await self.run_article(article, engine=engine, id=id)).analysis

    async def run_url(self, url: str, *, engine: str | None = None) -> Outcome:
        """Analyse the article at `url`. Raises bot.fetch.errors.FetchError with a readable message.

        A link already being analysed (here or in another process) is not fetched again: this waits for
        that analysis and answers as from the cache."""
        from bot.fetch.links import canonicalize

        eng = self.engine(engine)
        canonical = canonicalize(url)
        started = time.perf_counter()
        outcome, joined = await self.inflight.run(
            (eng.engine_id, canonical), lambda: self._run_url_once(canonical, eng, started))
        return dataclasses.replace(outcome, cached=True) if joined else outcome

    async def _run_url_once(self, canonical: str, eng: Engine, started: float) -> Outcome:
        if self.store is None:
            return await self._fetch_and_analyze(canonical, eng, started)
        lease = self.lease_name(eng.engine_id, canonical)
        deadline = time.monotonic() + LEASE_WAIT_SECONDS
        while True:
            done = await self._known(canonical, eng, started)
            if done is not None:
                return done
            if await self._acquire(lease):
                break
            if time.monotonic() > deadline:  # the holder lives but never finishes: stop waiting on it
                raise TimeoutError(f"another process has been analysing {canonical} for too long")
            await asyncio.sleep(LEASE_POLL_SECONDS)  # another process is on it: its result lands in the store
        try:
            # It may have finished between our look and our lease.
            return await self._known(canonical, eng, started) or await self._fetch_and_analyze(
                canonical, eng, started)
        finally:
            await self._release(lease)

    @staticmethod
    def lease_name(engine_id: str, canonical: str) -> str:
        """The store lease for analysing `canonical` with `engine_id` (hashed: URLs can be long)."""
        return "analysis:" + hashlib.sha256(f"{engine_id}\n{canonical}".encode()).hexdigest()

    async def _known(self, canonical: str, eng: Engine, started: float) -> Outcome | None:
        """The cached analysis of this address, or its recent fetch failure raised again; None if neither."""
        try:
            hit = await self.store.lookup_url(canonical, eng.engine_id)
            failure = None if hit else await self.store.recent_failure(canonical)
        except Exception as e:  # the store being down costs a fetch, not the answer
            log.warning("could not look %s up in the store: %s", canonical, e)
            return None
        if failure is not None:
            from bot.fetch.errors import FetchError

            raise FetchError(failure, url=canonical)
        if hit is None:
            return None
        analysis = Analysis.from_json(hit.analysis_json)
        if hit.meta_json:
            meta = json.loads(hit.meta_json)
            analysis = analysis.model_copy(update={
                "source": Source.model_validate(meta["source"]),
                "links": [Link.model_validate(link) for link in meta.get("links", [])]})
        return Outcome(analysis, True, time.perf_counter() - started)

    async def _fetch_and_analyze(self, canonical: str, eng: Engine, started: float) -> Outcome:
        from bot.fetch import FetchError, fetch_article

        try:
            article = await fetch_article(canonical, self.settings, cpu=self.cpu)
        except FetchError as e:
            if self.store is not None:
                try:
                    await self.store.remember_failure(canonical, str(e), self.settings.fetch_failure_seconds)
                except Exception as store_error:
                    log.warning("could not remember the failed fetch of %s: %s", canonical, store_error)
            raise
        return await self._analyze(article, eng, None, canonical, started)

    async def _acquire(self, lease: str) -> bool:
        try:
            return await self.store.acquire_lease(lease)
        except Exception as e:  # no lease to be had: analyse anyway rather than never answer
            log.warning("could not take the lease %s: %s", lease, e)
            return True

    async def _release(self, lease: str) -> None:
        try:
            await self.store.release_lease(lease)
        except Exception as e:  # it expires on its own
            log.warning("could not release the lease %s: %s", lease, e)

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
            hit = await self._cached_text(key)
            if hit:
                cached = Analysis.from_json(hit)
                # Same text under another address: keep this request's identity and metadata.
                cached = cached.model_copy(update={"id": id, "source": article.source, "links": article.links})
                if url:
                    await self._put(key, url, digest, eng.engine_id, cached, article)
                return Outcome(cached, True, time.perf_counter() - started)
        analysis = await eng.analyze(article, id)
        if article.warnings:
            analysis = analysis.model_copy(update={"warnings": [*article.warnings, *analysis.warnings]})
        if self.store is not None and not _degraded(analysis, eng):
            await self._put(key, url, digest, eng.engine_id, analysis, article)
        return Outcome(analysis, False, time.perf_counter() - started)

    async def _cached_text(self, key: str) -> str | None:
        try:
            return await self.store.get_analysis(key)
        except Exception as e:  # the store being down costs an analysis, not the answer
            log.warning("could not read the analysis cache: %s", e)
            return None

    async def _put(
        self, key: str, url: str | None, digest: str, engine_id: str, analysis: Analysis, article: Article
    ) -> None:
        meta = json.dumps({"source": article.source.model_dump(mode="json"),
                           "links": [link.model_dump(mode="json") for link in article.links]})
        try:
            await self.store.put_analysis(key, url=url, text_hash=digest, engine_id=engine_id,
                                          analysis_json=analysis.to_json(), meta_json=meta)
        except Exception:  # a cache write must never cost the user their answer
            log.exception("could not cache the analysis of %s", url)


def _degraded(analysis: Analysis, eng: Engine) -> bool:
    """An LLM engine that fell back to the offline one must not fill the model's cache slot."""
    return not eng.engine_id.startswith(analysis.engine.name)
