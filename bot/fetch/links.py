"""Find article links in Slack message text and put them in one canonical form.

The canonical form is the cache key for an article, so two shares of the same story that differ only in
tracking parameters, a fragment, the case of the host or an explicit default port count as one.
"""

from __future__ import annotations

import html
import re
from urllib.parse import unquote, urlsplit, urlunsplit

# Slack wraps links, mentions and specials in angle brackets: <https://x|label>, <@U1>, <#C1|name>, <!here>.
_SLACK_TOKEN = re.compile(r"<([^<>\s|]+)(?:\|[^<>]*)?>")
# Bare URLs outside brackets (text pasted from elsewhere, bot messages, CLI input).
_BARE_URL = re.compile(r"""https?://[^\s<>"'`]+""", re.IGNORECASE)
_TRAILING_PUNCT = ".,;:!?'\"”’»…"

# Query keys that only track who clicked where; removing them never changes the page served.
_TRACKING_KEYS = frozenset(
    {
        "fbclid", "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid",
        "ttclid", "li_fat_id", "mc_cid", "mc_eid", "igshid", "igsh", "ref_src", "ref_url", "_hsenc",
        "_hsmi", "hsctatracking", "mkt_tok", "_ga", "_gl", "oly_enc_id", "oly_anon_id", "vero_id",
        "vero_conv", "wickedid", "rb_clickid", "s_kwcid", "smid", "smtyp", "cmpid", "ocid",
        "sr_share", "__twitter_impression", "at_medium", "at_campaign", "at_custom1", "at_custom2",
        "at_custom3", "at_custom4", "spm", "share_source", "xtor",
    }
)
_TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_")

_DEFAULT_PORTS = {"http": "80", "https": "443"}

# Links that are never articles: Slack itself, media players, media files.
_NON_ARTICLE_HOSTS = (
    "slack.com", "slack-edge.com", "slack-files.com", "slack-redir.net", "slack.help",
    "youtube.com", "youtu.be", "youtube-nocookie.com", "vimeo.com", "twitch.tv", "tiktok.com",
    "giphy.com", "tenor.com", "i.imgur.com", "spotify.com",
)
_NON_ARTICLE_EXTENSIONS = frozenset(
    {
        # images
        "png", "jpg", "jpeg", "gif", "webp", "svg", "bmp", "ico", "tif", "tiff", "avif", "heic",
        # video and audio
        "mp4", "m4v", "mov", "webm", "avi", "mkv", "wmv", "flv", "m3u8", "mpd", "mp3", "m4a", "wav",
        "ogg", "oga", "flac", "aac",
        # documents and archives we cannot read as articles (PDFs we can: bot/fetch/pdf.py)
        "zip", "gz", "tgz", "rar", "7z", "exe", "dmg", "apk", "doc", "docx", "xls", "xlsx",
        "ppt", "pptx", "csv", "json", "xml",
    }
)


def find_urls(text: str) -> list[str]:
    """The http(s) URLs in a Slack-formatted message, in order of appearance, without duplicates.

    Mentions (`<@U…>`, `<#C…>`), specials (`<!here>`) and mailto links are skipped. Slack escapes `&`, `<`
    and `>` in message text, so they are unescaped here.
    """
    found: list[tuple[int, str]] = []
    for match in _SLACK_TOKEN.finditer(text):
        target = html.unescape(match.group(1))
        if target.lower().startswith(("http://", "https://")):
            found.append((match.start(), target))
    # Bare URLs: only in the parts of the text outside angle-bracket tokens.
    outside = _SLACK_TOKEN.sub(lambda m: " " * len(m.group(0)), text)
    for match in _BARE_URL.finditer(outside):
        url = _trim_bare(html.unescape(match.group(0)))
        if len(url) > len("https://"):
            found.append((match.start(), url))
    found.sort(key=lambda item: item[0])
    seen: set[str] = set()
    urls: list[str] = []
    for _, url in found:
        if url not in seen:
            seen.add(url)
            urls.append(url)
    return urls


def _trim_bare(url: str) -> str:
    """Drop sentence punctuation after a bare URL, and a closing bracket that the URL did not open."""
    while url:
        last = url[-1]
        if last in _TRAILING_PUNCT:
            url = url[:-1]
        elif last in ")]}":
            opener = {")": "(", "]": "[", "}": "{"}[last]
            if url.count(opener) < url.count(last):
                url = url[:-1]
            else:
                break
        else:
            break
    return url


def canonicalize(url: str) -> str:
    """One form per page: lowercase scheme and host, no default port, no fragment, no tracking params.

    The other query parameters keep their order and their original encoding. A string that is not an
    absolute http(s) URL comes back stripped but otherwise unchanged.
    """
    url = url.strip()
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return url
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        return url
    host = parts.hostname.lower().rstrip(".")
    if ":" in host:  # IPv6 literal: urlsplit strips the brackets
        host = f"[{host}]"
    netloc = host
    if port is not None and str(port) != _DEFAULT_PORTS[scheme]:
        netloc = f"{host}:{port}"
    if parts.username is not None:
        userinfo = parts.netloc.rsplit("@", 1)[0]
        netloc = f"{userinfo}@{netloc}"
    path = parts.path or "/"
    query = "&".join(p for p in parts.query.split("&") if p and not _is_tracking(p))
    return urlunsplit((scheme, netloc, path, query, ""))


def _is_tracking(pair: str) -> bool:
    key = unquote(pair.split("=", 1)[0]).strip().lower()
    return key in _TRACKING_KEYS or key.startswith(_TRACKING_PREFIXES)


def is_article_candidate(url: str) -> bool:
    """Whether a link could be a news article worth fetching (not Slack itself, not a video or image)."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    if parts.scheme.lower() not in _DEFAULT_PORTS or not parts.hostname:
        return False
    host = parts.hostname.lower().rstrip(".")
    if any(host == h or host.endswith("." + h) for h in _NON_ARTICLE_HOSTS):
        return False
    last_segment = parts.path.rsplit("/", 1)[-1]
    if "." in last_segment:
        extension = last_segment.rsplit(".", 1)[-1].lower()
        if extension in _NON_ARTICLE_EXTENSIONS:
            return False
    return True


def find_article_urls(text: str, limit: int | None = None) -> list[str]:
    """Canonical URLs of the article candidates in a message, in order, without duplicates."""
    urls: list[str] = []
    for raw in find_urls(text):
        url = canonicalize(raw)
        if url not in urls and is_article_candidate(url):
            urls.append(url)
            if limit is not None and len(urls) >= limit:
                break
    return urls
