"""The eval set and its scorer: annotations that point at their words, and matching rules that behave as
the held-out evaluation's do."""

from __future__ import annotations

import copy
import json

from bot.eval import corpora
from bot.eval.__main__ import main as eval_main
from bot.eval.annotate import fill, sentence_bounds
from bot.eval.goldset import load_articles, problems
from bot.eval.metrics import Scores, match, same_speaker, score_document

ARTICLES = load_articles()


def test_the_set_is_big_and_varied_enough():
    assert len(ARTICLES) >= 40
    assert len({a["id"] for a in ARTICLES}) == len(ARTICLES)
    assert len({a["genre"] for a in ARTICLES}) >= 8
    quotes = [q for a in ARTICLES for q in a["quotes"]]
    assert {q["kind"] for q in quotes} == {"direct", "indirect"}
    assert sum(not a["quotes"] for a in ARTICLES) >= 2, "a few articles quote nobody"
    assert sum(len(a["flags"]) for a in ARTICLES) >= 30
    claims = [c for a in ARTICLES for c in a["claims"]]
    assert any(c["claimer"] is None for c in claims) and any(c["claimer"] for c in claims)


def test_every_annotation_points_at_its_words():
    assert [p for a in ARTICLES for p in problems(a)] == []


def test_annotating_again_changes_nothing():
    for article in ARTICLES:
        assert fill(copy.deepcopy(article)) == article


def test_problems_catch_a_drifted_offset():
    article = copy.deepcopy(ARTICLES[0])
    article["quotes"][0]["start"] += 1
    assert problems(article)


def test_sentence_bounds_skip_titles_and_keep_lines():
    text = "Headline with no stop\nGov. Ann Lee said it. Mr. Roe left.\n"
    cuts = [text[s:e] for s, e in sentence_bounds(text)]
    assert cuts == ["Headline with no stop", "Gov. Ann Lee said it.", "Mr. Roe left."]


def test_speakers_match_on_a_shared_name_word_titles_ignored():
    assert same_speaker("Mayor Elena Varga", "Varga")
    assert same_speaker("World Health Organization (WHO)", "WHO")
    assert not same_speaker("Mayor Elena Varga", "Mayor Tomas Reyes")
    assert not same_speaker("officials", "officials")  # nothing but title words: no name to match


def test_match_is_one_to_one_on_overlap():
    assert match([(0, 10)], [(0, 10), (2, 9)], 0.3) == [(0, 0)]
    assert match([(0, 10)], [(8, 40)], 0.3) == []


def _analysis(text, quotes=(), flags=(), sentences=()):
    return {"text": text, "sentences": [{"id": i, "start": s, "end": e} for i, (s, e) in enumerate(sentences)],
            "quotes": list(quotes), "flags": list(flags), "claims": []}


def test_a_direct_quote_marked_indirect_by_the_annotator_is_no_false_positive():
    text = 'She said "we will win" today.'
    gold = {"id": "x", "text": text, "quotes": [{"start": 9, "end": 21, "kind": "indirect", "speaker": "Ann Lee"}]}
    pred = {"start": 10, "end": 20, "kind": "direct", "speaker": {"name": "Ann Lee"}}
    scores = Scores()
    score_document(scores, gold, _analysis(text, [pred]))
    assert (scores.quotes["direct"].pred, scores.quotes["indirect"].tp, scores.quotes["all"].tp) == (0, 0, 1)
    assert scores.speaker.ok == scores.speaker.n == 1


def test_flags_count_sentences_not_cues():
    text = "It may rain. It is sunny. Officials reportedly left."
    sents = [(0, 12), (13, 25), (26, 52)]
    gold = {"id": "x", "text": text, "flags": [{"start": 0, "end": 12, "level": "hedged"},
                                               {"start": 26, "end": 52, "level": "unconfirmed"}]}
    flags = [{"sentence_id": 0, "level": "hedged"}, {"sentence_id": 1, "level": "hedged"}]
    scores = Scores()
    score_document(scores, gold, _analysis(text, flags=flags, sentences=sents))
    assert (scores.flags.p, scores.flags.r) == (0.5, 0.5)
    assert scores.flag_level.ok == 1


def test_claims_go_to_their_claimer_or_to_nobody():
    text = "Taxes will rise, the mayor said. The sky is blue."
    gold = {"id": "x", "text": text, "claims": [{"start": 0, "end": 15, "claimer": "Mayor Ann Lee"},
                                                {"start": 33, "end": 49, "claimer": None}]}
    analysis = _analysis(text, sentences=[(0, 32), (33, 49)])
    analysis["claims"] = [{"sentence_ids": [0], "source": {"name": "Ann Lee", "kind": "person"}},
                          {"sentence_ids": [1], "source": {"name": "Ann Lee", "kind": "person"}}]
    scores = Scores()
    score_document(scores, gold, analysis)
    assert (scores.claims_named.ok, scores.claims_journalist.ok) == (1, 0)


def test_other_corpora_read_into_the_same_shape(tmp_path):
    quotes = tmp_path / "q.jsonl"
    quotes.write_text(json.dumps({"id": 1, "split": "dev", "text": "He said no.", "quotes": [
        {"char_start": 8, "char_end": 10, "kind": "indirect", "speaker": "he"},
        {"char_start": None, "char_end": None, "kind": "direct", "speaker": "she"}]}) + "\n")
    docs = corpora.quote_docs(quotes, split="dev")
    assert docs == [{"id": "1", "text": "He said no.", "quotes": [
        {"start": 8, "end": 10, "kind": "indirect", "speaker": None}]}]
    flags = tmp_path / "f.jsonl"
    flags.write_text(json.dumps({"id": 2, "text": "It may be. It is.", "sentences": [
        {"char_start": 0, "char_end": 10, "uncertain": True}, {"char_start": 11, "char_end": 17, "uncertain": False}],
        "hedged": [{"char_start": 0, "cue_types": ["epistemic"]}]}) + "\n")
    doc = corpora.flag_docs(flags)[0]
    assert doc["flags"] == [{"start": 0, "end": 10, "required": True}]
    assert doc["sentences"] == [{"start": 0, "end": 10}, {"start": 11, "end": 17}]


def test_make_eval_prints_every_score_and_holds_the_floors(capsys):
    assert eval_main([]) == 0
    out = capsys.readouterr().out
    for label in ("quotes direct", "quotes indirect", "quotes all", "speaker accuracy", "flags P",
                  "claimer accuracy", "rule hits", "floors held"):
        assert label in out


def test_rule_hits_are_reset_counted_and_printed(monkeypatch, capsys):
    import importlib.machinery
    import sys
    import types

    from bot.eval import run

    calls = []
    fake = types.ModuleType(run.RULES_MODULE)
    fake.__spec__ = importlib.machinery.ModuleSpec(run.RULES_MODULE, None)
    fake.reset_rule_hits = lambda: calls.append("reset")
    fake.rule_hits = lambda: {"inverted_said": 3, "never_fires": 0}
    monkeypatch.setitem(sys.modules, run.RULES_MODULE, fake)
    _, hits, _ = run.score(ARTICLES[:2])
    assert calls == ["reset"] and hits == {"inverted_said": 3, "never_fires": 0}
    eval_main(["--limit", "2"])
    out = capsys.readouterr().out
    assert "rule hits (2 rules, 1 with none)" in out and "3  inverted_said" in out
