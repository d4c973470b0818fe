"""bot/memory/compare.py: two outlets' analyses of one story compared, every line verbatim from them."""

from __future__ import annotations

import json
from pathlib import Path

from bot.analysis import offline
from bot.analysis.model import Analysis, Article, Claim, Quote, Sentence, Source, Speaker
from bot.memory.compare import compare, content_words, counterpart, same_outlet
from bot.slack.compare_blocks import compare_message, thread_addendum

STORIES = Path(__file__).parent / "fixtures" / "stories"


def _analyse(name: str, site: str) -> Analysis:
    title, _, body = (STORIES / name).read_text().partition("\n")
    return offline.analyze(Article(text=body, source=Source(title=title, site=site)))


HERALD = _analyse("bridge_coast_herald.txt", "Coast Herald")
TIMES = _analyse("bridge_valley_times.txt", "Valley Times")
LIBRARY = _analyse("library_budget.txt", "Valley Times")


def _all_said(cmp):
    yield from ((s, "this") for s in cmp.only_this + cmp.quoted_only_this)
    yield from ((s, "earlier") for s in cmp.only_earlier + cmp.quoted_only_earlier)
    for d in cmp.flags:
        yield d.this, "this"
        yield d.earlier, "earlier"


def test_two_outlets_versions_differ_where_they_do():
    cmp = compare(TIMES, HERALD)
    assert (cmp.this_outlet, cmp.earlier_outlet) == ("Valley Times", "Coast Herald")
    [flag] = cmp.flags
    assert "unconfirmed reports" in flag.earlier.text and flag.earlier_status == "unconfirmed"
    assert "fire department said" in flag.this.text and flag.this_status == "attributed"
    assert [s.text for s in cmp.only_this] == [
        "Governor Dana Whitfield announced an inquiry into the maintenance of the bridge on Wednesday."]
    assert any("Rescue crews" in s.text for s in cmp.only_earlier)
    assert "Elena Ruiz" in {s.who for s in cmp.quoted_only_earlier}
    # What both report (the agency's closure, the collapse itself) is in neither "only" list.
    everything = " ".join(s.text for s, _ in _all_said(cmp) if s not in (flag.this, flag.earlier))
    assert "closed for at least a month" not in everything and "collapsed on Tuesday" not in everything


def test_every_line_is_the_articles_own_words():
    cmp = compare(TIMES, HERALD)
    for said, side in _all_said(cmp):
        assert said.text in (TIMES if side == "this" else HERALD).text


def test_the_same_article_twice_says_nothing():
    assert compare(HERALD, HERALD.model_copy(deep=True)).empty


def test_content_words_ignore_filler_and_keep_figures():
    assert content_words("At least 12 people were killed, officials said") == {"12", "people", "kill", "official"}


def _article(text: str, speaker: str, title: str, site: str, status: str = "attributed") -> Analysis:
    """One sentence, one quote of it by `speaker`, one claim: an analysis as an engine would store it."""
    who = Speaker(name=speaker, kind="person")
    return Analysis(text=text, source=Source(title=title, site=site),
                    sentences=[Sentence(id=0, start=0, end=len(text))],
                    quotes=[Quote(speaker=who, text=text, start=0, end=len(text), kind="indirect", sentence_id=0)],
                    claims=[Claim(id="c1", text=text, sentence_ids=[0], source=who, status=status)])


def test_a_speaker_named_differently_is_one_speaker():
    a = _article("Putin said the grain deal would end in March.", "President Vladimir Putin", "Grain deal", "A")
    b = _article("Putin said the grain deal would end in March.", "Putin", "Grain deal", "B")
    assert compare(a, b).empty
    c = _article("Putin said the grain deal would end in March.", "Dmitry Peskov", "Grain deal", "C")
    assert [s.who for s in compare(c, b).quoted_only_this] == ["Dmitry Peskov"]


def test_offsets_that_do_not_fit_the_text_are_never_shown():
    broken = _article("Ships left the port on Friday evening.", "Ana Ruiz", "Ships", "A")
    broken = broken.model_copy(update={"text": "short"})
    cmp = compare(broken, HERALD)
    assert not cmp.only_this and not cmp.quoted_only_this


def test_counterpart_is_the_storys_first_article_from_another_outlet():
    herald2 = HERALD.model_copy(update={"source": Source(title=HERALD.source.title, site="coast herald")})
    assert counterpart(TIMES, "t", [("l", LIBRARY), ("h", HERALD), ("h2", herald2)]) == ("h", HERALD)
    assert counterpart(TIMES, "t", [("l", LIBRARY)]) is None  # another story (the same mayor)
    assert same_outlet(HERALD, herald2)
    assert counterpart(herald2, "h2", [("h", HERALD)]) is None  # one outlet's two articles
    assert counterpart(TIMES, "t", []) is None


def test_article_text_is_escaped_in_the_comparison():
    hostile = ("Mayor <!channel> said the <https://evil.example|bridge> fund would be spent on roads @here "
               "next year.")
    a = _article(hostile, "Ana Ruiz", "Harbor Bridge fund", "Evil <b>Times</b>")
    cmp = compare(a, HERALD)
    rendered = json.dumps([thread_addendum(cmp, "https://evil.example/x").__dict__,
                           compare_message(cmp, "https://a.example/1", "https://b.example/2", same_story=False).blocks])
    assert "<!channel>" not in rendered and "<https://evil.example|bridge>" not in rendered
    assert "&lt;!channel&gt;" in rendered and "@\\u2060here" in rendered
    assert "Evil &lt;b&gt;Times&lt;/b&gt;" in rendered


def _crowded(outlet: str, seed: str) -> Analysis:
    """Sixty claims and speakers no other article shares, each sentence long and hostile."""
    sentences, quotes, claims, text = [], [], [], ""
    for i in range(60):
        line = f"{seed}{i} <!channel> " + " ".join(f"{seed}word{i}x{j}" for j in range(60)) + " @here. "
        start = len(text)
        text += line
        sentences.append(Sentence(id=i, start=start, end=len(text) - 1))
        who = Speaker(name=f"<@U123ABC> {seed} Person{seed}{i}", kind="person")
        quotes.append(Quote(speaker=who, text=line, start=start, end=len(text) - 1, kind="direct", sentence_id=i))
        claims.append(Claim(id=f"c{i}", text=line, sentence_ids=[i], source=who, status="unconfirmed"))
    return Analysis(text=text, source=Source(title=f"Harbor Bridge {seed}", site=outlet * 20), sentences=sentences,
                    quotes=quotes, claims=claims)


def test_a_crowded_comparison_stays_within_slacks_limits():
    from bot.slack import blocks
    from tests.test_blocks import _check_limits, _no_leaks

    this, earlier = _crowded("<!here>Times", "alpha"), _crowded("Herald", "beta")
    cmp = compare(this, earlier)
    assert len(cmp.only_this) == 0 and len(cmp.quoted_only_this) == 60  # claims are the quotes' sentences
    addendum = thread_addendum(cmp, "https://b.example/2")
    for message in (blocks.analysis_message(this, "thread", addendum=addendum),
                    compare_message(cmp, "https://a.example/1", "https://b.example/2", same_story=True)):
        _check_limits(message)
        _no_leaks(message)
        assert "Quoted only by" in json.dumps(message.blocks)


def test_claims_with_different_figures_are_not_one_claim():
    a = _article("At least 12 people were killed in the bridge collapse.", "Ana Ruiz", "Bridge", "A", "unconfirmed")
    b = _article("At least 15 people were killed in the bridge collapse.", "Ana Ruiz", "Bridge", "B")
    cmp = compare(a, b)
    assert not cmp.flags
    assert [s.text for s in cmp.only_this] == [a.text] and [s.text for s in cmp.only_earlier] == [b.text]
    same = _article("At least 15 people were killed in the bridge collapse.", "Ana Ruiz", "Bridge", "C", "unconfirmed")
    [flag] = compare(same, b).flags
    assert (flag.this_status, flag.earlier_status) == ("unconfirmed", "attributed")
