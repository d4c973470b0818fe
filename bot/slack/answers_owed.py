"""Answers owed through a response_url (slash commands, the Share button): remembered in this process, to
apologise at shutdown, and in the store, so that another process answers when this one dies
(bot/slack/recovery.py). A response_url carries no token: it is Slack's one-use address for this answer.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable

from bot.slack import blocks
from bot.slack.runtime import Runtime

log = logging.getLogger(__name__)

KINDS = ("command", "share", "compare")


def answer_kwargs(kind: str) -> dict:
    """How each kind's answer is sent: a Share answer leaves the ephemeral message it came from in place."""
    if kind == "share":
        return {"response_type": "ephemeral", "replace_original": False}
    return {"response_type": "ephemeral"}


async def owe(rt: Runtime, respond: Callable[..., Awaitable[object]], *, kind: str, url: str,
              view: str | None = None, url2: str | None = None, channel: str | None = None,
              user: str | None = None, resumed: str | None = None) -> str:
    """Remember an answer owed until `settle`; returns its id. `resumed`: the id of a row taken over from a
    process that died (already in the store)."""
    key = resumed or uuid.uuid4().hex
    rt.awaiting[key] = (respond, blocks.site_of(url), answer_kwargs(kind))
    response_url = getattr(respond, "response_url", None)
    if resumed or not isinstance(response_url, str) or not response_url:
        return key
    try:
        await rt.store.owe_response(id=key, response_url=response_url, kind=kind, url=url, view=view, url2=url2,
                                    channel=channel, user=user)
    except Exception as e:  # this process can still answer; only its death would leave it unanswered
        log.warning("could not record an answer owed: %s", e)
    return key


async def still_ours(rt: Runtime, key: str) -> bool:
    """False when another process took this answer over (this one looked dead for a while): it answers."""
    try:
        owner = await rt.store.response_owner(key)
    except Exception:  # unknown: answering twice beats not answering
        return True
    return owner is None or owner == rt.store.holder


async def settle(rt: Runtime, key: str) -> None:
    rt.awaiting.pop(key, None)
    try:
        await rt.store.settle_response(key)
    except Exception as e:  # the row stays; a survivor would answer once more
        log.warning("could not settle an answer owed: %s", e)
