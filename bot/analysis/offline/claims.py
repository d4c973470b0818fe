"""Claims: the sentences carrying the article's main assertions. (Skeleton: being written.)"""

from __future__ import annotations

from bot.analysis.model import Claim, Flag, Quote, Sentence


def find_claims(text: str, sentences: list[Sentence], quotes: list[Quote], flags: list[Flag]) -> list[Claim]:
    return []
