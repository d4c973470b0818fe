"""Untrusted text made safe for Slack: escaped so it can never ping or link, clipped to a length, and links
whose label never reads as another address than the one they open.

Article text, titles, site names and links are all written by whoever made the page: none of it is
trusted (blocks.py builds messages only from what these functions return).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

SITE_MAX = 80  # a host name is at most 253 characters; one longer than this is shown cut
LINK_LABEL_MAX = 100
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")
_SPACE = re.compile(r"\s+")
# With escaping and verbatim these cannot ping, but a word joiner makes sure no client or parse mode does.
_BROADCAST = re.compile(r"@(?=(?:channel|here|everyone)\b)", re.IGNORECASE)


def clip(text: str, limit: int) -> str:
    """One line of at most `limit` characters, cut at a word when possible."""
    text = _SPACE.sub(" ", _CONTROL.sub("", text or "")).strip()
    if len(text) <= limit:
        return text
    cut = text[: max(limit - 1, 0)]
    space = cut.rfind(" ")
    if space > limit * 0.6:
        cut = cut[:space]
    return cut.rstrip(" ,;:") + "…"


def escape(text: str) -> str:
    """Untrusted text made safe for mrkdwn and the `text` field."""
    text = _CONTROL.sub("", text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _BROADCAST.sub("@\u2060", text)


def escaped_clip(text: str, limit: int) -> str:
    """Escaped text of at most `limit` characters: escaping can grow text fivefold, so clip, then check."""
    size = limit
    while True:
        out = escape(clip(text, size))
        if len(out) <= limit or size <= 1:
            return out
        size = size * 3 // 4


def plain(text: str) -> str:
    """Untrusted text made safe for plain_text fields (no entities there: lookalike brackets instead)."""
    text = _CONTROL.sub("", text or "").replace("<", "‹").replace(">", "›")
    return _BROADCAST.sub("@\u2060", text)


def site_of(url: str | None) -> str:
    """The host people recognise ("example.com"), or "the page" when there is none."""
    try:
        host = urlsplit(url or "").hostname or ""
    except ValueError:
        host = ""
    return clip(host.removeprefix("www."), SITE_MAX) or "the page"


# A label that reads as an address: a scheme, a www. host, or a dotted name with a letters-only last
# label ("yourbank.example/login", "bbc.co.uk"). Such a label must name the page the link opens.
_ADDRESS_LIKE = re.compile(r"://|\bwww\.|[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}(?![\w.-])", re.IGNORECASE)


def _bare_address(text: str) -> str:
    """'HTTPS://www.Example.com/a/' → 'example.com/a': the part of an address a reader compares."""
    text = re.sub(r"^[a-z][a-z0-9+.-]*://", "", text.strip(), flags=re.IGNORECASE)
    return text.removeprefix("www.").removeprefix("WWW.").rstrip("/").lower()


def _url_label(url: str) -> str:
    """The URL itself as a link label; a long one is cut after its host, never inside it."""
    if len(url) <= LINK_LABEL_MAX:
        return url
    parts = urlsplit(url)
    host = parts.netloc if len(parts.netloc) <= 60 else "…" + parts.netloc[-59:]
    head = f"{parts.scheme}://{host}"
    rest = url.split(parts.netloc, 1)[1] if parts.netloc else ""
    room = LINK_LABEL_MAX - len(head) - 1
    return head + (rest if len(rest) <= room else rest[: max(room, 0)] + "…")


def safe_link(url: str | None, label: str) -> str:
    """A mrkdwn link to an http(s) URL, or just the escaped label when the URL is odd.

    A label that looks like an address must be that address (or its host): `<https://evil.example|
    https://yourbank.example/login>` is shown as the evil.example URL it opens, not the bank's."""
    if not url or len(url) > 1000 or not re.fullmatch(r"https?://[^\s<>|]+", url):
        return escape(label)
    try:
        parts = urlsplit(url)
    except ValueError:
        return escape(label)
    if parts.username is not None or parts.password is not None:
        return escape(label)  # `https://yourbank.example@evil.example/` reads as one host and goes to another
    if _ADDRESS_LIKE.search(label) and _bare_address(label) not in (
        _bare_address(url), _bare_address(parts.hostname or ""),
    ):
        label = _url_label(url)
    return f"<{url.replace('&', '&amp;')}|{escape(label).replace('|', '¦')}>"
