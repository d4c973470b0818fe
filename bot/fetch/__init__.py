"""Links in, Article out: find links in Slack text, fetch them safely, extract the article.

    urls = find_article_urls(message_text)
    article = await fetch_article(urls[0], settings)   # raises a FetchError with a human message
"""

from __future__ import annotations

import dataclasses

import aiohttp

from ..analysis.model import Article
from ..config import Settings
from ..cpu_pool import CpuPool, run_cpu
from .errors import (
    BlockedAddress,
    ConnectionFailed,
    FetchError,
    FetchTimeout,
    HTTPStatusError,
    InvalidURL,
    NoArticleText,
    TooLarge,
    TooManyRedirects,
    UnsupportedContentType,
)
from .extract import article_from_text, extract_article
from .links import canonicalize, find_article_urls, find_urls, is_article_candidate
from .pdf import DEFAULT_MAX_PAGES, article_from_pdf
from .safe_http import PDF_TYPE, FetchedPage, fetch, new_session

__all__ = [
    "Article", "BlockedAddress", "ConnectionFailed", "FetchError", "FetchTimeout", "FetchedPage",
    "HTTPStatusError", "InvalidURL", "NoArticleText", "TooLarge", "TooManyRedirects",
    "UnsupportedContentType", "article_from_page", "article_from_text", "canonicalize", "extract_article",
    "fetch", "fetch_article", "find_article_urls", "find_urls", "is_article_candidate", "new_session",
]


def article_from_page(page: FetchedPage, max_pdf_pages: int = DEFAULT_MAX_PAGES) -> Article:
    """A fetched page → Article; source.url is the canonical form of the URL the page finally came from."""
    url = canonicalize(page.url_final)
    if page.content_type == PDF_TYPE:
        article = article_from_pdf(page.body, url, max_pages=max_pdf_pages)
    elif page.content_type == "text/plain":
        article = article_from_text(page.text, url)
    else:
        article = extract_article(page.text, url)
    article.source.url = url
    return article


async def fetch_article(
    url: str, settings: Settings, session: aiohttp.ClientSession | None = None, *, cpu: CpuPool | None = None
) -> Article:
    """Fetch a link through the SSRF guard and extract its article. Raises FetchError subclasses.

    Extraction is CPU work (tens of ms on a big page, more on a hostile one): it runs in `cpu`'s worker
    processes when given, else in a thread, never on the event loop that acks Slack.
    """
    page = await fetch(url, settings, session=session)
    # The decoded text is all HTML extraction reads, so the raw bytes are not copied to a worker; a PDF's
    # bytes are what it reads.
    sent = page if page.content_type == PDF_TYPE else dataclasses.replace(page, body=b"")
    return await run_cpu(cpu, article_from_page, sent, settings.pdf_max_pages)
