"""Gather what a digest covers from the store: the links shared in one channel over a period and their
stored analyses. Used by the Slack scheduler, `/digest now` and `newsbot digest` alike."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Protocol

from bot.analysis.model import Analysis
from bot.memory.digest import Digest, Share, build_digest

log = logging.getLogger(__name__)

Names = Callable[[list[str]], Awaitable[dict[str, str]]]


class DigestSource(Protocol):
    async def links_between(self, *, team: str | None, channel: str, since: float, until: float) -> list: ...

    async def analyses_for_urls(self, urls: list[str], engine_id: str | None = None) -> dict[str, str]: ...


async def no_names(users: list[str]) -> dict[str, str]:
    """Without Slack (the CLI) a sharer is shown by user id."""
    return {u: u for u in users}


async def collect(store: DigestSource, *, team: str | None, channel: str, since: float, until: float,
                  label: str, engine_id: str | None = None, names: Names = no_names, tz: str = "UTC") -> Digest:
    links = await store.links_between(team=team, channel=channel, since=since, until=until)
    shares = [Share(link.url, link.user, link.created, link.message_ts) for link in links]
    stored = await store.analyses_for_urls(list(dict.fromkeys(s.url for s in shares)), engine_id)
    analyses: dict[str, Analysis | None] = {}
    for url, data in stored.items():
        try:
            analyses[url] = Analysis.from_json(data)
        except ValueError:  # written by another version: list the link unread rather than fail the digest
            log.warning("stored analysis of %s could not be read; listed without it", url)
    users = sorted({s.user for s in shares if s.user})
    return build_digest(shares, analyses, await names(users) if users else {}, label=label, since=since,
                        until=until, tz=tz)
