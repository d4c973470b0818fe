"""A file's bytes → Article: a PDF, an HTML page or plain text, told apart by its bytes first, then by what
it says it is (a media type, a file name). `newsbot analyze FILE` and files analysed in Slack come here.

CPU work (PDF text, HTML extraction): run it in a worker thread, never on the event loop.
"""

from __future__ import annotations

from pathlib import PurePath

from ..analysis.model import Article
from .decode import decode_body
from .errors import UnsupportedContentType
from .extract import article_from_text, extract_article
from .pdf import DEFAULT_MAX_PAGES, article_from_pdf, looks_like_pdf

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
TEXT_SUFFIXES = frozenset({".txt", ".text", ".md", ".markdown", ""})
# Slack's own `filetype` names for what this module reads (files.info)
SLACK_FILETYPES = {"pdf": "application/pdf", "html": "text/html", "text": "text/plain", "markdown": "text/plain",
                   "txt": "text/plain"}


def kind_of(content_type: str | None, name: str | None = None) -> str | None:
    """'pdf', 'html' or 'text' from a media type or a file name; None for anything else."""
    media = (content_type or "").split(";", 1)[0].strip().lower()
    suffix = PurePath(name or "").suffix.lower()
    if media == "application/pdf" or suffix == ".pdf":
        return "pdf"
    if media in HTML_TYPES or suffix in HTML_SUFFIXES:
        return "html"
    if media.startswith("text/") or (not media and name and suffix in TEXT_SUFFIXES):
        return "text"
    return None


def article_from_bytes(body: bytes, *, content_type: str | None = None, name: str | None = None,
                       url: str | None = None, max_pages: int = DEFAULT_MAX_PAGES) -> Article:
    """The article in a file. A PDF is known by its %PDF header whatever it is called; HTML and text by
    `content_type` or `name`, else by a look at the bytes. Raises a FetchError with a reason to show."""
    kind = "pdf" if looks_like_pdf(body) else kind_of(content_type, name)
    if kind is None and not content_type:
        kind = "html" if body[:1024].lstrip()[:1] == b"<" else "text"
    if kind == "pdf":
        return article_from_pdf(body, url, max_pages=max_pages, name=name)
    if kind is None:
        raise UnsupportedContentType(content_type or "", url=url)
    text, _ = decode_body(body, None, html=kind == "html")
    article = extract_article(text, url) if kind == "html" else article_from_text(text, url)
    if not article.source.title and name:
        article.source.title = name
    if not url and name:
        article.source.site = name
    return article
