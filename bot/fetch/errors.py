"""Why a link could not be turned into an article, in words a person in a Slack channel understands.

Every error has a stable `code` for logs and JSON, and `str(err)` is the sentence shown to the user.
"""

from __future__ import annotations

from http import HTTPStatus


def human_size(n: int) -> str:
    """12_000_000 → '12 MB'; 1_500_000 → '1.5 MB'; 800_000 → '800 KB' (decimal units, as people read them)."""
    if n >= 1_000_000:
        value, unit = n / 1_000_000, "MB"
    elif n >= 1_000:
        value, unit = n / 1_000, "KB"
    else:
        return f"{n} bytes"
    text = f"{value:.0f}" if value >= 10 or value == int(value) else f"{value:.1f}"
    return f"{text} {unit}"


class FetchError(Exception):
    """Base class: something stopped us from getting article text from a link."""

    code = "fetch_error"
    retryable = False

    def __init__(self, message: str, *, url: str | None = None) -> None:
        super().__init__(message)
        self.url = url

    def __reduce__(self) -> tuple:
        # Extraction runs in worker processes and its errors come back pickled; subclasses take other
        # arguments than the message, so rebuild from the sentence and the attributes instead.
        return (_rebuild, (type(self), str(self), self.__dict__))


def _rebuild(cls: type[FetchError], message: str, state: dict) -> FetchError:
    error = cls.__new__(cls)
    Exception.__init__(error, message)
    error.__dict__.update(state)
    return error


class InvalidURL(FetchError):
    code = "invalid_url"

    def __init__(self, url: str, reason: str = "it isn't a web address I can read") -> None:
        super().__init__(f"I can't fetch {url!r}: {reason}", url=url)
        self.reason = reason


class BlockedAddress(FetchError):
    """The host is, or resolves to, an address the SSRF guard refuses."""

    code = "blocked_address"

    def __init__(self, url: str | None, address: str, reason: str = "on a private network") -> None:
        super().__init__(f"That address is {reason}, so I won't fetch it", url=url)
        self.address = address
        self.reason = reason


class TooLarge(FetchError):
    code = "too_large"

    def __init__(self, limit: int, size: int | None = None, *, url: str | None = None) -> None:
        if size is None:
            message = f"That page is larger than {human_size(limit)}, the most I will download"
        else:
            message = f"That page is {human_size(size)}; the limit is {human_size(limit)}"
        super().__init__(message, url=url)
        self.limit = limit
        self.size = size


_KIND_BY_TYPE = {
    "application/pdf": "a PDF",
    "application/json": "JSON data",
    "application/zip": "a ZIP archive",
    "application/octet-stream": "a file download",
    "application/msword": "a Word document",
    "application/rss+xml": "a news feed",
    "application/atom+xml": "a news feed",
}
_KIND_BY_FAMILY = {"image": "an image", "video": "a video", "audio": "an audio file", "font": "a font"}


def describe_content_type(content_type: str) -> str:
    """'image/png' → 'an image', 'application/pdf' → 'a PDF', anything else → 'a <type> file'."""
    ct = content_type.split(";", 1)[0].strip().lower()
    if ct in _KIND_BY_TYPE:
        return _KIND_BY_TYPE[ct]
    family = ct.split("/", 1)[0]
    if family in _KIND_BY_FAMILY:
        return _KIND_BY_FAMILY[family]
    if "officedocument" in ct:
        return "an office document"
    return f"a {ct} file" if ct else "a file of unknown type"


class UnsupportedContentType(FetchError):
    code = "unsupported_content_type"

    def __init__(self, content_type: str, *, url: str | None = None) -> None:
        super().__init__(f"That link is {describe_content_type(content_type)}, not an article", url=url)
        self.content_type = content_type


class HTTPStatusError(FetchError):
    code = "http_status"

    def __init__(self, status: int, reason: str | None = None, *, url: str | None = None,
                 retry_after: float | None = None) -> None:
        if not reason:
            try:
                reason = HTTPStatus(status).phrase
            except ValueError:
                reason = ""
        answer = f"{status} {reason}".strip()
        hint = {
            401: "; it needs a login",
            403: "; it may need a login or refuse bots — paste the text instead",
            404: "; check the link",
            410: "; the page is gone",
            429: "; it is rate-limiting me, try again later",
        }.get(status, "; the site is having trouble, try again later" if status >= 500 else "")
        super().__init__(f"The site answered {answer}{hint}", url=url)
        self.status = status
        self.retry_after = retry_after
        self.retryable = status == 429 or status >= 500


class FetchTimeout(FetchError):
    code = "timeout"

    def __init__(self, seconds: float, *, url: str | None = None) -> None:
        super().__init__(f"The site took longer than {seconds:g} seconds to answer, so I gave up", url=url)
        self.seconds = seconds


class TooManyRedirects(FetchError):
    code = "too_many_redirects"

    def __init__(self, limit: int, *, url: str | None = None) -> None:
        super().__init__(f"That link redirected more than {limit} times, so I stopped following it", url=url)
        self.limit = limit


class ConnectionFailed(FetchError):
    code = "connection_failed"

    def __init__(self, message: str = "I couldn't connect to the site", *, url: str | None = None,
                 retryable: bool = True) -> None:
        super().__init__(message, url=url)
        self.retryable = retryable


class NoArticleText(FetchError):
    code = "no_article_text"

    def __init__(self, *, url: str | None = None) -> None:
        super().__init__(
            "The page had no article text — it may be paywalled or need JavaScript; paste the text instead",
            url=url,
        )
