"""The article's language: detected from its text, the page's declaration for short texts, and said plainly
in the report and the Slack reply when the offline engine cannot read it."""

from __future__ import annotations

import pytest

from bot.analysis import language, offline
from bot.analysis.model import Analysis, Source
from bot.fetch import article_from_text, extract_article
from bot.report import render
from bot.slack import blocks

GERMAN = (
    "Die Bundesregierung hat am Montag beschlossen, die Steuern für kleine Unternehmen im kommenden Jahr zu "
    "senken. Der Finanzminister sagte vor Journalisten in Berlin, das Paket werde die Wirtschaft stärken. "
    "„Das ist ein guter Tag für den Mittelstand“, sagte er. Kritiker warnten dagegen vor Löchern im Haushalt."
)
FRENCH = (
    "Le gouvernement a annoncé lundi une réforme des retraites très attendue. « Nous devons agir maintenant », "
    "a déclaré le Premier ministre devant l’Assemblée nationale. Les syndicats ont appelé à une grève générale."
)
SPANISH = (
    "El Gobierno aprobó el martes un nuevo plan de vivienda para los jóvenes. «Es un paso histórico», dijo la "
    "ministra en rueda de prensa. La oposición criticó la medida y anunció que recurrirá al Constitucional."
)
ENGLISH = (
    "The city council voted on Monday to rebuild the harbour wall after last winter's storms. The work will "
    "cost 12 million euros and start in the spring, the mayor said. Fishermen have asked for it for years."
)


@pytest.mark.parametrize("text, code", [(GERMAN, "de"), (FRENCH, "fr"), (SPANISH, "es"), (ENGLISH, "en")])
def test_detects_the_language_of_a_paragraph(text: str, code: str) -> None:
    assert language.detect(text) == code
    # the text outweighs a page template's declaration
    assert language.detect(text, declared="en-US" if code != "en" else "de") == code


@pytest.mark.parametrize("text", ["Kurzer Text.", "Hello world", "12 345 678", ""])
def test_a_short_text_gets_no_guess_only_the_declared_language(text: str) -> None:
    assert language.detect(text) is None
    assert language.detect(text, declared="pt-BR") == "pt"
    assert language.detect(text, declared="not a tag!") is None


def test_a_mixed_text_is_read_by_its_head_and_always_the_same_way() -> None:
    mixed = GERMAN * 20 + ENGLISH * 20
    assert [language.detect(mixed) for _ in range(3)] == ["de", "de", "de"]


def test_names_and_the_offline_note() -> None:
    assert language.name("de-AT") == "German"
    assert language.offline_note("de") == "German: the offline engine reads English; quotes and flags may be missing."
    assert language.offline_note("en-GB") is None
    assert language.offline_note(None) is None


def test_extraction_sets_the_language_from_the_text() -> None:
    html = f"<html lang='en'><head><title>Steuern</title></head><body><article><p>{GERMAN}</p>" \
           f"<p>{GERMAN}</p></article></body></html>"
    assert extract_article(html).source.language == "de"
    assert article_from_text(ENGLISH).source.language == "en"
    assert article_from_text("Rain fell all day. Roads closed.").source.language is None


def test_a_non_english_article_says_so_in_the_report_and_the_reply() -> None:
    analysis = offline.analyze(article_from_text(GERMAN))
    note = "German: the offline engine reads English; quotes and flags may be missing."
    assert note in analysis.warnings
    report = render(analysis)
    assert note in report and report.index(note) < report.index("Summary")
    message = blocks.analysis_message(analysis)
    assert any(note in text for text in _texts(message.blocks))
    assert any("German" in text for text in _texts(message.blocks[:2]))


def test_an_english_article_has_no_note() -> None:
    analysis = offline.analyze(article_from_text(ENGLISH * 2))
    assert analysis.warnings == []
    assert "offline engine reads English" not in render(analysis)


def test_the_report_says_nothing_of_an_unknown_kind() -> None:
    report = render(Analysis(source=Source(title="Storm", kind="unknown", site="Ledger")))
    assert "unknown" not in report
    assert report.splitlines()[1] == "Ledger"
    assert render(Analysis(source=Source(title="Storm", kind="news"))).splitlines()[1] == "news"


def _texts(node: object) -> list[str]:
    if isinstance(node, dict):
        own = [node["text"]] if isinstance(node.get("text"), str) else []
        return own + [t for value in node.values() for t in _texts(value)]
    if isinstance(node, list):
        return [t for value in node for t in _texts(value)]
    return []
