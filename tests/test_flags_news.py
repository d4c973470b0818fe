"""Flags on sentences written the way wire and newspaper copy is (the held-out set is news, not Wikipedia)."""

from __future__ import annotations

import pytest

from bot.analysis import sentences as splitter
from bot.analysis.offline.hedges import find_cues, find_flags


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The company said it may cut jobs.", [("may", "hedge")]),
        ("The report, which has not been independently verified, says 40 died.",
         [("has not been independently verified", "unverified")]),
        ("The figures could not be verified.", [("could not be verified", "unverified")]),
        ("Neither claim could be independently confirmed.",
         [("Neither claim could be independently confirmed", "unverified")]),
        ("Officials have not yet confirmed the identity of the victims.",
         [("have not yet confirmed", "unverified")]),
        ("It remains unclear whether the ceasefire will hold.", [("remains unclear", "unverified")]),
        ("There is no indication that prosecutors have convened a grand jury.",
         [("no indication that", "unverified")]),
        ("She said, without evidence, that the vote was rigged.", [("without evidence", "unverified")]),
        ("The bill will likely pass.", [("likely", "hedge")]),
        ("The findings suggest the virus spread earlier.", [("findings suggest", "hedge")]),
        ("Police believe the gunman acted alone.", [("Police believe", "hedge")]),
        ("Dozens are feared dead after the landslide.", [("feared dead", "hedge")]),
        ("The alleged gunman appeared in court on Monday.", [("alleged", "reported")]),
        ("The plan failed, a senior administration official said.",
         [("a senior administration official said", "anonymous")]),
        ("The talks will resume, said two Western diplomats.", [("said two Western diplomats", "anonymous")]),
        ("It is understood that the minister will resign.", [("It is understood that", "anonymous")]),
        ("The official, who requested anonymity, described the plan.", [("who requested anonymity", "anonymous")]),
    ],
)
def test_news_cues(sentence: str, expected: list[tuple[str, str]]) -> None:
    assert [(c.text, c.type) for c in find_cues(sentence)] == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "Officials confirmed the death toll rose to 12.",
        "He said he could not have been happier.",
        "The White House did not respond to a request for comment.",
        "In May, the council voted to close the plant.",
        "The May 5 election is close.",
        "May Day protests turned violent.",
        "They could not agree on a date.",
        "Analysts expect the bank to raise rates.",
        "The suspect was shot dead by police.",
        "A judge found probable cause to arrest him.",
        "He was arrested for insider trading in 2019.",
        "Jobless claims fell to 210,000 last week.",
        "The bank's chief executive, Jane Smith, said profits rose.",
        "Hamas claimed responsibility for the attack.",
        "According to Defense Secretary Lloyd Austin, 300 troops were sent.",
    ],
)
def test_news_statements_that_are_not_doubt(sentence: str) -> None:
    assert find_cues(sentence) == []


def test_a_paragraph_of_wire_copy() -> None:
    text = (
        "KYIV (Reuters) - Russian forces shelled the city overnight, killing three people, the mayor said. "
        "Ukraine's military said it had shot down 20 drones, a figure Reuters could not independently verify. "
        "Moscow did not comment. The strikes may have targeted power stations, analysts said."
    )
    sentences = splitter.split(text)
    flags = find_flags(text, sentences, [])
    flagged = {text[sentences[f.sentence_id].start : sentences[f.sentence_id].end][:20]: f for f in flags}
    assert set(flagged) == {"Ukraine's military s", "The strikes may have"}
    assert flagged["Ukraine's military s"].level == "unconfirmed"
    assert [c.text for c in flagged["Ukraine's military s"].cues] == ["could not independently verify"]
    assert flagged["The strikes may have"].level == "hedged"


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The bill is being considered by the Senate committee.", []),
        ("He is considered one of the best players of his generation.", [("is considered one", "weasel")]),
        ("She is widely considered a frontrunner.", [("is widely considered", "weasel")]),
    ],
)
def test_considered_is_weasel_only_as_vague_judgement(sentence: str, expected: list[tuple[str, str]]) -> None:
    assert [(c.text, c.type) for c in find_cues(sentence)] == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("It appeared on television last night.", []),
        ("He appeared in court on Monday.", []),
        ("It appears that the deal collapsed.", [("It appears that", "hedge")]),
        ("He appeared to be drunk.", [("appeared to", "hedge")]),
    ],
)
def test_appear_is_a_hedge_only_as_seeming(sentence: str, expected: list[tuple[str, str]]) -> None:
    assert [(c.text, c.type) for c in find_cues(sentence)] == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("He was not authorized to enter the building.", []),
        ("You must have a ticket to enter.", []),
        ("He must have known about the plan.", [("must have known", "hedge")]),
        ("The suspect has been questioned by police.", []),
        ("The study has been widely questioned.", [("has been widely questioned", "hedge")]),
        ("Corker declined to speculate on a backup plan.", []),
        ("Speculation grew that he would quit.", [("Speculation", "unverified")]),
    ],
)
def test_words_with_a_plain_sense_in_news(sentence: str, expected: list[tuple[str, str]]) -> None:
    assert [(c.text, c.type) for c in find_cues(sentence)] == expected
