"""What the Slack listeners share while the app runs: settings, store, pipeline, Web API client, work queue.

Built once at start-up inside the running event loop (the HTTP session belongs to that loop) and closed
on shutdown.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Coroutine, Iterator
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_interval_calculators import BackoffRetryIntervalCalculator
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.web.async_client import AsyncWebClient

from bot.analysis.pipeline import Pipeline
from bot.config import ConfigError, Settings
from bot.cpu_pool import CpuPool
from bot.memory.clock import Clock, SystemClock
from bot.redact import redact
from bot.slack.acks_first import AcksFirst
from bot.slack.work import WorkQueue
from bot.store import Store

log = logging.getLogger(__name__)

# Slack answers these when the token itself is wrong: start-up must stop and name the setting.
_BAD_TOKEN_ERRORS = {"invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired",
                     "not_allowed_token_type"}
# An analysis that has not finished by then is reported as a failure instead of leaving "Reading…" forever.
ANALYSIS_TIMEOUT = 120.0


def analysis_timeout_for(settings: Settings) -> float:
    """ANALYSIS_TIMEOUT, or longer when the fetch and one model request (OPENAI_TIMEOUT, hard-capped at
    1.5 times it) may take longer: a slow local model's answer, or the offline fallback saying why, is
    worth more than "took too long"."""
    return max(ANALYSIS_TIMEOUT, settings.fetch_timeout + settings.openai_timeout * 1.5 + 30)
IDENTITY_RETRY_SECONDS = 60.0
# At shutdown, how long to wait for listeners to finish what they started for requests already acked
# (recording the link, posting the placeholder): seconds, not analyses.
LISTENER_DRAIN_SECONDS = 10.0
FOLLOWUPS_AT_ONCE = 2
RESTARTED = "I was restarted before I finished; please share the link again"
RESTARTED_COMMAND = "I was restarted before I finished; please run the command again"


def slack_error(e: SlackApiError) -> str:
    """Slack's error code (`not_in_channel`), or the HTTP status when the answer was not Slack's JSON (a
    proxy's error page, a wrong SLACK_API_URL): never an exception while reporting one."""
    data = getattr(e.response, "data", None)
    if isinstance(data, dict) and data.get("error"):
        return str(data["error"])
    return f"HTTP {getattr(e.response, 'status_code', '?')}"


# Slack errors after which the same call may well work a little later, unlike its refusals (not_in_channel).
_MOMENTARY = {"ratelimited", "fatal_error", "internal_error", "request_timeout", "service_unavailable"}


def momentary(e: SlackApiError) -> bool:
    """An error page instead of Slack's JSON (an outage, a proxy), or rate limits that outlasted the
    retries: the same call may well work a little later, unlike Slack's refusals (not_in_channel)."""
    error = slack_error(e)
    return error.startswith("HTTP ") or error in _MOMENTARY


def _is_slack_json(e: SlackApiError) -> bool:
    data = getattr(e.response, "data", None)
    return isinstance(data, dict) and "ok" in data


def api_url_candidates(url: str | None) -> list[str]:
    """The Web API base URLs SLACK_API_URL may mean. Slack's methods live under /api/
    (https://slack.com/api/chat.postMessage); an address without a path (`http://127.0.0.1:8080`) may mean
    that layout or a server with the methods at its root, so both are tried, /api/ first."""
    if not url:
        return []
    url = url if url.endswith("/") else url + "/"
    if urlsplit(url).path not in ("", "/"):
        return [url]
    return [url + "api/", url]


async def resolve_api_url(settings: Settings, session: aiohttp.ClientSession) -> Settings:
    """Settings whose SLACK_API_URL is the base that answers like Slack's Web API (see api_url_candidates).
    A base where auth.test answers, or refuses the token, is the right one; an error page or Slack's
    "unknown_method" (a catch-all server) is not."""
    candidates = api_url_candidates(settings.slack_api_url)
    if len(candidates) < 2:
        return replace(settings, slack_api_url=candidates[0]) if candidates else settings
    chosen: str | None = None
    fallback: str | None = None  # answered in Slack's JSON, but only "unknown_method"
    for base in candidates:
        client = AsyncWebClient(token=settings.slack_bot_token, session=session, base_url=base)
        try:
            await client.auth_test()
        except SlackApiError as e:
            if not _is_slack_json(e):
                continue  # an error page, not Slack's JSON: try the next layout
            if slack_error(e) == "unknown_method":
                fallback = fallback or base
                continue
        except Exception as e:  # unreachable: keep Slack's own layout and let auth.test report it
            log.warning("could not reach SLACK_API_URL %s: %s", settings.slack_api_url, redact(e))
            break
        chosen = base  # auth.test answered, or refused the token: this is where the methods are
        break
    if chosen is None and fallback is None:
        log.warning("SLACK_API_URL %s answered neither %sauth.test nor %sauth.test like Slack's Web API; "
                    "it should be the base the method names follow, e.g. https://slack.com/api/",
                    settings.slack_api_url, candidates[0], candidates[1])
    chosen = chosen or fallback or candidates[0]
    if chosen != settings.slack_api_url:
        log.info("SLACK_API_URL %s: using %s as the Web API base", settings.slack_api_url, chosen)
    return replace(settings, slack_api_url=chosen)


@dataclass
class Identity:
    """Who the bot is in the workspace (from auth.test); empty when Slack could not be asked."""

    user_id: str | None = None
    bot_id: str | None = None
    team_id: str | None = None


# Waits between tries after a 5xx: 0.5 s, then doubling (about 30 s over six tries).
SERVER_ERROR_BACKOFF = BackoffRetryIntervalCalculator(backoff_factor=0.5)


class AnyServerErrorRetryHandler(AsyncServerErrorRetryHandler):
    """slack_sdk's handler retries 500 and 503 only; a 502 or 504 from a proxy or load balancer in front of
    Slack is just as momentary. (Its max_retry_count counts the request's retries of every kind: slack_sdk
    keeps one attempt counter per request, shared by all handlers.)"""

    async def _can_retry_async(self, *, state: RetryState, request: HttpRequest,
                               response: HttpResponse | None = None, error: Exception | None = None) -> bool:
        return response is not None and response.status_code >= 500


def web_client(settings: Settings, session: aiohttp.ClientSession | None, token: str | None) -> AsyncWebClient:
    """A Web API client at SLACK_API_URL that waits out 429s (Retry-After) and retries dropped connections
    and a 500/503."""
    kwargs = {"base_url": settings.slack_api_url} if settings.slack_api_url else {}
    return AsyncWebClient(
        token=token,
        session=session,
        retry_handlers=[
            AsyncConnectionErrorRetryHandler(max_retry_count=2),
            # chat.postMessage allows about one message a second per channel: fifty links in one channel
            # means waiting, not failing.
            AsyncRateLimitErrorRetryHandler(max_retry_count=8),
            # A 5xx from Slack (or a proxy in front of it) is usually momentary: more tries, 0.5, 1, 2, 4…
            # s apart, keep a placeholder from stalling and an answer from being lost.
            AnyServerErrorRetryHandler(max_retry_count=6, interval_calculator=SERVER_ERROR_BACKOFF),
        ],
        **kwargs,
    )


@dataclass
class Runtime:
    settings: Settings
    store: Store
    pipeline: Pipeline
    client: AsyncWebClient
    queue: WorkQueue
    session: aiohttp.ClientSession
    # Worker processes for extraction and the offline engine, so no analysis ever holds an ack.
    cpu: CpuPool = field(default_factory=lambda: CpuPool(0))
    identity: Identity = field(default_factory=Identity)
    # Requests being acked, which the work after other acks gives way to (bot.slack.acks_first).
    acks: AcksFirst = field(default_factory=AcksFirst)
    analysis_timeout: float = ANALYSIS_TIMEOUT
    # Placeholders still saying "Reading…": (channel, ts) → site. Shutdown edits each into an apology.
    pending: dict[tuple[str, str], str] = field(default_factory=dict)
    # Answers owed through a response_url (slash commands, the share button): key → (respond, site, kwargs).
    awaiting: dict[str, tuple[Callable[..., Awaitable[object]], str, dict]] = field(default_factory=dict)
    # Listeners still handling a request Slack has already been acked for (see `handling`).
    listeners: set[asyncio.Task] = field(default_factory=set)
    # Finishes replies owed by processes that died (bot.slack.recovery).
    recovery: asyncio.Task | None = None
    # The time digests are scheduled by (injectable: tests move it by hand), and the scheduler itself.
    clock: Clock = field(default_factory=SystemClock)
    scheduler: Any = None
    upkeep: asyncio.Task | None = None
    # Answers from Slack worth keeping a while (display names, channel types): bot.slack.conversations.
    memo: dict[str, dict] = field(default_factory=dict)
    # Follow-ups match a new article against the team's watched claims (bot.slack.followups): one at a time,
    # behind the replies.
    # Follow-ups matched at once: matching a share is tens of ms of CPU (the watch list), but the model's
    # judge waits seconds on the provider, and one at a time a flood's follow-ups would pile up behind it.
    followup_slots: asyncio.Semaphore = field(default_factory=lambda: asyncio.Semaphore(FOLLOWUPS_AT_ONCE))
    followups_waiting: int = 0
    _asked_at: float = -1e9
    _ask_lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    @classmethod
    async def start(cls, settings: Settings, *, pipeline: Pipeline | None = None,
                    clock: Clock | None = None) -> Runtime:
        store = await Store.open(settings.db_path, lease_seconds=settings.lease_seconds)
        cpu = CpuPool(settings.worker_processes)
        session = aiohttp.ClientSession()
        try:
            settings = await resolve_api_url(settings, session)
        except BaseException:
            await session.close()
            await store.close()
            raise
        acks = AcksFirst()
        rt = cls(
            settings=settings,
            store=store,
            pipeline=pipeline or Pipeline(settings, store, cpu=cpu),
            client=web_client(settings, session, settings.slack_bot_token),
            queue=WorkQueue(settings.max_concurrent_analyses, settings.max_queued_analyses, pause=acks.wait),
            session=session,
            acks=acks,
            analysis_timeout=analysis_timeout_for(settings),
            cpu=cpu,
            clock=clock or SystemClock(),
        )
        try:
            await rt.who_am_i(strict=True)
            await cpu.start()
            # Before the port opens: the engine's first use costs seconds of CPU that no ack should wait for.
            await asyncio.to_thread(rt.pipeline.warm)
        except BaseException:
            await rt.close()
            raise
        rt.queue.start()
        from bot.slack import recovery  # here: recovery builds on replies, which builds on this module

        rt.recovery = asyncio.create_task(recovery.watch(rt), name="newsbot-recovery")
        from bot.slack import upkeep  # here: these build on this module
        from bot.slack.digests import Scheduler

        rt.scheduler = Scheduler(rt, rt.clock)
        rt.scheduler.start()
        rt.upkeep = asyncio.create_task(upkeep.catch_up(rt), name="newsbot-memory-upkeep")
        return rt

    async def who_am_i(self, *, strict: bool = False) -> Identity:
        """Ask auth.test once. A refused token stops start-up (`strict`); an unreachable API only warns,
        so a network blip at boot does not keep the bot down; messages from bots are ignored anyway."""
        if self.identity.user_id:
            return self.identity
        # Every request asks for the identity: after a failure, ask Slack again at most once a minute so a
        # missing identity never costs an HTTP round trip per event (acks must stay fast).
        if time.monotonic() - self._asked_at < IDENTITY_RETRY_SECONDS:
            return self.identity
        async with self._ask_lock:
            if self.identity.user_id or time.monotonic() - self._asked_at < IDENTITY_RETRY_SECONDS:
                return self.identity
            self._asked_at = time.monotonic()
            return await self._auth_test(strict)

    async def _auth_test(self, strict: bool) -> Identity:
        try:
            resp = await self.client.auth_test()
        except SlackApiError as e:
            error = slack_error(e)
            if strict and error in _BAD_TOKEN_ERRORS:
                raise ConfigError(f"SLACK_BOT_TOKEN was refused by Slack ({error}); copy the Bot User OAuth "
                                  "Token (xoxb-…) from OAuth & Permissions") from None
            log.warning("auth.test failed (%s); carrying on without the bot's identity", error)
            return self.identity
        except Exception as e:  # network trouble at start-up
            log.warning("could not reach the Slack API for auth.test: %s", redact(e))
            return self.identity
        self.identity = Identity(user_id=resp.get("user_id"), bot_id=resp.get("bot_id"), team_id=resp.get("team_id"))
        return self.identity

    def after_ack(self, work: Coroutine[object, object, None]) -> None:
        """Run `work` for a request already acked, as a listener: shutdown waits for it too."""
        task = asyncio.create_task(work)
        self.listeners.add(task)
        task.add_done_callback(self._after_ack_done)

    def _after_ack_done(self, task: asyncio.Task) -> None:
        self.listeners.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("handling an acked request failed", exc_info=task.exception())

    @contextlib.contextmanager
    def handling(self) -> Iterator[None]:
        """Mark the current listener as busy with an acked request: shutdown waits for it, because Slack
        never sends an acked event again, so one cut short would be lost without a word."""
        task = asyncio.current_task()
        if task is None:
            yield
            return
        self.listeners.add(task)
        try:
            yield
        finally:
            self.listeners.discard(task)

    async def _drain_listeners(self, timeout: float = LISTENER_DRAIN_SECONDS) -> None:
        deadline = time.monotonic() + timeout
        for _ in range(5):  # let listener tasks scheduled by the last acks start and register
            await asyncio.sleep(0)
        while self.listeners and (left := deadline - time.monotonic()) > 0:
            await asyncio.wait(set(self.listeners), timeout=left)
            await asyncio.sleep(0)
        if self.listeners:
            # Cancelled rather than left running into a closed store: their placeholders are edited
            # ("I was restarted") or handed over by the steps after this one.
            busy = set(self.listeners)
            log.warning("%d listeners still busy at shutdown; stopping them", len(busy))
            for task in busy:
                task.cancel()
            await asyncio.wait(busy, timeout=1.0)

    async def close(self) -> None:
        """Stop in order, and finish every step even when one fails: a step that raised must never leave
        the HTTP session and the database open, nor the process unable to exit on SIGTERM."""
        steps: list[tuple[str, Callable[[], Awaitable[object]]]] = [
            ("stopping the recovery of replies owed", self._stop_recovery),
            ("stopping the digest scheduler", self._stop_memory),
            ("waiting for listeners", self._drain_listeners),
            ("stopping the work queue", self.queue.close),
            ("cancelling analyses", self.pipeline.inflight.cancel_all),
            ("stopping the worker processes", self.cpu.close),
            ("editing placeholders", self._release_placeholders),
            ("closing the model server's HTTP client", self.pipeline.close),
            ("closing the HTTP session", self.session.close),
            ("closing the store", self.store.close),
        ]
        for what, step in steps:
            try:
                await step()
            except Exception:
                log.exception("shutdown: %s failed; carrying on", what)

    async def _stop_recovery(self) -> None:
        if self.recovery is not None:
            self.recovery.cancel()
            await asyncio.gather(self.recovery, return_exceptions=True)

    async def _stop_memory(self) -> None:
        if self.scheduler is not None:
            await self.scheduler.stop()
        if self.upkeep is not None:
            self.upkeep.cancel()
            await asyncio.gather(self.upkeep, return_exceptions=True)

    async def _release_placeholders(self, timeout: float = 5.0) -> None:
        """A restart must not leave "Reading…" in a thread forever. On PostgreSQL (several processes) the
        replies owed are handed to the others, which finish them; otherwise, and for any not recorded in
        the store, say what happened instead. Slash command answers still owed get the same sentence
        through their response_url."""
        if self.store.backend == "postgresql":
            await _hand_over(self.pending, self.store.hand_over_replies, "replies")
            await _hand_over(self.awaiting, self.store.hand_over_responses, "slash command answers")
        if not self.pending and not self.awaiting:
            return
        from bot.slack import blocks  # here, not at the top: blocks is pure formatting, runtime is wiring

        reason = RESTARTED

        async def one(channel: str, ts: str, site: str) -> None:
            try:
                message = blocks.failure(site, reason)
                await self.client.chat_update(channel=channel, ts=ts, **message.as_kwargs(update=True))
                await self.store.settle_reply(channel, ts)
            except Exception as e:
                log.warning("could not edit the placeholder in %s: %s", channel, redact(e))

        async def owed(id: str, respond: Callable[..., Awaitable[object]], site: str, kwargs: dict) -> None:
            try:
                message = blocks.failure(site, RESTARTED_COMMAND)
                await respond(**message.as_kwargs(), **kwargs)
                await self.store.settle_response(id)  # answered: not to be answered again after a restart
            except Exception as e:
                log.warning("could not answer through a response_url: %s", redact(e))

        pending, self.pending = self.pending, {}
        awaiting, self.awaiting = self.awaiting, {}
        jobs = [one(channel, ts, site) for (channel, ts), site in pending.items()]
        jobs += [owed(id, respond, site, kwargs) for id, (respond, site, kwargs) in awaiting.items()]
        try:
            await asyncio.wait_for(asyncio.gather(*jobs), timeout=timeout)
        except TimeoutError:
            log.warning("gave up editing %d placeholders at shutdown", len(jobs))


async def _hand_over(owed: dict, hand_over: Callable[[], Awaitable[set]], what: str) -> None:
    """Give the other processes (PostgreSQL) what this stopping one still owes; they finish it."""
    if not owed:
        return
    try:
        handed = await hand_over()
    except Exception as e:
        log.warning("could not hand unfinished %s to the other processes: %s", what, e)
        return
    for key in handed:
        owed.pop(key, None)
    if handed:
        log.info("handed %d unfinished %s to the other processes", len(handed), what)
