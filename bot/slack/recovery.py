"""Replies owed by a process that died: a survivor (or the same bot after a restart) finishes them.

Each placeholder posted in a thread is a row in the store's replies_owed until its final edit. The owning
process's heartbeat keeps the row alive; when it stops (SIGKILL, a crash, a lost machine), the row expires
and one surviving process takes it over: it runs the analysis again (the lease on the link expires too)
and edits the placeholder, or, when that already failed once, says it was restarted. Never silence.
The same rounds post again the follow-ups Slack could not take, or whose process stopped mid-post
(bot/slack/followup_posts.py).
"""

from __future__ import annotations

import asyncio
import logging

from slack_bolt.context.respond.async_respond import AsyncRespond

from bot.redact import redact
from bot.slack import answers_owed, blocks, followup_posts, replies
from bot.slack.runtime import RESTARTED, RESTARTED_COMMAND, Runtime
from bot.store import OwedReply, OwedResponse

log = logging.getLogger(__name__)

# The first owner, then one survivor: a link that kills every process that reads it is not read a third time.
MAX_ATTEMPTS = 2
# What a reply owed to the message shortcut records instead of a link: the pasted text or the file is not
# kept in the store, so a survivor cannot read it again and says so.
SHORTCUT = "newsbot-shortcut:"
RESTARTED_SHORTCUT = "I was restarted before I finished; please use “Analyze with newsbot” on the message again"


def shortcut_marker(site: str) -> str:
    return SHORTCUT + site


async def watch(rt: Runtime) -> None:
    """Look for orphaned replies and answers, and follow-ups due a retry, every half lease, for as long as
    the app runs."""
    interval = max(rt.settings.lease_seconds / 2, 0.2)
    while True:
        try:
            for owed in await rt.store.take_over_replies():
                await resume(rt, owed)
            for answer in await rt.store.take_over_responses():
                await resume_answer(rt, answer)
        except asyncio.CancelledError:
            raise
        except Exception as e:  # the store may be restarting: try again next round
            log.warning("could not look for replies owed by stopped processes: %s", e)
        try:
            await followup_posts.retry_owed(rt)
        except asyncio.CancelledError:
            raise
        except Exception as e:
            log.warning("could not look for follow-ups to post again: %s", e)
        await asyncio.sleep(interval)


async def resume(rt: Runtime, owed: OwedReply) -> None:
    if owed.url.startswith(SHORTCUT):
        log.info("the shortcut reply at %s/%s was left by a stopped process", owed.channel, owed.ts)
        await replies.update(rt, channel=owed.channel, ts=owed.ts,
                             message=blocks.failure(owed.url[len(SHORTCUT):], RESTARTED_SHORTCUT))
        return
    site = blocks.site_of(owed.url)
    log.info("finishing the reply at %s/%s left by a stopped process (attempt %d)", owed.channel, owed.ts,
             owed.attempts)
    if owed.attempts <= MAX_ATTEMPTS:
        rt.pending[(owed.channel, owed.ts)] = site

        async def job() -> None:
            await replies.analyse_into(rt, channel=owed.channel, ts=owed.ts, thread_ts=owed.thread_ts, url=owed.url)

        if rt.queue.submit(job):
            return
    await replies.update(rt, channel=owed.channel, ts=owed.ts, message=blocks.failure(site, RESTARTED))


async def resume_answer(rt: Runtime, owed: OwedResponse) -> None:
    """A slash command or Share answer its process never sent: run it again, through the same response_url,
    or, when a survivor already tried, say what happened."""
    respond = AsyncRespond(response_url=owed.response_url)
    log.info("finishing a %s answer left by a stopped process (attempt %d)", owed.kind, owed.attempts)
    view = owed.view if owed.view in blocks.VIEWS else "thread"
    if owed.attempts <= MAX_ATTEMPTS and owed.kind == "command":
        await replies.answer_command(rt, view=view, url=owed.url, respond=respond, channel=owed.channel,
                                     resumed=owed.id)
    elif owed.attempts <= MAX_ATTEMPTS and owed.kind == "share":
        await replies.share(rt, view=view, url=owed.url, user=owed.user, respond=respond, channel=owed.channel,
                            resumed=owed.id)
    elif owed.attempts <= MAX_ATTEMPTS and owed.kind == "compare" and owed.url2:
        await replies.answer_compare(rt, first=owed.url, second=owed.url2, respond=respond, channel=owed.channel,
                                     resumed=owed.id)
    else:
        message = blocks.failure(blocks.site_of(owed.url), RESTARTED_COMMAND)
        try:
            await respond(**message.as_kwargs(), **answers_owed.answer_kwargs(owed.kind))
        except Exception as e:  # an expired response_url or a network error: nothing more to be done
            log.warning("could not answer through a response_url: %s", redact(e))
        await answers_owed.settle(rt, owed.id)
