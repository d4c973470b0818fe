"""The LLM engine through real HTTP: the openai SDK against a fake OpenAI-compatible server on 127.0.0.1."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from bot.analysis.llm import LLMEngine, answer_fingerprint, today
from bot.analysis.llm_client import ChatClient
from bot.analysis.model import Article, Source
from bot.config import load_settings
from bot.store import Store
from tests.fakes.fake_openai import FakeOpenAI, Reply, answer, error, refuse_json_schema

ARTICLE = (Path(__file__).resolve().parents[1] / "examples" / "article.txt").read_text(encoding="utf-8")

GOOD = {
    "kind": "news",
    "summary": [
        {"text": "Officials told residents of three districts to stop drinking tap water after a chemical leak.",
         "sentence_ids": [1]},
        {"text": "The agency found traces of the solvent at the intake of the treatment works.", "sentence_ids": [10]},
    ],
    "claims": [
        {"text": "An unknown amount of solvent reached the river.", "sentence_ids": [5], "source": "Tomas Reyes",
         "source_kind": "person"},
        {"text": "Residents have begun stockpiling bottled water.", "sentence_ids": [13], "source": "author",
         "source_kind": "author"},
    ],
    "quotes": [
        {"speaker": "Elena Varga", "speaker_title": "Mayor", "speaker_kind": "person",
         "text": "We are not going to take chances with people's health,", "kind": "direct", "sentence_id": 2},
        {"speaker": "Tomas Reyes", "speaker_title": "Agency director", "speaker_kind": "person",
         "text": "crews had sealed the damaged tank by Monday evening", "kind": "indirect", "sentence_id": 5},
    ],
    "flags": [{"sentence_id": 13, "cue": "reportedly", "type": "reported"}],
}


def settings(fake: FakeOpenAI, **env: str):
    base = {"OPENAI_API_KEY": "test-key", "OPENAI_BASE_URL": fake.base_url, "OPENAI_TIMEOUT": "2",
            "NEWSBOT_ENGINE": "openai"}
    return load_settings({**base, **env}, dotenv=False)


def engine(fake: FakeOpenAI, store=None, fast: bool = True, **env: str) -> LLMEngine:
    s = settings(fake, **env)
    client = None
    if fast:  # tiny backoff so the retry tests take milliseconds; one test measures the real schedule
        client = ChatClient(model=s.openai_model, api_key=s.openai_api_key, base_url=s.openai_base_url,
                            timeout=s.openai_timeout, max_retries=s.openai_max_retries,
                            backoff_initial=0.01, backoff_max=0.05)
    eng = LLMEngine(s, store, client=client)
    fake.engines.append(eng)  # closed by the fixture
    return eng


def article(text: str = ARTICLE) -> Article:
    return Article(text=text, source=Source(title="Harbor city weighs emergency water limits", author="Jo Writer"))


def assert_grounded(a) -> None:
    for q in a.quotes:
        assert a.text[q.start : q.end] == q.text
    for f in a.flags:
        for c in f.cues:
            assert a.text[c.start : c.end] == c.text


async def test_good_answer_becomes_a_grounded_analysis(fake):
    fake.enqueue(answer(GOOD, usage=(1234, 321)))
    eng = engine(fake)
    a = await eng.analyze(article(), id="x1")
    assert a.id == "x1" and a.engine.name == "openai" and a.engine.model == "gpt-4.1-mini"
    assert a.engine.version.endswith("+analyze.v2")
    assert eng.engine_id.startswith(f"openai:gpt-4.1-mini:analyze.v2+{answer_fingerprint()}@")  # @ the server
    assert a.warnings == []
    assert [(q.kind, q.speaker.name, q.text) for q in a.quotes] == [
        ("direct", "Elena Varga", "We are not going to take chances with people's health,"),
        ("indirect", "Tomas Reyes", "crews had sealed the damaged tank by Monday evening"),
    ]
    assert [c.status for c in a.claims] == ["attributed", "unconfirmed"]
    assert a.claims[1].source.name == "Jo Writer" and a.claims[1].source.kind == "author"
    assert len(a.summary) == 2 and a.source.kind == "news"
    # the offline engine's flags are merged in: the model only flagged sentence 13
    assert {f.sentence_id for f in a.flags} >= {7, 13, 14, 19, 20}
    assert_grounded(a)
    assert a.usage is not None and (a.usage.input_tokens, a.usage.output_tokens) == (1234, 321)
    assert a.usage.cost_usd == pytest.approx((1234 * 0.40 + 321 * 1.60) / 1e6)


async def test_request_is_strict_json_schema_with_numbered_sentences_in_a_boundary(fake):
    fake.enqueue(answer(GOOD))
    await engine(fake).analyze(article())
    req = fake.requests[0]
    assert fake.headers[0]["Authorization"] == "Bearer test-key"
    assert req["model"] == "gpt-4.1-mini"
    assert req["response_format"]["type"] == "json_schema"
    assert req["response_format"]["json_schema"]["strict"] is True
    assert "tools" not in req and "functions" not in req
    system, user = req["messages"][0]["content"], req["messages"][1]["content"]
    boundary = user.split(" BEGIN ARTICLE")[0].split("\n")[-1]
    assert boundary.startswith("<<<ARTICLE-") and boundary in system
    body = user.split(boundary + " BEGIN ARTICLE")[1].split(boundary + " END ARTICLE")[0]
    assert "[S0] Harbor city weighs emergency water limits after chemical leak" in body
    assert "[S21] Schools in the three districts" in body


async def test_each_request_gets_a_new_boundary(fake):
    fake.enqueue(answer(GOOD), answer(GOOD))
    eng = engine(fake)
    await eng.analyze(article())
    await eng.analyze(article())
    b = [r["messages"][1]["content"].split(" BEGIN ARTICLE")[0].split("\n")[-1] for r in fake.requests]
    assert b[0] != b[1]


async def test_invented_quotes_bad_ids_and_misplaced_cues_never_reach_the_analysis(fake):
    bad = {
        "kind": "news",
        "summary": [{"text": "A summary citing a sentence that is not there.", "sentence_ids": [57]}],
        "claims": [{"text": "The mayor resigned.", "sentence_ids": [2], "source": "Elena Varga",
                    "source_kind": "person"}],
        "quotes": [
            {"speaker": "Elena Varga", "speaker_title": None, "speaker_kind": "person",
             "text": "I take full responsibility and I resign.", "kind": "direct", "sentence_id": 2},
            {"speaker": "Tomas Reyes", "speaker_title": None, "speaker_kind": "person",
             "text": "We will know more on Thursday.", "kind": "direct", "sentence_id": 140},
        ],
        "flags": [{"sentence_id": 1, "cue": "allegedly", "type": "reported"},
                  {"sentence_id": 90, "cue": "may", "type": "hedge"}],
    }
    fake.enqueue(answer(bad))
    a = await engine(fake).analyze(article())
    assert a.engine.name == "openai"
    # nothing of the model's held up: the quotes and claims shown are the offline engine's, and say so
    assert all("resign" not in q.text for q in a.quotes)
    assert all("resigned" not in c.text for c in a.claims)
    assert a.quotes and any("quotes are the offline engine's: none of the model's quotes held up" in w
                            for w in a.warnings)
    assert a.claims and any("claims are the offline engine's" in w for w in a.warnings)
    assert_grounded(a)
    assert all(c.text != "allegedly" for f in a.flags for c in f.cues)
    assert all(f.sentence_id < len(a.sentences) for f in a.flags)
    # the summary fell back to the offline one, and the Analysis says what was dropped and why
    assert a.summary and any("offline engine's" in w for w in a.warnings)
    joined = " | ".join(a.warnings)
    for fragment in ("direct quotes dropped: not found verbatim", "quotes dropped: cited sentence does not exist",
                     "flags dropped: cue not in its cited sentence", "flags dropped: cited sentence does not exist",
                     "claims dropped: not supported", "summary lines dropped: cited sentence does not exist"):
        assert fragment in joined


async def test_curly_quotes_from_the_model_match_straight_quotes_in_the_text(fake):
    curly = dict(GOOD, quotes=[{"speaker": "Elena Varga", "speaker_title": None, "speaker_kind": "person",
                                "text": "\u201cUntil the tests come back clean, nobody in those districts should "
                                        "drink from the tap.\u201d", "kind": "direct", "sentence_id": 3}])
    fake.enqueue(answer(curly))
    a = await engine(fake).analyze(article())
    assert [q.text for q in a.quotes] == [
        "Until the tests come back clean, nobody in those districts should drink from the tap."]
    assert_grounded(a)


async def test_near_verbatim_quote_shows_the_exact_article_words(fake):
    near = dict(GOOD, quotes=[{"speaker": "Priya Nandakumar", "speaker_title": None, "speaker_kind": "person",
                               "text": "an attempt to get ahead of the fact.", "kind": "direct",
                               "sentence_id": 18}])
    fake.enqueue(answer(near))
    a = await engine(fake).analyze(article())
    assert len(a.quotes) == 1
    q = a.quotes[0]
    assert q.text == "an attempt to get ahead of the facts." and a.text[q.start : q.end] == q.text


async def test_429_with_retry_after_then_success(fake):
    fake.enqueue(error(429, "slow down", headers={"Retry-After": "1"}), answer(GOOD))
    started = time.perf_counter()
    a = await engine(fake).analyze(article())
    elapsed = time.perf_counter() - started
    assert a.engine.name == "openai" and a.warnings == []
    assert fake.calls == 2
    assert elapsed >= 0.95  # waited as the server asked, not the tiny test backoff


async def test_retry_after_ms_is_honoured(fake):
    fake.enqueue(error(503, headers={"retry-after-ms": "300"}), answer(GOOD))
    started = time.perf_counter()
    a = await engine(fake).analyze(article())
    assert a.engine.name == "openai" and 0.28 <= time.perf_counter() - started < 3


async def test_retry_after_longer_than_the_cap_falls_back_at_once(fake):
    fake.enqueue(error(429, headers={"Retry-After": "3600"}))
    started = time.perf_counter()
    a = await engine(fake).analyze(article())
    assert a.engine.name == "offline" and fake.calls == 1 and time.perf_counter() - started < 2
    assert "rate-limiting" in a.warnings[0]


async def test_persistent_500s_fall_back_to_offline_in_bounded_time(fake):
    fake.default = error(500, "boom")
    started = time.perf_counter()
    a = await engine(fake, fast=False).analyze(article())  # the real backoff schedule
    elapsed = time.perf_counter() - started
    assert a.engine.name == "offline"
    assert fake.calls == 4  # 1 + OPENAI_MAX_RETRIES (3)
    assert a.warnings[0] == ("The language model could not answer: the model server answered HTTP 500 (boom), "
                             "after 4 tries.")
    assert elapsed < 10  # backoff 0.5 s doubling, full jitter, capped: at most 3.5 s of waiting
    assert a.usage is not None and a.usage.input_tokens == 0
    assert a.flags  # the offline analysis is complete


async def test_a_hang_past_the_timeout_is_not_sent_again_and_the_warning_names_the_setting(fake):
    # A slow server that got the request is working on it: sending it again would compute it twice.
    fake.enqueue(Reply(delay=5, content="{}"), answer(GOOD))
    a = await engine(fake, OPENAI_TIMEOUT="0.3").analyze(article())
    assert a.engine.name == "offline" and fake.calls == 1
    assert "did not answer within 0.3 s" in a.warnings[0] and "OPENAI_TIMEOUT" in a.warnings[0]


async def test_a_timeout_after_the_server_said_it_was_busy_is_retried(fake):
    fake.enqueue(error(503, "model is loading, server busy"), Reply(delay=5, content="{}"), answer(GOOD))
    a = await engine(fake, OPENAI_TIMEOUT="0.5").analyze(article())
    assert a.engine.name == "openai" and fake.calls == 3


def test_the_default_timeout_suits_local_models():
    assert load_settings({}, dotenv=False).openai_timeout == 120


async def test_connection_refused_falls_back(fake):
    await fake.close()  # nothing listens on that port any more
    a = await engine(fake, OPENAI_MAX_RETRIES="1").analyze(article())
    assert a.engine.name == "offline" and "could not connect" in a.warnings[0]


async def test_malformed_json_is_retried_once(fake):
    fake.enqueue(answer('{"kind": "news", "summary": [ {"text": '), answer(GOOD))
    a = await engine(fake).analyze(article())
    assert a.engine.name == "openai" and fake.calls == 2


async def test_malformed_twice_falls_back_and_says_so(fake):
    fake.enqueue(answer("this is not json", usage=(900, 10)), answer("{}", usage=(900, 20)))
    a = await engine(fake).analyze(article())
    assert a.engine.name == "offline" and fake.calls == 2
    assert a.warnings[0].startswith("The language model could not answer: its answer was malformed twice")
    # the tokens of the failed tries are still accounted for
    assert a.usage is not None and (a.usage.input_tokens, a.usage.output_tokens) == (1800, 30)


async def test_a_truncated_answer_is_asked_for_again_shorter(fake):
    import json

    fake.enqueue(answer(json.dumps(GOOD)[:-40], finish_reason="length"), answer(GOOD))
    a = await engine(fake).analyze(article())
    assert a.engine.name == "openai" and fake.calls == 2 and len(a.quotes) == 2
    assert "cut off" in fake.requests[1]["messages"][-1]["content"]


async def test_json_in_a_code_fence_is_accepted(fake):
    import json

    fake.enqueue(answer("```json\n" + json.dumps(GOOD) + "\n```"))
    a = await engine(fake).analyze(article())
    assert a.engine.name == "openai" and len(a.quotes) == 2


async def test_server_refusing_json_schema_gets_json_mode(fake):
    fake.default = refuse_json_schema(answer(GOOD))
    eng = engine(fake)
    a = await eng.analyze(article())
    assert a.engine.name == "openai" and len(a.quotes) == 2
    assert [r["response_format"]["type"] for r in fake.requests] == ["json_schema", "json_object"]
    assert "JSON" in fake.requests[1]["messages"][0]["content"]  # JSON mode needs the word in the prompt
    await eng.analyze(article())  # remembered: no second refusal
    assert [r["response_format"]["type"] for r in fake.requests][2:] == ["json_object"]


async def test_authentication_error_is_not_retried(fake):
    fake.enqueue(error(401, "bad key"))
    a = await engine(fake).analyze(article())
    assert a.engine.name == "offline" and fake.calls == 1
    assert "refused the API key" in a.warnings[0]


def test_cache_identity_depends_on_the_server():
    def eid(**env: str) -> str:
        return LLMEngine(load_settings({"OPENAI_API_KEY": "k", **env})).engine_id

    assert eid() == f"openai:gpt-4.1-mini:analyze.v2+{answer_fingerprint()}"  # + the grounding code's digest
    assert eid(OPENAI_BASE_URL="http://a.example/v1") != eid(OPENAI_BASE_URL="http://b.example/v1")
    assert eid(OPENAI_BASE_URL="http://a.example/v1") == eid(OPENAI_BASE_URL="http://a.example/v1/")


async def test_unknown_model_name_works_and_has_no_price(fake):
    fake.enqueue(answer(GOOD))
    eng = engine(fake, OPENAI_MODEL="llama3.1:8b-instruct-q4")
    a = await eng.analyze(article())
    assert a.engine.model == "llama3.1:8b-instruct-q4" and eng.engine_id.startswith(
        "openai:llama3.1:8b-instruct-q4:analyze.v2+"
    )
    assert a.usage is not None and a.usage.cost_usd is None
    fake.enqueue(answer(GOOD, usage=(1_000_000, 0)))
    priced = engine(fake, OPENAI_MODEL="llama3.1", NEWSBOT_LLM_PRICE_INPUT="0.2", NEWSBOT_LLM_PRICE_OUTPUT="0.4")
    assert (await priced.analyze(article())).usage.cost_usd == pytest.approx(0.2)


async def test_usage_is_estimated_when_the_server_reports_none(fake):
    fake.enqueue(answer(GOOD, usage=None))
    a = await engine(fake).analyze(article())
    assert a.usage is not None and a.usage.input_tokens > 500 and a.usage.output_tokens > 50


async def test_long_articles_are_trimmed_with_a_visible_note(fake):
    long_text = ARTICLE + "\n\n" + "\n\n".join(
        f"Paragraph {i} adds more background about the harbor, the river and the plant's long history."
        for i in range(200)
    ) + "\n\nOfficials said the final report may be delayed."
    fake.enqueue(answer(GOOD))
    a = await engine(fake, NEWSBOT_MAX_INPUT_TOKENS="1500").analyze(article(long_text))
    assert a.engine.name == "openai"
    assert any("the model read only its first" in w and "NEWSBOT_MAX_INPUT_TOKENS=1500" in w for w in a.warnings)
    user = fake.requests[0]["messages"][1]["content"]
    assert "[S0]" in user and f"[S{len(a.sentences) - 1}]" not in user
    assert "only its first" in user  # the model is told too
    # flags still cover the whole text: the last sentence's "may" comes from the offline engine
    assert any(f.sentence_id == len(a.sentences) - 1 for f in a.flags)


async def test_daily_token_budget_falls_back_with_a_reason(fake, tmp_path):
    store = await Store.open(str(tmp_path / "db.sqlite"))
    try:
        fake.default = answer(GOOD, usage=(4000, 500))
        eng = engine(fake, store, NEWSBOT_DAILY_TOKEN_BUDGET="5000")
        first = await eng.analyze(article())
        assert first.engine.name == "openai"
        assert await store.tokens_used(today()) == 4500
        second = await eng.analyze(article())
        assert second.engine.name == "offline" and fake.calls == 1
        assert "token budget is left for this article" in second.warnings[0] and "4,500 of 5,000" in second.warnings[0]
        assert "NEWSBOT_DAILY_TOKEN_BUDGET" in second.warnings[0]
        await store.add_tokens(today(), 500)  # now all of it is spent
        third = await eng.analyze(article())
        assert third.engine.name == "offline" and "token budget is used up (5,000 of 5,000" in third.warnings[0]
    finally:
        await store.close()


async def test_budget_is_kept_in_memory_without_a_store(fake):
    fake.default = answer(GOOD, usage=(4000, 500))
    eng = engine(fake, NEWSBOT_DAILY_TOKEN_BUDGET="5000")
    assert (await eng.analyze(article())).engine.name == "openai"
    assert (await eng.analyze(article())).engine.name == "offline"


@pytest.mark.parametrize("body", ["<html>502 Bad Gateway</html>", {"choices": []}, {"object": "list", "data": []}])
async def test_a_200_that_is_not_a_chat_completion_counts_as_malformed(fake, body):
    fake.enqueue(Reply(body=body), answer(GOOD))
    a = await engine(fake).analyze(article())
    assert a.engine.name == "openai" and fake.calls == 2


async def test_an_unrelated_400_is_not_taken_for_a_json_schema_refusal(fake):
    fake.enqueue(*[error(400, "context_length_exceeded")] * 3, answer(GOOD))
    eng = engine(fake)
    a = await eng.analyze(article())
    assert a.engine.name == "offline" and "HTTP 400 (context_length_exceeded)" in a.warnings[0]
    await eng.analyze(article())  # nothing remembered: the next article is asked in the strictest mode
    formats = [(r.get("response_format") or {}).get("type") for r in fake.requests]
    assert formats == ["json_schema", "json_object", None, "json_schema"]


async def test_a_200_html_page_served_as_text_html_counts_as_malformed(fake, caplog):
    # The SDK hands back a plain string for a non-JSON content type; that must not crash the engine.
    page = Reply(body="<html><body>502 Bad Gateway</body></html>", content_type="text/html")
    fake.enqueue(page, answer(GOOD))
    a = await engine(fake).analyze(article())
    assert a.engine.name == "openai" and fake.calls == 2
    fake.enqueue(page, page)
    a = await engine(fake).analyze(article())
    assert a.engine.name == "offline" and "not a chat completion" in a.warnings[0]
    assert not any(r.exc_info for r in caplog.records)


async def test_an_unexpected_error_is_one_log_line_without_a_stack_trace(fake, caplog, monkeypatch):
    import logging

    import bot.analysis.llm as llm_mod

    def boom(*a, **k):
        raise RuntimeError("kaput")

    monkeypatch.setattr(llm_mod, "ground", boom)
    fake.default = answer(GOOD)
    caplog.set_level(logging.WARNING, logger="bot.analysis.llm")
    a = await engine(fake).analyze(article())
    assert a.engine.name == "offline" and a.warnings[0] == "The language model step failed unexpectedly."
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert errors and "RuntimeError: kaput" in errors[0].getMessage() and errors[0].exc_info is None
    caplog.clear()
    caplog.set_level(logging.INFO, logger="bot.analysis.llm")  # newsbot -v: the trace is for the operator
    await engine(fake).analyze(article())
    assert any(r.exc_info for r in caplog.records if r.levelno == logging.ERROR)


@pytest.mark.parametrize("suffix", ["", "/", "/v1/"])
async def test_base_url_without_v1_reaches_the_v1_api(fake, suffix):
    # OPENAI_BASE_URL=http://localhost:11434 is what people type for Ollama; the API lives under /v1.
    root = fake.base_url.removesuffix("/v1")
    fake.enqueue(answer(GOOD))
    a = await engine(fake, OPENAI_BASE_URL=root + suffix).analyze(article())
    assert a.engine.name == "openai" and fake.calls == 1


async def test_a_404_says_to_check_the_base_url(fake):
    root = fake.base_url.removesuffix("/v1")
    a = await engine(fake, OPENAI_BASE_URL=root + "/api/wrong").analyze(article())
    assert a.engine.name == "offline" and fake.calls == 0
    assert "HTTP 404" in a.warnings[0] and "OPENAI_BASE_URL" in a.warnings[0]


async def test_429_insufficient_quota_is_not_retried(fake):
    quota = Reply(status=429, body={"error": {"message": "You exceeded your current quota", "type": "insufficient_quota",
                                              "param": None, "code": "insufficient_quota"}})
    fake.enqueue(quota, answer(GOOD))
    a = await engine(fake).analyze(article())
    assert a.engine.name == "offline" and fake.calls == 1
    assert "run out of quota" in a.warnings[0]


async def test_a_budget_too_small_for_the_article_says_so_rather_than_used_up(fake):
    fake.default = answer(GOOD)
    a = await engine(fake, NEWSBOT_DAILY_TOKEN_BUDGET="100").analyze(article())
    assert a.engine.name == "offline" and fake.calls == 0
    assert "left for this article" in a.warnings[0] and "0 of 100 used" in a.warnings[0]
    assert "used up" not in a.warnings[0]


async def test_the_trim_note_counts_the_instructions_too(fake):
    # The seed-sized article fits 1,500 tokens alone, but not with the prompt's instructions.
    fake.enqueue(answer(GOOD))
    a = await engine(fake, NEWSBOT_MAX_INPUT_TOKENS="1500").analyze(article(ARTICLE + "\n\n" + ARTICLE))
    note = next(w for w in a.warnings if "NEWSBOT_MAX_INPUT_TOKENS=1500" in w)
    assert "of instructions" in note and "the model read only its first" in note


async def test_the_trimmed_prompt_fits_the_limit_with_a_long_title_and_the_note(fake):
    from bot.analysis import tokens

    long_text = "\n\n".join([ARTICLE] * 6)
    fake.enqueue(answer(GOOD))
    art = Article(text=long_text, source=Source(title="Water " * 5000))
    a = await engine(fake, NEWSBOT_MAX_INPUT_TOKENS="1500").analyze(art)
    assert a.engine.name == "openai"
    messages = fake.requests[0]["messages"]
    assert tokens.count_chat_tokens(messages, "gpt-4.1-mini") <= 1500
    assert "Title: Water Water" in messages[1]["content"] and len(messages[1]["content"]) < 8000


def test_slack_waits_for_a_slow_model_longer_than_for_the_offline_engine():
    from bot.slack.runtime import ANALYSIS_TIMEOUT, analysis_timeout_for

    assert analysis_timeout_for(load_settings({}, dotenv=False)) >= 10 + 120 * 1.5  # fetch + one model request
    assert analysis_timeout_for(load_settings({"OPENAI_TIMEOUT": "5"}, dotenv=False)) == ANALYSIS_TIMEOUT
