"""Direct and indirect quotes with their speakers. (Skeleton: being written.)"""

from __future__ import annotations

from bot.analysis.model import Quote, Sentence


def find_quotes(text: str, sentences: list[Sentence]) -> list[Quote]:
    return []
