"""Who holds a claim: stance and evidence verbs, relayed reports (the relay kept as `via`), spreading
posts and passive hearsay. Sentences written for this repo."""

from __future__ import annotations

import pytest

from bot.analysis.model import Analysis, Article, Claim, Speaker
from bot.analysis.offline import analyze
from bot.report import render
from bot.slack import blocks as b


def _claim(a: Analysis, words: str) -> Claim:
    return next(c for c in a.claims if words in c.text)


STANCES = [
    # (text, words of the claim, claimer)
    ("Local anglers blame the new weir for the drop in trout numbers this spring.", "new weir", "Local anglers"),
    ("Dr. Ana Ruiz is sure that the new drug will cut hospital stays by a week.", "hospital stays", "Ana Ruiz"),
    ("Two nurses are convinced that the ward was understaffed on the night of the fire.", "understaffed",
     "Two nurses"),
    ("A study published last month found that the drug cut relapse rates by half.", "relapse", "A study"),
    ("The survey, carried out in March by the tenants' union, found rents had risen by a third in two years.",
     "rents had risen", "The survey"),
    ("A report by the Harbor Institute released on Monday concluded that the pier needs repairs.",
     "pier needs", "Harbor Institute"),
    ("Thousands of social media posts are spreading claims that the new coins carry tracking chips.",
     "tracking chips", "Thousands of social media posts"),
]


@pytest.mark.parametrize(("text", "words", "claimer"), STANCES)
def test_a_stance_or_evidence_verb_attributes_the_claim(text: str, words: str, claimer: str) -> None:
    c = _claim(analyze(Article(text=text)), words)
    assert c.source.name == claimer and c.status != "asserted", c


def test_a_stance_is_no_quote_and_a_pronoun_stance_resolves() -> None:
    text = "Ana Ruiz runs the clinic on Dock Street. She blames the insurers for the long waits at the clinic."
    a = analyze(Article(text=text))
    assert _claim(a, "She blames").source.name == "Ana Ruiz"
    assert not a.quotes  # nobody's words are reported


@pytest.mark.parametrize(("text", "claimer", "via", "shown"), [
    ("The Coast Ledger reported that officials said the bridge would close for a month.", "officials",
     "Coast Ledger", "that officials said the bridge would close for a month"),
    ("According to the Coast Ledger, police said the driver fled north on foot.", "police", "Coast Ledger",
     "police said the driver fled north on foot"),
    ("Officials said the bridge would close for a month, the Coast Ledger reported.", "Officials",
     "Coast Ledger", "the bridge would close for a month"),
])
def test_a_relayed_claim_goes_to_its_inner_claimer_with_the_relay_as_channel(
        text: str, claimer: str, via: str, shown: str) -> None:
    a = analyze(Article(text=text))
    (c,) = a.claims
    assert (c.source.name, c.source.via) == (claimer, via)
    assert [q.text for q in a.quotes] == [shown]  # the words are shown once


def test_a_relay_that_names_no_second_speaker_is_no_relay() -> None:
    a = analyze(Article(text="Mayor Ines Roca said the bridge would close for a month, adding that it was old."))
    assert all(q.speaker.via is None for q in a.quotes)
    assert all(c.source.via is None for c in a.claims)


def test_passive_hearsay_is_reported() -> None:
    a = analyze(Article(text="The former governor is said to be planning a run for the Senate next year."))
    (c,) = a.claims
    assert c.status == "unconfirmed" and [q.type for q in c.cues] == ["reported"]


def test_via_is_optional_and_shown_only_as_a_short_phrase() -> None:
    assert Speaker.model_validate({"name": "officials", "kind": "group"}).via is None  # older JSON reads
    assert Speaker(name="officials", kind="group", via="Coast Ledger").via_phrase() == " via Coast Ledger"
    assert Speaker(name="officials", kind="group", via="x" * 80).via_phrase() == ""
    a = analyze(Article(text="The Coast Ledger reported that officials said the bridge would close for a month."))
    rendered = "\n".join(str(blk) for blk in b.analysis_message(a, "claims").blocks)
    assert "officials via Coast Ledger" in rendered
    assert "officials via Coast Ledger" in render(a)
