"""Quotes and speakers from the offline engine: one row per news layout, then whole articles."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.analysis import sentences
from bot.analysis.model import Quote
from bot.analysis.offline.quotes import find_quotes

FIXTURES = Path(__file__).parent / "fixtures" / "articles"
SEED = Path(__file__).resolve().parents[1].parent / "shared" / "seeds" / "000_b74ca9f533ef9b34.txt"


def quotes_of(text: str) -> list[Quote]:
    found = find_quotes(text, sentences.split(text))
    for q in found:
        assert text[q.start:q.end] == q.text
        if q.cue:
            assert text[q.cue.start:q.cue.end] == q.cue.text
    return found


def only(text: str, kind: str) -> Quote:
    found = [q for q in quotes_of(text) if q.kind == kind]
    assert len(found) == 1, found
    return found[0]


DIRECT_LAYOUTS = [
    # (article text, expected quote text, expected speaker name, expected cue)
    ('"We will not back down," Smith said.', "We will not back down", "Smith", "said"),
    ('"We will not back down," said Jane Smith.', "We will not back down", "Jane Smith", "said"),
    ('Jane Smith said: "We will not back down."', "We will not back down.", "Jane Smith", "said"),
    ('Jane Smith said, "We will not back down."', "We will not back down.", "Jane Smith", "said"),
    ("“We will not back down,” Smith told reporters.", "We will not back down", "Smith", "told reporters"),
    ("“We will not back down” — Jane Smith", "We will not back down", "Jane Smith", "—"),
    ("“We will not back down,” according to Jane Smith.", "We will not back down", "Jane Smith",
     "according to"),
    ("As Jane Smith said in a speech last week, “the only way out is through.”",
     "the only way out is through.", "Jane Smith", "said"),
    ("‘The figures do not add up,’ said Paul Dunmore.", "The figures do not add up", "Paul Dunmore", "said"),
    ("«Nous ne reculerons pas», a dit Smith. Jane Smith added: «Jamais.»", "Jamais.", "Jane Smith", "added"),
]


@pytest.mark.parametrize("text,quote,speaker,cue", DIRECT_LAYOUTS)
def test_direct_layouts(text: str, quote: str, speaker: str, cue: str) -> None:
    found = [q for q in quotes_of(text) if q.kind == "direct" and q.text == quote]
    assert found, quotes_of(text)
    q = found[0]
    assert q.speaker.name == speaker
    assert q.cue is not None and q.cue.text == cue
    assert q.sentence_id == sentences.sentence_at(sentences.split(text), q.start)


def test_pronoun_cue_includes_the_pronoun() -> None:
    text = "Mayor Linda Carver spoke first.\n\n“This is the day,” she said."
    q = only(text, "direct")
    assert q.speaker.name == "Linda Carver" and q.speaker.title == "Mayor"
    assert q.cue is not None and q.cue.text == "she said"


def test_quote_goes_on_after_its_attribution() -> None:
    text = "Ali Baraka spoke to reporters.\n\n“We are not alone,” he said. “Russia is with us. So is Iran.”"
    direct = [q for q in quotes_of(text) if q.kind == "direct"]
    assert [q.text for q in direct] == ["We are not alone", "Russia is with us. So is Iran."]
    assert {q.speaker.name for q in direct} == {"Ali Baraka"}


def test_quote_over_several_paragraphs_keeps_its_speaker() -> None:
    text = (
        "Senator Maria Lopez took the floor.\n\n"
        "“This bill is about our children and nothing else. I have read every page of it.\n\n"
        "“And I will vote for it tomorrow,” Lopez said."
    )
    direct = [q for q in quotes_of(text) if q.kind == "direct"]
    assert len(direct) == 2
    assert {q.speaker.name for q in direct} == {"Maria Lopez"}
    assert direct[0].text.startswith("This bill") and direct[1].text.startswith("And I will")


def test_paragraph_that_is_only_a_quote_continues_the_last_speaker() -> None:
    text = (
        "“We were seeing patients in the parking lot,” nurse James Okafor said.\n\n"
        "“Nobody asked them to come. They just came, every morning, with mops and buckets.”"
    )
    direct = [q for q in quotes_of(text) if q.kind == "direct"]
    assert len(direct) == 2 and direct[1].speaker.name == "James Okafor"


def test_nested_quote_marks_stay_inside_the_quote() -> None:
    text = "“He told me ‘never again’ and walked out of the room,” said Ana Ruiz."
    q = only(text, "direct")
    assert q.text == "He told me ‘never again’ and walked out of the room"
    assert q.speaker.name == "Ana Ruiz"


@pytest.mark.parametrize("text", [
    "Russia blamed the United States for the “looming war” in the region.",
    "The film “Gone With the Wind” opened in 1939.",
    "The senator, known as “the Hammer,” voted no.",
])
def test_scare_quotes_titles_and_nicknames_are_not_quotes(text: str) -> None:
    assert not [q for q in quotes_of(text) if q.kind == "direct"]


INDIRECT_LAYOUTS = [
    # (text, start of the reported clause, speaker name, speaker kind, cue)
    ("Jane Smith said the plan would fail.", "the plan would fail", "Jane Smith", "person", "said"),
    ("Jane Smith said that the plan would fail.", "that the plan would fail", "Jane Smith", "person", "said"),
    ("Jane Smith told reporters on Monday that the plan would fail.", "that the plan would fail", "Jane Smith",
     "person", "told reporters"),
    ("Ukrainian officials have claimed that Wagner helped train the fighters.",
     "that Wagner helped train", "Ukrainian officials", "group", "claimed"),
    ("The minister denied that any money was missing.", "that any money was missing", "minister", "unnamed",
     "denied"),
    ("According to the Kremlin, the two leaders spoke for an hour.", "the two leaders spoke", "Kremlin",
     "organization", "According to"),
    ("The two leaders spoke for an hour, according to the Kremlin.", "The two leaders spoke", "Kremlin",
     "organization", "according to"),
    ("Reports of direct support remain unconfirmed, U.S. officials told me.", "Reports of direct support",
     "U.S. officials", "group", "told me"),
    ("The talks have stalled, a person familiar with the matter said.", "The talks have stalled",
     "a person familiar with the matter", "unnamed", "said"),
    ("The economy will shrink next year, said Paul Dunmore, chief economist at the bank.",
     "The economy will shrink", "Paul Dunmore", "person", "said"),
    ("Prosecutors argued that the defendant had lied to investigators.", "that the defendant had lied",
     "Prosecutors", "group", "argued"),
    ("Smith warned that prices would rise.", "that prices would rise", "Smith", "person", "warned"),
    # a group no lexicon word heads: a quantifier and "of"
    ("Some of the nurses surveyed said they planned to quit within a year.", "they planned to quit",
     "Some of the nurses surveyed", "group", "said"),
    ("Most of the tenants said their rent had doubled since spring.", "their rent had doubled",
     "Most of the tenants", "group", "said"),
]


@pytest.mark.parametrize("text,clause,speaker,kind,cue", INDIRECT_LAYOUTS)
def test_indirect_layouts(text: str, clause: str, speaker: str, kind: str, cue: str) -> None:
    q = only(text, "indirect")
    assert q.text.startswith(clause), q.text
    assert q.speaker.name.lower().endswith(speaker.lower()) or q.speaker.name == speaker, q.speaker
    assert q.speaker.kind == kind
    assert q.cue is not None and q.cue.text == cue


def test_report_by_an_institute_speaks_for_the_institute() -> None:
    text = ("“These narratives target Western audiences and seek to demoralize Ukrainian society,” stated a "
            "report by the Institute for the Study of War, a Washington think tank.")
    q = only(text, "direct")
    assert q.speaker.name == "Institute for the Study of War" and q.speaker.kind == "organization"


def test_title_and_name_are_split() -> None:
    text = "On Oct. 8, senior Hamas official Ali Baraka praised Russia.\n\n“Russia sympathizes with us,” he said."
    q = only(text, "direct")
    assert (q.speaker.name, q.speaker.title) == ("Ali Baraka", "senior Hamas official")


def test_surname_and_pronoun_resolve_across_paragraphs() -> None:
    text = (
        "Russian President Vladimir Putin spoke to Israeli Prime Minister Benjamin Netanyahu on Monday.\n\n"
        "The call lasted an hour.\n\n"
        "Putin said Russia was ready to help.\n\n"
        "“Many people will agree with me,” he said."
    )
    found = quotes_of(text)
    assert [q.speaker.name for q in found] == ["Vladimir Putin", "Vladimir Putin"]
    assert found[0].speaker.title == "Russian President"


def test_she_skips_a_man_named_in_between() -> None:
    text = (
        "Mrs. Helen Marsh, the education secretary, met Mr. Paul Dunmore on Tuesday.\n\n"
        "“The figures are sound,” she said."
    )
    assert only(text, "direct").speaker.name == "Helen Marsh"


def test_authors_own_voice_is_never_the_speaker() -> None:
    text = "“I had never seen anything like it,” I said. The deal is dead, officials told me."
    found = quotes_of(text)
    assert all(q.speaker.name.lower() not in ("i", "me", "we") for q in found)
    assert [q.speaker.name for q in found] == ["officials"]


def test_ap_style_article() -> None:
    text = (FIXTURES / "quotes_ap_style.txt").read_text()
    found = quotes_of(text)
    by = {(q.kind, q.speaker.name) for q in found}
    assert ("direct", "Linda Carver") in by and ("direct", "Tom Reyes") in by
    assert ("indirect", "Tom Reyes") in by and ("indirect", "Transit officials") in by
    carver = [q for q in found if q.speaker.name == "Linda Carver" and q.kind == "direct"]
    assert len(carver) == 3 and carver[-1].text == "Now we have to deliver."
    assert not any("news conference" in q.text for q in found)  # an adjunct is not a reported clause


def test_british_style_article() -> None:
    text = (FIXTURES / "quotes_british_style.txt").read_text()
    found = quotes_of(text)
    direct = {q.speaker.name: q for q in found if q.kind == "direct"}
    assert set(direct) == {"Helen Marsh", "Paul Dunmore"}
    assert direct["Helen Marsh"].text.startswith("Every school in England")
    assert "National Association of Head Teachers" in (direct["Paul Dunmore"].speaker.title or "")
    assert any(q.kind == "indirect" and q.speaker.name == "Paul Dunmore" for q in found)
    assert not any(q.text == "carefully modelled" for q in found)


def test_magazine_style_article() -> None:
    text = (FIXTURES / "quotes_magazine_style.txt").read_text()
    found = quotes_of(text)
    ruiz = [q for q in found if q.speaker.name == "Ana Ruiz" and q.kind == "direct"]
    okafor = [q for q in found if q.speaker.name == "James Okafor"]
    assert len(ruiz) == 4  # including the two paragraphs that continue her quote
    assert ruiz[0].cue is not None and ruiz[0].cue.text == "told me"
    assert len(okafor) >= 2 and okafor[0].speaker.title == "nurse practitioner"
    anon = [q for q in found if q.speaker.kind in ("group", "unnamed")]
    assert anon and anon[0].speaker.name.startswith("People familiar")


@pytest.mark.skipif(not SEED.exists(), reason="seed article not present")
def test_seed_article() -> None:
    text = SEED.read_text()
    found = quotes_of(text)
    direct = [q for q in found if q.kind == "direct"]
    speakers = {q.speaker.name for q in direct}
    assert {"Ali Baraka", "Institute for the Study of War", "Vladimir Putin", "Volodymyr Zelensky"} <= speakers
    assert len([q for q in direct if q.speaker.name == "Ali Baraka"]) == 2
    titles = {q.speaker.name: q.speaker.title for q in direct}
    assert titles["Ali Baraka"] == "senior Hamas official"
    assert titles["Vladimir Putin"] == "Russian President"
    assert titles["Volodymyr Zelensky"] == "Ukrainian President"
    assert titles["Institute for the Study of War"] == "a Washington think tank"
    indirect = {(q.speaker.name, q.text.split()[0]) for q in found if q.kind == "indirect"}
    assert ("Ali Baraka", "Hamas") in indirect  # the Kalashnikov licences
    assert ("Ukrainian officials", "that") in indirect
    assert ("U.S. officials", "Reports") in indirect
    assert any(q.speaker.name == "Kremlin" and q.cue and q.cue.text == "according to" for q in found)
    assert not any("looming war" == q.text for q in found)


def test_typewriter_quote_marks() -> None:
    text = "''Tell that to the janitor,'' Mr. Joseph Biden said. ``We will win,'' he added."
    direct = [q for q in quotes_of(text) if q.kind == "direct"]
    assert [q.text for q in direct] == ["Tell that to the janitor", "We will win"]
    assert {q.speaker.name for q in direct} == {"Joseph Biden"}


def test_short_quote_after_its_attribution_goes_on_with_the_speaker() -> None:
    text = "John Smith spoke.\n\n“A is here,” he said. “B is there.”"
    direct = [q for q in quotes_of(text) if q.kind == "direct"]
    assert [(q.text, q.speaker.name) for q in direct] == [("A is here", "John Smith"), ("B is there.", "John Smith")]


MORE_INDIRECT = [
    ("Many of the closures, he said, have involved public courses.", "Many of the closures",
     "unidentified speaker"),  # a pronoun with nobody to stand for is never shown as "he"
    ("Almost 650 golf courses have closed since 2006, the group says.", "Almost 650 golf courses", "the group"),
    ("On Tuesday, the company said it would not be able to file its annual statement.", "it would not be able",
     "the company"),
    ("The loss was steep for Mr. Sanders, who said he intended to take a day off.", "he intended to take",
     "Sanders"),
    ("Her husband was free and would soon be coming home, the president told her.", "Her husband was free",
     "the president"),
    # a participle or second verb whose subject no lexicon word heads
    ("The hospitals declined to release any figures, saying they could not discuss patients.",
     "they could not discuss patients", "The hospitals"),
    ("One volunteer at the shelter tried to calm the crowd, saying the beds would be ready by night.",
     "the beds would be ready", "One volunteer"),
    ("The ferry will resume service in April, the port authority said Thursday.", "The ferry will resume",
     "port authority"),
    ("The heat wave had strained the grid, Mayor Ana Ruiz said Tuesday in Fresno, noting two blackouts.",
     "The heat wave had strained", "Ana Ruiz"),
    ("Deliveries slipped by a month, the automaker said.", "Deliveries slipped by a month", "the automaker"),
    ("Mayor Diaz said in an interview with The Press Democrat that the levee would hold.",
     "that the levee would hold", "Diaz"),
    ("Lopez however said the council would vote again in June.", "the council would vote", "Lopez"),
    ("Although the rain has eased, Chief Okafor told reporters the dam was still at risk.",
     "the dam was still at risk", "Okafor"),
    ("The water board said about a third of the wells had run dry.", "about a third of the wells",
     "water board"),
    ("Critics of the zoning plan, however, say it would push rents even higher.", "it would push rents",
     "Critics of the zoning plan"),
    ("Few drivers back the toll, but majorities in both towns say the bridge needs repairs.", "the bridge needs",
     "majorities in both towns"),
    ("The coach waved his players off, and then said the tackle had been fair.", "the tackle had been fair",
     "coach"),
]


@pytest.mark.parametrize("text,clause,speaker", MORE_INDIRECT)
def test_more_indirect_layouts(text: str, clause: str, speaker: str) -> None:
    q = only(text, "indirect")
    assert q.text.startswith(clause), q.text
    assert speaker in q.speaker.name


@pytest.mark.parametrize("text,clause", [
    ("Mayor Ruiz said the budget was sound, while the deficit kept growing each year.", "the budget was sound"),
    ("Ortiz said the vote was fair, compared with the chaos of the last election.", "the vote was fair"),
    ("Lopez said the bridge would reopen in May, and he thanked the crews for their work.",
     "the bridge would reopen in May"),
])
def test_reported_clause_ends_where_the_authors_words_begin(text: str, clause: str) -> None:
    assert only(text, "indirect").text == clause


def test_a_quoted_title_ending_a_sentence_is_not_attributed_to_the_next_subject() -> None:
    text = "He bought the jet, according to his book ''The Art of the Deal.'' Mr. Trump said a smaller jet cost more."
    found = quotes_of(text)
    assert not [q for q in found if q.kind == "direct"]
    assert any(q.kind == "indirect" and q.text.startswith("a smaller jet") for q in found)


def test_a_quote_with_no_speaker_anywhere_is_kept_as_unidentified() -> None:
    text = "The town hall was packed.\n\n“We will not leave until the plant is closed for good,” the crowd heard."
    direct = [q for q in quotes_of(text) if q.kind == "direct"]
    assert len(direct) == 1 and direct[0].speaker.kind == "unnamed"


def test_appositive_title_and_the_company_resolve() -> None:
    text = ("John Smith, the union leader, criticized the plan.\n\n“It is a disaster,” he said.\n\n"
            "Acme Corp. announced on Monday that it would close the plant. The company said the move saved money.")
    found = quotes_of(text)
    assert (found[0].speaker.name, found[0].speaker.title) == ("John Smith", "the union leader")
    assert [q.speaker.name for q in found if q.kind == "indirect"] == ["Acme Corp.", "Acme Corp."]


def test_adjunct_without_a_comma_is_skipped() -> None:
    q = only("Officials said on Tuesday the bridge would reopen in May.", "indirect")
    assert q.text == "the bridge would reopen in May"


@pytest.mark.parametrize("text,expected", [
    ("Prices continued to rise in March.", None),
    ("Senator Lopez believes the plan will fail.", "the plan will fail"),
    ("Senator Lopez believes in the plan.", None),
    ("The mayor praised the firefighters for their work.", None),
])
def test_weak_and_belief_verbs_need_a_clause(text: str, expected: str | None) -> None:
    found = [q.text for q in quotes_of(text) if q.kind == "indirect"]
    assert found == ([expected] if expected else [])


@pytest.mark.parametrize("text", [
    "Russia has never declared Hamas to be a terrorist organization.",
    "The minister did not say whether the talks would resume.",
])
def test_negated_or_object_control_reports_are_not_quotes(text: str) -> None:
    assert not [q for q in quotes_of(text) if q.kind == "indirect"]


def test_wire_style_article() -> None:
    text = (FIXTURES / "quotes_wire_style.txt").read_text()
    found = quotes_of(text)
    direct = [(q.speaker.name, q.text.split()[0]) for q in found if q.kind == "direct"]
    assert direct == [("Samuel Peña", "We"), ("Samuel Peña", "The"), ("Maria Gonzalez", "It"),
                      ("Maria Gonzalez", "I")]
    indirect = [(q.speaker.name, q.speaker.kind, q.text) for q in found if q.kind == "indirect"]
    assert indirect == [
        ("officials", "group", "A fire at a refinery near the Port of Houston forced hundreds of residents to "
                               "leave their homes on Thursday"),  # no dateline
        ("Gulf Coast Refining", "organization", "that all of its employees had been accounted for"),
        ("Gulf Coast Refining", "organization", "the cause of the fire was under investigation"),  # "It said"
        ("hospital spokeswoman", "unnamed", "Two workers were taken to hospital with minor injuries"),
        ("Samuel Peña", "person", "crews expected to contain the blaze by nightfall"),
        ("Environmental Protection Agency", "organization", "it had sent a team to monitor air quality"),
        ("a person familiar with the agency's plans", "unnamed", "results would not be available before Friday"),
    ]
    fire_chief = next(q for q in found if q.speaker.name == "Samuel Peña")
    assert fire_chief.speaker.title == "Fire Chief" and fire_chief.cue and fire_chief.cue.text == "told reporters"


def test_according_to_a_long_source_keeps_the_whole_phrase() -> None:
    q = only("More than half of his advice is wrong, according to the top British medical journal.", "indirect")
    assert q.speaker.name == "top British medical journal" and q.speaker.kind == "organization"


def test_short_partial_quote_with_nobody_to_tie_it_to_is_dropped() -> None:
    text = "The letter was ridiculed for its prediction that he would be “the healthiest individual ever elected.”"
    assert not quotes_of(text)


@pytest.mark.parametrize("text,clause,speaker", [
    ("It is impossible to check every account, law enforcement officials say.", "It is impossible",
     "law enforcement officials"),
    ("The budget office said half of the gap came from tax cuts.", "half of the gap", "The budget office"),
    ("Six newspapers in the state, including the Asbury Park Press, said he was unfit to serve.",
     "he was unfit", "Six newspapers in the state"),
    ("Shoukair was kind and responsible, a Cairo airport official told The New York Times.",
     "Shoukair was kind", "a Cairo airport official"),
])
def test_speaker_phrases_with_lower_case_words(text: str, clause: str, speaker: str) -> None:
    q = only(text, "indirect")
    assert q.text.startswith(clause) and q.speaker.name == speaker, (q.text, q.speaker)


@pytest.mark.parametrize("text", [
    "Fiorina appeared on “Fox and Friends” on Monday, where she was asked about the race.",
    "He once hosted “The Apprentice,” which starred Trump, for NBC.",
    "“Being a dad is my job,” Weiner said on the podcast “Here’s the Thing.”",
])
def test_titles_of_works_are_not_quotes(text: str) -> None:
    assert all(q.text not in ("Fox and Friends", "The Apprentice", "Here’s the Thing.") for q in quotes_of(text))


def test_a_phrase_quoted_inside_reported_speech_stays_in_the_indirect_quote() -> None:
    text = "Addressing the gala on Thursday, Trump said the South has “treated me so well.”"
    found = quotes_of(text)
    assert [(q.kind, q.text) for q in found] == [("indirect", "the South has “treated me so well.”")]


def test_called_it_a_quoted_phrase_is_a_partial_quote_of_the_caller() -> None:
    q = only("Former Gov. Mike Huckabee called Obama’s actions “a blatant, belligerent abuse of power.”", "direct")
    assert q.text == "a blatant, belligerent abuse of power." and q.speaker.name == "Mike Huckabee"


def test_quote_over_lines_that_each_reopen_it() -> None:
    text = "Senator Maria Lopez spoke last.\n“This bill is about our children and nothing else.\n“And I will vote for it,” Lopez said."
    direct = [q for q in quotes_of(text) if q.kind == "direct"]
    assert [q.text.split()[0] for q in direct] == ["This", "And"]
    assert {q.speaker.name for q in direct} == {"Maria Lopez"}


def test_british_single_quotes_with_apostrophes_inside() -> None:
    text = "‘We don’t know what the players’ union will do next,’ said Paul Dunmore."
    q = only(text, "direct")
    assert q.text == "We don’t know what the players’ union will do next" and q.speaker.name == "Paul Dunmore"


MORE_SPEECH_VERBS = [
    # (text, speaker, cue): verbs of manner, inverted after the quote, with a particle, and a firm's name
    ("Mayor Ortiz shot back, “You are fired, and you know it.”", "Ortiz", "shot"),
    ("“Go back to your seat,” Ortiz barked at the heckler.", "Ortiz", "barked"),
    ("“If you ask one more mean question, I may leave the stage,” Ortiz quipped.", "Ortiz", "quipped"),
    ("“Silly boys acting like they have never seen a skater,” scoffed Lena Gil, 22, who founded the club.",
     "Lena Gil", "scoffed"),
    ("Lena Gil cracked, “I am a progressive who likes to get things done.”", "Lena Gil", "cracked"),
    ("Ann Ruiz took questions. She responded on Facebook writing, “Yes, I will stop using that word.”", "Ann Ruiz",
     "writing"),
]


@pytest.mark.parametrize("text,speaker,cue", MORE_SPEECH_VERBS)
def test_more_speech_verbs(text: str, speaker: str | None, cue: str) -> None:
    q = only(text, "direct")
    assert q.cue is not None and q.cue.text == cue
    if speaker is not None:
        assert q.speaker.name == speaker
    assert q.speaker.name.lower() not in ("facebook", "she")


def test_a_quote_inside_a_sentence_with_no_cue_takes_the_sentence_subject() -> None:
    text = ("Mayor Tom Reyes spoke for an hour.\n\n"
            "Ivana Holt signed an agreement barring her from publishing a “diary, memoir, letter, story or any "
            "account of her marriage” without consent.")
    q = only(text, "direct")
    assert q.speaker.name == "Ivana Holt" and q.cue is None


INDIRECT_CUTS = [
    # (text, expected [(speaker, clause start)])
    ("Many prominent Republicans have said they will not attend the convention and others have said they are "
     "not interested in speaking.",
     [("Republicans", "they will not attend the convention"), ("others", "they are not interested")]),
    ("While Comey said there was clear evidence that the aide was careless, he said there was no precedent for a "
     "case like this.",
     [("Comey", "there was clear evidence that the aide was careless"), ("Comey", "there was no precedent")]),
    ("Mrs. Clinton's confidants say it is only fitting that she now faces such an opponent.",
     [("Mrs. Clinton's confidants", "it is only fitting")]),
]


@pytest.mark.parametrize("text,expected", INDIRECT_CUTS)
def test_indirect_clauses_cut_at_a_second_report(text: str, expected: list[tuple[str, str]]) -> None:
    found = [q for q in quotes_of(text) if q.kind == "indirect"]
    assert len(found) == len(expected), found
    assert [(q.speaker.name, q.text[:len(c)]) for q, (_, c) in zip(found, expected, strict=True)] == expected


NOT_REPORTS = [
    # (text, a word that must not be taken as a reporting cue)
    ("She has long held views the State IG report could not corroborate in May.", "report"),
    ("Voters went to the polls in Illinois and Ohio, Rust Belt states that have suffered intensely.", "states"),
    ("But dumping the mayor is easier said than done in a city this size.", "said"),
    ("Though Mr. Lane is gaining ground, Ms. Ortiz maintains a commanding lock on the party's leadership.",
     "maintains"),
    ("Yet as the bank continues gaining momentum, the question is whether it is built to last.", "continues"),
    ("Republican senators have vowed to block the nominee, Judge Tom Hale, meaning that the court stays short.",
     "vowed"),
]


@pytest.mark.parametrize("text,word", NOT_REPORTS)
def test_nouns_and_holdings_are_not_reports(text: str, word: str) -> None:
    assert not [q for q in quotes_of(text) if q.cue is not None and q.cue.text == word], quotes_of(text)


STILL_REPORTS = [
    ("The Daily News claims the union's refusal to support more gun control is itself a form of extremism.",
     "Daily News"),
    ("On the same day, the Washington Post reports that the department issued subpoenas.", "Washington Post"),
    ("Her war vote, which she has repeatedly said was a mistake, was a major factor in her defeat.", None),
]


@pytest.mark.parametrize("text,speaker", STILL_REPORTS)
def test_reports_that_look_like_nouns_stay(text: str, speaker: str | None) -> None:
    found = [q for q in quotes_of(text) if q.kind == "indirect"]
    assert found, text
    if speaker:
        assert found[0].speaker.name == speaker


HEADLINES = [
    # (article opening with a headline, speaker, reported text, cue)
    ("Ortiz: I support statehood for the district.\n\nMaria Ortiz spoke on Monday.", "Maria Ortiz",
     "I support statehood for the district", ":"),
    ("Hacker Guccifer: Mayor’s Server Unprotected, ‘Like an Open Orchid.’\n\nHe spoke to NBC.", "Hacker Guccifer",
     "Mayor’s Server Unprotected, ‘Like an Open Orchid.’", ":"),
    ("Kasich Says He Is Tough Enough To Be President.\n\nJohn Kasich spoke.", "John Kasich",
     "He Is Tough Enough To Be President", "Says"),
]


@pytest.mark.parametrize("text,speaker,said,cue", HEADLINES)
def test_headline_reports(text: str, speaker: str, said: str, cue: str) -> None:
    q = only(text, "indirect")
    assert (q.speaker.name, q.text, q.cue.text if q.cue else None) == (speaker, said, cue)


def test_headline_labels_are_not_speakers() -> None:
    assert not quotes_of("UPDATE: The vote is delayed until Monday.\n\nThe council met.")


CLAUSE_ENDS = [
    # (text, the reported clause, which stops before the author's words or a second report)
    ("Clinton weighed in hours after Sanders said he was “encouraged” by the plan — a modest boost for the mayor.",
     "he was “encouraged” by the plan"),
    ("On Thursday, Ryan said he was not ready to support the campaign, and suggested that the nominee needs to "
     "take the first steps.", "he was not ready to support the campaign"),
    ("Carson said he plans to preview a strategy after Christmas, insisting that leaders are too weak.",
     "he plans to preview a strategy after Christmas"),
    ("Linick said that he considers the matter handled, but he urged the department to review its files.",
     "that he considers the matter handled"),
    ("Podesta, who said the project was vetted by counsel, said he was unaware of any disagreements.",
     "the project was vetted by counsel"),
    ("His campaign said he has not accepted new gigs since announcing his run and suggested that the real "
     "question is ethics.", "he has not accepted new gigs since announcing his run"),
]


@pytest.mark.parametrize("text,clause", CLAUSE_ENDS)
def test_reported_clause_ends_before_the_next_report(text: str, clause: str) -> None:
    found = [q for q in quotes_of(text) if q.kind == "indirect"]
    assert found and found[0].text == clause, found


POLL_AND_DASH_SUBJECTS = [
    ("The party did not get high marks. One in three said the party does not care about the community.",
     [("One in three", "the party does not care")]),
    ("About three in 10 said they prefer a liberal agenda, but six in 10 said they want the policies to go on.",
     [("About three in 10", "they prefer a liberal agenda"), ("six in 10", "they want the policies")]),
    ("Jason Sims — a teacher from Mount Pleasant — says he made a last-minute decision to vote.",
     [("Jason Sims", "he made a last-minute decision")]),
    ("During the past year, the Khans say they have heard rising fears from their friends.",
     [("Khans", "they have heard rising fears")]),
]


@pytest.mark.parametrize("text,expected", POLL_AND_DASH_SUBJECTS)
def test_poll_shares_and_dashed_appositives_speak(text: str, expected: list[tuple[str, str]]) -> None:
    found = [q for q in quotes_of(text) if q.kind == "indirect"]
    assert len(found) == len(expected), found
    assert [(q.speaker.name, q.text[:len(c)]) for q, (_, c) in zip(found, expected, strict=True)] == expected


ACCORDING_INSIDE = [
    # "according to X" inside the sentence it attributes
    ("Last year, according to Human Rights Watch, security forces killed more than 400 protesters.",
     "Human Rights Watch", "Last year, according to Human Rights Watch, security forces killed"),
    ("While most files were marked confidential, according to a department official, two were upgraded.",
     "department official", "two were upgraded"),
    ("But, according to the poll, 46 percent of Republican voters remain undecided.", "the poll",
     "46 percent of Republican voters remain undecided"),
]


@pytest.mark.parametrize("text,speaker,start", ACCORDING_INSIDE)
def test_according_to_inside_the_sentence(text: str, speaker: str, start: str) -> None:
    q = only(text, "indirect")
    assert q.speaker.name == speaker and q.text.startswith(start), q


def test_a_bare_attribution_after_a_closed_sentence() -> None:
    text = "The nominee caused outrage.\n\n“If you are listening, find the emails that are missing.” Trump said."
    q = only(text, "direct")
    assert q.speaker.name == "Trump" and q.cue is not None and q.cue.text == "said"
