"""`/newsbot engine [offline|auto|default]`: which engine answers in this conversation, and a channel's
own setting, kept in the store. "offline" keeps the channel's articles away from every model provider."""

from __future__ import annotations

import logging

from slack_bolt.async_app import AsyncAck, AsyncRespond

from bot.analysis.pipeline import resolve_engine_name
from bot.slack.engines import engine_for
from bot.slack.runtime import Runtime

log = logging.getLogger(__name__)

VALUES = ("offline", "auto", "default")
USAGE = (
    "*Usage:* `/newsbot engine` — which engine analyses the articles shared in this conversation, and why.\n"
    "`/newsbot engine offline` — this channel's articles never go to a language model (the rules engine answers).\n"
    "`/newsbot engine auto` — the workspace's engine, even in a private channel or DM.\n"
    "`/newsbot engine default` — no setting of its own (private conversations follow the workspace's "
    "setting for them)."
)


async def answer(rt: Runtime, cmd: object, ack: AsyncAck, command: dict, respond: AsyncRespond) -> None:
    words = (command.get("text") or "").lower().split()
    # Keyed by channel alone: the events that share links do not all carry the team (one workspace per install).
    channel, user = command.get("channel_id"), command.get("user_id")
    if not words or words[0] != "engine" or len(words) > 2 or (len(words) == 2 and words[1] not in VALUES) \
            or not channel:
        await ack(response_type="ephemeral", text=USAGE)
        return
    # The store and conversations.info can be slow (a database restarting, Slack rate limits): ack now and
    # answer through response_url, so Slack's 3-second deadline never depends on them.
    await ack()
    if len(words) == 2:
        value = None if words[1] == "default" else words[1]
        try:
            await rt.store.set_channel_engine(team=None, channel=channel, engine=value, user=user)
        except Exception as e:
            log.warning("could not save the engine setting of %s: %s", channel, e)
            await _say(respond, "ephemeral", "I couldn't save that setting right now; nothing changed.")
            return
    choice = await engine_for(rt, channel)
    name = resolve_engine_name(choice.engine, rt.settings)
    what = "the offline engine (rules; nothing leaves the workspace)" if name == "offline" else \
        f"the language model ({rt.settings.openai_model})"
    why = "this channel's own setting" if choice.by_channel else "the workspace's settings"
    text = f"Articles shared here are analysed by {what}, by {why}."
    if len(words) == 2 and user:
        # everyone in the channel sees who changed where its articles go
        await _say(respond, "in_channel", f"<@{user}> set this channel's engine to `{words[1]}`. {text}")
        return
    await _say(respond, "ephemeral", text)


async def _say(respond: AsyncRespond, response_type: str, text: str) -> None:
    try:
        await respond(response_type=response_type, text=text)
    except Exception as e:  # an expired response_url: nothing else can reach the user
        log.warning("could not answer /newsbot through its response_url: %s", e)
