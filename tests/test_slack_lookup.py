"""/sources NAME and the Home tab through the fake Slack Web API, with the privacy rule: what was shared in
a private channel, a group DM or a DM is shown only inside it, and nothing crosses teams."""

from __future__ import annotations

import asyncio
import json

import pytest

from bot.slack.app import RUNTIME
from tests.fakes.fake_slack import TEAM_ID, message_event
from tests.fakes.slack_bot import running_bot
from tests.test_memory import PUTIN_TEXT
from tests.test_slack_digest import answered, share

PRIVATE_TEXT = """Kremlin hints at new talks over grain exports

“We are ready to discuss grain corridors again,” Russian President Vladimir Putin said on Tuesday.
"""


@pytest.fixture
async def bot(tmp_path):
    async with running_bot(tmp_path) as harness:
        yield harness


async def _answer(bot, text: str, name: str, **where: str) -> dict:
    await answered(bot, "/sources", text, name, **where)
    [call] = [c for c in bot.fake.of("response_url") if c.path.endswith("/" + name)]
    return call.args


def _shown(args: dict) -> str:
    return json.dumps(args.get("blocks", []), ensure_ascii=False) + "\n" + args.get("text", "")


@pytest.mark.parametrize("typed", ["putin", "Vladimir Putin", "President Putin", "PÚTIN"])
async def test_sources_name_finds_his_words_with_the_article_and_the_share(bot, typed):
    url = bot.articles.add("putin", PUTIN_TEXT)
    await share(bot, url, "C1", ts="1700000100.000100")
    args = await _answer(bot, typed, "who", channel="C2")  # asked from another public channel
    shown = _shown(args)
    assert args["response_type"] == "ephemeral"
    assert "Vladimir Putin" in shown and "Putin says Russia wants calm in Gaza" in shown
    assert "to help normalize the situation" in shown  # his words, verbatim
    assert "https://fake.slack.com/archives/C1/p1700000100000100" in shown  # chat.getPermalink
    assert bot.fake.of("chat.getPermalink")


async def test_sources_url_keeps_its_meaning(bot):
    args = await _answer(bot, bot.articles.url("/news/water"), "url")
    assert "Who is quoted" in _shown(args)


async def test_unknown_name_says_so(bot):
    args = await _answer(bot, "Nobody Atall", "none")
    assert "haven't seen *Nobody Atall* quoted" in args["text"]


async def test_a_private_channels_article_stays_in_it(bot):
    public = bot.articles.add("putin", PUTIN_TEXT)
    private = bot.articles.add("grain", PRIVATE_TEXT)
    await share(bot, public, "C1")
    await share(bot, private, "G1", channel_type="group")
    await share(bot, bot.articles.add("dm", PRIVATE_TEXT.replace("grain", "wheat")), "D1", channel_type="im")
    elsewhere = _shown(await _answer(bot, "Putin", "pub", channel="C2"))
    assert "calm in Gaza" in elsewhere
    assert "grain" not in elsewhere and "wheat" not in elsewhere
    inside = _shown(await _answer(bot, "Putin", "priv", channel="G1"))
    assert "grain corridors" in inside and "calm in Gaza" in inside
    # Another Slack team sees nothing at all.
    other = await _answer(bot, "Putin", "team", channel="C1", team="T0OTHER")
    assert "haven't seen" in other["text"]

    # The Home tab: public shares only.
    event = message_event("", event_type="app_home_opened", channel="D0HOME", tab="home")
    assert (await bot.event(event))[0] == 200
    await bot.fake.wait_for(lambda f: f.of("views.publish"))
    [publish] = bot.fake.of("views.publish")
    view = publish.args["view"] if isinstance(publish.args["view"], dict) else json.loads(publish.args["view"])
    home = json.dumps(view, ensure_ascii=False)
    assert publish.args["user_id"] == "U0000001" and view["type"] == "home"
    assert "Putin says Russia wants calm in Gaza" in home and "<#C1>" in home
    assert "Kremlin hints" not in home and "grain" not in home and "G1" not in home
    assert "Vladimir Putin" in home  # quoted most this week (from the public article)


async def test_app_mention_first_then_message_keeps_the_private_type(bot):
    """Slack sends app_mention (no channel_type) and message (with it) for one post: the share is private."""
    url = bot.articles.add("grain", PRIVATE_TEXT)
    ts = "1700000200.000100"
    await bot.event(message_event(f"<@UBOT0001> <{url}>", channel="G2", ts=ts, event_type="app_mention",
                                  channel_type=None))
    await bot.fake.wait_for(lambda f: f.of("chat.update"))
    await bot.event(message_event(f"<@UBOT0001> <{url}>", channel="G2", ts=ts, channel_type="group"))
    rt = bot.web_app[RUNTIME]
    for _ in range(50):
        links = await rt.store.links_since(team=TEAM_ID, since=0)
        if links and links[0].channel_type == "group":
            break
        await asyncio.sleep(0.05)
    assert [link.channel_type for link in links] == ["group"]
    assert "haven't seen" in (await _answer(bot, "Putin", "p", channel="C1"))["text"]


async def test_index_is_rebuilt_for_analyses_stored_before_it(tmp_path):
    """Analyses stored before the sources index existed are indexed when the bot starts, and shares
    recorded before their conversation type was kept get it from Slack (so a public one is found from
    another channel)."""
    from bot.store import Store
    from bot.store.tables import shared_links, sources_index, sources_indexed
    from tests.fakes.article_server import ArticleServer
    from tests.fakes.fake_slack import FakeSlack

    fake, articles = await FakeSlack().start(), await ArticleServer().start()
    try:
        async with running_bot(tmp_path, fake=fake, articles=articles, keep_fakes=True) as bot:
            await share(bot, articles.add("putin", PUTIN_TEXT), "C1")
        store = await Store.open(str(tmp_path / "newsbot.sqlite"))

        async def forget(conn):  # as a database from before the index and the shares' types would be
            await conn.execute(sources_index.delete())
            await conn.execute(sources_indexed.delete())
            await conn.execute(shared_links.update().values(channel_type=None))

        await store.write(forget)
        await store.close()
        async with running_bot(tmp_path, fake=fake, articles=articles, keep_fakes=True) as bot:
            rt = bot.web_app[RUNTIME]
            await rt.upkeep
            assert "calm in Gaza" in _shown(await _answer(bot, "putin", "after", channel="C2"))
    finally:
        await articles.stop()
        await fake.stop()


async def test_a_mention_alone_is_typed_by_asking_slack(bot):
    """An app_mention (no channel_type) with no message event after it: conversations.info says where."""
    url = bot.articles.add("putin", PUTIN_TEXT)
    await bot.event(message_event(f"<@UBOT0001> <{url}>", channel="C7", event_type="app_mention", channel_type=None))
    await bot.fake.wait_for(lambda f: f.of("chat.update"))
    assert bot.fake.of("conversations.info")
    assert "calm in Gaza" in _shown(await _answer(bot, "Putin", "p", channel="C1"))
