"""Page furniture, photo credits and captions are the page's, not the article's: no quote, claim, bullet or
antecedent comes from them. Sentences written for this repo."""

from __future__ import annotations

import pytest

from bot.analysis.model import Article
from bot.analysis.offline import analyze
from bot.analysis.offline.body import furniture
from bot.analysis.sentences import split

FURNITURE = [
    "Story continues below advertisement",
    "Advertisement",
    "Read more: How the harbour plan was drawn up",
    "Sign up for our morning briefing.",
    "Photo: Jane Roe/Reuters",
    "(AP Photo/Carl Brandt)",
    "Tom Ekland via Getty Images.",
    "Getty Images",
]


@pytest.mark.parametrize("line", FURNITURE)
def test_furniture_is_recognised(line: str) -> None:
    text = f"Mayor Dana Holt opened the library on Tuesday.\n\n{line}\n\nThe branch will stay open late."
    sentences = split(text)
    found = {text[s.start:s.end] for s in sentences if s.id in furniture(text, sentences)}
    assert found == {line}, found


@pytest.mark.parametrize("sentence", [
    "A Harbor Register/Bloomberg poll released Saturday found that most voters backed the plan.",
    "The bank gave her credit for the early warning about the loans.",
    "Readers can't read more than a headline, the editor complained in the letter.",
])
def test_news_sentences_are_not_furniture(sentence: str) -> None:
    sentences = split(sentence)
    assert not furniture(sentence, sentences)


def test_a_caption_ending_with_a_credit_is_no_claim_and_no_bullet() -> None:
    text = ("Lena Marsh spoke at the rally in Springfield on Sunday afternoon.\n\n"
            "Supporters wave flags outside the hall before the speech. (AP Photo/Carl Brandt)\n\n"
            "Turnout at the rally was the largest the city has seen this year.")
    a = analyze(Article(text=text))
    assert not [c for c in a.claims if "Supporters" in c.text]
    assert not [b for b in a.summary if "Supporters" in b.text]
    assert [c for c in a.claims if "Turnout" in c.text]


@pytest.mark.parametrize("credit", ["Photo: Jane Roe/Reuters", "Photo by Jane Roe.", "Jane Roe/Getty Images"])
def test_a_name_in_a_photo_credit_is_no_antecedent(credit: str) -> None:
    text = f"Lena Marsh spoke at the rally in Springfield.\n\n{credit}\n\nShe said turnout was high."
    (q,) = analyze(Article(text=text)).quotes
    assert q.speaker.name == "Lena Marsh"
