"""Two outlets' articles on one story, compared: what only one of them claims, whom only one quotes, and
which claims one flags (unconfirmed, hedged) while the other states them.

Claims are matched by their sentences' content words (folded, crudely stemmed, numbers kept: a casualty
figure is the point of many sentences) and rapidfuzz's token-sort ratio; speakers by their folded names
(bot/memory/names.py), a person's surname alone included. Every line shown is a stretch of one of the
two articles' texts, cut out by the Analysis's offsets: nothing is paraphrased.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from rapidfuzz import fuzz

from bot.analysis.model import Analysis, Claim, Quote, Speaker
from bot.memory.names import fold, speaker_keys
from bot.memory.stories import group

# Words any sentence shares with another; they say nothing about what it claims.
_STOP = frozenset("""a an and the of to in on for at by with from as is are was were be been has have had
it its this that these those after before over under into about amid says said say will would could may
might not no than then but or if so what who how why when where which while more most up out off his her
their our your we you they he she him them us i there also least just only very according reports reported
told""".split())
_SUFFIXES = ("ing", "ed", "es", "s")
MATCH_OVERLAP = 0.6  # share of the shorter sentence's content words the other must hold to be one claim
MATCH_RATIO = 80  # ... or rapidfuzz token_sort_ratio of the two sentences' content words
MIN_SHARED = 3  # and never fewer content words in common than this
LINE_MAX = 220  # characters of article text shown per line
SHOWN = 3  # lines per part

_FLAGGED = {"unconfirmed": "calls it unconfirmed", "hedged": "hedges it"}


@dataclass(frozen=True)
class Said:
    """A verbatim stretch of one article: a claim's sentence or a quote, and who it is credited to."""

    text: str
    who: str | None = None
    direct: bool | None = None  # for a quote: whether the article puts the words in quotes; None: a claim


@dataclass(frozen=True)
class FlagDiff:
    """One claim both articles make, flagged by one and stated by the other (or flagged differently)."""

    this: Said
    this_status: str
    earlier: Said
    earlier_status: str


@dataclass
class Comparison:
    this_outlet: str
    earlier_outlet: str
    only_this: list[Said] = field(default_factory=list)
    only_earlier: list[Said] = field(default_factory=list)
    quoted_only_this: list[Said] = field(default_factory=list)
    quoted_only_earlier: list[Said] = field(default_factory=list)
    flags: list[FlagDiff] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        """True when the two say the same: nothing worth a comparison section."""
        return not (self.only_this or self.only_earlier or self.quoted_only_this or self.quoted_only_earlier
                    or self.flags)


def outlet(analysis: Analysis, url: str | None = None) -> str:
    """The outlet's name as its page gives it, else the host."""
    if analysis.source.site and analysis.source.site.strip():
        return analysis.source.site.strip()
    try:
        host = urlsplit(url or analysis.source.url or "").hostname or ""
    except ValueError:
        host = ""
    return host.removeprefix("www.") or "the other article"


def same_outlet(a: Analysis, b: Analysis, url_a: str | None = None, url_b: str | None = None) -> bool:
    return fold(outlet(a, url_a)) == fold(outlet(b, url_b))


def _stem(word: str) -> str:
    for suffix in _SUFFIXES:
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def content_words(text: str) -> frozenset[str]:
    return frozenset(_stem(w) for w in fold(text).split() if w not in _STOP and (len(w) > 2 or w.isdigit()))


def _slice(analysis: Analysis, start: int, end: int) -> str | None:
    """The article's own characters, or None when the offsets do not fit the text (never shown then)."""
    if not 0 <= start < end <= len(analysis.text):
        return None
    return analysis.text[start:end].strip() or None


def _claim_text(analysis: Analysis, claim: Claim) -> str | None:
    spans = {s.id: s for s in analysis.sentences}
    parts = [_slice(analysis, spans[i].start, spans[i].end) for i in claim.sentence_ids if i in spans]
    if not parts or any(p is None for p in parts):
        return None
    return " ".join(p for p in parts if p)


def _quote_text(analysis: Analysis, quote: Quote) -> str | None:
    return _slice(analysis, quote.start, quote.end)


@dataclass(frozen=True)
class _Item:
    claim: Claim
    text: str
    words: frozenset[str]


def _items(analysis: Analysis) -> list[_Item]:
    out, seen = [], set()
    for claim in analysis.claims:
        text = _claim_text(analysis, claim)
        if text is None or text in seen:
            continue
        seen.add(text)
        out.append(_Item(claim, text, content_words(text)))
    return out


def _score(a: _Item, b: _Item) -> float:
    """How surely two claims are one: 0 when they are not, else the larger of the two measures."""
    shared = len(a.words & b.words)
    if shared < MIN_SHARED:
        return 0.0
    figures_a, figures_b = {w for w in a.words if w.isdigit()}, {w for w in b.words if w.isdigit()}
    if figures_a and figures_b and not figures_a & figures_b:
        return 0.0  # "12 killed" and "15 killed" are two claims: each is listed as only its article's
    overlap = shared / min(len(a.words), len(b.words))
    ratio = fuzz.token_sort_ratio(" ".join(sorted(a.words)), " ".join(sorted(b.words))) / 100
    if overlap < MATCH_OVERLAP and ratio * 100 < MATCH_RATIO:
        return 0.0
    return max(overlap, ratio)


def match_claims(this: list[_Item], earlier: list[_Item]) -> list[tuple[int, int]]:
    """Pairs (index in this, index in earlier), best first, each claim in at most one pair."""
    scored = sorted(((s, i, j) for i, a in enumerate(this) for j, b in enumerate(earlier)
                     if (s := _score(a, b)) > 0), reverse=True)
    used_this: set[int] = set()
    used_earlier: set[int] = set()
    pairs = []
    for _, i, j in scored:
        if i in used_this or j in used_earlier:
            continue
        used_this.add(i)
        used_earlier.add(j)
        pairs.append((i, j))
    return pairs


def _who(speaker: Speaker) -> str | None:
    return speaker.name if speaker.kind in ("person", "organization", "group") else None


def _keys(analysis: Analysis) -> set[str]:
    """Every key a named source of the article (quoted or credited with a claim) is found under."""
    keys: set[str] = set()
    for speaker in [q.speaker for q in analysis.quotes] + [c.source for c in analysis.claims]:
        keys.update(speaker_keys(speaker))
    return keys


def _quoted_only(analysis: Analysis, other: Analysis) -> list[Said]:
    """One quote from each named speaker the other article neither quotes nor credits with a claim."""
    others = _keys(other)
    out: list[Said] = []
    seen: set[str] = set()
    for quote in sorted(analysis.quotes, key=lambda q: (q.kind != "direct", q.start)):
        keys = speaker_keys(quote.speaker)
        if not keys or keys[0] in seen or others.intersection(keys):
            continue
        text = _quote_text(analysis, quote)
        if text is None:
            continue
        seen.add(keys[0])
        out.append(Said(text, quote.speaker.name, quote.kind == "direct"))
    return out


def _flag_diff(this: _Item, earlier: _Item) -> FlagDiff | None:
    a, b = this.claim.status, earlier.claim.status
    if a == b or (a not in _FLAGGED and b not in _FLAGGED):
        return None  # asserted vs attributed is not a difference in how sure the article is
    return FlagDiff(Said(this.text, _who(this.claim.source)), a, Said(earlier.text, _who(earlier.claim.source)), b)


def compare(this: Analysis, earlier: Analysis, *, this_url: str | None = None,
            earlier_url: str | None = None) -> Comparison:
    """`this` (the newer share) against `earlier`. A claim whose sentence is a quote shown under "quotes
    only" is not listed again as a claim."""
    mine, theirs = _items(this), _items(earlier)
    pairs = match_claims(mine, theirs)
    matched_mine = {i for i, _ in pairs}
    matched_theirs = {j for _, j in pairs}
    result = Comparison(outlet(this, this_url), outlet(earlier, earlier_url))
    result.quoted_only_this = _quoted_only(this, earlier)
    result.quoted_only_earlier = _quoted_only(earlier, this)
    shown_this = {s.text for s in result.quoted_only_this}
    shown_earlier = {s.text for s in result.quoted_only_earlier}
    result.only_this = [Said(item.text, _who(item.claim.source)) for i, item in enumerate(mine)
                        if i not in matched_mine and not any(q in item.text for q in shown_this)]
    result.only_earlier = [Said(item.text, _who(item.claim.source)) for j, item in enumerate(theirs)
                           if j not in matched_theirs and not any(q in item.text for q in shown_earlier)]
    result.flags = [d for i, j in pairs if (d := _flag_diff(mine[i], theirs[j])) is not None]
    return result


def status_phrase(status: str) -> str:
    """How an article treats a claim, as the comparison says it: "calls it unconfirmed", "states it"."""
    return _FLAGGED.get(status, "states it")


def counterpart(this: Analysis, this_url: str, earlier: list[tuple[str, Analysis]]) -> tuple[str, Analysis] | None:
    """The earlier article `this` is best compared with: grouped as the digest groups a channel's shares
    (bot/memory/stories.py, each story led by its first article), the first article of this one's story
    from another outlet. None when the story is new here, or only this outlet has covered it."""
    urls = [url for url, _ in earlier] + [this_url]
    analyses = [a for _, a in earlier] + [this]
    home = next(g for g in group(analyses) if len(analyses) - 1 in g)
    return next(((urls[i], analyses[i]) for i in home[:-1]
                 if urls[i] != this_url and not same_outlet(analyses[i], this, urls[i], this_url)), None)
