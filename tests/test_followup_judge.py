"""The model's follow-up judge (bot/analysis/followup_judge.py) against the fake OpenAI-compatible server:
what it sends, how its judgements are grounded in the new article, when the offline rules decide instead,
its prompt files, and its measurement on the eval pairs with a perfect and a noisy fake model."""

from __future__ import annotations

import asyncio
import logging

from bot.analysis import followup_judge as fj
from bot.analysis import followup_prompt as fp
from bot.analysis import offline, prompts
from bot.analysis.llm import ENGINE_NAME
from bot.analysis.model import Engine
from bot.eval.followups import load_pairs
from bot.eval.followups_llm import judge_pairs, report
from bot.fetch.extract import article_from_text
from bot.memory.followups import follow_up, watched
from tests.fakes import followup_models
from tests.fakes.fake_openai import FakeOpenAI, answer, error, refuse_json_schema
from tests.test_llm import engine

EARLIER = "Carver Motors will reportedly close its Dayton assembly plant by the end of the year. About 1,200 people work at the site."
CONFIRMS = ("Carver Motors confirmed it will close the Dayton assembly plant in December. The company said the "
            "1,200 workers would be offered jobs elsewhere. Shares rose.")
SENTENCE = "Carver Motors confirmed it will close the Dayton assembly plant in December."
# Offline, "confirmed" decides this one, though the council confirmed something else (eval pair h02).
KESSEL = "The Kessel city council is said to be planning to sell the old harbour warehouses to a hotel chain."
KESSEL_LATER = ("The Kessel city council confirmed that the old harbour warehouses need a new roof. Repairs will "
                "cost about 2 million euros.")


def analysed(text: str, by_model: bool = True):
    a = offline.analyze(article_from_text(text), "x")
    return a.model_copy(update={"engine": Engine(name="openai")}) if by_model else a


def claims(text: str = EARLIER) -> list:
    return [("earlier", c) for c in watched(analysed(text))]


def said(*judgements: dict) -> object:
    return answer({"judgements": list(judgements)})


def j(decision: str = "confirmed", sentence: str = SENTENCE, words: str = "confirmed", claim: str = "C1") -> dict:
    return {"claim_id": claim, "decision": decision, "sentence": sentence, "decisive_words": words}


async def judged(fake: FakeOpenAI, *replies, earlier: str = EARLIER, later: str = CONFIRMS, **env):
    fake.enqueue(*replies)
    stats = fj.JudgeStats()
    found = await fj.FollowUpJudge(engine(fake, **env)).decide(claims(earlier), analysed(later), stats)
    return [f for _, f in found], stats


def test_the_prompt_files_load_and_render():
    system, user = prompts.load(fp.PROMPT_ID)
    assert "$boundary" in system and "$claims" in user and "$title" in user
    [(_, claim)] = claims()
    asked = [fp.Asked("C1", claim, fp.candidates(claim, analysed(CONFIRMS)))]
    messages = fp.render(asked, "Carver to close Dayton plant")
    for m in messages:
        assert "$" not in m["content"], "an unrendered placeholder"
    assert [m["role"] for m in messages] == ["system", "user"]
    user_text = messages[1]["content"]
    inside = user_text.split(" BEGIN DATA")[1].split(" END DATA")[0]
    assert "[C1] Claim (flagged unconfirmed in an earlier article): Carver Motors will reportedly close" in inside
    assert f"  [S0] {SENTENCE}" in inside and "New article title: Carver to close Dayton plant" in inside
    assert "offered jobs elsewhere" not in user_text and "Shares rose" not in user_text  # not candidates
    marker = user_text.split(" BEGIN DATA")[0].rsplit("\n", 1)[-1]
    assert marker.startswith("<<<ARTICLE-") and marker in messages[0]["content"]  # named in the rules
    for word in ("confirmed", "disputed", "unconfirmed", "nothing", "decisive_words", "JSON"):
        assert word in messages[0]["content"]


def test_the_json_schema_and_the_pydantic_model_agree():
    item = fp.JUDGEMENT_JSON_SCHEMA["properties"]["judgements"]["items"]
    assert set(item["required"]) == set(fp.JudgementV1.model_fields)
    assert item["properties"]["decision"]["enum"] == list(fp.DECISIONS)
    assert fj.MODEL_ENGINE == ENGINE_NAME


async def test_a_grounded_judgement_becomes_the_follow_up(fake):
    [found], stats = await judged(fake, said(j()))
    assert (found.decision, found.sentence, found.cues) == ("confirmed", SENTENCE, ("confirmed",))
    [request] = fake.requests
    assert request["response_format"]["json_schema"]["name"] == "newsbot_followup_v1"
    assert stats.asked == 1 and stats.posted["confirmed"] == 1 and stats.input_tokens > 0


async def test_a_server_without_structured_outputs_is_asked_in_json_mode(fake):
    fake.default = refuse_json_schema(said(j()))
    [found], _ = await judged(fake)
    assert found.decision == "confirmed"
    assert [r.get("response_format", {}).get("type") for r in fake.requests] == ["json_schema", "json_object"]


async def test_a_near_verbatim_sentence_is_replaced_by_the_articles_own(fake):
    loose = "carver motors “confirmed” it will close the Dayton  assembly plant in december"
    [found], _ = await judged(fake, said(j(sentence=loose, words="CONFIRMED")))
    assert found.sentence == SENTENCE and found.cues == ("confirmed",)  # the article's text, its casing


async def test_a_sentence_not_in_the_article_is_dropped(fake):
    found, stats = await judged(fake, said(j(sentence="Carver Motors has confirmed that Dayton will close soon.")))
    assert found == [] and stats.dropped == {"sentence not in the new article": 1}


async def test_decisive_words_not_in_the_sentence_are_dropped(fake):
    found, stats = await judged(fake, said(j(words="officially announced")))
    assert found == [] and stats.dropped == {"decisive words not in the sentence": 1}
    found, stats = await judged(fake, said(j(words="Carver Motors")))  # in it, but not what decides it
    assert found == [] and stats.dropped == {"decisive words miss the sentence's cue words": 1}


async def test_unknown_claim_ids_decisions_and_malformed_items_are_dropped(fake):
    bad = {"claim_id": "C1", "decision": "confirmed"} | {"sentence": ["not", "a", "string"]}
    found, stats = await judged(fake, said(j(claim="C7"), j(decision="probably"), bad))
    assert found == []
    assert stats.dropped == {"claim id not asked about": 1, "unknown decision": 1, "did not fit the schema": 1}


async def test_the_sentences_own_cues_overrule_the_model(fake):
    later = "Carver Motors has not confirmed it will close the Dayton assembly plant in December."
    found, stats = await judged(fake, said(j(sentence=later)), later=later)
    assert found == [] and stats.dropped == {"the sentence's cue words say otherwise": 1}


async def test_disagreeing_judgements_of_one_claim_post_nothing(fake):
    found, stats = await judged(fake, said(j(), j(decision="nothing", sentence="", words="")))
    assert found == [] and stats.dropped["judgements of one claim disagree"] == 2


async def test_the_model_saying_nothing_overrides_the_offline_rules(fake):
    [(_, claim)] = claims(KESSEL)
    assert follow_up(claim, analysed(KESSEL_LATER)) is not None  # offline, this pair gets an update
    found, stats = await judged(fake, said(j(decision="nothing", sentence="", words="")), earlier=KESSEL,
                                later=KESSEL_LATER)
    assert found == [] and stats.nothing == 1


async def test_a_confirmation_without_a_lexicon_cue_stands_on_its_decisive_words(fake):
    later = "Carver Motors will close the Dayton assembly plant in December, a company filing shows."
    [found], _ = await judged(fake, said(j(sentence=later, words="a company filing shows")), later=later)
    assert found.cues == ("a company filing shows",) and found.sentence == later


async def test_a_failed_model_call_falls_back_to_the_offline_rules_logged_once(fake, caplog):
    caplog.set_level(logging.WARNING)
    found, stats = await judged(fake, *[error(500, "boom")] * 3, OPENAI_MAX_RETRIES="2")
    assert [f.decision for f in found] == ["confirmed"] and stats.offline == 1
    assert fake.calls == 3
    assert len([r for r in caplog.records if "fell back to the offline rules" in r.message]) == 1


async def test_malformed_twice_falls_back_too(fake):
    found, stats = await judged(fake, answer("no idea"), answer("still none"))
    assert [f.decision for f in found] == ["confirmed"] and stats.offline == 1 and fake.calls == 2
    assert "could not be used" in fake.requests[1]["messages"][-1]["content"]


async def test_no_budget_left_falls_back_without_a_request(fake):
    found, stats = await judged(fake, said(j()), NEWSBOT_DAILY_TOKEN_BUDGET="10")
    assert [f.decision for f in found] == ["confirmed"] and stats.offline == 1 and fake.calls == 0


async def test_only_pairs_the_model_read_both_of_go_to_it(fake):
    judge = fj.FollowUpJudge(engine(fake))
    fake.default = said(j(decision="nothing", sentence="", words=""))
    # the new article answered offline (a private channel, a channel set offline): the rules decide
    found = await fj.decide(claims(), analysed(CONFIRMS, by_model=False), judge)
    assert [f.decision for _, f in found] == ["confirmed"] and fake.calls == 0
    # the earlier article answered offline: its claim is not sent either
    offline_claims = [("earlier", c) for c in watched(analysed(EARLIER, by_model=False))]
    found = await fj.decide(offline_claims, analysed(CONFIRMS), judge)
    assert [f.decision for _, f in found] == ["confirmed"] and fake.calls == 0
    # no judge configured
    assert len(await fj.decide(claims(), analysed(CONFIRMS), None)) == 1 and fake.calls == 0
    # both read by the model: it decides, here that nothing follows
    assert await fj.decide(claims(), analysed(CONFIRMS), judge) == [] and fake.calls == 1


async def test_a_claim_without_candidate_sentences_is_not_sent(fake):
    found, stats = await judged(fake, later="Deliveries of the electric pickup start in spring. Prices rose.")
    assert found == [] and stats.asked == 0 and fake.calls == 0


async def test_the_eval_pairs_with_a_perfect_and_a_noisy_fake_model(fake):
    pairs = load_pairs()
    fake.default = followup_models.model(pairs)
    perfect = await judge_pairs(pairs, engine(fake))
    assert perfect.grounded.precision == perfect.grounded.recall == 1.0
    fake.default = followup_models.model(pairs, noisy=True)
    noisy = await judge_pairs(pairs, engine(fake))
    # grounding drops what a careless model makes up; what it cannot catch is a real sentence confirming
    # something else with its own cue word
    assert noisy.grounded.precision > noisy.raw.precision + 0.1
    assert noisy.grounded.made < noisy.raw.made and sum(noisy.stats.dropped.values()) >= 20
    text = "\n".join(report(noisy, len(pairs)))
    assert "judge, grounded: P " in text and "dropped sentence not in the new article" in text


async def test_make_eval_llm_measures_the_judge_on_pairs(fake, monkeypatch, capsys):
    from bot.analysis import llm_eval

    pairs = load_pairs()
    fake.default = followup_models.model(pairs)
    monkeypatch.setenv("OPENAI_BASE_URL", fake.base_url)
    monkeypatch.setenv("OPENAI_MODEL", "tiny-model")
    code = await asyncio.to_thread(llm_eval.main, ["--followups", "--limit", "5"])
    out = capsys.readouterr().out
    assert code == 0 and "5 follow-up pairs of pairs.jsonl" in out
    assert "follow-ups on 5 pairs, judge, grounded: P 1.000 R 1.000" in out
    assert fake.requests[0]["messages"][1]["content"].count("[C1]") == 1  # one pair, one claim a request
