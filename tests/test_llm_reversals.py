"""Model prose that says the opposite of the article is never shown; model quotes that do not hold give way
to the offline engine's quote over the same words; items cited one sentence off are found."""

from __future__ import annotations

import json

import pytest

from bot.analysis import offline
from bot.analysis import sentences as splitter
from bot.analysis.grounding import ground
from bot.analysis.grounding_polarity import check
from bot.analysis.llm_schema import AnswerV1
from tests.fakes.fake_openai import answer
from tests.test_llm_answers import ARTICLE, GOOD, article, engine

# The three reversals a model made of the seed article, re-created on this repo's own article: a doubt
# ("no clear evidence that …"), a negative verb ("had shied away from …") and an invented confirmation.
REVERSED_CLAIMS = [
    {"text": "Port managers knew about the collapse risk in advance.", "sentence_ids": [3],
     "source": "author", "source_kind": "author"},
    {"text": "Mayor Ines Darrow has been openly criticising the authority.", "sentence_ids": [11],
     "source": "author", "source_kind": "author"},
    {"text": "Dock workers confirmed that Brightline skipped two safety checks on the pier.", "sentence_ids": [8],
     "source": "Dock workers", "source_kind": "group"},
]
REVERSED_SUMMARY = [
    {"text": "Port managers knew about the collapse risk in advance.", "sentence_ids": [3]},
    {"text": "Mayor Ines Darrow openly criticised the port authority.", "sentence_ids": [11]},
    {"text": "Brightline skipped two safety checks on the pier.", "sentence_ids": [8]},
]


def shown_prose(a) -> list[str]:
    return [c.text for c in a.claims] + [s.text for s in a.summary]


async def test_reversed_claims_and_summary_lines_are_never_shown(fake):
    reply = json.loads(json.dumps(GOOD))
    reply["claims"] += REVERSED_CLAIMS
    reply["summary"] += REVERSED_SUMMARY
    fake.enqueue(answer(reply))
    a = await engine(fake).analyze(article())
    assert a.engine.name == "openai"
    for item in REVERSED_CLAIMS + REVERSED_SUMMARY:
        assert item["text"] not in shown_prose(a)
    assert [c.text for c in a.claims] == [c["text"] for c in GOOD["claims"]]  # the faithful ones stay
    assert len(a.summary) == len(GOOD["summary"])
    joined = " | ".join(a.warnings)
    assert "3 model claims dropped: they say the opposite of the cited sentences" in joined
    assert "3 model summary lines dropped: they say the opposite of the cited sentences" in joined


async def test_a_claim_that_leaves_out_the_texts_doubt_shows_the_texts_status_and_cue(fake):
    reply = json.loads(json.dumps(GOOD))
    reply["claims"] = [{"text": "Brightline skipped two safety checks on the pier.", "sentence_ids": [8],
                        "source": "Dock workers", "source_kind": "group"}]
    fake.enqueue(answer(reply))
    a = await engine(fake).analyze(article())
    [claim] = a.claims
    assert claim.status == "unconfirmed" and [c.text for c in claim.cues] == ["have claimed"]
    assert claim.source.name == "Dock workers"


async def test_faithful_negations_and_attributed_doubt_are_kept(fake):
    faithful = [
        {"text": "There is no clear evidence that port managers knew about the collapse risk in advance.",
         "sentence_ids": [3], "source": "author", "source_kind": "author"},
        {"text": "Mayor Ines Darrow avoided openly criticising the authority.", "sentence_ids": [11],
         "source": "author", "source_kind": "author"},
        {"text": "The dockworkers' union is working hard to press its case.", "sentence_ids": [3],
         "source": "author", "source_kind": "author"},
    ]
    summary = [{"text": "Dock workers say Brightline skipped two safety checks on the pier.", "sentence_ids": [8]}]
    fake.enqueue(answer({**GOOD, "claims": faithful, "summary": summary}))
    a = await engine(fake).analyze(article())
    assert [c.text for c in a.claims] == [c["text"] for c in faithful]
    assert [s.text for s in a.summary] == [summary[0]["text"]]


SENTENCE = ("While there is no clear evidence that the mill owners knew about the flood in advance, the "
            "town is working hard to take advantage. Its goal is stoking the dispute, not settling it. The "
            "outcome could not have been better for the mayor.")


@pytest.mark.parametrize(
    "line, reversed_",
    [("The mill owners knew about the flood in advance.", True),
     ("No evidence shows the mill owners knew about the flood in advance.", False),
     ("The town is working hard to take advantage of the flood.", False),
     ("Its goal is settling the dispute.", True),
     ("Its goal is stoking the dispute.", False),
     ("The outcome was good for the mayor.", False),
     ("The town confirmed the owners knew about the flood.", True)],
)
def test_polarity_follows_the_scope_of_the_cue(line, reversed_):
    spans = [(s.start, s.end) for s in splitter.split(SENTENCE)]
    assert bool(check(line, SENTENCE, spans, doubt_drops=True).reversed) is reversed_


@pytest.mark.parametrize(
    "line, sentence, reversed_",
    [("The cause of the fire is still unknown.", "Officials still don't know the cause of the fire.", False),
     ("Officials know the cause of the fire.", "Officials still don't know the cause of the fire.", True),
     ("The ferry's safety record remains unconfirmed.", "The ferry's safety record remains unconfirmed.", False),
     ("The ferry was not inspected.", "The ferry was inspected in May.", True),
     ("The hull may have cracked in the storm.",
      "A diver, who was not part of the crew, said the hull may have cracked in the storm.", False),
     ("The repair fund is sitting in an account doing nothing.",
      "\"The repair fund is sitting in an account doing nothing. Spend it.\"", False)],
)
def test_a_lines_own_negation_needs_one_in_the_text(line, sentence, reversed_):
    assert bool(check(line, sentence, [(0, len(sentence))], doubt_drops=False).reversed) is reversed_


# Offline stand-ins and neighbours ------------------------------------------------------------------


async def test_a_model_quote_shortened_with_an_ellipsis_gives_way_to_the_offline_quote(fake):
    reply = json.loads(json.dumps(GOOD))
    reply["quotes"].append({"speaker": "Marta Quill", "speaker_title": None, "speaker_kind": "person",
                            "text": "I think that many residents will agree with me … the failure of the port's "
                                    "leadership on safety", "kind": "direct", "sentence_id": 12})
    reply["quotes"][1]["text"] = reply["quotes"][1]["text"].replace("next pier", "next bridge")  # a slip
    fake.enqueue(answer(reply))
    a = await engine(fake).analyze(article())
    texts = [q.text for q in a.quotes]
    assert "I think that many residents will agree with me that this is a clear example of the failure of the " \
           "port's leadership on safety" in texts
    assert "the only question is whether the next pier falls before or after the repairs are paid for." in texts
    assert GOOD["quotes"][0]["text"] in texts  # the model's own good quote is still there
    assert {q.speaker.name for q in a.quotes} == {"Marta Quill", "Tomas Ilves"}
    assert any("2 model direct quotes replaced by the offline engine's quote over the same words" in w
               for w in a.warnings)
    for q in a.quotes:
        assert a.text[q.start : q.end] == q.text


def test_flags_claims_and_indirect_quotes_cited_one_sentence_off_are_found():
    sentences = splitter.split(ARTICLE)
    base = offline.analyze(article())
    off_by_one = AnswerV1.model_validate({
        "kind": "news",
        "claims": [{"text": "The harbor fund paid the contractor twice for the same work.", "sentence_ids": [8],
                    "source": "author", "source_kind": "author"}],
        "quotes": [{"speaker": "city officials", "speaker_kind": "group", "text": "Repairs to the south pier "
                    "remain unconfirmed", "kind": "indirect", "sentence_id": 11}],
        "flags": [{"sentence_id": 8, "cue": "reportedly", "type": "reported"}],
    })
    g = ground(off_by_one, ARTICLE, sentences, offline_quotes=base.quotes, offline_flags=[])
    assert [(c.sentence_ids, c.status) for c in g.claims] == [([9], "unconfirmed")]
    assert [(q.sentence_id, q.speaker.name) for q in g.quotes] == [(10, "city officials")]
    assert [(f.sentence_id, [c.text for c in f.cues]) for f in g.flags] == [(9, ["reportedly"])]
    assert g.warnings == [] and g.kept == {"claims": 1, "quotes": 1, "flags": 1, "summary": 0}


@pytest.mark.parametrize("cue", ["is expected to", "have not been tested in court", "asking not to be named",
                                 "party officials privately worry", "have not ruled out", "no one is sure why",
                                 "theory", "some retail analysts consider", "70 percent chance"])
def test_cues_of_doubt_a_careful_reader_marks_are_accepted_from_the_model(cue):
    from bot.analysis.grounding import _doubtful

    assert _doubtful(cue)
