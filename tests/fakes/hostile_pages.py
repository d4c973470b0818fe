"""Pages an attacker (or a broken site) serves, for the hostile-input tables: huge, endless, trickling,
deeply nested, in codecs that are no charset, full of invisible characters, mentions and lying links.

    server = await ArticleServer(routes=hostile_routes()).start()
    server.url("/h/endless")

Every handler counts its hit in the server's `hits` (by path), as the article server's own routes do.
"""

from __future__ import annotations

import asyncio
import codecs
import html
from collections.abc import Awaitable, Callable

from aiohttp import web

from tests.fakes.article_server import EXAMPLE, article_html

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
STORY = EXAMPLE.read_text()
TITLE = STORY.strip().partition("\n")[0]


def _page(text: str = STORY, **kwargs: str) -> str:
    return article_html(text, **kwargs)


def _static(body: bytes | str, content_type: str = "text/html", **headers: str) -> Handler:
    data = body.encode() if isinstance(body, str) else body

    async def handler(request: web.Request) -> web.Response:
        response = web.Response(body=data, headers={"Content-Type": content_type, **headers})
        return response

    return handler


def _charset_header(label: str) -> Handler:
    return _static(_page().replace('<meta charset="utf-8">', ""), f"text/html; charset={label}")


def _charset_meta(label: str) -> Handler:
    return _static(_page().replace('<meta charset="utf-8">', f'<meta charset="{label}">'))


async def _declared_huge(request: web.Request) -> web.StreamResponse:
    response = web.StreamResponse(headers={"Content-Type": "text/html"})
    response.content_length = 50_000_000
    await response.prepare(request)
    await response.write(b"<html><body>" + b"x" * 1000)
    return response


def _stream(chunk: bytes, count: int | None, pause: float = 0.0) -> Handler:
    """Chunked, `count` chunks (None: never ends), `pause` seconds apart (a trickle when small chunks)."""

    async def handler(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "text/html"})
        response.enable_chunked_encoding()
        await response.prepare(request)
        await response.write(b"<html><body><article><p>")
        sent = 0
        try:
            while count is None or sent < count:
                await response.write(chunk)
                sent += 1
                await asyncio.sleep(pause)
        except (ConnectionResetError, asyncio.CancelledError):
            return response  # the fetcher hung up, as it should
        await response.write_eof()
        return response

    return handler


async def _gzip_bomb(request: web.Request) -> web.Response:
    response = web.Response(text="<p>" + "z" * 3_000_000 + "</p>", content_type="text/html")
    response.enable_compression(web.ContentCoding.gzip)
    return response


async def _late_headers(request: web.Request) -> web.Response:
    await asyncio.sleep(4)  # twice the tests' fetch timeout, and short enough not to hold the server's shutdown
    return web.Response(text=_page(), content_type="text/html")


def _nested(open_tag: str, close_tag: str, depth: int) -> Handler:
    inner = f"<p>{html.escape(STORY)}</p>"
    return _static(f"<html><head><title>{TITLE}</title></head><body>"
                   + open_tag * depth + inner + close_tag * depth + "</body></html>")


INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"
BIDI = "\u202e\u202d\u202a\u202b\u202c\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
PINGS = "<!channel> <!here> <!everyone> <@U0123ABCD> <!subteam^S0123|@team> <#C0123|general> @here @channel"


def _invisible_and_bidi() -> Handler:
    text = STORY.replace("Harbor", f"Har{INVISIBLE}bor{BIDI}", 3).replace(" said", f" {BIDI}said{INVISIBLE}")
    return _static(_page(text))


def _mentions_everywhere() -> Handler:
    lines = STORY.strip().split("\n")
    text = "\n".join([f"{PINGS} {lines[0]}", *[f"{line} {PINGS}" if line.strip() else line for line in lines[1:]]])
    return _static(_page(text, site=PINGS, author=PINGS))


def _lying_links() -> Handler:
    page = _page().replace(
        "</article>",
        '<p>Log in at <a href="https://evil.example/0">https://yourbank.example/login</a>, '
        'see <a href="https://evil.example/1">www.yourbank.example</a> and '
        '<a href="https://yourbank.example@evil.example/2">yourbank.example</a>, '
        'or read <a href="https://deq.example.gov/r">deq.example.gov/r</a>.</p></article>',
    )
    return _static(page)


def _links_in_title() -> Handler:
    text = STORY.replace(TITLE, f"https://yourbank.example/login <https://evil.example|click> {TITLE}", 1)
    return _static(_page(text))


def _many_links() -> Handler:
    anchors = " ".join(f'<a href="https://l{i}.example/{i}">link {i} &lt;!channel&gt;</a>' for i in range(3000))
    return _static(_page().replace("</article>", f"<p>{anchors}</p></article>"))


def _huge_title() -> Handler:
    return _static(_page(STORY.replace(TITLE, (TITLE + " <!channel> ") * 400, 1)))


def hostile_routes() -> dict[str, Handler]:
    """Path → handler, to pass as ArticleServer(routes=...)."""
    routes: dict[str, Handler] = {
        "/h/declared-huge": _declared_huge,
        "/h/huge-chunked": _stream(b"<p>" + b"y" * 65_536 + b"</p>", 40),
        "/h/endless": _stream(b"<p>" + b"e" * 65_536 + b"</p>", None),
        "/h/trickle": _stream(b"t", None, pause=0.05),
        "/h/gzip-bomb": _gzip_bomb,
        "/h/late-headers": _late_headers,
        "/h/nested-div": _nested("<div>", "</div>", 50_000),
        "/h/nested-inline": _nested("<b><i>", "</i></b>", 25_000),
        "/h/unclosed": _static("<html><body>" + "<div><table><tr><td><p><span>" * 20_000 + STORY),
        "/h/invisible-bidi": _invisible_and_bidi(),
        "/h/mentions": _mentions_everywhere(),
        "/h/lying-links": _lying_links(),
        "/h/links-in-title": _links_in_title(),
        "/h/many-links": _many_links(),
        "/h/huge-title": _huge_title(),
        "/h/empty": _static(""),
        "/h/nul-bytes": _static(_page().replace("<p>", "<p>\x00\x00", 5)),
        "/h/binary-as-html": _static(bytes(range(256)) * 200),
        "/h/bad-utf8": _static(_page().encode() + b"\xff\xfe\xc3\x28" * 100, "text/html; charset=utf-8"),
        "/h/xml-rot13": _static('<?xml version="1.0" encoding="rot13"?>' + _page()),
    }
    for label in ("rot13", "base64", "hex", "zlib_codec", "uu", "bz2", "utf-7", "undefined", "idna", "x-junk"):
        routes[f"/h/charset-header-{label}"] = _charset_header(label)
        routes[f"/h/charset-meta-{label}"] = _charset_meta(label)
    routes["/h/utf16-no-bom"] = _static(codecs.encode(_page(), "utf-16-le"), "text/html; charset=utf-16le")
    return routes
