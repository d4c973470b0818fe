"""A Digest → Slack messages within Slack's limits, however many links the period had.

The first message is the digest in the channel: a header, as many stories as fit, "Unconfirmed claims to
watch" and "Most quoted". Stories that do not fit go to continuation messages in its thread, so every
story appears somewhere and the channel still gets one message. Every fallback text names the titles its
message shows. Article text is untrusted: escaped as analyses are, sharers by display name (no pings).
"""

from __future__ import annotations

from datetime import UTC, datetime

from slack_sdk.models.blocks import DividerBlock, HeaderBlock, PlainTextObject

from bot.memory.digest import Article, Digest, Story
from bot.memory.schedule import moment_label
from bot.slack.block_kit import HEADER_MAX, MAX_BLOCKS, Builder, context_block
from bot.slack.blocks import Message, _count
from bot.slack.mrkdwn import clip, escape, escaped_clip, plain, safe_link

# Blocks and fallback together stay under Slack's ~4,000 characters (see blocks.MESSAGE_BUDGET).
BLOCK_BUDGET = 2700
FALLBACK_BUDGET = 1000
WATCH_ROOM = 1100  # kept in the first message for the two closing lists
OUTLETS_SHOWN = 6
THREAD_MAX = 12  # continuation messages at most; past that a line points at `newsbot digest`
STORY_MAX = 2000  # one story never fills a message on its own
NOTE = "Flags quote the articles' own words; they are not a fact-check."


def _badge(article: Article) -> str:
    return {"opinion": ":speech_balloon: Opinion", "news": "News"}.get(article.kind, "")


def _facts(article: Article) -> str:
    if not article.read:
        parts = ["_not analysed_"]
    else:
        parts = [_count(article.claims, "claim")]
        if article.unconfirmed:
            parts.append(f"⚠ {article.unconfirmed} unconfirmed")
    names = ", ".join(escape(clip(n, 40)) for n in article.shared_by[:4])
    if len(article.shared_by) > 4:
        names += f" +{len(article.shared_by) - 4}"
    parts.append(f"shared by {names}")
    return " · ".join(parts)


def _outlet(article: Article) -> str:
    site = escape(clip(article.site or "", 60)) or "link"
    badge = _badge(article)
    return " · ".join(p for p in (site, badge) if p)


def story_text(story: Story) -> str:
    """One story as a section: the title as a link, outlets, counts, sharers, a one-line summary."""
    first = story.articles[0]
    title = safe_link(first.url, clip(story.title, 150))
    if len(story.articles) == 1:
        lines = [f"*{title}*", f"{_outlet(first)} · {_facts(first)}"]
    else:
        lines = [f"*{title}* — {len(story.articles)} outlets"]
        for article in story.articles[:OUTLETS_SHOWN]:
            lines.append(f"• {safe_link(article.url, clip(article.site or article.title, 60))} "
                         f"({escape(clip(article.title, 90))}) · {_badge(article) + ' · ' if _badge(article) else ''}"
                         f"{_facts(article)}")
        if len(story.articles) > OUTLETS_SHOWN:
            lines.append(f"• _…and {len(story.articles) - OUTLETS_SHOWN} more outlets_")
    summary = next((a.summary for a in story.articles if a.summary), None)
    if summary:
        lines.insert(1, f"_{escape(clip(summary, 240))}_")
    # Whole lines are dropped, never cut: a cut could split a link's <url|label> markup.
    while len("\n".join(lines)) > STORY_MAX and len(lines) > 1:
        lines.pop()
    return "\n".join(lines)[:STORY_MAX]


def _watch_lines(digest: Digest) -> list[str]:
    lines = []
    for claim in digest.watch:
        cues = ", ".join(f"“{escape(clip(c, 40))}”" for c in claim.cues[:3])
        lines.append(f"• {escape(clip(claim.text, 260))} — _{escape(clip(claim.source, 60))}_"
                     + (f" ({cues})" if cues else "") + f" · {safe_link(claim.url, clip(claim.article_title, 80))}")
    return lines


def _quoted_lines(digest: Digest) -> list[str]:
    lines = []
    for q in digest.most_quoted:
        who = f"*{escape(clip(q.name, 60))}*" + (f", {escape(clip(q.title, 60))}" if q.title else "")
        lines.append(f"• {who} — {_count(q.quotes, 'quote')} in {_count(q.articles, 'article')}")
    return lines


class _Fallback:
    """The notification text: the digest's name, then each story title the message shows."""

    def __init__(self, head: str) -> None:
        self.text = escaped_clip(head, 200)

    def room_for(self, titles: list[str]) -> bool:
        return len(self.text) + len(self._entries(titles)) <= FALLBACK_BUDGET - 40

    def add(self, titles: list[str]) -> None:
        self.text += self._entries(titles)

    @staticmethod
    def _entries(titles: list[str]) -> str:
        return "".join("\n• " + escaped_clip(title, 120) for title in titles)


def _titles(story: Story) -> list[str]:
    """Every article title a story shows (the fallback names each article, not just the story)."""
    return list(dict.fromkeys(a.title for a in story.articles[:OUTLETS_SHOWN]))


def digest_messages(digest: Digest, *, channel_label: str = "", schedule: str | None = None) -> list[Message]:
    """The channel message first, then continuation messages (posted in its thread) for stories that did
    not fit. An empty digest gives no messages: an empty period posts nothing."""
    if digest.empty:
        return []
    name = f"News digest{' for ' + channel_label if channel_label else ''}"
    heading = f"{name} · {digest.label}"
    since = moment_label(datetime.fromtimestamp(digest.since, UTC), digest.tz)
    summary = (f"{_count(digest.links, 'link')} in {_count(len(digest.stories), 'story', 'stories')} "
               f"shared since {since}" + (f" · {schedule}" if schedule else ""))
    b = Builder(BLOCK_BUDGET, MAX_BLOCKS - 2)
    header = HeaderBlock(text=PlainTextObject(text=plain(clip(heading, HEADER_MAX)), emoji=False))
    b.add(header, len(header.text.text))
    b.add(context_block(escape(summary)), len(summary))
    fallback = _Fallback(f"{heading}: {summary}")
    closing = _watch_lines(digest), _quoted_lines(digest)
    reserve = min(WATCH_ROOM, sum(len(line) + 1 for lines in closing for line in lines) + 80)
    rest = _fill(b, fallback, digest.stories, keep=reserve + 60)
    if rest:
        b.section(f"_…and {_count(len(rest), 'more story', 'more stories')} in the thread_")
    b.add(DividerBlock(), 0)
    b.listing("Unconfirmed claims to watch", closing[0], cap=b.room // 2 + 40 if closing[1] else None)
    b.listing("Most quoted", closing[1])
    b.blocks.append(context_block(NOTE))
    messages = [Message(text=fallback.text, blocks=[blk.to_dict() for blk in b.blocks])]
    while rest and len(messages) <= THREAD_MAX:
        b = Builder(BLOCK_BUDGET, MAX_BLOCKS)
        fallback = _Fallback(f"{heading} (continued, part {len(messages) + 1})")
        lines, rest = _compact(fallback, rest, room=BLOCK_BUDGET - 300)
        b.listing(f"{clip(heading, 200)} — continued", lines)
        messages.append(Message(text=fallback.text, blocks=[blk.to_dict() for blk in b.blocks]))
    if rest:
        last = messages[-1]
        more = f"_…and {_count(len(rest), 'more story', 'more stories')}: `newsbot digest` lists them all_"
        messages[-1] = Message(text=last.text, blocks=[*last.blocks, context_block(more).to_dict()])
    return messages


def _compact(fallback: _Fallback, stories: list[Story], *, room: int) -> tuple[list[str], list[Story]]:
    """One line per article for the thread: title link, outlet, counts, sharers. Returns the lines that
    fit and the stories left over (at least one story goes in, so the thread always moves on)."""
    lines: list[str] = []
    used = 0
    for i, story in enumerate(stories):
        story_lines = [f"• *{safe_link(a.url, clip(a.title, 120))}* · {_outlet(a)} · {_facts(a)}"
                       for a in story.articles[:OUTLETS_SHOWN]]
        size = sum(len(line) + 1 for line in story_lines)
        if lines and (used + size > room or not fallback.room_for(_titles(story))):
            return lines, stories[i:]
        lines += story_lines
        used += size
        fallback.add(_titles(story))
    return lines, []


def _fill(b: Builder, fallback: _Fallback, stories: list[Story], *, keep: int) -> list[Story]:
    """Add stories while they fit (keeping `keep` characters of room); the ones left over are returned.
    At least one story always goes in, so continuation messages cannot loop."""
    for i, story in enumerate(stories):
        text = story_text(story)
        fits = len(text) + keep <= b.room and len(b.blocks) + 3 <= b.max_blocks and fallback.room_for(_titles(story))
        if not fits and (i > 0 or b.blocks[1:]):
            return stories[i:]
        if not b.section(text):
            return stories[i + 1:]
        fallback.add(_titles(story))
    return []
