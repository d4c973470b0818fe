"""The fetcher against a real HTTP server on 127.0.0.1: SSRF guard, limits, redirects, retries, charsets."""

from __future__ import annotations

import asyncio
import dataclasses
import ipaddress
import socket
from collections import Counter
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from bot.config import Settings
from bot.fetch import (
    BlockedAddress,
    ConnectionFailed,
    FetchTimeout,
    HTTPStatusError,
    InvalidURL,
    NoArticleText,
    TooLarge,
    TooManyRedirects,
    UnsupportedContentType,
    fetch,
    fetch_article,
    new_session,
    safe_http,
)
from bot.fetch.errors import human_size
from bot.fetch.guard import PinnedResolver, parse_ip_host, refusal_reason, resolve_checked

ARTICLE = (Path(__file__).parent / "fixtures" / "html" / "news_full.html").read_bytes()
LATIN1 = "<html><head><title>Caf\u00e9</title></head><body><p>Le caf\u00e9 co\u00fbte 2 \u00a3.</p></body></html>"


def make_app(hits: Counter) -> web.Application:
    async def article(request: web.Request) -> web.Response:
        hits[request.path] += 1
        return web.Response(body=ARTICLE, content_type="text/html", charset="utf-8")

    async def echo_host(request: web.Request) -> web.Response:
        return web.Response(text=f"host={request.headers.get('Host')} ua={request.headers.get('User-Agent')}")

    async def redirect(request: web.Request) -> web.Response:
        n = int(request.match_info["n"])
        raise web.HTTPFound("/article?utm_source=x#frag" if n == 0 else f"/redirect/{n - 1}")

    async def redirect_to(request: web.Request) -> web.Response:
        raise web.HTTPFound(request.query["to"])

    async def latin1(request: web.Request) -> web.Response:
        return web.Response(body=LATIN1.encode("latin-1"), headers={"Content-Type": "text/html; charset=ISO-8859-1"})

    async def latin1_meta(request: web.Request) -> web.Response:
        body = LATIN1.replace("<head>", '<head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">')
        return web.Response(body=body.encode("latin-1"), headers={"Content-Type": "text/html"})

    async def typed(request: web.Request) -> web.Response:
        return web.Response(body=b"\x89PNG\r\n\x1a\n" + b"0" * 64, headers={"Content-Type": request.query["type"]})

    async def untyped(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse()
        await response.prepare(request)  # no Content-Type header at all
        await response.write(ARTICLE)
        return response

    async def big(request: web.Request) -> web.Response:
        return web.Response(body=b"a" * 5000, content_type="text/html")

    async def big_stream(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "text/html"})
        response.enable_chunked_encoding()
        await response.prepare(request)
        for _ in range(10):
            await response.write(b"<p>" + b"x" * 500 + b"</p>")
        return response

    async def gzip_bomb(request: web.Request) -> web.Response:
        response = web.Response(text="<p>" + "z" * 50_000 + "</p>", content_type="text/html")
        response.enable_compression(web.ContentCoding.gzip)
        return response

    async def slow(request: web.Request) -> web.Response:
        await asyncio.sleep(3)
        return web.Response(text="late", content_type="text/html")

    async def status_then_ok(request: web.Request) -> web.Response:
        hits[request.path] += 1
        if hits[request.path] <= int(request.query.get("fail", "1")):
            status = int(request.match_info["status"])
            return web.Response(status=status, text="busy", headers={"Retry-After": "0"})
        return web.Response(body=ARTICLE, content_type="text/html")

    async def always(request: web.Request) -> web.Response:
        hits[request.path] += 1
        return web.Response(status=int(request.match_info["status"]), text="no", headers={"Retry-After": "0"})

    async def plain(request: web.Request) -> web.Response:
        return web.Response(text="Council approves budget\n\nThe council approved its budget on Tuesday.",
                            content_type="text/plain")

    app = web.Application()
    app.router.add_get("/article", article)
    app.router.add_get("/echo-host", echo_host)
    app.router.add_get("/redirect/{n}", redirect)
    app.router.add_get("/redirect-to", redirect_to)
    app.router.add_get("/latin1", latin1)
    app.router.add_get("/latin1-meta", latin1_meta)
    app.router.add_get("/typed", typed)
    app.router.add_get("/untyped", untyped)
    app.router.add_get("/big", big)
    app.router.add_get("/big-stream", big_stream)
    app.router.add_get("/gzip-bomb", gzip_bomb)
    app.router.add_get("/slow", slow)
    app.router.add_get("/flaky/{status}", status_then_ok)
    app.router.add_get("/always/{status}", always)
    app.router.add_get("/plain", plain)
    return app


@pytest.fixture
def hits() -> Counter:
    return Counter()


@pytest.fixture
async def server(hits):
    srv = TestServer(make_app(hits), host="127.0.0.1")
    await srv.start_server()
    yield srv
    await srv.close()


@pytest.fixture
def settings() -> Settings:
    return dataclasses.replace(Settings(), fetch_allow_hosts=("127.0.0.1",), fetch_timeout=2.0)


@pytest.fixture(autouse=True)
def no_backoff(monkeypatch):
    """Retries wait for Retry-After as told, but without the exponential backoff, to keep tests fast."""
    real = safe_http._wait
    monkeypatch.setattr(safe_http, "_wait", lambda state: min(real(state), 0.01))


def url(server: TestServer, path: str) -> str:
    return str(server.make_url(path))


# --- the address checker ---------------------------------------------------------------------------

REFUSED = [
    "127.0.0.1", "127.255.0.9", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254",
    "100.64.0.1", "100.127.255.254", "0.0.0.0", "224.0.0.1", "239.255.255.250", "255.255.255.255",
    "240.0.0.1", "::1", "::", "fe80::1", "fc00::1", "fd12:3456::1", "ff02::1", "::ffff:127.0.0.1",
    "::ffff:10.0.0.1", "2002:7f00:1::", "64:ff9b::7f00:1", "::127.0.0.1",
]
NUMERIC_FORMS = ["2130706433", "0177.0.0.1", "0x7f.1", "127.1", "0x7f000001", "017700000001", "0", "10.1"]


@pytest.mark.parametrize("address", REFUSED)
def test_refused_addresses(address):
    assert refusal_reason(ipaddress.ip_address(address)) is not None


@pytest.mark.parametrize("address", ["8.8.8.8", "1.1.1.1", "93.184.216.34", "2606:4700:4700::1111",
                                     "64:ff9b::808:808", "2002:808:808::1"])
def test_public_addresses_pass(address):
    assert refusal_reason(ipaddress.ip_address(address)) is None


@pytest.mark.parametrize("host", NUMERIC_FORMS)
def test_numeric_host_forms_are_parsed_as_non_canonical(host):
    parsed = parse_ip_host(host)
    assert parsed is not None and parsed[1] is False


@pytest.mark.parametrize("host", REFUSED + NUMERIC_FORMS + ["[::1]", "134744072"])
async def test_resolve_checked_refuses_literals(host):
    with pytest.raises(BlockedAddress) as err:
        await resolve_checked(host, 80, ())
    assert "so I won't fetch it" in str(err.value)


async def test_resolve_checked_refuses_a_name_resolving_to_loopback():
    with pytest.raises(BlockedAddress):
        await resolve_checked("localhost", 80, ())
    assert await resolve_checked("localhost", 80, ("localhost",))


async def test_pinned_resolver_refuses_unchecked_hosts(server, settings):
    resolver = PinnedResolver()
    with pytest.raises(OSError):
        await resolver.resolve("localhost", 80)
    session = new_session(settings)
    try:
        # Bypassing fetch() (and so the guard) cannot reach a host name: nothing was pinned for it.
        with pytest.raises(aiohttp.ClientConnectorError):
            await session.get(f"http://localhost:{server.port}/article")
    finally:
        await session.close()


async def test_connection_uses_the_checked_address_and_keeps_the_host_name(server, settings, monkeypatch):
    """The guard's lookup is the only one: a DNS answer that changes afterwards is never used."""
    loop = asyncio.get_running_loop()
    answers = iter(["127.0.0.1", "10.9.9.9", "10.9.9.9"])  # a rebinding DNS server
    lookups: list[str] = []

    async def rebinding_getaddrinfo(host, port, **kwargs):
        lookups.append(host)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (next(answers), port))]

    monkeypatch.setattr(loop, "getaddrinfo", rebinding_getaddrinfo)
    allowed = dataclasses.replace(settings, fetch_allow_hosts=("news.test",))
    page = await fetch(f"http://news.test:{server.port}/echo-host", allowed)
    assert lookups == ["news.test"]
    assert page.text.startswith(f"host=news.test:{server.port} ua=Mozilla/5.0 (compatible; newsbot")


# --- the guard in fetch() ------------------------------------------------------------------------------

async def test_loopback_refused_unless_allow_listed(server, settings):
    with pytest.raises(BlockedAddress):
        await fetch(url(server, "/article"), dataclasses.replace(settings, fetch_allow_hosts=()))
    with pytest.raises(BlockedAddress):
        await fetch(f"http://localhost:{server.port}/article", settings)
    page = await fetch(url(server, "/article"), settings)
    assert page.status == 200 and page.content_type == "text/html"


@pytest.mark.parametrize("target", ["http://10.0.0.1/x", "http://169.254.169.254/latest/meta-data/",
                                    "http://2130706433/", "http://[::1]/", "http://localhost:{port}/article"])
async def test_redirect_into_a_refused_address(server, settings, hits, target):
    with pytest.raises(BlockedAddress):
        await fetch(url(server, "/redirect-to") + "?to=" + target.format(port=server.port), settings)
    assert hits["/article"] == 0


@pytest.mark.parametrize("bad", ["ftp://example.com/x", "file:///etc/passwd", "javascript:alert(1)", "http://",
                                 "not a url"])
async def test_invalid_urls(bad, settings):
    with pytest.raises(InvalidURL):
        await fetch(bad, settings)


async def test_redirect_to_another_scheme_refused(server, settings):
    with pytest.raises(InvalidURL):
        await fetch(url(server, "/redirect-to") + "?to=file:///etc/passwd", settings)


# --- redirects, limits, types ------------------------------------------------------------------------

async def test_redirects_followed_up_to_the_limit(server, settings):
    page = await fetch(url(server, "/redirect/4"), settings)  # /redirect/n redirects n + 1 times
    assert page.url_final == url(server, "/article?utm_source=x")
    with pytest.raises(TooManyRedirects) as err:
        await fetch(url(server, "/redirect/5"), settings)
    assert str(err.value) == "That link redirected more than 5 times, so I stopped following it"


@pytest.mark.parametrize("path", ["/big", "/big-stream", "/gzip-bomb"])
async def test_body_cap(server, settings, path):
    with pytest.raises(TooLarge) as err:
        await fetch(url(server, path), dataclasses.replace(settings, fetch_max_bytes=1000))
    assert "1 KB" in str(err.value)


def test_size_messages():
    assert str(TooLarge(5_000_000, 12_000_000)) == "That page is 12 MB; the limit is 5 MB"
    assert human_size(1_500_000) == "1.5 MB" and human_size(800_000) == "800 KB" and human_size(12) == "12 bytes"


@pytest.mark.parametrize(("content_type", "words"), [("image/png", "an image"), ("application/zip", "a ZIP archive"),
                                                     ("application/json", "JSON data"),
                                                     ("video/mp4", "a video")])
async def test_unsupported_content_types(server, settings, content_type, words):
    with pytest.raises(UnsupportedContentType) as err:
        await fetch(url(server, f"/typed?type={content_type}"), settings)
    assert str(err.value) == f"That link is {words}, not an article"


async def test_missing_content_type_is_sniffed(server, settings):
    page = await fetch(url(server, "/untyped"), settings)
    assert page.content_type == "text/html" and "Harbour Street bridge" in page.text


async def test_timeout(server, settings):
    with pytest.raises(FetchTimeout) as err:
        await fetch(url(server, "/slow"), dataclasses.replace(settings, fetch_timeout=0.3))
    assert str(err.value) == "The site took longer than 0.3 seconds to answer, so I gave up"


# --- retries -----------------------------------------------------------------------------------------

async def test_429_with_retry_after_then_success(server, settings, hits):
    page = await fetch(url(server, "/flaky/429"), settings)
    assert page.status == 200 and hits["/flaky/429"] == 2


async def test_503_twice_then_success(server, settings, hits):
    page = await fetch(url(server, "/flaky/503?fail=2"), settings)
    assert page.status == 200 and hits["/flaky/503"] == 3


async def test_503_three_times_gives_up(server, settings, hits):
    with pytest.raises(HTTPStatusError) as err:
        await fetch(url(server, "/always/503"), settings)
    assert hits["/always/503"] == 3
    assert err.value.status == 503 and str(err.value).startswith("The site answered 503 Service Unavailable")


async def test_404_is_not_retried(server, settings, hits):
    with pytest.raises(HTTPStatusError) as err:
        await fetch(url(server, "/always/404"), settings)
    assert hits["/always/404"] == 1
    assert str(err.value) == "The site answered 404 Not Found; check the link"


async def test_connection_refused_is_retried_then_reported(settings, unused_tcp_port, monkeypatch):
    calls = Counter()
    real = safe_http._fetch_once

    async def counting(*args, **kwargs):
        calls["tries"] += 1
        return await real(*args, **kwargs)

    monkeypatch.setattr(safe_http, "_fetch_once", counting)
    with pytest.raises(ConnectionFailed):
        await fetch(f"http://127.0.0.1:{unused_tcp_port}/", settings)
    assert calls["tries"] == 3


# --- charsets and the whole path ---------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/latin1", "/latin1-meta"])
async def test_latin1_page(server, settings, path):
    page = await fetch(url(server, path), settings)
    assert "Le caf\u00e9 co\u00fbte 2 \u00a3." in page.text
    assert page.charset == "cp1252"


async def test_fetch_article_end_to_end(server, settings):
    article = await fetch_article(url(server, "/redirect/2"), settings)
    assert article.source.url == url(server, "/article")  # final URL, canonical: no utm_, no fragment
    assert article.source.kind == "news"
    assert article.text.startswith("The Harbour Street bridge")


async def test_fetch_article_plain_text_kept_as_is(server, settings):
    article = await fetch_article(url(server, "/plain"), settings)
    assert article.text == "Council approves budget\n\nThe council approved its budget on Tuesday."
    assert article.source.title == "Council approves budget"


async def test_fetch_article_with_a_shared_session(server, settings):
    session = new_session(settings)
    try:
        first = await fetch_article(url(server, "/article"), settings, session)
        second = await fetch_article(url(server, "/article"), settings, session)
        assert first == second
        with pytest.raises(NoArticleText):
            await fetch_article(url(server, "/typed?type=text/html"), settings, session)
    finally:
        await session.close()


async def test_foreign_sessions_are_refused(settings):
    async with aiohttp.ClientSession() as foreign:
        with pytest.raises(ValueError):
            await fetch("https://example.com/", settings, session=foreign)


RUSSIAN = "Правительство заявило, что мост закрыт на ремонт до конца месяца. "


@pytest.mark.parametrize(
    ("body", "header", "expected"),
    [
        ("caf\u00e9 \u201cquoted\u201d".encode(), None, "caf\u00e9 \u201cquoted\u201d"),
        (b"\xef\xbb\xbfcaf\xc3\xa9", "iso-8859-1", "caf\u00e9"),  # a BOM beats the header
        ("caf\u00e9 \u2014 na\u00efve".encode("cp1252"), "utf-8", "caf\u00e9 \u2014 na\u00efve"),  # wrong label
        ('<meta charset="windows-1252"><p>\u201cHi\u201d</p>'.encode("cp1252"), None, "\u201cHi\u201d"),
        (RUSSIAN.encode("koi8-r"), "koi8-r", RUSSIAN),
        ((RUSSIAN * 60).encode("koi8-r"), None, RUSSIAN),  # no label at all: detected
        (b"ok", "no-such-charset", "ok"),
    ],
)
def test_decode_body(body, header, expected):
    from bot.fetch.decode import decode_body

    text, _codec = decode_body(body, header)
    assert expected in text


@pytest.mark.parametrize("label", ["rot13", "base64", "hex", "zlib_codec", "uu", "bz2", "quopri", "undefined",
                                   "idna", "punycode", "no-such", "utf\x00-8", "x" * 500])
@pytest.mark.parametrize("where", ["header", "meta"])
def test_a_codec_that_is_no_text_encoding_is_ignored(label, where):
    """codecs.lookup finds rot13, base64, zlib… too: a page labelled with one is decoded as unlabelled."""
    from bot.fetch.decode import decode_body

    page = "<p>caf\u00e9 \u201cquoted\u201d</p>"
    body = (page if where == "header" else f'<meta charset="{label}">{page}').encode()
    text, codec = decode_body(body, label if where == "header" else None)
    assert page in text and codec == "utf-8"
