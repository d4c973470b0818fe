"""Block Kit objects, made here only, each text cut to Slack's limit: one overlong string (a 3,000-character
host) can never fail a whole message. `Builder` fills a message within a character and block budget.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from slack_sdk.models.blocks import (
    Block,
    ButtonElement,
    ContextBlock,
    HeaderBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)

MAX_BLOCKS = 50
HEADER_MAX = 150
SECTION_MAX = 3000
# Characters of text across all blocks. Slack's documented limits are higher, but messages with blocks
# fail with msg_too_long near 4,000; this leaves room for the fallback text and Slack's own markup.
MESSAGE_BUDGET = 3400
FALLBACK_MAX = 400
BUTTON_VALUE_MAX = 2000
BUTTON_TEXT_MAX = 75
CONTEXT_MAX = 3000
# The `text` of a message: Slack takes 40,000 characters, but a fallback or notice longer than this is
# unreadable in a notification anyway.
TEXT_MAX = 3000
_MORE_ROOM = 24  # room kept for a "…and N more" line

# A half entity (`&am`) or a half link (`<https://…`) left at the end of a cut.
_PARTIAL_TAIL = re.compile(r"&[a-z]{0,5}$|<[^<>]*$")


def cut(text: str, limit: int) -> str:
    """`text` within `limit` characters. Content is clipped with care where it is built; this is the
    backstop that keeps one overlong string (a 3,000-character host) from failing the whole message."""
    if len(text) <= limit:
        return text
    return _PARTIAL_TAIL.sub("", text[: limit - 1]) + "…"


def md(text: str, limit: int = SECTION_MAX) -> MarkdownTextObject:
    return MarkdownTextObject(text=cut(text, limit), verbatim=True)


def section_block(text: str) -> SectionBlock:
    return SectionBlock(text=md(text, SECTION_MAX))


def context_block(text: str) -> ContextBlock:
    return ContextBlock(elements=[md(text, CONTEXT_MAX)])


def header_block(text: str) -> HeaderBlock:
    return HeaderBlock(text=PlainTextObject(text=cut(text, HEADER_MAX), emoji=False))


def button(text: str, action_id: str, value: str) -> ButtonElement | None:
    """A button, or None when its value would not fit (the message goes without it)."""
    if len(value) > BUTTON_VALUE_MAX:
        return None
    return ButtonElement(text=cut(text, BUTTON_TEXT_MAX), action_id=action_id, value=value, style="primary")


class Builder:
    def __init__(self, budget: int, max_blocks: int) -> None:
        self.blocks: list[Block] = []
        self.budget = budget
        self.max_blocks = max_blocks
        self.used = 0

    @property
    def room(self) -> int:
        return self.budget - self.used

    def add(self, block: Block, chars: int) -> bool:
        if len(self.blocks) >= self.max_blocks or chars > self.room:
            return False
        self.blocks.append(block)
        self.used += chars
        return True

    def section(self, text: str) -> bool:
        if not text.strip():
            return False
        block = section_block(text)
        return self.add(block, len(block.text.text))

    def listing(self, title: str, lines: list[str], cap: int | None = None) -> None:
        """A titled list in as many sections as needed, as many lines as fit, then "…and N more"."""
        if not lines:
            return
        limit = min(cap if cap is not None else self.room, self.room)
        chunk, spent, shown = f"*{title}*", 0, 0
        if len(chunk) + _MORE_ROOM > limit or len(self.blocks) >= self.max_blocks:
            return
        for line in lines:
            fits_section = len(chunk) + 1 + len(line) <= SECTION_MAX - _MORE_ROOM
            if not fits_section and len(self.blocks) + 2 <= self.max_blocks:
                self.section(chunk)
                spent += len(chunk)
                chunk = ""
            elif not fits_section:
                break
            if spent + len(chunk) + 1 + len(line) + _MORE_ROOM > limit:
                break
            chunk = f"{chunk}\n{line}" if chunk else line
            shown += 1
        if shown < len(lines):
            chunk += f"\n_…and {len(lines) - shown} more_"
        self.section(chunk.lstrip("\n"))


def fair_shares(builder: Builder, parts: int) -> Iterable[int]:
    """Fair shares of what is left: a short first list hands its unused room to the later ones."""
    for left in range(parts, 0, -1):
        yield max(builder.room // left, 0)
