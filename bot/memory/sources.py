"""`/sources NAME`: what one source said across the articles a team shared, from an index of the analyses.

`entries(analysis)` is what the store keeps per analysis (one row per key a speaker is found under, per
quote or claim); `group_hits` turns the rows a lookup found into one list per person, newest first, so
two people with one surname are listed apart.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.analysis.model import Analysis
from bot.memory.names import identity, speaker_keys

# Bump when what is indexed, or how names are folded, changes: older analyses are then indexed again.
INDEX_VERSION = 1


@dataclass(frozen=True)
class SourceEntry:
    key: str  # a folded name the source is found under
    who: str  # identity: kind + full folded name
    name: str  # as the article names them
    title: str | None
    speaker_kind: str
    item: str  # "quote" or "claim"
    detail: str  # "direct" / "indirect" for quotes, the claim status for claims
    text: str  # verbatim from the Analysis
    position: int  # character offset in the article: the order within one article


@dataclass(frozen=True)
class SourceHit:
    """An index row as a lookup returns it, with the share that makes it visible to the asker."""

    entry: SourceEntry
    url: str
    article_title: str | None
    published: str | None
    site: str | None
    team: str | None
    channel: str
    channel_type: str | None
    message_ts: str
    shared_at: float


@dataclass(frozen=True)
class Person:
    who: str
    name: str
    title: str | None
    kind: str
    hits: list[SourceHit]


def entries(analysis: Analysis) -> list[SourceEntry]:
    """Every quote and attributed claim of a named source, under each key the source is found by. A claim
    that repeats a quote's sentence by the same speaker is left out: the quote already shows those words."""
    out: list[SourceEntry] = []
    quoted: set[tuple[str, int]] = set()
    for quote in analysis.quotes:
        keys = speaker_keys(quote.speaker)
        if not keys or not quote.text.strip():
            continue
        who = identity(quote.speaker)
        quoted.add((who, quote.sentence_id))
        out += [SourceEntry(key, who, quote.speaker.name, quote.speaker.title, quote.speaker.kind, "quote",
                            quote.kind, quote.text, quote.start) for key in keys]
    starts = {s.id: s.start for s in analysis.sentences}
    for claim in analysis.claims:
        keys = speaker_keys(claim.source)
        who = identity(claim.source)
        if not keys or any((who, sid) in quoted for sid in claim.sentence_ids):
            continue
        position = min((starts.get(sid, 0) for sid in claim.sentence_ids), default=0)
        out += [SourceEntry(key, who, claim.source.name, claim.source.title, claim.source.kind, "claim",
                            claim.status, claim.text, position) for key in keys]
    return out


def group_hits(hits: list[SourceHit]) -> list[Person]:
    """One Person per identity, the most quoted first; each person's hits newest share first, one per item
    (an article shared in several visible places is listed once, at its newest share)."""
    people: dict[str, list[SourceHit]] = {}
    seen: set[tuple[str, str, str, int, str]] = set()
    for hit in sorted(hits, key=lambda h: (-h.shared_at, h.url, h.entry.position)):
        item = (hit.entry.who, hit.url, hit.entry.item, hit.entry.position, hit.entry.text)
        if item in seen:
            continue
        seen.add(item)
        people.setdefault(hit.entry.who, []).append(hit)
    out = []
    for who, found in people.items():
        # The name as most articles give it, and the newest title.
        names: dict[str, int] = {}
        for hit in found:
            names[hit.entry.name] = names.get(hit.entry.name, 0) + 1
        name = max(names, key=lambda n: (names[n], len(n)))
        title = next((h.entry.title for h in found if h.entry.title), None)
        out.append(Person(who, name, title, found[0].entry.speaker_kind, found))
    out.sort(key=lambda p: (-len(p.hits), p.name))
    return out
