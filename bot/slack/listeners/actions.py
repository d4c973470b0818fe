"""The "Share in channel" button under a slash command's private answer."""

from __future__ import annotations

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond

from bot.slack import blocks, replies
from bot.slack.runtime import Runtime


def register(app: AsyncApp, rt: Runtime) -> None:
    @app.action(blocks.SHARE_ACTION)
    async def on_share(ack: AsyncAck, body: dict, action: dict, respond: AsyncRespond) -> None:
        with rt.handling():
            await _share(rt, ack, body, action, respond)


async def _share(rt: Runtime, ack: AsyncAck, body: dict, action: dict, respond: AsyncRespond) -> None:
    await ack()
    parsed = replies.parse_share_value(action.get("value") or "")
    if parsed is None:
        await respond(text="That button is from an older version of me; run the command again.",
                      response_type="ephemeral", replace_original=False)
        return
    view, url = parsed
    user = (body.get("user") or {}).get("id")
    await replies.share(rt, view=view, url=url, user=user, respond=respond)
