"""Behaviour added in the offline engine's second round: one row per error class, sentences written for
this repo."""

from __future__ import annotations

import pytest

from tests.test_quotes import only, quotes_of


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


OTHER_LANGUAGES = [
    # (text, quote, speaker)
    ("„Die Brücke bleibt bis zum Sommer gesperrt“, sagte Bürgermeisterin Katrin Lenz am Montag.",
     "Die Brücke bleibt bis zum Sommer gesperrt", "Katrin Lenz"),
    ("« Le pont restera fermé jusqu’à l’été », a déclaré la maire Claire Dubois.",
     "Le pont restera fermé jusqu’à l’été", "Claire Dubois"),
    ("«El puente seguirá cerrado hasta el verano», dijo la alcaldesa Lucía Ortega.",
     "El puente seguirá cerrado hasta el verano", "Lucía Ortega"),
    ("‹Der Bau dauert länger als geplant›, erklärte Jonas Weber.", "Der Bau dauert länger als geplant",
     "Jonas Weber"),
    ("« Le chantier prendra du retard », selon Marc Lefèvre.", "Le chantier prendra du retard", "Marc Lefèvre"),
]


@pytest.mark.parametrize("text,quote,speaker", OTHER_LANGUAGES)
def test_direct_quotes_in_other_languages(text: str, quote: str, speaker: str) -> None:
    found = [q for q in quotes_of(text) if q.kind == "direct"]
    assert [(q.text, q.speaker.name) for q in found] == [(quote, speaker)]


def test_a_pronoun_after_a_verb_of_another_language_is_the_person_in_focus() -> None:
    text = ("Claire Dubois a visité le chantier lundi.\n\n« Le pont restera fermé jusqu’à l’été », dit-elle.\n\n"
            "„Wir bauen weiter, so schnell es geht“, sagte sie.")
    assert [q.speaker.name for q in quotes_of(text) if q.kind == "direct"] == ["Claire Dubois", "Claire Dubois"]


@pytest.mark.parametrize("text,name", [
    ("Lexa Motors showed a car. Lexus said its new convertible would go on sale in the spring.", "Lexus"),
    ("PolitiFact said the claim about the bridge was false.", "PolitiFact"),
    ("Norway said the fishing talks would resume next week.", "Norway"),
    ("Zune said its new players would ship before the holidays.", "Zune"),
])
def test_a_one_word_company_outlet_or_country_is_an_organisation(text: str, name: str) -> None:
    q = only(text, "indirect")
    assert (q.speaker.name, q.speaker.kind) == (name, "organization")


def test_a_one_word_name_the_article_gives_in_full_stays_a_person() -> None:
    text = "Senator Ada McLean spoke first. McLean said the bridge would reopen in May."
    assert (only(text, "indirect").speaker.name, only(text, "indirect").speaker.kind) == ("Ada McLean", "person")


def test_described_x_as_y_is_a_report() -> None:
    q = only("The mayor described the plan as a disaster for the town.", "indirect")
    assert q.text == "the plan as a disaster for the town"


def test_called_x_with_quoted_words_keeps_them_a_direct_quote() -> None:
    q = only("Senator Ada McLean called the proposal “reckless and unfair.”", "direct")
    assert (q.text, q.speaker.name) == ("reckless and unfair.", "Ada McLean")
    assert not [x for x in quotes_of("Senator Ada McLean called the proposal “reckless and unfair.”")
                if x.kind == "indirect"]


def test_called_with_a_plain_object_is_no_report() -> None:
    assert not quotes_of("The neighbours called the fire brigade after midnight.")


@pytest.mark.parametrize("text,said", [
    ("Ana Ruiz stated in July it would take a decade to repair the pier.", "it would take a decade"),
    ("Ana Ruiz said by text message the pier would stay closed through the summer.", "the pier would stay"),
])
def test_an_adjunct_between_the_verb_and_its_clause_is_skipped(text: str, said: str) -> None:
    assert only(text, "indirect").text.startswith(said)


def test_a_place_in_a_long_appositive_does_not_speak() -> None:
    text = "Paul Ode, 41, of Leeds, who runs a bakery on the high street, said sales had halved since March."
    assert only(text, "indirect").speaker.name == "Paul Ode"


def test_the_who_is_a_body_not_a_relative_pronoun() -> None:
    q = only("The WHO said the outbreak was under control.", "indirect")
    assert (q.speaker.name, q.speaker.kind) == ("WHO", "organization")


@pytest.mark.parametrize("text,speaker", [
    ("City staff said the permit had been approved in March.", "City staff"),
    ("The suit says the landlord ignored repeated warnings about the mold.", "The suit"),
    ("A tweet last week said the concert would be moved to the arena.", "A tweet"),
])
def test_plain_noun_subjects_report(text: str, speaker: str) -> None:
    assert only(text, "indirect").speaker.name == speaker


def test_a_rarer_speech_verb_attributes_a_quote() -> None:
    assert only("“Get out of here,” Ana Ruiz blurted as the cameras rolled.", "direct").speaker.name == "Ana Ruiz"


def test_was_quoted_as_saying_names_its_subject() -> None:
    text = "Lena Vos spoke in Riga.\n\nVos was later quoted as saying: “The budget is balanced and will stay so.”"
    assert only(text, "direct").speaker.name == "Lena Vos"
    assert only("Ana Ruiz was quoted as saying the pier would never reopen.", "indirect").speaker.name == "Ana Ruiz"


@pytest.mark.parametrize("text,speaker", [
    ("Lena Vos resigned on Friday. Her statement said the budget was balanced.", "Lena Vos"),
    ("Tom Reed resigned on Friday. His letter to the board said the budget was a fiction.", "Tom Reed"),
])
def test_a_document_speaks_for_the_person_who_issued_it(text: str, speaker: str) -> None:
    assert only(text, "indirect").speaker.name == speaker


@pytest.mark.parametrize("text,said,speaker", [
    ("A senior official has promoted the theory that the virus was brought to the city by soldiers.",
     "the virus was brought to the city by soldiers", "A senior official"),
    ("Dr. Ana Ruiz, an astronomer, spread the idea that the virus arrived on a comet.",
     "the virus arrived on a comet", "Ana Ruiz"),
])
def test_spreading_a_theory_that_attributes_the_claim(text: str, said: str, speaker: str) -> None:
    q = only(text, "indirect")
    assert (q.text, q.speaker.name) == (said, speaker)


def test_claims_that_as_a_verb_still_reports() -> None:
    q = only("Along with other charges, the lawsuit claims that the landlord ignored the mold.", "indirect")
    assert q.text.startswith("that the landlord ignored")


def test_fact_check_labels_are_never_sources() -> None:
    text = ("Five myths about the flu shot, checked.\n\nMYTH: “The flu shot can give you the flu.”\n\n"
            "FACT CHECK: Vitamin C does not cure colds, says the Cold Institute.")
    found = quotes_of(text)
    assert all(q.speaker.name.lower() not in ("myth", "fact check") for q in found)
    report = only(text, "indirect")
    assert (report.text, report.speaker.name) == ("Vitamin C does not cure colds", "Cold Institute")


@pytest.mark.parametrize("text,said,source", [
    ("A new poll shows most voters back the plan.", "most voters back the plan", "A new poll"),
    ("The survey showed support fell in rural areas.", "support fell in rural areas", "The survey"),
])
def test_a_study_or_poll_finds_without_that(text: str, said: str, source: str) -> None:
    q = only(text, "indirect")
    assert (q.text, q.speaker.name) == (said, source)


def test_a_negated_subject_attributes_nothing() -> None:
    assert not quotes_of("No serious scientists suggest the vaccine causes the illness.")
    assert not quotes_of("Nobody has said the school will close before June.")


def test_a_party_description_is_the_person_in_focus() -> None:
    text = "Sen. Rand Paul spoke in Louisville on Monday. The Kentucky Republican said the bill would fail."
    q = only(text, "indirect")
    assert (q.speaker.name, q.speaker.kind) == ("Rand Paul", "person")


def test_added_or_reported_with_a_noun_object_is_no_report() -> None:
    for text in ("Meridian Air will add 12 international routes next summer.",
                 "Brightwell Stores reported a 14 percent drop in quarterly profit on Wednesday."):
        assert not quotes_of(text), text
    q = only("Brightwell Stores reported it sold fewer coats than a year earlier.", "indirect")
    assert q.text.startswith("it sold fewer coats")


def test_says_the_description_then_the_name_is_the_name() -> None:
    text = "“Students told us they had nowhere quiet to work,” says the library's director, Owen Pratt."
    q = only(text, "direct")
    assert (q.speaker.name, q.speaker.title) == ("Owen Pratt", "the library's director")


def test_the_company_is_the_body_named_as_a_recent_subject() -> None:
    text = ("Layoffs at a software maker\n\nQuillon Software cut 300 jobs on Tuesday. "
            "The company said affected employees would receive at least 16 weeks of pay.")
    q = only(text, "indirect")
    assert (q.speaker.name, q.speaker.kind) == ("Quillon Software", "organization")


def test_their_statement_speaks_for_the_group_named_before() -> None:
    text = "The family of Marcus Dill spoke on Sunday. Their statement said the police had failed him."
    q = only(text, "indirect")
    assert q.speaker.kind == "group" and "family" in q.speaker.name


def test_a_role_with_its_body_closes_a_report() -> None:
    text = "The road to the dam was closed on Monday, an official with the relief group Aidline said."
    q = only(text, "indirect")
    assert (q.text, q.speaker.name) == ("The road to the dam was closed on Monday",
                                        "an official with the relief group Aidline")


def test_a_spokeswoman_for_a_body_still_speaks_for_it() -> None:
    q = only("The video broke its rules, a spokeswoman for Streamly said on Monday.", "indirect")
    assert q.speaker.name == "Streamly"


def test_the_clause_ends_before_the_subjects_next_act() -> None:
    q = only("Police believe the suspect may have had help, and are asking anyone with information to call.",
             "indirect")
    assert q.text == "the suspect may have had help"


def test_conceded_a_race_is_no_report() -> None:
    assert not quotes_of("Mayor Howard Klein conceded the mayoral race on Wednesday morning.")
    assert only("Mayor Howard Klein conceded that the count was fair.", "indirect").text.startswith("that the count")


def test_in_her_words_attributes_the_quote() -> None:
    text = "Ana Ruiz spoke last. In her words, the council “has lost its way on housing.”"
    assert only(text, "direct").speaker.name == "Ana Ruiz"


@pytest.mark.parametrize("text,said,speaker", [
    ("Markets expected the move. Economists at two large banks said they now see the first cut in March.",
     "they now see the first cut in March", "Economists at two large banks"),
    ("The insurers' trade group, the Coastal Health Plans Association, warned that the cap could raise premiums.",
     "that the cap could raise premiums", "Coastal Health Plans Association"),
])
def test_a_group_or_body_described_before_its_verb(text: str, said: str, speaker: str) -> None:
    q = only(text, "indirect")
    assert (q.text, q.speaker.name) == (said, speaker)


def test_a_closing_report_after_a_colon_reports_what_follows_it() -> None:
    # the name before the colon is the subject, not part of what was said, so "she" can find her
    text = ("Ecologist Marta Lind is doubtful of that account: the fish pass was checked last spring and "
            "worked, she said.")
    (q,) = [q for q in quotes_of(text) if q.kind == "indirect"]
    assert q.text == "the fish pass was checked last spring and worked"
    assert "Marta Lind" in q.speaker.name


def test_who_after_a_name_and_its_appositive_is_the_person() -> None:
    text = ("The leak was spotted by Tove Aalund, an independent network engineer, who said she warned the "
            "operator in May.")
    (q,) = [q for q in quotes_of(text) if q.kind == "indirect"]
    assert q.speaker.name == "Tove Aalund" and q.speaker.kind == "person"


@pytest.mark.parametrize(("text", "said"), [
    # "A, she said, but B": B has its own subject, so it goes on with what she said
    ("Ines Roca chairs the board. The plan is sound, she said, but the money will run out by June.",
     "The plan is sound, she said, but the money will run out by June"),
    # "…, she said, but declined …": her next act, not her words
    ("Ines Roca chairs the board. The plan is sound, she said, but declined to say more.", "The plan is sound"),
])
def test_a_report_interrupted_by_its_attribution(text: str, said: str) -> None:
    (q,) = [q for q in quotes_of(text) if q.kind == "indirect"]
    assert q.text == said and q.speaker.name == "Ines Roca"


@pytest.mark.parametrize(("text", "name"), [
    ("The streaming service Vidora said it would raise its prices in March.", "Vidora"),
    ("The relief group Aidline said the convoy was turned back at the border.", "Aidline"),
])
def test_a_name_after_a_noun_for_a_body_is_that_body(text: str, name: str) -> None:
    (q,) = quotes_of(text)
    assert (q.speaker.name, q.speaker.kind) == (name, "organization")
