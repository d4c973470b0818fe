"""Messages with article links, and mentions of the bot: each link gets an analysis in the thread.

Joining a channel is the opt-in: Slack only sends the bot messages from channels it is a member of.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError

from bot.fetch.links import find_article_urls
from bot.slack import blocks, payload, replies
from bot.slack.conversations import channel_type
from bot.slack.runtime import Runtime, slack_error
from bot.store import StoreUnavailable

log = logging.getLogger(__name__)

# Plain messages, files with a comment and thread replies sent to the channel carry new text; every other
# subtype (edits, deletions, joins, bot messages...) must not start a new analysis.
_READ_SUBTYPES = {None, "file_share", "thread_broadcast"}


def _mention_help() -> str:
    from bot.slack.listeners.commands import summary_line  # the command table imports the listeners

    return ("Paste a news article link in a channel I'm in and I'll reply in its thread with a summary, the "
            "claims and who makes them, who is quoted, and what the article itself calls unconfirmed. "
            f"Or use {summary_line()}.")


def register(app: AsyncApp, rt: Runtime) -> None:
    @app.event("message")
    async def on_message(body: dict, event: dict) -> None:
        with rt.handling():
            await handle(rt, body, event, mention=False)

    @app.event("app_mention")
    async def on_mention(body: dict, event: dict) -> None:
        with rt.handling():
            await handle(rt, body, event, mention=True)

    @app.event("link_shared")
    async def on_link_shared(body: dict, event: dict) -> None:
        with rt.handling():
            await unfurl(rt, body, event)


def _is_ours_to_read(rt: Runtime, event: dict) -> bool:
    subtype = event.get("subtype")
    if not isinstance(subtype, str | None) or subtype not in _READ_SUBTYPES or event.get("bot_id") or event.get("hidden"):
        return False
    if rt.identity.user_id and event.get("user") == rt.identity.user_id:
        return False
    # A payload without a channel and ts of the right type is none Slack sends: nothing to answer in.
    return bool(payload.text(event, "channel") and payload.text(event, "ts"))


async def handle(rt: Runtime, body: dict, event: dict, *, mention: bool) -> None:
    """Runs after Bolt has acked the event. Retries and the message/app_mention pair for one message are
    told apart from new shares by the event id, then by (channel, ts, canonical URL)."""
    if not _is_ours_to_read(rt, event):
        return
    try:
        urls = find_article_urls(payload.text(event, "text") or "", limit=rt.settings.max_links_per_message)
    except ValueError:
        urls = []
    if not urls and not mention:
        return
    event_id = payload.text(body, "event_id")
    if event_id and not await _first(rt.store.claim_event(event_id), f"event {event_id}"):
        log.info("event %s already handled (a retry)", event_id)
        return
    channel, ts = event["channel"], event["ts"]
    thread_ts = payload.text(event, "thread_ts") or ts
    user = payload.text(event, "user")
    log.info("%d article link(s) from %s in %s", len(urls), user, channel)
    if not urls:
        try:
            await rt.client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=blocks.escape(_mention_help()))
        except SlackApiError as e:
            log.warning("could not answer a mention in %s: %s", channel, slack_error(e))
        return
    # app_mention carries no channel_type: ask Slack, so the privacy rule knows where the link was shared
    # (unknown counts as private).
    kind = payload.text(event, "channel_type") or await channel_type(rt, channel)
    team = payload.text(body, "team_id") or payload.text(event, "team")
    for url in urls:
        first = rt.store.record_link(
            team=team, channel=channel, message_ts=ts,
            user=user, url=url, channel_type=kind,
        )
        if await _first(first, f"the link {url}"):
            await replies.reply_to_link(rt, channel=channel, thread_ts=thread_ts, url=url, team=team)
        elif kind:
            # The message event after an app_mention for one post: fill in the type if still unknown.
            try:
                await rt.store.fill_channel_type(channel=channel, message_ts=ts, url=url, channel_type=kind)
            except StoreUnavailable as e:
                log.warning("could not note where %s was shared: %s", url, e)


async def _first(claim: Awaitable[bool], what: str) -> bool:
    """Whether this is the first time (a claim in the store). When the store stays unavailable after its
    retries, answer anyway: a rare double answer beats a request acked and then dropped."""
    try:
        return await claim
    except StoreUnavailable as e:
        log.warning("could not check whether %s was already handled (%s); answering it", what, e)
        return True


async def unfurl(rt: Runtime, body: dict, event: dict) -> None:
    """link_shared fires only for the domains listed under unfurl_domains in the manifest: attach a compact
    summary to the message itself. The thread reply still carries the full analysis."""
    event_id = payload.text(body, "event_id")
    if event_id and not await _first(rt.store.claim_event(event_id), f"event {event_id}"):
        return
    wanted: list[tuple[str, str]] = []
    for link in payload.dicts(event, "links"):
        raw = payload.text(link, "url") or ""
        try:
            found = find_article_urls(raw, limit=1)
        except ValueError:
            found = []
        if found:
            wanted.append((raw, found[0]))
    for raw, url in wanted[: rt.settings.max_links_per_message]:
        rt.queue.submit(lambda raw=raw, url=url: replies.unfurl_link(rt, event, raw, url), key=url)
