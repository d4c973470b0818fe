"""Flags: sentences the article itself marks as unconfirmed or hedged. (Skeleton: being written.)"""

from __future__ import annotations

from bot.analysis.model import Flag, Quote, Sentence


def find_flags(text: str, sentences: list[Sentence], quotes: list[Quote]) -> list[Flag]:
    return []
