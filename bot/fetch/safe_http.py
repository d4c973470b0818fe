"""The only code that touches the network for articles: GET a link through the SSRF guard, within limits.

Redirects are followed by hand so every hop passes the guard; the body is read in chunks and cut off at
the size cap; connection errors, 429 and 5xx are retried (at most 3 tries in all, honouring Retry-After).
"""

from __future__ import annotations

import asyncio
import random
import weakref
from collections.abc import Mapping
from dataclasses import dataclass

import aiohttp
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception, stop_after_attempt
from yarl import URL

from ..config import Settings
from .decode import decode_body
from .errors import (
    ConnectionFailed,
    FetchError,
    FetchTimeout,
    HTTPStatusError,
    InvalidURL,
    TooLarge,
    TooManyRedirects,
    UnsupportedContentType,
)
from .guard import PinnedResolver, resolve_checked
from .pdf import PDF_MAGIC

USER_AGENT = "Mozilla/5.0 (compatible; newsbot/0.1; +https://github.com/newsbot/newsbot; reads links shared in Slack)"
ACCEPT = "text/html,application/xhtml+xml;q=0.9,text/plain;q=0.8,application/pdf;q=0.8,*/*;q=0.1"
PDF_TYPE = "application/pdf"  # read as bytes (bot/fetch/pdf.py), up to NEWSBOT_FILE_MAX_BYTES
ARTICLE_TYPES = frozenset({"text/html", "application/xhtml+xml", "text/plain", PDF_TYPE})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
MAX_TRIES = 3
RETRY_AFTER_CAP = 5.0  # seconds; a site asking for longer gets this much, then its error
CHUNK = 64 * 1024

# Sessions made by new_session(), with the resolver each one's connector consults.
_RESOLVERS: weakref.WeakKeyDictionary[aiohttp.ClientSession, PinnedResolver] = weakref.WeakKeyDictionary()


@dataclass(frozen=True)
class FetchedPage:
    url_final: str
    status: int
    content_type: str  # media type only, lowercase: "text/html"
    charset: str  # the codec the body was decoded with
    body: bytes
    text: str


def new_session(settings: Settings) -> aiohttp.ClientSession:
    """A client session whose connections can only go to addresses the guard approved.

    Pass it to `fetch` to reuse connections across fetches; close it when done. Must be called inside a
    running event loop.
    """
    resolver = PinnedResolver()
    connector = aiohttp.TCPConnector(resolver=resolver, use_dns_cache=False, limit=32, limit_per_host=4)
    session = aiohttp.ClientSession(
        connector=connector,
        headers={"User-Agent": USER_AGENT, "Accept": ACCEPT, "Accept-Language": "en;q=1.0, *;q=0.5"},
        timeout=aiohttp.ClientTimeout(total=None, sock_connect=settings.fetch_timeout),
        trust_env=False,  # never route through an environment proxy, which would bypass the pinning
    )
    _RESOLVERS[session] = resolver
    return session


async def fetch(url: str, settings: Settings, *, session: aiohttp.ClientSession | None = None) -> FetchedPage:
    """GET `url` safely and return the decoded page. Raises a FetchError subclass on every failure."""
    own_session = session is None
    if session is None:
        session = new_session(settings)
    resolver = _RESOLVERS.get(session)
    if resolver is None:
        raise ValueError("fetch() needs a session made by bot.fetch.new_session(), which pins checked addresses")
    try:
        retrying = AsyncRetrying(
            stop=stop_after_attempt(MAX_TRIES),
            wait=_wait,
            retry=retry_if_exception(lambda e: isinstance(e, FetchError) and e.retryable),
            reraise=True,
        )
        async for attempt in retrying:
            with attempt:
                return await _fetch_once(url, settings, session, resolver)
        raise AssertionError("unreachable: tenacity re-raises the last error")  # pragma: no cover
    finally:
        if own_session:
            await session.close()


def _wait(state: RetryCallState) -> float:
    error = state.outcome.exception() if state.outcome else None
    retry_after = getattr(error, "retry_after", None)
    if retry_after is not None:
        return min(retry_after, RETRY_AFTER_CAP)
    return min(4.0, 0.5 * 2 ** (state.attempt_number - 1)) + random.uniform(0, 0.25)


def parse_url(url: str) -> URL:
    """An absolute http(s) URL, or InvalidURL."""
    try:
        parsed = URL(url.strip())
    except (ValueError, TypeError):
        raise InvalidURL(url) from None
    if parsed.scheme not in ("http", "https"):
        raise InvalidURL(url, "I only fetch http and https links")
    if not parsed.raw_host:
        raise InvalidURL(url, "it has no host name")
    return parsed


async def _fetch_once(
    url: str, settings: Settings, session: aiohttp.ClientSession, resolver: PinnedResolver
) -> FetchedPage:
    current = parse_url(url)
    try:
        async with asyncio.timeout(settings.fetch_timeout):
            for _hop in range(settings.fetch_max_redirects + 1):
                await _guard(current, settings, resolver, url)
                async with session.get(current, allow_redirects=False, raise_for_status=False) as resp:
                    location = resp.headers.get("Location")
                    if resp.status in REDIRECT_STATUSES and location:
                        current = _redirect_target(current, location)
                        continue
                    return await _read_page(resp, current, settings)
            raise TooManyRedirects(settings.fetch_max_redirects, url=url)
    except FetchError:
        raise
    except TimeoutError:
        raise FetchTimeout(settings.fetch_timeout, url=url) from None
    except aiohttp.InvalidURL:
        raise InvalidURL(str(current)) from None
    except (aiohttp.ClientConnectorCertificateError, aiohttp.ClientSSLError):
        raise ConnectionFailed("The site's security certificate didn't check out, so I stopped", url=url,
                               retryable=False) from None
    except aiohttp.ClientConnectorDNSError:
        raise ConnectionFailed(f"I couldn't find a site called {current.host}", url=url,
                               retryable=False) from None
    except (aiohttp.ClientError, OSError) as error:
        raise ConnectionFailed(f"I couldn't connect to {current.host} ({type(error).__name__})",
                               url=url) from None


async def _guard(target: URL, settings: Settings, resolver: PinnedResolver, url: str) -> None:
    host = target.raw_host or ""
    port = target.port or (443 if target.scheme == "https" else 80)
    results = await resolve_checked(host, port, settings.fetch_allow_hosts, url=url)
    if results is not None:
        resolver.pin(host, results)


def _redirect_target(current: URL, location: str) -> URL:
    try:
        target = current.join(URL(location))
    except (ValueError, TypeError):
        raise InvalidURL(location, "the site redirected to an address I can't read") from None
    if target.scheme not in ("http", "https"):
        raise InvalidURL(str(target), "the site redirected to something other than a web page")
    return target.with_fragment(None)


def _retry_after(headers: Mapping[str, str]) -> float | None:
    raw = headers.get("Retry-After")
    if raw is None:
        return None
    try:
        return max(0.0, float(raw))
    except ValueError:
        return RETRY_AFTER_CAP  # an HTTP date: wait as long as we are willing to


async def _read_page(resp: aiohttp.ClientResponse, where: URL, settings: Settings) -> FetchedPage:
    url = str(where)
    if resp.status >= 400 or resp.status in REDIRECT_STATUSES:
        raise HTTPStatusError(resp.status, resp.reason, url=url, retry_after=_retry_after(resp.headers))
    # Servers that do not know what they send say application/octet-stream; look at the bytes instead.
    declared = resp.headers.get("Content-Type") and resp.content_type.lower() != "application/octet-stream"
    content_type = resp.content_type.lower() if declared else ""
    if declared and content_type not in ARTICLE_TYPES:
        raise UnsupportedContentType(content_type, url=url)
    # A PDF may be larger than a web page; an undeclared body may turn out to be one.
    limit = settings.fetch_max_bytes if content_type not in ("", PDF_TYPE) else _pdf_limit(settings)
    if resp.content_length is not None and resp.content_length > limit:
        raise TooLarge(limit, resp.content_length, url=url)
    body = await read_capped(resp, limit, url)
    if not declared:
        content_type = _sniff(body)
        if content_type is None:
            raise UnsupportedContentType(resp.content_type, url=url)
        if content_type != PDF_TYPE and len(body) > settings.fetch_max_bytes:
            raise TooLarge(settings.fetch_max_bytes, len(body), url=url)
    if content_type == PDF_TYPE:  # bytes, not text: bot/fetch/pdf.py reads it
        return FetchedPage(url_final=url, status=resp.status, content_type=content_type, charset="",
                           body=body, text="")
    text, codec = decode_body(body, resp.charset if declared else None, html=content_type != "text/plain")
    return FetchedPage(url_final=url, status=resp.status, content_type=content_type, charset=codec,
                       body=body, text=text)


async def read_capped(resp: aiohttp.ClientResponse, limit: int, url: str) -> bytes:
    """The body, refusing as soon as it passes `limit` bytes (after decompression)."""
    chunks: list[bytes] = []
    total = 0
    async for chunk in resp.content.iter_chunked(CHUNK):
        total += len(chunk)
        if total > limit:
            raise TooLarge(limit, url=url)
        chunks.append(chunk)
    return b"".join(chunks)


def _pdf_limit(settings: Settings) -> int:
    return max(settings.fetch_max_bytes, settings.file_max_bytes)


def _sniff(body: bytes) -> str | None:
    """A media type for a response that declared none: a PDF or HTML if it looks like one, else unknown."""
    if PDF_MAGIC in body[:1024]:
        return PDF_TYPE
    head = body[:1024].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html", b"<head", b"<body")) or b"<html" in head:
        return "text/html"
    return None
