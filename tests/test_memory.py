"""newsbot's memory as pure logic: names as people type them, the /sources index entries, story grouping,
digests, and the privacy rule."""


import pytest

from bot.analysis import offline
from bot.analysis.model import Analysis, Article, Claim, Cue, Quote, Source, Speaker, SummaryItem
from bot.memory.digest import Share, build_digest
from bot.memory.names import query_key, speaker_keys
from bot.memory.sources import SourceHit, entries, group_hits
from bot.memory.stories import group
from bot.memory.visibility import Viewer, visible

PUTIN_TEXT = """Putin says Russia wants calm in Gaza

When Russian President Vladimir Putin finally called Israeli Prime Minister Benjamin Netanyahu on Monday, he said Russia was trying “to help normalize the situation” in the Gaza Strip, according to the Kremlin.
“I think that many people will agree with me that this is a vivid example of the failure of United States policy in the Middle East,” Putin said.
Ukrainian officials have claimed that Russia’s mercenary firm Wagner helped train Hamas soldiers.
"""


@pytest.fixture(scope="module")
def putin() -> Analysis:
    return offline.analyze(Article(text=PUTIN_TEXT, source=Source(title="Putin says Russia wants calm in Gaza")))


@pytest.mark.parametrize("typed", ["putin", "Putin", "PUTIN", "Vladimir Putin", "President Putin",
                                   "Russian President Vladimir Putin", "Mr. Pútin", "vladimir  putin"])
def test_name_variants_find_the_indexed_keys(typed, putin):
    keys = {e.key for e in entries(putin) if e.name == "Vladimir Putin"}
    assert query_key(typed) in keys


def test_keys_of_people_and_organisations():
    assert speaker_keys(Speaker(name="Vladimir Putin", title="Russian President")) == ["vladimir putin", "putin"]
    assert speaker_keys(Speaker(name="The Kremlin", kind="organization")) == ["kremlin"]
    assert "de gaulle" in speaker_keys(Speaker(name="Charles de Gaulle"))
    assert speaker_keys(Speaker(name="a senior official", kind="unnamed")) == []
    assert query_key("U.S. officials") == query_key("US officials")


def test_entries_hold_the_words_verbatim(putin):
    said = [e for e in entries(putin) if e.key == "putin"]
    assert said and all(e.text in PUTIN_TEXT for e in said)
    assert {e.detail for e in said if e.item == "quote"} >= {"direct"}
    # A claim repeating a quote's sentence is not listed twice.
    assert len({(e.item, e.position) for e in said}) == len(said)


def _hit(who: str, name: str, url: str, shared_at: float, text: str = "words") -> SourceHit:
    from bot.memory.sources import SourceEntry

    entry = SourceEntry("smith", who, name, None, "person", "quote", "direct", text, 0)
    return SourceHit(entry, url, "Title", None, None, "T1", "C1", "channel", "1.0", shared_at)


def test_namesakes_are_listed_apart_newest_first():
    hits = [_hit("person:john smith", "John Smith", "u1", 1.0), _hit("person:anna smith", "Anna Smith", "u2", 3.0),
            _hit("person:john smith", "John Smith", "u3", 2.0), _hit("person:john smith", "John Smith", "u3", 1.5)]
    people = group_hits(hits)
    assert [p.name for p in people] == ["John Smith", "Anna Smith"]
    assert [h.url for h in people[0].hits] == ["u3", "u1"]  # u3 once, at its newest share


def test_privacy_rule():
    public = {"team": "T1", "channel": "C1", "channel_type": "channel"}
    private = {"team": "T1", "channel": "G1", "channel_type": "group"}
    assert visible(Viewer("T1", "C9"), **public) and visible(Viewer("T1"), **public)
    assert not visible(Viewer("T2", "C1"), **public)  # never across teams
    assert visible(Viewer("T1", "G1"), **private)
    assert not visible(Viewer("T1", "C1"), **private) and not visible(Viewer("T1"), **private)
    for kind in ("im", "mpim", None):
        assert not visible(Viewer("T1", "C1"), team="T1", channel="D1", channel_type=kind)


def _article(title: str, site: str, people: list[str], flagged: int = 0) -> Analysis:
    cue = Cue(text="reportedly", start=0, end=10, type="reported")
    speakers = [Speaker(name=p, title="minister") for p in people]
    return Analysis(
        source=Source(title=title, site=site, kind="news", url=f"https://{site}/x"), text="x",
        summary=[SummaryItem(text=f"{title}, in one line.", sentence_ids=[0])],
        quotes=[Quote(speaker=s, text="we will act", start=0, end=1, kind="direct", sentence_id=0) for s in speakers],
        claims=[Claim(id=f"c{i}", text=f"{title} claim {i} reportedly", sentence_ids=[0], source=speakers[0],
                      status="unconfirmed", cues=[cue]) for i in range(flagged)])


def test_same_story_from_several_outlets_is_one_story():
    a = _article("Harbor city weighs emergency water limits", "harbor.example", ["Elena Varga"])
    b = _article("Emergency water limits weighed by Harbor city council", "daily.example", ["Elena Varga"])
    c = _article("Election results delayed in the north", "north.example", ["Tom Reed"])
    d = _article("Harbor council: water limits could start Monday, says Varga", "wire.example",
                 ["Elena Varga", "Mark Olsen"])
    assert group([a, c, b, d, None]) == [[0, 2, 3], [1], [4]]


def test_digest_lists_stories_claims_to_watch_and_most_quoted():
    a = _article("Harbor city weighs emergency water limits", "harbor.example", ["Elena Varga"], flagged=2)
    b = _article("Emergency water limits weighed by Harbor city", "daily.example", ["Elena Varga", "Tom Reed"])
    shares = [Share("https://harbor.example/x", "U1", 10.0, "1.1"), Share("https://daily.example/x", "U2", 20.0, "1.2"),
              Share("https://harbor.example/x", "U2", 30.0, "1.3"), Share("https://gone.example/y", "U1", 40.0, "1.4"),
              Share("https://late.example/z", "U1", 99.0, "1.5")]
    analyses = {"https://harbor.example/x": a, "https://daily.example/x": b, "https://gone.example/y": None}
    d = build_digest(shares, analyses, {"U1": "Ana", "U2": "Ben"}, label="Tue 3 Dec", since=0, until=50)
    assert [len(s.articles) for s in d.stories] == [2, 1]
    first = d.stories[0].articles[0]
    assert first.shared_by == ["Ana", "Ben"] and first.claims == 2 and first.read
    assert not d.stories[1].articles[0].read
    assert d.links == 3  # the share at 99 is outside the period
    assert [w.article_title for w in d.watch] == [a.source.title] * 2 and d.watch[0].cues == ["reportedly"]
    assert d.most_quoted[0].name == "Elena Varga" and d.most_quoted[0].articles == 2


def test_empty_period_is_empty():
    assert build_digest([], {}, {}, label="x", since=0, until=1).empty
