"""Every slash command, in one table: its name, what the manifests say about it, its usage text, the
handler that answers it and, for commands that take an article link, the analysis view they show.
`register` wires the table into Bolt; tests check the manifests against it."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond

from bot.fetch.links import find_article_urls, find_urls
from bot.slack import blocks, payload, replies
from bot.slack.listeners import compare, digest, engine_setting, lookup
from bot.slack.runtime import Runtime

HELP_WORDS = {"help", "-h", "--help", "?", "usage"}
# `/claims www.example.com/news/story`: Slack links such text in messages, but hands a slash command the
# words as typed, so a host with a dot and a path (or a www. host) is read as an https link.
# `gopher://…`, `file:///…`, `ftp://…`: an address, but not one of the web pages I read.
_OTHER_SCHEME = re.compile(r"(?<![\w+.-])(?!https?://)[a-z][a-z0-9+.-]*://", re.IGNORECASE)
_BARE_LINK = re.compile(r"(?:www\.[\w.-]+\.[a-z]{2,}|[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}(?::\d+)?/)\S*", re.IGNORECASE)
_ARTICLE_NOTE = ("The answer is visible only to you, with a button to share it in the channel. "
                 "Links pasted in a channel I'm a member of get an analysis in the thread automatically.")

Handler = Callable[[Runtime, "SlashCommand", AsyncAck, dict, AsyncRespond], Awaitable[None]]


@dataclass(frozen=True)
class SlashCommand:
    name: str  # "/claims"
    description: str  # the manifest's one line
    usage_hint: str  # the manifest's hint after the name
    usage: str  # what `/name help` answers (mrkdwn)
    handler: Handler
    view: str | None = None  # the analysis view a link argument gets (a key of blocks.VIEW_SPECS)

    def usage_message(self, reason: str | None = None) -> blocks.Message:
        text = (f"{reason}\n" if reason else "") + self.usage
        return blocks.Message(text=text, blocks=[blocks.section(text)])


def _command_urls(text: str) -> list[str]:
    for candidate in (text, *(f"https://{word}" for word in text.split() if _BARE_LINK.fullmatch(word))):
        try:
            urls = find_article_urls(candidate, limit=1)
        except ValueError:
            urls = []
        if urls:
            return urls
    return []


async def answer_link(rt: Runtime, cmd: SlashCommand, ack: AsyncAck, command: dict, respond: AsyncRespond) -> None:
    """A command about one article: ack with a placeholder, answer through response_url when analysed."""
    text = (payload.text(command, "text") or "").strip()
    if not text or text.lower() in HELP_WORDS:
        await ack(response_type="ephemeral", **cmd.usage_message().as_kwargs())
        return
    urls = _command_urls(text)
    if not urls:
        if find_urls(text):
            reason = "That link goes to Slack, an image or a video, not a news article."
        elif _OTHER_SCHEME.search(text):
            reason = "I only read http and https links."
        else:
            reason = "I couldn't find a link in that."
        await ack(response_type="ephemeral", text=f"{reason}\n{cmd.usage}")
        return
    assert cmd.view is not None
    await ack(response_type="ephemeral", text=blocks.placeholder(blocks.site_of(urls[0])).text)
    await replies.answer_command(rt, view=cmd.view, url=urls[0], respond=respond,
                                 channel=command.get("channel_id") or None)


async def answer_sources(rt: Runtime, cmd: SlashCommand, ack: AsyncAck, command: dict,
                         respond: AsyncRespond) -> None:
    """`/sources URL` is about one article; `/sources NAME` looks the name up across shared articles."""
    text = (payload.text(command, "text") or "").strip()
    if not text or text.lower() in HELP_WORDS or _command_urls(text) or find_urls(text) \
            or _OTHER_SCHEME.search(text):
        await answer_link(rt, cmd, ack, command, respond)
        return
    await lookup.answer(rt, ack, command, respond, text)


async def answer_compare(rt: Runtime, cmd: SlashCommand, ack: AsyncAck, command: dict,
                         respond: AsyncRespond) -> None:
    text = (payload.text(command, "text") or "").strip()
    if not text or text.lower() in HELP_WORDS:
        await ack(response_type="ephemeral", **cmd.usage_message().as_kwargs())
        return
    # Word by word, so that one link typed twice is seen twice (and answered as such).
    await compare.answer(rt, ack, respond, [url for word in text.split() for url in _command_urls(word)],
                         channel=payload.text(command, "channel_id"))


def _article_usage(name: str, what: str) -> str:
    return (f"*Usage:* `{name} URL` — {what}.\nExample: `{name} https://www.example.com/news/story`\n"
            + _ARTICLE_NOTE)


COMMANDS: tuple[SlashCommand, ...] = (
    SlashCommand(
        "/claims", "The key claims in an article, who makes them, and which are unconfirmed", "URL",
        _article_usage("/claims", "the key claims, who makes each one, and which the article itself calls "
                                  "unconfirmed or hedged"),
        answer_link, view="claims"),
    SlashCommand(
        "/summarize", "A short summary of an article and what it calls unconfirmed", "URL",
        _article_usage("/summarize", "a short summary and the sentences the article itself calls unconfirmed "
                                     "or hedged"),
        answer_link, view="summarize"),
    SlashCommand(
        "/sources", "Who an article quotes, or what a person has been quoted saying in shared articles",
        "URL or NAME",
        _article_usage("/sources", "who is quoted (with their titles and what they said) and the links the "
                                   "article cites")
        + "\n`/sources NAME` (e.g. `/sources Putin`) — what that person or organisation has been quoted saying, "
          "and the claims credited to them, across the articles shared here, newest first.",
        answer_sources, view="sources"),
    SlashCommand(
        "/digest", "A scheduled digest of the news links shared in this channel",
        "daily HH:MM | weekly DAY HH:MM | off | now", digest.USAGE, digest.answer),
    SlashCommand(
        "/compare", "Two outlets' articles on one story: what only one claims or quotes, what they flag differently",
        "URL URL", compare.USAGE, answer_compare),
    SlashCommand(
        "/newsbot", "Which engine analyses this channel's articles; keep them away from language models",
        "engine [offline | auto | default]", engine_setting.USAGE, engine_setting.answer),
)
BY_NAME = {cmd.name: cmd for cmd in COMMANDS}
# A view named here but missing from blocks fails at import, not as a wrongly rendered answer.
for _cmd in COMMANDS:
    if _cmd.view is not None:
        blocks.view_spec(_cmd.view)


def summary_line() -> str:
    """The commands in one line, for help texts: "`/claims URL`, `/summarize URL`, …"."""
    return ", ".join(f"`{cmd.name} {cmd.usage_hint.split(' | ')[0]}`" for cmd in COMMANDS)


def register(app: AsyncApp, rt: Runtime) -> None:
    for cmd in COMMANDS:
        app.command(cmd.name)(_listener(rt, cmd))


def _listener(rt: Runtime, cmd: SlashCommand):
    async def on_command(ack: AsyncAck, command: dict, respond: AsyncRespond) -> None:
        with rt.handling():
            await cmd.handler(rt, cmd, ack, command, respond)

    on_command.__name__ = f"on_{cmd.name.lstrip('/')}_command"
    return on_command
