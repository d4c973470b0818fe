"""Behaviour added in the offline engine's second round: one row per error class, sentences written for
this repo."""

from __future__ import annotations

from tests.test_quotes import quotes_of


def test_a_noun_object_is_no_report() -> None:
    # "revealed/announced/unveiled" + a noun: a product or a plan shown, not words reported
    for text in ("Lexa Motors revealed its new convertible at the show in Detroit.",
                 "The council announced the plan for a new library on Monday.",
                 "The studio unveiled the trailer for its next film."):
        assert not [q for q in quotes_of(text) if q.kind == "indirect"], text


def test_a_clause_after_those_verbs_is_still_a_report() -> None:
    for text, said in (("The mayor announced that the library would open in May.", "the library would open"),
                       ("The paper revealed the committee agreed to pay the fine.", "the committee agreed"),
                       ("The minister disclosed she had sold the shares in 2019.", "she had sold")):
        found = [q for q in quotes_of(text) if q.kind == "indirect"]
        assert len(found) == 1 and said in found[0].text, (text, found)
