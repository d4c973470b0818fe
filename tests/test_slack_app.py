"""The Slack app end to end over real HTTP on 127.0.0.1: signed requests in, a fake Slack Web API recording
what the bot says, an article server for the links. Offline engine, no internet."""

from __future__ import annotations

import asyncio
import json
import time

import pytest

from bot.slack.app import RUNTIME
from bot.slack.blocks import SHARE_ACTION, escape
from tests.fakes.fake_slack import BOT_ID, BOT_USER_ID, action_body, message_event
from tests.fakes.slack_bot import rendered as _rendered
from tests.fakes.slack_bot import running_bot


@pytest.fixture
async def bot(tmp_path):
    async with running_bot(tmp_path) as harness:
        yield harness


async def test_url_verification(bot):
    status, body, _ = await bot.event({"type": "url_verification", "challenge": "abc123", "token": "x"})
    assert status == 200 and "abc123" in body


@pytest.mark.parametrize("how", ["forged", "stale", "unsigned"])
async def test_bad_signatures_are_refused(bot, how):
    payload = json.dumps(message_event(f"look <{bot.articles.url('/news/water')}>"))
    if how == "forged":
        status, _, _ = await bot.post(payload, secret="not-the-secret")
    elif how == "stale":
        status, _, _ = await bot.post(payload, timestamp=int(time.time()) - 600)
    else:
        async with bot.session.post(bot.url, data=payload, headers={"Content-Type": "application/json"}) as r:
            status = r.status
    assert status == 401
    await asyncio.sleep(0.2)
    assert not bot.replies()


async def test_link_gets_placeholder_then_analysis_in_thread(bot):
    link = bot.articles.url("/news/water")
    status, _, elapsed = await bot.event(message_event(f"Seen this? <{link}>", ts="1700000000.000100"))
    assert status == 200 and elapsed < 1.0
    await bot.fake.wait_for(lambda f: f.of("chat.update"))
    [placeholder] = bot.replies()
    assert placeholder.args["thread_ts"] == "1700000000.000100"
    assert placeholder.args["text"] == "Reading 127.0.0.1…"
    assert placeholder.token == "xoxb-test-token"
    [update] = bot.updates()
    rendered = _rendered(update)
    assert update.args["text"]  # the plain fallback
    assert "Harbor city weighs emergency water limits" in rendered
    # Whatever the offline engine found is what the reply names: the quoted people, the flagged claims.
    analysis = await bot.cached_analysis(link)
    for quote in analysis.quotes[:3]:
        assert escape(quote.speaker.name) in rendered
    if any(c.status == "unconfirmed" for c in analysis.claims):
        assert "⚠ *unconfirmed*" in rendered
    assert update.args["blocks"][0]["type"] == "header"


async def test_retry_and_duplicate_events_get_one_reply(bot):
    link = bot.articles.url("/news/water")
    event = message_event(f"<{link}>", ts="1700000001.000100")
    assert (await bot.event(event))[0] == 200
    assert (await bot.event(event, retry_num=1))[0] == 200
    # The app_mention Slack sends for the same message has its own event id: deduped on channel+ts+URL.
    mention = message_event(f"<@{BOT_USER_ID}> <{link}>", ts="1700000001.000100", event_type="app_mention")
    assert (await bot.event(mention))[0] == 200
    await bot.fake.wait_for(lambda f: f.of("chat.update"))
    await asyncio.sleep(0.3)
    assert len(bot.replies()) == 1
    assert len(bot.updates()) == 1


async def test_same_link_in_another_channel_comes_from_the_cache(bot):
    link = bot.articles.url("/news/water")
    await bot.event(message_event(f"<{link}>", channel="C1"))
    await bot.fake.wait_for(lambda f: len(f.of("chat.update")) == 1)
    await bot.event(message_event(f"<{link}?utm_source=x>", channel="C2"))
    await bot.fake.wait_for(lambda f: len(f.of("chat.update")) == 2)
    assert bot.articles.hits["/news/water"] == 1
    assert "from cache" in _rendered(bot.updates()[1])
    assert [c.args["channel"] for c in bot.replies()] == ["C1", "C2"]


async def test_same_link_in_several_channels_at_once_is_read_once(bot):
    """Shared in three channels before the first analysis ends: one fetch, one analysis, three answers."""
    link = bot.articles.url("/news/water")
    await asyncio.gather(*(bot.event(message_event(f"<{link}>", channel=f"CX{i}")) for i in range(3)))
    await bot.fake.wait_for(lambda f: len(f.of("chat.update")) == 3)
    assert bot.articles.hits["/news/water"] == 1
    assert sorted("from cache" in _rendered(u) for u in bot.updates()) == [False, True, True]
    assert all("Harbor city" in _rendered(u) for u in bot.updates())
    assert not bot.web_app[RUNTIME].pipeline.inflight


async def test_several_links_one_reply_each_up_to_the_limit(bot):
    urls = [bot.articles.add(f"s{i}", f"Story {i}\n\nThe mayor said on Monday that story {i} was true.")
            for i in range(5)]
    await bot.event(message_event(" ".join(f"<{u}>" for u in urls)))
    await bot.fake.wait_for(lambda f: len(f.of("chat.update")) == 3)
    await asyncio.sleep(0.3)
    assert len(bot.replies()) == 3  # NEWSBOT_MAX_LINKS_PER_MESSAGE defaults to 3


@pytest.mark.parametrize(
    "event",
    [
        {"subtype": "bot_message", "bot_id": "B999"},
        {"bot_id": BOT_ID},
        {"user": BOT_USER_ID},
        {"subtype": "message_changed"},
        {"subtype": "message_deleted"},
    ],
)
async def test_ignored_messages(bot, event):
    await bot.event(message_event(f"<{bot.articles.url('/news/water')}>", **event))
    await asyncio.sleep(0.4)
    assert not bot.replies()


async def test_non_article_links_are_ignored(bot):
    text = "<https://example.slack.com/archives/C1/p1> <https://www.youtube.com/watch?v=x> <https://x.example/a.png>"
    await bot.event(message_event(text))
    await asyncio.sleep(0.3)
    assert not bot.replies()


@pytest.mark.parametrize(
    "path,words",
    [
        ("/missing", "404"),
        ("/file.bin", "not an article"),
        ("/image", "image"),
        ("/redirect?to=http://10.0.0.1/internal", "won't fetch"),
    ],
)
async def test_unreadable_links_end_in_a_clear_message(bot, path, words):
    await bot.event(message_event(f"<{bot.articles.url(path)}>"))
    await bot.fake.wait_for(lambda f: f.of("chat.update"))
    text = bot.updates()[0].args["text"]
    assert text.startswith(":warning: I couldn't read 127.0.0.1:"), text
    assert words in text, text


async def test_refused_host_is_answered(bot):
    await bot.event(message_event("<http://localhost:9/admin>"))
    await bot.fake.wait_for(lambda f: f.of("chat.update"))
    text = bot.updates()[0].args["text"]
    assert text.startswith(":warning: I couldn't read localhost:"), text
    # ...and the bot is still up.
    status, _, _ = await bot.event({"type": "url_verification", "challenge": "still", "token": "x"})
    assert status == 200


async def test_hostile_article_pings_nobody(bot):
    await bot.event(message_event(f"<{bot.articles.url('/hostile')}>"))
    await bot.fake.wait_for(lambda f: f.of("chat.update"))
    rendered = _rendered(bot.updates()[0])
    assert "Ana Ruiz" in rendered or "Council vote" in rendered
    for leak in ("<!channel>", "<!here>", "<@U0123ABCD>", "<https://evil", "@everyone"):
        assert leak not in rendered


async def test_mention_without_link_gets_help(bot):
    await bot.event(message_event(f"<@{BOT_USER_ID}> what do you do?", event_type="app_mention"))
    await bot.fake.wait_for(lambda f: f.of("chat.postMessage"))
    assert "/claims" in bot.replies()[0].args["text"]


async def test_slash_command_answers_through_response_url(bot):
    status, body, elapsed = await bot.command("/claims", bot.articles.url("/news/water"))
    assert status == 200 and elapsed < 1.0
    assert "Reading 127.0.0.1" in body
    await bot.fake.wait_for(lambda f: f.of("response_url"))
    [answer] = bot.fake.of("response_url")
    assert answer.args["response_type"] == "ephemeral"
    rendered = _rendered(answer)
    assert "Claims and who makes them" in rendered and "unconfirmed" in rendered
    buttons = [b for b in answer.args["blocks"] if b["type"] == "actions"]
    assert buttons[0]["elements"][0]["action_id"] == SHARE_ACTION

    # "Share in channel" posts the same view for everyone and removes the private copy.
    value = buttons[0]["elements"][0]["value"]
    status, _, _ = await bot.post(action_body(SHARE_ACTION, value, bot.fake.response_url("share")),
                                  content_type="application/x-www-form-urlencoded")
    assert status == 200
    await bot.fake.wait_for(lambda f: len(f.of("response_url")) == 3)
    shared, deleted = bot.fake.of("response_url")[1:]
    assert shared.args["response_type"] == "in_channel" and "shared by <@U0000001>" in _rendered(shared)
    assert not [b for b in shared.args["blocks"] if b["type"] == "actions"]
    assert deleted.args["delete_original"] is True


@pytest.mark.parametrize("command,heading", [("/summarize", "Summary"), ("/sources", "Who is quoted")])
async def test_other_commands(bot, command, heading):
    await bot.command(command, f"<{bot.articles.url('/news/water')}>")
    await bot.fake.wait_for(lambda f: f.of("response_url"))
    assert heading in _rendered(bot.fake.of("response_url")[0])


@pytest.mark.parametrize("text", ["", "help"])
async def test_command_usage(bot, text):
    status, body, _ = await bot.command("/sources", text)
    assert status == 200 and "/sources URL" in body
    await asyncio.sleep(0.2)
    assert not bot.fake.of("response_url")


async def test_command_without_a_link(bot):
    _, body, _ = await bot.command("/claims", "what is this")
    assert "couldn't find a link" in body


@pytest.mark.parametrize(
    "text,url",
    [("www.bbc.co.uk/news/world-123", "https://www.bbc.co.uk/news/world-123"),
     ("apnews.com/article/abc?utm_source=x", "https://apnews.com/article/abc"),
     ("<https://example.com/news/a|example.com/news/a>", "https://example.com/news/a"),
     ("what is this", None), ("e.g.", None), ("example.com/photo.jpg", None)],
)
def test_command_reads_a_link_typed_without_https(text, url):
    """Slack hands a slash command the words as typed: `/claims www.bbc.co.uk/news/…` is a link too."""
    from bot.slack.listeners.commands import _command_urls

    assert _command_urls(text) == ([url] if url else [])


async def test_command_with_unreadable_link_gives_reason(bot):
    await bot.command("/summarize", bot.articles.url("/missing"))
    await bot.fake.wait_for(lambda f: f.of("response_url"))
    text = bot.fake.of("response_url")[0].args["text"]
    assert "404" in text and "couldn't read" in text


async def test_placeholder_is_edited_when_slack_refuses_blocks(bot):
    bot.fake.fail["chat.update"] = "msg_too_long"
    await bot.event(message_event(f"<{bot.articles.url('/news/water')}>"))
    await bot.fake.wait_for(lambda f: len(f.of("chat.update")) == 2)
    second = bot.updates()[1].args
    assert "refused to show the result (msg_too_long)" in second["text"] and not second.get("blocks")


async def test_rate_limited_post_is_retried(bot):
    bot.fake.rate_limit["chat.postMessage"] = 1
    await bot.event(message_event(f"<{bot.articles.url('/news/water')}>"))
    await bot.fake.wait_for(lambda f: f.of("chat.update"), timeout=10)
    assert len(bot.fake.of("chat.postMessage:429")) == 1 and len(bot.replies()) == 1


async def test_healthz(bot):
    async with bot.session.get(bot.url.replace("/slack/events", "/healthz")) as resp:
        assert resp.status == 200 and (await resp.json())["ok"] is True
    async with bot.session.get(bot.url.replace("/slack/events", "/")) as resp:
        assert resp.status == 200 and "/slack/events" in await resp.text()


async def test_link_shared_is_unfurled_with_a_summary(bot):
    link = bot.articles.url("/news/water")
    payload = message_event("", event_type="link_shared")
    payload["event"].update({"message_ts": "1700000002.000100", "links": [{"domain": "127.0.0.1", "url": link}],
                             "unfurl_id": "U1", "source": "conversations_history"})
    assert (await bot.event(payload))[0] == 200
    await bot.fake.wait_for(lambda f: f.of("chat.unfurl"))
    call = bot.fake.of("chat.unfurl")[0]
    unfurls = call.args["unfurls"] if isinstance(call.args["unfurls"], dict) else json.loads(call.args["unfurls"])
    assert "Harbor city" in json.dumps(unfurls[link]["blocks"])
    assert call.args["unfurl_id"] == "U1"


async def test_answer_is_posted_when_placeholder_has_no_ts(bot):
    bot.fake.omit_ts = True
    await bot.event(message_event(f"<{bot.articles.url('/news/water')}>", ts="1700000004.000100"))
    await bot.fake.wait_for(lambda f: len(f.of("chat.postMessage")) == 2)
    final = bot.replies()[1]
    assert final.args["thread_ts"] == "1700000004.000100" and final.args["blocks"][0]["type"] == "header"
