"""Digest messages, /sources answers and the Home tab stay within Slack's limits and never ping."""

import json

import pytest

from bot.analysis.model import Analysis, Claim, Cue, Flag, Quote, Source, Speaker, SummaryItem
from bot.memory.digest import Share, build_digest
from bot.slack import block_kit as kit
from bot.slack import blocks as b
from bot.slack.digest_blocks import digest_messages
from bot.slack.lookup_blocks import HOME_BLOCKS, home_view
from tests.test_blocks import _check_limits, _no_leaks, _texts

HOSTILE = "<!channel> <@U123ABC> <https://evil.example|click> @here"
WORDS = "alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike".split()


def _analysis(i: int) -> Analysis:
    speaker = Speaker(name=f"{WORDS[i % 13].title()} Minister{i % 7}", title="minister")
    cue = Cue(text="could not be verified", start=0, end=10, type="unverified")
    title = f"{WORDS[i % 13]}{i} {WORDS[(i + 5) % 13]}{i} report" + (f" {HOSTILE}" if i % 10 == 0 else "")
    return Analysis(
        source=Source(url=f"https://n{i % 5}.example/a/{i}", title=title, site=f"Outlet {i % 5}",
                      kind="opinion" if i % 3 == 0 else "news"),
        text="x", summary=[SummaryItem(text=f"Summary {i} {HOSTILE} " * 4, sentence_ids=[0])],
        quotes=[Quote(speaker=speaker, text=f"words {HOSTILE}", start=0, end=1, kind="direct", sentence_id=0)],
        claims=[Claim(id="c1", text=f"Claim {i} {HOSTILE}", sentence_ids=[0], source=speaker,
                      status="unconfirmed", cues=[cue])],
        flags=[Flag(sentence_id=0, level="unconfirmed", cues=[cue])])


def _digest(n: int):
    shares, analyses = [], {}
    for i in range(n):
        url = f"https://n{i % 5}.example/a/{i}"
        shares.append(Share(url, f"U{i % 3}", 1000.0 + i, f"1.{i}"))
        analyses[url] = _analysis(i) if i % 17 != 16 else None
    names = {"U0": f"Ana {HOSTILE}", "U1": "Ben", "U2": "Chen"}
    return build_digest(shares, analyses, names, label="Tue 3 Dec 09:00 America/New_York", since=0, until=1e9)


@pytest.mark.parametrize("n", [1, 3, 40, 200])
def test_digest_fits_slack_whatever_the_number_of_links(n):
    digest = _digest(n)
    messages = digest_messages(digest, schedule="Daily at 09:00 America/New_York")
    assert messages
    for message in messages:
        _check_limits(message)
        _no_leaks(message)
    first = "\n".join(_texts(messages[0]))
    assert "Unconfirmed claims to watch" in first and "Most quoted" in first
    assert "could not be verified" in first
    fallbacks = "\n".join(m.text for m in messages)
    shown = [s for s in digest.stories if b.escaped_clip(s.articles[0].title, 120) in fallbacks]
    if n <= 40:  # every title is named in some fallback
        assert len(shown) == len(digest.stories)
    else:  # the rest are counted, never dropped silently
        rendered = "\n".join(t for m in messages for t in _texts(m))
        assert "more stor" in rendered
    # Sharers are named, never mentioned.
    everything = json.dumps([m.blocks for m in messages], ensure_ascii=False)
    assert "<@U0>" not in everything and "shared by Ana" in everything


def test_empty_digest_posts_nothing():
    assert digest_messages(_digest(0)) == []


def test_home_view_limits():
    from bot.memory.digest import Quoted
    from bot.slack.lookup_blocks import HomeDigest, HomeLink

    links = [HomeLink(f"https://x.example/{i}", f"Title {i} {HOSTILE} " * 3, "C0123", i, 1e9) for i in range(60)]
    quoted = [Quoted(f"Name {i} {HOSTILE}", HOSTILE, 3, 2) for i in range(20)]
    digests = [HomeDigest("C0123", "Daily at 09:00 UTC", "Tue 3 Dec 09:00") for _ in range(30)]
    view = home_view(links, quoted, digests, "help")
    assert view["type"] == "home" and len(view["blocks"]) <= HOME_BLOCKS
    assert all(len(blk.get("text", {}).get("text", "")) <= kit.SECTION_MAX for blk in view["blocks"])
    _no_leaks(b.Message(text="home", blocks=view["blocks"]))
