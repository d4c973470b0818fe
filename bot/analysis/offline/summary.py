"""Extractive summary bullets. (Skeleton: being written.)"""

from __future__ import annotations

from bot.analysis.model import Sentence, Source, SummaryItem


def summarize(text: str, sentences: list[Sentence], source: Source) -> list[SummaryItem]:
    return []
