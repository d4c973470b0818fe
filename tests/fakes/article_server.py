"""An article server on 127.0.0.1 for tests: a real news page, a 404, a binary file, redirects.

    server = await ArticleServer().start()
    server.url("/news/water")   # http://127.0.0.1:<port>/news/water

Routes: /news/<slug> (the example article as HTML, or any page added with `add`), /hostile (an article
full of Slack mentions), /missing (404), /file.bin (application/octet-stream), /image (image/png),
/redirect?to=<url> (302), /slow (answers after `slow_seconds`), /files/<name> (bytes added with `add_file`,
e.g. a PDF, with the content type given). `hits` counts requests per path.
"""

from __future__ import annotations

import asyncio
import html
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from aiohttp import web

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "article.txt"
HOSTILE_TEXT = """Council vote sparks row over <!channel> alerts

The council voted on Monday to end the scheme, officials said. <!channel> <!here> <@U0123ABCD> @everyone
"This is a disgrace," said councillor Ana Ruiz, who called on residents to visit <https://evil.example|our site>.
The mayor reportedly plans to appeal, but that could not be independently verified.
"""


def article_html(text: str, *, published: str = "2026-11-24T10:00:00Z", site: str = "Harbor Daily",
                 author: str = "Jo Reporter") -> str:
    """A news page as a CMS would render it: title and metadata in <head>, paragraphs in <article>."""
    title, _, body = text.strip().partition("\n")
    paragraphs = "\n".join(f"<p>{html.escape(p.strip())}</p>" for p in body.split("\n") if p.strip())
    t = html.escape(title.strip())
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{t} | {site}</title>
<meta property="og:title" content="{t}"><meta property="og:site_name" content="{site}">
<meta property="og:type" content="article"><meta name="author" content="{author}">
<meta property="article:published_time" content="{published}"></head>
<body><header><nav><a href="/">Home</a> <a href="/news">News</a></nav></header>
<main><article><h1>{t}</h1><p class="byline">By {author}</p>
{paragraphs}
<p>Read the <a href="https://deq.example.gov/reports/2021">2021 inspection report</a>.</p>
</article></main><footer>© {site}</footer></body></html>"""


@dataclass
class ArticleServer:
    pages: dict[str, str] = field(default_factory=dict)
    files: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    # Extra routes (path → aiohttp handler), e.g. tests/fakes/hostile_pages.py; hits counted for them too.
    routes: dict = field(default_factory=dict)
    hits: Counter = field(default_factory=Counter)
    slow_seconds: float = 5.0
    base: str = ""
    _runner: web.AppRunner | None = None
    _stopping: asyncio.Event = field(default_factory=asyncio.Event)

    async def start(self) -> ArticleServer:
        self.pages.setdefault("water", article_html(EXAMPLE.read_text()))
        self.pages.setdefault("hostile", article_html(HOSTILE_TEXT))
        app = web.Application()
        app.router.add_get("/news/{slug}", self._news)
        app.router.add_get("/hostile", self._hostile)
        app.router.add_get("/missing", self._missing)
        app.router.add_get("/file.bin", self._binary)
        app.router.add_get("/image", self._image)
        app.router.add_get("/redirect", self._redirect)
        app.router.add_get("/slow", self._slow)
        app.router.add_get("/files/{name}", self._file)
        for path, handler in self.routes.items():
            app.router.add_get(path, self._counted(handler))
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.base = f"http://127.0.0.1:{port}"
        return self

    async def stop(self) -> None:
        self._stopping.set()  # slow pages answer now rather than hold the shutdown
        if self._runner:
            await self._runner.cleanup()

    def url(self, path: str) -> str:
        return self.base + path

    def add(self, slug: str, text: str) -> str:
        """Serve `text` (first line = title) as an article at /news/<slug>; returns its URL."""
        self.pages[slug] = article_html(text)
        return self.url(f"/news/{slug}")

    def add_file(self, name: str, body: bytes, content_type: str = "application/pdf") -> str:
        """Serve `body` at /files/<name> as `content_type`; returns its URL."""
        self.files[name] = (body, content_type)
        return self.url(f"/files/{name}")

    async def _file(self, request: web.Request) -> web.Response:
        self._count(request)
        found = self.files.get(request.match_info["name"])
        if found is None:
            raise web.HTTPNotFound(text="no such file")
        body, content_type = found
        return web.Response(body=body, content_type=content_type)

    def _count(self, request: web.Request) -> None:
        self.hits[request.path] += 1

    def _counted(self, handler):
        async def counted(request: web.Request) -> web.StreamResponse:
            self._count(request)
            return await handler(request)

        return counted

    async def _news(self, request: web.Request) -> web.Response:
        self._count(request)
        page = self.pages.get(request.match_info["slug"])
        if page is None:
            raise web.HTTPNotFound(text="no such story")
        return web.Response(text=page, content_type="text/html")

    async def _hostile(self, request: web.Request) -> web.Response:
        self._count(request)
        return web.Response(text=self.pages["hostile"], content_type="text/html")

    async def _missing(self, request: web.Request) -> web.Response:
        self._count(request)
        raise web.HTTPNotFound(text="<html><body>Not here</body></html>", content_type="text/html")

    async def _binary(self, request: web.Request) -> web.Response:
        self._count(request)
        return web.Response(body=bytes(range(256)) * 64, content_type="application/octet-stream")

    async def _image(self, request: web.Request) -> web.Response:
        self._count(request)
        return web.Response(body=b"\x89PNG\r\n\x1a\n" + b"\0" * 512, content_type="image/png")

    async def _redirect(self, request: web.Request) -> web.Response:
        self._count(request)
        raise web.HTTPFound(location=request.query.get("to", "/news/water"))

    async def _slow(self, request: web.Request) -> web.Response:
        self._count(request)
        try:
            await asyncio.wait_for(self._stopping.wait(), timeout=self.slow_seconds)
        except TimeoutError:
            pass
        return web.Response(text=self.pages["water"], content_type="text/html")
