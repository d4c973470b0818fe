"""The answers real models and servers give, replayed by the fake OpenAI-compatible server: what the user
sees is the model's answer whenever it holds one, the bad items dropped and counted, the rest kept."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from bot.analysis.llm import LLMEngine
from bot.analysis.llm_client import ChatClient
from bot.analysis.model import Article, Source
from bot.config import load_settings
from tests.fakes.fake_openai import FakeOpenAI, Reply, answer, error, refuse_formats, refuse_params

ARTICLE = (Path(__file__).parent / "fixtures" / "articles" / "llm_port_dispute.txt").read_text(encoding="utf-8")

GOOD = {
    "kind": "news",
    "summary": [
        {"text": "The port authority admitted that inspectors had flagged cracks in the north pier before "
                 "it collapsed.", "sentence_ids": [1]},
        {"text": "Union leader Marta Quill praised the inspectors.", "sentence_ids": [4]},
    ],
    "claims": [
        {"text": "Inspectors flagged cracks in the north pier months before it collapsed.", "sentence_ids": [1],
         "source": "The port authority of Kestrel Bay", "source_kind": "organization"},
        {"text": "Mayor Ines Darrow had shied away from openly criticising the authority.", "sentence_ids": [11],
         "source": "author", "source_kind": "author"},
    ],
    "quotes": [
        {"speaker": "Marta Quill", "speaker_title": "Union leader", "speaker_kind": "person",
         "text": "The city is happy to let the port take the blame.", "kind": "direct", "sentence_id": 6},
        {"speaker": "Tomas Ilves", "speaker_title": "harbor master", "speaker_kind": "person",
         "text": "the only question is whether the next pier falls before or after the repairs are paid for.",
         "kind": "direct", "sentence_id": 13},
    ],
    "flags": [{"sentence_id": 9, "cue": "reportedly", "type": "reported"}],
}
GOOD_JSON = json.dumps(GOOD, indent=1)
QUOTES = [q["text"] for q in GOOD["quotes"]]


def engine(fake: FakeOpenAI, **env: str) -> LLMEngine:
    s = load_settings({"OPENAI_BASE_URL": fake.base_url, "OPENAI_MODEL": "qwen3:8b", "OPENAI_TIMEOUT": "2",
                       **env}, dotenv=False)
    client = ChatClient(model=s.openai_model, api_key=None, base_url=s.openai_base_url, timeout=s.openai_timeout,
                        max_retries=s.openai_max_retries, backoff_initial=0.01, backoff_max=0.05,
                        temperature=s.openai_temperature)
    eng = LLMEngine(s, client=client)
    fake.engines.append(eng)
    return eng


def article() -> Article:
    return Article(text=ARTICLE, source=Source(title="Port authority knew of pier cracks", author="Ana Reed"))


def assert_models_answer(a) -> None:
    """The model's answer is what the user sees: its quotes, claims and summary, no offline stand-in."""
    assert a.engine.name == "openai", a.warnings
    assert [q.text for q in a.quotes] == QUOTES
    assert [c.text for c in a.claims] == [c["text"] for c in GOOD["claims"]]
    assert [s.text for s in a.summary] == [s["text"] for s in GOOD["summary"]]
    assert not any("offline engine" in w for w in a.warnings), a.warnings
    for q in a.quotes:
        assert a.text[q.start : q.end] == q.text


WRAPPED = {
    "think block": f"<think>\nThe user wants JSON. Sentence 6 has a quote {{maybe}}.\n</think>\n\n{GOOD_JSON}",
    "empty think block (Qwen3, thinking off)": f"<think>\n\n</think>\n\n{GOOD_JSON}",
    "unopened think (DeepSeek-R1 template)": f"Okay, let me read the article first.\n</think>\n{GOOD_JSON}",
    "prose around the object": f"Here is the analysis:\n\n{GOOD_JSON}\n\nLet me know if you need anything else.",
    "fence inside prose": f"Sure! Here it is:\n```json\n{GOOD_JSON}\n```\nHope this helps.",
    "byte-order mark": "\ufeff" + GOOD_JSON,
    "trailing special token": GOOD_JSON + "<|im_end|>",
    "several special tokens": "<|im_start|>assistant\n" + GOOD_JSON + "<|eot_id|></s>",
    "harmony channels (gpt-oss)": "<|channel|>analysis<|message|>Draft: {\"kind\": \"news\", \"quotes\": []}"
                                  f"<|end|><|start|>assistant<|channel|>final<|message|>{GOOD_JSON}<|return|>",
    "near-JSON (trailing commas)": GOOD_JSON.replace("\n  }\n ]", "\n  },\n ]").rstrip("}") + ",}",
    "near-JSON (single quotes, Python literals)": repr(GOOD),
}


@pytest.mark.parametrize("content", WRAPPED.values(), ids=WRAPPED.keys())
async def test_a_wrapped_answer_is_the_models_answer_at_the_first_try(fake, content):
    fake.enqueue(answer(content))
    a = await engine(fake).analyze(article())
    assert_models_answer(a)
    assert fake.calls == 1


async def test_content_as_a_list_of_parts(fake):
    parts = [{"type": "text", "text": GOOD_JSON[:200]}, {"type": "text", "text": GOOD_JSON[200:]}]
    fake.enqueue(Reply(content=parts))
    a = await engine(fake).analyze(article())
    assert_models_answer(a)


async def test_reasoning_content_is_reasoning_never_the_answer(fake):
    decoy = json.dumps({**GOOD, "quotes": []})
    fake.enqueue(Reply(content=GOOD_JSON, message={"reasoning_content": f"Let me think. {decoy}"}))
    assert_models_answer(await engine(fake).analyze(article()))
    # an answer only in the reasoning is no answer: asked again, told why
    fake.enqueue(Reply(content="", message={"reasoning": GOOD_JSON}), answer(GOOD))
    a = await engine(fake).analyze(article())
    assert_models_answer(a)
    assert "empty" in fake.requests[-1]["messages"][-1]["content"]


async def test_enum_values_in_any_casing_or_a_synonym_are_read(fake):
    shouted = json.loads(GOOD_JSON)
    shouted["kind"] = "News"
    shouted["claims"][0]["source_kind"] = "Organisation"
    shouted["claims"][1]["source_kind"] = "AUTHOR"
    shouted["quotes"][0].update(kind="Direct", speaker_kind="Person")
    shouted["quotes"][1].update(kind="direct quote", speaker_kind="individual")
    shouted["flags"][0]["type"] = "Alleged"
    fake.enqueue(answer(shouted))
    a = await engine(fake).analyze(article())
    assert_models_answer(a)
    assert a.warnings == [] and a.source.kind == "news"
    assert [c.source.kind for c in a.claims] == ["organization", "author"]


async def test_one_bad_item_is_dropped_and_counted_the_rest_kept(fake):
    bad = json.loads(GOOD_JSON)
    bad["quotes"].append({"speaker": "Marta Quill", "text": None, "kind": "direct", "sentence_id": 5})
    bad["quotes"].append({"speaker": "Marta Quill", "text": "nobody listened", "kind": "rant", "sentence_id": 5})
    bad["claims"].append({"text": "Something.", "sentence_ids": "many"})
    fake.enqueue(answer(bad))
    a = await engine(fake).analyze(article())
    assert_models_answer(a)
    assert fake.calls == 1
    joined = " | ".join(a.warnings)
    assert "1 model quotes dropped: not valid (text:" in joined
    assert "1 model quotes dropped: not valid (kind:" in joined
    assert "1 model claims dropped: not valid" in joined


async def test_sentence_ids_in_the_forms_models_write(fake):
    ids = json.loads(GOOD_JSON)
    ids["summary"][0]["sentence_ids"] = "S1"
    ids["summary"][1]["sentence_ids"] = ["[S4]"]
    ids["claims"][0]["sentence_ids"] = 1
    ids["claims"][1]["sentence_ids"] = [[11]]
    ids["quotes"][0]["sentence_id"] = "S6"
    ids["quotes"][1]["sentence_id"] = [13]
    ids["flags"][0]["sentence_id"] = "[S9]"
    fake.enqueue(answer(ids))
    a = await engine(fake).analyze(article())
    assert_models_answer(a)
    assert a.warnings == []


async def test_malformed_then_asked_again_with_the_parsers_message(fake):
    fake.enqueue(answer("I cannot produce JSON today."), answer(GOOD))
    a = await engine(fake).analyze(article())
    assert_models_answer(a)
    first, second = fake.requests
    note = second["messages"][-1]
    assert note["role"] == "user" and "no JSON object in the answer" in note["content"]
    assert "JSON object only" in note["content"]
    # the note ends the same user turn: no two user messages in a row, which some chat templates refuse
    assert second["messages"][:-1] == first["messages"][:-1] and len(second["messages"]) == len(first["messages"])
    assert note["content"].startswith(first["messages"][-1]["content"])


async def test_cut_off_twice_keeps_the_complete_items_and_says_so(fake):
    cut = GOOD_JSON[: GOOD_JSON.index('"flags"')] + '"flags": [{"sentence_id": 9, "cue": "reportedly", "ty'
    fake.enqueue(answer(cut, finish_reason="length"), answer(cut, finish_reason="length"))
    a = await engine(fake, NEWSBOT_MAX_OUTPUT_TOKENS="900").analyze(article())
    assert_models_answer(a)
    assert fake.calls == 2
    assert fake.requests[0]["max_tokens"] == 900
    assert "cut off" in fake.requests[1]["messages"][-1]["content"]
    assert any("cut off at its output limit (NEWSBOT_MAX_OUTPUT_TOKENS)" in w for w in a.warnings)


async def test_a_refusal_is_asked_again_then_falls_back_saying_so(fake):
    refusal = Reply(content=None, message={"refusal": "I can't help with content about violence."})
    fake.enqueue(refusal, answer(GOOD))
    assert_models_answer(await engine(fake).analyze(article()))
    assert "refused" in fake.requests[1]["messages"][-1]["content"]
    fake.enqueue(refusal, refusal)
    a = await engine(fake).analyze(article())
    assert a.engine.name == "offline" and "refused" in a.warnings[0]


async def test_temperature_zero_and_max_tokens_from_the_budget_are_sent(fake):
    fake.default = answer(GOOD, usage=(3000, 500))
    await engine(fake).analyze(article())
    assert fake.requests[-1]["temperature"] == 0 and fake.requests[-1]["max_tokens"] == 4096
    await engine(fake, OPENAI_TEMPERATURE="0.3", NEWSBOT_DAILY_TOKEN_BUDGET="6000").analyze(article())
    req = fake.requests[-1]
    assert req["temperature"] == 0.3 and req["max_tokens"] < 6000 - 1000  # what the prompt leaves of the budget
    await engine(fake, OPENAI_TEMPERATURE="default").analyze(article())
    assert "temperature" not in fake.requests[-1]


async def test_a_refused_parameter_is_left_out_from_then_on(fake, caplog):
    fake.default = refuse_params("temperature", then=answer(GOOD))
    caplog.set_level(logging.WARNING, logger="bot.analysis.llm_client")
    assert_models_answer(await engine(fake).analyze(article()))
    assert_models_answer(await engine(fake).analyze(article()))
    assert ["temperature" in r for r in fake.requests] == [True, False, False]
    assert sum("refused parameter temperature" in r.getMessage() for r in caplog.records) == 1


async def test_a_server_refusing_max_tokens_gets_max_completion_tokens(fake):
    fake.default = refuse_params("max_tokens", then=answer(GOOD))
    assert_models_answer(await engine(fake).analyze(article()))
    assert [("max_tokens" in r, r.get("max_completion_tokens")) for r in fake.requests] == [(True, None), (False, 4096)]


@pytest.mark.parametrize(
    "refused, used",
    [(("json_schema",), ["json_schema", "json_object"]),
     (("json_schema", "json_object"), ["json_schema", "json_object", None])],
)
async def test_each_response_format_refused_with_a_400_falls_to_the_next(fake, caplog, refused, used):
    fake.default = refuse_formats(*refused, then=answer(GOOD), message="response_format not supported; key sk-abcdef1234567890")
    caplog.set_level(logging.WARNING, logger="bot.analysis.llm_client")
    assert_models_answer(await engine(fake).analyze(article()))
    assert_models_answer(await engine(fake).analyze(article()))  # remembered for the process
    formats = [(r.get("response_format") or {}).get("type") for r in fake.requests]
    assert formats == used + used[-1:]
    logged = [r.getMessage() for r in caplog.records if "no longer sent" in r.getMessage()]
    assert len(logged) == len(refused)  # once per refused mode, with the server's message, redacted
    assert all("response_format not supported" in m and "[redacted]" in m and "abcdef" not in m for m in logged)
    if None in used:  # plain instructions: the prompt itself asks for the JSON object
        assert "JSON" in fake.requests[-1]["messages"][0]["content"]


async def test_a_server_refusing_every_format_falls_back_with_its_message(fake):
    fake.default = refuse_formats("json_schema", "json_object", "none", then=answer(GOOD),
                                  message="this endpoint only serves embeddings")
    a = await engine(fake).analyze(article())
    assert a.engine.name == "offline" and fake.calls == 3
    assert "HTTP 400 (this endpoint only serves embeddings)" in a.warnings[0]


async def test_a_slow_server_is_not_asked_twice(fake):
    fake.enqueue(Reply(delay=3, content=GOOD_JSON), answer(GOOD))
    a = await engine(fake, OPENAI_TIMEOUT="0.4").analyze(article())
    assert a.engine.name == "offline" and fake.calls == 1
    assert "OPENAI_TIMEOUT" in a.warnings[0]


async def test_a_busy_server_is_waited_for(fake):
    fake.enqueue(error(429, "server busy", headers={"Retry-After": "0"}), answer(GOOD))
    assert_models_answer(await engine(fake).analyze(article()))
    assert fake.calls == 2
