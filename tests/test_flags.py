"""Flags: one per sentence the article marks as unconfirmed or hedged, cue offsets exact."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.analysis import sentences as splitter
from bot.analysis.model import Flag
from bot.analysis.offline.hedges import find_cues, find_flags
from bot.analysis.offline.phrases import LEXICON_DIR, compile_phrases, find_spans, load_phrases, phrase_regex

# shared/ sits beside the checkout (locally and in CI)
SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "000_b74ca9f533ef9b34.txt"


def flags_of(text: str) -> list[Flag]:
    return find_flags(text, splitter.split(text), [])


def cues_of(text: str) -> list[tuple[str, str]]:
    return [(c.text, c.type) for c in find_cues(text)]


@pytest.mark.parametrize(
    ("sentence", "cue", "cue_type"),
    [
        # unverified
        ("Reports of the deal remain unconfirmed, officials told me.", "remain unconfirmed", "unverified"),
        ("The video could not be independently verified by Reuters.", "could not be independently verified", "unverified"),
        ("The ministry did not confirm the figure.", "did not confirm", "unverified"),
        ("The claim has yet to be verified.", "has yet to be verified", "unverified"),
        ("There is no clear evidence that the leaders knew in advance.", "no clear evidence", "unverified"),
        ("He offered no evidence for the accusation.", "offered no evidence", "unverified"),
        ("The true scale of the support is hard to pin down.", "hard to pin down", "unverified"),
        ("It was not immediately clear who fired first.", "It was not immediately clear", "unverified"),
        ("Rumors of a coup spread on Tuesday.", "Rumors", "unverified"),
        # reported
        ("Palestinian groups reportedly launder funds through the exchange.", "reportedly", "reported"),
        ("Ukrainian officials have claimed that Wagner trained the fighters.", "have claimed", "reported"),
        ("The man allegedly stole three cars.", "allegedly", "reported"),
        ("The senator is accused of taking bribes.", "is accused of", "reported"),
        ("The leader is said to be in poor health.", "is said to be", "reported"),
        ("He claims that the vote was rigged.", "claims that", "reported"),
        # anonymous
        ("The plan was approved, according to people familiar with the matter.", "people familiar with", "anonymous"),
        ("An official, who spoke on condition of anonymity, described the talks.", "on condition of anonymity",
         "anonymous"),
        ("Sources say the minister will resign.", "Sources say", "anonymous"),
        ("The official was not authorized to speak publicly.", "not authorized to speak", "anonymous"),
        # hedge
        ("The collaboration also seems to have benefited Hamas.", "seems", "hedge"),
        ("The strike may have killed dozens.", "may", "hedge"),
        ("The rebels might retreat.", "might", "hedge"),
        ("Prices could rise again next year.", "could", "hedge"),
        ("The outage was likely caused by a storm.", "likely", "hedge"),
        ("Videos of murky origins circulated online.", "murky", "hedge"),
        ("Critics point to the government's supposed neglect of the region.", "supposed", "hedge"),
        ("A cyberattack cannot be ruled out.", "cannot be ruled out", "hedge"),
        ("May the talks succeed where others failed.", "May", "hedge"),
        ("Maybe the talks will succeed.", "Maybe", "hedge"),
        ("The talks may, in May, succeed.", "may", "hedge"),
        # weasel
        ("Some say the reform came too late.", "Some say", "weasel"),
        ("It is widely believed that the mine is exhausted.", "It is widely believed", "weasel"),
        ("Critics say the law is too broad.", "Critics say", "weasel"),
        ("Experts say the bridge is unsafe.", "Experts say", "weasel"),
    ],
)
def test_each_cue_type_is_found_with_its_words(sentence: str, cue: str, cue_type: str) -> None:
    assert (cue, cue_type) in cues_of(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Police confirmed the arrest on Monday.",  # confirmation is certainty, not doubt
        "The summit is set for May 20 in Geneva.",  # the month
        "Talks resumed in May after a pause.",
        "Theresa May said the deal was done.",  # the name
        "May said the deal was done.",
        "The vote will take place on Tuesday.",  # a prediction, not a hedge
        "According to Health Minister Jane Doe, the hospital reopened.",  # named attribution
        "The timing of the attack could not have been better for Putin.",
        "He could not attend the meeting because of the storm.",  # past ability
        "She claimed the title in 2019.",  # sport, not a claim
        "The army showed its military might in the parade.",  # the noun
        "The team will reply as soon as possible.",
        "The train was supposed to arrive at noon.",  # obligation
        "Putin first invited Hamas leaders to Moscow in 2006.",
        "The mayor opened the bridge.",  # "may" inside a word
        "The prime minister announced the budget on Monday.",
    ],
)
def test_plain_statements_are_not_flagged(sentence: str) -> None:
    assert flags_of(sentence) == []


def test_negation_turns_confirmation_into_doubt() -> None:
    assert cues_of("The deaths were confirmed by the hospital.") == []
    assert cues_of("The deaths were not confirmed by the hospital.") == [("not confirmed", "unverified")]
    assert cues_of("The hospital couldn't confirm the deaths.") == [("couldn't confirm", "unverified")]


def test_longest_cue_wins_over_the_words_inside_it() -> None:
    # "could" alone is a hedge, but here it is part of an unverified phrase, reported once, by its type.
    assert cues_of("The figures could not be independently verified.") == [
        ("could not be independently verified", "unverified")
    ]


def test_level_is_unconfirmed_when_any_cue_is_unverified_reported_or_anonymous() -> None:
    text = "The rebels may have reportedly seized the town. The rebels may retreat."
    flags = flags_of(text)
    assert [(f.sentence_id, f.level) for f in flags] == [(0, "unconfirmed"), (1, "hedged")]
    assert {c.type for c in flags[0].cues} == {"hedge", "reported"}


def test_one_flag_per_sentence_with_all_its_cues_in_order() -> None:
    text = "Officials reportedly fled, and the city may fall, sources say.\n\nThe weather was fine."
    flags = flags_of(text)
    assert len(flags) == 1
    assert [c.text for c in flags[0].cues] == ["reportedly", "may", "sources say"]
    for c in flags[0].cues:
        assert text[c.start : c.end] == c.text


@pytest.mark.skipif(not SEED.exists(), reason="seed article not present")
def test_seed_article() -> None:
    text = SEED.read_text(encoding="utf-8")
    sentences = splitter.split(text)
    flags = {f.sentence_id: f for f in find_flags(text, sentences, [])}

    def flag_for(fragment: str) -> Flag | None:
        (sentence,) = [s for s in sentences if fragment in text[s.start : s.end]]
        return flags.get(sentence.id)

    for fragment, cue in [
        ("no clear evidence", "no clear evidence"),
        ("hard to pin down", "hard to pin down"),
        ("have claimed", "have claimed"),
        ("reportedly launder", "reportedly"),
        ("remain unconfirmed", "remain unconfirmed"),
    ]:
        flag = flag_for(fragment)
        assert flag is not None and flag.level == "unconfirmed", fragment
        assert cue in [c.text for c in flag.cues]
    for fragment, cue in [
        ("also seems to have benefited", "seems"),
        ("Russia seems fully committed", "seems"),
        ("murky origins", "murky"),
        ("supposed neglect", "supposed"),
    ]:
        flag = flag_for(fragment)
        assert flag is not None and flag.level == "hedged", fragment
        assert [c.text for c in flag.cues] == [cue]
    for fragment in ["invited Hamas leaders to Moscow in 2006", "On Oct. 13, Russia put forth",
                     "could not have been better", "Iranian and Russian cooperation"]:
        assert flag_for(fragment) is None, fragment
    assert len(flags) == 9


def test_same_input_same_output() -> None:
    text = SEED.read_text(encoding="utf-8") if SEED.exists() else "It may rain. Sources say so."
    sentences = splitter.split(text)
    assert find_flags(text, sentences, []) == find_flags(text, sentences, [])


@given(st.text(max_size=400))
@settings(max_examples=200, deadline=None)
def test_never_raises_and_cue_offsets_slice_to_their_text(text: str) -> None:
    sentences = splitter.split(text)
    for flag in find_flags(text, sentences, []):
        sentence = sentences[flag.sentence_id]
        assert flag.cues
        for cue in flag.cues:
            assert text[cue.start : cue.end] == cue.text
            assert sentence.start <= cue.start < cue.end <= sentence.end


_WORDS = ["may", "May", "could", "not", "be", "confirmed", "reportedly", "sources", "say", "the", "have",
          "claimed", "that", "20", "seems", "\u201c", ",", "independently", "verified", "no", "evidence"]


@given(st.lists(st.sampled_from(_WORDS), max_size=30))
@settings(max_examples=200, deadline=None)
def test_cues_are_whole_words_that_slice_exactly(words: list[str]) -> None:
    text = " ".join(words) + "."
    cues = find_cues(text)
    for cue in cues:
        assert text[cue.start : cue.end] == cue.text
        assert cue.text == cue.text.strip()
        assert cue.start == 0 or not text[cue.start - 1].isalnum()
    spans = [(c.start, c.end) for c in cues]
    assert spans == sorted(spans)
    assert all(a_end <= b_start for (_, a_end), (b_start, _) in zip(spans, spans[1:], strict=False))


def test_every_cue_lexicon_compiles() -> None:
    names = sorted(p.stem for p in LEXICON_DIR.glob("cues_*.txt"))
    assert {"cues_unverified", "cues_reported", "cues_anonymous", "cues_hedge", "cues_weasel", "cues_not"} <= set(
        names
    )
    for name in names:
        assert load_phrases(name)
        compile_phrases(load_phrases(name))


def test_phrase_grammar() -> None:
    phrases = compile_phrases(["not (yet) (independently) confirmed", "rumo*", "{be} accused of"])
    text = "It was not yet confirmed. Rumours grew. He was accused of fraud. Tumours."
    assert [text[s:e] for s, e in find_spans(phrases, text)] == ["not yet confirmed", "Rumours", "was accused of"]
    with pytest.raises(ValueError):
        phrase_regex("(only) (optional)")


def test_phrase_index_handles_macros_suffixes_and_unindexed_regexes() -> None:
    group = compile_phrases(["{neg} confirm", r"re: \d+ people", "sources say|said"])
    text = "They didn't confirm it. 12 people died, sources said. Police did not confirm."
    assert [text[s:e] for s, e in find_spans(group, text)] == [
        "didn't confirm", "12 people", "sources said", "did not confirm", "not confirm"]  # every start


def _naive_spans(phrases: list[str], text: str) -> list[tuple[int, int]]:
    import re

    best: dict[int, int] = {}
    for p in phrases:
        pattern = re.compile(r"(?<![\w'\u2019-])(?:" + phrase_regex(p) + r")(?![\w-]|['\u2019]\w)", re.IGNORECASE)
        for pos in range(len(text)):
            m = pattern.match(text, pos)
            if m and m.end() > best.get(pos, pos):
                best[pos] = m.end()
    return sorted(best.items())


@given(st.lists(st.sampled_from(_WORDS + ["didn't", "Rumours", "not", "yet", "’s", "it's", "-", "\n"]), max_size=25))
@settings(max_examples=100, deadline=None)
def test_indexed_search_equals_trying_every_phrase_everywhere(words: list[str]) -> None:
    text = " ".join(words)
    for name in ("cues_unverified", "cues_reported", "cues_hedge"):
        phrases = load_phrases(name)
        assert find_spans(compile_phrases(phrases), text) == _naive_spans(phrases, text)
