"""/claims, /summarize and /sources: ack at once, answer through response_url, visible to the user only."""

from __future__ import annotations

import re

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond

from bot.fetch.links import find_article_urls, find_urls
from bot.slack import blocks, payload, replies
from bot.slack.runtime import Runtime

COMMANDS: dict[str, blocks.View] = {"/claims": "claims", "/summarize": "summarize", "/sources": "sources"}
_HELP_WORDS = {"help", "-h", "--help", "?", "usage"}
# `/claims www.example.com/news/story`: Slack links such text in messages, but hands a slash command the
# words as typed, so a host with a dot and a path (or a www. host) is read as an https link.
# `gopher://…`, `file:///…`, `ftp://…`: an address, but not one of the web pages I read.
_OTHER_SCHEME = re.compile(r"(?<![\w+.-])(?!https?://)[a-z][a-z0-9+.-]*://", re.IGNORECASE)
_BARE_LINK = re.compile(r"(?:www\.[\w.-]+\.[a-z]{2,}|[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}(?::\d+)?/)\S*", re.IGNORECASE)


def _command_urls(text: str) -> list[str]:
    for candidate in (text, *(f"https://{word}" for word in text.split() if _BARE_LINK.fullmatch(word))):
        try:
            urls = find_article_urls(candidate, limit=1)
        except ValueError:
            urls = []
        if urls:
            return urls
    return []


def register(app: AsyncApp, rt: Runtime) -> None:
    for name, view in COMMANDS.items():
        app.command(name)(_handler(rt, view))


def _handler(rt: Runtime, view: blocks.View):
    async def on_command(ack: AsyncAck, command: dict, respond: AsyncRespond) -> None:
        with rt.handling():
            await _answer(rt, view, ack, command, respond)

    on_command.__name__ = f"on_{view}_command"
    return on_command


async def _answer(rt: Runtime, view: blocks.View, ack: AsyncAck, command: dict, respond: AsyncRespond) -> None:
    text = (payload.text(command, "text") or "").strip()
    if not text or text.lower() in _HELP_WORDS:
        await ack(response_type="ephemeral", **blocks.usage(view).as_kwargs())
        return
    urls = _command_urls(text)
    if not urls:
        if find_urls(text):
            reason = "That link goes to Slack, an image or a video, not a news article."
        elif _OTHER_SCHEME.search(text):
            reason = "I only read http and https links."
        else:
            reason = "I couldn't find a link in that."
        usage = blocks.usage(view)
        await ack(response_type="ephemeral", text=f"{reason}\n{usage.text}")
        return
    url = urls[0]
    await ack(response_type="ephemeral", text=blocks.placeholder(blocks.site_of(url)).text)
    await replies.answer_command(rt, view=view, url=url, respond=respond)
