"""The engine per conversation in the Slack app: NEWSBOT_PRIVATE_ENGINE keeps DMs away from the model, and
`/newsbot engine offline|auto|default` sets a channel's own engine, kept in the store, named in the footer."""

from __future__ import annotations

import json

from bot.store import Store
from tests.fakes.fake_openai import FakeOpenAI, answer
from tests.fakes.fake_slack import message_event
from tests.fakes.slack_bot import running_bot
from tests.test_llm import GOOD


def footers(fake) -> list[str]:
    out = []
    for call in fake.of("chat.update"):
        blocks = call.args.get("blocks", [])
        blocks = json.loads(blocks) if isinstance(blocks, str) else blocks
        out.append(json.dumps(blocks, ensure_ascii=False))
    return out


async def share(bot, link: str, channel: str, channel_type: str) -> str:
    before = len(bot.fake.of("chat.update"))
    await bot.event(message_event(f"<{link}>", channel=channel, channel_type=channel_type))
    await bot.fake.wait_for(lambda f: len(f.of("chat.update")) > before)
    return footers(bot.fake)[-1]


async def newsbot(bot, text: str, name: str, **where: str) -> str:
    """/newsbot acks at once (its store write must not hold Slack's deadline) and answers through its
    response_url: the answer, as JSON text."""
    status, body, _ = await bot.command("/newsbot", text, name=name, **where)
    assert status == 200
    if body:  # the usage text is the ack itself
        return body
    path = f"/response/{name}"
    await bot.fake.wait_for(lambda f: any(c.path == path for c in f.of("response_url")))
    [call] = [c for c in bot.fake.of("response_url") if c.path == path]
    return json.dumps(call.args, ensure_ascii=False)


async def test_private_conversations_and_channel_settings_choose_the_engine(tmp_path, fake: FakeOpenAI):
    fake.default = answer(GOOD)
    env = {"OPENAI_BASE_URL": fake.base_url, "NEWSBOT_ENGINE": "auto", "NEWSBOT_PRIVATE_ENGINE": "offline"}
    async with running_bot(tmp_path, **env) as bot:
        link = bot.articles.url("/news/water")
        assert "openai (gpt-4.1-mini) engine" in await share(bot, link, "C1", "channel") and fake.calls == 1
        dm = await share(bot, bot.articles.url("/news/water?dm"), "D1", "im")
        assert "offline engine" in dm and "this channel's setting" not in dm and fake.calls == 1

        body = await newsbot(bot, "engine offline", name="set", channel="C1", user="U1")
        assert '"in_channel"' in body and "set this channel's engine to `offline`" in body
        footer = await share(bot, bot.articles.url("/news/water?again"), "C1", "channel")
        assert "offline engine (this channel's setting)" in footer and fake.calls == 1

        shown = await newsbot(bot, "engine", name="show", channel="C1")
        assert "offline engine (rules" in shown and "this channel's own setting" in shown and '"ephemeral"' in shown
        await newsbot(bot, "engine auto", name="dm-auto", channel="D1", user="U1")
        assert "openai (gpt-4.1-mini) engine (this channel's setting)" in await share(bot, bot.articles.url("/news/water?x"), "D1",
                                                                         "im")
        assert fake.calls == 1  # the same text as in C1: the model's cached analysis, now allowed here
        await newsbot(bot, "engine default", name="clear", channel="D1", user="U1")
        shown = await newsbot(bot, "engine", name="show2", channel="D1")
        assert "offline engine (rules" in shown and "the workspace's settings" in shown
        usage = await newsbot(bot, "engine gpt-5", name="bad", channel="C1")
        assert "/newsbot engine offline" in usage


async def test_the_channel_setting_is_kept_in_the_store(tmp_path):
    store = await Store.open(str(tmp_path / "db.sqlite"))
    try:
        assert await store.channel_engine(team="T1", channel="C1") is None
        await store.set_channel_engine(team="T1", channel="C1", engine="offline", user="U1")
        await store.set_channel_engine(team="T1", channel="C1", engine="auto", user="U2")
        assert await store.channel_engine(team="T1", channel="C1") == "auto"
        assert await store.channel_engine(team="T2", channel="C1") is None
        await store.set_channel_engine(team="T1", channel="C1", engine=None)
        assert await store.channel_engine(team="T1", channel="C1") is None
    finally:
        await store.close()
