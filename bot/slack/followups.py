"""After a new article's analysis is posted: reply once in the thread of each earlier article whose
flagged claim it confirms, disputes or still calls unconfirmed (bot/memory/followups.py decides, or the
model, bot/analysis/followup_judge.py, when it read both articles).

Runs after the reply is delivered and never raises: a follow-up is extra, the answer already went out.
Privacy (bot/memory/visibility.py) both ways: the earlier share must be visible from where the new one was
shared, and the new one from where the earlier one was (the update names the new article and links to its
share): public with public, or both in one conversation; never across teams.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time

from slack_sdk.errors import SlackApiError

from bot.analysis.followup_judge import FollowUpJudge, decide
from bot.analysis.model import Analysis
from bot.analysis.pipeline import llm_configured
from bot.memory.followups import FollowUp, Watched, watched
from bot.memory.visibility import Viewer, visible
from bot.slack import blocks
from bot.slack.conversations import permalinks
from bot.slack.mrkdwn import escaped_clip, safe_link
from bot.slack.runtime import Runtime, slack_error
from bot.store.memory import Shared

log = logging.getLogger(__name__)

DAY = 86400.0
EARLIER_MAX = 1000  # earlier articles one new article is matched against
LABELS = {"confirmed": "confirms", "disputed": "disputes", "unconfirmed": "still calls unconfirmed"}


def _sees(viewer: Shared, share: Shared) -> bool:
    return visible(Viewer(viewer.team, viewer.channel), team=share.team, channel=share.channel,
                   channel_type=share.channel_type)


def claim_key(url: str, sentence: str) -> str:
    """A claim's identity: its article and its sentence (the sentence hashed, so keys stay short)."""
    return f"{url}#{hashlib.sha256(sentence.encode()).hexdigest()[:16]}"


def message(found: FollowUp, new: Analysis, new_url: str, permalink: str | None) -> blocks.Message:
    title = new.source.title or new.source.site or new_url
    cues = ", ".join(f"“{c}”" for c in found.cues)
    where = f" · <{permalink}|where it was shared>" if permalink and permalink.startswith("https://") else ""
    lines = [f":mag: *Update from {safe_link(new_url, title)}*: {escaped_clip(found.sentence, 600)}",
             f"It {LABELS[found.decision]} the claim “{escaped_clip(found.claim.text, 300)}” · decided by {cues}"
             f"{where}"]
    text = f"Update from {title}: {found.sentence}"
    return blocks.Message(text=blocks.escape(text), blocks=[blocks.section("\n".join(lines))])


# Follow-ups waiting their turn; past this (a flood of shares) a new one is skipped, with a log line: an
# update is extra, and the replies themselves must not wait behind reading the team's history.
MAX_WAITING = 100


def start(rt: Runtime, *, channel: str, url: str, analysis: Analysis) -> None:
    """Run `after_reply` in the background, one at a time: each reads up to EARLIER_MAX stored analyses,
    which inline in every reply cut a flood's answers from about 15 to 3 a second (bench/bench_load.py).
    Shutdown waits for it like any listener."""
    if rt.settings.followup_days <= 0:
        return
    if rt.followups_waiting >= MAX_WAITING:
        log.warning("skipped follow-ups for %s: %d already waiting", url, rt.followups_waiting)
        return
    rt.followups_waiting += 1

    async def one() -> None:
        try:
            await rt.followup_lock.acquire()
        finally:  # cancelled while waiting (shutdown) or not: it no longer waits
            rt.followups_waiting -= 1
        try:
            await after_reply(rt, channel=channel, url=url, analysis=analysis)
        finally:
            rt.followup_lock.release()

    task = asyncio.create_task(one(), name=f"newsbot-followups-{url[:60]}")
    rt.listeners.add(task)
    task.add_done_callback(rt.listeners.discard)


async def after_reply(rt: Runtime, *, channel: str, url: str, analysis: Analysis) -> int:
    """Post the follow-ups `analysis` (just answered in `channel`) owes; returns how many were posted."""
    days = rt.settings.followup_days
    if days <= 0:
        return 0
    try:
        return await _post_followups(rt, channel=channel, url=url, analysis=analysis, days=days)
    except Exception:
        log.exception("follow-ups for %s failed", url)
        return 0


def _watched_all(stored: dict[str, str], new: Analysis) -> list[tuple[str, Watched]]:
    out = []
    for old_url, data in stored.items():
        if '"flags":[]' in data:  # nothing flagged: skip the parse
            continue
        try:
            old = Analysis.from_json(data)
        except ValueError:
            continue
        if old.text.strip() != new.text.strip():  # the same text under another address follows up nothing
            out += [(old_url, claim) for claim in watched(old)]
    return out


def judge_of(rt: Runtime) -> FollowUpJudge | None:
    """The model's follow-up judge, when the LLM engine is configured (bot/analysis/followup_judge.py
    decides which pairs it may see); None: the offline rules decide every pair."""
    if not llm_configured(rt.settings):
        return None
    try:
        return FollowUpJudge(rt.pipeline.engine("openai"))  # type: ignore[arg-type]
    except Exception as e:  # a misconfigured engine leaves follow-ups to the offline rules
        log.warning("no model follow-up judge (%s); the offline rules decide", e)
        return None


async def decide_pairs(rt: Runtime, stored: dict[str, str], new: Analysis) -> list[tuple[str, FollowUp]]:
    """Which (earlier article, claim) pairs `new` follows up: the one point where a pair is decided."""
    claims = await asyncio.to_thread(_watched_all, stored, new)  # parsing is CPU work: off the event loop
    return await decide(claims, new, judge_of(rt))


async def _post_followups(rt: Runtime, *, channel: str, url: str, analysis: Analysis, days: int) -> int:
    share = await rt.store.share_of(channel=channel, url=url)
    if share is None:
        return 0
    earlier: dict[str, Shared] = {}  # url → its first share this conversation may follow up
    for other in await rt.store.links_since(team=share.team, since=time.time() - days * DAY):
        if (other.url != url and other.created <= share.created and other.url not in earlier
                and _sees(share, other) and _sees(other, share)):
            earlier[other.url] = other
    if not earlier:
        return 0
    # The newest EARLIER_MAX articles; matching them is CPU work, done off the event loop.
    stored = await rt.store.analyses_for_urls(list(earlier)[-EARLIER_MAX:])
    posted = 0
    link: dict[tuple[str, str], str] | None = None
    for old_url, found in await decide_pairs(rt, stored, analysis):
        target = earlier[old_url]
        if not await rt.store.claim_followup(team=share.team, claim_key=claim_key(old_url, found.claim.text),
                                             new_url=url, decision=found.decision, channel=target.channel,
                                             thread_ts=target.message_ts):
            continue
        if link is None:
            link = await permalinks(rt, [(share.channel, share.message_ts)])
        reply = message(found, analysis, url, link.get((share.channel, share.message_ts)))
        try:
            await rt.client.chat_postMessage(channel=target.channel, thread_ts=target.message_ts,
                                             unfurl_links=False, unfurl_media=False, **reply.as_kwargs())
            posted += 1
        except SlackApiError as e:
            log.warning("could not post a follow-up in %s: %s", target.channel, slack_error(e))
    return posted
