"""`/compare URL URL`: two articles on one story, the second compared with the first. Acked at once;
the answer comes through response_url (bot/slack/replies.py), like /claims."""

from __future__ import annotations

from slack_bolt.async_app import AsyncAck, AsyncRespond

from bot.slack import blocks, replies
from bot.slack.runtime import Runtime

USAGE = ("*Usage:* `/compare URL URL` — two outlets' articles on one story: what only one of them claims, "
         "whom only one quotes, and what one calls unconfirmed while the other states it.\n"
         "Example: `/compare https://www.example.com/news/story https://news.example.org/2026/story`\n"
         "The answer is visible only to you. When a second outlet's article on a story is shared in a channel "
         "I'm in, its thread reply carries this comparison by itself.")


async def answer(rt: Runtime, ack: AsyncAck, respond: AsyncRespond, urls: list[str],
                 channel: str | None = None) -> None:
    """`urls`: the article links typed, in order, each as often as typed (so a link given twice shows)."""
    if len(urls) < 2:
        reason = ("I found only one article link in that: give me two, one from each outlet." if urls
                  else "I couldn't find two article links in that.")
        await ack(response_type="ephemeral", text=f"{reason}\n{USAGE}")
        return
    first, second = urls[0], urls[1]
    if first == second:
        await ack(response_type="ephemeral",
                  text=f"That is the same link twice: give me two different articles.\n{USAGE}")
        return
    await ack(response_type="ephemeral",
              text=blocks.notice(f"Reading {blocks.site_of(first)} and {blocks.site_of(second)}…").text)
    await replies.answer_compare(rt, first=first, second=second, respond=respond,
                                 channel=channel)
