"""Prompts are versioned files loaded by code; the answer schema v1 is one shape in pydantic, JSON schema
and prompts/README.md."""

from __future__ import annotations

import json

import pytest

from bot.analysis import prompts
from bot.analysis import sentences as splitter
from bot.analysis.llm_schema import (
    ANSWER_JSON_SCHEMA,
    AnswerV1,
    ClaimV1,
    FlagV1,
    MalformedAnswer,
    QuoteV1,
    SummaryItemV1,
    parse_answer,
    response_format_json_schema,
)

TEXT = "First line here.\n\nSecond \"quoted\" sentence,\nwith a break. Third one."


def test_prompt_files_exist_and_render_every_placeholder():
    system, user = prompts.load()
    assert "$boundary" in system and "$sentences" in user
    r = prompts.render(TEXT, splitter.split(TEXT), title="A title", note="Note: trimmed.")
    for m in r.messages:
        assert "$" not in m["content"], "an unrendered placeholder"
    assert r.messages[0]["role"] == "system" and r.messages[1]["role"] == "user"
    assert r.boundary in r.messages[0]["content"]
    assert "Note: trimmed." in r.messages[1]["content"]
    assert "JSON" in r.messages[0]["content"]


def test_sentences_are_numbered_one_per_line_inside_the_boundary():
    sents = splitter.split(TEXT)
    r = prompts.render(TEXT, sents, title="T")
    user = r.messages[1]["content"]
    inside = user.split(f"{r.boundary} BEGIN ARTICLE")[1].split(f"{r.boundary} END ARTICLE")[0]
    lines = [ln for ln in inside.splitlines() if ln.startswith("[S")]
    assert lines[0] == "[S0] First line here."
    assert len(lines) == len(sents)
    assert all("\n" not in ln for ln in lines)
    assert "Title: T" in inside  # the title is article data too: inside the fence


def test_prompt_id_is_versioned():
    assert prompts.PROMPT_ID == "analyze.v2"
    assert (prompts.prompts_dir() / "analyze.v2.system.txt").exists()


def test_readme_documents_schema_v1():
    readme = (prompts.prompts_dir() / "README.md").read_text(encoding="utf-8")
    for key in ("source_kind", "speaker_title", "speaker_kind", "sentence_ids", "cue", "unverified|reported"):
        assert key in readme
    system, _ = prompts.load()
    for key in ("source_kind", "speaker_title", "speaker_kind", "sentence_ids"):
        assert key in system


def _props(schema: dict) -> set[str]:
    return set(schema["properties"])


def test_json_schema_and_pydantic_model_agree():
    assert _props(ANSWER_JSON_SCHEMA) == set(AnswerV1.model_fields)
    pairs = {"summary": SummaryItemV1, "claims": ClaimV1, "quotes": QuoteV1, "flags": FlagV1}
    for key, model in pairs.items():
        item = ANSWER_JSON_SCHEMA["properties"][key]["items"]
        assert _props(item) == set(model.model_fields), key
        # strict structured outputs: all properties required, nothing extra
        assert set(item["required"]) == _props(item) and item["additionalProperties"] is False
    rf = response_format_json_schema()
    assert rf["type"] == "json_schema" and rf["json_schema"]["strict"] is True
    json.dumps(rf)  # serialisable as sent


def test_parse_answer_accepts_valid_and_ignores_extra_keys():
    a = parse_answer(json.dumps({"kind": "opinion", "extra": 1, "quotes": [
        {"speaker": "A", "speaker_title": None, "speaker_kind": "person", "text": "x y", "kind": "direct",
         "sentence_id": 0, "confidence": 0.9}]}))
    assert a.kind == "opinion" and a.quotes[0].text == "x y" and a.claims == []


@pytest.mark.parametrize("content", [None, "", "not json", "[1, 2]", "<think>{\"kind\": \"news\"}</think>"])
def test_parse_answer_rejects_what_holds_no_answer(content):
    with pytest.raises(MalformedAnswer):
        parse_answer(content)


def test_a_bad_item_or_value_drops_only_itself_and_is_counted():
    a = parse_answer(json.dumps({"kind": "satire", "flags": [
        {"sentence_id": "x", "cue": "a", "type": "hedge"}, {"sentence_id": 1, "cue": "b", "type": "gossip"},
        {"sentence_id": 2, "cue": "c", "type": "rumour"}]}))
    assert a.kind == "unknown" and [(f.sentence_id, f.type) for f in a.flags] == [(2, "reported")]
    assert sum(n for r, n in a.invalid.items() if r.startswith("flags dropped: not valid")) == 2
    assert a.invalid["document kinds ignored: not news, opinion or unknown"] == 1


def test_parse_answer_is_lenient_where_meaning_is_clear():
    a = parse_answer(json.dumps({
        "claims": [{"text": "c", "sentence_ids": ["S4", "[S5]", 6], "source": "author"}],
        "quotes": [{"speaker": "A", "text": "x y", "sentence_id": "S2"}],
        "flags": [{"sentence_id": "3", "cue": "may", "type": "hedge"}],
    }))
    assert a.claims[0].sentence_ids == [4, 5, 6] and a.claims[0].source_kind == "person"
    assert a.quotes[0].sentence_id == 2 and a.quotes[0].kind == "direct"
    assert a.flags[0].sentence_id == 3


def test_parse_answer_unwraps_json_mode_wrappers_and_reads_null_lists_as_empty():
    inner = {"kind": "news", "quotes": [{"speaker": "A", "text": "x y", "sentence_id": 1}]}
    for wrapped in ({"analysis": inner}, [inner], {"result": inner}):
        assert parse_answer(json.dumps(wrapped)).quotes[0].text == "x y"
    a = parse_answer(json.dumps({"kind": None, "summary": None, "claims": None, "quotes": [], "flags": None}))
    assert a.kind == "unknown" and a.summary == [] and a.claims == [] and a.flags == []


@pytest.mark.parametrize("content", ["{}", '{"answer": "none"}', '{"data": {"x": 1}}', '{"a": {}, "b": {}}'])
def test_an_answer_with_none_of_the_schema_keys_is_malformed(content):
    # an empty or foreign object is not "nothing to report": it is asked for again, then the offline engine answers
    with pytest.raises(MalformedAnswer, match="none of the schema v1 keys"):
        parse_answer(content)


def test_a_cut_off_answer_keeps_its_complete_items_and_says_it_was_cut():
    full = json.dumps({"kind": "news", "flags": [{"sentence_id": 4, "cue": "may", "type": "hedge"},
                                                 {"sentence_id": 5, "cue": "reportedly", "type": "reported"}]})
    cut = parse_answer("Here it is: [" + full[: full.index("reportedly") + 4])
    assert cut.truncated and [f.cue for f in cut.flags] == ["may"]  # the item being written is left out
    whole = parse_answer("Here it is: " + full + " (two flags)")
    assert not whole.truncated and [f.cue for f in whole.flags] == ["may", "reportedly"]


def test_summary_language_is_the_articles_unless_newsbot_language_says_otherwise():
    from bot.analysis.llm import summary_language
    from bot.analysis.model import Article, Source
    from bot.config import load_settings

    german = Article(text="Der Bürgermeister sagte am Dienstag, die Brücke bleibe gesperrt.",
                     source=Source(language="de"))
    unknown = Article(text="Short.", source=Source(language=None))
    plain = load_settings({}, dotenv=False)
    assert summary_language(plain, german) == "German"
    assert summary_language(plain, unknown) == prompts.ARTICLE_LANGUAGE
    english = load_settings({"NEWSBOT_LANGUAGE": "English"}, dotenv=False)
    assert summary_language(english, german) == "English"

    rendered = prompts.render(german.text, [], "Brücke", summary_language="German")
    assert "Write the summary in German." in rendered.messages[0]["content"]


def test_newsbot_language_gets_its_own_cache_slot():
    from bot.analysis.llm import LLMEngine
    from bot.config import load_settings

    base = {"OPENAI_API_KEY": "sk-test"}
    plain = LLMEngine(load_settings(base, dotenv=False))
    english = LLMEngine(load_settings({**base, "NEWSBOT_LANGUAGE": "English"}, dotenv=False))
    assert plain.engine_id != english.engine_id
    assert english.engine_id.endswith("~english")
