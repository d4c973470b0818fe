"""Hostile pages, one table row each, through the whole app: a signed message event with the link, the real
fetcher against a server on 127.0.0.1, the reply the fake Slack receives. Every row ends in a clear answer
(the analysis, or a sentence saying why not), never "something went wrong on my side", never a traceback in
the log, never a ping or a live link smuggled into the reply."""

from __future__ import annotations

import pytest

from bot.slack.replies import BROKEN
from tests.fakes.article_server import ArticleServer
from tests.fakes.fake_slack import message_event
from tests.fakes.hostile_pages import BIDI, hostile_routes
from tests.fakes.slack_bot import PING, crashes, rendered, running_bot

ANALYSED = "analysed"  # the reply is the analysis: a header block, the article's title in it
TOO_LARGE = "the most I will download|the limit is"
TIMEOUT = "took longer than 2 seconds"
NO_TEXT = "no article text"

CHARSET_LABELS = ("rot13", "base64", "hex", "zlib_codec", "uu", "bz2", "utf-7", "undefined", "idna", "x-junk")

PAGES = [
    ("/h/declared-huge", TOO_LARGE),
    ("/h/huge-chunked", TOO_LARGE),
    ("/h/endless", TOO_LARGE),
    ("/h/trickle", TIMEOUT),
    ("/h/late-headers", TIMEOUT),
    ("/h/gzip-bomb", TOO_LARGE),
    ("/h/nested-div", NO_TEXT),  # libxml2 stops at 256 levels: what is left has no text,
    ("/h/nested-inline", NO_TEXT),
    ("/h/unclosed", NO_TEXT),
    ("/h/invisible-bidi", ANALYSED),
    ("/h/mentions", ANALYSED),
    ("/h/lying-links", ANALYSED),
    ("/h/links-in-title", ANALYSED),
    ("/h/many-links", ANALYSED),
    ("/h/huge-title", ANALYSED),
    ("/h/empty", NO_TEXT),
    ("/h/nul-bytes", ANALYSED),
    ("/h/binary-as-html", NO_TEXT),
    ("/h/bad-utf8", ANALYSED),
    ("/h/xml-rot13", ANALYSED),
    ("/h/utf16-no-bom", ANALYSED),
    *[(f"/h/charset-{where}-{label}", ANALYSED) for where in ("header", "meta") for label in CHARSET_LABELS],
]


@pytest.fixture
async def bot(tmp_path):
    articles = await ArticleServer(routes=hostile_routes()).start()
    env = {"NEWSBOT_FETCH_MAX_BYTES": "1000000", "NEWSBOT_FETCH_TIMEOUT": "2"}
    async with running_bot(tmp_path, articles=articles, **env) as harness:
        yield harness


@pytest.mark.parametrize(("path", "expected"), PAGES, ids=[p for p, _ in PAGES])
async def test_hostile_page_gets_a_clear_answer(bot, caplog, path, expected):
    status, _, _ = await bot.event(message_event(f"<{bot.articles.url(path)}>"))
    assert status == 200
    await bot.fake.wait_for(lambda f: f.of("chat.update"), timeout=20)
    [update] = bot.updates()
    shown = rendered(update)
    assert BROKEN not in shown
    if expected == ANALYSED:
        assert update.args["blocks"][0]["type"] == "header", shown
        assert "Harbor" in update.args["blocks"][0]["text"]["text"] or "Harbor" in shown, shown
    else:
        assert shown.count(":warning: I couldn't read 127.0.0.1:") >= 1, shown
        assert any(words in shown for words in expected.split("|")), shown
    assert not PING.search(shown), PING.search(shown)
    assert not any(c in shown for c in BIDI[:9]), "a direction override reached Slack"
    assert bot.articles.hits[path] >= 1
    assert not crashes(caplog.records), crashes(caplog.records)


@pytest.mark.parametrize("command", ["/sources", "/summarize", "/claims"])
async def test_links_and_mentions_in_the_page_never_ping_or_mislead_in_commands(bot, caplog, command):
    """/sources lists the links the article cites: a label that reads as one address opens that address."""
    for name, path in (("lying", "/h/lying-links"), ("mentions", "/h/mentions"), ("title", "/h/links-in-title")):
        await bot.command(command, bot.articles.url(path), name=name)
    await bot.fake.wait_for(lambda f: len(f.of("response_url")) == 3, timeout=20)
    for answer in bot.fake.of("response_url"):
        shown = rendered(answer)
        assert not PING.search(shown), shown
        assert "|https://yourbank.example" not in shown and "|www.yourbank.example" not in shown
        assert "yourbank.example@evil" not in shown.split("|")[0]
    if command == "/sources":
        lying = next(a for a in bot.fake.of("response_url") if a.path.endswith("/lying"))
        shown = rendered(lying)
        assert "<https://evil.example/0|https://evil.example/0>" in shown
        assert "<https://deq.example.gov/r|deq.example.gov/r>" in shown  # an honest label is kept
    assert not crashes(caplog.records)

