"""A comparison of two outlets' articles (bot/memory/compare.py) as Block Kit: the section added to the
second outlet's thread reply, and the whole `/compare URL URL` answer.

Every line is article text: escaped and clipped like all of it (mrkdwn.py), so an article cannot ping
anyone or plant a link here either.
"""

from __future__ import annotations

from slack_sdk.models.blocks import DividerBlock

from bot.memory.compare import LINE_MAX, SHOWN, Comparison, Said, status_phrase
from bot.slack.block_kit import MAX_BLOCKS, MESSAGE_BUDGET, Builder, context_block, header_block
from bot.slack.blocks import Addendum, Message
from bot.slack.mrkdwn import clip, escape, escaped_clip, plain, safe_link

THREAD_ROOM = 1200  # characters of the thread reply kept for the comparison
NOTE = "Lines are the articles' own words; a difference is what each article says, not a fact-check."


def _outlet(name: str) -> str:
    return f"*{escaped_clip(name, 60)}*"


def _said(said: Said, limit: int = LINE_MAX) -> str:
    words = escaped_clip(said.text, limit)
    if said.direct is not None:  # a quote: only words the article puts in quotes get quote marks
        words = f"“{words}”" if said.direct else f"_(paraphrased)_ {words}"
    return words


def _said_line(said: Said) -> str:
    line = f"• {_said(said)}"
    if said.who and said.direct is None:
        line += f" — _{escaped_clip(said.who, 60)}_"
    return line


def _quoted_line(said: Said) -> str:
    return f"• *{escaped_clip(said.who or '', 60)}*: {_said(said)}"


def parts(cmp: Comparison) -> list[tuple[str, list[str]]]:
    """The comparison's titled lists, the differences in how sure the articles are first (what a reader
    most needs), then what only one reports, then whom only one quotes; empty lists left out."""
    this, earlier = _outlet(cmp.this_outlet), _outlet(cmp.earlier_outlet)
    # Titles are set in bold by the listing: the names go in them as they are, bold in bold breaks mrkdwn.
    this_name, earlier_name = escaped_clip(cmp.this_outlet, 60), escaped_clip(cmp.earlier_outlet, 60)
    flag_lines = [
        f"• {this} {status_phrase(d.this_status)}; {earlier} {status_phrase(d.earlier_status)}\n"
        f"      {this}: {_said(d.this, LINE_MAX // 2)}\n      {earlier}: {_said(d.earlier, LINE_MAX // 2)}"
        for d in cmp.flags[:SHOWN]]
    listed = [
        ("Flagged differently", flag_lines),
        (f"Only {this_name} reports", [_said_line(s) for s in cmp.only_this[:SHOWN]]),
        (f"Only {earlier_name} reported", [_said_line(s) for s in cmp.only_earlier[:SHOWN]]),
        (f"Quoted only by {this_name}", [_quoted_line(s) for s in cmp.quoted_only_this[:SHOWN]]),
        (f"Quoted only by {earlier_name}", [_quoted_line(s) for s in cmp.quoted_only_earlier[:SHOWN]]),
    ]
    return [(title, lines) for title, lines in listed if lines]


def thread_addendum(cmp: Comparison, earlier_url: str | None) -> Addendum | None:
    """The section the second outlet's thread reply gets, or None when the two say the same."""
    if cmp.empty:
        return None
    earlier = safe_link(earlier_url, clip(cmp.earlier_outlet, 60)) if earlier_url else _outlet(cmp.earlier_outlet)
    intro = f":mag: *Compared with {earlier}'s article on this story, shared here earlier*"
    return Addendum(intro, parts(cmp), THREAD_ROOM)


def compare_message(cmp: Comparison, this_url: str, earlier_url: str, *, same_story: bool) -> Message:
    """The `/compare URL URL` answer: the second link compared with the first."""
    b = Builder(MESSAGE_BUDGET - len(NOTE), MAX_BLOCKS - 1)
    header = header_block(plain(f"{clip(cmp.earlier_outlet, 60)} vs {clip(cmp.this_outlet, 60)}"))
    b.add(header, len(header.text.text))
    links = (f"{safe_link(earlier_url, clip(cmp.earlier_outlet, 60))} (first link) · "
             f"{safe_link(this_url, clip(cmp.this_outlet, 60))} (second link)")
    b.add(context_block(links), len(links))
    if not same_story:
        b.section("_These two do not look like one story (few title words or names in common); "
                  "compared anyway._")
    b.add(DividerBlock(), 0)
    listed = parts(cmp)
    if not listed:
        b.section("The two articles make the same claims, quote the same people and flag the same things.")
    for title, lines in listed:
        b.listing(title, lines, cap=max(b.room // len(listed), 200))
    b.blocks.append(context_block(NOTE))
    text = escape(f"{clip(cmp.earlier_outlet, 60)} vs {clip(cmp.this_outlet, 60)}: "
                  + ("no differences" if not listed else f"{len(listed)} kinds of difference"))
    return Message(text=text, blocks=[block.to_dict() for block in b.blocks])
