"""Articles about one story, from different outlets, grouped together: by title words and named entities.

Two articles are one story when their titles share most of their words, or when their titles share some
and the people and organisations they quote or name overlap. Each story is led by the first article
shared about it; later ones join when they match it.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.analysis.model import Analysis
from bot.memory.names import fold, identity

# Words a headline shares with any other headline; they say nothing about the story.
_STOP = frozenset("""a an and the of to in on for at by with from as is are was were be been it its this that
these those after before over under into about amid new says said say will would could may might not no
than then but or if so what who how why when where which while more most up out off his her their our
your we you they he she him them us i""".split())
TITLE_SAME = 0.5  # title word overlap (Jaccard) that alone makes two articles one story
TITLE_ONE_NAME = 0.25  # title overlap that, with one person or organisation quoted by both, does
TITLE_TWO_NAMES = 0.15  # ... and with two or more


def title_words(title: str | None) -> frozenset[str]:
    return frozenset(w for w in fold(title or "").split() if len(w) > 2 and w not in _STOP and not w.isdigit())


def entities(analysis: Analysis) -> frozenset[str]:
    """The named people and organisations an article quotes or credits with claims."""
    named = {identity(q.speaker) for q in analysis.quotes if q.speaker.kind in ("person", "organization")}
    named |= {identity(c.source) for c in analysis.claims if c.source.kind in ("person", "organization")}
    return frozenset(named)


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


Features = tuple[frozenset[str], frozenset[str]]  # an article's title words and named sources


def features(analysis: Analysis) -> Features:
    return title_words(analysis.source.title), entities(analysis)


def _same(a: Features, b: Features) -> bool:
    titles = _jaccard(a[0], b[0])
    if titles >= TITLE_SAME:
        return True
    shared = len(a[1] & b[1])
    return (shared >= 1 and titles >= TITLE_ONE_NAME) or (shared >= 2 and titles >= TITLE_TWO_NAMES)


def same_story(a: Analysis, b: Analysis) -> bool:
    return _same(features(a), features(b))


def group(analyses: Sequence[Analysis | None]) -> list[list[int]]:
    """Indexes of `analyses` in groups, each in input order, groups ordered by their first member. An
    article joins the first group whose first article is about the same story: comparing with the first
    article only (not with any member) keeps loosely related stories from chaining into one. An entry
    without an analysis (a link that could not be read) is a story of its own."""
    # Each article's features once: a week of a busy channel's shares is hundreds of comparisons each.
    feats = [features(a) if a is not None else None for a in analyses]
    groups: list[list[int]] = []
    for i, f in enumerate(feats):
        home = next((g for g in groups if f is not None and (first := feats[g[0]]) is not None
                     and _same(first, f)), None)
        if home is None:
            groups.append([i])
        else:
            home.append(i)
    return groups
