"""The work that follows an ack: placeholder, analysis, answer. Every path ends in a message to the user.

A link in a channel gets a placeholder in its thread at once, then that same message is edited into the
analysis, or into the reason it could not be made. A slash command is answered through its response_url.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
from collections.abc import Awaitable, Callable

from slack_sdk.errors import SlackApiError

from bot.analysis.engine_choice import EngineChoice
from bot.analysis.pipeline import Outcome
from bot.cpu_pool import WorkerCrashed
from bot.fetch.errors import FetchError
from bot.memory.compare import compare
from bot.memory.stories import same_story
from bot.redact import redact
from bot.slack import answers_owed, blocks, comparisons, followups, payload
from bot.slack.compare_blocks import compare_message
from bot.slack.engines import engine_for
from bot.slack.runtime import Runtime, momentary, slack_error

log = logging.getLogger(__name__)

BUSY = "I'm reading too many articles right now; please share the link again in a few minutes"
TIMEOUT = "reading and analysing it took too long, so I gave up; try again later"
BROKEN = "something went wrong on my side (the details are in the bot's log); try again later"
# Slack errors after which the same update cannot succeed with blocks; a plain-text edit still can.
_BLOCK_ERRORS = {"msg_too_long", "invalid_blocks", "invalid_blocks_format", "too_many_attachments"}

Respond = Callable[..., Awaitable[object]]


async def analyse(rt: Runtime, url: str, engine: EngineChoice | None = None) -> Outcome | str:
    """The pipeline's outcome with `engine` (see bot.slack.engines), or a sentence saying why there is none.
    One link shared in several channels (or reaching several processes) at once is fetched and analysed
    once per engine: the pipeline's single flight."""
    try:
        run = rt.pipeline.run_url(url, engine=engine.engine if engine else None)
        return await asyncio.wait_for(run, timeout=rt.analysis_timeout)
    except (FetchError, WorkerCrashed) as e:
        return str(e)
    except TimeoutError:
        return TIMEOUT
    except asyncio.CancelledError:
        raise
    except Exception:
        log.exception("analysis of %s failed", url)
        return BROKEN


# --- links shared in channels ------------------------------------------------------------------------------


async def post_placeholder(rt: Runtime, *, channel: str, thread_ts: str, site: str) -> str | None:
    """Post "Reading <site>…" in the thread and remember it until it is answered. Returns its ts; raises
    SlackApiError when Slack refuses (not_in_channel, channel_not_found...)."""
    resp = await rt.client.chat_postMessage(
        channel=channel, thread_ts=thread_ts, unfurl_links=False, unfurl_media=False,
        **blocks.placeholder(site).as_kwargs(),
    )
    # Slack always returns the new message's ts; without it (an odd proxy or fake) the answer is posted
    # as a second message rather than lost.
    ts = resp.get("ts") if isinstance(resp.data, dict) else None
    if ts:
        rt.pending[(channel, ts)] = site
    return ts


async def reply_to_link(rt: Runtime, *, channel: str, thread_ts: str, url: str, team: str | None = None
                        ) -> str | None:
    """Post the placeholder in the thread now and queue the analysis that will replace it. Returns Slack's
    error when there is nowhere in the thread to answer (the caller may have someone to tell), else None."""
    site = blocks.site_of(url)
    try:
        ts = await post_placeholder(rt, channel=channel, thread_ts=thread_ts, site=site)
    except SlackApiError as e:
        log.warning("could not post in %s: %s", channel, slack_error(e))
        if not momentary(e):  # not_in_channel, channel_not_found: nowhere in the thread to say anything
            return slack_error(e)
        ts = None  # Slack was down past the retries: the answer is still made, and posted when ready
    if ts:
        await owe(rt, channel=channel, ts=ts, thread_ts=thread_ts, url=url)

    async def job() -> None:
        await analyse_into(rt, channel=channel, ts=ts, thread_ts=thread_ts, url=url, team=team)

    if not rt.queue.submit(job, key=url):
        await deliver(rt, channel=channel, ts=ts, thread_ts=thread_ts, message=blocks.failure(site, BUSY))
    return None


async def owe(rt: Runtime, *, channel: str, ts: str, thread_ts: str, url: str) -> None:
    """Record the placeholder in the store, so another process answers it if this one dies."""
    try:
        await rt.store.owe_reply(channel=channel, ts=ts, thread_ts=thread_ts, url=url)
    except Exception as e:  # this process can still answer it; only a crash would leave it unanswered
        log.warning("could not record the reply owed in %s: %s", channel, e)


async def analyse_into(rt: Runtime, *, channel: str, ts: str | None, thread_ts: str, url: str,
                       team: str | None = None) -> None:
    """The thread reply; when another outlet's article on the same story was shared earlier in this same
    conversation, it ends with a comparison of the two (bot/slack/comparisons.py). Follow-ups on earlier
    unconfirmed claims come after the answer is out, so they never delay it."""
    engine = await engine_for(rt, channel)
    result = await analyse(rt, url, engine)
    addendum = None
    if not isinstance(result, str):
        addendum = await comparisons.for_share(rt, team=team, channel=channel, url=url, analysis=result.analysis)
    await rt.acks.wait()  # rendering and sending a whole analysis is the heaviest step: acks go first
    await deliver(rt, channel=channel, ts=ts, thread_ts=thread_ts,
                  message=_answer(result, url, "thread", addendum=addendum, engine_by_channel=engine.by_channel))
    if not isinstance(result, str):
        followups.start(rt, channel=channel, url=url, analysis=result.analysis)


async def deliver(rt: Runtime, *, channel: str, ts: str | None, thread_ts: str, message: blocks.Message) -> None:
    if ts:
        await update(rt, channel=channel, ts=ts, message=message)
        return
    try:
        await rt.client.chat_postMessage(channel=channel, thread_ts=thread_ts, unfurl_links=False,
                                         unfurl_media=False, **message.as_kwargs())
    except SlackApiError as e:
        log.warning("could not post in %s: %s", channel, slack_error(e))


async def update(rt: Runtime, *, channel: str, ts: str, message: blocks.Message) -> None:
    """Edit the placeholder, then strike it from the replies owed (a crash in between edits it twice:
    better than never)."""
    rt.pending.pop((channel, ts), None)
    if not await _still_ours(rt, channel, ts):
        log.info("the reply in %s was taken over by another process; it answers", channel)
        return
    await _edit(rt, channel=channel, ts=ts, message=message)
    try:
        await rt.store.settle_reply(channel, ts)
    except Exception as e:  # the row stays; a survivor would edit the placeholder once more
        log.warning("could not settle the reply in %s: %s", channel, e)


async def _still_ours(rt: Runtime, channel: str, ts: str) -> bool:
    """False when another process took this reply over (this one looked dead for a while): it edits."""
    try:
        owner = await rt.store.reply_owner(channel, ts)
    except Exception:  # unknown: answering twice beats not answering
        return True
    return owner is None or owner == rt.store.holder


async def _edit(rt: Runtime, *, channel: str, ts: str, message: blocks.Message) -> None:
    """Edit the placeholder; if Slack refuses the blocks, edit it into a plain sentence instead."""
    try:
        await rt.client.chat_update(channel=channel, ts=ts, **message.as_kwargs(update=True))
        return
    except SlackApiError as e:
        error = slack_error(e)
        log.warning("chat.update in %s failed: %s", channel, error)
        if error not in _BLOCK_ERRORS:
            return
    fallback = blocks.notice(f":warning: I read the article but Slack refused to show the result ({error}); "
                             "try /summarize or /claims with the link")
    try:
        await rt.client.chat_update(channel=channel, ts=ts, text=fallback.text, blocks=[])
    except SlackApiError as e:
        log.warning("chat.update fallback in %s failed: %s", channel, slack_error(e))


async def unfurl_link(rt: Runtime, event: dict, raw_url: str, url: str) -> None:
    """Attach the summary view under a link whose domain the app registered for unfurling."""
    engine = await engine_for(rt, payload.text(event, "channel"))
    result = await analyse(rt, url, engine)
    if isinstance(result, str):
        return  # a preview is optional; the thread reply says what went wrong
    message = blocks.analysis_message(result.analysis, "summarize", elapsed=result.seconds, from_cache=result.cached,
                                      engine_by_channel=engine.by_channel)
    target = (
        {"unfurl_id": payload.text(event, "unfurl_id"), "source": payload.text(event, "source")}
        if payload.text(event, "unfurl_id") and payload.text(event, "source")
        else {"channel": payload.text(event, "channel"), "ts": payload.text(event, "message_ts")}
    )
    try:
        await rt.client.chat_unfurl(unfurls={raw_url: {"blocks": message.blocks}}, **target)
    except SlackApiError as e:
        log.warning("chat.unfurl failed: %s", slack_error(e))


# --- slash commands and the share button ---------------------------------------------------------------------


def share_value(view: str, url: str) -> str:
    """The Share button's value: the view and the link, and a nonce that makes each answer's button its
    own, so that clicking one button twice shares once while a later /claims can be shared again."""
    return json.dumps({"v": view, "u": url, "n": secrets.token_hex(6)}, separators=(",", ":"))


def parse_share_value(value: str) -> tuple[str, str] | None:
    try:
        data = json.loads(value)
        view, url = data["v"], data["u"]
    except (ValueError, KeyError, TypeError):
        return None
    if view not in blocks.VIEWS or not isinstance(url, str) or not url:
        return None
    return view, url


async def answer_command(rt: Runtime, *, view: blocks.View, url: str, respond: Respond,
                         channel: str | None = None, resumed: str | None = None) -> None:
    """Queue the analysis for a slash command; the answer goes to response_url, visible to the user only.
    `resumed`: the id of an answer owed taken over from a process that died (bot/slack/recovery.py)."""
    key = await answers_owed.owe(rt, respond, kind="command", url=url, view=view, channel=channel,
                                 resumed=resumed)

    async def job() -> None:
        engine = await engine_for(rt, channel)
        message = _answer(await analyse(rt, url, engine), url, view, share_value=share_value(view, url),
                          engine_by_channel=engine.by_channel)
        await _respond_owed(rt, key, respond, message, response_type="ephemeral")

    if not rt.queue.submit(job, key=url):
        await _respond_owed(rt, key, respond, blocks.failure(blocks.site_of(url), BUSY), response_type="ephemeral")


async def share(rt: Runtime, *, view: blocks.View, url: str, user: str | None, respond: Respond,
                channel: str | None = None, resumed: str | None = None) -> None:
    """Post the analysis a user is looking at to the whole channel (it is cached, so this is quick)."""
    key = await answers_owed.owe(rt, respond, kind="share", url=url, view=view, channel=channel, user=user,
                                 resumed=resumed)

    async def job() -> None:
        engine = await engine_for(rt, channel)
        result = await analyse(rt, url, engine)
        if isinstance(result, str):
            await _respond_owed(rt, key, respond, blocks.failure(blocks.site_of(url), result),
                                response_type="ephemeral", replace_original=False)
            return
        message = _answer(result, url, view, elapsed=None, shared_by=user, engine_by_channel=engine.by_channel)
        if await _respond_owed(rt, key, respond, message, response_type="in_channel", replace_original=False):
            await _respond(respond, None, delete_original=True)

    if not rt.queue.submit(job, key=url):
        await _respond_owed(rt, key, respond, blocks.failure(blocks.site_of(url), BUSY), response_type="ephemeral",
                            replace_original=False)


async def _respond_owed(rt: Runtime, key: str, respond: Respond, message: blocks.Message, **kwargs: object) -> bool:
    """Send an answer owed, unless another process took it over, and strike it from the answers owed (a
    crash in between answers twice: better than never)."""
    if not await answers_owed.still_ours(rt, key):
        rt.awaiting.pop(key, None)
        log.info("an answer owed was taken over by another process; it answers")
        return False
    sent = await _respond(respond, message, **kwargs)
    await answers_owed.settle(rt, key)
    return sent


def _answer(result: Outcome | str, url: str, view: blocks.View, **options: object) -> blocks.Message:
    """The message for an analysis, or for the reason there is none. A formatting bug becomes the "went
    wrong on my side" sentence: a reply is never left saying "Reading…"."""
    site = blocks.site_of(url)
    try:
        if isinstance(result, str):
            return blocks.failure(site, result)
        options = {"elapsed": result.seconds, **options}
        return blocks.analysis_message(result.analysis, view, from_cache=result.cached, **options)
    except Exception:
        log.exception("could not format the answer for %s", url)
        return blocks.failure(site, BROKEN)


async def _respond(respond: Respond, message: blocks.Message | None, **kwargs: object) -> bool:
    try:
        if message is not None:
            kwargs.update(message.as_kwargs(), unfurl_links=False, unfurl_media=False)
        resp = await respond(**kwargs)
    except Exception as e:  # an expired response_url (30 minutes) or a network error
        log.warning("response_url call failed: %s", redact(e))
        return False
    status = getattr(resp, "status_code", 200)
    if status != 200:
        log.warning("response_url answered %s: %.200s", status, redact(getattr(resp, "body", "")))
        return False
    return True


async def answer_compare(rt: Runtime, *, first: str, second: str, respond: Respond,
                         channel: str | None = None, resumed: str | None = None) -> None:
    """Queue `/compare first second`: both read side by side, the second compared with the first, the
    answer through response_url to the user only; either one unreadable is said plainly."""
    key = await answers_owed.owe(rt, respond, kind="compare", url=first, url2=second, channel=channel,
                                 resumed=resumed)

    async def job() -> None:
        engine = await engine_for(rt, channel)
        results = await asyncio.gather(analyse(rt, first, engine), analyse(rt, second, engine))
        await _respond_owed(rt, key, respond, _compared(first, second, *results), response_type="ephemeral")

    if not rt.queue.submit(job):
        await _respond_owed(rt, key, respond, blocks.notice(BUSY), response_type="ephemeral")


def _compared(first: str, second: str, earlier: Outcome | str, this: Outcome | str) -> blocks.Message:
    for url, result in ((first, earlier), (second, this)):
        if isinstance(result, str):
            return blocks.failure(blocks.site_of(url), result)
    assert isinstance(earlier, Outcome) and isinstance(this, Outcome)
    try:
        cmp = compare(this.analysis, earlier.analysis, this_url=second, earlier_url=first)
        return compare_message(cmp, second, first, same_story=same_story(this.analysis, earlier.analysis))
    except Exception:
        log.exception("could not compare %s with %s", first, second)
        return blocks.failure(blocks.site_of(second), BROKEN)
