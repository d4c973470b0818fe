"""What newsbot asks Slack about people and conversations: time zones, display names, membership and
permalinks. Each answer that does not change often is cached for a while; every failure has a fallback."""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass

from slack_sdk.errors import SlackApiError

from bot.slack.runtime import Runtime, slack_error

log = logging.getLogger(__name__)

NAME_TTL = 3600.0


@dataclass(frozen=True)
class Membership:
    member: bool | None  # None: Slack could not tell us
    channel_type: str | None  # channel, group, mpim, im
    error: str | None = None


async def user_tz(rt: Runtime, user: str | None) -> str | None:
    """The user's time zone from their Slack profile (users.info, scope users:read), e.g. America/New_York."""
    if not user:
        return None
    try:
        resp = await rt.client.users_info(user=user)
    except SlackApiError as e:
        log.warning("users.info for %s failed: %s", user, slack_error(e))
        return None
    return (resp.get("user") or {}).get("tz") or None


async def display_names(rt: Runtime, users: list[str]) -> dict[str, str]:
    """User id → the name people see in Slack (display name, else real name); the id when unknown."""
    out: dict[str, str] = {}
    now = time.monotonic()
    _names = rt.memo.setdefault("names", {})
    for user in users:
        cached = _names.get(user)
        if cached and now - cached[0] < NAME_TTL:
            out[user] = cached[1]
            continue
        try:
            profile = (await rt.client.users_info(user=user)).get("user") or {}
        except SlackApiError as e:
            log.warning("users.info for %s failed: %s", user, slack_error(e))
            out[user] = "someone"
            continue
        details = profile.get("profile") or {}
        name = details.get("display_name") or details.get("real_name") or profile.get("real_name") \
            or profile.get("name") or "someone"
        _names[user] = (now, name)
        out[user] = name
    return out


def _type_of(channel: dict) -> str | None:
    if channel.get("is_im"):
        return "im"
    if channel.get("is_mpim"):
        return "mpim"
    if channel.get("is_private") or channel.get("is_group"):
        return "group"
    if channel.get("is_channel"):
        return "channel"
    return None


async def membership(rt: Runtime, channel: str) -> Membership:
    """Whether the bot is in `channel` (conversations.info). A conversation Slack will not show the bot
    (channel_not_found) is one it is not in."""
    try:
        resp = await rt.client.conversations_info(channel=channel)
    except SlackApiError as e:
        error = slack_error(e)
        if error == "channel_not_found":
            return Membership(False, None, error)
        log.warning("conversations.info for %s failed: %s", channel, error)
        return Membership(None, None, error)
    info = resp.get("channel") or {}
    kind = _type_of(info)
    # A DM the bot can see is its own DM with the person; is_member is only set for channels.
    member = True if kind == "im" else info.get("is_member")
    return Membership(bool(member) if member is not None else None, kind)


PERMALINKS_MAX = 20  # asked per answer, a few at a time: more than a message shows would only be slow


async def channel_type(rt: Runtime, channel: str) -> str | None:
    """A conversation's type (channel, group, mpim, im) when an event did not carry it; cached, as a
    conversation's type does not change (a public channel made private is the rare exception)."""
    _types = rt.memo.setdefault("channel_types", {})
    if channel not in _types:
        found = (await membership(rt, channel)).channel_type
        if found is None:
            return None
        _types[channel] = found
    return _types[channel]


async def permalinks(rt: Runtime, messages: list[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """(channel, ts) → a link to that Slack message (chat.getPermalink); messages Slack refuses are left out."""
    wanted = list(dict.fromkeys(messages))[:PERMALINKS_MAX]
    gate = asyncio.Semaphore(4)

    async def one(channel: str, ts: str) -> str | None:
        async with gate:
            try:
                resp = await rt.client.chat_getPermalink(channel=channel, message_ts=ts)
            except SlackApiError as e:
                log.info("chat.getPermalink for %s/%s failed: %s", channel, ts, slack_error(e))
                return None
        return resp.get("permalink") or None

    found = await asyncio.gather(*(one(channel, ts) for channel, ts in wanted))
    return {key: link for key, link in zip(wanted, found, strict=True) if link}
