"""What a digest says, as data: the stories shared in one channel over a period, the unconfirmed claims
to watch and who was quoted most. Slack's Block Kit (`bot/slack/digest_blocks.py`) and the CLI's JSON
both render this one object, so `newsbot digest` prints exactly what would be posted.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from urllib.parse import urlsplit

from bot.analysis.model import Analysis
from bot.memory import stories
from bot.memory.names import identity

WATCH_MAX = 5
QUOTED_MAX = 5


@dataclass(frozen=True)
class Share:
    """One link shared in the channel (a row of shared_links)."""

    url: str
    user: str | None
    created: float
    message_ts: str


@dataclass
class Article:
    url: str
    title: str
    site: str | None
    kind: str  # news / opinion / unknown
    summary: str | None
    claims: int
    unconfirmed: int  # flags at level "unconfirmed"
    shared_by: list[str]  # display names, never mentions
    first_shared: float
    read: bool  # False: the link was shared but could not be analysed


@dataclass
class Story:
    title: str
    articles: list[Article]


@dataclass
class WatchClaim:
    text: str
    source: str
    cues: list[str]
    article_title: str
    url: str


@dataclass
class Quoted:
    name: str
    title: str | None
    quotes: int
    articles: int


@dataclass
class Digest:
    label: str  # the period, e.g. "Tue 3 Dec 09:00 America/New_York"
    since: float
    until: float
    tz: str = "UTC"  # the zone the digest's times are shown in
    stories: list[Story] = field(default_factory=list)
    watch: list[WatchClaim] = field(default_factory=list)
    most_quoted: list[Quoted] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.stories

    @property
    def links(self) -> int:
        return sum(len(s.articles) for s in self.stories)

    def to_dict(self) -> dict:
        return {"schema": "newsbot/digest@1", **asdict(self)}


def _site(url: str, analysis: Analysis | None) -> str | None:
    if analysis is not None and analysis.source.site:
        return analysis.source.site
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.") or None


def _article(url: str, analysis: Analysis | None, shares: list[Share], names: dict[str, str]) -> Article:
    sharers: list[str] = []
    for share in shares:
        name = names.get(share.user or "", "") or "someone"
        if name not in sharers:
            sharers.append(name)
    if analysis is None:
        return Article(url, _site(url, None) or url, _site(url, None), "unknown", None, 0, 0, sharers,
                       shares[0].created, read=False)
    summary = analysis.summary[0].text if analysis.summary else None
    title = analysis.source.title or _site(url, analysis) or url
    unconfirmed = sum(1 for f in analysis.flags if f.level == "unconfirmed")
    return Article(url, title, _site(url, analysis), analysis.source.kind, summary, len(analysis.claims),
                   unconfirmed, sharers, shares[0].created, read=True)


def _watch(items: list[tuple[Article, Analysis]]) -> list[WatchClaim]:
    """The unconfirmed claims most worth a second look: from articles shared most, with the strongest cues
    ("could not be verified" over "reportedly"), nearest the top of their article."""
    ranked = []
    for article, analysis in items:
        for order, claim in enumerate(analysis.claims):
            if claim.status != "unconfirmed":
                continue
            strength = sum(2 if cue.type == "unverified" else 1 for cue in claim.cues)
            ranked.append(((-len(article.shared_by), -strength, order), article, claim))
    ranked.sort(key=lambda r: r[0])
    out: list[WatchClaim] = []
    for _, article, claim in ranked[:WATCH_MAX]:
        source = "the article itself" if claim.source.kind == "author" else claim.source.name
        cues = list(dict.fromkeys(cue.text for cue in claim.cues))
        out.append(WatchClaim(claim.text, source, cues, article.title, article.url))
    return out


def most_quoted(analyses: list[Analysis]) -> list[Quoted]:
    quotes: Counter[str] = Counter()
    articles: Counter[str] = Counter()
    shown: dict[str, tuple[str, str | None]] = {}
    for analysis in analyses:
        seen = set()
        for quote in analysis.quotes:
            if quote.speaker.kind not in ("person", "organization", "group"):
                continue
            who = identity(quote.speaker)
            quotes[who] += 1
            if who not in seen:
                seen.add(who)
                articles[who] += 1
            if who not in shown or (quote.speaker.title and not shown[who][1]):
                shown[who] = (quote.speaker.name, quote.speaker.title)
    ranked = sorted(quotes, key=lambda w: (-quotes[w], -articles[w], shown[w][0]))
    return [Quoted(shown[w][0], shown[w][1], quotes[w], articles[w]) for w in ranked[:QUOTED_MAX]]


def build_digest(shares: list[Share], analyses: dict[str, Analysis | None], names: dict[str, str], *,
                 label: str, since: float, until: float, tz: str = "UTC") -> Digest:
    """The digest of `shares` (links shared in one channel in [since, until)), grouped into stories in the
    order they were first shared. `analyses` maps each URL to its stored Analysis (None: not read);
    `names` maps user ids to display names."""
    by_url: dict[str, list[Share]] = {}
    for share in sorted(shares, key=lambda s: s.created):
        if since <= share.created < until:
            by_url.setdefault(share.url, []).append(share)
    urls = list(by_url)
    found = [analyses.get(url) for url in urls]
    articles = [_article(url, a, by_url[url], names) for url, a in zip(urls, found, strict=True)]
    digest = Digest(label=label, since=since, until=until, tz=tz)
    for members in stories.group(found):
        group = [articles[i] for i in members]
        digest.stories.append(Story(group[0].title, group))
    read = [(article, a) for article, a in zip(articles, found, strict=True) if a is not None]
    digest.watch = _watch(read)
    digest.most_quoted = most_quoted([a for _, a in read])
    return digest
