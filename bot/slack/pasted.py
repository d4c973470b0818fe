"""What a Slack message offers to analyse, for the "Analyze with newsbot" shortcut: an attached file, a
link, or the text itself (an article pasted from behind a paywall). Pure functions of the message.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Literal

from bot.fetch.links import find_article_urls, find_urls
from bot.slack import payload
from bot.slack.files import READABLE, SlackFile, describe

# Fewer words than this (links aside) is a comment on a link or a chat line, not an article.
MIN_WORDS = 25

# <https://x|label>, <https://x>, <@U1|name>, <#C1|name>, <!here>, <!subteam^S1|@team>, <!date^…|fallback>
_TOKEN = re.compile(r"<([^<>|]*)(?:\|([^<>]*))?>")
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Target:
    kind: Literal["file", "link", "text"]
    file: SlackFile | None = None
    url: str | None = None
    text: str | None = None


def plain_text(slack_text: str) -> str:
    """Slack's message markup → the text a person sees: links and mentions become their labels, and
    Slack's escaping of &, < and > is undone. Offsets of the analysis point into this text."""

    def label(match: re.Match[str]) -> str:
        target, shown = match.group(1), match.group(2)
        if shown:
            return shown
        if target.startswith(("@", "#")):
            return target  # an unresolved mention: keep its id rather than lose the word
        if target.startswith("!"):
            return "@" + target[1:].split("^", 1)[0]
        return target

    return html.unescape(_TOKEN.sub(label, slack_text or ""))


def _words_outside_links(slack_text: str) -> int:
    return len(_WORD.findall(_TOKEN.sub(" ", slack_text or "")))


def choose(message: dict) -> Target | str:
    """The one thing to analyse in `message`, or a sentence telling the user why there is none.

    An attached file newsbot reads wins; then a message that is (nearly) only a link is the link, read as
    a link shared in a channel is; then text long enough to be an article is the article.
    """
    files = [SlackFile.from_api(f) for f in payload.dicts(message, "files") if payload.text(f, "id")]
    # A stub without a type ("file_access": "check_file_info") is asked about with files.info later.
    readable = [f for f in files if f.kind is not None or not (f.mimetype or f.filetype)]
    if readable:
        return Target("file", file=readable[0])
    text = payload.text(message, "text") or ""
    try:
        urls = find_article_urls(text, limit=1)
    except ValueError:
        urls = []
    words = _words_outside_links(text)
    if urls and words < MIN_WORDS:
        return Target("link", url=urls[0])
    if words >= MIN_WORDS:
        return Target("text", text=plain_text(text).strip())
    if files:
        return f"That message's file is {describe(files[0])}; {READABLE}"
    if find_urls(text):
        return "That link goes to Slack, an image or a video, not a news article."
    if not text.strip():
        return "That message has no text or file I can read. " + _HOW
    return f"That message is too short to analyse ({words} words). " + _HOW


_HOW = ("Use the shortcut on a message with an article's link, its whole text pasted in, or an attached PDF, "
        "HTML or plain-text file.")
