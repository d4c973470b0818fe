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


@pytest.mark.parametrize(
    "sentence",
    [
        # "could" of ability, purpose, condition and comparison
        "The mayor left early so she could attend the hearing.",
        "She resigned so that the board could appoint a successor.",
        "Even if the prisoners could vote, they would be too few to matter.",
        "He would change the rules if he could.",
        "The chief earned more in a year than his drivers could earn in a decade.",
        "Nor could the company locate the shipment.",
        "By noon the crew could barely keep the pumps running.",
        "The council could no longer pay its staff.",
        "The family could afford a lawyer.",
        "It was the best outcome the coach could possibly imagine.",
        "The memoir is a study of what could have been.",
        "She asked whether the ferry could leave before dark.",
        "Reporters asked if the minister might resign.",
        # "may"/"might" that remind or concede
        "Readers may recall the scandal of 2009.",
        "As strange as it may seem, the bridge was built twice.",
        "Police will act against crime wherever it may occur.",
        "Whatever the reasons may be, the plant closed.",
        "It may come as a surprise that the lake is man-made.",
        # "likely" of pollsters and surveys
        "The survey of 800 likely voters has a margin of error of 3 points.",
        "Clinton led among likely Democratic primary voters.",
        "Older respondents were far more likely to own a home.",
        "Rural voters are slightly more likely to back the measure.",
        "Nobody has ever suggested that to me.",
        "The strike created an unlikely alliance of farmers and bankers.",
        "It was the culmination of an unlikely political alliance.",
        "The tax is aimed at discouraging speculation.",
        "They believe that the deal will hold.",
        # "insiders" as the establishment, "Insider" as a title
        "He campaigned against party insiders and lobbyists.",
        "She told Business Insider that sales had doubled.",
        # "apparent" as "evident"
        "The damage was apparent from the air.",
        "The gap between the two teams became readily apparent.",
        # "speculation" of money
        "The levy is meant to discourage financial speculation.",
        "The ad appeared over the weekend.",
        "Land speculation drove prices up along the coast.",
        # "suggest" as "propose"; "believe that" with a pronoun; "held" of an event
        "The mayor suggested raising the parking fee.",
        "I simply do not believe that.",
        "The gala was named for the hall where it was held on Friday.",
        "It was considered in committee last week.",
        # confirmation as a vote, "prove" as "turn out", "not known for"
        "The Senate should not confirm the nominee, the leader said.",
        "The nominee will not be confirmed before the recess.",
        "The airline is not known for its punctuality.",
        "Out of a possible 100 points, the school scored 91.",
        "We will bring as many voters as is possible.",
        "She cut the budget so the new ward managers could hire nurses.",
        "The fare is higher than most commuters could pay.",
        "Nobody asks what it could have been.",
        "The clerk could only shrug.",
        "Nothing could change her mind.",
        "The coal was piled as high as it could go.",
        "The clip became the most widely seen record of the arrest.",
        "The mayor could have done more to warn residents.",
        "The collapse could have been avoided.",
        "He couldn't possibly have been happier.",
        "It is possible to grow rice in the valley.",
        "The Senate Leader Theresa May Has Resigned.",
        # a question asks; it does not hedge a claim
        "Could the talks collapse before Friday?",
        "Is a recession likely next year?",
        "Could an 'accident' derail the merger?",
    ],
)
def test_news_words_that_are_not_doubt_in_context(sentence: str) -> None:
    assert find_cues(sentence) == []


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # the modals that stay hedges next to the exceptions above
        ("The storm is so strong it could flatten the pier.", [("could", "hedge")]),
        ("So the deal could still collapse.", [("could", "hedge")]),
        ("If the talks fail, the strike could last weeks.", [("could", "hedge")]),
        ("Higher rates could make the loan more expensive than buyers expect.", [("could", "hedge")]),
        ("The dam may fail, engineers warned, as the water rises.", [("may", "hedge")]),
        ("Voters are likely to reject the measure.", [("likely", "hedge")]),
        ("It is unlikely any candidate will reach the threshold.", [("unlikely", "hedge")]),
        ("The leak was meant to curb speculation about his health.", [("speculation", "unverified")]),
        ("Investigators believe the fire was set deliberately.", [("Investigators believe", "hedge")]),
        ("He is the likely nominee.", [("likely", "hedge")]),
        ("The mayor is widely seen as a reformer.", [("widely seen as", "weasel")]),
        ("The senator is more likely to win than his rival.", [("likely", "hedge")]),
        ("Officials suggested that the fire was deliberate.", [("suggested that", "hedge")]),
        ("Police are investigating an apparent arson attack.", [("apparent", "hedge")]),
        ("It is possible that the fire started in the kitchen.", [("It is possible", "hedge")]),
        ("The fire could have started in the kitchen.", [("could have", "hedge")]),
        ("Nobody knows how many jobs might be lost.", [("might", "hedge")]),
        ("Investors May Have Sold Too Soon.", [("May", "hedge")]),
        ("Ticket Sales May Not Recover This Year.", [("May Not", "hedge")]),
        ("The forecast is highly speculative.", [("is highly speculative", "unverified")]),
        ("It's not clear why the talks stalled.", [("It's not clear", "unverified")]),
        ("It’s still unclear who fired first.", [("It’s still unclear", "unverified")]),
        ("Both premises look increasingly dubious.", [("look increasingly dubious", "hedge")]),
        ("The figures are of dubious origin.", [("dubious origin", "hedge")]),
        ("He is a man of dubious loyalty.", [("of dubious", "hedge")]),
        ("She was dubious at first but joined the club.", []),
        ("The bank made speculative bets on bonds.", []),
        ("A man claiming allegiance to the group opened fire.", [("claiming allegiance", "reported")]),
        ("The former aide claims he was fired for speaking out.", [("claims", "reported")]),
        ("The forecast appeared accurate at first.", [("appeared accurate", "hedge")]),
        ("The coach appears somewhat uneasy about the trade.", [("appears somewhat uneasy", "hedge")]),
        ("A late comeback is still possible.", [("is still possible", "hedge")]),
        ("The governor would not rule out a run.", [("would not rule out", "hedge")]),
        ("The analyst cited reports that the plant will close.", [("cited reports that", "reported")]),
        ("The board's reports that track spending are public.", []),
        ("Donors are left wondering whether the party might split.",
         [("wondering whether", "hedge"), ("might", "hedge")]),
        ("Many economists believe the rate cut came too late.", [("Many economists believe", "weasel")]),
        # a question in a quote later in the sentence is the speaker's, not the cue's clause's
        ('The mayor seemed angry, asking the crowd, "Who let this happen?"', [("seemed", "hedge")]),
        ("Many owners seem to be hoping (praying?) for rain.", [("seem", "hedge")]),
        # "appear" with an adjective, and "it appears" before a clause
        ("The rebels appeared ready to withdraw.", [("appeared ready", "hedge")]),
        ("Party leaders appear determined to block the bill.", [("appear determined", "hedge")]),
        ("It appears the fire started in the kitchen.", [("It appears", "hedge")]),
        ("It appears, though, that nobody was hurt.", [("It appears", "hedge")]),
        ("It appeared on the evening news.", []),
        # a speaker's aside hedges the clause
        ('"The plan, I think, will cost more," she said.', [("I think", "hedge")]),
        ('"He was born abroad, I believe."', [("I believe", "hedge")]),
        ('"I think the plan is good," she said.', []),
        # unnamed sources behind "according to"
        ("The minister will resign, according to a senior government official.",
         [("according to a senior government official", "anonymous")]),
        ("The vote was delayed, according to two aides.", [("according to two aides", "anonymous")]),
        ("The system was hacked, according to officials familiar with the inquiry.",
         [("according to officials", "anonymous")]),
        ("The meeting ended early, according to people in the room.", [("according to people", "anonymous")]),
        ("Turnout rose, according to state election officials.", []),
        ("Sales rose 4 percent, according to a company filing.", []),
        ("Sales rose, according to a fact sheet the lawmakers released.", []),
        # "insiders" as sources
        ("Party insiders said the leader would step down.", [("insiders said", "anonymous")]),
        ("Insiders: the merger is off.", [("Insiders", "anonymous")]),
        # reports and claims at second hand
        ("The rally was cancelled, according to published reports.",
         [("according to published reports", "reported")]),
        ("The team denied claims of doping.", [("claims of", "reported")]),
        ("The group issued a claim of responsibility.", []),
    ],
)
def test_news_cues_in_context(sentence: str, expected: list[tuple[str, str]]) -> None:
    assert [(c.text, c.type) for c in find_cues(sentence)] == expected


def test_a_hedge_inside_a_direct_quote_is_still_flagged() -> None:
    # The article reports the speaker's hedged words; the flag points at them and the quote names the speaker.
    text = '"The bridge may not survive another winter," the county engineer said. It was built in 1931.'
    sentences = splitter.split(text)
    flags = find_flags(text, sentences, [])
    assert [(f.sentence_id, f.level, [c.text for c in f.cues]) for f in flags] == [(0, "hedged", ["may not"])]
