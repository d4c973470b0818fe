"""Posting a follow-up, and posting it again later when Slack could not take it.

Each follow-up is a followup_posts row claimed before its post (bot/store/watch.py): one per (claim, new
article) whatever the processes. After the post the row says posted; after a momentary failure (Slack's
5xx or rate limits outlasting the sdk's retries, the network) it waits and the recovery loop
(bot/slack/recovery.py) tries it again, RETRY_SECONDS later and twice as long each time, MAX_ATTEMPTS
tries in all; after a refusal (channel_not_found, not_in_channel, is_archived...) it is failed for good.
"""

from __future__ import annotations

import logging
import time

from slack_sdk.errors import SlackApiError

from bot.slack.runtime import Runtime, momentary, slack_error
from bot.store.watch import FollowupPost

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
RETRY_SECONDS = 60.0  # before the second try; doubled before each further one


async def send(rt: Runtime, post: FollowupPost) -> bool:
    """Post a claimed follow-up and record how it went; True when it is in the thread."""
    try:
        resp = await rt.client.chat_postMessage(channel=post.channel, thread_ts=post.thread_ts,
                                                unfurl_links=False, unfurl_media=False, **post.message)
    except Exception as e:
        error = slack_error(e) if isinstance(e, SlackApiError) else f"{type(e).__name__}: {e}"
        again = (not isinstance(e, SlackApiError) or momentary(e)) and post.attempts < MAX_ATTEMPTS
        log.warning("could not post a follow-up in %s (try %d): %s%s", post.channel, post.attempts, error,
                    "; trying again later" if again else "")
        if again:
            await _finish(rt, post, status="waiting", error=error,
                          retry_at=time.time() + RETRY_SECONDS * 2 ** (post.attempts - 1))
        else:
            await _finish(rt, post, status="failed", error=error)
        return False
    ts = resp.get("ts") if isinstance(resp.data, dict) else None
    await _finish(rt, post, status="posted", ts=ts)
    return True


async def retry_owed(rt: Runtime) -> int:
    """Post again the follow-ups whose time to retry has come, or whose process stopped mid-post."""
    sent = 0
    for post in await rt.store.take_over_followups(max_attempts=MAX_ATTEMPTS):
        log.info("trying a follow-up in %s again (try %d)", post.channel, post.attempts)
        sent += await send(rt, post)
    return sent


async def _finish(rt: Runtime, post: FollowupPost, *, status: str, ts: str | None = None,
                  error: str | None = None, retry_at: float = 0.0) -> None:
    try:
        await rt.store.finish_followup(post, status=status, ts=ts, error=error, retry_at=retry_at)
    except Exception as e:  # (after the store's own retries) the row stays "posting", held by this process
        # while it lives; after it stops, another tries it again: a rare double beats a lost update.
        log.warning("could not record the follow-up in %s as %s: %s", post.channel, status, e)
