"""A file attached to a Slack message → its bytes, from Slack's file host, with the bot token.

This is not an article fetch, so it does not go through the SSRF guard: the host is Slack's. What it must
guard instead is the token. The URL files.info returns is used only when it is on Slack's file host (or
on SLACK_API_URL's own host and port, for a proxy or the tests' fake Slack), a redirect is followed only
while it stays there, and the size (files.info's, then the bytes as they stream) and time are capped.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.config import Settings
from bot.fetch.document import SLACK_FILETYPES, kind_of
from bot.fetch.errors import FetchError, FetchTimeout, TooLarge, describe_content_type, human_size
from bot.fetch.safe_http import read_capped
from bot.slack import payload
from bot.slack.runtime import slack_error

log = logging.getLogger(__name__)

FILES_ORIGINS = frozenset({("https", "files.slack.com", 443)})
MAX_HOPS = 3  # Slack's file host may redirect within itself (a CDN edge); never more than this
READABLE = "I read PDF, HTML and plain-text files"


class FileError(FetchError):
    code = "slack_file"


class FileTooLarge(FileError):
    code = "file_too_large"

    def __init__(self, limit: int, size: int | None = None) -> None:
        said = f"That file is {human_size(size)}" if size else f"That file is larger than {human_size(limit)}"
        super().__init__(f"{said}; the most I read is {human_size(limit)} (NEWSBOT_FILE_MAX_BYTES)")
        self.limit, self.size = limit, size


class FileUnsupported(FileError):
    code = "file_unsupported"

    def __init__(self, what: str) -> None:
        super().__init__(f"That file is {what}; {READABLE}")


class FileRefused(FileError):
    """The file's address, or a redirect from it, leads off Slack's file host: the token is not sent there."""

    code = "file_refused"

    def __init__(self, url: str) -> None:
        host = urlsplit(url).hostname or "an unknown host"
        super().__init__(f"The file's address led to {host}, not Slack's file host, so I didn't follow it "
                         "(if that's Slack's sign-in page, the app needs the files:read permission: "
                         "reinstall it from its manifest)", url=None)


@dataclass(frozen=True)
class SlackFile:
    id: str
    name: str
    mimetype: str
    filetype: str
    size: int | None
    url: str | None
    external: bool = False  # a Google Drive or Dropbox file: Slack holds only a link to it

    @property
    def media_type(self) -> str:
        """The media type Slack reports, else the one its `filetype` stands for."""
        return self.mimetype or SLACK_FILETYPES.get(self.filetype, "")

    @property
    def kind(self) -> str | None:
        """'pdf', 'html', 'text', or None for a file newsbot does not read."""
        return kind_of(self.media_type, self.name)

    @classmethod
    def from_api(cls, data: dict) -> SlackFile:
        size = payload.field(data, "size")
        return cls(id=payload.text(data, "id") or "",
                   name=payload.text(data, "name") or payload.text(data, "title") or "the file",
                   mimetype=(payload.text(data, "mimetype") or "").lower(),
                   filetype=(payload.text(data, "filetype") or "").lower(),
                   size=size if isinstance(size, int) and not isinstance(size, bool) else None,
                   url=payload.text(data, "url_private") or None, external=payload.field(data, "is_external") is True)


def describe(file: SlackFile) -> str:
    """'an image', 'a Word document'... for the sentence that says a file can't be read."""
    return describe_content_type(file.media_type) if file.media_type else f"a {file.filetype or 'binary'} file"


async def file_info(client: AsyncWebClient, file_id: str) -> SlackFile:
    """files.info, with its refusals said in words a person can act on."""
    try:
        resp = await client.files_info(file=file_id)
    except SlackApiError as e:
        error = slack_error(e)
        if error in ("file_not_found", "file_deleted"):
            raise FileError("I can't see that file: it was deleted, or it was shared where I'm not a member") from None
        if error in ("missing_scope", "no_permission", "not_allowed_token_type"):
            raise FileError("I'm not allowed to read files (the files:read permission): reinstall the app from "
                            "its manifest") from None
        raise FileError(f"Slack wouldn't give me the file ({error})") from None
    data = resp.get("file") if isinstance(resp.data, dict) else None
    if not isinstance(data, dict):
        raise FileError("Slack sent no details for that file")
    return SlackFile.from_api(data)


def allowed_origins(settings: Settings) -> frozenset[tuple[str, str, int]]:
    """Slack's file host, plus SLACK_API_URL's host and port when that points somewhere else."""
    origins = set(FILES_ORIGINS)
    if settings.slack_api_url:
        api = _origin(settings.slack_api_url)
        if api is not None:
            origins.add(api)
    return frozenset(origins)


def _origin(url: str) -> tuple[str, str, int] | None:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return parts.scheme, parts.hostname.lower().rstrip("."), port or (443 if parts.scheme == "https" else 80)


async def download(session: aiohttp.ClientSession, settings: Settings, file: SlackFile, token: str) -> bytes:
    """The file's bytes, or a FileError / FetchTimeout saying why not."""
    limit = settings.file_max_bytes
    if file.size is not None and file.size > limit:
        raise FileTooLarge(limit, file.size)
    if file.external:
        raise FileError("That file is stored outside Slack (it's only linked there), so I can't download it; "
                        "share its link, or upload the file itself")
    if not file.url:
        raise FileError("Slack gave no address for that file (an external or hidden file?)")
    allowed = allowed_origins(settings)
    url = file.url
    try:
        async with asyncio.timeout(settings.fetch_timeout):
            for _ in range(MAX_HOPS + 1):
                if _origin(url) not in allowed:
                    raise FileRefused(url)
                async with session.get(url, headers={"Authorization": f"Bearer {token}"}, allow_redirects=False,
                                       raise_for_status=False) as resp:
                    location = resp.headers.get("Location")
                    if resp.status in (301, 302, 303, 307, 308) and location:
                        url = urljoin(url, location)
                        continue
                    if resp.status != 200:
                        raise FileError(f"Slack's file host answered {resp.status} for that file; try again later")
                    if resp.content_length is not None and resp.content_length > limit:
                        raise FileTooLarge(limit, resp.content_length)
                    return await _read_capped(resp, limit)
            raise FileError("Slack's file host redirected too many times, so I stopped")
    except FetchError:
        raise
    except TimeoutError:
        raise FetchTimeout(settings.fetch_timeout) from None
    except (aiohttp.ClientError, OSError) as error:
        log.warning("download of Slack file %s failed: %s", file.id, error)
        raise FileError(f"I couldn't download the file from Slack ({type(error).__name__}); try again") from None


async def _read_capped(resp: aiohttp.ClientResponse, limit: int) -> bytes:
    try:
        return await read_capped(resp, limit, resp.url.human_repr())
    except TooLarge:
        raise FileTooLarge(limit) from None
