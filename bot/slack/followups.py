"""After a new article's analysis is posted: reply once in the thread of each earlier article whose
flagged claim it confirms, disputes or still calls unconfirmed (bot/memory/followups.py decides, or the
model, bot/analysis/followup_judge.py, when it read both articles).

Runs after the reply is delivered and never raises: a follow-up is extra, the answer already went out.
Privacy (bot/memory/visibility.py) both ways: the earlier share must be visible from where the new one was
shared, and the new one from where the earlier one was (the update names the new article and links to its
share): public with public, or both in one conversation; never across teams.

What it reads: the team's shares of the last NEWSBOT_FOLLOWUP_DAYS, then only the flagged claims of those
articles from the watch list (bot/store/watch.py), never a whole stored analysis. A claim is its article's
text and sentence, so syndicated copies of one story (one text at several addresses) are one claim, and
the new article is its text too: one update per (claim, new article), in the thread of the claim's first
visible share. Posting, and posting again after a failure, is bot/slack/followup_posts.py.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass

from bot.analysis.followup_judge import FollowUpJudge, decide
from bot.analysis.model import Analysis
from bot.analysis.pipeline import llm_configured, text_hash
from bot.memory.followups import FollowUp, Watched
from bot.memory.visibility import Viewer, visible
from bot.memory.watch import article_keys, claim_key, may_follow
from bot.slack import blocks
from bot.slack.conversations import permalinks
from bot.slack.followup_posts import send
from bot.slack.mrkdwn import escaped_clip, safe_link
from bot.slack.runtime import Runtime
from bot.store.memory import Shared
from bot.store.watch import FollowupPost, WatchedAt

log = logging.getLogger(__name__)

DAY = 86400.0
EARLIER_MAX = 1000  # earlier articles (addresses) one new article is matched against
LABELS = {"confirmed": "confirms", "disputed": "disputes", "unconfirmed": "still calls unconfirmed"}


def _sees(viewer: Shared, share: Shared) -> bool:
    return visible(Viewer(viewer.team, viewer.channel), team=share.team, channel=share.channel,
                   channel_type=share.channel_type)


@dataclass(frozen=True)
class Held:
    """A watched claim as this conversation may follow it up: its key (its article's text and its sentence),
    and the earlier share whose thread an update goes to."""

    key: str
    claim: Watched
    names: tuple[str, ...]
    target: Shared


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
    """Run `after_reply` in the background, a few at a time (FOLLOWUPS_AT_ONCE), behind the replies.
    Shutdown waits for it like any listener."""
    if rt.settings.followup_days <= 0:
        return
    if rt.followups_waiting >= MAX_WAITING:
        log.warning("skipped follow-ups for %s: %d already waiting", url, rt.followups_waiting)
        return
    rt.followups_waiting += 1

    async def one() -> None:
        try:
            await rt.followup_slots.acquire()
        finally:  # cancelled while waiting (shutdown) or not: it no longer waits
            rt.followups_waiting -= 1
        try:
            await after_reply(rt, channel=channel, url=url, analysis=analysis)
        finally:
            rt.followup_slots.release()

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


def _earlier(share: Shared, links: list[Shared], url: str) -> dict[str, Shared]:
    """URL → its first share this conversation may follow up (visible both ways), oldest first."""
    out: dict[str, Shared] = {}
    for other in links:
        if (other.url != url and other.created <= share.created and other.url not in out
                and _sees(share, other) and _sees(other, share)):
            out[other.url] = other
    return out


def _held(claims: list[WatchedAt], earlier: dict[str, Shared], new_key: str) -> list[Held]:
    """One per claim, however many syndicated copies hold it: its update goes to the thread of the copy
    shared first. None of the new article's own text (a copy of it cannot follow it up)."""
    out: dict[str, Held] = {}
    for w in claims:
        if w.text_hash == new_key:
            continue
        key, target = claim_key(w.text_hash, w.claim.text), earlier[w.url]
        if key not in out or target.created < out[key].target.created:
            out[key] = Held(key, w.claim, w.names, target)
    return list(out.values())


def _may_follow(held: list[Held], new: Analysis) -> list[tuple[Held, Watched]]:
    """The claims sharing a possible name with some sentence of `new`: every other one is decided "nothing"
    by the offline rules and never shown to the model's judge (both need a shared name)."""
    keys = article_keys(new)
    return [(h, h.claim) for h in held if may_follow(h.names, keys)]


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


async def decide_pairs(rt: Runtime, held: list[Held], new: Analysis) -> list[tuple[Held, FollowUp]]:
    """Which claims `new` follows up: the one point where a pair is decided."""
    claims = await asyncio.to_thread(_may_follow, held, new)  # CPU work: off the event loop
    return await decide(claims, new, judge_of(rt))


async def _post_followups(rt: Runtime, *, channel: str, url: str, analysis: Analysis, days: int) -> int:
    share = await rt.store.share_of(channel=channel, url=url)
    if share is None:
        return 0
    earlier = _earlier(share, await rt.store.links_since(team=share.team, since=time.time() - days * DAY), url)
    if not earlier:
        return 0
    new_key = text_hash(analysis.text)
    # The claims of the newest EARLIER_MAX addresses: the watch list's rows, never a whole analysis.
    held = _held(await rt.store.watched_claims(list(earlier)[-EARLIER_MAX:]), earlier, new_key)
    posted = 0
    link: dict[tuple[str, str], str] | None = None
    for h, found in await decide_pairs(rt, held, analysis):
        if link is None:
            link = await permalinks(rt, [(share.channel, share.message_ts)])
        reply = message(found, analysis, url, link.get((share.channel, share.message_ts)))
        post = FollowupPost(share.team or "", h.key, new_key, h.target.channel, h.target.message_ts,
                            reply.as_kwargs(), 1)
        if await rt.store.claim_followup(team=post.team, claim_key=post.claim_key, new_key=new_key, new_url=url,
                                         decision=found.decision, channel=post.channel,
                                         thread_ts=post.thread_ts, message=post.message):
            posted += await send(rt, post)
    return posted
