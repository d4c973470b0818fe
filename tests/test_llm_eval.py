"""`make eval-llm`: a tiny annotated dataset written here, run through the fake OpenAI-compatible server."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from bot.analysis import llm_eval
from bot.analysis.llm_eval_scores import match, score_flags, score_quotes
from tests.fakes.fake_openai import Reply, answer
from tests.test_llm_answers import ARTICLE, GOOD, engine

SECOND = (
    "Ferry fares to rise in spring\n\n"
    "The ferry company will raise fares by ten percent in April, its chief executive Lena Sorvik said on "
    "Monday.\n\n"
    "\"We held prices for three years and fuel has doubled,\" Sorvik said."
)


def gold(text: str, words: str, kind: str, speaker: str) -> dict:
    start = text.index(words)
    return {"speaker": speaker, "quote": words, "kind": kind, "char_start": start, "char_end": start + len(words)}


def dataset(tmp_path: Path) -> Path:
    docs = [
        {"id": "port", "split": "dev", "text": ARTICLE, "quotes": [
            gold(ARTICLE, "The city is happy to let the port take the blame.", "direct", "she"),
            gold(ARTICLE, "the only question is whether the next pier falls before or after the repairs are "
                          "paid for.", "direct", "Tomas Ilves"),
            gold(ARTICLE, "that the contractor Brightline skipped two safety checks on the pier", "indirect",
                 "Dock workers")]},
        {"id": "ferry", "split": "dev", "text": SECOND, "quotes": [
            gold(SECOND, "We held prices for three years and fuel has doubled,", "direct", "Sorvik")]},
        {"id": "other", "split": "train", "text": SECOND, "quotes": []},
    ]
    path = tmp_path / "tiny.jsonl"
    path.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
    return path


def by_article(request: dict) -> Reply:
    """The port article gets a good answer with one invalid quote and one reversed claim; the ferry
    article an answer with no JSON at all (so it is answered offline)."""
    if "Kestrel" not in request["messages"][1]["content"]:
        return answer("Sorry, I can only summarise in prose.", usage=(500, 20))
    reply = json.loads(json.dumps(GOOD))
    reply["quotes"].append({"speaker": "Marta Quill", "text": None, "sentence_id": 5})
    reply["claims"].append({"text": "Port managers knew about the collapse risk in advance.", "sentence_ids": [3],
                            "source": "author", "source_kind": "author"})
    return answer(reply, usage=(2000, 600))


async def test_eval_runs_the_split_through_the_model_and_prints_scores_items_and_tokens(fake, tmp_path):
    fake.default = by_article
    docs = llm_eval.load_docs(dataset(tmp_path), "dev", None)
    assert [d["id"] for d in docs] == ["port", "ferry"]
    eng = engine(fake)
    result = await llm_eval.run(docs, eng, concurrency=2)
    lines = llm_eval.report("tiny-dev", docs, result, eng.settings)
    text = "\n".join(lines)
    assert "answers used: 1 of 2; answered offline: 1" in text
    assert "its answer was malformed twice" in text  # the ferry article's reason
    table = [line.split() for line in lines if len(line.split()) == 5 and line.split()[1].isdigit()]
    rows = {parts[0]: parts[1:] for parts in table}
    assert rows["quotes"] == ["3", "2", "1", "0"]  # given, kept, dropped (the invalid one), replaced
    assert rows["claims"] == ["3", "2", "1", "0"]  # the reversed claim dropped
    assert rows["summary"] == ["2", "2", "0", "0"] and rows["flags"] == ["1", "1", "0", "0"]
    # tokens per article: (2000 + 500 * 2 tries) / 2 input, (600 + 20 * 2) / 2 output
    assert "tokens per article: input 1,500, output 320" in text
    # the port article's two direct quotes are the model's; the ferry one the offline engine's
    assert "quotes tiny-dev direct   P 1.000 R 1.000 F1 1.000  (tp 3, pred 3, gold 3)" in text
    assert "quotes tiny-dev indirect" in text and text.splitlines()[-1].startswith("tiny-dev: direct F1 1.000")


async def test_make_eval_llm_entry_point_reads_the_settings_and_a_data_path(fake, tmp_path, monkeypatch, capsys):
    fake.default = by_article
    monkeypatch.setenv("OPENAI_BASE_URL", fake.base_url)
    monkeypatch.setenv("OPENAI_MODEL", "tiny-model")
    monkeypatch.setenv("OPENAI_MAX_RETRIES", "1")
    path = dataset(tmp_path)
    code = await asyncio.to_thread(llm_eval.main, [str(path), "--limit", "1"])
    out = capsys.readouterr().out
    assert code == 0
    assert out.startswith(f"model tiny-model at {fake.base_url}: 1 articles of tiny-dev")
    assert "tiny-dev: direct F1 1.000 indirect F1 0.000" in out


def test_eval_says_what_is_missing(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)  # no ../shared here, and no .env
    assert llm_eval.main([]) == 2 and "no data file" in capsys.readouterr().err
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL"):
        monkeypatch.delenv(var, raising=False)
    assert llm_eval.main([str(dataset(tmp_path))]) == 2 and "OPENAI_BASE_URL" in capsys.readouterr().err


def test_scores_match_one_to_one_and_count_flags_by_sentence():
    golds = [(0, 10, {}), (20, 30, {})]
    assert match(golds, [(3, 10, {}), (0, 10, {}), (40, 50, {})], 0.3) == [(0, 1)]  # the closer one, once
    doc = {"id": "d", "text": "x", "quotes": [{"kind": "direct", "char_start": 0, "char_end": 10, "speaker": "A"}]}
    lines = score_quotes("n", [doc], {"d": {"quotes": [{"kind": "direct", "start": 0, "end": 10}]}})
    assert lines[0].startswith("quotes n direct   P 1.000 R 1.000 F1 1.000")
    flag_doc = {"id": "d", "sentences": [{"char_start": 0, "char_end": 10, "uncertain": True},
                                         {"char_start": 11, "char_end": 20, "uncertain": False}],
                "hedged": [{"char_start": 0, "cue_types": ["epistemic"]}]}
    analysis = {"sentences": [{"id": 0, "start": 0, "end": 10}, {"id": 1, "start": 11, "end": 20}],
                "flags": [{"sentence_id": 0}, {"sentence_id": 1}]}
    assert score_flags("n", [flag_doc], {"d": analysis})[-1] == "n: flag F1 0.667 (P 0.500 R 1.000)"

