"""The offline engine: deterministic, pure Python, no keys, no downloads.

Same article in, byte-identical Analysis out. Each step is its own module; this one only wires them.
"""

from __future__ import annotations

from bot import __version__
from bot.analysis import sentences as sentence_splitter
from bot.analysis.language import offline_note
from bot.analysis.model import Analysis, Article, Engine
from bot.analysis.offline.claims import find_claims
from bot.analysis.offline.hedges import find_flags
from bot.analysis.offline.quotes import find_attributions
from bot.analysis.offline.summary import summarize

ENGINE_NAME = "offline"


def analyze(article: Article, id: str | None = None) -> Analysis:
    """Analyse `article` with the rules and lexicons alone."""
    text = article.text
    sentences = sentence_splitter.split(text)
    quotes, attributions = find_attributions(text, sentences)
    flags = find_flags(text, sentences, quotes)
    claims = find_claims(text, sentences, attributions, flags)  # a relayed claim goes to its inner claimer
    summary = summarize(text, sentences, article.source)
    return Analysis(
        id=id,
        source=article.source,
        text=text,
        sentences=sentences,
        summary=summary,
        quotes=quotes,
        claims=claims,
        flags=flags,
        links=article.links,
        engine=Engine(name="offline", model=None, version=__version__),
        warnings=[note for note in (offline_note(article.source.language),) if note],
    )
