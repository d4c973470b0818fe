"""Sentences: offsets into the text, paragraph and line breaks as boundaries, no crash on odd input."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.analysis import sentences
from bot.analysis.sentences import _FALLBACK_BOUNDARY, sentence_at, split


def texts(text: str) -> list[str]:
    return [text[s.start:s.end] for s in split(text)]


def test_sentences_and_paragraphs():
    text = "Headline here\n\nThe mayor spoke on Monday. Dr. Smith of the U.S. agency agreed.\n\n\"Yes,\" he said."
    assert texts(text) == [
        "Headline here", "The mayor spoke on Monday.", "Dr. Smith of the U.S. agency agreed.", "\"Yes,\" he said.",
    ]
    ss = split(text)
    assert [s.id for s in ss] == [0, 1, 2, 3]
    assert sentence_at(ss, text.index("agreed")) == 2
    assert sentence_at(ss, 0) == 0


def test_a_sentencex_panic_falls_back_to_the_plain_rule(monkeypatch):
    # sentencex is Rust; some inputs make it panic (pyo3 PanicException derives from BaseException).
    class Panic(BaseException):
        pass

    def boom(lang, chunk):
        raise Panic("panicked")

    monkeypatch.setattr(sentences, "segment", boom)
    sentences._split_cached.cache_clear()
    try:
        assert texts("One thing happened. \"Then another,\" she said. 3 more") == [
            "One thing happened.", "\"Then another,\" she said.", "3 more",
        ]
    finally:
        sentences._split_cached.cache_clear()
    assert _FALLBACK_BOUNDARY.pattern


def test_input_that_made_sentencex_panic():
    text = "\x0cA\xa0.\x99^\U0003d4bb\u00e2"
    for s in split(text):
        assert 0 <= s.start < s.end <= len(text)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_offsets_are_within_and_ordered(text):
    prev = 0
    for s in split(text):
        assert prev <= s.start < s.end <= len(text)
        assert text[s.start:s.end] == text[s.start:s.end].strip()
        prev = s.end


def test_no_sentence_ends_on_a_title_a_month_or_a_clock_time():
    assert texts("She met Ms. Clinton on Monday. Sen. Warren agreed.") == [
        "She met Ms. Clinton on Monday.", "Sen. Warren agreed.",
    ]
    assert texts("They spoke at 5 p.m. Friday. Then at 6 p.m. The rest left.") == [
        "They spoke at 5 p.m. Friday.", "Then at 6 p.m.", "The rest left.",
    ]
    assert texts("On Jan. 5 the No. 2 official quit.") == ["On Jan. 5 the No. 2 official quit."]
    # a name's suffix can end a sentence
    assert len(texts("The speech was by Martin Luther King Jr. He gave it in 1963.")) == 2


def test_a_dateline_is_no_part_of_the_first_sentence():
    assert texts("WASHINGTON (AP) — The Senate voted on Friday. It was close.") == [
        "The Senate voted on Friday.", "It was close.",
    ]
    assert texts("MANCHESTER, N.H. - Hillary Clinton spoke here.") == ["Hillary Clinton spoke here."]
    assert texts("NEW YORK, March 3 (Reuters) -- Stocks fell.") == ["Stocks fell."]
    assert texts("Boston (CNN)The jury met.") == ["The jury met."]
    assert texts("LONDON, May 14 (Wire) — The union agreed.") == ["The union agreed."]
    # a dateline and nothing else is a line of its own
    assert texts("BERLIN —") == ["BERLIN —"]
    # title-case words before a dash are no dateline without a wire marker
    assert texts("Nick Smith - the jockey - won the race.") == ["Nick Smith - the jockey - won the race."]


def test_a_headline_run_into_a_wire_dateline_ends_before_it():
    text = ("Zune to be available to Canadians in Spring 2008 TORONTO, Jan. 6 /CNW/ - Today at the "
            "Consumer Electronics Show, the company said it would sell the player.")
    assert texts(text) == [
        "Zune to be available to Canadians in Spring 2008",
        "Today at the Consumer Electronics Show, the company said it would sell the player.",
    ]


def test_a_line_without_final_punctuation_ends_at_the_line_break():
    text = "Creating a Personal Entertainment Experience\nWith three models to choose from, buyers can pick one."
    assert texts(text) == [
        "Creating a Personal Entertainment Experience", "With three models to choose from, buyers can pick one.",
    ]


def test_bullets_in_one_line_are_items():
    assert texts("The player offers: \u2022 Wi-Fi sync with a computer \u2022 a touch pad \u2022 podcasts.") == [
        "The player offers:", "\u2022 Wi-Fi sync with a computer", "\u2022 a touch pad", "\u2022 podcasts.",
    ]
