"""What a start-up catches up on for newsbot's memory, in the background: analyses stored before the
follow-ups' watch list existed have their flagged claims put on it, analyses stored before the /sources
index existed are indexed, and shares recorded before newsbot kept each one's conversation type
get it from Slack (until then they count as private, so they are shown only where they were shared)."""

from __future__ import annotations

import logging

from bot.slack.conversations import channel_type
from bot.slack.runtime import Runtime

log = logging.getLogger(__name__)

CHANNELS_PER_START = 200  # conversations.info calls at most, per start


async def catch_up(rt: Runtime) -> None:
    for what, step in (("watch the claims of earlier analyses", _watch), ("index earlier analyses for /sources", _index),
                       ("type earlier shares", _type_shares)):
        try:
            await step(rt)
        except Exception:
            log.exception("could not %s; they stay as they are until the next start", what)


async def _watch(rt: Runtime) -> None:
    done = await rt.store.watch_missing()
    if done:
        log.info("put the flagged claims of %d earlier analyses on the follow-ups' watch list", done)


async def _index(rt: Runtime) -> None:
    done = await rt.store.index_missing_sources()
    if done:
        log.info("indexed the sources of %d earlier analyses", done)


async def _type_shares(rt: Runtime) -> None:
    typed = 0
    for channel in await rt.store.untyped_channels(limit=CHANNELS_PER_START):
        kind = await channel_type(rt, channel)
        if kind:
            typed += await rt.store.type_channel_shares(channel, kind)
    if typed:
        log.info("noted the conversation type of %d earlier shares", typed)
