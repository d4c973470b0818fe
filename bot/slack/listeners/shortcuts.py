"""The "Analyze with newsbot" message shortcut: any message's attached file, link or pasted text is
analysed and answered in that message's thread (placeholder first, then the answer, as for links).

Ack at once; everything after runs in the background. The answer goes only to the conversation the
message is in (its thread); what only the person who asked should see (why nothing can be read, that the
bot is not in the channel) goes to them alone through the shortcut's response_url.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Awaitable, Callable

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.errors import SlackApiError

from bot.analysis.model import Article
from bot.analysis.pipeline import Outcome
from bot.cpu_pool import run_cpu
from bot.fetch.document import article_from_bytes
from bot.fetch.errors import FetchError
from bot.fetch.extract import article_from_text
from bot.slack import blocks, files, payload, replies
from bot.slack.pasted import Target, choose
from bot.slack.recovery import shortcut_marker
from bot.slack.runtime import Runtime, slack_error

log = logging.getLogger(__name__)

CALLBACK_ID = "analyze_message"
PASTED = "the pasted text"
_CANT_POST = {
    "not_in_channel": "I'm not in this channel, so I can't answer in that message's thread. Invite me with "
                      "`/invite @newsbot`, then use the shortcut again.",
    "channel_not_found": "I can't post in this conversation: I'm not a member of it. Add me to it (or use "
                         "the shortcut in a channel I'm in), then try again.",
    "is_archived": "This channel is archived, so I can't answer in it.",
}


def register(app: AsyncApp, rt: Runtime) -> None:
    @app.shortcut(CALLBACK_ID)
    async def on_analyze_message(ack: AsyncAck, body: dict, respond: AsyncRespond) -> None:
        await ack()  # first: Slack shows the user an error if this takes over 3 seconds
        with rt.handling():
            await handle(rt, body, respond)


async def handle(rt: Runtime, body: dict, respond: AsyncRespond) -> None:
    message = payload.field(body, "message")
    message = message if isinstance(message, dict) else {}
    channel = payload.text(body, "channel", "id")
    ts = payload.text(message, "ts") or payload.text(body, "message_ts")
    if not channel or not ts:
        await _tell(respond, "Slack didn't say which message that was; try again.")
        return
    if rt.identity.bot_id and payload.text(message, "bot_id") == rt.identity.bot_id:
        await _tell(respond, "That's one of my own answers; use the shortcut on the message with the article.")
        return
    target = choose(message)
    if isinstance(target, str):
        await _tell(respond, target)
        return
    thread_ts = payload.text(message, "thread_ts") or ts
    log.info("shortcut by %s on %s in %s: %s", payload.text(body, "user", "id"), ts, channel, target.kind)
    if target.kind == "link":
        assert target.url is not None
        error = await replies.reply_to_link(rt, channel=channel, thread_ts=thread_ts, url=target.url,
                                            team=payload.text(body, "team", "id"))
        if error:
            await _tell(respond, _cant_post(error))
            return
        # The link was shared in this conversation, as if the bot had seen it posted (digests read these).
        await rt.store.record_link(team=payload.text(body, "team", "id"), channel=channel, message_ts=ts,
                                   user=payload.text(message, "user"), url=target.url)
        return
    site = target.file.name if target.file else PASTED
    try:
        posted = await replies.post_placeholder(rt, channel=channel, thread_ts=thread_ts, site=site)
    except SlackApiError as e:
        await _tell(respond, _cant_post(slack_error(e)))
        return
    if posted:  # another process says so if this one dies before the answer (bot/slack/recovery.py)
        await replies.owe(rt, channel=channel, ts=posted, thread_ts=thread_ts, url=shortcut_marker(site))

    async def job() -> None:
        result = await analyse_article(rt, _loader(rt, target))
        if isinstance(result, str):
            reply = blocks.failure(site, result)
        else:
            reply = blocks.analysis_message(result.analysis, "thread", elapsed=result.seconds,
                                            from_cache=result.cached)
        await replies.deliver(rt, channel=channel, ts=posted, thread_ts=thread_ts, message=reply)

    if not rt.queue.submit(job):
        await replies.deliver(rt, channel=channel, ts=posted, thread_ts=thread_ts,
                              message=blocks.failure(site, replies.BUSY.replace("share the link", "try")))


def _loader(rt: Runtime, target: Target) -> Callable[[], Awaitable[Article]]:
    """How to get the Article: download the file and extract it off the event loop, or take the text."""

    async def from_file() -> Article:
        assert target.file is not None
        info = await files.file_info(rt.client, target.file.id)
        if info.kind is None:
            raise files.FileUnsupported(files.describe(info))
        body = await files.download(rt.session, rt.settings, info, rt.settings.slack_bot_token or "")
        extract = functools.partial(article_from_bytes, content_type=info.media_type, name=info.name,
                                    max_pages=rt.settings.pdf_max_pages)
        return await run_cpu(rt.cpu, extract, body)  # a worker process when there is a pool

    async def from_text() -> Article:
        article = article_from_text(target.text or "")
        article.source.site = "Pasted in Slack"
        return article

    return from_file if target.kind == "file" else from_text


async def analyse_article(rt: Runtime, load: Callable[[], Awaitable[Article]]) -> Outcome | str:
    """Load and analyse within the analysis time limit; the outcome, or a sentence saying why there is none."""

    async def run() -> Outcome:
        return await rt.pipeline.run_article(await load())

    try:
        return await asyncio.wait_for(run(), timeout=rt.analysis_timeout)
    except FetchError as e:
        return str(e)
    except TimeoutError:
        return replies.TIMEOUT
    except Exception:
        log.exception("analysis of a message's text or file failed")
        return replies.BROKEN


def _cant_post(error: str) -> str:
    return _CANT_POST.get(error, f"Slack wouldn't let me answer in that thread ({error}).")


async def _tell(respond: AsyncRespond, text: str) -> None:
    """A message only the person who used the shortcut sees."""
    try:
        await respond(text=blocks.escape(text), response_type="ephemeral", replace_original=False)
    except Exception as e:  # an expired response_url or a network error: nothing more to be done
        log.warning("could not answer a shortcut through its response_url: %s", e)
