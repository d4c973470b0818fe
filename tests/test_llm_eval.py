"""`make eval-llm`: a tiny annotated dataset written here, run through the fake OpenAI-compatible server."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from bot.analysis import llm_eval
from bot.eval.__main__ import main as offline_eval
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
    assert "quotes direct   P 1.000 R 1.000 F1 1.000  (tp 3, pred 3, gold 3)" in text
    assert "quotes indirect P 0.000 R 0.000 F1 0.000  (tp 0, pred 1, gold 1)" in text
    assert "rule hits" not in text

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
    assert "quotes direct   P 1.000 R 1.000 F1 1.000  (tp 2, pred 2, gold 2)" in out


async def test_the_scores_are_those_make_eval_prints_for_the_same_analyses(fake, tmp_path, capsys):
    # A model answering exactly what the offline engine finds scores exactly what `make eval` prints.
    path = dataset(tmp_path)
    docs = llm_eval.load_docs(path, "dev", 1)
    fake.default = answer("no JSON here")  # every answer unusable: the offline engine answers each article
    eng = engine(fake)
    result = await llm_eval.run(docs, eng)
    ours = [line for line in llm_eval.report("x", docs, result, eng.settings) if line.startswith("quotes") and "F1" in line]
    assert offline_eval(["--quotes", str(path), "--split", "dev", "--limit", "1"]) == 0
    theirs = [line for line in capsys.readouterr().out.splitlines() if line.startswith("quotes") and "F1" in line]
    assert ours == theirs and ours

def test_eval_says_what_is_missing(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL"):
        monkeypatch.delenv(var, raising=False)
    assert llm_eval.main([str(tmp_path / "none.jsonl")]) == 2 and "no data at" in capsys.readouterr().err
    assert llm_eval.main([str(dataset(tmp_path))]) == 2 and "OPENAI_BASE_URL" in capsys.readouterr().err


def test_data_files_are_told_apart_by_their_annotations(tmp_path):
    flags = tmp_path / "flags.jsonl"
    flags.write_text(json.dumps({"id": 1, "text": "It may rain.", "sentences": [
        {"char_start": 0, "char_end": 12, "uncertain": True}], "hedged": [{"char_start": 0, "cue_types": ["epistemic"]}]})
        + "\n", encoding="utf-8")
    [doc] = llm_eval.load_docs(flags, "dev", None)  # no split field: the whole file
    assert doc["flags"] == [{"start": 0, "end": 12, "required": True}]
    assert [d["id"] for d in llm_eval.load_docs(dataset(tmp_path), None, None)] == ["port", "ferry", "other"]
