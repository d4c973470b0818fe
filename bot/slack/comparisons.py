"""The comparison a thread reply gets when a second outlet's article on a story shared earlier in the same
conversation arrives. Only shares in that very conversation are read (the privacy rule, at its
strictest: an article shared in one channel is never compared from another), over the last week."""

from __future__ import annotations

import asyncio
import logging
import time

from bot.analysis.model import Analysis
from bot.memory.compare import compare, counterpart
from bot.slack.blocks import Addendum
from bot.slack.compare_blocks import thread_addendum
from bot.slack.digests import _engine_id
from bot.slack.runtime import Runtime

log = logging.getLogger(__name__)

WINDOW_DAYS = 7
EARLIER_READ = 200  # the newest earlier shares read: a busy channel must not make a reply slow


async def for_share(rt: Runtime, *, team: str | None, channel: str, url: str, analysis: Analysis) -> Addendum | None:
    """The comparison section for the reply to `url` just shared in `channel`, or None (a new story,
    the same outlet again, nothing that differs, or the store could not be read: the reply goes without)."""
    try:
        now = time.time()
        links = await rt.store.links_between(team=team, channel=channel, since=now - WINDOW_DAYS * 86400,
                                             until=now + 1)
        mine = [link.created for link in links if link.url == url]
        shared_at = max(mine) if mine else now
        earlier_urls = list(dict.fromkeys(link.url for link in links
                                          if link.url != url and link.created <= shared_at))[-EARLIER_READ:]
        if not earlier_urls:
            return None
        stored = await rt.store.analyses_for_urls(earlier_urls, _engine_id(rt))
        # Reading a week of analyses and grouping them is CPU work (≈0.1 s for 200): off the event loop.
        return await asyncio.to_thread(_addendum, analysis, url, [(u, stored[u]) for u in earlier_urls if u in stored])
    except Exception:
        log.exception("could not compare %s with earlier shares in %s", url, channel)
        return None


def _addendum(analysis: Analysis, url: str, stored: list[tuple[str, str]]) -> Addendum | None:
    earlier: list[tuple[str, Analysis]] = []
    for u, data in stored:
        try:
            earlier.append((u, Analysis.from_json(data)))
        except ValueError:  # written by another version: not comparable, not fatal
            continue
    found = counterpart(analysis, url, earlier)
    if found is None:
        return None
    other_url, other = found
    return thread_addendum(compare(analysis, other, this_url=url, earlier_url=other_url), other_url)
