"""An acronym and its expansion are one source, named by the expansion; "WHO" is never the pronoun "who".
Sentences written for this repo."""

from __future__ import annotations

import pytest

from bot.analysis.model import Article
from bot.analysis.offline import analyze
from bot.analysis.offline.acronyms import expansions


@pytest.mark.parametrize(("text", "want"), [
    ("The Harbor Safety Board (HSB) met on Monday.", {"HSB": "Harbor Safety Board"}),
    ("Officials at the Institute for the Study of Tides (IST) said so.", {"IST": "Institute for the Study of Tides"}),
    ("The Northern Rail Authority cut fares. The NRA said demand was up.", {"NRA": "Northern Rail Authority"}),
    ("Ann Park spoke first. The AP said the vote was close.", {}),  # two letters need brackets; a person is no body
    ("THE SHOW GOES ON. The OSG said.", {}),  # capitals alone spell no name
])
def test_expansions(text: str, want: dict[str, str]) -> None:
    assert expansions(text) == want


@pytest.mark.parametrize("text", [
    "The World Health Organization (WHO) warned about the virus on Monday.\n\n"
    "WHO said cases were rising in three regions of the country.",
    "The World Health Organization (WHO) warned about the virus on Monday.\n\n"
    "The WHO said cases were rising in three regions of the country.",
    "The World Health Organization (WHO) warned about the virus on Monday.\n\n"
    "It said cases were rising in three regions of the country.",
    "The World Health Organization (WHO) warned about the virus on Monday.\n\n"
    "The World Health Organization said cases were rising in three regions of the country.",
    "The Coastal Water Agency cut its forecast on Tuesday.\n\n"
    "The CWA said cases were rising in three regions of the country.",
])
def test_an_acronym_and_its_expansion_are_one_source(text: str) -> None:
    (q,) = analyze(Article(text=text)).quotes
    assert q.speaker.kind == "organization"
    assert q.speaker.name in ("World Health Organization (WHO)", "Coastal Water Agency (CWA)")
