"""The "Share in channel" button under a slash command's private answer."""

from __future__ import annotations

import hashlib
import logging

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond

from bot.slack import blocks, payload, replies
from bot.slack.runtime import Runtime

log = logging.getLogger(__name__)


def register(app: AsyncApp, rt: Runtime) -> None:
    @app.action(blocks.SHARE_ACTION)
    async def on_share(ack: AsyncAck, body: dict, action: dict, respond: AsyncRespond) -> None:
        with rt.handling():
            await _share(rt, ack, body, action, respond)


def share_claim(body: dict, value: str) -> str:
    """The once-only key of one click target: the button's value (which carries a nonce made with the
    answer) on that message in that channel. A second click, in this process or another, finds it taken."""
    where = "\n".join(payload.text(body, *path) or "" for path in (("channel", "id"), ("container", "message_ts")))
    return "share:" + hashlib.sha256(f"{where}\n{value}".encode()).hexdigest()[:40]


async def _share(rt: Runtime, ack: AsyncAck, body: dict, action: dict, respond: AsyncRespond) -> None:
    await ack()
    if not payload.text(body, "response_url"):
        log.info("share button payload without a response_url; nowhere to answer")  # not one Slack sends
        return
    value = payload.text(action, "value") or ""
    parsed = replies.parse_share_value(value)
    if parsed is None:
        await respond(text="That button is from an older version of me; run the command again.",
                      response_type="ephemeral", replace_original=False)
        return
    if not await rt.store.claim_event(share_claim(body, value)):
        log.info("share button clicked again; already shared once")
        return
    view, url = parsed
    await replies.share(rt, view=view, url=url, user=payload.text(body, "user", "id"), respond=respond,
                        channel=payload.text(body, "channel", "id"))
