"""Two outlets' versions of one story through the fake Slack Web API: the second share's thread reply
carries a comparison with the first; an unrelated article, the same outlet again, or an article shared in
another conversation (a private one above all) get none; `/compare URL URL` through a signed command."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fakes.article_server import article_html
from tests.fakes.slack_bot import running_bot
from tests.test_slack_digest import answered, rendered, share

STORIES = Path(__file__).parent / "fixtures" / "stories"
COMPARED = "Compared with"


@pytest.fixture
async def bot(tmp_path):
    async with running_bot(tmp_path) as harness:
        yield harness


def _add(bot, slug: str, fixture: str, site: str) -> str:
    """Serve a fixture article as `site`'s page (og:site_name is how an outlet is told apart)."""
    bot.articles.pages[slug] = article_html((STORIES / fixture).read_text(), site=site)
    return bot.articles.url(f"/news/{slug}")


def _reply(bot, channel: str) -> str:
    """The last thread reply in `channel`, as shown."""
    return rendered([c for c in bot.fake.of("chat.update") if c.args["channel"] == channel][-1])


async def test_second_outlet_gets_the_comparison_in_its_thread(bot):
    herald = _add(bot, "herald-bridge", "bridge_coast_herald.txt", "Coast Herald")
    times = _add(bot, "times-bridge", "bridge_valley_times.txt", "Valley Times")
    await share(bot, herald, "C1")
    assert COMPARED not in _reply(bot, "C1")  # the first article of a story has nothing to compare with
    await share(bot, times, "C1")
    shown = _reply(bot, "C1")
    assert COMPARED in shown and "Coast Herald" in shown
    # The casualty figure: unconfirmed in one, stated (attributed to the fire department) in the other.
    assert "Flagged differently" in shown
    assert "*Valley Times* states it; *Coast Herald* calls it unconfirmed" in shown
    assert "At least 12 people were killed in the collapse, according to unconfirmed reports." in shown
    # Claims and quotes only one of them has, verbatim.
    assert "Only Valley Times reports" in shown and "Governor Dana Whitfield announced an inquiry" in shown
    assert "Only Coast Herald reported" in shown and "Rescue crews searched the river" in shown
    assert "Quoted only by Coast Herald" in shown and "The bridge was never designed for winds like these" in shown
    # Something both say is not listed as only one's.
    assert "would stay closed for at least a month" not in shown.split(COMPARED, 1)[1]


async def test_unrelated_article_and_same_outlet_get_no_comparison(bot):
    await share(bot, _add(bot, "herald-bridge", "bridge_coast_herald.txt", "Coast Herald"), "C1")
    await share(bot, _add(bot, "times-library", "library_budget.txt", "Valley Times"), "C1")
    assert COMPARED not in _reply(bot, "C1")  # names the same mayor, but another story
    await share(bot, _add(bot, "herald-bridge-2", "bridge_valley_times.txt", "Coast Herald"), "C1")
    assert COMPARED not in _reply(bot, "C1")  # one outlet's second article is no comparison


@pytest.mark.parametrize("first_in", [("G1", "group"), ("C2", "channel")])
async def test_an_article_from_another_conversation_is_never_compared(bot, first_in):
    channel, kind = first_in
    await share(bot, _add(bot, "herald-bridge", "bridge_coast_herald.txt", "Coast Herald"), channel,
                channel_type=kind)
    await share(bot, _add(bot, "times-bridge", "bridge_valley_times.txt", "Valley Times"), "C1")
    shown = _reply(bot, "C1")
    assert COMPARED not in shown and "Coast Herald" not in shown and "Rescue crews" not in shown


async def test_compare_command_answers_privately_through_response_url(bot):
    herald = _add(bot, "herald-bridge", "bridge_coast_herald.txt", "Coast Herald")
    times = _add(bot, "times-bridge", "bridge_valley_times.txt", "Valley Times")
    await answered(bot, "/compare", f"{herald} {times}", "cmp")
    [call] = [c for c in bot.fake.of("response_url") if c.path.endswith("/cmp")]
    shown = rendered(call)
    assert call.args["response_type"] == "ephemeral"
    assert "Coast Herald vs Valley Times" in shown
    assert "*Valley Times* states it; *Coast Herald* calls it unconfirmed" in shown
    assert "Quoted only by Coast Herald" in shown
    assert not bot.fake.of("chat.postMessage")  # nothing in the channel


@pytest.mark.parametrize(("text", "says"), [
    ("", "Usage:* `/compare URL URL`"),
    ("{a}", "only one article link"),
    ("{a} {a}", "same link twice"),
    ("no links here", "couldn't find two article links"),
])
async def test_compare_command_explains_what_is_wrong(bot, text, says):
    url = bot.articles.url("/news/water")
    status, body, _ = await bot.command("/compare", text.format(a=url), name="bad")
    assert status == 200 and says in body
    assert not bot.fake.of("response_url")


async def test_compare_command_says_which_link_could_not_be_read(bot):
    good = _add(bot, "herald-bridge", "bridge_coast_herald.txt", "Coast Herald")
    said = await answered(bot, "/compare", f"{good} {bot.articles.url('/missing')}", "missing")
    assert "couldn't read" in said and "404" in said
