"""Analysis → Block Kit messages that Slack always accepts, whatever the article holds.

Two rules shape everything here:
- Article text is untrusted. Every piece of it is escaped (`&`, `<`, `>`) and set `verbatim`, so an
  article containing `<!channel>`, `<@U123>`, `@here` or a link can never ping anyone or unfurl anything.
- Slack rejects messages near 4,000 characters in practice (and over 50 blocks, sections over 3,000,
  headers over 150). Nothing here may fail: lists are trimmed to fit, ending with "…and N more", and
  every Block Kit object is made by one of the constructors below, which cut each text to Slack's limit
  (so one overlong string, a 3,000-character host, can never fail a whole message).
Escaping, clipping and honest link labels live in mrkdwn.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    DividerBlock,
    HeaderBlock,
)

from bot.analysis import language
from bot.analysis.model import Analysis, Claim, Cue, Speaker
from bot.slack.block_kit import (
    FALLBACK_MAX,
    HEADER_MAX,
    MAX_BLOCKS,
    MESSAGE_BUDGET,
    TEXT_MAX,
    Builder,
    button,
    context_block,
    cut,
    fair_shares,
    header_block,
    section_block,
)
from bot.slack.mrkdwn import SITE_MAX, clip, escape, escaped_clip, plain, safe_link, site_of

View = Literal["thread", "claims", "summarize", "sources"]

SHARE_ACTION = "newsbot_share"



@dataclass(frozen=True)
class Message:
    """A Slack message: `text` is the notification/accessibility fallback, `blocks` what people see."""

    text: str
    blocks: list[dict] = field(default_factory=list)

    def __post_init__(self) -> None:
        object.__setattr__(self, "text", cut(self.text, TEXT_MAX))

    def as_kwargs(self, *, update: bool = False) -> dict:
        """Arguments for chat.postMessage, chat.update (`update=True`) or a response_url. A text-only
        message sends no `blocks` at all: `blocks: []` is how chat.update removes old blocks, but a new
        message with an empty list can be refused as invalid_blocks, and then the placeholder never appears."""
        if self.blocks or update:
            return {"text": self.text, "blocks": self.blocks}
        return {"text": self.text}


@dataclass(frozen=True)
class Addendum:
    """Titled lists appended to an analysis (the comparison with another outlet), and the room kept for them."""

    intro: str
    parts: list[tuple[str, list[str]]]
    room: int


# --- pieces -----------------------------------------------------------------------------------------


def _speaker(speaker: Speaker) -> str:
    if speaker.kind == "author":
        return "the article itself"
    name = clip(speaker.name, 80)
    name = f"{name}, {clip(speaker.title, 80)}" if speaker.title else name
    return name + speaker.via_phrase()


def _cue_words(cues: list[Cue], limit: int = 3) -> str:
    words: list[str] = []
    for cue in cues:
        word = clip(cue.text, 40)
        if word and word not in words:
            words.append(word)
    return ", ".join(f"“{escape(w)}”" for w in words[:limit])


def _badge(level: str, cues: list[Cue]) -> str:
    words = _cue_words(cues)
    return f"⚠ *{level}*" + (f" ({words})" if words else "")


def _claim_line(claim: Claim) -> str:
    line = f"• {escape(clip(claim.text, 300))} — _{escape(_speaker(claim.source))}_"
    if claim.status in ("unconfirmed", "hedged"):
        line += f"\n      {_badge(claim.status, claim.cues)}"
    return line


def _quote_lines(analysis: Analysis, per_speaker: int = 2) -> list[str]:
    groups: dict[tuple[str, str | None], list[str]] = {}
    for quote in analysis.quotes:
        key = (quote.speaker.name, quote.speaker.title)
        text = clip(quote.text, 220)
        # A paraphrase is not shown in quote marks: only words the article puts in quotes are quotes.
        shown = f"“{escape(text)}”" if quote.kind == "direct" else f"_(paraphrased)_ {escape(text)}"
        groups.setdefault(key, []).append(shown)
    lines = []
    for (name, title), quotes in groups.items():
        who = f"*{escape(clip(name, 80))}*" + (f", {escape(clip(title, 80))}" if title else "")
        extra = f" _(+{len(quotes) - per_speaker} more)_" if len(quotes) > per_speaker else ""
        lines.append(f"• {who}: " + " · ".join(quotes[:per_speaker]) + extra)
    return lines


def _sentence_text(analysis: Analysis, sentence_id: int) -> str:
    for sentence in analysis.sentences:
        if sentence.id == sentence_id:
            return analysis.text[sentence.start : sentence.end]
    return ""


def _flag_lines(analysis: Analysis) -> list[str]:
    lines = []
    for flag in analysis.flags:
        text = clip(_sentence_text(analysis, flag.sentence_id), 260)
        if text:
            lines.append(f"• {escape(text)}\n      {_badge(flag.level, flag.cues)}")
    return lines


def _link_lines(analysis: Analysis) -> list[str]:
    return [f"• {safe_link(link.url, clip(link.text, 100) or site_of(link.url))}" for link in analysis.links]


def _header(analysis: Analysis) -> HeaderBlock:
    title = clip(analysis.source.title or "", HEADER_MAX) or clip(analysis.source.site or "", HEADER_MAX)
    return header_block(plain(title or site_of(analysis.source.url)))


def _byline(analysis: Analysis, *, link: bool) -> str:
    source = analysis.source
    site = clip(source.site or "", 80) or site_of(source.url)
    parts = [safe_link(source.url, site) if link else escape(site)]
    if source.author:
        parts.append(f"by {escape(clip(source.author, 80))}")
    if source.published:
        published = source.published
        parts.append(escape(published[:10] if re.match(r"\d{4}-\d\d-\d\d", published) else clip(published, 40)))
    if source.kind == "opinion":
        parts.append(":speech_balloon: *Opinion*")
    if language.normalize(source.language) not in (None, "en"):
        parts.append(escape(clip(language.name(source.language) or "", 40)))
    return " · ".join(parts)


def _footer(analysis: Analysis, elapsed: float | None, from_cache: bool, shared_by: str | None,
            engine_by_channel: bool = False) -> str:
    engine = analysis.engine.name + (f" ({clip(analysis.engine.model, 40)})" if analysis.engine.model else "")
    parts = [f"{escape(engine)} engine" + (" (this channel's setting)" if engine_by_channel else "")]
    if from_cache:
        parts.append("from cache")
    elif elapsed is not None:
        parts.append(f"{elapsed:.1f} s")
    if shared_by and re.fullmatch(r"[UW][A-Z0-9]{2,20}", shared_by):
        parts.append(f"shared by <@{shared_by}>")
    parts.append("flags quote the article's own words; they are not a fact-check")
    text = " · ".join(parts)
    for warning in analysis.warnings[:2]:
        text += f"\n:warning: {escape(clip(warning, 160))}"
    return text


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else many or one + 's'}"


def _fallback(analysis: Analysis, view: str) -> str:
    title = analysis.source.title or site_of(analysis.source.url)
    return escaped_clip(f"{clip(title, 200)}: {VIEW_SPECS[view].counts(analysis)}", FALLBACK_MAX)


def _counts(analysis: Analysis) -> dict[str, str]:
    unconfirmed = sum(1 for c in analysis.claims if c.status in ("unconfirmed", "hedged"))
    speakers = len({q.speaker.name for q in analysis.quotes})
    claims = _count(len(analysis.claims), "claim")
    return {
        "claims": f"{claims}, {unconfirmed} unconfirmed or hedged",
        "sources": f"{_count(speakers, 'person or body', 'people or bodies')} quoted, "
                   f"{_count(len(analysis.links), 'link')} cited",
        "summarize": f"{_count(len(analysis.flags), 'unconfirmed or hedged sentence')}",
        "thread": f"{claims} ({unconfirmed} flagged), {speakers} quoted",
    }


def _summary_lines(analysis: Analysis) -> list[str]:
    return [f"• {escape(clip(item.text, 400))}" for item in analysis.summary]


def _claims_lines(analysis: Analysis) -> list[str]:
    # Flagged claims first: when a long list is trimmed, what the article itself doubts must survive.
    flagged_first = sorted(analysis.claims, key=lambda c: c.status not in ("unconfirmed", "hedged"))
    return [_claim_line(c) for c in flagged_first]


Plan = list[tuple[str, Callable[[Analysis], list[str]]]]


@dataclass(frozen=True)
class ViewSpec:
    """One way of showing an analysis: its titled lists, its fallback counts, what it says when empty."""

    name: str
    plan: Plan
    nothing: str
    link_byline: bool = True

    def counts(self, analysis: Analysis) -> str:
        return _counts(analysis)[self.name]


_NOTHING = "_Nothing to report: no summary, claims or quotes found._"
# Every view, in one place: a view missing here fails loudly in analysis_message, never renders as another.
VIEW_SPECS: dict[str, ViewSpec] = {spec.name: spec for spec in (
    ViewSpec("thread", [("Summary", _summary_lines), ("Claims and who makes them", _claims_lines),
                        ("Who is quoted", _quote_lines)], _NOTHING, link_byline=False),
    ViewSpec("claims", [("Claims and who makes them", _claims_lines)], "_No claims found in this article._"),
    ViewSpec("summarize", [("Summary", _summary_lines),
                           ("Unconfirmed or hedged in the article's own words", _flag_lines)], _NOTHING),
    ViewSpec("sources", [("Who is quoted", _quote_lines), ("Links the article cites", _link_lines)],
             "_Nobody is quoted and no links are cited._"),
)}
VIEWS: tuple[str, ...] = tuple(VIEW_SPECS)


def view_spec(view: str) -> ViewSpec:
    try:
        return VIEW_SPECS[view]
    except KeyError:
        raise ValueError(f"no such view {view!r}: add it to blocks.VIEW_SPECS") from None


# --- public builders -------------------------------------------------------------------------------------


def analysis_message(
    analysis: Analysis,
    view: View = "thread",
    *,
    elapsed: float | None = None,
    from_cache: bool = False,
    share_value: str | None = None,
    shared_by: str | None = None,
    engine_by_channel: bool = False,
    addendum: Addendum | None = None,
) -> Message:
    """The analysis as Slack will show it: the thread reply (`thread`) or one slash command's view."""
    spec = view_spec(view)
    footer = _footer(analysis, elapsed, from_cache, shared_by, engine_by_channel)
    tail: list[tuple[Block, int]] = [(context_block(footer), len(footer))]
    share = button("Share in channel", SHARE_ACTION, share_value) if share_value else None
    if share is not None:
        tail.append((ActionsBlock(elements=[share]), 16))
    kept = (addendum.room, 3 + len(addendum.parts)) if addendum else (0, 0)
    b = Builder(MESSAGE_BUDGET - sum(c for _, c in tail) - kept[0], MAX_BLOCKS - len(tail) - kept[1])
    header = _header(analysis)
    b.add(header, len(header.text.text))
    byline = _byline(analysis, link=spec.link_byline)
    b.add(context_block(byline), len(byline))

    plan = [(title, lines(analysis)) for title, lines in spec.plan]
    plan = [(title, lines) for title, lines in plan if lines]
    if plan:
        b.add(DividerBlock(), 0)
        for (title, lines), share in zip(plan, fair_shares(b, len(plan)), strict=False):
            b.listing(title, lines, cap=share)
    else:
        b.section("_I found no article text on this page._" if not analysis.text.strip() else spec.nothing)
    if addendum:
        b.budget, b.max_blocks = b.budget + kept[0], b.max_blocks + kept[1]
        b.add(DividerBlock(), 0)
        b.section(addendum.intro)
        for (title, lines), share in zip(addendum.parts, fair_shares(b, len(addendum.parts)), strict=False):
            b.listing(title, lines, cap=share)
    b.blocks.extend(block for block, _ in tail)
    return Message(text=_fallback(analysis, view), blocks=[block.to_dict() for block in b.blocks])


def placeholder(site: str) -> Message:
    return Message(text=f"Reading {escaped_clip(site, SITE_MAX)}…")


def failure(site: str, reason: str) -> Message:
    """What a reply says when a link could not be analysed; `reason` is a sentence a person understands."""
    text = f":warning: I couldn't read {escaped_clip(site, SITE_MAX)}: {escaped_clip(reason, 500)}"
    return Message(text=text, blocks=[section_block(text).to_dict()])


def notice(text: str) -> Message:
    """A short message of our own (busy, usage); escaped all the same."""
    return Message(text=escape(clip(text, 1500)))


def section(text: str) -> dict:
    """A section of our own mrkdwn (usage texts and other messages of ours)."""
    return section_block(text).to_dict()
