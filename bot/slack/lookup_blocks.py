"""`/sources NAME` answers and the Home tab, as Block Kit: what the team's memory shows a person.

Both only ever receive rows the privacy rule already let through (bot/memory/visibility.py); here the
rule is only to escape what articles say and to stay within Slack's limits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from slack_sdk.models.blocks import ContextBlock, DividerBlock, HeaderBlock, PlainTextObject

from bot.memory.digest import Quoted
from bot.memory.sources import Person, SourceHit
from bot.slack.block_kit import MAX_BLOCKS, MESSAGE_BUDGET, Builder, context_block, md
from bot.slack.blocks import Message, _count
from bot.slack.mrkdwn import clip, escape, safe_link

HOME_BLOCKS = 100  # Slack's limit for a Home tab view
HOME_BUDGET = 12000
PEOPLE_SHOWN = 5


def _date(published: str | None, shared_at: float) -> str:
    if published and re.match(r"\d{4}-\d\d-\d\d", published):
        return published[:10]
    return datetime.fromtimestamp(shared_at, UTC).strftime("%Y-%m-%d")


def _hit_line(hit: SourceHit, permalink: str | None) -> str:
    entry = hit.entry
    if entry.item == "quote":
        words = escape(clip(entry.text, 300))
        said = f"“{words}”" if entry.detail == "direct" else f"_(paraphrased)_ {words}"
    else:
        status = {"unconfirmed": " ⚠ *unconfirmed*", "hedged": " ⚠ *hedged*"}.get(entry.detail, "")
        said = f"_(claim)_ {escape(clip(entry.text, 300))}{status}"
    article = safe_link(hit.url, clip(hit.article_title or hit.site or hit.url, 100))
    where = f" · <{permalink}|shared here>" if permalink and re.fullmatch(r"https://[^\s<>|]+", permalink) else ""
    return f"• {said}\n      {article} · {_date(hit.published, hit.shared_at)}{where}"


def sources_message(query: str, people: list[Person], permalinks: dict[tuple[str, str], str]) -> Message:
    """What the people matching `query` said, newest share first, each person listed apart."""
    q = escape(clip(query, 80))
    if not people:
        text = (f"I haven't seen *{q}* quoted, or credited with a claim, in the articles shared where you can "
                "see them. Try the surname alone, or `/sources URL` for one article's sources.")
        return Message(text=text)
    b = Builder(MESSAGE_BUDGET - 200, MAX_BLOCKS - 1)
    if len(people) > 1:
        b.section(f"*{len(people)} sources match “{q}”* — listed apart:")
    for person in people[:PEOPLE_SHOWN]:
        who = f"{escape(clip(person.name, 80))}" + (f", {escape(clip(person.title, 80))}" if person.title else "")
        lines = [_hit_line(h, permalinks.get((h.channel, h.message_ts))) for h in person.hits]
        share = b.room // max(1, min(len(people), PEOPLE_SHOWN) - people.index(person))
        said = _count(len(person.hits), "quote or claim", "quotes and claims")
        b.listing(f"{who} — {said} in {_count(len({h.url for h in person.hits}), 'article')}, newest first",
                  lines, cap=share)
    if len(people) > PEOPLE_SHOWN:
        b.section(f"_…and {len(people) - PEOPLE_SHOWN} more sources: add a first name or title to narrow it_")
    b.blocks.append(context_block("Words as the stored analyses have them; quotes are verbatim."))
    fallback = (f"What {', '.join(escape(clip(p.name, 60)) for p in people[:PEOPLE_SHOWN])} said in the articles "
                "shared here")
    return Message(text=fallback, blocks=[block.to_dict() for block in b.blocks])


@dataclass(frozen=True)
class HomeLink:
    url: str
    title: str
    channel: str
    flags: int
    shared_at: float


@dataclass(frozen=True)
class HomeDigest:
    channel: str
    schedule: str
    next_due: str


def _channel(channel: str) -> str:
    return f"<#{channel}>" if re.fullmatch(r"[CG][A-Z0-9]{1,20}", channel) else escape(channel)


def home_view(links: list[HomeLink], quoted: list[Quoted], digests: list[HomeDigest], help_text: str) -> dict:
    """The Home tab: recent public shares, the week's most quoted, scheduled digests, how to use the bot."""
    b = Builder(HOME_BUDGET, HOME_BLOCKS - 2)
    b.add(HeaderBlock(text=PlainTextObject(text="newsbot", emoji=False)), 7)
    link_lines = [
        f"• {safe_link(link.url, clip(link.title, 120))} · {_channel(link.channel)}"
        + (f" · ⚠ {link.flags} flagged" if link.flags else "")
        + f" · {datetime.fromtimestamp(link.shared_at, UTC):%a %d %b}"
        for link in links
    ]
    b.listing("Shared recently in public channels", link_lines or ["_Nothing yet: paste a news link in a "
                                                                   "public channel I'm in._"], cap=6000)
    b.add(DividerBlock(), 0)
    quoted_lines = [f"• *{escape(clip(q.name, 60))}*" + (f", {escape(clip(q.title, 60))}" if q.title else "")
                    + f" — {q.quotes} quote{'s' if q.quotes != 1 else ''} in {q.articles} article"
                    + ("s" if q.articles != 1 else "") for q in quoted]
    b.listing("Quoted most this week", quoted_lines or ["_No one quoted this week yet._"], cap=2500)
    b.add(DividerBlock(), 0)
    digest_lines = [f"• {_channel(d.channel)}: {escape(d.schedule)}, next {escape(d.next_due)}" for d in digests]
    b.listing("Scheduled digests", digest_lines or ["_None yet: `/digest daily 09:00` in a channel._"], cap=2500)
    b.blocks.append(ContextBlock(elements=[md(help_text[:2000])]))
    return {"type": "home", "blocks": [block.to_dict() for block in b.blocks]}
