"""Claims: which sentences, who makes each, and how firmly the article stands behind it."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.analysis import sentences as splitter
from bot.analysis.model import Claim, Quote, Speaker
from bot.analysis.offline.claims import AUTHOR, MAX_CLAIMS, find_claims
from bot.analysis.offline.hedges import find_flags

# shared/ sits beside the checkout (locally and in CI)
SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "000_b74ca9f533ef9b34.txt"

ARTICLE = """Floods close the valley road

By Jane Reporter

Heavy rain flooded the valley road on Tuesday, cutting off three villages for most of the day.
The regional council said repairs would cost about 2 million euros and take six weeks.
Two bridges were reportedly damaged by the water.
Is the valley ready for the next storm?
Follow this author
Engineers inspected the remaining bridges on Wednesday morning and found them sound.
The storm may return at the weekend, forecasters warned in their latest bulletin."""


def claims_of(text: str, quotes: list[Quote] | None = None) -> list[Claim]:
    sentences = splitter.split(text)
    quotes = quotes or []
    return find_claims(text, sentences, quotes, find_flags(text, sentences, quotes))


def quote_in(text: str, fragment: str, speaker: Speaker, kind: str = "indirect") -> Quote:
    sentences = splitter.split(text)
    start = text.index(fragment)
    (sentence,) = [s for s in sentences if s.start <= start < s.end]
    return Quote(speaker=speaker, text=fragment, start=start, end=start + len(fragment), kind=kind,
                 sentence_id=sentence.id)


def test_claims_skip_headline_byline_questions_and_boilerplate() -> None:
    texts = [c.text for c in claims_of(ARTICLE)]
    assert "Floods close the valley road" not in texts
    assert "By Jane Reporter" not in texts
    assert not any(t.endswith("?") for t in texts)
    assert "Follow this author" not in texts
    assert texts[0].startswith("Heavy rain flooded")


def test_ids_order_and_text_are_the_sentences() -> None:
    claims = claims_of(ARTICLE)
    sentences = splitter.split(ARTICLE)
    assert [c.id for c in claims] == [f"c{i}" for i in range(1, len(claims) + 1)]
    assert [c.sentence_ids[0] for c in claims] == sorted(c.sentence_ids[0] for c in claims)
    for c in claims:
        (sid,) = c.sentence_ids
        assert c.text == ARTICLE[sentences[sid].start : sentences[sid].end]


def test_status_follows_flags_then_attribution_then_author() -> None:
    council = Speaker(name="regional council", kind="organization")
    quote = quote_in(ARTICLE, "repairs would cost about 2 million euros and take six weeks", council)
    by_start = {c.text[:12]: c for c in claims_of(ARTICLE, [quote])}
    assert by_start["Heavy rain f"].status == "asserted"
    assert by_start["Heavy rain f"].source == AUTHOR
    assert by_start["The regional"].status == "attributed"
    assert by_start["The regional"].source == council
    reported = by_start["Two bridges "]
    assert reported.status == "unconfirmed"
    assert [(c.text, c.type) for c in reported.cues] == [("reportedly", "reported")]
    hedged = by_start["The storm ma"]
    assert hedged.status == "hedged" and [c.text for c in hedged.cues] == ["may"]


def test_a_flagged_quote_keeps_its_speaker_and_the_flag_status() -> None:
    text = "Ukrainian officials have claimed that Russia's mercenary firm Wagner helped train Hamas soldiers."
    officials = Speaker(name="Ukrainian officials", kind="group")
    quote = quote_in(text, "Russia's mercenary firm Wagner helped train Hamas soldiers", officials)
    (claim,) = claims_of(text, [quote])
    assert claim.source == officials
    assert claim.status == "unconfirmed"
    assert [c.text for c in claim.cues] == ["have claimed"]


def test_unnamed_sources_in_the_cue_become_the_source() -> None:
    (claim,) = claims_of("The minister will resign before the summit, sources say.")
    assert claim.source.name == "sources" and claim.source.kind == "unnamed"
    assert claim.status == "unconfirmed"


def test_every_unconfirmed_sentence_is_a_claim_even_past_the_budget_or_short() -> None:
    lines = [f"Officials in town {i} reportedly fled." for i in range(15)]
    lines.insert(0, "Rebels reportedly won.")  # short, still unconfirmed: never dropped
    text = " ".join(lines) + " " + " ".join(f"The market in town {i} opened at nine as usual." for i in range(20))
    claims = claims_of(text)
    unconfirmed = [c for c in claims if c.status == "unconfirmed"]
    assert len(unconfirmed) == 16
    assert "Rebels reportedly won." in [c.text for c in unconfirmed]
    assert len(claims) == 16 + 2  # plus the two best unflagged lead claims


def test_budget_and_lead_bias_without_flags() -> None:
    text = " ".join(f"The council approved plan number {i} for the harbour district today." for i in range(30))
    claims = claims_of(text)
    assert len(claims) == MAX_CLAIMS
    assert claims[0].sentence_ids == [0]


@pytest.mark.skipif(not SEED.exists(), reason="seed article not present")
def test_seed_flagged_sentences_are_all_claims() -> None:
    text = SEED.read_text(encoding="utf-8")
    sentences = splitter.split(text)
    flags = find_flags(text, sentences, [])
    claims = find_claims(text, sentences, [], flags)
    claimed = {sid for c in claims for sid in c.sentence_ids}
    assert {f.sentence_id for f in flags} <= claimed
    assert all(c.source.kind == "author" for c in claims)  # no quotes given: all the author's
    assert not any(c.text.startswith(("Saved Web Pages", "Follow this author", "Spread the News")) for c in claims)


@given(st.text(max_size=300))
@settings(max_examples=150, deadline=None)
def test_never_raises_and_claims_are_sentences(text: str) -> None:
    sentences = splitter.split(text)
    for c in find_claims(text, sentences, [], find_flags(text, sentences, [])):
        (sid,) = c.sentence_ids
        assert c.text == text[sentences[sid].start : sentences[sid].end]
        for cue in c.cues:
            assert text[cue.start : cue.end] == cue.text


def test_person_with_a_quote_is_preferred_to_the_channel_relaying_it() -> None:
    text = "Putin said Russia was trying to help normalize the situation in Gaza, according to the Kremlin."
    kremlin = quote_in(text, text[:-1], Speaker(name="Kremlin", kind="organization"))
    putin = quote_in(text, "Russia was trying to help normalize the situation in Gaza",
                     Speaker(name="Vladimir Putin", title="Russian President", kind="person"))
    (claim,) = claims_of(text, [kremlin, putin])
    assert claim.source.name == "Vladimir Putin"
    assert claim.status == "attributed"
